/* tests/unit/riscv/test_fpu.c: the RISC-V "F" and "D" extensions of cpu/riscv/insn_rv_fd.c
 * (Volume I, 20191213, chapter 11 "F" and chapter 12 "D", on IEEE 754-2008). Real
 * encodings go through rv_decode() and the semantic functions run on a hand-built hart.
 * Each table row gives the operands, the rounding mode and the expected result bits and
 * fflags; every row runs with fflags clear and again with NX already accrued (the
 * implementation's RNE shortcut needs that), and rows with an rm field once more with the
 * mode dynamic through frm. Expected values are derived from the IEEE rules (written next to
 * the rows) and were cross-checked against QEMU 7.2's RISC-V model (qemu-riscv64). Then:
 * reserved rounding modes and mstatus.FS=Off, FS/fflags bookkeeping, x0 destinations,
 * FP loads and stores through a pre-filled soft TLB, the host rounding mode after a
 * directed-rounding instruction, and a random comparison of the software core with the
 * host-FPU path in the four modes both implement. */
#include <stdlib.h>

#include "cpu/riscv/rv_decode.h"
#include "cpu/riscv/rv_fpu.h"
#include "tests/unit/unit.h"

enum { NX = FFLAG_NX, UF = FFLAG_UF, OF = FFLAG_OF, DZ = FFLAG_DZ, NV = FFLAG_NV };
enum { RNE = RM_RNE, RTZ = RM_RTZ, RDN = RM_RDN, RUP = RM_RUP, RMM = RM_RMM };

/* A single in an f register, NaN-boxed. */
#define S(x) (0xffffffff00000000ULL | (uint64_t)(x))
#define CN_S S(0x7fc00000)
#define CN_D 0x7ff8000000000000ULL
#define BAD_BOX 0x000000003f800000ULL /* 1.0f without the box: reads as the canonical NaN */

#define S_ONE 0x3f800000
#define S_TWO 0x40000000
#define S_HALF 0x3f000000
#define S_MAX 0x7f7fffff
#define S_INF 0x7f800000
#define S_NINF 0xff800000
#define S_QNAN 0x7fc00000
#define S_SNAN 0x7f800001
#define D_ONE 0x3ff0000000000000ULL
#define D_MONE 0xbff0000000000000ULL
#define D_TWO 0x4000000000000000ULL
#define D_HALF 0x3fe0000000000000ULL
#define D_MAX 0x7fefffffffffffffULL
#define D_INF 0x7ff0000000000000ULL
#define D_NINF 0xfff0000000000000ULL
#define D_QNAN 0x7ff8000000000000ULL
#define D_SNAN 0x7ff0000000000001ULL
#define D_NZERO 0x8000000000000000ULL
#define D_1P26 0x3ff0000004000000ULL   /* 1 + 2^-26 */
#define D_M1P26 0xbff0000004000000ULL  /* -(1 + 2^-26) */
#define D_1P27 0x3ff0000002000000ULL   /* 1 + 2^-27 */
#define D_2M200 0x3370000000000000ULL  /* 2^-200 */
#define D_M2M200 0xb370000000000000ULL /* -2^-200 */

/* Register numbers the runner uses: f1, f2, f3 sources, f4 or x10 destination, x11 the
 * integer source. */
enum { F_A = 1, F_B = 2, F_C = 3, F_D = 4, X_D = 10, X_A = 11 };

typedef struct FpCase {
    uint16_t op;
    uint8_t rm;
    uint64_t a, b, c; /* f1, f2, f3 (a is x11 for integer sources) */
    uint64_t r;       /* f4, or x10 for integer destinations */
    uint8_t fl;
    int line;
} FpCase;

#define T(op_, rm_, a_, b_, c_, r_, fl_)                                                   \
    { .op = RV_OP_##op_, .rm = rm_, .a = a_, .b = b_, .c = c_, .r = r_, .fl = fl_,          \
      .line = __LINE__ }

/* ---- Sums (11.6): every mode on an inexact sum, ties, zeros, overflow, NaNs ---- */
static const FpCase add_cases[] = {
    /* 1 + 0.75 ulp */
    T(fadd_s, RNE, S(S_ONE), S(0x33c00000), 0, S(0x3f800001), NX),
    T(fadd_s, RTZ, S(S_ONE), S(0x33c00000), 0, S(0x3f800000), NX),
    T(fadd_s, RDN, S(S_ONE), S(0x33c00000), 0, S(0x3f800000), NX),
    T(fadd_s, RUP, S(S_ONE), S(0x33c00000), 0, S(0x3f800001), NX),
    T(fadd_s, RMM, S(S_ONE), S(0x33c00000), 0, S(0x3f800001), NX),
    T(fadd_s, RNE, S(0xbf800000), S(0xb3c00000), 0, S(0xbf800001), NX),
    T(fadd_s, RTZ, S(0xbf800000), S(0xb3c00000), 0, S(0xbf800000), NX),
    T(fadd_s, RDN, S(0xbf800000), S(0xb3c00000), 0, S(0xbf800001), NX),
    T(fadd_s, RUP, S(0xbf800000), S(0xb3c00000), 0, S(0xbf800000), NX),
    T(fadd_s, RMM, S(0xbf800000), S(0xb3c00000), 0, S(0xbf800001), NX),
    /* 1 + 0.5 ulp: a tie; RNE keeps the even 1.0, RMM goes away from zero */
    T(fadd_s, RNE, S(S_ONE), S(0x33800000), 0, S(0x3f800000), NX),
    T(fadd_s, RTZ, S(S_ONE), S(0x33800000), 0, S(0x3f800000), NX),
    T(fadd_s, RDN, S(S_ONE), S(0x33800000), 0, S(0x3f800000), NX),
    T(fadd_s, RUP, S(S_ONE), S(0x33800000), 0, S(0x3f800001), NX),
    T(fadd_s, RMM, S(S_ONE), S(0x33800000), 0, S(0x3f800001), NX),
    /* (1 + ulp) + 0.5 ulp: the tie's even neighbour is above */
    T(fadd_s, RNE, S(0x3f800001), S(0x33800000), 0, S(0x3f800002), NX),
    T(fadd_s, RMM, S(0x3f800001), S(0x33800000), 0, S(0x3f800002), NX),
    T(fadd_s, RTZ, S(0x3f800001), S(0x33800000), 0, S(0x3f800001), NX),
    T(fadd_s, RNE, S(0xbf800000), S(0xb3800000), 0, S(0xbf800000), NX),
    T(fadd_s, RMM, S(0xbf800000), S(0xb3800000), 0, S(0xbf800001), NX),
    /* 1 + 2^-53 in double: a tie */
    T(fadd_d, RNE, D_ONE, 0x3ca0000000000000, 0, D_ONE, NX),
    T(fadd_d, RTZ, D_ONE, 0x3ca0000000000000, 0, D_ONE, NX),
    T(fadd_d, RDN, D_ONE, 0x3ca0000000000000, 0, D_ONE, NX),
    T(fadd_d, RUP, D_ONE, 0x3ca0000000000000, 0, 0x3ff0000000000001, NX),
    T(fadd_d, RMM, D_ONE, 0x3ca0000000000000, 0, 0x3ff0000000000001, NX),
    T(fadd_d, RDN, D_MONE, 0xbca0000000000000, 0, 0xbff0000000000001, NX),
    T(fadd_d, RUP, D_MONE, 0xbca0000000000000, 0, D_MONE, NX),
    T(fadd_d, RMM, D_MONE, 0xbca0000000000000, 0, 0xbff0000000000001, NX),
    /* exact */
    T(fadd_s, RNE, S(S_ONE), S(S_ONE), 0, S(S_TWO), 0),
    T(fadd_d, RNE, D_ONE, D_ONE, 0, D_TWO, 0),
    T(fsub_s, RNE, S(S_ONE), S(0x33800000), 0, S(0x3f7fffff), 0),
    T(fsub_d, RNE, D_ONE, 0x3ca0000000000000, 0, 0x3fefffffffffffff, 0),
    /* signed zeros: x - x is +0, but -0 when rounding down; -0 + -0 is -0 */
    T(fadd_s, RNE, S(0), S(0x80000000), 0, S(0), 0),
    T(fadd_s, RDN, S(0), S(0x80000000), 0, S(0x80000000), 0),
    T(fadd_s, RUP, S(0x80000000), S(0x80000000), 0, S(0x80000000), 0),
    T(fsub_s, RNE, S(S_ONE), S(S_ONE), 0, S(0), 0),
    T(fsub_s, RDN, S(S_ONE), S(S_ONE), 0, S(0x80000000), 0),
    T(fsub_s, RMM, S(S_ONE), S(S_ONE), 0, S(0), 0),
    T(fsub_d, RDN, D_ONE, D_ONE, 0, D_NZERO, 0),
    T(fsub_d, RUP, D_ONE, D_ONE, 0, 0, 0),
    T(fadd_d, RMM, D_ONE, D_MONE, 0, 0, 0),
    T(fsub_d, RNE, 0, 0, 0, 0, 0),
    T(fsub_d, RDN, 0, 0, 0, D_NZERO, 0),
    T(fadd_d, RNE, D_NZERO, D_ONE, 0, D_ONE, 0),
    /* infinities */
    T(fadd_s, RNE, S(S_INF), S(S_NINF), 0, CN_S, NV),
    T(fsub_d, RNE, D_INF, D_INF, 0, CN_D, NV),
    T(fsub_d, RMM, D_INF, D_INF, 0, CN_D, NV),
    T(fadd_d, RNE, D_INF, D_MAX, 0, D_INF, 0),
    T(fsub_s, RNE, S(S_ONE), S(S_INF), 0, S(S_NINF), 0),
    /* overflow: max + half an ulp is a tie that rounds to 2^1024 in RNE; in RTZ/RDN the
     * rounded value is max itself, so no overflow at all */
    T(fadd_d, RNE, D_MAX, 0x7c90000000000000, 0, D_INF, OF | NX),
    T(fadd_d, RTZ, D_MAX, 0x7c90000000000000, 0, D_MAX, NX),
    T(fadd_d, RDN, D_MAX, 0x7c90000000000000, 0, D_MAX, NX),
    T(fadd_d, RUP, D_MAX, 0x7c90000000000000, 0, D_INF, OF | NX),
    T(fadd_d, RMM, D_MAX, 0x7c90000000000000, 0, D_INF, OF | NX),
    T(fadd_s, RNE, S(S_MAX), S(S_MAX), 0, S(S_INF), OF | NX),
    T(fadd_s, RTZ, S(S_MAX), S(S_MAX), 0, S(S_MAX), OF | NX),
    T(fadd_s, RMM, S(S_MAX), S(S_MAX), 0, S(S_INF), OF | NX),
    /* subnormals are exact in sums */
    T(fadd_s, RNE, S(1), S(1), 0, S(2), 0),
    T(fsub_s, RNE, S(0x00800000), S(1), 0, S(0x007fffff), 0),
    T(fsub_d, RNE, 0x0010000000000000, 1, 0, 0x000fffffffffffff, 0),
    T(fadd_d, RNE, 0x000fffffffffffff, 1, 0, 0x0010000000000000, 0),
    /* NaNs: canonical result; NV only for a signaling input */
    T(fadd_s, RNE, S(S_SNAN), S(S_ONE), 0, CN_S, NV),
    T(fadd_s, RNE, S(0x7fc12345), S(S_ONE), 0, CN_S, 0),
    T(fadd_s, RNE, S(0xffc00000), S(S_ONE), 0, CN_S, 0),
    T(fadd_s, RNE, S(S_ONE), S(0xff800001), 0, CN_S, NV),
    T(fadd_s, RMM, S(S_SNAN), S(S_ONE), 0, CN_S, NV),
    T(fadd_d, RNE, D_SNAN, D_QNAN, 0, CN_D, NV),
    T(fadd_d, RNE, 0x7ff8000000012345, D_ONE, 0, CN_D, 0),
    T(fsub_d, RNE, D_ONE, 0xfff4000000000000, 0, CN_D, NV),
    T(fsub_d, RMM, D_ONE, 0xfff8000000000000, 0, CN_D, 0),
    /* NaN-boxing: an improperly boxed single reads as the canonical NaN */
    T(fadd_s, RNE, BAD_BOX, S(S_ONE), 0, CN_S, 0),
    T(fadd_s, RNE, S(S_ONE), 0xfffffffe3f800000, 0, CN_S, 0),
    T(fadd_s, RNE, D_ONE, S(S_ONE), 0, CN_S, 0),
    T(fsub_s, RMM, S(S_ONE), BAD_BOX, 0, CN_S, 0),
};

