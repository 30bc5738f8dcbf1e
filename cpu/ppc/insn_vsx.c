/* cpu/ppc/insn_vsx.c: the Vector-Scalar Facility (Power ISA v3.0B Book I chapter 7
 * "Vector-Scalar Floating-Point Operations", with the v2.06 instructions, POWER8's v2.07
 * additions and POWER9's v3.0 ones): the storage access instructions (lxvd2x and lxvw4x
 * load elements in order, each in the byte order of MSR[LE]; lxvx, lxv and lxvl order the
 * whole quadword by MSR[LE]; lxvb16x, lxvh8x and lxvll ignore it or use big-endian
 * order), the moves between VSRs and GPRs, the logical, permute and splat instructions,
 * and the binary floating-point instructions in scalar and vector form.
 *
 * Scalar floating-point instructions work on doubleword 0 and set the FPSCR as the
 * corresponding Floating-Point Facility instructions do (4.4: exceptions, FR, FI, FPRF,
 * suppressed results for enabled invalid and zero-divide exceptions, the program interrupt
 * under MSR[FE0 FE1]) through ppc_fp_result of insn_fp.c; where they write a result,
 * doubleword 1 becomes 0 (v3.0: earlier versions left it undefined). Vector instructions
 * work element by element: each element's exceptions set the FPSCR exception bits (FX, VX,
 * FEX as usual) but not FR, FI or FPRF, and if any element has an exception whose enable
 * bit is set, XT is not written at all; the FPSCR bookkeeping for these uses insn_fp.c's
 * helpers (ppc_fp_exceptions, ppc_fpscr_raise, ppc_fp_enabled). MSR[VSX] = 0 gives the
 * VSX Unavailable interrupt; the v2.07 GPR moves ask for MSR[FP] or MSR[VEC] by register
 * half, and the v3.0 vector loads and stores for MSR[VSX] or MSR[VEC]. */
#include "cpu/ppc/ppc_decode.h"
#include "cpu/ppc/ppc_fpu.h"
#include "cpu/ppc/ppc_vec.h"

#define GPR(n) (c->gpr[(n)])

#define D_SIGN (1ULL << 63)
#define D_ONE 0x3ff0000000000000ULL
#define S_SIGN 0x80000000ULL
#define S_ONE 0x3f800000ULL

static inline bool vsx_off(const PpcCpu *c)
{
    return !(c->msr & MSR_VSX);
}

/* The v3.0 vector loads and stores, mfvsrld, mtvsrdd, mtvsrws: VSR 0-31 need MSR[VSX],
 * VSR 32-63 MSR[VEC]. */
static inline bool vsx_or_vec_off(const PpcCpu *c, unsigned x)
{
    return x < 32 ? !(c->msr & MSR_VSX) : !(c->msr & MSR_VEC);
}

static inline PpcStatus vsx_or_vec_unavailable(PpcCpu *c, unsigned x)
{
    return x < 32 ? vsx_unavailable(c) : vec_unavailable(c);
}

/* The v2.07 moves mfvsrd, mfvsrwz, mtvsrd, mtvsrwa, mtvsrwz: VSR 0-31 need MSR[FP], VSR
 * 32-63 MSR[VEC]. */
static inline bool fp_or_vec_off(const PpcCpu *c, unsigned x)
{
    return x < 32 ? !(c->msr & MSR_FP) : !(c->msr & MSR_VEC);
}

static inline PpcStatus fp_or_vec_unavailable(PpcCpu *c, unsigned x)
{
    return x < 32 ? ppc_raise(c, PPC_EXC_FP_UNAVAIL, 0) : vec_unavailable(c);
}

static inline uint64_t ea_x(const PpcCpu *c, const PpcInsn *i)
{
    return ppc_ea(c, GPR(i->ra) + GPR(i->rb));
}

static inline uint64_t ea_d(const PpcCpu *c, const PpcInsn *i)
{
    return ppc_ea(c, GPR(i->ra) + (uint64_t)i->imm);
}

/* ---- Loads and stores ---- */

/* The layouts of a 16-byte access: w = 16 is the quadword in the byte order of MSR[LE]
 * (lxvx, lxv); 8, 4, 2, 1 are elements of that width in order, each in the byte order of
 * MSR[LE] (lxvd2x, lxvw4x, lxvh8x, lxvb16x). */
static PpcStatus vsx_load16(PpcCpu *c, unsigned xt, uint64_t ea, unsigned w)
{
    uint8_t buf[16];
    PpcStatus st = ppc_load_bytes(c, ea, 16, buf);
    if (st != PPC_NEXT)
        return st;
    bool le = ppc_msr_le(c);
    vsr_put(c, xt, w == 16 ? vec_from_mem16(buf, le) : vec_from_mem_elems(buf, w, le));
    return PPC_NEXT;
}

static PpcStatus vsx_store16(PpcCpu *c, unsigned xs, uint64_t ea, unsigned w)
{
    uint8_t buf[16];
    bool le = ppc_msr_le(c);
    PpcVec v = vsr_get(c, xs);
    if (w == 16)
        vec_to_mem16(v, le, buf);
    else
        vec_to_mem_elems(v, w, le, buf);
    return ppc_store_bytes(c, ea, 16, buf);
}

/* What a scalar load makes of the value it read (in MSR[LE] order). */
typedef enum VsxScalar {
    XS_DOUBLE,    /* lxsdx, lxsd: the doubleword */
    XS_SINGLE,    /* lxsspx, lxssp: DOUBLE(word) */
    XS_SIGNED,    /* lxsiwax: the word sign-extended */
    XS_UNSIGNED,  /* lxsiwzx, lxsibzx, lxsihzx: zero-extended */
} VsxScalar;

/* Scalar loads: doubleword 0 takes the value, doubleword 1 becomes 0. */
static PpcStatus vsx_load_scalar(PpcCpu *c, unsigned xt, uint64_t ea, unsigned size,
                                 VsxScalar how)
{
    uint64_t v;
    PpcStatus st = ppc_load(c, ea, size, false, &v);
    if (st != PPC_NEXT)
        return st;
    switch (how) {
    case XS_DOUBLE: case XS_UNSIGNED: break;
    case XS_SINGLE: v = ppc_fp_double((uint32_t)v); break;
    case XS_SIGNED: v = (uint64_t)sext64(v, 8 * size); break;
    }
    vsr_put(c, xt, (PpcVec){ .d = { v, 0 } });
    return PPC_NEXT;
}

/* Scalar stores: the rightmost `size` bytes of doubleword 0, or SINGLE of it. */
static PpcStatus vsx_store_scalar(PpcCpu *c, unsigned xs, uint64_t ea, unsigned size,
                                  bool single)
{
    uint64_t v = c->vsr[xs].d[0];
    return ppc_store(c, ea, size, false, single ? ppc_fp_single(v) : v);
}

/* Splat loads: the element (doubleword or word) read at EA fills every element. */
static PpcStatus vsx_load_splat(PpcCpu *c, unsigned xt, uint64_t ea, unsigned w)
{
    uint64_t v;
    PpcStatus st = ppc_load(c, ea, w, false, &v);
    if (st != PPC_NEXT)
        return st;
    PpcVec t;
    for (unsigned k = 0; k < 16 / w; k++)
        vec_set(&t, w, k, v);
    vsr_put(c, xt, t);
    return PPC_NEXT;
}

PpcStatus ppc_exec_lxsdx(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    return vsx_load_scalar(c, i->rt, ea_x(c, i), 8, XS_DOUBLE);
}

PpcStatus ppc_exec_lxsiwax(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    return vsx_load_scalar(c, i->rt, ea_x(c, i), 4, XS_SIGNED);
}

PpcStatus ppc_exec_lxsiwzx(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    return vsx_load_scalar(c, i->rt, ea_x(c, i), 4, XS_UNSIGNED);
}

PpcStatus ppc_exec_lxsspx(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    return vsx_load_scalar(c, i->rt, ea_x(c, i), 4, XS_SINGLE);
}

PpcStatus ppc_exec_lxvd2x(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    return vsx_load16(c, i->rt, ea_x(c, i), 8);
}

PpcStatus ppc_exec_lxvw4x(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    return vsx_load16(c, i->rt, ea_x(c, i), 4);
}

PpcStatus ppc_exec_lxvdsx(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    return vsx_load_splat(c, i->rt, ea_x(c, i), 8);
}

PpcStatus ppc_exec_stxsdx(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    return vsx_store_scalar(c, i->rt, ea_x(c, i), 8, false);
}

PpcStatus ppc_exec_stxsiwx(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    return vsx_store_scalar(c, i->rt, ea_x(c, i), 4, false);
}

PpcStatus ppc_exec_stxsspx(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    return vsx_store_scalar(c, i->rt, ea_x(c, i), 4, true);
}

