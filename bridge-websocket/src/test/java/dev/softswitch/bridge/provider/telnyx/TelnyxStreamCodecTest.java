package dev.softswitch.bridge.provider.telnyx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softswitch.bridge.provider.StreamEvent;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Telnyx's messages of providers.md 5.2 in, 5.3 out (golden), and media put back in order. */
class TelnyxStreamCodecTest {

    private final TelnyxStreamCodec codec = new TelnyxStreamCodec(null);

    private static String media(int chunk, int value) {
        byte[] ulaw = new byte[160];
        java.util.Arrays.fill(ulaw, (byte) value);
        return "{\"event\":\"media\",\"sequence_number\":\"" + (chunk + 2) + "\",\"stream_id\":\"S1\",\"media\":{"
                + "\"track\":\"inbound\",\"chunk\":\"" + chunk + "\",\"timestamp\":\"" + (chunk * 20)
                + "\",\"payload\":\"" + Base64.getEncoder().encodeToString(ulaw) + "\"}}";
    }

    @Test
    void decodesTheReferenceMessages() throws Exception {
        assertThat(
                        codec.onText(
                                "{ \"event\": \"connected\", \"version\": \"1.0.0\", \"x-telnyx-streaming-auth-token\": \"tok-7\" }"))
                .isEmpty();
        StreamEvent.Started started = (StreamEvent.Started) codec.onText("""
                { "event": "start", "sequence_number": "1", "stream_id": "32DE0DEA-53CB-4B21-89A4-9E1819C043BC",
                  "start": { "user_id": "3E6F995F-85F7-4705-9741-53B116D28237",
                             "call_control_id": "v2:T02llQxIyaRkhfRKxgAP8nY511EhFLizdvdUKJiSw8d6A9BborherQ",
                             "call_session_id": "ff55a038-6f5d-11ef-9692-02420aeffb1f", "from": "+13122010094", "to": "+13122123456",
                             "tags": ["TAG1","TAG2"], "client_state": "aGF2ZSBhIG5pY2UgZGF5ID1d",
                             "custom_parameters": { "customer_id": "customer_123" },
                             "media_format": { "encoding": "PCMU", "sample_rate": 8000, "channels": 1 } } }
                """).get(0);
        assertThat(started.streamId()).isEqualTo("32DE0DEA-53CB-4B21-89A4-9E1819C043BC");
        assertThat(started.providerCallId()).startsWith("v2:T02llQ");
        assertThat(started.token()).as("from connected").isEqualTo("tok-7");
        assertThat(started.parameters()).containsEntry("customer_id", "customer_123");
        assertThat(
                        codec.onText(
                                "{ \"event\": \"dtmf\", \"sequence_number\": \"5\", \"stream_id\": \"S1\", \"occurred_at\": \"x\", \"dtmf\": { \"digit\": \"1\" } }"))
                .containsExactly(new StreamEvent.Dtmf('1', 0));
        assertThat(
                        codec.onText(
                                "{ \"event\": \"mark\", \"sequence_number\": \"6\", \"stream_id\": \"S1\", \"mark\": { \"name\": \"utt-3\" } }"))
                .containsExactly(new StreamEvent.MarkPlayed("utt-3"));
        assertThat(
                        codec.onText(
                                "{ \"event\": \"stop\", \"sequence_number\": \"99\", \"stream_id\": \"S1\", \"stop\": { \"user_id\": \"u\", \"call_control_id\": \"c\" } }"))
                .containsExactly(new StreamEvent.Stopped("stop"));
    }

    @Test
    void putsMediaBackInChunkOrderAndGivesUpOnALostOne() throws Exception {
        List<Integer> order = new ArrayList<>();
        int[] chunks = {1, 3, 2, 4, 6, 7, 8, 9, 10, 11, 5};
        for (int chunk : chunks) {
            for (StreamEvent e : codec.onText(media(chunk, chunk))) {
                order.add(chunk(((StreamEvent.Audio) e).samples()));
            }
        }
        // 3 waits for 2; 5 is missing while 6..10 wait: at a sixth waiting, they go on without it; 5, late, is dropped.
        assertThat(order).containsExactly(1, 2, 3, 4, 6, 7, 8, 9, 10, 11);
        assertThat(codec.lateChunks()).isEqualTo(1);
    }

    /** The chunk number a test frame was filled with (its mu-law byte), read back through the decoder. */
    private static int chunk(short[] samples) {
        for (int v = 0; v < 256; v++) {
            if (dev.softswitch.codecs.G711.ulawToLinear((byte) v) == samples[0]) {
                return v;
            }
        }
        return -1;
    }

    @Test
    void encodesMediaMarkAndClearGolden() {
        assertThat(codec.media(new short[] {0, 0, 0, 0}))
                .containsExactly("{\"event\":\"media\",\"media\":{\"payload\":\"/////w==\"}}");
        assertThat(codec.mark("utt-3")).isEqualTo("{\"event\":\"mark\",\"mark\":{\"name\":\"utt-3\"}}");
        assertThat(codec.clear()).isEqualTo("{\"event\":\"clear\"}");
    }
}