/* ---- Products ---- */
static const FpCase mul_cases[] = {
    /* (1 + 2^-23)^2 = 1 + 2^-22 + 2^-46 */
    T(fmul_s, RNE, S(0x3f800001), S(0x3f800001), 0, S(0x3f800002), NX),
    T(fmul_s, RTZ, S(0x3f800001), S(0x3f800001), 0, S(0x3f800002), NX),
    T(fmul_s, RDN, S(0x3f800001), S(0x3f800001), 0, S(0x3f800002), NX),
    T(fmul_s, RUP, S(0x3f800001), S(0x3f800001), 0, S(0x3f800003), NX),
    T(fmul_s, RMM, S(0x3f800001), S(0x3f800001), 0, S(0x3f800002), NX),
    /* (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24: a tie */
    T(fmul_s, RNE, S(0x3f800800), S(0x3f800800), 0, S(0x3f801000), NX),
    T(fmul_s, RTZ, S(0x3f800800), S(0x3f800800), 0, S(0x3f801000), NX),
    T(fmul_s, RDN, S(0x3f800800), S(0x3f800800), 0, S(0x3f801000), NX),
    T(fmul_s, RUP, S(0x3f800800), S(0x3f800800), 0, S(0x3f801001), NX),
    T(fmul_s, RMM, S(0x3f800800), S(0x3f800800), 0, S(0x3f801001), NX),
    /* (1 + 2^-26)(1 + 2^-27) = 1 + 3*2^-27 + 2^-53: a tie */
    T(fmul_d, RNE, D_1P26, D_1P27, 0, 0x3ff0000006000000, NX),
    T(fmul_d, RTZ, D_1P26, D_1P27, 0, 0x3ff0000006000000, NX),
    T(fmul_d, RDN, D_1P26, D_1P27, 0, 0x3ff0000006000000, NX),
    T(fmul_d, RUP, D_1P26, D_1P27, 0, 0x3ff0000006000001, NX),
    T(fmul_d, RMM, D_1P26, D_1P27, 0, 0x3ff0000006000001, NX),
    T(fmul_d, RMM, D_M1P26, D_1P27, 0, 0xbff0000006000001, NX),
    T(fmul_d, RDN, D_M1P26, D_1P27, 0, 0xbff0000006000001, NX),
    T(fmul_d, RUP, D_M1P26, D_1P27, 0, 0xbff0000006000000, NX),
    /* overflow: infinity or the largest finite number by direction and sign */
    T(fmul_s, RNE, S(S_MAX), S(S_TWO), 0, S(S_INF), OF | NX),
    T(fmul_s, RTZ, S(S_MAX), S(S_TWO), 0, S(S_MAX), OF | NX),
    T(fmul_s, RDN, S(S_MAX), S(S_TWO), 0, S(S_MAX), OF | NX),
    T(fmul_s, RUP, S(S_MAX), S(S_TWO), 0, S(S_INF), OF | NX),
    T(fmul_s, RMM, S(S_MAX), S(S_TWO), 0, S(S_INF), OF | NX),
    T(fmul_s, RNE, S(0xff7fffff), S(S_TWO), 0, S(S_NINF), OF | NX),
    T(fmul_s, RTZ, S(0xff7fffff), S(S_TWO), 0, S(0xff7fffff), OF | NX),
    T(fmul_s, RDN, S(0xff7fffff), S(S_TWO), 0, S(S_NINF), OF | NX),
    T(fmul_s, RUP, S(0xff7fffff), S(S_TWO), 0, S(0xff7fffff), OF | NX),
    T(fmul_s, RMM, S(0xff7fffff), S(S_TWO), 0, S(S_NINF), OF | NX),
    T(fmul_d, RNE, D_MAX, D_TWO, 0, D_INF, OF | NX),
    T(fmul_d, RTZ, D_MAX, D_TWO, 0, D_MAX, OF | NX),
    T(fmul_d, RMM, D_MAX, D_TWO, 0, D_INF, OF | NX),
    T(fmul_d, RUP, 0xffefffffffffffff, D_TWO, 0, 0xffefffffffffffff, OF | NX),
    T(fmul_d, RDN, 0xffefffffffffffff, D_TWO, 0, D_NINF, OF | NX),
    /* tininess after rounding. (1 - 2^-24) * 2^-126 = 2^-126 - 2^-150 is exact with an
     * unbounded exponent, so tiny; it rounds to the subnormal grid as a tie that goes up
     * to 2^-126 in RNE: UF is still raised. */
    T(fmul_s, RNE, S(0x3f7fffff), S(0x00800000), 0, S(0x00800000), UF | NX),
    T(fmul_s, RTZ, S(0x3f7fffff), S(0x00800000), 0, S(0x007fffff), UF | NX),
    T(fmul_s, RDN, S(0x3f7fffff), S(0x00800000), 0, S(0x007fffff), UF | NX),
    T(fmul_s, RUP, S(0x3f7fffff), S(0x00800000), 0, S(0x00800000), UF | NX),
    T(fmul_s, RMM, S(0x3f7fffff), S(0x00800000), 0, S(0x00800000), UF | NX),
    /* (1 - 2^-23) * 2^-126 (1 + 2^-23) = 2^-126 (1 - 2^-46): with an unbounded exponent it
     * rounds to 2^-126 (RNE, RUP, RMM), so it is not tiny: NX alone. Truncated, it is. */
    T(fmul_s, RNE, S(0x3f7ffffe), S(0x00800001), 0, S(0x00800000), NX),
    T(fmul_s, RUP, S(0x3f7ffffe), S(0x00800001), 0, S(0x00800000), NX),
    T(fmul_s, RMM, S(0x3f7ffffe), S(0x00800001), 0, S(0x00800000), NX),
    T(fmul_s, RTZ, S(0x3f7ffffe), S(0x00800001), 0, S(0x007fffff), UF | NX),
    T(fmul_s, RDN, S(0x3f7ffffe), S(0x00800001), 0, S(0x007fffff), UF | NX),
    T(fmul_d, RNE, 0x3fefffffffffffff, 0x0010000000000000, 0, 0x0010000000000000, UF | NX),
    T(fmul_d, RTZ, 0x3fefffffffffffff, 0x0010000000000000, 0, 0x000fffffffffffff, UF | NX),
    T(fmul_d, RNE, 0x3feffffffffffffe, 0x0010000000000001, 0, 0x0010000000000000, NX),
    T(fmul_d, RMM, 0x3feffffffffffffe, 0x0010000000000001, 0, 0x0010000000000000, NX),
    T(fmul_d, RDN, 0x3feffffffffffffe, 0x0010000000000001, 0, 0x000fffffffffffff, UF | NX),
    /* subnormal results: half the smallest subnormal is a tie between 0 and it */
    T(fmul_s, RNE, S(1), S(S_HALF), 0, S(0), UF | NX),
    T(fmul_s, RTZ, S(1), S(S_HALF), 0, S(0), UF | NX),
    T(fmul_s, RDN, S(1), S(S_HALF), 0, S(0), UF | NX),
    T(fmul_s, RUP, S(1), S(S_HALF), 0, S(1), UF | NX),
    T(fmul_s, RMM, S(1), S(S_HALF), 0, S(1), UF | NX),
    T(fmul_s, RNE, S(0x80000001), S(S_HALF), 0, S(0x80000000), UF | NX),
    T(fmul_s, RDN, S(0x80000001), S(S_HALF), 0, S(0x80000001), UF | NX),
    T(fmul_s, RNE, S(3), S(S_HALF), 0, S(2), UF | NX),
    T(fmul_s, RTZ, S(3), S(S_HALF), 0, S(1), UF | NX),
    T(fmul_s, RNE, S(2), S(S_HALF), 0, S(1), 0), /* exact: tiny but no UF */
    T(fmul_s, RNE, S(0x00400000), S(0x40800000), 0, S(0x01000000), 0),
    T(fmul_d, RNE, 1, D_HALF, 0, 0, UF | NX),
    T(fmul_d, RMM, 1, D_HALF, 0, 1, UF | NX),
    T(fmul_d, RNE, 0x0008000000000000, 0x4010000000000000, 0, 0x0020000000000000, 0),
    T(fmul_d, RNE, 1, 1, 0, 0, UF | NX),
    T(fmul_d, RUP, 1, 1, 0, 1, UF | NX),
    T(fmul_d, RDN, 0x8000000000000001, 1, 0, 0x8000000000000001, UF | NX),
    /* zeros, infinities, NaNs */
    T(fmul_s, RNE, S(0x80000000), S(0x40a00000), 0, S(0x80000000), 0),
    T(fmul_d, RNE, D_INF, 0, 0, CN_D, NV),
    T(fmul_s, RNE, S(0), S(S_NINF), 0, CN_S, NV),
    T(fmul_s, RMM, S(0), S(S_NINF), 0, CN_S, NV),
    T(fmul_d, RNE, D_INF, D_MONE, 0, D_NINF, 0),
    T(fmul_d, RNE, D_QNAN, 0, 0, CN_D, 0),
    T(fmul_s, RNE, S(S_SNAN), S(0), 0, CN_S, NV),
};

