/* devices/virtio_pci.c: the modern virtio-pci transport (VIRTIO 1.2 section 4.1 "Virtio
 * Over PCI Bus"; see devices/virtio_pci.h for the layout). The common configuration is
 * read from a snapshot of the structure, so any access size the driver uses gives the
 * bytes it covers; a write patches the snapshot and then applies every field it touched,
 * in address order, which also serves 64-bit fields written as two 32-bit halves
 * (4.1.3.1). Queue layout fields only change while the selected queue is disabled
 * (4.1.4.3.2); the ISR status is cleared by reading it (4.1.4.5); a notification is a
 * write anywhere in a queue's slot of the notification area (4.1.4.4). The PCI
 * configuration access capability (4.1.4.9) reaches the same registers through
 * configuration space. */
#include "devices/virtio_pci.h"
#include "cpu/common/state.h"

/* --- the common configuration structure ------------------------------------------------ */

typedef struct CommonField {
    uint8_t off, size;
} CommonField;

/* The writable fields, in address order. */
static const CommonField common_writable[] = {
    { VIRTIO_PCI_COMMON_DFSELECT, 4 }, { VIRTIO_PCI_COMMON_GFSELECT, 4 },
    { VIRTIO_PCI_COMMON_GF, 4 },       { VIRTIO_PCI_COMMON_STATUS, 1 },
    { VIRTIO_PCI_COMMON_Q_SELECT, 2 }, { VIRTIO_PCI_COMMON_Q_SIZE, 2 },
    { VIRTIO_PCI_COMMON_Q_ENABLE, 2 }, { VIRTIO_PCI_COMMON_Q_DESC, 8 },
    { VIRTIO_PCI_COMMON_Q_AVAIL, 8 },  { VIRTIO_PCI_COMMON_Q_USED, 8 },
};

static void common_snapshot(VirtioPci *vp, uint8_t s[VIRTIO_PCI_COMMON_LEN])
{
    VirtioDev *vd = vp->vdev;
    VirtQueue *vq = virtio_dev_selected_queue(vd);
    uint32_t gf = vd->driver_features_sel < 2
                      ? (uint32_t)(vd->driver_features >> (32 * vd->driver_features_sel))
                      : 0;
    memset(s, 0, VIRTIO_PCI_COMMON_LEN);
    st_le(s + VIRTIO_PCI_COMMON_DFSELECT, 4, vd->device_features_sel);
    st_le(s + VIRTIO_PCI_COMMON_DF, 4, virtio_dev_features_word(vd));
    st_le(s + VIRTIO_PCI_COMMON_GFSELECT, 4, vd->driver_features_sel);
    st_le(s + VIRTIO_PCI_COMMON_GF, 4, gf);
    st_le(s + VIRTIO_PCI_COMMON_MSIX, 2, VIRTIO_MSI_NO_VECTOR);
    st_le(s + VIRTIO_PCI_COMMON_NUMQ, 2, vd->nqueues);
    s[VIRTIO_PCI_COMMON_STATUS] = (uint8_t)vd->status;
    s[VIRTIO_PCI_COMMON_CFGGENERATION] = (uint8_t)vd->config_generation;
    st_le(s + VIRTIO_PCI_COMMON_Q_SELECT, 2, vd->queue_sel);
    st_le(s + VIRTIO_PCI_COMMON_Q_MSIX, 2, VIRTIO_MSI_NO_VECTOR);
    if (vq) {
        st_le(s + VIRTIO_PCI_COMMON_Q_SIZE, 2, vq->num);
        st_le(s + VIRTIO_PCI_COMMON_Q_ENABLE, 2, vq->ready);
        st_le(s + VIRTIO_PCI_COMMON_Q_NOFF, 2, vd->queue_sel);
        st_le(s + VIRTIO_PCI_COMMON_Q_DESC, 8, vq->desc);
        st_le(s + VIRTIO_PCI_COMMON_Q_AVAIL, 8, vq->driver);
        st_le(s + VIRTIO_PCI_COMMON_Q_USED, 8, vq->device);
        st_le(s + VIRTIO_PCI_COMMON_Q_NDATA, 2, vd->queue_sel);
    }
}

