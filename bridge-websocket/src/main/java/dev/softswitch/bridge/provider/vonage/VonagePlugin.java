package dev.softswitch.bridge.provider.vonage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import dev.softswitch.bridge.provider.RestRequest;
import dev.softswitch.bridge.provider.RestResponse;
import dev.softswitch.bridge.provider.StreamCodec;
import dev.softswitch.bridge.provider.Webhook;
import dev.softswitch.bridge.provider.WebhookAnswer;
import dev.softswitch.config.ProviderConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vonage. The application's answer URL is {@code /providers/vonage/incoming} (GET, or POST with
 * {@code answer_method=POST}), its event URL {@code /providers/vonage/status}; both must carry Vonage's signed JWT
 * (signed webhooks switched on), fresh (issued within five minutes), used once, its {@code payload_hash} the body's.
 * The answer is an NCCO {@code connect} to our media socket with the call's token in its {@code headers} and
 * {@code authorization: vonage}, so the upgrade carries the same kind of JWT. Calls are placed with
 * {@code POST /v1/calls}, the NCCO inline, under an RS256 JWT of the application's key.
 */
public final class VonagePlugin implements ProviderPlugin {

    private static final Logger log = LoggerFactory.getLogger(VonagePlugin.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final URI API = URI.create("https://api.nexmo.com");
    static final Duration FRESH = Duration.ofMinutes(5);

    private final ProviderConfig config;
    private final ProviderUrls urls;
    private final CallTokens tokens;
    private final Clock clock;
    private final ReplayGuard jtis;

    public VonagePlugin(ProviderConfig config, ProviderUrls urls, CallTokens tokens, Clock clock) {
        this.config = config;
        this.urls = urls;
        this.tokens = tokens;
        this.clock = clock;
        this.jtis = new ReplayGuard(clock, FRESH.multipliedBy(2), 100_000);
    }

    @Override
    public String name() {
        return "vonage";
    }

    @Override
    public WebhookAnswer incoming(Webhook hook, ProviderCalls calls) throws RefusedException {
        verify(hook, true);
        Map<String, String> call = fields(hook);
        String uuid = call.getOrDefault("uuid", "");
        String to = call.getOrDefault("to", "");
        String from = call.getOrDefault("from", "");
        if (uuid.isEmpty() || to.isEmpty()) {
            throw RefusedException.malformed("uuid and to are required");
        }
        Optional<String> assistant = config.route(to).or(() -> config.route("+" + to));
        if (assistant.isEmpty()) {
            log.info("vonage call {} to {} rejected: {}", uuid, to, new Refusal.NoRoute(to).reason());
            return WebhookAnswer.json("[]\n"); // an NCCO with nothing to do: the call ends
        }
        String callId = tokens.newCallId();
        String token = tokens.store(
                new ClaimedCall(
                        callId,
                        assistant.get(),
                        from,
                        to,
                        "inbound",
                        Map.of("provider", name(), "provider_call_id", uuid)),
                name(),
                CallTokens.TTL);
        log.info("vonage call {} from {} to {}: assistant {}, call {}", uuid, from, to, assistant.get(), callId);
        return WebhookAnswer.json(Json.write(ncco(token, uuid, from, null)) + "\n");
    }

    /** The NCCO that connects the call to our media socket, {@code token} and {@code uuid} in its headers. */
    ArrayNode ncco(String token, String uuid, String from, @Nullable String callId) {
        ArrayNode ncco = JSON.createArrayNode();
        ObjectNode connect = ncco.addObject().put("action", "connect").put("eventType", "synchronous");
        connect.putArray("eventUrl").add(urls.endpoint(name(), "status") + (callId == null ? "" : "?call=" + callId));
        if (!from.isEmpty()) {
            connect.put("from", from);
        }
        ObjectNode endpoint = connect.putArray("endpoint").addObject();
        endpoint.put("type", "websocket")
                .put("uri", urls.media(name()).toString())
                .put("content-type", "audio/l16;rate=" + sampleRate());
        ObjectNode headers = endpoint.putObject("headers").put(VonageStreamCodec.TOKEN, token);
        if (!uuid.isEmpty()) {
            headers.put(VonageStreamCodec.UUID, uuid);
        }
        endpoint.putObject("authorization").put("type", "vonage");
        return ncco;
    }

    private int sampleRate() {
        return Integer.parseInt(config.setting("sample_rate").orElse("16000"));
    }

    @Override
    public WebhookAnswer status(Webhook hook, ProviderCalls calls) throws RefusedException {
        verify(hook, true);
        Map<String, String> event = fields(hook);
        String status = event.getOrDefault("status", "");
        String uuid = event.getOrDefault("uuid", event.getOrDefault("call_uuid", ""));
        CallProgress progress = progress(status);
        String ours = hook.query().getOrDefault("call", List.of()).stream()
                .findFirst()
                .orElse(null);
        Optional<ProviderCall> call = ours != null
                ? calls.find(ours).filter(c -> c.provider().equals(name()))
                : calls.findByProviderId(name(), uuid);
        if (progress != null) {
            call.ifPresent(c -> {
                calls.named(c, uuid);
                calls.progress(c, progress, "vonage: " + status);
            });
        }
        return WebhookAnswer.noContent(); // no NCCO: after a disconnect the call ends
    }

    /** Vonage's {@code status} in our words; null for one that says nothing about the call's progress. */
    static @Nullable CallProgress progress(String status) {
        return switch (status) {
            case "started" -> CallProgress.QUEUED;
            case "ringing" -> CallProgress.RINGING;
            case "answered" -> CallProgress.ANSWERED;
            case "completed" -> CallProgress.COMPLETED;
            case "busy" -> CallProgress.BUSY;
            case "cancelled" -> CallProgress.CANCELED;
            case "unanswered", "timeout" -> CallProgress.NO_ANSWER;
            case "rejected" -> CallProgress.REJECTED;
            case "failed" -> CallProgress.FAILED;
            default -> null;
        };
    }

    @Override
    public void checkUpgrade(Webhook upgrade) throws RefusedException {
        if (upgrade.header("authorization") != null) {
            verify(upgrade, false); // authorization: vonage; the token in the headers still has to claim the call
        }
    }

    @Override
    public StreamCodec codec(Webhook upgrade) {
        return new VonageStreamCodec();
    }

    @Override
    public String callerId(DialOrder order) {
        return order.from() != null ? order.from() : config.setting("caller_id").orElse("");
    }

    @Override
    public RestRequest dial(DialOrder order, String token, String callId) throws RefusedException {
        Optional<String> key = config.secret("private_key").map(s -> s.reveal());
        if (key.isEmpty() || callerId(order).isEmpty()) {
            throw new RefusedException(new Refusal.Unsupported(
                    "vonage places calls with providers.vonage.private_key and caller_id (or from)"));
        }
        ObjectNode body = Json.object();
        body.putArray("to")
                .addObject()
                .put("type", "phone")
                .put("number", order.to().replace("+", ""));
        body.putObject("from")
                .put("type", "phone")
                .put("number", callerId(order).replace("+", ""));
        body.set("ncco", ncco(token, "", "", callId));
        body.putArray("event_url").add(urls.endpoint(name(), "status") + "?call=" + callId);
        body.put("ringing_timer", Math.max(1, order.ringTimeout().toSeconds()));
        if (!order.maxDuration().isZero()) {
            body.put("length_timer", Math.max(1, order.maxDuration().toSeconds()));
        }
        return request("POST", "/v1/calls", Json.write(body), key.get());
    }

    @Override
    public @Nullable String dialedCallId(RestResponse response) {
        try {
            JsonNode uuid = JSON.readTree(response.body()).path("uuid");
            return uuid.isTextual() ? uuid.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public @Nullable RestRequest hangup(String providerCallId) {
        return config.secret("private_key")
                .map(key -> request("PUT", "/v1/calls/" + providerCallId, "{\"action\":\"hangup\"}", key.reveal()))
                .orElse(null);
    }

    private RestRequest request(String method, String path, String body, String privateKey) {
        URI base = config.apiBaseUrl() != null ? config.apiBaseUrl() : API;
        String root = base.toString().endsWith("/")
                ? base.toString().substring(0, base.toString().length() - 1)
                : base.toString();
        ObjectNode claims = Json.object()
                .put("application_id", config.setting("application_id").orElse(""))
                .put("iat", clock.instant().getEpochSecond())
                .put("exp", clock.instant().plus(FRESH).getEpochSecond())
                .put("jti", UUID.randomUUID().toString());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + VonageJwt.signRs256(claims, privateKey));
        headers.put("Content-Type", "application/json");
        headers.put("Accept", "application/json");
        return new RestRequest(method, URI.create(root + path), headers, body);
    }

    /** Refuses a request without Vonage's signed, fresh, unused JWT, or whose body is not the one it signed. */
    private void verify(Webhook hook, boolean body) throws RefusedException {
        String authorization = hook.header("authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw RefusedException.badSignature("Authorization: Bearer JWT is missing (turn on signed webhooks)");
        }
        JsonNode claims = VonageJwt.verifyHs256(
                authorization.substring(7),
                config.secret("signature_secret").map(s -> s.reveal()).orElse(""));
        if (claims == null) {
            throw RefusedException.badSignature("the JWT is not signed with providers.vonage.signature_secret");
        }
        Instant issued = Instant.ofEpochSecond(claims.path("iat").asLong(0));
        if (Duration.between(issued, clock.instant()).abs().compareTo(FRESH) > 0) {
            throw RefusedException.badSignature("the JWT was issued more than 5 minutes ago: stale or replayed");
        }
        JsonNode hash = claims.get("payload_hash");
        if (body
                && hash != null
                && !MessageDigest.isEqual(
                        VonageJwt.payloadHash(hook.body()).getBytes(StandardCharsets.US_ASCII),
                        hash.asText().getBytes(StandardCharsets.US_ASCII))) {
            throw RefusedException.badSignature("the body is not the one signed (payload_hash)");
        }
        String jti = claims.path("jti").asText("");
        if (!jti.isEmpty() && !jtis.firstTime(jti)) {
            throw RefusedException.badSignature("the JWT's jti was used already: a replayed webhook");
        }
    }

    /** The answer's or event's fields: the JSON body's, else the query's. */
    private static Map<String, String> fields(Webhook hook) throws RefusedException {
        Map<String, String> out = new LinkedHashMap<>();
        if (hook.isJson()) {
            try {
                JSON.readTree(hook.body()).properties().forEach(e -> {
                    if (e.getValue().isValueNode()) {
                        out.put(e.getKey(), e.getValue().asText());
                    }
                });
            } catch (IOException | RuntimeException e) {
                throw RefusedException.malformed("the body is not a JSON object");
            }
        } else {
            hook.query().forEach((k, v) -> out.put(k, v.get(0)));
        }
        return out;
    }
}
