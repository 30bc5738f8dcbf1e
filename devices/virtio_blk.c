/* devices/virtio_blk.c: virtio block device backend, following VIRTIO 1.2 section 5.2
 * "Block Device": 5.2.3 feature bits (VIRTIO_BLK_F_SEG_MAX, VIRTIO_BLK_F_RO,
 * VIRTIO_BLK_F_FLUSH are offered), 5.2.4 configuration layout (capacity, seg_max) and
 * 5.2.6 device operation: a request is a 16-byte header {le32 type, le32 reserved, le64
 * sector} in the readable bytes, data, and a final status byte in the writable bytes, with
 * no assumption on how the driver splits them into buffers (VIRTIO_F_VERSION_1 implies
 * any layout). Requests run synchronously on the queue notification, through a bounce
 * buffer; the host file is accessed with pread/pwrite only. The transport (virtio-mmio,
 * virtio-pci) is the machine's choice. */
#include "devices/virtio_blk.h"

#include <errno.h>
#include <unistd.h>

#define VIRTIO_BLK_F_SEG_MAX 2
#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_FLUSH 9

#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_T_GET_ID 8

#define VIRTIO_BLK_S_OK 0
#define VIRTIO_BLK_S_IOERR 1
#define VIRTIO_BLK_S_UNSUPP 2

#define BLK_HDR_SIZE 16
#define BLK_CONFIG_SIZE 0x24 /* up to and including num_queues */
#define BLK_CFG_CAPACITY 0x00
#define BLK_CFG_SEG_MAX 0x0c

static uint64_t blk_features(void *dev)
{
    VirtioBlk *b = dev;
    uint64_t f = (1ULL << VIRTIO_BLK_F_SEG_MAX) | (1ULL << VIRTIO_BLK_F_FLUSH);
    if (b->readonly)
        f |= 1ULL << VIRTIO_BLK_F_RO;
    return f;
}

static void blk_config_read(void *dev, uint8_t *cfg)
{
    VirtioBlk *b = dev;
    memset(cfg, 0, BLK_CONFIG_SIZE);
    st_le(cfg + BLK_CFG_CAPACITY, 8, b->capacity);
    /* Two of the queue's descriptors carry the header and the status byte. */
    st_le(cfg + BLK_CFG_SEG_MAX, 4, VIRTIO_BLK_QUEUE_SIZE - 2);
}

/* The data range [sector * 512, + len) lies within the capacity. */
static bool blk_range_ok(const VirtioBlk *b, uint64_t sector, uint64_t len)
{
    if (len % VIRTIO_BLK_SECTOR_SIZE || sector > b->capacity)
        return false;
    return len / VIRTIO_BLK_SECTOR_SIZE <= b->capacity - sector;
}

/* Full pread; bytes past the end of the file read as zero. */
bool virtio_blk_file_read(int fd, uint8_t *buf, size_t len, uint64_t pos)
{
    while (len) {
        ssize_t n = pread(fd, buf, len, (off_t)pos);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return false;
        if (n == 0) {
            memset(buf, 0, len);
            return true;
        }
        buf += n;
        len -= (size_t)n;
        pos += (uint64_t)n;
    }
    return true;
}

bool virtio_blk_file_write(int fd, const uint8_t *buf, size_t len, uint64_t pos)
{
    while (len) {
        ssize_t n = pwrite(fd, buf, len, (off_t)pos);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        buf += n;
        len -= (size_t)n;
        pos += (uint64_t)n;
    }
    return true;
}

/* Outcome of one request: the status byte, or `dma_fault` when guest memory refused a
 * copy (the transport is then put in DEVICE_NEEDS_RESET). */
typedef struct BlkResult {
    uint8_t status;
    uint64_t data_written; /* bytes written to the writable data area */
    bool dma_fault;
} BlkResult;

static BlkResult blk_read(VirtioBlk *b, const VirtqElem *e, uint64_t sector, uint64_t len)
{
    if (!blk_range_ok(b, sector, len))
        return (BlkResult){ .status = VIRTIO_BLK_S_IOERR };
    uint64_t pos = sector * VIRTIO_BLK_SECTOR_SIZE;
    for (uint64_t done = 0; done < len;) {
        size_t n = (size_t)MIN(len - done, (uint64_t)sizeof(b->bounce));
        if (!(b->host.read ? b->host.read(b->host.opaque, b->bounce, n, pos + done)
                           : virtio_blk_file_read(b->fd, b->bounce, n, pos + done)))
            return (BlkResult){ .status = VIRTIO_BLK_S_IOERR, .data_written = done };
        if (!virtq_elem_write(&b->vdev, e, done, b->bounce, n))
            return (BlkResult){ .dma_fault = true };
        done += n;
    }
    return (BlkResult){ .status = VIRTIO_BLK_S_OK, .data_written = len };
}

