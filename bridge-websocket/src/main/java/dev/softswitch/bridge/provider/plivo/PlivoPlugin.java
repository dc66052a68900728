package dev.softswitch.bridge.provider.plivo;

import dev.softswitch.bridge.assistant.Json;
import dev.softswitch.bridge.provider.CallProgress;
import dev.softswitch.bridge.provider.CallTokens;
import dev.softswitch.bridge.provider.ClaimedCall;
import dev.softswitch.bridge.provider.DialOrder;
import dev.softswitch.bridge.provider.ProviderCall;
import dev.softswitch.bridge.provider.ProviderCalls;
import dev.softswitch.bridge.provider.ProviderPlugin;
import dev.softswitch.bridge.provider.ProviderUrls;
import dev.softswitch.bridge.provider.Refusal;
import dev.softswitch.bridge.provider.RefusedException;
import dev.softswitch.bridge.provider.ReplayGuard;
import dev.softswitch.bridge.provider.RestRequest;
import dev.softswitch.bridge.provider.RestResponse;
import dev.softswitch.bridge.provider.StreamCodec;
import dev.softswitch.bridge.provider.Webhook;
import dev.softswitch.bridge.provider.WebhookAnswer;
import dev.softswitch.config.ProviderConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plivo. The application's answer URL is {@code /providers/plivo/incoming}: a signed request is answered with a
 * bidirectional {@code <Stream>} of mu-law to our media socket, the call's token in {@code extraHeaders}. A nonce is
 * accepted once. Calls are placed with {@code POST /v1/Account/{auth_id}/Call/}, their answer URL ours with the call's
 * token; hangup and ring URLs are {@code /providers/plivo/status}.
 */
public final class PlivoPlugin implements ProviderPlugin {

    private static final Logger log = LoggerFactory.getLogger(PlivoPlugin.class);
    static final URI API = URI.create("https://api.plivo.com");

    private final ProviderConfig config;
    private final ProviderUrls urls;
    private final CallTokens tokens;
    private final ReplayGuard nonces;

    public PlivoPlugin(ProviderConfig config, ProviderUrls urls, CallTokens tokens, Clock clock) {
        this.config = config;
        this.urls = urls;
        this.tokens = tokens;
        this.nonces = new ReplayGuard(clock, Duration.ofHours(1), 100_000);
    }

    @Override
    public String name() {
        return "plivo";
    }

    @Override
    public WebhookAnswer incoming(Webhook hook, ProviderCalls calls) throws RefusedException {
        verify(hook);
        String placed = first(hook.query().get("token"));
        if (placed != null) {
            return WebhookAnswer.xml(answer(placed)); // a call we placed: its context waits under this token
        }
        String callUuid = required(hook, "CallUUID");
        String to = required(hook, "To");
        String from = Optional.ofNullable(hook.param("From")).orElse("");
        Optional<String> assistant = config.route(to);
        if (assistant.isEmpty()) {
            log.info("plivo call {} to {} rejected: {}", callUuid, to, new Refusal.NoRoute(to).reason());
            return WebhookAnswer.xml("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<Response><Hangup reason=\"rejected\"/></Response>\n");
        }
        String callId = tokens.newCallId();
        String token = tokens.store(
                new ClaimedCall(
                        callId,
                        assistant.get(),
                        from,
                        to,
                        "inbound",
                        Map.of("provider", name(), "provider_call_id", callUuid)),
                name(),
                CallTokens.TTL);
        log.info("plivo call {} from {} to {}: assistant {}, call {}", callUuid, from, to, assistant.get(), callId);
        return WebhookAnswer.xml(answer(token));
    }

