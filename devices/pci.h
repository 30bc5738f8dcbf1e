/* devices/pci.h: a small model of conventional PCI for devices to embed, following the
 * PCI Local Bus Specification 3.0, chapter 6 "Configuration Space": the type 0 header
 * (6.2), Base Address Registers and their sizing by writing all ones (6.2.5.1), the
 * Command register's Memory Space and Interrupt Disable bits and the Status register's
 * Interrupt Status and Capabilities List bits (6.2.2), the capabilities list (6.7) and the
 * INTx pin (6.2.4). A PciDevice holds 256 bytes of configuration space, a write mask for
 * it and up to six BARs, each a memory range served by MmioOps; a PciBus holds the
 * devices of one bus by devfn and routes configuration accesses and memory cycles (bus
 * addresses) to them. A cycle no enabled BAR claims ends in a master abort: reads give
 * all ones, writes are dropped. There is no I/O space and no MSI. Everything the guest
 * writes is checked here: offsets, sizes and BAR values never reach past the arrays. */
#ifndef HVEMU_PCI_H
#define HVEMU_PCI_H

#include "devices/bus.h"

#define PCI_CONFIG_SPACE_SIZE 256

/* 6.2 Type 0 configuration space header. */
#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_REVISION_ID 0x08
#define PCI_CLASS_PROG 0x09
#define PCI_CACHE_LINE_SIZE 0x0c
#define PCI_LATENCY_TIMER 0x0d
#define PCI_HEADER_TYPE 0x0e
#define PCI_BASE_ADDRESS_0 0x10
#define PCI_SUBSYSTEM_VENDOR_ID 0x2c
#define PCI_SUBSYSTEM_ID 0x2e
#define PCI_ROM_ADDRESS 0x30
#define PCI_CAPABILITY_LIST 0x34
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN 0x3d
#define PCI_HEADER_END 0x40 /* capabilities start here */

#define PCI_COMMAND_IO 0x0001
#define PCI_COMMAND_MEMORY 0x0002
#define PCI_COMMAND_MASTER 0x0004
#define PCI_COMMAND_PARITY 0x0040
#define PCI_COMMAND_SERR 0x0100
#define PCI_COMMAND_INTX_DISABLE 0x0400
#define PCI_STATUS_INTERRUPT 0x0008
#define PCI_STATUS_CAP_LIST 0x0010

/* 6.2.5.1 Base Address Registers: the low bits of a memory BAR. */
#define PCI_BASE_ADDRESS_SPACE_IO 0x01
#define PCI_BASE_ADDRESS_MEM_TYPE_64 0x04
#define PCI_BASE_ADDRESS_MEM_PREFETCH 0x08
#define PCI_BASE_ADDRESS_MEM_MASK (~0x0fULL)
#define PCI_NUM_BARS 6

#define PCI_CAP_ID_VNDR 0x09 /* vendor-specific capability */
#define PCI_INTX_PIN_A 1

#define PCI_DEVFN(slot, fn) ((uint8_t)(((slot) & 0x1f) << 3 | ((fn) & 7)))
#define PCI_SLOT(devfn) (((devfn) >> 3) & 0x1f)
#define PCI_MAX_DEVFN 256

/* What identifies a function: the header's read-only fields. */
typedef struct PciId {
    uint16_t vendor, device;
    uint16_t subsystem_vendor, subsystem;
    uint8_t revision;
    uint32_t class_code;  /* 24 bits: base class, sub-class, programming interface */
    uint8_t irq_pin;      /* 0: none; PCI_INTX_PIN_A.. */
} PciId;

typedef struct PciBar {
    uint64_t size;        /* a power of two >= 16; 0: not implemented */
    uint32_t flags;       /* PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH */
    const MmioOps *ops;   /* offsets relative to the BAR's address */
    void *opaque;
} PciBar;

typedef struct PciDevice PciDevice;

