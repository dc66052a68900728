package dev.softswitch.sip.admission;

import dev.softswitch.config.PbxUserConfig;
import dev.softswitch.config.SoftswitchConfig;
import dev.softswitch.config.TrunkConfig;
import dev.softswitch.sip.call.CallFailure;
import java.util.Optional;

/**
 * Step 3, which assistant answers: the one the API key is for, the PBX user's, or the trunk's route for the dialled
 * number (its {@code default} route otherwise). 404 when there is none.
 */
public final class AssistantMiddleware implements Middleware {

    private final SoftswitchConfig config;

    public AssistantMiddleware(SoftswitchConfig config) {
        this.config = config;
    }

    @Override
    public Optional<CallFailure> apply(AdmissionContext context) {
        String dialled = context.request().user();
        Optional<String> id;
        if (context.claim() instanceof Claim.ApiKey key) {
            id = Optional.of(key.assistantId());
        } else if (context.pbxUser() != null) {
            id = config.pbxUser(context.pbxUser()).map(PbxUserConfig::assistant);
        } else {
            TrunkConfig trunk = context.trunk();
            id = trunk == null ? Optional.empty() : trunk.assistantFor(dialled);
        }
        if (id.isEmpty() || config.assistant(id.get()).isEmpty()) {
            return Optional.of(new CallFailure.UnknownAssistant(id.orElse(dialled)));
        }
        context.assistantId(id.get());
        return Optional.empty();
    }
}
