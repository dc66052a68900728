#!/bin/sh
# Regenerates the golden files with sox, an independent implementation of ITU-T G.711 and WAV.
# Run from anywhere: ./make-golden.sh   (needs sox 14.4 and python3)
#
#   ulaw-encoded.raw    all 65,536 int16 inputs -32768..32767 -> mu-law, one byte each (65,536 B)
#   alaw-encoded.raw    all 65,536 int16 inputs -32768..32767 -> A-law,  one byte each (65,536 B)
#   ulaw-decoded.raw    bytes 0x00..0xFF as mu-law -> int16 little-endian              (512 B)
#   alaw-decoded.raw    bytes 0x00..0xFF as A-law  -> int16 little-endian              (512 B)
#   sox-tone-1000hz.wav 0.1 s 1000 Hz sine at half scale, 8 kHz 16-bit mono
#   sox-stereo.wav      0.05 s, left 440 Hz, right 1000 Hz, 8 kHz 16-bit stereo
#   sox-3ch-16bit.wav   0.01 s, 3 channels 16-bit: sox writes it as WAVE_FORMAT_EXTENSIBLE
#   sox-ulaw.wav        0.01 s mu-law WAV (format tag 7), which Wav must reject
#
# -D turns dithering off: without it sox adds noise when it narrows 16-bit samples to 8-bit
# G.711, and the output would be neither exact nor reproducible. -V1 keeps sox quiet.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 -c '
import struct, sys
open(sys.argv[1] + "/linear16.raw", "wb").write(struct.pack("<65536h", *range(-32768, 32768)))
open(sys.argv[1] + "/bytes.raw", "wb").write(bytes(range(256)))
' "$tmp"

raw16="-t raw -e signed-integer -b 16 -L -r 8000 -c 1"
sox -V1 -D $raw16 "$tmp/linear16.raw" -t raw -e mu-law -b 8 ulaw-encoded.raw
sox -V1 -D $raw16 "$tmp/linear16.raw" -t raw -e a-law -b 8 alaw-encoded.raw
sox -V1 -D -t raw -e mu-law -b 8 -r 8000 -c 1 "$tmp/bytes.raw" $raw16 ulaw-decoded.raw
sox -V1 -D -t raw -e a-law -b 8 -r 8000 -c 1 "$tmp/bytes.raw" $raw16 alaw-decoded.raw

sox -V1 -D -n -r 8000 -b 16 -e signed-integer -c 1 sox-tone-1000hz.wav synth 0.1 sine 1000 vol 0.5
sox -V1 -D -n -r 8000 -b 16 -e signed-integer -c 2 sox-stereo.wav synth 0.05 sine 440 sine 1000 vol 0.5
sox -V1 -D -n -r 8000 -b 16 -e signed-integer -c 3 sox-3ch-16bit.wav \
  synth 0.01 sine 300 sine 600 sine 900 vol 0.5
sox -V1 -D -n -r 8000 -b 8 -e mu-law -c 1 sox-ulaw.wav synth 0.01 sine 1000 vol 0.5

# Checks: sizes; the same input encodes to the same bytes twice; and, since undithered
# G.711 is a step function of its input, decoding the encoded ramp never goes down.
sox -V1 -D $raw16 "$tmp/linear16.raw" -t raw -e mu-law -b 8 "$tmp/again.raw"
cmp ulaw-encoded.raw "$tmp/again.raw"
python3 -c '
import struct
for law in ("ulaw", "alaw"):
    enc = open(law + "-encoded.raw", "rb").read()
    raw = open(law + "-decoded.raw", "rb").read()
    assert len(enc) == 65536 and len(raw) == 512, law + ": wrong size"
    dec = struct.unpack("<256h", raw)
    out = [dec[b] for b in enc]
    bad = [i - 32768 for i in range(1, 65536) if out[i] < out[i - 1]]
    assert not bad, law + ": not monotonic (dithered?) at inputs " + str(bad[:5])
'
echo "golden files written to $(pwd)"
