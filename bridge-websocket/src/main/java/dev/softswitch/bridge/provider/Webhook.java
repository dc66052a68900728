package dev.softswitch.bridge.provider;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One request a provider sent us (a webhook, or the upgrade request of a media socket), as the provider saw it: the
 * URL is the public one it called (the configured public URL plus our path and query), which is what signatures are
 * computed over. Immutable; the body is copied in and out.
 */
public final class Webhook {

    private final String method;
    private final URI url;
    private final Map<String, String> headers;
    private final byte[] body;

    /** @param headers header names in any case; a repeated header keeps its first value */
    public Webhook(String method, URI url, Map<String, String> headers, byte[] body) {
        this.method = method.toUpperCase(Locale.ROOT);
        this.url = url;
        Map<String, String> lower = new LinkedHashMap<>();
        headers.forEach((name, value) -> lower.putIfAbsent(name.toLowerCase(Locale.ROOT), value));
        this.headers = Map.copyOf(lower);
        this.body = body.clone();
    }

    public String method() {
        return method;
    }

    /** The URL the provider requested, query included. */
    public URI url() {
        return url;
    }

    /** A header's value, by name in any case. */
    public @Nullable String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public byte[] body() {
        return body.clone();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Whether the body is a form ({@code application/x-www-form-urlencoded}). */
    public boolean isForm() {
        String type = header("content-type");
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    public boolean isJson() {
        String type = header("content-type");
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json");
    }

    public Map<String, List<String>> query() {
        return Forms.parse(url.getRawQuery());
    }

    /** The form body's parameters; empty when the body is no form. */
    public Map<String, List<String>> form() {
        return isForm() ? Forms.parse(bodyText()) : Map.of();
    }

    /** A parameter's first value, from the form body, else the query; null when neither has it. */
    public @Nullable String param(String name) {
        List<String> values = form().get(name);
        if (values == null) {
            values = query().get(name);
        }
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public String toString() {
        return method + " " + url.getRawPath(); // never the query or body: they may carry tokens
    }
}
