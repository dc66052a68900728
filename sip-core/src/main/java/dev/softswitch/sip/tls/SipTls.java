package dev.softswitch.sip.tls;

import dev.softswitch.config.TlsClientAuth;
import dev.softswitch.config.TlsConfig;
import dev.softswitch.config.tls.KeyMaterial;
import dev.softswitch.config.tls.TlsMaterialException;
import dev.softswitch.config.tls.TrustMaterial;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * SIP over TLS as one server runs it: the port, the context holding our key and the CAs we trust, whether callers
 * must show a certificate, and how long a handshake may take. TLS 1.3 and 1.2 only, with forward-secret AEAD cipher
 * suites (no CBC, no static RSA key exchange, no anonymous suites): the stack's defaults are TLS 1.0 to 1.2 with
 * {@code TLS_RSA_WITH_AES_128_CBC_SHA}, 3DES and anonymous Diffie-Hellman.
 */
public final class SipTls {

    /** The protocol versions offered and accepted. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** Cipher suites in order of preference; those the JDK lacks are left out. TLS 1.3's first. */
    static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384");

    /** Handshakes in progress at once; more connections are closed at once (a flood, not callers). */
    static final int MAX_PENDING_HANDSHAKES = 256;

    private final int port;
    private final SSLContext context;
    private final TlsClientAuth clientAuth;
    private final Duration handshakeTimeout;
    private final X509Certificate certificate;
    private final String description;
    private final List<String> cipherSuites;
    private final LongAdder handshakes = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder timedOut = new LongAdder();
    private final LongAdder refused = new LongAdder();

    private SipTls(
            int port,
            SSLContext context,
            TlsClientAuth clientAuth,
            Duration handshakeTimeout,
            X509Certificate certificate,
            String description) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("TLS port " + port + " is not in 1-65535");
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("the handshake timeout must be positive");
        }
        this.port = port;
        this.context = Objects.requireNonNull(context, "context");
        this.clientAuth = Objects.requireNonNull(clientAuth, "clientAuth");
        this.handshakeTimeout = handshakeTimeout;
        this.certificate = certificate;
        this.description = description;
        List<String> supported =
                Arrays.asList(context.getSupportedSSLParameters().getCipherSuites());
        this.cipherSuites = CIPHER_SUITES.stream().filter(supported::contains).toList();
        if (cipherSuites.isEmpty()) {
            throw new IllegalStateException("this JDK supports none of the TLS cipher suites " + CIPHER_SUITES);
        }
    }

    /**
     * Loads the key, certificate and trusted CAs {@code config} names and builds the context.
     *
     * @throws TlsMaterialException when a file is missing or wrong (see its {@link TlsMaterialException#source()})
     */
    public static SipTls load(TlsConfig config) throws TlsMaterialException {
        KeyMaterial keys = KeyMaterial.load(config);
        X509TrustManager trust = TrustMaterial.load(config.caFile());
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.keyManagers(), new TrustManager[] {trust}, null);
            return new SipTls(
                    config.port(),
                    context,
                    config.clientAuth(),
                    config.handshakeTimeout(),
                    keys.certificate(),
                    keys.describe());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's TLS context would not take a valid key", e);
        }
    }

    public int port() {
        return port;
    }

    /** Our key and certificate chain, and the CAs that the servers we call (and client certificates) must chain to. */
    public SSLContext context() {
        return context;
    }

    public TlsClientAuth clientAuth() {
        return clientAuth;
    }

    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** The certificate we present. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The certificate's subject, names, expiry and issuer: for the log at start. */
    public String describe() {
        return description;
    }

    /** The cipher suites enabled, in order of preference. */
    public List<String> cipherSuites() {
        return cipherSuites;
    }

    /** The stack's name for {@link #clientAuth()} ({@code gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE}). */
    public String stackClientAuthType() {
        return switch (clientAuth) {
            case NONE -> "Disabled";
            case WANT -> "Want";
            case NEED -> "Enabled";
        };
    }

    /** The parameters every socket of ours gets: protocols, suites, server's order of preference. */
    SSLParameters parameters() {
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setProtocols(PROTOCOLS.toArray(new String[0]));
        parameters.setCipherSuites(cipherSuites.toArray(new String[0]));
        parameters.setUseCipherSuitesOrder(true);
        return parameters;
    }

    /** Handshakes completed by callers since start. */
    public long handshakes() {
        return handshakes.sum();
    }

    /** Handshakes that failed: a caller that does not trust our certificate, speaks no TLS, or offers nothing we take. */
    public long handshakesFailed() {
        return failed.sum();
    }

    /** Connections closed because their handshake did not finish within {@link #handshakeTimeout()}. */
    public long handshakesTimedOut() {
        return timedOut.sum();
    }

    /** Connections closed at once because {@value #MAX_PENDING_HANDSHAKES} handshakes were already in progress. */
    public long connectionsRefused() {
        return refused.sum();
    }

    void countHandshake() {
        handshakes.increment();
    }

    void countFailed() {
        failed.increment();
    }

    void countTimedOut() {
        timedOut.increment();
    }

    void countRefused() {
        refused.increment();
    }

    @Override
    public String toString() {
        return "SipTls[port " + port + ", " + description + ", client auth " + clientAuth.token() + "]";
    }
}
