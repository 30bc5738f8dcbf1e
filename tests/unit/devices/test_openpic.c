/* tests/unit/devices/test_openpic.c: the Freescale MPIC as Linux's mpic.c drives it on the
 * "fsl,qemu-e500" platform: version and feature registers, the reset and initialisation
 * sequence of mpic_alloc/mpic_init, delivery of masked and unmasked sources to the CPU
 * their IDR names, priority against CTPR, IACK with its in-service stack and EOI,
 * nesting, the spurious vector, edge and level sources, IPI dispatch, the external proxy
 * acknowledge (openpic_iack) against a register IACK, critical routing, core reset, the
 * "this CPU" alias, the FDT node, and guest garbage. Register values are shown as a
 * big-endian CPU's lwz/stw (Linux's in_be32/out_be32) sees them. */
#include "devices/openpic.h"
#include "tests/unit/devices/dev_test.h"

#define MPIC 0xfe0040000ULL
#define NCPUS 4
#define NB OPENPIC_OUTPUT_NB
/* Linux's vectors with MPIC_LARGE_VECTORS (intvec_top 2047). */
#define VEC_TIMER0 2035
#define VEC_IPI0 2043
#define VEC_SPURIOUS 2047

typedef struct Rig {
    Bus bus;
    VClock clock;
    uint8_t *ram;
    TestIrqs out; /* line c * NB + o: CPU c's output o */
    unsigned cur; /* the CPU making accesses to the "this CPU" registers */
    OpenPic pic;
} Rig;

static Rig *rig_new_n(unsigned ncpus, bool with_cur)
{
    Rig *r = calloc(1, sizeof(*r));
    IrqLine lines[NCPUS * NB];
    r->ram = test_bus_init(&r->bus, &r->clock, 4096);
    for (unsigned i = 0; i < NCPUS * NB; i++)
        lines[i] = test_irq(&r->out, i);
    openpic_init(&r->pic, &r->bus, MPIC, ncpus, with_cur ? &r->cur : NULL, lines);
    return r;
}

static Rig *rig_new(void)
{
    return rig_new_n(NCPUS, true);
}

static void rig_free(Rig *r)
{
    free(r->ram);
    free(r);
}

static uint32_t rd(Rig *r, uint64_t off)
{
    return __builtin_bswap32((uint32_t)test_rd(&r->bus, MPIC + off, 4));
}

static void wr(Rig *r, uint64_t off, uint32_t v)
{
    test_wr(&r->bus, MPIC + off, 4, __builtin_bswap32(v));
}

static bool out(const Rig *r, unsigned cpu, OpenPicOutput o)
{
    return r->out.level[cpu * NB + o];
}

static bool int_of(const Rig *r, unsigned cpu)
{
    return out(r, cpu, OPENPIC_OUTPUT_INT);
}

static uint32_t iack(Rig *r, unsigned cpu)
{
    return rd(r, OPENPIC_CPU(cpu) + OPENPIC_IACK);
}

static void eoi(Rig *r, unsigned cpu)
{
    wr(r, OPENPIC_CPU(cpu) + OPENPIC_EOI, 0);
}

/* mpic_alloc + mpic_init + mpic_setup_this_cpu for every CPU, with the flags of
 * qemu_e500_pic_init (big-endian, single destination CPU, coreint) and an FSL node. */
static void linux_init(Rig *r, unsigned ncpus)
{
    CHECK_EQ(rd(r, OPENPIC_BRR1) & 0xffff, 0x0402); /* fsl_mpic_get_version */
    wr(r, OPENPIC_GCR, rd(r, OPENPIC_GCR) | OPENPIC_GCR_RESET);
    CHECK_EQ(rd(r, OPENPIC_GCR) & OPENPIC_GCR_RESET, 0); /* the reset loop ends */
    wr(r, OPENPIC_GCR, rd(r, OPENPIC_GCR) | OPENPIC_GCR_MODE_PROXY);
    uint32_t frr = rd(r, OPENPIC_FRR);
    CHECK_EQ((frr & 0x07ff0000) >> 16, 255);
    CHECK_EQ((frr & 0x1f00) >> 8, ncpus - 1);
    CHECK_EQ(frr & 0xff, 2); /* "version 1.2" */
    wr(r, OPENPIC_CPU(0) + OPENPIC_CTPR, 0xf);
    for (unsigned t = 0; t < 8; t++) { /* version >= 3.1: eight timers */
        wr(r, OPENPIC_TIMER(t) + OPENPIC_TDR, 1);
        wr(r, OPENPIC_TIMER(t) + OPENPIC_TVPR, OPENPIC_VPR_MSK | 9 << 16 | (VEC_TIMER0 + t));
    }
    wr(r, OPENPIC_IPIVPR(0), OPENPIC_VPR_MSK); /* mpic_test_broken_ipi */
    CHECK_EQ(rd(r, OPENPIC_IPIVPR(0)), OPENPIC_VPR_MSK);
    for (unsigned i = 0; i < 4; i++)
        wr(r, OPENPIC_IPIVPR(i), OPENPIC_VPR_MSK | 10 << 16 | (VEC_IPI0 + i));
    for (unsigned i = 0; i < 256; i++) {
        wr(r, OPENPIC_IVPR(i), OPENPIC_VPR_MSK | i | 8 << 16);
        wr(r, OPENPIC_IDR(i), 1);
    }
    wr(r, OPENPIC_SVR, VEC_SPURIOUS);
    wr(r, OPENPIC_GCR, rd(r, OPENPIC_GCR) | OPENPIC_GCR_MODE_MIXED);
    wr(r, OPENPIC_CPU(0) + OPENPIC_CTPR, 0);
    wr(r, 0x3910, 0xffffffff); /* mpic_err_int_init masks every error interrupt */
    for (unsigned c = 1; c < ncpus; c++)
        wr(r, OPENPIC_CPU(c) + OPENPIC_CTPR, 0);
}

