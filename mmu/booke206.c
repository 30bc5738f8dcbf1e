/* mmu/booke206.c: the TLBs of the e500mc MMU and the instructions that manage them, after
 * Power ISA v2.06B Book III-E chapter 6 "Storage Control": "Page Identification" (the
 * virtual address to TLB entry match, with category E.HV's TGS and TLPID), "Address
 * Translation", "Storage Access Control" (execute, write and read access), "MMU Assist
 * Registers" and "TLB Management Instructions" (tlbwe, tlbre, tlbsx, tlbivax, tlbilx);
 * and the e500mc Reference Manual chapter 6 "Memory Management Units" for what this core
 * implements: MMU architecture version 1.0 (MMUCFG[MAVN] = 0), TLB0 of 512 4 KiB entries
 * in 128 sets of 4 ways with a next-victim counter, TLB1 of 64 fully associative entries
 * of 4 KiB .. 4 GiB with IPROT, 8-bit PIDs, 6-bit LPIDs, 36-bit real addresses.
 * Invalidation clears an entry's V bit and keeps its other fields, as tlbre shows them. */
#include "mmu/booke206.h"

#define TLB0_WAY_MASK (BOOKE_TLB0_WAYS - 1)
#define PID_MASK ((1u << BOOKE_PID_BITS) - 1)
#define LPID_MASK ((1u << BOOKE_LPID_BITS) - 1)
#define TSIZE_OF(mas1) (((mas1) & MAS1_TSIZE) >> MAS1_TSIZE_SHIFT)

/* The e500mc configuration registers (e500mc RM: MMUCFG, TLB0CFG, TLB1CFG). */
#define E500MC_MMUCFG                                                                   \
    ((6u << MMUCFG_LPIDSIZE_SHIFT) | ((uint32_t)BOOKE_RA_BITS << MMUCFG_RASIZE_SHIFT) |  \
     (1u << MMUCFG_NPIDS_SHIFT) | ((BOOKE_PID_BITS - 1u) << MMUCFG_PIDSIZE_SHIFT) |      \
     (1u << MMUCFG_NTLBS_SHIFT) | 0u /* MAVN: version 1.0 */)
/* TLBnCFG's MINSIZE and MAXSIZE count 4^n KiB: 1 is 4 KiB, 11 is 4 GiB. */
#define E500MC_TLB0CFG                                                                  \
    (((uint32_t)BOOKE_TLB0_WAYS << TLBnCFG_ASSOC_SHIFT) | (1u << TLBnCFG_MINSIZE_SHIFT) | \
     (1u << TLBnCFG_MAXSIZE_SHIFT) | BOOKE_TLB0_ENTRIES)
#define E500MC_TLB1CFG                                                                  \
    (((uint32_t)BOOKE_TLB1_ENTRIES << TLBnCFG_ASSOC_SHIFT) |                             \
     (1u << TLBnCFG_MINSIZE_SHIFT) | (11u << TLBnCFG_MAXSIZE_SHIFT) | TLBnCFG_IPROT |    \
     TLBnCFG_AVAIL | BOOKE_TLB1_ENTRIES)

static unsigned tlb0_set(uint64_t ea)
{
    return (unsigned)(ea >> 12) & (BOOKE_TLB0_SETS - 1);
}

static uint32_t tid_of(const BookeTlbe *e)
{
    return (e->mas1 & MAS1_TID) >> MAS1_TID_SHIFT;
}

static uint32_t tlpid_of(const BookeTlbe *e)
{
    return e->mas8 & LPID_MASK;
}

static bool tgs_of(const BookeTlbe *e)
{
    return (e->mas8 & MAS8_TGS) != 0;
}

static bool valid(const BookeTlbe *e)
{
    return (e->mas1 & MAS1_V) != 0;
}

uint64_t booke_tlbe_size(const BookeTlbe *e)
{
    return 1024ULL << TSIZE_OF(e->mas1);
}

/* The entry's EPN equals ea's under the entry's page-size mask (Page Identification:
 * EA[0:63-p] = EPN[0:63-p] for a page of 2^p bytes). */
static bool epn_matches(const BookeTlbe *e, uint64_t ea)
{
    uint64_t mask = ~(booke_tlbe_size(e) - 1);
    return ((e->mas2 & MAS2_EPN & mask) ^ (ea & mask)) == 0;
}

