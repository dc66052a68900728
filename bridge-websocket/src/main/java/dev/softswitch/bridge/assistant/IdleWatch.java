package dev.softswitch.bridge.assistant;

import java.time.Duration;

/**
 * An assistant's {@code idle_timeout}: when neither side has spoken for the timeout, {@link Action#PROMPT} the caller
 * once ("are you still there?"); when the caller stays silent for half the timeout more, {@link Action#HANG_UP}.
 *
 * <p>Speech from either side before the prompt starts the idle period over. After the prompt only the caller's speech
 * does: the assistant speaking then is the prompt itself (the bot's question, or the softswitch's beeps), so it holds
 * the back-off, which runs from the end of that audio, but does not cancel it. Otherwise a bot that answers the
 * prompt, as it should, would keep the call up forever.
 *
 * <p>Pure: the caller feeds it the time with every step (once per turn of the assistant's loop), so tests drive it with
 * a fake clock. Not thread-safe: one per call, used by the call's assistant thread.
 */
final class IdleWatch {

    /** What the assistant does after a step. */
    enum Action {
        /** Nothing: someone is speaking, or the call has not been idle long enough. */
        NONE,
        /** The call has been idle for the timeout: prompt the caller. Once per idle period. */
        PROMPT,
        /** Still idle a back-off after the prompt: hang up. Answered on every later idle step too. */
        HANG_UP
    }

    /** The level below which a frame is not speech: -45 dBFS RMS, well above line noise, well below a quiet voice. */
    static final double SPEECH_DBFS = -45.0;

    /** {@link #SPEECH_DBFS} as an RMS sample value: about 184 of 32767. */
    static final double SPEECH_RMS = Short.MAX_VALUE * Math.pow(10, SPEECH_DBFS / 20);

    private final long timeoutNanos;
    private final long backOffNanos;
    private boolean started;
    private boolean speaking;
    /** The last turn someone spoke (or the first turn): the idle period runs from here. */
    private long quietSince;

    private boolean prompted;
    private long backOffSince;

    /** @param timeout how long a call may be idle before the prompt; zero or negative: never idle */
    IdleWatch(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        this.backOffNanos = timeoutNanos / 2;
    }

    /** False when the timeout was zero or negative: every step answers {@link Action#NONE}. */
    boolean enabled() {
        return timeoutNanos > 0;
    }

    /**
     * One turn of the assistant's loop.
     *
     * @param nowNanos a monotonic time ({@link System#nanoTime()} in production)
     * @param callerSpeaking the caller's last frame was speech ({@link #isSpeech})
     * @param assistantSpeaking audio is being played toward the caller
     */
    Action step(long nowNanos, boolean callerSpeaking, boolean assistantSpeaking) {
        if (timeoutNanos <= 0) {
            return Action.NONE;
        }
        if (!started) {
            started = true;
            quietSince = nowNanos;
        }
        if (callerSpeaking || (assistantSpeaking && !prompted)) {
            speaking = true;
            quietSince = nowNanos;
            prompted = false;
            return Action.NONE;
        }
        speaking = false;
        if (assistantSpeaking) {
            backOffSince = nowNanos; // the prompt is playing: the back-off starts when it ends
            return Action.NONE;
        }
        if (!prompted) {
            if (nowNanos - quietSince < timeoutNanos) {
                return Action.NONE;
            }
            prompted = true;
            backOffSince = nowNanos;
            return Action.PROMPT;
        }
        return nowNanos - backOffSince < backOffNanos ? Action.NONE : Action.HANG_UP;
    }

    /** How long the caller has been silent, in milliseconds, as of {@code nowNanos}; 0 when the call is not idle. */
    long idleMillis(long nowNanos) {
        return started && !speaking ? Duration.ofNanos(nowNanos - quietSince).toMillis() : 0;
    }

    /** Whether a 20 ms frame is speech: its RMS level reaches {@link #SPEECH_DBFS}. */
    static boolean isSpeech(short[] frame) {
        if (frame.length == 0) {
            return false;
        }
        double sum = 0;
        for (short s : frame) {
            sum += (double) s * s;
        }
        return sum >= SPEECH_RMS * SPEECH_RMS * frame.length;
    }
}
