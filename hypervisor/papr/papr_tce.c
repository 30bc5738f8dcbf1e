/* hypervisor/papr/papr_tce.c: TCE tables, the DMA translation of a partition's PCI host
 * bridges (LoPAR, "Hypervisor Interface Requirements": the "hcall-tce" function set
 * H_GET_TCE, H_PUT_TCE and the "hcall-multi-tce" function set H_STUFF_TCE,
 * H_PUT_TCE_INDIRECT). A window is named by its LIOBN (logical I/O bus number) and covers
 * bus addresses [bus_offset, bus_offset + 4 KiB * nentries); each TCE is the real page
 * number of a page of the partition with read and write permission bits. Every argument
 * comes from the guest: the LIOBN must name a table, the I/O bus address (ioba) must lie
 * in its window (its low 12 bits are ignored, as the hcalls take page numbers), counts
 * must stay in the window, and a TCE that grants any access must name a page of RAM. */
#include "hypervisor/papr/papr.h"

#include <stdlib.h>

bool papr_tce_add(Papr *p, uint32_t liobn, uint64_t bus_offset, uint64_t size)
{
    if (!liobn || (bus_offset | size) & (PAPR_TCE_PAGE_SIZE - 1) || !size ||
        bus_offset + size < bus_offset)
        return false;
    PaprTceTable *free_slot = NULL;
    for (unsigned i = 0; i < PAPR_MAX_TCE_TABLES; i++) {
        if (p->tce[i].liobn == liobn)
            return false;
        if (!p->tce[i].liobn && !free_slot)
            free_slot = &p->tce[i];
    }
    if (!free_slot)
        return false;
    uint64_t n = size >> PAPR_TCE_PAGE_SHIFT;
    uint64_t *entries = calloc(n, sizeof(uint64_t));
    if (!entries)
        return false;
    *free_slot = (PaprTceTable){ .liobn = liobn, .bus_offset = bus_offset, .nentries = n,
                                 .entries = entries };
    return true;
}

void papr_tce_free(Papr *p)
{
    for (unsigned i = 0; i < PAPR_MAX_TCE_TABLES; i++) {
        free(p->tce[i].entries);
        p->tce[i] = (PaprTceTable){ 0 };
    }
}

void papr_tce_reset(Papr *p)
{
    for (unsigned i = 0; i < PAPR_MAX_TCE_TABLES; i++)
        if (p->tce[i].entries)
            memset(p->tce[i].entries, 0, p->tce[i].nentries * sizeof(uint64_t));
}

static PaprTceTable *find_table(const Papr *p, uint64_t liobn)
{
    for (unsigned i = 0; i < PAPR_MAX_TCE_TABLES; i++)
        if (p->tce[i].liobn && p->tce[i].liobn == liobn)
            return (PaprTceTable *)&p->tce[i];
    return NULL;
}

/* The index of the entry for ioba, if `count` entries from it lie in the window. */
static bool entry_index(const PaprTceTable *t, uint64_t ioba, uint64_t count, uint64_t *idx)
{
    if (ioba < t->bus_offset)
        return false;
    uint64_t i = (ioba - t->bus_offset) >> PAPR_TCE_PAGE_SHIFT;
    if (i >= t->nentries || count > t->nentries - i)
        return false;
    *idx = i;
    return true;
}

/* A TCE that grants access must name a whole page of guest RAM. */
static bool tce_ok(const Papr *p, uint64_t tce)
{
    if (!(tce & (PAPR_TCE_READ | PAPR_TCE_WRITE)))
        return true;
    uint64_t page = tce & PAPR_TCE_RPN_MASK;
    return page < p->hpt.ram_size && PAPR_TCE_PAGE_SIZE <= p->hpt.ram_size - page;
}

bool papr_tce_translate(const Papr *p, uint32_t liobn, uint64_t addr, uint64_t len, bool write,
                        uint64_t *ra)
{
    const PaprTceTable *t = find_table(p, liobn);
    uint64_t i, off = addr & (PAPR_TCE_PAGE_SIZE - 1);
    if (!t || !entry_index(t, addr, 1, &i) || len > PAPR_TCE_PAGE_SIZE - off)
        return false;
    uint64_t tce = t->entries[i];
    if (!(tce & (write ? PAPR_TCE_WRITE : PAPR_TCE_READ)))
        return false;
    *ra = (tce & PAPR_TCE_RPN_MASK) + off;
    return true;
}

/* H_GET_TCE(liobn, ioba): r4 = the TCE. */
int64_t papr_h_get_tce(Papr *p, PpcCpu *c, uint64_t *a)
{
    PaprTceTable *t = find_table(p, a[0]);
    uint64_t i;
    if (!t || !entry_index(t, a[1], 1, &i))
        return H_PARAMETER;
    a[0] = t->entries[i];
    return H_SUCCESS;
}

/* H_PUT_TCE(liobn, ioba, tce). */
int64_t papr_h_put_tce(Papr *p, PpcCpu *c, uint64_t *a)
{
    PaprTceTable *t = find_table(p, a[0]);
    uint64_t i;
    if (!t || !entry_index(t, a[1], 1, &i) || !tce_ok(p, a[2]))
        return H_PARAMETER;
    t->entries[i] = a[2];
    return H_SUCCESS;
}

/* H_STUFF_TCE(liobn, ioba, tce, count): the same TCE in count consecutive entries. */
int64_t papr_h_stuff_tce(Papr *p, PpcCpu *c, uint64_t *a)
{
    PaprTceTable *t = find_table(p, a[0]);
    uint64_t i, count = a[3];
    if (!t || !entry_index(t, a[1], count, &i) || !tce_ok(p, a[2]))
        return H_PARAMETER;
    for (uint64_t k = 0; k < count; k++)
        t->entries[i + k] = a[2];
    return H_SUCCESS;
}

/* H_PUT_TCE_INDIRECT(liobn, ioba, list, count):
 * 1. count <= 512 and the list (big-endian TCEs) is a 4 KiB-aligned block of RAM;
 * 2. the entries it fills lie in the window;
 * 3. every TCE is checked before any is stored, so a bad list changes nothing. */
int64_t papr_h_put_tce_indirect(Papr *p, PpcCpu *c, uint64_t *a)
{
    PaprTceTable *t = find_table(p, a[0]);
    uint64_t i, list = a[2], count = a[3];
    uint8_t buf[8 * PAPR_TCE_INDIRECT_MAX];
    if (!t || count > PAPR_TCE_INDIRECT_MAX || (list & (PAPR_TCE_PAGE_SIZE - 1)) ||
        !entry_index(t, a[1], count, &i))
        return H_PARAMETER;
    if (!bus_dma_read(p->bus, list, buf, 8 * count))
        return H_PARAMETER;
    for (uint64_t k = 0; k < count; k++)
        if (!tce_ok(p, ld_be(buf + 8 * k, 8)))
            return H_PARAMETER;
    for (uint64_t k = 0; k < count; k++)
        t->entries[i + k] = ld_be(buf + 8 * k, 8);
    return H_SUCCESS;
}
