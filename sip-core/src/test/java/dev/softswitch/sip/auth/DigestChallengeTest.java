package dev.softswitch.sip.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The WWW-Authenticate / Proxy-Authenticate values we send. */
class DigestChallengeTest {

    @Test
    void sha256ChallengeIsThePreferredOne() {
        DigestChallenge challenge = new DigestChallenge("softswitch", "n0nce", "0paque", false);

        assertThat(challenge.headerValue())
                .isEqualTo("Digest realm=\"softswitch\", nonce=\"n0nce\", opaque=\"0paque\", algorithm=SHA-256,"
                        + " qop=\"auth\"");
    }

    /** RFC 8760 2.4: one challenge per algorithm, in order of preference, SHA-256 before MD5. */
    @Test
    void offersSha256ThenMd5() {
        DigestChallenge challenge = new DigestChallenge("softswitch", "n0nce", "0paque", false);

        assertThat(challenge.headerValues())
                .containsExactly(
                        "Digest realm=\"softswitch\", nonce=\"n0nce\", opaque=\"0paque\", algorithm=SHA-256,"
                                + " qop=\"auth\"",
                        "Digest realm=\"softswitch\", nonce=\"n0nce\", opaque=\"0paque\", algorithm=MD5,"
                                + " qop=\"auth\"");
    }

    @Test
    void staleChallengeSaysSo() {
        DigestChallenge challenge = new DigestChallenge("softswitch", "n0nce", "0paque", true);

        assertThat(challenge.headerValues())
                .allSatisfy(value -> assertThat(value).endsWith(", qop=\"auth\", stale=true"));
    }

    @Test
    void quotesAndBackslashesInTheRealmAreEscaped() {
        DigestChallenge challenge = new DigestChallenge("soft \"switch\" \\ 1", "n", "o", false);

        assertThat(challenge.headerValue()).startsWith("Digest realm=\"soft \\\"switch\\\" \\\\ 1\", nonce=");
    }

    @Test
    void controlCharactersCannotSplitTheHeader() {
        assertThatThrownBy(() -> new DigestChallenge("evil\r\nVia: x", "n", "o", false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("realm must not contain control characters");
    }
}
