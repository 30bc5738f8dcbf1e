/* devices/virtio_rng.h: virtio entropy device (VIRTIO 1.2 section 5.4 "Entropy Device")
 * on any virtio transport. Its bytes come from a seeded deterministic generator, so
 * a run is reproducible: the machine chooses the seed. */
#ifndef HVEMU_VIRTIO_RNG_H
#define HVEMU_VIRTIO_RNG_H

#include "devices/virtio.h"

#define VIRTIO_RNG_QUEUE_SIZE 64
#define VIRTIO_RNG_MAX_REQUEST 65536 /* bytes served per request */

typedef struct VirtioRng {
    VirtioDev vdev;
    uint64_t state[4]; /* xoshiro256** */
} VirtioRng;

/* bus is guest memory; the machine then puts r->vdev on a transport (virtio_mmio_init,
 * virtio_pci_init). The struct must not move afterwards. */
void virtio_rng_init(VirtioRng *r, Bus *bus, uint64_t seed);
/* The generator on its own (also used by the tests): seeding and the next 64 bits. */
void virtio_rng_seed(VirtioRng *r, uint64_t seed);
uint64_t virtio_rng_next(VirtioRng *r);

struct StateW;
struct StateR;
/* Snapshot state (cpu/common/state.h): the generator's (the transport saves the
 * device's). */
void virtio_rng_save(const VirtioRng *g, struct StateW *w);
void virtio_rng_load(VirtioRng *g, struct StateR *r);

#endif