PpcStatus ppc_exec_stxvd2x(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    return vsx_store16(c, i->rt, ea_x(c, i), 8);
}

PpcStatus ppc_exec_stxvw4x(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    return vsx_store16(c, i->rt, ea_x(c, i), 4);
}

/* v3.0 X-form loads and stores. */

PpcStatus ppc_exec_lxvx(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_or_vec_off(c, i->rt))
        return vsx_or_vec_unavailable(c, i->rt);
    return vsx_load16(c, i->rt, ea_x(c, i), 16);
}

PpcStatus ppc_exec_stxvx(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_or_vec_off(c, i->rt))
        return vsx_or_vec_unavailable(c, i->rt);
    return vsx_store16(c, i->rt, ea_x(c, i), 16);
}

PpcStatus ppc_exec_lxvb16x(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_or_vec_off(c, i->rt))
        return vsx_or_vec_unavailable(c, i->rt);
    return vsx_load16(c, i->rt, ea_x(c, i), 1);
}

PpcStatus ppc_exec_lxvh8x(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_or_vec_off(c, i->rt))
        return vsx_or_vec_unavailable(c, i->rt);
    return vsx_load16(c, i->rt, ea_x(c, i), 2);
}

PpcStatus ppc_exec_stxvb16x(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_or_vec_off(c, i->rt))
        return vsx_or_vec_unavailable(c, i->rt);
    return vsx_store16(c, i->rt, ea_x(c, i), 1);
}

PpcStatus ppc_exec_stxvh8x(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_or_vec_off(c, i->rt))
        return vsx_or_vec_unavailable(c, i->rt);
    return vsx_store16(c, i->rt, ea_x(c, i), 2);
}

PpcStatus ppc_exec_lxvwsx(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_or_vec_off(c, i->rt))
        return vsx_or_vec_unavailable(c, i->rt);
    return vsx_load_splat(c, i->rt, ea_x(c, i), 4);
}

PpcStatus ppc_exec_lxsibzx(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_or_vec_off(c, i->rt))
        return vsx_or_vec_unavailable(c, i->rt);
    return vsx_load_scalar(c, i->rt, ea_x(c, i), 1, XS_UNSIGNED);
}

PpcStatus ppc_exec_lxsihzx(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_or_vec_off(c, i->rt))
        return vsx_or_vec_unavailable(c, i->rt);
    return vsx_load_scalar(c, i->rt, ea_x(c, i), 2, XS_UNSIGNED);
}

PpcStatus ppc_exec_stxsibx(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_or_vec_off(c, i->rt))
        return vsx_or_vec_unavailable(c, i->rt);
    return vsx_store_scalar(c, i->rt, ea_x(c, i), 1, false);
}

PpcStatus ppc_exec_stxsihx(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_or_vec_off(c, i->rt))
        return vsx_or_vec_unavailable(c, i->rt);
    return vsx_store_scalar(c, i->rt, ea_x(c, i), 2, false);
}

/* lxvl, lxvll, stxvl, stxvll: nb = GPR[RB] bits 0:7 (at most 16) bytes at EA = (RA|0).
 * lxvl/stxvl use the bytes 0..nb-1 of the register for MSR[LE] = 0 and bytes 16-nb..15,
 * in reverse, for MSR[LE] = 1; lxvll/stxvll always bytes 0..nb-1 in order. Loads zero the
 * rest of the register. */
static unsigned vsx_length(const PpcCpu *c, const PpcInsn *i)
{
    return (unsigned)MIN(GPR(i->rb) >> 56, 16);
}

static PpcStatus vsx_load_length(PpcCpu *c, const PpcInsn *i, bool left)
{
    if (vsx_or_vec_off(c, i->rt))
        return vsx_or_vec_unavailable(c, i->rt);
    unsigned nb = vsx_length(c, i);
    uint8_t buf[16] = { 0 };
    if (nb) {
        PpcStatus st = ppc_load_bytes(c, ppc_ea(c, GPR(i->ra)), nb, buf);
        if (st != PPC_NEXT)
            return st;
    }
    PpcVec t = { .d = { 0, 0 } };
    bool reverse = !left && ppc_msr_le(c);
    for (unsigned k = 0; k < nb; k++)
        vec_set_byte(&t, reverse ? 15 - k : k, buf[k]);
    vsr_put(c, i->rt, t);
    return PPC_NEXT;
}

static PpcStatus vsx_store_length(PpcCpu *c, const PpcInsn *i, bool left)
{
    if (vsx_or_vec_off(c, i->rt))
        return vsx_or_vec_unavailable(c, i->rt);
    unsigned nb = vsx_length(c, i);
    if (!nb)
        return PPC_NEXT;
    PpcVec s = vsr_get(c, i->rt);
    bool reverse = !left && ppc_msr_le(c);
    uint8_t buf[16];
    for (unsigned k = 0; k < nb; k++)
        buf[k] = vec_byte(&s, reverse ? 15 - k : k);
    return ppc_store_bytes(c, ppc_ea(c, GPR(i->ra)), nb, buf);
}

PpcStatus ppc_exec_lxvl(PpcCpu *c, const PpcInsn *i) { return vsx_load_length(c, i, false); }
PpcStatus ppc_exec_lxvll(PpcCpu *c, const PpcInsn *i) { return vsx_load_length(c, i, true); }
PpcStatus ppc_exec_stxvl(PpcCpu *c, const PpcInsn *i) { return vsx_store_length(c, i, false); }
PpcStatus ppc_exec_stxvll(PpcCpu *c, const PpcInsn *i) { return vsx_store_length(c, i, true); }

/* DQ form: lxv, stxv; EA = (RA|0) + DQ || 0b0000. */
PpcStatus ppc_exec_lxv(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_or_vec_off(c, i->rt))
        return vsx_or_vec_unavailable(c, i->rt);
    return vsx_load16(c, i->rt, ea_d(c, i), 16);
}

PpcStatus ppc_exec_stxv(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_or_vec_off(c, i->rt))
        return vsx_or_vec_unavailable(c, i->rt);
    return vsx_store16(c, i->rt, ea_d(c, i), 16);
}

/* DS form: lxsd, lxssp, stxsd, stxssp name VR 0-31 (VSR 32-63) and need MSR[VEC]; EA =
 * (RA|0) + DS || 0b00. */
PpcStatus ppc_exec_lxsd(PpcCpu *c, const PpcInsn *i)
{
    if (!(c->msr & MSR_VEC))
        return vec_unavailable(c);
    return vsx_load_scalar(c, 32 + i->rt, ea_d(c, i), 8, XS_DOUBLE);
}

PpcStatus ppc_exec_lxssp(PpcCpu *c, const PpcInsn *i)
{
    if (!(c->msr & MSR_VEC))
        return vec_unavailable(c);
    return vsx_load_scalar(c, 32 + i->rt, ea_d(c, i), 4, XS_SINGLE);
}

PpcStatus ppc_exec_stxsd(PpcCpu *c, const PpcInsn *i)
{
    if (!(c->msr & MSR_VEC))
        return vec_unavailable(c);
    return vsx_store_scalar(c, 32 + i->rt, ea_d(c, i), 8, false);
}

PpcStatus ppc_exec_stxssp(PpcCpu *c, const PpcInsn *i)
{
    if (!(c->msr & MSR_VEC))
        return vec_unavailable(c);
    return vsx_store_scalar(c, 32 + i->rt, ea_d(c, i), 4, true);
}

/* ---- Moves between VSRs and GPRs ---- */

PpcStatus ppc_exec_mfvsrd(PpcCpu *c, const PpcInsn *i)
{
    if (fp_or_vec_off(c, i->rt))
        return fp_or_vec_unavailable(c, i->rt);
    GPR(i->ra) = c->vsr[i->rt].d[0];
    return PPC_NEXT;
}

PpcStatus ppc_exec_mfvsrwz(PpcCpu *c, const PpcInsn *i)
{
    if (fp_or_vec_off(c, i->rt))
        return fp_or_vec_unavailable(c, i->rt);
    GPR(i->ra) = (uint32_t)c->vsr[i->rt].d[0];
    return PPC_NEXT;
}

/* mtvsrd, mtvsrwa, mtvsrwz: doubleword 0 takes the value; doubleword 1, undefined in the
 * ISA, becomes 0. */
static PpcStatus vsx_move_to(PpcCpu *c, const PpcInsn *i, uint64_t v)
{
    if (fp_or_vec_off(c, i->rt))
        return fp_or_vec_unavailable(c, i->rt);
    vsr_put(c, i->rt, (PpcVec){ .d = { v, 0 } });
    return PPC_NEXT;
}

PpcStatus ppc_exec_mtvsrd(PpcCpu *c, const PpcInsn *i) { return vsx_move_to(c, i, GPR(i->ra)); }

