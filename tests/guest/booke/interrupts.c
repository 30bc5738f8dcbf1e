/* tests/guest/booke/interrupts.c: the base Book III-E interrupts of an e500mc, taken
 * through IVPR + IVORn (Power ISA 2.06 Book III-E chapter 7): 7.6.10 System Call (SRR0
 * names the next instruction, SRR1 the old MSR; 7.6 for the MSR an interrupt leaves:
 * EE and PR cleared, CE/ME/DE kept), 7.6.7 Program (ESR[PIL] illegal instruction,
 * ESR[PPR] privileged instruction in problem state, ESR[PTR] trap; SRR0 names the
 * instruction), 7.6.8 Floating-Point Unavailable, 7.6.3 Data Storage (a TLB1 entry
 * without write or read permission: DEAR, ESR[ST]), 7.6.6 Alignment (lwarx/stwcx. off a
 * word boundary: the ISA allows "boundedly undefined", the e500mc reference manual's
 * alignment interrupt list names lwarx and stwcx., so this is Quirk(e500mc)), 7.6.15 Data TLB Error (DEAR, ESR[ST], and the MAS registers loaded
 * from MAS4's defaults and PID as 6.10.3.x "MAS register updates" says) with a miss
 * handler that installs the entry and retries, 7.6.16 Instruction TLB Error; 4.4.x rfi,
 * rfci, rfmci; and the timer facilities of chapter 9: 9.3 Decrementer (TSR[DIS],
 * TCR[DIE], the auto-reload from DECAR with TCR[ARE]), 9.5 Fixed-Interval Timer (the
 * e500 family selects the time base bit with TCR[FPEXT] || TCR[FP]). */
#include "guest_booke.h"

/* ---- the recorder ---- */

#define MAX_EVENTS 16
struct event {
    uint32_t vec, srr0, srr1, dear, esr, msr;
    uint32_t mas0, mas1, mas2, mas3, mas6, mas7;
};
static volatile struct event ev[MAX_EVENTS];
static volatile unsigned nev;

static void record(struct trap_frame *f)
{
    if (nev < MAX_EVENTS) {
        volatile struct event *e = &ev[nev];
        e->vec = f->vector;
        e->srr0 = f->srr0;
        e->srr1 = f->srr1;
        e->dear = f->dear;
        e->esr = f->esr;
        e->msr = mfmsr();
        e->mas0 = mfspr(SPRN_MAS0);
        e->mas1 = mfspr(SPRN_MAS1);
        e->mas2 = mfspr(SPRN_MAS2);
        e->mas3 = mfspr(SPRN_MAS3);
        e->mas6 = mfspr(SPRN_MAS6);
        e->mas7 = mfspr(SPRN_MAS7);
    }
    nev++;
}

static void reset(void)
{
    nev = 0;
    memset((void *)ev, 0, sizeof(ev));
}

/* Record and skip the instruction. */
static void on_skip(struct trap_frame *f)
{
    record(f);
    f->srr0 += 4;
}

/* Record and resume at the caller (a failed fetch: the probe was reached with bctrl). */
static void on_fetch(struct trap_frame *f)
{
    record(f);
    f->srr0 = f->lr;
}

/* Record, turn MSR[FP] on, run the instruction again. */
static void on_fp_unavail(struct trap_frame *f)
{
    record(f);
    f->srr1 |= MSR_FP;
}

/* ---- instruction probes: each labelled instruction is the one under test ---- */

#define PROBE(name, body) \
    "    .globl " #name ", " #name "_insn\n" #name ":\n" #name "_insn:\n    " body "\n    blr\n"

extern char p_sc[], p_sc_insn[], p_illegal0[], p_illegal0_insn[], p_illegal1[], p_illegal1_insn[];
extern char p_trap[], p_trap_insn[], p_lfd[], p_lfd_insn[];
extern char u_mfmsr[], u_mfmsr_insn[], u_mtmsr[], u_mtmsr_insn[], u_mfsrr0[], u_mfsrr0_insn[];
extern char u_mtsprg0[], u_mtsprg0_insn[], u_wrteei[], u_wrteei_insn[], u_tlbwe[], u_tlbwe_insn[];
extern char u_rfi[], u_rfi_insn[], u_sc[], u_sc_insn[];
extern char p_load[], p_load_insn[], p_store[], p_store_insn[];
extern char p_lwarx[], p_lwarx_insn[], p_stwcx[], p_stwcx_insn[];

