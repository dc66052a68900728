package dev.softswitch.sip.uac;

/** Where one binding at a carrier stands. */
public enum RegistrationState {
    /** Not registered: not started yet, or removed (Expires: 0) at shutdown. */
    UNREGISTERED,
    /** A REGISTER is on its way (the first one, a refresh, or a challenge's answer). */
    REGISTERING,
    /** The carrier holds our binding until {@link RegistrationStatus#expiresAt()}; a refresh is scheduled before. */
    REGISTERED,
    /** The last attempt failed (refused, no answer, transport error); the next one waits out the back-off. */
    FAILED
}
