package dev.softswitch.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads {@code assistants:}, the one section without a default. */
final class AssistantsReader {

    static final List<String> KEYS =
            List.of("id", "kind", "greeting", "error_message", "idle_timeout", "max_duration", "api_keys");

    /** Names that end up in SIP URIs ({@code sip:id:key@host}) and vault keys ({@code assistant:id:...}). */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

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
        return new AssistantConfig(id, kind, greeting, errorMessage, idle, max, apiKeys);
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
