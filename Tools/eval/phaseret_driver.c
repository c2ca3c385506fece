/* Runs phaseret's offline RTISI-LA (ltfat/phaseret's C library) on one magnitude spectrogram,
 * for Tools/eval/phaseret.py. Usage:
 *     phaseret_driver MAGNITUDES.f32 PHASES.c64 FRAMES LOOKAHEAD ITERATIONS DOUBLE
 * MAGNITUDES: FRAMES x 257 float32 (the project STFT's, N = 512, H = 128); PHASES: the
 * coefficients phaseret returns, FRAMES x 257 complex64, phase relative to each frame's centre.
 * DOUBLE 1 runs the double-precision library, 0 the single-precision one. The analysis window
 * is the project's periodic Hann in LTFAT's zero-centred layout. */
#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ltfat_int is int in the library's default build (no LTFAT_LARGEARRAYS). */
int phaseret_rtisilaoffline_s(const float s[], const float g[], int L, int gl, int W, int a, int M, int lookahead,
                              int maxit, float complex c[]);
int phaseret_rtisilaoffline_d(const double s[], const double g[], int L, int gl, int W, int a, int M, int lookahead,
                              int maxit, double complex c[]);

enum { N = 512, K = N / 2 + 1, H = 128 };

int main(int argc, char **argv) {
    if (argc != 7) {
        fprintf(stderr, "usage: phaseret_driver MAGNITUDES.f32 PHASES.c64 FRAMES LOOKAHEAD ITERATIONS DOUBLE\n");
        return 2;
    }
    int frames = atoi(argv[3]), lookahead = atoi(argv[4]), iterations = atoi(argv[5]), wide = atoi(argv[6]);
    size_t count = (size_t)frames * K;
    float *s = malloc(sizeof *s * count);
    float complex *c = malloc(sizeof *c * count);
    FILE *in = fopen(argv[1], "rb");
    if (!s || !c || !in || fread(s, sizeof *s, count, in) != count) {
        fprintf(stderr, "phaseret_driver: cannot read %zu magnitudes from %s\n", count, argv[1]);
        return 1;
    }
    fclose(in);
    int status;
    if (wide) {
        double g[N], *sd = malloc(sizeof *sd * count);
        double complex *cd = malloc(sizeof *cd * count);
        for (int n = 0; n < N; n++) g[n] = 0.5 - 0.5 * cos(2 * M_PI * ((n + N / 2) % N) / N);
        for (size_t i = 0; i < count; i++) sd[i] = s[i];
        status = phaseret_rtisilaoffline_d(sd, g, frames * H, N, 1, H, N, lookahead, iterations, cd);
        for (size_t i = 0; i < count; i++) c[i] = (float complex)cd[i];
    } else {
        float g[N];
        for (int n = 0; n < N; n++) g[n] = (float)(0.5 - 0.5 * cos(2 * M_PI * ((n + N / 2) % N) / N));
        status = phaseret_rtisilaoffline_s(s, g, frames * H, N, 1, H, N, lookahead, iterations, c);
    }
    FILE *out = fopen(argv[2], "wb");
    if (status != 0 || !out || fwrite(c, sizeof *c, count, out) != count) {
        fprintf(stderr, "phaseret_driver: status %d, cannot write %s\n", status, argv[2]);
        return 1;
    }
    fclose(out);
    return 0;
}
