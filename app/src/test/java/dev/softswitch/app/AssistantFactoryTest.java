package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softswitch.assistant.Assistant;
import dev.softswitch.assistant.CallFacts;
import dev.softswitch.assistant.DtmfEvent;
import dev.softswitch.assistant.MediaPort;
import dev.softswitch.assistant.PlayoutMark;
import dev.softswitch.assistant.TransferFailed;
import dev.softswitch.bridge.assistant.WebSocketAssistant;
import dev.softswitch.bridge.client.BotClient;
import dev.softswitch.codecs.Goertzel;
import dev.softswitch.codecs.ToneGenerator;
import dev.softswitch.codecs.Wav;
import dev.softswitch.config.AssistantConfig;
import dev.softswitch.config.ConfigLoader;
import dev.softswitch.config.SecretResolver;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assistants a configuration describes, made as the softswitch starts: a {@code greeting} or {@code error_message}
 * naming a {@code .wav} file is read then, from beside the configuration file, and every problem with it stops the
 * start with the assistant, the field and the file named. What the recordings sound like is checked by running the
 * assistant against a bot that refuses the connection, on a port that records what the caller would hear.
 */
class AssistantFactoryTest {

    private static final double GREETING_HZ = 700;
    private static final double ERROR_LEFT_HZ = 1200;
    private static final double ERROR_RIGHT_HZ = 1500;

    @TempDir
    Path dir;

    private Path configDir;
    private Path configFile;
    private final BotClient bots = new BotClient(1);

    @BeforeEach
    void recordings() throws IOException {
        configDir = Files.createDirectories(dir.resolve("conf"));
        configFile = configDir.resolve("softswitch.yaml");
        // hello.wav: 300 ms of 700 Hz, 16 kHz mono
        writeWav(configDir.resolve("hello.wav"), new ToneGenerator(GREETING_HZ, 16000, 0.3).next(4800), 16000, 1);
        // sorry.wav: 400 ms, 8 kHz stereo, 1200 Hz on the left and 1500 Hz on the right
        short[] left = new ToneGenerator(ERROR_LEFT_HZ, 8000, 0.3).next(3200);
        short[] right = new ToneGenerator(ERROR_RIGHT_HZ, 8000, 0.3).next(3200);
        short[] stereo = new short[2 * left.length];
        for (int i = 0; i < left.length; i++) {
            stereo[2 * i] = left[i];
            stereo[2 * i + 1] = right[i];
        }
        writeWav(configDir.resolve("sorry.wav"), stereo, 8000, 2);
    }

    @AfterEach
    void closeClient() {
        bots.close();
    }

