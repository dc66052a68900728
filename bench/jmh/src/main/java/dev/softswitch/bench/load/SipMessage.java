package dev.softswitch.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A SIP message as far as the load generator needs it: the start line, the headers (names in lower case, compact forms
 * expanded) and the body. Lenient: it reads what a well-behaved server sends and nothing more.
 */
final class SipMessage {

    private static final Pattern CRLF = Pattern.compile("\r\n");
    private static final Pattern LINES = Pattern.compile("\r?\n");
    private static final Pattern BLANKS = Pattern.compile("\\s+");

    final String startLine;
    final List<String[]> headers;
    final String body;

    private SipMessage(String startLine, List<String[]> headers, String body) {
        this.startLine = startLine;
        this.headers = headers;
        this.body = body;
    }

    static SipMessage parse(String text) {
        int end = text.indexOf("\r\n\r\n");
        String head = end < 0 ? text : text.substring(0, end);
        String body = end < 0 ? "" : text.substring(end + 4);
        String[] lines = CRLF.split(head, -1);
        List<String[]> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && !headers.isEmpty()) {
                String[] last = headers.get(headers.size() - 1);
                last[1] = last[1] + " " + line.trim();
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.add(new String[] {
                    longName(line.substring(0, colon).trim().toLowerCase(Locale.ROOT)),
                    line.substring(colon + 1).trim()
                });
            }
        }
        return new SipMessage(lines[0], headers, body);
    }

    private static String longName(String name) {
        return switch (name) {
            case "i" -> "call-id";
            case "f" -> "from";
            case "t" -> "to";
            case "v" -> "via";
            case "m" -> "contact";
            case "l" -> "content-length";
            case "c" -> "content-type";
            default -> name;
        };
    }

    boolean isResponse() {
        return startLine.startsWith("SIP/2.0 ");
    }

    /** The status code of a response, 0 for a request. */
    int status() {
        if (!isResponse() || startLine.length() < 11) {
            return 0;
        }
        try {
            return Integer.parseInt(startLine.substring(8, 11));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The method of a request, or of the request a response answers (from its CSeq). */
    String method() {
        if (!isResponse()) {
            int space = startLine.indexOf(' ');
            return space < 0 ? startLine : startLine.substring(0, space);
        }
        String cseq = header("cseq");
        if (cseq == null) {
            return "";
        }
        String[] parts = BLANKS.split(cseq.trim(), -1);
        return parts.length == 2 ? parts[1] : "";
    }

    @Nullable
    String header(String name) {
        for (String[] h : headers) {
            if (h[0].equals(name)) {
                return h[1];
            }
        }
        return null;
    }

    List<String> all(String name) {
        List<String> values = new ArrayList<>();
        for (String[] h : headers) {
            if (h[0].equals(name)) {
                values.add(h[1]);
            }
        }
        return values;
    }

    /** The URI inside a name-addr ({@code <sip:...>}) or an addr-spec, without header parameters. */
    static String uriOf(String nameAddr) {
        int lt = nameAddr.indexOf('<');
        int gt = nameAddr.indexOf('>', lt + 1);
        if (lt >= 0 && gt > lt) {
            return nameAddr.substring(lt + 1, gt);
        }
        int semi = nameAddr.indexOf(';');
        return (semi < 0 ? nameAddr : nameAddr.substring(0, semi)).trim();
    }

    /** The address and port of the first audio stream of an SDP body: {@code {address, port}}, or null. */
    static String @Nullable [] audioTarget(String sdp) {
        String address = null;
        String port = null;
        for (String line : LINES.split(sdp, -1)) {
            if (line.startsWith("c=IN IP4 ") && (address == null || port != null)) {
                address = line.substring(9).trim();
            } else if (line.startsWith("m=audio ") && port == null) {
                port = BLANKS.split(line.substring(8).trim(), -1)[0];
            }
        }
        return address == null || port == null ? null : new String[] {address, port};
    }
}
