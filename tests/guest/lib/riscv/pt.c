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
    pt->gstage = false;
}

void pt_init_gstage(struct pt *pt, unsigned long mode, void *pool, unsigned npages)
{
    if ((unsigned long)pool & 0x3fff) {
        report(false, "G-stage root table pool not 16 KiB aligned");
        report_exit();
    }
    pt_init(pt, mode, pool, npages);
    pt->used = 4;
    pt->gstage = true;
}

static uint64_t *alloc_table(struct pt *pt)
{
    if (pt->used >= pt->npages) {
        report(false, "page-table pool exhausted");
        report_exit();
    }
    return (uint64_t *)(pt->pool + 4096UL * pt->used++);
}

/* VPN[level] of va; the root level of an x4 G-stage table has two more bits. */
static unsigned vpn(const struct pt *pt, unsigned long va, unsigned level)
{
    unsigned long mask = pt->gstage && level == pt->levels - 1 ? 0x7ff : 0x1ff;
    return (va >> (12 + 9 * level)) & mask;
}

uint64_t *pt_map(struct pt *pt, unsigned long va, unsigned long pa, unsigned level, uint64_t flags)
{
    uint64_t *table = pt->root;
    for (unsigned i = pt->levels - 1; i > level; i--) {
        uint64_t *e = &table[vpn(pt, va, i)];
        if (!(*e & PTE_V))
            *e = pt_pte((unsigned long)alloc_table(pt), PTE_V);
        table = (uint64_t *)(((*e >> PTE_PPN_SHIFT) & ((1UL << 44) - 1)) << 12);
    }
    uint64_t *leaf = &table[vpn(pt, va, level)];
    *leaf = pt_pte(pa, flags | PTE_V);
    fence();
    return leaf;
}

uint64_t *pt_lookup(struct pt *pt, unsigned long va)
{
    uint64_t *table = pt->root;
    for (int i = (int)pt->levels - 1; i >= 0; i--) {
        uint64_t *e = &table[vpn(pt, va, (unsigned)i)];
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
