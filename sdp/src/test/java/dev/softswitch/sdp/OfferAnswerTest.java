package dev.softswitch.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 3264 6 negotiation against the offer fixtures and a few offers written to exercise one rule each. */
class OfferAnswerTest {

    private static final String HEAD = "v=0\no=- 5 5 IN IP4 192.0.2.50\ns=-\nc=IN IP4 192.0.2.50\nt=0 0\n";

    /** Offers written for one rule each, next to the real-world fixtures. */
    private static final Map<String, String> RULE_OFFERS = Map.ofEntries(
            Map.entry(
                    "dynamic-pcma",
                    HEAD + "m=audio 5000 RTP/AVP 120 121\na=rtpmap:120 PCMA/8000\n"
                            + "a=rtpmap:121 telephone-event/8000\n"),
            Map.entry("ptime-30", HEAD + "m=audio 5000 RTP/AVP 8\na=ptime:30\n"),
            Map.entry("ptime-absurd", HEAD + "m=audio 5000 RTP/AVP 8\na=ptime:1000\n"),
            Map.entry("session-recvonly", HEAD + "a=recvonly\nm=audio 5000 RTP/AVP 0\n"),
            Map.entry("media-overrides-session", HEAD + "a=sendonly\nm=audio 5000 RTP/AVP 0\na=sendrecv\n"),
            Map.entry("inactive", HEAD + "m=audio 5000 RTP/AVP 0\na=inactive\n"),
            Map.entry(
                    "zero-address-recvonly",
                    HEAD.replace("c=IN IP4 192.0.2.50", "c=IN IP4 0.0.0.0") + "m=audio 5000 RTP/AVP 0\na=recvonly\n"),
            Map.entry("second-audio-has-the-codec", HEAD + "m=audio 5000 RTP/AVP 18\nm=audio 5002 RTP/AVP 8\n"),
            Map.entry("first-audio-disabled", HEAD + "m=audio 0 RTP/AVP 0\nm=audio 5002 RTP/AVP 0\n"),
            Map.entry("savp-then-avp", HEAD + "m=audio 5000 RTP/SAVP 0\nm=audio 5002 RTP/AVP 0\n"),
            Map.entry(
                    "avpf-rtcp-mux",
                    HEAD + "m=audio 5000 RTP/AVPF 0 101\na=rtpmap:101 telephone-event/8000\n"
                            + "a=rtcp-mux\na=rtcp-fb:* nack\n"),
            Map.entry("rtcp-port", HEAD + "m=audio 5000 RTP/AVP 0\na=rtcp:5011 IN IP4 192.0.2.50\n"),
            Map.entry("rtcp-port-and-mux", HEAD + "m=audio 5000 RTP/AVP 0\na=rtcp:5000\na=rtcp-mux\n"),
            Map.entry("video-only", HEAD + "m=video 5000 RTP/AVP 96\na=rtpmap:96 VP8/90000\n"),
            Map.entry("audio-disabled", HEAD + "m=audio 0 RTP/AVP 0\nm=video 5002 RTP/AVP 96\n"),
            Map.entry("unknown-dynamic", HEAD + "m=audio 5000 RTP/AVP 96 97\na=rtpmap:97 telephone-event/8000\n"),
            Map.entry("savp-and-avp-without-common-codec", HEAD + "m=audio 5000 RTP/SAVP 0\nm=audio 5002 RTP/AVP 18\n"),
            Map.entry("many-codecs", HEAD + "m=audio 5000 RTP/AVP 3 4 5 6 7 10 11 12 13 14 15 16 17 18\n"));

    private static SessionDescription offer(String name) {
        String text = RULE_OFFERS.get(name);
        return SdpParser.parse(text != null ? text : Fixtures.offer(name));
    }

    /** A policy from {@code "PCMU/8000 opus/48000/2"}. */
    private static AnswerPolicy policy(String codecs, boolean telephoneEvent) {
        return policy(codecs, telephoneEvent, "198.51.100.1");
    }

