package dev.softswitch.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How the SIP side defends itself ({@code security:}): the size cap of the strict pre-parse check, per-source-address
 * request and failed-authentication limits with a temporary ban, the user agents of known scanners dropped without an
 * answer, and whether unauthenticated INVITEs get no answer at all.
 *
 * @param maxMessageBytes a SIP message longer than this is refused with 513 (UDP and TCP)
 * @param requestsPerSecond requests one source address may send per second, sustained; 0 for no limit
 * @param requestBurst requests one source address may send at once above that rate
 * @param maxAuthFailures failed authentications from one address within {@code authFailureWindow} that ban it; 0 never
 * @param authFailureWindow the window failed authentications are counted in
 * @param banTime how long a banned address is ignored (its packets dropped without an answer)
 * @param scannerUserAgents requests whose User-Agent contains one of these (case-insensitive) are dropped unanswered
 * @param hidden when true an INVITE that carries no credentials from an address no trunk or exemption names gets no
 *     answer, so that scanners do not learn a SIP server is here
 * @param exempt source networks never rate limited nor banned (trunks' networks are exempt as well)
 * @param digestAlgorithms the digest algorithms we challenge with, one {@code WWW-Authenticate} each in this order
 *     ({@code MD5}, {@code SHA-256}); a phone that gives up on a challenge it does not know (baresip 1.0 and others
 *     built on libre before 2.x fail on a SHA-256 one) needs {@code [MD5]}
 */
public record SecurityConfig(
        int maxMessageBytes,
        int requestsPerSecond,
        int requestBurst,
        int maxAuthFailures,
        Duration authFailureWindow,
        Duration banTime,
        List<String> scannerUserAgents,
        boolean hidden,
        List<CidrNetwork> exempt,
        List<String> digestAlgorithms) {

    public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024;
    public static final int MIN_MESSAGE_BYTES = 1024;
    public static final int MAX_MESSAGE_BYTES = 65_535;
    public static final int DEFAULT_REQUESTS_PER_SECOND = 50;
    public static final int DEFAULT_REQUEST_BURST = 100;
    public static final int DEFAULT_MAX_AUTH_FAILURES = 5;
    public static final Duration DEFAULT_AUTH_FAILURE_WINDOW = Duration.ofMinutes(1);
    public static final Duration DEFAULT_BAN_TIME = Duration.ofMinutes(10);

    /** The user agents of SIPVicious, sipcli and their kind (Kamailio's default REQINIT list and a few more). */
    public static final List<String> DEFAULT_SCANNER_USER_AGENTS = List.of(
            "friendly-scanner",
            "friendly-request",
            "sipvicious",
            "sipcli",
            "VaxSIPUserAgent",
            "pplsip",
            "sip-scan",
            "iWar",
            "sundayddr");

    /** The digest algorithms known, by their token: MD5 (RFC 2617) and SHA-256 (RFC 7616, RFC 8760). */
    public static final List<String> DIGEST_ALGORITHMS = List.of("MD5", "SHA-256");

    /** This host itself: loopback traffic cannot come from elsewhere. */
    public static final List<CidrNetwork> DEFAULT_EXEMPT =
            List.of(CidrNetwork.parse("127.0.0.0/8"), CidrNetwork.parse("::1"));

    /** What an absent {@code security:} section means. */
    public static final SecurityConfig DEFAULTS = new SecurityConfig(
            DEFAULT_MAX_MESSAGE_BYTES,
            DEFAULT_REQUESTS_PER_SECOND,
            DEFAULT_REQUEST_BURST,
            DEFAULT_MAX_AUTH_FAILURES,
            DEFAULT_AUTH_FAILURE_WINDOW,
            DEFAULT_BAN_TIME,
            DEFAULT_SCANNER_USER_AGENTS,
            false,
            DEFAULT_EXEMPT,
            DIGEST_ALGORITHMS);

    public SecurityConfig {
        Objects.requireNonNull(authFailureWindow, "authFailureWindow");
        Objects.requireNonNull(banTime, "banTime");
        if (maxMessageBytes < MIN_MESSAGE_BYTES || maxMessageBytes > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException(
                    "max message size must be " + MIN_MESSAGE_BYTES + "-" + MAX_MESSAGE_BYTES + " bytes");
        }
        if (requestsPerSecond < 0 || requestBurst < 0 || maxAuthFailures < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
        if (authFailureWindow.isNegative() || authFailureWindow.isZero() || banTime.isNegative() || banTime.isZero()) {
            throw new IllegalArgumentException("durations must be positive");
        }
        scannerUserAgents = scannerUserAgents.stream()
                .map(ua -> ua.toLowerCase(Locale.ROOT))
                .toList();
        exempt = List.copyOf(exempt);
        digestAlgorithms = List.copyOf(digestAlgorithms);
        if (digestAlgorithms.isEmpty() || !DIGEST_ALGORITHMS.containsAll(digestAlgorithms)) {
            throw new IllegalArgumentException("digest algorithms must be some of " + DIGEST_ALGORITHMS);
        }
    }

    /** Whether {@code source} is in an exempt network. */
    public boolean exempts(InetAddress source) {
        return exempt.stream().anyMatch(network -> network.contains(source));
    }

    /** Whether {@code userAgent} names a known scanner. */
    public boolean isScanner(String userAgent) {
        String ua = userAgent.toLowerCase(Locale.ROOT);
        return scannerUserAgents.stream().anyMatch(ua::contains);
    }

    /** A copy exempting {@code more} networks as well (the trunks' networks, added when the server starts). */
    public SecurityConfig exempting(List<CidrNetwork> more) {
        List<CidrNetwork> all = new java.util.ArrayList<>(exempt);
        more.stream().filter(n -> !all.contains(n)).forEach(all::add);
        return new SecurityConfig(
                maxMessageBytes,
                requestsPerSecond,
                requestBurst,
                maxAuthFailures,
                authFailureWindow,
                banTime,
                scannerUserAgents,
                hidden,
                all,
                digestAlgorithms);
    }
}