__asm__(".text\n"
        PROBE(p_sc, "sc")
        PROBE(p_illegal0, ".long 0x00000000")
        PROBE(p_illegal1, ".long 0x04000000")
        PROBE(p_trap, "tw 31, 0, 0")
        PROBE(p_lfd, ".long 0xc8030000") /* lfd f0, 0(r3) */
        PROBE(u_mfmsr, "mfmsr 3")
        PROBE(u_mtmsr, "mtmsr 3")
        PROBE(u_mfsrr0, "mfspr 3, 26")
        PROBE(u_mtsprg0, "mtspr 272, 3")
        PROBE(u_wrteei, "wrteei 1")
        PROBE(u_tlbwe, "tlbwe")
        PROBE(u_rfi, "rfi")
        PROBE(u_sc, "sc")
        PROBE(p_load, "lwz 3, 0(3)")
        PROBE(p_store, "stw 4, 0(3)")
        PROBE(p_lwarx, "lwarx 3, 0, 3")
        PROBE(p_stwcx, "stwcx. 4, 0, 3"));

typedef uint32_t (*probe_fn)(uint32_t, uint32_t);

static uint32_t call(const char *fn, uint32_t a, uint32_t b)
{
    return ((probe_fn)(uintptr_t)fn)(a, b);
}

static bool event_is(unsigned k, unsigned vec, const char *insn)
{
    return nev > k && ev[k].vec == vec && ev[k].srr0 == (uint32_t)insn;
}

/* ---- System Call, and the MSR of an interrupt ---- */

static void test_sc(void)
{
    set_trap_handler(VEC_SYSCALL, record);
    reset();
    uint32_t msr = mfmsr() | MSR_EE | MSR_CE;
    mtmsr(msr);
    call(p_sc, 0, 0);
    mtmsr(msr & ~(MSR_EE | MSR_CE));
    report(event_is(0, VEC_SYSCALL, p_sc_insn + 4), "sc: IVOR8, SRR0 = the next instruction (0x%x)",
           ev[0].srr0);
    report(nev == 1 && ev[0].srr1 == msr, "sc: SRR1 = the MSR before (0x%x, expected 0x%x)",
           ev[0].srr1, msr);
    report(nev == 1 && !(ev[0].msr & (MSR_EE | MSR_PR | MSR_IS | MSR_DS)) && (ev[0].msr & MSR_CE),
           "sc: the handler runs with EE = PR = IS = DS = 0 and CE kept (MSR 0x%x)", ev[0].msr);
    set_trap_handler(VEC_SYSCALL, NULL);
}

/* ---- Program interrupts ---- */

static bool program_at(unsigned k, const char *insn, uint32_t reason)
{
    return event_is(k, VEC_PROGRAM, insn) &&
           (ev[k].esr & (ESR_PIL | ESR_PPR | ESR_PTR | ESR_FP)) == reason;
}

static void user_probes(void *arg)
{
    call(u_mfmsr, 0, 0);
    call(u_mtmsr, 0, 0);
    call(u_mfsrr0, 0, 0);
    call(u_mtsprg0, 0, 0);
    call(u_wrteei, 0, 0);
    call(u_tlbwe, 0, 0);
    call(u_rfi, 0, 0);
    call(u_sc, 0, 0);
}

