package dev.softswitch.sip.call;

/**
 * Why a call could not be set up or had to end, each kind knowing its SIP answer, its call-record reason and its
 * metric label, so that no central switch maps errors to statuses.
 */
public sealed interface CallFailure {

    /** The SIP status that answers the INVITE (when the call is not yet answered). */
    int sipStatus();

    /** A short sentence for the SIP Warning header, the log and the call record. Never holds a secret. */
    String detail();

    /** A stable label for metrics and records, e.g. {@code no_common_codec}. */
    String label();

    /** Caller not allowed (the demo admits loopback only). */
    record Forbidden(String detail) implements CallFailure {
        @Override
        public int sipStatus() {
            return 403;
        }

        @Override
        public String label() {
            return "forbidden";
        }
    }

    /** Credentials are needed: answered 401 with these {@code WWW-Authenticate} values (RFC 3261 22.2). */
    record Unauthorized(java.util.List<String> challenges) implements CallFailure {
        public Unauthorized {
            challenges = java.util.List.copyOf(challenges);
        }

        @Override
        public int sipStatus() {
            return 401;
        }

        @Override
        public String detail() {
            return "authentication required";
        }

        @Override
        public String label() {
            return "unauthorized";
        }
    }

    /** The request itself is malformed (e.g. an unreadable Authorization header). */
    record BadRequest(String detail) implements CallFailure {
        @Override
        public int sipStatus() {
            return 400;
        }

        @Override
        public String label() {
            return "bad_request";
        }
    }

    /** No assistant answers the dialled id. */
    record UnknownAssistant(String assistantId) implements CallFailure {
        @Override
        public int sipStatus() {
            return 404;
        }

        @Override
        public String detail() {
            return "no assistant named '" + assistantId + "'";
        }

        @Override
        public String label() {
            return "unknown_assistant";
        }
    }

    /** The INVITE's body is not SDP. */
    record UnsupportedBody(String contentType) implements CallFailure {
        @Override
        public int sipStatus() {
            return 415;
        }

        @Override
        public String detail() {
            return "body type " + contentType + " is not supported; send application/sdp";
        }

        @Override
        public String label() {
            return "unsupported_body";
        }
    }

    /** The offer cannot be answered: no common codec, no audio, unreadable SDP, or no offer at all. */
    record NotAcceptable(String detail) implements CallFailure {
        @Override
        public int sipStatus() {
            return 488;
        }

        @Override
        public String label() {
            return "not_acceptable";
        }
    }

    /** No RTP port, or the server is out of some other resource. */
    record MediaUnavailable(String detail) implements CallFailure {
        @Override
        public int sipStatus() {
            return 503;
        }

        @Override
        public String label() {
            return "media_unavailable";
        }
    }

    /** A call limit (overall or the trunk's, concurrent or per second) is reached: 503 with Retry-After. */
    record LimitReached(String detail) implements CallFailure {
        @Override
        public int sipStatus() {
            return 503;
        }

        @Override
        public String label() {
            return "limit_reached";
        }
    }

    /** RFC 4028: the caller asked for a session interval under ours: 422 with {@code Min-SE}. */
    record SessionIntervalTooSmall(int minSe) implements CallFailure {
        @Override
        public int sipStatus() {
            return 422;
        }

        @Override
        public String detail() {
            return "session interval below " + minSe + " s";
        }

        @Override
        public String label() {
            return "session_interval_too_small";
        }
    }

    /** Something failed inside the softswitch. */
    record Internal(String detail) implements CallFailure {
        @Override
        public int sipStatus() {
            return 500;
        }

        @Override
        public String label() {
            return "internal_error";
        }
    }
}
