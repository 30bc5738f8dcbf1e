/* tests/guest/riscv/interrupts.c: interrupts of a hart on the virt board (Volume II
 * 1.12: 3.1.9 "mip and mie" with the priority order MEI, MSI, MTI, SEI, SSI, STI,
 * 3.1.8 mideleg, 3.1.7 vectored mtvec, 3.2.1 mtime/mtimecmp, 3.3.3 WFI; the Sstc
 * extension (menvcfg.STCE, stimecmp); the ACLINT MSWI/MTIMER at 0x2000000; the PLIC
 * specification 1.0 (priority, pending, enable, threshold, claim/complete) with the
 * ns16550's transmitter-holding-register-empty interrupt as the device, PLIC source 10). */
#include "guest_riscv.h"

#define IRQ_CAUSE(n) (CAUSE_INTERRUPT | (n))
#define UART_IER (UART0_BASE + 1)
#define UART_IER_ETBEI 0x02

extern char m_trap_entry[];
extern char vec_table[];

static volatile unsigned long order[16], norder;
static volatile unsigned long levels[16];
static volatile unsigned long claimed[4], nclaimed;

static void clear_source(unsigned long code, unsigned long level)
{
    switch (code) {
    case IRQ_M_SOFT:
        writel(CLINT_MSIP(0), 0);
        break;
    case IRQ_M_TIMER:
        writeq(CLINT_MTIMECMP(0), ~0UL);
        break;
    case IRQ_M_EXT: {
        uint32_t id = readl(PLIC_CLAIM(0));
        claimed[nclaimed++ & 3] = id;
        writeb(UART_IER, 0);
        writel(PLIC_CLAIM(0), id);
        break;
    }
    case IRQ_S_SOFT:
        if (level == PRV_M)
            csr_clear(mip, MIP_SSIP);
        else
            csr_clear(sip, MIP_SSIP);
        break;
    case IRQ_S_TIMER:
        if (level == PRV_S || (csr_read(CSR_MENVCFG) & MENVCFG_STCE))
            csr_write(CSR_STIMECMP, ~0UL);
        else
            csr_clear(mip, MIP_STIP);
        break;
    case IRQ_S_EXT:
        csr_clear(mip, MIP_SEIP);
        break;
    }
}

static bool irq_handler(struct trap_frame *f)
{
    if (!(f->cause & CAUSE_INTERRUPT))
        return false;
    unsigned long code = f->cause & ~CAUSE_INTERRUPT;
    unsigned long n = norder++;
    if (n < ARRAY_SIZE(order)) {
        order[n] = f->cause;
        levels[n] = f->level;
    }
    clear_source(code, f->level);
    return true;
}

static void reset_log(void)
{
    norder = 0;
    nclaimed = 0;
    for (unsigned k = 0; k < ARRAY_SIZE(order); k++)
        order[k] = levels[k] = 0;
}

static void enable_and_drain(void)
{
    csr_set(mstatus, MSTATUS_MIE);
    for (volatile int k = 0; k < 100; k++)
        ;
    csr_clear(mstatus, MSTATUS_MIE);
}

static void test_timer(void)
{
    unsigned long a = readq(CLINT_MTIME);
    delay_ticks(10);
    unsigned long b = readq(CLINT_MTIME);
    unsigned long t = csr_read(time);
    report(b > a && t >= b, "mtime at 0x200bff8 advances (%lu -> %lu) and the time CSR follows it (%lu)",
           a, b, t);

    reset_log();
    unsigned long deadline = readq(CLINT_MTIME) + 500;
    writeq(CLINT_MTIMECMP(0), deadline);
    report(readq(CLINT_MTIMECMP(0)) == deadline, "mtimecmp at 0x2004000 reads back");
    report(!(csr_read(mip) & MIP_MTIP), "mip.MTIP clear before the deadline");
    while (!(csr_read(mip) & MIP_MTIP) && readq(CLINT_MTIME) < deadline + 100000)
        cpu_relax();
    report((csr_read(mip) & MIP_MTIP) && readq(CLINT_MTIME) >= deadline,
           "mip.MTIP set once mtime >= mtimecmp");
    report(norder == 0, "no trap while mie.MTIE = 0");
    csr_write(mie, MIP_MTIP);
    report(norder == 0, "no trap in M-mode while mstatus.MIE = 0");
    enable_and_drain();
    report(norder == 1 && order[0] == IRQ_CAUSE(IRQ_M_TIMER) && levels[0] == PRV_M,
           "machine timer interrupt: mcause 0x8000000000000007 (0x%lx, %lu taken)", order[0], norder);
    report(!(csr_read(mip) & MIP_MTIP), "mtimecmp = -1 in the handler cleared mip.MTIP");

    writeq(CLINT_MTIMECMP(0), 0);
    report(csr_read(mip) & MIP_MTIP, "mtimecmp in the past: mip.MTIP at once");
    writeq(CLINT_MTIMECMP(0), ~0UL);
    report(!(csr_read(mip) & MIP_MTIP), "mtimecmp = -1: mip.MTIP clear");
    /* A 32-bit write to the high half of mtimecmp (the RV32 way). */
    writeq(CLINT_MTIMECMP(0), ~0UL);
    writel(CLINT_MTIMECMP(0) + 4, 0);
    report(readq(CLINT_MTIMECMP(0)) == 0x00000000ffffffffUL && !(csr_read(mip) & MIP_MTIP),
           "a 32-bit write of the high word of mtimecmp changes that word alone (0x%lx)",
           readq(CLINT_MTIMECMP(0)));
    writel(CLINT_MTIMECMP(0), 0);
    report(readq(CLINT_MTIMECMP(0)) == 0 && (csr_read(mip) & MIP_MTIP),
           "and of the low word: mtimecmp = 0, MTIP set (0x%lx)", readq(CLINT_MTIMECMP(0)));
    writeq(CLINT_MTIMECMP(0), ~0UL);
    csr_write(mie, 0);
}

