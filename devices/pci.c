/* devices/pci.c: conventional PCI configuration space, BAR decoding and INTx (PCI Local
 * Bus Specification 3.0, chapter 6 "Configuration Space"; see devices/pci.h). The
 * configuration space is a byte array with a write mask: a configuration write changes
 * only the bits the mask allows, which is all BAR sizing needs (6.2.5.1: the address bits
 * below the size are hard-wired to zero, so writing all ones reads back the size). */
#include "devices/pci.h"
#include "cpu/common/state.h"

static bool config_access_ok(unsigned off, unsigned size)
{
    return (size == 1 || size == 2 || size == 4) && off < PCI_CONFIG_SPACE_SIZE &&
           size <= PCI_CONFIG_SPACE_SIZE - off && !(off & (size - 1));
}

static uint16_t command(const PciDevice *d)
{
    return (uint16_t)ld_le(d->config + PCI_COMMAND, 2);
}

/* 6.2.2: INTx follows the request unless Interrupt Disable is set. */
static void update_intx(PciDevice *d)
{
    bool level = d->intx_request && !(command(d) & PCI_COMMAND_INTX_DISABLE);
    if (level != d->intx_level) {
        d->intx_level = level;
        irq_set(&d->intx, level);
    }
}

void pci_device_init(PciDevice *d, const PciId *id)
{
    *d = (PciDevice){ .cap_next = PCI_HEADER_END };
    uint8_t *c = d->config;
    st_le(c + PCI_VENDOR_ID, 2, id->vendor);
    st_le(c + PCI_DEVICE_ID, 2, id->device);
    c[PCI_REVISION_ID] = id->revision;
    st_le(c + PCI_CLASS_PROG, 3, id->class_code & 0xffffff);
    c[PCI_HEADER_TYPE] = 0; /* type 0, single function */
    st_le(c + PCI_SUBSYSTEM_VENDOR_ID, 2, id->subsystem_vendor);
    st_le(c + PCI_SUBSYSTEM_ID, 2, id->subsystem);
    c[PCI_INTERRUPT_PIN] = id->irq_pin;
    /* What software may write in the header: the Command bits this model has, cache
     * line size, latency timer, interrupt line. BARs get theirs when registered. */
    st_le(d->wmask + PCI_COMMAND, 2,
          PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | PCI_COMMAND_PARITY |
              PCI_COMMAND_SERR | PCI_COMMAND_INTX_DISABLE);
    d->wmask[PCI_CACHE_LINE_SIZE] = 0xff;
    d->wmask[PCI_LATENCY_TIMER] = 0xff;
    d->wmask[PCI_INTERRUPT_LINE] = 0xff;
}

static bool is_pow2(uint64_t v)
{
    return v && !(v & (v - 1));
}

bool pci_register_bar(PciDevice *d, unsigned n, uint64_t size, uint32_t flags,
                      const MmioOps *ops, void *opaque)
{
    bool is64 = flags & PCI_BASE_ADDRESS_MEM_TYPE_64;
    if (n >= PCI_NUM_BARS || (is64 && n + 1 >= PCI_NUM_BARS) || !ops || !is_pow2(size) ||
        size < 16 || (!is64 && size > (1ULL << 31)) ||
        (flags & ~(uint32_t)(PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH)))
        return false;
    /* The BAR (and the upper half of a 64-bit one) must be free. */
    for (unsigned k = 0; k < PCI_NUM_BARS; k++) {
        const PciBar *b = &d->bar[k];
        bool b64 = b->flags & PCI_BASE_ADDRESS_MEM_TYPE_64;
        if (b->size && (k == n || (is64 && k == n + 1) || (b64 && k + 1 == n)))
            return false;
    }
    d->bar[n] = (PciBar){ .size = size, .flags = flags, .ops = ops, .opaque = opaque };
    unsigned reg = PCI_BASE_ADDRESS_0 + 4 * n;
    uint64_t mask = ~(size - 1) & PCI_BASE_ADDRESS_MEM_MASK;
    st_le(d->config + reg, 4, flags);
    st_le(d->wmask + reg, 4, (uint32_t)mask);
    if (is64) {
        st_le(d->config + reg + 4, 4, 0);
        st_le(d->wmask + reg + 4, 4, (uint32_t)(mask >> 32));
    }
    return true;
}

uint64_t pci_bar_addr(const PciDevice *d, unsigned n)
{
    if (n >= PCI_NUM_BARS || !d->bar[n].size)
        return 0;
    unsigned reg = PCI_BASE_ADDRESS_0 + 4 * n;
    uint64_t addr = ld_le(d->config + reg, 4) & PCI_BASE_ADDRESS_MEM_MASK & 0xffffffffULL;
    if (d->bar[n].flags & PCI_BASE_ADDRESS_MEM_TYPE_64)
        addr |= ld_le(d->config + reg + 4, 4) << 32;
    return addr;
}

void pci_set_bar_addr(PciDevice *d, unsigned n, uint64_t addr)
{
    if (n >= PCI_NUM_BARS || !d->bar[n].size)
        return;
    unsigned reg = PCI_BASE_ADDRESS_0 + 4 * n;
    pci_config_write(d, reg, 4, (uint32_t)addr);
    if (d->bar[n].flags & PCI_BASE_ADDRESS_MEM_TYPE_64)
        pci_config_write(d, reg + 4, 4, (uint32_t)(addr >> 32));
}

