package dev.softswitch.sip;

import dev.softswitch.assistant.recording.CallRecorder;
import dev.softswitch.rtp.session.MediaTap;

/** Feeds a call's audio to its recorder: the far end (caller or callee) on the left, the assistant on the right. */
record RecorderTap(CallRecorder recorder) implements MediaTap {
    @Override
    public void heard(long tick, short[] frame) {
        recorder.caller(tick, frame);
    }

    @Override
    public void said(long tick, short[] frame) {
        recorder.assistant(tick, frame);
    }
}
