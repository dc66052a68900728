package dev.softswitch.assistant;

import java.time.Duration;
import java.util.Objects;

/**
 * Joins a call to another call's port, so that what one side says the other hears: the second leg of a transfer the
 * caller's side would not take by REFER. It runs on the new leg and pumps both ways until either side's call ends;
 * frames go across without waiting (a full queue on the far side drops the frame), so one stalled side never holds up
 * the other.
 */
public final class BridgeAssistant implements Assistant {

    /** How long each read waits before the pump looks again whether both calls are still up. */
    private static final Duration POLL = Duration.ofMillis(100);

    private final MediaPort other;
    private final int rate;

    /**
     * @param other the port of the call to join (its assistant's side)
     * @param rate the rate of {@code other}'s frames; this leg's port is made to run at it too
     */
    public BridgeAssistant(MediaPort other, int rate) {
        this.other = Objects.requireNonNull(other, "other");
        this.rate = rate;
    }

    @Override
    public String id() {
        return "bridge";
    }

    @Override
    public int sampleRate(int callRate) {
        return rate;
    }

    @Override
    public void run(CallFacts call, MediaPort port) throws InterruptedException {
        Thread back = Thread.ofVirtual().name("bridge " + call.callId()).start(() -> {
            try {
                pump(other, port);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            pump(port, other);
        } finally {
            back.interrupt();
            back.join(POLL.toMillis() * 5);
        }
    }

    /** Copies {@code from}'s caller audio to {@code to}'s caller until either call ends. */
    static void pump(MediaPort from, MediaPort to) throws InterruptedException {
        while (from.isOpen() && to.isOpen()) {
            short[] frame = from.read(POLL);
            if (frame != null) {
                to.offer(frame);
            }
        }
    }
}
