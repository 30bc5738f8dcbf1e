/* cpu/ppc/ppc_spr.c: the SPR table and the mfspr/mtspr access rules (Power ISA v3.0B
 * Book I 3.3.17 "Move To/From System Register Instructions" and Book III-S 4.4.4, figure
 * "SPR encodings"; the performance monitor SPRs of Book III-S chapter 9; the
 * transactional memory and event-based branch SPRs of Book II). One const row per SPR
 * number, sorted by number, reached by binary search; the rows for registers the POWER8
 * and POWER9 models hold in PpcCpu. The number's bit spr0 (0x10 of the 10-bit number) is
 * 1 exactly for the numbers whose access is privileged.
 *
 * An access that the table allows is performed; for a defined SPR the current state may
 * not access, and for a number the model does not define, Book III-S 4.4.4 decides:
 * 1. SPRs 808-811 are reserved: mfspr and mtspr are no-ops (Book I 1.3.3).
 * 2. A defined SPR, not accessible from problem state: Privileged Instruction type
 *    Program interrupt.
 * 3. A hypervisor SPR from privileged non-hypervisor state: Privileged Instruction type
 *    Program interrupt, or Hypervisor Emulation Assistance when LPCR[EVIRT] = 1.
 * 4. An undefined number (or a direction the SPR lacks, like mtspr PVR):
 *    - 0, 4, 5, 6: Hypervisor Emulation Assistance interrupt;
 *    - spr0 = 1: Privileged Instruction type Program interrupt in problem state;
 *    - spr0 = 0: Hypervisor Emulation Assistance interrupt in problem state;
 *    - otherwise a no-op, or Hypervisor Emulation Assistance when MSR[HV] = 0 and
 *      LPCR[EVIRT] = 1. */
#include <stddef.h>

#include "cpu/ppc/ppc_spr_table.h"
#include "cpu/ppc/ppc_core.h"

#define LPCR_EVIRT (1ULL << 21)    /* bit 42: enhanced virtualisation */
#define MMCR0_PMCC 0x00000000000c0000ULL /* bits 44:45: problem-state PMU access */
#define MMCR0_PMCC_SHIFT 18
#define XER_MASK (XER_SO | XER_OV | XER_CA | XER_OV32 | XER_CA32 | XER_BC)

#define B PPC_CAT_B
#define S PPC_CAT_S
#define V207 (PPC_CAT_S | PPC_CAT_V207)
#define V300 (PPC_CAT_S | PPC_CAT_V300)
#define VMX PPC_CAT_VMX

