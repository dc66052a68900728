/**
 * Asterisk AudioSocket (providers.md section 6): a TCP server, not a WebSocket. Asterisk connects, sends the call's UUID
 * (kind 0x01), then signed linear audio (0x10 at 8 kHz, 0x11-0x18 at the higher rates) and keys (0x03); we send audio
 * of the same kind back at real time, and hang up with 0x00. The UUID claims a stored call context, or is routed by
 * the configuration.
 */
@NullMarked
package dev.softswitch.bridge.provider.audiosocket;

import org.jspecify.annotations.NullMarked;
