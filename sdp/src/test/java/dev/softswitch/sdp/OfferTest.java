package dev.softswitch.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 3264 5: the offers we make when we place a call, and what our own answerer makes of them. */
class OfferTest {

    private static final List<FormatSpec> NARROWBAND = List.of(FormatSpec.PCMU, FormatSpec.PCMA, FormatSpec.G722);

    /** Codecs from {@code "PCMU/8000 opus/48000/2"}. */
    static List<FormatSpec> codecs(String codecs) {
        return Tokens.fields(codecs).stream()
                .map(codec -> {
                    List<String> parts = Tokens.split(codec, '/');
                    return new FormatSpec(
                            parts.get(0),
                            Integer.parseInt(parts.get(1)),
                            parts.size() > 2 ? Integer.parseInt(parts.get(2)) : 1);
                })
                .toList();
    }

    private static OfferPolicy policy(List<FormatSpec> codecs, boolean telephoneEvent, boolean rtcpMux) {
        return new OfferPolicy(codecs, telephoneEvent, "198.51.100.1", 30000, 42, 1, "softswitch", rtcpMux);
    }

    @Test
    void offersPcmuPcmaG722WithTelephoneEventAndRtcpMux() {
        SessionDescription offer = OfferAnswer.offer(policy(NARROWBAND, true, true));

        assertEquals("""
                v=0\r
                o=softswitch 42 1 IN IP4 198.51.100.1\r
                s=-\r
                c=IN IP4 198.51.100.1\r
                t=0 0\r
                m=audio 30000 RTP/AVP 0 8 9 101\r
                a=rtpmap:0 PCMU/8000\r
                a=rtpmap:8 PCMA/8000\r
                a=rtpmap:9 G722/8000\r
                a=rtpmap:101 telephone-event/8000\r
                a=fmtp:101 0-16\r
                a=ptime:20\r
                a=sendrecv\r
                a=rtcp-mux\r
                """, SdpWriter.write(offer));
    }

    @Test
    void offersPcmuPcmaG722WithTelephoneEventWithoutRtcpMux() {
        SessionDescription offer = OfferAnswer.offer(policy(NARROWBAND, true, false));

        assertEquals("""
                v=0\r
                o=softswitch 42 1 IN IP4 198.51.100.1\r
                s=-\r
                c=IN IP4 198.51.100.1\r
                t=0 0\r
                m=audio 30000 RTP/AVP 0 8 9 101\r
                a=rtpmap:0 PCMU/8000\r
                a=rtpmap:8 PCMA/8000\r
                a=rtpmap:9 G722/8000\r
                a=rtpmap:101 telephone-event/8000\r
                a=fmtp:101 0-16\r
                a=ptime:20\r
                a=sendrecv\r
                """, SdpWriter.write(offer));
    }

    @Test
    void offersFromAnIpv6Address() {
        OfferPolicy policy =
                new OfferPolicy(List.of(FormatSpec.PCMA), false, "2001:db8::1", 40000, 7, 3, "softswitch", false);

        assertEquals("""
                v=0\r
                o=softswitch 7 3 IN IP6 2001:db8::1\r
                s=-\r
                c=IN IP6 2001:db8::1\r
                t=0 0\r
                m=audio 40000 RTP/AVP 8\r
                a=rtpmap:8 PCMA/8000\r
                a=ptime:20\r
                a=sendrecv\r
                """, SdpWriter.write(OfferAnswer.offer(policy)));
    }

