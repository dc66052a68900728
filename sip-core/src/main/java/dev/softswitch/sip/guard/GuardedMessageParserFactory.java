package dev.softswitch.sip.guard;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.SIPTransactionStack;

/**
 * Puts {@link PreParseCheck} in front of the stack's own parser on every transport: named in the stack property
 * {@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY}; needs its public no-argument constructor.
 */
public final class GuardedMessageParserFactory implements MessageParserFactory {

    /** The stack's parser keeps no state between messages; its own factory shares one too. */
    private static final StringMsgParser PARSER = new StringMsgParser();

    public GuardedMessageParserFactory() {}

    @Override
    public MessageParser createMessageParser(SIPTransactionStack stack) {
        String name = stack instanceof SipStackImpl impl ? impl.getStackName() : "";
        return new GuardedMessageParser(PARSER, SipGuards.forStack(name == null ? "" : name));
    }
}
