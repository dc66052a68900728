package dev.softswitch.sdp;

import java.util.Objects;

/** The outcome of answering an offer: an answer and what was agreed, or why there is none (RFC 3264 6). */
public sealed interface Negotiation permits Negotiation.Accepted, Negotiation.Rejected {

    /**
     * An answer and what it agreed for the one audio stream we use.
     *
     * @param answer the answer to send
     * @param codec the chosen codec, with the payload type the offer gave it
     * @param telephoneEventPayloadType the offer's payload type for RFC 4733 telephone-event, -1 when not agreed
     * @param remoteAddress where to send RTP: the stream's {@code c=} address, else the session's (without a multicast
     *     suffix); {@code 0.0.0.0} for an RFC 2543 hold
     * @param remotePort where to send RTP: the offer's port for the stream
     * @param ptimeMs the packet time the offer asks to receive ({@code a=ptime}), or 20 when it does not say or says
     *     something outside 10..120; the answer asks for the same
     * @param direction what we do on the stream: the answer's direction (RECVONLY when the caller holds us)
     * @param mediaIndex the index of the stream among the offer's (and the answer's) media descriptions
     * @param rtcpMux whether RTCP shares the RTP port: the offer asked with {@code a=rtcp-mux} and the answer agreed
     *     (RFC 5761 5.1.1)
     * @param remoteRtcpPort where to send RTCP when not multiplexed: the offer's {@code a=rtcp} port (RFC 3605), else
     *     0 for the RTP port plus one
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
     * No answer is possible; a SIP server answers 488 Not Acceptable Here (RFC 3261 21.4.26).
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
