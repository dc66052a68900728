package dev.softswitch.sip.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softswitch.sip.auth.AuthOutcome.Authenticated;
import dev.softswitch.sip.auth.AuthOutcome.Challenge;
import dev.softswitch.sip.auth.AuthOutcome.Reason;
import dev.softswitch.sip.auth.AuthOutcome.Rejected;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** A client answering our challenges, as a registrar would see it: every outcome the SIP layer acts on. */
class DigestAuthenticatorTest {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String WRONG_PASSWORD = "Tr0ub4dor&3";
    private static final String URI = "sip:softswitch.example.com";
    private static final Map<String, String> PASSWORDS = Map.of("alice", PASSWORD);
    private static final PasswordLookup USERS = user -> Optional.ofNullable(PASSWORDS.get(user));

    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final NonceService nonces = new NonceService("softswitch", clock);
    private final DigestAuthenticator authenticator = new DigestAuthenticator(nonces);

    private AuthOutcome register(String authorization) throws DigestParseException {
        return authenticator.verify("REGISTER", URI, DigestCredentials.parse(authorization), USERS);
    }

    private String answer(DigestChallenge challenge, String user, String password, String nc) {
        return IndependentDigest.authorization(challenge, "SHA-256", user, password, "REGISTER", URI, nc, "c1ient");
    }

