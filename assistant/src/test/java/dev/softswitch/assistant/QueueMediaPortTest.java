package dev.softswitch.assistant;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QueueMediaPortTest {

    private static final int FRAME = 160;
    private static final Duration NO_WAIT = Duration.ZERO;
    private static final Duration LONG = Duration.ofMinutes(1);

    private final List<String> hangups = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopThreads() throws InterruptedException {
        for (Thread t : threads) {
            t.interrupt();
            t.join(5000);
            assertFalse(t.isAlive(), t + " did not stop");
        }
    }

    /** An assistant-side call running on a thread of its own, so that the test can see it wait. */
    private record Task<T>(Thread thread, CompletableFuture<T> result) {
        /** True while the call is parked inside the port (waiting on one of its queues). */
        boolean waitingInPort() {
            if (result.isDone() || thread.getState() != Thread.State.TIMED_WAITING) {
                return false;
            }
            for (StackTraceElement e : thread.getStackTrace()) {
                if (e.getClassName().equals(QueueMediaPort.class.getName())) {
                    return true;
                }
            }
            return false;
        }

        T get() throws Exception {
            return result.get(5, TimeUnit.SECONDS);
        }
    }

    private <T> Task<T> onAssistantThread(Callable<T> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().name("assistant").daemon().unstarted(() -> {
            try {
                result.complete(body.call());
            } catch (Exception | AssertionError e) {
                result.completeExceptionally(e);
            }
        });
        threads.add(thread);
        thread.start();
        return new Task<>(thread, result);
    }

    private static void awaitWaiting(Task<?> task) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(task::waitingInPort);
    }

    /** A 20 ms frame whose first sample tells frames apart. */
    private static short[] frame(int id) {
        short[] f = new short[FRAME];
        f[0] = (short) id;
        f[FRAME - 1] = (short) -id;
        return f;
    }

    @Test
    void callerAudioTheAssistantDoesNotReadInTimeIsDroppedOldestFirst() throws InterruptedException {
        QueueMediaPort port = new QueueMediaPort(FRAME, 3, 2, hangups::add);

        for (int id = 1; id <= 5; id++) {
            port.offerFromCaller(frame(id));
        }

        assertEquals(2, port.droppedFromCaller());
        assertArrayEquals(frame(3), port.read(NO_WAIT));
        assertArrayEquals(frame(4), port.read(NO_WAIT));
        assertArrayEquals(frame(5), port.read(NO_WAIT));
        assertNull(port.read(NO_WAIT));

        port.offerFromCaller(frame(6));
        assertEquals(2, port.droppedFromCaller(), "a frame that fits is not counted as dropped");
        assertArrayEquals(frame(6), port.read(NO_WAIT));
    }

    @Test
    void readWaitsForTheNextCallerFrame() throws Exception {
        QueueMediaPort port = new QueueMediaPort(FRAME, hangups::add);
        Task<short[]> read = onAssistantThread(() -> port.read(LONG));
        awaitWaiting(read);

        port.offerFromCaller(frame(7));

        assertArrayEquals(frame(7), read.get());
    }

    @Test
    void writeRejectsAFrameThatIsNot20Milliseconds() {
        QueueMediaPort port = new QueueMediaPort(FRAME, hangups::add);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> port.write(new short[159]));

        assertEquals("a frame is 20 ms = 160 samples at this call's rate, not 159", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> port.write(new short[320]));
        assertNull(port.pollToCaller(), "nothing was queued");
    }

    @Test
    void writeBlocksWhileTheQueueIsFullAndResumesWhenTheMediaSidePolls() throws Exception {
        QueueMediaPort port = new QueueMediaPort(FRAME, 5, 2, hangups::add);
        port.write(frame(1));
        port.write(frame(2));
        Task<Boolean> third = onAssistantThread(() -> {
            port.write(frame(3));
            return true;
        });

        // The writer waits inside write: the queue holds two frames and the third has not gone in.
        awaitWaiting(third);

        assertArrayEquals(frame(1), port.pollToCaller());
        assertTrue(third.get());

        assertArrayEquals(frame(2), port.pollToCaller());
        assertArrayEquals(frame(3), port.pollToCaller());
        assertNull(port.pollToCaller());
    }

    @Test
    void clearDropsEverythingQueuedTowardTheCaller() throws InterruptedException {
        QueueMediaPort port = new QueueMediaPort(FRAME, hangups::add);
        port.write(frame(1));
        port.write(frame(2));

        port.clear();

        assertNull(port.pollToCaller());
        assertTrue(port.isOpen(), "barge-in does not end the call");
        port.write(frame(3));
        assertArrayEquals(frame(3), port.pollToCaller());
    }

    @Test
    void hangupReportsItsReasonOnceEvenFromTwoThreadsAndClosesThePort() throws Exception {
        for (int round = 0; round < 200; round++) {
            List<String> reasons = new CopyOnWriteArrayList<>();
            QueueMediaPort port = new QueueMediaPort(FRAME, reasons::add);
            port.offerFromCaller(frame(1));
            port.write(frame(2));
            CountDownLatch go = new CountDownLatch(1);
            Task<Boolean> a = onAssistantThread(() -> {
                go.await();
                port.hangup("first");
                return true;
            });
            Task<Boolean> b = onAssistantThread(() -> {
                go.await();
                port.hangup("second");
                return true;
            });

            go.countDown();
            assertTrue(a.get());
            assertTrue(b.get());

            assertEquals(1, reasons.size(), "round " + round + ": " + reasons);
            assertTrue(List.of("first", "second").contains(reasons.get(0)));
            assertFalse(port.isOpen());
            assertNull(port.read(NO_WAIT), "queued caller audio is gone");
            assertNull(port.pollToCaller(), "queued assistant audio is gone");
        }
    }

    @Test
    void hangupAfterTheMediaSideClosedIsNotReported() {
        QueueMediaPort port = new QueueMediaPort(FRAME, hangups::add);

        port.close();
        port.hangup("too late");

        assertEquals(List.of(), hangups, "the call had already ended; the caller hung up, not the assistant");
    }

    @Test
    void closeUnblocksAWriterAndDiscardsItsFrame() throws Exception {
        QueueMediaPort port = new QueueMediaPort(FRAME, 5, 1, hangups::add);
        port.write(frame(1));
        Task<Boolean> blocked = onAssistantThread(() -> {
            port.write(frame(2));
            return true;
        });
        awaitWaiting(blocked);

        port.close();

        assertTrue(blocked.get(), "write returned");
        assertFalse(port.isOpen());
        assertNull(port.pollToCaller());
        port.write(frame(3));
        assertNull(port.pollToCaller(), "frames written after the call ended are discarded");
        assertEquals(List.of(), hangups, "closing from the media side is not the assistant hanging up");
    }

    @Test
    void afterCloseReadReturnsNullAndCallerAudioIsIgnored() throws InterruptedException {
        QueueMediaPort port = new QueueMediaPort(FRAME, hangups::add);
        port.offerFromCaller(frame(1));

        port.close();
        port.offerFromCaller(frame(2));

        assertNull(port.read(LONG), "returns at once: the call has ended");
        assertEquals(0, port.droppedFromCaller());
    }

    @Test
    void closeWakesAReaderThatIsWaitingForCallerAudio() throws Exception {
        QueueMediaPort port = new QueueMediaPort(FRAME, hangups::add);
        Task<short[]> read = onAssistantThread(() -> port.read(LONG));
        awaitWaiting(read);

        port.close();

        assertNull(read.get(), "the call ended: read returns null well before its one-minute timeout");
    }

    @Test
    void rejectsNonPositiveSizes() {
        assertThrows(IllegalArgumentException.class, () -> new QueueMediaPort(0, hangups::add));
        assertThrows(IllegalArgumentException.class, () -> new QueueMediaPort(FRAME, 0, 1, hangups::add));
        assertThrows(IllegalArgumentException.class, () -> new QueueMediaPort(FRAME, 1, 0, hangups::add));
    }
}
