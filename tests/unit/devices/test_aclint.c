/* tests/unit/devices/test_aclint.c: the CLINT-layout ACLINT as OpenSBI and the built-in
 * SBI drive it: mtime from the virtual clock, mtimecmp arming a VTimer so that MTIP rises
 * exactly when mtime reaches mtimecmp, 4-byte halves, mtime writes, msip, SSWI and the
 * FDT nodes. The virtual clock is advanced by hand. */
#include "devices/aclint.h"
#include "tests/unit/devices/dev_test.h"

#define CLINT 0x02000000ULL
#define SSWI 0x02f00000ULL
#define MSIP(h) (CLINT + 4 * (h))
#define MTIMECMP(h) (CLINT + 0x4000 + 8 * (h))
#define MTIME (CLINT + 0xbff8)
#define NHARTS 2
#define LINE_MSIP 0
#define LINE_MTIP 10
#define LINE_SSIP 20

typedef struct Rig {
    Bus bus;
    VClock clock;
    uint8_t *ram;
    TestIrqs irqs;
    Aclint aclint;
} Rig;

static Rig *rig_new(void)
{
    Rig *r = calloc(1, sizeof(*r));
    IrqLine msip[NHARTS], mtip[NHARTS];
    r->ram = test_bus_init(&r->bus, &r->clock, 4096);
    for (unsigned h = 0; h < NHARTS; h++) {
        msip[h] = test_irq(&r->irqs, LINE_MSIP + h);
        mtip[h] = test_irq(&r->irqs, LINE_MTIP + h);
    }
    aclint_init(&r->aclint, &r->bus, CLINT, &r->clock, 100, NHARTS, msip, mtip);
    return r;
}

static void rig_free(Rig *r)
{
    free(r->ram);
    free(r);
}

/* The machine loop reaching virtual time t at a quantum boundary. */
static void advance(Rig *r, uint64_t t)
{
    r->clock.base = t;
    r->clock.offset = 0;
    vclock_run_timers(&r->clock, t);
}

static bool mtip(Rig *r, unsigned h)
{
    return r->irqs.level[LINE_MTIP + h];
}

static void test_mtime(void)
{
    Rig *r = rig_new();
    CHECK_EQ(test_rd(&r->bus, MTIME, 8), 0);
    advance(r, 1000);
    CHECK_EQ(test_rd(&r->bus, MTIME, 8), 10);
    r->clock.offset = 250; /* the running vCPU's progress counts */
    CHECK_EQ(test_rd(&r->bus, MTIME, 8), 12);
    CHECK_EQ(aclint_get_mtime(&r->aclint), 12);
    /* Writes keep an offset: mtime goes on counting from the new value. */
    test_wr(&r->bus, MTIME, 8, 0x100000000ULL);
    CHECK_EQ(test_rd(&r->bus, MTIME, 8), 0x100000000ULL);
    advance(r, 1250 + 500);
    CHECK_EQ(test_rd(&r->bus, MTIME, 8), 0x100000005ULL);
    CHECK_EQ(test_rd(&r->bus, MTIME, 4), 5);
    CHECK_EQ(test_rd(&r->bus, MTIME + 4, 4), 1);
    test_wr(&r->bus, MTIME + 4, 4, 0);
    CHECK_EQ(test_rd(&r->bus, MTIME, 8), 5);
    /* Reset value of mtimecmp: no timer interrupt. */
    CHECK_EQ(test_rd(&r->bus, MTIMECMP(0), 8), UINT64_MAX);
    CHECK(!mtip(r, 0));
    CHECK_EQ(vclock_next_deadline(&r->clock), UINT64_MAX);
    rig_free(r);
}

