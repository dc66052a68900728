package dev.softswitch.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * The HTTP API ({@code api:}): the bearer keys that let a client in.
 *
 * @param keys the keys, in file order; names unique, no two keys the same; none unless the file gives some
 */
public record ApiConfig(List<ApiKey> keys) {

    /** What an absent {@code api:} section means: no keys. */
    public static final ApiConfig NONE = new ApiConfig(List.of());

    public ApiConfig {
        keys = List.copyOf(keys);
    }

    /**
     * The key a client presented as {@code Authorization: Bearer TOKEN}, if it is one of ours. Every key is compared, in
     * time that depends only on the token's length ({@link MessageDigest#isEqual} over UTF-8 bytes, the token first),
     * so neither which key matched nor how much of one did shows in the time taken.
     */
    public Optional<ApiKey> match(String presentedBearerToken) {
        byte[] presented = presentedBearerToken.getBytes(StandardCharsets.UTF_8);
        ApiKey found = null;
        for (ApiKey key : keys) {
            boolean equal = MessageDigest.isEqual(presented, key.key().reveal().getBytes(StandardCharsets.UTF_8));
            if (equal && found == null) {
                found = key;
            }
        }
        return Optional.ofNullable(found);
    }
}
