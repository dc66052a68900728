/**
 * Assistants that live behind a WebSocket: the client that connects a call to a bot, one small adapter per dialect
 * (Twilio Media Streams, the plain audio dialect, OpenAI Realtime), and the media streams that cloud providers open
 * toward us.
 */
@NullMarked
package dev.softswitch.bridge;

import org.jspecify.annotations.NullMarked;
