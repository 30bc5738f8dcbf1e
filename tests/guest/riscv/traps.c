/* tests/guest/riscv/traps.c: synchronous exceptions and the privilege stack (Volume II
 * 1.12: 3.1.6.1 "Privilege and Global Interrupt-Enable Stack in mstatus", 3.1.8
 * "medeleg", 3.1.14-3.1.16 mepc/mcause/mtval, 3.3.1-3.3.3 ECALL/EBREAK, MRET/SRET,
 * WFI, 3.1.6.5 TW/TSR, 2.1 CSR privilege and read-only rules, 3.1.11-3.1.12 and 4.1.5
 * the counter-enable registers). Each check names the cause, the recorded epc and tval,
 * and the mstatus/sstatus fields the trap must leave. */
#include "guest_riscv.h"

#define INSN_SRET 0x10200073UL
#define INSN_MRET 0x30200073UL
#define INSN_WFI 0x10500073UL
#define INSN_CUSTOM0 0x0000000bUL
#define INSN_CSRR_MSTATUS_A0 0x30002573UL /* csrrs a0, mstatus, x0 */
#define INSN_CSRW_CYCLE_A0 0xc0051073UL   /* csrrw x0, cycle, a0 */
#define INSN_CSRR_HSTATUS_A0 0x60002573UL /* csrrs a0, hstatus, x0 */

typedef unsigned long (*lower_fn)(unsigned long);

/* Small functions, each with one instruction of interest at its first address (or at a
 * named label), that tests run in some privilege mode. */
unsigned long do_ecall(unsigned long), do_ebreak(unsigned long), do_cebreak(unsigned long);
unsigned long do_illegal32(unsigned long), do_illegal16(unsigned long);
unsigned long do_sret(unsigned long), do_mret(unsigned long), do_wfi(unsigned long);
unsigned long do_read_mstatus(unsigned long), do_read_sstatus(unsigned long);
unsigned long do_read_hstatus(unsigned long), do_write_cycle(unsigned long);
unsigned long do_rdcycle(unsigned long), do_rdtime(unsigned long), do_rdinstret(unsigned long);
unsigned long do_rdhpm3(unsigned long), do_read_mhartid(unsigned long);
unsigned long do_load(unsigned long), do_store(unsigned long), do_call(unsigned long);
unsigned long do_jalr_odd(unsigned long), do_jalr_odd_imm(unsigned long);
unsigned long s_sret_self(unsigned long), s_sret_probe(unsigned long);
unsigned long mret_to_m(unsigned long);
void xret_probe(unsigned long use_sret);
extern char do_ecall_insn[], xret_probe_resume[], s_sret_probe_resume[], probe_target[];
extern char probe_ecall[];

