package dev.softswitch.sip.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing Authorization values: what is accepted, and what each malformed one is told. */
class DigestCredentialsTest {

    private static final String MD5_RESPONSE = "6629fae49393a05397450978507c4ef1";
    private static final String SHA_RESPONSE = "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1";

    /** A complete value with one parameter left out or replaced. */
    private static String value(String extra) {
        return "Digest username=\"alice\", realm=\"softswitch\", nonce=\"n0nce\", uri=\"sip:softswitch.example.com\","
                + " response=\"" + MD5_RESPONSE + "\"" + extra;
    }

    @Test
    void parsesEveryParameter() throws DigestParseException {
        DigestCredentials credentials = DigestCredentials.parse(
                value(", algorithm=MD5, qop=auth, nc=0000001F, cnonce=\"c0nce\", opaque=\"0paque\""));

        assertThat(credentials)
                .isEqualTo(new DigestCredentials(
                        "alice",
                        "softswitch",
                        "n0nce",
                        "sip:softswitch.example.com",
                        MD5_RESPONSE,
                        DigestAlgorithm.MD5,
                        "auth",
                        "0000001F",
                        "c0nce",
                        "0paque"));
        assertThat(credentials.nonceCount()).isEqualTo(31);
    }

    @Test
    void algorithmDefaultsToMd5AndQopIsOptional() throws DigestParseException {
        DigestCredentials credentials = DigestCredentials.parse(value(""));

        assertThat(credentials.algorithm()).isEqualTo(DigestAlgorithm.MD5);
        assertThat(credentials.qop()).isNull();
        assertThat(credentials.nc()).isNull();
        assertThat(credentials.cnonce()).isNull();
        assertThat(credentials.opaque()).isNull();
        assertThat(credentials.nonceCount()).isZero();
    }

    @Test
    void commasEqualsAndEscapesInsideQuotesBelongToTheValue() throws DigestParseException {
        DigestCredentials credentials = DigestCredentials.parse("Digest username=\"a, \\\"b\\\" = c\\\\\","
                + " realm=\"soft,switch\", nonce=\"n,o=n ce\", uri=\"sip:x@example.com;transport=tcp\", response=\""
                + MD5_RESPONSE + "\"");

        assertThat(credentials.username()).isEqualTo("a, \"b\" = c\\");
        assertThat(credentials.realm()).isEqualTo("soft,switch");
        assertThat(credentials.nonce()).isEqualTo("n,o=n ce");
        assertThat(credentials.uri()).isEqualTo("sip:x@example.com;transport=tcp");
    }

    @Test
    void schemeAndParameterNamesAreCaseInsensitiveAndSpacingIsFree() throws DigestParseException {
        DigestCredentials credentials = DigestCredentials.parse("dIGEST   USERNAME = \"alice\" ,Realm=softswitch,"
                + "NONCE=\"n0nce\",\tUri=\"sip:softswitch.example.com\" ,  Response=\""
                + SHA_RESPONSE.toUpperCase(Locale.ROOT)
                + "\", ALGORITHM=sha-256, QOP=\"auth\", NC=00000002, CNonce=c0nce,, ");

        assertThat(credentials.username()).isEqualTo("alice");
        assertThat(credentials.realm()).isEqualTo("softswitch");
        assertThat(credentials.algorithm()).isEqualTo(DigestAlgorithm.SHA_256);
        assertThat(credentials.qop()).isEqualTo("auth");
        assertThat(credentials.nonceCount()).isEqualTo(2);
        assertThat(credentials.cnonce()).isEqualTo("c0nce");
        assertThat(credentials.response()).as("normalised to lower case").isEqualTo(SHA_RESPONSE);
    }

