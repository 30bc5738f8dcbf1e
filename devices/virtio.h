/* devices/virtio.h: the transport-independent half of a virtio device and split
 * virtqueues, shared by the device backends (blk, rng, ...) and the transports
 * (virtio-mmio in devices/virtio_mmio.h, virtio-pci in devices/virtio_pci.h). Follows the
 * Virtual I/O Device (VIRTIO) Version 1.2 specification: section 2.1 "Device Status
 * Field", 2.2 "Feature Bits", 2.5 "Device Configuration Space", 2.7 "Split Virtqueues"
 * and 3.1 "Device Initialization". A backend is a VirtioDevOps table plus its own struct
 * that embeds a VirtioDev; it takes requests with virtio_pop(), moves data with
 * virtq_elem_read()/virtq_elem_write() (every guest address goes through
 * bus_dma_read/bus_dma_write), completes them with virtio_push() and finally calls
 * virtio_notify_used(). A transport decodes its own registers and drives the VirtioDev
 * through the virtio_dev_* calls below; the interrupt status (ISR: bit 0 used buffers,
 * bit 1 configuration change, the same bits in every transport) lives here and drives the
 * IrqLine the transport attached, high while it is not zero. */
#ifndef HVEMU_VIRTIO_H
#define HVEMU_VIRTIO_H

#include "devices/bus.h"

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
#define VIRTIO_F_ACCESS_PLATFORM 33

/* 5 Device Types */
#define VIRTIO_ID_NET 1
#define VIRTIO_ID_BLOCK 2
#define VIRTIO_ID_CONSOLE 3
#define VIRTIO_ID_RNG 4

/* Interrupt status bits (4.1.4.5 ISR status, 4.2.2 InterruptStatus). */
#define VIRTIO_ISR_VRING 0x1
#define VIRTIO_ISR_CONFIG 0x2

/* 2.7.5 The Virtqueue Descriptor Table */
#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2
#define VIRTQ_DESC_F_INDIRECT 4
#define VIRTQ_DESC_SIZE 16
/* 2.7.6 The Virtqueue Available Ring, 2.7.8 The Virtqueue Used Ring */
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1

#define VIRTIO_MAX_QUEUES 8
#define VIRTIO_QUEUE_MAX_SIZE 1024
#define VIRTIO_CONFIG_MAX 256 /* bytes of device configuration space a backend may have */

typedef struct VirtioDev VirtioDev;

/* One guest buffer of a descriptor chain. */
typedef struct VirtqSeg {
    uint64_t addr;
    uint32_t len;
} VirtqSeg;

/* A request popped from a virtqueue: the device-readable ("out") segments followed by
 * the device-writable ("in") ones. The segment arrays live in the VirtioDev and stay
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
 * (the opaque given to virtio_dev_init). */
typedef struct VirtioDevOps {
    const char *name;
    uint32_t device_id;
    unsigned num_queues;     /* <= VIRTIO_MAX_QUEUES */
    uint16_t queue_max;      /* maximum size of every queue, a power of 2 <= 1024 */
    uint32_t config_size;    /* bytes of device configuration space, <= VIRTIO_CONFIG_MAX */
    /* Device feature bits (VIRTIO_F_VERSION_1 and VIRTIO_F_INDIRECT_DESC are added). */
    uint64_t (*features)(void *dev);
    /* Fills the whole configuration space (config_size bytes, little-endian fields). */
    void (*config_read)(void *dev, uint8_t *cfg);
    /* A driver write of `size` bytes at `off` of the configuration space; may be NULL. */
    void (*config_write)(void *dev, uint32_t off, uint64_t val, unsigned size);
    /* The driver notified queue q (or DRIVER_OK was set with q ready). */
    void (*queue_notify)(void *dev, VirtioDev *vd, unsigned q);
    /* Device reset (status 0 written); may be NULL. */
    void (*reset)(void *dev);
} VirtioDevOps;

struct VirtioDev {
    Bus *bus;          /* guest memory: rings and buffers */
    IrqLine irq;       /* attached by the transport; high while isr != 0 */
    const VirtioDevOps *ops;
    void *dev;
    unsigned nqueues;
    uint32_t status;
    /* The selector registers every transport has (feature words, queue). */
    uint32_t device_features_sel, driver_features_sel;
    uint32_t queue_sel;
    uint64_t driver_features;
    uint32_t isr;      /* VIRTIO_ISR_VRING | VIRTIO_ISR_CONFIG */
    uint32_t config_generation;
    bool irq_level;
    bool broken;       /* DEVICE_NEEDS_RESET is set: queues are not processed */
    const char *error; /* why the device needs a reset, for the machine's log */
    VirtQueue queues[VIRTIO_MAX_QUEUES];
    VirtqSeg segs[VIRTIO_QUEUE_MAX_SIZE];
};

