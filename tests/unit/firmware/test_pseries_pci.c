/* tests/unit/firmware/test_pseries_pci.c: the pseries PCI host bridge
 * (machines/pseries_pci.c) with a virtio-rng and a virtio-blk on it, as firmware leaves it
 * and Linux's pseries code reads it: BARs placed in the 64-bit window and reachable
 * through the machine bus once Memory Space is on, all ones elsewhere in the windows, the
 * is_io hook the HPT uses, configuration space through the RTAS hooks (BUID, bus, devfn,
 * bounds), INTx of each slot reaching its XICS source, slots running out, and the device
 * tree: the PHB node, ranges, ibm,dma-window, and the device nodes whose reg,
 * assigned-addresses and interrupts resolve through interrupt-map to the XICS source. */
#include <libfdt.h>
#include <stdlib.h>

#include "devices/virtio_blk.h"
#include "devices/virtio_pci.h"
#include "devices/virtio_rng.h"
#include "machines/pseries.h"
#include "tests/unit/devices/dev_test.h"

#define RAM_SIZE (1 * MiB)

typedef struct Rig {
    Bus bus;
    VClock clock;
    uint8_t *ram;
    Xics xics;
    TestIrqs ext;
    PseriesPhb phb;
    VirtioRng rng;
    VirtioPci rng_pci;
    VirtioBlk blk;
    VirtioPci blk_pci;
    int fd;
} Rig;

static void set_external(void *opaque, unsigned server, bool level)
{
    test_irq_set(opaque, server, level);
}

static Rig *rig_new(void)
{
    char err[160];
    Rig *r = calloc(1, sizeof(*r));
    r->ram = test_bus_init(&r->bus, &r->clock, RAM_SIZE);
    if (!xics_init(&r->xics, 1, XICS_DEFAULT_IRQ_BASE, 1024, set_external, &r->ext)) {
        fprintf(stderr, "test_pseries_pci: xics_init failed\n");
        exit(2);
    }
    pseries_phb_init(&r->phb, &r->bus, &r->xics);
    virtio_rng_init(&r->rng, &r->bus, 1);
    virtio_pci_init(&r->rng_pci, &r->rng.vdev);
    CHECK(pseries_phb_add(&r->phb, &r->rng_pci.pci, err, sizeof(err)));
    r->fd = open("/dev/null", O_RDWR);
    virtio_blk_init(&r->blk, &r->bus, r->fd, 1 * MiB, false, "t");
    virtio_pci_init(&r->blk_pci, &r->blk.vdev);
    CHECK(pseries_phb_add(&r->phb, &r->blk_pci.pci, err, sizeof(err)));
    return r;
}

static void rig_free(Rig *r)
{
    close(r->fd);
    xics_free(&r->xics);
    free(r->ram);
    free(r);
}

static uint32_t cfg(Rig *r, unsigned devfn, unsigned reg, unsigned size)
{
    uint32_t v = 0xdeadbeef;
    CHECK(pseries_phb_config_read(&r->phb, PSERIES_PHB_BUID, 0, devfn, reg, size, &v));
    return v;
}