PpcStatus ppc_exec_mtvsrwa(PpcCpu *c, const PpcInsn *i)
{
    return vsx_move_to(c, i, (uint64_t)sext64(GPR(i->ra), 32));
}

PpcStatus ppc_exec_mtvsrwz(PpcCpu *c, const PpcInsn *i)
{
    return vsx_move_to(c, i, (uint32_t)GPR(i->ra));
}

PpcStatus ppc_exec_mfvsrld(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_or_vec_off(c, i->rt))
        return vsx_or_vec_unavailable(c, i->rt);
    GPR(i->ra) = c->vsr[i->rt].d[1];
    return PPC_NEXT;
}

/* mtvsrdd: doubleword 0 from (RA|0), doubleword 1 from RB. */
PpcStatus ppc_exec_mtvsrdd(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_or_vec_off(c, i->rt))
        return vsx_or_vec_unavailable(c, i->rt);
    vsr_put(c, i->rt, (PpcVec){ .d = { GPR(i->ra), GPR(i->rb) } });
    return PPC_NEXT;
}

/* mtvsrws: the low word of RA in all four words. */
PpcStatus ppc_exec_mtvsrws(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_or_vec_off(c, i->rt))
        return vsx_or_vec_unavailable(c, i->rt);
    uint64_t w = (uint32_t)GPR(i->ra);
    vsr_put(c, i->rt, (PpcVec){ .d = { w << 32 | w, w << 32 | w } });
    return PPC_NEXT;
}

/* ---- Logical, permute and splat ---- */

typedef enum VsxLogic { XL_AND, XL_ANDC, XL_OR, XL_ORC, XL_XOR, XL_NOR, XL_NAND, XL_EQV } VsxLogic;

static PpcStatus vsx_logical(PpcCpu *c, const PpcInsn *i, VsxLogic op)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    PpcVec a = vsr_get(c, i->ra), b = vsr_get(c, i->rb), t;
    for (unsigned k = 0; k < 2; k++) {
        uint64_t x = a.d[k], y = b.d[k];
        switch (op) {
        case XL_AND: t.d[k] = x & y; break;
        case XL_ANDC: t.d[k] = x & ~y; break;
        case XL_OR: t.d[k] = x | y; break;
        case XL_ORC: t.d[k] = x | ~y; break;
        case XL_XOR: t.d[k] = x ^ y; break;
        case XL_NOR: t.d[k] = ~(x | y); break;
        case XL_NAND: t.d[k] = ~(x & y); break;
        case XL_EQV: t.d[k] = ~(x ^ y); break;
        }
    }
    vsr_put(c, i->rt, t);
    return PPC_NEXT;
}

PpcStatus ppc_exec_xxland(PpcCpu *c, const PpcInsn *i) { return vsx_logical(c, i, XL_AND); }
PpcStatus ppc_exec_xxlandc(PpcCpu *c, const PpcInsn *i) { return vsx_logical(c, i, XL_ANDC); }
PpcStatus ppc_exec_xxlor(PpcCpu *c, const PpcInsn *i) { return vsx_logical(c, i, XL_OR); }
PpcStatus ppc_exec_xxlorc(PpcCpu *c, const PpcInsn *i) { return vsx_logical(c, i, XL_ORC); }
PpcStatus ppc_exec_xxlxor(PpcCpu *c, const PpcInsn *i) { return vsx_logical(c, i, XL_XOR); }
PpcStatus ppc_exec_xxlnor(PpcCpu *c, const PpcInsn *i) { return vsx_logical(c, i, XL_NOR); }
PpcStatus ppc_exec_xxlnand(PpcCpu *c, const PpcInsn *i) { return vsx_logical(c, i, XL_NAND); }
PpcStatus ppc_exec_xxleqv(PpcCpu *c, const PpcInsn *i) { return vsx_logical(c, i, XL_EQV); }

/* xxsel: each bit from XB where XC has a 1, from XA where it has a 0. */
PpcStatus ppc_exec_xxsel(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    PpcVec a = vsr_get(c, i->ra), b = vsr_get(c, i->rb), m = vsr_get(c, i->rc), t;
    for (unsigned k = 0; k < 2; k++)
        t.d[k] = (a.d[k] & ~m.d[k]) | (b.d[k] & m.d[k]);
    vsr_put(c, i->rt, t);
    return PPC_NEXT;
}

/* xxpermdi: doubleword 0 is doubleword DM[0] of XA, doubleword 1 doubleword DM[1] of XB
 * (DM in bits 22:23). */
PpcStatus ppc_exec_xxpermdi(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    PpcVec a = vsr_get(c, i->ra), b = vsr_get(c, i->rb);
    unsigned dm = (i->raw >> 8) & 3;
    vsr_put(c, i->rt, (PpcVec){ .d = { a.d[dm >> 1], b.d[dm & 1] } });
    return PPC_NEXT;
}

/* xxsldwi: words SHW..SHW+3 of XA || XB (SHW in bits 22:23). */
PpcStatus ppc_exec_xxsldwi(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    PpcVec src[2] = { vsr_get(c, i->ra), vsr_get(c, i->rb) }, t;
    unsigned shw = (i->raw >> 8) & 3;
    for (unsigned k = 0; k < 4; k++)
        vec_set(&t, 4, k, vec_el(&src[(k + shw) >> 2], 4, (k + shw) & 3));
    vsr_put(c, i->rt, t);
    return PPC_NEXT;
}

/* xxmrghw, xxmrglw: words 0 and 1 (or 2 and 3) of XA and XB interleaved. */
static PpcStatus vsx_merge(PpcCpu *c, const PpcInsn *i, unsigned first)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    PpcVec a = vsr_get(c, i->ra), b = vsr_get(c, i->rb), t;
    for (unsigned k = 0; k < 2; k++) {
        vec_set(&t, 4, 2 * k, vec_el(&a, 4, first + k));
        vec_set(&t, 4, 2 * k + 1, vec_el(&b, 4, first + k));
    }
    vsr_put(c, i->rt, t);
    return PPC_NEXT;
}

PpcStatus ppc_exec_xxmrghw(PpcCpu *c, const PpcInsn *i) { return vsx_merge(c, i, 0); }
PpcStatus ppc_exec_xxmrglw(PpcCpu *c, const PpcInsn *i) { return vsx_merge(c, i, 2); }

/* xxspltw: word UIM (bits 14:15) of XB in all four words. */
PpcStatus ppc_exec_xxspltw(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    PpcVec b = vsr_get(c, i->rb);
    uint64_t w = vec_el(&b, 4, i->ra & 3);
    vsr_put(c, i->rt, (PpcVec){ .d = { w << 32 | w, w << 32 | w } });
    return PPC_NEXT;
}

/* xxspltib: IMM8 (bits 13:20) in all sixteen bytes. */
PpcStatus ppc_exec_xxspltib(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_or_vec_off(c, i->rt))
        return vsx_or_vec_unavailable(c, i->rt);
    uint64_t b = ((i->raw >> 11) & 0xff) * 0x0101010101010101ULL;
    vsr_put(c, i->rt, (PpcVec){ .d = { b, b } });
    return PPC_NEXT;
}

/* xxperm, xxpermr: byte k is byte XB.byte[k] & 31 (xxpermr: 31 minus it) of XA || XT. */
static PpcStatus vsx_perm(PpcCpu *c, const PpcInsn *i, bool right)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    PpcVec src[2] = { vsr_get(c, i->ra), vsr_get(c, i->rt) }, sel = vsr_get(c, i->rb), t;
    for (unsigned k = 0; k < 16; k++) {
        unsigned x = vec_byte(&sel, k) & 31;
        if (right)
            x = 31 - x;
        vec_set_byte(&t, k, vec_byte(&src[x >> 4], x & 15));
    }
    vsr_put(c, i->rt, t);
    return PPC_NEXT;
}

PpcStatus ppc_exec_xxperm(PpcCpu *c, const PpcInsn *i) { return vsx_perm(c, i, false); }
PpcStatus ppc_exec_xxpermr(PpcCpu *c, const PpcInsn *i) { return vsx_perm(c, i, true); }

/* xxbrh, xxbrw, xxbrd, xxbrq: the bytes of each element of width w reversed. */
static PpcStatus vsx_byte_reverse(PpcCpu *c, const PpcInsn *i, unsigned w)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    PpcVec b = vsr_get(c, i->rb), t;
    for (unsigned k = 0; k < 16; k++)
        vec_set_byte(&t, k, vec_byte(&b, (k / w) * w + (w - 1 - k % w)));
    vsr_put(c, i->rt, t);
    return PPC_NEXT;
}

