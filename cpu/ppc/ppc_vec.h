/* cpu/ppc/ppc_vec.h: the 128-bit registers of the Vector Facility (Power ISA v3.0B Book I
 * chapter 6, "Vector Facility") and the Vector-Scalar Facility (chapter 7, "Vector-Scalar
 * Floating-Point Operations") as insn_vmx.c and insn_vsx.c see them: element i of each width
 * in the ISA's numbering (element 0 is the most significant, as in "VSX Registers"), the
 * facility checks that give the Vector and VSX Unavailable interrupts, and the moves between
 * a register and 16 bytes of storage in the element orders the loads and stores define.
 *
 * PpcVsr.d[0] is doubleword 0 (the FPR of VSR 0-31), d[1] doubleword 1; each doubleword is a
 * host integer. On the little-endian hosts hvemu runs on, the bytes of a doubleword lie in
 * reverse order in memory, so ISA element i of an n-element vector is host element
 * i ^ (n/2 - 1) of the same width. PpcVec adds the halfword view PpcVsr lacks; values move
 * between the two by value. */
#ifndef HVEMU_PPC_VEC_H
#define HVEMU_PPC_VEC_H

#include "cpu/ppc/ppc_cpu.h"

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "element numbering assumes an LE host");

typedef union PpcVec {
    uint64_t d[2];
    uint32_t w[4];
    uint16_t h[8];
    uint8_t b[16];
} PpcVec;

_Static_assert(sizeof(PpcVec) == sizeof(PpcVsr), "PpcVec mirrors PpcVsr");

/* VSCR ("Vector Status and Control Register"): NJ (VSCR bit 15, bit 111 of the register
 * mfvscr gives) and SAT (VSCR bit 31, bit 127). */
#define VSCR_NJ 0x00010000u
#define VSCR_SAT 0x00000001u

/* ISA element k of width w bytes (1, 2, 4, 8); w is a constant at every use. */
static inline uint64_t vec_el(const PpcVec *v, unsigned w, unsigned k)
{
    switch (w) {
    case 1: return v->b[k ^ 7];
    case 2: return v->h[k ^ 3];
    case 4: return v->w[k ^ 1];
    default: return v->d[k];
    }
}

static inline int64_t vec_els(const PpcVec *v, unsigned w, unsigned k)
{
    return sext64(vec_el(v, w, k), 8 * w);
}

static inline void vec_set(PpcVec *v, unsigned w, unsigned k, uint64_t x)
{
    switch (w) {
    case 1: v->b[k ^ 7] = (uint8_t)x; break;
    case 2: v->h[k ^ 3] = (uint16_t)x; break;
    case 4: v->w[k ^ 1] = (uint32_t)x; break;
    default: v->d[k] = x; break;
    }
}

static inline uint8_t vec_byte(const PpcVec *v, unsigned k)
{
    return v->b[k ^ 7];
}

static inline void vec_set_byte(PpcVec *v, unsigned k, uint8_t x)
{
    v->b[k ^ 7] = x;
}

/* The register as one 128-bit number (doubleword 0 high). */
typedef unsigned __int128 PpcU128;

static inline PpcU128 vec_q(const PpcVec *v)
{
    return (PpcU128)v->d[0] << 64 | v->d[1];
}

static inline PpcVec vec_from_q(PpcU128 q)
{
    return (PpcVec){ .d = { (uint64_t)(q >> 64), (uint64_t)q } };
}

/* VSR n (0-63); the VRs are VSR 32-63. */
static inline PpcVec vsr_get(const PpcCpu *c, unsigned n)
{
    PpcVec v;
    memcpy(&v, &c->vsr[n], sizeof v);
    return v;
}

static inline void vsr_put(PpcCpu *c, unsigned n, PpcVec v)
{
    memcpy(&c->vsr[n], &v, sizeof v);
}

/* A vector instruction with MSR[VEC] = 0 takes the Vector Unavailable interrupt,
 * a VSX instruction with MSR[VSX] = 0 the VSX Unavailable interrupt; the v2.07 moves and the
 * v3.0 loads and stores that name VSR 32-63 ask for MSR[VEC], the moves of VSR 0-31 MSR[FP]. */
static inline PpcStatus vec_unavailable(PpcCpu *c)
{
    return ppc_raise(c, PPC_EXC_VMX_UNAVAIL, 0);
}

static inline PpcStatus vsx_unavailable(PpcCpu *c)
{
    return ppc_raise(c, PPC_EXC_VSX_UNAVAIL, 0);
}

/* Storage byte order of quadword accesses (Book I 1.10.1 "Byte Ordering"): a quadword "in
 * the byte order of MSR[LE]" has byte i of the register at buf[i] (BE) or buf[15 - i] (LE). */
static inline PpcVec vec_from_mem16(const uint8_t buf[16], bool le)
{
    uint64_t a = ld_le(buf, 8), b = ld_le(buf + 8, 8);
    return le ? (PpcVec){ .d = { b, a } }
              : (PpcVec){ .d = { __builtin_bswap64(a), __builtin_bswap64(b) } };
}

static inline void vec_to_mem16(PpcVec v, bool le, uint8_t buf[16])
{
    if (le) {
        st_le(buf, 8, v.d[1]);
        st_le(buf + 8, 8, v.d[0]);
    } else {
        st_le(buf, 8, __builtin_bswap64(v.d[0]));
        st_le(buf + 8, 8, __builtin_bswap64(v.d[1]));
    }
}

/* Sixteen bytes as n elements of width w, each in the byte order of MSR[LE] (lxvd2x,
 * lxvw4x, lxvh8x, lxvb16x and their stores): element k from buf[k*w]. */
static inline PpcVec vec_from_mem_elems(const uint8_t buf[16], unsigned w, bool le)
{
    PpcVec v;
    for (unsigned k = 0; k < 16 / w; k++) {
        uint64_t x = ld_le(buf + k * w, w);
        vec_set(&v, w, k, le ? x : bswap_sized(x, w));
    }
    return v;
}

static inline void vec_to_mem_elems(PpcVec v, unsigned w, bool le, uint8_t buf[16])
{
    for (unsigned k = 0; k < 16 / w; k++) {
        uint64_t x = vec_el(&v, w, k);
        st_le(buf + k * w, w, le ? x : bswap_sized(x, w));
    }
}

#endif
