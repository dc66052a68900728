/**
 * Calls that cloud providers (Twilio, Telnyx, Plivo, Vonage, Exotel) and Asterisk AudioSocket stream to us: the
 * webhooks that answer them (signature checked, assistant routed, call context stored), the media sockets that carry
 * them (context claimed, provider messages decoded into an assistant's port, its audio paced back at 20 ms), status
 * callbacks, and calls placed through the providers' REST APIs. One small package per provider holds its wire format;
 * this one holds what they share.
 */
@NullMarked
package dev.softswitch.bridge.provider;

import org.jspecify.annotations.NullMarked;
