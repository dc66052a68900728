package dev.softswitch.sip.outbound;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Why a call was not placed through a trunk. Each kind knows its metric label, the HTTP status the API answers with,
 * the SIP status its call record keeps, and its sentence; none carries a secret (a dialled number is not one).
 */
public sealed interface OutboundRefusal {

    /** The trunk whose cap refused the call. */
    String trunk();

    /** {@code prefix}, {@code concurrent} or {@code rate}: the {@code reason} of the metric and the log. */
    String label();

    /** 403 for a number not allowed, 429 for a cap on calls. */
    int httpStatus();

    /** The SIP status the call record keeps: 403 (forbidden), 503 (no capacity now). */
    int sipStatus();

    /** A sentence for the log, the call record's detail and the API's error. */
    String detail();

    /** When asking again may succeed, or null when only another number would. */
    @Nullable
    Duration retryAfter();

    /** The dialled number starts with none of the trunk's {@code allowed_prefixes}. */
    record PrefixNotAllowed(String trunk, @Nullable String number, String dialled, List<String> allowed)
            implements OutboundRefusal {
        public PrefixNotAllowed {
            allowed = List.copyOf(allowed);
        }

        @Override
        public String label() {
            return "prefix";
        }

        @Override
        public int httpStatus() {
            return 403;
        }

        @Override
        public int sipStatus() {
            return 403;
        }

        @Override
        public String detail() {
            String what = number != null ? number : "'" + printable(dialled) + "' (not a telephone number)";
            return "trunk " + trunk + " does not call " + what + ": allowed_prefixes are " + String.join(", ", allowed);
        }

        @Override
        public @Nullable Duration retryAfter() {
            return null;
        }
    }

    /** {@code max_concurrent_calls} calls are up through the trunk. */
    record TooManyCalls(String trunk, int max) implements OutboundRefusal {
        @Override
        public String label() {
            return "concurrent";
        }

        @Override
        public int httpStatus() {
            return 429;
        }

        @Override
        public int sipStatus() {
            return 503;
        }

        @Override
        public String detail() {
            return "trunk " + trunk + " has " + max + " calls up, its max_concurrent_calls: try again once one ends";
        }

        @Override
        public @Nullable Duration retryAfter() {
            return null;
        }
    }

    /** {@code max_calls_per_minute} calls started through the trunk within the last 60 s. */
    record TooManyCallsPerMinute(String trunk, int max, Duration retryAfter) implements OutboundRefusal {
        @Override
        public String label() {
            return "rate";
        }

        @Override
        public int httpStatus() {
            return 429;
        }

        @Override
        public int sipStatus() {
            return 503;
        }

        @Override
        public String detail() {
            return "trunk " + trunk + " started " + max + " calls in the last 60 s, its max_calls_per_minute: try again"
                    + " in " + retryAfter.toSeconds() + " s";
        }
    }

    /** At most 40 characters of {@code text}, anything but printable ASCII as {@code ?}: safe in a log line. */
    private static String printable(String text) {
        String t = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