static void common_apply(VirtioPci *vp, unsigned off, uint64_t val)
{
    VirtioDev *vd = vp->vdev;
    VirtQueue *vq = virtio_dev_selected_queue(vd);
    bool vq_writable = vq && !vq->ready;
    switch (off) {
    case VIRTIO_PCI_COMMON_DFSELECT:
        vd->device_features_sel = (uint32_t)val;
        break;
    case VIRTIO_PCI_COMMON_GFSELECT:
        vd->driver_features_sel = (uint32_t)val;
        break;
    case VIRTIO_PCI_COMMON_GF:
        virtio_dev_set_driver_features_word(vd, (uint32_t)val);
        break;
    case VIRTIO_PCI_COMMON_STATUS:
        virtio_dev_set_status(vd, (uint32_t)val);
        break;
    case VIRTIO_PCI_COMMON_Q_SELECT:
        vd->queue_sel = (uint32_t)val;
        break;
    case VIRTIO_PCI_COMMON_Q_SIZE:
        if (vq_writable)
            vq->num = (uint16_t)val;
        break;
    case VIRTIO_PCI_COMMON_Q_ENABLE:
        /* 4.1.4.3.2: the driver never writes 0 to disable a queue; a reset does it. */
        if (vq && (val & 1))
            virtio_dev_queue_set_ready(vd, vq, true);
        break;
    case VIRTIO_PCI_COMMON_Q_DESC:
        if (vq_writable)
            vq->desc = val;
        break;
    case VIRTIO_PCI_COMMON_Q_AVAIL:
        if (vq_writable)
            vq->driver = val;
        break;
    case VIRTIO_PCI_COMMON_Q_USED:
        if (vq_writable)
            vq->device = val;
        break;
    default:
        break;
    }
}

static uint64_t common_read(VirtioPci *vp, uint64_t off, unsigned size)
{
    uint8_t s[VIRTIO_PCI_COMMON_LEN];
    if (off >= VIRTIO_PCI_COMMON_LEN || size > VIRTIO_PCI_COMMON_LEN - off)
        return 0;
    common_snapshot(vp, s);
    return ld_le(s + off, size);
}

/* 1. Patch the written bytes into a snapshot.
 * 2. For each writable field the write overlaps, in address order, apply the field's new
 *    value (status first of all, so that a reset also clears the fields after it). */
static void common_write(VirtioPci *vp, uint64_t off, uint64_t val, unsigned size)
{
    uint8_t s[VIRTIO_PCI_COMMON_LEN];
    if (off >= VIRTIO_PCI_COMMON_LEN || size > VIRTIO_PCI_COMMON_LEN - off)
        return;
    common_snapshot(vp, s);
    st_le(s + off, size, val);
    for (unsigned i = 0; i < ARRAY_SIZE(common_writable); i++) {
        const CommonField *f = &common_writable[i];
        if (f->off < off + size && off < (uint64_t)f->off + f->size)
            common_apply(vp, f->off, ld_le(s + f->off, f->size));
    }
}

/* --- the BAR ---------------------------------------------------------------------------- */

uint64_t virtio_pci_bar_read(VirtioPci *vp, uint64_t off, unsigned size)
{
    VirtioDev *vd = vp->vdev;
    if (off >= VIRTIO_PCI_NOTIFY_OFF)
        return 0;
    if (off >= VIRTIO_PCI_DEVICE_OFF)
        return virtio_dev_config_read(vd, off - VIRTIO_PCI_DEVICE_OFF, size);
    if (off >= VIRTIO_PCI_ISR_OFF)
        return off == VIRTIO_PCI_ISR_OFF ? virtio_dev_isr_read_clear(vd) : 0;
    return common_read(vp, off - VIRTIO_PCI_COMMON_OFF, size);
}

void virtio_pci_bar_write(VirtioPci *vp, uint64_t off, uint64_t val, unsigned size)
{
    VirtioDev *vd = vp->vdev;
    if (off >= VIRTIO_PCI_NOTIFY_OFF) {
        uint64_t n = off - VIRTIO_PCI_NOTIFY_OFF;
        if (n % VIRTIO_PCI_NOTIFY_MULT == 0 && n / VIRTIO_PCI_NOTIFY_MULT < vd->nqueues)
            virtio_dev_queue_notify(vd, (unsigned)(n / VIRTIO_PCI_NOTIFY_MULT));
        return;
    }
    if (off >= VIRTIO_PCI_DEVICE_OFF) {
        virtio_dev_config_write(vd, off - VIRTIO_PCI_DEVICE_OFF, val, size);
        return;
    }
    if (off >= VIRTIO_PCI_ISR_OFF)
        return; /* read-only */
    common_write(vp, off - VIRTIO_PCI_COMMON_OFF, val, size);
}

