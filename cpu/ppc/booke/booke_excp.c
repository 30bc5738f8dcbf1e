/* cpu/ppc/booke/booke_excp.c: the interrupt router of Book III-E with category E.HV (Power
 * ISA v2.06B Book III-E chapter 7 "Interrupts and Exceptions": 7.2 "Interrupt Registers",
 * 7.4 "Interrupt Classes", 7.5 "Interrupt Processing", 7.6 "Interrupt Definitions" with
 * the guest-state rules of E.HV, 7.9 "Interrupt Priorities"; chapter 8 "Timer Facilities"
 * for the decrementer, fixed-interval timer and watchdog; e500mc Reference Manual chapter
 * 4 "Interrupts and Exceptions"). Semantic functions describe an interrupt in c->exc; this
 * file decides where it goes:
 *   - to the guest (MSR[GS] stays 1) through GSRR0/GSRR1, GESR, GDEAR and GIVPR|GIVORn:
 *     system calls from guest state always, data/instruction storage and TLB errors when
 *     EPCR[DSIGS]/[ISIGS]/[DTLBGS]/[ITLBGS] say so, external input with EPCR[EXTGS];
 *   - to the hypervisor (MSR[GS] = 0) through SRR0/SRR1 (CSRR for the critical class,
 *     MCSRR for machine check, DSRR for debug, GSRR for the guest doorbell), ESR, DEAR and
 *     IVPR|IVORn: everything else, including `sc 1` (IVOR40) and the embedded hypervisor
 *     privilege interrupt (IVOR41) from guest state. SRR1[GS] tells the hypervisor where
 *     the interrupt came from (seed 001: KVM's DO_KVM dispatches on it).
 * When the machine is the hypervisor (PpcCore.vhyp, `-M e500,hv=on`), an interrupt for the
 * hypervisor taken from guest state goes to PpcCore.hv_exit instead of a vector. */
#include "cpu/ppc/booke/booke.h"

/* The interrupt classes of 7.4: which save/restore pair and which MSR bits survive. */
typedef enum BookeClass {
    CLASS_BASE,       /* SRR0/SRR1; CE, ME, DE kept */
    CLASS_CRITICAL,   /* CSRR0/CSRR1; ME kept */
    CLASS_MCHECK,     /* MCSRR0/MCSRR1; nothing kept */
    CLASS_DEBUG,      /* DSRR0/DSRR1; CE, ME kept */
    CLASS_GUEST_BASE, /* GSRR0/GSRR1 although taken in the hypervisor (guest doorbell) */
} BookeClass;

typedef struct BookeExc {
    uint8_t ivor;
    uint8_t cls;          /* BookeClass */
    uint32_t guest_epcr;  /* EPCR bit that sends it to the guest from guest state */
    bool guest_always;    /* goes to the guest from guest state whatever EPCR says */
    bool sets_esr;        /* ESR (GESR) is written */
    bool sets_dear;       /* DEAR (GDEAR) is written */
    const char *name;
} BookeExc;

