package dev.softswitch.assistant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BridgeAssistantTest {

    private static short[] frame(int value) {
        short[] f = new short[160];
        java.util.Arrays.fill(f, (short) value);
        return f;
    }

    @Test
    void whatEachCallerSaysTheOtherHearsUntilOneHangsUp() throws Exception {
        QueueMediaPort first = new QueueMediaPort(160, reason -> {});
        QueueMediaPort second = new QueueMediaPort(160, reason -> {});
        BridgeAssistant bridge = new BridgeAssistant(first, 8000);
        assertThat(bridge.sampleRate(16000))
                .as("the second leg runs at the first call's rate")
                .isEqualTo(8000);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> running = executor.submit(() -> {
                bridge.run(new CallFacts("b", "sip:x", "sip:y", "bridge", "PCMU", 8000), second);
                return null;
            });
            first.offerFromCaller(frame(111));
            second.offerFromCaller(frame(222));
            assertThat(pollToCaller(second))
                    .as("the first caller's words reach the second")
                    .containsOnly(111);
            assertThat(pollToCaller(first)).as("and the other way").containsOnly(222);

            first.close(); // the first caller hangs up
            running.get(2, TimeUnit.SECONDS);
        }
    }

    private static short[] pollToCaller(QueueMediaPort port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < deadline) {
            short[] f = port.pollToCaller();
            if (f != null) {
                return f;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("nothing reached the caller");
    }
}
