package dev.softswitch.sip.auth;

import dev.softswitch.sip.auth.AuthOutcome.Authenticated;
import dev.softswitch.sip.auth.AuthOutcome.Challenge;
import dev.softswitch.sip.auth.AuthOutcome.Reason;
import dev.softswitch.sip.auth.AuthOutcome.Rejected;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Verifies digest credentials for one realm (RFC 3261 22.4 over RFC 2617 and RFC 7616) and makes the challenges for
 * it. Stateless apart from the {@link NonceService}'s replay table, and thread-safe.
 *
 * <p>The order of checks: realm, uri, qop, opaque, nonce signature, then the digest itself (an unknown user is checked
 * against a dummy password, so it costs the same and fails the same way as a wrong password), then the nonce's age
 * (RFC 2617 3.2.1: {@code stale=true} only when the digest was right), then the nonce count.
 */
public final class DigestAuthenticator {

    /** Hashed in place of an unknown user's password, so that both cases do the same work. */
    private static final String DUMMY_PASSWORD = "no such user";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final NonceService nonces;
    private final boolean allowRfc2069;
    private final String opaque;
    private volatile List<DigestAlgorithm> challengeOrder = DigestChallenge.INTEROP_ORDER;

    /** Requires {@code qop=auth}, as RFC 7616 3.4 does. */
    public DigestAuthenticator(NonceService nonces) {
        this(nonces, false);
    }

    /**
     * @param nonces issues and checks the nonces; its realm is the one we challenge for
     * @param allowRfc2069 whether to accept credentials without qop (RFC 2069, {@code H(HA1:nonce:HA2)}); such
     *     requests have no nonce count, so replays within the nonce's lifetime cannot be detected
     */
    public DigestAuthenticator(NonceService nonces, boolean allowRfc2069) {
        this.nonces = nonces;
        this.allowRfc2069 = allowRfc2069;
        byte[] opaqueBytes = new byte[16];
        RANDOM.nextBytes(opaqueBytes);
        this.opaque = Base64.getUrlEncoder().withoutPadding().encodeToString(opaqueBytes);
    }

    /**
     * Challenges with these algorithms, one header each in this order, from now on ({@link DigestChallenge#INTEROP_ORDER}
     * unless set). Credentials are verified with whichever known algorithm they name all the same.
     *
     * @throws IllegalArgumentException when {@code order} is empty
     */
    public DigestAuthenticator challengeOrder(List<DigestAlgorithm> order) {
        if (order.isEmpty()) {
            throw new IllegalArgumentException("no digest algorithm to challenge with");
        }
        this.challengeOrder = List.copyOf(order);
        return this;
    }

    /** The algorithms we challenge with, in order. */
    public List<DigestAlgorithm> challengeOrder() {
        return challengeOrder;
    }

    /** The realm we challenge for. */
    public String realm() {
        return nonces.realm();
    }

    /** A challenge with a fresh nonce; {@code stale} when the client's nonce had expired. */
    public DigestChallenge challenge(boolean stale) {
        return new DigestChallenge(nonces.realm(), nonces.newNonce(), opaque, stale);
    }