static void test_mtimecmp_arming(void)
{
    Rig *r = rig_new();
    advance(r, 1000); /* mtime 10 */
    test_wr(&r->bus, MTIMECMP(0), 8, 20);
    CHECK(!mtip(r, 0));
    CHECK_EQ(vclock_next_deadline(&r->clock), 2000);
    advance(r, 1999);
    CHECK(!mtip(r, 0));
    CHECK_EQ(test_rd(&r->bus, MTIME, 8), 19);
    advance(r, 2000);
    CHECK(mtip(r, 0));
    CHECK_EQ(r->irqs.rises[LINE_MTIP], 1);
    CHECK(!mtip(r, 1));
    CHECK_EQ(vclock_next_deadline(&r->clock), UINT64_MAX);
    /* Moving mtimecmp beyond mtime lowers MTIP at once and re-arms. */
    test_wr(&r->bus, MTIMECMP(0), 8, 25);
    CHECK(!mtip(r, 0));
    CHECK_EQ(vclock_next_deadline(&r->clock), 2500);
    /* A compare value already reached raises MTIP at once. */
    test_wr(&r->bus, MTIMECMP(0), 8, 20);
    CHECK(mtip(r, 0));
    CHECK_EQ(vclock_next_deadline(&r->clock), UINT64_MAX);
    /* The timer fires late (quantum boundary after the deadline): MTIP still rises. */
    test_wr(&r->bus, MTIMECMP(1), 8, 30);
    advance(r, 3777);
    CHECK(mtip(r, 1));
    /* "Disabled" timer: all ones never fires, and a far compare never arms. */
    test_wr(&r->bus, MTIMECMP(1), 8, UINT64_MAX);
    CHECK(!mtip(r, 1));
    test_wr(&r->bus, MTIMECMP(1), 8, UINT64_MAX / 50);
    CHECK(!mtip(r, 1));
    test_wr(&r->bus, MTIMECMP(0), 8, UINT64_MAX);
    CHECK_EQ(vclock_next_deadline(&r->clock), UINT64_MAX);
    rig_free(r);
}

/* An RV32 update without a spurious interrupt: hi = all ones, lo, then hi. */
static void test_halves(void)
{
    Rig *r = rig_new();
    advance(r, 1000);
    test_wr(&r->bus, MTIMECMP(1) + 4, 4, 0xffffffff);
    test_wr(&r->bus, MTIMECMP(1), 4, 0x80);
    test_wr(&r->bus, MTIMECMP(1) + 4, 4, 0);
    CHECK(!mtip(r, 1));
    CHECK_EQ(test_rd(&r->bus, MTIMECMP(1), 4), 0x80);
    CHECK_EQ(test_rd(&r->bus, MTIMECMP(1) + 4, 4), 0);
    CHECK_EQ(test_rd(&r->bus, MTIMECMP(1), 8), 0x80);
    CHECK_EQ(vclock_next_deadline(&r->clock), 0x80 * 100);
    CHECK_EQ(r->irqs.rises[LINE_MTIP + 1], 0);
    rig_free(r);
}

static void test_mtime_write_rearms(void)
{
    Rig *r = rig_new();
    advance(r, 2000); /* mtime 20 */
    test_wr(&r->bus, MTIMECMP(1), 8, 1010);
    CHECK_EQ(vclock_next_deadline(&r->clock), (20 + 990) * 100ULL);
    test_wr(&r->bus, MTIME, 8, 1000); /* now 10 ticks from the compare value */
    CHECK_EQ(vclock_next_deadline(&r->clock), 3000);
    advance(r, 3000);
    CHECK(mtip(r, 1));
    test_wr(&r->bus, MTIME, 8, 0); /* back in time: MTIP falls */
    CHECK(!mtip(r, 1));
    CHECK_EQ(vclock_next_deadline(&r->clock), (30 + 1010) * 100ULL);
    rig_free(r);
}

static void test_msip(void)
{
    Rig *r = rig_new();
    test_wr(&r->bus, MSIP(1), 4, 1);
    CHECK(r->irqs.level[LINE_MSIP + 1]);
    CHECK(!r->irqs.level[LINE_MSIP]);
    CHECK_EQ(test_rd(&r->bus, MSIP(1), 4), 1);
    test_wr(&r->bus, MSIP(1), 4, 0xfffffffe); /* only bit 0 is writable */
    CHECK(!r->irqs.level[LINE_MSIP + 1]);
    CHECK_EQ(test_rd(&r->bus, MSIP(1), 4), 0);
    test_wr(&r->bus, MSIP(0), 8, 0x100000001ULL); /* both harts */
    CHECK(r->irqs.level[LINE_MSIP] && r->irqs.level[LINE_MSIP + 1]);
    CHECK_EQ(test_rd(&r->bus, MSIP(0), 8), 0x100000001ULL);
    test_wr(&r->bus, MSIP(0), 8, 0);
    CHECK(!r->irqs.level[LINE_MSIP] && !r->irqs.level[LINE_MSIP + 1]);
    CHECK_EQ(test_rd(&r->bus, MSIP(5), 4), 0); /* no such hart */
    uint64_t v;
    CHECK(!bus_read(&r->bus, MSIP(0), 1, &v));
    rig_free(r);
}

