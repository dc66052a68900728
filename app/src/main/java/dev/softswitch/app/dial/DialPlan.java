package dev.softswitch.app.dial;

import dev.softswitch.config.OutboundTrunk;
import dev.softswitch.config.SoftswitchConfig;
import dev.softswitch.config.TrunkConfig;
import dev.softswitch.sip.DialRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns what a user asked for (a number or URI, a trunk, an assistant) into a {@link DialRequest}: the number goes to
 * the trunk's host, From carries the trunk's caller id, challenges are answered with its credentials. Shared by
 * {@code softswitch dial} and {@code POST /v1/calls}, so both refuse the same things with the same words.
 */
public final class DialPlan {

    /** What a dialled number may hold: digits, {@code +}, {@code *}, {@code #} and visual separators. */
    private static final Pattern NUMBER = Pattern.compile("\\+?[0-9*#][0-9*#().\\- ]{0,63}");

    public static final Duration DEFAULT_RING_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_MAX_DURATION = Duration.ofMinutes(5);
    /** The From user when neither the request nor the trunk names one. */
    public static final String DEFAULT_FROM = "softswitch";

    /** A request that cannot be placed, naming the field at fault (as the CLI flag or JSON field calls it). */
    public static final class InvalidDial extends Exception {
        private static final long serialVersionUID = 1L;
        private final String field;

        public InvalidDial(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }

        /** {@code to}, {@code trunk}, {@code assistant}, ... */
        public String field() {
            return field;
        }
    }

    private final @Nullable SoftswitchConfig config;
    private final java.util.function.Predicate<String> assistantExists;

    /**
     * @param config the configuration (its trunks), or null when running without one
     * @param assistantExists whether an assistant id names an assistant that runs here
     */
    public DialPlan(@Nullable SoftswitchConfig config, java.util.function.Predicate<String> assistantExists) {
        this.config = config;
        this.assistantExists = Objects.requireNonNull(assistantExists, "assistantExists");
    }

    /**
     * The request for one call.
     *
     * @param to a number (with {@code trunk}) or a SIP URI
     * @param trunk the configured trunk to dial through, or null to dial a SIP URI directly
     * @param from the From user, or null for the trunk's caller id (or username, else {@value #DEFAULT_FROM})
     * @throws InvalidDial naming the field that is wrong
     */
    public DialRequest plan(
            String to,
            @Nullable String trunk,
            String assistant,
            @Nullable String from,
            Map<String, String> variables,
            Duration ringTimeout,
            Duration maxDuration)
            throws InvalidDial {
        if (to == null || to.isBlank()) {
            throw new InvalidDial("to", "required: the number (with a trunk) or SIP URI to call");
        }
        to = to.strip();
        if (assistant == null || assistant.isBlank()) {
            throw new InvalidDial("assistant", "required: the id of the assistant that talks");
        }
        if (!assistantExists.test(assistant)) {
            throw new InvalidDial("assistant", "no assistant " + printable(assistant) + " is configured");
        }
        if (ringTimeout.isNegative() || ringTimeout.isZero() || ringTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new InvalidDial("ring_timeout", "must be more than 0 and at most 10 minutes");
        }
        if (maxDuration.isNegative() || maxDuration.compareTo(Duration.ofHours(24)) > 0) {
            throw new InvalidDial("max_duration", "must be 0 (no limit) up to 24 hours");
        }
        if (from != null && !SipText.isUser(from)) {
            throw new InvalidDial("from", "not a SIP user part (digits, letters, + - . _ and the like)");
        }
        boolean uri = to.regionMatches(true, 0, "sip:", 0, 4);
        if (trunk == null) {
            if (!uri) {
                throw new InvalidDial(
                        "to", "a number needs a trunk to go through; or give a SIP URI such as sip:alice@192.0.2.10");
            }
            return new DialRequest(
                    checkedUri(to),
                    null,
                    transportOf(to),
                    from != null ? from : DEFAULT_FROM,
                    null,
                    null,
                    assistant,
                    variables,
                    ringTimeout,
                    maxDuration);
        }
        TrunkConfig configured = trunk(trunk);
        OutboundTrunk out = configured.outbound();
        if (out == null) {
            throw new InvalidDial(
                    "trunk", "trunk " + trunk + " takes no outbound calls: give it an outbound section (host ...)");
        }
        String requestUri;
        if (uri) {
            requestUri = checkedUri(to);
        } else {
            if (!NUMBER.matcher(to).matches()) {
                throw new InvalidDial("to", "not a number: digits with an optional leading +, or a SIP URI");
            }
            String number = to.replaceAll("[().\\- ]", "");
            requestUri = "sip:" + number + "@" + hostPort(out.host(), out.port())
                    + ("udp".equals(out.transport()) ? "" : ";transport=" + out.transport());
        }
        String proxy = out.proxyHost() == null ? null : hostPort(out.proxyHost(), out.proxyPort());
        String fromUser =
                from != null ? from : Optional.ofNullable(out.fromUser()).orElse(DEFAULT_FROM);
        return new DialRequest(
                requestUri,
                proxy,
                out.transport(),
                fromUser,
                configured.name(),
                out.credentials(),
                assistant,
                variables,
                ringTimeout,
                maxDuration);
    }

