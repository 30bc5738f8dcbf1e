/* cpu/ppc/insn_fp.c: the Floating-Point Facility (Power ISA v3.0B Book I chapter 4
 * "Floating-Point Facility"): the loads and stores of 4.6.2-4.6.3 with the DOUBLE and
 * SINGLE conversions, the moves of 4.6.4, the arithmetic of 4.6.5 (double- and
 * single-precision, multiply-add), rounding and conversion (4.6.6), compares (4.6.7),
 * the test instructions ftdiv/ftsqrt (4.6.8), fsel (4.6.9) and the FPSCR instructions of
 * 4.6.10 including the ISA 3.0 mffs variants. The arithmetic is the shared IEEE core of
 * cpu/common/softfp.h, asked for Power's choices: NaN operands propagate (the first of
 * FRA, FRB, FRC, quieted) and invalid operations give the default QNaN
 * 0x7FF8000000000000; tininess is detected before rounding (4.4.4); single-precision
 * results are the exact result rounded once to single precision and exponent range,
 * then kept in double format. The FPSCR follows 4.2.2 and the exception rules of 4.4:
 * sticky exception bits with FX, the VX and FEX summaries, FR/FI/FPRF per result; an
 * enabled invalid operation or zero divide leaves FRT alone, an enabled overflow or
 * underflow delivers the result with its exponent adjusted by 1536 (192 for single
 * precision); an exception that is enabled while MSR[FE0 FE1] != 0 takes the program
 * interrupt (SRR1_PROGRAM_FP) after the instruction's results are written, all modes
 * handled as precise. FPSCR[NI] is not modelled (non-IEEE mode is
 * implementation-dependent; results stay IEEE). FPSCR bits 0:31 are not kept (PpcCpu
 * holds bits 32:63): DRN reads as 0, which the models lack decimal floating point to
 * notice. MSR[FP] = 0 makes every instruction here take the FP Unavailable interrupt. */
#include "cpu/ppc/ppc_decode.h"
#include "cpu/ppc/ppc_fpu.h"

#define FPR(n) (c->vsr[(n)].d[0])
#define GPR(n) (c->gpr[(n)])

#define D_SIGN (1ULL << 63)
#define D_ONE 0x3ff0000000000000ULL

/* ---- The FPSCR and the write-back of results (4.2.2, 4.4) ---- */

static inline bool fp_off(const PpcCpu *c) { return !(c->msr & MSR_FP); }

static inline PpcStatus fp_unavailable(PpcCpu *c)
{
    return ppc_raise(c, PPC_EXC_FP_UNAVAIL, 0);
}

/* 4.3.6 "Rounding": FPSCR[RN] 0 nearest, 1 toward zero, 2 toward +inf, 3 toward -inf. */
SoftFpEnv ppc_fp_env(const PpcCpu *c)
{
    static const SoftFpRound rn[4] = { SOFTFP_RNE, SOFTFP_RTZ, SOFTFP_RUP, SOFTFP_RDN };
    uint32_t f = c->fpscr_lo;
    return (SoftFpEnv){ .rm = rn[f & FPSCR_RN], .nan = SOFTFP_NAN_PROPAGATE,
                        .tiny_before = true, .trap_overflow = (f & FPSCR_OE) != 0,
                        .trap_underflow = (f & FPSCR_UE) != 0 };
}

/* VX is the OR of the invalid-operation bits; FEX the OR of the exceptions whose enable
 * is set (each of VX OX UX ZX XX sits 22 bits above its enable VE OE UE ZE XE). */
static uint32_t fpscr_summaries(uint32_t f)
{
    f = (f & FPSCR_VX_ALL) ? f | FPSCR_VX : f & ~FPSCR_VX;
    return ((f >> 22) & f & FPSCR_ENABLES) ? f | FPSCR_FEX : f & ~FPSCR_FEX;
}

void ppc_fpscr_raise(PpcCpu *c, uint32_t exc)
{
    uint32_t old = c->fpscr_lo;
    c->fpscr_lo = fpscr_summaries(old | exc | ((exc & ~old) ? FPSCR_FX : 0));
}

bool ppc_fp_enabled(uint32_t fpscr, uint32_t exc)
{
    uint32_t x = exc | ((exc & FPSCR_VX_ALL) ? FPSCR_VX : 0);
    return ((x >> 22) & fpscr & FPSCR_ENABLES) != 0;
}

/* The end of every instruction that may change the FPSCR: CR1 = FX FEX VX OX for Rc, then
 * the program interrupt for an enabled exception when MSR[FE0 FE1] != 0. */
static PpcStatus fp_end(PpcCpu *c, const PpcInsn *i, bool enabled)
{
    if (i->flags & PPC_IF_RC)
        ppc_set_cr_field(c, 1, c->fpscr_lo >> 28);
    if (enabled && (c->msr & (MSR_FE0 | MSR_FE1)))
        return ppc_raise(c, PPC_EXC_PROGRAM, SRR1_PROGRAM_FP);
    return PPC_NEXT;
}

