package dev.softswitch.assistant;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softswitch.codecs.Goertzel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ToneAssistantTest {

    private static final int FRAMES = 12;

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<String> hangups = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        executor.shutdownNow();
        assertTrue(executor.awaitTermination(5, TimeUnit.SECONDS));
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {8000, 16000})
    void theCallerHears440HzInEveryFrameAndAcrossFrames(int rate) throws Exception {
        CallFacts call = new CallFacts("call-1", "sip:alice@127.0.0.1", "tone", "tone", "PCMU", rate);
        QueueMediaPort port = new QueueMediaPort(call.frameSamples(), hangups::add);
        Future<?> tone = AssistantRunner.start(new ToneAssistant(), call, port, executor);

        List<short[]> frames = pollFrames(port, FRAMES);
        port.close();
        tone.get(5, TimeUnit.SECONDS);

        for (int i = 0; i < frames.size(); i++) {
            short[] frame = frames.get(i);
            assertEquals(rate / 50, frame.length, "20 ms at " + rate + " Hz");
            double at440 = Goertzel.relativePower(frame, 0, frame.length, 440, rate);
            assertTrue(at440 > 0.9, "frame " + i + " at 440 Hz: " + at440);
            double at880 = Goertzel.relativePower(frame, 0, frame.length, 880, rate);
            assertTrue(at880 < 0.05, "frame " + i + " at 880 Hz: " + at880);
        }

        short[] joined = join(frames);
        double whole = Goertzel.relativePower(joined, 0, joined.length, 440, rate);
        assertTrue(whole > 0.99, "all frames together at 440 Hz: " + whole);
        assertPhaseContinuous(frames, rate);
        assertEquals(List.of(), hangups, "the tone plays until the caller hangs up");
    }

    @Test
    void aToneOfAnotherFrequencyAndIdCanBeConfigured() throws Exception {
        CallFacts call = new CallFacts("call-2", "sip:bob@127.0.0.1", "beep", "beep", "PCMU", 8000);
        QueueMediaPort port = new QueueMediaPort(call.frameSamples(), hangups::add);
        ToneAssistant beep = new ToneAssistant("beep", 1000, 0.5);
        Future<?> running = AssistantRunner.start(beep, call, port, executor);

        short[] joined = join(pollFrames(port, 4));
        port.close();
        running.get(5, TimeUnit.SECONDS);

        assertEquals("beep", beep.id());
        assertTrue(Goertzel.relativePower(joined, 0, joined.length, 1000, 8000) > 0.99);
        assertTrue(Goertzel.relativePower(joined, 0, joined.length, 440, 8000) < 0.01);
    }

    @Test
    void rejectsAToneThatCannotBePlayed() {
        assertThrows(IllegalArgumentException.class, () -> new ToneAssistant("t", 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new ToneAssistant("t", 440, 0));
        assertThrows(IllegalArgumentException.class, () -> new ToneAssistant("t", 440, 1.5));
    }

    /** Takes frames as the pacer would, one at a time; the assistant refills the queue as it drains. */
    private static List<short[]> pollFrames(QueueMediaPort port, int count) {
        List<short[]> frames = new ArrayList<>();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            short[] frame = port.pollToCaller();
            if (frame != null) {
                frames.add(frame);
            }
            return frames.size() == count;
        });
        return frames;
    }

    private static short[] join(List<short[]> frames) {
        int total = frames.stream().mapToInt(f -> f.length).sum();
        short[] joined = new short[total];
        int at = 0;
        for (short[] f : frames) {
            System.arraycopy(f, 0, joined, at, f.length);
            at += f.length;
        }
        return joined;
    }

    /**
     * A sine never steps further between two samples than its steepest slope allows; a phase restart at a frame
     * boundary (440 Hz does not fit a whole number of cycles into 20 ms) would jump far beyond that.
     */
    private static void assertPhaseContinuous(List<short[]> frames, int rate) {
        int largestStepInside = 0;
        for (short[] f : frames) {
            for (int n = 1; n < f.length; n++) {
                largestStepInside = Math.max(largestStepInside, Math.abs(f[n] - f[n - 1]));
            }
        }
        double peak = 0;
        for (short[] f : frames) {
            for (short s : f) {
                peak = Math.max(peak, Math.abs(s));
            }
        }
        double steepest = peak * 2 * Math.sin(Math.PI * 440 / rate);
        assertTrue(largestStepInside <= steepest + 2, "a step of " + largestStepInside + " inside a frame");
        for (int i = 1; i < frames.size(); i++) {
            short[] before = frames.get(i - 1);
            int step = Math.abs(frames.get(i)[0] - before[before.length - 1]);
            assertTrue(step <= steepest + 2, "step of " + step + " between frames " + (i - 1) + " and " + i);
        }
    }
}
