package dev.softswitch.sip.stack;

import gov.nist.javax.sip.stack.SIPDialog;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import javax.sip.Dialog;
import org.jspecify.annotations.Nullable;

/**
 * Settles an ACK that the stack took too early. jain-sip-ri 1.3.0-91 sends a 2xx to an INVITE first and only then
 * starts the timer that retransmits it ({@code SIPServerTransactionImpl.sendResponse}); an ACK handled in between
 * finds no timer, so the dialog never notes it ("tr is null -- not updating the ack state"), and the 2xx goes out
 * again after T1 although the caller did acknowledge it. On a loaded machine the caller's ACK often comes back within
 * that gap: {@code bench/cps.sh} saw 4-5 % of calls answered twice at 100-200 calls/s.
 *
 * <p>Called once the 2xx has been sent (its timer exists by then), {@link #settle} gives the dialog the ACK it
 * missed. The stack's own method for it is package-private, so it is reached through a method handle; without it
 * (another stack version) nothing changes and the stack retransmits as before.
 */
public final class EarlyAck {

    private static final @Nullable MethodHandle ACK_RECEIVED = find();

    private EarlyAck() {}

    /**
     * Tells {@code dialog} that the ACK with CSeq number {@code cseq} came, unless it already knows. Call it after
     * the 2xx that the ACK acknowledges has been sent; a no-op for another dialog implementation.
     */
    public static void settle(@Nullable Dialog dialog, long cseq) {
        if (ACK_RECEIVED == null || !(dialog instanceof SIPDialog sipDialog) || sipDialog.isAckSeen()) {
            return;
        }
        try {
            ACK_RECEIVED.invokeExact(sipDialog, cseq);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("SIPDialog.ackReceived failed", e);
        }
    }

    /** Whether the stack's method was found: false means {@link #settle} does nothing. */
    public static boolean available() {
        return ACK_RECEIVED != null;
    }

    private static @Nullable MethodHandle find() {
        try {
            return MethodHandles.privateLookupIn(SIPDialog.class, MethodHandles.lookup())
                    .findVirtual(SIPDialog.class, "ackReceived", MethodType.methodType(void.class, long.class));
        } catch (ReflectiveOperationException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }
}
