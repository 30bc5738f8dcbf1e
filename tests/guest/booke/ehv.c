/* tests/guest/booke/ehv.c: a tiny hypervisor on category E.HV of Power ISA 2.06 Book
 * III-E: it sets LPIDR, EPCR (2.2.4: EXTGS, DTLBGS, ITLBGS, DSIGS, ISIGS, DUVD), GIVPR and
 * the GIVORs (7.2.12-7.2.13), writes TLB entries for the guest with MAS8[TGS] and
 * MAS8[TLPID] (6.10.3.9), and enters guest state with rfi and SRR1[GS] = 1 (4.2.1). The
 * guest is this program's own code, run on its own stack and vectors. Checked: 7.6.10 a
 * guest `sc` reaches the guest's GIVOR8 with GSRR0/GSRR1; 7.6.20 `sc 1` reaches the
 * hypervisor's IVOR40 with SRR1[GS] = 1; 7.6.21 ehpriv, hypervisor-only SPRs (LPIDR,
 * EPCR, a GIVOR) and hypervisor-privileged instructions (tlbwe, msgclr: e500mc has no
 * LRAT) from the guest reach IVOR41 with SRR1[GS] = 1 and change nothing; 2.2 the
 * guest's SRR0/SRR1, SPRG0-3, ESR, DEAR and PIR are GSRR0/GSRR1, GSPRG0-3, GESR, GDEAR
 * and GPIR; 7.6.15-7.6.16 and 7.6.3 guest data and instruction TLB misses and data
 * storage interrupts go to GIVOR13/14/2 when EPCR[DTLBGS/ITLBGS/DSIGS] = 1 and to the
 * hypervisor's IVOR13/14/2 with SRR1[GS] = 1 when 0; 4.4.x rfi in guest state returns
 * through GSRR0/GSRR1; 4.2.1 the guest cannot clear MSR[GS] with rfi or mtmsr. */
#include "guest_booke.h"

#define LPID GUEST_LPID
#define GPIR_VALUE 0x11

/* ---- the recorder (both levels write it: the guest sees this RAM 1:1) ---- */

#define MAX_EVENTS 16
struct event {
    uint32_t vec, srr0, srr1, dear, esr, msr;
};
static volatile struct event ev[MAX_EVENTS];
static volatile unsigned nev;

static void record(struct trap_frame *f)
{
    if (nev < MAX_EVENTS)
        ev[nev] = (struct event){ f->vector, f->srr0, f->srr1, f->dear, f->esr, mfmsr() };
    nev++;
}

static void reset(void)
{
    nev = 0;
    memset((void *)ev, 0, sizeof(ev));
}

static void on_skip(struct trap_frame *f)
{
    record(f);
    f->srr0 += 4;
}

static void on_fetch(struct trap_frame *f)
{
    record(f);
    f->srr0 = f->lr;
}

static bool event_is(unsigned k, unsigned vec, const void *srr0, bool gs)
{
    return nev > k && ev[k].vec == vec && ev[k].srr0 == (uint32_t)srr0 &&
           !!(ev[k].srr1 & MSR_GS) == gs;
}

/* ---- probes ---- */

#define PROBE(name, body) \
    "    .globl " #name ", " #name "_insn\n" #name ":\n" #name "_insn:\n    " body "\n    blr\n"

extern char p_sc[], p_sc_insn[], p_hcall[], p_hcall_insn[], p_ehpriv[], p_ehpriv_insn[];
extern char p_mtlpidr[], p_mtlpidr_insn[], p_mtepcr[], p_mtepcr_insn[], p_mtgivor8[],
    p_mtgivor8_insn[], p_mflpidr[], p_mflpidr_insn[], p_tlbwe[], p_tlbwe_insn[], p_msgclr[],
    p_msgclr_insn[], p_load[], p_load_insn[], p_store[], p_store_insn[];

