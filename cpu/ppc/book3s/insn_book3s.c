/* cpu/ppc/book3s/insn_book3s.c: the Book III-S instructions of the operating system and
 * the hypervisor (Power ISA v3.0B Book III-S): 3.3.1 "System Linkage Instructions" (rfid,
 * hrfid, scv, rfscv), 3.3.2 "Power-Saving Mode" (stop), 5.9.3.1-5.9.3.3 "SLB Management
 * Instructions" (slbmte, slbie, slbia, slbmfev, slbmfee, slbfee., slbsync), 5.9.3.4 "TLB
 * Management Instructions" (tlbie, tlbiel, tlbsync) and 5.9.4 "Processor Control" (the
 * doorbells msgsnd/msgclr and their privileged forms). The soft TLB caches translations,
 * so every SLB and TLB invalidation drops it (per page where the operand says which). */
#include "cpu/ppc/ppc_core.h"
#include "cpu/ppc/ppc_decode.h"

#define GPR(n) (c->gpr[(n)])

static bool problem_state(const PpcCpu *c)
{
    return (c->msr & MSR_PR) != 0;
}

static bool hypervisor_state(const PpcCpu *c)
{
    return (c->msr & (MSR_HV | MSR_PR)) == MSR_HV;
}

#define LPCR_EVIRT (1ULL << 21) /* bit 42: enhanced virtualisation */

/* A hypervisor-privileged instruction in privileged non-hypervisor state: the Privileged
 * Instruction type Program interrupt, or with LPCR[EVIRT] = 1 the Hypervisor Emulation
 * Assistance interrupt (Book III-S 2.2 "Instruction Classes", as for hypervisor SPRs in
 * 4.4.4). */
static PpcStatus hv_privileged(PpcCpu *c)
{
    return (c->lpcr & LPCR_EVIRT) ? ppc_raise(c, PPC_EXC_HEMULATION, 0) : ppc_privileged(c);
}

/* The MSR bits rfid, hrfid and rfscv copy from the saved value: 0:2, 4:28, 29:31 (TS
 * and TM), 32, 37:41 and 48:63; bits 33:36 and 42:47 hold interrupt information in SRR1
 * and are not MSR bits. ME and HV follow their own rule. */
#define RETURN_COPY 0xEFFFFFFF87C0FFFFULL

/* The MSR an rfid-class instruction installs from a saved SRR1 (3.3.1 pseudo-code): ME
 * changes only in hypervisor state, HV can only be cleared there, and problem state forces
 * EE, IR and DR on. */
static uint64_t return_msr(const PpcCpu *c, uint64_t saved)
{
    uint64_t copy = RETURN_COPY & ~(MSR_HV | MSR_ME);
    uint64_t msr = (c->msr & ~copy) | (saved & copy);
    if (hypervisor_state(c))
        msr = (msr & ~(MSR_HV | MSR_ME)) | (saved & (MSR_HV | MSR_ME));
    if (msr & MSR_PR)
        msr |= MSR_EE | MSR_IR | MSR_DR;
    return msr;
}

static PpcStatus return_to(PpcCpu *c, uint64_t nip, uint64_t msr)
{
    c->msr = msr;
    c->nip = (msr & MSR_SF) ? nip & ~3ULL : (uint32_t)nip & ~3u;
    return PPC_JUMP;
}

PpcStatus ppc_exec_rfid(PpcCpu *c, const PpcInsn *i)
{
    if (problem_state(c))
        return ppc_privileged(c);
    return return_to(c, c->srr0, return_msr(c, c->srr1));
}

PpcStatus ppc_exec_hrfid(PpcCpu *c, const PpcInsn *i)
{
    if (!hypervisor_state(c))
        return problem_state(c) ? ppc_privileged(c) : hv_privileged(c);
    return return_to(c, c->hsrr0, return_msr(c, c->hsrr1));
}

/* scv LEV (3.3.1.1): the vectored system call, enabled by FSCR[SCV]; without it a
 * facility unavailable interrupt with FSCR[IC] = 12. The router saves the return address
 * in LR and the MSR in CTR. */
#define FSCR_SCV (1ULL << 12)
#define FSCR_IC_SCV (12ULL << 56)

PpcStatus ppc_exec_scv(PpcCpu *c, const PpcInsn *i)
{
    if (!(c->fscr & FSCR_SCV)) {
        c->fscr = (c->fscr & ~(0xffULL << 56)) | FSCR_IC_SCV;
        return ppc_raise(c, PPC_EXC_FAC_UNAVAIL, 0);
    }
    c->exc = (PpcException){ .kind = PPC_EXC_SYSCALL_VECTORED, .srr1_bits = (uint64_t)i->imm,
                             .nip = ppc_pc(c, i) + 4, .nip_set = true };
    return PPC_TRAP;
}

PpcStatus ppc_exec_rfscv(PpcCpu *c, const PpcInsn *i)
{
    if (problem_state(c))
        return ppc_privileged(c);
    return return_to(c, c->lr, return_msr(c, c->ctr));
}

/* stop: hypervisor-privileged unless PSSCR allows; a partition's stop is a request the
 * hypervisor would turn into waiting for an interrupt. */
PpcStatus ppc_exec_stop(PpcCpu *c, const PpcInsn *i)
{
    if (problem_state(c))
        return ppc_privileged(c);
    return PPC_WAIT;
}

/* --- SLB management --- */

static unsigned slb_size(const PpcCpu *c)
{
    return c->model->slb_size < PPC_SLB_MAX ? c->model->slb_size : PPC_SLB_MAX;
}

/* slbmte RS, RB: entry RB[52:63] gets ESID||V from RB and the VSID word from RS. An index
 * beyond the SLB, or a reserved segment size / page size encoding, is an illegal
 * instruction form (Program interrupt). */
