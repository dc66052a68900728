package dev.softswitch.rtp.pool;

import java.util.OptionalInt;

/**
 * Hands out RTP port pairs: an even RTP port whose RTCP port (+1) is in the range too. A leased port is never leased
 * again until released.
 */
public interface PortPool {

    /** Leases an even RTP port, or empty when every pair is leased. */
    OptionalInt lease();

    /** Returns a leased port; releasing a port that is not leased is an error. */
    void release(int rtpPort);

    /** Pairs currently leased. */
    int leased();

    /** Pairs in the pool, leased or not. */
    int capacity();

    /** Free pairs that may not be leased yet: released too recently (their calls' late packets may still come). */
    default int quarantined() {
        return 0;
    }
}
