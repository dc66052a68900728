package dev.softswitch.sip;

import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CallIdHeader;
import javax.sip.message.Request;
import org.jspecify.annotations.Nullable;

/** Small readings of a request that the server and the registrar share. */
final class SipRequests {

    private SipRequests() {}

    static String callId(Request request) {
        return ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
    }

    /** A header's value as sent (trimmed), or null when the request has none. */
    static @Nullable String headerValue(javax.sip.message.Message request, String name) {
        javax.sip.header.Header header = request.getHeader(name);
        return header instanceof gov.nist.javax.sip.header.SIPHeader sip
                ? sip.getHeaderValue().trim()
                : null;
    }

    /** The URI without password, parameters or headers: what the log may show. */
    static String uriOf(URI uri) {
        if (uri instanceof SipURI sip) {
            return sip.getScheme() + ":" + (sip.getUser() != null ? sip.getUser() + "@" : "") + sip.getHost()
                    + (sip.getPort() > 0 ? ":" + sip.getPort() : "");
        }
        return uri.getScheme() + ":...";
    }

    /** Whether {@code request}'s {@code Allow} lists {@code method} (case-sensitive, as methods are). */
    static boolean allows(javax.sip.message.Message request, String method) {
        for (var it = request.getHeaders("Allow"); it.hasNext(); ) {
            Object h = it.next();
            String value = h instanceof javax.sip.header.AllowHeader allow ? allow.getMethod() : String.valueOf(h);
            for (String m : value.split(",")) {
                if (m.trim().equals(method)) {
                    return true;
                }
            }
        }
        return false;
    }
}
