package dev.softswitch.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way {@link SdpParser} refuses a description, with the line it names. */
class SdpParseErrorTest {

    private static final String HEAD = "v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\n";
    private static final String SESSION = HEAD + "c=IN IP4 192.0.2.1\nt=0 0\n";

    static Stream<Arguments> refused() {
        return Stream.of(
                row("", 1, "line 1: expected v= but the description ended"),
                row("\n\n", 1, "line 1: expected v= but the description ended"),
                row("v=0\n", 2, "line 2: expected o= but the description ended"),
                row("v=0\no=- 1 1 IN IP4 192.0.2.1\n", 3, "line 3: expected s= but the description ended"),
                row("o=- 1 1 IN IP4 192.0.2.1\nv=0\ns=-\n", 1, "line 1 (o=): expected v= as line 1"),
                row("v=0\ns=-\no=- 1 1 IN IP4 192.0.2.1\n", 2, "line 2 (s=): expected o= as line 2"),
                row(
                        "v=0\no=- 1 1 IN IP4 192.0.2.1\nc=IN IP4 192.0.2.1\ns=-\n",
                        3,
                        "line 3 (c=): expected s= as line 3"),
                row("v=1\no=- 1 1 IN IP4 192.0.2.1\ns=-\n", 1, "line 1 (v=): version \"1\" is not 0"),
                row(
                        "v=0\no=- 1 IN IP4 192.0.2.1\ns=-\n",
                        2,
                        "line 2 (o=): expected <username> <sess-id> <sess-version> <nettype> <addrtype> <address>,"
                                + " found 5 fields"),
                row(SESSION + "x\n", 6, "line 6: \"x\" is not a <type>=<value> line"),
                row(SESSION + "a:rtcp-mux\n", 6, "line 6: \"a:rtcp-mux\" is not a <type>=<value> line"),
                row(SESSION + "A=sendrecv\n", 6, "line 6: \"A=sendrecv\" is not a <type>=<value> line"),
                row(SESSION + " a=sendrecv\n", 6, "line 6: \" a=sendrecv\" is not a <type>=<value> line"),
                row(SESSION + "ab=1\n", 6, "line 6: \"ab=1\" is not a <type>=<value> line"),
                row(HEAD + "\nt=0 0\n", 4, "line 4: \"\" is not a <type>=<value> line"),
                row(
                        SESSION + "\u00e9".repeat(40) + "\n",
                        6,
                        "line 6: \"" + "?".repeat(32) + "...\" is not a <type>=<value> line"),
                row(SESSION + "a=tool:x\u0000y\n", 6, "line 6 (a=): NUL or carriage return inside the line"),
                row(SESSION + "a=tool:x\ry\n", 6, "line 6 (a=): NUL or carriage return inside the line"),
                row(SESSION + "a=\n", 6, "line 6 (a=): attribute without a name"),
                row(SESSION + "a=:value\n", 6, "line 6 (a=): attribute without a name"),
                row(
                        HEAD + "c=IN IP4\nt=0 0\n",
                        4,
                        "line 4 (c=): expected <nettype> <addrtype> <address>, found 2 fields"),
                row(SESSION + "c=IN IP4 192.0.2.2\n", 6, "line 6 (c=): a second session-level c= line"),
                row(SESSION + "s=again\n", 6, "line 6 (s=): only one s= line is allowed"),
                row(SESSION + "v=0\n", 6, "line 6 (v=): only one v= line is allowed"),
                row(SESSION + "m=audio abc RTP/AVP 0\n", 6, "line 6 (m=): port \"abc\" is not a number"),
                row(SESSION + "m=audio -1 RTP/AVP 0\n", 6, "line 6 (m=): port \"-1\" is not a number"),
                row(SESSION + "m=audio +5 RTP/AVP 0\n", 6, "line 6 (m=): port \"+5\" is not a number"),
                row(SESSION + "m=audio 65536 RTP/AVP 0\n", 6, "line 6 (m=): port 65536 is out of range 0..65535"),
                row(
                        SESSION + "m=audio 99999999999999999999 RTP/AVP 0\n",
                        6,
                        "line 6 (m=): port \"99999999999999999999\" is out of range 0..65535"),
                row(SESSION + "m=audio 4000/x RTP/AVP 0\n", 6, "line 6 (m=): port count \"x\" is not a number"),
                row(SESSION + "m=audio 4000/0 RTP/AVP 0\n", 6, "line 6 (m=): port count 0 is out of range 1..65535"),
                row(
                        SESSION + "m=audio 4000/2/3 RTP/AVP 0\n",
                        6,
                        "line 6 (m=): port \"4000/2/3\" is not <port>[/<count>]"),
                row(
                        SESSION + "m=audio 4000\n",
                        6,
                        "line 6 (m=): expected <media> <port>[/<count>] <proto> <format>..."),
                row(
                        HEAD + "t=0 0\nm=audio 4000 RTP/AVP 0\na=sendrecv\n",
                        5,
                        "line 5 (m=): no connection address (c=) at session or media level"),
                row(
                        HEAD + "t=0 0\nm=audio 4000 RTP/AVP 0\nc=IN IP4 192.0.2.1\nm=video 4002 RTP/AVP 96\n",
                        7,
                        "line 7 (m=): no connection address (c=) at session or media level"),
                row(
                        SESSION + "m=audio 4000 RTP/AVP 0\nc=IN IP4 192.0.2.2\nc=IN IP4 192.0.2.3\n",
                        8,
                        "line 8 (c=): a second c= line in one media description"),
                row(SESSION + "m=audio 4000 RTP/AVP 0\nt=0 0\n", 7, "line 7 (t=): t= is not allowed after an m= line"),
                row(
                        SESSION + "m=audio 4000 RTP/AVP 0\no=- 2 2 IN IP4 192.0.2.1\n",
                        7,
                        "line 7 (o=): o= is not allowed after an m= line"),
                row(
                        SESSION + "m=audio 4000 RTP/AVP 0\n".repeat(65),
                        70,
                        "line 70 (m=): more than 64 media descriptions"));
    }

    private static Arguments row(String text, int line, String message) {
        return Arguments.of(text, line, message);
    }

    @ParameterizedTest
    @MethodSource
    void refused(String text, int line, String message) {
        SdpParseException lf = assertThrows(SdpParseException.class, () -> SdpParser.parse(text));
        SdpParseException crlf = assertThrows(SdpParseException.class, () -> SdpParser.parse(Fixtures.crlf(text)));

        assertEquals(message, lf.getMessage());
        assertEquals(line, lf.lineNumber());
        assertEquals(message, crlf.getMessage(), "the same with CRLF line ends");
    }

    @Test
    void refusesTextOver64KiBWithoutReadingIt() {
        String text = SESSION + "a=x:" + "y".repeat(SdpParser.MAX_LENGTH);

        SdpParseException e = assertThrows(SdpParseException.class, () -> SdpParser.parse(text));

        assertEquals(0, e.lineNumber());
        assertEquals(
                "session description of " + text.length() + " characters is over the limit of 65536", e.getMessage());
    }

    @Test
    void acceptsTextOfExactly64KiB() {
        String start = SESSION + "a=x:";
        String text = start + "y".repeat(SdpParser.MAX_LENGTH - start.length() - 1) + "\n";

        assertEquals(SdpParser.MAX_LENGTH, text.length());
        assertEquals(1, SdpParser.parse(text).attributes().size());
    }
}