__asm__(".text\n"
        PROBE(p_sc, "sc")
        "    .globl p_hcall, p_hcall_insn\np_hcall:\n    li 0, 0\np_hcall_insn:\n    sc 1\n    blr\n"
        PROBE(p_ehpriv, "ehpriv")
        PROBE(p_mtlpidr, "mtspr 338, 3")
        PROBE(p_mtepcr, "mtspr 307, 3")
        PROBE(p_mtgivor8, "mtspr 443, 3")
        PROBE(p_mflpidr, "mfspr 3, 338")
        PROBE(p_tlbwe, "tlbwe")
        PROBE(p_msgclr, "msgclr 3")
        PROBE(p_load, "lwz 3, 0(3)")
        PROBE(p_store, "stw 4, 0(3)"));

typedef uint32_t (*probe_fn)(uint32_t, uint32_t);

static uint32_t call(const void *fn, uint32_t a, uint32_t b)
{
    return ((probe_fn)(uintptr_t)fn)(a, b);
}

/* ---- the hypervisor's setup ---- */

#define EPCR_ALL (EPCR_EXTGS | EPCR_DTLBGS | EPCR_ITLBGS | EPCR_DSIGS | EPCR_ISIGS | EPCR_DUVD)

static void test_setup(void)
{
    mtspr(SPRN_LPIDR, LPID);
    mtspr(SPRN_EPCR, EPCR_ALL);
    mtspr(SPRN_GPIR, GPIR_VALUE);
    isync();
    report(mfspr(SPRN_LPIDR) == LPID, "LPIDR = %u", mfspr(SPRN_LPIDR));
    report(mfspr(SPRN_EPCR) == EPCR_ALL, "EPCR = EXTGS|DTLBGS|ITLBGS|DSIGS|ISIGS|DUVD (0x%x)",
           mfspr(SPRN_EPCR));
    ehv_guest_vectors_init();
    report(mfspr(SPRN_GIVPR) == 0 && mfspr(SPRN_GIVOR8) == GUEST_VEC_BASE + 8 * VEC_STRIDE &&
               mfspr(SPRN_GIVOR13) == GUEST_VEC_BASE + 13 * VEC_STRIDE,
           "GIVPR and GIVORs read back (GIVOR8 0x%x)", mfspr(SPRN_GIVOR8));
    ehv_guest_map(LPID);
    struct tlb_entry e;
    tlb_read(1, TLB1_GUEST_RAM, 0, &e);
    report(e.mas8 == (MAS8_TGS | MAS8_TLPID(LPID)) && (e.mas1 & MAS1_V),
           "tlbre of a guest entry returns MAS8 = TGS | TLPID %u (0x%x)", LPID, e.mas8);
    bool hit = tlb_search_mas5(0x1000, MAS5_SGS | LPID, 0, &e);
    report(hit && MAS0_GET_ESEL(e.mas0) == TLB1_GUEST_RAM && MAS0_GET_TLBSEL(e.mas0) == 1,
           "tlbsx with MAS5 = SGS | SLPID %u finds the guest's entry (MAS0 0x%x)", LPID, e.mas0);
    hit = tlb_search_mas5(0x1000, 0, 0, &e);
    report(hit && MAS0_GET_ESEL(e.mas0) == TLB1_RAM, "tlbsx with MAS5 = 0 finds the "
           "hypervisor's own entry (MAS0 0x%x)", e.mas0);
}

/* ---- guest state, sc and sc 1 ---- */

static volatile uint32_t guest_msr;

static void g_hello(void *arg)
{
    guest_msr = mfmsr();
    report(guest_msr & MSR_GS, "in the guest: MSR[GS] = 1 (MSR 0x%x), printing through the "
           "guest's own TLB entry", guest_msr);
}

static void g_sc(void *arg)
{
    call(p_sc, 0, 0);
    call(p_hcall, 0, 0);
}

