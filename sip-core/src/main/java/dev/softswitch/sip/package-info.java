/**
 * SIP signalling: {@link dev.softswitch.sip.SipServer} owns the JAIN-SIP stack and answers every request; inbound
 * calls are admitted, routed to an assistant, negotiated and connected to their media here. No {@code javax.sip} type
 * leaves this module.
 */
package dev.softswitch.sip;
