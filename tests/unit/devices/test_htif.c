/* tests/unit/devices/test_htif.c: HTIF as riscv-tests and Spike-style programs use it:
 * exit codes from RV64 and RV32 stores, console putchar with its fromhost echo, the
 * SYS_write syscall through a magic_mem array in RAM, fromhost adjacent to tohost or not,
 * and commands that must be ignored safely. */
#include "devices/htif.h"
#include "tests/unit/devices/dev_test.h"

#define TOHOST (TEST_RAM_BASE + 0x1000)
#define FROMHOST_FAR (TEST_RAM_BASE + 0x1040)
#define MAGIC (TEST_RAM_BASE + 0x2000)
#define TEXT (TEST_RAM_BASE + 0x3000)

typedef struct Rig {
    Bus bus;
    VClock clock;
    uint8_t *ram;
    CharDev chr;
    int out_fd;
    TestSys sys;
    Htif htif;
    uint64_t fromhost;
} Rig;

static Rig *rig_new(uint64_t fromhost)
{
    Rig *r = calloc(1, sizeof(*r));
    r->ram = test_bus_init(&r->bus, &r->clock, 64 * 1024);
    test_chardev_init(&r->chr, &r->out_fd);
    r->fromhost = fromhost;
    htif_init(&r->htif, &r->bus, TOHOST, fromhost, &r->chr, test_sysctl(&r->sys));
    return r;
}

static void rig_free(Rig *r)
{
    close(r->chr.out_fd);
    close(r->out_fd);
    free(r->ram);
    free(r);
}

static uint64_t cmd(uint64_t dev, uint64_t c, uint64_t payload)
{
    return (dev << 56) | (c << 48) | payload;
}

static void test_exit(void)
{
    Rig *r = rig_new(TOHOST + 8);
    test_wr(&r->bus, TOHOST, 8, 1); /* pass */
    CHECK_EQ(r->sys.shutdowns, 1);
    CHECK_EQ(r->sys.status, 0);
    CHECK_EQ(test_rd(&r->bus, TOHOST, 8), 0); /* consumed */
    test_wr(&r->bus, TOHOST, 8, (3 << 1) | 1); /* riscv-tests: TESTNUM 3 failed */
    CHECK_EQ(r->sys.shutdowns, 2);
    CHECK_EQ(r->sys.status, 3);
    /* RV32: sw TESTNUM, tohost; sw zero, tohost+4. */
    test_wr(&r->bus, TOHOST, 4, (5 << 1) | 1);
    CHECK_EQ(r->sys.shutdowns, 2); /* the low half alone is not a command */
    test_wr(&r->bus, TOHOST + 4, 4, 0);
    CHECK_EQ(r->sys.shutdowns, 3);
    CHECK_EQ(r->sys.status, 5);
    /* The RAM under the registers is left alone. */
    CHECK_EQ(ld_le(r->ram + 0x1000, 8), 0);
    rig_free(r);
}

static void test_putchar(void)
{
    Rig *r = rig_new(TOHOST + 8);
    char out[16];
    test_wr(&r->bus, TOHOST, 8, cmd(1, 1, 'o'));
    CHECK_EQ(test_rd(&r->bus, TOHOST + 8, 8), cmd(1, 1, 0x100 | 'o'));
    test_wr(&r->bus, TOHOST + 8, 8, 0); /* program acknowledges */
    CHECK_EQ(test_rd(&r->bus, TOHOST + 8, 8), 0);
    test_wr(&r->bus, TOHOST, 8, cmd(1, 1, 'k'));
    /* 4-byte reads of fromhost as RV32 does. */
    CHECK_EQ(test_rd(&r->bus, TOHOST + 8, 4), 0x100 | 'k');
    CHECK_EQ(test_rd(&r->bus, TOHOST + 12, 4), 0x01010000);
    /* RV32 64-bit store split low half first. */
    test_wr(&r->bus, TOHOST, 4, '!');
    test_wr(&r->bus, TOHOST + 4, 4, 0x01010000);
    test_chardev_output(r->out_fd, out, sizeof(out));
    CHECK(strcmp(out, "ok!") == 0);
    CHECK_EQ(r->sys.shutdowns, 0);
    rig_free(r);
}

static void test_far_fromhost(void)
{
    Rig *r = rig_new(FROMHOST_FAR);
    test_wr(&r->bus, TOHOST, 8, cmd(1, 1, 'x'));
    CHECK_EQ(test_rd(&r->bus, FROMHOST_FAR, 8), cmd(1, 1, 0x100 | 'x'));
    /* tohost + 8 is plain RAM again. */
    test_wr(&r->bus, TOHOST + 8, 8, 0x1122334455667788ULL);
    CHECK_EQ(ld_le(r->ram + 0x1008, 8), 0x1122334455667788ULL);
    rig_free(r);
}

