/* cpu/riscv/rv_state.c: a hart's architectural state as a state stream (state.h), for
 * snapshots and --trace-hash. What the soft TLB, the jump cache and the decoded blocks
 * hold is derived and is rebuilt after a load. */
#include "cpu/common/state.h"
#include "cpu/riscv/rv_cpu.h"

#define RV_STATE_FIELDS(F)                                                                     \
    F(mstatus) F(misa) F(medeleg) F(mideleg) F(mie) F(mip) F(mtvec) F(mscratch) F(mepc)        \
    F(mcause) F(mtval) F(mcounteren) F(scounteren) F(mcountinhibit) F(menvcfg) F(senvcfg)      \
    F(stvec) F(sscratch) F(sepc) F(scause) F(stval) F(satp) F(stimecmp) F(minstret_offset)     \
    F(mcycle_offset) F(mhartid) F(mip_hw) F(mip_sw) F(hstatus) F(hedeleg) F(hideleg) F(hvip)   \
    F(hgeie) F(hgeip) F(htval) F(htinst) F(hgatp) F(hcounteren) F(htimedelta) F(henvcfg)       \
    F(vsstatus) F(vstvec) F(vsscratch) F(vsepc) F(vscause) F(vstval) F(vsatp) F(vstimecmp)     \
    F(mtval2) F(mtinst) F(retired) F(lr_addr) F(lr_val)

void rv_hart_save(const RvHart *h, StateW *w)
{
    sw_u64s(w, h->x, 32);
    sw_u64(w, h->pc);
    sw_u64s(w, h->f, 32);
    sw_u32(w, h->fflags);
    sw_u32(w, h->frm);
    sw_u8(w, (uint8_t)h->priv);
    sw_bool(w, h->virt);
#define SAVE(f) sw_u64(w, h->f);
    RV_STATE_FIELDS(SAVE)
#undef SAVE
    sw_u64s(w, h->pmpcfg, ARRAY_SIZE(h->pmpcfg));
    sw_u64s(w, h->pmpaddr, ARRAY_SIZE(h->pmpaddr));
    sw_u64s(w, h->mhpmevent, ARRAY_SIZE(h->mhpmevent));
    sw_bool(w, h->stip_sstc);
    sw_bool(w, h->vstip_sstc);
    sw_bool(w, h->wfi);
    sw_bool(w, h->stopped);
    sw_bool(w, h->cut);
    /* A reservation survives only while no other hart has run since it was taken. */
    sw_bool(w, h->lr_epoch == h->core->run_epoch);
    sw_timer(w, &h->stimecmp_timer);
    sw_timer(w, &h->vstimecmp_timer);
}

void rv_hart_load(RvHart *h, StateR *r)
{
    sr_u64s(r, h->x, 32);
    h->x[0] = 0;
    h->pc = sr_u64(r);
    sr_u64s(r, h->f, 32);
    h->fflags = sr_u32(r);
    h->frm = sr_u32(r);
    h->priv = sr_u8(r);
    if (h->priv == 2 || h->priv > RV_PRIV_M)
        r->bad = true;
    h->virt = sr_bool(r);
#define LOAD(f) h->f = sr_u64(r);
    RV_STATE_FIELDS(LOAD)
#undef LOAD
    sr_u64s(r, h->pmpcfg, ARRAY_SIZE(h->pmpcfg));
    sr_u64s(r, h->pmpaddr, ARRAY_SIZE(h->pmpaddr));
    sr_u64s(r, h->mhpmevent, ARRAY_SIZE(h->mhpmevent));
    h->stip_sstc = sr_bool(r);
    h->vstip_sstc = sr_bool(r);
    h->wfi = sr_bool(r);
    h->stopped = sr_bool(r);
    h->cut = sr_bool(r);
    bool resv = sr_bool(r);
    h->lr_epoch = resv ? h->core->run_epoch : h->core->run_epoch - 1;
    sr_timer(r, h->core->clock, &h->stimecmp_timer);
    sr_timer(r, h->core->clock, &h->vstimecmp_timer);
    if (h->virt && !h->core->has_h)
        r->bad = true;
    h->executed = 0;
    h->cur = h->blk = NULL;
    rv_update_mmu_idx(h);
    rv_tlb_flush(h);
}
