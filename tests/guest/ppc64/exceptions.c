/* tests/guest/ppc64/exceptions.c: the synchronous interrupts a pseries kernel handles
 * itself (Power ISA v3.0B Book III-S chapter 7: 7.5.8 Alignment, 7.5.9 Program with the
 * SRR1 reason bits for illegal instruction, privileged instruction and trap, 7.5.10
 * Floating-Point Unavailable, 7.5.14 System Call, 7.5.15 Trace, 7.5.19-7.5.20 Vector and
 * VSX Unavailable; 7.2 for which instruction SRR0 names, 4.2.1 for the MSR rules of
 * rfid, mtmsrd and problem state), as a partition sees them: hypervisor-privileged
 * instructions and SPRs are Privileged Instruction type Program interrupts (LPCR[EVIRT]
 * is 0), an illegal instruction reaches the partition as a Program interrupt, and
 * problem state runs relocated with external interrupts enabled. */
#include "guest_ppc64.h"

#define MSR_HV (1ULL << 60)
#define MSR_SE (1ULL << 10)

/* ---- the recorder ---- */

#define MAX_EVENTS 16
struct event {
    uint64_t vector, srr0, srr1, dar, r3;
};
static volatile struct event ev[MAX_EVENTS];
static volatile unsigned nev;

static void record(struct trap_frame *f)
{
    if (nev < MAX_EVENTS)
        ev[nev] = (struct event){ f->vector, f->srr0, f->srr1, f->dar, f->gpr[3] };
    nev++;
}

static void reset(void)
{
    nev = 0;
    memset((void *)ev, 0, sizeof(ev));
}

/* Program and alignment interrupts: record, skip the instruction. */
static void on_skip(struct trap_frame *f)
{
    record(f);
    f->srr0 += 4;
}

/* Facility unavailable: record, turn the facility on, run the instruction again. */
static void on_facility(struct trap_frame *f)
{
    record(f);
    if (f->vector == VEC_FP_UNAVAIL)
        f->srr1 |= MSR_FP;
    else if (f->vector == VEC_VMX_UNAVAIL)
        f->srr1 |= MSR_VEC;
    else
        f->srr1 |= MSR_VSX;
}

static bool program_at(unsigned k, const char *insn, uint64_t reason)
{
    return nev > k && ev[k].vector == VEC_PROGRAM && ev[k].srr0 == (uint64_t)insn &&
           (ev[k].srr1 & (SRR1_FP | SRR1_ILLEGAL | SRR1_PRIV | SRR1_TRAP)) == reason;
}

/* ---- instruction probes: each labelled instruction is the one under test ---- */

#define PROBE(name, body) \
    "    .globl " #name ", " #name "_insn\n" #name ":\n" #name "_insn:\n    " body "\n    blr\n"

extern char illegal_zero[], illegal_zero_insn[], illegal_op1[], illegal_op1_insn[];
extern char p_mfmsr[], p_mfmsr_insn[], p_mtmsrd[], p_mtmsrd_insn[], p_rfid[], p_rfid_insn[];
extern char p_mfsrr0[], p_mfsrr0_insn[], p_mtsprg0[], p_mtsprg0_insn[], p_mfdec[], p_mfdec_insn[];
extern char p_slbmte[], p_slbmte_insn[], p_tlbie[], p_tlbie_insn[], p_mtlpcr[], p_mtlpcr_insn[];
extern char h_mflpcr[], h_mflpcr_insn[], h_mthsprg0[], h_mthsprg0_insn[], h_hrfid[], h_hrfid_insn[];
extern char h_tlbie[], h_tlbie_insn[];
extern char t_tw_always[], t_tw_always_insn[], t_twi_eq[], t_twi_eq_insn[];
extern char t_tdi_lt[], t_tdi_lt_insn[], t_td_gtu[], t_td_gtu_insn[], t_tw_low[], t_tw_low_insn[];
extern char t_td_low[], t_td_low_insn[];
extern char a_lwarx[], a_lwarx_insn[], a_ldarx[], a_ldarx_insn[], a_stwcx[], a_stwcx_insn[];
extern char a_lq[], a_lq_insn[], a_lmw[], a_lmw_insn[], a_stmw[], a_stmw_insn[];
extern char a_lharx[], a_lharx_insn[];
extern char sc_priv[], sc_priv_insn[];

