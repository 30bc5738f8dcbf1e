/* devices/dev_fdt.h: small helpers the device FDT node functions share. Every node is
 * written with libfdt's sequential-write API (fdt_begin_node ... fdt_end_node) at the
 * place the machine has reached in its tree, following the Devicetree Specification
 * v0.4, chapter 2 ("The Devicetree"): the parent bus of every device node has
 * #address-cells = <2> and #size-cells = <2>, as on the RISC-V virt board's /soc. */
#ifndef HVEMU_DEV_FDT_H
#define HVEMU_DEV_FDT_H

#include <inttypes.h>
#include <libfdt.h>
#include <stdio.h>

#include "cpu/common/base.h"

/* Return a negative libfdt error from the enclosing function. */
#define DEV_FDT_TRY(expr)                                                                      \
    do {                                                                                       \
        int dev_fdt_err_ = (expr);                                                             \
        if (dev_fdt_err_ < 0)                                                                  \
            return dev_fdt_err_;                                                               \
    } while (0)

/* A string-list property from a literal with embedded NULs: "a\0b". */
#define DEV_FDT_STRINGS(fdt, name, lit) fdt_property((fdt), (name), (lit), sizeof(lit))

/* Opens node "name@<hex addr>". */
static inline int dev_fdt_begin_unit(void *fdt, const char *name, uint64_t addr)
{
    char buf[64];
    snprintf(buf, sizeof(buf), "%s@%" PRIx64, name, addr);
    return fdt_begin_node(fdt, buf);
}

/* reg = <base size> with two cells each. */
static inline int dev_fdt_reg(void *fdt, uint64_t base, uint64_t size)
{
    fdt32_t cells[4] = {
        cpu_to_fdt32((uint32_t)(base >> 32)), cpu_to_fdt32((uint32_t)base),
        cpu_to_fdt32((uint32_t)(size >> 32)), cpu_to_fdt32((uint32_t)size),
    };
    return fdt_property(fdt, "reg", cells, sizeof(cells));
}

/* interrupts = <irq>; interrupt-parent = <parent>, for devices behind a one-cell
 * interrupt controller (PLIC, MPIC with its own helper). */
static inline int dev_fdt_irq(void *fdt, uint32_t irq, uint32_t parent_phandle)
{
    DEV_FDT_TRY(fdt_property_u32(fdt, "interrupts", irq));
    return fdt_property_u32(fdt, "interrupt-parent", parent_phandle);
}

#endif
