/**
 * The {@code softswitch} command: parses flags, wires the modules together ({@link dev.softswitch.app.Softswitch}),
 * runs until stopped, and serves the health and metrics endpoints.
 */
package dev.softswitch.app;
