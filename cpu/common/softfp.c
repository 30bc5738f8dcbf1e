/* cpu/common/softfp.c: the IEEE 754-2008 binary32/binary64 core of softfp.h (clause 5
 * "Operations", clause 7 "Default exception handling"; IEEE 754-1985 7.3/7.4 for the
 * trap-enabled overflow and underflow results). Finite nonzero operands are unpacked to a
 * 64-bit significand with its top bit set; every operation computes the exact result, or
 * its truncation with a sticky bit, and rounds once in sf_round_pack. Sums, products,
 * quotients, square roots, fused multiply-adds and the double-to-single conversion also run
 * on the host SSE unit for the plain environment in the four modes it has (RNE RTZ RDN RUP;
 * MXCSR loaded with DAZ and FTZ off, back to RNE after); RMM and everything else use the
 * exact software core. The common case, RNE with NX already accrued, normal operands and a
 * result clear of the subnormal range, is one host instruction with no MXCSR traffic at
 * all (the "hardfloat" shortcut of QEMU's fpu/softfloat.c, redone here). */
#include "cpu/common/softfp.h"

typedef unsigned __int128 Sf128;

/* ---- Encodings (IEEE 754-2008, 3.4 "Binary interchange format encodings") ----
 * These take an encoding format, SOFTFP_S or SOFTFP_D; fmt_in/fmt_out split a SoftFpFmt
 * into the formats of its operands and of its result. */

static inline SoftFpFmt fmt_in(SoftFpFmt f) { return f == SOFTFP_S ? SOFTFP_S : SOFTFP_D; }
static inline SoftFpFmt fmt_out(SoftFpFmt f) { return f == SOFTFP_D ? SOFTFP_D : SOFTFP_S; }

static inline unsigned fmt_fbits(SoftFpFmt f) { return f == SOFTFP_D ? 52 : 23; }
static inline int fmt_bias(SoftFpFmt f) { return f == SOFTFP_D ? 1023 : 127; }
static inline uint64_t fmt_emask(SoftFpFmt f) { return f == SOFTFP_D ? 0x7ff : 0xff; }
static inline uint64_t fmt_signbit(SoftFpFmt f) { return f == SOFTFP_D ? 1ULL << 63 : 1ULL << 31; }
/* IEEE 754-1985 7.3/7.4: the exponent adjustment of trap-enabled overflow and underflow. */
static inline int fmt_wrap(SoftFpFmt f) { return f == SOFTFP_D ? 1536 : 192; }

static inline bool fp_sign(SoftFpFmt f, uint64_t x) { return (x & fmt_signbit(f)) != 0; }
static inline uint64_t fp_expf(SoftFpFmt f, uint64_t x)
{
    return (x >> fmt_fbits(f)) & fmt_emask(f);
}
static inline uint64_t fp_frac(SoftFpFmt f, uint64_t x) { return x & ((1ULL << fmt_fbits(f)) - 1); }
static inline bool fp_is_nan(SoftFpFmt f, uint64_t x)
{
    return fp_expf(f, x) == fmt_emask(f) && fp_frac(f, x) != 0;
}
static inline bool fp_is_snan(SoftFpFmt f, uint64_t x)
{
    return fp_is_nan(f, x) && !((x >> (fmt_fbits(f) - 1)) & 1);
}
static inline bool fp_is_inf(SoftFpFmt f, uint64_t x)
{
    return (x & ~fmt_signbit(f)) == fmt_emask(f) << fmt_fbits(f);
}
static inline bool fp_is_zero(SoftFpFmt f, uint64_t x) { return (x & (fmt_signbit(f) - 1)) == 0; }
static inline uint64_t fp_zero(SoftFpFmt f, bool s) { return s ? fmt_signbit(f) : 0; }
static inline uint64_t fp_inf(SoftFpFmt f, bool s)
{
    return fp_zero(f, s) | fmt_emask(f) << fmt_fbits(f);
}
static inline uint64_t fp_quiet(SoftFpFmt f, uint64_t x) { return x | 1ULL << (fmt_fbits(f) - 1); }

/* A NaN of format `from` as format `to`, the leading bits of its payload kept. */
static inline uint64_t nan_convert(SoftFpFmt from, SoftFpFmt to, uint64_t x)
{
    uint64_t frac = fp_frac(from, x);
    if (from != to)
        frac = to == SOFTFP_D ? frac << 29 : frac >> 29;
    return fp_inf(to, fp_sign(from, x)) | frac;
}

/* The result of an operation with NaN operands ops[0..n), listed in the order the NaN rule
 * looks at them: NV if one is signaling; the default NaN, or the first NaN quieted. */
static SoftFpRes nan_result(SoftFpFmt in, SoftFpFmt out, SoftFpEnv env, const uint64_t *ops,
                            unsigned n)
{
    SoftFpRes r = { softfp_default_nan(out), 0, 0 };
    bool picked = env.nan != SOFTFP_NAN_PROPAGATE;
    for (unsigned k = 0; k < n; k++) {
        if (fp_is_snan(in, ops[k])) {
            r.flags = SOFTFP_NV;
            r.info = SOFTFP_INFO_SNAN;
        }
        if (!picked && fp_is_nan(in, ops[k])) {
            r.v = nan_convert(in, out, fp_quiet(in, ops[k]));
            picked = true;
        }
    }
    return r;
}

/* An invalid operation without NaN operands: the default NaN. */
static inline SoftFpRes invalid(SoftFpFmt f, unsigned why)
{
    return (SoftFpRes){ softfp_default_nan(fmt_out(f)), SOFTFP_NV, why };
}

/* x + y for two zeros, or any exact zero sum of opposite signs (IEEE 754-2008, 6.3). */
static inline SoftFpRes fp_zero_sum(SoftFpFmt out, bool sx, bool sy, SoftFpRound rm)
{
    return (SoftFpRes){ fp_zero(out, sx == sy ? sx : rm == SOFTFP_RDN), 0, 0 };
}

