package dev.softswitch.sip;

import dev.softswitch.assistant.Assistant;
import dev.softswitch.assistant.AssistantDirectory;
import dev.softswitch.assistant.AssistantRunner;
import dev.softswitch.assistant.BridgeAssistant;
import dev.softswitch.assistant.CallFacts;
import dev.softswitch.assistant.DtmfEvent;
import dev.softswitch.assistant.DtmfInfoParser;
import dev.softswitch.assistant.DtmfTally;
import dev.softswitch.assistant.QueueMediaPort;
import dev.softswitch.assistant.TransferFailed;
import dev.softswitch.assistant.UnsupportedDtmfBodyException;
import dev.softswitch.assistant.recording.CallRecorder;
import dev.softswitch.codecs.CodecInfo;
import dev.softswitch.codecs.Codecs;
import dev.softswitch.rtp.MediaEngine;
import dev.softswitch.rtp.MediaUnavailableException;
import dev.softswitch.rtp.session.MediaParams;
import dev.softswitch.rtp.session.MediaSession;
import dev.softswitch.rtp.session.MediaStats;
import dev.softswitch.rtp.session.MediaTimeout;
import dev.softswitch.rtp.session.ReceptionStats;
import dev.softswitch.rtp.session.RtcpStats;
import dev.softswitch.sdp.AnswerPolicy;
import dev.softswitch.sdp.Direction;
import dev.softswitch.sdp.FormatSpec;
import dev.softswitch.sdp.Negotiation;
import dev.softswitch.sdp.OfferAnswer;
import dev.softswitch.sdp.OfferSafety;
import dev.softswitch.sdp.SdpParseException;
import dev.softswitch.sdp.SdpParser;
import dev.softswitch.sdp.SdpWriter;
import dev.softswitch.sdp.SessionDescription;
import dev.softswitch.sip.admission.CallLimiter;
import dev.softswitch.sip.admission.CallRequest;
import dev.softswitch.sip.call.CallFailure;
import dev.softswitch.sip.call.CallRecord;
import dev.softswitch.sip.call.CallRecord.EndedBy;
import dev.softswitch.sip.call.CallState;
import dev.softswitch.sip.call.IllegalTransitionException;
import dev.softswitch.sip.call.SerialExecutor;
import dev.softswitch.sip.call.SessionTimer;
import dev.softswitch.sip.guard.GuardedListener;
import dev.softswitch.sip.guard.SipGuard;
import dev.softswitch.sip.guard.SipGuards;
import dev.softswitch.sip.outbound.OutboundGuard;
import dev.softswitch.sip.registrar.Registrar;
import dev.softswitch.sip.registrar.Registration;
import dev.softswitch.sip.stack.DialogErrors;
import dev.softswitch.sip.stack.EarlyAck;
import dev.softswitch.sip.stack.StackAudit;
import dev.softswitch.sip.stack.StackCensus;
import dev.softswitch.sip.stack.StackProperties;
import dev.softswitch.sip.tls.SipTls;
import dev.softswitch.sip.tls.SipTlsRegistry;
import dev.softswitch.sip.uac.RegistrationStatus;
import dev.softswitch.sip.uac.TrunkRegistration;
import gov.nist.javax.sip.DialogTimeoutEvent;
import gov.nist.javax.sip.RequestEventExt;
import gov.nist.javax.sip.SipListenerExt;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TooManyListenersException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.ObjectInUseException;
import javax.sip.PeerUnavailableException;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipFactory;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.RequireHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The SIP side of the softswitch: owns the JAIN-SIP stack, answers every request, and takes inbound calls from INVITE
 * to hang-up. Stack threads only parse, route and answer; each call's work runs on its own serial executor over
 * virtual threads, so nothing here blocks the stack.
 */
