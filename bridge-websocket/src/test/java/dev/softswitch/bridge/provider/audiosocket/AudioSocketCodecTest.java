package dev.softswitch.bridge.provider.audiosocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softswitch.bridge.assistant.BotProtocolException;
import dev.softswitch.bridge.provider.StreamEvent;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The byte examples of providers.md 6.1, both ways, and what Asterisk never sends. */
class AudioSocketCodecTest {

    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    private static final String UUID_FRAME = "01 00 10 40 32 5e c2 5e fd 4b d3 80 5f 53 57 6e 58 1d 13";

    private final AudioSocketCodec codec = new AudioSocketCodec();

    private static byte[] bytes(String hex) {
        return HEX.parseHex(hex);
    }

    private static byte[] audio(int kind, int samples) {
        return AudioSocketFrames.frame(kind, new byte[2 * samples]);
    }

    @Test
    void startsOnTheFirstAudioAfterTheUuidAtItsKindsRate() throws Exception {
        assertThat(codec.onBinary(bytes(UUID_FRAME))).isEmpty();
        assertThat(codec.uuid()).isEqualTo(UUID.fromString("40325ec2-5efd-4bd3-805f-53576e581d13"));

        byte[] slin = audio(0x10, 160);
        assertThat(HEX.formatHex(slin, 0, 3)).isEqualTo("10 01 40");
        List<StreamEvent> events = codec.onBinary(slin);

        assertThat(events).hasSize(2);
        StreamEvent.Started started = (StreamEvent.Started) events.get(0);
        assertThat(started.token()).isEqualTo("40325ec2-5efd-4bd3-805f-53576e581d13");
        assertThat(started.codec()).isEqualTo("L16");
        assertThat(started.sampleRate()).isEqualTo(8000);
        assertThat(((StreamEvent.Audio) events.get(1)).samples()).hasSize(160);
        assertThat(codec.onBinary(bytes("03 00 01 35"))).containsExactly(new StreamEvent.Dtmf('5', 0));
        assertThat(codec.onBinary(bytes("00 00 00"))).containsExactly(new StreamEvent.Stopped("hangup"));
        assertThat(codec.onBinary(bytes("ff 00 01 01")))
                .containsExactly(new StreamEvent.Stopped("error: calling party hangup"));
    }

    @Test
    void answersInTheKindItHeardOneFrameAtATime() throws Exception {
        codec.onBinary(bytes(UUID_FRAME));
        codec.onBinary(audio(0x12, 320)); // slin16

        List<Object> out = codec.media(new short[] {1, -2, 3});
        assertThat(HEX.formatHex((byte[]) out.get(0))).isEqualTo("12 00 06 01 00 fe ff 03 00");
        assertThat(HEX.formatHex((byte[]) codec.hangup())).isEqualTo("00 00 00");
        assertThat(codec.mark("m")).as("AudioSocket has no marks").isNull();
        assertThat(codec.clear()).as("nor a clear: stopping is clearing").isNull();
        byte[] slin16 = audio(0x12, 320);
        assertThat(HEX.formatHex(slin16, 0, 3)).isEqualTo("12 02 80");
    }

    @Test
    void refusesWhatBreaksTheProtocol() throws Exception {
        assertThatThrownBy(() -> codec.onBinary(audio(0x10, 160)))
                .hasMessage("the UUID (kind 0x01) must come first, not kind 0x10");
        assertThatThrownBy(() -> codec.onBinary(bytes("01 00 02 00 00")))
                .hasMessage("a UUID frame carries 16 bytes, not 2");
        codec.onBinary(bytes(UUID_FRAME));
        assertThatThrownBy(() -> codec.onBinary(bytes("10 00 00")))
                .hasMessage("audio of 0 bytes: 16-bit samples, at least one");
        assertThatThrownBy(() -> codec.onBinary(bytes("10 00 05 00 00")))
                .hasMessage("the frame says 5 bytes of payload but carries 2");
        codec.onBinary(audio(0x13, 480));
        assertThatThrownBy(() -> codec.onBinary(audio(0x10, 160)))
                .isInstanceOfSatisfying(BotProtocolException.class, e -> assertThat(e.closeCode())
                        .isEqualTo(1008))
                .hasMessage("the audio kind changed from 0x13 to 0x10");
    }

    @Test
    void everySlinKindStartsAStreamAtItsRate() throws Exception {
        int[] rates = {8000, 12000, 16000, 24000, 32000, 44100, 48000, 96000, 192000};
        for (int kind = 0x10; kind <= 0x18; kind++) {
            AudioSocketCodec fresh = new AudioSocketCodec();
            fresh.onBinary(bytes(UUID_FRAME));
            int samples = rates[kind - 0x10] / 50; // 20 ms: 882 samples at 44.1 kHz
            List<StreamEvent> events = fresh.onBinary(audio(kind, samples));
            StreamEvent.Started started = (StreamEvent.Started) events.get(0);
            assertThat(started.sampleRate()).as("kind 0x%x", kind).isEqualTo(rates[kind - 0x10]);
            assertThat(((StreamEvent.Audio) events.get(1)).samples()).hasSize(samples);
            byte[] back = (byte[]) fresh.media(new short[samples]).getFirst();
            assertThat(back[0] & 0xff).as("answered in kind 0x%x", kind).isEqualTo(kind);
            assertThat(back).hasSize(3 + 2 * samples);
        }
    }

    @Test
    void mapsEveryRateToItsKind() {
        assertThat(AudioSocketFrames.kindOf(8000)).isEqualTo(0x10);
        assertThat(AudioSocketFrames.kindOf(16000)).isEqualTo(0x12);
        assertThat(AudioSocketFrames.kindOf(24000)).isEqualTo(0x13);
        assertThat(AudioSocketFrames.kindOf(48000)).isEqualTo(0x16);
        assertThat(AudioSocketFrames.kindOf(192000)).isEqualTo(0x18);
        assertThat(AudioSocketFrames.rateOf(0x15)).isEqualTo(44100);
        assertThat(AudioSocketFrames.kindOf(11025)).isEqualTo(-1);
    }
}
