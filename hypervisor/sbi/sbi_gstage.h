/* hypervisor/sbi/sbi_gstage.h: the G-stage page table the built-in hypervisor builds for
 * its VS-mode guest (`-M virt,hv=on`), following Volume II 1.12, 8.5.1 "Guest Physical
 * Address Translation" (Sv39x4, Sv48x4). The table lives in a pool of machine memory that
 * the table itself does not map, so the guest cannot see or change it. */
#ifndef HVEMU_SBI_GSTAGE_H
#define HVEMU_SBI_GSTAGE_H

#include "cpu/common/base.h"
#include "cpu/riscv/rv_defs.h"

typedef struct SbiGStage {
    uint8_t *mem;   /* host view of the pool */
    uint64_t base;  /* machine-physical address of the pool; the root table comes first */
    uint64_t size;
    uint64_t used;  /* bytes of the pool handed out */
    unsigned mode;  /* HGATP_MODE_SV39X4 or HGATP_MODE_SV48X4 */
} SbiGStage;

/* The permissions of a mapping: PTE_R/PTE_W/PTE_X. */
#define SBI_GSTAGE_RAM (PTE_R | PTE_W | PTE_X)
#define SBI_GSTAGE_MMIO (PTE_R | PTE_W)

/* An empty table in [base, base + size): base aligned to 16 KiB, size at least the 16 KiB
 * root. False for a bad mode, alignment or size. */
bool sbi_gstage_init(SbiGStage *g, unsigned mode, uint8_t *mem, uint64_t base, uint64_t size);
/* Maps [gpa, gpa + size) to [pa, pa + size) (4 KiB granules) with the largest leaves both
 * addresses' alignment allows, up to 1 GiB. False if the pool runs out, the range is not
 * page-aligned, lies beyond the mode's GPA width, or overlaps an earlier mapping. */
bool sbi_gstage_map(SbiGStage *g, uint64_t gpa, uint64_t pa, uint64_t size, uint64_t perms);
/* The hgatp value that selects the table. */
uint64_t sbi_gstage_hgatp(const SbiGStage *g, unsigned vmid);

#endif
