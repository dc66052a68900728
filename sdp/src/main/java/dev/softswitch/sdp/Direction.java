package dev.softswitch.sdp;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The direction of a media stream (RFC 8866 6.7), always as seen by the side that wrote it: {@code sendonly} in an
 * offer means the offerer only sends. Absent any attribute a stream is {@link #SENDRECV}.
 */
public enum Direction {
    SENDRECV,
    SENDONLY,
    RECVONLY,
    INACTIVE;

    /** The direction an answer takes toward an offer with this one (RFC 3264 6.1). */
    public Direction answerTo() {
        return switch (this) {
            case SENDRECV -> SENDRECV;
            case SENDONLY -> RECVONLY;
            case RECVONLY -> SENDONLY;
            case INACTIVE -> INACTIVE;
        };
    }

    /** The attribute that states it: {@code sendrecv}, {@code sendonly}, {@code recvonly}, {@code inactive}. */
    public String attributeName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the side with this direction sends media. */
    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    /** Whether the side with this direction receives media. */
    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }

    /**
     * This direction for a side that also said it receives nothing, by a {@code c=} address of {@code 0.0.0.0} (RFC
     * 3264 8.4): sendrecv becomes sendonly, recvonly becomes inactive.
     */
    Direction withoutReceiving() {
        return switch (this) {
            case SENDRECV, SENDONLY -> SENDONLY;
            case RECVONLY, INACTIVE -> INACTIVE;
        };
    }

    /** The first direction attribute among {@code attributes}, if any. */
    static Optional<Direction> find(List<Attribute> attributes) {
        for (Attribute attribute : attributes) {
            for (Direction direction : values()) {
                if (attribute.name().equalsIgnoreCase(direction.attributeName())) {
                    return Optional.of(direction);
                }
            }
        }
        return Optional.empty();
    }
}
