/* cpu/ppc/insn_fixedpoint.c: the Fixed-Point facility (Power ISA v3.0B Book I, chapter 3
 * "Fixed-Point Facility": 3.3.9 arithmetic, 3.3.10 compare, 3.3.11 trap, 3.3.12 isel,
 * 3.3.13 logical, 3.3.14 rotate, 3.3.15 shift, 3.3.17 moves to and from XER, CR and SPRs;
 * the CR logical instructions of 2.5.1), and the MSR moves of Book III-S chapter 4
 * "Fixed-Point Facility" (4.4.4). Book I 3.3.9 fixes the mode dependence: CA and OV
 * reflect the 64-bit result in 64-bit mode and the low 32 bits in 32-bit mode; CA32 and
 * OV32 always the low 32 bits; multiply and divide set OV32 = OV for their own width;
 * CR0 compares the result with 0 as a 64-bit number, in 32-bit mode its low 32 bits
 * sign-extended. Results the ISA leaves undefined follow one choice, stated where made. */
#include "cpu/ppc/ppc_decode.h"
#include "cpu/ppc/ppc_spr.h"

#define GPR(r) (c->gpr[(r)])
#define RA GPR(i->ra)
#define RB GPR(i->rb)
#define RS GPR(i->rt)
#define W32(v) ((uint64_t)(uint32_t)(v))
#define SW32(v) ((uint64_t)(int64_t)(int32_t)(v))

PpcStatus ppc_exec_illegal(PpcCpu *c, const PpcInsn *i)
{
    return ppc_illegal(c);
}

/* --- write-back helpers --- */

static void record_cr0(PpcCpu *c, uint64_t r)
{
    int64_t v = ppc_is_64(c) ? (int64_t)r : (int32_t)r;
    unsigned lgt = v < 0 ? 8 : v > 0 ? 4 : 2;
    ppc_set_cr_field(c, 0, lgt | ((c->xer & XER_SO) ? 1 : 0));
}

/* Writes GPR reg and, for Rc = 1, CR0 (after any XER update, so CR0[SO] is current). */
static PpcStatus put(PpcCpu *c, const PpcInsn *i, unsigned reg, uint64_t r)
{
    GPR(reg) = r;
    if (i->flags & PPC_IF_RC)
        record_cr0(c, r);
    return PPC_NEXT;
}

static void set_ca(PpcCpu *c, bool ca, bool ca32)
{
    c->xer = (c->xer & ~(XER_CA | XER_CA32)) | (ca ? XER_CA : 0) | (ca32 ? XER_CA32 : 0);
}

/* OE = 1: OV and OV32 are set or cleared; SO is sticky and set with OV. */
static void set_ov(PpcCpu *c, bool ov, bool ov32)
{
    c->xer = (c->xer & ~(XER_OV | XER_OV32)) | (ov ? XER_OV | XER_SO : 0) | (ov32 ? XER_OV32 : 0);
}

static unsigned xer_ca(const PpcCpu *c)
{
    return (c->xer & XER_CA) ? 1 : 0;
}

#define CA xer_ca(c)

/* --- 3.3.9 add and subtract: everything is a + b + carry-in --- */

typedef struct Sum {
    uint64_t r;
    bool ca, ca32, ov, ov32;
} Sum;

static inline Sum add3(const PpcCpu *c, uint64_t a, uint64_t b, unsigned cin)
{
    uint64_t r = a + b + cin;
    bool c64 = (((unsigned __int128)a + b + cin) >> 64) != 0;
    bool c32 = ((uint64_t)(uint32_t)a + (uint32_t)b + cin) >> 32;
    uint64_t ovbits = ~(a ^ b) & (a ^ r); /* operands agree in sign, the result does not */
    bool ov64 = ovbits >> 63, ov32 = (ovbits >> 31) & 1;
    bool m64 = ppc_is_64(c);
    return (Sum){ .r = r, .ca = m64 ? c64 : c32, .ca32 = c32, .ov = m64 ? ov64 : ov32,
                  .ov32 = ov32 };
}

static PpcStatus arith(PpcCpu *c, const PpcInsn *i, uint64_t a, uint64_t b, unsigned cin,
                       bool carry)
{
    Sum s = add3(c, a, b, cin);
    if (carry)
        set_ca(c, s.ca, s.ca32);
    if (i->flags & PPC_IF_OE)
        set_ov(c, s.ov, s.ov32);
    return put(c, i, i->rt, s.r);
}

PpcStatus ppc_exec_addi(PpcCpu *c, const PpcInsn *i)
{
    GPR(i->rt) = RA + (uint64_t)i->imm;
    return PPC_NEXT;
}

PpcStatus ppc_exec_addis(PpcCpu *c, const PpcInsn *i)
{
    GPR(i->rt) = RA + ((uint64_t)i->imm << 16);
    return PPC_NEXT;
}

/* addpcis: RT = NIA + (D || 0x0000). */
PpcStatus ppc_exec_addpcis(PpcCpu *c, const PpcInsn *i)
{
    GPR(i->rt) = ppc_pc(c, i) + 4 + ((uint64_t)i->imm << 16);
    return PPC_NEXT;
}

/* add and subf without OE or Rc are the compiler's everyday instructions: no flags. */
PpcStatus ppc_exec_add(PpcCpu *c, const PpcInsn *i)
{
    if (likely(!(i->flags & (PPC_IF_OE | PPC_IF_RC)))) {
        GPR(i->rt) = RA + RB;
        return PPC_NEXT;
    }
    return arith(c, i, RA, RB, 0, false);
}

