package dev.softswitch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code redis:}: off without it, every key read, the URL a secret, and every mistake named with line and field. */
class RedisConfigTest {

    private static LoadedConfig load(String redis, Map<String, String> env) throws ConfigException {
        return ConfigLoader.parse(
                ConfigErrorsTest.ASSISTANT + redis, Path.of("softswitch.yaml"), SecretResolver.withEnvironment(env));
    }

    @Test
    void noSectionMeansNoRedis() throws Exception {
        assertThat(load("", Map.of()).config().redis()).isEqualTo(RedisConfig.NONE);
        assertThat(load("redis:\n", Map.of()).config().redis().enabled()).isFalse();
    }

    @Test
    void readsEveryKeyWithTheUrlFromTheEnvironment() throws Exception {
        LoadedConfig loaded = load("""
                redis:
                  url: ${env:REDIS_URL}
                  key_prefix: "prod-eu:"
                  timeout: 250ms
                  lease_ttl: 20s
                """, Map.of("REDIS_URL", "redis://:s3cret@10.0.0.5:6380/2"));
        RedisConfig redis = loaded.config().redis();

        assertThat(redis.enabled()).isTrue();
        assertThat(redis.url()).isNotNull();
        assertThat(redis.url().reveal()).isEqualTo("redis://:s3cret@10.0.0.5:6380/2");
        assertThat(redis.keyPrefix()).isEqualTo("prod-eu:");
        assertThat(redis.timeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(redis.leaseTtl()).isEqualTo(Duration.ofSeconds(20));
        assertThat(redis.toString()).as("the password never prints").doesNotContain("s3cret");
        assertThat(RedisConfig.location(redis.url().reveal())).isEqualTo("10.0.0.5:6380/2");
        assertThat(loaded.warnings()).isEmpty();
    }

    @Test
    void aUrlWrittenInTheFileIsFineWithoutAPasswordAndWarnedAboutWithOne() throws Exception {
        LoadedConfig plain = load("redis: {url: \"redis://127.0.0.1:6379\"}\n", Map.of());
        assertThat(plain.config().redis())
                .isEqualTo(new RedisConfig(
                        Secret.of("redis://127.0.0.1:6379"),
                        "softswitch:",
                        Duration.ofMillis(500),
                        Duration.ofSeconds(30)));
        assertThat(plain.warnings()).isEmpty();

        LoadedConfig withPassword = load("redis: {url: \"redis://:pw@127.0.0.1\"}\n", Map.of());
        assertThat(withPassword.warnings().stream().map(ConfigError::toString))
                .containsExactly("softswitch.yaml:4:14: redis.url: a secret written in the file: put it in an"
                        + " environment variable (${env:NAME}) or a file (${file:/path})");
    }

    @Test
    void mistakesAreNamedWithLineAndFieldAndNeverShowTheUrl() {
        assertThat(ConfigErrorsTest.errors(ConfigErrorsTest.ASSISTANT + """
                        redis:
                          url: "http://:hunter2@cache:6379"
                          key_prefix: "  "
                          timeout: 30s
                          lease_ttl: 1s
                          ttl: 5s
                        """))
                .containsExactlyInAnyOrder(
                        "softswitch.yaml:5:8: redis.url: not a redis:// or rediss:// URL",
                        "softswitch.yaml:6:15: redis.key_prefix: empty: give a prefix such as softswitch:",
                        "softswitch.yaml:7:12: redis.timeout: too long: at most 10s (calls wait this long for a port"
                                + " when Redis does not answer)",
                        "softswitch.yaml:8:14: redis.lease_ttl: too short: at least 3s",
                        "softswitch.yaml:9:3: redis.ttl: unknown key \"ttl\" (known keys: url, key_prefix, timeout,"
                                + " lease_ttl)")
                .allSatisfy(error -> assertThat(error).doesNotContain("hunter2"));
        assertThat(ConfigErrorsTest.errors(ConfigErrorsTest.ASSISTANT + """
                        redis:
                          key_prefix: "a:"
                          timeout: 2s
                          lease_ttl: 5s
                        """))
                .containsExactlyInAnyOrder(
                        "softswitch.yaml:5:3: redis.url: required: where Redis is, e.g. ${env:REDIS_URL}"
                                + " (redis://host:port[/db])",
                        "softswitch.yaml:7:14: redis.lease_ttl: not more than three times redis.timeout: leases are"
                                + " renewed every third of it, each renewal taking up to the timeout");
    }

    @Test
    void theExamplesCommentedSectionIsValidOnceUncommented() throws Exception {
        String example = Files.readString(Path.of("..", "examples", "softswitch.yaml"));
        int start = example.indexOf("# redis:");
        assertThat(start).as("examples/softswitch.yaml shows a redis: section").isPositive();
        String section = example.substring(start)
                .lines()
                .takeWhile(line -> line.startsWith("#"))
                .map(line -> line.substring(2))
                .collect(Collectors.joining("\n", "", "\n"));

        LoadedConfig loaded = load(section, Map.of("REDIS_URL", "redis://127.0.0.1:6379"));

        assertThat(loaded.config().redis())
                .isEqualTo(new RedisConfig(
                        Secret.of("redis://127.0.0.1:6379"),
                        RedisConfig.DEFAULT_KEY_PREFIX,
                        RedisConfig.DEFAULT_TIMEOUT,
                        RedisConfig.DEFAULT_LEASE_TTL));
        assertThat(loaded.warnings()).isEmpty();
    }

    @Test
    void urlProblemsAreSaidWithoutTheUrl() {
        assertThat(RedisConfig.problemWith("redis://127.0.0.1:6379")).isEmpty();
        assertThat(RedisConfig.problemWith("rediss://:pw@cache.example.com/3")).isEmpty();
        assertThat(RedisConfig.problemWith("redis://127.0.0.1:6379/")).isEmpty();
        assertThat(RedisConfig.problemWith("http://cache:6379")).contains("not a redis:// or rediss:// URL");
        assertThat(RedisConfig.problemWith("127.0.0.1:6379"))
                .contains("not a URL (write redis://host:port, or redis://:password@host:port/db)");
        assertThat(RedisConfig.problemWith("redis:///0")).contains("names no host (write redis://host:port)");
        assertThat(RedisConfig.problemWith("redis://cache:6379/main"))
                .contains("its path is not a database number (redis://host:port/0 to /15)");
        assertThat(RedisConfig.problemWith("redis://ca che:6379")).isPresent();
        assertThat(RedisConfig.location("redis://:pw@cache")).isEqualTo("cache:6379");
    }
}
