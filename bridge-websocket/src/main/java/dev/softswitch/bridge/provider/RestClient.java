package dev.softswitch.bridge.provider;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Sends provider REST requests without blocking the caller: the JDK's HTTP client, asynchronously. Tests override {@link #send} to see the requests. */
public class RestClient implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /** Completes with the answer, or exceptionally when none came (refused, timed out). */
    public CompletableFuture<RestResponse> send(RestRequest request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri()).timeout(TIMEOUT);
        request.headers().forEach(builder::header);
        builder.method(
                request.method(),
                request.body().isEmpty()
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.bodyBytes()));
        return http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new RestResponse(r.statusCode(), r.body()));
    }

    @Override
    public void close() {
        http.close();
    }
}
