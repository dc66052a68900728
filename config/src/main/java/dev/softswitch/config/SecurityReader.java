package dev.softswitch.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code security:}: limits and bans per source address, scanner user agents, hidden mode. */
final class SecurityReader {

    static final List<String> KEYS = List.of(
            "max_message_bytes",
            "requests_per_second",
            "request_burst",
            "max_auth_failures",
            "auth_failure_window",
            "ban_time",
            "scanner_user_agents",
            "hidden",
            "exempt",
            "digest_algorithms");

    private SecurityReader() {}

    static SecurityConfig read(MappingReader root) {
        MappingReader section = root.mapping("security", KEYS);
        SecurityConfig d = SecurityConfig.DEFAULTS;
        int maxBytes = count(section, "max_message_bytes", d.maxMessageBytes());
        if (maxBytes < SecurityConfig.MIN_MESSAGE_BYTES || maxBytes > SecurityConfig.MAX_MESSAGE_BYTES) {
            YamlNode node = section.get("max_message_bytes");
            if (node != null) {
                section.reader()
                        .error(
                                node,
                                section.field("max_message_bytes"),
                                maxBytes + " is not a message size (" + SecurityConfig.MIN_MESSAGE_BYTES + "-"
                                        + SecurityConfig.MAX_MESSAGE_BYTES + " bytes)");
            }
            maxBytes = d.maxMessageBytes();
        }
        int rate = count(section, "requests_per_second", d.requestsPerSecond());
        int burst = count(section, "request_burst", Math.max(rate * 2, d.requestBurst()));
        if (section.get("request_burst") != null && rate > 0 && burst < rate) {
            YamlNode node = section.get("request_burst");
            if (node != null) {
                section.reader()
                        .error(node, section.field("request_burst"), "below requests_per_second (" + rate + ")");
            }
        }
        int failures = count(section, "max_auth_failures", d.maxAuthFailures());
        Duration window = section.duration("auth_failure_window", d.authFailureWindow());
        Duration ban = section.duration("ban_time", d.banTime());
        List<String> agents = section.get("scanner_user_agents") == null
                ? d.scannerUserAgents()
                : texts(section, "scanner_user_agents");
        boolean hidden = section.flag("hidden");
        List<CidrNetwork> exempt = section.get("exempt") == null ? d.exempt() : networks(section, "exempt");
        List<String> algorithms = section.get("digest_algorithms") == null ? d.digestAlgorithms() : algorithms(section);
        return new SecurityConfig(maxBytes, rate, burst, failures, window, ban, agents, hidden, exempt, algorithms);
    }

    /** {@code digest_algorithms}: a non-empty list of known algorithms, each once, in the order to challenge with. */
    private static List<String> algorithms(MappingReader section) {
        List<String> out = new ArrayList<>();
        List<YamlNode> nodes = section.list("digest_algorithms");
        for (int n = 0; n < nodes.size(); n++) {
            String field = FieldPath.index(section.field("digest_algorithms"), n);
            String text = section.reader().text(nodes.get(n), field);
            if (text == null) {
                continue;
            }
            String token = SecurityConfig.DIGEST_ALGORITHMS.stream()
                    .filter(known -> known.equalsIgnoreCase(text.trim()))
                    .findFirst()
                    .orElse(null);
            if (token == null) {
                section.reader()
                        .error(nodes.get(n), field, "'" + text + "' is not a digest algorithm we know (MD5, SHA-256)");
            } else if (out.contains(token)) {
                section.reader().error(nodes.get(n), field, token + " is listed twice");
            } else {
                out.add(token);
            }
        }
        if (out.isEmpty()) {
            YamlNode node = section.get("digest_algorithms");
            if (node != null && nodes.isEmpty()) {
                section.reader().error(node, section.field("digest_algorithms"), "empty: no caller could authenticate");
            }
            return SecurityConfig.DIGEST_ALGORITHMS;
        }
        return out;
    }

    private static int count(MappingReader section, String key, int fallback) {
        return section.get(key) == null ? fallback : section.limit(key);
    }

    private static List<String> texts(MappingReader section, String key) {
        List<String> out = new ArrayList<>();
        List<YamlNode> nodes = section.list(key);
        for (int n = 0; n < nodes.size(); n++) {
            String field = FieldPath.index(section.field(key), n);
            String text = section.reader().text(nodes.get(n), field);
            if (text == null) {
                continue;
            }
            if (text.isBlank()) {
                section.reader().error(nodes.get(n), field, "empty: it would match every user agent");
                continue;
            }
            out.add(text.trim());
        }
        return out;
    }

    private static List<CidrNetwork> networks(MappingReader section, String key) {
        List<CidrNetwork> out = new ArrayList<>();
        List<YamlNode> nodes = section.list(key);
        for (int n = 0; n < nodes.size(); n++) {
            String field = FieldPath.index(section.field(key), n);
            String text = section.reader().text(nodes.get(n), field);
            if (text == null) {
                continue;
            }
            try {
                out.add(CidrNetwork.parse(text.trim()));
            } catch (IllegalArgumentException e) {
                section.reader().error(nodes.get(n), field, String.valueOf(e.getMessage()));
            }
        }
        return out;
    }
}