    @Test
    void sessionAlgorithmsAreAccepted() throws DigestParseException {
        assertThat(DigestCredentials.parse(value(", algorithm=MD5-sess, qop=auth, nc=00000001, cnonce=\"c\""))
                        .algorithm())
                .isEqualTo(DigestAlgorithm.MD5_SESS);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', textBlock = """
            Basic YWxpY2U6cGFzc3dvcmQ=                                        | scheme is not Digest
            ''                                                                | no authentication scheme
            Digestusername="alice"                                            | scheme is not Digest
            Digest username="alice", realm="r", nonce="n", uri="u"            | missing parameter 'response'
            Digest realm="r", nonce="n", uri="u", response="x"                | missing parameter 'username'
            Digest username="a", nonce="n", uri="u", response="x"             | missing parameter 'realm'
            Digest username="a", realm="r", uri="u", response="x"             | missing parameter 'nonce'
            Digest username="a", realm="r", nonce="n", response="x"           | missing parameter 'uri'
            Digest username="a", realm="r", nonce="n", uri="u", USERNAME="b"  | duplicate parameter 'username'
            Digest username="a", username="a"                                 | duplicate parameter 'username'
            Digest username="a" realm="r"                                     | expected ',' after parameter 'username'
            Digest username                                                   | parameter 'username' has no '='
            Digest username=, realm="r"                                       | parameter 'username' has no value
            Digest username="alice, realm=r                                   | unterminated quoted value of parameter 'username'
            Digest ="a"                                                       | expected a parameter name at offset 7
            """)
    void malformedValuesNameTheProblem(String value, String message) {
        assertThatThrownBy(() -> DigestCredentials.parse(value))
                .isInstanceOf(DigestParseException.class)
                .hasMessage(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            , qop=auth, cnonce="c"                    | missing parameter 'nc' (required with qop)
            , qop=auth, nc=00000001                   | missing parameter 'cnonce' (required with qop)
            , qop=auth, nc=1, cnonce="c"              | nc must be 8 hexadecimal digits
            , qop=auth, nc=0000000g, cnonce="c"       | nc must be 8 hexadecimal digits
            , qop=auth, nc=000000001, cnonce="c"      | nc must be 8 hexadecimal digits
            , qop=auth, nc=0000000\u0661, cnonce="c"       | nc must be 8 hexadecimal digits
            , algorithm=SHA-512-256                   | unsupported algorithm 'SHA-512-256'
            , algorithm="x\\"y"                        | unsupported algorithm
            , algorithm=SHA-256                       | response must be 64 hexadecimal digits for SHA-256
            , algorithm=MD5-sess                      | algorithm MD5-sess requires 'cnonce'
            , userhash=true                           | userhash is not supported
            """)
    void malformedDigestParametersNameTheProblem(String extra, String message) {
        assertThatThrownBy(() -> DigestCredentials.parse(value(extra)))
                .isInstanceOf(DigestParseException.class)
                .hasMessage(message);
    }

    @Test
    void aResponseOfTheWrongShapeIsRefusedWithoutEchoingIt() {
        String secretLooking = "0123456789abcdef0123456789abcdeZ";
        assertThatThrownBy(() -> DigestCredentials.parse(value("").replace(MD5_RESPONSE, secretLooking)))
                .isInstanceOf(DigestParseException.class)
                .hasMessage("response must be 32 hexadecimal digits for MD5")
                .message()
                .doesNotContain(secretLooking);
    }

    @Test
    void exceptionMessagesNeverCarryTheResponse() {
        String[] broken = {
            value(", response=\"" + MD5_RESPONSE + "\""),
            value(", qop=auth, nc=zz, cnonce=\"c\""),
            value(", algorithm=\"" + MD5_RESPONSE + "\""),
            "Digest response=\"" + MD5_RESPONSE + "\"",
            "Digest " + MD5_RESPONSE + "=\"x\", response=\"" + MD5_RESPONSE + "\"",
            "Digest " + MD5_RESPONSE + " x",
            "Digest username=\"a\", " + MD5_RESPONSE + "=\"x\", " + MD5_RESPONSE + "=\"y\"",
        };
        for (String value : broken) {
            assertThatThrownBy(() -> DigestCredentials.parse(value))
                    .isInstanceOf(DigestParseException.class)
                    .message()
                    .doesNotContain(MD5_RESPONSE);
        }
    }

    @Test
    void toStringMasksTheResponse() throws DigestParseException {
        DigestCredentials credentials =
                DigestCredentials.parse(value(", qop=auth, nc=00000001, cnonce=\"c0nce\", opaque=\"0paque\""));

        assertThat(credentials.toString())
                .doesNotContain(MD5_RESPONSE)
                .contains("response=***", "username=alice", "nc=00000001");
    }
}
