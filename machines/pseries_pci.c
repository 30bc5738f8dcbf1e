/* machines/pseries_pci.c: the PCI host bridge of the pseries machine, a PAPR logical PHB
 * (LoPAR chapter 7's PCI configuration space calls for access, and the Open Firmware PCI
 * bus binding, IEEE 1275 "PCI Bus Binding" revision 2.1, for its nodes: the 3-cell
 * physical address phys.hi = npt000ss bbbbbbbb dddddfff rrrrrrrr with space code ss 00
 * configuration, 10 32-bit memory, 11 64-bit memory). What the machine does here is what
 * firmware does on real partitions: it places the BARs, routes INTx and describes the
 * result in the device tree, from which Linux takes its devices (pseries probes PCI from
 * the tree and does not move BARs). Guest memory accesses reach the BARs through two
 * windows on the machine bus; whatever no enabled BAR claims reads as all ones. */
#include <libfdt.h>
#include <stdio.h>

#include "devices/dev_fdt.h"
#include "machines/pseries.h"

#define OF_PCI_SS_CONFIG 0x00000000u
#define OF_PCI_SS_MEM32 0x02000000u
#define OF_PCI_SS_MEM64 0x03000000u
#define OF_PCI_PREFETCH 0x40000000u
#define OF_PCI_NONRELOC 0x80000000u

/* --- the windows -------------------------------------------------------------------------- */

static uint64_t mem32_read(void *opaque, uint64_t off, unsigned size)
{
    PseriesPhb *phb = opaque;
    uint64_t v;
    pci_bus_mem_read(&phb->pci, PSERIES_PHB_MEM32_PCI + off, size, &v);
    return v;
}

static void mem32_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
    PseriesPhb *phb = opaque;
    pci_bus_mem_write(&phb->pci, PSERIES_PHB_MEM32_PCI + off, size, val);
}

static uint64_t mem64_read(void *opaque, uint64_t off, unsigned size)
{
    PseriesPhb *phb = opaque;
    uint64_t v;
    pci_bus_mem_read(&phb->pci, PSERIES_PHB_MEM64_BASE + off, size, &v);
    return v;
}

static void mem64_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
    PseriesPhb *phb = opaque;
    pci_bus_mem_write(&phb->pci, PSERIES_PHB_MEM64_BASE + off, size, val);
}

static const MmioOps mem32_ops = {
    .read = mem32_read, .write = mem32_write, .min_size = 1, .max_size = 8,
    .endian = DEV_LITTLE_ENDIAN,
};

static const MmioOps mem64_ops = {
    .read = mem64_read, .write = mem64_write, .min_size = 1, .max_size = 8,
    .endian = DEV_LITTLE_ENDIAN,
};

void pseries_phb_init(PseriesPhb *phb, Bus *bus, Xics *xics)
{
    *phb = (PseriesPhb){ .bus = bus, .xics = xics, .buid = PSERIES_PHB_BUID,
                         .next_mem32 = PSERIES_PHB_MEM32_PCI,
                         .next_mem64 = PSERIES_PHB_MEM64_BASE };
    bus_map_mmio(bus, "pci-mem32", PSERIES_PHB_MEM32_CPU, PSERIES_PHB_MEM32_SIZE, &mem32_ops, phb);
    bus_map_mmio(bus, "pci-mem64", PSERIES_PHB_MEM64_BASE, PSERIES_PHB_MEM64_SIZE, &mem64_ops, phb);
}

bool pseries_phb_is_io(const PseriesPhb *phb, uint64_t addr, uint64_t len)
{
    static const struct { uint64_t base, size; } win[] = {
        { PSERIES_PHB_MEM32_CPU, PSERIES_PHB_MEM32_SIZE },
        { PSERIES_PHB_MEM64_BASE, PSERIES_PHB_MEM64_SIZE },
    };
    for (unsigned i = 0; i < ARRAY_SIZE(win); i++)
        if (addr >= win[i].base && addr - win[i].base < win[i].size &&
            len <= win[i].size - (addr - win[i].base))
            return true;
    return false;
}

/* --- devices ------------------------------------------------------------------------------- */

static uint32_t slot_irq(unsigned slot)
{
    return PSERIES_PHB_IRQ_BASE + slot;
}

