package dev.softswitch.codecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DtmfTonesTest {

    private static final String KEYS = "0123456789*#ABCD";

    @ParameterizedTest
    @ValueSource(ints = {8000, 16000})
    void eachKeyIsItsTwoTonesAtMinus10dBFS(int rate) {
        for (char key : KEYS.toCharArray()) {
            short[] tones = DtmfTones.key(key, rate, rate / 10);
            assertEquals(rate / 10, tones.length);
            double expected = DtmfTones.TONE_AMPLITUDE * DtmfTones.TONE_AMPLITUDE / 2; // mean square of the sine
            double low = Goertzel.power(tones, 0, tones.length, DtmfKeypad.lowHz(key), rate);
            double high = Goertzel.power(tones, 0, tones.length, DtmfKeypad.highHz(key), rate);
            assertEquals(expected, low, expected * 0.05, key + " low group");
            assertEquals(expected, high, expected * 0.05, key + " high group");
            double share = Goertzel.relativePower(tones, 0, tones.length, DtmfKeypad.lowHz(key), rate)
                    + Goertzel.relativePower(tones, 0, tones.length, DtmfKeypad.highHz(key), rate);
            assertTrue(share > 0.95, key + ": the two tones are nearly all of it, " + share);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 16000})
    void aDetectorHearsEveryKeyOf100msWithA50msPause(int rate) {
        StringBuilder heard = new StringBuilder();
        DtmfDetector detector = new DtmfDetector(rate);
        for (char key : KEYS.toCharArray()) {
            heard.append(detector.process(DtmfTones.key(key, rate, rate / 10)));
            heard.append(detector.process(new short[rate / 20]));
        }
        assertEquals(KEYS, heard.toString());
    }

    @Test
    void theKeysSurviveMuLaw() {
        short[] tones = DtmfTones.key('#', 8000, 800);
        byte[] ulaw = new byte[tones.length];
        G711.encodeUlaw(tones, 0, ulaw, 0, tones.length);
        short[] decoded = new short[tones.length];
        G711.decodeUlaw(ulaw, 0, decoded, 0, tones.length);
        DtmfDetector detector = new DtmfDetector(8000);
        assertEquals("#", detector.process(decoded) + detector.process(new short[400]));
    }

    @Test
    void onlyKeypadKeysHaveTones() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DtmfTones.key('E', 8000, 800));
        assertEquals("'E' is not a DTMF key (0-9 * # A-D)", e.getMessage());
    }
}
