package dev.softswitch.bridge.assistant.twilio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softswitch.assistant.CallFacts;
import dev.softswitch.assistant.DtmfEvent;
import dev.softswitch.bridge.assistant.BotActions;
import dev.softswitch.bridge.assistant.BotDialect;
import dev.softswitch.bridge.assistant.BotProtocolException;
import dev.softswitch.bridge.assistant.Json;
import dev.softswitch.bridge.assistant.WireAudio;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Twilio Media Streams, as a bidirectional {@code <Connect><Stream>} speaks it: we play Twilio, so a bot written for
 * Twilio answers SIP calls unchanged. Wire facts (shared/reference/providers.md 1.2, 1.3): JSON text frames only;
 * {@code sequenceNumber}, {@code chunk} and {@code timestamp} are strings; every message after {@code connected}
 * carries the {@code streamSid}; audio is base64 mu-law at 8 kHz both ways, the bot's of any length.
 *
 * <p>One difference from Twilio, on purpose: a {@code mark} comes back only when the audio before it has been sent to
 * the caller. After a {@code clear}, Twilio returns every outstanding mark at once, and so do we.
 */
public final class TwilioDialect implements BotDialect {

    private static final Logger log = LoggerFactory.getLogger(TwilioDialect.class);

    private final Map<String, String> parameters;
    private String streamSid = "";
    private String callSid = "";
    private String accountSid = "";
    private long sequence;
    private long chunk;

    /** @param parameters the assistant's configured parameters, sent as {@code customParameters} */
    public TwilioDialect(Map<String, String> parameters) {
        this.parameters = Map.copyOf(parameters);
    }

    @Override
    public int sampleRate() {
        return 8000;
    }

    @Override
    public List<Object> start(CallFacts call, @Nullable String greeting) {
        String digest = sha256Hex(call.callId());
        streamSid = "MZ" + digest.substring(0, 32);
        callSid = "CA" + digest.substring(32, 64);
        accountSid = "AC" + sha256Hex("softswitch").substring(0, 32);
        ObjectNode connected =
                Json.object().put("event", "connected").put("protocol", "Call").put("version", "1.0.0");

        ObjectNode custom = Json.object();
        custom.put("From", call.from());
        custom.put("To", call.to());
        custom.put("Direction", call.direction());
        if (greeting != null) {
            custom.put("greeting", greeting);
        }
        call.variables().forEach(custom::put);
        parameters.forEach(custom::put);
        ObjectNode start = message("start");
        ObjectNode body = start.putObject("start");
        body.put("accountSid", accountSid).put("streamSid", streamSid).put("callSid", callSid);
        body.putArray("tracks").add("inbound");
        body.putObject("mediaFormat")
                .put("encoding", "audio/x-mulaw")
                .put("sampleRate", 8000)
                .put("channels", 1);
        body.set("customParameters", custom);
        start.put("streamSid", streamSid);
        return List.of(Json.write(connected), Json.write(start));
    }

    @Override
    public Object media(short[] frame) {
        long n = ++chunk;
        ObjectNode media = message("media");
        media.putObject("media")
                .put("track", "inbound")
                .put("chunk", Long.toString(n))
                .put("timestamp", Long.toString((n - 1) * 20))
                .put("payload", WireAudio.ulawBase64(frame));
        media.put("streamSid", streamSid);
        return Json.write(media);
    }

    @Override
    public String dtmf(DtmfEvent key) {
        ObjectNode dtmf = message("dtmf");
        dtmf.put("streamSid", streamSid);
        dtmf.putObject("dtmf").put("track", "inbound_track").put("digit", String.valueOf(key.digit()));
        return Json.write(dtmf);
    }

    @Override
    public @Nullable String text(String text) {
        return null; // Media Streams has no message for it
    }

    /** Media Streams has no such event: the softswitch plays its prompt tone instead. */
    @Override
    public @Nullable String idle(long idleMillis) {
        return null;
    }

    @Override
    public String markReached(String name, boolean played) {
        ObjectNode mark = message("mark");
        mark.put("streamSid", streamSid);
        mark.putObject("mark").put("name", name);
        return Json.write(mark);
    }

    @Override
    public String stop(String reason) {
        ObjectNode stop = message("stop");
        stop.putObject("stop").put("accountSid", accountSid).put("callSid", callSid);
        stop.put("streamSid", streamSid);
        return Json.write(stop);
    }

    @Override
    public void onText(String message, BotActions actions) throws BotProtocolException {
        JsonNode node = Json.parseObject(message);
        String event = Json.text(node, "event");
        switch (event) {
            case "media" -> {
                actions.play(WireAudio.fromUlawBase64(Json.text(node, "media.payload"), "media.payload"));
            }
            case "mark" -> actions.mark(Json.text(node, "mark.name"));
            case "clear" -> actions.clear();
            default -> log.debug("bot sent event \"{}\", which Media Streams does not define: ignored", event);
        }
    }

    @Override
    public void onBinary(byte[] data, BotActions actions) throws BotProtocolException {
        throw BotProtocolException.violation("Twilio Media Streams carries JSON text frames only, not binary");
    }

    /** A message with its event and the next sequence number (a string, from 1). */
    private ObjectNode message(String event) {
        return Json.object().put("event", event).put("sequenceNumber", Long.toString(++sequence));
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
