package dev.softswitch.rtp.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Compound RTCP (RFC 3550 6.4, 6.5, 6.6) against packets laid out by hand from the RFC's diagrams. */
class RtcpPacketTest {

    private static final HexFormat HEX = HexFormat.of();

    /** An SR from 0x11223344 with one block about 0xaabbccdd. */
    private static final String SR_ONE_BLOCK = "81c8000c" // V=2 RC=1 PT=200 length 12
            + "11223344" // SSRC of sender
            + "e8d4a510" + "80000000" // NTP 3906250000.5
            + "0001e240" // RTP timestamp 123456
            + "000003e8" // 1000 packets
            + "00027100" // 160000 octets
            + "aabbccdd" // SSRC_1
            + "40" + "000005" // fraction 64/256, 5 lost
            + "0001fffe" // extended highest sequence: one wrap, 65534
            + "00000012" // jitter 18
            + "a5100000" // LSR
            + "00018000"; // DLSR 1.5 s

    @Test
    void writesASenderReportWithOneBlockAsTheRfcLaysItOut() {
        byte[] buf = new byte[64];
        long ntp = (3_906_250_000L << 32) | 0x8000_0000L;
        int end = RtcpPacket.writeSenderReport(
                buf,
                0,
                0x11223344L,
                new SenderInfo(ntp, 123456, 1000, 160000),
                new ReportBlock(0xaabbccddL, 64, 5, 0x1fffeL, 18, 0xa5100000L, 0x18000L));

        assertEquals(52, end);
        assertEquals(SR_ONE_BLOCK, HEX.formatHex(buf, 0, end));
    }

    @Test
    void readsASenderReport() throws RtcpParseException {
        byte[] sr = HEX.parseHex(SR_ONE_BLOCK);

        RtcpCompound c = RtcpPacket.parse(sr, sr.length);

        assertEquals(1, c.reports().size());
        RtcpReport report = c.reports().get(0);
        assertTrue(report.isSenderReport());
        assertEquals(0x11223344L, report.ssrc());
        SenderInfo info = report.sender();
        assertEquals(new SenderInfo((3_906_250_000L << 32) | 0x8000_0000L, 123456, 1000, 160000), info);
        assertEquals(0xa5108000L, info.ntpMiddle(), "the middle 32 bits: low half of seconds, high half of fraction");
        assertEquals(
                List.of(new ReportBlock(0xaabbccddL, 64, 5, 0x1fffeL, 18, 0xa5100000L, 0x18000L)), report.blocks());
        assertEquals(0.25, report.blocks().get(0).fractionLostRatio());
        assertNull(report.blockAbout(0x1L));
    }

    @Test
    void writesAndReadsACompoundReceiverReportSdesAndBye() throws RtcpParseException {
        byte[] buf = new byte[128];
        int at = RtcpPacket.writeReceiverReport(buf, 0, 0xaabbccddL, new ReportBlock(0x11223344L, 0, -2, 100, 0, 0, 0));
        at = RtcpPacket.writeSdesCname(buf, at, 0xaabbccddL, "ab");
        at = RtcpPacket.writeBye(buf, at, 0xaabbccddL);

        String expected = "81c90007" + "aabbccdd" // RR, RC=1, 7 words
                + "11223344" + "00fffffe" + "00000064" + "00000000" + "00000000" + "00000000"
                + "81ca0003" + "aabbccdd" // SDES, SC=1, 3 words after the header
                + "01026162" // CNAME, 2 octets, "ab"
                + "00000000" // the null octet that ends the items, padded to the word
                + "81cb0001" + "aabbccdd"; // BYE, SC=1
        assertEquals(expected, HEX.formatHex(buf, 0, at));

        RtcpCompound c = RtcpPacket.parse(buf, at);
        assertEquals(
                List.of(new RtcpReport(0xaabbccddL, null, List.of(new ReportBlock(0x11223344L, 0, -2, 100, 0, 0, 0)))),
                c.reports());
        assertEquals(Map.of(0xaabbccddL, "ab"), c.cnames());
        assertEquals(List.of(0xaabbccddL), c.bye());
        assertEquals(0, c.skipped());
    }

    @Test
    void anEmptyReceiverReportAndACnameThatFillsItsWordExactlyGetAWordOfNulls() throws RtcpParseException {
        byte[] buf = new byte[64];
        int at = RtcpPacket.writeReceiverReport(buf, 0, 7, null);
        at = RtcpPacket.writeSdesCname(buf, at, 7, "abcdef"); // 2 + 6 octets: a full word more for the end

        assertEquals(
                "80c90001" + "00000007" + "81ca0004" + "00000007" + "0106616263646566" + "00000000",
                HEX.formatHex(buf, 0, at));
        RtcpCompound c = RtcpPacket.parse(buf, at);
        assertEquals(List.of(), c.reports().get(0).blocks());
        assertEquals(Map.of(7L, "abcdef"), c.cnames());
    }