/* ---- Quotients ---- */
static const FpCase div_cases[] = {
    /* 1/3 = 0.0101...: binary32 keeps 23 bits and the rest is above half */
    T(fdiv_s, RNE, S(S_ONE), S(0x40400000), 0, S(0x3eaaaaab), NX),
    T(fdiv_s, RTZ, S(S_ONE), S(0x40400000), 0, S(0x3eaaaaaa), NX),
    T(fdiv_s, RDN, S(S_ONE), S(0x40400000), 0, S(0x3eaaaaaa), NX),
    T(fdiv_s, RUP, S(S_ONE), S(0x40400000), 0, S(0x3eaaaaab), NX),
    T(fdiv_s, RMM, S(S_ONE), S(0x40400000), 0, S(0x3eaaaaab), NX),
    T(fdiv_s, RDN, S(0xbf800000), S(0x40400000), 0, S(0xbeaaaaab), NX),
    T(fdiv_s, RUP, S(0xbf800000), S(0x40400000), 0, S(0xbeaaaaaa), NX),
    /* binary64 keeps 52 bits and the rest is below half */
    T(fdiv_d, RNE, D_ONE, 0x4008000000000000, 0, 0x3fd5555555555555, NX),
    T(fdiv_d, RTZ, D_ONE, 0x4008000000000000, 0, 0x3fd5555555555555, NX),
    T(fdiv_d, RDN, D_ONE, 0x4008000000000000, 0, 0x3fd5555555555555, NX),
    T(fdiv_d, RUP, D_ONE, 0x4008000000000000, 0, 0x3fd5555555555556, NX),
    T(fdiv_d, RMM, D_ONE, 0x4008000000000000, 0, 0x3fd5555555555555, NX),
    T(fdiv_d, RUP, D_TWO, 0x4008000000000000, 0, 0x3fe5555555555556, NX),
    T(fdiv_d, RNE, 0x4008000000000000, D_TWO, 0, 0x3ff8000000000000, 0),
    /* division by zero and invalid quotients */
    T(fdiv_s, RNE, S(S_ONE), S(0), 0, S(S_INF), DZ),
    T(fdiv_s, RNE, S(S_ONE), S(0x80000000), 0, S(S_NINF), DZ),
    T(fdiv_s, RMM, S(S_ONE), S(0x80000000), 0, S(S_NINF), DZ),
    T(fdiv_d, RNE, D_MONE, 0, 0, D_NINF, DZ),
    T(fdiv_d, RNE, 0, 0, 0, CN_D, NV),
    T(fdiv_d, RNE, D_INF, D_INF, 0, CN_D, NV),
    T(fdiv_d, RNE, D_INF, 0, 0, D_INF, 0),
    T(fdiv_d, RMM, D_INF, 0, 0, D_INF, 0),
    T(fdiv_s, RNE, S(0), S(S_ONE), 0, S(0), 0),
    T(fdiv_s, RNE, S(0x80000000), S(S_ONE), 0, S(0x80000000), 0),
    T(fdiv_s, RNE, S(S_ONE), S(S_NINF), 0, S(0x80000000), 0),
    T(fdiv_s, RNE, S(S_QNAN), S(0), 0, CN_S, 0),
    T(fdiv_d, RNE, D_SNAN, D_ONE, 0, CN_D, NV),
    /* overflow and subnormal quotients (ties occur only in the subnormal range) */
    T(fdiv_s, RNE, S(S_MAX), S(S_HALF), 0, S(S_INF), OF | NX),
    T(fdiv_s, RTZ, S(S_MAX), S(S_HALF), 0, S(S_MAX), OF | NX),
    T(fdiv_d, RNE, 1, D_TWO, 0, 0, UF | NX),
    T(fdiv_d, RMM, 1, D_TWO, 0, 1, UF | NX),
    T(fdiv_d, RNE, 5, D_TWO, 0, 2, UF | NX),
    T(fdiv_d, RMM, 5, D_TWO, 0, 3, UF | NX),
    T(fdiv_s, RNE, S(3), S(S_TWO), 0, S(2), UF | NX),
    T(fdiv_s, RMM, S(3), S(S_TWO), 0, S(2), UF | NX),
    T(fdiv_s, RTZ, S(3), S(S_TWO), 0, S(1), UF | NX),
};

/* ---- Square roots ---- */
static const FpCase sqrt_cases[] = {
    /* sqrt(2) = 1.41421356...: 0x3fb504f3 is below it; 0x3ff6a09e667f3bcd above */
    T(fsqrt_s, RNE, S(S_TWO), 0, 0, S(0x3fb504f3), NX),
    T(fsqrt_s, RTZ, S(S_TWO), 0, 0, S(0x3fb504f3), NX),
    T(fsqrt_s, RDN, S(S_TWO), 0, 0, S(0x3fb504f3), NX),
    T(fsqrt_s, RUP, S(S_TWO), 0, 0, S(0x3fb504f4), NX),
    T(fsqrt_s, RMM, S(S_TWO), 0, 0, S(0x3fb504f3), NX),
    T(fsqrt_d, RNE, D_TWO, 0, 0, 0x3ff6a09e667f3bcd, NX),
    T(fsqrt_d, RTZ, D_TWO, 0, 0, 0x3ff6a09e667f3bcc, NX),
    T(fsqrt_d, RDN, D_TWO, 0, 0, 0x3ff6a09e667f3bcc, NX),
    T(fsqrt_d, RUP, D_TWO, 0, 0, 0x3ff6a09e667f3bcd, NX),
    T(fsqrt_d, RMM, D_TWO, 0, 0, 0x3ff6a09e667f3bcd, NX),
    T(fsqrt_s, RNE, S(0x40800000), 0, 0, S(S_TWO), 0),
    T(fsqrt_d, RNE, 1, 0, 0, 0x1e60000000000000, 0), /* sqrt(2^-1074) = 2^-537 */
    T(fsqrt_s, RNE, S(1), 0, 0, S(0x1a3504f3), NX),  /* sqrt(2^-149) = 2^-75 sqrt(2) */
    T(fsqrt_s, RMM, S(1), 0, 0, S(0x1a3504f3), NX),
    T(fsqrt_s, RNE, S(0xbf800000), 0, 0, CN_S, NV),
    T(fsqrt_d, RNE, D_NZERO, 0, 0, D_NZERO, 0),
    T(fsqrt_d, RMM, D_NZERO, 0, 0, D_NZERO, 0),
    T(fsqrt_d, RNE, D_INF, 0, 0, D_INF, 0),
    T(fsqrt_d, RNE, D_NINF, 0, 0, CN_D, NV),
    T(fsqrt_s, RNE, S(S_SNAN), 0, 0, CN_S, NV),
    T(fsqrt_s, RNE, S(0xffc00000), 0, 0, CN_S, 0),
    T(fsqrt_d, RNE, 0x8000000000000001, 0, 0, CN_D, NV),
    T(fsqrt_d, RMM, 0x8000000000000001, 0, 0, CN_D, NV),
};

/* ---- Fused multiply-add: one rounding ---- */
static const FpCase fma_cases[] = {
    /* (1 + 2^-27)(1 - 2^-27) - 1 = -2^-54 exactly; a rounded product would give 0 */
    T(fmadd_d, RNE, 0x3ff0000002000000, 0x3feffffffc000000, D_MONE, 0xbc90000000000000, 0),
    T(fmsub_d, RNE, 0x3ff0000002000000, 0x3feffffffc000000, D_ONE, 0xbc90000000000000, 0),
    T(fnmsub_d, RNE, 0x3ff0000002000000, 0x3feffffffc000000, D_ONE, 0x3c90000000000000, 0),
    T(fnmadd_d, RNE, 0x3ff0000002000000, 0x3feffffffc000000, D_MONE, 0x3c90000000000000, 0),
    T(fmadd_s, RNE, S(0x3f800800), S(0x3f7ff000), S(0xbf800000), S(0xb3800000), 0),
    /* the four sign variants: 2*3 +- 1 */
    T(fmadd_s, RNE, S(S_TWO), S(0x40400000), S(S_ONE), S(0x40e00000), 0),
    T(fmsub_s, RNE, S(S_TWO), S(0x40400000), S(S_ONE), S(0x40a00000), 0),
    T(fnmsub_s, RNE, S(S_TWO), S(0x40400000), S(S_ONE), S(0xc0a00000), 0),
    T(fnmadd_s, RNE, S(S_TWO), S(0x40400000), S(S_ONE), S(0xc0e00000), 0),
    /* 1*1 + 2^-24: a tie */
    T(fmadd_s, RNE, S(S_ONE), S(S_ONE), S(0x33800000), S(S_ONE), NX),
    T(fmadd_s, RTZ, S(S_ONE), S(S_ONE), S(0x33800000), S(S_ONE), NX),
    T(fmadd_s, RDN, S(S_ONE), S(S_ONE), S(0x33800000), S(S_ONE), NX),
    T(fmadd_s, RUP, S(S_ONE), S(S_ONE), S(0x33800000), S(0x3f800001), NX),
    T(fmadd_s, RMM, S(S_ONE), S(S_ONE), S(0x33800000), S(0x3f800001), NX),
    T(fmadd_s, RMM, S(0x3f800800), S(0x3f800800), S(0x80000000), S(0x3f801001), NX),
    T(fmadd_s, RNE, S(0x3f800800), S(0x3f800800), S(0x80000000), S(0x3f801000), NX),
    /* the product tie of mul_cases, nudged by an addend far below it: the sticky bit */
    T(fmadd_d, RNE, D_1P26, D_1P27, D_NZERO, 0x3ff0000006000000, NX),
    T(fmadd_d, RMM, D_1P26, D_1P27, D_NZERO, 0x3ff0000006000001, NX),
    T(fmadd_d, RNE, D_1P26, D_1P27, D_2M200, 0x3ff0000006000001, NX),
    T(fmadd_d, RTZ, D_1P26, D_1P27, D_2M200, 0x3ff0000006000000, NX),
    T(fmadd_d, RMM, D_1P26, D_1P27, D_2M200, 0x3ff0000006000001, NX),
    T(fmadd_d, RNE, D_1P26, D_1P27, D_M2M200, 0x3ff0000006000000, NX),
    T(fmadd_d, RMM, D_1P26, D_1P27, D_M2M200, 0x3ff0000006000000, NX),
    T(fmadd_d, RUP, D_1P26, D_1P27, D_M2M200, 0x3ff0000006000001, NX),
    /* NV for inf*0 even when the addend is a quiet NaN (11.6) */
    T(fmadd_s, RNE, S(S_INF), S(0), S(S_QNAN), CN_S, NV),
    T(fmadd_d, RNE, 0, D_NINF, D_QNAN, CN_D, NV),
    T(fmadd_d, RMM, D_INF, 0, D_QNAN, CN_D, NV),
    T(fnmsub_s, RTZ, S(0), S(S_INF), S(0x7fc12345), CN_S, NV),
    T(fmadd_d, RNE, D_ONE, D_ONE, D_QNAN, CN_D, 0),
    T(fmadd_d, RNE, D_QNAN, 0, D_ONE, CN_D, 0),
    T(fmadd_s, RNE, S(S_ONE), S(S_SNAN), S(S_ONE), CN_S, NV),
    T(fmadd_s, RNE, S(S_ONE), S(S_ONE), S(S_SNAN), CN_S, NV),
    T(fmadd_d, RNE, D_INF, 0, D_ONE, CN_D, NV),
    T(fmadd_d, RNE, D_INF, D_ONE, D_NINF, CN_D, NV),
    T(fmsub_d, RNE, D_INF, D_ONE, D_INF, CN_D, NV),
    T(fmadd_d, RNE, D_INF, D_ONE, D_INF, D_INF, 0),
    T(fmadd_d, RNE, D_ONE, D_ONE, D_NINF, D_NINF, 0),
    T(fmadd_s, RNE, BAD_BOX, S(S_ONE), S(S_ONE), CN_S, 0),
    /* signed zeros */
    T(fmadd_d, RNE, 0, D_MONE, 0, 0, 0),
    T(fmadd_d, RDN, 0, D_MONE, 0, D_NZERO, 0),
    T(fmadd_d, RNE, D_NZERO, D_ONE, D_NZERO, D_NZERO, 0),
    T(fmadd_s, RNE, S(S_ONE), S(S_ONE), S(0xbf800000), S(0), 0),
    T(fmadd_s, RDN, S(S_ONE), S(S_ONE), S(0xbf800000), S(0x80000000), 0),
    T(fmadd_s, RMM, S(S_ONE), S(S_ONE), S(0xbf800000), S(0), 0),
    T(fnmadd_s, RNE, S(0), S(S_ONE), S(0), S(0x80000000), 0),
    T(fnmsub_s, RNE, S(0), S(S_ONE), S(0), S(0), 0),
    T(fnmsub_s, RDN, S(0), S(S_ONE), S(0), S(0x80000000), 0),
    T(fmsub_d, RNE, D_ONE, D_ONE, D_ONE, 0, 0),
    T(fmsub_d, RDN, D_ONE, D_ONE, D_ONE, D_NZERO, 0),
    /* a zero product leaves the addend exact; an underflowing product keeps its sign */
    T(fmadd_d, RNE, 0, D_MAX, 1, 1, 0),
    T(fmsub_s, RNE, S(0), S(S_ONE), S(1), S(0x80000001), 0),
    T(fmadd_s, RNE, S(1), S(S_HALF), S(0), S(0), UF | NX),
    T(fmadd_s, RNE, S(0x80000001), S(S_HALF), S(0), S(0x80000000), UF | NX),
    T(fmadd_s, RMM, S(0x80000001), S(S_HALF), S(0), S(0x80000001), UF | NX),
    /* overflow */
    T(fmadd_d, RNE, D_MAX, D_TWO, 0xffefffffffffffff, D_MAX, 0),
    T(fmadd_d, RNE, D_MAX, D_TWO, 0, D_INF, OF | NX),
    T(fmadd_d, RTZ, D_MAX, D_TWO, 0, D_MAX, OF | NX),
    T(fmadd_d, RMM, D_MAX, D_TWO, 0, D_INF, OF | NX),
    T(fmadd_s, RDN, S(S_MAX), S(S_TWO), S(S_ONE), S(S_MAX), OF | NX),
    /* tininess after rounding, subnormal results */
    T(fmadd_d, RNE, 0x3feffffffffffffe, 0x0010000000000001, 0, 0x0010000000000000, NX),
    T(fmadd_d, RNE, 0x3fefffffffffffff, 0x0010000000000000, 0, 0x0010000000000000, UF | NX),
    T(fmadd_d, RNE, 0x0010000000000000, 0x3ff0000000000001, 0x8010000000000000, 1, 0),
    T(fmadd_d, RNE, 0x0010000000000001, D_HALF, 0, 0x0008000000000000, UF | NX),
    T(fmadd_d, RMM, 0x0010000000000001, D_HALF, 0, 0x0008000000000001, UF | NX),
    T(fmadd_d, RMM, 0x0010000000000001, D_HALF, D_NZERO, 0x0008000000000001, UF | NX),
};

