package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.softswitch.codecs.Goertzel;
import dev.softswitch.codecs.WavAudio;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A real softphone calls the built-in assistants; what it hears is checked for the tone that should be there. */
class BaresipCallIT {

    private static final int SECONDS = 4;

    private static Softswitch server;

    @BeforeAll
    static void start() throws StartupException {
        server = TestServers.start(Duration.ZERO);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "echo on {0} returns the caller's 1000 Hz tone")
    @ValueSource(strings = {"PCMU", "PCMA", "G722"})
    void echoReturnsTheCallersTone(String codec, @TempDir Path dir) throws Exception {
        long before = completed();
        Baresip.Call call =
                Baresip.dial(dir, "sip:echo@127.0.0.1:" + server.sip().port(), codec, 1000, SECONDS);
        assertThat(call.output()).contains("Call established").contains("Set audio decoder: " + codec);
        assertTone(call, 1000, 440);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(completed() - before).isEqualTo(1);
            assertThat(server.media().pool().leased()).isZero();
        });
    }

    @ParameterizedTest(name = "tone on {0} plays 440 Hz")
    @ValueSource(strings = {"PCMU", "G722"})
    void toneAssistantPlays440Hz(String codec, @TempDir Path dir) throws Exception {
        Baresip.Call call =
                Baresip.dial(dir, "sip:tone@127.0.0.1:" + server.sip().port(), codec, 1000, SECONDS);
        assertThat(call.output()).contains("Call established").contains("Set audio decoder: " + codec);
        assertTone(call, 440, 1000);
    }

    @Test
    void sixKilohertzSurvivesAG722Echo(@TempDir Path dir) throws Exception {
        // 6 kHz exists only in wideband audio: it proves the call runs at 16 kHz from end to end.
        Baresip.Call call =
                Baresip.dial(dir, "sip:echo@127.0.0.1:" + server.sip().port(), "G722", 6000, SECONDS);
        assertThat(call.heard().sampleRate()).isEqualTo(16000);
        assertTone(call, 6000, 1000);
    }

    /** One second of what baresip heard, after the first second: {@code expected} dominates, {@code absent} is not there. */
    private static void assertTone(Baresip.Call call, double expected, double absent) {
        WavAudio heard = call.heard();
        int rate = heard.sampleRate();
        assertThat(heard.frames())
                .as("baresip heard %d samples; its output:\n%s", heard.frames(), call.output())
                .isGreaterThan(2 * rate);
        short[] mono = heard.channel(0);
        double atExpected = Goertzel.relativePower(mono, rate, rate, expected, rate);
        double atAbsent = Goertzel.relativePower(mono, rate, rate, absent, rate);
        assertThat(atExpected)
                .as("share of the heard audio's energy at %.0f Hz", expected)
                .isGreaterThan(0.8);
        assertThat(atAbsent).as("share at %.0f Hz", absent).isLessThan(0.05);
    }

    private static long completed() {
        return server.sip().callResults().getOrDefault("completed", 0L);
    }
}