/* irq_set_irq_type (sense from the specifier), mpic_set_affinity, mpic_irq_set_priority
 * and mpic_unmask_irq with its read-back loop. */
static void linux_setup(Rig *r, unsigned src, bool level, unsigned prio, unsigned cpu)
{
    uint32_t v = rd(r, OPENPIC_IVPR(src)) & ~(OPENPIC_VPR_P | OPENPIC_VPR_S);
    wr(r, OPENPIC_IVPR(src), v | OPENPIC_VPR_P | (level ? OPENPIC_VPR_S : 0));
    wr(r, OPENPIC_IDR(src), 1u << cpu);
    v = rd(r, OPENPIC_IVPR(src)) & ~OPENPIC_VPR_PRIORITY_MASK;
    wr(r, OPENPIC_IVPR(src), v | prio << 16);
    wr(r, OPENPIC_IVPR(src), rd(r, OPENPIC_IVPR(src)) & ~OPENPIC_VPR_MSK);
    CHECK_EQ(rd(r, OPENPIC_IVPR(src)) & OPENPIC_VPR_MSK, 0);
}

static void linux_mask(Rig *r, unsigned src)
{
    wr(r, OPENPIC_IVPR(src), rd(r, OPENPIC_IVPR(src)) | OPENPIC_VPR_MSK);
    CHECK(rd(r, OPENPIC_IVPR(src)) & OPENPIC_VPR_MSK);
}

static void test_identity(void)
{
    Rig *r = rig_new();
    CHECK_EQ(rd(r, OPENPIC_BRR1), 0x00400402);
    CHECK_EQ(rd(r, OPENPIC_CPU(0) + OPENPIC_BRR1), 0); /* only in the "this CPU" area */
    CHECK_EQ(rd(r, OPENPIC_FRR), 0x00ff0302);
    CHECK_EQ(rd(r, OPENPIC_VIR), 0);
    for (unsigned c = 0; c < NCPUS; c++) {
        CHECK_EQ(rd(r, OPENPIC_CPU(c) + OPENPIC_WHOAMI), c);
        r->cur = c;
        CHECK_EQ(rd(r, OPENPIC_WHOAMI), c);
    }
    /* Reset values. */
    CHECK_EQ(rd(r, OPENPIC_GCR), 0);
    CHECK(!openpic_external_proxy(&r->pic));
    CHECK_EQ(rd(r, OPENPIC_SVR), 0xffff);
    CHECK_EQ(rd(r, OPENPIC_IVPR(0)), OPENPIC_VPR_MSK);
    CHECK_EQ(rd(r, OPENPIC_IVPR(255)), OPENPIC_VPR_MSK);
    CHECK_EQ(rd(r, OPENPIC_IDR(77)), 1);
    CHECK_EQ(rd(r, OPENPIC_ILR(77)), 0);
    CHECK_EQ(rd(r, OPENPIC_IPIVPR(3)), OPENPIC_VPR_MSK);
    CHECK_EQ(rd(r, OPENPIC_CPU(2) + OPENPIC_CTPR), 15);
    CHECK_EQ(rd(r, OPENPIC_TIMER(5) + OPENPIC_TBCR), OPENPIC_TBCR_CI);
    CHECK_EQ(rd(r, OPENPIC_PIR), 0);
    CHECK_EQ(iack(r, 0), 0xffff);
    rig_free(r);

    r = rig_new_n(1, false);
    CHECK_EQ(rd(r, OPENPIC_FRR), 0x00ff0002);
    CHECK_EQ(rd(r, OPENPIC_WHOAMI), 0); /* no current-CPU pointer: CPU 0 */
    CHECK_EQ(rd(r, OPENPIC_CPU(1) + OPENPIC_WHOAMI), 0);
    wr(r, OPENPIC_IDR(3), 0xffffffff); /* EP, CI0 and P0 only */
    CHECK_EQ(rd(r, OPENPIC_IDR(3)), 0xc0000001);
    rig_free(r);
}

static void test_linux_init(void)
{
    Rig *r = rig_new();
    wr(r, OPENPIC_IVPR(9), 0x1234); /* stale state the reset must clear */
    linux_init(r, NCPUS);
    CHECK(openpic_external_proxy(&r->pic));
    CHECK_EQ(rd(r, OPENPIC_GCR), OPENPIC_GCR_MODE_PROXY);
    CHECK_EQ(rd(r, OPENPIC_IVPR(9)), OPENPIC_VPR_MSK | 8 << 16 | 9);
    CHECK_EQ(rd(r, OPENPIC_IPIVPR(2)), OPENPIC_VPR_MSK | 10 << 16 | (VEC_IPI0 + 2));
    CHECK_EQ(rd(r, OPENPIC_SVR), VEC_SPURIOUS);
    CHECK_EQ(rd(r, OPENPIC_TIMER(6) + OPENPIC_TVPR), OPENPIC_VPR_MSK | 9 << 16 | (VEC_TIMER0 + 6));
    CHECK_EQ(rd(r, OPENPIC_TIMER(6) + OPENPIC_TDR), 1);
    CHECK_EQ(rd(r, OPENPIC_TIMER(6) + OPENPIC_TCCR), 0);
    CHECK_EQ(rd(r, 0x3910), 0xffffffff);
    CHECK_EQ(rd(r, 0x3900), 0); /* no error interrupt */
    for (unsigned c = 0; c < NCPUS; c++) {
        CHECK_EQ(rd(r, OPENPIC_CPU(c) + OPENPIC_CTPR), 0);
        CHECK_EQ(iack(r, c), VEC_SPURIOUS);
        CHECK(!int_of(r, c));
    }
    rig_free(r);
}