    /**
     * A call through a cloud provider's REST API: a number, no trunk, an assistant that runs here, and a provider
     * configured under {@code providers:}.
     *
     * @throws InvalidDial naming the field that is wrong
     */
    public dev.softswitch.bridge.provider.DialOrder providerOrder(
            String provider,
            String to,
            @Nullable String trunk,
            String assistant,
            @Nullable String from,
            Map<String, String> variables,
            Duration ringTimeout,
            Duration maxDuration)
            throws InvalidDial {
        SoftswitchConfig c = config;
        if (c == null || c.providers().provider(provider).isEmpty()) {
            String configured = c == null
                    ? ""
                    : c.providers().providers().stream()
                            .map(p -> p.name())
                            .filter(n -> !n.equals("audiosocket"))
                            .collect(java.util.stream.Collectors.joining(", "));
            throw new InvalidDial(
                    "provider",
                    "no provider " + printable(provider) + " is configured"
                            + (configured.isEmpty()
                                    ? " (add it under providers: in the configuration)"
                                    : " (providers: " + configured + ")"));
        }
        if (trunk != null) {
            throw new InvalidDial(
                    "trunk", "a provider call goes through the provider: give provider or trunk, not both");
        }
        // The same checks as a SIP call's, through a SIP URI so that only the number is left to check here.
        plan("sip:check@127.0.0.1", null, assistant, null, variables, ringTimeout, maxDuration);
        if (to == null || to.isBlank() || !NUMBER.matcher(to.strip()).matches()) {
            throw new InvalidDial("to", "required: the number to call, digits with an optional leading +");
        }
        if (from != null && !NUMBER.matcher(from.strip()).matches()) {
            throw new InvalidDial("from", "the caller id the provider shows: a number it lets you use");
        }
        return new dev.softswitch.bridge.provider.DialOrder(
                provider,
                to.strip().replaceAll("[().\\- ]", ""),
                from == null ? null : from.strip().replaceAll("[().\\- ]", ""),
                assistant,
                variables,
                ringTimeout,
                maxDuration);
    }

    private TrunkConfig trunk(String name) throws InvalidDial {
        SoftswitchConfig c = config;
        if (c == null) {
            throw new InvalidDial("trunk", "trunks come from a configuration file (--config)");
        }
        return c.trunk(name)
                .orElseThrow(() -> new InvalidDial(
                        "trunk",
                        "no trunk " + printable(name) + "; configured: "
                                + String.join(
                                        ", ",
                                        c.trunks().stream()
                                                .map(TrunkConfig::name)
                                                .toList())));
    }

    private static String checkedUri(String uri) throws InvalidDial {
        if (!SipText.isSipUri(uri)) {
            throw new InvalidDial("to", "not a SIP URI of the form sip:user@host[:port]");
        }
        return uri;
    }

    private static String transportOf(String uri) {
        String lower = uri.toLowerCase(java.util.Locale.ROOT);
        return lower.contains(";transport=tcp") ? "tcp" : lower.contains(";transport=tls") ? "tls" : "udp";
    }

    private static String hostPort(String host, @Nullable Integer port) {
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return port == null ? h : h + ":" + port;
    }

    private static String printable(String text) {
        String t = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return "'" + t.replaceAll("[^\\x20-\\x7e]", "?") + "'";
    }
}
