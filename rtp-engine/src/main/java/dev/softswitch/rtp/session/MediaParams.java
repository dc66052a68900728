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
 * @param remoteRtcpPort the caller's RTCP port from {@code a=rtcp:} (RFC 3605), or 0 for the RTP port plus one; not
 *     used with rtcp-mux, where RTCP shares the RTP port
 */
public record MediaParams(
        CodecInfo codec,
        int payloadType,
        int telephoneEventPayloadType,
        InetSocketAddress remote,
        boolean send,
        int remoteRtcpPort) {
    public MediaParams {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(remote, "remote");
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type " + payloadType);
        }
        if (remoteRtcpPort < 0 || remoteRtcpPort > 65535) {
            throw new IllegalArgumentException("RTCP port " + remoteRtcpPort);
        }
    }

    /** Parameters with RTCP on the RTP port plus one. */
    public MediaParams(
            CodecInfo codec, int payloadType, int telephoneEventPayloadType, InetSocketAddress remote, boolean send) {
        this(codec, payloadType, telephoneEventPayloadType, remote, send, 0);
    }
}
