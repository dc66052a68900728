/** The daemon's HTTP port on Netty: {@code GET /health} now, metrics and the call API later. */
package dev.softswitch.app.http;
