/* tests/guest/riscv/h_traps.c: H-extension CSRs, virtual-instruction exceptions and trap
 * delegation (Volume II 1.12, chapter 8). Checked:
 *   - 8.2: under V = 1 the supervisor CSRs (sstatus, stvec, sscratch, sepc, scause, stval,
 *     satp) are the VS CSRs; the HS copies keep their values; VS CSRs and hypervisor
 *     CSRs accessed by number from VS-mode raise virtual-instruction exceptions (22),
 *     M-level CSRs illegal-instruction ones (2);
 *   - 8.2.2 hedeleg/hideleg WARL masks, 8.4.2 mideleg's read-only-one VS bits;
 *   - 8.6.1/8.6.2: ecall from VS-mode is cause 10 and goes to HS (medeleg) but never to
 *     VS; hedeleg sends VU ecalls, illegal instructions and VS-stage page faults to
 *     VS-mode (vscause, vsepc, vstval), leaving scause/hstatus alone; virtual-instruction
 *     exceptions cannot be delegated to VS;
 *   - 8.2.1 hstatus.VTSR (SRET), VTVM (SFENCE.VMA, satp), VTW (WFI) in VS-mode; 8.4.1
 *     mstatus.TSR/TVM do not affect VS-mode, TW does (illegal instruction); in VU-mode
 *     SRET, WFI and supervisor CSRs raise virtual-instruction exceptions;
 *   - 8.2.6 hcounteren: a counter enabled in mcounteren but not in hcounteren raises a
 *     virtual-instruction exception in VS-mode. */
#include "guest_riscv.h"
#include "hyp.h"

#define VSTVEC_MARK 0x80001000UL /* any 4-byte aligned value: only read back */

static unsigned long vs_csr_ops(unsigned long arg)
{
    csr_write(sscratch, 0x5c5c);
    csr_write(sepc, 0x1230);
    csr_write(stval, 0x7777);
    csr_set(sstatus, MSTATUS_SUM);
    return csr_read(sscratch) + csr_read(satp);
}

static unsigned long vs_read_hstatus(unsigned long a) { return csr_read(CSR_HSTATUS); }
static unsigned long vs_read_vsstatus(unsigned long a) { return csr_read(CSR_VSSTATUS); }
static unsigned long vs_read_mstatus(unsigned long a) { return csr_read(mstatus); }
static unsigned long vs_read_satp(unsigned long a) { return csr_read(satp); }
static unsigned long vs_read_sstatus(unsigned long a) { return csr_read(sstatus); }
static unsigned long vs_read_cycle(unsigned long a) { return csr_read(cycle); }
static unsigned long vs_sfence(unsigned long a)
{
    sfence_vma();
    return 1;
}
static unsigned long vs_wfi(unsigned long a)
{
    wfi();
    return 1;
}
static unsigned long vs_hfence(unsigned long a)
{
    hfence_vvma_all();
    return 1;
}
static unsigned long vs_ecall(unsigned long a)
{
    register unsigned long a7 __asm__("a7") = 0x1234;
    register unsigned long a0 __asm__("a0") = a;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
    return a0;
}
static unsigned long vs_illegal(unsigned long a)
{
    __asm__ volatile(".word 0x30002573" ::: "a0", "memory"); /* csrr a0, mstatus */
    return 1;
}
static unsigned long vs_load(unsigned long a) { return *(volatile unsigned long *)a; }

/* SRET executed in VS-mode to a label in VS-mode: returns 1 if it got there. */
unsigned long vs_sret(unsigned long a);
__asm__("    .text\n"
        "    .balign 4\n"
        "    .globl vs_sret\n"
        "vs_sret:\n"
        "    la t0, 1f\n"
        "    csrw sepc, t0\n"
        "    li t0, 0x100\n"      /* SPP = 1: stay in (V)S-mode */
        "    csrs sstatus, t0\n"
        "    li a0, 0\n"
        "    sret\n"
        "    ret\n"               /* reached when the sret trapped and was skipped */
        "1:  li a0, 1\n"
        "    ret\n"
        "    .globl sret_only\n"
        "sret_only:\n"
        "    sret\n"
        "    ret\n");
unsigned long sret_only(unsigned long a);

static struct hprobe vs(unsigned long (*fn)(unsigned long), unsigned long arg)
{
    return hyp_probe(true, PRV_S, fn, arg);
}

static bool at_m(const struct hprobe *p, unsigned long cause)
{
    return p->t.taken && p->t.level == PRV_M && p->t.cause == cause;
}