static const BookeExc booke_exc[PPC_EXC_COUNT] = {
    [PPC_EXC_CRITICAL] = { BOOKE_IVOR_CRITICAL, CLASS_CRITICAL, 0, false, false, false,
                           "critical input" },
    [PPC_EXC_MACHINE_CHECK] = { BOOKE_IVOR_MACHINE_CHECK, CLASS_MCHECK, 0, false, false,
                                false, "machine check" },
    [PPC_EXC_DSI] = { BOOKE_IVOR_DSI, CLASS_BASE, EPCR_DSIGS, false, true, true,
                      "data storage" },
    [PPC_EXC_ISI] = { BOOKE_IVOR_ISI, CLASS_BASE, EPCR_ISIGS, false, true, false,
                      "instruction storage" },
    [PPC_EXC_EXTERNAL] = { BOOKE_IVOR_EXTERNAL, CLASS_BASE, EPCR_EXTGS, false, false, false,
                           "external input" },
    [PPC_EXC_ALIGNMENT] = { BOOKE_IVOR_ALIGNMENT, CLASS_BASE, 0, false, true, true,
                            "alignment" },
    [PPC_EXC_PROGRAM] = { BOOKE_IVOR_PROGRAM, CLASS_BASE, 0, false, true, false, "program" },
    [PPC_EXC_FP_UNAVAIL] = { BOOKE_IVOR_FP_UNAVAIL, CLASS_BASE, 0, false, false, false,
                             "floating-point unavailable" },
    [PPC_EXC_SYSCALL] = { BOOKE_IVOR_SYSCALL, CLASS_BASE, 0, true, false, false,
                          "system call" },
    [PPC_EXC_DECREMENTER] = { BOOKE_IVOR_DECREMENTER, CLASS_BASE, 0, false, false, false,
                              "decrementer" },
    [PPC_EXC_FIT] = { BOOKE_IVOR_FIT, CLASS_BASE, 0, false, false, false,
                      "fixed-interval timer" },
    [PPC_EXC_WATCHDOG] = { BOOKE_IVOR_WATCHDOG, CLASS_CRITICAL, 0, false, false, false,
                           "watchdog" },
    [PPC_EXC_DATA_TLB] = { BOOKE_IVOR_DTLB, CLASS_BASE, EPCR_DTLBGS, false, true, true,
                           "data TLB error" },
    [PPC_EXC_INSN_TLB] = { BOOKE_IVOR_ITLB, CLASS_BASE, EPCR_ITLBGS, false, true, false,
                           "instruction TLB error" },
    [PPC_EXC_DEBUG] = { BOOKE_IVOR_DEBUG, CLASS_DEBUG, 0, false, false, false, "debug" },
    [PPC_EXC_PERF_MONITOR] = { BOOKE_IVOR_PERF_MONITOR, CLASS_BASE, 0, false, false, false,
                               "performance monitor" },
    [PPC_EXC_DOORBELL] = { BOOKE_IVOR_DOORBELL, CLASS_BASE, 0, false, false, false,
                           "processor doorbell" },
    [PPC_EXC_DOORBELL_CRIT] = { BOOKE_IVOR_DOORBELL_CRIT, CLASS_CRITICAL, 0, false, false,
                                false, "processor doorbell critical" },
    [PPC_EXC_GUEST_DOORBELL] = { BOOKE_IVOR_GUEST_DOORBELL, CLASS_GUEST_BASE, 0, false,
                                 false, false, "guest processor doorbell" },
    [PPC_EXC_GUEST_DOORBELL_CRIT] = { BOOKE_IVOR_GUEST_DOORBELL_CRIT, CLASS_CRITICAL, 0,
                                      false, false, false,
                                      "guest processor doorbell critical" },
    /* Shares IVOR39 and CSRR0/CSRR1 with the critical one; the handler tells them apart
     * by CSRR1[CE]/[ME] (A2 User's Manual 7.6.22). */
    [PPC_EXC_GUEST_DOORBELL_MC] = { BOOKE_IVOR_GUEST_DOORBELL_CRIT, CLASS_CRITICAL, 0, false,
                                    false, false, "guest processor doorbell machine check" },
    [PPC_EXC_HYPERCALL] = { BOOKE_IVOR_HYPERCALL, CLASS_BASE, 0, false, false, false,
                            "hypervisor system call" },
    [PPC_EXC_EHPRIV] = { BOOKE_IVOR_EHPRIV, CLASS_BASE, 0, false, true, false,
                         "embedded hypervisor privilege" },
};

static void log_interrupt(PpcCpu *c, const BookeExc *x, bool to_guest, uint64_t from,
                          uint64_t to)
{
    PpcCore *core = ppc_core(c);
    if (!core->log || !(core->log_mask & PPC_LOG_INT))
        return;
    fprintf(core->log, "cpu%u: interrupt %s%s at 0x%08llx (msr 0x%08llx) -> 0x%08llx",
            c->index, to_guest ? "(guest) " : "", x->name, (unsigned long long)from,
            (unsigned long long)c->msr, (unsigned long long)to);
    if (x->sets_dear)
        fprintf(core->log, " dear 0x%08llx", (unsigned long long)c->exc.dar);
    if (x->sets_esr)
        fprintf(core->log, " esr 0x%08llx", (unsigned long long)c->exc.srr1_bits);
    fputc('\n', core->log);
}

