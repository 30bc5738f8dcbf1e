/* tests/unit/mmu/test_riscv_gstage.c: the G-stage and two-stage walks of mmu/riscv_pt.c
 * against tables built in a byte array (Volume II 1.12, 8.5 "Two-Stage Address
 * Translation", 8.5.1 "Guest Physical Address Translation", 8.6.3 "Transformed Instruction
 * or Pseudoinstruction for mtinst or htinst"). The PtMem maps supervisor physical addresses
 * [MEM_BASE, MEM_BASE + MEM_SIZE) onto the array. A Guest holds a G-stage root (16 KiB) and
 * VS-stage tables that live at guest-physical addresses, each table page mapped by the
 * G-stage onto an array page. Covered: Sv39x4/Sv48x4/Sv57x4 leaves of every size, the two
 * extra root-index bits, GPAs too wide, U=0 G-stage leaves, the permission matrix of both
 * stages with MXR (both levels) and HLVX, A/D updates at both stages including the implicit
 * G-stage store for a VS-stage A/D update, guest-page faults on VS-stage PTE accesses (cause,
 * htval, htinst pseudoinstruction) and on the final GPA, VS-stage page faults, access
 * faults at either stage, Bare vsatp and Bare hgatp, superpages at both stages and the page
 * size a TLB may cache. */
#include <stdlib.h>

#include "cpu/riscv/rv_defs.h"
#include "mmu/riscv_pt.h"
#include "tests/unit/unit.h"

#define MEM_BASE 0x80000000ULL
#define MEM_PAGES 128
#define MEM_SIZE (MEM_PAGES * 4096ULL)

#define EXC_INSN_GUEST_PF 20
#define EXC_LOAD_GUEST_PF 21
#define EXC_STORE_GUEST_PF 23

typedef struct Pt {
    uint8_t mem[MEM_SIZE];
    unsigned used_pages;
    unsigned writes;       /* pte_written calls */
    uint64_t last_written; /* the address of the last one */
    unsigned reads;        /* pte_ptr calls */
} Pt;

static uint8_t *pt_pte_ptr(void *opaque, uint64_t pa)
{
    Pt *p = opaque;
    p->reads++;
    if (pa < MEM_BASE || pa - MEM_BASE > MEM_SIZE - 8)
        return NULL;
    return p->mem + (pa - MEM_BASE);
}

static void pt_pte_written(void *opaque, uint64_t pa)
{
    Pt *p = opaque;
    p->writes++;
    p->last_written = pa;
}

static uint64_t pt_alloc_pages(Pt *p, unsigned n, unsigned align)
{
    p->used_pages = (p->used_pages + align - 1) / align * align;
    if (p->used_pages + n > MEM_PAGES) {
        fprintf(stderr, "test_riscv_gstage: out of table pages\n");
        exit(2);
    }
    uint64_t pa = MEM_BASE + 4096ULL * p->used_pages;
    p->used_pages += n;
    return pa;
}

static uint64_t pt_alloc(Pt *p) { return pt_alloc_pages(p, 1, 1); }

static uint64_t pt_get(Pt *p, uint64_t pa) { return ld_le(p->mem + (pa - MEM_BASE), 8); }

static void pt_set(Pt *p, uint64_t pa, uint64_t pte) { st_le(p->mem + (pa - MEM_BASE), 8, pte); }

static uint64_t pte_to(uint64_t pa, uint64_t flags) { return (pa >> 12) << PTE_PPN_SHIFT | flags; }

