/* mmu/riscv_pt.h: RISC-V page-table walks (Volume II, 4.3.2 "Virtual Address Translation
 * Process", 4.4 Sv39, 4.5 Sv48, 4.6 Sv57) and the two-stage translation of the hypervisor
 * extension (Volume II 1.12, 8.5 "Two-Stage Address Translation", 8.5.1 "Guest Physical
 * Address Translation": Sv39x4, Sv48x4, Sv57x4). The walker knows nothing of harts or
 * devices: it reads and updates PTEs through the PtMem callbacks the caller provides, so unit
 * tests can hand it a byte array. */
#ifndef HVEMU_RISCV_PT_H
#define HVEMU_RISCV_PT_H

#include "cpu/common/base.h"

typedef enum RvPtAccess { RV_PT_READ, RV_PT_WRITE, RV_PT_EXEC } RvPtAccess;

typedef enum RvPtResult {
    RV_PT_OK,
    RV_PT_PAGE_FAULT,       /* single-stage or VS-stage: cause 12/13/15 */
    RV_PT_ACCESS_FAULT,     /* a PTE lies outside memory: cause 1/5/7 */
    RV_PT_GUEST_PAGE_FAULT, /* G-stage: cause 20/21/23 */
} RvPtResult;

/* A step of a walk, reported to PtMem.trace for `-d mmu` (rv_pt_step_format words it). */
typedef enum RvPtStepKind {
    RV_PT_STEP_START, /* a walk begins: space, levels, root, va (the address walked), access */
    RV_PT_STEP_PTE,   /* level, addr (the PTE's address in the space walked), spa (where it
                         is in memory), pte, why: what the PTE is, or why it faults */
    RV_PT_STEP_AD,    /* A/D set: addr, spa, pte = the value stored */
    RV_PT_STEP_LEAF,  /* the walk's result: level, va -> pa */
    RV_PT_STEP_FAULT, /* the exception the access takes: cause, pa = the faulting GPA, why */
} RvPtStepKind;

/* The translation a step belongs to: satp alone, or the two stages of a V=1 access. */
typedef enum RvPtSpace { RV_PT_SPACE_S, RV_PT_SPACE_VS, RV_PT_SPACE_G } RvPtSpace;

typedef struct RvPtStep {
    RvPtStepKind kind;
    RvPtSpace space;
    unsigned depth;  /* 1 for the G-stage walk of a VS-stage PTE address */
    unsigned levels, level, cause;
    unsigned access; /* RvPtAccess */
    bool implicit;   /* a VS-stage PTE access at the G-stage */
    uint64_t va, root, addr, spa, pte, pa;
    const char *why;
} RvPtStep;

typedef struct PtMem {
    /* Host pointer to the 8-byte PTE at physical address pa, or NULL. */
    uint8_t *(*pte_ptr)(void *opaque, uint64_t pa);
    /* Called after the walker updated a PTE (A/D bits). */
    void (*pte_written)(void *opaque, uint64_t pa);
    void *opaque;
    /* -d mmu: each step of each walk; NULL when not logging. */
    void (*trace)(void *opaque, const RvPtStep *step);
    void *trace_opaque;
} PtMem;

/* A single-stage or VS-stage translation. For rv_pt_vs_walk: user is "the effective
 * privilege is VU" (or HLV/HSV with hstatus.SPVP=0), sum is vsstatus.SUM, mxr is
 * sstatus.MXR (the HS-level bit, which applies to both stages) and mxr_vs is vsstatus.MXR
 * (VS-stage only). For rv_pt_walk, mxr_vs is ignored. */
typedef struct RvXlate {
    RvPtAccess access;
    bool user;   /* effective privilege is U (VU) */
    bool sum;    /* S-mode (VS-mode) may read/write U pages */
    bool mxr;    /* loads from executable pages: mstatus/sstatus.MXR */
    bool mxr_vs; /* vsstatus.MXR: loads from executable pages, VS-stage only */
    bool hlvx;   /* HLVX: with access RV_PT_READ, X permission replaces R (MXR moot) */
} RvXlate;

/* A G-stage translation. All G-stage accesses are user-level: leaves need U=1. With
 * implicit, this translates the GPA of a VS-stage PTE: access is RV_PT_READ to read it,
 * RV_PT_WRITE to write its A/D bits; mxr and hlvx do not apply. */
