package dev.softswitch.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads {@code pbx_users:}: who may register, with what password, and which assistant answers their calls. */
final class PbxUsersReader {

    static final List<String> KEYS = List.of("username", "password", "assistant");

    /** RFC 3261 25.1 user part characters, less the ones that would need escaping. */
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._~!$&'()*+,;=?/-]{1,64}");

    private PbxUsersReader() {}

    static List<PbxUserConfig> read(MappingReader root, List<AssistantReference> references) {
        NodeReader reader = root.reader();
        List<PbxUserConfig> users = new ArrayList<>();
        Map<String, YamlNode> usernames = new LinkedHashMap<>();
        List<YamlNode> items = root.list("pbx_users");
        for (int i = 0; i < items.size(); i++) {
            MappingReader item = reader.mapping(items.get(i), FieldPath.index("pbx_users", i), KEYS);
            if (item != null) {
                users.add(user(item, usernames, references));
            }
        }
        return users;
    }

    private static PbxUserConfig user(
            MappingReader item, Map<String, YamlNode> usernames, List<AssistantReference> references) {
        NodeReader reader = item.reader();
        String username = "";
        YamlNode usernameNode = item.require("username", "the name the PBX registers and authenticates with");
        String text = usernameNode == null ? null : reader.text(usernameNode, item.field("username"));
        if (usernameNode != null && text != null) {
            username = text;
            if (!USERNAME.matcher(text).matches()) {
                reader.error(
                        usernameNode,
                        item.field("username"),
                        '"' + text + "\" is not a SIP username (no spaces, ':', '@' or '%'; at most 64 characters)");
            }
            AssistantsReader.unique(reader, usernameNode, item.field("username"), "PBX username", text, usernames);
        }
        YamlNode passwordNode = item.require("password", "the digest password, as ${env:NAME} or ${file:/path}");
        Secret password = passwordNode == null ? null : reader.secret(passwordNode, item.field("password"));
        String assistant = "";
        YamlNode assistantNode = item.require("assistant", "the id of the assistant that answers this user's calls");
        String assistantText = assistantNode == null ? null : reader.text(assistantNode, item.field("assistant"));
        if (assistantNode != null && assistantText != null) {
            assistant = assistantText;
            references.add(new AssistantReference(assistant, assistantNode, item.field("assistant")));
        }
        return new PbxUserConfig(username, password != null ? password : Secret.of(""), assistant);
    }
}
