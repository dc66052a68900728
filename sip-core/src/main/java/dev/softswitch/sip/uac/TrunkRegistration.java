package dev.softswitch.sip.uac;

import dev.softswitch.config.OutboundTrunk;
import dev.softswitch.config.Secret;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One binding to keep at a carrier: where to register, as whom, and for how long.
 *
 * @param trunk the configured trunk's name, for logs and metrics
 * @param host the registrar's host (the carrier's SIP host): a name or an IP address, IPv6 without brackets
 * @param port its port, or null: then 5060, or for a host name its DNS SRV record (RFC 3263)
 * @param transport {@code udp}, {@code tcp} or {@code tls}
 * @param username the digest username, which is also the user part of our address of record and Contact
 * @param password the digest password
 * @param proxyHost an outbound proxy every REGISTER goes through (a loose Route), or null
 * @param proxyPort the proxy's port, or null
 * @param expires the lifetime we ask for
 */
public record TrunkRegistration(
        String trunk,
        String host,
        @Nullable Integer port,
        String transport,
        String username,
        Secret password,
        @Nullable String proxyHost,
        @Nullable Integer proxyPort,
        Duration expires) {

    public TrunkRegistration {
        Objects.requireNonNull(trunk, "trunk");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(expires, "expires");
        transport = transport.toLowerCase(Locale.ROOT);
        if (!Set.of("udp", "tcp", "tls").contains(transport)) {
            throw new IllegalArgumentException("transport must be udp, tcp or tls, not " + transport);
        }
        if (expires.toSeconds() < 1 || expires.toSeconds() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("expires must be at least 1 s, not " + expires);
        }
        if (username.isBlank()) {
            throw new IllegalArgumentException("the username must not be blank");
        }
    }

    /**
     * The registration a trunk's {@code outbound} section asks for.
     *
     * @throws IllegalArgumentException when the section has no credentials
     */
    public static TrunkRegistration of(String trunk, OutboundTrunk outbound) {
        var credentials = outbound.credentials();
        if (credentials == null) {
            throw new IllegalArgumentException("trunk " + trunk + " registers but has no username and password");
        }
        return new TrunkRegistration(
                trunk,
                outbound.host(),
                outbound.port(),
                outbound.transport(),
                credentials.username(),
                credentials.password(),
                outbound.proxyHost(),
                outbound.proxyPort(),
                outbound.registerExpires());
    }

    /** The REGISTER's Request-URI (RFC 3261 10.2: the registrar's domain, no user): {@code sip:host[:port]}. */
    public String registrarUri() {
        return "sip:" + hostPort(host, port) + ("udp".equals(transport) ? "" : ";transport=" + transport);
    }

    /** Our address of record at the carrier, the To and From URI: {@code sip:username@host}. */
    public String addressOfRecord() {
        return "sip:" + username + "@" + hostPort(host, null);
    }

    /** The outbound proxy as {@code host[:port]}, or null without one. */
    public @Nullable String proxy() {
        String p = proxyHost;
        return p == null ? null : hostPort(p, proxyPort);
    }

    /** The lifetime asked for, in seconds. */
    public int expiresSeconds() {
        return (int) expires.toSeconds();
    }

    static String hostPort(String host, @Nullable Integer port) {
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return port == null ? h : h + ":" + port;
    }
}
