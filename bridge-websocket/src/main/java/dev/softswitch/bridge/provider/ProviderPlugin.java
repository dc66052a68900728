package dev.softswitch.bridge.provider;

import org.jspecify.annotations.Nullable;

/**
 * One cloud provider: its webhooks (answer, status), the check of its media socket's upgrade, its stream format, and
 * its REST API for placing calls. Implementations are small, one package each, and safe from any thread; webhooks run
 * on the HTTP event loop, so they do nothing slow (signature checks and the in-memory context store only).
 */
public interface ProviderPlugin extends StreamPlugin {

    /**
     * {@code /providers/NAME/incoming}: checks the signature, resolves the assistant by the called number, stores the
     * call's context and answers with the provider's document (TwiML, NCCO, ...). A provider with one webhook for
     * everything (Telnyx) reports call progress from here to {@code calls} too.
     */
    WebhookAnswer incoming(Webhook hook, ProviderCalls calls) throws RefusedException;

    /** {@code /providers/NAME/status}: checks the signature and reports the call's progress to {@code calls}. */
    WebhookAnswer status(Webhook hook, ProviderCalls calls) throws RefusedException;

    /** Checks the upgrade request of {@code /providers/NAME/media} (a signature or token header, when it has one). */
    void checkUpgrade(Webhook upgrade) throws RefusedException;

    /** The format of one media socket, given its upgrade request. */
    StreamCodec codec(Webhook upgrade);

    /**
     * The REST request that places {@code order}, its media pointed at us with {@code token}.
     *
     * @param callId our id for the call, for the status callback URL
     * @throws RefusedException ({@link Refusal.Unsupported}) when the provider or its configuration cannot place calls
     */
    RestRequest dial(DialOrder order, String token, String callId) throws RefusedException;

    /** The caller id a placed call shows: the order's, else the provider's configured one, else "". */
    default String callerId(DialOrder order) {
        return order.from() == null ? "" : order.from();
    }

    /** The provider's id for the call a successful dial response names, or null when it names none. */
    @Nullable
    String dialedCallId(RestResponse response);

    /** The REST request that ends a placed call, or null when the provider has none. */
    @Nullable
    RestRequest hangup(String providerCallId);
}
