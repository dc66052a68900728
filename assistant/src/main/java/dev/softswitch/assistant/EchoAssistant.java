package dev.softswitch.assistant;

import java.time.Duration;

/** Returns the caller's audio to the caller: the simplest test that audio flows both ways. */
public final class EchoAssistant implements Assistant {

    private static final Duration POLL = Duration.ofMillis(200);

    private final String id;

    public EchoAssistant() {
        this("echo");
    }

    public EchoAssistant(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void run(CallFacts call, MediaPort port) throws InterruptedException {
        while (port.isOpen()) {
            short[] frame = port.read(POLL);
            if (frame != null) {
                port.write(frame);
            }
        }
    }
}
