package dev.softswitch.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.softswitch.app.dial.DialPlan;
import dev.softswitch.assistant.AssistantDirectory;
import dev.softswitch.assistant.context.CallContext;
import dev.softswitch.assistant.context.CallContextStore;
import dev.softswitch.assistant.context.CallContextStoreException;
import dev.softswitch.assistant.context.InMemoryCallContextStore;
import dev.softswitch.bridge.provider.DialOrder;
import dev.softswitch.bridge.provider.ProviderCall;
import dev.softswitch.bridge.provider.Providers;
import dev.softswitch.bridge.provider.RefusedException;
import dev.softswitch.config.ApiConfig;
import dev.softswitch.config.ApiKey;
import dev.softswitch.config.SoftswitchConfig;
import dev.softswitch.sip.DialRequest;
import dev.softswitch.sip.DialStatus;
import dev.softswitch.sip.SipServer;
import dev.softswitch.sip.outbound.OutboundRefusal;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The call API under {@code /v1}: {@code POST /v1/calls} places a call and answers 202 at once, {@code GET
 * /v1/calls/{id}} says where it stands, {@code DELETE /v1/calls/{id}} hangs it up, {@code GET /v1/calls} lists those in
 * progress. Every request needs {@code Authorization: Bearer KEY} with one of the configuration's {@code api.keys}.
 * Runs on the HTTP event loop and never blocks: placing a call only enqueues it.
 */
public final class CallsApi {

    private static final Logger log = LoggerFactory.getLogger(CallsApi.class);

    static final String CALLS = "/v1/calls";
    /** How long a call's context waits to be claimed (at least; longer when it may ring longer). */
    static final Duration CONTEXT_TTL = Duration.ofMinutes(5);

    static final String CHALLENGE = "Bearer realm=\"softswitch\"";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PlacedCall.Placer placer;
    private final DialPlan plan;
    private final ApiConfig api;
    private final CallContextStore contexts;
    private final Clock clock;
    private final ApiCallStore calls;
    private final @Nullable Providers providers;

    CallsApi(PlacedCall.Placer placer, DialPlan plan, ApiConfig api, CallContextStore contexts, Clock clock) {
        this(placer, plan, api, contexts, clock, null);
    }

    CallsApi(
            PlacedCall.Placer placer,
            DialPlan plan,
            ApiConfig api,
            CallContextStore contexts,
            Clock clock,
            @Nullable Providers providers) {
        this.placer = placer;
        this.plan = plan;
        this.api = api;
        this.contexts = contexts;
        this.clock = clock;
        this.calls = new ApiCallStore(clock);
        this.providers = providers;
    }

    /** The daemon's API: calls placed by {@code sip}, checked as {@code softswitch dial} checks them. */
    public static CallsApi of(SipServer sip, @Nullable SoftswitchConfig config, AssistantDirectory assistants) {
        return of(sip, config, assistants, null, new InMemoryCallContextStore(Clock.systemUTC()));
    }

    /**
     * As above; calls with a {@code provider} go out through its REST API, and call contexts are kept in {@code
     * contexts} (the one store the providers use too: in memory, or shared through Redis).
     */
    public static CallsApi of(
            SipServer sip,
            @Nullable SoftswitchConfig config,
            AssistantDirectory assistants,
            @Nullable Providers providers,
            CallContextStore contexts) {
        Clock clock = Clock.systemUTC();
        return new CallsApi(
                PlacedCall.of(sip),
                new DialPlan(config, id -> assistants.find(id).isPresent()),
                config == null ? ApiConfig.NONE : config.api(),
                contexts,
                clock,
                providers);
    }

    /** Whether {@code path} is the API's. */
    static boolean owns(String path) {
        return path.equals("/v1") || path.startsWith("/v1/");
    }

