#!/bin/sh
# Regenerates the G.722 golden files with spandsp, an independent implementation of ITU-T G.722,
# and checks them against a second one, ffmpeg's (libavcodec). Run from anywhere:
#   ./make-g722-golden.sh
# Needs a C compiler, spandsp and ffmpeg; on Debian 12:
#   apt-get install -y libspandsp-dev ffmpeg     (spandsp 0.0.6+dfsg-2+b1, ffmpeg 7:5.1.9-0+deb12u1)
#
# All PCM is 16 kHz 16-bit signed little-endian mono; every .g722 is 64 kbit/s, one octet per
# two samples, made from the matching -16k.raw by a fresh spandsp encoder
# (g722_encode_init(NULL, 64000, 0)); every -decoded.raw is that .g722 through a fresh spandsp
# decoder (g722_decode_init(NULL, 64000, 0)). make-g722-golden.c makes the inputs.
#
#   speech-16k.raw     2 s: 50 Hz -> 7.8 kHz chirp + 440/1800/5200 Hz tones + noise, 3 Hz envelope
#   square-16k.raw     0.25 s: 500 Hz square wave at full scale (+32767 / -32768)
#   silence-16k.raw    0.1 s of zeros
#   random.g722        2000 octets from an LCG (no -16k.raw: decoded only)
#   square-decoded-ffmpeg.raw, random-decoded-ffmpeg.raw
#                      the same .g722 through ffmpeg's decoder, which clips its output where
#                      spandsp 0.0.6 lets it wrap around; for speech and silence the two agree
#                      exactly, which this script checks, so only these two are kept.
#
# Checks: ffmpeg's encoder gives the same octets as spandsp's for every input; ffmpeg's decoder
# gives the same samples for speech and silence.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cc -std=c11 -D_DEFAULT_SOURCE -O2 -Wall -Wextra -Werror -o "$tmp/make-g722-golden" make-g722-golden.c -lspandsp -lm
"$tmp/make-g722-golden"

ff="ffmpeg -v error -nostdin -y"
for s in speech square silence; do
  $ff -f s16le -ar 16000 -ac 1 -i "$s-16k.raw" -c:a g722 -f g722 "$tmp/$s.g722"
  cmp "$s.g722" "$tmp/$s.g722"
done
for s in speech silence; do
  $ff -f g722 -i "$s.g722" -f s16le -c:a pcm_s16le "$tmp/$s-decoded.raw"
  cmp "$s-decoded.raw" "$tmp/$s-decoded.raw"
done
for s in square random; do
  $ff -f g722 -i "$s.g722" -f s16le -c:a pcm_s16le "$s-decoded-ffmpeg.raw"
done
echo "G.722 golden files written to $(pwd)"
