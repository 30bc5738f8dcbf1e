/* devices/bus.h: the physical address space of a machine. RAM regions hand out host
 * pointers; MMIO regions are a device struct plus MmioOps. Interrupt lines (IrqLine) and
 * the system controls (SysCtl: power-off with a status, reset) are how devices reach the
 * rest of the machine without knowing about CPUs. Every address and length that comes
 * from a guest is checked here before a host pointer is formed. */
#ifndef HVEMU_BUS_H
#define HVEMU_BUS_H

#include "cpu/common/base.h"
#include "cpu/common/vclock.h"

typedef enum DevEndian { DEV_LITTLE_ENDIAN, DEV_BIG_ENDIAN } DevEndian;

/* Register access. `off` is relative to the region base; `size` is 1, 2, 4 or 8 and lies
 * within [min_size, max_size]. Values are numbers in the device's register order: the bus
 * swaps for a big-endian device so that a CPU sees memory byte order. */
typedef struct MmioOps {
    uint64_t (*read)(void *opaque, uint64_t off, unsigned size);
    void (*write)(void *opaque, uint64_t off, uint64_t val, unsigned size);
    uint8_t min_size, max_size;
    DevEndian endian;
} MmioOps;

typedef struct BusRegion {
    const char *name;
    uint64_t base, size;
    uint8_t *ram;          /* RAM/ROM: host memory of `size` bytes */
    bool readonly;
    const MmioOps *ops;    /* MMIO */
    void *opaque;
} BusRegion;

#define BUS_MAX_REGIONS 48

typedef struct Bus {
    BusRegion regions[BUS_MAX_REGIONS];
    unsigned nregions;
    VClock *clock;
    /* Called after a DMA or emulator write into RAM so that translated code on those
     * pages is dropped. */
    void (*ram_written)(void *opaque, uint64_t pa, uint64_t len);
    void *ram_written_opaque;
} Bus;

typedef struct IrqLine {
    void (*set)(void *opaque, unsigned n, bool level);
    void *opaque;
    unsigned n;
} IrqLine;

static inline void irq_set(const IrqLine *l, bool level)
{
    if (l->set)
        l->set(l->opaque, l->n, level);
}

typedef struct SysCtl {
    void (*shutdown)(void *opaque, int status);
    void (*reset)(void *opaque);
    void *opaque;
} SysCtl;

BusRegion *bus_map_ram(Bus *b, const char *name, uint64_t base, uint64_t size, uint8_t *host);
BusRegion *bus_map_mmio(Bus *b, const char *name, uint64_t base, uint64_t size,
                        const MmioOps *ops, void *opaque);
/* The most specific region holding [pa, pa+len), or NULL. */
BusRegion *bus_find(Bus *b, uint64_t pa, uint64_t len);
/* Host pointer to [pa, pa+len) if it lies inside one RAM region, else NULL. */
uint8_t *bus_ram_ptr(Bus *b, uint64_t pa, uint64_t len);

/* A CPU or device register access. False when nothing answers at pa or the size is not
 * one the device accepts: the caller raises its architecture's access fault. */
bool bus_read(Bus *b, uint64_t pa, unsigned size, uint64_t *val);
bool bus_write(Bus *b, uint64_t pa, unsigned size, uint64_t val);

/* DMA into and out of RAM (virtio, loaders). False if any byte is outside RAM. */
bool bus_dma_read(Bus *b, uint64_t pa, void *buf, uint64_t len);
bool bus_dma_write(Bus *b, uint64_t pa, const void *buf, uint64_t len);

#endif
