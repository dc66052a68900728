package dev.softswitch.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A configuration file that passed validation.
 *
 * @param file the file it was read from
 * @param config what it says
 * @param warnings what is allowed but unwise (a secret written inline), in file order
 */
public record LoadedConfig(Path file, SoftswitchConfig config, List<ConfigError> warnings) {

    public LoadedConfig {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(config, "config");
        warnings = List.copyOf(warnings);
    }

    /** The secrets the configuration holds, by key. */
    public CredentialVault vault() {
        return CredentialVault.from(config);
    }
}
