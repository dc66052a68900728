package dev.softswitch.app;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the real peers the integration tests run; a missing one fails the test with the package to install. */
final class Tools {

    private Tools() {}

    /** The executable {@code command} on PATH, or an AssertionError naming the Debian package that provides it. */
    static Path require(String command, String debianPackage) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir, command);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new AssertionError(command + " is not installed; this test needs it: apt-get install -y " + debianPackage
                + " (.ci/run installs it)");
    }
}
