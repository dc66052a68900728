package dev.softswitch.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softswitch.codecs.G711;
import dev.softswitch.codecs.Pcm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Plays a provider's side of a media WebSocket (Telnyx, Plivo, Vonage, Exotel) with the JDK's client: sends what the
 * test builds, at real time when asked, and keeps what comes back with when it arrived.
 */
final class StreamCaller implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A text message from the softswitch and when it arrived (nanoTime). */
    record Text(JsonNode message, long at) {}

    /** A binary message and when it arrived. */
    record Binary(byte[] data, long at) {}

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Text> texts = new CopyOnWriteArrayList<>();
    private final List<Binary> binaries = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> ended = new CompletableFuture<>();
    private final ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
    private final WebSocket socket;

    StreamCaller(URI media, Map<String, String> headers) {
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        socket = builder.buildAsync(media, new Listener())
                .orTimeout(5, TimeUnit.SECONDS)
                .join();
    }

    synchronized void send(Object message) {
        if (message instanceof String text) {
            socket.sendText(text, true).orTimeout(5, TimeUnit.SECONDS).join();
        } else {
            socket.sendBinary(ByteBuffer.wrap((byte[]) message), true)
                    .orTimeout(5, TimeUnit.SECONDS)
                    .join();
        }
    }

    /** Sends {@code count} messages of {@code message(i)} one every {@code everyMs}; returns when the last is sent. */
    void stream(int count, int everyMs, IntFunction<Object> message) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        int[] next = {0};
        var task = pace.scheduleAtFixedRate(
                () -> {
                    if (next[0] >= count) {
                        done.complete(null);
                        return;
                    }
                    try {
                        send(message.apply(next[0]++));
                    } catch (RuntimeException e) {
                        done.completeExceptionally(e);
                    }
                },
                0,
                everyMs,
                TimeUnit.MILLISECONDS);
        try {
            done.get((long) count * everyMs + 5000, TimeUnit.MILLISECONDS);
        } finally {
            task.cancel(false);
        }
    }

    List<Text> texts() {
        return List.copyOf(texts);
    }

    /** The text messages whose {@code event} is {@code event}. */
    List<Text> events(String event) {
        return texts.stream()
                .filter(t -> t.message().path("event").asText().equals(event))
                .toList();
    }

    List<Binary> binaries() {
        return List.copyOf(binaries);
    }

    CompletableFuture<String> ended() {
        return ended;
    }

    /** Base64 mu-law payloads as 8 kHz PCM, in order. */
    static short[] ulaw(List<String> payloads) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        payloads.forEach(p -> all.writeBytes(Base64.getDecoder().decode(p)));
        byte[] ulaw = all.toByteArray();
        short[] pcm = new short[ulaw.length];
        G711.decodeUlaw(ulaw, 0, pcm, 0, ulaw.length);
        return pcm;
    }

    /** Little-endian 16-bit chunks as PCM, in order. */
    static short[] l16(List<byte[]> chunks) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        chunks.forEach(all::writeBytes);
        byte[] bytes = all.toByteArray();
        return Pcm.fromLittleEndian(bytes, 0, bytes.length);
    }

    /** PCM as base64 mu-law. */
    static String ulawBase64(short[] pcm) {
        byte[] ulaw = new byte[pcm.length];
        G711.encodeUlaw(pcm, 0, ulaw, 0, pcm.length);
        return Base64.getEncoder().encodeToString(ulaw);
    }

    @Override
    public void close() {
        pace.shutdownNow();
        socket.abort();
        http.close();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    texts.add(new Text(JSON.readTree(text.toString()), System.nanoTime()));
                } catch (IOException e) {
                    ended.complete("error not JSON: " + text);
                }
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public @Nullable CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                binaries.add(new Binary(binary.toByteArray(), System.nanoTime()));
                binary.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            ended.complete("close " + statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            ended.complete("error " + error);
        }
    }
}
