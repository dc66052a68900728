package dev.softswitch.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code providers:}: the public base URL, and one entry per provider with the keys {@link ProviderKind} lists,
 * its routes (checked against the assistants like a trunk's) and an optional REST base URL.
 */
final class ProvidersReader {

    static final List<String> KEYS = keys();

    private ProvidersReader() {}

    private static List<String> keys() {
        List<String> keys = new ArrayList<>();
        keys.add("public_url");
        keys.add("stall_timeout");
        keys.addAll(ProviderKind.configNames());
        return List.copyOf(keys);
    }

    static ProvidersConfig read(MappingReader root, List<AssistantReference> references) {
        MappingReader section = root.mapping("providers", KEYS);
        List<ProviderConfig> providers = new ArrayList<>();
        boolean webhooks = false;
        for (ProviderKind kind : ProviderKind.values()) {
            YamlNode node = section.get(kind.configName());
            MappingReader entry =
                    node == null ? null : section.reader().mapping(node, section.field(kind.configName()), kind.keys());
            if (entry != null) {
                providers.add(provider(kind, entry, references));
                webhooks |= kind.usesWebhooks();
            }
        }
        URI publicUrl = publicUrl(section, webhooks);
        return new ProvidersConfig(
                publicUrl, providers, section.duration("stall_timeout", ProvidersConfig.DEFAULT_STALL_TIMEOUT));
    }

    private static @Nullable URI publicUrl(MappingReader section, boolean required) {
        YamlNode node = required
                ? section.require(
                        "public_url",
                        "the https:// base URL the providers reach this softswitch at; webhook URLs are derived from it")
                : section.get("public_url");
        String text = node == null ? null : section.reader().text(node, section.field("public_url"));
        if (node == null || text == null) {
            return null;
        }
        URI url = httpUrl(section, node, "public_url", text.strip());
        if (url == null) {
            return null;
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            section.reader()
                    .error(node, section.field("public_url"), "no query or fragment: the paths are appended to it");
            return null;
        }
        if (url.getScheme().equals("http")) {
            section.reader()
                    .diagnostics()
                    .warning(
                            node,
                            section.field("public_url"),
                            "http:// and ws:// are for tests: providers call https:// webhooks and open wss:// streams");
        }
        String text2 = url.toString();
        return URI.create(text2.endsWith("/") ? text2.substring(0, text2.length() - 1) : text2);
    }

    private static ProviderConfig provider(
            ProviderKind kind, MappingReader entry, List<AssistantReference> references) {
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, Secret> secrets = new LinkedHashMap<>();
        for (String key : kind.requiredSettings()) {
            YamlNode node = entry.require(key, what(kind, key));
            String text = node == null ? null : entry.reader().text(node, entry.field(key));
            if (node != null && text != null && valid(kind, entry, node, key, text.strip())) {
                settings.put(key, text.strip());
            }
        }
        for (String key : kind.optionalSettings()) {
            YamlNode node = entry.get(key);
            String text = node == null ? null : entry.reader().text(node, entry.field(key));
            if (node != null && text != null && valid(kind, entry, node, key, text.strip())) {
                settings.put(key, text.strip());
            }
        }
        for (String key : kind.requiredSecrets()) {
            YamlNode node = entry.require(key, what(kind, key));
            Secret secret = node == null ? null : entry.reader().secret(node, entry.field(key));
            if (secret != null) {
                secrets.put(key, secret);
            }
        }
        for (String key : kind.optionalSecrets()) {
            Secret secret = entry.secret(key);
            if (secret != null) {
                secrets.put(key, secret);
            }
        }
        Map<String, String> routes = TrunksReader.routes(entry, references, true);
        URI api = null;
        YamlNode apiNode = entry.get("api_base_url");
        String apiText = apiNode == null ? null : entry.reader().text(apiNode, entry.field("api_base_url"));
        if (apiNode != null && apiText != null) {
            api = httpUrl(entry, apiNode, "api_base_url", apiText.strip());
        }
        return new ProviderConfig(kind, settings, secrets, routes, api);
    }

    /** What a required key is for, in the message that says it is missing. */
    private static String what(ProviderKind kind, String key) {
        return switch (key) {
            case "account_sid" -> "the " + kind.configName() + " account SID";
            case "auth_token" -> "the auth token that signs webhooks and authenticates REST calls";
            case "auth_id" -> "the Plivo auth ID (MA... or SA...)";
            case "public_key" -> "the base64 Ed25519 public key from the Telnyx portal, which signs webhooks";
            case "application_id" -> "the Vonage application id";
            case "signature_secret" -> "the Vonage signature secret, which signs webhooks (HS256)";
            case "api_key" ->
                kind == ProviderKind.TELNYX
                        ? "the Telnyx API key (Call Control commands answer and place calls)"
                        : "the Exotel API key";
            case "api_token" -> "the Exotel API token";
            case "port" -> "the TCP port Asterisk connects to";
            default -> key;
        };
    }

    private static boolean valid(ProviderKind kind, MappingReader entry, YamlNode node, String key, String text) {
        String problem =
                switch (key) {
                    case "port" -> {
                        Integer port = entry.reader().port(node, entry.field(key), null);
                        yield port == null ? "" : null;
                    }
                    case "sample_rate" -> text.equals("8000") || text.equals("16000") ? null : "8000 or 16000";
                    case "public_key" -> ed25519(text);
                    default -> text.isEmpty() ? "must not be empty" : null;
                };
        if (problem != null && !problem.isEmpty()) {
            entry.reader().error(node, entry.field(key), problem);
        }
        return problem == null;
    }

    private static @Nullable String ed25519(String text) {
        try {
            return Base64.getDecoder().decode(text).length == 32
                    ? null
                    : "an Ed25519 public key is 32 bytes in base64 (44 characters)";
        } catch (IllegalArgumentException e) {
            return "not base64: " + e.getMessage();
        }
    }

    private static @Nullable URI httpUrl(MappingReader entry, YamlNode node, String key, String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
                entry.reader()
                        .error(node, entry.field(key), "expected an https:// URL with a host, got \"" + text + '"');
                return null;
            }
            if (uri.getRawUserInfo() != null) {
                entry.reader().error(node, entry.field(key), "no user or password in the URL");
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            entry.reader().error(node, entry.field(key), "not a URL: " + e.getReason());
            return null;
        }
    }
}
