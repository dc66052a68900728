package dev.softswitch.bridge.testbot;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;

/** Waiting for what Netty's event loop records, with Awaitility, and a failure that says what was seen instead. */
final class Waiting {

    private static final Duration POLL = Duration.ofMillis(5);

    private Waiting() {}

    /** The first non-null value of {@code condition}; an {@link AssertionError} of {@code failure} after timeout. */
    static <T> T until(Supplier<@Nullable T> condition, Duration timeout, Supplier<String> failure) {
        AtomicReference<@Nullable T> result = new AtomicReference<>();
        try {
            Awaitility.await()
                    .atMost(timeout)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(POLL)
                    .until(() -> {
                        T value = condition.get();
                        result.set(value);
                        return value != null;
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(failure.get(), e);
        }
        T value = result.get();
        if (value == null) {
            throw new AssertionError(failure.get());
        }
        return value;
    }
}
