/** The one clock that sends every call's outbound audio: a single thread ticking each 20 ms against absolute deadlines. */
package dev.softswitch.rtp.pacer;
