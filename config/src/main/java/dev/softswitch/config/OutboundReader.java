package dev.softswitch.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** Reads {@code trunks[].outbound}: where and how the softswitch places calls through a trunk. */
final class OutboundReader {

    static final List<String> KEYS = List.of(
            "host",
            "port",
            "transport",
            "username",
            "password",
            "caller_id",
            "proxy",
            "register",
            "register_expires",
            "max_concurrent_calls",
            "max_calls_per_minute",
            "allowed_prefixes");

    private static final String PREFIX_RULE = "digits (and * #) with an optional leading +, no spaces or separators";

    /** RFC 3261 25.1: {@code user = 1*( unreserved / escaped / user-unreserved )}. */
    private static final Pattern USER = Pattern.compile("(?:[A-Za-z0-9\\-_.!~*'()&=+$,;?/]|%[0-9A-Fa-f]{2})+");

    private static final String USER_RULE = "letters, digits, -_.!~*'()&=+$,;?/ and %XX escapes";

    /** {@code sip:host}, {@code sips:host}, {@code tel:+1555}: a URI where a host belongs. */
    private static final Pattern SCHEME = Pattern.compile("(?i)(sips?|tel):.*");

    private OutboundReader() {}

    /** The trunk's {@code outbound}, or null when it has none (or it is not a mapping, which is reported). */
    static @Nullable OutboundTrunk read(MappingReader trunk) {
        YamlNode node = trunk.get("outbound");
        MappingReader outbound = node == null ? null : trunk.reader().mapping(node, trunk.field("outbound"), KEYS);
        if (outbound == null) {
            return null;
        }
        String host = host(outbound);
        YamlNode portNode = outbound.get("port");
        Integer port = portNode == null ? null : outbound.reader().port(portNode, outbound.field("port"), null);
        String transport = transport(outbound);
        DigestCredentials credentials = TrunksReader.credentials(outbound);
        String callerId = callerId(outbound);
        Proxy proxy = proxy(outbound);
        boolean register = register(outbound);
        Duration expires = registerExpires(outbound);
        OutboundLimits limits = new OutboundLimits(
                outbound.limit("max_concurrent_calls"), outbound.limit("max_calls_per_minute"), prefixes(outbound));
        return new OutboundTrunk(
                host,
                port,
                transport,
                credentials,
                callerId,
                proxy == null ? null : proxy.host(),
                proxy == null ? null : proxy.port(),
                register && credentials != null,
                expires,
                limits);
    }