/* The next `size` bytes (aligned to their size, and to a page) of a window, or false. */
static bool place(uint64_t *next, uint64_t end, uint64_t size, uint64_t *addr)
{
    uint64_t align = MAX(size, (uint64_t)PSERIES_PHB_BAR_ALIGN);
    uint64_t a = (*next + align - 1) & ~(align - 1);
    if (a < *next || a > end || size > end - a)
        return false;
    *addr = a;
    *next = a + size;
    return true;
}

/* 1. Take the next slot.
 * 2. Place each BAR: 64-bit ones in the 64-bit window, the others in the 32-bit window.
 * 3. Route INTx (if the function has a pin) to the slot's level-sensitive XICS source. */
bool pseries_phb_add(PseriesPhb *phb, PciDevice *d, char *err, size_t errlen)
{
    if (phb->nslots >= PSERIES_PHB_SLOTS) {
        snprintf(err, errlen, "the PCI host bridge has no free slot (at most %d devices)",
                 PSERIES_PHB_SLOTS);
        return false;
    }
    unsigned slot = phb->nslots;
    for (unsigned n = 0; n < PCI_NUM_BARS; n++) {
        const PciBar *bar = &d->bar[n];
        if (!bar->size)
            continue;
        uint64_t addr;
        bool ok = (bar->flags & PCI_BASE_ADDRESS_MEM_TYPE_64)
                      ? place(&phb->next_mem64, PSERIES_PHB_MEM64_BASE + PSERIES_PHB_MEM64_SIZE,
                              bar->size, &addr)
                      : place(&phb->next_mem32, PSERIES_PHB_MEM32_PCI + PSERIES_PHB_MEM32_SIZE,
                              bar->size, &addr);
        if (!ok) {
            snprintf(err, errlen, "the PCI windows have no room for a %llu-byte BAR",
                     (unsigned long long)bar->size);
            return false;
        }
        pci_set_bar_addr(d, n, addr);
    }
    if (!pci_bus_attach(&phb->pci, PCI_DEVFN(slot, 0), d)) {
        snprintf(err, errlen, "PCI slot %u is taken", slot);
        return false;
    }
    if (d->config[PCI_INTERRUPT_PIN]) {
        xics_set_lsi(phb->xics, slot_irq(slot), true);
        pci_connect_intx(d, xics_irq(phb->xics, slot_irq(slot)));
    }
    phb->nslots++;
    return true;
}

/* --- configuration space (RTAS) ------------------------------------------------------------ */

static PciDevice *config_target(PseriesPhb *phb, uint64_t buid, unsigned bus, unsigned devfn,
                                unsigned reg, unsigned size)
{
    if ((buid != phb->buid && buid != 0) || bus != 0 || reg >= PCI_CONFIG_SPACE_SIZE ||
        size > PCI_CONFIG_SPACE_SIZE - reg)
        return NULL;
    return pci_bus_device(&phb->pci, devfn);
}

bool pseries_phb_config_read(void *opaque, uint64_t buid, unsigned bus, unsigned devfn,
                             unsigned reg, unsigned size, uint32_t *val)
{
    PciDevice *d = config_target(opaque, buid, bus, devfn, reg, size);
    if (!d)
        return false;
    *val = pci_config_read(d, reg, size);
    return true;
}

bool pseries_phb_config_write(void *opaque, uint64_t buid, unsigned bus, unsigned devfn,
                              unsigned reg, unsigned size, uint32_t val)
{
    PciDevice *d = config_target(opaque, buid, bus, devfn, reg, size);
    if (!d)
        return false;
    pci_config_write(d, reg, size, val);
    return true;
}

/* --- the device tree ----------------------------------------------------------------------- */

static int prop_cells(void *fdt, const char *name, const uint32_t *v, unsigned n)
{
    fdt32_t cells[7 * PSERIES_PHB_SLOTS];
    if (n > ARRAY_SIZE(cells))
        return -FDT_ERR_NOSPACE;
    for (unsigned i = 0; i < n; i++)
        cells[i] = cpu_to_fdt32(v[i]);
    return fdt_property(fdt, name, cells, (int)(n * 4));
}

