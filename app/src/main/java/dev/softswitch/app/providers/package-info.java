/**
 * The cloud providers wired into the daemon: their plugins on the RTP pacer's clock, their calls' records through the
 * call record writer, the AudioSocket server on its own port.
 */
@NullMarked
package dev.softswitch.app.providers;

import org.jspecify.annotations.NullMarked;
