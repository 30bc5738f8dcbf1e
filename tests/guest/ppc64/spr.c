/* tests/guest/ppc64/spr.c: SPRs a PAPR partition reads back (Power ISA v3.0B Book III-S
 * chapter 4 and 6): PVR matches the model in the device tree, PIR is the CPU number, the
 * time base runs at the advertised frequency, DEC counts down and raises the Decrementer
 * interrupt when it goes negative with MSR[EE] = 1, SPRGs and the OS-writable registers
 * hold what was written (the storage-key registers too: the hypervisor gives the
 * partition a full AMOR), PURR and SPURR count, and hypervisor-only SPRs are not
 * reachable (exceptions.c checks the interrupts). */
#include "guest_ppc64.h"

static volatile unsigned decrementer_hits;

static void on_dec(struct trap_frame *f)
{
    decrementer_hits++;
    mtspr(22, 0x7fffffff); /* DEC: far away, so the interrupt stops */
}

int main(void)
{
    uint32_t pvr_dt = 0;
    const void *cpu = fdt_getprop(guest_fdt, "/cpus/PowerPC,POWER8@0", "cpu-version", NULL);
    if (!cpu)
        cpu = fdt_getprop(guest_fdt, "/cpus/PowerPC,POWER9@0", "cpu-version", NULL);
    if (cpu)
        pvr_dt = fdt_be32(cpu);
    uint64_t pvr = mfspr(287);
    report(pvr == 0x004d0200 || pvr == 0x004e1200, "PVR 0x%08llx is POWER8 or POWER9",
           (unsigned long long)pvr);
    report(pvr_dt == pvr, "PVR equals the device tree's cpu-version 0x%08x", pvr_dt);
    report(mfspr(1023) == 0, "PIR of the boot CPU is 0");

    for (unsigned n = 0; n < 4; n++) {
        uint64_t v = 0x1111111111111111ULL * (n + 1);
        switch (n) {
        case 0: mtspr(272, v); report(mfspr(272) == v, "SPRG0 holds its value"); break;
        case 1: mtspr(273, v); report(mfspr(273) == v, "SPRG1 holds its value"); break;
        case 2: mtspr(274, v); break;
        case 3: mtspr(275, v); report(mfspr(275) == v && mfspr(259) == v, "SPRG3 reads back through 259"); break;
        }
    }
    extern char __irq_stack_top[];
    mtspr(274, (uint64_t)__irq_stack_top); /* SPRG2 is the runtime's interrupt stack */

    mtspr(256, 0xfff);
    report(mfspr(256) == 0xfff, "VRSAVE holds its value");
    mtspr(3, 0x1f);
    report((mfspr(3) & 0x1f) == 0x1f, "DSCR holds its value");
    mtspr(896, 0x0008000000000000ULL);
    report(mfspr(896) == 0x0008000000000000ULL, "PPR holds its value");
    mtspr(9, 0x1234);
    report(mfspr(9) == 0x1234, "CTR through mtspr 9");

    uint32_t tbfreq = 0;
    if (!fdt_getprop_u32(guest_fdt, "/cpus/PowerPC,POWER8@0", "timebase-frequency", &tbfreq))
        fdt_getprop_u32(guest_fdt, "/cpus/PowerPC,POWER9@0", "timebase-frequency", &tbfreq);
    report(tbfreq == 512000000, "timebase-frequency is 512 MHz");
    uint64_t t0 = mftb();
    for (volatile int k = 0; k < 100000; k++)
        ;
    uint64_t t1 = mftb();
    report(t1 > t0, "the time base advances (%llu ticks over a loop)",
           (unsigned long long)(t1 - t0));

    uint64_t p0 = mfspr(309), s0 = mfspr(308);
    for (volatile int k = 0; k < 10000; k++)
        ;
    report(mfspr(309) > p0 && mfspr(308) > s0, "PURR and SPURR advance");
    uint64_t tb = mftb(), tbu = mfspr(269);
    report(tbu == tb >> 32 || tbu == (tb >> 32) + 1, "TBU is the upper half of TB");

    /* The partition owns every storage key: AMOR is full, so AMR, IAMR, UAMOR take any
     * value (keys 30 and 31 here, which no mapping uses). */
    mtspr(13, 0xfULL);
    mtspr(61, 0x5ULL);
    mtspr(157, 0xf0ULL);
    report(mfspr(13) == 0xf && mfspr(61) == 0x5 && mfspr(157) == 0xf0,
           "AMR, IAMR and UAMOR hold what the partition writes");
    mtspr(13, 0);
    mtspr(61, 0);
    mtspr(157, 0);

    /* DEC counts down. */
    mtspr(22, 0x7fffffff);
    uint64_t d0 = mfspr(22);
    for (volatile int k = 0; k < 10000; k++)
        ;
    uint64_t d1 = mfspr(22);
    report(d1 < d0 && d0 <= 0x7fffffff, "DEC counts down (%llx -> %llx)", (unsigned long long)d0,
           (unsigned long long)d1);

    /* The decrementer interrupt. */
    set_trap_handler(VEC_DECREMENTER, on_dec);
    mtspr(22, 1000);
    mtmsrd(mfmsr() | MSR_EE);
    uint64_t start = mftb();
    while (!decrementer_hits && mftb() - start < 512000000ULL)
        ;
    mtmsrd(mfmsr() & ~MSR_EE);
    report(decrementer_hits == 1, "one decrementer interrupt with EE = 1 (%u)", decrementer_hits);

    /* With EE = 0 a negative DEC stays pending and nothing is delivered. */
    mtspr(22, 10);
    for (volatile int k = 0; k < 10000; k++)
        ;
    report(decrementer_hits == 1 && (int32_t)mfspr(22) < 0, "no interrupt with EE = 0, DEC negative");
    mtmsrd(mfmsr() | MSR_EE);
    __asm__ volatile("nop; nop" ::: "memory");
    mtmsrd(mfmsr() & ~MSR_EE);
    report(decrementer_hits == 2, "the pending decrementer is taken once EE = 1");
    return 0;
}
