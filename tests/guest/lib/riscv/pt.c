/* tests/guest/lib/riscv/pt.c: page-table construction for guest tests (see pt.h). */
#include "pt.h"

void pt_init(struct pt *pt, unsigned long mode, void *pool, unsigned npages)
{
    pt->mode = mode;
    pt->levels = mode == SATP_MODE_SV39 ? 3 : mode == SATP_MODE_SV48 ? 4 : 5;
    pt->pool = pool;
    pt->npages = npages;
    pt->used = 0;
    memset(pool, 0, (size_t)npages * 4096);
    pt->root = (uint64_t *)pt->pool;
    pt->used = 1;
}

static uint64_t *alloc_table(struct pt *pt)
{
    if (pt->used >= pt->npages) {
        report(false, "page-table pool exhausted");
        report_exit();
    }
    return (uint64_t *)(pt->pool + 4096UL * pt->used++);
}

static unsigned vpn(unsigned long va, unsigned level)
{
    return (va >> (12 + 9 * level)) & 0x1ff;
}

uint64_t *pt_map(struct pt *pt, unsigned long va, unsigned long pa, unsigned level, uint64_t flags)
{
    uint64_t *table = pt->root;
    for (unsigned i = pt->levels - 1; i > level; i--) {
        uint64_t *e = &table[vpn(va, i)];
        if (!(*e & PTE_V))
            *e = pt_pte((unsigned long)alloc_table(pt), PTE_V);
        table = (uint64_t *)(((*e >> PTE_PPN_SHIFT) & ((1UL << 44) - 1)) << 12);
    }
    uint64_t *leaf = &table[vpn(va, level)];
    *leaf = pt_pte(pa, flags | PTE_V);
    fence();
    return leaf;
}

uint64_t *pt_lookup(struct pt *pt, unsigned long va)
{
    uint64_t *table = pt->root;
    for (int i = (int)pt->levels - 1; i >= 0; i--) {
        uint64_t *e = &table[vpn(va, (unsigned)i)];
        if (!(*e & PTE_V) || (*e & (PTE_R | PTE_W | PTE_X)) || i == 0)
            return e;
        table = (uint64_t *)(((*e >> PTE_PPN_SHIFT) & ((1UL << 44) - 1)) << 12);
    }
    return NULL;
}

unsigned long pt_satp(const struct pt *pt)
{
    return (pt->mode << SATP_MODE_SHIFT) | ((unsigned long)pt->root >> 12);
}
