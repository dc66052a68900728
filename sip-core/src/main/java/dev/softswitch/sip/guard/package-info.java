/**
 * The SIP side's defences against hostile input: a strict pre-parse check in front of the stack's parser, a valve that
 * answers refused requests statelessly and drops floods, banned addresses and scanners before any transaction exists,
 * and a listener wrapper that keeps errors from killing stack threads. {@code docs/security.md} says what each stops.
 */
@NullMarked
package dev.softswitch.sip.guard;

import org.jspecify.annotations.NullMarked;
