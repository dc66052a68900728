package dev.softswitch.sdp;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A session description (RFC 8866 5): the session-level lines and the media descriptions in order. {@code connection}
 * is null when every stream has its own {@code c=}; {@code timing} holds the raw {@code t=} values ({@code "0 0"}).
 * Lines the model has no place for ({@code b= i= u= e= p= k= z= r=}) are not kept.
 */
public record SessionDescription(
        int version,
        Origin origin,
        String sessionName,
        @Nullable Connection connection,
        List<String> timing,
        List<Attribute> attributes,
        List<MediaDescription> media) {

    public SessionDescription {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(sessionName, "sessionName");
        timing = List.copyOf(timing);
        attributes = List.copyOf(attributes);
        media = List.copyOf(media);
    }

    /**
     * The direction of a stream: its own direction attribute, else the session-level one, else
     * {@link Direction#SENDRECV} (RFC 8866 6.7). It does not look at a {@code 0.0.0.0} connection address.
     */
    public Direction effectiveDirection(MediaDescription mediaDescription) {
        return mediaDescription
                .directionAttribute()
                .or(() -> Direction.find(attributes))
                .orElse(Direction.SENDRECV);
    }

    /** The connection of a stream: its own {@code c=}, else the session-level one (RFC 8866 5.7). */
    public Optional<Connection> effectiveConnection(MediaDescription mediaDescription) {
        Connection own = mediaDescription.connection();
        return Optional.ofNullable(own != null ? own : connection);
    }
}
