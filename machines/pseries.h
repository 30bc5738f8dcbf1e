/* machines/pseries.h: the pseries machine. */
#ifndef HVEMU_PSERIES_H
#define HVEMU_PSERIES_H

#include "machines/machine.h"
#include "mmu/ppc_hash64.h"

/* ---- The device tree builder (machines/pseries_fdt.c) ----
 * Builds the tree a PAPR partition sees before the Open Firmware client interface takes
 * it over: the root (device_type "chrp"), /cpus, /memory@0, /rtas (tokens, rtas-size,
 * ibm,hypertas-functions), /chosen, /vdevice with the vty, the XICS presentation
 * controller and virtio-mmio nodes. Everything variable comes in PseriesFdtParams. */

#define PSERIES_TIMEBASE_FREQ 512000000u /* POWER8/POWER9 timebase */
#define PSERIES_VTY_UNIT 0x71000000u     /* the vty's unit address, as QEMU's */
#define PSERIES_FDT_XICS_PHANDLE 1u      /* interrupt-parent of devices */
#define PSERIES_PVR_POWER8 0x004d0200u
#define PSERIES_PVR_POWER9 0x004e1200u

/* One RTAS service: /rtas gets a property `name` holding `token`. */
typedef struct PseriesFdtRtasToken {
    const char *name;
    uint32_t token;
} PseriesFdtRtasToken;

/* One virtio-mmio transport: node virtio_mmio@<base>, interrupt `irq` of the XICS. */
typedef struct PseriesFdtVirtio {
    uint64_t base, size;
    uint32_t irq;
    bool edge;          /* false: level-triggered (virtio-mmio's interrupt status) */
} PseriesFdtVirtio;

typedef struct PseriesFdtParams {
    unsigned ncpus;               /* one core node per CPU, one thread each */
    const char *cpu_name;         /* "PowerPC,POWER8" or "PowerPC,POWER9" */
    uint32_t pvr;                 /* PSERIES_PVR_POWER8 / _POWER9 */
    uint32_t timebase_freq;       /* 0: PSERIES_TIMEBASE_FREQ */
    uint32_t clock_freq;          /* Hz; 0: 1 GHz */
    uint32_t dcache_size, icache_size; /* L1, bytes; 0: 32 KiB */
    uint64_t ram_size;
    unsigned hpt_order;           /* ibm,pft-size: log2 of the HPT size; 0: from ram_size */
    const Hash64PageSizes *page_sizes; /* NULL: hash64_page_sizes_p8p9 */
    const char *hypertas;         /* ibm,hypertas-functions: NUL-separated names */
    size_t hypertas_len;
    const PseriesFdtRtasToken *rtas_tokens;
    unsigned n_rtas_tokens;
    uint32_t rtas_size;           /* bytes prom_init allocates for instantiate-rtas */
    const char *bootargs;         /* NULL: "" */
    uint64_t initrd_start, initrd_end; /* end <= start: none */
    uint32_t vty_unit;            /* 0: PSERIES_VTY_UNIT */
    uint32_t vty_irq;             /* 0: no interrupt (hvc polls) */
    const PseriesFdtVirtio *virtio;
    unsigned nvirtio;
} PseriesFdtParams;

/* Writes the tree into buf (len bytes) with libfdt's sequential-write API. False with one
 * line in err if it does not fit or a parameter is unusable. The blob is packed; give
 * vof_init the whole buffer so that the client interface has room to edit it. */
bool pseries_build_fdt(const PseriesFdtParams *p, void *buf, size_t len, char *err,
                       size_t errlen);

/* The path of the vty node for a unit address ("/vdevice/vty@71000000"). */
void pseries_fdt_vty_path(uint32_t vty_unit, char *buf, size_t len);

#endif
