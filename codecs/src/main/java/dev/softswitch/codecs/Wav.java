package dev.softswitch.codecs;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads and writes 16-bit PCM RIFF WAV files (Microsoft's "Multimedia Programming Interface and Data
 * Specifications 1.0" and its WAVE_FORMAT_EXTENSIBLE addition). Reading skips chunks it does not
 * need ({@code LIST}, {@code fact}, ...), honours the pad byte after an odd-sized chunk, and rejects
 * every other encoding with a {@link WavFormatException} naming what it found.
 */
public final class Wav {

    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;
    // KSDATAFORMAT_SUBTYPE_* GUIDs: the format tag in the first two bytes, then this fixed tail.
    private static final byte[] SUBFORMAT_GUID_TAIL = {
        0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71
    };
    private static final int HEADER_BYTES = 44;

    private Wav() {}

    /**
     * Writes {@code samples} (interleaved, {@code channels} per frame) as a canonical 44-byte-header
     * 16-bit PCM WAV file. The stream is neither flushed nor closed.
     */
    public static void write(OutputStream out, short[] samples, int sampleRate, int channels) throws IOException {
        new WavAudio(samples, sampleRate, channels); // validates
        long dataBytes = 2L * samples.length;
        if (dataBytes > 0xFFFF_FFFFL - (HEADER_BYTES - 8)) {
            throw new IllegalArgumentException(samples.length + " samples do not fit in a WAV file");
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.put(ascii("RIFF")).putInt((int) (HEADER_BYTES - 8 + dataBytes)).put(ascii("WAVE"));
        header.put(ascii("fmt ")).putInt(16);
        header.putShort((short) FORMAT_PCM).putShort((short) channels).putInt(sampleRate);
        header.putInt(sampleRate * channels * 2)
                .putShort((short) (channels * 2))
                .putShort((short) 16);
        header.put(ascii("data")).putInt((int) dataBytes);
        out.write(header.array());
        out.write(Pcm.toLittleEndian(samples));
    }

    /** The bytes of the WAV file {@link #write} would write. */
    public static byte[] toBytes(short[] samples, int sampleRate, int channels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(HEADER_BYTES + 2 * samples.length);
        try {
            write(out, samples, sampleRate, channels);
        } catch (IOException e) {
            throw new AssertionError("ByteArrayOutputStream does not throw", e);
        }
        return out.toByteArray();
    }

    /** Reads a 16-bit PCM WAV file. */
    public static WavAudio read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    /** Reads a 16-bit PCM WAV file held in memory. */
    public static WavAudio read(byte[] wav) {
        try {
            return read(new ByteArrayInputStream(wav));
        } catch (IOException e) {
            throw new AssertionError("ByteArrayInputStream does not throw", e);
        }
    }

    /**
     * Reads a 16-bit PCM WAV file from {@code in}, up to the end of its {@code data} chunk; the
     * stream is not closed. A {@code data} chunk cut short, as a program streaming to a pipe leaves
     * it, gives the whole frames present.
     *
     * @throws WavFormatException if the file is not RIFF WAVE, is truncated before its data, or is
     *     not 16-bit PCM
     */
    public static WavAudio read(InputStream in) throws IOException {
        byte[] riff = readFully(in, 12, "inside the RIFF header");
        String riffId = fourCc(riff, 0);
        if (!riffId.equals("RIFF") || !fourCc(riff, 8).equals("WAVE")) {
            throw new WavFormatException("not a RIFF WAVE file: it starts with '" + riffId + "' and the form type is '"
                    + fourCc(riff, 8) + "'" + (riffId.equals("RIFX") ? " (big-endian RIFX is not supported)" : ""));
        }
        Format format = null;
        while (true) {
            byte[] chunkHeader = readFully(in, 8, format == null ? "before the fmt chunk" : "before the data chunk");
            String id = fourCc(chunkHeader, 0);
            long size = Integer.toUnsignedLong(ByteBuffer.wrap(chunkHeader, 4, 4)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .getInt());
            switch (id) {
                case "fmt " -> {
                    if (size < 16 || size > 1024) {
                        throw new WavFormatException("fmt chunk of " + size + " bytes; expected 16 to 1024");
                    }
                    format = Format.parse(readFully(in, (int) size, "inside the fmt chunk"));
                    skipPad(in, size);
                }
                case "data" -> {
                    if (format == null) {
                        throw new WavFormatException("data chunk before the fmt chunk");
                    }
                    return format.samples(in, size);
                }
                default -> {
                    skip(in, size + (size & 1), "'" + id + "' chunk");
                }
            }
        }
    }

    /** The parts of a {@code fmt } chunk that matter here, checked to be 16-bit PCM. */
    private record Format(int channels, int sampleRate) {

        static Format parse(byte[] fmt) {
            ByteBuffer b = ByteBuffer.wrap(fmt).order(ByteOrder.LITTLE_ENDIAN);
            int tag = Short.toUnsignedInt(b.getShort(0));
            int channels = Short.toUnsignedInt(b.getShort(2));
            long sampleRate = Integer.toUnsignedLong(b.getInt(4));
            int blockAlign = Short.toUnsignedInt(b.getShort(12));
            int bits = Short.toUnsignedInt(b.getShort(14));
            int effectiveTag = tag;
            if (tag == FORMAT_EXTENSIBLE) {
                if (fmt.length < 40) {
                    throw new WavFormatException(
                            "WAVE_FORMAT_EXTENSIBLE fmt chunk of " + fmt.length + " bytes; expected 40");
                }
                effectiveTag = Short.toUnsignedInt(b.getShort(24));
                if (!Arrays.equals(fmt, 26, 40, SUBFORMAT_GUID_TAIL, 0, SUBFORMAT_GUID_TAIL.length)) {
                    throw new WavFormatException("WAVE_FORMAT_EXTENSIBLE with a sub-format GUID that is not a "
                            + "standard format tag; only 16-bit PCM is supported");
                }
            }
            if (effectiveTag != FORMAT_PCM || bits != 16) {
                throw new WavFormatException("unsupported WAV encoding: " + describe(tag, effectiveTag) + ", " + bits
                        + " bits per sample; only 16-bit PCM is supported");
            }
            if (channels < 1 || sampleRate < 1 || sampleRate > Integer.MAX_VALUE || blockAlign != 2 * channels) {
                throw new WavFormatException("inconsistent fmt chunk: " + channels + " channels, " + sampleRate
                        + " Hz, block align " + blockAlign);
            }
            return new Format(channels, (int) sampleRate);
        }

        WavAudio samples(InputStream in, long size) throws IOException {
            int want = (int) Math.min(size, Integer.MAX_VALUE - 8);
            byte[] data = in.readNBytes(want);
            int frameBytes = 2 * channels;
            int usable = data.length - data.length % frameBytes;
            return new WavAudio(Pcm.fromLittleEndian(data, 0, usable), sampleRate, channels);
        }

        private static String describe(int tag, int effectiveTag) {
            String name = formatName(effectiveTag);
            return tag == FORMAT_EXTENSIBLE ? "WAVE_FORMAT_EXTENSIBLE with sub-format " + name : "format tag " + name;
        }

        private static String formatName(int tag) {
            String name =
                    switch (tag) {
                        case 1 -> "PCM";
                        case 2 -> "Microsoft ADPCM";
                        case 3 -> "IEEE float";
                        case 6 -> "A-law";
                        case 7 -> "mu-law";
                        case 0x11 -> "IMA ADPCM";
                        case 0x31 -> "GSM 6.10";
                        case 0x55 -> "MPEG layer 3";
                        default -> "unknown";
                    };
            return tag + " (" + name + ")";
        }
    }

    private static byte[] readFully(InputStream in, int n, String where) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new WavFormatException("truncated WAV file: it ends " + where);
        }
        return bytes;
    }

    private static void skip(InputStream in, long n, String what) throws IOException {
        try {
            in.skipNBytes(n);
        } catch (EOFException e) {
            throw new WavFormatException("truncated WAV file: it ends inside the " + what + " before the data chunk");
        }
    }

    private static void skipPad(InputStream in, long size) throws IOException {
        if ((size & 1) != 0) {
            skip(in, 1, "pad byte");
        }
    }

    private static String fourCc(byte[] bytes, int offset) {
        return new String(bytes, offset, 4, StandardCharsets.ISO_8859_1);
    }

    private static byte[] ascii(String fourCc) {
        return fourCc.getBytes(StandardCharsets.US_ASCII);
    }
}
