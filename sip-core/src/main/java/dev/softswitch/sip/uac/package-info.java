/**
 * The client side of registration (RFC 3261 10.2): keeping our own REGISTER bindings alive at the carriers we place
 * calls through, so that they send us inbound calls. {@link dev.softswitch.sip.uac.RegistrationMachine} is the pure
 * state machine of one binding (time passed in, no SIP types); the server's registrar for PBX users is elsewhere
 * ({@code ..registrar}).
 */
package dev.softswitch.sip.uac;
