package dev.softswitch.rtp.session;

import java.time.Duration;
import java.util.Objects;

/**
 * When a silent caller counts as gone: no RTP for {@code active} while the call is up, or for {@code onHold} while we
 * are not sending (hold, inactive); then {@code onExpired} runs once, on the pacer thread, and must only hand off.
 */
public record MediaTimeout(Duration active, Duration onHold, Runnable onExpired) {
    public MediaTimeout {
        Objects.requireNonNull(onExpired, "onExpired");
        if (active.isNegative() || active.isZero() || onHold.isNegative() || onHold.isZero()) {
            throw new IllegalArgumentException("media timeouts must be positive");
        }
    }
}