    /** Answers one request to a path under {@code /v1} (without its query). */
    FullHttpResponse handle(FullHttpRequest request, String path, @Nullable SocketAddress remote) {
        if (api.keys().isEmpty()) {
            return respond(
                    HttpResponseStatus.FORBIDDEN,
                    CallJson.error("no API keys configured: add api.keys to the configuration", null));
        }
        Optional<ApiKey> key = authenticate(request, remote);
        if (key.isEmpty()) {
            FullHttpResponse refused = respond(
                    HttpResponseStatus.UNAUTHORIZED,
                    CallJson.error("a valid API key is required: Authorization: Bearer KEY", null));
            refused.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, CHALLENGE);
            return refused;
        }
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        HttpMethod method = request.method();
        if (p.equals(CALLS)) {
            if (method.equals(HttpMethod.POST)) {
                return place(request, key.get());
            }
            return method.equals(HttpMethod.GET) ? list() : notAllowed(p, "GET, POST");
        }
        if (p.startsWith(CALLS + "/") && p.indexOf('/', CALLS.length() + 1) < 0) {
            String id = p.substring(CALLS.length() + 1);
            if (method.equals(HttpMethod.GET)) {
                return show(id);
            }
            return method.equals(HttpMethod.DELETE)
                    ? hangUp(id, key.get())
                    : notAllowed(CALLS + "/{id}", "GET, DELETE");
        }
        return respond(
                HttpResponseStatus.NOT_FOUND,
                CallJson.error("no such path: the API has /v1/calls and /v1/calls/{id}", null));
    }

    private Optional<ApiKey> authenticate(FullHttpRequest request, @Nullable SocketAddress remote) {
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            log.debug("API request from {} without a bearer key", remote);
            return Optional.empty();
        }
        Optional<ApiKey> key = api.match(header.substring(7).strip());
        if (key.isEmpty()) {
            log.info("API request from {} refused: not one of the configured API keys", remote);
        }
        return key;
    }

    private FullHttpResponse place(FullHttpRequest request, ApiKey key) {
        String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type == null
                || !type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT).equals("application/json")) {
            return respond(
                    HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                    CallJson.error("send the call as JSON, with Content-Type: application/json", null));
        }
        CallRequest asked;
        DialRequest dial;
        try {
            asked = CallRequestDecoder.decode(ByteBufUtil.getBytes(request.content()));
            if (asked.provider() != null) {
                return placeThroughProvider(asked, key);
            }
            dial = plan.plan(
                    asked.to(),
                    asked.trunk(),
                    asked.assistant(),
                    asked.from(),
                    asked.variables(),
                    asked.ringTimeout(),
                    asked.maxDuration());
        } catch (CallRequestDecoder.Invalid e) {
            return respond(HttpResponseStatus.BAD_REQUEST, CallJson.error(e.getMessage(), e.field()));
        } catch (DialPlan.InvalidDial e) {
            return respond(HttpResponseStatus.BAD_REQUEST, CallJson.error(e.getMessage(), e.field()));
        }
        String to = asked.to().strip();
        CallContext context = new CallContext(asked.assistant(), asked.variables(), to, asked.trunk(), clock.instant());
        // The context must outlive the ringing: a call that may ring longer than the TTL would lose it.
        Duration ttl = max(CONTEXT_TTL, asked.ringTimeout().plusMinutes(1));
        PlacedCall call;
        try {
            call = placer.place(dial, new Progress(context, ttl));
        } catch (IllegalStateException e) {
            return respond(HttpResponseStatus.SERVICE_UNAVAILABLE, CallJson.error(e.getMessage(), null));
        }
        Optional<OutboundRefusal> refusal = call.refusal();
        if (refusal.isPresent()) {
            return refused(refusal.get(), asked, key);
        }
        calls.add(new ApiCallStore.ApiCall(to, asked.trunk(), asked.assistant(), call));
        try (var mdc = MDC.putCloseable("call", call.id())) {
            log.info("placed through the API (key {}): to {} for assistant {}", key.name(), to, asked.assistant());
        }
        String url = CALLS + "/" + call.id();
        FullHttpResponse response = respond(HttpResponseStatus.ACCEPTED, CallJson.placed(call, url));
        response.headers().set(HttpHeaderNames.LOCATION, url);
        return response;
    }

    /**
     * A call a trunk's toll-fraud cap refused: 403 for a number not allowed ({@code field: to}), 429 for too many calls
     * at once or in the last minute ({@code field: trunk}, or {@code to} for a SIP URI at the trunk's host), with
     * {@code Retry-After} when the minute's window says when. Its call record is written all the same.
     */
    private FullHttpResponse refused(OutboundRefusal refusal, CallRequest asked, ApiKey key) {
        String field = refusal instanceof OutboundRefusal.PrefixNotAllowed || asked.trunk() == null ? "to" : "trunk";
        log.info("refused through the API (key {}): {}", key.name(), refusal.label());
        FullHttpResponse response =
                respond(HttpResponseStatus.valueOf(refusal.httpStatus()), CallJson.error(refusal.detail(), field));
        Duration retry = refusal.retryAfter();
        if (retry != null) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, Long.toString(retry.toSeconds()));
        }
        return response;
    }

    /** {@code "provider": NAME}: the call goes out through the provider's REST API, its media back to us. */
    private FullHttpResponse placeThroughProvider(CallRequest asked, ApiKey key) throws DialPlan.InvalidDial {
        String provider = java.util.Objects.requireNonNull(asked.provider());
        DialOrder order = plan.providerOrder(
                provider,
                asked.to(),
                asked.trunk(),
                asked.assistant(),
                asked.from(),
                asked.variables(),
                asked.ringTimeout(),
                asked.maxDuration());
        if (providers == null) {
            throw new DialPlan.InvalidDial("provider", "no provider is running (providers: in the configuration)");
        }
        ProviderCall placed;
        try {
            placed = providers.dial(order);
        } catch (RefusedException e) {
            return respond(
                    HttpResponseStatus.valueOf(e.refusal().httpStatus()),
                    CallJson.error(e.refusal().reason(), "provider"));
        } catch (CallContextStoreException e) {
            return respond(HttpResponseStatus.SERVICE_UNAVAILABLE, CallJson.error(e.getMessage(), null));
        }
        calls.add(new ApiCallStore.ApiCall(order.to(), provider, order.assistantId(), PlacedCall.of(placed)));
        placed.whenEnded(() -> calls.retire(placed.id()));
        try (var mdc = MDC.putCloseable("call", placed.id())) {
            log.info(
                    "placed through the API (key {}) and {}: to {} for assistant {}",
                    key.name(),
                    provider,
                    order.to(),
                    order.assistantId());
        }
        String url = CALLS + "/" + placed.id();
        FullHttpResponse response = respond(HttpResponseStatus.ACCEPTED, CallJson.placed(PlacedCall.of(placed), url));
        response.headers().set(HttpHeaderNames.LOCATION, url);
        return response;
    }

    private FullHttpResponse show(String id) {
        return calls.find(id)
                .map(c -> respond(HttpResponseStatus.OK, CallJson.call(c, clock.instant())))
                .orElseGet(() -> unknown(id));
    }

    private FullHttpResponse list() {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        calls.active().forEach(c -> list.add(CallJson.call(c, clock.instant())));
        return respond(
                HttpResponseStatus.OK, JsonNodeFactory.instance.objectNode().set("calls", list));
    }

    private FullHttpResponse hangUp(String id, ApiKey key) {
        Optional<ApiCallStore.ApiCall> found = calls.find(id);
        if (found.isEmpty()) {
            return unknown(id);
        }
        ApiCallStore.ApiCall call = found.get();
        DialStatus status = call.call().status();
        if (status.isEnded()) {
            String how = status.outcome() == null ? "" : " (" + status.outcome().label() + ")";
            return respond(
                    HttpResponseStatus.CONFLICT, CallJson.error("call " + id + " has already ended" + how, null));
        }
        call.call().hangUp();
        try (var mdc = MDC.putCloseable("call", id)) {
            log.info(
                    "hung up through the API (key {}) while {}",
                    key.name(),
                    status.phase().label());
        }
        return respond(HttpResponseStatus.ACCEPTED, CallJson.call(call, clock.instant()));
    }

    private static FullHttpResponse unknown(String id) {
        String shown = id.length() > 40 ? id.substring(0, 40) + "..." : id;
        return respond(
                HttpResponseStatus.NOT_FOUND,
                CallJson.error(
                        "no call " + shown.replaceAll("[^\\x20-\\x7e]", "?") + " (ended calls are kept an hour)",
                        null));
    }

    private static FullHttpResponse notAllowed(String path, String allow) {
        FullHttpResponse response =
                respond(HttpResponseStatus.METHOD_NOT_ALLOWED, CallJson.error(path + " takes " + allow, null));
        response.headers().set(HttpHeaderNames.ALLOW, allow);
        return response;
    }

    private static FullHttpResponse respond(HttpResponseStatus status, JsonNode body) {
        String text;
        try {
            text = JSON.writeValueAsString(body) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree that cannot be written", e);
        }
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        return response;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * A placed call's progress, heard on the call's own thread: its context is stored at the first report (before any
     * answer can be processed, since the call's events run one after another), claimed when it is answered, and
     * dropped if it ends unanswered; the ended call is retired from the list of active ones.
     */
    private final class Progress implements Consumer<DialStatus> {
        private final CallContext context;
        private final Duration ttl;
        private final AtomicBoolean stored = new AtomicBoolean();
        private final AtomicBoolean claimed = new AtomicBoolean();

        Progress(CallContext context, Duration ttl) {
            this.context = context;
            this.ttl = ttl;
        }

        @Override
        public void accept(DialStatus status) {
            try {
                track(status);
            } catch (CallContextStoreException e) {
                // A shared store out of reach must not break the call it only keeps notes on.
                log.warn("call context of {} not kept: {}", status.callId(), e.getMessage());
            }
        }

        private void track(DialStatus status) {
            String id = status.callId();
            if (status.isEnded()) {
                if (stored.get()
                        && !claimed.getAndSet(true)
                        && contexts.claim(id).isPresent()) {
                    log.debug("call context dropped: the call ended unanswered");
                }
                calls.retire(id);
                return;
            }
            if (!stored.getAndSet(true)) {
                contexts.put(id, context, ttl);
            }
            if (status.phase() == DialStatus.Phase.ANSWERED && !claimed.getAndSet(true)) {
                Optional<CallContext> ctx = contexts.claim(id);
                if (ctx.isPresent()) {
                    log.debug(
                            "call context claimed: assistant {}, {} variables",
                            ctx.get().assistantId(),
                            ctx.get().variables().size());
                } else {
                    log.warn("answered, but no call context to claim (expired or taken)");
                }
            }
        }
    }
}
