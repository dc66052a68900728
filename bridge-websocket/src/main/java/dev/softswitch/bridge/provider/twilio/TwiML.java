package dev.softswitch.bridge.provider.twilio;

import java.net.URI;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The TwiML we answer with (providers.md 1.1): {@code <Connect><Stream>}, bidirectional, its URL without a query string
 * (Twilio refuses one: error 31920) and everything the stream needs as {@code <Parameter>}s. Pure.
 */
final class TwiML {

    static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

    private TwiML() {}

    /** {@code <Response><Connect><Stream url=...>} with its parameters, without the XML declaration. */
    static String connectStream(URI media, @Nullable URI statusCallback, Map<String, String> parameters) {
        StringBuilder xml = new StringBuilder("<Response><Connect><Stream url=\"")
                .append(escape(media.toString()))
                .append('"');
        if (statusCallback != null) {
            xml.append(" statusCallback=\"")
                    .append(escape(statusCallback.toString()))
                    .append("\" statusCallbackMethod=\"POST\"");
        }
        xml.append('>');
        parameters.forEach((name, value) -> xml.append("<Parameter name=\"")
                .append(escape(name))
                .append("\" value=\"")
                .append(escape(value))
                .append("\"/>"));
        return xml.append("</Stream></Connect></Response>").toString();
    }

    /** The answer for a number no assistant answers: the call is rejected (the caller hears it not connect). */
    static String reject() {
        return DECLARATION + "<Response><Reject reason=\"rejected\"/></Response>\n";
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
