package dev.softswitch.sip.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS listening socket the stack accepts from, which hands it only connections whose handshake has finished.
 *
 * <p>The stack's own path runs each handshake on the connection's thread and, when it fails or its watchdog closes a
 * silent connection, returns without giving back the connection's slot ({@code MAX_CONNECTIONS}) or forgetting the
 * channel: a scanner that opens connections and says nothing would stop the listener for good once the slots are
 * gone, and each failure logs an ERROR with a stack trace. Here an acceptor thread takes connections, each handshake
 * runs on a virtual thread with a deadline ({@link SipTls#handshakeTimeout()}: the socket is closed when it passes,
 * however slowly the client trickles bytes), at most {@value SipTls#MAX_PENDING_HANDSHAKES} at once, and only
 * connections that made it are queued for the stack's {@link #accept()}, wrapped so that the stack's second handshake
 * is a no-op ({@link HandshakenSocket}).
 */
final class HandshakingServerSocket extends SSLServerSocket {

    private static final Logger log = LoggerFactory.getLogger(HandshakingServerSocket.class);
    /** Connections that passed their handshake and wait for the stack to take them. */
    private static final int READY = 64;

    private final SSLServerSocket listener;
    private final SipTls tls;
    private final BlockingQueue<SSLSocket> ready = new ArrayBlockingQueue<>(READY);
    private final Semaphore pending = new Semaphore(SipTls.MAX_PENDING_HANDSHAKES);
    private final ScheduledExecutorService deadlines;
    private final Object startLock = new Object();
    private @Nullable Thread acceptor;
    private volatile boolean closed;

    private HandshakingServerSocket(SSLServerSocket listener, SipTls tls) throws IOException {
        this.listener = listener;
        this.tls = tls;
        this.deadlines = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("sip-tls-deadlines-" + listener.getLocalPort())
                .daemon(true)
                .factory());
    }

    /** Binds {@code address:port} with our context, protocols, suites and client certificate rule. */
    static HandshakingServerSocket open(SipTls tls, int port, int backlog, InetAddress address) throws IOException {
        SSLServerSocket listener =
                (SSLServerSocket) tls.context().getServerSocketFactory().createServerSocket(port, backlog, address);
        try {
            listener.setSSLParameters(tls.parameters());
            switch (tls.clientAuth()) {
                case NONE -> listener.setWantClientAuth(false);
                case WANT -> listener.setWantClientAuth(true);
                case NEED -> listener.setNeedClientAuth(true);
            }
            return new HandshakingServerSocket(listener, tls);
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    /**
     * The next connection whose handshake has finished. The acceptor starts on the first call, after the stack has
     * set the socket up.
     */
    @Override
    public Socket accept() throws IOException {
        startAcceptor();
        while (!closed) {
            try {
                SSLSocket next = ready.poll(200, TimeUnit.MILLISECONDS);
                if (next != null) {
                    return new HandshakenSocket(next);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SocketException("interrupted while accepting");
            }
        }
        throw new SocketException("Socket is closed");
    }

    private void startAcceptor() {
        synchronized (startLock) {
            if (acceptor == null && !closed) {
                acceptor = Thread.ofPlatform()
                        .name("sip-tls-accept-" + listener.getLocalPort())
                        .daemon(true)
                        .start(this::acceptLoop);
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("SIP over TLS: accepting a connection failed: {}", e.toString());
                }
                continue;
            }
            if (!pending.tryAcquire()) {
                tls.countRefused();
                log.debug(
                        "SIP over TLS: {} refused: {} handshakes already in progress",
                        socket.getRemoteSocketAddress(),
                        SipTls.MAX_PENDING_HANDSHAKES);
                closeQuietly(socket);
                continue;
            }
            SSLSocket ssl = (SSLSocket) socket;
            try {
                Thread.ofVirtual().name("sip-tls-handshake").start(() -> handshake(ssl));
            } catch (RuntimeException e) {
                pending.release();
                closeQuietly(ssl);
            }
        }
    }

    /** Shakes hands with a deadline, then queues the connection for the stack; any failure closes it. */
    private void handshake(SSLSocket socket) {
        SocketAddress peer = socket.getRemoteSocketAddress();
        long timeout = tls.handshakeTimeout().toMillis();
        AtomicBoolean expired = new AtomicBoolean(); // set before the close: the close is what the handshake sees
        ScheduledFuture<?> deadline = deadlines.schedule(
                () -> {
                    expired.set(true);
                    closeQuietly(socket);
                },
                timeout,
                TimeUnit.MILLISECONDS);
        try {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout));
            socket.startHandshake();
            if (!deadline.cancel(false)) {
                throw new SocketTimeoutException("handshake deadline");
            }
            socket.setSoTimeout(0);
            tls.countHandshake();
            if (closed || !ready.offer(socket)) {
                tls.countRefused();
                closeQuietly(socket);
            }
        } catch (IOException e) {
            // JSSE wraps what happened under the handshake (our deadline closing the socket, a read timing out) in
            // an SSLException: the deadline's mark (set before it closes the socket, so never missed while it is still
            // closing) and the causes tell a silent client from a failed handshake.
            if (expired.get() || timedOut(e)) {
                tls.countTimedOut();
                log.debug("SIP over TLS: {} closed: no handshake within {} ms", peer, timeout);
            } else {
                tls.countFailed();
                log.debug("SIP over TLS: handshake with {} failed: {}", peer, e.getMessage());
            }
            closeQuietly(socket);
        } finally {
            deadline.cancel(false);
            pending.release();
        }
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        try {
            listener.close();
        } finally {
            deadlines.shutdownNow();
            SSLSocket left;
            while ((left = ready.poll()) != null) {
                closeQuietly(left);
            }
        }
    }

    @Override
    public boolean isClosed() {
        return closed || listener.isClosed();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing: nothing left to do with it
        }
    }

    // --------------------------------------------------------------- the rest is the real listener's

    @Override
    public void bind(SocketAddress endpoint) throws IOException {
        listener.bind(endpoint);
    }

    @Override
    public void bind(SocketAddress endpoint, int backlog) throws IOException {
        listener.bind(endpoint, backlog);
    }

    @Override
    public @Nullable InetAddress getInetAddress() {
        return listener.getInetAddress();
    }

    @Override
    public int getLocalPort() {
        return listener.getLocalPort();
    }

    @Override
    public @Nullable SocketAddress getLocalSocketAddress() {
        return listener.getLocalSocketAddress();
    }

    @Override
    public boolean isBound() {
        return listener.isBound();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        // the stack's accept waits for ever, as it does on its own sockets; our poll loop ends on close
    }

    @Override
    public int getSoTimeout() {
        return 0;
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        listener.setReuseAddress(on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return listener.getReuseAddress();
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        listener.setReceiveBufferSize(size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return listener.getReceiveBufferSize();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return listener.getEnabledCipherSuites();
    }

    /** Ours stay: the stack's list comes from the same {@link SipTls} (see {@code StackProperties}). */
    @Override
    public void setEnabledCipherSuites(String[] suites) {
        listener.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return listener.getSupportedCipherSuites();
    }

    @Override
    public String[] getSupportedProtocols() {
        return listener.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return listener.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        listener.setEnabledProtocols(protocols);
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        listener.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
        return listener.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        listener.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
        return listener.getWantClientAuth();
    }

    @Override
    public void setUseClientMode(boolean mode) {
        listener.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
        return listener.getUseClientMode();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        listener.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return listener.getEnableSessionCreation();
    }

    @Override
    public javax.net.ssl.SSLParameters getSSLParameters() {
        return listener.getSSLParameters();
    }

    @Override
    public void setSSLParameters(javax.net.ssl.SSLParameters parameters) {
        listener.setSSLParameters(parameters);
    }

    @Override
    public String toString() {
        return "HandshakingServerSocket[" + listener + "]";
    }
}