static void test_program(void)
{
    set_trap_handler(VEC_PROGRAM, on_skip);
    reset();
    call(p_illegal0, 0, 0);
    call(p_illegal1, 0, 0);
    call(p_trap, 0, 0);
    report(program_at(0, p_illegal0_insn, ESR_PIL), "illegal instruction 0x00000000: Program, ESR[PIL] "
           "(esr 0x%x srr0 0x%x)", ev[0].esr, ev[0].srr0);
    report(program_at(1, p_illegal1_insn, ESR_PIL), "illegal primary opcode 1: Program, ESR[PIL] "
           "(esr 0x%x)", ev[1].esr);
    report(program_at(2, p_trap_insn, ESR_PTR), "tw 31,0,0: Program, ESR[PTR] (esr 0x%x)", ev[2].esr);

    set_trap_handler(VEC_SYSCALL, record);
    reset();
    run_in_user(user_probes, NULL);
    static const struct {
        const char *name;
        const char *insn;
    } priv[] = {
        { "mfmsr", u_mfmsr_insn }, { "mtmsr", u_mtmsr_insn }, { "mfspr SRR0", u_mfsrr0_insn },
        { "mtspr SPRG0", u_mtsprg0_insn }, { "wrteei", u_wrteei_insn }, { "tlbwe", u_tlbwe_insn },
        { "rfi", u_rfi_insn },
    };
    for (unsigned k = 0; k < ARRAY_SIZE(priv); k++)
        report(program_at(k, priv[k].insn, ESR_PPR) && (ev[k].srr1 & MSR_PR),
               "%s in problem state: Program, ESR[PPR], SRR1[PR] (esr 0x%x srr1 0x%x)",
               priv[k].name, ev[k].esr, ev[k].srr1);
    unsigned k = ARRAY_SIZE(priv);
    report(event_is(k, VEC_SYSCALL, u_sc_insn + 4) &&
               (ev[k].srr1 & (MSR_PR | MSR_IS | MSR_DS)) == (MSR_PR | MSR_IS | MSR_DS),
           "sc in problem state (AS 1): IVOR8, SRR1 has PR, IS, DS (srr1 0x%x)", ev[k].srr1);
    report(!(mfmsr() & (MSR_PR | MSR_IS | MSR_DS)), "back in privileged state, AS 0");
    set_trap_handler(VEC_SYSCALL, NULL);
    set_trap_handler(VEC_PROGRAM, NULL);
}

/* ---- Floating-Point Unavailable ---- */

static void test_fp_unavail(void)
{
    static const uint64_t one = 0x3ff0000000000000ULL;
    set_trap_handler(VEC_FP_UNAVAIL, on_fp_unavail);
    reset();
    mtmsr(mfmsr() & ~MSR_FP);
    call(p_lfd, (uint32_t)&one, 0);
    uint32_t msr = mfmsr();
    mtmsr(msr & ~MSR_FP);
    report(nev == 1 && event_is(0, VEC_FP_UNAVAIL, p_lfd_insn) && !(ev[0].srr1 & MSR_FP),
           "lfd with MSR[FP] = 0: FP Unavailable (IVOR7) at the instruction (srr0 0x%x)",
           ev[0].srr0);
    report(msr & MSR_FP, "the handler's SRR1[FP] = 1 reached MSR through rfi");
    set_trap_handler(VEC_FP_UNAVAIL, NULL);
}

/* ---- Data Storage and Alignment ---- */

#define TEST_EA 0x20000000u
#define TEST_RA 0x02000000u /* inside the initial 1:1 mapping */

static void test_dsi(void)
{
    volatile uint32_t *alias = (volatile uint32_t *)TEST_RA;
    alias[0] = 0x11223344;
    alias[4] = 0x55667788;
    set_trap_handler(VEC_DSI, on_skip);
    set_trap_handler(VEC_DTLB, on_skip);

    /* Read-only: SR|SX, no SW. */
    tlb1_map(TLB1_FIRST_FREE, TEST_EA, TEST_RA, TSIZE_4K, 0, 0, MAS3_SR | MAS3_SX);
    reset();
    uint32_t v = call(p_load, TEST_EA, 0);
    report(nev == 0 && v == 0x11223344, "load through a read-only TLB1 entry: 0x%x", v);
    reset();
    call(p_store, TEST_EA + 16, 0xdeadbeef);
    report(event_is(0, VEC_DSI, p_store_insn) && ev[0].dear == TEST_EA + 16 && (ev[0].esr & ESR_ST),
           "store to a read-only page: DSI at the store, DEAR 0x%x, ESR[ST] (esr 0x%x)",
           ev[0].dear, ev[0].esr);
    report(alias[4] == 0x55667788, "the store did not happen");

    /* Write-only: SW, no SR. */
    tlb1_map(TLB1_FIRST_FREE, TEST_EA, TEST_RA, TSIZE_4K, 0, 0, MAS3_SW);
    reset();
    call(p_load, TEST_EA + 8, 0);
    report(event_is(0, VEC_DSI, p_load_insn) && ev[0].dear == TEST_EA + 8 && !(ev[0].esr & ESR_ST),
           "load from a page without SR: DSI, DEAR 0x%x, ESR[ST] = 0 (esr 0x%x)", ev[0].dear,
           ev[0].esr);
    reset();
    call(p_store, TEST_EA + 12, 0xcafef00d);
    report(nev == 0 && alias[3] == 0xcafef00d, "store through a write-only entry works");
    tlb1_unmap(TLB1_FIRST_FREE);

    /* Alignment: reservations need word alignment. */
    set_trap_handler(VEC_ALIGNMENT, on_skip);
    reset();
    call(p_lwarx, TEST_RA + 2, 0);
    call(p_stwcx, TEST_RA + 6, 1);
    report(event_is(0, VEC_ALIGNMENT, p_lwarx_insn) && ev[0].dear == TEST_RA + 2,
           "lwarx off a word boundary: Alignment (IVOR5), DEAR 0x%x", ev[0].dear);
    report(event_is(1, VEC_ALIGNMENT, p_stwcx_insn) && ev[1].dear == TEST_RA + 6 &&
               (ev[1].esr & ESR_ST),
           "stwcx. off a word boundary: Alignment, DEAR 0x%x, ESR[ST] (esr 0x%x)", ev[1].dear,
           ev[1].esr);
    set_trap_handler(VEC_ALIGNMENT, NULL);
    set_trap_handler(VEC_DSI, NULL);
    set_trap_handler(VEC_DTLB, NULL);
}