static void test_csrs(void)
{
    unsigned long r;
    csr_write(mideleg, 0);
    r = csr_read(mideleg);
    report((r & (MIP_VSSIP | MIP_VSTIP | MIP_VSEIP)) == (MIP_VSSIP | MIP_VSTIP | MIP_VSEIP),
           "8.4.2: mideleg bits 2, 6, 10 are read-only one (0x%lx)", r);
    csr_write(CSR_HIDELEG, ~0UL);
    r = csr_read(CSR_HIDELEG);
    csr_write(CSR_HIDELEG, 0);
    report((r & 0xffff) == (MIP_VSSIP | MIP_VSTIP | MIP_VSEIP),
           "8.2.2: hideleg[15:0] writable only at 2, 6, 10 (0x%lx)", r);
    csr_write(CSR_HVIP, ~0UL);
    r = csr_read(CSR_HVIP);
    csr_write(CSR_HVIP, 0);
    report((r & 0xffff) == (MIP_VSSIP | MIP_VSTIP | MIP_VSEIP), "8.2.3: hvip writable at 2, 6, 10 (0x%lx)", r);
    r = csr_read(CSR_HSTATUS);
    report(((r & HSTATUS_VSXL) >> HSTATUS_VSXL_SHIFT) == 2, "8.2.1: hstatus.VSXL = 2 (64-bit) (0x%lx)", r);

    csr_write(sscratch, 0x1111);
    csr_write(sepc, 0x2220);
    csr_write(CSR_VSSCRATCH, 0);
    csr_write(CSR_VSATP, 0);
    unsigned long sstatus0 = csr_read(sstatus);
    struct hprobe p = vs(vs_csr_ops, 0);
    report(!p.t.taken && p.value == 0x5c5c, "VS-mode sscratch/satp accesses work (0x%lx)", p.value);
    report(csr_read(CSR_VSSCRATCH) == 0x5c5c && csr_read(CSR_VSEPC) == 0x1230 &&
               csr_read(CSR_VSTVAL) == 0x7777 && (csr_read(CSR_VSSTATUS) & MSTATUS_SUM),
           "8.2: under V = 1 sscratch, sepc, stval, sstatus are vsscratch, vsepc, vstval, vsstatus");
    report(csr_read(sepc) == 0x2220 &&
               (csr_read(sstatus) & MSTATUS_SUM) == (sstatus0 & MSTATUS_SUM),
           "the HS copies (sepc, sstatus.SUM) keep their values");
    csr_clear(CSR_VSSTATUS, MSTATUS_SUM);
    csr_write(sscratch, 0);
    csr_write(CSR_VSSCRATCH, 0);

    p = vs(vs_read_hstatus, 0);
    report(at_m(&p, CAUSE_VIRTUAL_INSTRUCTION), "VS-mode read of hstatus: virtual instruction (cause %lu)",
           p.t.cause);
    report(p.t.tval == 0 || p.t.tval == 0x60002573 || (p.t.tval & 0xfff0007f) == 0x60000073,
           "its mtval is 0 or the instruction, as for an illegal instruction (0x%lx)", p.t.tval);
    p = vs(vs_read_vsstatus, 0);
    report(at_m(&p, CAUSE_VIRTUAL_INSTRUCTION), "VS-mode read of vsstatus by number: virtual instruction (cause %lu)",
           p.t.cause);
    p = vs(vs_read_mstatus, 0);
    report(at_m(&p, CAUSE_ILLEGAL_INSTRUCTION), "VS-mode read of mstatus: illegal instruction (cause %lu)",
           p.t.cause);
    p = vs(vs_hfence, 0);
    report(at_m(&p, CAUSE_VIRTUAL_INSTRUCTION), "HFENCE.VVMA in VS-mode: virtual instruction (cause %lu)",
           p.t.cause);
    p = hyp_probe(true, PRV_U, vs_read_sstatus, 0);
    report(at_m(&p, CAUSE_VIRTUAL_INSTRUCTION), "VU-mode read of sstatus: virtual instruction (cause %lu)",
           p.t.cause);
    p = hyp_probe(false, PRV_U, vs_read_sstatus, 0);
    report(at_m(&p, CAUSE_ILLEGAL_INSTRUCTION), "U-mode (V = 0) read of sstatus: illegal (cause %lu)",
           p.t.cause);

    csr_write(mcounteren, 7);
    csr_write(CSR_HCOUNTEREN, 0);
    p = vs(vs_read_cycle, 0);
    report(at_m(&p, CAUSE_VIRTUAL_INSTRUCTION),
           "8.2.6: cycle with mcounteren.CY = 1, hcounteren.CY = 0: virtual instruction (cause %lu)", p.t.cause);
    csr_write(CSR_HCOUNTEREN, 7);
    p = vs(vs_read_cycle, 0);
    report(!p.t.taken, "with hcounteren.CY = 1 the guest reads cycle");
    csr_write(mcounteren, 0);
    p = vs(vs_read_cycle, 0);
    report(at_m(&p, CAUSE_ILLEGAL_INSTRUCTION), "with mcounteren.CY = 0: illegal instruction (cause %lu)",
           p.t.cause);
    csr_write(mcounteren, 7);
}

