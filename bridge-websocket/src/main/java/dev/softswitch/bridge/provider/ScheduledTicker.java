package dev.softswitch.bridge.provider;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A {@link Ticker} of its own: one daemon thread ticking every registered task at a fixed 20 ms rate. */
public final class ScheduledTicker implements Ticker, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScheduledTicker.class);

    private final Set<Runnable> ticks = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "provider-ticker");
        t.setDaemon(true);
        return t;
    });

    public ScheduledTicker() {
        timer.scheduleAtFixedRate(this::tickAll, 20, 20, TimeUnit.MILLISECONDS);
    }

    @Override
    public Registration every20ms(Runnable tick) {
        ticks.add(tick);
        return () -> ticks.remove(tick);
    }

    private void tickAll() {
        List<Runnable> failed = new ArrayList<>();
        for (Runnable tick : ticks) {
            try {
                tick.run();
            } catch (RuntimeException e) {
                log.error("tick failed; removing it", e);
                failed.add(tick);
            }
        }
        failed.forEach(ticks::remove);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
