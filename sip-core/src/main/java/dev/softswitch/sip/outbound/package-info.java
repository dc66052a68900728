/**
 * Toll-fraud caps on the calls the softswitch places: per trunk, how many may be up at once, how many may start in a
 * minute, and which number prefixes they may dial. Every placed call passes {@link OutboundGuard} before its INVITE is
 * built; {@code docs/security.md} says what it stops and what it does not.
 */
@NullMarked
package dev.softswitch.sip.outbound;

import org.jspecify.annotations.NullMarked;