    /**
     * Decides whether a request is authenticated.
     *
     * @param method the request method, e.g. {@code REGISTER} (for ACK and CANCEL, RFC 3261 22.4 says the INVITE's)
     * @param requestUri the Request-URI as received, which the credentials' {@code uri} must equal
     * @param credentials the parsed credentials, or null when the request carried none for this realm
     * @param passwords looks up the user's password
     */
    public AuthOutcome verify(
            String method, String requestUri, @Nullable DigestCredentials credentials, PasswordLookup passwords) {
        if (credentials == null) {
            return new Challenge(challenge(false));
        }
        String user = printable(credentials.username()); // for logDetail: the name as sent, minus control characters
        if (!credentials.realm().equals(nonces.realm())) {
            return new Rejected(Reason.WRONG_REALM, "user " + user + " answered for another realm");
        }
        if (!sameResource(credentials.uri(), requestUri)) {
            return new Rejected(Reason.URI_MISMATCH, "user " + user + " sent a digest uri other than the Request-URI");
        }
        String qop = credentials.qop();
        if (qop == null) {
            if (!allowRfc2069) {
                return new Rejected(Reason.QOP_REQUIRED, "user " + user + " sent no qop (RFC 2069 digest)");
            }
        } else if (!qop.equalsIgnoreCase("auth")) {
            return new Rejected(Reason.UNSUPPORTED_QOP, "user " + user + " asked for a qop other than auth");
        }
        String sentOpaque = credentials.opaque();
        if (sentOpaque != null && !sentOpaque.equals(opaque)) {
            return new Rejected(Reason.OPAQUE_MISMATCH, "user " + user + " returned an opaque we did not send");
        }
        NonceService.Validity validity = nonces.check(credentials.nonce());
        if (validity == NonceService.Validity.INVALID) {
            return new Rejected(Reason.INVALID_NONCE, "user " + user + " sent a nonce that is not ours or was altered");
        }

        Optional<String> password = passwords.password(credentials.username());
        String expected = DigestResponse.compute(credentials, method, password.orElse(DUMMY_PASSWORD));
        boolean matches = MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII),
                credentials.response().getBytes(StandardCharsets.US_ASCII));
        if (password.isEmpty()) {
            return new Rejected(Reason.INVALID_CREDENTIALS, "unknown user " + user);
        }
        if (!matches) {
            return new Rejected(Reason.INVALID_CREDENTIALS, "wrong password for user " + user);
        }

        if (validity == NonceService.Validity.STALE) {
            return new Challenge(challenge(true));
        }
        if (qop == null) { // RFC 2069 mode: no nonce count to track
            return new Authenticated(credentials.username());
        }
        return switch (nonces.useNonceCount(credentials.nonce(), credentials.nonceCount())) {
            case ACCEPTED -> new Authenticated(credentials.username());
            case REPLAYED -> new Rejected(Reason.REPLAY, "user " + user + " reused nonce count " + credentials.nc());
            case STALE -> new Challenge(challenge(true)); // expired between the two checks
            case INVALID -> new Rejected(Reason.INVALID_NONCE, "nonce of user " + user + " is not ours");
            case TABLE_FULL -> new Rejected(Reason.BUSY, "replay table full; refused a new nonce of user " + user);
        };
    }

    /** {@code text} with control characters replaced, so that a user name cannot forge log lines. */
    /**
     * RFC 2617 3.2.2.5: the digest's {@code uri} must designate the Request-URI's resource. Equal strings do; so does a
     * SIP URI naming the same scheme, host and port without the user part, as several user agents send (SIPp 3.6:
     * {@code uri="sip:host:port"}). The uri is part of the hash, and nonce counts stop replays, so this is no weaker.
     */
    static boolean sameResource(String digestUri, String requestUri) {
        if (digestUri.equals(requestUri)) {
            return true;
        }
        String[] a = schemeAndHostPort(digestUri);
        String[] b = schemeAndHostPort(requestUri);
        return a != null && b != null && a[0].equals(b[0]) && a[1].equals(b[1]);
    }

    /** {@code [scheme, host:port]} of a sip: or sips: URI, lower-cased, or null for anything else. */
    private static String @Nullable [] schemeAndHostPort(String uri) {
        int colon = uri.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String scheme = uri.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("sip") && !scheme.equals("sips")) {
            return null;
        }
        String rest = uri.substring(colon + 1);
        int end = rest.length();
        for (char stop : new char[] {';', '?'}) {
            int at = rest.indexOf(stop);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        rest = rest.substring(0, end);
        int at = rest.lastIndexOf('@');
        return new String[] {scheme, rest.substring(at + 1).toLowerCase(java.util.Locale.ROOT)};
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }
}