uint32_t ppc_fp_exceptions(SoftFpRes r)
{
    static const struct {
        unsigned info;
        uint32_t bit;
    } vx[] = {
        { SOFTFP_INFO_SNAN, FPSCR_VXSNAN }, { SOFTFP_INFO_ISI, FPSCR_VXISI },
        { SOFTFP_INFO_IDI, FPSCR_VXIDI },   { SOFTFP_INFO_ZDZ, FPSCR_VXZDZ },
        { SOFTFP_INFO_IMZ, FPSCR_VXIMZ },   { SOFTFP_INFO_SQRT, FPSCR_VXSQRT },
        { SOFTFP_INFO_CVI, FPSCR_VXCVI },
    };
    uint32_t x = 0;
    for (unsigned k = 0; k < ARRAY_SIZE(vx); k++)
        x |= (r.info & vx[k].info) ? vx[k].bit : 0;
    x |= (r.flags & SOFTFP_OF) ? FPSCR_OX : 0;
    x |= (r.flags & SOFTFP_UF) ? FPSCR_UX : 0;
    x |= (r.flags & SOFTFP_DZ) ? FPSCR_ZX : 0;
    x |= (r.flags & SOFTFP_NX) ? FPSCR_XX : 0;
    return x;
}

/* Figure "Floating-Point Result Flags": C || FPCC for each class. */
static uint32_t fp_fprf(SoftFpFmt f, uint64_t v)
{
    static const uint8_t fprf[] = {
        [SOFTFP_NEG_INF] = 0x09,      [SOFTFP_NEG_NORMAL] = 0x08, [SOFTFP_NEG_SUBNORMAL] = 0x18,
        [SOFTFP_NEG_ZERO] = 0x12,     [SOFTFP_POS_ZERO] = 0x02,   [SOFTFP_POS_SUBNORMAL] = 0x14,
        [SOFTFP_POS_NORMAL] = 0x04,   [SOFTFP_POS_INF] = 0x05,    [SOFTFP_SNAN] = 0x11,
        [SOFTFP_QNAN] = 0x11,
    };
    return (uint32_t)fprf[softfp_classify(f, v)] << FPSCR_FPRF_SHIFT;
}

/* 4.4 "Floating-Point Exceptions", for the instructions that round:
 * 1. The exceptions the result raises: VX reasons, OX UX ZX XX.
 * 2. An invalid operation with VE = 1 or a zero divide with ZE = 1 leaves FRT and FPRF
 *    alone (4.4.1, 4.4.2).
 * 3. Otherwise FRT takes the result; FPRF its class (undefined for conversions to integer:
 *    left alone). Overflow and underflow with OE/UE = 1 come wrapped from the core.
 * 4. FR (rounded up) and FI (inexact) describe the delivered result; both are 0 after an
 *    invalid operation or zero divide.
 * 5. The exception bits with FX, VX, FEX; CR1; the interrupt. */
PpcStatus ppc_fp_result(PpcCpu *c, const PpcInsn *i, SoftFpRes r, PpcFpKind kind)
{
    uint32_t exc = ppc_fp_exceptions(r), f = c->fpscr_lo & ~(FPSCR_FR | FPSCR_FI);
    bool invalid_or_zx = (exc & (FPSCR_VX_ALL | FPSCR_ZX)) != 0;
    bool suppress =
        ((exc & FPSCR_VX_ALL) && (f & FPSCR_VE)) || ((exc & FPSCR_ZX) && (f & FPSCR_ZE));
    if (!suppress) {
        FPR(i->rt) = kind == PPC_FP_SINGLE ? ppc_fp_double((uint32_t)r.v) : r.v;
        if (kind != PPC_FP_INTEGER)
            f = (f & ~FPSCR_FPRF) | fp_fprf(kind == PPC_FP_SINGLE ? SOFTFP_S : SOFTFP_D, r.v);
    }
    if (!invalid_or_zx)
        f |= ((r.info & SOFTFP_INFO_INC) ? FPSCR_FR : 0) | ((r.flags & SOFTFP_NX) ? FPSCR_FI : 0);
    c->fpscr_lo = f;
    ppc_fpscr_raise(c, exc);
    return fp_end(c, i, ppc_fp_enabled(c->fpscr_lo, exc));
}

/* Estimates (fre, frsqrte): the correctly rounded value, well inside the ISA's bound; FR
 * and FI are undefined (set to 0 here) and XX is not altered. */
static PpcStatus fp_estimate(PpcCpu *c, const PpcInsn *i, SoftFpRes r, PpcFpKind kind)
{
    r.flags &= ~SOFTFP_NX;
    r.info &= ~SOFTFP_INFO_INC;
    return ppc_fp_result(c, i, r, kind);
}

