package dev.softswitch.app.records;

import dev.softswitch.sip.call.CallRecord;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends one JSON line per ended call to a file (see {@link CallRecordEncoder} for the line).
 *
 * <p>{@link #write} is called from SIP stack threads and never waits on the disk: it puts the record on a bounded
 * queue, which one platform daemon thread, {@code call-records}, drains, writing and flushing each line. When the
 * queue is full the record is dropped and counted, with one WARN per run of drops. When the file cannot be written
 * the record is counted as failed, with one ERROR per outage naming the file; the next record tries again (reopening
 * the file), so a disk that comes back is written to again.
 *
 * <p>The file is opened for appending and never truncated. Lines are flushed to the operating system one by one, not
 * forced to the device ({@code fsync}): a crash of the host may lose the last records, a crash of the process does
 * not.
 */
public final class CallRecordWriter implements AutoCloseable {

    /** Records the queue holds before it drops: a few minutes of a busy instance's hang-ups. */
    public static final int DEFAULT_CAPACITY = 10_000;

    /** How long {@link #close()} waits for the queue to drain. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(CallRecordWriter.class);

    /** Put on the queue by {@link #close()}: the thread stops when it takes it. */
    private static final Object STOP = new Object();

    private final Path file;
    private final int capacity;
    private final Duration closeTimeout;
    private final BlockingQueue<Object> queue;
    private final Thread thread;

    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** A WARN was logged for the current run of full-queue drops; the thread clears it when the queue is empty. */
    private final AtomicBoolean overflowWarned = new AtomicBoolean();

    private final AtomicBoolean closedWarned = new AtomicBoolean();
    /** {@link #close()} stopped waiting: the thread stops after the line it is writing. */
    private volatile boolean abandoned;
    /** The thread has written its last line; records still queued are counted as dropped. */
    private volatile boolean finished;

    // Owned by the writer thread.
    private @Nullable OutputStream out;
    private boolean failing;

    private CallRecordWriter(Path file, int capacity, Duration closeTimeout, ThreadFactory threads) {
        this.file = file;
        this.capacity = capacity;
        this.closeTimeout = closeTimeout;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = threads.newThread(this::run);
    }

    /**
     * Starts writing records to {@code file}, creating its parent directories. Does not fail when the file cannot be
     * written: that is logged and every record counts as {@link #failed()} until it can.
     */
    public static CallRecordWriter open(Path file) {
        return open(file, DEFAULT_CAPACITY, DEFAULT_CLOSE_TIMEOUT, writerThread());
    }

    /** {@link #open(Path)} with another queue size, close timeout and thread (tests hold the thread back). */
    static CallRecordWriter open(Path file, int capacity, Duration closeTimeout, ThreadFactory threads) {
        Objects.requireNonNull(file, "file");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        if (closeTimeout.isNegative()) {
            throw new IllegalArgumentException("closeTimeout must not be negative: " + closeTimeout);
        }
        CallRecordWriter writer = new CallRecordWriter(file, capacity, closeTimeout, threads);
        writer.thread.start();
        return writer;
    }

    private static ThreadFactory writerThread() {
        return Thread.ofPlatform()
                .name("call-records")
                .daemon(true)
                .uncaughtExceptionHandler((t, e) -> log.error("call records: the writer thread died", e))
                .factory();
    }

    /**
     * Queues {@code record} for writing and returns at once. Never throws for a full queue, a closed writer or a disk
     * error: those are counted ({@link #dropped()}, {@link #failed()}) and logged once.
     */
    public void write(CallRecord record) {
        Objects.requireNonNull(record, "record");
        if (closed.get()) {
            dropped.incrementAndGet();
            if (closedWarned.compareAndSet(false, true)) {
                log.warn("call record {} dropped: the writer for {} is closed", record.callId(), file);
            }
            return;
        }
        if (!queue.offer(record)) {
            long total = dropped.incrementAndGet();
            if (overflowWarned.compareAndSet(false, true)) {
                log.warn(
                        "call records: the queue for {} is full ({} records); dropping records until it drains"
                                + " ({} dropped so far)",
                        file,
                        capacity,
                        total);
            }
            return;
        }
        // Raced with close(): the thread has finished and will not take this record. The thread sets finished before
        // its last drain, so the record is counted exactly once, here or there.
        if (finished && queue.remove(record)) {
            dropped.incrementAndGet();
        }
    }

    /** Lines written and flushed. */
    public long written() {
        return written.get();
    }

    /** Records not written because the queue was full or the writer closed. */
    public long dropped() {
        return dropped.get();
    }

    /** Records not written because the file could not be opened or written. */
    public long failed() {
        return failed.get();
    }

    /** The file records are appended to. */
    public Path file() {
        return file;
    }

    /**
     * Writes what is queued (waiting at most the close timeout, 5 s by default), then closes the file and stops the
     * thread. Records still queued after the wait are counted as dropped. Later calls do nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + closeTimeout.toNanos();
        boolean stopped = false;
        try {
            if (queue.offer(STOP, closeTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                stopped = thread.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stopped) {
            return;
        }
        abandoned = true;
        long left = dropQueued();
        queue.offer(STOP); // in case the thread is about to wait for the next record
        log.warn(
                "call records: {} records still queued for {} after waiting {} ms; dropped them",
                left,
                file,
                closeTimeout.toMillis());
    }

    private void run() {
        try {
            if (!abandoned) {
                opened(); // an unwritable file is reported at start-up, not at the first hang-up
            }
            while (!abandoned) {
                Object item = queue.poll();
                if (item == null) {
                    overflowWarned.set(false);
                    item = queue.take();
                }
                if (!(item instanceof CallRecord record)) {
                    break;
                }
                append(record);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            finished = true;
            dropQueued();
            closeFile();
        }
    }

    private void append(CallRecord record) {
        byte[] line = CallRecordEncoder.encodeLine(record);
        OutputStream stream = opened();
        if (stream == null) {
            failed.incrementAndGet();
            return;
        }
        try {
            stream.write(line);
            stream.flush();
            written.incrementAndGet();
        } catch (IOException e) {
            failed.incrementAndGet();
            reportFailure(e);
            closeFile(); // reopened for the next record
        }
    }

    /** The open file, opening it (and its directories) if needed; null when that fails, which is reported. */
    private @Nullable OutputStream opened() {
        if (out != null) {
            return out;
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            out = new FileOutputStream(file.toFile(), true);
        } catch (IOException e) {
            reportFailure(e);
            return null;
        }
        if (failing) {
            failing = false;
            log.info("call records: writing to {} again", file);
        }
        return out;
    }

    private void reportFailure(IOException e) {
        if (!failing) {
            failing = true;
            log.error(
                    "call records: cannot write to {} ({}); records are counted as failed until it works again",
                    file.toAbsolutePath(),
                    e.toString());
        }
    }

    private void closeFile() {
        OutputStream stream = out;
        out = null;
        if (stream == null) {
            return;
        }
        try {
            stream.close();
        } catch (IOException e) {
            log.warn("call records: closing {} failed: {}", file, e.toString());
        }
    }

    /** Empties the queue, counting the records in it as dropped. */
    private long dropQueued() {
        List<Object> left = new ArrayList<>();
        queue.drainTo(left);
        long records = left.stream().filter(CallRecord.class::isInstance).count();
        dropped.addAndGet(records);
        return records;
    }
}
