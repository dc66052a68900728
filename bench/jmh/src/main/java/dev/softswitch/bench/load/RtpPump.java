package dev.softswitch.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * The RTP side of the load: one sender thread and one receiver thread for all calls. The sender wakes every
 * millisecond on absolute deadlines and sends for the calls whose phase that millisecond is (call {@code i} sends at
 * {@code i mod 20} ms into each 20 ms period), so packets reach the server spread over the period as from independent
 * phones, not in one burst. The receiver reads every call's socket through one selector and matches echoes.
 */
final class RtpPump implements AutoCloseable {

    private static final long SLOT_NANOS = 1_000_000L;
    private static final int SLOTS_PER_FRAME = 20;
    private static final long FRAME_NANOS = 20_000_000L;

    private final List<List<EchoCall>> phases = new ArrayList<>();
    private final Queue<EchoCall> toRegister = new ConcurrentLinkedQueue<>();
    private final Selector selector;
    private final Thread sender;
    private final Thread receiver;
    private volatile boolean running = true;
    private volatile boolean measuring;
    private volatile Timeline timeline;

    /** The echo's delay per packet of the measured window. */
    final Histogram delay = new Histogram(2_000_000_000L);
    /** How far the gap between consecutive echoed packets of a call is from 20 ms, either way. */
    final Histogram spacing = new Histogram(1_000_000_000L);
    /** How late this generator's own sender woke against its 1 ms deadlines: the noise floor of the numbers above. */
    final Histogram senderLate = new Histogram(1_000_000_000L);

    RtpPump() throws IOException {
        for (int i = 0; i < SLOTS_PER_FRAME; i++) {
            phases.add(new CopyOnWriteArrayList<>());
        }
        selector = Selector.open();
        // The highest priority, which counts where the JVM maps priorities to the OS (-XX:ThreadPriorityPolicy=1 as
        // root): the generator's clock then goes before both JVMs' compilers and collectors.
        sender = Thread.ofPlatform()
                .name("rtp-sender")
                .daemon(true)
                .priority(Thread.MAX_PRIORITY)
                .start(this::sendLoop);
        receiver = Thread.ofPlatform()
                .name("rtp-receiver")
                .daemon(true)
                .priority(Thread.MAX_PRIORITY)
                .start(this::receiveLoop);
    }

    /** Starts sending and receiving on a call whose answer arrived. */
    void add(EchoCall call) {
        toRegister.add(call);
        selector.wakeup();
        phases.get(call.index % SLOTS_PER_FRAME).add(call);
    }

    /** Stops sending on a call (before its BYE). */
    void remove(EchoCall call) {
        phases.get(call.index % SLOTS_PER_FRAME).remove(call);
    }

    /** Starts following the load on {@code window}'s timeline, from before the measured window opens. */
    void watch(Timeline window) {
        timeline = window;
        Thread.ofPlatform().name("steal-sampler").daemon(true).start(this::sampleSteal);
    }

    /** Opens or closes the measured window. */
    void measure(boolean on) {
        measuring = on;
    }

    private boolean closedWindow() {
        Timeline t = timeline;
        return t == null || t.closed();
    }

    /** The hypervisor's steal time, every 100 ms of the window, read from {@code /proc/stat}. */
    private void sampleSteal() {
        long previous = MachineStat.stealTicks();
        while (running && !closedWindow()) {
            LockSupport.parkNanos(Timeline.STEP_NANOS);
            long now = MachineStat.stealTicks();
            if (previous >= 0 && now >= 0) {
                timeline.steal(System.nanoTime(), now - previous);
            }
            previous = now;
        }
    }

    private void sendLoop() {
        long start = System.nanoTime();
        for (long slot = 0; running; slot++) {
            long deadline = start + slot * SLOT_NANOS;
            long now;
            while ((now = System.nanoTime()) < deadline && running) {
                LockSupport.parkNanos(deadline - now);
            }
            boolean inWindow = measuring;
            if (inWindow) {
                senderLate.record(now - deadline);
            }
            Timeline watching = timeline;
            if (watching != null) {
                watching.senderLate(now, now - deadline);
            }
            for (EchoCall call : phases.get((int) (slot % SLOTS_PER_FRAME))) {
                if (call.state == EchoCall.State.CONNECTED) {
                    call.sendNext(inWindow);
                }
            }
        }
    }

    private void receiveLoop() {
        ByteBuffer in = ByteBuffer.allocate(2048);
        long[] gap = new long[2];
        try {
            while (running) {
                EchoCall added;
                while ((added = toRegister.poll()) != null) {
                    added.rtp.register(selector, SelectionKey.OP_READ, added);
                }
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    EchoCall call = (EchoCall) key.attachment();
                    DatagramChannel channel = (DatagramChannel) key.channel();
                    while (true) {
                        in.clear();
                        int length;
                        try {
                            length = channel.read(in);
                        } catch (IOException e) {
                            break; // ICMP unreachable on a connected socket after the server closed its port
                        }
                        if (length <= 0) {
                            break;
                        }
                        long now = System.nanoTime();
                        long delayNanos = call.onEcho(in.array(), length, now, gap);
                        Timeline watching = timeline;
                        if (delayNanos >= 0 && watching != null) {
                            watching.echo(now, delayNanos);
                        }
                        if (delayNanos >= 0 && gap[1] == 1) {
                            delay.record(delayNanos);
                            if (gap[0] >= 0) {
                                spacing.record(Math.abs(gap[0] - FRAME_NANOS));
                            }
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            if (running) {
                System.err.println("rtp receiver: " + e);
            }
        }
    }

    /** Stops both threads; idempotent. */
    @Override
    public void close() throws IOException {
        if (!running) {
            return;
        }
        running = false;
        selector.wakeup();
        try {
            sender.join(2000);
            receiver.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        selector.close();
    }
}
