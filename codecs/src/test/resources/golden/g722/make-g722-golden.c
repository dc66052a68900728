/*
 * Writes the G.722 golden vectors with spandsp, an independent implementation of ITU-T G.722
 * (64 kbit/s, mode 1, 16 kHz 16-bit linear PCM in and out, one octet per pair of samples).
 * Built and run by make-g722-golden.sh; see there for the list of files.
 *
 * The input signals are made here from integer arithmetic and libm sin(), and committed, so the
 * Java tests need not reproduce them. Every stream starts from a fresh encoder or decoder.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <spandsp.h>

#define RATE 16000

static uint32_t lcg_state;

/* Numerical Recipes LCG: deterministic noise, the same on every host. */
static uint32_t lcg(void)
{
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return lcg_state;
}

static int16_t clamp16(double v)
{
    long r = lround(v);
    return (int16_t) (r > 32767 ? 32767 : r < -32768 ? -32768 : r);
}

static void write_pcm(const char *name, const int16_t *pcm, int n)
{
    FILE *f = fopen(name, "wb");
    if (f == NULL) { perror(name); exit(1); }
    for (int i = 0; i < n; i++) {
        fputc(pcm[i] & 0xFF, f);            /* little-endian, whatever the host */
        fputc((pcm[i] >> 8) & 0xFF, f);
    }
    fclose(f);
}

static void write_bytes(const char *name, const uint8_t *data, int n)
{
    FILE *f = fopen(name, "wb");
    if (f == NULL || fwrite(data, 1, n, f) != (size_t) n) { perror(name); exit(1); }
    fclose(f);
}

/* Encodes with a fresh 64 kbit/s encoder; returns the number of octets. */
static int encode(const int16_t *pcm, int n, uint8_t *out)
{
    g722_encode_state_t *s = g722_encode_init(NULL, 64000, 0);
    int bytes = g722_encode(s, out, pcm, n);
    g722_encode_free(s);
    return bytes;
}

/* Decodes with a fresh 64 kbit/s decoder; returns the number of samples. */
static int decode(const uint8_t *data, int n, int16_t *out)
{
    g722_decode_state_t *s = g722_decode_init(NULL, 64000, 0);
    int samples = g722_decode(s, out, data, n);
    g722_decode_free(s);
    return samples;
}

/* Writes NAME-16k.raw (if pcm is not NULL), NAME.g722 and NAME-decoded.raw. */
static void stream(const char *name, const int16_t *pcm, int n)
{
    char file[64];
    uint8_t *g722 = malloc(n / 2);
    int16_t *decoded = malloc(n * sizeof(int16_t));
    int bytes = encode(pcm, n, g722);
    int samples = decode(g722, bytes, decoded);
    if (bytes != n / 2 || samples != n) { fprintf(stderr, "%s: %d bytes, %d samples\n", name, bytes, samples); exit(1); }
    snprintf(file, sizeof file, "%s-16k.raw", name);
    write_pcm(file, pcm, n);
    snprintf(file, sizeof file, "%s.g722", name);
    write_bytes(file, g722, bytes);
    snprintf(file, sizeof file, "%s-decoded.raw", name);
    write_pcm(file, decoded, samples);
    free(g722);
    free(decoded);
}

int main(void)
{
    /* speech: 2 s of a speech-like mix: a 50 Hz -> 7.8 kHz linear chirp, three tones and white
       noise under a 3 Hz "syllable" envelope, peaking near 0.7 of full scale. */
    enum { SPEECH = 2 * RATE };
    static int16_t speech[SPEECH];
    lcg_state = 722;
    for (int n = 0; n < SPEECH; n++) {
        double t = (double) n / RATE;
        double chirp = 0.30 * sin(2 * M_PI * (50 * t + (7800.0 - 50) * t * t / (2 * 2.0)));
        double tones = 0.15 * sin(2 * M_PI * 440 * t) + 0.10 * sin(2 * M_PI * 1800 * t)
                     + 0.08 * sin(2 * M_PI * 5200 * t);
        double noise = 0.05 * ((int32_t) (lcg() >> 16) - 32768) / 32768.0;
        double envelope = 0.2 + 0.8 * fabs(sin(2 * M_PI * 3 * t));
        speech[n] = clamp16(32767 * envelope * (chirp + tones + noise));
    }
    stream("speech", speech, SPEECH);

    /* square: 0.25 s of a 500 Hz full-scale square wave, 16 samples at +32767 then 16 at -32768. */
    enum { SQUARE = RATE / 4 };
    static int16_t square[SQUARE];
    for (int n = 0; n < SQUARE; n++)
        square[n] = (n % 32 < 16) ? 32767 : -32768;
    stream("square", square, SQUARE);

    /* silence: 0.1 s of digital zero. */
    enum { SILENCE = RATE / 10 };
    static int16_t silence[SILENCE];
    stream("silence", silence, SILENCE);

    /* random: 0.25 s of random octets, decoded only: they reach the code words (low-band codes
       0..3) and extremes that no encoder output does. */
    enum { RANDOM = RATE / 8 };
    static uint8_t random_octets[RANDOM];
    static int16_t random_decoded[2 * RANDOM];
    lcg_state = 9;
    for (int i = 0; i < RANDOM; i++)
        random_octets[i] = (uint8_t) (lcg() >> 24);
    int samples = decode(random_octets, RANDOM, random_decoded);
    write_bytes("random.g722", random_octets, RANDOM);
    write_pcm("random-decoded.raw", random_decoded, samples);
    return 0;
}