/* The virtual address to TLB entry match of Page Identification, for a translation or a
 * tlbsx search in context c:
 *   1. TLB_entry[V] = 1;
 *   2. TLB_entry[TS] = AS;
 *   3. (E.HV) TLB_entry[TGS] = MSR[GS];
 *   4. (E.HV) TLB_entry[TLPID] = LPIDR, or TLB_entry[TLPID] = 0 with MSR[GS] = 0: an entry
 *      with TLPID 0 is the hypervisor's and matches whatever partition LPIDR names while
 *      the thread is in hypervisor state (KVM runs its host with LPIDR = the guest's LPID
 *      and host entries of TLPID 0); in guest state only the exact LPID matches;
 *   5. TLB_entry[TID] = 0 (shared by all processes) or TLB_entry[TID] = PID;
 *   6. the EPN matches ea under the page size. */
static bool tlbe_matches(const BookeTlbe *e, uint64_t ea, const BookeCtx *c)
{
    uint32_t lpid = c->lpid & LPID_MASK;
    uint32_t tid = tid_of(e);
    return valid(e) && ((e->mas1 & MAS1_TS) != 0) == c->as && tgs_of(e) == c->gs &&
           (tlpid_of(e) == lpid || (!c->gs && tlpid_of(e) == 0)) &&
           (tid == 0 || tid == (c->pid & PID_MASK)) && epn_matches(e, ea);
}

/* Looks ea up as a translation does: TLB1's entries in order, then the four ways of
 * TLB0's set. Returns the entry or NULL, with its TLB and index. */
static const BookeTlbe *tlb_search(const BookeTlb *t, uint64_t ea, const BookeCtx *c,
                                   unsigned *tlbsel, unsigned *index)
{
    for (unsigned i = 0; i < BOOKE_TLB1_ENTRIES; i++) {
        if (tlbe_matches(&t->tlb1[i], ea, c)) {
            *tlbsel = 1;
            *index = i;
            return &t->tlb1[i];
        }
    }
    unsigned base = tlb0_set(ea) * BOOKE_TLB0_WAYS;
    for (unsigned w = 0; w < BOOKE_TLB0_WAYS; w++) {
        if (tlbe_matches(&t->tlb0[base + w], ea, c)) {
            *tlbsel = 0;
            *index = base + w;
            return &t->tlb0[base + w];
        }
    }
    return NULL;
}

/* Storage Access Control: a fetch needs UX (problem state) or SX (privileged), a store UW
 * or SW, a load UR or SR. */
static bool tlbe_allows(const BookeTlbe *e, bool pr, BookeAccess acc)
{
    static const uint32_t need[2][3] = {
        [0] = { [BOOKE_LOAD] = MAS3_SR, [BOOKE_STORE] = MAS3_SW, [BOOKE_FETCH] = MAS3_SX },
        [1] = { [BOOKE_LOAD] = MAS3_UR, [BOOKE_STORE] = MAS3_UW, [BOOKE_FETCH] = MAS3_UX },
    };
    return (e->mas3 & need[pr][acc]) != 0;
}

/* The real page of an entry: RPN from MAS7 (RA bits 28:31) and MAS3 (RA bits 32:51). */
static uint64_t tlbe_rpn(const BookeTlbe *e)
{
    return (uint64_t)(e->mas7 & MAS7_RPN) << 32 | (e->mas3 & MAS3_RPN);
}

BookeResult booke_translate(const BookeTlb *t, uint64_t ea, const BookeCtx *ctx, bool pr,
                            BookeAccess acc, BookeXlate *out)
{
    *out = (BookeXlate){ 0 };
    /* 1. Find the entry that matches ea in the context (TLB1, then TLB0's set). */
    unsigned sel, idx;
    const BookeTlbe *e = tlb_search(t, ea, ctx, &sel, &idx);
    if (!e)
        return BOOKE_MISS;
    /* 2. RA = the RPN's page base | the offset of ea within the page (the RPN's bits below
     *    the page size are ignored, as the EPN's are). */
    uint64_t size = booke_tlbe_size(e);
    *out = (BookeXlate){
        .ra = (tlbe_rpn(e) & ~(size - 1)) | (ea & (size - 1)),
        .page_size = size,
        .wimge = (uint32_t)(e->mas2 & MAS2_WIMGE),
        .e = e,
        .tlbsel = sel,
        .index = idx,
    };
    /* 3. (E.HV) A data access through an entry with VF is a virtualization fault whatever
     *    the permission bits; instruction fetch is not affected by VF. */
    if (acc != BOOKE_FETCH && (e->mas8 & MAS8_VF))
        return BOOKE_VF;
    /* 4. The access control bits of the privilege state. */
    if (!tlbe_allows(e, pr, acc))
        return BOOKE_PROT;
    return BOOKE_OK;
}

