package dev.softswitch.app;

import dev.softswitch.config.ConfigLoader;
import dev.softswitch.config.ListenConfig;
import dev.softswitch.config.LoadedConfig;
import dev.softswitch.config.SecretResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Starts softswitches on 127.0.0.1 with free ports for integration tests. */
final class TestServers {

    private TestServers() {}

    static Softswitch start(Duration answerDelay) throws StartupException {
        int rtp = FreePorts.rtpRangeStart();
        return Softswitch.start(new ServeSettings(
                "127.0.0.1",
                "127.0.0.1",
                FreePorts.udpAndTcp(),
                rtp,
                rtp + 399,
                0,
                answerDelay,
                Duration.ofSeconds(30),
                TestServers.records(),
                TestServers.recordings()));
    }

    /**
     * Starts a softswitch from a configuration: {@code sections} (assistants, trunks, ...) after a {@code listen} and
     * {@code rtp} section with free ports on 127.0.0.1. The file, the call records ({@code calls.jsonl}) and the
     * recordings ({@code recordings/}) go to {@code dir}.
     */
    static Softswitch configured(Path dir, String sections, Map<String, String> env) throws Exception {
        return configured(dir, sections, env, Duration.ZERO);
    }

    /** As {@link #configured(Path, String, Map)}, ringing for {@code answerDelay} before each answer. */
    static Softswitch configured(Path dir, String sections, Map<String, String> env, Duration answerDelay)
            throws Exception {
        return configured(dir, sections, env, answerDelay, Duration.ofSeconds(30));
    }

    /** As {@link #configured(Path, String, Map, Duration)}, ending calls silent for {@code mediaTimeout}. */
    static Softswitch configured(
            Path dir, String sections, Map<String, String> env, Duration answerDelay, Duration mediaTimeout)
            throws Exception {
        int rtp = FreePorts.rtpRangeStart();
        Path file = dir.resolve("softswitch.yaml");
        Files.writeString(file, """
                listen:
                  bind: 127.0.0.1
                  sip_port: %d
                  http_port: 0
                rtp:
                  ports: %d-%d
                """.formatted(FreePorts.udpAndTcp(), rtp, rtp + 399) + sections);
        LoadedConfig config = ConfigLoader.load(file, SecretResolver.withEnvironment(env));
        ListenConfig listen = config.config().listen();
        return Softswitch.start(
                new ServeSettings(
                        listen.bind(),
                        listen.advertise(),
                        listen.sipPort(),
                        rtp,
                        rtp + 399,
                        0,
                        answerDelay,
                        mediaTimeout,
                        dir.resolve("calls.jsonl"),
                        dir.resolve("recordings")),
                config);
    }

    /** Call records of the tests go under target/, never into the source tree. */
    static Path records() {
        return Path.of("target", "it-data", "calls.jsonl");
    }

    static Path recordings() {
        return Path.of("target", "it-data", "recordings");
    }

    static int sipPort(Softswitch softswitch) {
        return softswitch.sip().port();
    }
}
