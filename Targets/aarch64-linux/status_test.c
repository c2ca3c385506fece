/* The C interface's failure contract (rephase.h), singleton and streams: every call that
 * cannot do its work returns the status that says why, writes nothing and keeps its state. Prints one line per failed
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
    expect("unknown method", rephase_init(8, REPHASE_F32), REPHASE_UNKNOWN_CONFIGURATION);
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
    expect("stream-only method", rephase_init(REPHASE_RTPGHI, REPHASE_F32), REPHASE_UNKNOWN_CONFIGURATION);
    expect("init SPSI", rephase_init(REPHASE_SPSI, REPHASE_Q15), REPHASE_OK);
    expect("SPSI's fixed-point interface", rephase_process_q15(mantissas, -20, q15), REPHASE_OK);
    expect("SPSI latency", rephase_latency(), 384);

    /* The stream interface: two streams at once, each refusing what the singleton refuses, and
     * settings and storage checked before anything is built. */
    static _Alignas(REPHASE_STREAM_ALIGNMENT) unsigned char streams[2][1 << 18];
    rephase_settings settings;
    expect("defaults of an unknown method", rephase_stream_defaults(8, REPHASE_F32, &settings), REPHASE_UNKNOWN_CONFIGURATION);
    expect("defaults of a format the method lacks", rephase_stream_defaults(REPHASE_RTPGHI, REPHASE_Q15, &settings), REPHASE_UNKNOWN_CONFIGURATION);
    expect("defaults into NULL", rephase_stream_defaults(REPHASE_CNN, REPHASE_F32, NULL), REPHASE_NULL_POINTER);
    expect("process before stream init", rephase_stream_process(streams[0], magnitudes, 1, samples), REPHASE_NOT_INITIALISED);
    expect("latency before stream init", rephase_stream_latency(streams[0]), REPHASE_NOT_INITIALISED);
    expect("defaults", rephase_stream_defaults(REPHASE_RTISI_LA, REPHASE_F32, &settings), REPHASE_OK);
    expect("rtisi-la defaults", settings.lookahead == 3 && settings.iterations == 5 && settings.momentum == 0.7f, 1);
    int32_t size = rephase_stream_size(&settings);
    expect("size fits the test's storage", size > 0 && size <= (int32_t)sizeof streams[0], 1);
    settings.lookahead = 8;
    expect("look-ahead out of range", rephase_stream_init(streams[0], size, &settings), REPHASE_INVALID_SETTINGS);
    settings.lookahead = 3;
    settings.iterations = 0;
    expect("no iterations", rephase_stream_init(streams[0], size, &settings), REPHASE_INVALID_SETTINGS);
    settings.iterations = 5;
    expect("storage too small", rephase_stream_init(streams[0], size - 1, &settings), REPHASE_BAD_STORAGE);
    expect("storage misaligned", rephase_stream_init(streams[0] + 4, size, &settings), REPHASE_BAD_STORAGE);
    expect("stream init", rephase_stream_init(streams[0], size, &settings), REPHASE_OK);
    expect("stream latency", rephase_stream_latency(streams[0]), 768);
    expect("defaults pghi", rephase_stream_defaults(REPHASE_PGHI, REPHASE_Q15, &settings), REPHASE_OK);
    settings.weight_exponent = -1;
    expect("weight exponent -1", rephase_stream_init(streams[1], sizeof streams[1], &settings), REPHASE_INVALID_SETTINGS);
    settings.weight_exponent = NAN;
    expect("weight exponent NaN", rephase_stream_init(streams[1], sizeof streams[1], &settings), REPHASE_INVALID_SETTINGS);
    settings.weight_exponent = 0;
    settings.mel_bands = 81;
    expect("mel bands not compiled", rephase_stream_init(streams[1], sizeof streams[1], &settings), REPHASE_UNKNOWN_CONFIGURATION);
    settings.mel_bands = 0;
    expect("second stream", rephase_stream_init(streams[1], sizeof streams[1], &settings), REPHASE_OK);
    static float frames[3][REPHASE_BINS], out[3 * REPHASE_HOP], kept[3 * REPHASE_HOP];
    for (int t = 0; t < 3; t++) memcpy(frames[t], magnitudes, sizeof magnitudes);
    frames[2][10] = NAN;
    expect("a bad frame refuses the call", rephase_stream_process(streams[0], frames[0], 3, out), REPHASE_INVALID_INPUT);
    frames[2][10] = 0;
    expect("null frames", rephase_stream_process(streams[0], NULL, 3, out), REPHASE_NULL_POINTER);
    expect("three frames", rephase_stream_process(streams[0], frames[0], 3, out), REPHASE_OK);
    expect("other stream", rephase_stream_process(streams[1], frames[0], 3, kept), REPHASE_OK);
    expect("stream reset", rephase_stream_reset(streams[0]), REPHASE_OK);
    for (int t = 0; t < 3; t++) rephase_stream_process(streams[0], frames[t], 1, kept + t * REPHASE_HOP);
    expect("frame by frame after reset equals three at once", memcmp(out, kept, sizeof out) == 0, 1);
    static float signal[300], spectrogram[(300 + 127) / 128 + 3][REPHASE_BINS];
    signal[7] = 70000.0f;
    expect("spectrogram of a sample too large", rephase_spectrogram(signal, 300, spectrogram[0]), REPHASE_INVALID_INPUT);
    signal[7] = 60000.0f;
    expect("spectrogram", rephase_spectrogram(signal, 300, spectrogram[0]), REPHASE_OK);

    printf("status_test: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