/* The MAS registers a miss leaves, in search context c (TLB error interrupt: the thread's
 * PID, AS, GS, LPIDR; tlbsx: MAS6 and MAS5):
 *   1. MAS0: TLBSEL = MAS4[TLBSELD]; for TLB0, ESEL = the set's next victim and NV = the
 *      way after it (round robin); for TLB1, ESEL = 0 and NV = the set's victim unchanged;
 *   2. MAS1: V as given, IPROT = 0, TID = PID, TS = AS, TSIZE = MAS4[TSIZED];
 *   3. MAS2: EPN = ea's 4 KiB page, X0 X1 WIMGE = MAS4's defaults;
 *   4. MAS3 = MAS7 = 0;
 *   5. (E.HV) MAS8: TGS = GS, VF = 0, TLPID = LPID.
 * Quirk(e500mc): there is one PID register, so TID is always PID (MAS4[TIDSELD] is not
 * used, as KVM's e500mc code also has it). */
static void miss_defaults(const BookeTlb *t, BookeMas *m, uint64_t ea, const BookeCtx *c,
                          bool v)
{
    unsigned set = tlb0_set(ea);
    unsigned tlbsel = (m->mas4 & MAS4_TLBSELD) >> MAS4_TLBSELD_SHIFT;
    unsigned nv = t->tlb0_nv[set] & TLB0_WAY_MASK;
    unsigned esel = 0;
    if (tlbsel == 0) {
        esel = nv;
        nv = (nv + 1) & TLB0_WAY_MASK;
    }
    m->mas0 = (uint32_t)tlbsel << MAS0_TLBSEL_SHIFT | (uint32_t)esel << MAS0_ESEL_SHIFT | nv;
    m->mas1 = ((v ? MAS1_V : 0) | (c->pid & PID_MASK) << MAS1_TID_SHIFT |
               (c->as ? MAS1_TS : 0) | (m->mas4 & MAS4_TSIZED)) &
              BOOKE_MAS1_IMPL;
    m->mas2 = (ea & MAS2_EPN & BOOKE_MAS2_IMPL) | (m->mas4 & (MAS4_X01D | MAS4_WIMGED));
    m->mas3 = 0;
    m->mas7 = 0;
    m->mas8 = (c->gs ? MAS8_TGS : 0) | (c->lpid & LPID_MASK);
}

void booke_tlb_miss_mas(const BookeTlb *t, BookeMas *m, uint64_t ea, const BookeCtx *ctx)
{
    miss_defaults(t, m, ea, ctx, true);
    /* MAS6 gets the search context of the access that missed. */
    m->mas6 = (ctx->pid & PID_MASK) << MAS6_SPID_SHIFT | (ctx->as ? MAS6_SAS : 0);
}

/* Where MAS0[TLBSEL, ESEL] (with MAS2[EPN]'s set for TLB0) points: false for TLBSEL 2 or
 * 3. ESEL's bits above the TLB's size are not implemented: e500mc's TLB0 ESEL selects a
 * way with its two low bits, TLB1's an entry with its six. */
static bool selected_entry(uint32_t mas0, uint64_t mas2, unsigned *tlbsel, unsigned *index)
{
    unsigned esel = (mas0 & MAS0_ESEL) >> MAS0_ESEL_SHIFT;
    *tlbsel = (mas0 & MAS0_TLBSEL) >> MAS0_TLBSEL_SHIFT;
    switch (*tlbsel) {
    case 0:
        *index = tlb0_set(mas2) * BOOKE_TLB0_WAYS + (esel & TLB0_WAY_MASK);
        return true;
    case 1:
        *index = esel & (BOOKE_TLB1_ENTRIES - 1);
        return true;
    default:
        return false;
    }
}