typedef struct RvGXlate {
    RvPtAccess access;
    bool mxr;      /* sstatus.MXR (HS level); vsstatus.MXR does not reach the G-stage */
    bool hlvx;     /* HLVX: X permission replaces R */
    bool implicit; /* the access is a VS-stage page-table access */
} RvGXlate;

typedef struct RvPtWalk {
    uint64_t pa;
    unsigned level; /* 0 for a 4 KiB leaf */
    uint64_t pte;
    uint64_t pte_addr; /* physical (for the VS-stage: guest-physical) address of the leaf */
} RvPtWalk;

/* htinst/mtinst pseudoinstructions for a guest-page fault on an implicit VS-stage PTE access
 * (8.6.3 "Transformed Instruction or Pseudoinstruction for mtinst or htinst"). */
#define RV_HTINST_PTE_READ32 0x00002000u
#define RV_HTINST_PTE_WRITE32 0x00002020u
#define RV_HTINST_PTE_READ64 0x00003000u
#define RV_HTINST_PTE_WRITE64 0x00003020u

typedef enum RvPtStage { RV_PT_STAGE_VS, RV_PT_STAGE_G } RvPtStage;

/* The outcome of a two-stage translation. On RV_PT_OK: pa, gpa (the final GPA), vs (its
 * pa is the GPA; level 0 and pte 0 when vsatp is Bare), g (the G-stage leaf of the final
 * GPA) and page_shift: the mapping a TLB may cache is the smaller of the two leaves, where a
 * Bare stage does not limit it (12 when both are Bare). On a fault: stage says which stage
 * faulted (RV_PT_STAGE_G for every RV_PT_GUEST_PAGE_FAULT, and for an RV_PT_ACCESS_FAULT on a
 * G-stage PTE); implicit says the fault was on a VS-stage PTE access (implicit_write: on
 * the write of its A/D bits); gpa is the guest-physical address that faulted (the VS-stage
 * PTE address when implicit, else the final GPA); htval is gpa >> 2 for a guest-page fault,
 * else 0; htinst is the pseudoinstruction for a guest-page fault on an implicit access, else
 * 0 (for a fault on the explicit access the caller may write a transformed instruction
 * instead). Whatever faulted, the cause is rv_pt_cause(result, x->access), reported for
 * the original access, and tval = va. */
typedef struct RvPtTwoStage {
    uint64_t pa;
    uint64_t gpa;
    RvPtWalk vs; /* VS-stage leaf; pte_addr is a GPA */
    RvPtWalk g;  /* G-stage leaf of the final GPA */
    unsigned page_shift;
    RvPtStage stage;     /* the stage that faulted */
    bool implicit;       /* the fault was on a VS-stage PTE access */
    bool implicit_write; /* ... on the A/D write of a VS-stage PTE */
    uint64_t htval;
    uint32_t htinst;
} RvPtTwoStage;

/* satp: the register value (MODE, ASID, PPN). Mode Bare gives pa = va. */
RvPtResult rv_pt_walk(const PtMem *mem, uint64_t satp, uint64_t va, const RvXlate *x,
                      RvPtWalk *out);

/* hgatp: the register value (MODE, VMID, PPN). Mode Bare gives pa = gpa. Returns RV_PT_OK,
 * RV_PT_GUEST_PAGE_FAULT (also for a GPA wider than 41/50/59 bits) or RV_PT_ACCESS_FAULT. */
RvPtResult rv_pt_gstage_walk(const PtMem *mem, uint64_t hgatp, uint64_t gpa, const RvGXlate *x,
                             RvPtWalk *out);

/* The VS-stage walk under vsatp, each VS-stage PTE address translated through the G-stage
 * under hgatp, then the final GPA through the G-stage. vsatp Bare: the VA is the GPA. */
RvPtResult rv_pt_vs_walk(const PtMem *mem, uint64_t vsatp, uint64_t hgatp, uint64_t va,
                         const RvXlate *x, RvPtTwoStage *out);

/* Writes one step as a line of text (no newline); returns what snprintf does. */
int rv_pt_step_format(const RvPtStep *s, char *buf, size_t len);

/* The exception code for a walk result and the original access: 12/13/15 for a page fault,
 * 1/5/7 for an access fault, 20/21/23 for a guest-page fault; 0 for RV_PT_OK. */
unsigned rv_pt_cause(RvPtResult r, RvPtAccess access);

#endif
