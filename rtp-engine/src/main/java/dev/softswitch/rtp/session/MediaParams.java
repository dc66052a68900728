package dev.softswitch.rtp.session;

import dev.softswitch.codecs.CodecInfo;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What offer/answer settled for one call's media.
 *
 * @param codec the codec both sides send
 * @param payloadType its payload type on this call (the offer's number, static or dynamic)
 * @param telephoneEventPayloadType RFC 4733 events' payload type, or -1 when not negotiated
 * @param remote where the SDP says to send; replaced by the caller's real source once its packets arrive
 * @param send false when the remote is not receiving (hold, {@code c=0.0.0.0}, recvonly)
 */
public record MediaParams(
        CodecInfo codec, int payloadType, int telephoneEventPayloadType, InetSocketAddress remote, boolean send) {
    public MediaParams {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(remote, "remote");
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type " + payloadType);
        }
    }
}
