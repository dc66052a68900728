/**
 * A WebSocket server that plays the OpenAI Realtime API (GA interface, shared/reference/providers.md 7.1) for tests:
 * it checks the upgrade (path, bearer key, model) and every client event, and lets a test speak as the model. Its
 * checks are written from the reference, not from the adapter they test.
 */
@NullMarked
package dev.softswitch.bridge.testbot.openai;

import org.jspecify.annotations.NullMarked;
