package dev.softswitch.app;

import dev.softswitch.app.dial.DialPlan;
import dev.softswitch.assistant.AssistantDirectory;
import dev.softswitch.config.LoadedConfig;
import dev.softswitch.sip.DialRequest;
import dev.softswitch.sip.DialStatus;
import dev.softswitch.sip.OutboundCall;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code softswitch dial}: places one call (or a batch, see {@link DialBatch}), connects the answered call to an
 * assistant, shows its progress on one line, and exits 0 when it was answered.
 */
@Command(
        name = "dial",
        description = {
            "Place a call and connect the answered call to an assistant.",
            "Exit status: 0 answered, 10 busy, 11 no answer, 12 rejected, 13 unreachable, 14 authentication failed,"
                    + " 15 cancelled, 1 failed, 2 bad arguments."
        })
final class DialCommand implements Callable<Integer> {

    /** Without a flag or a file: next to a {@code serve} on 5060 on the same host. */
    static final int DEFAULT_SIP_PORT = 5070;

    @CommandLine.Spec
    @SuppressWarnings("NullAway.Init")
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ListenOptions listen = new ListenOptions();

    @CommandLine.Mixin
    TlsOptions tls = new TlsOptions();

    @Option(
            names = "--trunk",
            paramLabel = "NAME",
            description = "Configured trunk (with an outbound section) to call through.")
    @Nullable
    String trunk;

    @Option(
            names = "--provider",
            paramLabel = "NAME",
            description = "Configured cloud provider (providers: in the configuration) to place the call through its"
                    + " REST API; its media comes back to this process at providers.public_url.")
    @Nullable
    String provider;

    @Option(
            names = "--to",
            paramLabel = "NUMBER_OR_URI",
            description = "Number to call through --trunk, or a SIP URI to call directly (sip:alice@192.0.2.10).")
    @Nullable
    String to;

    @Option(
            names = "--to-file",
            paramLabel = "CSV",
            description = "Call every number in this CSV file (column 'to'; other columns become variables).")
    @Nullable
    Path toFile;

    @Option(
            names = "--concurrency",
            paramLabel = "N",
            description = "With --to-file: calls at the same time (default: ${DEFAULT-VALUE}).")
    int concurrency = 1;

    @Option(
            names = "--results",
            paramLabel = "FILE",
            description = "With --to-file: one CSV result line per call (default: the CSV's name + .results.csv).")
    @Nullable
    Path results;

    @Option(
            names = "--assistant",
            paramLabel = "ID",
            description = "Assistant that talks once answered (default: ${DEFAULT-VALUE}).")
    String assistant = "echo";

    @Option(names = "--from", paramLabel = "USER", description = "From user (default: the trunk's caller_id).")
    @Nullable
    String from;

    @Option(names = "--var", paramLabel = "NAME=VALUE", description = "A variable for the assistant (repeatable).")
    Map<String, String> variables = new LinkedHashMap<>();

    @Option(
            names = "--ring-timeout",
            paramLabel = "DURATION",
            description = "Cancel when unanswered this long (default: ${DEFAULT-VALUE}).")
    String ringTimeout = "30s";

    @Option(
            names = "--max-duration",
            paramLabel = "DURATION",
            description = "Hang up an answered call after this long; 0 for no limit (default: ${DEFAULT-VALUE}).")
    String maxDuration = "5m";

