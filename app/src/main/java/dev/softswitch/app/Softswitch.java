package dev.softswitch.app;

import dev.softswitch.app.dial.DialPlan;
import dev.softswitch.app.http.CallsApi;
import dev.softswitch.app.http.HttpServer;
import dev.softswitch.app.metrics.SoftswitchMetrics;
import dev.softswitch.app.providers.ProviderWiring;
import dev.softswitch.app.records.CallRecordWriter;
import dev.softswitch.app.redis.RedisLink;
import dev.softswitch.app.redis.SharedState;
import dev.softswitch.assistant.Assistant;
import dev.softswitch.assistant.AssistantDirectory;
import dev.softswitch.bridge.client.BotClient;
import dev.softswitch.bridge.provider.Providers;
import dev.softswitch.config.AssistantConfig;
import dev.softswitch.config.LoadedConfig;
import dev.softswitch.config.SoftswitchConfig;
import dev.softswitch.config.TrunkConfig;
import dev.softswitch.rtp.MediaEngine;
import dev.softswitch.rtp.pacer.Pacer;
import dev.softswitch.sdp.FormatSpec;
import dev.softswitch.sip.AuthFailureWatch;
import dev.softswitch.sip.CallAdmission;
import dev.softswitch.sip.SipServer;
import dev.softswitch.sip.SipServerConfig;
import dev.softswitch.sip.SipStartException;
import dev.softswitch.sip.admission.CallLimiter;
import dev.softswitch.sip.admission.MiddlewareChain;
import dev.softswitch.sip.auth.DigestAlgorithm;
import dev.softswitch.sip.auth.DigestAuthenticator;
import dev.softswitch.sip.auth.NonceService;
import dev.softswitch.sip.guard.SipGuard;
import dev.softswitch.sip.registrar.Registrar;
import dev.softswitch.sip.registrar.Registration;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running softswitch: media engine, SIP server and HTTP port, started together and stopped in reverse. */
public final class Softswitch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Softswitch.class);
    /** The realm of our digest challenges. */
    static final String DIGEST_REALM = "softswitch";

    private final java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    private final Pacer pacer;
    private final MediaEngine media;
    private final SipServer sip;
    private final @Nullable HttpServer http;
    private final BotClient bots;
    private final CallRecordWriter records;
    private final @Nullable SoftswitchMetrics metrics;
    /** The cloud providers and AudioSocket, when configured; set once at start. */
    private @Nullable Providers providers;
    /** The port pool and call contexts, in Redis or in memory; set once at start. */
    private @Nullable SharedState shared;

    private Softswitch(
            Pacer pacer,
            MediaEngine media,
            SipServer sip,
            @Nullable HttpServer http,
            BotClient bots,
            CallRecordWriter records,
            @Nullable SoftswitchMetrics metrics) {
        this.pacer = pacer;
        this.media = media;
        this.sip = sip;
        this.http = http;
        this.bots = bots;
        this.records = records;
        this.metrics = metrics;
    }

    /**
     * Starts everything, or nothing: a part that fails to start stops the parts already running.
     *
     * @throws StartupException with a message fit for the operator
     */
    public static Softswitch start(ServeSettings settings) throws StartupException {
        return start(settings, null);
    }

    /**
     * Starts with a configuration: its assistants, codecs, transports and the admission chain (API keys, PBX users
     * with digest, trunks by address), and registers at the carriers of trunks with {@code register: true}. Without
     * one: the demo (echo and tone, loopback callers only).
     */
    public static Softswitch start(ServeSettings settings, @Nullable LoadedConfig loaded) throws StartupException {
        return start(settings, loaded, true);
    }

    /**
     * As {@link #start(ServeSettings, LoadedConfig)}; without {@code registerTrunks} no trunk registers, as for
     * {@code dial}, whose short-lived binding would replace the daemon's at a carrier that keeps one per user.
     */
    public static Softswitch start(ServeSettings settings, @Nullable LoadedConfig loaded, boolean registerTrunks)
            throws StartupException {
        return start(settings, loaded, registerTrunks, null);
    }

    /** As {@link #start(ServeSettings, LoadedConfig, boolean)}, also listening for SIP over TLS with {@code tls}. */
    public static Softswitch start(
            ServeSettings settings,
            @Nullable LoadedConfig loaded,
            boolean registerTrunks,
            dev.softswitch.sip.tls.@Nullable SipTls tls)
            throws StartupException {
        InetAddress bind;
        try {
            bind = InetAddress.getByName(settings.bind());
        } catch (UnknownHostException e) {
            throw new StartupException("--bind " + settings.bind() + " is not an address of this host");
        }
        Pacer pacer = new Pacer().start();
        MediaEngine media = null;
        SipServer sip = null;
        BotClient bots = new BotClient(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        CallRecordWriter records = null;
        // In Redis when configured; a Redis that does not answer yet is no reason not to start (new calls get 503).
        SharedState shared;
        try {
            shared = SharedState.open(settings.redis(), bind.getHostAddress(), settings.rtpLow(), settings.rtpHigh());
        } catch (IllegalArgumentException e) {
            bots.close();
            pacer.close();
            throw new StartupException(e.getMessage());
        }
        try {
            media = new MediaEngine(
                    bind, shared.pool(), Math.max(1, Runtime.getRuntime().availableProcessors()), pacer);
            SipServerConfig sipConfig = SipServerConfig.defaults(
                            settings.bind(), settings.sipPort(), settings.advertise())
                    .withAnswerDelay(settings.answerDelay())
                    .withMediaTimeouts(settings.mediaTimeout(), settings.holdTimeout());
            CallAdmission admission = CallAdmission.demo();
            CallLimiter limiter = CallLimiter.unlimited();
            Registration registration = null;
            AssistantDirectory assistants = AssistantDirectory.builtIns();
            if (loaded != null) {
                SoftswitchConfig config = loaded.config();
                sipConfig = new SipServerConfig(
                        sipConfig.bindAddress(),
                        sipConfig.port(),
                        java.util.Set.copyOf(config.listen().transports()),
                        sipConfig.advertisedAddress(),
                        config.codecs().stream().map(Softswitch::formatOf).toList(),
                        sipConfig.answerDelay(),
                        sipConfig.userAgent(),
                        sipConfig.mediaTimeout(),
                        sipConfig.holdTimeout());
                sipConfig = sipConfig.withRecordings(
                        settings.recordings(),
                        config.assistants().stream()
                                .filter(AssistantConfig::record)
                                .map(AssistantConfig::id)
                                .collect(java.util.stream.Collectors.toSet()));
                AssistantFactory factory = new AssistantFactory(bots, loaded.file());
                List<Assistant> list = new ArrayList<>();
                for (AssistantConfig a : config.assistants()) {
                    list.add(factory.create(a));
                }
                assistants = new AssistantDirectory(list);
                limiter = new CallLimiter(
                        Clock.systemUTC(),
                        config.limits(),
                        config.trunks().stream()
                                .collect(java.util.stream.Collectors.toMap(TrunkConfig::name, TrunkConfig::limits)));
                DigestAuthenticator digest = new DigestAuthenticator(new NonceService(DIGEST_REALM, Clock.systemUTC()))
                        .challengeOrder(config.security().digestAlgorithms().stream()
                                .map(token -> DigestAlgorithm.fromToken(token).orElseThrow())
                                .toList());
                admission = MiddlewareChain.forConfig(config, loaded.vault(), digest);
                if (!config.pbxUsers().isEmpty()) {
                    registration = new Registration(new Registrar(), digest, user -> config.pbxUser(user)
                            .map(pbx -> pbx.password().reveal()));
                }
            }
            if (tls != null) {
                sipConfig = sipConfig.withTls(tls);
            }
            SipGuard guard = guard(loaded);
            sip = new SipServer(
                    sipConfig,
                    AuthFailureWatch.of(admission, guard),
                    limiter,
                    registration,
                    assistants,
                    media,
                    Clock.systemUTC());
            sip.guard(guard);
            sip.outboundGuard(outboundGuard(loaded));
            records = CallRecordWriter.open(settings.callRecords());
            sip.onCallEnded(records::write);
            sip.onReferRefused(transferLegs(loaded == null ? null : loaded.config(), assistants));
            sip.start();
            if (registerTrunks) {
                sip.register(registrations(loaded)); // trunks with outbound.register: keep a binding at the carrier
            }
            Providers providers =
                    ProviderWiring.startOrRefuse(loaded, assistants, pacer, records::write, bind, shared.contexts());
            HttpServer http = null;
            SoftswitchMetrics metrics = null;
            if (settings.httpPort() > 0) {
                SipServer s = sip;
                metrics = SoftswitchMetrics.of(sip, media, records, bots);
                if (providers != null) {
                    metrics.providerCalls(providers::activeCallsByProvider, providers::endedCallsByResult);
                }
                RedisLink redis = shared.redis();
                if (redis != null) {
                    metrics.redis(redis::up, shared::redisErrors);
                }
                try {
                    CallsApi calls = CallsApi.of(
                            sip, loaded == null ? null : loaded.config(), assistants, providers, shared.contexts());
                    http = HttpServer.start(
                            bind,
                            settings.httpPort(),
                            () -> s.activeCalls() + (providers == null ? 0 : providers.activeCalls()),
                            metrics::scrape,
                            calls,
                            providers);
                    http.readiness(s::draining);
                } catch (HttpServer.BindException e) {
                    metrics.close();
                    if (providers != null) {
                        providers.close();
                    }
                    throw e;
                }
            }
            log.info(
                    "softswitch ready: call sip:echo@{}:{} or sip:tone@{}:{}",
                    settings.advertise(),
                    settings.sipPort(),
                    settings.advertise(),
                    settings.sipPort());
            log.info("call records: {}", settings.callRecords().toAbsolutePath());
            if (!sipConfig.recordingAssistants().isEmpty()) {
                log.info(
                        "recordings of {}: {}",
                        String.join(", ", new java.util.TreeSet<>(sipConfig.recordingAssistants())),
                        settings.recordings().toAbsolutePath());
            }
            Softswitch started = new Softswitch(pacer, media, sip, http, bots, records, metrics);
            started.providers = providers;
            started.shared = shared;
            return started;
        } catch (SipStartException e) {
            stopQuietly(sip, media, pacer, bots, records);
            shared.close();
            throw new StartupException(
                    e.getMessage() + " (is another SIP server running on that port? try --sip-port)");
        } catch (IllegalArgumentException e) {
            stopQuietly(sip, media, pacer, bots, records);
            shared.close();
            throw new StartupException(e.getMessage());
        } catch (HttpServer.BindException e) {
            stopQuietly(sip, media, pacer, bots, records);
            shared.close();
            throw new StartupException(e.getMessage() + " (try --http-port)");
        } catch (StartupException e) {
            stopQuietly(sip, media, pacer, bots, records);
            shared.close();
            throw e;
        }
    }

    public SipServer sip() {
        return sip;
    }

    public MediaEngine media() {
        return media;
    }

    public @Nullable HttpServer http() {
        return http;
    }

    /** The cloud providers and AudioSocket, when the configuration has any. */
    public @Nullable Providers providers() {
        return providers;
    }

    /**
     * Drains: new calls get 503 (with Retry-After) while the calls in progress go on, for up to {@code limit}; then
     * the rest are ended with BYE and everything stops. Provider calls are calls too: new ones are refused in their
     * protocol's terms (503, AudioSocket closed), those in progress are waited for and then ended the provider's way.
     * Returns early, stopped, when the last call ends (or when {@link #stop} is called meanwhile: a second signal).
     */
    public void drain(Duration limit) {
        sip.drain();
        if (providers != null) {
            providers.drain();
        }
        log.info(
                "draining: {} calls in progress may go on for up to {} s; new calls get 503",
                activeCalls(),
                limit.toSeconds());
        long deadline = System.nanoTime() + limit.toNanos();
        while (activeCalls() > 0 && System.nanoTime() < deadline && !stopped.get()) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (activeCalls() > 0 && !stopped.get()) {
            log.info("drain limit reached: ending {} calls", activeCalls());
        }
        stop(Duration.ofSeconds(5));
    }

    /** Calls in progress: SIP calls (received and placed) and provider calls. */
    private int activeCalls() {
        Providers p = providers;
        return sip.activeCalls() + (p == null ? 0 : p.activeCalls());
    }

    /** Whether new calls are refused because the softswitch is draining or stopping. */
    public boolean draining() {
        return sip.draining();
    }

    /** Ends calls in progress with BYE (waiting up to {@code grace}), then stops every part. Once. */
    public void stop(Duration grace) {
        if (!stopped.compareAndSet(false, true)) {
            // Another thread is stopping (a drain and a second signal): return once it is done, not before, so that
            // nobody exits the process halfway through the stop.
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            log.info("stopping: {} calls in progress", activeCalls());
            if (providers != null) {
                providers.endCalls(grace); // while their sockets are up: each ends the provider's way
                if (!providers.awaitWebhooksAnswered(Duration.ofSeconds(1))) {
                    log.warn("stopping: webhooks still being answered after 1 s; their connections close unanswered");
                }
            }
            if (http != null) {
                http.close();
            }
            if (providers != null) {
                providers.close();
            }
            if (metrics != null) {
                metrics.close();
            }
            sip.shutdown(grace);
            records.close();
            bots.close();
            media.close();
            if (shared != null) {
                shared.close(); // after media: the calls' ports are released first
            }
            pacer.close();
            log.info("stopped");
        } finally {
            done.countDown();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(2));
    }

    /**
     * The SIP side's defences from {@code security:} (the defaults without a file); the trunks' networks are exempt
     * from the per-address limits, as a carrier's proxy carries many callers' traffic.
     */
    private static SipGuard guard(@Nullable LoadedConfig loaded) {
        if (loaded == null) {
            return SipGuard.defaults();
        }
        SoftswitchConfig config = loaded.config();
        List<dev.softswitch.config.CidrNetwork> trunks =
                config.trunks().stream().flatMap(t -> t.networks().stream()).toList();
        return new SipGuard(config.security().exempting(trunks), Clock.systemUTC());
    }

    /** The trunks' toll-fraud caps; a trunk that may call any number is named on the security log. */
    private static dev.softswitch.sip.outbound.OutboundGuard outboundGuard(@Nullable LoadedConfig loaded) {
        if (loaded == null) {
            return dev.softswitch.sip.outbound.OutboundGuard.none();
        }
        var outbound =
                new dev.softswitch.sip.outbound.OutboundGuard(loaded.config().trunks(), Clock.systemUTC());
        for (String trunk : outbound.unrestrictedTrunks()) {
            LoggerFactory.getLogger(SipGuard.SECURITY_LOGGER)
                    .warn("trunk {} may call any number: set outbound.allowed_prefixes (docs/security.md)", trunk);
        }
        return outbound;
    }

    /** A registration for every trunk whose {@code outbound} section says {@code register: true}. */
    private static List<dev.softswitch.sip.uac.TrunkRegistration> registrations(@Nullable LoadedConfig loaded) {
        List<dev.softswitch.sip.uac.TrunkRegistration> out = new ArrayList<>();
        if (loaded != null) {
            for (TrunkConfig trunk : loaded.config().trunks()) {
                var outbound = trunk.outbound();
                if (outbound != null && outbound.register()) {
                    out.add(dev.softswitch.sip.uac.TrunkRegistration.of(trunk.name(), outbound));
                }
            }
        }
        return out;
    }

    /**
     * A transfer the caller's side will not take by REFER is placed by us: a SIP URI directly, a number through the
     * call's trunk when it has an outbound section. The second leg rings for 30 s and lasts as long as the caller stays.
     */
    private static SipServer.TransferLegs transferLegs(
            @Nullable SoftswitchConfig config, AssistantDirectory assistants) {
        DialPlan plan = new DialPlan(config, id -> assistants.find(id).isPresent());
        return (target, trunk, assistantId) -> {
            boolean uri = target.regionMatches(true, 0, "sip:", 0, 4);
            String via = uri ? null : trunk;
            if (!uri
                    && (trunk == null
                            || config == null
                            || config.trunk(trunk)
                                    .map(t -> t.outbound() == null)
                                    .orElse(true))) {
                return Optional.empty(); // a number, and no trunk of this call to dial it through
            }
            try {
                return Optional.of(plan.plan(
                        target, via, assistantId, null, Map.of(), DialPlan.DEFAULT_RING_TIMEOUT, Duration.ZERO));
            } catch (DialPlan.InvalidDial e) {
                log.info("transfer to {} cannot be placed by us: {}: {}", target, e.field(), e.getMessage());
                return Optional.empty();
            }
        };
    }

    private static FormatSpec formatOf(String codec) {
        return switch (codec) {
            case "PCMU" -> FormatSpec.PCMU;
            case "PCMA" -> FormatSpec.PCMA;
            case "G722" -> FormatSpec.G722;
            default -> throw new IllegalArgumentException("codec " + codec + " has no implementation");
        };
    }

    private static void stopQuietly(
            @Nullable SipServer sip,
            @Nullable MediaEngine media,
            Pacer pacer,
            BotClient bots,
            @Nullable CallRecordWriter records) {
        if (sip != null) {
            sip.shutdown(Duration.ZERO);
        }
        if (records != null) {
            records.close();
        }
        bots.close();
        if (media != null) {
            media.close();
        }
        pacer.close();
    }
}
