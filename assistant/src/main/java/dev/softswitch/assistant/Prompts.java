package dev.softswitch.assistant;

import dev.softswitch.codecs.ToneGenerator;
import dev.softswitch.codecs.Wav;
import dev.softswitch.codecs.WavAudio;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/** Audio played to callers by the softswitch itself: greetings and error messages from WAV files, and the SIT. */
public final class Prompts {

    private Prompts() {}

    /**
     * The special information tone (ITU-T E.180 Annex, ANSI T1.401): 913.8, 1370.6 and 1776.7 Hz for 274, 274 and 380
     * ms, then 300 ms of silence. Every phone user knows it means "this call cannot go on"; it is what a caller hears
     * when an assistant fails and no error message recording is configured.
     */
    public static Prompt specialInformationTone() {
        int sampleRate = 16000;
        int[] millis = {274, 274, 380, 300};
        double[] hz = {913.8, 1370.6, 1776.7, 0};
        int total = 0;
        for (int ms : millis) {
            total += sampleRate * ms / 1000;
        }
        short[] out = new short[total];
        int at = 0;
        for (int i = 0; i < millis.length; i++) {
            int n = sampleRate * millis[i] / 1000;
            if (hz[i] > 0) {
                short[] tone = new ToneGenerator(hz[i], sampleRate, 0.25).next(n);
                System.arraycopy(tone, 0, out, at, n);
            }
            at += n;
        }
        return new Prompt(out, sampleRate);
    }

    /**
     * A WAV file (16-bit PCM, mono or stereo mixed down, 8, 16, 24 or 48 kHz) as a mono prompt at its own rate.
     *
     * @throws IOException when the file cannot be read or is not such a WAV, with the file named
     */
    public static Prompt wav(Path file) throws IOException {
        WavAudio audio;
        try {
            audio = Wav.read(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        } catch (IOException e) {
            throw new IOException(file + ": cannot be read (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a 16-bit PCM WAV file (" + e.getMessage() + ")", e);
        }
        short[] mono = audio.channels() == 1 ? audio.samples() : mix(audio);
        int rate = audio.sampleRate();
        if (rate != 8000 && rate != 16000 && rate != 24000 && rate != 48000) {
            throw new IOException(file + ": " + rate + " Hz is not supported (use 8000, 16000, 24000 or 48000)");
        }
        return new Prompt(mono, rate);
    }

    /** Cuts {@code samples} into 20 ms frames of {@code frameSamples}, the last one padded with silence. */
    public static short[][] frames(short[] samples, int frameSamples) {
        int count = Math.ceilDiv(samples.length, frameSamples);
        short[][] frames = new short[count][];
        for (int i = 0; i < count; i++) {
            frames[i] = Arrays.copyOfRange(samples, i * frameSamples, (i + 1) * frameSamples);
        }
        return frames;
    }

    private static short[] mix(WavAudio audio) {
        short[] out = new short[audio.frames()];
        int channels = audio.channels();
        short[] in = audio.samples();
        for (int i = 0; i < out.length; i++) {
            int sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += in[i * channels + c];
            }
            out[i] = (short) (sum / channels);
        }
        return out;
    }
}