/* ---- Conversions to integers: table 11.4, rounding, sign extension ---- */
static const FpCase to_int_cases[] = {
    /* 1.5, 2.5, -2.5, -0.5 in every mode */
    T(fcvt_w_s, RNE, S(0x3fc00000), 0, 0, 2, NX),
    T(fcvt_w_s, RTZ, S(0x3fc00000), 0, 0, 1, NX),
    T(fcvt_w_s, RDN, S(0x3fc00000), 0, 0, 1, NX),
    T(fcvt_w_s, RUP, S(0x3fc00000), 0, 0, 2, NX),
    T(fcvt_w_s, RMM, S(0x3fc00000), 0, 0, 2, NX),
    T(fcvt_w_s, RNE, S(0x40200000), 0, 0, 2, NX),
    T(fcvt_w_s, RTZ, S(0x40200000), 0, 0, 2, NX),
    T(fcvt_w_s, RDN, S(0x40200000), 0, 0, 2, NX),
    T(fcvt_w_s, RUP, S(0x40200000), 0, 0, 3, NX),
    T(fcvt_w_s, RMM, S(0x40200000), 0, 0, 3, NX),
    T(fcvt_w_s, RNE, S(0xc0200000), 0, 0, 0xfffffffffffffffe, NX),
    T(fcvt_w_s, RTZ, S(0xc0200000), 0, 0, 0xfffffffffffffffe, NX),
    T(fcvt_w_s, RDN, S(0xc0200000), 0, 0, 0xfffffffffffffffd, NX),
    T(fcvt_w_s, RUP, S(0xc0200000), 0, 0, 0xfffffffffffffffe, NX),
    T(fcvt_w_s, RMM, S(0xc0200000), 0, 0, 0xfffffffffffffffd, NX),
    T(fcvt_w_s, RNE, S(0xbf000000), 0, 0, 0, NX),
    T(fcvt_w_s, RMM, S(0xbf000000), 0, 0, ~0ULL, NX),
    T(fcvt_w_s, RDN, S(0xbf000000), 0, 0, ~0ULL, NX),
    T(fcvt_w_s, RUP, S(0xbf000000), 0, 0, 0, NX),
    /* limits of W */
    T(fcvt_w_s, RNE, S(0x4f000000), 0, 0, 0x7fffffff, NV),
    T(fcvt_w_s, RNE, S(0xcf000000), 0, 0, 0xffffffff80000000, 0),
    T(fcvt_w_s, RNE, S(0xcf000001), 0, 0, 0xffffffff80000000, NV),
    T(fcvt_w_s, RNE, S(0x4effffff), 0, 0, 0x7fffff80, 0),
    T(fcvt_w_s, RNE, S(S_INF), 0, 0, 0x7fffffff, NV),
    T(fcvt_w_s, RNE, S(S_NINF), 0, 0, 0xffffffff80000000, NV),
    T(fcvt_w_s, RNE, S(S_QNAN), 0, 0, 0x7fffffff, NV),
    T(fcvt_w_s, RNE, S(0xffc00000), 0, 0, 0x7fffffff, NV),
    T(fcvt_w_s, RNE, S(0xff800001), 0, 0, 0x7fffffff, NV),
    T(fcvt_w_s, RNE, BAD_BOX, 0, 0, 0x7fffffff, NV),
    T(fcvt_w_s, RNE, S(0x80000000), 0, 0, 0, 0),
    T(fcvt_w_s, RNE, S(1), 0, 0, 0, NX),
    T(fcvt_w_s, RUP, S(1), 0, 0, 1, NX),
    T(fcvt_w_s, RDN, S(0x80000001), 0, 0, ~0ULL, NX),
    /* WU: a negative value that rounds to 0 is exact 0 with NX only; to -1, NV */
    T(fcvt_wu_s, RNE, S(0xbf000000), 0, 0, 0, NX),
    T(fcvt_wu_s, RTZ, S(0xbf000000), 0, 0, 0, NX),
    T(fcvt_wu_s, RDN, S(0xbf000000), 0, 0, 0, NV),
    T(fcvt_wu_s, RMM, S(0xbf000000), 0, 0, 0, NV),
    T(fcvt_wu_s, RUP, S(0xbf400000), 0, 0, 0, NX),
    T(fcvt_wu_s, RNE, S(0xbf400000), 0, 0, 0, NV),
    T(fcvt_wu_s, RNE, S(0xbf800000), 0, 0, 0, NV),
    T(fcvt_wu_s, RNE, S(0x80000000), 0, 0, 0, 0),
    T(fcvt_wu_s, RNE, S(0x4f800000), 0, 0, ~0ULL, NV),
    T(fcvt_wu_s, RNE, S(0x4f7fffff), 0, 0, 0xffffffffffffff00, 0), /* sign-extended */
    T(fcvt_wu_s, RNE, S(0x4f32d05e), 0, 0, 0xffffffffb2d05e00, 0), /* 3e9 */
    T(fcvt_wu_s, RNE, S(S_QNAN), 0, 0, ~0ULL, NV),
    T(fcvt_wu_s, RNE, S(S_NINF), 0, 0, 0, NV),
    T(fcvt_wu_s, RNE, S(S_INF), 0, 0, ~0ULL, NV),
    T(fcvt_wu_s, RNE, S(0x3fc00000), 0, 0, 2, NX),
    /* L and LU */
    T(fcvt_l_s, RNE, S(0x5f000000), 0, 0, 0x7fffffffffffffff, NV),
    T(fcvt_l_s, RNE, S(0xdf000000), 0, 0, 0x8000000000000000, 0),
    T(fcvt_l_s, RNE, S(0xdf000001), 0, 0, 0x8000000000000000, NV),
    T(fcvt_l_s, RNE, S(0x5effffff), 0, 0, 0x7fffff8000000000, 0),
    T(fcvt_l_s, RMM, S(0x40200000), 0, 0, 3, NX),
    T(fcvt_l_s, RNE, S(S_QNAN), 0, 0, 0x7fffffffffffffff, NV),
    T(fcvt_l_s, RNE, S(S_NINF), 0, 0, 0x8000000000000000, NV),
    T(fcvt_lu_s, RNE, S(0x5f800000), 0, 0, ~0ULL, NV),
    T(fcvt_lu_s, RNE, S(0x5f7fffff), 0, 0, 0xffffff0000000000, 0),
    T(fcvt_lu_s, RNE, S(0xbf800000), 0, 0, 0, NV),
    T(fcvt_lu_s, RNE, S(0xbf000000), 0, 0, 0, NX),
    T(fcvt_lu_s, RNE, S(S_NINF), 0, 0, 0, NV),
    T(fcvt_lu_s, RNE, S(S_QNAN), 0, 0, ~0ULL, NV),
    T(fcvt_lu_s, RNE, S(0x3fc00000), 0, 0, 2, NX),
    /* 2^31 - 0.5 rounds to 2^31 (out of range) in RNE/RUP/RMM, stays in range otherwise */
    T(fcvt_w_d, RNE, 0x41dfffffffe00000, 0, 0, 0x7fffffff, NV),
    T(fcvt_w_d, RTZ, 0x41dfffffffe00000, 0, 0, 0x7fffffff, NX),
    T(fcvt_w_d, RDN, 0x41dfffffffe00000, 0, 0, 0x7fffffff, NX),
    T(fcvt_w_d, RUP, 0x41dfffffffe00000, 0, 0, 0x7fffffff, NV),
    T(fcvt_w_d, RMM, 0x41dfffffffe00000, 0, 0, 0x7fffffff, NV),
    /* -2^31 - 0.5: the tie goes to the even -2^31 in RNE, away (out of range) in RMM */
    T(fcvt_w_d, RNE, 0xc1e0000000100000, 0, 0, 0xffffffff80000000, NX),
    T(fcvt_w_d, RTZ, 0xc1e0000000100000, 0, 0, 0xffffffff80000000, NX),
    T(fcvt_w_d, RDN, 0xc1e0000000100000, 0, 0, 0xffffffff80000000, NV),
    T(fcvt_w_d, RUP, 0xc1e0000000100000, 0, 0, 0xffffffff80000000, NX),
    T(fcvt_w_d, RMM, 0xc1e0000000100000, 0, 0, 0xffffffff80000000, NV),
    T(fcvt_w_d, RNE, 0x41dfffffffc00000, 0, 0, 0x7fffffff, 0),
    T(fcvt_w_d, RNE, 0x41e0000000000000, 0, 0, 0x7fffffff, NV),
    T(fcvt_w_d, RNE, 0xc1e0000000000000, 0, 0, 0xffffffff80000000, 0),
    T(fcvt_w_d, RNE, D_QNAN, 0, 0, 0x7fffffff, NV),
    T(fcvt_w_d, RNE, 0xfff8000000000000, 0, 0, 0x7fffffff, NV),
    T(fcvt_w_d, RNE, D_SNAN, 0, 0, 0x7fffffff, NV),
    T(fcvt_w_d, RNE, D_NINF, 0, 0, 0xffffffff80000000, NV),
    T(fcvt_w_d, RNE, D_INF, 0, 0, 0x7fffffff, NV),
    T(fcvt_w_d, RNE, D_HALF, 0, 0, 0, NX),
    T(fcvt_w_d, RMM, D_HALF, 0, 0, 1, NX),
    T(fcvt_w_d, RUP, D_HALF, 0, 0, 1, NX),
    T(fcvt_w_d, RNE, 0x3ff8000000000000, 0, 0, 2, NX),
    T(fcvt_w_d, RNE, 0x4004000000000000, 0, 0, 2, NX),
    T(fcvt_w_d, RMM, 0x4004000000000000, 0, 0, 3, NX),
    T(fcvt_w_d, RNE, 1, 0, 0, 0, NX),
    T(fcvt_w_d, RUP, 1, 0, 0, 1, NX),
    T(fcvt_w_d, RDN, 0x8000000000000001, 0, 0, ~0ULL, NX),
    T(fcvt_w_d, RTZ, 0x8000000000000001, 0, 0, 0, NX),
    /* 2^32 - 0.5 */
    T(fcvt_wu_d, RNE, 0x41effffffff00000, 0, 0, ~0ULL, NV),
    T(fcvt_wu_d, RTZ, 0x41effffffff00000, 0, 0, ~0ULL, NX),
    T(fcvt_wu_d, RNE, 0x41efffffffe00000, 0, 0, ~0ULL, 0),
    T(fcvt_wu_d, RNE, 0xbfe0000000000000, 0, 0, 0, NX),
    T(fcvt_wu_d, RDN, 0xbfe0000000000000, 0, 0, 0, NV),
    T(fcvt_wu_d, RNE, D_MONE, 0, 0, 0, NV),
    T(fcvt_wu_d, RNE, 0x41e0000000000000, 0, 0, 0xffffffff80000000, 0),
    T(fcvt_wu_d, RNE, D_QNAN, 0, 0, ~0ULL, NV),
    T(fcvt_wu_d, RNE, D_NINF, 0, 0, 0, NV),
    T(fcvt_wu_d, RNE, D_NZERO, 0, 0, 0, 0),
    T(fcvt_wu_d, RNE, 0x8000000000000001, 0, 0, 0, NX),
    T(fcvt_wu_d, RDN, 0x8000000000000001, 0, 0, 0, NV),
    T(fcvt_l_d, RNE, 0x43e0000000000000, 0, 0, 0x7fffffffffffffff, NV),
    T(fcvt_l_d, RNE, 0xc3e0000000000000, 0, 0, 0x8000000000000000, 0),
    T(fcvt_l_d, RNE, 0xc3e0000000000001, 0, 0, 0x8000000000000000, NV),
    T(fcvt_l_d, RNE, 0x43dfffffffffffff, 0, 0, 0x7ffffffffffffc00, 0),
    T(fcvt_l_d, RNE, D_QNAN, 0, 0, 0x7fffffffffffffff, NV),
    T(fcvt_l_d, RNE, D_INF, 0, 0, 0x7fffffffffffffff, NV),
    T(fcvt_l_d, RNE, D_NINF, 0, 0, 0x8000000000000000, NV),
    T(fcvt_l_d, RNE, D_MAX, 0, 0, 0x7fffffffffffffff, NV),
    T(fcvt_l_d, RMM, 0xc004000000000000, 0, 0, 0xfffffffffffffffd, NX),
    T(fcvt_l_d, RNE, 0xc004000000000000, 0, 0, 0xfffffffffffffffe, NX),
    T(fcvt_lu_d, RNE, 0x43f0000000000000, 0, 0, ~0ULL, NV),
    T(fcvt_lu_d, RNE, 0x43efffffffffffff, 0, 0, 0xfffffffffffff800, 0),
    T(fcvt_lu_d, RNE, D_MONE, 0, 0, 0, NV),
    T(fcvt_lu_d, RUP, 0xbfe8000000000000, 0, 0, 0, NX),
    T(fcvt_lu_d, RNE, 0xbfe8000000000000, 0, 0, 0, NV),
    T(fcvt_lu_d, RNE, D_QNAN, 0, 0, ~0ULL, NV),
    T(fcvt_lu_d, RNE, D_NINF, 0, 0, 0, NV),
    T(fcvt_lu_d, RNE, D_INF, 0, 0, ~0ULL, NV),
    T(fcvt_lu_d, RMM, D_HALF, 0, 0, 1, NX),
};

