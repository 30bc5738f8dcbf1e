/* cpu/ppc/insn_vmx.c: the Vector Facility (Power ISA v3.0B Book I chapter 6 "Vector
 * Facility", the VMX of POWER8's v2.07 and POWER9's v3.0): the Vector Storage Access
 * Instructions (lvx/stvx ignore EA bits 60:63; the element forms take the element EA names,
 * placed where MSR[LE] orders it; lvsl/lvsr), the Vector Permute and Formatting
 * Instructions (pack with VSCR[SAT] on saturation, unpack, merge, splat, permute, shifts of
 * the whole register, the v3.0 extract and insert), the Vector Integer Instructions
 * (modulo, saturating and carry forms up to the quadword, multiply, multiply-sum, sum
 * across, average, absolute difference, maximum and minimum, compares that record CR6,
 * logical, rotate and shift), the Vector Floating-Point Instructions (single precision,
 * round to nearest, VSCR[NJ] turning denormal operands and results into zeros, no FPSCR
 * and no exceptions; estimates correctly rounded or nearly, well inside the ISA's bounds),
 * the Vector Status and Control Register Instructions, and the v2.07/v3.0 additions:
 * counts, gather, bit permutes, polynomial multiply-sum, the AES round primitives of
 * FIPS-197 and the SHA-2 sigma functions of FIPS 180-4. Elements are numbered as the ISA
 * numbers them (element 0 most significant); ppc_vec.h maps them onto PpcVsr. Every
 * instruction takes the Vector Unavailable interrupt when MSR[VEC] = 0. */
#include <math.h>

#include "cpu/common/softfp.h"
#include "cpu/ppc/ppc_decode.h"
#include "cpu/ppc/ppc_vec.h"

#define GPR(n) (c->gpr[(n)])

static inline bool vmx_off(const PpcCpu *c)
{
    return !(c->msr & MSR_VEC);
}

static inline PpcVec vr(const PpcCpu *c, unsigned n)
{
    return vsr_get(c, 32 + n);
}

static inline void vr_put(PpcCpu *c, unsigned n, PpcVec v)
{
    vsr_put(c, 32 + n, v);
}

static inline void set_sat(PpcCpu *c, bool sat)
{
    if (sat)
        c->vscr |= VSCR_SAT;
}

/* ---- Saturation (pack and integer arithmetic): clamp to the range of w bytes, noting that
 * it did ---- */

static uint64_t sat_s(int64_t v, unsigned w, bool *sat)
{
    int64_t hi = (int64_t)((1ULL << (8 * w - 1)) - 1), lo = -hi - 1;
    if (v > hi || v < lo) {
        *sat = true;
        return (uint64_t)(v > hi ? hi : lo);
    }
    return (uint64_t)v;
}

static uint64_t sat_u(int64_t v, unsigned w, bool *sat)
{
    uint64_t hi = (1ULL << (8 * w)) - 1;
    if (v < 0 || (uint64_t)v > hi) {
        *sat = true;
        return v < 0 ? 0 : hi;
    }
    return (uint64_t)v;
}

static uint64_t sat_uu(uint64_t v, unsigned w, bool *sat)
{
    uint64_t hi = w == 8 ? ~0ULL : (1ULL << (8 * w)) - 1;
    if (v > hi) {
        *sat = true;
        return hi;
    }
    return v;
}

/* ---- Element-wise frames: VRT = f(VRA, VRB), f(VRB), compares ---- */

typedef uint64_t (*VecBinFn)(uint64_t a, uint64_t b, unsigned w, bool *sat);
typedef uint64_t (*VecUnFn)(uint64_t b, unsigned w);
typedef bool (*VecCmpFn)(uint64_t a, uint64_t b, unsigned w);

static inline PpcStatus vec_binary(PpcCpu *c, const PpcInsn *i, unsigned w, VecBinFn f)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec a = vr(c, i->ra), b = vr(c, i->rb), t;
    bool sat = false;
    for (unsigned k = 0; k < 16 / w; k++)
        vec_set(&t, w, k, f(vec_el(&a, w, k), vec_el(&b, w, k), w, &sat));
    vr_put(c, i->rt, t);
    set_sat(c, sat);
    return PPC_NEXT;
}

static inline PpcStatus vec_unary(PpcCpu *c, const PpcInsn *i, unsigned w, VecUnFn f)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec b = vr(c, i->rb), t;
    for (unsigned k = 0; k < 16 / w; k++)
        vec_set(&t, w, k, f(vec_el(&b, w, k), w));
    vr_put(c, i->rt, t);
    return PPC_NEXT;
}

/* Vector Integer Compare: each element all ones when the relation holds; Rc = 1 sets CR6 to
 * all-true || 0 || all-false || 0. */
static inline PpcStatus vec_compare(PpcCpu *c, const PpcInsn *i, unsigned w, VecCmpFn f)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec a = vr(c, i->ra), b = vr(c, i->rb), t;
    bool all = true, none = true;
    for (unsigned k = 0; k < 16 / w; k++) {
        bool r = f(vec_el(&a, w, k), vec_el(&b, w, k), w);
        vec_set(&t, w, k, r ? ~0ULL : 0);
        all &= r;
        none &= !r;
    }
    vr_put(c, i->rt, t);
    if (i->flags & PPC_IF_RC)
        ppc_set_cr_field(c, 6, (all ? 8 : 0) | (none ? 2 : 0));
    return PPC_NEXT;
}

#define VMX_BINARY(name, w, fn) \
    PpcStatus ppc_exec_##name(PpcCpu *c, const PpcInsn *i) { return vec_binary(c, i, w, fn); }
#define VMX_UNARY(name, w, fn) \
    PpcStatus ppc_exec_##name(PpcCpu *c, const PpcInsn *i) { return vec_unary(c, i, w, fn); }
#define VMX_COMPARE(name, w, fn) \
    PpcStatus ppc_exec_##name(PpcCpu *c, const PpcInsn *i) { return vec_compare(c, i, w, fn); }

static inline int64_t sx(uint64_t v, unsigned w)
{
    return sext64(v, 8 * w);
}

/* ---- Vector Storage Access Instructions ---- */

static inline uint64_t ea_x(const PpcCpu *c, const PpcInsn *i)
{
    return ppc_ea(c, GPR(i->ra) + GPR(i->rb));
}

/* lvx, lvxl: the quadword at EA & ~15 in the byte order of MSR[LE]; the "last use" hint of
 * lvxl/stvxl changes nothing here. */
static PpcStatus vec_load_quad(PpcCpu *c, const PpcInsn *i)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    uint8_t buf[16];
    PpcStatus st = ppc_load_bytes(c, ea_x(c, i) & ~15ULL, 16, buf);
    if (st != PPC_NEXT)
        return st;
    vr_put(c, i->rt, vec_from_mem16(buf, ppc_msr_le(c)));
    return PPC_NEXT;
}

static PpcStatus vec_store_quad(PpcCpu *c, const PpcInsn *i)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    uint8_t buf[16];
    vec_to_mem16(vr(c, i->rt), ppc_msr_le(c), buf);
    return ppc_store_bytes(c, ea_x(c, i) & ~15ULL, 16, buf);
}

PpcStatus ppc_exec_lvx(PpcCpu *c, const PpcInsn *i) { return vec_load_quad(c, i); }
PpcStatus ppc_exec_lvxl(PpcCpu *c, const PpcInsn *i) { return vec_load_quad(c, i); }
PpcStatus ppc_exec_stvx(PpcCpu *c, const PpcInsn *i) { return vec_store_quad(c, i); }
PpcStatus ppc_exec_stvxl(PpcCpu *c, const PpcInsn *i) { return vec_store_quad(c, i); }

/* lve*x, stve*x: the element of width w at EA & -w; it sits in the register where the
 * quadword holding it would put it: element (EA mod 16) / w for MSR[LE] = 0, counted from
 * the other end for MSR[LE] = 1. Loads leave the other elements alone (the ISA leaves them
 * undefined). */
static unsigned elem_index(const PpcCpu *c, uint64_t ea, unsigned w)
{
    unsigned k = (unsigned)(ea & 15) / w;
    return ppc_msr_le(c) ? 16 / w - 1 - k : k;
}

static PpcStatus vec_load_elem(PpcCpu *c, const PpcInsn *i, unsigned w)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    uint64_t ea = ea_x(c, i) & ~(uint64_t)(w - 1), v;
    PpcStatus st = ppc_load(c, ea, w, false, &v);
    if (st != PPC_NEXT)
        return st;
    PpcVec t = vr(c, i->rt);
    vec_set(&t, w, elem_index(c, ea, w), v);
    vr_put(c, i->rt, t);
    return PPC_NEXT;
}

static PpcStatus vec_store_elem(PpcCpu *c, const PpcInsn *i, unsigned w)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    uint64_t ea = ea_x(c, i) & ~(uint64_t)(w - 1);
    PpcVec s = vr(c, i->rt);
    return ppc_store(c, ea, w, false, vec_el(&s, w, elem_index(c, ea, w)));
}

PpcStatus ppc_exec_lvebx(PpcCpu *c, const PpcInsn *i) { return vec_load_elem(c, i, 1); }
PpcStatus ppc_exec_lvehx(PpcCpu *c, const PpcInsn *i) { return vec_load_elem(c, i, 2); }
PpcStatus ppc_exec_lvewx(PpcCpu *c, const PpcInsn *i) { return vec_load_elem(c, i, 4); }
PpcStatus ppc_exec_stvebx(PpcCpu *c, const PpcInsn *i) { return vec_store_elem(c, i, 1); }
PpcStatus ppc_exec_stvehx(PpcCpu *c, const PpcInsn *i) { return vec_store_elem(c, i, 2); }
PpcStatus ppc_exec_stvewx(PpcCpu *c, const PpcInsn *i) { return vec_store_elem(c, i, 4); }

/* lvsl, lvsr: byte k is sh + k (lvsl) or 16 - sh + k (lvsr), sh = EA bits 60:63; no
 * storage access and no byte-order dependence. */
static PpcStatus vec_lvs(PpcCpu *c, const PpcInsn *i, bool right)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    unsigned sh = (unsigned)(GPR(i->ra) + GPR(i->rb)) & 15, base = right ? 16 - sh : sh;
    PpcVec t;
    for (unsigned k = 0; k < 16; k++)
        vec_set_byte(&t, k, (uint8_t)(base + k));
    vr_put(c, i->rt, t);
    return PPC_NEXT;
}

PpcStatus ppc_exec_lvsl(PpcCpu *c, const PpcInsn *i) { return vec_lvs(c, i, false); }
PpcStatus ppc_exec_lvsr(PpcCpu *c, const PpcInsn *i) { return vec_lvs(c, i, true); }

/* Data stream touch and stop (dst, dstst, dss, dssall): hints, no operation here. */
PpcStatus ppc_exec_dst(PpcCpu *c, const PpcInsn *i) { return PPC_NEXT; }
PpcStatus ppc_exec_dstst(PpcCpu *c, const PpcInsn *i) { return PPC_NEXT; }
PpcStatus ppc_exec_dss(PpcCpu *c, const PpcInsn *i) { return PPC_NEXT; }

/* ---- Vector Status and Control Register Instructions: the VSCR is word 3 of the register
 * (NJ and SAT defined) ---- */

