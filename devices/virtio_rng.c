/* devices/virtio_rng.c: virtio entropy device backend, following VIRTIO 1.2 section 5.4
 * "Entropy Device": one request queue, no feature bits, no configuration space; the
 * device fills every device-writable buffer it is given with random bytes (5.4.6). The
 * bytes come from xoshiro256** (Blackman and Vigna, "Scrambled Linear Pseudorandom Number
 * Generators", 2018) whose 256-bit state is expanded from the 64-bit seed with
 * SplitMix64, as its authors recommend; each 64-bit output is used in little-endian byte
 * order. The state is not reseeded on device reset, so the byte stream depends only on
 * the seed and the order of the requests. */
#include "devices/virtio_rng.h"
#include "cpu/common/state.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, unsigned k)
{
    return (x << k) | (x >> (64 - k));
}

void virtio_rng_seed(VirtioRng *r, uint64_t seed)
{
    for (unsigned i = 0; i < 4; i++)
        r->state[i] = splitmix64(&seed);
}

uint64_t virtio_rng_next(VirtioRng *r)
{
    uint64_t *s = r->state;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

static uint64_t rng_features(void *dev)
{
    return 0;
}

/* Fills the request's writable bytes (at most VIRTIO_RNG_MAX_REQUEST) and returns how
 * many were written, or -1 when guest memory refused them. */
static int64_t rng_fill(VirtioRng *r, const VirtqElem *e)
{
    uint8_t buf[256];
    uint64_t len = MIN(e->in_len, (uint64_t)VIRTIO_RNG_MAX_REQUEST);
    for (uint64_t done = 0; done < len;) {
        uint64_t n = MIN(len - done, (uint64_t)sizeof(buf));
        for (uint64_t i = 0; i < n; i += 8) {
            uint8_t word[8];
            st_le(word, 8, virtio_rng_next(r));
            memcpy(buf + i, word, MIN(8, n - i));
        }
        if (!virtq_elem_write(&r->vdev, e, done, buf, n))
            return -1;
        done += n;
    }
    return (int64_t)len;
}

static void rng_queue_notify(void *dev, VirtioDev *vd, unsigned q)
{
    VirtioRng *r = dev;
    VirtqElem e;
    bool any = false;
    while (virtio_pop(vd, q, &e)) {
        int64_t n = rng_fill(r, &e);
        if (n < 0) {
            virtio_device_error(vd, "virtio-rng buffer refused by guest memory");
            return;
        }
        virtio_push(vd, q, &e, (uint32_t)n);
        any = true;
    }
    if (any)
        virtio_notify_used(vd, q);
}

static const VirtioDevOps virtio_rng_ops = {
    .name = "virtio-rng",
    .device_id = VIRTIO_ID_RNG,
    .num_queues = 1,
    .queue_max = VIRTIO_RNG_QUEUE_SIZE,
    .config_size = 0,
    .features = rng_features,
    .queue_notify = rng_queue_notify,
};

void virtio_rng_init(VirtioRng *r, Bus *bus, uint64_t seed)
{
    virtio_rng_seed(r, seed);
    virtio_dev_init(&r->vdev, bus, &virtio_rng_ops, r);
}

void virtio_rng_save(const VirtioRng *g, StateW *w)
{
    sw_u64s(w, g->state, 4);
}

void virtio_rng_load(VirtioRng *g, StateR *r)
{
    sr_u64s(r, g->state, 4);
}
