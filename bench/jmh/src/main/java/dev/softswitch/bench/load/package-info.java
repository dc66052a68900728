/**
 * The echo load generator of {@code bench/media.sh}: places N calls over UDP with a minimal SIP user agent (INVITE, ACK,
 * BYE), streams 20 ms PCMU both ways on each, and measures what comes back: the echo's delay per packet, loss, the
 * spacing of the echoed stream, and the server's CPU and pacing over a steady window.
 */
@NullMarked
package dev.softswitch.bench.load;

import org.jspecify.annotations.NullMarked;
