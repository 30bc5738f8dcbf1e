/* cpu/riscv/rv_fpu.h: the IEEE 754-2008 binary32/binary64 operations behind the RISC-V
 * "F" and "D" extensions (Volume I, 20191213, chapter 11 "F" Standard Extension for
 * Single-Precision Floating-Point and chapter 12 "D" Standard Extension for
 * Double-Precision Floating-Point), as RISC-V asks them of the shared core in
 * cpu/common/softfp.h: canonical NaNs (11.3), tininess after rounding (11.6), no trapping
 * exceptions, a NaN converting to an integer as +infinity (table 11.4), 32-bit integer
 * results sign-extended. Every operation takes raw encodings (a single in the low 32 bits,
 * already unboxed, upper bits zero) and a resolved rounding mode RM_RNE..RM_RMM, and
 * returns the result encoding (or integer) with the FFLAG_* bits it raises. rv_fp_* are
 * what the instructions call (softfp_host_*: the host FPU where it rounds the same way);
 * those taking `accrued` (the hart's fflags) may leave out of the result any flag already
 * in it. rv_sf_* are the software core, exported so the unit test can compare the paths. */
#ifndef HVEMU_RV_FPU_H
#define HVEMU_RV_FPU_H

#include "cpu/common/base.h"
#include "cpu/common/softfp.h"
#include "cpu/riscv/rv_defs.h"

_Static_assert(FFLAG_NX == SOFTFP_NX && FFLAG_UF == SOFTFP_UF && FFLAG_OF == SOFTFP_OF &&
                   FFLAG_DZ == SOFTFP_DZ && FFLAG_NV == SOFTFP_NV,
               "fflags bits are the softfp flags");
_Static_assert(RM_RNE == SOFTFP_RNE && RM_RTZ == SOFTFP_RTZ && RM_RDN == SOFTFP_RDN &&
                   RM_RUP == SOFTFP_RUP && RM_RMM == SOFTFP_RMM,
               "rm encodings are the softfp rounding directions");

typedef SoftFpFmt RvFpFmt; /* RV_FP_S or RV_FP_D */
#define RV_FP_S SOFTFP_S
#define RV_FP_D SOFTFP_D

typedef SoftFpRes RvFpRes; /* .v and .flags; .info is not used by RISC-V */

typedef enum RvFpCmp { RV_FP_EQ, RV_FP_LT, RV_FP_LE } RvFpCmp;
typedef enum RvFpSgnj { RV_FP_SGNJ, RV_FP_SGNJN, RV_FP_SGNJX } RvFpSgnj;

#define RV_FP_BOX 0xffffffff00000000ULL
#define RV_FP_CANON_S 0x7fc00000ULL
#define RV_FP_CANON_D 0x7ff8000000000000ULL

/* A single held in a 64-bit f register is valid only if NaN-boxed (Volume I, 12.2
 * "NaN Boxing of Narrower Values"); anything else reads as the canonical NaN. */
static inline uint64_t rv_fp_unbox_s(uint64_t reg)
{
    return (reg >> 32) == 0xffffffffu ? (uint32_t)reg : RV_FP_CANON_S;
}

static inline SoftFpEnv rv_fp_env(unsigned rm)
{
    return SOFTFP_ENV_PLAIN((SoftFpRound)rm);
}

