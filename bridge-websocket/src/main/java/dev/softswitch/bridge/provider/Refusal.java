package dev.softswitch.bridge.provider;

/**
 * Why a provider's request was refused. Each kind knows its HTTP status (a webhook is answered with it, and an upgrade
 * refused with it) and the label it is counted and logged under; the reason never carries a secret.
 */
public sealed interface Refusal {

    int httpStatus();

    /** Lower snake case, for logs and metrics. */
    String label();

    /** A sentence for the log and the response body. */
    String reason();

    /** The signature is missing, wrong, stale or replayed: 403. */
    record BadSignature(String reason) implements Refusal {
        @Override
        public int httpStatus() {
            return 403;
        }

        @Override
        public String label() {
            return "bad_signature";
        }
    }

    /** The request is not what the provider sends: 400. */
    record Malformed(String reason) implements Refusal {
        @Override
        public int httpStatus() {
            return 400;
        }

        @Override
        public String label() {
            return "malformed";
        }
    }

    /** No assistant answers the called number (no route, no {@code default}): 404. */
    record NoRoute(String number) implements Refusal {
        @Override
        public int httpStatus() {
            return 404;
        }

        @Override
        public String label() {
            return "no_route";
        }

        @Override
        public String reason() {
            return "no assistant answers " + number + " (add it, or default, to the provider's routes)";
        }
    }

    /** The provider or the path is not one we serve, or the method is not the endpoint's: 404 or 405. */
    record NotServed(int httpStatus, String reason) implements Refusal {
        @Override
        public String label() {
            return "not_served";
        }
    }

    /** Something the call needs is out of reach for now (the shared call context store, Redis): 503. */
    record Unavailable(String reason) implements Refusal {
        @Override
        public int httpStatus() {
            return 503;
        }

        @Override
        public String label() {
            return "unavailable";
        }
    }

    /** The provider cannot do this (no outbound REST, or its credentials are not configured): 501. */
    record Unsupported(String reason) implements Refusal {
        @Override
        public int httpStatus() {
            return 501;
        }

        @Override
        public String label() {
            return "unsupported";
        }
    }

    /** The softswitch is draining (stopping): it finishes the calls it has and takes no new ones: 503. */
    record Draining() implements Refusal {
        @Override
        public int httpStatus() {
            return 503;
        }

        @Override
        public String label() {
            return "draining";
        }

        @Override
        public String reason() {
            return "the softswitch is draining: it takes no new calls; try another instance";
        }
    }
}
