package dev.softswitch.bridge.assistant;

/** What a bot's messages may do to its call. Called on the bot socket's event loop; nothing here blocks. */
public interface BotActions {

    /** Queues audio toward the caller: PCM at the dialect's rate, any whole number of samples. */
    void play(short[] samples);

    /** Places a mark after the audio queued so far; the dialect hears back through {@link BotDialect#markReached}. */
    void mark(String name);

    /** Drops the audio queued toward the caller (barge-in). */
    void clear();

    /** Ends the call. */
    void hangup(String reason);

    /** Sends keys to the caller: RFC 4733 telephone-events when negotiated, else tones in the audio. */
    void sendDigits(String digits);

    /** Sends a message back to the bot (an answer some dialects owe to what the bot said). */
    void reply(String message);

    /** Transfers the caller to {@code target} (a SIP URI or a number). */
    void transfer(String target);
}
