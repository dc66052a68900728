package dev.softswitch.sip;

import dev.softswitch.assistant.TransferFailed;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.message.Request;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blind transfer of an inbound call at its assistant's request (RFC 3515, RFC 5589 6): REFER toward the caller with
 * {@code Refer-To} the target, then the caller's side reports the new call's progress in NOTIFYs of
 * {@code message/sipfrag}. A final 2xx there means the caller is with the target: the call ends on our side. A
 * refused REFER (a trunk that does not take transfers) is handed to {@link SecondLeg}, which may call the target
 * itself and bridge the two calls; a final failure in the sipfrag, or a second leg that cannot be placed, leaves the
 * call as it was and tells the assistant why.
 *
 * <p>Every method runs on the call's executor, like the rest of the call's state.
 */
final class Transfers {

    private static final Logger log = LoggerFactory.getLogger(Transfers.class);
    /** RFC 3420: the sipfrag's status line. */
    private static final Pattern SIPFRAG_STATUS = Pattern.compile("^SIP/2\\.0\\s+(\\d{3})\\s*([^\\r\\n]*)");
    /** A number the caller's side can dial: digits with an optional leading + and the keypad's * and #. */
    private static final Pattern NUMBER = Pattern.compile("\\+?[0-9*#]{1,32}");

    /** A transfer under way: its REFER transaction and who to tell when it fails. */
    record Pending(String target, ClientTransaction refer, TransferFailed failed) {}

    /** What a NOTIFY about a transfer meant. */
    enum Progress {
        /** Not about a transfer of ours, or a provisional report: nothing to do. */
        NONE,
        /** The caller is connected to the target: end our call. */
        TRANSFERRED,
        /** The target could not be reached: the assistant was told, the call goes on. */
        FAILED
    }

    /** What to do where the caller's side refuses REFER: place a second call to the target and bridge the two. */
    interface SecondLeg {
        /**
         * Places the second leg, or returns false when it cannot (then the assistant hears of the refusal at once).
         *
         * @param refusal the status and reason the REFER got, for the log and for {@code failed}
         */
        boolean place(InboundCall call, String target, TransferFailed failed, String refusal);
    }

    private final SipMessages msgs;
    private final Supplier<SipProvider> provider;
    private final SecondLeg secondLeg;

    Transfers(SipMessages msgs, Supplier<SipProvider> provider, SecondLeg secondLeg) {
        this.msgs = msgs;
        this.provider = provider;
        this.secondLeg = secondLeg;
    }

    /** Sends REFER for {@code target}, or tells {@code failed} why it cannot. */
    void refer(InboundCall call, String target, TransferFailed failed) {
        Dialog dialog = call.dialog;
        if (dialog == null || call.transfer != null) {
            failed.failed(target, dialog == null ? "the call is not connected" : "a transfer is already under way");
            return;
        }
        String uri = uriFor(call, target);
        if (uri == null) {
            failed.failed(target, "not a SIP URI or a number: \"" + target + '"');
            return;
        }
        try {
            Request refer = dialog.createRequest(Request.REFER);
            msgs.addReferTo(refer, uri);
            ClientTransaction tx = provider.get().getNewClientTransaction(refer);
            dialog.sendRequest(tx);
            call.transfer = new Pending(target, tx, failed);
            log.info("transfer: REFER to the caller, Refer-To {}", uri);
        } catch (ParseException e) {
            failed.failed(target, "not a SIP URI: " + e.getMessage());
        } catch (SipException e) {
            failed.failed(target, "REFER could not be sent: " + e.getMessage());
        }
    }

    /** A response to our REFER: 202 means the caller's side is trying; a failure means it will not. */
    void onReferResponse(InboundCall call, ClientTransaction tx, int status, String reason) {
        Pending pending = call.transfer;
        if (pending == null || pending.refer() != tx) {
            return;
        }
        if (status >= 300) {
            call.transfer = null;
            log.info("transfer to {} refused by the caller's side: {} {}", pending.target(), status, reason);
            if (!secondLeg.place(call, pending.target(), pending.failed(), status + " " + reason)) {
                pending.failed()
                        .failed(pending.target(), "the caller's side refused the transfer: " + status + " " + reason);
            }
        } else if (status >= 200) {
            log.info("transfer to {}: the caller's side accepted ({} {})", pending.target(), status, reason);
        }
    }

    /** A NOTIFY in the call: the progress of our transfer when it is one ({@code Event: refer}). */
    Progress onNotify(InboundCall call, Request notify) {
        Pending pending = call.transfer;
        String event = SipRequests.headerValue(notify, "Event");
        if (pending == null
                || event == null
                || !event.trim().toLowerCase(Locale.ROOT).startsWith("refer")) {
            return Progress.NONE;
        }
        byte[] body = notify.getRawContent();
        Matcher m = SIPFRAG_STATUS.matcher(body == null ? "" : new String(body, StandardCharsets.UTF_8).trim());
        if (!m.find()) {
            return Progress.NONE;
        }
        int status = Integer.parseInt(m.group(1));
        if (status < 200) {
            return Progress.NONE;
        }
        call.transfer = null;
        if (status < 300) {
            log.info("transfer to {}: connected ({} {})", pending.target(), status, m.group(2));
            return Progress.TRANSFERRED;
        }
        log.info("transfer to {} failed: the target answered {} {}", pending.target(), status, m.group(2));
        pending.failed().failed(pending.target(), "the target answered " + status + " " + m.group(2));
        return Progress.FAILED;
    }

    /**
     * The Refer-To URI: a SIP or tel URI as given; a number as {@code sip:NUMBER@host}, the host being the caller's
     * (its Contact), so that its side dials the number as it dials any other.
     */
    static @Nullable String uriFor(InboundCall call, String target) {
        String t = target.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.startsWith("sip:") || lower.startsWith("sips:") || lower.startsWith("tel:")) {
            return t.chars().anyMatch(c -> c <= ' ' || c == '<' || c == '>' || c == '"') ? null : t;
        }
        if (!NUMBER.matcher(t).matches()) {
            return null;
        }
        ContactHeader contact = (ContactHeader) call.invite.getHeader(ContactHeader.NAME);
        if (contact != null && contact.getAddress().getURI() instanceof SipURI sip) {
            return "sip:" + t + "@" + sip.getHost() + (sip.getPort() > 0 ? ":" + sip.getPort() : "");
        }
        return null;
    }
}