__asm__("    .text\n"
        PROBE(illegal_zero, ".long 0")
        PROBE(illegal_op1, ".long 0x04000000")
        PROBE(p_mfmsr, "mfmsr %r3")
        PROBE(p_mtmsrd, "mtmsrd %r3")
        PROBE(p_rfid, "rfid")
        PROBE(p_mfsrr0, "mfspr %r3, 26")
        PROBE(p_mtsprg0, "mtspr 272, %r3")
        PROBE(p_mfdec, "mfspr %r3, 22")
        PROBE(p_slbmte, "slbmte %r3, %r4")
        PROBE(p_tlbie, "tlbie %r3, %r4")
        PROBE(p_mtlpcr, "mtspr 318, %r3")
        PROBE(h_mflpcr, "mfspr %r3, 318")
        PROBE(h_mthsprg0, "mtspr 304, %r3")
        PROBE(h_hrfid, "hrfid")
        PROBE(h_tlbie, "tlbie %r3, %r4")
        PROBE(t_tw_always, "tw 31, %r0, %r0")
        PROBE(t_twi_eq, "twi 4, %r3, 5")
        PROBE(t_tdi_lt, "tdi 16, %r3, -1")
        PROBE(t_td_gtu, "td 1, %r3, %r4")
        PROBE(t_tw_low, "tw 4, %r3, %r4")
        PROBE(t_td_low, "td 4, %r3, %r4")
        PROBE(a_lwarx, "lwarx %r3, 0, %r3")
        PROBE(a_ldarx, "ldarx %r3, 0, %r3")
        PROBE(a_lharx, "lharx %r3, 0, %r3")
        PROBE(a_stwcx, "stwcx. %r4, 0, %r3")
        PROBE(a_lq, "lq %r6, 0(%r3)")
        PROBE(a_lmw, ".long 0xbbc30000 /* lmw r30, 0(r3) */")
        PROBE(a_stmw, ".long 0xbfc30000 /* stmw r30, 0(r3) */")
        PROBE(sc_priv, "li %r0, 0\n    sc"));

static uint64_t call1(const char *fn, uint64_t r3, uint64_t r4)
{
    register uint64_t a __asm__("r3") = r3;
    register uint64_t b __asm__("r4") = r4;
    register uint64_t t __asm__("r12") = (uint64_t)fn;
    __asm__ volatile("mtctr %2; bctrl"
                     : "+r"(a), "+r"(b), "+r"(t)
                     :
                     : "r0", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "ctr", "lr", "cr0",
                       "cr1", "cr5", "cr6", "cr7", "xer", "memory");
    return a;
}

/* lq/lmw clobber r6-r7 and r30-r31: preserve the latter around the call. */
static uint64_t call_saving(const char *fn, uint64_t r3)
{
    register uint64_t a __asm__("r3") = r3;
    register uint64_t t __asm__("r12") = (uint64_t)fn;
    __asm__ volatile("std %%r30, -16(%%r1); std %%r31, -8(%%r1)\n"
                     "stdu %%r1, -128(%%r1)\n"
                     "mtctr %1; bctrl\n"
                     "addi %%r1, %%r1, 128\n"
                     "ld %%r30, -16(%%r1); ld %%r31, -8(%%r1)"
                     : "+r"(a), "+r"(t)
                     :
                     : "r0", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "ctr", "lr",
                       "cr0", "cr1", "cr5", "cr6", "cr7", "xer", "memory");
    return a;
}

/* ---- illegal, privileged, hypervisor-privileged ---- */

static void test_illegal(void)
{
    reset();
    call1(illegal_zero, 0, 0);
    call1(illegal_op1, 0, 0);
    report(program_at(0, illegal_zero_insn, SRR1_ILLEGAL),
           "0x00000000: Program interrupt, SRR1 illegal instruction, SRR0 = it (srr1 %016llx)",
           (unsigned long long)ev[0].srr1);
    report(program_at(1, illegal_op1_insn, SRR1_ILLEGAL),
           "primary opcode 1: Program interrupt, illegal instruction");
}

