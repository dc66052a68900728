/**
 * Audio codecs and PCM helpers as pure static functions over arrays: no I/O, no threads, no clock.
 * Everything here is tested against golden files made by an independent implementation (sox).
 */
@NullMarked
package dev.softswitch.codecs;

import org.jspecify.annotations.NullMarked;
