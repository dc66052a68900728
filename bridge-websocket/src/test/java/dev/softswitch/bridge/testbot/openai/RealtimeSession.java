package dev.softswitch.bridge.testbot.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softswitch.codecs.G711;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to the fake Realtime server: checks each client event against providers.md 7.1 (GA), records it,
 * and answers as the documented server does ({@code session.updated}, {@code conversation.item.truncated},
 * {@code error}). Frames arrive on the channel's event loop; a test reads and sends from its own thread, hence the
 * lock around what both see.
 */
final class RealtimeSession extends SimpleChannelInboundHandler<WebSocketFrame> {

    /** The GA audio formats, decoded here independently of the adapter under test. */
    enum Wire {
        PCMU("audio/pcmu", 8000, 1),
        PCMA("audio/pcma", 8000, 1),
        PCM("audio/pcm", 24000, 2);

        final String type;
        final int rate;
        final int bytesPerSample;

        Wire(String type, int rate, int bytesPerSample) {
            this.type = type;
            this.rate = rate;
            this.bytesPerSample = bytesPerSample;
        }

        short[] decode(byte[] data) {
            short[] out = new short[data.length / bytesPerSample];
            for (int i = 0; i < out.length; i++) {
                out[i] = switch (this) {
                    case PCMU -> G711.ulawToLinear(data[i]);
                    case PCMA -> G711.alawToLinear(data[i]);
                    case PCM -> (short) ((data[2 * i] & 0xFF) | (data[2 * i + 1] << 8));
                };
            }
            return out;
        }

