/* cpu/ppc/booke/booke_mmu.c: storage control of an e500mc thread (Power ISA v2.06B Book
 * III-E chapter 6 "Storage Control": 6.7 "Address Translation" with the E.HV guest
 * translation rules, 6.8 "Storage Access Control", 6.11.4 "TLB Management Instructions";
 * e500mc Reference Manual chapter 6). The TLB arrays and their matching live in
 * mmu/booke206.c; this file is the CPU's side:
 *   - the translation step of the soft TLB (ppc_mem.c calls it on a miss): the context is
 *     PID, LPIDR, MSR[GS] and the address space MSR[IS] (fetch) or MSR[DS] (data), the
 *     permissions those of MSR[PR];
 *   - the interrupts a failed translation raises: Data/Instruction TLB Error on a miss
 *     (with the MAS registers loaded for the handler unless EPCR[DMIUH] keeps them for the
 *     hypervisor), Data/Instruction Storage on a permission violation, and a Data Storage
 *     interrupt for the hypervisor on an E.HV virtualization fault;
 *   - tlbwe, tlbre, tlbsx, tlbivax (broadcast to every thread), tlbilx, tlbsync. They are
 *     privileged, and in guest state they belong to the hypervisor (e500mc has no LRAT:
 *     a guest's TLB writes trap with the embedded hypervisor privilege interrupt). */
#include "cpu/ppc/booke/booke.h"
#include "cpu/ppc/ppc_decode.h"

static BookeCtx ctx_of(const PpcCpu *c, bool fetch)
{
    uint64_t as_bit = fetch ? MSR_IS : MSR_DS;
    return (BookeCtx){ .pid = c->pid, .lpid = (uint32_t)c->lpidr,
                       .as = (c->msr & as_bit) != 0, .gs = booke_guest(c) };
}

void booke_tlb_changed(PpcCpu *c)
{
    ppc_tlb_flush(c);
}

/* A TLB entry stopped translating: only its pages leave the soft TLB (TLB0 entries are
 * one page: a TLB miss handler's tlbwe costs one page, not the whole cache). */
static void entry_gone(PpcCpu *c, const BookeTlbe *e)
{
    if (!(e->mas1 & MAS1_V))
        return;
    uint64_t size = booke_tlbe_size(e);
    uint64_t ea = e->mas2 & MAS2_EPN & ~(size - 1);
    ppc_tlb_flush_range(c, ea, size, (e->mas3 & (MAS3_UX | MAS3_SX)) != 0);
}

void booke_tlbwe_cpu(PpcCpu *c, const BookeMas *m)
{
    const BookeTlbe *slot = booke_tlbwe_slot(&c->btlb, m);
    BookeTlbe old = slot ? *slot : (BookeTlbe){ 0 };
    if (booke_tlbwe(&c->btlb, m) != BOOKE_TLBWE_OK)
        return;
    entry_gone(c, &old);
    /* A new TLB1 entry may cover pages that TLB0 translated (TLB1 is searched first). */
    if (slot && slot >= c->btlb.tlb1 && slot < c->btlb.tlb1 + BOOKE_TLB1_ENTRIES)
        entry_gone(c, slot);
}

/* Does a valid TLB1 entry translate ea? (An invalidation by address then reaches
 * beyond one page.) */
static bool tlb1_covers(const PpcCpu *c, uint64_t ea)
{
    for (unsigned n = 0; n < BOOKE_TLB1_ENTRIES; n++) {
        const BookeTlbe *e = &c->btlb.tlb1[n];
        uint64_t size = booke_tlbe_size(e);
        if ((e->mas1 & MAS1_V) && ((e->mas2 & MAS2_EPN) & ~(size - 1)) == (ea & ~(size - 1)))
            return true;
    }
    return false;
}

void booke_invalidated_at(PpcCpu *c, uint64_t ea, bool tlb1_too)
{
    if (tlb1_too)
        ppc_tlb_flush(c);
    else
        ppc_tlb_flush_range(c, ea & ~0xfffULL, 4096, true);
}

static unsigned entry_prot(const PpcCpu *c, const BookeTlbe *e)
{
    bool pr = (c->msr & MSR_PR) != 0;
    unsigned p = 0;
    if (e->mas3 & (pr ? MAS3_UR : MAS3_SR))
        p |= HASH64_PROT_READ;
    if (e->mas3 & (pr ? MAS3_UW : MAS3_SW))
        p |= HASH64_PROT_WRITE;
    if (e->mas3 & (pr ? MAS3_UX : MAS3_SX))
        p |= HASH64_PROT_EXEC;
    if (e->mas8 & MAS8_VF)
        p &= ~(HASH64_PROT_READ | HASH64_PROT_WRITE); /* data accesses fault (VF) */
    return p;
}