/* phys.hi of BAR n of the function at devfn (bus 0). */
static uint32_t bar_phys_hi(const PciDevice *d, unsigned devfn, unsigned n)
{
    const PciBar *bar = &d->bar[n];
    uint32_t hi = (bar->flags & PCI_BASE_ADDRESS_MEM_TYPE_64) ? OF_PCI_SS_MEM64 : OF_PCI_SS_MEM32;
    if (bar->flags & PCI_BASE_ADDRESS_MEM_PREFETCH)
        hi |= OF_PCI_PREFETCH;
    return hi | devfn << 8 | (PCI_BASE_ADDRESS_0 + 4 * n);
}

/* One device node: name "pci<vendor>,<device>@<slot>"; reg = the configuration space
 * entry and one sized entry per BAR; assigned-addresses = where each BAR is; the IDs
 * Linux's of_create_pci_dev reads; interrupts = the pin, mapped by the PHB. */
static int device_node(void *fdt, PciDevice *d, unsigned devfn)
{
    char name[48];
    uint32_t reg[5 * (1 + PCI_NUM_BARS)], assigned[5 * PCI_NUM_BARS];
    unsigned nreg = 0, nassigned = 0;
    uint32_t vendor = pci_config_read(d, PCI_VENDOR_ID, 2);
    uint32_t device = pci_config_read(d, PCI_DEVICE_ID, 2);

    snprintf(name, sizeof(name), "pci%x,%x@%x", vendor, device, PCI_SLOT(devfn));
    DEV_FDT_TRY(fdt_begin_node(fdt, name));
    reg[nreg++] = OF_PCI_SS_CONFIG | devfn << 8;
    for (unsigned i = 0; i < 4; i++)
        reg[nreg++] = 0;
    for (unsigned n = 0; n < PCI_NUM_BARS; n++) {
        const PciBar *bar = &d->bar[n];
        if (!bar->size)
            continue;
        uint32_t hi = bar_phys_hi(d, devfn, n);
        uint64_t addr = pci_bar_addr(d, n);
        uint32_t sized[5] = { hi, 0, 0, (uint32_t)(bar->size >> 32), (uint32_t)bar->size };
        uint32_t placed[5] = { hi | OF_PCI_NONRELOC, (uint32_t)(addr >> 32), (uint32_t)addr,
                               (uint32_t)(bar->size >> 32), (uint32_t)bar->size };
        memcpy(reg + nreg, sized, sizeof(sized));
        memcpy(assigned + nassigned, placed, sizeof(placed));
        nreg += 5;
        nassigned += 5;
    }
    DEV_FDT_TRY(prop_cells(fdt, "reg", reg, nreg));
    if (nassigned)
        DEV_FDT_TRY(prop_cells(fdt, "assigned-addresses", assigned, nassigned));
    DEV_FDT_TRY(fdt_property_u32(fdt, "vendor-id", vendor));
    DEV_FDT_TRY(fdt_property_u32(fdt, "device-id", device));
    DEV_FDT_TRY(fdt_property_u32(fdt, "revision-id", pci_config_read(d, PCI_REVISION_ID, 1)));
    DEV_FDT_TRY(fdt_property_u32(fdt, "class-code", pci_config_read(d, PCI_REVISION_ID, 4) >> 8));
    DEV_FDT_TRY(fdt_property_u32(fdt, "subsystem-vendor-id",
                                 pci_config_read(d, PCI_SUBSYSTEM_VENDOR_ID, 2)));
    DEV_FDT_TRY(fdt_property_u32(fdt, "subsystem-id", pci_config_read(d, PCI_SUBSYSTEM_ID, 2)));
    uint32_t pin = pci_config_read(d, PCI_INTERRUPT_PIN, 1);
    if (pin)
        DEV_FDT_TRY(fdt_property_u32(fdt, "interrupts", pin));
    return fdt_end_node(fdt);
}

/* The PHB: pci@<buid> { device_type "pci"; compatible "IBM,Logical_PHB"; reg = <BUID
 * 0x1000>; #address-cells 3; #size-cells 2; #interrupt-cells 1; bus-range <0 0>; ranges:
 * the two windows (child bus address, parent address, size); interrupt-map: pin A of each
 * slot to its XICS source, level (second XICS cell 1); ibm,pci-config-space-type 0:
 * conventional 256-byte configuration space; ibm,dma-window = <LIOBN, bus offset (two
 * cells, ibm,#dma-address-cells), size (two cells, ibm,#dma-size-cells)>;
 * ibm,pe-total-#msi 0: no MSIs (Linux still builds its PCI-MSI domain for the PHB from it,
 * finds no MSI-X capability and falls back to INTx) }. */
