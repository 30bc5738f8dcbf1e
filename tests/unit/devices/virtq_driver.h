/* tests/unit/devices/virtq_driver.h: a minimal virtio-mmio driver for the device tests.
 * It initialises a device the way Linux's virtio_mmio does (VIRTIO 1.2, 3.1.1 "Driver
 * Requirements: Device Initialization" and 4.2.3.2 "Virtqueue Configuration") and lays
 * out one split virtqueue in the test RAM: descriptor table, available ring and used
 * ring, written and read byte by byte in little-endian, so tests can also build broken
 * descriptors on purpose. */
#ifndef HVEMU_VIRTQ_DRIVER_H
#define HVEMU_VIRTQ_DRIVER_H

#include "devices/virtio_mmio.h"
#include "tests/unit/devices/dev_test.h"

#define TVQ_DESC (TEST_RAM_BASE + 0x1000)
#define TVQ_AVAIL (TEST_RAM_BASE + 0x5000)
#define TVQ_USED (TEST_RAM_BASE + 0x6000)
#define TVQ_INDIRECT (TEST_RAM_BASE + 0x8000)
#define TVQ_BUF (TEST_RAM_BASE + 0x10000)

typedef struct TestVq {
    Bus *bus;
    uint64_t mmio;
    uint16_t num;
    uint16_t avail_idx;
} TestVq;

static inline uint32_t tvq_reg(TestVq *v, uint64_t off)
{
    return (uint32_t)test_rd(v->bus, v->mmio + off, 4);
}

static inline void tvq_set(TestVq *v, uint64_t off, uint32_t val)
{
    test_wr(v->bus, v->mmio + off, 4, val);
}

static inline void tvq_add_status(TestVq *v, uint32_t bits)
{
    tvq_set(v, VIRTIO_MMIO_STATUS, tvq_reg(v, VIRTIO_MMIO_STATUS) | bits);
}

static inline uint64_t tvq_device_features(TestVq *v)
{
    tvq_set(v, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
    uint64_t f = (uint64_t)tvq_reg(v, VIRTIO_MMIO_DEVICE_FEATURES) << 32;
    tvq_set(v, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    return f | tvq_reg(v, VIRTIO_MMIO_DEVICE_FEATURES);
}

static inline void tvq_driver_features(TestVq *v, uint64_t f)
{
    tvq_set(v, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    tvq_set(v, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)f);
    tvq_set(v, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    tvq_set(v, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(f >> 32));
}

/* Queue 0 of `num` entries at the fixed ring addresses, zeroed. */
static inline void tvq_setup_queue(TestVq *v, uint16_t num)
{
    static const uint8_t zero[0x4000];
    bus_dma_write(v->bus, TVQ_DESC, zero, 0x4000);
    bus_dma_write(v->bus, TVQ_AVAIL, zero, 0x1000);
    bus_dma_write(v->bus, TVQ_USED, zero, 0x2000);
    v->num = num;
    v->avail_idx = 0;
    tvq_set(v, VIRTIO_MMIO_QUEUE_SEL, 0);
    tvq_set(v, VIRTIO_MMIO_QUEUE_NUM, num);
    tvq_set(v, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)TVQ_DESC);
    tvq_set(v, VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(TVQ_DESC >> 32));
    tvq_set(v, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)TVQ_AVAIL);
    tvq_set(v, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (uint32_t)(TVQ_AVAIL >> 32));
    tvq_set(v, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)TVQ_USED);
    tvq_set(v, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (uint32_t)(TVQ_USED >> 32));
    tvq_set(v, VIRTIO_MMIO_QUEUE_READY, 1);
}

/* Reset, ACKNOWLEDGE, DRIVER, features (the device's, masked by `accept`), FEATURES_OK,
 * queue 0 of `num` entries, and DRIVER_OK when `driver_ok`. False if the device refused
 * the features. */
static inline bool tvq_init(TestVq *v, Bus *bus, uint64_t mmio, uint64_t accept, uint16_t num,
                            bool driver_ok)
{
    *v = (TestVq){ .bus = bus, .mmio = mmio };
    tvq_set(v, VIRTIO_MMIO_STATUS, 0);
    tvq_add_status(v, VIRTIO_STATUS_ACKNOWLEDGE);
    tvq_add_status(v, VIRTIO_STATUS_DRIVER);
    tvq_driver_features(v, tvq_device_features(v) & accept);
    tvq_add_status(v, VIRTIO_STATUS_FEATURES_OK);
    if (!(tvq_reg(v, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK))
        return false;
    tvq_setup_queue(v, num);
    if (driver_ok)
        tvq_add_status(v, VIRTIO_STATUS_DRIVER_OK);
    return true;
}

/* Descriptor i of the table at `table`. */
static inline void tvq_desc_at(TestVq *v, uint64_t table, unsigned i, uint64_t addr, uint32_t len,
                               uint16_t flags, uint16_t next)
{
    uint8_t d[16];
    st_le(d, 8, addr);
    st_le(d + 8, 4, len);
    st_le(d + 12, 2, flags);
    st_le(d + 14, 2, next);
    bus_dma_write(v->bus, table + 16ULL * i, d, sizeof(d));
}

static inline void tvq_desc(TestVq *v, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
                            uint16_t next)
{
    tvq_desc_at(v, TVQ_DESC, i, addr, len, flags, next);
}

static inline void tvq_put16(TestVq *v, uint64_t pa, uint16_t val)
{
    uint8_t b[2];
    st_le(b, 2, val);
    bus_dma_write(v->bus, pa, b, 2);
}

static inline uint64_t tvq_get(TestVq *v, uint64_t pa, unsigned size)
{
    uint8_t b[8] = { 0 };
    bus_dma_read(v->bus, pa, b, size);
    return ld_le(b, size);
}

/* Makes the chain at `head` available without notifying. */
static inline void tvq_make_available(TestVq *v, uint16_t head)
{
    tvq_put16(v, TVQ_AVAIL + 4 + 2ULL * (v->avail_idx % v->num), head);
    v->avail_idx++;
    tvq_put16(v, TVQ_AVAIL + 2, v->avail_idx);
}

static inline void tvq_kick(TestVq *v)
{
    tvq_set(v, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
}

static inline void tvq_submit(TestVq *v, uint16_t head)
{
    tvq_make_available(v, head);
    tvq_kick(v);
}

static inline uint16_t tvq_used_idx(TestVq *v)
{
    return (uint16_t)tvq_get(v, TVQ_USED + 2, 2);
}

/* Used ring element k: id and written length. */
static inline uint32_t tvq_used_id(TestVq *v, uint16_t k)
{
    return (uint32_t)tvq_get(v, TVQ_USED + 4 + 8ULL * (k % v->num), 4);
}

static inline uint32_t tvq_used_len(TestVq *v, uint16_t k)
{
    return (uint32_t)tvq_get(v, TVQ_USED + 8 + 8ULL * (k % v->num), 4);
}

static inline bool tvq_needs_reset(TestVq *v)
{
    return tvq_reg(v, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_DEVICE_NEEDS_RESET;
}

#endif