static void log_walk(PpcCpu *c, uint64_t ea, unsigned acc, BookeResult r, const BookeXlate *x)
{
    PpcCore *core = ppc_core(c);
    static const char *const acc_name[] = { "load", "store", "fetch" };
    static const char *const res_name[] = { "hit", "miss", "protection", "virtualization" };
    fprintf(core->log, "cpu%u: mmu: %s 0x%08llx pid %u lpid %u as %u gs %u pr %u: %s",
            c->index, acc_name[acc], (unsigned long long)ea, c->pid, (unsigned)c->lpidr,
            (unsigned)((c->msr & (acc == PPC_TLB_FETCH ? MSR_IS : MSR_DS)) != 0),
            (unsigned)booke_guest(c), (unsigned)((c->msr & MSR_PR) != 0), res_name[r]);
    if (r != BOOKE_MISS) {
        const BookeTlbe *e = x->e;
        fprintf(core->log, " TLB%u[%u] -> ra 0x%09llx size 0x%llx wimge 0x%x", x->tlbsel,
                x->index, (unsigned long long)x->ra, (unsigned long long)x->page_size,
                x->wimge);
        /* The entry's fields the context was compared with (6.7.2 with E.HV): TID (0
         * matches any PID), TS against the AS, TGS against MSR[GS], TLPID against LPIDR. */
        fprintf(core->log, "\ncpu%u: mmu:   entry EPN 0x%08llx TID %u TS %u TGS %u TLPID %u"
                " IPROT %u VF %u perms %c%c%c/%c%c%c", c->index,
                (unsigned long long)(e->mas2 & MAS2_EPN),
                (unsigned)((e->mas1 & MAS1_TID) >> MAS1_TID_SHIFT),
                (unsigned)((e->mas1 & MAS1_TS) != 0), (unsigned)((e->mas8 & MAS8_TGS) != 0),
                (unsigned)(e->mas8 & MAS8_TLPID), (unsigned)((e->mas1 & MAS1_IPROT) != 0),
                (unsigned)((e->mas8 & MAS8_VF) != 0), (e->mas3 & MAS3_SR) ? 'r' : '-',
                (e->mas3 & MAS3_SW) ? 'w' : '-', (e->mas3 & MAS3_SX) ? 'x' : '-',
                (e->mas3 & MAS3_UR) ? 'r' : '-', (e->mas3 & MAS3_UW) ? 'w' : '-',
                (e->mas3 & MAS3_UX) ? 'x' : '-');
    } else {
        fprintf(core->log, " (no valid TLB1 or TLB0 entry with this EPN, TID 0 or %u, TS %u,"
                " TGS %u%s)", c->pid,
                (unsigned)((c->msr & (acc == PPC_TLB_FETCH ? MSR_IS : MSR_DS)) != 0),
                (unsigned)booke_guest(c), booke_guest(c) ? " and TLPID = LPIDR" : "");
    }
    fputc('\n', core->log);
}

PpcStatus booke_translate_page(PpcCpu *c, uint64_t ea, unsigned acc, uint64_t *ra,
                               unsigned *prot)
{
    PpcCore *core = ppc_core(c);
    bool fetch = acc == PPC_TLB_FETCH;
    bool store = acc == PPC_TLB_STORE;
    BookeCtx ctx = ctx_of(c, fetch);
    static const BookeAccess kinds[] = { BOOKE_LOAD, BOOKE_STORE, BOOKE_FETCH };
    BookeXlate x;
    BookeResult r = booke_translate(&c->btlb, ea, &ctx, (c->msr & MSR_PR) != 0, kinds[acc], &x);
    if (core->log && (core->log_mask & PPC_LOG_MMU))
        log_walk(c, ea, acc, r, &x);
    switch (r) {
    case BOOKE_OK:
        *ra = x.ra;
        *prot = entry_prot(c, x.e);
        return PPC_NEXT;
    case BOOKE_MISS: {
        /* 1. The interrupt goes to the guest when EPCR[DTLBGS]/[ITLBGS] say so (from
         *    guest state); 2. the MAS registers get the miss defaults unless the
         *    hypervisor asked not to be disturbed (EPCR[DMIUH]). */
        uint32_t gs_bit = fetch ? EPCR_ITLBGS : EPCR_DTLBGS;
        bool to_hv = !(booke_guest(c) && (c->epcr & gs_bit));
        if (!(to_hv && (c->epcr & EPCR_DMIUH)))
            booke_tlb_miss_mas(&c->btlb, &c->mas, ea, &ctx);
        c->exc = (PpcException){ .kind = fetch ? PPC_EXC_INSN_TLB : PPC_EXC_DATA_TLB,
                                 .dar = ea, .srr1_bits = store ? ESR_ST : 0 };
        return PPC_TRAP;
    }
    case BOOKE_PROT:
        c->exc = (PpcException){ .kind = fetch ? PPC_EXC_ISI : PPC_EXC_DSI, .dar = ea,
                                 .srr1_bits = store ? ESR_ST : 0 };
        return PPC_TRAP;
    case BOOKE_VF:
    default:
        c->exc = (PpcException){ .kind = PPC_EXC_DSI, .dar = ea, .vf = true,
                                 .srr1_bits = store ? ESR_ST : 0 };
        return PPC_TRAP;
    }
}

