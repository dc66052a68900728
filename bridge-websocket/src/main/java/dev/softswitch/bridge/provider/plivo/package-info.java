/**
 * Plivo Audio Streaming: {@code X-Plivo-Signature-V3} checks (HMAC-SHA256 with a nonce, accepted once), the answer XML
 * {@code <Stream bidirectional="true">} with the call's token in {@code extraHeaders}, the stream's messages
 * ({@code playAudio}, {@code checkpoint}/{@code playedStream}, {@code clearAudio}), and calls placed with
 * {@code POST /v1/Account/{id}/Call/}. Wire facts: shared/reference/providers.md section 4.
 */
@NullMarked
package dev.softswitch.bridge.provider.plivo;

import org.jspecify.annotations.NullMarked;
