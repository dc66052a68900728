package dev.softswitch.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Redis shared by several instances ({@code redis:}): the RTP port pool and the call contexts live there instead of in
 * the process. Without a URL the softswitch keeps both in memory.
 *
 * @param url {@code redis://[:password@]host[:port][/db]} (or {@code rediss://} for TLS); a secret, since it may carry
 *     a password. Null: Redis is not used.
 * @param keyPrefix prepended to every key, so that several deployments can share one Redis
 * @param timeout the longest any one Redis command may take before the call that needed it gets 503
 * @param leaseTtl how long an RTP port lease lasts unless its instance renews it (every third of it): how long a
 *     crashed instance's ports stay taken
 */
public record RedisConfig(@Nullable Secret url, String keyPrefix, Duration timeout, Duration leaseTtl) {

    public static final String DEFAULT_KEY_PREFIX = "softswitch:";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(30);
    public static final Duration MIN_LEASE_TTL = Duration.ofSeconds(3);
    public static final Duration MAX_TIMEOUT = Duration.ofSeconds(10);

    /** No {@code redis:} section: everything in memory. */
    public static final RedisConfig NONE =
            new RedisConfig(null, DEFAULT_KEY_PREFIX, DEFAULT_TIMEOUT, DEFAULT_LEASE_TTL);

    public RedisConfig {
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(leaseTtl, "leaseTtl");
    }

    /** Whether Redis is used. */
    public boolean enabled() {
        return url != null;
    }

    /** The same settings with another URL ({@code --redis} on the command line wins over the file's). */
    public RedisConfig withUrl(Secret url) {
        return new RedisConfig(url, keyPrefix, timeout, leaseTtl);
    }

    /**
     * What is wrong with {@code url} as a Redis URL, or empty when nothing is. The message never repeats the URL, which
     * may carry a password.
     */
    public static Optional<String> problemWith(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            return Optional.of("not a URL (write redis://host:port, or redis://:password@host:port/db)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            return Optional.of("not a redis:// or rediss:// URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("names no host (write redis://host:port)");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            return Optional.of("its port is not a port (1-65535)");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (!path.isEmpty() && !path.equals("/") && !path.matches("/[0-9]{1,2}")) {
            return Optional.of("its path is not a database number (redis://host:port/0 to /15)");
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            return Optional.of("has a query or fragment: give scheme, password, host, port and database only");
        }
        return Optional.empty();
    }

    /** Where {@code url} points, for a log line: {@code host:port/db}, without any password. */
    public static String location(String url) {
        try {
            URI uri = new URI(url.trim());
            String path = uri.getPath() == null || uri.getPath().length() <= 1 ? "" : uri.getPath();
            return uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort()) + path;
        } catch (URISyntaxException e) {
            return "(unreadable URL)";
        }
    }
}