static void test_delivery(void)
{
    Rig *r = rig_new();
    linux_init(r, NCPUS);
    IrqLine uart = openpic_irq_line(&r->pic, 42);
    irq_set(&uart, true); /* masked: nothing, not active */
    CHECK(!int_of(r, 0));
    CHECK_EQ(rd(r, OPENPIC_IVPR(42)) & OPENPIC_VPR_A, 0);
    linux_setup(r, 42, true, 8, 0);
    CHECK(int_of(r, 0));
    CHECK(!int_of(r, 1) && !int_of(r, 2) && !int_of(r, 3));
    CHECK(rd(r, OPENPIC_IVPR(42)) & OPENPIC_VPR_A);
    linux_mask(r, 42);
    CHECK(!int_of(r, 0));
    CHECK_EQ(rd(r, OPENPIC_IVPR(42)) & OPENPIC_VPR_A, 0);
    wr(r, OPENPIC_IVPR(42), rd(r, OPENPIC_IVPR(42)) & ~OPENPIC_VPR_MSK);
    CHECK(int_of(r, 0));
    /* mpic_set_affinity moves it to CPU 2. */
    wr(r, OPENPIC_IDR(42), 1u << 2);
    CHECK(!int_of(r, 0));
    CHECK(int_of(r, 2));
    CHECK_EQ(iack(r, 0), VEC_SPURIOUS); /* not CPU 0's */
    CHECK_EQ(iack(r, 2), 42);
    CHECK(!int_of(r, 2));
    CHECK(rd(r, OPENPIC_IVPR(42)) & OPENPIC_VPR_A); /* in service */
    irq_set(&uart, false); /* the handler served the UART */
    CHECK(rd(r, OPENPIC_IVPR(42)) & OPENPIC_VPR_A);
    eoi(r, 2);
    CHECK_EQ(rd(r, OPENPIC_IVPR(42)) & OPENPIC_VPR_A, 0);
    CHECK(!int_of(r, 2));
    /* A destination with no CPU: nothing anywhere. */
    wr(r, OPENPIC_IDR(42), 0);
    irq_set(&uart, true);
    for (unsigned c = 0; c < NCPUS; c++)
        CHECK(!int_of(r, c));
    /* Multicast: offered to both, the first acknowledge takes it. */
    wr(r, OPENPIC_IDR(42), 0x3);
    CHECK(int_of(r, 0) && int_of(r, 1));
    CHECK_EQ(iack(r, 1), 42);
    CHECK(!int_of(r, 0) && !int_of(r, 1));
    CHECK_EQ(iack(r, 0), VEC_SPURIOUS);
    eoi(r, 0); /* nothing in service on CPU 0: ignored */
    CHECK(!int_of(r, 0));
    eoi(r, 1);
    CHECK(int_of(r, 0) && int_of(r, 1)); /* still requested */
    rig_free(r);
}

static void test_priority(void)
{
    Rig *r = rig_new();
    linux_init(r, NCPUS);
    linux_setup(r, 5, true, 5, 0);
    wr(r, OPENPIC_CPU(0) + OPENPIC_CTPR, 5);
    openpic_set_irq(&r->pic, 5, true);
    CHECK(!int_of(r, 0)); /* priority must exceed CTPR */
    CHECK_EQ(iack(r, 0), VEC_SPURIOUS);
    CHECK(rd(r, OPENPIC_IVPR(5)) & OPENPIC_VPR_A); /* still requested */
    wr(r, OPENPIC_CPU(0) + OPENPIC_CTPR, 4);
    CHECK(int_of(r, 0));
    wr(r, OPENPIC_CPU(0) + OPENPIC_CTPR, 0xffffffff);
    CHECK_EQ(rd(r, OPENPIC_CPU(0) + OPENPIC_CTPR), 15);
    CHECK(!int_of(r, 0));
    wr(r, OPENPIC_CPU(0) + OPENPIC_CTPR, 0);
    CHECK(int_of(r, 0));
    /* Priority 0 never interrupts. */
    wr(r, OPENPIC_IVPR(5), rd(r, OPENPIC_IVPR(5)) & ~OPENPIC_VPR_PRIORITY_MASK);
    CHECK(!int_of(r, 0));
    CHECK_EQ(iack(r, 0), VEC_SPURIOUS);
    /* Among requests the highest priority wins, then the lowest source. */
    linux_setup(r, 30, true, 6, 0);
    linux_setup(r, 20, true, 6, 0);
    linux_setup(r, 10, true, 4, 0);
    openpic_set_irq(&r->pic, 30, true);
    openpic_set_irq(&r->pic, 20, true);
    openpic_set_irq(&r->pic, 10, true);
    CHECK_EQ(iack(r, 0), 20);
    eoi(r, 0);
    openpic_set_irq(&r->pic, 20, false);
    CHECK_EQ(iack(r, 0), 30);
    eoi(r, 0);
    openpic_set_irq(&r->pic, 30, false);
    CHECK_EQ(iack(r, 0), 10);
    eoi(r, 0);
    rig_free(r);
}

