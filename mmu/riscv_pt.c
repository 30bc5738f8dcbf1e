/* mmu/riscv_pt.c: the RISC-V virtual-address translation process (Volume II, 4.3.2), for
 * Sv39, Sv48 and Sv57, and the two-stage translation of the hypervisor extension (Volume II
 * 1.12, 8.5 "Two-Stage Address Translation", 8.5.1 "Guest Physical Address Translation").
 * One walk serves all three uses: a single-stage walk under satp, a G-stage walk under hgatp
 * (Sv39x4, Sv48x4, Sv57x4: a 16 KiB root indexed by two extra GPA bits, every access taken
 * as U-mode, faults reported as guest-page faults) and a VS-stage walk under vsatp whose PTE
 * addresses are guest-physical and reach memory through the G-stage as implicit loads and
 * stores. One leaf check serves both stages. A and D are updated by the walker (the Svadu
 * behaviour the "hardware updating of A/D bits" option of 4.3.1 describes), at both stages.
 * Svpbmt and Svnapot are not implemented, so PTEs with those bits set fault as reserved
 * encodings. */
#include "mmu/riscv_pt.h"

#include "cpu/riscv/rv_defs.h"

/* hgatp has satp's layout (MODE 63:60, VMID 57:44 where satp has ASID, PPN 43:0), so the
 * SATP_ field macros serve both. */

static unsigned levels_for_mode(unsigned mode)
{
    switch (mode) {
    case SATP_MODE_SV39: return 3;
    case SATP_MODE_SV48: return 4;
    case SATP_MODE_SV57: return 5;
    default: return 0;
    }
}

/* What step 5 of 4.3.2 checks a leaf against, for either stage. */
typedef struct PteCheck {
    RvPtAccess access;
    bool user; /* the access is U-mode: always so at the G-stage (8.5.1) */
    bool sum;
    bool mxr;  /* the MXR that applies at this stage */
    bool hlvx; /* X takes the place of R */
} PteCheck;

/* Step 5 of 4.3.2: is the leaf PTE's permission enough for this access? */
static bool leaf_allows(uint64_t pte, const PteCheck *c)
{
    if (c->user ? !(pte & PTE_U) : ((pte & PTE_U) && (c->access == RV_PT_EXEC || !c->sum)))
        return false;
    switch (c->access) {
    case RV_PT_READ:
        if (c->hlvx)
            return (pte & PTE_X) != 0;
        return (pte & PTE_R) || (c->mxr && (pte & PTE_X));
    case RV_PT_WRITE: return (pte & PTE_W) != 0;
    default: return (pte & PTE_X) != 0;
    }
}

/* One walk of 4.3.2. For the VS-stage (gstage_for_ptes), the table addresses are
 * guest-physical and each PTE access is first translated under hgatp (8.5). */
typedef struct Walk {
    const PtMem *mem;
    uint64_t root; /* address of the root table */
    unsigned levels;
    unsigned root_bits; /* index bits at the root: 9, or 11 at the G-stage */
    PteCheck check;
    RvPtResult fault; /* what a bad PTE raises: page or guest-page fault */
    bool gstage_for_ptes;
    uint64_t hgatp;
    /* Out, for a fault on a PTE access made through the G-stage. */
    uint64_t fault_gpa;
    bool fault_implicit; /* the G-stage translation of a PTE address failed */
    bool fault_write;    /* ... for the A/D write */
} Walk;

/* Steps 2 and 7 at the VS-stage: the supervisor physical address of the PTE at
 * guest-physical addr, by a G-stage translation for an implicit load or store (8.5.1). */
static RvPtResult pte_spa(Walk *w, uint64_t addr, bool write, uint64_t *spa)
{
    *spa = addr;
    if (!w->gstage_for_ptes)
        return RV_PT_OK;
    RvGXlate gx = { .access = write ? RV_PT_WRITE : RV_PT_READ, .implicit = true };
    RvPtWalk g;
    RvPtResult r = rv_pt_gstage_walk(w->mem, w->hgatp, addr, &gx, &g);
    if (r != RV_PT_OK) {
        w->fault_gpa = addr;
        w->fault_implicit = true;
        w->fault_write = write;
        return r;
    }
    *spa = g.pa;
    return RV_PT_OK;
}

