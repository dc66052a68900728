package dev.softswitch.sip.auth;

/**
 * An {@code Authorization} or {@code Proxy-Authorization} value that is not well-formed digest credentials. The
 * message names the problem and the parameter, never a parameter's value (it would carry the response).
 */
public final class DigestParseException extends Exception {

    public DigestParseException(String message) {
        super(message);
    }
}
