/**
 * Audio codecs, resampling and PCM helpers as pure static functions over arrays, or small stateful
 * objects where the algorithm carries history (G.722, the resampler): no I/O, no threads, no clock.
 * The codecs are tested against golden files made by independent implementations (sox for G.711,
 * spandsp and ffmpeg for G.722).
 */
@NullMarked
package dev.softswitch.codecs;

import org.jspecify.annotations.NullMarked;
