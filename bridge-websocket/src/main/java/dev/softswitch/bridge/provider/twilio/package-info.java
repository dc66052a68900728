/**
 * Twilio: {@code X-Twilio-Signature} checks, the TwiML that connects a call's media to us ({@code <Connect><Stream>}
 * with a single-use token as {@code <Parameter>}), the Media Streams messages, status callbacks, and calls placed with
 * {@code Calls.json}. Wire facts: shared/reference/providers.md section 1.
 */
@NullMarked
package dev.softswitch.bridge.provider.twilio;

import org.jspecify.annotations.NullMarked;
