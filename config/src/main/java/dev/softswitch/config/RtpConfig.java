package dev.softswitch.config;

import java.util.Objects;

/**
 * Media settings ({@code rtp:}).
 *
 * @param ports the UDP ports calls take RTP ports from (each call an even one; RTCP would use the odd one above)
 */
public record RtpConfig(PortRange ports) {

    /** What an absent {@code rtp:} section means: ports 10000-20000. */
    public static final RtpConfig DEFAULTS = new RtpConfig(new PortRange(10000, 20000));

    public RtpConfig {
        Objects.requireNonNull(ports, "ports");
    }
}
