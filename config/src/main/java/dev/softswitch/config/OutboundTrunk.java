package dev.softswitch.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How the softswitch places calls through a trunk ({@code trunks[].outbound}): where the carrier takes calls, how we
 * authenticate, who the calls are from, whether we keep a registration there, and the caps on what goes out.
 *
 * @param host the carrier's SIP host: a host name, or an IPv4 or IPv6 address (IPv6 without brackets); no port
 * @param port the carrier's SIP port, or null: then 5060 (5061 over TLS), or for a host name what its DNS SRV record says (RFC 3263)
 * @param transport {@code udp}, {@code tcp} or {@code tls} (the carrier's certificate checked against the trusted CAs
 *     and its host name; needs SIP over TLS, {@code listen.tls}, to send from)
 * @param credentials the digest credentials we answer the carrier's 401 or 407 with (RFC 3261 22.2), if it asks
 * @param callerId the user part of our calls' {@code From} (such as {@code +15551230000}), or null for the username
 * @param proxyHost the outbound proxy every request goes through instead of {@code host} (RFC 3261 8.1.2), or null
 * @param proxyPort the outbound proxy's port, or null for 5060 or its SRV record; null when there is no proxy
 * @param register whether we keep a {@code REGISTER} binding at the carrier (RFC 3261 10); needs {@code credentials}
 * @param registerExpires the {@code Expires} we ask for when registering, within {@link #MIN_REGISTER_EXPIRES} and
 *     {@link #MAX_REGISTER_EXPIRES}
 * @param limits the toll-fraud caps: calls at once, calls per minute, allowed number prefixes
 */
public record OutboundTrunk(
        String host,
        @Nullable Integer port,
        String transport,
        @Nullable DigestCredentials credentials,
        @Nullable String callerId,
        @Nullable String proxyHost,
        @Nullable Integer proxyPort,
        boolean register,
        Duration registerExpires,
        OutboundLimits limits) {

    /** The transports calls can be placed over. */
    public static final List<String> TRANSPORTS = List.of("udp", "tcp", "tls");

    public static final String DEFAULT_TRANSPORT = "udp";
    public static final Duration DEFAULT_REGISTER_EXPIRES = Duration.ofSeconds(3600);
    public static final Duration MIN_REGISTER_EXPIRES = Duration.ofSeconds(60);
    public static final Duration MAX_REGISTER_EXPIRES = Duration.ofSeconds(86400);

    public OutboundTrunk {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(registerExpires, "registerExpires");
        Objects.requireNonNull(limits, "limits");
        checkPort(port, "port");
        checkPort(proxyPort, "proxyPort");
        if (!TRANSPORTS.contains(transport)) {
            throw new IllegalArgumentException("transport is udp, tcp or tls, not " + transport);
        }
        if (proxyPort != null && proxyHost == null) {
            throw new IllegalArgumentException("a proxy port needs a proxy host");
        }
        if (register && credentials == null) {
            throw new IllegalArgumentException("registering needs credentials");
        }
        if (registerExpires.compareTo(MIN_REGISTER_EXPIRES) < 0
                || registerExpires.compareTo(MAX_REGISTER_EXPIRES) > 0) {
            throw new IllegalArgumentException("registerExpires is 60s to 86400s, not " + registerExpires);
        }
    }

    /** A trunk without toll-fraud caps ({@link OutboundLimits#NONE}). */
    public OutboundTrunk(
            String host,
            @Nullable Integer port,
            String transport,
            @Nullable DigestCredentials credentials,
            @Nullable String callerId,
            @Nullable String proxyHost,
            @Nullable Integer proxyPort,
            boolean register,
            Duration registerExpires) {
        this(
                host,
                port,
                transport,
                credentials,
                callerId,
                proxyHost,
                proxyPort,
                register,
                registerExpires,
                OutboundLimits.NONE);
    }

    /** An outbound trunk to {@code host} with the defaults: port by DNS, UDP, no credentials, no proxy, no registration. */
    public static OutboundTrunk to(String host) {
        return new OutboundTrunk(
                host, null, DEFAULT_TRANSPORT, null, null, null, null, false, DEFAULT_REGISTER_EXPIRES);
    }

    /** The user part of our calls' {@code From}: the caller id, else the digest username, else null (none given). */
    public @Nullable String fromUser() {
        if (callerId != null) {
            return callerId;
        }
        return credentials != null ? credentials.username() : null;
    }

    private static void checkPort(@Nullable Integer port, String name) {
        if (port != null && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException(name + " is 1-65535, not " + port);
        }
    }
}