static void test_software(void)
{
    reset_log();
    writel(CLINT_MSIP(0), 1);
    report(readl(CLINT_MSIP(0)) == 1 && (csr_read(mip) & MIP_MSIP),
           "msip at 0x2000000 = 1 sets mip.MSIP");
    csr_write(mie, MIP_MSIP);
    enable_and_drain();
    report(norder == 1 && order[0] == IRQ_CAUSE(IRQ_M_SOFT),
           "machine software interrupt: mcause 0x8000000000000003 (0x%lx)", order[0]);
    report(readl(CLINT_MSIP(0)) == 0 && !(csr_read(mip) & MIP_MSIP),
           "msip = 0 in the handler cleared mip.MSIP");
    writel(CLINT_MSIP(0), 0xfffffffe);
    report(!(csr_read(mip) & MIP_MSIP) && readl(CLINT_MSIP(0)) == 0,
           "only bit 0 of msip is writable");
    csr_write(mie, 0);
}

static void test_priority(void)
{
    reset_log();
    csr_write(mideleg, 0);
    writel(CLINT_MSIP(0), 1);
    writeq(CLINT_MTIMECMP(0), 0);
    csr_set(mip, MIP_SSIP | MIP_STIP | MIP_SEIP);
    unsigned long pending = csr_read(mip) & (MIP_MSIP | MIP_MTIP | MIP_SSIP | MIP_STIP | MIP_SEIP);
    report(pending == (MIP_MSIP | MIP_MTIP | MIP_SSIP | MIP_STIP | MIP_SEIP),
           "MSIP, MTIP and the software-writable SSIP, STIP, SEIP all pending (mip 0x%lx)", pending);
    csr_write(mie, MIP_MSIP | MIP_MTIP | MIP_SSIP | MIP_STIP | MIP_SEIP);
    enable_and_drain();
    static const unsigned long want[] = { IRQ_M_SOFT, IRQ_M_TIMER, IRQ_S_EXT, IRQ_S_SOFT, IRQ_S_TIMER };
    bool ok = norder == ARRAY_SIZE(want);
    for (unsigned k = 0; k < ARRAY_SIZE(want) && ok; k++)
        ok = order[k] == IRQ_CAUSE(want[k]);
    report(ok, "taken in priority order MSI, MTI, SEI, SSI, STI (got %lu: %lu %lu %lu %lu %lu)", norder,
           order[0] & 63, order[1] & 63, order[2] & 63, order[3] & 63, order[4] & 63);
    csr_write(mie, 0);
}

static unsigned long s_enable_wait(unsigned long arg)
{
    csr_set(sstatus, MSTATUS_SIE);
    for (volatile int k = 0; k < 200; k++)
        ;
    csr_clear(sstatus, MSTATUS_SIE);
    return 0;
}

static unsigned long spin(unsigned long arg)
{
    for (volatile int k = 0; k < 200; k++)
        ;
    return 0;
}