/* 7.6 with E.HV: does the interrupt go to the guest? Only from guest state, and only the
 * kinds the guest owns (the EPCR bits; a DSI caused by a virtualization fault belongs to
 * the hypervisor). */
static bool to_guest(const PpcCpu *c, const BookeExc *x)
{
    if (!(c->model->categories & PPC_CAT_EHV) || !booke_guest(c))
        return false;
    if (c->exc.kind == PPC_EXC_DSI && c->exc.vf)
        return false;
    return x->guest_always || (x->guest_epcr && (c->epcr & x->guest_epcr));
}

static const char *epcr_bit_name(uint32_t bit)
{
    switch (bit) {
    case EPCR_EXTGS: return "EXTGS";
    case EPCR_DTLBGS: return "DTLBGS";
    case EPCR_ITLBGS: return "ITLBGS";
    case EPCR_DSIGS: return "DSIGS";
    case EPCR_ISIGS: return "ISIGS";
    default: return "?";
    }
}

/* -d ehv: why an interrupt taken in guest state goes where it goes (7.6 with E.HV). */
static void log_route(PpcCpu *c, const BookeExc *x, bool guest, bool to_hvemu)
{
    PpcCore *core = ppc_core(c);
    char why[64];
    if (c->exc.kind == PPC_EXC_DSI && c->exc.vf)
        snprintf(why, sizeof(why), "virtualization fault (VF): the hypervisor's");
    else if (x->guest_always)
        snprintf(why, sizeof(why), "always the guest's");
    else if (x->guest_epcr)
        snprintf(why, sizeof(why), "EPCR[%s]=%d", epcr_bit_name(x->guest_epcr),
                 (c->epcr & x->guest_epcr) != 0);
    else
        snprintf(why, sizeof(why), "always the hypervisor's");
    if (guest)
        fprintf(core->log, "cpu%u: ehv: %s in guest state (LPIDR %u): %s -> guest GIVOR%u, "
                "GSRR0/1, GS stays 1\n", c->index, x->name, (unsigned)c->lpidr, why, x->ivor);
    else if (to_hvemu)
        fprintf(core->log, "cpu%u: ehv: %s in guest state (LPIDR %u): %s -> hvemu's "
                "hypervisor\n", c->index, x->name, (unsigned)c->lpidr, why);
    else
        fprintf(core->log, "cpu%u: ehv: %s in guest state (LPIDR %u): %s -> hypervisor "
                "IVOR%u, GS 1->0\n", c->index, x->name, (unsigned)c->lpidr, why, x->ivor);
}

