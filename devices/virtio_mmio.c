/* devices/virtio_mmio.c: virtio-mmio transport, Version 2, and the device side of split
 * virtqueues, following VIRTIO 1.2 sections 4.2.2 "MMIO Device Register Layout",
 * 4.2.3 "MMIO-specific Initialization And Device Operation", 2.7 "Split Virtqueues"
 * (2.7.5 descriptor table, 2.7.5.3 indirect descriptors, 2.7.6 available ring, 2.7.8 used
 * ring) and 2.1.2 on DEVICE_NEEDS_RESET. The guest owns the rings, so nothing read from
 * them is trusted: every index is checked against the queue size, a chain may visit at
 * most as many descriptors as its table has (which catches loops) and may not hold more
 * than the queue size of buffers, every buffer must lie in RAM, and all guest memory is
 * reached through bus_dma_read/bus_dma_write. A violation puts the device in
 * DEVICE_NEEDS_RESET instead of failing the emulator. */
#include "devices/virtio.h"

#include "devices/dev_fdt.h"

static void update_irq(VirtioMmio *vm)
{
    bool level = vm->interrupt_status != 0;
    if (level != vm->irq_level) {
        vm->irq_level = level;
        irq_set(&vm->irq, level);
    }
}

static uint64_t device_features(const VirtioMmio *vm)
{
    return vm->ops->features(vm->dev) | (1ULL << VIRTIO_F_VERSION_1) |
           (1ULL << VIRTIO_F_INDIRECT_DESC);
}

bool virtio_has_feature(const VirtioMmio *vm, unsigned bit)
{
    return (vm->driver_features >> bit) & 1;
}

void virtio_device_error(VirtioMmio *vm, const char *why)
{
    if (vm->broken)
        return;
    vm->broken = true;
    vm->error = why;
    vm->status |= VIRTIO_STATUS_DEVICE_NEEDS_RESET;
    if (vm->status & VIRTIO_STATUS_DRIVER_OK) {
        vm->interrupt_status |= VIRTIO_MMIO_INT_CONFIG;
        update_irq(vm);
    }
}

void virtio_config_changed(VirtioMmio *vm)
{
    vm->config_generation++;
    if (vm->status & VIRTIO_STATUS_DRIVER_OK) {
        vm->interrupt_status |= VIRTIO_MMIO_INT_CONFIG;
        update_irq(vm);
    }
}

static void device_reset(VirtioMmio *vm)
{
    vm->status = 0;
    vm->device_features_sel = vm->driver_features_sel = 0;
    vm->driver_features = 0;
    vm->queue_sel = 0;
    vm->interrupt_status = 0;
    vm->shm_sel = 0;
    vm->broken = false;
    vm->error = NULL;
    for (unsigned q = 0; q < VIRTIO_MMIO_MAX_QUEUES; q++) {
        uint16_t num_max =
            q < vm->nqueues ? MIN(vm->ops->queue_max, VIRTIO_QUEUE_MAX_SIZE) : 0;
        vm->queues[q] = (VirtQueue){ .num_max = num_max, .num = num_max };
    }
    if (vm->ops->reset)
        vm->ops->reset(vm->dev);
    update_irq(vm);
}

/* --- guest memory helpers ------------------------------------------------------------ */

static bool guest_read16(VirtioMmio *vm, uint64_t pa, uint16_t *v)
{
    uint8_t b[2];
    if (!bus_dma_read(vm->bus, pa, b, 2))
        return false;
    *v = (uint16_t)ld_le(b, 2);
    return true;
}

static bool guest_write16(VirtioMmio *vm, uint64_t pa, uint16_t v)
{
    uint8_t b[2];
    st_le(b, 2, v);
    return bus_dma_write(vm->bus, pa, b, 2);
}

/* [pa, pa+len) lies in one RAM region, writable when `writable`. */
static bool ram_range_ok(VirtioMmio *vm, uint64_t pa, uint64_t len, bool writable)
{
    if (len == 0)
        return true;
    BusRegion *r = bus_find(vm->bus, pa, len);
    return r && r->ram && !(writable && r->readonly);
}

/* --- queue setup --------------------------------------------------------------------- */

static bool is_pow2(uint32_t v)
{
    return v && !(v & (v - 1));
}