struct user_probe {
    const char *fn, *insn, *what;
};
static const struct user_probe user_probes[] = {
    { p_mfmsr, p_mfmsr_insn, "mfmsr" },
    { p_mtmsrd, p_mtmsrd_insn, "mtmsrd" },
    { p_rfid, p_rfid_insn, "rfid" },
    { p_mfsrr0, p_mfsrr0_insn, "mfspr SRR0" },
    { p_mtsprg0, p_mtsprg0_insn, "mtspr SPRG0" },
    { p_mfdec, p_mfdec_insn, "mfspr DEC" },
    { p_slbmte, p_slbmte_insn, "slbmte" },
    { p_tlbie, p_tlbie_insn, "tlbie" },
    { p_mtlpcr, p_mtlpcr_insn, "mtspr LPCR" },
};
static volatile uint64_t user_tb, user_sprg3;

static void user_privileged(void *arg)
{
    user_sprg3 = mfspr(259); /* before any interrupt: the trap entry uses SPRG3 */
    user_tb = mfspr(268);
    for (unsigned k = 0; k < ARRAY_SIZE(user_probes); k++)
        call1(user_probes[k].fn, 0, 31);
}

static void test_privileged(void)
{
    reset();
    mtspr(275, 0x3333); /* SPRG3, readable from problem state through 259 */
    run_in_user(user_privileged, NULL);
    for (unsigned k = 0; k < ARRAY_SIZE(user_probes); k++)
        report(program_at(k, user_probes[k].insn, SRR1_PRIV) && (ev[k].srr1 & MSR_PR),
               "%s in problem state: Program interrupt, SRR1 privileged + PR, SRR0 = it",
               user_probes[k].what);
    report(nev == ARRAY_SIZE(user_probes) && user_tb != 0 && user_sprg3 == 0x3333,
           "mfspr TB and SPRG3 (259) work in problem state");
}

static void test_hv_privileged(void)
{
    reset();
    call1(h_mflpcr, 0, 0);
    call1(h_mthsprg0, 0, 0);
    call1(h_hrfid, 0, 0);
    call1(h_tlbie, 0, 0);
    report(program_at(0, h_mflpcr_insn, SRR1_PRIV), "mfspr LPCR: Program interrupt, SRR1 privileged");
    report(program_at(1, h_mthsprg0_insn, SRR1_PRIV),
           "mtspr HSPRG0: Program interrupt, SRR1 privileged");
    report(program_at(2, h_hrfid_insn, SRR1_PRIV), "hrfid: Program interrupt, SRR1 privileged");
    report(program_at(3, h_tlbie_insn, SRR1_PRIV), "tlbie: Program interrupt, SRR1 privileged");
    report(nev == 4 && !(ev[0].srr1 & MSR_PR), "... all from privileged state");
}

/* ---- traps ---- */

static void test_traps(void)
{
    reset();
    call1(t_tw_always, 0, 0);
    report(program_at(0, t_tw_always_insn, SRR1_TRAP), "tw 31: Program interrupt, SRR1 trap, SRR0 = it");
    call1(t_twi_eq, 5, 0);
    report(program_at(1, t_twi_eq_insn, SRR1_TRAP), "twi EQ with equal operands traps");
    call1(t_twi_eq, 6, 0);
    report(nev == 2, "twi EQ with different operands does not");
    call1(t_tdi_lt, (uint64_t)-2, 0);
    report(program_at(2, t_tdi_lt_insn, SRR1_TRAP), "tdi LT: -2 < -1 traps");
    call1(t_tdi_lt, 0, 0);
    report(nev == 3, "tdi LT: 0 < -1 does not");
    call1(t_td_gtu, 1, 2);
    report(nev == 3, "td GTU: 1 > 2 does not trap");
    call1(t_td_gtu, (uint64_t)-1, 2);
    report(program_at(3, t_td_gtu_insn, SRR1_TRAP), "td GTU: 0xff..ff > 2 traps");
    call1(t_tw_low, 0x100000005ULL, 5);
    report(program_at(4, t_tw_low_insn, SRR1_TRAP), "tw EQ compares the low words only");
    call1(t_td_low, 0x100000005ULL, 5);
    report(nev == 5, "td EQ compares the doublewords");
}

/* ---- alignment ---- */

static uint64_t aligned_buf[8] __attribute__((aligned(128)));
static uint8_t zero_block[384] __attribute__((aligned(128)));

static bool align_at(unsigned k, const char *insn, uint64_t ea)
{
    return nev > k && ev[k].vector == VEC_ALIGNMENT && ev[k].srr0 == (uint64_t)insn &&
           ev[k].dar == ea;
}

