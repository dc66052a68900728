package dev.softswitch.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Reads {@code assistants:}, the one section without a default. */
final class AssistantsReader {

    static final List<String> KEYS = List.of(
            "id",
            "kind",
            "greeting",
            "error_message",
            "idle_timeout",
            "max_duration",
            "api_keys",
            "record",
            // kind: websocket
            "url",
            "dialect",
            "sample_rate",
            "parameters",
            "headers",
            "token",
            "connect_timeout",
            "stall_timeout",
            // kind: openai-realtime (and url)
            "api_key",
            "model",
            "voice",
            "instructions");

    /** The keys that belong to one kind only, and that kind. */
    private static final Map<String, AssistantKind> KIND_KEYS = Map.ofEntries(
            Map.entry("dialect", AssistantKind.WEBSOCKET),
            Map.entry("sample_rate", AssistantKind.WEBSOCKET),
            Map.entry("parameters", AssistantKind.WEBSOCKET),
            Map.entry("headers", AssistantKind.WEBSOCKET),
            Map.entry("token", AssistantKind.WEBSOCKET),
            Map.entry("connect_timeout", AssistantKind.WEBSOCKET),
            Map.entry("stall_timeout", AssistantKind.WEBSOCKET),
            Map.entry("api_key", AssistantKind.OPENAI_REALTIME),
            Map.entry("model", AssistantKind.OPENAI_REALTIME),
            Map.entry("voice", AssistantKind.OPENAI_REALTIME),
            Map.entry("instructions", AssistantKind.OPENAI_REALTIME));

    /** Names that end up in SIP URIs ({@code sip:id:key@host}) and vault keys ({@code assistant:id:...}). */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** RFC 9110 5.1: a header name is a token. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    static final String NAME_RULE = "letters, digits, '.', '_' and '-', starting with a letter or digit";

    private AssistantsReader() {}

