package dev.softswitch.bridge.provider.vonage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The computed signed-webhook example of providers.md 2.5. */
class VonageJwtTest {

    static final String SECRET = "my-32-byte-or-longer-signature-secret!!";
    static final String BODY = "{\"status\":\"answered\",\"uuid\":\"aaaaaaaa-bbbb-cccc-dddd-0123456789ab\"}";
    static final String HASH = "3b98c9072a87490e8518bd6d2cc5a5becdfff627784c7f3b0ac9b48b095bfd37";
    static final String JWT =
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpYXQiOjE1ODc0OTQ5NjIsImp0aSI6ImM1YmE4ZjI0LTFhMTQt"
                    + "NGMxMC1iZmRmLTNmYmU4Y2U1MTFiNSIsImlzcyI6IlZvbmFnZSIsInBheWxvYWRfaGFzaCI6IjNiOThjOTA3MmE4NzQ5MGU4NTE4YmQ2ZD"
                    + "JjYzVhNWJlY2RmZmY2Mjc3ODRjN2YzYjBhYzliNDhiMDk1YmZkMzciLCJhcGlfa2V5IjoiYTFiMmMzZCIsImFwcGxpY2F0aW9uX2lkIjoi"
                    + "YWFhYWFhYWEtYmJiYi1jY2NjLWRkZGQtMDEyMzQ1Njc4OWFiIn0.zfQEJ-m-te1aNGlhZU3xaB2C9VsmwBjDO49upc70IrM";

    @Test
    void verifiesTheWorkedExampleAndItsPayloadHash() {
        JsonNode claims = VonageJwt.verifyHs256(JWT, SECRET);

        assertThat(claims).isNotNull();
        assertThat(claims.path("iss").asText()).isEqualTo("Vonage");
        assertThat(claims.path("iat").asLong()).isEqualTo(1587494962L);
        assertThat(claims.path("payload_hash").asText()).isEqualTo(HASH);
        assertThat(VonageJwt.payloadHash(BODY.getBytes(StandardCharsets.UTF_8))).isEqualTo(HASH);
    }

    @Test
    void refusesAnotherSecretOrATamperedToken() {
        assertThat(VonageJwt.verifyHs256(JWT, SECRET + "x")).isNull();
        String[] parts = JWT.split("\\.");
        String otherClaims = java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("{\"iat\":1587494962,\"iss\":\"Vonage\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(VonageJwt.verifyHs256(parts[0] + "." + otherClaims + "." + parts[2], SECRET))
                .isNull();
        assertThat(VonageJwt.verifyHs256("not.a.jwt", SECRET)).isNull();
        assertThat(VonageJwt.verifyHs256("eyJhbGciOiJub25lIn0.e30.", SECRET))
                .as("alg none")
                .isNull();
    }
}
