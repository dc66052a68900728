/**
 * The key, certificate and trusted CAs of SIP over TLS, read from PEM files or a PKCS#12 keystore into JDK key and trust
 * managers, with errors that say which file is wrong and why (missing, wrong password, key of another certificate).
 * Pure JDK security APIs: no sockets, no threads.
 */
@NullMarked
package dev.softswitch.config.tls;

import org.jspecify.annotations.NullMarked;
