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

#include <inttypes.h>
#include <stdio.h>

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
    /* -d mmu: which walk this is */
    RvPtSpace space;
    unsigned depth;
    bool implicit;
    /* Out, for a fault on a PTE access made through the G-stage. */
    uint64_t fault_gpa;
    bool fault_implicit; /* the G-stage translation of a PTE address failed */
    bool fault_write;    /* ... for the A/D write */
} Walk;

static void trace(const PtMem *mem, RvPtStep s)
{
    if (mem->trace)
        mem->trace(mem->trace_opaque, &s);
}

static void trace_start(const Walk *w, uint64_t va)
{
    trace(w->mem, (RvPtStep){ .kind = RV_PT_STEP_START, .space = w->space, .depth = w->depth,
                              .levels = w->levels, .root = w->root, .va = va,
                              .access = w->check.access, .implicit = w->implicit });
}

static RvPtResult gstage_walk(const PtMem *mem, uint64_t hgatp, uint64_t gpa, const RvGXlate *x,
                              unsigned depth, RvPtWalk *out);

/* Steps 2 and 7 at the VS-stage: the supervisor physical address of the PTE at
 * guest-physical addr, by a G-stage translation for an implicit load or store (8.5.1). */
static RvPtResult pte_spa(Walk *w, uint64_t addr, bool write, uint64_t *spa)
{
    *spa = addr;
    if (!w->gstage_for_ptes)
        return RV_PT_OK;
    RvGXlate gx = { .access = write ? RV_PT_WRITE : RV_PT_READ, .implicit = true };
    RvPtWalk g;
    RvPtResult r = gstage_walk(w->mem, w->hgatp, addr, &gx, w->depth + 1, &g);
    if (r != RV_PT_OK) {
        w->fault_gpa = addr;
        w->fault_implicit = true;
        w->fault_write = write;
        return r;
    }
    *spa = g.pa;
    return RV_PT_OK;
}

/* Reports PTE `pte` at level i and what the walk makes of it (why); returns r. */
static RvPtResult pte_step(const Walk *w, int i, uint64_t addr, uint64_t spa, uint64_t pte,
                           const char *why, RvPtResult r)
{
    trace(w->mem, (RvPtStep){ .kind = RV_PT_STEP_PTE, .space = w->space, .depth = w->depth,
                              .level = (unsigned)i, .addr = addr, .spa = spa, .pte = pte,
                              .why = why });
    return r;
}

static RvPtResult walk(Walk *w, uint64_t va, RvPtWalk *out)
{
    trace_start(w, va);
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
            return pte_step(w, i, pte_addr, pte_addr, 0, "its G-stage translation faults", r);
        uint8_t *p = w->mem->pte_ptr(w->mem->opaque, spa);
        if (!p) {
            w->fault_gpa = pte_addr;
            return pte_step(w, i, pte_addr, spa, 0, "not in memory: access fault",
                            RV_PT_ACCESS_FAULT);
        }
        uint64_t pte = ld_le(p, 8);
        /* 3. invalid, reserved W-without-R, or reserved high bits */
        if (!(pte & PTE_V))
            return pte_step(w, i, pte_addr, spa, pte, "invalid (V=0)", w->fault);
        if (!(pte & PTE_R) && (pte & PTE_W))
            return pte_step(w, i, pte_addr, spa, pte, "reserved: W without R", w->fault);
        if (pte & (PTE_RESERVED_MASK | PTE_PBMT_MASK | PTE_N))
            return pte_step(w, i, pte_addr, spa, pte, "reserved bits (N, PBMT, 60:54) set",
                            w->fault);
        /* 4. a pointer to the next level */
        if (!(pte & (PTE_R | PTE_X))) {
            if (pte & (PTE_A | PTE_D | PTE_U))
                return pte_step(w, i, pte_addr, spa, pte, "non-leaf with A, D or U set",
                                w->fault);
            a = ((pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT) << 12;
            pte_step(w, i, pte_addr, spa, pte, "pointer to the next level", RV_PT_OK);
            continue;
        }
        /* 5. leaf: permission check */
        if (!leaf_allows(pte, &w->check))
            return pte_step(w, i, pte_addr, spa, pte, "leaf, but it does not allow the access",
                            w->fault);
        /* 6. misaligned superpage */
        uint64_t ppn = (pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT;
        if (i > 0 && (ppn & ((1ULL << (9 * i)) - 1)))
            return pte_step(w, i, pte_addr, spa, pte, "misaligned superpage", w->fault);
        pte_step(w, i, pte_addr, spa, pte, "leaf", RV_PT_OK);
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
            trace(w->mem, (RvPtStep){ .kind = RV_PT_STEP_AD, .space = w->space,
                                      .depth = w->depth, .level = (unsigned)i,
                                      .addr = pte_addr, .spa = spa, .pte = pte });
        }
        /* 8. the translated address: superpages take low VPNs from va */
        uint64_t off_mask = (1ULL << (12 + 9 * i)) - 1;
        *out = (RvPtWalk){ .pa = ((ppn << 12) & ~off_mask) | (va & off_mask),
                           .level = (unsigned)i,
                           .pte = pte,
                           .pte_addr = pte_addr };
        trace(w->mem, (RvPtStep){ .kind = RV_PT_STEP_LEAF, .space = w->space, .depth = w->depth,
                                  .level = (unsigned)i, .va = va, .pa = out->pa });
        return RV_PT_OK;
    }
    return w->fault;
}