/* ---- Conversions from integers, and between formats ---- */
static const FpCase cvt_cases[] = {
    /* 2^24 + 1 is a tie in binary32 */
    T(fcvt_s_w, RNE, 0x1000001, 0, 0, S(0x4b800000), NX),
    T(fcvt_s_w, RTZ, 0x1000001, 0, 0, S(0x4b800000), NX),
    T(fcvt_s_w, RDN, 0x1000001, 0, 0, S(0x4b800000), NX),
    T(fcvt_s_w, RUP, 0x1000001, 0, 0, S(0x4b800001), NX),
    T(fcvt_s_w, RMM, 0x1000001, 0, 0, S(0x4b800001), NX),
    T(fcvt_s_w, RNE, 0xfffffffffeffffff, 0, 0, S(0xcb800000), NX),
    T(fcvt_s_w, RDN, 0xfffffffffeffffff, 0, 0, S(0xcb800001), NX),
    T(fcvt_s_w, RUP, 0xfffffffffeffffff, 0, 0, S(0xcb800000), NX),
    T(fcvt_s_w, RMM, 0xfffffffffeffffff, 0, 0, S(0xcb800001), NX),
    T(fcvt_s_w, RNE, 0x1000003, 0, 0, S(0x4b800002), NX),
    T(fcvt_s_w, RMM, 0x1000003, 0, 0, S(0x4b800002), NX),
    /* W sources use the low 32 bits only */
    T(fcvt_s_w, RNE, 0x1234567800000001, 0, 0, S(S_ONE), 0),
    T(fcvt_s_w, RNE, 0x00000000ffffffff, 0, 0, S(0xbf800000), 0),
    T(fcvt_s_w, RNE, 0, 0, 0, S(0), 0),
    T(fcvt_s_w, RNE, 0x80000000, 0, 0, S(0xcf000000), 0),
    T(fcvt_s_wu, RNE, 0x00000000ffffffff, 0, 0, S(0x4f800000), NX),
    T(fcvt_s_wu, RTZ, 0x00000000ffffffff, 0, 0, S(0x4f7fffff), NX),
    T(fcvt_s_wu, RNE, 0xffffffff80000000, 0, 0, S(0x4f000000), 0),
    T(fcvt_s_l, RNE, 0x8000000000000000, 0, 0, S(0xdf000000), 0),
    T(fcvt_s_l, RNE, 0x7fffffffffffffff, 0, 0, S(0x5f000000), NX),
    T(fcvt_s_l, RTZ, 0x7fffffffffffffff, 0, 0, S(0x5effffff), NX),
    T(fcvt_s_l, RNE, ~0ULL, 0, 0, S(0xbf800000), 0),
    T(fcvt_s_lu, RNE, ~0ULL, 0, 0, S(0x5f800000), NX),
    T(fcvt_s_lu, RTZ, ~0ULL, 0, 0, S(0x5f7fffff), NX),
    T(fcvt_s_lu, RDN, ~0ULL, 0, 0, S(0x5f7fffff), NX),
    T(fcvt_s_lu, RMM, ~0ULL, 0, 0, S(0x5f800000), NX),
    /* 2^53 + 1 is a tie in binary64 */
    T(fcvt_d_l, RNE, 0x20000000000001, 0, 0, 0x4340000000000000, NX),
    T(fcvt_d_l, RTZ, 0x20000000000001, 0, 0, 0x4340000000000000, NX),
    T(fcvt_d_l, RUP, 0x20000000000001, 0, 0, 0x4340000000000001, NX),
    T(fcvt_d_l, RMM, 0x20000000000001, 0, 0, 0x4340000000000001, NX),
    T(fcvt_d_l, RNE, 0xffdfffffffffffff, 0, 0, 0xc340000000000000, NX),
    T(fcvt_d_l, RDN, 0xffdfffffffffffff, 0, 0, 0xc340000000000001, NX),
    T(fcvt_d_l, RUP, 0xffdfffffffffffff, 0, 0, 0xc340000000000000, NX),
    T(fcvt_d_l, RMM, 0xffdfffffffffffff, 0, 0, 0xc340000000000001, NX),
    T(fcvt_d_lu, RNE, ~0ULL, 0, 0, 0x43f0000000000000, NX),
    T(fcvt_d_lu, RTZ, ~0ULL, 0, 0, 0x43efffffffffffff, NX),
    T(fcvt_d_l, RNE, 0x8000000000000000, 0, 0, 0xc3e0000000000000, 0),
    T(fcvt_d_w, RNE, 0x80000000, 0, 0, 0xc1e0000000000000, 0),
    T(fcvt_d_w, RNE, 0xffffffff7fffffff, 0, 0, 0x41dfffffffc00000, 0),
    T(fcvt_d_wu, RNE, 0xffffffff, 0, 0, 0x41efffffffe00000, 0),
    T(fcvt_d_w, RNE, 0, 0, 0, 0, 0),
    T(fcvt_d_lu, RNE, 1, 0, 0, D_ONE, 0),
    /* double to single: 1 + 2^-24 is a tie */
    T(fcvt_s_d, RNE, 0x3ff0000010000000, 0, 0, S(S_ONE), NX),
    T(fcvt_s_d, RTZ, 0x3ff0000010000000, 0, 0, S(S_ONE), NX),
    T(fcvt_s_d, RDN, 0x3ff0000010000000, 0, 0, S(S_ONE), NX),
    T(fcvt_s_d, RUP, 0x3ff0000010000000, 0, 0, S(0x3f800001), NX),
    T(fcvt_s_d, RMM, 0x3ff0000010000000, 0, 0, S(0x3f800001), NX),
    T(fcvt_s_d, RMM, 0xbff0000010000000, 0, 0, S(0xbf800001), NX),
    T(fcvt_s_d, RNE, 0xbff0000010000000, 0, 0, S(0xbf800000), NX),
    T(fcvt_s_d, RNE, D_MAX, 0, 0, S(S_INF), OF | NX),
    T(fcvt_s_d, RTZ, D_MAX, 0, 0, S(S_MAX), OF | NX),
    T(fcvt_s_d, RDN, D_MAX, 0, 0, S(S_MAX), OF | NX),
    T(fcvt_s_d, RUP, D_MAX, 0, 0, S(S_INF), OF | NX),
    T(fcvt_s_d, RMM, D_MAX, 0, 0, S(S_INF), OF | NX),
    T(fcvt_s_d, RNE, 0x3690000000000000, 0, 0, S(0), UF | NX), /* 2^-150 */
    T(fcvt_s_d, RTZ, 0x3690000000000000, 0, 0, S(0), UF | NX),
    T(fcvt_s_d, RDN, 0x3690000000000000, 0, 0, S(0), UF | NX),
    T(fcvt_s_d, RUP, 0x3690000000000000, 0, 0, S(1), UF | NX),
    T(fcvt_s_d, RMM, 0x3690000000000000, 0, 0, S(1), UF | NX),
    T(fcvt_s_d, RNE, 0x36a0000000000000, 0, 0, S(1), 0), /* 2^-149, exact */
    T(fcvt_s_d, RNE, 0x380fffffffffffff, 0, 0, S(0x00800000), NX), /* not tiny after rounding */
    T(fcvt_s_d, RTZ, 0x380fffffffffffff, 0, 0, S(0x007fffff), UF | NX),
    T(fcvt_s_d, RMM, 0x380fffffffffffff, 0, 0, S(0x00800000), NX),
    T(fcvt_s_d, RNE, 0x380fffffe0000000, 0, 0, S(0x00800000), UF | NX), /* tiny, rounds up */
    T(fcvt_s_d, RNE, D_NZERO, 0, 0, S(0x80000000), 0),
    T(fcvt_s_d, RNE, D_SNAN, 0, 0, CN_S, NV),
    T(fcvt_s_d, RMM, D_SNAN, 0, 0, CN_S, NV),
    T(fcvt_s_d, RNE, 0x7ff8000000012345, 0, 0, CN_S, 0),
    T(fcvt_s_d, RNE, D_NINF, 0, 0, S(S_NINF), 0),
    T(fcvt_s_d, RNE, 1, 0, 0, S(0), UF | NX),
    T(fcvt_s_d, RUP, 1, 0, 0, S(1), UF | NX),
    /* single to double is exact */
    T(fcvt_d_s, RNE, S(1), 0, 0, 0x36a0000000000000, 0),
    T(fcvt_d_s, RNE, S(0x007fffff), 0, 0, 0x380fffffc0000000, 0),
    T(fcvt_d_s, RNE, S(S_ONE), 0, 0, D_ONE, 0),
    T(fcvt_d_s, RNE, S(S_MAX), 0, 0, 0x47efffffe0000000, 0),
    T(fcvt_d_s, RNE, S(S_SNAN), 0, 0, CN_D, NV),
    T(fcvt_d_s, RNE, S(0x7fc12345), 0, 0, CN_D, 0),
    T(fcvt_d_s, RNE, S(S_NINF), 0, 0, D_NINF, 0),
    T(fcvt_d_s, RNE, S(0x80000000), 0, 0, D_NZERO, 0),
    T(fcvt_d_s, RNE, BAD_BOX, 0, 0, CN_D, 0),
};

