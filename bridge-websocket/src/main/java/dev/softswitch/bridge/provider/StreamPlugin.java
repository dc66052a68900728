package dev.softswitch.bridge.provider;

import java.util.Optional;

/** What a media session needs from its provider: its name, how far ahead to send, and how a stream finds its call. */
public interface StreamPlugin {

    /** The provider's name in paths, config and logs, e.g. {@code twilio}. */
    String name();

    /**
     * How many 20 ms frames we keep sent ahead of real time. Providers that buffer (the WebSocket ones) get a few, so
     * that network jitter does not starve their playout; one that writes what it gets at once (AudioSocket) gets 1.
     */
    default int leadFrames() {
        return 3;
    }

    /** The call a started stream carries: by default, the one its token claims. */
    default Optional<ClaimedCall> claim(StreamEvent.Started started, CallTokens tokens) {
        return tokens.claim(started.token());
    }
}
