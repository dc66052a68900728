package dev.softswitch.bridge.assistant;

import dev.softswitch.assistant.CallFacts;
import dev.softswitch.assistant.DtmfEvent;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One wire protocol between a call and a bot: what we send (start, audio, keys, marks reached, stop) and what the
 * bot's messages mean. One instance per call; every method runs on the bot socket's event loop, so an adapter keeps
 * its counters without locks. Messages out are JSON text ({@code String}) or binary ({@code byte[]}).
 *
 * <p>Audio is 16-bit PCM at {@link #sampleRate()} both ways; the adapter turns it into its wire encoding.
 */
public interface BotDialect {

    /** The rate of the PCM this dialect carries, in Hz. */
    int sampleRate();

    /** The messages that open a call, in order. */
    List<Object> start(CallFacts call, @Nullable String greeting);

    /** One 20 ms frame of the caller's audio. */
    Object media(short[] frame);

    /** A key the caller pressed, or null when the dialect has no way to say it. */
    @Nullable
    String dtmf(DtmfEvent key);

    /** A text the caller sent (SIP MESSAGE), or null when the dialect has no way to say it. */
    @Nullable
    String text(String text);

    /**
     * A mark the bot placed was reached: the audio before it was sent to the caller ({@code played}), or it was
     * dropped by a clear or the end of the call. Null when the bot is not to be told.
     */
    @Nullable
    String markReached(String name, boolean played);

    /**
     * The call has been idle (neither side speaking) for {@code idleMillis}: a message asking the bot to prompt the
     * caller ("Are you still there?"), or null when the dialect has no way to say it; the softswitch then plays a
     * short prompt tone itself. The call ends if it stays idle for half as long again.
     */
    default @Nullable String idle(long idleMillis) {
        return null;
    }

    /** The last message before we close the socket (the call ended), or null. */
    @Nullable
    String stop(String reason);

    /** A text frame from the bot. */
    void onText(String message, BotActions actions) throws BotProtocolException;

    /** A binary frame from the bot. */
    void onBinary(byte[] data, BotActions actions) throws BotProtocolException;

    /** A transfer the bot asked for did not happen (the call goes on); null when the dialect cannot say so. */
    default @Nullable String transferFailed(String target, String reason) {
        return null;
    }
}