/* 2.7 and 4.2.3.2: checks a queue the driver has just made ready. */
static const char *queue_check(VirtioMmio *vm, const VirtQueue *vq)
{
    if (!is_pow2(vq->num) || vq->num > vq->num_max)
        return "queue size is not a power of 2 within QueueNumMax";
    /* 2.7 "Virtqueue alignment requirements": 16, 2 and 4 bytes. */
    if ((vq->desc & 15) || (vq->driver & 1) || (vq->device & 3))
        return "misaligned virtqueue";
    if (!ram_range_ok(vm, vq->desc, (uint64_t)VIRTQ_DESC_SIZE * vq->num, false) ||
        !ram_range_ok(vm, vq->driver, 6 + 2ULL * vq->num, false) ||
        !ram_range_ok(vm, vq->device, 6 + 8ULL * vq->num, true))
        return "virtqueue outside RAM";
    return NULL;
}

static void queue_set_ready(VirtioMmio *vm, VirtQueue *vq, bool ready)
{
    if (!ready) {
        vq->ready = false;
        return;
    }
    if (vq->ready)
        return;
    const char *why = queue_check(vm, vq);
    if (why) {
        virtio_device_error(vm, why);
        return;
    }
    vq->ready = true;
    vq->last_avail = 0;
    vq->used_idx = 0;
}

/* --- split virtqueue: taking a request ------------------------------------------------ */

typedef struct VirtqDesc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags, next;
} VirtqDesc;

static bool read_desc(VirtioMmio *vm, uint64_t table, uint32_t i, VirtqDesc *d)
{
    uint8_t b[VIRTQ_DESC_SIZE];
    if (!bus_dma_read(vm->bus, table + (uint64_t)i * VIRTQ_DESC_SIZE, b, sizeof(b)))
        return false;
    d->addr = ld_le(b, 8);
    d->len = (uint32_t)ld_le(b + 8, 4);
    d->flags = (uint16_t)ld_le(b + 12, 2);
    d->next = (uint16_t)ld_le(b + 14, 2);
    return true;
}

/* Walks the chain starting at `head` into vm->segs (2.7.5, 2.7.5.3):
 *   1. read the descriptor at index i of the current table (the queue's table, or an
 *      indirect table); at most `table size` descriptors may be read from one table, so
 *      a chain that loops is caught;
 *   2. a descriptor with F_INDIRECT (only if negotiated, never inside an indirect table,
 *      never together with F_NEXT, a non-empty multiple of 16 bytes of at most the queue
 *      size entries) switches to its table at index 0;
 *   3. any other descriptor is a buffer: device-writable buffers must all follow the
 *      readable ones, the buffer must lie in RAM, and the chain may hold at most `num`
 *      buffers;
 *   4. F_NEXT continues at `next`, which must index the current table.
 * Returns NULL on success or the reason the chain is malformed. */
static const char *walk_chain(VirtioMmio *vm, const VirtQueue *vq, uint16_t head, VirtqElem *e)
{
    uint64_t table = vq->desc;
    uint32_t table_size = vq->num, visited = 0, i = head;
    bool indirect = false;
    unsigned nseg = 0;

    *e = (VirtqElem){ .head = head, .out = vm->segs };
    for (;;) {
        VirtqDesc d;
        if (++visited > table_size)
            return "descriptor chain loops or exceeds its table";
        if (!read_desc(vm, table, i, &d))
            return "descriptor table outside RAM";

        if (d.flags & VIRTQ_DESC_F_INDIRECT) {
            if (!virtio_has_feature(vm, VIRTIO_F_INDIRECT_DESC))
                return "indirect descriptor without VIRTIO_F_INDIRECT_DESC";
            if (indirect)
                return "nested indirect descriptor";
            if (d.flags & VIRTQ_DESC_F_NEXT)
                return "indirect descriptor with F_NEXT";
            if (d.len == 0 || d.len % VIRTQ_DESC_SIZE || d.len / VIRTQ_DESC_SIZE > vq->num)
                return "bad indirect table length";
            if (!ram_range_ok(vm, d.addr, d.len, false))
                return "indirect table outside RAM";
            indirect = true;
            table = d.addr;
            table_size = d.len / VIRTQ_DESC_SIZE;
            visited = 0;
            i = 0;
            continue;
        }

        bool writable = d.flags & VIRTQ_DESC_F_WRITE;
        if (!writable && e->n_in)
            return "device-readable buffer after a device-writable one";
        if (nseg >= vq->num)
            return "descriptor chain longer than the queue size";
        if (!ram_range_ok(vm, d.addr, d.len, writable))
            return "buffer outside RAM";
        vm->segs[nseg++] = (VirtqSeg){ .addr = d.addr, .len = d.len };
        if (writable) {
            e->n_in++;
            e->in_len += d.len;
        } else {
            e->n_out++;
            e->out_len += d.len;
        }

        if (!(d.flags & VIRTQ_DESC_F_NEXT))
            break;
        if (d.next >= table_size)
            return "next descriptor index out of range";
        i = d.next;
    }
    e->in = vm->segs + e->n_out;
    return NULL;
}

