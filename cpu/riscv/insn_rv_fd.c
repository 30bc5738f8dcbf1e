/* cpu/riscv/insn_rv_fd.c: the "F" and "D" standard extensions for single- and
 * double-precision floating point (The RISC-V Instruction Set Manual, Volume I, 20191213,
 * chapter 11 "F" Standard Extension for Single-Precision Floating-Point, Version 2.2, and
 * chapter 12 "D" Standard Extension for Double-Precision Floating-Point, Version 2.2), on
 * IEEE 754-2008 arithmetic: NaN-boxed singles, canonical NaNs, the accrued flags NV DZ OF
 * UF NX with tininess detected after rounding, and the five rounding modes of 11.2
 * "Floating-Point Control and Status Register". Sums, products, quotients, square roots,
 * fused multiply-adds and the double-to-single conversion run on the host SSE unit in the
 * four modes it has (RNE RTZ RDN RUP; MXCSR loaded with DAZ and FTZ off, back to RNE
 * after); RMM, and every integer conversion, use the exact software core in this file.
 * The common case, RNE with NX already accrued, normal operands and a result clear of
 * the subnormal range, is one host instruction with no MXCSR traffic at all (the
 * "hardfloat" shortcut of QEMU's fpu/softfloat.c, redone here). */
#include "cpu/riscv/rv_fpu.h"

#include "cpu/riscv/rv_decode.h"

typedef unsigned __int128 Sf128;

/* ---- Encodings (IEEE 754-2008, 3.4 "Binary interchange format encodings") ---- */

static inline unsigned fmt_fbits(RvFpFmt f) { return f == RV_FP_D ? 52 : 23; }
static inline int fmt_bias(RvFpFmt f) { return f == RV_FP_D ? 1023 : 127; }
static inline uint64_t fmt_emask(RvFpFmt f) { return f == RV_FP_D ? 0x7ff : 0xff; }
static inline uint64_t fmt_signbit(RvFpFmt f) { return f == RV_FP_D ? 1ULL << 63 : 1ULL << 31; }
static inline uint64_t fmt_canon(RvFpFmt f) { return f == RV_FP_D ? RV_FP_CANON_D : RV_FP_CANON_S; }

static inline bool fp_sign(RvFpFmt f, uint64_t x) { return (x & fmt_signbit(f)) != 0; }
static inline uint64_t fp_expf(RvFpFmt f, uint64_t x) { return (x >> fmt_fbits(f)) & fmt_emask(f); }
static inline uint64_t fp_frac(RvFpFmt f, uint64_t x) { return x & ((1ULL << fmt_fbits(f)) - 1); }
static inline bool fp_is_nan(RvFpFmt f, uint64_t x)
{
    return fp_expf(f, x) == fmt_emask(f) && fp_frac(f, x) != 0;
}
static inline bool fp_is_snan(RvFpFmt f, uint64_t x)
{
    return fp_is_nan(f, x) && !((x >> (fmt_fbits(f) - 1)) & 1);
}
static inline bool fp_is_inf(RvFpFmt f, uint64_t x)
{
    return (x & ~fmt_signbit(f)) == fmt_emask(f) << fmt_fbits(f);
}
static inline bool fp_is_zero(RvFpFmt f, uint64_t x) { return (x & (fmt_signbit(f) - 1)) == 0; }
static inline uint64_t fp_zero(RvFpFmt f, bool s) { return s ? fmt_signbit(f) : 0; }
static inline uint64_t fp_inf(RvFpFmt f, bool s)
{
    return fp_zero(f, s) | fmt_emask(f) << fmt_fbits(f);
}

static inline RvFpRes fp_nan(RvFpFmt f, bool invalid)
{
    return (RvFpRes){ fmt_canon(f), invalid ? FFLAG_NV : 0 };
}

