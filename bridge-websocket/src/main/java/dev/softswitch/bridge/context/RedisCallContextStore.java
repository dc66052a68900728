package dev.softswitch.bridge.context;

import dev.softswitch.assistant.context.CallContext;
import dev.softswitch.assistant.context.CallContextStore;
import dev.softswitch.assistant.context.CallContextStoreException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Call contexts in Redis, shared by every instance: one key per call id ({@code <prefix>context:<id>}) holding the
 * context as JSON ({@link CallContextJson}), set with the TTL so that Redis expires it, and claimed by a Lua script
 * that reads and deletes it in one step, so that of any number of claims from any instances exactly one gets it.
 *
 * <p>Every command is bounded by the timeout; Redis unreachable is a {@link CallContextStoreException}, never a wait.
 * Both methods block for up to that timeout.
 */
public final class RedisCallContextStore implements CallContextStore {

    private static final Logger log = LoggerFactory.getLogger(RedisCallContextStore.class);

    /** GET and DEL in one step (GETDEL needs Redis 6.2; this runs on any Redis with scripting). */
    private static final String CLAIM = """
            local value = redis.call('GET', KEYS[1])
            if value then
              redis.call('DEL', KEYS[1])
            end
            return value
            """;

    private static final String CLAIM_SHA = sha1(CLAIM);

    private final Supplier<StatefulRedisConnection<String, String>> redis;
    private final String keyPrefix;
    private final Duration timeout;
    private final AtomicLong errors = new AtomicLong();

    /**
     * @param redis the connection to use; may throw while none is up (the store then counts as unreachable)
     * @param keyPrefix prepended to every key, e.g. {@code softswitch:}
     * @param timeout the longest a command may take
     */
    public RedisCallContextStore(
            Supplier<StatefulRedisConnection<String, String>> redis, String keyPrefix, Duration timeout) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        this.timeout = timeout;
    }

    @Override
    public void put(String callId, CallContext context, Duration ttl) {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(context, "context");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive");
        }
        String json = CallContextJson.write(context);
        await("store", () -> redis.get()
                .async()
                .set(key(callId), json, SetArgs.Builder.px(ttl.toMillis()))
                .toCompletableFuture());
    }

    @Override
    public Optional<CallContext> claim(String callId) {
        String[] keys = {key(callId)};
        @Nullable
        String json = await("claim", () -> {
            StatefulRedisConnection<String, String> connection = redis.get();
            CompletableFuture<String> bySha = connection
                    .async()
                    .<String>evalsha(CLAIM_SHA, ScriptOutputType.VALUE, keys)
                    .toCompletableFuture();
            return bySha.exceptionallyCompose(e -> unwrap(e) instanceof RedisNoScriptException
                    ? connection
                            .async()
                            .<String>eval(CLAIM, ScriptOutputType.VALUE, keys)
                            .toCompletableFuture()
                    : CompletableFuture.failedFuture(unwrap(e)));
        });
        if (json == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(CallContextJson.read(json));
        } catch (IllegalArgumentException e) {
            log.warn("call context of {} dropped: {}", callId, e.getMessage()); // written by another version
            return Optional.empty();
        }
    }

    /** Commands that failed or timed out. */
    public long errors() {
        return errors.get();
    }

    private String key(String callId) {
        return keyPrefix + "context:" + callId;
    }

    private interface Command<T> {
        CompletableFuture<T> send();
    }

    private <T> T await(String what, Command<T> command) {
        try {
            return command.send().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(what, e);
        } catch (ExecutionException e) {
            throw unavailable(what, e.getCause() == null ? e : e.getCause());
        } catch (TimeoutException e) {
            throw unavailable(what, e);
        } catch (RuntimeException e) {
            // Refused at once (disconnected, connection closed: a RedisException), or no connection yet (whatever
            // the supplier throws says why).
            throw unavailable(what, e);
        }
    }

    private CallContextStoreException unavailable(String what, Throwable cause) {
        errors.incrementAndGet();
        String why = cause instanceof TimeoutException
                ? "no answer within " + timeout.toMillis() + " ms"
                : String.valueOf(cause.getMessage());
        return new CallContextStoreException(
                "call context " + what + " failed: Redis unreachable (" + why + ")", cause);
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    }
}
