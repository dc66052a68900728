package dev.softswitch.sip;

import dev.softswitch.assistant.Assistant;
import dev.softswitch.assistant.AssistantDirectory;
import dev.softswitch.assistant.AssistantRunner;
import dev.softswitch.assistant.CallFacts;
import dev.softswitch.assistant.DtmfTally;
import dev.softswitch.assistant.QueueMediaPort;
import dev.softswitch.assistant.recording.CallRecorder;
import dev.softswitch.codecs.CodecInfo;
import dev.softswitch.codecs.Codecs;
import dev.softswitch.config.DigestCredentials;
import dev.softswitch.rtp.MediaEngine;
import dev.softswitch.rtp.MediaUnavailableException;
import dev.softswitch.rtp.session.MediaParams;
import dev.softswitch.rtp.session.MediaSession;
import dev.softswitch.rtp.session.MediaTimeout;
import dev.softswitch.sdp.AnswerPolicy;
import dev.softswitch.sdp.FormatSpec;
import dev.softswitch.sdp.Negotiation;
import dev.softswitch.sdp.OfferAnswer;
import dev.softswitch.sdp.OfferPolicy;
import dev.softswitch.sdp.SdpParseException;
import dev.softswitch.sdp.SdpParser;
import dev.softswitch.sdp.SdpWriter;
import dev.softswitch.sdp.SessionDescription;
import dev.softswitch.sip.DialStatus.Outcome;
import dev.softswitch.sip.DialStatus.Phase;
import dev.softswitch.sip.auth.DigestClient;
import dev.softswitch.sip.call.CallRecord;
import dev.softswitch.sip.call.CallRecord.EndedBy;
import dev.softswitch.sip.call.CallState;
import dev.softswitch.sip.call.SerialExecutor;
import dev.softswitch.sip.call.SessionTimer;
import dev.softswitch.sip.guard.SipGuard;
import dev.softswitch.sip.outbound.OutboundGuard;
import dev.softswitch.sip.outbound.OutboundRefusal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.InvalidArgumentException;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ViaHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Places calls (the UAC side, RFC 3261 13.2 and 17.1.1): an INVITE with our offer, digest challenges answered with
 * the trunk's credentials, provisional answers followed (early media starts the RTP), the answer's SDP applied and RTP
 * started before the ACK goes, CANCEL at the ring timeout, and every final failure turned into an {@link Outcome}
 * with its status kept. Stack threads only hand events over; each call's work runs on its own serial executor.
 */
final class Dialer {

    private static final Logger log = LoggerFactory.getLogger(Dialer.class);
    private static final Logger security = LoggerFactory.getLogger(SipGuard.SECURITY_LOGGER);
    /** Challenges answered per call: a second 401 with a fresh (not stale) nonce means our credentials are wrong. */
    private static final int MAX_AUTH_ATTEMPTS = 2;

    private final SipServerConfig config;
    private final Supplier<SipMessages> messages;
    private final Supplier<SipProvider> provider;
    private final MediaEngine media;
    private final AssistantDirectory assistants;
    private final ExecutorService workers;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final BiConsumer<CallRecord, String> ended;
    private final SessionRefresher refresher;
    private final DtmfTally dtmf;
    private final Supplier<OutboundGuard> outbound;
    private final Map<String, OutboundCall> bySipCallId = new ConcurrentHashMap<>();
    private final Map<String, OutboundCall> byId = new ConcurrentHashMap<>();

    Dialer(
            SipServerConfig config,
            Supplier<SipMessages> messages,
            Supplier<SipProvider> provider,
            MediaEngine media,
            AssistantDirectory assistants,
            ExecutorService workers,
            ScheduledExecutorService timers,
            Clock clock,
            BiConsumer<CallRecord, String> ended,
            DtmfTally dtmf,
            Supplier<OutboundGuard> outbound) {
        this.config = config;
        this.messages = messages;
        this.provider = provider;
        this.media = media;
        this.assistants = assistants;
        this.workers = workers;
        this.timers = timers;
        this.clock = clock;
        this.ended = ended;
        this.dtmf = dtmf;
        this.outbound = outbound;
        this.refresher = new SessionRefresher(provider, messages);
    }

    /** Places a call; progress is reported on the call's executor, the last report being the ended status. */
    OutboundCall dial(DialRequest request, Consumer<DialStatus> progress) {
        return dial(request, null, progress);
    }

    /** As {@link #dial(DialRequest, Consumer)}, answered by {@code assistant} instead of the request's (a bridge). */
    OutboundCall dial(DialRequest request, @Nullable Assistant assistant, Consumer<DialStatus> progress) {
        String id =
                String.format(Locale.ROOT, "%012x", ThreadLocalRandom.current().nextLong(1L << 48));
        // The toll-fraud caps decide before anything is built: a refused call never gets a port or sends an INVITE.
        OutboundGuard.Decision decision = outbound.get().admit(request.trunk(), request.requestUri());
        OutboundGuard.Admitted admitted = decision instanceof OutboundGuard.Admitted a ? a : null;
        DialRequest counted = admitted != null && request.trunk() == null && admitted.trunk() != null
                ? withTrunk(request, admitted.trunk()) // a SIP URI at a trunk's host: recorded as through the trunk
                : request;
        OutboundCall[] self = new OutboundCall[1];
        OutboundCall call = new OutboundCall(
                id,
                counted,
                new SerialExecutor(workers),
                clock.instant(),
                progress,
                () -> onCall(self[0], () -> stop(self[0])));
        self[0] = call;
        call.assistantOverride = assistant;
        if (decision instanceof OutboundGuard.Refused refused) {
            call.refusal = refused.refusal();
            onCall(call, () -> refuse(call, refused.refusal()));
            return call;
        }
        call.slot = admitted;
        byId.put(id, call);
        try {
            onCall(call, () -> start(call));
        } catch (RuntimeException e) {
            byId.remove(id, call);
            if (admitted != null) {
                admitted.release();
            }
            throw e;
        }
        return call;
    }