void booke_deliver(PpcCpu *c)
{
    PpcCore *core = ppc_core(c);
    PpcException *e = &c->exc;
    uint64_t from = c->nip;
    uint64_t srr0 = e->nip_set ? e->nip : c->nip;

    /* 1. sc LEV = 1 is the hypervisor system call (E.HV), sc LEV = 0 a system call. */
    if (e->kind == PPC_EXC_SYSCALL && e->srr1_bits == 1 &&
        (c->model->categories & PPC_CAT_EHV))
        e->kind = PPC_EXC_HYPERCALL;
    if (e->kind == PPC_EXC_SYSCALL || e->kind == PPC_EXC_HYPERCALL)
        e->srr1_bits = 0;
    if (e->kind == PPC_EXC_ALIGNMENT)
        e->srr1_bits = e->store ? ESR_ST : 0;
    /* The shared semantic functions give Program reasons as Book III-S SRR1 bits; Book
     * III-E reports them in ESR. */
    if (e->kind == PPC_EXC_PROGRAM) {
        uint64_t b = e->srr1_bits;
        e->srr1_bits = ((b & SRR1_PROGRAM_ILLEGAL) ? ESR_PIL : 0) |
                       ((b & SRR1_PROGRAM_PRIV) ? ESR_PPR : 0) |
                       ((b & SRR1_PROGRAM_TRAP) ? ESR_PTR : 0) |
                       ((b & SRR1_PROGRAM_FP) ? ESR_FP : 0);
    }
    if (e->kind >= PPC_EXC_COUNT || !booke_exc[e->kind].name) {
        fprintf(stderr, "hvemu: cpu%u: interrupt kind %u has no Book III-E vector\n", c->index,
                e->kind);
        core->fatal = true;
        c->stopped = true;
        return;
    }
    const BookeExc *x = &booke_exc[e->kind];
    bool guest = to_guest(c, x);
    if (unlikely(core->log_mask & PPC_LOG_EHV) && booke_guest(c))
        log_route(c, x, guest, !guest && core->vhyp && core->hv_exit);

    /* 2. A guest of the machine's own hypervisor: what the hypervisor gets, it handles in
     *    C (hypervisor/epapr), which emulates it or reflects it into the guest with
     *    booke_reflect. */
    if (!guest && core->vhyp && booke_guest(c) && core->hv_exit) {
        c->nip = srr0;
        core->hv_exit(core->hcall_opaque, c);
        e->kind = PPC_EXC_NONE;
        return;
    }

    /* 3. Save the context. */
    uint64_t msr_old = c->msr;
    if (guest) {
        c->gsrr0 = srr0;
        c->gsrr1 = msr_old;
        if (x->sets_esr)
            c->gesr = (uint32_t)e->srr1_bits;
        if (x->sets_dear)
            c->gdear = e->dar;
    } else {
        switch ((BookeClass)x->cls) {
        case CLASS_BASE:
            c->srr0 = srr0;
            c->srr1 = msr_old;
            break;
        case CLASS_CRITICAL:
            c->csrr0 = srr0;
            c->csrr1 = msr_old;
            break;
        case CLASS_MCHECK:
            c->mcsrr0 = srr0;
            c->mcsrr1 = msr_old;
            c->mcar = e->dar;
            break;
        case CLASS_DEBUG:
            c->dsrr0 = srr0;
            c->dsrr1 = msr_old;
            break;
        case CLASS_GUEST_BASE:
            c->gsrr0 = srr0;
            c->gsrr1 = msr_old;
            break;
        }
        if (x->sets_esr)
            c->esr = (uint32_t)e->srr1_bits;
        if (x->sets_dear)
            c->dear = e->dar;
    }

    /* 4. The external proxy (e500mc with the PIC's coreint): taking an external input
     *    acknowledges it at the interrupt controller and leaves the vector in EPR. */
    if (e->kind == PPC_EXC_EXTERNAL && core->ext_ack) {
        uint32_t vec = core->ext_ack(core->ext_ack_opaque, c->index);
        if (guest)
            c->gepr = vec;
        else
            c->epr = vec;
    }

    /* 5. The new MSR (7.6 per interrupt): the class keeps CE/ME/DE as 7.4 says, the
     *    guest's protected bits (MSRP) stay, CM comes from EPCR[ICM] or [GICM], GS stays
     *    1 only for the guest. */
    uint64_t keep;
    switch ((BookeClass)x->cls) {
    case CLASS_CRITICAL: keep = MSR_ME; break;
    case CLASS_MCHECK: keep = 0; break;
    case CLASS_DEBUG: keep = MSR_CE | MSR_ME; break;
    default: keep = MSR_CE | MSR_ME | MSR_DE; break;
    }
    uint64_t msr = msr_old & keep;
    if (guest) {
        msr |= MSR_GS;
        if (c->msrp & 0x04000000u) msr |= msr_old & MSR_UCLE;
        if (c->msrp & 0x00000200u) msr = (msr & ~MSR_DE) | (msr_old & MSR_DE);
        if (c->msrp & 0x00000004u) msr |= msr_old & MSR_PMM;
    }
    if (c->epcr & (guest ? EPCR_GICM : EPCR_ICM))
        msr |= MSR_CM;

    /* 6. The vector: IVPR bits 0:47 with IVORn bits 48:59 (GIVPR/GIVORn for the guest). */
    uint64_t vector = guest ? ((c->givpr & ~0xffffULL) | (c->givor[x->ivor & 15] & 0xfff0))
                            : ((c->ivpr & ~0xffffULL) | (c->ivor[x->ivor] & 0xfff0));
    if (!(msr & MSR_CM))
        vector = (uint32_t)vector;

    log_interrupt(c, x, guest, from, vector);
    if ((msr ^ msr_old) & (MSR_GS | MSR_PR | MSR_IS | MSR_DS))
        c->tb_dirty = true;
    if ((msr ^ msr_old) & MSR_GS)
        booke_tlb_changed(c);
    c->msr = msr;
    c->nip = vector;
    c->resv_addr = ~0ULL;
    e->kind = PPC_EXC_NONE;
}

