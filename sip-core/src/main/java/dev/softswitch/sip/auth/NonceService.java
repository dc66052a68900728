package dev.softswitch.sip.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and checks the nonces of one realm. A nonce is
 * {@code base64url(timestamp || salt || HMAC-SHA256(key, timestamp || salt || realm))}: it proves itself ours and says
 * its own age, so checking one needs no state. The 8 random salt bytes keep two nonces issued in the same millisecond
 * apart, which the replay table (keyed by nonce) relies on.
 *
 * <p>Replay protection (RFC 2617 3.2.2, RFC 7616 3.3: the server may reject a reused nonce count): for each nonce used
 * with qop, the highest {@code nc} accepted so far is kept until the nonce expires; a count that is not higher is a
 * replay. The table is bounded: when it is full, expired entries are swept, and if none can go, a new nonce is refused
 * ({@link CountCheck#TABLE_FULL}) rather than dropping a live entry, which would reopen its replays. Concurrent
 * inserts can overshoot the bound by at most the number of threads inserting at once.
 *
 * <p>Thread-safe: a {@link ConcurrentHashMap} whose per-key {@code compute} is the only lock, held for a comparison.
 */
public final class NonceService {

    /** RFC 7616 leaves the lifetime to the server; five minutes covers a REGISTER refresh retry. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);

    /** At most this many nonces have their nonce count remembered. */
    public static final int DEFAULT_MAX_TRACKED = 100_000;

    private static final int TIMESTAMP_BYTES = Long.BYTES;
    private static final int SALT_BYTES = 8;
    private static final int MAC_BYTES = 32;
    private static final int NONCE_BYTES = TIMESTAMP_BYTES + SALT_BYTES + MAC_BYTES;
    private static final int KEY_BYTES = 32;
    private static final int MIN_KEY_BYTES = 16;
    private static final String HMAC = "HmacSHA256";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What {@link #check} says of a nonce. */
    public enum Validity {
        /** Ours and within its lifetime. */
        VALID,
        /** Ours but older than the lifetime: challenge again with {@code stale=true}. */
        STALE,
        /** Not ours, tampered with, or not a nonce at all. */
        INVALID
    }

    /** What {@link #useNonceCount} says of a nonce count. */
    public enum CountCheck {
        /** Higher than any count seen with this nonce; now remembered. */
        ACCEPTED,
        /** Not higher than a count already accepted with this nonce. */
        REPLAYED,
        /** The nonce expired (possibly just now). */
        STALE,
        /** Not one of our nonces. */
        INVALID,
        /** The replay table is full of live nonces; this new one cannot be tracked, so it is refused. */
        TABLE_FULL
    }

    /** The highest nonce count accepted with one nonce, kept until the nonce expires. */
    private record Seen(long highestCount, long expiresAtMillis) {}

    private final String realm;
    private final Clock clock;
    private final SecretKeySpec key;
    private final long lifetimeMillis;
    private final int maxTracked;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    /** No entry expires before this instant, so sweeping earlier would free nothing. */
    private final AtomicLong nextSweepMillis = new AtomicLong(Long.MIN_VALUE);

    /** A service with a random 32-byte key, the default lifetime and table size. */
    public NonceService(String realm, Clock clock) {
        this(realm, clock, randomKey(), DEFAULT_LIFETIME, DEFAULT_MAX_TRACKED);
    }

    /**
     * @param key the HMAC key, at least 16 bytes (copied); share it between instances that must accept each other's
     *     nonces
     * @param lifetime how long a nonce stays {@link Validity#VALID}
     * @param maxTracked how many nonces the replay table remembers at most
     */
    public NonceService(String realm, Clock clock, byte[] key, Duration lifetime, int maxTracked) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("nonce key must have at least " + MIN_KEY_BYTES + " bytes");
        }
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("nonce lifetime must be positive");
        }
        if (maxTracked < 1) {
            throw new IllegalArgumentException("maxTracked must be at least 1");
        }
        this.realm = realm;
        this.clock = clock;
        this.key = new SecretKeySpec(key.clone(), HMAC);
        this.lifetimeMillis = lifetime.toMillis();
        this.maxTracked = maxTracked;
    }

    /** The realm these nonces belong to. */
    public String realm() {
        return realm;
    }

    /** A fresh nonce, 64 base64url characters. */
    public String newNonce() {
        ByteBuffer nonce = ByteBuffer.allocate(NONCE_BYTES);
        nonce.putLong(clock.millis());
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        nonce.put(salt);
        nonce.put(mac(nonce.array(), TIMESTAMP_BYTES + SALT_BYTES));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(nonce.array());
    }

    /** Whether {@code nonce} is ours and still fresh. */
    public Validity check(String nonce) {
        long issuedAt = issuedAt(nonce);
        if (issuedAt == Long.MIN_VALUE) {
            return Validity.INVALID;
        }
        // A nonce from the future can only be ours after the clock stepped back: it is still ours.
        return clock.millis() - issuedAt >= lifetimeMillis ? Validity.STALE : Validity.VALID;
    }

    /**
     * Records that {@code nonceCount} was used with {@code nonce}, if it is higher than every count accepted with it
     * before. Call this only once the request's digest is verified, so that only authenticated requests take room.
     */
    public CountCheck useNonceCount(String nonce, long nonceCount) {
        long issuedAt = issuedAt(nonce);
        if (issuedAt == Long.MIN_VALUE) {
            return CountCheck.INVALID;
        }
        long expiresAt = issuedAt + lifetimeMillis;
        if (clock.millis() >= expiresAt) {
            return CountCheck.STALE;
        }
        if (nonceCount < 1) { // RFC 2617 3.2.2: nc starts at 00000001
            return CountCheck.REPLAYED;
        }
        if (!seen.containsKey(nonce) && seen.size() >= maxTracked && !makeRoom()) {
            return CountCheck.TABLE_FULL;
        }
        CountCheck[] result = new CountCheck[1];
        seen.compute(nonce, (n, previous) -> {
            // Checked again under the key's lock: once a sweep has removed an expired entry, no late request may
            // start it over from zero.
            if (clock.millis() >= expiresAt) {
                result[0] = CountCheck.STALE;
                return previous;
            }
            if (previous != null && nonceCount <= previous.highestCount()) {
                result[0] = CountCheck.REPLAYED;
                return previous;
            }
            result[0] = CountCheck.ACCEPTED;
            return new Seen(nonceCount, expiresAt);
        });
        return result[0];
    }

    /** How many nonces the replay table holds now. */
    public int trackedNonces() {
        return seen.size();
    }

    /** Sweeps expired entries (one thread at a time, and not before one can have expired); true if there is room. */
    private boolean makeRoom() {
        long now = clock.millis();
        if (now >= nextSweepMillis.get() && sweeping.compareAndSet(false, true)) {
            try {
                long[] earliest = {Long.MAX_VALUE};
                // ConcurrentHashMap removes each entry only if it still holds the value tested.
                seen.values().removeIf(entry -> {
                    if (entry.expiresAtMillis() <= now) {
                        return true;
                    }
                    earliest[0] = Math.min(earliest[0], entry.expiresAtMillis());
                    return false;
                });
                nextSweepMillis.set(earliest[0]);
            } finally {
                sweeping.set(false);
            }
        }
        return seen.size() < maxTracked;
    }

    /** The issue time of a nonce that is ours, or {@link Long#MIN_VALUE} if it is not. */
    private long issuedAt(String nonce) {
        if (nonce.length() != (NONCE_BYTES * 4 + 2) / 3) {
            return Long.MIN_VALUE;
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException notBase64) {
            return Long.MIN_VALUE;
        }
        if (bytes.length != NONCE_BYTES) {
            return Long.MIN_VALUE;
        }
        byte[] expected = mac(bytes, TIMESTAMP_BYTES + SALT_BYTES);
        byte[] actual = Arrays.copyOfRange(bytes, TIMESTAMP_BYTES + SALT_BYTES, NONCE_BYTES);
        if (!MessageDigest.isEqual(expected, actual)) {
            return Long.MIN_VALUE;
        }
        return ByteBuffer.wrap(bytes).getLong();
    }

    /** HMAC-SHA256(key, data[0, length) || realm). */
    private byte[] mac(byte[] data, int length) {
        try {
            Mac mac = Mac.getInstance(HMAC); // not thread-safe, and cheap to get
            mac.init(key);
            mac.update(data, 0, length);
            return mac.doFinal(realm.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // Every Java platform must provide HmacSHA256 (Mac javadoc), and the key is a plain byte array.
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static byte[] randomKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }
}
