package dev.softswitch.sip.guard;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The strict look at a SIP message's raw bytes before the stack's parser sees it: bytes in, a {@link Verdict} out. No
 * socket, no clock, no logging; the JAIN-SIP parser's lenient spots (it keeps the first of duplicated headers, reports
 * every version as {@code SIP/2.0}, and takes the whole rest of a datagram as the body) are closed here.
 *
 * <p>Rules, in the order they are applied:
 *
 * <ol>
 *   <li>size: longer than the cap, {@code 513 Message Too Large} (RFC 3261 21.5.11);
 *   <li>start line: a request line of three parts (runs of spaces are accepted: RFC 4475 3.1.2.9/3.1.2.10 allow it),
 *       no {@code <>} around the Request-URI (RFC 4475 3.1.2.7); a response's status line starts {@code SIP/2.0};
 *   <li>no second Call-ID, CSeq, From, To, Max-Forwards or Content-Length, long or compact name (RFC 4475 3.3.8,
 *       3.3.9);
 *   <li>Content-Length a decimal number; on a datagram no larger than the body that follows, and any octets after
 *       that body are cut off (RFC 3261 18.3; RFC 4475 3.1.1.8, 3.1.2.2, 3.1.2.3). Absent on a datagram, the body is
 *       the rest of it; on a stream the stack's parser frames by it;
 *   <li>Via, From, To, Call-ID and CSeq present (RFC 3261 8.1.1); without them no response can be built: dropped;
 *   <li>the version {@code SIP/2.0}, else {@code 505} (RFC 3261 8.2.2.1 ... 21.5.12; RFC 4475 3.1.2.16);
 *   <li>a CSeq of a number below 2^31 and the request's own method, else 400, or 501 for a method we do not know
 *       (RFC 3261 8.1.1.5; RFC 4475 3.1.2.4, 3.1.2.17, 3.1.2.18);
 *   <li>a Request-URI scheme of sip, sips or tel, else {@code 416} (RFC 3261 8.2.2.1; RFC 4475 3.3.2, 3.3.3);
 *   <li>on a datagram, a top Via of UDP: else the stack would answer by opening a TCP connection to the sender
 *       (RFC 3261 18.2.2), from a stack thread, for anyone who spoofs a packet; 400.
 * </ol>
 *
 * A rejected request (other than ACK, which is never answered) comes with a <em>stand-in</em>: the same request cut
 * down to its Via, From, To, Call-ID and CSeq lines behind a plain request line, from which the stack can build the
 * stateless answer even when the original does not parse.
 */
public final class PreParseCheck {

    /** How the bytes were framed: a whole datagram (UDP) or one message cut out of a stream by its Content-Length. */
    public enum Framing {
        DATAGRAM,
        STREAM
    }

    /** What failed, as a metric label. */
    public enum Rule {
        TOO_LARGE("too_large"),
        START_LINE("start_line"),
        DUPLICATE_HEADER("duplicate_header"),
        CONTENT_LENGTH("content_length"),
        MISSING_HEADER("missing_header"),
        VERSION("version"),
        CSEQ("cseq"),
        URI_SCHEME("uri_scheme"),
        VIA_TRANSPORT("via_transport"),
        UNPARSEABLE("unparseable");

        private final String label;