/* ---- Software core ---- */

/* A finite nonzero number sig * 2^exp with bit 63 of sig set. */
typedef struct SfNum {
    bool sign;
    int exp;
    uint64_t sig;
} SfNum;

static inline unsigned clz64(uint64_t x) { return (unsigned)__builtin_clzll(x); }

static inline unsigned clz128(Sf128 x)
{
    uint64_t hi = (uint64_t)(x >> 64);
    return hi ? clz64(hi) : 64 + clz64((uint64_t)x);
}

/* Shift right keeping a sticky bit: the result is the truncation with bit 0 set if any
 * one bit was shifted out ("round to odd"), which later rounding reads exactly. */
static inline uint64_t shr_jam64(uint64_t x, unsigned n)
{
    if (n == 0)
        return x;
    if (n < 64)
        return (x >> n) | ((x << (64 - n)) != 0);
    return x != 0;
}

static inline Sf128 shr_jam128(Sf128 x, unsigned n)
{
    if (n == 0)
        return x;
    if (n < 128)
        return (x >> n) | ((x << (128 - n)) != 0);
    return x != 0;
}

static SfNum sf_unpack(SoftFpFmt f, uint64_t x)
{
    uint64_t e = fp_expf(f, x), m = fp_frac(f, x) | (e ? 1ULL << fmt_fbits(f) : 0);
    int exp = (e ? (int)e : 1) - fmt_bias(f) - (int)fmt_fbits(f);
    unsigned s = clz64(m);
    return (SfNum){ .sign = fp_sign(f, x), .exp = exp - (int)s, .sig = m << s };
}

/* Whether to add one unit to the kept bits; rem is what is cut off, half is one half. */
static inline bool round_up(SoftFpRound rm, bool sign, bool odd, uint64_t rem, uint64_t half)
{
    switch (rm) {
    case SOFTFP_RNE: return rem > half || (rem == half && odd);
    case SOFTFP_RTZ: return false;
    case SOFTFP_RDN: return sign && rem;
    case SOFTFP_RUP: return !sign && rem;
    default: return rem >= half; /* SOFTFP_RMM */
    }
}

/* IEEE 754-2008, 7.4 "Overflow": infinity, or the largest finite number when the rounding
 * direction points towards zero. */
static inline uint64_t overflow_value(SoftFpFmt f, bool sign, SoftFpRound rm)
{
    bool to_inf = rm == SOFTFP_RNE || rm == SOFTFP_RMM || (rm == SOFTFP_RUP && !sign) ||
                  (rm == SOFTFP_RDN && sign);
    return fp_inf(f, sign) - !to_inf;
}

/* Rounds sign * sig * 2^exp to encoding format f. sig has bit 63 set, and bit 0 set if the
 * exact value had further nonzero bits below it.
 * 1. Round to the precision p with the exponent range unbounded (e is the exponent of the
 *    exact value, re that of the rounded one): tininess is e < emin before rounding, or
 *    re < emin after.
 * 2. Not tiny before rounding: the rounded value; above the range, the wrapped value with
 *    OF when overflow traps, else the overflow value with OF and NX.
 * 3. Tiny: when underflow traps, the rounded value wrapped upwards with UF. Otherwise
 *    denormalise with a sticky shift and round again; UF when the result is both tiny and
 *    inexact (IEEE 754-2008, 7.5). A wrapped value that still does not fit (only for
 *    binary64 operands of a binary32 result) falls back to the untrapped one. */
static SoftFpRes sf_round_pack(SoftFpFmt f, bool sign, int exp, uint64_t sig, SoftFpEnv env)
{
    const unsigned fb = fmt_fbits(f), p = fb + 1, sh = 64 - p;
    const uint64_t mask = (1ULL << sh) - 1, half = 1ULL << (sh - 1), s = fp_zero(f, sign);
    const int bias = fmt_bias(f), emin = 1 - bias, wrap = fmt_wrap(f), e = exp + 63;
    uint64_t rem = sig & mask;
    bool up = round_up(env.rm, sign, (sig >> sh) & 1, rem, half);
    uint64_t keep = (sig >> sh) + up;
    int re = e + (int)(keep >> p);
    unsigned nx = rem ? SOFTFP_NX : 0, inc = up ? SOFTFP_INFO_INC : 0;
    if (e >= emin) {
        if (re <= bias)
            return (SoftFpRes){ s | (((uint64_t)(e + bias - 1) << fb) + keep), nx, inc };
        if (env.trap_overflow && re - wrap <= bias)
            return (SoftFpRes){ s | (((uint64_t)(e - wrap + bias - 1) << fb) + keep),
                                SOFTFP_OF | nx, inc };
        uint64_t ov = overflow_value(f, sign, env.rm);
        return (SoftFpRes){ ov, SOFTFP_OF | SOFTFP_NX, fp_is_inf(f, ov) ? SOFTFP_INFO_INC : 0 };
    }
    bool tiny = env.tiny_before || re < emin;
    if (env.trap_underflow && tiny && e + wrap >= emin)
        return (SoftFpRes){ s | (((uint64_t)(e + wrap + bias - 1) << fb) + keep),
                            SOFTFP_UF | nx, inc };
    uint64_t d = shr_jam64(sig, (unsigned)(emin - e));
    rem = d & mask;
    up = round_up(env.rm, sign, (d >> sh) & 1, rem, half);
    keep = (d >> sh) + up;
    unsigned uf = tiny && (rem || env.trap_underflow) ? SOFTFP_UF : 0;
    return (SoftFpRes){ s | keep, (rem ? SOFTFP_NX : 0) | uf, up ? SOFTFP_INFO_INC : 0 };
}

