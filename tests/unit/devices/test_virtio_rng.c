/* tests/unit/devices/test_virtio_rng.c: virtio-rng as Linux's hw_random driver sees it:
 * device id and features, buffers filled from the seeded generator, the same seed giving
 * the same bytes (reproducible runs), a different seed different bytes, split and
 * oversized buffers, and the known first outputs of SplitMix64. */
#include "devices/virtio_rng.h"
#include "tests/unit/devices/virtq_driver.h"

#define MMIO 0x10008000ULL
#define RNG_IRQ 4

typedef struct Rig {
    Bus bus;
    VClock clock;
    uint8_t *ram;
    TestIrqs irqs;
    VirtioRng rng;
    VirtioMmio mmio;
    TestVq vq;
} Rig;

static Rig *rig_new(uint64_t seed)
{
    Rig *r = calloc(1, sizeof(*r));
    r->ram = test_bus_init(&r->bus, &r->clock, 1024 * 1024);
    virtio_rng_init(&r->rng, &r->bus, seed);
    virtio_mmio_init(&r->mmio, &r->bus, MMIO, test_irq(&r->irqs, RNG_IRQ), &r->rng.vdev);
    CHECK(tvq_init(&r->vq, &r->bus, MMIO, UINT64_MAX, 64, true));
    return r;
}

static void rig_free(Rig *r)
{
    free(r->ram);
    free(r);
}

/* One device-writable buffer of len bytes at TVQ_BUF; returns the written length. */
static uint32_t fetch(Rig *r, uint32_t len)
{
    uint16_t k = tvq_used_idx(&r->vq);
    tvq_desc(&r->vq, 0, TVQ_BUF, len, VIRTQ_DESC_F_WRITE, 0);
    tvq_submit(&r->vq, 0);
    CHECK_EQ(tvq_used_idx(&r->vq), (uint16_t)(k + 1));
    return tvq_used_len(&r->vq, k);
}

static const uint8_t *buf(Rig *r)
{
    return r->ram + (TVQ_BUF - TEST_RAM_BASE);
}

static void test_probe(void)
{
    Rig *r = rig_new(1);
    CHECK_EQ(tvq_reg(&r->vq, VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_RNG);
    CHECK_EQ(tvq_device_features(&r->vq),
             (1ULL << VIRTIO_F_VERSION_1) | (1ULL << VIRTIO_F_INDIRECT_DESC));
    CHECK_EQ(tvq_reg(&r->vq, VIRTIO_MMIO_STATUS), 0x0f);
    CHECK_EQ(test_rd(&r->bus, MMIO + VIRTIO_MMIO_CONFIG, 4), 0); /* no config space */
    rig_free(r);
}

/* SplitMix64 from seed 0 starts 0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, ... (the
 * published reference sequence): the generator's state after seeding holds them. */
static void test_seeding(void)
{
    VirtioRng g;
    virtio_rng_seed(&g, 0);
    CHECK_EQ(g.state[0], 0xe220a8397b1dcdafULL);
    CHECK_EQ(g.state[1], 0x6e789e6aa1b965f4ULL);
    /* xoshiro256**: first output is rotl(s1 * 5, 7) * 9. */
    uint64_t s1 = g.state[1] * 5;
    uint64_t expect = ((s1 << 7) | (s1 >> 57)) * 9;
    CHECK_EQ(virtio_rng_next(&g), expect);
}

static void test_bytes_follow_the_generator(void)
{
    Rig *r = rig_new(0x1234);
    VirtioRng ref;
    virtio_rng_seed(&ref, 0x1234);
    CHECK_EQ(fetch(r, 64), 64);
    uint8_t expect[64];
    for (int i = 0; i < 64; i += 8)
        st_le(expect + i, 8, virtio_rng_next(&ref));
    CHECK_MEM(buf(r), expect, 64);
    CHECK(r->irqs.level[RNG_IRQ]);
    CHECK_EQ(tvq_reg(&r->vq, VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_MMIO_INT_VRING);
    tvq_set(&r->vq, VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_MMIO_INT_VRING);
    CHECK(!r->irqs.level[RNG_IRQ]);
    rig_free(r);
}

static void test_determinism(void)
{
    Rig *a = rig_new(42), *b = rig_new(42), *c = rig_new(43);
    uint32_t sizes[] = { 32, 7, 1000, 256, 1 };
    bool all_same = true, any_diff = false;
    for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
        CHECK_EQ(fetch(a, sizes[i]), sizes[i]);
        CHECK_EQ(fetch(b, sizes[i]), sizes[i]);
        CHECK_EQ(fetch(c, sizes[i]), sizes[i]);
        all_same &= memcmp(buf(a), buf(b), sizes[i]) == 0;
        any_diff |= memcmp(buf(a), buf(c), sizes[i]) != 0;
    }
    CHECK(all_same);
    CHECK(any_diff);
    /* A device reset does not restart the stream; a new run with the seed does. */
    tvq_set(&a->vq, VIRTIO_MMIO_STATUS, 0);
    CHECK(tvq_init(&a->vq, &a->bus, MMIO, UINT64_MAX, 64, true));
    fetch(a, 32);
    Rig *d = rig_new(42);
    fetch(d, 32);
    CHECK(memcmp(buf(a), buf(d), 32) != 0);
    rig_free(a);
    rig_free(b);
    rig_free(c);
    rig_free(d);
}

static void test_split_and_large_buffers(void)
{
    Rig *r = rig_new(7), *ref = rig_new(7);
    /* 24 bytes over three buffers equal 24 bytes in one. */
    tvq_desc(&r->vq, 0, TVQ_BUF + 0x100, 5, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
    tvq_desc(&r->vq, 1, TVQ_BUF + 0x200, 11, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 2);
    tvq_desc(&r->vq, 2, TVQ_BUF + 0x300, 8, VIRTQ_DESC_F_WRITE, 0);
    tvq_submit(&r->vq, 0);
    CHECK_EQ(tvq_used_len(&r->vq, 0), 24);
    fetch(ref, 24);
    CHECK_MEM(buf(r) + 0x100, buf(ref), 5);
    CHECK_MEM(buf(r) + 0x200, buf(ref) + 5, 11);
    CHECK_MEM(buf(r) + 0x300, buf(ref) + 16, 8);
    /* At most 64 KiB per request. */
    CHECK_EQ(fetch(r, 200000), VIRTIO_RNG_MAX_REQUEST);
    /* A request with no writable buffer is returned with nothing written. */
    uint16_t k = tvq_used_idx(&r->vq);
    tvq_desc(&r->vq, 0, TVQ_BUF, 16, 0, 0);
    tvq_submit(&r->vq, 0);
    CHECK_EQ(tvq_used_idx(&r->vq), (uint16_t)(k + 1));
    CHECK_EQ(tvq_used_len(&r->vq, k), 0);
    CHECK(!tvq_needs_reset(&r->vq));
    /* A buffer outside RAM breaks the device, not the emulator. */
    tvq_desc(&r->vq, 0, 0x4000, 16, VIRTQ_DESC_F_WRITE, 0);
    tvq_submit(&r->vq, 0);
    CHECK(tvq_needs_reset(&r->vq));
    rig_free(r);
    rig_free(ref);
}

int main(void)
{
    test_probe();
    test_seeding();
    test_bytes_follow_the_generator();
    test_determinism();
    test_split_and_large_buffers();
    return unit_summary("test_virtio_rng");
}