PpcStatus ppc_exec_xxbrh(PpcCpu *c, const PpcInsn *i) { return vsx_byte_reverse(c, i, 2); }
PpcStatus ppc_exec_xxbrw(PpcCpu *c, const PpcInsn *i) { return vsx_byte_reverse(c, i, 4); }
PpcStatus ppc_exec_xxbrd(PpcCpu *c, const PpcInsn *i) { return vsx_byte_reverse(c, i, 8); }
PpcStatus ppc_exec_xxbrq(PpcCpu *c, const PpcInsn *i) { return vsx_byte_reverse(c, i, 16); }

/* xxextractuw: bytes UIM..UIM+3 of XB (UIM in bits 12:15) zero-extended into doubleword 0,
 * doubleword 1 zero; bytes past 15 read as 0 (UIM > 12 is undefined). */
PpcStatus ppc_exec_xxextractuw(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    PpcVec b = vsr_get(c, i->rb);
    unsigned uim = i->ra & 15;
    uint64_t w = 0;
    for (unsigned k = 0; k < 4; k++)
        w = w << 8 | (uim + k < 16 ? vec_byte(&b, uim + k) : 0);
    vsr_put(c, i->rt, (PpcVec){ .d = { w, 0 } });
    return PPC_NEXT;
}

/* xxinsertw: bytes UIM..UIM+3 of XT take word 1 of XB; the other bytes are kept. */
PpcStatus ppc_exec_xxinsertw(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    PpcVec b = vsr_get(c, i->rb), t = vsr_get(c, i->rt);
    unsigned uim = i->ra & 15;
    for (unsigned k = 0; k < 4 && uim + k < 16; k++)
        vec_set_byte(&t, uim + k, vec_byte(&b, 4 + k));
    vsr_put(c, i->rt, t);
    return PPC_NEXT;
}

/* ---- Floating-point: the FPSCR (Book I 4.2.2, 4.4) ---- */

/* Raises exc and takes the program interrupt for an enabled one under MSR[FE0 FE1]. */
static PpcStatus fp_finish(PpcCpu *c, uint32_t exc)
{
    bool enabled = ppc_fp_enabled(c->fpscr_lo, exc);
    ppc_fpscr_raise(c, exc);
    if (enabled && (c->msr & (MSR_FE0 | MSR_FE1)))
        return ppc_raise(c, PPC_EXC_PROGRAM, SRR1_PROGRAM_FP);
    return PPC_NEXT;
}

/* Whether ppc_fp_result writes result r: not after an enabled invalid or zero-divide
 * exception (4.4.1, 4.4.2). */
static bool xs_written(const PpcCpu *c, SoftFpRes r)
{
    uint32_t exc = ppc_fp_exceptions(r);
    return !(((exc & FPSCR_VX_ALL) && (c->fpscr_lo & FPSCR_VE)) ||
             ((exc & FPSCR_ZX) && (c->fpscr_lo & FPSCR_ZE)));
}

/* A scalar result through the Floating-Point Facility's write-back: doubleword 0, the FPSCR,
 * the interrupt; doubleword 1 becomes 0 when the result is written. */
static PpcStatus xs_result(PpcCpu *c, const PpcInsn *i, SoftFpRes r, PpcFpKind kind)
{
    bool written = xs_written(c, r);
    PpcStatus st = ppc_fp_result(c, i, r, kind);
    if (written)
        c->vsr[i->rt].d[1] = 0;
    return st;
}

/* ---- Floating-point: the operations shared by scalar and vector forms ---- */

typedef enum VsxFpOp {
    XF_ADD, XF_SUB, XF_MUL, XF_DIV, XF_SQRT,
    /* multiply-add: "A" forms XA*XB + XT, "M" forms XA*XT + XB */
    XF_MADDA, XF_MADDM, XF_MSUBA, XF_MSUBM, XF_NMADDA, XF_NMADDM, XF_NMSUBA, XF_NMSUBM,
    XF_RE, XF_RSQRTE,
    /* round to integral: nearest (ties away), FPSCR[RN] (exact), -inf, +inf, zero */
    XF_RI, XF_RIC, XF_RIM, XF_RIP, XF_RIZ,
} VsxFpOp;

/* 1/sqrt(b): the square root's invalid cases, then the reciprocal of the root, rounded
 * to format f (binary32 operands are widened first). */
static SoftFpRes fp_rsqrt(SoftFpFmt f, uint64_t b, SoftFpEnv env)
{
    SoftFpRes w = { .v = b };
    if (f == SOFTFP_S)
        w = softfp_widen(b, env);
    SoftFpRes s = softfp_sqrt(SOFTFP_D, w.v, env);
    SoftFpRes r = softfp_div(f == SOFTFP_D ? SOFTFP_D : SOFTFP_D_S, D_ONE, s.v, env);
    r.flags |= (w.flags | s.flags) & SOFTFP_NV;
    r.info |= (w.info | s.info) & (SOFTFP_INFO_SNAN | SOFTFP_INFO_SQRT);
    return r;
}

/* One element: a = XA, b = XB, t = XT (the multiply-add operand); f the format. Estimates
 * are the correctly rounded values (well inside the ISA's 2^-14 bound) with FR, FI and XX
 * left alone; the rounding instructions other than the "c" form do not signal inexact. */
static SoftFpRes fp_op(VsxFpOp op, SoftFpFmt f, uint64_t a, uint64_t b, uint64_t t,
                       SoftFpEnv env)
{
    static const unsigned neg[] = {
        [XF_MADDA] = 0, [XF_MADDM] = 0,
        [XF_MSUBA] = SOFTFP_NEG_ADDEND, [XF_MSUBM] = SOFTFP_NEG_ADDEND,
        [XF_NMADDA] = SOFTFP_NEG_RESULT, [XF_NMADDM] = SOFTFP_NEG_RESULT,
        [XF_NMSUBA] = SOFTFP_NEG_ADDEND | SOFTFP_NEG_RESULT,
        [XF_NMSUBM] = SOFTFP_NEG_ADDEND | SOFTFP_NEG_RESULT,
    };
    SoftFpRes r;
    switch (op) {
    case XF_ADD: return softfp_add(f, a, b, env);
    case XF_SUB: return softfp_sub(f, a, b, env);
    case XF_MUL: return softfp_mul(f, a, b, env);
    case XF_DIV: return softfp_div(f, a, b, env);
    case XF_SQRT: return softfp_sqrt(f, b, env);
    case XF_MADDA: case XF_MSUBA: case XF_NMADDA: case XF_NMSUBA:
        return softfp_fma(f, a, b, t, neg[op], env);
    case XF_MADDM: case XF_MSUBM: case XF_NMADDM: case XF_NMSUBM:
        return softfp_fma(f, a, t, b, neg[op], env);
    case XF_RE:
        r = softfp_div(f, f == SOFTFP_S ? S_ONE : D_ONE, b, env);
        break;
    case XF_RSQRTE:
        r = fp_rsqrt(f, b, env);
        break;
    case XF_RIC:
        return softfp_round_int(f == SOFTFP_S ? SOFTFP_S : SOFTFP_D, b, env);
    default:
        env.rm = op == XF_RI ? SOFTFP_RMM : op == XF_RIM ? SOFTFP_RDN
               : op == XF_RIP ? SOFTFP_RUP : SOFTFP_RTZ;
        r = softfp_round_int(f == SOFTFP_S ? SOFTFP_S : SOFTFP_D, b, env);
        break;
    }
    r.flags &= ~SOFTFP_NX;
    r.info &= ~SOFTFP_INFO_INC;
    return r;
}

/* ---- Scalar floating-point ---- */

static PpcStatus xs_arith(PpcCpu *c, const PpcInsn *i, VsxFpOp op, bool single)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    SoftFpRes r = fp_op(op, single ? SOFTFP_D_S : SOFTFP_D, c->vsr[i->ra].d[0],
                        c->vsr[i->rb].d[0], c->vsr[i->rt].d[0], ppc_fp_env(c));
    return xs_result(c, i, r, single ? PPC_FP_SINGLE : PPC_FP_DOUBLE);
}

#define XS_ARITH(name, op, single) \
    PpcStatus ppc_exec_##name(PpcCpu *c, const PpcInsn *i) { return xs_arith(c, i, op, single); }

