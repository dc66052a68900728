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
