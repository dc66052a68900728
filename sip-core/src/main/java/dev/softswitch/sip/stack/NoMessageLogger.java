package dev.softswitch.sip.stack;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.message.SIPMessage;
import java.util.Properties;
import javax.sip.SipStack;

/**
 * The stack's message logger, switched off: whole SIP messages carry {@code Authorization} headers and keys in URIs,
 * so they never go to a log. Named in {@code gov.nist.javax.sip.SERVER_LOGGER}.
 */
public final class NoMessageLogger implements ServerLogger {

    public NoMessageLogger() {}

    @Override
    public void closeLogFile() {}

    @Override
    public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) {}

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender, long time) {}

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender) {}

    @Override
    public void logException(Exception ex) {}

    @Override
    public void setStackProperties(Properties stackProperties) {}

    @Override
    public void setSipStack(SipStack sipStack) {}
}
