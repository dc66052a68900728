package dev.softswitch.sip.admission;

import dev.softswitch.config.TrunkConfig;
import org.jspecify.annotations.Nullable;

/** One request's way through the chain: each step reads what earlier ones found and adds its own. */
public final class AdmissionContext {

    private final CallRequest request;
    private Claim claim = new Claim.None();
    private @Nullable String caller;
    private @Nullable TrunkConfig trunk;
    private @Nullable String pbxUser;
    private @Nullable String assistantId;

    public AdmissionContext(CallRequest request) {
        this.request = request;
    }

    public CallRequest request() {
        return request;
    }

    public Claim claim() {
        return claim;
    }

    void claim(Claim claim) {
        this.claim = claim;
    }

    /** Who was authenticated, for logs and records: {@code key:support}, {@code pbx:alice}, {@code trunk:carrier}. */
    public @Nullable String caller() {
        return caller;
    }

    void authenticated(String caller, @Nullable TrunkConfig trunk, @Nullable String pbxUser) {
        this.caller = caller;
        this.trunk = trunk;
        this.pbxUser = pbxUser;
    }

    public @Nullable TrunkConfig trunk() {
        return trunk;
    }

    public @Nullable String pbxUser() {
        return pbxUser;
    }

    public @Nullable String assistantId() {
        return assistantId;
    }

    void assistantId(String id) {
        this.assistantId = id;
    }
}