        Rule(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** The outcome. */
    public sealed interface Verdict {}

    /** The message is fine; its first {@code length} bytes are the message (the rest of a datagram is not). */
    public record Pass(int length) implements Verdict {}

    /**
     * The message breaks {@code rule}: answer {@code status} with {@code reason} from the {@code standIn} when there is
     * one (a request other than ACK; its text, one char per byte), else drop it.
     */
    public record Reject(
            Rule rule, int status, String reason, @Nullable String standIn) implements Verdict {}

    /** A header that may appear once only, under its long name. */
    private static final Map<String, String> SINGLE = Map.ofEntries(
            Map.entry("call-id", "Call-ID"),
            Map.entry("i", "Call-ID"),
            Map.entry("cseq", "CSeq"),
            Map.entry("from", "From"),
            Map.entry("f", "From"),
            Map.entry("to", "To"),
            Map.entry("t", "To"),
            Map.entry("max-forwards", "Max-Forwards"),
            Map.entry("content-length", "Content-Length"),
            Map.entry("l", "Content-Length"));

    /** The long names of the headers that may appear once only, in the order checked. */
    private static final List<String> SINGLE_NAMES =
            List.of("Call-ID", "CSeq", "From", "To", "Max-Forwards", "Content-Length");

    /** The headers a response copies from its request (RFC 3261 8.2.6.2), in the order written. */
    private static final List<String> REQUIRED = List.of("Via", "From", "To", "Call-ID", "CSeq");

    /** The methods of RFC 3261 and its extensions: a CSeq that disagrees with one of these is a 400, else a 501. */
    private static final Set<String> KNOWN_METHODS = Set.of(
            "INVITE",
            "ACK",
            "BYE",
            "CANCEL",
            "OPTIONS",
            "REGISTER",
            "PRACK",
            "SUBSCRIBE",
            "NOTIFY",
            "PUBLISH",
            "INFO",
            "REFER",
            "MESSAGE",
            "UPDATE");

    private static final Set<String> SCHEMES = Set.of("sip", "sips", "tel");

    /** CSeq numbers are below 2^31 (RFC 3261 8.1.1.5). */
    private static final long MAX_CSEQ = (1L << 31) - 1;

    private PreParseCheck() {}

    /** Checks the first {@code length} bytes of {@code data}, a message framed as {@code framing}. */
    public static Verdict check(byte[] data, int length, Framing framing, int maxBytes) {
        Message m = Message.split(data, length);
        if (m.blank) {
            return new Pass(length); // CRLF keep-alives (RFC 5626 4.4.1): the stack answers them
        }
        if (length > maxBytes) {
            return m.reject(Rule.TOO_LARGE, 513, "Message Too Large (over " + maxBytes + " bytes)");
        }
        if (m.response) {
            if (!m.startLine.startsWith("SIP/2.0 ")) {
                return m.reject(Rule.VERSION, 505, "status line is not SIP/2.0");
            }
        }
        String uri = m.uri;
        if (!m.response && uri == null) {
            return m.reject(Rule.START_LINE, 400, "Bad Request (malformed request line)");
        }
        if (uri != null && uri.startsWith("<")) {
            return m.reject(Rule.START_LINE, 400, "Bad Request (Request-URI in angle brackets)");
        }
        for (String name : SINGLE_NAMES) {
            if (m.count(name) > 1) {
                return m.reject(Rule.DUPLICATE_HEADER, 400, "Bad Request (more than one " + name + " header)");
            }
        }
        int end = length;
        String contentLength = m.first("Content-Length");
        if (contentLength != null) {
            long declared = parseCount(contentLength);
            int body = length - m.bodyStart;
            if (declared < 0) {
                return m.reject(Rule.CONTENT_LENGTH, 400, "Bad Request (Content-Length is not a number)");
            }
            if (framing == Framing.DATAGRAM && declared > body) {
                return m.reject(
                        Rule.CONTENT_LENGTH,
                        400,
                        "Bad Request (Content-Length " + declared + " but " + body + " bytes of body)");
            }
            // RFC 3261 18.3: octets after the declared body are discarded. A stream's parser cuts the message out by
            // its Content-Length itself, and may hand over the headers alone.
            if (framing == Framing.DATAGRAM) {
                end = m.bodyStart + (int) declared;
            }
        }
        for (String name : REQUIRED) {
            if (m.count(name) == 0) {
                return new Reject(Rule.MISSING_HEADER, 400, "Bad Request (no " + name + " header)", null);
            }
        }
        if (m.response || uri == null) {
            return new Pass(end);
        }
        if (!m.version.equalsIgnoreCase("SIP/2.0")) {
            return m.reject(Rule.VERSION, 505, "Version Not Supported (" + printable(m.version) + ")");
        }
        String cseq = m.first("CSeq");
        String[] parts = cseq == null ? new String[0] : words(cseq.trim(), true);
        if (parts.length != 2 || parseCount(parts[0]) < 0 || parseCount(parts[0]) > MAX_CSEQ) {
            return m.reject(Rule.CSEQ, 400, "Bad Request (CSeq is not a number below 2^31 and a method)");
        }
        if (!parts[1].equals(m.method)) {
            return KNOWN_METHODS.contains(m.method)
                    ? m.reject(
                            Rule.CSEQ,
                            400,
                            "Bad Request (CSeq method " + printable(parts[1]) + " is not the request's)")
                    : m.reject(Rule.CSEQ, 501, "Not Implemented (" + printable(m.method) + ")");
        }
        int colon = uri.indexOf(':');
        String scheme = colon < 0 ? "" : uri.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            return m.reject(Rule.URI_SCHEME, 416, "Unsupported URI Scheme");
        }
        String transport = viaTransport(m.first("Via"));
        if (framing == Framing.DATAGRAM && !transport.equalsIgnoreCase("UDP")) {
            // RFC 3261 18.2.2 would have the stack answer over that transport: a TCP connection to the sender, opened
            // from a stack thread, that any spoofed datagram could ask for.
            return m.reject(
                    Rule.VIA_TRANSPORT,
                    400,
                    "Bad Request (Via says " + printable(transport) + " but it came over UDP)");
        }
        return new Pass(end);
    }

