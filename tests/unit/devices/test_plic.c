/* tests/unit/devices/test_plic.c: the PLIC as a hart's interrupt handler drives it:
 * priorities, enables per context, threshold, claim ordering (priority, then lowest id),
 * the gateway that holds a claimed source until completion, and the FDT node. */
#include "devices/plic.h"
#include "tests/unit/devices/dev_test.h"

#define PLIC 0x0c000000ULL
#define NDEV 95
#define NHARTS 2
#define PRIO(src) (PLIC + 4 * (src))
#define PENDING(w) (PLIC + 0x1000 + 4 * (w))
#define ENABLE(ctx, w) (PLIC + 0x2000 + 0x80 * (ctx) + 4 * (w))
#define THRESHOLD(ctx) (PLIC + 0x200000 + 0x1000 * (ctx))
#define CLAIM(ctx) (PLIC + 0x200004 + 0x1000 * (ctx))

typedef struct Rig {
    Bus bus;
    VClock clock;
    uint8_t *ram;
    TestIrqs out; /* line n = context n */
    Plic plic;
} Rig;

static Rig *rig_new(void)
{
    Rig *r = calloc(1, sizeof(*r));
    IrqLine lines[2 * NHARTS];
    r->ram = test_bus_init(&r->bus, &r->clock, 4096);
    for (unsigned i = 0; i < 2 * NHARTS; i++)
        lines[i] = test_irq(&r->out, i);
    plic_init(&r->plic, &r->bus, PLIC, NDEV, NHARTS, lines);
    return r;
}

static void rig_free(Rig *r)
{
    free(r->ram);
    free(r);
}

static uint32_t rd(Rig *r, uint64_t pa)
{
    return (uint32_t)test_rd(&r->bus, pa, 4);
}

static void wr(Rig *r, uint64_t pa, uint32_t v)
{
    test_wr(&r->bus, pa, 4, v);
}

static void enable(Rig *r, unsigned ctx, unsigned src)
{
    uint64_t pa = ENABLE(ctx, src / 32);
    wr(r, pa, rd(r, pa) | (1u << (src % 32)));
}

static void disable(Rig *r, unsigned ctx, unsigned src)
{
    uint64_t pa = ENABLE(ctx, src / 32);
    wr(r, pa, rd(r, pa) & ~(1u << (src % 32)));
}

static void test_registers(void)
{
    Rig *r = rig_new();
    CHECK_EQ(r->plic.size, 0x200000 + 4 * 0x1000);
    wr(r, PRIO(1), 0xffffffff);
    CHECK_EQ(rd(r, PRIO(1)), 7); /* 3 priority bits */
    wr(r, PRIO(0), 5);
    CHECK_EQ(rd(r, PRIO(0)), 0); /* source 0 does not exist */
    wr(r, PRIO(NDEV + 1), 5);
    CHECK_EQ(rd(r, PRIO(NDEV + 1)), 0);
    /* Enable bit 0 is hardwired to 0, bits past ndev too. */
    wr(r, ENABLE(1, 0), 0xffffffff);
    CHECK_EQ(rd(r, ENABLE(1, 0)), 0xfffffffe);
    wr(r, ENABLE(1, 2), 0xffffffff);
    CHECK_EQ(rd(r, ENABLE(1, 2)), 0xffffffff); /* 64..95 */
    wr(r, ENABLE(1, 3), 0xffffffff);
    CHECK_EQ(rd(r, ENABLE(1, 3)), 0);
    CHECK_EQ(rd(r, ENABLE(0, 0)), 0); /* contexts are separate */
    wr(r, THRESHOLD(3), 0xff);
    CHECK_EQ(rd(r, THRESHOLD(3)), 7);
    /* Pending bits are read-only. */
    wr(r, PENDING(0), 0xffffffff);
    CHECK_EQ(rd(r, PENDING(0)), 0);
    /* Enables of contexts past the last read as zero; their threshold registers lie
     * outside the window. */
    CHECK_EQ(rd(r, ENABLE(4, 0)), 0);
    uint64_t v;
    CHECK(!bus_read(&r->bus, THRESHOLD(4), 4, &v));
    /* Registers are 32-bit only. */
    CHECK(!bus_read(&r->bus, PRIO(1), 1, &v));
    CHECK(!bus_read(&r->bus, PRIO(1), 8, &v));
    rig_free(r);
}