/* Normalises a nonzero 128-bit significand and rounds it: value = sign * v * 2^exp. */
static SoftFpRes sf_round_pack128(SoftFpFmt f, bool sign, int exp, Sf128 v, SoftFpEnv env)
{
    unsigned s = clz128(v);
    v <<= s;
    uint64_t sig = (uint64_t)(v >> 64) | ((uint64_t)v != 0);
    return sf_round_pack(f, sign, exp - (int)s + 64, sig, env);
}

/* A non-NaN operand delivered as the result: rounded when the result format is narrower. */
static SoftFpRes sf_pass(SoftFpFmt f, uint64_t x, SoftFpEnv env)
{
    SoftFpFmt in = fmt_in(f), out = fmt_out(f);
    bool s = fp_sign(in, x);
    if (in == out)
        return (SoftFpRes){ x, 0, 0 };
    if (fp_is_inf(in, x) || fp_is_zero(in, x))
        return (SoftFpRes){ fp_is_inf(in, x) ? fp_inf(out, s) : fp_zero(out, s), 0, 0 };
    SfNum n = sf_unpack(in, x);
    return sf_round_pack(out, n.sign, n.exp, n.sig, env);
}

SoftFpRes softfp_add(SoftFpFmt f, uint64_t a, uint64_t b, SoftFpEnv env)
{
    SoftFpFmt in = fmt_in(f), out = fmt_out(f);
    if (fp_is_nan(in, a) || fp_is_nan(in, b))
        return nan_result(in, out, env, (const uint64_t[]){ a, b }, 2);
    if (fp_is_inf(in, a) && fp_is_inf(in, b) && fp_sign(in, a) != fp_sign(in, b))
        return invalid(f, SOFTFP_INFO_ISI);
    if (fp_is_inf(in, a) || fp_is_inf(in, b))
        return sf_pass(f, fp_is_inf(in, a) ? a : b, env);
    if (fp_is_zero(in, a) && fp_is_zero(in, b))
        return fp_zero_sum(out, fp_sign(in, a), fp_sign(in, b), env.rm);
    if (fp_is_zero(in, a) || fp_is_zero(in, b))
        return sf_pass(f, fp_is_zero(in, a) ? b : a, env);
    SfNum x = sf_unpack(in, a), y = sf_unpack(in, b);
    if (y.exp > x.exp || (y.exp == x.exp && y.sig > x.sig)) {
        SfNum t = x;
        x = y;
        y = t;
    }
    /* Both halved so the sum cannot carry out; x's bit 0 is then clear, so x - jammed y
     * is again the truncation with the sticky bit. */
    uint64_t hx = x.sig >> 1, hy = shr_jam64(y.sig >> 1, (unsigned)(x.exp - y.exp));
    uint64_t z = x.sign == y.sign ? hx + hy : hx - hy;
    if (!z)
        return fp_zero_sum(out, false, true, env.rm);
    unsigned s = clz64(z);
    return sf_round_pack(out, x.sign, x.exp + 1 - (int)s, z << s, env);
}

/* IEEE 754-2008, 5.4.1: subtraction is x + (-y); a NaN y keeps its sign. */
SoftFpRes softfp_sub(SoftFpFmt f, uint64_t a, uint64_t b, SoftFpEnv env)
{
    SoftFpFmt in = fmt_in(f);
    return softfp_add(f, a, fp_is_nan(in, b) ? b : b ^ fmt_signbit(in), env);
}

SoftFpRes softfp_mul(SoftFpFmt f, uint64_t a, uint64_t b, SoftFpEnv env)
{
    SoftFpFmt in = fmt_in(f), out = fmt_out(f);
    bool sign = fp_sign(in, a) != fp_sign(in, b);
    if (fp_is_nan(in, a) || fp_is_nan(in, b))
        return nan_result(in, out, env, (const uint64_t[]){ a, b }, 2);
    if ((fp_is_inf(in, a) && fp_is_zero(in, b)) || (fp_is_zero(in, a) && fp_is_inf(in, b)))
        return invalid(f, SOFTFP_INFO_IMZ);
    if (fp_is_inf(in, a) || fp_is_inf(in, b))
        return (SoftFpRes){ fp_inf(out, sign), 0, 0 };
    if (fp_is_zero(in, a) || fp_is_zero(in, b))
        return (SoftFpRes){ fp_zero(out, sign), 0, 0 };
    SfNum x = sf_unpack(in, a), y = sf_unpack(in, b);
    return sf_round_pack128(out, sign, x.exp + y.exp, (Sf128)x.sig * y.sig, env);
}

SoftFpRes softfp_div(SoftFpFmt f, uint64_t a, uint64_t b, SoftFpEnv env)
{
    SoftFpFmt in = fmt_in(f), out = fmt_out(f);
    bool sign = fp_sign(in, a) != fp_sign(in, b);
    if (fp_is_nan(in, a) || fp_is_nan(in, b))
        return nan_result(in, out, env, (const uint64_t[]){ a, b }, 2);
    if (fp_is_inf(in, a) && fp_is_inf(in, b))
        return invalid(f, SOFTFP_INFO_IDI);
    if (fp_is_zero(in, a) && fp_is_zero(in, b))
        return invalid(f, SOFTFP_INFO_ZDZ);
    if (fp_is_inf(in, a) || fp_is_zero(in, b)) /* DZ only for a finite dividend */
        return (SoftFpRes){ fp_inf(out, sign), fp_is_inf(in, a) ? 0 : SOFTFP_DZ, 0 };
    if (fp_is_zero(in, a) || fp_is_inf(in, b))
        return (SoftFpRes){ fp_zero(out, sign), 0, 0 };
    SfNum x = sf_unpack(in, a), y = sf_unpack(in, b);
    unsigned k = x.sig >= y.sig ? 63 : 64; /* the quotient then has bit 63 set */
    Sf128 n = (Sf128)x.sig << k;
    uint64_t q = (uint64_t)(n / y.sig);
    bool sticky = n != (Sf128)q * y.sig;
    return sf_round_pack(out, sign, x.exp - y.exp - (int)k, q | sticky, env);
}