    private static DialRequest withTrunk(DialRequest r, String trunk) {
        return new DialRequest(
                r.requestUri(),
                r.proxy(),
                r.transport(),
                r.fromUser(),
                trunk,
                r.credentials(),
                r.assistantId(),
                r.variables(),
                r.ringTimeout(),
                r.maxDuration());
    }

    /** A call the toll-fraud caps refused: one line on the security log, a record, the ended status. */
    private void refuse(OutboundCall call, OutboundRefusal refusal) {
        security.warn("outbound call refused ({}): {}", refusal.label(), refusal.detail());
        finish(call, Outcome.REFUSED, refusal.sipStatus(), refusal.detail(), EndedBy.SOFTSWITCH);
    }

    /** The placed call with this id, while it is in progress. */
    @Nullable
    OutboundCall call(String id) {
        return byId.get(id);
    }

    /** The placed call a SIP Call-ID belongs to, or null. */
    @Nullable
    OutboundCall bySipCallId(String sipCallId) {
        return bySipCallId.get(sipCallId);
    }

    int activeCalls() {
        return byId.size();
    }

    /** The SIP Call-IDs of the calls placed and not yet ended. */
    java.util.Set<String> sipCallIds() {
        return java.util.Set.copyOf(bySipCallId.keySet());
    }

    List<OutboundCall> calls() {
        return new ArrayList<>(byId.values());
    }

    // ------------------------------------------------------------------ placing (call executor)