PpcStatus ppc_exec_mfvscr(PpcCpu *c, const PpcInsn *i)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec t = { .d = { 0, c->vscr & (VSCR_NJ | VSCR_SAT) } };
    vr_put(c, i->rt, t);
    return PPC_NEXT;
}

PpcStatus ppc_exec_mtvscr(PpcCpu *c, const PpcInsn *i)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec b = vr(c, i->rb);
    c->vscr = (uint32_t)vec_el(&b, 4, 3) & (VSCR_NJ | VSCR_SAT);
    return PPC_NEXT;
}

/* ---- Vector Pack: VRA || VRB, each element narrowed to half its width ---- */

typedef enum VecPack {
    PACK_MOD,     /* modulo: the low half */
    PACK_SS,      /* signed to signed, saturating */
    PACK_SU,      /* signed to unsigned, saturating */
    PACK_UU,      /* unsigned to unsigned, saturating */
} VecPack;

static PpcStatus vec_pack(PpcCpu *c, const PpcInsn *i, unsigned w, VecPack how)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec src[2] = { vr(c, i->ra), vr(c, i->rb) }, t;
    unsigned n = 16 / w, hw = w / 2;
    bool sat = false;
    for (unsigned k = 0; k < 2 * n; k++) {
        const PpcVec *s = &src[k / n];
        uint64_t v = vec_el(s, w, k % n);
        switch (how) {
        case PACK_MOD: break;
        case PACK_SS: v = sat_s(sx(v, w), hw, &sat); break;
        case PACK_SU: v = sat_u(sx(v, w), hw, &sat); break;
        case PACK_UU: v = sat_uu(v, hw, &sat); break;
        }
        vec_set(&t, hw, k, v);
    }
    vr_put(c, i->rt, t);
    set_sat(c, sat);
    return PPC_NEXT;
}

PpcStatus ppc_exec_vpkuhum(PpcCpu *c, const PpcInsn *i) { return vec_pack(c, i, 2, PACK_MOD); }
PpcStatus ppc_exec_vpkuwum(PpcCpu *c, const PpcInsn *i) { return vec_pack(c, i, 4, PACK_MOD); }
PpcStatus ppc_exec_vpkudum(PpcCpu *c, const PpcInsn *i) { return vec_pack(c, i, 8, PACK_MOD); }
PpcStatus ppc_exec_vpkuhus(PpcCpu *c, const PpcInsn *i) { return vec_pack(c, i, 2, PACK_UU); }
PpcStatus ppc_exec_vpkuwus(PpcCpu *c, const PpcInsn *i) { return vec_pack(c, i, 4, PACK_UU); }
PpcStatus ppc_exec_vpkudus(PpcCpu *c, const PpcInsn *i) { return vec_pack(c, i, 8, PACK_UU); }
PpcStatus ppc_exec_vpkshus(PpcCpu *c, const PpcInsn *i) { return vec_pack(c, i, 2, PACK_SU); }
PpcStatus ppc_exec_vpkswus(PpcCpu *c, const PpcInsn *i) { return vec_pack(c, i, 4, PACK_SU); }
PpcStatus ppc_exec_vpksdus(PpcCpu *c, const PpcInsn *i) { return vec_pack(c, i, 8, PACK_SU); }
PpcStatus ppc_exec_vpkshss(PpcCpu *c, const PpcInsn *i) { return vec_pack(c, i, 2, PACK_SS); }
PpcStatus ppc_exec_vpkswss(PpcCpu *c, const PpcInsn *i) { return vec_pack(c, i, 4, PACK_SS); }
PpcStatus ppc_exec_vpksdss(PpcCpu *c, const PpcInsn *i) { return vec_pack(c, i, 8, PACK_SS); }

/* vpkpx: each word of VRA || VRB to a 1/5/5/5 pixel: bit 7, bits 8:12, 16:20, 24:28. */
PpcStatus ppc_exec_vpkpx(PpcCpu *c, const PpcInsn *i)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec src[2] = { vr(c, i->ra), vr(c, i->rb) }, t;
    for (unsigned k = 0; k < 8; k++) {
        uint32_t w = (uint32_t)vec_el(&src[k / 4], 4, k % 4);
        uint16_t p = (uint16_t)(((w >> 24) & 1) << 15 | ((w >> 19) & 0x1f) << 10 |
                                ((w >> 11) & 0x1f) << 5 | ((w >> 3) & 0x1f));
        vec_set(&t, 2, k, p);
    }
    vr_put(c, i->rt, t);
    return PPC_NEXT;
}

/* ---- Vector Unpack: the high (elements 0..n/2-1) or low half of VRB, sign-extended ---- */

static PpcStatus vec_unpack(PpcCpu *c, const PpcInsn *i, unsigned w, bool low)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec b = vr(c, i->rb), t;
    unsigned n = 8 / w;
    for (unsigned k = 0; k < n; k++)
        vec_set(&t, 2 * w, k, (uint64_t)vec_els(&b, w, k + (low ? n : 0)));
    vr_put(c, i->rt, t);
    return PPC_NEXT;
}

PpcStatus ppc_exec_vupkhsb(PpcCpu *c, const PpcInsn *i) { return vec_unpack(c, i, 1, false); }
PpcStatus ppc_exec_vupkhsh(PpcCpu *c, const PpcInsn *i) { return vec_unpack(c, i, 2, false); }
PpcStatus ppc_exec_vupkhsw(PpcCpu *c, const PpcInsn *i) { return vec_unpack(c, i, 4, false); }
PpcStatus ppc_exec_vupklsb(PpcCpu *c, const PpcInsn *i) { return vec_unpack(c, i, 1, true); }
PpcStatus ppc_exec_vupklsh(PpcCpu *c, const PpcInsn *i) { return vec_unpack(c, i, 2, true); }
PpcStatus ppc_exec_vupklsw(PpcCpu *c, const PpcInsn *i) { return vec_unpack(c, i, 4, true); }

/* vupkhpx, vupklpx: a 1/5/5/5 pixel to a word: bit 0 sign-extended to a byte, then each
 * 5-bit field zero-extended to a byte. */
static PpcStatus vec_unpack_pixel(PpcCpu *c, const PpcInsn *i, bool low)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec b = vr(c, i->rb), t;
    for (unsigned k = 0; k < 4; k++) {
        uint32_t p = (uint32_t)vec_el(&b, 2, k + (low ? 4 : 0));
        uint32_t w = ((p & 0x8000) ? 0xff000000u : 0) | ((p >> 10) & 0x1f) << 16 |
                     ((p >> 5) & 0x1f) << 8 | (p & 0x1f);
        vec_set(&t, 4, k, w);
    }
    vr_put(c, i->rt, t);
    return PPC_NEXT;
}

PpcStatus ppc_exec_vupkhpx(PpcCpu *c, const PpcInsn *i) { return vec_unpack_pixel(c, i, false); }
PpcStatus ppc_exec_vupklpx(PpcCpu *c, const PpcInsn *i) { return vec_unpack_pixel(c, i, true); }

/* ---- Vector Merge: elements of VRA and VRB interleaved, starting at element `first` and
 * stepping by `step` (high: 0, 1; low: n/2, 1; even/odd words: 0 or 1, 2) ---- */

static PpcStatus vec_merge(PpcCpu *c, const PpcInsn *i, unsigned w, unsigned first,
                           unsigned step)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec a = vr(c, i->ra), b = vr(c, i->rb), t;
    for (unsigned k = 0; k < 8 / w; k++) {
        vec_set(&t, w, 2 * k, vec_el(&a, w, first + k * step));
        vec_set(&t, w, 2 * k + 1, vec_el(&b, w, first + k * step));
    }
    vr_put(c, i->rt, t);
    return PPC_NEXT;
}

PpcStatus ppc_exec_vmrghb(PpcCpu *c, const PpcInsn *i) { return vec_merge(c, i, 1, 0, 1); }
PpcStatus ppc_exec_vmrghh(PpcCpu *c, const PpcInsn *i) { return vec_merge(c, i, 2, 0, 1); }
PpcStatus ppc_exec_vmrghw(PpcCpu *c, const PpcInsn *i) { return vec_merge(c, i, 4, 0, 1); }
PpcStatus ppc_exec_vmrglb(PpcCpu *c, const PpcInsn *i) { return vec_merge(c, i, 1, 8, 1); }
PpcStatus ppc_exec_vmrglh(PpcCpu *c, const PpcInsn *i) { return vec_merge(c, i, 2, 4, 1); }
PpcStatus ppc_exec_vmrglw(PpcCpu *c, const PpcInsn *i) { return vec_merge(c, i, 4, 2, 1); }
PpcStatus ppc_exec_vmrgew(PpcCpu *c, const PpcInsn *i) { return vec_merge(c, i, 4, 0, 2); }
PpcStatus ppc_exec_vmrgow(PpcCpu *c, const PpcInsn *i) { return vec_merge(c, i, 4, 1, 2); }

/* ---- Vector Splat: element UIM of VRB (the UIM field is the VRA field), or SIM ---- */

static PpcStatus vec_splat(PpcCpu *c, const PpcInsn *i, unsigned w)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec b = vr(c, i->rb), t;
    uint64_t v = vec_el(&b, w, i->ra & (16 / w - 1));
    for (unsigned k = 0; k < 16 / w; k++)
        vec_set(&t, w, k, v);
    vr_put(c, i->rt, t);
    return PPC_NEXT;
}

static PpcStatus vec_splat_imm(PpcCpu *c, const PpcInsn *i, unsigned w)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec t;
    for (unsigned k = 0; k < 16 / w; k++)
        vec_set(&t, w, k, (uint64_t)sext64(i->ra, 5));
    vr_put(c, i->rt, t);
    return PPC_NEXT;
}

PpcStatus ppc_exec_vspltb(PpcCpu *c, const PpcInsn *i) { return vec_splat(c, i, 1); }
PpcStatus ppc_exec_vsplth(PpcCpu *c, const PpcInsn *i) { return vec_splat(c, i, 2); }
PpcStatus ppc_exec_vspltw(PpcCpu *c, const PpcInsn *i) { return vec_splat(c, i, 4); }
PpcStatus ppc_exec_vspltisb(PpcCpu *c, const PpcInsn *i) { return vec_splat_imm(c, i, 1); }
PpcStatus ppc_exec_vspltish(PpcCpu *c, const PpcInsn *i) { return vec_splat_imm(c, i, 2); }
PpcStatus ppc_exec_vspltisw(PpcCpu *c, const PpcInsn *i) { return vec_splat_imm(c, i, 4); }

/* ---- Vector Permute and Select ---- */

/* vperm: byte k is byte VRC.byte[k] & 31 of VRA || VRB; vpermr (v3.0) counts from the
 * right: byte 31 - (VRC.byte[k] & 31). */
static PpcStatus vec_perm(PpcCpu *c, const PpcInsn *i, bool right)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec src[2] = { vr(c, i->ra), vr(c, i->rb) }, sel = vr(c, i->rc), t;
    for (unsigned k = 0; k < 16; k++) {
        unsigned x = vec_byte(&sel, k) & 31;
        if (right)
            x = 31 - x;
        vec_set_byte(&t, k, vec_byte(&src[x >> 4], x & 15));
    }
    vr_put(c, i->rt, t);
    return PPC_NEXT;
}

