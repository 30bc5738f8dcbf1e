/* devices/mpc8xxx_gpio.c: the Freescale GPIO block (see mpc8xxx_gpio.h), following the
 * "General Purpose I/O (GPIO)" chapter of the QorIQ reference manuals as Linux's
 * gpio-mpc8xxx.c driver uses it: GPDIR 1 = output; GPDAT reads the latch for output pins
 * and the pin for input pins; GPIER bits are set by input events and cleared by writing
 * ones; GPICR 1 = falling edge only, 0 = any change; GPIMR 1 = the event interrupts;
 * Quirk(qoriq): an input pin reaches GPDAT and GPIER only while its GPIBE bit is set (the
 * driver sets them all at probe for "fsl,qoriq-gpio"). GPODR only changes how a high
 * output is driven (released instead of pushed), which nothing here can tell apart, so it
 * is kept for the guest. */
#include "devices/mpc8xxx_gpio.h"
#include "cpu/common/state.h"

#include "devices/dev_fdt.h"

/* Levels the block sees on its input pins. */
static uint32_t inputs_seen(const Mpc8xxxGpio *g)
{
    return g->in & g->ibe & ~g->dir;
}

static void update(Mpc8xxxGpio *g)
{
    bool level = (g->ier & g->imr) != 0;
    if (level != g->irq_level) {
        g->irq_level = level;
        irq_set(&g->irq, level);
    }
    uint32_t driven = g->dat & g->dir, diff = driven ^ g->driven;
    g->driven = driven;
    for (unsigned n = 0; n < MPC8XXX_GPIO_PINS; n++)
        if (diff & MPC8XXX_GPIO_BIT(n))
            irq_set(&g->out[n], (driven & MPC8XXX_GPIO_BIT(n)) != 0);
}

void mpc8xxx_gpio_reset(Mpc8xxxGpio *g)
{
    g->dir = g->odr = g->dat = g->ier = g->imr = g->icr = g->ibe = 0;
    update(g);
}

void mpc8xxx_gpio_connect(Mpc8xxxGpio *g, unsigned pin, IrqLine line)
{
    if (pin < MPC8XXX_GPIO_PINS)
        g->out[pin] = line;
}

/* An input change latches an event for each pin whose seen level changed: any change,
 * or with GPICR set only a high-to-low one. */
void mpc8xxx_gpio_set_input(Mpc8xxxGpio *g, unsigned pin, bool level)
{
    if (pin >= MPC8XXX_GPIO_PINS)
        return;
    uint32_t before = inputs_seen(g), bit = MPC8XXX_GPIO_BIT(pin);
    g->in = level ? g->in | bit : g->in & ~bit;
    uint32_t after = inputs_seen(g), changed = before ^ after;
    g->ier |= changed & (~g->icr | (before & ~after));
    update(g);
}

static void gpio_in_handler(void *opaque, unsigned n, bool level)
{
    mpc8xxx_gpio_set_input(opaque, n, level);
}

IrqLine mpc8xxx_gpio_in_line(Mpc8xxxGpio *g, unsigned pin)
{
    return (IrqLine){ .set = gpio_in_handler, .opaque = g, .n = pin };
}

static void poweroff_handler(void *opaque, unsigned n, bool level)
{
    SysCtl *sys = opaque;
    if (level && sys->shutdown)
        sys->shutdown(sys->opaque, 0);
}

IrqLine mpc8xxx_gpio_poweroff_line(SysCtl *sys)
{
    return (IrqLine){ .set = poweroff_handler, .opaque = sys };
}

static uint64_t gpio_read(void *opaque, uint64_t off, unsigned size)
{
    Mpc8xxxGpio *g = opaque;
    switch (off) {
    case MPC8XXX_GPDIR: return g->dir;
    case MPC8XXX_GPODR: return g->odr;
    case MPC8XXX_GPDAT: return (g->dat & g->dir) | inputs_seen(g);
    case MPC8XXX_GPIER: return g->ier;
    case MPC8XXX_GPIMR: return g->imr;
    case MPC8XXX_GPICR: return g->icr;
    case MPC8XXX_GPIBE: return g->ibe;
    default: return 0;
    }
}

