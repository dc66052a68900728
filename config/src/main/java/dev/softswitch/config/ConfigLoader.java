package dev.softswitch.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads and validates a configuration file. Errors name the file, line, column and field; all of them are found in
 * one pass, except a YAML syntax error, which stops the reading and is the only error reported.
 *
 * <pre>{@code
 * LoadedConfig loaded = ConfigLoader.load(Path.of("softswitch.yaml"));
 * }</pre>
 */
public final class ConfigLoader {

    private ConfigLoader() {}

    /**
     * Loads {@code file}, resolving secrets against this process's environment.
     *
     * @throws IOException when the file cannot be read ({@link java.nio.file.NoSuchFileException} when it is missing)
     * @throws ConfigException when it is not a valid configuration
     */
    public static LoadedConfig load(Path file) throws IOException, ConfigException {
        return load(file, SecretResolver.system());
    }

    /**
     * Loads {@code file}, resolving secrets with {@code secrets}.
     *
     * @throws IOException when the file cannot be read ({@link java.nio.file.NoSuchFileException} when it is missing)
     * @throws ConfigException when it is not a valid configuration
     */
    public static LoadedConfig load(Path file, SecretResolver secrets) throws IOException, ConfigException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file, secrets);
    }

    /**
     * Validates configuration text.
     *
     * @param file the name errors give the text's source
     * @throws ConfigException when it is not a valid configuration
     */
    public static LoadedConfig parse(String yaml, Path file, SecretResolver secrets) throws ConfigException {
        Diagnostics diagnostics = new Diagnostics(file);
        YamlNode document;
        try {
            document = YamlTreeReader.read(yaml, diagnostics);
        } catch (YamlTreeReader.SyntaxException e) {
            throw new ConfigException(
                    List.of(new ConfigError(file, e.line(), e.column(), "", "YAML syntax: " + e.getMessage())),
                    List.of());
        }
        SoftswitchConfig config = ConfigReader.read(document, new NodeReader(diagnostics, secrets));
        if (diagnostics.hasErrors()) {
            throw new ConfigException(diagnostics.errors(), diagnostics.warnings());
        }
        return new LoadedConfig(file, config, diagnostics.warnings());
    }
}
