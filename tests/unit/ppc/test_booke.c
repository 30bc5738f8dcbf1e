/* tests/unit/ppc/test_booke.c: the interrupt router, asynchronous interrupt enabling and
 * the guest-state SPR aliases of the e500mc model (Power ISA v2.06B Book III-E with
 * category E.HV: chapter 7 "Interrupts and Exceptions" (7.2 "Interrupt Registers", 7.4
 * "Interrupt Classes", 7.5 "Interrupt Processing", 7.6 "Interrupt Definitions", 7.9
 * "Interrupt Priorities"), chapter 8 "Timer Facilities" and 4.4.4 "Move To/From System
 * Register Instructions" with its guest-state mapping of SPRs). The expectations are
 * written down here as tables taken from that text, not from the code under test:
 *   (a) every interrupt kind the router delivers, taken from hypervisor state and from
 *       guest state, with the EPCR bit that may direct it to the guest set and clear, with
 *       all and with none of the MSR enable bits, and with MSRP protecting nothing and
 *       everything: which save/restore pair holds the old PC and MSR, ESR or GESR, DEAR
 *       or GDEAR, the vector (IVPR|IVORn or GIVPR|GIVORn), the new MSR; then CM and the
 *       64-bit vector from EPCR[ICM]/[GICM], and EPR or GEPR from the external proxy;
 *   (b) which pending asynchronous interrupt booke_take_async takes for each combination
 *       of MSR[GS], MSR[EE]/[CE]/[ME], EPCR[EXTGS] and the TSR/TCR bits, the priorities
 *       among simultaneous sources, and the decrementer counting down on the virtual clock;
 *   (c) mfspr/mtspr in guest state reaching the guest copies (SRR0 -> GSRR0, ...), in
 *       hypervisor state the real ones, hypervisor SPRs raising the embedded hypervisor
 *       privilege interrupt from guest supervisor state, privileged SPRs the privileged
 *       Program interrupt from problem state, undefined numbers the illegal one;
 *   (d) the same paths through decoded instructions (mtspr, mfspr, sc, ehpriv, rfi, rfgi)
 *       assembled by GNU as 2.40 (powerpc-linux-gnu-as -me500mc) and recorded below. */
#include <stdlib.h>

#include "cpu/ppc/booke/booke.h"
#include "cpu/ppc/ppc_core.h"
#include "cpu/ppc/ppc_decode.h"
#include "cpu/ppc/ppc_spr.h"
#include "tests/unit/unit.h"
#include "tests/unit/ppc/asm_words.h"
#include "tests/unit/ppc/ppc_rig.h"

static const AsmWord gas_words[] = {
    { "mtspr 26,3", 0x7c7a03a6 },
    { "mfspr 3,26", 0x7c7a02a6 },
    { "mtspr 63,3", 0x7c7f0ba6 },
    { "mfspr 3,63", 0x7c7f0aa6 },
    { "mfspr 3,259", 0x7c6342a6 },
    { "mfspr 3,286", 0x7c7e42a6 },
    { "mtspr 62,3", 0x7c7e0ba6 },
    { "mtspr 378,3", 0x7c7a5ba6 },
    { "sc", 0x44000002 },
    { "sc 1", 0x44000022 },
    { "ehpriv", 0x7c00021c },
    { "rfi", 0x4c000064 },
    { "rfgi", 0x4c0000cc },
};

/* MSRP (E.HV, "Machine State Register Protect Register"): the guest may not change
 * the MSR bit, and interrupts directed to the guest leave it as it was. */
#define MSRP_UCLEP 0x04000000u
#define MSRP_DEP 0x00000200u
#define MSRP_PMMP 0x00000004u

/* Every MSR bit an e500mc thread implements except GS (which the tests set apart). */
#define MSR_ALL (MSR_CM | MSR_UCLE | MSR_SPV | MSR_WE | MSR_CE | MSR_EE | MSR_PR | MSR_FP | \
                 MSR_ME | MSR_FE0 | MSR_DE | MSR_FE1 | MSR_IS | MSR_DS | MSR_PMM)
#define EPCR_ALL_GS (EPCR_EXTGS | EPCR_DTLBGS | EPCR_ITLBGS | EPCR_DSIGS | EPCR_ISIGS)

/* The vectors: IVPR/GIVPR bits 0:47, IVORn/GIVORn bits 48:59, all different. */
#define IVPR_VAL 0x12340000ULL
#define GIVPR_VAL 0x56780000ULL
#define IVOR_VAL(n) (0x100u + 0x20u * (n))
#define GIVOR_VAL(n) (0x900u + 0x20u * (n))
#define HV_VEC(n) (IVPR_VAL | IVOR_VAL(n))
#define GS_VEC(n) (GIVPR_VAL | GIVOR_VAL(n))

#define FAULT_PC 0x4000ULL /* the interrupted instruction */
#define NEXT_PC 0x4004ULL  /* the one after it (sc) */
#define FAULT_EA 0x7654321cULL

typedef struct Rig {
    Bus bus;
    VClock clock;
    uint8_t *ram;
    PpcCore core;
    PpcCpu cpu;
    PpcCpu *cpus[1];
} Rig;

/* One e500mc thread on a core with the time base at 512 MHz, after reset. */
static Rig *rig_new(void)
{
    Rig *r = calloc(1, sizeof(*r));
    r->ram = calloc(1, RAM_SIZE);
    r->bus.clock = &r->clock;
    bus_map_ram(&r->bus, "ram", 0, RAM_SIZE, r->ram);
    r->cpus[0] = &r->cpu;
    ppc_core_init(&r->core, &r->bus, &r->clock, 1, r->cpus);
    ppc_cpu_init(&r->cpu, &r->core, ppc_model_find("e500mc"), 0);
    return r;
}

static void rig_free(Rig *r)
{
    ppc_core_destroy(&r->core);
    free(r->ram);
    free(r);
}

/* A check that names the case it belongs to when it fails. */
static void expect(const char *ctx, const char *what, uint64_t got, uint64_t want)
{
    if (got == want) {
        unit_pass();
        return;
    }
    unit_fail();
    fprintf(stderr, "%s: %s = 0x%" PRIx64 ", expected 0x%" PRIx64 "\n", ctx, what, got, want);
}

static void vectors_init(PpcCpu *c)
{
    c->ivpr = IVPR_VAL;
    c->givpr = GIVPR_VAL;
    for (unsigned n = 0; n < 64; n++)
        c->ivor[n] = IVOR_VAL(n);
    for (unsigned n = 0; n < 16; n++)
        c->givor[n] = GIVOR_VAL(n);
}

/* --- The registers an interrupt may write --- */

enum {
    R_SRR0, R_SRR1, R_CSRR0, R_CSRR1, R_MCSRR0, R_MCSRR1, R_DSRR0, R_DSRR1, R_GSRR0, R_GSRR1,
    R_ESR, R_GESR, R_DEAR, R_GDEAR, R_COUNT
};
static const char *const reg_name[R_COUNT] = {
    "SRR0", "SRR1", "CSRR0", "CSRR1", "MCSRR0", "MCSRR1", "DSRR0", "DSRR1", "GSRR0", "GSRR1",
    "ESR", "GESR", "DEAR", "GDEAR",
};

/* Save/restore pairs, in the order of the R_* pairs above. */
enum { PAIR_SRR, PAIR_CSRR, PAIR_MCSRR, PAIR_DSRR, PAIR_GSRR };

static void regs_get(const PpcCpu *c, uint64_t v[R_COUNT])
{
    v[R_SRR0] = c->srr0, v[R_SRR1] = c->srr1;
    v[R_CSRR0] = c->csrr0, v[R_CSRR1] = c->csrr1;
    v[R_MCSRR0] = c->mcsrr0, v[R_MCSRR1] = c->mcsrr1;
    v[R_DSRR0] = c->dsrr0, v[R_DSRR1] = c->dsrr1;
    v[R_GSRR0] = c->gsrr0, v[R_GSRR1] = c->gsrr1;
    v[R_ESR] = c->esr, v[R_GESR] = c->gesr;
    v[R_DEAR] = c->dear, v[R_GDEAR] = c->gdear;
}

/* A different recognisable value in each of them. */
static void regs_fill(PpcCpu *c)
{
    uint64_t v[R_COUNT];
    for (unsigned k = 0; k < R_COUNT; k++)
        v[k] = 0x0bad0000u | (k << 8);
    c->srr0 = v[R_SRR0], c->srr1 = v[R_SRR1];
    c->csrr0 = v[R_CSRR0], c->csrr1 = v[R_CSRR1];
    c->mcsrr0 = v[R_MCSRR0], c->mcsrr1 = v[R_MCSRR1];
    c->dsrr0 = v[R_DSRR0], c->dsrr1 = v[R_DSRR1];
    c->gsrr0 = v[R_GSRR0], c->gsrr1 = v[R_GSRR1];
    c->esr = (uint32_t)v[R_ESR], c->gesr = (uint32_t)v[R_GESR];
    c->dear = v[R_DEAR], c->gdear = v[R_GDEAR];
}

static void regs_expect(const char *ctx, const uint64_t got[R_COUNT],
                        const uint64_t want[R_COUNT], const bool skip[R_COUNT])
{
    for (unsigned k = 0; k < R_COUNT; k++)
        if (!skip || !skip[k])
            expect(ctx, reg_name[k], got[k], want[k]);
}

/* --- (a) the routing table --- */

/* The MSR bits each interrupt class leaves as they were (7.6, figure "MSR setting due to
 * interrupt"): base CE ME DE; critical ME; machine check none; debug (Embedded.Enhanced
 * Debug, DSRR0/1) CE ME. Everything else becomes 0, except GS for an interrupt directed
 * to the guest and the bits MSRP protects for it; CM comes from EPCR[ICM] (guest:
 * EPCR[GICM]). */
#define KEEP_BASE (MSR_CE | MSR_ME | MSR_DE)
#define KEEP_CRIT MSR_ME
#define KEEP_MCHK 0
#define KEEP_DEBUG (MSR_CE | MSR_ME)

