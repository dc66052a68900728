package dev.softswitch.bridge.provider;

import dev.softswitch.assistant.AssistantDirectory;
import dev.softswitch.assistant.context.CallContextStore;
import dev.softswitch.bridge.provider.audiosocket.AudioSocketServer;
import dev.softswitch.bridge.provider.exotel.ExotelPlugin;
import dev.softswitch.bridge.provider.plivo.PlivoPlugin;
import dev.softswitch.bridge.provider.telnyx.TelnyxPlugin;
import dev.softswitch.bridge.provider.twilio.TwilioPlugin;
import dev.softswitch.bridge.provider.vonage.VonagePlugin;
import dev.softswitch.config.ProviderConfig;
import dev.softswitch.config.ProvidersConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured providers, ready: their plugins behind {@code /providers/...} on the HTTP port, the servers that are
 * not HTTP (AudioSocket), the call contexts, the calls in progress and their records, and placing calls through their
 * REST APIs. One per softswitch; {@link #close} stops it.
 */
public final class Providers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Providers.class);

    /** Something a provider runs besides its webhooks, such as the AudioSocket TCP server. */
    public interface Server extends AutoCloseable {
        @Override
        void close();
    }

    private final Map<String, ProviderPlugin> plugins;
    private final ProviderCalls calls;
    private final CallTokens tokens;
    private final RestClient rest;
    private final ExecutorService executor;
    private final List<Server> servers;
    private final ProviderHttpHandler http;
    /** Every provider running, webhook or server, in configuration order. */
    private final List<String> running;

    private Providers(
            Map<String, ProviderPlugin> plugins,
            ProviderCalls calls,
            CallTokens tokens,
            RestClient rest,
            ExecutorService executor,
            List<Server> servers,
            ProviderHttpHandler http,
            List<String> running) {
        this.plugins = plugins;
        this.calls = calls;
        this.tokens = tokens;
        this.rest = rest;
        this.executor = executor;
        this.servers = servers;
        this.http = http;
        this.running = running;
    }

    /**
     * Starts the configured providers.
     *
     * @param store where call contexts wait for their media sockets
     * @param records where ended calls go (the call record writer)
     * @param bind the address servers of their own (AudioSocket) listen on
     * @throws Exception when a server cannot start (its port taken); nothing is left running then
     */
    public static Providers start(
            ProvidersConfig config,
            AssistantDirectory assistants,
            CallContextStore store,
            Ticker ticker,
            Consumer<ProviderCallRecord> records,
            InetAddress bind,
            Clock clock)
            throws Exception {
        CallTokens tokens = new CallTokens(store, clock);
        ProviderCalls calls = new ProviderCalls(clock, records);
        ExecutorService executor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("provider-assistant-", 0).factory());
        MediaServices services = new MediaServices(assistants, tokens, calls, ticker, executor, config.stallTimeout());
        ProviderUrls urls = config.publicUrl() == null ? null : new ProviderUrls(config.publicUrl());
        RestClient rest = new RestClient();
        Map<String, ProviderPlugin> plugins = new LinkedHashMap<>();
        List<Server> running = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try {
            for (ProviderConfig provider : config.providers()) {
                ProviderPlugin plugin = urls == null ? null : plugin(provider, urls, tokens, clock, rest);
                if (plugin != null) {
                    plugins.put(plugin.name(), plugin);
                    names.add(plugin.name());
                    log.info(
                            "{}: answer webhook {}, status callback {}",
                            plugin.name(),
                            urls.endpoint(plugin.name(), "incoming"),
                            urls.endpoint(plugin.name(), "status"));
                } else {
                    Server server = server(provider, bind, services);
                    if (server != null) {
                        running.add(server);
                        names.add(provider.name());
                    } else {
                        log.warn("provider {} is configured but not available in this version", provider.name());
                    }
                }
            }
        } catch (Exception | Error e) {
            running.forEach(Server::close);
            executor.shutdownNow();
            rest.close();
            throw e;
        }
        ProviderHttpHandler http = new ProviderHttpHandler(Map.copyOf(plugins), urls, calls, services);
        return new Providers(plugins, calls, tokens, rest, executor, running, http, List.copyOf(names));
    }

    private static @Nullable ProviderPlugin plugin(
            ProviderConfig config, ProviderUrls urls, CallTokens tokens, Clock clock, RestClient rest) {
        return switch (config.kind()) {
            case TWILIO -> new TwilioPlugin(config, urls, tokens, clock);
            case TELNYX -> new TelnyxPlugin(config, urls, tokens, clock, rest);
            case PLIVO -> new PlivoPlugin(config, urls, tokens, clock);
            case VONAGE -> new VonagePlugin(config, urls, tokens, clock);
            case EXOTEL -> new ExotelPlugin(config, urls, tokens);
            default -> null;
        };
    }

    private static @Nullable Server server(ProviderConfig config, InetAddress bind, MediaServices services) {
        return switch (config.kind()) {
            case AUDIOSOCKET -> AudioSocketServer.start(bind, config, services);
            default -> null;
        };
    }

    /** Whether {@code path} (without its query) is a provider endpoint's. */
    public static boolean owns(String path) {
        return path.startsWith(ProviderUrls.PREFIX);
    }

    /**
     * Answers a request under {@code /providers/}: writes the response itself, or upgrades the connection to a media
     * WebSocket. On the HTTP event loop; does not block.
     */
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        http.handle(ctx, request);
    }

    /** The providers that take webhooks and place calls, by name. */
    public Set<String> names() {
        return plugins.keySet();
    }

    /**
     * Places a call through the provider's REST API and returns at once; the request goes out asynchronously, and a
     * failure ends the call (recorded as {@code failed}, with the provider's answer as detail).
     *
     * @throws RefusedException when the provider is not configured or cannot place calls
     */
    public ProviderCall dial(DialOrder order) throws RefusedException {
        ProviderPlugin plugin = plugins.get(order.provider());
        if (plugin == null) {
            throw new RefusedException(new Refusal.NotServed(
                    404,
                    "provider " + order.provider() + " is not configured"
                            + (plugins.isEmpty() ? "" : " (configured: " + String.join(", ", plugins.keySet()) + ")")));
        }
        if (calls.draining()) {
            throw new RefusedException(new Refusal.Draining());
        }
        String id = tokens.newCallId();
        String from = plugin.callerId(order);
        String token = tokens.store(
                new ClaimedCall(id, order.assistantId(), from, order.to(), "outbound", order.variables()),
                plugin.name(),
                order.ringTimeout().plusMinutes(1));
        RestRequest request = plugin.dial(order, token, id);
        ProviderCall call = calls.open(id, plugin.name(), "outbound", from, order.to(), order.assistantId());
        call.onHangUp(() -> hangUpByRest(plugin, call)); // until its media socket takes over
        log.info("{}: placing a call to {} for assistant {} ({})", call, order.to(), order.assistantId(), request);
        rest.send(request).whenComplete((response, error) -> {
            if (error != null) {
                calls.end(
                        call,
                        ProviderCall.Outcome.FAILED,
                        "softswitch",
                        "failed",
                        plugin.name() + " API unreachable: " + error.getMessage(),
                        503,
                        0);
            } else if (!response.isSuccess()) {
                calls.end(
                        call,
                        ProviderCall.Outcome.FAILED,
                        "softswitch",
                        "failed",
                        plugin.name() + " API answered " + response.status() + ": " + excerpt(response.body()),
                        503,
                        0);
            } else {
                String providerId = plugin.dialedCallId(response);
                if (providerId != null) {
                    calls.named(call, providerId); // a hang-up asked meanwhile goes out now
                }
            }
        });
        return call;
    }

    /** Asks the provider to end a call that has no media socket yet, once the provider has named it. */
    private void hangUpByRest(ProviderPlugin plugin, ProviderCall call) {
        String providerId = call.providerCallId();
        if (providerId.isEmpty()) {
            log.info("{}: hang-up asked before {} named the call; it ends when it does", call, plugin.name());
            return;
        }
        RestRequest hangup = plugin.hangup(providerId);
        if (hangup != null) {
            log.info("{}: hanging up through the API ({})", call, hangup);
            rest.send(hangup).whenComplete((r, e) -> {
                if (e != null || !r.isSuccess()) {
                    log.warn(
                            "{}: hang-up refused: {}",
                            call,
                            e != null ? e.getMessage() : r.status() + " " + excerpt(r.body()));
                }
            });
        }
    }

    /** The servers of their own that are running (AudioSocket), in configuration order. */
    public List<Server> servers() {
        return List.copyOf(servers);
    }

    public Optional<ProviderCall> find(String callId) {
        return calls.find(callId);
    }

    /** Provider calls in progress. */
    public int activeCalls() {
        return calls.active();
    }

    /** Calls in progress by provider, every running provider named (0 when it has none), in configuration order. */
    public Map<String, Integer> activeCallsByProvider() {
        Map<String, Integer> out = new LinkedHashMap<>();
        running.forEach(name -> out.put(name, calls.active(name)));
        return out;
    }

    /** Calls ended so far, by provider and then by result (the call record's {@code reason}). */
    public Map<String, Map<String, Long>> endedCallsByResult() {
        return calls.endedByResult();
    }

    /**
     * Starts a drain: new calls are refused in each protocol's terms (a webhook, media socket upgrade or call placed
     * through the API gets 503, an AudioSocket connection is closed), while the calls in progress go on, status
     * callbacks included.
     */
    public void drain() {
        calls.drain();
    }

    /**
     * Ends every call in progress the provider's way, and refuses new ones: a media socket gets its provider's hang-up
     * (AudioSocket's {@code 0x00}) and a normal close (WebSocket 1000); a call still ringing is hung up through the
     * provider's API. Waits up to {@code grace} for the sockets to close; a call left then (one still ringing, whose
     * provider's word that it stopped would come too late) is recorded as cancelled here.
     */
    public void endCalls(Duration grace) {
        calls.drain();
        List<ProviderCall> ending = calls.inProgress();
        if (ending.isEmpty()) {
            return;
        }
        log.info("ending {} provider calls", ending.size());
        ending.forEach(ProviderCall::hangUp);
        long deadline = System.nanoTime() + grace.toNanos();
        while (calls.inProgress().stream().anyMatch(ProviderCall::hasMedia) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (ProviderCall call : calls.inProgress()) {
            calls.end(
                    call, ProviderCall.Outcome.CANCELLED, "softswitch", "cancelled", "the softswitch stopped", 487, 0);
        }
    }

    private static String excerpt(String body) {
        String flat = body.replaceAll("\\s+", " ").strip();
        return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
    }

    /**
     * Waits up to {@code timeout} for the webhooks being answered to have their answers written: a stop calls this
     * before the HTTP server closes. True when none is left; false too when interrupted (the flag is kept).
     */
    public boolean awaitWebhooksAnswered(Duration timeout) {
        try {
            return http.awaitAnswered(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        servers.forEach(Server::close);
        executor.shutdownNow();
        rest.close();
    }
}
