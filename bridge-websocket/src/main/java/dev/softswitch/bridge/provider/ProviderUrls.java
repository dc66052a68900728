package dev.softswitch.bridge.provider;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The URLs providers use to reach us, derived from the one public base URL ({@code providers.public_url}): webhooks
 * under {@code /providers/NAME/...} over https, media sockets over wss. A path prefix in the base URL is kept (a proxy
 * that strips it forwards {@code /providers/...} to us); signatures are checked against these URLs, not the address
 * the request reached us on.
 */
public final class ProviderUrls {

    /** Where every provider endpoint lives on our HTTP port. */
    public static final String PREFIX = "/providers/";

    private final String base;

    /** @param publicUrl {@code https://host[:port][/prefix]}, without a query */
    public ProviderUrls(URI publicUrl) {
        String text = publicUrl.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    /** {@code BASE/providers/NAME/ENDPOINT}, e.g. the answer webhook {@code .../providers/twilio/incoming}. */
    public URI endpoint(String provider, String endpoint) {
        return URI.create(base + PREFIX + provider + "/" + endpoint);
    }

    /** The media socket's URL: {@code wss://...} (or {@code ws://} when the base is plain http, for tests). */
    public URI media(String provider) {
        return URI.create(webSocket(base) + PREFIX + provider + "/media");
    }

    /** The URL a provider requested, given the path we received it on and its raw query. */
    public URI seen(String path, @Nullable String rawQuery) {
        return URI.create(base + path + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery));
    }

    /** {@code https://} as {@code wss://}, {@code http://} as {@code ws://}. */
    public static String webSocket(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://")) {
            return "wss://" + url.substring(8);
        }
        return lower.startsWith("http://") ? "ws://" + url.substring(7) : url;
    }

    /**
     * The URL as given, and with its default port added (when it has none) or removed (when it has it): what a
     * provider signed may have had either, behind a proxy (twilio-python's validator accepts both).
     */
    public static List<String> portVariants(String url) {
        List<String> variants = new ArrayList<>();
        variants.add(url);
        int schemeEnd = url.indexOf("://");
        if (schemeEnd < 0) {
            return variants;
        }
        String scheme = url.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        int defaultPort = scheme.equals("https") || scheme.equals("wss") ? 443 : 80;
        int start = schemeEnd + 3;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        String authority = url.substring(start, end);
        int bracket = authority.lastIndexOf(']');
        int colon = authority.lastIndexOf(':');
        String rest = url.substring(end);
        String prefix = url.substring(0, start);
        if (colon > bracket) {
            String port = authority.substring(colon + 1);
            if (port.equals(Integer.toString(defaultPort))) {
                variants.add(prefix + authority.substring(0, colon) + rest);
            }
        } else {
            variants.add(prefix + authority + ":" + defaultPort + rest);
        }
        return variants;
    }

    @Override
    public String toString() {
        return base;
    }
}
