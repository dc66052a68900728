/**
 * The media engine: RTP on Netty UDP. {@link dev.softswitch.rtp.MediaEngine} owns the event loops, the port pool and
 * the shared 20 ms pacer, and opens one {@link dev.softswitch.rtp.session.MediaSession} per call.
 */
package dev.softswitch.rtp;
