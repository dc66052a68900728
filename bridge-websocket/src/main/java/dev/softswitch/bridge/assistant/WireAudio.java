package dev.softswitch.bridge.assistant;

import dev.softswitch.codecs.G711;
import dev.softswitch.codecs.Pcm;
import java.util.Base64;

/**
 * Audio as the JSON dialects carry it, both ways: base64 of mu-law (Twilio, Plivo, Telnyx) or of 16-bit little-endian
 * PCM (Exotel, Plivo's L16). Shared by the bot dialects (where we play the provider) and the provider streams (where
 * we answer one).
 */
public final class WireAudio {

    private WireAudio() {}

    /** PCM as base64 mu-law. */
    public static String ulawBase64(short[] pcm) {
        byte[] ulaw = new byte[pcm.length];
        G711.encodeUlaw(pcm, 0, ulaw, 0, pcm.length);
        return Base64.getEncoder().encodeToString(ulaw);
    }

    /** Base64 mu-law as PCM, or a protocol error (1007) naming {@code field}. */
    public static short[] fromUlawBase64(String payload, String field) throws BotProtocolException {
        byte[] ulaw = Json.base64(payload, field);
        short[] pcm = new short[ulaw.length];
        G711.decodeUlaw(ulaw, 0, pcm, 0, ulaw.length);
        return pcm;
    }

    /** PCM as base64 16-bit little-endian. */
    public static String l16Base64(short[] pcm) {
        return Base64.getEncoder().encodeToString(Pcm.toLittleEndian(pcm));
    }

    /** Base64 16-bit little-endian PCM, or a protocol error (1007) naming {@code field} (also for an odd length). */
    public static short[] fromL16Base64(String payload, String field) throws BotProtocolException {
        byte[] bytes = Json.base64(payload, field);
        if (bytes.length % 2 != 0) {
            throw BotProtocolException.malformed(field + " holds " + bytes.length + " bytes: 16-bit audio is even");
        }
        return Pcm.fromLittleEndian(bytes, 0, bytes.length);
    }
}