static void test_nesting(void)
{
    Rig *r = rig_new();
    linux_init(r, NCPUS);
    linux_setup(r, 10, false, 3, 0);
    linux_setup(r, 11, false, 7, 0);
    linux_setup(r, 12, false, 5, 0);
    linux_setup(r, 13, false, 5, 0);
    openpic_set_irq(&r->pic, 10, true);
    CHECK_EQ(iack(r, 0), 10);
    CHECK(!int_of(r, 0));
    openpic_set_irq(&r->pic, 12, true); /* 5 > 3: nests */
    CHECK(int_of(r, 0));
    CHECK_EQ(iack(r, 0), 12);
    openpic_set_irq(&r->pic, 13, true); /* 5 is not above 5: waits */
    CHECK(!int_of(r, 0));
    openpic_set_irq(&r->pic, 11, true);
    CHECK_EQ(iack(r, 0), 11);
    openpic_set_irq(&r->pic, 10, false);
    openpic_set_irq(&r->pic, 10, true); /* a second edge of 10 while in service */
    CHECK(!int_of(r, 0));
    eoi(r, 0); /* ends 11: 12 (5) is in service, 13 (5) waits */
    CHECK(!int_of(r, 0));
    CHECK_EQ(iack(r, 0), VEC_SPURIOUS);
    eoi(r, 0); /* ends 12: 13 (5) is above 10 (3) */
    CHECK(int_of(r, 0));
    CHECK_EQ(iack(r, 0), 13);
    eoi(r, 0);
    CHECK(!int_of(r, 0)); /* 10's new edge waits for 10's own EOI */
    CHECK(rd(r, OPENPIC_IVPR(10)) & OPENPIC_VPR_A);
    eoi(r, 0);
    CHECK(int_of(r, 0));
    CHECK_EQ(iack(r, 0), 10);
    eoi(r, 0);
    CHECK_EQ(iack(r, 0), VEC_SPURIOUS);
    for (unsigned id = 10; id < 14; id++)
        CHECK_EQ(rd(r, OPENPIC_IVPR(id)) & OPENPIC_VPR_A, 0);
    rig_free(r);
}

static void test_edge_level(void)
{
    Rig *r = rig_new();
    linux_init(r, NCPUS);
    /* Edge: two pulses before the acknowledge are one interrupt. */
    linux_setup(r, 1, false, 8, 0);
    openpic_set_irq(&r->pic, 1, true);
    openpic_set_irq(&r->pic, 1, false);
    CHECK(int_of(r, 0)); /* latched */
    openpic_set_irq(&r->pic, 1, true);
    openpic_set_irq(&r->pic, 1, false);
    CHECK_EQ(iack(r, 0), 1);
    eoi(r, 0);
    CHECK(!int_of(r, 0));
    CHECK_EQ(iack(r, 0), VEC_SPURIOUS);
    /* Edge held high: no new edge after EOI. */
    openpic_set_irq(&r->pic, 1, true);
    CHECK_EQ(iack(r, 0), 1);
    eoi(r, 0);
    CHECK(!int_of(r, 0));
    /* Edge latched while masked is delivered on unmask. */
    linux_mask(r, 1);
    openpic_set_irq(&r->pic, 1, false);
    openpic_set_irq(&r->pic, 1, true);
    CHECK(!int_of(r, 0));
    wr(r, OPENPIC_IVPR(1), rd(r, OPENPIC_IVPR(1)) & ~OPENPIC_VPR_MSK);
    CHECK(int_of(r, 0));
    CHECK_EQ(iack(r, 0), 1);
    eoi(r, 0);
    /* Level: requested again after EOI while the device still asks. */
    linux_setup(r, 2, true, 8, 0);
    openpic_set_irq(&r->pic, 2, true);
    CHECK_EQ(iack(r, 0), 2);
    CHECK(!int_of(r, 0));
    eoi(r, 0);
    CHECK(int_of(r, 0));
    /* Level withdrawn before the acknowledge: no interrupt. */
    openpic_set_irq(&r->pic, 2, false);
    CHECK(!int_of(r, 0));
    CHECK_EQ(iack(r, 0), VEC_SPURIOUS);
    /* Switching a held line to level sense makes it pending at once. */
    openpic_set_irq(&r->pic, 3, true);
    linux_setup(r, 3, true, 8, 0);
    CHECK(int_of(r, 0));
    CHECK_EQ(rd(r, OPENPIC_IVPR(3)) & (OPENPIC_VPR_S | OPENPIC_VPR_P),
             OPENPIC_VPR_S | OPENPIC_VPR_P);
    rig_free(r);
}

static void test_ipi(void)
{
    Rig *r = rig_new();
    linux_init(r, NCPUS);
    for (unsigned i = 0; i < 4; i++) /* mpic_unmask_ipi */
        wr(r, OPENPIC_IPIVPR(i), rd(r, OPENPIC_IPIVPR(i)) & ~OPENPIC_VPR_MSK);
    /* smp_mpic_message_pass from CPU 1 to CPUs 1 and 3 on channel 0. */
    wr(r, OPENPIC_CPU(1) + OPENPIC_IPIDR(0), 0xa);
    CHECK(!int_of(r, 0) && int_of(r, 1) && !int_of(r, 2) && int_of(r, 3));
    CHECK(rd(r, OPENPIC_IPIVPR(0)) & OPENPIC_VPR_A);
    CHECK_EQ(rd(r, OPENPIC_CPU(1) + OPENPIC_IPIDR(0)), 0); /* write-only */
    CHECK_EQ(iack(r, 1), VEC_IPI0);
    CHECK(!int_of(r, 1) && int_of(r, 3));
    r->cur = 3; /* CPU 3 takes it through the "this CPU" registers */
    CHECK_EQ(rd(r, OPENPIC_IACK), VEC_IPI0);
    CHECK(!int_of(r, 3));
    CHECK(rd(r, OPENPIC_IPIVPR(0)) & OPENPIC_VPR_A); /* in service */
    wr(r, OPENPIC_EOI, 0);
    eoi(r, 1);
    CHECK_EQ(rd(r, OPENPIC_IPIVPR(0)) & OPENPIC_VPR_A, 0);
    /* An IPI to a CPU already serving the same IPI waits for its EOI. */
    wr(r, OPENPIC_CPU(0) + OPENPIC_IPIDR(2), 0x1);
    CHECK_EQ(iack(r, 0), VEC_IPI0 + 2);
    wr(r, OPENPIC_CPU(2) + OPENPIC_IPIDR(2), 0x1);
    CHECK(!int_of(r, 0));
    eoi(r, 0);
    CHECK(int_of(r, 0));
    CHECK_EQ(iack(r, 0), VEC_IPI0 + 2);
    eoi(r, 0);
    /* Masked IPIs stay pending until unmasked; CPUs past the last are ignored. */
    wr(r, OPENPIC_IPIVPR(3), rd(r, OPENPIC_IPIVPR(3)) | OPENPIC_VPR_MSK);
    wr(r, OPENPIC_CPU(0) + OPENPIC_IPIDR(3), 0xffffffff);
    for (unsigned c = 0; c < NCPUS; c++)
        CHECK(!int_of(r, c));
    wr(r, OPENPIC_IPIVPR(3), rd(r, OPENPIC_IPIVPR(3)) & ~OPENPIC_VPR_MSK);
    for (unsigned c = 0; c < NCPUS; c++) {
        CHECK(int_of(r, c));
        CHECK_EQ(iack(r, c), VEC_IPI0 + 3);
        eoi(r, c);
    }
    /* IPIs against sources: priority 10 beats a priority-8 source. */
    linux_setup(r, 7, true, 8, 2);
    openpic_set_irq(&r->pic, 7, true);
    wr(r, OPENPIC_CPU(0) + OPENPIC_IPIDR(1), 0x4);
    CHECK_EQ(iack(r, 2), VEC_IPI0 + 1);
    CHECK(!int_of(r, 2)); /* 8 is below the IPI in service */
    eoi(r, 2);
    CHECK_EQ(iack(r, 2), 7);
    eoi(r, 2);
    rig_free(r);
}