uint8_t pci_add_capability(PciDevice *d, uint8_t id, uint8_t len)
{
    unsigned off = (d->cap_next + 3u) & ~3u;
    if (len < 2 || off + len > PCI_CONFIG_SPACE_SIZE)
        return 0;
    d->config[off] = id;
    d->config[off + 1] = 0;
    if (d->cap_last)
        d->config[d->cap_last + 1] = (uint8_t)off;
    else
        d->config[PCI_CAPABILITY_LIST] = (uint8_t)off;
    d->config[PCI_STATUS] |= PCI_STATUS_CAP_LIST;
    d->cap_last = (uint8_t)off;
    d->cap_next = (uint8_t)MIN(off + len, 0xffu);
    return (uint8_t)off;
}

uint32_t pci_config_read(PciDevice *d, unsigned off, unsigned size)
{
    if (!config_access_ok(off, size))
        return 0xffffffffu;
    uint32_t val = (uint32_t)ld_le(d->config + off, size);
    if (d->read_hook)
        val = d->read_hook(d, off, size, val);
    return val;
}

void pci_config_write(PciDevice *d, unsigned off, unsigned size, uint32_t val)
{
    if (!config_access_ok(off, size))
        return;
    for (unsigned i = 0; i < size; i++) {
        uint8_t m = d->wmask[off + i], b = (uint8_t)(val >> (8 * i));
        d->config[off + i] = (uint8_t)((d->config[off + i] & ~m) | (b & m));
    }
    if (off < PCI_COMMAND + 2 && off + size > PCI_COMMAND)
        update_intx(d);
    if (d->write_hook)
        d->write_hook(d, off, size, val);
}

void pci_set_irq(PciDevice *d, bool level)
{
    d->intx_request = level;
    if (level)
        d->config[PCI_STATUS] |= PCI_STATUS_INTERRUPT;
    else
        d->config[PCI_STATUS] &= (uint8_t)~PCI_STATUS_INTERRUPT;
    update_intx(d);
}

void pci_connect_intx(PciDevice *d, IrqLine line)
{
    d->intx = line;
    irq_set(&d->intx, d->intx_level);
}

/* --- the bus -------------------------------------------------------------------------- */

bool pci_bus_attach(PciBus *b, unsigned devfn, PciDevice *d)
{
    if (devfn >= PCI_MAX_DEVFN || b->dev[devfn] || !d)
        return false;
    b->dev[devfn] = d;
    return true;
}

PciDevice *pci_bus_device(PciBus *b, unsigned devfn)
{
    return devfn < PCI_MAX_DEVFN ? b->dev[devfn] : NULL;
}

bool pci_bus_config_read(PciBus *b, unsigned devfn, unsigned off, unsigned size, uint32_t *val)
{
    PciDevice *d = pci_bus_device(b, devfn);
    *val = d ? pci_config_read(d, off, size) : 0xffffffffu;
    return d != NULL;
}

bool pci_bus_config_write(PciBus *b, unsigned devfn, unsigned off, unsigned size, uint32_t val)
{
    PciDevice *d = pci_bus_device(b, devfn);
    if (d)
        pci_config_write(d, off, size, val);
    return d != NULL;
}

/* The BAR that claims [addr, addr+size): Memory Space enabled, the range inside it. */
static const PciBar *claim(PciBus *b, uint64_t addr, unsigned size, uint64_t *off)
{
    for (unsigned f = 0; f < PCI_MAX_DEVFN; f++) {
        PciDevice *d = b->dev[f];
        if (!d || !(command(d) & PCI_COMMAND_MEMORY))
            continue;
        for (unsigned n = 0; n < PCI_NUM_BARS; n++) {
            const PciBar *bar = &d->bar[n];
            uint64_t base = pci_bar_addr(d, n);
            if (bar->size && addr >= base && addr - base < bar->size &&
                size <= bar->size - (addr - base)) {
                *off = addr - base;
                return bar;
            }
        }
    }
    return NULL;
}

static bool size_ok(unsigned size)
{
    return size == 1 || size == 2 || size == 4 || size == 8;
}

bool pci_bus_mem_read(PciBus *b, uint64_t addr, unsigned size, uint64_t *val)
{
    uint64_t off;
    const PciBar *bar = size_ok(size) ? claim(b, addr, size, &off) : NULL;
    uint64_t ones = size >= 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
    *val = ones;
    if (!bar)
        return false;
    const MmioOps *ops = bar->ops;
    if (ops->read && size >= ops->min_size && size <= ops->max_size) {
        uint64_t v = ops->read(bar->opaque, off, size);
        *val = (ops->endian == DEV_BIG_ENDIAN ? bswap_sized(v, size) : v) & ones;
    }
    return true;
}

bool pci_bus_mem_write(PciBus *b, uint64_t addr, unsigned size, uint64_t val)
{
    uint64_t off;
    const PciBar *bar = size_ok(size) ? claim(b, addr, size, &off) : NULL;
    if (!bar)
        return false;
    const MmioOps *ops = bar->ops;
    if (size < 8)
        val &= (1ULL << (8 * size)) - 1;
    if (ops->write && size >= ops->min_size && size <= ops->max_size)
        ops->write(bar->opaque, off, ops->endian == DEV_BIG_ENDIAN ? bswap_sized(val, size) : val,
                   size);
    return true;
}

void pci_device_save(const PciDevice *d, StateW *w)
{
    sw_bytes(w, d->config, sizeof(d->config));
    sw_bool(w, d->intx_request);
    sw_bool(w, d->intx_level);
}

void pci_device_load(PciDevice *d, StateR *r)
{
    uint8_t cfg[PCI_CONFIG_SPACE_SIZE];
    sr_bytes(r, cfg, sizeof(cfg));
    /* Only what the guest could have written changes: the rest is the device's identity. */
    for (unsigned k = 0; k < sizeof(cfg); k++)
        d->config[k] = (uint8_t)((d->config[k] & ~d->wmask[k]) | (cfg[k] & d->wmask[k]));
    d->intx_request = sr_bool(r);
    d->intx_level = sr_bool(r);
}