bool virtio_pop(VirtioMmio *vm, unsigned q, VirtqElem *e)
{
    if (q >= VIRTIO_MMIO_MAX_QUEUES || vm->broken)
        return false;
    VirtQueue *vq = &vm->queues[q];
    if (!vq->ready)
        return false;

    /* 1. How many entries the driver has made available (2.7.6). */
    uint16_t avail_idx, head;
    if (!guest_read16(vm, vq->driver + 2, &avail_idx)) {
        virtio_device_error(vm, "available ring outside RAM");
        return false;
    }
    uint16_t pending = (uint16_t)(avail_idx - vq->last_avail);
    if (pending == 0)
        return false;
    if (pending > vq->num) {
        virtio_device_error(vm, "available index ran ahead of the queue size");
        return false;
    }
    /* 2. The head of the next chain. */
    if (!guest_read16(vm, vq->driver + 4 + 2ULL * (vq->last_avail % vq->num), &head)) {
        virtio_device_error(vm, "available ring outside RAM");
        return false;
    }
    if (head >= vq->num) {
        virtio_device_error(vm, "descriptor head out of range");
        return false;
    }
    vq->last_avail++;
    /* 3. The chain itself. */
    const char *why = walk_chain(vm, vq, head, e);
    if (why) {
        virtio_device_error(vm, why);
        return false;
    }
    return true;
}

void virtio_push(VirtioMmio *vm, unsigned q, const VirtqElem *e, uint32_t written)
{
    if (q >= VIRTIO_MMIO_MAX_QUEUES || vm->broken)
        return;
    VirtQueue *vq = &vm->queues[q];
    if (!vq->ready)
        return;
    /* 2.7.8: used ring element {le32 id, le32 len}, then publish the new used index. */
    uint8_t elem[8];
    st_le(elem, 4, e->head);
    st_le(elem + 4, 4, MIN(written, (uint64_t)e->in_len));
    uint64_t slot = vq->device + 4 + 8ULL * (vq->used_idx % vq->num);
    if (!bus_dma_write(vm->bus, slot, elem, sizeof(elem)) ||
        !guest_write16(vm, vq->device + 2, (uint16_t)(vq->used_idx + 1))) {
        virtio_device_error(vm, "used ring outside RAM");
        return;
    }
    vq->used_idx++;
}

void virtio_notify_used(VirtioMmio *vm, unsigned q)
{
    if (q >= VIRTIO_MMIO_MAX_QUEUES || vm->broken || !vm->queues[q].ready)
        return;
    uint16_t flags;
    if (!guest_read16(vm, vm->queues[q].driver, &flags)) {
        virtio_device_error(vm, "available ring outside RAM");
        return;
    }
    if (flags & VIRTQ_AVAIL_F_NO_INTERRUPT)
        return;
    vm->interrupt_status |= VIRTIO_MMIO_INT_VRING;
    update_irq(vm);
}

/* Copies between a linear range of the request's bytes and the host buffer, segment by
 * segment. `in` selects the writable segments. */
