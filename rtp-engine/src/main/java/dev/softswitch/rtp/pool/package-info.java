/**
 * Leases of RTP port pairs (even RTP port, RTCP on the next odd one) so that no two calls share a port: in memory for
 * one process, or shared through Redis by the instances that bind one address, with leases that expire unless renewed.
 */
package dev.softswitch.rtp.pool;
