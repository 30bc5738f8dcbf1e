/* devices/virtio.c: the device side of a virtio device whatever its transport, following
 * VIRTIO 1.2 sections 2.1 "Device Status Field" (2.1.2 on DEVICE_NEEDS_RESET), 2.2
 * "Feature Bits", 3.1.1 "Driver Requirements: Device Initialization" and 2.7 "Split
 * Virtqueues" (2.7.5 descriptor table, 2.7.5.3 indirect descriptors, 2.7.6 available
 * ring, 2.7.8 used ring). The guest owns the rings, so nothing read from them is trusted:
 * every index is checked against the queue size, a chain may visit at most as many
 * descriptors as its table has (which catches loops) and may not hold more than the
 * queue size of buffers, every buffer must lie in RAM, and all guest memory is reached
 * through bus_dma_read/bus_dma_write. A violation puts the device in DEVICE_NEEDS_RESET
 * instead of failing the emulator. */
#include "devices/virtio.h"
#include "cpu/common/state.h"

static void update_irq(VirtioDev *vd)
{
    bool level = vd->isr != 0;
    if (level != vd->irq_level) {
        vd->irq_level = level;
        irq_set(&vd->irq, level);
    }
}

void virtio_dev_attach_irq(VirtioDev *vd, IrqLine irq)
{
    vd->irq = irq;
    irq_set(&vd->irq, vd->irq_level);
}

uint64_t virtio_dev_features(const VirtioDev *vd)
{
    return vd->ops->features(vd->dev) | (1ULL << VIRTIO_F_VERSION_1) |
           (1ULL << VIRTIO_F_INDIRECT_DESC);
}

uint32_t virtio_dev_features_word(const VirtioDev *vd)
{
    if (vd->device_features_sel >= 2)
        return 0;
    return (uint32_t)(virtio_dev_features(vd) >> (32 * vd->device_features_sel));
}

void virtio_dev_set_driver_features_word(VirtioDev *vd, uint32_t val)
{
    if (vd->driver_features_sel >= 2 || (vd->status & VIRTIO_STATUS_FEATURES_OK))
        return;
    unsigned shift = 32 * vd->driver_features_sel;
    vd->driver_features = (vd->driver_features & ~(0xffffffffULL << shift)) |
                          ((uint64_t)val << shift);
}

bool virtio_has_feature(const VirtioDev *vd, unsigned bit)
{
    return bit < 64 && ((vd->driver_features >> bit) & 1);
}

void virtio_device_error(VirtioDev *vd, const char *why)
{
    if (vd->broken)
        return;
    vd->broken = true;
    vd->error = why;
    vd->status |= VIRTIO_STATUS_DEVICE_NEEDS_RESET;
    if (vd->status & VIRTIO_STATUS_DRIVER_OK) {
        vd->isr |= VIRTIO_ISR_CONFIG;
        update_irq(vd);
    }
}

void virtio_config_changed(VirtioDev *vd)
{
    vd->config_generation++;
    if (vd->status & VIRTIO_STATUS_DRIVER_OK) {
        vd->isr |= VIRTIO_ISR_CONFIG;
        update_irq(vd);
    }
}

void virtio_dev_isr_ack(VirtioDev *vd, uint32_t bits)
{
    vd->isr &= ~bits;
    update_irq(vd);
}

uint32_t virtio_dev_isr_read_clear(VirtioDev *vd)
{
    uint32_t isr = vd->isr;
    vd->isr = 0;
    update_irq(vd);
    return isr;
}

static void device_reset(VirtioDev *vd)
{
    vd->status = 0;
    vd->device_features_sel = vd->driver_features_sel = 0;
    vd->driver_features = 0;
    vd->queue_sel = 0;
    vd->isr = 0;
    vd->broken = false;
    vd->error = NULL;
    for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++) {
        uint16_t num_max =
            q < vd->nqueues ? MIN(vd->ops->queue_max, VIRTIO_QUEUE_MAX_SIZE) : 0;
        vd->queues[q] = (VirtQueue){ .num_max = num_max, .num = num_max };
    }
    if (vd->ops->reset)
        vd->ops->reset(vd->dev);
    update_irq(vd);
}

void virtio_dev_init(VirtioDev *vd, Bus *bus, const VirtioDevOps *ops, void *dev)
{
    *vd = (VirtioDev){ .bus = bus, .ops = ops, .dev = dev };
    vd->nqueues = MIN(ops->num_queues, VIRTIO_MAX_QUEUES);
    device_reset(vd);
}

