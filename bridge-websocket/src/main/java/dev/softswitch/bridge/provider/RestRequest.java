package dev.softswitch.bridge.provider;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * A request to a provider's REST API, built by its plugin without any I/O so that tests can assert it exactly.
 *
 * @param method {@code POST}, {@code PUT}, {@code DELETE}
 * @param uri the full URL
 * @param headers header name to value, in the order sent; {@code Authorization} among them (never logged)
 * @param body the body, UTF-8 (empty for none)
 */
public record RestRequest(String method, URI uri, Map<String, String> headers, String body) {

    public RestRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
        Objects.requireNonNull(body, "body");
    }

    public byte[] bodyBytes() {
        return body.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return method + " " + uri; // headers carry credentials
    }
}
