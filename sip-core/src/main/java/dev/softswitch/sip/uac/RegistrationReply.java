package dev.softswitch.sip.uac;

import dev.softswitch.sip.auth.DigestClient;
import org.jspecify.annotations.Nullable;

/**
 * What the state machine needs of one final response to our REGISTER, read out of the SIP message by the sender.
 *
 * @param status the status code
 * @param reason the reason phrase (may be empty)
 * @param contactExpires the {@code expires} parameter of the Contact that is ours, or -1 when absent
 * @param headerExpires the {@code Expires} header, or -1 when absent
 * @param minExpires the {@code Min-Expires} header of a 423, or -1 when absent
 * @param challenge the digest challenge of a 401 ({@code WWW-Authenticate}) or 407 ({@code Proxy-Authenticate}) we
 *     would answer, or null when there is none we can answer
 * @param retryAfter the {@code Retry-After} header in seconds, or -1 when absent
 */
public record RegistrationReply(
        int status,
        String reason,
        int contactExpires,
        int headerExpires,
        int minExpires,
        DigestClient.@Nullable Challenge challenge,
        int retryAfter) {

    /** A response with only a status and reason. */
    public static RegistrationReply of(int status, String reason) {
        return new RegistrationReply(status, reason, -1, -1, -1, null, -1);
    }
}