/* 1/sqrt(b): the square root's invalid cases, then the reciprocal of the rounded root. */
static SoftFpRes fp_rsqrt(SoftFpFmt f, uint64_t b, SoftFpEnv env)
{
    SoftFpRes s = softfp_sqrt(SOFTFP_D, b, env);
    SoftFpRes r = softfp_div(f, D_ONE, s.v, env);
    r.flags |= s.flags & SOFTFP_NV;
    r.info |= s.info & (SOFTFP_INFO_SNAN | SOFTFP_INFO_SQRT);
    return r;
}

/* ---- Storage conversions (4.6.2 "Floating-Point Load Instructions", 4.6.3) ---- */

uint64_t ppc_fp_double(uint32_t w)
{
    uint64_t sign = (uint64_t)(w >> 31) << 63;
    uint32_t exp = (w >> 23) & 0xff, frac = w & 0x7fffff;
    bool w1 = (w >> 30) & 1, fill = exp == 0xff ? w1 : !w1; /* FRT[2:4] */
    if (exp != 0) /* normal: ¬WORD[1] fills FRT[2:4]; infinity, NaN: WORD[1] */
        return (uint64_t)(w >> 30) << 62 | (uint64_t)(fill ? 7 : 0) << 59 |
               (uint64_t)(w & 0x3fffffff) << 29;
    if (frac == 0)
        return sign;
    unsigned k = 31 - (unsigned)__builtin_clz(frac); /* denormal: normalise */
    return sign | (uint64_t)(k + 874) << 52 | (((uint64_t)frac << (52 - k)) & ((1ULL << 52) - 1));
}

/* Exponents above 896 (and zero) need no denormalisation; 874-896 are the single denormal
 * range; below, the ISA leaves the result undefined: the signed zero here. */
uint32_t ppc_fp_single(uint64_t d)
{
    unsigned exp = (d >> 52) & 0x7ff;
    uint32_t sign = (uint32_t)(d >> 63) << 31;
    if (exp > 896 || (d & ~D_SIGN) == 0)
        return (uint32_t)(d >> 62) << 30 | (uint32_t)((d >> 29) & 0x3fffffff);
    if (exp < 874)
        return sign;
    uint64_t frac = (1ULL << 52 | (d & ((1ULL << 52) - 1))) >> (897 - exp);
    return sign | (uint32_t)((frac >> 29) & 0x7fffff);
}

/* ---- Loads and stores (4.6.2, 4.6.3) ---- */

typedef enum FpMem { FPM_SINGLE, FPM_DOUBLE, FPM_WORD_ALGEBRAIC, FPM_WORD_ZERO } FpMem;

static inline uint64_t ea_d(const PpcCpu *c, const PpcInsn *i)
{
    return ppc_ea(c, GPR(i->ra) + (uint64_t)i->imm);
}

static inline uint64_t ea_x(const PpcCpu *c, const PpcInsn *i)
{
    return ppc_ea(c, GPR(i->ra) + GPR(i->rb));
}

/* Loads into FRT; the update forms then set RA to the EA. */
static PpcStatus fp_load(PpcCpu *c, const PpcInsn *i, uint64_t ea, FpMem how, bool update)
{
    uint64_t v;
    PpcStatus st = ppc_load(c, ea, how == FPM_DOUBLE ? 8 : 4, false, &v);
    if (st != PPC_NEXT)
        return st;
    switch (how) {
    case FPM_SINGLE: FPR(i->rt) = ppc_fp_double((uint32_t)v); break;
    case FPM_DOUBLE: FPR(i->rt) = v; break;
    case FPM_WORD_ALGEBRAIC: FPR(i->rt) = (uint64_t)(int64_t)(int32_t)v; break;
    case FPM_WORD_ZERO: FPR(i->rt) = (uint32_t)v; break;
    }
    if (update)
        GPR(i->ra) = ea;
    return PPC_NEXT;
}

static PpcStatus fp_store(PpcCpu *c, const PpcInsn *i, uint64_t ea, FpMem how, bool update)
{
    uint64_t frs = FPR(i->rt);
    PpcStatus st = how == FPM_SINGLE ? ppc_store(c, ea, 4, false, ppc_fp_single(frs))
                   : how == FPM_DOUBLE ? ppc_store(c, ea, 8, false, frs)
                                       : ppc_store(c, ea, 4, false, (uint32_t)frs);
    if (st != PPC_NEXT)
        return st;
    if (update)
        GPR(i->ra) = ea;
    return PPC_NEXT;
}

PpcStatus ppc_exec_lfs(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_load(c, i, ea_d(c, i), FPM_SINGLE, false);
}