static uint64_t field_read(PpcCpu *c, const PpcSpr *s)
{
    const uint8_t *p = (const uint8_t *)c + s->off;
    if (s->fsize == 4) {
        uint32_t v;
        memcpy(&v, p, 4);
        return v;
    }
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static void field_write(PpcCpu *c, const PpcSpr *s, uint64_t v)
{
    uint8_t *p = (uint8_t *)c + s->off;
    v = (v & s->wmask) | (field_read(c, s) & ~s->wmask);
    if (s->fsize == 4) {
        uint32_t w = (uint32_t)v;
        memcpy(p, &w, 4);
    } else {
        memcpy(p, &v, 8);
    }
}

static uint64_t timebase(PpcCpu *c)
{
    return c->core ? ppc_timebase(c) : 0;
}

static uint64_t xer_read(PpcCpu *c, const PpcSpr *s) { return c->xer & XER_MASK; }
static void xer_write(PpcCpu *c, const PpcSpr *s, uint64_t v) { c->xer = v & XER_MASK; }

/* AMR, IAMR, UAMOR: below hypervisor state only the bits the AMOR (and, in problem state,
 * the UAMOR) grant change (Book III-S 4.4.4, mtspr cases 13, 29, 61, 157). */
static void amr_write(PpcCpu *c, const PpcSpr *s, uint64_t v)
{
    PpcPriv p = ppc_priv(c);
    uint64_t m = p == PPC_PRIV_HYP ? ~0ULL : p == PPC_PRIV_SUPER ? c->amor : c->uamor;
    c->amr = (v & m) | (c->amr & ~m);
}

static void iamr_write(PpcCpu *c, const PpcSpr *s, uint64_t v)
{
    uint64_t m = ppc_priv(c) == PPC_PRIV_HYP ? ~0ULL : c->amor;
    c->iamr = (v & m) | (c->iamr & ~m);
    ppc_tlb_flush(c); /* blocks found through the jump cache skip the IAMR check */
}

/* DAWR0, DAWRX0: the watched pages take the soft TLB's slow path (ppc_mem.c). */
static void dawr_write(PpcCpu *c, const PpcSpr *s, uint64_t v)
{
    field_write(c, s, v);
    if (c->core)
        ppc_tlb_flush(c);
}

static void uamor_write(PpcCpu *c, const PpcSpr *s, uint64_t v)
{
    c->uamor = ppc_priv(c) == PPC_PRIV_HYP ? v : v & c->amor;
}

/* DEC counts down with the time base: it reads dec_deadline - TB (32 bits; hvemu offers
 * no large decrementer) and a write moves the deadline (Book III-S 6.5). */
static uint64_t dec_read(PpcCpu *c, const PpcSpr *s)
{
    return (uint32_t)(c->dec_deadline - timebase(c));
}

static void dec_write(PpcCpu *c, const PpcSpr *s, uint64_t v)
{
    c->dec_deadline = timebase(c) + (uint64_t)(int64_t)(int32_t)v;
    if (c->core)
        ppc_dec_update(c);
}

/* TODO(#3): time base writes (TBL, TBU, TBU40) are hypervisor-only; a PAPR partition
 * cannot make them, and no hvemu machine runs a hypervisor that does yet. */
static void tb_write(PpcCpu *c, const PpcSpr *s, uint64_t v) {}
static uint64_t tb_read(PpcCpu *c, const PpcSpr *s) { return timebase(c); }
static uint64_t tbu_read(PpcCpu *c, const PpcSpr *s) { return timebase(c) >> 32; }

/* PURR and SPURR count with the time base: one thread, never throttled. */
static uint64_t purr_read(PpcCpu *c, const PpcSpr *s) { return timebase(c) + c->purr_offset; }
static void purr_write(PpcCpu *c, const PpcSpr *s, uint64_t v) { c->purr_offset = v - timebase(c); }
static uint64_t spurr_read(PpcCpu *c, const PpcSpr *s) { return timebase(c) + c->spurr_offset; }
static void spurr_write(PpcCpu *c, const PpcSpr *s, uint64_t v)
{
    c->spurr_offset = v - timebase(c);
}

/* CTRL: only the run latch (bit 63) is modelled; mtspr 152 writes it. */
static void ctrl_write(PpcCpu *c, const PpcSpr *s, uint64_t v) { c->ctrl = v & 1; }

/* Upper-half aliases: PPR32 is PPR bits 0:31, TEXASRU is TEXASR bits 0:31. */
static uint64_t hi32(uint64_t v) { return v >> 32; }
static uint64_t set_hi32(uint64_t old, uint64_t v) { return (v << 32) | (uint32_t)old; }
static uint64_t ppr32_read(PpcCpu *c, const PpcSpr *s) { return hi32(c->ppr); }
static void ppr32_write(PpcCpu *c, const PpcSpr *s, uint64_t v) { c->ppr = set_hi32(c->ppr, v); }
static uint64_t texasru_read(PpcCpu *c, const PpcSpr *s) { return hi32(c->texasr); }
static void texasru_write(PpcCpu *c, const PpcSpr *s, uint64_t v)
{
    c->texasr = set_hi32(c->texasr, v);
}

/* BESCR set/reset aliases (Book II 7.2 "Event-Based Branch Facility Registers"). */
static uint64_t bescr_read(PpcCpu *c, const PpcSpr *s) { return c->bescr; }
static uint64_t bescru_read(PpcCpu *c, const PpcSpr *s) { return hi32(c->bescr); }
static void bescrs_write(PpcCpu *c, const PpcSpr *s, uint64_t v) { c->bescr |= v; }
static void bescrsu_write(PpcCpu *c, const PpcSpr *s, uint64_t v)
{
    c->bescr |= (uint64_t)(uint32_t)v << 32;
}
static void bescrr_write(PpcCpu *c, const PpcSpr *s, uint64_t v) { c->bescr &= ~v; }
static void bescrru_write(PpcCpu *c, const PpcSpr *s, uint64_t v)
{
    c->bescr &= ~((uint64_t)(uint32_t)v << 32);
}

/* The problem-state numbers of the PMU (768-783).
 * TODO(#3): the full MMCR0[PMCC] rules of Book III-S 9.4.4 (PMC5-6 under PMCC = 0b11, the
 * Facility Unavailable interrupt); here problem state reads them unless PMCC = 0b01 and
 * writes them only when PMCC = 0b1x. */
static PpcStatus pmu_user_check(PpcCpu *c, const PpcSpr *s, bool write)
{
    unsigned pmcc = (unsigned)((c->mmcr0 & MMCR0_PMCC) >> MMCR0_PMCC_SHIFT);
    if (ppc_priv(c) != PPC_PRIV_USER)
        return PPC_NEXT;
    if (pmcc == 1 || (write && !(pmcc & 2)))
        return ppc_privileged(c);
    return PPC_NEXT;
}

#define PMU_USER .check = pmu_user_check

/* TODO(#3): problem-state access to DSCR, TAR, the EBB and TM SPRs is further gated by
 * FSCR/HFSCR and MSR[TM] (Facility Unavailable interrupts). */
const PpcSpr ppc_spr_table[] = {
    SPR(1, "XER", B, USR, USR, .read = xer_read, .write = xer_write),
    SPR(3, "DSCR", V207, USR, USR, F64(dscr)),
    SPR(8, "LR", B, USR, USR, F64(lr)),
    SPR(9, "CTR", B, USR, USR, F64(ctr)),
    SPR(13, "AMR", S, USR, USR, F64(amr), .write = amr_write, .end = true),
    SPR(17, "DSCR", V207, SUP, SUP, F64(dscr)),
    SPR(18, "DSISR", S, SUP, SUP, F32(dsisr)),
    SPR(19, "DAR", S, SUP, SUP, F64(dar)),
    SPR(22, "DEC", S, SUP, SUP, .read = dec_read, .write = dec_write),
    SPR(25, "SDR1", S, HYP, HYP, F64(sdr1), .removed_in = PPC_CAT_V300, .end = true),
    SPR(26, "SRR0", B, SUP, SUP, F64(srr0)),
    SPR(27, "SRR1", B, SUP, SUP, F64(srr1)),
    SPR(28, "CFAR", S, SUP, SUP, F64(cfar)),
    SPR(29, "AMR", S, SUP, SUP, F64(amr), .write = amr_write, .end = true),
    SPR(48, "PIDR", V300, SUP, SUP, W32(pidr), .end = true),
    SPR(61, "IAMR", V207, SUP, SUP, F64(iamr), .write = iamr_write, .end = true),
    SPR(128, "TFHAR", V207, USR, USR, F64(tfhar)),
    SPR(129, "TFIAR", V207, USR, USR, F64(tfiar)),
    SPR(130, "TEXASR", V207, USR, USR, F64(texasr)),
    SPR(131, "TEXASRU", V207, USR, USR, .read = texasru_read, .write = texasru_write),
    SPR(136, "CTRL", S, USR, NON, W32(ctrl)),
    SPR(152, "CTRL", S, NON, SUP, W32(ctrl), .write = ctrl_write),
    SPR(153, "FSCR", V207, SUP, SUP, F64(fscr), .end = true),
    SPR(157, "UAMOR", V207, SUP, SUP, F64(uamor), .write = uamor_write, .end = true),
    SPR(180, "DAWR0", V207, HYP, HYP, F64(dawr0), .write = dawr_write, .end = true),
    SPR(187, "CIABR", V207, HYP, HYP, F64(ciabr), .end = true),
    SPR(188, "DAWRX0", V207, HYP, HYP, W32(dawrx0), .write = dawr_write, .end = true),
    SPR(190, "HFSCR", V207, HYP, HYP, F64(hfscr), .end = true),
    SPR(256, "VRSAVE", VMX, USR, USR, F32(vrsave)),
    SPR(259, "SPRG3", S, USR, NON, F64(sprg[3])),
    SPR(268, "TB", B, USR, NON, .read = tb_read),
    SPR(269, "TBU", B, USR, NON, .read = tbu_read),
    SPR(272, "SPRG0", B, SUP, SUP, F64(sprg[0])),
    SPR(273, "SPRG1", B, SUP, SUP, F64(sprg[1])),
    SPR(274, "SPRG2", B, SUP, SUP, F64(sprg[2])),
    SPR(275, "SPRG3", B, SUP, SUP, F64(sprg[3])),
    SPR(284, "TBL", S, NON, HYP, .write = tb_write),
    SPR(285, "TBU", S, NON, HYP, .write = tb_write),
    SPR(286, "TBU40", S, NON, HYP, .write = tb_write),
    SPR(287, "PVR", B, SUP, NON, F64(pvr)),
    SPR(304, "HSPRG0", S, HYP, HYP, F64(hsprg[0])),
    SPR(305, "HSPRG1", S, HYP, HYP, F64(hsprg[1])),
    SPR(306, "HDSISR", S, HYP, HYP, F32(hdsisr)),
    SPR(307, "HDAR", S, HYP, HYP, F64(hdar)),
    SPR(308, "SPURR", S, SUP, HYP, .read = spurr_read, .write = spurr_write),
    SPR(309, "PURR", S, SUP, HYP, .read = purr_read, .write = purr_write),
    SPR(310, "HDEC", S, HYP, HYP, .read = dec_read, .write = dec_write),
    SPR(313, "HRMOR", S, HYP, HYP, F64(hrmor), .end = true),
    SPR(314, "HSRR0", S, HYP, HYP, F64(hsrr0)),
    SPR(315, "HSRR1", S, HYP, HYP, F64(hsrr1)),
    SPR(318, "LPCR", S, HYP, HYP, F64(lpcr), .end = true),
    SPR(319, "LPIDR", S, HYP, HYP, W32(lpidr), .end = true),
    SPR(349, "AMOR", S, HYP, HYP, F64(amor), .end = true),
    SPR(464, "PTCR", V300, HYP, HYP, F64(ptcr), .end = true),
    SPR(769, "MMCR2", S, USR, USR, F64(mmcr2), PMU_USER),
    SPR(770, "MMCRA", S, USR, USR, F64(mmcra), PMU_USER),
    SPR(771, "PMC1", S, USR, USR, W32(pmc[0]), PMU_USER),
    SPR(772, "PMC2", S, USR, USR, W32(pmc[1]), PMU_USER),
    SPR(773, "PMC3", S, USR, USR, W32(pmc[2]), PMU_USER),
    SPR(774, "PMC4", S, USR, USR, W32(pmc[3]), PMU_USER),
    SPR(775, "PMC5", S, USR, USR, W32(pmc[4]), PMU_USER),
    SPR(776, "PMC6", S, USR, USR, W32(pmc[5]), PMU_USER),
    SPR(779, "MMCR0", S, USR, USR, W32(mmcr0), PMU_USER),
    SPR(780, "SIAR", S, USR, NON, F64(siar), PMU_USER),
    SPR(781, "SDAR", S, USR, NON, F64(sdar), PMU_USER),
    SPR(782, "MMCR1", S, USR, NON, F64(mmcr1), PMU_USER),
    SPR(785, "MMCR2", S, SUP, SUP, F64(mmcr2)),
    SPR(786, "MMCRA", S, SUP, SUP, F64(mmcra)),
    SPR(787, "PMC1", S, SUP, SUP, W32(pmc[0])),
    SPR(788, "PMC2", S, SUP, SUP, W32(pmc[1])),
    SPR(789, "PMC3", S, SUP, SUP, W32(pmc[2])),
    SPR(790, "PMC4", S, SUP, SUP, W32(pmc[3])),
    SPR(791, "PMC5", S, SUP, SUP, W32(pmc[4])),
    SPR(792, "PMC6", S, SUP, SUP, W32(pmc[5])),
    SPR(795, "MMCR0", S, SUP, SUP, W32(mmcr0)),
    SPR(796, "SIAR", S, SUP, SUP, F64(siar)),
    SPR(797, "SDAR", S, SUP, SUP, F64(sdar)),
    SPR(798, "MMCR1", S, SUP, SUP, F64(mmcr1)),
    SPR(800, "BESCRS", V207, USR, USR, .read = bescr_read, .write = bescrs_write),
    SPR(801, "BESCRSU", V207, USR, USR, .read = bescru_read, .write = bescrsu_write),
    SPR(802, "BESCRR", V207, USR, USR, .read = bescr_read, .write = bescrr_write),
    SPR(803, "BESCRRU", V207, USR, USR, .read = bescru_read, .write = bescrru_write),
    SPR(804, "EBBHR", V207, USR, USR, F64(ebbhr)),
    SPR(805, "EBBRR", V207, USR, USR, F64(ebbrr)),
    SPR(806, "BESCR", V207, USR, USR, F64(bescr)),
    SPR(815, "TAR", V207, USR, USR, F64(tar)),
    SPR(855, "PSSCR", V300, HYP, HYP, F64(psscr)),
    SPR(896, "PPR", V207, USR, USR, F64(ppr)),
    SPR(898, "PPR32", V207, USR, USR, .read = ppr32_read, .write = ppr32_write),
    SPR(1008, "HID0", S, HYP, HYP, F64(hid[0])),
    SPR(1009, "HID1", S, HYP, HYP, F64(hid[1])),
    SPR(1012, "HID4", S, HYP, HYP, F64(hid[4])),
    SPR(1014, "HID5", S, HYP, HYP, F64(hid[5])),
    SPR(1023, "PIR", S, SUP, NON, F64(pir)),
};

const unsigned ppc_spr_count = ARRAY_SIZE(ppc_spr_table);

static const PpcSpr *search(const PpcSpr *t, unsigned count, unsigned num)
{
    unsigned lo = 0, hi = count;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (t[mid].num == num)
            return &t[mid];
        if (t[mid].num < num)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static bool model_has(const PpcModel *m, const PpcSpr *s)
{
    return (m->categories & s->categories) == s->categories && !(m->categories & s->removed_in);
}

/* A Book III-E model looks in its own table first: its rows override the shared numbers
 * whose meaning differs (DEC, SRR0 with its guest alias, ...). */
const PpcSpr *ppc_spr_lookup(const PpcModel *m, unsigned num)
{
    const PpcSpr *s = NULL;
    if (m->categories & PPC_CAT_E)
        s = search(ppc_spr_table_booke, ppc_spr_count_booke, num);
    if (!s)
        s = search(ppc_spr_table, ppc_spr_count, num);
    return s && model_has(m, s) ? s : NULL;
}

/* Book III-S: MSR[HV PR]. Book III-E with E.HV: MSR[GS PR] (the guest supervisor is the
 * non-hypervisor privileged state); without E.HV the supervisor is the top. */
PpcPriv ppc_priv(const PpcCpu *c)
{
    if (c->msr & MSR_PR)
        return PPC_PRIV_USER;
    if (c->model->categories & PPC_CAT_E)
        return (c->model->categories & PPC_CAT_EHV) && (c->msr & MSR_GS) ? PPC_PRIV_SUPER
                                                                          : PPC_PRIV_HYP;
    return (c->msr & MSR_HV) ? PPC_PRIV_HYP : PPC_PRIV_SUPER;
}

static PpcStatus hv_emulation(PpcCpu *c)
{
    return ppc_raise(c, PPC_EXC_HEMULATION, 0);
}

static bool evirt(const PpcCpu *c)
{
    return !(c->msr & MSR_HV) && (c->lpcr & LPCR_EVIRT);
}

/* Rule 4 of the header; Book III-E (7.6.6 "Program Interrupt"): an undefined number is an
 * illegal instruction. */
static PpcStatus undefined_spr(PpcCpu *c, unsigned num)
{
    if (c->model->categories & PPC_CAT_E)
        return ppc_illegal(c);
    bool problem = (c->msr & MSR_PR) != 0;
    if (num == 0 || num == 4 || num == 5 || num == 6)
        return hv_emulation(c);
    if (problem)
        return (num & 0x10) ? ppc_privileged(c) : hv_emulation(c);
    return evirt(c) ? hv_emulation(c) : PPC_NEXT;
}

/* Rules 2 and 3, then the row's own condition. */
static PpcStatus permitted(PpcCpu *c, const PpcSpr *s, PpcPriv need, bool write)
{
    PpcPriv cur = ppc_priv(c);
    bool booke = (c->model->categories & PPC_CAT_E) != 0;
    /* E.HV: a hypervisor SPR from guest supervisor state is the embedded hypervisor
     * privilege interrupt (the hypervisor emulates it). */
    if (cur < need && booke && cur == PPC_PRIV_SUPER)
        return ppc_raise(c, PPC_EXC_EHPRIV, 0);
    if (cur < need)
        return cur == PPC_PRIV_SUPER && evirt(c) ? hv_emulation(c) : ppc_privileged(c);
    return s->check ? s->check(c, s, write) : PPC_NEXT;
}

static bool reserved_spr(unsigned num)
{
    return num >= 808 && num <= 811;
}

/* E.HV guest state: the row the access really reaches (its privilege was checked on the
 * row the guest named). */
static const PpcSpr *gs_target(PpcCpu *c, const PpcSpr *s)
{
    if (s->gs_alias && (c->msr & MSR_GS) && (c->model->categories & PPC_CAT_EHV)) {
        const PpcSpr *a = ppc_spr_lookup(c->model, s->gs_alias);
        if (a)
            return a;
    }
    return s;
}

PpcStatus ppc_spr_mfspr(PpcCpu *c, unsigned num, uint64_t *rt)
{
    if (reserved_spr(num))
        return PPC_NEXT;
    const PpcSpr *s = ppc_spr_lookup(c->model, num);
    if (!s || s->read_priv == PPC_PRIV_NONE)
        return undefined_spr(c, num);
    PpcStatus st = permitted(c, s, (PpcPriv)s->read_priv, false);
    if (st != PPC_NEXT)
        return st;
    s = gs_target(c, s);
    *rt = s->read ? s->read(c, s) : field_read(c, s);
    return PPC_NEXT;
}

PpcStatus ppc_spr_mtspr(PpcCpu *c, unsigned num, uint64_t val)
{
    if (reserved_spr(num))
        return PPC_NEXT;
    const PpcSpr *s = ppc_spr_lookup(c->model, num);
    if (!s || s->write_priv == PPC_PRIV_NONE)
        return undefined_spr(c, num);
    PpcStatus st = permitted(c, s, (PpcPriv)s->write_priv, true);
    if (st != PPC_NEXT)
        return st;
    s = gs_target(c, s);
    if (s->write)
        s->write(c, s, val);
    else
        field_write(c, s, val);
    return s->end ? PPC_END : PPC_NEXT;
}
