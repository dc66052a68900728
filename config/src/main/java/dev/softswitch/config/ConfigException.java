package dev.softswitch.config;

import java.util.List;

/**
 * A configuration file that cannot be used: every error found in one pass (or the one YAML syntax error), and the
 * warnings found on the way. The message is the errors, one a line.
 */
public final class ConfigException extends Exception {

    private final List<ConfigError> errors;
    private final List<ConfigError> warnings;

    public ConfigException(List<ConfigError> errors, List<ConfigError> warnings) {
        super(message(errors));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException holds at least one error");
        }
        this.errors = List.copyOf(errors);
        this.warnings = List.copyOf(warnings);
    }

    /** The errors, in file order. */
    public List<ConfigError> errors() {
        return errors;
    }

    /** The warnings, in file order. */
    public List<ConfigError> warnings() {
        return warnings;
    }

    private static String message(List<ConfigError> errors) {
        StringBuilder message = new StringBuilder();
        for (ConfigError error : errors) {
            if (message.length() > 0) {
                message.append('\n');
            }
            message.append(error);
        }
        return message.toString();
    }
}
