/* The C interface of the Rephase core (RephaseC.swift, compiled with the core as Embedded
 * Swift): one streaming inverter at a time, held in static storage (no heap), fed one STFT
 * magnitude frame (16 kHz, periodic Hann 512, hop 128, frame-start phase: 257 bins) per call
 * and returning 128 samples. Not thread-safe: call it from one thread. */
#ifndef REPHASE_H
#define REPHASE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define REPHASE_BINS 257
#define REPHASE_HOP 128

enum rephase_method {
    REPHASE_CNN = 0,         /* causal CNN + least squares, no look-ahead */
    REPHASE_CNN_STRIDED = 1, /* strided CNN (half the network cost), one frame of look-ahead */
    REPHASE_PGHI = 2,        /* analytic PGHI derivatives + least squares, no look-ahead */
    REPHASE_MCNN = 3         /* MCNN: samples straight from the magnitudes, 4 frames (896 samples)
                              * of latency; rephase_process only, in either format (its Q15
                              * build converts the Float frame to its integer input itself) */
};

enum rephase_format {
    REPHASE_F32 = 0, /* Float32 throughout */
    REPHASE_Q15 = 1  /* integer estimator and synthesis, Float32 least squares */
};

/* Selects the inverter and resets it. Returns 0, or -1 when this build does not include the
 * configuration (firmware builds include only the strided CNN and MCNN). */
int32_t rephase_init(int32_t method, int32_t format);

/* Forgets all past frames of the selected inverter. */
void rephase_reset(void);

/* Samples from the analysis input to the output: 384 + 128 per frame of look-ahead. */
int32_t rephase_latency(void);

/* One frame: 257 magnitudes (finite, >= 0) in, 128 samples out. For Q15 configurations the
 * samples are the Q15 output divided by 32768. Returns 0, or -1 before rephase_init. */
int32_t rephase_process(const float *magnitudes, float *samples);

/* One frame through the fixed-point interface of a Q15 configuration: 257 block-floating
 * mantissas m_k and exponent e (magnitude a_k = m_k 2^e, largest m_k in [2^31, 2^32) unless
 * silent) in, 128 Q15 samples out. Returns 0, or -1 when the selection is not a Q15 phase-
 * gradient inverter (MCNN takes rephase_process). */
int32_t rephase_process_q15(const uint32_t *mantissas, int32_t exponent, int16_t *samples);

/* Streaming STFT analysis for hosts that start from audio: 128 new samples (in [-1, 1)) in,
 * the 257 magnitudes of the frame ending with them out (the first frames see zeros before the
 * start). The output feeds rephase_process; the pair's latency is rephase_latency(). */
void rephase_analyze(const float *samples, float *magnitudes);

/* Forgets the analysis history. */
void rephase_analyze_reset(void);

#ifdef __cplusplus
}
#endif

#endif
