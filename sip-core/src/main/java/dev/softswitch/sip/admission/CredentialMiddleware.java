package dev.softswitch.sip.admission;

import dev.softswitch.config.SoftswitchConfig;
import dev.softswitch.config.TrunkConfig;
import dev.softswitch.sip.auth.DigestCredentials;
import dev.softswitch.sip.auth.DigestParseException;
import dev.softswitch.sip.call.CallFailure;
import java.util.Optional;

/**
 * Step 1, who claims to call, in this order: {@code sip:assistant:key@host}; an {@code Authorization: Digest}
 * header; a trunk known by the packet's source address. Nothing is verified here.
 */
public final class CredentialMiddleware implements Middleware {

    private final SoftswitchConfig config;

    public CredentialMiddleware(SoftswitchConfig config) {
        this.config = config;
    }

    @Override
    public Optional<CallFailure> apply(AdmissionContext context) {
        CallRequest request = context.request();
        if (request.password() != null && !request.user().isEmpty()) {
            context.claim(new Claim.ApiKey(request.user(), request.password()));
            return Optional.empty();
        }
        if (request.authorization() != null) {
            try {
                context.claim(new Claim.Digest(DigestCredentials.parse(request.authorization())));
                return Optional.empty();
            } catch (DigestParseException e) {
                return Optional.of(new CallFailure.BadRequest("unreadable Authorization header: " + e.getMessage()));
            }
        }
        for (TrunkConfig trunk : config.trunks()) {
            if (!trunk.networks().isEmpty() && trunk.allows(request.source())) {
                context.claim(new Claim.Trunk(trunk));
                return Optional.empty();
            }
        }
        context.claim(new Claim.None());
        return Optional.empty();
    }
}
