package dev.softswitch.sip.admission;

import dev.softswitch.config.TrunkConfig;
import dev.softswitch.sip.auth.DigestCredentials;

/** Who a caller claims to be, before anything is checked. */
public sealed interface Claim {

    /** {@code sip:assistant:key@host}: a key for one assistant. */
    record ApiKey(String assistantId, String key) implements Claim {
        @Override
        public String toString() {
            return "ApiKey[" + assistantId + ", ***]";
        }
    }

    /** An {@code Authorization: Digest ...} header: a PBX user or a trunk's account. */
    record Digest(DigestCredentials credentials) implements Claim {}

    /** A packet from a trunk's network. */
    record Trunk(TrunkConfig trunk) implements Claim {}

    /** Nothing: the caller gets a challenge (or, in the demo, loopback is enough). */
    record None() implements Claim {}
}
