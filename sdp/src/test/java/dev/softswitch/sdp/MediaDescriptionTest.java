package dev.softswitch.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MediaDescriptionTest {

    private static MediaDescription audio(String formats, String... attributeLines) {
        StringBuilder text = new StringBuilder("v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nc=IN IP4 192.0.2.1\nt=0 0\n")
                .append("m=audio 4000 RTP/AVP ")
                .append(formats)
                .append('\n');
        for (String line : attributeLines) {
            text.append("a=").append(line).append('\n');
        }
        return SdpParser.parse(text.toString()).media().get(0);
    }

    @Test
    void resolvesStaticPayloadTypesWithoutRtpmap() {
        assertEquals(
                List.of(
                        new RtpMap(0, "PCMU", 8000, 1),
                        new RtpMap(8, "PCMA", 8000, 1),
                        new RtpMap(9, "G722", 8000, 1),
                        new RtpMap(3, "GSM", 8000, 1),
                        new RtpMap(4, "G723", 8000, 1),
                        new RtpMap(18, "G729", 8000, 1)),
                audio("0 8 9 3 4 18").rtpMaps());
    }

    @Test
    void anRtpmapOverridesTheStaticAssignmentAndUnknownFormatsAreLeftOut() {
        MediaDescription m = audio(
                "0 96 97 98 abc 200",
                "rtpmap:0 pcmu/8000",
                "rtpmap:96 opus/48000/2",
                "rtpmap:97 broken",
                "rtpmap:200 PCMA/8000");

        assertEquals(List.of(new RtpMap(0, "pcmu", 8000, 1), new RtpMap(96, "opus", 48000, 2)), m.rtpMaps());
    }

    @Test
    void rtpmapsRefuseNamesThatAreNotMediaSubtypes() {
        assertEquals(
                List.of(),
                audio("96 97", "rtpmap:96 \"PCMU\"/8000", "rtpmap:97 -x/8000").rtpMaps());
    }

    @Test
    void findsFmtpByPayloadType() {
        MediaDescription m = audio("18 101 1010", "fmtp:1010 x=1", "fmtp:101 0-16", "fmtp:18 annexb=no");

        assertEquals(Optional.of("0-16"), m.fmtp(101));
        assertEquals(Optional.of("annexb=no"), m.fmtp(18));
        assertEquals(Optional.of("x=1"), m.fmtp(1010));
        assertEquals(Optional.empty(), m.fmtp(0));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            nullValues = "none",
            value = {"ptime:20 | 20", "ptime:30 | 30", "ptime: 40 | 40", "ptime:20.5 | none", "ptime:0 | none"})
    void readsPtime(String attribute, Integer expected) {
        OptionalInt ptime = audio("0", attribute).ptime();

        assertEquals(expected == null ? OptionalInt.empty() : OptionalInt.of(expected), ptime);
    }

    @Test
    void hasNoPtimeWhenNoneIsGiven() {
        assertEquals(OptionalInt.empty(), audio("0").ptime());
    }

    @ParameterizedTest
    @CsvSource({"sendrecv, SENDRECV", "sendonly, SENDONLY", "recvonly, RECVONLY", "inactive, INACTIVE"})
    void readsTheMediaLevelDirection(String attribute, Direction expected) {
        MediaDescription m = audio("0", attribute);

        assertEquals(expected, m.direction());
        assertEquals(Optional.of(expected), m.directionAttribute());
    }

    @Test
    void isSendrecvWithoutADirectionAttribute() {
        MediaDescription m = audio("0");

        assertEquals(Direction.SENDRECV, m.direction());
        assertEquals(Optional.empty(), m.directionAttribute());
    }

    @Test
    void seesRtcpMux() {
        assertTrue(audio("0", "rtcp-mux").rtcpMux());
        assertFalse(audio("0", "rtcp:4001").rtcpMux());
    }

    @Test
    void readsTheRtcpPortOfRfc3605() {
        assertEquals(OptionalInt.of(4001), audio("0", "rtcp:4001").rtcpPort());
        assertEquals(
                OptionalInt.of(53020),
                audio("0", "rtcp:53020 IN IP4 126.16.64.4").rtcpPort());
        assertEquals(OptionalInt.empty(), audio("0", "rtcp-mux").rtcpPort());
        assertEquals(OptionalInt.empty(), audio("0", "rtcp:x").rtcpPort());
        assertEquals(OptionalInt.empty(), audio("0", "rtcp:70000").rtcpPort());
    }

    @Test
    void theSessionLevelDirectionAppliesWhenTheStreamHasNone() {
        SessionDescription sdp = SdpParser.parse("v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nc=IN IP4 192.0.2.1\nt=0 0\n"
                + "a=sendonly\nm=audio 4000 RTP/AVP 0\nm=audio 4002 RTP/AVP 0\na=inactive\n");

        assertEquals(Direction.SENDONLY, sdp.effectiveDirection(sdp.media().get(0)));
        assertEquals(Direction.INACTIVE, sdp.effectiveDirection(sdp.media().get(1)));
        assertEquals(Direction.SENDRECV, sdp.media().get(0).direction(), "the stream alone says nothing");
    }

    @Test
    void copiesItsLists() {
        List<String> formats = new ArrayList<>(List.of("0"));
        MediaDescription m = new MediaDescription("audio", 4000, 1, "RTP/AVP", formats, null, List.of());
        formats.add("8");

        assertEquals(List.of("0"), m.formats());
    }
}