enum { SYN_NONE, SYN_SET, SYN_ANY };

typedef struct Route {
    const char *name;
    PpcException exc;   /* what the semantic function, translation or timer raises */
    unsigned ivor;      /* IVORn (and, directed to the guest, GIVORn) */
    unsigned pair;      /* the save/restore pair when directed to the hypervisor */
    uint64_t keep;      /* MSR bits the class keeps */
    uint32_t epcr;      /* the EPCR bit(s) the row is tried with set and clear */
    bool epcr_routes;   /* from guest state, that bit directs it to the guest */
    bool guest_always;  /* from guest state it always goes to the guest */
    unsigned esr;       /* SYN_*: whether ESR (GESR) gets esr_val */
    uint32_t esr_val;
    bool dear;          /* DEAR (GDEAR) gets exc.dar */
} Route;

/* 7.6 with E.HV: from guest state, System Call (sc 0) goes to the guest, and Data Storage,
 * Instruction Storage, External Input, Data TLB Error and Instruction TLB Error when
 * EPCR[DSIGS]/[ISIGS]/[EXTGS]/[DTLBGS]/[ITLBGS] say so (a Data Storage interrupt caused
 * by a virtualization fault always goes to the hypervisor); those six are exactly the
 * interrupts with a GIVORn (2, 3, 4, 8, 13, 14). Everything else, and everything taken in
 * hypervisor state, goes to the hypervisor: `sc 1` as the Embedded Hypervisor System Call
 * (IVOR40), the guest doorbell through GSRR0/GSRR1 (IVOR38), the guest doorbell critical
 * through CSRR0/CSRR1 (IVOR39). Rows whose routing no EPCR bit changes are tried with
 * all five GS bits set. ESR is written by Data Storage (ST here), Instruction Storage,
 * Alignment (ST for a store), Program (PIL/PPR/PTR/FP) and Data TLB Error (ST); DEAR by
 * Data Storage, Alignment and Data TLB Error. Which ESR bits Instruction TLB Error and
 * the embedded hypervisor privilege interrupt set on e500mc (VLE's MIF, EPID, or none) is
 * left unchecked (SYN_ANY); only that the other copy stays untouched is. */
static const Route routes[] = {
    { "critical input", { .kind = PPC_EXC_CRITICAL }, BOOKE_IVOR_CRITICAL, PAIR_CSRR,
      KEEP_CRIT, EPCR_ALL_GS, false, false, SYN_NONE, 0, false },
    { "machine check", { .kind = PPC_EXC_MACHINE_CHECK }, BOOKE_IVOR_MACHINE_CHECK,
      PAIR_MCSRR, KEEP_MCHK, EPCR_ALL_GS, false, false, SYN_NONE, 0, false },
    { "data storage", { .kind = PPC_EXC_DSI, .srr1_bits = ESR_ST, .dar = FAULT_EA },
      BOOKE_IVOR_DSI, PAIR_SRR, KEEP_BASE, EPCR_DSIGS, true, false, SYN_SET, ESR_ST, true },
    { "data storage (virtualization fault)",
      { .kind = PPC_EXC_DSI, .srr1_bits = ESR_ST, .dar = FAULT_EA, .vf = true },
      BOOKE_IVOR_DSI, PAIR_SRR, KEEP_BASE, EPCR_DSIGS, false, false, SYN_SET, ESR_ST, true },
    { "instruction storage", { .kind = PPC_EXC_ISI }, BOOKE_IVOR_ISI, PAIR_SRR, KEEP_BASE,
      EPCR_ISIGS, true, false, SYN_SET, 0, false },
    { "external input", { .kind = PPC_EXC_EXTERNAL }, BOOKE_IVOR_EXTERNAL, PAIR_SRR,
      KEEP_BASE, EPCR_EXTGS, true, false, SYN_NONE, 0, false },
    { "alignment (store)", { .kind = PPC_EXC_ALIGNMENT, .dar = FAULT_EA, .store = true },
      BOOKE_IVOR_ALIGNMENT, PAIR_SRR, KEEP_BASE, EPCR_ALL_GS, false, false, SYN_SET, ESR_ST,
      true },
    { "alignment (load)", { .kind = PPC_EXC_ALIGNMENT, .dar = FAULT_EA },
      BOOKE_IVOR_ALIGNMENT, PAIR_SRR, KEEP_BASE, EPCR_ALL_GS, false, false, SYN_SET, 0,
      true },
    { "program (illegal)", { .kind = PPC_EXC_PROGRAM, .srr1_bits = SRR1_PROGRAM_ILLEGAL },
      BOOKE_IVOR_PROGRAM, PAIR_SRR, KEEP_BASE, EPCR_ALL_GS, false, false, SYN_SET, ESR_PIL,
      false },
    { "program (privileged)", { .kind = PPC_EXC_PROGRAM, .srr1_bits = SRR1_PROGRAM_PRIV },
      BOOKE_IVOR_PROGRAM, PAIR_SRR, KEEP_BASE, EPCR_ALL_GS, false, false, SYN_SET, ESR_PPR,
      false },
    { "program (trap)", { .kind = PPC_EXC_PROGRAM, .srr1_bits = SRR1_PROGRAM_TRAP },
      BOOKE_IVOR_PROGRAM, PAIR_SRR, KEEP_BASE, EPCR_ALL_GS, false, false, SYN_SET, ESR_PTR,
      false },
    { "program (fp enabled)", { .kind = PPC_EXC_PROGRAM, .srr1_bits = SRR1_PROGRAM_FP },
      BOOKE_IVOR_PROGRAM, PAIR_SRR, KEEP_BASE, EPCR_ALL_GS, false, false, SYN_SET, ESR_FP,
      false },
    { "fp unavailable", { .kind = PPC_EXC_FP_UNAVAIL }, BOOKE_IVOR_FP_UNAVAIL, PAIR_SRR,
      KEEP_BASE, EPCR_ALL_GS, false, false, SYN_NONE, 0, false },
    { "system call (sc 0)",
      { .kind = PPC_EXC_SYSCALL, .srr1_bits = 0, .nip = NEXT_PC, .nip_set = true },
      BOOKE_IVOR_SYSCALL, PAIR_SRR, KEEP_BASE, EPCR_ALL_GS, false, true, SYN_NONE, 0, false },
    { "hypervisor system call (sc 1)",
      { .kind = PPC_EXC_SYSCALL, .srr1_bits = 1, .nip = NEXT_PC, .nip_set = true },
      BOOKE_IVOR_HYPERCALL, PAIR_SRR, KEEP_BASE, EPCR_ALL_GS, false, false, SYN_NONE, 0,
      false },
    { "decrementer", { .kind = PPC_EXC_DECREMENTER }, BOOKE_IVOR_DECREMENTER, PAIR_SRR,
      KEEP_BASE, EPCR_ALL_GS, false, false, SYN_NONE, 0, false },
    { "fixed-interval timer", { .kind = PPC_EXC_FIT }, BOOKE_IVOR_FIT, PAIR_SRR, KEEP_BASE,
      EPCR_ALL_GS, false, false, SYN_NONE, 0, false },
    { "watchdog", { .kind = PPC_EXC_WATCHDOG }, BOOKE_IVOR_WATCHDOG, PAIR_CSRR, KEEP_CRIT,
      EPCR_ALL_GS, false, false, SYN_NONE, 0, false },
    { "data TLB error", { .kind = PPC_EXC_DATA_TLB, .srr1_bits = ESR_ST, .dar = FAULT_EA },
      BOOKE_IVOR_DTLB, PAIR_SRR, KEEP_BASE, EPCR_DTLBGS, true, false, SYN_SET, ESR_ST, true },
    { "instruction TLB error", { .kind = PPC_EXC_INSN_TLB }, BOOKE_IVOR_ITLB, PAIR_SRR,
      KEEP_BASE, EPCR_ITLBGS, true, false, SYN_ANY, 0, false },
    { "debug", { .kind = PPC_EXC_DEBUG }, BOOKE_IVOR_DEBUG, PAIR_DSRR, KEEP_DEBUG,
      EPCR_ALL_GS, false, false, SYN_NONE, 0, false },
    { "doorbell", { .kind = PPC_EXC_DOORBELL }, BOOKE_IVOR_DOORBELL, PAIR_SRR, KEEP_BASE,
      EPCR_ALL_GS, false, false, SYN_NONE, 0, false },
    { "doorbell critical", { .kind = PPC_EXC_DOORBELL_CRIT }, BOOKE_IVOR_DOORBELL_CRIT,
      PAIR_CSRR, KEEP_CRIT, EPCR_ALL_GS, false, false, SYN_NONE, 0, false },
    { "guest doorbell", { .kind = PPC_EXC_GUEST_DOORBELL }, BOOKE_IVOR_GUEST_DOORBELL,
      PAIR_GSRR, KEEP_BASE, EPCR_ALL_GS, false, false, SYN_NONE, 0, false },
    { "guest doorbell critical", { .kind = PPC_EXC_GUEST_DOORBELL_CRIT },
      BOOKE_IVOR_GUEST_DOORBELL_CRIT, PAIR_CSRR, KEEP_CRIT, EPCR_ALL_GS, false, false,
      SYN_NONE, 0, false },
    { "embedded hypervisor privilege", { .kind = PPC_EXC_EHPRIV }, BOOKE_IVOR_EHPRIV,
      PAIR_SRR, KEEP_BASE, EPCR_ALL_GS, false, false, SYN_ANY, 0, false },
};

/* The MSR after an interrupt of class `keep` taken with MSR `old` (see KEEP_*). */
static uint64_t new_msr(uint64_t old, uint64_t keep, bool guest, uint32_t msrp)
{
    uint64_t m = old & keep;
    if (guest) {
        m |= MSR_GS;
        if (msrp & MSRP_UCLEP)
            m |= old & MSR_UCLE;
        if (msrp & MSRP_DEP)
            m |= old & MSR_DE;
        if (msrp & MSRP_PMMP)
            m |= old & MSR_PMM;
    }
    return m;
}

