package dev.softswitch.sip.guard;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.address.SipUri;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPMessageValve;
import java.io.IOException;
import java.net.InetAddress;
import java.text.ParseException;
import java.util.concurrent.ThreadLocalRandom;
import javax.sip.SipStack;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guard at the stack's door: called for every request after parsing and before any transaction or dialog exists
 * ({@code gov.nist.javax.sip.SIP_MESSAGE_VALVE}; needs its public no-argument constructor). It answers the stand-ins
 * of refused requests statelessly, to the packet's source address and port, and drops without a word what
 * {@link SipGuard#screen} says to drop (banned or over-rate addresses, scanners, hidden mode).
 *
 * <p>It never throws: the stack logs the whole request (credentials included) when a valve does (RestComm/jain-sip#5).
 * An internal error lets the request through.
 */
public final class GuardValve implements SIPMessageValve {

    private static final Logger log = LoggerFactory.getLogger(GuardValve.class);

    private volatile @Nullable SipGuard guard;

    public GuardValve() {}

    @Override
    public void init(SipStack stack) {
        String name = stack instanceof SipStackImpl impl ? impl.getStackName() : null;
        this.guard = SipGuards.forStack(name == null ? "" : name);
    }

    @Override
    public boolean processRequest(SIPRequest request, MessageChannel channel) {
        SipGuard g = guard;
        if (g == null) {
            return true;
        }
        try {
            InetAddress source = source(request, channel);
            SipGuard.Screen screen = g.screen(new SipGuard.Request(
                    source, request.getMethod(), userAgent(request), newInvite(request), credentials(request)));
            if (screen != SipGuard.Screen.PASS) {
                log.debug("{} from {} dropped: {}", request.getMethod(), source.getHostAddress(), screen);
                return false;
            }
            if (request.getApplicationData() instanceof Rejection rejection) {
                answer(request, channel, source, rejection);
                return false;
            }
            return true;
        } catch (RuntimeException | StackOverflowError e) {
            log.warn("SIP guard failed on a {}; let through: {}", request.getMethod(), e.toString());
            return true;
        }
    }

    @Override
    public boolean processResponse(Response response, MessageChannel channel) {
        return true;
    }

    @Override
    public void destroy() {}

    /** Answers a refused request statelessly (RFC 3261 8.2.6.2: with a To tag) to where it came from. */
    private static void answer(SIPRequest request, MessageChannel channel, InetAddress source, Rejection rejection) {
        log.debug(
                "{} from {} refused: {} {}",
                request.getMethod(),
                source.getHostAddress(),
                rejection.status(),
                rejection.reason());
        SIPResponse response = request.createResponse(rejection.status(), rejection.reason());
        try {
            ToHeader to = response.getTo();
            if (to != null && to.getTag() == null) {
                to.setTag(Long.toHexString(ThreadLocalRandom.current().nextLong()));
            }
            if (channel.isReliable()) {
                channel.sendMessage(response);
            } else {
                int port = request.getPeerPacketSourcePort() > 0
                        ? request.getPeerPacketSourcePort()
                        : channel.getPeerPacketSourcePort();
                channel.sendMessage(response, source, port);
            }
        } catch (IOException | ParseException e) {
            log.debug("{} to {} not sent: {}", rejection.status(), source.getHostAddress(), e.toString());
        }
    }

    private static InetAddress source(SIPRequest request, MessageChannel channel) {
        InetAddress a = request.getPeerPacketSourceAddress();
        if (a == null) {
            a = channel.getPeerPacketSourceAddress();
        }
        return a != null ? a : request.getRemoteAddress();
    }

    private static String userAgent(SIPRequest request) {
        return request.getHeader("User-Agent") instanceof SIPHeader h && h.getHeaderValue() != null
                ? h.getHeaderValue()
                : "";
    }

    private static boolean newInvite(SIPRequest request) {
        return Request.INVITE.equals(request.getMethod())
                && (request.getTo() == null || request.getTo().getTag() == null);
    }

    /** An Authorization header, or a key in the Request-URI's or To URI's user part ({@code assistant:key}). */
    private static boolean credentials(SIPRequest request) {
        if (request.getHeader("Authorization") != null || request.getHeader("Proxy-Authorization") != null) {
            return true;
        }
        if (request.getRequestURI() instanceof SipUri uri && uri.getUserPassword() != null) {
            return true;
        }
        return request.getTo() != null
                && request.getTo().getAddress() != null
                && request.getTo().getAddress().getURI() instanceof SipUri to
                && to.getUserPassword() != null;
    }
}
