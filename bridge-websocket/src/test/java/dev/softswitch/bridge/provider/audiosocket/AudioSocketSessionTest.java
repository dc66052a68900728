package dev.softswitch.bridge.provider.audiosocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.softswitch.assistant.AssistantDirectory;
import dev.softswitch.assistant.context.InMemoryCallContextStore;
import dev.softswitch.bridge.provider.CallTokens;
import dev.softswitch.bridge.provider.MediaOutlet;
import dev.softswitch.bridge.provider.MediaServices;
import dev.softswitch.bridge.provider.ProviderCallRecord;
import dev.softswitch.bridge.provider.ProviderCalls;
import dev.softswitch.bridge.provider.ProviderSession;
import dev.softswitch.bridge.provider.Ticker;
import dev.softswitch.codecs.Goertzel;
import dev.softswitch.codecs.Pcm;
import dev.softswitch.codecs.ToneGenerator;
import dev.softswitch.config.ProviderConfig;
import dev.softswitch.config.ProviderKind;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An AudioSocket call driven by hand, at every rate Asterisk has a kind for, with the echo assistant (which runs at 8,
 * 16, 24 or 48 kHz): the caller's tone is resampled to the assistant's rate and back, and comes back in the caller's
 * kind, one 20 ms frame per tick; a hang-up asked of the call sends Asterisk {@code 0x00} before the socket closes.
 */
class AudioSocketSessionTest {

    private final ExecutorService loop = Executors.newSingleThreadExecutor();
    private final ExecutorService assistants = Executors.newVirtualThreadPerTaskExecutor();
    private final List<byte[]> sent = new CopyOnWriteArrayList<>();
    private final List<ProviderCallRecord> records = new CopyOnWriteArrayList<>();
    private volatile @Nullable Runnable tick;
    private volatile String closed = "";

    @AfterEach
    void stop() {
        loop.shutdownNow();
        assistants.shutdownNow();
    }

    @ParameterizedTest(name = "kind 0x{0}")
    @ValueSource(strings = {"10", "11", "12", "13", "14", "15", "16", "17", "18"})
    void everySlinKindIsEchoedInItsOwnKindAndRate(String hex) throws Exception {
        int kind = Integer.parseInt(hex, 16);
        int rate = AudioSocketFrames.rateOf(kind);
        int frameSamples = rate / 50; // 882 at 44.1 kHz
        double hz = Math.min(0.35 * rate, 18_000); // high in the band: a narrower path on the way would lose it
        Clock clock = Clock.systemUTC();
        ProviderCalls calls = new ProviderCalls(clock, records::add);
        ProviderSession session = session(calls, clock);

        UUID uuid = UUID.randomUUID();
        on(() -> session.onBinary(
                AudioSocketFrames.frame(AudioSocketFrames.UUID_KIND, AudioSocketFrames.uuidBytes(uuid))));
        ToneGenerator tone = new ToneGenerator(hz, rate, 0.5);
        for (int i = 0; i < 20; i++) { // one frame a tick, as Asterisk sends them (the echo drops a backlog)
            byte[] frame = AudioSocketFrames.frame(kind, Pcm.toLittleEndian(tone.next(frameSamples)));
            on(() -> session.onBinary(frame));
            int echoed = i + 1;
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(2))
                    .until(() -> {
                        tickOnce();
                        return sent.size() >= echoed;
                    });
        }

        assertThat(sent).allSatisfy(frame -> {
            assertThat(frame[0] & 0xff).as("the kind Asterisk sent").isEqualTo(kind);
            assertThat(frame).as("one 20 ms frame after the header").hasSize(3 + 2 * frameSamples);
        });
        int toneFrames = 0;
        for (byte[] frame : sent) {
            short[] pcm = Pcm.fromLittleEndian(frame, 3, frame.length - 3);
            if (Pcm.rms(pcm) > 1000 && Goertzel.relativePower(pcm, 0, pcm.length, hz, rate) > 0.8) {
                toneFrames++;
            }
        }
        assertThat(toneFrames).as("frames of the %s Hz tone at %d Hz", hz, rate).isGreaterThanOrEqualTo(17);

        on(() -> calls.inProgress().getFirst().hangUp());
        on(() -> {});
        assertThat(HexFormat.ofDelimiter(" ").formatHex(sent.getLast()))
                .as("Asterisk is told before the socket closes")
                .isEqualTo("00 00 00");
        assertThat(closed).isEqualTo("1000 hung up");
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.to()).isEqualTo(uuid.toString());
            assertThat(r.codec()).isEqualTo("L16");
            assertThat(r.endedBy()).isEqualTo("softswitch");
        });
    }

    private ProviderSession session(ProviderCalls calls, Clock clock) {
        MediaOutlet outlet = new MediaOutlet() {
            @Override
            public java.util.concurrent.Executor eventLoop() {
                return loop;
            }

            @Override
            public boolean send(Object message) {
                sent.add((byte[]) message);
                return true;
            }

            @Override
            public void close(int code, String reason) {
                closed = code + " " + reason;
            }
        };
        Ticker ticker = t -> {
            tick = t;
            return () -> tick = null;
        };
        CallTokens tokens = new CallTokens(new InMemoryCallContextStore(clock), clock);
        MediaServices services = new MediaServices(AssistantDirectory.builtIns(), tokens, calls, ticker, assistants);
        ProviderConfig config =
                new ProviderConfig(ProviderKind.AUDIOSOCKET, Map.of(), Map.of(), Map.of("default", "echo"), null);
        return new ProviderSession(new AudioSocketPlugin(config), new AudioSocketCodec(), outlet, services);
    }

    private void on(Runnable action) throws Exception {
        loop.submit(action).get(5, TimeUnit.SECONDS);
    }

    private void tickOnce() throws Exception {
        Runnable t = tick;
        if (t != null) {
            t.run(); // the ticker's task only hands the step to the event loop
        }
        on(() -> {});
    }
}
