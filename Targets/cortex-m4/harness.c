/* The test firmware's main: streams the test vectors that `rephase vectors` wrote (read from
 * the host through semihosting, relative to QEMU's working directory) through each
 * configuration that configurations.txt lists (Targets/c-api/rephase.h), writes their outputs
 * back for run-tests to compare with the host's, and prints per configuration the instructions
 * executed per frame, the stack high-water mark of its run, and the calls into the runtime
 * traps (runtime_traps.c).
 *
 * Counting instructions: QEMU runs with -icount shift=0, so its virtual clock advances 1 ns per
 * executed instruction; SysTick, clocked from the 25 MHz system clock, then ticks once per 40
 * instructions. The harness measures that ratio itself on a loop of known length rather than
 * trusting it. These are instruction counts, not cycles: QEMU models no pipeline or memory. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rephase.h"

extern void initialise_monitor_handles(void);
extern uint32_t stack_high_water(void);
extern void stack_repaint(void);
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

/* The stream a mel run builds its inverter in (rephase_stream_init checks that it suffices). */
static uint8_t stream[160 * 1024] __attribute__((aligned(REPHASE_STREAM_ALIGNMENT)));

/* Builds the stream of the configuration behind the mel stage of `bands` bands, with the
 * method's defaults (those of `rephase invert --mel BANDS`). */
static int open_mel_stream(int32_t method, int32_t format, int32_t bands) {
    rephase_settings settings;
    int32_t status = rephase_stream_defaults(method, format, &settings);
    settings.mel_bands = bands;
    int32_t size = status == REPHASE_OK ? rephase_stream_size(&settings) : status;
    if (size < 0 || size > (int32_t)sizeof stream) { printf("firmware: mel stream of %d bands: size %d\n", (int)bands, (int)size); return 1; }
    printf("firmware: mel stream of %d bands: %d bytes\n", (int)bands, (int)size);
    status = rephase_stream_init(stream, size, &settings);
    if (status != REPHASE_OK) { printf("firmware: rephase_stream_init: status %d\n", (int)status); return 1; }
    return 0;
}

/* Streams the frames of one configuration: through the fixed-point interface (mantissas.bin:
 * per frame the exponent and 257 mantissas; Int16 samples out), the Float one
 * (magnitudes.f32; Float32 samples out, or Int16 for Q15, whose Float samples are exact
 * multiples of 1/32768, as `rephase vectors` writes them), or with `mel_bands` > 0 the stream
 * interface's mel stage (mel.f32: mel_bands Float32 per frame; samples as the Float one's),
 * into fw-NAME.out. */
static int run(const char *name, int32_t method, int32_t format, int fixed_point, int32_t mel_bands, struct stats *s) {
    char output[96];
    snprintf(output, sizeof output, "fw-%s.out", name);
    FILE *in = fopen(fixed_point ? "mantissas.bin" : mel_bands ? "mel.f32" : "magnitudes.f32", "rb"), *out = fopen(output, "wb");
    if (!in || !out) { printf("firmware: cannot open the input of %s or %s\n", name, output); return 1; }
    int32_t status = REPHASE_OK;
    if (mel_bands) {
        if (open_mel_stream(method, format, mel_bands) != 0) return 1;
    } else if ((status = rephase_init(method, format)) != REPHASE_OK) {
        printf("firmware: rephase_init(%d, %d): status %d\n", (int)method, (int)format, (int)status);
        return 1;
    }
    static uint32_t mantissas[REPHASE_BINS];
    static float magnitudes[REPHASE_BINS], samples[REPHASE_HOP];
    static int16_t q15[REPHASE_HOP];
    int32_t exponent, values = mel_bands ? mel_bands : REPHASE_BINS;
    for (;;) {
        if (fixed_point) {
            if (fread(&exponent, 4, 1, in) != 1) break;
            if (fread(mantissas, 4, REPHASE_BINS, in) != REPHASE_BINS) { printf("firmware: truncated mantissas.bin\n"); return 1; }
        } else if (fread(magnitudes, 4, (size_t)values, in) != (size_t)values) break;
        uint32_t start = now();
        status = fixed_point ? rephase_process_q15(mantissas, exponent, q15)
            : mel_bands ? rephase_stream_process(stream, magnitudes, 1, samples) : rephase_process(magnitudes, samples);
        add(s, ticks_since(start));
        if (status != REPHASE_OK) { printf("firmware: %s: frame %u: status %d\n", name, (unsigned)s->frames, (int)status); return 1; }
        if (format == REPHASE_Q15 && !fixed_point)
            for (int i = 0; i < REPHASE_HOP; i++) q15[i] = (int16_t)(samples[i] * 32768.0f);
        size_t written = format == REPHASE_Q15 ? fwrite(q15, 2, REPHASE_HOP, out) : fwrite(samples, 4, REPHASE_HOP, out);
        if (written != REPHASE_HOP) return 1;
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

    /* configurations.txt: NAME METHOD FORMAT INTERFACE (q15: the fixed-point one; melB: mel
     * frames of B bands through the stream interface; else float). */
    FILE *list = fopen("configurations.txt", "r");
    if (!list) { printf("firmware: cannot open configurations.txt\n"); return 1; }
    char name[64], interface[16];
    int method, format;
    while (fscanf(list, "%63s %d %d %15s", name, &method, &format, interface) == 4) {
        struct stats s = {0};
        stack_repaint();
        int32_t mel_bands = strncmp(interface, "mel", 3) == 0 ? (int32_t)atoi(interface + 3) : 0;
        if (run(name, method, format, strcmp(interface, "q15") == 0, mel_bands, &s) != 0) { printf("firmware: FAILED (%s)\n", name); return 1; }
        printf("firmware: %s: %u frames, instructions per frame: mean %.0f, max %.0f; stack high-water %u bytes\n", name,
               (unsigned)s.frames, s.frames ? s.total / s.frames : 0.0, s.max, (unsigned)stack_high_water());
    }
    fclose(list);
    printf("firmware: Swift runtime trap calls (allocation, randomness): %u\n", (unsigned)swift_runtime_trap_calls);
    return swift_runtime_trap_calls == 0 ? 0 : 1;
}
