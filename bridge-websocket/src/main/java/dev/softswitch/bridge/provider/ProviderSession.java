package dev.softswitch.bridge.provider;

import dev.softswitch.assistant.Assistant;
import dev.softswitch.assistant.AssistantRunner;
import dev.softswitch.assistant.CallFacts;
import dev.softswitch.assistant.DtmfEvent;
import dev.softswitch.assistant.FrameAssembler;
import dev.softswitch.assistant.PlayoutMark;
import dev.softswitch.assistant.QueueMediaPort;
import dev.softswitch.assistant.context.CallContextStoreException;
import dev.softswitch.bridge.assistant.BotProtocolException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One media stream's call: from the provider's start (the call's context claimed by its token) to its end. Caller
 * audio is cut into 20 ms frames for the assistant's port; the assistant's audio is paced back at real time on the
 * shared 20 ms {@link Ticker}, a few frames ahead ({@link StreamPlugin#leadFrames}) so that the provider's playout does
 * not starve. Every method runs on the connection's event loop; the assistant runs on a virtual thread, and so does the
 * claim of the call's context at the start (with Redis it may take up to {@code redis.timeout}): what arrives meanwhile
 * waits (up to {@link #MAX_WAITING} messages, then dropped) and is handled once the call has begun.
 *
 * <p>A provider that stops reading gets nothing more queued ({@link MediaOutlet#send} drops while the connection is
 * backed up); once that has lasted the stall limit, the call ends as {@code stream_stalled} and the connection is
 * closed without waiting on it.
 */
public final class ProviderSession {

    private static final Logger log = LoggerFactory.getLogger(ProviderSession.class);

    /** The rates assistants read and write at ({@link dev.softswitch.assistant.CallFacts#sampleRate}). */
    private static final int[] PIPELINE_RATES = {8000, 16000, 24000, 48000};

    /** Events kept while the start's claim is out: 10 s of 20 ms frames; later ones are dropped. */
    static final int MAX_WAITING = 500;

    private final StreamPlugin plugin;
    private final StreamCodec codec;
    private final MediaOutlet outlet;
    private final MediaServices services;
    private final int lead;
    private final Map<String, ArrayDeque<PlayoutMark>> marks = new HashMap<>();

    private @Nullable ProviderCall call;
    private @Nullable QueueMediaPort port;
    private @Nullable FrameAssembler framer;
    private @Nullable Future<?> runner;
    private Ticker.@Nullable Registration ticks;
    private int ahead;
    private int dtmfCount;
    private long droppedDigits;
    private boolean ended;
    /** The start's claim is out: what arrives meanwhile waits in {@link #waiting}. */
    private boolean starting;

    private final ArrayDeque<StreamEvent> waiting = new ArrayDeque<>();

    public ProviderSession(StreamPlugin plugin, StreamCodec codec, MediaOutlet outlet, MediaServices services) {
        this.plugin = plugin;
        this.codec = codec;
        this.outlet = outlet;
        this.services = services;
        this.lead = Math.max(1, plugin.leadFrames());
    }

    /** A text message from the provider. */
    public void onText(String text) {
        try {
            handle(codec.onText(text));
        } catch (BotProtocolException e) {
            violation(e);
        }
    }

    /** A binary message (WebSocket) or a frame (AudioSocket) from the provider. */
    public void onBinary(byte[] data) {
        try {
            handle(codec.onBinary(data));
        } catch (BotProtocolException e) {
            violation(e);
        }
    }

    /** The connection is gone. */
    public void onClosed() {
        end("caller", "completed", "the " + plugin.name() + " stream closed");
    }

    private void handle(List<StreamEvent> events) {
        for (StreamEvent event : events) {
            if (ended) {
                return;
            }
            if (starting) {
                if (event instanceof StreamEvent.Started) {
                    violation(BotProtocolException.violation("a second start on one stream"));
                } else if (waiting.size() < MAX_WAITING) {
                    waiting.add(event);
                }
                continue;
            }
            switch (event) {
                case StreamEvent.Started started -> start(started);
                case StreamEvent.Audio audio -> {
                    QueueMediaPort p = port;
                    FrameAssembler f = framer;
                    if (p != null && f != null) {
                        f.add(audio.samples(), p::offerFromCaller);
                    }
                }
                case StreamEvent.Dtmf key -> {
                    if (port != null) {
                        dtmfCount++;
                        port.offerDtmf(new DtmfEvent(key.digit(), key.durationMs(), DtmfEvent.Method.PROVIDER));
                    }
                }
                case StreamEvent.MarkPlayed played -> {
                    ArrayDeque<PlayoutMark> waiting = marks.get(played.name());
                    PlayoutMark listener = waiting == null ? null : waiting.poll();
                    if (listener != null) {
                        listener.reached(played.name(), true);
                    }
                }
                case StreamEvent.Stopped stopped -> {
                    end("caller", "completed", "caller hung up (" + stopped.reason() + ")");
                    outlet.close(1000, "stream stopped");
                }
            }
        }
    }

    private void start(StreamEvent.Started started) {
        if (call != null) {
            violation(BotProtocolException.violation("a second start on one stream"));
            return;
        }
        starting = true;
        CompletableFuture<Optional<ClaimedCall>> claim;
        try {
            claim = CompletableFuture.supplyAsync(() -> plugin.claim(started, services.tokens()), services.executor());
        } catch (RejectedExecutionException e) {
            claim = CompletableFuture.failedFuture(e); // stopping
        }
        var unused = claim.whenComplete((claimed, e) ->
                outlet.eventLoop().execute(() -> claimed(started, e == null ? claimed : Optional.empty(), e)));
    }

    /** The start's claim answered (or failed): the call begins, on the event loop. */
    private void claimed(StreamEvent.Started started, Optional<ClaimedCall> claimed, @Nullable Throwable e) {
        Throwable failure = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        starting = false;
        List<StreamEvent> next = List.copyOf(waiting);
        waiting.clear();
        begin(started, claimed, failure);
        if (!next.isEmpty()) {
            handle(next); // what arrived while the claim was out, in order (nothing once the call has ended)
        }
    }

    private void begin(StreamEvent.Started started, Optional<ClaimedCall> claimed, @Nullable Throwable failure) {
        if (ended) {
            if (claimed.isPresent()) {
                log.info(
                        "{} stream {} closed before its call began: call {} dropped",
                        plugin.name(),
                        started.streamId(),
                        claimed.get().callId());
            }
            return;
        }
        if (failure != null) {
            String why = failure instanceof CallContextStoreException
                    ? String.valueOf(failure.getMessage())
                    : "the call context could not be claimed: " + failure;
            log.warn("{} stream {} refused: {}", plugin.name(), started.streamId(), why);
            ended = true;
            outlet.close(1013, "call context store unavailable, try again later"); // RFC 6455 registry: Try Again Later
            return;
        }
        if (claimed.isEmpty()) {
            log.warn(
                    "{} stream {} refused: no call is waiting for it (token unknown, used or expired)",
                    plugin.name(),
                    started.streamId());
            ended = true;
            outlet.close(1008, "no call is waiting for this stream");
            return;
        }
        ClaimedCall c = claimed.get();
        ProviderCall placed = services.calls().find(c.callId()).orElse(null);
        ProviderCall current = placed != null
                ? placed
                : services.calls().open(c.callId(), plugin.name(), c.direction(), c.from(), c.to(), c.assistantId());
        call = current;
        services.calls().named(current, started.providerCallId());
        MDC.put("call", current.id());
        try {
            Assistant assistant = services.assistants().find(c.assistantId()).orElse(null);
            if (assistant == null) {
                end("softswitch", "assistant_unavailable", "assistant " + c.assistantId() + " is not configured");
                outlet.close(1011, "assistant unavailable");
                return;
            }
            int rate = started.sampleRate();
            int assistantRate = assistant.sampleRate(offeredRate(rate));
            QueueMediaPort p =
                    QueueMediaPort.between(rate, assistantRate, assistant.playoutFrames(), reason -> outlet.eventLoop()
                            .execute(() -> assistantHungUp(reason)));
            port = p;
            framer = new FrameAssembler(rate / 50);
            current.mediaStarted(started.codec());
            current.onHangUp(() -> outlet.eventLoop().execute(() -> {
                if (!ended) {
                    sendHangup(); // the provider's own end first (AudioSocket's 0x00), then a normal close
                }
                end("softswitch", "completed", "hung up by request");
                outlet.close(1000, "hung up");
            }));
            CallFacts facts = new CallFacts(
                    current.id(),
                    c.from(),
                    c.to(),
                    c.assistantId(),
                    started.codec(),
                    assistantRate,
                    c.direction(),
                    c.variables());
            log.info(
                    "{} {} call from {} to {}: {} {} Hz{} -> assistant {} ({} Hz), {} ms ahead",
                    plugin.name(),
                    c.direction(),
                    c.from(),
                    c.to(),
                    started.codec(),
                    rate,
                    rate == assistantRate ? "" : " -> Resample(" + rate + "->" + assistantRate + ")",
                    c.assistantId(),
                    assistantRate,
                    lead * 20);
            runner = AssistantRunner.start(assistant, facts, new ProviderMediaPort(p, this), services.executor());
            ticks = services.ticker().every20ms(() -> outlet.eventLoop().execute(this::pace));
            if (current.hangUpAsked()) {
                current.hangUp(); // asked while it rang: now that it has a socket, close it
            }
        } finally {
            MDC.remove("call");
        }
    }

    /** One 20 ms tick: keeps {@link #lead} frames sent ahead of real time, no more. */
    private void pace() {
        QueueMediaPort p = port;
        if (ended || p == null) {
            return;
        }
        String stalled = outlet.stalled(System.nanoTime());
        if (stalled != null) {
            log.warn("{} stream stopped reading ({}): ending the call", plugin.name(), stalled);
            end("softswitch", "stream_stalled", "the " + plugin.name() + " stream stopped reading: " + stalled);
            outlet.close(1008, "not reading");
            return;
        }
        if (ahead > 0) {
            ahead--;
        }
        while (ahead < lead) {
            short[] frame = p.pollToCaller();
            if (frame == null) {
                sendAll(codec.flush());
                break;
            }
            sendAll(codec.media(frame));
            ahead++;
        }
        while (p.pollDigit() != null) {
            if (droppedDigits++ == 0) {
                log.info("{} streams cannot send keys to the caller: the assistant's keys are dropped", plugin.name());
            }
        }
    }

    /** The pacer got past an assistant's mark: the provider is asked to say when the audio before it has played. */
    void markSent(String name, PlayoutMark listener) {
        sendAll(codec.flush());
        Object message = codec.mark(name);
        if (message == null) {
            listener.reached(name, true); // the provider has no marks: sent is as close as we can tell
            return;
        }
        marks.computeIfAbsent(name, n -> new ArrayDeque<>()).add(listener);
        outlet.send(message);
    }

    /** The assistant cleared its queue: the provider's buffer goes too, and the marks in it did not play. */
    void clearProvider() {
        outlet.eventLoop().execute(() -> {
            if (ended) {
                return;
            }
            Object message = codec.clear();
            if (message != null) {
                outlet.send(message);
            }
            ahead = 0;
            dropMarks();
        });
    }

    private void assistantHungUp(String reason) {
        if (ended) {
            return;
        }
        QueueMediaPort p = port;
        boolean failed = p != null && p.failed();
        sendHangup();
        end("assistant", failed ? "assistant_failed" : "completed", reason);
        outlet.close(1000, "call ended");
    }

    private void sendHangup() {
        Object last = codec.hangup();
        if (last != null) {
            outlet.send(last);
        }
    }

    /**
     * The rate a stream at {@code rate} offers its assistant: the assistant pipeline runs at 8, 16, 24 or 48 kHz, so a
     * stream at another (AudioSocket's 12, 32, 44.1, 96 or 192 kHz) offers the next one up, 48 kHz at most, and the
     * port resamples between the two.
     */
    static int offeredRate(int rate) {
        for (int pipeline : PIPELINE_RATES) {
            if (rate <= pipeline) {
                return pipeline;
            }
        }
        return PIPELINE_RATES[PIPELINE_RATES.length - 1];
    }

    private void violation(BotProtocolException e) {
        log.warn("{} stream broke its protocol: {}", plugin.name(), e.getMessage());
        end("softswitch", "protocol_error", plugin.name() + " broke its stream protocol: " + e.getMessage());
        outlet.close(e.closeCode(), String.valueOf(e.getMessage()));
    }

    private void end(String endedBy, String reason, String detail) {
        if (ended) {
            return;
        }
        ended = true;
        if (ticks != null) {
            ticks.close();
        }
        if (port != null) {
            port.close();
        }
        if (runner != null) {
            runner.cancel(true);
        }
        dropMarks();
        ProviderCall c = call;
        if (c != null) {
            services.calls().end(c, ProviderCall.Outcome.ANSWERED, endedBy, reason, detail, 200, dtmfCount);
        }
    }

    private void dropMarks() {
        for (Map.Entry<String, ArrayDeque<PlayoutMark>> entry : marks.entrySet()) {
            for (PlayoutMark listener : entry.getValue()) {
                listener.reached(entry.getKey(), false);
            }
        }
        marks.clear();
    }

    private void sendAll(List<Object> messages) {
        for (Object message : messages) {
            outlet.send(message);
        }
    }
}
