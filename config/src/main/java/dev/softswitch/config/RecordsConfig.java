package dev.softswitch.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the softswitch keeps what outlives a call ({@code records:}). Relative paths are relative to the directory the
 * softswitch runs in.
 *
 * @param calls the JSON-lines file that gets one line per ended call
 * @param recordings the directory for the WAV recordings of assistants with {@code record: true}
 */
public record RecordsConfig(Path calls, Path recordings) {

    public static final RecordsConfig DEFAULTS =
            new RecordsConfig(Path.of("data", "calls.jsonl"), Path.of("data", "recordings"));

    public RecordsConfig {
        Objects.requireNonNull(calls, "calls");
        Objects.requireNonNull(recordings, "recordings");
    }
}
