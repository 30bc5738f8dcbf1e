/* cpu/riscv/rv_mem.c: how a hart reaches memory: the soft TLB (virtual page to host
 * pointer per translation context, in banks tagged by satp, or by hgatp and vsatp, i.e.
 * by ASID and VMID), its refill through the page-table walker of
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

static RvTlbSide side_of(unsigned idx)
{
    return idx == RV_MMU_M ? RV_TLB_M : rv_mmu_idx_virt(idx) ? RV_TLB_VIRT : RV_TLB_HOST;
}

/* The context's table within a bank of its side. */
static unsigned ctx_of(unsigned idx)
{
    return idx == RV_MMU_M ? 0 : rv_mmu_idx_virt(idx) ? idx - RV_MMU_VU : idx;
}

static RvTlbBank *side_first(RvHart *h, RvTlbSide side)
{
    static const unsigned first[RV_TLB_SIDES] = {
        [RV_TLB_M] = 0, [RV_TLB_HOST] = 1, [RV_TLB_VIRT] = 1 + RV_TLB_BANKS_SIDE,
    };
    return &h->tlb_bank[first[side]];
}

static unsigned side_count(RvTlbSide side)
{
    return side == RV_TLB_M ? 1 : RV_TLB_BANKS_SIDE;
}

static uint64_t bank_asid(const RvTlbBank *b, RvTlbSide side)
{
    return (b->key[side == RV_TLB_VIRT] >> SATP_ASID_SHIFT) & 0xffff;
}

static uint64_t bank_vmid(const RvTlbBank *b)
{
    return (b->key[0] & HGATP_VMID_MASK) >> HGATP_VMID_SHIFT;
}

static void bank_renew(RvHart *h, RvTlbBank *b)
{
    b->gen = ++h->core->gen_source;
}