PpcStatus ppc_exec_vperm(PpcCpu *c, const PpcInsn *i) { return vec_perm(c, i, false); }
PpcStatus ppc_exec_vpermr(PpcCpu *c, const PpcInsn *i) { return vec_perm(c, i, true); }

/* vpermxor: byte k is VRA.byte[VRC.byte[k] bits 0:3] ^ VRB.byte[VRC.byte[k] bits 4:7]. */
PpcStatus ppc_exec_vpermxor(PpcCpu *c, const PpcInsn *i)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec a = vr(c, i->ra), b = vr(c, i->rb), sel = vr(c, i->rc), t;
    for (unsigned k = 0; k < 16; k++) {
        unsigned x = vec_byte(&sel, k);
        vec_set_byte(&t, k, vec_byte(&a, x >> 4) ^ vec_byte(&b, x & 15));
    }
    vr_put(c, i->rt, t);
    return PPC_NEXT;
}

/* vsel: each bit from VRB where VRC has a 1, from VRA where it has a 0. */
PpcStatus ppc_exec_vsel(PpcCpu *c, const PpcInsn *i)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec a = vr(c, i->ra), b = vr(c, i->rb), m = vr(c, i->rc), t;
    for (unsigned k = 0; k < 2; k++)
        t.d[k] = (a.d[k] & ~m.d[k]) | (b.d[k] & m.d[k]);
    vr_put(c, i->rt, t);
    return PPC_NEXT;
}

/* ---- Vector Shift: the whole register ---- */

/* vsldoi: bytes SHB..SHB+15 of VRA || VRB. */
PpcStatus ppc_exec_vsldoi(PpcCpu *c, const PpcInsn *i)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec src[2] = { vr(c, i->ra), vr(c, i->rb) }, t;
    unsigned shb = i->rc & 15;
    for (unsigned k = 0; k < 16; k++)
        vec_set_byte(&t, k, vec_byte(&src[(k + shb) >> 4], (k + shb) & 15));
    vr_put(c, i->rt, t);
    return PPC_NEXT;
}

/* vsl, vsr: VRA shifted by VRB bits 125:127 (the ISA asks for the same count in every byte;
 * the count of byte 15 is the one used); vslo, vsro: by VRB bits 121:124 octets. */
static PpcStatus vec_shift_quad(PpcCpu *c, const PpcInsn *i, bool left, bool octets)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec a = vr(c, i->ra), b = vr(c, i->rb);
    unsigned s = vec_byte(&b, 15);
    unsigned n = octets ? ((s >> 3) & 15) * 8 : s & 7;
    PpcU128 q = vec_q(&a);
    vr_put(c, i->rt, vec_from_q(left ? q << n : q >> n));
    return PPC_NEXT;
}

PpcStatus ppc_exec_vsl(PpcCpu *c, const PpcInsn *i) { return vec_shift_quad(c, i, true, false); }
PpcStatus ppc_exec_vsr(PpcCpu *c, const PpcInsn *i) { return vec_shift_quad(c, i, false, false); }
PpcStatus ppc_exec_vslo(PpcCpu *c, const PpcInsn *i) { return vec_shift_quad(c, i, true, true); }
PpcStatus ppc_exec_vsro(PpcCpu *c, const PpcInsn *i) { return vec_shift_quad(c, i, false, true); }

/* vslv, vsrv (v3.0): byte k of VRA shifted by VRB.byte[k] bits 5:7, the bits shifted in
 * coming from the neighbouring byte of VRA (0 past either end). */
static PpcStatus vec_shift_var(PpcCpu *c, const PpcInsn *i, bool left)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec a = vr(c, i->ra), b = vr(c, i->rb), t;
    for (unsigned k = 0; k < 16; k++) {
        unsigned sh = vec_byte(&b, k) & 7;
        unsigned hi = left ? vec_byte(&a, k) : (k ? vec_byte(&a, k - 1) : 0);
        unsigned lo = left ? (k < 15 ? vec_byte(&a, k + 1) : 0) : vec_byte(&a, k);
        unsigned pair = hi << 8 | lo;
        vec_set_byte(&t, k, (uint8_t)(left ? (pair << sh) >> 8 : pair >> sh));
    }
    vr_put(c, i->rt, t);
    return PPC_NEXT;
}

PpcStatus ppc_exec_vslv(PpcCpu *c, const PpcInsn *i) { return vec_shift_var(c, i, true); }
PpcStatus ppc_exec_vsrv(PpcCpu *c, const PpcInsn *i) { return vec_shift_var(c, i, false); }

/* ---- Vector Extract and Insert (v3.0) ---- */

/* Byte k of the register, 0 beyond byte 15 (the ISA leaves such UIM/index undefined). */
static uint8_t byte_or0(const PpcVec *v, unsigned k)
{
    return k < 16 ? vec_byte(v, k) : 0;
}

static uint64_t bytes_at(const PpcVec *v, unsigned first, unsigned n)
{
    uint64_t x = 0;
    for (unsigned k = 0; k < n; k++)
        x = x << 8 | byte_or0(v, first + k);
    return x;
}

/* vextractu[bhw], vextractd: bytes UIM..UIM+w-1 of VRB, zero-extended into doubleword 0;
 * doubleword 1 is zero. */
static PpcStatus vec_extract(PpcCpu *c, const PpcInsn *i, unsigned w)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec b = vr(c, i->rb);
    vr_put(c, i->rt, (PpcVec){ .d = { bytes_at(&b, i->ra & 15, w), 0 } });
    return PPC_NEXT;
}

/* vinsert[bhwd]: bytes UIM..UIM+w-1 of VRT take the rightmost w bytes of doubleword 0 of
 * VRB; the other bytes of VRT are kept. */
static PpcStatus vec_insert(PpcCpu *c, const PpcInsn *i, unsigned w)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec b = vr(c, i->rb), t = vr(c, i->rt);
    unsigned uim = i->ra & 15;
    for (unsigned k = 0; k < w && uim + k < 16; k++)
        vec_set_byte(&t, uim + k, vec_byte(&b, 8 - w + k));
    vr_put(c, i->rt, t);
    return PPC_NEXT;
}

PpcStatus ppc_exec_vextractub(PpcCpu *c, const PpcInsn *i) { return vec_extract(c, i, 1); }
PpcStatus ppc_exec_vextractuh(PpcCpu *c, const PpcInsn *i) { return vec_extract(c, i, 2); }
PpcStatus ppc_exec_vextractuw(PpcCpu *c, const PpcInsn *i) { return vec_extract(c, i, 4); }
PpcStatus ppc_exec_vextractd(PpcCpu *c, const PpcInsn *i) { return vec_extract(c, i, 8); }
PpcStatus ppc_exec_vinsertb(PpcCpu *c, const PpcInsn *i) { return vec_insert(c, i, 1); }
PpcStatus ppc_exec_vinserth(PpcCpu *c, const PpcInsn *i) { return vec_insert(c, i, 2); }
PpcStatus ppc_exec_vinsertw(PpcCpu *c, const PpcInsn *i) { return vec_insert(c, i, 4); }
PpcStatus ppc_exec_vinsertd(PpcCpu *c, const PpcInsn *i) { return vec_insert(c, i, 8); }

/* vextu[bhw]lx, vextu[bhw]rx: RT = the w bytes of VRB at byte index GPR[RA] bits 60:63,
 * counted from the left (bytes index..index+w-1) or from the right (bytes
 * 16-w-index..15-index), zero-extended. */
static PpcStatus vec_extract_gpr(PpcCpu *c, const PpcInsn *i, unsigned w, bool right)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec b = vr(c, i->rb);
    unsigned idx = (unsigned)GPR(i->ra) & 15;
    uint64_t v;
    if (!right) {
        v = bytes_at(&b, idx, w);
    } else {
        v = 0;
        for (unsigned k = 0; k < w; k++) {
            int at = 16 - (int)w - (int)idx + (int)k;
            v = v << 8 | (at >= 0 ? vec_byte(&b, (unsigned)at) : 0);
        }
    }
    GPR(i->rt) = v;
    return PPC_NEXT;
}

PpcStatus ppc_exec_vextublx(PpcCpu *c, const PpcInsn *i) { return vec_extract_gpr(c, i, 1, false); }
PpcStatus ppc_exec_vextubrx(PpcCpu *c, const PpcInsn *i) { return vec_extract_gpr(c, i, 1, true); }
PpcStatus ppc_exec_vextuhlx(PpcCpu *c, const PpcInsn *i) { return vec_extract_gpr(c, i, 2, false); }
PpcStatus ppc_exec_vextuhrx(PpcCpu *c, const PpcInsn *i) { return vec_extract_gpr(c, i, 2, true); }
PpcStatus ppc_exec_vextuwlx(PpcCpu *c, const PpcInsn *i) { return vec_extract_gpr(c, i, 4, false); }
PpcStatus ppc_exec_vextuwrx(PpcCpu *c, const PpcInsn *i) { return vec_extract_gpr(c, i, 4, true); }

/* ---- Vector Integer Add and Subtract ---- */

static uint64_t e_add(uint64_t a, uint64_t b, unsigned w, bool *sat) { return a + b; }
static uint64_t e_sub(uint64_t a, uint64_t b, unsigned w, bool *sat) { return a - b; }

static uint64_t e_adds_u(uint64_t a, uint64_t b, unsigned w, bool *sat)
{
    return sat_uu(a + b, w, sat);
}

static uint64_t e_adds_s(uint64_t a, uint64_t b, unsigned w, bool *sat)
{
    return sat_s(sx(a, w) + sx(b, w), w, sat);
}

static uint64_t e_subs_u(uint64_t a, uint64_t b, unsigned w, bool *sat)
{
    return sat_u((int64_t)a - (int64_t)b, w, sat);
}

static uint64_t e_subs_s(uint64_t a, uint64_t b, unsigned w, bool *sat)
{
    return sat_s(sx(a, w) - sx(b, w), w, sat);
}

/* vaddcuw: the carry out of the word sum; vsubcuw: the carry out of a + ~b + 1, that is
 * 1 when there is no borrow. */
static uint64_t e_addc(uint64_t a, uint64_t b, unsigned w, bool *sat) { return (a + b) >> 32; }
static uint64_t e_subc(uint64_t a, uint64_t b, unsigned w, bool *sat) { return a >= b; }

VMX_BINARY(vaddubm, 1, e_add)
VMX_BINARY(vadduhm, 2, e_add)
VMX_BINARY(vadduwm, 4, e_add)
VMX_BINARY(vaddudm, 8, e_add)
VMX_BINARY(vaddubs, 1, e_adds_u)
VMX_BINARY(vadduhs, 2, e_adds_u)
VMX_BINARY(vadduws, 4, e_adds_u)
VMX_BINARY(vaddsbs, 1, e_adds_s)
VMX_BINARY(vaddshs, 2, e_adds_s)
VMX_BINARY(vaddsws, 4, e_adds_s)
VMX_BINARY(vaddcuw, 4, e_addc)
VMX_BINARY(vsububm, 1, e_sub)
VMX_BINARY(vsubuhm, 2, e_sub)
VMX_BINARY(vsubuwm, 4, e_sub)
VMX_BINARY(vsubudm, 8, e_sub)
VMX_BINARY(vsububs, 1, e_subs_u)
VMX_BINARY(vsubuhs, 2, e_subs_u)
VMX_BINARY(vsubuws, 4, e_subs_u)
VMX_BINARY(vsubsbs, 1, e_subs_s)
VMX_BINARY(vsubshs, 2, e_subs_s)
VMX_BINARY(vsubsws, 4, e_subs_s)
VMX_BINARY(vsubcuw, 4, e_subc)

