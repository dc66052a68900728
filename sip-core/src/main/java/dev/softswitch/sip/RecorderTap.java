package dev.softswitch.sip;

import dev.softswitch.assistant.recording.CallRecorder;
import dev.softswitch.rtp.session.MediaTap;
import java.io.IOException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Feeds a call's audio to its recorder: the far end (caller or callee) on the left, the assistant on the right. */
record RecorderTap(CallRecorder recorder) implements MediaTap {

    private static final Logger log = LoggerFactory.getLogger(RecorderTap.class);

    /**
     * Starts recording a call into {@code file} at {@code sampleRate}; null when there is no file (its assistant does
     * not record) or it cannot be made (logged: the call goes on unrecorded).
     */
    static @Nullable CallRecorder open(@Nullable Path file, int sampleRate) {
        if (file == null) {
            return null;
        }
        try {
            return CallRecorder.open(file, sampleRate);
        } catch (IOException | IllegalArgumentException e) {
            log.warn("call not recorded: {} cannot be written: {}", file, e.toString());
            return null;
        }
    }

    @Override
    public void heard(long tick, short[] frame) {
        recorder.caller(tick, frame);
    }

    @Override
    public void said(long tick, short[] frame) {
        recorder.assistant(tick, frame);
    }
}