/* ---- Data and Instruction TLB Error ---- */

#define MISS_EA 0x30000010u
#define MISS_RA 0x02001000u
#define TEST_PID 0x2a
#define MAS4_TEST (MAS4_TLBSELD(0) | MAS4_TSIZED(TSIZE_4K) | MAS2_M | MAS2_G)

/* A software TLB reload: the miss loaded MAS0-2 and MAS6; supply the RPN and the
 * permissions and write the entry, then run the access again. */
static void on_dtlb_reload(struct trap_frame *f)
{
    record(f);
    mtspr(SPRN_MAS3, MISS_RA | MAS3_SR | MAS3_SW);
    mtspr(SPRN_MAS7, 0);
    __asm__ volatile("isync; tlbwe; isync" ::: "memory");
}

static void test_tlb_miss(void)
{
    volatile uint32_t *ra = (volatile uint32_t *)MISS_RA;
    ra[4] = 0x0badcafe;
    mtspr(SPRN_MAS4, MAS4_TEST);
    mtspr(SPRN_PID, TEST_PID);
    isync();
    set_trap_handler(VEC_DTLB, on_dtlb_reload);
    reset();
    uint32_t v = call(p_load, MISS_EA, 0);
    set_trap_handler(VEC_DTLB, on_skip);
    report(event_is(0, VEC_DTLB, p_load_insn) && ev[0].dear == MISS_EA && !(ev[0].esr & ESR_ST),
           "load miss: Data TLB Error (IVOR13) at the load, DEAR 0x%x, ESR[ST] = 0", ev[0].dear);
    uint32_t m0 = ev[0].mas0, m1 = ev[0].mas1, m2 = ev[0].mas2;
    report(MAS0_GET_TLBSEL(m0) == 0 && MAS0_GET_ESEL(m0) < 4,
           "miss MAS0: TLBSEL = MAS4[TLBSELD] = 0, ESEL a TLB0 way (0x%x)", m0);
    report((m0 & 3) == ((MAS0_GET_ESEL(m0) + 1) & 3),
           "miss MAS0[NV]: the way after the victim (0x%x)", m0);
    report((m1 & (MAS1_V | MAS1_IPROT | MAS1_TS)) == MAS1_V && MAS1_GET_TID(m1) == TEST_PID &&
               MAS1_GET_TSIZE(m1) == TSIZE_4K,
           "miss MAS1: V, TID = PID, TS = MSR[DS], TSIZE = MAS4[TSIZED] (0x%x)", m1);
    report(m2 == ((MISS_EA & MAS2_EPN) | MAS2_M | MAS2_G),
           "miss MAS2: EPN of DEAR, WIMGE = MAS4 defaults (0x%x)", m2);
    report((ev[0].mas3 & ~MAS3_U0_3) == 0 && ev[0].mas7 == 0,
           "miss MAS3 (but U0-U3) = MAS7 = 0 (0x%x 0x%x)", ev[0].mas3, ev[0].mas7);
    report(ev[0].mas6 == MAS6_SPID(TEST_PID), "miss MAS6: SPID = PID, SAS = 0 (0x%x)", ev[0].mas6);
    report(nev == 1 && v == 0x0badcafe, "the reloaded entry translates the retried load (0x%x)", v);

    reset();
    call(p_store, 0x30002008, 1);
    report(event_is(0, VEC_DTLB, p_store_insn) && ev[0].dear == 0x30002008 && (ev[0].esr & ESR_ST),
           "store miss: Data TLB Error, ESR[ST] (esr 0x%x)", ev[0].esr);

    /* Instruction TLB Error: branch to an unmapped page. */
    set_trap_handler(VEC_ITLB, on_fetch);
    reset();
    call((const char *)0x30100000u, 0, 0);
    report(nev == 1 && ev[0].vec == VEC_ITLB && ev[0].srr0 == 0x30100000u,
           "fetch miss: Instruction TLB Error (IVOR14), SRR0 = the target 0x%x", ev[0].srr0);
    report(ev[0].mas2 == (0x30100000u | MAS2_M | MAS2_G) && MAS1_GET_TID(ev[0].mas1) == TEST_PID,
           "fetch miss MAS1/MAS2: TID = PID, EPN of SRR0 (0x%x 0x%x)", ev[0].mas1, ev[0].mas2);

    mtspr(SPRN_PID, 0);
    tlbivax(MISS_EA & MAS2_EPN);
    isync();
    set_trap_handler(VEC_ITLB, NULL);
    set_trap_handler(VEC_DTLB, NULL);
}

