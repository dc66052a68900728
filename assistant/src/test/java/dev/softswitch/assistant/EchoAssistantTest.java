package dev.softswitch.assistant;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

class EchoAssistantTest {

    private static final CallFacts CALL = new CallFacts("call-1", "sip:alice@127.0.0.1", "echo", "echo", "PCMU", 8000);

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<String> hangups = new CopyOnWriteArrayList<>();
    private final QueueMediaPort port = new QueueMediaPort(CALL.frameSamples(), hangups::add);

    @AfterEach
    void stop() throws InterruptedException {
        port.close();
        executor.shutdownNow();
        assertTrue(executor.awaitTermination(5, TimeUnit.SECONDS));
    }

    @Test
    void callerFramesComeBackUnchangedAndInOrder() {
        Future<?> echo = AssistantRunner.start(new EchoAssistant(), CALL, port, executor);
        List<short[]> sent = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            short[] frame = new short[CALL.frameSamples()];
            for (int n = 0; n < frame.length; n++) {
                frame[n] = (short) (i * 1000 + n);
            }
            sent.add(frame.clone());
            port.offerFromCaller(frame);
        }

        List<short[]> back = new ArrayList<>();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            short[] frame = port.pollToCaller();
            if (frame != null) {
                back.add(frame);
            }
            return back.size() == sent.size();
        });

        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), back.get(i), "frame " + i);
        }
        assertNull(port.pollToCaller(), "nothing more than was sent");
        assertFalse(echo.isDone(), "echo keeps listening while the call is up");
    }

    @Test
    void aBacklogIsDroppedSoTheEchoNeverFallsBehind() {
        QueueMediaPort call = new QueueMediaPort(
                CALL.frameSamples(), QueueMediaPort.DEFAULT_FROM_CALLER_FRAMES, EchoAssistant.PLAYOUT_FRAMES, r -> {});
        AssistantRunner.start(new EchoAssistant(), CALL, call, executor);
        for (int i = 0; i < 10; i++) { // a stall: ten frames arrive at once, none sent meanwhile
            short[] frame = new short[CALL.frameSamples()];
            frame[0] = (short) i;
            call.offerFromCaller(frame);
        }
        // The echo reads all ten at once: six wait toward the caller, then the seventh finds them a backlog, which is
        // dropped; the echo goes on from there.
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> call.queuedFrames() == 4);

        List<Short> back = new ArrayList<>();
        for (short[] frame = call.pollToCaller(); frame != null; frame = call.pollToCaller()) {
            back.add(frame[0]);
        }
        assertEquals(
                List.of((short) 6, (short) 7, (short) 8, (short) 9), back, "the backlog was dropped, not the news");

        short[] next = new short[CALL.frameSamples()];
        next[0] = 42;
        call.offerFromCaller(next);
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            short[] frame = call.pollToCaller();
            return frame != null && frame[0] == 42;
        });
        call.close();
    }

    @Test
    void aStandingBacklogShrinksByOneFrameAndNoMore() throws InterruptedException {
        // Two frames handed over in one tick, then one a tick for four seconds: one frame always waits.
        TickedPort port = new TickedPort("FF" + "TF".repeat(4 * EchoAssistant.STANDING_WINDOW_FRAMES));
        new EchoAssistant().run(CALL, port);
        assertEquals(1, port.leftOut(), "the standing frame was left out once");
        assertEquals(0, port.fewestWaitingAtTheEnd(), "and nothing waits when a frame is handed over any more");
    }

    @Test
    void burstsThatDrainBetweenThemLoseNothing() throws InterruptedException {
        // 100 ms chunks (Exotel): five frames at once, then five ticks that send them.
        TickedPort port = new TickedPort("FFFFFTTTTT".repeat(60));
        new EchoAssistant().run(CALL, port);
        assertEquals(0, port.leftOut());
        assertEquals(300, port.sent());
    }

    /**
     * A port driven by a script, so the echo's view of its queue is exact: {@code F} hands the echo the caller's next
     * frame, {@code T} is a tick of the pacer, which sends one waiting frame. Closed when the script ends.
     */
    private static final class TickedPort implements MediaPort {
        private final String script;
        private final java.util.ArrayDeque<short[]> toCaller = new java.util.ArrayDeque<>();
        private int at;
        private int read;
        private int offered;
        private int sent;
        private int fewestLately = Integer.MAX_VALUE;

        TickedPort(String script) {
            this.script = script;
        }

        @Override
        public short[] read(Duration timeout) {
            while (at < script.length()) {
                char c = script.charAt(at++);
                if (c == 'T') {
                    if (toCaller.poll() != null) {
                        sent++;
                    }
                } else {
                    read++;
                    if (script.length() - at < 2 * EchoAssistant.STANDING_WINDOW_FRAMES) {
                        fewestLately = Math.min(fewestLately, toCaller.size());
                    }
                    return new short[CALL.frameSamples()];
                }
            }
            return null;
        }

        int leftOut() {
            return read - offered;
        }

        int sent() {
            return sent + toCaller.size();
        }

        int fewestWaitingAtTheEnd() {
            return fewestLately;
        }

        @Override
        public boolean offer(short[] frame) {
            if (toCaller.size() == EchoAssistant.PLAYOUT_FRAMES) {
                return false;
            }
            offered++;
            return toCaller.add(frame);
        }

        @Override
        public int queuedFrames() {
            return toCaller.size();
        }

        @Override
        public void clear() {
            toCaller.clear();
        }

        @Override
        public boolean isOpen() {
            return at < script.length();
        }

        @Override
        public void write(short[] frame) {
            offer(frame);
        }

        @Override
        public void mark(String name, PlayoutMark listener) {}

        @Override
        public void sendDigits(String digits) {}

        @Override
        public DtmfEvent pollDtmf() {
            return null;
        }

        @Override
        public String pollText() {
            return null;
        }

        @Override
        public void hangup(String reason) {}

        @Override
        public void fail(String reason) {}

        @Override
        public void transfer(String target, TransferFailed failed) {}
    }

    @Test
    void stopsWhenTheCallerHangsUp() throws Exception {
        Future<?> echo = AssistantRunner.start(new EchoAssistant(), CALL, port, executor);
        port.offerFromCaller(new short[CALL.frameSamples()]);
        await().atMost(Duration.ofSeconds(5)).until(() -> port.pollToCaller() != null);

        port.close();

        echo.get(5, TimeUnit.SECONDS);
        assertEquals(List.of(), hangups, "the caller ended the call; the assistant has nothing to hang up");
    }

    @Test
    void answersToEcho() {
        assertEquals("echo", new EchoAssistant().id());
    }
}