static void test_traps_bits(void)
{
    struct hprobe p;
    /* VTSR, TSR */
    csr_set(CSR_HSTATUS, HSTATUS_VTSR);
    p = vs(vs_sret, 0);
    report(at_m(&p, CAUSE_VIRTUAL_INSTRUCTION) && p.value == 0,
           "8.2.1: VTSR = 1: SRET in VS-mode raises a virtual instruction (cause %lu)", p.t.cause);
    csr_clear(CSR_HSTATUS, HSTATUS_VTSR);
    csr_set(mstatus, MSTATUS_TSR);
    p = vs(vs_sret, 0);
    csr_clear(mstatus, MSTATUS_TSR);
    report(!p.t.taken && p.value == 1, "8.4.1: mstatus.TSR does not affect VS-mode: SRET works (trap %d)",
           p.t.taken);
    p = hyp_probe(true, PRV_U, sret_only, 0);
    report(at_m(&p, CAUSE_VIRTUAL_INSTRUCTION), "SRET in VU-mode: virtual instruction (cause %lu)", p.t.cause);

    /* VTVM, TVM */
    csr_set(CSR_HSTATUS, HSTATUS_VTVM);
    p = vs(vs_sfence, 0);
    report(at_m(&p, CAUSE_VIRTUAL_INSTRUCTION), "VTVM = 1: SFENCE.VMA in VS-mode: virtual instruction (cause %lu)",
           p.t.cause);
    p = vs(vs_read_satp, 0);
    report(at_m(&p, CAUSE_VIRTUAL_INSTRUCTION), "VTVM = 1: satp in VS-mode: virtual instruction (cause %lu)",
           p.t.cause);
    csr_clear(CSR_HSTATUS, HSTATUS_VTVM);
    csr_set(mstatus, MSTATUS_TVM);
    p = vs(vs_sfence, 0);
    struct hprobe q = vs(vs_read_satp, 0);
    csr_clear(mstatus, MSTATUS_TVM);
    report(!p.t.taken && !q.t.taken, "8.4.1: mstatus.TVM does not affect VS-mode (SFENCE.VMA, satp)");
    p = hyp_probe(true, PRV_U, vs_sfence, 0);
    report(at_m(&p, CAUSE_VIRTUAL_INSTRUCTION), "SFENCE.VMA in VU-mode: virtual instruction (cause %lu)",
           p.t.cause);

    /* VTW, TW: with nothing pending the WFI would not complete, so both must trap. */
    csr_set(CSR_HSTATUS, HSTATUS_VTW);
    p = vs(vs_wfi, 0);
    report(at_m(&p, CAUSE_VIRTUAL_INSTRUCTION), "VTW = 1, TW = 0: WFI in VS-mode: virtual instruction (cause %lu)",
           p.t.cause);
    csr_set(mstatus, MSTATUS_TW);
    p = vs(vs_wfi, 0);
    report(at_m(&p, CAUSE_ILLEGAL_INSTRUCTION), "TW = 1 wins over VTW: illegal instruction (cause %lu)",
           p.t.cause);
    csr_clear(mstatus, MSTATUS_TW);
    csr_clear(CSR_HSTATUS, HSTATUS_VTW);
    p = hyp_probe(true, PRV_U, vs_wfi, 0);
    report(at_m(&p, CAUSE_VIRTUAL_INSTRUCTION), "WFI in VU-mode: virtual instruction (cause %lu)", p.t.cause);
}

static uint8_t vpool[8 * 4096] __attribute__((aligned(4096)));