const char *booke_exc_name(unsigned kind)
{
    return kind < PPC_EXC_COUNT && booke_exc[kind].name ? booke_exc[kind].name : "?";
}

unsigned booke_exc_ivor(unsigned kind)
{
    return kind < PPC_EXC_COUNT && booke_exc[kind].name ? booke_exc[kind].ivor : 0;
}

/* A hypervisor's reflection of interrupt e into its guest, as the guest's own IVORs
 * would have taken it: the class's save/restore pair (GSRR0/GSRR1 for the base class,
 * which the guest reaches as SRR0/SRR1; CSRR, MCSRR, DSRR otherwise), GESR/GDEAR, the new
 * MSR in guest state. `from` is the interrupted guest PC. */
void booke_reflect(PpcCpu *c, const PpcException *e, uint64_t from, uint64_t vector)
{
    const BookeExc *x = &booke_exc[e->kind < PPC_EXC_COUNT ? e->kind : 0];
    uint64_t msr_old = c->msr;
    uint64_t keep = MSR_CE | MSR_ME | MSR_DE;
    switch (x->name ? (BookeClass)x->cls : CLASS_BASE) {
    case CLASS_CRITICAL:
        c->csrr0 = from;
        c->csrr1 = msr_old;
        keep = MSR_ME;
        break;
    case CLASS_MCHECK:
        c->mcsrr0 = from;
        c->mcsrr1 = msr_old;
        c->mcar = e->dar;
        keep = 0;
        break;
    case CLASS_DEBUG:
        c->dsrr0 = from;
        c->dsrr1 = msr_old;
        keep = MSR_CE | MSR_ME;
        break;
    default:
        c->gsrr0 = from;
        c->gsrr1 = msr_old;
        if (x->sets_esr)
            c->gesr = (uint32_t)e->srr1_bits;
        if (x->sets_dear)
            c->gdear = e->dar;
        break;
    }
    if (x->name)
        log_interrupt(c, x, true, from, vector);
    c->msr = (msr_old & keep) | MSR_GS;
    c->nip = (uint32_t)vector;
    c->resv_addr = ~0ULL;
    c->tb_dirty = true;
}

void booke_cpu_enter_guest(PpcCpu *c, uint32_t lpid, uint32_t epcr)
{
    c->lpidr = lpid;
    c->epcr = epcr;
    c->gpir = (uint32_t)c->pir;
    for (unsigned n = 0; n < BOOKE_TLB1_ENTRIES; n++)
        if (c->btlb.tlb1[n].mas1 & MAS1_V)
            c->btlb.tlb1[n].mas8 = MAS8_TGS | (lpid & MAS8_TLPID);
    for (unsigned n = 0; n < BOOKE_TLB0_ENTRIES; n++)
        if (c->btlb.tlb0[n].mas1 & MAS1_V)
            c->btlb.tlb0[n].mas8 = MAS8_TGS | (lpid & MAS8_TLPID);
    c->msr |= MSR_GS;
    booke_tlb_changed(c);
}

/* --- Asynchronous interrupts (7.9 "Interrupt Priorities", e500mc RM 4.11: critical
 * class first; then external input, fixed-interval timer, decrementer, doorbells) --- */

/* Interrupts the hypervisor owns are enabled in guest state whatever MSR[EE]/[CE] say
 * (E.HV 7.5: guest state cannot mask them). When the machine is the hypervisor, it would
 * only reflect them into the guest, so it takes them when the guest would (the guest
 * doorbell KVM arms for the same purpose). */