static void test_claim_complete(void)
{
    Rig *r = rig_new();
    IrqLine uart = plic_irq_line(&r->plic, 10);
    wr(r, PRIO(10), 1);
    enable(r, 1, 10); /* hart 0, S-mode */
    CHECK(!r->out.level[1]);

    irq_set(&uart, true);
    CHECK_EQ(rd(r, PENDING(0)), 1u << 10);
    CHECK(r->out.level[1]);
    CHECK(!r->out.level[0]); /* M-mode context has it disabled */
    CHECK(!r->out.level[3]);

    CHECK_EQ(rd(r, CLAIM(1)), 10);
    CHECK_EQ(rd(r, PENDING(0)), 0);
    CHECK(!r->out.level[1]);
    /* Claimed: the gateway forwards nothing more until completion. */
    irq_set(&uart, true);
    CHECK(!r->out.level[1]);
    CHECK_EQ(rd(r, CLAIM(1)), 0);
    /* Completion while the wire is still high: a new request. */
    wr(r, CLAIM(1), 10);
    CHECK(r->out.level[1]);
    CHECK_EQ(rd(r, CLAIM(1)), 10);
    irq_set(&uart, false); /* the handler served the device */
    wr(r, CLAIM(1), 10);
    CHECK(!r->out.level[1]);
    CHECK_EQ(rd(r, PENDING(0)), 0);

    /* A request withdrawn before it is claimed is gone. */
    irq_set(&uart, true);
    CHECK(r->out.level[1]);
    irq_set(&uart, false);
    CHECK(!r->out.level[1]);
    CHECK_EQ(rd(r, CLAIM(1)), 0);

    /* Completion of a source not enabled for the context is ignored. */
    irq_set(&uart, true);
    CHECK_EQ(rd(r, CLAIM(1)), 10);
    disable(r, 1, 10);
    wr(r, CLAIM(1), 10);
    enable(r, 1, 10);
    CHECK(!r->out.level[1]); /* still claimed */
    wr(r, CLAIM(1), 10);
    CHECK(r->out.level[1]);
    irq_set(&uart, false);
    rig_free(r);
}

static void test_priority_order(void)
{
    Rig *r = rig_new();
    wr(r, PRIO(10), 2);
    wr(r, PRIO(5), 5);
    wr(r, PRIO(33), 5);
    wr(r, PRIO(40), 0); /* priority 0: never */
    unsigned srcs[] = { 5, 10, 33, 40 };
    for (unsigned i = 0; i < ARRAY_SIZE(srcs); i++) {
        enable(r, 0, srcs[i]);
        plic_set_irq(&r->plic, srcs[i], true);
    }
    CHECK_EQ(rd(r, PENDING(0)), (1u << 5) | (1u << 10));
    CHECK_EQ(rd(r, PENDING(1)), (1u << 1) | (1u << 8));
    CHECK(r->out.level[0]);
    CHECK_EQ(rd(r, CLAIM(0)), 5);  /* priority 5, lower id than 33 */
    CHECK_EQ(rd(r, CLAIM(0)), 33); /* priority 5 */
    CHECK(r->out.level[0]);
    CHECK_EQ(rd(r, CLAIM(0)), 10); /* priority 2 */
    CHECK(!r->out.level[0]);       /* only priority-0 source 40 left */
    CHECK_EQ(rd(r, CLAIM(0)), 0);
    CHECK_EQ(rd(r, PENDING(1)), 1u << 8);
    rig_free(r);
}

static void test_threshold(void)
{
    Rig *r = rig_new();
    wr(r, PRIO(7), 3);
    enable(r, 2, 7); /* hart 1, M-mode */
    wr(r, THRESHOLD(2), 3);
    plic_set_irq(&r->plic, 7, true);
    CHECK(!r->out.level[2]); /* priority must exceed the threshold */
    CHECK_EQ(rd(r, CLAIM(2)), 0);
    CHECK_EQ(rd(r, PENDING(0)), 1u << 7);
    wr(r, THRESHOLD(2), 2);
    CHECK(r->out.level[2]);
    wr(r, PRIO(7), 1);
    CHECK(!r->out.level[2]);
    wr(r, PRIO(7), 7);
    CHECK(r->out.level[2]);
    CHECK_EQ(rd(r, CLAIM(2)), 7);
    CHECK(!r->out.level[2]);
    /* Sources past ndev are ignored. */
    plic_set_irq(&r->plic, NDEV + 1, true);
    plic_set_irq(&r->plic, 0, true);
    CHECK_EQ(rd(r, PENDING(0)), 0);
    rig_free(r);
}

static void test_fdt(void)
{
    Rig *r = rig_new();
    uint32_t intc[NHARTS] = { 0x11, 0x12 };
    void *fdt = test_fdt_begin();
    CHECK_EQ(plic_fdt(&r->plic, fdt, 9, intc), 0);
    test_fdt_finish(fdt);
    const char *path = "/plic@c000000";
    int node = fdt_path_offset(fdt, path);
    CHECK(node >= 0);
    CHECK(fdt_node_check_compatible(fdt, node, "riscv,plic0") == 0);
    CHECK(fdt_node_check_compatible(fdt, node, "sifive,plic-1.0.0") == 0);
    CHECK_EQ(fdt_get_phandle(fdt, node), 9);
    CHECK_EQ(test_fdt_cell(fdt, path, "riscv,ndev", 0), NDEV);
    CHECK_EQ(test_fdt_cell(fdt, path, "#interrupt-cells", 0), 1);
    CHECK_EQ(test_fdt_len(fdt, path, "interrupt-controller"), 0);
    CHECK_EQ(test_fdt_cell(fdt, path, "reg", 3), 0x204000);
    static const uint32_t expect[] = { 0x11, 11, 0x11, 9, 0x12, 11, 0x12, 9 };
    CHECK_EQ(test_fdt_len(fdt, path, "interrupts-extended"), sizeof(expect));
    for (unsigned i = 0; i < ARRAY_SIZE(expect); i++)
        CHECK_EQ(test_fdt_cell(fdt, path, "interrupts-extended", i), expect[i]);
    free(fdt);
    rig_free(r);
}

int main(void)
{
    test_registers();
    test_claim_complete();
    test_priority_order();
    test_threshold();
    test_fdt();
    return unit_summary("test_plic");
}
