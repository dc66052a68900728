package dev.softswitch.rtp.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.softswitch.assistant.DtmfEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 4733 packet sequences in, key presses out: one per press, whatever was repeated or lost. */
class TelephoneEventReceiverTest {

    /**
     * Each packet is {@code timestamp:code:E|-:duration}; the expected digits are what the assistant gets, in order.
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "1000:5:-:160 1000:5:-:320 1000:5:E:480 1000:5:E:480 1000:5:E:480 | 5",
                "1000:5:E:480 | 5", // only an end packet arrived
                "1000:5:-:160 1000:5:-:320 | ''", // still pressed: nothing yet
                "1000:5:-:160 2000:6:E:400 2000:6:E:400 2000:6:E:400 | 56", // the 5's end packets were lost
                "1000:1:E:400 1000:1:E:400 2000:1:E:400 2000:1:E:400 | 11", // the same key twice
                "1000:10:E:400 2000:11:E:400 3000:12:E:400 3000:15:E:400 | *#A", // a late packet of an ended event
                "1000:16:E:400 2000:0:E:400 | 0", // 16 is hook flash, not a digit
                "1000:3:E:400 1000:3:-:560 | 3", // an update after the end is ignored
            })
    void keyPresses(String packets, String expected) {
        TelephoneEventReceiver receiver = new TelephoneEventReceiver(8000);
        StringBuilder digits = new StringBuilder();
        for (String packet : packets.trim().split(" ")) {
            String[] f = packet.split(":");
            for (DtmfEvent e : receiver.onPacket(
                    Long.parseLong(f[0]), Integer.parseInt(f[1]), f[2].equals("E"), Integer.parseInt(f[3]))) {
                digits.append(e.digit());
            }
        }
        assertEquals(expected, digits.toString());
    }

    @Test
    void durationIsTheLongestReportedInMilliseconds() {
        TelephoneEventReceiver receiver = new TelephoneEventReceiver(8000);
        List<DtmfEvent> events = new ArrayList<>();
        events.addAll(receiver.onPacket(7, 9, false, 800));
        events.addAll(receiver.onPacket(7, 9, true, 1600));
        assertEquals(List.of(new DtmfEvent('9', 200, DtmfEvent.Method.RFC4733)), events);
    }
}
