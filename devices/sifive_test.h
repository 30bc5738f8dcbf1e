/* devices/sifive_test.h: the SiFive test finisher ("sifive,test1", "sifive,test0",
 * "syscon") of the RISC-V virt board: one 32-bit register at offset 0 whose writes
 * power the machine off with a status or reset it. */
#ifndef HVEMU_SIFIVE_TEST_H
#define HVEMU_SIFIVE_TEST_H

#include "devices/bus.h"

#define SIFIVE_TEST_SIZE 0x1000
#define SIFIVE_TEST_FAIL 0x3333
#define SIFIVE_TEST_PASS 0x5555
#define SIFIVE_TEST_RESET 0x7777

typedef struct SifiveTest {
    SysCtl ctl;
    uint64_t base;
} SifiveTest;

/* Maps the 0x1000-byte window at base (2- and 4-byte accesses). */
void sifive_test_init(SifiveTest *t, Bus *bus, uint64_t base, SysCtl ctl);
/* The register in big-endian byte order (a big-endian CPU's 32-bit store of 0x5555). */
void sifive_test_init_be(SifiveTest *t, Bus *bus, uint64_t base, SysCtl ctl);
/* Three sibling nodes at the current level: test@base (compatible "sifive,test1",
 * "sifive,test0", "syscon"; reg; phandle), poweroff ("syscon-poweroff", regmap, offset 0,
 * value 0x5555) and reboot ("syscon-reboot", regmap, offset 0, value 0x7777). */
int sifive_test_fdt(const SifiveTest *t, void *fdt, uint32_t phandle);

#endif