PpcStatus ppc_exec_subf(PpcCpu *c, const PpcInsn *i)
{
    if (likely(!(i->flags & (PPC_IF_OE | PPC_IF_RC)))) {
        GPR(i->rt) = RB - RA;
        return PPC_NEXT;
    }
    return arith(c, i, ~RA, RB, 1, false);
}
PpcStatus ppc_exec_addc(PpcCpu *c, const PpcInsn *i) { return arith(c, i, RA, RB, 0, true); }
PpcStatus ppc_exec_subfc(PpcCpu *c, const PpcInsn *i) { return arith(c, i, ~RA, RB, 1, true); }
PpcStatus ppc_exec_adde(PpcCpu *c, const PpcInsn *i) { return arith(c, i, RA, RB, CA, true); }
PpcStatus ppc_exec_subfe(PpcCpu *c, const PpcInsn *i) { return arith(c, i, ~RA, RB, CA, true); }
PpcStatus ppc_exec_addme(PpcCpu *c, const PpcInsn *i) { return arith(c, i, RA, ~0ULL, CA, true); }
PpcStatus ppc_exec_subfme(PpcCpu *c, const PpcInsn *i) { return arith(c, i, ~RA, ~0ULL, CA, true); }
PpcStatus ppc_exec_addze(PpcCpu *c, const PpcInsn *i) { return arith(c, i, RA, 0, CA, true); }
PpcStatus ppc_exec_subfze(PpcCpu *c, const PpcInsn *i) { return arith(c, i, ~RA, 0, CA, true); }
PpcStatus ppc_exec_neg(PpcCpu *c, const PpcInsn *i) { return arith(c, i, ~RA, 0, 1, false); }

static PpcStatus arith_imm(PpcCpu *c, const PpcInsn *i, uint64_t a, unsigned cin, bool record)
{
    Sum s = add3(c, a, (uint64_t)i->imm, cin);
    set_ca(c, s.ca, s.ca32);
    GPR(i->rt) = s.r;
    if (record)
        record_cr0(c, s.r);
    return PPC_NEXT;
}

PpcStatus ppc_exec_addic(PpcCpu *c, const PpcInsn *i) { return arith_imm(c, i, RA, 0, false); }
PpcStatus ppc_exec_addic_(PpcCpu *c, const PpcInsn *i) { return arith_imm(c, i, RA, 0, true); }
PpcStatus ppc_exec_subfic(PpcCpu *c, const PpcInsn *i) { return arith_imm(c, i, ~RA, 1, false); }

/* addex CY=0: the carry in and out is OV (OV32 the carry out of bit 32); CY=1-3 are
 * reserved and not in the decode row. */
PpcStatus ppc_exec_addex(PpcCpu *c, const PpcInsn *i)
{
    unsigned cin = (c->xer & XER_OV) ? 1 : 0;
    uint64_t a = RA, b = RB;
    bool c64 = (((unsigned __int128)a + b + cin) >> 64) != 0;
    bool c32 = ((uint64_t)(uint32_t)a + (uint32_t)b + cin) >> 32;
    c->xer = (c->xer & ~(XER_OV | XER_OV32)) | (c64 ? XER_OV : 0) | (c32 ? XER_OV32 : 0);
    GPR(i->rt) = a + b + cin;
    return PPC_NEXT;
}

/* --- 3.3.9 multiply --- */

PpcStatus ppc_exec_mulli(PpcCpu *c, const PpcInsn *i)
{
    GPR(i->rt) = RA * (uint64_t)i->imm;
    return PPC_NEXT;
}

PpcStatus ppc_exec_mullw(PpcCpu *c, const PpcInsn *i)
{
    int64_t p = (int64_t)(int32_t)RA * (int32_t)RB;
    bool ov = p != (int32_t)p;
    if (i->flags & PPC_IF_OE)
        set_ov(c, ov, ov);
    return put(c, i, i->rt, (uint64_t)p);
}

PpcStatus ppc_exec_mulld(PpcCpu *c, const PpcInsn *i)
{
    __int128 p = (__int128)(int64_t)RA * (int64_t)RB;
    bool ov = p != (int64_t)p;
    if (i->flags & PPC_IF_OE)
        set_ov(c, ov, ov);
    return put(c, i, i->rt, (uint64_t)p);
}

PpcStatus ppc_exec_mulhd(PpcCpu *c, const PpcInsn *i)
{
    __int128 p = (__int128)(int64_t)RA * (int64_t)RB;
    return put(c, i, i->rt, (uint64_t)(p >> 64));
}

PpcStatus ppc_exec_mulhdu(PpcCpu *c, const PpcInsn *i)
{
    unsigned __int128 p = (unsigned __int128)RA * RB;
    return put(c, i, i->rt, (uint64_t)(p >> 64));
}

/* mulhw/mulhwu: RT[0:31] is undefined; it gets the high word too (the word replicated). */
static uint64_t both_words(uint32_t w)
{
    return (uint64_t)w << 32 | w;
}

PpcStatus ppc_exec_mulhw(PpcCpu *c, const PpcInsn *i)
{
    int64_t p = (int64_t)(int32_t)RA * (int32_t)RB;
    return put(c, i, i->rt, both_words((uint32_t)((uint64_t)p >> 32)));
}

