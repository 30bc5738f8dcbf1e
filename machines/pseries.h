/* machines/pseries.h: the pseries machine. */
#ifndef HVEMU_PSERIES_H
#define HVEMU_PSERIES_H

#include "devices/pci.h"
#include "devices/xics.h"
#include "machines/machine.h"
#include "mmu/ppc_hash64.h"

/* ---- The device tree builder (machines/pseries_fdt.c) ----
 * Builds the tree a PAPR partition sees before the Open Firmware client interface takes
 * it over: the root (device_type "chrp"), /cpus, /memory@0, /rtas (tokens, rtas-size,
 * ibm,hypertas-functions), /chosen, /vdevice with the vty, the XICS presentation
 * controller, and whatever extra_nodes adds (the PCI host bridge). Everything variable
 * comes in PseriesFdtParams. */

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
    /* Writes further nodes into the root (the PCI host bridge, pseries_phb_fdt); NULL:
     * none. Returns 0 or a negative libfdt error. */
    int (*extra_nodes)(void *fdt, void *opaque);
    void *extra_opaque;
} PseriesFdtParams;

/* Writes the tree into buf (len bytes) with libfdt's sequential-write API. False with one
 * line in err if it does not fit or a parameter is unusable. The blob is packed; give
 * vof_init the whole buffer so that the client interface has room to edit it. */
bool pseries_build_fdt(const PseriesFdtParams *p, void *buf, size_t len, char *err,
                       size_t errlen);

/* The path of the vty node for a unit address ("/vdevice/vty@71000000"). */
void pseries_fdt_vty_path(uint32_t vty_unit, char *buf, size_t len);

/* ---- The PCI host bridge (machines/pseries_pci.c) ----
 * One PAPR logical PHB (LoPAR "Logical PHB"; compatible "IBM,Logical_PHB") with bus 0 and
 * up to 32 single-function devices. Linux on pseries takes its devices from the device
 * tree (PCI_PROBE_DEVTREE): one child node per device with its configuration address,
 * IDs and the BAR placements firmware made ("assigned-addresses"); it reaches
 * configuration space through RTAS ibm,read-pci-config / ibm,write-pci-config with the
 * PHB's BUID (its "reg"), and memory through two windows above RAM that the hash MMU maps
 * cache-inhibited: 2 GiB of 32-bit PCI space and 64 GiB of 64-bit space (bus address ==
 * guest physical address). INTx pin A of slot s is XICS source PSERIES_PHB_IRQ_BASE + s,
 * level-triggered, through the PHB's interrupt-map. The PHB's DMA window ("ibm,dma-window",
 * 1 GiB at bus address 0) is a TCE table of the hypervisor (papr_tce_add with
 * PSERIES_PHB_LIOBN): Linux insists on one; the virtio devices do not offer
 * VIRTIO_F_ACCESS_PLATFORM, so their drivers give them guest physical addresses. */

#define PSERIES_PHB_BUID 0x800000020000000ULL   /* the PHB's unit ID, as QEMU's first */
#define PSERIES_PHB_MEM32_CPU 0x10080000000ULL  /* 32-bit window: guest physical... */
#define PSERIES_PHB_MEM32_PCI 0x80000000ULL     /* ...and bus address */
#define PSERIES_PHB_MEM32_SIZE 0x80000000ULL
#define PSERIES_PHB_MEM64_BASE 0x11000000000ULL /* 64-bit window, identity-mapped */
#define PSERIES_PHB_MEM64_SIZE 0x1000000000ULL
#define PSERIES_PHB_RAM_LIMIT 0x10000000000ULL  /* RAM must end below the windows */
#define PSERIES_PHB_IRQ_BASE (XICS_DEFAULT_IRQ_BASE + 0x100)
#define PSERIES_PHB_SLOTS 32
#define PSERIES_PHB_BAR_ALIGN 0x10000           /* one 64 KiB page per BAR at least */
#define PSERIES_PHB_LIOBN 0x80000000u           /* the DMA window's logical I/O bus number */
#define PSERIES_PHB_DMA_SIZE 0x40000000ULL      /* at bus address 0 */

typedef struct PseriesPhb {
    Bus *bus;             /* the machine's physical address space */
    Xics *xics;
    PciBus pci;
    uint64_t buid;
    unsigned nslots;      /* slots 0..nslots-1 hold devices */
    uint64_t next_mem32;  /* bus address of the next free 32-bit BAR space */
    uint64_t next_mem64;
} PseriesPhb;

/* Maps the two windows on bus. */
void pseries_phb_init(PseriesPhb *phb, Bus *bus, Xics *xics);
/* Puts d in the next slot: BARs placed in the windows, INTx routed to the slot's XICS
 * source (made level-sensitive). False with a message when slots or window space run out. */
bool pseries_phb_add(PseriesPhb *phb, PciDevice *d, char *err, size_t errlen);
/* Is [addr, addr+len) inside one of the windows? (PaprHptHooks.is_io) */
bool pseries_phb_is_io(const PseriesPhb *phb, uint64_t addr, uint64_t len);
/* The Papr.pci_config_read/pci_config_write hooks (opaque = the PseriesPhb): buid is the
 * PHB's or 0, bus 0, a device at devfn, reg within its 256 bytes. */
bool pseries_phb_config_read(void *opaque, uint64_t buid, unsigned bus, unsigned devfn,
                             unsigned reg, unsigned size, uint32_t *val);
bool pseries_phb_config_write(void *opaque, uint64_t buid, unsigned bus, unsigned devfn,
                              unsigned reg, unsigned size, uint32_t val);
/* The PHB node and its device nodes (PseriesFdtParams.extra_nodes, opaque = the PHB). */
int pseries_phb_fdt(void *fdt, void *opaque);

#endif
