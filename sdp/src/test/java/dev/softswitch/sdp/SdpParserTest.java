package dev.softswitch.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class SdpParserTest {

    @Test
    void parsesTheSippDefaultOffer() {
        SessionDescription sdp = SdpParser.parse(Fixtures.offer("sipp-uac"));

        assertEquals(0, sdp.version());
        assertEquals(new Origin("user1", "53655765", "2353687637", "IN", "IP4", "127.0.0.1"), sdp.origin());
        assertEquals("-", sdp.sessionName());
        assertEquals(new Connection("IN", "IP4", "127.0.0.1"), sdp.connection());
        assertEquals(List.of("0 0"), sdp.timing());
        assertEquals(List.of(), sdp.attributes());
        assertEquals(
                List.of(new MediaDescription(
                        "audio",
                        6000,
                        1,
                        "RTP/AVP",
                        List.of("0"),
                        null,
                        List.of(new Attribute("rtpmap", "0 PCMU/8000")))),
                sdp.media());
    }

    @Test
    void parsesBaresipWithItsAttributesAndSkipsBandwidth() {
        SessionDescription sdp = SdpParser.parse(Fixtures.offer("baresip"));
        MediaDescription audio = sdp.media().get(0);

        assertEquals(List.of(new Attribute("tool", "baresip 3.10.1")), sdp.attributes());
        assertEquals(List.of("96", "9", "0", "8", "101"), audio.formats());
        assertEquals(
                List.of(
                        new RtpMap(96, "opus", 48000, 2),
                        new RtpMap(9, "G722", 8000, 1),
                        new RtpMap(0, "PCMU", 8000, 1),
                        new RtpMap(8, "PCMA", 8000, 1),
                        new RtpMap(101, "telephone-event", 8000, 1)),
                audio.rtpMaps());
        assertEquals(Attribute.flag("rtcp-mux"), audio.attributes().get(7));
        assertTrue(audio.rtcpMux());
        assertEquals(12, audio.attributes().size(), "b=AS:128 is not an attribute");
    }

    @Test
    void parsesVideoAndAudioWithAMediaLevelConnection() {
        SessionDescription sdp = SdpParser.parse(Fixtures.offer("video-audio"));

        assertEquals(2, sdp.media().size());
        MediaDescription video = sdp.media().get(0);
        MediaDescription audio = sdp.media().get(1);
        assertEquals("video", video.media());
        assertNull(video.connection());
        assertEquals(new Connection("IN", "IP4", "192.0.2.21"), audio.connection());
        assertEquals(
                new Connection("IN", "IP4", "192.0.2.21"),
                sdp.effectiveConnection(audio).orElseThrow());
        assertEquals(
                new Connection("IN", "IP4", "192.0.2.20"),
                sdp.effectiveConnection(video).orElseThrow());
        assertEquals(new Attribute("rtcp-fb", "* ccm fir"), video.attributes().get(3));
    }

    @Test
    void parsesIpv6() {
        SessionDescription sdp = SdpParser.parse(Fixtures.offer("ipv6"));

        assertEquals(new Origin("-", "3827384", "3827384", "IN", "IP6", "2001:db8::10"), sdp.origin());
        assertEquals(new Connection("IN", "IP6", "2001:db8::10"), sdp.connection());
    }

    @ParameterizedTest
    @FieldSource("dev.softswitch.sdp.Fixtures#OFFERS")
    void crlfAndLfGiveTheSameDescription(String name) {
        String lf = Fixtures.offer(name);

        assertEquals(SdpParser.parse(lf), SdpParser.parse(Fixtures.crlf(lf)));
        assertEquals(SdpParser.parse(lf), SdpParser.parse(Fixtures.crlf(lf) + "\r\n"), "a trailing blank line");
        assertEquals(SdpParser.parse(lf), SdpParser.parse(lf + "\n\n"), "trailing blank lines");
        assertEquals(SdpParser.parse(lf), SdpParser.parse(lf.strip()), "no line end after the last line");
    }

    @Test
    void skipsLineTypesTheModelDoesNotKeep() {
        String plain = "v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nc=IN IP4 192.0.2.1\nt=0 0\n"
                + "m=audio 4000 RTP/AVP 0\na=sendrecv\n";
        String decorated = "v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\ni=A call\nu=http://example.com/\ne=a@example.com\n"
                + "p=+1 555 0100\nc=IN IP4 192.0.2.1\nb=AS:64\nt=0 0\nr=7d 1h 0 25h\nz=2882844526 -1h\nk=prompt\n"
                + "y=unknown letter\nm=audio 4000 RTP/AVP 0\ni=voice\nb=TIAS:64000\nk=prompt\na=sendrecv\n";

        assertEquals(SdpParser.parse(plain), SdpParser.parse(decorated));
    }

    @Test
    void acceptsSessionLinesInAnyOrderAfterTheHeader() {
        String ordered = "v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nc=IN IP4 192.0.2.1\nt=0 0\na=sendonly\n"
                + "m=audio 4000 RTP/AVP 0\n";
        String shuffled = "v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\na=sendonly\nt=0 0\nc=IN IP4 192.0.2.1\n"
                + "m=audio 4000 RTP/AVP 0\n";

        assertEquals(SdpParser.parse(ordered), SdpParser.parse(shuffled));
    }

    @Test
    void keepsFlagValueAndEmptyValueAttributesApart() {
        SessionDescription sdp = SdpParser.parse("v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nc=IN IP4 192.0.2.1\nt=0 0\n"
                + "a=recvonly\na=tool:x:y\na=empty:\n");

        assertEquals(
                List.of(Attribute.flag("recvonly"), new Attribute("tool", "x:y"), new Attribute("empty", "")),
                sdp.attributes());
    }

    @Test
    void keepsPortCountAndMulticastSuffixReadable() {
        SessionDescription sdp =
                SdpParser.parse("v=0\no=- 1 1 IN IP4 224.2.17.12\ns=Seminar\nc=IN IP4 224.2.1.1/127/3\nt=0 0\n"
                        + "m=audio 49170/2 RTP/AVP 0\n");

        Connection c = sdp.connection();
        assertEquals("224.2.1.1/127/3", c == null ? null : c.address());
        assertEquals("224.2.1.1", c == null ? null : c.host());
        assertEquals(2, sdp.media().get(0).portCount());
    }

    @Test
    void aDisabledStreamNeedsNoConnection() {
        SessionDescription sdp = SdpParser.parse("v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nt=0 0\n"
                + "m=audio 4000 RTP/AVP 0\nc=IN IP4 192.0.2.1\nm=video 0 RTP/AVP 96\n");

        assertNull(sdp.connection());
        assertEquals(0, sdp.media().get(1).port());
    }

    @Test
    void keepsSpacesOfTheSessionNameAndAttributeValues() {
        SessionDescription sdp = SdpParser.parse(
                "v=0\no=- 1 1 IN IP4 192.0.2.1\ns= \nc=IN IP4 192.0.2.1\nt=0 0\na=note: two  spaces \n");

        assertEquals(" ", sdp.sessionName());
        assertEquals(new Attribute("note", " two  spaces "), sdp.attributes().get(0));
    }

    @Test
    void acceptsSixtyFourStreams() {
        StringBuilder text = new StringBuilder("v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nc=IN IP4 192.0.2.1\nt=0 0\n");
        for (int i = 0; i < SdpParser.MAX_MEDIA; i++) {
            text.append("m=audio ").append(4000 + 2 * i).append(" RTP/AVP 0\n");
        }

        assertEquals(64, SdpParser.parse(text.toString()).media().size());
    }
}
