/**
 * Telnyx Call Control: Ed25519-signed JSON webhooks ({@code telnyx-signature-ed25519} over {@code timestamp|body},
 * five minutes' tolerance), an incoming call answered with {@code actions/answer} and a bidirectional RTP-mode stream
 * (PCMU) to our media socket, authenticated by {@code x-telnyx-streaming-auth-token}; media reordered by chunk; calls
 * placed with {@code POST /v2/calls}. Wire facts: shared/reference/providers.md section 5.
 */
@NullMarked
package dev.softswitch.bridge.provider.telnyx;

import org.jspecify.annotations.NullMarked;
