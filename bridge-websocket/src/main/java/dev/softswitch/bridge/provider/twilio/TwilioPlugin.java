package dev.softswitch.bridge.provider.twilio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softswitch.assistant.context.CallContextStoreException;
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
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Twilio's plugin. The voice webhook (the number's "A call comes in" URL) is answered with {@code <Connect><Stream>} to
 * our media socket and a single-use token as {@code <Parameter name="token">}; the media socket's upgrade must carry a
 * valid {@code X-Twilio-Signature} over its {@code wss://} URL when it carries one at all, and its {@code start} must
 * carry the token. A second answer webhook for the same {@code CallSid} within the token's lifetime is refused as a
 * replay. Calls are placed with {@code POST /2010-04-01/Accounts/{sid}/Calls.json}, their TwiML inline.
 */
public final class TwilioPlugin implements ProviderPlugin {

    private static final Logger log = LoggerFactory.getLogger(TwilioPlugin.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final URI API = URI.create("https://api.twilio.com");

    private final ProviderConfig config;
    private final ProviderUrls urls;
    private final CallTokens tokens;
    private final ReplayGuard answered;

    public TwilioPlugin(ProviderConfig config, ProviderUrls urls, CallTokens tokens, Clock clock) {
        this.config = config;
        this.urls = urls;
        this.tokens = tokens;
        this.answered = new ReplayGuard(clock, CallTokens.TTL, 100_000);
    }

    @Override
    public String name() {
        return "twilio";
    }

    @Override
    public WebhookAnswer incoming(Webhook hook, ProviderCalls calls) throws RefusedException {
        verify(hook);
        String callSid = required(hook, "CallSid");
        String to = required(hook, "To");
        String from = Optional.ofNullable(hook.param("From")).orElse("");
        Optional<String> assistant = config.route(to);
        if (assistant.isEmpty()) {
            log.info("twilio call {} to {} rejected: {}", callSid, to, new Refusal.NoRoute(to).reason());
            return WebhookAnswer.xml(TwiML.reject());
        }
        if (!answered.firstTime(callSid)) {
            throw RefusedException.badSignature("call " + callSid + " was answered already: a replayed webhook");
        }
        String callId = tokens.newCallId();
        Map<String, String> variables = Map.of("provider", name(), "provider_call_id", callSid);
        String token;
        try {
            token = tokens.store(
                    new ClaimedCall(callId, assistant.get(), from, to, "inbound", variables), name(), CallTokens.TTL);
        } catch (CallContextStoreException e) {
            answered.forget(callSid); // refused with 503: Twilio may send this call's webhook again, and is answered
            throw e;
        }
        log.info("twilio call {} from {} to {}: assistant {}, call {}", callSid, from, to, assistant.get(), callId);
        return WebhookAnswer.xml(TwiML.DECLARATION + answer(token) + "\n");
    }

    /** The TwiML that streams a call to us, carrying {@code token}. */
    String answer(String token) {
        return TwiML.connectStream(
                urls.media(name()), urls.endpoint(name(), "status"), Map.of(TwilioStreamCodec.TOKEN, token));
    }

    @Override
    public WebhookAnswer status(Webhook hook, ProviderCalls calls) throws RefusedException {
        verify(hook);
        String streamEvent = hook.param("StreamEvent");
        if (streamEvent != null) {
            log.debug("twilio stream {}: {}", hook.param("StreamSid"), streamEvent);
            return WebhookAnswer.noContent();
        }
        String callSid = required(hook, "CallSid");
        String status = required(hook, "CallStatus");
        CallProgress progress = progress(status);
        if (progress == null) {
            throw RefusedException.malformed("CallStatus \"" + status + "\" is not one Twilio sends");
        }
        String ours = hook.query().getOrDefault("call", List.of()).stream()
                .findFirst()
                .orElse(null);
        Optional<ProviderCall> call = ours != null
                ? calls.find(ours).filter(c -> c.provider().equals(name()))
                : calls.findByProviderId(name(), callSid);
        if (call.isEmpty()) {
            log.debug("twilio status {} for call {}, which is not in progress here", status, callSid);
            return WebhookAnswer.noContent();
        }
        calls.named(call.get(), callSid);
        String sip = hook.param("SipResponseCode");
        calls.progress(call.get(), progress, "twilio: " + status + (sip == null ? "" : " (SIP " + sip + ")"));
        return WebhookAnswer.noContent();
    }

    /** Twilio's {@code CallStatus} in our words; null for a value it does not send. */
    static @Nullable CallProgress progress(String status) {
        return switch (status) {
            case "queued", "initiated" -> CallProgress.QUEUED;
            case "ringing" -> CallProgress.RINGING;
            case "in-progress" -> CallProgress.ANSWERED;
            case "completed" -> CallProgress.COMPLETED;
            case "busy" -> CallProgress.BUSY;
            case "no-answer" -> CallProgress.NO_ANSWER;
            case "canceled" -> CallProgress.CANCELED;
            case "failed" -> CallProgress.FAILED;
            default -> null;
        };
    }

    @Override
    public void checkUpgrade(Webhook upgrade) throws RefusedException {
        String signature = upgrade.header(TwilioSignature.HEADER);
        if (signature == null) {
            return; // no signature to check: the token in start.customParameters still has to claim the call
        }
        String seen = upgrade.url().toString();
        String token = authToken();
        if (!TwilioSignature.valid(token, signature, ProviderUrls.webSocket(seen), Map.of())
                && !TwilioSignature.valid(token, signature, seen, Map.of())) {
            throw RefusedException.badSignature("X-Twilio-Signature does not match the media URL");
        }
    }

    @Override
    public StreamCodec codec(Webhook upgrade) {
        return new TwilioStreamCodec();
    }

    @Override
    public String callerId(DialOrder order) {
        return order.from() != null ? order.from() : config.setting("caller_id").orElse("");
    }

    @Override
    public RestRequest dial(DialOrder order, String token, String callId) throws RefusedException {
        String from = callerId(order);
        if (from.isEmpty()) {
            throw new RefusedException(
                    new Refusal.Unsupported("twilio needs a caller id: give from, or set providers.twilio.caller_id"));
        }
        List<Map.Entry<String, String>> form = new ArrayList<>();
        form.add(Map.entry("To", order.to()));
        form.add(Map.entry("From", from));
        form.add(Map.entry("Twiml", answer(token)));
        form.add(Map.entry("StatusCallback", urls.endpoint(name(), "status") + "?call=" + callId));
        for (String event : List.of("initiated", "ringing", "answered", "completed")) {
            form.add(Map.entry("StatusCallbackEvent", event));
        }
        form.add(Map.entry("StatusCallbackMethod", "POST"));
        form.add(Map.entry(
                "Timeout", Long.toString(Math.max(1, order.ringTimeout().toSeconds()))));
        if (!order.maxDuration().isZero()) {
            form.add(Map.entry(
                    "TimeLimit", Long.toString(Math.max(1, order.maxDuration().toSeconds()))));
        }
        return post(calls(), Forms.encode(form));
    }

    @Override
    public @Nullable String dialedCallId(RestResponse response) {
        try {
            JsonNode sid = JSON.readTree(response.body()).path("sid");
            return sid.isTextual() ? sid.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public @Nullable RestRequest hangup(String providerCallId) {
        return post(calls().replace("Calls.json", "Calls/" + providerCallId + ".json"), "Status=completed");
    }

    private String calls() {
        URI base = config.apiBaseUrl() != null ? config.apiBaseUrl() : API;
        String root = base.toString().endsWith("/") ? base.toString() : base + "/";
        return root + "2010-04-01/Accounts/" + accountSid() + "/Calls.json";
    }

    private RestRequest post(String url, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        String basic = accountSid() + ":" + authToken();
        headers.put(
                "Authorization", "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        headers.put("Accept", "application/json");
        return new RestRequest("POST", URI.create(url), headers, body);
    }

    /** Refuses a webhook whose {@code X-Twilio-Signature} is missing or wrong (a JSON body: its bodySHA256 too). */
    private void verify(Webhook hook) throws RefusedException {
        String signature = hook.header(TwilioSignature.HEADER);
        if (signature == null) {
            throw RefusedException.badSignature("X-Twilio-Signature is missing");
        }
        String url = hook.url().toString();
        boolean ok = hook.isJson()
                ? TwilioSignature.validJson(authToken(), signature, url, hook.body())
                : TwilioSignature.valid(
                        authToken(), signature, url, hook.method().equals("POST") ? hook.form() : Map.of());
        if (!ok) {
            throw RefusedException.badSignature(
                    "X-Twilio-Signature does not match (is providers.public_url the URL Twilio calls?)");
        }
    }

    private static String required(Webhook hook, String name) throws RefusedException {
        String value = hook.param(name);
        if (value == null || value.isEmpty()) {
            throw RefusedException.malformed(name + " is required");
        }
        return value;
    }

    private String accountSid() {
        return config.setting("account_sid").orElse("");
    }

    private String authToken() {
        return config.secret("auth_token").map(s -> s.reveal()).orElse("");
    }

    @Override
    public String toString() {
        return "twilio (" + accountSid().toLowerCase(Locale.ROOT) + ")";
    }
}