static void gpio_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
    Mpc8xxxGpio *g = opaque;
    uint32_t v = (uint32_t)val;
    switch (off) {
    case MPC8XXX_GPDIR: g->dir = v; break;
    case MPC8XXX_GPODR: g->odr = v; break;
    case MPC8XXX_GPDAT: g->dat = v; break;
    case MPC8XXX_GPIER: g->ier &= ~v; break;
    case MPC8XXX_GPIMR: g->imr = v; break;
    case MPC8XXX_GPICR: g->icr = v; break;
    case MPC8XXX_GPIBE: g->ibe = v; break;
    default: return;
    }
    update(g);
}

static const MmioOps gpio_ops = {
    .read = gpio_read,
    .write = gpio_write,
    .min_size = 4,
    .max_size = 4,
    .endian = DEV_BIG_ENDIAN,
};

void mpc8xxx_gpio_init(Mpc8xxxGpio *g, Bus *bus, uint64_t base, IrqLine irq)
{
    *g = (Mpc8xxxGpio){ .base = base, .irq = irq };
    bus_map_mmio(bus, "mpc8xxx_gpio", base, MPC8XXX_GPIO_SIZE, &gpio_ops, g);
}

int mpc8xxx_gpio_fdt(const Mpc8xxxGpio *g, void *fdt, uint64_t reg_base, uint32_t phandle,
                     uint32_t irq, uint32_t pic_phandle)
{
    fdt32_t irqs[2] = { cpu_to_fdt32(irq), cpu_to_fdt32(2) };
    DEV_FDT_TRY(dev_fdt_begin_unit(fdt, "gpio", reg_base));
    DEV_FDT_TRY(fdt_property_string(fdt, "compatible", "fsl,qoriq-gpio"));
    DEV_FDT_TRY(dev_fdt_reg(fdt, reg_base, MPC8XXX_GPIO_SIZE));
    DEV_FDT_TRY(fdt_property(fdt, "interrupts", irqs, sizeof(irqs)));
    DEV_FDT_TRY(fdt_property_u32(fdt, "interrupt-parent", pic_phandle));
    DEV_FDT_TRY(fdt_property(fdt, "gpio-controller", NULL, 0));
    DEV_FDT_TRY(fdt_property_u32(fdt, "#gpio-cells", 2));
    DEV_FDT_TRY(fdt_property_u32(fdt, "phandle", phandle));
    return fdt_end_node(fdt);
}

int mpc8xxx_gpio_poweroff_fdt(void *fdt, uint32_t gpio_phandle, unsigned pin)
{
    fdt32_t gpios[3] = { cpu_to_fdt32(gpio_phandle), cpu_to_fdt32(pin), cpu_to_fdt32(0) };
    DEV_FDT_TRY(fdt_begin_node(fdt, "power-off"));
    DEV_FDT_TRY(fdt_property_string(fdt, "compatible", "gpio-poweroff"));
    DEV_FDT_TRY(fdt_property(fdt, "gpios", gpios, sizeof(gpios)));
    return fdt_end_node(fdt);
}

void mpc8xxx_gpio_save(const Mpc8xxxGpio *g, StateW *w)
{
    const uint32_t v[] = { g->dir, g->odr, g->dat, g->ier, g->imr, g->icr, g->ibe, g->in,
                           g->driven };
    sw_u32s(w, v, ARRAY_SIZE(v));
    sw_bool(w, g->irq_level);
}

void mpc8xxx_gpio_load(Mpc8xxxGpio *g, StateR *r)
{
    uint32_t v[9];
    sr_u32s(r, v, ARRAY_SIZE(v));
    g->dir = v[0], g->odr = v[1], g->dat = v[2], g->ier = v[3], g->imr = v[4], g->icr = v[5];
    g->ibe = v[6], g->in = v[7], g->driven = v[8];
    g->irq_level = sr_bool(r);
}
