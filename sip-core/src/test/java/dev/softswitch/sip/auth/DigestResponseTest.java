package dev.softswitch.sip.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The request digest against the RFCs' worked examples and against an independent computation. */
class DigestResponseTest {

    /** RFC 2617 3.5, the Authorization header exactly as printed there (folded lines joined). */
    @Test
    void rfc2617WorkedExample() throws DigestParseException {
        DigestCredentials credentials = DigestCredentials.parse("Digest username=\"Mufasa\",\r\n"
                + "                 realm=\"testrealm@host.com\",\r\n"
                + "                 nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\",\r\n"
                + "                 uri=\"/dir/index.html\",\r\n"
                + "                 qop=auth,\r\n"
                + "                 nc=00000001,\r\n"
                + "                 cnonce=\"0a4f113b\",\r\n"
                + "                 response=\"6629fae49393a05397450978507c4ef1\",\r\n"
                + "                 opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");

        assertThat(credentials.algorithm()).isEqualTo(DigestAlgorithm.MD5);
        assertThat(DigestResponse.compute(credentials, "GET", "Circle Of Life"))
                .isEqualTo("6629fae49393a05397450978507c4ef1");
        assertThat(DigestResponse.compute(credentials, "GET", "Circle of Life"))
                .isNotEqualTo("6629fae49393a05397450978507c4ef1");
    }

    /** RFC 7616 3.9.1, SHA-256 (its password is "Circle of Life", lower-case "of"). */
    @Test
    void rfc7616Sha256Example() throws DigestParseException {
        DigestCredentials credentials = DigestCredentials.parse("Digest username=\"Mufasa\",\n"
                + "       realm=\"http-auth@example.org\",\n"
                + "       uri=\"/dir/index.html\",\n"
                + "       algorithm=SHA-256,\n"
                + "       nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\",\n"
                + "       nc=00000001,\n"
                + "       cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\",\n"
                + "       qop=auth,\n"
                + "       response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\",\n"
                + "       opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"");

        assertThat(credentials.algorithm()).isEqualTo(DigestAlgorithm.SHA_256);
        assertThat(DigestResponse.compute(credentials, "GET", "Circle of Life"))
                .isEqualTo("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
    }

    /** RFC 7616 3.9.1, the same request answered with MD5. */
    @Test
    void rfc7616Md5Example() throws DigestParseException {
        DigestCredentials credentials = DigestCredentials.parse("Digest username=\"Mufasa\","
                + " realm=\"http-auth@example.org\", uri=\"/dir/index.html\", algorithm=MD5,"
                + " nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", nc=00000001,"
                + " cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", qop=auth,"
                + " response=\"8ca523f5e9506fed4657c9700eebdbec\","
                + " opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"");

        assertThat(DigestResponse.compute(credentials, "GET", "Circle of Life"))
                .isEqualTo("8ca523f5e9506fed4657c9700eebdbec");
    }

    /** A SIP REGISTER (RFC 3261 22.4: the digest-uri is the Request-URI), checked against {@link IndependentDigest}. */
    @Test
    void sipRegisterMatchesAnIndependentComputation() throws DigestParseException {
        for (String jcaName : new String[] {"MD5", "SHA-256"}) {
            String expected = IndependentDigest.response(
                    jcaName,
                    "alice",
                    "softswitch",
                    "s3cr3t-pa55",
                    "REGISTER",
                    "sip:softswitch.example.com",
                    "abcdef0123456789",
                    "0000000a",
                    "deadbeef");
            DigestCredentials credentials = DigestCredentials.parse("Digest username=\"alice\", realm=\"softswitch\","
                    + " nonce=\"abcdef0123456789\", uri=\"sip:softswitch.example.com\", response=\"" + expected
                    + "\", algorithm=" + jcaName + ", cnonce=\"deadbeef\", qop=auth, nc=0000000a");

            assertThat(DigestResponse.compute(credentials, "REGISTER", "s3cr3t-pa55"))
                    .as(jcaName)
                    .isEqualTo(expected);
            assertThat(DigestResponse.compute(credentials, "INVITE", "s3cr3t-pa55"))
                    .as(jcaName + " with another method")
                    .isNotEqualTo(expected);
        }
    }

    /** RFC 7616 3.4.2: with -sess, HA1 = H(H(user:realm:password):nonce:cnonce). */
    @Test
    void sessionAlgorithmsUseTheSessionKey() throws DigestParseException {
        String sessionHa1 =
                IndependentDigest.h("SHA-256", IndependentDigest.h("SHA-256", "bob:softswitch:pw") + ":n0nce:c0nce");
        String ha2 = IndependentDigest.h("SHA-256", "INVITE:sip:100@softswitch.example.com");
        String expected = IndependentDigest.h("SHA-256", sessionHa1 + ":n0nce:00000001:c0nce:auth:" + ha2);
        DigestCredentials credentials = DigestCredentials.parse("Digest username=\"bob\", realm=\"softswitch\","
                + " nonce=\"n0nce\", uri=\"sip:100@softswitch.example.com\", response=\"" + expected
                + "\", algorithm=SHA-256-sess, cnonce=\"c0nce\", qop=auth, nc=00000001");

        assertThat(DigestResponse.compute(credentials, "INVITE", "pw")).isEqualTo(expected);
    }

    /** RFC 2069 (no qop): response = H(HA1:nonce:HA2). */
    @Test
    void rfc2069WithoutQop() throws DigestParseException {
        String ha1 = IndependentDigest.h("MD5", "carol:softswitch:pw");
        String ha2 = IndependentDigest.h("MD5", "REGISTER:sip:softswitch.example.com");
        String expected = IndependentDigest.h("MD5", ha1 + ":n0nce:" + ha2);
        DigestCredentials credentials = DigestCredentials.parse("Digest username=\"carol\", realm=\"softswitch\","
                + " nonce=\"n0nce\", uri=\"sip:softswitch.example.com\", response=\"" + expected + "\"");

        assertThat(DigestResponse.compute(credentials, "REGISTER", "pw")).isEqualTo(expected);
    }
}
