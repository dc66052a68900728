package dev.softswitch.config;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The toll-fraud caps of calls placed through one trunk ({@code trunks[].outbound}): how many may be up at once, how
 * many may start in any 60 seconds, and which dialled numbers they may go to.
 *
 * <p>A number is allowed when it starts with one of {@link #allowedPrefixes}, character for character. The number is
 * the user part of the Request-URI as the dial plan writes it: visual separators ({@code ( ) . -} and spaces) removed,
 * a leading {@code +} kept. The {@code +} counts: {@code +44} allows {@code +442071234567} but not {@code 442071234567}
 * nor {@code 00442071234567}, which a carrier may route the same way; list every form the carrier takes.
 *
 * @param maxConcurrentCalls calls through the trunk at once, from the moment one is placed to its end; 0: no limit
 * @param maxCallsPerMinute calls started through the trunk in any 60 s (a sliding window); 0: no limit
 * @param allowedPrefixes the prefixes dialled numbers must start with; null: any number (no allow-list), never empty
 */
public record OutboundLimits(
        int maxConcurrentCalls,
        int maxCallsPerMinute,
        @Nullable List<String> allowedPrefixes) {

    /** No cap: any number, any rate, any number of calls at once (the behaviour without the keys). */
    public static final OutboundLimits NONE = new OutboundLimits(0, 0, null);

    /** A prefix as written in the file: digits, {@code *} and {@code #}, with an optional leading {@code +}. */
    public static final Pattern PREFIX = Pattern.compile("\\+?[0-9*#]{0,31}");

    public OutboundLimits {
        if (maxConcurrentCalls < 0 || maxCallsPerMinute < 0) {
            throw new IllegalArgumentException(
                    "limits are 0 (none) or more: " + maxConcurrentCalls + ", " + maxCallsPerMinute);
        }
        if (allowedPrefixes != null) {
            if (allowedPrefixes.isEmpty()) {
                throw new IllegalArgumentException("an allow-list of no prefix: give null for any number");
            }
            for (String prefix : allowedPrefixes) {
                if (prefix.isEmpty() || !PREFIX.matcher(prefix).matches()) {
                    throw new IllegalArgumentException("not a number prefix: " + prefix);
                }
            }
            allowedPrefixes = List.copyOf(new LinkedHashSet<>(allowedPrefixes));
        }
    }

    /**
     * Whether calls may go to {@code number}: there is no allow-list, or the number starts with one of its prefixes.
     *
     * @param number the dialled number, normalised (see above); null when what was dialled is not a number (a SIP
     *     user such as {@code alice}), which no allow-list allows
     */
    public boolean allows(@Nullable String number) {
        if (allowedPrefixes == null) {
            return true;
        }
        return number != null && allowedPrefixes.stream().anyMatch(number::startsWith);
    }

    /** Whether any cap is set. */
    public boolean limitsAnything() {
        return maxConcurrentCalls > 0 || maxCallsPerMinute > 0 || allowedPrefixes != null;
    }
}