static void test_calls(void)
{
    run_in_guest(g_hello, NULL, 0);
    report(!(mfmsr() & MSR_GS) && (guest_msr & MSR_GS), "back in the hypervisor (GS = 0)");

    set_trap_handler(GUEST_VEC(VEC_SYSCALL), record);
    set_trap_handler(VEC_HCALL, record);
    reset();
    unsigned hyp_sc = trap_count(VEC_SYSCALL);
    run_in_guest(g_sc, NULL, 0);
    report(event_is(0, GUEST_VEC(VEC_SYSCALL), p_sc_insn + 4, true) &&
               (ev[0].msr & MSR_GS) && trap_count(VEC_SYSCALL) == hyp_sc,
           "guest sc: the guest's GIVOR8, GSRR0 = next (0x%x), GSRR1[GS], handler in GS",
           ev[0].srr0);
    report(event_is(1, VEC_HCALL, p_hcall_insn + 4, true) && !(ev[1].msr & MSR_GS),
           "guest sc 1: the hypervisor's IVOR40, SRR0 = next (0x%x), SRR1[GS] = 1",
           ev[1].srr0);
    set_trap_handler(GUEST_VEC(VEC_SYSCALL), NULL);
    set_trap_handler(VEC_HCALL, NULL);
}

/* ---- hypervisor privilege ---- */

static void g_priv(void *arg)
{
    call(p_ehpriv, 0, 0);
    call(p_mtlpidr, 9, 0);
    call(p_mtepcr, 0, 0);
    call(p_mtgivor8, 0x40, 0);
    call(p_mflpidr, 0, 0);
    call(p_tlbwe, 0, 0);
    call(p_msgclr, 0, 0);
}

static void test_hpriv(void)
{
    set_trap_handler(VEC_HPRIV, on_skip);
    reset();
    run_in_guest(g_priv, NULL, 0);
    static const struct {
        const char *name;
        const char *insn;
    } probes[] = {
        { "ehpriv", p_ehpriv_insn }, { "mtspr LPIDR", p_mtlpidr_insn },
        { "mtspr EPCR", p_mtepcr_insn }, { "mtspr GIVOR8", p_mtgivor8_insn },
        { "mfspr LPIDR", p_mflpidr_insn }, { "tlbwe", p_tlbwe_insn }, { "msgclr", p_msgclr_insn },
    };
    for (unsigned k = 0; k < ARRAY_SIZE(probes); k++)
        report(event_is(k, VEC_HPRIV, probes[k].insn, true),
               "guest %s: Hypervisor Privilege (IVOR41), SRR0 at it, SRR1[GS] (srr0 0x%x srr1 "
               "0x%x vec %u)", probes[k].name, ev[k].srr0, ev[k].srr1, ev[k].vec);
    report(nev == ARRAY_SIZE(probes), "nothing else was taken (%u events)", nev);
    report(mfspr(SPRN_LPIDR) == LPID && mfspr(SPRN_EPCR) == EPCR_ALL &&
               mfspr(SPRN_GIVOR8) == GUEST_VEC_BASE + 8 * VEC_STRIDE,
           "LPIDR, EPCR and GIVOR8 are unchanged");
    set_trap_handler(VEC_HPRIV, NULL);
}

/* ---- SPR aliasing ---- */

static volatile uint32_t g_read[10];

static void g_alias(void *arg)
{
    mtspr(SPRN_SRR0, 0x1110);
    mtspr(SPRN_SRR1, 0x2220);
    mtspr(SPRN_SPRG0, 0x3330);
    mtspr(SPRN_SPRG1, 0x4440);
    mtspr(SPRN_SPRG3, 0x6660);
    mtspr(SPRN_ESR, ESR_ST);
    mtspr(SPRN_DEAR, 0x7770);
    g_read[0] = mfspr(SPRN_SRR0);
    g_read[1] = mfspr(SPRN_SRR1);
    g_read[2] = mfspr(SPRN_SPRG0);
    g_read[3] = mfspr(SPRN_SPRG1);
    g_read[4] = mfspr(SPRN_SPRG3);
    g_read[5] = mfspr(SPRN_ESR);
    g_read[6] = mfspr(SPRN_DEAR);
    g_read[7] = mfspr(SPRN_PIR);
    /* Last: SPRG2 is the guest's interrupt stack pointer (run_in_guest sets it again). */
    mtspr(SPRN_SPRG2, 0x5550);
    g_read[8] = mfspr(SPRN_SPRG2);
}

