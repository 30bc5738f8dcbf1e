/* cpu/riscv/rv_mem.c: how a hart reaches memory: the soft TLB (virtual page to host
 * pointer per translation context), its refill through the page-table walker of
 * mmu/riscv_pt.c, MMIO through the bus, page-crossing and misaligned accesses, and the
 * write barrier that drops translated code when its page is stored to (Volume II, 4.3
 * for the faults raised; Volume I, 2.6 for misaligned accesses, which this hart performs
 * in hardware except for atomics). With the H extension the V=1 contexts translate through
 * vsatp and hgatp (Volume II, 8.5 "Two-Stage Address Translation"), and their faults carry
 * htval/mtval2 and the walker's htinst/mtinst pseudoinstruction (8.6.3). */
#include "cpu/riscv/rv_block.h"
#include "mmu/riscv_pt.h"

static const uint64_t fault_cause[3][2] = {
    /* page fault, access fault */
    [RV_ACC_READ] = { EXC_LOAD_PAGE_FAULT, EXC_LOAD_ACCESS },
    [RV_ACC_WRITE] = { EXC_STORE_PAGE_FAULT, EXC_STORE_ACCESS },
    [RV_ACC_EXEC] = { EXC_INSN_PAGE_FAULT, EXC_INSN_ACCESS },
};

static void tlb_clear(RvTlbEntry *e)
{
    e->tag[0] = e->tag[1] = e->tag[2] = RV_TLB_INVALID;
    e->pa_page = RV_TLB_INVALID;
}

void rv_tlb_flush(RvHart *h)
{
    rv_tlb_flush_mask(h, RV_MMU_MASK_ALL);
}

static bool idx_in(unsigned slot, unsigned idx_mask)
{
    return (idx_mask >> (slot / RV_TLB_SIZE)) & 1;
}

/* Flushes the contexts of idx_mask; the slots of the others stay listed as filled. */
void rv_tlb_flush_mask(RvHart *h, unsigned idx_mask)
{
    RvTlbEntry *all = &h->tlb[0][0];
    bool everything = (idx_mask & RV_MMU_MASK_ALL) == RV_MMU_MASK_ALL;
    if (h->tlb_nfilled > ARRAY_SIZE(h->tlb_filled)) {
        for (unsigned k = 0; k < RV_MMU_COUNT * RV_TLB_SIZE; k++)
            if (idx_in(k, idx_mask))
                tlb_clear(&all[k]);
        if (everything)
            h->tlb_nfilled = 0;
    } else {
        unsigned kept = 0;
        for (unsigned k = 0; k < h->tlb_nfilled; k++) {
            uint16_t slot = h->tlb_filled[k];
            if (idx_in(slot, idx_mask))
                tlb_clear(&all[slot]);
            else
                h->tlb_filled[kept++] = slot;
        }
        h->tlb_nfilled = kept;
    }
    if (everything || h->tlb_nfilled == 0)
        h->tlb_super_mask = ~0xfffULL;
    rv_renew_jc(h);
}

static uint64_t entry_vpage(const RvTlbEntry *e)
{
    for (unsigned k = 0; k < 3; k++)
        if (e->tag[k] != RV_TLB_INVALID)
            return e->tag[k] & ~RV_TLB_SLOW;
    return RV_TLB_INVALID;
}

static void flush_entry_if_covers(RvTlbEntry *e, uint64_t va)
{
    uint64_t vpage = entry_vpage(e);
    if (vpage != RV_TLB_INVALID && ((vpage ^ va) & e->leaf_mask) == 0)
        tlb_clear(e);
}

/* SFENCE.VMA with an address (4.2.1): every cached piece of the leaf that maps va goes.
 * Entries are 4 KiB pieces even of superpages, so the pieces of a superpage leaf are
 * found by their leaf mask among the filled slots. The jump cache is renewed, since it
 * may hold blocks fetched through the old mapping. */
void rv_tlb_flush_page(RvHart *h, uint64_t va)
{
    rv_tlb_flush_page_mask(h, va, RV_MMU_MASK_ALL);
}

