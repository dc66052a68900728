package dev.softswitch.app.http;

import dev.softswitch.sip.DialStatus;
import dev.softswitch.sip.OutboundCall;
import dev.softswitch.sip.SipServer;

/** A call the API placed, as the API sees it: its id, where it stands, and a way to end it. Safe from any thread. */
interface PlacedCall {

    String id();

    DialStatus status();

    /** Cancels it while it rings, sends BYE once answered; does nothing once it has ended. Does not block. */
    void hangUp();

    /** Why a trunk's toll-fraud cap refused it (then it was never placed); empty when it was placed. */
    default java.util.Optional<dev.softswitch.sip.outbound.OutboundRefusal> refusal() {
        return java.util.Optional.empty();
    }

    /** Places calls; {@link SipServer#dial} in the daemon. */
    @FunctionalInterface
    interface Placer {
        /**
         * Places the call and returns at once; {@code progress} hears each status, the last being ended.
         *
         * @throws IllegalStateException when no call can be placed now (shutting down)
         */
        PlacedCall place(dev.softswitch.sip.DialRequest request, java.util.function.Consumer<DialStatus> progress);
    }

    /** The daemon's placer: {@link SipServer#dial}, non-blocking (it enqueues the call on its own executor). */
    static Placer of(SipServer sip) {
        return (request, progress) -> of(sip.dial(request, progress));
    }

    /** A call placed through a cloud provider, its progress in the SIP side's words. */
    static PlacedCall of(dev.softswitch.bridge.provider.ProviderCall call) {
        return new PlacedCall() {
            @Override
            public String id() {
                return call.id();
            }

            @Override
            public DialStatus status() {
                return dev.softswitch.app.providers.ProviderWiring.dialStatus(call.status());
            }

            @Override
            public void hangUp() {
                call.hangUp();
            }
        };
    }

    static PlacedCall of(OutboundCall call) {
        return new PlacedCall() {
            @Override
            public String id() {
                return call.id();
            }

            @Override
            public DialStatus status() {
                return call.status();
            }

            @Override
            public void hangUp() {
                call.hangUp();
            }

            @Override
            public java.util.Optional<dev.softswitch.sip.outbound.OutboundRefusal> refusal() {
                return call.refusal();
            }
        };
    }
}
