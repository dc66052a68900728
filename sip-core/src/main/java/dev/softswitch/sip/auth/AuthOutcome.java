package dev.softswitch.sip.auth;

/**
 * What {@link DigestAuthenticator#verify} decided. The SIP layer answers {@link Challenge} with 401 (or 407 as a
 * proxy) carrying the challenge's {@link DigestChallenge#headerValues() headers}, {@link Rejected} with 403, and lets
 * an {@link Authenticated} request through.
 */
public sealed interface AuthOutcome {

    /** A stable label for metrics and records, e.g. {@code rejected_invalid_credentials}. */
    String label();

    /** The credentials are right: the request comes from {@code username}. */
    record Authenticated(String username) implements AuthOutcome {
        @Override
        public String label() {
            return "authenticated";
        }
    }

    /**
     * No credentials, or right ones with an expired nonce ({@link #stale()}): send this fresh challenge.
     *
     * @param challenge the challenge to send, with a new nonce
     */
    record Challenge(DigestChallenge challenge) implements AuthOutcome {

        /** Whether the client's password was right but its nonce had expired (RFC 2617 3.2.1 {@code stale}). */
        public boolean stale() {
            return challenge.stale();
        }

        @Override
        public String label() {
            return stale() ? "challenge_stale" : "challenge";
        }
    }

    /**
     * The credentials are wrong. {@code reason} may go to the network; {@code logDetail} is for our logs only: it may
     * tell an unknown user from a wrong password, but never holds a password, HA1 or response.
     */
    record Rejected(Reason reason, String logDetail) implements AuthOutcome {
        @Override
        public String label() {
            return "rejected_" + reason.label();
        }
    }

    /** Why credentials were rejected, as the network may be told. */
    enum Reason {
        /** Unknown user or wrong password: deliberately one reason, so a caller cannot probe for user names. */
        INVALID_CREDENTIALS("invalid_credentials", "Invalid credentials"),
        WRONG_REALM("wrong_realm", "Credentials for another realm"),
        URI_MISMATCH("uri_mismatch", "Digest uri does not match the Request-URI"),
        INVALID_NONCE("invalid_nonce", "Invalid nonce"),
        REPLAY("replay", "Nonce count reused"),
        QOP_REQUIRED("qop_required", "qop=auth is required"),
        UNSUPPORTED_QOP("unsupported_qop", "Only qop=auth is supported"),
        OPAQUE_MISMATCH("opaque_mismatch", "Opaque does not match the challenge"),
        BUSY("busy", "Too many nonces in use; retry later");

        private final String label;
        private final String text;

        Reason(String label, String text) {
            this.label = label;
            this.text = text;
        }

        /** A stable snake_case label. */
        public String label() {
            return label;
        }

        /** A short sentence that may go into a SIP reason phrase or Warning header. */
        public String text() {
            return text;
        }
    }
}
