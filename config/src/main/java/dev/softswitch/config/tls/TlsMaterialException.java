package dev.softswitch.config.tls;

/**
 * A TLS key, certificate or CA file that cannot be used. {@link #source()} says which setting is at fault, so that
 * the error points at that field of the configuration file, or at that flag.
 */
public final class TlsMaterialException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The setting an error is about. */
    public enum Source {
        /** The PEM certificate chain ({@code cert}, {@code --tls-cert}). */
        CERT,
        /** The PEM private key ({@code key}, {@code --tls-key}). */
        KEY,
        /** The keystore ({@code keystore}, {@code --tls-keystore}). */
        KEYSTORE,
        /** The keystore's password ({@code keystore_password}, {@code --tls-keystore-password}). */
        KEYSTORE_PASSWORD,
        /** The trusted CA certificates ({@code ca_file}, {@code --tls-ca}). */
        CA_FILE
    }

    private final Source source;

    public TlsMaterialException(Source source, String message) {
        super(message);
        this.source = source;
    }

    public TlsMaterialException(Source source, String message, Throwable cause) {
        super(message, cause);
        this.source = source;
    }

    public Source source() {
        return source;
    }
}
