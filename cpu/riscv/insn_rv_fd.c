/* cpu/riscv/insn_rv_fd.c: the "F" and "D" standard extensions for single- and
 * double-precision floating point (The RISC-V Instruction Set Manual, Volume I, 20191213,
 * chapter 11 "F" Standard Extension for Single-Precision Floating-Point, Version 2.2, and
 * chapter 12 "D" Standard Extension for Double-Precision Floating-Point, Version 2.2), on
 * IEEE 754-2008 arithmetic: NaN-boxed singles, canonical NaNs, the accrued flags NV DZ OF
 * UF NX with tininess detected after rounding, and the five rounding modes of 11.2
 * "Floating-Point Control and Status Register". The arithmetic itself is the shared core
 * of cpu/common/softfp.h, asked through rv_fpu.h in RISC-V's terms (its host-FPU path for
 * sums, products, quotients, square roots, fused multiply-adds and fcvt.s.d); this file
 * holds what is RISC-V's own: comparisons' signalling, sign injection, the 32-bit
 * integer results' sign extension, and the instructions. */
#include "cpu/riscv/rv_fpu.h"

#include "cpu/riscv/rv_decode.h"

/* Comparisons (11.8): feq is quiet, flt and fle signal on any NaN. */
RvFpRes rv_fp_cmp(RvFpFmt f, uint64_t a, uint64_t b, RvFpCmp kind)
{
    SoftFpOrder o = softfp_compare(f, a, b);
    if (o == SOFTFP_UNORDERED) {
        bool quiet = kind == RV_FP_EQ && !softfp_is_snan(f, a) && !softfp_is_snan(f, b);
        return (RvFpRes){ 0, quiet ? 0 : FFLAG_NV, 0 };
    }
    bool r = kind == RV_FP_EQ ? o == SOFTFP_EQ : kind == RV_FP_LT ? o == SOFTFP_LT : o != SOFTFP_GT;
    return (RvFpRes){ r, 0, 0 };
}

uint64_t rv_fp_sgnj(RvFpFmt f, uint64_t a, uint64_t b, RvFpSgnj kind)
{
    uint64_t sb = f == RV_FP_D ? 1ULL << 63 : 1ULL << 31;
    uint64_t s = kind == RV_FP_SGNJ ? b & sb : kind == RV_FP_SGNJN ? ~b & sb : (a ^ b) & sb;
    return (a & ~sb) | s;
}

/* Table 11.4 saturation comes from the core (NaN as +infinity); 32-bit results are
 * sign-extended into the 64-bit x register (12.5), unsigned ones too. */
RvFpRes rv_fp_to_int(RvFpFmt f, uint64_t a, unsigned rm, bool is_signed, unsigned bits)
{
    RvFpRes r = softfp_to_int(f, a, is_signed, bits, rv_fp_env(rm));
    if (bits == 32)
        r.v = (uint64_t)(int64_t)(int32_t)r.v;
    return r;
}

/* ---- Instruction plumbing ---- */

static inline RvStatus fp_illegal(RvHart *h, const RvInsn *i)
{
    return rv_raise(h, EXC_ILLEGAL_INSN, i->raw);
}

/* 11.2: rm 7 takes frm; rm 5 and 6, or frm 5-7 when dynamic, are reserved. False also
 * when mstatus.FS is Off. */
static inline bool fp_rm(const RvHart *h, const RvInsn *i, unsigned *rm)
{
    *rm = i->rm == RM_DYN ? h->frm : i->rm;
    return !rv_fs_off(h) && *rm <= RM_RMM;
}

static inline uint64_t rd_s(const RvHart *h, unsigned r) { return rv_fp_unbox_s(h->f[r]); }
static inline uint64_t rd_d(const RvHart *h, unsigned r) { return h->f[r]; }

static inline RvStatus wb_f(RvHart *h, unsigned rd, uint64_t v, unsigned flags)
{
    h->f[rd] = v;
    h->fflags |= flags;
    rv_fs_dirty(h);
    return RV_NEXT;
}
static inline RvStatus wb_s(RvHart *h, unsigned rd, RvFpRes r)
{
    return wb_f(h, rd, RV_FP_BOX | r.v, r.flags);
}
static inline RvStatus wb_d(RvHart *h, unsigned rd, RvFpRes r) { return wb_f(h, rd, r.v, r.flags); }

