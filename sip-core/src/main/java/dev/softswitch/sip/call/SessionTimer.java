package dev.softswitch.sip.call;

import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * RFC 4028 session timers, as a UAS that lets the caller refresh. {@link #negotiate} reads a request's
 * {@code Session-Expires} and {@code Supported}; the answer's headers and the moment to give up come from the result.
 *
 * @param intervalSeconds the session interval the 2xx confirms
 * @param refresher {@code uac} or {@code uas}: who sends the refreshing re-INVITE/UPDATE
 * @param required whether the 2xx says {@code Require: timer} (the caller supports the extension)
 */
public record SessionTimer(int intervalSeconds, String refresher, boolean required) {

    /** Our Min-SE (RFC 4028 5: at least 90 s). */
    public static final int MIN_SE = 90;

    /** What a request's session-timer headers lead to. */
    public sealed interface Decision {
        /** The request asks for no session timer. */
        record None() implements Decision {}

        /** Too short an interval from a caller that supports the extension: 422 with {@code Min-SE}. */
        record TooSmall(int minSe) implements Decision {}

        record Use(SessionTimer timer) implements Decision {}
    }

    /**
     * @param sessionExpires the {@code Session-Expires} value, e.g. {@code 1800;refresher=uac}, or null
     * @param callerSupportsTimer whether {@code Supported} (or {@code Require}) lists {@code timer}
     */
    public static Decision negotiate(@Nullable String sessionExpires, boolean callerSupportsTimer) {
        if (sessionExpires == null || sessionExpires.isBlank()) {
            return new Decision.None();
        }
        String[] parts = sessionExpires.split(";");
        int interval;
        try {
            interval = Integer.parseInt(parts[0].trim());
        } catch (NumberFormatException e) {
            return new Decision.None(); // unreadable: behave as if it were absent
        }
        String refresher = null;
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].trim().split("=", 2);
            if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("refresher")) {
                refresher = kv[1].trim().toLowerCase(Locale.ROOT);
            }
        }
        if (interval < MIN_SE) {
            if (callerSupportsTimer) {
                return new Decision.TooSmall(MIN_SE); // RFC 4028 9
            }
            interval = MIN_SE; // a caller without the extension cannot retry: raise it instead
        }
        if (!"uac".equals(refresher) && !"uas".equals(refresher)) {
            // RFC 4028 9: the UAS picks; the caller refreshes when it can.
            refresher = callerSupportsTimer ? "uac" : "uas";
        }
        return new Decision.Use(new SessionTimer(interval, refresher, callerSupportsTimer));
    }

    /** The {@code Session-Expires} value of the 2xx. */
    public String headerValue() {
        return intervalSeconds + ";refresher=" + refresher;
    }

    /**
     * The session timer a 2xx to our INVITE sets (RFC 4028 7.2), as the UAC: its interval whatever it is (the UAS
     * chose it) and its refresher ({@code uac} when absent, RFC 4028 7.2: the UAS must name one). Null without a
     * readable {@code Session-Expires}.
     */
    public static @Nullable SessionTimer ofAnswer(@Nullable String sessionExpires) {
        if (sessionExpires == null || sessionExpires.isBlank()) {
            return null;
        }
        String[] parts = sessionExpires.split(";");
        int interval;
        try {
            interval = Integer.parseInt(parts[0].trim());
        } catch (NumberFormatException e) {
            return null;
        }
        if (interval < 1) {
            return null;
        }
        String refresher = "uac";
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].trim().split("=", 2);
            if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("refresher")) {
                refresher = kv[1].trim().toLowerCase(Locale.ROOT);
            }
        }
        return new SessionTimer(interval, "uas".equals(refresher) ? "uas" : "uac", true);
    }

    /**
     * When we send the next refresh, as the side named {@code us} ({@code uac} or {@code uas}): half the interval
     * (RFC 4028 10), or null when the other side refreshes.
     */
    public @Nullable Duration refreshAfter(String us) {
        return refresher.equals(us) ? Duration.ofMillis(intervalSeconds * 500L) : null;
    }

    /**
     * When we, as the side named {@code us}, give up on a session the other side stopped refreshing (RFC 4028 10:
     * before it expires, by the smaller of 32 s and a third of the interval); null when we refresh.
     */
    public @Nullable Duration byeAfter(String us) {
        if (refresher.equals(us)) {
            return null;
        }
        return Duration.ofSeconds(intervalSeconds - Math.min(32, intervalSeconds / 3));
    }

    /**
     * When the side that does not refresh gives up if no refresh came (RFC 4028 10: BYE before the session expires,
     * by the smaller of 32 s and a third of the interval); null when we are the refresher (we do not send refreshes).
     */
    public @Nullable Duration byeAfter() {
        if (!"uac".equals(refresher)) {
            return null;
        }
        return Duration.ofSeconds(intervalSeconds - Math.min(32, intervalSeconds / 3));
    }
}
