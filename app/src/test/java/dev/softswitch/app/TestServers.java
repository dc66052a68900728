package dev.softswitch.app;

import java.time.Duration;

/** Starts softswitches on 127.0.0.1 with free ports for integration tests. */
final class TestServers {

    private TestServers() {}

    static Softswitch start(Duration answerDelay) throws StartupException {
        int rtp = FreePorts.rtpRangeStart();
        return Softswitch.start(new ServeSettings(
                "127.0.0.1",
                "127.0.0.1",
                FreePorts.udpAndTcp(),
                rtp,
                rtp + 399,
                0,
                answerDelay,
                Duration.ofSeconds(30)));
    }

    static int sipPort(Softswitch softswitch) {
        return softswitch.sip().port();
    }
}
