package dev.softswitch.sdp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Refuses offers whose audio we must not or cannot send: a connection address that is multicast or broadcast, or
 * this host's loopback named by a caller on another host (either would turn our RTP against someone else, or reflect
 * it onto ourselves), a port below 1024 (a well-known service, not RTP: our first packets go there before the caller's
 * arrive), and a packet time outside 10-120 ms. Hold ({@code c=0.0.0.0}) and disabled streams (port 0) are fine. A
 * host name in {@code c=} is left to the caller of this class to resolve; only address literals are judged here.
 */
public final class OfferSafety {

    /** Ports below this are well-known services: no RTP is sent there. */
    public static final int MIN_MEDIA_PORT = 1024;

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private OfferSafety() {}

    /**
     * Why the offer's audio streams are unsafe or absurd, or empty when they are fine.
     *
     * @param fromLoopback whether the offer came from this host (then a loopback media address is expected)
     */
    public static Optional<String> check(SessionDescription offer, boolean fromLoopback) {
        for (MediaDescription m : offer.media()) {
            if (!m.media().equalsIgnoreCase("audio") || m.port() == 0) {
                continue;
            }
            if (m.port() < MIN_MEDIA_PORT) {
                return Optional.of(
                        "audio port " + m.port() + " is below " + MIN_MEDIA_PORT + ": a well-known service, not RTP");
            }
            OptionalInt ptime = m.ptime();
            if (ptime.isPresent()
                    && (ptime.getAsInt() < OfferAnswer.MIN_PTIME_MS || ptime.getAsInt() > OfferAnswer.MAX_PTIME_MS)) {
                return Optional.of("ptime " + ptime.getAsInt() + " ms is outside " + OfferAnswer.MIN_PTIME_MS + "-"
                        + OfferAnswer.MAX_PTIME_MS + " ms");
            }
            Optional<Connection> connection = offer.effectiveConnection(m);
            if (connection.isPresent()) {
                Optional<String> unsafe = unsafeAddress(connection.get().host(), fromLoopback);
                if (unsafe.isPresent()) {
                    return unsafe;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> unsafeAddress(String host, boolean fromLoopback) {
        InetAddress address = literal(host);
        if (address == null) {
            return Optional.empty();
        }
        String shown = Tokens.printable(host, 64);
        if (address.isMulticastAddress()) {
            return Optional.of("multicast connection address " + shown + ": a call's media is unicast");
        }
        if (host.equals("255.255.255.255")) {
            return Optional.of("broadcast connection address " + shown);
        }
        if (address.isLoopbackAddress() && !fromLoopback) {
            return Optional.of("loopback connection address " + shown + " from a caller on another host");
        }
        return Optional.empty();
    }

    /** The address an IP literal names, or null for a host name (never looked up here) or a malformed literal. */
    private static @Nullable InetAddress literal(String host) {
        if (!IPV4.matcher(host).matches() && host.indexOf(':') < 0) {
            return null;
        }
        try {
            return InetAddress.getByName(host); // a literal: parsed, not looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