static RvPtResult fault_step(const PtMem *mem, RvPtSpace space, RvPtResult r, RvPtAccess access,
                             uint64_t gpa, const char *why)
{
    if (r != RV_PT_OK)
        trace(mem, (RvPtStep){ .kind = RV_PT_STEP_FAULT, .space = space,
                               .cause = rv_pt_cause(r, access), .pa = gpa, .why = why });
    return r;
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
        return fault_step(mem, RV_PT_SPACE_S, RV_PT_PAGE_FAULT, x->access, 0,
                          "VA not sign-extended");
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
        .space = RV_PT_SPACE_S,
    };
    return fault_step(mem, RV_PT_SPACE_S, walk(&w, va, out), x->access, 0, NULL);
}

static RvPtResult gstage_walk(const PtMem *mem, uint64_t hgatp, uint64_t gpa, const RvGXlate *x,
                              unsigned depth, RvPtWalk *out)
{
    unsigned levels = levels_for_mode(hgatp >> SATP_MODE_SHIFT);
    if (!levels) {
        trace(mem, (RvPtStep){ .kind = RV_PT_STEP_START, .space = RV_PT_SPACE_G, .depth = depth,
                               .va = gpa, .access = x->access });
        *out = (RvPtWalk){ .pa = gpa };
        return RV_PT_OK;
    }
    /* 8.5.1: the GPA is 2 bits wider than the Sv39/48/57 VA and its upper bits must be
     * zero. */
    if (gpa >> (12 + 9 * levels + 2)) {
        trace(mem, (RvPtStep){ .kind = RV_PT_STEP_PTE, .space = RV_PT_SPACE_G, .depth = depth,
                               .level = levels, .addr = gpa,
                               .why = "GPA wider than the G-stage mode allows" });
        return RV_PT_GUEST_PAGE_FAULT;
    }
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
        .space = RV_PT_SPACE_G,
        .depth = depth,
        .implicit = x->implicit,
    };
    return walk(&w, gpa, out);
}

