/**
 * Call records: one JSON line per ended call, appended to a file ({@code data/calls.jsonl} by default) by a single
 * background thread, so that SIP stack threads hand a record over without ever waiting on the disk.
 */
@NullMarked
package dev.softswitch.app.records;

import org.jspecify.annotations.NullMarked;
