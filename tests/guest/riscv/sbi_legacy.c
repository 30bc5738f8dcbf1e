/* tests/guest/riscv/sbi_legacy.c: the legacy SBI v0.1 calls (SBI v2.0, chapter 5) with
 * the semantics a hypervisor gives them: console putchar/getchar, set_timer raising a
 * supervisor timer interrupt, clear_ipi, and send_ipi/remote fences whose hart mask
 * argument is a pointer read through the caller's own address translation (Sv39 here),
 * with a fault on that read delivered to the caller's S-mode trap handler as a load page
 * fault at the ecall. The result of a legacy call is in a0 alone; an unknown legacy EID
 * returns SBI_ERR_NOT_SUPPORTED. The run ends through the legacy shutdown call. */
#include "guest_riscv.h"
#include "pt.h"
#include "sbi.h"

#define MASK_VA 0x40000000UL       /* mapped only through the page table */
#define MASK_ZERO_VA 0x40001000UL
#define MASK_USER_VA 0x40002000UL  /* a U page */
#define UNMAPPED_VA 0x40003000UL

static uint8_t pt_pool[8 * 4096] __attribute__((aligned(4096)));
static uint64_t mask_one[512] __attribute__((aligned(4096)));
static uint64_t mask_zero[512] __attribute__((aligned(4096)));
static volatile unsigned long timer_irqs, soft_irqs;
static volatile bool clear_timer_with_legacy = true;

static bool irq_handler(struct trap_frame *f)
{
    if (f->cause == (CAUSE_INTERRUPT | IRQ_S_TIMER)) {
        timer_irqs++;
        sbi_legacy(SBI_LEGACY_SET_TIMER, ~0UL, 0, 0); /* far away: STIP drops */
        return true;
    }
    if (f->cause == (CAUSE_INTERRUPT | IRQ_S_SOFT)) {
        soft_irqs++;
        sbi_legacy(SBI_LEGACY_CLEAR_IPI, 0, 0, 0);
        return true;
    }
    return false;
}

/* A legacy call whose ecall address is reported (for checking sepc). */
static long legacy_call_at(unsigned long eid, unsigned long arg0, unsigned long *ecall_pc)
{
    register unsigned long a0 __asm__("a0") = arg0;
    register unsigned long a7 __asm__("a7") = eid;
    unsigned long pc;
    __asm__ volatile(".option push\n\t"
                     ".option norvc\n\t"
                     "auipc %1, 0\n\t"
                     "addi %1, %1, 8\n\t"
                     "ecall\n\t"
                     ".option pop"
                     : "+r"(a0), "=&r"(pc)
                     : "r"(a7)
                     : "memory");
    *ecall_pc = pc;
    return (long)a0;
}

static void test_console(void)
{
    static const char msg[] = "legacy console_putchar prints this line\n";
    long bad = 0;
    console_lock();
    for (const char *p = msg; *p; p++)
        if (sbi_legacy(SBI_LEGACY_CONSOLE_PUTCHAR, (uint8_t)*p, 0, 0) != 0)
            bad++;
    console_unlock();
    report(bad == 0, "console_putchar returns 0 for each byte (%ld did not)", bad);
    long c = sbi_legacy(SBI_LEGACY_CONSOLE_GETCHAR, 0, 0, 0);
    report(c == -1, "console_getchar with no input returns -1 (%ld)", c);
}


