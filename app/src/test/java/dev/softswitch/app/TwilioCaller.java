package dev.softswitch.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softswitch.assistant.CallFacts;
import dev.softswitch.assistant.DtmfEvent;
import dev.softswitch.bridge.assistant.twilio.TwilioDialect;
import dev.softswitch.codecs.G711;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
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
 * Plays Twilio's side of a Media Stream against the softswitch: the messages come from the bot dialect that already
 * speaks as Twilio ({@link TwilioDialect}), sent over the JDK's WebSocket client; what comes back is kept (each
 * message with the time it arrived), and its audio decoded.
 */
final class TwilioCaller implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A message from the softswitch and when it arrived (nanoTime). */
    record Received(JsonNode message, long at) {}

    private final HttpClient http = HttpClient.newHttpClient();
    private final TwilioDialect twilio = new TwilioDialect(Map.of());
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> ended = new CompletableFuture<>();
    private final ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
    private final WebSocket socket;

    /** Connects; throws the handshake's failure (a CompletionException around a WebSocketHandshakeException). */
    TwilioCaller(URI media, @Nullable String signature) {
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (signature != null) {
            builder.header("X-Twilio-Signature", signature);
        }
        socket = builder.buildAsync(media, new Listener())
                .orTimeout(5, TimeUnit.SECONDS)
                .join();
    }

    /** {@code connected} and {@code start}, its customParameters carrying {@code token}. */
    void start(String token) {
        CallFacts call = new CallFacts(
                "it", "+14155550100", "+15551230000", "echo", "PCMU", 8000, "inbound", Map.of("token", token));
        for (Object message : twilio.start(call, null)) {
            send((String) message);
        }
    }

    /** Streams {@code frames} 20 ms frames of {@code frame(i)} at real time; returns when the last is sent. */
    void stream(int frames, IntFunction<short[]> frame) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        int[] next = {0};
        var task = pace.scheduleAtFixedRate(
                () -> {
                    if (next[0] >= frames) {
                        done.complete(null);
                        return;
                    }
                    send((String) twilio.media(frame.apply(next[0]++)));
                },
                0,
                20,
                TimeUnit.MILLISECONDS);
        try {
            done.get(frames * 20L + 5000, TimeUnit.MILLISECONDS);
        } finally {
            task.cancel(false);
        }
    }

    void dtmf(char digit) {
        send(twilio.dtmf(new DtmfEvent(digit, 0, DtmfEvent.Method.RFC4733)));
    }

    void stop() {
        send(twilio.stop("caller hung up"));
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** The media messages received so far. */
    List<Received> media() {
        return received.stream()
                .filter(r -> r.message().path("event").asText().equals("media"))
                .toList();
    }

    /** The audio received so far, decoded to 8 kHz PCM. */
    short[] heard() {
        List<short[]> parts = new ArrayList<>();
        int total = 0;
        for (Received r : media()) {
            byte[] ulaw = Base64.getDecoder()
                    .decode(r.message().path("media").path("payload").asText());
            short[] pcm = new short[ulaw.length];
            G711.decodeUlaw(ulaw, 0, pcm, 0, ulaw.length);
            parts.add(pcm);
            total += pcm.length;
        }
        short[] out = new short[total];
        int at = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** How the socket ended: {@code close CODE REASON} or {@code error ...}. */
    CompletableFuture<String> ended() {
        return ended;
    }

    private void send(String text) {
        socket.sendText(text, true).orTimeout(5, TimeUnit.SECONDS).join();
    }

    @Override
    public void close() {
        pace.shutdownNow();
        socket.abort();
        http.close();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    received.add(new Received(JSON.readTree(text.toString()), System.nanoTime()));
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
            ended.complete("error binary frame from the softswitch");
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