/* The update forms with RA = 0 are invalid forms: the illegal instruction interrupt. */
PpcStatus ppc_exec_lfsu(PpcCpu *c, const PpcInsn *i)
{
    if (i->ra == 0)
        return ppc_illegal(c);
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_load(c, i, ea_d(c, i), FPM_SINGLE, true);
}

PpcStatus ppc_exec_lfsx(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_load(c, i, ea_x(c, i), FPM_SINGLE, false);
}

PpcStatus ppc_exec_lfsux(PpcCpu *c, const PpcInsn *i)
{
    if (i->ra == 0)
        return ppc_illegal(c);
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_load(c, i, ea_x(c, i), FPM_SINGLE, true);
}

PpcStatus ppc_exec_lfd(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_load(c, i, ea_d(c, i), FPM_DOUBLE, false);
}

PpcStatus ppc_exec_lfdu(PpcCpu *c, const PpcInsn *i)
{
    if (i->ra == 0)
        return ppc_illegal(c);
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_load(c, i, ea_d(c, i), FPM_DOUBLE, true);
}

PpcStatus ppc_exec_lfdx(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_load(c, i, ea_x(c, i), FPM_DOUBLE, false);
}

PpcStatus ppc_exec_lfdux(PpcCpu *c, const PpcInsn *i)
{
    if (i->ra == 0)
        return ppc_illegal(c);
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_load(c, i, ea_x(c, i), FPM_DOUBLE, true);
}

PpcStatus ppc_exec_lfiwax(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_load(c, i, ea_x(c, i), FPM_WORD_ALGEBRAIC, false);
}

PpcStatus ppc_exec_lfiwzx(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_load(c, i, ea_x(c, i), FPM_WORD_ZERO, false);
}

PpcStatus ppc_exec_stfs(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_store(c, i, ea_d(c, i), FPM_SINGLE, false);
}

PpcStatus ppc_exec_stfsu(PpcCpu *c, const PpcInsn *i)
{
    if (i->ra == 0)
        return ppc_illegal(c);
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_store(c, i, ea_d(c, i), FPM_SINGLE, true);
}

PpcStatus ppc_exec_stfsx(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_store(c, i, ea_x(c, i), FPM_SINGLE, false);
}

PpcStatus ppc_exec_stfsux(PpcCpu *c, const PpcInsn *i)
{
    if (i->ra == 0)
        return ppc_illegal(c);
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_store(c, i, ea_x(c, i), FPM_SINGLE, true);
}

PpcStatus ppc_exec_stfd(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_store(c, i, ea_d(c, i), FPM_DOUBLE, false);
}

PpcStatus ppc_exec_stfdu(PpcCpu *c, const PpcInsn *i)
{
    if (i->ra == 0)
        return ppc_illegal(c);
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_store(c, i, ea_d(c, i), FPM_DOUBLE, true);
}

PpcStatus ppc_exec_stfdx(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_store(c, i, ea_x(c, i), FPM_DOUBLE, false);
}

PpcStatus ppc_exec_stfdux(PpcCpu *c, const PpcInsn *i)
{
    if (i->ra == 0)
        return ppc_illegal(c);
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_store(c, i, ea_x(c, i), FPM_DOUBLE, true);
}

PpcStatus ppc_exec_stfiwx(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_store(c, i, ea_x(c, i), FPM_WORD_ZERO, false);
}

/* ---- Moves (4.6.4): bit copies, no FPSCR change ---- */

static PpcStatus fp_move(PpcCpu *c, const PpcInsn *i, uint64_t v)
{
    FPR(i->rt) = v;
    return fp_end(c, i, false);
}

PpcStatus ppc_exec_fmr(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_move(c, i, FPR(i->rb));
}

PpcStatus ppc_exec_fneg(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_move(c, i, FPR(i->rb) ^ D_SIGN);
}

PpcStatus ppc_exec_fabs(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_move(c, i, FPR(i->rb) & ~D_SIGN);
}

PpcStatus ppc_exec_fnabs(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_move(c, i, FPR(i->rb) | D_SIGN);
}

PpcStatus ppc_exec_fcpsgn(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_move(c, i, (FPR(i->ra) & D_SIGN) | (FPR(i->rb) & ~D_SIGN));
}

/* ---- Arithmetic (4.6.5.1): FRT = FRA op FRB; fmul is FRA * FRC ---- */

PpcStatus ppc_exec_fadd(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return ppc_fp_result(c, i, softfp_add(SOFTFP_D, FPR(i->ra), FPR(i->rb), ppc_fp_env(c)),
                         PPC_FP_DOUBLE);
}

PpcStatus ppc_exec_fadds(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return ppc_fp_result(c, i, softfp_add(SOFTFP_D_S, FPR(i->ra), FPR(i->rb), ppc_fp_env(c)),
                         PPC_FP_SINGLE);
}

