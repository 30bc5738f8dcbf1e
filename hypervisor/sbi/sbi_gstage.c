/* hypervisor/sbi/sbi_gstage.c: the built-in hypervisor's G-stage table builder (Volume II
 * 1.12, 8.5.1 "Guest Physical Address Translation"): Sv39x4 and Sv48x4 are Sv39 and Sv48
 * with a root table of 2048 entries (16 KiB, 16 KiB-aligned) indexed by GPA bits 40:30
 * (Sv39x4) or 49:39 (Sv48x4). Every leaf has U=1, since all G-stage accesses are
 * user-level (8.5.1), and A and D set, so the walker never needs to write the table. */
#include "hypervisor/sbi/sbi_gstage.h"

#define GSTAGE_ROOT_SIZE (16 * 1024)
#define GSTAGE_MAX_LEAF_LEVEL 2 /* 1 GiB leaves */

static unsigned top_level(const SbiGStage *g)
{
    return g->mode == HGATP_MODE_SV48X4 ? 3 : 2;
}

bool sbi_gstage_init(SbiGStage *g, unsigned mode, uint8_t *mem, uint64_t base, uint64_t size)
{
    if ((mode != HGATP_MODE_SV39X4 && mode != HGATP_MODE_SV48X4) ||
        (base & (GSTAGE_ROOT_SIZE - 1)) || size < GSTAGE_ROOT_SIZE)
        return false;
    *g = (SbiGStage){ .mem = mem, .base = base, .size = size & ~0xfffULL,
                      .used = GSTAGE_ROOT_SIZE, .mode = mode };
    memset(mem, 0, GSTAGE_ROOT_SIZE);
    return true;
}

uint64_t sbi_gstage_hgatp(const SbiGStage *g, unsigned vmid)
{
    return ((uint64_t)g->mode << 60) | (((uint64_t)vmid << HGATP_VMID_SHIFT) & HGATP_VMID_MASK) |
           (g->base >> 12);
}

/* A zeroed 4 KiB table from the pool; its machine-physical address, or 0. */
static uint64_t alloc_table(SbiGStage *g)
{
    if (g->size - g->used < 4096)
        return 0;
    uint64_t off = g->used;
    g->used += 4096;
    memset(g->mem + off, 0, 4096);
    return g->base + off;
}

static uint8_t *pte_at(SbiGStage *g, uint64_t table, uint64_t gpa, unsigned level)
{
    uint64_t mask = level == top_level(g) ? 0x7ff : 0x1ff;
    uint64_t index = (gpa >> (12 + 9 * level)) & mask;
    return g->mem + (table - g->base) + 8 * index;
}

/* One leaf at `level` mapping gpa to pa:
 * 1. from the root down to the level above the leaf, follow each valid non-leaf PTE or
 *    install a fresh table where the PTE is invalid (a leaf on the way is an overlap);
 * 2. write the leaf, which must not be there already. */
static bool map_leaf(SbiGStage *g, uint64_t gpa, uint64_t pa, unsigned level, uint64_t perms)
{
    uint64_t table = g->base;
    for (unsigned l = top_level(g); l > level; l--) {
        uint8_t *p = pte_at(g, table, gpa, l);
        uint64_t pte = ld_le(p, 8);
        if (!(pte & PTE_V)) {
            uint64_t next = alloc_table(g);
            if (!next)
                return false;
            pte = ((next >> 12) << PTE_PPN_SHIFT) | PTE_V;
            st_le(p, 8, pte);
        } else if (pte & (PTE_R | PTE_W | PTE_X)) {
            return false;
        }
        table = ((pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT) << 12;
    }
    uint8_t *p = pte_at(g, table, gpa, level);
    if (ld_le(p, 8) & PTE_V)
        return false;
    st_le(p, 8, ((pa >> 12) << PTE_PPN_SHIFT) | perms | PTE_U | PTE_A | PTE_D | PTE_V);
    return true;
}

bool sbi_gstage_map(SbiGStage *g, uint64_t gpa, uint64_t pa, uint64_t size, uint64_t perms)
{
    unsigned gpa_bits = g->mode == HGATP_MODE_SV48X4 ? 50 : 41;
    if (((gpa | pa | size) & 0xfff) || gpa + size < gpa || gpa + size > (1ULL << gpa_bits) ||
        !(perms & (PTE_R | PTE_X)) || ((perms & PTE_W) && !(perms & PTE_R)) ||
        (perms & ~(PTE_R | PTE_W | PTE_X)))
        return false;
    while (size) {
        unsigned level = GSTAGE_MAX_LEAF_LEVEL;
        for (;; level--) {
            uint64_t leaf = 1ULL << (12 + 9 * level);
            if (level == 0 || (!((gpa | pa) & (leaf - 1)) && size >= leaf))
                break;
        }
        uint64_t leaf = 1ULL << (12 + 9 * level);
        if (!map_leaf(g, gpa, pa, level, perms))
            return false;
        gpa += leaf;
        pa += leaf;
        size -= leaf;
    }
    return true;
}
