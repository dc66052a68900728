package dev.softswitch.bridge.testbot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softswitch.codecs.G711;
import java.util.Base64;
import java.util.List;

/**
 * What a bot sends, built exactly: Twilio's three server messages (providers.md 1.3, field order as there: event,
 * streamSid, body) and the audio dialect's control messages. Pure functions, no channel.
 */
final class BotMessages {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BotMessages() {}

    /** {@code {"event":"media","streamSid":..,"media":{"payload":base64 mu-law}}}. */
    static String twilioMedia(String streamSid, short[] pcm) {
        byte[] ulaw = new byte[pcm.length];
        G711.encodeUlaw(pcm, 0, ulaw, 0, pcm.length);
        return twilioMediaPayload(streamSid, Base64.getEncoder().encodeToString(ulaw));
    }

    /** A media message carrying {@code payload} as it is (an echo). */
    static String twilioMediaPayload(String streamSid, String payload) {
        ObjectNode media = twilio("media", streamSid);
        media.putObject("media").put("payload", payload);
        return media.toString();
    }

    static String twilioMark(String streamSid, String name) {
        ObjectNode mark = twilio("mark", streamSid);
        mark.putObject("mark").put("name", name);
        return mark.toString();
    }

    static String twilioClear(String streamSid) {
        return twilio("clear", streamSid).toString();
    }

    /** {@code {"type":type}}. */
    static String audio(String type) {
        return JSON.createObjectNode().put("type", type).toString();
    }

    /** {@code {"type":type, field:value}}. */
    static String audio(String type, String field, String value) {
        return JSON.createObjectNode().put("type", type).put(field, value).toString();
    }

    /**
     * The messages' {@code key} values in order, repeats folded: {@code [connected, start, media x50, stop]}. For
     * failure messages that would be unreadable with every payload in them.
     */
    static String summary(List<JsonNode> messages, String key) {
        StringBuilder out = new StringBuilder("[");
        int i = 0;
        while (i < messages.size()) {
            String name = messages.get(i).path(key).asText("?");
            int run = 1;
            while (i + run < messages.size()
                    && messages.get(i + run).path(key).asText("?").equals(name)) {
                run++;
            }
            out.append(out.length() > 1 ? ", " : "").append(name).append(run > 1 ? " x" + run : "");
            i += run;
        }
        return out.append(']').toString();
    }

    private static ObjectNode twilio(String event, String streamSid) {
        return JSON.createObjectNode().put("event", event).put("streamSid", streamSid);
    }
}
