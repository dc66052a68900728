package dev.softswitch.bridge.provider.audiosocket;

import dev.softswitch.bridge.assistant.BotProtocolException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The AudioSocket frame: {@code kind (1 byte) | length (2 bytes, big-endian) | payload}, and what each kind carries.
 * Pure: bytes in, values out.
 */
public final class AudioSocketFrames {

    public static final int HANGUP = 0x00;
    public static final int UUID_KIND = 0x01;
    public static final int DTMF = 0x03;
    public static final int SLIN = 0x10;
    public static final int ERROR = 0xff;

    /** The rate of each audio kind, 0x10 to 0x18 (0 outside). */
    private static final int[] RATES = {8000, 12000, 16000, 24000, 32000, 44100, 48000, 96000, 192000};

    private AudioSocketFrames() {}

    /** A frame of {@code kind} carrying {@code payload}. */
    public static byte[] frame(int kind, byte[] payload) {
        if (payload.length > 0xffff) {
            throw new IllegalArgumentException("an AudioSocket payload is at most 65535 bytes, not " + payload.length);
        }
        return ByteBuffer.allocate(3 + payload.length)
                .put((byte) kind)
                .putShort((short) payload.length)
                .put(payload)
                .array();
    }

    /** The kind of a whole frame. */
    public static int kind(byte[] frame) throws BotProtocolException {
        check(frame);
        return frame[0] & 0xff;
    }

    /** The payload of a whole frame, checked against its length field. */
    public static byte[] payload(byte[] frame) throws BotProtocolException {
        check(frame);
        byte[] payload = new byte[frame.length - 3];
        System.arraycopy(frame, 3, payload, 0, payload.length);
        return payload;
    }

    /** Whether {@code kind} carries audio (0x10 to 0x18). */
    public static boolean isAudio(int kind) {
        return kind >= SLIN && kind < SLIN + RATES.length;
    }

    /** The sample rate of an audio kind. */
    public static int rateOf(int audioKind) {
        return RATES[audioKind - SLIN];
    }

    /** The audio kind of a rate, or -1 when AudioSocket has none. */
    public static int kindOf(int rate) {
        for (int i = 0; i < RATES.length; i++) {
            if (RATES[i] == rate) {
                return SLIN + i;
            }
        }
        return -1;
    }

    /** The UUID of a 0x01 payload: 16 bytes, binary. */
    public static UUID uuid(byte[] payload) throws BotProtocolException {
        if (payload.length != 16) {
            throw BotProtocolException.malformed("a UUID frame carries 16 bytes, not " + payload.length);
        }
        ByteBuffer b = ByteBuffer.wrap(payload);
        return new UUID(b.getLong(), b.getLong());
    }

    /** The 0x01 payload of a UUID. */
    public static byte[] uuidBytes(UUID uuid) {
        return ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits())
                .array();
    }

    /** Describes an 0xff payload for a log line. */
    public static String describeError(byte @Nullable [] payload) {
        if (payload == null || payload.length == 0) {
            return "error";
        }
        return switch (payload[0]) {
            case 0x01 -> "error: calling party hangup";
            case 0x02 -> "error: frame forwarding";
            case 0x04 -> "error: memory";
            default -> "error 0x" + HexFormat.of().formatHex(payload);
        };
    }

    private static void check(byte[] frame) throws BotProtocolException {
        if (frame.length < 3) {
            throw BotProtocolException.malformed("an AudioSocket frame has a 3-byte header, got " + frame.length);
        }
        int length = ((frame[1] & 0xff) << 8) | (frame[2] & 0xff);
        if (length != frame.length - 3) {
            throw BotProtocolException.malformed(
                    "the frame says " + length + " bytes of payload but carries " + (frame.length - 3));
        }
    }
}
