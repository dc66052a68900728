package dev.softswitch.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softswitch.app.metrics.SoftswitchMetrics;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP port over a real socket on 127.0.0.1, with meters over values the test controls. */
class HttpServerIT {

    private final AtomicInteger activeCalls = new AtomicInteger();
    private final AtomicLong botsOpened = new AtomicLong();
    private final HttpClient client = HttpClient.newHttpClient();
    private SoftswitchMetrics metrics;
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        metrics = new SoftswitchMetrics()
                .calls(activeCalls::get, () -> Map.of("completed", 3L), () -> 0)
                .bots(botsOpened::get, () -> 0);
        server = HttpServer.start(InetAddress.getLoopbackAddress(), 0, activeCalls::get, metrics::scrape);
    }

    @AfterEach
    void stop() {
        server.close();
        metrics.close();
    }

    @Test
    void metricsAreInThePrometheusTextFormatAndReadWhenScraped() throws Exception {
        HttpResponse<String> first = get("/metrics");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(first.body())
                .contains("# HELP softswitch_calls_active Calls in progress")
                .contains("# TYPE softswitch_calls_active gauge")
                .contains("softswitch_calls_active 0.0")
                .contains("# TYPE softswitch_calls_ended_total counter")
                .contains("softswitch_calls_ended_total{result=\"completed\"} 3.0")
                .contains("softswitch_bot_connections_opened_total 0.0")
                .contains("# TYPE jvm_memory_used_bytes gauge");

        activeCalls.set(4);
        botsOpened.set(9);
        HttpResponse<String> second = get("/metrics?x=1");

        assertThat(second.body())
                .contains("softswitch_calls_active 4.0")
                .contains("softswitch_bot_connections_opened_total 9.0");
    }

    @Test
    void healthIsUnchanged() throws Exception {
        activeCalls.set(2);
        HttpResponse<String> health = get("/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(health.body()).isEqualTo("{\"status\":\"up\",\"activeCalls\":2}\n");
    }

    @Test
    void otherPathsAre404AndOtherMethods405() throws Exception {
        HttpResponse<String> missing = get("/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("GET /health").contains("GET /metrics");

        for (String path : new String[] {"/metrics", "/health"}) {
            HttpResponse<String> post = client.send(
                    HttpRequest.newBuilder(url(path))
                            .POST(HttpRequest.BodyPublishers.ofString("x"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).as(path).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).as(path).hasValue("GET, HEAD");
            assertThat(post.body()).as(path).contains(path + " takes GET or HEAD");
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(url(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
