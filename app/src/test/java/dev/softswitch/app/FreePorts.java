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
}
