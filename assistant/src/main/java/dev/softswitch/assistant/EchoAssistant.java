package dev.softswitch.assistant;

import java.time.Duration;

/**
 * Returns the caller's audio to the caller: the simplest test that audio flows both ways, and of how much delay the
 * path adds. At most {@link #PLAYOUT_FRAMES} frames wait toward the caller; a frame that finds them all waiting is
 * dropped, so a stall (a pause of the machine, a burst of late packets) costs a few frames once instead of adding its
 * length to the delay for the rest of the call: the caller's audio comes in exactly as fast as the echo goes out, so a
 * backlog would never drain by itself.
 */
public final class EchoAssistant implements Assistant {

    /**
     * Frames that may wait toward the caller: 120 ms, room for the 100 ms chunks some providers send (Exotel) on top of
     * the 20 ms frames of RTP and most streams.
     */
    public static final int PLAYOUT_FRAMES = 6;

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
    public int playoutFrames() {
        return PLAYOUT_FRAMES;
    }

    @Override
    public void run(CallFacts call, MediaPort port) throws InterruptedException {
        while (port.isOpen()) {
            short[] frame = port.read(POLL);
            if (frame != null) {
                port.offer(frame); // dropped when PLAYOUT_FRAMES already wait: the echo never falls behind
            }
        }
    }
}
