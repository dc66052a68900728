package dev.softswitch.sip.stack;

import dev.softswitch.sip.guard.GuardValve;
import dev.softswitch.sip.guard.GuardedMessageParserFactory;
import dev.softswitch.sip.tls.SipTls;
import dev.softswitch.sip.tls.TlsNetworkLayer;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * The JAIN-SIP stack's settings, each set on purpose: several of the stack's defaults are unsafe on a public address
 * (a new thread per datagram, no TCP read timeout, unbounded TCP messages, TLS renegotiation on). See
 * {@code shared/reference/sip-hardening.md} for what each does.
 */
public final class StackProperties {

    /** Stack threads: they only parse, route and answer; slow work goes to the calls' own executors. */
    public static final int DEFAULT_THREADS = 8;

    private StackProperties() {}

    public static Properties of(String stackName, int threads) {
        return of(stackName, threads, null);
    }

    /**
     * The properties of a stack that also speaks SIP over TLS with {@code tls} (null: UDP and TCP only). The TLS
     * sockets come from {@link TlsNetworkLayer}, which finds {@code tls} by the stack's name (register it in {@link
     * dev.softswitch.sip.tls.SipTlsRegistry} first); the JVM-wide {@code javax.net.ssl.*} properties are not used.
     */
    public static Properties of(String stackName, int threads, @Nullable SipTls tls) {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", stackName);
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "on");
        // Requests to a host name without a port follow its DNS SRV records (RFC 3263); the rest routes as before.
        p.setProperty("javax.sip.ROUTER_PATH", SrvRouter.class.getName());
        p.setProperty("javax.sip.USE_ROUTER_FOR_ALL_URIS", "true");
        // Logging through SLF4J; message logging off (messages carry credentials).
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", NoMessageLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
        // Bounded threads; the default is one new thread per datagram.
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", Integer.toString(threads));
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        p.setProperty("gov.nist.javax.sip.CONGESTION_CONTROL_TIMEOUT", "8000");
        // TCP: cap message size and idle reads so a slow or huge sender cannot starve the stack.
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", Integer.toString(64 * 1024));
        p.setProperty("gov.nist.javax.sip.READ_TIMEOUT", "5000");
        p.setProperty("gov.nist.javax.sip.MAX_CONNECTIONS", "1024");
        p.setProperty("gov.nist.javax.sip.NIO_MAX_SOCKET_IDLE_TIME", "300000");
        p.setProperty("gov.nist.javax.sip.SSL_RENEGOTIATION_ENABLED", "false");
        // Transactions: bounded, and never immortal.
        p.setProperty("gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS", "10000");
        p.setProperty("gov.nist.javax.sip.MAX_CLIENT_TRANSACTIONS", "10000");
        p.setProperty("gov.nist.javax.sip.MAX_TX_LIFETIME_INVITE", "300");
        p.setProperty("gov.nist.javax.sip.MAX_TX_LIFETIME_NON_INVITE", "60");
        p.setProperty("gov.nist.javax.sip.MAX_LISTENER_RESPONSE_TIME", "30");
        p.setProperty("gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE", Integer.toString(1024 * 1024));
        p.setProperty("gov.nist.javax.sip.SEND_UDP_BUFFER_SIZE", Integer.toString(1024 * 1024));
        p.setProperty("gov.nist.javax.sip.REJECT_STRAY_RESPONSES", "true");
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        p.setProperty("gov.nist.javax.sip.AGGRESSIVE_CLEANUP", "true");
        // Dialog timers at their RFC values, written down: early dialogs reaped after 3 min, no ACK after 64*T1.
        p.setProperty("gov.nist.javax.sip.EARLY_DIALOG_TIMEOUT_SECONDS", "180");
        p.setProperty("gov.nist.javax.sip.DIALOG_TIMEOUT_FACTOR", "64");
        p.setProperty("gov.nist.javax.sip.AUTOMATIC_DIALOG_ERROR_HANDLING", "true");
        // TLS: 1.3 and 1.2 only, forward-secret AEAD suites (the stack's defaults are TLS 1.0-1.2 with CBC, 3DES and
        // anonymous suites), no client certificate unless asked for, a deadline on handshakes.
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", String.join(",", SipTls.PROTOCOLS));
        p.setProperty("gov.nist.javax.sip.SSL_HANDSHAKE_TIMEOUT", "10000");
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Disabled");
        if (tls != null) {
            p.setProperty("gov.nist.javax.sip.NETWORK_LAYER", TlsNetworkLayer.class.getName());
            p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", String.join(",", tls.cipherSuites()));
            p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", tls.stackClientAuthType());
            p.setProperty(
                    "gov.nist.javax.sip.SSL_HANDSHAKE_TIMEOUT",
                    Long.toString(tls.handshakeTimeout().toMillis()));
        }
        // Hostile input (package dev.softswitch.sip.guard): a strict check before the stack's parser, a valve that
        // answers or drops before any transaction exists; answers go to the packet's source port (force rport).
        p.setProperty("gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", GuardedMessageParserFactory.class.getName());
        p.setProperty("gov.nist.javax.sip.SIP_MESSAGE_VALVE", GuardValve.class.getName());
        p.setProperty("gov.nist.javax.sip.ALWAYS_ADD_RPORT", "true");
        return p;
    }
}