void rv_tlb_flush_page_mask(RvHart *h, uint64_t va, unsigned idx_mask)
{
    RvTlbEntry *all = &h->tlb[0][0];
    if (h->tlb_super_mask == ~0xfffULL) {
        for (unsigned idx = 0; idx < RV_MMU_COUNT; idx++)
            if ((idx_mask >> idx) & 1)
                flush_entry_if_covers(&h->tlb[idx][rv_tlb_slot(va)], va);
    } else if (h->tlb_nfilled > ARRAY_SIZE(h->tlb_filled)) {
        for (unsigned k = 0; k < RV_MMU_COUNT * RV_TLB_SIZE; k++)
            if (idx_in(k, idx_mask))
                flush_entry_if_covers(&all[k], va);
    } else {
        for (unsigned k = 0; k < h->tlb_nfilled; k++)
            if (idx_in(h->tlb_filled[k], idx_mask))
                flush_entry_if_covers(&all[h->tlb_filled[k]], va);
    }
    rv_renew_jc(h);
}

static uint8_t *pte_ptr(void *opaque, uint64_t pa)
{
    RvCore *c = opaque;
    if (pa & 7)
        return NULL;
    return bus_ram_ptr(c->bus, pa, 8);
}

static void pte_written(void *opaque, uint64_t pa)
{
    rv_code_written(opaque, pa, 8);
}

static bool idx_user(unsigned idx) { return idx == RV_MMU_U; }
static bool idx_sum(unsigned idx) { return idx == RV_MMU_S_SUM; }

RvStatus rv_translate(RvHart *h, uint64_t va, RvAccess acc, unsigned idx, uint64_t *pa)
{
    unsigned level;
    return rv_translate_level(h, va, acc, idx, pa, &level);
}

/* A V=1 context (8.5): the VS-stage under vsatp, each of its PTE accesses and the final
 * GPA through the G-stage under hgatp. HS-level MXR applies to both stages, vsstatus.MXR
 * to the VS-stage only; the SUM that applies is vsstatus.SUM (in the context). A fault
 * carries the walker's htval and, for an implicit access, its pseudoinstruction; tval is
 * a guest virtual address. */
static RvStatus translate_virt(RvHart *h, uint64_t va, RvAccess acc, unsigned idx, bool hlvx,
                               uint64_t *pa, unsigned *level)
{
    PtMem mem = { .pte_ptr = pte_ptr, .pte_written = pte_written, .opaque = h->core };
    RvXlate x = { .access = (RvPtAccess)acc, .user = idx == RV_MMU_VU,
                  .sum = idx == RV_MMU_VS_SUM, .mxr = (h->mstatus & MSTATUS_MXR) != 0,
                  .mxr_vs = (h->vsstatus & MSTATUS_MXR) != 0, .hlvx = hlvx };
    RvPtTwoStage t;
    RvPtResult r = rv_pt_vs_walk(&mem, h->vsatp, h->hgatp, va, &x, &t);
    if (r != RV_PT_OK) {
        h->exc = (RvException){ .cause = rv_pt_cause(r, x.access), .tval = va,
                                .tval2 = t.htval, .tinst = t.htinst, .gva = true,
                                .tinst_fixed = t.implicit };
        return RV_TRAP;
    }
    *pa = t.pa;
    *level = (t.page_shift - 12) / 9;
    return RV_NEXT;
}

RvStatus rv_translate_level(RvHart *h, uint64_t va, RvAccess acc, unsigned idx, uint64_t *pa,
                            unsigned *level)
{
    *level = 0;
    if (rv_mmu_idx_virt(idx))
        return translate_virt(h, va, acc, idx, false, pa, level);
    if (idx == RV_MMU_M || (h->satp >> SATP_MODE_SHIFT) == SATP_MODE_BARE) {
        *pa = va;
        return RV_NEXT;
    }
    PtMem mem = { .pte_ptr = pte_ptr, .pte_written = pte_written, .opaque = h->core };
    RvXlate x = { .access = (RvPtAccess)acc, .user = idx_user(idx), .sum = idx_sum(idx),
                  .mxr = (h->mstatus & MSTATUS_MXR) != 0 };
    RvPtWalk w;
    RvPtResult r = rv_pt_walk(&mem, h->satp, va, &x, &w);
    if (r != RV_PT_OK)
        return rv_raise(h, fault_cause[acc][r == RV_PT_ACCESS_FAULT], va);
    *pa = w.pa;
    *level = w.level;
    return RV_NEXT;
}

