/* The firmware's main: streams the test vectors that `rephase vectors` wrote (read from the
 * host through semihosting, relative to QEMU's working directory) through the core's Q15 and
 * Float32 strided-CNN and MCNN inverters (Targets/c-api/rephase.h), writes their outputs back for
 * run-tests to compare with the host's, and prints per frame the instructions executed, the
 * stack high-water mark and the calls into the runtime traps (runtime_traps.c).
 *
 * Counting instructions: QEMU runs with -icount shift=0, so its virtual clock advances 1 ns per
 * executed instruction; SysTick, clocked from the 25 MHz system clock, then ticks once per 40
 * instructions. The harness measures that ratio itself on a loop of known length rather than
 * trusting it. These are instruction counts, not cycles: QEMU models no pipeline or memory. */
#include <stdint.h>
#include <stdio.h>

#include "rephase.h"

extern void initialise_monitor_handles(void);
extern uint32_t stack_high_water(void);
extern uint32_t stack_size(void);
extern uint32_t swift_runtime_trap_calls;

#define SYST_CSR (*(volatile uint32_t *)0xE000E010)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018)

static uint32_t now(void) { return SYST_CVR; }
/* SysTick counts down through 24 bits; intervals are far below 2^24 ticks. */
static uint32_t ticks_since(uint32_t start) { return (start - SYST_CVR) & 0xFFFFFF; }

/* Executes exactly 2 n + a few instructions (subs and bne per iteration). */
static void spin(uint32_t n) { __asm volatile("1: subs %0, %0, #1\n bne 1b" : "+r"(n)); }

static double instructions_per_tick;

struct stats { uint32_t frames; double total, max; };

static void add(struct stats *s, uint32_t ticks) {
    double instructions = ticks * instructions_per_tick;
    s->frames++;
    s->total += instructions;
    if (instructions > s->max) s->max = instructions;
}

static void report(const char *name, const struct stats *s) {
    printf("firmware: %s: %u frames, instructions per frame: mean %.0f, max %.0f\n",
           name, (unsigned)s->frames, s->frames ? s->total / s->frames : 0.0, s->max);
}

/* Q15 through the fixed-point interface: mantissas.bin in, fw-cnn-strided-q15.out (Int16) out. */
static int run_q15(struct stats *s) {
    FILE *in = fopen("mantissas.bin", "rb"), *out = fopen("fw-cnn-strided-q15.out", "wb");
    if (!in || !out) { printf("firmware: cannot open mantissas.bin or fw-cnn-strided-q15.out\n"); return 1; }
    if (rephase_init(REPHASE_CNN_STRIDED, REPHASE_Q15) != 0) return 1;
    static uint32_t mantissas[REPHASE_BINS];
    static int16_t samples[REPHASE_HOP];
    int32_t exponent;
    while (fread(&exponent, 4, 1, in) == 1) {
        if (fread(mantissas, 4, REPHASE_BINS, in) != REPHASE_BINS) { printf("firmware: truncated mantissas.bin\n"); return 1; }
        uint32_t start = now();
        int status = rephase_process_q15(mantissas, exponent, samples);
        add(s, ticks_since(start));
        if (status != 0 || fwrite(samples, 2, REPHASE_HOP, out) != REPHASE_HOP) return 1;
    }
    fclose(in);
    fclose(out);
    return 0;
}

/* Through the Float interface: magnitudes.f32 in, `output` out, Float32 samples, or Int16 for
 * Q15 (whose Float samples are exact multiples of 1/32768, as `rephase vectors` writes them). */
static int run_float(int32_t method, int32_t format, const char *output, struct stats *s) {
    FILE *in = fopen("magnitudes.f32", "rb"), *out = fopen(output, "wb");
    if (!in || !out) { printf("firmware: cannot open magnitudes.f32 or %s\n", output); return 1; }
    if (rephase_init(method, format) != 0) { printf("firmware: rephase_init(%d, %d) failed\n", (int)method, (int)format); return 1; }
    static float magnitudes[REPHASE_BINS], samples[REPHASE_HOP];
    static int16_t q15[REPHASE_HOP];
    while (fread(magnitudes, 4, REPHASE_BINS, in) == REPHASE_BINS) {
        uint32_t start = now();
        int status = rephase_process(magnitudes, samples);
        add(s, ticks_since(start));
        if (status != 0) { printf("firmware: rephase_process failed\n"); return 1; }
        if (format == REPHASE_Q15) {
            for (int i = 0; i < REPHASE_HOP; i++) q15[i] = (int16_t)(samples[i] * 32768.0f);
            if (fwrite(q15, 2, REPHASE_HOP, out) != REPHASE_HOP) return 1;
        } else if (fwrite(samples, 4, REPHASE_HOP, out) != REPHASE_HOP) return 1;
    }
    fclose(in);
    fclose(out);
    return 0;
}

int main(void) {
    initialise_monitor_handles();
    /* Unbuffered, so every line reaches the log even when the run ends in a fault or a trap. */
    setvbuf(stdout, NULL, _IONBF, 0);
    SYST_RVR = 0xFFFFFF;
    SYST_CVR = 0;
    SYST_CSR = 5;  /* enable, processor clock, no interrupt */
    uint32_t start = now();
    spin(1000000);
    instructions_per_tick = 2000000.0 / ticks_since(start);
    printf("firmware: calibration: %.2f instructions per SysTick tick\n", instructions_per_tick);

    struct stats q15 = {0}, f32 = {0}, mcnn_q15 = {0}, mcnn_f32 = {0};
    if (run_q15(&q15) != 0) { printf("firmware: FAILED (q15)\n"); return 1; }
    uint32_t q15_stack = stack_high_water();
    if (run_float(REPHASE_MCNN, REPHASE_Q15, "fw-mcnn-q15.out", &mcnn_q15) != 0) { printf("firmware: FAILED (mcnn q15)\n"); return 1; }
    if (run_float(REPHASE_MCNN, REPHASE_F32, "fw-mcnn-f32.out", &mcnn_f32) != 0) { printf("firmware: FAILED (mcnn f32)\n"); return 1; }
    uint32_t mcnn_stack = stack_high_water();
    if (run_float(REPHASE_CNN_STRIDED, REPHASE_F32, "fw-cnn-strided-f32.out", &f32) != 0) { printf("firmware: FAILED (f32)\n"); return 1; }
    report("cnn-strided q15", &q15);
    report("cnn-strided f32", &f32);
    report("mcnn q15", &mcnn_q15);
    report("mcnn f32", &mcnn_f32);
    printf("firmware: stack high-water %u bytes after the Q15 run, %u after the Q15 and Float32 MCNN runs, "
           "%u after the Float32 one (of %u)\n",
           (unsigned)q15_stack, (unsigned)mcnn_stack, (unsigned)stack_high_water(), (unsigned)stack_size());
    printf("firmware: Swift runtime trap calls (allocation, randomness): %u\n", (unsigned)swift_runtime_trap_calls);
    return swift_runtime_trap_calls == 0 ? 0 : 1;
}
