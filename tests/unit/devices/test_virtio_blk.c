/* tests/unit/devices/test_virtio_blk.c: virtio-blk over virtio-mmio as a driver sees it:
 * probe registers, feature negotiation, reads and writes of sectors of a temporary file
 * through a split virtqueue laid out in test RAM (direct, indirect and oddly split
 * buffers), FLUSH, GET_ID, errors reported in the status byte, read-only media, and
 * malformed rings (buffers outside RAM, loops, over-long chains, bad indices) that must
 * put the device in DEVICE_NEEDS_RESET without touching anything else. */
#include <errno.h>
#include <stdlib.h>

#include "devices/virtio_blk.h"
#include "tests/unit/devices/virtq_driver.h"

#define MMIO 0x10001000ULL
#define BLK_IRQ 1
#define RAM_SIZE (1024 * 1024)
#define DISK_SIZE (1024 * 1024 + 100) /* a partial sector at the end is not usable */
#define SECTORS (DISK_SIZE / 512)
#define HDR TVQ_BUF
#define STATUS (TVQ_BUF + 0x80)
#define DATA (TVQ_BUF + 0x1000)
#define ALL_FEATURES UINT64_MAX

#define T_IN 0
#define T_OUT 1
#define T_FLUSH 4
#define T_GET_ID 8
#define T_DISCARD 11
#define S_OK 0
#define S_IOERR 1
#define S_UNSUPP 2

typedef struct Rig {
    Bus bus;
    VClock clock;
    uint8_t *ram;
    TestIrqs irqs;
    char path[64];
    int fd;
    VirtioBlk blk;
    VirtioMmio mmio;
    TestVq vq;
} Rig;

static uint8_t disk_byte(uint64_t pos)
{
    return (uint8_t)(pos * 7 + pos / 512);
}