/* Quadword add and subtract (v2.07): VRA + VRB (+ carry-in VRC bit 127 for the extended
 * forms); subtraction is VRA + ~VRB + 1 (or + the carry-in); the carry forms return the
 * carry out in bit 127. */
static PpcStatus vec_quad(PpcCpu *c, const PpcInsn *i, bool sub, bool extended, bool carry)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec a = vr(c, i->ra), b = vr(c, i->rb), cv = vr(c, i->rc);
    PpcU128 x = vec_q(&a), y = vec_q(&b);
    if (sub)
        y = ~y;
    unsigned cin = extended ? (unsigned)(cv.d[1] & 1) : sub;
    PpcU128 s = x + y, r = s + cin;
    unsigned cout = (s < x) | (r < s);
    vr_put(c, i->rt, carry ? (PpcVec){ .d = { 0, cout } } : vec_from_q(r));
    return PPC_NEXT;
}

PpcStatus ppc_exec_vadduqm(PpcCpu *c, const PpcInsn *i)
{
    return vec_quad(c, i, false, false, false);
}

PpcStatus ppc_exec_vaddcuq(PpcCpu *c, const PpcInsn *i)
{
    return vec_quad(c, i, false, false, true);
}

PpcStatus ppc_exec_vaddeuqm(PpcCpu *c, const PpcInsn *i)
{
    return vec_quad(c, i, false, true, false);
}

PpcStatus ppc_exec_vaddecuq(PpcCpu *c, const PpcInsn *i)
{
    return vec_quad(c, i, false, true, true);
}

PpcStatus ppc_exec_vsubuqm(PpcCpu *c, const PpcInsn *i)
{
    return vec_quad(c, i, true, false, false);
}

PpcStatus ppc_exec_vsubcuq(PpcCpu *c, const PpcInsn *i)
{
    return vec_quad(c, i, true, false, true);
}

PpcStatus ppc_exec_vsubeuqm(PpcCpu *c, const PpcInsn *i)
{
    return vec_quad(c, i, true, true, false);
}

PpcStatus ppc_exec_vsubecuq(PpcCpu *c, const PpcInsn *i)
{
    return vec_quad(c, i, true, true, true);
}

/* ---- Vector Integer Multiply, Multiply-Add, Multiply-Sum ---- */

/* vmule*, vmulo*: the even (0, 2, ...) or odd elements of VRA and VRB multiplied into
 * elements of twice the width. */
static PpcStatus vec_mul_wide(PpcCpu *c, const PpcInsn *i, unsigned w, bool sgn, bool odd)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec a = vr(c, i->ra), b = vr(c, i->rb), t;
    for (unsigned k = 0; k < 8 / w; k++) {
        unsigned e = 2 * k + odd;
        uint64_t p = sgn ? (uint64_t)(vec_els(&a, w, e) * vec_els(&b, w, e))
                         : vec_el(&a, w, e) * vec_el(&b, w, e);
        vec_set(&t, 2 * w, k, p);
    }
    vr_put(c, i->rt, t);
    return PPC_NEXT;
}

PpcStatus ppc_exec_vmulesb(PpcCpu *c, const PpcInsn *i)
{
    return vec_mul_wide(c, i, 1, true, false);
}

PpcStatus ppc_exec_vmulesh(PpcCpu *c, const PpcInsn *i)
{
    return vec_mul_wide(c, i, 2, true, false);
}

PpcStatus ppc_exec_vmulesw(PpcCpu *c, const PpcInsn *i)
{
    return vec_mul_wide(c, i, 4, true, false);
}

PpcStatus ppc_exec_vmuleub(PpcCpu *c, const PpcInsn *i)
{
    return vec_mul_wide(c, i, 1, false, false);
}

PpcStatus ppc_exec_vmuleuh(PpcCpu *c, const PpcInsn *i)
{
    return vec_mul_wide(c, i, 2, false, false);
}

PpcStatus ppc_exec_vmuleuw(PpcCpu *c, const PpcInsn *i)
{
    return vec_mul_wide(c, i, 4, false, false);
}

PpcStatus ppc_exec_vmulosb(PpcCpu *c, const PpcInsn *i)
{
    return vec_mul_wide(c, i, 1, true, true);
}

PpcStatus ppc_exec_vmulosh(PpcCpu *c, const PpcInsn *i)
{
    return vec_mul_wide(c, i, 2, true, true);
}

PpcStatus ppc_exec_vmulosw(PpcCpu *c, const PpcInsn *i)
{
    return vec_mul_wide(c, i, 4, true, true);
}

PpcStatus ppc_exec_vmuloub(PpcCpu *c, const PpcInsn *i)
{
    return vec_mul_wide(c, i, 1, false, true);
}

PpcStatus ppc_exec_vmulouh(PpcCpu *c, const PpcInsn *i)
{
    return vec_mul_wide(c, i, 2, false, true);
}

PpcStatus ppc_exec_vmulouw(PpcCpu *c, const PpcInsn *i)
{
    return vec_mul_wide(c, i, 4, false, true);
}

static uint64_t e_mul(uint64_t a, uint64_t b, unsigned w, bool *sat) { return a * b; }

VMX_BINARY(vmuluwm, 4, e_mul)

/* vmhaddshs, vmhraddshs: (VRA * VRB [+ 0x4000]) >> 15, plus VRC, saturated to a signed
 * halfword; vmladduhm: VRA * VRB + VRC modulo 2^16. */
static PpcStatus vec_mhadd(PpcCpu *c, const PpcInsn *i, bool round)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec a = vr(c, i->ra), b = vr(c, i->rb), cv = vr(c, i->rc), t;
    bool sat = false;
    for (unsigned k = 0; k < 8; k++) {
        int64_t p = vec_els(&a, 2, k) * vec_els(&b, 2, k) + (round ? 0x4000 : 0);
        vec_set(&t, 2, k, sat_s((p >> 15) + vec_els(&cv, 2, k), 2, &sat));
    }
    vr_put(c, i->rt, t);
    set_sat(c, sat);
    return PPC_NEXT;
}

PpcStatus ppc_exec_vmhaddshs(PpcCpu *c, const PpcInsn *i) { return vec_mhadd(c, i, false); }
PpcStatus ppc_exec_vmhraddshs(PpcCpu *c, const PpcInsn *i) { return vec_mhadd(c, i, true); }

PpcStatus ppc_exec_vmladduhm(PpcCpu *c, const PpcInsn *i)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec a = vr(c, i->ra), b = vr(c, i->rb), cv = vr(c, i->rc), t;
    for (unsigned k = 0; k < 8; k++)
        vec_set(&t, 2, k, vec_el(&a, 2, k) * vec_el(&b, 2, k) + vec_el(&cv, 2, k));
    vr_put(c, i->rt, t);
    return PPC_NEXT;
}

/* vmsum*: word k of VRT is word k of VRC plus the products of the elements of VRA and VRB
 * (width w) that lie in word k; modulo 2^32 or saturated (signed, or unsigned for
 * vmsumuhs). vmsummbm multiplies signed bytes of VRA by unsigned bytes of VRB. */
static PpcStatus vec_msum(PpcCpu *c, const PpcInsn *i, unsigned w, bool sa, bool sb,
                          bool saturate)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec a = vr(c, i->ra), b = vr(c, i->rb), cv = vr(c, i->rc), t;
    bool sat = false;
    unsigned per = 4 / w;
    for (unsigned k = 0; k < 4; k++) {
        int64_t s = sa ? vec_els(&cv, 4, k) : (int64_t)vec_el(&cv, 4, k);
        for (unsigned j = 0; j < per; j++) {
            unsigned e = k * per + j;
            int64_t x = sa ? vec_els(&a, w, e) : (int64_t)vec_el(&a, w, e);
            int64_t y = sb ? vec_els(&b, w, e) : (int64_t)vec_el(&b, w, e);
            s += x * y;
        }
        uint64_t r = (uint64_t)s;
        if (saturate)
            r = sa ? sat_s(s, 4, &sat) : sat_uu((uint64_t)s, 4, &sat);
        vec_set(&t, 4, k, r);
    }
    vr_put(c, i->rt, t);
    set_sat(c, sat);
    return PPC_NEXT;
}

PpcStatus ppc_exec_vmsumubm(PpcCpu *c, const PpcInsn *i)
{
    return vec_msum(c, i, 1, false, false, false);
}

PpcStatus ppc_exec_vmsummbm(PpcCpu *c, const PpcInsn *i)
{
    return vec_msum(c, i, 1, true, false, false);
}

PpcStatus ppc_exec_vmsumuhm(PpcCpu *c, const PpcInsn *i)
{
    return vec_msum(c, i, 2, false, false, false);
}

PpcStatus ppc_exec_vmsumuhs(PpcCpu *c, const PpcInsn *i)
{
    return vec_msum(c, i, 2, false, false, true);
}

PpcStatus ppc_exec_vmsumshm(PpcCpu *c, const PpcInsn *i)
{
    return vec_msum(c, i, 2, true, true, false);
}

PpcStatus ppc_exec_vmsumshs(PpcCpu *c, const PpcInsn *i)
{
    return vec_msum(c, i, 2, true, true, true);
}

/* vmsumudm (v3.0B): the two unsigned doubleword products plus VRC, modulo 2^128. */
PpcStatus ppc_exec_vmsumudm(PpcCpu *c, const PpcInsn *i)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec a = vr(c, i->ra), b = vr(c, i->rb), cv = vr(c, i->rc);
    PpcU128 s = vec_q(&cv) + (PpcU128)a.d[0] * b.d[0] + (PpcU128)a.d[1] * b.d[1];
    vr_put(c, i->rt, vec_from_q(s));
    return PPC_NEXT;
}

/* ---- Vector Integer Sum Across ---- */

/* vsumsws: the four signed words of VRA plus word 3 of VRB, saturated, into word 3; the
 * other words are zero. */
PpcStatus ppc_exec_vsumsws(PpcCpu *c, const PpcInsn *i)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec a = vr(c, i->ra), b = vr(c, i->rb), t = { .d = { 0, 0 } };
    bool sat = false;
    int64_t s = vec_els(&b, 4, 3);
    for (unsigned k = 0; k < 4; k++)
        s += vec_els(&a, 4, k);
    vec_set(&t, 4, 3, sat_s(s, 4, &sat));
    vr_put(c, i->rt, t);
    set_sat(c, sat);
    return PPC_NEXT;
}

/* vsum2sws: words 2j and 2j+1 of VRA plus word 2j+1 of VRB, saturated, into word 2j+1. */
PpcStatus ppc_exec_vsum2sws(PpcCpu *c, const PpcInsn *i)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec a = vr(c, i->ra), b = vr(c, i->rb), t = { .d = { 0, 0 } };
    bool sat = false;
    for (unsigned j = 0; j < 2; j++) {
        int64_t s = vec_els(&a, 4, 2 * j) + vec_els(&a, 4, 2 * j + 1) + vec_els(&b, 4, 2 * j + 1);
        vec_set(&t, 4, 2 * j + 1, sat_s(s, 4, &sat));
    }
    vr_put(c, i->rt, t);
    set_sat(c, sat);
    return PPC_NEXT;
}

