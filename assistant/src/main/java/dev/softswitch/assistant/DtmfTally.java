package dev.softswitch.assistant;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Key presses handed to assistants, by the route they came by, over all calls: what {@code /metrics} shows. */
public final class DtmfTally {

    private final Map<DtmfEvent.Method, LongAdder> counts = new EnumMap<>(DtmfEvent.Method.class);

    public DtmfTally() {
        for (DtmfEvent.Method method : DtmfEvent.Method.values()) {
            counts.put(method, new LongAdder());
        }
    }

    void count(DtmfEvent event) {
        counts.get(event.method()).increment();
    }

    /** Key presses so far that came by {@code method}. */
    public long count(DtmfEvent.Method method) {
        return counts.get(method).sum();
    }
}
