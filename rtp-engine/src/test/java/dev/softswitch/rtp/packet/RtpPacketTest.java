package dev.softswitch.rtp.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RtpPacketTest {

    /**
     * A PCMU packet as a capture shows it, written out by hand: V=2, no padding, extension or CSRC, marker set (first
     * packet of a talkspurt), PT 0, sequence 0x5b2c = 23340, timestamp 0x0001e240 = 123456, SSRC 0x1234abcd, then 160
     * bytes of mu-law payload (0xff is mu-law silence).
     */
    private static final byte[] PCMU_PACKET = withPayload("80805b2c0001e2401234abcd", 160, (byte) 0xff);

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static byte[] withPayload(String headerHex, int payloadBytes, byte fill) {
        byte[] header = hex(headerHex);
        byte[] packet = Arrays.copyOf(header, header.length + payloadBytes);
        Arrays.fill(packet, header.length, packet.length, fill);
        return packet;
    }

    @Test
    void readsEveryFieldOfACapturedPacket() {
        byte[] p = PCMU_PACKET;

        assertNull(RtpPacket.validate(p, p.length));
        assertEquals(2, RtpPacket.version(p));
        assertFalse(RtpPacket.hasPadding(p));
        assertFalse(RtpPacket.hasExtension(p));
        assertEquals(0, RtpPacket.csrcCount(p));
        assertTrue(RtpPacket.marker(p));
        assertEquals(0, RtpPacket.payloadType(p));
        assertEquals(23340, RtpPacket.sequence(p));
        assertEquals(123456L, RtpPacket.timestamp(p));
        assertEquals(0x1234abcdL, RtpPacket.ssrc(p));
        assertEquals(12, RtpPacket.payloadOffset(p, p.length));
        assertEquals(160, RtpPacket.payloadLength(p, p.length));
    }

    @ParameterizedTest(name = "pt {0}, marker {1}, seq {2}, ts {3}, ssrc {4}")
    @CsvSource(textBlock = """
                    0,   true,  0,     0,          0
                    0,   false, 65535, 4294967295, 4294967295
                    8,   true,  32768, 2147483648, 2147483648
                    101, false, 1,     1,          1
                    127, true,  65535, 4294967295, 305441741
                    96,  false, 255,   256,        16777216
                    """)
    void aWrittenHeaderReadsBackWithTheSameFields(int pt, boolean marker, int seq, long ts, long ssrc) {
        byte[] p = new byte[12 + 160];

        int end = RtpPacket.writeHeader(p, 0, pt, marker, seq, ts, ssrc);

        assertEquals(12, end);
        assertNull(RtpPacket.validate(p, p.length));
        assertEquals(2, RtpPacket.version(p));
        assertFalse(RtpPacket.hasPadding(p));
        assertFalse(RtpPacket.hasExtension(p));
        assertEquals(0, RtpPacket.csrcCount(p));
        assertEquals(marker, RtpPacket.marker(p));
        assertEquals(pt, RtpPacket.payloadType(p));
        assertEquals(seq, RtpPacket.sequence(p));
        assertEquals(ts, RtpPacket.timestamp(p));
        assertEquals(ssrc, RtpPacket.ssrc(p));
        assertEquals(160, RtpPacket.payloadLength(p, p.length));
    }

    @Test
    void writesTheSameBytesAsTheCapture() {
        byte[] p = new byte[12];

        RtpPacket.writeHeader(p, 0, 0, true, 23340, 123456, 0x1234abcdL);

        assertArrayEquals(Arrays.copyOf(PCMU_PACKET, 12), p);
    }

    @Test
    void writesAHeaderAtAnOffsetWithoutTouchingTheBytesAround() {
        byte[] p = new byte[4 + 12 + 2];
        Arrays.fill(p, (byte) 0x55);

        int end = RtpPacket.writeHeader(p, 4, 0, true, 23340, 123456, 0x1234abcdL);

        assertEquals(16, end);
        assertArrayEquals(hex("55555555" + "80805b2c0001e2401234abcd" + "5555"), p);
    }

    @Test
    void csrcListMovesThePayload() {
        // CC=2: two contributing sources after the fixed header.
        byte[] p = withPayload("82000001000000a0deadbeef" + "11111111" + "22222222", 160, (byte) 0xff);

        assertNull(RtpPacket.validate(p, p.length));
        assertEquals(2, RtpPacket.csrcCount(p));
        assertEquals(20, RtpPacket.payloadOffset(p, p.length));
        assertEquals(160, RtpPacket.payloadLength(p, p.length));
        assertEquals(0xdeadbeefL, RtpPacket.ssrc(p));
    }

    @Test
    void headerExtensionIsSkipped() {
        // RFC 8285 4.2 one-byte header extension: profile 0xBEDE, one 32-bit word: ID 1, L=0, one byte of data 0xAA.
        byte[] p = withPayload("90000001000000a0deadbeef" + "bede0001" + "10aa0000", 160, (byte) 0xff);

        assertNull(RtpPacket.validate(p, p.length));
        assertTrue(RtpPacket.hasExtension(p));
        assertEquals(20, RtpPacket.payloadOffset(p, p.length));
        assertEquals(160, RtpPacket.payloadLength(p, p.length));
    }

    @Test
    void csrcsAndExtensionTogether() {
        // CC=1 and X=1 with an empty extension (length 0 words): 12 + 4 + 4.
        byte[] p = withPayload("91000001000000a0deadbeef" + "11111111" + "10000000", 8, (byte) 0xff);

        assertNull(RtpPacket.validate(p, p.length));
        assertEquals(20, RtpPacket.headerLength(p, p.length));
        assertEquals(8, RtpPacket.payloadLength(p, p.length));
    }

    @Test
    void paddingIsNotPayload() {
        // P=1: 160 bytes of audio, then 4 bytes of padding whose last octet counts them (RFC 3550 5.1).
        byte[] p = withPayload("a0000001000000a0deadbeef", 164, (byte) 0xff);
        p[p.length - 4] = 0;
        p[p.length - 3] = 0;
        p[p.length - 2] = 0;
        p[p.length - 1] = 4;

        assertNull(RtpPacket.validate(p, p.length));
        assertTrue(RtpPacket.hasPadding(p));
        assertEquals(12, RtpPacket.payloadOffset(p, p.length));
        assertEquals(160, RtpPacket.payloadLength(p, p.length));
    }

    @Test
    void aPacketOfNothingButPaddingHasNoPayload() {
        byte[] p = withPayload("a0000001000000a0deadbeef", 4, (byte) 0);
        p[p.length - 1] = 4;

        assertNull(RtpPacket.validate(p, p.length));
        assertEquals(0, RtpPacket.payloadLength(p, p.length));
    }

    @Test
    void onlyTheGivenLengthCounts() {
        // A receive buffer larger than the datagram: the tail beyond length is not part of the packet.
        byte[] buffer = Arrays.copyOf(PCMU_PACKET, 1500);

        assertNull(RtpPacket.validate(buffer, PCMU_PACKET.length));
        assertEquals(160, RtpPacket.payloadLength(buffer, PCMU_PACKET.length));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
                    empty datagram                          |                                              | shorter than an RTP header
                    11 bytes                                | 80000001000000a0deadbe                       | shorter than an RTP header
                    version 0                               | 00000001000000a0deadbeef                     | RTP version 0
                    version 1                               | 40000001000000a0deadbeef                     | RTP version 1
                    version 3                               | c0000001000000a0deadbeef                     | RTP version 3
                    CSRC count 1 without the CSRC           | 81000001000000a0deadbeef                     | CSRC list or header extension runs past the datagram
                    CSRC count 15 with only 14 CSRCs        | 8f000001000000a0deadbeef%CSRC14              | CSRC list or header extension runs past the datagram
                    extension flag without its header       | 90000001000000a0deadbeef                     | CSRC list or header extension runs past the datagram
                    extension header cut short              | 90000001000000a0deadbeefbede                 | CSRC list or header extension runs past the datagram
                    extension of 2 words with only 1        | 90000001000000a0deadbeefbede000210aa0000     | CSRC list or header extension runs past the datagram
                    padding count 0                         | a0000001000000a0deadbeefffffff00             | bad padding
                    padding longer than the payload         | a0000001000000a0deadbeefffffff05             | bad padding
                    padding flag on a bare header           | a0000001000000a0deadbeef                     | bad padding
                    """)
    void rejectsDatagramsThatAreNotUsableRtp(String what, String packetHex, String reason) {
        byte[] p = packetHex == null ? new byte[0] : hex(packetHex.replace("%CSRC14", "00000000".repeat(14)));

        assertEquals(reason, RtpPacket.validate(p, p.length), what);
    }
}
