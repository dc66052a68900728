package dev.softswitch.sip.admission;

import dev.softswitch.config.CredentialVault;
import dev.softswitch.config.PbxUserConfig;
import dev.softswitch.config.SoftswitchConfig;
import dev.softswitch.config.TrunkConfig;
import dev.softswitch.sip.auth.AuthOutcome;
import dev.softswitch.sip.auth.DigestAuthenticator;
import dev.softswitch.sip.call.CallFailure;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 2, is the claim true: API keys compared in constant time, digest answers checked against the PBX user's or
 * trunk account's password, trunk sources against their networks. Unknown users and wrong passwords get the same
 * answer; a caller with no claim is challenged.
 */
public final class AuthMiddleware implements Middleware {

    private static final Logger log = LoggerFactory.getLogger(AuthMiddleware.class);

    private final SoftswitchConfig config;
    private final CredentialVault vault;
    private final DigestAuthenticator digest;

    public AuthMiddleware(SoftswitchConfig config, CredentialVault vault, DigestAuthenticator digest) {
        this.config = config;
        this.vault = vault;
        this.digest = digest;
    }

    @Override
    public Optional<CallFailure> apply(AdmissionContext context) {
        CallRequest request = context.request();
        return switch (context.claim()) {
            case Claim.ApiKey key -> {
                if (config.assistant(key.assistantId()).isPresent()
                        && vault.matchesApiKey(key.assistantId(), key.key())) {
                    context.authenticated("key:" + key.assistantId(), null, null);
                    yield Optional.empty();
                }
                log.info("refused an API key for assistant '{}' from {}", key.assistantId(), request.source());
                yield Optional.of(new CallFailure.Forbidden("invalid API key"));
            }
            case Claim.Trunk trunk -> {
                if (trunk.trunk().credentials() != null && request.authorization() == null) {
                    yield Optional.of(challenge(false)); // this trunk needs its digest account as well
                }
                context.authenticated("trunk:" + trunk.trunk().name(), trunk.trunk(), null);
                yield Optional.empty();
            }
            case Claim.Digest d -> verifyDigest(context, d);
            case Claim.None none -> Optional.of(challenge(false));
        };
    }

    private Optional<CallFailure> verifyDigest(AdmissionContext context, Claim.Digest claim) {
        CallRequest request = context.request();
        String username = claim.credentials().username();
        AuthOutcome outcome =
                digest.verify(request.method(), request.requestUri(), claim.credentials(), user -> password(user));
        return switch (outcome) {
            case AuthOutcome.Authenticated ok -> {
                Optional<PbxUserConfig> pbx = config.pbxUser(ok.username());
                if (pbx.isPresent()) {
                    context.authenticated("pbx:" + ok.username(), null, ok.username());
                } else {
                    TrunkConfig trunk = trunkWithAccount(ok.username()).orElseThrow();
                    if (!trunk.networks().isEmpty() && !trunk.allows(request.source())) {
                        log.info("trunk {} account used from {}, outside its networks", trunk.name(), request.source());
                        yield Optional.of(new CallFailure.Forbidden("not allowed from this address"));
                    }
                    context.authenticated("trunk:" + trunk.name(), trunk, null);
                }
                yield Optional.empty();
            }
            case AuthOutcome.Challenge c ->
                Optional.of(new CallFailure.Unauthorized(c.challenge().headerValues(digest.challengeOrder())));
            case AuthOutcome.Rejected r -> {
                log.info("digest refused for '{}' from {}: {}", username, request.source(), r.logDetail());
                yield Optional.of(new CallFailure.Forbidden(r.reason().text()));
            }
        };
    }

    private Optional<String> password(String username) {
        Optional<PbxUserConfig> pbx = config.pbxUser(username);
        if (pbx.isPresent()) {
            return Optional.of(pbx.get().password().reveal());
        }
        return trunkWithAccount(username).map(t -> t.credentials().password().reveal());
    }

    private Optional<TrunkConfig> trunkWithAccount(String username) {
        return config.trunks().stream()
                .filter(t ->
                        t.credentials() != null && t.credentials().username().equals(username))
                .findFirst();
    }

    private CallFailure challenge(boolean stale) {
        return new CallFailure.Unauthorized(digest.challenge(stale).headerValues(digest.challengeOrder()));
    }
}
