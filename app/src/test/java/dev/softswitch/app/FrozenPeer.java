package dev.softswitch.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket peer on a plain {@link Socket} that completes the RFC 6455 opening handshake and then stops reading,
 * with a receive buffer as small as the kernel allows, so that what the softswitch sends piles up at once: a bot that
 * froze ({@link #bot}, a server) or a provider whose media client froze ({@link #client}, masking its frames as a
 * client must). It may go on sending. {@link #drain} reads again, later, to see whether the softswitch closed the
 * connection and with which close frame.
 */
final class FrozenPeer implements AutoCloseable {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int RECEIVE_BUFFER = 1024;

    /** What {@link #drain} found: the close codes of close frames read (if any), and whether the stream ended. */
    record Drained(long bytes, List<Integer> closeCodes, boolean ended) {}

    private final Socket socket;
    private final boolean client;
    private final SecureRandom random = new SecureRandom();

    private FrozenPeer(Socket socket, boolean client) {
        this.socket = socket;
        this.client = client;
    }

    /** A bot's listening socket: each connection accepted is upgraded, then never read from. */
    static final class Server implements AutoCloseable {
        private final ServerSocket listening;
        private final List<CompletableFuture<FrozenPeer>> accepted = new ArrayList<>();

        Server() throws IOException {
            listening = new ServerSocket();
            listening.setReceiveBufferSize(RECEIVE_BUFFER); // inherited by accepted sockets, before the SYN
            listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread.ofVirtual().name("frozen-bot").start(this::acceptLoop);
        }

        URI url() {
            return URI.create("ws://127.0.0.1:" + listening.getLocalPort() + "/media");
        }

        /** The {@code n}-th connection (from 0), once upgraded. */
        FrozenPeer await(int n, Duration timeout) throws Exception {
            CompletableFuture<FrozenPeer> next;
            synchronized (accepted) {
                while (accepted.size() <= n) {
                    accepted.add(new CompletableFuture<>());
                }
                next = accepted.get(n);
            }
            return next.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void acceptLoop() {
            for (int n = 0; ; n++) {
                CompletableFuture<FrozenPeer> slot;
                synchronized (accepted) {
                    while (accepted.size() <= n) {
                        accepted.add(new CompletableFuture<>());
                    }
                    slot = accepted.get(n);
                }
                try {
                    Socket s = listening.accept();
                    String request = readHead(s.getInputStream());
                    String key = header(request, "sec-websocket-key");
                    s.getOutputStream()
                            .write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                            + "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n")
                                    .getBytes(StandardCharsets.ISO_8859_1));
                    slot.complete(new FrozenPeer(s, false));
                } catch (IOException e) {
                    slot.completeExceptionally(e);
                    return; // closed
                }
            }
        }

        @Override
        public void close() throws IOException {
            listening.close();
            synchronized (accepted) {
                for (CompletableFuture<FrozenPeer> f : accepted) {
                    if (f.isDone() && !f.isCompletedExceptionally()) {
                        f.join().close();
                    }
                }
            }
        }
    }

    /** A client that opens {@code url} (ws://) and, once upgraded, reads nothing more. */
    static FrozenPeer client(URI url) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(RECEIVE_BUFFER); // before connecting: the window scale is fixed by the SYN
        s.connect(new InetSocketAddress(url.getHost(), url.getPort()), 5000);
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        s.getOutputStream()
                .write(("GET " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                                + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
        s.setSoTimeout(5000);
        String response = readHead(s.getInputStream());
        if (!response.startsWith("HTTP/1.1 101") || !accept(key).equals(header(response, "sec-websocket-accept"))) {
            s.close();
            throw new IOException(
                    "upgrade refused: " + response.lines().findFirst().orElse(""));
        }
        return new FrozenPeer(s, true);
    }

    /** The receive buffer the kernel really gave this socket. */
    int receiveBuffer() throws IOException {
        return socket.getReceiveBufferSize();
    }

    /** Sends one text frame (masked, as a client). */
    void sendText(String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81); // FIN, text
        int mask = client ? 0x80 : 0;
        if (payload.length < 126) {
            frame.write(mask | payload.length);
        } else {
            frame.write(mask | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        }
        if (client) {
            byte[] key = new byte[4];
            random.nextBytes(key);
            frame.writeBytes(key);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= key[i & 3];
            }
        }
        frame.writeBytes(payload);
        OutputStream out = socket.getOutputStream();
        out.write(frame.toByteArray());
        out.flush();
    }

    /**
     * Reads again, everything the softswitch left in the connection, until the stream ends or {@code timeout} passes
     * without a byte; parses the frames on the way to find close frames.
     */
    Drained drain(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        boolean ended = false;
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                all.write(buffer, 0, n);
            }
            ended = true;
        } catch (SocketTimeoutException e) {
            ended = false;
        } catch (IOException e) {
            ended = true; // reset by the peer: ended too
        }
        return new Drained(all.size(), closeCodes(all.toByteArray()), ended);
    }

    /** The close codes of the server-to-client (unmasked) or client-to-server frames in {@code bytes}. */
    private static List<Integer> closeCodes(byte[] bytes) {
        List<Integer> codes = new ArrayList<>();
        int at = 0;
        while (at + 2 <= bytes.length) {
            int opcode = bytes[at] & 0x0f;
            boolean masked = (bytes[at + 1] & 0x80) != 0;
            long length = bytes[at + 1] & 0x7f;
            int header = 2;
            if (length == 126) {
                if (at + 4 > bytes.length) {
                    break;
                }
                length = ((bytes[at + 2] & 0xff) << 8) | (bytes[at + 3] & 0xff);
                header = 4;
            } else if (length == 127) {
                if (at + 10 > bytes.length) {
                    break;
                }
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | (bytes[at + 2 + i] & 0xff);
                }
                header = 10;
            }
            int maskAt = at + header;
            int payloadAt = maskAt + (masked ? 4 : 0);
            if (payloadAt + length > bytes.length) {
                break; // cut off: the connection closed mid-frame
            }
            if (opcode == 0x8 && length >= 2) {
                int b0 = bytes[payloadAt] & 0xff;
                int b1 = bytes[payloadAt + 1] & 0xff;
                if (masked) {
                    b0 ^= bytes[maskAt] & 0xff;
                    b1 ^= bytes[maskAt + 1] & 0xff;
                }
                codes.add((b0 << 8) | b1);
            }
            at = (int) (payloadAt + length);
        }
        return codes;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        throw new IOException("the connection ended before the HTTP head did");
    }

    private static String header(String head, String name) throws IOException {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0
                    && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        throw new IOException("no " + name + " header in " + head);
    }

    private static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
