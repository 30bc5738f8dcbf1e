/* devices/virtio_mmio.c: the virtio-mmio transport, Version 2, following VIRTIO 1.2
 * sections 4.2.2 "MMIO Device Register Layout" and 4.2.3 "MMIO-specific Initialization And
 * Device Operation". Registers are 32-bit words (4.2.2.2); the device configuration space
 * from offset 0x100 takes any size. Everything else (status, features, queues, the
 * interrupt status) is the transport-independent VirtioDev of devices/virtio.c. */
#include "devices/virtio_mmio.h"
#include "cpu/common/state.h"

#include "devices/dev_fdt.h"

static uint64_t virtio_mmio_read(void *opaque, uint64_t off, unsigned size)
{
    VirtioMmio *vm = opaque;
    VirtioDev *vd = vm->vdev;
    if (off >= VIRTIO_MMIO_CONFIG)
        return virtio_dev_config_read(vd, off - VIRTIO_MMIO_CONFIG, size);
    if (size != 4 || (off & 3))
        return 0; /* 4.2.2.2: registers are accessed as 32-bit words */
    VirtQueue *vq = virtio_dev_selected_queue(vd);
    switch (off) {
    case VIRTIO_MMIO_MAGIC_VALUE:
        return VIRTIO_MMIO_MAGIC;
    case VIRTIO_MMIO_VERSION:
        return VIRTIO_MMIO_VERSION_MODERN;
    case VIRTIO_MMIO_DEVICE_ID:
        return vd->ops->device_id;
    case VIRTIO_MMIO_VENDOR_ID:
        return VIRTIO_MMIO_VENDOR;
    case VIRTIO_MMIO_DEVICE_FEATURES:
        return virtio_dev_features_word(vd);
    case VIRTIO_MMIO_QUEUE_NUM_MAX:
        return vq ? vq->num_max : 0;
    case VIRTIO_MMIO_QUEUE_READY:
        return vq ? vq->ready : 0;
    case VIRTIO_MMIO_INTERRUPT_STATUS:
        return vd->isr;
    case VIRTIO_MMIO_STATUS:
        return vd->status;
    case VIRTIO_MMIO_SHM_LEN_LOW:
    case VIRTIO_MMIO_SHM_LEN_HIGH:
    case VIRTIO_MMIO_SHM_BASE_LOW:
    case VIRTIO_MMIO_SHM_BASE_HIGH:
        return 0xffffffff; /* no shared memory regions */
    case VIRTIO_MMIO_CONFIG_GENERATION:
        return vd->config_generation;
    default:
        return 0;
    }
}

static void set_low(uint64_t *reg, uint32_t v)
{
    *reg = (*reg & ~0xffffffffULL) | v;
}

static void set_high(uint64_t *reg, uint32_t v)
{
    *reg = (*reg & 0xffffffffULL) | ((uint64_t)v << 32);
}

static void virtio_mmio_write(void *opaque, uint64_t off, uint64_t val64, unsigned size)
{
    VirtioMmio *vm = opaque;
    VirtioDev *vd = vm->vdev;
    if (off >= VIRTIO_MMIO_CONFIG) {
        virtio_dev_config_write(vd, off - VIRTIO_MMIO_CONFIG, val64, size);
        return;
    }
    if (size != 4 || (off & 3))
        return;
    uint32_t val = (uint32_t)val64;
    VirtQueue *vq = virtio_dev_selected_queue(vd);
    /* 4.2.2.2: queue layout registers are only written while the queue is not ready. */
    bool vq_writable = vq && !vq->ready;
    switch (off) {
    case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
        vd->device_features_sel = val;
        break;
    case VIRTIO_MMIO_DRIVER_FEATURES:
        virtio_dev_set_driver_features_word(vd, val);
        break;
    case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
        vd->driver_features_sel = val;
        break;
    case VIRTIO_MMIO_QUEUE_SEL:
        vd->queue_sel = val;
        break;
    case VIRTIO_MMIO_QUEUE_NUM:
        if (vq_writable)
            vq->num = (uint16_t)MIN(val, 0xffffu);
        break;
    case VIRTIO_MMIO_QUEUE_READY:
        if (vq)
            virtio_dev_queue_set_ready(vd, vq, val & 1);
        break;
    case VIRTIO_MMIO_QUEUE_NOTIFY:
        virtio_dev_queue_notify(vd, val & 0xffff);
        break;
    case VIRTIO_MMIO_INTERRUPT_ACK:
        virtio_dev_isr_ack(vd, val);
        break;
    case VIRTIO_MMIO_STATUS:
        virtio_dev_set_status(vd, val);
        break;
    case VIRTIO_MMIO_QUEUE_DESC_LOW:
        if (vq_writable)
            set_low(&vq->desc, val);
        break;
    case VIRTIO_MMIO_QUEUE_DESC_HIGH:
        if (vq_writable)
            set_high(&vq->desc, val);
        break;
    case VIRTIO_MMIO_QUEUE_DRIVER_LOW:
        if (vq_writable)
            set_low(&vq->driver, val);
        break;
    case VIRTIO_MMIO_QUEUE_DRIVER_HIGH:
        if (vq_writable)
            set_high(&vq->driver, val);
        break;
    case VIRTIO_MMIO_QUEUE_DEVICE_LOW:
        if (vq_writable)
            set_low(&vq->device, val);
        break;
    case VIRTIO_MMIO_QUEUE_DEVICE_HIGH:
        if (vq_writable)
            set_high(&vq->device, val);
        break;
    case VIRTIO_MMIO_SHM_SEL:
        vm->shm_sel = val;
        break;
    default:
        break;
    }
}

static const MmioOps virtio_mmio_ops = {
    .read = virtio_mmio_read,
    .write = virtio_mmio_write,
    .min_size = 1,
    .max_size = 8,
    .endian = DEV_LITTLE_ENDIAN,
};

void virtio_mmio_init(VirtioMmio *vm, Bus *bus, uint64_t base, IrqLine irq, VirtioDev *vdev)
{
    *vm = (VirtioMmio){ .vdev = vdev, .base = base };
    virtio_dev_attach_irq(vdev, irq);
    bus_map_mmio(bus, vdev->ops->name, base, VIRTIO_MMIO_REGION_SIZE, &virtio_mmio_ops, vm);
}

int virtio_mmio_fdt(const VirtioMmio *vm, void *fdt, uint32_t irq, uint32_t irq_parent_phandle)
{
    DEV_FDT_TRY(dev_fdt_begin_unit(fdt, "virtio_mmio", vm->base));
    DEV_FDT_TRY(fdt_property_string(fdt, "compatible", "virtio,mmio"));
    DEV_FDT_TRY(dev_fdt_reg(fdt, vm->base, VIRTIO_MMIO_REGION_SIZE));
    DEV_FDT_TRY(dev_fdt_irq(fdt, irq, irq_parent_phandle));
    return fdt_end_node(fdt);
}

void virtio_mmio_save(const VirtioMmio *t, StateW *w)
{
    sw_u32(w, t->shm_sel);
    virtio_save(t->vdev, w);
}

void virtio_mmio_load(VirtioMmio *t, StateR *r)
{
    t->shm_sel = sr_u32(r);
    virtio_load(t->vdev, r);
}
