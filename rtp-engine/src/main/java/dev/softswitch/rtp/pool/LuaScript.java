package dev.softswitch.rtp.pool;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * One Lua script, run by its SHA-1 ({@code EVALSHA}) and sent whole ({@code EVAL}, which also caches it) only when the
 * server does not know it yet, for instance after a restart. Every run is bounded by a timeout.
 */
final class LuaScript {

    private final String source;
    private final String sha;

    LuaScript(String source) {
        this.source = source;
        try {
            this.sha = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    }

    /** Runs the script; the future fails on a Redis error and once {@code timeout} has passed without an answer. */
    <T> CompletableFuture<T> run(
            StatefulRedisConnection<String, String> redis,
            ScriptOutputType type,
            Duration timeout,
            String[] keys,
            String... args) {
        CompletableFuture<T> bySha =
                redis.async().<T>evalsha(sha, type, keys, args).toCompletableFuture();
        return bySha.exceptionallyCompose(e -> unwrap(e) instanceof RedisNoScriptException
                        ? redis.async().<T>eval(source, type, keys, args).toCompletableFuture()
                        : CompletableFuture.failedFuture(unwrap(e)))
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