PpcStatus ppc_exec_fsub(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return ppc_fp_result(c, i, softfp_sub(SOFTFP_D, FPR(i->ra), FPR(i->rb), ppc_fp_env(c)),
                         PPC_FP_DOUBLE);
}

PpcStatus ppc_exec_fsubs(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return ppc_fp_result(c, i, softfp_sub(SOFTFP_D_S, FPR(i->ra), FPR(i->rb), ppc_fp_env(c)),
                         PPC_FP_SINGLE);
}

PpcStatus ppc_exec_fmul(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return ppc_fp_result(c, i, softfp_mul(SOFTFP_D, FPR(i->ra), FPR(i->rc), ppc_fp_env(c)),
                         PPC_FP_DOUBLE);
}

PpcStatus ppc_exec_fmuls(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return ppc_fp_result(c, i, softfp_mul(SOFTFP_D_S, FPR(i->ra), FPR(i->rc), ppc_fp_env(c)),
                         PPC_FP_SINGLE);
}

PpcStatus ppc_exec_fdiv(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return ppc_fp_result(c, i, softfp_div(SOFTFP_D, FPR(i->ra), FPR(i->rb), ppc_fp_env(c)),
                         PPC_FP_DOUBLE);
}

PpcStatus ppc_exec_fdivs(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return ppc_fp_result(c, i, softfp_div(SOFTFP_D_S, FPR(i->ra), FPR(i->rb), ppc_fp_env(c)),
                         PPC_FP_SINGLE);
}

PpcStatus ppc_exec_fsqrt(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return ppc_fp_result(c, i, softfp_sqrt(SOFTFP_D, FPR(i->rb), ppc_fp_env(c)), PPC_FP_DOUBLE);
}

PpcStatus ppc_exec_fsqrts(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return ppc_fp_result(c, i, softfp_sqrt(SOFTFP_D_S, FPR(i->rb), ppc_fp_env(c)),
                         PPC_FP_SINGLE);
}

PpcStatus ppc_exec_fre(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_estimate(c, i, softfp_div(SOFTFP_D, D_ONE, FPR(i->rb), ppc_fp_env(c)),
                       PPC_FP_DOUBLE);
}

PpcStatus ppc_exec_fres(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_estimate(c, i, softfp_div(SOFTFP_D_S, D_ONE, FPR(i->rb), ppc_fp_env(c)),
                       PPC_FP_SINGLE);
}

PpcStatus ppc_exec_frsqrte(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_estimate(c, i, fp_rsqrt(SOFTFP_D, FPR(i->rb), ppc_fp_env(c)), PPC_FP_DOUBLE);
}

PpcStatus ppc_exec_frsqrtes(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_estimate(c, i, fp_rsqrt(SOFTFP_D_S, FPR(i->rb), ppc_fp_env(c)), PPC_FP_SINGLE);
}

/* fsel: FRC if FRA >= 0 (either zero counts; a NaN does not), else FRB; no exceptions. */
PpcStatus ppc_exec_fsel(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    uint64_t a = FPR(i->ra);
    bool ge = !softfp_is_nan(SOFTFP_D, a) && (!(a & D_SIGN) || (a << 1) == 0);
    return fp_move(c, i, ge ? FPR(i->rc) : FPR(i->rb));
}

/* ---- Multiply-add (4.6.5.2): FRA * FRC + FRB with one rounding; fnm* negate the rounded
 * result unless it is a NaN ---- */

static PpcStatus fp_madd(PpcCpu *c, const PpcInsn *i, SoftFpFmt f, unsigned neg)
{
    SoftFpRes r = softfp_fma(f, FPR(i->ra), FPR(i->rc), FPR(i->rb), neg, ppc_fp_env(c));
    return ppc_fp_result(c, i, r, f == SOFTFP_D ? PPC_FP_DOUBLE : PPC_FP_SINGLE);
}

PpcStatus ppc_exec_fmadd(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_madd(c, i, SOFTFP_D, 0);
}

PpcStatus ppc_exec_fmadds(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_madd(c, i, SOFTFP_D_S, 0);
}

PpcStatus ppc_exec_fmsub(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_madd(c, i, SOFTFP_D, SOFTFP_NEG_ADDEND);
}

PpcStatus ppc_exec_fmsubs(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_madd(c, i, SOFTFP_D_S, SOFTFP_NEG_ADDEND);
}

PpcStatus ppc_exec_fnmadd(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_madd(c, i, SOFTFP_D, SOFTFP_NEG_RESULT);
}

PpcStatus ppc_exec_fnmadds(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_madd(c, i, SOFTFP_D_S, SOFTFP_NEG_RESULT);
}

PpcStatus ppc_exec_fnmsub(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_madd(c, i, SOFTFP_D, SOFTFP_NEG_ADDEND | SOFTFP_NEG_RESULT);
}

