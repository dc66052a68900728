package dev.softswitch.sip.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softswitch.sip.auth.NonceService.CountCheck;
import dev.softswitch.sip.auth.NonceService.Validity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Nonce issue, expiry, tampering and the replay table, on a clock the test moves. */
class NonceServiceTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final NonceService nonces = new NonceService("softswitch", clock);

    @Test
    void freshNonceIsValidUntilItsLifetimeThenStale() {
        String nonce = nonces.newNonce();
        assertThat(nonce).hasSize(64).matches("[A-Za-z0-9_-]+");
        assertThat(nonces.check(nonce)).isEqualTo(Validity.VALID);

        clock.advance(Duration.ofMinutes(5).minusMillis(1));
        assertThat(nonces.check(nonce)).isEqualTo(Validity.VALID);

        clock.advance(Duration.ofMillis(1));
        assertThat(nonces.check(nonce)).isEqualTo(Validity.STALE);

        clock.advance(Duration.ofDays(1));
        assertThat(nonces.check(nonce)).isEqualTo(Validity.STALE);
    }

    @Test
    void noncesIssuedInTheSameMillisecondDiffer() {
        Set<String> issued = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            issued.add(nonces.newNonce());
        }
        assertThat(issued).hasSize(1000);
    }

    @Test
    void everyAlteredByteMakesTheNonceInvalid() {
        byte[] bytes = Base64.getUrlDecoder().decode(nonces.newNonce());
        for (int i = 0; i < bytes.length; i++) {
            byte[] tampered = bytes.clone();
            tampered[i] ^= 0x01;
            String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(tampered);
            assertThat(nonces.check(nonce)).as("byte %d flipped", i).isEqualTo(Validity.INVALID);
        }
    }

    @Test
    void anOldNonceCannotBeMadeYoungByRewritingItsTimestamp() {
        String nonce = nonces.newNonce();
        clock.advance(Duration.ofMinutes(10));
        byte[] bytes = Base64.getUrlDecoder().decode(nonce);
        long now = clock.millis();
        for (int i = 0; i < Long.BYTES; i++) {
            bytes[i] = (byte) (now >>> (8 * (Long.BYTES - 1 - i)));
        }
        assertThat(nonces.check(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)))
                .isEqualTo(Validity.INVALID);
    }

    @Test
    void garbageIsInvalid() {
        String valid = nonces.newNonce();
        for (String nonce : new String[] {
            "", "dcd98b7102dd2f0e8b11d0f600bfb0c093", "!".repeat(64), valid.substring(1), valid + "A", valid + "=="
        }) {
            assertThat(nonces.check(nonce)).as(nonce).isEqualTo(Validity.INVALID);
            assertThat(nonces.useNonceCount(nonce, 1)).as(nonce).isEqualTo(CountCheck.INVALID);
        }
    }

    @Test
    void anotherKeyOrRealmDoesNotAcceptOurNonces() {
        NonceService keyed = new NonceService("softswitch", clock, KEY, NonceService.DEFAULT_LIFETIME, 10);
        NonceService sameKey = new NonceService("softswitch", clock, KEY.clone(), NonceService.DEFAULT_LIFETIME, 10);
        NonceService otherRealm = new NonceService("elsewhere", clock, KEY, NonceService.DEFAULT_LIFETIME, 10);

        String nonce = keyed.newNonce();

        assertThat(sameKey.check(nonce)).as("same key and realm").isEqualTo(Validity.VALID);
        assertThat(otherRealm.check(nonce)).isEqualTo(Validity.INVALID);
        assertThat(nonces.check(nonce)).as("random key").isEqualTo(Validity.INVALID);
    }

    @Test
    void nonceCountMustGrow() {
        String nonce = nonces.newNonce();

        assertThat(nonces.useNonceCount(nonce, 1)).isEqualTo(CountCheck.ACCEPTED);
        assertThat(nonces.useNonceCount(nonce, 1)).isEqualTo(CountCheck.REPLAYED);
        assertThat(nonces.useNonceCount(nonce, 2)).isEqualTo(CountCheck.ACCEPTED);
        assertThat(nonces.useNonceCount(nonce, 5)).as("gaps are fine").isEqualTo(CountCheck.ACCEPTED);
        assertThat(nonces.useNonceCount(nonce, 3)).isEqualTo(CountCheck.REPLAYED);
        assertThat(nonces.useNonceCount(nonce, 0)).isEqualTo(CountCheck.REPLAYED);
        assertThat(nonces.useNonceCount(nonces.newNonce(), 1))
                .as("another nonce")
                .isEqualTo(CountCheck.ACCEPTED);
    }

    @Test
    void anExpiredNonceCountsAsStale() {
        String nonce = nonces.newNonce();
        assertThat(nonces.useNonceCount(nonce, 1)).isEqualTo(CountCheck.ACCEPTED);

        clock.advance(NonceService.DEFAULT_LIFETIME);

        assertThat(nonces.useNonceCount(nonce, 2)).isEqualTo(CountCheck.STALE);
    }

    @Test
    void theReplayTableIsBoundedAndSweepsExpiredNonces() {
        NonceService small = new NonceService("softswitch", clock, KEY, Duration.ofMinutes(5), 3);
        String first = small.newNonce();
        assertThat(small.useNonceCount(first, 1)).isEqualTo(CountCheck.ACCEPTED);
        clock.advance(Duration.ofMinutes(1));
        String second = small.newNonce();
        String third = small.newNonce();
        assertThat(small.useNonceCount(second, 1)).isEqualTo(CountCheck.ACCEPTED);
        assertThat(small.useNonceCount(third, 1)).isEqualTo(CountCheck.ACCEPTED);

        String fourth = small.newNonce();
        assertThat(small.useNonceCount(fourth, 1))
                .as("full of live nonces: refuse rather than forget one")
                .isEqualTo(CountCheck.TABLE_FULL);
        assertThat(small.useNonceCount(third, 2))
                .as("tracked nonces still work")
                .isEqualTo(CountCheck.ACCEPTED);
        assertThat(small.useNonceCount(third, 2)).isEqualTo(CountCheck.REPLAYED);
        assertThat(small.trackedNonces()).isEqualTo(3);

        clock.advance(Duration.ofMinutes(4)); // first expires; second and third have a minute left
        String fifth = small.newNonce();
        assertThat(small.useNonceCount(fifth, 1)).isEqualTo(CountCheck.ACCEPTED);
        assertThat(small.trackedNonces()).isEqualTo(3);
        assertThat(small.useNonceCount(first, 2)).isEqualTo(CountCheck.STALE);
        assertThat(small.useNonceCount(second, 1)).as("still remembered").isEqualTo(CountCheck.REPLAYED);
    }
}
