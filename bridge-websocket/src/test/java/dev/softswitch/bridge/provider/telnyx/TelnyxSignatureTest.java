package dev.softswitch.bridge.provider.telnyx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The computed example of providers.md 5.4, and the ways a webhook fails it. */
class TelnyxSignatureTest {

    static final String PUBLIC_KEY = "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=";
    static final String TIMESTAMP = "1700000000";
    static final String BODY =
            "{\"data\":{\"event_type\":\"call.initiated\",\"id\":\"0ccc7b54-4df3-4bca-a65a-3da1ecc777f0\","
                    + "\"occurred_at\":\"2023-11-14T22:13:20.000Z\",\"payload\":{\"call_control_id\":\"v3:abc\",\"direction\":"
                    + "\"incoming\",\"from\":\"+13125550100\",\"to\":\"+13125550199\",\"state\":\"parked\"},\"record_type\":"
                    + "\"event\"},\"meta\":{\"attempt\":1,\"delivered_to\":\"https://example.com/webhooks\"}}";
    static final String SIGNATURE =
            "BiiIXME3ko1esZW9TQKgqtcznL+S8CYLOHjJ3ngl6hBbKQlTgftGh54vvcubX9Bgd5mbQaCS2+M40p3lLRybDw==";

    private final TelnyxSignature signature = new TelnyxSignature(PUBLIC_KEY);
    private final byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    private final Instant sent = Instant.ofEpochSecond(1_700_000_000L);

    @Test
    void acceptsTheComputedExampleWithinFiveMinutes() {
        assertThat(signature.check(SIGNATURE, TIMESTAMP, body, sent)).isNull();
        assertThat(signature.check(SIGNATURE, TIMESTAMP, body, sent.plusSeconds(300)))
                .isNull();
        assertThat(signature.check(SIGNATURE, TIMESTAMP, body, sent.minusSeconds(300)))
                .isNull();
    }

    @Test
    void refusesAStaleTamperedOrUnsignedWebhook() {
        assertThat(signature.check(SIGNATURE, TIMESTAMP, body, sent.plusSeconds(301)))
                .isEqualTo(TelnyxSignature.Problem.STALE);
        byte[] tampered = BODY.replace("+13125550199", "+13125550198").getBytes(StandardCharsets.UTF_8);
        assertThat(signature.check(SIGNATURE, TIMESTAMP, tampered, sent)).isEqualTo(TelnyxSignature.Problem.WRONG);
        assertThat(signature.check(SIGNATURE, "1700000001", body, sent.plusSeconds(1)))
                .as("the timestamp is signed too")
                .isEqualTo(TelnyxSignature.Problem.WRONG);
        assertThat(signature.check("not base64!", TIMESTAMP, body, sent)).isEqualTo(TelnyxSignature.Problem.WRONG);
        assertThat(signature.check(null, TIMESTAMP, body, sent)).isEqualTo(TelnyxSignature.Problem.MISSING);
        assertThat(signature.check(SIGNATURE, null, body, sent)).isEqualTo(TelnyxSignature.Problem.MISSING);
    }
}