PpcStatus ppc_exec_fnmsubs(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_madd(c, i, SOFTFP_D_S, SOFTFP_NEG_ADDEND | SOFTFP_NEG_RESULT);
}

/* ---- Rounding and conversion (4.6.6) ---- */

PpcStatus ppc_exec_frsp(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return ppc_fp_result(c, i, softfp_narrow(FPR(i->rb), ppc_fp_env(c)), PPC_FP_SINGLE);
}

/* fcti*: FPSCR[RN] or toward zero (the z forms); NaN gives the smallest integer and VXCVI;
 * out-of-range values saturate with VXCVI. The word forms place the word in FRT[32:63];
 * FRT[0:31] are undefined: the sign extension (signed) or zeros (unsigned) here. */
static PpcStatus fp_to_int(PpcCpu *c, const PpcInsn *i, bool is_signed, unsigned bits,
                           bool toward_zero)
{
    SoftFpEnv env = ppc_fp_env(c);
    if (toward_zero)
        env.rm = SOFTFP_RTZ;
    SoftFpRes r = softfp_to_int(SOFTFP_D, FPR(i->rb), is_signed, bits, env);
    if (bits == 32 && is_signed)
        r.v = (uint64_t)(int64_t)(int32_t)r.v;
    return ppc_fp_result(c, i, r, PPC_FP_INTEGER);
}

PpcStatus ppc_exec_fctid(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_to_int(c, i, true, 64, false);
}

PpcStatus ppc_exec_fctidz(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_to_int(c, i, true, 64, true);
}

PpcStatus ppc_exec_fctidu(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_to_int(c, i, false, 64, false);
}

PpcStatus ppc_exec_fctiduz(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_to_int(c, i, false, 64, true);
}

PpcStatus ppc_exec_fctiw(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_to_int(c, i, true, 32, false);
}

PpcStatus ppc_exec_fctiwz(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_to_int(c, i, true, 32, true);
}

PpcStatus ppc_exec_fctiwu(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_to_int(c, i, false, 32, false);
}

PpcStatus ppc_exec_fctiwuz(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_to_int(c, i, false, 32, true);
}

/* fcfid*: the doubleword integer in FRB, rounded per FPSCR[RN] to double (or single). */
PpcStatus ppc_exec_fcfid(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return ppc_fp_result(c, i, softfp_from_int(SOFTFP_D, FPR(i->rb), true, 64, ppc_fp_env(c)),
                         PPC_FP_DOUBLE);
}

PpcStatus ppc_exec_fcfidu(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return ppc_fp_result(c, i, softfp_from_int(SOFTFP_D, FPR(i->rb), false, 64, ppc_fp_env(c)),
                         PPC_FP_DOUBLE);
}

PpcStatus ppc_exec_fcfids(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return ppc_fp_result(c, i, softfp_from_int(SOFTFP_S, FPR(i->rb), true, 64, ppc_fp_env(c)),
                         PPC_FP_SINGLE);
}

PpcStatus ppc_exec_fcfidus(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return ppc_fp_result(c, i, softfp_from_int(SOFTFP_S, FPR(i->rb), false, 64, ppc_fp_env(c)),
                         PPC_FP_SINGLE);
}

/* fri*: round to an integral value in double format: frin to nearest with ties away from
 * zero, friz toward zero, frip toward +inf, frim toward -inf. Only VXSNAN can occur: FR
 * and FI are set to 0 and XX is not altered, exact or not. */
static PpcStatus fp_round_int(PpcCpu *c, const PpcInsn *i, SoftFpRound rm)
{
    SoftFpEnv env = ppc_fp_env(c);
    env.rm = rm;
    SoftFpRes r = softfp_round_int(SOFTFP_D, FPR(i->rb), env);
    r.flags &= ~SOFTFP_NX;
    r.info &= ~SOFTFP_INFO_INC;
    return ppc_fp_result(c, i, r, PPC_FP_DOUBLE);
}

PpcStatus ppc_exec_frin(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_round_int(c, i, SOFTFP_RMM);
}

PpcStatus ppc_exec_friz(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_round_int(c, i, SOFTFP_RTZ);
}

PpcStatus ppc_exec_frip(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_round_int(c, i, SOFTFP_RUP);
}

PpcStatus ppc_exec_frim(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_round_int(c, i, SOFTFP_RDN);
}

/* ---- Compare (4.6.7) and test (4.6.8) ---- */

/* CR field BF and FPSCR[FPCC] take FL FG FE FU. A signaling NaN sets VXSNAN; fcmpo also
 * sets VXVC for a quiet NaN, and for a signaling NaN when VE = 0. */
