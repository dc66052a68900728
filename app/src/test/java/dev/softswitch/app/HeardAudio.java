package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softswitch.codecs.Goertzel;

/** Checks on what a softphone heard (8 kHz PCM), shared by the integration tests. */
final class HeardAudio {

    private HeardAudio() {}

    /** The caller heard the SIT: 274 ms of 913.8 Hz, 274 ms of 1370.6 Hz and 380 ms of 1776.7 Hz. */
    static void assertSpecialInformationTone(short[] heard) {
        assertThat(framesDominatedBy(heard, 913.8))
                .as("20 ms frames of 913.8 Hz")
                .isBetween(10, 16);
        assertThat(framesDominatedBy(heard, 1370.6))
                .as("20 ms frames of 1370.6 Hz")
                .isBetween(10, 16);
        assertThat(framesDominatedBy(heard, 1776.7))
                .as("20 ms frames of 1776.7 Hz")
                .isBetween(15, 21);
    }

    /** How many 20 ms frames at 8 kHz are audible and mostly {@code hz}. */
    static int framesDominatedBy(short[] heard, double hz) {
        int count = 0;
        for (int at = 0; at + 160 <= heard.length; at += 160) {
            if (rms(heard, at, 160) > 300 && Goertzel.relativePower(heard, at, 160, hz, 8000) > 0.6) {
                count++;
            }
        }
        return count;
    }

    static double rms(short[] samples, int from, int length) {
        double sum = 0;
        for (int i = from; i < from + length; i++) {
            sum += (double) samples[i] * samples[i];
        }
        return Math.sqrt(sum / length);
    }
}
