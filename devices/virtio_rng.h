/* devices/virtio_rng.h: virtio entropy device (VIRTIO 1.2 section 5.4 "Entropy Device")
 * on the virtio-mmio transport. Its bytes come from a seeded deterministic generator, so
 * a run is reproducible: the machine chooses the seed. */
#ifndef HVEMU_VIRTIO_RNG_H
#define HVEMU_VIRTIO_RNG_H

#include "devices/virtio.h"

#define VIRTIO_RNG_QUEUE_SIZE 64
#define VIRTIO_RNG_MAX_REQUEST 65536 /* bytes served per request */

typedef struct VirtioRng {
    VirtioMmio vm;
    uint64_t state[4]; /* xoshiro256** */
} VirtioRng;

/* Maps the transport at base; the FDT node is virtio_mmio_fdt(&r->vm, ...). The struct
 * must not move afterwards. */
void virtio_rng_init(VirtioRng *r, Bus *bus, uint64_t base, IrqLine irq, uint64_t seed);
/* The generator on its own (also used by the tests): seeding and the next 64 bits. */
void virtio_rng_seed(VirtioRng *r, uint64_t seed);
uint64_t virtio_rng_next(VirtioRng *r);

#endif
