package dev.softswitch.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.softswitch.rtp.pacer.Pacer;
import dev.softswitch.rtp.pacer.SendIntervals;
import dev.softswitch.rtp.pool.InMemoryPortPool;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SoftswitchMetricsTest {

    private final AtomicInteger active = new AtomicInteger();
    private final Map<String, Long> results = new TreeMap<>();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong botsFailed = new AtomicLong();
    private final InMemoryPortPool pool = new InMemoryPortPool(10_000, 10_009);
    private final AtomicLong nanos = new AtomicLong();
    private final Pacer pacer = new Pacer("test", Pacer.DEFAULT_PERIOD_NANOS, nanos::get);
    private final SendIntervals intervals = new SendIntervals();

    private SoftswitchMetrics metrics() {
        return new SoftswitchMetrics()
                .calls(active::get, () -> new TreeMap<>(results), () -> 0)
                .media(pool, () -> 0, pacer.stats())
                .sendIntervals(intervals)
                .callRecords(written::get, () -> 0, () -> 0)
                .bots(() -> 3, botsFailed::get);
    }

    @Test
    void outboundPacketIntervalsAreAPrometheusHistogram() {
        intervals.record(20_100_000L);
        intervals.record(19_950_000L);
        intervals.record(45_000_000L);
        try (SoftswitchMetrics metrics = metrics()) {
            String text = metrics.scrape();

            assertThat(text)
                    .contains("# TYPE softswitch_rtp_send_interval_seconds histogram")
                    .contains("softswitch_rtp_send_interval_seconds_bucket{le=\"0.0198\"} 0")
                    .contains("softswitch_rtp_send_interval_seconds_bucket{le=\"0.0202\"} 2")
                    .contains("softswitch_rtp_send_interval_seconds_bucket{le=\"0.04\"} 2")
                    .contains("softswitch_rtp_send_interval_seconds_bucket{le=\"0.06\"} 3")
                    .contains("softswitch_rtp_send_interval_seconds_bucket{le=\"+Inf\"} 3")
                    .contains("softswitch_rtp_send_interval_seconds_count 3");
        }
    }

    @Test
    void everySoftswitchMeterHasHelpTypeAndAValue() {
        try (SoftswitchMetrics metrics = metrics()) {
            String text = metrics.scrape();

            assertThat(text)
                    .contains("# HELP softswitch_calls_active Calls in progress")
                    .contains("# TYPE softswitch_calls_active gauge")
                    .contains("softswitch_calls_active 0.0")
                    .contains("# TYPE softswitch_call_illegal_transitions_total counter")
                    .contains("softswitch_rtp_ports_leased 0.0")
                    .contains("softswitch_rtp_ports_free 5.0")
                    .contains("softswitch_rtp_sessions_open 0.0")
                    .contains("softswitch_pacer_ticks_total 0.0")
                    .contains("softswitch_pacer_skipped_ticks_total 0.0")
                    .contains("softswitch_pacer_late_p50_seconds 0.0")
                    .contains("softswitch_pacer_late_p99_seconds 0.0")
                    .contains("softswitch_pacer_late_p999_seconds 0.0")
                    .contains("softswitch_pacer_late_max_seconds 0.0")
                    .contains("softswitch_call_records_written_total 0.0")
                    .contains("softswitch_call_records_dropped_total 0.0")
                    .contains("softswitch_call_records_failed_total 0.0")
                    .contains("softswitch_bot_connections_opened_total 3.0")
                    .contains("softswitch_bot_connections_failed_total 0.0")
                    .contains("jvm_memory_used_bytes")
                    .contains("jvm_threads_live_threads")
                    .doesNotContain("softswitch_calls_ended_total");
            text.lines()
                    .filter(l -> l.startsWith("softswitch_"))
                    .map(l -> l.split("[ {]", 2)[0])
                    .map(name -> histogramOf(text, name))
                    .forEach(name -> assertThat(text).contains("# HELP " + name + " "));
        }
    }

    /** The histogram a {@code _bucket}, {@code _count} or {@code _sum} line belongs to, else the name itself. */
    private static String histogramOf(String text, String name) {
        String base = name.replaceFirst("_(bucket|count|sum)$", "");
        return text.contains("# TYPE " + base + " histogram") ? base : name;
    }

    @Test
    void valuesAreReadWhenScrapedAndNewResultsAppear() {
        try (SoftswitchMetrics metrics = metrics()) {
            metrics.scrape();
            active.set(2);
            written.set(7);
            botsFailed.set(1);
            pool.lease();
            results.put("completed", 4L);
            results.put("cancelled", 1L);

            String text = metrics.scrape();

            assertThat(text)
                    .contains("softswitch_calls_active 2.0")
                    .contains("softswitch_call_records_written_total 7.0")
                    .contains("softswitch_bot_connections_failed_total 1.0")
                    .contains("softswitch_rtp_ports_leased 1.0")
                    .contains("softswitch_rtp_ports_free 4.0")
                    .contains("# HELP softswitch_calls_ended_total Calls ended, by result")
                    .contains("# TYPE softswitch_calls_ended_total counter")
                    .contains("softswitch_calls_ended_total{result=\"completed\"} 4.0")
                    .contains("softswitch_calls_ended_total{result=\"cancelled\"} 1.0");

            results.put("completed", 5L);
            assertThat(metrics.scrape()).contains("softswitch_calls_ended_total{result=\"completed\"} 5.0");
        }
    }

    @Test
    void theSipGuardsCountersAreReadAtEachScrape() {
        java.util.concurrent.atomic.AtomicReference<dev.softswitch.sip.guard.GuardStats> stats =
                new java.util.concurrent.atomic.AtomicReference<>(
                        new dev.softswitch.sip.guard.GuardStats(Map.of(), 0, 0, 0, 0, 0, 0, 0, 0));
        try (SoftswitchMetrics metrics = metrics().sipGuard(stats::get)) {
            assertThat(metrics.scrape())
                    .contains("softswitch_sip_malformed_total{rule=\"duplicate_header\"} 0.0")
                    .contains("softswitch_sip_bans_total 0.0")
                    .contains("softswitch_sip_banned_addresses 0.0");
            stats.set(new dev.softswitch.sip.guard.GuardStats(
                    Map.of("duplicate_header", 2L, "version", 1L), 3, 40, 4, 6, 7, 8, 0, 2));
            String text = metrics.scrape();
            assertThat(text)
                    .contains("# HELP softswitch_sip_malformed_total SIP messages refused before parsing")
                    .contains("softswitch_sip_malformed_total{rule=\"duplicate_header\"} 2.0")
                    .contains("softswitch_sip_malformed_total{rule=\"version\"} 1.0")
                    .contains("softswitch_sip_malformed_total{rule=\"content_length\"} 0.0")
                    .contains("softswitch_sip_rate_limited_total 3.0")
                    .contains("softswitch_sip_banned_drops_total 40.0")
                    .contains("softswitch_sip_bans_total 4.0")
                    .contains("softswitch_sip_auth_failures_total 6.0")
                    .contains("softswitch_sip_scanner_drops_total 7.0")
                    .contains("softswitch_sip_hidden_drops_total 8.0")
                    .contains("softswitch_sip_listener_errors_total 0.0")
                    .contains("softswitch_sip_banned_addresses 2.0");
        }
    }

    @Test
    void whatCallsLeaveBehindIsReadAtEachScrape() {
        java.util.concurrent.atomic.AtomicReference<dev.softswitch.sip.stack.StackCensus> stack =
                new java.util.concurrent.atomic.AtomicReference<>(new dev.softswitch.sip.stack.StackCensus(3, 5, 1));
        AtomicInteger streams = new AtomicInteger(2);
        AtomicInteger assistants = new AtomicInteger(4);
        try (SoftswitchMetrics metrics = metrics().leftovers(stack::get, streams::get, assistants::get)) {
            assertThat(metrics.scrape())
                    .contains("# TYPE softswitch_sip_dialogs gauge")
                    .contains("softswitch_sip_dialogs 3.0")
                    .contains("# HELP softswitch_sip_transactions Transactions the SIP stack holds")
                    .contains("softswitch_sip_transactions{side=\"server\"} 5.0")
                    .contains("softswitch_sip_transactions{side=\"client\"} 1.0")
                    .contains("softswitch_pacer_streams 2.0")
                    .contains("softswitch_assistants_running 4.0");
            stack.set(dev.softswitch.sip.stack.StackCensus.EMPTY);
            streams.set(0);
            assistants.set(0);
            assertThat(metrics.scrape())
                    .contains("softswitch_sip_dialogs 0.0")
                    .contains("softswitch_sip_transactions{side=\"server\"} 0.0")
                    .contains("softswitch_sip_transactions{side=\"client\"} 0.0")
                    .contains("softswitch_pacer_streams 0.0")
                    .contains("softswitch_assistants_running 0.0");
        }
    }

    @Test
    void providerCallsAreCountedByProviderAndResult() {
        Map<String, Integer> providerActive = new java.util.LinkedHashMap<>(Map.of("audiosocket", 1, "twilio", 0));
        Map<String, Map<String, Long>> providerEnded = new TreeMap<>();
        try (SoftswitchMetrics metrics =
                metrics().providerCalls(() -> Map.copyOf(providerActive), () -> new TreeMap<>(providerEnded))) {
            assertThat(metrics.scrape())
                    .contains("# HELP softswitch_provider_calls_active Calls through a cloud provider or AudioSocket")
                    .contains("# TYPE softswitch_provider_calls_active gauge")
                    .contains("softswitch_provider_calls_active{provider=\"audiosocket\"} 1.0")
                    .contains("softswitch_provider_calls_active{provider=\"twilio\"} 0.0")
                    .doesNotContain("softswitch_provider_calls_total");

            providerActive.put("audiosocket", 0);
            providerEnded.put("audiosocket", Map.of("completed", 2L, "protocol_error", 1L));
            String text = metrics.scrape();

            assertThat(text)
                    .contains("softswitch_provider_calls_active{provider=\"audiosocket\"} 0.0")
                    .contains("# TYPE softswitch_provider_calls_total counter")
                    .contains("softswitch_provider_calls_total{provider=\"audiosocket\",result=\"completed\"} 2.0")
                    .contains("softswitch_provider_calls_total{provider=\"audiosocket\",result=\"protocol_error\"} 1.0")
                    .contains("softswitch_calls_active 0.0"); // SIP's stay SIP's
        }
    }

    @Test
    void pacerLatenessIsInSeconds() {
        try (SoftswitchMetrics metrics = metrics();
                Pacer running = pacer.start()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> pacer.stats().ticks() == 1); // tick 0, on time
            nanos.set(Pacer.DEFAULT_PERIOD_NANOS + 300_000); // tick 1 wakes 300 us late
            await().atMost(Duration.ofSeconds(5)).until(() -> running.stats().ticks() == 2);

            String text = metrics.scrape();

            assertThat(text)
                    .contains("softswitch_pacer_ticks_total 2.0")
                    .contains("softswitch_pacer_skipped_ticks_total 0.0")
                    .contains("softswitch_pacer_late_p50_seconds 1.0E-5") // the 10 us bucket
                    .contains("softswitch_pacer_late_p99_seconds 5.0E-4") // the 500 us bucket
                    .contains("softswitch_pacer_late_max_seconds 3.0E-4")
                    .contains("# TYPE softswitch_pacer_late_seconds histogram")
                    .contains("softswitch_pacer_late_seconds_bucket{le=\"1.0E-5\"} 1") // tick 0
                    .contains("softswitch_pacer_late_seconds_bucket{le=\"2.0E-4\"} 1")
                    .contains("softswitch_pacer_late_seconds_bucket{le=\"5.0E-4\"} 2") // tick 1, 300 us late
                    .contains("softswitch_pacer_late_seconds_bucket{le=\"+Inf\"} 2")
                    .contains("softswitch_pacer_late_seconds_count 2");
        }
    }

    @org.junit.jupiter.api.Test
    void keyPressesAreCountedByRoute() {
        try (SoftswitchMetrics metrics = new SoftswitchMetrics()
                .dtmf(m -> m == dev.softswitch.assistant.DtmfEvent.Method.RFC4733 ? 3 : m.ordinal())) {
            String text = metrics.scrape();
            org.assertj.core.api.Assertions.assertThat(text)
                    .contains("softswitch_dtmf_events_total{method=\"rfc4733\"} 3.0")
                    .contains("softswitch_dtmf_events_total{method=\"info\"} 1.0")
                    .contains("softswitch_dtmf_events_total{method=\"inband\"} 2.0");
        }
    }
}