/* floor(sqrt(m)), digit by digit; *inexact if m is not a perfect square. */
static uint64_t isqrt128(Sf128 m, bool *inexact)
{
    Sf128 rem = 0, root = 0;
    for (unsigned k = 0; k < 64; k++) {
        rem = (rem << 2) | (m >> 126);
        m <<= 2;
        root <<= 1;
        Sf128 trial = (root << 1) | 1;
        if (rem >= trial) {
            rem -= trial;
            root |= 1;
        }
    }
    *inexact = rem != 0;
    return (uint64_t)root;
}

SoftFpRes softfp_sqrt(SoftFpFmt f, uint64_t a, SoftFpEnv env)
{
    SoftFpFmt in = fmt_in(f), out = fmt_out(f);
    if (fp_is_nan(in, a))
        return nan_result(in, out, env, &a, 1);
    if (fp_is_zero(in, a))
        return sf_pass(f, a, env);
    if (fp_sign(in, a))
        return invalid(f, SOFTFP_INFO_SQRT);
    if (fp_is_inf(in, a))
        return sf_pass(f, a, env);
    SfNum x = sf_unpack(in, a);
    unsigned k = (x.exp & 1) ? 63 : 64; /* even exponent; root with bit 63 set */
    bool inexact;
    uint64_t r = isqrt128((Sf128)x.sig << k, &inexact);
    return sf_round_pack(out, false, (x.exp - (int)k) / 2, r | inexact, env);
}

/* The cases of a*b + c (no NaN operands) that need no arithmetic: infinities, zero
 * products. */
static bool sf_fma_special(SoftFpFmt f, uint64_t a, uint64_t b, uint64_t c, SoftFpEnv env,
                           SoftFpRes *out)
{
    SoftFpFmt in = fmt_in(f), of = fmt_out(f);
    bool a0 = fp_is_zero(in, a), b0 = fp_is_zero(in, b);
    bool inf_zero = (fp_is_inf(in, a) && b0) || (a0 && fp_is_inf(in, b));
    bool ps = fp_sign(in, a) != fp_sign(in, b), pinf = fp_is_inf(in, a) || fp_is_inf(in, b);
    if (inf_zero)
        *out = invalid(f, SOFTFP_INFO_IMZ);
    else if (pinf && fp_is_inf(in, c) && fp_sign(in, c) != ps)
        *out = invalid(f, SOFTFP_INFO_ISI);
    else if (pinf)
        *out = (SoftFpRes){ fp_inf(of, ps), 0, 0 };
    else if (fp_is_inf(in, c))
        *out = sf_pass(f, c, env);
    else if ((a0 || b0) && fp_is_zero(in, c))
        *out = fp_zero_sum(of, ps, fp_sign(in, c), env.rm);
    else if (a0 || b0)
        *out = sf_pass(f, c, env);
    else
        return false;
    return true;
}

/* The exact product (at most 106 bits) and the addend are both placed with their top bit
 * at bit 126; the smaller is shifted right with a sticky bit, and the sum rounded once. */
static SoftFpRes sf_fma_num(SoftFpFmt f, uint64_t a, uint64_t b, uint64_t c, SoftFpEnv env)
{
    SoftFpFmt in = fmt_in(f), out = fmt_out(f);
    SoftFpRes r;
    if (sf_fma_special(f, a, b, c, env, &r))
        return r;
    SfNum x = sf_unpack(in, a), y = sf_unpack(in, b);
    bool ps = x.sign != y.sign;
    Sf128 p = (Sf128)x.sig * y.sig; /* in [2^126, 2^128), low 22 bits clear */
    int pe = x.exp + y.exp + (int)(p >> 127);
    p >>= p >> 127;
    if (fp_is_zero(in, c))
        return sf_round_pack128(out, ps, pe, p, env);
    SfNum z = sf_unpack(in, c);
    Sf128 q = (Sf128)z.sig << 63;
    int qe = z.exp - 63;
    bool qs = z.sign;
    if (qe > pe || (qe == pe && q > p)) {
        Sf128 tv = p;
        int te = pe;
        bool ts = ps;
        p = q, pe = qe, ps = qs;
        q = tv, qe = te, qs = ts;
    }
    q = shr_jam128(q, (unsigned)(pe - qe));
    Sf128 sum = ps == qs ? p + q : p - q;
    if (!sum)
        return fp_zero_sum(out, false, true, env.rm);
    return sf_round_pack128(out, ps, pe, sum, env);
}

SoftFpRes softfp_fma(SoftFpFmt f, uint64_t a, uint64_t b, uint64_t c, unsigned neg,
                     SoftFpEnv env)
{
    SoftFpFmt in = fmt_in(f), out = fmt_out(f);
    if (fp_is_nan(in, a) || fp_is_nan(in, b) || fp_is_nan(in, c)) {
        SoftFpRes r = nan_result(in, out, env, (const uint64_t[]){ a, c, b }, 3);
        if ((fp_is_inf(in, a) && fp_is_zero(in, b)) || (fp_is_zero(in, a) && fp_is_inf(in, b))) {
            r.flags |= SOFTFP_NV;
            r.info |= SOFTFP_INFO_IMZ;
        }
        return r;
    }
    if (neg & SOFTFP_NEG_PRODUCT)
        a ^= fmt_signbit(in);
    if (neg & SOFTFP_NEG_ADDEND)
        c ^= fmt_signbit(in);
    SoftFpRes r = sf_fma_num(f, a, b, c, env);
    if ((neg & SOFTFP_NEG_RESULT) && !fp_is_nan(out, r.v))
        r.v ^= fmt_signbit(out);
    return r;
}

SoftFpRes softfp_narrow(uint64_t a, SoftFpEnv env)
{
    if (fp_is_nan(SOFTFP_D, a))
        return nan_result(SOFTFP_D, SOFTFP_S, env, &a, 1);
    return sf_pass(SOFTFP_D_S, a, env);
}