/* ---- fmin/fmax (minimumNumber/maximumNumber), sign injection, moves ---- */
static const FpCase minmax_cases[] = {
    T(fmin_s, 0, S(S_ONE), S(S_TWO), 0, S(S_ONE), 0),
    T(fmax_s, 0, S(S_ONE), S(S_TWO), 0, S(S_TWO), 0),
    T(fmin_s, 0, S(0x80000000), S(0), 0, S(0x80000000), 0),
    T(fmin_s, 0, S(0), S(0x80000000), 0, S(0x80000000), 0),
    T(fmax_s, 0, S(0x80000000), S(0), 0, S(0), 0),
    T(fmax_s, 0, S(0), S(0x80000000), 0, S(0), 0),
    T(fmin_s, 0, S(S_QNAN), S(S_ONE), 0, S(S_ONE), 0),
    T(fmin_s, 0, S(S_ONE), S(0x7fc12345), 0, S(S_ONE), 0),
    T(fmin_s, 0, S(S_SNAN), S(S_ONE), 0, S(S_ONE), NV),
    T(fmax_s, 0, S(S_ONE), S(S_SNAN), 0, S(S_ONE), NV),
    T(fmin_s, 0, S(S_QNAN), S(S_QNAN), 0, CN_S, 0),
    T(fmax_s, 0, S(S_SNAN), S(S_QNAN), 0, CN_S, NV),
    T(fmin_s, 0, S(0x7fc12345), S(0xffc00000), 0, CN_S, 0),
    T(fmin_s, 0, S(0xbf800000), S(0xc0000000), 0, S(0xc0000000), 0),
    T(fmax_s, 0, S(0xbf800000), S(0xc0000000), 0, S(0xbf800000), 0),
    T(fmin_s, 0, S(S_NINF), S(S_ONE), 0, S(S_NINF), 0),
    T(fmax_s, 0, S(S_INF), S(S_QNAN), 0, S(S_INF), 0),
    T(fmin_s, 0, BAD_BOX, S(S_ONE), 0, S(S_ONE), 0),
    T(fmax_s, 0, S(1), S(0x80000001), 0, S(1), 0),
    T(fmin_s, 0, S(0x7fc12345), S(0x80000000), 0, S(0x80000000), 0),
    T(fmin_d, 0, D_ONE, D_TWO, 0, D_ONE, 0),
    T(fmax_d, 0, D_ONE, D_TWO, 0, D_TWO, 0),
    T(fmin_d, 0, D_NZERO, 0, 0, D_NZERO, 0),
    T(fmax_d, 0, D_NZERO, 0, 0, 0, 0),
    T(fmin_d, 0, D_QNAN, D_MONE, 0, D_MONE, 0),
    T(fmax_d, 0, D_SNAN, D_ONE, 0, D_ONE, NV),
    T(fmin_d, 0, D_QNAN, D_SNAN, 0, CN_D, NV),
    T(fmax_d, 0, 0x7ff8000000012345, 0xfff8000000000000, 0, CN_D, 0),
    T(fmin_d, 0, D_NINF, 0xffefffffffffffff, 0, D_NINF, 0),
    /* sign injection: bit operations, no flags, no canonicalisation; but a bad box still
     * reads as the canonical NaN */
    T(fsgnj_s, 0, S(S_ONE), S(0xc0000000), 0, S(0xbf800000), 0),
    T(fsgnjn_s, 0, S(S_ONE), S(0xc0000000), 0, S(S_ONE), 0),
    T(fsgnjx_s, 0, S(0xbf800000), S(0xc0000000), 0, S(S_ONE), 0),
    T(fsgnj_s, 0, S(S_SNAN), S(0x80000000), 0, S(0xff800001), 0),
    T(fsgnjn_s, 0, BAD_BOX, BAD_BOX, 0, S(0xffc00000), 0),
    T(fsgnj_s, 0, S(S_ONE), 0x00000000bf800000, 0, S(S_ONE), 0),
    T(fsgnjx_s, 0, S(0x7fc12345), S(0x80000000), 0, S(0xffc12345), 0),
    T(fsgnj_d, 0, D_ONE, D_NZERO, 0, D_MONE, 0),
    T(fsgnjn_d, 0, D_SNAN, D_ONE, 0, 0xfff0000000000001, 0),
    T(fsgnjx_d, 0, D_MONE, D_MONE, 0, D_ONE, 0),
    T(fsgnj_d, 0, S(S_ONE), 0, 0, 0x7fffffff3f800000, 0),
    /* moves: transfers take bits as they are (12.2) */
    T(fmv_x_w, 0, S(0xbf800000), 0, 0, 0xffffffffbf800000, 0),
    T(fmv_x_w, 0, S(S_ONE), 0, 0, 0x3f800000, 0),
    T(fmv_x_w, 0, 0x123456789abcdef0, 0, 0, 0xffffffff9abcdef0, 0),
    T(fmv_x_w, 0, S(S_SNAN), 0, 0, 0x7f800001, 0),
    T(fmv_w_x, 0, 0x12345678bf800000, 0, 0, S(0xbf800000), 0),
    T(fmv_w_x, 0, 0x7f800001, 0, 0, S(0x7f800001), 0),
    T(fmv_x_d, 0, D_SNAN, 0, 0, D_SNAN, 0),
    T(fmv_d_x, 0, D_SNAN, 0, 0, D_SNAN, 0),
};

/* ---- Comparisons (feq quiet, flt/fle signaling) and fclass (table 11.5) ---- */
static const FpCase cmp_cases[] = {
    T(feq_s, 0, S(S_ONE), S(S_ONE), 0, 1, 0),
    T(feq_s, 0, S(0), S(0x80000000), 0, 1, 0),
    T(flt_s, 0, S(0x80000000), S(0), 0, 0, 0),
    T(fle_s, 0, S(0x80000000), S(0), 0, 1, 0),
    T(feq_s, 0, S(S_QNAN), S(S_ONE), 0, 0, 0),
    T(feq_s, 0, S(S_SNAN), S(S_ONE), 0, 0, NV),
    T(feq_s, 0, S(S_ONE), S(S_SNAN), 0, 0, NV),
    T(feq_s, 0, S(S_QNAN), S(S_QNAN), 0, 0, 0),
    T(flt_s, 0, S(S_QNAN), S(S_ONE), 0, 0, NV),
    T(fle_s, 0, S(S_ONE), S(S_QNAN), 0, 0, NV),
    T(fle_s, 0, S(S_SNAN), S(S_ONE), 0, 0, NV),
    T(flt_s, 0, S(S_NINF), S(S_INF), 0, 1, 0),
    T(flt_s, 0, S(0xc0000000), S(0xbf800000), 0, 1, 0),
    T(fle_s, 0, S(0xbf800000), S(0xc0000000), 0, 0, 0),
    T(flt_s, 0, S(S_ONE), S(S_ONE), 0, 0, 0),
    T(fle_s, 0, S(S_ONE), S(S_ONE), 0, 1, 0),
    T(flt_s, 0, S(1), S(2), 0, 1, 0),
    T(flt_s, 0, S(0x80000001), S(0), 0, 1, 0),
    T(flt_s, 0, S(0x80000000), S(0x80000001), 0, 0, 0),
    T(feq_s, 0, BAD_BOX, BAD_BOX, 0, 0, 0),
    T(flt_s, 0, BAD_BOX, S(S_ONE), 0, 0, NV),
    T(feq_d, 0, D_ONE, D_ONE, 0, 1, 0),
    T(feq_d, 0, D_NZERO, 0, 0, 1, 0),
    T(flt_d, 0, D_QNAN, D_ONE, 0, 0, NV),
    T(feq_d, 0, D_SNAN, D_SNAN, 0, 0, NV),
    T(feq_d, 0, D_QNAN, D_QNAN, 0, 0, 0),
    T(fle_d, 0, D_MAX, D_INF, 0, 1, 0),
    T(flt_d, 0, D_INF, D_INF, 0, 0, 0),
    T(fle_d, 0, D_INF, D_INF, 0, 1, 0),
    T(flt_d, 0, D_MONE, D_NZERO, 0, 1, 0),
    T(fle_d, 0, 1, 0, 0, 0, 0),
    T(fle_d, 0, 0, 1, 0, 1, 0),
    T(fclass_s, 0, S(S_NINF), 0, 0, 0x001, 0),
    T(fclass_s, 0, S(0xbf800000), 0, 0, 0x002, 0),
    T(fclass_s, 0, S(0x807fffff), 0, 0, 0x004, 0),
    T(fclass_s, 0, S(0x80000000), 0, 0, 0x008, 0),
    T(fclass_s, 0, S(0), 0, 0, 0x010, 0),
    T(fclass_s, 0, S(1), 0, 0, 0x020, 0),
    T(fclass_s, 0, S(S_ONE), 0, 0, 0x040, 0),
    T(fclass_s, 0, S(S_INF), 0, 0, 0x080, 0),
    T(fclass_s, 0, S(S_SNAN), 0, 0, 0x100, 0),
    T(fclass_s, 0, S(S_QNAN), 0, 0, 0x200, 0),
    T(fclass_s, 0, S(0xffc00000), 0, 0, 0x200, 0),
    T(fclass_s, 0, S(0xff800001), 0, 0, 0x100, 0),
    T(fclass_s, 0, S(0x00800000), 0, 0, 0x040, 0),
    T(fclass_s, 0, S(S_MAX), 0, 0, 0x040, 0),
    T(fclass_s, 0, BAD_BOX, 0, 0, 0x200, 0),
    T(fclass_d, 0, D_NINF, 0, 0, 0x001, 0),
    T(fclass_d, 0, D_MONE, 0, 0, 0x002, 0),
    T(fclass_d, 0, 0x800fffffffffffff, 0, 0, 0x004, 0),
    T(fclass_d, 0, D_NZERO, 0, 0, 0x008, 0),
    T(fclass_d, 0, 0, 0, 0, 0x010, 0),
    T(fclass_d, 0, 1, 0, 0, 0x020, 0),
    T(fclass_d, 0, D_ONE, 0, 0, 0x040, 0),
    T(fclass_d, 0, D_INF, 0, 0, 0x080, 0),
    T(fclass_d, 0, D_SNAN, 0, 0, 0x100, 0),
    T(fclass_d, 0, D_QNAN, 0, 0, 0x200, 0),
    T(fclass_d, 0, 0x7ff4000000000000, 0, 0, 0x100, 0),
    T(fclass_d, 0, S(S_ONE), 0, 0, 0x200, 0),
};

