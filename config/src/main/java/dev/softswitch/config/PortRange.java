package dev.softswitch.config;

/**
 * An inclusive range of UDP or TCP ports, such as the RTP ports {@code 10000-20000}.
 *
 * @param low the first port
 * @param high the last port, not below {@code low}
 */
public record PortRange(int low, int high) {

    public PortRange {
        if (low < 1 || high > 65535 || low > high) {
            throw new IllegalArgumentException("not a port range within 1-65535: " + low + "-" + high);
        }
    }

    /** How many ports the range holds. */
    public int size() {
        return high - low + 1;
    }

    public boolean contains(int port) {
        return port >= low && port <= high;
    }

    /** {@code LOW-HIGH}, as the configuration file writes it. */
    @Override
    public String toString() {
        return low + "-" + high;
    }
}