/* Widening is exact: only NaNs need care. */
SoftFpRes softfp_widen(uint64_t a, SoftFpEnv env)
{
    bool s = fp_sign(SOFTFP_S, a);
    if (fp_is_nan(SOFTFP_S, a))
        return nan_result(SOFTFP_S, SOFTFP_D, env, &a, 1);
    if (fp_is_inf(SOFTFP_S, a))
        return (SoftFpRes){ fp_inf(SOFTFP_D, s), 0, 0 };
    if (fp_is_zero(SOFTFP_S, a))
        return (SoftFpRes){ fp_zero(SOFTFP_D, s), 0, 0 };
    SfNum x = sf_unpack(SOFTFP_S, a);
    return sf_round_pack(SOFTFP_D, x.sign, x.exp, x.sig, env);
}

/* |x| = q + frac / 2^64 for a finite x: the integer part and the fraction aligned at bit
 * 63, with a sticky bit below. */
static uint64_t sf_split(SfNum x, uint64_t *frac)
{
    unsigned n = (unsigned)-x.exp; /* x.exp <= 0 */
    *frac = n == 0 ? 0 : n < 64 ? x.sig << (64 - n) : shr_jam64(x.sig, n - 64);
    return n < 64 ? x.sig >> n : 0;
}

/* 1. NaN, infinity, zero and values of 2^63 or more (integral already) come back as they
 *    are (a signaling NaN quieted, with NV).
 * 2. Otherwise split |a| and round the fraction away in env.rm; the integer is then exact
 *    in the format. */
SoftFpRes softfp_round_int(SoftFpFmt f, uint64_t a, SoftFpEnv env)
{
    if (fp_is_nan(f, a))
        return nan_result(f, f, env, &a, 1);
    if (fp_is_inf(f, a) || fp_is_zero(f, a))
        return (SoftFpRes){ a, 0, 0 };
    SfNum x = sf_unpack(f, a);
    if (x.exp >= 0)
        return (SoftFpRes){ a, 0, 0 };
    uint64_t frac, q = sf_split(x, &frac);
    if (!frac)
        return (SoftFpRes){ a, 0, 0 };
    bool up = round_up(env.rm, x.sign, q & 1, frac, 1ULL << 63);
    q += up;
    unsigned info = up ? SOFTFP_INFO_INC : 0;
    if (!q)
        return (SoftFpRes){ fp_zero(f, x.sign), SOFTFP_NX, info };
    unsigned s = clz64(q);
    SoftFpRes r = sf_round_pack(f, x.sign, -(int)s, q << s, env);
    return (SoftFpRes){ r.v, SOFTFP_NX, info };
}

/* The saturated result of an invalid conversion: the bottom or the top of the range. */
static SoftFpRes int_invalid(bool low, bool is_signed, unsigned bits, unsigned info)
{
    uint64_t top = 1ULL << (bits - 1), all = top | (top - 1);
    uint64_t v = is_signed ? (low ? top : top - 1) : (low ? 0 : all);
    return (SoftFpRes){ v, SOFTFP_NV, SOFTFP_INFO_CVI | info };
}

/* Whether the rounded magnitude q fits the destination ("after rounding"). */
static inline bool int_fits(uint64_t q, bool neg, bool is_signed, unsigned bits)
{
    if (is_signed)
        return q <= (1ULL << (bits - 1)) - !neg;
    return neg ? q == 0 : (bits == 64 || q <= 0xffffffffULL);
}

/* 1. NaN (by the NaN rule), infinities and values of 2^64 or more saturate with NV.
 * 2. Split |a| into integer q and a fraction aligned at bit 63 (sticky below), round.
 * 3. Out of range after rounding saturates with NV only; otherwise NX if inexact. */
SoftFpRes softfp_to_int(SoftFpFmt f, uint64_t a, bool is_signed, unsigned bits, SoftFpEnv env)
{
    bool neg = fp_sign(f, a);
    if (fp_is_nan(f, a))
        return int_invalid(env.nan == SOFTFP_NAN_PROPAGATE, is_signed, bits,
                           fp_is_snan(f, a) ? SOFTFP_INFO_SNAN : 0);
    if (fp_is_zero(f, a))
        return (SoftFpRes){ 0, 0, 0 };
    SfNum x = sf_unpack(f, a);
    if (fp_is_inf(f, a) || x.exp > 0)
        return int_invalid(neg, is_signed, bits, 0);
    uint64_t frac, q = sf_split(x, &frac);
    bool up = round_up(env.rm, neg, q & 1, frac, 1ULL << 63);
    q += up;
    if (!int_fits(q, neg, is_signed, bits))
        return int_invalid(neg, is_signed, bits, 0);
    uint64_t v = neg ? 0 - q : q;
    if (bits < 64)
        v &= (1ULL << bits) - 1;
    return (SoftFpRes){ v, frac ? SOFTFP_NX : 0, up ? SOFTFP_INFO_INC : 0 };
}

SoftFpRes softfp_from_int(SoftFpFmt f, uint64_t v, bool is_signed, unsigned bits,
                          SoftFpEnv env)
{
    if (bits == 32)
        v = is_signed ? (uint64_t)(int64_t)(int32_t)v : (uint32_t)v;
    bool neg = is_signed && (int64_t)v < 0;
    uint64_t mag = neg ? 0 - v : v;
    if (!mag)
        return (SoftFpRes){ 0, 0, 0 };
    unsigned s = clz64(mag);
    return sf_round_pack(fmt_out(f), neg, -(int)s, mag << s, env);
}

/* An unsigned key that orders non-NaN encodings numerically, with -0 below +0. */
static inline uint64_t fp_key(SoftFpFmt f, uint64_t x)
{
    uint64_t all = fmt_signbit(f) | (fmt_signbit(f) - 1);
    return fp_sign(f, x) ? ~x & all : x | fmt_signbit(f);
}

