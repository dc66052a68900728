/**
 * The adapter around the JAIN-SIP reference stack: its properties (every unsafe default overridden on purpose) and
 * the bridges that send its logging to SLF4J instead of log4j 1.x, and the census and leak audit of what it holds.
 */
package dev.softswitch.sip.stack;