/* vsum4sbs, vsum4shs, vsum4ubs: the elements of VRA in word k plus word k of VRB,
 * saturated. */
static PpcStatus vec_sum4(PpcCpu *c, const PpcInsn *i, unsigned w, bool sgn)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec a = vr(c, i->ra), b = vr(c, i->rb), t;
    bool sat = false;
    for (unsigned k = 0; k < 4; k++) {
        int64_t s = sgn ? vec_els(&b, 4, k) : (int64_t)vec_el(&b, 4, k);
        for (unsigned j = 0; j < 4 / w; j++) {
            unsigned e = k * (4 / w) + j;
            s += sgn ? vec_els(&a, w, e) : (int64_t)vec_el(&a, w, e);
        }
        vec_set(&t, 4, k, sgn ? sat_s(s, 4, &sat) : sat_uu((uint64_t)s, 4, &sat));
    }
    vr_put(c, i->rt, t);
    set_sat(c, sat);
    return PPC_NEXT;
}

PpcStatus ppc_exec_vsum4sbs(PpcCpu *c, const PpcInsn *i) { return vec_sum4(c, i, 1, true); }
PpcStatus ppc_exec_vsum4shs(PpcCpu *c, const PpcInsn *i) { return vec_sum4(c, i, 2, true); }
PpcStatus ppc_exec_vsum4ubs(PpcCpu *c, const PpcInsn *i) { return vec_sum4(c, i, 1, false); }

/* ---- Vector Integer Average, Absolute Difference, Maximum, Minimum ---- */

static uint64_t e_avg_u(uint64_t a, uint64_t b, unsigned w, bool *sat)
{
    return (a + b + 1) >> 1;
}

static uint64_t e_avg_s(uint64_t a, uint64_t b, unsigned w, bool *sat)
{
    return (uint64_t)((sx(a, w) + sx(b, w) + 1) >> 1);
}

static uint64_t e_absd(uint64_t a, uint64_t b, unsigned w, bool *sat)
{
    return a > b ? a - b : b - a;
}

static uint64_t e_max_u(uint64_t a, uint64_t b, unsigned w, bool *sat) { return a > b ? a : b; }
static uint64_t e_min_u(uint64_t a, uint64_t b, unsigned w, bool *sat) { return a < b ? a : b; }

static uint64_t e_max_s(uint64_t a, uint64_t b, unsigned w, bool *sat)
{
    return sx(a, w) > sx(b, w) ? a : b;
}

static uint64_t e_min_s(uint64_t a, uint64_t b, unsigned w, bool *sat)
{
    return sx(a, w) < sx(b, w) ? a : b;
}

VMX_BINARY(vavgub, 1, e_avg_u)
VMX_BINARY(vavguh, 2, e_avg_u)
VMX_BINARY(vavguw, 4, e_avg_u)
VMX_BINARY(vavgsb, 1, e_avg_s)
VMX_BINARY(vavgsh, 2, e_avg_s)
VMX_BINARY(vavgsw, 4, e_avg_s)
VMX_BINARY(vabsdub, 1, e_absd)
VMX_BINARY(vabsduh, 2, e_absd)
VMX_BINARY(vabsduw, 4, e_absd)
VMX_BINARY(vmaxub, 1, e_max_u)
VMX_BINARY(vmaxuh, 2, e_max_u)
VMX_BINARY(vmaxuw, 4, e_max_u)
VMX_BINARY(vmaxud, 8, e_max_u)
VMX_BINARY(vmaxsb, 1, e_max_s)
VMX_BINARY(vmaxsh, 2, e_max_s)
VMX_BINARY(vmaxsw, 4, e_max_s)
VMX_BINARY(vmaxsd, 8, e_max_s)
VMX_BINARY(vminub, 1, e_min_u)
VMX_BINARY(vminuh, 2, e_min_u)
VMX_BINARY(vminuw, 4, e_min_u)
VMX_BINARY(vminud, 8, e_min_u)
VMX_BINARY(vminsb, 1, e_min_s)
VMX_BINARY(vminsh, 2, e_min_s)
VMX_BINARY(vminsw, 4, e_min_s)
VMX_BINARY(vminsd, 8, e_min_s)

/* ---- Vector Negate, Extend Sign, Parity (v3.0) ---- */

static uint64_t e_neg(uint64_t b, unsigned w) { return -b; }
static uint64_t e_extsb(uint64_t b, unsigned w) { return (uint64_t)sext64(b, 8); }
static uint64_t e_extsh(uint64_t b, unsigned w) { return (uint64_t)sext64(b, 16); }
static uint64_t e_extsw(uint64_t b, unsigned w) { return (uint64_t)sext64(b, 32); }

/* The parity of the least significant bits of the bytes of an element. */
static uint64_t e_prtyb(uint64_t b, unsigned w)
{
    return (uint64_t)__builtin_popcountll(b & 0x0101010101010101ULL) & 1;
}

VMX_UNARY(vnegw, 4, e_neg)
VMX_UNARY(vnegd, 8, e_neg)
VMX_UNARY(vextsb2w, 4, e_extsb)
VMX_UNARY(vextsh2w, 4, e_extsh)
VMX_UNARY(vextsb2d, 8, e_extsb)
VMX_UNARY(vextsh2d, 8, e_extsh)
VMX_UNARY(vextsw2d, 8, e_extsw)
VMX_UNARY(vprtybw, 4, e_prtyb)
VMX_UNARY(vprtybd, 8, e_prtyb)

PpcStatus ppc_exec_vprtybq(PpcCpu *c, const PpcInsn *i)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec b = vr(c, i->rb);
    vr_put(c, i->rt, (PpcVec){ .d = { 0, e_prtyb(b.d[0] ^ b.d[1], 8) } });
    return PPC_NEXT;
}

/* ---- Vector Integer Compare ---- */

static bool c_eq(uint64_t a, uint64_t b, unsigned w) { return a == b; }
static bool c_ne(uint64_t a, uint64_t b, unsigned w) { return a != b; }
static bool c_nez(uint64_t a, uint64_t b, unsigned w) { return a != b || a == 0 || b == 0; }
static bool c_gt_u(uint64_t a, uint64_t b, unsigned w) { return a > b; }
static bool c_gt_s(uint64_t a, uint64_t b, unsigned w) { return sx(a, w) > sx(b, w); }

VMX_COMPARE(vcmpequb, 1, c_eq)
VMX_COMPARE(vcmpequh, 2, c_eq)
VMX_COMPARE(vcmpequw, 4, c_eq)
VMX_COMPARE(vcmpequd, 8, c_eq)
VMX_COMPARE(vcmpneb, 1, c_ne)
VMX_COMPARE(vcmpneh, 2, c_ne)
VMX_COMPARE(vcmpnew, 4, c_ne)
VMX_COMPARE(vcmpnezb, 1, c_nez)
VMX_COMPARE(vcmpnezh, 2, c_nez)
VMX_COMPARE(vcmpnezw, 4, c_nez)
VMX_COMPARE(vcmpgtub, 1, c_gt_u)
VMX_COMPARE(vcmpgtuh, 2, c_gt_u)
VMX_COMPARE(vcmpgtuw, 4, c_gt_u)
VMX_COMPARE(vcmpgtud, 8, c_gt_u)
VMX_COMPARE(vcmpgtsb, 1, c_gt_s)
VMX_COMPARE(vcmpgtsh, 2, c_gt_s)
VMX_COMPARE(vcmpgtsw, 4, c_gt_s)
VMX_COMPARE(vcmpgtsd, 8, c_gt_s)

/* ---- Vector Integer Logical ---- */

static uint64_t e_and(uint64_t a, uint64_t b, unsigned w, bool *sat) { return a & b; }
static uint64_t e_andc(uint64_t a, uint64_t b, unsigned w, bool *sat) { return a & ~b; }
static uint64_t e_or(uint64_t a, uint64_t b, unsigned w, bool *sat) { return a | b; }
static uint64_t e_orc(uint64_t a, uint64_t b, unsigned w, bool *sat) { return a | ~b; }
static uint64_t e_nor(uint64_t a, uint64_t b, unsigned w, bool *sat) { return ~(a | b); }
static uint64_t e_nand(uint64_t a, uint64_t b, unsigned w, bool *sat) { return ~(a & b); }
static uint64_t e_xor(uint64_t a, uint64_t b, unsigned w, bool *sat) { return a ^ b; }
static uint64_t e_eqv(uint64_t a, uint64_t b, unsigned w, bool *sat) { return ~(a ^ b); }

VMX_BINARY(vand, 8, e_and)
VMX_BINARY(vandc, 8, e_andc)
VMX_BINARY(vor, 8, e_or)
VMX_BINARY(vorc, 8, e_orc)
VMX_BINARY(vnor, 8, e_nor)
VMX_BINARY(vnand, 8, e_nand)
VMX_BINARY(vxor, 8, e_xor)
VMX_BINARY(veqv, 8, e_eqv)

/* ---- Vector Integer Rotate and Shift: each element of VRA by the low log2(bits) bits of the
 * element of VRB ---- */

static uint64_t e_rl(uint64_t a, uint64_t b, unsigned w, bool *sat)
{
    unsigned bits = 8 * w, n = (unsigned)b & (bits - 1);
    uint64_t m = w == 8 ? ~0ULL : (1ULL << bits) - 1;
    return n ? ((a << n) | (a >> (bits - n))) & m : a;
}

static uint64_t e_sl(uint64_t a, uint64_t b, unsigned w, bool *sat)
{
    return a << (b & (8 * w - 1));
}

static uint64_t e_sr(uint64_t a, uint64_t b, unsigned w, bool *sat)
{
    return a >> (b & (8 * w - 1));
}

static uint64_t e_sra(uint64_t a, uint64_t b, unsigned w, bool *sat)
{
    return (uint64_t)(sx(a, w) >> (b & (8 * w - 1)));
}

VMX_BINARY(vrlb, 1, e_rl)
VMX_BINARY(vrlh, 2, e_rl)
VMX_BINARY(vrlw, 4, e_rl)
VMX_BINARY(vrld, 8, e_rl)
VMX_BINARY(vslb, 1, e_sl)
VMX_BINARY(vslh, 2, e_sl)
VMX_BINARY(vslw, 4, e_sl)
VMX_BINARY(vsld, 8, e_sl)
VMX_BINARY(vsrb, 1, e_sr)
VMX_BINARY(vsrh, 2, e_sr)
VMX_BINARY(vsrw, 4, e_sr)
VMX_BINARY(vsrd, 8, e_sr)
VMX_BINARY(vsrab, 1, e_sra)
VMX_BINARY(vsrah, 2, e_sra)
VMX_BINARY(vsraw, 4, e_sra)
VMX_BINARY(vsrad, 8, e_sra)

/* MASK(mb, me) of Book I 3.3.14 in a field of `bits` bits (bit 0 the most significant):
 * ones from bit mb to bit me, wrapping around when mb > me. */
static uint64_t mask_msb(unsigned bits, unsigned mb, unsigned me)
{
    uint64_t all = bits == 64 ? ~0ULL : (1ULL << bits) - 1;
    uint64_t from_mb = all >> mb, to_me = me + 1 >= bits ? all : all & ~(all >> (me + 1));
    return mb <= me ? from_mb & to_me : from_mb | to_me;
}

