package dev.softswitch.sip.stack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The stack logs whole messages on some errors: their credentials must not reach the log. */
class Slf4jStackLoggerTest {

    @Test
    void credentialHeadersLoseTheirValuesAndNothingElseChanges() {
        String message = "Problem connecting for message REGISTER sip:carrier.example SIP/2.0\r\n"
                + "Call-ID: abc\r\n"
                + "Authorization: Digest username=\"acme\", response=\"0123456789abcdef\"\r\n"
                + "proxy-authorization : Digest username=\"acme\", response=\"fedcba9876543210\"\r\n"
                + "Expires: 3600\r\n\r\n";
        String logged = Slf4jStackLogger.redact(message);
        assertThat(logged)
                .doesNotContain("0123456789abcdef")
                .doesNotContain("fedcba9876543210")
                .contains("Authorization: ***\r\n")
                .contains("proxy-authorization : ***\r\n")
                .contains("Call-ID: abc\r\n")
                .endsWith("Expires: 3600\r\n\r\n");
        assertThat(Slf4jStackLogger.redact("no headers here")).isEqualTo("no headers here");
        assertThat(Slf4jStackLogger.redact("WWW-Authenticate: Digest realm=\"x\""))
                .isEqualTo("WWW-Authenticate: Digest realm=\"x\"");
    }

    @Test
    void theStacksByteDumpOfABadPacketIsNotLogged() {
        String dump = "Error while processing incoming UDP packet[73, 78, 86, 73, 84, 69]";
        assertThat(Slf4jStackLogger.redact(dump))
                .isEqualTo("Error while processing incoming UDP packet (packet bytes not logged)");
    }
}