/* ---- rfi / rfci / rfmci ---- */

static void test_returns(void)
{
    uint32_t msr = mfmsr(), tmp, after;
    __asm__ volatile("lis %0, 1f@ha; addi %0, %0, 1f@l; mtspr 26, %0; mtspr 27, %2; rfi\n"
                     "1: mfmsr %1"
                     : "=&r"(tmp), "=r"(after) : "r"(msr | MSR_CE) : "memory");
    report(after == (msr | MSR_CE), "rfi: PC from SRR0, MSR from SRR1 (0x%x)", after);
    __asm__ volatile("lis %0, 1f@ha; addi %0, %0, 1f@l; mtspr 58, %0; mtspr 59, %2; rfci\n"
                     "1: mfmsr %1"
                     : "=&r"(tmp), "=r"(after) : "r"(msr | MSR_DE) : "memory");
    report(after == (msr | MSR_DE), "rfci: PC from CSRR0, MSR from CSRR1 (0x%x)", after);
    __asm__ volatile("lis %0, 1f@ha; addi %0, %0, 1f@l; mtspr 570, %0; mtspr 571, %2; rfmci\n"
                     "1: mfmsr %1"
                     : "=&r"(tmp), "=r"(after) : "r"(msr) : "memory");
    report(after == msr, "rfmci: PC from MCSRR0, MSR from MCSRR1 (0x%x)", after);
    mtmsr(msr);
}

/* ---- Decrementer and Fixed-Interval Timer ---- */

#define SPIN_LIMIT 20000000u

static volatile unsigned dec_hits;
static volatile uint32_t dec_seen[4];

static void on_dec(struct trap_frame *f)
{
    if (dec_hits < 4)
        dec_seen[dec_hits] = mfspr(SPRN_DEC);
    dec_hits++;
    mtspr(SPRN_TSR, TSR_DIS);
    if (dec_hits >= 3)
        mtspr(SPRN_TCR, mfspr(SPRN_TCR) & ~(TCR_DIE | TCR_ARE));
}