static BlkResult blk_write(VirtioBlk *b, const VirtqElem *e, uint64_t sector, uint64_t len)
{
    /* 5.2.6.2: a write to a read-only device fails with IOERR. */
    if (b->readonly || !blk_range_ok(b, sector, len))
        return (BlkResult){ .status = VIRTIO_BLK_S_IOERR };
    uint64_t pos = sector * VIRTIO_BLK_SECTOR_SIZE;
    for (uint64_t done = 0; done < len;) {
        size_t n = (size_t)MIN(len - done, (uint64_t)sizeof(b->bounce));
        if (!virtq_elem_read(&b->vdev, e, BLK_HDR_SIZE + done, b->bounce, n))
            return (BlkResult){ .dma_fault = true };
        if (!(b->host.write ? b->host.write(b->host.opaque, b->bounce, n, pos + done)
                            : virtio_blk_file_write(b->fd, b->bounce, n, pos + done)))
            return (BlkResult){ .status = VIRTIO_BLK_S_IOERR };
        done += n;
    }
    return (BlkResult){ .status = VIRTIO_BLK_S_OK };
}

static BlkResult blk_get_id(VirtioBlk *b, const VirtqElem *e, uint64_t len)
{
    uint64_t n = MIN(len, (uint64_t)VIRTIO_BLK_ID_BYTES);
    if (!virtq_elem_write(&b->vdev, e, 0, b->serial, n))
        return (BlkResult){ .dma_fault = true };
    return (BlkResult){ .status = VIRTIO_BLK_S_OK, .data_written = n };
}

/* One request (5.2.6):
 *   1. the header must be readable and the status byte writable, else the driver broke
 *      the protocol;
 *   2. the data area is the readable bytes after the header (OUT) or the writable bytes
 *      before the status byte (IN, GET_ID);
 *   3. run the command, write the status byte, return the chain. */
static void blk_request(VirtioBlk *b, unsigned q, const VirtqElem *e)
{
    uint8_t hdr[BLK_HDR_SIZE];
    if (e->out_len < BLK_HDR_SIZE || e->in_len < 1 ||
        !virtq_elem_read(&b->vdev, e, 0, hdr, sizeof(hdr))) {
        virtio_device_error(&b->vdev, "virtio-blk request without header or status byte");
        return;
    }
    uint32_t type = (uint32_t)ld_le(hdr, 4);
    uint64_t sector = ld_le(hdr + 8, 8);
    uint64_t in_data = e->in_len - 1;

    BlkResult r;
    switch (type) {
    case VIRTIO_BLK_T_IN:
        r = blk_read(b, e, sector, in_data);
        break;
    case VIRTIO_BLK_T_OUT:
        r = blk_write(b, e, sector, e->out_len - BLK_HDR_SIZE);
        break;
    case VIRTIO_BLK_T_FLUSH:
        r = (BlkResult){ .status = b->readonly || (b->host.flush ? b->host.flush(b->host.opaque)
                                                                 : fdatasync(b->fd) == 0)
                                       ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR };
        break;
    case VIRTIO_BLK_T_GET_ID:
        r = blk_get_id(b, e, in_data);
        break;
    default:
        r = (BlkResult){ .status = VIRTIO_BLK_S_UNSUPP };
        break;
    }
    if (r.dma_fault || !virtq_elem_write(&b->vdev, e, in_data, &r.status, 1)) {
        virtio_device_error(&b->vdev, "virtio-blk buffer refused by guest memory");
        return;
    }
    virtio_push(&b->vdev, q, e, (uint32_t)MIN(r.data_written + 1, (uint64_t)UINT32_MAX));
}

static void blk_queue_notify(void *dev, VirtioDev *vd, unsigned q)
{
    VirtioBlk *b = dev;
    VirtqElem e;
    bool any = false;
    while (virtio_pop(vd, q, &e)) {
        blk_request(b, q, &e);
        any = true;
    }
    if (any)
        virtio_notify_used(vd, q);
}

static const VirtioDevOps virtio_blk_ops = {
    .name = "virtio-blk",
    .device_id = VIRTIO_ID_BLOCK,
    .num_queues = 1,
    .queue_max = VIRTIO_BLK_QUEUE_SIZE,
    .config_size = BLK_CONFIG_SIZE,
    .features = blk_features,
    .config_read = blk_config_read,
    .queue_notify = blk_queue_notify,
};

void virtio_blk_init(VirtioBlk *b, Bus *bus, int fd, uint64_t size, bool readonly,
                     const char *serial)
{
    b->host = (BlkHost){ 0 };
    b->fd = fd;
    b->size = size;
    b->capacity = size / VIRTIO_BLK_SECTOR_SIZE;
    b->readonly = readonly;
    memset(b->serial, 0, sizeof(b->serial));
    if (serial)
        memcpy(b->serial, serial, MIN(strlen(serial), sizeof(b->serial)));
    virtio_dev_init(&b->vdev, bus, &virtio_blk_ops, b);
}