static void test_placement_and_windows(void)
{
    Rig *r = rig_new();
    uint64_t rng_bar = pci_bar_addr(&r->rng_pci.pci, VIRTIO_PCI_BAR);
    uint64_t blk_bar = pci_bar_addr(&r->blk_pci.pci, VIRTIO_PCI_BAR);
    CHECK_EQ(rng_bar, PSERIES_PHB_MEM64_BASE);
    CHECK_EQ(blk_bar, PSERIES_PHB_MEM64_BASE + PSERIES_PHB_BAR_ALIGN);
    CHECK(pseries_phb_is_io(&r->phb, rng_bar, 0x10000));
    CHECK(pseries_phb_is_io(&r->phb, PSERIES_PHB_MEM32_CPU, 0x1000000));
    CHECK(pseries_phb_is_io(&r->phb, PSERIES_PHB_MEM64_BASE + PSERIES_PHB_MEM64_SIZE - 4096, 4096));
    CHECK(!pseries_phb_is_io(&r->phb, PSERIES_PHB_MEM64_BASE + PSERIES_PHB_MEM64_SIZE - 4096, 8192));
    CHECK(!pseries_phb_is_io(&r->phb, 0, 4096));
    CHECK(!pseries_phb_is_io(&r->phb, PSERIES_PHB_BUID, 4096));
    CHECK(!pseries_phb_is_io(&r->phb, PSERIES_PHB_MEM32_CPU - 4096, 8192));
    CHECK(!pseries_phb_is_io(&r->phb, UINT64_MAX - 4095, 4096));
    /* Memory Space off: the window answers all ones; on: the common configuration. */
    CHECK_EQ(test_rd(&r->bus, blk_bar + VIRTIO_PCI_COMMON_NUMQ, 2), 0xffff);
    CHECK(pseries_phb_config_write(&r->phb, 0, 0, PCI_DEVFN(1, 0), PCI_COMMAND, 2,
                                   PCI_COMMAND_MEMORY));
    CHECK_EQ(test_rd(&r->bus, blk_bar + VIRTIO_PCI_COMMON_NUMQ, 2), 1);
    CHECK_EQ(test_rd(&r->bus, blk_bar + VIRTIO_PCI_DEVICE_OFF, 8), 2048); /* capacity */
    CHECK_EQ(test_rd(&r->bus, rng_bar + VIRTIO_PCI_COMMON_NUMQ, 2), 0xffff);
    CHECK_EQ(test_rd(&r->bus, PSERIES_PHB_MEM32_CPU + 0x100, 4), 0xffffffff);
    test_wr(&r->bus, PSERIES_PHB_MEM32_CPU + 0x100, 4, 0); /* dropped */
    /* A BAR the guest moves into the 32-bit window is reached through it. */
    CHECK(pseries_phb_config_write(&r->phb, 0, 0, PCI_DEVFN(1, 0), 0x20, 4, 0x90000000));
    CHECK(pseries_phb_config_write(&r->phb, 0, 0, PCI_DEVFN(1, 0), 0x24, 4, 0));
    CHECK_EQ(test_rd(&r->bus, PSERIES_PHB_MEM32_CPU + 0x10000000 + VIRTIO_PCI_COMMON_NUMQ, 2), 1);
    CHECK_EQ(test_rd(&r->bus, blk_bar + VIRTIO_PCI_COMMON_NUMQ, 2), 0xffff);
    rig_free(r);
}

static void test_config_hooks(void)
{
    Rig *r = rig_new();
    uint32_t v;
    CHECK_EQ(cfg(r, PCI_DEVFN(0, 0), PCI_VENDOR_ID, 4), 0x10441af4);
    CHECK_EQ(cfg(r, PCI_DEVFN(1, 0), PCI_VENDOR_ID, 4), 0x10421af4);
    CHECK(pseries_phb_config_read(&r->phb, 0, 0, PCI_DEVFN(1, 0), PCI_DEVICE_ID, 2, &v));
    CHECK_EQ(v, 0x1042);
    /* Another BUID, bus, an empty slot, extended configuration space: no. */
    CHECK(!pseries_phb_config_read(&r->phb, PSERIES_PHB_BUID + 1, 0, 0, 0, 4, &v));
    CHECK(!pseries_phb_config_read(&r->phb, PSERIES_PHB_BUID, 1, 0, 0, 4, &v));
    CHECK(!pseries_phb_config_read(&r->phb, PSERIES_PHB_BUID, 0, PCI_DEVFN(2, 0), 0, 4, &v));
    CHECK(!pseries_phb_config_read(&r->phb, PSERIES_PHB_BUID, 0, PCI_DEVFN(0, 1), 0, 4, &v));
    CHECK(!pseries_phb_config_read(&r->phb, PSERIES_PHB_BUID, 0, 0, 0x100, 4, &v));
    CHECK(!pseries_phb_config_read(&r->phb, PSERIES_PHB_BUID, 0, 0, 0xfe, 4, &v));
    CHECK(!pseries_phb_config_write(&r->phb, PSERIES_PHB_BUID, 0, 0, 0xfff, 1, 0));
    CHECK(!pseries_phb_config_write(&r->phb, 7, 0, 0, 4, 2, PCI_COMMAND_MEMORY));
    rig_free(r);
}