static void test_no_fromhost(void)
{
    Rig *r = rig_new(0);
    char out[8];
    test_wr(&r->bus, TOHOST, 8, cmd(1, 1, 'z'));
    test_chardev_output(r->out_fd, out, sizeof(out));
    CHECK(strcmp(out, "z") == 0);
    CHECK_EQ(test_rd(&r->bus, TOHOST + 8, 8), 0); /* RAM */
    rig_free(r);
}

static void put_magic(Rig *r, uint64_t n, uint64_t a0, uint64_t a1, uint64_t a2)
{
    uint64_t m[8] = { n, a0, a1, a2 };
    CHECK(bus_dma_write(&r->bus, MAGIC, m, sizeof(m)));
}

static void test_syscall_write(void)
{
    Rig *r = rig_new(TOHOST + 8);
    char out[64];
    static const char msg[] = "hello, htif\n";
    CHECK(bus_dma_write(&r->bus, TEXT, msg, sizeof(msg) - 1));
    put_magic(r, HTIF_SYS_WRITE, 1, TEXT, sizeof(msg) - 1);
    test_wr(&r->bus, TOHOST, 8, MAGIC);
    test_chardev_output(r->out_fd, out, sizeof(out));
    CHECK(strcmp(out, msg) == 0);
    CHECK_EQ(ld_le(r->ram + 0x2000, 8), sizeof(msg) - 1); /* magic_mem[0] = result */
    CHECK_EQ(test_rd(&r->bus, TOHOST + 8, 8), 1);
    CHECK_EQ(r->sys.shutdowns, 0);
    /* fd 2 works too; a long buffer crosses the copy chunks. */
    static char big[1000];
    memset(big, 'b', sizeof(big));
    CHECK(bus_dma_write(&r->bus, TEXT, big, sizeof(big)));
    put_magic(r, HTIF_SYS_WRITE, 2, TEXT, sizeof(big));
    test_wr(&r->bus, TOHOST + 8, 8, 0);
    test_wr(&r->bus, TOHOST, 8, MAGIC);
    char bigout[2048];
    CHECK_EQ(test_chardev_output(r->out_fd, bigout, sizeof(bigout)), sizeof(big));
    CHECK_EQ(ld_le(r->ram + 0x2000, 8), sizeof(big));
    rig_free(r);
}

static void test_syscall_errors(void)
{
    Rig *r = rig_new(TOHOST + 8);
    char out[16];
    put_magic(r, HTIF_SYS_WRITE, 3, TEXT, 4); /* bad fd */
    test_wr(&r->bus, TOHOST, 8, MAGIC);
    CHECK_EQ(ld_le(r->ram + 0x2000, 8), (uint64_t)-9);
    put_magic(r, HTIF_SYS_WRITE, 1, 0x10, 4); /* buffer outside RAM */
    test_wr(&r->bus, TOHOST, 8, MAGIC);
    CHECK_EQ(ld_le(r->ram + 0x2000, 8), (uint64_t)-14);
    put_magic(r, HTIF_SYS_WRITE, 1, TEST_RAM_BASE + 64 * 1024 - 2, 4); /* runs off RAM */
    test_wr(&r->bus, TOHOST, 8, MAGIC);
    CHECK_EQ(ld_le(r->ram + 0x2000, 8), (uint64_t)-14);
    put_magic(r, 57 /* close */, 3, 0, 0);
    test_wr(&r->bus, TOHOST, 8, MAGIC);
    CHECK_EQ(ld_le(r->ram + 0x2000, 8), (uint64_t)-38);
    CHECK_EQ(test_rd(&r->bus, TOHOST + 8, 8), 1);
    /* magic_mem outside RAM, unknown devices and commands: ignored. */
    test_wr(&r->bus, TOHOST, 8, 0x1000);
    test_wr(&r->bus, TOHOST, 8, cmd(1, 0, 0));  /* getchar */
    test_wr(&r->bus, TOHOST, 8, cmd(7, 3, 1));  /* no such device */
    test_wr(&r->bus, TOHOST, 8, cmd(0, 5, 1));  /* no such command */
    CHECK_EQ(r->sys.shutdowns, 0);
    CHECK_EQ(test_chardev_output(r->out_fd, out, sizeof(out)), 0);
    uint64_t v;
    CHECK(!bus_write(&r->bus, TOHOST, 1, 1)); /* byte stores are not HTIF accesses */
    CHECK(!bus_read(&r->bus, TOHOST, 2, &v));
    rig_free(r);
}

int main(void)
{
    test_exit();
    test_putchar();
    test_far_fromhost();
    test_no_fromhost();
    test_syscall_write();
    test_syscall_errors();
    return unit_summary("test_htif");
}
