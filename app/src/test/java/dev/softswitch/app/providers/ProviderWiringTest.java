package dev.softswitch.app.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softswitch.bridge.provider.ProviderCall;
import dev.softswitch.bridge.provider.ProviderCallRecord;
import dev.softswitch.bridge.provider.Ticker;
import dev.softswitch.rtp.pacer.Pacer;
import dev.softswitch.sip.DialStatus;
import dev.softswitch.sip.call.CallRecord;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A provider call as a call record line and as the API's status; the RTP pacer as the providers' clock. */
class ProviderWiringTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void aProviderCallBecomesACallRecordWithTheProviderAsTrunk() {
        CallRecord record = ProviderWiring.record(new ProviderCallRecord(
                "c0ffee000001",
                "twilio",
                "CA42",
                "inbound",
                "+14155550100",
                "+15551230000",
                "echo",
                "PCMU",
                T0,
                T0.plusMillis(20),
                T0.plusSeconds(10),
                "caller",
                "completed",
                "caller hung up (stop)",
                200,
                2));

        assertThat(record.callId()).isEqualTo("c0ffee000001");
        assertThat(record.sipCallId()).isEqualTo("CA42");
        assertThat(record.direction()).isEqualTo(CallRecord.Direction.INBOUND);
        assertThat(record.trunk()).isEqualTo("twilio");
        assertThat(record.endedBy()).isEqualTo(CallRecord.EndedBy.CALLER);
        assertThat(record.durationMillis()).isEqualTo(9980);
        assertThat(record.dtmfCount()).isEqualTo(2);

        CallRecord unnamed = ProviderWiring.record(new ProviderCallRecord(
                "c0ffee000002",
                "plivo",
                "",
                "outbound",
                "14155550199",
                "14155550100",
                "echo",
                null,
                T0,
                null,
                T0.plusSeconds(1),
                "softswitch",
                "failed",
                "plivo API answered 401",
                503,
                0));
        assertThat(unnamed.sipCallId()).as("a Call-ID is never blank").isEqualTo("plivo:c0ffee000002");
        assertThat(unnamed.sipStatus()).isEqualTo(503);
    }

    @Test
    void aProviderCallsStatusReadsAsADialStatus() {
        DialStatus status = ProviderWiring.dialStatus(new ProviderCall.Status(
                "c1",
                ProviderCall.Phase.ENDED,
                ProviderCall.Outcome.NO_ANSWER,
                480,
                "twilio: no-answer",
                T0,
                null,
                T0.plusSeconds(30)));

        assertThat(status.phase()).isEqualTo(DialStatus.Phase.ENDED);
        assertThat(status.outcome()).isEqualTo(DialStatus.Outcome.NO_ANSWER);
        assertThat(status.sipStatus()).isEqualTo(480);
        for (ProviderCall.Outcome outcome : ProviderCall.Outcome.values()) {
            assertThat(DialStatus.Outcome.valueOf(outcome.name()))
                    .as("every outcome has its SIP twin")
                    .isNotNull();
        }
    }

    @Test
    void thePacerTicksTheProvidersUntilTheRegistrationCloses() {
        Pacer pacer = new Pacer(); // not started: ticked by hand
        AtomicInteger ticks = new AtomicInteger();
        Ticker.Registration registration = ProviderWiring.ticker(pacer).every20ms(ticks::incrementAndGet);

        pacer.tickOnce(0);
        pacer.tickOnce(1);
        registration.close();
        pacer.tickOnce(2);

        assertThat(ticks).hasValue(2);
        assertThat(pacer.registered()).isZero();
    }
}
