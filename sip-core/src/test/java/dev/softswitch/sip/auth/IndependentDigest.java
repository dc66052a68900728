package dev.softswitch.sip.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A digest client for tests, written straight from RFC 2617 3.2.2 with {@link MessageDigest} and sharing no code with
 * {@link DigestResponse}, so that the two check each other.
 */
final class IndependentDigest {

    private IndependentDigest() {}

    /** H(data) for a JCA digest name ("MD5", "SHA-256"), lowercase hex. */
    static String h(String jcaName, String data) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance(jcaName).digest(data.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** The response for qop=auth. */
    static String response(
            String jcaName,
            String user,
            String realm,
            String password,
            String method,
            String uri,
            String nonce,
            String nc,
            String cnonce) {
        String ha1 = h(jcaName, user + ":" + realm + ":" + password);
        String ha2 = h(jcaName, method + ":" + uri);
        return h(jcaName, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
    }

    /** A full Authorization value answering {@code challenge} with qop=auth. */
    static String authorization(
            DigestChallenge challenge,
            String algorithmToken,
            String user,
            String password,
            String method,
            String uri,
            String nc,
            String cnonce) {
        String jcaName = algorithmToken.equals("SHA-256") ? "SHA-256" : "MD5";
        String response =
                response(jcaName, user, challenge.realm(), password, method, uri, challenge.nonce(), nc, cnonce);
        return "Digest username=\"" + user + "\", realm=\"" + challenge.realm() + "\", nonce=\"" + challenge.nonce()
                + "\", uri=\"" + uri + "\", response=\"" + response + "\", algorithm=" + algorithmToken
                + ", cnonce=\"" + cnonce + "\", opaque=\"" + challenge.opaque() + "\", qop=auth, nc=" + nc;
    }
}
