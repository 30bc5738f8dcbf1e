/* devices/virtio_blk.h: virtio block device (VIRTIO 1.2 section 5.2 "Block Device"),
 * backed by a host file the machine has opened, on any virtio transport. */
#ifndef HVEMU_VIRTIO_BLK_H
#define HVEMU_VIRTIO_BLK_H

#include "devices/virtio.h"

#define VIRTIO_BLK_SECTOR_SIZE 512
#define VIRTIO_BLK_ID_BYTES 20
#define VIRTIO_BLK_QUEUE_SIZE 256
#define VIRTIO_BLK_BOUNCE 65536

/* Where the disk's bytes live: the host file unless a layer is put here (record and
 * replay journal a writable disk through one: machines/journal_disk.c). Offsets and
 * lengths are checked against the disk's size before a call; false is an I/O error. */
typedef struct BlkHost {
    bool (*read)(void *opaque, uint8_t *buf, size_t len, uint64_t pos);
    bool (*write)(void *opaque, const uint8_t *buf, size_t len, uint64_t pos);
    bool (*flush)(void *opaque);
    void *opaque;
} BlkHost;

typedef struct VirtioBlk {
    VirtioDev vdev;
    BlkHost host;      /* .read NULL: the file, with pread/pwrite/fdatasync */
    int fd;
    uint64_t size;     /* bytes of the backing file the guest may use */
    uint64_t capacity; /* in 512-byte sectors */
    bool readonly;
    char serial[VIRTIO_BLK_ID_BYTES];
    uint8_t bounce[VIRTIO_BLK_BOUNCE];
} VirtioBlk;

/* fd stays owned by the machine (opened O_RDONLY when readonly); size is its length in
 * bytes (capacity is size / 512). serial (may be NULL) is the GET_ID string, at most 20
 * bytes are used. bus is guest memory. The machine then puts b->vdev on a transport
 * (virtio_mmio_init, virtio_pci_init). The struct must not move afterwards. */
void virtio_blk_init(VirtioBlk *b, Bus *bus, int fd, uint64_t size, bool readonly,
                     const char *serial);
/* The file's own access: a full pread (bytes past the end read as zero) and pwrite. */
bool virtio_blk_file_read(int fd, uint8_t *buf, size_t len, uint64_t pos);
bool virtio_blk_file_write(int fd, const uint8_t *buf, size_t len, uint64_t pos);

#endif
