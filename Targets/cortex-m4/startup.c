/* Startup for the Cortex-M4 firmware on QEMU mps2-an386: the vector table, the reset handler
 * (copy .data, zero .bss, enable the FPU, paint the stack, call main) and a semihosting exit
 * that carries success or failure back to QEMU's exit status. */
#include <stdint.h>
/* The product image (REPHASE_PRODUCT_IMAGE, product.c) has no stdio: a fault there stops. */
#ifndef REPHASE_PRODUCT_IMAGE
#include <stdio.h>
#endif

extern uint32_t _data_load, _data_start, _data_end, _bss_start, _bss_end, _stack_bottom, _stack_top;
extern int main(void);
void semihosting_exit(int status) __attribute__((noreturn));

/* The pattern the unused stack holds (stack_high_water counts the words that lost it). */
#define STACK_PAINT 0xA5A5A5A5u

void Reset_Handler(void) __attribute__((noreturn));
void stack_repaint(void);
void Default_Handler(void) __attribute__((noreturn));

__attribute__((section(".vectors"), used))
const void *vector_table[16] = {
    &_stack_top, Reset_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler,
    Default_Handler, 0, 0, 0, 0, Default_Handler, Default_Handler, 0, Default_Handler, Default_Handler,
};

void Reset_Handler(void) {
    for (uint32_t *s = &_data_load, *d = &_data_start; d < &_data_end;) *d++ = *s++;
    for (uint32_t *d = &_bss_start; d < &_bss_end;) *d++ = 0;
    /* CPACR: full access to coprocessors 10 and 11 (the FPU) before any float instruction. */
    *(volatile uint32_t *)0xE000ED88 |= 0xFu << 20;
    __asm volatile("dsb\n isb");
    stack_repaint();
    int status = main();
#ifndef REPHASE_PRODUCT_IMAGE
    fflush(stdout);
#endif
    semihosting_exit(status);
}

/* Bytes of stack ever used: from the top down to the lowest word that lost the paint. */
uint32_t stack_high_water(void) {
    uint32_t *p = &_stack_bottom;
    while (p < &_stack_top && *p == STACK_PAINT) p++;
    return (uint32_t)((char *)&_stack_top - (char *)p);
}

/* Paints the stack below the caller's frame (64 bytes of margin): at reset, and again before
 * each measured run, so that the next stack_high_water counts only what runs after the call. */
void stack_repaint(void) {
    uint32_t *sp;
    __asm volatile("mov %0, sp" : "=r"(sp));
    for (uint32_t *p = &_stack_bottom; p < sp - 16;) *p++ = STACK_PAINT;
}

/* Semihosting SYS_EXIT (0x18). On AArch32 only the reason code reaches QEMU: "application
 * exit" (0x20026) ends QEMU with status 0, any other reason with status 1. */
void semihosting_exit(int status) {
    register uint32_t r0 __asm("r0") = 0x18;
    register uint32_t r1 __asm("r1") = status == 0 ? 0x20026 : 0x20023;
    __asm volatile("bkpt 0xab" : : "r"(r0), "r"(r1) : "memory");
    for (;;) {}
}

/* Faults and unexpected interrupts: report where (the exception frame the core stacked on the
 * main stack: r0-r3, r12, lr, pc, xPSR) and end the run with a failure. */
__attribute__((naked)) void Default_Handler(void) { __asm volatile("mrs r0, msp\n b fault_report"); }

__attribute__((noreturn, used)) void fault_report(const uint32_t *frame) {
    uint32_t cfsr = *(volatile uint32_t *)0xE000ED28, hfsr = *(volatile uint32_t *)0xE000ED2C;
#ifndef REPHASE_PRODUCT_IMAGE
    printf("firmware: FAULT: pc 0x%08lx, lr 0x%08lx, CFSR 0x%08lx, HFSR 0x%08lx\n",
           (unsigned long)frame[6], (unsigned long)frame[5], (unsigned long)cfsr, (unsigned long)hfsr);
    fflush(stdout);
#else
    (void)frame;
    (void)cfsr;
    (void)hfsr;
#endif
    semihosting_exit(3);
}