static bool elem_copy(VirtioMmio *vm, const VirtqElem *e, bool in, uint64_t off, uint8_t *buf,
                      uint64_t len)
{
    const VirtqSeg *segs = in ? e->in : e->out;
    unsigned n = in ? e->n_in : e->n_out;
    uint64_t total = in ? e->in_len : e->out_len;
    if (off > total || len > total - off)
        return false;
    for (unsigned i = 0; i < n && len; i++) {
        if (off >= segs[i].len) {
            off -= segs[i].len;
            continue;
        }
        uint64_t chunk = MIN(len, segs[i].len - off);
        bool ok = in ? bus_dma_write(vm->bus, segs[i].addr + off, buf, chunk)
                     : bus_dma_read(vm->bus, segs[i].addr + off, buf, chunk);
        if (!ok)
            return false;
        buf += chunk;
        len -= chunk;
        off = 0;
    }
    return len == 0;
}

bool virtq_elem_read(VirtioMmio *vm, const VirtqElem *e, uint64_t off, void *buf, uint64_t len)
{
    return elem_copy(vm, e, false, off, buf, len);
}

bool virtq_elem_write(VirtioMmio *vm, const VirtqElem *e, uint64_t off, const void *buf,
                      uint64_t len)
{
    return elem_copy(vm, e, true, off, (uint8_t *)buf, len);
}

/* --- registers ----------------------------------------------------------------------- */

static void notify_queue(VirtioMmio *vm, unsigned q)
{
    /* 2.1.2 / 3.1.1: no buffers are used before DRIVER_OK, none after NEEDS_RESET. */
    if (q >= vm->nqueues || vm->broken || !vm->queues[q].ready ||
        !(vm->status & VIRTIO_STATUS_DRIVER_OK))
        return;
    vm->ops->queue_notify(vm->dev, vm, q);
}