/* Translates and installs the page in the soft TLB. */
static RvStatus tlb_fill(RvHart *h, uint64_t va, RvAccess acc, unsigned idx, RvTlbEntry **out)
{
    uint64_t pa;
    unsigned level;
    RvStatus st = rv_translate_level(h, va, acc, idx, &pa, &level);
    if (st != RV_NEXT)
        return st;
    uint64_t vpage = va & ~0xfffULL, ppage = pa & ~0xfffULL;
    unsigned slot = rv_tlb_slot(va);
    RvTlbEntry *e = &h->tlb[idx][slot];
    uint64_t leaf_mask = ~((1ULL << (12 + 9 * level)) - 1);
    if (h->tlb_nfilled < ARRAY_SIZE(h->tlb_filled))
        h->tlb_filled[h->tlb_nfilled] = (uint16_t)(idx * RV_TLB_SIZE + slot);
    if (h->tlb_nfilled <= ARRAY_SIZE(h->tlb_filled))
        h->tlb_nfilled++;
    bool same = e->pa_page == ppage;
    for (unsigned k = 0; k < 3; k++)
        if ((e->tag[k] & ~RV_TLB_SLOW) != vpage || !same)
            e->tag[k] = RV_TLB_INVALID;
    e->pa_page = ppage;
    e->leaf_mask = leaf_mask;
    if (leaf_mask < h->tlb_super_mask)
        h->tlb_super_mask = leaf_mask;
    uint8_t *host = bus_ram_ptr(h->core->bus, ppage, 4096);
    if (host) {
        BusRegion *r = bus_find(h->core->bus, ppage, 4096);
        e->addend = (uintptr_t)host - (uintptr_t)vpage;
        e->mmio = false;
        e->rom = r->readonly;
        bool slow = acc == RV_ACC_WRITE && (e->rom || tb_page_has_code(&h->core->tb, ppage));
        if (unlikely(h->core->dbg != NULL) && acc != RV_ACC_EXEC &&
            dbg_page_watched(h->core->dbg, vpage))
            slow = true;
        e->tag[acc] = vpage | (slow ? RV_TLB_SLOW : 0);
    } else {
        for (unsigned k = 0; k < 3; k++)
            e->tag[k] = RV_TLB_INVALID;
        e->addend = 0;
        e->mmio = true;
        e->rom = false;
        e->tag[acc] = vpage | RV_TLB_SLOW;
    }
    *out = e;
    return RV_NEXT;
}

static RvTlbEntry *tlb_lookup(RvHart *h, uint64_t va, RvAccess acc, unsigned idx)
{
    RvTlbEntry *e = &h->tlb[idx][rv_tlb_slot(va)];
    return (e->tag[acc] & ~RV_TLB_SLOW) == (va & ~0xfffULL) ? e : NULL;
}

/* Physical address of va for acc, through the TLB. */
static RvStatus tlb_translate(RvHart *h, uint64_t va, RvAccess acc, unsigned idx, RvTlbEntry **e)
{
    *e = tlb_lookup(h, va, acc, idx);
    if (*e)
        return RV_NEXT;
    return tlb_fill(h, va, acc, idx, e);
}

static RvStatus access_fault(RvHart *h, RvAccess acc, uint64_t va)
{
    return rv_raise(h, fault_cause[acc][1], va);
}

static RvStatus load_page(RvHart *h, uint64_t va, unsigned size, uint64_t *val, unsigned idx)
{
    RvTlbEntry *e;
    RvStatus st = tlb_translate(h, va, RV_ACC_READ, idx, &e);
    if (st != RV_NEXT)
        return st;
    if (!(e->tag[RV_ACC_READ] & RV_TLB_SLOW) || !e->mmio) {
        *val = ld_le((const void *)(uintptr_t)(va + e->addend), size);
        return RV_NEXT;
    }
    uint64_t pa = e->pa_page | (va & 0xfff);
    h->core->clock->offset = rv_progress(h); /* devices see the time of this access */
    if ((pa & (size - 1)) || !bus_read(h->core->bus, pa, size, val))
        return access_fault(h, RV_ACC_READ, va);
    return RV_NEXT;
}

