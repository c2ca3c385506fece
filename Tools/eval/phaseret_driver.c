/* Runs one of phaseret's offline reconstructions (ltfat/phaseret's C library) on one magnitude
 * spectrogram, for Tools/eval/phaseret.py. Usage:
 *     phaseret_driver MAGNITUDES.f32 PHASES.c64 FRAMES DOUBLE METHOD LOOKAHEAD ITERATIONS
 * MAGNITUDES: FRAMES x 257 float32 (the project STFT's, N = 512, H = 128); PHASES: the
 * coefficients phaseret returns, FRAMES x 257 complex64, phase relative to each frame's centre.
 * DOUBLE 1 runs the double-precision library, 0 the single-precision one. METHOD:
 * - rtisila: RTISI-LA with LOOKAHEAD frames of look-ahead and ITERATIONS iterations; the
 *   analysis window is the project's periodic Hann in LTFAT's zero-centred layout;
 * - rtpghi: RTPGHI, causal (LOOKAHEAD 0) or with one frame of look-ahead (LOOKAHEAD 1, the
 *   centred time derivative), relative tolerance 1e-6 as rephase's;
 * - pghi: offline PGHI (heap integration over the whole spectrogram; phaseret's tolerances);
 * - spsi: SPSI, from zero initial phases.
 * Both PGHI variants take the Hann window's gamma, 0.25645 N^2 (phaseret_firwin2gamma). */
#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ltfat_int is int in the library's default build (no LTFAT_LARGEARRAYS). */
int phaseret_rtisilaoffline_s(const float s[], const float g[], int L, int gl, int W, int a, int M, int lookahead,
                              int maxit, float complex c[]);
int phaseret_rtisilaoffline_d(const double s[], const double g[], int L, int gl, int W, int a, int M, int lookahead,
                              int maxit, double complex c[]);
int phaseret_rtpghioffline_s(const float s[], int L, int W, int a, int M, double gamma, double tol, int do_causal,
                             float complex c[]);
int phaseret_rtpghioffline_d(const double s[], int L, int W, int a, int M, double gamma, double tol, int do_causal,
                             double complex c[]);
int phaseret_pghi_s(const float s[], int L, int W, int a, int M, double gamma, float complex c[]);
int phaseret_pghi_d(const double s[], int L, int W, int a, int M, double gamma, double complex c[]);
int phaseret_spsi_s(const float s[], int L, int W, int a, int M, float initphase[], float complex c[]);
int phaseret_spsi_d(const double s[], int L, int W, int a, int M, double initphase[], double complex c[]);

enum { N = 512, K = N / 2 + 1, H = 128 };

static const double hannGamma = 0.25645 * N * N;
static const char *const methods[] = {"rtisila", "rtpghi", "pghi", "spsi"};

/* The project's periodic Hann window at n, in LTFAT's zero-centred layout (RTISI-LA's window). */
static double centred_hann(int n) { return 0.5 - 0.5 * cos(2 * M_PI * ((n + N / 2) % N) / N); }

/* One method in single precision (main has checked the name). */
static int run_single(const char *method, const float *s, int frames, int lookahead, int iterations, float complex *c) {
    if (strcmp(method, "rtisila") == 0) {
        float g[N];
        for (int n = 0; n < N; n++) g[n] = (float)centred_hann(n);
        return phaseret_rtisilaoffline_s(s, g, frames * H, N, 1, H, N, lookahead, iterations, c);
    }
    if (strcmp(method, "rtpghi") == 0) return phaseret_rtpghioffline_s(s, frames * H, 1, H, N, hannGamma, 1e-6, lookahead == 0, c);
    if (strcmp(method, "pghi") == 0) return phaseret_pghi_s(s, frames * H, 1, H, N, hannGamma, c);
    if (strcmp(method, "spsi") == 0) return phaseret_spsi_s(s, frames * H, 1, H, N, NULL, c);
    return -1;
}

/* The same in double precision. */
static int run_double(const char *method, const double *s, int frames, int lookahead, int iterations, double complex *c) {
    if (strcmp(method, "rtisila") == 0) {
        double g[N];
        for (int n = 0; n < N; n++) g[n] = centred_hann(n);
        return phaseret_rtisilaoffline_d(s, g, frames * H, N, 1, H, N, lookahead, iterations, c);
    }
    if (strcmp(method, "rtpghi") == 0) return phaseret_rtpghioffline_d(s, frames * H, 1, H, N, hannGamma, 1e-6, lookahead == 0, c);
    if (strcmp(method, "pghi") == 0) return phaseret_pghi_d(s, frames * H, 1, H, N, hannGamma, c);
    if (strcmp(method, "spsi") == 0) return phaseret_spsi_d(s, frames * H, 1, H, N, NULL, c);
    return -1;
}

int main(int argc, char **argv) {
    if (argc != 8) {
        fprintf(stderr, "usage: phaseret_driver MAGNITUDES.f32 PHASES.c64 FRAMES DOUBLE METHOD LOOKAHEAD ITERATIONS\n");
        return 2;
    }
    int frames = atoi(argv[3]), wide = atoi(argv[4]), lookahead = atoi(argv[6]), iterations = atoi(argv[7]);
    const char *method = argv[5];
    int known = 0;
    for (size_t i = 0; i < sizeof methods / sizeof *methods; i++) known |= strcmp(method, methods[i]) == 0;
    if (!known) {
        fprintf(stderr, "phaseret_driver: unknown method %s (rtisila, rtpghi, pghi or spsi)\n", method);
        return 2;
    }
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
        double *sd = malloc(sizeof *sd * count);
        double complex *cd = malloc(sizeof *cd * count);
        for (size_t i = 0; i < count; i++) sd[i] = s[i];
        status = run_double(method, sd, frames, lookahead, iterations, cd);
        for (size_t i = 0; i < count; i++) c[i] = (float complex)cd[i];
    } else {
        status = run_single(method, s, frames, lookahead, iterations, c);
    }
    FILE *out = fopen(argv[2], "wb");
    if (status != 0 || !out || fwrite(c, sizeof *c, count, out) != count) {
        fprintf(stderr, "phaseret_driver: %s: status %d, cannot write %s\n", method, status, argv[2]);
        return 1;
    }
    fclose(out);
    return 0;
}
