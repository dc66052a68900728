package dev.softswitch.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The whole machine's figures from {@code /proc/stat}. */
final class MachineStat {

    private MachineStat() {}

    /**
     * Steal time summed over the CPUs, in clock ticks (the 8th value of the {@code cpu} line, proc(5)): time a virtual
     * CPU wanted to run and the hypervisor ran something else. -1 when it cannot be read.
     */
    static long stealTicks() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    return f.length > 8 ? Long.parseLong(f[8]) : -1;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