    private static void writeWav(Path file, short[] samples, int rate, int channels) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            Wav.write(out, samples, rate, channels);
        }
    }

    /** The assistant {@code id} of {@code yaml}, as if read from {@link #configFile}. */
    private AssistantConfig config(String yaml, String id) throws Exception {
        Files.writeString(configFile, yaml, StandardCharsets.UTF_8);
        return ConfigLoader.parse(yaml, configFile, SecretResolver.withEnvironment(Map.of()))
                .config()
                .assistant(id)
                .orElseThrow();
    }

    private static String webSocket(String url, String greeting, String errorMessage) {
        return """
                assistants:
                  - id: sales
                    kind: websocket
                    url: %s
                    connect_timeout: 2s
                    greeting: %s
                    error_message: %s
                """.formatted(url, greeting, errorMessage);
    }

    private static String closedPortUrl() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        return "ws://127.0.0.1:" + closed + "/bot";
    }

    @Test
    void aWebSocketAssistantPlaysBothRecordingsFoundBesideTheConfigurationFile() throws Exception {
        assertThat(Path.of("hello.wav")).as("not in the working directory").doesNotExist();
        AssistantConfig config = config(webSocket(closedPortUrl(), "hello.wav", "sorry.wav"), "sales");

        Assistant assistant = new AssistantFactory(bots, configFile).create(config);

        assertThat(assistant).isInstanceOf(WebSocketAssistant.class);
        assertThat(assistant.id()).isEqualTo("sales");
        assertThat(assistant.sampleRate(8000)).as("the twilio dialect").isEqualTo(8000);
        RecordingPort port = new RecordingPort();
        assistant.run(new CallFacts("call-1", "sip:alice@pbx", "sip:sales@softswitch", "sales", "PCMU", 8000), port);

        assertThat(port.failure).startsWith("bot unreachable: ");
        assertThat(port.beforeClear)
                .as("hello.wav, 300 ms at 16 kHz, as 20 ms frames of an 8 kHz call")
                .hasSize(15)
                .allSatisfy(frame -> assertThat(frame).hasSize(160));
        short[] greeting = join(port.beforeClear);
        assertThat(Goertzel.relativePower(greeting, 0, greeting.length, GREETING_HZ, 8000))
                .isGreaterThan(0.9);
        assertThat(port.afterClear).as("sorry.wav, 400 ms, then the hang-up").hasSize(20);
        short[] error = join(port.afterClear);
        assertThat(Goertzel.relativePower(error, 0, error.length, ERROR_LEFT_HZ, 8000))
                .as("both channels mixed down")
                .isBetween(0.4, 0.6);
        assertThat(Goertzel.relativePower(error, 0, error.length, ERROR_RIGHT_HZ, 8000))
                .isBetween(0.4, 0.6);
        assertThat(Goertzel.relativePower(error, 0, error.length, GREETING_HZ, 8000))
                .isLessThan(0.01);
    }

    @Test
    void aConfigurationFileNamedRelativeToTheWorkingDirectoryStillFindsItsRecordings() throws Exception {
        Path relative = Path.of("").toAbsolutePath().relativize(configFile);
        assertThat(relative.isAbsolute()).isFalse();
        AssistantConfig config = config(webSocket(closedPortUrl(), "hello.wav", "sorry.wav"), "sales");

        assertThat(new AssistantFactory(bots, relative).create(config).id()).isEqualTo("sales");
    }

    @Test
    void aMissingErrorMessageFileStopsTheStartNamingTheAssistantTheFieldAndThePath() throws Exception {
        Files.delete(configDir.resolve("sorry.wav"));
        AssistantConfig config = config(webSocket(closedPortUrl(), "hello.wav", "sorry.wav"), "sales");

        assertThatThrownBy(() -> new AssistantFactory(bots, configFile).create(config))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("assistant sales")
                .hasMessageContaining("error_message")
                .hasMessageContaining(configDir.resolve("sorry.wav").toString())
                .hasMessageNotContaining("greeting");
    }

    @Test
    void aMissingGreetingFileNamesTheGreeting() throws Exception {
        AssistantConfig config = config(webSocket(closedPortUrl(), "welcome.wav", "sorry.wav"), "sales");

        assertThatThrownBy(() -> new AssistantFactory(bots, configFile).create(config))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("assistant sales greeting")
                .hasMessageContaining(configDir.resolve("welcome.wav").toString());
    }

    @Test
    void aTextFileNamedDotWavIsRefusedAsNotAWav() throws Exception {
        Files.writeString(configDir.resolve("sorry.wav"), "Sorry, something went wrong. Please call again later.\n");
        AssistantConfig config = config(webSocket(closedPortUrl(), "hello.wav", "sorry.wav"), "sales");

        assertThatThrownBy(() -> new AssistantFactory(bots, configFile).create(config))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("assistant sales error_message: ")
                .hasMessageContaining(configDir.resolve("sorry.wav").toString())
                .hasMessageContaining("not a 16-bit PCM WAV file")
                .hasMessageContaining("not a RIFF WAVE file");
    }

    @Test
    void aWavAt44100HzIsRefusedWithItsRateNamed() throws Exception {
        writeWav(configDir.resolve("hello.wav"), new ToneGenerator(GREETING_HZ, 44100, 0.3).next(4410), 44100, 1);
        AssistantConfig config = config(webSocket(closedPortUrl(), "hello.wav", "sorry.wav"), "sales");

        assertThatThrownBy(() -> new AssistantFactory(bots, configFile).create(config))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("assistant sales greeting: ")
                .hasMessageContaining(configDir.resolve("hello.wav").toString())
                .hasMessageContaining("44100 Hz is not supported")
                .hasMessageContaining("8000, 16000, 24000 or 48000");
    }

    @Test
    void aTextGreetingAndTheDefaultErrorMessageNeedNoFile() throws Exception {
        AssistantConfig config = config("""
                assistants:
                  - id: sales
                    kind: websocket
                    url: %s
                    greeting: Hello, this is sales.
                """.formatted(closedPortUrl()), "sales");

        assertThat(new AssistantFactory(bots, configFile).create(config).id()).isEqualTo("sales");
    }

    @Test
    void anOpenAiRealtimeAssistantIsMadeWithoutConnecting() throws Exception {
        try (ServerSocket api = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AssistantConfig config = config("""
                    assistants:
                      - id: rt
                        kind: openai-realtime
                        url: ws://127.0.0.1:%d/v1/realtime
                        api_key: sk-test-key
                        greeting: hello.wav
                        error_message: sorry.wav
                    """.formatted(api.getLocalPort()), "rt");

            Assistant assistant = new AssistantFactory(bots, configFile).create(config);

            assertThat(assistant).isInstanceOf(WebSocketAssistant.class);
            assertThat(assistant.id()).isEqualTo("rt");
            assertThat(assistant.sampleRate(8000)).as("G.711 calls stay mu-law").isEqualTo(8000);
            assertThat(assistant.sampleRate(16000)).isEqualTo(24000);
            api.setSoTimeout(300);
            assertThatThrownBy(api::accept)
                    .as("nothing connects to the API until a call comes")
                    .isInstanceOf(SocketTimeoutException.class);
            assertThat(bots.connectionsOpened() + bots.connectionsFailed()).isZero();
        }
    }

    private static short[] join(List<short[]> frames) {
        short[] all = new short[frames.stream().mapToInt(f -> f.length).sum()];
        int at = 0;
        for (short[] f : frames) {
            System.arraycopy(f, 0, all, at, f.length);
            at += f.length;
        }
        return all;
    }

    /**
     * A call's port that keeps every frame offered toward the caller, split at the first {@link #clear()}, and plays
     * them out at once (nothing stays queued). The caller never speaks.
     */
    private static final class RecordingPort implements MediaPort {
        final List<short[]> beforeClear = new ArrayList<>();
        final List<short[]> afterClear = new ArrayList<>();
        boolean cleared;
        boolean open = true;

        @Nullable
        String failure;

        @Override
        public short @Nullable [] read(Duration timeout) {
            return null;
        }

        @Override
        public void write(short[] frame) {
            offer(frame);
        }

        @Override
        public boolean offer(short[] frame) {
            if (!open) {
                return false;
            }
            (cleared ? afterClear : beforeClear).add(frame.clone());
            return true;
        }

        @Override
        public void mark(String name, PlayoutMark listener) {
            listener.reached(name, open);
        }

        @Override
        public void sendDigits(String digits) {}

        @Override
        public int queuedFrames() {
            return 0;
        }

        @Override
        public @Nullable DtmfEvent pollDtmf() {
            return null;
        }

        @Override
        public @Nullable String pollText() {
            return null;
        }

        @Override
        public void clear() {
            cleared = true;
        }

        @Override
        public void hangup(String reason) {
            open = false;
        }

        @Override
        public void fail(String reason) {
            failure = reason;
            open = false;
        }

        @Override
        public void transfer(String target, TransferFailed failed) {
            failed.failed(target, "not in this test");
        }

        @Override
        public boolean isOpen() {
            return open;
        }
    }
}
