package dev.softswitch.sip.guard;

import dev.softswitch.config.SecurityConfig;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SIP server's defences against hostile input: the pre-parse check's size cap, request and failed-authentication
 * limits per source address with a temporary ban, scanner user agents, hidden mode; and the counters of all of it.
 * The stack adapters ({@link GuardedMessageParserFactory}, {@link GuardValve}, {@link GuardedListener}) consult it.
 *
 * <p>Bans and failed authentications are logged on the logger {@value #SECURITY_LOGGER}, one line each, with the
 * packet's source address (never a header's claim), in a form fail2ban can match:
 *
 * <pre>
 * SIP auth failure from 203.0.113.7 (REGISTER)
 * SIP ban 203.0.113.7 for 600 s: request rate over 50/s
 * </pre>
 */
public final class SipGuard {

    /** The logger of ban and authentication-failure lines; route it to its own file for fail2ban. */
    public static final String SECURITY_LOGGER = "softswitch.security";

    /** Source addresses remembered at most (see {@link SourceTable}). */
    static final int MAX_SOURCES = 65_536;

    private static final Logger security = LoggerFactory.getLogger(SECURITY_LOGGER);

    /** What the valve does with a request that passed the pre-parse check. */
    public enum Screen {
        PASS,
        BANNED,
        RATE_LIMITED,
        SCANNER,
        HIDDEN
    }

    /**
     * What the valve knows of a request.
     *
     * @param source the packet's source address
     * @param method the request's method
     * @param userAgent its User-Agent value, or empty
     * @param newInvite an INVITE outside a dialog (no To tag)
     * @param credentials whether it carries an Authorization or Proxy-Authorization header, or a key in its URI
     */
    public record Request(
            InetAddress source, String method, String userAgent, boolean newInvite, boolean credentials) {}

    private final SecurityConfig config;
    private final SourceTable sources;
    private final Map<String, LongAdder> malformed = new ConcurrentHashMap<>();
    private final LongAdder rateLimited = new LongAdder();
    private final LongAdder bannedDrops = new LongAdder();
    private final LongAdder bans = new LongAdder();
    private final LongAdder authFailures = new LongAdder();
    private final LongAdder scannerDrops = new LongAdder();
    private final LongAdder hiddenDrops = new LongAdder();
    private final LongAdder listenerErrors = new LongAdder();

    public SipGuard(SecurityConfig config, Clock clock) {
        this.config = config;
        this.sources = new SourceTable(
                clock,
                MAX_SOURCES,
                config.requestsPerSecond(),
                config.requestBurst(),
                config.maxAuthFailures(),
                config.authFailureWindow(),
                config.banTime());
    }

    /** The defaults: what a server without a {@code security:} section gets. */
    public static SipGuard defaults() {
        return new SipGuard(SecurityConfig.DEFAULTS, Clock.systemUTC());
    }

    public SecurityConfig config() {
        return config;
    }

    public int maxMessageBytes() {
        return config.maxMessageBytes();
    }

    /** Decides on one request that parsed; the stack threads call this for every request. */
    public Screen screen(Request request) {
        boolean exempt = config.exempts(request.source());
        if (!exempt) {
            switch (sources.request(request.source())) {
                case BANNED -> {
                    bannedDrops.increment();
                    return Screen.BANNED;
                }
                case NEWLY_BANNED -> {
                    rateLimited.increment();
                    banned(request.source(), "request rate over " + config.requestsPerSecond() + "/s");
                    return Screen.RATE_LIMITED;
                }
                case PASS -> {}
            }
        }
        if (!request.userAgent().isEmpty() && config.isScanner(request.userAgent())) {
            scannerDrops.increment();
            return Screen.SCANNER;
        }
        if (config.hidden() && request.newInvite() && !request.credentials() && !exempt) {
            hiddenDrops.increment();
            return Screen.HIDDEN;
        }
        return Screen.PASS;
    }

    /** A message refused for {@code rule} (by the pre-parse check or the stack's parser). */
    public void malformed(PreParseCheck.Rule rule) {
        malformed.computeIfAbsent(rule.label(), k -> new LongAdder()).increment();
    }

    /** {@code source} failed to authenticate a {@code method}; enough of these ban it. */
    public void authFailed(InetAddress source, String method) {
        authFailures.increment();
        security.info("SIP auth failure from {} ({})", source.getHostAddress(), method.toUpperCase(Locale.ROOT));
        if (!config.exempts(source) && sources.authFailed(source)) {
            banned(source, config.maxAuthFailures() + " failed authentications");
        }
    }

    /** An error the SIP listener threw on a stack thread, caught before it could end the thread. */
    public void listenerError() {
        listenerErrors.increment();
    }

    public GuardStats stats() {
        Map<String, Long> byRule = new TreeMap<>();
        malformed.forEach((rule, n) -> byRule.put(rule, n.sum()));
        return new GuardStats(
                byRule,
                rateLimited.sum(),
                bannedDrops.sum(),
                bans.sum(),
                authFailures.sum(),
                scannerDrops.sum(),
                hiddenDrops.sum(),
                listenerErrors.sum(),
                sources.banned());
    }

    private void banned(InetAddress source, String why) {
        bans.increment();
        security.warn(
                "SIP ban {} for {} s: {}",
                source.getHostAddress(),
                config.banTime().toSeconds(),
                why);
    }
}