RvStatus rv_load_slow(RvHart *h, uint64_t va, unsigned size, uint64_t *val, unsigned idx)
{
    if (unlikely(h->core->dbg != NULL))
        dbg_check_access(h->core->dbg, h->index, va, size, false);
    if ((va & 0xfff) + size <= 0x1000)
        return load_page(h, va, size, val, idx);
    /* Crosses a page: both pages must translate before anything is read. */
    uint64_t v = 0;
    for (unsigned k = 0; k < size; k++) {
        uint64_t b;
        RvStatus st = load_page(h, va + k, 1, &b, idx);
        if (st != RV_NEXT)
            return st;
        v |= b << (8 * k);
    }
    *val = v;
    return RV_NEXT;
}

static RvStatus store_page(RvHart *h, uint64_t va, unsigned size, uint64_t val, unsigned idx)
{
    RvTlbEntry *e;
    RvStatus st = tlb_translate(h, va, RV_ACC_WRITE, idx, &e);
    if (st != RV_NEXT)
        return st;
    uint64_t pa = e->pa_page | (va & 0xfff);
    if (e->tag[RV_ACC_WRITE] & RV_TLB_SLOW) {
        if (e->mmio || e->rom) {
            h->core->clock->offset = rv_progress(h);
            if ((pa & (size - 1)) || !bus_write(h->core->bus, pa, size, val))
                return access_fault(h, RV_ACC_WRITE, va);
            return RV_NEXT;
        }
        /* RAM holding translated code: drop the blocks, then the page is plain data. */
        rv_code_written(h->core, pa, size);
        if (likely(h->core->dbg == NULL) || !dbg_page_watched(h->core->dbg, va & ~0xfffULL))
            e->tag[RV_ACC_WRITE] &= ~RV_TLB_SLOW;
    }
    st_le((void *)(uintptr_t)(va + e->addend), size, val);
    return RV_NEXT;
}

RvStatus rv_store_slow(RvHart *h, uint64_t va, unsigned size, uint64_t val, unsigned idx)
{
    if (unlikely(h->core->dbg != NULL))
        dbg_check_access(h->core->dbg, h->index, va, size, true);
    if ((va & 0xfff) + size <= 0x1000) {
        RvStatus st = store_page(h, va, size, val, idx);
        /* A store into the running block's code ends the block (STYLE: the loop then
         * continues from freshly decoded code). */
        return st == RV_NEXT && h->tb_dirty ? RV_END : st;
    }
    /* Crosses a page: translate both for write first so a fault leaves memory as it was. */
    RvTlbEntry *e;
    uint64_t second = (va + size - 1) & ~0xfffULL;
    RvStatus st = tlb_translate(h, va, RV_ACC_WRITE, idx, &e);
    if (st == RV_NEXT)
        st = tlb_translate(h, second, RV_ACC_WRITE, idx, &e);
    if (st != RV_NEXT)
        return st;
    for (unsigned k = 0; k < size; k++) {
        st = store_page(h, va + k, 1, (val >> (8 * k)) & 0xff, idx);
        if (st != RV_NEXT)
            return st;
    }
    return h->tb_dirty ? RV_END : RV_NEXT;
}

