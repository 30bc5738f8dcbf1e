/* cpu/common/softfp.h: IEEE 754-2008 binary32 and binary64 arithmetic on raw encodings, the
 * one floating-point core every guest FPU of hvemu runs on (RISC-V "F"/"D" in
 * cpu/riscv/insn_rv_fd.c, the Power ISA Floating-Point Facility of Book I chapter 4 in
 * cpu/ppc/insn_fp.c). It follows IEEE 754-2008 clause 5 "Operations" (sums, products,
 * quotients, square roots, fused multiply-add, roundToIntegral, conversions, comparisons,
 * class) and clause 7 "Default exception handling" (the flags NV DZ OF UF NX). Where the
 * standard leaves a choice to the architecture, the caller states it in a SoftFpEnv: the
 * rounding direction (the five of 4.3), which NaN a NaN-producing operation returns,
 * whether tininess is detected before or after rounding (7.5), and whether overflow and
 * underflow deliver IEEE 754-1985's trap-enabled results (7.3/7.4 of that standard: the
 * rounded result with its exponent wrapped by 192 or 1536, as Power's OE=1/UE=1 do).
 *
 * softfp_* are the software core: exact in all five rounding modes and every environment.
 * softfp_host_* give the same results for the plain environment of SOFTFP_ENV_PLAIN (the
 * default NaN, tininess after rounding, no traps) and run on the host SSE unit in the four
 * rounding modes it has; they may leave out of the flags any flag already in `accrued`,
 * which lets the common case skip the host's exception flags altogether. */
#ifndef HVEMU_SOFTFP_H
#define HVEMU_SOFTFP_H

#include "cpu/common/base.h"

/* Operand and result formats. */
typedef enum SoftFpFmt {
    SOFTFP_S,   /* binary32 operands, binary32 result */
    SOFTFP_D,   /* binary64 operands, binary64 result */
    SOFTFP_D_S, /* binary64 operands, the exact result rounded once to binary32 */
} SoftFpFmt;

/* Rounding directions (IEEE 754-2008, 4.3), numbered as RISC-V's rm field. */
typedef enum SoftFpRound {
    SOFTFP_RNE, /* roundTiesToEven */
    SOFTFP_RTZ, /* roundTowardZero */
    SOFTFP_RDN, /* roundTowardNegative */
    SOFTFP_RUP, /* roundTowardPositive */
    SOFTFP_RMM, /* roundTiesToAway */
} SoftFpRound;

/* Which NaN an operation with a NaN result delivers (IEEE 754-2008, 6.2.3 leaves it open). */
typedef enum SoftFpNanRule {
    /* Always the default NaN (sign 0, only the quiet bit set); a NaN converts to an
     * integer as +infinity does (RISC-V, Volume I 11.3 and table 11.4). */
    SOFTFP_NAN_DEFAULT,
    /* The first NaN operand, quieted, its payload's leading bits kept across formats; the
     * default NaN only for invalid operations without a NaN operand. Two-operand
     * operations look at a then b; softfp_fma(a, b, c) at a, c, b (Power: FRA, FRB, FRC
     * for FRA*FRC + FRB). A NaN converts to an integer as -infinity does (Power fcti*). */
    SOFTFP_NAN_PROPAGATE,
} SoftFpNanRule;

typedef struct SoftFpEnv {
    SoftFpRound rm;
    SoftFpNanRule nan;
    bool tiny_before;    /* tininess before rounding (Power) rather than after (RISC-V) */
    bool trap_overflow;  /* overflow delivers the rounded result / 2^wrap, wrap = 192 (S) or
                            1536 (D), and OF; otherwise the overflow value of 7.4 */
    bool trap_underflow; /* a tiny result delivers the rounded result * 2^wrap and UF, exact
                            or not; otherwise denormalised, UF when also inexact (7.5) */
} SoftFpEnv;

#define SOFTFP_ENV_PLAIN(r) ((SoftFpEnv){ .rm = (r), .nan = SOFTFP_NAN_DEFAULT })

/* Exception flags (IEEE 754-2008, clause 7), with the bit values of RISC-V's fflags. */
#define SOFTFP_NX 0x01
#define SOFTFP_UF 0x02
#define SOFTFP_OF 0x04
#define SOFTFP_DZ 0x08
#define SOFTFP_NV 0x10

/* Details for architectures that report more than the five flags (SoftFpRes.info). */
#define SOFTFP_INFO_INC 0x001  /* rounding made the magnitude larger than the exact one */
#define SOFTFP_INFO_SNAN 0x002 /* NV: a signaling NaN operand */
#define SOFTFP_INFO_ISI 0x004  /* NV: infinity minus infinity (sum or fused multiply-add) */
#define SOFTFP_INFO_IDI 0x008  /* NV: infinity / infinity */
#define SOFTFP_INFO_ZDZ 0x010  /* NV: zero / zero */
#define SOFTFP_INFO_IMZ 0x020  /* NV: infinity * zero (also with a NaN addend) */
#define SOFTFP_INFO_SQRT 0x040 /* NV: square root of a value below zero */
#define SOFTFP_INFO_CVI 0x080  /* NV: integer conversion of a NaN, infinity or out of range */

typedef struct SoftFpRes {
    uint64_t v;     /* result encoding (binary32 in the low 32 bits), or integer */
    unsigned flags; /* SOFTFP_NX ... SOFTFP_NV */
    unsigned info;  /* SOFTFP_INFO_*; not computed by softfp_host_* */
} SoftFpRes;

