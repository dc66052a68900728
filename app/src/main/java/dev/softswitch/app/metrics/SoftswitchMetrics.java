package dev.softswitch.app.metrics;

import dev.softswitch.app.records.CallRecordWriter;
import dev.softswitch.assistant.AssistantRunner;
import dev.softswitch.assistant.DtmfEvent;
import dev.softswitch.bridge.client.BotClient;
import dev.softswitch.rtp.MediaEngine;
import dev.softswitch.rtp.pacer.PacingStats;
import dev.softswitch.rtp.pacer.SendIntervals;
import dev.softswitch.rtp.pool.PortPool;
import dev.softswitch.sip.SipServer;
import dev.softswitch.sip.guard.GuardStats;
import dev.softswitch.sip.guard.PreParseCheck;
import dev.softswitch.sip.stack.StackCensus;
import dev.softswitch.sip.uac.RegistrationStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * The softswitch's meters, named {@code softswitch_*} in the Prometheus text format, and the JVM's ({@code jvm_*},
 * {@code process_*}, {@code system_*}). Every softswitch meter is a gauge or function counter that reads a module's
 * own counter when scraped: nothing is counted twice and the hot paths do not know Micrometer.
 *
 * <p>{@link #scrape()} is cheap (reads of atomics and one short lock on the port pool) and does no I/O.
 */
public final class SoftswitchMetrics implements AutoCloseable {

    /** Quantiles of the pacer's wake-up lateness shown, with the suffix of their meter's name. */
    private static final Map<String, Double> PACER_QUANTILES = Map.of("p50", 0.5, "p99", 0.99, "p999", 0.999);

    private static final double MICROS_PER_SECOND = 1_000_000.0;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    private volatile @Nullable Supplier<Map<String, Long>> callResults;
    /** The call results read at the start of the current scrape; the per-result counters read this. */
    private volatile Map<String, Long> results = Map.of();

    private final Set<String> resultLabels = ConcurrentHashMap.newKeySet();

    private volatile @Nullable Supplier<Map<String, Integer>> providerActiveSource;
    private volatile @Nullable Supplier<Map<String, Map<String, Long>>> providerEndedSource;
    /** The provider calls read at the start of the current scrape, in progress and ended; their meters read these. */
    private volatile Map<String, Integer> providerActive = Map.of();

    private volatile Map<String, Map<String, Long>> providerEnded = Map.of();
    /** The provider gauges ({@code provider}) and counters ({@code provider/result}) registered so far. */
    private final Set<String> providerLabels = ConcurrentHashMap.newKeySet();

    private volatile @Nullable Supplier<List<RegistrationStatus>> registrationSource;
    /** The trunks' registrations read at the start of the current scrape, by trunk; their meters read this. */
    private volatile Map<String, RegistrationStatus> registrations = Map.of();

    private final Set<String> trunkLabels = ConcurrentHashMap.newKeySet();

    private volatile @Nullable Supplier<GuardStats> guardSource;
    /** The SIP guard's counters read at the start of the current scrape; its meters read this. */
    private volatile @Nullable GuardStats guard;

    /** A registry with the JVM meters only; add the softswitch's with the methods below. */
    public SoftswitchMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        gc.bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Meters over every part of a running softswitch. */
    public static SoftswitchMetrics of(SipServer sip, MediaEngine media, CallRecordWriter records, BotClient bots) {
        return new SoftswitchMetrics()
                .calls(sip::activeCalls, sip::callResults, sip::illegalTransitions)
                .media(media.pool(), media::openSessions, media.pacer().stats())
                .sendIntervals(media.sendIntervals())
                .callRecords(records::written, records::dropped, records::failed)
                .bots(bots::connectionsOpened, bots::connectionsFailed)
                .trunkRegistrations(sip::registrations)
                .sipGuard(() -> sip.guard().stats())
                .outbound(sip.outboundGuard())
                .dtmf(sip::dtmfEvents)
                .leftovers(sip::stackCensus, media.pacer()::registered, AssistantRunner::running);
    }

    /**
     * What every call leaves behind until it ends, so that all of it is back to 0 when no call is up (the soak test,
     * {@code SoakIT}, checks it after thousands of calls): the SIP stack's dialogs and transactions
     * ({@code softswitch_sip_dialogs}, {@code softswitch_sip_transactions{side}}), the streams the media pacer sends
     * for and the assistants running. Calls, ports and media sessions have their own gauges ({@link #calls},
     * {@link #media}).
     */
    public SoftswitchMetrics leftovers(Supplier<StackCensus> stack, IntSupplier pacerStreams, IntSupplier assistants) {
        Gauge.builder("softswitch.sip.dialogs", () -> stack.get().dialogs())
                .description("Dialogs the SIP stack holds, early and confirmed")
                .register(registry);
        Gauge.builder("softswitch.sip.transactions", () -> stack.get().serverTransactions())
                .description("Transactions the SIP stack holds (a non-INVITE one lingers 32 s after its answer over"
                        + " UDP), by side")
                .tag("side", "server")
                .register(registry);
        Gauge.builder("softswitch.sip.transactions", () -> stack.get().clientTransactions())
                .description("Transactions the SIP stack holds (a non-INVITE one lingers 32 s after its answer over"
                        + " UDP), by side")
                .tag("side", "client")
                .register(registry);
        Gauge.builder("softswitch.pacer.streams", pacerStreams::getAsInt)
                .description(
                        "What the 20 ms pacer ticks: media streams it sends for, and SIP calls' jitter-buffer play-outs")
                .register(registry);
        Gauge.builder("softswitch.assistants.running", assistants::getAsInt)
                .description("Assistants running on calls (SIP, provider and AudioSocket), each on a virtual thread")
                .register(registry);
        return this;
    }

    /**
     * The toll-fraud caps of each trunk calls go out through: {@code softswitch_outbound_calls_active{trunk}} (calls
     * holding one of its slots) and {@code softswitch_outbound_refused_total{trunk,reason}}, reason {@code prefix},
     * {@code concurrent} or {@code rate}.
     */
    public SoftswitchMetrics outbound(dev.softswitch.sip.outbound.OutboundGuard guard) {
        for (String trunk : guard.trunkNames()) {
            Gauge.builder("softswitch.outbound.calls.active", this, m -> guard.activeCalls(trunk))
                    .description("Calls placed through a trunk and not yet ended, as its max_concurrent_calls counts")
                    .tag("trunk", trunk)
                    .register(registry);
            for (String reason : dev.softswitch.sip.outbound.OutboundGuard.reasons()) {
                FunctionCounter.builder("softswitch.outbound.refused", this, m -> guard.refused(trunk, reason))
                        .description("Calls a trunk's toll-fraud caps refused, by trunk and reason")
                        .tags("trunk", trunk, "reason", reason)
                        .register(registry);
            }
        }
        return this;
    }

    /** Key presses handed to assistants, by the route they came by: {@code method="rfc4733|info|inband"}. */
    public SoftswitchMetrics dtmf(ToLongFunction<DtmfEvent.Method> byMethod) {
        for (DtmfEvent.Method method :
                List.of(DtmfEvent.Method.RFC4733, DtmfEvent.Method.INFO, DtmfEvent.Method.INBAND)) {
            FunctionCounter.builder("softswitch.dtmf.events", this, m -> byMethod.applyAsLong(method))
                    .description("Key presses handed to assistants on SIP calls, by route")
                    .tag("method", method.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        return this;
    }

    /**
     * Calls in progress, calls ended by result label ({@code completed}, {@code cancelled} ...; a label appears once a
     * call ended with it) and refused state transitions.
     */
    public SoftswitchMetrics calls(
            IntSupplier active, Supplier<Map<String, Long>> endedByResult, LongSupplier illegalTransitions) {
        Gauge.builder("softswitch.calls.active", active::getAsInt)
                .description("Calls in progress")
                .register(registry);
        this.callResults = endedByResult;
        counter(
                "softswitch.call.illegal.transitions",
                "Call state transitions the transition table refused (anything but 0 is a bug)",
                illegalTransitions);
        return this;
    }

    /**
     * Calls through the cloud providers and AudioSocket ({@code softswitch_calls_*} count SIP's):
     * {@code softswitch_provider_calls_active{provider}}, for every provider running, and
     * {@code softswitch_provider_calls_total{provider,result}}, calls ended by the call record's {@code reason} (a
     * label appears once a call ended with it).
     */
    public SoftswitchMetrics providerCalls(
            Supplier<Map<String, Integer>> activeByProvider,
            Supplier<Map<String, Map<String, Long>>> endedByProviderAndResult) {
        this.providerActiveSource = activeByProvider;
        this.providerEndedSource = endedByProviderAndResult;
        return this;
    }

    /** The RTP port pool, the open media sessions and the pacer's wake-up lateness. */
    public SoftswitchMetrics media(PortPool pool, IntSupplier openSessions, PacingStats pacing) {
        Gauge.builder("softswitch.rtp.ports.leased", pool::leased)
                .description("RTP port pairs leased to calls")
                .register(registry);
        Gauge.builder("softswitch.rtp.ports.free", () -> pool.capacity() - pool.leased())
                .description("RTP port pairs free to lease")
                .register(registry);
        Gauge.builder("softswitch.rtp.sessions.open", openSessions::getAsInt)
                .description("Media sessions open")
                .register(registry);
        counter(
                "softswitch.pacer.ticks",
                "Wakes of the media pacer: one per 1 ms phase of its 20 ms period with something to tick",
                pacing::ticks);
        counter(
                "softswitch.pacer.skipped.ticks",
                "Ticks the media pacer skipped because it woke more than a tick late",
                pacing::skippedTicks);
        PACER_QUANTILES.forEach((suffix, quantile) -> Gauge.builder(
                        "softswitch.pacer.late." + suffix, () -> seconds(pacing.lateMicrosAt(quantile)))
                .description("How late the media pacer woke against its deadline, " + suffix
                        + " since start (upper bound of its histogram bucket; +Inf above 20 ms)")
                .baseUnit("seconds")
                .register(registry));
        Gauge.builder("softswitch.pacer.late.max", () -> pacing.maxLateMicros() / MICROS_PER_SECOND)
                .description("The latest the media pacer woke against its deadline since start")
                .baseUnit("seconds")
                .register(registry);
        histogram(
                "softswitch_pacer_late_seconds",
                "How late the media pacer woke against its deadlines (each wake serves every call in its phase)",
                PacingStats.boundsSeconds(),
                pacing::counts,
                pacing::sumSeconds);
        return this;
    }

    /**
     * {@code softswitch_rtp_send_interval_seconds}: a histogram of the time between consecutive outbound RTP packets of
     * each call inside a talkspurt, as they reached the sockets (see {@link SendIntervals}). Micrometer has no meter
     * over a histogram kept elsewhere, so this one is collected straight into the Prometheus registry.
     */
    public SoftswitchMetrics sendIntervals(SendIntervals intervals) {
        histogram(
                "softswitch_rtp_send_interval_seconds",
                "Time between consecutive outbound RTP packets of a call within a talkspurt, as sent",
                SendIntervals.boundsSeconds(),
                intervals::counts,
                intervals::sumSeconds);
        return this;
    }

    /**
     * A histogram kept elsewhere, collected straight into the Prometheus registry (Micrometer has no meter over one):
     * {@code bounds} without {@code +Inf}, {@code counts} per bucket with the {@code +Inf} one last.
     */
    private void histogram(
            String name, String help, double[] bounds, Supplier<long[]> counts, DoubleSupplier sumSeconds) {
        double[] withInf = Arrays.copyOf(bounds, bounds.length + 1);
        withInf[bounds.length] = Double.POSITIVE_INFINITY;
        registry.getPrometheusRegistry().register(() -> HistogramSnapshot.builder()
                .name(name)
                .help(help)
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(withInf, counts.get()))
                        .sum(sumSeconds.getAsDouble())
                        .build())
                .build());
    }

    /**
     * The Redis that instances share (registered only when one is configured): {@code softswitch_redis_up} (1 while
     * connected and answering, else 0) and {@code softswitch_redis_errors_total}, the commands that failed or timed out.
     */
    public SoftswitchMetrics redis(BooleanSupplier up, LongSupplier errors) {
        Gauge.builder("softswitch.redis.up", () -> up.getAsBoolean() ? 1 : 0)
                .description(
                        "Whether Redis is connected and answers (1) or not (0: disconnected, or a PING unanswered within redis.timeout);"
                                + " new calls get 503 while it is 0")
                .register(registry);
        counter(
                "softswitch.redis.errors",
                "Redis commands that failed or timed out (port leases and releases, call contexts, health-check PINGs)",
                errors);
        return this;
    }

    /** What became of the call records (see {@link CallRecordWriter}). */
    public SoftswitchMetrics callRecords(LongSupplier written, LongSupplier dropped, LongSupplier failed) {
        counter("softswitch.call.records.written", "Call records written to the file", written);
        counter(
                "softswitch.call.records.dropped",
                "Call records dropped because the queue was full or the writer closed",
                dropped);
        counter("softswitch.call.records.failed", "Call records lost because the file could not be written", failed);
        return this;
    }

    /** WebSocket connections to bots. */
    public SoftswitchMetrics bots(LongSupplier opened, LongSupplier failed) {
        counter("softswitch.bot.connections.opened", "WebSocket connections to bots opened", opened);
        counter(
                "softswitch.bot.connections.failed",
                "WebSocket connections to bots that failed (refused, timed out, upgrade rejected)",
                failed);
        return this;
    }

    /**
     * Our bindings at carriers, per trunk that registers: {@code softswitch_trunk_registered} (1 while the carrier
     * holds our binding, else 0) and {@code softswitch_trunk_registration_failures_total}.
     */
    public SoftswitchMetrics trunkRegistrations(Supplier<List<RegistrationStatus>> statuses) {
        this.registrationSource = statuses;
        return this;
    }

    /**
     * The SIP side's defences against hostile input ({@code dev.softswitch.sip.guard}): messages refused by the strict
     * pre-parse check by rule, requests dropped (rate, ban, scanner, hidden mode), bans, failed authentications, and
     * listener errors kept from killing stack threads.
     */
    public SoftswitchMetrics sipGuard(Supplier<GuardStats> stats) {
        this.guardSource = stats;
        for (PreParseCheck.Rule rule : PreParseCheck.Rule.values()) {
            FunctionCounter.builder(
                            "softswitch.sip.malformed",
                            this,
                            m -> m.guarded(g -> g.malformed().getOrDefault(rule.label(), 0L)))
                    .description("SIP messages refused before parsing (answered statelessly, or dropped when a"
                            + " response or ACK), by the rule they broke")
                    .tag("rule", rule.label())
                    .register(registry);
        }
        guardCounter(
                "softswitch.sip.rate.limited",
                "Requests over their address's rate (each bans it)",
                g -> g.rateLimited());
        guardCounter(
                "softswitch.sip.banned.drops",
                "Requests dropped because their address was banned",
                g -> g.bannedDrops());
        guardCounter(
                "softswitch.sip.bans",
                "Source addresses banned (request rate or failed authentications)",
                g -> g.bans());
        guardCounter(
                "softswitch.sip.auth.failures",
                "Failed authentications (INVITE or REGISTER refused with 403)",
                g -> g.authFailures());
        guardCounter(
                "softswitch.sip.scanner.drops",
                "Requests dropped for a known scanner's User-Agent",
                g -> g.scannerDrops());
        guardCounter(
                "softswitch.sip.hidden.drops",
                "INVITEs without credentials left unanswered in hidden mode",
                g -> g.hiddenDrops());
        guardCounter(
                "softswitch.sip.listener.errors",
                "Errors in SIP handling caught before they could end a stack thread (anything but 0 is a bug)",
                g -> g.listenerErrors());
        Gauge.builder("softswitch.sip.banned.addresses", this, m -> m.guarded(g -> (long) g.bannedNow()))
                .description("Source addresses banned right now")
                .register(registry);
        return this;
    }

    private void guardCounter(String name, String help, java.util.function.ToLongFunction<GuardStats> value) {
        FunctionCounter.builder(name, this, m -> m.guarded(value))
                .description(help)
                .register(registry);
    }

    private double guarded(java.util.function.ToLongFunction<GuardStats> value) {
        GuardStats g = guard;
        return g == null ? 0 : value.applyAsLong(g);
    }

    /** Every meter, in the Prometheus text format 0.0.4. */
    public String scrape() {
        Supplier<GuardStats> guardStats = guardSource;
        if (guardStats != null) {
            guard = guardStats.get();
        }
        Supplier<Map<String, Long>> source = callResults;
        if (source != null) {
            Map<String, Long> now = source.get();
            results = now;
            for (String result : now.keySet()) {
                if (resultLabels.add(result)) {
                    FunctionCounter.builder("softswitch.calls.ended", this, m -> m.results
                                    .getOrDefault(result, 0L)
                                    .doubleValue())
                            .description("Calls ended, by result")
                            .tag("result", result)
                            .register(registry);
                }
            }
        }
        Supplier<List<RegistrationStatus>> trunks = registrationSource;
        if (trunks != null) {
            Map<String, RegistrationStatus> now = new java.util.HashMap<>();
            trunks.get().forEach(s -> now.put(s.trunk(), s));
            registrations = now;
            for (String trunk : now.keySet()) {
                if (trunkLabels.add(trunk)) {
                    Gauge.builder("softswitch.trunk.registered", this, m -> m.registered(trunk))
                            .description("Whether the carrier holds our REGISTER binding (1) or not (0), by trunk")
                            .tag("trunk", trunk)
                            .register(registry);
                    FunctionCounter.builder(
                                    "softswitch.trunk.registration.failures", this, m -> m.registrationFailures(trunk))
                            .description("REGISTER attempts at the carrier that failed (refused, no answer, transport"
                                    + " error), by trunk")
                            .tag("trunk", trunk)
                            .register(registry);
                }
            }
        }
        scrapeProviderCalls();
        return registry.scrape();
    }

    /** Reads the provider calls and registers the meters of providers and results not seen before. */
    private void scrapeProviderCalls() {
        Supplier<Map<String, Integer>> active = providerActiveSource;
        Supplier<Map<String, Map<String, Long>>> ended = providerEndedSource;
        if (active == null || ended == null) {
            return;
        }
        providerActive = active.get();
        providerEnded = ended.get();
        for (String provider : providerActive.keySet()) {
            if (providerLabels.add(provider)) {
                Gauge.builder("softswitch.provider.calls.active", this, m -> m.providerActive.getOrDefault(provider, 0))
                        .description("Calls through a cloud provider or AudioSocket in progress, by provider")
                        .tag("provider", provider)
                        .register(registry);
            }
        }
        providerEnded.forEach((provider, results) -> {
            for (String result : results.keySet()) {
                if (providerLabels.add(provider + "/" + result)) {
                    FunctionCounter.builder("softswitch.provider.calls", this, m -> m.providerEnded
                                    .getOrDefault(provider, Map.of())
                                    .getOrDefault(result, 0L)
                                    .doubleValue())
                            .description("Calls through a cloud provider or AudioSocket ended, by provider and result")
                            .tags("provider", provider, "result", result)
                            .register(registry);
                }
            }
        });
    }

    private double registered(String trunk) {
        RegistrationStatus status = registrations.get(trunk);
        return status != null && status.registered() ? 1 : 0;
    }

    private double registrationFailures(String trunk) {
        RegistrationStatus status = registrations.get(trunk);
        return status == null ? 0 : status.failures();
    }

    /** Removes the GC notification listeners. */
    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    /** A counter that reads {@code source}; it holds {@code this} weakly, and this holds the registry. */
    private void counter(String name, String help, LongSupplier source) {
        FunctionCounter.builder(name, this, m -> source.getAsLong())
                .description(help)
                .register(registry);
    }

    private static double seconds(long micros) {
        return micros == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : micros / MICROS_PER_SECOND;
    }
}
