package dev.softswitch.sdp;

import org.jspecify.annotations.Nullable;

/**
 * Writes a session description as text: CRLF line ends and the field order of RFC 8866 5 ({@code v o s c t a}, then
 * each media description as {@code m c a}). For every description {@link SdpParser} produces,
 * {@code SdpParser.parse(SdpWriter.write(sdp))} equals {@code sdp}.
 */
public final class SdpWriter {

    private final StringBuilder out = new StringBuilder(512);

    private SdpWriter() {}

    /**
     * Writes a session description.
     *
     * @throws IllegalArgumentException when a value holds a CR, LF or NUL, which would end or corrupt its line
     */
    public static String write(SessionDescription sdp) {
        SdpWriter writer = new SdpWriter();
        writer.session(sdp);
        return writer.out.toString();
    }

    private void session(SessionDescription sdp) {
        Origin o = sdp.origin();
        line('v', Integer.toString(sdp.version()));
        line(
                'o',
                String.join(
                        " ", o.username(), o.sessionId(), o.sessionVersion(), o.netType(), o.addrType(), o.address()));
        line('s', sdp.sessionName());
        connection(sdp.connection());
        for (String timing : sdp.timing()) {
            line('t', timing);
        }
        sdp.attributes().forEach(this::attribute);
        for (MediaDescription m : sdp.media()) {
            String port = m.port() + (m.portCount() == 1 ? "" : "/" + m.portCount());
            StringBuilder value = new StringBuilder(m.media())
                    .append(' ')
                    .append(port)
                    .append(' ')
                    .append(m.proto());
            m.formats().forEach(format -> value.append(' ').append(format));
            line('m', value.toString());
            connection(m.connection());
            m.attributes().forEach(this::attribute);
        }
    }

    private void connection(@Nullable Connection c) {
        if (c != null) {
            line('c', c.netType() + " " + c.addrType() + " " + c.address());
        }
    }

    private void attribute(Attribute a) {
        line('a', a.value() == null ? a.name() : a.name() + ":" + a.value());
    }

    private void line(char type, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0') {
                throw new IllegalArgumentException("the value of a " + type + "= line holds a CR, LF or NUL");
            }
        }
        out.append(type).append('=').append(value).append("\r\n");
    }
}
