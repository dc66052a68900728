package dev.softswitch.bridge.provider.exotel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softswitch.bridge.assistant.Json;
import dev.softswitch.bridge.provider.CallProgress;
import dev.softswitch.bridge.provider.CallTokens;
import dev.softswitch.bridge.provider.ClaimedCall;
import dev.softswitch.bridge.provider.DialOrder;
import dev.softswitch.bridge.provider.Forms;
import dev.softswitch.bridge.provider.ProviderCall;
import dev.softswitch.bridge.provider.ProviderCalls;
import dev.softswitch.bridge.provider.ProviderPlugin;
import dev.softswitch.bridge.provider.ProviderUrls;
import dev.softswitch.bridge.provider.Refusal;
import dev.softswitch.bridge.provider.RefusedException;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exotel. The Voicebot applet's URL is {@code https://KEY:TOKEN@host/providers/exotel/incoming} (HTTP Basic with the
 * API key and token, required); it answers {@code {"url": "wss://.../providers/exotel/media?token=..."}}. The media
 * socket needs the token, and Basic when it carries any. Status callbacks of calls we placed are matched by our call id
 * in their URL. Calls are placed with the AgentStream {@code calls/connect} API, streaming to us directly.
 */
public final class ExotelPlugin implements ProviderPlugin {

    private static final Logger log = LoggerFactory.getLogger(ExotelPlugin.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final URI API = URI.create("https://api.in.exotel.com");

    private final ProviderConfig config;
    private final ProviderUrls urls;
    private final CallTokens tokens;

    public ExotelPlugin(ProviderConfig config, ProviderUrls urls, CallTokens tokens) {
        this.config = config;
        this.urls = urls;
        this.tokens = tokens;
    }

    @Override
    public String name() {
        return "exotel";
    }

    /** 400 ms ahead: two of Exotel's 200 ms chunks, so its playout never waits for the next. */
    @Override
    public int leadFrames() {
        return 2 * ExotelStreamCodec.CHUNK_FRAMES;
    }

    @Override
    public WebhookAnswer incoming(Webhook hook, ProviderCalls calls) throws RefusedException {
        if (!basicMatches(hook)) {
            throw RefusedException.badSignature(
                    "HTTP Basic with the API key and token is required: https://KEY:TOKEN@host/providers/exotel/incoming");
        }
        String callSid = Optional.ofNullable(hook.param("CallSid")).orElse("");
        String to = Optional.ofNullable(hook.param("To")).orElse("");
        String from = Optional.ofNullable(hook.param("From")).orElse("");
        Optional<String> assistant = config.route(to);
        if (assistant.isEmpty()) {
            throw new RefusedException(new Refusal.NoRoute(to.isEmpty() ? "(no To)" : to));
        }
        String callId = tokens.newCallId();
        String token = tokens.store(
                new ClaimedCall(
                        callId,
                        assistant.get(),
                        from,
                        to,
                        "inbound",
                        Map.of("provider", name(), "provider_call_id", callSid)),
                name(),
                CallTokens.TTL);
        log.info("exotel call {} from {} to {}: assistant {}, call {}", callSid, from, to, assistant.get(), callId);
        return WebhookAnswer.json(Json.write(Json.object().put("url", streamUrl(token))) + "\n");
    }

    /** The media socket's URL for one call: 8 kHz, the token as a custom parameter. */
    String streamUrl(String token) {
        return urls.media(name()) + "?sample-rate=8000&" + ExotelStreamCodec.TOKEN + "=" + token;
    }

    @Override
    public WebhookAnswer status(Webhook hook, ProviderCalls calls) throws RefusedException {
        String ours = first(hook.query().get("call"));
        Optional<ProviderCall> call = ours == null
                ? Optional.empty()
                : calls.find(ours).filter(c -> c.provider().equals(name()));
        if (!basicMatches(hook) && call.isEmpty()) {
            throw RefusedException.badSignature("not a call of ours, and no HTTP Basic with the API key and token");
        }
        String status = Optional.ofNullable(hook.param("Status")).orElse("");
        CallProgress progress =
                switch (status) {
                    case "completed" -> CallProgress.COMPLETED;
                    case "busy" -> CallProgress.BUSY;
                    case "no-answer" -> CallProgress.NO_ANSWER;
                    case "failed" -> CallProgress.FAILED;
                    case "in-progress", "answered" -> CallProgress.ANSWERED;
                    case "ringing" -> CallProgress.RINGING;
                    default -> null;
                };
        String callSid = Optional.ofNullable(hook.param("CallSid")).orElse("");
        if (progress != null) {
            call.or(() -> calls.findByProviderId(name(), callSid)).ifPresent(c -> {
                calls.named(c, callSid);
                calls.progress(c, progress, "exotel: " + status);
            });
        }
        return WebhookAnswer.noContent();
    }

    @Override
    public void checkUpgrade(Webhook upgrade) throws RefusedException {
        if (upgrade.header("authorization") != null && !basicMatches(upgrade)) {
            throw RefusedException.badSignature("HTTP Basic on the media socket is not the API key and token");
        }
    }

    @Override
    public StreamCodec codec(Webhook upgrade) {
        return new ExotelStreamCodec();
    }

    @Override
    public String callerId(DialOrder order) {
        return order.from() != null ? order.from() : config.setting("caller_id").orElse("");
    }

    @Override
    public RestRequest dial(DialOrder order, String token, String callId) throws RefusedException {
        if (callerId(order).isEmpty()) {
            throw new RefusedException(new Refusal.Unsupported(
                    "exotel needs a caller id (an ExoPhone): give from, or set providers.exotel.caller_id"));
        }
        List<Map.Entry<String, String>> form = new ArrayList<>();
        form.add(Map.entry("from", order.to()));
        form.add(Map.entry("callerid", callerId(order)));
        form.add(Map.entry("streamurl", streamUrl(token)));
        form.add(Map.entry("streamtype", "bidirectional"));
        form.add(Map.entry("statuscallback", urls.endpoint(name(), "status") + "?call=" + callId));
        form.add(Map.entry("statuscallbackevents[]", "answered"));
        form.add(Map.entry("statuscallbackevents[]", "terminal"));
        form.add(Map.entry("customfield", callId));
        URI base = config.apiBaseUrl() != null ? config.apiBaseUrl() : API;
        String root = base.toString().endsWith("/") ? base.toString() : base + "/";
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", basic());
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        headers.put("Accept", "application/json");
        return new RestRequest(
                "POST",
                URI.create(root + "v1/accounts/" + config.setting("account_sid").orElse("") + "/calls/connect"),
                headers,
                Forms.encode(form));
    }

    @Override
    public @Nullable String dialedCallId(RestResponse response) {
        try {
            JsonNode sid = JSON.readTree(response.body()).path("call").path("sid");
            return sid.isTextual() ? sid.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Exotel documents no hang-up call for AgentStream calls: closing the stream ends them. */
    @Override
    public @Nullable RestRequest hangup(String providerCallId) {
        return null;
    }

    private String basic() {
        String credentials = config.setting("api_key").orElse("") + ":"
                + config.secret("api_token").map(s -> s.reveal()).orElse("");
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    private boolean basicMatches(Webhook hook) {
        String given = hook.header("authorization");
        return given != null
                && MessageDigest.isEqual(
                        given.strip().getBytes(StandardCharsets.UTF_8), basic().getBytes(StandardCharsets.UTF_8));
    }

    private static @Nullable String first(@Nullable List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