static void test_alignment(void)
{
    uint64_t b = (uint64_t)aligned_buf;
    reset();
    call1(a_lwarx, b + 2, 0);
    report(align_at(0, a_lwarx_insn, b + 2), "lwarx of a misaligned word: Alignment, DAR, SRR0");
    call1(a_ldarx, b + 4, 0);
    report(align_at(1, a_ldarx_insn, b + 4), "ldarx of a misaligned doubleword: Alignment");
    call1(a_lharx, b + 1, 0);
    report(align_at(2, a_lharx_insn, b + 1), "lharx of a misaligned halfword: Alignment");
    call1(a_stwcx, b + 1, 0);
    report(align_at(3, a_stwcx_insn, b + 1), "stwcx. misaligned: Alignment");
    call_saving(a_lq, b + 8);
    report(align_at(4, a_lq_insn, b + 8), "lq of a misaligned quadword: Alignment");
    call_saving(a_lmw, b);
    report(align_at(5, a_lmw_insn, b), "lmw in little-endian mode: Alignment");
    call_saving(a_stmw, b);
    report(align_at(6, a_stmw_insn, b), "stmw in little-endian mode: Alignment");

    /* Ordinary loads and stores of RAM take any alignment. */
    aligned_buf[0] = 0x8877665544332211ULL;
    aligned_buf[1] = 0x00ffeeddccbbaa99ULL;
    volatile uint64_t *p = (volatile uint64_t *)(b + 3);
    uint64_t v = *p;
    *(volatile uint32_t *)(b + 9) = 0x12345678;
    uint64_t w = ((volatile uint64_t *)aligned_buf)[1];
    report(nev == 7 && v == 0xbbaa998877665544ULL && w == 0x00ffee1234567899ULL,
           "misaligned ld and stw of RAM: no interrupt, right bytes");

    /* dcbz zeroes the aligned 128-byte block holding the address. */
    memset(zero_block, 0x5a, sizeof(zero_block));
    __asm__ volatile("dcbz 0, %0" : : "r"(zero_block + 128 + 37) : "memory");
    bool ok = true;
    for (unsigned k = 0; k < sizeof(zero_block); k++)
        ok = ok && zero_block[k] == ((k >= 128 && k < 256) ? 0 : 0x5a);
    report(ok && nev == 7, "dcbz zeroes exactly its 128-byte block");
}

/* ---- facilities ---- */

typedef unsigned char v16u8 __attribute__((vector_size(16)));
double fac_fadd(uint64_t clear, double x);
double fac_lfd(uint64_t clear, const double *p);
v16u8 fac_vaddubm(uint64_t clear, v16u8 a, v16u8 b);
v16u8 fac_xxlor(uint64_t clear, v16u8 a, v16u8 b);
extern char fac_fadd_insn[], fac_lfd_insn[], fac_vaddubm_insn[], fac_xxlor_insn[];
#define FAC(name, body)                                  \
    "    .globl " #name ", " #name "_insn\n" #name ":\n" \
    "    mfmsr %r5\n"                                    \
    "    andc %r5, %r5, %r3\n"                           \
    "    mtmsrd %r5\n" #name "_insn:\n    " body "\n    blr\n"
__asm__("    .text\n"
        FAC(fac_fadd, "fadd %f1, %f1, %f1")
        FAC(fac_lfd, "lfd %f1, 0(%r4)")
        FAC(fac_vaddubm, "vaddubm %v2, %v2, %v3")
        FAC(fac_xxlor, "xxlor %vs34, %vs35, %vs35"));

static void facilities_on(void)
{
    mtmsrd(mfmsr() | MSR_FP | MSR_VEC | MSR_VSX);
}

static bool fac_at(unsigned k, unsigned vector, const char *insn)
{
    return nev > k && ev[k].vector == vector && ev[k].srr0 == (uint64_t)insn;
}