/* tlbwe:
 *   1. MAS0[TLBSEL, ESEL] (and MAS2[EPN] for TLB0) select the entry; TLBSEL 2 or 3 selects
 *      none and the write is dropped;
 *   2. the entry takes MAS1, MAS2, MAS3, MAS7, MAS8 masked to the implemented bits;
 *   3. TLB0: Quirk(e500mc): TLB0 holds 4 KiB pages only (TLB0CFG MINSIZE = MAXSIZE = 4 KiB)
 *      and has no IPROT (TLB0CFG[IPROT] = 0): MAS1[TSIZE] is ignored and the entry is 4 KiB,
 *      MAS1[IPROT] is dropped (tlbre reads TSIZE = 4 KiB, IPROT = 0 back; KVM's e500 code
 *      forces 4 KiB on TLB0 the same way); MAS0[NV] becomes the set's next victim, as the
 *      e500 family loads TLB0[NV] from MAS0[NV] on tlbwe;
 *   4. TLB1: a valid entry needs a TSIZE of 4 KiB .. 4 GiB (TLB1CFG MINSIZE .. MAXSIZE);
 *      Quirk(e500mc): a valid write with another size is dropped. The lowest TSIZE bit is
 *      not implemented (the MMU v1.0 field counts 4^n KiB), so an odd TSIZE is rounded
 *      down to the power of 4 below it. */
BookeTlbweResult booke_tlbwe(BookeTlb *t, const BookeMas *m)
{
    /* 1 */
    unsigned sel, idx;
    if (!selected_entry(m->mas0, m->mas2, &sel, &idx))
        return BOOKE_TLBWE_INVALID;
    /* 2 */
    BookeTlbe n = {
        .mas1 = m->mas1 & BOOKE_MAS1_IMPL,
        .mas2 = m->mas2 & BOOKE_MAS2_IMPL,
        .mas3 = m->mas3 & BOOKE_MAS3_IMPL,
        .mas7 = m->mas7 & BOOKE_MAS7_IMPL,
        .mas8 = m->mas8 & BOOKE_MAS8_IMPL,
    };
    if (sel == 0) {
        /* 3 */
        n.mas1 = (n.mas1 & ~(MAS1_TSIZE | MAS1_IPROT)) |
                 (uint32_t)BOOKE_TSIZE_4K << MAS1_TSIZE_SHIFT;
        t->tlb0[idx] = n;
        t->tlb0_nv[tlb0_set(m->mas2)] = (uint8_t)(m->mas0 & MAS0_NV & TLB0_WAY_MASK);
        return BOOKE_TLBWE_OK;
    }
    /* 4 */
    unsigned tsize = TSIZE_OF(n.mas1);
    if ((n.mas1 & MAS1_V) && (tsize < BOOKE_TSIZE_4K || tsize > BOOKE_TSIZE_4G))
        return BOOKE_TLBWE_INVALID;
    t->tlb1[idx] = n;
    return BOOKE_TLBWE_OK;
}

const BookeTlbe *booke_tlbwe_slot(const BookeTlb *t, const BookeMas *m)
{
    unsigned sel, idx;
    if (!selected_entry(m->mas0, m->mas2, &sel, &idx))
        return NULL;
    return sel ? &t->tlb1[idx] : &t->tlb0[idx];
}

/* tlbre:
 *   1. MAS0[TLBSEL, ESEL] (and MAS2[EPN] for TLB0) select the entry, as for tlbwe;
 *   2. MAS1, MAS2, MAS3, MAS7, MAS8 take the entry's words;
 *   3. for TLB0, MAS0[NV] takes the set's next victim. */
void booke_tlbre(const BookeTlb *t, BookeMas *m)
{
    /* 1 */
    unsigned sel, idx;
    if (!selected_entry(m->mas0, m->mas2, &sel, &idx))
        return;
    const BookeTlbe *e = sel ? &t->tlb1[idx] : &t->tlb0[idx];
    /* 3 (before MAS2 changes; the entry's EPN has the same set bits anyway) */
    if (sel == 0)
        m->mas0 = (m->mas0 & ~MAS0_NV) | (t->tlb0_nv[tlb0_set(m->mas2)] & TLB0_WAY_MASK);
    /* 2 */
    m->mas1 = e->mas1;
    m->mas2 = e->mas2;
    m->mas3 = e->mas3;
    m->mas7 = e->mas7;
    m->mas8 = e->mas8;
}