struct PciDevice {
    uint8_t config[PCI_CONFIG_SPACE_SIZE]; /* little-endian, as the bus shows it */
    uint8_t wmask[PCI_CONFIG_SPACE_SIZE];  /* bits a configuration write may change */
    PciBar bar[PCI_NUM_BARS];
    uint8_t cap_next;      /* where the next capability goes */
    uint8_t cap_last;      /* offset of the last capability, 0: none yet */
    IrqLine intx;          /* the routed INTx line (the machine's interrupt controller) */
    bool intx_request;     /* the device asks for an interrupt */
    bool intx_level;       /* what intx was last driven to */
    /* Device hooks for configuration registers of its own (may be NULL): read_hook may
     * replace the value the model read, write_hook runs after the model stored the
     * masked bytes. off/size are checked and lie within the space. */
    uint32_t (*read_hook)(PciDevice *d, unsigned off, unsigned size, uint32_t val);
    void (*write_hook)(PciDevice *d, unsigned off, unsigned size, uint32_t val);
    void *opaque;          /* the embedding device, for the hooks */
};

/* A function in reset state: the header from id, Command 0 (no decoding), BARs
 * unimplemented, no capabilities, INTx not routed. */
void pci_device_init(PciDevice *d, const PciId *id);
/* BAR n: a memory range of `size` bytes (a power of two >= 16) answered by ops/opaque;
 * flags PCI_BASE_ADDRESS_MEM_TYPE_64 (uses BAR n+1 as the upper half) and/or
 * PCI_BASE_ADDRESS_MEM_PREFETCH. False for a bad index, size or flag combination. */
bool pci_register_bar(PciDevice *d, unsigned n, uint64_t size, uint32_t flags,
                      const MmioOps *ops, void *opaque);
/* Appends a capability of `len` bytes (>= 2) with ID `id` to the list: its offset, its
 * first two bytes set (ID, next pointer 0) and the rest zero and read-only; 0 if the
 * space is full. */
uint8_t pci_add_capability(PciDevice *d, uint8_t id, uint8_t len);

/* Configuration accesses as a host bridge makes them: size 1, 2 or 4 at an offset
 * aligned to it within the 256 bytes. Anything else reads as all ones / is dropped. */
uint32_t pci_config_read(PciDevice *d, unsigned off, unsigned size);
void pci_config_write(PciDevice *d, unsigned off, unsigned size, uint32_t val);
/* Firmware's BAR assignment (what a configuration write of `addr` would do). */
void pci_set_bar_addr(PciDevice *d, unsigned n, uint64_t addr);
/* The bus address BAR n decodes at (its register, whatever the Command register says). */
uint64_t pci_bar_addr(const PciDevice *d, unsigned n);

/* The device's interrupt request: Status.Interrupt follows it, and the INTx line is high
 * while it is set and Command.Interrupt Disable is clear. */
void pci_set_irq(PciDevice *d, bool level);
/* Routes INTx (the machine's interrupt controller input) and drives it at once. */
void pci_connect_intx(PciDevice *d, IrqLine line);

/* One bus: devices by devfn. Memory cycles go to the BAR that claims them. */
typedef struct PciBus {
    PciDevice *dev[PCI_MAX_DEVFN];
} PciBus;

/* Puts d at devfn; false if devfn is taken. */
bool pci_bus_attach(PciBus *b, unsigned devfn, PciDevice *d);
PciDevice *pci_bus_device(PciBus *b, unsigned devfn);
/* Configuration cycles to devfn; false if there is no device there (the read then gives
 * all ones). */
bool pci_bus_config_read(PciBus *b, unsigned devfn, unsigned off, unsigned size, uint32_t *val);
bool pci_bus_config_write(PciBus *b, unsigned devfn, unsigned off, unsigned size, uint32_t val);
/* A memory cycle of size 1, 2, 4 or 8 at bus address addr: the device with Memory Space
 * enabled whose BAR holds [addr, addr+size) serves it (if its ops take that size).
 * False on a master abort (*val is then all ones). */
bool pci_bus_mem_read(PciBus *b, uint64_t addr, unsigned size, uint64_t *val);
bool pci_bus_mem_write(PciBus *b, uint64_t addr, unsigned size, uint64_t val);

struct StateW;
struct StateR;
/* Snapshot state (cpu/common/state.h): configuration space and the INTx request. */
void pci_device_save(const PciDevice *d, struct StateW *w);
void pci_device_load(PciDevice *d, struct StateR *r);

#endif
