/**
 * What {@code GET /metrics} shows: Micrometer meters over the plain counters and getters the other modules expose
 * (they do not depend on Micrometer; the arrows point from app to them), plus the JVM's, in the Prometheus text format.
 */
@NullMarked
package dev.softswitch.app.metrics;

import org.jspecify.annotations.NullMarked;