    /** The answer XML: a bidirectional mu-law stream to us, {@code token} in its extra headers. */
    String answer(String token) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Stream bidirectional=\"true\""
                + " keepCallAlive=\"true\" contentType=\"audio/x-mulaw;rate=8000\" extraHeaders=\""
                + PlivoStreamCodec.TOKEN + "=" + token + "\" statusCallbackUrl=\"" + urls.endpoint(name(), "status")
                + "\" statusCallbackMethod=\"POST\">" + urls.media(name()) + "</Stream></Response>\n";
    }

    @Override
    public WebhookAnswer status(Webhook hook, ProviderCalls calls) throws RefusedException {
        verify(hook);
        String event = hook.param("Event");
        if (event != null) {
            log.debug("plivo stream {}: {}", hook.param("StreamID"), event);
            return WebhookAnswer.noContent();
        }
        String callUuid = required(hook, "CallUUID");
        String status = required(hook, "CallStatus");
        CallProgress progress = progress(status);
        if (progress == null) {
            throw RefusedException.malformed("CallStatus \"" + status + "\" is not one Plivo sends");
        }
        String ours = first(hook.query().get("call"));
        Optional<ProviderCall> call = ours != null
                ? calls.find(ours).filter(c -> c.provider().equals(name()))
                : calls.findByProviderId(name(), callUuid);
        call.ifPresent(c -> {
            calls.named(c, callUuid);
            String cause = hook.param("HangupCause");
            calls.progress(c, progress, "plivo: " + status + (cause == null ? "" : " (" + cause + ")"));
        });
        return WebhookAnswer.noContent();
    }

    /** Plivo's {@code CallStatus} in our words; null for one it does not send. */
    static @Nullable CallProgress progress(String status) {
        return switch (status) {
            case "ringing" -> CallProgress.RINGING;
            case "in-progress" -> CallProgress.ANSWERED;
            case "completed" -> CallProgress.COMPLETED;
            case "busy" -> CallProgress.BUSY;
            case "timeout", "no-answer" -> CallProgress.NO_ANSWER;
            case "cancel" -> CallProgress.CANCELED;
            case "failed" -> CallProgress.FAILED;
            default -> null;
        };
    }

    @Override
    public void checkUpgrade(Webhook upgrade) {
        // The token in the start message's extra_headers claims the call.
    }

    @Override
    public StreamCodec codec(Webhook upgrade) {
        return new PlivoStreamCodec();
    }

    @Override
    public String callerId(DialOrder order) {
        return order.from() != null ? order.from() : config.setting("caller_id").orElse("");
    }

    @Override
    public RestRequest dial(DialOrder order, String token, String callId) throws RefusedException {
        if (callerId(order).isEmpty()) {
            throw new RefusedException(
                    new Refusal.Unsupported("plivo needs a caller id: give from, or set providers.plivo.caller_id"));
        }
        String status = urls.endpoint(name(), "status") + "?call=" + callId;
        var body = Json.object()
                .put("from", callerId(order).replace("+", ""))
                .put("to", order.to().replace("+", ""))
                .put("answer_url", urls.endpoint(name(), "incoming") + "?call=" + callId + "&token=" + token)
                .put("answer_method", "POST")
                .put("hangup_url", status)
                .put("hangup_method", "POST")
                .put("ring_url", status)
                .put("ring_method", "POST")
                .put("ring_timeout", Math.max(1, order.ringTimeout().toSeconds()));
        if (!order.maxDuration().isZero()) {
            body.put("time_limit", Math.max(1, order.maxDuration().toSeconds()));
        }
        return request("POST", "Call/", Json.write(body));
    }

    /** Plivo answers with a request id, not the call's: the call is named by its first callback's CallUUID. */
    @Override
    public @Nullable String dialedCallId(RestResponse response) {
        return null;
    }

    @Override
    public @Nullable RestRequest hangup(String providerCallId) {
        return request("DELETE", "Call/" + providerCallId + "/", "");
    }

    private RestRequest request(String method, String path, String body) {
        URI base = config.apiBaseUrl() != null ? config.apiBaseUrl() : API;
        String root = base.toString().endsWith("/") ? base.toString() : base + "/";
        String authId = config.setting("auth_id").orElse("");
        Map<String, String> headers = new LinkedHashMap<>();
        String basic = authId + ":" + authToken();
        headers.put(
                "Authorization", "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        if (!body.isEmpty()) {
            headers.put("Content-Type", "application/json");
        }
        headers.put("Accept", "application/json");
        return new RestRequest(method, URI.create(root + "v1/Account/" + authId + "/" + path), headers, body);
    }

    private void verify(Webhook hook) throws RefusedException {
        String nonce = hook.header(PlivoSignature.NONCE);
        Map<String, List<String>> post = hook.method().equals("POST") ? hook.form() : Map.of();
        boolean valid = false;
        for (String url : ProviderUrls.portVariants(hook.url().toString())) {
            valid |= PlivoSignature.valid(
                    authToken(), hook.header(PlivoSignature.HEADER), nonce, hook.method(), URI.create(url), post);
        }
        if (!valid) {
            throw RefusedException.badSignature(
                    "X-Plivo-Signature-V3 does not match (is providers.public_url the URL Plivo calls?)");
        }
        if (!nonces.firstTime(nonce == null ? "" : nonce.strip())) {
            throw RefusedException.badSignature("X-Plivo-Signature-V3-Nonce was used already: a replayed webhook");
        }
    }

    private String authToken() {
        return config.secret("auth_token").map(s -> s.reveal()).orElse("");
    }

    private static @Nullable String first(@Nullable List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String required(Webhook hook, String name) throws RefusedException {
        String value = hook.param(name);
        if (value == null || value.isEmpty()) {
            throw RefusedException.malformed(name + " is required");
        }
        return value;
    }
}
