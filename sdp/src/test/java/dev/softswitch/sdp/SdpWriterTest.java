package dev.softswitch.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class SdpWriterTest {

    @ParameterizedTest
    @FieldSource("dev.softswitch.sdp.Fixtures#OFFERS")
    void parseOfWriteIsTheParsedOffer(String name) {
        SessionDescription parsed = SdpParser.parse(Fixtures.offer(name));

        assertEquals(parsed, SdpParser.parse(SdpWriter.write(parsed)));
    }

    @ParameterizedTest
    @FieldSource("dev.softswitch.sdp.Fixtures#OFFERS")
    void writesFixturesWithoutSkippedLinesBackAsTheyWere(String name) {
        String lf = Fixtures.offer(name);
        String withoutSkippedLines = Fixtures.crlf(String.join(
                        "\n", lf.lines().filter(line -> !line.startsWith("b=")).toList())
                + "\n");

        assertEquals(withoutSkippedLines, SdpWriter.write(SdpParser.parse(lf)));
    }

    @Test
    void writesRfc8866OrderWithCrlf() {
        SessionDescription sdp = SdpParser.parse("v=0\no=- 7 8 IN IP4 192.0.2.1\ns=-\na=sendonly\nt=0 0\n"
                + "c=IN IP4 192.0.2.1\nm=audio 49170/2 RTP/AVP 0 8\na=ptime:30\nc=IN IP4 192.0.2.9\n"
                + "m=video 0 RTP/AVP 31\n");

        assertEquals(
                "v=0\r\no=- 7 8 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\na=sendonly\r\n"
                        + "m=audio 49170/2 RTP/AVP 0 8\r\nc=IN IP4 192.0.2.9\r\na=ptime:30\r\n"
                        + "m=video 0 RTP/AVP 31\r\n",
                SdpWriter.write(sdp));
    }

    @Test
    void writesWhatWasBuiltInCode() {
        SessionDescription sdp = new SessionDescription(
                0,
                new Origin("softswitch", "1", "2", "IN", "IP6", "2001:db8::1"),
                "-",
                null,
                List.of("0 0"),
                List.of(),
                List.of(new MediaDescription(
                        "audio",
                        30000,
                        1,
                        "RTP/AVP",
                        List.of("9"),
                        new Connection("IN", "IP6", "2001:db8::1"),
                        List.of(new Attribute("rtpmap", "9 G722/8000"), Attribute.flag("sendrecv")))));

        String text = SdpWriter.write(sdp);

        assertEquals(
                "v=0\r\no=softswitch 1 2 IN IP6 2001:db8::1\r\ns=-\r\nt=0 0\r\nm=audio 30000 RTP/AVP 9\r\n"
                        + "c=IN IP6 2001:db8::1\r\na=rtpmap:9 G722/8000\r\na=sendrecv\r\n",
                text);
        assertEquals(sdp, SdpParser.parse(text));
    }

    @Test
    void refusesAValueThatWouldBreakItsLine() {
        SessionDescription sdp = SdpParser.parse(Fixtures.offer("sipp-uac"));
        SessionDescription injected = new SessionDescription(
                sdp.version(),
                sdp.origin(),
                "-\r\na=injected",
                sdp.connection(),
                sdp.timing(),
                sdp.attributes(),
                sdp.media());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SdpWriter.write(injected));

        assertEquals("the value of a s= line holds a CR, LF or NUL", e.getMessage());
    }
}