XS_ARITH(xsadddp, XF_ADD, false)
XS_ARITH(xssubdp, XF_SUB, false)
XS_ARITH(xsmuldp, XF_MUL, false)
XS_ARITH(xsdivdp, XF_DIV, false)
XS_ARITH(xssqrtdp, XF_SQRT, false)
XS_ARITH(xsmaddadp, XF_MADDA, false)
XS_ARITH(xsmaddmdp, XF_MADDM, false)
XS_ARITH(xsmsubadp, XF_MSUBA, false)
XS_ARITH(xsmsubmdp, XF_MSUBM, false)
XS_ARITH(xsnmaddadp, XF_NMADDA, false)
XS_ARITH(xsnmaddmdp, XF_NMADDM, false)
XS_ARITH(xsnmsubadp, XF_NMSUBA, false)
XS_ARITH(xsnmsubmdp, XF_NMSUBM, false)
XS_ARITH(xsredp, XF_RE, false)
XS_ARITH(xsrsqrtedp, XF_RSQRTE, false)
XS_ARITH(xsrdpi, XF_RI, false)
XS_ARITH(xsrdpic, XF_RIC, false)
XS_ARITH(xsrdpim, XF_RIM, false)
XS_ARITH(xsrdpip, XF_RIP, false)
XS_ARITH(xsrdpiz, XF_RIZ, false)
XS_ARITH(xsaddsp, XF_ADD, true)
XS_ARITH(xssubsp, XF_SUB, true)
XS_ARITH(xsmulsp, XF_MUL, true)
XS_ARITH(xsdivsp, XF_DIV, true)
XS_ARITH(xssqrtsp, XF_SQRT, true)
XS_ARITH(xsmaddasp, XF_MADDA, true)
XS_ARITH(xsmaddmsp, XF_MADDM, true)
XS_ARITH(xsmsubasp, XF_MSUBA, true)
XS_ARITH(xsmsubmsp, XF_MSUBM, true)
XS_ARITH(xsnmaddasp, XF_NMADDA, true)
XS_ARITH(xsnmaddmsp, XF_NMADDM, true)
XS_ARITH(xsnmsubasp, XF_NMSUBA, true)
XS_ARITH(xsnmsubmsp, XF_NMSUBM, true)
XS_ARITH(xsresp, XF_RE, true)
XS_ARITH(xsrsqrtesp, XF_RSQRTE, true)

/* Sign manipulation: no exceptions, no FPSCR change. */
static PpcStatus xs_move(PpcCpu *c, const PpcInsn *i, uint64_t v)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    vsr_put(c, i->rt, (PpcVec){ .d = { v, 0 } });
    return PPC_NEXT;
}

PpcStatus ppc_exec_xsabsdp(PpcCpu *c, const PpcInsn *i)
{
    return xs_move(c, i, c->vsr[i->rb].d[0] & ~D_SIGN);
}

PpcStatus ppc_exec_xsnabsdp(PpcCpu *c, const PpcInsn *i)
{
    return xs_move(c, i, c->vsr[i->rb].d[0] | D_SIGN);
}

PpcStatus ppc_exec_xsnegdp(PpcCpu *c, const PpcInsn *i)
{
    return xs_move(c, i, c->vsr[i->rb].d[0] ^ D_SIGN);
}

PpcStatus ppc_exec_xscpsgndp(PpcCpu *c, const PpcInsn *i)
{
    return xs_move(c, i, (c->vsr[i->ra].d[0] & D_SIGN) | (c->vsr[i->rb].d[0] & ~D_SIGN));
}

/* Conversions (the scalar forms round as fcti*z, fcfid*, frsp do). */
typedef enum VsxCvt {
    CV_TO_S64, CV_TO_U64, CV_TO_S32, CV_TO_U32, /* truncating, saturating */
    CV_FROM_S64, CV_FROM_U64, CV_FROM_S32, CV_FROM_U32,
    CV_NARROW, CV_WIDEN,                        /* double to single, single to double */
} VsxCvt;

/* fi: the floating-point format of the operand (to-integer, narrow, widen) or of the
 * result (from-integer); RN from the FPSCR except for the truncating conversions. */
static SoftFpRes fp_cvt(VsxCvt cv, SoftFpFmt fi, uint64_t x, SoftFpEnv env)
{
    SoftFpEnv rtz = env;
    rtz.rm = SOFTFP_RTZ;
    switch (cv) {
    case CV_TO_S64: return softfp_to_int(fi, x, true, 64, rtz);
    case CV_TO_U64: return softfp_to_int(fi, x, false, 64, rtz);
    case CV_TO_S32: return softfp_to_int(fi, x, true, 32, rtz);
    case CV_TO_U32: return softfp_to_int(fi, x, false, 32, rtz);
    case CV_FROM_S64: return softfp_from_int(fi, x, true, 64, env);
    case CV_FROM_U64: return softfp_from_int(fi, x, false, 64, env);
    case CV_FROM_S32: return softfp_from_int(fi, x, true, 32, env);
    case CV_FROM_U32: return softfp_from_int(fi, x, false, 32, env);
    case CV_NARROW: return softfp_narrow(x, env);
    default: return softfp_widen(x, env);
    }
}

/* xscvdp[su]x[dw]s: the integer in doubleword 0; the word forms put the word in word 1
 * and, where the ISA leaves word 0 undefined, a copy of it there as POWER9 does. */
static PpcStatus xs_to_int(PpcCpu *c, const PpcInsn *i, VsxCvt cv)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    SoftFpRes r = fp_cvt(cv, SOFTFP_D, c->vsr[i->rb].d[0], ppc_fp_env(c));
    if (cv == CV_TO_S32 || cv == CV_TO_U32)
        r.v = (r.v & 0xffffffff) << 32 | (r.v & 0xffffffff);
    return xs_result(c, i, r, PPC_FP_INTEGER);
}

PpcStatus ppc_exec_xscvdpsxds(PpcCpu *c, const PpcInsn *i) { return xs_to_int(c, i, CV_TO_S64); }
PpcStatus ppc_exec_xscvdpuxds(PpcCpu *c, const PpcInsn *i) { return xs_to_int(c, i, CV_TO_U64); }
PpcStatus ppc_exec_xscvdpsxws(PpcCpu *c, const PpcInsn *i) { return xs_to_int(c, i, CV_TO_S32); }
PpcStatus ppc_exec_xscvdpuxws(PpcCpu *c, const PpcInsn *i) { return xs_to_int(c, i, CV_TO_U32); }

static PpcStatus xs_from_int(PpcCpu *c, const PpcInsn *i, VsxCvt cv, bool single)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    SoftFpRes r = fp_cvt(cv, single ? SOFTFP_S : SOFTFP_D, c->vsr[i->rb].d[0], ppc_fp_env(c));
    return xs_result(c, i, r, single ? PPC_FP_SINGLE : PPC_FP_DOUBLE);
}

PpcStatus ppc_exec_xscvsxddp(PpcCpu *c, const PpcInsn *i)
{
    return xs_from_int(c, i, CV_FROM_S64, false);
}

PpcStatus ppc_exec_xscvuxddp(PpcCpu *c, const PpcInsn *i)
{
    return xs_from_int(c, i, CV_FROM_U64, false);
}

PpcStatus ppc_exec_xscvsxdsp(PpcCpu *c, const PpcInsn *i)
{
    return xs_from_int(c, i, CV_FROM_S64, true);
}

PpcStatus ppc_exec_xscvuxdsp(PpcCpu *c, const PpcInsn *i)
{
    return xs_from_int(c, i, CV_FROM_U64, true);
}

/* xsrsp: round to single precision, kept in double format (frsp). */
PpcStatus ppc_exec_xsrsp(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    return xs_result(c, i, softfp_narrow(c->vsr[i->rb].d[0], ppc_fp_env(c)), PPC_FP_SINGLE);
}

/* xscvdpsp: rounded as xsrsp, but delivered in single format in word 0 (and, as POWER8
 * and POWER9 do, word 1). */
PpcStatus ppc_exec_xscvdpsp(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    SoftFpRes r = softfp_narrow(c->vsr[i->rb].d[0], ppc_fp_env(c));
    bool written = xs_written(c, r);
    PpcStatus st = xs_result(c, i, r, PPC_FP_SINGLE);
    if (written)
        c->vsr[i->rt].d[0] = (r.v & 0xffffffff) << 32 | (r.v & 0xffffffff);
    return st;
}

/* xscvspdp: word 0 of XB, single format, to double. */
PpcStatus ppc_exec_xscvspdp(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    SoftFpRes r = softfp_widen(c->vsr[i->rb].d[0] >> 32, ppc_fp_env(c));
    return xs_result(c, i, r, PPC_FP_DOUBLE);
}

/* xscvdpspn, xscvspdpn: the non-signalling format changes: no exceptions, no FPSCR, a
 * signaling NaN stays signaling. xscvdpspn's result is undefined for values single format
 * cannot hold; here the SINGLE conversion of 4.6.3. */
PpcStatus ppc_exec_xscvdpspn(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    uint64_t w = ppc_fp_single(c->vsr[i->rb].d[0]);
    vsr_put(c, i->rt, (PpcVec){ .d = { w << 32 | w, 0 } });
    return PPC_NEXT;
}

PpcStatus ppc_exec_xscvspdpn(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    vsr_put(c, i->rt, (PpcVec){ .d = { ppc_fp_double((uint32_t)(c->vsr[i->rb].d[0] >> 32)), 0 } });
    return PPC_NEXT;
}

