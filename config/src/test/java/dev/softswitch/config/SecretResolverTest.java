package dev.softswitch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretResolverTest {

    @TempDir
    Path dir;

    final SecretResolver resolver = SecretResolver.withEnvironment(Map.of("API_KEY", "sk-123", "EMPTY", ""));

    @Test
    void readsAnEnvironmentVariable() throws Exception {
        Secret secret = resolver.resolve("${env:API_KEY}");
        assertThat(secret.reveal()).isEqualTo("sk-123");
        assertThat(secret.origin()).isEqualTo("${env:API_KEY}");
    }

    @Test
    void usesOnlyTheInjectedEnvironment() throws Exception {
        Map<String, String> env = new HashMap<>();
        SecretResolver live = new SecretResolver(env::get);
        assertThatThrownBy(() -> live.resolve("${env:PATH}"))
                .isInstanceOf(SecretResolutionException.class)
                .hasMessage("environment variable PATH is not set");
        env.put("PATH", "/bin");
        assertThat(live.resolve("${env:PATH}").reveal()).isEqualTo("/bin");
    }

    @Test
    void anUnsetOrEmptyVariableIsNamed() {
        assertThatThrownBy(() -> resolver.resolve("${env:MISSING}"))
                .isInstanceOf(SecretResolutionException.class)
                .hasMessage("environment variable MISSING is not set");
        assertThatThrownBy(() -> resolver.resolve("${env:EMPTY}")).hasMessage("environment variable EMPTY is empty");
        assertThatThrownBy(() -> resolver.resolve("${env:1BAD}"))
                .hasMessage("${env:NAME}: the variable name must be letters, digits and _, not starting with a digit");
    }

    @Test
    void readsAFileLessOneTrailingNewline() throws Exception {
        Path file = Files.writeString(dir.resolve("secret"), "pa ss\n");
        Secret secret = resolver.resolve("${file:" + file + "}");
        assertThat(secret.reveal()).isEqualTo("pa ss");
        assertThat(secret.origin()).isEqualTo("${file:" + file + "}");

        Files.writeString(file, "two\n\n");
        assertThat(resolver.resolve("${file:" + file + "}").reveal()).isEqualTo("two\n");
        Files.writeString(file, "crlf\r\n");
        assertThat(resolver.resolve("${file:" + file + "}").reveal()).isEqualTo("crlf");
        Files.writeString(file, "no newline");
        assertThat(resolver.resolve("${file:" + file + "}").reveal()).isEqualTo("no newline");
    }

    @Test
    void saysWhyAFileCannotBeRead() throws Exception {
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> resolver.resolve("${file:" + missing + "}"))
                .isInstanceOf(SecretResolutionException.class)
                .hasMessage("secret file " + missing + ": no such file");
        assertThatThrownBy(() -> resolver.resolve("${file:" + dir + "}"))
                .hasMessage("secret file " + dir + ": is a directory");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> resolver.resolve("${file:" + empty + "}"))
                .hasMessage("secret file " + empty + ": is empty");
        assertThatThrownBy(() -> resolver.resolve("${file:relative/secret}"))
                .hasMessage("secret file relative/secret: not an absolute path");
        assertThatThrownBy(() -> resolver.resolve("${file:}"))
                .hasMessage("${file:} names no file: write ${file:/path}");
        Path big = Files.write(dir.resolve("big"), new byte[SecretResolver.MAX_FILE_BYTES + 1]);
        assertThatThrownBy(() -> resolver.resolve("${file:" + big + "}"))
                .hasMessage("secret file " + big + ": larger than 64 KiB (it should hold one value)");
        Path binary = Files.write(dir.resolve("binary"), new byte[] {(byte) 0xff, (byte) 0xfe});
        assertThatThrownBy(() -> resolver.resolve("${file:" + binary + "}"))
                .hasMessage("secret file " + binary + ": not UTF-8 text");
    }

    @Test
    void anUnreadableFileIsPermissionDenied() throws Exception {
        Path locked = Files.writeString(dir.resolve("locked"), "secret", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(locked), "running as root: every file is readable");
        assertThatThrownBy(() -> resolver.resolve("${file:" + locked + "}"))
                .hasMessage("secret file " + locked + ": permission denied");
    }

    @Test
    void anythingElseIsTheSecretItself() throws Exception {
        Secret literal = resolver.resolve("plain-password");
        assertThat(literal.reveal()).isEqualTo("plain-password");
        assertThat(literal.origin()).isEqualTo("inline");
        assertThat(SecretResolver.isReference("plain-password")).isFalse();
        assertThat(SecretResolver.isReference("${env:API_KEY}")).isTrue();
    }

    @Test
    void rejectsMalformedReferencesWithoutEchoingThem() {
        assertThatThrownBy(() -> resolver.resolve("${vault:db/password}"))
                .hasMessage("unknown kind of secret reference \"vault\": use ${env:NAME} or ${file:/path}");
        assertThatThrownBy(() -> resolver.resolve("${nonsense}"))
                .hasMessage("not a secret reference: use ${env:NAME} or ${file:/path}");
        assertThatThrownBy(() -> resolver.resolve("Bearer ${env:API_KEY}"))
                .hasMessage("a secret reference must be the whole value: ${env:NAME} or ${file:/path}");
    }
}
