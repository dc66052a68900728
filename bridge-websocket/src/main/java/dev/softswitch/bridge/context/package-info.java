/**
 * The call context store shared through Redis, so that a call placed through one instance is claimed by whichever
 * instance its media socket reaches, exactly once. The in-memory store and the contract are in the assistant module.
 */
@NullMarked
package dev.softswitch.bridge.context;

import org.jspecify.annotations.NullMarked;
