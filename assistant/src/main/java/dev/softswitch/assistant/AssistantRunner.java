package dev.softswitch.assistant;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs an assistant on its own thread for one call and turns the way it stops into a hang-up reason: returning while
 * the call is up is "assistant finished", throwing is "assistant failed". The call's id is in the MDC as {@code call}.
 */
public final class AssistantRunner {

    private static final Logger log = LoggerFactory.getLogger(AssistantRunner.class);

    /** Assistants started and not yet returned, in this JVM (they run on virtual threads, which no JVM meter counts). */
    private static final AtomicInteger RUNNING = new AtomicInteger();

    private AssistantRunner() {}

    /** Starts {@code assistant} on {@code executor} (virtual threads suit it: assistants block on their port). */
    public static Future<?> start(Assistant assistant, CallFacts call, MediaPort port, ExecutorService executor) {
        return executor.submit(() -> {
            MDC.put("call", call.callId());
            RUNNING.incrementAndGet();
            try {
                log.debug("assistant {} started ({} Hz)", assistant.id(), call.sampleRate());
                assistant.run(call, port);
                if (port.isOpen()) {
                    port.hangup("assistant finished");
                }
            } catch (InterruptedException e) {
                // Interrupted because the call is ending (the softswitch cancels the runner): no hang-up to ask for.
                Thread.currentThread().interrupt();
            } catch (Exception | LinkageError e) {
                log.warn("assistant {} failed: {}", assistant.id(), e.toString(), e);
                port.fail("assistant failed: " + e.getClass().getSimpleName());
            } finally {
                RUNNING.decrementAndGet();
                log.debug("assistant {} stopped", assistant.id());
                MDC.remove("call");
            }
        });
    }

    /**
     * Assistants running now, on SIP, provider and AudioSocket calls alike, in this JVM: 0 once every call has ended, or
     * an assistant outlived its call.
     */
    public static int running() {
        return RUNNING.get();
    }
}