static void test_delegation(void)
{
    reset_log();
    /* With the H extension VSSIP, VSTIP, VSEIP and SGEIP read as delegated (fixed). */
    const unsigned long vs_fixed = (1ul << 2) | (1ul << 6) | (1ul << 10) | (1ul << 12);
    csr_write(mideleg, MIP_SSIP | MIP_STIP | MIP_SEIP);
    report(csr_read(mideleg) == (MIP_SSIP | MIP_STIP | MIP_SEIP | vs_fixed),
           "mideleg delegates SSI, STI, SEI (and the fixed VS bits)");
    csr_write(mie, MIP_SSIP);
    csr_set(mip, MIP_SSIP);
    enable_and_drain();
    report(norder == 0 && (csr_read(mip) & MIP_SSIP),
           "a delegated interrupt is not taken in M-mode, even with MIE = 1");
    report(csr_read(sip) & MIP_SSIP, "sip shows the delegated SSIP");
    report((csr_read(sie) & MIP_SSIP), "sie shows the delegated SSIE");
    run_in_mode(PRV_S, s_enable_wait, 0);
    report(norder == 1 && order[0] == IRQ_CAUSE(IRQ_S_SOFT) && levels[0] == PRV_S,
           "in S-mode with sstatus.SIE = 1 it goes to the S handler: scause 0x8000000000000001 "
           "(0x%lx, level %lu)", order[0], levels[0]);
    report(!(csr_read(mip) & MIP_SSIP), "the S handler cleared it through sip");

    reset_log();
    csr_set(mip, MIP_SSIP);
    csr_clear(mstatus, MSTATUS_SIE);
    run_in_mode(PRV_U, spin, 0);
    report(norder == 1 && order[0] == IRQ_CAUSE(IRQ_S_SOFT) && levels[0] == PRV_S,
           "in U-mode S-level interrupts are enabled whatever SIE says (0x%lx, level %lu)",
           order[0], levels[0]);

    reset_log();
    csr_set(mip, MIP_SSIP);
    run_in_mode(PRV_S, spin, 0);
    report(norder == 0 && (csr_read(mip) & MIP_SSIP),
           "in S-mode with sstatus.SIE = 0 the delegated interrupt waits");
    csr_clear(mip, MIP_SSIP);

    /* An M-level interrupt is taken in S-mode whatever mstatus.MIE says. */
    reset_log();
    writel(CLINT_MSIP(0), 1);
    csr_write(mie, MIP_MSIP);
    run_in_mode(PRV_S, spin, 0);
    report(norder == 1 && order[0] == IRQ_CAUSE(IRQ_M_SOFT) && levels[0] == PRV_M,
           "a non-delegated interrupt pending in S-mode traps to M although MIE = 0 (0x%lx)", order[0]);
    csr_write(mie, 0);
    csr_write(mideleg, 0);
}

static unsigned long s_stimecmp(unsigned long delta)
{
    csr_write(CSR_STIMECMP, csr_read(time) + delta);
    csr_set(sie, MIP_STIP);
    csr_set(sstatus, MSTATUS_SIE);
    unsigned long t0 = csr_read(time);
    while (csr_read(time) - t0 < delta + 2000 && norder == 0)
        cpu_relax();
    csr_clear(sstatus, MSTATUS_SIE);
    return norder;
}

static unsigned long s_read_stimecmp(unsigned long arg)
{
    return csr_read(CSR_STIMECMP);
}

static void test_sstc(void)
{
    csr_write(CSR_MENVCFG, 0);
    csr_write(mcounteren, 0x2);
    trap_expect_begin();
    csr_write(CSR_STIMECMP, 12345);
    unsigned long v = csr_read(CSR_STIMECMP);
    struct trap_info t = trap_expect_end();
    report(!t.taken && v == 12345,
           "with menvcfg.STCE = 0, M-mode still accesses stimecmp (trap %d, cause %lu, read %lu)",
           t.taken, t.cause, v);
    trap_expect_begin();
    run_in_mode(PRV_S, s_read_stimecmp, 0);
    t = trap_expect_end();
    report(t.taken && t.cause == CAUSE_ILLEGAL_INSTRUCTION,
           "with menvcfg.STCE = 0, S-mode access to stimecmp is illegal (cause %lu)", t.cause);
    csr_set(mip, MIP_STIP);
    report(csr_read(mip) & MIP_STIP, "with STCE = 0, mip.STIP is writable by M-mode");
    csr_clear(mip, MIP_STIP);

    csr_write(CSR_MENVCFG, MENVCFG_STCE);
    report(csr_read(CSR_MENVCFG) & MENVCFG_STCE, "menvcfg.STCE set");
    csr_write(CSR_STIMECMP, 0);
    report(csr_read(mip) & MIP_STIP, "stimecmp = 0 (past): mip.STIP at once");
    csr_write(CSR_STIMECMP, ~0UL);
    report(!(csr_read(mip) & MIP_STIP), "stimecmp = -1: mip.STIP clear");
    csr_set(mip, MIP_STIP);
    report(!(csr_read(mip) & MIP_STIP), "with STCE = 1, mip.STIP is read-only (a csrs has no effect)");

    csr_write(mcounteren, 0);
    trap_expect_begin();
    run_in_mode(PRV_S, s_read_stimecmp, 0);
    t = trap_expect_end();
    report(t.taken && t.cause == CAUSE_ILLEGAL_INSTRUCTION,
           "with mcounteren.TM = 0, S-mode access to stimecmp is illegal (cause %lu)", t.cause);
    csr_write(mcounteren, 0x2);

    reset_log();
    csr_write(mideleg, MIP_STIP);
    csr_write(mie, 0);
    unsigned long n = run_in_mode(PRV_S, s_stimecmp, 500);
    report(n == 1 && order[0] == IRQ_CAUSE(IRQ_S_TIMER) && levels[0] == PRV_S,
           "S-mode stimecmp = time + 500 raises a supervisor timer interrupt: scause "
           "0x8000000000000005 in S (0x%lx, level %lu, %lu taken)", order[0], levels[0], n);
    report(!(csr_read(mip) & MIP_STIP), "the handler's stimecmp = -1 cleared STIP");
    csr_write(mie, 0);
    csr_write(mideleg, 0);
    csr_write(CSR_MENVCFG, 0);
    csr_write(mcounteren, 0);
}

