package dev.softswitch.sip;

import dev.softswitch.sdp.FormatSpec;
import dev.softswitch.sip.tls.SipTls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How the SIP side listens and answers.
 *
 * @param bindAddress the address SIP listens on
 * @param port the SIP port (UDP and TCP alike)
 * @param transports {@code udp} and/or {@code tcp}
 * @param advertisedAddress the address written into Contact and SDP (the bind address unless it is a wildcard)
 * @param codecs codecs offered and accepted, in preference order
 * @param answerDelay how long calls ring before they are answered (0 answers at once)
 * @param userAgent the Server / User-Agent header value
 * @param mediaTimeout a call whose caller sends no RTP for this long is ended (BYE)
 * @param holdTimeout the same while the call is on hold or inactive
 * @param recordings the directory that gets {@code <call id>.wav} for each answered call of a recording assistant;
 *     null records nothing
 * @param recordingAssistants the ids of the assistants whose calls are recorded
 * @param tls SIP over TLS on a port of its own, beside {@code transports}; null when off
 */
public record SipServerConfig(
        String bindAddress,
        int port,
        Set<String> transports,
        String advertisedAddress,
        List<FormatSpec> codecs,
        Duration answerDelay,
        String userAgent,
        Duration mediaTimeout,
        Duration holdTimeout,
        @Nullable Path recordings,
        Set<String> recordingAssistants,
        @Nullable SipTls tls) {

    public static final Duration DEFAULT_MEDIA_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_HOLD_TIMEOUT = Duration.ofMinutes(5);

    /** Wideband first (assistants hear 16 kHz audio), then G.711 as every trunk has it. */
    public static final List<FormatSpec> DEFAULT_CODECS = List.of(FormatSpec.G722, FormatSpec.PCMU, FormatSpec.PCMA);

    public SipServerConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(advertisedAddress, "advertisedAddress");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("SIP port " + port + " is not in 1-65535");
        }
        if (transports.isEmpty() || !Set.of("udp", "tcp").containsAll(transports)) {
            throw new IllegalArgumentException("transports must be udp and/or tcp, not " + transports);
        }
        if (codecs.isEmpty()) {
            throw new IllegalArgumentException("at least one codec is needed");
        }
        if (mediaTimeout.isNegative() || mediaTimeout.isZero() || holdTimeout.isNegative() || holdTimeout.isZero()) {
            throw new IllegalArgumentException("media timeouts must be positive");
        }
        if (answerDelay.isNegative()) {
            throw new IllegalArgumentException("answer delay must not be negative");
        }
        if (tls != null && tls.port() == port && transports.contains("tcp")) {
            throw new IllegalArgumentException("SIP over TLS needs a port other than SIP over TCP's " + port);
        }
        transports = Set.copyOf(transports);
        codecs = List.copyOf(codecs);
        recordingAssistants = Set.copyOf(recordingAssistants);
    }

    /** Without SIP over TLS. */
    public SipServerConfig(
            String bindAddress,
            int port,
            Set<String> transports,
            String advertisedAddress,
            List<FormatSpec> codecs,
            Duration answerDelay,
            String userAgent,
            Duration mediaTimeout,
            Duration holdTimeout,
            @Nullable Path recordings,
            Set<String> recordingAssistants) {
        this(
                bindAddress,
                port,
                transports,
                advertisedAddress,
                codecs,
                answerDelay,
                userAgent,
                mediaTimeout,
                holdTimeout,
                recordings,
                recordingAssistants,
                null);
    }

    /** Without recordings. */
    public SipServerConfig(
            String bindAddress,
            int port,
            Set<String> transports,
            String advertisedAddress,
            List<FormatSpec> codecs,
            Duration answerDelay,
            String userAgent,
            Duration mediaTimeout,
            Duration holdTimeout) {
        this(
                bindAddress,
                port,
                transports,
                advertisedAddress,
                codecs,
                answerDelay,
                userAgent,
                mediaTimeout,
                holdTimeout,
                null,
                Set.of());
    }

    /** UDP and TCP on {@code bind:port}, G.722 then PCMU then PCMA, answered at once. */
    public static SipServerConfig defaults(String bindAddress, int port, String advertisedAddress) {
        return new SipServerConfig(
                bindAddress,
                port,
                Set.of("udp", "tcp"),
                advertisedAddress,
                DEFAULT_CODECS,
                Duration.ZERO,
                "softswitch",
                DEFAULT_MEDIA_TIMEOUT,
                DEFAULT_HOLD_TIMEOUT);
    }

    public SipServerConfig withAnswerDelay(Duration delay) {
        return new SipServerConfig(
                bindAddress,
                port,
                transports,
                advertisedAddress,
                codecs,
                delay,
                userAgent,
                mediaTimeout,
                holdTimeout,
                recordings,
                recordingAssistants,
                tls);
    }

    public SipServerConfig withMediaTimeouts(Duration active, Duration onHold) {
        return new SipServerConfig(
                bindAddress,
                port,
                transports,
                advertisedAddress,
                codecs,
                answerDelay,
                userAgent,
                active,
                onHold,
                recordings,
                recordingAssistants,
                tls);
    }

    /** Records every answered call of the assistants {@code assistantIds} into {@code dir} as a stereo WAV file. */
    public SipServerConfig withRecordings(Path dir, Set<String> assistantIds) {
        Objects.requireNonNull(dir, "dir");
        return new SipServerConfig(
                bindAddress,
                port,
                transports,
                advertisedAddress,
                codecs,
                answerDelay,
                userAgent,
                mediaTimeout,
                holdTimeout,
                dir,
                assistantIds,
                tls);
    }

    /** Also listens for SIP over TLS with {@code tls} (its own port, key and certificate). */
    public SipServerConfig withTls(SipTls tls) {
        Objects.requireNonNull(tls, "tls");
        return new SipServerConfig(
                bindAddress,
                port,
                transports,
                advertisedAddress,
                codecs,
                answerDelay,
                userAgent,
                mediaTimeout,
                holdTimeout,
                recordings,
                recordingAssistants,
                tls);
    }

    /**
     * The port our Via and Contact carry for {@code transport}: the TLS port for {@code tls} (when TLS is on), the
     * SIP port for the rest.
     */
    public int portFor(String transport) {
        SipTls t = tls;
        return t != null && "tls".equalsIgnoreCase(transport) ? t.port() : port;
    }

    /** Where the call {@code callId} of assistant {@code assistantId} is recorded; null when it is not. */
    public @Nullable Path recordingOf(String assistantId, String callId) {
        Path dir = recordings;
        return dir != null && recordingAssistants.contains(assistantId) ? dir.resolve(callId + ".wav") : null;
    }
}
