/**
 * Vonage Voice API: signed webhooks (an HS256 JWT in {@code Authorization: Bearer}, its {@code payload_hash} the
 * body's SHA-256), the NCCO that connects a call to our WebSocket (16-bit linear PCM, one 20 ms binary frame per
 * message), {@code notify} and {@code clear}, and calls placed with {@code POST /v1/calls} under an RS256 application
 * JWT. Wire facts: shared/reference/providers.md section 2.
 */
@NullMarked
package dev.softswitch.bridge.provider.vonage;

import org.jspecify.annotations.NullMarked;
