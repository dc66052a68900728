package dev.softswitch.config;

import dev.softswitch.config.tls.KeyMaterial;
import dev.softswitch.config.tls.TlsMaterialException;
import dev.softswitch.config.tls.TrustMaterial;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code listen.tls}: SIP over TLS, off when the section is absent. The key and certificate are loaded while the
 * file is checked, so a missing file, a wrong keystore password or a key of another certificate is an error of the
 * field that names it, as {@code check-config} shows.
 */
final class TlsReader {

    static final List<String> KEYS = List.of(
            "port", "cert", "key", "keystore", "keystore_password", "client_auth", "ca_file", "handshake_timeout");

    /** Handshakes longer than this are not slow links but held sockets. */
    static final Duration MAX_HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);

    private TlsReader() {}

    /**
     * The TLS settings, or null when {@code listen.tls} is absent or has errors (reported). Its port must differ from
     * SIP over TCP's ({@code sipPort} when {@code transports} has tcp) and from HTTP's.
     */
    static @Nullable TlsConfig read(MappingReader listen, int sipPort, List<String> transports, int httpPort) {
        if (listen.get("tls") == null) {
            return null;
        }
        MappingReader tls = listen.mapping("tls", KEYS);
        NodeReader reader = tls.reader();
        int errors = reader.diagnostics().errors().size();
        int port = tls.port("port", TlsConfig.DEFAULT_PORT, null);
        Path cert = path(tls, "cert");
        Path key = path(tls, "key");
        Path keystore = path(tls, "keystore");
        Secret password = tls.secret("keystore_password");
        TlsClientAuth clientAuth = clientAuth(tls);
        Path caFile = path(tls, "ca_file");
        Duration timeout = tls.duration("handshake_timeout", TlsConfig.DEFAULT_HANDSHAKE_TIMEOUT);
        YamlNode timeoutNode = tls.get("handshake_timeout");
        if (timeoutNode != null && timeout.compareTo(MAX_HANDSHAKE_TIMEOUT) > 0) {
            reader.error(
                    timeoutNode,
                    tls.field("handshake_timeout"),
                    timeout.toSeconds() + "s is too long: at most 60s (a silent client holds a socket that long)");
        }
        checkKeySource(tls);
        YamlNode portAt = tls.get("port") != null ? tls.get("port") : tls.node();
        if (port == sipPort && transports.contains("tcp")) {
            reader.error(
                    portAt,
                    tls.field("port"),
                    port + " is also listen.sip_port (SIP over TCP): give TLS a port of its own, such as 5061");
        } else if (port == httpPort) {
            reader.error(portAt, tls.field("port"), port + " is also the HTTP port (listen.http_port)");
        }
        if (reader.diagnostics().errors().size() > errors) {
            return null;
        }
        TlsConfig config;
        try {
            config = new TlsConfig(port, cert, key, keystore, password, clientAuth, caFile, timeout);
        } catch (IllegalArgumentException e) {
            reader.error(tls.node(), tls.path(), String.valueOf(e.getMessage()));
            return null;
        }
        try {
            KeyMaterial.load(config);
            TrustMaterial.load(caFile);
        } catch (TlsMaterialException e) {
            String field =
                    switch (e.source()) {
                        case CERT -> "cert";
                        case KEY -> "key";
                        case KEYSTORE -> "keystore";
                        case KEYSTORE_PASSWORD -> "keystore_password";
                        case CA_FILE -> "ca_file";
                    };
            YamlNode at = tls.get(field);
            reader.error(at != null ? at : tls.node(), tls.field(field), String.valueOf(e.getMessage()));
            return null;
        }
        return config;
    }

    /** Either cert and key, or keystore and keystore_password: each pair whole, and not both. */
    private static void checkKeySource(MappingReader tls) {
        NodeReader reader = tls.reader();
        boolean pem = tls.get("cert") != null || tls.get("key") != null;
        boolean store = tls.get("keystore") != null || tls.get("keystore_password") != null;
        if (pem && store) {
            YamlNode at = tls.get("keystore") != null ? tls.get("keystore") : tls.get("keystore_password");
            reader.error(
                    at != null ? at : tls.node(),
                    tls.field(tls.get("keystore") != null ? "keystore" : "keystore_password"),
                    "give cert and key (PEM files), or keystore and keystore_password (PKCS#12), not both");
        } else if (!pem && !store) {
            reader.error(
                    tls.node(),
                    tls.field("cert"),
                    "required: cert and key (PEM files, such as Let's Encrypt's fullchain.pem and privkey.pem), or"
                            + " keystore and keystore_password (PKCS#12)");
        } else if (pem && tls.get("cert") == null) {
            reader.error(tls.node(), tls.field("cert"), "required with key: the PEM certificate chain of that key");
        } else if (pem && tls.get("key") == null) {
            reader.error(tls.node(), tls.field("key"), "required with cert: the PEM private key of that certificate");
        } else if (store && tls.get("keystore_password") == null) {
            reader.error(
                    tls.node(),
                    tls.field("keystore_password"),
                    "required with keystore: its password, as ${env:NAME} or ${file:/path}");
        } else if (store && tls.get("keystore") == null) {
            reader.error(tls.node(), tls.field("keystore"), "required with keystore_password: the PKCS#12 file");
        }
    }

    private static TlsClientAuth clientAuth(MappingReader tls) {
        YamlNode node = tls.get("client_auth");
        String text = node == null ? null : tls.reader().text(node, tls.field("client_auth"));
        if (node == null || text == null) {
            return TlsClientAuth.NONE;
        }
        return TlsClientAuth.fromToken(text).orElseGet(() -> {
            tls.reader()
                    .error(
                            node,
                            tls.field("client_auth"),
                            "unknown value \"" + text + "\" (none: no client certificate; want: checked when"
                                    + " given; need: required)");
            return TlsClientAuth.NONE;
        });
    }

    private static @Nullable Path path(MappingReader section, String key) {
        String text = section.text(key);
        if (text == null) {
            return null;
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            YamlNode node = section.get(key);
            section.reader()
                    .error(
                            node != null ? node : section.node(),
                            section.field(key),
                            "not a file path: " + e.getReason());
            return null;
        }
    }
}