    /**
     * {@code allowed_prefixes}: null when the key is not there (any number may be called). Written but empty, it is an
     * error rather than a guess: "nothing allowed" and "no allow-list" are both plausible readings.
     */
    private static @Nullable List<String> prefixes(MappingReader outbound) {
        NodeReader reader = outbound.reader();
        String field = outbound.field("allowed_prefixes");
        YamlNode.Entry entry = outbound.node().entries().get("allowed_prefixes");
        if (entry == null) {
            return null;
        }
        String either = "list the prefixes calls may go to, such as [\"+1\", \"+44\"], or leave the key out to allow"
                + " every number";
        if (entry.value() instanceof YamlNode.Scalar scalar && scalar.isNull()) {
            reader.error(entry.value(), field, "empty: " + either);
            return null;
        }
        List<YamlNode> items = reader.list(entry.value(), field);
        if (items == null) {
            return null;
        }
        if (items.isEmpty()) {
            reader.error(entry.value(), field, "an empty list would allow no number: " + either);
            return null;
        }
        List<String> prefixes = new java.util.ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String itemField = FieldPath.index(field, i);
            if (items.get(i) instanceof YamlNode.Scalar scalar && scalar.isNull()) {
                reader.error(items.get(i), itemField, "an empty prefix would allow every number: " + either);
                continue;
            }
            String text = reader.text(items.get(i), itemField);
            if (text == null) {
                continue;
            }
            String prefix = text.strip();
            if (prefix.isEmpty()) {
                reader.error(items.get(i), itemField, "an empty prefix would allow every number: " + either);
            } else if (!OutboundLimits.PREFIX.matcher(prefix).matches()) {
                reader.error(
                        items.get(i),
                        itemField,
                        '"' + text + "\" is not a number prefix (" + PREFIX_RULE + "); numbers are matched as the dial"
                                + " plan writes them, such as +15551230000");
            } else {
                prefixes.add(prefix);
            }
        }
        return prefixes.isEmpty() ? null : prefixes;
    }

    private static String host(MappingReader outbound) {
        NodeReader reader = outbound.reader();
        String field = outbound.field("host");
        YamlNode node = outbound.require("host", "the carrier's SIP host name or IP address, without a port");
        String text = node == null ? null : reader.text(node, field);
        if (node == null || text == null) {
            return "";
        }
        InetAddress address = IpLiterals.parse(text);
        HostPort split = HostPort.split(text);
        if (address != null && address.isAnyLocalAddress()) {
            reader.error(node, field, '"' + text + "\" means every address: give the one the carrier takes calls on");
        } else if (address != null || Hosts.isHostName(text)) {
            return address != null ? Hosts.unbracketed(text) : text;
        } else if (SCHEME.matcher(text).matches()) {
            reader.error(node, field, '"' + text + "\": write the host alone, without a scheme");
        } else if (split.port() != null && split.port().matches("[0-9]+") && isHost(split.host())) {
            reader.error(
                    node,
                    field,
                    '"' + text + "\" has a port: write the host alone and the port as " + outbound.field("port"));
        } else {
            reader.error(node, field, '"' + text + "\" is not a host name or IP address");
        }
        return text;
    }

    private static boolean isHost(String text) {
        return IpLiterals.parse(text) != null || Hosts.isHostName(text);
    }

    private static String transport(MappingReader outbound) {
        NodeReader reader = outbound.reader();
        YamlNode node = outbound.get("transport");
        String text = node == null ? null : reader.text(node, outbound.field("transport"));
        if (node == null || text == null) {
            return OutboundTrunk.DEFAULT_TRANSPORT;
        }
        String name = text.toLowerCase(Locale.ROOT);
        if (OutboundTrunk.TRANSPORTS.contains(name)) {
            return name;
        }
        String supported = String.join(", ", OutboundTrunk.TRANSPORTS);
        reader.error(
                node,
                outbound.field("transport"),
                ListenReader.LATER_TRANSPORTS.contains(name)
                        ? name + " is not supported yet (supported: " + supported + ")"
                        : "unknown transport \"" + text + "\" (supported: " + supported + ")");
        return OutboundTrunk.DEFAULT_TRANSPORT;
    }

    /** The caller id when valid; else null. Without one, the username becomes the From user, so it must fit too. */
    private static @Nullable String callerId(MappingReader outbound) {
        NodeReader reader = outbound.reader();
        YamlNode node = outbound.get("caller_id");
        if (node == null) {
            YamlNode usernameNode = outbound.get("username");
            String username = outbound.text("username");
            if (usernameNode != null
                    && username != null
                    && !USER.matcher(username).matches()) {
                reader.error(
                        usernameNode,
                        outbound.field("username"),
                        '"' + username + "\" cannot be the From user of our calls (" + USER_RULE + "): set "
                                + outbound.field("caller_id"));
            }
            return null;
        }
        String text = reader.text(node, outbound.field("caller_id"));
        if (text == null) {
            return null;
        }
        if (!USER.matcher(text).matches()) {
            reader.error(
                    node, outbound.field("caller_id"), '"' + text + "\" is not a SIP user part (" + USER_RULE + ")");
            return null;
        }
        return text;
    }

    /** The proxy, or null when there is none or it is wrong. */
    private static @Nullable Proxy proxy(MappingReader outbound) {
        NodeReader reader = outbound.reader();
        String field = outbound.field("proxy");
        YamlNode node = outbound.get("proxy");
        String text = node == null ? null : reader.text(node, field);
        if (node == null || text == null) {
            return null;
        }
        String forms = "write host, host:port or [IPv6]:port";
        if (SCHEME.matcher(text).matches()) {
            reader.error(node, field, '"' + text + "\": write the proxy without a scheme (" + forms + ")");
            return null;
        }
        if (IpLiterals.looksLikeIpv6(text) && !text.startsWith("[") && IpLiterals.parse(text) != null) {
            reader.error(
                    node, field, '"' + text + "\": write an IPv6 address in brackets, [ADDRESS] or [ADDRESS]:PORT");
            return null;
        }
        HostPort split = HostPort.split(text);
        InetAddress address = IpLiterals.parse(split.host());
        if (address == null ? !Hosts.isHostName(split.host()) : address.isAnyLocalAddress()) {
            reader.error(node, field, '"' + text + "\" is not a host name or IP address (" + forms + ")");
            return null;
        }
        Integer port = null;
        if (split.port() != null) {
            port = split.port().matches("[0-9]{1,5}") ? Integer.parseInt(split.port()) : 0;
            if (port < 1 || port > 65535) {
                reader.error(node, field, '"' + text + "\" has no valid port (1-65535)");
                return null;
            }
        }
        return new Proxy(address != null ? Hosts.unbracketed(split.host()) : split.host(), port);
    }

    private static boolean register(MappingReader outbound) {
        boolean register = outbound.flag("register");
        YamlNode node = outbound.get("register");
        List<String> missing = Stream.of("username", "password")
                .filter(key -> outbound.get(key) == null)
                .map(outbound::field)
                .toList();
        if (register && node != null && !missing.isEmpty()) {
            outbound.reader()
                    .error(
                            node,
                            outbound.field("register"),
                            "registering needs the digest credentials the carrier gave: add "
                                    + String.join(" and ", missing));
        }
        return register;
    }

    private static Duration registerExpires(MappingReader outbound) {
        Duration expires = outbound.duration("register_expires", OutboundTrunk.DEFAULT_REGISTER_EXPIRES);
        YamlNode node = outbound.get("register_expires");
        if (!(node instanceof YamlNode.Scalar scalar)) {
            return expires;
        }
        String field = outbound.field("register_expires");
        if (expires.compareTo(OutboundTrunk.MIN_REGISTER_EXPIRES) < 0) {
            outbound.reader().error(node, field, scalar.text() + " is too short: give at least 60s");
            return OutboundTrunk.DEFAULT_REGISTER_EXPIRES;
        }
        if (expires.compareTo(OutboundTrunk.MAX_REGISTER_EXPIRES) > 0) {
            outbound.reader().error(node, field, scalar.text() + " is too long: give at most 24h");
            return OutboundTrunk.DEFAULT_REGISTER_EXPIRES;
        }
        return expires;
    }

    /**
     * An outbound proxy.
     *
     * @param host its host, an IPv6 address without brackets
     * @param port its port, or null when not given
     */
    private record Proxy(String host, @Nullable Integer port) {}

    /**
     * A host and the text of its port, split where a SIP URI would: {@code host}, {@code host:port}, {@code [v6]} or
     * {@code [v6]:port}. Text with two colons or more and no brackets is a bare IPv6 address, kept whole.
     *
     * @param host the host
     * @param port what follows the port's colon, or null when there is none
     */
    private record HostPort(String host, @Nullable String port) {

        static HostPort split(String text) {
            int colon = text.lastIndexOf(':');
            if (text.startsWith("[")) {
                int close = text.indexOf(']');
                return close > 0 && colon == close + 1
                        ? new HostPort(text.substring(0, close + 1), text.substring(colon + 1))
                        : new HostPort(text, null);
            }
            if (colon < 0 || text.indexOf(':') != colon) {
                return new HostPort(text, null);
            }
            return new HostPort(text.substring(0, colon), text.substring(colon + 1));
        }
    }
}
