package dev.softswitch.sdp;

import java.util.Optional;

/**
 * The static RTP payload types of RFC 3551 6 (tables 4 and 5), used when an offer lists one without an rtpmap, and to
 * offer a codec under its static type.
 */
final class StaticPayloadTypes {

    /** The highest static payload type assigned (34, H263); 35..95 are unassigned, 96..127 dynamic. */
    private static final int MAX_ASSIGNED = 34;

    private StaticPayloadTypes() {}

    /** The static assignment of a codec, such as {@code 9 G722/8000} for G.722; empty when it has none. */
    static Optional<RtpMap> find(FormatSpec codec) {
        for (int payloadType = 0; payloadType <= MAX_ASSIGNED; payloadType++) {
            Optional<RtpMap> map = lookup(payloadType);
            if (map.isPresent() && codec.matches(map.get())) {
                return map;
            }
        }
        return Optional.empty();
    }

    static Optional<RtpMap> lookup(int payloadType) {
        RtpMap map =
                switch (payloadType) {
                    case 0 -> new RtpMap(0, "PCMU", 8000, 1);
                    case 3 -> new RtpMap(3, "GSM", 8000, 1);
                    case 4 -> new RtpMap(4, "G723", 8000, 1);
                    case 5 -> new RtpMap(5, "DVI4", 8000, 1);
                    case 6 -> new RtpMap(6, "DVI4", 16000, 1);
                    case 7 -> new RtpMap(7, "LPC", 8000, 1);
                    case 8 -> new RtpMap(8, "PCMA", 8000, 1);
                    case 9 -> new RtpMap(9, "G722", 8000, 1); // RFC 3551 4.5.2: 8000 although sampled at 16 kHz
                    case 10 -> new RtpMap(10, "L16", 44100, 2);
                    case 11 -> new RtpMap(11, "L16", 44100, 1);
                    case 12 -> new RtpMap(12, "QCELP", 8000, 1);
                    case 13 -> new RtpMap(13, "CN", 8000, 1);
                    case 14 -> new RtpMap(14, "MPA", 90000, 1);
                    case 15 -> new RtpMap(15, "G728", 8000, 1);
                    case 16 -> new RtpMap(16, "DVI4", 11025, 1);
                    case 17 -> new RtpMap(17, "DVI4", 22050, 1);
                    case 18 -> new RtpMap(18, "G729", 8000, 1);
                    case 25 -> new RtpMap(25, "CelB", 90000, 1);
                    case 26 -> new RtpMap(26, "JPEG", 90000, 1);
                    case 28 -> new RtpMap(28, "nv", 90000, 1);
                    case 31 -> new RtpMap(31, "H261", 90000, 1);
                    case 32 -> new RtpMap(32, "MPV", 90000, 1);
                    case 33 -> new RtpMap(33, "MP2T", 90000, 1);
                    case 34 -> new RtpMap(34, "H263", 90000, 1);
                    default -> null;
                };
        return Optional.ofNullable(map);
    }
}