/* ---- Maximum and minimum ---- */

typedef enum VsxMinMax {
    MM_MAX, MM_MIN,   /* xsmaxdp, xvmax*: a NaN loses to a number, a signaling NaN wins,
                         quieted; +0 > -0 */
    MM_MAXC, MM_MINC, /* v3.0 "C" forms: src1 > src2 ? src1 : src2; XB for NaNs and ties */
    MM_MAXJ, MM_MINJ, /* v3.0 "Java" forms: the first NaN as it is; +0 > -0 */
} VsxMinMax;

static SoftFpRes fp_minmax(VsxMinMax how, SoftFpFmt f, uint64_t a, uint64_t b)
{
    uint64_t quiet = f == SOFTFP_S ? 1ULL << 22 : 1ULL << 51;
    bool na = softfp_is_nan(f, a), nb = softfp_is_nan(f, b);
    bool sa = softfp_is_snan(f, a), sb = softfp_is_snan(f, b);
    SoftFpRes r = { .info = (sa || sb) ? SOFTFP_INFO_SNAN : 0 };
    r.flags = r.info ? SOFTFP_NV : 0;
    bool max = how == MM_MAX || how == MM_MAXC || how == MM_MAXJ;
    SoftFpOrder o = softfp_compare(f, a, b);
    switch (how) {
    case MM_MAX: case MM_MIN:
        if (sa || sb)
            r.v = (sa ? a : b) | quiet;
        else if (na || nb)
            r.v = na && nb ? a : na ? b : a;
        else if (o == SOFTFP_EQ)
            r.v = max ? a & b : a | b;
        else
            r.v = (o == SOFTFP_GT) == max ? a : b;
        break;
    case MM_MAXC: case MM_MINC:
        r.v = o == (max ? SOFTFP_GT : SOFTFP_LT) ? a : b;
        break;
    default:
        if (na || nb)
            r.v = na ? a : b;
        else if (o == SOFTFP_EQ)
            r.v = max ? a & b : a | b;
        else
            r.v = (o == SOFTFP_GT) == max ? a : b;
        break;
    }
    return r;
}

/* Scalar: only VXSNAN can occur; with VE = 1 it leaves XT alone; FR, FI, FPRF unchanged. */
static PpcStatus xs_minmax(PpcCpu *c, const PpcInsn *i, VsxMinMax how)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    SoftFpRes r = fp_minmax(how, SOFTFP_D, c->vsr[i->ra].d[0], c->vsr[i->rb].d[0]);
    uint32_t exc = ppc_fp_exceptions(r);
    if (!ppc_fp_enabled(c->fpscr_lo, exc))
        vsr_put(c, i->rt, (PpcVec){ .d = { r.v, 0 } });
    return fp_finish(c, exc);
}

PpcStatus ppc_exec_xsmaxdp(PpcCpu *c, const PpcInsn *i) { return xs_minmax(c, i, MM_MAX); }
PpcStatus ppc_exec_xsmindp(PpcCpu *c, const PpcInsn *i) { return xs_minmax(c, i, MM_MIN); }
PpcStatus ppc_exec_xsmaxcdp(PpcCpu *c, const PpcInsn *i) { return xs_minmax(c, i, MM_MAXC); }
PpcStatus ppc_exec_xsmincdp(PpcCpu *c, const PpcInsn *i) { return xs_minmax(c, i, MM_MINC); }
PpcStatus ppc_exec_xsmaxjdp(PpcCpu *c, const PpcInsn *i) { return xs_minmax(c, i, MM_MAXJ); }
PpcStatus ppc_exec_xsminjdp(PpcCpu *c, const PpcInsn *i) { return xs_minmax(c, i, MM_MINJ); }

/* ---- Compares ---- */

/* The invalid-operation bits of a compare: VXSNAN for a signaling NaN; the ordered and the
 * greater-than/greater-or-equal compares also set VXVC for a quiet NaN, and for a
 * signaling one when VE = 0 (as fcmpo). */
static uint32_t cmp_exceptions(const PpcCpu *c, SoftFpFmt f, uint64_t a, uint64_t b,
                               bool ordered)
{
    if (softfp_is_snan(f, a) || softfp_is_snan(f, b))
        return FPSCR_VXSNAN | (ordered && !(c->fpscr_lo & FPSCR_VE) ? FPSCR_VXVC : 0);
    if (ordered && (softfp_is_nan(f, a) || softfp_is_nan(f, b)))
        return FPSCR_VXVC;
    return 0;
}

/* xscmpudp, xscmpodp: CR field BF and FPSCR[FPCC] take FL FG FE FU (fcmpu, fcmpo). */
static PpcStatus xs_compare(PpcCpu *c, const PpcInsn *i, bool ordered)
{
    static const uint8_t cc[] = { [SOFTFP_LT] = 8, [SOFTFP_GT] = 4, [SOFTFP_EQ] = 2,
                                  [SOFTFP_UNORDERED] = 1 };
    if (vsx_off(c))
        return vsx_unavailable(c);
    uint64_t a = c->vsr[i->ra].d[0], b = c->vsr[i->rb].d[0];
    unsigned v = cc[softfp_compare(SOFTFP_D, a, b)];
    ppc_set_cr_field(c, (i->rt & 31) >> 2, v);
    c->fpscr_lo = (c->fpscr_lo & ~FPSCR_FPCC) | (uint32_t)v << FPSCR_FPRF_SHIFT;
    return fp_finish(c, cmp_exceptions(c, SOFTFP_D, a, b, ordered));
}

PpcStatus ppc_exec_xscmpudp(PpcCpu *c, const PpcInsn *i) { return xs_compare(c, i, false); }
PpcStatus ppc_exec_xscmpodp(PpcCpu *c, const PpcInsn *i) { return xs_compare(c, i, true); }

/* xscmpexpdp (v3.0): the biased exponents compared, unordered if either is a NaN; no
 * exceptions. */
PpcStatus ppc_exec_xscmpexpdp(PpcCpu *c, const PpcInsn *i)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    uint64_t a = c->vsr[i->ra].d[0], b = c->vsr[i->rb].d[0];
    unsigned ea = (a >> 52) & 0x7ff, eb = (b >> 52) & 0x7ff, v;
    if (softfp_is_nan(SOFTFP_D, a) || softfp_is_nan(SOFTFP_D, b))
        v = 1;
    else
        v = ea < eb ? 8 : ea > eb ? 4 : 2;
    ppc_set_cr_field(c, (i->rt & 31) >> 2, v);
    c->fpscr_lo = (c->fpscr_lo & ~FPSCR_FPCC) | (uint32_t)v << FPSCR_FPRF_SHIFT;
    return PPC_NEXT;
}

typedef enum VsxCmp { XC_EQ, XC_GT, XC_GE } VsxCmp;

static bool cmp_holds(VsxCmp how, SoftFpOrder o)
{
    return how == XC_EQ ? o == SOFTFP_EQ
           : how == XC_GT ? o == SOFTFP_GT
                          : (o == SOFTFP_GT || o == SOFTFP_EQ);
}

/* xscmpeqdp, xscmpgtdp, xscmpgedp (v3.0): doubleword 0 all ones when the relation holds,
 * doubleword 1 zero; an enabled invalid operation leaves XT alone. */
static PpcStatus xs_compare_mask(PpcCpu *c, const PpcInsn *i, VsxCmp how)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    uint64_t a = c->vsr[i->ra].d[0], b = c->vsr[i->rb].d[0];
    uint32_t exc = cmp_exceptions(c, SOFTFP_D, a, b, how != XC_EQ);
    if (!ppc_fp_enabled(c->fpscr_lo, exc))
        vsr_put(c, i->rt,
                (PpcVec){ .d = { cmp_holds(how, softfp_compare(SOFTFP_D, a, b)) ? ~0ULL : 0, 0 } });
    return fp_finish(c, exc);
}

PpcStatus ppc_exec_xscmpeqdp(PpcCpu *c, const PpcInsn *i) { return xs_compare_mask(c, i, XC_EQ); }
PpcStatus ppc_exec_xscmpgtdp(PpcCpu *c, const PpcInsn *i) { return xs_compare_mask(c, i, XC_GT); }
PpcStatus ppc_exec_xscmpgedp(PpcCpu *c, const PpcInsn *i) { return xs_compare_mask(c, i, XC_GE); }

/* ---- Test for software divide and square root (ftdiv, ftsqrt for each format) ---- */

typedef struct FpFormatInfo {
    SoftFpFmt f;
    unsigned bits, frac;  /* total and fraction bits */
    int emin, emax, p;    /* exponent range, precision */
} FpFormatInfo;

