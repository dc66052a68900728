package dev.softswitch.sip.stack;

import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import javax.sip.SipStack;

/**
 * Counts what a running JAIN-SIP stack holds ({@link #census}) and runs its own leak audit ({@link #audit}), for the
 * metrics and for the soak test that checks nothing outlives its call.
 */
public final class StackAudit {

    private final SIPTransactionStack stack;

    /** Over {@code stack}, which must be the reference implementation's ({@code gov.nist}), as ours always is. */
    public StackAudit(SipStack stack) {
        if (!(stack instanceof SIPTransactionStack s)) {
            throw new IllegalArgumentException(
                    "not a gov.nist stack: " + stack.getClass().getName());
        }
        this.stack = s;
    }

    /** Dialogs and transactions in the stack's tables now. Copies the dialog table: fine per scrape, not per packet. */
    public StackCensus census() {
        return new StackCensus(
                stack.getDialogs().size(),
                stack.getServerTransactionTableSize(),
                stack.getClientTransactionTableSize());
    }

    /**
     * The stack's leak audit ({@code SIPTransactionStack.auditStack}): a dialog whose Call-ID is not in {@code
     * liveCallIds}, or any transaction, that an earlier audit already saw at least {@code age} ago is reported as leaked
     * and removed from the stack. The audit marks what it sees for the first time, so it takes two runs to report
     * anything: the first marks, a later one reports what is still there.
     *
     * @return the stack's report of what it found and removed, or empty when nothing leaked
     */
    public Optional<String> audit(Set<String> liveCallIds, Duration age) {
        long millis = age.toMillis();
        return Optional.ofNullable(stack.auditStack(liveCallIds, millis, millis));
    }
}
