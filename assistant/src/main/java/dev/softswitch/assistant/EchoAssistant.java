package dev.softswitch.assistant;

import java.time.Duration;

/**
 * Returns the caller's audio to the caller: the simplest test that audio flows both ways, and of how much delay the
 * path adds. The caller's audio comes in exactly as fast as the echo goes out, so a backlog never drains by itself: a
 * stall (a pause of the machine, a burst of late packets) would add its length to the delay for the rest of the call.
 * So when {@link #PLAYOUT_FRAMES} frames already wait toward the caller, they are dropped and the echo starts again
 * from the newest frame: a stall costs a moment of audio once, and the delay goes back to what the path adds.
 */
public final class EchoAssistant implements Assistant {

    /**
     * Frames that may wait toward the caller before they count as a backlog: 120 ms, room for the 100 ms chunks some
     * providers send (Exotel) on top of the 20 ms frames of RTP and most streams.
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
            if (frame != null && !port.offer(frame)) {
                port.clear(); // a backlog: drop it and go on from the newest frame, so the echo never falls behind
                port.offer(frame);
            }
        }
    }
}
