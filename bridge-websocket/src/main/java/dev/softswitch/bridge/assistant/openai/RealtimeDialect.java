package dev.softswitch.bridge.assistant.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softswitch.assistant.CallFacts;
import dev.softswitch.assistant.DtmfEvent;
import dev.softswitch.bridge.assistant.BotActions;
import dev.softswitch.bridge.assistant.BotDialect;
import dev.softswitch.bridge.assistant.BotProtocolException;
import dev.softswitch.bridge.assistant.Json;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAI Realtime API over WebSocket, GA interface (shared/reference/providers.md 7.1): one {@code session.update}
 * (no beta header, no beta schema), the caller's audio as {@code input_audio_buffer.append}, the model's as
 * {@code response.output_audio.delta}. A G.711 call hands the model its own codec (no transcoding); any other call
 * carries 24 kHz PCM, the only rate GA {@code audio/pcm} has.
 *
 * <p>Barge-in (7.1 recipe): every delta is followed by a mark {@code oai|<item_id>|<end_ms>}; a mark reached says the
 * caller has heard that item up to {@code end_ms}. On {@code speech_started} we clear what is queued toward the caller
 * and truncate the item to what was heard. The server cancels the response itself ({@code interrupt_response}).
 *
 * <p>A mark flushes the call's 20 ms framer, padding a partial frame with silence; so that deltas of any length join
 * without gaps, each delta is played in whole 20 ms frames and its tail waits for the next delta of the item (or its
 * {@code output_audio.done}). Confined to the socket's event loop, like every dialect.
 */
public final class RealtimeDialect implements BotDialect {

    static final String MARK_PREFIX = "oai|";

    private static final Logger log = LoggerFactory.getLogger(RealtimeDialect.class);
    private static final short[] NONE = new short[0];
    /** Items cut off by a barge-in whose late deltas are dropped; a few suffice, they arrive within milliseconds. */
    private static final int INTERRUPTED_KEPT = 8;

    /** What became of one assistant item's audio: samples queued toward the caller, the tail waiting, ms heard. */
    private static final class ItemAudio {
        final String id;
        long playedSamples;
        short[] tail = NONE;
        long heardMs;

        ItemAudio(String id) {
            this.id = id;
        }
    }

    private final int sampleRate;
    private final int frameSamples;
    private final String model;
    private final String voice;
    private final @Nullable String instructions;
    private RealtimeFormat format;
    private final Map<String, ItemAudio> items = new LinkedHashMap<>();
    private final ArrayDeque<String> interrupted = new ArrayDeque<>();
    private @Nullable ItemAudio current;