static bool hv_enabled(const PpcCpu *c, uint64_t bit)
{
    if (ppc_core(c)->vhyp)
        return (c->msr & bit) != 0;
    return (c->msr & bit) || booke_guest(c);
}

static bool raise_async(PpcCpu *c, unsigned kind)
{
    c->exc = (PpcException){ .kind = kind };
    booke_deliver(c);
    return true;
}

bool booke_take_async(PpcCpu *c)
{
    uint32_t irqs = c->booke_irqs;
    bool guest = booke_guest(c);
    if (c->ext_pending || c->dec_pending || irqs)
        c->waiting = false;
    /* Critical class first. */
    if ((irqs & BOOKE_IRQ_CRITICAL) && hv_enabled(c, MSR_CE))
        return raise_async(c, PPC_EXC_CRITICAL);
    if ((irqs & BOOKE_IRQ_WDT) && hv_enabled(c, MSR_CE))
        return raise_async(c, PPC_EXC_WATCHDOG);
    if ((irqs & BOOKE_IRQ_DBELL_CRIT) && hv_enabled(c, MSR_CE)) {
        c->booke_irqs &= ~BOOKE_IRQ_DBELL_CRIT;
        return raise_async(c, PPC_EXC_DOORBELL_CRIT);
    }
    if ((irqs & BOOKE_IRQ_G_DBELL_MC) && guest && (c->msr & MSR_ME)) {
        c->booke_irqs &= ~BOOKE_IRQ_G_DBELL_MC;
        return raise_async(c, PPC_EXC_GUEST_DOORBELL_MC);
    }
    if ((irqs & BOOKE_IRQ_G_DBELL_CRIT) && guest && (c->msr & MSR_CE)) {
        c->booke_irqs &= ~BOOKE_IRQ_G_DBELL_CRIT;
        return raise_async(c, PPC_EXC_GUEST_DOORBELL_CRIT);
    }
    /* Then the base class. */
    if (c->ext_pending) {
        bool ext_guest = (c->epcr & EPCR_EXTGS) != 0;
        if (ext_guest ? guest && (c->msr & MSR_EE) : hv_enabled(c, MSR_EE))
            return raise_async(c, PPC_EXC_EXTERNAL);
    }
    if ((irqs & BOOKE_IRQ_FIT) && hv_enabled(c, MSR_EE))
        return raise_async(c, PPC_EXC_FIT);
    if (c->dec_pending && hv_enabled(c, MSR_EE))
        return raise_async(c, PPC_EXC_DECREMENTER);
    if ((irqs & BOOKE_IRQ_DBELL) && hv_enabled(c, MSR_EE)) {
        c->booke_irqs &= ~BOOKE_IRQ_DBELL;
        return raise_async(c, PPC_EXC_DOORBELL);
    }
    if ((irqs & BOOKE_IRQ_G_DBELL) && guest && (c->msr & MSR_EE)) {
        c->booke_irqs &= ~BOOKE_IRQ_G_DBELL;
        return raise_async(c, PPC_EXC_GUEST_DOORBELL);
    }
    return false;
}

bool booke_wakeup_pending(const PpcCpu *c)
{
    return c->ext_pending || c->dec_pending || c->booke_irqs;
}

/* --- Timer facilities (chapter 8) ---
 * The time base runs from the virtual clock (ppc_exec.c). DEC counts down at the time
 * base rate: it is dec_deadline - TB while that is positive. Reaching zero sets TSR[DIS]
 * and, with TCR[ARE], reloads DECAR; without it DEC stays 0. The fixed-interval timer and
 * the watchdog set TSR[FIS] / advance the watchdog state when the time-base bit TCR[FP]
 * (TCR[WP]) selects goes from 0 to 1. */

static uint64_t tb_now(const PpcCpu *c)
{
    return ppc_timebase(c);
}

uint32_t booke_dec_read(const PpcCpu *c)
{
    int64_t left = (int64_t)(c->dec_deadline - tb_now(c));
    return left > 0 ? (uint32_t)(left > 0xffffffffLL ? 0xffffffffu : left) : 0;
}