SoftFpRes softfp_minmax(SoftFpFmt f, uint64_t a, uint64_t b, bool max, SoftFpEnv env)
{
    unsigned fl = fp_is_snan(f, a) || fp_is_snan(f, b) ? SOFTFP_NV : 0;
    unsigned info = fl ? SOFTFP_INFO_SNAN : 0;
    if (fp_is_nan(f, a) && fp_is_nan(f, b))
        return nan_result(f, f, env, (const uint64_t[]){ a, b }, 2);
    if (fp_is_nan(f, a) || fp_is_nan(f, b))
        return (SoftFpRes){ fp_is_nan(f, a) ? b : a, fl, info };
    bool a_less = fp_key(f, a) < fp_key(f, b);
    return (SoftFpRes){ a_less != max ? a : b, fl, info };
}

SoftFpOrder softfp_compare(SoftFpFmt f, uint64_t a, uint64_t b)
{
    if (fp_is_nan(f, a) || fp_is_nan(f, b))
        return SOFTFP_UNORDERED;
    if (fp_is_zero(f, a) && fp_is_zero(f, b))
        return SOFTFP_EQ;
    uint64_t ka = fp_key(f, a), kb = fp_key(f, b);
    return ka < kb ? SOFTFP_LT : ka > kb ? SOFTFP_GT : SOFTFP_EQ;
}

SoftFpClass softfp_classify(SoftFpFmt f, uint64_t a)
{
    bool s = fp_sign(f, a);
    if (fp_is_nan(f, a))
        return fp_is_snan(f, a) ? SOFTFP_SNAN : SOFTFP_QNAN;
    if (fp_is_inf(f, a))
        return s ? SOFTFP_NEG_INF : SOFTFP_POS_INF;
    if (fp_is_zero(f, a))
        return s ? SOFTFP_NEG_ZERO : SOFTFP_POS_ZERO;
    if (fp_expf(f, a) == 0)
        return s ? SOFTFP_NEG_SUBNORMAL : SOFTFP_POS_SUBNORMAL;
    return s ? SOFTFP_NEG_NORMAL : SOFTFP_POS_NORMAL;
}

/* ---- Host FPU: x86-64 SSE, MXCSR per operation ---- */

typedef enum HostOp { HOST_ADD, HOST_MUL, HOST_DIV, HOST_SQRT, HOST_FMA, HOST_NARROW } HostOp;

#if defined(__x86_64__)

#define HOST_MXCSR 0x1f80u /* all exceptions masked, round to nearest, DAZ and FTZ off */

static inline uint32_t host_csr(SoftFpRound rm)
{
    static const uint8_t rc[4] = { [SOFTFP_RNE] = 0, [SOFTFP_RTZ] = 3, [SOFTFP_RDN] = 1,
                                   [SOFTFP_RUP] = 2 };
    return HOST_MXCSR | (uint32_t)rc[rm] << 13;
}

/* MXCSR IE DE ZE OE UE PE (bits 0-5) to SOFTFP flags; DE has no counterpart. */
static inline unsigned host_flags(uint32_t st)
{
    return ((st & 0x01) << 4) | ((st & 0x04) << 1) | ((st & 0x08) >> 1) | ((st & 0x10) >> 3) |
           ((st & 0x20) >> 5);
}

static inline bool host_has_fma(void) { return __builtin_cpu_supports("fma"); }

/* One instruction between loading the control word and storing the status: nothing the
 * compiler schedules can land in between. */
#define HOST_OP2(name, type, insn)                                                      \
    static inline type name(type a, type b, uint32_t csr, uint32_t *st)                 \
    {                                                                                   \
        __asm__ volatile("ldmxcsr %[c]\n\t" insn " %[b], %[a]\n\tstmxcsr %[s]"          \
                         : [a] "+x"(a), [s] "=m"(*st) : [b] "x"(b), [c] "m"(csr));      \
        return a;                                                                       \
    }
#define HOST_OP3(name, type, insn)                                                      \
    static inline type name(type a, type b, type c, uint32_t csr, uint32_t *st)         \
    {                                                                                   \
        __asm__ volatile("ldmxcsr %[m]\n\t" insn " %[b], %[a], %[c]\n\tstmxcsr %[s]"    \
                         : [c] "+x"(c), [s] "=m"(*st) : [a] "x"(a), [b] "x"(b),         \
                           [m] "m"(csr));                                               \
        return c;                                                                       \
    }
HOST_OP2(host_add_s, float, "addss")
HOST_OP2(host_mul_s, float, "mulss")
HOST_OP2(host_div_s, float, "divss")
HOST_OP2(host_sqrt_s, float, "sqrtss") /* a = sqrt(b) */
HOST_OP3(host_fma_s, float, "vfmadd231ss")
HOST_OP2(host_add_d, double, "addsd")
HOST_OP2(host_mul_d, double, "mulsd")
HOST_OP2(host_div_d, double, "divsd")
HOST_OP2(host_sqrt_d, double, "sqrtsd")
HOST_OP3(host_fma_d, double, "vfmadd231sd")

static inline float host_narrow(double a, uint32_t csr, uint32_t *st)
{
    float r;
    __asm__ volatile("ldmxcsr %[c]\n\tcvtsd2ss %[a], %[r]\n\tstmxcsr %[s]"
                     : [r] "=x"(r), [s] "=m"(*st) : [a] "x"(a), [c] "m"(csr));
    return r;
}

/* The shortcut's operations: the host is in its default environment (RNE), and the
 * caller only looks at the result. volatile keeps them after any earlier MXCSR load. */
#define HOST_FAST2(name, type, insn)                                                    \
    static inline type name(type a, type b)                                             \
    {                                                                                   \
        __asm__ volatile(insn " %[b], %[a]" : [a] "+x"(a) : [b] "x"(b));                \
        return a;                                                                       \
    }
#define HOST_FAST3(name, type, insn)                                                    \
    static inline type name(type a, type b, type c)                                     \
    {                                                                                   \
        __asm__ volatile(insn " %[b], %[a], %[c]" : [c] "+x"(c) : [a] "x"(a), [b] "x"(b)); \
        return c;                                                                       \
    }