/* tlbsx:
 *   1. the search context is MAS6[SPID, SAS] with (E.HV) MAS5[SGS, SLPID];
 *   2. search TLB1 and TLB0's set of ea as a translation in that context would;
 *   3. hit: MAS0 = TLBSEL and ESEL of the entry (the way, for TLB0) with NV = the next
 *      victim of ea's TLB0 set; MAS1, MAS2, MAS3, MAS7, MAS8 = the entry;
 *   4. miss: the TLB-miss defaults of the search context with MAS1[V] = 0. */
void booke_tlbsx(const BookeTlb *t, BookeMas *m, uint64_t ea)
{
    /* 1 */
    BookeCtx s = {
        .pid = (m->mas6 & MAS6_SPID) >> MAS6_SPID_SHIFT,
        .lpid = m->mas5 & MAS5_SLPID,
        .as = (m->mas6 & MAS6_SAS) != 0,
        .gs = (m->mas5 & MAS5_SGS) != 0,
    };
    /* 2 */
    unsigned sel, idx;
    const BookeTlbe *e = tlb_search(t, ea, &s, &sel, &idx);
    if (e) {
        /* 3 */
        unsigned esel = sel ? idx : idx & TLB0_WAY_MASK;
        m->mas0 = (uint32_t)sel << MAS0_TLBSEL_SHIFT | (uint32_t)esel << MAS0_ESEL_SHIFT |
                  (t->tlb0_nv[tlb0_set(ea)] & TLB0_WAY_MASK);
        m->mas1 = e->mas1;
        m->mas2 = e->mas2;
        m->mas3 = e->mas3;
        m->mas7 = e->mas7;
        m->mas8 = e->mas8;
        return;
    }
    /* 4 */
    miss_defaults(t, m, ea, &s, false);
}

/* Clears V of a valid entry unless IPROT protects it; true if it went. */
static bool invalidate(BookeTlbe *e)
{
    if (!valid(e) || (e->mas1 & MAS1_IPROT))
        return false;
    e->mas1 &= ~MAS1_V;
    return true;
}

/* The partition filter of the invalidations: TGS = MAS5[SGS] and TLPID = MAS5[SLPID],
 * both exactly (TLPID 0 is not a wildcard here). */
static bool partition_matches(const BookeTlbe *e, uint32_t mas5)
{
    return tgs_of(e) == ((mas5 & MAS5_SGS) != 0) && tlpid_of(e) == (mas5 & LPID_MASK);
}

/* tlbivax (e500mc, MMU v1.0 form):
 *   1. EA bits 59:60 select the TLB (2 and 3 do not exist: nothing happens), bit 61 asks
 *      for the whole TLB;
 *   2. candidates are all entries of that TLB, or those whose EPN matches EA under their
 *      page size (TLB0: the four ways of EA's set); TID and TS are not compared;
 *   3. (E.HV) only entries with TGS = MAS5[SGS] and TLPID = MAS5[SLPID] are affected;
 *   4. entries with IPROT = 1 stay; the others become invalid. */
bool booke_tlbivax(BookeTlb *t, uint64_t ea, uint32_t mas5)
{
    /* 1 */
    unsigned tlbsel = (ea >> 3) & 3;
    bool all = (ea & 4) != 0;
    BookeTlbe *tlb;
    unsigned first, count;
    switch (tlbsel) {
    case 0:
        tlb = t->tlb0;
        first = all ? 0 : tlb0_set(ea) * BOOKE_TLB0_WAYS;
        count = all ? BOOKE_TLB0_ENTRIES : BOOKE_TLB0_WAYS;
        break;
    case 1:
        tlb = t->tlb1;
        first = 0;
        count = BOOKE_TLB1_ENTRIES;
        break;
    default:
        return false;
    }
    bool any = false;
    for (unsigned i = first; i < first + count; i++) {
        BookeTlbe *e = &tlb[i];
        /* 2, 3 */
        if (!valid(e) || !partition_matches(e, mas5) || (!all && !epn_matches(e, ea)))
            continue;
        /* 4 */
        any |= invalidate(e);
    }
    return any;
}

