/* devices/virtio.h: the virtio-mmio transport (modern interface, Version 2) and split
 * virtqueues, shared by the virtio device backends (blk, rng, ...). Follows the Virtual
 * I/O Device (VIRTIO) Version 1.2 specification: section 2.1 "Device Status Field",
 * 2.2 "Feature Bits", 2.7 "Split Virtqueues" and 4.2.2 "MMIO Device Register Layout".
 * A backend is a VirtioDevOps table plus its own struct that embeds a VirtioMmio; it
 * takes requests with virtio_pop(), moves data with virtq_elem_read()/virtq_elem_write()
 * (every guest address goes through bus_dma_read/bus_dma_write), completes them with
 * virtio_push() and finally calls virtio_notify_used(). */
#ifndef HVEMU_VIRTIO_H
#define HVEMU_VIRTIO_H

#include "devices/bus.h"

/* 4.2.2 MMIO Device Register Layout */
#define VIRTIO_MMIO_MAGIC_VALUE 0x000
#define VIRTIO_MMIO_VERSION 0x004
#define VIRTIO_MMIO_DEVICE_ID 0x008
#define VIRTIO_MMIO_VENDOR_ID 0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES 0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES 0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_QUEUE_SEL 0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX 0x034
#define VIRTIO_MMIO_QUEUE_NUM 0x038
#define VIRTIO_MMIO_QUEUE_READY 0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY 0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS 0x060
#define VIRTIO_MMIO_INTERRUPT_ACK 0x064
#define VIRTIO_MMIO_STATUS 0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW 0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH 0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW 0x090
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH 0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW 0x0a0
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH 0x0a4
#define VIRTIO_MMIO_SHM_SEL 0x0ac
#define VIRTIO_MMIO_SHM_LEN_LOW 0x0b0
#define VIRTIO_MMIO_SHM_LEN_HIGH 0x0b4
#define VIRTIO_MMIO_SHM_BASE_LOW 0x0b8
#define VIRTIO_MMIO_SHM_BASE_HIGH 0x0bc
#define VIRTIO_MMIO_CONFIG_GENERATION 0x0fc
#define VIRTIO_MMIO_CONFIG 0x100

#define VIRTIO_MMIO_MAGIC 0x74726976 /* "virt" */
#define VIRTIO_MMIO_VERSION_MODERN 2
#define VIRTIO_MMIO_VENDOR 0x554d5648 /* "HVMU" */
#define VIRTIO_MMIO_REGION_SIZE 0x1000

#define VIRTIO_MMIO_INT_VRING 0x1
#define VIRTIO_MMIO_INT_CONFIG 0x2

/* 2.1 Device Status Field */
#define VIRTIO_STATUS_ACKNOWLEDGE 0x01
#define VIRTIO_STATUS_DRIVER 0x02
#define VIRTIO_STATUS_DRIVER_OK 0x04
#define VIRTIO_STATUS_FEATURES_OK 0x08
#define VIRTIO_STATUS_DEVICE_NEEDS_RESET 0x40
#define VIRTIO_STATUS_FAILED 0x80

/* 6 Reserved Feature Bits */
#define VIRTIO_F_INDIRECT_DESC 28
#define VIRTIO_F_EVENT_IDX 29
#define VIRTIO_F_VERSION_1 32

/* 5 Device Types */
#define VIRTIO_ID_NET 1
#define VIRTIO_ID_BLOCK 2
#define VIRTIO_ID_CONSOLE 3
#define VIRTIO_ID_RNG 4

/* 2.7.5 The Virtqueue Descriptor Table */
#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2
#define VIRTQ_DESC_F_INDIRECT 4
#define VIRTQ_DESC_SIZE 16
/* 2.7.6 The Virtqueue Available Ring, 2.7.8 The Virtqueue Used Ring */
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1

#define VIRTIO_MMIO_MAX_QUEUES 8
#define VIRTIO_QUEUE_MAX_SIZE 1024

typedef struct VirtioMmio VirtioMmio;

/* One guest buffer of a descriptor chain. */
typedef struct VirtqSeg {
    uint64_t addr;
    uint32_t len;
} VirtqSeg;

/* A request popped from a virtqueue: the device-readable ("out") segments followed by
 * the device-writable ("in") ones. The segment arrays live in the VirtioMmio and stay
 * valid until the next virtio_pop on the same device. */
