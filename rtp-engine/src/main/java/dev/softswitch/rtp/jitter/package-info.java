/**
 * An adaptive jitter buffer for one call's inbound audio: decoded 20 ms frames go in as they arrive, in any order, and
 * come out one per 20 ms tick in sequence order, with lost frames concealed. Pure: the caller passes the time in, so
 * there are no threads, sockets or clock reads here.
 */
@NullMarked
package dev.softswitch.rtp.jitter;

import org.jspecify.annotations.NullMarked;