    private void start(OutboundCall call) {
        DialRequest request = call.request;
        log.info(
                "dialling {} for assistant {}{}",
                request.requestUri(),
                call.assistantOverride != null ? call.assistantOverride.id() : request.assistantId(),
                request.trunk() == null ? "" : " through trunk " + request.trunk());
        if (call.assistantOverride == null
                && assistants.find(request.assistantId()).isEmpty()) {
            finish(call, Outcome.FAILED, 0, "no assistant " + request.assistantId(), EndedBy.SOFTSWITCH);
            return;
        }
        MediaSession session;
        try {
            session = media.open(call.id, false);
        } catch (MediaUnavailableException e) {
            finish(call, Outcome.FAILED, 0, "no RTP port: " + e.getMessage(), EndedBy.SOFTSWITCH);
            return;
        }
        call.media = session;
        SessionDescription offer = OfferAnswer.offer(new OfferPolicy(
                config.codecs(),
                true,
                config.advertisedAddress(),
                session.localPort(),
                call.sdpSessionId,
                1,
                "softswitch",
                false));
        call.offer = offer;
        Request invite;
        try {
            invite = newInvite(call, SdpWriter.write(offer));
        } catch (ParseException | InvalidArgumentException | IllegalArgumentException e) {
            finish(call, Outcome.FAILED, 0, "cannot build the INVITE: " + e.getMessage(), EndedBy.SOFTSWITCH);
            return;
        }
        call.sipCallId = ((CallIdHeader) invite.getHeader(CallIdHeader.NAME)).getCallId();
        bySipCallId.put(call.sipCallId, call);
        if (!send(call, invite)) {
            return;
        }
        call.ringTimer = timers.schedule(
                () -> onCall(call, () -> ringTimeout(call)),
                request.ringTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        call.publish(status(call, Phase.TRYING, null, "INVITE sent"));
    }

    private Request newInvite(OutboundCall call, String sdp) throws ParseException, InvalidArgumentException {
        DialRequest request = call.request;
        SipMessages m = messages.get();
        HeaderFactory headers = m.headerFactory();
        AddressFactory addresses = m.addressFactory();
        URI target = addresses.createURI(request.requestUri());
        if (!(target instanceof SipURI sipTarget)) {
            throw new IllegalArgumentException("not a SIP URI: " + request.requestUri());
        }
        if ("tls".equals(request.transport()) && config.tls() == null) {
            throw new IllegalArgumentException(
                    "a call over TLS goes out from the TLS listener, and there is none (listen.tls or --tls-port)");
        }
        SipURI fromUri = addresses.createSipURI(request.fromUser(), sipTarget.getHost());
        Address from = addresses.createAddress(fromUri);
        SipURI toUri = (SipURI) sipTarget.clone();
        toUri.removeParameter("transport");
        Address to = addresses.createAddress(toUri);
        ViaHeader via = headers.createViaHeader(
                config.advertisedAddress(), config.portFor(request.transport()), request.transport(), newBranch());
        CallIdHeader callId = provider.get().getNewCallId();
        Request invite = m.messageFactory()
                .createRequest(
                        target,
                        Request.INVITE,
                        callId,
                        headers.createCSeqHeader(1L, Request.INVITE),
                        headers.createFromHeader(from, newTag()),
                        headers.createToHeader(to, null),
                        new ArrayList<>(List.of(via)),
                        headers.createMaxForwardsHeader(70),
                        headers.createContentTypeHeader("application", "sdp"),
                        sdp.getBytes(StandardCharsets.UTF_8));
        SipURI contact = addresses.createSipURI(request.fromUser(), config.advertisedAddress());
        contact.setPort(config.portFor(request.transport()));
        contact.setSecure(sipTarget.isSecure()); // RFC 3261 8.1.1.8: a sips: target, a sips: Contact
        if (!"udp".equals(request.transport())) {
            contact.setTransportParam(request.transport());
        }
        invite.addHeader(headers.createContactHeader(addresses.createAddress(contact)));
        invite.addHeader(headers.createUserAgentHeader(List.of(config.userAgent())));
        invite.addHeader(headers.createHeader("Supported", "timer")); // RFC 4028: we refresh when asked to
        for (String method : SipMessages.ALLOWED) {
            invite.addHeader(headers.createAllowHeader(method));
        }
        String proxy = request.proxy();
        if (proxy != null) {
            SipURI hop = (SipURI) addresses.createURI("sip:" + proxy);
            hop.setLrParam();
            if (!"udp".equals(request.transport())) {
                hop.setTransportParam(request.transport());
            }
            invite.addHeader(headers.createRouteHeader(addresses.createAddress(hop)));
        }
        return invite;
    }

    /** Sends an INVITE in a new client transaction; on failure the call ends as unreachable. */
    private boolean send(OutboundCall call, Request invite) {
        try {
            ClientTransaction tx = provider.get().getNewClientTransaction(invite);
            call.invite = invite;
            call.inviteTx = tx;
            tx.sendRequest();
            call.dialog = tx.getDialog();
            return true;
        } catch (SipException | RuntimeException e) {
            finish(
                    call,
                    Outcome.UNREACHABLE,
                    0,
                    "the INVITE could not be sent to " + call.request.requestUri() + ": " + e.getMessage(),
                    EndedBy.SOFTSWITCH);
            return false;
        }
    }

    // ------------------------------------------------------------------ responses (from SipServer, stack threads)

    /** A response to an INVITE of one of our calls. */
    void onResponse(OutboundCall call, ResponseEvent event) {
        onCall(call, () -> response(call, event));
    }

    private void response(OutboundCall call, ResponseEvent event) {
        Response response = event.getResponse();
        int status = response.getStatusCode();
        ClientTransaction tx = event.getClientTransaction();
        if (call.state.isFinal()) {
            if (status >= 200 && status < 300 && tx == null) {
                byeStray(event); // a 2xx after we gave up (a fork, or the answer crossing our CANCEL): ACK and BYE
            }
            return;
        }
        if (tx == null) {
            if (status >= 200 && status < 300 && call.ack != null && call.dialog != null) {
                resendAck(call); // the 200 again: our ACK was lost (RFC 3261 13.2.2.4)
            }
            return;
        }
        if (tx == call.refreshTx) {
            refreshAnswered(call, tx, response);
            return;
        }
        if (tx != call.inviteTx) {
            return; // a late answer to an INVITE we replaced (after a challenge)
        }
        call.lastStatus = status;
        call.lastReason = response.getReasonPhrase() == null ? "" : response.getReasonPhrase();
        if (status < 200) {
            provisional(call, response, tx);
        } else if (status < 300) {
            answered(call, response, tx);
        } else if ((status == 401 || status == 407) && answerChallenge(call, response)) {
            log.debug("{}: answered the challenge", status);
        } else {
            failed(call, status, call.lastReason);
        }
    }

    private void provisional(OutboundCall call, Response response, ClientTransaction tx) {
        int status = response.getStatusCode();
        if (status == 100) {
            return;
        }
        call.provisional = true;
        call.dialog = tx.getDialog();
        if (call.cancelAs != null) {
            sendCancel(call);
            return;
        }
        if (call.state == CallState.INITIALIZING) {
            call.state = CallState.RINGING;
        }
        byte[] body = response.getRawContent();
        if (body != null && body.length > 0 && !call.mediaStarted) {
            if (startMedia(call, body, false)) {
                log.info("{} {}: early media", status, call.lastReason);
                call.publish(status(call, Phase.EARLY_MEDIA, null, status + " " + call.lastReason));
                return;
            }
        }
        if (call.status().phase() == Phase.TRYING) {
            log.info("{} {}", status, call.lastReason);
            call.publish(status(call, Phase.RINGING, null, status + " " + call.lastReason));
        }
    }

    private void answered(OutboundCall call, Response response, ClientTransaction tx) {
        Dialog dialog = tx.getDialog();
        call.dialog = dialog;
        if (call.cancelAs != null) {
            // Our CANCEL crossed the answer (RFC 3261 9.1): the call is up; confirm it and end it at once.
            ack(call, response);
            sendBye(call);
            finish(call, call.cancelAs, 200, "answered as we cancelled", EndedBy.SOFTSWITCH);
            return;
        }
        byte[] body = response.getRawContent();
        if (!call.mediaStarted && (body == null || body.length == 0)) {
            ack(call, response);
            sendBye(call);
            finish(call, Outcome.FAILED, 200, "the 200 OK carries no SDP answer", EndedBy.SOFTSWITCH);
            return;
        }
        if (!call.mediaStarted) {
            if (!startMedia(call, body, true)) {
                ack(call, response);
                sendBye(call);
                return; // startMedia finished the call with the reason
            }
        } else if (body != null && body.length > 0) {
            log.debug("the 200 OK repeats the early SDP; the early session stays"); // RFC 3261 13.2.1: same answer
        }
        // Media runs before the ACK leaves: some PBXs drop calls that stay silent after their 200.
        talk(call);
        ack(call, response);
        call.state = CallState.CONNECTED;
        call.answered = clock.instant();
        cancel(call.ringTimer);
        call.sessionTimer = SessionTimer.ofAnswer(SipRequests.headerValue(response, "Session-Expires"));
        call.updateAllowed = SipRequests.allows(response, Request.UPDATE);
        armSessionTimer(call);
        Duration max = call.request.maxDuration();
        if (!max.isZero()) {
            call.durationTimer = timers.schedule(
                    () -> onCall(
                            call,
                            () -> hangUp(
                                    call,
                                    "maximum duration " + max.toSeconds() + " s reached",
                                    "max_duration",
                                    EndedBy.SOFTSWITCH)),
                    max.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        log.info("answered");
        call.publish(status(call, Phase.ANSWERED, null, "200 " + call.lastReason));
    }

    /**
     * The next step of the session timer the answer set (RFC 4028 10): our refresh at half the interval when we are
     * the refresher, else the BYE we send if the callee's refresh does not come in time.
     */
    private void armSessionTimer(OutboundCall call) {
        cancel(call.sessionTimerTask);
        SessionTimer timer = call.sessionTimer;
        if (timer == null) {
            return;
        }
        Duration refresh = timer.refreshAfter("uac");
        if (refresh != null) {
            call.sessionTimerTask = timers.schedule(
                    () -> onCall(call, () -> refresh(call, timer)), refresh.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        Duration bye = timer.byeAfter("uac");
        if (bye != null) {
            call.sessionTimerTask = timers.schedule(
                    () -> onCall(
                            call,
                            () -> hangUp(
                                    call,
                                    "session timer: no refresh within " + timer.intervalSeconds() + " s",
                                    "session_expired",
                                    EndedBy.SOFTSWITCH)),
                    bye.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void refresh(OutboundCall call, SessionTimer timer) {
        Dialog dialog = call.dialog;
        SessionDescription offer = call.offer;
        if (call.state.isFinal() || dialog == null || offer == null || call.refreshTx != null) {
            return;
        }
        String sdp = call.updateAllowed ? null : SdpWriter.write(SipServer.withVersion(offer, call.sdpVersion));
        ClientTransaction tx = refresher.send(dialog, call.updateAllowed, sdp, timer);
        if (tx == null) {
            hangUp(call, "session refresh could not be sent", "session_expired", EndedBy.SOFTSWITCH);
            return;
        }
        call.refreshTx = tx;
    }

    private void refreshAnswered(OutboundCall call, ClientTransaction tx, Response response) {
        int status = response.getStatusCode();
        if (status < 200) {
            return;
        }
        call.refreshTx = null;
        if (Request.INVITE.equals(tx.getRequest().getMethod()) && status < 300) {
            SipServer.ackRefresh(call.dialog, response);
        }
        SessionTimer timer = call.sessionTimer;
        if (timer == null) {
            return;
        }
        switch (SessionRefresher.outcome(status)) {
            case REFRESHED -> {
                SessionTimer granted = SessionTimer.ofAnswer(SipRequests.headerValue(response, "Session-Expires"));
                call.sessionTimer = granted != null ? granted : timer;
                armSessionTimer(call);
            }
            case RETRY -> {
                Duration delay = SessionRefresher.glareDelay(true); // we placed the call: we own the Call-ID
                log.info("session refresh crossed a request of the callee's (491); again in {} ms", delay.toMillis());
                call.sessionTimerTask = timers.schedule(
                        () -> onCall(call, () -> refresh(call, timer)), delay.toMillis(), TimeUnit.MILLISECONDS);
            }
            case ENDED ->
                hangUp(
                        call,
                        "session refresh refused: " + status + " " + response.getReasonPhrase(),
                        "session_expired",
                        EndedBy.SOFTSWITCH);
        }
    }

    /** The call's media from the far end's SDP: early (receive only) or answered (both ways). */
    private boolean startMedia(OutboundCall call, byte[] body, boolean answered) {
        MediaSession session = call.media;
        SessionDescription offer = call.offer;
        if (session == null || offer == null) {
            return false;
        }
        Negotiation result;
        try {
            result = OfferAnswer.accept(offer, SdpParser.parse(new String(body, StandardCharsets.UTF_8)));
        } catch (SdpParseException e) {
            result = new Negotiation.Rejected("unreadable SDP answer: " + e.getMessage());
        }
        if (result instanceof Negotiation.Rejected rejected) {
            if (answered) {
                finish(call, Outcome.FAILED, 200, rejected.reason(), EndedBy.SOFTSWITCH);
            } else {
                log.info("early media ignored: {}", rejected.reason());
            }
            return false;
        }
        Negotiation.Accepted accepted = (Negotiation.Accepted) result;
        CodecInfo codec = Codecs.byName(
                        accepted.codec().encodingName(), accepted.codec().clockRate())
                .orElse(null);
        InetSocketAddress remote;
        try {
            remote = new InetSocketAddress(InetAddress.getByName(accepted.remoteAddress()), accepted.remotePort());
        } catch (UnknownHostException e) {
            remote = null;
        }
        if (codec == null || remote == null) {
            String reason = codec == null
                    ? "the answer's codec " + accepted.codec() + " has no implementation"
                    : "SDP connection address " + accepted.remoteAddress() + " does not resolve";
            if (answered) {
                finish(call, Outcome.FAILED, 200, reason, EndedBy.SOFTSWITCH);
            } else {
                log.info("early media ignored: {}", reason);
            }
            return false;
        }
        Assistant assistant = assistantOf(call);
        int assistantRate = assistant.sampleRate(codec.sampleRate());
        QueueMediaPort port = QueueMediaPort.between(
                        codec.sampleRate(),
                        assistantRate,
                        assistant.playoutFrames(),
                        reason -> onCall(call, () -> assistantHungUp(call, reason)))
                .tallyDtmf(dtmf);
        call.port = port;
        call.negotiated = accepted;
        CallRecorder recorder =
                RecorderTap.open(config.recordingOf(call.request.assistantId(), call.id), codec.sampleRate());
        call.recorder = recorder;
        call.recording = recorder == null ? null : recorder.file().toString();
        boolean send =
                answered && accepted.direction().sends() && !remote.getAddress().isAnyLocalAddress();
        session.start(
                new MediaParams(
                        codec,
                        accepted.codec().payloadType(),
                        accepted.telephoneEventPayloadType(),
                        remote,
                        send,
                        accepted.remoteRtcpPort()),
                port,
                null,
                recorder == null ? null : new RecorderTap(recorder));
        call.mediaStarted = true;
        log.info(
                "media: RTP {}:{} <-> {} {}{}",
                config.advertisedAddress(),
                session.localPort(),
                remote.getAddress().getHostAddress() + ":" + remote.getPort(),
                codec,
                answered ? "" : " (early: receiving only)");
        return true;
    }

    /** The call is answered: audio goes both ways, and the assistant starts. */
    private void talk(OutboundCall call) {
        MediaSession session = call.media;
        QueueMediaPort port = call.port;
        Negotiation.Accepted accepted = call.negotiated;
        if (session == null || port == null || accepted == null) {
            return;
        }
        InetSocketAddress remote = session.remote();
        if (remote != null
                && accepted.direction().sends()
                && !remote.getAddress().isAnyLocalAddress()) {
            session.redirect(remote, true);
        }
        int early = port.discardFromCaller(); // ringback is not what the callee said
        if (early > 0) {
            log.debug("{} frames of early media not handed to the assistant", early);
        }
        session.watchSilence(new MediaTimeout(
                config.mediaTimeout(),
                config.holdTimeout(),
                () -> onCall(
                        call,
                        () -> hangUp(
                                call,
                                "no RTP from the callee for "
                                        + config.mediaTimeout().toSeconds() + " s",
                                "media_timeout",
                                EndedBy.SOFTSWITCH))));
        Assistant assistant = assistantOf(call);
        CodecInfo codec = Codecs.byName(
                        accepted.codec().encodingName(), accepted.codec().clockRate())
                .orElseThrow();
        CallFacts facts = new CallFacts(
                call.id,
                fromUri(call),
                call.request.requestUri(),
                assistant.id(),
                codec.encodingName(),
                assistant.sampleRate(codec.sampleRate()),
                "outbound",
                call.request.variables());
        call.assistant = AssistantRunner.start(assistant, facts, port, workers);
    }

    private Assistant assistantOf(OutboundCall call) {
        Assistant override = call.assistantOverride;
        return override != null
                ? override
                : assistants.find(call.request.assistantId()).orElseThrow();
    }

    private boolean answerChallenge(OutboundCall call, Response response) {
        DigestCredentials credentials = call.request.credentials();
        Request last = call.invite;
        if (credentials == null || last == null) {
            return false;
        }
        boolean proxy = response.getStatusCode() == 407;
        String challengeHeader = proxy ? "Proxy-Authenticate" : WWWAuthenticateHeader.NAME;
        List<String> values = new ArrayList<>();
        response.getHeaders(challengeHeader).forEachRemaining(h -> values.add(headerValue(h)));
        var challenge = DigestClient.choose(values);
        if (challenge.isEmpty()) {
            log.info("{}: no digest challenge we can answer", response.getStatusCode());
            return false;
        }
        if (call.authAttempts >= MAX_AUTH_ATTEMPTS
                || (call.authAttempts > 0 && !challenge.get().stale())) {
            return false; // our credentials were refused
        }
        call.authAttempts++;
        if (call.cnonce == null) {
            call.cnonce = DigestClient.newCnonce();
        }
        call.nonceCount++;
        try {
            Request again = (Request) last.clone();
            CSeqHeader cseq = (CSeqHeader) again.getHeader(CSeqHeader.NAME);
            cseq.setSeqNumber(cseq.getSeqNumber() + 1);
            ViaHeader via = (ViaHeader) again.getHeader(ViaHeader.NAME);
            via.setBranch(newBranch());
            String authorizationHeader = proxy ? "Proxy-Authorization" : "Authorization";
            again.removeHeader(authorizationHeader);
            String value = DigestClient.authorization(
                    challenge.get(),
                    Request.INVITE,
                    again.getRequestURI().toString(),
                    credentials.username(),
                    credentials.password().reveal(),
                    call.nonceCount,
                    call.cnonce);
            again.addHeader(messages.get().headerFactory().createHeader(authorizationHeader, value));
            send(call, again);
            return true;
        } catch (ParseException | InvalidArgumentException e) {
            log.warn("cannot answer the challenge: {}", e.getMessage());
            return false;
        }
    }

    private static String headerValue(Object header) {
        return header instanceof gov.nist.javax.sip.header.SIPHeader h ? h.getHeaderValue() : String.valueOf(header);
    }

    private void failed(OutboundCall call, int status, String reason) {
        Outcome outcome = call.cancelAs != null && status == 487 ? call.cancelAs : Outcome.ofStatus(status);
        if (outcome == Outcome.AUTH_FAILED && call.request.credentials() == null) {
            reason = reason + " (the trunk has no credentials to answer with)";
        } else if (outcome == Outcome.AUTH_FAILED) {
            reason = reason + " (our credentials were refused)";
        }
        finish(call, outcome, status, status + " " + reason, EndedBy.CALLEE);
    }

    /** A transaction of ours timed out: the INVITE (Timer B, RFC 3261 17.1.1.2: nobody there) or a session refresh. */
    void onTimeout(OutboundCall call, ClientTransaction tx) {
        onCall(call, () -> {
            if (tx == call.refreshTx && !call.state.isFinal()) {
                call.refreshTx = null; // our session refresh went unanswered (RFC 4028 10): the callee is gone
                hangUp(call, "session refresh unanswered", "session_expired", EndedBy.SOFTSWITCH);
                return;
            }
            if (tx == call.inviteTx && !call.state.isFinal() && call.answered == null) {
                finish(
                        call,
                        call.cancelAs != null ? call.cancelAs : Outcome.UNREACHABLE,
                        408,
                        "no answer from " + call.request.requestUri() + " (SIP transaction timed out)",
                        EndedBy.SOFTSWITCH);
            }
        });
    }

    /** The callee hung up. */
    void onBye(OutboundCall call) {
        onCall(call, () -> hangUpLocally(call, "callee hung up", "completed", EndedBy.CALLEE));
    }

    /**
     * A re-INVITE or UPDATE from the callee (RFC 3261 14.2): a session refresh, hold or a new media address. The call
     * keeps its codec; without an offer we offer the session as it is.
     */
    void onReInvite(OutboundCall call, ServerTransaction tx, Request request) {
        onCall(call, () -> reInvite(call, tx, request));
    }

    private void reInvite(OutboundCall call, ServerTransaction tx, Request request) {
        SipMessages m = messages.get();
        MediaSession session = call.media;
        Negotiation.Accepted current = call.negotiated;
        SessionDescription offer = call.offer;
        if (call.answered == null || call.state.isFinal() || session == null || current == null || offer == null) {
            respond(tx, m.failure(491, request, null, "the call is not established yet"));
            return;
        }
        byte[] body = request.getRawContent();
        Response ok = m.response(200, request, null);
        m.addContact(ok, call.request.transport());
        call.sdpVersion++;
        // RFC 4028: the callee's refresh. Its refresher names the roles of this request, where the callee is the UAC.
        SessionTimer asked = SessionTimer.ofAnswer(SipRequests.headerValue(request, "Session-Expires"));
        if (asked != null) {
            m.addHeader(ok, "Session-Expires", asked.headerValue());
            m.addHeader(ok, "Require", "timer");
            call.sessionTimer =
                    new SessionTimer(asked.intervalSeconds(), "uac".equals(asked.refresher()) ? "uas" : "uac", true);
        }
        if (body == null || body.length == 0) {
            if (Request.INVITE.equals(request.getMethod())) {
                m.setSdp(ok, SdpWriter.write(SipServer.withVersion(offer, call.sdpVersion)));
            }
            respond(tx, ok);
            armSessionTimer(call); // an UPDATE or re-INVITE refreshes the session (RFC 4028 10)
            return;
        }
        Negotiation result;
        try {
            result = OfferAnswer.answer(
                    SdpParser.parse(new String(body, StandardCharsets.UTF_8)),
                    new AnswerPolicy(
                            List.of(new FormatSpec(
                                    current.codec().encodingName(),
                                    current.codec().clockRate(),
                                    Math.max(1, current.codec().channels()))),
                            true,
                            config.advertisedAddress(),
                            session.localPort(),
                            call.sdpSessionId,
                            call.sdpVersion,
                            "softswitch"));
        } catch (SdpParseException e) {
            result = new Negotiation.Rejected("unreadable SDP: " + e.getMessage());
        }
        if (result instanceof Negotiation.Rejected rejected) {
            call.sdpVersion--;
            respond(
                    tx,
                    m.failure(
                            488,
                            request,
                            null,
                            "the call keeps " + current.codec().encodingName() + ": " + rejected.reason()));
            return;
        }
        Negotiation.Accepted accepted = (Negotiation.Accepted) result;
        try {
            InetSocketAddress remote =
                    new InetSocketAddress(InetAddress.getByName(accepted.remoteAddress()), accepted.remotePort());
            session.redirect(
                    remote, accepted.direction().sends() && !remote.getAddress().isAnyLocalAddress());
        } catch (UnknownHostException e) {
            call.sdpVersion--;
            respond(tx, m.failure(488, request, null, "SDP connection address does not resolve"));
            return;
        }
        m.setSdp(ok, SdpWriter.write(accepted.answer()));
        respond(tx, ok);
        armSessionTimer(call); // a re-INVITE refreshes the session (RFC 4028 10)
        log.info(
                "re-INVITE: media now {} ({})",
                accepted.remoteAddress() + ":" + accepted.remotePort(),
                accepted.direction().attributeName());
    }

    private static void respond(ServerTransaction tx, Response response) {
        try {
            tx.sendResponse(response);
        } catch (SipException | InvalidArgumentException | IllegalStateException e) {
            log.warn("{} could not be sent: {}", response.getStatusCode(), e.getMessage());
        }
    }

    // ------------------------------------------------------------------ ending

    private void ringTimeout(OutboundCall call) {
        if (call.answered != null || call.state.isFinal()) {
            return;
        }
        log.info("no answer within {} s: cancelling", call.request.ringTimeout().toSeconds());
        cancelCall(call, Outcome.NO_ANSWER);
    }

    /** {@link OutboundCall#hangUp()}: cancel while ringing, BYE once answered. */
    private void stop(OutboundCall call) {
        if (call.state.isFinal()) {
            return;
        }
        if (call.answered == null) {
            cancelCall(call, Outcome.CANCELLED);
        } else {
            hangUp(call, "hung up by request", "completed", EndedBy.SOFTSWITCH);
        }
    }

    private void cancelCall(OutboundCall call, Outcome as) {
        if (call.cancelAs != null) {
            return;
        }
        call.cancelAs = as;
        if (call.inviteTx == null) {
            finish(call, as, 0, "cancelled before the INVITE went", EndedBy.SOFTSWITCH);
        } else if (call.provisional) {
            sendCancel(call);
        }
        // else RFC 3261 9.1: no CANCEL before a provisional response; the next one (or Timer B) ends the call
    }

    private void sendCancel(OutboundCall call) {
        ClientTransaction tx = call.inviteTx;
        if (call.cancelSent || tx == null) {
            return;
        }
        call.cancelSent = true;
        try {
            Request cancel = tx.createCancel();
            provider.get().getNewClientTransaction(cancel).sendRequest();
            // The 487 to the INVITE ends the call; if it never comes, Timer B does.
        } catch (SipException | RuntimeException e) {
            log.warn("CANCEL could not be sent: {}", e.getMessage());
            finish(call, call.cancelAs == null ? Outcome.CANCELLED : call.cancelAs, 0, "cancelled", EndedBy.SOFTSWITCH);
        }
    }

    private void assistantHungUp(OutboundCall call, String reason) {
        QueueMediaPort port = call.port;
        hangUp(
                call,
                "assistant: " + reason,
                port != null && port.failed() ? "assistant_failed" : "completed",
                EndedBy.ASSISTANT);
    }

    /** We end an answered call with BYE. */
    private void hangUp(OutboundCall call, String reason, String result, EndedBy by) {
        if (call.state.isFinal()) {
            return;
        }
        if (call.answered == null) {
            cancelCall(call, Outcome.CANCELLED);
            return;
        }
        sendBye(call);
        hangUpLocally(call, reason, result, by);
    }

    private void hangUpLocally(OutboundCall call, String reason, String result, EndedBy by) {
        if (call.state.isFinal()) {
            return;
        }
        log.info("ended: {} ({})", reason, result);
        finish(call, Outcome.ANSWERED, 200, reason, by, result);
    }

    private void finish(OutboundCall call, Outcome outcome, int status, String detail, EndedBy by) {
        finish(call, outcome, status, detail, by, outcome.label());
    }

    /** Releases everything the call holds, records it, and publishes its last status. Idempotent. */
    private void finish(OutboundCall call, Outcome outcome, int status, String detail, EndedBy by, String result) {
        if (call.state.isFinal()) {
            return;
        }
        call.state = outcome == Outcome.ANSWERED ? CallState.ENDED : CallState.FAILED;
        OutboundGuard.Admitted slot = call.slot;
        call.slot = null;
        if (slot != null) {
            slot.release(); // the trunk's slot, whatever ended the call (every end passes here once)
        }
        cancel(call.ringTimer);
        cancel(call.durationTimer);
        cancel(call.sessionTimerTask);
        QueueMediaPort port = call.port;
        CallRecorder recorder = call.recorder;
        call.recorder = null;
        MediaEnd media = MediaEnd.release(port, call.assistant, call.media, recorder, r -> workers.execute(r::close));
        if (call.sipCallId != null) {
            bySipCallId.remove(call.sipCallId, call);
        }
        byId.remove(call.id, call);
        Instant now = clock.instant();
        if (outcome != Outcome.ANSWERED) {
            log.info("not answered: {} ({})", detail, outcome.label());
        }
        try {
            ended.accept(record(call, now, outcome, status, detail, by, result, media, port), result);
        } catch (RuntimeException e) {
            log.warn("call record not written: {}", e.toString());
        }
        call.publish(new DialStatus(
                call.id,
                Phase.ENDED,
                outcome,
                status == 0 ? call.lastStatus : status,
                detail,
                call.created,
                call.answered,
                now));
    }

    private CallRecord record(
            OutboundCall call,
            Instant now,
            Outcome outcome,
            int status,
            String detail,
            EndedBy by,
            String result,
            MediaEnd media,
            @Nullable QueueMediaPort port) {
        Negotiation.Accepted accepted = call.negotiated;
        int sipStatus = status != 0 ? status : call.lastStatus != 0 ? call.lastStatus : 500;
        return CallRecord.builder()
                .callId(call.id)
                .sipCallId(call.sipCallId == null ? "" : call.sipCallId)
                .direction(CallRecord.Direction.OUTBOUND)
                .from(fromUri(call))
                .to(call.request.requestUri())
                .trunk(call.request.trunk())
                .assistant(call.assistantOverride != null ? call.assistantOverride.id() : call.request.assistantId())
                .codec(
                        accepted == null || call.answered == null
                                ? null
                                : accepted.codec().encodingName())
                .started(call.created)
                .answered(call.answered)
                .ended(now)
                .endedBy(by)
                .reason(outcome == Outcome.ANSWERED ? result : outcome.label())
                .detail(detail)
                .sipStatus(sipStatus < 200 ? 500 : sipStatus)
                .rtp(media.rtp(call.answered != null))
                .jitterBuffer(media.jitterBuffer(call.answered != null))
                .dtmfCount(port == null ? 0 : (int) port.dtmfCount())
                .recording(call.recording)
                .build();
    }

    // ------------------------------------------------------------------ helpers

    private DialStatus status(OutboundCall call, Phase phase, @Nullable Outcome outcome, String detail) {
        return new DialStatus(call.id, phase, outcome, call.lastStatus, detail, call.created, call.answered, null);
    }

    private String fromUri(OutboundCall call) {
        Request invite = call.invite;
        if (invite != null) {
            return SipRequests.uriOf(((javax.sip.header.FromHeader) invite.getHeader(javax.sip.header.FromHeader.NAME))
                    .getAddress()
                    .getURI());
        }
        return "sip:" + call.request.fromUser() + "@" + config.advertisedAddress();
    }

    private void ack(OutboundCall call, Response response) {
        Dialog dialog = call.dialog;
        if (dialog == null) {
            return;
        }
        try {
            Request ack = dialog.createAck(((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber());
            dialog.sendAck(ack);
            call.ack = ack;
        } catch (SipException | InvalidArgumentException e) {
            log.warn("ACK could not be sent: {}", e.getMessage());
        }
    }

    private void resendAck(OutboundCall call) {
        Dialog dialog = call.dialog;
        Request ack = call.ack;
        if (dialog != null && ack != null) {
            try {
                dialog.sendAck(ack);
            } catch (SipException e) {
                log.debug("ACK could not be sent again: {}", e.getMessage());
            }
        }
    }

    private void byeStray(ResponseEvent event) {
        Dialog dialog = event.getDialog();
        if (dialog == null) {
            return;
        }
        try {
            long seq = ((CSeqHeader) event.getResponse().getHeader(CSeqHeader.NAME)).getSeqNumber();
            dialog.sendAck(dialog.createAck(seq));
            Request bye = dialog.createRequest(Request.BYE);
            dialog.sendRequest(provider.get().getNewClientTransaction(bye));
        } catch (SipException | InvalidArgumentException e) {
            log.debug("a late 200 OK could not be ended: {}", e.getMessage());
        }
    }

    private void sendBye(OutboundCall call) {
        Dialog dialog = call.dialog;
        if (dialog == null) {
            return;
        }
        try {
            Request bye = dialog.createRequest(Request.BYE);
            dialog.sendRequest(provider.get().getNewClientTransaction(bye));
        } catch (SipException e) {
            log.warn("BYE could not be sent: {}", e.getMessage());
        }
    }

    private static void cancel(java.util.concurrent.@Nullable Future<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    private static String newBranch() {
        return "z9hG4bK" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    private static String newTag() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffff_ffffL);
    }

    private void onCall(OutboundCall call, Runnable task) {
        call.executor.execute(() -> {
            MDC.put("call", call.id);
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("placed call failed: {}", e.toString(), e);
                finish(call, Outcome.FAILED, 0, "internal error: " + e, EndedBy.SOFTSWITCH);
            } finally {
                MDC.remove("call");
            }
        });
    }
}
