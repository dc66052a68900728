/**
 * JMH benchmarks of the per-frame and per-message hot paths: codecs, resampling, the RTP packet view, SDP offer/answer
 * and the SIP pre-parse check. Each operation is one 20 ms frame or one message, so the scores read as ns per frame.
 */
@NullMarked
package dev.softswitch.bench.jmh;

import org.jspecify.annotations.NullMarked;
