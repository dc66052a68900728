package dev.softswitch.sdp;

import java.util.Objects;

/**
 * The outcome of answering an offer ({@link OfferAnswer#answer}, RFC 3264 6) or of reading the answer to our own offer
 * ({@link OfferAnswer#accept}, RFC 3264 7): what was agreed, or why nothing was.
 */
public sealed interface Negotiation permits Negotiation.Accepted, Negotiation.Rejected {

    /**
     * What was agreed for the one audio stream we use. "The peer" is the offerer for {@code answer()} and the answerer
     * for {@code accept()}.
     *
     * @param answer from {@code answer()}, the answer to send; from {@code accept()}, our offer that the answer
     *     accepted (the session description we sent), kept as the base of a later re-offer
     * @param codec the chosen codec, with the payload type the peer gave it (the offer's for {@code answer()}, the
     *     answer's for {@code accept()}), which is the one we send with
     * @param telephoneEventPayloadType the peer's payload type for RFC 4733 telephone-event at the codec's clock rate,
     *     -1 when not agreed
     * @param remoteAddress where to send RTP: the peer's {@code c=} address for the stream, else its session-level one
     *     (without a multicast suffix); {@code 0.0.0.0} for an RFC 2543 hold
     * @param remotePort where to send RTP: the peer's port for the stream
     * @param ptimeMs the packet time the peer asks to receive ({@code a=ptime}), or 20 when it does not say or says
     *     something outside 10..120; an answer from {@code answer()} asks for the same
     * @param direction what we do on the stream: the peer's direction answered (RECVONLY when the peer holds us, or
     *     answers our offer with sendonly), where a peer with {@code c=0.0.0.0} counts as not receiving
     * @param mediaIndex the index of the stream among the offer's (and the answer's) media descriptions
     * @param rtcpMux whether RTCP shares the RTP port: the offer asked with {@code a=rtcp-mux} and the answer agreed
     *     (RFC 5761 5.1.1)
     * @param remoteRtcpPort where to send RTCP when not multiplexed: the peer's {@code a=rtcp} port (RFC 3605), else 0
     *     for the RTP port plus one
     */
    record Accepted(
            SessionDescription answer,
            RtpMap codec,
            int telephoneEventPayloadType,
            String remoteAddress,
            int remotePort,
            int ptimeMs,
            Direction direction,
            int mediaIndex,
            boolean rtcpMux,
            int remoteRtcpPort)
            implements Negotiation {

        public Accepted {
            Objects.requireNonNull(answer, "answer");
            Objects.requireNonNull(codec, "codec");
            Objects.requireNonNull(remoteAddress, "remoteAddress");
            Objects.requireNonNull(direction, "direction");
        }
    }

    /**
     * Nothing was agreed. For an offer we cannot answer, a SIP server answers 488 Not Acceptable Here (RFC 3261
     * 21.4.26); for an answer to our offer that we cannot use, the caller ends the call (RFC 3264 7).
     *
     * @param reason one sentence for a {@code Warning} header, such as {@code no common codec: offered G729/8000,
     *     supported PCMU/8000 PCMA/8000}; it holds no double quote or backslash
     */
    record Rejected(String reason) implements Negotiation {

        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
