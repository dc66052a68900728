/**
 * The configuration file: immutable records for what {@code softswitch.yaml} says, a loader that validates it and reports
 * every error with its file, line, column and field, and the secrets it references ({@code ${env:NAME}},
 * {@code ${file:/path}}), resolved into {@link dev.softswitch.config.Secret}s held by a
 * {@link dev.softswitch.config.CredentialVault}. Pure Java and Jackson: no network, no threads.
 */
@NullMarked
package dev.softswitch.config;

import org.jspecify.annotations.NullMarked;
