/* The C interface of the Rephase core (RephaseC.swift and RephaseStream.swift, compiled with
 * the core as Embedded Swift): streaming inverters fed one STFT magnitude frame (16 kHz,
 * periodic Hann 512, hop 128, frame-start phase: 257 bins) per call, returning 128 samples.
 * Two ways to hold them, both without heap: rephase_init and its calls keep one inverter in
 * static storage (not thread-safe: call them from one thread); the stream interface
 * (rephase_stream_*) keeps each inverter in storage its caller provides, so any number run
 * at once, each from one thread at a time.
 *
 * A build includes the configurations (method and format) it was compiled for
 * (Targets/c-api/configurations; a product image usually exactly one). Every call that can
 * fail returns a rephase_status; on failure it writes nothing and changes no state. A call
 * checks its pointers first (any NULL: REPHASE_NULL_POINTER, whatever else is wrong), then that
 * it has a configuration to run (REPHASE_UNKNOWN_CONFIGURATION, REPHASE_NOT_INITIALISED),
 * then the values it is given. Values are checked so that NaN and +-infinity always fail
 * (REPHASE_INVALID_INPUT, or REPHASE_INVALID_SETTINGS in a rephase_settings field the method
 * uses): no non-finite value reaches an inverter. */
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
    REPHASE_NULL_POINTER = -1,          /* an input, output, settings or stream pointer is NULL */
    REPHASE_UNKNOWN_CONFIGURATION = -2, /* method, format or mel_bands not a value of its enum or
                                         * list, not one the call takes (rephase_init: CNN,
                                         * CNN_STRIDED, PGHI, MCNN, SPSI in F32 or Q15), or not
                                         * compiled into this build */
    REPHASE_NOT_INITIALISED = -3,       /* no successful rephase_init yet, or stream storage that
                                         * no successful rephase_stream_init has written */
    REPHASE_WRONG_INTERFACE = -4,       /* rephase_process_q15 on a configuration without it (MCNN) */
    REPHASE_INVALID_INPUT = -5,         /* a magnitude NaN, negative or above REPHASE_MAX_MAGNITUDE,
                                         * an exponent outside [REPHASE_MIN_EXPONENT,
                                         * REPHASE_MAX_EXPONENT], or a sample outside [-1, 1]
                                         * (rephase_spectrogram: [-REPHASE_MAX_SAMPLE, REPHASE_MAX_SAMPLE]) */
    REPHASE_INVALID_SETTINGS = -6,      /* a rephase_settings field the method uses outside its
                                         * range, or NaN */
    REPHASE_BAD_STORAGE = -7            /* stream storage smaller than rephase_stream_size or not
                                         * aligned to REPHASE_STREAM_ALIGNMENT */
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
    REPHASE_MCNN = 3,        /* MCNN: samples straight from the magnitudes, 4 frames (896 samples)
                              * of latency; rephase_process only, in either format (its Q15
                              * build converts the Float frame to its integer input itself) */
    /* Stream interface only: */
    REPHASE_CNN_LA = 4,      /* causal CNN, then look-ahead refinement (F32, F16) */
    REPHASE_RTPGHI = 5,      /* real-time PGHI with heap integration (F32) */
    REPHASE_RTISI_LA = 6,    /* RTISI-LA (F32) */
    /* Both interfaces again: */
    REPHASE_SPSI = 7         /* single-pass spectrogram inversion, no look-ahead (F32; Q15 in
                              * integer arithmetic throughout) */
};

