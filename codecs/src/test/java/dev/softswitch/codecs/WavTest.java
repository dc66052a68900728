package dev.softswitch.codecs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavTest {

    @Test
    void monoRoundTripThroughBytesStreamAndFile(@TempDir Path dir) throws IOException {
        short[] samples = new ToneGenerator(440, 8000, 0.5).next(1601);
        WavAudio expected = new WavAudio(samples, 8000, 1);
        byte[] bytes = Wav.toBytes(samples, 8000, 1);
        assertEquals(44 + 2 * 1601, bytes.length);
        assertEquals(expected, Wav.read(bytes));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Wav.write(out, samples, 8000, 1);
        assertArrayEquals(bytes, out.toByteArray());
        assertEquals(expected, Wav.read(new ByteArrayInputStream(out.toByteArray())));

        Path file = dir.resolve("tone.wav");
        java.nio.file.Files.write(file, bytes);
        assertEquals(expected, Wav.read(file));
    }

    @Test
    void stereoRoundTrip() {
        short[] interleaved = {1, -1, 2, -2, Short.MAX_VALUE, Short.MIN_VALUE};
        WavAudio audio = Wav.read(Wav.toBytes(interleaved, 48000, 2));
        assertEquals(new WavAudio(interleaved, 48000, 2), audio);
        assertEquals(3, audio.frames());
        assertArrayEquals(new short[] {1, 2, Short.MAX_VALUE}, audio.channel(0));
        assertArrayEquals(new short[] {-1, -2, Short.MIN_VALUE}, audio.channel(1));
    }

    @Test
    void writeRejectsPartialFrames() {
        assertThrows(IllegalArgumentException.class, () -> Wav.toBytes(new short[3], 8000, 2));
        assertThrows(IllegalArgumentException.class, () -> Wav.toBytes(new short[2], 0, 1));
    }

    @Test
    void readsAToneWrittenBySoxAndWritesTheSameBytes() {
        byte[] sox = Golden.bytes("sox-tone-1000hz.wav");
        WavAudio audio = Wav.read(sox);
        assertEquals(8000, audio.sampleRate());
        assertEquals(1, audio.channels());
        assertEquals(800, audio.frames());
        short[] s = audio.samples();
        assertTrue(Goertzel.relativePower(s, 0, s.length, 1000, 8000) > 0.99);
        assertEquals(0.125, Goertzel.power(s, 0, s.length, 1000, 8000), 0.005); // sox "vol 0.5"
        assertArrayEquals(sox, Wav.toBytes(s, 8000, 1));
    }

    @Test
    void readsStereoWrittenBySox() {
        WavAudio audio = Wav.read(Golden.bytes("sox-stereo.wav"));
        assertEquals(2, audio.channels());
        assertEquals(400, audio.frames());
        short[] left = audio.channel(0);
        short[] right = audio.channel(1);
        assertTrue(Goertzel.relativePower(left, 0, left.length, 440, 8000) > 0.99);
        assertTrue(Goertzel.relativePower(right, 0, right.length, 1000, 8000) > 0.99);
        assertTrue(Goertzel.relativePower(left, 0, left.length, 1000, 8000) < 0.01);
    }

    @Test
    void readsWaveFormatExtensibleWith16BitPcmWrittenBySox() {
        byte[] sox = Golden.bytes("sox-3ch-16bit.wav");
        assertEquals(
                0xFFFE,
                Short.toUnsignedInt(
                        ByteBuffer.wrap(sox).order(ByteOrder.LITTLE_ENDIAN).getShort(20)));
        WavAudio audio = Wav.read(sox);
        assertEquals(3, audio.channels());
        assertEquals(80, audio.frames());
        short[] third = audio.channel(2);
        assertTrue(Goertzel.relativePower(third, 0, third.length, 900, 8000) > 0.95);
    }

    @Test
    void rejectsMuLawWavWrittenBySox() {
        WavFormatException e = assertThrows(WavFormatException.class, () -> Wav.read(Golden.bytes("sox-ulaw.wav")));
        assertEquals(
                "unsupported WAV encoding: format tag 7 (mu-law), 8 bits per sample; only 16-bit PCM is supported",
                e.getMessage());
    }

    @Test
    void skipsUnknownChunksAndOddSizePadding() {
        short[] samples = {100, -200, 300};
        byte[] wav = riff(
                chunk("JUNK", new byte[3]), // odd: one pad byte follows
                fmt(1, 1, 16000, 16),
                chunk("LIST", "INFOISFT\u0005\0\0\0sox!\0".getBytes(StandardCharsets.ISO_8859_1)),
                chunk("fact", new byte[] {3, 0, 0, 0}),
                chunk("data", Pcm.toLittleEndian(samples)),
                chunk("LIST", new byte[7]));
        assertEquals(new WavAudio(samples, 16000, 1), Wav.read(wav));
    }

    @Test
    void rejectsOtherEncodingsSayingWhatWasFound() {
        assertEquals(
                "unsupported WAV encoding: format tag 1 (PCM), 8 bits per sample; only 16-bit PCM is supported",
                rejection(riff(fmt(1, 1, 8000, 8), chunk("data", new byte[4]))));
        assertEquals(
                "unsupported WAV encoding: format tag 1 (PCM), 24 bits per sample; only 16-bit PCM is supported",
                rejection(riff(fmt(1, 2, 8000, 24), chunk("data", new byte[6]))));
        assertEquals(
                "unsupported WAV encoding: format tag 3 (IEEE float), 32 bits per sample;"
                        + " only 16-bit PCM is supported",
                rejection(riff(fmt(3, 1, 8000, 32), chunk("data", new byte[4]))));
        assertEquals(
                "unsupported WAV encoding: WAVE_FORMAT_EXTENSIBLE with sub-format 3 (IEEE float),"
                        + " 32 bits per sample; only 16-bit PCM is supported",
                rejection(riff(extensible(3, 32), chunk("data", new byte[4]))));
        assertEquals(
                "unsupported WAV encoding: format tag 6 (A-law), 8 bits per sample; only 16-bit PCM is supported",
                rejection(riff(fmt(6, 1, 8000, 8), chunk("data", new byte[4]))));
    }

    @Test
    void acceptsHandMadeExtensible16BitPcm() {
        short[] samples = {1, 2, 3, 4};
        assertEquals(
                new WavAudio(samples, 8000, 1),
                Wav.read(riff(extensible(1, 16), chunk("data", Pcm.toLittleEndian(samples)))));
    }

    @Test
    void rejectsWhatIsNotAWavFile() {
        assertTrue(rejection("hello, this is not a wav".getBytes(StandardCharsets.US_ASCII))
                .startsWith("not a RIFF WAVE file: it starts with 'hell'"));
        assertTrue(rejection(new byte[5]).startsWith("truncated WAV file"));
        assertEquals("data chunk before the fmt chunk", rejection(riff(chunk("data", new byte[2]))));
        assertTrue(rejection(riff(fmt(1, 1, 8000, 16))).startsWith("truncated WAV file"));
        byte[] rifx = Wav.toBytes(new short[2], 8000, 1);
        rifx[3] = 'X';
        assertTrue(rejection(rifx).contains("big-endian RIFX"));
    }

    @Test
    void dataChunkCutShortGivesTheWholeFramesPresent() {
        byte[] full = Wav.toBytes(new short[] {10, 20, 30, 40}, 8000, 2);
        byte[] cut = Arrays.copyOf(full, full.length - 3); // the last frame loses 3 of its 4 bytes
        assertEquals(new WavAudio(new short[] {10, 20}, 8000, 2), Wav.read(cut));
    }

    private static String rejection(byte[] wav) {
        return assertThrows(WavFormatException.class, () -> Wav.read(wav)).getMessage();
    }

    private static byte[] fmt(int tag, int channels, int sampleRate, int bits) {
        int blockAlign = channels * bits / 8;
        ByteBuffer body = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        body.putShort((short) tag).putShort((short) channels).putInt(sampleRate);
        body.putInt(sampleRate * blockAlign).putShort((short) blockAlign).putShort((short) bits);
        return chunk("fmt ", body.array());
    }

    private static byte[] extensible(int subFormat, int bits) {
        byte[] guidTail = {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71};
        ByteBuffer body = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        body.putShort((short) 0xFFFE).putShort((short) 1).putInt(8000).putInt(8000 * bits / 8);
        body.putShort((short) (bits / 8)).putShort((short) bits);
        body.putShort((short) 22).putShort((short) bits).putInt(4); // cbSize, valid bits, front centre
        body.putShort((short) subFormat).put(guidTail);
        return chunk("fmt ", body.array());
    }

    private static byte[] chunk(String id, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(8 + body.length + (body.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(id.getBytes(StandardCharsets.US_ASCII)).putInt(body.length).put(body);
        return b.array();
    }

    private static byte[] riff(byte[]... chunks) {
        int size = 4 + Arrays.stream(chunks).mapToInt(c -> c.length).sum();
        ByteBuffer b = ByteBuffer.allocate(8 + size).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(size).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        for (byte[] c : chunks) {
            b.put(c);
        }
        return b.array();
    }
}
