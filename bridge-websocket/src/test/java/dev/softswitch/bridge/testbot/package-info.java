/**
 * A WebSocket server that plays a voice bot, for tests: the softswitch connects to it as it would to a customer's bot,
 * and every message it sends is checked against the wire format of its dialect (Twilio Media Streams as
 * shared/reference/providers.md 1.2 gives it, or the plain audio dialect). Shared with the app module's integration
 * tests through this module's test-jar.
 */
@NullMarked
package dev.softswitch.bridge.testbot;

import org.jspecify.annotations.NullMarked;
