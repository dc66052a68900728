package dev.softswitch.sip.auth;

/**
 * The request digest a client must send (RFC 2617 3.2.2.1, RFC 7616 3.4.1): the one value both sides compute. Its
 * inputs and output are secrets; never log them.
 */
public final class DigestResponse {

    private DigestResponse() {}

    /**
     * The expected {@code response} for {@code credentials} on a request with {@code method}, given the user's
     * password, in lowercase hexadecimal:
     *
     * <pre>
     * HA1      = H(username ":" realm ":" password)                       RFC 7616 3.4.2
     *          = H(H(username ":" realm ":" password) ":" nonce ":" cnonce) for -sess algorithms
     * HA2      = H(method ":" digest-uri)                                  RFC 7616 3.4.3, qop=auth
     * response = H(HA1 ":" nonce ":" nc ":" cnonce ":" qop ":" HA2)        with qop
     *          = H(HA1 ":" nonce ":" HA2)                                  RFC 2069, without qop
     * </pre>
     *
     * <p>The realm, uri, nonce, nc, cnonce and qop are taken from the credentials exactly as sent.
     */
    public static String compute(DigestCredentials credentials, String method, String password) {
        DigestAlgorithm algorithm = credentials.algorithm();
        String ha1 = algorithm.hash(credentials.username() + ":" + credentials.realm() + ":" + password);
        if (algorithm.session()) {
            ha1 = algorithm.hash(ha1 + ":" + credentials.nonce() + ":" + credentials.cnonce());
        }
        String ha2 = algorithm.hash(method + ":" + credentials.uri());
        String qop = credentials.qop();
        if (qop == null) {
            return algorithm.hash(ha1 + ":" + credentials.nonce() + ":" + ha2);
        }
        return algorithm.hash(ha1 + ":" + credentials.nonce() + ":" + credentials.nc() + ":" + credentials.cnonce()
                + ":" + qop + ":" + ha2);
    }
}
