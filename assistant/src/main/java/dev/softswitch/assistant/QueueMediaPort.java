package dev.softswitch.assistant;

import dev.softswitch.codecs.Resampler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The bounded queues between a call's media and its assistant. The media side calls {@link #offerFromCaller} and
 * {@link #pollToCaller} from its event loop or pacer and never blocks; the assistant side is the {@link MediaPort}.
 *
 * <p>The media side works at the call's rate (8 kHz for G.711, 16 kHz for G.722), the assistant at the rate it asked
 * for; when they differ the port resamples, once, here at the boundary.
 *
 * <p>Caller audio that the assistant does not read in time is dropped oldest first (counted); audio toward the caller
 * makes {@link #write} wait when the playout queue is full ({@link #offer} refuses instead). Marks travel in the
 * playout queue with the audio and are reported when the pacer gets past them. Keys toward the caller wait in a queue
 * of their own ({@link #pollDigit}), not behind the audio.
 */
public final class QueueMediaPort implements MediaPort {

    /** Default depth toward the caller: 10 frames = 200 ms of audio queued ahead of the pacer. */
    public static final int DEFAULT_TO_CALLER_FRAMES = 10;
    /** Default depth from the caller: 25 frames = 500 ms that a busy assistant may fall behind. */
    public static final int DEFAULT_FROM_CALLER_FRAMES = 25;

    /** How often a waiting read or write looks again whether the call has ended. */
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private record Mark(String name, PlayoutMark listener) {}

    private final int assistantFrameSamples;
    /** Null when both sides run at one rate: frames then pass as they are. */
    private final @Nullable Resampler fromCallerRate;

    private final @Nullable Resampler toCallerRate;
    private final BlockingQueue<short[]> fromCaller;
    private final Consumer<String> onHangup;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final AtomicLong droppedFromCaller = new AtomicLong();
    private volatile @Nullable DtmfTally tally;
    private volatile boolean failed;
    private final AtomicLong dtmfCount = new AtomicLong();
    /** Key presses the assistant has not read yet; the oldest go when more than this many wait. */
    private final BlockingQueue<DtmfEvent> dtmf = new ArrayBlockingQueue<>(32);
    /** Keys the assistant sent that the media side has not started yet; more than this many are dropped. */
    public static final int MAX_QUEUED_DIGITS = 64;

    private final BlockingQueue<Character> digitsToCaller = new ArrayBlockingQueue<>(MAX_QUEUED_DIGITS);
    private final AtomicLong droppedDigits = new AtomicLong();
    /** Texts the assistant has not read yet, bounded the same way. */
    private final BlockingQueue<String> texts = new ArrayBlockingQueue<>(16);

    // Playout toward the caller: frames (at the call's rate) and marks, in order, guarded by lock.
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final ArrayDeque<Object> toCaller = new ArrayDeque<>();
    private final int toCallerCapacity;
    private int toCallerFrames;
    /** Marks the pacer has passed, reported outside the lock; only the pacer thread touches it. */
    private final List<Mark> due = new ArrayList<>();

    /**
     * A port whose two sides run at different rates.
     *
     * @param callRate the rate of the media side's frames (the codec's audio rate)
     * @param assistantRate the rate the assistant reads and writes
     * @param toCallerFrames how many 20 ms frames may wait toward the caller: a few for an assistant that writes in
     *     real time, seconds for one that receives its audio in bursts (a WebSocket bot)
     * @param onHangup called once, with the reason, when the assistant hangs up (not when the media side closes)
     */
    public static QueueMediaPort between(
            int callRate, int assistantRate, int toCallerFrames, Consumer<String> onHangup) {
        return new QueueMediaPort(callRate, assistantRate, DEFAULT_FROM_CALLER_FRAMES, toCallerFrames, onHangup);
    }

    /**
     * A port at one rate on both sides.
     *
     * @param frameSamples samples in a 20 ms frame (160 at 8 kHz)
     * @param onHangup called once, with the reason, when the assistant hangs up (not when the media side closes)
     */
    public QueueMediaPort(int frameSamples, int fromCallerFrames, int toCallerFrames, Consumer<String> onHangup) {
        this(frameSamples * 50, frameSamples * 50, fromCallerFrames, toCallerFrames, onHangup);
    }

    public QueueMediaPort(int frameSamples, Consumer<String> onHangup) {
        this(frameSamples, DEFAULT_FROM_CALLER_FRAMES, DEFAULT_TO_CALLER_FRAMES, onHangup);
    }

    private QueueMediaPort(
            int callRate, int assistantRate, int fromCallerFrames, int toCallerFrames, Consumer<String> onHangup) {
        if (callRate <= 0 || assistantRate <= 0 || fromCallerFrames <= 0 || toCallerFrames <= 0) {
            throw new IllegalArgumentException("frame size and queue depths must be positive");
        }
        this.assistantFrameSamples = assistantRate / 50;
        this.fromCallerRate = callRate == assistantRate ? null : Resampler.of(callRate, assistantRate);
        this.toCallerRate = callRate == assistantRate ? null : Resampler.of(assistantRate, callRate);
        this.fromCaller = new ArrayBlockingQueue<>(fromCallerFrames);
        this.toCallerCapacity = toCallerFrames;
        this.onHangup = onHangup;
    }

    // ---- media side: never blocks ----

    /**
     * Hands a decoded caller frame (at the call's rate) to the assistant; drops the oldest queued frame when the
     * assistant lags. Called by one thread at a time (the call's event loop).
     */
    public void offerFromCaller(short[] frame) {
        if (!open.get()) {
            return;
        }
        Resampler resampler = fromCallerRate;
        short[] converted = resampler == null ? frame : resampler.process(frame);
        while (!fromCaller.offer(converted)) {
            if (fromCaller.poll() != null) {
                droppedFromCaller.incrementAndGet();
            }
        }
    }

    /** The rate of the frames the assistant reads and writes, in Hz. */
    public int assistantRate() {
        return assistantFrameSamples * 50;
    }

    /**
     * Drops the caller audio the assistant has not read, and says how many frames went: for audio heard before the
     * assistant started (early media of a call we placed), which it should not take for the answer.
     */
    public int discardFromCaller() {
        int dropped = 0;
        while (fromCaller.poll() != null) {
            dropped++;
        }
        return dropped;
    }

    /** Hands a key press to the assistant; drops the oldest waiting one when the assistant never reads them. */
    /** Counts this call's key presses into {@code tally} too (the softswitch's totals). */
    public QueueMediaPort tallyDtmf(DtmfTally tally) {
        this.tally = tally;
        return this;
    }

    public void offerDtmf(DtmfEvent event) {
        if (!open.get()) {
            return;
        }
        dtmfCount.incrementAndGet();
        DtmfTally t = tally;
        if (t != null) {
            t.count(event);
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

    /**
     * The next frame to send to the caller (at the call's rate), or {@code null} when the assistant has nothing
     * queued. Called once per 20 ms tick by the pacer: marks at the head of the queue are reached here, because the
     * audio before them went out on an earlier tick.
     */
    public short @Nullable [] pollToCaller() {
        short[] frame = null;
        lock.lock();
        try {
            Object head;
            while ((head = toCaller.peekFirst()) instanceof Mark mark) {
                toCaller.pollFirst();
                due.add(mark);
            }
            if (head != null) {
                frame = (short[]) toCaller.pollFirst();
                toCallerFrames--;
                notFull.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (!due.isEmpty()) {
            for (Mark mark : due) {
                mark.listener().reached(mark.name(), true);
            }
            due.clear();
        }
        return frame;
    }

    /**
     * The next key to send to the caller, or {@code null} when none is waiting. Never blocks; called by the pacer when
     * it can start a key.
     */
    public @Nullable Character pollDigit() {
        return digitsToCaller.poll();
    }

    /** Ends the exchange from the media side (the call ended): the assistant's reads and writes return. */
    public void close() {
        open.set(false);
        drain();
    }

    /** Key presses the caller made during the call, by any route. */
    public long dtmfCount() {
        return dtmfCount.get();
    }

    /** Keys the assistant sent that were dropped because {@link #MAX_QUEUED_DIGITS} were already waiting. */
    public long droppedDigits() {
        return droppedDigits.get();
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
        short[] converted = toCallRate(frame);
        lock.lockInterruptibly();
        try {
            while (open.get() && toCallerFrames >= toCallerCapacity) {
                notFull.awaitNanos(RECHECK_NANOS);
            }
            if (open.get()) {
                toCaller.addLast(converted);
                toCallerFrames++;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean offer(short[] frame) {
        short[] converted = toCallRate(frame);
        lock.lock();
        try {
            if (!open.get() || toCallerFrames >= toCallerCapacity) {
                return false;
            }
            toCaller.addLast(converted);
            toCallerFrames++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void mark(String name, PlayoutMark listener) {
        lock.lock();
        try {
            if (open.get()) {
                toCaller.addLast(new Mark(name, listener));
                return;
            }
        } finally {
            lock.unlock();
        }
        listener.reached(name, false);
    }

    @Override
    public void sendDigits(String digits) {
        for (int i = 0; i < digits.length(); i++) {
            DtmfEvent.eventCodeOf(digits.charAt(i)); // all checked before any is queued
        }
        if (!open.get()) {
            return;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (!digitsToCaller.offer(digits.charAt(i))) {
                droppedDigits.incrementAndGet(); // the newest go: what is sent stays a prefix of what was asked
            }
        }
    }

    @Override
    public int queuedFrames() {
        lock.lock();
        try {
            return toCallerFrames;
        } finally {
            lock.unlock();
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
        List<Mark> dropped = new ArrayList<>();
        lock.lock();
        try {
            for (Object item : toCaller) {
                if (item instanceof Mark mark) {
                    dropped.add(mark);
                }
            }
            toCaller.clear();
            toCallerFrames = 0;
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
        for (Mark mark : dropped) {
            mark.listener().reached(mark.name(), false);
        }
    }

    @Override
    public void hangup(String reason) {
        if (open.compareAndSet(true, false)) {
            drain();
            onHangup.accept(reason);
        }
    }

    /** How transfers are carried out, set by the signalling side; until then every transfer fails. */
    public interface Transferrer {
        void transfer(String target, TransferFailed failed);
    }

    private volatile Transferrer transferrer =
            (target, failed) -> failed.failed(target, "transfer is not available on this call");

    /** Lets the signalling side carry out the assistant's transfers. */
    public void onTransfer(Transferrer transferrer) {
        this.transferrer = transferrer;
    }

    @Override
    public void transfer(String target, TransferFailed failed) {
        if (!open.get()) {
            failed.failed(target, "the call has ended");
            return;
        }
        transferrer.transfer(target, failed);
    }

    @Override
    public void fail(String reason) {
        failed = true;
        hangup(reason);
    }

    /** True when the assistant ended the call with {@link #fail}. */
    public boolean failed() {
        return failed;
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    private void drain() {
        fromCaller.clear();
        dtmf.clear();
        digitsToCaller.clear();
        texts.clear();
        clear();
    }

    private short[] toCallRate(short[] frame) {
        if (frame.length != assistantFrameSamples) {
            throw new IllegalArgumentException("a frame is 20 ms = " + assistantFrameSamples
                    + " samples at this call's rate, not " + frame.length);
        }
        Resampler resampler = toCallerRate;
        if (resampler == null) {
            return frame;
        }
        synchronized (resampler) {
            return resampler.process(frame);
        }
    }
}