typedef struct FpTable {
    const char *name;
    const FpCase *rows;
    size_t n;
} FpTable;

static const FpTable fp_tables[] = {
    { "add", add_cases, ARRAY_SIZE(add_cases) },
    { "mul", mul_cases, ARRAY_SIZE(mul_cases) },
    { "div", div_cases, ARRAY_SIZE(div_cases) },
    { "sqrt", sqrt_cases, ARRAY_SIZE(sqrt_cases) },
    { "fma", fma_cases, ARRAY_SIZE(fma_cases) },
    { "to_int", to_int_cases, ARRAY_SIZE(to_int_cases) },
    { "cvt", cvt_cases, ARRAY_SIZE(cvt_cases) },
    { "minmax", minmax_cases, ARRAY_SIZE(minmax_cases) },
    { "cmp", cmp_cases, ARRAY_SIZE(cmp_cases) },
};

static RvHart *hart_new(void)
{
    RvHart *h = calloc(1, sizeof(*h));
    h->tlb_data = h->tlb_bank[0].t[0]; /* the loads and stores reach only this table */
    for (unsigned k = 0; k < RV_TLB_SIZE; k++)
        for (unsigned a = 0; a < 3; a++)
            h->tlb_data[k].tag[a] = RV_TLB_INVALID;
    h->mstatus = MSTATUS_FS_INITIAL;
    return h;
}

static bool op_has_rm(unsigned op)
{
    return !(rv_insn_table[op].mask & (7u << 12));
}

/* FCVT.fmt.int (funct5 0x1a) and FMV.fmt.X (0x1e) read an integer register (table 24.2). */
static bool op_int_src(unsigned op)
{
    uint32_t f5 = rv_insn_table[op].match >> 27;
    return rv_insn_table[op].form != RVFORM_R4 && (f5 == 0x1a || f5 == 0x1e);
}

/* The encoding of `op` on the runner's registers, rm in the rm field where it has one. */
static uint32_t encode(unsigned op, unsigned rm)
{
    const RvInsnDesc *d = &rv_insn_table[op];
    uint32_t raw = d->match;
    raw |= ((d->flags & RVF_XD) ? X_D : F_D) << 7;
    raw |= (op_int_src(op) ? X_A : F_A) << 15;
    if (!(d->mask & (31u << 20)))
        raw |= (uint32_t)F_B << 20;
    if (d->form == RVFORM_R4)
        raw |= (uint32_t)F_C << 27;
    if (op_has_rm(op))
        raw |= rm << 12;
    return raw;
}

/* Runs one row with fflags = `accrued` first; `dynamic` puts 7 in the rm field and the
 * mode in frm. Otherwise frm holds a different valid mode, which must not matter. */
static void run_case(RvHart *h, const FpTable *t, const FpCase *c, bool dynamic,
                     unsigned accrued)
{
    RvInsn i;
    rv_decode(encode(c->op, dynamic ? RM_DYN : c->rm), &i);
    h->f[F_A] = c->a, h->f[F_B] = c->b, h->f[F_C] = c->c, h->x[X_A] = c->a;
    h->f[F_D] = 0xdeadbeefdeadbeef, h->x[X_D] = 0xdeadbeefdeadbeef;
    h->fflags = accrued;
    h->frm = dynamic ? c->rm : (c->rm + 1) % 5;
    RvStatus st = i.op == c->op ? i.fn(h, &i) : RV_TRAP;
    uint64_t got = (rv_insn_table[c->op].flags & RVF_XD) ? h->x[X_D] : h->f[F_D];
    bool ok = st == RV_NEXT && got == c->r && h->fflags == (c->fl | accrued);
    CHECK(ok);
    if (!ok)
        fprintf(stderr, "  %s row at line %d: %s rm %u%s, fflags %02x before: got %016llx "
                "fl %02x (status %d), want %016llx fl %02x\n", t->name, c->line,
                rv_insn_table[c->op].name, c->rm, dynamic ? " (dynamic)" : "", accrued,
                (unsigned long long)got, h->fflags, (int)st, (unsigned long long)c->r,
                c->fl | accrued);
}

static void test_tables(RvHart *h)
{
    for (size_t t = 0; t < ARRAY_SIZE(fp_tables); t++) {
        for (size_t k = 0; k < fp_tables[t].n; k++) {
            const FpCase *c = &fp_tables[t].rows[k];
            run_case(h, &fp_tables[t], c, false, 0);
            run_case(h, &fp_tables[t], c, false, NX);
            if (op_has_rm(c->op))
                run_case(h, &fp_tables[t], c, true, 0);
        }
    }
}

/* Executes `raw` with f1 = a, f2 = b; returns the status. */
static RvStatus exec_raw(RvHart *h, uint32_t raw, uint64_t a, uint64_t b)
{
    RvInsn i;
    rv_decode(raw, &i);
    h->f[F_A] = a, h->f[F_B] = b, h->x[X_A] = a;
    return i.fn(h, &i);
}

/* 11.2: rm 5 and 6 are reserved, and so is frm 5-7 under rm = 7 (DYN): illegal
 * instruction with the encoding as tval, nothing written. mstatus.FS = Off makes every F/D
 * instruction illegal. */
static void test_illegal(RvHart *h)
{
    static const uint16_t rm_ops[] = { RV_OP_fadd_s, RV_OP_fmadd_d, RV_OP_fsqrt_d,
                                       RV_OP_fcvt_w_s, RV_OP_fcvt_s_l, RV_OP_fcvt_d_s,
                                       RV_OP_fcvt_d_w, RV_OP_fcvt_s_d };
    for (size_t k = 0; k < ARRAY_SIZE(rm_ops); k++) {
        for (unsigned rm = 5; rm <= 7; rm++) {
            uint32_t raw = encode(rm_ops[k], rm);
            h->mstatus = MSTATUS_FS_INITIAL, h->fflags = 0, h->frm = 5;
            h->f[F_D] = 0x1111, h->x[X_D] = 0x2222, h->exc = (RvException){ .cause = 0 };
            CHECK_EQ(exec_raw(h, raw, D_ONE, D_ONE), RV_TRAP);
            CHECK_EQ(h->exc.cause, EXC_ILLEGAL_INSN);
            CHECK_EQ(h->exc.tval, raw);
            CHECK(h->f[F_D] == 0x1111 && h->x[X_D] == 0x2222 && h->fflags == 0);
            CHECK_EQ(h->mstatus, MSTATUS_FS_INITIAL);
        }
    }
    for (unsigned frm = 5; frm <= 7; frm++) {
        h->frm = frm;
        CHECK_EQ(exec_raw(h, encode(RV_OP_fmul_d, RM_DYN), D_ONE, D_ONE), RV_TRAP);
    }
    h->frm = RM_RMM;
    CHECK_EQ(exec_raw(h, encode(RV_OP_fmul_d, RM_DYN), D_ONE, D_ONE), RV_NEXT);

    static const uint16_t all_kinds[] = {
        RV_OP_fadd_d, RV_OP_fmadd_s, RV_OP_fsqrt_s, RV_OP_fsgnj_s, RV_OP_fmin_d, RV_OP_feq_d,
        RV_OP_fclass_s, RV_OP_fmv_x_w, RV_OP_fmv_w_x, RV_OP_fmv_x_d, RV_OP_fmv_d_x,
        RV_OP_fcvt_w_d, RV_OP_fcvt_d_lu, RV_OP_fcvt_s_d,
    };
    for (size_t k = 0; k < ARRAY_SIZE(all_kinds); k++) {
        uint32_t raw = encode(all_kinds[k], RM_RNE);
        h->mstatus = 0, h->fflags = 0, h->frm = 0;
        h->f[F_D] = 0x1111, h->x[X_D] = 0x2222;
        CHECK_EQ(exec_raw(h, raw, D_SNAN, D_ONE), RV_TRAP);
        CHECK_EQ(h->exc.cause, EXC_ILLEGAL_INSN);
        CHECK_EQ(h->exc.tval, raw);
        CHECK(h->f[F_D] == 0x1111 && h->x[X_D] == 0x2222 && h->fflags == 0 && h->mstatus == 0);
    }
}

/* FS becomes Dirty (and SD set) when an instruction writes an f register or raises a
 * flag; a comparison that raises nothing, fclass and moves to x leave it alone. Flags
 * accumulate. x0 destinations are discarded. */
