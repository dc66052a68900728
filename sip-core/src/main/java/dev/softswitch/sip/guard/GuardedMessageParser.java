package dev.softswitch.sip.guard;

import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.stack.UDPMessageChannel;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The stack's parser behind {@link PreParseCheck}. A message that passes is parsed as the stack would (a datagram cut
 * at its Content-Length). A request that fails, or that the stack's parser cannot read, comes back as its stand-in
 * marked with a {@link Rejection}, which {@link GuardValve} answers statelessly; when even a stand-in cannot be had
 * (a response, an ACK, a request without the headers a response needs, or one whose Via, From, To, Call-ID or CSeq is
 * itself unreadable) a {@link ParseException} goes back to the stack, which drops responses and ACKs and answers other
 * requests with its own 400 carrying our reason.
 *
 * <p>A {@link StackOverflowError} in the stack's parser (deeply nested input; usnistgov/jsip#85) is caught here: it
 * would otherwise end a stack thread for good. No message content is logged here.
 */
final class GuardedMessageParser implements MessageParser {

    /** The headers whose parse errors the stack treats as fatal, by the name our reason gives them. */
    private static final Map<Class<?>, String> CORE = Map.of(
            Via.class, "Via header",
            From.class, "From header",
            To.class, "To header",
            CSeq.class, "CSeq header",
            CallID.class, "Call-ID header",
            ContentLength.class, "Content-Length header",
            RequestLine.class, "request line",
            StatusLine.class, "status line");

    /** For the stand-in: any error is fatal. */
    private static final ParseExceptionListener STRICT = (ex, message, headerClass, header, text) -> {
        throw ex;
    };

    private final MessageParser stackParser;
    private final SipGuard guard;

    GuardedMessageParser(MessageParser stackParser, SipGuard guard) {
        this.stackParser = stackParser;
        this.guard = guard;
    }

    @Override
    public @Nullable SIPMessage parseSIPMessage(
            byte[] message, boolean readBody, boolean strict, @Nullable ParseExceptionListener listener)
            throws ParseException {
        return parse(
                message,
                readBody,
                strict,
                listener,
                listener instanceof UDPMessageChannel ? PreParseCheck.Framing.DATAGRAM : PreParseCheck.Framing.STREAM);
    }

    /** As the stack calls it, with the framing said rather than read from the listener's type. */
    @Nullable
    SIPMessage parse(
            byte[] message,
            boolean readBody,
            boolean strict,
            @Nullable ParseExceptionListener listener,
            PreParseCheck.Framing framing)
            throws ParseException {
        PreParseCheck.Verdict verdict = PreParseCheck.check(message, message.length, framing, guard.maxMessageBytes());
        return switch (verdict) {
            case PreParseCheck.Pass pass ->
                parse(
                        pass.length() == message.length ? message : Arrays.copyOf(message, pass.length()),
                        readBody,
                        strict,
                        listener);
            case PreParseCheck.Reject reject ->
                refuse(new Rejection(reject.rule(), reject.status(), reject.reason()), reject.standIn());
        };
    }

    private @Nullable SIPMessage parse(
            byte[] message, boolean readBody, boolean strict, @Nullable ParseExceptionListener listener)
            throws ParseException {
        Tracker tracker = new Tracker(listener);
        try {
            return stackParser.parseSIPMessage(message, readBody, strict, tracker);
        } catch (ParseException e) {
            String what = tracker.failed != null ? tracker.failed : "message";
            return refuse(
                    new Rejection(PreParseCheck.Rule.UNPARSEABLE, 400, "Bad Request (malformed " + what + ")"),
                    PreParseCheck.standIn(message, message.length));
        } catch (StackOverflowError e) {
            return refuse(
                    new Rejection(PreParseCheck.Rule.UNPARSEABLE, 400, "Bad Request (nested too deeply)"),
                    PreParseCheck.standIn(message, message.length));
        }
    }

    /** The stand-in marked with {@code rejection}, else a ParseException for the stack's own handling. */
    private SIPMessage refuse(Rejection rejection, @Nullable String standIn) throws ParseException {
        guard.malformed(rejection.rule());
        if (standIn != null) {
            try {
                SIPMessage parsed =
                        stackParser.parseSIPMessage(standIn.getBytes(StandardCharsets.ISO_8859_1), true, false, STRICT);
                if (parsed instanceof SIPRequest request) {
                    request.setApplicationData(rejection);
                    return request;
                }
            } catch (ParseException | StackOverflowError e) {
                // the headers a response copies are themselves unreadable: the stack's own 400 below
            }
        }
        String reason = rejection.reason();
        int open = reason.indexOf('(');
        throw new ParseException(open >= 0 ? reason.substring(open + 1, reason.length() - 1) : reason, 0);
    }

    /** Passes the stack's listener through, remembering which fatal header failed. */
    private static final class Tracker implements ParseExceptionListener {
        private final @Nullable ParseExceptionListener delegate;

        @Nullable
        String failed;

        Tracker(@Nullable ParseExceptionListener delegate) {
            this.delegate = delegate;
        }

        @Override
        public void handleException(
                ParseException ex,
                SIPMessage message,
                @SuppressWarnings("rawtypes") Class headerClass,
                String header,
                String text)
                throws ParseException {
            String name = headerClass == null ? null : CORE.get(headerClass);
            if (name != null && failed == null) {
                failed = name;
            }
            if (delegate == null) {
                throw ex;
            }
            delegate.handleException(ex, message, headerClass, header, text);
        }
    }
}
