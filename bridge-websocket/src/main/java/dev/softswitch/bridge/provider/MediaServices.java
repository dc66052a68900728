package dev.softswitch.bridge.provider;

import dev.softswitch.assistant.AssistantDirectory;
import dev.softswitch.bridge.client.StallWatch;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

/**
 * What every media session shares.
 *
 * @param assistants the assistants calls are routed to
 * @param tokens the call contexts waiting for their streams
 * @param calls the provider calls in progress, and where their records go
 * @param ticker the 20 ms clock that paces audio toward the providers
 * @param executor where assistants run (virtual threads)
 * @param stallTimeout how long a provider may leave what we send unread before its call ends; zero: never
 */
public record MediaServices(
        AssistantDirectory assistants,
        CallTokens tokens,
        ProviderCalls calls,
        Ticker ticker,
        ExecutorService executor,
        Duration stallTimeout) {

    /** With the default stall timeout ({@link StallWatch#DEFAULT_LIMIT}). */
    public MediaServices(
            AssistantDirectory assistants,
            CallTokens tokens,
            ProviderCalls calls,
            Ticker ticker,
            ExecutorService executor) {
        this(assistants, tokens, calls, ticker, executor, StallWatch.DEFAULT_LIMIT);
    }
}