static uint64_t bar_read(void *opaque, uint64_t off, unsigned size)
{
    return virtio_pci_bar_read(opaque, off, size);
}

static void bar_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
    virtio_pci_bar_write(opaque, off, val, size);
}

static const MmioOps virtio_pci_bar_ops = {
    .read = bar_read,
    .write = bar_write,
    .min_size = 1,
    .max_size = 8,
    .endian = DEV_LITTLE_ENDIAN,
};

/* --- configuration space: capabilities and the access window ------------------------------ */

/* 4.1.4.9: the driver picks bar, offset and length (1, 2 or 4, offset aligned to it) in
 * the capability; pci_cfg_data then reads or writes that many bytes of the BAR. Anything
 * else in those fields makes the window inert. */
static bool cfg_window(VirtioPci *vp, uint64_t *off, unsigned *len)
{
    const uint8_t *cap = vp->pci.config + vp->cfg_cap;
    uint32_t length = (uint32_t)ld_le(cap + VIRTIO_PCI_CAP_LENGTH, 4);
    *off = ld_le(cap + VIRTIO_PCI_CAP_OFFSET, 4);
    *len = (unsigned)length;
    return cap[VIRTIO_PCI_CAP_BAR] == VIRTIO_PCI_BAR &&
           (length == 1 || length == 2 || length == 4) && !(*off & (length - 1)) &&
           *off < VIRTIO_PCI_BAR_SIZE;
}

static bool touches_cfg_data(const VirtioPci *vp, unsigned off, unsigned size)
{
    unsigned data = vp->cfg_cap + VIRTIO_PCI_CAP_PCI_CFG_DATA;
    return vp->cfg_cap && off < data + 4 && data < off + size;
}

static uint32_t config_read_hook(PciDevice *d, unsigned off, unsigned size, uint32_t val)
{
    VirtioPci *vp = d->opaque;
    uint64_t bar_off;
    unsigned len;
    if (!touches_cfg_data(vp, off, size) || !cfg_window(vp, &bar_off, &len))
        return val;
    uint8_t bytes[8] = { 0 };
    unsigned data = vp->cfg_cap + VIRTIO_PCI_CAP_PCI_CFG_DATA;
    memcpy(bytes, vp->pci.config + data, 4);
    st_le(bytes, len, virtio_pci_bar_read(vp, bar_off, len));
    memcpy(vp->pci.config + data, bytes, 4);
    return (uint32_t)ld_le(vp->pci.config + off, size);
}

static void config_write_hook(PciDevice *d, unsigned off, unsigned size, uint32_t val)
{
    VirtioPci *vp = d->opaque;
    uint64_t bar_off;
    unsigned len;
    if (!touches_cfg_data(vp, off, size) || !cfg_window(vp, &bar_off, &len))
        return;
    unsigned data = vp->cfg_cap + VIRTIO_PCI_CAP_PCI_CFG_DATA;
    virtio_pci_bar_write(vp, bar_off, ld_le(vp->pci.config + data, len), len);
}

/* 4.1.5.3: the ISR status drives INTx. */
static void intx_request(void *opaque, unsigned n, bool level)
{
    VirtioPci *vp = opaque;
    pci_set_irq(&vp->pci, level);
}

/* One struct virtio_pci_cap pointing at [off, off+len) of the BAR; returns its offset. */
static uint8_t add_cap(VirtioPci *vp, uint8_t type, uint8_t cap_len, uint32_t off, uint32_t len)
{
    uint8_t at = pci_add_capability(&vp->pci, PCI_CAP_ID_VNDR, cap_len);
    if (!at)
        return 0;
    uint8_t *c = vp->pci.config + at;
    c[2] = cap_len;
    c[VIRTIO_PCI_CAP_CFG_TYPE] = type;
    c[VIRTIO_PCI_CAP_BAR] = VIRTIO_PCI_BAR;
    st_le(c + VIRTIO_PCI_CAP_OFFSET, 4, off);
    st_le(c + VIRTIO_PCI_CAP_LENGTH, 4, len);
    return at;
}