        byte[] encode(short[] pcm) {
            byte[] out = new byte[pcm.length * bytesPerSample];
            for (int i = 0; i < pcm.length; i++) {
                switch (this) {
                    case PCMU -> out[i] = G711.linearToUlaw(pcm[i]);
                    case PCMA -> out[i] = G711.linearToAlaw(pcm[i]);
                    case PCM -> {
                        out[2 * i] = (byte) pcm[i];
                        out[2 * i + 1] = (byte) (pcm[i] >> 8);
                    }
                }
            }
            return out;
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();

    private static final Logger log = LoggerFactory.getLogger(RealtimeSession.class);
    private static final int MAX_APPEND_BYTES = 15 * 1024 * 1024;
    private static final Set<String> CLIENT_EVENTS = Set.of(
            "session.update",
            "input_audio_buffer.append",
            "input_audio_buffer.commit",
            "input_audio_buffer.clear",
            "conversation.item.create",
            "conversation.item.retrieve",
            "conversation.item.truncate",
            "conversation.item.delete",
            "response.create",
            "response.cancel",
            "output_audio_buffer.clear");
    private static final Set<String> BETA_SESSION_FIELDS = Set.of(
            "modalities",
            "input_audio_format",
            "output_audio_format",
            "voice",
            "turn_detection",
            "input_audio_transcription");

    private final Channel channel;
    private final WebSocketServerHandshaker handshaker;
    private final String model;
    private final Consumer<String> violations;
    private final AtomicLong eventIds = new AtomicLong();
    private final Object lock = new Object();
    private final List<JsonNode> received = new ArrayList<>();
    private short[] audio = new short[8000];
    private int audioLength;
    private boolean configured;
    private volatile Wire input = Wire.PCM;
    private volatile Wire output = Wire.PCM;
    /** Samples of audio we sent per assistant item, for what a truncate may ask. */
    private final Map<String, Long> sentSamples = new ConcurrentHashMap<>();

    final CompletableFuture<Integer> closed = new CompletableFuture<>();

    RealtimeSession(Channel channel, WebSocketServerHandshaker handshaker, String model, Consumer<String> violations) {
        this.channel = channel;
        this.handshaker = handshaker;
        this.model = model;
        this.violations = violations;
    }

    // ---- what the test sees and does (any thread) ----

    List<JsonNode> received() {
        synchronized (lock) {
            return List.copyOf(received);
        }
    }

    JsonNode awaitType(String type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                for (JsonNode event : received) {
                    if (type.equals(event.path("type").asText())) {
                        return event;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no " + type + " within " + timeout + "; received "
                            + received.stream()
                                    .map(e -> e.path("type").asText())
                                    .toList());
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    short[] receivedAudio() {
        synchronized (lock) {
            return Arrays.copyOf(audio, audioLength);
        }
    }

    Wire input() {
        return input;
    }

    Wire output() {
        return output;
    }

    void send(ObjectNode event) {
        event.put("event_id", "event_" + eventIds.incrementAndGet());
        // Any thread: Netty queues the write on the event loop, in call order. Failures reach exceptionCaught.
        ChannelFuture unused = channel.writeAndFlush(new TextWebSocketFrame(write(event)), channel.voidPromise());
    }

    void sendDelta(String responseId, String itemId, byte[] wire) {
        sentSamples.merge(itemId, (long) wire.length / output.bytesPerSample, Long::sum);
        ObjectNode delta = event("response.output_audio.delta")
                .put("response_id", responseId)
                .put("item_id", itemId)
                .put("output_index", 0)
                .put("content_index", 0)
                .put("delta", Base64.getEncoder().encodeToString(wire));
        send(delta);
    }

    void sendSpeechStarted() {
        long ms;
        synchronized (lock) {
            ms = audioLength * 1000L / input.rate;
        }
        send(event("input_audio_buffer.speech_started")
                .put("audio_start_ms", ms)
                .put("item_id", "item_user_" + eventIds.get()));
    }

    void close(int code, String reason) {
        ChannelFuture unused = handshaker.close(channel, new CloseWebSocketFrame(code, reason));
    }

    // ---- the client's frames (event loop) ----

    void opened() {
        ObjectNode created = event("session.created");
        ObjectNode session = created.putObject("session")
                .put("type", "realtime")
                .put("object", "realtime.session")
                .put("id", "sess_" + Long.toHexString(System.identityHashCode(this)))
                .put("model", model);
        session.putArray("output_modalities").add("audio");
        ObjectNode audio = session.putObject("audio");
        audio.putObject("input").putObject("format").put("type", "audio/pcm").put("rate", 24000);
        ObjectNode out = audio.putObject("output");
        out.putObject("format").put("type", "audio/pcm").put("rate", 24000);
        out.put("voice", "alloy");
        send(created);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame text) {
            onText(text.text());
        } else if (frame instanceof BinaryWebSocketFrame) {
            violation("a binary frame: the Realtime API takes JSON text frames only");
        } else if (frame instanceof PingWebSocketFrame) {
            ChannelFuture unused =
                    ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        } else if (frame instanceof CloseWebSocketFrame close) {
            closed.complete(close.statusCode());
            ChannelFuture unused = handshaker.close(ctx.channel(), close.retain());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed.complete(-1);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.warn("fake Realtime session failed", cause);
        ChannelFuture unused = ctx.close();
    }

    private void onText(String text) {
        JsonNode event;
        try {
            event = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            violation("a text frame that is not JSON: " + e.getOriginalMessage());
            error("invalid_json", "not JSON", null);
            return;
        }
        if (event == null || !event.isObject() || !event.path("type").isTextual()) {
            violation("a client event without a string \"type\": " + text);
            error("invalid_event", "missing type", null);
            return;
        }
        String type = event.get("type").asText();
        String label;
        synchronized (lock) {
            received.add(event);
            label = "client event #" + (received.size() - 1) + " (" + type + ")";
            lock.notifyAll();
        }
        if (!configured && !type.equals("session.update")) {
            violation(label + " before session.update: session.update must be the first client event");
        }
        switch (type) {
            case "session.update" -> sessionUpdate(label, event);
            case "input_audio_buffer.append" -> append(label, event);
            case "conversation.item.truncate" -> truncate(label, event);
            case "conversation.item.create" -> {
                if (!event.path("item").path("type").isTextual()) {
                    violation(label + ": item.type is required");
                }
            }
            case "response.create" -> {
                if (event.has("response") && !event.get("response").isObject()) {
                    violation(label + ": response must be an object");
                }
            }
            default -> {
                if (!CLIENT_EVENTS.contains(type)) {
                    violation(label + ": not a client event of the Realtime API");
                    error("invalid_event", "unknown event type " + type, event);
                }
            }
        }
    }

    private void sessionUpdate(String label, JsonNode event) {
        configured = true;
        JsonNode session = event.path("session");
        if (!session.isObject()) {
            violation(label + ": session must be an object");
            return;
        }
        if (!"realtime".equals(session.path("type").asText(null))) {
            violation(label + ": session.type must be \"realtime\" (GA)");
        }
        for (String beta : BETA_SESSION_FIELDS) {
            if (session.has(beta)) {
                violation(label + ": session." + beta + " is beta schema; GA has it under session.audio");
            }
        }
        if (session.has("model") && !model.equals(session.get("model").asText())) {
            violation(label + ": session.model " + session.get("model") + " is not the URL's " + model);
        }
        JsonNode modalities = session.path("output_modalities");
        if (!modalities.isMissingNode()
                && !modalities.toString().equals("[\"audio\"]")
                && !modalities.toString().equals("[\"text\"]")) {
            violation(label + ": output_modalities is [\"audio\"] or [\"text\"], not " + modalities);
        }
        JsonNode turns = session.path("audio").path("input").path("turn_detection");
        if (turns.isObject()
                && !Set.of("server_vad", "semantic_vad")
                        .contains(turns.path("type").asText())) {
            violation(label + ": turn_detection.type is server_vad or semantic_vad");
        }
        Wire in = format(label, session.path("audio").path("input").path("format"));
        Wire out = format(label, session.path("audio").path("output").path("format"));
        if (in != null) {
            input = in;
        }
        if (out != null) {
            output = out;
        }
        ObjectNode updated = event("session.updated");
        updated.set("session", session.deepCopy());
        send(updated);
    }

    private @Nullable Wire format(String label, JsonNode format) {
        if (format.isMissingNode()) {
            return null;
        }
        String type = format.path("type").asText();
        for (Wire wire : Wire.values()) {
            if (wire.type.equals(type)) {
                if (wire == Wire.PCM && format.has("rate") && format.get("rate").asInt() != 24000) {
                    violation(label + ": audio/pcm is 24000 Hz only, not " + format.get("rate"));
                }
                return wire;
            }
        }
        violation(label + ": format " + format + " is none of audio/pcm, audio/pcmu, audio/pcma");
        return null;
    }

    private void append(String label, JsonNode event) {
        if (!event.path("audio").isTextual()) {
            violation(label + ": audio is required (base64)");
            return;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(event.get("audio").asText());
        } catch (IllegalArgumentException e) {
            violation(label + ": audio is not base64: " + e.getMessage());
            error("invalid_value", "audio is not base64", event);
            return;
        }
        Wire wire = input;
        if (bytes.length > MAX_APPEND_BYTES) {
            violation(label + ": " + bytes.length + " bytes of audio; at most 15 MiB");
        } else if (bytes.length % wire.bytesPerSample != 0) {
            violation(label + ": " + bytes.length + " bytes is not a whole number of " + wire.type + " samples");
        }
        short[] pcm = wire.decode(bytes);
        synchronized (lock) {
            if (audioLength + pcm.length > audio.length) {
                audio = Arrays.copyOf(audio, Math.max(audio.length * 2, audioLength + pcm.length));
            }
            System.arraycopy(pcm, 0, audio, audioLength, pcm.length);
            audioLength += pcm.length;
        }
    }

    private void truncate(String label, JsonNode event) {
        String itemId = event.path("item_id").asText("");
        JsonNode endMs = event.path("audio_end_ms");
        if (itemId.isEmpty()
                || !event.path("content_index").isInt()
                || !endMs.isIntegralNumber()
                || endMs.asLong() < 0) {
            violation(label + ": needs item_id, content_index and audio_end_ms >= 0");
            return;
        }
        Long samples = sentSamples.get(itemId);
        if (samples == null) {
            violation(label + ": item " + itemId + " is not an assistant item with audio");
            error("item_not_found", "no item " + itemId, event);
            return;
        }
        long audioMs = samples * 1000 / output.rate;
        if (endMs.asLong() > audioMs) {
            violation(label + ": audio_end_ms " + endMs + " is longer than the item's " + audioMs + " ms of audio");
            error("invalid_value", "audio_end_ms is longer than the audio", event);
            return;
        }
        send(event("conversation.item.truncated")
                .put("item_id", itemId)
                .put("content_index", event.get("content_index").asInt())
                .put("audio_end_ms", endMs.asLong()));
    }

    private void error(String code, String message, @Nullable JsonNode cause) {
        ObjectNode error = event("error");
        error.putObject("error")
                .put("type", "invalid_request_error")
                .put("code", code)
                .put("message", message)
                .putNull("param")
                .put("event_id", cause == null ? null : cause.path("event_id").asText(null));
        send(error);
    }

    private void violation(String what) {
        log.warn("Realtime client broke the protocol: {}", what);
        violations.accept(what);
    }

    static ObjectNode event(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
