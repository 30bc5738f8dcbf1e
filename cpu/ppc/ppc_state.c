/* cpu/ppc/ppc_state.c: a thread's architectural state as a state stream (state.h), for
 * snapshots and --trace-hash: registers of Books I and III (Book III-S and Book III-E
 * alike: a model leaves what it lacks at zero), the SLB, the Book III-E TLB arrays and
 * MAS registers, the reservation and the timers. The soft TLB, the jump cache and the
 * decoded blocks are derived and are rebuilt after a load. */
#include "cpu/common/state.h"
#include "cpu/ppc/ppc_core.h"

#define PPC_STATE_U64(F)                                                                       \
    F(nip) F(lr) F(ctr) F(xer) F(msr) F(srr0) F(srr1) F(hsrr0) F(hsrr1) F(dar) F(hdar)         \
    F(cfar) F(dec_deadline) F(hdec_deadline) F(tb_offset) F(pvr) F(pir) F(lpcr) F(lpidr)       \
    F(pidr) F(hrmor) F(sdr1) F(ptcr) F(amr) F(iamr) F(uamor) F(amor) F(dscr) F(ppr) F(ctrl)    \
    F(fscr) F(hfscr) F(tar) F(ciabr) F(dawr0) F(dawrx0) F(mmcr0) F(mmcr1) F(mmcr2) F(mmcra)    \
    F(siar) F(sdar) F(purr_offset) F(spurr_offset) F(psscr) F(bescr) F(ebbhr) F(ebbrr)         \
    F(tfhar) F(tfiar) F(texasr) F(ivpr) F(givpr) F(csrr0) F(csrr1) F(mcsrr0) F(mcsrr1)         \
    F(dsrr0) F(dsrr1) F(gsrr0) F(gsrr1) F(dear) F(gdear) F(mcar) F(retired) F(resv_addr)

#define PPC_STATE_U32(F)                                                                       \
    F(cr) F(fpscr_lo) F(vscr) F(vrsave) F(dsisr) F(hdsisr) F(esr) F(gesr) F(mcsr) F(epr)       \
    F(gepr) F(gpir) F(tcr) F(tsr) F(decar) F(pid) F(mmucsr0) F(epcr) F(msrp) F(eplc) F(epsc)   \
    F(svr) F(bucsr) F(dbsr) F(booke_irqs) F(resv_size)

#define PPC_STATE_ARRAYS(F)                                                                    \
    F(sprg) F(hsprg) F(pmc) F(hid) F(sprg_e) F(gsprg) F(iac) F(dac) F(resv_val)

#define PPC_STATE_ARRAYS32(F) F(ivor) F(givor) F(l1csr) F(l2csr) F(dbcr) F(pmr)

static void save_tlbe(StateW *w, const BookeTlbe *e)
{
    sw_u32(w, e->mas1);
    sw_u64(w, e->mas2);
    sw_u32(w, e->mas3);
    sw_u32(w, e->mas7);
    sw_u32(w, e->mas8);
}

static void load_tlbe(StateR *r, BookeTlbe *e)
{
    e->mas1 = sr_u32(r);
    e->mas2 = sr_u64(r);
    e->mas3 = sr_u32(r);
    e->mas7 = sr_u32(r);
    e->mas8 = sr_u32(r);
}

