/**
 * SIP digest authentication (RFC 3261 22.4 over RFC 2617, RFC 7616 and RFC 8760): challenges to send, credentials to
 * parse, stateless expiring nonces with replay protection, and the verifier that turns them into an outcome. It works
 * on header value strings and plain values only, so the JAIN-SIP adapter calls it and no {@code javax.sip} type enters.
 */
@org.jspecify.annotations.NullMarked
package dev.softswitch.sip.auth;