    @Override
    public Integer call() throws InterruptedException {
        if ((to == null) == (toFile == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --to NUMBER_OR_URI or --to-file CSV");
        }
        if (concurrency < 1 || concurrency > 1000) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--concurrency must be 1 to 1000");
        }
        LoadedConfig loaded;
        try {
            loaded = listen.load(spec, "dialling");
        } catch (ListenOptions.ConfigRefused e) {
            return 1;
        }
        Predicate<String> assistants = loaded != null
                ? id -> loaded.config().assistant(id).isPresent()
                : id -> AssistantDirectory.builtIns().find(id).isPresent();
        DialPlan plan = new DialPlan(loaded == null ? null : loaded.config(), assistants);
        Duration ring = ListenOptions.parseDuration(spec, "--ring-timeout", ringTimeout);
        Duration max = ListenOptions.parseDuration(spec, "--max-duration", maxDuration);
        List<DialBatch.Entry> entries;
        if (toFile != null) {
            try {
                entries = DialBatch.read(toFile);
            } catch (DialBatch.BadFile e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--to-file " + e.getMessage());
            }
        } else {
            entries = List.of(new DialBatch.Entry(1, to == null ? "" : to, Map.of()));
        }
        if (provider != null) {
            return dialProvider(loaded, plan, ring, max);
        }
        List<DialRequest> requests = new java.util.ArrayList<>();
        for (DialBatch.Entry entry : entries) {
            Map<String, String> vars = new LinkedHashMap<>(entry.variables());
            vars.putAll(variables);
            try {
                requests.add(plan.plan(entry.to(), trunk, assistant, from, vars, ring, max));
            } catch (DialPlan.InvalidDial e) {
                String where = toFile != null ? toFile + " line " + entry.line() + ": " : "";
                throw new CommandLine.ParameterException(
                        spec.commandLine(), where + "--" + e.field().replace('_', '-') + ": " + e.getMessage());
            }
        }
        ServeSettings settings = listen.settings(spec, loaded, DEFAULT_SIP_PORT, 0, Duration.ZERO);
        Softswitch softswitch;
        try {
            // the daemon keeps the trunks' registrations
            softswitch = Softswitch.start(settings, loaded, false, tls.resolve(spec, loaded, false));
        } catch (StartupException e) {
            System.err.println("softswitch: " + e.getMessage());
            return 1;
        }
        try {
            if (toFile != null) {
                java.nio.file.Path out =
                        results != null ? results : toFile.resolveSibling(toFile.getFileName() + ".results.csv");
                return new DialBatch(softswitch.sip(), System.out, concurrency).run(entries, requests, out);
            }
            return dialOne(softswitch, requests.get(0));
        } finally {
            softswitch.stop(Duration.ofSeconds(2));
        }
    }

