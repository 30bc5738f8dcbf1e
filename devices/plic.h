/* devices/plic.h: RISC-V Platform-Level Interrupt Controller ("riscv,plic0",
 * "sifive,plic-1.0.0") as on the RISC-V virt board: level-triggered sources 1..ndev with
 * 3-bit priorities, two contexts per hart (M-mode, then S-mode), claim/complete gateways.
 * Register map from the RISC-V PLIC Specification v1.0.0, chapter "Memory Map". */
#ifndef HVEMU_PLIC_H
#define HVEMU_PLIC_H

#include "devices/bus.h"

#define PLIC_MAX_SOURCES 128 /* source ids 0..127; 0 means "no interrupt" */
#define PLIC_MAX_HARTS 64
#define PLIC_MAX_CONTEXTS (2 * PLIC_MAX_HARTS)
#define PLIC_WORDS (PLIC_MAX_SOURCES / 32)
#define PLIC_PRIORITY_MAX 7

typedef struct Plic {
    uint64_t base, size;
    unsigned ndev, nctx;
    uint32_t priority[PLIC_MAX_SOURCES];
    uint32_t level[PLIC_WORDS];   /* input wire levels */
    uint32_t pending[PLIC_WORDS]; /* IP bits of the PLIC core */
    uint32_t claimed[PLIC_WORDS]; /* claimed, completion not yet signalled */
    uint32_t enable[PLIC_MAX_CONTEXTS][PLIC_WORDS];
    uint32_t threshold[PLIC_MAX_CONTEXTS];
    IrqLine out[PLIC_MAX_CONTEXTS];
    bool out_level[PLIC_MAX_CONTEXTS];
} Plic;

/* Size of the register window for nctx contexts: 0x200000 + 0x1000 * nctx. */
uint64_t plic_region_size(unsigned nctx);
/* Sources 1..ndev (ndev <= 127); nharts harts (<= 64) give 2*nharts contexts: context
 * 2h is hart h's M-mode (wire to MEIP), 2h+1 its S-mode (wire to SEIP). ctx_out holds
 * 2*nharts lines. Maps the window at base. */
void plic_init(Plic *p, Bus *bus, uint64_t base, unsigned ndev, unsigned nharts,
               const IrqLine *ctx_out);
/* Drives input `src` (level-triggered). Out-of-range sources are ignored. */
void plic_set_irq(Plic *p, unsigned src, bool level);
/* An IrqLine for a device wired to input `src`. */
IrqLine plic_irq_line(Plic *p, unsigned src);
/* plic@base { compatible = "sifive,plic-1.0.0", "riscv,plic0"; reg; riscv,ndev;
 * interrupts-extended = <intc[h] 11 intc[h] 9 ...>; interrupt-controller;
 * #interrupt-cells = <1>; #address-cells = <0>; phandle }. hart_intc_phandles holds
 * the phandle of each hart's "riscv,cpu-intc" node. */
int plic_fdt(const Plic *p, void *fdt, uint32_t phandle, const uint32_t *hart_intc_phandles);

struct StateW;
struct StateR;
/* Snapshot state (cpu/common/state.h). */
void plic_save(const Plic *p, struct StateW *w);
void plic_load(Plic *p, struct StateR *r);

#endif
