package dev.softswitch.assistant.recording;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records one call as a stereo 16-bit PCM WAV file at the call's audio rate: the caller on the left channel, the
 * assistant on the right.
 *
 * <p>The media threads call {@link #caller} and {@link #assistant}, which never block, never do I/O and allocate only
 * a copy of the frame: the copy goes into a bounded queue (3 s of both directions), or is dropped and counted when the
 * queue is full. A virtual thread per recorder drains the queue about five times a second, lines the two directions up
 * and writes the file.
 *
 * <p>Alignment: a frame stamped with pacer tick {@code t} belongs at sample {@code (t - firstTick) * frameSamples} of
 * its channel, {@code firstTick} being the first tick the writer saw from either side. A frame whose slot is taken
 * (jitter put two caller frames on one tick) or already written goes to the channel's end instead, so no audio is lost
 * or overlaid; slots no frame reached are silence. Sample frames are written once both channels are past them, or when
 * one channel is more than a second ahead of the other (an assistant that says nothing for a while), the lagging
 * channel's gap being silence. {@link #close} pads the shorter channel with silence.
 *
 * <p>The file starts with placeholder sizes ("to the end of the file") that {@link #close} replaces with the real
 * ones. An I/O error is logged once and ends the recording; the call goes on.
 */
public final class CallRecorder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CallRecorder.class);

    private static final int FRAMES_PER_SECOND = 50; // 20 ms frames
    /** Default queue depth: 3 s of frames in each direction. */
    static final int DEFAULT_QUEUE_FRAMES = 2 * 3 * FRAMES_PER_SECOND;
    /** How long the writer sleeps when the queue is empty; {@link #close} wakes it at once. */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private static final long CLOSE_WAIT_SECONDS = 5;

    /** A copied frame on its way to the writer. */
    private static final class Entry {
        final boolean caller;
        final long tick;
        final short[] samples;

        Entry(boolean caller, long tick, short[] samples) {
            this.caller = caller;
            this.tick = tick;
            this.samples = samples;
        }
    }

    private final Path file;
    private final int sampleRate;
    private final int frameSamples;
    private final int queueFrames;
    private final Runnable beforeEntry;
    private final Thread writer;

    // Shared between the media threads, close() and the writer.
    private final Queue<Entry> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean accepting = true;

    // The writer thread's own.
    private final StereoWavFile wav;
    private final Track left = new Track();
    private final Track right = new Track();
    private long firstTick;
    private boolean started;
    private boolean dropsReported;
    private boolean full;
    private boolean failed;

    private CallRecorder(Path file, SeekableByteChannel channel, int sampleRate, int queueFrames, Runnable beforeEntry)
            throws IOException {
        this.file = file;
        this.sampleRate = sampleRate;
        this.frameSamples = sampleRate / FRAMES_PER_SECOND;
        this.queueFrames = queueFrames;
        this.beforeEntry = beforeEntry;
        this.wav = new StereoWavFile(channel, sampleRate);
        this.writer = Thread.ofVirtual().name("recorder " + file.getFileName()).unstarted(this::run);
    }

    /**
     * Creates (or truncates) {@code file}, and its parent directories, and starts recording into it.
     *
     * @param sampleRate the call's audio rate (8000 for G.711, 16000 for G.722, ...): a whole number of samples per
     *     20 ms frame
     * @throws IOException if the directories or the file cannot be created or the header cannot be written
     */
    public static CallRecorder open(Path file, int sampleRate) throws IOException {
        checkRate(sampleRate);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        FileChannel channel = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        try {
            return start(file, channel, sampleRate, DEFAULT_QUEUE_FRAMES, () -> {});
        } catch (IOException | RuntimeException e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * The test seam: records into {@code channel} (which {@code file} only names), with room for {@code queueFrames}
     * frames, running {@code beforeEntry} on the writer thread before it places each frame.
     */
    static CallRecorder start(
            Path file, SeekableByteChannel channel, int sampleRate, int queueFrames, Runnable beforeEntry)
            throws IOException {
        checkRate(sampleRate);
        if (queueFrames < 1) {
            throw new IllegalArgumentException("queueFrames must be positive, not " + queueFrames);
        }
        CallRecorder recorder = new CallRecorder(file, channel, sampleRate, queueFrames, beforeEntry);
        recorder.writer.start();
        return recorder;
    }

    private static void checkRate(int sampleRate) {
        if (sampleRate <= 0 || sampleRate % FRAMES_PER_SECOND != 0) {
            throw new IllegalArgumentException(
                    "sample rate " + sampleRate + " Hz does not give whole 20 ms frames of samples");
        }
    }

    // ---- media side: never blocks ----

    /** A frame received from the caller, stamped with the pacer tick at which it arrived; the array is copied. */
    public void caller(long tick, short[] frame) {
        offer(true, tick, frame);
    }

    /** A frame sent toward the caller at pacer {@code tick}; ticks at which nothing was sent are silence. */
    public void assistant(long tick, short[] frame) {
        offer(false, tick, frame);
    }

    private void offer(boolean caller, long tick, short[] frame) {
        if (!accepting || frame.length == 0) {
            return;
        }
        if (queued.incrementAndGet() > queueFrames) {
            queued.decrementAndGet();
            dropped.incrementAndGet(); // the writer logs it, so that this thread does no I/O
            return;
        }
        queue.add(new Entry(caller, tick, frame.clone()));
    }

    // ---- lifecycle ----

    /**
     * Stops accepting frames, lets the writer write what is queued, pads the shorter channel with silence, fixes the
     * header and closes the file. Waits up to 5 s for that (the writer finishes the file on its own if it takes
     * longer); calling it again only waits again.
     */
    @Override
    public void close() {
        accepting = false;
        if (closeRequested.compareAndSet(false, true)) {
            LockSupport.unpark(writer);
        }
        try {
            if (!finished.await(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                log.warn(
                        "Recording {}: the writer has not finished after {} s; it goes on in the background",
                        file,
                        CLOSE_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The file being recorded. */
    public Path file() {
        return file;
    }

    /** Frames refused because the queue was full (the writer had fallen 3 s behind). */
    public long droppedFrames() {
        return dropped.get();
    }

    /** Fed frames (of both directions) whose audio has been written out; all of them once {@link #close} returns. */
    public long framesWritten() {
        return written.get();
    }

    @Override
    public String toString() {
        return "CallRecorder(" + file + ", " + sampleRate + " Hz, caller left, assistant right)";
    }

    // ---- writer thread ----

    private void run() {
        try {
            boolean last;
            do {
                last = closeRequested.get(); // read first: what was queued before close() is drained below
                drain();
                reportDrops();
                wav.flush();
                if (!last) {
                    LockSupport.parkNanos(this, IDLE_NANOS);
                }
            } while (!last);
            flushTo(Math.max(left.end(), right.end())); // the shorter channel ends in silence
            wav.finish();
            log.debug(
                    "Recorded {}: {} frames, {} s, {} dropped",
                    file,
                    written.get(),
                    wav.frames() / (double) sampleRate,
                    dropped.get());
        } catch (IOException e) {
            failed = true;
            accepting = false;
            queue.clear();
            log.warn("Recording {} stopped by an I/O error; the call goes on: {}", file, e.toString());
        } finally {
            closeFile();
            finished.countDown();
        }
    }

    private void drain() throws IOException {
        Entry entry;
        while ((entry = queue.poll()) != null) {
            queued.decrementAndGet();
            beforeEntry.run();
            if (!full) {
                place(entry);
            }
        }
    }

    private void place(Entry entry) throws IOException {
        if (!started) {
            firstTick = entry.tick;
            started = true;
        }
        long slot = (entry.tick - firstTick) * frameSamples; // negative for a tick before the first: the end then
        (entry.caller ? left : right).place(slot, entry.samples);
        long behind = Math.min(left.end(), right.end());
        long ahead = Math.max(left.end(), right.end());
        flushTo(Math.max(behind, ahead - sampleRate)); // more than 1 s ahead: the lagging channel is silent there
    }

    /** Writes both channels, interleaved, up to sample {@code position}. */
    private void flushTo(long position) throws IOException {
        if (full) {
            return;
        }
        long at = wav.frames();
        while (at < position) {
            if (!wav.put(left.sampleAt(at), right.sampleAt(at))) {
                full = true;
                accepting = false;
                log.warn(
                        "Recording {} reached the size limit of a WAV file; the rest of the call is not recorded",
                        file);
                break;
            }
            at++;
        }
        left.writtenTo(at);
        right.writtenTo(at);
        written.addAndGet(left.takeFinished() + right.takeFinished());
    }

    private void reportDrops() {
        long n = dropped.get();
        if (n > 0 && !dropsReported) {
            dropsReported = true;
            log.warn(
                    "Recording {}: the writer fell {} frames behind; dropped {} frame(s) (further drops only counted)",
                    file,
                    queueFrames,
                    n);
        }
    }

    private void closeFile() {
        try {
            wav.close();
        } catch (IOException e) {
            if (!failed) { // after a write error this is most likely the same failure again

                log.warn("Recording {}: closing the file failed: {}", file, e.toString());
            }
        }
    }
}
