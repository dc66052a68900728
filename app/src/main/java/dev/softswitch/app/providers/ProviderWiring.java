package dev.softswitch.app.providers;

import dev.softswitch.app.StartupException;
import dev.softswitch.assistant.AssistantDirectory;
import dev.softswitch.assistant.context.CallContextStore;
import dev.softswitch.bridge.provider.ProviderCall;
import dev.softswitch.bridge.provider.ProviderCallRecord;
import dev.softswitch.bridge.provider.Providers;
import dev.softswitch.bridge.provider.Ticker;
import dev.softswitch.config.LoadedConfig;
import dev.softswitch.config.ProvidersConfig;
import dev.softswitch.rtp.pacer.Pacer;
import dev.softswitch.sip.DialStatus;
import dev.softswitch.sip.call.CallRecord;
import java.time.Clock;
import java.util.Locale;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Starts the configured providers for the daemon. Their audio is paced by the RTP pacer: one shared thread that ticks
 * every 20 ms against absolute deadlines and measures its lateness, so provider calls get the same clock as SIP calls
 * rather than a timer of their own. Each tick only hands the call's pacing step to its socket's event loop, so the
 * pacer thread stays as quick as the RTP sessions need. Ended calls become call record lines like SIP calls'.
 */
public final class ProviderWiring {

    private ProviderWiring() {}

    /**
     * The providers of {@code loaded}, started; null when it configures none.
     *
     * @param contexts where calls wait for their media socket (the call API's store too)
     * @throws Exception when a provider's server cannot start (its port taken)
     */
    public static @Nullable Providers start(
            @Nullable LoadedConfig loaded,
            AssistantDirectory assistants,
            Pacer pacer,
            Consumer<CallRecord> records,
            java.net.InetAddress bind,
            CallContextStore contexts)
            throws Exception {
        ProvidersConfig config =
                loaded == null ? ProvidersConfig.NONE : loaded.config().providers();
        if (config.providers().isEmpty()) {
            return null;
        }
        Clock clock = Clock.systemUTC();
        return Providers.start(
                config, assistants, contexts, ticker(pacer), record -> records.accept(record(record)), bind, clock);
    }

    /** As {@link #start}, its failure said for the operator. */
    public static @Nullable Providers startOrRefuse(
            @Nullable LoadedConfig loaded,
            AssistantDirectory assistants,
            Pacer pacer,
            Consumer<CallRecord> records,
            java.net.InetAddress bind,
            CallContextStore contexts)
            throws StartupException {
        try {
            return start(loaded, assistants, pacer, records, bind, contexts);
        } catch (Exception e) {
            throw new StartupException("providers could not start: " + e.getMessage());
        }
    }

    /** A provider call's progress in the SIP side's words, for the API and {@code dial}. */
    public static DialStatus dialStatus(ProviderCall.Status s) {
        return new DialStatus(
                s.callId(),
                switch (s.phase()) {
                    case QUEUED -> DialStatus.Phase.TRYING;
                    case RINGING -> DialStatus.Phase.RINGING;
                    case ANSWERED -> DialStatus.Phase.ANSWERED;
                    case ENDED -> DialStatus.Phase.ENDED;
                },
                s.outcome() == null
                        ? null
                        : DialStatus.Outcome.valueOf(s.outcome().name()),
                s.sipStatus(),
                s.detail(),
                s.started(),
                s.answered(),
                s.ended());
    }

    /** The pacer as the providers' 20 ms clock. */
    static Ticker ticker(Pacer pacer) {
        return tick -> {
            Pacer.Tickable tickable = n -> tick.run();
            pacer.add(tickable);
            return () -> pacer.remove(tickable);
        };
    }

    /** A provider call's record as a call record line: the provider is its trunk, the provider's call id its Call-ID. */
    static CallRecord record(ProviderCallRecord r) {
        return CallRecord.builder()
                .callId(r.callId())
                .sipCallId(r.providerCallId().isEmpty() ? r.provider() + ":" + r.callId() : r.providerCallId())
                .direction(
                        r.direction().equals("outbound") ? CallRecord.Direction.OUTBOUND : CallRecord.Direction.INBOUND)
                .from(r.from())
                .to(r.to())
                .trunk(r.provider())
                .assistant(r.assistant())
                .codec(r.codec())
                .started(r.started())
                .answered(r.answered())
                .ended(r.ended())
                .endedBy(CallRecord.EndedBy.valueOf(r.endedBy().toUpperCase(Locale.ROOT)))
                .reason(r.reason())
                .detail(r.detail())
                .sipStatus(r.status() < 200 ? 200 : r.status())
                .dtmfCount(r.dtmfCount())
                .build();
    }
}
