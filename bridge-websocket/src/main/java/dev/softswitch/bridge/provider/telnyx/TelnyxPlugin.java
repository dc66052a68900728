package dev.softswitch.bridge.provider.telnyx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.softswitch.bridge.provider.RestClient;
import dev.softswitch.bridge.provider.RestRequest;
import dev.softswitch.bridge.provider.RestResponse;
import dev.softswitch.bridge.provider.StreamCodec;
import dev.softswitch.bridge.provider.Webhook;
import dev.softswitch.bridge.provider.WebhookAnswer;
import dev.softswitch.config.ProviderConfig;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Telnyx Call Control. Its one webhook URL (the Call Control application's) is {@code /providers/telnyx/incoming}: a
 * signed {@code call.initiated} for an incoming call is answered with {@code POST /v2/calls/{id}/actions/answer},
 * streaming to our media socket with a single-use {@code stream_auth_token}; every other event is call progress, as
 * on {@code /providers/telnyx/status} (the {@code webhook_url} of calls we place). A webhook's event id is accepted
 * once.
 */
public final class TelnyxPlugin implements ProviderPlugin {

    private static final Logger log = LoggerFactory.getLogger(TelnyxPlugin.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final URI API = URI.create("https://api.telnyx.com");
    static final String AUTH_HEADER = "x-telnyx-streaming-auth-token";

    private final ProviderConfig config;
    private final ProviderUrls urls;
    private final CallTokens tokens;
    private final Clock clock;
    private final RestClient rest;
    private final TelnyxSignature signature;
    private final ReplayGuard events;

    public TelnyxPlugin(ProviderConfig config, ProviderUrls urls, CallTokens tokens, Clock clock, RestClient rest) {
        this.config = config;
        this.urls = urls;
        this.tokens = tokens;
        this.clock = clock;
        this.rest = rest;
        this.signature = new TelnyxSignature(config.setting("public_key").orElse(""));
        this.events = new ReplayGuard(clock, TelnyxSignature.TOLERANCE.multipliedBy(2), 100_000);
    }

    @Override
    public String name() {
        return "telnyx";
    }

    @Override
    public WebhookAnswer incoming(Webhook hook, ProviderCalls calls) throws RefusedException {
        JsonNode data = verify(hook);
        JsonNode payload = data.path("payload");
        if (!data.path("event_type").asText().equals("call.initiated")
                || !payload.path("direction").asText().equals("incoming")) {
            return progress(hook, data, calls);
        }
        String callControlId = text(payload, "call_control_id");
        String to = text(payload, "to");
        String from = payload.path("from").asText("");
        Optional<String> assistant = config.route(to);
        if (assistant.isEmpty()) {
            log.info("telnyx call {} to {} rejected: {}", callControlId, to, new Refusal.NoRoute(to).reason());
            send(command(callControlId, "reject", Json.object().put("cause", "CALL_REJECTED")));
            return WebhookAnswer.noContent();
        }
        String callId = tokens.newCallId();
        String token = tokens.store(
                new ClaimedCall(
                        callId,
                        assistant.get(),
                        from,
                        to,
                        "inbound",
                        Map.of("provider", name(), "provider_call_id", callControlId)),
                name(),
                CallTokens.TTL);
        log.info(
                "telnyx call {} from {} to {}: assistant {}, call {}",
                callControlId,
                from,
                to,
                assistant.get(),
                callId);
        send(answer(callControlId, token));
        return WebhookAnswer.noContent();
    }

    /** {@code actions/answer}, streaming the call to us in both directions, PCMU, with {@code token}. */
    RestRequest answer(String callControlId, String token) {
        return command(callControlId, "answer", stream(Json.object(), token));
    }

    private ObjectNode stream(ObjectNode body, String token) {
        return body.put("stream_url", urls.media(name()).toString())
                .put("stream_track", "inbound_track")
                .put("stream_bidirectional_mode", "rtp")
                .put("stream_bidirectional_codec", "PCMU")
                .put("stream_auth_token", token);
    }

    @Override
    public WebhookAnswer status(Webhook hook, ProviderCalls calls) throws RefusedException {
        return progress(hook, verify(hook), calls);
    }

    /** Reports a Call Control event on the call it names, if it is one of ours and says something about progress. */
    private WebhookAnswer progress(Webhook hook, JsonNode data, ProviderCalls registry) {
        String type = data.path("event_type").asText();
        CallProgress progress =
                progress(type, data.path("payload").path("hangup_cause").asText(""));
        String callControlId = data.path("payload").path("call_control_id").asText("");
        if (progress == null || callControlId.isEmpty()) {
            log.debug("telnyx event {} for {}: nothing to do", type, callControlId);
            return WebhookAnswer.noContent();
        }
        String ours = hook.query().getOrDefault("call", List.of()).stream()
                .findFirst()
                .orElse(null);
        Optional<ProviderCall> call = ours != null
                ? registry.find(ours).filter(c -> c.provider().equals(name()))
                : registry.findByProviderId(name(), callControlId);
        call.ifPresent(c -> {
            registry.named(c, callControlId);
            String cause = data.path("payload").path("hangup_cause").asText("");
            registry.progress(c, progress, "telnyx: " + type + (cause.isEmpty() ? "" : " (" + cause + ")"));
        });
        return WebhookAnswer.noContent();
    }

    /** A Call Control event in our words; null for one that says nothing about the call's progress. */
    static @Nullable CallProgress progress(String eventType, String hangupCause) {
        return switch (eventType) {
            case "call.initiated" -> CallProgress.QUEUED;
            case "call.answered" -> CallProgress.ANSWERED;
            case "call.hangup" ->
                switch (hangupCause) {
                    case "normal_clearing" -> CallProgress.COMPLETED;
                    case "user_busy" -> CallProgress.BUSY;
                    case "timeout", "no_answer" -> CallProgress.NO_ANSWER;
                    case "call_rejected" -> CallProgress.REJECTED;
                    case "originator_cancel" -> CallProgress.CANCELED;
                    default -> CallProgress.FAILED;
                };
            default -> null;
        };
    }

    @Override
    public void checkUpgrade(Webhook upgrade) {
        // The stream_auth_token (this header, or connected's copy) is claimed when the stream starts.
    }

    @Override
    public StreamCodec codec(Webhook upgrade) {
        return new TelnyxStreamCodec(upgrade.header(AUTH_HEADER));
    }

    @Override
    public String callerId(DialOrder order) {
        return order.from() != null ? order.from() : config.setting("caller_id").orElse("");
    }

    @Override
    public RestRequest dial(DialOrder order, String token, String callId) throws RefusedException {
        String connection = config.setting("connection_id").orElse(null);
        if (connection == null
                || config.secret("api_key").isEmpty()
                || callerId(order).isEmpty()) {
            throw new RefusedException(new Refusal.Unsupported(
                    "telnyx places calls with providers.telnyx.api_key, connection_id and caller_id (or from)"));
        }
        ObjectNode body = Json.object()
                .put("connection_id", connection)
                .put("to", order.to())
                .put("from", callerId(order));
        stream(body, token)
                .put("webhook_url", urls.endpoint(name(), "status") + "?call=" + callId)
                .put("timeout_secs", Math.max(1, order.ringTimeout().toSeconds()));
        if (!order.maxDuration().isZero()) {
            body.put("time_limit_secs", Math.max(30, order.maxDuration().toSeconds()));
        }
        return post("/v2/calls", body);
    }

    @Override
    public @Nullable String dialedCallId(RestResponse response) {
        try {
            JsonNode id = JSON.readTree(response.body()).path("data").path("call_control_id");
            return id.isTextual() ? id.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public @Nullable RestRequest hangup(String providerCallId) {
        return command(providerCallId, "hangup", Json.object());
    }

    private RestRequest command(String callControlId, String action, ObjectNode body) {
        return post("/v2/calls/" + callControlId + "/actions/" + action, body);
    }

    private RestRequest post(String path, ObjectNode body) {
        URI base = config.apiBaseUrl() != null ? config.apiBaseUrl() : API;
        String root = base.toString().endsWith("/")
                ? base.toString().substring(0, base.toString().length() - 1)
                : base.toString();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(
                "Authorization",
                "Bearer " + config.secret("api_key").map(s -> s.reveal()).orElse(""));
        headers.put("Content-Type", "application/json");
        headers.put("Accept", "application/json");
        return new RestRequest("POST", URI.create(root + path), headers, Json.write(body));
    }

    private void send(RestRequest request) {
        rest.send(request).whenComplete((r, e) -> {
            if (e != null || !r.isSuccess()) {
                log.warn("telnyx {} failed: {}", request, e != null ? e.getMessage() : r.status() + " " + r.body());
            }
        });
    }

    /** The event's {@code data}, once its signature, freshness and novelty are checked. */
    private JsonNode verify(Webhook hook) throws RefusedException {
        byte[] body = hook.body();
        TelnyxSignature.Problem problem = signature.check(
                hook.header(TelnyxSignature.SIGNATURE), hook.header(TelnyxSignature.TIMESTAMP), body, clock.instant());
        if (problem != null) {
            throw RefusedException.badSignature(problem.reason());
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw RefusedException.malformed("the body is not JSON");
        }
        JsonNode data = root == null ? null : root.get("data");
        if (data == null || !data.isObject()) {
            throw RefusedException.malformed("a Call Control event has a data object");
        }
        String id = data.path("id").asText("");
        if (!id.isEmpty() && !events.firstTime(id)) {
            throw RefusedException.badSignature("event " + id + " was delivered already: a replayed webhook");
        }
        return data;
    }

    private static String text(JsonNode node, String field) throws RefusedException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw RefusedException.malformed("data.payload." + field + " is required");
        }
        return value.asText();
    }
}
