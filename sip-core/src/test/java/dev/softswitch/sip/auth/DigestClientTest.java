package dev.softswitch.sip.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DigestClientTest {

    @Test
    void theStrongestChallengeWinsWhateverTheOrder() {
        var challenge = new DigestChallenge("carrier", "n0nce", "op", false);
        var chosen = DigestClient.choose(challenge.headerValues(DigestChallenge.INTEROP_ORDER));
        assertThat(chosen).get().extracting(DigestClient.Challenge::algorithm).isEqualTo(DigestAlgorithm.SHA_256);
        assertThat(chosen.get().qopAuth()).isTrue();
        assertThat(chosen.get().opaque()).isEqualTo("op");
    }

    @Test
    void aChallengeWithoutAlgorithmIsMd5AndWithoutQopIsAnsweredAsRfc2069() {
        var chosen = DigestClient.choose(List.of("Digest realm=\"asterisk\", nonce=\"abc\""));
        assertThat(chosen).get().extracting(DigestClient.Challenge::algorithm).isEqualTo(DigestAlgorithm.MD5);
        String value = DigestClient.authorization(chosen.get(), "INVITE", "sip:100@pbx", "bob", "pw", 1, "cn");
        assertThat(value).doesNotContain("qop").doesNotContain("cnonce").doesNotContain("opaque");
        String expected = IndependentDigest.h(
                "MD5",
                IndependentDigest.h("MD5", "bob:asterisk:pw") + ":abc:"
                        + IndependentDigest.h("MD5", "INVITE:sip:100@pbx"));
        assertThat(value).contains("response=\"" + expected + "\"");
    }

    @Test
    void challengesWeCannotAnswerAreSkipped() {
        assertThat(DigestClient.choose(List.of(
                        "Basic realm=\"x\"",
                        "Digest realm=\"x\", nonce=\"n\", algorithm=SHA-512-256",
                        "Digest realm=\"x\", nonce=\"n\", qop=\"auth-int\"",
                        "Digest nonce=\"n\"",
                        "Digest realm=")))
                .isEmpty();
        assertThat(DigestClient.choose(List.of("Digest realm=\"x\", nonce=\"n\", qop=\"auth-int,auth\"")))
                .isPresent();
    }

    @Test
    void theCredentialsWeSendAreTheOnesTheServerSideAccepts() throws Exception {
        for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
            var challenge = DigestClient.choose(
                            List.of("Digest realm=\"carrier\", nonce=\"n0nce\", opaque=\"o\\\"q\", algorithm="
                                    + algorithm.token() + ", qop=\"auth\", stale=TRUE"))
                    .orElseThrow();
            assertThat(challenge.stale()).isTrue();
            String value = DigestClient.authorization(
                    challenge, "INVITE", "sip:+15551234@carrier.example", "acme", "s3cret", 2, "c0nce");
            DigestCredentials parsed = DigestCredentials.parse(value);
            assertThat(parsed.algorithm()).isEqualTo(algorithm);
            assertThat(parsed.nc()).isEqualTo("00000002");
            assertThat(parsed.opaque()).isEqualTo("o\"q");
            assertThat(parsed.response()).isEqualTo(DigestResponse.compute(parsed, "INVITE", "s3cret"));
            if (algorithm == DigestAlgorithm.MD5) {
                assertThat(parsed.response())
                        .isEqualTo(IndependentDigest.response(
                                "MD5",
                                "acme",
                                "carrier",
                                "s3cret",
                                "INVITE",
                                "sip:+15551234@carrier.example",
                                "n0nce",
                                "00000002",
                                "c0nce"));
            }
        }
    }

    @Test
    void clientNoncesAreFreshHex() {
        assertThat(DigestClient.newCnonce()).hasSize(32).isNotEqualTo(DigestClient.newCnonce());
    }
}