RvPtResult rv_pt_gstage_walk(const PtMem *mem, uint64_t hgatp, uint64_t gpa, const RvGXlate *x,
                             RvPtWalk *out)
{
    return gstage_walk(mem, hgatp, gpa, x, 0, out);
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
            return fault_step(mem, RV_PT_SPACE_VS, RV_PT_PAGE_FAULT, x->access, 0,
                              "VA not sign-extended");
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
            .space = RV_PT_SPACE_VS,
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
            return fault_step(mem, out->stage == RV_PT_STAGE_G ? RV_PT_SPACE_G : RV_PT_SPACE_VS,
                              r, x->access, out->gpa,
                              w.fault_implicit ? "on a VS-stage PTE access" : NULL);
        }
        gpa = out->vs.pa;
    } else {
        out->vs = (RvPtWalk){ .pa = gpa };
        trace(mem, (RvPtStep){ .kind = RV_PT_STEP_START, .space = RV_PT_SPACE_VS, .va = va,
                               .access = x->access });
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
        return fault_step(mem, RV_PT_SPACE_G, r, x->access, gpa, NULL);
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

static const char *const space_name[] = { [RV_PT_SPACE_S] = "S", [RV_PT_SPACE_VS] = "VS",
                                           [RV_PT_SPACE_G] = "G" };

/* "Sv39" for 3 levels, "Sv39x4" at the G-stage. */
static const char *mode_name(RvPtSpace space, unsigned levels)
{
    static const char *const plain[] = { "Bare", "?", "?", "Sv39", "Sv48", "Sv57" };
    static const char *const x4[] = { "Bare", "?", "?", "Sv39x4", "Sv48x4", "Sv57x4" };
    if (levels > 5)
        return "?";
    return space == RV_PT_SPACE_G ? x4[levels] : plain[levels];
}

static void pte_bits(uint64_t pte, char out[9])
{
    static const char names[] = "VRWXUGAD";
    for (unsigned b = 0; b < 8; b++)
        out[b] = (pte >> b) & 1 ? names[b] : '-';
    out[8] = 0;
}

static const char *size_name(unsigned level)
{
    static const char *const n[] = { "4 KiB", "2 MiB", "1 GiB", "512 GiB", "256 TiB" };
    return level < 5 ? n[level] : "?";
}

static const char *cause_name(unsigned cause)
{
    switch (cause) {
    case 1: return "instruction access fault";
    case 5: return "load access fault";
    case 7: return "store/AMO access fault";
    case 12: return "instruction page fault";
    case 13: return "load page fault";
    case 15: return "store/AMO page fault";
    case 20: return "instruction guest-page fault";
    case 21: return "load guest-page fault";
    case 23: return "store/AMO guest-page fault";
    default: return "?";
    }
}

int rv_pt_step_format(const RvPtStep *s, char *buf, size_t len)
{
    static const char *const acc[] = { "load", "store", "fetch" };
    int ind = (int)(2 * s->depth);
    const char *sp = space_name[s->space];
    const char *addr_kind = s->space == RV_PT_SPACE_S ? "VA" : s->space == RV_PT_SPACE_VS
                                                                  ? "guest VA" : "GPA";
    char bits[9];
    switch (s->kind) {
    case RV_PT_STEP_START:
        if (!s->levels)
            return snprintf(buf, len, "%*s%s-stage Bare: %s 0x%016" PRIx64 " is the %s", ind,
                            "", sp, addr_kind, s->va,
                            s->space == RV_PT_SPACE_VS ? "GPA" : "physical address");
        return snprintf(buf, len, "%*s%s-stage %s walk of %s 0x%016" PRIx64 " for %s%s, root %s 0x%" PRIx64,
                        ind, "", sp, mode_name(s->space, s->levels), addr_kind, s->va,
                        s->implicit ? "an implicit " : "a ", s->implicit ? "PTE access" :
                        acc[s->access % 3], s->space == RV_PT_SPACE_VS ? "GPA" : "PA", s->root);
    case RV_PT_STEP_PTE:
        pte_bits(s->pte, bits);
        if (s->space == RV_PT_SPACE_VS)
            return snprintf(buf, len, "%*s  VS level %u: PTE at GPA 0x%" PRIx64 " (PA 0x%" PRIx64
                            ") = 0x%016" PRIx64 " [%s] PPN 0x%" PRIx64 ": %s",
                            ind, "", s->level, s->addr, s->spa, s->pte, bits,
                            (uint64_t)((s->pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT), s->why);
        return snprintf(buf, len, "%*s  %s level %u: PTE at PA 0x%" PRIx64 " = 0x%016" PRIx64
                        " [%s] PPN 0x%" PRIx64 ": %s", ind, "", sp, s->level, s->spa, s->pte,
                        bits, (uint64_t)((s->pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT), s->why);
    case RV_PT_STEP_AD:
        pte_bits(s->pte, bits);
        return snprintf(buf, len, "%*s  %s level %u: A/D set, PTE at PA 0x%" PRIx64
                        " := 0x%016" PRIx64 " [%s]", ind, "", sp, s->level, s->spa, s->pte, bits);
    case RV_PT_STEP_LEAF:
        return snprintf(buf, len, "%*s  %s-stage result: %s 0x%016" PRIx64 " -> %s 0x%016" PRIx64
                        " (%s page)", ind, "", sp, addr_kind, s->va,
                        s->space == RV_PT_SPACE_VS ? "GPA" : "PA", s->pa, size_name(s->level));
    case RV_PT_STEP_FAULT:
        if (s->space == RV_PT_SPACE_G)
            return snprintf(buf, len, "%*sfault at the G-stage%s%s: %s (cause %u), GPA 0x%" PRIx64
                            ", htval 0x%" PRIx64, ind, "", s->why ? " " : "",
                            s->why ? s->why : "", cause_name(s->cause), s->cause, s->pa,
                            s->cause >= 20 ? s->pa >> 2 : 0);
        return snprintf(buf, len, "%*sfault at the %s-stage%s%s: %s (cause %u)", ind, "", sp,
                        s->why ? ", " : "", s->why ? s->why : "", cause_name(s->cause),
                        s->cause);
    }
    return snprintf(buf, len, "?");
}
