/* devices/virtio_mmio.h: the virtio-mmio transport, modern interface (Version 2), VIRTIO
 * 1.2 section 4.2 "Virtio Over MMIO": a 0x1000-byte register window whose registers drive
 * a transport-independent VirtioDev (devices/virtio.h), one interrupt line, and the
 * device-tree node that describes it. */
#ifndef HVEMU_VIRTIO_MMIO_H
#define HVEMU_VIRTIO_MMIO_H

#include "devices/virtio.h"

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

#define VIRTIO_MMIO_INT_VRING VIRTIO_ISR_VRING
#define VIRTIO_MMIO_INT_CONFIG VIRTIO_ISR_CONFIG

typedef struct VirtioMmio {
    VirtioDev *vdev;
    uint64_t base;
    uint32_t shm_sel;
} VirtioMmio;

/* Maps the 0x1000-byte register window of vdev at base and attaches irq to it. Neither
 * struct may move afterwards. */
void virtio_mmio_init(VirtioMmio *vm, Bus *bus, uint64_t base, IrqLine irq, VirtioDev *vdev);
/* virtio_mmio@base { compatible = "virtio,mmio"; reg; interrupts; interrupt-parent }. */
int virtio_mmio_fdt(const VirtioMmio *vm, void *fdt, uint32_t irq, uint32_t irq_parent_phandle);

struct StateW;
struct StateR;
/* Snapshot state (cpu/common/state.h), with the device's. */
void virtio_mmio_save(const VirtioMmio *t, struct StateW *w);
void virtio_mmio_load(VirtioMmio *t, struct StateR *r);

#endif
