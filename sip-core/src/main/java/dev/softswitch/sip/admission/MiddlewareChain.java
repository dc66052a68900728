package dev.softswitch.sip.admission;

import dev.softswitch.config.AssistantConfig;
import dev.softswitch.config.CredentialVault;
import dev.softswitch.config.SoftswitchConfig;
import dev.softswitch.config.TrunkConfig;
import dev.softswitch.sip.CallAdmission;
import dev.softswitch.sip.auth.DigestAuthenticator;
import dev.softswitch.sip.call.CallFailure;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The steps of admission, run in order until one ends the request or all pass. */
public final class MiddlewareChain implements CallAdmission {

    private final List<Middleware> steps;
    private final SoftswitchConfig config;

    public MiddlewareChain(SoftswitchConfig config, List<Middleware> steps) {
        this.config = config;
        this.steps = List.copyOf(steps);
    }

    /** Credential, auth, assistant and vault, as the configuration says. */
    public static MiddlewareChain forConfig(
            SoftswitchConfig config, CredentialVault vault, DigestAuthenticator digest) {
        return new MiddlewareChain(
                config,
                List.of(
                        new CredentialMiddleware(config),
                        new AuthMiddleware(config, vault, digest),
                        new AssistantMiddleware(config),
                        new VaultResolver(vault)));
    }

    @Override
    public Decision admit(CallRequest request) {
        AdmissionContext context = new AdmissionContext(request);
        for (Middleware step : steps) {
            Optional<CallFailure> failure = step.apply(context);
            if (failure.isPresent()) {
                return new Decision.Refuse(failure.get());
            }
        }
        String assistant = context.assistantId();
        String caller = context.caller();
        if (assistant == null || caller == null) {
            return new Decision.Refuse(new CallFailure.Internal("admission chain ended without a caller or assistant"));
        }
        Duration maxDuration =
                config.assistant(assistant).map(AssistantConfig::maxDuration).orElse(Duration.ZERO);
        TrunkConfig trunk = context.trunk();
        return new Decision.Admit(assistant, caller, trunk == null ? null : trunk.name(), maxDuration);
    }
}
