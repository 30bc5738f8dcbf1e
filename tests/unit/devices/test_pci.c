/* tests/unit/devices/test_pci.c: the PCI model (devices/pci.c) and the virtio-pci
 * transport (devices/virtio_pci.c) as a host bridge and a driver see them: the type 0
 * header, BAR sizing by writing all ones, memory cycles gated by Command.Memory and
 * following the BAR, INTx with Interrupt Disable, the capability chain of virtio-pci,
 * feature negotiation and queue setup through the common configuration (64-bit fields
 * written in two halves, as Linux does), a notification that runs virtio-blk and
 * virtio-rng requests into the used ring, the ISR cleared by reading it, the PCI
 * configuration access window, and hostile configuration writes. */
#include <stdlib.h>

#include "devices/pci.h"
#include "devices/virtio_blk.h"
#include "devices/virtio_pci.h"
#include "devices/virtio_rng.h"
#include "tests/unit/devices/dev_test.h"

#define BLK_DEVFN PCI_DEVFN(1, 0)
#define RNG_DEVFN PCI_DEVFN(2, 0)
#define PLAIN_DEVFN PCI_DEVFN(3, 0)
#define BLK_BAR 0x10000000000ULL
#define RNG_BAR 0x10000010000ULL
#define BLK_IRQ 1
#define RNG_IRQ 2
#define PLAIN_IRQ 3
#define RAM_SIZE (1024 * 1024)
#define DISK_SIZE (64 * 1024)

/* Guest memory for the rings and buffers. */
#define Q_DESC (TEST_RAM_BASE + 0x1000)
#define Q_AVAIL (TEST_RAM_BASE + 0x5000)
#define Q_USED (TEST_RAM_BASE + 0x6000)
#define HDR (TEST_RAM_BASE + 0x10000)
#define STATUS (TEST_RAM_BASE + 0x10080)
#define DATA (TEST_RAM_BASE + 0x11000)

typedef struct Rig {
    Bus bus;
    VClock clock;
    uint8_t *ram;
    TestIrqs irqs;
    PciBus pci;
    char path[64];
    int fd;
    VirtioBlk blk;
    VirtioPci blk_pci;
    VirtioRng rng;
    VirtioPci rng_pci;
    PciDevice plain;
    uint8_t plain_regs[0x1000];
} Rig;

static uint8_t disk_byte(uint64_t pos)
{
    return (uint8_t)(pos * 13 + pos / 512);
}

static uint64_t plain_read(void *opaque, uint64_t off, unsigned size)
{
    Rig *r = opaque;
    return ld_le(r->plain_regs + off, size);
}

static void plain_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
    Rig *r = opaque;
    st_le(r->plain_regs + off, size, val);
}

static const MmioOps plain_ops = {
    .read = plain_read, .write = plain_write, .min_size = 1, .max_size = 4,
    .endian = DEV_LITTLE_ENDIAN,
};

