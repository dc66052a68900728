package dev.softswitch.bridge.provider;

import dev.softswitch.assistant.AssistantDirectory;
import java.util.concurrent.ExecutorService;

/**
 * What every media session shares.
 *
 * @param assistants the assistants calls are routed to
 * @param tokens the call contexts waiting for their streams
 * @param calls the provider calls in progress, and where their records go
 * @param ticker the 20 ms clock that paces audio toward the providers
 * @param executor where assistants run (virtual threads)
 */
public record MediaServices(
        AssistantDirectory assistants,
        CallTokens tokens,
        ProviderCalls calls,
        Ticker ticker,
        ExecutorService executor) {}
