package dev.softswitch.sip;

import dev.softswitch.sip.auth.DigestClient;
import dev.softswitch.sip.call.SerialExecutor;
import dev.softswitch.sip.uac.RegistrationAction;
import dev.softswitch.sip.uac.RegistrationMachine;
import dev.softswitch.sip.uac.RegistrationReply;
import dev.softswitch.sip.uac.RegistrationState;
import dev.softswitch.sip.uac.RegistrationStatus;
import dev.softswitch.sip.uac.TrunkRegistration;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Keeps our bindings at carriers alive (RFC 3261 10.2): one {@link RegistrationMachine} per trunk that registers,
 * whose actions become REGISTERs in client transactions and timers on the shared scheduler. Each binding's events run
 * on its own serial executor (virtual threads: building a REGISTER to a host name may resolve it), so stack threads
 * only hand responses over.
 */
final class TrunkRegistrations {

    private static final Logger log = LoggerFactory.getLogger(TrunkRegistrations.class);

    private final Supplier<RegisterMessages> messages;
    private final Supplier<SipProvider> provider;
    private final ExecutorService workers;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Map<String, Line> byCallId = new ConcurrentHashMap<>();

    /** One binding: its machine, and the SIP state only its executor touches. */
    private static final class Line {
        final TrunkRegistration registration;
        final RegistrationMachine machine;
        final SerialExecutor executor;
        final String callId;
        final String fromTag = RegisterMessages.newTag();
        final CountDownLatch finished = new CountDownLatch(1);
        long cseq;

        @Nullable
        ClientTransaction tx;

        @Nullable
        ScheduledFuture<?> timer;
        /** Whether "registered" was logged since the last failure: refreshes then log at debug only. */
        boolean announced;
        /** Whether an un-REGISTER went out. */
        boolean removing;

        volatile RegistrationStatus status;

        Line(TrunkRegistration registration, RegistrationMachine machine, SerialExecutor executor, String callId) {
            this.registration = registration;
            this.machine = machine;
            this.executor = executor;
            this.callId = callId;
            this.status = machine.status();
        }
    }

    TrunkRegistrations(
            Supplier<RegisterMessages> messages,
            Supplier<SipProvider> provider,
            ExecutorService workers,
            ScheduledExecutorService timers,
            Clock clock) {
        this.messages = messages;
        this.provider = provider;
        this.workers = workers;
        this.timers = timers;
        this.clock = clock;
    }

    /** Starts keeping each binding (a trunk already registering is skipped). */
    void start(List<TrunkRegistration> registrations) {
        for (TrunkRegistration r : registrations) {
            if (lines.stream().anyMatch(l -> l.registration.trunk().equals(r.trunk()))) {
                log.warn("trunk {}: already registering", r.trunk());
                continue;
            }
            String callId = provider.get().getNewCallId().getCallId();
            Line line = new Line(
                    r,
                    new RegistrationMachine(
                            r.trunk(),
                            r.expiresSeconds(),
                            () -> ThreadLocalRandom.current().nextDouble(),
                            DigestClient::newCnonce),
                    new SerialExecutor(workers),
                    callId);
            lines.add(line);
            byCallId.put(callId, line);
            log.info(
                    "trunk {}: registering {} at {} for {} s",
                    r.trunk(),
                    r.addressOfRecord(),
                    r.proxy() == null ? r.registrarUri() : r.registrarUri() + " via " + r.proxy(),
                    r.expiresSeconds());
            on(line, m -> m.start(clock.instant()));
        }
    }

    /** Every binding's status, in the order they were started. */
    List<RegistrationStatus> statuses() {
        List<RegistrationStatus> out = new ArrayList<>(lines.size());
        lines.forEach(l -> out.add(l.status));
        return out;
    }

    /** Takes a response when it answers one of our REGISTERs; false when it is not ours. */
    boolean onResponse(ResponseEvent event) {
        Line line = lineOf(event.getClientTransaction());
        if (line == null) {
            return false;
        }
        ClientTransaction tx = event.getClientTransaction();
        Response response = event.getResponse();
        if (response.getStatusCode() < 200) {
            return true;
        }
        line.executor.execute(() -> {
            if (tx != line.tx) {
                return; // the answer to a REGISTER we already gave up on or replaced
            }
            line.tx = null;
            RegistrationReply reply = messages.get().read(response, line.registration);
            run(line, m -> m.onReply(clock.instant(), reply), reply);
        });
        return true;
    }

    /** Takes a transaction timeout when it is one of our REGISTERs; false when it is not ours. */
    boolean onTimeout(@Nullable ClientTransaction tx) {
        Line line = lineOf(tx);
        if (line == null) {
            return false;
        }
        line.executor.execute(() -> {
            if (tx == line.tx) {
                line.tx = null;
                run(line, m -> m.onTimeout(clock.instant()), null);
            }
        });
        return true;
    }