/* vrlwmi, vrldmi, vrlwnm, vrldnm (v3.0): each element of VRA rotated left by the count in
 * the last byte of the element of VRB and ANDed with MASK(mb, me), me and mb taken from the
 * two bytes before it (word: bits 27:31, 19:23, 11:15; doubleword: bits 58:63, 50:55,
 * 42:47); the "mi" forms insert the rotated bits under the mask into VRT. */
static PpcStatus vec_rotate_mask(PpcCpu *c, const PpcInsn *i, unsigned w, bool insert)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec a = vr(c, i->ra), b = vr(c, i->rb), t = vr(c, i->rt);
    unsigned bits = 8 * w, fm = bits - 1;
    bool unused;
    for (unsigned k = 0; k < 16 / w; k++) {
        uint64_t x = vec_el(&b, w, k);
        uint64_t r = e_rl(vec_el(&a, w, k), x & fm, w, &unused);
        uint64_t m = mask_msb(bits, (x >> 16) & fm, (x >> 8) & fm);
        vec_set(&t, w, k, insert ? (r & m) | (vec_el(&t, w, k) & ~m) : r & m);
    }
    vr_put(c, i->rt, t);
    return PPC_NEXT;
}

PpcStatus ppc_exec_vrlwmi(PpcCpu *c, const PpcInsn *i) { return vec_rotate_mask(c, i, 4, true); }
PpcStatus ppc_exec_vrldmi(PpcCpu *c, const PpcInsn *i) { return vec_rotate_mask(c, i, 8, true); }
PpcStatus ppc_exec_vrlwnm(PpcCpu *c, const PpcInsn *i) { return vec_rotate_mask(c, i, 4, false); }
PpcStatus ppc_exec_vrldnm(PpcCpu *c, const PpcInsn *i) { return vec_rotate_mask(c, i, 8, false); }

/* ---- Vector Floating-Point Instructions: single precision, round to nearest even, NaN operands
 * propagate (the first of VRA, VRB, VRC, quieted), invalid operations give 0x7FC00000;
 * no status is recorded. With VSCR[NJ] = 1 a denormal operand counts as a zero of its sign
 * and a denormal result is delivered as one. ---- */

#define F_SIGN 0x80000000u
#define F_ONE 0x3f800000u
#define F_QNAN 0x7fc00000u

static inline bool f_is_nan(uint32_t x)
{
    return (x & 0x7fffffff) > 0x7f800000;
}

static inline uint32_t nj(const PpcCpu *c, uint32_t x)
{
    return (c->vscr & VSCR_NJ) && (x & 0x7f800000) == 0 ? x & F_SIGN : x;
}

static inline SoftFpEnv vmx_env(SoftFpRound rm)
{
    return (SoftFpEnv){ .rm = rm, .nan = SOFTFP_NAN_PROPAGATE, .tiny_before = true };
}

typedef enum VecFpOp {
    VF_ADD, VF_SUB, VF_MAX, VF_MIN, VF_MADD, VF_NMSUB, VF_RE, VF_RSQRTE, VF_EXPTE, VF_LOGE,
    VF_RFIN, VF_RFIZ, VF_RFIP, VF_RFIM,
} VecFpOp;

/* vmaxfp, vminfp: a NaN operand gives that NaN (VRA first), quieted; +0 is above -0. */
static uint32_t f_maxmin(uint32_t a, uint32_t b, bool max)
{
    if (f_is_nan(a) || f_is_nan(b))
        return (f_is_nan(a) ? a : b) | 0x00400000;
    SoftFpOrder o = softfp_compare(SOFTFP_S, a, b);
    if (o == SOFTFP_EQ)
        return max ? a & b : a | b; /* the zeros: +0 for max, -0 for min */
    return (o == SOFTFP_GT) == max ? a : b;
}

/* Estimates. vrefp and vrsqrtefp are computed as the correctly rounded 1/b and (nearly so)
 * 1/sqrt(b), inside the ISA's relative error of 1/4096; vexptefp and vlogefp come from the
 * host's binary64 exp2 and log2, far inside 1/16 and 1/32. Special values as the ISA's
 * tables give them. */
static uint32_t f_estimate(VecFpOp op, uint32_t b)
{
    SoftFpEnv env = vmx_env(SOFTFP_RNE);
    if (f_is_nan(b))
        return b | 0x00400000;
    switch (op) {
    case VF_RE:
        return (uint32_t)softfp_div(SOFTFP_S, F_ONE, b, env).v;
    case VF_RSQRTE: {
        uint64_t d = softfp_widen(b, env).v;
        uint64_t s = softfp_sqrt(SOFTFP_D, d, env).v;
        return (uint32_t)softfp_div(SOFTFP_D_S, 0x3ff0000000000000ULL, s, env).v;
    }
    case VF_EXPTE: {
        if (b == 0xff800000u)
            return 0;
        float f;
        memcpy(&f, &b, 4);
        double r = exp2((double)f);
        uint64_t d;
        memcpy(&d, &r, 8);
        return (uint32_t)softfp_narrow(d, env).v;
    }
    default: { /* VF_LOGE */
        if ((b & F_SIGN) && (b << 1) != 0)
            return F_QNAN;
        if ((b << 1) == 0)
            return 0xff800000u;
        float f;
        memcpy(&f, &b, 4);
        double r = log2((double)f);
        uint64_t d;
        memcpy(&d, &r, 8);
        return (uint32_t)softfp_narrow(d, env).v;
    }
    }
}

static uint32_t f_op(VecFpOp op, uint32_t a, uint32_t b, uint32_t cv)
{
    SoftFpEnv env = vmx_env(SOFTFP_RNE);
    switch (op) {
    case VF_ADD: return (uint32_t)softfp_add(SOFTFP_S, a, b, env).v;
    case VF_SUB: return (uint32_t)softfp_sub(SOFTFP_S, a, b, env).v;
    case VF_MAX: return f_maxmin(a, b, true);
    case VF_MIN: return f_maxmin(a, b, false);
    case VF_MADD: return (uint32_t)softfp_fma(SOFTFP_S, a, cv, b, 0, env).v;
    case VF_NMSUB:
        return (uint32_t)softfp_fma(SOFTFP_S, a, cv, b, SOFTFP_NEG_ADDEND | SOFTFP_NEG_RESULT,
                                    env).v;
    case VF_RFIN: env.rm = SOFTFP_RNE; break;
    case VF_RFIZ: env.rm = SOFTFP_RTZ; break;
    case VF_RFIP: env.rm = SOFTFP_RUP; break;
    case VF_RFIM: env.rm = SOFTFP_RDN; break;
    default: return f_estimate(op, b);
    }
    return (uint32_t)softfp_round_int(SOFTFP_S, b, env).v;
}

/* Each word: VRT = op(VRA, VRB, VRC), with the NJ rule on the way in and out. */
static PpcStatus vec_fp(PpcCpu *c, const PpcInsn *i, VecFpOp op)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec a = vr(c, i->ra), b = vr(c, i->rb), cv = vr(c, i->rc), t;
    for (unsigned k = 0; k < 4; k++) {
        uint32_t r = f_op(op, nj(c, (uint32_t)vec_el(&a, 4, k)), nj(c, (uint32_t)vec_el(&b, 4, k)),
                          nj(c, (uint32_t)vec_el(&cv, 4, k)));
        vec_set(&t, 4, k, nj(c, r));
    }
    vr_put(c, i->rt, t);
    return PPC_NEXT;
}

PpcStatus ppc_exec_vaddfp(PpcCpu *c, const PpcInsn *i) { return vec_fp(c, i, VF_ADD); }
PpcStatus ppc_exec_vsubfp(PpcCpu *c, const PpcInsn *i) { return vec_fp(c, i, VF_SUB); }
PpcStatus ppc_exec_vmaxfp(PpcCpu *c, const PpcInsn *i) { return vec_fp(c, i, VF_MAX); }
PpcStatus ppc_exec_vminfp(PpcCpu *c, const PpcInsn *i) { return vec_fp(c, i, VF_MIN); }
PpcStatus ppc_exec_vmaddfp(PpcCpu *c, const PpcInsn *i) { return vec_fp(c, i, VF_MADD); }
PpcStatus ppc_exec_vnmsubfp(PpcCpu *c, const PpcInsn *i) { return vec_fp(c, i, VF_NMSUB); }
PpcStatus ppc_exec_vrefp(PpcCpu *c, const PpcInsn *i) { return vec_fp(c, i, VF_RE); }
PpcStatus ppc_exec_vrsqrtefp(PpcCpu *c, const PpcInsn *i) { return vec_fp(c, i, VF_RSQRTE); }
PpcStatus ppc_exec_vexptefp(PpcCpu *c, const PpcInsn *i) { return vec_fp(c, i, VF_EXPTE); }
PpcStatus ppc_exec_vlogefp(PpcCpu *c, const PpcInsn *i) { return vec_fp(c, i, VF_LOGE); }
PpcStatus ppc_exec_vrfin(PpcCpu *c, const PpcInsn *i) { return vec_fp(c, i, VF_RFIN); }
PpcStatus ppc_exec_vrfiz(PpcCpu *c, const PpcInsn *i) { return vec_fp(c, i, VF_RFIZ); }
PpcStatus ppc_exec_vrfip(PpcCpu *c, const PpcInsn *i) { return vec_fp(c, i, VF_RFIP); }
PpcStatus ppc_exec_vrfim(PpcCpu *c, const PpcInsn *i) { return vec_fp(c, i, VF_RFIM); }

/* vcfux, vcfsx: each word as an unsigned or signed integer, divided by 2^UIM, rounded to
 * nearest: the exact binary64 image scaled by the exponent, then rounded once. */
static PpcStatus vec_cvt_from_int(PpcCpu *c, const PpcInsn *i, bool sgn)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec b = vr(c, i->rb), t;
    SoftFpEnv env = vmx_env(SOFTFP_RNE);
    for (unsigned k = 0; k < 4; k++) {
        uint64_t d = softfp_from_int(SOFTFP_D, vec_el(&b, 4, k), sgn, 32, env).v;
        if (d << 1)
            d -= (uint64_t)i->ra << 52;
        vec_set(&t, 4, k, softfp_narrow(d, env).v);
    }
    vr_put(c, i->rt, t);
    return PPC_NEXT;
}

PpcStatus ppc_exec_vcfux(PpcCpu *c, const PpcInsn *i) { return vec_cvt_from_int(c, i, false); }
PpcStatus ppc_exec_vcfsx(PpcCpu *c, const PpcInsn *i) { return vec_cvt_from_int(c, i, true); }

/* vctuxs, vctsxs: each word times 2^UIM, truncated to an integer and saturated (VSCR[SAT]);
 * a NaN gives 0 without SAT. */
static PpcStatus vec_cvt_to_int(PpcCpu *c, const PpcInsn *i, bool sgn)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec b = vr(c, i->rb), t;
    SoftFpEnv env = vmx_env(SOFTFP_RTZ);
    bool sat = false;
    for (unsigned k = 0; k < 4; k++) {
        uint32_t x = nj(c, (uint32_t)vec_el(&b, 4, k));
        uint64_t r = 0;
        if (!f_is_nan(x)) {
            uint64_t d = softfp_widen(x, env).v;
            if ((d << 1) && ((d >> 52) & 0x7ff) != 0x7ff)
                d += (uint64_t)i->ra << 52;
            SoftFpRes res = softfp_to_int(SOFTFP_D, d, sgn, 32, env);
            sat |= (res.flags & SOFTFP_NV) != 0;
            r = res.v;
        }
        vec_set(&t, 4, k, r);
    }
    vr_put(c, i->rt, t);
    set_sat(c, sat);
    return PPC_NEXT;
}