static void test_facilities(void)
{
    reset();
    double d = fac_fadd(MSR_FP, 1.5);
    facilities_on();
    report(fac_at(0, VEC_FP_UNAVAIL, fac_fadd_insn) && !(ev[0].srr1 & MSR_FP) && d == 3.0,
           "fadd with MSR[FP] = 0: FP Unavailable at it; with FP on again it runs (%d)", (int)d);
    static const double seven = 7.0;
    d = fac_lfd(MSR_FP, &seven);
    facilities_on();
    report(fac_at(1, VEC_FP_UNAVAIL, fac_lfd_insn) && d == 7.0, "lfd with MSR[FP] = 0: FP Unavailable");

    v16u8 a = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 255 };
    v16u8 b = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
    v16u8 r = fac_vaddubm(MSR_VEC, a, b);
    facilities_on();
    report(fac_at(2, VEC_VMX_UNAVAIL, fac_vaddubm_insn) && r[0] == 2 && r[15] == 0,
           "vaddubm with MSR[VEC] = 0: Vector Unavailable; with VEC on it runs");
    r = fac_xxlor(MSR_VSX, a, b);
    facilities_on();
    report(fac_at(3, VEC_VSX_UNAVAIL, fac_xxlor_insn) && r[0] == 1 && r[15] == 1,
           "xxlor with MSR[VSX] = 0: VSX Unavailable; with VSX on it runs");
    report(nev == 4, "one interrupt each");
}

/* ---- system call, rfid, mtmsrd ---- */

static void on_sc(struct trap_frame *f)
{
    record(f);
    f->gpr[3] = 0x77;
}

static void user_sc(void *arg)
{
    *(volatile uint64_t *)arg = call1(sc_priv, 0x5c, 0);
}

uint64_t rfid_probe(uint64_t srr1);
__asm__("    .text\n"
        "    .globl rfid_probe\n"
        "rfid_probe:\n"
        "    mflr %r5\n"
        "    mtsrr1 %r3\n"
        "    bl 1f\n"
        "1:  mflr %r4\n"
        "    addi %r4, %r4, 2f - 1b\n"
        "    mtsrr0 %r4\n"
        "    rfid\n"
        "2:  mfmsr %r3\n"
        "    mtlr %r5\n"
        "    blr\n");

static void test_syscall(void)
{
    trap_handler_fn old = set_trap_handler(VEC_SYSCALL, on_sc);
    reset();
    uint64_t r = call1(sc_priv, 0x5c, 0);
    report(nev == 1 && ev[0].vector == VEC_SYSCALL && ev[0].srr0 == (uint64_t)sc_priv_insn + 8 &&
               !(ev[0].srr1 & MSR_PR) && ev[0].r3 == 0x5c && r == 0x77,
           "sc from privileged state: 0xc00, SRR0 = the next instruction, r3 kept");
    uint64_t ur = 0;
    run_in_user(user_sc, &ur);
    report(nev == 2 && ev[1].vector == VEC_SYSCALL && ev[1].srr0 == (uint64_t)sc_priv_insn + 8 &&
               ur == 0x77,
           "sc from problem state: 0xc00, SRR0 = the next instruction");
    report((ev[1].srr1 & (MSR_PR | MSR_EE | MSR_IR | MSR_DR)) == (MSR_PR | MSR_EE | MSR_IR | MSR_DR),
           "rfid into problem state turned EE, IR, DR on (srr1 %016llx)",
           (unsigned long long)ev[1].srr1);
    set_trap_handler(VEC_SYSCALL, old);

    uint64_t msr = mfmsr();
    uint64_t got = rfid_probe((msr & ~MSR_ME) | MSR_HV);
    mtmsrd(msr);
    report((got & MSR_ME) && !(got & MSR_HV) && (got & MSR_LE),
           "rfid in privileged state keeps MSR[ME] and cannot set MSR[HV]");
    got = rfid_probe(msr & ~MSR_FP);
    facilities_on();
    report(!(got & MSR_FP) && (got & MSR_VEC), "rfid loads the other bits from SRR1");

    uint64_t before = mfmsr();
    __asm__ volatile("mtmsrd %0, 1" : : "r"(~MSR_EE) : "memory");
    uint64_t after = mfmsr();
    __asm__ volatile("mtmsrd %0, 1" : : "r"(0ULL) : "memory");
    report(after == (before | MSR_RI) && !(after & MSR_PR),
           "mtmsrd L = 1 changes only EE and RI (%016llx -> %016llx)",
           (unsigned long long)before, (unsigned long long)after);
    mtmsrd((before & ~MSR_ME) | MSR_HV);
    after = mfmsr();
    mtmsrd(before);
    report((after & MSR_ME) && !(after & MSR_HV), "mtmsrd L = 0 leaves ME and HV alone");
}

