package dev.softswitch.bridge.testbot;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The marks a bot sent and which of them came back. The test thread records sends, the event loop the echoes, so both
 * sides go through one atomic map update. A name sent twice may come back twice.
 */
final class MarkLedger {

    /** Name to the number of sends not yet echoed. */
    private final Map<String, Integer> outstanding = new ConcurrentHashMap<>();

    void sent(String name) {
        outstanding.merge(name, 1, Integer::sum);
    }

    /** Takes one outstanding send of {@code name}; if there is none, says what is wrong with the echo. */
    @Nullable
    String echo(String name) {
        boolean[] known = {false};
        boolean[] taken = {false};
        outstanding.computeIfPresent(name, (key, count) -> {
            known[0] = true;
            if (count > 0) {
                taken[0] = true;
                return count - 1;
            }
            return count;
        });
        if (taken[0]) {
            return null;
        }
        return known[0]
                ? "mark \"" + name + "\" was already echoed (a mark comes back once per send)"
                : "mark \"" + name + "\" names no mark this bot sent";
    }
}
