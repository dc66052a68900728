/**
 * One call's life: its states and the one table of allowed transitions, the failures that end calls (each knowing its
 * SIP status and record reason), and the serial executor that confines a call's state to one thread at a time.
 */
package dev.softswitch.sip.call;
