package dev.softswitch.app.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softswitch.sip.DialStatus;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** The JSON the API answers with: a call's state, and an error naming its field. */
final class CallJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private CallJson() {}

    /**
     * {@code {"id","to","trunk","assistant","status","outcome","sip_status","detail","started","answered","ended",
     * "duration_s"}}: {@code status} is {@code trying}, {@code ringing}, {@code early media}, {@code answered} or
     * {@code ended}; {@code outcome} is null until ended; {@code sip_status} null before any response;
     * {@code duration_s} the talk time so far.
     */
    static ObjectNode call(ApiCallStore.ApiCall call, Instant now) {
        DialStatus s = call.call().status();
        ObjectNode json = NODES.objectNode();
        json.put("id", call.id());
        json.put("to", call.to());
        json.put("trunk", call.trunk());
        json.put("assistant", call.assistant());
        json.put("status", s.phase().label());
        json.put("outcome", s.outcome() == null ? null : s.outcome().label());
        if (s.sipStatus() == 0) {
            json.putNull("sip_status");
        } else {
            json.put("sip_status", s.sipStatus());
        }
        json.put("detail", s.detail());
        json.put("started", s.started().toString());
        json.put("answered", instant(s.answered()));
        json.put("ended", instant(s.ended()));
        json.put("duration_s", s.talkTime(now).toMillis() / 1000.0);
        return json;
    }

    /** {@code {"id","status","url"}}: the answer to the POST that placed it. */
    static ObjectNode placed(PlacedCall call, String url) {
        ObjectNode json = NODES.objectNode();
        json.put("id", call.id());
        json.put("status", call.status().phase().label());
        json.put("url", url);
        return json;
    }

    /** {@code {"error": message, "field": field}}, without {@code field} when none is at fault. */
    static ObjectNode error(String message, @Nullable String field) {
        ObjectNode json = NODES.objectNode();
        json.put("error", message);
        if (field != null) {
            json.put("field", field);
        }
        return json;
    }

    private static @Nullable String instant(@Nullable Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
