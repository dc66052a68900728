package dev.softswitch.sdp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * RFC 3264 offer/answer for an endpoint with one audio stream, on both sides of a call.
 *
 * <p>{@link #answer} answers an offer (RFC 3264 6): the first audio stream over RTP/AVP or RTP/AVPF with a port and a
 * codec in common is accepted with exactly one codec (our most preferred one the offer has, under the offer's payload
 * type) plus telephone-event when both sides take it, and rtcp-mux when offered; every other stream is rejected with
 * port 0. The answer keeps the number and order of the offer's media descriptions.
 *
 * <p>{@link #offer} makes an offer when we place a call (RFC 3264 5), and {@link #accept} reads the answer to it (RFC
 * 3264 6, 7).
 */
public final class OfferAnswer {

    /** The packet time we answer with when the offer does not state one (RFC 3551 4.5: 20 ms by default). */
    static final int DEFAULT_PTIME_MS = 20;

    /** The packet times taken from an offer; anything else is answered with the default. */
    static final int MIN_PTIME_MS = 10;

    static final int MAX_PTIME_MS = 120;

    /** How many offered encodings a "no common codec" reason names before it stops. */
    private static final int MAX_NAMED_IN_REASON = 12;

    static final String TELEPHONE_EVENT = "telephone-event";

    /** The RTP clock of the telephone-event we always offer, and of G.711 and G.722 (RFC 3551 4.5). */
    private static final int NARROWBAND_CLOCK_RATE = 8000;

    /** The first and last dynamic payload types (RFC 3551 3). */
    private static final int FIRST_DYNAMIC_PAYLOAD_TYPE = 96;

    private static final int LAST_DYNAMIC_PAYLOAD_TYPE = RtpMap.MAX_PAYLOAD_TYPE;

    /** The payload type we offer telephone-event/8000 under: the one most of the field uses. */
    private static final int TELEPHONE_EVENT_PAYLOAD_TYPE = 101;

    /** The events we offer: DTMF 0-9, *, #, A-D and flash (RFC 4733 3.2). */
    private static final String OFFERED_EVENTS = "0-16";

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
                    return answerStream(offer, policy, index, codec.get());
                }
            }
        }
        return new Negotiation.Rejected(noCommonCodec(usable, policy.codecs()));
    }

    private static Negotiation answerStream(SessionDescription offer, AnswerPolicy policy, int index, RtpMap codec) {
        MediaDescription offered = offer.media().get(index);
        Optional<Connection> remote = offer.effectiveConnection(offered);
        if (remote.isEmpty()) {
            return new Negotiation.Rejected("no connection address (c=) for the audio stream");
        }
        Optional<RtpMap> telephoneEvent =
                policy.telephoneEvent() ? telephoneEvent(offered, codec.clockRate()) : Optional.empty();
        int ptime = ptime(offered);
        Direction ours = ourDirection(offer, offered, remote.get());

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
        SessionDescription answer = LocalSession.describe(
                policy.username(), policy.sessionId(), policy.sessionVersion(), policy.localAddress(), media);
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

    /**
     * Makes an offer when we place a call (RFC 3264 5): one {@code m=audio} stream over RTP/AVP on the local port with
     * every codec of the policy in its order (each under its static payload type when RFC 3551 6 gives it one, else a
     * dynamic one from 96 up; a codec listed twice is offered once), then when asked telephone-event/8000 under 101 and
     * a telephone-event at each other RTP clock rate of the codecs under the next free dynamic types, each with
     * {@code a=fmtp:<pt> 0-16}; {@code a=ptime:20}, {@code a=sendrecv}, and {@code a=rtcp-mux} when the policy asks.
     *
     * @throws IllegalArgumentException when the codecs need more dynamic payload types than 96..127 hold
     */
    public static SessionDescription offer(OfferPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        // RFC 3551 3: static types for the codecs that have one; dynamic ones, outside 101 when it is taken, for the
        // rest and for the telephone-events at other clock rates (RFC 4733 2.1: events use the audio's RTP clock).
        DynamicPayloadTypes dynamic = new DynamicPayloadTypes(policy.telephoneEvent());
        List<RtpMap> codecs = new ArrayList<>();
        for (FormatSpec spec : policy.codecs()) {
            if (codecs.stream().noneMatch(spec::matches)) {
                codecs.add(StaticPayloadTypes.find(spec)
                        .orElseGet(() ->
                                new RtpMap(dynamic.next(), spec.encodingName(), spec.clockRate(), spec.channels())));
            }
        }
        List<RtpMap> events = new ArrayList<>();
        if (policy.telephoneEvent()) {
            events.add(new RtpMap(TELEPHONE_EVENT_PAYLOAD_TYPE, TELEPHONE_EVENT, NARROWBAND_CLOCK_RATE, 1));
            for (RtpMap codec : codecs) {
                if (events.stream().noneMatch(event -> event.clockRate() == codec.clockRate())) {
                    events.add(new RtpMap(dynamic.next(), TELEPHONE_EVENT, codec.clockRate(), 1));
                }
            }
        }

        List<String> formats = new ArrayList<>();
        List<Attribute> attributes = new ArrayList<>();
        for (RtpMap codec : codecs) {
            formats.add(Integer.toString(codec.payloadType()));
            attributes.add(new Attribute("rtpmap", codec.attributeValue()));
        }
        for (RtpMap event : events) {
            formats.add(Integer.toString(event.payloadType()));
            attributes.add(new Attribute("rtpmap", event.attributeValue()));
            attributes.add(new Attribute("fmtp", event.payloadType() + " " + OFFERED_EVENTS));
        }
        attributes.add(new Attribute("ptime", Integer.toString(DEFAULT_PTIME_MS)));
        attributes.add(Attribute.flag(Direction.SENDRECV.attributeName()));
        if (policy.rtcpMux()) {
            attributes.add(Attribute.flag("rtcp-mux")); // RFC 5761 5.1.1
        }
        MediaDescription audio =
                new MediaDescription("audio", policy.localPort(), 1, "RTP/AVP", formats, null, attributes);
        return LocalSession.describe(
                policy.username(), policy.sessionId(), policy.sessionVersion(), policy.localAddress(), List.of(audio));
    }

    /**
     * Reads the answer to an offer we made with {@link #offer} (RFC 3264 6, 7). The codec is the answer's first format
     * that is a codec we offered (same encoding name and RTP clock rate), under the answer's payload type, which is
     * the one we send with (RFC 3264 5.1); telephone-event is agreed when we offered it and the answer has it at the
     * codec's clock rate. The result's {@link Negotiation.Accepted#answer} is the offer, kept for a later re-offer.
     *
     * @return what was agreed, or why the answer cannot be used (the caller then ends the call, RFC 3264 7)
     * @throws IllegalArgumentException when {@code offer} has no audio stream with a port, so it is not one we made
     */
    public static Negotiation accept(SessionDescription offer, SessionDescription answer) {
        Objects.requireNonNull(offer, "offer");
        Objects.requireNonNull(answer, "answer");
        int index = ourAudioStream(offer);
        if (answer.media().size() != offer.media().size()) {
            // RFC 3264 6: the answer has as many m= lines as the offer, in its order.
            int count = answer.media().size();
            return new Negotiation.Rejected(
                    "the answer has " + count + (count == 1 ? " media stream" : " media streams") + ", the offer had "
                            + offer.media().size());
        }
        MediaDescription offered = offer.media().get(index);
        MediaDescription answered = answer.media().get(index);
        if (answered.port() == 0) {
            return new Negotiation.Rejected("the callee refused the audio stream");
        }
        List<RtpMap> ours = offered.rtpMaps().stream()
                .filter(map -> !map.encodingName().equalsIgnoreCase(TELEPHONE_EVENT))
                .toList();
        Optional<RtpMap> codec = answered.rtpMaps().stream()
                .filter(map -> ours.stream().anyMatch(our -> sameCodec(our, map)))
                .findFirst();
        if (codec.isEmpty()) {
            return new Negotiation.Rejected("the answer names no codec we offered: answered "
                    + named(encodings(List.of(answered))) + ", offered "
                    + named(ours.stream().map(RtpMap::encoding).toList()));
        }
        Optional<Connection> remote = answer.effectiveConnection(answered);
        if (remote.isEmpty()) {
            return new Negotiation.Rejected("no connection address (c=) for the audio stream in the answer");
        }
        int clockRate = codec.get().clockRate();
        int telephoneEvent = telephoneEvent(offered, clockRate).isPresent()
                ? telephoneEvent(answered, clockRate).map(RtpMap::payloadType).orElse(-1)
                : -1;
        // RFC 5761 5.1.1: multiplexed only when we offered it and the answer repeats a=rtcp-mux.
        boolean rtcpMux = offered.rtcpMux() && answered.rtcpMux();
        return new Negotiation.Accepted(
                offer,
                codec.get(),
                telephoneEvent,
                remote.get().host(),
                answered.port(),
                ptime(answered),
                ourDirection(answer, answered, remote.get()),
                index,
                rtcpMux,
                rtcpMux ? 0 : answered.rtcpPort().orElse(0));
    }

    /** The index of the audio stream we offered: the offer's first audio stream with a port. */
    private static int ourAudioStream(SessionDescription offer) {
        for (int index = 0; index < offer.media().size(); index++) {
            MediaDescription m = offer.media().get(index);
            if (isAudio(m) && m.port() != 0) {
                return index;
            }
        }
        throw new IllegalArgumentException("the offer has no audio stream with a port");
    }

    /** Whether an answered encoding is a codec we offered: the name compared case-insensitively, and the clock rate. */
    private static boolean sameCodec(RtpMap ours, RtpMap theirs) {
        return ours.encodingName().equalsIgnoreCase(theirs.encodingName()) && ours.clockRate() == theirs.clockRate();
    }

    /**
     * What we do on a stream, from the direction the peer's description gives it (RFC 3264 6.1); a {@code c=} of
     * {@code 0.0.0.0} (RFC 2543 hold) says the peer receives nothing (RFC 3264 8.4).
     */
    private static Direction ourDirection(SessionDescription theirs, MediaDescription stream, Connection connection) {
        Direction direction = theirs.effectiveDirection(stream);
        return (connection.isHoldAddress() ? direction.withoutReceiving() : direction).answerTo();
    }

    /** Hands out dynamic payload types in order from 96, stepping over telephone-event's 101 when that is offered. */
    private static final class DynamicPayloadTypes {

        private final boolean skipTelephoneEvent;
        private int next = FIRST_DYNAMIC_PAYLOAD_TYPE;

        DynamicPayloadTypes(boolean skipTelephoneEvent) {
            this.skipTelephoneEvent = skipTelephoneEvent;
        }

        int next() {
            if (skipTelephoneEvent && next == TELEPHONE_EVENT_PAYLOAD_TYPE) {
                next++;
            }
            if (next > LAST_DYNAMIC_PAYLOAD_TYPE) {
                throw new IllegalArgumentException("the codecs need more dynamic payload types than 96..127 hold");
            }
            return next++;
        }
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
        List<String> supported = codecs.stream().map(FormatSpec::encoding).toList();
        return "no common codec: offered " + named(encodings(streams)) + ", supported "
                + Tokens.printable(String.join(" ", supported), 240);
    }

    /**
     * The encodings of the streams' formats once each, in order, {@code payload type <n>} for a dynamic type without
     * an rtpmap. They are safe to quote: rtpmap names are media subtype names (see {@link RtpMap#parse}).
     */
    private static Set<String> encodings(List<MediaDescription> streams) {
        Set<String> encodings = new LinkedHashSet<>();
        for (MediaDescription m : streams) {
            for (String format : m.formats()) {
                long payloadType = Tokens.number(format);
                if (payloadType >= 0 && payloadType <= RtpMap.MAX_PAYLOAD_TYPE) {
                    encodings.add(
                            m.rtpMap((int) payloadType).map(RtpMap::encoding).orElse("payload type " + payloadType));
                }
            }
        }
        return encodings;
    }

    /** Encodings for a reason: the first dozen, then how many more; {@code nothing} when there are none. */
    private static String named(Collection<String> encodings) {
        List<String> named = encodings.stream().limit(MAX_NAMED_IN_REASON).toList();
        String more = encodings.size() > named.size() ? " and " + (encodings.size() - named.size()) + " more" : "";
        return (named.isEmpty() ? "nothing" : String.join(" ", named)) + more;
    }
}