PpcStatus ppc_exec_mulhwu(PpcCpu *c, const PpcInsn *i)
{
    uint64_t p = W32(RA) * W32(RB);
    return put(c, i, i->rt, both_words((uint32_t)(p >> 32)));
}

/* ISA 3.0 multiply-add (VA form: RC is the rc field). */
PpcStatus ppc_exec_maddhd(PpcCpu *c, const PpcInsn *i)
{
    __int128 s = (__int128)(int64_t)RA * (int64_t)RB + (int64_t)GPR(i->rc);
    GPR(i->rt) = (uint64_t)(s >> 64);
    return PPC_NEXT;
}

PpcStatus ppc_exec_maddhdu(PpcCpu *c, const PpcInsn *i)
{
    unsigned __int128 s = (unsigned __int128)RA * RB + GPR(i->rc);
    GPR(i->rt) = (uint64_t)(s >> 64);
    return PPC_NEXT;
}

PpcStatus ppc_exec_maddld(PpcCpu *c, const PpcInsn *i)
{
    GPR(i->rt) = RA * RB + GPR(i->rc);
    return PPC_NEXT;
}

/* --- 3.3.9 divide and modulo: an undefined quotient or remainder (divide by zero,
 * the most negative number by -1, a quotient that does not fit) is 0 here, and the
 * divides set OV = OV32 = 1 for it when OE = 1. A word result has RT[0:31] = 0. --- */

static PpcStatus quotient(PpcCpu *c, const PpcInsn *i, uint64_t q, bool ov)
{
    if (i->flags & PPC_IF_OE)
        set_ov(c, ov, ov);
    return put(c, i, i->rt, ov ? 0 : q);
}

PpcStatus ppc_exec_divd(PpcCpu *c, const PpcInsn *i)
{
    int64_t a = (int64_t)RA, b = (int64_t)RB;
    bool ov = b == 0 || (a == INT64_MIN && b == -1);
    return quotient(c, i, ov ? 0 : (uint64_t)(a / b), ov);
}

PpcStatus ppc_exec_divdu(PpcCpu *c, const PpcInsn *i)
{
    bool ov = RB == 0;
    return quotient(c, i, ov ? 0 : RA / RB, ov);
}

PpcStatus ppc_exec_divw(PpcCpu *c, const PpcInsn *i)
{
    int32_t a = (int32_t)RA, b = (int32_t)RB;
    bool ov = b == 0 || (a == INT32_MIN && b == -1);
    return quotient(c, i, ov ? 0 : W32(a / b), ov);
}

PpcStatus ppc_exec_divwu(PpcCpu *c, const PpcInsn *i)
{
    uint32_t a = (uint32_t)RA, b = (uint32_t)RB;
    bool ov = b == 0;
    return quotient(c, i, ov ? 0 : a / b, ov);
}

/* divde: (RA || 64 zeros) / RB, signed; the quotient must fit in 64 bits. */
PpcStatus ppc_exec_divde(PpcCpu *c, const PpcInsn *i)
{
    __int128 a = (__int128)((unsigned __int128)RA << 64);
    int64_t b = (int64_t)RB;
    if (b == 0 || (RA == (uint64_t)INT64_MIN && b == -1))
        return quotient(c, i, 0, true);
    __int128 q = a / b;
    return quotient(c, i, (uint64_t)q, q != (int64_t)q);
}

PpcStatus ppc_exec_divdeu(PpcCpu *c, const PpcInsn *i)
{
    if (RB == 0 || RA >= RB)
        return quotient(c, i, 0, true);
    return quotient(c, i, (uint64_t)(((unsigned __int128)RA << 64) / RB), false);
}

/* divwe: (RA[32:63] || 32 zeros) / RB[32:63], signed; the quotient must fit in 32 bits. */
PpcStatus ppc_exec_divwe(PpcCpu *c, const PpcInsn *i)
{
    int64_t a = (int64_t)(W32(RA) << 32);
    int64_t b = (int32_t)RB;
    if (b == 0 || (a == INT64_MIN && b == -1))
        return quotient(c, i, 0, true);
    int64_t q = a / b;
    return quotient(c, i, W32(q), q != (int32_t)q);
}

PpcStatus ppc_exec_divweu(PpcCpu *c, const PpcInsn *i)
{
    uint64_t a = W32(RA), b = W32(RB);
    if (b == 0 || a >= b)
        return quotient(c, i, 0, true);
    return quotient(c, i, W32((a << 32) / b), false);
}

PpcStatus ppc_exec_modsd(PpcCpu *c, const PpcInsn *i)
{
    int64_t a = (int64_t)RA, b = (int64_t)RB;
    GPR(i->rt) = b == 0 || (a == INT64_MIN && b == -1) ? 0 : (uint64_t)(a % b);
    return PPC_NEXT;
}

PpcStatus ppc_exec_modud(PpcCpu *c, const PpcInsn *i)
{
    GPR(i->rt) = RB == 0 ? 0 : RA % RB;
    return PPC_NEXT;
}

/* modsw: the remainder sign-extended (RT[0:31] undefined, chosen as the sign). */
PpcStatus ppc_exec_modsw(PpcCpu *c, const PpcInsn *i)
{
    int32_t a = (int32_t)RA, b = (int32_t)RB;
    GPR(i->rt) = b == 0 || (a == INT32_MIN && b == -1) ? 0 : SW32(a % b);
    return PPC_NEXT;
}