static void route_case(Rig *r, const Route *rt, bool from_gs, bool bit, uint64_t msr_bits,
                       uint32_t msrp)
{
    PpcCpu *c = &r->cpu;
    char ctx[200];
    uint64_t old = msr_bits | (from_gs ? MSR_GS : 0);
    snprintf(ctx, sizeof(ctx), "%s from %s state, EPCR 0x%08x, MSR 0x%08" PRIx64
             ", MSRP 0x%08x", rt->name, from_gs ? "guest" : "hypervisor",
             bit ? rt->epcr : 0u, old, msrp);

    vectors_init(c);
    regs_fill(c);
    c->epcr = bit ? rt->epcr : 0;
    c->msrp = msrp;
    c->msr = old;
    c->nip = FAULT_PC;
    c->exc = rt->exc;
    uint64_t before[R_COUNT], after[R_COUNT], want[R_COUNT];
    bool skip[R_COUNT] = { false };
    regs_get(c, before);
    booke_deliver(c);
    regs_get(c, after);

    bool guest = from_gs && (rt->guest_always || (rt->epcr_routes && bit));
    uint64_t pc = rt->exc.nip_set ? rt->exc.nip : FAULT_PC;
    memcpy(want, before, sizeof(want));
    unsigned pair = guest ? PAIR_GSRR : rt->pair;
    want[2 * pair] = pc;
    want[2 * pair + 1] = old;
    unsigned esr = guest ? R_GESR : R_ESR, dear = guest ? R_GDEAR : R_DEAR;
    if (rt->esr == SYN_SET)
        want[esr] = rt->esr_val;
    else if (rt->esr == SYN_ANY)
        skip[esr] = true;
    if (rt->dear)
        want[dear] = rt->exc.dar;
    regs_expect(ctx, after, want, skip);

    expect(ctx, "saved MSR[GS]", after[2 * pair + 1] & MSR_GS, from_gs ? MSR_GS : 0);
    expect(ctx, "vector", c->nip, guest ? GS_VEC(rt->ivor) : HV_VEC(rt->ivor));
    expect(ctx, "new MSR", c->msr, new_msr(old, rt->keep, guest, msrp));
    expect(ctx, "new MSR[GS]", c->msr & MSR_GS, guest ? MSR_GS : 0);
    expect(ctx, "exception consumed", c->exc.kind, PPC_EXC_NONE);
}

static void test_routing(void)
{
    Rig *r = rig_new();
    static const uint64_t msr_variants[] = {
        MSR_ALL,                                /* every enable and mode bit set */
        MSR_PR | MSR_EE | MSR_IS | MSR_DS,      /* CE, ME, DE, UCLE, PMM clear */
    };
    static const uint32_t msrp_variants[] = { 0, MSRP_UCLEP | MSRP_DEP | MSRP_PMMP };
    for (size_t n = 0; n < ARRAY_SIZE(routes); n++)
        for (unsigned gs = 0; gs < 2; gs++)
            for (unsigned bit = 0; bit < 2; bit++)
                for (size_t m = 0; m < ARRAY_SIZE(msr_variants); m++)
                    for (size_t p = 0; p < ARRAY_SIZE(msrp_variants); p++)
                        route_case(r, &routes[n], gs, bit, msr_variants[m], msrp_variants[p]);
    rig_free(r);
}

/* MSR[CM] after an interrupt is EPCR[ICM] (hypervisor) or EPCR[GICM] (guest), and the
 * vector keeps IVPR's upper word only in 64-bit mode. */
static void cm_case(const char *ctx, bool from_gs, uint32_t epcr, bool want_cm,
                    uint64_t want_vec)
{
    Rig *r = rig_new();
    PpcCpu *c = &r->cpu;
    vectors_init(c);
    c->ivpr = 0x0000001234560000ULL;
    c->givpr = 0x0000006543210000ULL;
    c->epcr = epcr;
    c->msr = MSR_ME | (from_gs ? MSR_GS : 0);
    c->nip = FAULT_PC;
    c->exc = (PpcException){ .kind = PPC_EXC_DSI, .dar = FAULT_EA };
    booke_deliver(c);
    expect(ctx, "MSR[CM]", c->msr & MSR_CM, want_cm ? MSR_CM : 0);
    expect(ctx, "vector", c->nip, want_vec);
    rig_free(r);
}

static void test_computation_mode(void)
{
    uint64_t hv = 0x0000001234560000ULL | IVOR_VAL(2);
    uint64_t gs = 0x0000006543210000ULL | GIVOR_VAL(2);
    cm_case("hypervisor, ICM", false, EPCR_ICM, true, hv);
    cm_case("hypervisor, GICM only", false, EPCR_GICM, false, (uint32_t)hv);
    cm_case("hypervisor, ICM and GICM", false, EPCR_ICM | EPCR_GICM, true, hv);
    cm_case("hypervisor, neither", false, 0, false, (uint32_t)hv);
    cm_case("guest, GICM", true, EPCR_DSIGS | EPCR_GICM, true, gs);
    cm_case("guest, ICM only", true, EPCR_DSIGS | EPCR_ICM, false, (uint32_t)gs);
    cm_case("guest state to hypervisor, ICM", true, EPCR_ICM, true, hv);
    cm_case("guest state to hypervisor, GICM only", true, EPCR_GICM, false, (uint32_t)hv);
}

/* The external proxy (External Input interrupt with the External Proxy facility of e500mc):
 * taking an External Input interrupt acknowledges it at the interrupt controller and
 * leaves the vector in EPR, or in GEPR when the interrupt goes to the guest. No other
 * interrupt acknowledges anything. */
typedef struct AckLog {
    unsigned calls;
    unsigned cpu;
} AckLog;

static uint32_t ack_external(void *opaque, unsigned cpu)
{
    AckLog *l = opaque;
    l->calls++;
    l->cpu = cpu;
    return 0x40u + l->calls;
}

static void test_external_proxy(void)
{
    Rig *r = rig_new();
    PpcCpu *c = &r->cpu;
    AckLog log = { 0 };
    r->core.ext_ack = ack_external;
    r->core.ext_ack_opaque = &log;
    vectors_init(c);

    c->epr = c->gepr = 0x11;
    c->msr = MSR_EE;
    c->exc = (PpcException){ .kind = PPC_EXC_EXTERNAL };
    booke_deliver(c);
    CHECK_EQ(log.calls, 1);
    CHECK_EQ(log.cpu, 0);
    CHECK_EQ(c->epr, 0x41);
    CHECK_EQ(c->gepr, 0x11);

    c->msr = MSR_GS | MSR_EE;
    c->epcr = EPCR_EXTGS;
    c->exc = (PpcException){ .kind = PPC_EXC_EXTERNAL };
    booke_deliver(c);
    CHECK_EQ(log.calls, 2);
    CHECK_EQ(c->gepr, 0x42);
    CHECK_EQ(c->epr, 0x41);
    CHECK_EQ(c->nip, GS_VEC(BOOKE_IVOR_EXTERNAL));

    c->msr = MSR_GS | MSR_EE;
    c->epcr = 0;
    c->exc = (PpcException){ .kind = PPC_EXC_EXTERNAL };
    booke_deliver(c);
    CHECK_EQ(log.calls, 3);
    CHECK_EQ(c->epr, 0x43);
    CHECK_EQ(c->gepr, 0x42);

    static const unsigned others[] = { PPC_EXC_DECREMENTER, PPC_EXC_CRITICAL, PPC_EXC_DSI,
                                       PPC_EXC_DOORBELL, PPC_EXC_GUEST_DOORBELL };
    for (size_t n = 0; n < ARRAY_SIZE(others); n++) {
        c->msr = MSR_GS | MSR_EE;
        c->epcr = EPCR_ALL_GS;
        c->exc = (PpcException){ .kind = others[n] };
        booke_deliver(c);
    }
    CHECK_EQ(log.calls, 3);
    CHECK_EQ(c->epr, 0x43);
    CHECK_EQ(c->gepr, 0x42);
    rig_free(r);
}

/* --- (b) asynchronous interrupts --- */

#define ASYNC_PC 0x5000ULL

static void async_reset(PpcCpu *c, uint64_t msr, uint32_t epcr)
{
    vectors_init(c);
    regs_fill(c);
    c->ext_pending = false;
    c->dec_pending = false;
    c->booke_irqs = 0;
    c->tsr = 0;
    c->tcr = 0;
    c->msrp = 0;
    c->msr = msr;
    c->epcr = epcr;
    c->nip = ASYNC_PC;
}

/* One booke_take_async: nothing taken (ivor < 0), or taken at IVPR|IVORn (GIVPR|GIVORn
 * when `to_guest`) with the interrupted PC and MSR in `pair`. */
static void expect_async(PpcCpu *c, const char *ctx, int ivor, bool to_guest, unsigned pair)
{
    uint64_t old_msr = c->msr, old_nip = c->nip, before[R_COUNT], after[R_COUNT];
    regs_get(c, before);
    bool taken = booke_take_async(c);
    regs_get(c, after);
    if (ivor < 0) {
        expect(ctx, "taken", taken, false);
        expect(ctx, "nip", c->nip, old_nip);
        expect(ctx, "msr", c->msr, old_msr);
        regs_expect(ctx, after, before, NULL);
        return;
    }
    expect(ctx, "taken", taken, true);
    expect(ctx, "vector", c->nip, to_guest ? GS_VEC((unsigned)ivor) : HV_VEC((unsigned)ivor));
    expect(ctx, "saved PC", after[2 * pair], old_nip);
    expect(ctx, "saved MSR", after[2 * pair + 1], old_msr);
    expect(ctx, "new MSR[GS]", c->msr & MSR_GS, to_guest ? MSR_GS : 0);
    expect(ctx, "new MSR[EE]", c->msr & MSR_EE, 0);
}

