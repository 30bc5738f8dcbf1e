/* tests/unit/devices/dev_test.h: the pieces of a machine the device tests need: a Bus
 * with one RAM array, a hand-driven VClock, interrupt lines that record their level, a
 * SysCtl that records power-off and reset requests, a CharDev whose output is captured
 * through a pipe, and an FDT under construction. */
#ifndef HVEMU_DEV_TEST_H
#define HVEMU_DEV_TEST_H

#include <fcntl.h>
#include <libfdt.h>
#include <stdlib.h>
#include <unistd.h>

#include "devices/bus.h"
#include "devices/chardev.h"
#include "tests/unit/unit.h"

#define TEST_RAM_BASE 0x80000000ULL
#define TEST_MAX_LINES 256

typedef struct TestIrqs {
    bool level[TEST_MAX_LINES];
    unsigned rises[TEST_MAX_LINES];
} TestIrqs;

static inline void test_irq_set(void *opaque, unsigned n, bool level)
{
    TestIrqs *t = opaque;
    if (n >= TEST_MAX_LINES)
        return;
    if (level && !t->level[n])
        t->rises[n]++;
    t->level[n] = level;
}

static inline IrqLine test_irq(TestIrqs *t, unsigned n)
{
    return (IrqLine){ .set = test_irq_set, .opaque = t, .n = n };
}

typedef struct TestSys {
    unsigned shutdowns, resets;
    int status;
} TestSys;

static inline void test_shutdown(void *opaque, int status)
{
    TestSys *s = opaque;
    s->shutdowns++;
    s->status = status;
}

static inline void test_reset(void *opaque)
{
    ((TestSys *)opaque)->resets++;
}

static inline SysCtl test_sysctl(TestSys *s)
{
    return (SysCtl){ .shutdown = test_shutdown, .reset = test_reset, .opaque = s };
}

/* A bus with `ram_size` bytes of zeroed RAM at TEST_RAM_BASE and the given clock. */
static inline uint8_t *test_bus_init(Bus *b, VClock *clock, size_t ram_size)
{
    uint8_t *ram = calloc(1, ram_size);
    *b = (Bus){ .clock = clock };
    bus_map_ram(b, "ram", TEST_RAM_BASE, ram_size, ram);
    return ram;
}

/* Register accesses as a CPU makes them; a refused access counts as a failed check. */
static inline uint64_t test_rd(Bus *b, uint64_t pa, unsigned size)
{
    uint64_t v = 0;
    if (!bus_read(b, pa, size, &v)) {
        unit_fail();
        fprintf(stderr, "bus_read(0x%" PRIx64 ", %u) refused\n", pa, size);
    }
    return v;
}

static inline void test_wr(Bus *b, uint64_t pa, unsigned size, uint64_t v)
{
    if (!bus_write(b, pa, size, v)) {
        unit_fail();
        fprintf(stderr, "bus_write(0x%" PRIx64 ", %u) refused\n", pa, size);
    }
}

/* A CharDev whose output lands in a non-blocking pipe; *read_fd is the reading end. */
static inline void test_chardev_init(CharDev *c, int *read_fd)
{
    int fds[2];
    if (pipe(fds) != 0) {
        perror("pipe");
        exit(2);
    }
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    chardev_init(c, fds[1]);
    *read_fd = fds[0];
}

/* Everything written to the CharDev since the last call, NUL-terminated. */
static inline size_t test_chardev_output(int read_fd, char *buf, size_t cap)
{
    size_t n = 0;
    while (n + 1 < cap) {
        ssize_t r = read(read_fd, buf + n, cap - 1 - n);
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    buf[n] = 0;
    return n;
}

/* An FDT in sequential-write mode, positioned inside an open root node that has
 * #address-cells = #size-cells = 2. */
static inline void *test_fdt_begin(void)
{
    size_t size = 64 * 1024;
    void *fdt = malloc(size);
    if (fdt_create(fdt, (int)size) || fdt_finish_reservemap(fdt) || fdt_begin_node(fdt, "") ||
        fdt_property_u32(fdt, "#address-cells", 2) || fdt_property_u32(fdt, "#size-cells", 2)) {
        fprintf(stderr, "cannot start an FDT\n");
        exit(2);
    }
    return fdt;
}

/* Closes the root and the tree and opens the blob for reading. */
static inline void test_fdt_finish(void *fdt)
{
    if (fdt_end_node(fdt) || fdt_finish(fdt) || fdt_check_header(fdt)) {
        fprintf(stderr, "cannot finish the FDT\n");
        exit(2);
    }
}

/* Cell i of property `prop` of the node at `path`, or 0xdeadbeef when missing. */
static inline uint32_t test_fdt_cell(const void *fdt, const char *path, const char *prop,
                                     unsigned i)
{
    int node = fdt_path_offset(fdt, path), len = 0;
    if (node < 0)
        return 0xdeadbeef;
    const fdt32_t *p = fdt_getprop(fdt, node, prop, &len);
    if (!p || (unsigned)len < (i + 1) * 4)
        return 0xdeadbeef;
    return fdt32_to_cpu(p[i]);
}

/* Length of property `prop` of the node at `path`, or -1. */
static inline int test_fdt_len(const void *fdt, const char *path, const char *prop)
{
    int node = fdt_path_offset(fdt, path), len = -1;
    if (node < 0 || !fdt_getprop(fdt, node, prop, &len))
        return -1;
    return len;
}

#endif
