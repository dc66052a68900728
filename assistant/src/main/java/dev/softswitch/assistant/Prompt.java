package dev.softswitch.assistant;

import dev.softswitch.codecs.Resampler;
import java.util.Arrays;
import java.util.Objects;

/**
 * A recording the softswitch plays to callers (a greeting, an error message), kept at its own rate and cut into 20 ms
 * frames at whatever rate a call needs.
 *
 * @param samples mono 16-bit PCM
 * @param sampleRate 8000, 16000, 24000 or 48000
 */
public record Prompt(short[] samples, int sampleRate) {

    public Prompt {
        Objects.requireNonNull(samples, "samples");
        Resampler.of(sampleRate, sampleRate); // throws for a rate the resampler does not know
    }

    /** The prompt as 20 ms frames at {@code rate}, the last one padded with silence. */
    public short[][] frames(int rate) {
        short[] audio = samples;
        if (rate != sampleRate) {
            int step = sampleRate / 100; // whole 10 ms are whole blocks for the resampler (44.1 kHz's too)
            audio = Resampler.of(sampleRate, rate)
                    .process(Arrays.copyOf(samples, Math.ceilDiv(samples.length, step) * step));
        }
        return Prompts.frames(audio, rate / 50);
    }

    /** Playing time in milliseconds. */
    public long millis() {
        return samples.length * 1000L / sampleRate;
    }
}