int main(void)
{
    trap_set_handler(irq_handler);
    test_console();

    /* set_timer: a deadline in the near future raises STIP; the handler moves the
     * deadline far away, which clears it. */
    csr_set(sie, MIP_STIP);
    unsigned long t = read_time();
    long r = sbi_legacy(SBI_LEGACY_SET_TIMER, t + 1000, 0, 0);
    report(r == 0, "set_timer returns 0 (%ld)", r);
    report(!(csr_read(sip) & MIP_STIP), "sip.STIP clear before the deadline");
    unsigned long t0 = read_time();
    while (!(csr_read(sip) & MIP_STIP) && read_time() - t0 < 100000)
        cpu_relax();
    unsigned long t1 = read_time();
    report(csr_read(sip) & MIP_STIP, "sip.STIP set once time passes the deadline");
    report(t1 >= t + 1000, "not before the deadline (time %lu, deadline %lu)", t1, t + 1000);
    csr_set(sstatus, MSTATUS_SIE);
    bool fired = wait_count(&timer_irqs, 1, 100000);
    csr_clear(sstatus, MSTATUS_SIE);
    report(fired && timer_irqs == 1, "the supervisor timer interrupt is taken (%lu)", timer_irqs);
    report(!(csr_read(sip) & MIP_STIP), "a set_timer far in the future clears sip.STIP");
    csr_clear(sie, MIP_STIP);

    /* Sv39: identity-map RAM with a gigapage, and put the hart masks at addresses that
     * exist only in the page table. */
    struct pt pt;
    pt_init(&pt, SATP_MODE_SV39, pt_pool, ARRAY_SIZE(pt_pool) / 4096);
    pt_map(&pt, RAM_BASE, RAM_BASE, PT_1G, PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
    mask_one[0] = 1UL << hartid();
    mask_zero[0] = 0;
    pt_map(&pt, MASK_VA, (unsigned long)mask_one, PT_4K, PTE_R | PTE_W | PTE_A | PTE_D);
    pt_map(&pt, MASK_ZERO_VA, (unsigned long)mask_zero, PT_4K, PTE_R | PTE_W | PTE_A | PTE_D);
    pt_map(&pt, MASK_USER_VA, (unsigned long)mask_one, PT_4K, PTE_R | PTE_W | PTE_U | PTE_A | PTE_D);
    csr_write(satp, pt_satp(&pt));
    sfence_vma();
    report(csr_read(satp) == pt_satp(&pt), "Sv39 paging on (satp 0x%lx)", csr_read(satp));

    csr_set(sie, MIP_SSIP);
    r = sbi_legacy(SBI_LEGACY_SEND_IPI, MASK_VA, 0, 0);
    report(r == 0, "send_ipi with the mask at a virtual address returns 0 (%ld)", r);
    report(csr_read(sip) & MIP_SSIP, "send_ipi to self through a translated mask pointer sets sip.SSIP");
    r = sbi_legacy(SBI_LEGACY_CLEAR_IPI, 0, 0, 0);
    report(r == 0 && !(csr_read(sip) & MIP_SSIP), "clear_ipi returns 0 (%ld) and clears sip.SSIP", r);

    r = sbi_legacy(SBI_LEGACY_SEND_IPI, MASK_ZERO_VA, 0, 0);
    report(r == 0 && !(csr_read(sip) & MIP_SSIP),
           "send_ipi with an all-zero mask returns 0 (%ld) and sends nothing", r);

    r = sbi_legacy(SBI_LEGACY_SEND_IPI, MASK_VA, 0, 0);
    csr_set(sstatus, MSTATUS_SIE);
    fired = wait_count(&soft_irqs, 1, 100000);
    csr_clear(sstatus, MSTATUS_SIE);
    report(fired && soft_irqs == 1 && !(csr_read(sip) & MIP_SSIP),
           "the software interrupt is taken and cleared by clear_ipi (%lu)", soft_irqs);

    r = sbi_legacy(SBI_LEGACY_REMOTE_FENCE_I, MASK_VA, 0, 0);
    report(r == 0, "remote_fence_i with a translated mask returns 0 (%ld)", r);
    r = sbi_legacy(SBI_LEGACY_REMOTE_SFENCE_VMA, MASK_VA, 0, ~0UL);
    report(r == 0, "remote_sfence_vma (whole address space) returns 0 (%ld)", r);
    r = sbi_legacy(SBI_LEGACY_REMOTE_SFENCE_VMA, MASK_VA, RAM_BASE, 4096);
    report(r == 0, "remote_sfence_vma (one page) returns 0 (%ld)", r);
    r = sbi_legacy(SBI_LEGACY_REMOTE_SFENCE_VMA_ASID, MASK_VA, 0, ~0UL);
    report(r == 0, "remote_sfence_vma_asid returns 0 (%ld)", r);

    /* The mask pointer names an unmapped page: the read faults in the caller's
     * translation and the fault comes back to S-mode as a load page fault at the
     * ecall, with stval = the pointer. */
    unsigned long pc;
    trap_expect_begin();
    r = legacy_call_at(SBI_LEGACY_SEND_IPI, UNMAPPED_VA, &pc);
    struct trap_info ti = trap_expect_end();
    report(ti.taken && ti.level == PRV_S && ti.cause == CAUSE_LOAD_PAGE_FAULT,
           "send_ipi with an unmapped mask pointer: load page fault in S-mode (taken %d, "
           "cause %lu)", ti.taken, ti.cause);
    report(ti.tval == UNMAPPED_VA, "stval = the mask pointer (0x%lx)", ti.tval);
    report(ti.epc == pc, "sepc = the ecall (0x%lx, ecall at 0x%lx)", ti.epc, pc);
    report(ti.status & MSTATUS_SPP, "sstatus.SPP = S (the caller's mode)");
    report(!(csr_read(sip) & MIP_SSIP), "no IPI was sent");

    trap_expect_begin();
    r = legacy_call_at(SBI_LEGACY_REMOTE_SFENCE_VMA, UNMAPPED_VA + 8, &pc);
    ti = trap_expect_end();
    report(ti.taken && ti.cause == CAUSE_LOAD_PAGE_FAULT && ti.tval == UNMAPPED_VA + 8 &&
               ti.epc == pc,
           "remote_sfence_vma with an unmapped mask pointer faults the same way (cause %lu, "
           "stval 0x%lx)", ti.cause, ti.tval);

    /* A U page is readable by S only with sstatus.SUM: the SBI reads as the caller. */
    trap_expect_begin();
    r = legacy_call_at(SBI_LEGACY_SEND_IPI, MASK_USER_VA, &pc);
    ti = trap_expect_end();
    report(ti.taken && ti.cause == CAUSE_LOAD_PAGE_FAULT && ti.tval == MASK_USER_VA,
           "mask on a U page with sstatus.SUM=0: load page fault (cause %lu, stval 0x%lx)",
           ti.cause, ti.tval);
    csr_set(sstatus, MSTATUS_SUM);
    trap_expect_begin();
    r = legacy_call_at(SBI_LEGACY_SEND_IPI, MASK_USER_VA, &pc);
    ti = trap_expect_end();
    csr_clear(sstatus, MSTATUS_SUM);
    report(!ti.taken && r == 0 && (csr_read(sip) & MIP_SSIP),
           "mask on a U page with sstatus.SUM=1: the IPI is sent (trap %d, a0 %ld)", ti.taken, r);
    sbi_legacy(SBI_LEGACY_CLEAR_IPI, 0, 0, 0);
    csr_clear(sie, MIP_SSIP);

    csr_write(satp, 0);
    sfence_vma();

    r = sbi_legacy(0x09, 0, 0, 0);
    report(r == SBI_ERR_NOT_SUPPORTED, "unknown legacy EID 0x09 returns -2 in a0 (%ld)", r);
    r = sbi_legacy(0x0f, 0, 0, 0);
    report(r == SBI_ERR_NOT_SUPPORTED, "unknown legacy EID 0x0F returns -2 in a0 (%ld)", r);

    /* The exit path of this program: legacy shutdown ends the run with status 0 (the
     * runner also requires "0 failed" in the summary). */
    report_summary();
    sbi_legacy(SBI_LEGACY_SHUTDOWN, 0, 0, 0);
    report(false, "legacy shutdown returned");
    report_exit();
}