PpcStatus ppc_exec_vctuxs(PpcCpu *c, const PpcInsn *i) { return vec_cvt_to_int(c, i, false); }
PpcStatus ppc_exec_vctsxs(PpcCpu *c, const PpcInsn *i) { return vec_cvt_to_int(c, i, true); }

/* Vector Floating-Point Compare: false on unordered; vcmpbfp sets bit 0 of a word when
 * VRA > VRB and bit 1 when VRA < -VRB (both for NaNs), and with Rc = 1 CR6[2] when every
 * element lies within its bounds. */
typedef enum VecFpCmp { VFC_EQ, VFC_GE, VFC_GT, VFC_BOUNDS } VecFpCmp;

static PpcStatus vec_fp_compare(PpcCpu *c, const PpcInsn *i, VecFpCmp how)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec a = vr(c, i->ra), b = vr(c, i->rb), t;
    bool all = true, none = true;
    for (unsigned k = 0; k < 4; k++) {
        uint32_t x = nj(c, (uint32_t)vec_el(&a, 4, k)), y = nj(c, (uint32_t)vec_el(&b, 4, k));
        SoftFpOrder o = softfp_compare(SOFTFP_S, x, y);
        uint32_t r;
        if (how == VFC_BOUNDS) {
            SoftFpOrder lo = softfp_compare(SOFTFP_S, x, y ^ F_SIGN);
            bool le = o == SOFTFP_LT || o == SOFTFP_EQ, ge = lo == SOFTFP_GT || lo == SOFTFP_EQ;
            r = (le ? 0 : 0x80000000u) | (ge ? 0 : 0x40000000u);
            none &= r == 0;
        } else {
            bool h = how == VFC_EQ ? o == SOFTFP_EQ
                     : how == VFC_GE ? (o == SOFTFP_GT || o == SOFTFP_EQ)
                                     : o == SOFTFP_GT;
            r = h ? ~0u : 0;
            all &= h;
            none &= !h;
        }
        vec_set(&t, 4, k, r);
    }
    vr_put(c, i->rt, t);
    if (i->flags & PPC_IF_RC)
        ppc_set_cr_field(c, 6, how == VFC_BOUNDS ? (none ? 2 : 0) : (all ? 8 : 0) | (none ? 2 : 0));
    return PPC_NEXT;
}

PpcStatus ppc_exec_vcmpeqfp(PpcCpu *c, const PpcInsn *i) { return vec_fp_compare(c, i, VFC_EQ); }
PpcStatus ppc_exec_vcmpgefp(PpcCpu *c, const PpcInsn *i) { return vec_fp_compare(c, i, VFC_GE); }
PpcStatus ppc_exec_vcmpgtfp(PpcCpu *c, const PpcInsn *i) { return vec_fp_compare(c, i, VFC_GT); }
PpcStatus ppc_exec_vcmpbfp(PpcCpu *c, const PpcInsn *i) { return vec_fp_compare(c, i, VFC_BOUNDS); }

/* ---- Vector count, gather and bit permute (v2.07, v3.0) ---- */

static uint64_t e_clz(uint64_t b, unsigned w)
{
    return b ? (uint64_t)__builtin_clzll(b) - (64 - 8 * w) : 8 * w;
}

static uint64_t e_ctz(uint64_t b, unsigned w)
{
    return b ? (uint64_t)__builtin_ctzll(b) : 8 * w;
}

static uint64_t e_popcnt(uint64_t b, unsigned w)
{
    return (uint64_t)__builtin_popcountll(b);
}

VMX_UNARY(vclzb, 1, e_clz)
VMX_UNARY(vclzh, 2, e_clz)
VMX_UNARY(vclzw, 4, e_clz)
VMX_UNARY(vclzd, 8, e_clz)
VMX_UNARY(vctzb, 1, e_ctz)
VMX_UNARY(vctzh, 2, e_ctz)
VMX_UNARY(vctzw, 4, e_ctz)
VMX_UNARY(vctzd, 8, e_ctz)
VMX_UNARY(vpopcntb, 1, e_popcnt)
VMX_UNARY(vpopcnth, 2, e_popcnt)
VMX_UNARY(vpopcntw, 4, e_popcnt)
VMX_UNARY(vpopcntd, 8, e_popcnt)

/* vclzlsbb, vctzlsbb (v3.0): RT = the number of bytes of VRB, from byte 0 (or from byte
 * 15), before the first whose least significant bit is 1. */
static PpcStatus vec_count_lsbb(PpcCpu *c, const PpcInsn *i, bool trailing)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec b = vr(c, i->rb);
    unsigned n = 0;
    while (n < 16 && !(vec_byte(&b, trailing ? 15 - n : n) & 1))
        n++;
    GPR(i->rt) = n;
    return PPC_NEXT;
}

PpcStatus ppc_exec_vclzlsbb(PpcCpu *c, const PpcInsn *i) { return vec_count_lsbb(c, i, false); }
PpcStatus ppc_exec_vctzlsbb(PpcCpu *c, const PpcInsn *i) { return vec_count_lsbb(c, i, true); }

/* vgbbd: in each doubleword, the 8x8 bit matrix of its bytes transposed: bit j of byte k
 * of the result is bit k of byte j of the source. */
PpcStatus ppc_exec_vgbbd(PpcCpu *c, const PpcInsn *i)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec b = vr(c, i->rb), t = { .d = { 0, 0 } };
    for (unsigned d = 0; d < 2; d++)
        for (unsigned j = 0; j < 8; j++)
            for (unsigned k = 0; k < 8; k++)
                if ((b.d[d] >> (63 - (8 * j + k))) & 1)
                    t.d[d] |= 1ULL << (63 - (8 * k + j));
    vr_put(c, i->rt, t);
    return PPC_NEXT;
}

/* vbpermq: bit k of a 16-bit result is bit VRB.byte[k] of VRA (0 when the index is 128 or
 * more); the result sits in bits 48:63 of doubleword 0, the rest is zero. */
PpcStatus ppc_exec_vbpermq(PpcCpu *c, const PpcInsn *i)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec a = vr(c, i->ra), b = vr(c, i->rb);
    PpcU128 q = vec_q(&a);
    uint64_t r = 0;
    for (unsigned k = 0; k < 16; k++) {
        unsigned x = vec_byte(&b, k);
        r = r << 1 | (x < 128 ? (uint64_t)(q >> (127 - x)) & 1 : 0);
    }
    vr_put(c, i->rt, (PpcVec){ .d = { r, 0 } });
    return PPC_NEXT;
}

/* vbpermd (v3.0): the same within each doubleword, 8 indices (bytes of the doubleword of
 * VRB) into its low byte. */
PpcStatus ppc_exec_vbpermd(PpcCpu *c, const PpcInsn *i)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec a = vr(c, i->ra), b = vr(c, i->rb), t;
    for (unsigned d = 0; d < 2; d++) {
        uint64_t r = 0;
        for (unsigned k = 0; k < 8; k++) {
            unsigned x = (unsigned)(b.d[d] >> (56 - 8 * k)) & 0xff;
            r = r << 1 | (x < 64 ? (a.d[d] >> (63 - x)) & 1 : 0);
        }
        t.d[d] = r;
    }
    vr_put(c, i->rt, t);
    return PPC_NEXT;
}

/* ---- Vector Polynomial Multiply-Sum (carry-less): each element of twice the width is the
 * XOR of the carry-less products of the two pairs of elements it covers ---- */

static PpcU128 clmul(uint64_t a, uint64_t b)
{
    PpcU128 r = 0;
    for (unsigned k = 0; k < 64; k++)
        if ((b >> k) & 1)
            r ^= (PpcU128)a << k;
    return r;
}

static PpcStatus vec_pmsum(PpcCpu *c, const PpcInsn *i, unsigned w)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec a = vr(c, i->ra), b = vr(c, i->rb), t;
    if (w == 8) {
        t = vec_from_q(clmul(a.d[0], b.d[0]) ^ clmul(a.d[1], b.d[1]));
    } else {
        for (unsigned k = 0; k < 8 / w; k++) {
            PpcU128 p = clmul(vec_el(&a, w, 2 * k), vec_el(&b, w, 2 * k)) ^
                        clmul(vec_el(&a, w, 2 * k + 1), vec_el(&b, w, 2 * k + 1));
            vec_set(&t, 2 * w, k, (uint64_t)p);
        }
    }
    vr_put(c, i->rt, t);
    return PPC_NEXT;
}

PpcStatus ppc_exec_vpmsumb(PpcCpu *c, const PpcInsn *i) { return vec_pmsum(c, i, 1); }
PpcStatus ppc_exec_vpmsumh(PpcCpu *c, const PpcInsn *i) { return vec_pmsum(c, i, 2); }
PpcStatus ppc_exec_vpmsumw(PpcCpu *c, const PpcInsn *i) { return vec_pmsum(c, i, 4); }
PpcStatus ppc_exec_vpmsumd(PpcCpu *c, const PpcInsn *i) { return vec_pmsum(c, i, 8); }

/* ---- Vector AES (FIPS-197 5.1, 5.3): the state is the register, byte 4c + r holding row r
 * of column c; the round key is VRB ---- */