int pseries_phb_fdt(void *fdt, void *opaque)
{
    PseriesPhb *phb = opaque;
    const uint64_t m32 = PSERIES_PHB_MEM32_PCI, m64 = PSERIES_PHB_MEM64_BASE;
    const uint32_t ranges[] = {
        OF_PCI_SS_MEM32, (uint32_t)(m32 >> 32), (uint32_t)m32,
        (uint32_t)(PSERIES_PHB_MEM32_CPU >> 32), (uint32_t)PSERIES_PHB_MEM32_CPU,
        (uint32_t)(PSERIES_PHB_MEM32_SIZE >> 32), (uint32_t)PSERIES_PHB_MEM32_SIZE,
        OF_PCI_SS_MEM64, (uint32_t)(m64 >> 32), (uint32_t)m64,
        (uint32_t)(m64 >> 32), (uint32_t)m64,
        (uint32_t)(PSERIES_PHB_MEM64_SIZE >> 32), (uint32_t)PSERIES_PHB_MEM64_SIZE,
    };
    uint32_t imap[7 * PSERIES_PHB_SLOTS];
    unsigned nimap = 0;

    DEV_FDT_TRY(dev_fdt_begin_unit(fdt, "pci", phb->buid));
    DEV_FDT_TRY(fdt_property_string(fdt, "device_type", "pci"));
    DEV_FDT_TRY(fdt_property_string(fdt, "compatible", "IBM,Logical_PHB"));
    DEV_FDT_TRY(dev_fdt_reg(fdt, phb->buid, 0x1000));
    DEV_FDT_TRY(fdt_property_u32(fdt, "#address-cells", 3));
    DEV_FDT_TRY(fdt_property_u32(fdt, "#size-cells", 2));
    DEV_FDT_TRY(fdt_property_u32(fdt, "#interrupt-cells", 1));
    DEV_FDT_TRY(prop_cells(fdt, "bus-range", (const uint32_t[]){ 0, 0 }, 2));
    DEV_FDT_TRY(prop_cells(fdt, "ranges", ranges, ARRAY_SIZE(ranges)));
    DEV_FDT_TRY(fdt_property_u32(fdt, "ibm,pci-config-space-type", 0));
    DEV_FDT_TRY(fdt_property_u32(fdt, "ibm,pe-total-#msi", 0));
    DEV_FDT_TRY(fdt_property_u32(fdt, "ibm,#dma-address-cells", 2));
    DEV_FDT_TRY(fdt_property_u32(fdt, "ibm,#dma-size-cells", 2));
    DEV_FDT_TRY(prop_cells(fdt, "ibm,dma-window",
                           (const uint32_t[]){ PSERIES_PHB_LIOBN, 0, 0,
                                               (uint32_t)(PSERIES_PHB_DMA_SIZE >> 32),
                                               (uint32_t)PSERIES_PHB_DMA_SIZE }, 5));
    for (unsigned s = 0; s < phb->nslots; s++) {
        PciDevice *d = pci_bus_device(&phb->pci, PCI_DEVFN(s, 0));
        uint32_t pin = d ? pci_config_read(d, PCI_INTERRUPT_PIN, 1) : 0;
        if (!pin)
            continue;
        const uint32_t entry[7] = { (uint32_t)PCI_DEVFN(s, 0) << 8, 0, 0, pin,
                                    PSERIES_FDT_XICS_PHANDLE, slot_irq(s), 1 };
        memcpy(imap + nimap, entry, sizeof(entry));
        nimap += 7;
    }
    DEV_FDT_TRY(prop_cells(fdt, "interrupt-map-mask", (const uint32_t[]){ 0xf800, 0, 0, 7 }, 4));
    if (nimap)
        DEV_FDT_TRY(prop_cells(fdt, "interrupt-map", imap, nimap));
    for (unsigned s = 0; s < phb->nslots; s++) {
        PciDevice *d = pci_bus_device(&phb->pci, PCI_DEVFN(s, 0));
        if (d)
            DEV_FDT_TRY(device_node(fdt, d, PCI_DEVFN(s, 0)));
    }
    return fdt_end_node(fdt);
}