static uint64_t msr_of(bool gs, bool pr, uint64_t enables)
{
    return (gs ? MSR_GS : 0) | (pr ? MSR_PR : 0) | enables;
}

/* External Input interrupt with E.HV: EPCR[EXTGS] = 0 directs it to the hypervisor, which
 * guest state cannot mask: enabled when MSR[EE] = 1 or MSR[GS] = 1. EPCR[EXTGS] = 1
 * directs it to the guest: only in guest state with MSR[EE] = 1, through GIVOR4. The
 * input is a level: it stays pending after the interrupt. */
static void test_async_external(Rig *r)
{
    PpcCpu *c = &r->cpu;
    char ctx[160];
    for (unsigned v = 0; v < 16; v++) {
        bool gs = v & 1, ee = v & 2, extgs = v & 4, pr = v & 8;
        async_reset(c, msr_of(gs, pr, ee ? MSR_EE : 0), extgs ? EPCR_EXTGS : 0);
        c->ext_pending = true;
        snprintf(ctx, sizeof(ctx), "external: GS %d EE %d PR %d EXTGS %d", gs, ee, pr, extgs);
        bool taken = extgs ? gs && ee : ee || gs;
        expect_async(c, ctx, taken ? BOOKE_IVOR_EXTERNAL : -1, extgs,
                     extgs ? PAIR_GSRR : PAIR_SRR);
        expect(ctx, "still pending", c->ext_pending, true);
    }
}

/* Decrementer interrupt: TSR[DIS] and TCR[DIE] both set, then MSR[EE] = 1 or guest state
 * (it belongs to the hypervisor). Writing 1 to TSR[DIS] ends it. */
static void test_async_decrementer(Rig *r)
{
    PpcCpu *c = &r->cpu;
    char ctx[160];
    for (unsigned v = 0; v < 32; v++) {
        bool dis = v & 1, die = v & 2, ee = v & 4, gs = v & 8, pr = v & 16;
        async_reset(c, msr_of(gs, pr, ee ? MSR_EE : 0), EPCR_ALL_GS);
        c->tsr = dis ? TSR_DIS : 0;
        c->tcr = die ? TCR_DIE : 0;
        booke_timers_update(c);
        snprintf(ctx, sizeof(ctx), "decrementer: DIS %d DIE %d EE %d GS %d PR %d", dis, die,
                 ee, gs, pr);
        expect(ctx, "pending", c->dec_pending, dis && die);
        bool taken = dis && die && (ee || gs);
        expect_async(c, ctx, taken ? BOOKE_IVOR_DECREMENTER : -1, false, PAIR_SRR);
    }
    /* The status stays until software clears it with mtspr TSR (write 1 to clear). */
    async_reset(c, MSR_EE, 0);
    c->tsr = TSR_DIS | TSR_FIS;
    c->tcr = TCR_DIE;
    booke_timers_update(c);
    expect_async(c, "decrementer before TSR[DIS] is cleared", BOOKE_IVOR_DECREMENTER, false,
                 PAIR_SRR);
    c->msr = MSR_EE;
    expect_async(c, "decrementer again", BOOKE_IVOR_DECREMENTER, false, PAIR_SRR);
    c->msr = 0;
    CHECK_EQ(ppc_spr_mtspr(c, 336, TSR_DIS), PPC_END);
    CHECK_EQ(c->tsr, TSR_FIS);
    CHECK_EQ(c->dec_pending, false);
    c->msr = MSR_EE;
    expect_async(c, "decrementer after TSR[DIS] is cleared", -1, false, PAIR_SRR);
    /* mtspr TCR[DIE] with TSR[DIS] already set raises it. */
    c->msr = 0;
    c->tsr = TSR_DIS;
    CHECK_EQ(ppc_spr_mtspr(c, 340, TCR_DIE), PPC_END);
    CHECK_EQ(c->dec_pending, true);
    CHECK_EQ(ppc_spr_mtspr(c, 340, 0), PPC_END);
    CHECK_EQ(c->dec_pending, false);
}

/* DEC counts down at the time-base rate; at zero TSR[DIS] is set, and DEC reloads from
 * DECAR with TCR[ARE] or stays 0. The time base runs at 512 MHz: 1000 ns is 512
 * ticks. */
static void test_decrementer_counts(void)
{
    Rig *r = rig_new();
    PpcCpu *c = &r->cpu;
    uint64_t v = 0;
    c->msr = 0;
    CHECK_EQ(ppc_spr_mtspr(c, 340, TCR_DIE), PPC_END);
    CHECK_EQ(ppc_spr_mtspr(c, 22, 100), PPC_NEXT);
    CHECK_EQ(ppc_spr_mfspr(c, 22, &v), PPC_NEXT);
    CHECK_EQ(v, 100);
    CHECK_EQ(c->tsr & TSR_DIS, 0);
    r->clock.base = 1000;
    vclock_run_timers(&r->clock, 1000);
    CHECK_EQ(c->tsr & TSR_DIS, TSR_DIS);
    CHECK_EQ(c->dec_pending, true);
    CHECK_EQ(ppc_spr_mfspr(c, 22, &v), PPC_NEXT);
    CHECK_EQ(v, 0);
    rig_free(r);

    r = rig_new();
    c = &r->cpu;
    c->msr = 0;
    CHECK_EQ(ppc_spr_mtspr(c, 54, 100), PPC_NEXT);
    CHECK_EQ(c->decar, 100);
    CHECK_EQ(ppc_spr_mtspr(c, 340, TCR_DIE | TCR_ARE), PPC_END);
    CHECK_EQ(ppc_spr_mtspr(c, 22, 100), PPC_NEXT);
    r->clock.base = 1000;
    vclock_run_timers(&r->clock, 1000);
    CHECK_EQ(c->tsr & TSR_DIS, TSR_DIS);
    /* Reloaded at ticks 100, 200, ..., 500; the next zero is at 600. */
    CHECK_EQ(ppc_spr_mfspr(c, 22, &v), PPC_NEXT);
    CHECK_EQ(v, 88);
    /* DEC = 0 written stops it without an interrupt. */
    CHECK_EQ(ppc_spr_mtspr(c, 336, TSR_DIS), PPC_END);
    CHECK_EQ(ppc_spr_mtspr(c, 22, 0), PPC_NEXT);
    r->clock.base = 100000;
    vclock_run_timers(&r->clock, 100000);
    CHECK_EQ(c->tsr & TSR_DIS, 0);
    CHECK_EQ(c->dec_pending, false);
    rig_free(r);
}

/* Fixed-interval timer: TSR[FIS] and TCR[FIE], then MSR[EE] or guest state.
 * Watchdog timer: TSR[WIS] and TCR[WIE], critical class: MSR[CE] or guest state,
 * whatever MSR[EE] says. */
static void test_async_fit_watchdog(Rig *r)
{
    PpcCpu *c = &r->cpu;
    char ctx[160];
    for (unsigned v = 0; v < 16; v++) {
        bool fis = v & 1, fie = v & 2, ee = v & 4, gs = v & 8;
        async_reset(c, msr_of(gs, false, (ee ? MSR_EE : 0) | MSR_CE), 0);
        c->tsr = fis ? TSR_FIS : 0;
        c->tcr = fie ? TCR_FIE : 0;
        booke_timers_update(c);
        snprintf(ctx, sizeof(ctx), "fit: FIS %d FIE %d EE %d GS %d", fis, fie, ee, gs);
        bool taken = fis && fie && (ee || gs);
        expect_async(c, ctx, taken ? BOOKE_IVOR_FIT : -1, false, PAIR_SRR);
    }
    for (unsigned v = 0; v < 16; v++) {
        bool wis = v & 1, wie = v & 2, ce = v & 4, gs = v & 8;
        async_reset(c, msr_of(gs, false, (ce ? MSR_CE : MSR_EE) | MSR_ME), 0);
        c->tsr = wis ? TSR_WIS | TSR_ENW : TSR_ENW;
        c->tcr = wie ? TCR_WIE : 0;
        booke_timers_update(c);
        snprintf(ctx, sizeof(ctx), "watchdog: WIS %d WIE %d CE %d GS %d", wis, wie, ce, gs);
        bool taken = wis && wie && (ce || gs);
        expect_async(c, ctx, taken ? BOOKE_IVOR_WATCHDOG : -1, false, PAIR_CSRR);
        if (taken)
            expect(ctx, "MSR[CE] after", c->msr & MSR_CE, 0);
    }
}

/* Critical input: MSR[CE] or guest state; a level. Doorbells (the processor doorbell
 * interrupts with E.HV's guest message types): the processor doorbell is enabled by
 * MSR[EE] or guest state, the processor doorbell critical by MSR[CE] or guest state; the
 * guest doorbell only in guest state with MSR[EE] = 1 (it is taken by the hypervisor,
 * IVOR38, GSRR0/GSRR1), the guest doorbell critical only in guest state with MSR[CE] = 1
 * (IVOR39, CSRR0/CSRR1), the guest doorbell machine check only in guest state with
 * MSR[ME] = 1 (it shares IVOR39 and CSRR0/CSRR1 with the guest doorbell critical; the
 * handler tells them apart by CE or ME in CSRR1).
 * A doorbell exception is consumed by its interrupt; a masked one stays pending. */
typedef struct DbellCase {
    const char *name;
    uint32_t irq;
    uint64_t enable;   /* the MSR bit that enables it */
    bool guest_only;   /* only in guest state (and then only with the bit) */
    int ivor;
    unsigned pair;
    bool edge;         /* consumed when taken */
} DbellCase;

