/* The main of the one-configuration product image (Targets/cortex-m4/build --config NAME):
 * what a board's firmware around the core amounts to, with no I/O of its own, so that the
 * image's flash and RAM are the core's configuration plus startup code and nothing the test
 * harness needs (stdio, semihosting files). It streams frames through the configuration the
 * image was built for (REPHASE_PRODUCT_METHOD, REPHASE_PRODUCT_FORMAT) for ever; on a board,
 * the frames would come from a codec or a radio. */
#include <stddef.h>
#include <stdint.h>

#include "rephase.h"

/* The Swift runtime's allocation and randomness hooks: the core never calls them (the test
 * firmware proves it, runtime_traps.c); here they only need to exist, and stop if ever called. */
int posix_memalign(void **pointer, size_t alignment, size_t size) {
    (void)pointer;
    (void)alignment;
    (void)size;
    for (;;) {}
}

void arc4random_buf(void *buffer, size_t size) {
    (void)buffer;
    (void)size;
    for (;;) {}
}

void free(void *pointer) { (void)pointer; }

/* The Swift object is compiled with stack protection; a smashed stack stops here (newlib's
 * version would pull in signals and stdio). */
uintptr_t __stack_chk_guard = 0x2EBA7C1Eu;
void __stack_chk_fail(void) {
    for (;;) {}
}

static volatile float magnitudes[REPHASE_BINS];
static float frame[REPHASE_BINS], samples[REPHASE_HOP];
volatile float sink;

int main(void) {
    if (rephase_init(REPHASE_PRODUCT_METHOD, REPHASE_PRODUCT_FORMAT) != REPHASE_OK) return 1;
    for (;;) {
        for (int k = 0; k < REPHASE_BINS; k++) frame[k] = magnitudes[k];
        if (rephase_process(frame, samples) != REPHASE_OK) return 1;
        sink = samples[0];
    }
}
