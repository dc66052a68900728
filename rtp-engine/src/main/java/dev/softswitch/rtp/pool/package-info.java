/** Leases of RTP port pairs (even RTP port, RTCP on the next odd one) so that no two calls share a port. */
package dev.softswitch.rtp.pool;
