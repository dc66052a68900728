package dev.softswitch.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Real-world offers kept as text under {@code src/test/resources/dev/softswitch/sdp/offers} (LF line ends). */
final class Fixtures {

    /** Every offer fixture, by file name without {@code .sdp}. */
    static final List<String> OFFERS = List.of(
            "sipp-uac",
            "baresip",
            "asterisk",
            "twilio",
            "hold-sendonly",
            "hold-zero-address",
            "video-audio",
            "ipv6",
            "srtp");

    private Fixtures() {}

    /** The text of an offer fixture, with LF line ends. */
    static String offer(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("offers/" + name + ".sdp")) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same text with CRLF line ends, as it comes in a SIP body. */
    static String crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n");
    }
}