/* --- backend side -------------------------------------------------------------------- */

/* A device in reset state, with no interrupt line until a transport attaches one. */
void virtio_dev_init(VirtioDev *vd, Bus *bus, const VirtioDevOps *ops, void *dev);

/* Whether the driver accepted feature bit `bit`. */
bool virtio_has_feature(const VirtioDev *vd, unsigned bit);
/* Takes the next available request of queue q. False when the queue is empty, not
 * ready, or malformed (the device then needs a reset, see virtio_device_error). */
bool virtio_pop(VirtioDev *vd, unsigned q, VirtqElem *e);
/* Returns a request to the driver through the used ring with `written` bytes written. */
void virtio_push(VirtioDev *vd, unsigned q, const VirtqElem *e, uint32_t written);
/* Raises the used-buffer interrupt unless the driver suppressed it (VIRTQ_AVAIL_F_NO_INTERRUPT). */
void virtio_notify_used(VirtioDev *vd, unsigned q);
/* Copies [off, off+len) of the request's readable bytes / into its writable bytes.
 * False if the range exceeds the request or guest memory refuses the access. */
bool virtq_elem_read(VirtioDev *vd, const VirtqElem *e, uint64_t off, void *buf, uint64_t len);
bool virtq_elem_write(VirtioDev *vd, const VirtqElem *e, uint64_t off, const void *buf,
                      uint64_t len);
/* The driver broke the protocol: sets DEVICE_NEEDS_RESET, stops queue processing until
 * reset and raises a configuration-change interrupt (spec 2.1.2). */
void virtio_device_error(VirtioDev *vd, const char *why);
/* The configuration space changed: bumps the generation, raises a config interrupt. */
void virtio_config_changed(VirtioDev *vd);

/* --- transport side ------------------------------------------------------------------ */

/* The transport's interrupt line; driven at once to the current level. */
void virtio_dev_attach_irq(VirtioDev *vd, IrqLine irq);
/* All feature bits the device offers, and the 32-bit word device_features_sel selects
 * (0 beyond word 1). */
uint64_t virtio_dev_features(const VirtioDev *vd);
uint32_t virtio_dev_features_word(const VirtioDev *vd);
/* A driver write of the feature word driver_features_sel selects; ignored once
 * FEATURES_OK is set or beyond word 1. */
void virtio_dev_set_driver_features_word(VirtioDev *vd, uint32_t val);
/* A write of the device status: 0 resets the device; FEATURES_OK is refused for features
 * the device did not offer or without VIRTIO_F_VERSION_1; DRIVER_OK takes the buffers
 * already made available. */
void virtio_dev_set_status(VirtioDev *vd, uint32_t val);
/* The queue queue_sel selects, or NULL past the device's queues. */
VirtQueue *virtio_dev_selected_queue(VirtioDev *vd);
/* The driver makes a queue ready (after checking its layout: a bad one puts the device
 * in DEVICE_NEEDS_RESET) or not ready. */
void virtio_dev_queue_set_ready(VirtioDev *vd, VirtQueue *vq, bool ready);
/* A driver notification of queue q; ignored for a queue that does not exist or is not
 * ready, before DRIVER_OK and after DEVICE_NEEDS_RESET. */
void virtio_dev_queue_notify(VirtioDev *vd, unsigned q);
/* Configuration space accesses of 1, 2, 4 or 8 bytes; outside config_size reads give 0
 * and writes are dropped. */
uint64_t virtio_dev_config_read(VirtioDev *vd, uint64_t off, unsigned size);
void virtio_dev_config_write(VirtioDev *vd, uint64_t off, uint64_t val, unsigned size);
/* Clears the ISR bits in `bits` (an acknowledgement), and reads and clears it whole. */
void virtio_dev_isr_ack(VirtioDev *vd, uint32_t bits);
uint32_t virtio_dev_isr_read_clear(VirtioDev *vd);

struct StateW;
struct StateR;
/* Snapshot state (cpu/common/state.h): the transport-independent device state and its
 * queues. Requests complete when notified, so none is ever in flight. */
void virtio_save(const VirtioDev *d, struct StateW *w);
void virtio_load(VirtioDev *d, struct StateR *r);

#endif
