package dev.softswitch.sip.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gov.nist.javax.sip.DialogTimeoutEvent;
import gov.nist.javax.sip.SipListenerExt;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import org.junit.jupiter.api.Test;

/** Errors thrown by the listener stay off the stack's threads; only the JVM's own distress passes. */
class GuardedListenerTest {

    /** A listener that throws {@code error} from every callback. */
    private static SipListenerExt throwing(java.util.function.Supplier<Throwable> error) {
        return new SipListenerExt() {
            private void fail() {
                Throwable t = error.get();
                if (t instanceof RuntimeException r) {
                    throw r;
                }
                throw (Error) t;
            }

            @Override
            public void processDialogTimeout(DialogTimeoutEvent e) {
                fail();
            }

            @Override
            public void processRequest(RequestEvent e) {
                fail();
            }

            @Override
            public void processResponse(ResponseEvent e) {
                fail();
            }

            @Override
            public void processTimeout(TimeoutEvent e) {
                fail();
            }

            @Override
            public void processIOException(IOExceptionEvent e) {
                fail();
            }

            @Override
            public void processTransactionTerminated(TransactionTerminatedEvent e) {
                fail();
            }

            @Override
            public void processDialogTerminated(DialogTerminatedEvent e) {
                fail();
            }
        };
    }

    @Test
    void stackOverflowsAssertionsAndExceptionsAreCaughtAndCounted() {
        SipGuard guard = SipGuard.defaults();
        for (java.util.function.Supplier<Throwable> error : java.util.List.<java.util.function.Supplier<Throwable>>of(
                StackOverflowError::new,
                () -> new AssertionError("x"),
                () -> new NoClassDefFoundError("y"),
                () -> new IllegalStateException("z"))) {
            GuardedListener listener = new GuardedListener(throwing(error), guard);
            listener.processRequest(null);
            listener.processResponse(null);
            listener.processTimeout(null);
            listener.processIOException(null);
            listener.processTransactionTerminated(null);
            listener.processDialogTerminated(null);
            listener.processDialogTimeout(null);
        }
        assertThat(guard.stats().listenerErrors()).isEqualTo(28);
    }

    @Test
    void outOfMemoryIsNotSwallowed() {
        SipGuard guard = SipGuard.defaults();
        GuardedListener listener = new GuardedListener(throwing(() -> new OutOfMemoryError("test")), guard);
        assertThatThrownBy(() -> listener.processRequest(null)).isInstanceOf(OutOfMemoryError.class);
        assertThat(guard.stats().listenerErrors()).isZero();
    }
}
