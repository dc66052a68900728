package dev.softswitch.app;

import dev.softswitch.config.LoadedConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;
import sun.misc.SignalHandler;

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

    @CommandLine.Mixin
    TlsOptions tls = new TlsOptions();

    @Option(
            names = "--http-port",
            paramLabel = "N",
            description = "HTTP port for GET /health; 0 turns it off (default: ${DEFAULT-VALUE}).")
    int httpPort = ServeSettings.DEFAULT_HTTP_PORT;

    @Option(
            names = "--drain-timeout",
            paramLabel = "DURATION",
            description = "On SIGTERM, let calls in progress go on this long before ending them (default: 30s);"
                    + " a second SIGTERM ends them at once.")
    String drainTimeout = "30s";

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
            softswitch = Softswitch.start(settings, loaded, true, tls.resolve(spec, loaded, true));
        } catch (StartupException e) {
            System.err.println("softswitch: " + e.getMessage());
            return 1;
        }
        // SIGTERM or Ctrl-C drains: new calls get 503, calls in progress go on for up to --drain-timeout, then the
        // rest end with BYE. A second signal ends them at once. Either way the exit status is 0: stopping on request
        // is a clean stop.
        Duration drain = ListenOptions.parseDuration(spec, "--drain-timeout", drainTimeout);
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicInteger signals = new AtomicInteger();
        SignalHandler onSignal = signal -> {
            if (signals.incrementAndGet() == 1) {
                Thread.ofPlatform().name("drain").start(() -> {
                    softswitch.drain(drain);
                    stopped.countDown();
                });
            } else {
                Thread.ofPlatform().name("stop").start(() -> {
                    softswitch.stop(Duration.ofSeconds(2));
                    stopped.countDown();
                });
            }
        };
        Signal.handle(new Signal("TERM"), onSignal);
        Signal.handle(new Signal("INT"), onSignal);
        stopped.await();
        System.err.flush();
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
