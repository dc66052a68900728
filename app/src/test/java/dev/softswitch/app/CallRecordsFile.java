package dev.softswitch.app;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The call records a test's softswitch writes ({@code calls.jsonl}), read as the tests need them. */
final class CallRecordsFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    CallRecordsFile(Path file) {
        this.file = file;
    }

    /** The records of calls to {@code assistant}, oldest first. */
    List<JsonNode> of(String assistant) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file).stream()
                .map(line -> {
                    try {
                        return JSON.readTree(line);
                    } catch (IOException e) {
                        throw new UncheckedIOException(line, e);
                    }
                })
                .filter(r -> assistant.equals(r.path("assistant").asText()))
                .toList();
    }

    /** The record of the next call to {@code assistant} after the {@code before} there were, once it is written. */
    JsonNode awaitNext(String assistant, int before, Duration limit) throws IOException {
        await().atMost(limit).until(() -> of(assistant).size() > before);
        List<JsonNode> records = of(assistant);
        return records.get(records.size() - 1);
    }
}
