package dev.softswitch.sip;

import dev.softswitch.sip.call.SessionTimer;
import java.text.ParseException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Request;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes a session when we are its refresher (RFC 4028 10): an UPDATE without a body when the other side allows
 * UPDATE, else a re-INVITE offering the session as it is. The callers schedule it at half the interval and act on the
 * answer with {@link #outcome}: a 491 (RFC 3261 14.1: the two sides' requests crossed) is retried after
 * {@link #glareDelay}; 408 and 481 mean the other side is gone.
 */
final class SessionRefresher {

    private static final Logger log = LoggerFactory.getLogger(SessionRefresher.class);

    /** What the answer to a refresh means. */
    enum Outcome {
        /** 2xx: the session goes on; schedule the next refresh. */
        REFRESHED,
        /** 491: our request crossed one of theirs; try again shortly. */
        RETRY,
        /** 408, 481 or another failure: the session is over (RFC 4028 10, RFC 5057 5.1). */
        ENDED
    }

    private final Supplier<SipProvider> provider;
    private final Supplier<SipMessages> messages;

    SessionRefresher(Supplier<SipProvider> provider, Supplier<SipMessages> messages) {
        this.provider = provider;
        this.messages = messages;
    }

    /**
     * Sends one refresh in {@code dialog}.
     *
     * @param update whether the other side allows UPDATE
     * @param sdp our current session description for a re-INVITE (unchanged, so its version stays), or null to send
     *     none
     * @return the refresh's transaction, or null when it could not be sent (logged)
     */
    @Nullable
    ClientTransaction send(Dialog dialog, boolean update, @Nullable String sdp, SessionTimer timer) {
        try {
            Request refresh = dialog.createRequest(update ? Request.UPDATE : Request.INVITE);
            HeaderFactory headers = messages.get().headerFactory();
            // The refresher names the roles of this request, in which we are the UAC whatever we were in the INVITE.
            refresh.setHeader(headers.createHeader("Session-Expires", timer.intervalSeconds() + ";refresher=uac"));
            refresh.setHeader(headers.createHeader("Supported", "timer"));
            if (!update && sdp != null) {
                refresh.setContent(sdp, headers.createContentTypeHeader("application", "sdp"));
            }
            ClientTransaction tx = provider.get().getNewClientTransaction(refresh);
            dialog.sendRequest(tx);
            log.debug("session refresh: {} sent", refresh.getMethod());
            return tx;
        } catch (ParseException | SipException e) {
            log.warn("session refresh could not be sent: {}", e.getMessage());
            return null;
        }
    }

    static Outcome outcome(int status) {
        if (status >= 200 && status < 300) {
            return Outcome.REFRESHED;
        }
        return status == 491 ? Outcome.RETRY : Outcome.ENDED;
    }

    /**
     * RFC 3261 14.1: after a 491, the side that owns the Call-ID (placed the call) waits 2.1 to 4 s, the other 0 to 2 s,
     * chosen at random in steps of 10 ms.
     */
    static Duration glareDelay(boolean ownsCallId) {
        int steps = ThreadLocalRandom.current().nextInt(ownsCallId ? 191 : 201); // 0..190 or 0..200
        return Duration.ofMillis((ownsCallId ? 2100 : 0) + steps * 10L);
    }
}