static void test_async_critical_doorbells(Rig *r)
{
    PpcCpu *c = &r->cpu;
    static const DbellCase cases[] = {
        { "critical input", BOOKE_IRQ_CRITICAL, MSR_CE, false, BOOKE_IVOR_CRITICAL,
          PAIR_CSRR, false },
        { "doorbell", BOOKE_IRQ_DBELL, MSR_EE, false, BOOKE_IVOR_DOORBELL, PAIR_SRR, true },
        { "doorbell critical", BOOKE_IRQ_DBELL_CRIT, MSR_CE, false,
          BOOKE_IVOR_DOORBELL_CRIT, PAIR_CSRR, true },
        { "guest doorbell", BOOKE_IRQ_G_DBELL, MSR_EE, true, BOOKE_IVOR_GUEST_DOORBELL,
          PAIR_GSRR, true },
        { "guest doorbell critical", BOOKE_IRQ_G_DBELL_CRIT, MSR_CE, true,
          BOOKE_IVOR_GUEST_DOORBELL_CRIT, PAIR_CSRR, true },
        { "guest doorbell machine check", BOOKE_IRQ_G_DBELL_MC, MSR_ME, true,
          BOOKE_IVOR_GUEST_DOORBELL_CRIT, PAIR_CSRR, true },
    };
    char ctx[160];
    for (size_t n = 0; n < ARRAY_SIZE(cases); n++) {
        const DbellCase *d = &cases[n];
        for (unsigned v = 0; v < 8; v++) {
            bool en = v & 1, gs = v & 2, pr = v & 4;
            /* The other enable bits are set when this one is clear, so that a check of
             * the wrong bit shows. */
            uint64_t others = (MSR_EE | MSR_CE | MSR_ME) & ~d->enable;
            async_reset(c, msr_of(gs, pr, (en ? d->enable : 0) | others), EPCR_ALL_GS);
            c->booke_irqs = d->irq;
            snprintf(ctx, sizeof(ctx), "%s: enable %d GS %d PR %d", d->name, en, gs, pr);
            bool taken = d->guest_only ? gs && en : gs || en;
            expect_async(c, ctx, taken ? d->ivor : -1, false, d->pair);
            bool still = !taken || !d->edge;
            expect(ctx, "still pending", c->booke_irqs & d->irq, still ? d->irq : 0);
        }
    }
    /* ppc_set_critical drives the level. */
    async_reset(c, MSR_CE, 0);
    ppc_set_critical(c, true);
    CHECK_EQ(c->booke_irqs, BOOKE_IRQ_CRITICAL);
    ppc_set_critical(c, false);
    CHECK_EQ(c->booke_irqs, 0);
    expect_async(c, "critical input after the line dropped", -1, false, PAIR_CSRR);
}

/* Priorities (7.9 "Interrupt Priorities": critical input, watchdog, doorbell critical,
 * guest doorbell critical, then external input, fixed-interval timer, decrementer,
 * doorbell, guest doorbell). Every source is raised at once; the handler of
 * each re-enables everything and acknowledges its own source; the order of the vectors
 * is compared. */
enum { SRC_CRIT, SRC_WDT, SRC_DBELL_CRIT, SRC_GDBELL_CRIT, SRC_EXT, SRC_FIT, SRC_DEC,
       SRC_DBELL, SRC_GDBELL, SRC_COUNT };
static const char *const src_name[SRC_COUNT] = {
    "critical", "watchdog", "doorbell critical", "guest doorbell critical", "external",
    "fit", "decrementer", "doorbell", "guest doorbell",
};

static int src_of_vector(uint64_t nip)
{
    static const unsigned ivor[SRC_COUNT] = {
        BOOKE_IVOR_CRITICAL, BOOKE_IVOR_WATCHDOG, BOOKE_IVOR_DOORBELL_CRIT,
        BOOKE_IVOR_GUEST_DOORBELL_CRIT, BOOKE_IVOR_EXTERNAL, BOOKE_IVOR_FIT,
        BOOKE_IVOR_DECREMENTER, BOOKE_IVOR_DOORBELL, BOOKE_IVOR_GUEST_DOORBELL,
    };
    for (int s = 0; s < SRC_COUNT; s++)
        if (nip == HV_VEC(ivor[s]) || (s == SRC_EXT && nip == GS_VEC(ivor[s])))
            return s;
    return -1;
}

static void raise_all(PpcCpu *c)
{
    c->ext_pending = true;
    c->booke_irqs = BOOKE_IRQ_CRITICAL | BOOKE_IRQ_DBELL | BOOKE_IRQ_DBELL_CRIT |
                    BOOKE_IRQ_G_DBELL | BOOKE_IRQ_G_DBELL_CRIT;
    c->tsr = TSR_DIS | TSR_FIS | TSR_WIS | TSR_ENW;
    c->tcr = TCR_DIE | TCR_FIE | TCR_WIE;
    booke_timers_update(c);
}

static void acknowledge(PpcCpu *c, int s)
{
    switch (s) {
    case SRC_CRIT: ppc_set_critical(c, false); break;
    case SRC_WDT: c->tsr &= ~TSR_WIS; break;
    case SRC_EXT: c->ext_pending = false; break;
    case SRC_FIT: c->tsr &= ~TSR_FIS; break;
    case SRC_DEC: c->tsr &= ~TSR_DIS; break;
    default: break; /* doorbells are consumed by the interrupt */
    }
    booke_timers_update(c);
}

static void priority_run(Rig *r, const char *ctx, uint64_t msr, uint32_t epcr,
                         const int *want, size_t nwant)
{
    PpcCpu *c = &r->cpu;
    async_reset(c, msr, epcr);
    raise_all(c);
    int got[SRC_COUNT + 1];
    size_t n = 0;
    while (n <= SRC_COUNT) {
        c->msr = msr;
        c->nip = ASYNC_PC;
        if (!booke_take_async(c))
            break;
        got[n] = src_of_vector(c->nip);
        acknowledge(c, got[n]);
        n++;
    }
    expect(ctx, "interrupts taken", n, nwant);
    for (size_t k = 0; k < n && k < nwant; k++) {
        if (got[k] == want[k]) {
            unit_pass();
        } else {
            unit_fail();
            fprintf(stderr, "%s: interrupt %zu is %s, expected %s\n", ctx, k,
                    got[k] < 0 ? "(unknown vector)" : src_name[got[k]], src_name[want[k]]);
        }
    }
}

static void test_async_priorities(Rig *r)
{
    PpcCpu *c = &r->cpu;
    /* Guest state with everything enabled: all nine, in priority order. */
    static const int guest_order[] = { SRC_CRIT, SRC_WDT, SRC_DBELL_CRIT, SRC_GDBELL_CRIT,
                                       SRC_EXT, SRC_FIT, SRC_DEC, SRC_DBELL, SRC_GDBELL };
    priority_run(r, "priorities in guest state, EXTGS", MSR_GS | MSR_CE | MSR_EE | MSR_ME,
                 EPCR_EXTGS, guest_order, ARRAY_SIZE(guest_order));
    priority_run(r, "priorities in guest state", MSR_GS | MSR_CE | MSR_EE | MSR_ME, 0,
                 guest_order, ARRAY_SIZE(guest_order));
    /* Hypervisor state: the guest doorbells never come. */
    static const int hv_order[] = { SRC_CRIT, SRC_WDT, SRC_DBELL_CRIT, SRC_EXT, SRC_FIT,
                                    SRC_DEC, SRC_DBELL };
    priority_run(r, "priorities in hypervisor state", MSR_CE | MSR_EE | MSR_ME, 0, hv_order,
                 ARRAY_SIZE(hv_order));
    /* Hypervisor state with only EE: the critical class waits. */
    static const int ee_order[] = { SRC_EXT, SRC_FIT, SRC_DEC, SRC_DBELL };
    priority_run(r, "priorities in hypervisor state, EE only", MSR_EE, 0, ee_order,
                 ARRAY_SIZE(ee_order));
    /* Hypervisor state with only CE. */
    static const int ce_order[] = { SRC_CRIT, SRC_WDT, SRC_DBELL_CRIT };
    priority_run(r, "priorities in hypervisor state, CE only", MSR_CE, 0, ce_order,
                 ARRAY_SIZE(ce_order));
    /* Guest state with EE and CE clear: only what the hypervisor owns. */
    static const int gs_masked[] = { SRC_CRIT, SRC_WDT, SRC_DBELL_CRIT, SRC_FIT, SRC_DEC,
                                     SRC_DBELL };
    priority_run(r, "priorities in guest state, EE CE clear, EXTGS", MSR_GS, EPCR_EXTGS,
                 gs_masked, ARRAY_SIZE(gs_masked));
    /* Pairs: a masked higher source does not hold back an enabled lower one. */
    async_reset(c, MSR_EE, EPCR_EXTGS);
    c->ext_pending = true;
    c->tsr = TSR_DIS;
    c->tcr = TCR_DIE;
    booke_timers_update(c);
    expect_async(c, "external for the guest pending in hypervisor state, decrementer",
                 BOOKE_IVOR_DECREMENTER, false, PAIR_SRR);
    async_reset(c, MSR_EE, 0);
    c->booke_irqs = BOOKE_IRQ_CRITICAL | BOOKE_IRQ_G_DBELL;
    c->ext_pending = true;
    expect_async(c, "masked critical, guest doorbell, external", BOOKE_IVOR_EXTERNAL, false,
                 PAIR_SRR);
    CHECK_EQ(c->booke_irqs, BOOKE_IRQ_CRITICAL | BOOKE_IRQ_G_DBELL);
}

static void test_async(void)
{
    Rig *r = rig_new();
    test_async_external(r);
    test_async_decrementer(r);
    test_async_fit_watchdog(r);
    test_async_critical_doorbells(r);
    test_async_priorities(r);
    rig_free(r);
    test_decrementer_counts();
}

/* --- (c) SPR access and the guest-state aliases --- */

