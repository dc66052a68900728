package dev.softswitch.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 3264 6 and 7: reading the answer to an offer we made with {@code OfferAnswer.offer}. */
class AcceptTest {

    private static final String HEAD =
            "v=0\no=- 1977598370 1977598370 IN IP4 203.0.113.10\ns=Asterisk\nc=IN IP4 203.0.113.10\nt=0 0\n";

    private static final String HOLD_HEAD = HEAD.replace("c=IN IP4 203.0.113.10", "c=IN IP4 0.0.0.0");

    /** Our offers: PCMU, PCMA and G.722 from 198.51.100.1:30000, with or without telephone-event and rtcp-mux. */
    private static final Map<String, OfferPolicy> OFFERS = Map.of(
            "mux", policy(true, true),
            "plain", policy(true, false),
            "no-events", policy(false, true));

    /** Answers written for one rule each. */
    private static final Map<String, String> ANSWERS = Map.ofEntries(
            Map.entry(
                    "asterisk-pcma",
                    HEAD + "m=audio 17822 RTP/AVP 8 101\na=rtpmap:8 PCMA/8000\na=rtpmap:101 telephone-event/8000\n"
                            + "a=fmtp:101 0-16\na=ptime:20\na=maxptime:150\na=sendrecv\n"),
            Map.entry(
                    "event-96", HEAD + "m=audio 4000 RTP/AVP 0 96\na=rtpmap:96 telephone-event/8000\na=fmtp:96 0-15\n"),
            Map.entry("no-event", HEAD + "m=audio 4000 RTP/AVP 0\n"),
            Map.entry(
                    "event-at-another-rate", HEAD + "m=audio 4000 RTP/AVP 0 101\na=rtpmap:101 telephone-event/16000\n"),
            Map.entry("two-codecs", HEAD + "m=audio 4000 RTP/AVP 9 0 101\na=rtpmap:101 telephone-event/8000\n"),
            Map.entry("first-not-offered", HEAD + "m=audio 4000 RTP/AVP 18 8\n"),
            Map.entry("renumbered", HEAD + "m=audio 4000 RTP/AVP 110\na=rtpmap:110 pcma/8000\n"),
            Map.entry("static-without-rtpmap", HEAD + "m=audio 4000 RTP/AVP 9\n"),
            Map.entry("sendonly", HEAD + "m=audio 4000 RTP/AVP 0\na=sendonly\n"),
            Map.entry("recvonly", HEAD + "m=audio 4000 RTP/AVP 0\na=recvonly\n"),
            Map.entry("inactive", HEAD + "m=audio 4000 RTP/AVP 0\na=inactive\n"),
            Map.entry("session-sendonly", HEAD + "a=sendonly\nm=audio 4000 RTP/AVP 0\n"),
            Map.entry("zero-address", HOLD_HEAD + "m=audio 4000 RTP/AVP 0\n"),
            Map.entry("zero-address-recvonly", HOLD_HEAD + "m=audio 4000 RTP/AVP 0\na=recvonly\n"),
            Map.entry("media-connection", HEAD + "m=audio 4000 RTP/AVP 0\nc=IN IP4 192.0.2.77\n"),
            Map.entry(
                    "ipv6",
                    "v=0\no=- 1 1 IN IP6 2001:db8::20\ns=-\nc=IN IP6 2001:db8::20\nt=0 0\nm=audio 4000 RTP/AVP 8\n"),
            Map.entry("ptime-30", HEAD + "m=audio 4000 RTP/AVP 0\na=ptime:30\n"),
            Map.entry("ptime-absurd", HEAD + "m=audio 4000 RTP/AVP 0\na=ptime:1000\n"),
            Map.entry("rtcp-mux", HEAD + "m=audio 4000 RTP/AVP 0\na=rtcp-mux\n"),
            Map.entry("rtcp-port", HEAD + "m=audio 4000 RTP/AVP 0\na=rtcp:4011 IN IP4 203.0.113.10\n"),
            Map.entry("rtcp-port-and-mux", HEAD + "m=audio 4000 RTP/AVP 0\na=rtcp:4000\na=rtcp-mux\n"),
            Map.entry("two-streams", HEAD + "m=audio 4000 RTP/AVP 0\nm=video 0 RTP/AVP 96\n"),
            Map.entry("no-streams", HEAD),
            Map.entry("refused", HEAD + "m=audio 0 RTP/AVP 0\n"),
            Map.entry("no-codec-offered", HEAD + "m=audio 4000 RTP/AVP 18 96 101\na=rtpmap:101 telephone-event/8000\n"),
            Map.entry("codec-at-another-rate", HEAD + "m=audio 4000 RTP/AVP 96\na=rtpmap:96 PCMU/16000\n"),
            Map.entry("hostile-rtpmap", HEAD + "m=audio 4000 RTP/AVP 96\na=rtpmap:96 \"PCMU\\\"/8000\n"));