/* Integer destination: fflags (and so FS) change only if something was raised. */
static inline RvStatus wb_x(RvHart *h, unsigned rd, RvFpRes r)
{
    h->x[rd] = r.v;
    if (r.flags) {
        h->fflags |= r.flags;
        rv_fs_dirty(h);
    }
    return RV_NEXT;
}

static inline uint64_t fp_ea(const RvHart *h, const RvInsn *i)
{
    return h->x[i->rs1] + (uint64_t)i->imm;
}

/* ---- Loads and stores (11.5, 12.3) ---- */

RvStatus rv_exec_flw(RvHart *h, const RvInsn *i)
{
    uint64_t v;
    if (rv_fs_off(h))
        return fp_illegal(h, i);
    RvStatus st = rv_load(h, fp_ea(h, i), 4, &v);
    if (st != RV_NEXT)
        return st;
    return wb_f(h, i->rd, RV_FP_BOX | (uint32_t)v, 0);
}

RvStatus rv_exec_fsw(RvHart *h, const RvInsn *i)
{
    if (rv_fs_off(h))
        return fp_illegal(h, i);
    return rv_store(h, fp_ea(h, i), 4, (uint32_t)h->f[i->rs2]);
}

RvStatus rv_exec_fld(RvHart *h, const RvInsn *i)
{
    uint64_t v;
    if (rv_fs_off(h))
        return fp_illegal(h, i);
    RvStatus st = rv_load(h, fp_ea(h, i), 8, &v);
    if (st != RV_NEXT)
        return st;
    return wb_f(h, i->rd, v, 0);
}

RvStatus rv_exec_fsd(RvHart *h, const RvInsn *i)
{
    if (rv_fs_off(h))
        return fp_illegal(h, i);
    return rv_store(h, fp_ea(h, i), 8, h->f[i->rs2]);
}

/* ---- Single precision (chapter 11) ---- */

#define SGN_S (1ULL << 31)

RvStatus rv_exec_fmadd_s(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_s(h, i->rd, rv_fp_fma(RV_FP_S, rd_s(h, i->rs1), rd_s(h, i->rs2),
                                    rd_s(h, i->rs3), rm, h->fflags));
}

RvStatus rv_exec_fmsub_s(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_s(h, i->rd, rv_fp_fma(RV_FP_S, rd_s(h, i->rs1), rd_s(h, i->rs2),
                                    rd_s(h, i->rs3) ^ SGN_S, rm, h->fflags));
}

RvStatus rv_exec_fnmsub_s(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_s(h, i->rd, rv_fp_fma(RV_FP_S, rd_s(h, i->rs1) ^ SGN_S, rd_s(h, i->rs2),
                                    rd_s(h, i->rs3), rm, h->fflags));
}

RvStatus rv_exec_fnmadd_s(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_s(h, i->rd, rv_fp_fma(RV_FP_S, rd_s(h, i->rs1) ^ SGN_S, rd_s(h, i->rs2),
                                    rd_s(h, i->rs3) ^ SGN_S, rm, h->fflags));
}

RvStatus rv_exec_fadd_s(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_s(h, i->rd, rv_fp_add(RV_FP_S, rd_s(h, i->rs1), rd_s(h, i->rs2), rm,
                                    h->fflags));
}

RvStatus rv_exec_fsub_s(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_s(h, i->rd, rv_fp_sub(RV_FP_S, rd_s(h, i->rs1), rd_s(h, i->rs2), rm,
                                    h->fflags));
}

RvStatus rv_exec_fmul_s(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_s(h, i->rd, rv_fp_mul(RV_FP_S, rd_s(h, i->rs1), rd_s(h, i->rs2), rm,
                                    h->fflags));
}

RvStatus rv_exec_fdiv_s(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_s(h, i->rd, rv_fp_div(RV_FP_S, rd_s(h, i->rs1), rd_s(h, i->rs2), rm,
                                    h->fflags));
}

RvStatus rv_exec_fsqrt_s(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_s(h, i->rd, rv_fp_sqrt(RV_FP_S, rd_s(h, i->rs1), rm, h->fflags));
}

