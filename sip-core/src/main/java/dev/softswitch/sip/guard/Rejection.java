package dev.softswitch.sip.guard;

/**
 * The mark on a stand-in request (its application data): the valve answers it with {@code status} and
 * {@code reason} and lets it go no further.
 */
record Rejection(PreParseCheck.Rule rule, int status, String reason) {}