static const FpFormatInfo fmt_d = { SOFTFP_D, 64, 52, -1022, 1023, 53 };
static const FpFormatInfo fmt_s = { SOFTFP_S, 32, 23, -126, 127, 24 };

static int fi_exp(const FpFormatInfo *fi, uint64_t x) /* unbiased; emin - 1 for 0, denormals */
{
    return (int)((x >> fi->frac) & ((1u << (fi->bits - fi->frac - 1)) - 1)) - fi->emax;
}

static bool fi_zero(const FpFormatInfo *fi, uint64_t x)
{
    return (x & ((1ULL << (fi->bits - 1)) - 1)) == 0;
}

static bool fi_special(const FpFormatInfo *fi, uint64_t x) /* infinity or NaN */
{
    return fi_exp(fi, x) == fi->emax + 1;
}

static bool fi_inf(const FpFormatInfo *fi, uint64_t x)
{
    return fi_special(fi, x) && (x & ((1ULL << fi->frac) - 1)) == 0;
}

static bool fi_denormal(const FpFormatInfo *fi, uint64_t x)
{
    return fi_exp(fi, x) == fi->emin - 1 && !fi_zero(fi, x);
}

/* fe: the quotient a / b may need software help (a special operand, or exponents near the
 * edges of the range); fg: it may be inexact or special. */
static void fi_tdiv(const FpFormatInfo *fi, uint64_t a, uint64_t b, bool *fe, bool *fg)
{
    int ea = fi_exp(fi, a), eb = fi_exp(fi, b);
    *fe |= fi_special(fi, a) || fi_special(fi, b) || fi_zero(fi, b) || eb <= fi->emin ||
           eb >= fi->emax - 2 ||
           (!fi_zero(fi, a) && (ea - eb >= fi->emax || ea - eb <= fi->emin + 1 ||
                                ea <= fi->emin + fi->p - 1));
    *fg |= fi_inf(fi, a) || fi_inf(fi, b) || fi_zero(fi, b) || fi_denormal(fi, b);
}

static void fi_tsqrt(const FpFormatInfo *fi, uint64_t b, bool *fe, bool *fg)
{
    bool neg = (b >> (fi->bits - 1)) & 1;
    *fe |= fi_zero(fi, b) || fi_special(fi, b) || neg || fi_exp(fi, b) <= fi->emin + fi->p - 1;
    *fg |= fi_zero(fi, b) || fi_inf(fi, b) || fi_denormal(fi, b);
}

/* CR field BF = 0b1 || fg || fe || 0b0, over every element of the width of fi. */
static PpcStatus vsx_test(PpcCpu *c, const PpcInsn *i, const FpFormatInfo *fi, unsigned n,
                          bool sqrt)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    PpcVec a = vsr_get(c, i->ra), b = vsr_get(c, i->rb);
    unsigned w = fi->bits / 8;
    bool fe = false, fg = false;
    for (unsigned k = 0; k < n; k++) {
        if (sqrt)
            fi_tsqrt(fi, vec_el(&b, w, k), &fe, &fg);
        else
            fi_tdiv(fi, vec_el(&a, w, k), vec_el(&b, w, k), &fe, &fg);
    }
    ppc_set_cr_field(c, (i->rt & 31) >> 2, 8 | (fg ? 4 : 0) | (fe ? 2 : 0));
    return PPC_NEXT;
}

PpcStatus ppc_exec_xstdivdp(PpcCpu *c, const PpcInsn *i)
{
    return vsx_test(c, i, &fmt_d, 1, false);
}

PpcStatus ppc_exec_xstsqrtdp(PpcCpu *c, const PpcInsn *i)
{
    return vsx_test(c, i, &fmt_d, 1, true);
}

PpcStatus ppc_exec_xvtdivdp(PpcCpu *c, const PpcInsn *i)
{
    return vsx_test(c, i, &fmt_d, 2, false);
}

PpcStatus ppc_exec_xvtsqrtdp(PpcCpu *c, const PpcInsn *i)
{
    return vsx_test(c, i, &fmt_d, 2, true);
}

PpcStatus ppc_exec_xvtdivsp(PpcCpu *c, const PpcInsn *i)
{
    return vsx_test(c, i, &fmt_s, 4, false);
}

PpcStatus ppc_exec_xvtsqrtsp(PpcCpu *c, const PpcInsn *i)
{
    return vsx_test(c, i, &fmt_s, 4, true);
}

/* ---- Vector floating-point: elements of width w (8: double, 4: single) ---- */

/* XT takes the results unless an element raised an enabled exception; then the FPSCR and
 * the interrupt. */
static PpcStatus xv_finish(PpcCpu *c, const PpcInsn *i, PpcVec t, uint32_t exc)
{
    if (!ppc_fp_enabled(c->fpscr_lo, exc))
        vsr_put(c, i->rt, t);
    return fp_finish(c, exc);
}

static PpcStatus xv_arith(PpcCpu *c, const PpcInsn *i, VsxFpOp op, unsigned w)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    PpcVec a = vsr_get(c, i->ra), b = vsr_get(c, i->rb), x = vsr_get(c, i->rt), t;
    SoftFpEnv env = ppc_fp_env(c);
    SoftFpFmt f = w == 8 ? SOFTFP_D : SOFTFP_S;
    uint32_t exc = 0;
    for (unsigned k = 0; k < 16 / w; k++) {
        SoftFpRes r = fp_op(op, f, vec_el(&a, w, k), vec_el(&b, w, k), vec_el(&x, w, k), env);
        exc |= ppc_fp_exceptions(r);
        vec_set(&t, w, k, r.v);
    }
    return xv_finish(c, i, t, exc);
}

#define XV_ARITH(name, op, w) \
    PpcStatus ppc_exec_##name(PpcCpu *c, const PpcInsn *i) { return xv_arith(c, i, op, w); }

XV_ARITH(xvadddp, XF_ADD, 8)
XV_ARITH(xvsubdp, XF_SUB, 8)
XV_ARITH(xvmuldp, XF_MUL, 8)
XV_ARITH(xvdivdp, XF_DIV, 8)
XV_ARITH(xvsqrtdp, XF_SQRT, 8)
XV_ARITH(xvmaddadp, XF_MADDA, 8)
XV_ARITH(xvmaddmdp, XF_MADDM, 8)
XV_ARITH(xvmsubadp, XF_MSUBA, 8)
XV_ARITH(xvmsubmdp, XF_MSUBM, 8)
XV_ARITH(xvnmaddadp, XF_NMADDA, 8)
XV_ARITH(xvnmaddmdp, XF_NMADDM, 8)
XV_ARITH(xvnmsubadp, XF_NMSUBA, 8)
XV_ARITH(xvnmsubmdp, XF_NMSUBM, 8)
XV_ARITH(xvredp, XF_RE, 8)
XV_ARITH(xvrsqrtedp, XF_RSQRTE, 8)
XV_ARITH(xvrdpi, XF_RI, 8)
XV_ARITH(xvrdpic, XF_RIC, 8)
XV_ARITH(xvrdpim, XF_RIM, 8)
XV_ARITH(xvrdpip, XF_RIP, 8)
XV_ARITH(xvrdpiz, XF_RIZ, 8)
XV_ARITH(xvaddsp, XF_ADD, 4)
XV_ARITH(xvsubsp, XF_SUB, 4)
XV_ARITH(xvmulsp, XF_MUL, 4)
XV_ARITH(xvdivsp, XF_DIV, 4)
XV_ARITH(xvsqrtsp, XF_SQRT, 4)
XV_ARITH(xvmaddasp, XF_MADDA, 4)
XV_ARITH(xvmaddmsp, XF_MADDM, 4)
XV_ARITH(xvmsubasp, XF_MSUBA, 4)
XV_ARITH(xvmsubmsp, XF_MSUBM, 4)
XV_ARITH(xvnmaddasp, XF_NMADDA, 4)
XV_ARITH(xvnmaddmsp, XF_NMADDM, 4)
XV_ARITH(xvnmsubasp, XF_NMSUBA, 4)
XV_ARITH(xvnmsubmsp, XF_NMSUBM, 4)
XV_ARITH(xvresp, XF_RE, 4)
XV_ARITH(xvrsqrtesp, XF_RSQRTE, 4)
XV_ARITH(xvrspi, XF_RI, 4)
XV_ARITH(xvrspic, XF_RIC, 4)
XV_ARITH(xvrspim, XF_RIM, 4)
XV_ARITH(xvrspip, XF_RIP, 4)
XV_ARITH(xvrspiz, XF_RIZ, 4)

/* Sign manipulation, element by element. */
typedef enum VsxSign { SG_ABS, SG_NABS, SG_NEG, SG_CPSGN } VsxSign;

