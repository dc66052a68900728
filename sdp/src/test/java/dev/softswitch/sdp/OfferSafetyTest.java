package dev.softswitch.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OfferSafetyTest {

    private static SessionDescription offer(String address, int port, String extra) {
        return SdpParser.parse(
                "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN " + (address.contains(":") ? "IP6 " : "IP4 ") + address
                        + "\r\nt=0 0\r\nm=audio " + port + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n" + extra);
    }

    @ParameterizedTest(name = "{0} port {1} {2} from loopback {3}: {4}")
    @CsvSource(delimiter = '|', nullValues = "ok", textBlock = """
            # c= address   | port  | attribute       | from loopback | refusal
            203.0.113.10    | 4000  | ''              | false         | ok
            0.0.0.0         | 4000  | ''              | false         | ok
            127.0.0.1       | 4000  | ''              | true          | ok
            media.example   | 4000  | ''              | false         | ok
            203.0.113.10    | 0     | ''              | false         | ok
            203.0.113.10    | 4000  | a=ptime:30      | false         | ok
            203.0.113.10    | 4000  | a=ptime:120     | false         | ok
            127.0.0.1       | 4000  | ''              | false         | loopback connection address 127.0.0.1 from a caller on another host
            ::1             | 4000  | ''              | false         | loopback connection address ::1 from a caller on another host
            224.0.0.251     | 4000  | ''              | false         | multicast connection address 224.0.0.251: a call's media is unicast
            ff02::1         | 4000  | ''              | false         | multicast connection address ff02::1: a call's media is unicast
            255.255.255.255 | 4000  | ''              | false         | broadcast connection address 255.255.255.255
            203.0.113.10    | 53    | ''              | false         | audio port 53 is below 1024: a well-known service, not RTP
            203.0.113.10    | 4000  | a=ptime:1000    | false         | ptime 1000 ms is outside 10-120 ms
            203.0.113.10    | 4000  | a=ptime:5       | false         | ptime 5 ms is outside 10-120 ms
            """)
    void refusesMediaWeMustNotOrCannotSend(
            String address, int port, String attribute, boolean fromLoopback, String refusal) {
        String extra = attribute.isEmpty() ? "" : attribute + "\r\n";
        assertEquals(
                refusal,
                OfferSafety.check(offer(address, port, extra), fromLoopback).orElse(null));
    }
}
