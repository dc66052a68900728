package dev.softswitch.app;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Ports on 127.0.0.1 that are free right now, for servers and peers started by tests. */
final class FreePorts {

    private FreePorts() {}

    /** A port free for both UDP and TCP (SIP listens on both). */
    static int udpAndTcp() {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket tcp = new ServerSocket()) {
                tcp.setReuseAddress(false);
                tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                int port = tcp.getLocalPort();
                try (DatagramSocket udp =
                        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            } catch (IOException e) {
                throw new IllegalStateException("no free TCP port on 127.0.0.1", e);
            }
        }
        throw new IllegalStateException("no port free for both UDP and TCP on 127.0.0.1");
    }

    /**
     * The first port of a 400-port RTP range, picked at random between 20000 and 31600 so that test servers differ.
     * The ranges stay below Linux's ephemeral ports (32768 and up), where {@link #udpAndTcp()} and the peers' own
     * sockets land: a SIP port inside the RTP range is a configuration error.
     */
    static int rtpRangeStart() {
        return 20000 + 400 * ThreadLocalRandom.current().nextInt(30);
    }

    /**
     * An even UDP port on 127.0.0.1 that is free right now with the three above it (SIPp's {@code -mp} takes the port,
     * and the ones above for RTCP and video), in the ephemeral range where no test's RTP range lies.
     */
    static int mediaPorts() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port;
            try (DatagramSocket probe =
                    new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                port = probe.getLocalPort() & ~1;
            } catch (IOException e) {
                throw new IllegalStateException("no free UDP port on 127.0.0.1", e);
            }
            if (port + 3 <= 65535 && allFree(port, 4)) {
                return port;
            }
        }
        throw new IllegalStateException("no four free UDP ports in a row on 127.0.0.1");
    }

    private static boolean allFree(int first, int count) {
        java.util.List<DatagramSocket> held = new java.util.ArrayList<>();
        try {
            for (int p = first; p < first + count; p++) {
                held.add(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), p)));
            }
            return true;
        } catch (IOException taken) {
            return false;
        } finally {
            held.forEach(DatagramSocket::close);
        }
    }
}
