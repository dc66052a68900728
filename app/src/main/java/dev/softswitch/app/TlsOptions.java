package dev.softswitch.app;

import dev.softswitch.config.LoadedConfig;
import dev.softswitch.config.Secret;
import dev.softswitch.config.SecretResolutionException;
import dev.softswitch.config.SecretResolver;
import dev.softswitch.config.TlsClientAuth;
import dev.softswitch.config.TlsConfig;
import dev.softswitch.config.TrunkConfig;
import dev.softswitch.config.tls.TlsMaterialException;
import dev.softswitch.sip.tls.SipTls;
import java.nio.file.Path;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The flags of SIP over TLS, shared by {@code serve} and {@code dial}; each wins over the same setting in
 * {@code listen.tls}. The certificate flags replace the file's certificate as a whole (PEM pair or keystore).
 */
final class TlsOptions {

    @Option(
            names = "--tls-port",
            paramLabel = "N",
            description = "Listen for SIP over TLS on port N (default: off, or listen.tls.port); needs --tls-cert and"
                    + " --tls-key, or --tls-keystore. dial uses TLS only with this flag.")
    @Nullable
    Integer port;

    @Option(
            names = "--tls-cert",
            paramLabel = "FILE",
            description = "PEM certificate chain for SIP over TLS, ours first (Let's Encrypt: fullchain.pem).")
    @Nullable
    Path cert;

    @Option(
            names = "--tls-key",
            paramLabel = "FILE",
            description = "PEM private key of --tls-cert, unencrypted (Let's Encrypt: privkey.pem).")
    @Nullable
    Path key;

    @Option(
            names = "--tls-keystore",
            paramLabel = "FILE",
            description = "PKCS#12 keystore with the key and its chain, instead of --tls-cert and --tls-key.")
    @Nullable
    Path keystore;

    @Option(
            names = "--tls-keystore-password",
            paramLabel = "REF",
            description = "The keystore's password as $${env:NAME} or $${file:/path}, never the password itself"
                    + " (other users see command lines).")
    @Nullable
    String keystorePassword;

    @Option(
            names = "--tls-client-auth",
            paramLabel = "MODE",
            description = "Ask callers for a certificate: none (default), want (checked when given) or need.")
    @Nullable
    String clientAuth;

    @Option(
            names = "--tls-ca",
            paramLabel = "FILE",
            description = "PEM CA certificates that servers we call over TLS, and callers' certificates, must chain to"
                    + " (default: the JDK's trust store).")
    @Nullable
    Path ca;

    /** The environment {@code ${env:NAME}} reads. */
    Function<String, @Nullable String> environment = System::getenv;

    /**
     * SIP over TLS to start with, its key and certificate loaded: from the flags, else {@code listen.tls}; null when
     * off.
     *
     * @param fromFile whether {@code listen.tls} alone turns TLS on ({@code serve}); {@code dial} needs
     *     {@code --tls-port}, so that it does not take the port of a {@code serve} on the same host
     */
    @Nullable
    SipTls resolve(CommandLine.Model.CommandSpec spec, @Nullable LoadedConfig loaded, boolean fromFile) {
        TlsConfig file = loaded == null ? null : loaded.config().listen().tls();
        boolean keyFlags = cert != null || key != null || keystore != null || keystorePassword != null;
        boolean anyFlag = port != null || keyFlags || clientAuth != null || ca != null;
        if (port == null && (file == null || !fromFile)) {
            if (anyFlag) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--tls-* flags need --tls-port N (SIP over TLS is off without it"
                                + (fromFile ? " or listen.tls" : "") + ")");
            }
            if (fromFile) {
                requireNoTlsTrunks(spec, loaded);
            }
            return null;
        }
        if (port != null) {
            ListenOptions.checkPort(spec, "--tls-port", port, false);
        }
        TlsConfig config;
        try {
            config = keyFlags || file == null ? fromFlags(spec) : file;
            if (port != null) {
                config = config.withPort(port);
            }
            if (clientAuth != null) {
                config = config.withClientAuth(TlsClientAuth.fromToken(clientAuth)
                        .orElseThrow(() -> new CommandLine.ParameterException(
                                spec.commandLine(), "--tls-client-auth " + clientAuth + ": give none, want or need")));
            }
            if (ca != null) {
                config = config.withCaFile(ca);
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "SIP over TLS: " + e.getMessage());
        }
        try {
            return SipTls.load(config);
        } catch (TlsMaterialException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), where(e.source(), keyFlags, file != null) + ": " + e.getMessage());
        }
    }

    /** The key and certificate of the flags: a PEM pair, or a keystore and its password. */
    private TlsConfig fromFlags(CommandLine.Model.CommandSpec spec) {
        int p = port != null ? port : TlsConfig.DEFAULT_PORT;
        if (keystore != null || keystorePassword != null) {
            if (cert != null || key != null) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "give --tls-cert and --tls-key, or --tls-keystore: not both");
            }
            if (keystore == null || keystorePassword == null) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--tls-keystore and --tls-keystore-password go together");
            }
            return TlsConfig.keystore(p, keystore, password(spec, keystorePassword));
        }
        if (cert == null || key == null) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "SIP over TLS needs a certificate: --tls-cert FILE and --tls-key FILE (PEM), or --tls-keystore FILE"
                            + " and --tls-keystore-password REF");
        }
        return TlsConfig.pem(p, cert, key);
    }

    private Secret password(CommandLine.Model.CommandSpec spec, String reference) {
        if (!SecretResolver.isReference(reference)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--tls-keystore-password takes ${env:NAME} or ${file:/path}, not the password itself (other"
                            + " users can read command lines)");
        }
        try {
            return new SecretResolver(environment).resolve(reference);
        } catch (SecretResolutionException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--tls-keystore-password: " + e.getMessage());
        }
    }

    /** The flag, or the field of the file, that an error is about. */
    private String where(TlsMaterialException.Source source, boolean keyFlags, boolean file) {
        boolean fromFlags = keyFlags || !file;
        return switch (source) {
            case CERT -> fromFlags ? "--tls-cert" : "listen.tls.cert";
            case KEY -> fromFlags ? "--tls-key" : "listen.tls.key";
            case KEYSTORE -> fromFlags ? "--tls-keystore" : "listen.tls.keystore";
            case KEYSTORE_PASSWORD -> fromFlags ? "--tls-keystore-password" : "listen.tls.keystore_password";
            case CA_FILE -> ca != null ? "--tls-ca" : "listen.tls.ca_file";
        };
    }

    /** A trunk that calls out over TLS (or registers over it) needs the TLS listener, which those requests leave from. */
    private static void requireNoTlsTrunks(CommandLine.Model.CommandSpec spec, @Nullable LoadedConfig loaded) {
        if (loaded == null) {
            return;
        }
        for (TrunkConfig trunk : loaded.config().trunks()) {
            var outbound = trunk.outbound();
            if (outbound != null && "tls".equals(outbound.transport())) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "trunk " + trunk.name() + " calls out over TLS (outbound.transport: tls): turn SIP over TLS on"
                                + " with listen.tls or --tls-port N and a certificate");
            }
        }
    }
}
