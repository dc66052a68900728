package dev.softswitch.config;

/**
 * A secret reference that cannot be resolved: the variable is not set, the file is missing or unreadable. The message
 * says which reference and why, and never holds a secret's value.
 */
public final class SecretResolutionException extends Exception {

    public SecretResolutionException(String message) {
        super(message);
    }
}