static void write_status(VirtioMmio *vm, uint32_t val)
{
    if (val == 0) {
        device_reset(vm);
        return;
    }
    uint32_t old = vm->status;
    vm->status = (val & 0xff) | (old & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
    /* 3.1.1 step 5: the device refuses FEATURES_OK for features it did not offer, and a
     * modern device requires VIRTIO_F_VERSION_1. */
    if ((vm->status & VIRTIO_STATUS_FEATURES_OK) && !(old & VIRTIO_STATUS_FEATURES_OK)) {
        if ((vm->driver_features & ~device_features(vm)) ||
            !virtio_has_feature(vm, VIRTIO_F_VERSION_1))
            vm->status &= ~(uint32_t)VIRTIO_STATUS_FEATURES_OK;
    }
    /* Buffers made available before DRIVER_OK are taken now. */
    if ((vm->status & VIRTIO_STATUS_DRIVER_OK) && !(old & VIRTIO_STATUS_DRIVER_OK)) {
        for (unsigned q = 0; q < vm->nqueues; q++)
            notify_queue(vm, q);
    }
}

static VirtQueue *selected_queue(VirtioMmio *vm)
{
    return vm->queue_sel < vm->nqueues ? &vm->queues[vm->queue_sel] : NULL;
}

static uint64_t config_read(VirtioMmio *vm, uint64_t off, unsigned size)
{
    uint8_t cfg[256];
    uint32_t cfg_size = MIN(vm->ops->config_size, (uint32_t)sizeof(cfg));
    if (!vm->ops->config_read || off >= cfg_size || size > cfg_size - off)
        return 0;
    vm->ops->config_read(vm->dev, cfg);
    return ld_le(cfg + off, size);
}

static uint64_t virtio_mmio_read(void *opaque, uint64_t off, unsigned size)
{
    VirtioMmio *vm = opaque;
    if (off >= VIRTIO_MMIO_CONFIG)
        return config_read(vm, off - VIRTIO_MMIO_CONFIG, size);
    if (size != 4 || (off & 3))
        return 0; /* 4.2.2.2: registers are accessed as 32-bit words */
    VirtQueue *vq = selected_queue(vm);
    switch (off) {
    case VIRTIO_MMIO_MAGIC_VALUE:
        return VIRTIO_MMIO_MAGIC;
    case VIRTIO_MMIO_VERSION:
        return VIRTIO_MMIO_VERSION_MODERN;
    case VIRTIO_MMIO_DEVICE_ID:
        return vm->ops->device_id;
    case VIRTIO_MMIO_VENDOR_ID:
        return VIRTIO_MMIO_VENDOR;
    case VIRTIO_MMIO_DEVICE_FEATURES:
        return vm->device_features_sel < 2
                   ? (uint32_t)(device_features(vm) >> (32 * vm->device_features_sel))
                   : 0;
    case VIRTIO_MMIO_QUEUE_NUM_MAX:
        return vq ? vq->num_max : 0;
    case VIRTIO_MMIO_QUEUE_READY:
        return vq ? vq->ready : 0;
    case VIRTIO_MMIO_INTERRUPT_STATUS:
        return vm->interrupt_status;
    case VIRTIO_MMIO_STATUS:
        return vm->status;
    case VIRTIO_MMIO_SHM_LEN_LOW:
    case VIRTIO_MMIO_SHM_LEN_HIGH:
    case VIRTIO_MMIO_SHM_BASE_LOW:
    case VIRTIO_MMIO_SHM_BASE_HIGH:
        return 0xffffffff; /* no shared memory regions */
    case VIRTIO_MMIO_CONFIG_GENERATION:
        return vm->config_generation;
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
    if (off >= VIRTIO_MMIO_CONFIG) {
        uint64_t cfg_off = off - VIRTIO_MMIO_CONFIG;
        if (vm->ops->config_write && cfg_off < vm->ops->config_size &&
            size <= vm->ops->config_size - cfg_off)
            vm->ops->config_write(vm->dev, (uint32_t)cfg_off, val64, size);
        return;
    }
    if (size != 4 || (off & 3))
        return;
    uint32_t val = (uint32_t)val64;
    VirtQueue *vq = selected_queue(vm);
    /* 4.2.2.2: queue layout registers are only written while the queue is not ready. */
    bool vq_writable = vq && !vq->ready;
    switch (off) {
    case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
        vm->device_features_sel = val;
        break;
    case VIRTIO_MMIO_DRIVER_FEATURES:
        if (vm->driver_features_sel < 2 && !(vm->status & VIRTIO_STATUS_FEATURES_OK)) {
            if (vm->driver_features_sel == 0)
                set_low(&vm->driver_features, val);
            else
                set_high(&vm->driver_features, val);
        }
        break;
    case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
        vm->driver_features_sel = val;
        break;
    case VIRTIO_MMIO_QUEUE_SEL:
        vm->queue_sel = val;
        break;
    case VIRTIO_MMIO_QUEUE_NUM:
        if (vq_writable)
            vq->num = (uint16_t)MIN(val, 0xffffu);
        break;
    case VIRTIO_MMIO_QUEUE_READY:
        if (vq)
            queue_set_ready(vm, vq, val & 1);
        break;
    case VIRTIO_MMIO_QUEUE_NOTIFY:
        notify_queue(vm, val & 0xffff);
        break;
    case VIRTIO_MMIO_INTERRUPT_ACK:
        vm->interrupt_status &= ~val;
        update_irq(vm);
        break;
    case VIRTIO_MMIO_STATUS:
        write_status(vm, val);
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

void virtio_mmio_init(VirtioMmio *vm, Bus *bus, uint64_t base, IrqLine irq,
                      const VirtioDevOps *ops, void *dev)
{
    *vm = (VirtioMmio){ .bus = bus, .irq = irq, .base = base, .ops = ops, .dev = dev };
    vm->nqueues = MIN(ops->num_queues, VIRTIO_MMIO_MAX_QUEUES);
    device_reset(vm);
    bus_map_mmio(bus, ops->name, base, VIRTIO_MMIO_REGION_SIZE, &virtio_mmio_ops, vm);
}

int virtio_mmio_fdt(const VirtioMmio *vm, void *fdt, uint32_t irq, uint32_t irq_parent_phandle)
{
    DEV_FDT_TRY(dev_fdt_begin_unit(fdt, "virtio_mmio", vm->base));
    DEV_FDT_TRY(fdt_property_string(fdt, "compatible", "virtio,mmio"));
    DEV_FDT_TRY(dev_fdt_reg(fdt, vm->base, VIRTIO_MMIO_REGION_SIZE));
    DEV_FDT_TRY(dev_fdt_irq(fdt, irq, irq_parent_phandle));
    return fdt_end_node(fdt);
}
