/* cpu/riscv/rv_fpu.h: the IEEE 754-2008 binary32/binary64 operations behind the RISC-V
 * "F" and "D" extensions (Volume I, 20191213, chapter 11 "F" Standard Extension for
 * Single-Precision Floating-Point and chapter 12 "D" Standard Extension for
 * Double-Precision Floating-Point). Every operation takes raw encodings (a single in the
 * low 32 bits, already unboxed, upper bits zero) and a resolved rounding mode RM_RNE..
 * RM_RMM, and returns the result encoding (or integer) with the FFLAG_* bits it raises.
 * rv_fp_* are what the instructions call: the host FPU in the rounding modes it has,
 * the software core otherwise. Those taking `accrued` (the hart's fflags) may leave out
 * of the result any flag already in it, which lets the common case skip the host's
 * exception flags altogether. rv_sf_* are the software core, exact in all five modes;
 * they are exported so the unit test can compare the two paths. */
#ifndef HVEMU_RV_FPU_H
#define HVEMU_RV_FPU_H

#include "cpu/common/base.h"
#include "cpu/riscv/rv_defs.h"

typedef enum RvFpFmt { RV_FP_S, RV_FP_D } RvFpFmt;

typedef struct RvFpRes {
    uint64_t v;      /* result encoding, or the integer result (sign-extended) */
    unsigned flags;  /* FFLAG_* raised by the operation */
} RvFpRes;

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

/* Arithmetic (Volume I, 11.6), one rounding each; NaN results are canonical. */
RvFpRes rv_fp_add(RvFpFmt f, uint64_t a, uint64_t b, unsigned rm, unsigned accrued);
RvFpRes rv_fp_sub(RvFpFmt f, uint64_t a, uint64_t b, unsigned rm, unsigned accrued);
RvFpRes rv_fp_mul(RvFpFmt f, uint64_t a, uint64_t b, unsigned rm, unsigned accrued);
RvFpRes rv_fp_div(RvFpFmt f, uint64_t a, uint64_t b, unsigned rm, unsigned accrued);
RvFpRes rv_fp_sqrt(RvFpFmt f, uint64_t a, unsigned rm, unsigned accrued);
/* a*b + c with one rounding; NV for inf*0 even when c is a quiet NaN. */
RvFpRes rv_fp_fma(RvFpFmt f, uint64_t a, uint64_t b, uint64_t c, unsigned rm,
                  unsigned accrued);
/* minimumNumber/maximumNumber (11.6, version 2.2 semantics). */
RvFpRes rv_fp_minmax(RvFpFmt f, uint64_t a, uint64_t b, bool max);
/* Comparisons (11.8): EQ is quiet, LT and LE signal on any NaN. */
RvFpRes rv_fp_cmp(RvFpFmt f, uint64_t a, uint64_t b, RvFpCmp kind);
/* 10-bit class mask (11.9). */
uint64_t rv_fp_class(RvFpFmt f, uint64_t a);
uint64_t rv_fp_sgnj(RvFpFmt f, uint64_t a, uint64_t b, RvFpSgnj kind);

/* Conversions (11.7, 12.5). Integer results of 32-bit conversions are sign-extended;
 * out-of-range inputs saturate with NV as in table 11.4. `v` of rv_fp_from_int is the
 * integer register; with bits == 32 only its low 32 bits count. */
RvFpRes rv_fp_to_int(RvFpFmt f, uint64_t a, unsigned rm, bool is_signed, unsigned bits);
RvFpRes rv_fp_from_int(RvFpFmt f, uint64_t v, bool is_signed, unsigned bits, unsigned rm);
RvFpRes rv_fp_cvt_s_d(uint64_t a, unsigned rm, unsigned accrued);
RvFpRes rv_fp_cvt_d_s(uint64_t a);

/* The software core. */
RvFpRes rv_sf_add(RvFpFmt f, uint64_t a, uint64_t b, unsigned rm);
RvFpRes rv_sf_mul(RvFpFmt f, uint64_t a, uint64_t b, unsigned rm);
RvFpRes rv_sf_div(RvFpFmt f, uint64_t a, uint64_t b, unsigned rm);
RvFpRes rv_sf_sqrt(RvFpFmt f, uint64_t a, unsigned rm);
RvFpRes rv_sf_fma(RvFpFmt f, uint64_t a, uint64_t b, uint64_t c, unsigned rm);
RvFpRes rv_sf_cvt_s_d(uint64_t a, unsigned rm);

#endif
