/* tests/unit/devices/test_xics.c: the XICS interrupt controller of devices/xics.c driven
 * as the PAPR hcalls and RTAS calls drive it (LoPAR chapter 6 "Interrupt Controller" and
 * the "Interrupt Support hcall()s"): source priorities against the CPPR, the more
 * favoured interrupt replacing a presented one, rejection and resend, accept (XIRR) and
 * EOI with level-sensitive re-presentation, IPIs through the MFRR, set-xive routing to
 * servers, int-off masking and int-on re-presenting, message-signalled sources, the
 * external lines the ICPs drive, and the device-tree node. */
#include "devices/xics.h"
#include "tests/unit/devices/dev_test.h"

#define BASE 4096
#define NSRC 16
#define NSERVERS 2

typedef struct Rig {
    Xics x;
    TestIrqs ext; /* line n = server n's external interrupt */
} Rig;

static void set_external(void *opaque, unsigned server, bool level)
{
    test_irq_set(opaque, server, level);
}

static Rig *rig_new(void)
{
    Rig *r = calloc(1, sizeof(*r));
    if (!xics_init(&r->x, NSERVERS, BASE, NSRC, set_external, &r->ext)) {
        fprintf(stderr, "test_xics: xics_init failed\n");
        exit(2);
    }
    return r;
}

static void rig_free(Rig *r)
{
    xics_free(&r->x);
    free(r);
}

static uint32_t xisr_of(Rig *r, unsigned server)
{
    return xics_poll(&r->x, server, NULL) & 0xffffff;
}

static uint8_t cppr_of(Rig *r, unsigned server)
{
    return (uint8_t)(xics_poll(&r->x, server, NULL) >> 24);
}

static void test_init(void)
{
    Xics x;
    CHECK(!xics_init(&x, 0, BASE, NSRC, NULL, NULL));
    CHECK(!xics_init(&x, XICS_MAX_SERVERS + 1, BASE, NSRC, NULL, NULL));
    CHECK(!xics_init(&x, 1, XICS_IPI, NSRC, NULL, NULL));
    CHECK(!xics_init(&x, 1, 0xfffff0, 0x20, NULL, NULL));

    Rig *r = rig_new();
    uint32_t server = 99;
    uint8_t prio = 0, mfrr = 0;
    CHECK_EQ(xics_poll(&r->x, 0, &mfrr), 0); /* CPPR 0, nothing presented */
    CHECK_EQ(mfrr, 0xff);
    CHECK(xics_irq_valid(&r->x, BASE));
    CHECK(xics_irq_valid(&r->x, BASE + NSRC - 1));
    CHECK(!xics_irq_valid(&r->x, BASE + NSRC));
    CHECK(!xics_irq_valid(&r->x, BASE - 1));
    CHECK(xics_server_valid(&r->x, 1));
    CHECK(!xics_server_valid(&r->x, 2));
    CHECK_EQ(xics_get_xive(&r->x, BASE + 3, &server, &prio), XICS_OK);
    CHECK_EQ(server, 0);
    CHECK_EQ(prio, XICS_PRIO_MASKED);
    CHECK_EQ(xics_get_xive(&r->x, BASE + NSRC, &server, &prio), XICS_BAD_IRQ);

    /* Masked sources and CPPR 0 present nothing. */
    xics_set_irq(&r->x, BASE, true);
    CHECK(!r->ext.level[0]);
    CHECK_EQ(xics_set_xive(&r->x, BASE, 0, 5), XICS_OK);
    CHECK(!r->ext.level[0]); /* CPPR 0 is more favoured than 5 */
    xics_set_cppr(&r->x, 0, 0xff);
    CHECK(r->ext.level[0]);
    CHECK_EQ(xisr_of(r, 0), BASE);

    /* Reset: everything back, the line lowered. */
    xics_reset(&r->x);
    CHECK(!r->ext.level[0]);
    CHECK_EQ(xics_poll(&r->x, 0, &mfrr), 0);
    CHECK_EQ(xics_get_xive(&r->x, BASE, &server, &prio), XICS_OK);
    CHECK_EQ(prio, XICS_PRIO_MASKED);
    rig_free(r);
}

/* A level-sensitive source: presented, accepted (CPPR takes its priority), EOIed; it
 * presents again while the device keeps the line high. */