/* x + y for two zeros, or any exact zero sum of opposite signs (IEEE 754-2008, 6.3). */
static inline RvFpRes fp_zero_sum(RvFpFmt f, bool sx, bool sy, unsigned rm)
{
    return (RvFpRes){ fp_zero(f, sx == sy ? sx : rm == RM_RDN), 0 };
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

static SfNum sf_unpack(RvFpFmt f, uint64_t x)
{
    uint64_t e = fp_expf(f, x), m = fp_frac(f, x) | (e ? 1ULL << fmt_fbits(f) : 0);
    int exp = (e ? (int)e : 1) - fmt_bias(f) - (int)fmt_fbits(f);
    unsigned s = clz64(m);
    return (SfNum){ .sign = fp_sign(f, x), .exp = exp - (int)s, .sig = m << s };
}

/* Whether to add one unit to the kept bits; rem is what is cut off, half is one half. */
static inline bool round_up(unsigned rm, bool sign, bool odd, uint64_t rem, uint64_t half)
{
    switch (rm) {
    case RM_RNE: return rem > half || (rem == half && odd);
    case RM_RTZ: return false;
    case RM_RDN: return sign && rem;
    case RM_RUP: return !sign && rem;
    default: return rem >= half; /* RM_RMM */
    }
}

/* IEEE 754-2008, 7.4 "Overflow": infinity, or the largest finite number when the rounding
 * direction points towards zero. */
static inline uint64_t overflow_value(RvFpFmt f, bool sign, unsigned rm)
{
    bool to_inf = rm == RM_RNE || rm == RM_RMM || (rm == RM_RUP && !sign) ||
                  (rm == RM_RDN && sign);
    return fp_inf(f, sign) - !to_inf;
}

/* Rounds sign * sig * 2^exp to format f. sig has bit 63 set, and bit 0 set if the exact
 * value had further nonzero bits below it.
 * 1. Round to the precision p with the exponent range unbounded: this decides tininess,
 *    which RISC-V detects after rounding (11.6).
 * 2. Unrounded exponent >= emin: that result, or the overflow value with OF and NX.
 * 3. Below emin: denormalise with a sticky shift and round again; UF when the result is
 *    both tiny and inexact (IEEE 754-2008, 7.5). */
static RvFpRes sf_round_pack(RvFpFmt f, bool sign, int exp, uint64_t sig, unsigned rm)
{
    const unsigned p = fmt_fbits(f) + 1, sh = 64 - p;
    const uint64_t mask = (1ULL << sh) - 1, half = 1ULL << (sh - 1), s = fp_zero(f, sign);
    const int emin = 1 - fmt_bias(f), e = exp + 63;
    uint64_t rem = sig & mask, keep = (sig >> sh) + round_up(rm, sign, (sig >> sh) & 1, rem, half);
    int re = e + (int)(keep >> p);
    if (e >= emin) {
        if (re > fmt_bias(f))
            return (RvFpRes){ overflow_value(f, sign, rm), FFLAG_OF | FFLAG_NX };
        return (RvFpRes){ s | (((uint64_t)(e + fmt_bias(f) - 1) << fmt_fbits(f)) + keep),
                          rem ? FFLAG_NX : 0 };
    }
    bool tiny = re < emin;
    uint64_t d = shr_jam64(sig, (unsigned)(emin - e));
    rem = d & mask;
    keep = (d >> sh) + round_up(rm, sign, (d >> sh) & 1, rem, half);
    return (RvFpRes){ s | keep, rem ? (tiny ? FFLAG_UF | FFLAG_NX : FFLAG_NX) : 0 };
}

/* Normalises a nonzero 128-bit significand and rounds it: value = sign * v * 2^exp. */
static RvFpRes sf_round_pack128(RvFpFmt f, bool sign, int exp, Sf128 v, unsigned rm)
{
    unsigned s = clz128(v);
    v <<= s;
    uint64_t sig = (uint64_t)(v >> 64) | ((uint64_t)v != 0);
    return sf_round_pack(f, sign, exp - (int)s + 64, sig, rm);
}

RvFpRes rv_sf_add(RvFpFmt f, uint64_t a, uint64_t b, unsigned rm)
{
    if (fp_is_nan(f, a) || fp_is_nan(f, b))
        return fp_nan(f, fp_is_snan(f, a) || fp_is_snan(f, b));
    if (fp_is_inf(f, a) && fp_is_inf(f, b) && fp_sign(f, a) != fp_sign(f, b))
        return fp_nan(f, true);
    if (fp_is_inf(f, a))
        return (RvFpRes){ a, 0 };
    if (fp_is_inf(f, b))
        return (RvFpRes){ b, 0 };
    if (fp_is_zero(f, a) && fp_is_zero(f, b))
        return fp_zero_sum(f, fp_sign(f, a), fp_sign(f, b), rm);
    if (fp_is_zero(f, a) || fp_is_zero(f, b))
        return (RvFpRes){ fp_is_zero(f, a) ? b : a, 0 };
    SfNum x = sf_unpack(f, a), y = sf_unpack(f, b);
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
        return fp_zero_sum(f, false, true, rm);
    unsigned s = clz64(z);
    return sf_round_pack(f, x.sign, x.exp + 1 - (int)s, z << s, rm);
}

RvFpRes rv_sf_mul(RvFpFmt f, uint64_t a, uint64_t b, unsigned rm)
{
    bool sign = fp_sign(f, a) != fp_sign(f, b);
    if (fp_is_nan(f, a) || fp_is_nan(f, b))
        return fp_nan(f, fp_is_snan(f, a) || fp_is_snan(f, b));
    if ((fp_is_inf(f, a) && fp_is_zero(f, b)) || (fp_is_zero(f, a) && fp_is_inf(f, b)))
        return fp_nan(f, true);
    if (fp_is_inf(f, a) || fp_is_inf(f, b))
        return (RvFpRes){ fp_inf(f, sign), 0 };
    if (fp_is_zero(f, a) || fp_is_zero(f, b))
        return (RvFpRes){ fp_zero(f, sign), 0 };
    SfNum x = sf_unpack(f, a), y = sf_unpack(f, b);
    return sf_round_pack128(f, sign, x.exp + y.exp, (Sf128)x.sig * y.sig, rm);
}

RvFpRes rv_sf_div(RvFpFmt f, uint64_t a, uint64_t b, unsigned rm)
{
    bool sign = fp_sign(f, a) != fp_sign(f, b);
    if (fp_is_nan(f, a) || fp_is_nan(f, b))
        return fp_nan(f, fp_is_snan(f, a) || fp_is_snan(f, b));
    if ((fp_is_inf(f, a) && fp_is_inf(f, b)) || (fp_is_zero(f, a) && fp_is_zero(f, b)))
        return fp_nan(f, true);
    if (fp_is_inf(f, a) || fp_is_zero(f, b)) /* DZ only for a finite dividend */
        return (RvFpRes){ fp_inf(f, sign), fp_is_inf(f, a) ? 0 : FFLAG_DZ };
    if (fp_is_zero(f, a) || fp_is_inf(f, b))
        return (RvFpRes){ fp_zero(f, sign), 0 };
    SfNum x = sf_unpack(f, a), y = sf_unpack(f, b);
    unsigned k = x.sig >= y.sig ? 63 : 64; /* the quotient then has bit 63 set */
    Sf128 n = (Sf128)x.sig << k;
    uint64_t q = (uint64_t)(n / y.sig);
    bool sticky = n != (Sf128)q * y.sig;
    return sf_round_pack(f, sign, x.exp - y.exp - (int)k, q | sticky, rm);
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

RvFpRes rv_sf_sqrt(RvFpFmt f, uint64_t a, unsigned rm)
{
    if (fp_is_nan(f, a))
        return fp_nan(f, fp_is_snan(f, a));
    if (fp_is_zero(f, a))
        return (RvFpRes){ a, 0 };
    if (fp_sign(f, a))
        return fp_nan(f, true);
    if (fp_is_inf(f, a))
        return (RvFpRes){ a, 0 };
    SfNum x = sf_unpack(f, a);
    unsigned k = (x.exp & 1) ? 63 : 64; /* even exponent; root with bit 63 set */
    bool inexact;
    uint64_t r = isqrt128((Sf128)x.sig << k, &inexact);
    return sf_round_pack(f, false, (x.exp - (int)k) / 2, r | inexact, rm);
}

/* The cases of a*b + c that need no arithmetic: NaNs, infinities, zero products. */
static bool sf_fma_special(RvFpFmt f, uint64_t a, uint64_t b, uint64_t c, unsigned rm,
                           RvFpRes *out)
{
    bool inf_zero = (fp_is_inf(f, a) && fp_is_zero(f, b)) || (fp_is_zero(f, a) && fp_is_inf(f, b));
    bool ps = fp_sign(f, a) != fp_sign(f, b), pinf = fp_is_inf(f, a) || fp_is_inf(f, b);
    if (fp_is_nan(f, a) || fp_is_nan(f, b) || fp_is_nan(f, c))
        *out = fp_nan(f, inf_zero || fp_is_snan(f, a) || fp_is_snan(f, b) || fp_is_snan(f, c));
    else if (inf_zero || (pinf && fp_is_inf(f, c) && fp_sign(f, c) != ps))
        *out = fp_nan(f, true);
    else if (pinf)
        *out = (RvFpRes){ fp_inf(f, ps), 0 };
    else if (fp_is_inf(f, c))
        *out = (RvFpRes){ c, 0 };
    else if ((fp_is_zero(f, a) || fp_is_zero(f, b)) && fp_is_zero(f, c))
        *out = fp_zero_sum(f, ps, fp_sign(f, c), rm);
    else if (fp_is_zero(f, a) || fp_is_zero(f, b))
        *out = (RvFpRes){ c, 0 };
    else
        return false;
    return true;
}

/* The exact product (at most 106 bits) and the addend are both placed with their top bit
 * at bit 126; the smaller is shifted right with a sticky bit, and the sum rounded once. */
RvFpRes rv_sf_fma(RvFpFmt f, uint64_t a, uint64_t b, uint64_t c, unsigned rm)
{
    RvFpRes r;
    if (sf_fma_special(f, a, b, c, rm, &r))
        return r;
    SfNum x = sf_unpack(f, a), y = sf_unpack(f, b);
    bool ps = x.sign != y.sign;
    Sf128 p = (Sf128)x.sig * y.sig; /* in [2^126, 2^128), low 22 bits clear */
    int pe = x.exp + y.exp + (int)(p >> 127);
    p >>= p >> 127;
    if (fp_is_zero(f, c))
        return sf_round_pack128(f, ps, pe, p, rm);
    SfNum z = sf_unpack(f, c);
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
        return fp_zero_sum(f, false, true, rm);
    return sf_round_pack128(f, ps, pe, sum, rm);
}

RvFpRes rv_sf_cvt_s_d(uint64_t a, unsigned rm)
{
    if (fp_is_nan(RV_FP_D, a))
        return fp_nan(RV_FP_S, fp_is_snan(RV_FP_D, a));
    if (fp_is_inf(RV_FP_D, a))
        return (RvFpRes){ fp_inf(RV_FP_S, fp_sign(RV_FP_D, a)), 0 };
    if (fp_is_zero(RV_FP_D, a))
        return (RvFpRes){ fp_zero(RV_FP_S, fp_sign(RV_FP_D, a)), 0 };
    SfNum x = sf_unpack(RV_FP_D, a);
    return sf_round_pack(RV_FP_S, x.sign, x.exp, x.sig, rm);
}

/* ---- Host FPU: x86-64 SSE, MXCSR per operation ---- */

typedef enum HostOp { HOST_ADD, HOST_MUL, HOST_DIV, HOST_SQRT, HOST_FMA, HOST_NARROW } HostOp;

#if defined(__x86_64__)

#define HOST_MXCSR 0x1f80u /* all exceptions masked, round to nearest, DAZ and FTZ off */

static inline uint32_t host_csr(unsigned rm)
{
    static const uint8_t rc[4] = { [RM_RNE] = 0, [RM_RTZ] = 3, [RM_RDN] = 1, [RM_RUP] = 2 };
    return HOST_MXCSR | (uint32_t)rc[rm] << 13;
}

/* MXCSR IE DE ZE OE UE PE (bits 0-5) to fflags; DE has no RISC-V counterpart. */
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
static inline RvFpRes host_run(HostOp op, RvFpFmt f, uint64_t a, uint64_t b, uint64_t c,
                               unsigned rm)
{
    uint32_t csr = host_csr(rm), st;
    uint64_t r = f == RV_FP_D ? host_exec_d(op, a, b, c, csr, &st)
                              : host_exec_s(op, a, b, c, csr, &st);
    if (csr != HOST_MXCSR)
        host_restore();
    return (RvFpRes){ fp_is_nan(f, r) ? fmt_canon(f) : r, host_flags(st) };
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
static inline bool host_fast(HostOp op, RvFpFmt f, uint64_t a, uint64_t b, uint64_t c,
                             RvFpRes *out)
{
    uint64_t r = f == RV_FP_D ? fast_exec_d(op, a, b, c) : fast_exec_s(op, a, b, c);
    uint64_t mag = r & ~fmt_signbit(f), inf = fp_inf(f, false);
    if (mag > 1ULL << fmt_fbits(f) && mag < inf)
        *out = (RvFpRes){ r, 0 };
    else if (mag == inf)
        *out = (RvFpRes){ r, FFLAG_OF | FFLAG_NX };
    else
        return false;
    return true;
}

#else /* no host unit we drive: the software core in every mode */

static inline bool host_has_fma(void) { return true; }

static inline bool host_fast(HostOp op, RvFpFmt f, uint64_t a, uint64_t b, uint64_t c,
                             RvFpRes *out)
{
    return false;
}

static inline RvFpRes host_run(HostOp op, RvFpFmt f, uint64_t a, uint64_t b, uint64_t c,
                               unsigned rm)
{
    switch (op) {
    case HOST_ADD: return rv_sf_add(f, a, b, rm);
    case HOST_MUL: return rv_sf_mul(f, a, b, rm);
    case HOST_DIV: return rv_sf_div(f, a, b, rm);
    case HOST_SQRT: return rv_sf_sqrt(f, a, rm);
    case HOST_FMA: return rv_sf_fma(f, a, b, c, rm);
    default: return rv_sf_cvt_s_d(a, rm);
    }
}

#endif

/* ---- Operations (host where it rounds the same way, software otherwise) ---- */

/* An operand the shortcut takes: normal, or zero. */
static inline bool fast_in(RvFpFmt f, uint64_t x)
{
    uint64_t e = fp_expf(f, x);
    return (e != 0 && e != fmt_emask(f)) || fp_is_zero(f, x);
}

static inline bool fast_mode(unsigned rm, unsigned accrued)
{
    return rm == RM_RNE && (accrued & FFLAG_NX);
}

RvFpRes rv_fp_add(RvFpFmt f, uint64_t a, uint64_t b, unsigned rm, unsigned accrued)
{
    RvFpRes r;
    if (rm == RM_RMM)
        return rv_sf_add(f, a, b, rm);
    if (fast_mode(rm, accrued) && fast_in(f, a) && fast_in(f, b) &&
        host_fast(HOST_ADD, f, a, b, 0, &r))
        return r;
    return host_run(HOST_ADD, f, a, b, 0, rm);
}

/* IEEE 754-2008, 5.4.1: subtraction is x + (-y), NaNs and zero signs included. */
RvFpRes rv_fp_sub(RvFpFmt f, uint64_t a, uint64_t b, unsigned rm, unsigned accrued)
{
    return rv_fp_add(f, a, b ^ fmt_signbit(f), rm, accrued);
}

RvFpRes rv_fp_mul(RvFpFmt f, uint64_t a, uint64_t b, unsigned rm, unsigned accrued)
{
    RvFpRes r;
    if (rm == RM_RMM)
        return rv_sf_mul(f, a, b, rm);
    if (fast_mode(rm, accrued) && fast_in(f, a) && fast_in(f, b) &&
        host_fast(HOST_MUL, f, a, b, 0, &r))
        return r;
    return host_run(HOST_MUL, f, a, b, 0, rm);
}

RvFpRes rv_fp_div(RvFpFmt f, uint64_t a, uint64_t b, unsigned rm, unsigned accrued)
{
    RvFpRes r;
    if (rm == RM_RMM)
        return rv_sf_div(f, a, b, rm);
    if (fast_mode(rm, accrued) && fast_in(f, a) && fast_in(f, b) && !fp_is_zero(f, b) &&
        host_fast(HOST_DIV, f, a, b, 0, &r))
        return r;
    return host_run(HOST_DIV, f, a, b, 0, rm);
}

RvFpRes rv_fp_sqrt(RvFpFmt f, uint64_t a, unsigned rm, unsigned accrued)
{
    RvFpRes r;
    if (rm == RM_RMM)
        return rv_sf_sqrt(f, a, rm);
    if (fast_mode(rm, accrued) && fast_in(f, a) && host_fast(HOST_SQRT, f, a, 0, 0, &r))
        return r;
    return host_run(HOST_SQRT, f, a, 0, 0, rm);
}

/* NaN operands go to the software core: RISC-V wants NV for inf*0 + qNaN, which IEEE
 * leaves to the implementation. */
RvFpRes rv_fp_fma(RvFpFmt f, uint64_t a, uint64_t b, uint64_t c, unsigned rm,
                  unsigned accrued)
{
    RvFpRes r;
    if (rm == RM_RMM || !host_has_fma())
        return rv_sf_fma(f, a, b, c, rm);
    if (fast_mode(rm, accrued) && fast_in(f, a) && fast_in(f, b) && fast_in(f, c) &&
        host_fast(HOST_FMA, f, a, b, c, &r))
        return r;
    if (fp_is_nan(f, a) || fp_is_nan(f, b) || fp_is_nan(f, c))
        return rv_sf_fma(f, a, b, c, rm);
    return host_run(HOST_FMA, f, a, b, c, rm);
}

RvFpRes rv_fp_cvt_s_d(uint64_t a, unsigned rm, unsigned accrued)
{
    RvFpRes r;
    if (rm == RM_RMM)
        return rv_sf_cvt_s_d(a, rm);
    if (fast_mode(rm, accrued) && fast_in(RV_FP_D, a) &&
        host_fast(HOST_NARROW, RV_FP_S, a, 0, 0, &r))
        return r;
    return host_run(HOST_NARROW, RV_FP_S, a, 0, 0, rm);
}

/* Widening is exact: only NaNs need care. */
RvFpRes rv_fp_cvt_d_s(uint64_t a)
{
    if (fp_is_nan(RV_FP_S, a))
        return fp_nan(RV_FP_D, fp_is_snan(RV_FP_S, a));
    if (fp_is_inf(RV_FP_S, a))
        return (RvFpRes){ fp_inf(RV_FP_D, fp_sign(RV_FP_S, a)), 0 };
    if (fp_is_zero(RV_FP_S, a))
        return (RvFpRes){ fp_zero(RV_FP_D, fp_sign(RV_FP_S, a)), 0 };
    SfNum x = sf_unpack(RV_FP_S, a);
    return sf_round_pack(RV_FP_D, x.sign, x.exp, x.sig, RM_RNE);
}

/* Table 11.4: the saturated result of an invalid conversion; NaN counts as positive. */
static RvFpRes int_invalid(bool neg, bool is_signed, unsigned bits)
{
    uint64_t top = 1ULL << (bits - 1), all = top | (top - 1);
    uint64_t v = is_signed ? (neg ? top : top - 1) : (neg ? 0 : all);
    return (RvFpRes){ bits == 32 ? (uint64_t)(int64_t)(int32_t)v : v, FFLAG_NV };
}

/* Whether the rounded magnitude q fits the destination ("after rounding", table 11.4). */
static inline bool int_fits(uint64_t q, bool neg, bool is_signed, unsigned bits)
{
    if (is_signed)
        return q <= (1ULL << (bits - 1)) - !neg;
    return neg ? q == 0 : (bits == 64 || q <= 0xffffffffULL);
}

/* 1. NaN, infinities and values of 2^64 or more saturate with NV.
 * 2. Split |a| into integer q and a fraction aligned at bit 63 (sticky below), round.
 * 3. Out of range after rounding saturates with NV only; otherwise NX if inexact. */
RvFpRes rv_fp_to_int(RvFpFmt f, uint64_t a, unsigned rm, bool is_signed, unsigned bits)
{
    bool neg = fp_sign(f, a);
    if (fp_is_nan(f, a))
        return int_invalid(false, is_signed, bits);
    if (fp_is_zero(f, a))
        return (RvFpRes){ 0, 0 };
    SfNum x = sf_unpack(f, a);
    if (fp_is_inf(f, a) || x.exp > 0)
        return int_invalid(neg, is_signed, bits);
    unsigned n = (unsigned)-x.exp;
    uint64_t q = n < 64 ? x.sig >> n : 0;
    uint64_t frac = n == 0 ? 0 : n < 64 ? x.sig << (64 - n) : shr_jam64(x.sig, n - 64);
    q += round_up(rm, neg, q & 1, frac, 1ULL << 63);
    if (!int_fits(q, neg, is_signed, bits))
        return int_invalid(neg, is_signed, bits);
    uint64_t v = neg ? 0 - q : q;
    return (RvFpRes){ bits == 32 ? (uint64_t)(int64_t)(int32_t)v : v, frac ? FFLAG_NX : 0 };
}

RvFpRes rv_fp_from_int(RvFpFmt f, uint64_t v, bool is_signed, unsigned bits, unsigned rm)
{
    if (bits == 32)
        v = is_signed ? (uint64_t)(int64_t)(int32_t)v : (uint32_t)v;
    bool neg = is_signed && (int64_t)v < 0;
    uint64_t mag = neg ? 0 - v : v;
    if (!mag)
        return (RvFpRes){ 0, 0 };
    unsigned s = clz64(mag);
    return sf_round_pack(f, neg, -(int)s, mag << s, rm);
}

/* An unsigned key that orders non-NaN encodings numerically, with -0 below +0. */
static inline uint64_t fp_key(RvFpFmt f, uint64_t x)
{
    uint64_t all = fmt_signbit(f) | (fmt_signbit(f) - 1);
    return fp_sign(f, x) ? ~x & all : x | fmt_signbit(f);
}

RvFpRes rv_fp_minmax(RvFpFmt f, uint64_t a, uint64_t b, bool max)
{
    unsigned fl = fp_is_snan(f, a) || fp_is_snan(f, b) ? FFLAG_NV : 0;
    if (fp_is_nan(f, a) && fp_is_nan(f, b))
        return (RvFpRes){ fmt_canon(f), fl };
    if (fp_is_nan(f, a) || fp_is_nan(f, b))
        return (RvFpRes){ fp_is_nan(f, a) ? b : a, fl };
    bool a_less = fp_key(f, a) < fp_key(f, b);
    return (RvFpRes){ a_less != max ? a : b, fl };
}

RvFpRes rv_fp_cmp(RvFpFmt f, uint64_t a, uint64_t b, RvFpCmp kind)
{
    if (fp_is_nan(f, a) || fp_is_nan(f, b)) {
        bool quiet = kind == RV_FP_EQ && !fp_is_snan(f, a) && !fp_is_snan(f, b);
        return (RvFpRes){ 0, quiet ? 0 : FFLAG_NV };
    }
    if (fp_is_zero(f, a) && fp_is_zero(f, b))
        return (RvFpRes){ kind != RV_FP_LT, 0 };
    uint64_t ka = fp_key(f, a), kb = fp_key(f, b);
    bool r = kind == RV_FP_EQ ? ka == kb : kind == RV_FP_LT ? ka < kb : ka <= kb;
    return (RvFpRes){ r, 0 };
}

/* Table 11.5: bit 0 -inf, 1 negative normal, 2 negative subnormal, 3 -0, 4 +0,
 * 5 positive subnormal, 6 positive normal, 7 +inf, 8 signaling NaN, 9 quiet NaN. */
uint64_t rv_fp_class(RvFpFmt f, uint64_t a)
{
    bool s = fp_sign(f, a);
    if (fp_is_nan(f, a))
        return fp_is_snan(f, a) ? 1u << 8 : 1u << 9;
    if (fp_is_inf(f, a))
        return s ? 1u << 0 : 1u << 7;
    if (fp_is_zero(f, a))
        return s ? 1u << 3 : 1u << 4;
    if (fp_expf(f, a) == 0)
        return s ? 1u << 2 : 1u << 5;
    return s ? 1u << 1 : 1u << 6;
}

uint64_t rv_fp_sgnj(RvFpFmt f, uint64_t a, uint64_t b, RvFpSgnj kind)
{
    uint64_t sb = fmt_signbit(f);
    uint64_t s = kind == RV_FP_SGNJ ? b & sb : kind == RV_FP_SGNJN ? ~b & sb : (a ^ b) & sb;
    return (a & ~sb) | s;
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
