/**
 * The daemon's HTTP port on Netty: {@code GET /health}, {@code GET /metrics}, and the call API under {@code /v1}
 * ({@link dev.softswitch.app.http.CallsApi}: place, poll and hang up calls with a bearer key).
 */
package dev.softswitch.app.http;
