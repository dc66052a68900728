package dev.softswitch.assistant;

/**
 * Something that talks on a call. {@link #run} is called once per call on a thread of its own and returns when the
 * assistant is done: either the port closed (the caller hung up) or the assistant called {@link MediaPort#hangup}.
 * Returning while the port is still open ends the call, as does throwing.
 */
public interface Assistant {

    /** The id that routes calls to this assistant, e.g. {@code echo}. */
    String id();

    /** Talks on one call until it ends. */
    void run(CallFacts call, MediaPort port) throws Exception;
}