typedef struct VirtqElem {
    uint16_t head;
    unsigned n_out, n_in;
    const VirtqSeg *out, *in;
    uint64_t out_len, in_len; /* total bytes */
} VirtqElem;

typedef struct VirtQueue {
    uint16_t num_max, num;
    bool ready;
    uint64_t desc, driver, device; /* descriptor table, available ring, used ring */
    uint16_t last_avail;           /* next available-ring entry to take */
    uint16_t used_idx;             /* next used-ring entry to fill */
} VirtQueue;

/* The device-specific part of a virtio device. `dev` below is the backend's own struct
 * (the opaque given to virtio_mmio_init). */
typedef struct VirtioDevOps {
    const char *name;
    uint32_t device_id;
    unsigned num_queues;     /* <= VIRTIO_MMIO_MAX_QUEUES */
    uint16_t queue_max;      /* QueueNumMax of every queue, a power of 2 <= 1024 */
    uint32_t config_size;    /* bytes of device configuration space */
    /* Device feature bits (VIRTIO_F_VERSION_1 and VIRTIO_F_INDIRECT_DESC are added by
     * the transport). */
    uint64_t (*features)(void *dev);
    /* Fills the whole configuration space (config_size bytes, little-endian fields). */
    void (*config_read)(void *dev, uint8_t *cfg);
    /* A driver write of `size` bytes at `off` of the configuration space; may be NULL. */
    void (*config_write)(void *dev, uint32_t off, uint64_t val, unsigned size);
    /* The driver notified queue q (or DRIVER_OK was set with q ready). */
    void (*queue_notify)(void *dev, VirtioMmio *vm, unsigned q);
    /* Device reset (status 0 written); may be NULL. */
    void (*reset)(void *dev);
} VirtioDevOps;

struct VirtioMmio {
    Bus *bus;
    IrqLine irq;
    uint64_t base;
    const VirtioDevOps *ops;
    void *dev;
    unsigned nqueues;
    uint32_t status;
    uint32_t device_features_sel, driver_features_sel;
    uint64_t driver_features;
    uint32_t queue_sel;
    uint32_t interrupt_status;
    uint32_t config_generation;
    uint32_t shm_sel;
    bool irq_level;
    bool broken;       /* DEVICE_NEEDS_RESET is set: queues are not processed */
    const char *error; /* why the device needs a reset, for the machine's log */
    VirtQueue queues[VIRTIO_MMIO_MAX_QUEUES];
    VirtqSeg segs[VIRTIO_QUEUE_MAX_SIZE];
};

/* Maps the 0x1000-byte register window at base. */
void virtio_mmio_init(VirtioMmio *vm, Bus *bus, uint64_t base, IrqLine irq,
                      const VirtioDevOps *ops, void *dev);
/* virtio_mmio@base { compatible = "virtio,mmio"; reg; interrupts; interrupt-parent }. */
int virtio_mmio_fdt(const VirtioMmio *vm, void *fdt, uint32_t irq, uint32_t irq_parent_phandle);

/* Whether the driver accepted feature bit `bit`. */
bool virtio_has_feature(const VirtioMmio *vm, unsigned bit);
/* Takes the next available request of queue q. False when the queue is empty, not
 * ready, or malformed (the device then needs a reset, see virtio_device_error). */
bool virtio_pop(VirtioMmio *vm, unsigned q, VirtqElem *e);
/* Returns a request to the driver through the used ring with `written` bytes written. */
void virtio_push(VirtioMmio *vm, unsigned q, const VirtqElem *e, uint32_t written);
/* Raises the used-buffer interrupt unless the driver suppressed it (VIRTQ_AVAIL_F_NO_INTERRUPT). */
void virtio_notify_used(VirtioMmio *vm, unsigned q);
/* Copies [off, off+len) of the request's readable bytes / into its writable bytes.
 * False if the range exceeds the request or guest memory refuses the access. */
bool virtq_elem_read(VirtioMmio *vm, const VirtqElem *e, uint64_t off, void *buf, uint64_t len);
bool virtq_elem_write(VirtioMmio *vm, const VirtqElem *e, uint64_t off, const void *buf,
                      uint64_t len);
/* The driver broke the protocol: sets DEVICE_NEEDS_RESET, stops queue processing until
 * reset and raises a configuration-change interrupt (spec 2.1.2). */
void virtio_device_error(VirtioMmio *vm, const char *why);
/* The configuration space changed: bumps ConfigGeneration, raises a config interrupt. */
void virtio_config_changed(VirtioMmio *vm);

#endif