    private static OfferPolicy policy(boolean telephoneEvent, boolean rtcpMux) {
        return new OfferPolicy(
                List.of(FormatSpec.PCMU, FormatSpec.PCMA, FormatSpec.G722),
                telephoneEvent,
                "198.51.100.1",
                30000,
                42,
                1,
                "softswitch",
                rtcpMux);
    }

    private static Negotiation accept(String offer, String answer) {
        return OfferAnswer.accept(OfferAnswer.offer(OFFERS.get(offer)), SdpParser.parse(ANSWERS.get(answer)));
    }

    @ParameterizedTest(name = "{0} offer, {1} answer: {2} as {3}")
    @CsvSource(delimiter = '|', textBlock = """
            # our offer | answer                | codec     | pt  | t-e pt | remote address | port  | ptime | we do    | rtcp-mux | rtcp port
            mux         | asterisk-pcma         | PCMA/8000 | 8   | 101    | 203.0.113.10   | 17822 | 20    | SENDRECV | false    | 0
            plain       | asterisk-pcma         | PCMA/8000 | 8   | 101    | 203.0.113.10   | 17822 | 20    | SENDRECV | false    | 0
            no-events   | asterisk-pcma         | PCMA/8000 | 8   | -1     | 203.0.113.10   | 17822 | 20    | SENDRECV | false    | 0
            mux         | event-96              | PCMU/8000 | 0   | 96     | 203.0.113.10   | 4000  | 20    | SENDRECV | false    | 0
            mux         | no-event              | PCMU/8000 | 0   | -1     | 203.0.113.10   | 4000  | 20    | SENDRECV | false    | 0
            mux         | event-at-another-rate | PCMU/8000 | 0   | -1     | 203.0.113.10   | 4000  | 20    | SENDRECV | false    | 0
            mux         | two-codecs            | G722/8000 | 9   | 101    | 203.0.113.10   | 4000  | 20    | SENDRECV | false    | 0
            mux         | first-not-offered     | PCMA/8000 | 8   | -1     | 203.0.113.10   | 4000  | 20    | SENDRECV | false    | 0
            mux         | renumbered            | pcma/8000 | 110 | -1     | 203.0.113.10   | 4000  | 20    | SENDRECV | false    | 0
            mux         | static-without-rtpmap | G722/8000 | 9   | -1     | 203.0.113.10   | 4000  | 20    | SENDRECV | false    | 0
            mux         | sendonly              | PCMU/8000 | 0   | -1     | 203.0.113.10   | 4000  | 20    | RECVONLY | false    | 0
            mux         | recvonly              | PCMU/8000 | 0   | -1     | 203.0.113.10   | 4000  | 20    | SENDONLY | false    | 0
            mux         | inactive              | PCMU/8000 | 0   | -1     | 203.0.113.10   | 4000  | 20    | INACTIVE | false    | 0
            mux         | session-sendonly      | PCMU/8000 | 0   | -1     | 203.0.113.10   | 4000  | 20    | RECVONLY | false    | 0
            mux         | zero-address          | PCMU/8000 | 0   | -1     | 0.0.0.0        | 4000  | 20    | RECVONLY | false    | 0
            mux         | zero-address-recvonly | PCMU/8000 | 0   | -1     | 0.0.0.0        | 4000  | 20    | INACTIVE | false    | 0
            mux         | media-connection      | PCMU/8000 | 0   | -1     | 192.0.2.77     | 4000  | 20    | SENDRECV | false    | 0
            mux         | ipv6                  | PCMA/8000 | 8   | -1     | 2001:db8::20   | 4000  | 20    | SENDRECV | false    | 0
            mux         | ptime-30              | PCMU/8000 | 0   | -1     | 203.0.113.10   | 4000  | 30    | SENDRECV | false    | 0
            mux         | ptime-absurd          | PCMU/8000 | 0   | -1     | 203.0.113.10   | 4000  | 20    | SENDRECV | false    | 0
            mux         | rtcp-mux              | PCMU/8000 | 0   | -1     | 203.0.113.10   | 4000  | 20    | SENDRECV | true     | 0
            plain       | rtcp-mux              | PCMU/8000 | 0   | -1     | 203.0.113.10   | 4000  | 20    | SENDRECV | false    | 0
            mux         | rtcp-port             | PCMU/8000 | 0   | -1     | 203.0.113.10   | 4000  | 20    | SENDRECV | false    | 4011
            plain       | rtcp-port             | PCMU/8000 | 0   | -1     | 203.0.113.10   | 4000  | 20    | SENDRECV | false    | 4011
            mux         | rtcp-port-and-mux     | PCMU/8000 | 0   | -1     | 203.0.113.10   | 4000  | 20    | SENDRECV | true     | 0
            plain       | rtcp-port-and-mux     | PCMU/8000 | 0   | -1     | 203.0.113.10   | 4000  | 20    | SENDRECV | false    | 4000
            """)
    void accepts(
            String offer,
            String answer,
            String codec,
            int payloadType,
            int telephoneEventPayloadType,
            String remoteAddress,
            int remotePort,
            int ptime,
            Direction direction,
            boolean rtcpMux,
            int remoteRtcpPort) {
        Negotiation.Accepted accepted = assertInstanceOf(Negotiation.Accepted.class, accept(offer, answer));

        assertEquals(codec, accepted.codec().encoding());
        assertEquals(payloadType, accepted.codec().payloadType(), "the answer's payload type (RFC 3264 5.1)");
        assertEquals(telephoneEventPayloadType, accepted.telephoneEventPayloadType());
        assertEquals(remoteAddress, accepted.remoteAddress());
        assertEquals(remotePort, accepted.remotePort());
        assertEquals(ptime, accepted.ptimeMs());
        assertEquals(direction, accepted.direction());
        assertEquals(0, accepted.mediaIndex());
        assertEquals(rtcpMux, accepted.rtcpMux());
        assertEquals(remoteRtcpPort, accepted.remoteRtcpPort());
        assertEquals(OfferAnswer.offer(OFFERS.get(offer)), accepted.answer(), "the offer we sent, for a re-offer");
    }

