package dev.softswitch.app;

import dev.softswitch.config.AssistantConfig;
import dev.softswitch.config.CallLimits;
import dev.softswitch.config.ConfigError;
import dev.softswitch.config.ConfigException;
import dev.softswitch.config.ConfigLoader;
import dev.softswitch.config.ListenConfig;
import dev.softswitch.config.LoadedConfig;
import dev.softswitch.config.PbxUserConfig;
import dev.softswitch.config.SecretResolver;
import dev.softswitch.config.SoftswitchConfig;
import dev.softswitch.config.TrunkConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code softswitch check-config FILE}: validates a configuration file the way {@code serve} will, secrets included.
 * Errors go to stderr as {@code file:line:column: field: message}, one a line, and the exit status is 1; a valid file
 * gets a one-screen summary (never a secret) and exit status 0. Warnings go to stderr either way.
 */
@Command(
        name = "check-config",
        description = {
            "Validate a configuration file: every error is printed as file:line:column: field: message.",
            "Secret references (${env:NAME}, ${file:/path}) are resolved, so run it where serve runs.",
            "Exit status: 0 when the file is valid, 1 when it is not or cannot be read."
        })
final class CheckConfigCommand implements Callable<Integer> {

    /** Names listed per line of the summary before it says how many more there are. */
    private static final int MAX_NAMES = 8;

    @CommandLine.Spec
    @SuppressWarnings("NullAway.Init")
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Configuration file (YAML), such as softswitch.yaml.")
    @SuppressWarnings("NullAway.Init")
    Path file;

    /** The environment {@code ${env:NAME}} reads; tests give their own. */
    Function<String, @Nullable String> environment = System::getenv;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LoadedConfig loaded = loadOrReport(file, new SecretResolver(environment), err);
        if (loaded == null) {
            return 1;
        }
        printSummary(out, loaded.config());
        out.flush();
        return 0;
    }

    /**
     * Loads {@code file}, printing its errors (and warnings) to {@code err} the way check-config does; {@code serve}
     * uses it too, so both report a file identically.
     *
     * @return the configuration, or {@code null} when it has errors or cannot be read
     */
    static @Nullable LoadedConfig loadOrReport(Path file, SecretResolver secrets, PrintWriter err) {
        try {
            LoadedConfig loaded = ConfigLoader.load(file, secrets);
            printWarnings(err, loaded.warnings());
            err.flush();
            return loaded;
        } catch (ConfigException e) {
            e.errors().forEach(err::println);
            printWarnings(err, e.warnings());
            err.println(file + ": " + count(e.errors().size(), "error") + ", not valid");
            err.flush();
            return null;
        } catch (IOException e) {
            err.println("softswitch: " + file + ": " + unreadable(file, e));
            err.flush();
            return null;
        }
    }

    private static String unreadable(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof CharacterCodingException) {
            return "not UTF-8 text";
        }
        if (Files.isDirectory(file)) {
            return "is a directory";
        }
        return "cannot be read (" + e.getClass().getSimpleName() + ")";
    }

    private void printSummary(PrintWriter out, SoftswitchConfig config) {
        ListenConfig listen = config.listen();
        out.println(file + ": valid");
        out.println("  listen      " + listen.bind()
                + (listen.advertise().equals(listen.bind()) ? "" : ", advertised as " + listen.advertise()));
        out.println("  sip         port " + listen.sipPort() + " over " + String.join(", ", listen.transports()));
        dev.softswitch.config.TlsConfig tls = listen.tls();
        if (tls != null) {
            out.println("  sip tls     port " + tls.port() + ", "
                    + (tls.keystore() != null ? "keystore " + tls.keystore() : "cert " + tls.cert()) + ", client"
                    + " certificates " + tls.clientAuth().token());
        }
        out.println("  http        " + (listen.httpPort() == 0 ? "off" : "port " + listen.httpPort()));
        out.println("  rtp         ports " + config.rtp().ports() + " ("
                + config.rtp().ports().size() / 2 + " calls)");
        out.println("  codecs      " + String.join(", ", config.codecs()));
        out.println("  limits      " + limits(config.limits()));
        out.println("  assistants  " + config.assistants().size()
                + names(config.assistants().stream()
                        .map(a -> a.id() + " (" + a.kind().configName() + keys(a) + ")")
                        .toList()));
        out.println("  trunks      " + config.trunks().size()
                + names(config.trunks().stream().map(TrunkConfig::name).toList()));
        out.println("  pbx users   " + config.pbxUsers().size()
                + names(config.pbxUsers().stream().map(PbxUserConfig::username).toList()));
    }

    private static String keys(AssistantConfig assistant) {
        int keys = assistant.apiKeys().size();
        return keys == 0 ? "" : ", " + count(keys, "API key");
    }

    private static String limits(CallLimits limits) {
        if (limits.equals(CallLimits.UNLIMITED)) {
            return "none";
        }
        String concurrent = limits.maxConcurrentCalls() == 0 ? "any number of" : "" + limits.maxConcurrentCalls();
        String rate = limits.maxCallsPerSecond() == 0 ? "any number" : "" + limits.maxCallsPerSecond();
        return concurrent + " calls at once, " + rate + " new per second";
    }

    private static String names(List<String> names) {
        if (names.isEmpty()) {
            return "";
        }
        String shown = String.join(", ", names.subList(0, Math.min(MAX_NAMES, names.size())));
        return ": " + shown + (names.size() > MAX_NAMES ? " and " + (names.size() - MAX_NAMES) + " more" : "");
    }

    private static void printWarnings(PrintWriter err, List<ConfigError> warnings) {
        for (ConfigError warning : warnings) {
            err.println(warning.location() + ": warning: " + warning.field() + ": " + warning.message());
        }
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
