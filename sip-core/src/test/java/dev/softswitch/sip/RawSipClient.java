package dev.softswitch.sip;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/** A bare UDP SIP client for tests: sends hand-written requests and reads the responses as text. */
final class RawSipClient implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final DatagramSocket socket;
    private final InetSocketAddress server;

    RawSipClient(int serverPort) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.socket.setSoTimeout(5000);
        this.server = new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort);
    }

    /** A request with the usual headers; {@code extra} are more header lines, each ending in CRLF. */
    String request(
            String method, String user, String callId, String toTag, String extra, String contentType, String body) {
        return request(method, 1, user, callId, toTag, extra, contentType, body);
    }

    /** As above with a CSeq number: requests inside a dialog count up from the INVITE's. */
    String request(
            String method,
            long cseq,
            String user,
            String callId,
            String toTag,
            String extra,
            String contentType,
            String body) {
        int n = COUNTER.incrementAndGet();
        int port = socket.getLocalPort();
        StringBuilder m = new StringBuilder()
                .append(method)
                .append(" sip:")
                .append(user)
                .append("@127.0.0.1:")
                .append(server.getPort())
                .append(" SIP/2.0\r\n")
                .append("Via: SIP/2.0/UDP 127.0.0.1:")
                .append(port)
                .append(";branch=z9hG4bK-test-")
                .append(n)
                .append(";rport\r\n")
                .append("From: <sip:tester@127.0.0.1>;tag=from")
                .append(Integer.toHexString(callId.hashCode())) // one From tag per call
                .append("\r\n")
                .append("To: <sip:")
                .append(user)
                .append("@127.0.0.1>")
                .append(toTag.isEmpty() ? "" : ";tag=" + toTag)
                .append("\r\n")
                .append("Call-ID: ")
                .append(callId)
                .append("\r\n")
                .append("CSeq: ")
                .append(cseq)
                .append(' ')
                .append(method)
                .append("\r\n")
                .append("Contact: <sip:tester@127.0.0.1:")
                .append(port)
                .append(">\r\n")
                .append("Max-Forwards: 70\r\n")
                .append(extra);
        if (!body.isEmpty()) {
            m.append("Content-Type: ").append(contentType).append("\r\n");
        }
        m.append("Content-Length: ")
                .append(body.getBytes(StandardCharsets.UTF_8).length)
                .append("\r\n\r\n")
                .append(body);
        return m.toString();
    }

    void send(String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, server));
    }

    /** The next response whose status is not 1xx (provisional responses are skipped), or null after 5 s. */
    String finalResponse() throws IOException {
        while (true) {
            String response = receive();
            if (response == null || !response.startsWith("SIP/2.0 1")) {
                return response;
            }
        }
    }

    /** The next final response to {@code method}: retransmissions of earlier answers (an INVITE's 200) are skipped. */
    String finalResponseTo(String method) throws IOException {
        while (true) {
            String response = finalResponse();
            if (response == null || response.matches("(?s).*\\nCSeq: \\d+ " + method + "\\r?\\n.*")) {
                return response;
            }
        }
    }

    /** How long {@link #receive} waits before it returns null (5 s unless set). */
    void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    String receive() throws IOException {
        byte[] buf = new byte[65535];
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
    }

    static String sdp(String codecLines) {
        return "v=0\r\no=t 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" + codecLines;
    }

    @Override
    public void close() {
        socket.close();
    }
}