/* --- guest memory helpers ------------------------------------------------------------ */

static bool guest_read16(VirtioDev *vd, uint64_t pa, uint16_t *v)
{
    uint8_t b[2];
    if (!bus_dma_read(vd->bus, pa, b, 2))
        return false;
    *v = (uint16_t)ld_le(b, 2);
    return true;
}

static bool guest_write16(VirtioDev *vd, uint64_t pa, uint16_t v)
{
    uint8_t b[2];
    st_le(b, 2, v);
    return bus_dma_write(vd->bus, pa, b, 2);
}

/* [pa, pa+len) lies in one RAM region, writable when `writable`. */
static bool ram_range_ok(VirtioDev *vd, uint64_t pa, uint64_t len, bool writable)
{
    if (len == 0)
        return true;
    BusRegion *r = bus_find(vd->bus, pa, len);
    return r && r->ram && !(writable && r->readonly);
}

/* --- queue setup --------------------------------------------------------------------- */

static bool is_pow2(uint32_t v)
{
    return v && !(v & (v - 1));
}

/* 2.7: checks a queue the driver has just made ready. */
static const char *queue_check(VirtioDev *vd, const VirtQueue *vq)
{
    if (!is_pow2(vq->num) || vq->num > vq->num_max)
        return "queue size is not a power of 2 within the maximum";
    /* 2.7 "Virtqueue alignment requirements": 16, 2 and 4 bytes. */
    if ((vq->desc & 15) || (vq->driver & 1) || (vq->device & 3))
        return "misaligned virtqueue";
    if (!ram_range_ok(vd, vq->desc, (uint64_t)VIRTQ_DESC_SIZE * vq->num, false) ||
        !ram_range_ok(vd, vq->driver, 6 + 2ULL * vq->num, false) ||
        !ram_range_ok(vd, vq->device, 6 + 8ULL * vq->num, true))
        return "virtqueue outside RAM";
    return NULL;
}

void virtio_dev_queue_set_ready(VirtioDev *vd, VirtQueue *vq, bool ready)
{
    if (!ready) {
        vq->ready = false;
        return;
    }
    if (vq->ready)
        return;
    const char *why = queue_check(vd, vq);
    if (why) {
        virtio_device_error(vd, why);
        return;
    }
    vq->ready = true;
    vq->last_avail = 0;
    vq->used_idx = 0;
}

VirtQueue *virtio_dev_selected_queue(VirtioDev *vd)
{
    return vd->queue_sel < vd->nqueues ? &vd->queues[vd->queue_sel] : NULL;
}

/* --- split virtqueue: taking a request ------------------------------------------------ */

typedef struct VirtqDesc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags, next;
} VirtqDesc;

static bool read_desc(VirtioDev *vd, uint64_t table, uint32_t i, VirtqDesc *d)
{
    uint8_t b[VIRTQ_DESC_SIZE];
    if (!bus_dma_read(vd->bus, table + (uint64_t)i * VIRTQ_DESC_SIZE, b, sizeof(b)))
        return false;
    d->addr = ld_le(b, 8);
    d->len = (uint32_t)ld_le(b + 8, 4);
    d->flags = (uint16_t)ld_le(b + 12, 2);
    d->next = (uint16_t)ld_le(b + 14, 2);
    return true;
}

