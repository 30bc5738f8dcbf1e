/* tests/unit/devices/test_mpc8xxx_gpio.c: the Freescale GPIO block as Linux's
 * gpio-mpc8xxx.c (with the generic MMIO GPIO library, big-endian bit order: pin n is bit
 * 31 - n) and gpio-poweroff.c drive it: reset values, direction, data, input buffer
 * enable, interrupt events on any or falling edges with mask and write-one-to-clear, the
 * output pin lines, the power-off pin, the FDT nodes and guest garbage. Register values
 * are shown as a big-endian CPU (in_be32/out_be32) sees them. */
#include "devices/mpc8xxx_gpio.h"
#include "tests/unit/devices/dev_test.h"

#define GPIO 0xfe00ff000ULL
#define IRQ_LINE 0
#define OUT_LINE(n) (1 + (n)) /* test line of pin n's output */
#define BIT(n) MPC8XXX_GPIO_BIT(n)

typedef struct Rig {
    Bus bus;
    VClock clock;
    uint8_t *ram;
    TestIrqs irqs;
    TestSys sys;
    Mpc8xxxGpio gpio;
} Rig;

static Rig *rig_new(void)
{
    Rig *r = calloc(1, sizeof(*r));
    r->ram = test_bus_init(&r->bus, &r->clock, 4096);
    mpc8xxx_gpio_init(&r->gpio, &r->bus, GPIO, test_irq(&r->irqs, IRQ_LINE));
    for (unsigned n = 0; n < MPC8XXX_GPIO_PINS; n++)
        mpc8xxx_gpio_connect(&r->gpio, n, test_irq(&r->irqs, OUT_LINE(n)));
    return r;
}

static void rig_free(Rig *r)
{
    free(r->ram);
    free(r);
}

static uint32_t rd(Rig *r, uint64_t off)
{
    return __builtin_bswap32((uint32_t)test_rd(&r->bus, GPIO + off, 4));
}

static void wr(Rig *r, uint64_t off, uint32_t v)
{
    test_wr(&r->bus, GPIO + off, 4, __builtin_bswap32(v));
}

static bool irq(const Rig *r)
{
    return r->irqs.level[IRQ_LINE];
}

/* mpc8xxx_probe for "fsl,qoriq-gpio": input buffers on, the data shadow read, every
 * event acknowledged and masked. */
static uint32_t linux_probe(Rig *r)
{
    wr(r, MPC8XXX_GPIBE, 0xffffffff);
    uint32_t shadow = rd(r, MPC8XXX_GPDAT);
    (void)rd(r, MPC8XXX_GPDIR);
    wr(r, MPC8XXX_GPIER, 0xffffffff);
    wr(r, MPC8XXX_GPIMR, 0);
    return shadow;
}

static void test_reset_values(void)
{
    Rig *r = rig_new();
    static const uint64_t regs[] = { MPC8XXX_GPDIR, MPC8XXX_GPODR, MPC8XXX_GPDAT,
                                     MPC8XXX_GPIER, MPC8XXX_GPIMR, MPC8XXX_GPICR,
                                     MPC8XXX_GPIBE };
    for (unsigned i = 0; i < ARRAY_SIZE(regs); i++)
        CHECK_EQ(rd(r, regs[i]), 0);
    CHECK(!irq(r));
    for (unsigned n = 0; n < MPC8XXX_GPIO_PINS; n++)
        CHECK(!r->irqs.level[OUT_LINE(n)]);
    rig_free(r);
}

static void test_direction_data(void)
{
    Rig *r = rig_new();
    uint32_t shadow = linux_probe(r);
    CHECK_EQ(shadow, 0);
    wr(r, MPC8XXX_GPODR, 0x00ff00ff);
    CHECK_EQ(rd(r, MPC8XXX_GPODR), 0x00ff00ff);
    wr(r, MPC8XXX_GPICR, 0x12345678);
    CHECK_EQ(rd(r, MPC8XXX_GPICR), 0x12345678);
    /* Pins 4 and 5 outputs, 6 an input driven high from outside. */
    wr(r, MPC8XXX_GPDIR, BIT(4) | BIT(5));
    CHECK_EQ(rd(r, MPC8XXX_GPDIR), BIT(4) | BIT(5));
    mpc8xxx_gpio_set_input(&r->gpio, 6, true);
    wr(r, MPC8XXX_GPDAT, BIT(4));
    CHECK_EQ(rd(r, MPC8XXX_GPDAT), BIT(4) | BIT(6));
    CHECK(r->irqs.level[OUT_LINE(4)]);
    CHECK(!r->irqs.level[OUT_LINE(5)]);
    /* The latch of an input pin does not reach GPDAT or the pin; an external level on
     * an output pin does not reach GPDAT. */
    wr(r, MPC8XXX_GPDAT, BIT(4) | BIT(7));
    mpc8xxx_gpio_set_input(&r->gpio, 5, true);
    CHECK_EQ(rd(r, MPC8XXX_GPDAT), BIT(4) | BIT(6));
    CHECK(!r->irqs.level[OUT_LINE(7)]);
    /* Turning pin 7 into an output drives its latch. */
    wr(r, MPC8XXX_GPDIR, BIT(4) | BIT(5) | BIT(7));
    CHECK(r->irqs.level[OUT_LINE(7)]);
    CHECK_EQ(rd(r, MPC8XXX_GPDAT), BIT(4) | BIT(6) | BIT(7));
    /* And back to an input releases it. */
    wr(r, MPC8XXX_GPDIR, BIT(4) | BIT(5));
    CHECK(!r->irqs.level[OUT_LINE(7)]);
    /* Input buffers off: inputs read as zero. */
    wr(r, MPC8XXX_GPIBE, 0);
    CHECK_EQ(rd(r, MPC8XXX_GPDAT), BIT(4));
    rig_free(r);
}

