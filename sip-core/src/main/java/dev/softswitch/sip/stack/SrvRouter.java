package dev.softswitch.sip.stack;

import gov.nist.javax.sip.stack.DefaultRouter;
import gov.nist.javax.sip.stack.HopImpl;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.address.SipURI;
import javax.sip.message.Request;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack's router, with DNS SRV (RFC 3263 4.2, RFC 2782): a request sent to a host name without a port (and
 * without a Route) goes where {@code _sip._udp.NAME} (or {@code _sip._tcp}, or {@code _sips._tcp} over TLS) points, by
 * priority and then weight; with no SRV record, to the name's address on 5060 (5061 over TLS) as before. Everything else is routed as the stack's default router does.
 * The lookup runs on the thread that sends the request (a call's own thread, never a stack thread).
 */
public final class SrvRouter extends DefaultRouter {

    private static final Logger log = LoggerFactory.getLogger(SrvRouter.class);

    /** The stack makes its router by reflection with these arguments ({@code javax.sip.ROUTER_PATH}). */
    public SrvRouter(SipStack stack, @Nullable String outboundProxy) {
        super(stack, outboundProxy);
    }

    @Override
    public Hop getNextHop(Request request) throws SipException {
        if (request.getHeader("Route") == null
                && request.getRequestURI() instanceof SipURI uri
                && uri.getPort() == -1
                && uri.getParameter("maddr") == null
                && isName(uri.getHost())) {
            String transport = uri.isSecure()
                    ? "tls"
                    : uri.getTransportParam() == null
                            ? "udp"
                            : uri.getTransportParam().toLowerCase(Locale.ROOT);
            Optional<Target> target = choose(dns(service(transport) + uri.getHost()), ThreadLocalRandom.current());
            if (target.isPresent()) {
                log.debug(
                        "SRV: {} -> {}:{}",
                        uri.getHost(),
                        target.get().host(),
                        target.get().port());
                return new HopImpl(target.get().host(), target.get().port(), transport);
            }
        }
        return super.getNextHop(request);
    }

    /** The SRV service of a transport (RFC 3263 4.1): {@code _sip._udp.}, {@code _sip._tcp.}, {@code _sips._tcp.}. */
    static String service(String transport) {
        return "tls".equals(transport) ? "_sips._tcp." : "_sip._" + transport + ".";
    }

    /** One SRV target. */
    record Target(String host, int port) {}

    /**
     * RFC 2782: the lowest priority wins; among equals, a target is picked at random in proportion to its weight
     * (zero-weight ones only when all are zero). Records that do not parse, and the "no service" target {@code .},
     * are skipped.
     */
    static Optional<Target> choose(List<String> records, RandomGenerator random) {
        int best = Integer.MAX_VALUE;
        List<String[]> candidates = new ArrayList<>();
        for (String record : records) {
            String[] f = record.trim().split("\\s+");
            if (f.length != 4 || f[3].equals(".")) {
                continue;
            }
            int priority;
            try {
                priority = Integer.parseInt(f[0]);
                Integer.parseInt(f[1]);
                int port = Integer.parseInt(f[2]);
                if (port < 1 || port > 65535) {
                    continue;
                }
            } catch (NumberFormatException e) {
                continue;
            }
            if (priority < best) {
                best = priority;
                candidates.clear();
            }
            if (priority == best) {
                candidates.add(f);
            }
        }
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        long total = candidates.stream().mapToLong(f -> Integer.parseInt(f[1])).sum();
        String[] picked = candidates.get(0);
        if (total > 0) {
            long point = random.nextLong(total);
            for (String[] f : candidates) {
                point -= Integer.parseInt(f[1]);
                if (point < 0) {
                    picked = f;
                    break;
                }
            }
        } else {
            picked = candidates.get(random.nextInt(candidates.size()));
        }
        String host = picked[3].endsWith(".") ? picked[3].substring(0, picked[3].length() - 1) : picked[3];
        return Optional.of(new Target(host, Integer.parseInt(picked[2])));
    }

    /** Whether {@code host} is a DNS name (not an IP literal, not a single label such as localhost). */
    static boolean isName(String host) {
        if (host.startsWith("[") || host.indexOf(':') >= 0 || !host.contains(".")) {
            return false;
        }
        return !host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    /** The SRV records of {@code name}, each {@code "priority weight port target"}; empty when there are none. */
    // getAttributes over the DNS provider returns record text only; nothing is looked up as an object or deserialized.
    @SuppressWarnings("BanJNDI")
    private static List<String> dns(String name) {
        Hashtable<String, String> env = new Hashtable<>();
        env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        env.put("com.sun.jndi.dns.timeout.initial", "1000");
        env.put("com.sun.jndi.dns.timeout.retries", "2");
        List<String> out = new ArrayList<>();
        try {
            DirContext context = new InitialDirContext(env);
            try {
                Attributes attributes = context.getAttributes("dns:///" + name, new String[] {"SRV"});
                Attribute srv = attributes.get("SRV");
                if (srv != null) {
                    NamingEnumeration<?> values = srv.getAll();
                    while (values.hasMore()) {
                        out.add(String.valueOf(values.next()));
                    }
                }
            } finally {
                context.close();
            }
        } catch (NamingException e) {
            log.debug("no SRV record for {}: {}", name, e.getMessage());
        }
        return out;
    }
}