static PpcStatus xv_sign(PpcCpu *c, const PpcInsn *i, VsxSign how, unsigned w)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    PpcVec a = vsr_get(c, i->ra), b = vsr_get(c, i->rb), t;
    uint64_t s = 1ULL << (8 * w - 1);
    for (unsigned k = 0; k < 16 / w; k++) {
        uint64_t x = vec_el(&b, w, k);
        switch (how) {
        case SG_ABS: x &= ~s; break;
        case SG_NABS: x |= s; break;
        case SG_NEG: x ^= s; break;
        case SG_CPSGN: x = (x & ~s) | (vec_el(&a, w, k) & s); break;
        }
        vec_set(&t, w, k, x);
    }
    vsr_put(c, i->rt, t);
    return PPC_NEXT;
}

PpcStatus ppc_exec_xvabsdp(PpcCpu *c, const PpcInsn *i) { return xv_sign(c, i, SG_ABS, 8); }
PpcStatus ppc_exec_xvabssp(PpcCpu *c, const PpcInsn *i) { return xv_sign(c, i, SG_ABS, 4); }
PpcStatus ppc_exec_xvnabsdp(PpcCpu *c, const PpcInsn *i) { return xv_sign(c, i, SG_NABS, 8); }
PpcStatus ppc_exec_xvnabssp(PpcCpu *c, const PpcInsn *i) { return xv_sign(c, i, SG_NABS, 4); }
PpcStatus ppc_exec_xvnegdp(PpcCpu *c, const PpcInsn *i) { return xv_sign(c, i, SG_NEG, 8); }
PpcStatus ppc_exec_xvnegsp(PpcCpu *c, const PpcInsn *i) { return xv_sign(c, i, SG_NEG, 4); }
PpcStatus ppc_exec_xvcpsgndp(PpcCpu *c, const PpcInsn *i) { return xv_sign(c, i, SG_CPSGN, 8); }
PpcStatus ppc_exec_xvcpsgnsp(PpcCpu *c, const PpcInsn *i) { return xv_sign(c, i, SG_CPSGN, 4); }

static PpcStatus xv_minmax(PpcCpu *c, const PpcInsn *i, VsxMinMax how, unsigned w)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    PpcVec a = vsr_get(c, i->ra), b = vsr_get(c, i->rb), t;
    SoftFpFmt f = w == 8 ? SOFTFP_D : SOFTFP_S;
    uint32_t exc = 0;
    for (unsigned k = 0; k < 16 / w; k++) {
        SoftFpRes r = fp_minmax(how, f, vec_el(&a, w, k), vec_el(&b, w, k));
        exc |= ppc_fp_exceptions(r);
        vec_set(&t, w, k, r.v);
    }
    return xv_finish(c, i, t, exc);
}

PpcStatus ppc_exec_xvmaxdp(PpcCpu *c, const PpcInsn *i) { return xv_minmax(c, i, MM_MAX, 8); }
PpcStatus ppc_exec_xvmaxsp(PpcCpu *c, const PpcInsn *i) { return xv_minmax(c, i, MM_MAX, 4); }
PpcStatus ppc_exec_xvmindp(PpcCpu *c, const PpcInsn *i) { return xv_minmax(c, i, MM_MIN, 8); }
PpcStatus ppc_exec_xvminsp(PpcCpu *c, const PpcInsn *i) { return xv_minmax(c, i, MM_MIN, 4); }

/* xvcmp{eq,gt,ge}{dp,sp}: each element all ones when the relation holds; XT is left alone
 * after an enabled invalid operation; with Rc = 1 CR6 = all-true || 0 || all-false || 0. */
static PpcStatus xv_compare(PpcCpu *c, const PpcInsn *i, VsxCmp how, unsigned w)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    PpcVec a = vsr_get(c, i->ra), b = vsr_get(c, i->rb), t;
    SoftFpFmt f = w == 8 ? SOFTFP_D : SOFTFP_S;
    uint32_t exc = 0;
    bool all = true, none = true;
    for (unsigned k = 0; k < 16 / w; k++) {
        uint64_t x = vec_el(&a, w, k), y = vec_el(&b, w, k);
        bool h = cmp_holds(how, softfp_compare(f, x, y));
        exc |= cmp_exceptions(c, f, x, y, how != XC_EQ);
        vec_set(&t, w, k, h ? ~0ULL : 0);
        all &= h;
        none &= !h;
    }
    if (i->flags & PPC_IF_RC)
        ppc_set_cr_field(c, 6, (all ? 8 : 0) | (none ? 2 : 0));
    return xv_finish(c, i, t, exc);
}

PpcStatus ppc_exec_xvcmpeqdp(PpcCpu *c, const PpcInsn *i) { return xv_compare(c, i, XC_EQ, 8); }
PpcStatus ppc_exec_xvcmpgtdp(PpcCpu *c, const PpcInsn *i) { return xv_compare(c, i, XC_GT, 8); }
PpcStatus ppc_exec_xvcmpgedp(PpcCpu *c, const PpcInsn *i) { return xv_compare(c, i, XC_GE, 8); }
PpcStatus ppc_exec_xvcmpeqsp(PpcCpu *c, const PpcInsn *i) { return xv_compare(c, i, XC_EQ, 4); }
PpcStatus ppc_exec_xvcmpgtsp(PpcCpu *c, const PpcInsn *i) { return xv_compare(c, i, XC_GT, 4); }
PpcStatus ppc_exec_xvcmpgesp(PpcCpu *c, const PpcInsn *i) { return xv_compare(c, i, XC_GE, 4); }

/* Vector conversions between element widths wi (operand) and wo (result): equal widths map
 * element k to element k; a doubleword operand to a word result fills both words of
 * doubleword k (v3.0; v2.07 left the odd word undefined); a word operand to a doubleword
 * result reads word 2k. fi is the floating-point format involved. */
static PpcStatus xv_convert(PpcCpu *c, const PpcInsn *i, VsxCvt cv, SoftFpFmt fi, unsigned wi,
                            unsigned wo)
{
    if (vsx_off(c))
        return vsx_unavailable(c);
    PpcVec b = vsr_get(c, i->rb), t;
    SoftFpEnv env = ppc_fp_env(c);
    uint32_t exc = 0;
    for (unsigned k = 0; k < 16 / MAX(wi, wo); k++) {
        uint64_t x = vec_el(&b, wi, wi < wo ? 2 * k : k);
        SoftFpRes r = fp_cvt(cv, fi, x, env);
        exc |= ppc_fp_exceptions(r);
        if (wo < wi) {
            vec_set(&t, wo, 2 * k, r.v);
            vec_set(&t, wo, 2 * k + 1, r.v);
        } else {
            vec_set(&t, wo, k, r.v);
        }
    }
    return xv_finish(c, i, t, exc);
}

#define XV_CVT(name, cv, fi, wi, wo)                                                          \
    PpcStatus ppc_exec_##name(PpcCpu *c, const PpcInsn *i)                                    \
    {                                                                                         \
        return xv_convert(c, i, cv, fi, wi, wo);                                              \
    }

XV_CVT(xvcvdpsp, CV_NARROW, SOFTFP_D, 8, 4)
XV_CVT(xvcvspdp, CV_WIDEN, SOFTFP_S, 4, 8)
XV_CVT(xvcvsxwdp, CV_FROM_S32, SOFTFP_D, 4, 8)
XV_CVT(xvcvuxwdp, CV_FROM_U32, SOFTFP_D, 4, 8)
XV_CVT(xvcvsxddp, CV_FROM_S64, SOFTFP_D, 8, 8)
XV_CVT(xvcvuxddp, CV_FROM_U64, SOFTFP_D, 8, 8)
XV_CVT(xvcvsxwsp, CV_FROM_S32, SOFTFP_S, 4, 4)
XV_CVT(xvcvuxwsp, CV_FROM_U32, SOFTFP_S, 4, 4)
XV_CVT(xvcvsxdsp, CV_FROM_S64, SOFTFP_S, 8, 4)
XV_CVT(xvcvuxdsp, CV_FROM_U64, SOFTFP_S, 8, 4)
XV_CVT(xvcvdpsxws, CV_TO_S32, SOFTFP_D, 8, 4)
XV_CVT(xvcvdpuxws, CV_TO_U32, SOFTFP_D, 8, 4)
XV_CVT(xvcvspsxws, CV_TO_S32, SOFTFP_S, 4, 4)
XV_CVT(xvcvspuxws, CV_TO_U32, SOFTFP_S, 4, 4)
XV_CVT(xvcvdpsxds, CV_TO_S64, SOFTFP_D, 8, 8)
XV_CVT(xvcvdpuxds, CV_TO_U64, SOFTFP_D, 8, 8)
XV_CVT(xvcvspsxds, CV_TO_S64, SOFTFP_S, 4, 8)
XV_CVT(xvcvspuxds, CV_TO_U64, SOFTFP_S, 4, 8)
