package dev.softswitch.bench.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jspecify.annotations.Nullable;

/**
 * One call of the load: its SIP dialog state and its RTP socket. The sender thread sends one marked 20 ms PCMU packet
 * per period ({@link #sendNext}); the receiver thread matches the echo's packets to them ({@link #onEcho}). The two
 * share only the ring of send times, indexed by packet number.
 */
final class EchoCall {

    enum State {
        NEW,
        INVITING,
        CONNECTED,
        BYE_SENT,
        DONE,
        FAILED
    }

    /** Send times kept: 256 packets, 5 s; an echo later than that is not matched. */
    private static final int RING = 256;

    private static final int PAYLOAD = 160;
    private static final int HEADER = 12;
    private static final int IN_WINDOW = 1;
    private static final int ECHOED = 2;

    final int index;
    final String callId;
    final String fromTag;
    final DatagramChannel rtp;
    final int rtpPort;

    volatile State state = State.NEW;
    volatile @Nullable String failure;
    volatile boolean endedByPeer;

    // SIP: written by the main and SIP threads under the call's lock.
    long inviteSentNanos;
    long lastSendNanos;
    int sends;
    boolean provisional;

    @Nullable
    String toHeader;

    @Nullable
    String remoteTarget;
    /** The branch of the transaction in progress: the INVITE, then the BYE. */
    @Nullable
    String branch;
    /** The SDP offer, kept for retransmissions of the INVITE. */
    String invite = "";

    long byeStartNanos;

    // RTP send path: the sender thread only.
    private final byte[] packet = new byte[HEADER + PAYLOAD];
    private final ByteBuffer out = ByteBuffer.wrap(packet);
    private final long ssrc = ThreadLocalRandom.current().nextLong(1L << 32);
    private int sequence = ThreadLocalRandom.current().nextInt(1 << 16);
    private long timestamp = ThreadLocalRandom.current().nextLong(1L << 32);
    private int number;

    // Shared between the sender and the receiver: per slot the send time, and the packet number with its flags.
    private final AtomicLongArray sentAt = new AtomicLongArray(RING);
    private final AtomicIntegerArray sent = new AtomicIntegerArray(RING);

    // Receive path: the receiver thread only.
    private long lastArrival = -1;
    private long lastNumber = -1;

    // Counters, each written by one thread and read by the main thread once that thread has stopped.
    long windowSent;
    long windowEchoed;
    long echoed;
    long duplicates;
    long unmarked;
    long rtcp;
    long sendErrors;

    EchoCall(int index, String callId) throws IOException {
        this.index = index;
        this.callId = callId;
        this.fromTag = "b" + Integer.toHexString(ThreadLocalRandom.current().nextInt()) + index;
        this.rtp = DatagramChannel.open(StandardProtocolFamily.INET);
        this.rtp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.rtp.configureBlocking(false);
        this.rtpPort = ((InetSocketAddress) rtp.getLocalAddress()).getPort();
        for (int i = HEADER; i < packet.length; i++) {
            packet[i] = (byte) 0xff; // mu-law silence around the marker
        }
    }

    /** Points the RTP socket at the address the answer gave. */
    void connectMedia(InetSocketAddress remote) throws IOException {
        rtp.connect(remote);
    }

    /** Sends the next packet (sender thread); {@code measuring} marks it as part of the measured window. */
    void sendNext(boolean measuring) {
        int n = number++;
        sequence = (sequence + 1) & 0xffff;
        timestamp = (timestamp + PAYLOAD) & 0xffff_ffffL;
        packet[0] = (byte) 0x80;
        packet[1] = (byte) (n == 0 ? 0x80 : 0); // PT 0 (PCMU), marker on the first packet
        packet[2] = (byte) (sequence >>> 8);
        packet[3] = (byte) sequence;
        writeInt(packet, 4, timestamp);
        writeInt(packet, 8, ssrc);
        EchoMarker.write(packet, HEADER, n);
        int slot = n & (RING - 1);
        sent.set(slot, (n << 2) | (measuring ? IN_WINDOW : 0));
        sentAt.set(slot, System.nanoTime());
        out.clear();
        try {
            rtp.write(out);
            if (measuring) {
                windowSent++;
            }
        } catch (IOException e) {
            sendErrors++;
        }
    }

    /**
     * A datagram from the echo (receiver thread). Returns the echo's delay in nanoseconds for a packet seen for the first
     * time, else -1; {@code out[0]} gets the time since the previous echoed packet when the two are consecutive, else
     * -1, and {@code out[1]} is 1 when the packet was sent in the measured window, else 0.
     */
    long onEcho(byte[] buf, int length, long now, long[] out) {
        long[] arrivalGap = out;
        arrivalGap[0] = -1;
        out[1] = 0;
        if (length < HEADER || (buf[0] & 0xc0) != 0x80) {
            return -1;
        }
        int second = buf[1] & 0xff;
        if (second >= 200 && second <= 204) {
            rtcp++;
            return -1; // RTCP multiplexed on the RTP port (RFC 5761)
        }
        int header = HEADER + 4 * (buf[0] & 0x0f);
        long n = EchoMarker.read(buf, header, length - header);
        if (n < 0) {
            unmarked++;
            return -1;
        }
        if (lastNumber >= 0 && n == lastNumber + 1) {
            arrivalGap[0] = now - lastArrival;
        }
        lastNumber = n;
        lastArrival = now;
        int slot = (int) (n & (RING - 1));
        int meta = sent.get(slot);
        if ((meta >>> 2) != (int) n) {
            return -1; // older than the ring
        }
        if ((meta & ECHOED) != 0) {
            duplicates++;
            return -1;
        }
        sent.set(slot, meta | ECHOED);
        echoed++;
        if ((meta & IN_WINDOW) != 0) {
            windowEchoed++;
            out[1] = 1;
        }
        return now - sentAt.get(slot);
    }

    void close() {
        try {
            rtp.close();
        } catch (IOException e) {
            // closing at the end of the run: nothing left to do with it
        }
    }

    private static void writeInt(byte[] b, int at, long v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