static void test_alias(void)
{
    mtspr(SPRN_SPRG0, 0xabc0);
    uint32_t hyp_sprg2 = mfspr(SPRN_SPRG2);
    run_in_guest(g_alias, NULL, 0);
    report(g_read[0] == 0x1110 && g_read[1] == 0x2220 && g_read[2] == 0x3330 &&
               g_read[3] == 0x4440 && g_read[4] == 0x6660 && g_read[5] == ESR_ST &&
               g_read[6] == 0x7770 && g_read[8] == 0x5550,
           "the guest reads back what it wrote to SRR0/1, SPRG0-3, ESR, DEAR");
    report(g_read[7] == GPIR_VALUE, "the guest's PIR is GPIR (%u)", g_read[7]);
    report(mfspr(SPRN_GSRR0) == 0x1110 && mfspr(SPRN_GSRR1) == 0x2220,
           "guest SRR0/SRR1 landed in GSRR0/GSRR1 (0x%x 0x%x)", mfspr(SPRN_GSRR0),
           mfspr(SPRN_GSRR1));
    report(mfspr(SPRN_GSPRG0) == 0x3330 && mfspr(SPRN_GSPRG1) == 0x4440 &&
               mfspr(SPRN_GSPRG2) == 0x5550 && mfspr(SPRN_GSPRG3) == 0x6660,
           "guest SPRG0-3 landed in GSPRG0-3");
    report(mfspr(SPRN_GESR) == ESR_ST && mfspr(SPRN_GDEAR) == 0x7770,
           "guest ESR/DEAR landed in GESR/GDEAR (0x%x 0x%x)", mfspr(SPRN_GESR),
           mfspr(SPRN_GDEAR));
    report(mfspr(SPRN_SPRG0) == 0xabc0 && mfspr(SPRN_SPRG2) == hyp_sprg2 &&
               mfspr(SPRN_SPRG3) == guest_cpu_index(),
           "the hypervisor's SPRG0/2/3 are untouched");
}

/* ---- storage interrupts: guest or hypervisor per EPCR ---- */

#define MISS_EA 0x30000000u
#define FETCH_EA 0x30100000u
#define RO_EA 0x20000000u
#define RO_RA 0x02000000u

static void g_dmiss(void *arg)
{
    call(p_load, MISS_EA + 8, 0);
}

static void g_imiss(void *arg)
{
    call((const void *)FETCH_EA, 0, 0);
}

static void g_dsi(void *arg)
{
    call(p_store, RO_EA + 4, 1);
}

