/**
 * Who may call and which assistant answers: a chain of small steps (credential, auth, assistant, vault) that enrich
 * one {@link dev.softswitch.sip.admission.AdmissionContext}; any step may end the request with its SIP answer.
 */
@NullMarked
package dev.softswitch.sip.admission;

import org.jspecify.annotations.NullMarked;
