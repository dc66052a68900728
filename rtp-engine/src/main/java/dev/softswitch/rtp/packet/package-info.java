/**
 * RTP and RTCP packets (RFC 3550) read and written in place over a byte array: no per-packet objects on the RTP hot
 * path; parsed RTCP (every few seconds) becomes small immutable values.
 */
package dev.softswitch.rtp.packet;
