package dev.softswitch.app;

import dev.softswitch.config.RecordsConfig;
import dev.softswitch.config.RedisConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

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
 * @param mediaTimeout a call whose caller sends no RTP this long is ended (on hold: ten times as long, at least 5 min)
 * @param callRecords the JSON-lines file that gets one line per ended call
 * @param recordings the directory for call recordings (assistants with {@code record: true})
 * @param redis the Redis that instances share the RTP port pool and call contexts through; null: both in memory
 */
public record ServeSettings(
        String bind,
        String advertise,
        int sipPort,
        int rtpLow,
        int rtpHigh,
        int httpPort,
        Duration answerDelay,
        Duration mediaTimeout,
        Path callRecords,
        Path recordings,
        @Nullable RedisConfig redis) {

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_SIP_PORT = 5060;
    public static final int DEFAULT_RTP_LOW = 10000;
    public static final int DEFAULT_RTP_HIGH = 20000;
    public static final int DEFAULT_HTTP_PORT = 8080;

    /** Between the timeout on hold and the active one: ten times as long, and never under five minutes. */
    public Duration holdTimeout() {
        Duration tenfold = mediaTimeout.multipliedBy(10);
        return tenfold.compareTo(Duration.ofMinutes(5)) > 0 ? tenfold : Duration.ofMinutes(5);
    }

    /** Settings without Redis. */
    public ServeSettings(
            String bind,
            String advertise,
            int sipPort,
            int rtpLow,
            int rtpHigh,
            int httpPort,
            Duration answerDelay,
            Duration mediaTimeout,
            Path callRecords,
            Path recordings) {
        this(
                bind,
                advertise,
                sipPort,
                rtpLow,
                rtpHigh,
                httpPort,
                answerDelay,
                mediaTimeout,
                callRecords,
                recordings,
                null);
    }

    /** The same settings with the port pool and call contexts in {@code redis}. */
    public ServeSettings withRedis(RedisConfig redis) {
        return new ServeSettings(
                bind,
                advertise,
                sipPort,
                rtpLow,
                rtpHigh,
                httpPort,
                answerDelay,
                mediaTimeout,
                callRecords,
                recordings,
                redis);
    }

    public ServeSettings {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(advertise, "advertise");
        Objects.requireNonNull(answerDelay, "answerDelay");
        Objects.requireNonNull(callRecords, "callRecords");
        Objects.requireNonNull(recordings, "recordings");
        if (mediaTimeout.isNegative() || mediaTimeout.isZero()) {
            throw new IllegalArgumentException("the media timeout must be positive");
        }
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
                Duration.ZERO,
                Duration.ofSeconds(30),
                RecordsConfig.DEFAULTS.calls(),
                RecordsConfig.DEFAULTS.recordings());
    }
}