static void test_interrupts(void)
{
    Rig *r = rig_new();
    linux_probe(r);
    IrqLine pin9 = mpc8xxx_gpio_in_line(&r->gpio, 9);
    /* Any-change events (GPICR 0), masked: latched, no interrupt. */
    irq_set(&pin9, true);
    CHECK_EQ(rd(r, MPC8XXX_GPIER), BIT(9));
    CHECK(!irq(r));
    /* mpc8xxx_irq_unmask */
    wr(r, MPC8XXX_GPIMR, rd(r, MPC8XXX_GPIMR) | BIT(9));
    CHECK(irq(r));
    /* The cascade handler reads IER & IMR, the ack writes one to clear. */
    CHECK_EQ(rd(r, MPC8XXX_GPIER) & rd(r, MPC8XXX_GPIMR), BIT(9));
    wr(r, MPC8XXX_GPIER, BIT(9));
    CHECK_EQ(rd(r, MPC8XXX_GPIER), 0);
    CHECK(!irq(r));
    irq_set(&pin9, true); /* no change: no event */
    CHECK(!irq(r));
    irq_set(&pin9, false); /* falling edge */
    CHECK(irq(r));
    wr(r, MPC8XXX_GPIER, 0xffffffff);
    CHECK(!irq(r));
    /* mpc8xxx_irq_set_type(IRQ_TYPE_EDGE_FALLING): rising edges are ignored. */
    wr(r, MPC8XXX_GPICR, rd(r, MPC8XXX_GPICR) | BIT(9));
    irq_set(&pin9, true);
    CHECK_EQ(rd(r, MPC8XXX_GPIER), 0);
    irq_set(&pin9, false);
    CHECK_EQ(rd(r, MPC8XXX_GPIER), BIT(9));
    CHECK(irq(r));
    /* Writing zeros clears nothing; masking drops the line but keeps the event. */
    wr(r, MPC8XXX_GPIER, 0);
    CHECK_EQ(rd(r, MPC8XXX_GPIER), BIT(9));
    wr(r, MPC8XXX_GPIMR, 0);
    CHECK(!irq(r));
    CHECK_EQ(rd(r, MPC8XXX_GPIER), BIT(9));
    wr(r, MPC8XXX_GPIER, BIT(9));
    /* Output pins and pins without an input buffer raise no events. */
    wr(r, MPC8XXX_GPIMR, 0xffffffff);
    wr(r, MPC8XXX_GPDIR, BIT(10));
    mpc8xxx_gpio_set_input(&r->gpio, 10, true);
    wr(r, MPC8XXX_GPIBE, ~BIT(11));
    mpc8xxx_gpio_set_input(&r->gpio, 11, true);
    CHECK_EQ(rd(r, MPC8XXX_GPIER), 0);
    CHECK(!irq(r));
    /* Reset drops everything but the outside levels. */
    mpc8xxx_gpio_set_input(&r->gpio, 12, true);
    CHECK(irq(r));
    mpc8xxx_gpio_reset(&r->gpio);
    CHECK(!irq(r));
    CHECK_EQ(rd(r, MPC8XXX_GPIER), 0);
    CHECK_EQ(rd(r, MPC8XXX_GPDAT), 0); /* buffers off after reset */
    wr(r, MPC8XXX_GPIBE, 0xffffffff);
    CHECK_EQ(rd(r, MPC8XXX_GPDAT), BIT(10) | BIT(11) | BIT(12));
    rig_free(r);
}

/* gpio-poweroff with gpios = <&gpio 0 0>: probe (GPIOD_OUT_LOW: latch then direction,
 * through the bgpio data shadow), then gpio_poweroff_do_poweroff. */
