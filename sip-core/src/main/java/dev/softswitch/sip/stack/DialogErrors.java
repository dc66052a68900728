package dev.softswitch.sip.stack;

import gov.nist.javax.sip.SipProviderImpl;
import gov.nist.javax.sip.stack.SIPDialog;
import javax.sip.Dialog;
import javax.sip.SipProvider;
import org.jspecify.annotations.Nullable;

/**
 * Makes sure a dialog reports its errors to the provider. jain-sip-ri 1.3.0-91 registers the provider with a dialog
 * when the dialog enters the early state ({@code SIPDialog.setState}); a dialog answered with a 2xx straight away
 * (no 1xx with a To tag before it) never is, so when the caller never ACKs that 2xx the stack stops retransmitting
 * it after 64*T1 and tells nobody: no {@code DialogTimeoutEvent}, no BYE, the call left up. Registering is what the
 * stack does itself for early dialogs, and it is idempotent.
 */
public final class DialogErrors {

    private DialogErrors() {}

    /** Has {@code dialog} report its errors (such as {@code AckNotReceived}) to {@code provider}'s listener. */
    public static void reportTo(@Nullable Dialog dialog, SipProvider provider) {
        if (dialog instanceof SIPDialog sipDialog && provider instanceof SipProviderImpl impl) {
            sipDialog.addEventListener(impl);
        }
    }
}
