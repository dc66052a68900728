package dev.softswitch.sip;

import java.text.ParseException;
import java.util.List;
import javax.sip.InvalidArgumentException;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.jspecify.annotations.Nullable;

/** Builds the responses the softswitch sends, with the headers every one of them carries. */
final class SipMessages {

    /** The methods this softswitch handles, for {@code Allow}. */
    static final List<String> ALLOWED =
            List.of("INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "UPDATE", "REGISTER", "INFO", "MESSAGE", "NOTIFY");

    private final MessageFactory messages;
    private final HeaderFactory headers;
    private final AddressFactory addresses;
    private final SipServerConfig config;

    SipMessages(MessageFactory messages, HeaderFactory headers, AddressFactory addresses, SipServerConfig config) {
        this.messages = messages;
        this.headers = headers;
        this.addresses = addresses;
        this.config = config;
    }

    MessageFactory messageFactory() {
        return messages;
    }

    HeaderFactory headerFactory() {
        return headers;
    }

    AddressFactory addressFactory() {
        return addresses;
    }

    /** A response with {@code Server}; with {@code toTag} set on the To header when given. */
    Response response(int status, Request request, @Nullable String toTag) {
        try {
            Response response = messages.createResponse(status, request);
            response.setHeader(headers.createServerHeader(List.of(config.userAgent())));
            if (toTag != null && status > 100) {
                ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
                if (to.getTag() == null) {
                    to.setTag(toTag);
                }
            }
            return response;
        } catch (ParseException e) {
            throw new IllegalStateException("cannot build a " + status + " response", e);
        }
    }

    /** A failure response carrying the reason as a {@code Warning: 399} header (RFC 3261 20.43). */
    Response failure(int status, Request request, @Nullable String toTag, String detail) {
        Response response = response(status, request, toTag);
        try {
            int code = status == 488 ? 305 : 399; // 305 Incompatible media format
            response.addHeader(headers.createWarningHeader(config.advertisedAddress(), code, sanitize(detail)));
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalStateException("cannot build a Warning header", e);
        }
        if (status == 405 || status == 501) {
            addAllow(response);
        }
        if (status == 503) {
            addRetryAfter(response, 5);
        }
        if (status == 415) {
            addHeader(response, "Accept", "application/sdp");
        }
        return response;
    }

    void addAllow(Response response) {
        try {
            for (String method : ALLOWED) {
                response.addHeader(headers.createAllowHeader(method));
            }
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    void addRetryAfter(Response response, int seconds) {
        try {
            response.setHeader(headers.createRetryAfterHeader(seconds));
        } catch (InvalidArgumentException e) {
            throw new IllegalStateException(e);
        }
    }

    void addHeader(Response response, String name, String value) {
        try {
            response.addHeader(headers.createHeader(name, value));
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code Contact: <sip:address:port;transport=...>} for the transport the request came over. */
    void addContact(Response response, String transport) {
        addContact(response, transport, false);
    }

    /**
     * As {@link #addContact(Response, String)}; a {@code sips:} Contact when the dialog's first request had a
     * {@code sips:} Request-URI (RFC 3261 12.1.1), as then every hop to us must be TLS.
     */
    void addContact(Response response, String transport, Request dialogRequest) {
        addContact(
                response,
                transport,
                "sips".equalsIgnoreCase(dialogRequest.getRequestURI().getScheme()));
    }

    private void addContact(Response response, String transport, boolean sips) {
        try {
            SipURI uri = addresses.createSipURI(null, config.advertisedAddress());
            uri.setPort(config.portFor(transport));
            uri.setSecure(sips);
            // A sips: URI means TLS already: RFC 5630 deprecates ;transport=tls (beside it or not).
            if (!"udp".equalsIgnoreCase(transport) && !(sips && "tls".equalsIgnoreCase(transport))) {
                uri.setTransportParam(transport.toLowerCase(java.util.Locale.ROOT));
            }
            ContactHeader contact = headers.createContactHeader(addresses.createAddress(uri));
            response.setHeader(contact);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code Refer-To: <target>} and {@code Referred-By: <our address>} on a REFER (RFC 3515 2.1, RFC 3892).
     *
     * @throws ParseException when {@code target} is not a URI
     */
    void addReferTo(Request refer, String target) throws ParseException {
        refer.setHeader(headers.createReferToHeader(addresses.createAddress(addresses.createURI(target))));
        SipURI us = addresses.createSipURI(null, config.advertisedAddress());
        us.setPort(config.port());
        refer.setHeader(headers.createHeader("Referred-By", "<" + us + ">"));
    }

    void setSdp(Response response, String sdp) {
        try {
            response.setContent(sdp, headers.createContentTypeHeader("application", "sdp"));
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Warning text is a quoted-string: no quotes, backslashes or control characters. */
    private static String sanitize(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            out.append(c < 0x20 || c == '"' || c == '\\' ? '\'' : c);
        }
        return out.toString();
    }
}
