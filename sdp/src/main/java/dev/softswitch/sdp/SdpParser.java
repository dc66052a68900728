package dev.softswitch.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Parses the text form of a session description (RFC 8866 5, 9). Strict where a mistake would mislead negotiation
 * (the {@code v= o= s=} header, {@code c=} and {@code m=} syntax, a stream without a connection address) and lenient
 * elsewhere: lines the model does not keep ({@code b= i= u= e= p= k= z= r=} and unknown letters) are skipped, and
 * session-level lines may come in any order after {@code s=}. Lines end in CRLF or LF; trailing blank lines are
 * ignored. Text over 64 Ki characters or with more than 64 {@code m=} lines is refused as hostile.
 */
public final class SdpParser {

    /** The longest text accepted, in characters (SDP is ASCII apart from free text fields). */
    static final int MAX_LENGTH = 64 * 1024;

    /** The most {@code m=} lines accepted. */
    static final int MAX_MEDIA = 64;

    private final List<String> lines;
    private final List<MediaDescription> media = new ArrayList<>();
    private final List<String> timing = new ArrayList<>();
    private final List<Attribute> attributes = new ArrayList<>();
    private @Nullable Connection connection;
    private @Nullable MediaBlock block;

    private SdpParser(List<String> lines) {
        this.lines = lines;
    }