static void test_accept_eoi_lsi(void)
{
    Rig *r = rig_new();
    xics_set_cppr(&r->x, 0, 0xff);
    xics_set_xive(&r->x, BASE + 1, 0, 5);
    IrqLine line = xics_irq(&r->x, BASE + 1);
    irq_set(&line, true);
    CHECK(r->ext.level[0]);
    CHECK_EQ(r->ext.rises[0], 1);
    CHECK_EQ(xics_accept(&r->x, 0), 0xff000000u | (BASE + 1));
    CHECK(!r->ext.level[0]);
    CHECK_EQ(cppr_of(r, 0), 5);
    CHECK_EQ(xisr_of(r, 0), 0);
    /* Nothing more to accept: the XIRR reads CPPR and XISR 0. */
    CHECK_EQ(xics_accept(&r->x, 0), 0x05000000u);
    /* EOI with the line still high: presented again. */
    xics_eoi(&r->x, 0, 0xff000000u | (BASE + 1));
    CHECK_EQ(cppr_of(r, 0), 0xff);
    CHECK(r->ext.level[0]);
    CHECK_EQ(r->ext.rises[0], 2);
    CHECK_EQ(xics_accept(&r->x, 0), 0xff000000u | (BASE + 1));
    irq_set(&line, false);
    xics_eoi(&r->x, 0, 0xff000000u | (BASE + 1));
    CHECK(!r->ext.level[0]);
    CHECK_EQ(r->ext.rises[0], 2);
    CHECK_EQ(xisr_of(r, 0), 0);
    /* A line out of range does nothing. */
    IrqLine none = xics_irq(&r->x, BASE + NSRC);
    CHECK(none.set == NULL);
    irq_set(&none, true);
    rig_free(r);
}

/* Priorities against the CPPR: equal or less favoured waits; a less favoured CPPR lets
 * it through; a more favoured CPPR takes a presented interrupt back. */
static void test_cppr_masking(void)
{
    Rig *r = rig_new();
    xics_set_cppr(&r->x, 0, 5);
    xics_set_xive(&r->x, BASE + 2, 0, 5);
    xics_set_irq(&r->x, BASE + 2, true);
    CHECK(!r->ext.level[0]);
    xics_set_cppr(&r->x, 0, 6);
    CHECK(r->ext.level[0]);
    CHECK_EQ(xisr_of(r, 0), BASE + 2);
    xics_set_cppr(&r->x, 0, 5);
    CHECK(!r->ext.level[0]);
    CHECK_EQ(xisr_of(r, 0), 0);
    xics_set_cppr(&r->x, 0, 0xff);
    CHECK(r->ext.level[0]);
    CHECK_EQ(xisr_of(r, 0), BASE + 2);
    rig_free(r);
}

/* A more favoured source replaces the presented one, which is sent again after the EOI
 * of the first. */
static void test_priorities(void)
{
    Rig *r = rig_new();
    xics_set_cppr(&r->x, 0, 0xff);
    xics_set_xive(&r->x, BASE + 3, 0, 5);
    xics_set_xive(&r->x, BASE + 4, 0, 3);
    xics_set_xive(&r->x, BASE + 5, 0, 7);
    xics_set_irq(&r->x, BASE + 3, true);
    CHECK_EQ(xisr_of(r, 0), BASE + 3);
    xics_set_irq(&r->x, BASE + 4, true);
    CHECK_EQ(xisr_of(r, 0), BASE + 4);
    xics_set_irq(&r->x, BASE + 5, true); /* less favoured than the presented 3 */
    CHECK_EQ(xisr_of(r, 0), BASE + 4);
    CHECK_EQ(xics_accept(&r->x, 0), 0xff000000u | (BASE + 4));
    CHECK_EQ(cppr_of(r, 0), 3);
    CHECK(!r->ext.level[0]);
    xics_set_irq(&r->x, BASE + 4, false);
    xics_eoi(&r->x, 0, 0xff000000u | (BASE + 4));
    CHECK(r->ext.level[0]);
    CHECK_EQ(xisr_of(r, 0), BASE + 3); /* 5 before 7 */
    CHECK_EQ(xics_accept(&r->x, 0), 0xff000000u | (BASE + 3));
    xics_set_irq(&r->x, BASE + 3, false);
    /* EOI back to the CPPR 5 of a nested handler: 7 still waits. */
    xics_eoi(&r->x, 0, 0x05000000u | (BASE + 3));
    CHECK(!r->ext.level[0]);
    xics_set_cppr(&r->x, 0, 0xff);
    CHECK_EQ(xisr_of(r, 0), BASE + 5);
    rig_free(r);
}

/* IPIs: the MFRR presents as XISR 2 when more favoured than the CPPR; it replaces a less
 * favoured source and waits behind a more favoured one. */