/* IEEE 754-2008 5.7.2 class(), in the order of RISC-V's fclass bits. */
typedef enum SoftFpClass {
    SOFTFP_NEG_INF, SOFTFP_NEG_NORMAL, SOFTFP_NEG_SUBNORMAL, SOFTFP_NEG_ZERO,
    SOFTFP_POS_ZERO, SOFTFP_POS_SUBNORMAL, SOFTFP_POS_NORMAL, SOFTFP_POS_INF,
    SOFTFP_SNAN, SOFTFP_QNAN,
} SoftFpClass;

typedef enum SoftFpOrder { SOFTFP_LT, SOFTFP_EQ, SOFTFP_GT, SOFTFP_UNORDERED } SoftFpOrder;

/* Flags of softfp_fma: sign changes applied to non-NaN values only. */
#define SOFTFP_NEG_PRODUCT 1u /* -(a*b) + c */
#define SOFTFP_NEG_ADDEND 2u  /* a*b - c */
#define SOFTFP_NEG_RESULT 4u  /* the rounded result negated (Power fnmadd, fnmsub) */

/* Encodings of formats SOFTFP_S and SOFTFP_D. */
static inline bool softfp_is_nan(SoftFpFmt f, uint64_t x)
{
    return f == SOFTFP_S ? (x & 0x7fffffff) > 0x7f800000
                         : (x & ~(1ULL << 63)) > 0x7ff0000000000000ULL;
}

static inline bool softfp_is_snan(SoftFpFmt f, uint64_t x)
{
    uint64_t quiet = f == SOFTFP_S ? 1ULL << 22 : 1ULL << 51;
    return softfp_is_nan(f, x) && !(x & quiet);
}

static inline uint64_t softfp_default_nan(SoftFpFmt f)
{
    return f == SOFTFP_S ? 0x7fc00000ULL : 0x7ff8000000000000ULL;
}

/* Arithmetic (5.4.1), one rounding each. Subtraction leaves a NaN b's sign alone. */
SoftFpRes softfp_add(SoftFpFmt f, uint64_t a, uint64_t b, SoftFpEnv env);
SoftFpRes softfp_sub(SoftFpFmt f, uint64_t a, uint64_t b, SoftFpEnv env);
SoftFpRes softfp_mul(SoftFpFmt f, uint64_t a, uint64_t b, SoftFpEnv env);
SoftFpRes softfp_div(SoftFpFmt f, uint64_t a, uint64_t b, SoftFpEnv env);
SoftFpRes softfp_sqrt(SoftFpFmt f, uint64_t a, SoftFpEnv env);
/* a*b + c with one rounding (neg: SOFTFP_NEG_*). inf*0 is invalid even with a NaN c (7.2(c)
 * leaves that case open; RISC-V and Power both signal it). */
SoftFpRes softfp_fma(SoftFpFmt f, uint64_t a, uint64_t b, uint64_t c, unsigned neg,
                     SoftFpEnv env);
/* formatOf conversions (5.4.2): binary64 to binary32, and the exact widening. */
SoftFpRes softfp_narrow(uint64_t a, SoftFpEnv env);
SoftFpRes softfp_widen(uint64_t a, SoftFpEnv env);
/* roundToIntegral in env.rm (5.3.1); NX when the value changed (roundToIntegralExact). */
SoftFpRes softfp_round_int(SoftFpFmt f, uint64_t a, SoftFpEnv env);
/* convertToInteger (5.8) to a `bits`-wide integer (32 or 64), returned in the low `bits`
 * bits; NaN, infinities and values out of range after rounding saturate with NV. */
SoftFpRes softfp_to_int(SoftFpFmt f, uint64_t a, bool is_signed, unsigned bits, SoftFpEnv env);
/* convertFromInt (5.4.1): the low `bits` bits of v (32 or 64) to format f (S or D). */
SoftFpRes softfp_from_int(SoftFpFmt f, uint64_t v, bool is_signed, unsigned bits,
                          SoftFpEnv env);
/* minimumNumber/maximumNumber (IEEE 754-2019 9.6): a NaN loses to a number; NV on sNaN. */
SoftFpRes softfp_minmax(SoftFpFmt f, uint64_t a, uint64_t b, bool max, SoftFpEnv env);
/* The relation of a and b (5.11); which comparisons signal on which NaNs is the caller's. */
SoftFpOrder softfp_compare(SoftFpFmt f, uint64_t a, uint64_t b);
SoftFpClass softfp_classify(SoftFpFmt f, uint64_t a);

/* The host-assisted path (f: SOFTFP_S or SOFTFP_D), results as the core's in
 * SOFTFP_ENV_PLAIN(rm). */
SoftFpRes softfp_host_add(SoftFpFmt f, uint64_t a, uint64_t b, SoftFpRound rm, unsigned accrued);
SoftFpRes softfp_host_sub(SoftFpFmt f, uint64_t a, uint64_t b, SoftFpRound rm, unsigned accrued);
SoftFpRes softfp_host_mul(SoftFpFmt f, uint64_t a, uint64_t b, SoftFpRound rm, unsigned accrued);
SoftFpRes softfp_host_div(SoftFpFmt f, uint64_t a, uint64_t b, SoftFpRound rm, unsigned accrued);
SoftFpRes softfp_host_sqrt(SoftFpFmt f, uint64_t a, SoftFpRound rm, unsigned accrued);
SoftFpRes softfp_host_fma(SoftFpFmt f, uint64_t a, uint64_t b, uint64_t c, SoftFpRound rm,
                          unsigned accrued);
SoftFpRes softfp_host_narrow(uint64_t a, SoftFpRound rm, unsigned accrued);

#endif