void booke_dec_write(PpcCpu *c, uint32_t v)
{
    /* DEC = 0 written stops the decrementer without an interrupt (8.3). */
    c->dec_deadline = v ? tb_now(c) + v : 0;
    booke_timers_update(c);
}

/* The time-base bit (ISA numbering 0:63, 0 the most significant) a TCR period field
 * selects: e500mc extends the 2-bit field with 4 more bits (TCR[WPEXT]/[FPEXT]) and the
 * 6-bit value ext || field is the bit number. */
static unsigned period_bit(uint32_t tcr, bool watchdog)
{
    unsigned fp = watchdog ? (tcr & TCR_WP) >> 30 : (tcr & TCR_FP) >> 24;
    unsigned ext = watchdog ? (tcr & TCR_WPEXT) >> 17 : (tcr & TCR_FPEXT) >> 13;
    return (ext << 2) | fp;
}

/* The next time-base value at which bit b goes from 0 to 1. */
static uint64_t next_rise(uint64_t tb, unsigned b)
{
    unsigned shift = 63 - b;
    uint64_t period = shift >= 63 ? ~0ULL : 1ULL << (shift + 1);
    uint64_t half = shift >= 63 ? 1ULL << 63 : 1ULL << shift;
    uint64_t base = tb & ~(period - 1);
    uint64_t t = base + half;
    return t > tb ? t : t + period;
}

static void arm_at_tb(PpcCpu *c, VTimer *t, uint64_t tb_target)
{
    PpcCore *core = ppc_core(c);
    uint64_t ticks = tb_target - c->tb_offset;
    unsigned __int128 ns = ((unsigned __int128)ticks * 1000000000u + core->tb_freq - 1) /
                           core->tb_freq;
    vtimer_arm(core->clock, t, ns > UINT64_MAX ? UINT64_MAX : (uint64_t)ns);
}

static void sync_levels(PpcCpu *c)
{
    c->dec_pending = (c->tsr & TSR_DIS) && (c->tcr & TCR_DIE);
    uint32_t irqs = c->booke_irqs & ~(BOOKE_IRQ_FIT | BOOKE_IRQ_WDT);
    if ((c->tsr & TSR_FIS) && (c->tcr & TCR_FIE))
        irqs |= BOOKE_IRQ_FIT;
    if ((c->tsr & TSR_WIS) && (c->tcr & TCR_WIE))
        irqs |= BOOKE_IRQ_WDT;
    c->booke_irqs = irqs;
    if (c->dec_pending || (irqs & (BOOKE_IRQ_FIT | BOOKE_IRQ_WDT)))
        c->waiting = false;
}

static void timers_update_at(PpcCpu *c, uint64_t tb);

void booke_timers_update(PpcCpu *c)
{
    if (ppc_core(c))
        timers_update_at(c, tb_now(c));
}

/* The time base at virtual time `now` (a timer callback runs outside the thread's
 * quantum, where ppc_timebase's instruction count does not apply). */
static uint64_t tb_at(const PpcCpu *c, uint64_t now)
{
    const PpcCore *core = ppc_core(c);
    return (uint64_t)((unsigned __int128)now * core->tb_freq / 1000000000u) + c->tb_offset;
}

static void timers_update_at(PpcCpu *c, uint64_t tb)
{
    PpcCore *core = ppc_core(c);
    /* Decrementer: fire as many reloads as have passed (ARE), or once. */
    if (c->dec_deadline && (int64_t)(c->dec_deadline - tb) <= 0) {
        c->tsr |= TSR_DIS;
        if ((c->tcr & TCR_ARE) && c->decar) {
            uint64_t late = tb - c->dec_deadline;
            c->dec_deadline += (late / c->decar + 1) * (uint64_t)c->decar;
        } else {
            c->dec_deadline = 0;
        }
    }
    if (c->dec_deadline)
        arm_at_tb(c, &c->dec_timer, c->dec_deadline);
    else
        vtimer_disarm(core->clock, &c->dec_timer);
    sync_levels(c);
}

