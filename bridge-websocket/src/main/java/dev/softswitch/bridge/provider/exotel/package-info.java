/**
 * Exotel Voicebot: the applet's dynamic URL answered with {@code {"url": "wss://..."}} (the call's token as a query
 * parameter, which Exotel echoes in {@code start.custom_parameters}), the stream's snake_case messages with base64
 * 16-bit PCM at 8 kHz, our audio sent in chunks of whole 20 ms frames of at least 3.2 KB, and calls placed with the
 * AgentStream {@code calls/connect} API. Exotel documents no webhook signature: requests are checked with HTTP Basic
 * (API key and token) where they carry it. Wire facts: shared/reference/providers.md section 3.
 */
@NullMarked
package dev.softswitch.bridge.provider.exotel;

import org.jspecify.annotations.NullMarked;
