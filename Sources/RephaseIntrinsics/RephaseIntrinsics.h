// The one C module the core may import: static inline wrappers around the ACLE DSP
// instructions the Q15 kernels need (Cortex-M4/M7: SMLAD, SMLABB, SMLATT, SMUSD, SMUADX, QADD16, QSUB, SSAT, USAT), so that Swift, which has no way
// to ask for them, gets one instruction where LLVM would emit several. The packing helpers
// and the rounded high multiply are plain C in every build: LLVM turns them into PKHBT,
// PKHTB and SMMULR on its own (ACLE has no intrinsic for SMMULR).
//
// Each wrapper has a portable C fallback, used wherever __ARM_FEATURE_DSP is not defined
// (x86_64 hosts, AArch64), that gives the same bits as the instruction: the host tests of
// the kernels and the QEMU runs of the firmware compare the two paths bit for bit.
//
// No headers but the compiler's own arm_acle.h: the core links no libc. Types are the
// built-in ones (int is 32 bits on every target the core builds for).
#ifndef REPHASE_INTRINSICS_H
#define REPHASE_INTRINSICS_H

#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
#include <arm_acle.h>
#define REPHASE_HAS_DSP 1
#else
#define REPHASE_HAS_DSP 0
#endif

/// Whether the wrappers below compile to the DSP instructions (1) or to their C fallbacks (0).
static inline int rephase_has_dsp(void) { return REPHASE_HAS_DSP; }

/// SMLAD: acc + x.lo * y.lo + x.hi * y.hi, where .lo and .hi are the signed 16-bit halves
/// of each 32-bit word (a packed pair of Q15 values, lower address in the low half on a
/// little-endian core), in a 32-bit accumulator. The sum wraps modulo 2^32 (the instruction
/// only sets the Q flag): callers prove it never overflows.
static inline int rephase_smlad(unsigned int x, unsigned int y, int acc) {
#if REPHASE_HAS_DSP
    return __smlad((int16x2_t)x, (int16x2_t)y, acc);
#else
    int lo = (int)(short)(x & 0xFFFFu) * (int)(short)(y & 0xFFFFu);
    int hi = (int)(short)(x >> 16) * (int)(short)(y >> 16);
    return (int)((unsigned int)acc + (unsigned int)lo + (unsigned int)hi);
#endif
}

/// SMLABB: acc + x.lo * y.lo over the signed low halves, in 32 bits (wrapping, as SMLAD).
static inline int rephase_smlabb(unsigned int x, unsigned int y, int acc) {
#if REPHASE_HAS_DSP
    return __smlabb((int)x, (int)y, acc);
#else
    return (int)((unsigned int)acc + (unsigned int)((int)(short)(x & 0xFFFFu) * (int)(short)(y & 0xFFFFu)));
#endif
}

/// SMLATT: acc + x.hi * y.hi over the signed high halves, in 32 bits (wrapping, as SMLAD).
static inline int rephase_smlatt(unsigned int x, unsigned int y, int acc) {
#if REPHASE_HAS_DSP
    return __smlatt((int)x, (int)y, acc);
#else
    return (int)((unsigned int)acc + (unsigned int)((int)(short)(x >> 16) * (int)(short)(y >> 16)));
#endif
}

/// SMUSD: x.lo * y.lo - x.hi * y.hi over the signed halves (the real part of a complex
/// product, x = (re, im) of one factor, y of the other), in 32 bits, wrapping.
static inline int rephase_smusd(unsigned int x, unsigned int y) {
#if REPHASE_HAS_DSP
    return __smusd((int16x2_t)x, (int16x2_t)y);
#else
    int lo = (int)(short)(x & 0xFFFFu) * (int)(short)(y & 0xFFFFu);
    int hi = (int)(short)(x >> 16) * (int)(short)(y >> 16);
    return (int)((unsigned int)lo - (unsigned int)hi);
#endif
}