    static List<AssistantConfig> read(MappingReader root) {
        NodeReader reader = root.reader();
        YamlNode section = root.get("assistants");
        String kinds = String.join(", ", AssistantKind.configNames());
        if (section == null) {
            reader.error(root.node(), "assistants", "required: at least one assistant (kinds: " + kinds + ")");
            return List.of();
        }
        List<YamlNode> items = root.list("assistants");
        if (items.isEmpty() && section instanceof YamlNode.Sequence) {
            reader.error(section, "assistants", "at least one assistant is needed (kinds: " + kinds + ")");
        }
        List<AssistantConfig> assistants = new ArrayList<>();
        Map<String, YamlNode> ids = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            MappingReader item = reader.mapping(items.get(i), FieldPath.index("assistants", i), KEYS);
            if (item != null) {
                assistants.add(assistant(item, ids));
            }
        }
        return assistants;
    }

    private static AssistantConfig assistant(MappingReader item, Map<String, YamlNode> ids) {
        NodeReader reader = item.reader();
        String id = name(item, "id", "the name routes and sip:ID:KEY@host URIs use", "assistant id", ids);
        AssistantKind kind = AssistantKind.ECHO;
        YamlNode kindNode = item.require("kind", "what the assistant is (" + kindList() + ")");
        String kindText = kindNode == null ? null : reader.text(kindNode, item.field("kind"));
        if (kindNode != null && kindText != null) {
            Optional<AssistantKind> known = AssistantKind.fromConfigName(kindText);
            if (known.isPresent()) {
                kind = known.get();
            } else {
                reader.error(
                        kindNode,
                        item.field("kind"),
                        "unknown kind \"" + kindText + "\" (known kinds: " + kindList() + ")");
            }
        }
        String greeting = item.text("greeting");
        String errorMessage = item.text("error_message", AssistantConfig.DEFAULT_ERROR_MESSAGE);
        Duration idle = item.duration("idle_timeout", AssistantConfig.DEFAULT_IDLE_TIMEOUT);
        Duration max = item.duration("max_duration", AssistantConfig.DEFAULT_MAX_DURATION);
        List<Secret> apiKeys = new ArrayList<>();
        List<YamlNode> keyNodes = item.secretList("api_keys");
        for (int k = 0; k < keyNodes.size(); k++) {
            Secret key = reader.secret(keyNodes.get(k), FieldPath.index(item.field("api_keys"), k));
            if (key != null) {
                apiKeys.add(key);
            }
        }
        boolean record = item.flag("record");
        for (Map.Entry<String, AssistantKind> only : KIND_KEYS.entrySet()) {
            YamlNode node = item.get(only.getKey());
            if (node != null && kind != only.getValue() && kindNode != null && kindText != null) {
                reader.error(
                        node,
                        item.field(only.getKey()),
                        "applies to kind " + only.getValue().configName() + " only, not " + kind.configName());
            }
        }
        BotConnection bot = null;
        RealtimeModel realtime = null;
        if (kind == AssistantKind.WEBSOCKET) {
            bot = bot(item);
        } else if (kind == AssistantKind.OPENAI_REALTIME) {
            realtime = realtime(item);
        } else if (item.get("url") != null && kindNode != null && kindText != null) {
            reader.error(item.get("url"), item.field("url"), "applies to kinds websocket and openai-realtime only");
        }
        return new AssistantConfig(id, kind, greeting, errorMessage, idle, max, apiKeys, bot, realtime, record);
    }

    private static BotConnection bot(MappingReader item) {
        NodeReader reader = item.reader();
        URI url = url(item, item.require("url", "where the bot listens (ws:// or wss://)"));
        String dialect = item.text("dialect", "twilio");
        if (!BotConnection.DIALECTS.contains(dialect)) {
            reader.error(
                    item.get("dialect"),
                    item.field("dialect"),
                    "unknown dialect \"" + dialect + "\" (known: " + String.join(", ", BotConnection.DIALECTS) + ")");
        }
        int rate = BotConnection.DEFAULT_SAMPLE_RATE;
        YamlNode rateNode = item.get("sample_rate");
        if (rateNode != null) {
            Long value = reader.integer(rateNode, item.field("sample_rate"), "a sample rate (8000, 16000 or 24000)");
            if (value != null && value != 8000 && value != 16000 && value != 24000) {
                reader.error(rateNode, item.field("sample_rate"), "must be 8000, 16000 or 24000, not " + value);
            } else if (value != null) {
                rate = value.intValue();
            }
            if ("twilio".equals(dialect)) {
                reader.error(
                        rateNode,
                        item.field("sample_rate"),
                        "the twilio dialect is always 8000 Hz mu-law; sample_rate is for dialect audio");
            }
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        YamlNode paramNode = item.get("parameters");
        if (paramNode instanceof YamlNode.Mapping mapping) {
            for (YamlNode.Entry entry : mapping.entries().values()) {
                String value = reader.text(entry.value(), FieldPath.key(item.field("parameters"), entry.key()));
                if (value != null) {
                    parameters.put(entry.key(), value);
                }
            }
        } else if (paramNode != null) {
            reader.error(
                    paramNode,
                    item.field("parameters"),
                    "expected a mapping of name to value, got " + paramNode.describe());
        }
        Map<String, Secret> headers = new LinkedHashMap<>();
        YamlNode headerNode = item.get("headers");
        if (headerNode instanceof YamlNode.Mapping mapping) {
            for (YamlNode.Entry entry : mapping.entries().values()) {
                String field = FieldPath.key(item.field("headers"), entry.key());
                if (!HEADER_NAME.matcher(entry.key()).matches()) {
                    reader.error(entry.value(), field, "\"" + entry.key() + "\" is not a valid HTTP header name");
                }
                Secret value = reader.secret(entry.value(), field);
                if (value != null) {
                    headers.put(entry.key(), value);
                }
            }
        } else if (headerNode != null) {
            reader.error(
                    headerNode,
                    item.field("headers"),
                    "expected a mapping of header name to value, got " + headerNode.describe());
        }
        Secret token = item.secret("token");
        if (token != null) {
            if (headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Authorization"))) {
                reader.error(
                        item.get("token"),
                        item.field("token"),
                        "give either token or an Authorization header, not both");
            }
            headers.put("Authorization", Secret.of("Bearer " + token.reveal()));
        }
        Duration connect = item.duration("connect_timeout", BotConnection.DEFAULT_CONNECT_TIMEOUT);
        Duration stall = item.duration("stall_timeout", BotConnection.DEFAULT_STALL_TIMEOUT);
        return new BotConnection(
                url == null ? URI.create("ws://invalid") : url, dialect, rate, parameters, headers, connect, stall);
    }

    private static RealtimeModel realtime(MappingReader item) {
        YamlNode urlNode = item.get("url");
        URI url = urlNode == null ? RealtimeModel.DEFAULT_URL : url(item, urlNode);
        item.require("api_key", "the OpenAI API key, as ${env:OPENAI_API_KEY} or ${file:/path}");
        Secret key = item.secret("api_key");
        return new RealtimeModel(
                url == null ? RealtimeModel.DEFAULT_URL : url,
                key == null ? Secret.of("") : key,
                item.text("model", RealtimeModel.DEFAULT_MODEL),
                item.text("voice", RealtimeModel.DEFAULT_VOICE),
                item.text("instructions"));
    }

    private static @Nullable URI url(MappingReader item, @Nullable YamlNode node) {
        if (node == null) {
            return null;
        }
        String text = item.reader().text(node, item.field("url"));
        if (text == null) {
            return null;
        }
        try {
            URI uri = new URI(text.trim());
            if (!"ws".equalsIgnoreCase(uri.getScheme()) && !"wss".equalsIgnoreCase(uri.getScheme())
                    || uri.getHost() == null) {
                item.reader()
                        .error(
                                node,
                                item.field("url"),
                                "expected a ws:// or wss:// URL with a host, got \"" + text + '"');
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            item.reader().error(node, item.field("url"), "not a URL: " + e.getReason());
            return null;
        }
    }

    private static String kindList() {
        return String.join(", ", AssistantKind.configNames());
    }

    /**
     * A required, unique name ({@code id} of an assistant, {@code name} of a trunk): reports a missing, malformed or
     * repeated one, and returns it (or "" when missing) so the walk goes on.
     *
     * @param what how a duplicate is described, such as {@code assistant id}
     * @param seen the names so far, with their nodes; this one is added
     */
    static String name(MappingReader item, String key, String why, String what, Map<String, YamlNode> seen) {
        NodeReader reader = item.reader();
        YamlNode node = item.require(key, why);
        String name = node == null ? null : reader.text(node, item.field(key));
        if (node == null || name == null) {
            return "";
        }
        if (!NAME.matcher(name).matches()) {
            reader.error(node, item.field(key), '"' + name + "\" is not a valid name (" + NAME_RULE + ")");
        }
        unique(reader, node, item.field(key), what, name, seen);
        return name;
    }

    /** Reports {@code name} when it was seen before, pointing at the first one; else remembers it. */
    static void unique(
            NodeReader reader, YamlNode node, String field, String what, String name, Map<String, YamlNode> seen) {
        YamlNode first = seen.putIfAbsent(name, node);
        if (first != null) {
            reader.error(node, field, "duplicate " + what + " \"" + name + "\" (first at line " + first.line() + ")");
        }
    }
}