PpcStatus ppc_exec_moduw(PpcCpu *c, const PpcInsn *i)
{
    uint32_t a = (uint32_t)RA, b = (uint32_t)RB;
    GPR(i->rt) = b == 0 ? 0 : a % b;
    return PPC_NEXT;
}

/* --- 3.3.10 compare: BF in RT[0:2], L in RT[4]; L = 1 is an invalid form on a 32-bit
 * implementation --- */

static unsigned cmp_signed(int64_t a, int64_t b)
{
    return a < b ? 8 : a > b ? 4 : 2;
}

static unsigned cmp_unsigned(uint64_t a, uint64_t b)
{
    return a < b ? 8 : a > b ? 4 : 2;
}

static PpcStatus set_compare(PpcCpu *c, const PpcInsn *i, unsigned lgt)
{
    ppc_set_cr_field(c, i->rt >> 2, lgt | ((c->xer & XER_SO) ? 1 : 0));
    return PPC_NEXT;
}

static bool compare_l(const PpcCpu *c, const PpcInsn *i)
{
    return i->rt & 1;
}

static bool compare_invalid(const PpcCpu *c, const PpcInsn *i)
{
    return compare_l(c, i) && !(c->model->categories & PPC_CAT_64);
}

PpcStatus ppc_exec_cmp(PpcCpu *c, const PpcInsn *i)
{
    if (compare_invalid(c, i))
        return ppc_illegal(c);
    bool l = compare_l(c, i);
    int64_t a = l ? (int64_t)RA : (int32_t)RA, b = l ? (int64_t)RB : (int32_t)RB;
    return set_compare(c, i, cmp_signed(a, b));
}

PpcStatus ppc_exec_cmpi(PpcCpu *c, const PpcInsn *i)
{
    if (compare_invalid(c, i))
        return ppc_illegal(c);
    int64_t a = compare_l(c, i) ? (int64_t)RA : (int32_t)RA;
    return set_compare(c, i, cmp_signed(a, i->imm));
}

PpcStatus ppc_exec_cmpl(PpcCpu *c, const PpcInsn *i)
{
    if (compare_invalid(c, i))
        return ppc_illegal(c);
    bool l = compare_l(c, i);
    return set_compare(c, i, cmp_unsigned(l ? RA : W32(RA), l ? RB : W32(RB)));
}

PpcStatus ppc_exec_cmpli(PpcCpu *c, const PpcInsn *i)
{
    if (compare_invalid(c, i))
        return ppc_illegal(c);
    uint64_t a = compare_l(c, i) ? RA : W32(RA);
    return set_compare(c, i, cmp_unsigned(a, (uint16_t)i->imm));
}

/* cmprb: RA[56:63] within [RB[56:63] lo, RB[48:55] hi], with L = 1 also within
 * [RB[40:47], RB[32:39]]; the result goes to the GT bit. */
static bool in_byte_range(unsigned v, uint64_t rb, unsigned shift)
{
    unsigned lo = (rb >> shift) & 0xff, hi = (rb >> (shift + 8)) & 0xff;
    return lo <= v && v <= hi;
}

PpcStatus ppc_exec_cmprb(PpcCpu *c, const PpcInsn *i)
{
    unsigned v = RA & 0xff;
    bool in = in_byte_range(v, RB, 0) || (compare_l(c, i) && in_byte_range(v, RB, 16));
    ppc_set_cr_field(c, i->rt >> 2, in ? 4 : 0);
    return PPC_NEXT;
}

PpcStatus ppc_exec_cmpeqb(PpcCpu *c, const PpcInsn *i)
{
    bool match = false;
    for (unsigned k = 0; k < 64; k += 8)
        match |= ((RB >> k) & 0xff) == (RA & 0xff);
    ppc_set_cr_field(c, i->rt >> 2, match ? 4 : 0);
    return PPC_NEXT;
}

/* setb RT,BFA: -1 if LT, else 1 if GT, else 0. */
PpcStatus ppc_exec_setb(PpcCpu *c, const PpcInsn *i)
{
    unsigned f = ppc_cr_field(c, i->ra >> 2);
    GPR(i->rt) = (f & 8) ? ~0ULL : (f & 4) ? 1 : 0;
    return PPC_NEXT;
}

/* --- 3.3.11 trap: TO bits lt gt eq ltu gtu; the Program interrupt (trap) has SRR0 at
 * the trap itself --- */

static PpcStatus trap(PpcCpu *c, unsigned to, uint64_t ua, uint64_t ub)
{
    int64_t a = (int64_t)ua, b = (int64_t)ub;
    bool t = ((to & 16) && a < b) || ((to & 8) && a > b) || ((to & 4) && a == b) ||
             ((to & 2) && (uint64_t)a < (uint64_t)b) || ((to & 1) && (uint64_t)a > (uint64_t)b);
    return t ? ppc_raise(c, PPC_EXC_PROGRAM, SRR1_PROGRAM_TRAP) : PPC_NEXT;
}

PpcStatus ppc_exec_tw(PpcCpu *c, const PpcInsn *i) { return trap(c, i->rt, SW32(RA), SW32(RB)); }
PpcStatus ppc_exec_twi(PpcCpu *c, const PpcInsn *i) { return trap(c, i->rt, SW32(RA), i->imm); }
PpcStatus ppc_exec_td(PpcCpu *c, const PpcInsn *i) { return trap(c, i->rt, RA, RB); }
PpcStatus ppc_exec_tdi(PpcCpu *c, const PpcInsn *i) { return trap(c, i->rt, RA, i->imm); }

