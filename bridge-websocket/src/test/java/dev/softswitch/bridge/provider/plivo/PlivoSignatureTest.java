package dev.softswitch.bridge.provider.plivo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The computed examples of providers.md 4.5, and what must not pass. */
class PlivoSignatureTest {

    static final String TOKEN = "MY_AUTH_TOKEN";
    static final String NONCE = "05429567804466091622";
    static final String POST_SIGNATURE = "15EHSTkJDKJ7++bqRjSbIT2cJPM/NxrA94sswLqp/Hk=";
    static final String GET_SIGNATURE = "bEaiMj7i1AIVmXy7qT/8mtHljtcvCyy7kcnKIr1n//Q=";

    static Map<String, List<String>> answerParams() {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("To", List.of("14155550199"));
        params.put("From", List.of("14155550100"));
        params.put("CallUUID", List.of("aaaa-bbbb"));
        params.put("Direction", List.of("inbound"));
        return params;
    }

    @Test
    void signsAPostWithParametersAsTheWorkedExample() {
        URI url = URI.create("https://example.com/answer");
        assertThat(PlivoSignature.baseString("POST", url, answerParams()))
                .isEqualTo("https://example.com/answer?CallUUIDaaaa-bbbbDirectioninboundFrom14155550100To14155550199");
        assertThat(PlivoSignature.compute(TOKEN, PlivoSignature.baseString("POST", url, answerParams()), NONCE))
                .isEqualTo(POST_SIGNATURE);
        assertThat(PlivoSignature.valid(TOKEN, POST_SIGNATURE, NONCE, "POST", url, answerParams()))
                .isTrue();
    }

    @Test
    void signsAGetByItsSortedQuery() {
        URI url = URI.create("https://example.com/answer?b=2&a=1");
        assertThat(PlivoSignature.baseString("GET", url, Map.of())).isEqualTo("https://example.com/answer?a=1&b=2");
        assertThat(PlivoSignature.valid(TOKEN, GET_SIGNATURE, NONCE, "GET", url, Map.of()))
                .isTrue();
    }

    @Test
    void acceptsAnyOfSeveralSignaturesAndRefusesTampering() {
        URI url = URI.create("https://example.com/answer");
        assertThat(PlivoSignature.valid(
                        TOKEN, "c29tZXRoaW5nIGVsc2U=, " + POST_SIGNATURE, NONCE, "POST", url, answerParams()))
                .isTrue();
        Map<String, List<String>> tampered = answerParams();
        tampered.put("To", List.of("14155550198"));
        assertThat(PlivoSignature.valid(TOKEN, POST_SIGNATURE, NONCE, "POST", url, tampered))
                .isFalse();
        assertThat(PlivoSignature.valid(TOKEN, POST_SIGNATURE, "05429567804466091623", "POST", url, answerParams()))
                .isFalse();
        assertThat(PlivoSignature.valid("OTHER", POST_SIGNATURE, NONCE, "POST", url, answerParams()))
                .isFalse();
        assertThat(PlivoSignature.valid(TOKEN, null, NONCE, "POST", url, answerParams()))
                .isFalse();
        assertThat(PlivoSignature.valid(TOKEN, POST_SIGNATURE, null, "POST", url, answerParams()))
                .isFalse();
    }

    @Test
    void putsAPostsQueryBeforeItsBodyWithADot() {
        assertThat(PlivoSignature.baseString(
                        "POST", URI.create("https://example.com/answer?z=1&call=c1"), Map.of("A", List.of("x"))))
                .isEqualTo("https://example.com/answer?call=c1&z=1.Ax");
    }
}
