package dev.softswitch.sip.admission;

import dev.softswitch.config.CredentialVault;
import dev.softswitch.sip.call.CallFailure;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 4, the secrets the chosen assistant needs, resolved before the call is answered. The configuration resolves
 * every reference when it loads, so today this confirms the vault has them; a missing one is a 500, logged by key only.
 */
public final class VaultResolver implements Middleware {

    private static final Logger log = LoggerFactory.getLogger(VaultResolver.class);

    private final CredentialVault vault;

    public VaultResolver(CredentialVault vault) {
        this.vault = vault;
    }

    @Override
    public Optional<CallFailure> apply(AdmissionContext context) {
        String id = context.assistantId();
        if (id == null) {
            return Optional.of(new CallFailure.Internal("no assistant chosen before the vault step"));
        }
        for (String key : vault.keys()) {
            if (key.startsWith("assistant:" + id + ":") && vault.find(key).isEmpty()) {
                log.error("secret {} of assistant {} is missing from the vault", key, id);
                return Optional.of(new CallFailure.Internal("a secret the assistant needs is missing"));
            }
        }
        return Optional.empty();
    }
}