static void test_plic(void)
{
    reset_log();
    report(readl(PLIC_CLAIM(0)) == 0, "PLIC claim with nothing pending returns 0");
    writel(PLIC_PRIORITY(UART0_IRQ), 1);
    writel(PLIC_ENABLE(0, UART0_IRQ), 1u << UART0_IRQ);
    writel(PLIC_THRESHOLD(0), 0);
    report(readl(PLIC_PRIORITY(UART0_IRQ)) == 1 && readl(PLIC_ENABLE(0, UART0_IRQ)) == 1u << UART0_IRQ,
           "PLIC priority and enable registers read back");
    report(!(csr_read(mip) & MIP_MEIP), "mip.MEIP clear while the UART is quiet");

    /* Console output stops while the THRE interrupt is enabled: a THR write re-arms it. */
    writeb(UART_IER, UART_IER_ETBEI);
    bool pend = readl(PLIC_PENDING(UART0_IRQ)) & (1u << UART0_IRQ);
    bool meip = csr_read(mip) & MIP_MEIP;
    csr_write(mie, MIP_MEIP);
    enable_and_drain();
    csr_write(mie, 0);
    bool gone = !(csr_read(mip) & MIP_MEIP) && !(readl(PLIC_PENDING(UART0_IRQ)) & (1u << UART0_IRQ));
    report(pend, "UART IER.ETBEI makes PLIC source 10 pending");
    report(meip, "the PLIC raises mip.MEIP for context 0 (hart 0 M-mode)");
    report(norder == 1 && order[0] == IRQ_CAUSE(IRQ_M_EXT),
           "machine external interrupt: mcause 0x800000000000000b (0x%lx)", order[0]);
    report(nclaimed == 1 && claimed[0] == UART0_IRQ, "claim returns source 10 (%lu)", claimed[0]);
    report(gone, "after the UART is quiet and the claim completed, MEIP and the pending bit are clear");

    /* Threshold: a source is delivered only when its priority exceeds it. */
    writel(PLIC_THRESHOLD(0), 1);
    writeb(UART_IER, UART_IER_ETBEI);
    pend = readl(PLIC_PENDING(UART0_IRQ)) & (1u << UART0_IRQ);
    meip = csr_read(mip) & MIP_MEIP;
    writel(PLIC_THRESHOLD(0), 0);
    bool meip_after = csr_read(mip) & MIP_MEIP;
    uint32_t id = readl(PLIC_CLAIM(0));
    uint32_t id2 = readl(PLIC_CLAIM(0));
    writeb(UART_IER, 0);
    writel(PLIC_CLAIM(0), id);
    bool quiet = !(csr_read(mip) & MIP_MEIP);
    report(pend && !meip, "threshold 1 = priority 1: pending but no MEIP");
    report(meip_after, "threshold 0: MEIP");
    report(id == UART0_IRQ && id2 == 0, "claim by polling returns 10, then 0 while it is claimed (%u, %u)",
           id, id2);
    report(quiet, "complete after the source went quiet: MEIP clear");

    /* Context 1 is hart 0's S-mode: SEIP. */
    writel(PLIC_ENABLE(0, UART0_IRQ), 0);
    writel(PLIC_ENABLE(1, UART0_IRQ), 1u << UART0_IRQ);
    writel(PLIC_THRESHOLD(1), 0);
    writeb(UART_IER, UART_IER_ETBEI);
    bool seip = csr_read(mip) & MIP_SEIP;
    bool no_meip = !(csr_read(mip) & MIP_MEIP);
    id = readl(PLIC_CLAIM(1));
    writeb(UART_IER, 0);
    writel(PLIC_CLAIM(1), id);
    bool seip_gone = !(csr_read(mip) & MIP_SEIP);
    writel(PLIC_ENABLE(1, UART0_IRQ), 0);
    writel(PLIC_PRIORITY(UART0_IRQ), 0);
    report(seip && no_meip, "enabled for context 1, source 10 raises mip.SEIP and not MEIP");
    report(id == UART0_IRQ && seip_gone, "context 1 claim returns 10 (%u); complete clears SEIP", id);
}

