/* tests/guest/riscv/straddle.c: a 32-bit instruction whose halves lie on two pages
 * (Volume I, 1.5: instructions are 16-bit aligned, so with C a 32-bit instruction may
 * cross a page). It must execute, run again from hvemu's block cache, and change
 * behaviour when either half is rewritten (followed by FENCE.I, 3.2). */
#include "guest_riscv.h"

static uint8_t code[3 * 4096] __attribute__((aligned(4096)));

typedef long (*Fn)(long);

/* addi a0, a0, imm at offset 0x1ffe (halves on two pages), then c.jr ra. */
static void put_addi(int imm)
{
    uint32_t word = 0x00050513u | ((uint32_t)imm << 20);
    volatile uint16_t *p = (volatile uint16_t *)(code + 0x1ffe);
    p[0] = (uint16_t)word;
    p[1] = (uint16_t)(word >> 16);
    *(volatile uint16_t *)(code + 0x2002) = 0x8082;
    fence_i();
}

static void set_high_half(int imm)
{
    uint32_t word = 0x00050513u | ((uint32_t)imm << 20);
    *(volatile uint16_t *)(code + 0x2000) = (uint16_t)(word >> 16);
    fence_i();
}

int main(void)
{
    Fn f = (Fn)(uintptr_t)(code + 0x1ffe);
    put_addi(1);
    report(f(41) == 42, "the straddling addi runs (41 + 1)");
    long sum = 0;
    for (int k = 0; k < 1000; k++)
        sum += f(k);
    report(sum == 1000 * 999 / 2 + 1000, "and runs again from the block cache (%ld)", sum);
    set_high_half(5);
    report(f(41) == 46, "a store to the second page's half takes effect (%ld)", f(41));
    put_addi(-3);
    report(f(41) == 38, "a store to both halves takes effect (%ld)", f(41));
    report_exit();
}
