/* tests/guest/riscv/zicbo.c: the Zicboz and Zicbom extensions (RISC-V Base Cache
 * Management Operation ISA Extensions 1.0) from S-mode under the built-in SBI: the FDT
 * advertises them with riscv,cboz-block-size = riscv,cbom-block-size = 64; cbo.zero
 * zeroes exactly the naturally aligned 64-byte block holding rs1; cbo.clean, cbo.flush
 * and cbo.inval execute (the SBI enabled them in menvcfg); a management CBO needs load
 * or store permission, cbo.zero store permission, and a fault is a store page fault with
 * stval = rs1; senvcfg.CBZE/CBCFE/CBIE gate the instructions in U-mode. */
#include "guest_riscv.h"
#include "pt.h"

/* .insn i MISC-MEM, funct3 2 (CBO), rd x0, rs1, imm = the operation */
#define CBO_(op, addr) __asm__ volatile(".insn i 0x0f, 2, x0, %0, " #op : : "r"(addr) : "memory")
#define CBO(op, addr) CBO_(op, addr)
#define CBO_INVAL 0
#define CBO_CLEAN 1
#define CBO_FLUSH 2
#define CBO_ZERO 4

#define VA_RW 0x40000000UL
#define VA_RO 0x40001000UL
#define VA_NONE 0x40002000UL
#define VA_X 0x40003000UL

static uint8_t buf[256] __attribute__((aligned(64)));
static uint8_t pt_pool[8 * 4096] __attribute__((aligned(4096)));
static uint8_t page_rw[4096] __attribute__((aligned(4096)));
static uint8_t page_ro[4096] __attribute__((aligned(4096)));

static bool has_ext(const char *list, uint32_t len, const char *name)
{
    for (uint32_t k = 0; k < len; k += (uint32_t)strlen(list + k) + 1)
        if (!strcmp(list + k, name))
            return true;
    return false;
}

static void test_fdt(void)
{
    uint32_t v = 0;
    bool ok = fdt_getprop_u32(guest_fdt, "/cpus/cpu@0", "riscv,cboz-block-size", &v);
    report(ok && v == 64, "FDT /cpus/cpu@0 riscv,cboz-block-size = 64 (%u)", v);
    ok = fdt_getprop_u32(guest_fdt, "/cpus/cpu@0", "riscv,cbom-block-size", &v);
    report(ok && v == 64, "FDT /cpus/cpu@0 riscv,cbom-block-size = 64 (%u)", v);
    uint32_t len = 0;
    const char *exts = fdt_getprop(guest_fdt, "/cpus/cpu@0", "riscv,isa-extensions", &len);
    report(exts && has_ext(exts, len, "zicboz") && has_ext(exts, len, "zicbom"),
           "riscv,isa-extensions lists zicboz and zicbom");
    const char *isa = fdt_getprop(guest_fdt, "/cpus/cpu@0", "riscv,isa", &len);
    report(isa && len > 4 && !strncmp(isa, "rv64", 4), "riscv,isa = %s", isa ? isa : "(none)");
}

static void fill(uint8_t v)
{
    memset(buf, v, sizeof(buf));
}

static bool range_is(unsigned from, unsigned to, uint8_t v)
{
    for (unsigned k = from; k < to; k++)
        if (buf[k] != v)
            return false;
    return true;
}

static void test_zero(void)
{
    fill(0xaa);
    trap_expect_begin();
    CBO(CBO_ZERO, buf + 64 + 13);
    struct trap_info t = trap_expect_end();
    report(!t.taken, "cbo.zero executes in S-mode (menvcfg.CBZE set by the SBI)");
    report(range_is(64, 128, 0), "cbo.zero at block + 13 zeroes the whole aligned 64-byte block");
    report(range_is(0, 64, 0xaa) && range_is(128, 256, 0xaa), "and nothing outside it");
    fill(0x55);
    CBO(CBO_ZERO, buf + 255);
    report(range_is(192, 256, 0) && range_is(0, 192, 0x55), "cbo.zero at the last byte of a block");
}