/* tlbivax on every thread: an invalidation of one TLB0 address costs one page; the
 * invalidate-all forms and TLB1 invalidations drop the whole soft TLB. */
void booke_tlbivax_all(PpcCore *core, uint64_t ea, uint32_t mas5)
{
    bool tlb0_page = !(ea & 0x4) && !(ea & 0x18);
    for (unsigned n = 0; n < core->ncpus; n++) {
        PpcCpu *t = core->cpus[n];
        if (booke_tlbivax(&t->btlb, ea, mas5)) {
            if (tlb0_page)
                booke_invalidated_at(t, ea, false);
            else
                booke_tlb_changed(t);
        }
    }
}

void booke_tlbilx_cpu(PpcCpu *c, unsigned type, uint64_t ea)
{
    bool by_address = type == 3 && !tlb1_covers(c, ea);
    if (booke_tlbilx(&c->btlb, type, &c->mas, ea)) {
        if (by_address)
            booke_invalidated_at(c, ea, false);
        else
            booke_tlb_changed(c);
    }
}

/* --- TLB management instructions (6.11.4) --- */

#define RA0 (i->ra == PPC_REG_ZERO ? 0 : c->gpr[i->ra])

/* Privileged; hypervisor-privileged in guest state. */
static PpcStatus tlb_guard(PpcCpu *c)
{
    if (c->msr & MSR_PR)
        return ppc_privileged(c);
    if (booke_guest(c))
        return ppc_raise(c, PPC_EXC_EHPRIV, 0);
    return PPC_NEXT;
}

static uint64_t xform_ea(const PpcCpu *c, const PpcInsn *i)
{
    return ppc_ea(c, RA0 + c->gpr[i->rb]);
}

PpcStatus ppc_exec_tlbwe(PpcCpu *c, const PpcInsn *i)
{
    PpcStatus st = tlb_guard(c);
    if (st != PPC_NEXT)
        return st;
    booke_tlbwe_cpu(c, &c->mas);
    return PPC_END;
}

PpcStatus ppc_exec_tlbre(PpcCpu *c, const PpcInsn *i)
{
    PpcStatus st = tlb_guard(c);
    if (st != PPC_NEXT)
        return st;
    booke_tlbre(&c->btlb, &c->mas);
    return PPC_NEXT;
}

PpcStatus ppc_exec_tlbsx(PpcCpu *c, const PpcInsn *i)
{
    PpcStatus st = tlb_guard(c);
    if (st != PPC_NEXT)
        return st;
    booke_tlbsx(&c->btlb, &c->mas, xform_ea(c, i));
    return PPC_NEXT;
}

/* tlbivax reaches the TLBs of every thread (6.11.4.4: the invalidation is broadcast and
 * completed by tlbsync); hvemu performs it at once. */
PpcStatus ppc_exec_tlbivax(PpcCpu *c, const PpcInsn *i)
{
    PpcStatus st = tlb_guard(c);
    if (st != PPC_NEXT)
        return st;
    booke_tlbivax_all(ppc_core(c), xform_ea(c, i), c->mas.mas5);
    return PPC_END;
}

/* tlbilx T,RA,RB: T is the instruction's bits 9:10 (the decoder's rt field holds bits
 * 6:10). */
PpcStatus ppc_exec_tlbilx(PpcCpu *c, const PpcInsn *i)
{
    PpcStatus st = tlb_guard(c);
    if (st != PPC_NEXT)
        return st;
    unsigned t = i->rt & 3;
    if (t == 2)
        return ppc_illegal(c);
    booke_tlbilx_cpu(c, t, xform_ea(c, i));
    return PPC_END;
}

PpcStatus ppc_exec_tlbsync_e(PpcCpu *c, const PpcInsn *i)
{
    return tlb_guard(c);
}

bool booke_debug_translate(const PpcCpu *c, uint64_t ea, uint64_t *ra)
{
    BookeCtx ctx = ctx_of(c, false);
    BookeXlate x;
    BookeResult r = booke_translate(&c->btlb, ea, &ctx, false, BOOKE_LOAD, &x);
    if (r == BOOKE_MISS)
        return false;
    *ra = x.ra; /* an entry matched: its permissions do not bind a debugger */
    return true;
}