RvStatus rv_translate_atomic(RvHart *h, uint64_t va, unsigned size, RvAccess acc, uint64_t *pa,
                             uint8_t **host)
{
    if (va & (size - 1))
        return rv_raise(h, acc == RV_ACC_READ ? EXC_LOAD_MISALIGNED : EXC_STORE_MISALIGNED, va);
    if (unlikely(h->core->dbg != NULL))
        dbg_check_access(h->core->dbg, h->index, va, size, acc != RV_ACC_READ);
    RvTlbEntry *e;
    RvStatus st = tlb_translate(h, va, acc, h->mmu_idx_data, &e);
    if (st != RV_NEXT)
        return st;
    if (e->mmio || (acc == RV_ACC_WRITE && e->rom)) /* no device supports atomics */
        return access_fault(h, acc == RV_ACC_READ ? RV_ACC_READ : RV_ACC_WRITE, va);
    *pa = e->pa_page | (va & 0xfff);
    if (acc == RV_ACC_WRITE && (e->tag[RV_ACC_WRITE] & RV_TLB_SLOW)) {
        rv_code_written(h->core, *pa, size);
        if (likely(h->core->dbg == NULL) || !dbg_page_watched(h->core->dbg, va & ~0xfffULL))
            e->tag[RV_ACC_WRITE] &= ~RV_TLB_SLOW;
    }
    *host = (uint8_t *)(uintptr_t)(va + e->addend);
    return RV_NEXT;
}

/* HLVX.HU/WU: read permission is replaced by execute permission at both stages, so the
 * translation is made for this access alone and not cached. A misaligned access that
 * crosses a page is done byte by byte, each translated. */
static RvStatus hlvx_piece(RvHart *h, uint64_t va, unsigned size, uint64_t *val, unsigned idx)
{
    uint64_t pa;
    unsigned level;
    RvStatus st = translate_virt(h, va, RV_ACC_READ, idx, true, &pa, &level);
    if (st != RV_NEXT)
        return st;
    uint8_t *p = bus_ram_ptr(h->core->bus, pa, size);
    if (p) {
        *val = ld_le(p, size);
        return RV_NEXT;
    }
    h->core->clock->offset = rv_progress(h);
    if ((pa & (size - 1)) || !bus_read(h->core->bus, pa, size, val))
        return access_fault(h, RV_ACC_READ, va);
    return RV_NEXT;
}

RvStatus rv_load_hlvx(RvHart *h, uint64_t va, unsigned size, uint64_t *val, unsigned idx)
{
    if ((va & 0xfff) + size <= 0x1000)
        return hlvx_piece(h, va, size, val, idx);
    uint64_t v = 0;
    for (unsigned k = 0; k < size; k++) {
        uint64_t b;
        RvStatus st = hlvx_piece(h, va + k, 1, &b, idx);
        if (st != RV_NEXT)
            return st;
        v |= b << (8 * k);
    }
    *val = v;
    return RV_NEXT;
}

/* Instruction fetch of the halfword or word at va; used to build blocks. Returns the
 * host pointer of the page and the physical page. */
RvStatus rv_fetch_page(RvHart *h, uint64_t va, uint64_t *pa, const uint8_t **host)
{
    RvTlbEntry *e;
    RvStatus st = tlb_translate(h, va, RV_ACC_EXEC, h->mmu_idx_fetch, &e);
    if (st != RV_NEXT)
        return st;
    if (e->mmio)
        return access_fault(h, RV_ACC_EXEC, va);
    *pa = e->pa_page | (va & 0xfff);
    *host = (const uint8_t *)(uintptr_t)((va & ~0xfffULL) + e->addend);
    return RV_NEXT;
}

RvStatus rv_fetch_slow(RvHart *h, uint64_t va, uint32_t *insn, unsigned *len)
{
    uint64_t pa;
    const uint8_t *page;
    RvStatus st = rv_fetch_page(h, va, &pa, &page);
    if (st != RV_NEXT)
        return st;
    uint16_t lo = (uint16_t)ld_le(page + (va & 0xfff), 2);
    *len = rv_insn_len(lo);
    if (*len == 2) {
        *insn = lo;
        return RV_NEXT;
    }
    if ((va & 0xfff) <= 0xffc) {
        *insn = (uint32_t)ld_le(page + (va & 0xfff), 4);
        return RV_NEXT;
    }
    st = rv_fetch_page(h, va + 2, &pa, &page);
    if (st != RV_NEXT) {
        h->exc.tval = va + 2;
        return st;
    }
    *insn = lo | (uint32_t)ld_le(page, 2) << 16;
    return RV_NEXT;
}
