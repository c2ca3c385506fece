/* rephase-stream: the Rephase core on an ARM Linux board, stdin to stdout, one frame at a time.
 *
 *   rephase-stream [--method cnn|cnn-strided|pghi|mcnn|spsi] [--format f32|q15] [--input KIND] [--output s16|f32]
 *
 * Input kinds (stdin):
 *   npy        a float32 .npy of shape (frames, 257) as `rephase analyze` writes (default)
 *   pcm        raw 16 kHz mono s16le audio: analysed on the board, then inverted
 *   f32        raw float32 magnitude frames, 257 per frame
 *   mantissas  per frame an int32 exponent and 257 uint32 mantissas (Q15 formats only: the
 *              fixed-point interface, no float on the way in)
 * Output (stdout): 128 samples per frame, s16le (default; float output is rounded and
 * saturated, Q15 output is exact) or raw float32. No latency is trimmed: the first
 * rephase_latency() samples are the inverter's warm-up. Errors: one line on stderr, exit 1. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rephase.h"

static void fail(const char *message) {
    fprintf(stderr, "rephase-stream: error: %s\n", message);
    exit(1);
}

static int16_t to_s16(float x) {
    float scaled = x * 32768.0f;
    if (scaled >= 32767.0f) return 32767;
    if (scaled <= -32768.0f) return -32768;
    return (int16_t)(scaled < 0 ? scaled - 0.5f : scaled + 0.5f);
}

/* Reads and checks a .npy header: little-endian float32, C order, shape (frames, 257). */
static void read_npy_header(void) {
    unsigned char magic[10];
    if (fread(magic, 1, 10, stdin) != 10 || memcmp(magic, "\x93NUMPY", 6) != 0) fail("stdin is not a .npy file");
    size_t length = magic[8] | (magic[9] << 8);
    if (magic[6] != 1) {  /* versions 2 and 3: a 4-byte header length */
        unsigned char more[2];
        if (fread(more, 1, 2, stdin) != 2) fail("truncated .npy header");
        length |= ((size_t)more[0] << 16) | ((size_t)more[1] << 24);
    }
    if (length > 4096) fail(".npy header too long");
    char header[4097];
    if (fread(header, 1, length, stdin) != length) fail("truncated .npy header");
    header[length] = 0;
    if (!strstr(header, "'<f4'")) fail(".npy must hold little-endian float32 ('<f4')");
    if (!strstr(header, "'fortran_order': False")) fail(".npy must be in C order");
    if (!strstr(header, ", 257)")) fail(".npy must have 257 bins per frame (shape (frames, 257))");
}

int main(int argc, char **argv) {
    const char *method = "cnn", *format = "f32", *input = "npy", *output = "s16";
    for (int i = 1; i < argc; i++) {
        const char **target = !strcmp(argv[i], "--method") ? &method : !strcmp(argv[i], "--format") ? &format
            : !strcmp(argv[i], "--input") ? &input : !strcmp(argv[i], "--output") ? &output : NULL;
        if (!target || i + 1 >= argc) fail("usage: rephase-stream [--method cnn|cnn-strided|pghi|mcnn|spsi] [--format f32|q15] [--input npy|pcm|f32|mantissas] [--output s16|f32]");
        *target = argv[++i];
    }
    int m = !strcmp(method, "cnn") ? REPHASE_CNN : !strcmp(method, "cnn-strided") ? REPHASE_CNN_STRIDED
        : !strcmp(method, "pghi") ? REPHASE_PGHI : !strcmp(method, "mcnn") ? REPHASE_MCNN
        : !strcmp(method, "spsi") ? REPHASE_SPSI : -1;
    int f = !strcmp(format, "f32") ? REPHASE_F32 : !strcmp(format, "q15") ? REPHASE_Q15 : -1;
    if (m < 0) fail("unknown --method (cnn, cnn-strided, pghi, mcnn, spsi)");
    if (f < 0) fail("unknown --format (f32, q15)");
    if (strcmp(output, "s16") && strcmp(output, "f32")) fail("unknown --output (s16, f32)");
    if (rephase_init(m, f) != 0) fail("this build does not include that method and format");
    int fixed = !strcmp(input, "mantissas");
    if (fixed && f != REPHASE_Q15) fail("--input mantissas needs --format q15");
    if (!strcmp(input, "npy")) read_npy_header();
    else if (strcmp(input, "pcm") && strcmp(input, "f32") && !fixed) fail("unknown --input (npy, pcm, f32, mantissas)");

    float magnitudes[REPHASE_BINS], samples[REPHASE_HOP];
    int16_t pcm[REPHASE_HOP];
    for (;;) {
        int status;
        if (fixed) {
            int32_t exponent;
            uint32_t mantissas[REPHASE_BINS];
            if (fread(&exponent, 4, 1, stdin) != 1) break;
            if (fread(mantissas, 4, REPHASE_BINS, stdin) != REPHASE_BINS) fail("truncated mantissa frame");
            status = rephase_process_q15(mantissas, exponent, pcm);
            for (int i = 0; i < REPHASE_HOP; i++) samples[i] = pcm[i] / 32768.0f;
        } else {
            if (!strcmp(input, "pcm")) {
                size_t got = fread(pcm, 2, REPHASE_HOP, stdin);
                if (got == 0) break;
                for (size_t i = 0; i < REPHASE_HOP; i++) samples[i] = i < got ? pcm[i] / 32768.0f : 0.0f;
                rephase_analyze(samples, magnitudes);
            } else {
                size_t got = fread(magnitudes, 4, REPHASE_BINS, stdin);
                if (got == 0) break;
                if (got != REPHASE_BINS) fail("truncated magnitude frame");
            }
            status = rephase_process(magnitudes, samples);
        }
        if (status != 0) fail("the inverter rejected the frame");
        if (!strcmp(output, "f32")) {
            if (fwrite(samples, 4, REPHASE_HOP, stdout) != REPHASE_HOP) fail("cannot write stdout");
        } else {
            for (int i = 0; i < REPHASE_HOP; i++) pcm[i] = to_s16(samples[i]);
            if (fwrite(pcm, 2, REPHASE_HOP, stdout) != REPHASE_HOP) fail("cannot write stdout");
        }
    }
    return 0;
}