static void test_fs_state(RvHart *h)
{
    h->mstatus = MSTATUS_FS_CLEAN, h->fflags = 0;
    CHECK_EQ(exec_raw(h, encode(RV_OP_feq_d, 0), D_ONE, D_ONE), RV_NEXT);
    CHECK_EQ(h->x[X_D], 1);
    CHECK_EQ(h->mstatus, MSTATUS_FS_CLEAN);
    CHECK_EQ(exec_raw(h, encode(RV_OP_fclass_d, 0), D_SNAN, 0), RV_NEXT);
    CHECK_EQ(exec_raw(h, encode(RV_OP_fmv_x_d, 0), D_SNAN, 0), RV_NEXT);
    CHECK_EQ(exec_raw(h, encode(RV_OP_fcvt_l_d, RM_RNE), D_TWO, 0), RV_NEXT);
    CHECK_EQ(h->mstatus, MSTATUS_FS_CLEAN);
    CHECK_EQ(exec_raw(h, encode(RV_OP_flt_d, 0), D_QNAN, D_ONE), RV_NEXT);
    CHECK_EQ(h->mstatus, MSTATUS_FS_DIRTY | MSTATUS_SD);
    CHECK_EQ(h->fflags, NV);

    h->mstatus = MSTATUS_FS_CLEAN;
    CHECK_EQ(exec_raw(h, encode(RV_OP_fsgnj_d, 0), D_ONE, D_ONE), RV_NEXT);
    CHECK_EQ(h->mstatus, MSTATUS_FS_DIRTY | MSTATUS_SD);
    h->mstatus = MSTATUS_FS_INITIAL;
    CHECK_EQ(exec_raw(h, encode(RV_OP_fadd_d, RM_RNE), D_ONE, 0x3ca0000000000000), RV_NEXT);
    CHECK_EQ(h->mstatus, MSTATUS_FS_DIRTY | MSTATUS_SD);
    CHECK_EQ(h->fflags, NV | NX); /* accrued */
    CHECK_EQ(exec_raw(h, encode(RV_OP_fdiv_s, RM_RNE), S(S_ONE), S(0)), RV_NEXT);
    CHECK_EQ(h->fflags, NV | DZ | NX);

    /* x0 destination: rd is the sink, x0 stays 0, the flags are still raised */
    RvInsn i;
    rv_decode(encode(RV_OP_fcvt_w_d, RM_RNE) & ~(31u << 7), &i);
    CHECK_EQ(i.rd, RV_REG_SINK);
    h->x[0] = 0, h->fflags = 0, h->f[F_A] = D_INF;
    CHECK_EQ(i.fn(h, &i), RV_NEXT);
    CHECK_EQ(h->x[0], 0);
    CHECK_EQ(h->x[RV_REG_SINK], 0x7fffffff);
    CHECK_EQ(h->fflags, NV);
    /* f0 is an ordinary register */
    rv_decode(encode(RV_OP_fmv_d_x, 0) & ~(31u << 7), &i);
    h->x[X_A] = D_TWO;
    CHECK_EQ(i.fn(h, &i), RV_NEXT);
    CHECK_EQ(h->f[0], D_TWO);
}

/* After an instruction in a directed mode the host is back to round-to-nearest: the rest
 * of the emulator computes in the C default environment. */
static void test_host_mode_restored(RvHart *h)
{
    volatile double one = 1.0, tiny = 0x1p-60;
    CHECK_EQ(exec_raw(h, encode(RV_OP_fadd_d, RM_RUP), D_ONE, 0x3c30000000000000), RV_NEXT);
    CHECK_EQ(h->f[F_D], 0x3ff0000000000001);
    CHECK(one + tiny == 1.0);
    CHECK_EQ(exec_raw(h, encode(RV_OP_fsub_s, RM_RDN), S(S_ONE), S(0x2f800000)), RV_NEXT);
    CHECK_EQ(h->f[F_D], S(0x3f7fffff));
    CHECK(one - tiny == 1.0);
    CHECK_EQ(exec_raw(h, encode(RV_OP_fmadd_d, RM_RTZ), D_ONE, D_ONE), RV_NEXT);
    CHECK(one + tiny == 1.0 && -one - tiny == -1.0);
}

/* FLW/FLD/FSW/FSD (11.5, 12.3) through a soft-TLB entry that maps one page to a buffer. */
static void test_loads_stores(RvHart *h)
{
    uint8_t *page = calloc(1, 4096);
    const uint64_t va = 0x80042000;
    RvTlbEntry *e = &h->tlb_data[rv_tlb_slot(va)];
    e->tag[RV_ACC_READ] = e->tag[RV_ACC_WRITE] = va;
    e->addend = (uintptr_t)page - va;
    h->mmu_idx_data = RV_MMU_M;
    h->mstatus = MSTATUS_FS_CLEAN;
    st_le(page + 0x10, 4, 0x3f800000);
    st_le(page + 0x20, 8, 0x400921fb54442d18ULL);
    h->x[6] = va + 0x18;

    RvInsn i;
    rv_decode(0x2007u | 5u << 7 | 6u << 15 | (uint32_t)(-8 & 0xfff) << 20, &i); /* flw f5,-8(x6) */
    h->f[5] = 0;
    CHECK_EQ(i.fn(h, &i), RV_NEXT);
    CHECK_EQ(h->f[5], S(0x3f800000));
    CHECK_EQ(h->mstatus, MSTATUS_FS_DIRTY | MSTATUS_SD);
    rv_decode(0x3007u | 7u << 7 | 6u << 15 | 8u << 20, &i); /* fld f7,8(x6) */
    CHECK_EQ(i.fn(h, &i), RV_NEXT);
    CHECK_EQ(h->f[7], 0x400921fb54442d18ULL);

    h->mstatus = MSTATUS_FS_CLEAN;
    h->f[8] = 0x123456789abcdef0; /* not boxed: FSW stores the low 32 bits as they are */
    rv_decode(0x2027u | 8u << 20 | 6u << 15 | (0x30u & 0x1f) << 7 | (0x30u >> 5) << 25, &i);
    CHECK_EQ(i.fn(h, &i), RV_NEXT); /* fsw f8,0x30(x6) */
    CHECK_EQ(ld_le(page + 0x48, 8), 0x9abcdef0);
    rv_decode(0x3027u | 7u << 20 | 6u << 15 | (0x40u & 0x1f) << 7 | (0x40u >> 5) << 25, &i);
    CHECK_EQ(i.fn(h, &i), RV_NEXT); /* fsd f7,0x40(x6) */
    CHECK_EQ(ld_le(page + 0x58, 8), 0x400921fb54442d18ULL);
    CHECK_EQ(h->mstatus, MSTATUS_FS_CLEAN);

    h->mstatus = 0;
    rv_decode(0x2007u | 5u << 7 | 6u << 15, &i);
    CHECK_EQ(i.fn(h, &i), RV_TRAP);
    CHECK_EQ(h->exc.cause, EXC_ILLEGAL_INSN);
    free(page);
}

/* ---- The software core against the host path, modes RNE..RUP ---- */

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Operands weighted towards the interesting: specials, short significands (ties), tiny
 * and huge exponents, exponents near each other. */
static uint64_t rand_operand(uint64_t *s, RvFpFmt f)
{
    static const uint64_t spec_s[] = { 0, 0x80000000, 1, 0x807fffff, 0x00800000, S_ONE,
                                       0xbf800000, S_MAX, S_INF, S_NINF, S_QNAN, S_SNAN,
                                       0x7fc12345, 0xff800001, 0x3f800001, 0x33800000 };
    static const uint64_t spec_d[] = { 0, D_NZERO, 1, 0x800fffffffffffff, 0x0010000000000000,
                                       D_ONE, D_MONE, D_MAX, D_INF, D_NINF, D_QNAN, D_SNAN,
                                       0xfff4000000000000, 0x3ff0000000000001,
                                       0x3ca0000000000000, 0x7fe0000000000000 };
    unsigned fb = f == RV_FP_D ? 52 : 23, eb = f == RV_FP_D ? 11 : 8;
    uint64_t bias = (1u << (eb - 1)) - 1, emax = (1u << eb) - 1;
    uint64_t r = xorshift(s), m = xorshift(s) & ((1ULL << fb) - 1), sign = r >> 63, e;
    switch (r % 8) {
    case 0: return f == RV_FP_D ? spec_d[(r >> 8) & 15] : spec_s[(r >> 8) & 15];
    case 1: return xorshift(s) >> (f == RV_FP_D ? 0 : 32);
    case 2: m &= ~0ULL << (r >> 8) % fb; e = bias - 30 + (r >> 16) % 60; break;
    case 3: e = (r >> 8) % 40; break;
    case 4: e = emax - 1 - (r >> 8) % 40; break;
    case 5: e = bias - 2 + (r >> 8) % 4; break;
    case 6: m &= ~0ULL << (r >> 8) % fb; e = (r >> 16) % 4; break;
    default: e = 1 + (r >> 8) % (emax - 1); break;
    }
    return sign << (fb + eb) | e << fb | m;
}

typedef enum DiffOp { DIFF_ADD, DIFF_MUL, DIFF_DIV, DIFF_SQRT, DIFF_FMA, DIFF_NARROW } DiffOp;

/* The host path (soft = false) may leave out flags in `acc`; the core may not. */
static RvFpRes diff_run(DiffOp op, bool soft, RvFpFmt f, uint64_t a, uint64_t b, uint64_t c,
                        unsigned rm, unsigned acc)
{
    switch (op) {
    case DIFF_ADD: return soft ? rv_sf_add(f, a, b, rm) : rv_fp_add(f, a, b, rm, acc);
    case DIFF_MUL: return soft ? rv_sf_mul(f, a, b, rm) : rv_fp_mul(f, a, b, rm, acc);
    case DIFF_DIV: return soft ? rv_sf_div(f, a, b, rm) : rv_fp_div(f, a, b, rm, acc);
    case DIFF_SQRT: return soft ? rv_sf_sqrt(f, a, rm) : rv_fp_sqrt(f, a, rm, acc);
    case DIFF_FMA: return soft ? rv_sf_fma(f, a, b, c, rm) : rv_fp_fma(f, a, b, c, rm, acc);
    default: return soft ? rv_sf_cvt_s_d(a, rm) : rv_fp_cvt_s_d(a, rm, acc);
    }
}

static void test_soft_vs_host(void)
{
    static const char *const names[] = { "add", "mul", "div", "sqrt", "fma", "cvt.s.d" };
    uint64_t seed = 0x9e3779b97f4a7c15ULL;
    for (unsigned op = DIFF_ADD; op <= DIFF_NARROW; op++) {
        for (unsigned fi = 0; fi < 2; fi++) {
            RvFpFmt f = fi ? RV_FP_D : RV_FP_S, src = op == DIFF_NARROW ? RV_FP_D : f;
            if (op == DIFF_NARROW && f == RV_FP_S)
                continue;
            for (unsigned rm = RM_RNE; rm <= RM_RUP; rm++) {
                unsigned bad = 0;
                for (unsigned n = 0; n < 20000; n++) {
                    uint64_t a = rand_operand(&seed, src), b = rand_operand(&seed, src),
                             c = rand_operand(&seed, src);
                    unsigned acc = n & 1 ? NX : 0;
                    RvFpRes hw = diff_run(op, false, f, a, b, c, rm, acc);
                    RvFpRes sw = diff_run(op, true, f, a, b, c, rm, 0);
                    if (hw.v == sw.v && (hw.flags | acc) == (sw.flags | acc))
                        continue;
                    if (bad++ < 5)
                        fprintf(stderr, "  %s.%c rm %u acc %x: %llx %llx %llx: host %llx/%02x "
                                "soft %llx/%02x\n", names[op], fi ? 'd' : 's', rm, acc,
                                (unsigned long long)a, (unsigned long long)b,
                                (unsigned long long)c, (unsigned long long)hw.v, hw.flags,
                                (unsigned long long)sw.v, sw.flags);
                }
                CHECK_EQ(bad, 0);
            }
        }
    }
}

int main(void)
{
    RvHart *h = hart_new();
    test_tables(h);
    test_illegal(h);
    test_fs_state(h);
    test_host_mode_restored(h);
    test_loads_stores(h);
    test_soft_vs_host();
    free(h);
    return unit_summary("test_fpu");
}
