/* tests/unit/devices/test_sifive_test.c: the test finisher as a test program and Linux's
 * syscon-poweroff/-reboot drivers use it: pass, fail with a code, reset, ignored values
 * and offsets, and the three FDT nodes. */
#include "devices/sifive_test.h"
#include "tests/unit/devices/dev_test.h"

#define TEST_DEV 0x100000ULL

typedef struct Rig {
    Bus bus;
    VClock clock;
    uint8_t *ram;
    TestSys sys;
    SifiveTest dev;
} Rig;

static Rig *rig_new(void)
{
    Rig *r = calloc(1, sizeof(*r));
    r->ram = test_bus_init(&r->bus, &r->clock, 4096);
    sifive_test_init(&r->dev, &r->bus, TEST_DEV, test_sysctl(&r->sys));
    return r;
}

static void rig_free(Rig *r)
{
    free(r->ram);
    free(r);
}

static void test_pass(void)
{
    Rig *r = rig_new();
    test_wr(&r->bus, TEST_DEV, 4, 0x5555);
    CHECK_EQ(r->sys.shutdowns, 1);
    CHECK_EQ(r->sys.status, 0);
    CHECK_EQ(r->sys.resets, 0);
    rig_free(r);
}

static void test_fail(void)
{
    Rig *r = rig_new();
    test_wr(&r->bus, TEST_DEV, 4, 0x3333 | (42u << 16));
    CHECK_EQ(r->sys.shutdowns, 1);
    CHECK_EQ(r->sys.status, 42);
    test_wr(&r->bus, TEST_DEV, 4, 0x3333); /* code 0 still fails */
    CHECK_EQ(r->sys.shutdowns, 2);
    CHECK_EQ(r->sys.status, 1);
    test_wr(&r->bus, TEST_DEV, 4, 0x3333 | (0xffffu << 16));
    CHECK_EQ(r->sys.status, 0xffff);
    rig_free(r);
}

static void test_reset_and_ignored(void)
{
    Rig *r = rig_new();
    test_wr(&r->bus, TEST_DEV, 4, 0x7777);
    CHECK_EQ(r->sys.resets, 1);
    CHECK_EQ(r->sys.shutdowns, 0);
    test_wr(&r->bus, TEST_DEV, 4, 0x1234);
    test_wr(&r->bus, TEST_DEV, 4, 0);
    test_wr(&r->bus, TEST_DEV + 4, 4, 0x5555); /* other offsets do nothing */
    CHECK_EQ(r->sys.shutdowns, 0);
    CHECK_EQ(r->sys.resets, 1);
    CHECK_EQ(test_rd(&r->bus, TEST_DEV, 4), 0);
    test_wr(&r->bus, TEST_DEV, 2, 0x5555); /* a 16-bit store works too */
    CHECK_EQ(r->sys.shutdowns, 1);
    uint64_t v;
    CHECK(!bus_write(&r->bus, TEST_DEV, 8, 0x5555));
    CHECK(!bus_read(&r->bus, TEST_DEV, 1, &v));
    CHECK_EQ(r->sys.shutdowns, 1);
    rig_free(r);
}

static void test_no_sysctl(void)
{
    Rig *r = rig_new();
    SifiveTest quiet;
    Bus bus = { 0 };
    sifive_test_init(&quiet, &bus, TEST_DEV, (SysCtl){ 0 });
    CHECK(bus_write(&bus, TEST_DEV, 4, 0x5555)); /* no handler: nothing happens */
    CHECK(bus_write(&bus, TEST_DEV, 4, 0x7777));
    rig_free(r);
}

static void test_fdt(void)
{
    Rig *r = rig_new();
    void *fdt = test_fdt_begin();
    CHECK_EQ(sifive_test_fdt(&r->dev, fdt, 5), 0);
    test_fdt_finish(fdt);
    int node = fdt_path_offset(fdt, "/test@100000");
    CHECK(node >= 0);
    CHECK(fdt_node_check_compatible(fdt, node, "sifive,test1") == 0);
    CHECK(fdt_node_check_compatible(fdt, node, "sifive,test0") == 0);
    CHECK(fdt_node_check_compatible(fdt, node, "syscon") == 0);
    CHECK_EQ(fdt_get_phandle(fdt, node), 5);
    CHECK_EQ(test_fdt_cell(fdt, "/test@100000", "reg", 1), TEST_DEV);
    CHECK_EQ(test_fdt_cell(fdt, "/test@100000", "reg", 3), 0x1000);
    int off = fdt_node_offset_by_compatible(fdt, -1, "syscon-poweroff");
    CHECK(off >= 0);
    CHECK_EQ(test_fdt_cell(fdt, "/poweroff", "regmap", 0), 5);
    CHECK_EQ(test_fdt_cell(fdt, "/poweroff", "offset", 0), 0);
    CHECK_EQ(test_fdt_cell(fdt, "/poweroff", "value", 0), 0x5555);
    off = fdt_node_offset_by_compatible(fdt, -1, "syscon-reboot");
    CHECK(off >= 0);
    CHECK_EQ(test_fdt_cell(fdt, "/reboot", "regmap", 0), 5);
    CHECK_EQ(test_fdt_cell(fdt, "/reboot", "value", 0), 0x7777);
    free(fdt);
    rig_free(r);
}

int main(void)
{
    test_pass();
    test_fail();
    test_reset_and_ignored();
    test_no_sysctl();
    test_fdt();
    return unit_summary("test_sifive_test");
}
