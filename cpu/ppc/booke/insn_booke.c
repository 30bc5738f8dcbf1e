/* cpu/ppc/booke/insn_booke.c: the Book III-E instructions outside storage control (Power
 * ISA v2.06B Book III-E: 4.3 "Processor Control" with mtmsr, wrtee, wrteei; 7.5
 * "Interrupt Processing" with the rfi family and E.HV's rfgi; 4.4 and chapter 11
 * "Processor Control" for msgsnd/msgclr and the doorbell message types; E.HV's ehpriv;
 * Book II 4.6 wait; the e500mc performance monitor's mfpmr/mtpmr (e500mc Reference Manual
 * 9.x)). Guest state (MSR[GS] = 1) limits them as E.HV says: rfi returns through
 * GSRR0/GSRR1, the guest cannot leave guest state nor change the bits MSRP protects, and
 * the instructions of the hypervisor (rfci, rfmci, rfdi, msgsnd, msgclr) raise the
 * embedded hypervisor privilege interrupt. */
#include "cpu/ppc/booke/booke.h"
#include "cpu/ppc/ppc_decode.h"

#define RS (c->gpr[i->rt])

/* The MSR bits an e500mc implements (Book III-E 4.2.1 with e500mc RM 2.7.1). */
#define MSR_E500MC (MSR_GS | MSR_UCLE | MSR_WE | MSR_CE | MSR_EE | MSR_PR | MSR_FP | MSR_ME | \
                    MSR_FE0 | MSR_DE | MSR_FE1 | MSR_IS | MSR_DS | MSR_PMM)

static PpcStatus privileged(PpcCpu *c)
{
    return (c->msr & MSR_PR) ? ppc_privileged(c) : PPC_NEXT;
}

static PpcStatus hv_privileged(PpcCpu *c)
{
    if (c->msr & MSR_PR)
        return ppc_privileged(c);
    if (booke_guest(c))
        return ppc_raise(c, PPC_EXC_EHPRIV, 0);
    return PPC_NEXT;
}

/* The MSRP-protected bits: a guest's write leaves them as they are. */
static uint64_t msrp_mask(const PpcCpu *c)
{
    uint64_t m = 0;
    if (c->msrp & 0x04000000u) m |= MSR_UCLE;
    if (c->msrp & 0x00000200u) m |= MSR_DE;
    if (c->msrp & 0x00000004u) m |= MSR_PMM;
    return m;
}

/* Installs a new MSR value. Guest state keeps MSR[GS] = 1 and the protected bits;
 * a change of GS, PR or the address spaces takes effect for the next fetch. */
static void set_msr(PpcCpu *c, uint64_t v)
{
    uint64_t old = c->msr;
    v &= MSR_E500MC;
    if (booke_guest(c)) {
        uint64_t keep = msrp_mask(c);
        v = (v & ~keep) | (old & keep) | MSR_GS;
    }
    c->msr = v;
    if ((v ^ old) & MSR_GS)
        booke_tlb_changed(c);
}

static PpcStatus return_from(PpcCpu *c, uint64_t nip, uint64_t msr)
{
    uint64_t old = c->msr;
    set_msr(c, msr);
    c->nip = ppc_ea(c, nip & ~3ULL);
    PpcCore *core = ppc_core(c);
    if (unlikely(core->log_mask & PPC_LOG_EHV) && ((old ^ c->msr) & MSR_GS))
        fprintf(core->log, "cpu%u: ehv: return into guest state (GS 0->1, LPIDR %u) at 0x%08llx\n",
                c->index, (unsigned)c->lpidr, (unsigned long long)c->nip);
    return PPC_JUMP;
}

PpcStatus ppc_exec_rfi(PpcCpu *c, const PpcInsn *i)
{
    PpcStatus st = privileged(c);
    if (st != PPC_NEXT)
        return st;
    if (booke_guest(c))
        return return_from(c, c->gsrr0, c->gsrr1);
    return return_from(c, c->srr0, c->srr1);
}

/* rfgi: returns to guest state from GSRR0/GSRR1 (hypervisor only). */
PpcStatus ppc_exec_rfgi(PpcCpu *c, const PpcInsn *i)
{
    PpcStatus st = hv_privileged(c);
    if (st != PPC_NEXT)
        return st;
    return return_from(c, c->gsrr0, c->gsrr1 | MSR_GS);
}

PpcStatus ppc_exec_rfci(PpcCpu *c, const PpcInsn *i)
{
    PpcStatus st = hv_privileged(c);
    if (st != PPC_NEXT)
        return st;
    return return_from(c, c->csrr0, c->csrr1);
}

PpcStatus ppc_exec_rfmci(PpcCpu *c, const PpcInsn *i)
{
    PpcStatus st = hv_privileged(c);
    if (st != PPC_NEXT)
        return st;
    return return_from(c, c->mcsrr0, c->mcsrr1);
}

PpcStatus ppc_exec_rfdi(PpcCpu *c, const PpcInsn *i)
{
    PpcStatus st = hv_privileged(c);
    if (st != PPC_NEXT)
        return st;
    return return_from(c, c->dsrr0, c->dsrr1);
}

/* mtmsr RS (Book III-E form: all implemented bits; the L field does not exist). */
PpcStatus ppc_exec_mtmsr_e(PpcCpu *c, const PpcInsn *i)
{
    PpcStatus st = privileged(c);
    if (st != PPC_NEXT)
        return st;
    set_msr(c, RS);
    return PPC_END;
}

PpcStatus ppc_exec_wrtee(PpcCpu *c, const PpcInsn *i)
{
    PpcStatus st = privileged(c);
    if (st != PPC_NEXT)
        return st;
    c->msr = (c->msr & ~MSR_EE) | (RS & MSR_EE);
    return PPC_END;
}

