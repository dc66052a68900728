package dev.softswitch.assistant;

import java.time.Duration;

/**
 * Returns the caller's audio to the caller: the simplest test that audio flows both ways, and of how much delay the
 * path adds. The caller's audio comes in exactly as fast as the echo goes out, so a backlog never drains by itself: a
 * stall (a pause of the machine, a burst of late packets) would add its length to the delay for the rest of the call.
 * So when {@link #PLAYOUT_FRAMES} frames already wait toward the caller, they are dropped and the echo starts again
 * from the newest frame: a stall costs a moment of audio once, and the delay goes back to what the path adds.
 *
 * <p>A smaller backlog would stay for good as well: two frames handed over within one tick leave one frame waiting
 * for the rest of the call, 20 ms more delay. So the echo watches the fewest frames waiting whenever it hands one
 * over: when that was never zero for {@link #STANDING_WINDOW_FRAMES} frames (200 ms), the backlog is standing, and
 * one frame is left out. Bursty input (100 ms chunks) empties the queue between bursts and loses nothing.
 */
public final class EchoAssistant implements Assistant {

    /**
     * Frames that may wait toward the caller before they count as a backlog: 120 ms, room for the 100 ms chunks some
     * providers send (Exotel) on top of the 20 ms frames of RTP and most streams.
     */
    public static final int PLAYOUT_FRAMES = 6;

    /**
     * Frames (200 ms of them) over which a queue that never emptied counts as a standing backlog: twice the longest
     * chunk a provider sends, so that bursts are not taken for one.
     */
    static final int STANDING_WINDOW_FRAMES = 10;

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
        int fewestWaiting = Integer.MAX_VALUE;
        int watched = 0;
        while (port.isOpen()) {
            short[] frame = port.read(POLL);
            if (frame == null) {
                continue;
            }
            fewestWaiting = Math.min(fewestWaiting, port.queuedFrames());
            if (++watched == STANDING_WINDOW_FRAMES) {
                boolean standing = fewestWaiting > 0;
                fewestWaiting = Integer.MAX_VALUE;
                watched = 0;
                if (standing) {
                    continue; // left out: the queue is one frame shorter from now on
                }
            }
            if (!port.offer(frame)) {
                port.clear(); // a backlog: drop it and go on from the newest frame, so the echo never falls behind
                port.offer(frame);
            }
        }
    }
}
