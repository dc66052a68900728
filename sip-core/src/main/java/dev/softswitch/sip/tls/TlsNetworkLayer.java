package dev.softswitch.sip.tls;

import gov.nist.core.net.DefaultNetworkLayer;
import gov.nist.core.net.NetworkLayer;
import gov.nist.javax.sip.SipStackImpl;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * The sockets of a stack that speaks SIP over TLS ({@code gov.nist.javax.sip.NETWORK_LAYER}). UDP and TCP sockets are
 * the stack's own; TLS ones come from our {@link SipTls} context instead of the JVM-wide {@code javax.net.ssl.*}
 * properties:
 *
 * <ul>
 *   <li>the listening socket hands the stack only connections whose handshake has finished, within the handshake
 *       timeout ({@link HandshakingServerSocket});
 *   <li>a connection we open (a call placed over TLS) checks the server's certificate against the trusted CAs and the
 *       host name we connect to (RFC 5922 7.2, RFC 6125), sends that name as SNI, and offers TLS 1.3 and 1.2 only.
 * </ul>
 */
public final class TlsNetworkLayer implements NetworkLayer {

    /** As the stack's own network layer: a TCP connect that takes longer fails. */
    static final int CONNECT_TIMEOUT_MILLIS = 8000;

    private final NetworkLayer plain = DefaultNetworkLayer.SINGLETON;
    private @Nullable SipTls tls;
    private String stackName = "";

    /** The stack makes its network layer by reflection, then calls {@link #setSipStack}. */
    public TlsNetworkLayer() {}

    @Override
    public void setSipStack(SipStackImpl stack) {
        this.stackName = stack.getStackName();
        this.tls = SipTlsRegistry.forStack(stackName);
    }

    private SipTls tls() throws SocketException {
        SipTls t = tls;
        if (t == null) {
            throw new SocketException("no TLS settings registered for the SIP stack " + stackName);
        }
        return t;
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return plain.createServerSocket(port, backlog, bindAddress);
    }

    @Override
    public SSLServerSocket createSSLServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return HandshakingServerSocket.open(tls(), port, backlog, bindAddress);
    }

    @Override
    public Socket createSocket(InetAddress address, int port) throws IOException {
        return plain.createSocket(address, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        return plain.createSocket(address, port, myAddress);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress, int myPort) throws IOException {
        return plain.createSocket(address, port, myAddress, myPort);
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port) throws IOException {
        return connect(address, port, null);
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        return connect(address, port, myAddress);
    }

    @Override
    public DatagramSocket createDatagramSocket() throws SocketException {
        return plain.createDatagramSocket();
    }

    @Override
    public DatagramSocket createDatagramSocket(int port, InetAddress laddr) throws SocketException {
        return plain.createDatagramSocket(port, laddr);
    }

    /**
     * A client connection to {@code address:port}, connected but not yet shaken hands: the stack starts the handshake
     * (with its watchdog of {@code SSL_HANDSHAKE_TIMEOUT}) and fails the request if it does not pass.
     */
    private SSLSocket connect(InetAddress address, int port, @Nullable InetAddress myAddress) throws IOException {
        SipTls t = tls();
        Socket raw = new Socket();
        try {
            if (myAddress != null) {
                raw.bind(new InetSocketAddress(myAddress, 0));
            }
            raw.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MILLIS);
            String host = hostOf(address);
            SSLSocket ssl = (SSLSocket) t.context().getSocketFactory().createSocket(raw, host, port, true);
            SSLParameters parameters = t.parameters();
            // The host name (or IP address) we meant to reach must be in the certificate: RFC 5922 7.2, RFC 6125.
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            if (!host.equals(address.getHostAddress())) {
                try {
                    parameters.setServerNames(List.of(new SNIHostName(host)));
                } catch (IllegalArgumentException notAHostName) {
                    // no SNI for a name SNI cannot carry; the certificate is still checked against it
                }
            }
            ssl.setSSLParameters(parameters);
            ssl.setUseClientMode(true);
            return ssl;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /**
     * The name {@code address} was looked up by, or its IP address when it was made from a literal. Never a reverse
     * lookup: {@link InetAddress#toString()} is {@code name/address}, with an empty name for a literal.
     */
    static String hostOf(InetAddress address) {
        String text = address.toString();
        int slash = text.indexOf('/');
        String name = slash > 0 ? text.substring(0, slash) : "";
        return name.isEmpty() ? address.getHostAddress() : name;
    }
}
