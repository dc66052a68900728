package dev.softswitch.codecs;

import java.util.Locale;
import java.util.Objects;

/**
 * One audio codec as SDP names it: encoding name, static RTP payload type, and the RTP clock rate
 * kept apart from the audio sample rate, because they differ for G.722 ({@code G722/8000} on the
 * wire, 16 kHz audio; RFC 3551 4.5.2).
 *
 * @param encodingName the SDP {@code a=rtpmap} encoding name, such as {@code PCMU}
 * @param payloadType the static payload type of RFC 3551 table 4 (0..127), or -1 when dynamic
 * @param rtpClockRate the RTP timestamp clock rate in Hz
 * @param sampleRate the audio sample rate in Hz
 * @param channels the number of audio channels
 */
public record CodecInfo(String encodingName, int payloadType, int rtpClockRate, int sampleRate, int channels) {

    /** ITU-T G.711 mu-law, RFC 3551 4.5.14: payload type 0, 8 kHz, mono. */
    public static final CodecInfo PCMU = new CodecInfo("PCMU", 0, 8000, 8000, 1);

    /** ITU-T G.711 A-law, RFC 3551 4.5.14: payload type 8, 8 kHz, mono. */
    public static final CodecInfo PCMA = new CodecInfo("PCMA", 8, 8000, 8000, 1);

    /**
     * ITU-T G.722 at 64 kbit/s, RFC 3551 4.5.2: payload type 9, {@code G722/8000} in SDP for
     * historical reasons, but 16 kHz audio; the RTP timestamp advances 160 per 20 ms frame of 320
     * samples and 160 octets.
     */
    public static final CodecInfo G722 = new CodecInfo("G722", 9, 8000, 16000, 1);

    public CodecInfo {
        Objects.requireNonNull(encodingName, "encodingName");
        if (encodingName.isBlank()) {
            throw new IllegalArgumentException("encodingName is blank");
        }
        if (payloadType < -1 || payloadType > 127) {
            throw new IllegalArgumentException(
                    "payloadType " + payloadType + " is neither -1 (dynamic) nor a 7-bit RTP payload type");
        }
        if (rtpClockRate <= 0 || sampleRate <= 0) {
            throw new IllegalArgumentException(
                    "rates must be positive: rtpClockRate " + rtpClockRate + ", sampleRate " + sampleRate);
        }
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be at least 1, not " + channels);
        }
    }

    /** Audio samples per channel in {@code ms} milliseconds, at {@link #sampleRate()}. */
    public int samplesPerFrame(int ms) {
        return perMillis(sampleRate, ms, "sample rate");
    }

    /** How far the RTP timestamp advances over {@code ms} milliseconds, at {@link #rtpClockRate()}. */
    public int rtpTimestampIncrement(int ms) {
        return perMillis(rtpClockRate, ms, "RTP clock rate");
    }

    /**
     * Payload bytes of one {@code ms} millisecond frame: one byte per sample for G.711 (PCMU, PCMA),
     * 64 kbit/s for G.722 (RFC 3551 4.5.2).
     *
     * @throws UnsupportedOperationException for a codec whose frame size this class does not know
     */
    public int payloadBytes(int ms) {
        return switch (encodingName.toUpperCase(Locale.ROOT)) {
            case "PCMU", "PCMA" -> samplesPerFrame(ms) * channels;
            case "G722" -> perMillis(8000, ms, "G.722 byte rate") * channels;
            default -> throw new UnsupportedOperationException("payload size of " + this + " is not known");
        };
    }

    private static int perMillis(int ratePerSecond, int ms, String what) {
        if (ms < 0) {
            throw new IllegalArgumentException("frame length must not be negative: " + ms + " ms");
        }
        long units = (long) ratePerSecond * ms;
        if (units % 1000 != 0 || units / 1000 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    ms + " ms is not a whole number of units at " + what + " " + ratePerSecond + " Hz");
        }
        return (int) (units / 1000);
    }

    /** The SDP form, for example {@code PCMU/8000} or {@code G722/8000 (16000 Hz audio)}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(encodingName).append('/').append(rtpClockRate);
        if (channels != 1) {
            s.append('/').append(channels);
        }
        if (sampleRate != rtpClockRate) {
            s.append(" (").append(sampleRate).append(" Hz audio)");
        }
        if (payloadType >= 0) {
            s.append(" pt ").append(payloadType);
        }
        return s.toString();
    }
}
