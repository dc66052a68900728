package dev.softswitch.bridge.assistant.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softswitch.bridge.assistant.BotProtocolException;
import dev.softswitch.bridge.assistant.Json;
import dev.softswitch.codecs.G711;
import dev.softswitch.codecs.Pcm;

/**
 * The three GA audio formats of the Realtime API (shared/reference/providers.md 7.1), as {@code session.update} names
 * them and as their bytes go in {@code input_audio_buffer.append} and come in {@code response.output_audio.delta}.
 */
enum RealtimeFormat {
    /** G.711 mu-law at 8 kHz, one byte a sample. */
    PCMU("audio/pcmu"),
    /** G.711 A-law at 8 kHz, one byte a sample. */
    PCMA("audio/pcma"),
    /** 16-bit little-endian mono PCM at 24 kHz, the only rate GA {@code audio/pcm} has. */
    PCM24("audio/pcm");

    /** The format's {@code type} in {@code session.update}. */
    final String type;

    RealtimeFormat(String type) {
        this.type = type;
    }

    /** The format as {@code session.update} writes it under {@code audio.input} and {@code audio.output}. */
    ObjectNode json() {
        ObjectNode format = Json.object().put("type", type);
        return this == PCM24 ? format.put("rate", 24000) : format;
    }

    /** PCM at the format's rate into the format's bytes. */
    byte[] encode(short[] pcm) {
        return switch (this) {
            case PCMU -> {
                byte[] out = new byte[pcm.length];
                G711.encodeUlaw(pcm, 0, out, 0, pcm.length);
                yield out;
            }
            case PCMA -> {
                byte[] out = new byte[pcm.length];
                G711.encodeAlaw(pcm, 0, out, 0, pcm.length);
                yield out;
            }
            case PCM24 -> Pcm.toLittleEndian(pcm);
        };
    }

    /** The format's bytes back to PCM, or a protocol error (1007) when they cannot be. */
    short[] decode(byte[] data) throws BotProtocolException {
        if (this == PCM24) {
            if (data.length % 2 != 0) {
                throw BotProtocolException.malformed(
                        "audio/pcm is 16-bit samples: a delta of " + data.length + " bytes is not");
            }
            return Pcm.fromLittleEndian(data, 0, data.length);
        }
        short[] out = new short[data.length];
        if (this == PCMU) {
            G711.decodeUlaw(data, 0, out, 0, data.length);
        } else {
            G711.decodeAlaw(data, 0, out, 0, data.length);
        }
        return out;
    }
}