/* --- 3.3.12 isel: RT = CR[BC] ? (RA|0) : RB --- */

PpcStatus ppc_exec_isel(PpcCpu *c, const PpcInsn *i)
{
    GPR(i->rt) = ppc_cr_bit(c, i->rc) ? RA : RB;
    return PPC_NEXT;
}

/* --- 3.3.13 logical: RA = RS op RB / UI --- */

static uint64_t ui(const PpcInsn *i)
{
    return (uint16_t)i->imm;
}

PpcStatus ppc_exec_andi_(PpcCpu *c, const PpcInsn *i)
{
    GPR(i->ra) = RS & ui(i);
    record_cr0(c, GPR(i->ra));
    return PPC_NEXT;
}

PpcStatus ppc_exec_andis_(PpcCpu *c, const PpcInsn *i)
{
    GPR(i->ra) = RS & (ui(i) << 16);
    record_cr0(c, GPR(i->ra));
    return PPC_NEXT;
}

/* The D-form logicals have no Rc bit: put() leaves CR0 alone for them. */
PpcStatus ppc_exec_ori(PpcCpu *c, const PpcInsn *i) { return put(c, i, i->ra, RS | ui(i)); }
PpcStatus ppc_exec_oris(PpcCpu *c, const PpcInsn *i) { return put(c, i, i->ra, RS | ui(i) << 16); }
PpcStatus ppc_exec_xori(PpcCpu *c, const PpcInsn *i) { return put(c, i, i->ra, RS ^ ui(i)); }
PpcStatus ppc_exec_xoris(PpcCpu *c, const PpcInsn *i) { return put(c, i, i->ra, RS ^ ui(i) << 16); }

PpcStatus ppc_exec_and(PpcCpu *c, const PpcInsn *i) { return put(c, i, i->ra, RS & RB); }
PpcStatus ppc_exec_or(PpcCpu *c, const PpcInsn *i) { return put(c, i, i->ra, RS | RB); }
PpcStatus ppc_exec_xor(PpcCpu *c, const PpcInsn *i) { return put(c, i, i->ra, RS ^ RB); }
PpcStatus ppc_exec_nand(PpcCpu *c, const PpcInsn *i) { return put(c, i, i->ra, ~(RS & RB)); }
PpcStatus ppc_exec_nor(PpcCpu *c, const PpcInsn *i) { return put(c, i, i->ra, ~(RS | RB)); }
PpcStatus ppc_exec_eqv(PpcCpu *c, const PpcInsn *i) { return put(c, i, i->ra, ~(RS ^ RB)); }
PpcStatus ppc_exec_andc(PpcCpu *c, const PpcInsn *i) { return put(c, i, i->ra, RS & ~RB); }
PpcStatus ppc_exec_orc(PpcCpu *c, const PpcInsn *i) { return put(c, i, i->ra, RS | ~RB); }

PpcStatus ppc_exec_extsb(PpcCpu *c, const PpcInsn *i)
{
    return put(c, i, i->ra, (uint64_t)(int8_t)RS);
}
PpcStatus ppc_exec_extsh(PpcCpu *c, const PpcInsn *i)
{
    return put(c, i, i->ra, (uint64_t)(int16_t)RS);
}
PpcStatus ppc_exec_extsw(PpcCpu *c, const PpcInsn *i) { return put(c, i, i->ra, SW32(RS)); }

PpcStatus ppc_exec_cntlzw(PpcCpu *c, const PpcInsn *i)
{
    uint32_t w = (uint32_t)RS;
    return put(c, i, i->ra, w ? (unsigned)__builtin_clz(w) : 32);
}

PpcStatus ppc_exec_cntlzd(PpcCpu *c, const PpcInsn *i)
{
    return put(c, i, i->ra, RS ? (unsigned)__builtin_clzll(RS) : 64);
}

PpcStatus ppc_exec_cnttzw(PpcCpu *c, const PpcInsn *i)
{
    uint32_t w = (uint32_t)RS;
    return put(c, i, i->ra, w ? (unsigned)__builtin_ctz(w) : 32);
}

PpcStatus ppc_exec_cnttzd(PpcCpu *c, const PpcInsn *i)
{
    return put(c, i, i->ra, RS ? (unsigned)__builtin_ctzll(RS) : 64);
}

/* The population count of each field of `bits` bits, in place. */
static uint64_t popcount_fields(uint64_t v, unsigned bits)
{
    uint64_t r = 0, m = bits == 64 ? ~0ULL : (1ULL << bits) - 1;
    for (unsigned k = 0; k < 64; k += bits)
        r |= (uint64_t)__builtin_popcountll((v >> k) & m) << k;
    return r;
}

PpcStatus ppc_exec_popcntb(PpcCpu *c, const PpcInsn *i)
{
    return put(c, i, i->ra, popcount_fields(RS, 8));
}
PpcStatus ppc_exec_popcntw(PpcCpu *c, const PpcInsn *i)
{
    return put(c, i, i->ra, popcount_fields(RS, 32));
}
PpcStatus ppc_exec_popcntd(PpcCpu *c, const PpcInsn *i)
{
    return put(c, i, i->ra, popcount_fields(RS, 64));
}

