package dev.softswitch.bridge.provider.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worked examples of providers.md 1.5 (twilio-python's test vectors), and what must not pass. */
class TwilioSignatureTest {

    static final String TOKEN = "12345";
    static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
    static final String SIGNATURE = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
    static final String SIGNATURE_WITH_PORT = "kvajT1Ptam85bY51eRf/AJRuM3w=";
    static final String JSON_BODY = "{\"property\": \"value\", \"boolean\": true}";
    static final String BODY_HASH = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
    static final String JSON_SIGNATURE = "a9nBmqA0ju/hNViExpshrM61xv4=";

    static Map<String, List<String>> params() {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("CallSid", List.of("CA1234567890ABCDE"));
        params.put("Digits", List.of("1234"));
        params.put("From", List.of("+14158675309"));
        params.put("To", List.of("+18005551212"));
        params.put("Caller", List.of("+14158675309"));
        return params;
    }

    @Test
    void computesTheWorkedExample() {
        assertThat(TwilioSignature.compute(TOKEN, URL, params())).isEqualTo(SIGNATURE);
        assertThat(TwilioSignature.compute(TOKEN, "https://mycompany.com:443/myapp.php?foo=1&bar=2", params()))
                .isEqualTo(SIGNATURE_WITH_PORT);
    }

    @Test
    void acceptsTheUrlWithOrWithoutItsDefaultPort() {
        assertThat(TwilioSignature.valid(TOKEN, SIGNATURE, URL, params())).isTrue();
        assertThat(TwilioSignature.valid(TOKEN, SIGNATURE_WITH_PORT, URL, params()))
                .isTrue();
        assertThat(TwilioSignature.valid(TOKEN, SIGNATURE, "https://mycompany.com:443/myapp.php?foo=1&bar=2", params()))
                .isTrue();
        assertThat(TwilioSignature.valid(
                        TOKEN, SIGNATURE, "https://mycompany.com:8443/myapp.php?foo=1&bar=2", params()))
                .as("another port is another URL")
                .isFalse();
    }

    @Test
    void refusesWhatWasTamperedWith() {
        Map<String, List<String>> tampered = params();
        tampered.put("To", List.of("+18005551213"));
        assertThat(TwilioSignature.valid(TOKEN, SIGNATURE, URL, tampered)).isFalse();
        Map<String, List<String>> added = params();
        added.put("Extra", List.of("1"));
        assertThat(TwilioSignature.valid(TOKEN, SIGNATURE, URL, added)).isFalse();
        assertThat(TwilioSignature.valid("12346", SIGNATURE, URL, params())).isFalse();
        assertThat(TwilioSignature.valid(TOKEN, SIGNATURE, URL.replace("foo=1", "foo=2"), params()))
                .isFalse();
        assertThat(TwilioSignature.valid(TOKEN, null, URL, params())).isFalse();
        assertThat(TwilioSignature.valid(TOKEN, "", URL, params())).isFalse();
    }

    @Test
    void sortsRepeatedValuesAndDropsDuplicates() {
        Map<String, List<String>> repeated = Map.of("B", List.of("2", "1", "2"), "A", List.of("x"));
        Map<String, List<String>> sorted = Map.of("A", List.of("x"), "B", List.of("1", "2"));
        assertThat(TwilioSignature.compute(TOKEN, URL, repeated))
                .isEqualTo(TwilioSignature.compute(TOKEN, URL, sorted));
    }

    @Test
    void checksAJsonBodyByItsHashAndTheUrl() {
        byte[] body = JSON_BODY.getBytes(StandardCharsets.UTF_8);
        String url = URL + "&bodySHA256=" + BODY_HASH;

        assertThat(TwilioSignature.bodySha256(body)).isEqualTo(BODY_HASH);
        assertThat(TwilioSignature.compute(TOKEN, url, Map.of())).isEqualTo(JSON_SIGNATURE);
        assertThat(TwilioSignature.validJson(TOKEN, JSON_SIGNATURE, url, body)).isTrue();
        assertThat(TwilioSignature.validJson(
                        TOKEN,
                        JSON_SIGNATURE,
                        url,
                        "{\"property\": \"value\", \"boolean\": false}".getBytes(StandardCharsets.UTF_8)))
                .as("a tampered body")
                .isFalse();
        assertThat(TwilioSignature.validJson(TOKEN, JSON_SIGNATURE, URL, body))
                .as("no bodySHA256")
                .isFalse();
    }

    @Test
    void listsThePortVariants() {
        assertThat(TwilioSignature.portVariants("wss://h.example/media"))
                .containsExactly("wss://h.example/media", "wss://h.example:443/media");
        assertThat(TwilioSignature.portVariants("http://[::1]:80/x?y=1"))
                .containsExactly("http://[::1]:80/x?y=1", "http://[::1]/x?y=1");
        assertThat(TwilioSignature.portVariants("http://127.0.0.1:8080/x")).containsExactly("http://127.0.0.1:8080/x");
    }
}