static void test_ipi(void)
{
    Rig *r = rig_new();
    uint8_t mfrr = 0;
    xics_set_cppr(&r->x, 1, 0xff);
    xics_set_mfrr(&r->x, 1, 4);
    CHECK(r->ext.level[1]);
    CHECK(!r->ext.level[0]);
    CHECK_EQ(xics_poll(&r->x, 1, &mfrr), 0xff000000u | XICS_IPI);
    CHECK_EQ(mfrr, 4);
    CHECK(r->ext.level[1]); /* polling has no side effect */
    CHECK_EQ(xics_accept(&r->x, 1), 0xff000000u | XICS_IPI);
    CHECK_EQ(cppr_of(r, 1), 4);
    xics_set_mfrr(&r->x, 1, 0xff);
    xics_eoi(&r->x, 1, 0xff000000u | XICS_IPI);
    CHECK(!r->ext.level[1]);
    CHECK_EQ(xisr_of(r, 1), 0);

    /* Masked by the CPPR, then let through. */
    xics_set_cppr(&r->x, 1, 2);
    xics_set_mfrr(&r->x, 1, 4);
    CHECK(!r->ext.level[1]);
    xics_set_cppr(&r->x, 1, 0xff);
    CHECK(r->ext.level[1]);
    CHECK_EQ(xisr_of(r, 1), XICS_IPI);
    xics_accept(&r->x, 1);
    xics_set_mfrr(&r->x, 1, 0xff);
    xics_eoi(&r->x, 1, 0xff000000u | XICS_IPI);

    /* Against a source of priority 3 on the same server. */
    xics_set_xive(&r->x, BASE + 6, 1, 3);
    xics_set_irq(&r->x, BASE + 6, true);
    CHECK_EQ(xisr_of(r, 1), BASE + 6);
    xics_set_mfrr(&r->x, 1, 5);
    CHECK_EQ(xisr_of(r, 1), BASE + 6);
    xics_set_mfrr(&r->x, 1, 1);
    CHECK_EQ(xisr_of(r, 1), XICS_IPI);
    CHECK_EQ(xics_accept(&r->x, 1), 0xff000000u | XICS_IPI);
    xics_set_mfrr(&r->x, 1, 0xff);
    xics_eoi(&r->x, 1, 0xff000000u | XICS_IPI);
    CHECK_EQ(xisr_of(r, 1), BASE + 6); /* the rejected source comes back */
    CHECK(r->ext.level[1]);
    rig_free(r);
}

/* ibm,set-xive routes a source to a server; bad numbers are refused. */
static void test_set_xive_routing(void)
{
    Rig *r = rig_new();
    uint32_t server = 0;
    uint8_t prio = 0;
    xics_set_cppr(&r->x, 0, 0xff);
    xics_set_cppr(&r->x, 1, 0xff);
    CHECK_EQ(xics_set_xive(&r->x, BASE + 7, 1, 6), XICS_OK);
    CHECK_EQ(xics_get_xive(&r->x, BASE + 7, &server, &prio), XICS_OK);
    CHECK_EQ(server, 1);
    CHECK_EQ(prio, 6);
    xics_set_irq(&r->x, BASE + 7, true);
    CHECK(r->ext.level[1]);
    CHECK(!r->ext.level[0]);
    CHECK_EQ(xisr_of(r, 1), BASE + 7);
    CHECK_EQ(xisr_of(r, 0), 0);
    CHECK_EQ(xics_set_xive(&r->x, BASE + 7, 2, 6), XICS_BAD_SERVER);
    CHECK_EQ(xics_set_xive(&r->x, BASE + NSRC, 0, 6), XICS_BAD_IRQ);
    CHECK_EQ(xics_set_xive(&r->x, 17, 0, 6), XICS_BAD_IRQ);
    CHECK_EQ(xics_get_xive(&r->x, BASE + 7, &server, &prio), XICS_OK);
    CHECK_EQ(server, 1); /* unchanged by the refused calls */

    /* Re-routed while pending on another server after its EOI. */
    xics_accept(&r->x, 1);
    CHECK_EQ(xics_set_xive(&r->x, BASE + 7, 0, 6), XICS_OK);
    xics_eoi(&r->x, 1, 0xff000000u | (BASE + 7));
    CHECK_EQ(xisr_of(r, 0), BASE + 7);
    CHECK(r->ext.level[0]);
    CHECK(!r->ext.level[1]);
    rig_free(r);
}

/* ibm,int-off masks a source keeping its priority; ibm,int-on restores the priority and
 * presents what is asserted. */
