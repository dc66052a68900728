package dev.softswitch.app;

import dev.softswitch.config.ListenConfig;
import dev.softswitch.config.LoadedConfig;
import dev.softswitch.config.PortRange;
import dev.softswitch.config.RecordsConfig;
import dev.softswitch.config.SecretResolver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code softswitch serve}: run until stopped (Ctrl-C or SIGTERM ends calls with BYE, then exits). */
@Command(
        name = "serve",
        description = {
            "Answer SIP calls with the built-in assistants.",
            "Without --config: a demo on 127.0.0.1 where sip:echo@127.0.0.1:5060 returns your audio "
                    + "and sip:tone@127.0.0.1:5060 plays 440 Hz."
        })
final class ServeCommand implements Callable<Integer> {

    @CommandLine.Spec
    @SuppressWarnings("NullAway.Init")
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "Configuration file (YAML): assistants, trunks, PBX users, limits; see examples/softswitch.yaml.")
    @Nullable
    Path config;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind = ServeSettings.DEFAULT_BIND;

    @Option(
            names = "--advertise",
            paramLabel = "ADDR",
            description =
                    "Address written into SDP and Contact (default: the --bind address; needed when binding 0.0.0.0).")
    @Nullable
    String advertise;

    @Option(names = "--sip-port", paramLabel = "N", description = "SIP port, UDP and TCP (default: ${DEFAULT-VALUE}).")
    int sipPort = ServeSettings.DEFAULT_SIP_PORT;

    @Option(names = "--rtp-ports", paramLabel = "LOW-HIGH", description = "RTP port range (default: ${DEFAULT-VALUE}).")
    String rtpPorts = ServeSettings.DEFAULT_RTP_LOW + "-" + ServeSettings.DEFAULT_RTP_HIGH;

    @Option(
            names = "--http-port",
            paramLabel = "N",
            description = "HTTP port for GET /health; 0 turns it off (default: ${DEFAULT-VALUE}).")
    int httpPort = ServeSettings.DEFAULT_HTTP_PORT;

    @Option(
            names = "--answer-delay",
            paramLabel = "DURATION",
            description = "Let calls ring this long before answering, e.g. 2s (default: 0s).")
    String answerDelay = "0s";

    @Option(
            names = "--media-timeout",
            paramLabel = "DURATION",
            description =
                    "End a call whose caller sends no RTP this long (default: 30s; on hold ten times as long, at least 5m).")
    String mediaTimeout = "30s";

    @Option(
            names = "--call-records",
            paramLabel = "FILE",
            description = "Append one JSON line per ended call to FILE (default: data/calls.jsonl, or records.calls).")
    @Nullable
    Path callRecords;

    /** The environment {@code ${env:NAME}} reads. */
    Function<String, @Nullable String> environment = System::getenv;

    @Override
    public Integer call() throws InterruptedException {
        LoadedConfig loaded = null;
        if (config != null) {
            loaded = CheckConfigCommand.loadOrReport(
                    config, new SecretResolver(environment), spec.commandLine().getErr());
            if (loaded == null) {
                System.err.println("softswitch: not starting: fix " + config + " (bin/softswitch check-config " + config
                        + " shows the same)");
                return 1;
            }
        }
        ServeSettings settings = settings(loaded);
        Softswitch softswitch;
        try {
            softswitch = Softswitch.start(settings, loaded);
        } catch (StartupException e) {
            System.err.println("softswitch: " + e.getMessage());
            return 1;
        }
        // Runs only on a signal (SIGTERM, Ctrl-C): calls end with BYE, then the process exits 0, not 128+signal,
        // because stopping on request is a clean stop.
        Runtime.getRuntime()
                .addShutdownHook(Thread.ofPlatform().name("shutdown").unstarted(() -> {
                    softswitch.stop(Duration.ofSeconds(5));
                    System.err.flush();
                    Runtime.getRuntime().halt(0);
                }));
        new CountDownLatch(1).await();
        return 0;
    }

    private ServeSettings settings(@Nullable LoadedConfig loaded) {
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        if (loaded != null) {
            // The file's values, unless the same thing was given as a flag.
            ListenConfig listen = loaded.config().listen();
            PortRange ports = loaded.config().rtp().ports();
            if (!given.hasMatchedOption("--bind")) {
                bind = listen.bind();
            }
            if (!given.hasMatchedOption("--advertise") && !given.hasMatchedOption("--bind")) {
                advertise = listen.advertise();
            }
            if (!given.hasMatchedOption("--sip-port")) {
                sipPort = listen.sipPort();
            }
            if (!given.hasMatchedOption("--http-port")) {
                httpPort = listen.httpPort();
            }
            if (!given.hasMatchedOption("--rtp-ports")) {
                rtpPorts = ports.low() + "-" + ports.high();
            }
        }
        RecordsConfig records = loaded != null ? loaded.config().records() : RecordsConfig.DEFAULTS;
        int[] range = parseRange(rtpPorts);
        String adv = advertise != null ? advertise : bind;
        if (adv.equals("0.0.0.0") || adv.equals("::") || adv.equals("[::]")) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--bind " + bind + " listens on every address: name the one callers reach with --advertise ADDR");
        }
        checkPort("--sip-port", sipPort, false);
        checkPort("--http-port", httpPort, true);
        return new ServeSettings(
                bind,
                adv,
                sipPort,
                range[0],
                range[1],
                httpPort,
                parseDuration("--answer-delay", answerDelay),
                positive("--media-timeout", parseDuration("--media-timeout", mediaTimeout)),
                callRecords != null ? callRecords : records.calls(),
                records.recordings());
    }

    private int[] parseRange(String text) {
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

    private void checkPort(String flag, int port, boolean zeroAllowed) {
        if ((port == 0 && !zeroAllowed) || port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), flag + " " + port + " is not a port (1-65535)");
        }
    }

    private Duration positive(String flag, Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw new CommandLine.ParameterException(spec.commandLine(), flag + " must be more than 0");
        }
        return d;
    }

    private Duration parseDuration(String flag, String text) {
        try {
            String t = text.trim().toLowerCase(java.util.Locale.ROOT);
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            }
            return Duration.ofSeconds(Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), flag + " '" + text + "': give a duration such as 2s or 500ms");
        }
    }
}
