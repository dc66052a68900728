/**
 * One call's media: a UDP socket that decodes what the caller sends into 20 ms PCM frames for the assistant, and
 * encodes what the assistant queued into RTP on each pacer tick.
 */
package dev.softswitch.rtp.session;