/* ---- the decrementer in problem state ---- */

static volatile unsigned dec_hits;
static volatile uint64_t dec_srr1;

static void on_dec(struct trap_frame *f)
{
    dec_hits++;
    dec_srr1 = f->srr1;
    mtspr(22, 0x7fffffff);
}

static void user_wait_dec(void *arg)
{
    for (unsigned long k = 0; k < 50000000 && !dec_hits; k++)
        ;
}

static void test_user_dec(void)
{
    set_trap_handler(VEC_DECREMENTER, on_dec);
    mtspr(22, 20000);
    run_in_user(user_wait_dec, NULL);
    report(dec_hits == 1 && (dec_srr1 & MSR_PR) && (dec_srr1 & MSR_EE),
           "the decrementer interrupts problem state (EE forced on): SRR1[PR] = 1");
}

/* ---- single-step trace ---- */

uint64_t ss_enter(uint64_t srr1, uint64_t r3);
extern char ss_body[], ss_i1[], ss_i2[], ss_i3[], ss_i4[], ss_ret[];
__asm__("    .text\n"
        "    .globl ss_enter, ss_body, ss_i1, ss_i2, ss_i3, ss_i4, ss_ret\n"
        "ss_enter:\n"
        "    mflr %r0\n"
        "    std %r0, 16(%r1)\n"
        "    stdu %r1, -32(%r1)\n"
        "    mtsrr1 %r3\n"
        "    mr %r3, %r4\n"
        "    bl 1f\n"
        "1:  mflr %r4\n"
        "    addi %r4, %r4, ss_body - 1b\n"
        "    mtsrr0 %r4\n"
        "    bl ss_rfid\n"
        "ss_ret:\n"
        "    addi %r1, %r1, 32\n"
        "    ld %r0, 16(%r1)\n"
        "    mtlr %r0\n"
        "    blr\n"
        "ss_rfid:\n"
        "    rfid\n"
        "ss_body:\n"
        "    addi %r3, %r3, 1\n"
        "ss_i1:\n"
        "    addi %r3, %r3, 1\n"
        "ss_i2:\n"
        "    b ss_i3\n"
        "    trap\n"
        "ss_i3:\n"
        "    tw 0, %r0, %r0\n"
        "ss_i4:\n"
        "    blr\n");

static volatile uint64_t ss_srr0[8], ss_srr1;
static volatile unsigned ss_n;

static void on_trace(struct trap_frame *f)
{
    if (ss_n < 8)
        ss_srr0[ss_n] = f->srr0;
    ss_n++;
    ss_srr1 = f->srr1;
    if (f->srr0 == (uint64_t)ss_ret || ss_n >= 8)
        f->srr1 &= ~MSR_SE;
}

static void test_trace(void)
{
    set_trap_handler(VEC_TRACE, on_trace);
    uint64_t r = ss_enter(mfmsr() | MSR_SE, 40);
    const char *want[] = { ss_i1, ss_i2, ss_i3, ss_i4, ss_ret };
    bool ok = ss_n == 5;
    for (unsigned k = 0; k < 5 && ok; k++)
        ok = ss_srr0[k] == (uint64_t)want[k];
    report(ok && r == 42,
           "MSR[SE]: a Trace interrupt after each instruction, SRR0 = the next one (%u)", ss_n);
    report(ss_srr1 & MSR_SE, "... SRR1 keeps MSR[SE]");
    report(!(mfmsr() & MSR_SE), "... and interrupts run with SE = 0");
}

int main(void)
{
    if (!mmu_identity_map()) {
        report(false, "mapping RAM 1:1 for problem state");
        return 1;
    }
    set_trap_handler(VEC_PROGRAM, on_skip);
    set_trap_handler(VEC_ALIGNMENT, on_skip);
    set_trap_handler(VEC_FP_UNAVAIL, on_facility);
    set_trap_handler(VEC_VMX_UNAVAIL, on_facility);
    set_trap_handler(VEC_VSX_UNAVAIL, on_facility);
    test_illegal();
    test_privileged();
    test_hv_privileged();
    test_traps();
    test_alignment();
    test_syscall();
    test_user_dec();
    test_trace();
    test_facilities();
    return 0;
}