    @Test
    void challengesWithTheConfiguredAlgorithmsInOrderMd5FirstByDefault() {
        Challenge c = (Challenge) authenticator.verify("INVITE", "sip:a@b", null, user -> Optional.empty());
        assertThat(c.challenge().headerValues(authenticator.challengeOrder()))
                .satisfiesExactly(md5 -> assertThat(md5).contains("algorithm=MD5"), sha -> assertThat(sha)
                        .contains("algorithm=SHA-256"));

        authenticator.challengeOrder(List.of(DigestAlgorithm.MD5)); // for phones that give up on a SHA-256 challenge
        assertThat(c.challenge().headerValues(authenticator.challengeOrder()))
                .singleElement()
                .asString()
                .contains("algorithm=MD5");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> authenticator.challengeOrder(List.of()));
    }

    @Test
    void noCredentialsGetAFreshChallenge() {
        AuthOutcome outcome = authenticator.verify("REGISTER", URI, null, USERS);

        assertThat(outcome).isInstanceOf(Challenge.class);
        Challenge challenge = (Challenge) outcome;
        assertThat(challenge.stale()).isFalse();
        assertThat(challenge.challenge().realm()).isEqualTo("softswitch");
        assertThat(nonces.check(challenge.challenge().nonce())).isEqualTo(NonceService.Validity.VALID);
        assertThat(challenge.challenge().headerValues()).hasSize(2);
    }

    @Test
    void rightPasswordAuthenticatesWithEitherAlgorithm() throws DigestParseException {
        DigestChallenge challenge = authenticator.challenge(false);
        for (String algorithm : new String[] {"SHA-256", "MD5"}) {
            String nc = algorithm.equals("MD5") ? "00000002" : "00000001";
            String authorization =
                    IndependentDigest.authorization(challenge, algorithm, "alice", PASSWORD, "REGISTER", URI, nc, "cn");

            assertThat(register(authorization)).as(algorithm).isEqualTo(new Authenticated("alice"));
        }
    }

    @Test
    void nonceLifecycleValidThenStaleThenChallengedWithStaleTrue() throws DigestParseException {
        DigestChallenge challenge = authenticator.challenge(false);
        assertThat(register(answer(challenge, "alice", PASSWORD, "00000001"))).isInstanceOf(Authenticated.class);

        clock.advance(Duration.ofMinutes(5));
        AuthOutcome outcome = register(answer(challenge, "alice", PASSWORD, "00000002"));

        assertThat(outcome).isInstanceOf(Challenge.class);
        Challenge stale = (Challenge) outcome;
        assertThat(stale.stale()).isTrue();
        assertThat(stale.label()).isEqualTo("challenge_stale");
        assertThat(stale.challenge().headerValues())
                .allSatisfy(v -> assertThat(v).endsWith(", stale=true"));

        assertThat(register(answer(stale.challenge(), "alice", PASSWORD, "00000001")))
                .as("retry with the new nonce")
                .isEqualTo(new Authenticated("alice"));
    }

    /** RFC 2617 3.2.1: stale=true only if the digest was right; otherwise it is a plain rejection. */
    @Test
    void staleNonceWithWrongPasswordIsRejectedNotChallenged() throws DigestParseException {
        DigestChallenge challenge = authenticator.challenge(false);
        clock.advance(Duration.ofMinutes(6));

        AuthOutcome outcome = register(answer(challenge, "alice", "guess", "00000001"));

        assertThat(outcome).isInstanceOf(Rejected.class);
        assertThat(((Rejected) outcome).reason()).isEqualTo(Reason.INVALID_CREDENTIALS);
    }

    @Test
    void tamperedOrForeignNonceIsRejected() throws DigestParseException {
        DigestChallenge ours = authenticator.challenge(false);
        char[] chars = ours.nonce().toCharArray();
        chars[20] = chars[20] == 'A' ? 'B' : 'A';
        DigestChallenge tampered = new DigestChallenge("softswitch", new String(chars), ours.opaque(), false);
        DigestChallenge foreign = new DigestChallenge(
                "softswitch", new NonceService("softswitch", clock).newNonce(), ours.opaque(), false);

        for (DigestChallenge challenge : List.of(tampered, foreign)) {
            AuthOutcome outcome = register(answer(challenge, "alice", PASSWORD, "00000001"));
            assertThat(outcome).isInstanceOf(Rejected.class);
            assertThat(((Rejected) outcome).reason()).isEqualTo(Reason.INVALID_NONCE);
        }
    }

    @Test
    void sameNonceCountTwiceIsAReplay() throws DigestParseException {
        DigestChallenge challenge = authenticator.challenge(false);
        String first = answer(challenge, "alice", PASSWORD, "00000001");

        assertThat(register(first)).isInstanceOf(Authenticated.class);
        AuthOutcome replayed = register(first);
        assertThat(replayed).isInstanceOf(Rejected.class);
        assertThat(((Rejected) replayed).reason()).isEqualTo(Reason.REPLAY);
        assertThat(replayed.label()).isEqualTo("rejected_replay");

        assertThat(register(answer(challenge, "alice", PASSWORD, "00000002"))).isInstanceOf(Authenticated.class);
        assertThat(register(answer(challenge, "alice", PASSWORD, "0000000a"))).isInstanceOf(Authenticated.class);
        assertThat(register(answer(challenge, "alice", PASSWORD, "00000009"))).isInstanceOf(Rejected.class);
    }

    @Test
    void concurrentRequestsNeverAcceptTheSameNonceCountTwice() throws Exception {
        DigestChallenge challenge = authenticator.challenge(false);
        int counts = 50;
        int copies = 8;
        List<DigestCredentials> requests = new ArrayList<>();
        for (int nc = 1; nc <= counts; nc++) {
            DigestCredentials credentials =
                    DigestCredentials.parse(answer(challenge, "alice", PASSWORD, String.format("%08x", nc)));
            for (int copy = 0; copy < copies; copy++) {
                requests.add(credentials);
            }
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<AuthOutcome>> tasks = new ArrayList<>();
        for (DigestCredentials credentials : requests) {
            tasks.add(() -> {
                start.await();
                return authenticator.verify("REGISTER", URI, credentials, USERS);
            });
        }

        List<String> acceptedCounts = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<AuthOutcome>> futures = new ArrayList<>();
            for (Callable<AuthOutcome> task : tasks) {
                futures.add(pool.submit(task));
            }
            start.countDown();
            for (int i = 0; i < futures.size(); i++) {
                AuthOutcome outcome = futures.get(i).get();
                if (outcome instanceof Authenticated) {
                    acceptedCounts.add(requests.get(i).nc());
                } else {
                    assertThat(outcome).isInstanceOf(Rejected.class);
                    assertThat(((Rejected) outcome).reason()).isEqualTo(Reason.REPLAY);
                }
            }
        }

        assertThat(acceptedCounts).doesNotHaveDuplicates().isNotEmpty();
        assertThat(acceptedCounts).hasSizeLessThanOrEqualTo(counts);
    }

    @Test
    void unknownUserAndWrongPasswordLookTheSameFromTheNetwork() throws DigestParseException {
        DigestChallenge challenge = authenticator.challenge(false);

        AuthOutcome unknownUser = register(answer(challenge, "mallory", PASSWORD, "00000001"));
        AuthOutcome wrongPassword = register(answer(challenge, "alice", WRONG_PASSWORD, "00000002"));

        assertThat(unknownUser).isInstanceOf(Rejected.class).hasSameClassAs(wrongPassword);
        Rejected unknown = (Rejected) unknownUser;
        Rejected wrong = (Rejected) wrongPassword;
        assertThat(unknown.reason()).isEqualTo(wrong.reason()).isEqualTo(Reason.INVALID_CREDENTIALS);
        assertThat(unknown.reason().text()).isEqualTo(wrong.reason().text());
        assertThat(unknown.label()).isEqualTo(wrong.label()).isEqualTo("rejected_invalid_credentials");
        assertThat(unknown.logDetail()).as("the log may tell them apart").isNotEqualTo(wrong.logDetail());
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} for {1}: {2}")
    @org.junit.jupiter.params.provider.CsvSource({
        "sip:alice@pbx.example.com:5060, sip:alice@pbx.example.com:5060, true",
        "sip:pbx.example.com:5060, sip:alice@pbx.example.com:5060, true", // the user part left out (SIPp)
        "sip:PBX.example.com:5060;transport=udp, sip:alice@pbx.example.com:5060, true",
        "sip:pbx.example.com, sip:alice@pbx.example.com:5060, false", // another port
        "sip:other.example.com:5060, sip:alice@pbx.example.com:5060, false",
        "sips:pbx.example.com:5060, sip:alice@pbx.example.com:5060, false",
        "/dir/index.html, sip:alice@pbx.example.com, false",
    })
    void theDigestUriMustNameTheRequestUrisResource(String digestUri, String requestUri, boolean same) {
        assertThat(DigestAuthenticator.sameResource(digestUri, requestUri)).isEqualTo(same);
    }

    @Test
    void credentialsForAnotherUriAreRejected() throws DigestParseException {
        DigestChallenge challenge = authenticator.challenge(false);
        DigestCredentials credentials = DigestCredentials.parse(IndependentDigest.authorization(
                challenge, "SHA-256", "alice", PASSWORD, "REGISTER", "sip:other.example.com", "00000001", "cn"));

        AuthOutcome outcome = authenticator.verify("REGISTER", URI, credentials, USERS);

        assertThat(outcome)
                .isEqualTo(
                        new Rejected(Reason.URI_MISMATCH, "user alice sent a digest uri other than the Request-URI"));
    }

    @Test
    void credentialsForAnotherRealmAreRejected() throws DigestParseException {
        DigestChallenge ours = authenticator.challenge(false);
        DigestChallenge other = new DigestChallenge("elsewhere", ours.nonce(), ours.opaque(), false);

        AuthOutcome outcome = register(answer(other, "alice", PASSWORD, "00000001"));

        assertThat(outcome).isInstanceOf(Rejected.class);
        assertThat(((Rejected) outcome).reason()).isEqualTo(Reason.WRONG_REALM);
    }

    @Test
    void aDifferentMethodDoesNotMatch() throws DigestParseException {
        DigestChallenge challenge = authenticator.challenge(false);
        DigestCredentials credentials = DigestCredentials.parse(answer(challenge, "alice", PASSWORD, "00000001"));

        AuthOutcome outcome = authenticator.verify("INVITE", URI, credentials, USERS);

        assertThat(outcome).isInstanceOf(Rejected.class);
        assertThat(((Rejected) outcome).reason()).isEqualTo(Reason.INVALID_CREDENTIALS);
    }

    @Test
    void opaqueMustBeOursWhenReturned() throws DigestParseException {
        DigestChallenge ours = authenticator.challenge(false);
        DigestChallenge otherOpaque = new DigestChallenge("softswitch", ours.nonce(), "not-ours", false);

        AuthOutcome outcome = register(answer(otherOpaque, "alice", PASSWORD, "00000001"));

        assertThat(outcome).isInstanceOf(Rejected.class);
        assertThat(((Rejected) outcome).reason()).isEqualTo(Reason.OPAQUE_MISMATCH);
    }

    private String rfc2069(DigestChallenge challenge, String password) {
        String ha1 = IndependentDigest.h("MD5", "alice:softswitch:" + password);
        String ha2 = IndependentDigest.h("MD5", "REGISTER:" + URI);
        String response = IndependentDigest.h("MD5", ha1 + ":" + challenge.nonce() + ":" + ha2);
        return "Digest username=\"alice\", realm=\"softswitch\", nonce=\"" + challenge.nonce() + "\", uri=\"" + URI
                + "\", response=\"" + response + "\"";
    }

    @Test
    void withoutQopIsRejectedByDefault() throws DigestParseException {
        AuthOutcome outcome = register(rfc2069(authenticator.challenge(false), PASSWORD));

        assertThat(outcome).isInstanceOf(Rejected.class);
        assertThat(((Rejected) outcome).reason()).isEqualTo(Reason.QOP_REQUIRED);
    }

    @Test
    void withoutQopIsAcceptedWhenRfc2069IsAllowed() throws DigestParseException {
        DigestAuthenticator compatible = new DigestAuthenticator(nonces, true);
        DigestChallenge challenge = compatible.challenge(false);

        assertThat(compatible.verify("REGISTER", URI, DigestCredentials.parse(rfc2069(challenge, PASSWORD)), USERS))
                .isEqualTo(new Authenticated("alice"));
        AuthOutcome wrong =
                compatible.verify("REGISTER", URI, DigestCredentials.parse(rfc2069(challenge, "nope")), USERS);
        assertThat(wrong).isInstanceOf(Rejected.class);
        assertThat(((Rejected) wrong).reason()).isEqualTo(Reason.INVALID_CREDENTIALS);
    }

    @Test
    void otherQopIsUnsupported() throws DigestParseException {
        String authorization = answer(authenticator.challenge(false), "alice", PASSWORD, "00000001")
                .replace("qop=auth", "qop=auth-int");

        AuthOutcome outcome = register(authorization);

        assertThat(outcome).isInstanceOf(Rejected.class);
        assertThat(((Rejected) outcome).reason()).isEqualTo(Reason.UNSUPPORTED_QOP);
    }

    @Test
    void userNamesCannotForgeLogLines() throws DigestParseException {
        DigestChallenge challenge = authenticator.challenge(false);

        AuthOutcome outcome = register(answer(challenge, "eve\r\nINFO admin logged in", PASSWORD, "00000001"));

        assertThat(((Rejected) outcome).logDetail()).isEqualTo("unknown user eve??INFO admin logged in");
    }

    @Test
    void noOutcomeOrCredentialsTextCarriesThePasswordOrResponse() throws DigestParseException {
        DigestChallenge challenge = authenticator.challenge(false);
        List<String> authorizations = List.of(
                answer(challenge, "alice", PASSWORD, "00000001"),
                answer(challenge, "alice", PASSWORD, "00000001"),
                answer(challenge, "alice", WRONG_PASSWORD, "00000002"),
                answer(challenge, "mallory", PASSWORD, "00000003"),
                answer(
                        new DigestChallenge("softswitch", "bogus", challenge.opaque(), false),
                        "alice",
                        PASSWORD,
                        "1".repeat(8)));
        String ha1 = IndependentDigest.h("SHA-256", "alice:softswitch:" + PASSWORD);
        for (String authorization : authorizations) {
            DigestCredentials credentials = DigestCredentials.parse(authorization);
            AuthOutcome outcome = authenticator.verify("REGISTER", URI, credentials, USERS);
            String text = outcome + " " + credentials + " " + outcome.label()
                    + (outcome instanceof Rejected r ? r.reason().text() + r.logDetail() : "");

            assertThat(text)
                    .doesNotContain(PASSWORD)
                    .doesNotContain(WRONG_PASSWORD)
                    .doesNotContain(credentials.response())
                    .doesNotContain(ha1);
        }
    }

    @Test
    void lookupIsAskedForTheNameAsSent() throws DigestParseException {
        List<String> asked = new ArrayList<>();
        PasswordLookup recording = user -> {
            asked.add(user);
            return Optional.empty();
        };
        DigestCredentials credentials =
                DigestCredentials.parse(answer(authenticator.challenge(false), "Alice", PASSWORD, "00000001"));

        authenticator.verify("REGISTER", URI, credentials, recording);

        assertThat(asked).containsExactly("Alice");
    }
}
