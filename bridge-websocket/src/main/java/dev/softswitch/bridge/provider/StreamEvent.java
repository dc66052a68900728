package dev.softswitch.bridge.provider;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** What a provider's media stream says, decoded: the same few events whatever the provider's words for them. */
public sealed interface StreamEvent
        permits StreamEvent.Started, StreamEvent.Audio, StreamEvent.Dtmf, StreamEvent.MarkPlayed, StreamEvent.Stopped {

    /**
     * The stream has started: which call it carries and how its audio is encoded.
     *
     * @param streamId the provider's id for the stream (Twilio's stream SID, Plivo's stream id, ...)
     * @param providerCallId the provider's id for the call ({@code callSid}, {@code call_control_id}, ...), or ""
     * @param token the single-use token that claims the call's context, or null when the stream carries none
     * @param parameters the custom parameters the stream carries, name to value
     * @param codec the SDP name of the audio on the wire: {@code PCMU} or {@code L16}
     * @param sampleRate the audio's rate in Hz
     */
    record Started(
            String streamId,
            String providerCallId,
            @Nullable String token,
            Map<String, String> parameters,
            String codec,
            int sampleRate)
            implements StreamEvent {
        public Started {
            Objects.requireNonNull(streamId, "streamId");
            Objects.requireNonNull(providerCallId, "providerCallId");
            parameters = Map.copyOf(parameters);
        }
    }

    /** Caller audio: PCM at the stream's rate, any whole number of samples. The receiver may keep the array. */
    final class Audio implements StreamEvent {
        private final short[] samples;

        public Audio(short[] samples) {
            this.samples = samples;
        }

        public short[] samples() {
            return samples;
        }
    }

    /** The caller pressed a key. */
    record Dtmf(char digit, int durationMs) implements StreamEvent {}

    /** The provider played everything before the mark of this name (Twilio's echoed mark, Plivo's playedStream). */
    record MarkPlayed(String name) implements StreamEvent {}

    /** The stream has ended (the caller hung up, or the provider stopped it). */
    record Stopped(String reason) implements StreamEvent {}
}