static RvPtResult walk(Walk *w, uint64_t va, RvPtWalk *out)
{
    /* 1. a = root, i = LEVELS - 1 */
    uint64_t a = w->root;
    for (int i = (int)w->levels - 1; i >= 0; i--) {
        /* 2. pte = mem[a + va.vpn[i] * PTESIZE]; the root index may be wider */
        unsigned bits = i == (int)w->levels - 1 ? w->root_bits : 9;
        uint64_t vpn = (va >> (12 + 9 * i)) & ((1ULL << bits) - 1);
        uint64_t pte_addr = a + vpn * 8;
        uint64_t spa;
        RvPtResult r = pte_spa(w, pte_addr, false, &spa);
        if (r != RV_PT_OK)
            return r;
        uint8_t *p = w->mem->pte_ptr(w->mem->opaque, spa);
        if (!p) {
            w->fault_gpa = pte_addr;
            return RV_PT_ACCESS_FAULT;
        }
        uint64_t pte = ld_le(p, 8);
        /* 3. invalid, reserved W-without-R, or reserved high bits */
        if (!(pte & PTE_V) || (!(pte & PTE_R) && (pte & PTE_W)) ||
            (pte & (PTE_RESERVED_MASK | PTE_PBMT_MASK | PTE_N)))
            return w->fault;
        /* 4. a pointer to the next level */
        if (!(pte & (PTE_R | PTE_X))) {
            if (pte & (PTE_A | PTE_D | PTE_U))
                return w->fault;
            a = ((pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT) << 12;
            continue;
        }
        /* 5. leaf: permission check */
        if (!leaf_allows(pte, &w->check))
            return w->fault;
        /* 6. misaligned superpage */
        uint64_t ppn = (pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT;
        if (i > 0 && (ppn & ((1ULL << (9 * i)) - 1)))
            return w->fault;
        /* 7. A/D update; at the VS-stage the write is an implicit store through the
         * G-stage (8.5.1), whose own A and D it may set */
        uint64_t want = PTE_A | (w->check.access == RV_PT_WRITE ? PTE_D : 0);
        if ((pte & want) != want) {
            /* The store's translation cannot move the PTE: only A/D bits changed. */
            r = pte_spa(w, pte_addr, true, &spa);
            if (r != RV_PT_OK)
                return r;
            pte |= want;
            st_le(p, 8, pte);
            if (w->mem->pte_written)
                w->mem->pte_written(w->mem->opaque, spa);
        }
        /* 8. the translated address: superpages take low VPNs from va */
        uint64_t off_mask = (1ULL << (12 + 9 * i)) - 1;
        *out = (RvPtWalk){ .pa = ((ppn << 12) & ~off_mask) | (va & off_mask),
                           .level = (unsigned)i,
                           .pte = pte,
                           .pte_addr = pte_addr };
        return RV_PT_OK;
    }
    return w->fault;
}

RvPtResult rv_pt_walk(const PtMem *mem, uint64_t satp, uint64_t va, const RvXlate *x, RvPtWalk *out)
{
    unsigned levels = levels_for_mode(satp >> SATP_MODE_SHIFT);
    if (!levels) {
        *out = (RvPtWalk){ .pa = va };
        return RV_PT_OK;
    }
    /* The virtual address must be sign-extended from its top bit. */
    if ((uint64_t)sext64(va, 12 + 9 * levels) != va)
        return RV_PT_PAGE_FAULT;
    Walk w = {
        .mem = mem,
        .root = (satp & SATP_PPN_MASK) << 12,
        .levels = levels,
        .root_bits = 9,
        .check = { .access = x->access,
                   .user = x->user,
                   .sum = x->sum,
                   .mxr = x->mxr,
                   .hlvx = x->hlvx },
        .fault = RV_PT_PAGE_FAULT,
    };
    return walk(&w, va, out);
}

RvPtResult rv_pt_gstage_walk(const PtMem *mem, uint64_t hgatp, uint64_t gpa, const RvGXlate *x,
                             RvPtWalk *out)
{
    unsigned levels = levels_for_mode(hgatp >> SATP_MODE_SHIFT);
    if (!levels) {
        *out = (RvPtWalk){ .pa = gpa };
        return RV_PT_OK;
    }
    /* 8.5.1: the GPA is 2 bits wider than the Sv39/48/57 VA and its upper bits must be
     * zero. */
    if (gpa >> (12 + 9 * levels + 2))
        return RV_PT_GUEST_PAGE_FAULT;
    /* The root is 16 KiB and 16 KiB aligned: PPN[1:0] read as zero. An implicit access is
     * checked as a plain load or store: MXR (which is for explicit loads) and HLVX do not
     * apply to it. */
    Walk w = {
        .mem = mem,
        .root = (hgatp & SATP_PPN_MASK & ~3ULL) << 12,
        .levels = levels,
        .root_bits = 11,
        .check = { .access = x->access,
                   .user = true,
                   .mxr = x->mxr && !x->implicit,
                   .hlvx = x->hlvx && !x->implicit },
        .fault = RV_PT_GUEST_PAGE_FAULT,
    };
    return walk(&w, gpa, out);
}

static unsigned leaf_shift(unsigned level) { return 12 + 9 * level; }

RvPtResult rv_pt_vs_walk(const PtMem *mem, uint64_t vsatp, uint64_t hgatp, uint64_t va,
                         const RvXlate *x, RvPtTwoStage *out)
{
    *out = (RvPtTwoStage){ .stage = RV_PT_STAGE_VS };
    unsigned vs_levels = levels_for_mode(vsatp >> SATP_MODE_SHIFT);
    bool g_bare = !levels_for_mode(hgatp >> SATP_MODE_SHIFT);
    RvPtResult r;

    /* 1. VS-stage: VA to GPA. vsstatus.MXR or the HS-level MXR lets loads read X pages. */
    uint64_t gpa = va;
    if (vs_levels) {
        if ((uint64_t)sext64(va, 12 + 9 * vs_levels) != va)
            return RV_PT_PAGE_FAULT;
        Walk w = {
            .mem = mem,
            .root = (vsatp & SATP_PPN_MASK) << 12,
            .levels = vs_levels,
            .root_bits = 9,
            .check = { .access = x->access,
                       .user = x->user,
                       .sum = x->sum,
                       .mxr = x->mxr || x->mxr_vs,
                       .hlvx = x->hlvx },
            .fault = RV_PT_PAGE_FAULT,
            .gstage_for_ptes = true,
            .hgatp = hgatp,
        };
        r = walk(&w, va, &out->vs);
        if (r != RV_PT_OK) {
            out->implicit = w.fault_implicit || r == RV_PT_ACCESS_FAULT;
            out->implicit_write = w.fault_write;
            out->gpa = w.fault_gpa;
            /* A PTE outside memory after its G-stage translation is a VS-stage access
             * fault; a G-stage PTE outside memory is a G-stage one. */
            if (w.fault_implicit)
                out->stage = RV_PT_STAGE_G;
            if (r == RV_PT_GUEST_PAGE_FAULT) {
                out->htval = out->gpa >> 2;
                out->htinst = w.fault_write ? RV_HTINST_PTE_WRITE64 : RV_HTINST_PTE_READ64;
            }
            return r;
        }
        gpa = out->vs.pa;
    } else {
        out->vs = (RvPtWalk){ .pa = gpa };
    }

    /* 2. G-stage: GPA to supervisor physical address, for the original access; only the
     * HS-level MXR reaches this stage. */
    out->gpa = gpa;
    RvGXlate gx = { .access = x->access, .mxr = x->mxr, .hlvx = x->hlvx };
    r = rv_pt_gstage_walk(mem, hgatp, gpa, &gx, &out->g);
    if (r != RV_PT_OK) {
        out->stage = RV_PT_STAGE_G;
        if (r == RV_PT_GUEST_PAGE_FAULT)
            out->htval = gpa >> 2;
        return r;
    }
    out->pa = out->g.pa;

    /* 3. The mapping is as large as the smaller leaf; a Bare stage does not limit it. */
    unsigned vs_shift = vs_levels ? leaf_shift(out->vs.level) : 64;
    unsigned g_shift = g_bare ? 64 : leaf_shift(out->g.level);
    unsigned shift = vs_shift < g_shift ? vs_shift : g_shift;
    if (shift == 64)
        shift = 12;
    out->page_shift = shift;
    return RV_PT_OK;
}

unsigned rv_pt_cause(RvPtResult r, RvPtAccess access)
{
    /* Exception codes (Volume II, 3.1.15 and 8.6.1 "Trap Cause Codes"). */
    static const unsigned causes[][3] = {
        [RV_PT_OK] = { 0, 0, 0 },
        [RV_PT_PAGE_FAULT] = { [RV_PT_READ] = EXC_LOAD_PAGE_FAULT,
                               [RV_PT_WRITE] = EXC_STORE_PAGE_FAULT,
                               [RV_PT_EXEC] = EXC_INSN_PAGE_FAULT },
        [RV_PT_ACCESS_FAULT] = { [RV_PT_READ] = EXC_LOAD_ACCESS,
                                 [RV_PT_WRITE] = EXC_STORE_ACCESS,
                                 [RV_PT_EXEC] = EXC_INSN_ACCESS },
        [RV_PT_GUEST_PAGE_FAULT] = { [RV_PT_READ] = 21, [RV_PT_WRITE] = 23, [RV_PT_EXEC] = 20 },
    };
    return causes[r][access];
}
