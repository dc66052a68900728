/**
 * The Session Description Protocol as an endpoint that answers and places audio calls needs it: immutable records for
 * a session description, a strict parser and a writer for its RFC 8866 text form, and RFC 3264 offer/answer
 * negotiation (answering an offer, making one and reading its answer) that agrees one codec, telephone-event, the
 * packet time and the direction. Everything here is a pure function of its arguments (no I/O, no threads, no clock), so
 * the SIP layer can call it on any thread and test it with plain text.
 */
@NullMarked
package dev.softswitch.sdp;

import org.jspecify.annotations.NullMarked;
