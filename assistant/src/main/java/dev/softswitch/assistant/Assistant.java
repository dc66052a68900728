package dev.softswitch.assistant;

/**
 * Something that talks on a call. {@link #run} is called once per call on a thread of its own and returns when the
 * assistant is done: either the port closed (the caller hung up) or the assistant called {@link MediaPort#hangup}.
 * Returning while the port is still open ends the call, as does throwing.
 */
public interface Assistant {

    /** The id that routes calls to this assistant, e.g. {@code echo}. */
    String id();

    /**
     * The rate, in Hz, of the frames this assistant wants to read and write on a call whose codec runs at
     * {@code callRate}: 8000, 16000, 24000 or 48000. The port resamples once, at the boundary, when the two differ. By
     * default the call's own rate, so nothing is resampled.
     */
    default int sampleRate(int callRate) {
        return callRate;
    }

    /**
     * How many 20 ms frames may wait toward the caller. A few (the default, 200 ms) for an assistant that writes in
     * real time, so that {@link MediaPort#write} paces it; many for one whose audio arrives in bursts ahead of real
     * time, such as a bot behind a WebSocket.
     */
    default int playoutFrames() {
        return QueueMediaPort.DEFAULT_TO_CALLER_FRAMES;
    }

    /** Talks on one call until it ends. */
    void run(CallFacts call, MediaPort port) throws Exception;
}