/* Walks the chain starting at `head` into vd->segs (2.7.5, 2.7.5.3):
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
static const char *walk_chain(VirtioDev *vd, const VirtQueue *vq, uint16_t head, VirtqElem *e)
{
    uint64_t table = vq->desc;
    uint32_t table_size = vq->num, visited = 0, i = head;
    bool indirect = false;
    unsigned nseg = 0;

    *e = (VirtqElem){ .head = head, .out = vd->segs };
    for (;;) {
        VirtqDesc d;
        if (++visited > table_size)
            return "descriptor chain loops or exceeds its table";
        if (!read_desc(vd, table, i, &d))
            return "descriptor table outside RAM";

        if (d.flags & VIRTQ_DESC_F_INDIRECT) {
            if (!virtio_has_feature(vd, VIRTIO_F_INDIRECT_DESC))
                return "indirect descriptor without VIRTIO_F_INDIRECT_DESC";
            if (indirect)
                return "nested indirect descriptor";
            if (d.flags & VIRTQ_DESC_F_NEXT)
                return "indirect descriptor with F_NEXT";
            if (d.len == 0 || d.len % VIRTQ_DESC_SIZE || d.len / VIRTQ_DESC_SIZE > vq->num)
                return "bad indirect table length";
            if (!ram_range_ok(vd, d.addr, d.len, false))
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
        if (!ram_range_ok(vd, d.addr, d.len, writable))
            return "buffer outside RAM";
        vd->segs[nseg++] = (VirtqSeg){ .addr = d.addr, .len = d.len };
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
    e->in = vd->segs + e->n_out;
    return NULL;
}

bool virtio_pop(VirtioDev *vd, unsigned q, VirtqElem *e)
{
    if (q >= vd->nqueues || vd->broken)
        return false;
    VirtQueue *vq = &vd->queues[q];
    if (!vq->ready)
        return false;

    /* 1. How many entries the driver has made available (2.7.6). */
    uint16_t avail_idx, head;
    if (!guest_read16(vd, vq->driver + 2, &avail_idx)) {
        virtio_device_error(vd, "available ring outside RAM");
        return false;
    }
    uint16_t pending = (uint16_t)(avail_idx - vq->last_avail);
    if (pending == 0)
        return false;
    if (pending > vq->num) {
        virtio_device_error(vd, "available index ran ahead of the queue size");
        return false;
    }
    /* 2. The head of the next chain. */
    if (!guest_read16(vd, vq->driver + 4 + 2ULL * (vq->last_avail % vq->num), &head)) {
        virtio_device_error(vd, "available ring outside RAM");
        return false;
    }
    if (head >= vq->num) {
        virtio_device_error(vd, "descriptor head out of range");
        return false;
    }
    vq->last_avail++;
    /* 3. The chain itself. */
    const char *why = walk_chain(vd, vq, head, e);
    if (why) {
        virtio_device_error(vd, why);
        return false;
    }
    return true;
}

void virtio_push(VirtioDev *vd, unsigned q, const VirtqElem *e, uint32_t written)
{
    if (q >= vd->nqueues || vd->broken)
        return;
    VirtQueue *vq = &vd->queues[q];
    if (!vq->ready)
        return;
    /* 2.7.8: used ring element {le32 id, le32 len}, then publish the new used index. */
    uint8_t elem[8];
    st_le(elem, 4, e->head);
    st_le(elem + 4, 4, MIN(written, (uint64_t)e->in_len));
    uint64_t slot = vq->device + 4 + 8ULL * (vq->used_idx % vq->num);
    if (!bus_dma_write(vd->bus, slot, elem, sizeof(elem)) ||
        !guest_write16(vd, vq->device + 2, (uint16_t)(vq->used_idx + 1))) {
        virtio_device_error(vd, "used ring outside RAM");
        return;
    }
    vq->used_idx++;
}

void virtio_notify_used(VirtioDev *vd, unsigned q)
{
    if (q >= vd->nqueues || vd->broken || !vd->queues[q].ready)
        return;
    uint16_t flags;
    if (!guest_read16(vd, vd->queues[q].driver, &flags)) {
        virtio_device_error(vd, "available ring outside RAM");
        return;
    }
    if (flags & VIRTQ_AVAIL_F_NO_INTERRUPT)
        return;
    vd->isr |= VIRTIO_ISR_VRING;
    update_irq(vd);
}

/* Copies between a linear range of the request's bytes and the host buffer, segment by
 * segment. `in` selects the writable segments. */
static bool elem_copy(VirtioDev *vd, const VirtqElem *e, bool in, uint64_t off, uint8_t *buf,
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
        bool ok = in ? bus_dma_write(vd->bus, segs[i].addr + off, buf, chunk)
                     : bus_dma_read(vd->bus, segs[i].addr + off, buf, chunk);
        if (!ok)
            return false;
        buf += chunk;
        len -= chunk;
        off = 0;
    }
    return len == 0;
}

bool virtq_elem_read(VirtioDev *vd, const VirtqElem *e, uint64_t off, void *buf, uint64_t len)
{
    return elem_copy(vd, e, false, off, buf, len);
}

bool virtq_elem_write(VirtioDev *vd, const VirtqElem *e, uint64_t off, const void *buf,
                      uint64_t len)
{
    return elem_copy(vd, e, true, off, (uint8_t *)buf, len);
}

/* --- driver operations the transports decode ------------------------------------------ */

