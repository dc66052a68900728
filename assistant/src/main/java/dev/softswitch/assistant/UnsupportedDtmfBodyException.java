package dev.softswitch.assistant;

/**
 * A SIP INFO carried a body whose Content-Type is not a DTMF type this softswitch reads; the SIP layer
 * answers 415 Unsupported Media Type with an Accept header listing {@link DtmfInfoParser#SUPPORTED_TYPES}
 * (RFC 3261 21.4.13).
 */
public final class UnsupportedDtmfBodyException extends RuntimeException {

    private final String contentType;

    /** For a body of {@code contentType}, as the request gave it. */
    public UnsupportedDtmfBodyException(String contentType) {
        super("Content-Type '" + contentType + "' is not a DTMF body; supported: " + DtmfInfoParser.SUPPORTED_TYPES);
        this.contentType = contentType;
    }

    /** The Content-Type as the request gave it. */
    public String contentType() {
        return contentType;
    }
}