    private static AnswerPolicy policy(String codecs, boolean telephoneEvent, String localAddress) {
        List<FormatSpec> specs = Tokens.fields(codecs).stream()
                .map(codec -> {
                    List<String> parts = Tokens.split(codec, '/');
                    return new FormatSpec(
                            parts.get(0),
                            Integer.parseInt(parts.get(1)),
                            parts.size() > 2 ? Integer.parseInt(parts.get(2)) : 1);
                })
                .toList();
        return new AnswerPolicy(specs, telephoneEvent, localAddress, 30000, 42, 1, "softswitch");
    }

    private static Negotiation.Accepted accepted(String offer, String codecs, boolean telephoneEvent) {
        return assertInstanceOf(
                Negotiation.Accepted.class, OfferAnswer.answer(offer(offer), policy(codecs, telephoneEvent)));
    }

    @ParameterizedTest(name = "{0} with {1}, telephone-event {2}: {3} as {4}")
    @CsvSource(delimiter = '|', textBlock = """
            # offer                           | our codecs, preferred first      | t-e   | codec        | pt  | t-e pt | remote address | port  | ptime | we do    | stream
            sipp-uac                          | PCMU/8000 PCMA/8000              | true  | PCMU/8000    | 0   | -1     | 127.0.0.1      | 6000  | 20    | SENDRECV | 0
            baresip                           | G722/8000 PCMU/8000 PCMA/8000    | true  | G722/8000    | 9   | 101    | 192.168.1.23   | 25134 | 20    | SENDRECV | 0
            baresip                           | PCMA/8000 PCMU/8000              | true  | PCMA/8000    | 8   | 101    | 192.168.1.23   | 25134 | 20    | SENDRECV | 0
            baresip                           | PCMU/8000                        | false | PCMU/8000    | 0   | -1     | 192.168.1.23   | 25134 | 20    | SENDRECV | 0
            baresip                           | opus/48000/2 PCMU/8000           | true  | opus/48000/2 | 96  | -1     | 192.168.1.23   | 25134 | 20    | SENDRECV | 0
            asterisk                          | G722/8000 PCMA/8000 PCMU/8000    | true  | PCMA/8000    | 8   | 101    | 203.0.113.10   | 17822 | 20    | SENDRECV | 0
            asterisk                          | GSM/8000                         | true  | GSM/8000     | 3   | 101    | 203.0.113.10   | 17822 | 20    | SENDRECV | 0
            twilio                            | PCMU/8000 PCMA/8000              | true  | PCMU/8000    | 0   | 101    | 54.172.60.1    | 13486 | 20    | SENDRECV | 0
            twilio                            | pcma/8000                        | true  | PCMA/8000    | 8   | 101    | 54.172.60.1    | 13486 | 20    | SENDRECV | 0
            hold-sendonly                     | PCMU/8000 PCMA/8000              | true  | PCMU/8000    | 0   | 101    | 203.0.113.10   | 17822 | 20    | RECVONLY | 0
            hold-zero-address                 | G729/8000 PCMU/8000              | true  | G729/8000    | 18  | 101    | 0.0.0.0        | 19004 | 20    | RECVONLY | 0
            video-audio                       | PCMU/8000 PCMA/8000              | true  | PCMU/8000    | 0   | 101    | 192.0.2.21     | 7078  | 20    | SENDRECV | 1
            video-audio                       | opus/48000/2 PCMU/8000           | true  | opus/48000/2 | 96  | 97     | 192.0.2.21     | 7078  | 20    | SENDRECV | 1
            ipv6                              | PCMU/8000 PCMA/8000              | true  | PCMU/8000    | 0   | 101    | 2001:db8::10   | 40000 | 20    | SENDRECV | 0
            dynamic-pcma                      | PCMU/8000 PCMA/8000              | true  | PCMA/8000    | 120 | 121    | 192.0.2.50     | 5000  | 20    | SENDRECV | 0
            ptime-30                          | PCMA/8000                        | true  | PCMA/8000    | 8   | -1     | 192.0.2.50     | 5000  | 30    | SENDRECV | 0
            ptime-absurd                      | PCMA/8000                        | true  | PCMA/8000    | 8   | -1     | 192.0.2.50     | 5000  | 20    | SENDRECV | 0
            session-recvonly                  | PCMU/8000                        | true  | PCMU/8000    | 0   | -1     | 192.0.2.50     | 5000  | 20    | SENDONLY | 0
            media-overrides-session           | PCMU/8000                        | true  | PCMU/8000    | 0   | -1     | 192.0.2.50     | 5000  | 20    | SENDRECV | 0
            inactive                          | PCMU/8000                        | true  | PCMU/8000    | 0   | -1     | 192.0.2.50     | 5000  | 20    | INACTIVE | 0
            zero-address-recvonly             | PCMU/8000                        | true  | PCMU/8000    | 0   | -1     | 0.0.0.0        | 5000  | 20    | INACTIVE | 0
            second-audio-has-the-codec        | PCMA/8000                        | true  | PCMA/8000    | 8   | -1     | 192.0.2.50     | 5002  | 20    | SENDRECV | 1
            first-audio-disabled              | PCMU/8000                        | true  | PCMU/8000    | 0   | -1     | 192.0.2.50     | 5002  | 20    | SENDRECV | 1
            savp-then-avp                     | PCMU/8000                        | true  | PCMU/8000    | 0   | -1     | 192.0.2.50     | 5002  | 20    | SENDRECV | 1
            avpf-rtcp-mux                     | PCMU/8000                        | true  | PCMU/8000    | 0   | 101    | 192.0.2.50     | 5000  | 20    | SENDRECV | 0
            """)
    void accepts(
            String offer,
            String codecs,
            boolean telephoneEvent,
            String codec,
            int payloadType,
            int telephoneEventPayloadType,
            String remoteAddress,
            int remotePort,
            int ptime,
            Direction direction,
            int mediaIndex) {
        Negotiation.Accepted accepted = accepted(offer, codecs, telephoneEvent);

        assertEquals(codec, accepted.codec().encoding());
        assertEquals(payloadType, accepted.codec().payloadType());
        assertEquals(telephoneEventPayloadType, accepted.telephoneEventPayloadType());
        assertEquals(remoteAddress, accepted.remoteAddress());
        assertEquals(remotePort, accepted.remotePort());
        assertEquals(ptime, accepted.ptimeMs());
        assertEquals(direction, accepted.direction());
        assertEquals(mediaIndex, accepted.mediaIndex());

        // What the answer itself says about the chosen stream.
        SessionDescription answer = accepted.answer();
        MediaDescription stream = answer.media().get(mediaIndex);
        List<String> formats = telephoneEventPayloadType < 0
                ? List.of(Integer.toString(payloadType))
                : List.of(Integer.toString(payloadType), Integer.toString(telephoneEventPayloadType));
        assertEquals(30000, stream.port());
        assertEquals(formats, stream.formats());
        assertEquals(accepted.codec(), stream.rtpMaps().get(0));
        assertEquals(OptionalInt.of(ptime), stream.ptime());
        assertEquals(Optional.of(direction), stream.directionAttribute());
        assertEquals(
                offer(offer).media().get(mediaIndex).rtcpMux(),
                stream.rtcpMux(),
                "rtcp-mux answered when offered (RFC 5761 5.1.1)");
        assertEquals(stream.rtcpMux(), accepted.rtcpMux());
        assertEquals(OptionalInt.empty(), stream.rtcpPort(), "RTCP on port + 1 needs no a=rtcp");
        assertEquals(answer, SdpParser.parse(SdpWriter.write(answer)), "the answer survives the wire");

        // RFC 3264 6: as many m= lines as the offer, in its order; every other one rejected with port 0.
        SessionDescription offered = offer(offer);
        assertEquals(offered.media().size(), answer.media().size());
        for (int i = 0; i < offered.media().size(); i++) {
            MediaDescription answered = answer.media().get(i);
            assertEquals(offered.media().get(i).media(), answered.media());
            assertEquals(offered.media().get(i).proto(), answered.proto());
            if (i != mediaIndex) {
                assertEquals(0, answered.port(), "stream " + i + " rejected");
                assertEquals(offered.media().get(i).formats(), answered.formats());
                assertEquals(List.of(), answered.attributes());
            }
        }
    }

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # offer                             | our codecs                     | reason
            video-only                          | PCMU/8000                      | no audio stream in the offer
            audio-disabled                      | PCMU/8000                      | every audio stream in the offer is disabled (port 0)
            srtp                                | PCMU/8000                      | unsupported audio transport RTP/SAVP: only RTP/AVP and RTP/AVPF are supported
            sipp-uac                            | G722/8000 PCMA/8000            | no common codec: offered PCMU/8000, supported G722/8000 PCMA/8000
            hold-zero-address                   | G722/8000 PCMA/8000            | no common codec: offered G729/8000 PCMU/8000 telephone-event/8000, supported G722/8000 PCMA/8000
            baresip                             | opus/48000/1                   | no common codec: offered opus/48000/2 G722/8000 PCMU/8000 PCMA/8000 telephone-event/8000, supported opus/48000
            unknown-dynamic                     | PCMU/8000                      | no common codec: offered payload type 96 telephone-event/8000, supported PCMU/8000
            savp-and-avp-without-common-codec   | PCMU/8000                      | no common codec: offered G729/8000, supported PCMU/8000
            many-codecs                         | PCMU/8000                      | no common codec: offered GSM/8000 G723/8000 DVI4/8000 DVI4/16000 LPC/8000 L16/44100/2 L16/44100 QCELP/8000 CN/8000 MPA/90000 G728/8000 DVI4/11025 and 2 more, supported PCMU/8000
            """)
    void rejects(String offer, String codecs, String reason) {
        Negotiation negotiation = OfferAnswer.answer(offer(offer), policy(codecs, true));

        assertEquals(new Negotiation.Rejected(reason), negotiation);
    }

    @Test
    void answersTwilioWithOneCodecAndItsEvents() {
        Negotiation.Accepted accepted = accepted("twilio", "PCMU/8000 PCMA/8000", true);

        assertEquals("""
                v=0\r
                o=softswitch 42 1 IN IP4 198.51.100.1\r
                s=-\r
                c=IN IP4 198.51.100.1\r
                t=0 0\r
                m=audio 30000 RTP/AVP 0 101\r
                a=rtpmap:0 PCMU/8000\r
                a=rtpmap:101 telephone-event/8000\r
                a=fmtp:101 0-16\r
                a=ptime:20\r
                a=sendrecv\r
                """, SdpWriter.write(accepted.answer()));
    }

    @Test
    void answersBaresipWithRtcpMuxAndEchoesItsEventRange() {
        Negotiation.Accepted accepted = accepted("baresip", "G722/8000 PCMU/8000", true);

        assertEquals("""
                v=0\r
                o=softswitch 42 1 IN IP4 198.51.100.1\r
                s=-\r
                c=IN IP4 198.51.100.1\r
                t=0 0\r
                m=audio 30000 RTP/AVP 9 101\r
                a=rtpmap:9 G722/8000\r
                a=rtpmap:101 telephone-event/8000\r
                a=fmtp:101 0-15\r
                a=ptime:20\r
                a=sendrecv\r
                a=rtcp-mux\r
                """, SdpWriter.write(accepted.answer()));
        assertTrue(accepted.rtcpMux());
        assertEquals(0, accepted.remoteRtcpPort());
    }

    @Test
    void withoutRtcpMuxRtcpGoesToTheOfferedRtcpPortAndTheAnswerNeedsNoRtcpAttribute() {
        Negotiation.Accepted accepted = accepted("rtcp-port", "PCMU/8000", false);

        assertFalse(accepted.rtcpMux());
        assertEquals(5011, accepted.remoteRtcpPort(), "a=rtcp (RFC 3605)");
        String answer = SdpWriter.write(accepted.answer());
        assertFalse(answer.contains("a=rtcp"), answer);
    }

    @Test
    void withoutRtcpMuxOrRtcpAttributeRtcpGoesToTheRtpPortPlusOne() {
        Negotiation.Accepted accepted = accepted("sipp-uac", "PCMU/8000", false);

        assertFalse(accepted.rtcpMux());
        assertEquals(0, accepted.remoteRtcpPort(), "0: the RTP port plus one");
        assertFalse(SdpWriter.write(accepted.answer()).contains("a=rtcp"));
    }

    @Test
    void withRtcpMuxTheOfferedRtcpPortIsTheRtpPortAndIsNotUsed() {
        Negotiation.Accepted accepted = accepted("rtcp-port-and-mux", "PCMU/8000", false);

        assertTrue(accepted.rtcpMux());
        assertEquals(0, accepted.remoteRtcpPort());
        assertTrue(SdpWriter.write(accepted.answer()).endsWith("a=sendrecv\r\na=rtcp-mux\r\n"));
    }

    @Test
    void answersAHoldWithRecvonly() {
        Negotiation.Accepted accepted = accepted("hold-sendonly", "PCMA/8000", true);

        assertTrue(SdpWriter.write(accepted.answer())
                .endsWith("m=audio 30000 RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\n"
                        + "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=recvonly\r\n"));
    }

    @Test
    void rejectsTheVideoStreamWithPortZeroAndAnswersAudioWithoutAnEventFmtpItWasNotGiven() {
        Negotiation.Accepted accepted = accepted("video-audio", "PCMU/8000", true);

        assertEquals("""
                v=0\r
                o=softswitch 42 1 IN IP4 198.51.100.1\r
                s=-\r
                c=IN IP4 198.51.100.1\r
                t=0 0\r
                m=video 0 RTP/AVP 96 97\r
                m=audio 30000 RTP/AVP 0 101\r
                a=rtpmap:0 PCMU/8000\r
                a=rtpmap:101 telephone-event/8000\r
                a=ptime:20\r
                a=sendrecv\r
                """, SdpWriter.write(accepted.answer()));
    }

    @Test
    void answersFromAnIpv6Address() {
        Negotiation negotiation = OfferAnswer.answer(offer("ipv6"), policy("PCMA/8000", false, "2001:db8::1"));

        SessionDescription answer =
                assertInstanceOf(Negotiation.Accepted.class, negotiation).answer();
        assertEquals(new Origin("softswitch", "42", "1", "IN", "IP6", "2001:db8::1"), answer.origin());
        assertEquals(new Connection("IN", "IP6", "2001:db8::1"), answer.connection());
        assertEquals(List.of("8"), answer.media().get(0).formats());
    }

    @Test
    void anAnswerPolicyRefusesWhatWouldBreakTheAnswer() {
        List<FormatSpec> pcmu = List.of(FormatSpec.PCMU);
        assertThrows(
                IllegalArgumentException.class,
                () -> new AnswerPolicy(List.of(), true, "192.0.2.1", 30000, 1, 1, "softswitch"));
        assertThrows(
                IllegalArgumentException.class,
                () -> new AnswerPolicy(pcmu, true, "192.0.2.1", 30000, 1, 1, "soft switch"));
        assertThrows(
                IllegalArgumentException.class,
                () -> new AnswerPolicy(pcmu, true, "192.0.2.1\r\n", 30000, 1, 1, "softswitch"));
        assertThrows(
                IllegalArgumentException.class, () -> new AnswerPolicy(pcmu, true, "192.0.2.1", 0, 1, 1, "softswitch"));
        assertThrows(
                IllegalArgumentException.class,
                () -> new AnswerPolicy(pcmu, true, "192.0.2.1", 30000, -1, 1, "softswitch"));
    }
}