/* prtyw/prtyd: the parity of the least significant bit of each byte of a word or of the
 * doubleword, in the least significant bit of that word or doubleword. */
#define BYTE_LSBS 0x0101010101010101ULL

PpcStatus ppc_exec_prtyw(PpcCpu *c, const PpcInsn *i)
{
    uint64_t b = RS & BYTE_LSBS;
    GPR(i->ra) = popcount_fields(b, 32) & 0x0000000100000001ULL;
    return PPC_NEXT;
}

PpcStatus ppc_exec_prtyd(PpcCpu *c, const PpcInsn *i)
{
    GPR(i->ra) = __builtin_popcountll(RS & BYTE_LSBS) & 1;
    return PPC_NEXT;
}

PpcStatus ppc_exec_cmpb(PpcCpu *c, const PpcInsn *i)
{
    uint64_t r = 0;
    for (unsigned k = 0; k < 64; k += 8)
        if (((RS ^ RB) >> k & 0xff) == 0)
            r |= 0xffULL << k;
    GPR(i->ra) = r;
    return PPC_NEXT;
}

/* bpermd: byte k of RS indexes a bit of RB (ISA numbering); the eight bits land in
 * RA[56:63], byte 0's bit first. */
PpcStatus ppc_exec_bpermd(PpcCpu *c, const PpcInsn *i)
{
    uint64_t r = 0;
    for (unsigned k = 0; k < 8; k++) {
        unsigned idx = (RS >> (56 - 8 * k)) & 0xff;
        uint64_t bit = idx < 64 ? (RB >> (63 - idx)) & 1 : 0;
        r |= bit << (7 - k);
    }
    GPR(i->ra) = r;
    return PPC_NEXT;
}

/* --- 3.3.14 rotate: MASK(mb, me) in ISA bit numbering, wrapping when mb > me; the
 * word rotates rotate the word doubled into both halves (ROTL32) --- */

static uint64_t mask64(unsigned mb, unsigned me)
{
    uint64_t from_mb = ~0ULL >> mb, to_me = ~0ULL << (63 - me);
    return mb <= me ? (from_mb & to_me) : (from_mb | to_me);
}

static uint64_t rotl64(uint64_t x, unsigned n)
{
    n &= 63;
    return n ? (x << n) | (x >> (64 - n)) : x;
}

static uint64_t rotl32(uint64_t x, unsigned n)
{
    uint64_t w = W32(x);
    return rotl64(w | w << 32, n & 31);
}

static uint64_t word_mask(const PpcInsn *i)
{
    return mask64(i->rc + 32u, i->aux + 32u); /* M form: rc = MB, aux = ME */
}

PpcStatus ppc_exec_rlwinm(PpcCpu *c, const PpcInsn *i)
{
    return put(c, i, i->ra, rotl32(RS, i->rb) & word_mask(i));
}

PpcStatus ppc_exec_rlwnm(PpcCpu *c, const PpcInsn *i)
{
    return put(c, i, i->ra, rotl32(RS, RB & 31) & word_mask(i));
}

PpcStatus ppc_exec_rlwimi(PpcCpu *c, const PpcInsn *i)
{
    uint64_t m = word_mask(i);
    return put(c, i, i->ra, (rotl32(RS, i->rb) & m) | (RA & ~m));
}

/* MD/MDS forms: imm = sh, rc = mb or me (6 bits). */
PpcStatus ppc_exec_rldicl(PpcCpu *c, const PpcInsn *i)
{
    return put(c, i, i->ra, rotl64(RS, (unsigned)i->imm) & mask64(i->rc, 63));
}

PpcStatus ppc_exec_rldicr(PpcCpu *c, const PpcInsn *i)
{
    return put(c, i, i->ra, rotl64(RS, (unsigned)i->imm) & mask64(0, i->rc));
}

PpcStatus ppc_exec_rldic(PpcCpu *c, const PpcInsn *i)
{
    unsigned sh = (unsigned)i->imm;
    return put(c, i, i->ra, rotl64(RS, sh) & mask64(i->rc, 63 - sh));
}

PpcStatus ppc_exec_rldimi(PpcCpu *c, const PpcInsn *i)
{
    unsigned sh = (unsigned)i->imm;
    uint64_t m = mask64(i->rc, 63 - sh);
    return put(c, i, i->ra, (rotl64(RS, sh) & m) | (RA & ~m));
}

PpcStatus ppc_exec_rldcl(PpcCpu *c, const PpcInsn *i)
{
    return put(c, i, i->ra, rotl64(RS, RB & 63) & mask64(i->rc, 63));
}

PpcStatus ppc_exec_rldcr(PpcCpu *c, const PpcInsn *i)
{
    return put(c, i, i->ra, rotl64(RS, RB & 63) & mask64(0, i->rc));
}

/* --- 3.3.15 shift: word shifts take RB[58:63] (32-63 give 0 or the sign), doubleword
 * shifts RB[57:63] (64-127 likewise); the algebraic shifts set CA = CA32 when the
 * source is negative and 1 bits were shifted out --- */

PpcStatus ppc_exec_slw(PpcCpu *c, const PpcInsn *i)
{
    unsigned n = RB & 0x3f;
    return put(c, i, i->ra, n & 0x20 ? 0 : W32(RS << n));
}

