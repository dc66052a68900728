package dev.softswitch.sip;

import dev.softswitch.sip.auth.AuthOutcome;
import dev.softswitch.sip.auth.DigestCredentials;
import dev.softswitch.sip.auth.DigestParseException;
import dev.softswitch.sip.registrar.Binding;
import dev.softswitch.sip.registrar.ContactRequest;
import dev.softswitch.sip.registrar.Registrar;
import dev.softswitch.sip.registrar.Registration;
import gov.nist.javax.sip.RequestEventExt;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javax.sip.RequestEvent;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REGISTER (RFC 3261 10.3): configured PBX users only, digest-authenticated, each for its own address of record.
 * Without PBX users it answers 405. Runs on the stack's threads: everything here is in memory and quick.
 */
final class RegisterRequests {

    private static final Logger log = LoggerFactory.getLogger(RegisterRequests.class);

    private final SipMessages msgs;
    private final @Nullable Registration registration;
    private final Clock clock;
    private final BiConsumer<RequestEvent, Response> respond;
    private final Consumer<InetAddress> authFailed;

    /** {@code authFailed} hears of each REGISTER refused for its credentials, with the packet's source address. */
    RegisterRequests(
            SipMessages msgs,
            @Nullable Registration registration,
            Clock clock,
            BiConsumer<RequestEvent, Response> respond,
            Consumer<InetAddress> authFailed) {
        this.msgs = msgs;
        this.registration = registration;
        this.clock = clock;
        this.respond = respond;
        this.authFailed = authFailed;
    }

    /** Answers one REGISTER. */
    void handle(RequestEvent event) {
        Request request = event.getRequest();
        Registration reg = registration;
        if (reg == null) {
            respond.accept(event, msgs.failure(405, request, null, "no PBX users are configured to register"));
            return;
        }
        String authorization = SipRequests.headerValue(request, AuthorizationHeader.NAME);
        DigestCredentials credentials = null;
        if (authorization != null) {
            try {
                credentials = DigestCredentials.parse(authorization);
            } catch (DigestParseException e) {
                respond.accept(event, msgs.failure(400, request, null, "unreadable Authorization: " + e.getMessage()));
                return;
            }
        }
        AuthOutcome outcome =
                reg.digest().verify(Request.REGISTER, request.getRequestURI().toString(), credentials, reg.passwords());
        String source = ((RequestEventExt) event).getRemoteIpAddress();
        switch (outcome) {
            case AuthOutcome.Challenge c -> {
                Response challenge = msgs.failure(401, request, null, "authentication required");
                c.challenge()
                        .headerValues(reg.digest().challengeOrder())
                        .forEach(v -> msgs.addHeader(challenge, "WWW-Authenticate", v));
                respond.accept(event, challenge);
            }
            case AuthOutcome.Rejected r -> {
                log.info("REGISTER refused from {}: {}", source, r.logDetail());
                try {
                    authFailed.accept(InetAddress.getByName(source)); // an IP literal: no lookup
                } catch (UnknownHostException e) {
                    log.debug("source {} is not an address", source);
                }
                respond.accept(
                        event, msgs.failure(403, request, null, r.reason().text()));
            }
            case AuthOutcome.Authenticated ok -> register(event, reg.registrar(), ok.username(), source);
        }
    }

    private void register(RequestEvent event, Registrar registrar, String username, String source) {
        Request request = event.getRequest();
        URI to = ((ToHeader) request.getHeader(ToHeader.NAME)).getAddress().getURI();
        if (!(to instanceof SipURI aor) || !username.equals(aor.getUser())) {
            log.info("REGISTER refused from {}: {} may not register {}", source, username, SipRequests.uriOf(to));
            respond.accept(event, msgs.failure(403, request, null, "you may register only your own address"));
            return;
        }
        List<ContactRequest> contacts = new ArrayList<>();
        boolean wildcard = false;
        for (var it = request.getHeaders(ContactHeader.NAME); it.hasNext(); ) {
            ContactHeader contact = (ContactHeader) it.next();
            if (contact.getAddress() == null || contact.getAddress().isWildcard()) {
                wildcard = true;
            } else {
                contacts.add(new ContactRequest(contact.getAddress().getURI().toString(), contact.getExpires()));
            }
        }
        ExpiresHeader expires = request.getExpires();
        Instant now = clock.instant();
        Registrar.Result result = registrar.register(
                username,
                contacts,
                wildcard,
                expires == null ? -1 : expires.getExpires(),
                SipRequests.callId(request),
                ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber(),
                now);
        switch (result) {
            case Registrar.Result.Updated updated -> {
                Response ok = msgs.response(200, request, null);
                for (Binding b : updated.bindings()) {
                    msgs.addHeader(ok, ContactHeader.NAME, "<" + b.contact() + ">;expires=" + b.secondsLeft(now));
                }
                msgs.addHeader(
                        ok,
                        "Date",
                        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                                java.time.ZonedDateTime.ofInstant(now, java.time.ZoneOffset.UTC)));
                log.info(
                        "registered {} from {}: {} contact(s)",
                        username,
                        source,
                        updated.bindings().size());
                respond.accept(event, ok);
            }
            case Registrar.Result.IntervalTooBrief brief -> {
                Response tooBrief = msgs.failure(423, request, null, "expiry below " + brief.minExpires() + " s");
                msgs.addHeader(tooBrief, "Min-Expires", Integer.toString(brief.minExpires()));
                respond.accept(event, tooBrief);
            }
            case Registrar.Result.Invalid invalid ->
                respond.accept(event, msgs.failure(400, request, null, invalid.reason()));
            case Registrar.Result.OutOfOrder o ->
                respond.accept(event, msgs.failure(500, request, null, "registration out of order (CSeq)"));
        }
    }
}