static uint64_t pte_pa(uint64_t pte) { return ((pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT) << 12; }

static unsigned levels_of(unsigned mode)
{
    return mode == SATP_MODE_SV39 ? 3 : mode == SATP_MODE_SV48 ? 4 : 5;
}

/* satp, vsatp and hgatp share a layout; MODE numbers Sv39x4/48x4/57x4 are 8/9/10 too. */
static uint64_t atp_of(unsigned mode, uint64_t root)
{
    return (uint64_t)mode << SATP_MODE_SHIFT | root >> 12;
}

/* The table index of addr at level l: 9 bits, or 11 at the root of a G-stage table. */
static uint64_t index_of(uint64_t addr, unsigned l, unsigned levels, bool gstage)
{
    uint64_t mask = gstage && l == levels - 1 ? 0x7ff : 0x1ff;
    return (addr >> (12 + 9 * l)) & mask;
}

/* Installs `leaf` for gpa at `leaf_level` of the G-stage table at groot (SPA), creating
 * plain V pointers above it. Returns the leaf's address. */
static uint64_t g_map(Pt *p, unsigned mode, uint64_t groot, uint64_t gpa, unsigned leaf_level,
                      uint64_t leaf)
{
    unsigned levels = levels_of(mode);
    uint64_t table = groot;
    for (unsigned l = levels - 1; l > leaf_level; l--) {
        uint64_t slot = table + 8 * index_of(gpa, l, levels, true);
        uint64_t pte = pt_get(p, slot);
        if (!(pte & PTE_V)) {
            pte = pte_to(pt_alloc(p), PTE_V);
            pt_set(p, slot, pte);
        }
        table = pte_pa(pte);
    }
    uint64_t slot = table + 8 * index_of(gpa, leaf_level, levels, true);
    pt_set(p, slot, leaf);
    return slot;
}

/* --- a guest: G-stage root plus VS-stage tables at guest-physical addresses --- */

#define GLEAF (PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D)
#define TABLE_GPA 0x18000000000ULL /* bits 40:39 set: root index 0x600 under Sv39x4 */

typedef struct GTable {
    uint64_t gpa, spa;
    uint64_t gslot; /* the G-stage leaf that maps it */
} GTable;

typedef struct Guest {
    Pt *p;
    unsigned vsmode, gmode;
    uint64_t groot;  /* SPA, 16 KiB */
    uint64_t vsroot; /* GPA */
    uint64_t next_gpa;
    GTable tables[32];
    unsigned ntables;
} Guest;

static GTable *gt_alloc(Guest *g)
{
    if (g->ntables >= ARRAY_SIZE(g->tables)) {
        fprintf(stderr, "test_riscv_gstage: out of guest tables\n");
        exit(2);
    }
    GTable *t = &g->tables[g->ntables++];
    t->spa = pt_alloc(g->p);
    t->gpa = g->next_gpa;
    g->next_gpa += 4096;
    t->gslot = g_map(g->p, g->gmode, g->groot, t->gpa, 0, pte_to(t->spa, GLEAF));
    return t;
}

static GTable *gt_find(Guest *g, uint64_t gpa)
{
    for (unsigned k = 0; k < g->ntables; k++)
        if (g->tables[k].gpa == (gpa & ~0xfffULL))
            return &g->tables[k];
    fprintf(stderr, "test_riscv_gstage: no table at GPA 0x%" PRIx64 "\n", gpa);
    exit(2);
}

static uint64_t vs_get(Guest *g, uint64_t gpa)
{
    return pt_get(g->p, gt_find(g, gpa)->spa + (gpa & 0xfff));
}

static void vs_set(Guest *g, uint64_t gpa, uint64_t pte)
{
    pt_set(g->p, gt_find(g, gpa)->spa + (gpa & 0xfff), pte);
}

static Guest *guest_new(unsigned vsmode, unsigned gmode)
{
    Guest *g = calloc(1, sizeof(Guest));
    g->p = calloc(1, sizeof(Pt));
    g->vsmode = vsmode;
    g->gmode = gmode;
    g->groot = pt_alloc_pages(g->p, 4, 4);
    g->next_gpa = TABLE_GPA;
    g->vsroot = gt_alloc(g)->gpa;
    return g;
}

static void guest_free(Guest *g)
{
    free(g->p);
    free(g);
}

/* Installs a VS-stage leaf for va; returns the leaf's GPA. */
static uint64_t vs_map(Guest *g, uint64_t va, unsigned leaf_level, uint64_t leaf)
{
    unsigned levels = levels_of(g->vsmode);
    uint64_t table = g->vsroot;
    for (unsigned l = levels - 1; l > leaf_level; l--) {
        uint64_t slot = table + 8 * index_of(va, l, levels, false);
        uint64_t pte = vs_get(g, slot);
        if (!(pte & PTE_V)) {
            pte = pte_to(gt_alloc(g)->gpa, PTE_V);
            vs_set(g, slot, pte);
        }
        table = pte_pa(pte);
    }
    uint64_t slot = table + 8 * index_of(va, leaf_level, levels, false);
    vs_set(g, slot, leaf);
    return slot;
}

/* The GPA of the VS-stage PTE for va at level l (its tables must exist above l). */
static uint64_t vs_slot(Guest *g, uint64_t va, unsigned level)
{
    unsigned levels = levels_of(g->vsmode);
    uint64_t table = g->vsroot;
    for (unsigned l = levels - 1; l > level; l--)
        table = pte_pa(vs_get(g, table + 8 * index_of(va, l, levels, false)));
    return table + 8 * index_of(va, level, levels, false);
}

static uint64_t guest_hgatp(Guest *g)
{
    return atp_of(g->gmode, g->groot) | 0x1234ULL << 44; /* a VMID, which the walk ignores */
}

static uint64_t guest_vsatp(Guest *g)
{
    return atp_of(g->vsmode, g->vsroot) | 0x77ULL << 44; /* an ASID */
}

static PtMem mem_of(Pt *p)
{
    return (PtMem){ .pte_ptr = pt_pte_ptr, .pte_written = pt_pte_written, .opaque = p };
}

static RvPtResult two(Guest *g, uint64_t va, RvXlate x, RvPtTwoStage *out)
{
    PtMem mem = mem_of(g->p);
    RvPtTwoStage scratch;
    return rv_pt_vs_walk(&mem, guest_vsatp(g), guest_hgatp(g), va, &x, out ? out : &scratch);
}

static RvPtResult gwalk(Pt *p, uint64_t hgatp, uint64_t gpa, RvGXlate x, RvPtWalk *out)
{
    PtMem mem = mem_of(p);
    RvPtWalk scratch;
    return rv_pt_gstage_walk(&mem, hgatp, gpa, &x, out ? out : &scratch);
}

static const RvXlate XR = { .access = RV_PT_READ };
static const RvXlate XW = { .access = RV_PT_WRITE };
static const RvXlate XX = { .access = RV_PT_EXEC };

#define RWX_ALL_PERMS (PTE_R | PTE_W | PTE_X)
#define VSLEAF (PTE_V | RWX_ALL_PERMS | PTE_A | PTE_D)

/* ====================================================================================== */
/* G-stage alone                                                                          */
/* ====================================================================================== */

static void test_gstage_bare(void)
{
    Pt *p = calloc(1, sizeof(Pt));
    RvPtWalk w;
    const uint64_t gpas[] = { 0, 0x1000, 0x80001234ULL, 0xffffffffffffffffULL,
                              0x0123456789abcdefULL };
    for (unsigned k = 0; k < ARRAY_SIZE(gpas); k++) {
        for (unsigned a = RV_PT_READ; a <= RV_PT_EXEC; a++) {
            CHECK_EQ(gwalk(p, 0x1234ULL << 44, gpas[k], (RvGXlate){ .access = a }, &w), RV_PT_OK);
            CHECK_EQ(w.pa, gpas[k]);
        }
    }
    CHECK_EQ(p->reads, 0);
    free(p);
}

typedef struct GLeafCase {
    unsigned mode;
    unsigned level;
    uint64_t gpa;
    uint64_t pa_base; /* aligned to the leaf size */
} GLeafCase;

/* Every leaf size of each mode; GPAs that use the two extra root-index bits. */
static void test_gstage_leaf_sizes(void)
{
    static const GLeafCase cases[] = {
        { SATP_MODE_SV39, 0, 0x0000001234567abcULL, 0x123456000ULL },
        { SATP_MODE_SV39, 0, 0x000001ffffffffffULL, 0x5000ULL }, /* top GPA */
        { SATP_MODE_SV39, 0, 0x0000010000000008ULL, 0x6000ULL }, /* bit 40 */
        { SATP_MODE_SV39, 0, 0x0000008000000010ULL, 0x7000ULL }, /* bit 39 */
        { SATP_MODE_SV39, 1, 0x00000163456789abULL, 0x40200000ULL },
        { SATP_MODE_SV39, 2, 0x000001bfedcba987ULL, 0x3c0000000ULL },
        { SATP_MODE_SV39, 2, 0x000000ffc0000010ULL, 0x80000000000ULL },
        { SATP_MODE_SV48, 0, 0x0003ffffffffffffULL, 0x2000ULL }, /* top GPA */
        { SATP_MODE_SV48, 1, 0x0002123456789abcULL, 0xfe00000ULL },
        { SATP_MODE_SV48, 2, 0x0001812345678abcULL, 0x1c0000000ULL },
        { SATP_MODE_SV48, 3, 0x00034321fedcba98ULL, 0x18000000000ULL },
        { SATP_MODE_SV57, 0, 0x07fffffffffff123ULL, 0x5000ULL }, /* top GPA */
        { SATP_MODE_SV57, 1, 0x04abcdef12345678ULL, 0x600000ULL },
        { SATP_MODE_SV57, 2, 0x0200123456789abcULL, 0x40000000ULL },
        { SATP_MODE_SV57, 3, 0x0612345678abcdefULL, 0x28000000000ULL },
        { SATP_MODE_SV57, 4, 0x01abcdef12345678ULL, 0x5000000000000ULL },
        { SATP_MODE_SV57, 4, 0x07ffffffffffffffULL, 0xff000000000000ULL }, /* max PPN bits */
    };
    for (unsigned k = 0; k < ARRAY_SIZE(cases); k++) {
        const GLeafCase *c = &cases[k];
        Pt *p = calloc(1, sizeof(Pt));
        uint64_t root = pt_alloc_pages(p, 4, 4);
        uint64_t slot = g_map(p, c->mode, root, c->gpa, c->level, pte_to(c->pa_base, GLEAF));
        unsigned levels = levels_of(c->mode);
        uint64_t off_mask = (1ULL << (12 + 9 * c->level)) - 1;
        RvPtWalk w;
        RvPtResult r =
            gwalk(p, atp_of(c->mode, root), c->gpa, (RvGXlate){ .access = RV_PT_READ }, &w);
        if (r != RV_PT_OK || w.pa != (c->pa_base | (c->gpa & off_mask)))
            fprintf(stderr, "G leaf case %u: r=%d pa=0x%" PRIx64 "\n", k, r, w.pa);
        CHECK_EQ(r, RV_PT_OK);
        CHECK_EQ(w.pa, c->pa_base | (c->gpa & off_mask));
        CHECK_EQ(w.level, c->level);
        CHECK_EQ(w.pte_addr, slot);
        CHECK_EQ(w.pte, pte_to(c->pa_base, GLEAF));
        CHECK_EQ(p->reads, levels - c->level);
        /* The root entry used is at 8 * (the 11-bit top index) into the 16 KiB root. */
        uint64_t top = c->gpa >> (12 + 9 * (levels - 1));
        CHECK(top < 2048);
        CHECK(pt_get(p, root + 8 * top) & PTE_V);
        free(p);
    }
}

/* The two extra bits select among four root pages; GPAs differing only there map apart. */
static void test_gstage_root_extra_bits(void)
{
    static const unsigned modes[] = { SATP_MODE_SV39, SATP_MODE_SV48, SATP_MODE_SV57 };
    for (unsigned m = 0; m < ARRAY_SIZE(modes); m++) {
        Pt *p = calloc(1, sizeof(Pt));
        unsigned levels = levels_of(modes[m]);
        unsigned vabits = 12 + 9 * levels;
        uint64_t root = pt_alloc_pages(p, 4, 4);
        uint64_t hgatp = atp_of(modes[m], root);
        uint64_t low = 0x3000ULL;
        for (uint64_t e = 0; e < 4; e++) {
            uint64_t gpa = e << vabits | low;
            uint64_t slot = g_map(p, modes[m], root, gpa, 0, pte_to(0x100000ULL * (e + 1), GLEAF));
            RvPtWalk w;
            CHECK_EQ(gwalk(p, hgatp, gpa | 0x123, (RvGXlate){ .access = RV_PT_WRITE }, &w),
                     RV_PT_OK);
            CHECK_EQ(w.pa, 0x100000ULL * (e + 1) + 0x123);
            CHECK_EQ(w.pte_addr, slot);
            /* The root entry is the first of root page e. */
            CHECK(pt_get(p, root + 4096 * e) & PTE_V);
        }
        /* hgatp.PPN[1:0] are ignored: the root is 16 KiB aligned. */
        for (uint64_t lo = 1; lo < 4; lo++) {
            RvPtWalk w;
            CHECK_EQ(
                gwalk(p, hgatp | lo, 3ULL << vabits | low, (RvGXlate){ .access = RV_PT_READ }, &w),
                RV_PT_OK);
            CHECK_EQ(w.pa, 0x400000ULL);
        }
        free(p);
    }
}

/* Address bits above 41/50/59 must be zero (not a sign extension). */
static void test_gstage_gpa_width(void)
{
    static const unsigned modes[] = { SATP_MODE_SV39, SATP_MODE_SV48, SATP_MODE_SV57 };
    for (unsigned m = 0; m < ARRAY_SIZE(modes); m++) {
        Pt *p = calloc(1, sizeof(Pt));
        unsigned width = 12 + 9 * levels_of(modes[m]) + 2;
        uint64_t root = pt_alloc_pages(p, 4, 4);
        uint64_t hgatp = atp_of(modes[m], root);
        uint64_t top = (1ULL << width) - 4096;
        g_map(p, modes[m], root, top, 0, pte_to(0x9000ULL, GLEAF));
        CHECK_EQ(gwalk(p, hgatp, top + 0xfff, (RvGXlate){ .access = RV_PT_READ }, NULL), RV_PT_OK);
        for (unsigned b = width; b < 64; b++) {
            p->reads = 0;
            RvPtResult r =
                gwalk(p, hgatp, top | 1ULL << b, (RvGXlate){ .access = RV_PT_READ }, NULL);
            CHECK_EQ(r, RV_PT_GUEST_PAGE_FAULT);
            CHECK_EQ(p->reads, 0);
        }
        /* A sign-extended "canonical" form is still too wide. */
        CHECK_EQ(gwalk(p, hgatp, 0xfffffffffffff000ULL, (RvGXlate){ .access = RV_PT_EXEC }, NULL),
                 RV_PT_GUEST_PAGE_FAULT);
        CHECK_EQ(gwalk(p, hgatp, top | 1ULL << 63,
                       (RvGXlate){ .access = RV_PT_READ, .implicit = true }, NULL),
                 RV_PT_GUEST_PAGE_FAULT);
        free(p);
    }
}

/* Expected outcome of one G-stage leaf check, written as the spec's sentences. */
static bool g_expect(uint64_t perm, RvGXlate x)
{
    if (!(perm & PTE_U))
        return false; /* every G-stage access is a U-mode access */
    bool r = perm & PTE_R, w = perm & PTE_W, xp = perm & PTE_X;
    if (x.access == RV_PT_WRITE)
        return w;
    if (x.access == RV_PT_EXEC)
        return xp;
    if (x.implicit)
        return r; /* a plain implicit load: no MXR, no HLVX */
    if (x.hlvx)
        return xp; /* execute takes the place of read */
    return r || (x.mxr && xp);
}

/* Every legal R/W/X/U combination against every access kind, MXR, HLVX and implicit. */
static void test_gstage_permissions(void)
{
    static const uint64_t perms[] = { PTE_R, PTE_R | PTE_W, PTE_X, PTE_R | PTE_X, RWX_ALL_PERMS };
    Pt *p = calloc(1, sizeof(Pt));
    uint64_t root = pt_alloc_pages(p, 4, 4);
    uint64_t hgatp = atp_of(SATP_MODE_SV39, root);
    uint64_t gpa = 0x12345000ULL;
    uint64_t slot = g_map(p, SATP_MODE_SV39, root, gpa, 0, 0);
    unsigned n = 0;
    for (unsigned k = 0; k < ARRAY_SIZE(perms); k++) {
        for (unsigned u = 0; u < 2; u++) {
            uint64_t perm = perms[k] | (u ? PTE_U : 0);
            for (unsigned a = RV_PT_READ; a <= RV_PT_EXEC; a++) {
                for (unsigned f = 0; f < 8; f++) {
                    RvGXlate x = { .access = a, .mxr = f & 1, .hlvx = f & 2, .implicit = f & 4 };
                    if (x.implicit && a == RV_PT_EXEC)
                        continue;
                    if (x.hlvx && a != RV_PT_READ)
                        continue;
                    pt_set(p, slot, pte_to(0x40000000ULL, PTE_V | PTE_A | PTE_D | perm));
                    RvPtWalk w;
                    RvPtResult r = gwalk(p, hgatp, gpa | 0x10, x, &w);
                    bool ok = g_expect(perm, x);
                    if (r != (ok ? RV_PT_OK : RV_PT_GUEST_PAGE_FAULT))
                        fprintf(stderr, "G perm 0x%" PRIx64 " acc %u mxr %d hlvx %d impl %d: %d\n",
                                perm, a, x.mxr, x.hlvx, x.implicit, r);
                    CHECK_EQ(r, ok ? RV_PT_OK : RV_PT_GUEST_PAGE_FAULT);
                    if (ok)
                        CHECK_EQ(w.pa, 0x40000010ULL);
                    n++;
                }
            }
        }
    }
    CHECK_EQ(n, 140); /* 5 perms x U x (8 read + 4 write + 2 fetch flag sets) */
    /* Named cases. */
    pt_set(p, slot, pte_to(0x40000000ULL, PTE_V | PTE_A | PTE_D | PTE_R | PTE_W | PTE_X));
    CHECK_EQ(gwalk(p, hgatp, gpa, (RvGXlate){ .access = RV_PT_READ }, NULL),
             RV_PT_GUEST_PAGE_FAULT);
    CHECK_EQ(gwalk(p, hgatp, gpa, (RvGXlate){ .access = RV_PT_WRITE, .implicit = true }, NULL),
             RV_PT_GUEST_PAGE_FAULT);
    pt_set(p, slot, pte_to(0x40000000ULL, PTE_V | PTE_A | PTE_D | PTE_X | PTE_U));
    CHECK_EQ(gwalk(p, hgatp, gpa, (RvGXlate){ .access = RV_PT_READ, .mxr = true }, NULL), RV_PT_OK);
    CHECK_EQ(gwalk(p, hgatp, gpa, (RvGXlate){ .access = RV_PT_READ, .hlvx = true }, NULL),
             RV_PT_OK);
    CHECK_EQ(gwalk(p, hgatp, gpa, (RvGXlate){ .access = RV_PT_READ, .mxr = true, .implicit = true },
                   NULL),
             RV_PT_GUEST_PAGE_FAULT);
    pt_set(p, slot, pte_to(0x40000000ULL, PTE_V | PTE_A | PTE_D | PTE_R | PTE_U));
    CHECK_EQ(gwalk(p, hgatp, gpa, (RvGXlate){ .access = RV_PT_READ, .hlvx = true }, NULL),
             RV_PT_GUEST_PAGE_FAULT);
    CHECK_EQ(gwalk(p, hgatp, gpa, (RvGXlate){ .access = RV_PT_READ, .implicit = true }, NULL),
             RV_PT_OK);
    free(p);
}

static void test_gstage_accessed_dirty(void)
{
    Pt *p = calloc(1, sizeof(Pt));
    uint64_t root = pt_alloc_pages(p, 4, 4);
    uint64_t hgatp = atp_of(SATP_MODE_SV48, root);
    uint64_t gpa = 0x2000000003000ULL, spa = 0x90000000ULL;
    const uint64_t base = PTE_V | PTE_R | PTE_W | PTE_X | PTE_U;
    uint64_t slot = g_map(p, SATP_MODE_SV48, root, gpa, 0, pte_to(spa, base));
    RvPtWalk w;
    struct {
        RvGXlate x;
        uint64_t want;
    } cases[] = {
        { { .access = RV_PT_READ }, PTE_A },
        { { .access = RV_PT_EXEC }, PTE_A },
        { { .access = RV_PT_WRITE }, PTE_A | PTE_D },
        { { .access = RV_PT_READ, .implicit = true }, PTE_A },
        { { .access = RV_PT_WRITE, .implicit = true }, PTE_A | PTE_D },
        { { .access = RV_PT_READ, .hlvx = true }, PTE_A },
    };
    for (unsigned k = 0; k < ARRAY_SIZE(cases); k++) {
        pt_set(p, slot, pte_to(spa, base));
        p->writes = 0;
        CHECK_EQ(gwalk(p, hgatp, gpa, cases[k].x, &w), RV_PT_OK);
        CHECK_EQ(pt_get(p, slot), pte_to(spa, base | cases[k].want));
        CHECK_EQ(w.pte, pt_get(p, slot));
        CHECK_EQ(p->writes, 1);
        CHECK_EQ(p->last_written, slot);
        /* Again: nothing left to set. */
        CHECK_EQ(gwalk(p, hgatp, gpa, cases[k].x, &w), RV_PT_OK);
        CHECK_EQ(p->writes, 1);
    }
    /* A read after a write-dirty page writes nothing; a refused access writes nothing. */
    pt_set(p, slot, pte_to(spa, PTE_V | PTE_R | PTE_U));
    p->writes = 0;
    CHECK_EQ(gwalk(p, hgatp, gpa, (RvGXlate){ .access = RV_PT_WRITE }, NULL),
             RV_PT_GUEST_PAGE_FAULT);
    CHECK_EQ(pt_get(p, slot), pte_to(spa, PTE_V | PTE_R | PTE_U));
    CHECK_EQ(p->writes, 0);
    /* A superpage leaf at the root is updated in place. */
    uint64_t gpa2 = 0x3000000000000ULL; /* 512 GiB leaf, root page 3 */
    uint64_t slot2 = g_map(p, SATP_MODE_SV48, root, gpa2, 3, pte_to(0x8000000000ULL, base));
    CHECK_EQ(gwalk(p, hgatp, gpa2 + 0x123456789ULL, (RvGXlate){ .access = RV_PT_WRITE }, &w),
             RV_PT_OK);
    CHECK_EQ(w.pa, 0x8123456789ULL);
    CHECK_EQ(pt_get(p, slot2) & (PTE_A | PTE_D), PTE_A | PTE_D);
    CHECK_EQ(p->last_written, slot2);
    CHECK(slot2 >= root + 3 * 4096);
    free(p);
}

/* Encodings that fault give guest-page faults; PTEs outside memory give access faults. */
static void test_gstage_bad_ptes(void)
{
    Pt *p = calloc(1, sizeof(Pt));
    uint64_t root = pt_alloc_pages(p, 4, 4);
    uint64_t hgatp = atp_of(SATP_MODE_SV39, root);
    uint64_t gpa = 0x17f001000ULL;
    uint64_t slot = g_map(p, SATP_MODE_SV39, root, gpa, 0, pte_to(0x9000ULL, GLEAF));
    uint64_t top = root + 8 * index_of(gpa, 2, 3, true);
    uint64_t top_pte = pt_get(p, top);
    RvGXlate rd = { .access = RV_PT_READ };
    CHECK_EQ(gwalk(p, hgatp, gpa, rd, NULL), RV_PT_OK);
    pt_set(p, slot, pte_to(0x9000ULL, GLEAF & ~PTE_V));
    CHECK_EQ(gwalk(p, hgatp, gpa, rd, NULL), RV_PT_GUEST_PAGE_FAULT);
    pt_set(p, slot, pte_to(0x9000ULL, PTE_V | PTE_W | PTE_U | PTE_A | PTE_D));
    CHECK_EQ(gwalk(p, hgatp, gpa, (RvGXlate){ .access = RV_PT_WRITE }, NULL),
             RV_PT_GUEST_PAGE_FAULT);
    for (unsigned b = 54; b < 64; b++) {
        pt_set(p, slot, pte_to(0x9000ULL, GLEAF) | 1ULL << b);
        CHECK_EQ(gwalk(p, hgatp, gpa, rd, NULL), RV_PT_GUEST_PAGE_FAULT);
    }
    pt_set(p, slot, pte_to(0x9000ULL, GLEAF));
    /* The G bit of a G-stage PTE is ignored. */
    pt_set(p, slot, pte_to(0x9000ULL, GLEAF | PTE_G));
    CHECK_EQ(gwalk(p, hgatp, gpa, rd, NULL), RV_PT_OK);
    pt_set(p, top, top_pte | PTE_G);
    CHECK_EQ(gwalk(p, hgatp, gpa, rd, NULL), RV_PT_OK);
    /* A pointer with U, A or D. */
    const uint64_t nonleaf_bad[] = { PTE_A, PTE_D, PTE_U };
    for (unsigned k = 0; k < ARRAY_SIZE(nonleaf_bad); k++) {
        pt_set(p, top, top_pte | nonleaf_bad[k]);
        CHECK_EQ(gwalk(p, hgatp, gpa, rd, NULL), RV_PT_GUEST_PAGE_FAULT);
    }
    pt_set(p, top, top_pte);
    /* A pointer at level 0. */
    pt_set(p, slot, pte_to(root, PTE_V));
    CHECK_EQ(gwalk(p, hgatp, gpa, rd, NULL), RV_PT_GUEST_PAGE_FAULT);
    /* An unmapped GPA, at every level. */
    CHECK_EQ(gwalk(p, hgatp, 0x1ff00000000ULL, rd, NULL), RV_PT_GUEST_PAGE_FAULT);
    CHECK_EQ(gwalk(p, hgatp, gpa + 0x40000000ULL, rd, NULL), RV_PT_GUEST_PAGE_FAULT);
    CHECK_EQ(gwalk(p, hgatp, gpa + 0x200000ULL, rd, NULL), RV_PT_GUEST_PAGE_FAULT);
    /* Root outside memory; pointer outside memory. */
    CHECK_EQ(gwalk(p, atp_of(SATP_MODE_SV39, 0x10000000ULL), gpa, rd, NULL), RV_PT_ACCESS_FAULT);
    pt_set(p, top, pte_to(MEM_BASE + MEM_SIZE, PTE_V));
    CHECK_EQ(gwalk(p, hgatp, gpa, (RvGXlate){ .access = RV_PT_EXEC }, NULL), RV_PT_ACCESS_FAULT);
    free(p);
}

/* A G-stage superpage's PPN must be aligned to its size. */
static void test_gstage_misaligned_superpages(void)
{
    Pt *p = calloc(1, sizeof(Pt));
    uint64_t root = pt_alloc_pages(p, 4, 4);
    uint64_t hgatp = atp_of(SATP_MODE_SV39, root);
    uint64_t g2m = 0x10000200000ULL, g1g = 0x1c0000000ULL;
    uint64_t s2m = g_map(p, SATP_MODE_SV39, root, g2m, 1, pte_to(0x90000000ULL, GLEAF));
    uint64_t s1g = g_map(p, SATP_MODE_SV39, root, g1g, 2, pte_to(0xc0000000ULL, GLEAF));
    RvGXlate rd = { .access = RV_PT_READ };
    RvPtWalk w;
    CHECK_EQ(gwalk(p, hgatp, g2m + 0x1abcde, rd, &w), RV_PT_OK);
    CHECK_EQ(w.pa, 0x901abcdeULL);
    CHECK_EQ(w.level, 1);
    CHECK_EQ(gwalk(p, hgatp, g1g + 0x3abcdef0, rd, &w), RV_PT_OK);
    CHECK_EQ(w.pa, 0xfabcdef0ULL);
    CHECK_EQ(w.level, 2);
    for (unsigned b = 0; b < 9; b++) {
        pt_set(p, s2m, pte_to(0x90000000ULL | 1ULL << (12 + b), GLEAF));
        CHECK_EQ(gwalk(p, hgatp, g2m, rd, NULL), RV_PT_GUEST_PAGE_FAULT);
    }
    for (unsigned b = 0; b < 18; b++) {
        pt_set(p, s1g, pte_to(0xc0000000ULL | 1ULL << (12 + b), GLEAF));
        CHECK_EQ(gwalk(p, hgatp, g1g, rd, NULL), RV_PT_GUEST_PAGE_FAULT);
    }
    free(p);
}

/* ====================================================================================== */
/* two stages                                                                             */
/* ====================================================================================== */

static void check_no_fault_info(const RvPtTwoStage *o)
{
    CHECK_EQ(o->htval, 0);
    CHECK_EQ(o->htinst, 0);
    CHECK(!o->implicit);
}

static void test_two_bare_bare(void)
{
    Pt *p = calloc(1, sizeof(Pt));
    PtMem mem = mem_of(p);
    RvPtTwoStage o;
    const uint64_t vas[] = { 0, 0x80001234ULL, 0xfffffffffffff000ULL };
    for (unsigned k = 0; k < ARRAY_SIZE(vas); k++) {
        for (unsigned a = RV_PT_READ; a <= RV_PT_EXEC; a++) {
            RvXlate x = { .access = a, .user = true };
            CHECK_EQ(rv_pt_vs_walk(&mem, 0, 0, vas[k], &x, &o), RV_PT_OK);
            CHECK_EQ(o.pa, vas[k]);
            CHECK_EQ(o.gpa, vas[k]);
            CHECK_EQ(o.page_shift, 12);
        }
    }
    CHECK_EQ(p->reads, 0);
    free(p);
}

/* vsatp Bare: the VA is the GPA, translated by the G-stage alone. */
static void test_two_vsatp_bare(void)
{
    Guest *g = guest_new(SATP_MODE_SV39, SATP_MODE_SV39);
    PtMem mem = mem_of(g->p);
    uint64_t hgatp = guest_hgatp(g);
    uint64_t gpa = 0x00000087654000ULL;
    uint64_t gslot = g_map(g->p, g->gmode, g->groot, gpa, 0, pte_to(0xa0000000ULL, GLEAF));
    RvPtTwoStage o;
    for (unsigned a = RV_PT_READ; a <= RV_PT_EXEC; a++) {
        RvXlate x = { .access = a };
        pt_set(g->p, gslot, pte_to(0xa0000000ULL, GLEAF | PTE_X));
        CHECK_EQ(rv_pt_vs_walk(&mem, 0, hgatp, gpa | 0x321, &x, &o), RV_PT_OK);
        CHECK_EQ(o.pa, 0xa0000321ULL);
        CHECK_EQ(o.gpa, gpa | 0x321);
        CHECK_EQ(o.g.pte_addr, gslot);
        CHECK_EQ(o.page_shift, 12);
        check_no_fault_info(&o);
        /* Not mapped for this access: guest-page fault with htval = GPA >> 2. */
        pt_set(g->p, gslot,
               pte_to(0xa0000000ULL,
                      PTE_V | PTE_U | PTE_A | PTE_D | (a == RV_PT_EXEC ? PTE_R : PTE_X)));
        CHECK_EQ(rv_pt_vs_walk(&mem, 0, hgatp, gpa | 0x321, &x, &o), RV_PT_GUEST_PAGE_FAULT);
        CHECK_EQ(o.stage, RV_PT_STAGE_G);
        CHECK_EQ(o.gpa, gpa | 0x321);
        CHECK_EQ(o.htval, (gpa | 0x321) >> 2);
        CHECK_EQ(o.htinst, 0);
        CHECK(!o.implicit);
    }
    /* A VA wider than the GPA space is a guest-page fault, not a page fault. */
    RvPtTwoStage o2;
    uint64_t wide = 0x20000001000ULL; /* bit 41 */
    CHECK_EQ(rv_pt_vs_walk(&mem, 0, hgatp, wide, &XR, &o2), RV_PT_GUEST_PAGE_FAULT);
    CHECK_EQ(o2.stage, RV_PT_STAGE_G);
    CHECK_EQ(o2.htval, wide >> 2);
    CHECK_EQ(rv_pt_cause(RV_PT_GUEST_PAGE_FAULT, RV_PT_READ), EXC_LOAD_GUEST_PF);
    uint64_t neg = 0xffffffffffff0000ULL;
    CHECK_EQ(rv_pt_vs_walk(&mem, 0, hgatp, neg, &XX, &o2), RV_PT_GUEST_PAGE_FAULT);
    CHECK_EQ(o2.htval, neg >> 2);
    /* A superpage G leaf: the whole mapping is the G leaf. */
    uint64_t gpa2 = 0x40000000ULL;
    g_map(g->p, g->gmode, g->groot, gpa2, 2, pte_to(0x1c0000000ULL, GLEAF));
    CHECK_EQ(rv_pt_vs_walk(&mem, 0, hgatp, gpa2 + 0x3ffffff8ULL, &XW, &o2), RV_PT_OK);
    CHECK_EQ(o2.pa, 0x1fffffff8ULL);
    CHECK_EQ(o2.page_shift, 30);
    guest_free(g);
}

/* hgatp Bare: VS-stage PTE addresses are physical; a single-stage walk in effect. */
static void test_two_hgatp_bare(void)
{
    Pt *p = calloc(1, sizeof(Pt));
    PtMem mem = mem_of(p);
    uint64_t root = pt_alloc(p), l1 = pt_alloc(p), l0 = pt_alloc(p);
    uint64_t va = 0x40201000ULL;
    pt_set(p, root + 8 * index_of(va, 2, 3, false), pte_to(l1, PTE_V));
    pt_set(p, l1 + 8 * index_of(va, 1, 3, false), pte_to(l0, PTE_V));
    uint64_t slot = l0 + 8 * index_of(va, 0, 3, false);
    pt_set(p, slot, pte_to(0xfedcb000ULL, PTE_V | PTE_R | PTE_W));
    uint64_t vsatp = atp_of(SATP_MODE_SV39, root);
    RvPtTwoStage o;
    CHECK_EQ(rv_pt_vs_walk(&mem, vsatp, 0, va + 0x44, &XW, &o), RV_PT_OK);
    CHECK_EQ(o.pa, 0xfedcb044ULL);
    CHECK_EQ(o.gpa, 0xfedcb044ULL);
    CHECK_EQ(o.vs.pte_addr, slot);
    CHECK_EQ(o.vs.level, 0);
    CHECK_EQ(o.page_shift, 12);
    CHECK_EQ(pt_get(p, slot), pte_to(0xfedcb000ULL, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D));
    CHECK_EQ(p->last_written, slot);
    CHECK_EQ(p->reads, 3);
    /* A VS-stage leaf: a page fault with no G-stage information. */
    CHECK_EQ(rv_pt_vs_walk(&mem, vsatp, 0, va, &XX, &o), RV_PT_PAGE_FAULT);
    CHECK_EQ(o.stage, RV_PT_STAGE_VS);
    check_no_fault_info(&o);
    /* Any GPA goes with Bare hgatp, however wide. */
    pt_set(p, slot, pte_to(0xfffffffffff000ULL, PTE_V | PTE_R | PTE_A));
    CHECK_EQ(rv_pt_vs_walk(&mem, vsatp, 0, va, &XR, &o), RV_PT_OK);
    CHECK_EQ(o.pa, 0xfffffffffff000ULL);
    /* A VS-stage superpage sets the page size. */
    uint64_t va2 = 0x80000000ULL;
    pt_set(p, root + 8 * index_of(va2, 2, 3, false), pte_to(0x40000000ULL, VSLEAF));
    CHECK_EQ(rv_pt_vs_walk(&mem, vsatp, 0, va2 + 0x1234567, &XR, &o), RV_PT_OK);
    CHECK_EQ(o.pa, 0x41234567ULL);
    CHECK_EQ(o.page_shift, 30);
    /* VS PTE outside memory: an access fault, on an implicit access, at the VS-stage. */
    pt_set(p, root + 8 * index_of(va, 2, 3, false), pte_to(0x1000ULL, PTE_V));
    CHECK_EQ(rv_pt_vs_walk(&mem, vsatp, 0, va, &XR, &o), RV_PT_ACCESS_FAULT);
    CHECK_EQ(o.stage, RV_PT_STAGE_VS);
    CHECK(o.implicit);
    CHECK_EQ(o.htval, 0);
    CHECK_EQ(o.htinst, 0);
    free(p);
}

typedef struct TwoCase {
    unsigned vsmode, gmode;
    unsigned vs_level, g_level;
    uint64_t va, gpa_base, spa_base;
} TwoCase;

/* Full translations, superpages at both stages, and the page size a TLB may cache. */
static void test_two_stage_ok(void)
{
    static const TwoCase cases[] = {
        { SATP_MODE_SV39, SATP_MODE_SV39, 0, 0, 0x0000001234567abcULL, 0x5000ULL, 0x9000ULL },
        { SATP_MODE_SV39, SATP_MODE_SV39, 0, 0, 0xffffffc000001ff8ULL, 0x1fffffff000ULL,
          0xfffffffffff000ULL },
        { SATP_MODE_SV39, SATP_MODE_SV39, 1, 0, 0x00000023456789abULL, 0x40200000ULL, 0x77000ULL },
        { SATP_MODE_SV39, SATP_MODE_SV39, 0, 1, 0x00000023456789abULL, 0x40200000ULL,
          0x80000000ULL },
        { SATP_MODE_SV39, SATP_MODE_SV39, 1, 2, 0x00000000002fffffULL, 0x1c0000000ULL,
          0x200000000ULL },
        { SATP_MODE_SV39, SATP_MODE_SV39, 2, 1, 0x0000003fedcba987ULL, 0x1c0000000ULL,
          0x200000000ULL },
        { SATP_MODE_SV39, SATP_MODE_SV39, 2, 2, 0xffffffffc0000010ULL, 0x100c0000000ULL,
          0x80000000000ULL },
        { SATP_MODE_SV39, SATP_MODE_SV48, 2, 3, 0x0000003fedcba987ULL, 0x3000000000000ULL,
          0x8000000000ULL },
        { SATP_MODE_SV48, SATP_MODE_SV39, 3, 2, 0x00004321fedcba98ULL, 0x18000000000ULL,
          0x18000000000ULL },
        { SATP_MODE_SV48, SATP_MODE_SV48, 0, 0, 0xffff812345678abcULL, 0x3ffffffff000ULL,
          0x3000ULL },
        /* A VS-stage leaf's 44-bit PPN reaches GPA bit 55 at most. */
        { SATP_MODE_SV57, SATP_MODE_SV57, 0, 0, 0x00fffffffffff123ULL, 0xfffffffffff000ULL,
          0x5000ULL },
        { SATP_MODE_SV57, SATP_MODE_SV57, 4, 4, 0x00abcdef12345678ULL, 0xf0000000000000ULL,
          0x5000000000000ULL },
        { SATP_MODE_SV57, SATP_MODE_SV48, 1, 0, 0xff00123456789abcULL, 0x2000000600000ULL,
          0x4000ULL },
    };
    for (unsigned k = 0; k < ARRAY_SIZE(cases); k++) {
        const TwoCase *c = &cases[k];
        Guest *g = guest_new(c->vsmode, c->gmode);
        uint64_t vs_mask = (1ULL << (12 + 9 * c->vs_level)) - 1;
        uint64_t g_mask = (1ULL << (12 + 9 * c->g_level)) - 1;
        uint64_t vslot = vs_map(g, c->va, c->vs_level, pte_to(c->gpa_base, VSLEAF));
        uint64_t gpa = c->gpa_base | (c->va & vs_mask);
        uint64_t gslot =
            g_map(g->p, c->gmode, g->groot, gpa, c->g_level, pte_to(c->spa_base, GLEAF | PTE_X));
        RvPtTwoStage o;
        RvPtResult r = two(g, c->va, XR, &o);
        uint64_t want_pa = c->spa_base | (gpa & g_mask);
        if (r != RV_PT_OK || o.pa != want_pa)
            fprintf(stderr, "two-stage case %u: r=%d pa=0x%" PRIx64 " want 0x%" PRIx64 "\n", k, r,
                    o.pa, want_pa);
        CHECK_EQ(r, RV_PT_OK);
        CHECK_EQ(o.gpa, gpa);
        CHECK_EQ(o.vs.pa, gpa);
        CHECK_EQ(o.pa, want_pa);
        CHECK_EQ(o.vs.level, c->vs_level);
        CHECK_EQ(o.g.level, c->g_level);
        CHECK_EQ(o.vs.pte_addr, vslot);
        CHECK_EQ(o.g.pte_addr, gslot);
        unsigned lvl = c->vs_level < c->g_level ? c->vs_level : c->g_level;
        CHECK_EQ(o.page_shift, 12 + 9 * lvl);
        check_no_fault_info(&o);
        /* Reads: one G-stage walk per VS-stage level plus one for the final GPA. */
        unsigned vs_reads = levels_of(c->vsmode) - c->vs_level;
        unsigned g_levels = levels_of(c->gmode);
        CHECK_EQ(g->p->reads, vs_reads * (g_levels + 1) + (g_levels - c->g_level));
        /* Also as a write and a fetch. */
        CHECK_EQ(two(g, c->va, XW, &o), RV_PT_OK);
        CHECK_EQ(o.pa, want_pa);
        CHECK_EQ(two(g, c->va, XX, &o), RV_PT_OK);
        CHECK_EQ(o.pa, want_pa);
        guest_free(g);
    }
}

/* A VS-stage PTE whose GPA misses in the G-stage: a guest-page fault on an implicit access,
 * reported for the original access type, htval = the PTE's GPA >> 2, htinst = 0x3000. */
static void test_two_implicit_read_fault(void)
{
    uint64_t va = 0x0000004567801234ULL & ((1ULL << 38) - 1);
    for (unsigned miss_level = 0; miss_level < 3; miss_level++) {
        for (unsigned a = RV_PT_READ; a <= RV_PT_EXEC; a++) {
            Guest *g = guest_new(SATP_MODE_SV39, SATP_MODE_SV39);
            vs_map(g, va, 0, pte_to(0x5000ULL, VSLEAF));
            g_map(g->p, g->gmode, g->groot, 0x5000ULL, 0, pte_to(0x9000ULL, GLEAF | PTE_X));
            uint64_t pte_gpa = vs_slot(g, va, miss_level);
            GTable *t = gt_find(g, pte_gpa);
            pt_set(g->p, t->gslot, 0); /* unmap that table page in the G-stage */
            RvPtTwoStage o;
            RvXlate x = { .access = a };
            CHECK_EQ(two(g, va, x, &o), RV_PT_GUEST_PAGE_FAULT);
            CHECK_EQ(o.stage, RV_PT_STAGE_G);
            CHECK(o.implicit);
            CHECK(!o.implicit_write);
            CHECK_EQ(o.gpa, pte_gpa);
            CHECK_EQ(o.htval, pte_gpa >> 2);
            CHECK_EQ(o.htinst, 0x00003000);
            CHECK_EQ(o.htinst, RV_HTINST_PTE_READ64);
            static const unsigned cause[] = { [RV_PT_READ] = EXC_LOAD_GUEST_PF,
                                              [RV_PT_WRITE] = EXC_STORE_GUEST_PF,
                                              [RV_PT_EXEC] = EXC_INSN_GUEST_PF };
            CHECK_EQ(rv_pt_cause(RV_PT_GUEST_PAGE_FAULT, a), cause[a]);
            /* Remapped, but only for execute, or without U: the implicit load still fails
             * (MXR does not reach implicit accesses). */
            pt_set(g->p, t->gslot, pte_to(t->spa, PTE_V | PTE_X | PTE_U | PTE_A | PTE_D));
            x.mxr = true;
            CHECK_EQ(two(g, va, x, &o), RV_PT_GUEST_PAGE_FAULT);
            CHECK_EQ(o.htinst, RV_HTINST_PTE_READ64);
            pt_set(g->p, t->gslot, pte_to(t->spa, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D));
            CHECK_EQ(two(g, va, x, &o), RV_PT_GUEST_PAGE_FAULT);
            CHECK_EQ(o.htval, pte_gpa >> 2);
            /* Readable and U: the walk goes through, and the implicit read set G-stage A. */
            pt_set(g->p, t->gslot, pte_to(t->spa, PTE_V | PTE_R | PTE_U));
            CHECK_EQ(two(g, va, x, &o), RV_PT_OK);
            CHECK_EQ(o.pa, 0x9000ULL | (va & 0xfff));
            CHECK_EQ(pt_get(g->p, t->gslot), pte_to(t->spa, PTE_V | PTE_R | PTE_U | PTE_A));
            guest_free(g);
        }
    }
    /* The VS root itself unmapped; the root GPA is reported. */
    Guest *g = guest_new(SATP_MODE_SV48, SATP_MODE_SV48);
    pt_set(g->p, gt_find(g, g->vsroot)->gslot, 0);
    RvPtTwoStage o;
    CHECK_EQ(two(g, 0x8000ULL, XW, &o), RV_PT_GUEST_PAGE_FAULT);
    CHECK_EQ(o.gpa, g->vsroot);
    CHECK_EQ(o.htval, (g->vsroot) >> 2);
    CHECK_EQ(o.htinst, RV_HTINST_PTE_READ64);
    CHECK(o.implicit);
    /* vsatp pointing at a GPA too wide for Sv48x4. */
    PtMem mem = mem_of(g->p);
    uint64_t wide_root = 1ULL << 50;
    CHECK_EQ(
        rv_pt_vs_walk(&mem, atp_of(SATP_MODE_SV48, wide_root), guest_hgatp(g), 0x8000ULL, &XR, &o),
        RV_PT_GUEST_PAGE_FAULT);
    CHECK_EQ(o.gpa, wide_root);
    CHECK_EQ(o.htval, wide_root >> 2);
    CHECK(o.implicit);
    guest_free(g);
}

/* The VS-stage A/D update is an implicit store through the G-stage: it needs W there
 * (htinst 0x3020 if not), sets the G-stage A and D of the table page, and is reported for
 * the original access. */
static void test_two_implicit_write(void)
{
    for (unsigned a = RV_PT_READ; a <= RV_PT_EXEC; a++) {
        Guest *g = guest_new(SATP_MODE_SV39, SATP_MODE_SV39);
        uint64_t va = 0x12345000ULL;
        uint64_t vslot = vs_map(g, va, 0, pte_to(0x5000ULL, PTE_V | PTE_R | PTE_W | PTE_X));
        uint64_t dslot =
            g_map(g->p, g->gmode, g->groot, 0x5000ULL, 0, pte_to(0x9000ULL, GLEAF | PTE_X));
        GTable *t = gt_find(g, vslot);
        /* The leaf's table page is readable but not writable at the G-stage. */
        pt_set(g->p, t->gslot, pte_to(t->spa, PTE_V | PTE_R | PTE_U | PTE_A));
        RvPtTwoStage o;
        RvXlate x = { .access = a };
        CHECK_EQ(two(g, va, x, &o), RV_PT_GUEST_PAGE_FAULT);
        CHECK_EQ(o.stage, RV_PT_STAGE_G);
        CHECK(o.implicit);
        CHECK(o.implicit_write);
        CHECK_EQ(o.gpa, vslot);
        CHECK_EQ(o.htval, vslot >> 2);
        CHECK_EQ(o.htinst, 0x00003020);
        CHECK_EQ(o.htinst, RV_HTINST_PTE_WRITE64);
        /* The VS PTE was not updated, and nothing was written. */
        CHECK_EQ(vs_get(g, vslot), pte_to(0x5000ULL, PTE_V | PTE_R | PTE_W | PTE_X));
        /* With A (and D for a write) already set, no store is needed: no fault. */
        uint64_t ad = PTE_A | (a == RV_PT_WRITE ? PTE_D : 0);
        vs_set(g, vslot, pte_to(0x5000ULL, PTE_V | PTE_R | PTE_W | PTE_X | ad));
        CHECK_EQ(two(g, va, x, &o), RV_PT_OK);
        /* Writable: the VS PTE gains A (and D), the table page gains G-stage A and D. */
        vs_set(g, vslot, pte_to(0x5000ULL, PTE_V | PTE_R | PTE_W | PTE_X));
        pt_set(g->p, t->gslot, pte_to(t->spa, PTE_V | PTE_R | PTE_W | PTE_U));
        pt_set(g->p, dslot, pte_to(0x9000ULL, PTE_V | PTE_R | PTE_W | PTE_X | PTE_U));
        g->p->writes = 0;
        CHECK_EQ(two(g, va | 0x10, x, &o), RV_PT_OK);
        CHECK_EQ(o.pa, 0x9010ULL);
        CHECK_EQ(vs_get(g, vslot), pte_to(0x5000ULL, PTE_V | PTE_R | PTE_W | PTE_X | ad));
        CHECK_EQ(o.vs.pte, vs_get(g, vslot));
        CHECK_EQ(pt_get(g->p, t->gslot),
                 pte_to(t->spa, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D));
        /* The data page gets the A/D of the original access. */
        CHECK_EQ(pt_get(g->p, dslot),
                 pte_to(0x9000ULL, PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | ad));
        CHECK_EQ(o.g.pte, pt_get(g->p, dslot));
        /* Writes: table page G leaf (A on read, then D on the implicit store) or both at
         * once, the VS PTE, the data page's G leaf. The VS PTE write goes to its SPA. */
        CHECK(g->p->writes >= 3);
        CHECK_EQ(g->p->last_written, dslot);
        /* Again: nothing left to update. */
        g->p->writes = 0;
        CHECK_EQ(two(g, va, x, &o), RV_PT_OK);
        CHECK_EQ(g->p->writes, 0);
        guest_free(g);
    }
    /* A read of a non-leaf level never stores: a read-only G mapping of the upper tables is
     * fine. */
    Guest *g = guest_new(SATP_MODE_SV39, SATP_MODE_SV39);
    uint64_t va = 0x12345000ULL;
    uint64_t vslot = vs_map(g, va, 0, pte_to(0x5000ULL, VSLEAF));
    g_map(g->p, g->gmode, g->groot, 0x5000ULL, 0, pte_to(0x9000ULL, GLEAF));
    for (unsigned l = 1; l < 3; l++) {
        GTable *t = gt_find(g, vs_slot(g, va, l));
        pt_set(g->p, t->gslot, pte_to(t->spa, PTE_V | PTE_R | PTE_U | PTE_A));
    }
    vs_set(g, vslot, pte_to(0x5000ULL, PTE_V | PTE_R | PTE_W));
    RvPtTwoStage o;
    CHECK_EQ(two(g, va, XW, &o), RV_PT_OK);
    CHECK_EQ(vs_get(g, vslot), pte_to(0x5000ULL, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D));
    guest_free(g);
}

/* The final GPA missing: a guest-page fault, not implicit, htval = GPA >> 2. */
static void test_two_final_gpa_fault(void)
{
    for (unsigned a = RV_PT_READ; a <= RV_PT_EXEC; a++) {
        Guest *g = guest_new(SATP_MODE_SV39, SATP_MODE_SV39);
        uint64_t va = 0x7654321000ULL & ((1ULL << 38) - 1);
        uint64_t gpa = 0x12345000ULL;
        uint64_t vslot = vs_map(g, va, 0, pte_to(gpa, VSLEAF));
        RvPtTwoStage o;
        RvXlate x = { .access = a };
        CHECK_EQ(two(g, va | 0x678, x, &o), RV_PT_GUEST_PAGE_FAULT);
        CHECK_EQ(o.stage, RV_PT_STAGE_G);
        CHECK(!o.implicit);
        CHECK_EQ(o.gpa, gpa | 0x678);
        CHECK_EQ(o.htval, (gpa | 0x678) >> 2);
        CHECK_EQ(o.htval, 0x48d159eULL);
        CHECK_EQ(o.htinst, 0);
        CHECK_EQ(rv_pt_cause(RV_PT_GUEST_PAGE_FAULT, a), a == RV_PT_READ    ? 21
                                                         : a == RV_PT_WRITE ? 23
                                                                            : 20);
        /* Mapped without U. */
        uint64_t gslot = g_map(g->p, g->gmode, g->groot, gpa, 0,
                               pte_to(0x9000ULL, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D));
        CHECK_EQ(two(g, va, x, &o), RV_PT_GUEST_PAGE_FAULT);
        CHECK_EQ(o.htval, gpa >> 2);
        pt_set(g->p, gslot, pte_to(0x9000ULL, GLEAF | PTE_X));
        CHECK_EQ(two(g, va, x, &o), RV_PT_OK);
        /* A VS leaf whose GPA is wider than 41 bits. */
        uint64_t wide = 0x20000000000ULL;
        vs_set(g, vslot, pte_to(wide, VSLEAF));
        CHECK_EQ(two(g, va | 0x4, x, &o), RV_PT_GUEST_PAGE_FAULT);
        CHECK_EQ(o.gpa, wide | 0x4);
        CHECK_EQ(o.htval, (wide | 0x4) >> 2);
        CHECK(!o.implicit);
        /* A misaligned G-stage superpage for the final GPA. */
        uint64_t gpa2 = 0x10000400000ULL;
        vs_set(g, vslot, pte_to(gpa2, VSLEAF));
        uint64_t s2 =
            g_map(g->p, g->gmode, g->groot, gpa2, 1, pte_to(0xa0001000ULL, GLEAF | PTE_X));
        CHECK_EQ(two(g, va | 0x8, x, &o), RV_PT_GUEST_PAGE_FAULT);
        CHECK_EQ(o.htval, (gpa2 | 0x8) >> 2);
        pt_set(g->p, s2, pte_to(0xa0000000ULL, GLEAF | PTE_X));
        CHECK_EQ(two(g, va | 0x8, x, &o), RV_PT_OK);
        CHECK_EQ(o.pa, 0xa0000008ULL);
        CHECK_EQ(o.page_shift, 12);
        /* The final G-stage table outside memory: an access fault at the G-stage. */
        uint64_t top = g->groot + 8 * index_of(gpa2, 2, 3, true);
        pt_set(g->p, top, pte_to(MEM_BASE + MEM_SIZE, PTE_V));
        CHECK_EQ(two(g, va, x, &o), RV_PT_ACCESS_FAULT);
        CHECK_EQ(o.stage, RV_PT_STAGE_G);
        CHECK(!o.implicit);
        CHECK_EQ(o.htval, 0);
        CHECK_EQ(rv_pt_cause(RV_PT_ACCESS_FAULT, a), a == RV_PT_READ    ? EXC_LOAD_ACCESS
                                                     : a == RV_PT_WRITE ? EXC_STORE_ACCESS
                                                                        : EXC_INSN_ACCESS);
        guest_free(g);
    }
}

/* VS-stage faults are ordinary page faults with no G-stage information. */
static void test_two_vs_faults(void)
{
    Guest *g = guest_new(SATP_MODE_SV39, SATP_MODE_SV39);
    uint64_t va = 0x40201000ULL;
    uint64_t vslot = vs_map(g, va, 0, 0);
    g_map(g->p, g->gmode, g->groot, 0x5000ULL, 0, pte_to(0x9000ULL, GLEAF | PTE_X));
    const struct {
        uint64_t pte;
        RvXlate x;
    } cases[] = {
        { 0, XR },
        { pte_to(0x5000ULL, VSLEAF & ~PTE_V), XR },
        { pte_to(0x5000ULL, PTE_V | PTE_W | PTE_A | PTE_D), XW },
        { pte_to(0x5000ULL, VSLEAF) | 1ULL << 60, XR },
        { pte_to(0x5000ULL, PTE_V | PTE_R | PTE_A), XW },
        { pte_to(0x5000ULL, PTE_V | PTE_R | PTE_A), XX },
        { pte_to(0x5000ULL, PTE_V | PTE_X | PTE_A), XR },
        { pte_to(0x5000ULL, VSLEAF), { .access = RV_PT_READ, .user = true } },
        { pte_to(0x5000ULL, VSLEAF | PTE_U), XX },
        { pte_to(0x5000ULL, VSLEAF | PTE_U), { .access = RV_PT_EXEC, .sum = true } },
        { pte_to(0x5000ULL, VSLEAF | PTE_U), XR },
        { pte_to(0x5000ULL, VSLEAF | PTE_U), XW },
        { pte_to(0x5000ULL, PTE_V), XR }, /* a pointer at level 0 */
    };
    for (unsigned k = 0; k < ARRAY_SIZE(cases); k++) {
        vs_set(g, vslot, cases[k].pte);
        RvPtTwoStage o;
        RvPtResult r = two(g, va, cases[k].x, &o);
        if (r != RV_PT_PAGE_FAULT)
            fprintf(stderr, "VS fault case %u: %d\n", k, r);
        CHECK_EQ(r, RV_PT_PAGE_FAULT);
        CHECK_EQ(o.stage, RV_PT_STAGE_VS);
        check_no_fault_info(&o);
        CHECK_EQ(rv_pt_cause(r, cases[k].x.access),
                 cases[k].x.access == RV_PT_READ    ? EXC_LOAD_PAGE_FAULT
                 : cases[k].x.access == RV_PT_WRITE ? EXC_STORE_PAGE_FAULT
                                                    : EXC_INSN_PAGE_FAULT);
    }
    /* Non-canonical VA: a page fault before any read. */
    g->p->reads = 0;
    RvPtTwoStage o;
    CHECK_EQ(two(g, 0x0000004000000000ULL, XR, &o), RV_PT_PAGE_FAULT);
    CHECK_EQ(o.stage, RV_PT_STAGE_VS);
    CHECK_EQ(g->p->reads, 0);
    /* A misaligned VS superpage. */
    uint64_t va2 = 0x80000000ULL;
    uint64_t s = vs_map(g, va2, 1, pte_to(0x201000ULL, VSLEAF));
    CHECK_EQ(two(g, va2, XR, &o), RV_PT_PAGE_FAULT);
    vs_set(g, s, pte_to(0x200000ULL, VSLEAF));
    g_map(g->p, g->gmode, g->groot, 0x200000ULL, 1, pte_to(0x400000ULL, GLEAF | PTE_X));
    CHECK_EQ(two(g, va2 + 0x1fffff, XR, &o), RV_PT_OK);
    CHECK_EQ(o.pa, 0x5fffffULL);
    CHECK_EQ(o.page_shift, 21);
    /* A VS PTE whose G-stage translation lands outside memory: a VS-stage access fault on
     * an implicit access. */
    GTable *t = gt_find(g, vslot);
    pt_set(g->p, t->gslot, pte_to(0x1000ULL, GLEAF));
    CHECK_EQ(two(g, va, XR, &o), RV_PT_ACCESS_FAULT);
    CHECK_EQ(o.stage, RV_PT_STAGE_VS);
    CHECK(o.implicit);
    CHECK_EQ(o.htval, 0);
    CHECK_EQ(o.htinst, 0);
    CHECK_EQ(o.gpa, vslot);
    /* A G-stage table outside memory while translating a VS PTE: G-stage access fault. */
    pt_set(g->p, t->gslot, pte_to(t->spa, GLEAF));
    uint64_t top = g->groot + 8 * index_of(TABLE_GPA, 2, 3, true);
    uint64_t top_pte = pt_get(g->p, top);
    pt_set(g->p, top, pte_to(MEM_BASE + MEM_SIZE, PTE_V));
    CHECK_EQ(two(g, va, XW, &o), RV_PT_ACCESS_FAULT);
    CHECK_EQ(o.stage, RV_PT_STAGE_G);
    CHECK(o.implicit);
    CHECK_EQ(o.htinst, 0);
    pt_set(g->p, top, top_pte);
    guest_free(g);
}

/* Expected outcome of one two-stage access, stage by stage, from the spec's sentences. */
static RvPtResult two_expect(uint64_t vs_perm, uint64_t g_perm, RvXlate x)
{
    bool r = vs_perm & PTE_R, w = vs_perm & PTE_W, xp = vs_perm & PTE_X, u = vs_perm & PTE_U;
    bool vs_ok;
    if (x.user && !u)
        vs_ok = false;
    else if (!x.user && u && (x.access == RV_PT_EXEC || !x.sum))
        vs_ok = false;
    else if (x.access == RV_PT_WRITE)
        vs_ok = w;
    else if (x.access == RV_PT_EXEC)
        vs_ok = xp;
    else if (x.hlvx)
        vs_ok = xp;
    else
        vs_ok = r || ((x.mxr || x.mxr_vs) && xp);
    if (!vs_ok)
        return RV_PT_PAGE_FAULT;
    RvGXlate gx = { .access = x.access, .mxr = x.mxr, .hlvx = x.hlvx };
    return g_expect(g_perm | PTE_U, gx) ? RV_PT_OK : RV_PT_GUEST_PAGE_FAULT;
}

/* Every permission pair with every access kind, privilege, SUM, both MXRs and HLVX. */
static void test_two_permission_matrix(void)
{
    static const uint64_t perms[] = { PTE_R, PTE_R | PTE_W, PTE_X, PTE_R | PTE_X, RWX_ALL_PERMS };
    Guest *g = guest_new(SATP_MODE_SV39, SATP_MODE_SV39);
    uint64_t va = 0x3456789000ULL;
    uint64_t gpa = 0x1234000ULL;
    uint64_t vslot = vs_map(g, va, 0, 0);
    uint64_t gslot = g_map(g->p, g->gmode, g->groot, gpa, 0, 0);
    unsigned n = 0, ok = 0, pf = 0, gpf = 0;
    for (unsigned i = 0; i < ARRAY_SIZE(perms); i++) {
        for (unsigned vu = 0; vu < 2; vu++) {
            for (unsigned j = 0; j < ARRAY_SIZE(perms); j++) {
                for (unsigned a = RV_PT_READ; a <= RV_PT_EXEC; a++) {
                    for (unsigned f = 0; f < 32; f++) {
                        RvXlate x = { .access = a,
                                      .user = f & 1,
                                      .sum = f & 2,
                                      .mxr = f & 4,
                                      .mxr_vs = f & 8,
                                      .hlvx = f & 16 };
                        if (x.hlvx && a != RV_PT_READ)
                            continue;
                        uint64_t vperm = perms[i] | (vu ? PTE_U : 0);
                        vs_set(g, vslot, pte_to(gpa, PTE_V | PTE_A | PTE_D | vperm));
                        pt_set(g->p, gslot,
                               pte_to(0xb0000000ULL, PTE_V | PTE_U | PTE_A | PTE_D | perms[j]));
                        RvPtTwoStage o;
                        RvPtResult r = two(g, va | 0xabc, x, &o);
                        RvPtResult want = two_expect(vperm, perms[j], x);
                        if (r != want)
                            fprintf(stderr,
                                    "two perm vs 0x%" PRIx64 " g 0x%" PRIx64 " acc %u f 0x%x: %d, "
                                    "want %d\n",
                                    vperm, perms[j], a, f, r, want);
                        CHECK_EQ(r, want);
                        if (want == RV_PT_OK) {
                            CHECK_EQ(o.pa, 0xb0000abcULL);
                            ok++;
                        } else if (want == RV_PT_PAGE_FAULT) {
                            CHECK_EQ(o.stage, RV_PT_STAGE_VS);
                            pf++;
                        } else {
                            CHECK_EQ(o.htval, (gpa | 0xabc) >> 2);
                            CHECK(!o.implicit);
                            gpf++;
                        }
                        n++;
                    }
                }
            }
        }
    }
    CHECK(n > 1000 && ok > 100 && pf > 100 && gpf > 100);
    guest_free(g);
}

/* MXR, SUM and HLVX, named. */
static void test_two_mxr_sum_hlvx(void)
{
    Guest *g = guest_new(SATP_MODE_SV39, SATP_MODE_SV39);
    uint64_t va = 0x5000ULL, gpa = 0x6000ULL;
    uint64_t vslot = vs_map(g, va, 0, 0);
    uint64_t gslot = g_map(g->p, g->gmode, g->groot, gpa, 0, 0);
    RvPtTwoStage o;
#define SETUP(vsp, gp)                                                                             \
    do {                                                                                           \
        vs_set(g, vslot, pte_to(gpa, PTE_V | PTE_A | PTE_D | (vsp)));                              \
        pt_set(g->p, gslot, pte_to(0x9000ULL, PTE_V | PTE_U | PTE_A | PTE_D | (gp)));              \
    } while (0)
    /* VS X-only, G readable: vsstatus.MXR or sstatus.MXR lets the load through. */
    SETUP(PTE_X, PTE_R);
    CHECK_EQ(two(g, va, XR, &o), RV_PT_PAGE_FAULT);
    CHECK_EQ(two(g, va, (RvXlate){ .access = RV_PT_READ, .mxr_vs = true }, &o), RV_PT_OK);
    CHECK_EQ(two(g, va, (RvXlate){ .access = RV_PT_READ, .mxr = true }, &o), RV_PT_OK);
    /* VS readable, G X-only: only sstatus.MXR reaches the G-stage. */
    SETUP(PTE_R, PTE_X);
    CHECK_EQ(two(g, va, (RvXlate){ .access = RV_PT_READ, .mxr_vs = true }, &o),
             RV_PT_GUEST_PAGE_FAULT);
    CHECK_EQ(o.htval, gpa >> 2);
    CHECK_EQ(two(g, va, (RvXlate){ .access = RV_PT_READ, .mxr = true }, &o), RV_PT_OK);
    /* Both X-only. */
    SETUP(PTE_X, PTE_X);
    CHECK_EQ(two(g, va, (RvXlate){ .access = RV_PT_READ, .mxr_vs = true }, &o),
             RV_PT_GUEST_PAGE_FAULT);
    CHECK_EQ(two(g, va, (RvXlate){ .access = RV_PT_READ, .mxr = true }, &o), RV_PT_OK);
    /* MXR never helps a store or a fetch. */
    CHECK_EQ(two(g, va, (RvXlate){ .access = RV_PT_WRITE, .mxr = true, .mxr_vs = true }, &o),
             RV_PT_PAGE_FAULT);
    /* HLVX: execute, not read, at both stages. */
    RvXlate hlvx = { .access = RV_PT_READ, .hlvx = true };
    CHECK_EQ(two(g, va, hlvx, &o), RV_PT_OK);
    CHECK_EQ(o.pa, 0x9000ULL);
    SETUP(PTE_R, PTE_R | PTE_X);
    CHECK_EQ(two(g, va, hlvx, &o), RV_PT_PAGE_FAULT);
    CHECK_EQ(rv_pt_cause(RV_PT_PAGE_FAULT, hlvx.access), EXC_LOAD_PAGE_FAULT);
    SETUP(PTE_R | PTE_X, PTE_R);
    CHECK_EQ(two(g, va, hlvx, &o), RV_PT_GUEST_PAGE_FAULT);
    CHECK_EQ(rv_pt_cause(RV_PT_GUEST_PAGE_FAULT, hlvx.access), EXC_LOAD_GUEST_PF);
    /* HLVX ignores MXR: R without X stays refused. */
    hlvx.mxr = hlvx.mxr_vs = true;
    SETUP(PTE_R, PTE_R);
    CHECK_EQ(two(g, va, hlvx, &o), RV_PT_PAGE_FAULT);
    SETUP(PTE_X, PTE_R);
    CHECK_EQ(two(g, va, hlvx, &o), RV_PT_GUEST_PAGE_FAULT);
    /* HLVX of a VU page by VS (SPVP=1) needs SUM like any load; as VU it is fine. */
    SETUP(PTE_X | PTE_U, PTE_X);
    CHECK_EQ(two(g, va, (RvXlate){ .access = RV_PT_READ, .hlvx = true }, &o), RV_PT_PAGE_FAULT);
    CHECK_EQ(two(g, va, (RvXlate){ .access = RV_PT_READ, .hlvx = true, .sum = true }, &o),
             RV_PT_OK);
    CHECK_EQ(two(g, va, (RvXlate){ .access = RV_PT_READ, .hlvx = true, .user = true }, &o),
             RV_PT_OK);
    /* SUM (vsstatus.SUM): VS-mode reads and writes VU pages only with it; never fetches. */
    SETUP(PTE_R | PTE_W | PTE_X | PTE_U, PTE_R | PTE_W | PTE_X);
    CHECK_EQ(two(g, va, XR, &o), RV_PT_PAGE_FAULT);
    CHECK_EQ(two(g, va, XW, &o), RV_PT_PAGE_FAULT);
    CHECK_EQ(two(g, va, (RvXlate){ .access = RV_PT_READ, .sum = true }, &o), RV_PT_OK);
    CHECK_EQ(two(g, va, (RvXlate){ .access = RV_PT_WRITE, .sum = true }, &o), RV_PT_OK);
    CHECK_EQ(two(g, va, (RvXlate){ .access = RV_PT_EXEC, .sum = true }, &o), RV_PT_PAGE_FAULT);
    CHECK_EQ(two(g, va, (RvXlate){ .access = RV_PT_EXEC, .user = true }, &o), RV_PT_OK);
    /* SUM does not matter at the G-stage: there every access is U, and U=0 always fails. */
    pt_set(g->p, gslot, pte_to(0x9000ULL, PTE_V | PTE_A | PTE_D | PTE_R | PTE_W | PTE_X));
    CHECK_EQ(two(g, va, (RvXlate){ .access = RV_PT_READ, .sum = true }, &o),
             RV_PT_GUEST_PAGE_FAULT);
    CHECK_EQ(two(g, va, (RvXlate){ .access = RV_PT_READ, .user = true }, &o),
             RV_PT_GUEST_PAGE_FAULT);
    /* A VS-mode access to a VS page without U still needs U at the G-stage. */
    vs_set(g, vslot, pte_to(gpa, VSLEAF));
    CHECK_EQ(two(g, va, XR, &o), RV_PT_GUEST_PAGE_FAULT);
#undef SETUP
    guest_free(g);
}

/* A and D at both stages for a clean two-stage walk. */
static void test_two_accessed_dirty(void)
{
    static const unsigned accs[] = { RV_PT_READ, RV_PT_WRITE, RV_PT_EXEC };
    for (unsigned k = 0; k < ARRAY_SIZE(accs); k++) {
        Guest *g = guest_new(SATP_MODE_SV48, SATP_MODE_SV39);
        uint64_t va = 0x7fff12345000ULL;
        const uint64_t rwx = PTE_V | PTE_R | PTE_W | PTE_X;
        uint64_t vslot = vs_map(g, va, 0, pte_to(0x5000ULL, rwx));
        uint64_t dslot =
            g_map(g->p, g->gmode, g->groot, 0x5000ULL, 0, pte_to(0x9000ULL, rwx | PTE_U));
        /* Every table page starts with G-stage A and D clear. */
        for (unsigned t = 0; t < g->ntables; t++)
            pt_set(g->p, g->tables[t].gslot,
                   pte_to(g->tables[t].spa, PTE_V | PTE_R | PTE_W | PTE_U));
        RvPtTwoStage o;
        RvXlate x = { .access = accs[k] };
        CHECK_EQ(two(g, va, x, &o), RV_PT_OK);
        uint64_t ad = PTE_A | (accs[k] == RV_PT_WRITE ? PTE_D : 0);
        CHECK_EQ(vs_get(g, vslot), pte_to(0x5000ULL, rwx | ad));
        CHECK_EQ(pt_get(g->p, dslot), pte_to(0x9000ULL, rwx | PTE_U | ad));
        /* Upper table pages were only read: A. The leaf's page was stored to: A and D. */
        for (unsigned l = 0; l < 4; l++) {
            GTable *t = gt_find(g, vs_slot(g, va, l));
            uint64_t want = l == 0 ? PTE_A | PTE_D : PTE_A;
            CHECK_EQ(pt_get(g->p, t->gslot) & (PTE_A | PTE_D), want);
        }
        /* A VS leaf with A already set, on a read: the table page stays clean. */
        GTable *leaf_t = gt_find(g, vslot);
        pt_set(g->p, leaf_t->gslot, pte_to(leaf_t->spa, PTE_V | PTE_R | PTE_W | PTE_U));
        if (accs[k] != RV_PT_WRITE) {
            CHECK_EQ(two(g, va, x, &o), RV_PT_OK);
            CHECK_EQ(pt_get(g->p, leaf_t->gslot) & (PTE_A | PTE_D), PTE_A);
        }
        guest_free(g);
    }
}

static void test_causes(void)
{
    CHECK_EQ(rv_pt_cause(RV_PT_OK, RV_PT_READ), 0);
    CHECK_EQ(rv_pt_cause(RV_PT_PAGE_FAULT, RV_PT_READ), 13);
    CHECK_EQ(rv_pt_cause(RV_PT_PAGE_FAULT, RV_PT_WRITE), 15);
    CHECK_EQ(rv_pt_cause(RV_PT_PAGE_FAULT, RV_PT_EXEC), 12);
    CHECK_EQ(rv_pt_cause(RV_PT_ACCESS_FAULT, RV_PT_READ), 5);
    CHECK_EQ(rv_pt_cause(RV_PT_ACCESS_FAULT, RV_PT_WRITE), 7);
    CHECK_EQ(rv_pt_cause(RV_PT_ACCESS_FAULT, RV_PT_EXEC), 1);
    CHECK_EQ(rv_pt_cause(RV_PT_GUEST_PAGE_FAULT, RV_PT_READ), 21);
    CHECK_EQ(rv_pt_cause(RV_PT_GUEST_PAGE_FAULT, RV_PT_WRITE), 23);
    CHECK_EQ(rv_pt_cause(RV_PT_GUEST_PAGE_FAULT, RV_PT_EXEC), 20);
    CHECK_EQ(RV_HTINST_PTE_READ32, 0x2000);
    CHECK_EQ(RV_HTINST_PTE_WRITE32, 0x2020);
    CHECK_EQ(RV_HTINST_PTE_READ64, 0x3000);
    CHECK_EQ(RV_HTINST_PTE_WRITE64, 0x3020);
}

int main(void)
{
    test_gstage_bare();
    test_gstage_leaf_sizes();
    test_gstage_root_extra_bits();
    test_gstage_gpa_width();
    test_gstage_permissions();
    test_gstage_accessed_dirty();
    test_gstage_bad_ptes();
    test_gstage_misaligned_superpages();
    test_two_bare_bare();
    test_two_vsatp_bare();
    test_two_hgatp_bare();
    test_two_stage_ok();
    test_two_implicit_read_fault();
    test_two_implicit_write();
    test_two_final_gpa_fault();
    test_two_vs_faults();
    test_two_permission_matrix();
    test_two_mxr_sum_hlvx();
    test_two_accessed_dirty();
    test_causes();
    return unit_summary("test_riscv_gstage");
}