static Rig *rig_new(void)
{
    Rig *r = calloc(1, sizeof(*r));
    r->ram = test_bus_init(&r->bus, &r->clock, RAM_SIZE);
    const char *tmp = getenv("TMPDIR");
    snprintf(r->path, sizeof(r->path), "%s/hvemu-pci-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    r->fd = mkstemp(r->path);
    if (r->fd < 0) {
        perror("mkstemp");
        exit(2);
    }
    for (uint64_t i = 0; i < DISK_SIZE; i++) {
        uint8_t b = disk_byte(i);
        if (write(r->fd, &b, 1) != 1)
            exit(2);
    }
    virtio_blk_init(&r->blk, &r->bus, r->fd, DISK_SIZE, false, "hvemu-pci-0");
    virtio_pci_init(&r->blk_pci, &r->blk.vdev);
    virtio_rng_init(&r->rng, &r->bus, 7);
    virtio_pci_init(&r->rng_pci, &r->rng.vdev);
    pci_device_init(&r->plain, &(PciId){ .vendor = 0x1234, .device = 0x5678,
                                         .class_code = 0x058000, .irq_pin = 2 });
    CHECK(pci_register_bar(&r->plain, 0, 0x1000, 0, &plain_ops, r));
    CHECK(pci_bus_attach(&r->pci, BLK_DEVFN, &r->blk_pci.pci));
    CHECK(pci_bus_attach(&r->pci, RNG_DEVFN, &r->rng_pci.pci));
    CHECK(pci_bus_attach(&r->pci, PLAIN_DEVFN, &r->plain));
    CHECK(!pci_bus_attach(&r->pci, PLAIN_DEVFN, &r->plain)); /* taken */
    pci_connect_intx(&r->blk_pci.pci, test_irq(&r->irqs, BLK_IRQ));
    pci_connect_intx(&r->rng_pci.pci, test_irq(&r->irqs, RNG_IRQ));
    pci_connect_intx(&r->plain, test_irq(&r->irqs, PLAIN_IRQ));
    return r;
}

static void rig_free(Rig *r)
{
    close(r->fd);
    unlink(r->path);
    free(r->ram);
    free(r);
}

static uint32_t cfg_rd(Rig *r, unsigned devfn, unsigned off, unsigned size)
{
    uint32_t v;
    pci_bus_config_read(&r->pci, devfn, off, size, &v);
    return v;
}

static void cfg_wr(Rig *r, unsigned devfn, unsigned off, unsigned size, uint32_t v)
{
    pci_bus_config_write(&r->pci, devfn, off, size, v);
}

static uint64_t mem_rd(Rig *r, uint64_t addr, unsigned size)
{
    uint64_t v;
    pci_bus_mem_read(&r->pci, addr, size, &v);
    return v;
}

static void mem_wr(Rig *r, uint64_t addr, unsigned size, uint64_t v)
{
    pci_bus_mem_write(&r->pci, addr, size, v);
}

/* What firmware does before the OS runs: BAR placed; the OS then enables decoding. */
static void enable(Rig *r, unsigned devfn, uint64_t bar_addr, unsigned bar)
{
    cfg_wr(r, devfn, PCI_BASE_ADDRESS_0 + 4 * bar, 4, (uint32_t)bar_addr);
    cfg_wr(r, devfn, PCI_BASE_ADDRESS_0 + 4 * bar + 4, 4, (uint32_t)(bar_addr >> 32));
    cfg_wr(r, devfn, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
}

/* --- the PCI model ------------------------------------------------------------------------- */

static void test_header(void)
{
    Rig *r = rig_new();
    CHECK_EQ(cfg_rd(r, BLK_DEVFN, PCI_VENDOR_ID, 2), 0x1af4);
    CHECK_EQ(cfg_rd(r, BLK_DEVFN, PCI_DEVICE_ID, 2), 0x1042);
    CHECK_EQ(cfg_rd(r, BLK_DEVFN, PCI_VENDOR_ID, 4), 0x10421af4);
    CHECK_EQ(cfg_rd(r, RNG_DEVFN, PCI_DEVICE_ID, 2), 0x1044);
    CHECK(cfg_rd(r, BLK_DEVFN, PCI_REVISION_ID, 1) >= 1);
    CHECK_EQ(cfg_rd(r, BLK_DEVFN, PCI_REVISION_ID, 4) >> 8, 0x010000); /* class */
    CHECK_EQ(cfg_rd(r, RNG_DEVFN, PCI_REVISION_ID, 4) >> 8, 0xff0000);
    CHECK_EQ(cfg_rd(r, BLK_DEVFN, PCI_HEADER_TYPE, 1), 0);
    CHECK_EQ(cfg_rd(r, BLK_DEVFN, PCI_SUBSYSTEM_VENDOR_ID, 2), 0x1af4);
    CHECK(cfg_rd(r, BLK_DEVFN, PCI_SUBSYSTEM_ID, 2) >= 0x40);
    CHECK_EQ(cfg_rd(r, BLK_DEVFN, PCI_INTERRUPT_PIN, 1), PCI_INTX_PIN_A);
    CHECK_EQ(cfg_rd(r, PLAIN_DEVFN, PCI_INTERRUPT_PIN, 1), 2);
    CHECK_EQ(cfg_rd(r, BLK_DEVFN, PCI_COMMAND, 2), 0); /* reset: no decoding */
    CHECK(cfg_rd(r, BLK_DEVFN, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
    CHECK(!(cfg_rd(r, PLAIN_DEVFN, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST));
    /* No device, bad sizes, misaligned and out-of-range accesses read all ones. */
    uint32_t v = 0;
    CHECK(!pci_bus_config_read(&r->pci, PCI_DEVFN(9, 0), 0, 4, &v));
    CHECK_EQ(v, 0xffffffff);
    CHECK(!pci_bus_config_read(&r->pci, 300, 0, 4, &v));
    CHECK_EQ(cfg_rd(r, BLK_DEVFN, 0, 3), 0xffffffff);
    CHECK_EQ(cfg_rd(r, BLK_DEVFN, 2, 4), 0xffffffff);
    CHECK_EQ(cfg_rd(r, BLK_DEVFN, 255, 2), 0xffffffff);
    CHECK_EQ(cfg_rd(r, BLK_DEVFN, 256, 1), 0xffffffff);
    CHECK_EQ(cfg_rd(r, BLK_DEVFN, 0xffffffffu, 4), 0xffffffff);
    /* Read-only fields stay; only the Command bits the model has change. */
    cfg_wr(r, BLK_DEVFN, PCI_VENDOR_ID, 4, 0);
    CHECK_EQ(cfg_rd(r, BLK_DEVFN, PCI_VENDOR_ID, 4), 0x10421af4);
    cfg_wr(r, BLK_DEVFN, PCI_COMMAND, 2, 0xffff);
    CHECK_EQ(cfg_rd(r, BLK_DEVFN, PCI_COMMAND, 2), 0x0547);
    cfg_wr(r, BLK_DEVFN, PCI_INTERRUPT_LINE, 1, 0x21);
    CHECK_EQ(cfg_rd(r, BLK_DEVFN, PCI_INTERRUPT_LINE, 1), 0x21);
    cfg_wr(r, BLK_DEVFN, PCI_INTERRUPT_PIN, 1, 4);
    CHECK_EQ(cfg_rd(r, BLK_DEVFN, PCI_INTERRUPT_PIN, 1), PCI_INTX_PIN_A);
    cfg_wr(r, BLK_DEVFN, PCI_ROM_ADDRESS, 4, 0xffffffff); /* no ROM */
    CHECK_EQ(cfg_rd(r, BLK_DEVFN, PCI_ROM_ADDRESS, 4), 0);
    rig_free(r);
}

static void test_bar_sizing(void)
{
    Rig *r = rig_new();
    /* 32-bit BAR 0 of 4 KiB: all ones reads back the size. */
    CHECK_EQ(cfg_rd(r, PLAIN_DEVFN, PCI_BASE_ADDRESS_0, 4), 0);
    cfg_wr(r, PLAIN_DEVFN, PCI_BASE_ADDRESS_0, 4, 0xffffffff);
    CHECK_EQ(cfg_rd(r, PLAIN_DEVFN, PCI_BASE_ADDRESS_0, 4), 0xfffff000);
    cfg_wr(r, PLAIN_DEVFN, PCI_BASE_ADDRESS_0, 4, 0x80001234);
    CHECK_EQ(cfg_rd(r, PLAIN_DEVFN, PCI_BASE_ADDRESS_0, 4), 0x80001000);
    CHECK_EQ(pci_bar_addr(&r->plain, 0), 0x80001000);
    /* Unimplemented BARs are hard-wired to zero. */
    cfg_wr(r, PLAIN_DEVFN, PCI_BASE_ADDRESS_0 + 4, 4, 0xffffffff);
    CHECK_EQ(cfg_rd(r, PLAIN_DEVFN, PCI_BASE_ADDRESS_0 + 4, 4), 0);
    /* virtio-pci: BAR 4, 64-bit memory, 16 KiB; the upper half is BAR 5. */
    unsigned b4 = PCI_BASE_ADDRESS_0 + 4 * VIRTIO_PCI_BAR;
    CHECK_EQ(cfg_rd(r, BLK_DEVFN, b4, 4), PCI_BASE_ADDRESS_MEM_TYPE_64);
    cfg_wr(r, BLK_DEVFN, b4, 4, 0xffffffff);
    cfg_wr(r, BLK_DEVFN, b4 + 4, 4, 0xffffffff);
    CHECK_EQ(cfg_rd(r, BLK_DEVFN, b4, 4), 0xffffc000 | PCI_BASE_ADDRESS_MEM_TYPE_64);
    CHECK_EQ(cfg_rd(r, BLK_DEVFN, b4 + 4, 4), 0xffffffff);
    for (unsigned n = 0; n < 4; n++)
        CHECK_EQ(cfg_rd(r, BLK_DEVFN, PCI_BASE_ADDRESS_0 + 4 * n, 4), 0);
    pci_set_bar_addr(&r->blk_pci.pci, VIRTIO_PCI_BAR, BLK_BAR + 0x1234);
    CHECK_EQ(pci_bar_addr(&r->blk_pci.pci, VIRTIO_PCI_BAR), BLK_BAR);
    CHECK_EQ(cfg_rd(r, BLK_DEVFN, b4 + 4, 4), BLK_BAR >> 32);
    /* A 64-bit BAR larger than 4 GiB sizes through its upper half. */
    PciDevice big;
    pci_device_init(&big, &(PciId){ .vendor = 1 });
    CHECK(pci_register_bar(&big, 2, 1ULL << 33, PCI_BASE_ADDRESS_MEM_TYPE_64 |
                           PCI_BASE_ADDRESS_MEM_PREFETCH, &plain_ops, r));
    pci_config_write(&big, 0x18, 4, 0xffffffff);
    pci_config_write(&big, 0x1c, 4, 0xffffffff);
    CHECK_EQ(pci_config_read(&big, 0x18, 4), 0x0c);
    CHECK_EQ(pci_config_read(&big, 0x1c, 4), 0xfffffffe);
    /* Bad registrations are refused. */
    CHECK(!pci_register_bar(&big, 3, 0x1000, 0, &plain_ops, r));  /* upper half of 2 */
    CHECK(!pci_register_bar(&big, 1, 0x1000, PCI_BASE_ADDRESS_MEM_TYPE_64, &plain_ops, r));
    CHECK(!pci_register_bar(&big, 5, 0x1000, PCI_BASE_ADDRESS_MEM_TYPE_64, &plain_ops, r));
    CHECK(!pci_register_bar(&big, 6, 0x1000, 0, &plain_ops, r));
    CHECK(!pci_register_bar(&big, 0, 0x1800, 0, &plain_ops, r));
    CHECK(!pci_register_bar(&big, 0, 8, 0, &plain_ops, r));
    CHECK(!pci_register_bar(&big, 0, 1ULL << 32, 0, &plain_ops, r));
    CHECK(!pci_register_bar(&big, 0, 0x1000, PCI_BASE_ADDRESS_SPACE_IO, &plain_ops, r));
    CHECK(!pci_register_bar(&big, 0, 0x1000, 0, NULL, r));
    CHECK(pci_register_bar(&big, 0, 0x1000, 0, &plain_ops, r));
    CHECK(!pci_register_bar(&big, 0, 0x1000, 0, &plain_ops, r));
    rig_free(r);
}

static void test_memory_decoding(void)
{
    Rig *r = rig_new();
    uint64_t v;
    cfg_wr(r, PLAIN_DEVFN, PCI_BASE_ADDRESS_0, 4, 0x80000000);
    r->plain_regs[8] = 0x5a;
    /* Command.Memory clear: a master abort, all ones. */
    CHECK(!pci_bus_mem_read(&r->pci, 0x80000008, 1, &v));
    CHECK_EQ(v, 0xff);
    CHECK(!pci_bus_mem_write(&r->pci, 0x80000008, 1, 0));
    CHECK_EQ(r->plain_regs[8], 0x5a);
    cfg_wr(r, PLAIN_DEVFN, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
    CHECK(pci_bus_mem_read(&r->pci, 0x80000008, 1, &v));
    CHECK_EQ(v, 0x5a);
    mem_wr(r, 0x80000ffc, 4, 0xdeadbeef);
    CHECK_EQ(mem_rd(r, 0x80000ffc, 4), 0xdeadbeef);
    CHECK_EQ(mem_rd(r, 0x80000ffe, 2), 0xdead);
    /* Outside the BAR, across its end, odd sizes: not claimed. */
    CHECK(!pci_bus_mem_read(&r->pci, 0x80001000, 4, &v));
    CHECK_EQ(v, 0xffffffff);
    CHECK(!pci_bus_mem_read(&r->pci, 0x80000ffe, 4, &v));
    CHECK(!pci_bus_mem_read(&r->pci, 0x7ffffffe, 4, &v));
    CHECK(!pci_bus_mem_read(&r->pci, 0x80000000, 3, &v));
    CHECK(!pci_bus_mem_read(&r->pci, UINT64_MAX - 1, 4, &v));
    /* A size the device's ops refuse is claimed but gives all ones. */
    CHECK(pci_bus_mem_read(&r->pci, 0x80000008, 8, &v));
    CHECK_EQ(v, UINT64_MAX);
    /* Moving the BAR moves the decoding. */
    cfg_wr(r, PLAIN_DEVFN, PCI_BASE_ADDRESS_0, 4, 0x90000000);
    CHECK(!pci_bus_mem_read(&r->pci, 0x80000008, 1, &v));
    CHECK_EQ(mem_rd(r, 0x90000008, 1), 0x5a);
    /* Sizing leaves it decoding at the top of the space, which is harmless. */
    cfg_wr(r, PLAIN_DEVFN, PCI_BASE_ADDRESS_0, 4, 0xffffffff);
    CHECK_EQ(mem_rd(r, 0xfffff008, 1), 0x5a);
    rig_free(r);
}

static void test_intx(void)
{
    Rig *r = rig_new();
    CHECK(!r->irqs.level[PLAIN_IRQ]);
    pci_set_irq(&r->plain, true);
    CHECK(r->irqs.level[PLAIN_IRQ]);
    CHECK(cfg_rd(r, PLAIN_DEVFN, PCI_STATUS, 2) & PCI_STATUS_INTERRUPT);
    /* Interrupt Disable masks the line, not the status. */
    cfg_wr(r, PLAIN_DEVFN, PCI_COMMAND, 2, PCI_COMMAND_INTX_DISABLE);
    CHECK(!r->irqs.level[PLAIN_IRQ]);
    CHECK(cfg_rd(r, PLAIN_DEVFN, PCI_STATUS, 2) & PCI_STATUS_INTERRUPT);
    cfg_wr(r, PLAIN_DEVFN, PCI_COMMAND + 1, 1, 0); /* a byte write of the high half */
    CHECK(r->irqs.level[PLAIN_IRQ]);
    CHECK_EQ(r->irqs.rises[PLAIN_IRQ], 2);
    pci_set_irq(&r->plain, false);
    CHECK(!r->irqs.level[PLAIN_IRQ]);
    CHECK(!(cfg_rd(r, PLAIN_DEVFN, PCI_STATUS, 2) & PCI_STATUS_INTERRUPT));
    /* Status is read-only. */
    cfg_wr(r, PLAIN_DEVFN, PCI_STATUS, 2, 0xffff);
    CHECK_EQ(cfg_rd(r, PLAIN_DEVFN, PCI_STATUS, 2), 0);
    /* Connecting a line drives it with the current level. */
    pci_set_irq(&r->plain, true);
    pci_connect_intx(&r->plain, test_irq(&r->irqs, PLAIN_IRQ + 10));
    CHECK(r->irqs.level[PLAIN_IRQ + 10]);
    rig_free(r);
}

/* --- virtio-pci ------------------------------------------------------------------------- */

typedef struct CapSeen {
    unsigned count;
    uint8_t at[6];     /* by cfg_type */
} CapSeen;

/* Walks the capability list as Linux's pci_find_capability does. */
static CapSeen walk_caps(Rig *r, unsigned devfn)
{
    CapSeen s = { 0 };
    unsigned pos = cfg_rd(r, devfn, PCI_CAPABILITY_LIST, 1), guard = 0;
    while (pos && guard++ < 48) {
        CHECK(pos >= PCI_HEADER_END && pos <= 0xfc && !(pos & 3));
        CHECK_EQ(cfg_rd(r, devfn, pos, 1), PCI_CAP_ID_VNDR);
        unsigned type = cfg_rd(r, devfn, pos + VIRTIO_PCI_CAP_CFG_TYPE, 1);
        CHECK(type >= 1 && type <= 5);
        if (type >= 1 && type <= 5 && !s.at[type])
            s.at[type] = (uint8_t)pos;
        s.count++;
        pos = cfg_rd(r, devfn, pos + 1, 1);
    }
    CHECK(guard < 48);
    return s;
}

static uint32_t cap_field(Rig *r, unsigned devfn, unsigned cap, unsigned off, unsigned size)
{
    return cfg_rd(r, devfn, cap + off, size);
}

static void test_capabilities(void)
{
    Rig *r = rig_new();
    CapSeen s = walk_caps(r, BLK_DEVFN);
    CHECK_EQ(s.count, 5);
    static const struct { uint8_t type; uint32_t off, len; } want[] = {
        { VIRTIO_PCI_CAP_COMMON_CFG, VIRTIO_PCI_COMMON_OFF, VIRTIO_PCI_COMMON_LEN },
        { VIRTIO_PCI_CAP_NOTIFY_CFG, VIRTIO_PCI_NOTIFY_OFF, VIRTIO_PCI_NOTIFY_MULT },
        { VIRTIO_PCI_CAP_ISR_CFG, VIRTIO_PCI_ISR_OFF, 1 },
        { VIRTIO_PCI_CAP_DEVICE_CFG, VIRTIO_PCI_DEVICE_OFF, 0x24 },
    };
    for (unsigned i = 0; i < ARRAY_SIZE(want); i++) {
        unsigned c = s.at[want[i].type];
        CHECK(c != 0);
        CHECK(cap_field(r, BLK_DEVFN, c, 2, 1) >= VIRTIO_PCI_CAP_LEN);
        CHECK_EQ(cap_field(r, BLK_DEVFN, c, VIRTIO_PCI_CAP_BAR, 1), VIRTIO_PCI_BAR);
        CHECK_EQ(cap_field(r, BLK_DEVFN, c, VIRTIO_PCI_CAP_OFFSET, 4), want[i].off);
        CHECK_EQ(cap_field(r, BLK_DEVFN, c, VIRTIO_PCI_CAP_LENGTH, 4), want[i].len);
        /* Every structure lies inside the BAR. */
        CHECK(want[i].off + want[i].len <= VIRTIO_PCI_BAR_SIZE);
    }
    CHECK_EQ(cap_field(r, BLK_DEVFN, s.at[VIRTIO_PCI_CAP_NOTIFY_CFG], 2, 1), 20);
    CHECK_EQ(cap_field(r, BLK_DEVFN, s.at[VIRTIO_PCI_CAP_NOTIFY_CFG], VIRTIO_PCI_CAP_NOTIFY_MULT,
                       4), VIRTIO_PCI_NOTIFY_MULT);
    CHECK(s.at[VIRTIO_PCI_CAP_PCI_CFG] != 0);
    CHECK_EQ(cap_field(r, BLK_DEVFN, s.at[VIRTIO_PCI_CAP_PCI_CFG], 2, 1), 20);
    /* virtio-rng has no configuration space, so no DEVICE_CFG structure. */
    CapSeen g = walk_caps(r, RNG_DEVFN);
    CHECK_EQ(g.count, 4);
    CHECK(g.at[VIRTIO_PCI_CAP_COMMON_CFG] && g.at[VIRTIO_PCI_CAP_NOTIFY_CFG] &&
          g.at[VIRTIO_PCI_CAP_ISR_CFG] && !g.at[VIRTIO_PCI_CAP_DEVICE_CFG]);
    /* Capabilities are read-only (except the access window's fields). */
    unsigned c = s.at[VIRTIO_PCI_CAP_COMMON_CFG];
    cfg_wr(r, BLK_DEVFN, c, 4, 0);
    cfg_wr(r, BLK_DEVFN, c + VIRTIO_PCI_CAP_OFFSET, 4, 0x1234);
    CHECK_EQ(cfg_rd(r, BLK_DEVFN, c, 1), PCI_CAP_ID_VNDR);
    CHECK_EQ(cap_field(r, BLK_DEVFN, c, VIRTIO_PCI_CAP_OFFSET, 4), 0);
    cfg_wr(r, BLK_DEVFN, PCI_CAPABILITY_LIST, 1, 0);
    CHECK_EQ(cfg_rd(r, BLK_DEVFN, PCI_CAPABILITY_LIST, 1), c);
    rig_free(r);
}

/* The driver side of the common configuration, through the BAR. */
static uint64_t common(Rig *r, uint64_t bar, unsigned off, unsigned size)
{
    return mem_rd(r, bar + VIRTIO_PCI_COMMON_OFF + off, size);
}

static void set_common(Rig *r, uint64_t bar, unsigned off, unsigned size, uint64_t v)
{
    mem_wr(r, bar + VIRTIO_PCI_COMMON_OFF + off, size, v);
}

static void set_common64(Rig *r, uint64_t bar, unsigned off, uint64_t v)
{
    set_common(r, bar, off, 4, (uint32_t)v);
    set_common(r, bar, off + 4, 4, (uint32_t)(v >> 32));
}

static void add_status(Rig *r, uint64_t bar, uint8_t bits)
{
    set_common(r, bar, VIRTIO_PCI_COMMON_STATUS, 1,
               common(r, bar, VIRTIO_PCI_COMMON_STATUS, 1) | bits);
}

/* Linux's virtio_pci_modern order: reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK,
 * queue 0 of `num` entries, enable, DRIVER_OK. False if a step was refused. */
static bool driver_init(Rig *r, uint64_t bar, uint16_t num)
{
    static const uint8_t zero[0x6000];
    bus_dma_write(&r->bus, Q_DESC, zero, sizeof(zero));
    set_common(r, bar, VIRTIO_PCI_COMMON_STATUS, 1, 0);
    if (common(r, bar, VIRTIO_PCI_COMMON_STATUS, 1) != 0)
        return false;
    add_status(r, bar, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    set_common(r, bar, VIRTIO_PCI_COMMON_DFSELECT, 4, 0);
    uint64_t f = common(r, bar, VIRTIO_PCI_COMMON_DF, 4);
    set_common(r, bar, VIRTIO_PCI_COMMON_DFSELECT, 4, 1);
    f |= common(r, bar, VIRTIO_PCI_COMMON_DF, 4) << 32;
    if (!(f & (1ULL << VIRTIO_F_VERSION_1)) || (f & (1ULL << VIRTIO_F_ACCESS_PLATFORM)))
        return false;
    set_common(r, bar, VIRTIO_PCI_COMMON_GFSELECT, 4, 0);
    set_common(r, bar, VIRTIO_PCI_COMMON_GF, 4, (uint32_t)f);
    set_common(r, bar, VIRTIO_PCI_COMMON_GFSELECT, 4, 1);
    set_common(r, bar, VIRTIO_PCI_COMMON_GF, 4, (uint32_t)(f >> 32));
    add_status(r, bar, VIRTIO_STATUS_FEATURES_OK);
    if (!(common(r, bar, VIRTIO_PCI_COMMON_STATUS, 1) & VIRTIO_STATUS_FEATURES_OK))
        return false;
    set_common(r, bar, VIRTIO_PCI_COMMON_Q_SELECT, 2, 0);
    if (common(r, bar, VIRTIO_PCI_COMMON_Q_SIZE, 2) < num ||
        common(r, bar, VIRTIO_PCI_COMMON_Q_ENABLE, 2) != 0)
        return false;
    set_common(r, bar, VIRTIO_PCI_COMMON_Q_SIZE, 2, num);
    set_common64(r, bar, VIRTIO_PCI_COMMON_Q_DESC, Q_DESC);
    set_common64(r, bar, VIRTIO_PCI_COMMON_Q_AVAIL, Q_AVAIL);
    set_common64(r, bar, VIRTIO_PCI_COMMON_Q_USED, Q_USED);
    set_common(r, bar, VIRTIO_PCI_COMMON_Q_ENABLE, 2, 1);
    if (common(r, bar, VIRTIO_PCI_COMMON_Q_ENABLE, 2) != 1)
        return false;
    add_status(r, bar, VIRTIO_STATUS_DRIVER_OK);
    return true;
}

static void desc(Rig *r, unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
    uint8_t d[16];
    st_le(d, 8, addr);
    st_le(d + 8, 4, len);
    st_le(d + 12, 2, flags);
    st_le(d + 14, 2, next);
    bus_dma_write(&r->bus, Q_DESC + 16ULL * i, d, sizeof(d));
}

static uint64_t ram_get(Rig *r, uint64_t pa, unsigned size)
{
    uint8_t b[8] = { 0 };
    bus_dma_read(&r->bus, pa, b, size);
    return ld_le(b, size);
}

static void ram_put(Rig *r, uint64_t pa, unsigned size, uint64_t v)
{
    uint8_t b[8];
    st_le(b, size, v);
    bus_dma_write(&r->bus, pa, b, size);
}

/* Makes chain `head` available as entry k and notifies queue 0 the way vp_notify does:
 * a 16-bit write of the queue index at notify base + queue_notify_off * multiplier. */
static void submit(Rig *r, uint64_t bar, uint16_t k, uint16_t head, uint16_t num)
{
    ram_put(r, Q_AVAIL + 4 + 2ULL * (k % num), 2, head);
    ram_put(r, Q_AVAIL + 2, 2, (uint16_t)(k + 1));
    set_common(r, bar, VIRTIO_PCI_COMMON_Q_SELECT, 2, 0);
    uint64_t noff = common(r, bar, VIRTIO_PCI_COMMON_Q_NOFF, 2);
    mem_wr(r, bar + VIRTIO_PCI_NOTIFY_OFF + noff * VIRTIO_PCI_NOTIFY_MULT, 2, 0);
}

static uint8_t isr(Rig *r, uint64_t bar)
{
    return (uint8_t)mem_rd(r, bar + VIRTIO_PCI_ISR_OFF, 1);
}

static void test_virtio_blk_over_pci(void)
{
    Rig *r = rig_new();
    enable(r, BLK_DEVFN, BLK_BAR, VIRTIO_PCI_BAR);
    /* Device configuration: capacity in sectors, read as two 32-bit halves. */
    uint64_t cap = mem_rd(r, BLK_BAR + VIRTIO_PCI_DEVICE_OFF, 4) |
                   mem_rd(r, BLK_BAR + VIRTIO_PCI_DEVICE_OFF + 4, 4) << 32;
    CHECK_EQ(cap, DISK_SIZE / 512);
    CHECK_EQ(mem_rd(r, BLK_BAR + VIRTIO_PCI_DEVICE_OFF + 0x24, 4), 0); /* past it */
    CHECK_EQ(common(r, BLK_BAR, VIRTIO_PCI_COMMON_NUMQ, 2), 1);
    CHECK_EQ(common(r, BLK_BAR, VIRTIO_PCI_COMMON_MSIX, 2), VIRTIO_MSI_NO_VECTOR);
    CHECK(driver_init(r, BLK_BAR, 128));
    CHECK_EQ(common(r, BLK_BAR, VIRTIO_PCI_COMMON_STATUS, 1), 0x0f);
    CHECK_EQ(common(r, BLK_BAR, VIRTIO_PCI_COMMON_Q_DESC, 8), Q_DESC);
    CHECK_EQ(common(r, BLK_BAR, VIRTIO_PCI_COMMON_Q_USED + 4, 4), Q_USED >> 32);
    CHECK_EQ(common(r, BLK_BAR, VIRTIO_PCI_COMMON_Q_MSIX, 2), VIRTIO_MSI_NO_VECTOR);
    CHECK(!r->irqs.level[BLK_IRQ]);

    /* Read sectors 2 and 3: header, data, status. */
    uint8_t h[16] = { 0 };
    st_le(h + 8, 8, 2);
    bus_dma_write(&r->bus, HDR, h, sizeof(h));
    ram_put(r, STATUS, 1, 0xff);
    desc(r, 0, HDR, 16, VIRTQ_DESC_F_NEXT, 1);
    desc(r, 1, DATA, 1024, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
    desc(r, 2, STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
    submit(r, BLK_BAR, 0, 0, 128);
    CHECK_EQ(ram_get(r, Q_USED + 2, 2), 1);
    CHECK_EQ(ram_get(r, Q_USED + 4, 4), 0);
    CHECK_EQ(ram_get(r, Q_USED + 8, 4), 1025);
    CHECK_EQ(ram_get(r, STATUS, 1), 0);
    bool same = true;
    for (unsigned i = 0; i < 1024; i++)
        same &= r->ram[DATA - TEST_RAM_BASE + i] == disk_byte(2 * 512 + i);
    CHECK(same);
    /* INTx is up; reading the ISR returns the used-buffer bit and lowers it. */
    CHECK(r->irqs.level[BLK_IRQ]);
    CHECK(cfg_rd(r, BLK_DEVFN, PCI_STATUS, 2) & PCI_STATUS_INTERRUPT);
    CHECK_EQ(isr(r, BLK_BAR), VIRTIO_ISR_VRING);
    CHECK(!r->irqs.level[BLK_IRQ]);
    CHECK_EQ(isr(r, BLK_BAR), 0);
    CHECK(!(cfg_rd(r, BLK_DEVFN, PCI_STATUS, 2) & PCI_STATUS_INTERRUPT));
    mem_wr(r, BLK_BAR + VIRTIO_PCI_ISR_OFF, 1, 0xff); /* read-only */
    CHECK_EQ(isr(r, BLK_BAR), 0);

    /* Write sector 5 and find it in the file. */
    st_le(h, 4, 1);
    st_le(h + 8, 8, 5);
    bus_dma_write(&r->bus, HDR, h, sizeof(h));
    uint8_t data[512];
    for (unsigned i = 0; i < 512; i++)
        data[i] = (uint8_t)(i ^ 0x3c);
    bus_dma_write(&r->bus, DATA, data, sizeof(data));
    desc(r, 1, DATA, 512, VIRTQ_DESC_F_NEXT, 2);
    submit(r, BLK_BAR, 1, 0, 128);
    CHECK_EQ(ram_get(r, Q_USED + 2, 2), 2);
    CHECK_EQ(ram_get(r, STATUS, 1), 0);
    uint8_t back[512];
    CHECK_EQ(pread(r->fd, back, sizeof(back), 5 * 512), 512);
    CHECK_MEM(back, data, sizeof(data));
    CHECK_EQ(isr(r, BLK_BAR), VIRTIO_ISR_VRING);

    /* Interrupt Disable holds INTx low while the ISR is set. */
    cfg_wr(r, BLK_DEVFN, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_DISABLE);
    submit(r, BLK_BAR, 2, 0, 128);
    CHECK_EQ(ram_get(r, Q_USED + 2, 2), 3);
    CHECK(!r->irqs.level[BLK_IRQ]);
    cfg_wr(r, BLK_DEVFN, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
    CHECK(r->irqs.level[BLK_IRQ]);
    CHECK_EQ(isr(r, BLK_BAR), VIRTIO_ISR_VRING);
    CHECK(!r->irqs.level[BLK_IRQ]);

    /* Memory Space off: the BAR is gone, notifications included. */
    cfg_wr(r, BLK_DEVFN, PCI_COMMAND, 2, 0);
    CHECK_EQ(common(r, BLK_BAR, VIRTIO_PCI_COMMON_STATUS, 1), 0xff);
    submit(r, BLK_BAR, 3, 0, 128);
    CHECK_EQ(ram_get(r, Q_USED + 2, 2), 3);
    rig_free(r);
}

static void test_virtio_rng_over_pci(void)
{
    Rig *r = rig_new();
    enable(r, RNG_DEVFN, RNG_BAR, VIRTIO_PCI_BAR);
    CHECK(driver_init(r, RNG_BAR, 64));
    VirtioRng ref;
    virtio_rng_seed(&ref, 7);
    desc(r, 0, DATA, 32, VIRTQ_DESC_F_WRITE, 0);
    submit(r, RNG_BAR, 0, 0, 64);
    CHECK_EQ(ram_get(r, Q_USED + 2, 2), 1);
    CHECK_EQ(ram_get(r, Q_USED + 8, 4), 32);
    for (unsigned i = 0; i < 32; i += 8)
        CHECK_EQ(ram_get(r, DATA + i, 8), virtio_rng_next(&ref));
    CHECK(r->irqs.level[RNG_IRQ]);
    CHECK(!r->irqs.level[BLK_IRQ]);
    CHECK_EQ(isr(r, RNG_BAR), VIRTIO_ISR_VRING);
    CHECK(!r->irqs.level[RNG_IRQ]);
    /* No device configuration: reads give 0. */
    CHECK_EQ(mem_rd(r, RNG_BAR + VIRTIO_PCI_DEVICE_OFF, 4), 0);
    rig_free(r);
}

static void test_common_cfg_rules(void)
{
    Rig *r = rig_new();
    enable(r, BLK_DEVFN, BLK_BAR, VIRTIO_PCI_BAR);
    /* Features: word 2 and beyond are zero; a bit the device lacks refuses FEATURES_OK. */
    set_common(r, BLK_BAR, VIRTIO_PCI_COMMON_DFSELECT, 4, 2);
    CHECK_EQ(common(r, BLK_BAR, VIRTIO_PCI_COMMON_DF, 4), 0);
    CHECK_EQ(common(r, BLK_BAR, VIRTIO_PCI_COMMON_DFSELECT, 4), 2);
    add_status(r, BLK_BAR, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    set_common(r, BLK_BAR, VIRTIO_PCI_COMMON_GFSELECT, 4, 1);
    set_common(r, BLK_BAR, VIRTIO_PCI_COMMON_GF, 4, 1 | 2); /* VERSION_1, ACCESS_PLATFORM */
    CHECK_EQ(common(r, BLK_BAR, VIRTIO_PCI_COMMON_GF, 4), 3);
    add_status(r, BLK_BAR, VIRTIO_STATUS_FEATURES_OK);
    CHECK(!(common(r, BLK_BAR, VIRTIO_PCI_COMMON_STATUS, 1) & VIRTIO_STATUS_FEATURES_OK));
    /* A queue past the device's reads size 0 and takes no writes. */
    set_common(r, BLK_BAR, VIRTIO_PCI_COMMON_Q_SELECT, 2, 5);
    CHECK_EQ(common(r, BLK_BAR, VIRTIO_PCI_COMMON_Q_SIZE, 2), 0);
    set_common(r, BLK_BAR, VIRTIO_PCI_COMMON_Q_ENABLE, 2, 1);
    CHECK_EQ(common(r, BLK_BAR, VIRTIO_PCI_COMMON_Q_ENABLE, 2), 0);
    /* Queue 0: its maximum size, then whatever the driver writes while disabled. */
    set_common(r, BLK_BAR, VIRTIO_PCI_COMMON_Q_SELECT, 2, 0);
    CHECK_EQ(common(r, BLK_BAR, VIRTIO_PCI_COMMON_Q_SIZE, 2), VIRTIO_BLK_QUEUE_SIZE);
    CHECK(driver_init(r, BLK_BAR, 64));
    /* Enabled: its layout is frozen; disabling by writing 0 is ignored. */
    set_common(r, BLK_BAR, VIRTIO_PCI_COMMON_Q_SIZE, 2, 32);
    set_common64(r, BLK_BAR, VIRTIO_PCI_COMMON_Q_DESC, 0x1234000);
    set_common(r, BLK_BAR, VIRTIO_PCI_COMMON_Q_ENABLE, 2, 0);
    CHECK_EQ(common(r, BLK_BAR, VIRTIO_PCI_COMMON_Q_SIZE, 2), 64);
    CHECK_EQ(common(r, BLK_BAR, VIRTIO_PCI_COMMON_Q_DESC, 8), Q_DESC);
    CHECK_EQ(common(r, BLK_BAR, VIRTIO_PCI_COMMON_Q_ENABLE, 2), 1);
    /* Read-only fields. */
    set_common(r, BLK_BAR, VIRTIO_PCI_COMMON_NUMQ, 2, 7);
    set_common(r, BLK_BAR, VIRTIO_PCI_COMMON_DF, 4, 0);
    CHECK_EQ(common(r, BLK_BAR, VIRTIO_PCI_COMMON_NUMQ, 2), 1);
    /* Reset through a 4-byte write covering status, generation and queue_select. */
    set_common(r, BLK_BAR, VIRTIO_PCI_COMMON_STATUS, 4, 0);
    CHECK_EQ(common(r, BLK_BAR, VIRTIO_PCI_COMMON_STATUS, 1), 0);
    CHECK_EQ(common(r, BLK_BAR, VIRTIO_PCI_COMMON_Q_ENABLE, 2), 0);
    CHECK_EQ(common(r, BLK_BAR, VIRTIO_PCI_COMMON_Q_SIZE, 2), VIRTIO_BLK_QUEUE_SIZE);
    /* A queue outside RAM, or a size that is not a power of two: NEEDS_RESET. */
    add_status(r, BLK_BAR, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    set_common(r, BLK_BAR, VIRTIO_PCI_COMMON_Q_SIZE, 2, 100);
    set_common64(r, BLK_BAR, VIRTIO_PCI_COMMON_Q_DESC, Q_DESC);
    set_common64(r, BLK_BAR, VIRTIO_PCI_COMMON_Q_AVAIL, Q_AVAIL);
    set_common64(r, BLK_BAR, VIRTIO_PCI_COMMON_Q_USED, Q_USED);
    set_common(r, BLK_BAR, VIRTIO_PCI_COMMON_Q_ENABLE, 2, 1);
    CHECK(common(r, BLK_BAR, VIRTIO_PCI_COMMON_STATUS, 1) & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
    CHECK_EQ(common(r, BLK_BAR, VIRTIO_PCI_COMMON_Q_ENABLE, 2), 0);
    set_common(r, BLK_BAR, VIRTIO_PCI_COMMON_STATUS, 1, 0);
    add_status(r, BLK_BAR, VIRTIO_STATUS_ACKNOWLEDGE);
    set_common64(r, BLK_BAR, VIRTIO_PCI_COMMON_Q_DESC, 0xfff0000000ULL);
    set_common(r, BLK_BAR, VIRTIO_PCI_COMMON_Q_ENABLE, 2, 1);
    CHECK(common(r, BLK_BAR, VIRTIO_PCI_COMMON_STATUS, 1) & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
    CHECK(r->blk.vdev.error != NULL);
    /* Every offset and size of the common structure reads without harm. */
    for (unsigned off = 0; off < 0x48; off++)
        for (unsigned size = 1; size <= 8; size *= 2)
            (void)common(r, BLK_BAR, off, size);
    rig_free(r);
}

static void test_pci_cfg_window(void)
{
    Rig *r = rig_new();
    CapSeen s = walk_caps(r, BLK_DEVFN);
    unsigned c = s.at[VIRTIO_PCI_CAP_PCI_CFG], data = c + VIRTIO_PCI_CAP_PCI_CFG_DATA;
    /* Works with Memory Space disabled: it is a configuration access. */
    cfg_wr(r, BLK_DEVFN, c + VIRTIO_PCI_CAP_BAR, 1, VIRTIO_PCI_BAR);
    cfg_wr(r, BLK_DEVFN, c + VIRTIO_PCI_CAP_OFFSET, 4, VIRTIO_PCI_COMMON_NUMQ);
    cfg_wr(r, BLK_DEVFN, c + VIRTIO_PCI_CAP_LENGTH, 4, 2);
    CHECK_EQ(cfg_rd(r, BLK_DEVFN, data, 2), 1);
    cfg_wr(r, BLK_DEVFN, c + VIRTIO_PCI_CAP_OFFSET, 4, VIRTIO_PCI_COMMON_STATUS);
    cfg_wr(r, BLK_DEVFN, c + VIRTIO_PCI_CAP_LENGTH, 4, 1);
    cfg_wr(r, BLK_DEVFN, data, 1, VIRTIO_STATUS_ACKNOWLEDGE);
    CHECK_EQ(r->blk.vdev.status, VIRTIO_STATUS_ACKNOWLEDGE);
    CHECK_EQ(cfg_rd(r, BLK_DEVFN, data, 1), VIRTIO_STATUS_ACKNOWLEDGE);
    /* The device configuration through the window: capacity's low word. */
    cfg_wr(r, BLK_DEVFN, c + VIRTIO_PCI_CAP_OFFSET, 4, VIRTIO_PCI_DEVICE_OFF);
    cfg_wr(r, BLK_DEVFN, c + VIRTIO_PCI_CAP_LENGTH, 4, 4);
    CHECK_EQ(cfg_rd(r, BLK_DEVFN, data, 4), DISK_SIZE / 512);
    /* Bad windows are inert: another BAR, length 3 or 8, misaligned, past the BAR. */
    static const uint32_t bad[][3] = {
        { 0, VIRTIO_PCI_DEVICE_OFF, 4 }, { VIRTIO_PCI_BAR, VIRTIO_PCI_DEVICE_OFF, 3 },
        { VIRTIO_PCI_BAR, VIRTIO_PCI_DEVICE_OFF, 8 }, { VIRTIO_PCI_BAR, VIRTIO_PCI_DEVICE_OFF + 2, 4 },
        { VIRTIO_PCI_BAR, 0xfffffffc, 4 }, { 0xff, 0, 1 },
    };
    for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
        cfg_wr(r, BLK_DEVFN, c + VIRTIO_PCI_CAP_BAR, 1, bad[i][0]);
        cfg_wr(r, BLK_DEVFN, c + VIRTIO_PCI_CAP_OFFSET, 4, bad[i][1]);
        cfg_wr(r, BLK_DEVFN, c + VIRTIO_PCI_CAP_LENGTH, 4, bad[i][2]);
        cfg_wr(r, BLK_DEVFN, data, 4, 0);
        (void)cfg_rd(r, BLK_DEVFN, data, 4);
    }
    CHECK_EQ(r->blk.vdev.status, VIRTIO_STATUS_ACKNOWLEDGE);
    rig_free(r);
}

/* Every configuration write a guest could make, then memory cycles all over the BAR:
 * nothing may reach outside the model's arrays (run under ASan in the sanitizer build). */
static void test_hostile(void)
{
    Rig *r = rig_new();
    static const uint32_t vals[] = { 0, 0xffffffff, 0x80000000, 0x12345678, 0x00000001 };
    for (unsigned v = 0; v < ARRAY_SIZE(vals); v++)
        for (unsigned off = 0; off < 260; off++)
            for (unsigned size = 1; size <= 4; size++) {
                cfg_wr(r, BLK_DEVFN, off, size, vals[v]);
                (void)cfg_rd(r, BLK_DEVFN, off, size);
                cfg_wr(r, RNG_DEVFN, off, size, vals[v]);
            }
    CHECK_EQ(cfg_rd(r, BLK_DEVFN, PCI_VENDOR_ID, 4), 0x10421af4);
    enable(r, BLK_DEVFN, BLK_BAR, VIRTIO_PCI_BAR);
    for (uint64_t off = 0; off < VIRTIO_PCI_BAR_SIZE; off += 0x3f)
        for (unsigned size = 1; size <= 8; size *= 2) {
            (void)mem_rd(r, BLK_BAR + off, size);
            mem_wr(r, BLK_BAR + off, size, off == VIRTIO_PCI_COMMON_STATUS ? 0 : 0xffffffffffffffffULL);
        }
    /* Notifications of queues that do not exist. */
    for (unsigned q = 0; q < 64; q++)
        mem_wr(r, BLK_BAR + VIRTIO_PCI_NOTIFY_OFF + 4 * q, 2, q);
    CHECK(true);
    rig_free(r);
}

int main(void)
{
    test_header();
    test_bar_sizing();
    test_memory_decoding();
    test_intx();
    test_capabilities();
    test_virtio_blk_over_pci();
    test_virtio_rng_over_pci();
    test_common_cfg_rules();
    test_pci_cfg_window();
    test_hostile();
    return unit_summary("test_pci");
}