static void test_delegation(void)
{
    struct hprobe p;
    csr_write(medeleg, 0);
    p = vs(vs_ecall, 5);
    report(at_m(&p, CAUSE_VIRTUAL_SUPERVISOR_ECALL) && (p.t.status & MSTATUS_MPV),
           "8.6.1: ecall from VS-mode is cause 10 (cause %lu)", p.t.cause);
    csr_write(medeleg, 1UL << CAUSE_VIRTUAL_SUPERVISOR_ECALL);
    csr_write(CSR_HEDELEG, ~0UL);
    unsigned long hedeleg = csr_read(CSR_HEDELEG);
    p = vs(vs_ecall, 5);
    report(p.t.taken && p.t.level == PRV_S && p.t.cause == CAUSE_VIRTUAL_SUPERVISOR_ECALL &&
               (p.t.hstatus & HSTATUS_SPV) && (p.t.hstatus & HSTATUS_SPVP) && !(p.t.hstatus & HSTATUS_GVA),
           "medeleg[10]: VS ecall in HS-mode even with hedeleg = ~0 (0x%lx): SPV = SPVP = 1, GVA = 0 "
           "(level %lu cause %lu hstatus 0x%lx)", hedeleg, p.t.level, p.t.cause, p.t.hstatus);

    /* Delegate to HS what can be delegated, and further to VS what hedeleg takes. */
    csr_write(medeleg, (1UL << CAUSE_USER_ECALL) | (1UL << CAUSE_ILLEGAL_INSTRUCTION) |
                           (1UL << CAUSE_LOAD_PAGE_FAULT) | (1UL << CAUSE_VIRTUAL_INSTRUCTION));
    csr_write(CSR_HEDELEG, (1UL << CAUSE_USER_ECALL) | (1UL << CAUSE_ILLEGAL_INSTRUCTION) |
                               (1UL << CAUSE_LOAD_PAGE_FAULT));
    csr_write(scause, 0x99);
    csr_write(CSR_VSCAUSE, 0);
    p = vs(vs_illegal, 0);
    report(p.t.taken && p.t.level == TRAP_LEVEL_VS && p.t.cause == CAUSE_ILLEGAL_INSTRUCTION &&
               csr_read(CSR_VSCAUSE) == CAUSE_ILLEGAL_INSTRUCTION && csr_read(scause) == 0x99,
           "8.6.2: hedeleg[2]: illegal instruction in VS-mode trapped into VS (vscause %lu, scause 0x%lx)",
           csr_read(CSR_VSCAUSE), csr_read(scause));
    report(p.t.epc >= (unsigned long)vs_illegal && p.t.epc < (unsigned long)vs_illegal + 32,
           "vsepc at the trap = the instruction in vs_illegal (0x%lx)", p.t.epc);

    hyp_vu_trap_stack();
    csr_write(CSR_VSCAUSE, 0);
    p = hyp_probe(true, PRV_U, vs_ecall, 5);
    report(p.t.taken && p.t.level == TRAP_LEVEL_VS && p.t.cause == CAUSE_USER_ECALL &&
               csr_read(CSR_VSCAUSE) == CAUSE_USER_ECALL,
           "hedeleg[8]: ecall from VU-mode into VS-mode (level %lu vscause %lu)", p.t.level,
           csr_read(CSR_VSCAUSE));
    csr_write(CSR_VSSCRATCH, 0);

    p = vs(vs_hfence, 0);
    report(p.t.taken && p.t.level == PRV_S && p.t.cause == CAUSE_VIRTUAL_INSTRUCTION,
           "virtual instruction delegated by medeleg goes to HS, not VS (level %lu cause %lu)",
           p.t.level, p.t.cause);

    /* A VS-stage page fault delegated to VS: the guest's own satp (vsatp) maps RAM only. */
    struct pt vpt;
    pt_init(&vpt, SATP_MODE_SV39, vpool, 8);
    pt_map(&vpt, 0, 0, PT_1G, PTE_R | PTE_W | PTE_A | PTE_D);
    pt_map(&vpt, RAM_BASE, RAM_BASE, PT_1G, PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
    csr_write(CSR_VSATP, pt_satp(&vpt));
    hfence_vvma_all();
    csr_write(CSR_VSTVAL, 0);
    p = vs(vs_load, 0x40000010UL);
    csr_write(CSR_VSATP, 0);
    report(p.t.taken && p.t.level == TRAP_LEVEL_VS && p.t.cause == CAUSE_LOAD_PAGE_FAULT &&
               csr_read(CSR_VSTVAL) == 0x40000010UL,
           "hedeleg[13]: VS-stage load page fault into VS-mode, vstval = the address (level %lu vstval 0x%lx)",
           p.t.level, csr_read(CSR_VSTVAL));
    csr_write(medeleg, 0);
    csr_write(CSR_HEDELEG, 0);
}

int main(void)
{
    hyp_init();
    test_csrs();
    test_traps_bits();
    test_delegation();
    return 0;
}