HOST_FAST2(fast_add_s, float, "addss")
HOST_FAST2(fast_mul_s, float, "mulss")
HOST_FAST2(fast_div_s, float, "divss")
HOST_FAST2(fast_sqrt_s, float, "sqrtss")
HOST_FAST3(fast_fma_s, float, "vfmadd231ss")
HOST_FAST2(fast_add_d, double, "addsd")
HOST_FAST2(fast_mul_d, double, "mulsd")
HOST_FAST2(fast_div_d, double, "divsd")
HOST_FAST2(fast_sqrt_d, double, "sqrtsd")
HOST_FAST3(fast_fma_d, double, "vfmadd231sd")

static inline float fast_narrow(double a)
{
    float r;
    __asm__ volatile("cvtsd2ss %[a], %[r]" : [r] "=x"(r) : [a] "x"(a));
    return r;
}

static inline void host_restore(void)
{
    uint32_t csr = HOST_MXCSR;
    __asm__ volatile("ldmxcsr %0" : : "m"(csr));
}

static inline float host_f(uint64_t x)
{
    uint32_t v = (uint32_t)x;
    float r;
    memcpy(&r, &v, 4);
    return r;
}
static inline double host_d(uint64_t x)
{
    double r;
    memcpy(&r, &x, 8);
    return r;
}
static inline uint64_t host_fbits(float x)
{
    uint32_t v;
    memcpy(&v, &x, 4);
    return v;
}
static inline uint64_t host_dbits(double x)
{
    uint64_t v;
    memcpy(&v, &x, 8);
    return v;
}

static inline uint64_t host_exec_s(HostOp op, uint64_t a, uint64_t b, uint64_t c, uint32_t csr,
                                   uint32_t *st)
{
    float x = host_f(a), y = host_f(b), z = host_f(c);
    switch (op) {
    case HOST_ADD: return host_fbits(host_add_s(x, y, csr, st));
    case HOST_MUL: return host_fbits(host_mul_s(x, y, csr, st));
    case HOST_DIV: return host_fbits(host_div_s(x, y, csr, st));
    case HOST_SQRT: return host_fbits(host_sqrt_s(x, x, csr, st));
    case HOST_FMA: return host_fbits(host_fma_s(x, y, z, csr, st));
    default: return host_fbits(host_narrow(host_d(a), csr, st));
    }
}

static inline uint64_t host_exec_d(HostOp op, uint64_t a, uint64_t b, uint64_t c, uint32_t csr,
                                   uint32_t *st)
{
    double x = host_d(a), y = host_d(b), z = host_d(c);
    switch (op) {
    case HOST_ADD: return host_dbits(host_add_d(x, y, csr, st));
    case HOST_MUL: return host_dbits(host_mul_d(x, y, csr, st));
    case HOST_DIV: return host_dbits(host_div_d(x, y, csr, st));
    case HOST_SQRT: return host_dbits(host_sqrt_d(x, x, csr, st));
    default: return host_dbits(host_fma_d(x, y, z, csr, st));
    }
}

/* op in rounding mode rm (not RMM) on the host; f is the format of the result. */
static inline SoftFpRes host_run(HostOp op, SoftFpFmt f, uint64_t a, uint64_t b, uint64_t c,
                                 SoftFpRound rm)
{
    uint32_t csr = host_csr(rm), st;
    uint64_t r = f == SOFTFP_D ? host_exec_d(op, a, b, c, csr, &st)
                               : host_exec_s(op, a, b, c, csr, &st);
    if (csr != HOST_MXCSR)
        host_restore();
    return (SoftFpRes){ fp_is_nan(f, r) ? softfp_default_nan(f) : r, host_flags(st), 0 };
}

static inline uint64_t fast_exec_s(HostOp op, uint64_t a, uint64_t b, uint64_t c)
{
    float x = host_f(a), y = host_f(b), z = host_f(c);
    switch (op) {
    case HOST_ADD: return host_fbits(fast_add_s(x, y));
    case HOST_MUL: return host_fbits(fast_mul_s(x, y));
    case HOST_DIV: return host_fbits(fast_div_s(x, y));
    case HOST_SQRT: return host_fbits(fast_sqrt_s(x, x));
    case HOST_FMA: return host_fbits(fast_fma_s(x, y, z));
    default: return host_fbits(fast_narrow(host_d(a)));
    }
}

static inline uint64_t fast_exec_d(HostOp op, uint64_t a, uint64_t b, uint64_t c)
{
    double x = host_d(a), y = host_d(b), z = host_d(c);
    switch (op) {
    case HOST_ADD: return host_dbits(fast_add_d(x, y));
    case HOST_MUL: return host_dbits(fast_mul_d(x, y));
    case HOST_DIV: return host_dbits(fast_div_d(x, y));
    case HOST_SQRT: return host_dbits(fast_sqrt_d(x, x));
    default: return host_dbits(fast_fma_d(x, y, z));
    }
}

/* The shortcut, for RNE with NX accrued and operands that are normal or zero (so no NaN,
 * infinity or subnormal goes in, and a divisor is nonzero):
 * 1. a result with magnitude strictly between the smallest normal and infinity raised
 *    at most NX (a tiny value can round up to exactly the smallest normal, with UF);
 * 2. infinity from finite operands is an overflow: OF and NX;
 * 3. anything else (zero, subnormal, smallest normal, NaN): false, take the full path. */
static inline bool host_fast(HostOp op, SoftFpFmt f, uint64_t a, uint64_t b, uint64_t c,
                             SoftFpRes *out)
{
    uint64_t r = f == SOFTFP_D ? fast_exec_d(op, a, b, c) : fast_exec_s(op, a, b, c);
    uint64_t mag = r & ~fmt_signbit(f), inf = fp_inf(f, false);
    if (mag > 1ULL << fmt_fbits(f) && mag < inf)
        *out = (SoftFpRes){ r, 0, 0 };
    else if (mag == inf)
        *out = (SoftFpRes){ r, SOFTFP_OF | SOFTFP_NX, 0 };
    else
        return false;
    return true;
}

