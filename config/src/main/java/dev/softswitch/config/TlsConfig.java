package dev.softswitch.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * SIP over TLS ({@code listen.tls}, or the {@code --tls-*} flags): its port, the certificate it presents, whom it
 * trusts, and how long a handshake may take. The key and certificate come either as PEM files ({@code cert} and
 * {@code key}, as Let's Encrypt writes them) or as a PKCS#12 keystore with its password; never both.
 *
 * @param port the TCP port SIP over TLS listens on (5061 unless set)
 * @param cert the PEM certificate chain, the server's own certificate first ({@code fullchain.pem}); null with a
 *     keystore
 * @param key the PEM private key of that certificate ({@code privkey.pem}): PKCS#8, or PKCS#1 (RSA) or SEC1 (EC); null
 *     with a keystore
 * @param keystore a PKCS#12 (or JKS) keystore holding one private key and its chain; null with PEM files
 * @param keystorePassword the keystore's password (also its key's); null with PEM files
 * @param clientAuth whether callers must show a certificate of their own
 * @param caFile PEM CA certificates that callers' certificates ({@code want}, {@code need}) and the servers we call
 *     over TLS are checked against; null for the JDK's trust store
 * @param handshakeTimeout a connection whose TLS handshake has not finished after this long is closed
 */
public record TlsConfig(
        int port,
        @Nullable Path cert,
        @Nullable Path key,
        @Nullable Path keystore,
        @Nullable Secret keystorePassword,
        TlsClientAuth clientAuth,
        @Nullable Path caFile,
        Duration handshakeTimeout) {

    /** RFC 3261 19.1.2: the default port of SIP over TLS. */
    public static final int DEFAULT_PORT = 5061;

    /** Long enough for a slow mobile link, short enough that silent connections do not pile up. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    public TlsConfig {
        Objects.requireNonNull(clientAuth, "clientAuth");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("TLS port " + port + " is not in 1-65535");
        }
        boolean pem = cert != null || key != null;
        boolean store = keystore != null || keystorePassword != null;
        if (pem == store) {
            throw new IllegalArgumentException("give cert and key (PEM), or keystore and its password: one of the two");
        }
        if (pem && (cert == null || key == null)) {
            throw new IllegalArgumentException("a PEM certificate needs both cert and key");
        }
        if (store && (keystore == null || keystorePassword == null)) {
            throw new IllegalArgumentException("a keystore needs its password");
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("the handshake timeout must be positive");
        }
    }

    /** TLS on {@code port} with a PEM certificate chain and key, no client certificates, the JDK's trust store. */
    public static TlsConfig pem(int port, Path cert, Path key) {
        return new TlsConfig(port, cert, key, null, null, TlsClientAuth.NONE, null, DEFAULT_HANDSHAKE_TIMEOUT);
    }

    /** TLS on {@code port} with a PKCS#12 keystore, no client certificates, the JDK's trust store. */
    public static TlsConfig keystore(int port, Path keystore, Secret password) {
        return new TlsConfig(port, null, null, keystore, password, TlsClientAuth.NONE, null, DEFAULT_HANDSHAKE_TIMEOUT);
    }

    public TlsConfig withPort(int newPort) {
        return new TlsConfig(newPort, cert, key, keystore, keystorePassword, clientAuth, caFile, handshakeTimeout);
    }

    public TlsConfig withClientAuth(TlsClientAuth auth) {
        return new TlsConfig(port, cert, key, keystore, keystorePassword, auth, caFile, handshakeTimeout);
    }

    public TlsConfig withCaFile(@Nullable Path file) {
        return new TlsConfig(port, cert, key, keystore, keystorePassword, clientAuth, file, handshakeTimeout);
    }

    public TlsConfig withHandshakeTimeout(Duration timeout) {
        return new TlsConfig(port, cert, key, keystore, keystorePassword, clientAuth, caFile, timeout);
    }
}