static PpcStatus fp_compare(PpcCpu *c, const PpcInsn *i, bool ordered)
{
    static const uint8_t cc[] = { [SOFTFP_LT] = 8, [SOFTFP_GT] = 4, [SOFTFP_EQ] = 2,
                                  [SOFTFP_UNORDERED] = 1 };
    uint64_t a = FPR(i->ra), b = FPR(i->rb);
    unsigned v = cc[softfp_compare(SOFTFP_D, a, b)];
    uint32_t exc = 0;
    if (softfp_is_snan(SOFTFP_D, a) || softfp_is_snan(SOFTFP_D, b))
        exc = FPSCR_VXSNAN | (ordered && !(c->fpscr_lo & FPSCR_VE) ? FPSCR_VXVC : 0);
    else if (ordered && v == 1)
        exc = FPSCR_VXVC;
    ppc_set_cr_field(c, i->rt >> 2, v);
    c->fpscr_lo = (c->fpscr_lo & ~FPSCR_FPCC) | (uint32_t)v << FPSCR_FPRF_SHIFT;
    ppc_fpscr_raise(c, exc);
    return fp_end(c, i, ppc_fp_enabled(c->fpscr_lo, exc));
}

PpcStatus ppc_exec_fcmpu(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_compare(c, i, false);
}

PpcStatus ppc_exec_fcmpo(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_compare(c, i, true);
}

/* The unbiased exponent of a double (-1023 for zeros and denormals). */
static inline int fp_exp(uint64_t x)
{
    return (int)((x >> 52) & 0x7ff) - 1023;
}

static inline bool fp_is_special(uint64_t x) /* NaN or infinity */
{
    return ((x >> 52) & 0x7ff) == 0x7ff;
}

static inline bool fp_is_zero(uint64_t x)
{
    return (x << 1) == 0;
}

static inline bool fp_is_denormal(uint64_t x)
{
    return ((x >> 52) & 0x7ff) == 0 && !fp_is_zero(x);
}

static inline bool fp_is_inf(uint64_t x)
{
    return (x << 1) == 0xffe0000000000000ULL;
}

/* ftdiv: CR field BF = 0b1 || fg || fe || 0b0; fe when FRA / FRB may need software help
 * (a special operand or exponents near the edges), fg when it may be inexact or special. */
PpcStatus ppc_exec_ftdiv(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    uint64_t a = FPR(i->ra), b = FPR(i->rb);
    int ea = fp_exp(a), eb = fp_exp(b);
    bool fe = fp_is_special(a) || fp_is_special(b) || fp_is_zero(b) || eb <= -1022 ||
              eb >= 1021 || (!fp_is_zero(a) && (ea - eb >= 1023 || ea - eb <= -1021 || ea <= -970));
    bool fg = fp_is_inf(a) || fp_is_inf(b) || fp_is_zero(b) || fp_is_denormal(b);
    ppc_set_cr_field(c, i->rt >> 2, 8 | (fg ? 4 : 0) | (fe ? 2 : 0));
    return PPC_NEXT;
}

/* ftsqrt: fe for zero, NaN, infinity, negative or e_b <= -970; fg for zero, infinity or
 * denormal. */
PpcStatus ppc_exec_ftsqrt(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    uint64_t b = FPR(i->rb);
    bool fe = fp_is_zero(b) || fp_is_special(b) || (b & D_SIGN) || fp_exp(b) <= -970;
    bool fg = fp_is_zero(b) || fp_is_inf(b) || fp_is_denormal(b);
    ppc_set_cr_field(c, i->rt >> 2, 8 | (fg ? 4 : 0) | (fe ? 2 : 0));
    return PPC_NEXT;
}

/* ---- FPSCR instructions (4.6.10) ---- */

/* The control bits the mffs variants other than mffs and mffsce return: DRN (kept as 0),
 * VE OE UE ZE XE NI RN; mffsl adds FR FI FPRF. */
#define FPSCR_CONTROL (FPSCR_ENABLES | FPSCR_NI | FPSCR_RN)

/* The end of mtfsf, mtfsfi, mtfsb0, mtfsb1: FEX and VX recomputed; the program interrupt
 * when FEX went from 0 to 1 (an exception bit and its enable both set now). */
static PpcStatus fpscr_moved(PpcCpu *c, const PpcInsn *i, uint32_t old, uint32_t f)
{
    c->fpscr_lo = fpscr_summaries(f);
    return fp_end(c, i, !(old & FPSCR_FEX) && (c->fpscr_lo & FPSCR_FEX));
}

PpcStatus ppc_exec_mffs(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    return fp_move(c, i, c->fpscr_lo);
}

PpcStatus ppc_exec_mffs_e(PpcCpu *c, const PpcInsn *i)
{
    return ppc_exec_mffs(c, i);
}

/* mffsce: then clears the enables (no interrupt can come of it). */
PpcStatus ppc_exec_mffsce(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    FPR(i->rt) = c->fpscr_lo;
    c->fpscr_lo = fpscr_summaries(c->fpscr_lo & ~FPSCR_ENABLES);
    return PPC_NEXT;
}