void virtio_dev_queue_notify(VirtioDev *vd, unsigned q)
{
    /* 2.1.2 / 3.1.1: no buffers are used before DRIVER_OK, none after NEEDS_RESET. */
    if (q >= vd->nqueues || vd->broken || !vd->queues[q].ready ||
        !(vd->status & VIRTIO_STATUS_DRIVER_OK))
        return;
    vd->ops->queue_notify(vd->dev, vd, q);
}

void virtio_dev_set_status(VirtioDev *vd, uint32_t val)
{
    if (val == 0) {
        device_reset(vd);
        return;
    }
    uint32_t old = vd->status;
    vd->status = (val & 0xff) | (old & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
    /* 3.1.1 step 5: the device refuses FEATURES_OK for features it did not offer, and a
     * modern device requires VIRTIO_F_VERSION_1. */
    if ((vd->status & VIRTIO_STATUS_FEATURES_OK) && !(old & VIRTIO_STATUS_FEATURES_OK)) {
        if ((vd->driver_features & ~virtio_dev_features(vd)) ||
            !virtio_has_feature(vd, VIRTIO_F_VERSION_1))
            vd->status &= ~(uint32_t)VIRTIO_STATUS_FEATURES_OK;
    }
    /* Buffers made available before DRIVER_OK are taken now. */
    if ((vd->status & VIRTIO_STATUS_DRIVER_OK) && !(old & VIRTIO_STATUS_DRIVER_OK)) {
        for (unsigned q = 0; q < vd->nqueues; q++)
            virtio_dev_queue_notify(vd, q);
    }
}

static bool config_range_ok(const VirtioDev *vd, uint64_t off, unsigned size)
{
    uint32_t cfg_size = MIN(vd->ops->config_size, (uint32_t)VIRTIO_CONFIG_MAX);
    return (size == 1 || size == 2 || size == 4 || size == 8) && off < cfg_size &&
           size <= cfg_size - off;
}

uint64_t virtio_dev_config_read(VirtioDev *vd, uint64_t off, unsigned size)
{
    uint8_t cfg[VIRTIO_CONFIG_MAX] = { 0 };
    if (!vd->ops->config_read || !config_range_ok(vd, off, size))
        return 0;
    vd->ops->config_read(vd->dev, cfg);
    return ld_le(cfg + off, size);
}

void virtio_dev_config_write(VirtioDev *vd, uint64_t off, uint64_t val, unsigned size)
{
    if (vd->ops->config_write && config_range_ok(vd, off, size))
        vd->ops->config_write(vd->dev, (uint32_t)off, val, size);
}

void virtio_save(const VirtioDev *d, StateW *w)
{
    sw_u32(w, d->status);
    sw_u32(w, d->device_features_sel);
    sw_u32(w, d->driver_features_sel);
    sw_u32(w, d->queue_sel);
    sw_u64(w, d->driver_features);
    sw_u32(w, d->isr);
    sw_u32(w, d->config_generation);
    sw_bool(w, d->irq_level);
    sw_bool(w, d->broken);
    for (unsigned q = 0; q < d->nqueues; q++) {
        const VirtQueue *vq = &d->queues[q];
        sw_u32(w, vq->num);
        sw_bool(w, vq->ready);
        sw_u64(w, vq->desc);
        sw_u64(w, vq->driver);
        sw_u64(w, vq->device);
        sw_u32(w, vq->last_avail);
        sw_u32(w, vq->used_idx);
    }
}

void virtio_load(VirtioDev *d, StateR *r)
{
    d->status = sr_u32(r);
    d->device_features_sel = sr_u32(r);
    d->driver_features_sel = sr_u32(r);
    d->queue_sel = sr_u32(r);
    d->driver_features = sr_u64(r);
    d->isr = sr_u32(r);
    d->config_generation = sr_u32(r);
    d->irq_level = sr_bool(r);
    d->broken = sr_bool(r);
    d->error = d->broken ? "restored in the needs-reset state" : NULL;
    for (unsigned q = 0; q < d->nqueues; q++) {
        VirtQueue *vq = &d->queues[q];
        uint32_t num = sr_u32(r);
        if (num > vq->num_max || (num & (num - 1)))
            r->bad = true;
        vq->num = (uint16_t)MIN(num, vq->num_max);
        vq->ready = sr_bool(r);
        vq->desc = sr_u64(r);
        vq->driver = sr_u64(r);
        vq->device = sr_u64(r);
        vq->last_avail = (uint16_t)sr_u32(r);
        vq->used_idx = (uint16_t)sr_u32(r);
    }
}
