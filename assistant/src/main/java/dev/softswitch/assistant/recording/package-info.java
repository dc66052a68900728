/**
 * Call recording: one stereo 16-bit WAV per call, the caller on the left and the assistant on the right, placed by
 * pacer tick so that the two directions line up. The media threads only copy frames into a bounded queue; a writer
 * thread of the recorder's own does the alignment and the file I/O.
 */
@NullMarked
package dev.softswitch.assistant.recording;

import org.jspecify.annotations.NullMarked;