    @ParameterizedTest(name = "{0}, telephone-event {1}: m=audio 30000 RTP/AVP {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # our codecs                                                         | t-e   | formats                 | answered t-e | rtpmaps, in format order
            PCMU/8000 PCMA/8000 G722/8000                                        | true  | 0 8 9 101               | 101          | 0 PCMU/8000, 8 PCMA/8000, 9 G722/8000, 101 telephone-event/8000
            G722/8000 PCMA/8000                                                  | false | 9 8                     | -1           | 9 G722/8000, 8 PCMA/8000
            G729/8000 GSM/8000 L16/44100/2                                       | false | 18 3 10                 | -1           | 18 G729/8000, 3 GSM/8000, 10 L16/44100/2
            pcmu/8000 PCMU/8000 PCMA/8000                                        | false | 0 8                     | -1           | 0 PCMU/8000, 8 PCMA/8000
            opus/48000/2 PCMU/8000                                               | false | 96 0                    | -1           | 96 opus/48000/2, 0 PCMU/8000
            opus/48000/2 PCMU/8000                                               | true  | 96 0 101 97             | 97           | 96 opus/48000/2, 0 PCMU/8000, 101 telephone-event/8000, 97 telephone-event/48000
            L16/16000 opus/48000/2 AMR-WB/16000 PCMA/8000                        | true  | 96 97 98 8 101 99 100   | 99           | 96 L16/16000, 97 opus/48000/2, 98 AMR-WB/16000, 8 PCMA/8000, 101 telephone-event/8000, 99 telephone-event/16000, 100 telephone-event/48000
            AMR/8000 iLBC/8000 speex/8000 G726-32/8000 G726-40/8000 GSM-EFR/8000 | true  | 96 97 98 99 100 102 101 | 101          | 96 AMR/8000, 97 iLBC/8000, 98 speex/8000, 99 G726-32/8000, 100 G726-40/8000, 102 GSM-EFR/8000, 101 telephone-event/8000
            AMR/8000 iLBC/8000 speex/8000 G726-32/8000 G726-40/8000 GSM-EFR/8000 | false | 96 97 98 99 100 101     | -1           | 96 AMR/8000, 97 iLBC/8000, 98 speex/8000, 99 G726-32/8000, 100 G726-40/8000, 101 GSM-EFR/8000
            """)
    void offersEveryCodecUnderItsStaticTypeElseADynamicOne(
            String codecs, boolean telephoneEvent, String formats, int answeredEvent, String rtpMaps) {
        SessionDescription offer = OfferAnswer.offer(policy(codecs(codecs), telephoneEvent, false));

        MediaDescription audio = offer.media().get(0);
        assertEquals(1, offer.media().size());
        assertEquals(Tokens.fields(formats), audio.formats());
        assertEquals(
                List.of(rtpMaps.split(", ")),
                audio.rtpMaps().stream().map(RtpMap::attributeValue).toList());
        for (RtpMap map : audio.rtpMaps()) {
            assertEquals(
                    map.encodingName().equals("telephone-event") ? Optional.of("0-16") : Optional.empty(),
                    audio.fmtp(map.payloadType()),
                    "RFC 4733 3.2: DTMF and flash for every telephone-event, no fmtp for the codecs");
        }
        assertEquals(offer, SdpParser.parse(SdpWriter.write(offer)), "the offer survives the wire");

        // Our own answerer, supporting the same codecs, takes the offer with our first codec.
        Negotiation answered = OfferAnswer.answer(
                offer, new AnswerPolicy(codecs(codecs), telephoneEvent, "198.51.100.2", 40000, 9, 1, "callee"));
        Negotiation.Accepted accepted = assertInstanceOf(Negotiation.Accepted.class, answered);
        assertEquals(audio.rtpMaps().get(0), accepted.codec());
        assertEquals(answeredEvent, accepted.telephoneEventPayloadType(), "the event at our first codec's clock rate");
        assertEquals(Direction.SENDRECV, accepted.direction());
        assertEquals("198.51.100.1", accepted.remoteAddress());
        assertEquals(30000, accepted.remotePort());
    }

    @Test
    void ourAnswererAndOurOffererAgree() {
        OfferPolicy caller = policy(NARROWBAND, true, true);
        SessionDescription offer = OfferAnswer.offer(caller);
        AnswerPolicy callee = new AnswerPolicy(
                List.of(FormatSpec.G722, FormatSpec.PCMU), true, "198.51.100.2", 40000, 9, 1, "callee");

        Negotiation.Accepted answered = assertInstanceOf(Negotiation.Accepted.class, OfferAnswer.answer(offer, callee));
        SessionDescription wire = SdpParser.parse(SdpWriter.write(answered.answer()));
        Negotiation.Accepted accepted = assertInstanceOf(Negotiation.Accepted.class, OfferAnswer.accept(offer, wire));

        assertEquals(new RtpMap(9, "G722", 8000, 1), answered.codec());
        assertEquals(answered.codec(), accepted.codec());
        assertEquals(101, answered.telephoneEventPayloadType());
        assertEquals(101, accepted.telephoneEventPayloadType());
        assertEquals("198.51.100.1", answered.remoteAddress());
        assertEquals("198.51.100.2", accepted.remoteAddress());
        assertEquals(30000, answered.remotePort());
        assertEquals(40000, accepted.remotePort());
        assertEquals(Direction.SENDRECV, accepted.direction());
        assertTrue(answered.rtcpMux());
        assertTrue(accepted.rtcpMux());
        assertEquals(offer, accepted.answer(), "accept() keeps the offer we sent");
    }

    @Test
    void dynamicPayloadTypesRunOutAt127() {
        List<FormatSpec> thirtyTwo = IntStream.rangeClosed(1, 32)
                .mapToObj(i -> new FormatSpec("x" + i, 8000, 1))
                .toList();

        // 96..127 without 101 is 31 types when telephone-event takes 101, 32 when it does not.
        assertThrows(IllegalArgumentException.class, () -> OfferAnswer.offer(policy(thirtyTwo, true, false)));
        assertEquals(
                "127",
                OfferAnswer.offer(policy(thirtyTwo, false, false))
                        .media()
                        .get(0)
                        .formats()
                        .get(31));
        assertEquals(
                "127",
                OfferAnswer.offer(policy(thirtyTwo.subList(0, 31), true, false))
                        .media()
                        .get(0)
                        .formats()
                        .get(30));
    }

    @Test
    void anOfferPolicyRefusesWhatWouldBreakTheOffer() {
        List<FormatSpec> pcmu = List.of(FormatSpec.PCMU);
        // The checks it shares with AnswerPolicy.
        assertThrows(
                IllegalArgumentException.class,
                () -> new OfferPolicy(List.of(), true, "192.0.2.1", 30000, 1, 1, "softswitch", false));
        assertThrows(
                IllegalArgumentException.class,
                () -> new OfferPolicy(pcmu, true, "192.0.2.1", 30000, 1, 1, "soft switch", false));
        assertThrows(
                IllegalArgumentException.class,
                () -> new OfferPolicy(pcmu, true, "192.0.2.1\r\n", 30000, 1, 1, "softswitch", false));
        assertThrows(
                IllegalArgumentException.class,
                () -> new OfferPolicy(pcmu, true, "192.0.2.1", 0, 1, 1, "softswitch", false));
        assertThrows(
                IllegalArgumentException.class,
                () -> new OfferPolicy(pcmu, true, "192.0.2.1", 65536, 1, 1, "softswitch", false));
        assertThrows(
                IllegalArgumentException.class,
                () -> new OfferPolicy(pcmu, true, "192.0.2.1", 30000, 1, -1, "softswitch", false));
        // Its own: a codec must fit an rtpmap line, and telephone-event is not a codec.
        for (FormatSpec codec : List.of(
                new FormatSpec("G 722", 8000, 1),
                new FormatSpec("PCMU\r\na=evil", 8000, 1),
                new FormatSpec("L16", 8000, 256),
                new FormatSpec("telephone-event", 8000, 1))) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> new OfferPolicy(List.of(codec), true, "192.0.2.1", 30000, 1, 1, "softswitch", false),
                    codec.toString());
        }
    }
}