static Rig *rig_new(bool readonly)
{
    Rig *r = calloc(1, sizeof(*r));
    r->ram = test_bus_init(&r->bus, &r->clock, RAM_SIZE);
    const char *tmp = getenv("TMPDIR");
    snprintf(r->path, sizeof(r->path), "%s/hvemu-blk-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    r->fd = mkstemp(r->path);
    if (r->fd < 0) {
        perror("mkstemp");
        exit(2);
    }
    uint8_t *img = malloc(DISK_SIZE);
    for (uint64_t i = 0; i < DISK_SIZE; i++)
        img[i] = disk_byte(i);
    if (write(r->fd, img, DISK_SIZE) != DISK_SIZE) {
        perror("write");
        exit(2);
    }
    free(img);
    virtio_blk_init(&r->blk, &r->bus, r->fd, DISK_SIZE, readonly, "hvemu-disk-0");
    virtio_mmio_init(&r->mmio, &r->bus, MMIO, test_irq(&r->irqs, BLK_IRQ), &r->blk.vdev);
    return r;
}

static void rig_free(Rig *r)
{
    close(r->fd);
    unlink(r->path);
    free(r->ram);
    free(r);
}

static bool irq(Rig *r)
{
    return r->irqs.level[BLK_IRQ];
}

static void put_header(Rig *r, uint32_t type, uint64_t sector)
{
    uint8_t h[16] = { 0 };
    st_le(h, 4, type);
    st_le(h + 8, 8, sector);
    bus_dma_write(&r->bus, HDR, h, sizeof(h));
    uint8_t poison = 0xff;
    bus_dma_write(&r->bus, STATUS, &poison, 1);
}

static uint8_t status_byte(Rig *r)
{
    return (uint8_t)tvq_get(&r->vq, STATUS, 1);
}

/* The usual three-descriptor request: header, data (device-writable for IN/GET_ID), status. */
static void request(Rig *r, uint32_t type, uint64_t sector, uint32_t len, bool data_in)
{
    put_header(r, type, sector);
    tvq_desc(&r->vq, 0, HDR, 16, VIRTQ_DESC_F_NEXT, len ? 1 : 2);
    if (len)
        tvq_desc(&r->vq, 1, DATA, len, VIRTQ_DESC_F_NEXT | (data_in ? VIRTQ_DESC_F_WRITE : 0), 2);
    tvq_desc(&r->vq, 2, STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
    tvq_submit(&r->vq, 0);
}

static bool disk_matches(const uint8_t *buf, uint64_t pos, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (buf[i] != disk_byte(pos + i))
            return false;
    return true;
}

static void ack(Rig *r)
{
    tvq_set(&r->vq, VIRTIO_MMIO_INTERRUPT_ACK, tvq_reg(&r->vq, VIRTIO_MMIO_INTERRUPT_STATUS));
}

static void test_probe(void)
{
    Rig *r = rig_new(false);
    TestVq *v = &r->vq;
    *v = (TestVq){ .bus = &r->bus, .mmio = MMIO };
    CHECK_EQ(tvq_reg(v, VIRTIO_MMIO_MAGIC_VALUE), 0x74726976);
    CHECK_EQ(tvq_reg(v, VIRTIO_MMIO_VERSION), 2);
    CHECK_EQ(tvq_reg(v, VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_BLOCK);
    CHECK(tvq_reg(v, VIRTIO_MMIO_VENDOR_ID) != 0);
    uint64_t f = tvq_device_features(v);
    CHECK(f & (1ULL << VIRTIO_F_VERSION_1));
    CHECK(f & (1ULL << VIRTIO_F_INDIRECT_DESC));
    CHECK(!(f & (1ULL << VIRTIO_F_EVENT_IDX)));
    CHECK(f & (1ULL << 9));   /* VIRTIO_BLK_F_FLUSH */
    CHECK(f & (1ULL << 2));   /* VIRTIO_BLK_F_SEG_MAX */
    CHECK(!(f & (1ULL << 5))); /* not VIRTIO_BLK_F_RO */
    tvq_set(v, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 2);
    CHECK_EQ(tvq_reg(v, VIRTIO_MMIO_DEVICE_FEATURES), 0);
    /* Configuration space: capacity in sectors (two 32-bit reads as Linux does), seg_max. */
    uint64_t cap = tvq_reg(v, VIRTIO_MMIO_CONFIG) |
                   (uint64_t)tvq_reg(v, VIRTIO_MMIO_CONFIG + 4) << 32;
    CHECK_EQ(cap, SECTORS);
    CHECK_EQ(test_rd(&r->bus, MMIO + VIRTIO_MMIO_CONFIG, 8), SECTORS);
    CHECK_EQ(tvq_reg(v, VIRTIO_MMIO_CONFIG + 0x0c), 254);
    CHECK_EQ(test_rd(&r->bus, MMIO + VIRTIO_MMIO_CONFIG + 1, 1), (SECTORS >> 8) & 0xff);
    CHECK_EQ(test_rd(&r->bus, MMIO + VIRTIO_MMIO_CONFIG + 0x200, 4), 0); /* past config */
    CHECK_EQ(tvq_reg(v, VIRTIO_MMIO_CONFIG_GENERATION), 0);
    /* Queues: one, 256 entries, not ready. */
    tvq_set(v, VIRTIO_MMIO_QUEUE_SEL, 0);
    CHECK_EQ(tvq_reg(v, VIRTIO_MMIO_QUEUE_NUM_MAX), 256);
    CHECK_EQ(tvq_reg(v, VIRTIO_MMIO_QUEUE_READY), 0);
    tvq_set(v, VIRTIO_MMIO_QUEUE_SEL, 1);
    CHECK_EQ(tvq_reg(v, VIRTIO_MMIO_QUEUE_NUM_MAX), 0);
    /* No shared memory regions: length reads as all ones. */
    CHECK_EQ(tvq_reg(v, VIRTIO_MMIO_SHM_LEN_LOW), 0xffffffff);
    CHECK_EQ(tvq_reg(v, VIRTIO_MMIO_SHM_LEN_HIGH), 0xffffffff);
    /* Registers want 32-bit accesses: a byte read of MagicValue gives nothing. */
    CHECK_EQ(test_rd(&r->bus, MMIO, 1), 0);
    rig_free(r);
}

static void test_feature_negotiation(void)
{
    Rig *r = rig_new(false);
    /* Without VIRTIO_F_VERSION_1 a modern device refuses FEATURES_OK. */
    CHECK(!tvq_init(&r->vq, &r->bus, MMIO, ~(1ULL << VIRTIO_F_VERSION_1), 256, true));
    /* A bit the device does not offer is refused too. */
    TestVq *v = &r->vq;
    tvq_set(v, VIRTIO_MMIO_STATUS, 0);
    tvq_add_status(v, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    tvq_driver_features(v, (1ULL << VIRTIO_F_VERSION_1) | (1ULL << VIRTIO_F_EVENT_IDX));
    tvq_add_status(v, VIRTIO_STATUS_FEATURES_OK);
    CHECK(!(tvq_reg(v, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK));
    CHECK(tvq_init(&r->vq, &r->bus, MMIO, ALL_FEATURES, 256, true));
    CHECK_EQ(tvq_reg(v, VIRTIO_MMIO_STATUS), 0x0f);
    CHECK_EQ(tvq_reg(v, VIRTIO_MMIO_QUEUE_READY), 1);
    /* Reset clears everything. */
    tvq_set(v, VIRTIO_MMIO_STATUS, 0);
    CHECK_EQ(tvq_reg(v, VIRTIO_MMIO_STATUS), 0);
    CHECK_EQ(tvq_reg(v, VIRTIO_MMIO_QUEUE_READY), 0);
    CHECK(!virtio_has_feature(&r->blk.vdev, VIRTIO_F_VERSION_1));
    rig_free(r);
}

static void test_read_write(void)
{
    Rig *r = rig_new(false);
    CHECK(tvq_init(&r->vq, &r->bus, MMIO, ALL_FEATURES, 256, true));
    CHECK(!irq(r));

    /* Read sectors 3 and 4. */
    request(r, T_IN, 3, 1024, true);
    CHECK_EQ(tvq_used_idx(&r->vq), 1);
    CHECK_EQ(tvq_used_id(&r->vq, 0), 0);
    CHECK_EQ(tvq_used_len(&r->vq, 0), 1025);
    CHECK_EQ(status_byte(r), S_OK);
    CHECK(disk_matches(r->ram + (DATA - TEST_RAM_BASE), 3 * 512, 1024));
    CHECK(irq(r));
    CHECK_EQ(tvq_reg(&r->vq, VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_MMIO_INT_VRING);
    ack(r);
    CHECK(!irq(r));
    CHECK_EQ(tvq_reg(&r->vq, VIRTIO_MMIO_INTERRUPT_STATUS), 0);

    /* Write sector 5 and read the file back. */
    uint8_t data[512];
    for (int i = 0; i < 512; i++)
        data[i] = (uint8_t)(0xa0 ^ i);
    bus_dma_write(&r->bus, DATA, data, sizeof(data));
    request(r, T_OUT, 5, 512, false);
    CHECK_EQ(tvq_used_idx(&r->vq), 2);
    CHECK_EQ(tvq_used_len(&r->vq, 1), 1);
    CHECK_EQ(status_byte(r), S_OK);
    uint8_t back[512];
    CHECK_EQ(pread(r->fd, back, sizeof(back), 5 * 512), 512);
    CHECK_MEM(back, data, sizeof(data));
    CHECK_EQ(pread(r->fd, back, 1, 6 * 512), 1);
    CHECK_EQ(back[0], disk_byte(6 * 512)); /* the next sector is untouched */

    /* The last whole sector is readable; the one after it is not. */
    request(r, T_IN, SECTORS - 1, 512, true);
    CHECK_EQ(status_byte(r), S_OK);
    CHECK(disk_matches(r->ram + (DATA - TEST_RAM_BASE), (SECTORS - 1) * 512ULL, 512));
    request(r, T_IN, SECTORS, 512, true);
    CHECK_EQ(status_byte(r), S_IOERR);
    CHECK_EQ(tvq_used_len(&r->vq, 3), 1);
    request(r, T_IN, SECTORS - 1, 1024, true);
    CHECK_EQ(status_byte(r), S_IOERR);
    request(r, T_OUT, UINT64_MAX / 256, 512, false); /* sector * 512 would overflow */
    CHECK_EQ(status_byte(r), S_IOERR);
    request(r, T_IN, 0, 100, true); /* not a whole number of sectors */
    CHECK_EQ(status_byte(r), S_IOERR);
    CHECK(!tvq_needs_reset(&r->vq));
    CHECK_EQ(tvq_used_idx(&r->vq), 7);
    rig_free(r);
}

/* Any layout (VIRTIO_F_VERSION_1): the header shares a buffer with the data, the data is
 * split over odd sizes, the status byte shares a buffer with the end of the data. */
static void test_any_layout(void)
{
    Rig *r = rig_new(false);
    CHECK(tvq_init(&r->vq, &r->bus, MMIO, ALL_FEATURES, 256, true));
    uint8_t req[16 + 1024] = { 0 };
    st_le(req, 4, T_OUT);
    st_le(req + 8, 8, 10);
    for (int i = 0; i < 1024; i++)
        req[16 + i] = (uint8_t)(i * 13);
    bus_dma_write(&r->bus, DATA, req, sizeof(req));
    tvq_desc(&r->vq, 7, DATA, 16 + 300, VIRTQ_DESC_F_NEXT, 3);
    tvq_desc(&r->vq, 3, DATA + 316, 724, VIRTQ_DESC_F_NEXT, 9);
    tvq_desc(&r->vq, 9, STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
    put_header(r, 0, 0); /* only to poison the status byte */
    tvq_submit(&r->vq, 7);
    CHECK_EQ(status_byte(r), S_OK);
    CHECK_EQ(tvq_used_id(&r->vq, 0), 7);
    uint8_t back[1024];
    CHECK_EQ(pread(r->fd, back, sizeof(back), 10 * 512), 1024);
    CHECK_MEM(back, req + 16, 1024);

    /* Read it back into three buffers: 100 + 412 bytes, then 512 data bytes + status. */
    put_header(r, T_IN, 10);
    tvq_desc(&r->vq, 0, HDR, 16, VIRTQ_DESC_F_NEXT, 1);
    tvq_desc(&r->vq, 1, TVQ_BUF + 0x4000, 100, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
    tvq_desc(&r->vq, 2, TVQ_BUF + 0x5000, 412, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 4);
    tvq_desc(&r->vq, 4, TVQ_BUF + 0x6000, 513, VIRTQ_DESC_F_WRITE, 0);
    tvq_submit(&r->vq, 0);
    CHECK_EQ(tvq_used_len(&r->vq, 1), 1025);
    uint8_t *ram = r->ram - TEST_RAM_BASE;
    CHECK_MEM(ram + TVQ_BUF + 0x4000, req + 16, 100);
    CHECK_MEM(ram + TVQ_BUF + 0x5000, req + 116, 412);
    CHECK_MEM(ram + TVQ_BUF + 0x6000, req + 528, 512);
    CHECK_EQ(ram[TVQ_BUF + 0x6000 + 512], S_OK);
    rig_free(r);
}

static void test_indirect(void)
{
    Rig *r = rig_new(false);
    CHECK(tvq_init(&r->vq, &r->bus, MMIO, ALL_FEATURES, 256, true));
    put_header(r, T_IN, 2);
    tvq_desc_at(&r->vq, TVQ_INDIRECT, 0, HDR, 16, VIRTQ_DESC_F_NEXT, 1);
    tvq_desc_at(&r->vq, TVQ_INDIRECT, 1, DATA, 512, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
    tvq_desc_at(&r->vq, TVQ_INDIRECT, 2, STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
    tvq_desc(&r->vq, 5, TVQ_INDIRECT, 3 * 16, VIRTQ_DESC_F_INDIRECT, 0);
    tvq_submit(&r->vq, 5);
    CHECK_EQ(tvq_used_id(&r->vq, 0), 5);
    CHECK_EQ(tvq_used_len(&r->vq, 0), 513);
    CHECK_EQ(status_byte(r), S_OK);
    CHECK(disk_matches(r->ram + (DATA - TEST_RAM_BASE), 2 * 512, 512));

    /* Direct descriptors followed by one indirect (spec 2.7.5.3.2). */
    put_header(r, T_IN, 4);
    tvq_desc(&r->vq, 6, HDR, 16, VIRTQ_DESC_F_NEXT, 8);
    uint64_t table = TVQ_INDIRECT + 0x100;
    tvq_desc_at(&r->vq, table, 0, DATA, 512, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 1);
    tvq_desc_at(&r->vq, table, 1, STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
    tvq_desc(&r->vq, 8, table, 2 * 16, VIRTQ_DESC_F_INDIRECT, 0);
    tvq_submit(&r->vq, 6);
    CHECK_EQ(tvq_used_id(&r->vq, 1), 6);
    CHECK_EQ(status_byte(r), S_OK);
    CHECK(disk_matches(r->ram + (DATA - TEST_RAM_BASE), 4 * 512, 512));
    CHECK(!tvq_needs_reset(&r->vq));
    rig_free(r);
}

static void test_flush_get_id_unsupported(void)
{
    Rig *r = rig_new(false);
    CHECK(tvq_init(&r->vq, &r->bus, MMIO, ALL_FEATURES, 256, true));
    request(r, T_FLUSH, 0, 0, false);
    CHECK_EQ(status_byte(r), S_OK);
    CHECK_EQ(tvq_used_len(&r->vq, 0), 1);

    uint8_t junk[20];
    memset(junk, 'x', sizeof(junk));
    bus_dma_write(&r->bus, DATA, junk, sizeof(junk));
    request(r, T_GET_ID, 0, 20, true);
    CHECK_EQ(status_byte(r), S_OK);
    CHECK_EQ(tvq_used_len(&r->vq, 1), 21);
    char id[21] = { 0 };
    bus_dma_read(&r->bus, DATA, id, 20);
    CHECK(strcmp(id, "hvemu-disk-0") == 0);

    request(r, T_DISCARD, 0, 16, false);
    CHECK_EQ(status_byte(r), S_UNSUPP);
    request(r, 0x7fffffff, 0, 0, false);
    CHECK_EQ(status_byte(r), S_UNSUPP);
    CHECK(!tvq_needs_reset(&r->vq));
    rig_free(r);
}

static void test_readonly(void)
{
    Rig *r = rig_new(true);
    CHECK(tvq_init(&r->vq, &r->bus, MMIO, ALL_FEATURES, 256, true));
    CHECK(virtio_has_feature(&r->blk.vdev, 5)); /* VIRTIO_BLK_F_RO */
    uint8_t data[512];
    memset(data, 0x55, sizeof(data));
    bus_dma_write(&r->bus, DATA, data, sizeof(data));
    request(r, T_OUT, 1, 512, false);
    CHECK_EQ(status_byte(r), S_IOERR);
    uint8_t back[512];
    CHECK_EQ(pread(r->fd, back, sizeof(back), 512), 512);
    CHECK(disk_matches(back, 512, 512));
    request(r, T_IN, 1, 512, true);
    CHECK_EQ(status_byte(r), S_OK);
    request(r, T_FLUSH, 0, 0, false);
    CHECK_EQ(status_byte(r), S_OK);
    rig_free(r);
}

/* Requests made available before DRIVER_OK wait for it; NO_INTERRUPT is honoured. */
static void test_driver_ok_and_no_interrupt(void)
{
    Rig *r = rig_new(false);
    CHECK(tvq_init(&r->vq, &r->bus, MMIO, ALL_FEATURES, 256, false));
    request(r, T_IN, 0, 512, true);
    CHECK_EQ(tvq_used_idx(&r->vq), 0);
    CHECK_EQ(status_byte(r), 0xff);
    tvq_add_status(&r->vq, VIRTIO_STATUS_DRIVER_OK);
    CHECK_EQ(tvq_used_idx(&r->vq), 1);
    CHECK_EQ(status_byte(r), S_OK);
    CHECK(irq(r));
    ack(r);
    tvq_put16(&r->vq, TVQ_AVAIL, VIRTQ_AVAIL_F_NO_INTERRUPT);
    request(r, T_IN, 1, 512, true);
    CHECK_EQ(tvq_used_idx(&r->vq), 2);
    CHECK(!irq(r));
    rig_free(r);
}

/* A fresh device with DRIVER_OK, a queue of `num` entries and the interrupt acked. */
static Rig *ready_rig(uint16_t num, uint64_t features)
{
    Rig *r = rig_new(false);
    CHECK(tvq_init(&r->vq, &r->bus, MMIO, features, num, true));
    put_header(r, T_IN, 0); /* poisons the status byte */
    return r;
}

/* The device refused the chain: NEEDS_RESET, a config interrupt, nothing used, later
 * notifications ignored, and a reset brings it back. */
static void expect_broken(Rig *r, const char *what)
{
    bool ok = tvq_needs_reset(&r->vq) && irq(r) &&
              (tvq_reg(&r->vq, VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_MMIO_INT_CONFIG) &&
              tvq_used_idx(&r->vq) == 0 && status_byte(r) == 0xff;
    if (!ok)
        fprintf(stderr, "expect_broken(%s): device did not refuse the request\n", what);
    CHECK(ok);
    CHECK(r->blk.vdev.error != NULL);
    /* Still broken: a valid request is not served. */
    request(r, T_IN, 0, 512, true);
    CHECK_EQ(tvq_used_idx(&r->vq), 0);
    /* Reset and start over. */
    CHECK(tvq_init(&r->vq, &r->bus, MMIO, ALL_FEATURES, 256, true));
    CHECK(!tvq_needs_reset(&r->vq));
    CHECK(!irq(r));
    request(r, T_IN, 0, 512, true);
    CHECK_EQ(tvq_used_idx(&r->vq), 1);
    CHECK_EQ(status_byte(r), S_OK);
    rig_free(r);
}

static void test_bad_descriptors(void)
{
    Rig *r;
    const uint16_t N = VIRTQ_DESC_F_NEXT, W = VIRTQ_DESC_F_WRITE;

    /* Buffer address outside RAM. */
    r = ready_rig(256, ALL_FEATURES);
    put_header(r, T_IN, 0);
    tvq_desc(&r->vq, 0, HDR, 16, N, 1);
    tvq_desc(&r->vq, 1, 0x1000, 512, N | W, 2);
    tvq_desc(&r->vq, 2, STATUS, 1, W, 0);
    tvq_submit(&r->vq, 0);
    expect_broken(r, "buffer outside RAM");

    /* Buffer running past the end of RAM. */
    r = ready_rig(256, ALL_FEATURES);
    put_header(r, T_IN, 0);
    tvq_desc(&r->vq, 0, HDR, 16, N, 1);
    tvq_desc(&r->vq, 1, TEST_RAM_BASE + RAM_SIZE - 256, 512, N | W, 2);
    tvq_desc(&r->vq, 2, STATUS, 1, W, 0);
    tvq_submit(&r->vq, 0);
    expect_broken(r, "buffer past RAM end");

    /* Buffer whose address + length wraps around 2^64. */
    r = ready_rig(256, ALL_FEATURES);
    put_header(r, T_IN, 0);
    tvq_desc(&r->vq, 0, HDR, 16, N, 1);
    tvq_desc(&r->vq, 1, UINT64_MAX - 100, 512, N | W, 2);
    tvq_desc(&r->vq, 2, STATUS, 1, W, 0);
    tvq_submit(&r->vq, 0);
    expect_broken(r, "wrapping buffer");

    /* A chain that loops: 0 -> 1 -> 0. */
    r = ready_rig(256, ALL_FEATURES);
    put_header(r, T_IN, 0);
    tvq_desc(&r->vq, 0, HDR, 16, N, 1);
    tvq_desc(&r->vq, 1, DATA, 512, N | W, 0);
    tvq_submit(&r->vq, 0);
    expect_broken(r, "loop");

    /* A loop inside an indirect table. */
    r = ready_rig(256, ALL_FEATURES);
    put_header(r, T_IN, 0);
    tvq_desc_at(&r->vq, TVQ_INDIRECT, 0, HDR, 16, N, 1);
    tvq_desc_at(&r->vq, TVQ_INDIRECT, 1, DATA, 512, N | W, 1);
    tvq_desc(&r->vq, 0, TVQ_INDIRECT, 2 * 16, VIRTQ_DESC_F_INDIRECT, 0);
    tvq_submit(&r->vq, 0);
    expect_broken(r, "indirect loop");

    /* Too long: an indirect table with more entries than the queue size (8). */
    r = ready_rig(8, ALL_FEATURES);
    put_header(r, T_IN, 0);
    tvq_desc_at(&r->vq, TVQ_INDIRECT, 0, HDR, 16, N, 1);
    for (unsigned i = 1; i < 8; i++)
        tvq_desc_at(&r->vq, TVQ_INDIRECT, i, DATA + 512 * (i - 1), 512, N | W, (uint16_t)(i + 1));
    tvq_desc_at(&r->vq, TVQ_INDIRECT, 8, STATUS, 1, W, 0);
    tvq_desc(&r->vq, 0, TVQ_INDIRECT, 9 * 16, VIRTQ_DESC_F_INDIRECT, 0);
    tvq_submit(&r->vq, 0);
    expect_broken(r, "indirect table longer than the queue");

    /* Too long: 4 direct buffers and an indirect table of 5, queue size 8. */
    r = ready_rig(8, ALL_FEATURES);
    put_header(r, T_IN, 0);
    tvq_desc(&r->vq, 0, HDR, 16, N, 1);
    tvq_desc(&r->vq, 1, DATA, 512, N | W, 2);
    tvq_desc(&r->vq, 2, DATA + 512, 512, N | W, 3);
    tvq_desc(&r->vq, 3, DATA + 1024, 512, N | W, 4);
    tvq_desc(&r->vq, 4, TVQ_INDIRECT, 5 * 16, VIRTQ_DESC_F_INDIRECT, 0);
    for (unsigned i = 0; i < 4; i++)
        tvq_desc_at(&r->vq, TVQ_INDIRECT, i, DATA + 2048 + 512 * i, 512, N | W, (uint16_t)(i + 1));
    tvq_desc_at(&r->vq, TVQ_INDIRECT, 4, STATUS, 1, W, 0);
    tvq_submit(&r->vq, 0);
    expect_broken(r, "chain longer than the queue");

    /* Head index past the queue size. */
    r = ready_rig(8, ALL_FEATURES);
    tvq_submit(&r->vq, 8);
    expect_broken(r, "head out of range");

    /* next index past the queue size. */
    r = ready_rig(8, ALL_FEATURES);
    put_header(r, T_IN, 0);
    tvq_desc(&r->vq, 0, HDR, 16, N, 200);
    tvq_submit(&r->vq, 0);
    expect_broken(r, "next out of range");

    /* The available index jumps further than the queue size. */
    r = ready_rig(8, ALL_FEATURES);
    tvq_put16(&r->vq, TVQ_AVAIL + 2, 9);
    tvq_kick(&r->vq);
    expect_broken(r, "available index");

    /* Indirect descriptor without the negotiated feature. */
    r = ready_rig(256, ALL_FEATURES & ~(1ULL << VIRTIO_F_INDIRECT_DESC));
    put_header(r, T_IN, 0);
    tvq_desc_at(&r->vq, TVQ_INDIRECT, 0, HDR, 16, 0, 0);
    tvq_desc(&r->vq, 0, TVQ_INDIRECT, 16, VIRTQ_DESC_F_INDIRECT, 0);
    tvq_submit(&r->vq, 0);
    expect_broken(r, "indirect not negotiated");

    /* Nested indirect table. */
    r = ready_rig(256, ALL_FEATURES);
    tvq_desc_at(&r->vq, TVQ_INDIRECT, 0, TVQ_INDIRECT + 0x100, 16, VIRTQ_DESC_F_INDIRECT, 0);
    tvq_desc(&r->vq, 0, TVQ_INDIRECT, 16, VIRTQ_DESC_F_INDIRECT, 0);
    tvq_submit(&r->vq, 0);
    expect_broken(r, "nested indirect");

    /* Indirect table outside RAM, and of a length that is not a multiple of 16. */
    r = ready_rig(256, ALL_FEATURES);
    tvq_desc(&r->vq, 0, 0x2000, 32, VIRTQ_DESC_F_INDIRECT, 0);
    tvq_submit(&r->vq, 0);
    expect_broken(r, "indirect table outside RAM");
    r = ready_rig(256, ALL_FEATURES);
    tvq_desc(&r->vq, 0, TVQ_INDIRECT, 24, VIRTQ_DESC_F_INDIRECT, 0);
    tvq_submit(&r->vq, 0);
    expect_broken(r, "indirect length");

    /* A device-readable buffer after a device-writable one. */
    r = ready_rig(256, ALL_FEATURES);
    put_header(r, T_IN, 0);
    tvq_desc(&r->vq, 0, STATUS, 1, N | W, 1);
    tvq_desc(&r->vq, 1, HDR, 16, 0, 0);
    tvq_submit(&r->vq, 0);
    expect_broken(r, "readable after writable");

    /* No header / no status byte. */
    r = ready_rig(256, ALL_FEATURES);
    put_header(r, T_IN, 0);
    tvq_desc(&r->vq, 0, HDR, 8, N, 1);
    tvq_desc(&r->vq, 1, STATUS, 1, W, 0);
    tvq_submit(&r->vq, 0);
    expect_broken(r, "short header");
    r = ready_rig(256, ALL_FEATURES);
    put_header(r, T_IN, 0);
    tvq_desc(&r->vq, 0, HDR, 16, 0, 0);
    tvq_submit(&r->vq, 0);
    expect_broken(r, "no status byte");
}

static void test_bad_queue_setup(void)
{
    Rig *r = rig_new(false);
    TestVq *v = &r->vq;
    *v = (TestVq){ .bus = &r->bus, .mmio = MMIO };
    tvq_set(v, VIRTIO_MMIO_STATUS, 0);
    tvq_add_status(v, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    tvq_driver_features(v, 1ULL << VIRTIO_F_VERSION_1);
    tvq_add_status(v, VIRTIO_STATUS_FEATURES_OK);
    /* Rings outside RAM. */
    tvq_set(v, VIRTIO_MMIO_QUEUE_SEL, 0);
    tvq_set(v, VIRTIO_MMIO_QUEUE_NUM, 256);
    tvq_set(v, VIRTIO_MMIO_QUEUE_DESC_LOW, 0x1000);
    tvq_set(v, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)TVQ_AVAIL);
    tvq_set(v, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, 0);
    tvq_set(v, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)TVQ_USED);
    tvq_set(v, VIRTIO_MMIO_QUEUE_READY, 1);
    CHECK_EQ(tvq_reg(v, VIRTIO_MMIO_QUEUE_READY), 0);
    CHECK(tvq_needs_reset(v));
    CHECK(!irq(r)); /* no notification before DRIVER_OK */
    /* A queue size that is not a power of two. */
    CHECK(tvq_init(v, &r->bus, MMIO, ALL_FEATURES, 256, false));
    tvq_set(v, VIRTIO_MMIO_QUEUE_READY, 0);
    tvq_set(v, VIRTIO_MMIO_QUEUE_NUM, 100);
    tvq_set(v, VIRTIO_MMIO_QUEUE_READY, 1);
    CHECK_EQ(tvq_reg(v, VIRTIO_MMIO_QUEUE_READY), 0);
    CHECK(tvq_needs_reset(v));
    /* Bigger than QueueNumMax. */
    CHECK(tvq_init(v, &r->bus, MMIO, ALL_FEATURES, 512, false));
    CHECK(tvq_needs_reset(v));
    /* Notifying a queue that does not exist does nothing. */
    CHECK(tvq_init(v, &r->bus, MMIO, ALL_FEATURES, 256, true));
    tvq_set(v, VIRTIO_MMIO_QUEUE_NOTIFY, 5);
    CHECK(!tvq_needs_reset(v));
    rig_free(r);
}

static void test_fdt(void)
{
    Rig *r = rig_new(false);
    void *fdt = test_fdt_begin();
    CHECK_EQ(virtio_mmio_fdt(&r->mmio, fdt, 8, 3), 0);
    test_fdt_finish(fdt);
    const char *path = "/virtio_mmio@10001000";
    int node = fdt_path_offset(fdt, path);
    CHECK(node >= 0);
    CHECK(fdt_node_check_compatible(fdt, node, "virtio,mmio") == 0);
    CHECK_EQ(test_fdt_cell(fdt, path, "reg", 1), MMIO);
    CHECK_EQ(test_fdt_cell(fdt, path, "reg", 3), 0x1000);
    CHECK_EQ(test_fdt_cell(fdt, path, "interrupts", 0), 8);
    CHECK_EQ(test_fdt_cell(fdt, path, "interrupt-parent", 0), 3);
    free(fdt);
    rig_free(r);
}

int main(void)
{
    test_probe();
    test_feature_negotiation();
    test_read_write();
    test_any_layout();
    test_indirect();
    test_flush_get_id_unsupported();
    test_readonly();
    test_driver_ok_and_no_interrupt();
    test_bad_descriptors();
    test_bad_queue_setup();
    test_fdt();
    return unit_summary("test_virtio_blk");
}