    @Test
    void roundTripsASenderReportWithALongCnameAndSkipsAppAndFeedback() throws RtcpParseException {
        byte[] buf = new byte[512];
        SenderInfo info = new SenderInfo(
                RtcpPacket.ntpTimestamp(Instant.parse("2024-05-01T12:00:00.25Z")), 0xffff_ffffL, 0, 0xffff_ffffL);
        ReportBlock block = new ReportBlock(0xffff_ffffL, 255, ReportBlock.MAX_CUMULATIVE_LOST, 0xffff_ffffL, 0, 1, 2);
        int at = RtcpPacket.writeSenderReport(buf, 0, 0xdeadbeefL, info, block);
        at = RtcpPacket.writeSdesCname(buf, at, 0xdeadbeefL, "x".repeat(255));
        System.arraycopy(HEX.parseHex("80cc0002" + "deadbeef" + "6e616d65"), 0, buf, at, 12); // APP "name"
        at += 12;
        System.arraycopy(HEX.parseHex("81cd0002" + "deadbeef" + "00000001"), 0, buf, at, 12); // RTPFB
        at += 12;

        RtcpCompound c = RtcpPacket.parse(buf, at);

        assertEquals(List.of(new RtcpReport(0xdeadbeefL, info, List.of(block))), c.reports());
        assertEquals("x".repeat(255), c.cnames().get(0xdeadbeefL));
        assertEquals(2, c.skipped());
    }

    @Test
    void ntpTimestampsCountFrom1900InBinaryFractions() {
        long ntp = RtcpPacket.ntpTimestamp(Instant.parse("1970-01-01T00:00:00.5Z"));
        assertEquals(2_208_988_800L, ntp >>> 32);
        assertEquals(0x8000_0000L, ntp & 0xffff_ffffL);
        assertEquals(((2_208_988_800L & 0xffff) << 16) | 0x8000, RtcpPacket.ntpMiddle(ntp));
    }

    @Test
    void tellsRtcpFromRtpOnAMultiplexedPort() {
        assertTrue(RtcpPacket.isRtcp(HEX.parseHex("80c80000"), 4), "SR");
        assertTrue(RtcpPacket.isRtcp(HEX.parseHex("81cc0000"), 4), "APP");
        assertTrue(RtcpPacket.isRtcp(HEX.parseHex("81cd0000"), 4), "RTPFB");
        assertFalse(RtcpPacket.isRtcp(HEX.parseHex("80000000"), 4), "PCMU");
        assertFalse(RtcpPacket.isRtcp(HEX.parseHex("80e50000"), 4), "telephone-event 101 with marker: 229");
        assertFalse(RtcpPacket.isRtcp(HEX.parseHex("80c8"), 2), "too short");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            empty                        | ''                                         | shorter than an RTCP header
            three octets                 | 80c900                                     | shorter than an RTCP header
            not a word multiple          | 80c9000100000007ff                         | not a multiple of 4
            version 1                    | 40c9000100000007                           | RTCP version 1
            version 0 later              | 80c90001000000070000000000000000           | RTCP version 0
            length beyond the datagram   | 80c9000200000007                           | runs past the datagram
            starts with SDES             | 80ca000100000007                           | not SR or RR
            RR with a block missing      | 81c9000100000007                           | report blocks runs past
            SR without sender info       | 80c8000100000007                           | report blocks runs past
            padding not on the last      | a0c900010000000180c9000100000007           | bad padding
            padding of zero              | a0c9000100000000                           | bad padding
            SDES item past its packet    | 80c900010000000781ca000200000007010a6162   | SDES item runs past
            SDES without its end         | 80c900010000000781ca00020000000701026162   | has no end
            BYE of too many sources      | 80c900010000000782cb000100000007           | BYE of 2 sources
            """)
    void malformedDatagramsAreRejectedSayingWhy(String name, String hex, String why) {
        byte[] datagram = HEX.parseHex(hex);
        RtcpParseException e =
                assertThrows(RtcpParseException.class, () -> RtcpPacket.parse(datagram, datagram.length), name);
        assertTrue(e.getMessage().contains(why), name + ": " + e.getMessage());
    }

    @Test
    void theCallersPaddingIsAllowedOnTheLastPacket() throws RtcpParseException {
        byte[] padded = HEX.parseHex("80c9000100000007" + "a1cb0002" + "00000007" + "00000004");
        RtcpCompound c = RtcpPacket.parse(padded, padded.length);
        assertEquals(List.of(7L), c.bye());
    }

    @Test
    void reportValuesOutOfTheirFieldsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ReportBlock(1, 256, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ReportBlock(1, 0, 1 << 23, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ReportBlock(1L << 32, 0, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SenderInfo(0, -1, 0, 0));
    }
}
