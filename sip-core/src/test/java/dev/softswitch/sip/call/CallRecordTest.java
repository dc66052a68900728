package dev.softswitch.sip.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softswitch.sip.call.CallRecord.Direction;
import dev.softswitch.sip.call.CallRecord.EndedBy;
import dev.softswitch.sip.call.CallRecord.JitterBufferStats;
import dev.softswitch.sip.call.CallRecord.RtpStats;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The call record's rules: required fields, ranges, talk time, and no password in a URI. */
class CallRecordTest {

    static final Instant STARTED = Instant.parse("2025-03-01T10:00:00Z");

    static CallRecord.Builder answeredCall() {
        return CallRecord.builder()
                .callId("c-1")
                .sipCallId("a84b4c76e66710@pc33.example.com")
                .direction(Direction.INBOUND)
                .from("sip:alice@example.com")
                .to("sip:support@softswitch.example.com")
                .started(STARTED)
                .answered(STARTED.plusMillis(1_500))
                .ended(STARTED.plusMillis(61_500))
                .endedBy(EndedBy.CALLER)
                .reason("caller_bye")
                .sipStatus(200);
    }

    @Test
    void durationIsAnswerToEnd() {
        assertThat(answeredCall().build().durationMillis()).isEqualTo(60_000);
    }

    @Test
    void unansweredCallLastedZero() {
        CallRecord record = answeredCall()
                .answered(null)
                .endedBy(EndedBy.CALLER)
                .reason("caller_cancel")
                .sipStatus(487)
                .build();
        assertThat(record.durationMillis()).isZero();
    }

    @Test
    void clockSteppedBackGivesZeroNotNegative() {
        CallRecord record = answeredCall().ended(STARTED.plusMillis(1_000)).build(); // before the answer
        assertThat(record.durationMillis()).isZero();
    }

    @Test
    void failureFillsReasonDetailAndStatus() {
        CallRecord record = answeredCall()
                .answered(null)
                .endedBy(EndedBy.SOFTSWITCH)
                .failure(new CallFailure.NotAcceptable("no common codec: offer has G729 only"))
                .build();
        assertThat(record.reason()).isEqualTo("not_acceptable");
        assertThat(record.detail()).isEqualTo("no common codec: offer has G729 only");
        assertThat(record.sipStatus()).isEqualTo(488);
    }

    @Test
    void labelsAreLowerCase() {
        assertThat(Direction.OUTBOUND.label()).isEqualTo("outbound");
        assertThat(EndedBy.SOFTSWITCH.label()).isEqualTo("softswitch");
    }