static void test_int_off_on(void)
{
    Rig *r = rig_new();
    uint32_t server = 0;
    uint8_t prio = 0;
    xics_set_cppr(&r->x, 0, 0xff);
    xics_set_xive(&r->x, BASE + 8, 0, 4);
    CHECK_EQ(xics_int_off(&r->x, BASE + 8), XICS_OK);
    CHECK_EQ(xics_get_xive(&r->x, BASE + 8, &server, &prio), XICS_OK);
    CHECK_EQ(prio, XICS_PRIO_MASKED);
    CHECK_EQ(xics_int_off(&r->x, BASE + 8), XICS_OK); /* twice keeps the saved priority */
    xics_set_irq(&r->x, BASE + 8, true);
    CHECK(!r->ext.level[0]);
    CHECK_EQ(xics_int_on(&r->x, BASE + 8), XICS_OK);
    CHECK_EQ(xics_get_xive(&r->x, BASE + 8, &server, &prio), XICS_OK);
    CHECK_EQ(prio, 4);
    CHECK(r->ext.level[0]);
    CHECK_EQ(xisr_of(r, 0), BASE + 8);
    CHECK_EQ(xics_int_off(&r->x, BASE + NSRC), XICS_BAD_IRQ);
    CHECK_EQ(xics_int_on(&r->x, BASE + NSRC), XICS_BAD_IRQ);
    rig_free(r);
}

/* Message-signalled sources: each rising level is one interrupt; one that arrives masked
 * or is rejected is kept and sent later; no re-presentation after EOI. */
static void test_msi(void)
{
    Rig *r = rig_new();
    xics_set_lsi(&r->x, BASE + 9, false);
    xics_set_cppr(&r->x, 0, 0xff);
    xics_set_irq(&r->x, BASE + 9, true); /* masked: kept */
    xics_set_irq(&r->x, BASE + 9, false);
    CHECK(!r->ext.level[0]);
    xics_set_xive(&r->x, BASE + 9, 0, 5);
    CHECK(r->ext.level[0]);
    CHECK_EQ(xics_accept(&r->x, 0), 0xff000000u | (BASE + 9));
    xics_eoi(&r->x, 0, 0xff000000u | (BASE + 9));
    CHECK(!r->ext.level[0]); /* an edge does not come back */

    /* Rejected by the CPPR, sent when it is lowered. */
    xics_set_cppr(&r->x, 0, 3);
    xics_set_irq(&r->x, BASE + 9, true);
    CHECK(!r->ext.level[0]);
    xics_set_cppr(&r->x, 0, 0xff);
    CHECK(r->ext.level[0]);
    CHECK_EQ(xisr_of(r, 0), BASE + 9);

    /* int-off / int-on keep one that arrives masked. */
    xics_accept(&r->x, 0);
    xics_eoi(&r->x, 0, 0xff000000u | (BASE + 9));
    xics_int_off(&r->x, BASE + 9);
    xics_set_irq(&r->x, BASE + 9, true);
    CHECK(!r->ext.level[0]);
    xics_int_on(&r->x, BASE + 9);
    CHECK(r->ext.level[0]);
    rig_free(r);
}

static void test_fdt(void)
{
    Rig *r = rig_new();
    void *fdt = test_fdt_begin();
    CHECK_EQ(xics_fdt(&r->x, fdt, 0x42), 0);
    test_fdt_finish(fdt);
    int node = fdt_path_offset(fdt, "/interrupt-controller");
    CHECK(node >= 0);
    CHECK(fdt_node_check_compatible(fdt, node, "IBM,ppc-xicp") == 0);
    const char *type = fdt_getprop(fdt, node, "device_type", NULL);
    CHECK(type && strcmp(type, "PowerPC-External-Interrupt-Presentation") == 0);
    CHECK_EQ(test_fdt_len(fdt, "/interrupt-controller", "interrupt-controller"), 0);
    CHECK_EQ(test_fdt_cell(fdt, "/interrupt-controller", "#interrupt-cells", 0), 2);
    CHECK_EQ(test_fdt_cell(fdt, "/interrupt-controller", "ibm,interrupt-server-ranges", 0), 0);
    CHECK_EQ(test_fdt_cell(fdt, "/interrupt-controller", "ibm,interrupt-server-ranges", 1),
             NSERVERS);
    CHECK_EQ(test_fdt_cell(fdt, "/interrupt-controller", "phandle", 0), 0x42);
    free(fdt);
    rig_free(r);
}

int main(void)
{
    test_init();
    test_accept_eoi_lsi();
    test_cppr_masking();
    test_priorities();
    test_ipi();
    test_set_xive_routing();
    test_int_off_on();
    test_msi();
    test_fdt();
    return unit_summary("test_xics");
}