/* mffscdrn, mffscdrni: DRN takes FRB[29:31] or the immediate; DRN is not kept. */
PpcStatus ppc_exec_mffscdrn(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    FPR(i->rt) = c->fpscr_lo & FPSCR_CONTROL;
    return PPC_NEXT;
}

PpcStatus ppc_exec_mffscdrni(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    FPR(i->rt) = c->fpscr_lo & FPSCR_CONTROL;
    return PPC_NEXT;
}

/* mffscrn, mffscrni: RN takes FRB[62:63] or the RM immediate (bits 19:20). */
PpcStatus ppc_exec_mffscrn(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    uint32_t rn = (uint32_t)FPR(i->rb) & FPSCR_RN;
    FPR(i->rt) = c->fpscr_lo & FPSCR_CONTROL;
    c->fpscr_lo = (c->fpscr_lo & ~FPSCR_RN) | rn;
    return PPC_NEXT;
}

PpcStatus ppc_exec_mffscrni(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    FPR(i->rt) = c->fpscr_lo & FPSCR_CONTROL;
    c->fpscr_lo = (c->fpscr_lo & ~FPSCR_RN) | (i->rb & FPSCR_RN);
    return PPC_NEXT;
}

PpcStatus ppc_exec_mffsl(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    FPR(i->rt) = c->fpscr_lo & (FPSCR_CONTROL | FPSCR_FR | FPSCR_FI | FPSCR_FPRF);
    return PPC_NEXT;
}

/* mcrfs: CR field BF = FPSCR field BFA; the exception bits copied (FX and the OX..VXCVI
 * bits, not FEX and VX) are cleared. */
PpcStatus ppc_exec_mcrfs(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    unsigned shift = 28 - 4 * (i->ra >> 2);
    ppc_set_cr_field(c, i->rt >> 2, c->fpscr_lo >> shift);
    uint32_t clear = (0xfu << shift) & (FPSCR_FX | FPSCR_EXCEPTIONS);
    c->fpscr_lo = fpscr_summaries(c->fpscr_lo & ~clear);
    return PPC_NEXT;
}

/* mtfsf: L = 1 writes the whole FPSCR; otherwise FLM selects fields of the word W picks
 * (W = 1: bits 0:31, not kept). FX and OX come from FRB like the other bits (FX is not set
 * by the usual rule); FEX, VX and the reserved bit 52 are not written. */
PpcStatus ppc_exec_mtfsf(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    bool l = (i->raw >> 25) & 1, w = (i->raw >> 16) & 1;
    uint32_t mask = l ? ~0u : 0, old = c->fpscr_lo;
    for (unsigned k = 0; k < 8 && !l && !w; k++)
        mask |= (i->spr & (0x80u >> k)) ? 0xf0000000u >> (4 * k) : 0;
    mask &= ~(FPSCR_FEX | FPSCR_VX | FPSCR_RSVD52);
    return fpscr_moved(c, i, old, (old & ~mask) | ((uint32_t)FPR(i->rb) & mask));
}

/* mtfsfi: field BF of the word W picks takes U; as mtfsf for FX, OX, FEX and VX. */
PpcStatus ppc_exec_mtfsfi(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    unsigned shift = 28 - 4 * (i->rt >> 2);
    bool w = i->ra & 1;
    uint32_t mask = w ? 0 : (0xfu << shift) & ~(FPSCR_FEX | FPSCR_VX | FPSCR_RSVD52);
    uint32_t old = c->fpscr_lo, u = (uint32_t)(i->rb >> 1) << shift;
    return fpscr_moved(c, i, old, (old & ~mask) | (u & mask));
}

/* mtfsb0: FPSCR bit BT+32 = 0; FEX and VX cannot be cleared this way. */
PpcStatus ppc_exec_mtfsb0(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    uint32_t bit = (1u << (31 - i->rt)) & ~(FPSCR_FEX | FPSCR_VX), old = c->fpscr_lo;
    return fpscr_moved(c, i, old, old & ~bit);
}

/* mtfsb1: FPSCR bit BT+32 = 1, FX too when it is an exception bit that was 0; FEX and VX
 * cannot be set this way. */
PpcStatus ppc_exec_mtfsb1(PpcCpu *c, const PpcInsn *i)
{
    if (fp_off(c))
        return fp_unavailable(c);
    uint32_t bit = (1u << (31 - i->rt)) & ~(FPSCR_FEX | FPSCR_VX | FPSCR_RSVD52),
             old = c->fpscr_lo;
    uint32_t fx = (bit & FPSCR_EXCEPTIONS & ~old) ? FPSCR_FX : 0;
    return fpscr_moved(c, i, old, old | bit | fx);
}
