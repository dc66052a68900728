package dev.softswitch.bridge.provider.audiosocket;

import dev.softswitch.bridge.provider.CallTokens;
import dev.softswitch.bridge.provider.ClaimedCall;
import dev.softswitch.bridge.provider.StreamEvent;
import dev.softswitch.bridge.provider.StreamPlugin;
import dev.softswitch.config.ProviderConfig;
import java.util.Map;
import java.util.Optional;

/**
 * AudioSocket's side of a session: audio at real time (Asterisk has no playout buffer: a frame written is a frame
 * played), and the call found by its UUID: a context stored under it, else the UUID's route, else {@code default}.
 */
public final class AudioSocketPlugin implements StreamPlugin {

    private final ProviderConfig config;

    public AudioSocketPlugin(ProviderConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "audiosocket";
    }

    @Override
    public int leadFrames() {
        return 1;
    }

    @Override
    public Optional<ClaimedCall> claim(StreamEvent.Started started, CallTokens tokens) {
        Optional<ClaimedCall> stored = tokens.claim(started.token());
        if (stored.isPresent()) {
            return stored;
        }
        String uuid = started.streamId();
        return config.route(uuid)
                .map(assistant -> new ClaimedCall(
                        tokens.newCallId(),
                        assistant,
                        "asterisk",
                        uuid,
                        "inbound",
                        Map.of("provider", name(), "uuid", uuid)));
    }
}
