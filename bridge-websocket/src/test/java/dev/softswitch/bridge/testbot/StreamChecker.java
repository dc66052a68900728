package dev.softswitch.bridge.testbot;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The wire rules of one dialect, checked message by message. Confined to the session's event loop. Each call returns
 * the violations the message adds, as sentences that name the message ({@code message #3 (media)}: its index in
 * {@link BotSession#received()}, or {@code binary frame #0}) and the rule broken.
 */
interface StreamChecker {

    /** A text frame; {@code message} is a JSON object, or a text node holding text that did not parse as one. */
    List<String> onText(JsonNode message);

    /** A binary frame of {@code length} bytes. */
    List<String> onBinary(int length);
}