/* One step of a scenario applied to two controllers: one acknowledged through the IACK
 * register, one through openpic_iack (the core's external proxy). */
static void both_iack(Rig *a, Rig *b, unsigned cpu)
{
    uint32_t va = iack(a, cpu), vb = openpic_iack(&b->pic, cpu);
    CHECK_EQ(vb, va);
}

static void both_compare(Rig *a, Rig *b)
{
    CHECK_MEM(&a->out, &b->out, sizeof(a->out));
    for (unsigned i = 0; i < 64; i++)
        CHECK_EQ(rd(b, OPENPIC_IVPR(i)), rd(a, OPENPIC_IVPR(i)));
    for (unsigned i = 0; i < 4; i++)
        CHECK_EQ(rd(b, OPENPIC_IPIVPR(i)), rd(a, OPENPIC_IPIVPR(i)));
}

static void test_proxy_iack(void)
{
    Rig *a = rig_new(), *b = rig_new();
    Rig *rigs[2] = { a, b };
    for (unsigned k = 0; k < 2; k++) {
        Rig *r = rigs[k];
        linux_init(r, NCPUS);
        wr(r, OPENPIC_IPIVPR(0), rd(r, OPENPIC_IPIVPR(0)) & ~OPENPIC_VPR_MSK);
        linux_setup(r, 42, true, 8, 0);
        linux_setup(r, 43, false, 9, 0);
        linux_setup(r, 44, true, 4, 1);
        openpic_set_irq(&r->pic, 42, true);
        openpic_set_irq(&r->pic, 43, true);
        openpic_set_irq(&r->pic, 44, true);
        wr(r, OPENPIC_CPU(0) + OPENPIC_IPIDR(0), 0x3);
    }
    both_compare(a, b);
    for (unsigned step = 0; step < 4; step++) {
        both_iack(a, b, 0);
        both_iack(a, b, 1);
        both_compare(a, b);
    }
    CHECK_EQ(openpic_iack(&b->pic, 7), VEC_SPURIOUS); /* no such CPU */
    for (unsigned k = 0; k < 2; k++) {
        eoi(rigs[k], 0);
        eoi(rigs[k], 1);
        openpic_set_irq(&rigs[k]->pic, 42, false);
    }
    both_compare(a, b);
    for (unsigned step = 0; step < 4; step++) {
        both_iack(a, b, 0);
        both_iack(a, b, 1);
        both_compare(a, b);
    }
    rig_free(a);
    rig_free(b);
}

static void test_gcr_reset(void)
{
    Rig *r = rig_new();
    linux_init(r, NCPUS);
    linux_setup(r, 50, true, 10, 1);
    linux_setup(r, 51, false, 9, 1);
    openpic_set_irq(&r->pic, 51, true);
    CHECK_EQ(iack(r, 1), 51);
    openpic_set_irq(&r->pic, 50, true);
    wr(r, OPENPIC_PIR, 0x4);
    wr(r, OPENPIC_IPIVPR(0), 0x12);
    CHECK(int_of(r, 1)); /* 50 (10) nests above 51 (9) */
    CHECK(out(r, 2, OPENPIC_OUTPUT_RESET));
    wr(r, OPENPIC_GCR, OPENPIC_GCR_RESET | OPENPIC_GCR_MODE_PROXY);
    CHECK_EQ(rd(r, OPENPIC_GCR), 0);
    CHECK(!openpic_external_proxy(&r->pic));
    CHECK(!int_of(r, 1));
    CHECK(!out(r, 2, OPENPIC_OUTPUT_RESET));
    CHECK_EQ(rd(r, OPENPIC_IVPR(50)), OPENPIC_VPR_MSK);
    CHECK_EQ(rd(r, OPENPIC_IDR(50)), 1);
    CHECK_EQ(rd(r, OPENPIC_IPIVPR(0)), OPENPIC_VPR_MSK);
    CHECK_EQ(rd(r, OPENPIC_SVR), 0xffff);
    CHECK_EQ(rd(r, OPENPIC_PIR), 0);
    CHECK_EQ(rd(r, OPENPIC_CPU(1) + OPENPIC_CTPR), 15);
    CHECK_EQ(iack(r, 1), 0xffff);
    /* Nothing in service any more; the device still holding source 50 is seen again
     * once Linux sets the source up. */
    linux_init(r, NCPUS);
    linux_setup(r, 50, true, 8, 1);
    CHECK(int_of(r, 1));
    CHECK_EQ(iack(r, 1), 50);
    eoi(r, 1);
    eoi(r, 1); /* a second EOI finds an empty stack */
    CHECK(int_of(r, 1));
    openpic_reset(&r->pic); /* the machine's reset does the same */
    CHECK(!int_of(r, 1));
    CHECK_EQ(rd(r, OPENPIC_SVR), 0xffff);
    rig_free(r);
}