static void test_decrementer(void)
{
    uint64_t t0 = mftb();
    for (volatile unsigned k = 0; k < 1000; k++)
        ;
    report(mftb() > t0, "the time base advances");

    /* Polled: DEC reaches 0, sets TSR[DIS], stays 0 without auto-reload. */
    mtspr(SPRN_TCR, 0);
    mtspr(SPRN_TSR, TSR_DIS | TSR_FIS);
    mtspr(SPRN_DEC, 500);
    unsigned n = 0;
    while (!(mfspr(SPRN_TSR) & TSR_DIS) && n < SPIN_LIMIT)
        n++;
    report(mfspr(SPRN_TSR) & TSR_DIS, "DEC 500 -> 0 sets TSR[DIS] (%u spins)", n);
    report(mfspr(SPRN_DEC) == 0, "without TCR[ARE] DEC stays 0");
    mtspr(SPRN_TSR, TSR_DIS);
    report(!(mfspr(SPRN_TSR) & TSR_DIS), "TSR[DIS] is write-1-to-clear");

    /* Interrupt, no reload. */
    set_trap_handler(VEC_DECREMENTER, on_dec);
    dec_hits = 0;
    mtspr(SPRN_DEC, 2000);
    mtspr(SPRN_TCR, TCR_DIE);
    __asm__ volatile("wrteei 1" ::: "memory");
    for (n = 0; dec_hits == 0 && n < SPIN_LIMIT; n++)
        ;
    __asm__ volatile("wrteei 0" ::: "memory");
    mtspr(SPRN_TCR, 0);
    report(dec_hits == 1, "TCR[DIE] + MSR[EE]: one Decrementer interrupt (IVOR10), %u",
           (unsigned)dec_hits);
    report(dec_seen[0] == 0, "DEC is 0 in the handler without auto-reload (%u)",
           (unsigned)dec_seen[0]);

    /* Auto-reload: DECAR refills DEC on every expiry. */
    dec_hits = 0;
    mtspr(SPRN_DECAR, 3000);
    mtspr(SPRN_DEC, 3000);
    mtspr(SPRN_TCR, TCR_DIE | TCR_ARE);
    __asm__ volatile("wrteei 1" ::: "memory");
    for (n = 0; dec_hits < 3 && n < SPIN_LIMIT; n++)
        ;
    __asm__ volatile("wrteei 0" ::: "memory");
    mtspr(SPRN_TCR, 0);
    mtspr(SPRN_DEC, 0);
    mtspr(SPRN_TSR, TSR_DIS);
    report(dec_hits >= 3, "TCR[ARE]: the decrementer fires again from DECAR (%u interrupts)",
           (unsigned)dec_hits);
    report(dec_seen[0] > 0 && dec_seen[0] <= 3000 && dec_seen[1] > 0 && dec_seen[1] <= 3000,
           "DEC was reloaded (in the handler: %u, %u)", (unsigned)dec_seen[0],
           (unsigned)dec_seen[1]);
    set_trap_handler(VEC_DECREMENTER, NULL);
}

static volatile unsigned fit_hits;

static void on_fit(struct trap_frame *f)
{
    fit_hits++;
    mtspr(SPRN_TSR, TSR_FIS);
    if (fit_hits >= 2)
        mtspr(SPRN_TCR, mfspr(SPRN_TCR) & ~TCR_FIE);
}

static void test_fit(void)
{
    /* FPEXT || FP = 53 selects time base bit 53: a 0 -> 1 transition every 2^11 ticks. */
    uint32_t period = TCR_FP(53 & 3) | TCR_FPEXT(53 >> 2);
    mtspr(SPRN_TCR, period);
    mtspr(SPRN_TSR, TSR_FIS);
    unsigned n = 0;
    while (!(mfspr(SPRN_TSR) & TSR_FIS) && n < SPIN_LIMIT)
        n++;
    report(mfspr(SPRN_TSR) & TSR_FIS, "FIT: TSR[FIS] set by the selected time base bit (%u spins)",
           n);
    set_trap_handler(VEC_FIT, on_fit);
    fit_hits = 0;
    mtspr(SPRN_TSR, TSR_FIS);
    mtspr(SPRN_TCR, period | TCR_FIE);
    __asm__ volatile("wrteei 1" ::: "memory");
    for (n = 0; fit_hits < 2 && n < SPIN_LIMIT; n++)
        ;
    __asm__ volatile("wrteei 0" ::: "memory");
    mtspr(SPRN_TCR, 0);
    mtspr(SPRN_TSR, TSR_FIS);
    report(fit_hits >= 2, "TCR[FIE]: Fixed-Interval Timer interrupts (IVOR11): %u",
           (unsigned)fit_hits);
    set_trap_handler(VEC_FIT, NULL);
}

int main(void)
{
    test_sc();
    test_program();
    test_fp_unavail();
    test_dsi();
    test_tlb_miss();
    test_returns();
    test_decrementer();
    test_fit();
    return 0;
}