    /**
     * Parses a session description.
     *
     * @throws SdpParseException when the text is not a session description this parser accepts
     */
    public static SessionDescription parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.length() > MAX_LENGTH) {
            throw new SdpParseException(
                    0, "session description of " + text.length() + " characters is over the limit of " + MAX_LENGTH);
        }
        return new SdpParser(lines(text)).read();
    }

    private SessionDescription read() {
        int version = version(header(1, 'v'));
        Origin origin = origin(header(2, 'o'));
        String sessionName = header(3, 's');
        for (int number = 4; number <= lines.size(); number++) {
            String line = lines.get(number - 1);
            char type = type(number, line);
            String value = line.substring(2);
            if (type == 'm') {
                endMedia();
                block = new MediaBlock(number, value);
            } else if (block == null) {
                sessionLine(number, type, value);
            } else {
                block.line(number, type, value);
            }
        }
        endMedia();
        return new SessionDescription(version, origin, sessionName, connection, timing, attributes, media);
    }

    /** The value of one of the three lines a description starts with, in order (RFC 8866 5). */
    private String header(int number, char expected) {
        if (lines.size() < number) {
            throw new SdpParseException(
                    number, "line " + number + ": expected " + expected + "= but the description ended");
        }
        String line = lines.get(number - 1);
        char type = type(number, line);
        if (type != expected) {
            throw error(number, type, "expected " + expected + "= as line " + number);
        }
        return line.substring(2);
    }

    private void sessionLine(int number, char type, String value) {
        switch (type) {
            case 'c' -> {
                if (connection != null) {
                    throw error(number, type, "a second session-level c= line");
                }
                connection = connection(number, type, value);
            }
            case 't' -> timing.add(value);
            case 'a' -> attributes.add(attribute(number, type, value));
            case 'v', 'o', 's' -> throw error(number, type, "only one " + type + "= line is allowed");
            default -> {
                // RFC 8866 5: b= i= u= e= p= k= z= r= and unknown types carry nothing this model keeps.
            }
        }
    }

    private void endMedia() {
        if (block != null) {
            MediaDescription m = block.build();
            // RFC 8866 5.7: a c= at the session level or in every media description (no session c= can follow an m=).
            if (m.port() != 0 && m.connection() == null && connection == null) {
                throw error(block.mLine, 'm', "no connection address (c=) at session or media level");
            }
            media.add(m);
            block = null;
        }
    }

    /** The lines of one media description while they are read. */
    private final class MediaBlock {
        final int mLine;
        final String mediaType;
        final int port;
        final int portCount;
        final String proto;
        final List<String> formats;
        final List<Attribute> mediaAttributes = new ArrayList<>();

        @Nullable
        Connection mediaConnection;

        MediaBlock(int number, String value) {
            if (media.size() == MAX_MEDIA) {
                throw error(number, 'm', "more than " + MAX_MEDIA + " media descriptions");
            }
            this.mLine = number;
            List<String> fields = Tokens.fields(value);
            if (fields.size() < 3) {
                throw error(number, 'm', "expected <media> <port>[/<count>] <proto> <format>...");
            }
            List<String> ports = Tokens.split(fields.get(1), '/');
            if (ports.size() > 2) {
                throw error(number, 'm', "port " + quote(fields.get(1)) + " is not <port>[/<count>]");
            }
            this.mediaType = fields.get(0);
            this.port = port(number, "port", ports.get(0), 0);
            this.portCount = ports.size() == 2 ? port(number, "port count", ports.get(1), 1) : 1;
            this.proto = fields.get(2);
            this.formats = fields.subList(3, fields.size());
        }

        void line(int lineNumber, char type, String value) {
            switch (type) {
                case 'c' -> {
                    if (mediaConnection != null) {
                        throw error(lineNumber, type, "a second c= line in one media description");
                    }
                    mediaConnection = connection(lineNumber, type, value);
                }
                case 'a' -> mediaAttributes.add(attribute(lineNumber, type, value));
                case 'v', 'o', 's', 't' -> throw error(lineNumber, type, type + "= is not allowed after an m= line");
                default -> {
                    // RFC 8866 5: i= b= k= and unknown types carry nothing this model keeps.
                }
            }
        }

        MediaDescription build() {
            return new MediaDescription(mediaType, port, portCount, proto, formats, mediaConnection, mediaAttributes);
        }

        private int port(int lineNumber, String what, String text, int min) {
            long value = Tokens.number(text);
            if (value < 0) {
                throw error(lineNumber, 'm', what + " " + quote(text) + " is not a number");
            }
            if (value < min || value > MediaDescription.MAX_PORT) {
                String shown = text.length() <= 10 ? text : quote(text);
                throw error(
                        lineNumber,
                        'm',
                        what + " " + shown + " is out of range " + min + ".." + MediaDescription.MAX_PORT);
            }
            return (int) value;
        }
    }

    private static int version(String value) {
        // RFC 8866 5.1: there is no other version than 0.
        if (!value.strip().equals("0")) {
            throw error(1, 'v', "version " + quote(value) + " is not 0");
        }
        return 0;
    }

    private static Origin origin(String value) {
        List<String> f = Tokens.fields(value);
        if (f.size() != 6) {
            throw error(
                    2,
                    'o',
                    "expected <username> <sess-id> <sess-version> <nettype> <addrtype> <address>, found " + f.size()
                            + " fields");
        }
        return new Origin(f.get(0), f.get(1), f.get(2), f.get(3), f.get(4), f.get(5));
    }

    private static Connection connection(int number, char type, String value) {
        List<String> f = Tokens.fields(value);
        if (f.size() != 3) {
            throw error(number, type, "expected <nettype> <addrtype> <address>, found " + f.size() + " fields");
        }
        return new Connection(f.get(0), f.get(1), f.get(2));
    }

    private static Attribute attribute(int number, char type, String value) {
        int colon = value.indexOf(':');
        String name = colon < 0 ? value : value.substring(0, colon);
        if (name.isEmpty()) {
            throw error(number, type, "attribute without a name");
        }
        return new Attribute(name, colon < 0 ? null : value.substring(colon + 1));
    }

    /** The type letter of a {@code <type>=<value>} line (RFC 8866 5: one lower-case letter, no blanks around '='). */
    private static char type(int number, String line) {
        char type = line.isEmpty() ? ' ' : line.charAt(0);
        if (line.length() < 2 || line.charAt(1) != '=' || type < 'a' || type > 'z') {
            throw new SdpParseException(
                    number, "line " + number + ": " + quote(line) + " is not a <type>=<value> line");
        }
        for (int i = 2; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\0' || c == '\r') {
                throw error(number, type, "NUL or carriage return inside the line");
            }
        }
        return type;
    }

    /** The lines of the text, without their CRLF or LF ends and without trailing blank lines. */
    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            int next = end < 0 ? text.length() : end + 1;
            int stop = end < 0 ? text.length() : end;
            if (stop > start && text.charAt(stop - 1) == '\r') {
                stop--;
            }
            lines.add(text.substring(start, stop));
            start = next;
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    private static SdpParseException error(int number, char type, String detail) {
        return new SdpParseException(number, "line " + number + " (" + type + "=): " + detail);
    }

    /** Quotes a piece of input for a message: its first 32 characters, made {@link Tokens#printable}. */
    private static String quote(String text) {
        return "\"" + Tokens.printable(text, 32) + (text.length() > 32 ? "...\"" : "\"");
    }
}