static void test_intx(void)
{
    Rig *r = rig_new();
    uint32_t server;
    uint8_t prio;
    /* Slot 1's INTx drives source PSERIES_PHB_IRQ_BASE + 1, level-sensitive. */
    CHECK_EQ(xics_set_xive(&r->xics, PSERIES_PHB_IRQ_BASE + 1, 0, 5), XICS_OK);
    CHECK_EQ(xics_get_xive(&r->xics, PSERIES_PHB_IRQ_BASE + 1, &server, &prio), XICS_OK);
    CHECK(r->xics.src[PSERIES_PHB_IRQ_BASE + 1 - XICS_DEFAULT_IRQ_BASE].lsi);
    xics_set_cppr(&r->xics, 0, 0xff);
    pci_set_irq(&r->blk_pci.pci, true);
    CHECK(r->ext.level[0]);
    CHECK_EQ(xics_accept(&r->xics, 0) & 0xffffff, PSERIES_PHB_IRQ_BASE + 1);
    pci_set_irq(&r->blk_pci.pci, false);
    xics_eoi(&r->xics, 0, 0xff000000u | (PSERIES_PHB_IRQ_BASE + 1));
    CHECK(!r->ext.level[0]);
    rig_free(r);
}

static void test_slots_run_out(void)
{
    Rig *r = rig_new();
    char err[160] = "";
    static PciDevice extra[PSERIES_PHB_SLOTS];
    static const MmioOps none = { .min_size = 1, .max_size = 8 };
    unsigned added = 0;
    for (unsigned k = 0; k < PSERIES_PHB_SLOTS; k++) {
        pci_device_init(&extra[k], &(PciId){ .vendor = 0x1234, .irq_pin = 1 });
        pci_register_bar(&extra[k], 0, 0x1000, 0, &none, NULL);
        if (pseries_phb_add(&r->phb, &extra[k], err, sizeof(err)))
            added++;
    }
    CHECK_EQ(added, PSERIES_PHB_SLOTS - 2);
    CHECK(strstr(err, "slot") != NULL);
    /* 32-bit BARs went to the 32-bit window, one page apart. */
    CHECK_EQ(pci_bar_addr(&extra[0], 0), PSERIES_PHB_MEM32_PCI);
    CHECK_EQ(pci_bar_addr(&extra[1], 0), PSERIES_PHB_MEM32_PCI + PSERIES_PHB_BAR_ALIGN);
    /* A BAR too big for the windows is refused with a message. */
    Rig *s = rig_new();
    PciDevice huge;
    pci_device_init(&huge, &(PciId){ .vendor = 1 });
    CHECK(pci_register_bar(&huge, 0, 1ULL << 40, PCI_BASE_ADDRESS_MEM_TYPE_64, &none, NULL));
    err[0] = 0;
    CHECK(!pseries_phb_add(&s->phb, &huge, err, sizeof(err)));
    CHECK(strstr(err, "BAR") != NULL);
    rig_free(s);
    rig_free(r);
}

static uint32_t cell(const void *fdt, int node, const char *prop, unsigned i)
{
    int len = 0;
    const fdt32_t *p = fdt_getprop(fdt, node, prop, &len);
    return p && (unsigned)len >= 4 * (i + 1) ? fdt32_to_cpu(p[i]) : 0xdeadbeef;
}

static int prop_len(const void *fdt, int node, const char *prop)
{
    int len = -1;
    return fdt_getprop(fdt, node, prop, &len) ? len : -1;
}

