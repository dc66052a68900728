package dev.softswitch.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code trunks:}: source networks, digest credentials, routes and limits of each trunk, and how calls go out
 * through it ({@code outbound}, read by {@link OutboundReader}).
 */
final class TrunksReader {

    static final List<String> KEYS = List.of(
            "name",
            "networks",
            "username",
            "password",
            "routes",
            "max_concurrent_calls",
            "max_calls_per_second",
            "outbound");

    private TrunksReader() {}

    static List<TrunkConfig> read(MappingReader root, List<AssistantReference> references) {
        NodeReader reader = root.reader();
        List<TrunkConfig> trunks = new ArrayList<>();
        Map<String, YamlNode> names = new LinkedHashMap<>();
        List<YamlNode> items = root.list("trunks");
        for (int i = 0; i < items.size(); i++) {
            MappingReader item = reader.mapping(items.get(i), FieldPath.index("trunks", i), KEYS);
            if (item != null) {
                trunks.add(trunk(item, names, references));
            }
        }
        return trunks;
    }

    private static TrunkConfig trunk(
            MappingReader item, Map<String, YamlNode> names, List<AssistantReference> references) {
        String name =
                AssistantsReader.name(item, "name", "the trunk's name in logs and call records", "trunk name", names);
        List<CidrNetwork> networks = networks(item);
        DigestCredentials credentials = credentials(item);
        // A trunk we only call out through is never matched for incoming calls: it needs no networks, nor routes.
        boolean outbound = item.get("outbound") != null;
        if (!outbound && item.get("networks") == null && item.get("username") == null && item.get("password") == null) {
            item.reader()
                    .error(
                            item.node(),
                            item.field("networks"),
                            "required: the source networks this trunk calls from (or username and password, or both)");
        }
        Map<String, String> routes = routes(item, references, outbound);
        CallLimits limits = new CallLimits(item.limit("max_concurrent_calls"), item.limit("max_calls_per_second"));
        return new TrunkConfig(name, networks, credentials, routes, limits, OutboundReader.read(item));
    }

    private static List<CidrNetwork> networks(MappingReader item) {
        NodeReader reader = item.reader();
        List<CidrNetwork> networks = new ArrayList<>();
        List<YamlNode> nodes = item.list("networks");
        for (int n = 0; n < nodes.size(); n++) {
            String field = FieldPath.index(item.field("networks"), n);
            String text = reader.text(nodes.get(n), field);
            if (text == null) {
                continue;
            }
            try {
                networks.add(CidrNetwork.parse(text.trim()));
            } catch (IllegalArgumentException e) {
                reader.error(nodes.get(n), field, String.valueOf(e.getMessage()));
            }
        }
        return networks;
    }

    /** {@code username} and {@code password} of {@code item}: both or neither; null unless both are there and valid. */
    static @Nullable DigestCredentials credentials(MappingReader item) {
        NodeReader reader = item.reader();
        YamlNode usernameNode = item.get("username");
        YamlNode passwordNode = item.get("password");
        String username = item.text("username");
        Secret password = item.secret("password");
        if (passwordNode != null && usernameNode == null) {
            reader.error(
                    passwordNode, item.field("password"), "a password needs a username: add " + item.field("username"));
        }
        if (usernameNode != null && passwordNode == null) {
            reader.error(
                    usernameNode, item.field("username"), "a username needs a password: add " + item.field("password"));
        }
        return username != null && password != null ? new DigestCredentials(username, password) : null;
    }

    /** The routes; required, and at least one, unless {@code optional} (the trunk places calls). */
    static Map<String, String> routes(MappingReader item, List<AssistantReference> references, boolean optional) {
        NodeReader reader = item.reader();
        Map<String, String> routes = new LinkedHashMap<>();
        YamlNode node = optional
                ? item.get("routes")
                : item.require(
                        "routes", "which assistant answers which dialled number (\"default\" for any other number)");
        if (node == null) {
            return routes;
        }
        if (!(node instanceof YamlNode.Mapping mapping)) {
            reader.error(
                    node,
                    item.field("routes"),
                    "expected a mapping of dialled number to assistant id, got " + node.describe());
            return routes;
        }
        if (mapping.entries().isEmpty() && !optional) {
            reader.error(node, item.field("routes"), "at least one route is needed (\"default\" for any number)");
        }
        for (YamlNode.Entry entry : mapping.entries().values()) {
            String field = FieldPath.key(item.field("routes"), entry.key());
            if (entry.value() instanceof YamlNode.Scalar scalar && scalar.isNull()) {
                reader.error(entry.value(), field, "required: the id of the assistant that answers this number");
                continue;
            }
            String assistant = reader.text(entry.value(), field);
            if (assistant != null) {
                routes.put(entry.key(), assistant);
                references.add(new AssistantReference(assistant, entry.value(), field));
            }
        }
        return routes;
    }
}
