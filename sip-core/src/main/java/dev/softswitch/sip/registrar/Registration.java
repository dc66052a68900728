package dev.softswitch.sip.registrar;

import dev.softswitch.sip.auth.DigestAuthenticator;
import dev.softswitch.sip.auth.PasswordLookup;

/**
 * What REGISTER needs: the registrar, the digest authenticator, and the passwords of the users allowed to register
 * (the configured PBX users, and nobody else).
 */
public record Registration(Registrar registrar, DigestAuthenticator digest, PasswordLookup passwords) {}
