package dev.softswitch.codecs;

import java.util.Arrays;
import java.util.Objects;

/**
 * 16-bit PCM audio as read from or written to a WAV file; {@code samples} are interleaved by
 * channel and are not copied, so the record shares the array it was given.
 *
 * @param samples interleaved 16-bit samples, {@code channels} per frame
 * @param sampleRate frames per second
 * @param channels samples per frame
 */
@SuppressWarnings("ArrayRecordComponent") // audio is large; equals/hashCode/toString below use the content
public record WavAudio(short[] samples, int sampleRate, int channels) {

    public WavAudio {
        Objects.requireNonNull(samples, "samples");
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sampleRate must be positive, not " + sampleRate);
        }
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be at least 1, not " + channels);
        }
        if (samples.length % channels != 0) {
            throw new IllegalArgumentException(
                    samples.length + " samples do not make whole frames of " + channels + " channels");
        }
    }

    /** The number of frames (samples per channel). */
    public int frames() {
        return samples.length / channels;
    }

    /** The samples of one channel (0-based), de-interleaved into a new array. */
    public short[] channel(int channel) {
        Objects.checkIndex(channel, channels);
        short[] out = new short[frames()];
        for (int i = 0; i < out.length; i++) {
            out[i] = samples[i * channels + channel];
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WavAudio other
                && sampleRate == other.sampleRate
                && channels == other.channels
                && Arrays.equals(samples, other.samples);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(samples), sampleRate, channels);
    }

    @Override
    public String toString() {
        return "WavAudio[" + frames() + " frames, " + sampleRate + " Hz, " + channels + " channel(s)]";
    }
}
