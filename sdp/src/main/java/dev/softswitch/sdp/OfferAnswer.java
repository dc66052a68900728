package dev.softswitch.sdp;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Answers an offer as an endpoint that takes one audio stream (RFC 3264 6): the first audio stream over RTP/AVP or
 * RTP/AVPF with a port and a codec in common is accepted with exactly one codec (our most preferred one the offer has,
 * under the offer's payload type) plus telephone-event when both sides take it, and rtcp-mux when offered; every other
 * stream is rejected with port 0. The answer keeps the number and order of the offer's media descriptions.
 */
public final class OfferAnswer {

    /** The packet time we answer with when the offer does not state one (RFC 3551 4.5: 20 ms by default). */
    static final int DEFAULT_PTIME_MS = 20;

    /** The packet times taken from an offer; anything else is answered with the default. */
    static final int MIN_PTIME_MS = 10;

    static final int MAX_PTIME_MS = 120;

    /** How many offered encodings a "no common codec" reason names before it stops. */
    private static final int MAX_NAMED_IN_REASON = 12;

    private static final String TELEPHONE_EVENT = "telephone-event";

    private OfferAnswer() {}

    /** Answers an offer, or says why it cannot be answered. */
    public static Negotiation answer(SessionDescription offer, AnswerPolicy policy) {
        Objects.requireNonNull(offer, "offer");
        Objects.requireNonNull(policy, "policy");
        List<MediaDescription> audio =
                offer.media().stream().filter(OfferAnswer::isAudio).toList();
        if (audio.isEmpty()) {
            return new Negotiation.Rejected("no audio stream in the offer");
        }
        List<MediaDescription> enabled =
                audio.stream().filter(m -> m.port() != 0).toList();
        if (enabled.isEmpty()) {
            return new Negotiation.Rejected("every audio stream in the offer is disabled (port 0)");
        }
        List<MediaDescription> usable =
                enabled.stream().filter(m -> isSupportedProto(m.proto())).toList();
        if (usable.isEmpty()) {
            return new Negotiation.Rejected("unsupported audio transport "
                    + Tokens.printable(enabled.get(0).proto(), 32) + ": only RTP/AVP and RTP/AVPF are supported");
        }
        for (int index = 0; index < offer.media().size(); index++) {
            MediaDescription m = offer.media().get(index);
            if (isAudio(m) && m.port() != 0 && isSupportedProto(m.proto())) {
                Optional<RtpMap> codec = chooseCodec(m, policy.codecs());
                if (codec.isPresent()) {
                    return accept(offer, policy, index, codec.get());
                }
            }
        }
        return new Negotiation.Rejected(noCommonCodec(usable, policy.codecs()));
    }

    private static Negotiation accept(SessionDescription offer, AnswerPolicy policy, int index, RtpMap codec) {
        MediaDescription offered = offer.media().get(index);
        Optional<Connection> remote = offer.effectiveConnection(offered);
        if (remote.isEmpty()) {
            return new Negotiation.Rejected("no connection address (c=) for the audio stream");
        }
        Optional<RtpMap> telephoneEvent =
                policy.telephoneEvent() ? telephoneEvent(offered, codec.clockRate()) : Optional.empty();
        int ptime = ptime(offered);
        Direction theirs = offer.effectiveDirection(offered);
        if (remote.get().isHoldAddress()) {
            // RFC 3264 8.4: c=0.0.0.0 (RFC 2543 hold) says the offerer receives nothing.
            theirs = theirs.withoutReceiving();
        }
        Direction ours = theirs.answerTo();

        List<String> formats = new ArrayList<>();
        List<Attribute> attributes = new ArrayList<>();
        formats.add(Integer.toString(codec.payloadType()));
        attributes.add(new Attribute("rtpmap", codec.attributeValue()));
        telephoneEvent.ifPresent(event -> {
            formats.add(Integer.toString(event.payloadType()));
            attributes.add(new Attribute("rtpmap", event.attributeValue()));
            // RFC 4733 2.4.1: the events we take; echo the offer's list, absent meaning 0-15.
            offered.fmtp(event.payloadType())
                    .ifPresent(events -> attributes.add(new Attribute("fmtp", event.payloadType() + " " + events)));
        });
        attributes.add(new Attribute("ptime", Integer.toString(ptime)));
        attributes.add(Attribute.flag(ours.attributeName()));
        // RFC 5761 5.1.1: an offered rtcp-mux is taken, and the answer says so. Otherwise RTCP is on our RTP port plus
        // one, which needs no a=rtcp (RFC 3605 2.1).
        boolean rtcpMux = offered.rtcpMux();
        if (rtcpMux) {
            attributes.add(Attribute.flag("rtcp-mux"));
        }

        List<MediaDescription> media = new ArrayList<>(offer.media().size());
        for (int i = 0; i < offer.media().size(); i++) {
            MediaDescription m = offer.media().get(i);
            media.add(
                    i == index
                            ? new MediaDescription(
                                    m.media(), policy.localPort(), 1, m.proto(), formats, null, attributes)
                            // RFC 3264 6: a rejected stream keeps its m= line, with port 0 and the offered formats.
                            : new MediaDescription(m.media(), 0, 1, m.proto(), m.formats(), null, List.of()));
        }
        String addrType = policy.addrType();
        Origin origin = new Origin(
                policy.username(),
                Long.toString(policy.sessionId()),
                Long.toString(policy.sessionVersion()),
                "IN",
                addrType,
                policy.localAddress());
        SessionDescription answer = new SessionDescription(
                0,
                origin,
                "-", // RFC 3264 5: a dash (or a space) for unicast sessions
                new Connection("IN", addrType, policy.localAddress()),
                List.of("0 0"),
                List.of(),
                media);
        return new Negotiation.Accepted(
                answer,
                codec,
                telephoneEvent.map(RtpMap::payloadType).orElse(-1),
                remote.get().host(),
                offered.port(),
                ptime,
                ours,
                index,
                rtcpMux,
                rtcpMux ? 0 : offered.rtcpPort().orElse(0));
    }

    /** Our most preferred codec that the stream offers, with the offer's payload type (RFC 3264 6.1). */
    private static Optional<RtpMap> chooseCodec(MediaDescription m, List<FormatSpec> codecs) {
        List<RtpMap> offered = m.rtpMaps();
        for (FormatSpec codec : codecs) {
            for (RtpMap map : offered) {
                if (codec.matches(map)) {
                    return Optional.of(map);
                }
            }
        }
        return Optional.empty();
    }

    /** The offer's telephone-event at the codec's clock rate (RFC 4733 2.1: events use the audio's RTP clock). */
    private static Optional<RtpMap> telephoneEvent(MediaDescription m, int clockRate) {
        return m.rtpMaps().stream()
                .filter(map -> map.encodingName().equalsIgnoreCase(TELEPHONE_EVENT) && map.clockRate() == clockRate)
                .findFirst();
    }

    private static int ptime(MediaDescription m) {
        int ptime = m.ptime().orElse(DEFAULT_PTIME_MS);
        return ptime >= MIN_PTIME_MS && ptime <= MAX_PTIME_MS ? ptime : DEFAULT_PTIME_MS;
    }

    private static boolean isAudio(MediaDescription m) {
        return m.media().equalsIgnoreCase("audio");
    }

    private static boolean isSupportedProto(String proto) {
        String upper = proto.toUpperCase(Locale.ROOT);
        return upper.equals("RTP/AVP") || upper.equals("RTP/AVPF");
    }

    private static String noCommonCodec(List<MediaDescription> streams, List<FormatSpec> codecs) {
        Set<String> offered = new LinkedHashSet<>();
        for (MediaDescription m : streams) {
            for (String format : m.formats()) {
                long payloadType = Tokens.number(format);
                if (payloadType >= 0 && payloadType <= RtpMap.MAX_PAYLOAD_TYPE) {
                    offered.add(
                            m.rtpMap((int) payloadType).map(RtpMap::encoding).orElse("payload type " + payloadType));
                }
            }
        }
        List<String> named = offered.stream().limit(MAX_NAMED_IN_REASON).toList();
        String more = offered.size() > named.size() ? " and " + (offered.size() - named.size()) + " more" : "";
        List<String> supported = codecs.stream().map(FormatSpec::encoding).toList();
        return "no common codec: offered " + (named.isEmpty() ? "nothing" : String.join(" ", named)) + more
                + ", supported " + Tokens.printable(String.join(" ", supported), 240);
    }
}