/* PCI class codes (base class, sub-class, interface) by virtio device type. */
static uint32_t class_for(uint32_t device_id)
{
    switch (device_id) {
    case VIRTIO_ID_NET:
        return 0x020000; /* network controller, Ethernet */
    case VIRTIO_ID_BLOCK:
        return 0x010000; /* mass storage controller, SCSI */
    case VIRTIO_ID_CONSOLE:
        return 0x078000; /* communication controller, other */
    default:
        return 0xff0000; /* device does not fit any defined class */
    }
}

void virtio_pci_init(VirtioPci *vp, VirtioDev *vdev)
{
    const VirtioDevOps *ops = vdev->ops;
    PciId id = {
        .vendor = VIRTIO_PCI_VENDOR,
        .device = (uint16_t)(VIRTIO_PCI_DEVICE_MODERN + ops->device_id),
        .subsystem_vendor = VIRTIO_PCI_VENDOR,
        .subsystem = VIRTIO_PCI_SUBSYSTEM,
        .revision = VIRTIO_PCI_REVISION,
        .class_code = class_for(ops->device_id),
        .irq_pin = PCI_INTX_PIN_A,
    };
    *vp = (VirtioPci){ .vdev = vdev };
    pci_device_init(&vp->pci, &id);
    vp->pci.opaque = vp;
    vp->pci.read_hook = config_read_hook;
    vp->pci.write_hook = config_write_hook;
    pci_register_bar(&vp->pci, VIRTIO_PCI_BAR, VIRTIO_PCI_BAR_SIZE, PCI_BASE_ADDRESS_MEM_TYPE_64,
                     &virtio_pci_bar_ops, vp);

    add_cap(vp, VIRTIO_PCI_CAP_COMMON_CFG, VIRTIO_PCI_CAP_LEN, VIRTIO_PCI_COMMON_OFF,
            VIRTIO_PCI_COMMON_LEN);
    uint8_t notify = add_cap(vp, VIRTIO_PCI_CAP_NOTIFY_CFG, VIRTIO_PCI_CAP_LEN + 4,
                             VIRTIO_PCI_NOTIFY_OFF, VIRTIO_PCI_NOTIFY_MULT * vdev->nqueues);
    if (notify)
        st_le(vp->pci.config + notify + VIRTIO_PCI_CAP_NOTIFY_MULT, 4, VIRTIO_PCI_NOTIFY_MULT);
    add_cap(vp, VIRTIO_PCI_CAP_ISR_CFG, VIRTIO_PCI_CAP_LEN, VIRTIO_PCI_ISR_OFF, 1);
    /* 4.1.4.6: only a device with configuration space has the structure. */
    uint32_t cfg_size = MIN(ops->config_size, (uint32_t)VIRTIO_CONFIG_MAX);
    if (cfg_size)
        add_cap(vp, VIRTIO_PCI_CAP_DEVICE_CFG, VIRTIO_PCI_CAP_LEN, VIRTIO_PCI_DEVICE_OFF,
                cfg_size);
    vp->cfg_cap = add_cap(vp, VIRTIO_PCI_CAP_PCI_CFG, VIRTIO_PCI_CAP_LEN + 4, 0, 0);
    if (vp->cfg_cap) {
        uint8_t *m = vp->pci.wmask + vp->cfg_cap;
        m[VIRTIO_PCI_CAP_BAR] = 0xff;
        memset(m + VIRTIO_PCI_CAP_OFFSET, 0xff, 8); /* offset, length */
        memset(m + VIRTIO_PCI_CAP_PCI_CFG_DATA, 0xff, 4);
    }

    virtio_dev_attach_irq(vdev, (IrqLine){ .set = intx_request, .opaque = vp });
}

void virtio_pci_save(const VirtioPci *t, StateW *w)
{
    pci_device_save(&t->pci, w);
    virtio_save(t->vdev, w);
}

void virtio_pci_load(VirtioPci *t, StateR *r)
{
    pci_device_load(&t->pci, r);
    virtio_load(t->vdev, r);
}
