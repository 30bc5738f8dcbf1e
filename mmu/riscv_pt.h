/* mmu/riscv_pt.h: RISC-V page-table walks (Volume II, 4.3.2 "Virtual Address Translation
 * Process", 4.4 Sv39, 4.5 Sv48, 4.6 Sv57). The walker knows nothing of harts or devices:
 * it reads and updates PTEs through the PtMem callbacks the caller provides, so unit tests
 * can hand it a byte array. */
#ifndef HVEMU_RISCV_PT_H
#define HVEMU_RISCV_PT_H

#include "cpu/common/base.h"

typedef enum RvPtAccess { RV_PT_READ, RV_PT_WRITE, RV_PT_EXEC } RvPtAccess;

typedef enum RvPtResult {
    RV_PT_OK,
    RV_PT_PAGE_FAULT,
    RV_PT_ACCESS_FAULT,   /* a PTE lies outside memory */
} RvPtResult;

typedef struct PtMem {
    /* Host pointer to the 8-byte PTE at physical address pa, or NULL. */
    uint8_t *(*pte_ptr)(void *opaque, uint64_t pa);
    /* Called after the walker updated a PTE (A/D bits). */
    void (*pte_written)(void *opaque, uint64_t pa);
    void *opaque;
} PtMem;

typedef struct RvXlate {
    RvPtAccess access;
    bool user;        /* effective privilege is U */
    bool sum;         /* S-mode may read/write U pages */
    bool mxr;         /* loads from executable pages */
} RvXlate;

typedef struct RvPtWalk {
    uint64_t pa;
    unsigned level;       /* 0 for a 4 KiB leaf */
    uint64_t pte;
    uint64_t pte_addr;
} RvPtWalk;

/* satp: the register value (MODE, ASID, PPN). Mode Bare gives pa = va. */
RvPtResult rv_pt_walk(const PtMem *mem, uint64_t satp, uint64_t va, const RvXlate *x,
                      RvPtWalk *out);

#endif
