/**
 * The contract between a call and whatever talks on it: an {@link dev.softswitch.assistant.Assistant} gets the
 * call's facts and a {@link dev.softswitch.assistant.MediaPort} (20 ms PCM frames in and out, clear, hang up), and
 * the built-in assistants. Nothing here knows SIP or RTP; audio crosses to the media side through bounded queues.
 */
package dev.softswitch.assistant;