/* tlbilx T, RA, RB: on this thread only, every entry of TLB0 and TLB1 that has
 *   1. (E.HV) TGS = MAS5[SGS] and TLPID = MAS5[SLPID] (T = 0, tlbilxlpid: nothing more);
 *   2. for T = 1 (tlbilxpid) and T = 3: TID = MAS6[SPID] exactly;
 *   3. for T = 3 (tlbilxva): TS = MAS6[SAS] and an EPN that matches EA under the entry's
 *      page size (Quirk(e500mc): MMU v1.0 has no MAS6[ISIZE] or MAS6[SIND] to compare);
 * becomes invalid, unless IPROT = 1 protects it: IPROT guards against tlbilx as against
 * tlbivax and the flash invalidation (Linux's kexec_create_tlb relies on a tlbilx T = 0
 * leaving the IPROT mapping it runs from). T = 2 is reserved: nothing happens. */
bool booke_tlbilx(BookeTlb *t, unsigned type, const BookeMas *m, uint64_t ea)
{
    if (type != BOOKE_TLBILX_LPID && type != BOOKE_TLBILX_PID && type != BOOKE_TLBILX_VA)
        return false;
    uint32_t spid = (m->mas6 & MAS6_SPID) >> MAS6_SPID_SHIFT & PID_MASK;
    bool sas = (m->mas6 & MAS6_SAS) != 0;
    bool any = false;
    for (unsigned i = 0; i < BOOKE_TLB0_ENTRIES + BOOKE_TLB1_ENTRIES; i++) {
        BookeTlbe *e = i < BOOKE_TLB0_ENTRIES ? &t->tlb0[i] : &t->tlb1[i - BOOKE_TLB0_ENTRIES];
        /* 1 */
        if (!valid(e) || !partition_matches(e, m->mas5))
            continue;
        /* 2 */
        if (type != BOOKE_TLBILX_LPID && tid_of(e) != spid)
            continue;
        /* 3 */
        if (type == BOOKE_TLBILX_VA &&
            (((e->mas1 & MAS1_TS) != 0) != sas || !epn_matches(e, ea)))
            continue;
        any |= invalidate(e);
    }
    return any;
}

/* MMUCSR0[TLB0_FI] and MMUCSR0[TLB1_FI]: every entry of that TLB becomes invalid, except
 * those with IPROT = 1 (TLB0 entries never hold IPROT); no partition filter applies. */
bool booke_mmucsr0(BookeTlb *t, uint32_t val)
{
    bool any = false;
    if (val & MMUCSR0_TLB0_FI)
        for (unsigned i = 0; i < BOOKE_TLB0_ENTRIES; i++)
            any |= invalidate(&t->tlb0[i]);
    if (val & MMUCSR0_TLB1_FI)
        for (unsigned i = 0; i < BOOKE_TLB1_ENTRIES; i++)
            any |= invalidate(&t->tlb1[i]);
    return any;
}

/* MMUCFG = 0x064809c4: LPIDSIZE 6 (64 partitions, KVM's KVMPPC_NR_LPIDS), RASIZE 36, no
 * LRAT, no TWC, NPIDS 1, PIDSIZE 7 (8-bit PID), NTLBS 1 (two TLBs), MAVN 0 (MMU v1.0, so
 * Linux and KVM read page sizes from TLBnCFG[MINSIZE, MAXSIZE], not TLBnPS). */
uint32_t booke_mmucfg(void)
{
    return E500MC_MMUCFG;
}

/* TLB0CFG = 0x04110200: 4-way, 4 KiB only, no IPROT, fixed page size, 512 entries.
 * TLB1CFG = 0x401bc040: ASSOC = NENTRY = 64 (fully associative), 4 KiB .. 4 GiB, IPROT,
 * AVAIL (a page size per entry), 64 entries. TLB2CFG and TLB3CFG read 0. */
uint32_t booke_tlbcfg(unsigned n)
{
    switch (n) {
    case 0: return E500MC_TLB0CFG;
    case 1: return E500MC_TLB1CFG;
    default: return 0;
    }
}
