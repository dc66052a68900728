package dev.softswitch.assistant;

import java.util.Map;
import java.util.Objects;

/**
 * What an assistant is told about its call.
 *
 * @param callId the softswitch's id for the call (also on every log line of the call)
 * @param from the caller, as the signalling named it (a SIP URI or a number)
 * @param to the called party, as the signalling named it
 * @param assistantId which assistant deployment answers
 * @param codec the codec on the call's side, e.g. {@code PCMU}
 * @param sampleRate the rate of the PCM frames the assistant reads and writes, in Hz
 * @param direction {@code inbound} (someone called us) or {@code outbound} (we placed the call)
 * @param variables what whoever placed or routed the call wants the assistant to know (name to value)
 */
public record CallFacts(
        String callId,
        String from,
        String to,
        String assistantId,
        String codec,
        int sampleRate,
        String direction,
        Map<String, String> variables) {
    public CallFacts {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(assistantId, "assistantId");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(direction, "direction");
        variables = Map.copyOf(variables);
        if (sampleRate != 8000 && sampleRate != 16000 && sampleRate != 24000 && sampleRate != 48000) {
            throw new IllegalArgumentException("sampleRate must be 8000, 16000, 24000 or 48000, not " + sampleRate);
        }
    }

    /** An inbound call with no variables. */
    public CallFacts(String callId, String from, String to, String assistantId, String codec, int sampleRate) {
        this(callId, from, to, assistantId, codec, sampleRate, "inbound", Map.of());
    }

    /** The audio rate of the call's codec on the wire side: 16 kHz for G.722, 8 kHz for G.711. */
    public int codecRate() {
        return switch (codec) {
            case "G722" -> 16000;
            case "PCMU", "PCMA" -> 8000;
            default -> sampleRate;
        };
    }

    /** Samples in one 20 ms frame at this call's rate. */
    public int frameSamples() {
        return sampleRate / 50;
    }
}
