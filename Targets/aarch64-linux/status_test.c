/* The C interface's failure contract (rephase.h): every call that cannot do its work returns
 * the status that says why, writes nothing and keeps its state. Prints one line per failed
 * expectation and "N passed, M failed"; exits non-zero on any failure. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rephase.h"

static int passed, failed;

static void expect(const char *what, int32_t got, int32_t want) {
    if (got == want) {
        passed++;
    } else {
        failed++;
        printf("status_test: %s: got %d, expected %d\n", what, (int)got, (int)want);
    }
}

int main(void) {
    static float magnitudes[REPHASE_BINS], samples[REPHASE_HOP], first[REPHASE_HOP];
    static uint32_t mantissas[REPHASE_BINS];
    static int16_t q15[REPHASE_HOP];
    for (int k = 0; k < REPHASE_BINS; k++) magnitudes[k] = 1.0f / (1 + k);

    expect("process before init", rephase_process(magnitudes, samples), REPHASE_NOT_INITIALISED);
    expect("reset before init", rephase_reset(), REPHASE_NOT_INITIALISED);
    expect("latency before init", rephase_latency(), REPHASE_NOT_INITIALISED);
    expect("unknown method", rephase_init(7, REPHASE_F32), REPHASE_UNKNOWN_CONFIGURATION);
    expect("unknown format", rephase_init(REPHASE_CNN, 5), REPHASE_UNKNOWN_CONFIGURATION);
    expect("negative method", rephase_init(-1, REPHASE_F32), REPHASE_UNKNOWN_CONFIGURATION);
    expect("init", rephase_init(REPHASE_CNN_STRIDED, REPHASE_Q15), REPHASE_OK);
    expect("latency", rephase_latency(), 640);
    expect("null magnitudes", rephase_process(NULL, samples), REPHASE_NULL_POINTER);
    expect("null samples", rephase_process(magnitudes, NULL), REPHASE_NULL_POINTER);
    expect("null mantissas", rephase_process_q15(NULL, -20, q15), REPHASE_NULL_POINTER);
    expect("null analysis input", rephase_analyze(NULL, magnitudes), REPHASE_NULL_POINTER);

    /* A bad frame is refused whole and leaves the inverter as it was: the stream with bad
     * frames in it equals the stream without them (8 frames, past the 5 of latency). */
    for (int n = 0; n < 8; n++) expect("clean stream", rephase_process(magnitudes, first), REPHASE_OK);
    float energy = 0;
    for (int n = 0; n < REPHASE_HOP; n++) energy += first[n] * first[n];
    expect("clean stream has sound", energy > 0, 1);
    expect("reset", rephase_reset(), REPHASE_OK);
    float bad[REPHASE_BINS];
    const float values[] = {NAN, INFINITY, -1.0f, 2e9f};
    for (int n = 0; n < 8; n++) {
        expect("stream with refused frames", rephase_process(magnitudes, samples), REPHASE_OK);
        if (n != 2) continue;
        for (int i = 0; i < 4; i++) {
            memcpy(bad, magnitudes, sizeof bad);
            bad[100] = values[i];
            float kept = samples[0];
            expect("invalid magnitude", rephase_process(bad, samples), REPHASE_INVALID_INPUT);
            expect("nothing written", samples[0] == kept, 1);
        }
    }
    expect("state kept", memcmp(samples, first, sizeof first) == 0, 1);
    expect("exponent too large", rephase_process_q15(mantissas, 1, q15), REPHASE_INVALID_INPUT);
    expect("exponent too small", rephase_process_q15(mantissas, -193, q15), REPHASE_INVALID_INPUT);
    expect("exponent in range", rephase_process_q15(mantissas, -20, q15), REPHASE_OK);
    float hop[REPHASE_HOP] = {0};
    hop[3] = NAN;
    expect("analysis of a NaN sample", rephase_analyze(hop, magnitudes), REPHASE_INVALID_INPUT);
    hop[3] = 0.5f;
    expect("analysis", rephase_analyze(hop, magnitudes), REPHASE_OK);
    expect("init MCNN", rephase_init(REPHASE_MCNN, REPHASE_Q15), REPHASE_OK);
    expect("MCNN has no fixed-point interface", rephase_process_q15(mantissas, -20, q15), REPHASE_WRONG_INTERFACE);
    expect("failed init keeps the selection", rephase_init(9, 9), REPHASE_UNKNOWN_CONFIGURATION);
    expect("latency of the kept selection", rephase_latency(), 896);

    printf("status_test: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
