package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softswitch.assistant.CallFacts;
import dev.softswitch.bridge.assistant.twilio.TwilioDialect;
import dev.softswitch.bridge.provider.Forms;
import dev.softswitch.bridge.provider.twilio.TwilioSignature;
import dev.softswitch.codecs.ToneGenerator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A provider whose media client freezes: Twilio's side of a Media Stream, played on a plain socket with a receive
 * buffer of a few KB, sends {@code connected}, {@code start} and a 1 kHz tone every 20 ms to the echo assistant, and
 * never reads what comes back. Our echo backs up; the softswitch drops rather than queues it, and after
 * {@code providers.stall_timeout} ends the call as {@code stream_stalled} and closes the connection without waiting on
 * the peer: nothing is left (no provider call, /health at zero).
 */
class FrozenStreamIT extends ProviderItBase {

    @Override
    String providerSettings() {
        return "  stall_timeout: 3s";
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aTwilioStreamThatStopsReadingIsEndedAndClosed() throws Exception {
        HttpResponse<String> answer = webhook(voice("CA0FROZEN", "+15551230000"));
        assertThat(answer.statusCode()).isEqualTo(200);
        Matcher m = TOKEN.matcher(answer.body());
        assertThat(m.find()).as(answer.body()).isTrue();
        String token = m.group(1);

        URI media = URI.create("ws://127.0.0.1:" + URI.create(base).getPort() + "/providers/twilio/media");
        TwilioDialect twilio = new TwilioDialect(Map.of());
        long opened = System.nanoTime();
        try (FrozenPeer peer = FrozenPeer.client(media)) {
            assertThat(peer.receiveBuffer())
                    .as("the frozen peer's receive buffer")
                    .isLessThan(16 * 1024);
            CallFacts facts = new CallFacts(
                    "it", "+14155550100", "+15551230000", "echo", "PCMU", 8000, "inbound", Map.of("token", token));
            for (Object message : twilio.start(facts, null)) {
                peer.sendText((String) message);
            }
            // The caller talks on, at real time, for at most 60 s or until the softswitch closes the connection.
            ToneGenerator tone = new ToneGenerator(1000, 8000, 0.5);
            CompletableFuture<Integer> sent = CompletableFuture.supplyAsync(() -> {
                int frames = 0;
                long next = System.nanoTime();
                try {
                    for (; frames < 3000; frames++) {
                        peer.sendText((String) twilio.media(tone.next(160)));
                        next += 20_000_000L;
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                    }
                } catch (IOException | InterruptedException e) {
                    // the softswitch closed the connection
                }
                return frames;
            });
            await().atMost(LIMIT).until(() -> activeCalls() == 1);

            JsonNode record = records.awaitNext("echo", 0, Duration.ofSeconds(60));
            Duration lasted = Duration.ofNanos(System.nanoTime() - opened);
            assertThat(record.path("trunk").asText()).isEqualTo("twilio");
            assertThat(record.path("ended_by").asText()).isEqualTo("softswitch");
            assertThat(record.path("reason").asText()).isEqualTo("stream_stalled");
            assertThat(record.path("detail").asText())
                    .startsWith("the twilio stream stopped reading: over 64 KiB unsent for 3 s");
            // Filling 64 KiB (and the kernel's buffers) with 8 kHz mu-law as JSON takes some seconds, then 3 s more.
            assertThat(lasted).as("from the stream's start to its end").isLessThan(Duration.ofSeconds(60));
            await().atMost(LIMIT).until(() -> activeCalls() == 0);
            assertThat(metrics()).contains("softswitch_provider_calls_active{provider=\"twilio\"} 0.0");

            int frames = sent.get(15, TimeUnit.SECONDS);
            assertThat(frames).as("the peer's writes failed once we closed").isLessThan(3000);
            FrozenPeer.Drained drained = peer.drain(Duration.ofSeconds(10));
            assertThat(drained.ended())
                    .as("the softswitch closed the connection")
                    .isTrue();
            // Our close frame (1008 "not reading") waits behind the backlog and is dropped with it after the close
            // limit: a peer that does not read cannot see it. If it did get through, it says 1008.
            assertThat(drained.closeCodes()).allSatisfy(code -> assertThat(code).isEqualTo(1008));
        }
    }

    private int activeCalls() throws Exception {
        String body = client.send(
                        HttpRequest.newBuilder(URI.create(base + "/health"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher m = Pattern.compile("\"activeCalls\":(\\d+)").matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private String metrics() throws Exception {
        return client.send(
                        HttpRequest.newBuilder(URI.create(base + "/metrics"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static Map<String, List<String>> voice(String callSid, String to) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("CallSid", List.of(callSid));
        params.put("AccountSid", List.of(SID));
        params.put("From", List.of("+14155550100"));
        params.put("To", List.of(to));
        params.put("CallStatus", List.of("ringing"));
        params.put("Direction", List.of("inbound"));
        return params;
    }

    private HttpResponse<String> webhook(Map<String, List<String>> params) throws Exception {
        String path = "/providers/twilio/incoming";
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        params.forEach((k, vs) -> vs.forEach(v -> pairs.add(Map.entry(k, v))));
        return client.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(5))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("X-Twilio-Signature", TwilioSignature.compute(AUTH, base + path, params))
                        .POST(HttpRequest.BodyPublishers.ofString(Forms.encode(pairs)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
