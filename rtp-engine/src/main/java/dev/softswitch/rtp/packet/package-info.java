/** RTP packets (RFC 3550) read and written in place over a byte array: no per-packet objects on the hot path. */
package dev.softswitch.rtp.packet;
