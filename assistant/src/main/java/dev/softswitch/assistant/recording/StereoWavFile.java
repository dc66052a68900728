package dev.softswitch.assistant.recording;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * A 16-bit stereo PCM WAV file written as it goes: the canonical 44-byte header with placeholder sizes first, sample
 * frames through a buffer, the real sizes in {@link #finish}. Confined to the recorder's writer thread.
 */
final class StereoWavFile {

    static final int HEADER_BYTES = 44;
    private static final int CHANNELS = 2;
    private static final int FRAME_BYTES = 2 * CHANNELS;
    /**
     * The sizes written until the file is finished: "up to the end of the file", the value streaming writers use for a
     * pipe, so a file whose call crashed the process still reads ({@code Wav.read} takes the whole frames present).
     */
    private static final int SIZE_UNKNOWN = 0xFFFF_FFFF;
    /** The most sample frames a RIFF size (32 bits, counting the 36 header bytes after it) can describe. */
    static final long MAX_FRAMES = (0xFFFF_FFFFL - (HEADER_BYTES - 8)) / FRAME_BYTES;

    private static final int BUFFER_BYTES = 32 * 1024;

    private final SeekableByteChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private long frames;

    /** Writes the header with placeholder sizes at the start of {@code channel}. */
    StereoWavFile(SeekableByteChannel channel, int sampleRate) throws IOException {
        this.channel = channel;
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.put(ascii("RIFF")).putInt(SIZE_UNKNOWN).put(ascii("WAVE"));
        header.put(ascii("fmt ")).putInt(16);
        header.putShort((short) 1).putShort((short) CHANNELS).putInt(sampleRate); // 1 = PCM
        header.putInt(sampleRate * FRAME_BYTES).putShort((short) FRAME_BYTES).putShort((short) 16);
        header.put(ascii("data")).putInt(SIZE_UNKNOWN);
        channel.position(0);
        writeFully(header.flip());
    }

    /** Sample frames written so far (some may still be in the buffer). */
    long frames() {
        return frames;
    }

    /** Appends one sample frame; false, writing nothing, once the file holds {@link #MAX_FRAMES}. */
    boolean put(short left, short right) throws IOException {
        if (frames >= MAX_FRAMES) {
            return false;
        }
        if (buffer.remaining() < FRAME_BYTES) {
            flush();
        }
        buffer.putShort(left).putShort(right);
        frames++;
        return true;
    }

    /** Hands the buffered samples to the channel. */
    void flush() throws IOException {
        if (buffer.position() > 0) {
            writeFully(buffer.flip());
            buffer.clear();
        }
    }

    /** Flushes and writes the real RIFF and data sizes; nothing may be put afterwards. */
    void finish() throws IOException {
        flush();
        long dataBytes = frames * FRAME_BYTES;
        ByteBuffer size = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        channel.position(4);
        writeFully(size.putInt(0, (int) (dataBytes + HEADER_BYTES - 8)));
        channel.position(HEADER_BYTES - 4);
        writeFully(size.clear().putInt(0, (int) dataBytes));
    }

    void close() throws IOException {
        channel.close();
    }

    private void writeFully(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    private static byte[] ascii(String fourCc) {
        return fourCc.getBytes(StandardCharsets.US_ASCII);
    }
}
