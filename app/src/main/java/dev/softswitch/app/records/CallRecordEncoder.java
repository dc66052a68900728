package dev.softswitch.app.records;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.softswitch.sip.call.CallRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A {@link CallRecord} as one line of JSON: snake_case keys in a fixed order, times as ISO-8601 UTC strings, null
 * fields left out, ending with {@code '\n'}. Pure: no file, no clock.
 *
 * <pre>{@code
 * {"call_id":"c-1","sip_call_id":"...","direction":"inbound","from":"sip:...","to":"sip:...","trunk":"carrier",
 *  "assistant":"support","codec":"PCMU","started":"2025-03-01T10:00:00Z","answered":"2025-03-01T10:00:01.500Z",
 *  "ended":"2025-03-01T10:01:01.500Z","duration_ms":60000,"ended_by":"caller","reason":"caller_bye",
 *  "detail":"...","sip_status":200,"rtp":{"packets_sent":3000,"packets_received":2998,"packets_lost":2,
 *  "jitter_ms":1.25,"rtt_ms":42.5},"jitter_buffer":{"delay_ms":30,"late":1,"lost":2,"stretched":1,"merged":3,
 *  "reordered":1,"duplicates":0,"resets":0},"dtmf_count":3,"recording":"data/recordings/c-1.wav"}
 * }</pre>
 */
final class CallRecordEncoder {

    private static final JsonFactory JSON = new JsonFactory();

    private CallRecordEncoder() {}

    /** The record's line, UTF-8, with its trailing newline. */
    static byte[] encodeLine(CallRecord record) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (JsonGenerator json = JSON.createGenerator(bytes, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("call_id", record.callId());
            json.writeStringField("sip_call_id", record.sipCallId());
            json.writeStringField("direction", record.direction().label());
            json.writeStringField("from", record.from());
            json.writeStringField("to", record.to());
            optional(json, "trunk", record.trunk());
            optional(json, "assistant", record.assistant());
            optional(json, "codec", record.codec());
            json.writeStringField("started", record.started().toString());
            optional(json, "answered", record.answered());
            json.writeStringField("ended", record.ended().toString());
            json.writeNumberField("duration_ms", record.durationMillis());
            json.writeStringField("ended_by", record.endedBy().label());
            json.writeStringField("reason", record.reason());
            optional(json, "detail", record.detail());
            json.writeNumberField("sip_status", record.sipStatus());
            CallRecord.RtpStats rtp = record.rtp();
            if (rtp != null) {
                json.writeObjectFieldStart("rtp");
                json.writeNumberField("packets_sent", rtp.packetsSent());
                json.writeNumberField("packets_received", rtp.packetsReceived());
                json.writeNumberField("packets_lost", rtp.packetsLost());
                json.writeNumberField("jitter_ms", rtp.jitterMillis());
                if (rtp.hasRtt()) {
                    json.writeNumberField("rtt_ms", rtp.rttMillis());
                }
                json.writeEndObject();
            }
            CallRecord.JitterBufferStats jitter = record.jitterBuffer();
            if (jitter != null) {
                json.writeObjectFieldStart("jitter_buffer");
                json.writeNumberField("delay_ms", jitter.delayMillis());
                json.writeNumberField("late", jitter.late());
                json.writeNumberField("lost", jitter.lost());
                json.writeNumberField("stretched", jitter.stretched());
                json.writeNumberField("merged", jitter.merged());
                json.writeNumberField("reordered", jitter.reordered());
                json.writeNumberField("duplicates", jitter.duplicates());
                json.writeNumberField("resets", jitter.resets());
                json.writeEndObject();
            }
            json.writeNumberField("dtmf_count", record.dtmfCount());
            optional(json, "recording", record.recording());
            json.writeEndObject();
        } catch (IOException e) {
            // a ByteArrayOutputStream does not fail; only a bug in the generator could get here
            throw new UncheckedIOException("cannot encode call record " + record.callId(), e);
        }
        bytes.write('\n');
        return bytes.toByteArray();
    }

    private static void optional(JsonGenerator json, String name, @Nullable String value) throws IOException {
        if (value != null) {
            json.writeStringField(name, value);
        }
    }

    private static void optional(JsonGenerator json, String name, @Nullable Instant value) throws IOException {
        if (value != null) {
            json.writeStringField(name, value.toString());
        }
    }
}