static void test_sbi_api(void)
{
    Rig *r = rig_new();
    advance(r, 500);
    CHECK_EQ(aclint_get_mtime(&r->aclint), 5);
    aclint_set_mtimecmp(&r->aclint, 0, 7);
    CHECK_EQ(aclint_get_mtimecmp(&r->aclint, 0), 7);
    CHECK_EQ(test_rd(&r->bus, MTIMECMP(0), 8), 7);
    CHECK(!mtip(r, 0));
    advance(r, 700);
    CHECK(mtip(r, 0));
    aclint_set_mtimecmp(&r->aclint, 0, UINT64_MAX);
    CHECK(!mtip(r, 0));
    aclint_set_msip(&r->aclint, 1, true);
    CHECK(r->irqs.level[LINE_MSIP + 1]);
    CHECK_EQ(test_rd(&r->bus, MSIP(1), 4), 1);
    aclint_set_msip(&r->aclint, 1, false);
    CHECK(!r->irqs.level[LINE_MSIP + 1]);
    aclint_set_mtime(&r->aclint, 1000);
    CHECK_EQ(aclint_get_mtime(&r->aclint), 1000);
    aclint_set_mtimecmp(&r->aclint, 9, 0); /* no such hart: ignored */
    aclint_set_msip(&r->aclint, 9, true);
    rig_free(r);
}

static void test_sswi(void)
{
    Rig *r = rig_new();
    IrqLine ssip[NHARTS] = { test_irq(&r->irqs, LINE_SSIP), test_irq(&r->irqs, LINE_SSIP + 1) };
    aclint_map_sswi(&r->aclint, &r->bus, SSWI, ssip);
    test_wr(&r->bus, SSWI + 4, 4, 1);
    CHECK(r->irqs.level[LINE_SSIP + 1]);
    CHECK(!r->irqs.level[LINE_SSIP]);
    CHECK_EQ(test_rd(&r->bus, SSWI + 4, 4), 0);
    test_wr(&r->bus, SSWI, 4, 0); /* writing 0 does nothing */
    CHECK(!r->irqs.level[LINE_SSIP]);
    rig_free(r);
}

static void test_fdt(void)
{
    Rig *r = rig_new();
    IrqLine ssip[NHARTS] = { { 0 }, { 0 } };
    aclint_map_sswi(&r->aclint, &r->bus, SSWI, ssip);
    uint32_t intc[NHARTS] = { 0x21, 0x22 };
    void *fdt = test_fdt_begin();
    CHECK_EQ(aclint_fdt(&r->aclint, fdt, intc), 0);
    CHECK_EQ(aclint_sswi_fdt(&r->aclint, fdt, intc), 0);
    test_fdt_finish(fdt);
    const char *path = "/clint@2000000";
    int node = fdt_path_offset(fdt, path);
    CHECK(node >= 0);
    CHECK(fdt_node_check_compatible(fdt, node, "riscv,clint0") == 0);
    CHECK(fdt_node_check_compatible(fdt, node, "sifive,clint0") == 0);
    CHECK_EQ(test_fdt_cell(fdt, path, "reg", 1), CLINT);
    CHECK_EQ(test_fdt_cell(fdt, path, "reg", 3), 0x10000);
    static const uint32_t expect[] = { 0x21, 3, 0x21, 7, 0x22, 3, 0x22, 7 };
    CHECK_EQ(test_fdt_len(fdt, path, "interrupts-extended"), sizeof(expect));
    for (unsigned i = 0; i < ARRAY_SIZE(expect); i++)
        CHECK_EQ(test_fdt_cell(fdt, path, "interrupts-extended", i), expect[i]);
    const char *spath = "/sswi@2f00000";
    CHECK(fdt_node_check_compatible(fdt, fdt_path_offset(fdt, spath), "riscv,aclint-sswi") == 0);
    CHECK_EQ(test_fdt_cell(fdt, spath, "interrupts-extended", 1), 1);
    CHECK_EQ(test_fdt_cell(fdt, spath, "interrupts-extended", 3), 1);
    free(fdt);
    rig_free(r);
}

int main(void)
{
    test_mtime();
    test_mtimecmp_arming();
    test_halves();
    test_mtime_write_rearms();
    test_msip();
    test_sbi_api();
    test_sswi();
    test_fdt();
    return unit_summary("test_aclint");
}
