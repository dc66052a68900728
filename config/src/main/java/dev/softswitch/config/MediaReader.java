package dev.softswitch.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@code rtp:} (the port range) and {@code codecs:} (the preference list). */
final class MediaReader {

    static final List<String> RTP_KEYS = List.of("ports");

    private static final Pattern RANGE = Pattern.compile("\\s*([0-9]{1,9})\\s*-\\s*([0-9]{1,9})\\s*");
    private static final int LOWEST_RTP_PORT = 1024;

    private MediaReader() {}

    static RtpConfig rtp(MappingReader rtp) {
        YamlNode node = rtp.get("ports");
        if (node == null) {
            return RtpConfig.DEFAULTS;
        }
        String field = rtp.field("ports");
        NodeReader reader = rtp.reader();
        String text = node instanceof YamlNode.Scalar ? reader.text(node, field) : null;
        if (text == null) {
            if (!(node instanceof YamlNode.Scalar)) {
                reader.error(node, field, "expected a port range such as 10000-20000, got " + node.describe());
            }
            return RtpConfig.DEFAULTS;
        }
        Matcher m = RANGE.matcher(text);
        if (!m.matches()) {
            reader.error(node, field, '"' + text + "\" is not a port range (write LOW-HIGH, such as 10000-20000)");
            return RtpConfig.DEFAULTS;
        }
        int low = Integer.parseInt(m.group(1));
        int high = Integer.parseInt(m.group(2));
        if (low < LOWEST_RTP_PORT || high > 65535) {
            reader.error(node, field, '"' + text + "\" is not a port range (RTP ports are within 1024-65535)");
        } else if (low >= high) {
            reader.error(node, field, '"' + text + "\" is not a port range (LOW must be below HIGH)");
        } else {
            return new RtpConfig(new PortRange(low, high));
        }
        return RtpConfig.DEFAULTS;
    }

    static List<String> codecs(MappingReader root) {
        YamlNode node = root.get("codecs");
        if (node == null) {
            return SoftswitchConfig.DEFAULT_CODECS;
        }
        NodeReader reader = root.reader();
        List<YamlNode> items = root.list("codecs");
        List<String> codecs = new ArrayList<>();
        String known = String.join(", ", SoftswitchConfig.KNOWN_CODECS);
        for (int i = 0; i < items.size(); i++) {
            String field = FieldPath.index(root.field("codecs"), i);
            String text = reader.text(items.get(i), field);
            if (text == null) {
                continue;
            }
            String name = text.toUpperCase(Locale.ROOT).replace(".", "");
            if (!SoftswitchConfig.KNOWN_CODECS.contains(name)) {
                reader.error(items.get(i), field, "unknown codec \"" + text + "\" (known: " + known + ")");
            } else if (codecs.contains(name)) {
                reader.error(items.get(i), field, name + " is listed twice");
            } else {
                codecs.add(name);
            }
        }
        if (items.isEmpty() && node instanceof YamlNode.Sequence) {
            reader.error(node, root.field("codecs"), "at least one codec is needed (known: " + known + ")");
        }
        return codecs.isEmpty() ? SoftswitchConfig.DEFAULT_CODECS : codecs;
    }
}
