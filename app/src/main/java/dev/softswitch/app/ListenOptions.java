package dev.softswitch.app;

import dev.softswitch.config.ListenConfig;
import dev.softswitch.config.LoadedConfig;
import dev.softswitch.config.PortRange;
import dev.softswitch.config.RecordsConfig;
import dev.softswitch.config.RedisConfig;
import dev.softswitch.config.Secret;
import dev.softswitch.config.SecretResolver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The flags {@code serve} and {@code dial} share: the configuration file, where SIP and RTP listen, the media timeout,
 * the call records and the Redis shared with other instances. A flag given on the command line wins over the same setting in the file.
 */
final class ListenOptions {

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "Configuration file (YAML): assistants, trunks, PBX users, limits; see examples/softswitch.yaml.")
    @Nullable
    Path config;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on (default: 127.0.0.1).")
    String bind = ServeSettings.DEFAULT_BIND;

    @Option(
            names = "--advertise",
            paramLabel = "ADDR",
            description =
                    "Address written into SDP and Contact (default: the --bind address; needed when binding 0.0.0.0).")
    @Nullable
    String advertise;

    @Option(
            names = "--sip-port",
            paramLabel = "N",
            description = "SIP port, UDP and TCP (default: 5060 for serve, 5070 for dial).")
    @Nullable
    Integer sipPort;

    @Option(names = "--rtp-ports", paramLabel = "LOW-HIGH", description = "RTP port range (default: 10000-20000).")
    String rtpPorts = ServeSettings.DEFAULT_RTP_LOW + "-" + ServeSettings.DEFAULT_RTP_HIGH;

    @Option(
            names = "--media-timeout",
            paramLabel = "DURATION",
            description =
                    "End a call whose far end sends no RTP this long (default: 30s; on hold ten times as long, at least 5m).")
    String mediaTimeout = "30s";

    @Option(
            names = "--call-records",
            paramLabel = "FILE",
            description = "Append one JSON line per ended call to FILE (default: data/calls.jsonl, or records.calls).")
    @Nullable
    Path callRecords;

    @Option(
            names = "--redis",
            paramLabel = "URL",
            description = "Share the RTP port pool and call contexts with other instances through Redis,"
                    + " redis://[:PASSWORD@]HOST[:PORT][/DB] (default: none, or redis.url). While it is unreachable new"
                    + " calls get 503; calls in progress go on.")
    @Nullable
    String redis;

    /** The environment {@code ${env:NAME}} reads. */
    Function<String, @Nullable String> environment = System::getenv;

    /**
     * The configuration named by {@code --config}, or null without one.
     *
     * @throws ConfigRefused when the file has errors (already printed, as check-config prints them)
     */
    @Nullable
    LoadedConfig load(CommandLine.Model.CommandSpec spec, String command) throws ConfigRefused {
        if (config == null) {
            return null;
        }
        LoadedConfig loaded = CheckConfigCommand.loadOrReport(
                config, new SecretResolver(environment), spec.commandLine().getErr());
        if (loaded == null) {
            System.err.println("softswitch: not " + command + ": fix " + config + " (bin/softswitch check-config "
                    + config + " shows the same)");
            throw new ConfigRefused();
        }
        return loaded;
    }

    /** The configuration file has errors; they have been printed. */
    static final class ConfigRefused extends Exception {
        private static final long serialVersionUID = 1L;

        ConfigRefused() {
            super(null, null, false, false);
        }
    }

    /**
     * The settings to start with: flags, else the file's values, else the defaults.
     *
     * @param defaultSipPort the SIP port without a flag or file ({@code serve} 5060, {@code dial} 5070)
     * @param httpPort the HTTP port (0: none)
     */
    ServeSettings settings(
            CommandLine.Model.CommandSpec spec,
            @Nullable LoadedConfig loaded,
            int defaultSipPort,
            int httpPort,
            Duration answerDelay) {
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        String bindTo = bind;
        String adv = advertise;
        int sip = sipPort != null ? sipPort : defaultSipPort;
        String rtp = rtpPorts;
        if (loaded != null) {
            ListenConfig listen = loaded.config().listen();
            PortRange ports = loaded.config().rtp().ports();
            if (!given.hasMatchedOption("--bind")) {
                bindTo = listen.bind();
            }
            if (!given.hasMatchedOption("--advertise") && !given.hasMatchedOption("--bind")) {
                adv = listen.advertise();
            }
            if (sipPort == null) {
                sip = listen.sipPort();
            }
            if (!given.hasMatchedOption("--rtp-ports")) {
                rtp = ports.low() + "-" + ports.high();
            }
        }
        RecordsConfig records = loaded != null ? loaded.config().records() : RecordsConfig.DEFAULTS;
        int[] range = parseRange(spec, rtp);
        String advertised = adv != null ? adv : bindTo;
        if (advertised.equals("0.0.0.0") || advertised.equals("::") || advertised.equals("[::]")) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--bind " + bindTo + " listens on every address: name the one peers reach with --advertise ADDR");
        }
        checkPort(spec, "--sip-port", sip, false);
        RedisConfig shared = loaded != null ? loaded.config().redis() : RedisConfig.NONE;
        if (redis != null) {
            String problem = RedisConfig.problemWith(redis).orElse(null);
            if (problem != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--redis URL: " + problem);
            }
            shared = shared.withUrl(Secret.of(redis.trim(), "--redis"));
        }
        return new ServeSettings(
                bindTo,
                advertised,
                sip,
                range[0],
                range[1],
                httpPort,
                answerDelay,
                positive(spec, "--media-timeout", parseDuration(spec, "--media-timeout", mediaTimeout)),
                callRecords != null ? callRecords : records.calls(),
                records.recordings(),
                shared.enabled() ? shared : null);
    }

    private static int[] parseRange(CommandLine.Model.CommandSpec spec, String text) {
        String[] parts = text.split("-", 2);
        try {
            int low = Integer.parseInt(parts[0].trim());
            int high = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : -1;
            if (parts.length == 2 && low >= 1024 && high <= 65535 && high - low >= 1) {
                return new int[] {low, high};
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new CommandLine.ParameterException(
                spec.commandLine(), "--rtp-ports '" + text + "': give LOW-HIGH within 1024-65535, e.g. 10000-20000");
    }

    static void checkPort(CommandLine.Model.CommandSpec spec, String flag, int port, boolean zeroAllowed) {
        if ((port == 0 && !zeroAllowed) || port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), flag + " " + port + " is not a port (1-65535)");
        }
    }

    static Duration positive(CommandLine.Model.CommandSpec spec, String flag, Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw new CommandLine.ParameterException(spec.commandLine(), flag + " must be more than 0");
        }
        return d;
    }

    /** {@code 2s}, {@code 500ms}, {@code 5m}, {@code 1h}, or a bare number of seconds. */
    static Duration parseDuration(CommandLine.Model.CommandSpec spec, String flag, String text) {
        try {
            String t = text.trim().toLowerCase(Locale.ROOT);
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            }
            if (t.endsWith("m")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000));
            }
            if (t.endsWith("h")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 3_600_000));
            }
            return Duration.ofSeconds(Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), flag + " '" + text + "': give a duration such as 2s, 500ms or 5m");
        }
    }
}
