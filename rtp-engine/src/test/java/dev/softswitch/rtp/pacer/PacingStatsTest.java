package dev.softswitch.rtp.pacer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PacingStatsTest {

    private static final long MICRO = 1_000;

    @Test
    void nothingRecordedMeansNothingLate() {
        PacingStats stats = new PacingStats();

        assertEquals(0, stats.ticks());
        assertEquals(0, stats.lateMicrosAt(0.5));
        assertEquals(0, stats.lateMicrosAt(0.99));
        assertEquals(0, stats.maxLateMicros());
        assertEquals(0, stats.skippedTicks());
    }

    @Test
    void percentilesAreTheUpperBoundOfTheirBucket() {
        PacingStats stats = new PacingStats();
        for (int i = 0; i < 90; i++) {
            stats.record(5 * MICRO); // bucket <= 10 us
        }
        for (int i = 0; i < 9; i++) {
            stats.record(150 * MICRO); // bucket <= 200 us
        }
        stats.record(3_000 * MICRO); // bucket <= 5 ms

        assertEquals(100, stats.ticks());
        assertEquals(10, stats.lateMicrosAt(0.5));
        assertEquals(10, stats.lateMicrosAt(0.9));
        assertEquals(200, stats.lateMicrosAt(0.91));
        assertEquals(200, stats.lateMicrosAt(0.99));
        assertEquals(5_000, stats.lateMicrosAt(1.0));
        assertEquals(3_000, stats.maxLateMicros());
    }

    @ParameterizedTest(name = "{0} ns late -> {1} us bucket")
    @CsvSource(textBlock = """
                    0,          10
                    -4000,      10
                    10000,      10
                    10999,      10
                    11000,      20
                    20000,      20
                    50001,      50
                    100000,     100
                    999999,     1000
                    1000000,    1000
                    1001000,    2000
                    2000000,    2000
                    4999000,    5000
                    10000000,   10000
                    19999000,   20000
                    20000000,   20000
                    20001000,   9223372036854775807
                    5000000000, 9223372036854775807
                    """)
    void eachLatenessFallsInTheBucketOfItsBound(long lateNanos, long bucketMicros) {
        PacingStats stats = new PacingStats();

        stats.record(lateNanos);

        assertEquals(1, stats.ticks());
        assertEquals(bucketMicros, stats.lateMicrosAt(0.5));
    }

    @Test
    void maxIsTheLatestWakeSoFar() {
        PacingStats stats = new PacingStats();

        stats.record(700 * MICRO);
        stats.record(-50 * MICRO);
        stats.record(20 * MICRO);

        assertEquals(700, stats.maxLateMicros());
    }

    @Test
    void skippedTicksAddUp() {
        PacingStats stats = new PacingStats();

        stats.skipped(3);
        stats.skipped(1);

        assertEquals(4, stats.skippedTicks());
        assertEquals(0, stats.ticks(), "skipped ticks never ran");
    }
}
