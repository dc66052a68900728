package dev.softswitch.bridge.provider;

/**
 * The 20 ms clock that paces audio toward providers: one shared timer for every call, not a task per call. The
 * softswitch runs it on the RTP pacer ({@code rtp-engine}'s {@code Pacer}), so provider calls and SIP calls share one
 * clock with measured lateness; {@link ScheduledTicker} is a stand-alone one.
 */
@FunctionalInterface
public interface Ticker {

    /** What {@link #every20ms} returns: closing it stops the ticks. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** Runs {@code tick} every 20 ms until the registration is closed. {@code tick} must be quick and never block. */
    Registration every20ms(Runnable tick);
}
