/* The C interface of the Rephase core (RephaseC.swift, compiled with the core as Embedded
 * Swift): one streaming inverter at a time, held in static storage (no heap), fed one STFT
 * magnitude frame (16 kHz, periodic Hann 512, hop 128, frame-start phase: 257 bins) per call
 * and returning 128 samples. Not thread-safe: call it from one thread.
 *
 * A build includes the configurations (method and format) it was compiled for
 * (Targets/c-api/configurations; a product image usually exactly one). Every call that can
 * fail returns a rephase_status; on failure it writes nothing and changes no state. */
#ifndef REPHASE_H
#define REPHASE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define REPHASE_BINS 257
#define REPHASE_HOP 128

/* What the calls return: 0, or a negative code saying why nothing was done. */
enum rephase_status {
    REPHASE_OK = 0,
    REPHASE_NULL_POINTER = -1,          /* an input or output pointer is NULL */
    REPHASE_UNKNOWN_CONFIGURATION = -2, /* method or format out of range, or not in this build */
    REPHASE_NOT_INITIALISED = -3,       /* no successful rephase_init yet */
    REPHASE_WRONG_INTERFACE = -4,       /* rephase_process_q15 on a configuration without it (MCNN) */
    REPHASE_INVALID_INPUT = -5          /* a magnitude NaN, negative or above REPHASE_MAX_MAGNITUDE,
                                         * an exponent outside [REPHASE_MIN_EXPONENT,
                                         * REPHASE_MAX_EXPONENT], or a sample outside [-1, 1] */
};

/* The largest magnitude accepted: far above any frame of audio in [-1, 1] (at most 256) or
 * of int16-scaled audio (at most 8.4e6). */
#define REPHASE_MAX_MAGNITUDE 1e9f
#define REPHASE_MIN_EXPONENT (-192)
#define REPHASE_MAX_EXPONENT 0

enum rephase_method {
    REPHASE_CNN = 0,         /* causal CNN + least squares, no look-ahead */
    REPHASE_CNN_STRIDED = 1, /* strided CNN (half the network cost): one frame of look-ahead in
                              * Float32, two in Q15 (its network is spread over two hops) */
    REPHASE_PGHI = 2,        /* analytic PGHI derivatives + least squares, no look-ahead */
    REPHASE_MCNN = 3         /* MCNN: samples straight from the magnitudes, 4 frames (896 samples)
                              * of latency; rephase_process only, in either format (its Q15
                              * build converts the Float frame to its integer input itself) */
};

enum rephase_format {
    REPHASE_F32 = 0, /* Float32 throughout */
    REPHASE_Q15 = 1  /* integer estimator and synthesis, Float32 least squares */
};

/* Selects the inverter and resets it: REPHASE_OK or REPHASE_UNKNOWN_CONFIGURATION (the
 * previous selection then stays). */
int32_t rephase_init(int32_t method, int32_t format);

/* Forgets all past frames of the selected inverter: REPHASE_OK or REPHASE_NOT_INITIALISED. */
int32_t rephase_reset(void);

/* Samples from the analysis input to the output (384 + 128 per frame of look-ahead), or
 * REPHASE_NOT_INITIALISED. */
int32_t rephase_latency(void);

/* One frame: 257 magnitudes (each in [0, REPHASE_MAX_MAGNITUDE]) in, 128 samples out. For Q15
 * configurations the samples are the Q15 output divided by 32768. */
int32_t rephase_process(const float *magnitudes, float *samples);

/* One frame through the fixed-point interface of a Q15 phase-gradient configuration: 257
 * block-floating mantissas m_k and exponent e (magnitude a_k = m_k 2^e, largest m_k in
 * [2^31, 2^32) unless silent; e in [REPHASE_MIN_EXPONENT, REPHASE_MAX_EXPONENT]) in, 128 Q15
 * samples out. MCNN takes rephase_process (REPHASE_WRONG_INTERFACE here). */
int32_t rephase_process_q15(const uint32_t *mantissas, int32_t exponent, int16_t *samples);

/* Streaming STFT analysis for hosts that start from audio: 128 new samples (in [-1, 1]) in,
 * the 257 magnitudes of the frame ending with them out (the first frames see zeros before the
 * start). The output feeds rephase_process; the pair's latency is rephase_latency(). Returns
 * REPHASE_OK, REPHASE_NULL_POINTER or REPHASE_INVALID_INPUT. */
int32_t rephase_analyze(const float *samples, float *magnitudes);

/* Forgets the analysis history. */
void rephase_analyze_reset(void);

#ifdef __cplusplus
}
#endif

#endif
