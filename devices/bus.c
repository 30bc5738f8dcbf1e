/* devices/bus.c: physical address space lookup and dispatch (see bus.h). */
#include "devices/bus.h"

#include <stdio.h>
#include <stdlib.h>

static BusRegion *bus_add(Bus *b, const char *name, uint64_t base, uint64_t size)
{
    if (b->nregions >= BUS_MAX_REGIONS || size == 0 || base + size < base) {
        fprintf(stderr, "hvemu: cannot map region %s\n", name);
        exit(1);
    }
    BusRegion *r = &b->regions[b->nregions++];
    *r = (BusRegion){ .name = name, .base = base, .size = size };
    return r;
}

BusRegion *bus_map_ram(Bus *b, const char *name, uint64_t base, uint64_t size, uint8_t *host)
{
    BusRegion *r = bus_add(b, name, base, size);
    r->ram = host;
    return r;
}

BusRegion *bus_map_mmio(Bus *b, const char *name, uint64_t base, uint64_t size,
                        const MmioOps *ops, void *opaque)
{
    BusRegion *r = bus_add(b, name, base, size);
    r->ops = ops;
    r->opaque = opaque;
    return r;
}

BusRegion *bus_find(Bus *b, uint64_t pa, uint64_t len)
{
    BusRegion *best = NULL;
    if (len == 0 || pa + len < pa)
        return NULL;
    for (unsigned i = 0; i < b->nregions; i++) {
        BusRegion *r = &b->regions[i];
        if (pa >= r->base && pa - r->base < r->size && len <= r->size - (pa - r->base)) {
            if (!best || r->size < best->size)
                best = r;
        }
    }
    return best;
}

uint8_t *bus_ram_ptr(Bus *b, uint64_t pa, uint64_t len)
{
    BusRegion *r = bus_find(b, pa, len);
    if (!r || !r->ram)
        return NULL;
    /* A device mapped over part of the range (HTIF's tohost) takes it out of RAM. */
    for (unsigned i = 0; i < b->nregions; i++) {
        const BusRegion *o = &b->regions[i];
        if (!o->ram && o->base < pa + len && pa < o->base + o->size)
            return NULL;
    }
    return r->ram + (pa - r->base);
}

bool bus_read(Bus *b, uint64_t pa, unsigned size, uint64_t *val)
{
    BusRegion *r = bus_find(b, pa, size);
    if (!r)
        return false;
    if (r->ram) {
        *val = ld_le(r->ram + (pa - r->base), size);
        return true;
    }
    const MmioOps *ops = r->ops;
    if (size < ops->min_size || size > ops->max_size || !ops->read)
        return false;
    uint64_t v = ops->read(r->opaque, pa - r->base, size);
    *val = ops->endian == DEV_BIG_ENDIAN ? bswap_sized(v, size) : v;
    return true;
}

bool bus_write(Bus *b, uint64_t pa, unsigned size, uint64_t val)
{
    BusRegion *r = bus_find(b, pa, size);
    if (!r)
        return false;
    if (r->ram) {
        if (r->readonly)
            return true; /* ROM ignores writes */
        st_le(r->ram + (pa - r->base), size, val);
        if (b->ram_written)
            b->ram_written(b->ram_written_opaque, pa, size);
        return true;
    }
    const MmioOps *ops = r->ops;
    if (size < ops->min_size || size > ops->max_size || !ops->write)
        return false;
    if (size < 8)
        val &= (1ULL << (size * 8)) - 1;
    ops->write(r->opaque, pa - r->base, ops->endian == DEV_BIG_ENDIAN ? bswap_sized(val, size) : val,
               size);
    return true;
}

bool bus_dma_read(Bus *b, uint64_t pa, void *buf, uint64_t len)
{
    if (len == 0)
        return true;
    uint8_t *p = bus_ram_ptr(b, pa, len);
    if (!p)
        return false;
    memcpy(buf, p, len);
    return true;
}

bool bus_dma_write(Bus *b, uint64_t pa, const void *buf, uint64_t len)
{
    if (len == 0)
        return true;
    BusRegion *r = bus_find(b, pa, len);
    if (!r || !r->ram || r->readonly)
        return false;
    memcpy(r->ram + (pa - r->base), buf, len);
    if (b->ram_written)
        b->ram_written(b->ram_written_opaque, pa, len);
    return true;
}
