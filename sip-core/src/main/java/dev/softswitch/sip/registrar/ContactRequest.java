package dev.softswitch.sip.registrar;

/**
 * One {@code Contact} of a REGISTER.
 *
 * @param uri the contact URI
 * @param expires its {@code expires} parameter in seconds, or -1 when it has none
 */
public record ContactRequest(String uri, int expires) {}