    @Test
    void requiredFieldsAreNamedWhenMissing() {
        assertThatThrownBy(() -> answeredCall().callId(null).build())
                .isInstanceOf(NullPointerException.class)
                .hasMessage("callId");
        assertThatThrownBy(() -> answeredCall().ended(null).build())
                .isInstanceOf(NullPointerException.class)
                .hasMessage("ended");
        assertThatThrownBy(() -> answeredCall().endedBy(null).build())
                .isInstanceOf(NullPointerException.class)
                .hasMessage("endedBy");
        assertThatThrownBy(() -> answeredCall().sipCallId(" ").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sipCallId");
    }

    @Test
    void onlyAPlacedCallThatNeverSentItsInviteHasNoSipCallId() {
        assertThat(answeredCall()
                        .direction(CallRecord.Direction.OUTBOUND)
                        .sipCallId("")
                        .build()
                        .sipCallId())
                .isEmpty();
        assertThatThrownBy(() -> answeredCall()
                        .direction(CallRecord.Direction.INBOUND)
                        .sipCallId("")
                        .build())
                .hasMessageContaining("sipCallId");
    }

    @Test
    void outOfRangeValuesAreRefused() {
        assertThatThrownBy(() -> answeredCall().sipStatus(180).build()).hasMessageContaining("200-699");
        assertThatThrownBy(() -> answeredCall().sipStatus(0).build()).hasMessageContaining("200-699");
        assertThatThrownBy(() -> answeredCall().dtmfCount(-1).build()).hasMessageContaining("dtmfCount");
        assertThatThrownBy(() -> answeredCall().reason("Caller BYE").build()).hasMessageContaining("snake case");
        assertThatThrownBy(() -> new RtpStats(-1, 0, 0, 0)).hasMessageContaining("negative");
        assertThatThrownBy(() -> new RtpStats(1, 1, 0, Double.NaN)).hasMessageContaining("jitter");
        assertThatThrownBy(() -> new RtpStats(1, 1, 0, 0, -1)).hasMessageContaining("rtt");
        assertThatThrownBy(() -> new RtpStats(1, 1, 0, 0, Double.POSITIVE_INFINITY))
                .hasMessageContaining("rtt");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "delay, -1, 0, 0, 0, 0, 0, 0, 0",
        "late, 20, -1, 0, 0, 0, 0, 0, 0",
        "lost, 20, 0, -1, 0, 0, 0, 0, 0",
        "stretched, 20, 0, 0, -1, 0, 0, 0, 0",
        "merged, 20, 0, 0, 0, -1, 0, 0, 0",
        "reordered, 20, 0, 0, 0, 0, -1, 0, 0",
        "duplicates, 20, 0, 0, 0, 0, 0, -1, 0",
        "resets, 20, 0, 0, 0, 0, 0, 0, -1",
    })
    void jitterBufferDelayAndCountsMustNotBeNegative(
            String negative,
            int delay,
            long late,
            long lost,
            long stretched,
            long merged,
            long reordered,
            long duplicates,
            long resets) {
        assertThatThrownBy(() ->
                        new JitterBufferStats(delay, late, lost, stretched, merged, reordered, duplicates, resets))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be negative");
    }

    @Test
    void theJitterBufferIsKeptAsGivenAndIsAbsentUnlessSet() {
        JitterBufferStats used = new JitterBufferStats(30, 1, 2, 3, 4, 5, 0, 0);
        assertThat(answeredCall().jitterBuffer(used).build().jitterBuffer()).isEqualTo(used);
        assertThat(answeredCall().build().jitterBuffer()).isNull();
    }

    @Test
    void theRoundTripTimeIsUnknownUnlessRtcpMeasuredIt() {
        assertThat(new RtpStats(100, 100, 0, 1.5).hasRtt()).isFalse();
        assertThat(new RtpStats(100, 100, 0, 1.5, Double.NaN)).isEqualTo(new RtpStats(100, 100, 0, 1.5));
        assertThat(new RtpStats(100, 100, 0, 1.5, 38.2).rttMillis()).isEqualTo(38.2);
    }

    @Test
    void lostPacketsMayBeNegativeAsRfc3550CountsThem() {
        assertThat(new RtpStats(100, 102, -2, 1.5).packetsLost()).isEqualTo(-2);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "sip:support:sk-secret-123@softswitch.example.com | sip:support@softswitch.example.com",
                "SIPS:support:sk-secret-123@host:5061;transport=tls | SIPS:support@host:5061;transport=tls",
                "\"Support\" <sip:support:sk-secret@host>;tag=1 | \"Support\" <sip:support@host>;tag=1",
                "sip:alice@example.com:5060 | sip:alice@example.com:5060",
                "sip:example.com:5060 | sip:example.com:5060",
                "tel:+15551234567 | tel:+15551234567",
                "sip:alice@example.com;foo=a:b@c | sip:alice@example.com;foo=a:b@c",
            })
    void passwordInAUriIsRemoved(String given, String kept) {
        CallRecord record = answeredCall().from(given).to(given).build();
        assertThat(record.from()).isEqualTo(kept);
        assertThat(record.to()).isEqualTo(kept);
        assertThat(record.toString()).doesNotContain("sk-secret");
    }
}