/// SMUADX: x.lo * y.hi + x.hi * y.lo over the signed halves (the imaginary part of the same
/// complex product), in 32 bits, wrapping (the instruction only sets the Q flag).
static inline int rephase_smuadx(unsigned int x, unsigned int y) {
#if REPHASE_HAS_DSP
    return __smuadx((int16x2_t)x, (int16x2_t)y);
#else
    int a = (int)(short)(x & 0xFFFFu) * (int)(short)(y >> 16);
    int b = (int)(short)(x >> 16) * (int)(short)(y & 0xFFFFu);
    return (int)((unsigned int)a + (unsigned int)b);
#endif
}

/// QADD16: the signed 16-bit halves of x and y added pairwise, each sum saturated to int16.
static inline unsigned int rephase_qadd16(unsigned int x, unsigned int y) {
#if REPHASE_HAS_DSP
    return (unsigned int)__qadd16((int16x2_t)x, (int16x2_t)y);
#else
    int lo = (int)(short)(x & 0xFFFFu) + (int)(short)(y & 0xFFFFu);
    int hi = (int)(short)(x >> 16) + (int)(short)(y >> 16);
    lo = lo > 32767 ? 32767 : lo < -32768 ? -32768 : lo;
    hi = hi > 32767 ? 32767 : hi < -32768 ? -32768 : hi;
    return ((unsigned int)lo & 0xFFFFu) | ((unsigned int)hi << 16);
#endif
}

/// UQSUB16: each unsigned 16-bit half of x minus the same half of y, floored at 0.
static inline unsigned int rephase_uqsub16(unsigned int x, unsigned int y) {
#if REPHASE_HAS_DSP
    return __uqsub16(x, y);
#else
    unsigned int lo = (x & 0xFFFFu) > (y & 0xFFFFu) ? (x & 0xFFFFu) - (y & 0xFFFFu) : 0;
    unsigned int hi = (x >> 16) > (y >> 16) ? (x >> 16) - (y >> 16) : 0;
    return lo | (hi << 16);
#endif
}

/// QADD: x + y saturated to the 32-bit range.
static inline int rephase_qadd(int x, int y) {
#if REPHASE_HAS_DSP
    return __qadd(x, y);
#else
    long long s = (long long)x + (long long)y;
    return s > 2147483647LL ? 2147483647 : s < -2147483647LL - 1 ? (int)(-2147483647LL - 1) : (int)s;
#endif
}

/// QSUB: x - y saturated to the 32-bit range.
static inline int rephase_qsub(int x, int y) {
#if REPHASE_HAS_DSP
    return __qsub(x, y);
#else
    long long d = (long long)x - (long long)y;
    return d > 2147483647LL ? 2147483647 : d < -2147483647LL - 1 ? (int)(-2147483647LL - 1) : (int)d;
#endif
}

/// SSAT #16: x clamped to -32768 ... 32767.
static inline int rephase_ssat16(int x) {
#if REPHASE_HAS_DSP
    return __ssat(x, 16);
#else
    return x < -32768 ? -32768 : x > 32767 ? 32767 : x;
#endif
}

/// USAT #15: x clamped to 0 ... 32767 (ReLU and saturation to Q15 in one instruction).
static inline int rephase_usat15(int x) {
#if REPHASE_HAS_DSP
    return (int)__usat(x, 15);
#else
    return x < 0 ? 0 : x > 32767 ? 32767 : x;
#endif
}

/// SMMULR: the high word of the 64-bit product x y, rounded half up:
/// floor((x y + 2^31) / 2^32). One instruction on a core with the DSP extension.
static inline int rephase_smmulr(int x, int y) {
    return (int)(((long long)x * y + 0x80000000LL) >> 32);
}

/// PKHBT: the low half of `low` with the low half of `high` above it.
static inline unsigned int rephase_pack_low_halves(unsigned int low, unsigned int high) {
    return (low & 0xFFFFu) | (high << 16);
}

/// PKHTB: the high half of `low` (as the new low half) with the high half of `high` above it.
static inline unsigned int rephase_pack_high_halves(unsigned int low, unsigned int high) {
    return (low >> 16) | (high & 0xFFFF0000u);
}

#endif