static void test_critical(void)
{
    Rig *r = rig_new();
    linux_init(r, NCPUS);
    /* IDR[CI0]: source 20 goes to CPU 0's critical input, not INT. */
    linux_setup(r, 20, true, 8, 0);
    wr(r, OPENPIC_IDR(20), 1u << 30);
    CHECK_EQ(rd(r, OPENPIC_IDR(20)), 1u << 30);
    openpic_set_irq(&r->pic, 20, true);
    CHECK(out(r, 0, OPENPIC_OUTPUT_CINT));
    CHECK(!int_of(r, 0));
    CHECK_EQ(iack(r, 0), VEC_SPURIOUS);
    wr(r, OPENPIC_CPU(0) + OPENPIC_CTPR, 15); /* priorities do not apply */
    CHECK(out(r, 0, OPENPIC_OUTPUT_CINT));
    wr(r, OPENPIC_CPU(0) + OPENPIC_CTPR, 0);
    linux_mask(r, 20);
    CHECK(!out(r, 0, OPENPIC_OUTPUT_CINT));
    wr(r, OPENPIC_IVPR(20), rd(r, OPENPIC_IVPR(20)) & ~OPENPIC_VPR_MSK);
    CHECK(out(r, 0, OPENPIC_OUTPUT_CINT));
    openpic_set_irq(&r->pic, 20, false);
    CHECK(!out(r, 0, OPENPIC_OUTPUT_CINT));
    /* IDR[CI2] (bit 28) wins over the normal destination bits. */
    wr(r, OPENPIC_IDR(20), 1u << 28 | 0x1);
    openpic_set_irq(&r->pic, 20, true);
    CHECK(out(r, 2, OPENPIC_OUTPUT_CINT));
    CHECK(!out(r, 0, OPENPIC_OUTPUT_CINT) && !int_of(r, 0));
    openpic_set_irq(&r->pic, 20, false);
    CHECK(!out(r, 2, OPENPIC_OUTPUT_CINT));
    /* ILR[INTTGT]: critical and machine check for the CPUs of IDR[Pn]. */
    linux_setup(r, 21, true, 8, 1);
    wr(r, OPENPIC_ILR(21), 0xffffff01);
    CHECK_EQ(rd(r, OPENPIC_ILR(21)), 1);
    openpic_set_irq(&r->pic, 21, true);
    CHECK(out(r, 1, OPENPIC_OUTPUT_CINT));
    CHECK(!int_of(r, 1));
    wr(r, OPENPIC_ILR(21), OPENPIC_ILR_INTTGT_MCP);
    CHECK(!out(r, 1, OPENPIC_OUTPUT_CINT));
    CHECK(out(r, 1, OPENPIC_OUTPUT_MCK));
    wr(r, OPENPIC_ILR(21), OPENPIC_ILR_INTTGT_INT);
    CHECK(!out(r, 1, OPENPIC_OUTPUT_MCK));
    CHECK(int_of(r, 1));
    CHECK_EQ(iack(r, 1), 21);
    eoi(r, 1);
    openpic_set_irq(&r->pic, 21, false);
    /* An edge source routed critically gives a pulse and latches nothing. */
    linux_setup(r, 22, false, 8, 3);
    wr(r, OPENPIC_ILR(22), OPENPIC_ILR_INTTGT_CINT);
    unsigned rises = r->out.rises[3 * NB + OPENPIC_OUTPUT_CINT];
    openpic_set_irq(&r->pic, 22, true);
    CHECK_EQ(r->out.rises[3 * NB + OPENPIC_OUTPUT_CINT], rises + 1);
    CHECK(!out(r, 3, OPENPIC_OUTPUT_CINT));
    CHECK_EQ(rd(r, OPENPIC_IVPR(22)) & OPENPIC_VPR_A, 0);
    rig_free(r);
}

static void test_core_reset(void)
{
    Rig *r = rig_new();
    linux_init(r, NCPUS);
    /* mpic_reset_core(2) */
    uint32_t pir = rd(r, OPENPIC_PIR) | 1u << 2;
    wr(r, OPENPIC_PIR, pir);
    CHECK_EQ(rd(r, OPENPIC_PIR), 0x4);
    CHECK(out(r, 2, OPENPIC_OUTPUT_RESET));
    CHECK(!out(r, 0, OPENPIC_OUTPUT_RESET));
    pir &= ~(1u << 2);
    wr(r, OPENPIC_PIR, pir);
    CHECK(!out(r, 2, OPENPIC_OUTPUT_RESET));
    CHECK_EQ(r->out.rises[2 * NB + OPENPIC_OUTPUT_RESET], 1);
    for (unsigned i = 0; i < 15; i++)
        eoi(r, 2);
    wr(r, OPENPIC_PIR, 0xfffffff0); /* CPUs past the last */
    CHECK_EQ(rd(r, OPENPIC_PIR), 0);
    rig_free(r);
}

