package dev.softswitch.app;

import dev.softswitch.config.LoadedConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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

    @CommandLine.Mixin
    ListenOptions listen = new ListenOptions();

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

    @Override
    public Integer call() throws InterruptedException {
        LoadedConfig loaded;
        try {
            loaded = listen.load(spec, "starting");
        } catch (ListenOptions.ConfigRefused e) {
            return 1;
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
        int http = httpPort;
        if (loaded != null && !spec.commandLine().getParseResult().hasMatchedOption("--http-port")) {
            http = loaded.config().listen().httpPort();
        }
        ListenOptions.checkPort(spec, "--http-port", http, true);
        return listen.settings(
                spec,
                loaded,
                ServeSettings.DEFAULT_SIP_PORT,
                http,
                ListenOptions.parseDuration(spec, "--answer-delay", answerDelay));
    }
}
