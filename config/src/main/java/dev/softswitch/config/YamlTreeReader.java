package dev.softswitch.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML text into a {@link YamlNode} tree with Jackson's streaming YAML parser, keeping each token's location.
 * Duplicate keys and aliases, which Jackson accepts silently, are reported as errors; a syntax error ends the read.
 */
final class YamlTreeReader {

    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

    private final Diagnostics diagnostics;

    private YamlTreeReader(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /**
     * The document's root node, or null when the document is empty (only comments or nothing).
     *
     * @throws SyntaxException when the text is not YAML, or holds more than one document
     */
    static @Nullable YamlNode read(String text, Diagnostics diagnostics) throws SyntaxException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            YamlNode root = new YamlTreeReader(diagnostics).node(parser, first, "");
            if (parser.nextToken() != null) {
                JsonLocation at = parser.currentTokenLocation();
                throw new SyntaxException(
                        at.getLineNr(), at.getColumnNr(), "a second YAML document: the file holds exactly one");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw syntaxError(e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading YAML from a string", e);
        }
    }

    private YamlNode node(JsonParser parser, JsonToken token, String path) throws IOException {
        JsonLocation at = parser.currentTokenLocation();
        int line = at.getLineNr();
        int column = at.getColumnNr();
        return switch (token) {
            case START_OBJECT -> mapping(parser, path, line, column);
            case START_ARRAY -> sequence(parser, path, line, column);
            case VALUE_NUMBER_INT ->
                new YamlNode.Scalar(
                        YamlNode.ScalarType.INTEGER, parser.getText(), parser.getBigIntegerValue(), line, column);
            case VALUE_NUMBER_FLOAT -> scalar(YamlNode.ScalarType.FLOAT, parser.getText(), line, column);
            case VALUE_TRUE, VALUE_FALSE -> scalar(YamlNode.ScalarType.BOOLEAN, parser.getText(), line, column);
            case VALUE_NULL -> scalar(YamlNode.ScalarType.NULL, "", line, column);
            default -> string(parser, path, line, column);
        };
    }

    private YamlNode string(JsonParser parser, String path, int line, int column) throws IOException {
        String text = parser.getText();
        if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            diagnostics.error(
                    line, column, path, "YAML aliases (*" + text + ") are not supported: write the value out");
            return scalar(YamlNode.ScalarType.NULL, "", line, column);
        }
        if (text == null || text.isEmpty()) {
            return scalar(YamlNode.ScalarType.NULL, "", line, column);
        }
        return scalar(YamlNode.ScalarType.STRING, text, line, column);
    }

    private YamlNode.Mapping mapping(JsonParser parser, String path, int line, int column) throws IOException {
        Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            JsonLocation keyAt = parser.currentTokenLocation();
            String key = parser.currentName();
            String field = FieldPath.key(path, key);
            YamlNode value = node(parser, parser.nextToken(), field);
            YamlNode.Entry first = entries.get(key);
            if (first != null) {
                diagnostics.error(
                        keyAt.getLineNr(),
                        keyAt.getColumnNr(),
                        field,
                        "duplicate key (first at line " + first.keyLine() + ")");
            } else {
                entries.put(key, new YamlNode.Entry(key, keyAt.getLineNr(), keyAt.getColumnNr(), value));
            }
        }
        return new YamlNode.Mapping(entries, line, column);
    }

    private YamlNode.Sequence sequence(JsonParser parser, String path, int line, int column) throws IOException {
        List<YamlNode> items = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            items.add(node(parser, token, FieldPath.index(path, items.size())));
        }
        return new YamlNode.Sequence(items, line, column);
    }

    private static YamlNode.Scalar scalar(YamlNode.ScalarType type, String text, int line, int column) {
        return new YamlNode.Scalar(type, text, null, line, column);
    }

    /** SnakeYAML's own marks are more precise than Jackson's location, which is where the parser stopped. */
    private static SyntaxException syntaxError(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            Mark problem = marked.getProblemMark();
            Mark context = marked.getContextMark();
            String message = marked.getProblem();
            if (marked.getContext() != null
                    && context != null
                    && (context.getLine() != problem.getLine() || context.getColumn() != problem.getColumn())) {
                message += " (" + marked.getContext() + " from line " + (context.getLine() + 1) + ", column "
                        + (context.getColumn() + 1) + ")";
            }
            return new SyntaxException(problem.getLine() + 1, problem.getColumn() + 1, message);
        }
        JsonLocation at = e.getLocation();
        String original = e.getOriginalMessage();
        String message =
                original == null ? "not YAML" : original.lines().findFirst().orElse("not YAML");
        return at == null
                ? new SyntaxException(1, 1, message)
                : new SyntaxException(at.getLineNr(), at.getColumnNr(), message);
    }

    /** The text is not YAML; one error, at the parser's position. */
    static final class SyntaxException extends Exception {

        private final int line;
        private final int column;

        SyntaxException(int line, int column, String message) {
            super(message);
            this.line = line;
            this.column = column;
        }

        int line() {
            return line;
        }

        int column() {
            return column;
        }
    }
}
