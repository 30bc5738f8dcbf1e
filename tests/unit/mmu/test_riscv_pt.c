/* tests/unit/mmu/test_riscv_pt.c: the RISC-V page-table walker of mmu/riscv_pt.c against
 * tables built in a byte array (Volume II, 4.3.2 "Virtual Address Translation Process";
 * 4.4 Sv39, 4.5 Sv48, 4.6 Sv57). The PtMem maps physical addresses [MEM_BASE, MEM_BASE +
 * MEM_SIZE) onto the array and answers NULL elsewhere, which the walker must report as an
 * access fault. Covered: walks to every leaf size of each mode with the superpage offset
 * taken from the VA, hardware A/D updates, the PTE encodings that fault, the R/W/X/U
 * permission matrix with SUM and MXR, canonical addresses, and Bare mode. */
#include <stdlib.h>

#include "cpu/riscv/rv_defs.h"
#include "mmu/riscv_pt.h"
#include "tests/unit/unit.h"

#define MEM_BASE 0x80000000ULL
#define MEM_PAGES 64
#define MEM_SIZE (MEM_PAGES * 4096ULL)

typedef struct Pt {
    uint8_t mem[MEM_SIZE];
    unsigned used_pages;
    unsigned writes;          /* pte_written calls */
    uint64_t last_written;    /* the address of the last one */
    unsigned reads;           /* pte_ptr calls */
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

static Pt *pt_new(void)
{
    return calloc(1, sizeof(Pt));
}

/* A zeroed page-table page. */
static uint64_t pt_alloc(Pt *p)
{
    if (p->used_pages >= MEM_PAGES) {
        fprintf(stderr, "test_riscv_pt: out of table pages\n");
        exit(2);
    }
    return MEM_BASE + 4096ULL * p->used_pages++;
}

static uint64_t pt_get(Pt *p, uint64_t pa)
{
    return ld_le(p->mem + (pa - MEM_BASE), 8);
}

static void pt_set(Pt *p, uint64_t pa, uint64_t pte)
{
    st_le(p->mem + (pa - MEM_BASE), 8, pte);
}

static uint64_t pte_to(uint64_t pa, uint64_t flags)
{
    return (pa >> 12) << PTE_PPN_SHIFT | flags;
}

static uint64_t satp_of(unsigned mode, uint64_t root)
{
    return (uint64_t)mode << SATP_MODE_SHIFT | root >> 12;
}

static unsigned levels_of(unsigned mode)
{
    return mode == SATP_MODE_SV39 ? 3 : mode == SATP_MODE_SV48 ? 4 : 5;
}

static uint64_t vpn(uint64_t va, unsigned level)
{
    return (va >> (12 + 9 * level)) & 0x1ff;
}

/* Installs `leaf` as the PTE for va at `leaf_level`, creating the tables above it (plain
 * V pointers). Returns the leaf PTE's address. */
static uint64_t pt_map(Pt *p, unsigned mode, uint64_t root, uint64_t va, unsigned leaf_level,
                       uint64_t leaf)
{
    uint64_t table = root;
    for (unsigned l = levels_of(mode) - 1; l > leaf_level; l--) {
        uint64_t slot = table + 8 * vpn(va, l);
        uint64_t pte = pt_get(p, slot);
        if (!(pte & PTE_V)) {
            pte = pte_to(pt_alloc(p), PTE_V);
            pt_set(p, slot, pte);
        }
        table = ((pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT) << 12;
    }
    uint64_t slot = table + 8 * vpn(va, leaf_level);
    pt_set(p, slot, leaf);
    return slot;
}

typedef struct Access {
    RvPtAccess acc;
    bool user, sum, mxr;
} Access;

static const Access RD = { .acc = RV_PT_READ };
static const Access WR = { .acc = RV_PT_WRITE };
static const Access EX = { .acc = RV_PT_EXEC };

static RvPtResult walk(Pt *p, uint64_t satp, uint64_t va, Access a, RvPtWalk *w)
{
    PtMem mem = { .pte_ptr = pt_pte_ptr, .pte_written = pt_pte_written, .opaque = p };
    RvXlate x = { .access = a.acc, .user = a.user, .sum = a.sum, .mxr = a.mxr };
    RvPtWalk scratch;
    return rv_pt_walk(&mem, satp, va, &x, w ? w : &scratch);
}

#define RWX (PTE_R | PTE_W | PTE_X)
#define LEAF (PTE_V | RWX | PTE_A | PTE_D)

/* --- Bare --- */

static void test_bare(void)
{
    Pt *p = pt_new();
    RvPtWalk w;
    CHECK_EQ(walk(p, 0, 0x123456789abcdef0ULL, RD, &w), RV_PT_OK);
    CHECK_EQ(w.pa, 0x123456789abcdef0ULL);
    CHECK_EQ(walk(p, 0, 0xfffffffffffff000ULL, WR, &w), RV_PT_OK);
    CHECK_EQ(w.pa, 0xfffffffffffff000ULL);
    CHECK_EQ(walk(p, 0, 0x80000000ULL, (Access){ .acc = RV_PT_EXEC, .user = true }, &w), RV_PT_OK);
    CHECK_EQ(w.pa, 0x80000000ULL);
    CHECK_EQ(p->reads, 0);
    free(p);
}

/* --- walks to every leaf size --- */

typedef struct LeafCase {
    unsigned mode;
    unsigned level;
    uint64_t va;
    uint64_t pa_base;  /* aligned to the leaf size */
} LeafCase;

static void test_leaf_sizes(void)
{
    static const LeafCase cases[] = {
        { SATP_MODE_SV39, 0, 0x0000001234567abcULL, 0x123456000ULL },
        { SATP_MODE_SV39, 0, 0xffffffc000001ff8ULL, 0xfffffffffff000ULL }, /* top half, max PPN */
        { SATP_MODE_SV39, 1, 0x00000023456789abULL, 0x40200000ULL },
        { SATP_MODE_SV39, 2, 0x0000003fedcba987ULL, 0x3c0000000ULL },
        { SATP_MODE_SV39, 2, 0xffffffffc0000010ULL, 0x80000000000ULL },
        { SATP_MODE_SV48, 0, 0x00007fffffffffffULL, 0x2000ULL },
        { SATP_MODE_SV48, 1, 0x0000123456789abcULL, 0xfe00000ULL },
        { SATP_MODE_SV48, 2, 0xffff812345678abcULL, 0x1c0000000ULL },
        { SATP_MODE_SV48, 3, 0x00004321fedcba98ULL, 0x18000000000ULL },
        { SATP_MODE_SV57, 0, 0x00fffffffffff123ULL, 0x5000ULL },
        { SATP_MODE_SV57, 1, 0x00abcdef12345678ULL, 0x600000ULL },
        { SATP_MODE_SV57, 2, 0xff00123456789abcULL, 0x40000000ULL },
        { SATP_MODE_SV57, 3, 0x0012345678abcdefULL, 0x28000000000ULL },
        { SATP_MODE_SV57, 4, 0x00abcdef12345678ULL, 0x5000000000000ULL },
        { SATP_MODE_SV57, 4, 0xff00ffffffffffffULL, 0xff000000000000ULL }, /* max PPN bits */
    };
    for (unsigned k = 0; k < ARRAY_SIZE(cases); k++) {
        const LeafCase *c = &cases[k];
        Pt *p = pt_new();
        uint64_t root = pt_alloc(p);
        uint64_t slot = pt_map(p, c->mode, root, c->va, c->level, pte_to(c->pa_base, LEAF));
        uint64_t off_mask = (1ULL << (12 + 9 * c->level)) - 1;
        RvPtWalk w;
        RvPtResult r = walk(p, satp_of(c->mode, root), c->va, RD, &w);
        if (r != RV_PT_OK || w.pa != (c->pa_base | (c->va & off_mask)))
            fprintf(stderr, "leaf case %u (mode %u level %u va 0x%" PRIx64 "): r=%d pa=0x%" PRIx64
                    "\n", k, c->mode, c->level, c->va, r, w.pa);
        CHECK_EQ(r, RV_PT_OK);
        CHECK_EQ(w.pa, c->pa_base | (c->va & off_mask));
        CHECK_EQ(w.level, c->level);
        CHECK_EQ(w.pte_addr, slot);
        CHECK_EQ(w.pte, pte_to(c->pa_base, LEAF));
        CHECK_EQ(p->reads, levels_of(c->mode) - c->level);
        free(p);
    }
}

/* --- A and D --- */

static void test_accessed_dirty(void)
{
    Pt *p = pt_new();
    uint64_t root = pt_alloc(p);
    uint64_t va = 0x40001000ULL, data = 0x90000000ULL;
    uint64_t satp = satp_of(SATP_MODE_SV39, root);
    uint64_t slot = pt_map(p, SATP_MODE_SV39, root, va, 0, pte_to(data, PTE_V | PTE_R | PTE_W));
    RvPtWalk w;

    /* A read sets A only, and says so. */
    CHECK_EQ(walk(p, satp, va, RD, &w), RV_PT_OK);
    CHECK_EQ(pt_get(p, slot), pte_to(data, PTE_V | PTE_R | PTE_W | PTE_A));
    CHECK_EQ(w.pte, pt_get(p, slot));
    CHECK_EQ(p->writes, 1);
    CHECK_EQ(p->last_written, slot);
    /* A already set: nothing to write. */
    CHECK_EQ(walk(p, satp, va + 8, RD, &w), RV_PT_OK);
    CHECK_EQ(p->writes, 1);
    /* A write sets D. */
    CHECK_EQ(walk(p, satp, va + 16, WR, &w), RV_PT_OK);
    CHECK_EQ(pt_get(p, slot), pte_to(data, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D));
    CHECK_EQ(p->writes, 2);
    CHECK_EQ(p->last_written, slot);
    CHECK_EQ(walk(p, satp, va, WR, &w), RV_PT_OK);
    CHECK_EQ(p->writes, 2);

    /* A first write sets A and D together. */
    pt_set(p, slot, pte_to(data, PTE_V | PTE_R | PTE_W));
    CHECK_EQ(walk(p, satp, va, WR, &w), RV_PT_OK);
    CHECK_EQ(pt_get(p, slot), pte_to(data, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D));
    CHECK_EQ(p->writes, 3);

    /* A fetch sets A, not D. */
    pt_set(p, slot, pte_to(data, PTE_V | PTE_X));
    CHECK_EQ(walk(p, satp, va, EX, &w), RV_PT_OK);
    CHECK_EQ(pt_get(p, slot), pte_to(data, PTE_V | PTE_X | PTE_A));
    CHECK_EQ(p->last_written, slot);

    /* A superpage leaf is updated in place at its own level. */
    uint64_t va2 = 0x80000000ULL; /* vpn2 = 2, a 1 GiB leaf */
    uint64_t slot2 =
        pt_map(p, SATP_MODE_SV39, root, va2, 2, pte_to(0x40000000ULL, PTE_V | PTE_R | PTE_W));
    CHECK_EQ(walk(p, satp, va2 + 0x12345, WR, &w), RV_PT_OK);
    CHECK_EQ(w.pa, 0x40012345ULL);
    CHECK_EQ(pt_get(p, slot2) & (PTE_A | PTE_D), PTE_A | PTE_D);
    CHECK_EQ(p->last_written, slot2);

    /* A refused access leaves the PTE alone. */
    unsigned writes = p->writes;
    pt_set(p, slot, pte_to(data, PTE_V | PTE_R));
    CHECK_EQ(walk(p, satp, va, WR, &w), RV_PT_PAGE_FAULT);
    CHECK_EQ(pt_get(p, slot), pte_to(data, PTE_V | PTE_R));
    CHECK_EQ(walk(p, satp, va, (Access){ .acc = RV_PT_READ, .user = true }, &w), RV_PT_PAGE_FAULT);
    CHECK_EQ(pt_get(p, slot), pte_to(data, PTE_V | PTE_R));
    CHECK_EQ(p->writes, writes);
    free(p);
}

/* --- encodings that fault --- */

static void test_bad_ptes(void)
{
    Pt *p = pt_new();
    uint64_t root = pt_alloc(p);
    uint64_t va = 0x7f001000ULL, data = 0x90000000ULL;
    uint64_t satp = satp_of(SATP_MODE_SV39, root);
    uint64_t slot = pt_map(p, SATP_MODE_SV39, root, va, 0, 0);
    uint64_t l1_slot = root + 8 * vpn(va, 2);
    uint64_t l1_pte = pt_get(p, l1_slot);

    /* The leaf is good to begin with. */
    pt_set(p, slot, pte_to(data, LEAF));
    CHECK_EQ(walk(p, satp, va, RD, NULL), RV_PT_OK);

    /* V clear, with or without other bits. */
    pt_set(p, slot, 0);
    CHECK_EQ(walk(p, satp, va, RD, NULL), RV_PT_PAGE_FAULT);
    pt_set(p, slot, pte_to(data, LEAF & ~PTE_V));
    CHECK_EQ(walk(p, satp, va, RD, NULL), RV_PT_PAGE_FAULT);
    /* W without R, with and without X, for every access type. */
    pt_set(p, slot, pte_to(data, PTE_V | PTE_W | PTE_A | PTE_D));
    CHECK_EQ(walk(p, satp, va, WR, NULL), RV_PT_PAGE_FAULT);
    CHECK_EQ(walk(p, satp, va, RD, NULL), RV_PT_PAGE_FAULT);
    pt_set(p, slot, pte_to(data, PTE_V | PTE_W | PTE_X | PTE_A | PTE_D));
    CHECK_EQ(walk(p, satp, va, EX, NULL), RV_PT_PAGE_FAULT);
    CHECK_EQ(walk(p, satp, va, WR, NULL), RV_PT_PAGE_FAULT);
    /* Bits 54-63 (reserved, PBMT, N): each one alone faults, on a leaf and on a pointer. */
    for (unsigned b = 54; b < 64; b++) {
        pt_set(p, slot, pte_to(data, LEAF) | 1ULL << b);
        RvPtResult r = walk(p, satp, va, RD, NULL);
        if (r != RV_PT_PAGE_FAULT)
            fprintf(stderr, "leaf PTE with bit %u set: %d\n", b, r);
        CHECK_EQ(r, RV_PT_PAGE_FAULT);
        pt_set(p, slot, pte_to(data, LEAF));
        pt_set(p, l1_slot, l1_pte | 1ULL << b);
        CHECK_EQ(walk(p, satp, va, RD, NULL), RV_PT_PAGE_FAULT);
        pt_set(p, l1_slot, l1_pte);
    }
    CHECK_EQ(walk(p, satp, va, RD, NULL), RV_PT_OK);
    /* A pointer (no R, W, X) with A, D or U set; G is allowed. */
    const uint64_t nonleaf_bad[] = { PTE_A, PTE_D, PTE_U, PTE_A | PTE_D };
    for (unsigned k = 0; k < ARRAY_SIZE(nonleaf_bad); k++) {
        pt_set(p, l1_slot, l1_pte | nonleaf_bad[k]);
        CHECK_EQ(walk(p, satp, va, RD, NULL), RV_PT_PAGE_FAULT);
    }
    pt_set(p, l1_slot, l1_pte | PTE_G);
    CHECK_EQ(walk(p, satp, va, RD, NULL), RV_PT_OK);
    pt_set(p, l1_slot, l1_pte);
    /* Pointer invalid at the root. */
    pt_set(p, l1_slot, l1_pte & ~PTE_V);
    CHECK_EQ(walk(p, satp, va, RD, NULL), RV_PT_PAGE_FAULT);
    pt_set(p, l1_slot, l1_pte);
    /* Level 0 holding a pointer: there is no level below it. */
    pt_set(p, slot, pte_to(root, PTE_V));
    CHECK_EQ(walk(p, satp, va, RD, NULL), RV_PT_PAGE_FAULT);
    free(p);
}

static void test_misaligned_superpages(void)
{
    Pt *p = pt_new();
    uint64_t root = pt_alloc(p);
    uint64_t satp = satp_of(SATP_MODE_SV39, root);
    /* 2 MiB leaf whose PPN has bit 0 set; 1 GiB leaf with PPN bit 9 (a 2 MiB boundary). */
    uint64_t va2m = 0x00200000ULL, va1g = 0x40000000ULL;
    uint64_t s2m = pt_map(p, SATP_MODE_SV39, root, va2m, 1, pte_to(0x90001000ULL, LEAF));
    uint64_t s1g = pt_map(p, SATP_MODE_SV39, root, va1g, 2, pte_to(0xc0200000ULL, LEAF));
    CHECK_EQ(walk(p, satp, va2m, RD, NULL), RV_PT_PAGE_FAULT);
    CHECK_EQ(walk(p, satp, va1g, RD, NULL), RV_PT_PAGE_FAULT);
    /* Each misaligned bit position alone. */
    for (unsigned b = 0; b < 9; b++) {
        pt_set(p, s2m, pte_to(0x90000000ULL | 1ULL << (12 + b), LEAF));
        CHECK_EQ(walk(p, satp, va2m, RD, NULL), RV_PT_PAGE_FAULT);
    }
    for (unsigned b = 0; b < 18; b++) {
        pt_set(p, s1g, pte_to(0xc0000000ULL | 1ULL << (12 + b), LEAF));
        CHECK_EQ(walk(p, satp, va1g, RD, NULL), RV_PT_PAGE_FAULT);
    }
    /* Aligned, both work. */
    pt_set(p, s2m, pte_to(0x90000000ULL, LEAF));
    pt_set(p, s1g, pte_to(0xc0000000ULL, LEAF));
    CHECK_EQ(walk(p, satp, va2m, RD, NULL), RV_PT_OK);
    CHECK_EQ(walk(p, satp, va1g, RD, NULL), RV_PT_OK);

    /* Sv48 512 GiB and Sv57 256 TiB leaves with the lowest misaligned PPN bit. */
    Pt *q = pt_new();
    uint64_t r48 = pt_alloc(q), r57 = pt_alloc(q);
    pt_map(q, SATP_MODE_SV48, r48, 0x0000008000000000ULL, 3,
           pte_to(0x8000000000ULL + 0x1000, LEAF));
    CHECK_EQ(walk(q, satp_of(SATP_MODE_SV48, r48), 0x0000008000000000ULL, RD, NULL),
             RV_PT_PAGE_FAULT);
    pt_map(q, SATP_MODE_SV57, r57, 0x0001000000000000ULL, 4,
           pte_to(0x1000000000000ULL | 0x800000000000ULL, LEAF));
    CHECK_EQ(walk(q, satp_of(SATP_MODE_SV57, r57), 0x0001000000000000ULL, RD, NULL),
             RV_PT_PAGE_FAULT);
    free(q);
    free(p);
}

/* --- permissions (4.3.1: U, SUM, MXR; 4.3.2 step 5) --- */

/* The rule as the spec states it, written out independently of the walker. */
static bool spec_allows(uint64_t perm, bool u_page, Access a)
{
    if (a.user && !u_page)
        return false;                  /* U-mode only touches U pages (SUM is irrelevant) */
    if (!a.user && u_page) {
        if (a.acc == RV_PT_EXEC)
            return false;              /* S-mode never executes from U pages */
        if (!a.sum)
            return false;
    }
    switch (a.acc) {
    case RV_PT_READ: return (perm & PTE_R) || (a.mxr && (perm & PTE_X));
    case RV_PT_WRITE: return (perm & PTE_W) != 0;
    default: return (perm & PTE_X) != 0;
    }
}

static void test_permission_matrix(void)
{
    static const uint64_t perms[] = { PTE_R, PTE_R | PTE_W, PTE_X, PTE_R | PTE_X, RWX };
    Pt *p = pt_new();
    uint64_t root = pt_alloc(p);
    uint64_t va = 0x3000ULL, data = 0xa0000000ULL;
    uint64_t satp = satp_of(SATP_MODE_SV39, root);
    uint64_t slot = pt_map(p, SATP_MODE_SV39, root, va, 0, 0);
    unsigned mismatches = 0;
    for (unsigned k = 0; k < ARRAY_SIZE(perms); k++)
        for (unsigned u = 0; u < 2; u++)
            for (unsigned acc = 0; acc < 3; acc++)
                for (unsigned mode = 0; mode < 8; mode++) {
                    Access a = { .acc = (RvPtAccess)acc, .user = mode & 1, .sum = (mode >> 1) & 1,
                                 .mxr = (mode >> 2) & 1 };
                    uint64_t pte = pte_to(data, PTE_V | perms[k] | (u ? PTE_U : 0));
                    pt_set(p, slot, pte);
                    bool want = spec_allows(perms[k], u, a);
                    RvPtWalk w;
                    RvPtResult r = walk(p, satp, va + 0x10, a, &w);
                    if ((r == RV_PT_OK) != want) {
                        fprintf(stderr, "perm %c%c%c%c acc %u user %d sum %d mxr %d: %s, want %s\n",
                                perms[k] & PTE_R ? 'r' : '-', perms[k] & PTE_W ? 'w' : '-',
                                perms[k] & PTE_X ? 'x' : '-', u ? 'u' : '-', acc, a.user, a.sum,
                                a.mxr, r == RV_PT_OK ? "allowed" : "fault",
                                want ? "allowed" : "fault");
                        mismatches++;
                    }
                    CHECK_EQ(r, want ? RV_PT_OK : RV_PT_PAGE_FAULT);
                    if (want) {
                        uint64_t ad = PTE_A | (acc == RV_PT_WRITE ? PTE_D : 0);
                        CHECK_EQ(pt_get(p, slot), pte | ad);
                        CHECK_EQ(w.pa, data + 0x10);
                    } else {
                        CHECK_EQ(pt_get(p, slot), pte);
                    }
                }
    CHECK_EQ(mismatches, 0);

    /* The cases by name. */
    Access s_read = { .acc = RV_PT_READ };
    Access s_read_sum = { .acc = RV_PT_READ, .sum = true };
    Access s_fetch_sum = { .acc = RV_PT_EXEC, .sum = true };
    Access u_read_sum = { .acc = RV_PT_READ, .user = true, .sum = true };
    Access s_read_mxr = { .acc = RV_PT_READ, .mxr = true };
    Access u_fetch = { .acc = RV_PT_EXEC, .user = true };
    pt_set(p, slot, pte_to(data, PTE_V | PTE_U | RWX | PTE_A | PTE_D));
    CHECK_EQ(walk(p, satp, va, s_read, NULL), RV_PT_PAGE_FAULT);      /* U page, SUM=0 */
    CHECK_EQ(walk(p, satp, va, s_read_sum, NULL), RV_PT_OK);          /* U page, SUM=1 */
    CHECK_EQ(walk(p, satp, va, s_fetch_sum, NULL), RV_PT_PAGE_FAULT); /* never, even SUM=1 */
    CHECK_EQ(walk(p, satp, va, u_fetch, NULL), RV_PT_OK);
    pt_set(p, slot, pte_to(data, PTE_V | RWX | PTE_A | PTE_D));
    CHECK_EQ(walk(p, satp, va, u_read_sum, NULL), RV_PT_PAGE_FAULT);  /* S page from U */
    pt_set(p, slot, pte_to(data, PTE_V | PTE_X | PTE_A));
    CHECK_EQ(walk(p, satp, va, s_read, NULL), RV_PT_PAGE_FAULT);      /* X-only, no MXR */
    CHECK_EQ(walk(p, satp, va, s_read_mxr, NULL), RV_PT_OK);          /* X-only, MXR */
    free(p);
}

/* --- canonical virtual addresses --- */

static void test_canonical(void)
{
    static const struct { unsigned mode; uint64_t bad, good; } cases[] = {
        { SATP_MODE_SV39, 0x0000008000000000ULL, 0xffffffc000000000ULL },
        { SATP_MODE_SV39, 0xffffffbffffff000ULL, 0x0000003ffffff000ULL },
        { SATP_MODE_SV39, 0x8000000000000000ULL, 0xfffffffffffff000ULL },
        { SATP_MODE_SV48, 0x0001000000000000ULL, 0xffff800000000000ULL },
        { SATP_MODE_SV48, 0xffff7ffffffff000ULL, 0x00007ffffffff000ULL },
        { SATP_MODE_SV57, 0x0200000000000000ULL, 0xff00000000000000ULL },
        { SATP_MODE_SV57, 0xfefffffffffff000ULL, 0x00fffffffffff000ULL },
    };
    for (unsigned k = 0; k < ARRAY_SIZE(cases); k++) {
        unsigned mode = cases[k].mode;
        unsigned vabits = 12 + 9 * levels_of(mode);
        uint64_t truncated = cases[k].bad & ((1ULL << vabits) - 1);
        Pt *p = pt_new();
        uint64_t root = pt_alloc(p), satp = satp_of(mode, root);
        /* Map what a walker that ignores the upper bits would find, and the good VA. */
        pt_map(p, mode, root, truncated, 0, pte_to(0x90000000ULL, LEAF));
        pt_map(p, mode, root, cases[k].good, 0, pte_to(0x91000000ULL, LEAF));
        RvPtResult r = walk(p, satp, cases[k].bad, RD, NULL);
        if (r != RV_PT_PAGE_FAULT)
            fprintf(stderr, "mode %u: non-canonical 0x%" PRIx64 " gave %d\n", mode,
                    cases[k].bad, r);
        CHECK_EQ(r, RV_PT_PAGE_FAULT);
        CHECK_EQ(walk(p, satp, cases[k].bad, EX, NULL), RV_PT_PAGE_FAULT);
        RvPtWalk w;
        CHECK_EQ(walk(p, satp, cases[k].good + 0x7f8, WR, &w), RV_PT_OK);
        CHECK_EQ(w.pa, 0x910007f8ULL);
        free(p);
    }
}

/* --- PTEs outside memory --- */

static void test_access_fault(void)
{
    Pt *p = pt_new();
    uint64_t root = pt_alloc(p);
    uint64_t va = 0x5000ULL;
    /* The root table itself outside memory. */
    CHECK_EQ(walk(p, satp_of(SATP_MODE_SV39, 0x10000000ULL), va, RD, NULL), RV_PT_ACCESS_FAULT);
    CHECK_EQ(walk(p, satp_of(SATP_MODE_SV48, MEM_BASE + MEM_SIZE), va, RD, NULL),
             RV_PT_ACCESS_FAULT);
    /* A pointer to a table past the end of memory: the fault is at the next level. */
    pt_set(p, root + 8 * vpn(va, 2), pte_to(MEM_BASE + MEM_SIZE, PTE_V));
    CHECK_EQ(walk(p, satp_of(SATP_MODE_SV39, root), va, RD, NULL), RV_PT_ACCESS_FAULT);
    /* A pointer into memory, then one below it. */
    uint64_t l1 = pt_alloc(p);
    pt_set(p, root + 8 * vpn(va, 2), pte_to(l1, PTE_V));
    pt_set(p, l1 + 8 * vpn(va, 1), pte_to(0x1000ULL, PTE_V));
    CHECK_EQ(walk(p, satp_of(SATP_MODE_SV39, root), va, WR, NULL), RV_PT_ACCESS_FAULT);
    CHECK_EQ(walk(p, satp_of(SATP_MODE_SV39, root), va, EX, NULL), RV_PT_ACCESS_FAULT);
    free(p);
}

int main(void)
{
    test_bare();
    test_leaf_sizes();
    test_accessed_dirty();
    test_bad_ptes();
    test_misaligned_superpages();
    test_permission_matrix();
    test_canonical();
    test_access_fault();
    return unit_summary("test_riscv_pt");
}
