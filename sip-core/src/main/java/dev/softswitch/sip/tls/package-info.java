/**
 * SIP over TLS (RFC 3261 26.2): the key, trust and handshake rules ({@link dev.softswitch.sip.tls.SipTls}), and the
 * network layer the JAIN-SIP stack makes its TLS sockets with. Handshakes run on our own threads with a deadline, so a
 * client that connects and says nothing, or fails its handshake, never reaches the stack (whose own handshake path
 * leaks a connection slot per failure).
 */
@NullMarked
package dev.softswitch.sip.tls;

import org.jspecify.annotations.NullMarked;
