package dev.softswitch.assistant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DtmfInfoParserTest {

    private static final String RELAY = "application/dtmf-relay";

    static Stream<Arguments> realWorldBodies() {
        return Stream.of(
                // Cisco gateways and CUCM
                Arguments.of(RELAY, "Signal=5\r\nDuration=160\r\n", '5', 160),
                Arguments.of(RELAY, "Signal= 1\r\nDuration= 160\r\n", '1', 160),
                // Polycom
                Arguments.of(RELAY, "Signal=#\r\nDuration=250\r\n", '#', 250),
                // Asterisk (chan_sip / chan_pjsip)
                Arguments.of(RELAY, "Signal=*\r\nDuration=100\r\n", '*', 100),
                // Grandstream-style lowercase keys, LF only, no trailing newline
                Arguments.of(RELAY, "signal=9\nduration=120", '9', 120),
                Arguments.of(RELAY, "SIGNAL=0\r\nDURATION=90\r\n", '0', 90),
                // event codes for * and #, and A-D as codes or lowercase
                Arguments.of(RELAY, "Signal=10\r\nDuration=200\r\n", '*', 200),
                Arguments.of(RELAY, "Signal=11\r\nDuration=200\r\n", '#', 200),
                Arguments.of(RELAY, "Signal=12\r\nDuration=200\r\n", 'A', 200),
                Arguments.of(RELAY, "Signal=d\r\nDuration=200\r\n", 'D', 200),
                // blanks everywhere, extra keys, key order, blank lines
                Arguments.of(RELAY, "  Signal =  7 \r\n  Duration =  300  \r\n\r\n", '7', 300),
                Arguments.of(RELAY, "Duration=180\r\nSignal=3\r\n", '3', 180),
                Arguments.of(RELAY, "Signal=4\r\nDuration=100\r\nVolume=10\r\nEnd=1\r\n", '4', 100),
                // no Duration: reported as 0 (unknown)
                Arguments.of(RELAY, "Signal=2\r\n", '2', 0),
                Arguments.of(RELAY, "Signal=B", 'B', 0),
                Arguments.of(RELAY, "Signal=6\r\nDuration=0\r\n", '6', 0),
                Arguments.of(RELAY, "Signal=8\r\nDuration=60000\r\n", '8', 60_000),
                Arguments.of(RELAY, "Signal=8\r\nDuration=0160\r\n", '8', 160),
                // content type in any case, with parameters
                Arguments.of("Application/DTMF-Relay; charset=utf-8", "Signal=C\r\nDuration=50\r\n", 'C', 50),
                Arguments.of(" application/dtmf-relay ;foo=bar", "Signal=1\r\n", '1', 0),
                // application/dtmf: just the key
                Arguments.of("application/dtmf", "5", '5', 0),
                Arguments.of("application/dtmf", "#\r\n", '#', 0),
                Arguments.of("application/dtmf", " 10 ", '*', 0),
                Arguments.of("application/dtmf", "11", '#', 0),
                Arguments.of("APPLICATION/DTMF;charset=us-ascii", "a", 'A', 0));
    }

    @ParameterizedTest
    @MethodSource("realWorldBodies")
    void readsTheKeyAndItsDuration(String contentType, String body, char digit, int durationMs) {
        assertEquals(
                Optional.of(new DtmfEvent(digit, durationMs, DtmfEvent.Method.INFO)),
                DtmfInfoParser.parse(contentType, body));
    }

    static Stream<Arguments> malformedBodies() {
        return Stream.of(
                Arguments.of(RELAY, "Duration=160\r\n", "no Signal in the application/dtmf-relay body"),
                Arguments.of(RELAY, "Signal=\r\nDuration=160\r\n", "Signal is empty"),
                Arguments.of(RELAY, "Signal=E\r\n", "Signal 'E' is not a DTMF digit (0-9 * # A-D, or 10 to 15)"),
                Arguments.of(RELAY, "Signal=16\r\n", "Signal '16' is not a DTMF digit (0-9 * # A-D, or 10 to 15)"),
                Arguments.of(RELAY, "Signal=55\r\n", "Signal '55' is not a DTMF digit (0-9 * # A-D, or 10 to 15)"),
                Arguments.of(RELAY, "Signal=-1\r\n", "Signal '-1' is not a DTMF digit (0-9 * # A-D, or 10 to 15)"),
                Arguments.of(
                        RELAY, "Signal=12345\r\n", "Signal '12345' is not a DTMF digit (0-9 * # A-D, or 10 to 15)"),
                Arguments.of(RELAY, "Signal=1\r\nDuration=\r\n", "Duration is empty"),
                Arguments.of(
                        RELAY, "Signal=1\r\nDuration=abc\r\n", "Duration 'abc' is not a whole number of milliseconds"),
                Arguments.of(
                        RELAY, "Signal=1\r\nDuration=-5\r\n", "Duration '-5' is not a whole number of milliseconds"),
                Arguments.of(
                        RELAY, "Signal=1\r\nDuration=1.5\r\n", "Duration '1.5' is not a whole number of milliseconds"),
                Arguments.of(RELAY, "Signal=1\r\nDuration=60001\r\n", "Duration 60001 ms is longer than 60 s"),
                Arguments.of(
                        RELAY,
                        "Signal=1\r\nDuration=99999999999999999999\r\n",
                        "Duration 99999999999999999999 ms is longer than 60 s"),
                Arguments.of(RELAY, "Signal 5\r\n", "line 'Signal 5' is not key=value"),
                Arguments.of(RELAY, "Signal=1\r\nSignal=2\r\n", "more than one Signal"),
                Arguments.of(RELAY, "Signal=1\r\nDuration=100\r\nDuration=200\r\n", "more than one Duration"),
                Arguments.of(
                        "application/dtmf",
                        "Signal=5",
                        "application/dtmf body 'Signal=5' is not a DTMF digit (0-9 * # A-D, or 10 to 15)"),
                Arguments.of(
                        "application/dtmf",
                        "12\r\n34",
                        "application/dtmf body '12\r\n34' is not a DTMF digit (0-9 * # A-D, or 10 to 15)"));
    }

    @ParameterizedTest
    @MethodSource("malformedBodies")
    void malformedBodiesSayWhatIsWrong(String contentType, String body, String message) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> DtmfInfoParser.parse(contentType, body));
        assertEquals(message, e.getMessage());
    }

    @Test
    void otherContentTypesAreUnsupportedMediaTypes() {
        for (String type : new String[] {"application/sdp", "text/plain", "application/dtmf-relayx", "application"}) {
            UnsupportedDtmfBodyException e =
                    assertThrows(UnsupportedDtmfBodyException.class, () -> DtmfInfoParser.parse(type, "Signal=5\r\n"));
            assertEquals(type, e.contentType());
            assertEquals(
                    "Content-Type '" + type
                            + "' is not a DTMF body; supported: application/dtmf-relay, application/dtmf",
                    e.getMessage());
        }
        UnsupportedDtmfBodyException missing =
                assertThrows(UnsupportedDtmfBodyException.class, () -> DtmfInfoParser.parse(null, "5"));
        assertEquals("(none)", missing.contentType());
    }

    @Test
    void anInfoWithoutABodyCarriesNoKey() {
        assertTrue(DtmfInfoParser.parse(RELAY, "").isEmpty());
        assertTrue(DtmfInfoParser.parse(RELAY, "\r\n").isEmpty());
        assertTrue(DtmfInfoParser.parse(null, null).isEmpty(), "a keepalive INFO has neither");
        assertTrue(DtmfInfoParser.parse("application/sdp", " ").isEmpty());
    }
}