RvStatus rv_exec_fsgnj_s(RvHart *h, const RvInsn *i)
{
    if (rv_fs_off(h))
        return fp_illegal(h, i);
    uint64_t r = rv_fp_sgnj(RV_FP_S, rd_s(h, i->rs1), rd_s(h, i->rs2), RV_FP_SGNJ);
    return wb_f(h, i->rd, RV_FP_BOX | r, 0);
}

RvStatus rv_exec_fsgnjn_s(RvHart *h, const RvInsn *i)
{
    if (rv_fs_off(h))
        return fp_illegal(h, i);
    uint64_t r = rv_fp_sgnj(RV_FP_S, rd_s(h, i->rs1), rd_s(h, i->rs2), RV_FP_SGNJN);
    return wb_f(h, i->rd, RV_FP_BOX | r, 0);
}

RvStatus rv_exec_fsgnjx_s(RvHart *h, const RvInsn *i)
{
    if (rv_fs_off(h))
        return fp_illegal(h, i);
    uint64_t r = rv_fp_sgnj(RV_FP_S, rd_s(h, i->rs1), rd_s(h, i->rs2), RV_FP_SGNJX);
    return wb_f(h, i->rd, RV_FP_BOX | r, 0);
}

RvStatus rv_exec_fmin_s(RvHart *h, const RvInsn *i)
{
    if (rv_fs_off(h))
        return fp_illegal(h, i);
    return wb_s(h, i->rd, rv_fp_minmax(RV_FP_S, rd_s(h, i->rs1), rd_s(h, i->rs2), false));
}

RvStatus rv_exec_fmax_s(RvHart *h, const RvInsn *i)
{
    if (rv_fs_off(h))
        return fp_illegal(h, i);
    return wb_s(h, i->rd, rv_fp_minmax(RV_FP_S, rd_s(h, i->rs1), rd_s(h, i->rs2), true));
}

RvStatus rv_exec_fcvt_w_s(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_x(h, i->rd, rv_fp_to_int(RV_FP_S, rd_s(h, i->rs1), rm, true, 32));
}

RvStatus rv_exec_fcvt_wu_s(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_x(h, i->rd, rv_fp_to_int(RV_FP_S, rd_s(h, i->rs1), rm, false, 32));
}

RvStatus rv_exec_fcvt_l_s(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_x(h, i->rd, rv_fp_to_int(RV_FP_S, rd_s(h, i->rs1), rm, true, 64));
}

RvStatus rv_exec_fcvt_lu_s(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_x(h, i->rd, rv_fp_to_int(RV_FP_S, rd_s(h, i->rs1), rm, false, 64));
}

/* 12.2: a transfer out of an f register takes the low 32 bits, boxed or not. */
RvStatus rv_exec_fmv_x_w(RvHart *h, const RvInsn *i)
{
    if (rv_fs_off(h))
        return fp_illegal(h, i);
    h->x[i->rd] = (uint64_t)(int64_t)(int32_t)h->f[i->rs1];
    return RV_NEXT;
}

RvStatus rv_exec_fclass_s(RvHart *h, const RvInsn *i)
{
    if (rv_fs_off(h))
        return fp_illegal(h, i);
    h->x[i->rd] = rv_fp_class(RV_FP_S, rd_s(h, i->rs1));
    return RV_NEXT;
}

RvStatus rv_exec_feq_s(RvHart *h, const RvInsn *i)
{
    if (rv_fs_off(h))
        return fp_illegal(h, i);
    return wb_x(h, i->rd, rv_fp_cmp(RV_FP_S, rd_s(h, i->rs1), rd_s(h, i->rs2), RV_FP_EQ));
}

RvStatus rv_exec_flt_s(RvHart *h, const RvInsn *i)
{
    if (rv_fs_off(h))
        return fp_illegal(h, i);
    return wb_x(h, i->rd, rv_fp_cmp(RV_FP_S, rd_s(h, i->rs1), rd_s(h, i->rs2), RV_FP_LT));
}

RvStatus rv_exec_fle_s(RvHart *h, const RvInsn *i)
{
    if (rv_fs_off(h))
        return fp_illegal(h, i);
    return wb_x(h, i->rd, rv_fp_cmp(RV_FP_S, rd_s(h, i->rs1), rd_s(h, i->rs2), RV_FP_LE));
}

RvStatus rv_exec_fcvt_s_w(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_s(h, i->rd, rv_fp_from_int(RV_FP_S, h->x[i->rs1], true, 32, rm));
}

