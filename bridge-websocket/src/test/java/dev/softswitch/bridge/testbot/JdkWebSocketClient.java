package dev.softswitch.bridge.testbot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** A minimal WebSocket client for {@link TestBotTest}, on the JDK's own: plays the softswitch. */
final class JdkWebSocketClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final WebSocket socket;
    private final Listener listener;

    private JdkWebSocketClient(HttpClient http, WebSocket socket, Listener listener) {
        this.http = http;
        this.socket = socket;
        this.listener = listener;
    }

    /** Connects, or throws the handshake's failure (a {@code CompletionException}). */
    static JdkWebSocketClient connect(URI uri, Map<String, String> headers) {
        HttpClient http = HttpClient.newHttpClient();
        Listener listener = new Listener();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        try {
            WebSocket socket = builder.buildAsync(uri, listener).join();
            return new JdkWebSocketClient(http, socket, listener);
        } catch (RuntimeException e) {
            http.close();
            throw e;
        }
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    void send(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).join();
    }

    void sendClose(int code, String reason) {
        socket.sendClose(code, reason).join();
    }

    JsonNode awaitJson(Duration timeout) {
        String text = poll(listener.texts, timeout, "text message");
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    byte[] awaitBinary(Duration timeout) {
        return poll(listener.binaries, timeout, "binary message");
    }

    /** How the connection ended: {@code "close 1000 reason"} or {@code "error ..."}. */
    String awaitEnd(Duration timeout) {
        return listener.ended
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .join();
    }

    @Override
    public void close() {
        socket.abort();
        http.close();
    }

    private static <T> T poll(BlockingQueue<T> queue, Duration timeout, String what) {
        try {
            T value = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (value == null) {
                throw new AssertionError("no " + what + " within " + timeout);
            }
            return value;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static final class Listener implements WebSocket.Listener {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final BlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();
        final CompletableFuture<String> ended = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                texts.add(text.toString());
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
                binaries.add(binary.toByteArray());
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