void ppc_cpu_save(const PpcCpu *c, StateW *w)
{
    sw_u64s(w, c->gpr, 32);
    for (unsigned k = 0; k < 64; k++)
        sw_u64s(w, c->vsr[k].d, 2);
#define SAVE(f) sw_u64(w, c->f);
    PPC_STATE_U64(SAVE)
#undef SAVE
#define SAVE32(f) sw_u32(w, c->f);
    PPC_STATE_U32(SAVE32)
#undef SAVE32
#define SAVEA(f) sw_u64s(w, c->f, ARRAY_SIZE(c->f));
    PPC_STATE_ARRAYS(SAVEA)
#undef SAVEA
#define SAVEA32(f) sw_u32s(w, c->f, ARRAY_SIZE(c->f));
    PPC_STATE_ARRAYS32(SAVEA32)
#undef SAVEA32
    for (unsigned k = 0; k < PPC_SLB_MAX; k++) {
        sw_u64(w, c->slb[k].esid);
        sw_u64(w, c->slb[k].vsid);
    }
    const BookeMas *m = &c->mas;
    sw_u32(w, m->mas0);
    sw_u32(w, m->mas1);
    sw_u64(w, m->mas2);
    sw_u32(w, m->mas3);
    sw_u32(w, m->mas4);
    sw_u32(w, m->mas5);
    sw_u32(w, m->mas6);
    sw_u32(w, m->mas7);
    sw_u32(w, m->mas8);
    if (c->model->categories & PPC_CAT_E) {
        for (unsigned k = 0; k < BOOKE_TLB0_ENTRIES; k++)
            save_tlbe(w, &c->btlb.tlb0[k]);
        for (unsigned k = 0; k < BOOKE_TLB1_ENTRIES; k++)
            save_tlbe(w, &c->btlb.tlb1[k]);
        sw_bytes(w, c->btlb.tlb0_nv, sizeof(c->btlb.tlb0_nv));
    }
    sw_bool(w, c->dec_pending);
    sw_bool(w, c->ext_pending);
    sw_bool(w, c->waiting);
    sw_bool(w, c->stopped);
    sw_bool(w, c->cut);
    /* A reservation survives only while no other thread has run since it was taken. */
    sw_bool(w, c->resv_epoch == ppc_core(c)->run_epoch);
    sw_timer(w, &c->dec_timer);
    sw_timer(w, &c->fit_timer);
    sw_timer(w, &c->wdt_timer);
}

void ppc_cpu_load(PpcCpu *c, StateR *r)
{
    sr_u64s(r, c->gpr, 32);
    c->gpr[32] = 0;
    for (unsigned k = 0; k < 64; k++)
        sr_u64s(r, c->vsr[k].d, 2);
#define LOAD(f) c->f = sr_u64(r);
    PPC_STATE_U64(LOAD)
#undef LOAD
#define LOAD32(f) c->f = sr_u32(r);
    PPC_STATE_U32(LOAD32)
#undef LOAD32
#define LOADA(f) sr_u64s(r, c->f, ARRAY_SIZE(c->f));
    PPC_STATE_ARRAYS(LOADA)
#undef LOADA
#define LOADA32(f) sr_u32s(r, c->f, ARRAY_SIZE(c->f));
    PPC_STATE_ARRAYS32(LOADA32)
#undef LOADA32
    if (c->resv_size > sizeof(c->resv_val))
        r->bad = true;
    for (unsigned k = 0; k < PPC_SLB_MAX; k++) {
        c->slb[k].esid = sr_u64(r);
        c->slb[k].vsid = sr_u64(r);
    }
    BookeMas *m = &c->mas;
    m->mas0 = sr_u32(r);
    m->mas1 = sr_u32(r);
    m->mas2 = sr_u64(r);
    m->mas3 = sr_u32(r);
    m->mas4 = sr_u32(r);
    m->mas5 = sr_u32(r);
    m->mas6 = sr_u32(r);
    m->mas7 = sr_u32(r);
    m->mas8 = sr_u32(r);
    if (c->model->categories & PPC_CAT_E) {
        for (unsigned k = 0; k < BOOKE_TLB0_ENTRIES; k++)
            load_tlbe(r, &c->btlb.tlb0[k]);
        for (unsigned k = 0; k < BOOKE_TLB1_ENTRIES; k++)
            load_tlbe(r, &c->btlb.tlb1[k]);
        sr_bytes(r, c->btlb.tlb0_nv, sizeof(c->btlb.tlb0_nv));
        for (unsigned k = 0; k < BOOKE_TLB0_SETS; k++)
            if (c->btlb.tlb0_nv[k] >= BOOKE_TLB0_WAYS)
                r->bad = true;
    }
    c->dec_pending = sr_bool(r);
    c->ext_pending = sr_bool(r);
    c->waiting = sr_bool(r);
    c->stopped = sr_bool(r);
    c->cut = sr_bool(r);
    bool resv = sr_bool(r);
    c->resv_epoch = resv ? ppc_core(c)->run_epoch : ppc_core(c)->run_epoch - 1;
    VClock *clock = ppc_core(c)->clock;
    sr_timer(r, clock, &c->dec_timer);
    sr_timer(r, clock, &c->fit_timer);
    sr_timer(r, clock, &c->wdt_timer);
    c->executed = 0;
    c->cur = c->blk = NULL;
    ppc_tlb_flush(c);
}
