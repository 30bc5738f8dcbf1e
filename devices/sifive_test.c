/* devices/sifive_test.c: SiFive test finisher, the register behaviour Linux's
 * syscon-poweroff/syscon-reboot drivers and bare-metal test programs rely on on the
 * RISC-V virt board: bits 15:0 of a write to offset 0 select the action (0x5555 pass,
 * 0x3333 fail with the exit code in bits 31:16, 0x7777 reset); any other value and
 * every other offset is ignored; reads return zero. Bindings: Linux
 * Documentation/devicetree/bindings/power/reset/syscon-poweroff.yaml and
 * syscon-reboot.yaml. */
#include "devices/sifive_test.h"

#include "devices/dev_fdt.h"

static uint64_t sifive_test_read(void *opaque, uint64_t off, unsigned size)
{
    return 0;
}

static void sifive_test_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
    SifiveTest *t = opaque;
    if (off != 0)
        return;
    uint32_t code = (uint32_t)(val >> 16) & 0xffff;
    switch (val & 0xffff) {
    case SIFIVE_TEST_PASS:
        if (t->ctl.shutdown)
            t->ctl.shutdown(t->ctl.opaque, 0);
        break;
    case SIFIVE_TEST_FAIL:
        if (t->ctl.shutdown)
            t->ctl.shutdown(t->ctl.opaque, code ? (int)code : 1);
        break;
    case SIFIVE_TEST_RESET:
        if (t->ctl.reset)
            t->ctl.reset(t->ctl.opaque);
        break;
    default:
        break;
    }
}

static const MmioOps sifive_test_ops = {
    .read = sifive_test_read,
    .write = sifive_test_write,
    .min_size = 2,
    .max_size = 4,
    .endian = DEV_LITTLE_ENDIAN,
};

/* The same register for big-endian machines (e500): the value is the 32-bit number a
 * big-endian store writes. */
static const MmioOps sifive_test_ops_be = {
    .read = sifive_test_read,
    .write = sifive_test_write,
    .min_size = 2,
    .max_size = 4,
    .endian = DEV_BIG_ENDIAN,
};

void sifive_test_init(SifiveTest *t, Bus *bus, uint64_t base, SysCtl ctl)
{
    *t = (SifiveTest){ .ctl = ctl, .base = base };
    bus_map_mmio(bus, "sifive_test", base, SIFIVE_TEST_SIZE, &sifive_test_ops, t);
}

void sifive_test_init_be(SifiveTest *t, Bus *bus, uint64_t base, SysCtl ctl)
{
    *t = (SifiveTest){ .ctl = ctl, .base = base };
    bus_map_mmio(bus, "test", base, SIFIVE_TEST_SIZE, &sifive_test_ops_be, t);
}

static int syscon_node(void *fdt, const char *name, const char *compatible, uint32_t regmap,
                       uint32_t value)
{
    DEV_FDT_TRY(fdt_begin_node(fdt, name));
    DEV_FDT_TRY(fdt_property_string(fdt, "compatible", compatible));
    DEV_FDT_TRY(fdt_property_u32(fdt, "regmap", regmap));
    DEV_FDT_TRY(fdt_property_u32(fdt, "offset", 0));
    DEV_FDT_TRY(fdt_property_u32(fdt, "value", value));
    return fdt_end_node(fdt);
}

int sifive_test_fdt(const SifiveTest *t, void *fdt, uint32_t phandle)
{
    DEV_FDT_TRY(dev_fdt_begin_unit(fdt, "test", t->base));
    DEV_FDT_TRY(fdt_property_u32(fdt, "phandle", phandle));
    DEV_FDT_TRY(DEV_FDT_STRINGS(fdt, "compatible", "sifive,test1\0sifive,test0\0syscon"));
    DEV_FDT_TRY(dev_fdt_reg(fdt, t->base, SIFIVE_TEST_SIZE));
    DEV_FDT_TRY(fdt_end_node(fdt));
    DEV_FDT_TRY(syscon_node(fdt, "poweroff", "syscon-poweroff", phandle, SIFIVE_TEST_PASS));
    return syscon_node(fdt, "reboot", "syscon-reboot", phandle, SIFIVE_TEST_RESET);
}
