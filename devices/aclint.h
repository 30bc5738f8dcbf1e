/* devices/aclint.h: RISC-V ACLINT in the SiFive CLINT layout of the virt board: one
 * 64 KiB region with the MSWI device (msip per hart) at +0x0 and the MTIMER device
 * (mtimecmp per hart, mtime at +0x7ff8) at +0x4000, plus an optional separate SSWI
 * region (setssip per hart). Follows the RISC-V ACLINT Specification v1.0, chapters
 * "Machine-level Timer Device (MTIMER)", "Machine-level Software Interrupt Device
 * (MSWI)" and "Supervisor-level Software Interrupt Device (SSWI)". mtime counts at
 * 10 MHz of virtual time. */
#ifndef HVEMU_ACLINT_H
#define HVEMU_ACLINT_H

#include "devices/bus.h"

#define ACLINT_MAX_HARTS 64
#define ACLINT_CLINT_SIZE 0x10000
#define ACLINT_MSWI_OFFSET 0x0
#define ACLINT_MTIMER_OFFSET 0x4000
#define ACLINT_SSWI_SIZE 0x4000
#define ACLINT_TIMEBASE_HZ 10000000

typedef struct Aclint Aclint;

typedef struct AclintHart {
    Aclint *aclint;
    unsigned hart;
    VTimer timer;
    uint64_t mtimecmp;
    bool mtip, msip;
    IrqLine mtip_out, msip_out, ssip_out;
} AclintHart;

struct Aclint {
    VClock *clock;
    uint64_t base, sswi_base;
    bool has_sswi;
    unsigned nharts;
    uint64_t ns_per_tick;
    uint64_t mtime_offset; /* mtime = vclock_now / ns_per_tick + mtime_offset (mod 2^64) */
    AclintHart harts[ACLINT_MAX_HARTS];
};

/* Maps the CLINT window (MSWI + MTIMER, 0x10000 bytes) at base. ns_per_tick is 100 for
 * the virt board's 10 MHz timebase. msip and mtip hold nharts lines each, wired to the
 * harts' MSIP and MTIP. mtimecmp starts at UINT64_MAX (no timer interrupt). The struct
 * must not move afterwards (its timers point into it). */
void aclint_init(Aclint *a, Bus *bus, uint64_t base, VClock *clock, uint64_t ns_per_tick,
                 unsigned nharts, const IrqLine *msip, const IrqLine *mtip);
/* Optionally maps the SSWI window (0x4000 bytes) at base. A write of 1 to a hart's
 * setssip calls ssip[hart] with level true: the machine sets that hart's mip.SSIP, which
 * software clears through sip (the line is an edge, never lowered by the device). */
void aclint_map_sswi(Aclint *a, Bus *bus, uint64_t base, const IrqLine *ssip);

/* For the built-in SBI, which plays M-mode when there is no firmware. */
uint64_t aclint_get_mtime(const Aclint *a);
void aclint_set_mtime(Aclint *a, uint64_t value);
uint64_t aclint_get_mtimecmp(const Aclint *a, unsigned hart);
void aclint_set_mtimecmp(Aclint *a, unsigned hart, uint64_t value);
void aclint_set_msip(Aclint *a, unsigned hart, bool level);

/* clint@base { compatible = "sifive,clint0", "riscv,clint0"; reg;
 * interrupts-extended = <intc[h] 3 intc[h] 7 ...> }. */
int aclint_fdt(const Aclint *a, void *fdt, const uint32_t *hart_intc_phandles);
/* sswi@base { compatible = "riscv,aclint-sswi"; reg; interrupt-controller;
 * #interrupt-cells = <0>; interrupts-extended = <intc[h] 1 ...> }. */
int aclint_sswi_fdt(const Aclint *a, void *fdt, const uint32_t *hart_intc_phandles);

struct StateW;
struct StateR;
/* Snapshot state (cpu/common/state.h). */
void aclint_save(const Aclint *a, struct StateW *w);
void aclint_load(Aclint *a, struct StateR *r);

#endif