static void test_this_cpu(void)
{
    Rig *r = rig_new();
    linux_init(r, NCPUS);
    r->cur = 2;
    wr(r, OPENPIC_CTPR, 7);
    CHECK_EQ(rd(r, OPENPIC_CPU(2) + OPENPIC_CTPR), 7);
    CHECK_EQ(rd(r, OPENPIC_CPU(0) + OPENPIC_CTPR), 0);
    /* IPI dispatch through the alias. */
    wr(r, OPENPIC_IPIVPR(1), rd(r, OPENPIC_IPIVPR(1)) & ~OPENPIC_VPR_MSK);
    wr(r, OPENPIC_IPIDR(1), 0x1);
    CHECK(int_of(r, 0));
    r->cur = 0;
    CHECK_EQ(rd(r, OPENPIC_IACK), VEC_IPI0 + 1);
    wr(r, OPENPIC_EOI, 0);
    CHECK_EQ(rd(r, OPENPIC_IPIVPR(1)) & OPENPIC_VPR_A, 0);
    /* A current CPU the controller does not have: reads zero, writes ignored. */
    r->cur = 7;
    CHECK_EQ(rd(r, OPENPIC_WHOAMI), 0);
    CHECK_EQ(rd(r, OPENPIC_IACK), 0);
    wr(r, OPENPIC_CTPR, 3);
    wr(r, OPENPIC_IPIDR(1), 0xf);
    for (unsigned c = 0; c < NCPUS; c++)
        CHECK(!int_of(r, c));
    r->cur = 0xffffffffu;
    wr(r, OPENPIC_EOI, 0);
    CHECK_EQ(rd(r, OPENPIC_CTPR), 0);
    CHECK_EQ(rd(r, OPENPIC_BRR1), 0x00400402);
    rig_free(r);
}