__asm__(
    "    .text\n"
    "    .option push\n"
    "    .option norvc\n"
    "    .globl do_ecall, do_ecall_insn\n"
    "do_ecall:\n"
    "    li a7, 0\n"
    "do_ecall_insn:\n"
    "    ecall\n"
    "    ret\n"
    "do_ebreak:\n"
    "    ebreak\n"
    "    ret\n"
    "do_illegal32:\n"
    "    .word 0x0000000b\n" /* custom-0: not an instruction of this hart */
    "    ret\n"
    "do_sret:\n"
    "    sret\n"
    "    ret\n"
    "do_mret:\n"
    "    mret\n"
    "    ret\n"
    "do_wfi:\n"
    "    wfi\n"
    "    ret\n"
    "do_read_mstatus:\n"
    "    csrr a0, mstatus\n"
    "    ret\n"
    "do_read_sstatus:\n"
    "    csrr a0, sstatus\n"
    "    ret\n"
    "do_read_hstatus:\n"
    "    csrr a0, 0x600\n"
    "    ret\n"
    "do_write_cycle:\n"
    "    csrw cycle, a0\n"
    "    ret\n"
    "do_read_mhartid:\n"
    "    csrrsi a0, mhartid, 0\n"
    "    ret\n"
    "do_rdcycle:\n"
    "    csrr a0, cycle\n"
    "    ret\n"
    "do_rdtime:\n"
    "    csrr a0, time\n"
    "    ret\n"
    "do_rdinstret:\n"
    "    csrr a0, instret\n"
    "    ret\n"
    "do_rdhpm3:\n"
    "    csrr a0, hpmcounter3\n"
    "    ret\n"
    "do_load:\n"
    "    ld a0, 0(a0)\n"
    "    ret\n"
    "do_store:\n"
    "    sd a0, 0(a0)\n"
    "    ret\n"
    "do_call:\n"          /* calls the address in a0 */
    "    addi sp, sp, -16\n"
    "    sd ra, 0(sp)\n"
    "    jalr a0\n"
    "    ld ra, 0(sp)\n"
    "    addi sp, sp, 16\n"
    "    ret\n"
    /* jalr clears bit 0 of the target: these land on 1f, never fault */
    "do_jalr_odd:\n"
    "    mv t1, ra\n"
    "    li a0, 0\n"
    "    la t0, 1f\n"
    "    addi t0, t0, 1\n"
    "    jalr ra, t0, 0\n"
    "    mv ra, t1\n"
    "    ret\n"
    "1:  li a0, 1\n"
    "    ret\n"
    "do_jalr_odd_imm:\n"     /* an odd offset: target 2f + 1, bit 0 cleared */
    "    mv t1, ra\n"
    "    li a0, 0\n"
    "    la t0, 2f\n"
    "    jalr ra, 1(t0)\n"
    "    mv ra, t1\n"
    "    ret\n"
    "2:  li a0, 2\n"
    "    ret\n"
    "    .option pop\n"
    "    .option push\n"
    "    .option rvc\n"
    "    .globl do_cebreak, do_illegal16\n"
    "do_cebreak:\n"
    "    c.ebreak\n"
    "    c.jr ra\n"
    "do_illegal16:\n"
    "    .half 0x0004\n"       /* c.addi4spn with nzuimm = 0: reserved */
    "    c.jr ra\n"
    "    .option pop\n"
    "    .option push\n"
    "    .option norvc\n"
    /* In S-mode: sret to itself (SPP = S); with TSR it is illegal. */
    "s_sret_self:\n"
    "    la t0, 1f\n"
    "    csrw sepc, t0\n"
    "    li t0, 0x100\n"
    "    csrs sstatus, t0\n"
    "    sret\n"
    "1:  li a0, 1\n"
    "    ret\n"
    /* In S-mode: sret to probe_target in U with SPIE = 1, SIE = 0. */
    "    .globl s_sret_probe_resume\n"
    "s_sret_probe:\n"
    "    la t0, probe_target\n"
    "    csrw sepc, t0\n"
    "    li t0, 0x100\n"
    "    csrc sstatus, t0\n"
    "    li t0, 0x20\n"
    "    csrs sstatus, t0\n"
    "    li t0, 0x2\n"
    "    csrc sstatus, t0\n"
    "    sret\n"
    "s_sret_probe_resume:\n"
    "    ret\n"
    /* M-mode: mret with MPP = M to the next instruction; returns mstatus after it. */
    "mret_to_m:\n"
    "    la t0, 1f\n"
    "    csrw mepc, t0\n"
    "    mret\n"
    "1:  csrr a0, mstatus\n"
    "    ret\n"
    /* M-mode: xret with the CSRs the caller prepared; the target ecalls back. */
    "    .globl xret_probe, xret_probe_resume, probe_target, probe_ecall\n"
    "xret_probe:\n"
    "    bnez a0, 1f\n"
    "    mret\n"
    "1:  sret\n"
    "xret_probe_resume:\n"
    "    ret\n"
    "probe_target:\n"
    "    li a7, 0\n"
    "probe_ecall:\n"
    "    ecall\n"
    "    j probe_target\n"
    "    .option pop\n");

/* --- the xret probes: a handler that records the ecall of probe_target and returns to
 * the probe's caller --- */
static volatile bool probe_armed;
static struct trap_frame probe_frame;
static unsigned long probe_resume, probe_priv;

