package dev.softswitch.bridge.provider.audiosocket;

import dev.softswitch.bridge.assistant.BotProtocolException;
import dev.softswitch.bridge.provider.StreamCodec;
import dev.softswitch.bridge.provider.StreamEvent;
import dev.softswitch.codecs.Pcm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One AudioSocket connection's frames. The stream starts with the first audio frame after the UUID, because its kind
 * is what says the rate: any of 0x10 to 0x18 (8, 12, 16, 24, 32, 44.1, 48, 96 or 192 kHz; the session resamples
 * between it and the assistant's rate). Our audio goes back as the same kind, one 20 ms frame per message (882
 * samples at 44.1 kHz). There are no marks and no clear: Asterisk plays what it gets at once, so stopping is clearing.
 * We never send Asterisk a kind it does not take (only audio and 0x00), since anything else tears its call down.
 */
public final class AudioSocketCodec implements StreamCodec {

    private @Nullable UUID uuid;
    private int audioKind = -1;

    /** The call's UUID, once it has come. */
    public @Nullable UUID uuid() {
        return uuid;
    }

    @Override
    public List<StreamEvent> onText(String text) throws BotProtocolException {
        throw BotProtocolException.violation("AudioSocket has no text frames");
    }

    @Override
    public List<StreamEvent> onBinary(byte[] frame) throws BotProtocolException {
        int kind = AudioSocketFrames.kind(frame);
        byte[] payload = AudioSocketFrames.payload(frame);
        if (kind == AudioSocketFrames.UUID_KIND) {
            if (uuid != null) {
                throw BotProtocolException.violation("a second UUID on one connection");
            }
            uuid = AudioSocketFrames.uuid(payload);
            return List.of();
        }
        if (kind == AudioSocketFrames.HANGUP) {
            return List.of(new StreamEvent.Stopped("hangup"));
        }
        if (kind == AudioSocketFrames.ERROR) {
            return List.of(new StreamEvent.Stopped(AudioSocketFrames.describeError(payload)));
        }
        UUID id = uuid;
        if (id == null) {
            throw BotProtocolException.violation(
                    "the UUID (kind 0x01) must come first, not kind 0x" + Integer.toHexString(kind));
        }
        if (kind == AudioSocketFrames.DTMF) {
            if (payload.length != 1 || "0123456789*#ABCD".indexOf((char) payload[0]) < 0) {
                throw BotProtocolException.malformed("a DTMF frame carries one of 0-9 * # A-D");
            }
            return List.of(new StreamEvent.Dtmf((char) payload[0], 0));
        }
        if (!AudioSocketFrames.isAudio(kind)) {
            return List.of(); // not a kind Asterisk sends: nothing to do with it
        }
        if (payload.length == 0 || payload.length % 2 != 0) {
            throw BotProtocolException.malformed("audio of " + payload.length + " bytes: 16-bit samples, at least one");
        }
        List<StreamEvent> events = new ArrayList<>(2);
        if (audioKind < 0) {
            audioKind = kind;
            events.add(new StreamEvent.Started(
                    id.toString(), id.toString(), id.toString(), Map.of(), "L16", AudioSocketFrames.rateOf(kind)));
        } else if (kind != audioKind) {
            throw BotProtocolException.violation("the audio kind changed from 0x" + Integer.toHexString(audioKind)
                    + " to 0x" + Integer.toHexString(kind));
        }
        events.add(new StreamEvent.Audio(Pcm.fromLittleEndian(payload, 0, payload.length)));
        return events;
    }

    @Override
    public List<Object> media(short[] frame) {
        return List.of(AudioSocketFrames.frame(audioKind, Pcm.toLittleEndian(frame)));
    }

    @Override
    public @Nullable Object mark(String name) {
        return null;
    }

    @Override
    public @Nullable Object clear() {
        return null;
    }

    @Override
    public @Nullable Object hangup() {
        return AudioSocketFrames.frame(AudioSocketFrames.HANGUP, new byte[0]);
    }
}
