/**
 * The registrar: where configured PBX users' phones and PBXs say they can be reached (RFC 3261 section 10.3),
 * kept in memory with expiry. Pure: time is passed in, no SIP types.
 */
@NullMarked
package dev.softswitch.sip.registrar;

import org.jspecify.annotations.NullMarked;
