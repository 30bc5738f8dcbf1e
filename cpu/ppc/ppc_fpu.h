/* cpu/ppc/ppc_fpu.h: the Floating-Point Status and Control Register and the pieces of the
 * Floating-Point Facility (Power ISA v3.0B Book I chapter 4) that the scalar VSX
 * instructions will share with insn_fp.c: the FPSCR layout of 4.2.2, the rounding
 * environment it selects, the DOUBLE and SINGLE storage conversions of 4.6.2 and 4.6.3,
 * and the write-back of a rounded result with the exception rules of 4.4. Masks are for
 * PpcCpu.fpscr_lo, which holds FPSCR bits 32:63: FPSCR bit b is 1u << (63 - b). */
#ifndef HVEMU_PPC_FPU_H
#define HVEMU_PPC_FPU_H

#include "cpu/common/softfp.h"
#include "cpu/ppc/ppc_cpu.h"

#define FPSCR_FX (1u << 31)     /* 32: exception summary (sticky) */
#define FPSCR_FEX (1u << 30)    /* 33: enabled exception summary */
#define FPSCR_VX (1u << 29)     /* 34: invalid operation summary */
#define FPSCR_OX (1u << 28)     /* 35: overflow */
#define FPSCR_UX (1u << 27)     /* 36: underflow */
#define FPSCR_ZX (1u << 26)     /* 37: zero divide */
#define FPSCR_XX (1u << 25)     /* 38: inexact */
#define FPSCR_VXSNAN (1u << 24) /* 39: signaling NaN */
#define FPSCR_VXISI (1u << 23)  /* 40: infinity - infinity */
#define FPSCR_VXIDI (1u << 22)  /* 41: infinity / infinity */
#define FPSCR_VXZDZ (1u << 21)  /* 42: zero / zero */
#define FPSCR_VXIMZ (1u << 20)  /* 43: infinity * zero */
#define FPSCR_VXVC (1u << 19)   /* 44: invalid compare */
#define FPSCR_FR (1u << 18)     /* 45: fraction rounded */
#define FPSCR_FI (1u << 17)     /* 46: fraction inexact */
#define FPSCR_FPRF (0x1fu << 12) /* 47:51: result flags, C || FPCC */
#define FPSCR_C (1u << 16)      /* 47: result class descriptor */
#define FPSCR_FPCC (0xfu << 12) /* 48:51: FL FG FE FU */
#define FPSCR_RSVD52 (1u << 11) /* 52: reserved */
#define FPSCR_VXSOFT (1u << 10) /* 53: software request */
#define FPSCR_VXSQRT (1u << 9)  /* 54: invalid square root */
#define FPSCR_VXCVI (1u << 8)   /* 55: invalid integer convert */
#define FPSCR_VE (1u << 7)      /* 56: invalid operation enable */
#define FPSCR_OE (1u << 6)      /* 57 */
#define FPSCR_UE (1u << 5)      /* 58 */
#define FPSCR_ZE (1u << 4)      /* 59 */
#define FPSCR_XE (1u << 3)      /* 60 */
#define FPSCR_NI (1u << 2)      /* 61: non-IEEE mode */
#define FPSCR_RN (3u << 0)      /* 62:63: 0 nearest, 1 toward 0, 2 toward +inf, 3 toward -inf */

#define FPSCR_FPRF_SHIFT 12
#define FPSCR_VX_ALL (FPSCR_VXSNAN | FPSCR_VXISI | FPSCR_VXIDI | FPSCR_VXZDZ | FPSCR_VXIMZ | \
                      FPSCR_VXVC | FPSCR_VXSOFT | FPSCR_VXSQRT | FPSCR_VXCVI)
/* The exception bits: FX is set when an instruction turns one of them from 0 to 1. */
#define FPSCR_EXCEPTIONS (FPSCR_OX | FPSCR_UX | FPSCR_ZX | FPSCR_XX | FPSCR_VX_ALL)
#define FPSCR_ENABLES (FPSCR_VE | FPSCR_OE | FPSCR_UE | FPSCR_ZE | FPSCR_XE)

/* What a rounded result is and how FRT and FPRF take it. */
typedef enum PpcFpKind {
    PPC_FP_DOUBLE,  /* a binary64 result; FPRF its class */
    PPC_FP_SINGLE,  /* a binary32 result, written in double format; FPRF its class as a single */
    PPC_FP_INTEGER, /* an integer image (fcti*); FPRF undefined: left alone */
} PpcFpKind;

/* The softfp environment FPSCR[RN OE UE] select, with Power's NaN and tininess rules. */
SoftFpEnv ppc_fp_env(const PpcCpu *c);
/* DOUBLE (4.6.2): a single-precision word in storage to double format, exactly; SNaNs stay
 * signaling. SINGLE (4.6.3): double format to a word, truncating, denormalising when the
 * value is in the single denormal range. */
uint64_t ppc_fp_double(uint32_t w);
uint32_t ppc_fp_single(uint64_t d);
/* The FPSCR exception bits (VX reasons, OX UX ZX XX) a softfp result raises. */
uint32_t ppc_fp_exceptions(SoftFpRes r);
/* Sets exception bits exc with FX for each that was 0, and the VX and FEX summaries. */
void ppc_fpscr_raise(PpcCpu *c, uint32_t exc);
/* Whether exceptions exc include one whose enable bit is set in fpscr (each of VX OX UX
 * ZX XX sits 22 bits above its enable). */
bool ppc_fp_enabled(uint32_t fpscr, uint32_t exc);
/* Writes result r of an arithmetic, rounding or conversion instruction to VSR[i->rt]
 * doubleword 0 (the FPR) and the FPSCR under the rules of 4.4, records CR1 for Rc and
 * returns the program interrupt an enabled exception asks for. */
PpcStatus ppc_fp_result(PpcCpu *c, const PpcInsn *i, SoftFpRes r, PpcFpKind kind);

#endif
