package dev.softswitch.sip.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The number and host a Request-URI dials, as the toll-fraud caps read them. */
class DialledNumberTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            nullValues = "none",
            value = {
                "sip:+15551230000@sip.carrier.example         | +15551230000",
                "sip:+15551230000@127.0.0.1:5080;transport=tcp | +15551230000",
                "SIPS:+442071234567@carrier.example            | +442071234567",
                "sip:%2B44%20207-123.4567@carrier.example      | +442071234567",
                "sip:+1(555)123-0000;phone-context=x@h         | +15551230000",
                "sip:5551234;isub=12@h;user=phone              | 5551234",
                "sip:*67+15551230000@h                         | none",
                "sip:*6715551230000@h                          | *6715551230000",
                "sip:+1555:password@h                          | +1555",
                "<sip:+1555@h>                                 | +1555",
                "sip:alice@192.0.2.10                          | none",
                "sip:192.0.2.10                                | none",
                "sip:%2@h                                      | none",
                "sip:%G1@h                                     | none",
                "sip:+1%E2%80%8B555@h                          | none",
                "tel:+15551230000                              | none"
            })
    void theNumberIsTheUserPartNormalised(String uri, @Nullable String number) {
        assertThat(DialledNumber.of(uri)).isEqualTo(number);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            nullValues = "none",
            value = {
                "sip:+15551230000@SIP.Carrier.Example          | sip.carrier.example",
                "sip:+1555@127.0.0.1:5080;transport=tcp        | 127.0.0.1",
                "sip:+1555@[2001:db8::1]:5060                  | 2001:db8::1",
                "sip:carrier.example;lr                        | carrier.example",
                "sip:+1555@h?subject=x                         | h",
                "sip:+1555@[2001:db8::1                        | none",
                "sip:+1555@                                    | none",
                "mailto:a@b                                    | none"
            })
    void theHostIsLowerCaseWithoutPortOrBrackets(String uri, @Nullable String host) {
        assertThat(DialledNumber.host(uri)).isEqualTo(host);
    }
}
