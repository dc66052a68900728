package dev.softswitch.sip;

import dev.softswitch.assistant.QueueMediaPort;
import dev.softswitch.assistant.recording.CallRecorder;
import dev.softswitch.rtp.jitter.JitterStats;
import dev.softswitch.rtp.session.MediaSession;
import dev.softswitch.rtp.session.MediaStats;
import dev.softswitch.rtp.session.ReceptionStats;
import dev.softswitch.rtp.session.RtcpStats;
import dev.softswitch.sip.call.CallRecord;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A call's media at its end, received or placed alike: everything released in order, and what it counted kept for
 * the log line and the call record.
 *
 * @param stats the media session's counters, or null when no session was opened
 * @param reception loss and jitter of the far end's stream
 * @param rtcp what RTCP said
 * @param jitter what the jitter buffer did with the far end's stream
 */
record MediaEnd(@Nullable MediaStats stats, ReceptionStats reception, RtcpStats rtcp, JitterStats jitter) {

    /**
     * Closes the assistant's port, stops the assistant, reads the counters and closes the session; then hands the
     * recorder to {@code closeRecorder} (after the media stopped, so nothing more is fed to it).
     */
    static MediaEnd release(
            @Nullable QueueMediaPort port,
            @Nullable Future<?> assistant,
            @Nullable MediaSession session,
            @Nullable CallRecorder recorder,
            Consumer<CallRecorder> closeRecorder) {
        if (port != null) {
            port.close();
        }
        if (assistant != null) {
            assistant.cancel(true);
        }
        MediaEnd end = session == null
                ? new MediaEnd(null, ReceptionStats.NONE, RtcpStats.NONE, JitterStats.NONE)
                : new MediaEnd(session.stats(), session.reception(), session.rtcp(), session.jitterBuffer());
        if (session != null) {
            session.close();
        }
        if (recorder != null) {
            closeRecorder.accept(recorder);
        }
        return end;
    }

    /** The record's RTP statistics; none when media never ran (no session, or the call was not answered). */
    CallRecord.@Nullable RtpStats rtp(boolean answered) {
        MediaStats s = stats;
        if (s == null || !answered) {
            return null;
        }
        return new CallRecord.RtpStats(
                s.packetsSent(), s.packetsReceived(), reception.lost(), reception.jitterMillis(), rtcp.rttMillis());
    }

    /**
     * The record's jitter-buffer statistics; none when the buffer never took a frame (no media, not answered, or the
     * caller's packets were not 20 ms long, which bypass it).
     */
    CallRecord.@Nullable JitterBufferStats jitterBuffer(boolean answered) {
        if (stats == null || !answered || jitter.received() == 0) {
            return null;
        }
        return new CallRecord.JitterBufferStats(
                jitter.currentDelayMs(),
                jitter.late(),
                jitter.lost(),
                jitter.stretched(),
                jitter.merged(),
                jitter.reordered(),
                jitter.duplicates(),
                jitter.resets());
    }
}