/* Empties the bank; it keeps its key. */
static void bank_clear(RvHart *h, RvTlbBank *b)
{
    RvTlbEntry *all = &b->t[0][0];
    if (b->nfilled > ARRAY_SIZE(b->filled)) {
        for (unsigned k = 0; k < RV_TLB_CTX * RV_TLB_SIZE; k++)
            tlb_clear(&all[k]);
    } else {
        for (unsigned k = 0; k < b->nfilled; k++)
            tlb_clear(&all[b->filled[k]]);
    }
    b->nfilled = 0;
    b->super_mask = ~0xfffULL;
    bank_renew(h, b);
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

/* A fence with an address (4.2.1): every cached piece of the leaf that maps va goes.
 * Entries are 4 KiB pieces even of superpages, so the pieces of a superpage leaf are found
 * by their leaf mask among the filled slots. The jump-cache generation is renewed, since
 * the bank's blocks may have been fetched through the old mapping. */
static void bank_flush_page(RvHart *h, RvTlbBank *b, uint64_t va)
{
    RvTlbEntry *all = &b->t[0][0];
    if (b->super_mask == ~0xfffULL) {
        for (unsigned ctx = 0; ctx < RV_TLB_CTX; ctx++)
            flush_entry_if_covers(&b->t[ctx][rv_tlb_slot(va)], va);
    } else if (b->nfilled > ARRAY_SIZE(b->filled)) {
        for (unsigned k = 0; k < RV_TLB_CTX * RV_TLB_SIZE; k++)
            flush_entry_if_covers(&all[k], va);
    } else {
        for (unsigned k = 0; k < b->nfilled; k++)
            flush_entry_if_covers(&all[b->filled[k]], va);
    }
    bank_renew(h, b);
}

void rv_tlb_init(RvHart *h)
{
    for (unsigned n = 0; n < RV_TLB_BANKS; n++) {
        RvTlbBank *b = &h->tlb_bank[n];
        b->nfilled = ARRAY_SIZE(b->filled) + 1; /* everything to clear */
        bank_clear(h, b);
        b->live = false;
        b->stamp = 0;
    }
    h->tlb_bank[0].live = true; /* M-mode: no key */
    for (unsigned s = 0; s < RV_TLB_SIDES; s++)
        h->tlb_cur[s] = NULL;
}

/* Picks the side's bank for the current satp, or hgatp and vsatp: the one holding that key,
 * else the least recently picked (never used ones first), emptied. */
static RvTlbBank *bank_pick(RvHart *h, RvTlbSide side)
{
    RvTlbBank *first = side_first(h, side), *take = NULL;
    if (side == RV_TLB_M) {
        take = first;
    } else {
        uint64_t key0 = side == RV_TLB_HOST ? h->satp : h->hgatp;
        uint64_t key1 = side == RV_TLB_HOST ? 0 : h->vsatp;
        for (unsigned n = 0; n < RV_TLB_BANKS_SIDE; n++) {
            RvTlbBank *b = &first[n];
            if (b->live && b->key[0] == key0 && b->key[1] == key1) {
                take = b;
                break;
            }
            if (!take || b->stamp < take->stamp)
                take = b;
        }
        if (!take->live || take->key[0] != key0 || take->key[1] != key1) {
            bank_clear(h, take);
            take->key[0] = key0;
            take->key[1] = key1;
            take->live = true;
        }
    }
    take->stamp = ++h->tlb_clock;
    h->tlb_cur[side] = take;
    return take;
}

static RvTlbBank *cur_bank(RvHart *h, RvTlbSide side)
{
    RvTlbBank *b = h->tlb_cur[side];
    return b ? b : bank_pick(h, side);
}

RvTlbEntry *rv_tlb_table(RvHart *h, unsigned idx)
{
    return cur_bank(h, side_of(idx))->t[ctx_of(idx)];
}

void rv_tlb_sync(RvHart *h)
{
    h->tlb_data = rv_tlb_table(h, h->mmu_idx_data);
    h->jc_gen = cur_bank(h, side_of(h->mmu_idx_fetch))->gen;
}

void rv_tlb_key_changed(RvHart *h, RvTlbSide side)
{
    h->tlb_cur[side] = NULL;
    rv_tlb_sync(h);
}

void rv_renew_jc(RvHart *h)
{
    for (unsigned n = 0; n < RV_TLB_BANKS; n++)
        bank_renew(h, &h->tlb_bank[n]);
    rv_tlb_sync(h);
}

/* Every bank is emptied and picked again at its next use (the registers may have been set
 * without a CSR write: reset, the built-in SBI). */
void rv_tlb_flush(RvHart *h)
{
    for (unsigned n = 0; n < RV_TLB_BANKS; n++)
        bank_clear(h, &h->tlb_bank[n]);
    for (unsigned s = 0; s < RV_TLB_SIDES; s++)
        h->tlb_cur[s] = NULL;
    rv_tlb_sync(h);
}

void rv_tlb_flush_side(RvHart *h, RvTlbSide side)
{
    rv_tlb_fence(h, &(RvFence){ .side = side });
}

/* The banks of the side that the fence names; a bank that never held a key is empty. */
void rv_tlb_fence(RvHart *h, const RvFence *f)
{
    RvTlbBank *first = side_first(h, f->side);
    for (unsigned n = 0; n < side_count(f->side); n++) {
        RvTlbBank *b = &first[n];
        if (!b->live || (f->by_vmid && bank_vmid(b) != f->vmid) ||
            (f->by_asid && bank_asid(b, f->side) != f->asid))
            continue;
        if (f->by_page)
            bank_flush_page(h, b, f->va);
        else
            bank_clear(h, b);
    }
    rv_tlb_sync(h);
}

void rv_tlb_mark_code(RvHart *h, uint64_t ppage)
{
    for (unsigned n = 0; n < RV_TLB_BANKS; n++) {
        RvTlbBank *b = &h->tlb_bank[n];
        RvTlbEntry *all = &b->t[0][0];
        bool every = b->nfilled > ARRAY_SIZE(b->filled);
        unsigned count = every ? RV_TLB_CTX * RV_TLB_SIZE : b->nfilled;
        for (unsigned k = 0; k < count; k++) {
            RvTlbEntry *e = &all[every ? k : b->filled[k]];
            if (e->pa_page == ppage && e->tag[RV_ACC_WRITE] != RV_TLB_INVALID)
                e->tag[RV_ACC_WRITE] |= RV_TLB_SLOW;
        }
    }
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

/* -d mmu: each step of a walk, one line. */
static void trace_step(void *opaque, const RvPtStep *step)
{
    RvHart *h = opaque;
    char text[256];
    rv_pt_step_format(step, text, sizeof(text));
    fprintf(h->core->log_exec, "hart%u: mmu: %s\n", h->index, text);
}

/* The walker's view of memory, with the trace when -d mmu is on. */
static PtMem pt_mem(RvHart *h)
{
    bool trace = unlikely(h->core->log_mask & RV_LOG_MMU);
    return (PtMem){ .pte_ptr = pte_ptr, .pte_written = pte_written, .opaque = h->core,
                    .trace = trace ? trace_step : NULL, .trace_opaque = h };
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
    PtMem mem = pt_mem(h);
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
    PtMem mem = pt_mem(h);
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
    h->tlb_walks++;
    RvStatus st = rv_translate_level(h, va, acc, idx, &pa, &level);
    if (st != RV_NEXT)
        return st;
    uint64_t vpage = va & ~0xfffULL, ppage = pa & ~0xfffULL;
    unsigned slot = rv_tlb_slot(va), ctx = ctx_of(idx);
    RvTlbBank *b = cur_bank(h, side_of(idx));
    RvTlbEntry *e = &b->t[ctx][slot];
    uint64_t leaf_mask = ~((1ULL << (12 + 9 * level)) - 1);
    if (b->nfilled < ARRAY_SIZE(b->filled))
        b->filled[b->nfilled] = (uint16_t)(ctx * RV_TLB_SIZE + slot);
    if (b->nfilled <= ARRAY_SIZE(b->filled))
        b->nfilled++;
    bool same = e->pa_page == ppage;
    for (unsigned k = 0; k < 3; k++)
        if ((e->tag[k] & ~RV_TLB_SLOW) != vpage || !same)
            e->tag[k] = RV_TLB_INVALID;
    e->pa_page = ppage;
    e->leaf_mask = leaf_mask;
    if (leaf_mask < b->super_mask)
        b->super_mask = leaf_mask;
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
    RvTlbEntry *e = &rv_tlb_table(h, idx)[rv_tlb_slot(va)];
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

typedef RvStatus (*LoadPieceFn)(RvHart *h, uint64_t va, unsigned size, uint64_t *val,
                                unsigned idx);

/* A load through `piece`: whole when it stays in one page; byte by byte when it crosses
 * one, each byte translated, so that a fault on either page comes before anything is
 * read into the result. */
static RvStatus load_pieces(RvHart *h, uint64_t va, unsigned size, uint64_t *val, unsigned idx,
                            LoadPieceFn piece)
{
    if ((va & 0xfff) + size <= 0x1000)
        return piece(h, va, size, val, idx);
    uint64_t v = 0;
    for (unsigned k = 0; k < size; k++) {
        uint64_t b;
        RvStatus st = piece(h, va + k, 1, &b, idx);
        if (st != RV_NEXT)
            return st;
        v |= b << (8 * k);
    }
    *val = v;
    return RV_NEXT;
}

RvStatus rv_load_slow(RvHart *h, uint64_t va, unsigned size, uint64_t *val, unsigned idx)
{
    if (unlikely(h->core->dbg != NULL))
        dbg_check_access(h->core->dbg, h->index, va, size, false);
    return load_pieces(h, va, size, val, idx, load_page);
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
    return load_pieces(h, va, size, val, idx, hlvx_piece);
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
