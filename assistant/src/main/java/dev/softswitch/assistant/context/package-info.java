/**
 * What a call was placed for (assistant, variables), kept under the call's id from the moment it is placed until the
 * part of the system that picks the call up claims it, exactly once. In memory by default; a shared store (Redis) lets
 * another instance claim it.
 */
@NullMarked
package dev.softswitch.assistant.context;

import org.jspecify.annotations.NullMarked;