    /**
     * The stand-in for a request the stack's own parser refused ({@code null} for a response, an ACK or a request
     * lacking a header a response needs): what {@link Reject#standIn()} holds.
     */
    public static @Nullable String standIn(byte[] data, int length) {
        Message m = Message.split(data, length);
        return m.standIn();
    }

    /** The transport of a Via value's first entry ({@code SIP/2.0/UDP host} gives {@code UDP}), or empty. */
    static String viaTransport(@Nullable String via) {
        if (via == null) {
            return "";
        }
        String protocol = via.replaceAll("[ \\t]*/[ \\t]*", "/").trim();
        int space = protocol.indexOf(' ');
        int tab = protocol.indexOf('\t');
        int end = space < 0 ? tab : tab < 0 ? space : Math.min(space, tab);
        String sentProtocol = end < 0 ? protocol : protocol.substring(0, end);
        int slash = sentProtocol.lastIndexOf('/');
        return slash < 0 ? "" : sentProtocol.substring(slash + 1);
    }

    /** A non-negative decimal of at most 18 digits, else -1. */
    private static long parseCount(String text) {
        String t = text.trim();
        if (t.isEmpty() || t.length() > 18) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** A reason phrase holds printable ASCII only, 40 characters at most: nothing a header could be smuggled with. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 40; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x21 && c < 0x7f && "()\"\\".indexOf(c) < 0 ? c : '?');
        }
        return out.toString();
    }

    /**
     * {@code text} cut at runs of spaces (and tabs when {@code tabs}), keeping an empty first or last part where the
     * text starts or ends with one, as {@code Pattern.split(text, -1)} does.
     */
    static String[] words(String text, boolean tabs) {
        List<String> parts = new ArrayList<>(3);
        int from = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == ' ' || tabs && c == '\t') {
                int end = i;
                while (i < n && (text.charAt(i) == ' ' || tabs && text.charAt(i) == '\t')) {
                    i++;
                }
                parts.add(text.substring(from, end));
                from = i;
            } else {
                i++;
            }
        }
        parts.add(text.substring(from));
        return parts.toArray(String[]::new);
    }

    /** The message cut into start line, header lines (unfolded) and where the body starts. */
    private static final class Message {
        final String startLine;
        final boolean response;
        final String method;
        final @Nullable String uri;
        final String version;
        /** Header name (long form, as in {@link #SINGLE} or as written) and unfolded value, in order. */
        final List<String[]> headers;

        final int bodyStart;
        /** Nothing but CR and LF: a keep-alive. */
        final boolean blank;

        private Message(String startLine, List<String[]> headers, int bodyStart, boolean blank) {
            this.blank = blank;
            this.startLine = startLine;
            this.headers = headers;
            this.bodyStart = bodyStart;
            this.response = startLine.startsWith("SIP/");
            String[] parts = words(startLine.trim(), false);
            if (!response && parts.length == 3) {
                this.method = parts[0];
                this.uri = parts[1];
                this.version = parts[2];
            } else {
                this.method = parts.length > 0 ? parts[0] : "";
                this.uri = null;
                this.version = "";
            }
        }

        static Message split(byte[] data, int length) {
            // ISO-8859-1 keeps one char per byte, so indexes in the text are indexes in the bytes.
            String text = new String(data, 0, length, StandardCharsets.ISO_8859_1);
            // Leading CRLFs before a message are allowed (RFC 3261 7.5).
            int start = 0;
            while (start < length && (text.charAt(start) == '\r' || text.charAt(start) == '\n')) {
                start++;
            }
            int bodyStart = length;
            int headerEnd = length;
            int crlf = text.indexOf("\r\n\r\n", start);
            int lf = text.indexOf("\n\n", start);
            if (crlf >= 0 && (lf < 0 || crlf < lf)) {
                headerEnd = crlf;
                bodyStart = crlf + 4;
            } else if (lf >= 0) {
                headerEnd = lf;
                bodyStart = lf + 2;
            }
            // Lines end in LF or CRLF. Only the headers the check reads are kept (Via and those in SINGLE); the rest
            // are looked at no further than their names, so a message costs little more than its copy as text.
            String startLine = "";
            List<String[]> headers = new ArrayList<>();
            boolean keptLast = false;
            int lineStart = start;
            boolean first = true;
            while (lineStart <= headerEnd) {
                int nl = text.indexOf('\n', lineStart);
                int lineEnd = nl < 0 || nl > headerEnd ? headerEnd : nl;
                int next = lineEnd + 1;
                if (nl == lineEnd && lineEnd > lineStart && text.charAt(lineEnd - 1) == '\r') {
                    lineEnd--; // the CR of CRLF
                }
                if (first) {
                    startLine = text.substring(lineStart, lineEnd);
                    first = false;
                } else if (lineEnd > lineStart && (text.charAt(lineStart) == ' ' || text.charAt(lineStart) == '\t')) {
                    if (keptLast) { // a folded line continues the header above
                        String[] last = headers.get(headers.size() - 1);
                        last[1] = (last[1] + " "
                                        + text.substring(lineStart, lineEnd).trim())
                                .trim();
                    }
                } else {
                    keptLast = false;
                    int colon = text.indexOf(':', lineStart);
                    if (colon > lineStart && colon < lineEnd) {
                        String name = longName(text, lineStart, colon);
                        if (name != null) {
                            headers.add(new String[] {
                                name, text.substring(colon + 1, lineEnd).trim()
                            });
                            keptLast = true;
                        }
                    } // else not a header line; the stack's parser will say so
                }
                lineStart = next;
            }
            return new Message(startLine, headers, bodyStart, start == length);
        }

        /** The long name of the header named in {@code text[from, to)} if the check reads it (Via or SINGLE), else null. */
        private static @Nullable String longName(String text, int from, int to) {
            while (to > from && (text.charAt(to - 1) == ' ' || text.charAt(to - 1) == '\t')) {
                to--;
            }
            while (from < to && (text.charAt(from) == ' ' || text.charAt(from) == '\t')) {
                from++;
            }
            int n = to - from;
            if (n == 1 && (text.charAt(from) == 'v' || text.charAt(from) == 'V')
                    || n == 3 && text.regionMatches(true, from, "via", 0, 3)) {
                return "Via";
            }
            for (Map.Entry<String, String> e : SINGLE.entrySet()) {
                String key = e.getKey();
                if (key.length() == n && text.regionMatches(true, from, key, 0, n)) {
                    return e.getValue();
                }
            }
            return null;
        }

        int count(String name) {
            int n = 0;
            for (String[] h : headers) {
                if (h[0].equals(name)) {
                    n++;
                }
            }
            return n;
        }

        @Nullable
        String first(String name) {
            for (String[] h : headers) {
                if (h[0].equals(name)) {
                    return h[1];
                }
            }
            return null;
        }

        Reject reject(Rule rule, int status, String reason) {
            return new Reject(rule, status, reason, standIn());
        }

        /**
         * The request line {@code <CSeq method> sip:stand-in.invalid SIP/2.0}, every Via and the first From, To,
         * Call-ID and CSeq as received, and no body: all the stack needs to build a response. The CSeq's method stands
         * in for the request's, so that the stack's own CSeq check passes it on to the valve.
         */
        @Nullable
        String standIn() {
            if (response || method.equals("ACK")) {
                return null; // RFC 3261 17.2.3 / 18: responses and ACKs are never answered
            }
            String cseq = first("CSeq");
            String[] cseqParts = cseq == null ? new String[0] : words(cseq.trim(), true);
            if (cseqParts.length != 2) {
                return null;
            }
            StringBuilder out = new StringBuilder().append(cseqParts[1]).append(" sip:stand-in.invalid SIP/2.0\r\n");
            for (String name : REQUIRED) {
                boolean found = false;
                for (String[] h : headers) {
                    if (h[0].equals(name)) {
                        out.append(name).append(": ").append(h[1]).append("\r\n");
                        found = true;
                        if (!name.equals("Via")) {
                            break;
                        }
                    }
                }
                if (!found) {
                    return null;
                }
            }
            out.append("Content-Length: 0\r\n\r\n");
            return out.toString();
        }
    }
}