PpcStatus ppc_exec_srw(PpcCpu *c, const PpcInsn *i)
{
    unsigned n = RB & 0x3f;
    return put(c, i, i->ra, n & 0x20 ? 0 : W32(RS) >> n);
}

PpcStatus ppc_exec_sld(PpcCpu *c, const PpcInsn *i)
{
    unsigned n = RB & 0x7f;
    return put(c, i, i->ra, n & 0x40 ? 0 : RS << n);
}

PpcStatus ppc_exec_srd(PpcCpu *c, const PpcInsn *i)
{
    unsigned n = RB & 0x7f;
    return put(c, i, i->ra, n & 0x40 ? 0 : RS >> n);
}

static PpcStatus sra_word(PpcCpu *c, const PpcInsn *i, unsigned n)
{
    int32_t s = (int32_t)RS;
    uint32_t lost = n > 31 ? (uint32_t)s : (uint32_t)s & ((1u << n) - 1);
    bool ca = s < 0 && lost != 0;
    set_ca(c, ca, ca);
    return put(c, i, i->ra, (uint64_t)(int64_t)(s >> (n > 31 ? 31 : n)));
}

static PpcStatus sra_dword(PpcCpu *c, const PpcInsn *i, unsigned n)
{
    int64_t s = (int64_t)RS;
    uint64_t lost = n > 63 ? (uint64_t)s : (uint64_t)s & ((1ULL << n) - 1);
    bool ca = s < 0 && lost != 0;
    set_ca(c, ca, ca);
    return put(c, i, i->ra, (uint64_t)(s >> (n > 63 ? 63 : n)));
}

PpcStatus ppc_exec_sraw(PpcCpu *c, const PpcInsn *i) { return sra_word(c, i, RB & 0x3f); }
PpcStatus ppc_exec_srawi(PpcCpu *c, const PpcInsn *i) { return sra_word(c, i, i->rb); }
PpcStatus ppc_exec_srad(PpcCpu *c, const PpcInsn *i) { return sra_dword(c, i, RB & 0x7f); }
PpcStatus ppc_exec_sradi(PpcCpu *c, const PpcInsn *i) { return sra_dword(c, i, (unsigned)i->imm); }

/* extswsli: the word sign-extended, then shifted left by sh (XS form: imm = sh). */
PpcStatus ppc_exec_extswsli(PpcCpu *c, const PpcInsn *i)
{
    return put(c, i, i->ra, SW32(RS) << i->imm);
}

/* --- 2.5.1 CR logical (BT, BA, BB in rt, ra, rb) and mcrf (BF, BFA) --- */

static PpcStatus cr_logical(PpcCpu *c, const PpcInsn *i, bool v)
{
    ppc_set_cr_bit(c, i->rt, v);
    return PPC_NEXT;
}

#define CRA ppc_cr_bit(c, i->ra)
#define CRB ppc_cr_bit(c, i->rb)
PpcStatus ppc_exec_crand(PpcCpu *c, const PpcInsn *i) { return cr_logical(c, i, CRA && CRB); }
PpcStatus ppc_exec_cror(PpcCpu *c, const PpcInsn *i) { return cr_logical(c, i, CRA || CRB); }
PpcStatus ppc_exec_crxor(PpcCpu *c, const PpcInsn *i) { return cr_logical(c, i, CRA != CRB); }
PpcStatus ppc_exec_crnand(PpcCpu *c, const PpcInsn *i) { return cr_logical(c, i, !(CRA && CRB)); }
PpcStatus ppc_exec_crnor(PpcCpu *c, const PpcInsn *i) { return cr_logical(c, i, !(CRA || CRB)); }
PpcStatus ppc_exec_creqv(PpcCpu *c, const PpcInsn *i) { return cr_logical(c, i, CRA == CRB); }
PpcStatus ppc_exec_crandc(PpcCpu *c, const PpcInsn *i) { return cr_logical(c, i, CRA && !CRB); }
PpcStatus ppc_exec_crorc(PpcCpu *c, const PpcInsn *i) { return cr_logical(c, i, CRA || !CRB); }

PpcStatus ppc_exec_mcrf(PpcCpu *c, const PpcInsn *i)
{
    ppc_set_cr_field(c, i->rt >> 2, ppc_cr_field(c, i->ra >> 2));
    return PPC_NEXT;
}

/* --- 3.3.17 moves to and from the CR and XER: FXM is instruction bits 12:19 --- */

static uint32_t fxm_mask(const PpcInsn *i)
{
    unsigned fxm = (i->raw >> 12) & 0xff;
    uint32_t m = 0;
    for (unsigned n = 0; n < 8; n++)
        if (fxm & (0x80u >> n))
            m |= 0xf0000000u >> (4 * n);
    return m;
}

PpcStatus ppc_exec_mfcr(PpcCpu *c, const PpcInsn *i)
{
    GPR(i->rt) = c->cr;
    return PPC_NEXT;
}

/* mfocrf/mtocrf with other than one FXM bit set are undefined; they move every field
 * FXM selects, as mtcrf does. */
PpcStatus ppc_exec_mfocrf(PpcCpu *c, const PpcInsn *i)
{
    GPR(i->rt) = c->cr & fxm_mask(i);
    return PPC_NEXT;
}

PpcStatus ppc_exec_mtcrf(PpcCpu *c, const PpcInsn *i)
{
    uint32_t m = fxm_mask(i);
    c->cr = ((uint32_t)RS & m) | (c->cr & ~m);
    return PPC_NEXT;
}

