package dev.softswitch.bridge.client;

import java.net.URI;

/** A bot could not be reached: the message says why, for the log and the call record. The URL's query is left out. */
public final class BotConnectException extends Exception {

    private static final long serialVersionUID = 1L;

    public BotConnectException(URI url, String why) {
        super("bot " + withoutQuery(url) + ": " + why);
    }

    /** Query strings may carry tokens: logs get the scheme, host, port and path only. */
    static String withoutQuery(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "")
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }
}
