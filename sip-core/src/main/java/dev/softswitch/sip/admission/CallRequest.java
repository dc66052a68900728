package dev.softswitch.sip.admission;

import java.net.InetAddress;
import org.jspecify.annotations.Nullable;

/**
 * The parts of an INVITE that admission looks at.
 *
 * @param source the address the request came from (not a header: the packet's source)
 * @param method the SIP method
 * @param requestUri the Request-URI as sent (digest's {@code uri} must match it)
 * @param user the Request-URI's user part: an assistant id, a dialled number, or empty
 * @param password the Request-URI's password part: the API key of {@code sip:assistant:key@host}, when present
 * @param authorization the {@code Authorization} header's value, when present
 */
public record CallRequest(
        InetAddress source,
        String method,
        String requestUri,
        String user,
        @Nullable String password,
        @Nullable String authorization) {}