RvStatus rv_exec_fcvt_s_wu(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_s(h, i->rd, rv_fp_from_int(RV_FP_S, h->x[i->rs1], false, 32, rm));
}

RvStatus rv_exec_fcvt_s_l(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_s(h, i->rd, rv_fp_from_int(RV_FP_S, h->x[i->rs1], true, 64, rm));
}

RvStatus rv_exec_fcvt_s_lu(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_s(h, i->rd, rv_fp_from_int(RV_FP_S, h->x[i->rs1], false, 64, rm));
}

RvStatus rv_exec_fmv_w_x(RvHart *h, const RvInsn *i)
{
    if (rv_fs_off(h))
        return fp_illegal(h, i);
    return wb_f(h, i->rd, RV_FP_BOX | (uint32_t)h->x[i->rs1], 0);
}

/* ---- Double precision (chapter 12) ---- */

#define SGN_D (1ULL << 63)

RvStatus rv_exec_fmadd_d(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_d(h, i->rd, rv_fp_fma(RV_FP_D, rd_d(h, i->rs1), rd_d(h, i->rs2),
                                    rd_d(h, i->rs3), rm, h->fflags));
}

RvStatus rv_exec_fmsub_d(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_d(h, i->rd, rv_fp_fma(RV_FP_D, rd_d(h, i->rs1), rd_d(h, i->rs2),
                                    rd_d(h, i->rs3) ^ SGN_D, rm, h->fflags));
}

RvStatus rv_exec_fnmsub_d(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_d(h, i->rd, rv_fp_fma(RV_FP_D, rd_d(h, i->rs1) ^ SGN_D, rd_d(h, i->rs2),
                                    rd_d(h, i->rs3), rm, h->fflags));
}

RvStatus rv_exec_fnmadd_d(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_d(h, i->rd, rv_fp_fma(RV_FP_D, rd_d(h, i->rs1) ^ SGN_D, rd_d(h, i->rs2),
                                    rd_d(h, i->rs3) ^ SGN_D, rm, h->fflags));
}

RvStatus rv_exec_fadd_d(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_d(h, i->rd, rv_fp_add(RV_FP_D, rd_d(h, i->rs1), rd_d(h, i->rs2), rm,
                                    h->fflags));
}

RvStatus rv_exec_fsub_d(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_d(h, i->rd, rv_fp_sub(RV_FP_D, rd_d(h, i->rs1), rd_d(h, i->rs2), rm,
                                    h->fflags));
}

RvStatus rv_exec_fmul_d(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_d(h, i->rd, rv_fp_mul(RV_FP_D, rd_d(h, i->rs1), rd_d(h, i->rs2), rm,
                                    h->fflags));
}

RvStatus rv_exec_fdiv_d(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_d(h, i->rd, rv_fp_div(RV_FP_D, rd_d(h, i->rs1), rd_d(h, i->rs2), rm,
                                    h->fflags));
}

RvStatus rv_exec_fsqrt_d(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_d(h, i->rd, rv_fp_sqrt(RV_FP_D, rd_d(h, i->rs1), rm, h->fflags));
}

RvStatus rv_exec_fsgnj_d(RvHart *h, const RvInsn *i)
{
    if (rv_fs_off(h))
        return fp_illegal(h, i);
    return wb_f(h, i->rd, rv_fp_sgnj(RV_FP_D, rd_d(h, i->rs1), rd_d(h, i->rs2), RV_FP_SGNJ), 0);
}

RvStatus rv_exec_fsgnjn_d(RvHart *h, const RvInsn *i)
{
    if (rv_fs_off(h))
        return fp_illegal(h, i);
    return wb_f(h, i->rd, rv_fp_sgnj(RV_FP_D, rd_d(h, i->rs1), rd_d(h, i->rs2), RV_FP_SGNJN), 0);
}

RvStatus rv_exec_fsgnjx_d(RvHart *h, const RvInsn *i)
{
    if (rv_fs_off(h))
        return fp_illegal(h, i);
    return wb_f(h, i->rd, rv_fp_sgnj(RV_FP_D, rd_d(h, i->rs1), rd_d(h, i->rs2), RV_FP_SGNJX), 0);
}

