package dev.softswitch.bridge.provider;

import dev.softswitch.bridge.assistant.BotProtocolException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One media socket's wire format: the provider's messages into {@link StreamEvent}s, and our audio and controls into
 * the provider's messages. Messages out are {@code String} (a text frame) or {@code byte[]} (a binary frame, or raw
 * bytes on a TCP stream). One instance per socket, used on its event loop only, so it keeps its counters without
 * locks. Pure: no socket, no clock.
 */
public interface StreamCodec {

    /** The events of a text message; a message that breaks the provider's format throws (1007/1008). */
    List<StreamEvent> onText(String text) throws BotProtocolException;

    /** The events of a binary message. */
    List<StreamEvent> onBinary(byte[] data) throws BotProtocolException;

    /** The messages that carry one 20 ms frame of our audio at the stream's rate (none while the codec batches). */
    List<Object> media(short[] frame);

    /** What the codec holds back (a batching codec's partial chunk), sent now. */
    default List<Object> flush() {
        return List.of();
    }

    /** The message that asks to be told when the audio sent so far has played, or null when there is none. */
    @Nullable
    Object mark(String name);

    /** The message that drops the audio the provider has buffered, or null when there is none. */
    @Nullable
    Object clear();

    /** The last message before we close because the assistant hung up, or null. */
    default @Nullable Object hangup() {
        return null;
    }
}
