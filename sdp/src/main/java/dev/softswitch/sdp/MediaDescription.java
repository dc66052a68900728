package dev.softswitch.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A media description: an {@code m=} line and the {@code c=} and {@code a=} lines under it (RFC 8866 5.14). A port of
 * 0 marks a disabled or rejected stream (RFC 3264 5.1, 6). {@code connection} is null when the stream uses the
 * session-level {@code c=} (see {@link SessionDescription#effectiveConnection}).
 */
public record MediaDescription(
        String media,
        int port,
        int portCount,
        String proto,
        List<String> formats,
        @Nullable Connection connection,
        List<Attribute> attributes) {

    static final int MAX_PORT = 65535;

    public MediaDescription {
        Objects.requireNonNull(media, "media");
        Objects.requireNonNull(proto, "proto");
        if (port < 0 || port > MAX_PORT) {
            throw new IllegalArgumentException("port " + port + " is out of range 0..65535");
        }
        if (portCount < 1) {
            throw new IllegalArgumentException("port count " + portCount + " is below 1");
        }
        formats = List.copyOf(formats);
        attributes = List.copyOf(attributes);
    }

    /**
     * The encodings of the formats, in the order of the {@code m=} line: each format's {@code a=rtpmap}, or for a
     * static payload type without one its RFC 3551 6 assignment (0 PCMU/8000, 8 PCMA/8000, 9 G722/8000, 18
     * G729/8000, ...). Formats that are neither (not a payload type number, an unknown dynamic type, a malformed
     * rtpmap) are left out.
     */
    public List<RtpMap> rtpMaps() {
        List<RtpMap> maps = new ArrayList<>(formats.size());
        for (String format : formats) {
            long payloadType = Tokens.number(format);
            if (payloadType >= 0 && payloadType <= RtpMap.MAX_PAYLOAD_TYPE) {
                rtpMap((int) payloadType).ifPresent(maps::add);
            }
        }
        return List.copyOf(maps);
    }

    /** The format parameters of a payload type: {@code 0-16} for {@code a=fmtp:101 0-16} (RFC 8866 6.15). */
    public Optional<String> fmtp(int payloadType) {
        return valuesFor("fmtp", payloadType).findFirst();
    }

    /** The packet time in milliseconds the sender of this description wants to receive ({@code a=ptime}, 6.4). */
    public OptionalInt ptime() {
        long ptime = values("ptime").findFirst().map(Tokens::number).orElse(-1L);
        return ptime > 0 && ptime <= Integer.MAX_VALUE ? OptionalInt.of((int) ptime) : OptionalInt.empty();
    }

    /**
     * The direction this media description states itself, else {@link Direction#SENDRECV}. It does not look at the
     * session level; {@link SessionDescription#effectiveDirection} does.
     */
    public Direction direction() {
        return directionAttribute().orElse(Direction.SENDRECV);
    }

    /** The direction attribute of this media description, if it has one. */
    public Optional<Direction> directionAttribute() {
        return Direction.find(attributes);
    }

    /** Whether the offerer wants RTP and RTCP on one port ({@code a=rtcp-mux}, RFC 5761 5.1.1). */
    public boolean rtcpMux() {
        return attributes.stream().anyMatch(a -> a.name().equalsIgnoreCase("rtcp-mux"));
    }

    /**
     * The port the sender of this description takes RTCP on when it says so ({@code a=rtcp:<port> [address]}, RFC
     * 3605); empty when it does not, which means the RTP port plus one (RFC 3550 11).
     */
    public OptionalInt rtcpPort() {
        long port = values("rtcp")
                .findFirst()
                .map(v -> Tokens.number(v.split("\\s+", 2)[0]))
                .orElse(-1L);
        return port > 0 && port <= MAX_PORT ? OptionalInt.of((int) port) : OptionalInt.empty();
    }

    /** The rtpmap of one payload type: declared, else static (RFC 3551 6). */
    Optional<RtpMap> rtpMap(int payloadType) {
        return valuesFor("rtpmap", payloadType)
                .findFirst()
                .flatMap(rest -> RtpMap.parse(payloadType + " " + rest))
                .or(() -> StaticPayloadTypes.lookup(payloadType));
    }

    /** The rest of each {@code a=<name>:<payloadType> <rest>} attribute. */
    private Stream<String> valuesFor(String name, int payloadType) {
        String prefix = Integer.toString(payloadType);
        return values(name)
                .filter(value -> value.startsWith(prefix)
                        && (value.length() == prefix.length() || Character.isWhitespace(value.charAt(prefix.length()))))
                .map(value -> value.substring(prefix.length()).strip());
    }

    /** The values of the attributes called {@code name}, stripped of surrounding blanks. */
    private Stream<String> values(String name) {
        return attributes.stream()
                .filter(a -> a.name().equalsIgnoreCase(name))
                .map(Attribute::value)
                .filter(Objects::nonNull)
                .map(String::strip);
    }
}