RvStatus rv_exec_fmin_d(RvHart *h, const RvInsn *i)
{
    if (rv_fs_off(h))
        return fp_illegal(h, i);
    return wb_d(h, i->rd, rv_fp_minmax(RV_FP_D, rd_d(h, i->rs1), rd_d(h, i->rs2), false));
}

RvStatus rv_exec_fmax_d(RvHart *h, const RvInsn *i)
{
    if (rv_fs_off(h))
        return fp_illegal(h, i);
    return wb_d(h, i->rd, rv_fp_minmax(RV_FP_D, rd_d(h, i->rs1), rd_d(h, i->rs2), true));
}

RvStatus rv_exec_fcvt_s_d(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_s(h, i->rd, rv_fp_cvt_s_d(rd_d(h, i->rs1), rm, h->fflags));
}

/* Exact, but rm is still decoded: a reserved rm is illegal here too. */
RvStatus rv_exec_fcvt_d_s(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_d(h, i->rd, rv_fp_cvt_d_s(rd_s(h, i->rs1)));
}

RvStatus rv_exec_feq_d(RvHart *h, const RvInsn *i)
{
    if (rv_fs_off(h))
        return fp_illegal(h, i);
    return wb_x(h, i->rd, rv_fp_cmp(RV_FP_D, rd_d(h, i->rs1), rd_d(h, i->rs2), RV_FP_EQ));
}

RvStatus rv_exec_flt_d(RvHart *h, const RvInsn *i)
{
    if (rv_fs_off(h))
        return fp_illegal(h, i);
    return wb_x(h, i->rd, rv_fp_cmp(RV_FP_D, rd_d(h, i->rs1), rd_d(h, i->rs2), RV_FP_LT));
}

RvStatus rv_exec_fle_d(RvHart *h, const RvInsn *i)
{
    if (rv_fs_off(h))
        return fp_illegal(h, i);
    return wb_x(h, i->rd, rv_fp_cmp(RV_FP_D, rd_d(h, i->rs1), rd_d(h, i->rs2), RV_FP_LE));
}

RvStatus rv_exec_fclass_d(RvHart *h, const RvInsn *i)
{
    if (rv_fs_off(h))
        return fp_illegal(h, i);
    h->x[i->rd] = rv_fp_class(RV_FP_D, rd_d(h, i->rs1));
    return RV_NEXT;
}

RvStatus rv_exec_fcvt_w_d(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_x(h, i->rd, rv_fp_to_int(RV_FP_D, rd_d(h, i->rs1), rm, true, 32));
}

RvStatus rv_exec_fcvt_wu_d(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_x(h, i->rd, rv_fp_to_int(RV_FP_D, rd_d(h, i->rs1), rm, false, 32));
}

RvStatus rv_exec_fcvt_l_d(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_x(h, i->rd, rv_fp_to_int(RV_FP_D, rd_d(h, i->rs1), rm, true, 64));
}

RvStatus rv_exec_fcvt_lu_d(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_x(h, i->rd, rv_fp_to_int(RV_FP_D, rd_d(h, i->rs1), rm, false, 64));
}

RvStatus rv_exec_fcvt_d_w(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_d(h, i->rd, rv_fp_from_int(RV_FP_D, h->x[i->rs1], true, 32, rm));
}

RvStatus rv_exec_fcvt_d_wu(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_d(h, i->rd, rv_fp_from_int(RV_FP_D, h->x[i->rs1], false, 32, rm));
}

RvStatus rv_exec_fcvt_d_l(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_d(h, i->rd, rv_fp_from_int(RV_FP_D, h->x[i->rs1], true, 64, rm));
}

RvStatus rv_exec_fcvt_d_lu(RvHart *h, const RvInsn *i)
{
    unsigned rm;
    if (!fp_rm(h, i, &rm))
        return fp_illegal(h, i);
    return wb_d(h, i->rd, rv_fp_from_int(RV_FP_D, h->x[i->rs1], false, 64, rm));
}

RvStatus rv_exec_fmv_x_d(RvHart *h, const RvInsn *i)
{
    if (rv_fs_off(h))
        return fp_illegal(h, i);
    h->x[i->rd] = h->f[i->rs1];
    return RV_NEXT;
}

RvStatus rv_exec_fmv_d_x(RvHart *h, const RvInsn *i)
{
    if (rv_fs_off(h))
        return fp_illegal(h, i);
    return wb_f(h, i->rd, h->x[i->rs1], 0);
}
