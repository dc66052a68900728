package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged softswitch ({@code target/softswitch.jar}, which {@code mvn package} makes) run as a process of its
 * own on the JDK that runs the tests, its output and errors into one log file: what an operator runs, signals
 * included.
 */
final class PackagedJar {

    static final Path JAR = Path.of("target", "softswitch.jar");

    private PackagedJar() {}

    /** Runs {@code softswitch ARGS...}. */
    static Process start(Path log, String... args) throws IOException {
        return start(log, List.of(), Map.of(), args);
    }

    /**
     * Runs {@code softswitch ARGS...} with {@code jvmOptions} before {@code -jar} (e.g. a log level) and
     * {@code environment} added to this process's (e.g. the variables a configuration's {@code ${env:...}} reads).
     */
    static Process start(Path log, List<String> jvmOptions, Map<String, String> environment, String... args)
            throws IOException {
        assertThat(JAR).as("the packaged jar (mvn package makes it)").exists();
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }
}