static void test_wfi(void)
{
    reset_log();
    unsigned long deadline = readq(CLINT_MTIME) + 2000;
    writeq(CLINT_MTIMECMP(0), deadline);
    csr_write(mie, MIP_MTIP);
    csr_clear(mstatus, MSTATUS_MIE);
    wfi();
    unsigned long woke = readq(CLINT_MTIME);
    report(woke >= deadline && (csr_read(mip) & MIP_MTIP),
           "wfi with mstatus.MIE = 0 waits for the enabled timer interrupt and wakes (mtime %lu, "
           "deadline %lu)", woke, deadline);
    report(norder == 0, "the interrupt is not taken: MIE = 0");
    enable_and_drain();
    report(norder == 1 && order[0] == IRQ_CAUSE(IRQ_M_TIMER), "setting MIE then takes it");
    csr_write(mie, 0);
}

/* Vectored mtvec: interrupt n goes to base + 4n, exceptions to base. Each slot jumps to
 * a stub that notes its slot number in sscratch (unused while no S-mode code runs). */
__asm__(
    "    .text\n"
    "    .option push\n"
    "    .option norvc\n"
    "    .balign 256\n"
    "    .globl vec_table\n"
    "vec_table:\n"
    "    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11\n"
    "    j vec_stub_\\n\n"
    "    .endr\n"
    "    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11\n"
    "vec_stub_\\n:\n"
    "    csrwi sscratch, \\n + 1\n"
    "    j m_trap_entry\n"
    "    .endr\n"
    "    .option pop\n");

static volatile unsigned long vec_slot[8], nvec;

static bool vec_handler(struct trap_frame *f)
{
    unsigned long slot = csr_read(sscratch) - 1;
    csr_write(sscratch, 0);
    vec_slot[nvec++ & 7] = slot;
    if (f->cause & CAUSE_INTERRUPT) {
        clear_source(f->cause & ~CAUSE_INTERRUPT, f->level);
    } else {
        trap_skip_insn(f);
    }
    return true;
}

static void test_vectored(void)
{
    trap_set_handler(vec_handler);
    nvec = 0;
    csr_write(mtvec, (unsigned long)vec_table | 1);
    report(csr_read(mtvec) == ((unsigned long)vec_table | 1), "mtvec in vectored mode (MODE = 1)");
    writel(CLINT_MSIP(0), 1);
    csr_write(mie, MIP_MSIP);
    enable_and_drain();
    writeq(CLINT_MTIMECMP(0), 0);
    csr_write(mie, MIP_MTIP);
    enable_and_drain();
    csr_set(mip, MIP_SSIP);
    csr_write(mie, MIP_SSIP);
    enable_and_drain();
    csr_write(mie, 0);
    __asm__ volatile("li a7, 0\n\tecall" ::: "a7", "memory");
    csr_write(mtvec, (unsigned long)m_trap_entry);
    trap_set_handler(irq_handler);
    report(nvec == 4, "four traps through the vector table (%lu)", nvec);
    report(vec_slot[0] == 3, "machine software interrupt entered at base + 4*3 (slot %lu)", vec_slot[0]);
    report(vec_slot[1] == 7, "machine timer interrupt entered at base + 4*7 (slot %lu)", vec_slot[1]);
    report(vec_slot[2] == 1, "supervisor software interrupt entered at base + 4*1 (slot %lu)", vec_slot[2]);
    report(vec_slot[3] == 0, "an exception (ecall) entered at base (slot %lu)", vec_slot[3]);
}

int main(void)
{
    trap_set_handler(irq_handler);
    csr_write(mie, 0);
    test_timer();
    test_software();
    test_priority();
    test_delegation();
    test_sstc();
    test_plic();
    test_wfi();
    test_vectored();
    return 0;
}
