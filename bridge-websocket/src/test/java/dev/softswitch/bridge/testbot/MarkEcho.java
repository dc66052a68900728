package dev.softswitch.bridge.testbot;

import java.util.Optional;

/**
 * A {@code mark} the client sent back, whether or not the bot had sent it (an unsent or repeated one is also a
 * violation).
 *
 * @param name the mark's name
 * @param nanoTime {@link System#nanoTime()} when it arrived, to compare with when audio was sent
 * @param played the audio dialect's {@code played} flag; empty for Twilio, whose marks carry none
 */
public record MarkEcho(String name, long nanoTime, Optional<Boolean> played) {}