/* A register of PpcCpu by offset and size. */
static uint64_t field_get(const PpcCpu *c, size_t off, unsigned size)
{
    const uint8_t *p = (const uint8_t *)c + off;
    if (size == 4) {
        uint32_t v;
        memcpy(&v, p, 4);
        return v;
    }
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static void field_set(PpcCpu *c, size_t off, unsigned size, uint64_t v)
{
    uint8_t *p = (uint8_t *)c + off;
    if (size == 4) {
        uint32_t w = (uint32_t)v;
        memcpy(p, &w, 4);
    } else {
        memcpy(p, &v, 8);
    }
}

#define FLD(f) offsetof(PpcCpu, f), (unsigned)sizeof(((PpcCpu *)0)->f)

typedef enum State { ST_HV, ST_HV_USER, ST_GUEST, ST_GUEST_USER, ST_COUNT } State;
static const char *const state_name[ST_COUNT] = {
    "hypervisor", "hypervisor problem state", "guest supervisor", "guest problem state",
};
static const uint64_t state_msr[ST_COUNT] = { 0, MSR_PR, MSR_GS, MSR_GS | MSR_PR };

static PpcStatus do_mf(PpcCpu *c, unsigned num, uint64_t *v)
{
    c->exc = (PpcException){ 0 };
    return ppc_spr_mfspr(c, num, v);
}

static PpcStatus do_mt(PpcCpu *c, unsigned num, uint64_t v)
{
    c->exc = (PpcException){ 0 };
    return ppc_spr_mtspr(c, num, v);
}

/* The access trapped with interrupt `kind` (and Program reason `bits`). */
static void expect_trap(const char *ctx, PpcCpu *c, PpcStatus st, unsigned kind,
                        uint64_t bits)
{
    expect(ctx, "status", st, PPC_TRAP);
    expect(ctx, "interrupt", c->exc.kind, kind);
    if (kind == PPC_EXC_PROGRAM)
        expect(ctx, "program reason", c->exc.srr1_bits, bits);
}

/* 4.4.4 with E.HV: in guest state these numbers reach the guest registers; the guest
 * supervisor needs no more privilege than the register it names. */
typedef struct Alias {
    unsigned num;
    const char *name;
    size_t hv_off;
    unsigned hv_size;
    size_t gs_off;
    unsigned gs_size;
    bool writable;
    bool user_read;    /* problem state may read it (SPRG3 through 259) */
} Alias;

static const Alias aliases[] = {
    { 26, "SRR0", FLD(srr0), FLD(gsrr0), true, false },
    { 27, "SRR1", FLD(srr1), FLD(gsrr1), true, false },
    { 272, "SPRG0", FLD(sprg[0]), FLD(gsprg[0]), true, false },
    { 273, "SPRG1", FLD(sprg[1]), FLD(gsprg[1]), true, false },
    { 274, "SPRG2", FLD(sprg[2]), FLD(gsprg[2]), true, false },
    { 275, "SPRG3", FLD(sprg[3]), FLD(gsprg[3]), true, false },
    { 259, "SPRG3 (user read)", FLD(sprg[3]), FLD(gsprg[3]), false, true },
    { 62, "ESR", FLD(esr), FLD(gesr), true, false },
    { 61, "DEAR", FLD(dear), FLD(gdear), true, false },
    { 702, "EPR", FLD(epr), FLD(gepr), false, false },
    { 286, "PIR", FLD(pir), FLD(gpir), false, false },
};

#define HV_SENT 0x11223344u
#define GS_SENT 0x55667788u
#define NEW_VAL 0x9abcdef0u

static void test_spr_aliases(void)
{
    Rig *r = rig_new();
    PpcCpu *c = &r->cpu;
    char ctx[160];
    for (size_t n = 0; n < ARRAY_SIZE(aliases); n++) {
        const Alias *a = &aliases[n];
        for (unsigned s = 0; s < ST_COUNT; s++) {
            bool guest = s == ST_GUEST || s == ST_GUEST_USER;
            bool user = s == ST_HV_USER || s == ST_GUEST_USER;
            snprintf(ctx, sizeof(ctx), "%s (%u) in %s", a->name, a->num, state_name[s]);
            c->msr = state_msr[s];
            field_set(c, a->hv_off, a->hv_size, HV_SENT);
            field_set(c, a->gs_off, a->gs_size, GS_SENT);
            uint64_t v = 0xdeadULL;
            PpcStatus st = do_mf(c, a->num, &v);
            if (user && !a->user_read) {
                expect_trap(ctx, c, st, PPC_EXC_PROGRAM, SRR1_PROGRAM_PRIV);
                expect(ctx, "mfspr target untouched", v, 0xdead);
            } else {
                expect(ctx, "mfspr status", st, PPC_NEXT);
                expect(ctx, "mfspr value", v, guest ? GS_SENT : HV_SENT);
            }
            if (a->writable) {
                st = do_mt(c, a->num, NEW_VAL);
                if (user) {
                    expect_trap(ctx, c, st, PPC_EXC_PROGRAM, SRR1_PROGRAM_PRIV);
                    expect(ctx, "hypervisor copy", field_get(c, a->hv_off, a->hv_size),
                           HV_SENT);
                    expect(ctx, "guest copy", field_get(c, a->gs_off, a->gs_size), GS_SENT);
                } else {
                    expect(ctx, "mtspr status", st == PPC_NEXT || st == PPC_END, true);
                    expect(ctx, "hypervisor copy", field_get(c, a->hv_off, a->hv_size),
                           guest ? HV_SENT : NEW_VAL);
                    expect(ctx, "guest copy", field_get(c, a->gs_off, a->gs_size),
                           guest ? NEW_VAL : GS_SENT);
                    v = 0;
                    expect(ctx, "read back status", do_mf(c, a->num, &v), PPC_NEXT);
                    expect(ctx, "read back", v, NEW_VAL);
                }
            }
        }
    }
    /* SPRG3 written through 275 by the guest supervisor is what its problem state reads
     * through 259; the hypervisor's problem state reads the hypervisor's SPRG3. */
    c->msr = MSR_GS;
    c->sprg[3] = HV_SENT;
    CHECK_EQ(do_mt(c, 275, 0xa5a5a5a5u), PPC_NEXT);
    c->msr = MSR_GS | MSR_PR;
    uint64_t v = 0;
    CHECK_EQ(do_mf(c, 259, &v), PPC_NEXT);
    CHECK_EQ(v, 0xa5a5a5a5u);
    c->msr = MSR_PR;
    CHECK_EQ(do_mf(c, 259, &v), PPC_NEXT);
    CHECK_EQ(v, HV_SENT);
    rig_free(r);
}

/* Hypervisor SPRs (4.4.4, the registers E.HV marks hypervisor privileged): from guest
 * supervisor state any access is the embedded hypervisor privilege interrupt and changes
 * nothing, from problem state the privileged Program interrupt; in hypervisor state they
 * read back what was written, within the bits that exist. */
typedef struct HvSpr {
    unsigned num;
    const char *name;
    size_t off;        /* the field that holds it (or that a write would change) */
    unsigned size;
    bool readable, writable;
    bool plain;        /* a hypervisor write reads back as wval & mask */
    uint64_t mask;
} HvSpr;

#define HV_RW(n, nm, f) { n, nm, FLD(f), true, true, true, 0xffffffffu }
#define HV_RWM(n, nm, f, m) { n, nm, FLD(f), true, true, true, (m) }
#define HV_SPECIAL(n, nm, f, rd, wr) { n, nm, FLD(f), rd, wr, false, 0 }

static const HvSpr hv_sprs[] = {
    HV_SPECIAL(22, "DEC", dec_deadline, true, true),
    HV_SPECIAL(54, "DECAR", decar, false, true),
    HV_RW(58, "CSRR0", csrr0),
    HV_RW(59, "CSRR1", csrr1),
    HV_RWM(63, "IVPR", ivpr, 0xffff0000u),
    HV_SPECIAL(284, "TBL", tb_offset, false, true),
    HV_SPECIAL(285, "TBU", tb_offset, false, true),
    HV_RW(304, "DBSR", dbsr),
    HV_RWM(307, "EPCR", epcr, 0xffc00000u),
    HV_RW(308, "DBCR0", dbcr[0]),
    HV_RW(309, "DBCR1", dbcr[1]),
    HV_RW(310, "DBCR2", dbcr[2]),
    HV_RWM(311, "MSRP", msrp, MSRP_UCLEP | MSRP_DEP | MSRP_PMMP),
    HV_RW(312, "IAC1", iac[0]),
    HV_RW(313, "IAC2", iac[1]),
    HV_RW(316, "DAC1", dac[0]),
    HV_RW(317, "DAC2", dac[1]),
    HV_SPECIAL(336, "TSR", tsr, true, true),
    HV_RWM(338, "LPIDR", lpidr, 0x3f),
    HV_RWM(339, "MAS5", mas.mas5, MAS5_SGS | MAS5_SLPID),
    HV_SPECIAL(340, "TCR", tcr, true, true),
    HV_RWM(341, "MAS8", mas.mas8, MAS8_TGS | MAS8_VF | MAS8_TLPID),
    HV_RW(368, "GSPRG0", gsprg[0]),
    HV_RW(369, "GSPRG1", gsprg[1]),
    HV_RW(370, "GSPRG2", gsprg[2]),
    HV_RW(371, "GSPRG3", gsprg[3]),
    HV_RW(378, "GSRR0", gsrr0),
    HV_RW(379, "GSRR1", gsrr1),
    HV_RW(380, "GEPR", gepr),
    HV_RW(381, "GDEAR", gdear),
    HV_RW(382, "GPIR", gpir),
    HV_RW(383, "GESR", gesr),
    HV_RWM(400, "IVOR0", ivor[0], 0xfff0), HV_RWM(401, "IVOR1", ivor[1], 0xfff0),
    HV_RWM(402, "IVOR2", ivor[2], 0xfff0), HV_RWM(403, "IVOR3", ivor[3], 0xfff0),
    HV_RWM(404, "IVOR4", ivor[4], 0xfff0), HV_RWM(405, "IVOR5", ivor[5], 0xfff0),
    HV_RWM(406, "IVOR6", ivor[6], 0xfff0), HV_RWM(407, "IVOR7", ivor[7], 0xfff0),
    HV_RWM(408, "IVOR8", ivor[8], 0xfff0), HV_RWM(409, "IVOR9", ivor[9], 0xfff0),
    HV_RWM(410, "IVOR10", ivor[10], 0xfff0), HV_RWM(411, "IVOR11", ivor[11], 0xfff0),
    HV_RWM(412, "IVOR12", ivor[12], 0xfff0), HV_RWM(413, "IVOR13", ivor[13], 0xfff0),
    HV_RWM(414, "IVOR14", ivor[14], 0xfff0), HV_RWM(415, "IVOR15", ivor[15], 0xfff0),
    HV_RWM(432, "IVOR38", ivor[38], 0xfff0), HV_RWM(433, "IVOR39", ivor[39], 0xfff0),
    HV_RWM(434, "IVOR40", ivor[40], 0xfff0), HV_RWM(435, "IVOR41", ivor[41], 0xfff0),
    HV_RWM(440, "GIVOR2", givor[2], 0xfff0), HV_RWM(441, "GIVOR3", givor[3], 0xfff0),
    HV_RWM(442, "GIVOR4", givor[4], 0xfff0), HV_RWM(443, "GIVOR8", givor[8], 0xfff0),
    HV_RWM(444, "GIVOR13", givor[13], 0xfff0), HV_RWM(445, "GIVOR14", givor[14], 0xfff0),
    HV_RWM(447, "GIVPR", givpr, 0xffff0000u),
    HV_RWM(528, "IVOR32", ivor[32], 0xfff0), HV_RWM(529, "IVOR33", ivor[33], 0xfff0),
    HV_RWM(530, "IVOR34", ivor[34], 0xfff0), HV_RWM(531, "IVOR35", ivor[35], 0xfff0),
    HV_RWM(532, "IVOR36", ivor[36], 0xfff0), HV_RWM(533, "IVOR37", ivor[37], 0xfff0),
    HV_RW(570, "MCSRR0", mcsrr0),
    HV_RW(571, "MCSRR1", mcsrr1),
    HV_RW(572, "MCSR", mcsr),
    HV_SPECIAL(573, "MCAR", mcar, true, false),
    HV_RW(574, "DSRR0", dsrr0),
    HV_RW(575, "DSRR1", dsrr1),
    HV_RW(1008, "HID0", hid[0]),
    HV_RW(1009, "HID1", hid[1]),
    HV_RW(1013, "BUCSR", bucsr),
};

#define HV_FIELD_SENT 0x13570000u

static void test_spr_hypervisor_only(void)
{
    char ctx[160];
    for (size_t n = 0; n < ARRAY_SIZE(hv_sprs); n++) {
        const HvSpr *h = &hv_sprs[n];
        for (unsigned s = ST_HV_USER; s < ST_COUNT; s++) {
            Rig *r = rig_new();
            PpcCpu *c = &r->cpu;
            snprintf(ctx, sizeof(ctx), "%s (%u) in %s", h->name, h->num, state_name[s]);
            c->msr = state_msr[s];
            field_set(c, h->off, h->size, HV_FIELD_SENT);
            unsigned kind = s == ST_GUEST ? PPC_EXC_EHPRIV : PPC_EXC_PROGRAM;
            if (h->readable) {
                uint64_t v = 0xdead;
                expect_trap(ctx, c, do_mf(c, h->num, &v), kind, SRR1_PROGRAM_PRIV);
                expect(ctx, "mfspr target untouched", v, 0xdead);
            }
            if (h->writable) {
                expect_trap(ctx, c, do_mt(c, h->num, 0x2468ace0u), kind, SRR1_PROGRAM_PRIV);
                expect(ctx, "register untouched", field_get(c, h->off, h->size),
                       HV_FIELD_SENT);
            }
            rig_free(r);
        }
        if (!h->plain)
            continue;
        Rig *r = rig_new();
        PpcCpu *c = &r->cpu;
        snprintf(ctx, sizeof(ctx), "%s (%u) in hypervisor state", h->name, h->num);
        c->msr = 0;
        PpcStatus st = do_mt(c, h->num, 0xffffffffu);
        expect(ctx, "mtspr status", st == PPC_NEXT || st == PPC_END, true);
        uint64_t v = 0;
        expect(ctx, "mfspr status", do_mf(c, h->num, &v), PPC_NEXT);
        expect(ctx, "read back", v, h->mask);
        expect(ctx, "register", field_get(c, h->off, h->size), h->mask);
        do_mt(c, h->num, 0x12345675u);
        expect(ctx, "mfspr status 2", do_mf(c, h->num, &v), PPC_NEXT);
        expect(ctx, "read back 2", v, 0x12345675u & h->mask);
        rig_free(r);
    }
    /* The special ones in hypervisor state. */
    Rig *r = rig_new();
    PpcCpu *c = &r->cpu;
    uint64_t v = 0;
    c->msr = 0;
    c->tsr = TSR_ENW | TSR_WIS | TSR_DIS | TSR_FIS;
    CHECK_EQ(do_mt(c, 336, TSR_WIS | TSR_FIS), PPC_END);
    CHECK_EQ(c->tsr, TSR_ENW | TSR_DIS);
    CHECK_EQ(do_mf(c, 336, &v), PPC_NEXT);
    CHECK_EQ(v, TSR_ENW | TSR_DIS);
    CHECK_EQ(do_mt(c, 340, TCR_DIE | TCR_FIE | TCR_ARE), PPC_END);
    CHECK_EQ(do_mf(c, 340, &v), PPC_NEXT);
    CHECK_EQ(v, TCR_DIE | TCR_FIE | TCR_ARE);
    CHECK_EQ(do_mt(c, 54, 0x1000), PPC_NEXT);
    CHECK_EQ(c->decar, 0x1000);
    /* DECAR is write-only. */
    expect_trap("mfspr DECAR", c, do_mf(c, 54, &v), PPC_EXC_PROGRAM, SRR1_PROGRAM_ILLEGAL);
    rig_free(r);
}

/* Privileged SPRs the guest supervisor owns (no alias, no hypervisor privilege): PID, the
 * MAS registers the guest's TLB handlers use, SPRG4-7. Problem state may read SPRG4-7
 * through 260-263 but write none of them. */
typedef struct SupSpr {
    unsigned num;
    const char *name;
    size_t off;
    unsigned size;
    uint64_t wval;
} SupSpr;

static const SupSpr sup_sprs[] = {
    { 48, "PID", FLD(pid), 0x2a },
    { 624, "MAS0", FLD(mas.mas0), 0x10030000u },
    { 625, "MAS1", FLD(mas.mas1), 0x80000500u },
    { 626, "MAS2", FLD(mas.mas2), 0x00400004u },
    { 627, "MAS3", FLD(mas.mas3), 0x0040003fu },
    { 630, "MAS6", FLD(mas.mas6), 0x00020000u },
    { 276, "SPRG4", FLD(sprg_e[4]), 0x44444444u },
    { 277, "SPRG5", FLD(sprg_e[5]), 0x55555555u },
    { 278, "SPRG6", FLD(sprg_e[6]), 0x66666666u },
    { 279, "SPRG7", FLD(sprg_e[7]), 0x77777777u },
};

static void test_spr_supervisor(void)
{
    Rig *r = rig_new();
    PpcCpu *c = &r->cpu;
    char ctx[160];
    for (size_t n = 0; n < ARRAY_SIZE(sup_sprs); n++) {
        const SupSpr *p = &sup_sprs[n];
        for (unsigned s = 0; s < ST_COUNT; s++) {
            bool user = s == ST_HV_USER || s == ST_GUEST_USER;
            snprintf(ctx, sizeof(ctx), "%s (%u) in %s", p->name, p->num, state_name[s]);
            c->msr = state_msr[s];
            field_set(c, p->off, p->size, 0);
            PpcStatus st = do_mt(c, p->num, p->wval);
            uint64_t v = 0xdead;
            if (user) {
                expect_trap(ctx, c, st, PPC_EXC_PROGRAM, SRR1_PROGRAM_PRIV);
                expect(ctx, "register untouched", field_get(c, p->off, p->size), 0);
                expect_trap(ctx, c, do_mf(c, p->num, &v), PPC_EXC_PROGRAM,
                            SRR1_PROGRAM_PRIV);
                continue;
            }
            expect(ctx, "mtspr status", st == PPC_NEXT || st == PPC_END, true);
            expect(ctx, "register", field_get(c, p->off, p->size), p->wval);
            expect(ctx, "mfspr status", do_mf(c, p->num, &v), PPC_NEXT);
            expect(ctx, "read back", v, p->wval);
        }
    }
    /* SPRG4-7 read from problem state through 260-263; no write there. */
    for (unsigned k = 4; k < 8; k++) {
        for (unsigned s = 0; s < ST_COUNT; s++) {
            snprintf(ctx, sizeof(ctx), "SPRG%u (%u) in %s", k, 256 + k, state_name[s]);
            c->msr = state_msr[s];
            c->sprg_e[k] = 0x1000u * k;
            uint64_t v = 0;
            expect(ctx, "mfspr status", do_mf(c, 256 + k, &v), PPC_NEXT);
            expect(ctx, "value", v, 0x1000u * k);
            expect_trap(ctx, c, do_mt(c, 256 + k, 1), PPC_EXC_PROGRAM, SRR1_PROGRAM_ILLEGAL);
        }
    }
    rig_free(r);
}

/* SPR numbers e500mc does not define (Book III-S ones among them): the Illegal
 * Instruction type Program interrupt (Book III-E 4.4.4). From problem state a
 * number with spr0 = 1 may give the Privileged Instruction type instead. */
static void test_spr_undefined(void)
{
    static const unsigned nums[] = { 0,   2,   3,   4,   5,   6,   7,   13,  18,  19,
                                     25,  29,  100, 136, 153, 200, 318, 349, 464, 512,
                                     780, 855, 896, 1000, 1022 };
    Rig *r = rig_new();
    PpcCpu *c = &r->cpu;
    char ctx[160];
    for (size_t n = 0; n < ARRAY_SIZE(nums); n++) {
        for (unsigned s = 0; s < ST_COUNT; s++) {
            bool user = s == ST_HV_USER || s == ST_GUEST_USER;
            c->msr = state_msr[s];
            for (unsigned dir = 0; dir < 2; dir++) {
                snprintf(ctx, sizeof(ctx), "%s of undefined SPR %u in %s",
                         dir ? "mtspr" : "mfspr", nums[n], state_name[s]);
                uint64_t v = 0xdead;
                PpcStatus st = dir ? do_mt(c, nums[n], 1) : do_mf(c, nums[n], &v);
                expect(ctx, "status", st, PPC_TRAP);
                expect(ctx, "interrupt", c->exc.kind, PPC_EXC_PROGRAM);
                bool ok = c->exc.srr1_bits == SRR1_PROGRAM_ILLEGAL ||
                          (user && (nums[n] & 0x10) && c->exc.srr1_bits == SRR1_PROGRAM_PRIV);
                expect(ctx, "illegal", ok, true);
                expect(ctx, "target untouched", v, 0xdead);
            }
        }
    }
    rig_free(r);
}

/* --- (d) through decoded instructions --- */

static PpcStatus exec_word(PpcCpu *c, const char *text, const char *name)
{
    PpcInsn in;
    ppc_decode(W(text), c->model->categories, &in);
    if (strcmp(op_name(in.op), name)) {
        fprintf(stderr, "'%s' decoded as %s, expected %s\n", text, op_name(in.op), name);
        unit_fail();
    }
    c->exc = (PpcException){ 0 };
    return in.fn(c, &in);
}

static void test_instructions(void)
{
    Rig *r = rig_new();
    PpcCpu *c = &r->cpu;
    vectors_init(c);

    /* mtspr/mfspr SRR0 in guest state: GSRR0. */
    regs_fill(c);
    c->msr = MSR_GS;
    c->nip = 0x3000;
    c->gpr[3] = 0xcafe0000u;
    CHECK_EQ(exec_word(c, "mtspr 26,3", "mtspr"), PPC_NEXT);
    CHECK_EQ(c->gsrr0, 0xcafe0000u);
    CHECK_EQ(c->srr0, 0x0bad0000u | (R_SRR0 << 8));
    c->gpr[3] = 0;
    CHECK_EQ(exec_word(c, "mfspr 3,26", "mfspr"), PPC_NEXT);
    CHECK_EQ(c->gpr[3], 0xcafe0000u);
    c->gpr[3] = 0x600;
    CHECK_EQ(exec_word(c, "mtspr 62,3", "mtspr"), PPC_NEXT);
    CHECK_EQ(c->gesr, 0x600);
    CHECK_EQ(c->esr, 0x0bad0000u | (R_ESR << 8));
    c->gpir = 7;
    c->pir = 0;
    CHECK_EQ(exec_word(c, "mfspr 3,286", "mfspr"), PPC_NEXT);
    CHECK_EQ(c->gpr[3], 7);
    c->gsprg[3] = 0x33;
    c->msr = MSR_GS | MSR_PR;
    CHECK_EQ(exec_word(c, "mfspr 3,259", "mfspr"), PPC_NEXT);
    CHECK_EQ(c->gpr[3], 0x33);

    /* mtspr IVPR from the guest: the embedded hypervisor privilege interrupt, delivered
     * to the hypervisor at IVOR41 with SRR0 at the mtspr and SRR1[GS] = 1. */
    c->msr = MSR_GS | MSR_EE | MSR_ME;
    c->gpr[3] = 0xffff0000u;
    CHECK_EQ(exec_word(c, "mtspr 63,3", "mtspr"), PPC_TRAP);
    CHECK_EQ(c->ivpr, IVPR_VAL);
    CHECK_EQ(c->exc.kind, PPC_EXC_EHPRIV);
    ppc_deliver(c);
    CHECK_EQ(c->nip, HV_VEC(BOOKE_IVOR_EHPRIV));
    CHECK_EQ(c->srr0, 0x3000);
    CHECK_EQ(c->srr1, MSR_GS | MSR_EE | MSR_ME);
    CHECK_EQ(c->msr, MSR_ME);
    c->msr = MSR_GS;
    c->gpr[3] = 0x1234;
    CHECK_EQ(exec_word(c, "mfspr 3,63", "mfspr"), PPC_TRAP);
    CHECK_EQ(c->exc.kind, PPC_EXC_EHPRIV);
    CHECK_EQ(c->gpr[3], 0x1234);
    CHECK_EQ(exec_word(c, "mtspr 378,3", "mtspr"), PPC_TRAP);
    CHECK_EQ(c->exc.kind, PPC_EXC_EHPRIV);
    CHECK_EQ(c->gsrr0, 0xcafe0000u);
    /* From the hypervisor the same mtspr works. */
    c->msr = 0;
    c->gpr[3] = 0xabcd0000u;
    CHECK_EQ(exec_word(c, "mtspr 63,3", "mtspr"), PPC_NEXT);
    CHECK_EQ(c->ivpr, 0xabcd0000u);
    c->ivpr = IVPR_VAL;

    /* sc from the guest: its own system call vector through GSRR0/1, SRR0 the next
     * instruction. */
    regs_fill(c);
    c->msr = MSR_GS | MSR_PR | MSR_EE;
    c->nip = 0x3000;
    CHECK_EQ(exec_word(c, "sc", "sc"), PPC_TRAP);
    ppc_deliver(c);
    CHECK_EQ(c->nip, GS_VEC(BOOKE_IVOR_SYSCALL));
    CHECK_EQ(c->gsrr0, 0x3004);
    CHECK_EQ(c->gsrr1, MSR_GS | MSR_PR | MSR_EE);
    CHECK_EQ(c->msr, MSR_GS);
    CHECK_EQ(c->srr0, 0x0bad0000u | (R_SRR0 << 8));
    /* sc 1 from the guest: the hypervisor's IVOR40 through SRR0/1. */
    regs_fill(c);
    c->msr = MSR_GS | MSR_EE;
    c->nip = 0x3000;
    CHECK_EQ(exec_word(c, "sc 1", "sc"), PPC_TRAP);
    ppc_deliver(c);
    CHECK_EQ(c->nip, HV_VEC(BOOKE_IVOR_HYPERCALL));
    CHECK_EQ(c->srr0, 0x3004);
    CHECK_EQ(c->srr1, MSR_GS | MSR_EE);
    CHECK_EQ(c->msr, 0);
    CHECK_EQ(c->gsrr0, 0x0bad0000u | (R_GSRR0 << 8));
    /* sc 1 from the hypervisor: IVOR40 too. */
    c->msr = MSR_EE;
    c->nip = 0x3000;
    CHECK_EQ(exec_word(c, "sc 1", "sc"), PPC_TRAP);
    ppc_deliver(c);
    CHECK_EQ(c->nip, HV_VEC(BOOKE_IVOR_HYPERCALL));
    /* sc from the hypervisor: IVOR8. */
    c->msr = MSR_EE;
    c->nip = 0x3000;
    CHECK_EQ(exec_word(c, "sc", "sc"), PPC_TRAP);
    ppc_deliver(c);
    CHECK_EQ(c->nip, HV_VEC(BOOKE_IVOR_SYSCALL));
    CHECK_EQ(c->srr0, 0x3004);

    /* ehpriv: always the embedded hypervisor privilege interrupt, SRR0 at the ehpriv. */
    for (unsigned s = 0; s < ST_COUNT; s++) {
        c->msr = state_msr[s];
        c->nip = 0x3000;
        CHECK_EQ(exec_word(c, "ehpriv", "ehpriv"), PPC_TRAP);
        CHECK_EQ(c->exc.kind, PPC_EXC_EHPRIV);
        ppc_deliver(c);
        CHECK_EQ(c->nip, HV_VEC(BOOKE_IVOR_EHPRIV));
        CHECK_EQ(c->srr0, 0x3000);
        CHECK_EQ(c->srr1, state_msr[s]);
    }

    /* rfi in guest state returns through GSRR0/GSRR1 and stays in guest state. */
    regs_fill(c);
    c->msr = MSR_GS;
    c->gsrr0 = 0x7000;
    c->gsrr1 = MSR_EE | MSR_PR;
    CHECK_EQ(exec_word(c, "rfi", "rfi"), PPC_JUMP);
    CHECK_EQ(c->nip, 0x7000);
    CHECK_EQ(c->msr, MSR_GS | MSR_EE | MSR_PR);
    /* rfi in hypervisor state: SRR0/SRR1, which may enter guest state. */
    c->msr = 0;
    c->srr0 = 0x7100;
    c->srr1 = MSR_GS | MSR_EE;
    CHECK_EQ(exec_word(c, "rfi", "rfi"), PPC_JUMP);
    CHECK_EQ(c->nip, 0x7100);
    CHECK_EQ(c->msr, MSR_GS | MSR_EE);
    /* rfgi: the hypervisor enters the guest from GSRR0/GSRR1; the guest may not. */
    c->msr = 0;
    c->gsrr0 = 0x7200;
    c->gsrr1 = MSR_EE;
    CHECK_EQ(exec_word(c, "rfgi", "rfgi"), PPC_JUMP);
    CHECK_EQ(c->nip, 0x7200);
    CHECK_EQ(c->msr, MSR_GS | MSR_EE);
    c->nip = 0x3000;
    CHECK_EQ(exec_word(c, "rfgi", "rfgi"), PPC_TRAP);
    CHECK_EQ(c->exc.kind, PPC_EXC_EHPRIV);
    c->msr = MSR_GS | MSR_PR;
    CHECK_EQ(exec_word(c, "rfgi", "rfgi"), PPC_TRAP);
    CHECK_EQ(c->exc.kind, PPC_EXC_PROGRAM);
    CHECK_EQ(c->exc.srr1_bits, SRR1_PROGRAM_PRIV);
    rig_free(r);
}

int main(void)
{
    test_routing();
    test_computation_mode();
    test_external_proxy();
    test_async();
    test_spr_aliases();
    test_spr_hypervisor_only();
    test_spr_supervisor();
    test_spr_undefined();
    test_instructions();
    return unit_summary("test_booke");
}
