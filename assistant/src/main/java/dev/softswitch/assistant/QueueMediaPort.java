package dev.softswitch.assistant;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The bounded queues between a call's media and its assistant. The media side calls {@link #offerFromCaller} and
 * {@link #pollToCaller} from its event loop or pacer and never blocks; the assistant side is the {@link MediaPort}.
 *
 * <p>Caller audio that the assistant does not read in time is dropped oldest first (counted); audio toward the caller
 * makes the assistant wait when more than {@code toCallerFrames} are queued.
 */
public final class QueueMediaPort implements MediaPort {

    /** Default depth toward the caller: 10 frames = 200 ms of audio queued ahead of the pacer. */
    public static final int DEFAULT_TO_CALLER_FRAMES = 10;
    /** Default depth from the caller: 25 frames = 500 ms that a busy assistant may fall behind. */
    public static final int DEFAULT_FROM_CALLER_FRAMES = 25;

    /** How often a waiting read or write looks again whether the call has ended. */
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final int frameSamples;
    private final BlockingQueue<short[]> fromCaller;
    private final BlockingQueue<short[]> toCaller;
    private final Consumer<String> onHangup;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final AtomicLong droppedFromCaller = new AtomicLong();
    /** Key presses the assistant has not read yet; the oldest go when more than this many wait. */
    private final BlockingQueue<DtmfEvent> dtmf = new ArrayBlockingQueue<>(32);
    /** Texts the assistant has not read yet, bounded the same way. */
    private final BlockingQueue<String> texts = new ArrayBlockingQueue<>(16);

    /**
     * @param frameSamples samples in a 20 ms frame (160 at 8 kHz)
     * @param onHangup called once, with the reason, when the assistant hangs up (not when the media side closes)
     */
    public QueueMediaPort(int frameSamples, int fromCallerFrames, int toCallerFrames, Consumer<String> onHangup) {
        if (frameSamples <= 0 || fromCallerFrames <= 0 || toCallerFrames <= 0) {
            throw new IllegalArgumentException("frame size and queue depths must be positive");
        }
        this.frameSamples = frameSamples;
        this.fromCaller = new ArrayBlockingQueue<>(fromCallerFrames);
        this.toCaller = new ArrayBlockingQueue<>(toCallerFrames);
        this.onHangup = onHangup;
    }

    public QueueMediaPort(int frameSamples, Consumer<String> onHangup) {
        this(frameSamples, DEFAULT_FROM_CALLER_FRAMES, DEFAULT_TO_CALLER_FRAMES, onHangup);
    }

    // ---- media side: never blocks ----

    /** Hands a decoded caller frame to the assistant; drops the oldest queued frame when the assistant lags. */
    public void offerFromCaller(short[] frame) {
        if (!open.get()) {
            return;
        }
        while (!fromCaller.offer(frame)) {
            if (fromCaller.poll() != null) {
                droppedFromCaller.incrementAndGet();
            }
        }
    }

    /** Hands a key press to the assistant; drops the oldest waiting one when the assistant never reads them. */
    public void offerDtmf(DtmfEvent event) {
        if (!open.get()) {
            return;
        }
        while (!dtmf.offer(event)) {
            dtmf.poll();
        }
    }

    /** Hands a text message to the assistant; drops the oldest waiting one when the assistant never reads them. */
    public void offerText(String text) {
        if (!open.get()) {
            return;
        }
        while (!texts.offer(text)) {
            texts.poll();
        }
    }

    /** The next frame to send to the caller, or {@code null} when the assistant has nothing queued. */
    public short @Nullable [] pollToCaller() {
        return toCaller.poll();
    }

    /** Ends the exchange from the media side (the call ended): the assistant's reads and writes return. */
    public void close() {
        open.set(false);
        fromCaller.clear();
        toCaller.clear();
        dtmf.clear();
        texts.clear();
    }

    /** Caller frames dropped because the assistant did not keep up. */
    public long droppedFromCaller() {
        return droppedFromCaller.get();
    }

    // ---- assistant side ----

    @Override
    public short @Nullable [] read(Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        long deadline = System.nanoTime() + left;
        while (open.get()) {
            // Wait in slices so that a read returns soon after the call ends, not when its timeout runs out.
            short[] frame = fromCaller.poll(Math.min(left, RECHECK_NANOS), TimeUnit.NANOSECONDS);
            if (frame != null) {
                return frame;
            }
            left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
        }
        return null;
    }

    @Override
    public void write(short[] frame) throws InterruptedException {
        if (frame.length != frameSamples) {
            throw new IllegalArgumentException(
                    "a frame is 20 ms = " + frameSamples + " samples at this call's rate, not " + frame.length);
        }
        while (open.get()) {
            if (toCaller.offer(frame, RECHECK_NANOS, TimeUnit.NANOSECONDS)) {
                if (!open.get()) {
                    toCaller.clear(); // the call ended while we waited: close() made room, but not for this frame
                }
                return;
            }
        }
    }

    @Override
    public @Nullable String pollText() {
        return texts.poll();
    }

    @Override
    public @Nullable DtmfEvent pollDtmf() {
        return dtmf.poll();
    }

    @Override
    public void clear() {
        toCaller.clear();
    }

    @Override
    public void hangup(String reason) {
        if (open.compareAndSet(true, false)) {
            fromCaller.clear();
            toCaller.clear();
            dtmf.clear();
            texts.clear();
            texts.clear();
            onHangup.accept(reason);
        }
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }
}
