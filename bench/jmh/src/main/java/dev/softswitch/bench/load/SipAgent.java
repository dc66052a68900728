package dev.softswitch.bench.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal SIP user agent client over one UDP socket: INVITE with an SDP offer (retransmitted per RFC 3261 17.1.1.2
 * until a response comes), ACK, BYE (retransmitted per 17.1.2.2), and 200 OK to whatever the server asks in the dialog
 * (a BYE of its own, OPTIONS). Enough to drive calls against the softswitch on loopback; not a general SIP stack.
 */
final class SipAgent implements AutoCloseable {

    /** RFC 3261 17.1.1.1: T1 and T2. */
    private static final long T1 = 500_000_000L;

    private static final long T2 = 4_000_000_000L;
    /** How long a BYE is retransmitted before the call is counted failed (RFC 3261 Timer F, shortened). */
    private static final long BYE_TIMEOUT = 8_000_000_000L;

    private final DatagramChannel socket;
    private final InetSocketAddress server;
    private final String local;
    private final String service;
    private final Map<String, EchoCall> calls = new ConcurrentHashMap<>();
    private final Histogram setupTimes = new Histogram(60_000_000_000L);
    private final AtomicLong retransmissions = new AtomicLong();
    private final AtomicLong requestsAnswered = new AtomicLong();
    private final Thread receiver;
    private final MediaListener media;

    /** Told when a call's answer arrives, on the SIP thread. */
    interface MediaListener {
        void connected(EchoCall call);
    }

