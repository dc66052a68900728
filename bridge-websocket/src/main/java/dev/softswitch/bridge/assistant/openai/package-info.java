/**
 * The OpenAI Realtime API (GA interface, shared/reference/providers.md 7.1) as a bot dialect: the call talks to the
 * model directly, G.711 calls in G.711 and wideband calls in 24 kHz PCM, with barge-in answered by truncating what the
 * caller did not hear.
 */
@NullMarked
package dev.softswitch.bridge.assistant.openai;

import org.jspecify.annotations.NullMarked;
