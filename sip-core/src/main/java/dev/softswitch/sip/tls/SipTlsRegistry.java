package dev.softswitch.sip.tls;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The TLS settings of the running stacks, by stack name. The stack makes its network layer itself, from a class name
 * with no arguments ({@code gov.nist.javax.sip.NETWORK_LAYER}); {@link TlsNetworkLayer} finds its server's settings
 * here by the stack's name.
 */
public final class SipTlsRegistry {

    private static final Map<String, SipTls> SETTINGS = new ConcurrentHashMap<>();

    private SipTlsRegistry() {}

    /** Registers {@code tls} for the stack named {@code stackName}: before the stack is created. */
    public static void register(String stackName, SipTls tls) {
        SETTINGS.put(stackName, tls);
    }

    /** Forgets the settings of {@code stackName}, when its stack has stopped. */
    public static void unregister(String stackName, SipTls tls) {
        SETTINGS.remove(stackName, tls);
    }

    static @Nullable SipTls forStack(String stackName) {
        return SETTINGS.get(stackName);
    }
}
