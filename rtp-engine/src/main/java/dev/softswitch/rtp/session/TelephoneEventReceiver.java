package dev.softswitch.rtp.session;

import dev.softswitch.assistant.DtmfEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns RFC 4733 telephone-event packets into one {@link DtmfEvent} per key press. An event is identified by its RTP
 * timestamp (section 2.5.1.2: all packets of one event share the start timestamp); it is reported on its first end
 * packet, and its repeated end packets (section 2.5.1.4) and late updates are ignored. When all of an event's end
 * packets are lost, it is reported when the next event starts. Confined to the receiving thread.
 */
final class TelephoneEventReceiver {

    private final int clockRate;
    private boolean active;
    private long timestamp;
    private int code;
    private int duration;
    private boolean reported;

    TelephoneEventReceiver(int clockRate) {
        this.clockRate = clockRate;
    }

    /** Takes one telephone-event packet and returns the key presses it completes, oldest first (often none). */
    List<DtmfEvent> onPacket(long packetTimestamp, int packetCode, boolean end, int packetDuration) {
        List<DtmfEvent> completed = new ArrayList<>(2);
        if (!active || packetTimestamp != timestamp) {
            if (active && !reported) {
                report(completed); // its end packets were lost
            }
            active = true;
            timestamp = packetTimestamp;
            code = packetCode;
            duration = packetDuration;
            reported = false;
        } else if (reported) {
            return completed; // a repeated end packet
        } else {
            duration = Math.max(duration, packetDuration);
        }
        if (end) {
            reported = true;
            report(completed);
        }
        return completed;
    }

    private void report(List<DtmfEvent> out) {
        if (DtmfEvent.isDigitCode(code)) { // flash and other telephony events are not digits
            out.add(new DtmfEvent(
                    DtmfEvent.digitOfEventCode(code), (int) (duration * 1000L / clockRate), DtmfEvent.Method.RFC4733));
        }
    }
}
