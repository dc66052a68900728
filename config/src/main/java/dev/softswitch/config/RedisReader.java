package dev.softswitch.config;

import java.time.Duration;
import java.util.List;

/** Reads {@code redis:}: where the state shared by several instances lives. */
final class RedisReader {

    static final List<String> KEYS = List.of("url", "key_prefix", "timeout", "lease_ttl");

    private RedisReader() {}

    static RedisConfig read(MappingReader root) {
        MappingReader section = root.mapping("redis", KEYS);
        if (section.node().entries().isEmpty()) {
            return RedisConfig.NONE;
        }
        RedisConfig d = RedisConfig.NONE;
        YamlNode urlNode = section.require("url", "where Redis is, e.g. ${env:REDIS_URL} (redis://host:port[/db])");
        String raw = urlNode == null ? null : section.text("url");
        Secret url = null;
        if (raw != null && urlNode != null) {
            // A reference is resolved; a URL written in the file is fine without a password, and warned about with one.
            url = SecretResolver.isReference(raw) || raw.contains("@")
                    ? section.reader().secret(urlNode, section.field("url"))
                    : Secret.of(raw);
        }
        if (url != null && urlNode != null) {
            String problem = RedisConfig.problemWith(url.reveal()).orElse(null);
            if (problem != null) {
                section.reader().error(urlNode, section.field("url"), problem);
                url = null;
            }
        }
        String prefix = section.text("key_prefix", d.keyPrefix());
        YamlNode prefixNode = section.get("key_prefix");
        if (prefixNode != null && prefix.isBlank()) {
            section.reader().error(prefixNode, section.field("key_prefix"), "empty: give a prefix such as softswitch:");
            prefix = d.keyPrefix();
        }
        Duration timeout = section.duration("timeout", d.timeout());
        YamlNode timeoutNode = section.get("timeout");
        if (timeoutNode != null && timeout.compareTo(RedisConfig.MAX_TIMEOUT) > 0) {
            section.reader()
                    .error(
                            timeoutNode,
                            section.field("timeout"),
                            "too long: at most 10s (calls wait this long for a" + " port when Redis does not answer)");
            timeout = d.timeout();
        }
        Duration leaseTtl = section.duration("lease_ttl", d.leaseTtl());
        YamlNode ttlNode = section.get("lease_ttl");
        if (ttlNode != null && leaseTtl.compareTo(RedisConfig.MIN_LEASE_TTL) < 0) {
            section.reader().error(ttlNode, section.field("lease_ttl"), "too short: at least 3s");
            leaseTtl = d.leaseTtl();
        } else if (ttlNode != null && timeout.multipliedBy(3).compareTo(leaseTtl) >= 0) {
            section.reader()
                    .error(
                            ttlNode,
                            section.field("lease_ttl"),
                            "not more than three times redis.timeout: leases"
                                    + " are renewed every third of it, each renewal taking up to the timeout");
            leaseTtl = d.leaseTtl();
        }
        return url == null ? RedisConfig.NONE : new RedisConfig(url, prefix, timeout, leaseTtl);
    }
}
