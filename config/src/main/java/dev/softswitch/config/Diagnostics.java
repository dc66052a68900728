package dev.softswitch.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects the errors and warnings of one pass over a file, in file order. */
final class Diagnostics {

    private static final Comparator<ConfigError> FILE_ORDER =
            Comparator.comparingInt(ConfigError::line).thenComparingInt(ConfigError::column);

    private final Path file;
    private final List<ConfigError> errors = new ArrayList<>();
    private final List<ConfigError> warnings = new ArrayList<>();

    Diagnostics(Path file) {
        this.file = file;
    }

    void error(YamlNode at, String field, String message) {
        error(at.line(), at.column(), field, message);
    }

    void error(int line, int column, String field, String message) {
        errors.add(new ConfigError(file, line, column, field, message));
    }

    void warning(YamlNode at, String field, String message) {
        warnings.add(new ConfigError(file, at.line(), at.column(), field, message));
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    List<ConfigError> errors() {
        return errors.stream().sorted(FILE_ORDER).toList();
    }

    List<ConfigError> warnings() {
        return warnings.stream().sorted(FILE_ORDER).toList();
    }
}
