package dev.softswitch.sip.stack;

import gov.nist.core.StackLogger;
import java.util.Properties;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the JAIN-SIP stack's own logging to SLF4J (logger {@code jain-sip}), so that the stack runs without log4j 1.x.
 * Named in the stack property {@code gov.nist.javax.sip.STACK_LOGGER}; needs its public no-argument constructor.
 *
 * <p>The stack puts whole messages into some lines (a TCP connection that fails logs the request it carried): the
 * values of {@code Authorization} and {@code Proxy-Authorization} are replaced by {@code ***}, since a digest response
 * is derived from the password.
 */
public final class Slf4jStackLogger implements StackLogger {

    private static final Logger log = LoggerFactory.getLogger("jain-sip");
    /** The stack's line when a valve drops a request. */
    static final String VALVE_DROP = "Null request interface returned";
    /** The stack's line when processing a UDP packet failed, followed by the packet as a list of bytes. */
    static final String PACKET_DUMP = "Error while processing incoming UDP packet";

    private static final Pattern CREDENTIALS = Pattern.compile("(?im)^((?:proxy-)?authorization[ \\t]*:).*$");

    public Slf4jStackLogger() {}

    @Override
    public void logStackTrace() {
        if (log.isTraceEnabled()) {
            log.trace("stack trace", new Throwable("stack trace"));
        }
    }

    @Override
    public void logStackTrace(int traceLevel) {
        logStackTrace();
    }

    @Override
    public int getLineCount() {
        return 0;
    }

    @Override
    public void logException(Throwable ex) {
        log.warn("stack exception", ex);
    }

    @Override
    public void logDebug(String message) {
        log.debug(redact(message));
    }

    @Override
    public void logDebug(String message, Exception ex) {
        log.debug(redact(message), ex);
    }

    @Override
    public void logTrace(String message) {
        log.trace(redact(message));
    }

    @Override
    public void logFatalError(String message) {
        log.error(redact(message));
    }

    @Override
    public void logError(String message) {
        log.error(redact(message));
    }

    @Override
    public boolean isLoggingEnabled() {
        return log.isInfoEnabled();
    }

    @Override
    public boolean isLoggingEnabled(int logLevel) {
        if (logLevel >= TRACE_TRACE) {
            return log.isTraceEnabled();
        }
        if (logLevel >= TRACE_DEBUG) {
            return log.isDebugEnabled();
        }
        if (logLevel >= TRACE_INFO) {
            return log.isInfoEnabled();
        }
        if (logLevel >= TRACE_WARN) {
            return log.isWarnEnabled();
        }
        return logLevel > TRACE_NONE && log.isErrorEnabled();
    }

    @Override
    public void logError(String message, Exception ex) {
        log.error(redact(message), ex);
    }

    @Override
    public void logWarning(String message) {
        if (message != null && message.startsWith(VALVE_DROP)) {
            log.debug(message); // every request our valve drops says this: a flood would fill the log
            return;
        }
        log.warn(redact(message));
    }

    @Override
    public void logInfo(String message) {
        log.info(redact(message));
    }

    /** {@code message} with the values of credential headers replaced by {@code ***}. */
    static String redact(String message) {
        if (message != null && message.startsWith(PACKET_DUMP)) {
            return PACKET_DUMP + " (packet bytes not logged)"; // the stack appends the whole datagram, byte by byte
        }
        if (message == null || message.indexOf(':') < 0) {
            return message;
        }
        return CREDENTIALS.matcher(message).replaceAll("$1 ***");
    }

    @Override
    public void disableLogging() {}

    @Override
    public void enableLogging() {}

    @Override
    public void setBuildTimeStamp(String buildTimeStamp) {}

    @Override
    public void setStackProperties(Properties stackProperties) {}

    @Override
    public String getLoggerName() {
        return log.getName();
    }
}
