package dev.softswitch.bridge.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.softswitch.bridge.testbot.TestBot;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BotClientTest {

    private static final BotListener IGNORE = new BotListener() {
        @Override
        public void onText(String text) {}

        @Override
        public void onBinary(byte[] data) {}
    };

    @Test
    void countsOpenedAndFailedConnections() throws Exception {
        try (BotClient client = new BotClient(1);
                TestBot bot = TestBot.start(TestBot.Dialect.TWILIO, TestBot.Behaviour.SILENT);
                TestBot rejecting = TestBot.start(TestBot.Dialect.TWILIO, TestBot.Behaviour.REJECT)) {
            BotSocket socket = client.connect(bot.url(), Map.of(), Duration.ofSeconds(5), IGNORE)
                    .get();
            assertThat(client.connect(URI.create("http://127.0.0.1:1/"), Map.of(), Duration.ofSeconds(1), IGNORE))
                    .isCompletedExceptionally();
            client.connect(rejecting.url(), Map.of(), Duration.ofSeconds(5), IGNORE)
                    .handle((s, e) -> e)
                    .get();

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(client.connectionsOpened()).isEqualTo(1);
                assertThat(client.connectionsFailed()).isEqualTo(2);
            });
            socket.close(1000, "done");
        }
    }
}