    SipAgent(InetSocketAddress server, String service, MediaListener media) throws IOException {
        this.server = server;
        this.service = service;
        this.media = media;
        this.socket = DatagramChannel.open(StandardProtocolFamily.INET);
        socket.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
        socket.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 4 << 20);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.local = "127.0.0.1:" + ((InetSocketAddress) socket.getLocalAddress()).getPort();
        this.receiver = Thread.ofPlatform().name("sip-receiver").daemon(true).start(this::receiveLoop);
    }

    Histogram setupTimes() {
        return setupTimes;
    }

    long retransmissions() {
        return retransmissions.get();
    }

    long requestsAnswered() {
        return requestsAnswered.get();
    }

    /** Sends the call's INVITE, offering PCMU and telephone-event on its RTP port with rtcp-mux. */
    void invite(EchoCall call) throws IOException {
        String sdp = "v=0\r\n"
                + "o=bench " + call.index + " 1 IN IP4 127.0.0.1\r\n"
                + "s=-\r\n"
                + "c=IN IP4 127.0.0.1\r\n"
                + "t=0 0\r\n"
                + "m=audio " + call.rtpPort + " RTP/AVP 0 101\r\n"
                + "a=rtpmap:0 PCMU/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\n"
                + "a=fmtp:101 0-16\r\n"
                + "a=ptime:20\r\n"
                + "a=rtcp-mux\r\n"
                + "a=sendrecv\r\n";
        synchronized (call) {
            call.branch = branch();
            calls.put(call.callId, call);
            call.state = EchoCall.State.INVITING;
            call.inviteSentNanos = System.nanoTime();
            call.lastSendNanos = call.inviteSentNanos;
            call.sends = 1;
            send(inviteText(call, sdp));
            call.invite = sdp;
        }
    }

    private String inviteText(EchoCall call, String sdp) {
        return "INVITE " + requestUri() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + local + ";branch=" + call.branch + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:bench@" + local + ">;tag=" + call.fromTag + "\r\n"
                + "To: <" + requestUri() + ">\r\n"
                + "Call-ID: " + call.callId + "\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:bench@" + local + ">\r\n"
                + "User-Agent: softswitch-bench\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + sdp.length() + "\r\n"
                + "\r\n"
                + sdp;
    }

    /** Sends the call's BYE; the call must be connected. */
    void bye(EchoCall call) throws IOException {
        synchronized (call) {
            if (call.state != EchoCall.State.CONNECTED) {
                return;
            }
            call.state = EchoCall.State.BYE_SENT;
            call.branch = branch();
            call.lastSendNanos = System.nanoTime();
            call.sends = 1;
            call.byeStartNanos = call.lastSendNanos;
            send(byeText(call));
        }
    }

    private String byeText(EchoCall call) {
        return "BYE " + call.remoteTarget + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + local + ";branch=" + call.branch + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:bench@" + local + ">;tag=" + call.fromTag + "\r\n"
                + "To: " + call.toHeader + "\r\n"
                + "Call-ID: " + call.callId + "\r\n"
                + "CSeq: 2 BYE\r\n"
                + "Content-Length: 0\r\n"
                + "\r\n";
    }

    /**
     * Retransmits what is due and fails what timed out (main thread, every few milliseconds): an INVITE without a
     * response by T1, 2 T1, 4 T1 ... (at most T2 apart), a call without a final answer after {@code setupTimeout}, a BYE
     * likewise and unanswered after {@link #BYE_TIMEOUT}.
     */
    void tick(long now, long setupTimeout) throws IOException {
        for (EchoCall call : calls.values()) {
            synchronized (call) {
                long interval = Math.min(T2, T1 << Math.min(10, call.sends - 1));
                if (call.state == EchoCall.State.INVITING) {
                    if (now - call.inviteSentNanos > setupTimeout) {
                        fail(call, "no answer to the INVITE");
                    } else if (!call.provisional && now - call.lastSendNanos >= interval) {
                        retransmit(call, inviteText(call, call.invite), now);
                    }
                } else if (call.state == EchoCall.State.BYE_SENT) {
                    if (now - call.byeStartNanos > BYE_TIMEOUT) {
                        fail(call, "no answer to the BYE");
                    } else if (now - call.lastSendNanos >= interval) {
                        retransmit(call, byeText(call), now);
                    }
                }
            }
        }
    }

    private void retransmit(EchoCall call, String text, long now) throws IOException {
        call.sends++;
        call.lastSendNanos = now;
        retransmissions.incrementAndGet();
        send(text);
    }

    private static void fail(EchoCall call, String why) {
        call.state = EchoCall.State.FAILED;
        call.failure = why;
    }

    private void receiveLoop() {
        ByteBuffer in = ByteBuffer.allocate(65_536);
        while (socket.isOpen()) {
            try {
                in.clear();
                SocketAddress from = socket.receive(in);
                if (from == null) {
                    continue;
                }
                in.flip();
                String text = StandardCharsets.ISO_8859_1.decode(in).toString();
                if (text.isBlank()) {
                    continue; // keep-alive
                }
                SipMessage message = SipMessage.parse(text);
                if (message.isResponse()) {
                    onResponse(message);
                } else {
                    onRequest(message, from);
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                System.err.println("sip: " + e);
            }
        }
    }

    private void onResponse(SipMessage response) throws IOException {
        String callId = response.header("call-id");
        EchoCall call = callId == null ? null : calls.get(callId);
        if (call == null) {
            return;
        }
        int status = response.status();
        String method = response.method();
        synchronized (call) {
            if (method.equals("INVITE")) {
                onInviteResponse(call, response, status);
            } else if (method.equals("BYE") && call.state == EchoCall.State.BYE_SENT && status >= 200) {
                if (status < 300) {
                    call.state = EchoCall.State.DONE;
                } else {
                    fail(call, "BYE answered " + status);
                }
            }
        }
    }

    private void onInviteResponse(EchoCall call, SipMessage response, int status) throws IOException {
        if (status < 200) {
            call.provisional = true;
            return;
        }
        String to = response.header("to");
        if (status >= 300) {
            if (call.state == EchoCall.State.INVITING) {
                fail(call, "INVITE answered " + response.startLine.substring(8));
            }
            // RFC 3261 17.1.1.3: the ACK of a failure is part of the INVITE transaction
            send("ACK " + requestUri() + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP " + local + ";branch=" + call.branch + ";rport\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:bench@" + local + ">;tag=" + call.fromTag + "\r\n"
                    + "To: " + to + "\r\n"
                    + "Call-ID: " + call.callId + "\r\n"
                    + "CSeq: 1 ACK\r\n"
                    + "Content-Length: 0\r\n"
                    + "\r\n");
            return;
        }
        if (call.state == EchoCall.State.INVITING) {
            String contact = response.header("contact");
            String[] target = SipMessage.audioTarget(response.body);
            if (to == null || target == null) {
                fail(call, "200 OK without To or SDP");
                return;
            }
            call.toHeader = to;
            call.remoteTarget = contact != null ? SipMessage.uriOf(contact) : requestUri();
            setupTimes.record(System.nanoTime() - call.inviteSentNanos);
            InetAddress mediaAddress = InetAddress.getByName(target[0]); // an address literal: no lookup
            if (!mediaAddress.isLoopbackAddress()) {
                fail(call, "the answer's media address is not on this host");
                return;
            }
            call.connectMedia(new InetSocketAddress(mediaAddress, Integer.parseInt(target[1])));
            call.state = EchoCall.State.CONNECTED;
            media.connected(call);
        }
        if (call.toHeader != null) {
            // RFC 3261 13.2.2.4: every 2xx, retransmissions too, is acknowledged
            send("ACK " + call.remoteTarget + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP " + local + ";branch=" + branch() + ";rport\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:bench@" + local + ">;tag=" + call.fromTag + "\r\n"
                    + "To: " + call.toHeader + "\r\n"
                    + "Call-ID: " + call.callId + "\r\n"
                    + "CSeq: 1 ACK\r\n"
                    + "Content-Length: 0\r\n"
                    + "\r\n");
        }
    }

    /** Answers the server's own requests in a dialog with 200 OK (a BYE ends the call: counted as ended by it). */
    private void onRequest(SipMessage request, SocketAddress from) throws IOException {
        String method = request.method();
        if (method.equals("ACK")) {
            return;
        }
        String callId = request.header("call-id");
        EchoCall call = callId == null ? null : calls.get(callId);
        if (call != null && method.equals("BYE")) {
            synchronized (call) {
                call.endedByPeer = true;
                if (call.state == EchoCall.State.CONNECTED || call.state == EchoCall.State.INVITING) {
                    fail(call, "the server sent BYE");
                }
            }
        }
        StringBuilder response = new StringBuilder("SIP/2.0 200 OK\r\n");
        for (String via : request.all("via")) {
            response.append("Via: ").append(via).append("\r\n");
        }
        response.append("From: ").append(request.header("from")).append("\r\n");
        response.append("To: ").append(request.header("to")).append("\r\n");
        response.append("Call-ID: ").append(callId).append("\r\n");
        response.append("CSeq: ").append(request.header("cseq")).append("\r\n");
        response.append("Content-Length: 0\r\n\r\n");
        socket.send(StandardCharsets.ISO_8859_1.encode(response.toString()), from);
        requestsAnswered.incrementAndGet();
    }

    private String requestUri() {
        return "sip:" + service + "@" + server.getHostString() + ":" + server.getPort();
    }

    private static String branch() {
        return "z9hG4bK-bench-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    private void send(String text) throws IOException {
        socket.send(StandardCharsets.ISO_8859_1.encode(text), server);
    }

    @Override
    public void close() throws IOException {
        socket.close();
        try {
            receiver.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
