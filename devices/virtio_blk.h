/* devices/virtio_blk.h: virtio block device (VIRTIO 1.2 section 5.2 "Block Device"),
 * backed by a host file the machine has opened, on any virtio transport. */
#ifndef HVEMU_VIRTIO_BLK_H
#define HVEMU_VIRTIO_BLK_H

#include "devices/virtio.h"

#define VIRTIO_BLK_SECTOR_SIZE 512
#define VIRTIO_BLK_ID_BYTES 20
#define VIRTIO_BLK_QUEUE_SIZE 256
#define VIRTIO_BLK_BOUNCE 65536

typedef struct VirtioBlk {
    VirtioDev vdev;
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

#endif
