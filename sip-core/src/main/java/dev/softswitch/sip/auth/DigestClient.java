package dev.softswitch.sip.auth;

import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * The client side of SIP digest authentication (RFC 3261 22.2, RFC 7616, RFC 8760): picks the challenge to answer from
 * a 401's {@code WWW-Authenticate} or a 407's {@code Proxy-Authenticate} values and writes the credentials that answer
 * it. Pure: the caller supplies the password and client nonce, and nothing here logs.
 */
public final class DigestClient {

    /** The algorithms we answer, most preferred first (RFC 8760 2.4: the client picks the strongest it supports). */
    private static final List<DigestAlgorithm> PREFERENCE = List.of(
            DigestAlgorithm.SHA_256, DigestAlgorithm.SHA_256_SESS, DigestAlgorithm.MD5, DigestAlgorithm.MD5_SESS);

    private DigestClient() {}

    /**
     * A challenge read from one header value.
     *
     * @param realm the protection space
     * @param nonce the server's nonce
     * @param opaque returned as is, when given
     * @param algorithm the algorithm to answer with
     * @param qopAuth whether the server offers {@code qop=auth} (then we use it); false answers as RFC 2069
     * @param stale whether the server says our previous nonce had expired (the password was right)
     */
    public record Challenge(
            String realm,
            String nonce,
            @Nullable String opaque,
            DigestAlgorithm algorithm,
            boolean qopAuth,
            boolean stale) {}

    /**
     * The challenge we answer among {@code headerValues}: the strongest algorithm we support, in the order given
     * among equals; empty when none is a Digest challenge we can answer (unknown algorithm, qop without {@code auth},
     * a missing realm or nonce).
     */
    public static Optional<Challenge> choose(List<String> headerValues) {
        Challenge best = null;
        for (String value : headerValues) {
            Challenge c = read(value);
            if (c != null
                    && (best == null || PREFERENCE.indexOf(c.algorithm()) < PREFERENCE.indexOf(best.algorithm()))) {
                best = c;
            }
        }
        return Optional.ofNullable(best);
    }

    private static @Nullable Challenge read(String value) {
        Map<String, String> params;
        try {
            params = AuthParams.parse(value, "Digest");
        } catch (DigestParseException e) {
            return null;
        }
        String realm = params.get("realm");
        String nonce = params.get("nonce");
        if (realm == null || nonce == null) {
            return null;
        }
        String token = params.get("algorithm");
        Optional<DigestAlgorithm> algorithm =
                token == null ? Optional.of(DigestAlgorithm.MD5) : DigestAlgorithm.fromToken(token);
        if (algorithm.isEmpty()) {
            return null;
        }
        String qop = params.get("qop");
        boolean qopAuth = false;
        if (qop != null) {
            for (String option : qop.split(",")) {
                qopAuth |= option.trim().equalsIgnoreCase("auth");
            }
            if (!qopAuth) {
                return null; // auth-int only: we do not hash bodies
            }
        }
        return new Challenge(
                realm,
                nonce,
                params.get("opaque"),
                algorithm.get(),
                qopAuth,
                "true".equalsIgnoreCase(params.get("stale")));
    }

    /** A fresh client nonce: 16 random bytes in hexadecimal. */
    public static String newCnonce() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * The {@code Authorization} (or {@code Proxy-Authorization}) value answering {@code challenge} for a request with
     * {@code method} to {@code uri}. Holds a secret-derived digest: never log it.
     *
     * @param nonceCount how many requests this nonce has answered, this one included (1 for the first)
     */
    public static String authorization(
            Challenge challenge,
            String method,
            String uri,
            String username,
            String password,
            long nonceCount,
            String cnonce) {
        String qop = challenge.qopAuth() ? "auth" : null;
        String nc = qop == null ? null : String.format(Locale.ROOT, "%08x", nonceCount);
        boolean needsCnonce = qop != null || challenge.algorithm().session();
        DigestCredentials sent = new DigestCredentials(
                username,
                challenge.realm(),
                challenge.nonce(),
                uri,
                "",
                challenge.algorithm(),
                qop,
                nc,
                needsCnonce ? cnonce : null,
                challenge.opaque());
        String response = DigestResponse.compute(sent, method, password);
        StringBuilder value = new StringBuilder(256)
                .append("Digest username=")
                .append(DigestChallenge.quoted(username))
                .append(", realm=")
                .append(DigestChallenge.quoted(challenge.realm()))
                .append(", nonce=")
                .append(DigestChallenge.quoted(challenge.nonce()))
                .append(", uri=")
                .append(DigestChallenge.quoted(uri))
                .append(", response=\"")
                .append(response)
                .append("\", algorithm=")
                .append(challenge.algorithm().token());
        if (needsCnonce) {
            value.append(", cnonce=").append(DigestChallenge.quoted(cnonce));
        }
        if (qop != null) {
            value.append(", qop=auth, nc=").append(nc);
        }
        if (challenge.opaque() != null) {
            value.append(", opaque=").append(DigestChallenge.quoted(challenge.opaque()));
        }
        return value.toString();
    }
}