    /**
     * {@code --provider}: one call through the provider's REST API. The softswitch listens on the configured HTTP port,
     * where the provider's webhooks and media socket (at {@code providers.public_url}) reach it.
     */
    private int dialProvider(@Nullable LoadedConfig loaded, DialPlan plan, Duration ring, Duration max)
            throws InterruptedException {
        if (toFile != null || to == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--provider calls one number: give --to");
        }
        dev.softswitch.bridge.provider.DialOrder order;
        try {
            order = plan.providerOrder(provider, to, trunk, assistant, from, variables, ring, max);
        } catch (DialPlan.InvalidDial e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--" + e.field().replace('_', '-') + ": " + e.getMessage());
        }
        int http = loaded == null ? 0 : loaded.config().listen().httpPort();
        ServeSettings settings = listen.settings(spec, loaded, DEFAULT_SIP_PORT, http, Duration.ZERO);
        Softswitch softswitch;
        try {
            softswitch = Softswitch.start(settings, loaded, false);
        } catch (StartupException e) {
            System.err.println("softswitch: " + e.getMessage());
            return 1;
        }
        try {
            dev.softswitch.bridge.provider.Providers providers =
                    java.util.Objects.requireNonNull(softswitch.providers());
            dev.softswitch.bridge.provider.ProviderCall call;
            try {
                call = providers.dial(order);
            } catch (dev.softswitch.bridge.provider.RefusedException e) {
                System.err.println("softswitch: " + e.getMessage());
                return 1;
            }
            java.util.concurrent.CompletableFuture<Void> ended = new java.util.concurrent.CompletableFuture<>();
            call.whenEnded(() -> ended.complete(null));
            ProgressLine line = new ProgressLine(System.out, System.console() != null, provider + ":" + order.to());
            Thread hook = Thread.ofPlatform().name("dial-stop").unstarted(call::hangUp);
            Runtime.getRuntime().addShutdownHook(hook);
            line.startClock();
            try {
                while (!ended.isDone()) {
                    line.show(dev.softswitch.app.providers.ProviderWiring.dialStatus(call.status()));
                    try {
                        ended.get(200, TimeUnit.MILLISECONDS);
                    } catch (ExecutionException | TimeoutException e) {
                        // look again
                    }
                }
            } finally {
                line.stopClock();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: the call is being hung up
                }
            }
            DialStatus end = dev.softswitch.app.providers.ProviderWiring.dialStatus(call.status());
            line.show(end);
            return exitCode(end);
        } finally {
            softswitch.stop(Duration.ofSeconds(2));
        }
    }

    private int dialOne(Softswitch softswitch, DialRequest request) throws InterruptedException {
        ProgressLine line = new ProgressLine(System.out, System.console() != null, request.requestUri());
        OutboundCall call = softswitch.sip().dial(request, line::show);
        Thread hook = Thread.ofPlatform().name("dial-stop").unstarted(() -> {
            call.hangUp();
            try {
                call.ended().get(5, TimeUnit.SECONDS);
            } catch (InterruptedException | ExecutionException | TimeoutException e) {
                // stopping anyway
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        line.startClock();
        DialStatus end;
        try {
            end = call.ended().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the call failed to report its end", e);
        } finally {
            line.stopClock();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: the call is being hung up
            }
        }
        return exitCode(end);
    }

    /** 0 when answered; one code per way of not being answered. */
    static int exitCode(DialStatus end) {
        DialStatus.Outcome outcome = end.outcome();
        if (outcome == null) {
            return 1;
        }
        return switch (outcome) {
            case ANSWERED -> 0;
            case BUSY -> 10;
            case NO_ANSWER -> 11;
            case REJECTED -> 12;
            case UNREACHABLE -> 13;
            case AUTH_FAILED -> 14;
            case CANCELLED -> 15;
            case FAILED -> 1;
            case REFUSED -> 16;
        };
    }

    /** The call's progress on one line: rewritten in place on a terminal, a line per change otherwise. */
    static final class ProgressLine {
        private final PrintStream out;
        private final boolean terminal;
        private final String target;
        private volatile @Nullable DialStatus last;
        private @Nullable Thread clock;
        private int width;

        ProgressLine(PrintStream out, boolean terminal, String target) {
            this.out = out;
            this.terminal = terminal;
            this.target = target;
        }

        synchronized void show(DialStatus status) {
            DialStatus before = last;
            last = status;
            if (!terminal && before != null && before.phase() == status.phase() && !status.isEnded()) {
                return;
            }
            print(status);
        }

        void startClock() {
            if (!terminal) {
                return;
            }
            clock = Thread.ofVirtual().name("dial-clock").start(() -> {
                try {
                    while (true) {
                        Thread.sleep(1000);
                        DialStatus s = last;
                        if (s != null && !s.isEnded()) {
                            synchronized (this) {
                                print(s);
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    // stopped
                }
            });
        }

        void stopClock() {
            Thread t = clock;
            if (t != null) {
                t.interrupt();
            }
        }

        private void print(DialStatus s) {
            String text = describe(s, target, java.time.Instant.now());
            if (terminal) {
                String padded = text.length() < width ? text + " ".repeat(width - text.length()) : text;
                width = text.length();
                out.print("\r" + padded + (s.isEnded() ? "\n" : ""));
            } else {
                out.println(text);
            }
            out.flush();
        }

        static String describe(DialStatus s, String target, java.time.Instant now) {
            String elapsed = clock(Duration.between(s.started(), s.ended() != null ? s.ended() : now));
            return switch (s.phase()) {
                case TRYING -> target + ": trying " + elapsed;
                case RINGING -> target + ": ringing " + elapsed + " (" + s.detail() + ")";
                case EARLY_MEDIA -> target + ": early media " + elapsed + " (" + s.detail() + ")";
                case ANSWERED -> target + ": answered, talking " + clock(s.talkTime(now));
                case ENDED ->
                    s.outcome() == DialStatus.Outcome.ANSWERED
                            ? target + ": answered, talked " + clock(s.talkTime(now)) + "; ended: " + s.detail()
                            : target + ": "
                                    + (s.outcome() == null
                                            ? "failed"
                                            : s.outcome().label().replace('_', ' ')) + " after " + elapsed + ": "
                                    + s.detail();
            };
        }

        private static String clock(Duration d) {
            long seconds = Math.max(0, d.toSeconds());
            return String.format(java.util.Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
        }
    }
}
