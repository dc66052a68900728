package dev.softswitch.config;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where the softswitch listens and what address it gives callers ({@code listen:}).
 *
 * @param bind the IP address SIP, RTP and HTTP listen on; {@code 0.0.0.0} or {@code ::} for every address
 * @param advertise the address written into SDP and {@code Contact}: the bind address unless that is a wildcard
 * @param sipPort the SIP port, for every transport
 * @param transports SIP transports in lower case ({@code udp}, {@code tcp}), without duplicates
 * @param httpPort the HTTP port for health and metrics; 0 turns HTTP off
 * @param tls SIP over TLS on its own port ({@code listen.tls}); null when off
 */
public record ListenConfig(
        String bind,
        String advertise,
        int sipPort,
        List<String> transports,
        int httpPort,
        @Nullable TlsConfig tls) {

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_SIP_PORT = 5060;
    public static final List<String> DEFAULT_TRANSPORTS = List.of("udp", "tcp");
    public static final int DEFAULT_HTTP_PORT = 8080;

    /** What an absent {@code listen:} section means: 127.0.0.1, SIP on 5060 over UDP and TCP, HTTP on 8080. */
    public static final ListenConfig DEFAULTS =
            new ListenConfig(DEFAULT_BIND, DEFAULT_BIND, DEFAULT_SIP_PORT, DEFAULT_TRANSPORTS, DEFAULT_HTTP_PORT);

    public ListenConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(advertise, "advertise");
        transports = List.copyOf(transports);
    }

    /** Without SIP over TLS. */
    public ListenConfig(String bind, String advertise, int sipPort, List<String> transports, int httpPort) {
        this(bind, advertise, sipPort, transports, httpPort, null);
    }
}
