/** The daemon's HTTP port on Netty: {@code GET /health} and {@code GET /metrics} now, the call API later. */
package dev.softswitch.app.http;
