package dev.softswitch.sip.guard;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The guards of the running stacks, by stack name. The stack builds its parser factory and valve itself, from class
 * names with no arguments ({@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY}, {@code SIP_MESSAGE_VALVE}); they find
 * their server's guard here by the stack's name. A stack with none registered gets the defaults.
 */
public final class SipGuards {

    private static final Map<String, SipGuard> GUARDS = new ConcurrentHashMap<>();
    private static final SipGuard DEFAULT = SipGuard.defaults();

    private SipGuards() {}

    /** Registers {@code guard} for the stack named {@code stackName}: before the stack is created. */
    public static void register(String stackName, SipGuard guard) {
        GUARDS.put(stackName, guard);
    }

    /** Forgets the guard of {@code stackName}, when its stack has stopped. */
    public static void unregister(String stackName, SipGuard guard) {
        GUARDS.remove(stackName, guard);
    }

    static SipGuard forStack(String stackName) {
        return GUARDS.getOrDefault(stackName, DEFAULT);
    }
}