/* Resolves a device node's interrupt the way Linux's of_irq_parse_raw does: the unit
 * address (reg's first three cells) and the interrupts cell, masked, matched against the
 * PHB's interrupt-map; returns the XICS source and its sense cell. */
static bool resolve_irq(const void *fdt, int phb, int dev, uint32_t *src, uint32_t *sense)
{
    uint32_t key[4] = { cell(fdt, dev, "reg", 0), cell(fdt, dev, "reg", 1),
                        cell(fdt, dev, "reg", 2), cell(fdt, dev, "interrupts", 0) };
    int len = prop_len(fdt, phb, "interrupt-map");
    if (len <= 0 || len % 28)
        return false;
    for (int e = 0; e < len / 28; e++) {
        bool match = true;
        for (unsigned i = 0; i < 4; i++)
            match &= ((key[i] ^ cell(fdt, phb, "interrupt-map", 7 * e + i)) &
                      cell(fdt, phb, "interrupt-map-mask", i)) == 0;
        if (match && cell(fdt, phb, "interrupt-map", 7 * e + 4) == PSERIES_FDT_XICS_PHANDLE) {
            *src = cell(fdt, phb, "interrupt-map", 7 * e + 5);
            *sense = cell(fdt, phb, "interrupt-map", 7 * e + 6);
            return true;
        }
    }
    return false;
}