PpcStatus ppc_exec_slbmte(PpcCpu *c, const PpcInsn *i)
{
    if (problem_state(c))
        return ppc_privileged(c);
    uint64_t rb = GPR(i->rb), rs = GPR(i->rt);
    unsigned index = (unsigned)(rb & SLB_ESID_INDEX);
    if (index >= slb_size(c))
        return ppc_illegal(c);
    Hash64Slbe e = { .esid = rb & (SLB_ESID_ESID | SLB_ESID_V), .vsid = rs };
    if ((e.esid & SLB_ESID_V) &&
        (!hash64_slbe_segment_shift(&e) || !hash64_slbe_page_size(&hash64_page_sizes_p8p9, &e)))
        return ppc_illegal(c);
    c->slb[index] = e;
    ppc_tlb_flush(c);
    return PPC_END;
}

PpcStatus ppc_exec_slbmfee(PpcCpu *c, const PpcInsn *i)
{
    if (problem_state(c))
        return ppc_privileged(c);
    unsigned index = (unsigned)(GPR(i->rb) & SLB_ESID_INDEX);
    GPR(i->rt) = index < slb_size(c) ? c->slb[index].esid : 0;
    return PPC_NEXT;
}

PpcStatus ppc_exec_slbmfev(PpcCpu *c, const PpcInsn *i)
{
    if (problem_state(c))
        return ppc_privileged(c);
    unsigned index = (unsigned)(GPR(i->rb) & SLB_ESID_INDEX);
    GPR(i->rt) = index < slb_size(c) ? c->slb[index].vsid : 0;
    return PPC_NEXT;
}

/* slbie RB: invalidates the entry translating the ESID in RB (its B field says the
 * segment size: RB[37:38] hold B in the C/B position of slbie's operand). */
PpcStatus ppc_exec_slbie(PpcCpu *c, const PpcInsn *i)
{
    if (problem_state(c))
        return ppc_privileged(c);
    uint64_t ea = GPR(i->rb);
    unsigned index;
    const Hash64Slbe *e = hash64_slb_lookup(c->slb, slb_size(c), ea, &index);
    if (e)
        c->slb[index].esid &= ~SLB_ESID_V;
    ppc_tlb_flush(c);
    return PPC_END;
}

/* slbia IH: invalidates every entry but entry 0 (IH = 0; the other IH values keep more,
 * which invalidating all but entry 0 also satisfies for the entries software may rely
 * on). */
PpcStatus ppc_exec_slbia(PpcCpu *c, const PpcInsn *i)
{
    if (problem_state(c))
        return ppc_privileged(c);
    for (unsigned n = 1; n < slb_size(c); n++)
        c->slb[n].esid &= ~SLB_ESID_V;
    ppc_tlb_flush(c);
    return PPC_END;
}

/* slbfee. RT, RB: the VSID word of the entry translating RB (and its index in RT[52:63]
 * ... as the ISA's "SLB Find Entry ESID"), CR0[EQ] = found. */
PpcStatus ppc_exec_slbfee_(PpcCpu *c, const PpcInsn *i)
{
    if (problem_state(c))
        return ppc_privileged(c);
    unsigned index;
    const Hash64Slbe *e = hash64_slb_lookup(c->slb, slb_size(c), GPR(i->rb), &index);
    GPR(i->rt) = e ? e->vsid : 0;
    unsigned so = (c->xer & XER_SO) ? 1 : 0;
    ppc_set_cr_field(c, 0, (e ? 2 : 0) | so);
    return PPC_NEXT;
}

PpcStatus ppc_exec_slbsync(PpcCpu *c, const PpcInsn *i)
{
    return problem_state(c) ? ppc_privileged(c) : PPC_NEXT;
}

/* --- TLB management: hypervisor instructions; a PAPR partition manages its TLB through
 * the HPT hcalls, which drop the soft TLB themselves. --- */

static PpcStatus tlb_privilege(PpcCpu *c)
{
    if (problem_state(c))
        return ppc_privileged(c);
    if (!hypervisor_state(c) && ppc_core(c)->vhyp)
        return hv_privileged(c);
    return PPC_NEXT;
}

PpcStatus ppc_exec_tlbie(PpcCpu *c, const PpcInsn *i)
{
    PpcStatus st = tlb_privilege(c);
    if (st != PPC_NEXT)
        return st;
    ppc_tlb_flush_all(ppc_core(c));
    return PPC_END;
}

PpcStatus ppc_exec_tlbiel(PpcCpu *c, const PpcInsn *i)
{
    PpcStatus st = tlb_privilege(c);
    if (st != PPC_NEXT)
        return st;
    ppc_tlb_flush(c);
    return PPC_END;
}

PpcStatus ppc_exec_tlbsync(PpcCpu *c, const PpcInsn *i)
{
    return tlb_privilege(c);
}

/* --- Doorbells (5.9.4): hypervisor doorbells need HV; the privileged forms msgsndp and
 * msgclrp reach threads of the same core, which hvemu models as one thread per core, so
 * they have no target besides the sender. --- */

PpcStatus ppc_exec_msgsnd(PpcCpu *c, const PpcInsn *i)
{
    return tlb_privilege(c);
}

PpcStatus ppc_exec_msgclr(PpcCpu *c, const PpcInsn *i)
{
    return tlb_privilege(c);
}

PpcStatus ppc_exec_msgsndp(PpcCpu *c, const PpcInsn *i)
{
    return problem_state(c) ? ppc_privileged(c) : PPC_NEXT;
}

PpcStatus ppc_exec_msgclrp(PpcCpu *c, const PpcInsn *i)
{
    return problem_state(c) ? ppc_privileged(c) : PPC_NEXT;
}