static bool probe_handler(struct trap_frame *f)
{
    if (!probe_armed || f->level != PRV_M || f->epc != (unsigned long)probe_ecall)
        return false;
    probe_frame = *f;
    probe_armed = false;
    f->epc = probe_resume;
    f->status = (f->status & ~(MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MPRV)) |
                (probe_priv << MSTATUS_MPP_SHIFT);
    return true;
}

static struct trap_info expect_in(unsigned long priv, lower_fn fn, unsigned long arg)
{
    trap_expect_begin();
    if (priv == PRV_M)
        fn(arg);
    else
        run_in_mode(priv, fn, arg);
    return trap_expect_end();
}

static const char *mode_name(unsigned long priv)
{
    return priv == PRV_M ? "M" : priv == PRV_S ? "S" : "U";
}

static unsigned long mpp_of(unsigned long status)
{
    return (status & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
}

static void test_illegal(void)
{
    struct trap_info t = expect_in(PRV_M, do_illegal32, 0);
    report(t.taken && t.level == PRV_M && t.cause == CAUSE_ILLEGAL_INSTRUCTION,
           "custom-0 opcode: illegal instruction, cause 2 (cause %lu)", t.cause);
    report(t.tval == INSN_CUSTOM0, "mtval = the instruction bits 0x%08lx (0x%lx)", INSN_CUSTOM0, t.tval);
    report(t.epc == (unsigned long)do_illegal32, "mepc = its address");
    t = expect_in(PRV_M, do_illegal16, 0);
    report(t.taken && t.cause == CAUSE_ILLEGAL_INSTRUCTION && t.tval == 0x0004 &&
               t.epc == (unsigned long)do_illegal16,
           "reserved compressed c.addi4spn (0x0004): cause 2, mtval = 0x0004 (cause %lu, tval 0x%lx)",
           t.cause, t.tval);
    /* The virt harts have the H extension: hstatus exists from M-mode (VSXL = 2). */
    t = expect_in(PRV_M, do_read_hstatus, 0);
    report(!t.taken, "hstatus with the H extension: readable in M-mode (cause %lu)", t.cause);
    t = expect_in(PRV_U, do_read_hstatus, 0);
    report(t.taken && t.cause == CAUSE_ILLEGAL_INSTRUCTION && t.tval == INSN_CSRR_HSTATUS_A0,
           "hstatus from U-mode: illegal, mtval 0x%lx", t.tval);
}

static void test_ecall_ebreak(void)
{
    static const unsigned long causes[4] = { CAUSE_USER_ECALL, CAUSE_SUPERVISOR_ECALL, 0,
                                             CAUSE_MACHINE_ECALL };
    for (unsigned long priv = 0; priv <= PRV_M; priv++) {
        if (priv == 2)
            continue;
        struct trap_info t = expect_in(priv, do_ecall, 0);
        report(t.taken && t.level == PRV_M && t.cause == causes[priv] &&
                   t.epc == (unsigned long)do_ecall_insn && t.tval == 0,
               "ecall from %s-mode: mcause %lu, mepc = the ecall, mtval 0 (cause %lu, tval 0x%lx)",
               mode_name(priv), causes[priv], t.cause, t.tval);
        report(mpp_of(t.status) == priv, "ecall from %s-mode: mstatus.MPP = %lu (%lu)",
               mode_name(priv), priv, mpp_of(t.status));
    }
    struct trap_info t = expect_in(PRV_M, do_ebreak, 0);
    report(t.taken && t.cause == CAUSE_BREAKPOINT && t.epc == (unsigned long)do_ebreak &&
               t.tval == (unsigned long)do_ebreak,
           "ebreak: cause 3, mepc = mtval = its address (cause %lu, epc 0x%lx, tval 0x%lx)",
           t.cause, t.epc, t.tval);
    t = expect_in(PRV_M, do_cebreak, 0);
    report(t.taken && t.cause == CAUSE_BREAKPOINT && t.epc == (unsigned long)do_cebreak &&
               t.tval == (unsigned long)do_cebreak,
           "c.ebreak: cause 3, mepc = mtval = its address (tval 0x%lx)", t.tval);
    t = expect_in(PRV_U, do_ebreak, 0);
    report(t.taken && t.cause == CAUSE_BREAKPOINT && mpp_of(t.status) == PRV_U,
           "ebreak from U-mode reaches M with MPP = U (cause %lu)", t.cause);
}

static void test_fetch_alignment(void)
{
    trap_expect_begin();
    unsigned long r = do_jalr_odd(0);
    struct trap_info t = trap_expect_end();
    report(!t.taken && r == 1, "jalr to an odd address clears bit 0: no misaligned fetch (trap %d)",
           t.taken);
    trap_expect_begin();
    r = do_jalr_odd_imm(0);
    t = trap_expect_end();
    report(!t.taken && r == 2, "jalr with an odd offset lands on the even address (trap %d)", t.taken);
}

static void test_access_faults(void)
{
    struct trap_info t = expect_in(PRV_M, do_load, 0x1000);
    report(t.taken && t.cause == CAUSE_LOAD_ACCESS && t.tval == 0x1000 && t.epc == (unsigned long)do_load,
           "load from 0x1000 (nothing there): load access fault, mtval 0x1000 (cause %lu, tval 0x%lx)",
           t.cause, t.tval);
    t = expect_in(PRV_M, do_store, 0x1000);
    report(t.taken && t.cause == CAUSE_STORE_ACCESS && t.tval == 0x1000 && t.epc == (unsigned long)do_store,
           "store to 0x1000: store/AMO access fault, mtval 0x1000 (cause %lu, tval 0x%lx)", t.cause,
           t.tval);
    t = expect_in(PRV_M, do_call, 0x1000);
    report(t.taken && t.cause == CAUSE_FETCH_ACCESS && t.tval == 0x1000 && t.epc == 0x1000,
           "jump to 0x1000: instruction access fault, mepc = mtval = 0x1000 (cause %lu, epc 0x%lx, "
           "tval 0x%lx)", t.cause, t.epc, t.tval);
    t = expect_in(PRV_S, do_load, 0x1000);
    report(t.taken && t.cause == CAUSE_LOAD_ACCESS && mpp_of(t.status) == PRV_S,
           "load access fault from S-mode reaches M with MPP = S (cause %lu)", t.cause);
}

static void test_delegation(void)
{
    csr_write(medeleg, 1UL << CAUSE_ILLEGAL_INSTRUCTION);
    report(csr_read(medeleg) == (1UL << CAUSE_ILLEGAL_INSTRUCTION), "medeleg.2 set");

    csr_set(mstatus, MSTATUS_SIE);
    struct trap_info t = expect_in(PRV_U, do_illegal32, 0);
    report(t.taken && t.level == PRV_S && t.cause == CAUSE_ILLEGAL_INSTRUCTION,
           "delegated illegal instruction from U lands in stvec (level %s, scause %lu)",
           mode_name(t.level), t.cause);
    report(t.epc == (unsigned long)do_illegal32 && t.tval == INSN_CUSTOM0,
           "sepc = the instruction, stval = its bits (0x%lx)", t.tval);
    report(!(t.status & MSTATUS_SPP), "sstatus.SPP = 0: the trap came from U");
    report((t.status & MSTATUS_SPIE) && !(t.status & MSTATUS_SIE),
           "sstatus.SPIE = the old SIE (1), SIE = 0 (sstatus 0x%lx)", t.status);
    csr_clear(mstatus, MSTATUS_SIE);
    t = expect_in(PRV_U, do_illegal32, 0);
    report(t.taken && t.level == PRV_S && !(t.status & MSTATUS_SPIE),
           "with SIE = 0 before the trap, SPIE = 0 (sstatus 0x%lx)", t.status);

    t = expect_in(PRV_S, do_illegal32, 0);
    report(t.taken && t.level == PRV_S && t.cause == CAUSE_ILLEGAL_INSTRUCTION &&
               (t.status & MSTATUS_SPP),
           "delegated illegal instruction from S: in S with sstatus.SPP = 1 (level %s)",
           mode_name(t.level));
    t = expect_in(PRV_M, do_illegal32, 0);
    report(t.taken && t.level == PRV_M && t.cause == CAUSE_ILLEGAL_INSTRUCTION,
           "an exception in M-mode is never delegated (level %s)", mode_name(t.level));

    csr_write(medeleg, 0);
    t = expect_in(PRV_U, do_illegal32, 0);
    report(t.taken && t.level == PRV_M && t.cause == CAUSE_ILLEGAL_INSTRUCTION &&
               mpp_of(t.status) == PRV_U && t.tval == INSN_CUSTOM0,
           "not delegated: the same trap from U goes to M with mstatus.MPP = U (level %s, MPP %lu)",
           mode_name(t.level), mpp_of(t.status));

    /* ecall from U delegated too: scause 8 in S. */
    csr_write(medeleg, 1UL << CAUSE_USER_ECALL);
    t = expect_in(PRV_U, do_ecall, 0);
    report(t.taken && t.level == PRV_S && t.cause == CAUSE_USER_ECALL &&
               t.epc == (unsigned long)do_ecall_insn,
           "delegated ecall from U: scause 8 in S (level %s, cause %lu)", mode_name(t.level), t.cause);
    csr_write(medeleg, 1UL << CAUSE_MACHINE_ECALL);
    report(!(csr_read(medeleg) & (1UL << CAUSE_MACHINE_ECALL)),
           "medeleg.11 (ecall from M) is read-only zero (medeleg 0x%lx)", csr_read(medeleg));
    csr_write(medeleg, 0);
}

static struct trap_frame *run_probe(unsigned long use_sret, unsigned long back_to)
{
    memset(&probe_frame, 0, sizeof(probe_frame));
    probe_resume = (unsigned long)xret_probe_resume;
    probe_priv = back_to;
    probe_armed = true;
    xret_probe(use_sret);
    probe_armed = false;
    return &probe_frame;
}

static void set_status(unsigned long clear, unsigned long set)
{
    csr_clear(mstatus, clear);
    csr_set(mstatus, set);
}

static void test_xret(void)
{
    trap_set_handler(probe_handler);

    /* mret to S: MIE = MPIE, MPIE = 1, and MPRV = 0 as MPP != M. */
    csr_write(mepc, (unsigned long)probe_target);
    set_status(MSTATUS_MPP | MSTATUS_MIE, MSTATUS_MPIE | MSTATUS_MPRV | (PRV_S << MSTATUS_MPP_SHIFT));
    struct trap_frame *f = run_probe(0, PRV_M);
    report(f->cause == CAUSE_SUPERVISOR_ECALL && mpp_of(f->status) == PRV_S,
           "mret with MPP = S enters S-mode (then ecall: cause %lu, MPP %lu)", f->cause,
           mpp_of(f->status));
    report(f->status & MSTATUS_MPIE, "mret set MIE from MPIE (1), seen as MPIE at the next trap");
    report(!(f->status & MSTATUS_MPRV), "mret to S cleared MPRV");

    csr_write(mepc, (unsigned long)probe_target);
    set_status(MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MPRV, PRV_U << MSTATUS_MPP_SHIFT);
    f = run_probe(0, PRV_M);
    report(f->cause == CAUSE_USER_ECALL && mpp_of(f->status) == PRV_U && !(f->status & MSTATUS_MPIE),
           "mret with MPP = U, MPIE = 0 enters U-mode with MIE = 0 (cause %lu, status 0x%lx)",
           f->cause, f->status);

    /* mret to M: MPP becomes U, the least-privileged mode; MIE = old MPIE; MPIE = 1. */
    set_status(MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MIE | (PRV_M << MSTATUS_MPP_SHIFT));
    unsigned long st = mret_to_m(0);
    report(!(st & MSTATUS_MIE) && (st & MSTATUS_MPIE) && mpp_of(st) == PRV_U,
           "mret with MPP = M stays in M: MIE = 0 (old MPIE), MPIE = 1, MPP = U (mstatus 0x%lx)", st);
    csr_clear(mstatus, MSTATUS_MIE);

    /* sret from M to U: SIE = SPIE, SPIE = 1, SPP = U, and MPRV = 0. */
    csr_write(sepc, (unsigned long)probe_target);
    set_status(MSTATUS_SPP | MSTATUS_SIE, MSTATUS_SPIE | MSTATUS_MPRV);
    f = run_probe(1, PRV_M);
    report(f->cause == CAUSE_USER_ECALL && mpp_of(f->status) == PRV_U,
           "sret (executed in M) with SPP = U enters U-mode (cause %lu)", f->cause);
    report((f->status & MSTATUS_SIE) && (f->status & MSTATUS_SPIE) && !(f->status & MSTATUS_SPP),
           "after sret: SIE = 1 (old SPIE), SPIE = 1, SPP = U (mstatus 0x%lx)", f->status);
    report(!(f->status & MSTATUS_MPRV), "sret cleared MPRV");
    csr_clear(mstatus, MSTATUS_SIE | MSTATUS_SPIE);

    /* sret from S to U, the usual way. */
    memset(&probe_frame, 0, sizeof(probe_frame));
    probe_resume = (unsigned long)s_sret_probe_resume;
    probe_priv = PRV_S;
    probe_armed = true;
    run_in_mode(PRV_S, s_sret_probe, 0);
    probe_armed = false;
    report(probe_frame.cause == CAUSE_USER_ECALL && (probe_frame.status & MSTATUS_SIE) &&
               (probe_frame.status & MSTATUS_SPIE) && !(probe_frame.status & MSTATUS_SPP),
           "sret in S with SPP = U, SPIE = 1: U-mode with SIE = 1, SPIE = 1, SPP = U (status 0x%lx)",
           probe_frame.status);
    csr_clear(mstatus, MSTATUS_SIE | MSTATUS_SPIE);
    trap_set_handler(NULL);

    /* xRET from a less privileged mode. */
    struct trap_info t = expect_in(PRV_U, do_sret, 0);
    report(t.taken && t.cause == CAUSE_ILLEGAL_INSTRUCTION && t.tval == INSN_SRET,
           "sret in U-mode: illegal instruction (cause %lu, tval 0x%lx)", t.cause, t.tval);
    t = expect_in(PRV_S, do_mret, 0);
    report(t.taken && t.cause == CAUSE_ILLEGAL_INSTRUCTION && t.tval == INSN_MRET,
           "mret in S-mode: illegal instruction (cause %lu, tval 0x%lx)", t.cause, t.tval);
    t = expect_in(PRV_U, do_mret, 0);
    report(t.taken && t.cause == CAUSE_ILLEGAL_INSTRUCTION && t.tval == INSN_MRET,
           "mret in U-mode: illegal instruction (cause %lu)", t.cause);
}

static void test_tsr_tw(void)
{
    struct trap_info t;
    trap_expect_begin();
    unsigned long r = run_in_mode(PRV_S, s_sret_self, 0);
    t = trap_expect_end();
    report(!t.taken && r == 1, "sret in S-mode with TSR = 0 is legal (trap %d)", t.taken);
    csr_set(mstatus, MSTATUS_TSR);
    t = expect_in(PRV_S, s_sret_self, 0);
    report(t.taken && t.level == PRV_M && t.cause == CAUSE_ILLEGAL_INSTRUCTION && t.tval == INSN_SRET,
           "sret in S-mode with mstatus.TSR = 1: illegal instruction (cause %lu, tval 0x%lx)",
           t.cause, t.tval);
    csr_clear(mstatus, MSTATUS_TSR);

    /* wfi in S with an interrupt pending completes at once: SSIP pending and enabled,
     * delegated, with sstatus.SIE = 0 so that it is not taken. */
    csr_write(mideleg, MIP_SSIP);
    csr_set(mip, MIP_SSIP);
    csr_write(mie, MIP_SSIP);
    t = expect_in(PRV_S, do_wfi, 0);
    report(!t.taken, "wfi in S-mode with TW = 0 is legal (trap %d)", t.taken);
    csr_set(mstatus, MSTATUS_TW);
    t = expect_in(PRV_S, do_wfi, 0);
    report(t.taken && t.cause == CAUSE_ILLEGAL_INSTRUCTION && t.tval == INSN_WFI,
           "wfi in S-mode with mstatus.TW = 1: illegal instruction (cause %lu, tval 0x%lx)", t.cause,
           t.tval);
    csr_clear(mstatus, MSTATUS_TW);
    csr_write(mie, 0);
    csr_clear(mip, MIP_SSIP);
    csr_write(mideleg, 0);
    t = expect_in(PRV_U, do_wfi, 0);
    report(t.taken && t.cause == CAUSE_ILLEGAL_INSTRUCTION && t.tval == INSN_WFI,
           "wfi in U-mode (nothing pending): illegal instruction (cause %lu)", t.cause);
}

static void test_csr_rules(void)
{
    struct trap_info t = expect_in(PRV_S, do_read_mstatus, 0);
    report(t.taken && t.cause == CAUSE_ILLEGAL_INSTRUCTION && t.tval == INSN_CSRR_MSTATUS_A0,
           "S-mode reading mstatus: illegal instruction, mtval = the csrr (0x%lx)", t.tval);
    t = expect_in(PRV_U, do_read_sstatus, 0);
    report(t.taken && t.cause == CAUSE_ILLEGAL_INSTRUCTION, "U-mode reading sstatus: illegal (cause %lu)",
           t.cause);
    t = expect_in(PRV_S, do_read_sstatus, 0);
    report(!t.taken, "S-mode reading sstatus is legal");
    t = expect_in(PRV_M, do_write_cycle, 5);
    report(t.taken && t.cause == CAUSE_ILLEGAL_INSTRUCTION && t.tval == INSN_CSRW_CYCLE_A0,
           "csrw cycle (read-only CSR) in M-mode: illegal instruction (tval 0x%lx)", t.tval);
    trap_expect_begin();
    unsigned long id = do_read_mhartid(0);
    t = trap_expect_end();
    report(!t.taken && id == 0, "csrrsi mhartid, 0 (no write) of a read-only CSR is legal (%lu)", id);
}

static const struct {
    const char *name;
    lower_fn fn;
    unsigned bit;
} counters[] = {
    { "rdcycle", do_rdcycle, 0 },
    { "rdtime", do_rdtime, 1 },
    { "rdinstret", do_rdinstret, 2 },
    { "hpmcounter3", do_rdhpm3, 3 },
};

static void check_counters(unsigned long mcen, unsigned long scen)
{
    csr_write(mcounteren, mcen);
    csr_write(scounteren, scen);
    for (unsigned k = 0; k < ARRAY_SIZE(counters); k++) {
        unsigned bit = counters[k].bit;
        bool s_ok = (mcen >> bit) & 1;
        bool u_ok = s_ok && ((scen >> bit) & 1);
        struct trap_info t = expect_in(PRV_S, counters[k].fn, 0);
        report(t.taken == !s_ok && (!t.taken || t.cause == CAUSE_ILLEGAL_INSTRUCTION),
               "mcounteren 0x%lx: %s in S-mode is %s", mcen, counters[k].name,
               s_ok ? "allowed" : "illegal");
        t = expect_in(PRV_U, counters[k].fn, 0);
        report(t.taken == !u_ok && (!t.taken || t.cause == CAUSE_ILLEGAL_INSTRUCTION),
               "mcounteren 0x%lx, scounteren 0x%lx: %s in U-mode is %s", mcen, scen,
               counters[k].name, u_ok ? "allowed" : "illegal");
    }
}

static void test_counters(void)
{
    check_counters(0, 0);
    check_counters(0, 0xf);
    check_counters(0xf, 0);
    check_counters(0xf, 0xf);
    check_counters(0x2, 0xf);
    check_counters(0x5, 0x4);
    trap_expect_begin();
    unsigned long a = do_rdinstret(0), b = do_rdinstret(0);
    struct trap_info t = trap_expect_end();
    report(!t.taken && b > a, "M-mode reads instret whatever mcounteren says (%lu then %lu)", a, b);
    csr_write(mcounteren, 0);
    csr_write(scounteren, 0);
}

int main(void)
{
    report(hartid() == 0, "running on hart 0 in M-mode");
    test_illegal();
    test_ecall_ebreak();
    test_fetch_alignment();
    test_access_faults();
    test_delegation();
    test_xret();
    test_tsr_tw();
    test_csr_rules();
    test_counters();
    return 0;
}