static const uint8_t aes_sbox[256] = {
    0x63, 0x7c, 0x77, 0x7b, 0xf2, 0x6b, 0x6f, 0xc5, 0x30, 0x01, 0x67, 0x2b, 0xfe, 0xd7, 0xab, 0x76,
    0xca, 0x82, 0xc9, 0x7d, 0xfa, 0x59, 0x47, 0xf0, 0xad, 0xd4, 0xa2, 0xaf, 0x9c, 0xa4, 0x72, 0xc0,
    0xb7, 0xfd, 0x93, 0x26, 0x36, 0x3f, 0xf7, 0xcc, 0x34, 0xa5, 0xe5, 0xf1, 0x71, 0xd8, 0x31, 0x15,
    0x04, 0xc7, 0x23, 0xc3, 0x18, 0x96, 0x05, 0x9a, 0x07, 0x12, 0x80, 0xe2, 0xeb, 0x27, 0xb2, 0x75,
    0x09, 0x83, 0x2c, 0x1a, 0x1b, 0x6e, 0x5a, 0xa0, 0x52, 0x3b, 0xd6, 0xb3, 0x29, 0xe3, 0x2f, 0x84,
    0x53, 0xd1, 0x00, 0xed, 0x20, 0xfc, 0xb1, 0x5b, 0x6a, 0xcb, 0xbe, 0x39, 0x4a, 0x4c, 0x58, 0xcf,
    0xd0, 0xef, 0xaa, 0xfb, 0x43, 0x4d, 0x33, 0x85, 0x45, 0xf9, 0x02, 0x7f, 0x50, 0x3c, 0x9f, 0xa8,
    0x51, 0xa3, 0x40, 0x8f, 0x92, 0x9d, 0x38, 0xf5, 0xbc, 0xb6, 0xda, 0x21, 0x10, 0xff, 0xf3, 0xd2,
    0xcd, 0x0c, 0x13, 0xec, 0x5f, 0x97, 0x44, 0x17, 0xc4, 0xa7, 0x7e, 0x3d, 0x64, 0x5d, 0x19, 0x73,
    0x60, 0x81, 0x4f, 0xdc, 0x22, 0x2a, 0x90, 0x88, 0x46, 0xee, 0xb8, 0x14, 0xde, 0x5e, 0x0b, 0xdb,
    0xe0, 0x32, 0x3a, 0x0a, 0x49, 0x06, 0x24, 0x5c, 0xc2, 0xd3, 0xac, 0x62, 0x91, 0x95, 0xe4, 0x79,
    0xe7, 0xc8, 0x37, 0x6d, 0x8d, 0xd5, 0x4e, 0xa9, 0x6c, 0x56, 0xf4, 0xea, 0x65, 0x7a, 0xae, 0x08,
    0xba, 0x78, 0x25, 0x2e, 0x1c, 0xa6, 0xb4, 0xc6, 0xe8, 0xdd, 0x74, 0x1f, 0x4b, 0xbd, 0x8b, 0x8a,
    0x70, 0x3e, 0xb5, 0x66, 0x48, 0x03, 0xf6, 0x0e, 0x61, 0x35, 0x57, 0xb9, 0x86, 0xc1, 0x1d, 0x9e,
    0xe1, 0xf8, 0x98, 0x11, 0x69, 0xd9, 0x8e, 0x94, 0x9b, 0x1e, 0x87, 0xe9, 0xce, 0x55, 0x28, 0xdf,
    0x8c, 0xa1, 0x89, 0x0d, 0xbf, 0xe6, 0x42, 0x68, 0x41, 0x99, 0x2d, 0x0f, 0xb0, 0x54, 0xbb, 0x16,
};

static const uint8_t aes_inv_sbox[256] = {
    0x52, 0x09, 0x6a, 0xd5, 0x30, 0x36, 0xa5, 0x38, 0xbf, 0x40, 0xa3, 0x9e, 0x81, 0xf3, 0xd7, 0xfb,
    0x7c, 0xe3, 0x39, 0x82, 0x9b, 0x2f, 0xff, 0x87, 0x34, 0x8e, 0x43, 0x44, 0xc4, 0xde, 0xe9, 0xcb,
    0x54, 0x7b, 0x94, 0x32, 0xa6, 0xc2, 0x23, 0x3d, 0xee, 0x4c, 0x95, 0x0b, 0x42, 0xfa, 0xc3, 0x4e,
    0x08, 0x2e, 0xa1, 0x66, 0x28, 0xd9, 0x24, 0xb2, 0x76, 0x5b, 0xa2, 0x49, 0x6d, 0x8b, 0xd1, 0x25,
    0x72, 0xf8, 0xf6, 0x64, 0x86, 0x68, 0x98, 0x16, 0xd4, 0xa4, 0x5c, 0xcc, 0x5d, 0x65, 0xb6, 0x92,
    0x6c, 0x70, 0x48, 0x50, 0xfd, 0xed, 0xb9, 0xda, 0x5e, 0x15, 0x46, 0x57, 0xa7, 0x8d, 0x9d, 0x84,
    0x90, 0xd8, 0xab, 0x00, 0x8c, 0xbc, 0xd3, 0x0a, 0xf7, 0xe4, 0x58, 0x05, 0xb8, 0xb3, 0x45, 0x06,
    0xd0, 0x2c, 0x1e, 0x8f, 0xca, 0x3f, 0x0f, 0x02, 0xc1, 0xaf, 0xbd, 0x03, 0x01, 0x13, 0x8a, 0x6b,
    0x3a, 0x91, 0x11, 0x41, 0x4f, 0x67, 0xdc, 0xea, 0x97, 0xf2, 0xcf, 0xce, 0xf0, 0xb4, 0xe6, 0x73,
    0x96, 0xac, 0x74, 0x22, 0xe7, 0xad, 0x35, 0x85, 0xe2, 0xf9, 0x37, 0xe8, 0x1c, 0x75, 0xdf, 0x6e,
    0x47, 0xf1, 0x1a, 0x71, 0x1d, 0x29, 0xc5, 0x89, 0x6f, 0xb7, 0x62, 0x0e, 0xaa, 0x18, 0xbe, 0x1b,
    0xfc, 0x56, 0x3e, 0x4b, 0xc6, 0xd2, 0x79, 0x20, 0x9a, 0xdb, 0xc0, 0xfe, 0x78, 0xcd, 0x5a, 0xf4,
    0x1f, 0xdd, 0xa8, 0x33, 0x88, 0x07, 0xc7, 0x31, 0xb1, 0x12, 0x10, 0x59, 0x27, 0x80, 0xec, 0x5f,
    0x60, 0x51, 0x7f, 0xa9, 0x19, 0xb5, 0x4a, 0x0d, 0x2d, 0xe5, 0x7a, 0x9f, 0x93, 0xc9, 0x9c, 0xef,
    0xa0, 0xe0, 0x3b, 0x4d, 0xae, 0x2a, 0xf5, 0xb0, 0xc8, 0xeb, 0xbb, 0x3c, 0x83, 0x53, 0x99, 0x61,
    0x17, 0x2b, 0x04, 0x7e, 0xba, 0x77, 0xd6, 0x26, 0xe1, 0x69, 0x14, 0x63, 0x55, 0x21, 0x0c, 0x7d,
};

static uint8_t gf_mul(uint8_t a, uint8_t b)
{
    uint8_t r = 0;
    while (b) {
        if (b & 1)
            r ^= a;
        a = (uint8_t)((a << 1) ^ ((a & 0x80) ? 0x1b : 0));
        b >>= 1;
    }
    return r;
}

/* MixColumns with the matrix whose first row is m[0..3] (2 3 1 1, or 14 11 13 9 inverse). */
static void aes_mix(uint8_t s[16], const uint8_t m[4])
{
    for (unsigned col = 0; col < 4; col++) {
        uint8_t *x = &s[4 * col], y[4];
        for (unsigned r = 0; r < 4; r++)
            y[r] = gf_mul(x[0], m[(4 - r) & 3]) ^ gf_mul(x[1], m[(5 - r) & 3]) ^
                   gf_mul(x[2], m[(6 - r) & 3]) ^ gf_mul(x[3], m[(7 - r) & 3]);
        memcpy(x, y, 4);
    }
}

typedef enum VecAes { AES_CIPHER, AES_CIPHER_LAST, AES_NCIPHER, AES_NCIPHER_LAST } VecAes;

/* vcipher: ShiftRows, SubBytes, MixColumns, AddRoundKey; vcipherlast without MixColumns.
 * vncipher: InvShiftRows, InvSubBytes, AddRoundKey, InvMixColumns; vncipherlast without
 * InvMixColumns. */
static PpcStatus vec_aes(PpcCpu *c, const PpcInsn *i, VecAes how)
{
    static const uint8_t mix[4] = { 2, 3, 1, 1 }, inv_mix[4] = { 14, 11, 13, 9 };
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec a = vr(c, i->ra), key = vr(c, i->rb), t;
    bool inverse = how == AES_NCIPHER || how == AES_NCIPHER_LAST;
    uint8_t s[16];
    for (unsigned k = 0; k < 16; k++) {
        unsigned r = k & 3, col = k >> 2;
        unsigned from = 4 * ((inverse ? col + 4 - r : col + r) & 3) + r;
        uint8_t x = vec_byte(&a, from);
        s[k] = inverse ? aes_inv_sbox[x] : aes_sbox[x];
    }
    if (how == AES_CIPHER)
        aes_mix(s, mix);
    for (unsigned k = 0; k < 16; k++)
        s[k] ^= vec_byte(&key, k);
    if (how == AES_NCIPHER)
        aes_mix(s, inv_mix);
    for (unsigned k = 0; k < 16; k++)
        vec_set_byte(&t, k, s[k]);
    vr_put(c, i->rt, t);
    return PPC_NEXT;
}

PpcStatus ppc_exec_vcipher(PpcCpu *c, const PpcInsn *i) { return vec_aes(c, i, AES_CIPHER); }
PpcStatus ppc_exec_vcipherlast(PpcCpu *c, const PpcInsn *i)
{
    return vec_aes(c, i, AES_CIPHER_LAST);
}

PpcStatus ppc_exec_vncipher(PpcCpu *c, const PpcInsn *i) { return vec_aes(c, i, AES_NCIPHER); }
PpcStatus ppc_exec_vncipherlast(PpcCpu *c, const PpcInsn *i)
{
    return vec_aes(c, i, AES_NCIPHER_LAST);
}

/* vsbox: SubBytes alone. */
PpcStatus ppc_exec_vsbox(PpcCpu *c, const PpcInsn *i)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec a = vr(c, i->ra), t;
    for (unsigned k = 0; k < 16; k++)
        vec_set_byte(&t, k, aes_sbox[vec_byte(&a, k)]);
    vr_put(c, i->rt, t);
    return PPC_NEXT;
}

/* ---- Vector SHA-2 sigma functions (FIPS 180-4 4.1.2, 4.1.3): ST (bit 16) picks the upper
 * case Σ functions, the SIX bit of the element (bit 17 + i for word i, 17 + 2i for
 * doubleword i) picks function 1 over function 0 ---- */

static inline uint32_t ror32(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }
static inline uint64_t ror64(uint64_t x, unsigned n) { return (x >> n) | (x << (64 - n)); }

PpcStatus ppc_exec_vshasigmaw(PpcCpu *c, const PpcInsn *i)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec a = vr(c, i->ra), t;
    bool st = (i->rb >> 4) & 1;
    for (unsigned k = 0; k < 4; k++) {
        uint32_t x = (uint32_t)vec_el(&a, 4, k), r;
        bool one = (i->rb >> (3 - k)) & 1;
        if (!st)
            r = one ? ror32(x, 17) ^ ror32(x, 19) ^ (x >> 10)
                    : ror32(x, 7) ^ ror32(x, 18) ^ (x >> 3);
        else
            r = one ? ror32(x, 6) ^ ror32(x, 11) ^ ror32(x, 25)
                    : ror32(x, 2) ^ ror32(x, 13) ^ ror32(x, 22);
        vec_set(&t, 4, k, r);
    }
    vr_put(c, i->rt, t);
    return PPC_NEXT;
}

PpcStatus ppc_exec_vshasigmad(PpcCpu *c, const PpcInsn *i)
{
    if (vmx_off(c))
        return vec_unavailable(c);
    PpcVec a = vr(c, i->ra), t;
    bool st = (i->rb >> 4) & 1;
    for (unsigned k = 0; k < 2; k++) {
        uint64_t x = a.d[k];
        bool one = (i->rb >> (3 - 2 * k)) & 1;
        if (!st)
            t.d[k] = one ? ror64(x, 19) ^ ror64(x, 61) ^ (x >> 6)
                         : ror64(x, 1) ^ ror64(x, 8) ^ (x >> 7);
        else
            t.d[k] = one ? ror64(x, 14) ^ ror64(x, 18) ^ ror64(x, 41)
                         : ror64(x, 28) ^ ror64(x, 34) ^ ror64(x, 39);
    }
    vr_put(c, i->rt, t);
    return PPC_NEXT;
}
