/* The core allocates nothing and draws no random numbers. The Embedded Swift runtime still
 * references posix_memalign (its only way to the heap) and arc4random_buf (hash seeds), so the
 * firmware defines both here to fail loudly: a call prints and ends the run with a failure. The
 * harness also reports the call counts (0 and 0), which is the proof run-tests checks.
 * newlib's own stdio buffers use malloc, not these. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

void semihosting_exit(int status) __attribute__((noreturn));
uint32_t swift_runtime_trap_calls = 0;

int posix_memalign(void **pointer, size_t alignment, size_t size) {
    (void)pointer;
    swift_runtime_trap_calls++;
    printf("firmware: FAILED: the Swift runtime asked for %u bytes (alignment %u): the core must not allocate\n",
           (unsigned)size, (unsigned)alignment);
    fflush(stdout);
    semihosting_exit(2);
}

void arc4random_buf(void *buffer, size_t size) {
    (void)buffer;
    swift_runtime_trap_calls++;
    printf("firmware: FAILED: the Swift runtime asked for %u random bytes: the core must not use randomness\n", (unsigned)size);
    fflush(stdout);
    semihosting_exit(2);
}
