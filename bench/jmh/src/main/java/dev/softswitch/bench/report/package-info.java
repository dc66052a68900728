/**
 * What the bench scripts write into {@code bench/results/}: the JMH results as a markdown table beside the targets,
 * and PNG charts drawn with Java2D (headless), so that no plotting tool has to be installed.
 */
@NullMarked
package dev.softswitch.bench.report;

import org.jspecify.annotations.NullMarked;