    @ParameterizedTest(name = "{0} offer, {1} answer")
    @CsvSource(delimiter = '|', textBlock = """
            # our offer | answer                | reason
            mux         | two-streams           | the answer has 2 media streams, the offer had 1
            mux         | no-streams            | the answer has 0 media streams, the offer had 1
            mux         | refused               | the callee refused the audio stream
            mux         | no-codec-offered      | the answer names no codec we offered: answered G729/8000 payload type 96 telephone-event/8000, offered PCMU/8000 PCMA/8000 G722/8000
            mux         | codec-at-another-rate | the answer names no codec we offered: answered PCMU/16000, offered PCMU/8000 PCMA/8000 G722/8000
            mux         | hostile-rtpmap        | the answer names no codec we offered: answered payload type 96, offered PCMU/8000 PCMA/8000 G722/8000
            """)
    void rejects(String offer, String answer, String reason) {
        assertEquals(new Negotiation.Rejected(reason), accept(offer, answer));
    }

    @Test
    void rejectsAnAnswerWithoutAConnectionAddress() {
        // The parser refuses such text, so the answer is built in code.
        SessionDescription parsed = SdpParser.parse(ANSWERS.get("no-event"));
        SessionDescription answer = new SessionDescription(
                parsed.version(),
                parsed.origin(),
                parsed.sessionName(),
                null,
                parsed.timing(),
                parsed.attributes(),
                parsed.media());

        assertEquals(
                new Negotiation.Rejected("no connection address (c=) for the audio stream in the answer"),
                OfferAnswer.accept(OfferAnswer.offer(policy(true, true)), answer));
    }

    @Test
    void findsOurAudioStreamAmongSeveralAndCountsStreamsInTheReason() {
        SessionDescription offer = SdpParser.parse("v=0\no=softswitch 42 2 IN IP4 198.51.100.1\ns=-\n"
                + "c=IN IP4 198.51.100.1\nt=0 0\nm=video 0 RTP/AVP 96\nm=audio 30000 RTP/AVP 0 8\na=sendrecv\n");

        Negotiation.Accepted accepted = assertInstanceOf(
                Negotiation.Accepted.class,
                OfferAnswer.accept(offer, SdpParser.parse(HEAD + "m=video 0 RTP/AVP 96\nm=audio 4000 RTP/AVP 8 0\n")));
        assertEquals(1, accepted.mediaIndex());
        assertEquals(new RtpMap(8, "PCMA", 8000, 1), accepted.codec());
        assertSame(offer, accepted.answer());
        assertEquals(
                new Negotiation.Rejected("the answer has 1 media stream, the offer had 2"),
                OfferAnswer.accept(offer, SdpParser.parse(ANSWERS.get("no-event"))));
    }

    @Test
    void anOfferWithoutAnAudioStreamIsNotOneWeMade() {
        SessionDescription offer =
                SdpParser.parse("v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nc=IN IP4 192.0.2.1\nt=0 0\nm=audio 0 RTP/AVP 0\n");

        assertThrows(
                IllegalArgumentException.class,
                () -> OfferAnswer.accept(offer, SdpParser.parse(ANSWERS.get("refused"))));
    }
}
