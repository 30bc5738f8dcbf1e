/* devices/mpc8xxx_gpio.h: the Freescale GPIO block of the MPC8xxx/QorIQ SoCs
 * ("fsl,qoriq-gpio", Linux drivers/gpio/gpio-mpc8xxx.c) as on QEMU's ppce500 board: 32
 * pins with direction (GPDIR), open-drain (GPODR), data (GPDAT), interrupt event (GPIER),
 * mask (GPIMR), control (GPICR) and input buffer enable (GPIBE) registers, big-endian,
 * 32-bit accesses, a 0x1000-byte window. Pin n is bit 31 - n of every register.
 *
 * Wiring. `irq` goes to the interrupt controller and is high while an unmasked event is
 * latched (a level interrupt). out[n] follows the level pin n drives: the GPDAT latch
 * while GPDIR makes the pin an output, low otherwise; the machine hangs whatever it likes
 * on it. External levels enter through mpc8xxx_gpio_set_input. On ppce500 pin 0 is the
 * power-off request of a "gpio-poweroff" node (Linux drivers/power/reset/gpio-poweroff.c):
 * the driver makes the pin an output driving its inactive level at probe, and to power
 * off drives it active, inactive, active again; with the active-high specifier that
 * mpc8xxx_gpio_poweroff_fdt writes, the first rise of out[0] means "power off", which is
 * what mpc8xxx_gpio_poweroff_line turns into a SysCtl shutdown. */
#ifndef HVEMU_MPC8XXX_GPIO_H
#define HVEMU_MPC8XXX_GPIO_H

#include "devices/bus.h"

#define MPC8XXX_GPIO_SIZE 0x1000
#define MPC8XXX_GPIO_PINS 32

#define MPC8XXX_GPDIR 0x00
#define MPC8XXX_GPODR 0x04
#define MPC8XXX_GPDAT 0x08
#define MPC8XXX_GPIER 0x0c
#define MPC8XXX_GPIMR 0x10
#define MPC8XXX_GPICR 0x14
#define MPC8XXX_GPIBE 0x18

/* The register bit of pin n. */
#define MPC8XXX_GPIO_BIT(n) (0x80000000u >> (n))

typedef struct Mpc8xxxGpio {
    uint64_t base;
    uint32_t dir, odr, dat, ier, imr, icr, ibe;
    uint32_t in;     /* levels applied to the pins from outside */
    uint32_t driven; /* last level reported on out[] */
    IrqLine irq;
    bool irq_level;
    IrqLine out[MPC8XXX_GPIO_PINS];
} Mpc8xxxGpio;

/* Maps the window at base; every pin an input, nothing latched, irq low. */
void mpc8xxx_gpio_init(Mpc8xxxGpio *g, Bus *bus, uint64_t base, IrqLine irq);
/* Reset values (external input levels are kept); out[] lines that were high drop. */
void mpc8xxx_gpio_reset(Mpc8xxxGpio *g);
/* Hangs `line` on pin `pin`'s output (pins >= 32 are ignored). */
void mpc8xxx_gpio_connect(Mpc8xxxGpio *g, unsigned pin, IrqLine line);
/* An external level on pin `pin` (pins >= 32 are ignored). An input pin whose input
 * buffer is enabled (GPIBE) latches an event in GPIER on any change, or only on a falling
 * edge when its GPICR bit is set. */
void mpc8xxx_gpio_set_input(Mpc8xxxGpio *g, unsigned pin, bool level);
/* An IrqLine driving pin `pin` from outside. */
IrqLine mpc8xxx_gpio_in_line(Mpc8xxxGpio *g, unsigned pin);
/* An IrqLine that asks sys for a power-off with status 0 when its level rises: hang it
 * on the power-off pin. sys must outlive the line. */
IrqLine mpc8xxx_gpio_poweroff_line(SysCtl *sys);

/* gpio@reg_base { compatible = "fsl,qoriq-gpio"; reg = <reg_base 0x1000>;
 * interrupts = <irq 2>; interrupt-parent = <pic_phandle>; gpio-controller;
 * #gpio-cells = <2>; phandle }, inside a parent with two address and size cells (reg_base
 * is the address as that parent sees it). The interrupt is level, active high (MPIC
 * sense 2). */
int mpc8xxx_gpio_fdt(const Mpc8xxxGpio *g, void *fdt, uint64_t reg_base, uint32_t phandle,
                     uint32_t irq, uint32_t pic_phandle);
/* power-off { compatible = "gpio-poweroff"; gpios = <gpio_phandle pin 0>; } (flags 0:
 * active high), at the current level of the tree (the root or a simple-bus). */
int mpc8xxx_gpio_poweroff_fdt(void *fdt, uint32_t gpio_phandle, unsigned pin);

struct StateW;
struct StateR;
/* Snapshot state (cpu/common/state.h). */
void mpc8xxx_gpio_save(const Mpc8xxxGpio *g, struct StateW *w);
void mpc8xxx_gpio_load(Mpc8xxxGpio *g, struct StateR *r);

#endif
