package dev.softswitch.assistant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AssistantRunnerTest {

    private static final CallFacts CALL = new CallFacts("call-7", "sip:alice@127.0.0.1", "test", "test", "PCMU", 8000);

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<String> hangups = new CopyOnWriteArrayList<>();
    private final QueueMediaPort port = new QueueMediaPort(CALL.frameSamples(), hangups::add);

    @AfterEach
    void stop() throws InterruptedException {
        executor.shutdownNow();
        assertTrue(executor.awaitTermination(5, TimeUnit.SECONDS));
    }

    /** An assistant whose whole behaviour is one lambda. */
    private static Assistant assistant(ThrowingRun body) {
        return new Assistant() {
            @Override
            public String id() {
                return "test";
            }

            @Override
            public void run(CallFacts call, MediaPort port) throws Exception {
                body.run(call, port);
            }
        };
    }

    @FunctionalInterface
    private interface ThrowingRun {
        void run(CallFacts call, MediaPort port) throws Exception;
    }

    private void runToEnd(Assistant assistant) throws Exception {
        AssistantRunner.start(assistant, CALL, port, executor).get(5, TimeUnit.SECONDS);
    }

    @Test
    void anAssistantThatReturnsWhileTheCallIsUpHangsUpAsFinished() throws Exception {
        runToEnd(assistant((call, p) -> {}));

        assertEquals(List.of("assistant finished"), hangups);
        assertFalse(port.isOpen());
    }

    @Test
    void anAssistantThatThrowsHangsUpAsFailedNamingTheException() throws Exception {
        runToEnd(assistant((call, p) -> {
            throw new IllegalStateException("model unavailable");
        }));

        assertEquals(List.of("assistant failed: IllegalStateException"), hangups);
        assertFalse(port.isOpen());
    }

    @Test
    void aCheckedExceptionIsAFailureToo() throws Exception {
        runToEnd(assistant((call, p) -> {
            throw new IOException("connection reset");
        }));

        assertEquals(List.of("assistant failed: IOException"), hangups);
    }

    @Test
    void aMissingClassIsAFailureNotASilentlyDeadThread() throws Exception {
        runToEnd(assistant((call, p) -> {
            throw new NoClassDefFoundError("com/example/Sdk");
        }));

        assertEquals(List.of("assistant failed: NoClassDefFoundError"), hangups);
    }

    @Test
    void anAssistantThatHangsUpItselfKeepsItsOwnReason() throws Exception {
        runToEnd(assistant((call, p) -> p.hangup("caller said goodbye")));

        assertEquals(List.of("caller said goodbye"), hangups);
    }

    @Test
    void anAssistantThatStopsBecauseTheCallerHungUpDoesNotHangUpAgain() throws Exception {
        port.close();

        runToEnd(new EchoAssistant());

        assertEquals(List.of(), hangups);
    }

    @Test
    void anAssistantThatFailsAfterTheCallerHungUpDoesNotEndTheCallAgain() throws Exception {
        runToEnd(assistant((call, p) -> {
            port.close(); // the caller hangs up while the assistant works
            throw new IOException("stream closed");
        }));

        assertEquals(List.of(), hangups, "the call record keeps the caller's hang-up");
    }

    @Test
    void theAssistantIsToldTheCallsFacts() throws Exception {
        List<CallFacts> seen = new CopyOnWriteArrayList<>();

        runToEnd(assistant((call, p) -> seen.add(call)));

        assertEquals(List.of(CALL), seen);
        assertEquals(160, seen.get(0).frameSamples());
    }
}