    /**
     * Removes every binding ({@code Expires: 0}) and waits until each is confirmed or {@code limit} passes; refreshes
     * stop at once.
     */
    void stopAll(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        for (Line line : lines) {
            try {
                line.executor.execute(() -> {
                    cancel(line);
                    run(line, m -> m.stop(clock.instant()), null);
                });
            } catch (RejectedExecutionException e) {
                line.finished.countDown();
            }
        }
        for (Line line : lines) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !line.finished.await(left, TimeUnit.NANOSECONDS)) {
                    log.warn(
                            "trunk {}: the carrier did not confirm the removal within {} ms;"
                                    + " it drops the binding when it expires",
                            line.registration.trunk(),
                            limit.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ------------------------------------------------------------------ the binding's executor

    private void on(Line line, Function<RegistrationMachine, RegistrationAction> event) {
        try {
            line.executor.execute(() -> run(line, event, null));
        } catch (RejectedExecutionException e) {
            log.debug("trunk {}: event dropped (shutting down)", line.registration.trunk());
        }
    }

    /** Feeds one event to the machine, logs what changed and carries out the action. */
    private void run(
            Line line, Function<RegistrationMachine, RegistrationAction> event, @Nullable RegistrationReply reply) {
        MDC.put("trunk", line.registration.trunk());
        try {
            RegistrationStatus before = line.machine.status();
            boolean wasFinished = line.machine.finished();
            RegistrationAction action = event.apply(line.machine);
            if (action instanceof RegistrationAction.Send && line.machine.removing()) {
                line.removing = true;
            }
            RegistrationStatus after = line.machine.status();
            line.status = after;
            report(line, before, after, action, reply, !wasFinished && line.machine.finished());
            switch (action) {
                case RegistrationAction.Send send -> send(line, send);
                case RegistrationAction.Wait wait -> schedule(line, wait.at());
                case RegistrationAction.Idle idle -> cancelIfFinished(line);
            }
            if (line.machine.finished()) {
                line.finished.countDown();
            }
        } finally {
            MDC.remove("trunk");
        }
    }

    private void report(
            Line line,
            RegistrationStatus before,
            RegistrationStatus after,
            RegistrationAction action,
            @Nullable RegistrationReply reply,
            boolean justFinished) {
        String trunk = line.registration.trunk();
        Instant now = clock.instant();
        if (after.state() == RegistrationState.REGISTERED
                && before.state() == RegistrationState.REGISTERING
                && after.expiresAt() != null
                && after.nextAttemptAt() != null) {
            long expiresIn = seconds(now, after.expiresAt());
            long refreshIn = seconds(now, after.nextAttemptAt());
            if (line.announced) {
                log.debug("trunk {}: registration refreshed, expires in {} s", trunk, expiresIn);
            } else {
                line.announced = true;
                log.info(
                        "trunk {}: registered at {}: {}, expires in {} s, refresh in {} s",
                        trunk,
                        line.registration.registrarUri(),
                        after.lastReason(),
                        expiresIn,
                        refreshIn);
            }
        } else if (after.state() == RegistrationState.FAILED && before.state() == RegistrationState.REGISTERING) {
            line.announced = false;
            Instant next = after.nextAttemptAt();
            log.warn(
                    "trunk {}: registration at {} failed: {}; retrying in {} s",
                    trunk,
                    line.registration.registrarUri(),
                    after.lastReason(),
                    next == null ? "?" : seconds(now, next));
        } else if (reply != null && reply.status() == 423 && action instanceof RegistrationAction.Send send) {
            log.info(
                    "trunk {}: {} {}: registering again for {} s",
                    trunk,
                    reply.status(),
                    reply.reason(),
                    send.expires());
        } else if (reply != null
                && (reply.status() == 401 || reply.status() == 407)
                && action instanceof RegistrationAction.Send) {
            log.debug("trunk {}: answering the {} challenge", trunk, reply.status());
        } else if (justFinished && line.removing) {
            if (line.machine.removedCleanly()) {
                log.info("trunk {}: unregistered (binding removed at {})", trunk, line.registration.registrarUri());
            } else {
                log.warn(
                        "trunk {}: removing the binding failed: {}; the carrier drops it when it expires",
                        trunk,
                        after.lastReason());
            }
        }
    }

    /** Whole seconds from {@code from} to {@code to}, rounded (a 60 s grant read a moment later is still 60 s). */
    private static long seconds(Instant from, Instant to) {
        return (Duration.between(from, to).toMillis() + 500) / 1000;
    }

    private void send(Line line, RegistrationAction.Send send) {
        TrunkRegistration r = line.registration;
        Request register;
        try {
            line.cseq++;
            register = messages.get()
                    .register(r, line.callId, line.fromTag, line.cseq, send.expires(), send.credentials());
        } catch (ParseException | InvalidArgumentException | IllegalArgumentException e) {
            run(line, m -> m.onTransportError(clock.instant(), "cannot build the REGISTER: " + e.getMessage()), null);
            return;
        }
        try {
            ClientTransaction tx = provider.get().getNewClientTransaction(register);
            line.tx = tx;
            tx.sendRequest();
        } catch (SipException | RuntimeException e) {
            line.tx = null;
            String detail = "the REGISTER could not be sent to " + (r.proxy() == null ? r.registrarUri() : r.proxy())
                    + ": " + e.getMessage();
            run(line, m -> m.onTransportError(clock.instant(), detail), null);
        }
    }

    private void schedule(Line line, Instant at) {
        cancel(line);
        long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
        try {
            line.timer = timers.schedule(() -> on(line, m -> m.due(clock.instant())), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("trunk {}: no timer (shutting down)", line.registration.trunk());
        }
    }

    private void cancelIfFinished(Line line) {
        if (line.machine.finished()) {
            cancel(line);
        }
    }

    private static void cancel(Line line) {
        ScheduledFuture<?> timer = line.timer;
        if (timer != null) {
            timer.cancel(false);
            line.timer = null;
        }
    }

    private @Nullable Line lineOf(@Nullable ClientTransaction tx) {
        if (tx == null || !Request.REGISTER.equals(tx.getRequest().getMethod())) {
            return null;
        }
        return byCallId.get(SipRequests.callId(tx.getRequest()));
    }
}
