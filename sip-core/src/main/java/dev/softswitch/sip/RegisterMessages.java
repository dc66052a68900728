package dev.softswitch.sip;

import dev.softswitch.sip.auth.DigestClient;
import dev.softswitch.sip.uac.RegistrationAction.DigestAnswer;
import dev.softswitch.sip.uac.RegistrationReply;
import dev.softswitch.sip.uac.TrunkRegistration;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import javax.sip.InvalidArgumentException;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.MinExpiresHeader;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.RetryAfterHeader;
import javax.sip.header.ViaHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.jspecify.annotations.Nullable;

/**
 * Writes our REGISTERs to a carrier (RFC 3261 10.2) and reads its answers into {@link RegistrationReply}. No I/O: the
 * sender ({@link TrunkRegistrations}) sends what this builds.
 */
final class RegisterMessages {

    private final SipMessages messages;
    private final SipServerConfig config;

    RegisterMessages(SipMessages messages, SipServerConfig config) {
        this.messages = messages;
        this.config = config;
    }

    /**
     * One REGISTER of a binding.
     *
     * <ul>
     *   <li>Request-URI {@code sip:host[:port][;transport=tcp]} (the registrar's domain, RFC 3261 10.2);
     *   <li>To and From {@code sip:username@host}, From with the binding's tag;
     *   <li>the binding's Call-ID, and {@code cseq}, one higher for every REGISTER (RFC 3261 10.2.4);
     *   <li>{@code Contact: <sip:username@advertised:port[;transport=tcp]>}, {@code Expires}, {@code User-Agent};
     *   <li>{@code Route: <sip:proxy;lr>} when the trunk has an outbound proxy;
     *   <li>{@code Authorization} or {@code Proxy-Authorization} answering {@code credentials}, when given.
     * </ul>
     */
    Request register(
            TrunkRegistration registration,
            String callId,
            String fromTag,
            long cseq,
            int expires,
            @Nullable DigestAnswer credentials)
            throws ParseException, InvalidArgumentException {
        HeaderFactory headers = messages.headerFactory();
        AddressFactory addresses = messages.addressFactory();
        URI target = addresses.createURI(registration.registrarUri());
        Address from = addresses.createAddress(addresses.createURI(registration.addressOfRecord()));
        Address to = addresses.createAddress(addresses.createURI(registration.addressOfRecord()));
        ViaHeader via = headers.createViaHeader(
                config.advertisedAddress(),
                config.portFor(registration.transport()),
                registration.transport(),
                newBranch());
        Request register = messages.messageFactory()
                .createRequest(
                        target,
                        Request.REGISTER,
                        headers.createCallIdHeader(callId),
                        headers.createCSeqHeader(cseq, Request.REGISTER),
                        headers.createFromHeader(from, fromTag),
                        headers.createToHeader(to, null),
                        new ArrayList<>(List.of(via)),
                        headers.createMaxForwardsHeader(70));
        register.addHeader(headers.createContactHeader(addresses.createAddress(contactUri(registration))));
        register.addHeader(headers.createExpiresHeader(expires));
        register.addHeader(headers.createUserAgentHeader(List.of(config.userAgent())));
        for (String method : SipMessages.ALLOWED) {
            register.addHeader(headers.createAllowHeader(method));
        }
        String proxy = registration.proxy();
        if (proxy != null) {
            SipURI hop = (SipURI) addresses.createURI("sip:" + proxy);
            hop.setLrParam();
            if (!"udp".equals(registration.transport())) {
                hop.setTransportParam(registration.transport());
            }
            register.addHeader(headers.createRouteHeader(addresses.createAddress(hop)));
        }
        if (credentials != null) {
            String value = DigestClient.authorization(
                    credentials.challenge(),
                    Request.REGISTER,
                    target.toString(),
                    registration.username(),
                    registration.password().reveal(),
                    credentials.nonceCount(),
                    credentials.cnonce());
            register.addHeader(
                    headers.createHeader(credentials.proxy() ? "Proxy-Authorization" : "Authorization", value));
        }
        return register;
    }

    /** Our Contact: {@code sip:username@advertised:port}, with {@code ;transport=tcp} (or {@code tls}) over those. */
    SipURI contactUri(TrunkRegistration registration) throws ParseException {
        AddressFactory addresses = messages.addressFactory();
        SipURI contact = addresses.createSipURI(registration.username(), config.advertisedAddress());
        contact.setPort(config.portFor(registration.transport()));
        if (!"udp".equals(registration.transport())) {
            contact.setTransportParam(registration.transport());
        }
        return contact;
    }

    /**
     * What a final response says for the state machine. The granted lifetime is the {@code expires} of the Contact
     * that is ours (same user, host and port; RFC 3261 10.2.4), which the machine prefers to the {@code Expires}
     * header.
     */
    RegistrationReply read(Response response, TrunkRegistration registration) {
        int status = response.getStatusCode();
        String reason = response.getReasonPhrase() == null ? "" : response.getReasonPhrase();
        int contactExpires = -1;
        for (var it = response.getHeaders(ContactHeader.NAME); it.hasNext(); ) {
            ContactHeader contact = (ContactHeader) it.next();
            if (contact.getAddress() != null
                    && contact.getAddress().getURI() instanceof SipURI uri
                    && isOurs(uri, registration)) {
                contactExpires = contact.getExpires();
                break;
            }
        }
        ExpiresHeader expires = response.getExpires();
        MinExpiresHeader minExpires = (MinExpiresHeader) response.getHeader(MinExpiresHeader.NAME);
        RetryAfterHeader retryAfter = (RetryAfterHeader) response.getHeader(RetryAfterHeader.NAME);
        DigestClient.Challenge challenge = null;
        if (status == 401 || status == 407) {
            List<String> values = new ArrayList<>();
            for (var it = response.getHeaders(
                            status == 401 ? WWWAuthenticateHeader.NAME : ProxyAuthenticateHeader.NAME);
                    it.hasNext(); ) {
                values.add(headerValue(it.next()));
            }
            challenge = DigestClient.choose(values).orElse(null);
        }
        return new RegistrationReply(
                status,
                reason,
                contactExpires,
                expires == null ? -1 : expires.getExpires(),
                minExpires == null ? -1 : minExpires.getExpires(),
                challenge,
                retryAfter == null ? -1 : retryAfter.getRetryAfter());
    }

    private boolean isOurs(SipURI uri, TrunkRegistration registration) {
        boolean tls = "tls".equals(registration.transport()) || uri.isSecure();
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 5061 : 5060;
        return registration.username().equals(uri.getUser())
                && stripBrackets(config.advertisedAddress()).equalsIgnoreCase(stripBrackets(uri.getHost()))
                && port == config.portFor(registration.transport());
    }

    private static String stripBrackets(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    private static String headerValue(Object header) {
        return header instanceof gov.nist.javax.sip.header.SIPHeader h ? h.getHeaderValue() : String.valueOf(header);
    }

    static String newBranch() {
        return "z9hG4bK" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    static String newTag() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffff_ffffL);
    }
}