PpcStatus ppc_exec_mtocrf(PpcCpu *c, const PpcInsn *i)
{
    return ppc_exec_mtcrf(c, i);
}

/* mcrxrx BF: OV OV32 CA CA32. */
PpcStatus ppc_exec_mcrxrx(PpcCpu *c, const PpcInsn *i)
{
    unsigned f = ((c->xer & XER_OV) ? 8 : 0) | ((c->xer & XER_OV32) ? 4 : 0) |
                 ((c->xer & XER_CA) ? 2 : 0) | ((c->xer & XER_CA32) ? 1 : 0);
    ppc_set_cr_field(c, i->rt >> 2, f);
    return PPC_NEXT;
}

/* --- 3.3.17 moves to and from SPRs: LR and CTR directly, every other number through
 * the SPR table and its access rules (ppc_spr.c) --- */

#define SPR_LR 8
#define SPR_CTR 9
#define SPR_TB 268
#define SPR_TBU 269

PpcStatus ppc_exec_mfspr(PpcCpu *c, const PpcInsn *i)
{
    switch (i->spr) {
    case SPR_LR: GPR(i->rt) = c->lr; return PPC_NEXT;
    case SPR_CTR: GPR(i->rt) = c->ctr; return PPC_NEXT;
    default: return ppc_spr_mfspr(c, i->spr, &GPR(i->rt));
    }
}

PpcStatus ppc_exec_mtspr(PpcCpu *c, const PpcInsn *i)
{
    switch (i->spr) {
    case SPR_LR: c->lr = RS; return PPC_NEXT;
    case SPR_CTR: c->ctr = RS; return PPC_NEXT;
    default: return ppc_spr_mtspr(c, i->spr, RS);
    }
}

/* mftb (Book II 5.2.1, phased out for mfspr): TBR 268 or 269; others are invalid forms. */
PpcStatus ppc_exec_mftb(PpcCpu *c, const PpcInsn *i)
{
    if (i->spr != SPR_TB && i->spr != SPR_TBU)
        return ppc_illegal(c);
    return ppc_spr_mfspr(c, i->spr, &GPR(i->rt));
}

/* --- Book III-S 4.4.4 moves to and from the MSR (privileged) --- */

#define MSR_TS_TM (7ULL << 32) /* bits 29:31: TS and TM */
#define MSR_TS_SUSPENDED (1ULL << 33) /* TS = 0b01, TM = 0 */
/* mtmsr L=0 copies bits 32:40, 42:47, 49:50, 52:57, 60:62 (not S, ME, LE) ... */
#define MTMSR_COPY 0x00000000ffbf6fceULL
/* ... and mtmsrd L=0 also 0:2, 4:28 and LE (not HV, S, ME; TS/TM by their rule). */
#define MTMSRD_COPY (0xe000000000000000ULL | 0x0ffffff800000000ULL | MTMSR_COPY | MSR_LE)

static bool problem_state(const PpcCpu *c)
{
    return (c->msr & MSR_PR) != 0;
}

PpcStatus ppc_exec_mfmsr(PpcCpu *c, const PpcInsn *i)
{
    if (problem_state(c))
        return ppc_privileged(c);
    GPR(i->rt) = c->msr;
    return PPC_NEXT;
}

/* The bits both forms treat alike: the copied bits, then EE, IR and DR, which are set
 * whenever the new MSR[PR] is 1. */
static uint64_t msr_merge(uint64_t msr, uint64_t rs, uint64_t copy)
{
    uint64_t pr = (rs & MSR_PR) ? MSR_EE | MSR_IR | MSR_DR : 0;
    uint64_t special = ((rs & (MSR_EE | MSR_IR | MSR_DR)) | pr);
    copy |= MSR_EE | MSR_IR | MSR_DR;
    return (msr & ~copy) | (rs & copy & ~(MSR_EE | MSR_IR | MSR_DR)) | special;
}

/* L = 1 changes only EE and RI. */
static uint64_t msr_ee_ri(uint64_t msr, uint64_t rs)
{
    uint64_t m = MSR_EE | MSR_RI;
    return (msr & ~m) | (rs & m);
}

PpcStatus ppc_exec_mtmsr(PpcCpu *c, const PpcInsn *i)
{
    if (problem_state(c))
        return ppc_privileged(c);
    c->msr = (i->ra & 1) ? msr_ee_ri(c->msr, RS) : msr_merge(c->msr, RS, MTMSR_COPY);
    return PPC_END;
}

/* mtmsrd L = 0 writes MSR[29:31] (TS, TM) unless they are 0b010 (suspended) and
 * RS[29:31] = 0b000. */
PpcStatus ppc_exec_mtmsrd(PpcCpu *c, const PpcInsn *i)
{
    if (problem_state(c))
        return ppc_privileged(c);
    if (i->ra & 1) {
        c->msr = msr_ee_ri(c->msr, RS);
        return PPC_END;
    }
    uint64_t msr = msr_merge(c->msr, RS, MTMSRD_COPY);
    if ((c->msr & MSR_TS_TM) != MSR_TS_SUSPENDED || (RS & MSR_TS_TM))
        msr = (msr & ~MSR_TS_TM) | (RS & MSR_TS_TM);
    c->msr = msr;
    return PPC_END;
}