static void test_management(void)
{
    static const struct {
        const char *name;
        unsigned op;
    } ops[] = { { "cbo.clean", CBO_CLEAN }, { "cbo.flush", CBO_FLUSH }, { "cbo.inval", CBO_INVAL } };
    for (unsigned k = 0; k < ARRAY_SIZE(ops); k++) {
        fill(0x5a);
        trap_expect_begin();
        switch (ops[k].op) {
        case CBO_CLEAN: CBO(CBO_CLEAN, buf + 70); break;
        case CBO_FLUSH: CBO(CBO_FLUSH, buf + 70); break;
        default: CBO(CBO_INVAL, buf + 70); break;
        }
        struct trap_info t = trap_expect_end();
        report(!t.taken, "%s executes without a trap (cause %lu)", ops[k].name, t.taken ? t.cause : 0);
        if (ops[k].op != CBO_INVAL)
            report(range_is(0, 256, 0x5a), "%s leaves the data as it was", ops[k].name);
    }
}

static void test_permissions(void)
{
    struct pt pt;
    pt_init(&pt, SATP_MODE_SV39, pt_pool, ARRAY_SIZE(pt_pool) / 4096);
    pt_map(&pt, RAM_BASE, RAM_BASE, PT_1G, PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
    pt_map(&pt, VA_RW, (unsigned long)page_rw, PT_4K, PTE_R | PTE_W | PTE_A | PTE_D);
    pt_map(&pt, VA_RO, (unsigned long)page_ro, PT_4K, PTE_R | PTE_A);
    pt_map(&pt, VA_X, (unsigned long)page_ro, PT_4K, PTE_X | PTE_A);
    memset(page_rw, 0x77, sizeof(page_rw));
    memset(page_ro, 0x66, sizeof(page_ro));
    csr_write(satp, pt_satp(&pt));
    sfence_vma();

    trap_expect_begin();
    CBO(CBO_ZERO, VA_RW + 0x105);
    struct trap_info t = trap_expect_end();
    report(!t.taken && page_rw[0x100] == 0 && page_rw[0x13f] == 0 && page_rw[0xff] == 0x77 &&
               page_rw[0x140] == 0x77,
           "with Sv39, cbo.zero through a virtual address zeroes the physical block");

    trap_expect_begin();
    CBO(CBO_ZERO, VA_RO + 0x48);
    t = trap_expect_end();
    report(t.taken && t.cause == CAUSE_STORE_PAGE_FAULT && t.tval == VA_RO + 0x48 && page_ro[0x40] == 0x66,
           "cbo.zero on a read-only page: store page fault, stval = rs1 (cause %lu, tval 0x%lx)",
           t.cause, t.tval);
    trap_expect_begin();
    CBO(CBO_ZERO, VA_NONE + 0x10);
    t = trap_expect_end();
    report(t.taken && t.cause == CAUSE_STORE_PAGE_FAULT && t.tval == VA_NONE + 0x10,
           "cbo.zero on an unmapped page: store page fault, stval = rs1 (cause %lu, tval 0x%lx)",
           t.cause, t.tval);
    trap_expect_begin();
    CBO(CBO_FLUSH, VA_NONE + 0x20);
    t = trap_expect_end();
    report(t.taken && t.cause == CAUSE_STORE_PAGE_FAULT && t.tval == VA_NONE + 0x20,
           "cbo.flush on an unmapped page: store page fault, stval = rs1 (cause %lu, tval 0x%lx)",
           t.cause, t.tval);
    trap_expect_begin();
    CBO(CBO_CLEAN, VA_X + 0x20);
    t = trap_expect_end();
    report(t.taken && t.cause == CAUSE_STORE_PAGE_FAULT && t.tval == VA_X + 0x20,
           "cbo.clean on an execute-only page (no load, no store): store page fault (cause %lu)",
           t.cause);
    /* A management CBO is allowed where a load is. */
    trap_expect_begin();
    CBO(CBO_CLEAN, VA_RO + 0x20);
    t = trap_expect_end();
    report(!t.taken, "cbo.clean on a read-only page is permitted: loads are (trap %d, cause %lu)",
           t.taken, t.cause);
    trap_expect_begin();
    CBO(CBO_FLUSH, VA_RO + 0x20);
    t = trap_expect_end();
    report(!t.taken, "cbo.flush on a read-only page is permitted (trap %d, cause %lu)", t.taken, t.cause);
    csr_write(satp, 0);
    sfence_vma();
}

static unsigned long u_zero(unsigned long addr)
{
    CBO(CBO_ZERO, addr);
    return 0;
}
static unsigned long u_clean(unsigned long addr)
{
    CBO(CBO_CLEAN, addr);
    return 0;
}
static unsigned long u_flush(unsigned long addr)
{
    CBO(CBO_FLUSH, addr);
    return 0;
}
static unsigned long u_inval(unsigned long addr)
{
    CBO(CBO_INVAL, addr);
    return 0;
}

static struct trap_info in_user(unsigned long (*fn)(unsigned long), unsigned long arg)
{
    trap_expect_begin();
    run_in_mode(PRV_U, fn, arg);
    return trap_expect_end();
}

static void test_senvcfg(void)
{
    csr_write(CSR_SENVCFG, 0);
    report(csr_read(CSR_SENVCFG) == 0, "senvcfg = 0");
    struct trap_info t = in_user(u_zero, (unsigned long)buf);
    report(t.taken && t.cause == CAUSE_ILLEGAL_INSTRUCTION && t.level == PRV_S,
           "senvcfg.CBZE = 0: cbo.zero in U-mode is an illegal instruction (cause %lu)", t.cause);
    t = in_user(u_clean, (unsigned long)buf);
    report(t.taken && t.cause == CAUSE_ILLEGAL_INSTRUCTION,
           "senvcfg.CBCFE = 0: cbo.clean in U-mode is illegal (cause %lu)", t.cause);
    t = in_user(u_flush, (unsigned long)buf);
    report(t.taken && t.cause == CAUSE_ILLEGAL_INSTRUCTION,
           "senvcfg.CBCFE = 0: cbo.flush in U-mode is illegal (cause %lu)", t.cause);
    t = in_user(u_inval, (unsigned long)buf);
    report(t.taken && t.cause == CAUSE_ILLEGAL_INSTRUCTION,
           "senvcfg.CBIE = 00: cbo.inval in U-mode is illegal (cause %lu)", t.cause);

    csr_write(CSR_SENVCFG, MENVCFG_CBZE | MENVCFG_CBCFE | (1UL << 4));
    report(csr_read(CSR_SENVCFG) == (MENVCFG_CBZE | MENVCFG_CBCFE | (1UL << 4)),
           "senvcfg = CBZE | CBCFE | CBIE=01 (0x%lx)", csr_read(CSR_SENVCFG));
    fill(0xcc);
    t = in_user(u_zero, (unsigned long)buf + 130);
    report(!t.taken && range_is(128, 192, 0) && range_is(0, 128, 0xcc),
           "senvcfg.CBZE = 1: cbo.zero works in U-mode");
    t = in_user(u_clean, (unsigned long)buf);
    report(!t.taken, "senvcfg.CBCFE = 1: cbo.clean works in U-mode");
    t = in_user(u_inval, (unsigned long)buf);
    report(!t.taken && range_is(0, 128, 0xcc),
           "senvcfg.CBIE = 01: cbo.inval in U-mode runs as a flush (data kept)");
    csr_write(CSR_SENVCFG, 3UL << 4);
    t = in_user(u_inval, (unsigned long)buf);
    report(!t.taken, "senvcfg.CBIE = 11: cbo.inval in U-mode executes");
    csr_write(CSR_SENVCFG, 0);
}

int main(void)
{
    test_fdt();
    test_zero();
    test_management();
    test_permissions();
    test_senvcfg();
    return 0;
}