#else /* no host unit we drive: the software core in every mode */

static inline bool host_has_fma(void) { return true; }

static inline bool host_fast(HostOp op, SoftFpFmt f, uint64_t a, uint64_t b, uint64_t c,
                             SoftFpRes *out)
{
    return false;
}

static inline SoftFpRes host_run(HostOp op, SoftFpFmt f, uint64_t a, uint64_t b, uint64_t c,
                                 SoftFpRound rm)
{
    SoftFpEnv env = SOFTFP_ENV_PLAIN(rm);
    switch (op) {
    case HOST_ADD: return softfp_add(f, a, b, env);
    case HOST_MUL: return softfp_mul(f, a, b, env);
    case HOST_DIV: return softfp_div(f, a, b, env);
    case HOST_SQRT: return softfp_sqrt(f, a, env);
    case HOST_FMA: return softfp_fma(f, a, b, c, 0, env);
    default: return softfp_narrow(a, env);
    }
}

#endif

/* ---- Host-assisted operations (host where it rounds the same way, software otherwise) ---- */

/* An operand the shortcut takes: normal, or zero. */
static inline bool fast_in(SoftFpFmt f, uint64_t x)
{
    uint64_t e = fp_expf(f, x);
    return (e != 0 && e != fmt_emask(f)) || fp_is_zero(f, x);
}

static inline bool fast_mode(SoftFpRound rm, unsigned accrued)
{
    return rm == SOFTFP_RNE && (accrued & SOFTFP_NX);
}

SoftFpRes softfp_host_add(SoftFpFmt f, uint64_t a, uint64_t b, SoftFpRound rm, unsigned accrued)
{
    SoftFpRes r;
    if (rm == SOFTFP_RMM)
        return softfp_add(f, a, b, SOFTFP_ENV_PLAIN(rm));
    if (fast_mode(rm, accrued) && fast_in(f, a) && fast_in(f, b) &&
        host_fast(HOST_ADD, f, a, b, 0, &r))
        return r;
    return host_run(HOST_ADD, f, a, b, 0, rm);
}

/* IEEE 754-2008, 5.4.1: subtraction is x + (-y), NaNs and zero signs included. */
SoftFpRes softfp_host_sub(SoftFpFmt f, uint64_t a, uint64_t b, SoftFpRound rm, unsigned accrued)
{
    return softfp_host_add(f, a, b ^ fmt_signbit(f), rm, accrued);
}

SoftFpRes softfp_host_mul(SoftFpFmt f, uint64_t a, uint64_t b, SoftFpRound rm, unsigned accrued)
{
    SoftFpRes r;
    if (rm == SOFTFP_RMM)
        return softfp_mul(f, a, b, SOFTFP_ENV_PLAIN(rm));
    if (fast_mode(rm, accrued) && fast_in(f, a) && fast_in(f, b) &&
        host_fast(HOST_MUL, f, a, b, 0, &r))
        return r;
    return host_run(HOST_MUL, f, a, b, 0, rm);
}

SoftFpRes softfp_host_div(SoftFpFmt f, uint64_t a, uint64_t b, SoftFpRound rm, unsigned accrued)
{
    SoftFpRes r;
    if (rm == SOFTFP_RMM)
        return softfp_div(f, a, b, SOFTFP_ENV_PLAIN(rm));
    if (fast_mode(rm, accrued) && fast_in(f, a) && fast_in(f, b) && !fp_is_zero(f, b) &&
        host_fast(HOST_DIV, f, a, b, 0, &r))
        return r;
    return host_run(HOST_DIV, f, a, b, 0, rm);
}

SoftFpRes softfp_host_sqrt(SoftFpFmt f, uint64_t a, SoftFpRound rm, unsigned accrued)
{
    SoftFpRes r;
    if (rm == SOFTFP_RMM)
        return softfp_sqrt(f, a, SOFTFP_ENV_PLAIN(rm));
    if (fast_mode(rm, accrued) && fast_in(f, a) && host_fast(HOST_SQRT, f, a, 0, 0, &r))
        return r;
    return host_run(HOST_SQRT, f, a, 0, 0, rm);
}

/* NaN operands go to the software core: inf*0 + qNaN signals NV there, which IEEE leaves to
 * the implementation and the host does not do. */
SoftFpRes softfp_host_fma(SoftFpFmt f, uint64_t a, uint64_t b, uint64_t c, SoftFpRound rm,
                          unsigned accrued)
{
    SoftFpRes r;
    if (rm == SOFTFP_RMM || !host_has_fma())
        return softfp_fma(f, a, b, c, 0, SOFTFP_ENV_PLAIN(rm));
    if (fast_mode(rm, accrued) && fast_in(f, a) && fast_in(f, b) && fast_in(f, c) &&
        host_fast(HOST_FMA, f, a, b, c, &r))
        return r;
    if (fp_is_nan(f, a) || fp_is_nan(f, b) || fp_is_nan(f, c))
        return softfp_fma(f, a, b, c, 0, SOFTFP_ENV_PLAIN(rm));
    return host_run(HOST_FMA, f, a, b, c, rm);
}

SoftFpRes softfp_host_narrow(uint64_t a, SoftFpRound rm, unsigned accrued)
{
    SoftFpRes r;
    if (rm == SOFTFP_RMM)
        return softfp_narrow(a, SOFTFP_ENV_PLAIN(rm));
    if (fast_mode(rm, accrued) && fast_in(SOFTFP_D, a) &&
        host_fast(HOST_NARROW, SOFTFP_S, a, 0, 0, &r))
        return r;
    return host_run(HOST_NARROW, SOFTFP_S, a, 0, 0, rm);
}
