package dev.softswitch.sip.guard;

import gov.nist.javax.sip.DialogTimeoutEvent;
import gov.nist.javax.sip.SipListenerExt;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps the SIP listener so that nothing it throws reaches a stack thread. The stack's UDP threads catch
 * {@link Exception} only: an {@link Error} escaping a listener call ends the thread, and with a bounded pool a handful
 * of such requests stop UDP processing altogether. Caught here: every exception and every error but the JVM's own
 * distress ({@link VirtualMachineError} other than {@link StackOverflowError}, which is recoverable), each counted and
 * logged by class and message only, never with the message that caused it.
 */
public final class GuardedListener implements SipListenerExt {

    private static final Logger log = LoggerFactory.getLogger(GuardedListener.class);

    private final SipListenerExt listener;
    private final SipGuard guard;

    public GuardedListener(SipListenerExt listener, SipGuard guard) {
        this.listener = listener;
        this.guard = guard;
    }

    @Override
    public void processRequest(RequestEvent event) {
        guarded("request", () -> listener.processRequest(event));
    }

    @Override
    public void processResponse(ResponseEvent event) {
        guarded("response", () -> listener.processResponse(event));
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        guarded("timeout", () -> listener.processTimeout(event));
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        guarded("I/O exception", () -> listener.processIOException(event));
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        guarded("transaction end", () -> listener.processTransactionTerminated(event));
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        guarded("dialog end", () -> listener.processDialogTerminated(event));
    }

    @Override
    public void processDialogTimeout(DialogTimeoutEvent event) {
        guarded("dialog timeout", () -> listener.processDialogTimeout(event));
    }

    private void guarded(String what, Runnable call) {
        try {
            call.run();
        } catch (VirtualMachineError e) {
            if (!(e instanceof StackOverflowError)) {
                throw e; // out of memory or worse: nothing sensible is left to do on this thread
            }
            failed(what, e);
        } catch (RuntimeException | Error e) {
            failed(what, e);
        }
    }

    private void failed(String what, Throwable e) {
        guard.listenerError();
        StackTraceElement[] trace = e.getStackTrace();
        log.error(
                "SIP {} handling failed, the stack thread carries on: {} at {}",
                what,
                e.getClass().getName(),
                trace.length > 0 ? trace[0] : "?");
    }
}
