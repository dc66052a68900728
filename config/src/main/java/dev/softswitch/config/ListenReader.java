package dev.softswitch.config;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Reads {@code listen:}: addresses, the SIP port and transports, the HTTP port, SIP over TLS. */
final class ListenReader {

    static final List<String> KEYS = List.of("bind", "advertise", "sip_port", "transports", "http_port", "tls");

    private static final List<String> TRANSPORTS = List.of("udp", "tcp");

    /** Transports named in SIP but not supported yet: an error says so rather than calling them unknown. */
    static final List<String> LATER_TRANSPORTS = List.of("ws", "wss");

    private ListenReader() {}

    static ListenConfig read(MappingReader listen) {
        NodeReader reader = listen.reader();
        String bind = ListenConfig.DEFAULT_BIND;
        boolean wildcard = false;
        YamlNode bindNode = listen.get("bind");
        String text = bindNode == null ? null : reader.text(bindNode, listen.field("bind"));
        if (bindNode != null && text != null) {
            InetAddress address = IpLiterals.parse(text);
            if (address == null) {
                reader.error(
                        bindNode,
                        listen.field("bind"),
                        '"' + text + "\" is not an IP address (bind takes one of this host's addresses, or 0.0.0.0 or"
                                + " :: for all of them)");
            } else {
                bind = Hosts.unbracketed(text);
                wildcard = address.isAnyLocalAddress();
            }
        }
        String advertise = advertise(listen, bind, wildcard, bindNode);
        int sipPort = listen.port("sip_port", ListenConfig.DEFAULT_SIP_PORT, null);
        List<String> transports = transports(listen);
        int httpPort = listen.port("http_port", ListenConfig.DEFAULT_HTTP_PORT, "turns HTTP off");
        if (httpPort == sipPort && transports.contains("tcp")) {
            YamlNode httpNode = listen.get("http_port");
            YamlNode sipNode = listen.get("sip_port");
            if (httpNode != null) {
                reader.error(httpNode, listen.field("http_port"), httpPort + " is also listen.sip_port (SIP over TCP)");
            } else if (sipNode != null) {
                reader.error(sipNode, listen.field("sip_port"), sipPort + " is also the HTTP port (listen.http_port)");
            }
        }
        TlsConfig tls = TlsReader.read(listen, sipPort, transports, httpPort);
        return new ListenConfig(bind, advertise, sipPort, transports, httpPort, tls);
    }

    private static String advertise(MappingReader listen, String bind, boolean wildcard, @Nullable YamlNode bindNode) {
        NodeReader reader = listen.reader();
        YamlNode node = listen.get("advertise");
        if (node == null) {
            if (wildcard && bindNode != null) {
                reader.error(
                        bindNode,
                        listen.field("advertise"),
                        "required when listen.bind is " + bind + " (every address): the address callers reach, "
                                + "written into SDP and Contact");
            }
            return bind;
        }
        String text = reader.text(node, listen.field("advertise"));
        if (text == null) {
            return bind;
        }
        InetAddress address = IpLiterals.parse(text);
        if (address != null && address.isAnyLocalAddress()) {
            reader.error(
                    node,
                    listen.field("advertise"),
                    '"' + text + "\" listens everywhere but cannot be called: advertise the address callers reach");
        } else if (address == null && !Hosts.isHostName(text)) {
            reader.error(node, listen.field("advertise"), '"' + text + "\" is not an IP address or host name");
        }
        return address != null ? Hosts.unbracketed(text) : text;
    }

    private static List<String> transports(MappingReader listen) {
        NodeReader reader = listen.reader();
        YamlNode node = listen.get("transports");
        if (node == null) {
            return ListenConfig.DEFAULT_TRANSPORTS;
        }
        List<String> transports = new ArrayList<>();
        List<YamlNode> items = listen.list("transports");
        for (int i = 0; i < items.size(); i++) {
            String field = FieldPath.index(listen.field("transports"), i);
            String text = reader.text(items.get(i), field);
            if (text == null) {
                continue;
            }
            String name = text.toLowerCase(Locale.ROOT);
            if (name.equals("tls")) {
                // TLS has its own port and certificate: listen.tls turns it on; naming it here too is fine.
                if (listen.get("tls") == null) {
                    reader.error(
                            items.get(i),
                            field,
                            "tls needs listen.tls: its port and certificate (cert and key, or keystore)");
                }
            } else if (LATER_TRANSPORTS.contains(name)) {
                reader.error(items.get(i), field, name + " is not supported yet (supported: udp, tcp)");
            } else if (!TRANSPORTS.contains(name)) {
                reader.error(items.get(i), field, "unknown transport \"" + text + "\" (supported: udp, tcp)");
            } else if (transports.contains(name)) {
                reader.error(items.get(i), field, name + " is listed twice");
            } else {
                transports.add(name);
            }
        }
        if (transports.isEmpty() && !items.isEmpty() && listen.get("tls") != null) {
            reader.error(
                    node,
                    listen.field("transports"),
                    "list udp or tcp too: SIP over TLS (listen.tls) comes beside them, not instead");
        }
        if (items.isEmpty() && node instanceof YamlNode.Sequence) {
            reader.error(node, listen.field("transports"), "at least one transport is needed (udp, tcp)");
        }
        return transports.isEmpty() ? ListenConfig.DEFAULT_TRANSPORTS : transports;
    }
}