static void test_poweroff(void)
{
    Rig *r = rig_new();
    SysCtl sys = test_sysctl(&r->sys);
    mpc8xxx_gpio_connect(&r->gpio, 0, mpc8xxx_gpio_poweroff_line(&sys));
    mpc8xxx_gpio_set_input(&r->gpio, 3, true); /* some input high at probe */
    uint32_t shadow = linux_probe(r);
    CHECK_EQ(shadow, BIT(3));
    wr(r, MPC8XXX_GPDAT, shadow &= ~BIT(0));
    wr(r, MPC8XXX_GPDIR, rd(r, MPC8XXX_GPDIR) | BIT(0));
    CHECK_EQ(r->sys.shutdowns, 0);
    /* Other pins toggling do nothing. */
    wr(r, MPC8XXX_GPDIR, rd(r, MPC8XXX_GPDIR) | BIT(1));
    wr(r, MPC8XXX_GPDAT, shadow | BIT(1));
    CHECK_EQ(r->sys.shutdowns, 0);
    /* Active, inactive, active: the first rise powers off. */
    wr(r, MPC8XXX_GPDAT, shadow |= BIT(0));
    CHECK_EQ(r->sys.shutdowns, 1);
    CHECK_EQ(r->sys.status, 0);
    wr(r, MPC8XXX_GPDAT, shadow &= ~BIT(0));
    wr(r, MPC8XXX_GPDAT, shadow |= BIT(0));
    CHECK_EQ(r->sys.shutdowns, 2);
    /* A line with no shutdown hook ignores the request. */
    SysCtl none = { 0 };
    IrqLine l = mpc8xxx_gpio_poweroff_line(&none);
    irq_set(&l, true);
    rig_free(r);
}

static void test_garbage(void)
{
    Rig *r = rig_new();
    uint64_t v;
    CHECK(!bus_read(&r->bus, GPIO + MPC8XXX_GPDAT, 1, &v));
    CHECK(!bus_read(&r->bus, GPIO + MPC8XXX_GPDAT, 8, &v));
    CHECK(!bus_write(&r->bus, GPIO + MPC8XXX_GPDIR, 2, 0xffff));
    CHECK(!bus_read(&r->bus, GPIO + MPC8XXX_GPIO_SIZE, 4, &v));
    CHECK_EQ(rd(r, 0x1c), 0);
    CHECK_EQ(rd(r, 0xffc), 0);
    wr(r, 0x1c, 0xffffffff);
    wr(r, MPC8XXX_GPDIR + 2, 0xffffffff); /* unaligned: ignored */
    CHECK_EQ(rd(r, MPC8XXX_GPDIR), 0);
    CHECK_EQ(rd(r, MPC8XXX_GPDIR + 1), 0);
    mpc8xxx_gpio_set_input(&r->gpio, 32, true);
    mpc8xxx_gpio_set_input(&r->gpio, 0xffffffffu, true);
    IrqLine bad = mpc8xxx_gpio_in_line(&r->gpio, 1000);
    irq_set(&bad, true);
    mpc8xxx_gpio_connect(&r->gpio, 40, test_irq(&r->irqs, 200));
    CHECK_EQ(r->gpio.in, 0);
    for (unsigned off = 0; off < MPC8XXX_GPIO_SIZE; off += 4) {
        wr(r, off, 0xffffffff);
        (void)rd(r, off);
    }
    CHECK(!r->irqs.level[200]);
    rig_free(r);
}

static void test_fdt(void)
{
    Rig *r = rig_new();
    void *fdt = test_fdt_begin();
    CHECK_EQ(mpc8xxx_gpio_fdt(&r->gpio, fdt, GPIO, 9, 47, 3), 0);
    CHECK_EQ(mpc8xxx_gpio_poweroff_fdt(fdt, 9, 0), 0);
    test_fdt_finish(fdt);
    const char *path = "/gpio@fe00ff000";
    int node = fdt_path_offset(fdt, path);
    CHECK(node >= 0);
    CHECK(fdt_node_check_compatible(fdt, node, "fsl,qoriq-gpio") == 0);
    CHECK_EQ(test_fdt_cell(fdt, path, "reg", 0), 0xf);
    CHECK_EQ(test_fdt_cell(fdt, path, "reg", 1), 0xe00ff000);
    CHECK_EQ(test_fdt_cell(fdt, path, "reg", 3), 0x1000);
    CHECK_EQ(test_fdt_cell(fdt, path, "interrupts", 0), 47);
    CHECK_EQ(test_fdt_cell(fdt, path, "interrupts", 1), 2);
    CHECK_EQ(test_fdt_cell(fdt, path, "interrupt-parent", 0), 3);
    CHECK_EQ(test_fdt_len(fdt, path, "gpio-controller"), 0);
    CHECK_EQ(test_fdt_cell(fdt, path, "#gpio-cells", 0), 2);
    CHECK_EQ(fdt_node_offset_by_phandle(fdt, 9), node);
    int po = fdt_path_offset(fdt, "/power-off");
    CHECK(po >= 0);
    CHECK(fdt_node_check_compatible(fdt, po, "gpio-poweroff") == 0);
    CHECK_EQ(test_fdt_len(fdt, "/power-off", "gpios"), 12);
    CHECK_EQ(test_fdt_cell(fdt, "/power-off", "gpios", 0), 9);
    CHECK_EQ(test_fdt_cell(fdt, "/power-off", "gpios", 1), 0);
    CHECK_EQ(test_fdt_cell(fdt, "/power-off", "gpios", 2), 0);
    free(fdt);
    rig_free(r);
}

int main(void)
{
    test_reset_values();
    test_direction_data();
    test_interrupts();
    test_poweroff();
    test_garbage();
    test_fdt();
    return unit_summary("test_mpc8xxx_gpio");
}
