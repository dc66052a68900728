package dev.softswitch.sip.stack;

/**
 * What the JAIN-SIP stack holds at one moment. Once every call has ended and the stack's own timers have run (a
 * non-INVITE server transaction lingers 64*T1 = 32 s over UDP, RFC 3261 17.2.2: Timer J), all three are 0; anything
 * that stays is a leak.
 *
 * @param dialogs dialogs in the stack's tables, early and confirmed
 * @param serverTransactions server transactions in its table
 * @param clientTransactions client transactions in its table
 */
public record StackCensus(int dialogs, int serverTransactions, int clientTransactions) {

    /** A stack not started: holds nothing. */
    public static final StackCensus EMPTY = new StackCensus(0, 0, 0);
}
