package dev.softswitch.sdp;

import java.util.Objects;

/**
 * A codec we can use, as SDP names it: encoding name, RTP clock rate and channels ({@code PCMU/8000/1}). It matches an
 * offered {@link RtpMap} whatever payload type the offer gives it.
 */
public record FormatSpec(String encodingName, int clockRate, int channels) {

    /** G.711 mu-law (RFC 3551 4.5.14). */
    public static final FormatSpec PCMU = new FormatSpec("PCMU", 8000, 1);

    /** G.711 A-law (RFC 3551 4.5.14). */
    public static final FormatSpec PCMA = new FormatSpec("PCMA", 8000, 1);

    /** G.722, whose RTP clock is 8000 although it samples at 16 kHz (RFC 3551 4.5.2). */
    public static final FormatSpec G722 = new FormatSpec("G722", 8000, 1);

    public FormatSpec {
        Objects.requireNonNull(encodingName, "encodingName");
        if (encodingName.isBlank() || clockRate <= 0 || channels <= 0) {
            throw new IllegalArgumentException("a format has a name, a positive clock rate and channels");
        }
    }

    /** Whether an offered encoding is this codec: the name compared case-insensitively (RFC 4855 3), rate, channels. */
    public boolean matches(RtpMap map) {
        return map.encodingName().equalsIgnoreCase(encodingName)
                && map.clockRate() == clockRate
                && map.channels() == channels;
    }

    /** The encoding as an rtpmap writes it: {@code PCMU/8000}, {@code opus/48000/2}. */
    public String encoding() {
        return RtpMap.encoding(encodingName, clockRate, channels);
    }
}