/* A small deterministic generator for the garbage test (xorshift32). */
static uint32_t xorshift(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* The in-service stacks and the per-interrupt in-service masks agree, and no stack
 * holds an interrupt twice. */
static void check_consistent(const OpenPic *p)
{
    unsigned entries = 0, bits = 0;
    for (unsigned c = 0; c < p->ncpus && c < OPENPIC_MAX_CPUS; c++) {
        const OpenPicCpu *cpu = &p->cpu[c];
        CHECK(cpu->nisr <= OPENPIC_NUM_IRQS);
        entries += cpu->nisr;
        for (unsigned i = 0; i < cpu->nisr; i++) {
            CHECK(cpu->isr[i] < OPENPIC_NUM_IRQS);
            CHECK((p->in_service[cpu->isr[i]] >> c) & 1);
            for (unsigned j = i + 1; j < cpu->nisr; j++)
                CHECK(cpu->isr[i] != cpu->isr[j]);
        }
    }
    for (unsigned id = 0; id < OPENPIC_NUM_IRQS; id++)
        bits += (unsigned)__builtin_popcount(p->in_service[id]);
    CHECK_EQ(bits, entries);
}

static void test_garbage(void)
{
    Rig *r = rig_new_n(2, true);
    uint64_t v;
    /* Only 4-byte accesses. */
    CHECK(!bus_read(&r->bus, MPIC + OPENPIC_FRR, 1, &v));
    CHECK(!bus_read(&r->bus, MPIC + OPENPIC_FRR, 2, &v));
    CHECK(!bus_read(&r->bus, MPIC + OPENPIC_FRR, 8, &v));
    CHECK(!bus_write(&r->bus, MPIC + OPENPIC_GCR, 8, 0x80));
    CHECK(!bus_read(&r->bus, MPIC + OPENPIC_SIZE, 4, &v));
    /* Unaligned, reserved and absent-CPU offsets read zero and ignore writes. */
    CHECK_EQ(rd(r, OPENPIC_FRR + 2), 0);
    wr(r, OPENPIC_GCR + 1, 0xffffffff);
    CHECK_EQ(rd(r, OPENPIC_GCR), 0);
    CHECK_EQ(rd(r, OPENPIC_IVPR(256)), 0);
    wr(r, OPENPIC_IVPR(256), 0xffffffff);
    CHECK_EQ(rd(r, OPENPIC_IVPR(256)), 0);
    CHECK_EQ(rd(r, OPENPIC_IVPR(3) + 4), 0);
    CHECK_EQ(rd(r, OPENPIC_CPU(2) + OPENPIC_WHOAMI), 0);
    CHECK_EQ(rd(r, OPENPIC_CPU(31) + OPENPIC_IACK), 0);
    wr(r, OPENPIC_CPU(3) + OPENPIC_IPIDR(0), 0xffffffff);
    CHECK_EQ(rd(r, OPENPIC_FRR + 0x1000), 0);
    /* Field masks: reserved bits read as zero. */
    wr(r, OPENPIC_IVPR(3), 0xffffffff);
    CHECK_EQ(rd(r, OPENPIC_IVPR(3)), 0x80cfffff);
    wr(r, OPENPIC_IDR(3), 0xffffffff);
    CHECK_EQ(rd(r, OPENPIC_IDR(3)), 0xe0000003);
    wr(r, OPENPIC_IPIVPR(1), 0xffffffff);
    CHECK_EQ(rd(r, OPENPIC_IPIVPR(1)), 0x800fffff);
    wr(r, OPENPIC_SVR, 0xffffffff);
    CHECK_EQ(rd(r, OPENPIC_SVR), 0xffff);
    wr(r, OPENPIC_FRR, 0);
    CHECK_EQ(rd(r, OPENPIC_FRR), 0x00ff0102);
    wr(r, OPENPIC_BRR1, 0);
    CHECK_EQ(rd(r, OPENPIC_BRR1), 0x00400402);
    /* Device side. */
    openpic_set_irq(&r->pic, 256, true);
    openpic_set_irq(&r->pic, 0xffffffffu, true);
    IrqLine bad = openpic_irq_line(&r->pic, 1000);
    irq_set(&bad, true);
    CHECK_EQ(openpic_iack(&r->pic, 2), 0xffff);
    CHECK_EQ(openpic_iack(&r->pic, 0xffffffffu), 0xffff);
    /* Every interrupt in service at once on one CPU: the guest lowers each in-service
     * priority so that the next can nest. */
    linux_init(r, 2);
    for (unsigned i = 0; i < 4; i++)
        wr(r, OPENPIC_IPIVPR(i), 15 << 16 | (VEC_IPI0 + i));
    for (unsigned s = 0; s < 256; s++) {
        wr(r, OPENPIC_IVPR(s), 15 << 16 | s);
        openpic_set_irq(&r->pic, s, true);
        CHECK_EQ(iack(r, 0), s);
        wr(r, OPENPIC_IVPR(s), 1 << 16 | s);
    }
    for (unsigned i = 0; i < 4; i++) {
        wr(r, OPENPIC_CPU(1) + OPENPIC_IPIDR(i), 1);
        CHECK_EQ(iack(r, 0), VEC_IPI0 + i);
        wr(r, OPENPIC_IPIVPR(i), 1 << 16 | (VEC_IPI0 + i));
    }
    CHECK_EQ(r->pic.cpu[0].nisr, OPENPIC_NUM_IRQS);
    CHECK_EQ(iack(r, 0), VEC_SPURIOUS);
    for (unsigned i = 0; i < OPENPIC_NUM_IRQS + 10; i++)
        eoi(r, 0);
    CHECK_EQ(r->pic.cpu[0].nisr, 0);
    /* Random writes and reads over the whole window, with device activity in between:
     * nothing may crash or leave the controller inconsistent. */
    static const struct {
        uint64_t base, span;
    } areas[] = {
        { 0, 0x100 },                 /* BRR and the "this CPU" registers */
        { OPENPIC_FRR, 0x1300 },      /* global registers and timers */
        { 0x3900, 0x20 },             /* error interrupts */
        { OPENPIC_SRC_BASE, 0x2100 }, /* sources and past the last */
        { OPENPIC_CPU_BASE, 0x3100 }, /* CPU windows, present or not */
        { 0, OPENPIC_SIZE },          /* anywhere */
    };
    uint32_t seed = 12345;
    for (unsigned i = 0; i < 200000; i++) {
        uint32_t x = xorshift(&seed);
        unsigned a = (x >> 8) % ARRAY_SIZE(areas);
        uint64_t off = (areas[a].base + xorshift(&seed) % areas[a].span) & ~3ull;
        switch (x % 4) {
        case 0: /* half the values without MSK, EP/CI or RST, so that things happen */
            wr(r, off, xorshift(&seed) & (x & 0x200 ? 0x00cf07ffu : 0xffffffffu));
            break;
        case 1: (void)rd(r, off); break;
        case 2: openpic_set_irq(&r->pic, xorshift(&seed) % 300, x & 0x100); break;
        default: (void)openpic_iack(&r->pic, xorshift(&seed) % 3); break;
        }
        r->cur = xorshift(&seed) % 3;
    }
    check_consistent(&r->pic);
    /* Afterwards Linux can still bring it up and use it. */
    for (unsigned s = 0; s < 256; s++)
        openpic_set_irq(&r->pic, s, false);
    linux_init(r, 2);
    CHECK_EQ(r->pic.cpu[0].nisr, 0);
    linux_setup(r, 42, true, 8, 1);
    openpic_set_irq(&r->pic, 42, true);
    CHECK(int_of(r, 1));
    CHECK_EQ(iack(r, 1), 42);
    eoi(r, 1);
    rig_free(r);
}

static void test_fdt(void)
{
    Rig *r = rig_new();
    void *fdt = test_fdt_begin();
    CHECK_EQ(openpic_fdt(&r->pic, fdt, 0xfe0040000ULL, 7), 0);
    test_fdt_finish(fdt);
    const char *path = "/pic@fe0040000";
    int node = fdt_path_offset(fdt, path);
    CHECK(node >= 0);
    CHECK(fdt_node_check_compatible(fdt, node, "fsl,mpic") == 0);
    CHECK(fdt_node_check_compatible(fdt, node, "chrp,open-pic") == 0);
    const char *type = fdt_getprop(fdt, node, "device_type", NULL);
    CHECK(type && strcmp(type, "open-pic") == 0);
    CHECK_EQ(test_fdt_cell(fdt, path, "reg", 0), 0xf);
    CHECK_EQ(test_fdt_cell(fdt, path, "reg", 1), 0xe0040000);
    CHECK_EQ(test_fdt_cell(fdt, path, "reg", 2), 0);
    CHECK_EQ(test_fdt_cell(fdt, path, "reg", 3), 0x40000);
    CHECK_EQ(test_fdt_len(fdt, path, "interrupt-controller"), 0);
    CHECK_EQ(test_fdt_cell(fdt, path, "#interrupt-cells", 0), 2);
    CHECK_EQ(test_fdt_cell(fdt, path, "#address-cells", 0), 0);
    CHECK_EQ(test_fdt_cell(fdt, path, "phandle", 0), 7);
    CHECK_EQ(fdt_node_offset_by_phandle(fdt, 7), node);
    free(fdt);
    rig_free(r);
}

int main(void)
{
    test_identity();
    test_linux_init();
    test_delivery();
    test_priority();
    test_nesting();
    test_edge_level();
    test_ipi();
    test_proxy_iack();
    test_gcr_reset();
    test_critical();
    test_core_reset();
    test_this_cpu();
    test_garbage();
    test_fdt();
    return unit_summary("test_openpic");
}
