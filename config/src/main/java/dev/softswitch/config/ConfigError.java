package dev.softswitch.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One problem in a configuration file, where it is and what is wrong. Messages name values that are not secret and
 * never a secret's value.
 *
 * @param file the file as it was named to the loader
 * @param line 1-based line
 * @param column 1-based column
 * @param field the field's path, such as {@code trunks[0].networks[1]}; empty for a YAML syntax error
 * @param message what is wrong, for a person to read
 */
public record ConfigError(Path file, int line, int column, String field, String message) {

    public ConfigError {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    /** {@code file:line:column}, the form editors and terminals link to. */
    public String location() {
        return file + ":" + line + ":" + column;
    }

    /** {@code file:line:column: field: message}, or {@code file:line:column: message} when there is no field. */
    @Override
    public String toString() {
        return location() + ": " + (field.isEmpty() ? "" : field + ": ") + message;
    }
}
