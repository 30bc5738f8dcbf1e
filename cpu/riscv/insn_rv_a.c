/* cpu/riscv/insn_rv_a.c: the A extension (Volume I, chapter 8 "A Standard Extension for
 * Atomic Instructions"). Harts run one at a time, so an AMO is atomic by construction.
 * LR records the physical address, the value loaded and the core's run epoch; SC
 * succeeds only when no other hart has run since (so no other hart can have stored to
 * the reservation set: 8.2 requires the SC to fail then) and memory still holds the
 * value. A quantum switch between LR and SC is rare, and the failure it causes is one
 * the specification allows; a retry loop succeeds in the next pass. */
#include "cpu/riscv/rv_decode.h"

#define X(r) (h->x[(r)])

static RvStatus lr(RvHart *h, const RvInsn *i, unsigned size)
{
    uint64_t pa;
    uint8_t *p;
    RvStatus st = rv_translate_atomic(h, X(i->rs1), size, RV_ACC_READ, &pa, &p);
    if (st != RV_NEXT)
        return st;
    uint64_t v = ld_le(p, size);
    h->lr_addr = pa;
    h->lr_val = v;
    h->lr_epoch = h->core->run_epoch;
    X(i->rd) = size == 4 ? (uint64_t)(int64_t)(int32_t)v : v;
    return RV_NEXT;
}

static RvStatus sc(RvHart *h, const RvInsn *i, unsigned size)
{
    uint64_t pa;
    uint8_t *p;
    RvStatus st = rv_translate_atomic(h, X(i->rs1), size, RV_ACC_WRITE, &pa, &p);
    if (st != RV_NEXT)
        return st;
    bool ok = h->lr_addr == pa && h->lr_epoch == h->core->run_epoch &&
              ld_le(p, size) == h->lr_val;
    h->lr_addr = ~0ULL;
    if (ok)
        st_le(p, size, X(i->rs2));
    X(i->rd) = !ok;
    return h->tb_dirty ? RV_END : RV_NEXT;
}

RvStatus rv_exec_lr_w(RvHart *h, const RvInsn *i) { return lr(h, i, 4); }
RvStatus rv_exec_lr_d(RvHart *h, const RvInsn *i) { return lr(h, i, 8); }
RvStatus rv_exec_sc_w(RvHart *h, const RvInsn *i) { return sc(h, i, 4); }
RvStatus rv_exec_sc_d(RvHart *h, const RvInsn *i) { return sc(h, i, 8); }

typedef uint64_t (*AmoOp)(uint64_t mem, uint64_t src, unsigned size);

static int64_t sv(uint64_t v, unsigned size) { return size == 4 ? (int32_t)v : (int64_t)v; }
static uint64_t uv(uint64_t v, unsigned size) { return size == 4 ? (uint32_t)v : v; }

static uint64_t op_swap(uint64_t m, uint64_t s, unsigned z) { return s; }
static uint64_t op_add(uint64_t m, uint64_t s, unsigned z) { return m + s; }
static uint64_t op_xor(uint64_t m, uint64_t s, unsigned z) { return m ^ s; }
static uint64_t op_and(uint64_t m, uint64_t s, unsigned z) { return m & s; }
static uint64_t op_or(uint64_t m, uint64_t s, unsigned z) { return m | s; }
static uint64_t op_min(uint64_t m, uint64_t s, unsigned z) { return sv(m, z) < sv(s, z) ? m : s; }
static uint64_t op_max(uint64_t m, uint64_t s, unsigned z) { return sv(m, z) > sv(s, z) ? m : s; }
static uint64_t op_minu(uint64_t m, uint64_t s, unsigned z) { return uv(m, z) < uv(s, z) ? m : s; }
static uint64_t op_maxu(uint64_t m, uint64_t s, unsigned z) { return uv(m, z) > uv(s, z) ? m : s; }

static RvStatus amo(RvHart *h, const RvInsn *i, unsigned size, AmoOp op)
{
    uint64_t pa;
    uint8_t *p;
    RvStatus st = rv_translate_atomic(h, X(i->rs1), size, RV_ACC_WRITE, &pa, &p);
    if (st != RV_NEXT)
        return st;
    uint64_t old = ld_le(p, size);
    st_le(p, size, op(old, X(i->rs2), size));
    X(i->rd) = size == 4 ? (uint64_t)(int64_t)(int32_t)old : old;
    return h->tb_dirty ? RV_END : RV_NEXT;
}

#define AMO(name, fn) \
    RvStatus rv_exec_amo##name##_w(RvHart *h, const RvInsn *i) { return amo(h, i, 4, fn); } \
    RvStatus rv_exec_amo##name##_d(RvHart *h, const RvInsn *i) { return amo(h, i, 8, fn); }
AMO(swap, op_swap)
AMO(add, op_add)
AMO(xor, op_xor)
AMO(and, op_and)
AMO(or, op_or)
AMO(min, op_min)
AMO(max, op_max)
AMO(minu, op_minu)
AMO(maxu, op_maxu)