/* Arithmetic (Volume I, 11.6), one rounding each; NaN results are canonical. */
static inline RvFpRes rv_fp_add(RvFpFmt f, uint64_t a, uint64_t b, unsigned rm, unsigned accrued)
{
    return softfp_host_add(f, a, b, (SoftFpRound)rm, accrued);
}
static inline RvFpRes rv_fp_sub(RvFpFmt f, uint64_t a, uint64_t b, unsigned rm, unsigned accrued)
{
    return softfp_host_sub(f, a, b, (SoftFpRound)rm, accrued);
}
static inline RvFpRes rv_fp_mul(RvFpFmt f, uint64_t a, uint64_t b, unsigned rm, unsigned accrued)
{
    return softfp_host_mul(f, a, b, (SoftFpRound)rm, accrued);
}
static inline RvFpRes rv_fp_div(RvFpFmt f, uint64_t a, uint64_t b, unsigned rm, unsigned accrued)
{
    return softfp_host_div(f, a, b, (SoftFpRound)rm, accrued);
}
static inline RvFpRes rv_fp_sqrt(RvFpFmt f, uint64_t a, unsigned rm, unsigned accrued)
{
    return softfp_host_sqrt(f, a, (SoftFpRound)rm, accrued);
}
/* a*b + c with one rounding; NV for inf*0 even when c is a quiet NaN. */
static inline RvFpRes rv_fp_fma(RvFpFmt f, uint64_t a, uint64_t b, uint64_t c, unsigned rm,
                                unsigned accrued)
{
    return softfp_host_fma(f, a, b, c, (SoftFpRound)rm, accrued);
}
/* minimumNumber/maximumNumber (11.6, version 2.2 semantics). */
static inline RvFpRes rv_fp_minmax(RvFpFmt f, uint64_t a, uint64_t b, bool max)
{
    return softfp_minmax(f, a, b, max, rv_fp_env(RM_RNE));
}
/* Comparisons (11.8): EQ is quiet, LT and LE signal on any NaN. */
RvFpRes rv_fp_cmp(RvFpFmt f, uint64_t a, uint64_t b, RvFpCmp kind);
/* 10-bit class mask (11.9). */
static inline uint64_t rv_fp_class(RvFpFmt f, uint64_t a)
{
    return 1u << softfp_classify(f, a);
}
uint64_t rv_fp_sgnj(RvFpFmt f, uint64_t a, uint64_t b, RvFpSgnj kind);

/* Conversions (11.7, 12.5). Integer results of 32-bit conversions are sign-extended;
 * out-of-range inputs saturate with NV as in table 11.4. `v` of rv_fp_from_int is the
 * integer register; with bits == 32 only its low 32 bits count. */
RvFpRes rv_fp_to_int(RvFpFmt f, uint64_t a, unsigned rm, bool is_signed, unsigned bits);
static inline RvFpRes rv_fp_from_int(RvFpFmt f, uint64_t v, bool is_signed, unsigned bits,
                                     unsigned rm)
{
    return softfp_from_int(f, v, is_signed, bits, rv_fp_env(rm));
}
static inline RvFpRes rv_fp_cvt_s_d(uint64_t a, unsigned rm, unsigned accrued)
{
    return softfp_host_narrow(a, (SoftFpRound)rm, accrued);
}
static inline RvFpRes rv_fp_cvt_d_s(uint64_t a)
{
    return softfp_widen(a, rv_fp_env(RM_RNE));
}

/* The software core. */
static inline RvFpRes rv_sf_add(RvFpFmt f, uint64_t a, uint64_t b, unsigned rm)
{
    return softfp_add(f, a, b, rv_fp_env(rm));
}
static inline RvFpRes rv_sf_mul(RvFpFmt f, uint64_t a, uint64_t b, unsigned rm)
{
    return softfp_mul(f, a, b, rv_fp_env(rm));
}
static inline RvFpRes rv_sf_div(RvFpFmt f, uint64_t a, uint64_t b, unsigned rm)
{
    return softfp_div(f, a, b, rv_fp_env(rm));
}
static inline RvFpRes rv_sf_sqrt(RvFpFmt f, uint64_t a, unsigned rm)
{
    return softfp_sqrt(f, a, rv_fp_env(rm));
}
static inline RvFpRes rv_sf_fma(RvFpFmt f, uint64_t a, uint64_t b, uint64_t c, unsigned rm)
{
    return softfp_fma(f, a, b, c, 0, rv_fp_env(rm));
}
static inline RvFpRes rv_sf_cvt_s_d(uint64_t a, unsigned rm)
{
    return softfp_narrow(a, rv_fp_env(rm));
}

#endif
