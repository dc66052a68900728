package dev.softswitch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrNetworkTest {

    @ParameterizedTest
    @CsvSource({
        "198.51.100.0/24, 198.51.100.0,   true",
        "198.51.100.0/24, 198.51.100.255, true",
        "198.51.100.0/24, 198.51.101.0,   false",
        "10.0.0.0/8,      10.255.1.2,     true",
        "0.0.0.0/0,       203.0.113.9,    true",
        "192.0.2.7,       192.0.2.7,      true",
        "192.0.2.7,       192.0.2.6,      false",
        "198.51.100.0/25, 198.51.100.128, false",
        "2001:db8::/32,   2001:db8:1::5,  true",
        "2001:db8::/32,   2001:db9::1,    false",
        "::/0,            ::1,            true",
        "::/0,            127.0.0.1,      false",
        "0.0.0.0/0,       ::1,            false",
    })
    void contains(String network, String address, boolean expected) throws Exception {
        assertThat(CidrNetwork.parse(network).contains(InetAddress.getByName(address)))
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "10.0.0.0/33     | prefix must be 0-32 for IPv4",
                "10.0.0.0/-1     | prefix must be 0-32 for IPv4",
                "10.0.0.0/       | prefix must be 0-32 for IPv4",
                "2001:db8::/129  | prefix must be 0-128 for IPv6",
                "10.0.0/8        | not an IP address",
                "10.0.0.256/32   | not an IP address",
                "example.com/24  | not an IP address",
                "2001:db8::g/32  | not an IPv6 address",
                "1:2:3/8         | not an IPv6 address",
                "fe80::1%eth0/64 | not an IPv6 address",
                "10.0.0.1/8      | host bits are set: the network is 10.0.0.0/8, or write 10.0.0.1 alone for the one address",
            })
    void rejects(String text, String reason) {
        assertThatThrownBy(() -> CidrNetwork.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"" + text + "\" is not a CIDR network (" + reason + ")");
    }

    @ParameterizedTest
    @CsvSource({
        "198.51.100.0/24, 198.51.100.0/24",
        "[2001:db8::]/32, 2001:db8:0:0:0:0:0:0/32",
        "192.0.2.1, 192.0.2.1/32"
    })
    void printsAsCidr(String text, String printed) {
        assertThat(CidrNetwork.parse(text)).hasToString(printed);
    }
}