static void test_fdt(void)
{
    Rig *r = rig_new();
    void *fdt = test_fdt_begin();
    CHECK_EQ(pseries_phb_fdt(fdt, &r->phb), 0);
    test_fdt_finish(fdt);
    int phb = fdt_path_offset(fdt, "/pci@800000020000000");
    CHECK(phb >= 0);
    CHECK(strcmp(fdt_getprop(fdt, phb, "device_type", NULL), "pci") == 0);
    CHECK(fdt_node_check_compatible(fdt, phb, "IBM,Logical_PHB") == 0);
    CHECK_EQ((uint64_t)cell(fdt, phb, "reg", 0) << 32 | cell(fdt, phb, "reg", 1),
             PSERIES_PHB_BUID);
    CHECK_EQ(cell(fdt, phb, "#address-cells", 0), 3);
    CHECK_EQ(cell(fdt, phb, "#size-cells", 0), 2);
    CHECK_EQ(cell(fdt, phb, "#interrupt-cells", 0), 1);
    CHECK_EQ(prop_len(fdt, phb, "bus-range"), 8);
    CHECK_EQ(cell(fdt, phb, "bus-range", 1), 0);
    CHECK_EQ(cell(fdt, phb, "ibm,pci-config-space-type", 0), 0);
    CHECK_EQ(cell(fdt, phb, "ibm,pe-total-#msi", 0), 0);
    /* ranges: 32-bit window then the 64-bit one, 7 cells each. */
    CHECK_EQ(prop_len(fdt, phb, "ranges"), 2 * 28);
    CHECK_EQ(cell(fdt, phb, "ranges", 0), 0x02000000);
    CHECK_EQ(cell(fdt, phb, "ranges", 2), PSERIES_PHB_MEM32_PCI);
    CHECK_EQ((uint64_t)cell(fdt, phb, "ranges", 3) << 32 | cell(fdt, phb, "ranges", 4),
             PSERIES_PHB_MEM32_CPU);
    CHECK_EQ(cell(fdt, phb, "ranges", 6), PSERIES_PHB_MEM32_SIZE);
    CHECK_EQ(cell(fdt, phb, "ranges", 7), 0x03000000);
    CHECK_EQ((uint64_t)cell(fdt, phb, "ranges", 8) << 32 | cell(fdt, phb, "ranges", 9),
             PSERIES_PHB_MEM64_BASE);
    CHECK_EQ((uint64_t)cell(fdt, phb, "ranges", 12) << 32 | cell(fdt, phb, "ranges", 13),
             PSERIES_PHB_MEM64_SIZE);
    /* The DMA window: LIOBN, offset and size in two cells each. */
    CHECK_EQ(cell(fdt, phb, "ibm,#dma-address-cells", 0), 2);
    CHECK_EQ(cell(fdt, phb, "ibm,#dma-size-cells", 0), 2);
    CHECK_EQ(prop_len(fdt, phb, "ibm,dma-window"), 20);
    CHECK_EQ(cell(fdt, phb, "ibm,dma-window", 0), PSERIES_PHB_LIOBN);
    CHECK_EQ(cell(fdt, phb, "ibm,dma-window", 2), 0);
    CHECK_EQ(cell(fdt, phb, "ibm,dma-window", 4), PSERIES_PHB_DMA_SIZE);
    CHECK_EQ(prop_len(fdt, phb, "interrupt-map"), 2 * 28);

    /* The device nodes. */
    static const struct { const char *path; uint32_t devfn, device, class_code; } dev[] = {
        { "/pci@800000020000000/pci1af4,1044@0", PCI_DEVFN(0, 0), 0x1044, 0xff0000 },
        { "/pci@800000020000000/pci1af4,1042@1", PCI_DEVFN(1, 0), 0x1042, 0x010000 },
    };
    for (unsigned i = 0; i < ARRAY_SIZE(dev); i++) {
        int n = fdt_path_offset(fdt, dev[i].path);
        CHECK(n >= 0);
        CHECK_EQ(fdt_parent_offset(fdt, n), phb);
        CHECK_EQ(cell(fdt, n, "vendor-id", 0), 0x1af4);
        CHECK_EQ(cell(fdt, n, "device-id", 0), dev[i].device);
        CHECK_EQ(cell(fdt, n, "class-code", 0), dev[i].class_code);
        CHECK_EQ(cell(fdt, n, "subsystem-vendor-id", 0), 0x1af4);
        CHECK(cell(fdt, n, "revision-id", 0) >= 1);
        /* reg: configuration space, then BAR 4 with its size (Linux wants >= 20 bytes). */
        CHECK_EQ(prop_len(fdt, n, "reg"), 40);
        CHECK_EQ(cell(fdt, n, "reg", 0), dev[i].devfn << 8);
        CHECK_EQ(cell(fdt, n, "reg", 5), 0x03000000 | dev[i].devfn << 8 | 0x20);
        CHECK_EQ(cell(fdt, n, "reg", 9), VIRTIO_PCI_BAR_SIZE);
        /* assigned-addresses: BAR 4, 64-bit memory, non-relocatable, where it is. */
        CHECK_EQ(prop_len(fdt, n, "assigned-addresses"), 20);
        CHECK_EQ(cell(fdt, n, "assigned-addresses", 0), 0x83000000 | dev[i].devfn << 8 | 0x20);
        PciDevice *d = i ? &r->blk_pci.pci : &r->rng_pci.pci;
        uint64_t at = (uint64_t)cell(fdt, n, "assigned-addresses", 1) << 32 |
                      cell(fdt, n, "assigned-addresses", 2);
        CHECK_EQ(at, pci_bar_addr(d, VIRTIO_PCI_BAR));
        CHECK_EQ(cell(fdt, n, "assigned-addresses", 4), VIRTIO_PCI_BAR_SIZE);
        CHECK_EQ(cell(fdt, n, "interrupts", 0), PCI_INTX_PIN_A);
        uint32_t src = 0, sense = 0;
        CHECK(resolve_irq(fdt, phb, n, &src, &sense));
        CHECK_EQ(src, PSERIES_PHB_IRQ_BASE + PCI_SLOT(dev[i].devfn));
        CHECK_EQ(sense, 1); /* level */
    }
    free(fdt);
    rig_free(r);
}

int main(void)
{
    test_placement_and_windows();
    test_config_hooks();
    test_intx();
    test_slots_run_out();
    test_fdt();
    return unit_summary("test_pseries_pci");
}
