package dev.softswitch.codecs;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Finds the codecs this module implements, by {@link CodecInfo} or by SDP name and clock rate. */
public final class Codecs {

    private static final List<CodecInfo> KNOWN = List.of(CodecInfo.PCMU, CodecInfo.PCMA, CodecInfo.G722);

    private Codecs() {}

    /**
     * An encoder for {@code codec}: a new {@link G722Encoder} for G.722, which keeps state, so one per
     * stream; the shared stateless one for G.711.
     *
     * @throws IllegalArgumentException if this module has no encoder for it
     */
    public static AudioEncoder encoder(CodecInfo codec) {
        return isG722(codec) ? new G722Encoder() : g711(codec);
    }

    /**
     * A decoder for {@code codec}: a new {@link G722Decoder} for G.722, which keeps state, so one per
     * stream; the shared stateless one for G.711.
     *
     * @throws IllegalArgumentException if this module has no decoder for it
     */
    public static AudioDecoder decoder(CodecInfo codec) {
        return isG722(codec) ? new G722Decoder() : g711(codec);
    }

    /**
     * The codec SDP calls {@code encodingName/clockRate} ({@code a=rtpmap}), matched without regard
     * to case; empty if this module does not implement it.
     */
    public static Optional<CodecInfo> byName(String encodingName, int clockRate) {
        for (CodecInfo codec : KNOWN) {
            if (codec.encodingName().equalsIgnoreCase(encodingName) && codec.rtpClockRate() == clockRate) {
                return Optional.of(codec);
            }
        }
        return Optional.empty();
    }

    /** G.722 as RFC 3551 4.5.2 has it, whatever the payload type SDP bound it to. */
    private static boolean isG722(CodecInfo codec) {
        return codec.encodingName().equalsIgnoreCase("G722")
                && codec.rtpClockRate() == 8000
                && codec.sampleRate() == 16000
                && codec.channels() == 1;
    }

    private static G711Coder g711(CodecInfo codec) {
        if (codec.rtpClockRate() == 8000 && codec.sampleRate() == 8000 && codec.channels() == 1) {
            String name = codec.encodingName().toUpperCase(Locale.ROOT);
            if (name.equals("PCMU")) {
                return G711Coder.ULAW;
            }
            if (name.equals("PCMA")) {
                return G711Coder.ALAW;
            }
        }
        throw new IllegalArgumentException("no codec for " + codec + ": this module implements " + KNOWN);
    }

    /** The stateless G.711 encoders and decoders; they name themselves in a media path's log. */
    private enum G711Coder implements AudioEncoder, AudioDecoder {
        ULAW("PCMU (G.711 mu-law)") {
            @Override
            public int encode(short[] pcm, int offset, int samples, byte[] out, int outOffset) {
                G711.encodeUlaw(pcm, offset, out, outOffset, samples);
                return samples;
            }

            @Override
            public int decode(byte[] payload, int offset, int length, short[] out, int outOffset) {
                G711.decodeUlaw(payload, offset, out, outOffset, length);
                return length;
            }
        },
        ALAW("PCMA (G.711 A-law)") {
            @Override
            public int encode(short[] pcm, int offset, int samples, byte[] out, int outOffset) {
                G711.encodeAlaw(pcm, offset, out, outOffset, samples);
                return samples;
            }

            @Override
            public int decode(byte[] payload, int offset, int length, short[] out, int outOffset) {
                G711.decodeAlaw(payload, offset, out, outOffset, length);
                return length;
            }
        };

        private final String description;

        G711Coder(String description) {
            this.description = description;
        }

        @Override
        public String toString() {
            return description;
        }
    }
}