static void test_storage(void)
{
    set_trap_handler(GUEST_VEC(VEC_DTLB), on_skip);
    set_trap_handler(GUEST_VEC(VEC_ITLB), on_fetch);
    set_trap_handler(GUEST_VEC(VEC_DSI), on_skip);
    set_trap_handler(VEC_DTLB, on_skip);
    set_trap_handler(VEC_ITLB, on_fetch);
    set_trap_handler(VEC_DSI, on_skip);
    tlb1_map_guest(TLB1_FIRST_FREE, RO_EA, RO_RA, TSIZE_4K, 0, 0, MAS3_SR,
                   MAS8_TGS | MAS8_TLPID(LPID));

    reset();
    run_in_guest(g_dmiss, NULL, 0);
    report(event_is(0, GUEST_VEC(VEC_DTLB), p_load_insn, true) && ev[0].dear == MISS_EA + 8 &&
               nev == 1,
           "EPCR[DTLBGS] = 1: guest data miss at GIVOR13, GDEAR 0x%x", ev[0].dear);
    reset();
    run_in_guest(g_imiss, NULL, 0);
    report(event_is(0, GUEST_VEC(VEC_ITLB), (const void *)FETCH_EA, true) && nev == 1,
           "EPCR[ITLBGS] = 1: guest fetch miss at GIVOR14, GSRR0 0x%x", ev[0].srr0);
    reset();
    run_in_guest(g_dsi, NULL, 0);
    report(event_is(0, GUEST_VEC(VEC_DSI), p_store_insn, true) && ev[0].dear == RO_EA + 4 &&
               (ev[0].esr & ESR_ST) && nev == 1,
           "EPCR[DSIGS] = 1: guest store to a read-only page at GIVOR2, GDEAR 0x%x GESR 0x%x",
           ev[0].dear, ev[0].esr);

    mtspr(SPRN_EPCR, EPCR_ALL & ~(EPCR_DTLBGS | EPCR_ITLBGS | EPCR_DSIGS));
    isync();
    reset();
    run_in_guest(g_dmiss, NULL, 0);
    report(event_is(0, VEC_DTLB, p_load_insn, true) && ev[0].dear == MISS_EA + 8 && nev == 1,
           "EPCR[DTLBGS] = 0: guest data miss at the hypervisor's IVOR13, SRR1[GS], DEAR 0x%x",
           ev[0].dear);
    reset();
    run_in_guest(g_imiss, NULL, 0);
    report(event_is(0, VEC_ITLB, (const void *)FETCH_EA, true) && nev == 1,
           "EPCR[ITLBGS] = 0: guest fetch miss at the hypervisor's IVOR14, SRR1[GS]");
    reset();
    run_in_guest(g_dsi, NULL, 0);
    report(event_is(0, VEC_DSI, p_store_insn, true) && ev[0].dear == RO_EA + 4 &&
               (ev[0].esr & ESR_ST) && nev == 1,
           "EPCR[DSIGS] = 0: guest DSI at the hypervisor's IVOR2, SRR1[GS], DEAR, ESR[ST]");
    mtspr(SPRN_EPCR, EPCR_ALL);
    isync();

    tlb1_unmap(TLB1_FIRST_FREE);
    set_trap_handler(GUEST_VEC(VEC_DTLB), NULL);
    set_trap_handler(GUEST_VEC(VEC_ITLB), NULL);
    set_trap_handler(GUEST_VEC(VEC_DSI), NULL);
    set_trap_handler(VEC_DTLB, NULL);
    set_trap_handler(VEC_ITLB, NULL);
    set_trap_handler(VEC_DSI, NULL);
}

/* ---- rfi in guest state, MSR[GS] stays ---- */

static volatile uint32_t rfi_msr, mtmsr_msr, clear_rfi_msr;

static void g_rfi(void *arg)
{
    uint32_t msr = mfmsr(), tmp, after;
    __asm__ volatile("lis %0, 1f@ha; addi %0, %0, 1f@l\n"
                     "mtspr 26, %0; mtspr 27, %2; rfi\n"
                     "1: mfmsr %1"
                     : "=&r"(tmp), "=r"(after)
                     : "r"(msr | MSR_CE)
                     : "memory");
    rfi_msr = after;
    mtmsr(msr);
    mtmsr(msr & ~MSR_GS);
    mtmsr_msr = mfmsr();
    __asm__ volatile("lis %0, 1f@ha; addi %0, %0, 1f@l\n"
                     "mtspr 26, %0; mtspr 27, %2; rfi\n"
                     "1: mfmsr %1"
                     : "=&r"(tmp), "=r"(after)
                     : "r"(msr & ~MSR_GS)
                     : "memory");
    clear_rfi_msr = after;
}

static void test_rfi(void)
{
    run_in_guest(g_rfi, NULL, 0);
    report(rfi_msr == (MSR_GS | MSR_ME | MSR_CE),
           "guest rfi: MSR from GSRR1 (0x%x), PC from GSRR0", rfi_msr);
    report(mtmsr_msr & MSR_GS, "guest mtmsr cannot clear MSR[GS] (MSR 0x%x)", mtmsr_msr);
    report(clear_rfi_msr & MSR_GS, "guest rfi cannot clear MSR[GS] (MSR 0x%x)", clear_rfi_msr);
}

int main(void)
{
    test_setup();
    test_calls();
    test_hpriv();
    test_alias();
    test_storage();
    test_rfi();
    mtspr(SPRN_EPCR, 0);
    mtspr(SPRN_LPIDR, 0);
    return 0;
}