/* wrteei E: E is instruction bit 16 (0x8000, MSR[EE]'s position in the word). */
PpcStatus ppc_exec_wrteei(PpcCpu *c, const PpcInsn *i)
{
    PpcStatus st = privileged(c);
    if (st != PPC_NEXT)
        return st;
    c->msr = (c->msr & ~MSR_EE) | (i->raw & 0x8000u ? MSR_EE : 0);
    return PPC_END;
}

/* wait (ISA 2.06 Book II 4.6): the thread stops until an interrupt. */
PpcStatus ppc_exec_wait_e(PpcCpu *c, const PpcInsn *i)
{
    return PPC_WAIT;
}

/* ehpriv: always the embedded hypervisor privilege interrupt (KVM uses it as a software
 * breakpoint; the OC field is for the hypervisor to read). */
PpcStatus ppc_exec_ehpriv(PpcCpu *c, const PpcInsn *i)
{
    return ppc_raise(c, PPC_EXC_EHPRIV, 0);
}

/* dcbi: privileged; storage is coherent, nothing to discard. */
PpcStatus ppc_exec_dcbi(PpcCpu *c, const PpcInsn *i)
{
    return privileged(c);
}

/* --- Doorbells (msgsnd/msgclr, Book III-E 11.2 with E.HV's guest message types) --- */

static uint32_t dbell_irq(unsigned type)
{
    switch (type) {
    case DBELL_TYPE_DBELL: return BOOKE_IRQ_DBELL;
    case DBELL_TYPE_DBELL_CRIT: return BOOKE_IRQ_DBELL_CRIT;
    case DBELL_TYPE_G_DBELL: return BOOKE_IRQ_G_DBELL;
    case DBELL_TYPE_G_DBELL_CRIT: return BOOKE_IRQ_G_DBELL_CRIT;
    case DBELL_TYPE_G_DBELL_MC: return BOOKE_IRQ_G_DBELL_MC;
    default: return 0;
    }
}

/* Does thread t accept message rb? Processor doorbells match PIR (or broadcast); guest
 * doorbells match GPIR and require LPIDTAG = LPIDR. */
static bool dbell_accepts(const PpcCpu *t, uint32_t rb, unsigned type)
{
    bool guest = type >= DBELL_TYPE_G_DBELL;
    uint32_t pir = guest ? t->gpir : (uint32_t)t->pir;
    bool target = (rb & DBELL_BRDCAST) || (rb & DBELL_PIRTAG) == (pir & DBELL_PIRTAG);
    if (guest && ((rb >> DBELL_LPIDTAG_SHIFT) & DBELL_LPIDTAG_MASK) != (t->lpidr & 0xff))
        return false;
    return target;
}

PpcStatus ppc_exec_msgsnd_e(PpcCpu *c, const PpcInsn *i)
{
    PpcStatus st = hv_privileged(c);
    if (st != PPC_NEXT)
        return st;
    uint32_t rb = (uint32_t)c->gpr[i->rb];
    unsigned type = (rb >> DBELL_TYPE_SHIFT) & DBELL_TYPE_MASK;
    uint32_t irq = dbell_irq(type);
    if (!irq)
        return PPC_NEXT; /* reserved message types are ignored */
    PpcCore *core = ppc_core(c);
    for (unsigned n = 0; n < core->ncpus; n++) {
        PpcCpu *t = core->cpus[n];
        if (dbell_accepts(t, rb, type)) {
            t->booke_irqs |= irq;
            t->waiting = false;
        }
    }
    return PPC_END;
}

PpcStatus ppc_exec_msgclr_e(PpcCpu *c, const PpcInsn *i)
{
    PpcStatus st = hv_privileged(c);
    if (st != PPC_NEXT)
        return st;
    uint32_t rb = (uint32_t)c->gpr[i->rb];
    unsigned type = (rb >> DBELL_TYPE_SHIFT) & DBELL_TYPE_MASK;
    if (dbell_accepts(c, rb, type))
        c->booke_irqs &= ~dbell_irq(type);
    return PPC_NEXT;
}

/* --- mfpmr/mtpmr (e500mc performance monitor registers) ---
 * PMRs 0-3/16-19 are the counters PMC0-3, 128-131/144-147 PMLCa0-3, 256-259/272-275
 * PMLCb0-3, 384/400 PMGC0: the first number of each pair is the problem-state read-only
 * alias. hvemu counts no events: the counters keep what software writes. */
static int pmr_slot(unsigned pmrn)
{
    unsigned base = pmrn & ~0x10u, n = base & 3;
    switch (base & ~3u) {
    case 0: return (int)n;
    case 128: return 4 + (int)n;
    case 256: return 8 + (int)n;
    case 384: return n == 0 ? 12 : -1;
    default: return -1;
    }
}

PpcStatus ppc_exec_mfpmr(PpcCpu *c, const PpcInsn *i)
{
    int slot = pmr_slot(i->spr);
    if (slot < 0)
        return ppc_illegal(c);
    if ((i->spr & 0x10) && (c->msr & MSR_PR))
        return ppc_privileged(c);
    c->gpr[i->rt] = c->pmr[slot];
    return PPC_NEXT;
}

PpcStatus ppc_exec_mtpmr(PpcCpu *c, const PpcInsn *i)
{
    int slot = pmr_slot(i->spr);
    if (slot < 0 || !(i->spr & 0x10))
        return ppc_illegal(c);
    if (c->msr & MSR_PR)
        return ppc_privileged(c);
    c->pmr[slot] = (uint32_t)RS;
    return PPC_NEXT;
}