static void fit_fire(void *opaque, uint64_t now)
{
    PpcCpu *c = opaque;
    c->tsr |= TSR_FIS;
    arm_at_tb(c, &c->fit_timer, next_rise(tb_at(c, now), period_bit(c->tcr, false)));
    sync_levels(c);
}

/* Watchdog time-out (8.5, figure "Watchdog State Machine"): ENW = 0: set ENW; ENW = 1,
 * WIS = 0: set WIS (the interrupt); both set: the reset action TCR[WRC] names, recorded
 * in TSR[WRS] (the machine resets when WRC != 0). */
static void wdt_fire(void *opaque, uint64_t now)
{
    PpcCpu *c = opaque;
    if (!(c->tsr & TSR_ENW)) {
        c->tsr |= TSR_ENW;
    } else if (!(c->tsr & TSR_WIS)) {
        c->tsr |= TSR_WIS;
    } else if (c->tcr & TCR_WRC) {
        c->tsr = (c->tsr & ~TSR_WRS) | ((c->tcr & TCR_WRC));
        PpcCore *core = ppc_core(c);
        if (core->reset_request)
            core->reset_request(core->reset_opaque);
    }
    arm_at_tb(c, &c->wdt_timer, next_rise(tb_at(c, now), period_bit(c->tcr, true)));
    sync_levels(c);
}

/* TCR changed: the FIT and watchdog periods. Both run whatever the enable bits say
 * (TSR[FIS] and the watchdog states advance on their own; the bits only gate the
 * interrupts); bit 0, the reset value, rises once in 2^64 ticks. */
static void periodic_update(PpcCpu *c)
{
    uint64_t tb = tb_now(c);
    arm_at_tb(c, &c->fit_timer, next_rise(tb, period_bit(c->tcr, false)));
    arm_at_tb(c, &c->wdt_timer, next_rise(tb, period_bit(c->tcr, true)));
}

void booke_tcr_written(PpcCpu *c)
{
    if (!ppc_core(c))
        return;
    periodic_update(c);
    booke_timers_update(c);
}

static void dec_fire(void *opaque, uint64_t now)
{
    timers_update_at(opaque, tb_at(opaque, now));
}

void booke_cpu_reset(PpcCpu *c)
{
    vtimer_init(&c->dec_timer, dec_fire, c);
    vtimer_init(&c->fit_timer, fit_fire, c);
    vtimer_init(&c->wdt_timer, wdt_fire, c);
    c->dec_deadline = 0;
    c->msr = 0;
    c->mas.mas4 = 0;
    c->svr = 0;
    c->gpir = c->pir;
    c->l1csr[0] = c->l1csr[1] = 0;
}

void booke_cpu_epapr_start(PpcCpu *c, uint64_t entry, uint64_t r3, uint64_t map_base,
                           uint64_t map_size)
{
    unsigned tsize = 2; /* 4 KiB << 2k */
    while (tsize < 22 && (1024ULL << tsize) < map_size)
        tsize += 2;
    uint64_t size = 1024ULL << tsize;
    uint64_t base = map_base & ~(size - 1);
    BookeMas m = {
        .mas0 = (1u << MAS0_TLBSEL_SHIFT) | (0u << MAS0_ESEL_SHIFT),
        .mas1 = MAS1_V | MAS1_IPROT | (tsize << MAS1_TSIZE_SHIFT),
        .mas2 = base & MAS2_EPN,
        .mas3 = (uint32_t)(base & MAS3_RPN) | MAS3_SX | MAS3_SW | MAS3_SR,
        .mas7 = (uint32_t)(base >> 32) & MAS7_RPN,
    };
    booke_tlbwe(&c->btlb, &m);
    booke_tlb_changed(c);
    for (unsigned n = 0; n < 32; n++)
        c->gpr[n] = 0;
    c->gpr[1] = 0;
    c->gpr[3] = r3;
    c->gpr[6] = 0x45504150; /* ePAPR magic */
    c->gpr[7] = size;
    c->msr = 0;
    c->nip = entry;
    c->stopped = false;
    c->waiting = false;
    c->tb_dirty = true;
}
