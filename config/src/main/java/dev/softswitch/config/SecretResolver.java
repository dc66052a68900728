package dev.softswitch.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns a configured value into a {@link Secret}: {@code ${env:NAME}} reads an environment variable, {@code
 * ${file:/path}} reads a file (such as a Docker or Kubernetes secret) without its one trailing newline, and anything
 * else is the secret itself, written inline. The environment is injected, so tests need no real variables.
 */
public final class SecretResolver {

    /** A secret file holds one value; a bigger file is a mistake (or {@code /dev/zero}). */
    static final int MAX_FILE_BYTES = 64 * 1024;

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z]+):(.*)}", Pattern.DOTALL);
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String FORMS = "${env:NAME} or ${file:/path}";

    private final Function<String, @Nullable String> environment;

    /** @param environment the value of an environment variable by name, or null when it is not set */
    public SecretResolver(Function<String, @Nullable String> environment) {
        this.environment = environment;
    }

    /** Resolves against this process's environment. */
    public static SecretResolver system() {
        return new SecretResolver(System::getenv);
    }

    /** Resolves against the given variables only. */
    public static SecretResolver withEnvironment(Map<String, String> environment) {
        Map<String, String> copy = Map.copyOf(environment);
        return new SecretResolver(copy::get);
    }

    /** Whether a value is a reference ({@code ${...}}) rather than a secret written inline. */
    public static boolean isReference(String value) {
        return value.startsWith("${") && value.endsWith("}");
    }

    /**
     * The secret a value stands for: the referenced one, or the value itself when it is not a reference.
     *
     * @throws SecretResolutionException naming the reference and the reason, never a value
     */
    public Secret resolve(String value) throws SecretResolutionException {
        if (!isReference(value)) {
            if (value.contains("${")) {
                throw new SecretResolutionException("a secret reference must be the whole value: " + FORMS);
            }
            return Secret.of(value);
        }
        Matcher reference = REFERENCE.matcher(value);
        if (!reference.matches()) {
            throw new SecretResolutionException("not a secret reference: use " + FORMS);
        }
        String argument = reference.group(2);
        return switch (reference.group(1)) {
            case "env" -> fromEnvironment(argument, value);
            case "file" -> fromFile(argument, value);
            default ->
                throw new SecretResolutionException(
                        "unknown kind of secret reference \"" + reference.group(1) + "\": use " + FORMS);
        };
    }

    private Secret fromEnvironment(String name, String reference) throws SecretResolutionException {
        if (!ENV_NAME.matcher(name).matches()) {
            throw new SecretResolutionException(
                    "${env:NAME}: the variable name must be letters, digits and _, not starting with a digit");
        }
        String value = environment.apply(name);
        if (value == null) {
            throw new SecretResolutionException("environment variable " + name + " is not set");
        }
        if (value.isEmpty()) {
            throw new SecretResolutionException("environment variable " + name + " is empty");
        }
        return Secret.of(value, reference);
    }

    private static Secret fromFile(String name, String reference) throws SecretResolutionException {
        if (name.isEmpty()) {
            throw new SecretResolutionException("${file:} names no file: write ${file:/path}");
        }
        Path path;
        try {
            path = Path.of(name);
        } catch (InvalidPathException e) {
            throw new SecretResolutionException("secret file " + name + ": not a valid path");
        }
        if (!path.isAbsolute()) {
            throw new SecretResolutionException("secret file " + name + ": not an absolute path");
        }
        if (Files.isDirectory(path)) {
            throw new SecretResolutionException("secret file " + name + ": is a directory");
        }
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            throw new SecretResolutionException("secret file " + name + ": not a regular file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new SecretResolutionException("secret file " + name + ": no such file");
        } catch (AccessDeniedException e) {
            throw new SecretResolutionException("secret file " + name + ": permission denied");
        } catch (IOException e) {
            throw new SecretResolutionException(
                    "secret file " + name + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new SecretResolutionException("secret file " + name + ": larger than " + MAX_FILE_BYTES / 1024
                    + " KiB (it should hold one value)");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new SecretResolutionException("secret file " + name + ": not UTF-8 text");
        }
        if (text.endsWith("\r\n")) {
            text = text.substring(0, text.length() - 2);
        } else if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.isEmpty()) {
            throw new SecretResolutionException("secret file " + name + ": is empty");
        }
        return Secret.of(text, reference);
    }
}