public final class SipServer implements SipListenerExt, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SipServer.class);
    /** Methods RFC 3261 and its extensions define that we do not (yet) handle: 405, not 501. */
    private static final Set<String> KNOWN_METHODS = Set.of("PRACK", "PUBLISH");
    /** Option tags of the extensions we implement, for Require and Supported. */
    private static final Set<String> SUPPORTED = Set.of("timer");
    /** Requests that never get a response of their own, and so are never refused for a Require. */
    private static final Set<String> NO_RESPONSE = Set.of(Request.ACK, Request.CANCEL);
    /** How long shutdown waits for the carriers to confirm that our bindings are removed. */
    private static final Duration UNREGISTER_WAIT = Duration.ofSeconds(1);

    private final SipServerConfig config;
    private final CallAdmission admission;
    private final AssistantDirectory assistants;
    private final MediaEngine media;
    private final CallLimiter limiter;
    private final @Nullable Registration registration;
    private final Clock clock;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("sip-timers").daemon(true).factory());
    private final Map<String, InboundCall> calls = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> results = new ConcurrentHashMap<>();
    private final AtomicLong illegalTransitions = new AtomicLong();
    private final DtmfTally dtmf = new DtmfTally();

    private @Nullable SipStack stack;
    private @Nullable StackAudit stackAudit;
    private @Nullable SipProvider provider;
    private @Nullable SipMessages messages;
    private @Nullable RegisterRequests registerRequestsOrNull;
    private @Nullable Transfers transfersOrNull;
    private @Nullable Dialer dialerOrNull;
    private @Nullable SessionRefresher refresherOrNull;
    private @Nullable TrunkRegistrations trunkRegistrationsOrNull;
    private volatile boolean accepting = true;
    private volatile @Nullable Consumer<CallRecord> records;
    private volatile @Nullable TransferLegs transferLegs;
    private volatile SipGuard guard = SipGuard.defaults();
    private volatile OutboundGuard outbound = OutboundGuard.none();

    public SipServer(
            SipServerConfig config,
            CallAdmission admission,
            AssistantDirectory assistants,
            MediaEngine media,
            Clock clock) {
        this(config, admission, CallLimiter.unlimited(), assistants, media, clock);
    }

    public SipServer(
            SipServerConfig config,
            CallAdmission admission,
            CallLimiter limiter,
            AssistantDirectory assistants,
            MediaEngine media,
            Clock clock) {
        this(config, admission, limiter, null, assistants, media, clock);
    }

    /** With {@code registration}: REGISTER is served for the PBX users it knows (else 405). */
    public SipServer(
            SipServerConfig config,
            CallAdmission admission,
            CallLimiter limiter,
            @Nullable Registration registration,
            AssistantDirectory assistants,
            MediaEngine media,
            Clock clock) {
        this.config = config;
        this.admission = admission;
        this.limiter = limiter;
        this.registration = registration;
        this.assistants = assistants;
        this.media = media;
        this.clock = clock;
    }

    /** Starts the stack and listens on every configured transport. */
    public void start() throws SipStartException {
        try {
            SipFactory factory = SipFactory.getInstance();
            factory.setPathName("gov.nist");
            SipGuards.register(stackName(), guard); // the stack's parser factory and valve find it by the name
            SipTls tls = config.tls();
            if (tls != null) {
                SipTlsRegistry.register(stackName(), tls); // so does its TLS network layer
            }
            SipStack s = factory.createSipStack(StackProperties.of(stackName(), StackProperties.DEFAULT_THREADS, tls));
            MessageFactory messageFactory = factory.createMessageFactory();
            HeaderFactory headerFactory = factory.createHeaderFactory();
            AddressFactory addressFactory = factory.createAddressFactory();
            SipProvider p = null;
            for (String transport : List.of("udp", "tcp")) {
                if (!config.transports().contains(transport)) {
                    continue;
                }
                ListeningPoint lp = s.createListeningPoint(config.bindAddress(), config.port(), transport);
                if (p == null) {
                    p = s.createSipProvider(lp);
                } else {
                    p.addListeningPoint(lp);
                }
            }
            if (p == null) {
                throw new SipStartException("no transport to listen on");
            }
            if (tls != null) {
                p.addListeningPoint(tlsListeningPoint(s, tls));
            }
            p.addSipListener(new GuardedListener(this, guard)); // no Error from us ends a stack thread
            this.stack = s;
            this.stackAudit = new StackAudit(s);
            this.provider = p;
            this.messages = new SipMessages(messageFactory, headerFactory, addressFactory, config);
            this.registerRequestsOrNull = new RegisterRequests(
                    messages,
                    registration,
                    clock,
                    this::respondStateful,
                    source -> guard.authFailed(source, "REGISTER"));
            this.transfersOrNull = new Transfers(messages, this::provider, this::placeSecondLeg);
            this.refresherOrNull = new SessionRefresher(this::provider, this::msgs);
            this.dialerOrNull = new Dialer(
                    config,
                    this::msgs,
                    this::provider,
                    media,
                    assistants,
                    workers,
                    timers,
                    clock,
                    this::placedCallEnded,
                    dtmf,
                    () -> outbound);
            RegisterMessages registerMessages = new RegisterMessages(messages, config);
            this.trunkRegistrationsOrNull =
                    new TrunkRegistrations(() -> registerMessages, this::provider, workers, timers, clock);
            s.start();
            log.info(
                    "SIP listening on {}:{} ({}), advertising {}",
                    config.bindAddress(),
                    config.port(),
                    String.join(", ", config.transports()),
                    config.advertisedAddress());
            if (tls != null) {
                log.info("SIP over TLS on {}:{}: {}", config.bindAddress(), tls.port(), tls.describe());
            }
        } catch (PeerUnavailableException | TooManyListenersException | ObjectInUseException e) {
            throw new SipStartException("SIP stack would not start: " + e.getMessage(), e);
        } catch (javax.sip.TransportNotSupportedException | javax.sip.InvalidArgumentException e) {
            throw new SipStartException(
                    "SIP could not listen on " + config.bindAddress() + ":" + config.port() + ": " + e.getMessage(), e);
        } catch (SipException e) {
            throw new SipStartException("SIP stack would not start: " + e.getMessage(), e);
        }
    }

    private ListeningPoint tlsListeningPoint(SipStack s, SipTls tls) throws SipStartException {
        try {
            return s.createListeningPoint(config.bindAddress(), tls.port(), "tls");
        } catch (javax.sip.TransportNotSupportedException | javax.sip.InvalidArgumentException e) {
            s.stop(); // the UDP and TCP listeners are up: free their ports too
            throw new SipStartException(
                    "SIP over TLS could not listen on " + config.bindAddress() + ":" + tls.port() + ": "
                            + e.getMessage() + " (try --tls-port)",
                    e);
        }
    }

    /**
     * The defences against hostile input this server uses (see {@code dev.softswitch.sip.guard}); the defaults unless
     * set, before {@link #start}.
     */
    public void guard(SipGuard guard) {
        this.guard = guard;
    }

    /** The defences in use, and their counters. */
    public SipGuard guard() {
        return guard;
    }

    /**
     * The toll-fraud caps every placed call passes (trunks' {@code max_concurrent_calls}, {@code max_calls_per_minute},
     * {@code allowed_prefixes}); none unless set, before {@link #start}.
     */
    public void outboundGuard(OutboundGuard outbound) {
        this.outbound = outbound;
    }

    /** The toll-fraud caps in use, and their counts. */
    public OutboundGuard outboundGuard() {
        return outbound;
    }

    private String stackName() {
        return "softswitch-" + config.bindAddress() + "-" + config.port();
    }

    /** The registrar, when PBX users are configured. */
    public @Nullable Registrar registrar() {
        return registration == null ? null : registration.registrar();
    }

    /** The SIP port listened on. */
    public int port() {
        return config.port();
    }

    /** Calls in progress (not yet ended), received and placed. */
    public int activeCalls() {
        Dialer d = dialerOrNull;
        return calls.size() + (d == null ? 0 : d.activeCalls());
    }

    /** The dialogs and transactions the SIP stack holds now (nothing before {@link #start}). */
    public StackCensus stackCensus() {
        StackAudit audit = stackAudit;
        return audit == null ? StackCensus.EMPTY : audit.census();
    }

    /**
     * Runs the SIP stack's leak audit (see {@link StackAudit#audit}) with the Call-IDs of the calls in progress, received
     * and placed: what it reports it has also removed. Empty when nothing leaked (or before {@link #start}).
     */
    public Optional<String> auditStack(Duration age) {
        StackAudit audit = stackAudit;
        if (audit == null) {
            return Optional.empty();
        }
        Set<String> live = new java.util.HashSet<>(calls.keySet());
        Dialer d = dialerOrNull;
        if (d != null) {
            live.addAll(d.sipCallIds());
        }
        return audit.audit(live, age);
    }

    /**
     * Places a call (see {@link DialRequest}) and returns at once; {@code progress} hears each change of its status,
     * the last being {@link DialStatus.Phase#ENDED}, on the call's own thread (it must not block). A call a trunk's
     * toll-fraud cap refuses ({@link #outboundGuard}) sends nothing: it ends at once with outcome {@code refused}, and
     * {@link OutboundCall#refusal()} says why as soon as this returns.
     *
     * @throws IllegalStateException when the server is not started or is shutting down
     */
    public OutboundCall dial(DialRequest request, Consumer<DialStatus> progress) {
        if (!accepting) {
            throw new IllegalStateException("shutting down: no new calls");
        }
        return dialer().dial(request, progress);
    }

    /**
     * Starts keeping a REGISTER binding at each carrier (RFC 3261 10.2), so that it sends us inbound calls: registered
     * at once, refreshed before expiry, retried with back-off after a failure, removed at {@link #shutdown}. Returns
     * at once; {@link #registrations()} shows how each stands.
     *
     * @throws IllegalStateException when the server is not started or is shutting down
     */
    public void register(List<TrunkRegistration> registrations) {
        if (!accepting) {
            throw new IllegalStateException("shutting down: no new registrations");
        }
        trunkRegistrations().start(registrations);
    }

    /** How each binding started by {@link #register} stands, in the order they were started. */
    public List<RegistrationStatus> registrations() {
        TrunkRegistrations r = trunkRegistrationsOrNull;
        return r == null ? List.of() : r.statuses();
    }

    /** A call placed by {@link #dial} that has not ended yet. */
    public Optional<OutboundCall> placedCall(String id) {
        Dialer d = dialerOrNull;
        return d == null ? Optional.empty() : Optional.ofNullable(d.call(id));
    }

    /** How a transfer's target becomes a call of ours: target, the call's trunk and assistant to a request. */
    public interface TransferLegs {
        /** The call to place for {@code target}, or empty when it cannot be reached from here. */
        Optional<DialRequest> plan(String target, @Nullable String trunk, String assistantId);
    }

    /**
     * Where the caller's side refuses REFER, call the target with {@code legs} and bridge the two calls (without it,
     * a refused REFER is only reported to the assistant).
     */
    public void onReferRefused(TransferLegs legs) {
        this.transferLegs = legs;
    }

    /** Transfers.SecondLeg: calls the target; once it answers, the caller talks with it and the assistant steps out. */
    private boolean placeSecondLeg(InboundCall call, String target, TransferFailed failed, String refusal) {
        TransferLegs legs = transferLegs;
        QueueMediaPort port = call.port;
        String assistantId = call.assistantId;
        if (legs == null || port == null || assistantId == null || call.secondLeg != null || !accepting) {
            return false;
        }
        Optional<DialRequest> request = legs.plan(target, call.trunk, assistantId);
        if (request.isEmpty()) {
            return false;
        }
        log.info("transfer to {}: calling it ourselves and bridging the calls", target);
        call.secondLeg = dialer().dial(
                        request.get(),
                        new BridgeAssistant(port, port.assistantRate()),
                        status -> onCall(call, () -> secondLegProgress(call, status, target, failed, refusal)));
        return true;
    }

    private void secondLegProgress(
            InboundCall call, DialStatus status, String target, TransferFailed failed, String refusal) {
        if (call.state().isFinal() || call.state() == CallState.ENDING) {
            return;
        }
        if (status.phase() == DialStatus.Phase.ANSWERED) {
            log.info("transfer to {}: answered; the caller now talks with it (second leg {})", target, status.callId());
            if (call.assistant != null) {
                call.assistant.cancel(true); // the assistant steps out; the bridge carries the audio now
            }
        } else if (status.isEnded()) {
            call.secondLeg = null;
            if (status.answered() != null) {
                hangUp(call, "the transferred call ended: " + status.detail(), "transferred", EndedBy.CALLEE);
            } else {
                DialStatus.Outcome outcome = status.outcome();
                failed.failed(
                        target,
                        "the caller's side refused the transfer (" + refusal + ") and calling the target failed: "
                                + (outcome == null ? "failed" : outcome.label()) + " (" + status.detail() + ")");
            }
        }
    }

    private void placedCallEnded(CallRecord record, String result) {
        results.computeIfAbsent(result, k -> new LongAdder()).increment();
        Consumer<CallRecord> sink = records;
        if (sink != null) {
            sink.accept(record);
        }
    }

    /** Calls ended so far, by result label ({@code completed}, {@code cancelled}, {@code not_acceptable} ...). */
    public Map<String, Long> callResults() {
        Map<String, Long> out = new java.util.TreeMap<>();
        results.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Key presses handed to assistants, by route (RFC 4733, INFO, in band), over received and placed calls. */
    public long dtmfEvents(DtmfEvent.Method method) {
        return dtmf.count(method);
    }

    /** Moves the transition table refused; anything but zero is a bug worth a look. */
    public long illegalTransitions() {
        return illegalTransitions.get();
    }

    // ------------------------------------------------------------------ requests (stack threads)

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        String method = request.getMethod();
        try {
            if (!NO_RESPONSE.contains(method)) {
                // RFC 3261 8.2.2.3: an extension we do not implement is refused; timer (RFC 4028) we do.
                List<String> unsupported = new ArrayList<>();
                request.getHeaders(RequireHeader.NAME).forEachRemaining(h -> {
                    String tag = ((RequireHeader) h).getOptionTag();
                    if (!SUPPORTED.contains(tag.toLowerCase(Locale.ROOT))) {
                        unsupported.add(tag);
                    }
                });
                if (!unsupported.isEmpty()) {
                    Response refusal = msgs().failure(420, request, null, "an extension is required that we lack");
                    unsupported.forEach(tag -> msgs().addHeader(refusal, "Unsupported", tag));
                    respondStateful(event, refusal);
                    return;
                }
            }
            switch (method) {
                case Request.INVITE -> onInvite(event);
                case Request.UPDATE -> onReInvite(event);
                case Request.ACK -> onAck(request);
                case Request.BYE -> onBye(event);
                case Request.CANCEL -> onCancel(event);
                case Request.OPTIONS -> onOptions(event);
                case Request.REGISTER -> registerRequests().handle(event);
                case Request.MESSAGE -> onMessage(event);
                case Request.NOTIFY -> onNotify(event);
                case Request.INFO -> onInfo(event);
                case Request.REFER ->
                    respondStateful(
                            event,
                            msgs().failure(603, request, null, "calls are not transferred at the caller's request"));
                case Request.SUBSCRIBE ->
                    respondStateful(event, msgs().failure(489, request, null, "no event packages are offered"));
                default ->
                    respondStateful(
                            event,
                            msgs().failure(
                                            KNOWN_METHODS.contains(method) ? 405 : 501,
                                            request,
                                            null,
                                            method + " is not supported"));
            }
        } catch (RuntimeException | StackOverflowError e) {
            // Never let one request's fault kill a stack thread.
            log.error("{} handling failed: {}", method, e.toString(), e);
        }
    }

    private void onInvite(RequestEvent event) {
        Request request = event.getRequest();
        if (((ToHeader) request.getHeader(ToHeader.NAME)).getTag() != null) {
            onReInvite(event); // RFC 3261 14.2
            return;
        }
        ServerTransaction tx = serverTransaction(event);
        if (tx == null) {
            return; // a retransmission the stack already answers
        }
        String sipCallId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        String id = newCallId();
        String transport = transportOf(event);
        InboundCall call = new InboundCall(
                id, sipCallId, new SerialExecutor(workers), tx, request, id, transport, clock.instant());
        if (!accepting) {
            send(call, msgs().failure(503, request, id, "shutting down"));
            return;
        }
        if (calls.putIfAbsent(sipCallId, call) != null) {
            send(call, msgs().failure(482, request, id, "a call with this Call-ID is in progress"));
            return;
        }
        send(call, msgs().response(100, request, null));
        String source = ((RequestEventExt) event).getRemoteIpAddress();
        onCall(call, () -> setUp(call, source));
    }

    private void onAck(Request request) {
        InboundCall call = calls.get(SipRequests.callId(request));
        if (call != null) {
            long cseq = ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber();
            onCall(call, () -> {
                EarlyAck.settle(call.dialog, cseq); // the 2xx it acknowledges was sent by a task before this one
                if (call.state() == CallState.RINGING && call.finalResponseSent) {
                    move(call, CallState.CONNECTED);
                    log.info("connected");
                    String pending = call.byeAfterAck;
                    if (pending != null) {
                        hangUp(call, pending);
                    }
                } else if (call.offerInFlight) {
                    call.offerInFlight = false;
                    applyAnswerInAck(call, request);
                }
            });
        }
    }

    /** The call a request belongs to, or null after answering 481 with {@code reason} (RFC 3261 12.2.2). */
    private @Nullable InboundCall callOr481(RequestEvent event, String reason) {
        InboundCall call = calls.get(SipRequests.callId(event.getRequest()));
        if (call == null) {
            respondStateful(event, msgs().failure(481, event.getRequest(), null, reason));
        }
        return call;
    }

    private void onBye(RequestEvent event) {
        Request request = event.getRequest();
        OutboundCall placed = dialer().bySipCallId(SipRequests.callId(request));
        if (placed != null) {
            respondStateful(event, msgs().response(200, request, null));
            dialer().onBye(placed);
            return;
        }
        InboundCall call = callOr481(event, "no such call");
        if (call == null) {
            return;
        }
        respondStateful(event, msgs().response(200, request, null));
        onCall(call, () -> end(call, CallState.ENDED, "caller hung up", "completed", EndedBy.CALLER));
    }

    private void onCancel(RequestEvent event) {
        Request request = event.getRequest();
        InboundCall call = callOr481(event, "no such transaction");
        if (call == null) {
            return;
        }
        respondStateful(event, msgs().response(200, request, null));
        onCall(call, () -> {
            if (call.finalResponseSent) {
                return; // RFC 3261 9.2: too late, the call was answered; the caller will ACK and BYE
            }
            send(call, msgs().response(487, call.invite, call.toTag));
            call.finalResponseSent = true;
            call.finalStatus = 487;
            end(call, CallState.ENDED, "caller cancelled", "cancelled", EndedBy.CALLER);
        });
    }

    private void onOptions(RequestEvent event) {
        Request request = event.getRequest();
        if (!accepting && ((ToHeader) request.getHeader(ToHeader.NAME)).getTag() == null) {
            // A balancer's probe (Kamailio's dispatcher) takes a draining instance out on this 503; an OPTIONS inside
            // a call in progress still gets 200, so its keep-alive does not end the call.
            respondStateful(event, msgs().failure(503, request, null, "draining: no new calls"));
            return;
        }
        Response ok = msgs().response(200, request, null);
        msgs().addAllow(ok);
        msgs().addHeader(ok, "Accept", "application/sdp");
        msgs().addHeader(ok, "Supported", String.join(", ", SUPPORTED));
        respondStateful(event, ok);
    }

    /** MESSAGE: the text reaches the assistant of the call in progress (RFC 3428); no call, 404. */
    private void onMessage(RequestEvent event) {
        Request request = event.getRequest();
        InboundCall call = calls.get(SipRequests.callId(request));
        QueueMediaPort port = call == null ? null : call.port;
        if (port == null) {
            respondStateful(event, msgs().failure(404, request, null, "no call in progress to deliver the message to"));
            return;
        }
        byte[] body = request.getRawContent();
        port.offerText(body == null ? "" : new String(body, StandardCharsets.UTF_8));
        respondStateful(event, msgs().response(200, request, null));
    }

    /** NOTIFY and INFO (other than DTMF): accepted inside a call, 481 outside (RFC 3261 12.2.2). */
    /** NOTIFY in a call: 200, and when it reports our transfer's outcome, act on it; 481 outside a call. */
    private void onNotify(RequestEvent event) {
        InboundCall call = callOr481(event, "NOTIFY outside of a call");
        if (call == null) {
            return;
        }
        respondStateful(event, msgs().response(200, event.getRequest(), null));
        Request notify = event.getRequest();
        onCall(call, () -> {
            if (transfers().onNotify(call, notify) == Transfers.Progress.TRANSFERRED) {
                hangUp(call, "transferred", "transferred", EndedBy.ASSISTANT);
            }
        });
    }

    /** INFO inside a call: DTMF relay (application/dtmf-relay, application/dtmf) reaches the assistant; 481 outside. */
    private void onInfo(RequestEvent event) {
        Request request = event.getRequest();
        OutboundCall placed = dialer().bySipCallId(SipRequests.callId(request));
        InboundCall call = placed != null ? null : callOr481(event, "INFO outside of a call");
        if (call == null && placed == null) {
            return;
        }
        byte[] body = request.getRawContent();
        if (body == null || body.length == 0) {
            respondStateful(event, msgs().response(200, request, null)); // an empty INFO: a keep-alive
            return;
        }
        ContentTypeHeader type = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
        String contentType = type == null ? "" : type.getContentType() + "/" + type.getContentSubType();
        try {
            Optional<DtmfEvent> key = DtmfInfoParser.parse(contentType, new String(body, StandardCharsets.UTF_8));
            QueueMediaPort port = placed != null ? placed.port : call != null ? call.port : null;
            if (key.isPresent() && port != null) {
                port.offerDtmf(key.get());
                log.debug("DTMF {} by INFO", key.get().digit());
            }
            respondStateful(event, msgs().response(200, request, null));
        } catch (UnsupportedDtmfBodyException e) {
            Response unsupported = msgs().failure(415, request, null, "INFO carries DTMF only");
            unsupported.removeHeader("Accept");
            for (String accepted : DtmfInfoParser.SUPPORTED_TYPES.split(",\\s*")) {
                msgs().addHeader(unsupported, "Accept", accepted);
            }
            respondStateful(event, unsupported);
        } catch (IllegalArgumentException e) {
            respondStateful(event, msgs().failure(400, request, null, e.getMessage()));
        }
    }

    // ------------------------------------------------------------------ one call (its serial executor)

    private void setUp(InboundCall call, String source) {
        log.info(
                "INVITE {} -> {} from {} over {} (Call-ID {})",
                SipRequests.uriOf(((FromHeader) call.invite.getHeader(FromHeader.NAME))
                        .getAddress()
                        .getURI()),
                SipRequests.uriOf(call.invite.getRequestURI()),
                source,
                call.transport,
                call.sipCallId);
        gov.nist.javax.sip.address.@Nullable SipUri keyed = keyUri(call.invite);
        CallAdmission.Decision decision = admission.admit(new CallRequest(
                literalAddress(source),
                Request.INVITE,
                call.invite.getRequestURI().toString(),
                keyed != null ? keyed.getUser() : requestUser(call.invite),
                keyed != null ? keyed.getUserPassword() : null,
                SipRequests.headerValue(call.invite, AuthorizationHeader.NAME)));
        if (decision instanceof CallAdmission.Decision.Refuse refuse) {
            fail(call, refuse.failure());
            return;
        }
        CallAdmission.Decision.Admit admit = (CallAdmission.Decision.Admit) decision;
        call.trunk = admit.trunk(); // before the limits: a call refused by its trunk's limit is recorded with it
        Optional<CallLimiter.Permit> permit = limiter.tryAcquire(admit.trunk());
        if (permit.isEmpty()) {
            fail(
                    call,
                    new CallFailure.LimitReached(
                            admit.trunk() == null
                                    ? "call limit reached"
                                    : "call limit of trunk " + admit.trunk() + " reached"));
            return;
        }
        call.permit = permit.get();
        call.maxDuration = admit.maxDuration();
        call.trunk = admit.trunk();
        String assistantId = admit.assistantId();
        Optional<Assistant> assistant = assistants.find(assistantId);
        if (assistant.isEmpty()) {
            fail(call, new CallFailure.UnknownAssistant(assistantId));
            return;
        }
        log.info("admitted {} for assistant {}", admit.caller(), assistantId);
        call.assistantId = assistantId;
        call.fromLoopback = isLoopback(source);
        SessionDescription offer;
        try {
            offer = readOffer(call.invite);
        } catch (OfferException e) {
            fail(call, e.failure);
            return;
        }
        Optional<String> unsafe = OfferSafety.check(offer, call.fromLoopback);
        if (unsafe.isPresent()) {
            log.info("offer refused: {}", unsafe.get());
            fail(call, new CallFailure.NotAcceptable(unsafe.get()));
            return;
        }
        // Negotiate once before taking a port (port 9, discard, stands in) so a refused offer costs no socket.
        call.sessionTimer = sessionTimerOf(call.invite);
        if (call.sessionTimer instanceof SessionTimer.Decision.TooSmall tooSmall) {
            fail(call, new CallFailure.SessionIntervalTooSmall(tooSmall.minSe()));
            return;
        }
        Negotiation trial = OfferAnswer.answer(offer, policy(call, 9, config.codecs()));
        if (trial instanceof Negotiation.Rejected rejected) {
            fail(call, new CallFailure.NotAcceptable(rejected.reason()));
            return;
        }
        MediaSession session;
        try {
            // With rtcp-mux agreed (RFC 5761) RTCP shares the RTP socket; else it takes the port above.
            session = media.open(call.id, ((Negotiation.Accepted) trial).rtcpMux());
        } catch (MediaUnavailableException e) {
            fail(call, new CallFailure.MediaUnavailable(e.getMessage()));
            return;
        }
        call.media = session;
        Negotiation.Accepted accepted =
                (Negotiation.Accepted) OfferAnswer.answer(offer, policy(call, session.localPort(), config.codecs()));
        call.negotiated = accepted;
        Optional<CodecInfo> codec =
                Codecs.byName(accepted.codec().encodingName(), accepted.codec().clockRate());
        if (codec.isEmpty()) {
            fail(call, new CallFailure.Internal("negotiated codec " + accepted.codec() + " has no implementation"));
            return;
        }
        Duration delay = config.answerDelay();
        if (!delay.isZero()) { // a 180 only when the call rings: before a 200 that follows at once it tells nobody
            // anything
            Response ringing = msgs().response(180, call.invite, call.toTag);
            msgs().addContact(ringing, call.transport, call.invite);
            if (!send(call, ringing)) {
                end(call, CallState.FAILED, "180 Ringing could not be sent", "send_failed", EndedBy.SOFTSWITCH);
                return;
            }
        }
        call.dialog = call.inviteTx.getDialog();
        DialogErrors.reportTo(call.dialog, provider()); // without a 180 the stack would not tell us of a lost ACK
        move(call, CallState.RINGING);
        Runnable answer = () -> answer(call, accepted, codec.get(), assistant.get());
        if (delay.isZero()) {
            answer.run();
        } else {
            call.answerTimer = timers.schedule(() -> onCall(call, answer), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void answer(InboundCall call, Negotiation.Accepted accepted, CodecInfo codec, Assistant assistant) {
        MediaSession session = call.media;
        if (call.state() != CallState.RINGING || call.finalResponseSent || session == null) {
            return; // cancelled while ringing
        }
        InetSocketAddress remote;
        try {
            remote = new InetSocketAddress(InetAddress.getByName(accepted.remoteAddress()), accepted.remotePort());
        } catch (UnknownHostException e) {
            fail(
                    call,
                    new CallFailure.NotAcceptable(
                            "SDP connection address " + accepted.remoteAddress() + " does not resolve"));
            return;
        }
        boolean send = (accepted.direction() == Direction.SENDRECV || accepted.direction() == Direction.SENDONLY)
                && !remote.getAddress().isAnyLocalAddress();
        int assistantRate = assistant.sampleRate(codec.sampleRate());
        QueueMediaPort port = QueueMediaPort.between(
                        codec.sampleRate(),
                        assistantRate,
                        assistant.playoutFrames(),
                        reason -> onCall(call, () -> assistantHungUp(call, reason)))
                .tallyDtmf(dtmf);
        call.port = port;
        port.onTransfer((target, failed) -> onCall(call, () -> transfers().refer(call, target, failed)));
        // <recordings>/<call id>.wav at the codec's audio rate, when the assistant records calls.
        CallRecorder recorder = RecorderTap.open(config.recordingOf(assistant.id(), call.id), codec.sampleRate());
        call.recorder = recorder;
        call.recording = recorder == null ? null : recorder.file().toString();
        Duration silence = config.mediaTimeout();
        session.start(
                new MediaParams(
                        codec,
                        accepted.codec().payloadType(),
                        accepted.telephoneEventPayloadType(),
                        remote,
                        send,
                        accepted.remoteRtcpPort()),
                port,
                new MediaTimeout(
                        config.mediaTimeout(),
                        config.holdTimeout(),
                        () -> onCall(
                                call,
                                () -> hangUp(
                                        call,
                                        "no RTP from the caller for "
                                                + (call.state() == CallState.ON_HOLD ? config.holdTimeout() : silence)
                                                        .toSeconds()
                                                + " s",
                                        "media_timeout"))),
                recorder == null ? null : new RecorderTap(recorder));
        String from = SipRequests.uriOf(((FromHeader) call.invite.getHeader(FromHeader.NAME))
                .getAddress()
                .getURI());
        CallFacts facts = new CallFacts(
                call.id,
                from,
                SipRequests.uriOf(call.invite.getRequestURI()),
                assistant.id(),
                codec.encodingName(),
                assistantRate);
        call.assistant = AssistantRunner.start(assistant, facts, port, workers);
        Response ok = msgs().response(200, call.invite, call.toTag);
        msgs().addContact(ok, call.transport, call.invite);
        msgs().setSdp(ok, SdpWriter.write(accepted.answer()));
        armSessionTimer(call, ok, call.sessionTimer);
        if (!send(call, ok)) {
            end(call, CallState.FAILED, "200 OK could not be sent", "send_failed", EndedBy.SOFTSWITCH);
            return;
        }
        call.finalResponseSent = true;
        call.finalStatus = 200;
        call.answered = clock.instant();
        if (!call.maxDuration.isZero()) {
            call.durationTimer = timers.schedule(
                    () -> onCall(
                            call,
                            () -> hangUp(
                                    call,
                                    "maximum duration " + call.maxDuration.toSeconds() + " s reached",
                                    "max_duration")),
                    call.maxDuration.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        log.info(
                "answered: RTP {}:{} <-> {} {} | decode -> 20 ms frames at {} Hz{} -> {} -> encode -> pacer{}",
                config.advertisedAddress(),
                session.localPort(),
                remote,
                codec,
                codec.sampleRate(),
                assistantRate == codec.sampleRate() ? "" : " -> resample to " + assistantRate + " Hz",
                assistant.id(),
                recorder == null ? "" : " | both ways -> " + recorder.file());
    }

    /** Closes a recording off the call's executor: closing waits for the file to be finished, up to 5 s. */
    private void closeRecorder(CallRecorder recorder) {
        try {
            workers.execute(recorder::close);
        } catch (RejectedExecutionException shuttingDown) {
            Thread.ofVirtual().name("close " + recorder.file().getFileName()).start(recorder::close);
        }
    }

    private void onReInvite(RequestEvent event) {
        Request request = event.getRequest();
        OutboundCall placed = dialer().bySipCallId(SipRequests.callId(request));
        if (placed != null) {
            ServerTransaction tx = serverTransaction(event);
            if (tx != null) {
                dialer().onReInvite(placed, tx, request);
            }
            return;
        }
        InboundCall call = callOr481(event, "no such call");
        if (call == null) {
            return;
        }
        ServerTransaction tx = serverTransaction(event);
        if (tx != null) {
            onCall(call, () -> reInvite(call, tx, request));
        }
    }

    /**
     * A re-INVITE (RFC 3261 14.2, RFC 3264 8): hold, resume, a new media address, a new codec or a session refresh. An
     * offer with no codec we have is refused with 488 and the session stays as it was.
     */
    private void reInvite(InboundCall call, ServerTransaction tx, Request request) {
        MediaSession session = call.media;
        Negotiation.Accepted current = call.negotiated;
        if (call.state() == CallState.INITIALIZING || call.state() == CallState.RINGING) {
            // RFC 3261 14.2: a second INVITE while the first is not done (answered and acknowledged): 500 with a
            // Retry-After of 0 to 10 s, chosen at random.
            Response busy = msgs().failure(500, request, null, "the first INVITE of this call is not complete yet");
            msgs().addRetryAfter(busy, ThreadLocalRandom.current().nextInt(11));
            respond(tx, busy);
            return;
        }
        if ((call.state() != CallState.CONNECTED && call.state() != CallState.ON_HOLD)
                || session == null
                || current == null
                || call.offerInFlight) {
            // RFC 3261 14.2, RFC 6337 3.2: an offer of ours is outstanding (or the call is ending): 491, try later.
            respond(tx, msgs().failure(491, request, null, "the previous offer/answer is not complete yet"));
            return;
        }
        // The call's codec first, then the other configured codecs (RFC 3264 8.3.2: an offer may change the codec; one
        // at another audio rate is resampled to the rate the call started with, which the assistant and recording
        // keep).
        List<FormatSpec> keep = new ArrayList<>();
        keep.add(new FormatSpec(
                current.codec().encodingName(),
                current.codec().clockRate(),
                Math.max(1, current.codec().channels())));
        for (FormatSpec other : config.codecs()) {
            if (!other.encodingName().equalsIgnoreCase(current.codec().encodingName())) {
                keep.add(other);
            }
        }
        // RFC 4028 10: a re-INVITE or UPDATE refreshes the session timer (or drops it when it asks for none).
        SessionTimer.Decision timer = sessionTimerOf(request);
        if (timer instanceof SessionTimer.Decision.TooSmall tooSmall) {
            Response refusal = msgs().failure(422, request, null, "session interval below " + tooSmall.minSe() + " s");
            msgs().addHeader(refusal, "Min-SE", Integer.toString(tooSmall.minSe()));
            respond(tx, refusal);
            return;
        }
        call.sessionTimer = timer;
        byte[] body = request.getRawContent();
        if ((body == null || body.length == 0) && Request.UPDATE.equals(request.getMethod())) {
            Response refreshed = msgs().response(200, request, null); // RFC 3311: an UPDATE without an offer refreshes
            armSessionTimer(call, refreshed, timer);
            respond(tx, refreshed);
            return;
        }
        call.sdpVersion++; // RFC 3264 8: each new SDP we send is the previous version plus one
        if (body == null || body.length == 0) {
            // RFC 3264 8 / RFC 3261 14.2: no offer in the re-INVITE: we offer the session as it is, the ACK answers.
            SessionDescription ours = SdpParser.parse(SdpWriter.write(current.answer()));
            Response ok = msgs().response(200, request, null);
            msgs().addContact(ok, call.transport, call.invite);
            msgs().setSdp(ok, SdpWriter.write(withVersion(ours, call.sdpVersion)));
            armSessionTimer(call, ok, timer);
            call.offerInFlight = respond(tx, ok);
            return;
        }
        SessionDescription offer;
        try {
            offer = readOffer(request);
        } catch (OfferException e) {
            call.sdpVersion--; // nothing was sent
            respond(tx, msgs().failure(e.failure.sipStatus(), request, null, e.failure.detail()));
            return;
        }
        Optional<String> unsafe = OfferSafety.check(offer, call.fromLoopback);
        if (unsafe.isPresent()) {
            call.sdpVersion--;
            log.info("re-INVITE offer refused: {}", unsafe.get());
            respond(tx, msgs().failure(488, request, null, unsafe.get()));
            return;
        }
        Negotiation result = OfferAnswer.answer(offer, policy(call, session.localPort(), keep));
        if (result instanceof Negotiation.Rejected rejected) {
            call.sdpVersion--;
            respond(
                    tx,
                    msgs().failure(
                                    488,
                                    request,
                                    null,
                                    "the call keeps " + current.codec().encodingName() + ": " + rejected.reason()));
            return;
        }
        Negotiation.Accepted accepted = (Negotiation.Accepted) result;
        if (!applyMedia(call, session, accepted.remoteAddress(), accepted.remotePort(), accepted.direction())) {
            call.sdpVersion--;
            respond(
                    tx,
                    msgs().failure(
                                    488,
                                    request,
                                    null,
                                    "SDP connection address " + accepted.remoteAddress() + " does not resolve"));
            return;
        }
        if (!accepted.codec().encodingName().equalsIgnoreCase(current.codec().encodingName())
                || accepted.codec().payloadType() != current.codec().payloadType()
                || accepted.telephoneEventPayloadType() != current.telephoneEventPayloadType()) {
            CodecInfo codec = Codecs.byName(
                            accepted.codec().encodingName(), accepted.codec().clockRate())
                    .orElseThrow();
            session.changeCodec(codec, accepted.codec().payloadType(), accepted.telephoneEventPayloadType());
            log.info(
                    "codec now {} pt {} (was {} pt {})",
                    accepted.codec().encoding(),
                    accepted.codec().payloadType(),
                    current.codec().encoding(),
                    current.codec().payloadType());
        }
        call.negotiated = accepted;
        Response ok = msgs().response(200, request, null);
        msgs().addContact(ok, call.transport, call.invite);
        msgs().setSdp(ok, SdpWriter.write(accepted.answer()));
        armSessionTimer(call, ok, timer);
        respond(tx, ok);
    }

    /** The caller's answer to the offer we put in a 2xx, carried by its ACK. */
    private void applyAnswerInAck(InboundCall call, Request ack) {
        MediaSession session = call.media;
        byte[] body = ack.getRawContent();
        if (session == null || body == null || body.length == 0) {
            return; // no answer: the session stays as offered
        }
        try {
            SessionDescription answer = SdpParser.parse(new String(body, StandardCharsets.UTF_8));
            for (var m : answer.media()) {
                if (m.media().equals("audio") && m.port() != 0) {
                    String address =
                            answer.effectiveConnection(m).map(c -> c.host()).orElse("0.0.0.0");
                    // The answer says what the caller does; we do the opposite.
                    applyMedia(
                            call,
                            session,
                            address,
                            m.port(),
                            answer.effectiveDirection(m).answerTo());
                    return;
                }
            }
        } catch (SdpParseException e) {
            log.warn("the SDP answer in the ACK is unreadable ({}); the session stays as offered", e.getMessage());
        }
    }

    /** Points the media at a new address and direction, and moves the call between CONNECTED and ON_HOLD. */
    private boolean applyMedia(InboundCall call, MediaSession session, String address, int port, Direction ours) {
        InetSocketAddress remote;
        try {
            remote = new InetSocketAddress(InetAddress.getByName(address), port);
        } catch (UnknownHostException e) {
            return false;
        }
        boolean send = ours.sends() && !remote.getAddress().isAnyLocalAddress();
        session.redirect(remote, send);
        CallState next = ours == Direction.SENDRECV && send ? CallState.CONNECTED : CallState.ON_HOLD;
        if (next != call.state()) {
            move(call, next);
            log.info(next == CallState.ON_HOLD ? "on hold ({})" : "resumed ({})", ours.attributeName());
        }
        return true;
    }

    /** {@code sdp} with its {@code o=} version set (RFC 3264 8: each new description sent is one more). */
    static SessionDescription withVersion(SessionDescription sdp, long version) {
        var o = sdp.origin();
        return new SessionDescription(
                sdp.version(),
                new dev.softswitch.sdp.Origin(
                        o.username(), o.sessionId(), Long.toString(version), o.netType(), o.addrType(), o.address()),
                sdp.sessionName(),
                sdp.connection(),
                sdp.timing(),
                sdp.attributes(),
                sdp.media());
    }

    private boolean respond(ServerTransaction tx, Response response) {
        try {
            tx.sendResponse(response);
            return true;
        } catch (SipException | javax.sip.InvalidArgumentException | IllegalStateException e) {
            log.warn("{} could not be sent: {}", response.getStatusCode(), e.getMessage());
            return false;
        }
    }

    /** The session timer a request asks for (RFC 4028): its Session-Expires, and whether it knows {@code timer}. */
    private static SessionTimer.Decision sessionTimerOf(Request request) {
        boolean supports = false;
        for (String name : List.of("Supported", RequireHeader.NAME)) {
            for (var it = request.getHeaders(name); it.hasNext(); ) {
                String value = it.next() instanceof gov.nist.javax.sip.header.SIPHeader h ? h.getHeaderValue() : "";
                supports |= java.util.Arrays.stream(value.split(","))
                        .anyMatch(t -> t.trim().equalsIgnoreCase("timer"));
            }
        }
        return SessionTimer.negotiate(SipRequests.headerValue(request, "Session-Expires"), supports);
    }

    /**
     * Puts the session timer into a 2xx and (re)starts it: when the caller refreshes, a session it stops refreshing is
     * ended with BYE; when we do, we refresh at half the interval (RFC 4028 10).
     */
    private void armSessionTimer(InboundCall call, Response ok, SessionTimer.Decision decision) {
        if (call.sessionTimerTask != null) {
            call.sessionTimerTask.cancel(false);
            call.sessionTimerTask = null;
        }
        if (!(decision instanceof SessionTimer.Decision.Use use)) {
            return;
        }
        SessionTimer timer = use.timer();
        msgs().addHeader(ok, "Session-Expires", timer.headerValue());
        if (timer.required()) {
            msgs().addHeader(ok, RequireHeader.NAME, "timer");
        }
        scheduleSessionTimer(call, timer);
    }

    /** The next step of a session timer: our refresh at half the interval, or the BYE when the caller's is late. */
    private void scheduleSessionTimer(InboundCall call, SessionTimer timer) {
        if (call.sessionTimerTask != null) {
            call.sessionTimerTask.cancel(false);
        }
        Duration refresh = timer.refreshAfter("uas");
        if (refresh != null) {
            call.sessionTimerTask = timers.schedule(
                    () -> onCall(call, () -> refresh(call, timer)), refresh.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        Duration after = timer.byeAfter();
        if (after != null) {
            call.sessionTimerTask = timers.schedule(
                    () -> onCall(
                            call,
                            () -> hangUp(
                                    call,
                                    "session timer: no refresh within " + timer.intervalSeconds() + " s",
                                    "session_expired")),
                    after.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /**
     * We refresh the session (RFC 4028 10): UPDATE when the caller allows it, else a re-INVITE offering the session as
     * it is (an offer of ours: a re-INVITE from the caller meanwhile gets 491).
     */
    private void refresh(InboundCall call, SessionTimer timer) {
        Dialog dialog = call.dialog;
        Negotiation.Accepted current = call.negotiated;
        if (dialog == null || current == null || call.state().isFinal() || call.state() == CallState.ENDING) {
            return;
        }
        if (call.offerInFlight) {
            scheduleSessionTimerRetry(call, timer); // an offer/answer is open: try again shortly
            return;
        }
        boolean update = SipRequests.allows(call.invite, Request.UPDATE);
        String sdp = update ? null : SdpWriter.write(withVersion(current.answer(), call.sdpVersion));
        ClientTransaction tx = refresher().send(dialog, update, sdp, timer);
        if (tx == null) {
            hangUp(call, "session refresh could not be sent", "session_expired");
            return;
        }
        call.refreshTx = tx;
        call.offerInFlight = !update;
    }

    private void scheduleSessionTimerRetry(InboundCall call, SessionTimer timer) {
        Duration delay = SessionRefresher.glareDelay(false); // the caller owns the Call-ID
        call.sessionTimerTask = timers.schedule(
                () -> onCall(call, () -> refresh(call, timer)), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The caller's answer to our refresh. */
    private void refreshAnswered(InboundCall call, ClientTransaction tx, Response response) {
        if (tx != call.refreshTx || call.state().isFinal()) {
            return;
        }
        int status = response.getStatusCode();
        if (status < 200) {
            return;
        }
        call.refreshTx = null;
        call.offerInFlight = false;
        boolean invite = Request.INVITE.equals(tx.getRequest().getMethod());
        if (invite && status < 300) {
            ackRefresh(call.dialog, response);
        }
        if (!(call.sessionTimer instanceof SessionTimer.Decision.Use use)) {
            return;
        }
        switch (SessionRefresher.outcome(status)) {
            case REFRESHED -> scheduleSessionTimer(call, use.timer());
            case RETRY -> scheduleSessionTimerRetry(call, use.timer());
            case ENDED ->
                hangUp(
                        call,
                        "session refresh refused: " + status + " " + response.getReasonPhrase(),
                        "session_expired");
        }
    }

    /** ACKs the 2xx of a re-INVITE of ours (RFC 3261 13.2.2.4). */
    static void ackRefresh(@Nullable Dialog dialog, Response response) {
        if (dialog == null) {
            return;
        }
        try {
            long seq =
                    ((javax.sip.header.CSeqHeader) response.getHeader(javax.sip.header.CSeqHeader.NAME)).getSeqNumber();
            dialog.sendAck(dialog.createAck(seq));
        } catch (SipException | javax.sip.InvalidArgumentException e) {
            log.warn("ACK for our re-INVITE could not be sent: {}", e.getMessage());
        }
    }

    /** The assistant asked to end the call: it is done, or it failed (then the record says so). */
    private void assistantHungUp(InboundCall call, String reason) {
        QueueMediaPort port = call.port;
        hangUp(
                call,
                "assistant: " + reason,
                port != null && port.failed() ? "assistant_failed" : "completed",
                EndedBy.ASSISTANT);
    }

    /** We end the call: the assistant hung up, or the server is shutting down. */
    private void hangUp(InboundCall call, String reason) {
        hangUp(call, reason, "completed", EndedBy.SOFTSWITCH);
    }

    private void hangUp(InboundCall call, String reason, String result) {
        hangUp(call, reason, result, EndedBy.SOFTSWITCH);
    }

    /** We end the call, recording {@code result} (e.g. {@code media_timeout}) when it was up. */
    private void hangUp(InboundCall call, String reason, String result, EndedBy by) {
        if (call.state().isFinal() || call.state() == CallState.ENDING) {
            return;
        }
        if (!call.finalResponseSent) {
            send(call, msgs().failure(480, call.invite, call.toTag, reason));
            call.finalResponseSent = true;
            call.finalStatus = 480;
            end(call, CallState.ENDED, reason, "rejected", by);
            return;
        }
        if (call.state() == CallState.RINGING) {
            call.byeAfterAck = reason; // RFC 3261 15: a callee may not BYE before the ACK arrives
            return;
        }
        sendBye(call);
        end(call, CallState.ENDED, reason, result, by);
    }

    private void fail(InboundCall call, CallFailure failure) {
        log.info("refused: {} {}", failure.sipStatus(), failure.detail());
        // Out of the map before the answer leaves: a caller that retries at once (with credentials after a 401,
        // on the same Call-ID) must find no call in progress.
        calls.remove(call.sipCallId, call);
        if (!call.finalResponseSent) {
            Response response = msgs().failure(failure.sipStatus(), call.invite, call.toTag, failure.detail());
            if (failure instanceof CallFailure.SessionIntervalTooSmall tooSmall) {
                msgs().addHeader(response, "Min-SE", Integer.toString(tooSmall.minSe()));
            }
            if (failure instanceof CallFailure.Unauthorized unauthorized) {
                for (String challenge : unauthorized.challenges()) {
                    msgs().addHeader(response, "WWW-Authenticate", challenge);
                }
            }
            send(call, response);
            call.finalResponseSent = true;
            call.finalStatus = failure.sipStatus();
        }
        end(call, CallState.FAILED, failure.detail(), failure.label(), EndedBy.SOFTSWITCH);
    }

    /** Releases everything the call holds and records how it ended. Idempotent. */
    private void end(InboundCall call, CallState finalState, String reason, String result, EndedBy by) {
        if (call.state().isFinal()) {
            return;
        }
        if (call.state() != CallState.ENDING) {
            move(call, CallState.ENDING);
        }
        if (call.answerTimer != null) {
            call.answerTimer.cancel(false);
        }
        if (call.durationTimer != null) {
            call.durationTimer.cancel(false);
        }
        if (call.sessionTimerTask != null) {
            call.sessionTimerTask.cancel(false);
        }
        QueueMediaPort port = call.port;
        CallRecorder recorder = call.recorder;
        call.recorder = null;
        MediaEnd media = MediaEnd.release(port, call.assistant, call.media, recorder, this::closeRecorder);
        OutboundCall leg = call.secondLeg;
        if (leg != null) {
            call.secondLeg = null;
            leg.hangUp(); // the caller left: the transferred call ends with it
        }
        if (call.permit != null) {
            call.permit.release();
        }
        MediaStats stats = media.stats();
        ReceptionStats reception = media.reception();
        RtcpStats rtcp = media.rtcp();
        calls.remove(call.sipCallId, call);
        call.endReason = reason;
        move(call, finalState);
        results.computeIfAbsent(result, k -> new LongAdder()).increment();
        Instant now = clock.instant();
        if (stats != null) {
            log.info(
                    "ended: {} ({}); talked {} ms; RTP in {} out {}, dropped: invalid {} wrong source {} late {} pt {};"
                            + " caller's stream lost {} jitter {} ms; RTCP in {} out {}, rtt {}, caller lost {}",
                    reason,
                    result,
                    call.talkTime(now).toMillis(),
                    stats.packetsReceived(),
                    stats.packetsSent(),
                    stats.droppedInvalid(),
                    stats.droppedWrongSource(),
                    stats.droppedLate(),
                    stats.droppedPayloadType(),
                    reception.lost(),
                    String.format(Locale.ROOT, "%.1f", reception.jitterMillis()),
                    rtcp.reportsReceived(),
                    rtcp.reportsSent(),
                    rtcp.hasRtt() ? String.format(Locale.ROOT, "%.1f ms", rtcp.rttMillis()) : "unknown",
                    rtcp.hasRemoteReport()
                            ? String.format(
                                    Locale.ROOT,
                                    "%d (%.1f%% last interval)",
                                    rtcp.remoteCumulativeLost(),
                                    rtcp.remoteFractionLost() * 100)
                            : "unknown");
        } else {
            log.info("ended: {} ({})", reason, result);
        }
        writeRecord(call, now, reason, result, by, media, port);
    }

    /** One call record per call that got as far as an answer to its INVITE. */
    private void writeRecord(
            InboundCall call,
            Instant ended,
            String reason,
            String result,
            EndedBy by,
            MediaEnd media,
            @Nullable QueueMediaPort port) {
        Consumer<CallRecord> sink = records;
        if (sink == null) {
            return;
        }
        try {
            sink.accept(call.record(ended, reason, result, by, media, port));
        } catch (RuntimeException e) {
            log.warn("call record not written: {}", e.toString());
        }
    }

    /** Where a record of every ended call goes (the app writes them to a file); none by default. */
    public void onCallEnded(Consumer<CallRecord> sink) {
        this.records = sink;
    }

    private void sendBye(InboundCall call) {
        Dialog dialog = call.dialog;
        if (dialog == null) {
            return;
        }
        try {
            Request bye = dialog.createRequest(Request.BYE);
            ClientTransaction tx = provider().getNewClientTransaction(bye);
            dialog.sendRequest(tx);
        } catch (SipException e) {
            log.warn("BYE could not be sent: {}", e.getMessage());
        }
    }

    private void move(InboundCall call, CallState next) {
        try {
            call.moveTo(next);
        } catch (IllegalTransitionException e) {
            illegalTransitions.incrementAndGet();
            log.error("refused state change: {}", e.getMessage());
        }
    }

    // ------------------------------------------------------------------ other stack events

    @Override
    public void processResponse(ResponseEvent event) {
        // Our BYEs and REFERs get responses; the transaction layer handles their retransmissions.
        ClientTransaction tx = event.getClientTransaction();
        Response answer = event.getResponse();
        TrunkRegistrations registering = trunkRegistrationsOrNull;
        if (registering != null && registering.onResponse(event)) {
            return;
        }
        javax.sip.header.CSeqHeader cseq =
                (javax.sip.header.CSeqHeader) answer.getHeader(javax.sip.header.CSeqHeader.NAME);
        if (cseq != null && (Request.INVITE.equals(cseq.getMethod()) || Request.UPDATE.equals(cseq.getMethod()))) {
            String callId = ((CallIdHeader) answer.getHeader(CallIdHeader.NAME)).getCallId();
            OutboundCall placed = dialer().bySipCallId(callId);
            if (placed != null) {
                dialer().onResponse(placed, event);
                return;
            }
            InboundCall refreshed = calls.get(callId);
            if (refreshed != null && tx != null) {
                onCall(refreshed, () -> refreshAnswered(refreshed, tx, answer));
                return;
            }
        }
        if (tx != null && Request.REFER.equals(tx.getRequest().getMethod())) {
            InboundCall call = calls.get(SipRequests.callId(tx.getRequest()));
            Response response = event.getResponse();
            if (call != null) {
                onCall(call, () -> transfers()
                        .onReferResponse(call, tx, response.getStatusCode(), response.getReasonPhrase()));
            }
        }
        log.debug(
                "{} {} to {}",
                event.getResponse().getStatusCode(),
                event.getResponse().getReasonPhrase(),
                event.getClientTransaction() != null
                        ? event.getClientTransaction().getRequest().getMethod()
                        : "?");
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        ClientTransaction tx = event.getClientTransaction();
        TrunkRegistrations registering = trunkRegistrationsOrNull;
        if (registering != null && registering.onTimeout(tx)) {
            log.debug("REGISTER transaction timeout ({})", event.getTimeout());
            return;
        }
        String method = tx == null ? "" : tx.getRequest().getMethod();
        if (Request.INVITE.equals(method) || Request.UPDATE.equals(method)) {
            OutboundCall placed = dialer().bySipCallId(SipRequests.callId(tx.getRequest()));
            if (placed != null) {
                dialer().onTimeout(placed, tx);
            }
            InboundCall call = calls.get(SipRequests.callId(tx.getRequest()));
            if (call != null) {
                // Our session refresh went unanswered (RFC 4028 10): the caller is gone.
                onCall(call, () -> {
                    if (tx == call.refreshTx) {
                        call.refreshTx = null;
                        call.offerInFlight = false;
                        hangUp(call, "session refresh unanswered", "session_expired");
                    }
                });
            }
        }
        log.debug("transaction timeout ({})", event.getTimeout());
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        log.warn("SIP transport error toward {}:{} over {}", event.getHost(), event.getPort(), event.getTransport());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {}

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {}

    @Override
    public void processDialogTimeout(DialogTimeoutEvent event) {
        Dialog dialog = event.getDialog();
        InboundCall call = dialog == null ? null : calls.get(dialog.getCallId().getCallId());
        if (call == null) {
            return;
        }
        onCall(call, () -> {
            if (event.getReason() == DialogTimeoutEvent.Reason.AckNotReceived) {
                // RFC 3261 13.3.1.4: no ACK for our 2xx within 64*T1: confirm the dialog's end with BYE.
                sendBye(call);
                end(call, CallState.FAILED, "no ACK for our 200 OK", "ack_timeout", EndedBy.SOFTSWITCH);
            } else {
                end(call, CallState.FAILED, "dialog timeout: " + event.getReason(), "timeout", EndedBy.SOFTSWITCH);
            }
        });
    }

    // ------------------------------------------------------------------ shutdown

    /** Stops taking calls: a new INVITE gets 503 with Retry-After; the calls in progress go on (a drain). */
    public void drain() {
        accepting = false;
    }

    /** Whether new calls are refused (draining or shut down). */
    public boolean draining() {
        return !accepting;
    }

    /**
     * Stops taking calls, ends those in progress with BYE and removes our bindings at carriers ({@code Expires: 0},
     * waiting at most a second for them), waits up to {@code grace} for the calls to end, then stops the stack.
     */
    public void shutdown(Duration grace) {
        accepting = false;
        long deadline = System.nanoTime() + grace.toNanos();
        for (InboundCall call : new ArrayList<>(calls.values())) {
            onCall(call, () -> hangUp(call, "server shutting down"));
        }
        Dialer d = dialerOrNull;
        if (d != null) {
            d.calls().forEach(OutboundCall::hangUp);
        }
        TrunkRegistrations registering = trunkRegistrationsOrNull;
        if (registering != null && stack != null) {
            registering.stopAll(UNREGISTER_WAIT);
        }
        while (activeCalls() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        SipStack s = stack;
        if (s != null) {
            stopStack(s);
            SipGuards.unregister(stackName(), guard);
            SipTls tls = config.tls();
            if (tls != null) {
                SipTlsRegistry.unregister(stackName(), tls);
            }
        }
        timers.shutdownNow();
        workers.shutdownNow();
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(2));
    }

    /**
     * Stops the stack. jain-sip-ri 1.3.0-91's {@code UDPMessageProcessor.stop} walks its list of channel threads
     * unguarded, and a stop within milliseconds of the start (a {@code dial} whose call is refused at once) can meet
     * them still adding themselves, or before the list exists: a {@code ConcurrentModificationException} or a
     * {@code NullPointerException} that would fail the whole stop. Once more a little later, then give up with a
     * warning rather than leave the rest running.
     */
    private static void stopStack(SipStack s) {
        try {
            s.stop();
        } catch (java.util.ConcurrentModificationException | NullPointerException first) {
            try {
                Thread.sleep(100);
                s.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException again) {
                log.warn("the SIP stack did not stop cleanly: {}", again.toString());
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private SessionDescription readOffer(Request invite) throws OfferException {
        byte[] body = invite.getRawContent();
        if (body == null || body.length == 0) {
            throw new OfferException(new CallFailure.NotAcceptable(
                    "INVITE without an SDP offer is not supported yet; send the offer in the INVITE"));
        }
        ContentTypeHeader type = (ContentTypeHeader) invite.getHeader(ContentTypeHeader.NAME);
        if (type == null
                || !"application".equalsIgnoreCase(type.getContentType())
                || !"sdp".equalsIgnoreCase(type.getContentSubType())) {
            throw new OfferException(new CallFailure.UnsupportedBody(
                    type == null ? "(none)" : type.getContentType() + "/" + type.getContentSubType()));
        }
        try {
            return SdpParser.parse(new String(body, StandardCharsets.UTF_8));
        } catch (SdpParseException e) {
            throw new OfferException(new CallFailure.NotAcceptable("unreadable SDP: " + e.getMessage()));
        }
    }

    /** Whether an IP literal (the request's source, as the stack gives it) is this host's loopback. */
    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress(); // a literal: parsed, not looked up
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Why an INVITE's offer cannot be read. */
    private static final class OfferException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient CallFailure failure;

        OfferException(CallFailure failure) {
            super(failure.detail(), null, false, false);
            this.failure = failure;
        }
    }

    private AnswerPolicy policy(InboundCall call, int localPort, List<FormatSpec> codecs) {
        return new AnswerPolicy(
                codecs, true, config.advertisedAddress(), localPort, call.sdpSessionId, call.sdpVersion, "softswitch");
    }

    /** Runs {@code task} on the call's serial executor with the call's id in the log context. */
    private void onCall(InboundCall call, Runnable task) {
        call.executor.execute(() -> {
            MDC.put("call", call.id);
            try {
                task.run();
            } finally {
                MDC.remove("call");
            }
        });
    }

    private boolean send(InboundCall call, Response response) {
        try {
            call.inviteTx.sendResponse(response);
            return true;
        } catch (SipException | javax.sip.InvalidArgumentException | IllegalStateException e) {
            log.warn("{} could not be sent: {}", response.getStatusCode(), e.getMessage());
            return false;
        }
    }

    private void respondStateful(RequestEvent event, Response response) {
        ServerTransaction tx = serverTransaction(event);
        try {
            if (tx != null) {
                tx.sendResponse(response);
            } else {
                provider().sendResponse(response);
            }
        } catch (SipException | javax.sip.InvalidArgumentException e) {
            log.warn(
                    "{} to {} could not be sent: {}",
                    response.getStatusCode(),
                    event.getRequest().getMethod(),
                    e.getMessage());
        }
    }

    private @Nullable ServerTransaction serverTransaction(RequestEvent event) {
        ServerTransaction tx = event.getServerTransaction();
        if (tx != null) {
            return tx;
        }
        try {
            return provider().getNewServerTransaction(event.getRequest());
        } catch (TransactionAlreadyExistsException e) {
            return null;
        } catch (javax.sip.TransactionUnavailableException e) {
            log.debug("no server transaction for {}: {}", event.getRequest().getMethod(), e.getMessage());
            return null;
        }
    }

    private static String transportOf(RequestEvent event) {
        javax.sip.header.ViaHeader via =
                (javax.sip.header.ViaHeader) event.getRequest().getHeader(javax.sip.header.ViaHeader.NAME);
        return via == null ? "udp" : via.getTransport().toLowerCase(Locale.ROOT);
    }

    /**
     * The URI that carries an {@code assistant:key} user part: the Request-URI, else the To URI (some PBXs rewrite
     * the Request-URI but keep To); null when neither has one.
     */
    private static gov.nist.javax.sip.address.@Nullable SipUri keyUri(Request request) {
        if (request.getRequestURI() instanceof gov.nist.javax.sip.address.SipUri sip && sip.getUserPassword() != null) {
            return sip;
        }
        URI to = ((ToHeader) request.getHeader(ToHeader.NAME)).getAddress().getURI();
        if (to instanceof gov.nist.javax.sip.address.SipUri sip && sip.getUserPassword() != null) {
            return sip;
        }
        return null;
    }

    private static String requestUser(Request request) {
        URI uri = request.getRequestURI();
        if (uri instanceof SipURI sip && sip.getUser() != null) {
            return sip.getUser();
        }
        return "";
    }

    private static InetAddress literalAddress(String ip) {
        try {
            return InetAddress.getByName(ip); // the stack gives a literal address: no lookup happens
        } catch (UnknownHostException e) {
            throw new IllegalStateException("source address " + ip + " is not an IP literal", e);
        }
    }

    private static String newCallId() {
        return String.format(Locale.ROOT, "%012x", ThreadLocalRandom.current().nextLong(1L << 48));
    }

    private Dialer dialer() {
        Dialer d = dialerOrNull;
        if (d == null) {
            throw new IllegalStateException("SIP server not started");
        }
        return d;
    }

    private TrunkRegistrations trunkRegistrations() {
        TrunkRegistrations r = trunkRegistrationsOrNull;
        if (r == null) {
            throw new IllegalStateException("SIP server not started");
        }
        return r;
    }

    private SessionRefresher refresher() {
        SessionRefresher r = refresherOrNull;
        if (r == null) {
            throw new IllegalStateException("SIP server not started");
        }
        return r;
    }

    private Transfers transfers() {
        Transfers t = transfersOrNull;
        if (t == null) {
            throw new IllegalStateException("SIP server not started");
        }
        return t;
    }

    private RegisterRequests registerRequests() {
        RegisterRequests r = registerRequestsOrNull;
        if (r == null) {
            throw new IllegalStateException("SIP server not started");
        }
        return r;
    }

    private SipMessages msgs() {
        SipMessages m = messages;
        if (m == null) {
            throw new IllegalStateException("SIP server not started");
        }
        return m;
    }

    private SipProvider provider() {
        SipProvider p = provider;
        if (p == null) {
            throw new IllegalStateException("SIP server not started");
        }
        return p;
    }
}