enum rephase_format {
    REPHASE_F32 = 0, /* Float32 throughout */
    REPHASE_Q15 = 1, /* integer estimator and synthesis, Float32 least squares; SPSI and MCNN
                      * in integers throughout */
    REPHASE_F16 = 2  /* Float16 network weights, Float32 arithmetic (stream interface only) */
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
 * configurations the samples are the Q15 output divided by 32768. Both arrays are used in place
 * during the call and must not overlap. */
int32_t rephase_process(const float *magnitudes, float *samples);

/* One frame through the fixed-point interface of a Q15 phase-gradient or SPSI configuration: 257
 * block-floating mantissas m_k and exponent e (magnitude a_k = m_k 2^e, largest m_k in
 * [2^31, 2^32) unless silent; e in [REPHASE_MIN_EXPONENT, REPHASE_MAX_EXPONENT]) in, 128 Q15
 * samples out. MCNN takes rephase_process (REPHASE_WRONG_INTERFACE here, once the exponent
 * is in range). Both arrays are used in place during the call and must not overlap. */
int32_t rephase_process_q15(const uint32_t *mantissas, int32_t exponent, int16_t *samples);

/* Streaming STFT analysis for hosts that start from audio: 128 new samples (in [-1, 1]) in,
 * the 257 magnitudes of the frame ending with them out (the first frames see zeros before the
 * start). The output feeds rephase_process; the pair's latency is rephase_latency(). Returns
 * REPHASE_OK, REPHASE_NULL_POINTER or REPHASE_INVALID_INPUT. */
int32_t rephase_analyze(const float *samples, float *magnitudes);

/* Forgets the analysis history. */
void rephase_analyze_reset(void);

/* ---- Stream interface (builds with REPHASE_STREAMS: librephase.a and the Python package's
 * library have it; product images do not) ---- */

/* What a stream runs: a configuration and its options, as `rephase invert` takes them.
 * rephase_stream_defaults fills it in; change what you need. Options a method does not use are
 * ignored. */
typedef struct rephase_settings {
    int32_t method;        /* enum rephase_method */
    int32_t format;        /* enum rephase_format */
    int32_t lookahead;     /* frames: PGHI, RTPGHI 0..1; RTISI_LA 0..7; CNN_LA 0..6; others fixed */
    int32_t iterations;    /* per frame: RTISI_LA 1..10000, CNN_LA 0..10000 */
    float weight_exponent; /* least-squares weights (CNN, CNN_STRIDED, CNN_LA, PGHI): (0, 16], or 0 */
    float coupling;        /* least-squares frequency coupling: (0, 1e6], or 0. A weight of 0 (what
                            * rephase_stream_defaults writes) is the one tuned for the method and
                            * its input: the mel networks' own with mel_bands 80, Slaney, mel_steps 0 */
    float momentum;        /* of CNN_LA's and RTISI_LA's projections: [0, 1) (0: RTISI-LA as published) */
    int32_t mel_bands;     /* 0: frames of REPHASE_BINS magnitudes; 40, 64, 80 or 128: mel frames
                            * through the core's mel -> linear stage (builds with REPHASE_MEL) */
    int32_t mel_scale;     /* 0: Slaney (librosa's default), 1: HTK */
    int32_t mel_steps;     /* projected-gradient steps of the mel stage per frame: 0..1000 */
    int32_t mel_log;       /* logarithm of the mel values: 0 none, 1 natural, 2 base 10, 3 decibels
                            * (10 log10 at mel_power 2, 20 log10 at 1); the stream undoes it */
    int32_t mel_power;     /* what the filterbank was applied to: 1 magnitudes, 2 squared magnitudes */
} rephase_settings;

/* Streams must be aligned to this many bytes. */
#define REPHASE_STREAM_ALIGNMENT 16
/* The largest sample rephase_spectrogram accepts (16-bit-integer-scaled audio with 6 dB to spare). */
#define REPHASE_MAX_SAMPLE 65536.0f

/* Fills *settings with the method's defaults (those of `rephase invert`): REPHASE_OK,
 * REPHASE_NULL_POINTER or REPHASE_UNKNOWN_CONFIGURATION (not in this build). */
int32_t rephase_stream_defaults(int32_t method, int32_t format, rephase_settings *settings);

/* Bytes of storage a stream of these settings needs, REPHASE_NULL_POINTER or
 * REPHASE_UNKNOWN_CONFIGURATION; the options are checked by rephase_stream_init, not here. */
int32_t rephase_stream_size(const rephase_settings *settings);

/* Builds the inverter of `settings` in `stream` (`size` bytes, aligned to
 * REPHASE_STREAM_ALIGNMENT): REPHASE_OK or the status that says why not. The storage is the
 * stream's whole state: no other memory is kept, and freeing it needs no call. */
int32_t rephase_stream_init(void *stream, int32_t size, const rephase_settings *settings);

/* Forgets the stream's past frames. */
int32_t rephase_stream_reset(void *stream);

/* Samples from the analysis input to the stream's output, or a negative status. */
int32_t rephase_stream_latency(const void *stream);

/* `count` frames in (each REPHASE_BINS magnitudes, or mel_bands values), count * REPHASE_HOP
 * samples out. Every value must be in [0, REPHASE_MAX_MAGNITUDE] (with mel_log, finite and at
 * most the logarithm of REPHASE_MAX_MAGNITUDE, squared at mel_power 2); otherwise the whole call
 * is refused with the stream unchanged. */
int32_t rephase_stream_process(void *stream, const float *frames, int32_t count, float *samples);

/* The magnitudes of a whole signal of `length` samples, as `rephase analyze` writes them:
 * (length + 127) / 128 + 3 frames of REPHASE_BINS values (the signal zero-padded to whole
 * hops and 3 hops past its end, so that every sample lies in 4 frames). */
int32_t rephase_spectrogram(const float *samples, int64_t length, float *magnitudes);

#ifdef __cplusplus
}
#endif

#endif
