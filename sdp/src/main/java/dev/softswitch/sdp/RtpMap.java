package dev.softswitch.sdp;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One payload type's encoding: an {@code a=rtpmap:<pt> <name>/<clock rate>[/<channels>]} attribute (RFC 8866 6.6), or
 * the static assignment RFC 3551 6 makes when there is none. The clock rate is the RTP clock, not the audio sample rate
 * ({@code G722/8000} carries 16 kHz audio).
 */
public record RtpMap(int payloadType, String encodingName, int clockRate, int channels) {

    /** The highest RTP payload type (RFC 3550 5.1: seven bits). */
    static final int MAX_PAYLOAD_TYPE = 127;

    public RtpMap {
        Objects.requireNonNull(encodingName, "encodingName");
        if (payloadType < 0 || payloadType > MAX_PAYLOAD_TYPE) {
            throw new IllegalArgumentException("payload type " + payloadType + " is out of range 0..127");
        }
        if (encodingName.isEmpty() || clockRate <= 0 || channels <= 0) {
            throw new IllegalArgumentException("an rtpmap has a name, a positive clock rate and channels");
        }
    }

    /** The encoding as an rtpmap writes it, without the payload type: {@code PCMU/8000}, {@code opus/48000/2}. */
    public String encoding() {
        return encoding(encodingName, clockRate, channels);
    }

    /** {@code <name>/<clock rate>[/<channels>]}, channels left out when one (RFC 8866 6.6). */
    static String encoding(String encodingName, int clockRate, int channels) {
        return encodingName + "/" + clockRate + (channels == 1 ? "" : "/" + channels);
    }

    /** The value of the {@code a=rtpmap} attribute for this payload type: {@code 0 PCMU/8000}. */
    String attributeValue() {
        return payloadType + " " + encoding();
    }

    /**
     * Reads an {@code a=rtpmap} value such as {@code 96 opus/48000/2}; empty when it is malformed. Channels default to
     * one (RFC 8866 6.6). The name must be a media subtype name (RFC 6838 4.2), which keeps quotes and control
     * characters of a hostile offer out of anything built from it.
     */
    static Optional<RtpMap> parse(String value) {
        List<String> fields = Tokens.fields(value);
        if (fields.size() != 2) {
            return Optional.empty();
        }
        long payloadType = Tokens.number(fields.get(0));
        List<String> parts = Tokens.split(fields.get(1), '/');
        if (payloadType < 0 || payloadType > MAX_PAYLOAD_TYPE || parts.size() < 2 || parts.size() > 3) {
            return Optional.empty();
        }
        String name = parts.get(0);
        long clockRate = Tokens.number(parts.get(1));
        long channels = parts.size() == 3 ? Tokens.number(parts.get(2)) : 1;
        if (!isSubtypeName(name)
                || clockRate <= 0
                || clockRate > Integer.MAX_VALUE
                || channels <= 0
                || channels > 255) {
            return Optional.empty();
        }
        return Optional.of(new RtpMap((int) payloadType, name, (int) clockRate, (int) channels));
    }

    // RFC 6838 4.2: restricted-name = restricted-name-first *126restricted-name-chars
    private static boolean isSubtypeName(String name) {
        if (name.isEmpty() || name.length() > 127) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alnum && (i == 0 || "!#$&-^_.+".indexOf(c) < 0)) {
                return false;
            }
        }
        return true;
    }
}