    /**
     * @param callRate the rate of the call's codec: 8000 for G.711, which the model then speaks itself
     * @param model e.g. {@code gpt-realtime}; the same as the URL's {@code model} parameter
     * @param voice e.g. {@code marin}; it cannot change once the model has spoken
     * @param instructions the system prompt, or null for the model's default
     */
    public RealtimeDialect(int callRate, String model, String voice, @Nullable String instructions) {
        this.sampleRate = callRate == 8000 ? 8000 : 24000;
        this.frameSamples = sampleRate / 50;
        this.model = requireText(model, "model");
        this.voice = requireText(voice, "voice");
        this.instructions = instructions;
        this.format = sampleRate == 8000 ? RealtimeFormat.PCMU : RealtimeFormat.PCM24;
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public List<Object> start(CallFacts call, @Nullable String greeting) {
        if (sampleRate == 8000) {
            // Any 8 kHz call goes as G.711; A-law only when the call is A-law, so its audio passes untouched.
            format = call.codec().equals("PCMA") ? RealtimeFormat.PCMA : RealtimeFormat.PCMU;
        }
        log.debug(
                "media: {} -> {} Hz PCM -> OpenAI Realtime {} ({}, voice {})",
                call.codec(),
                sampleRate,
                format.type,
                model,
                voice);
        ObjectNode update = Json.object().put("type", "session.update");
        ObjectNode session = update.putObject("session");
        session.put("type", "realtime").put("model", model);
        session.putArray("output_modalities").add("audio");
        if (instructions != null) {
            session.put("instructions", instructions);
        }
        ObjectNode audio = session.putObject("audio");
        ObjectNode input = audio.putObject("input");
        input.set("format", format.json());
        input.putObject("turn_detection")
                .put("type", "server_vad")
                .put("threshold", 0.5)
                .put("prefix_padding_ms", 300)
                .put("silence_duration_ms", 500)
                .put("create_response", true)
                .put("interrupt_response", true);
        input.putObject("noise_reduction").put("type", "near_field"); // a handset: the talker is close
        ObjectNode output = audio.putObject("output");
        output.set("format", format.json());
        output.put("voice", voice).put("speed", 1.0);
        if (greeting == null) {
            return List.of(Json.write(update));
        }
        ObjectNode create = Json.object().put("type", "response.create");
        create.putObject("response")
                .put("instructions", "Greet the caller by saying exactly the following, and nothing else: " + greeting);
        return List.of(Json.write(update), Json.write(create));
    }

    @Override
    public Object media(short[] frame) {
        return Json.write(Json.object()
                .put("type", "input_audio_buffer.append")
                .put("audio", Base64.getEncoder().encodeToString(format.encode(frame))));
    }

    /** A note in the conversation; the model takes it into account at its next turn (no {@code response.create}). */
    @Override
    public String dtmf(DtmfEvent key) {
        return userMessage("The caller pressed the key " + key.digit() + ".");
    }

    /**
     * The text as a user message in the conversation. Only the item: {@code text()} yields one message and a
     * {@code response.create} would be a second, so the model answers it at its next turn, as with keys.
     */
    @Override
    public String text(String text) {
        return userMessage(text);
    }

    /**
     * A response whose instructions (for this response only, as with the greeting) say the caller has been silent
     * and ask the model to check, briefly, whether they are still there.
     */
    @Override
    public String idle(long idleMillis) {
        long seconds = Math.max(1, Math.round(idleMillis / 1000.0));
        ObjectNode create = Json.object().put("type", "response.create");
        create.putObject("response")
                .put(
                        "instructions",
                        "The caller has been silent for " + seconds + (seconds == 1 ? " second" : " seconds")
                                + ". Ask them briefly whether they are still there.");
        return Json.write(create);
    }

    /** Records how much of an item the caller heard; OpenAI is not told (it learns it from a truncate, if ever). */
    @Override
    public @Nullable String markReached(String name, boolean played) {
        int bar = name.lastIndexOf('|');
        if (!played || !name.startsWith(MARK_PREFIX) || bar < MARK_PREFIX.length()) {
            return null;
        }
        ItemAudio item = items.get(name.substring(MARK_PREFIX.length(), bar));
        if (item != null) {
            item.heardMs = Math.max(item.heardMs, Long.parseLong(name, bar + 1, name.length(), 10));
            if (item != current && !unheard(item)) {
                items.remove(item.id); // played out and finished: nothing left to truncate
            }
        }
        return null;
    }

    @Override
    public @Nullable String stop(String reason) {
        return null; // the Realtime API has no goodbye: we close the socket
    }

    @Override
    public void onText(String message, BotActions actions) throws BotProtocolException {
        JsonNode event = Json.parseObject(message);
        String type = Json.text(event, "type");
        switch (type) {
            case "response.output_audio.delta", "response.audio.delta" -> {
                String itemId = Json.text(event, "item_id");
                short[] pcm = format.decode(Json.base64(Json.text(event, "delta"), "delta"));
                delta(itemId, pcm, actions);
            }
            case "response.output_audio.done", "response.audio.done" -> {
                ItemAudio item = items.get(Json.text(event, "item_id"));
                if (item != null) {
                    flushTail(item, actions);
                }
            }
            case "input_audio_buffer.speech_started" -> bargeIn(actions);
            case "error" -> {
                JsonNode error = event.path("error");
                log.warn(
                        "OpenAI Realtime error: type={} code={} message={} (client event {})",
                        error.path("type").asText("?"),
                        error.path("code").asText("?"),
                        error.path("message").asText("?"),
                        error.path("event_id").asText("-"));
            }
            default -> log.debug("OpenAI Realtime event {}: nothing to do", type);
        }
    }

    @Override
    public void onBinary(byte[] data, BotActions actions) throws BotProtocolException {
        throw BotProtocolException.violation("the OpenAI Realtime API sends JSON text frames only, not binary");
    }

    /** Plays a delta in whole 20 ms frames, keeping its tail for the next one, and marks how far the item got. */
    private void delta(String itemId, short[] pcm, BotActions actions) {
        if (interrupted.contains(itemId)) {
            log.debug("dropping a late delta of {}, interrupted by the caller", itemId);
            return;
        }
        ItemAudio previous = current;
        if (previous != null && !previous.id.equals(itemId)) {
            flushTail(previous, actions);
        }
        ItemAudio item = items.computeIfAbsent(itemId, ItemAudio::new);
        current = item;
        short[] joined = item.tail.length == 0 ? pcm : concat(item.tail, pcm);
        int whole = joined.length - joined.length % frameSamples;
        item.tail = whole == joined.length ? NONE : Arrays.copyOfRange(joined, whole, joined.length);
        if (whole > 0) {
            actions.play(whole == joined.length ? joined : Arrays.copyOf(joined, whole));
            item.playedSamples += whole;
            actions.mark(markName(item));
        }
    }

    /** The item's audio is complete: its tail goes out too (the mark pads it to a frame). */
    private void flushTail(ItemAudio item, BotActions actions) {
        if (item.tail.length > 0) {
            actions.play(item.tail);
            item.playedSamples += item.tail.length;
            item.tail = NONE;
            actions.mark(markName(item));
        }
    }

    /** providers.md 7.1 barge-in: clear the caller's queue, truncate each item to what was heard, forget them. */
    private void bargeIn(BotActions actions) {
        boolean cleared = false;
        for (ItemAudio item : items.values()) {
            if (unheard(item)) {
                if (!cleared) {
                    actions.clear();
                    cleared = true;
                }
                // An audio_end_ms past the item's audio is an error; heard never exceeds what we played.
                long endMs = Math.min(item.heardMs, sentMs(item));
                log.debug("barge-in: truncating {} at {} of {} ms", item.id, endMs, sentMs(item));
                actions.reply(Json.write(Json.object()
                        .put("type", "conversation.item.truncate")
                        .put("item_id", item.id)
                        .put("content_index", 0)
                        .put("audio_end_ms", endMs)));
            }
        }
        for (Iterator<String> ids = items.keySet().iterator(); ids.hasNext(); ) {
            if (interrupted.size() == INTERRUPTED_KEPT) {
                interrupted.removeFirst();
            }
            interrupted.addLast(ids.next());
            ids.remove();
        }
        current = null;
    }

    private boolean unheard(ItemAudio item) {
        return item.tail.length > 0 || item.heardMs < sentMs(item);
    }

    /** Milliseconds of the item queued toward the caller, rounded down (never more than the model sent). */
    private long sentMs(ItemAudio item) {
        return item.playedSamples * 1000 / sampleRate;
    }

    private String markName(ItemAudio item) {
        return MARK_PREFIX + item.id + '|' + sentMs(item);
    }

    private static String userMessage(String text) {
        ObjectNode create = Json.object().put("type", "conversation.item.create");
        ObjectNode item = create.putObject("item").put("type", "message").put("role", "user");
        item.putArray("content").addObject().put("type", "input_text").put("text", text);
        return Json.write(create);
    }

    private static short[] concat(short[] a, short[] b) {
        short[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String requireText(String value, String what) {
        if (Objects.requireNonNull(value, what).isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value;
    }
}
