package dev.softswitch.app;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything {@code serve} needs to start, after flags (and later the config file) are applied.
 *
 * @param bind address SIP, RTP and HTTP listen on
 * @param advertise address written into Contact and SDP
 * @param sipPort SIP port, UDP and TCP
 * @param rtpLow first RTP port
 * @param rtpHigh last RTP port
 * @param httpPort HTTP port for {@code /health}; 0 turns HTTP off
 * @param answerDelay how long calls ring before the assistant answers
 */
public record ServeSettings(
        String bind, String advertise, int sipPort, int rtpLow, int rtpHigh, int httpPort, Duration answerDelay) {

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_SIP_PORT = 5060;
    public static final int DEFAULT_RTP_LOW = 10000;
    public static final int DEFAULT_RTP_HIGH = 20000;
    public static final int DEFAULT_HTTP_PORT = 8080;

    public ServeSettings {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(advertise, "advertise");
        Objects.requireNonNull(answerDelay, "answerDelay");
    }

    /** The demo: everything on 127.0.0.1, the standard ports. */
    public static ServeSettings demo() {
        return new ServeSettings(
                DEFAULT_BIND,
                DEFAULT_BIND,
                DEFAULT_SIP_PORT,
                DEFAULT_RTP_LOW,
                DEFAULT_RTP_HIGH,
                DEFAULT_HTTP_PORT,
                Duration.ZERO);
    }
}
