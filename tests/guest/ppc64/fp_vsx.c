/* tests/guest/ppc64/fp_vsx.c: the floating-point, vector (VMX) and vector-scalar (VSX)
 * facilities as a kernel and its C library use them (Power ISA v3.0B Book I chapter 4
 * "Floating-Point Facility": 4.2.2 FPSCR with FPRF, FR, FI and the sticky exception bits,
 * 4.3.6 rounding modes, 4.4 exceptions with 4.4.1-4.4.6 invalid operation, zero divide,
 * overflow, underflow, inexact, 4.6.6 fctiw; Book III-S 7.5.9 the Floating-Point
 * Enabled Exception type Program interrupt with MSR[FE0 FE1]; chapter 6 "Vector
 * Facility" with the element order of lvx/stvx in little-endian mode, vperm, vsldoi,
 * saturation and VSCR[SAT], the record forms setting CR6; chapter 7 "Vector-Scalar
 * Floating-Point Operations" with the VSR/FPR overlap, lxvd2x/lxvw4x element order,
 * xxpermdi, the logical operations, xvadddp and friends). Expected values are worked out
 * by hand from the ISA's definitions (IEEE 754 binary64/binary32 encodings), never taken
 * from a run. */
#include "guest_ppc64.h"

#define MSR_FE0 (1ULL << 11)
#define MSR_FE1 (1ULL << 8)

/* FPSCR bits 32:63, as the low word of mffs. */
#define FX 0x80000000u
#define FEX 0x40000000u
#define VX 0x20000000u
#define OX 0x10000000u
#define UX 0x08000000u
#define ZX 0x04000000u
#define XX 0x02000000u
#define VXSNAN 0x01000000u
#define VXISI 0x00800000u
#define VXIDI 0x00400000u
#define VXZDZ 0x00200000u
#define VXIMZ 0x00100000u
#define FR 0x00040000u
#define FI 0x00020000u
#define FPRF 0x0001f000u
#define VXSQRT 0x00000200u
#define VXCVI 0x00000100u
#define VE 0x80u
#define ZE 0x10u
#define RN_MASK 0x3u

/* FPRF values (C FL FG FE FU). */
#define FPRF_QNAN 0x11000u
#define FPRF_NINF 0x09000u
#define FPRF_NNORM 0x08000u
#define FPRF_NZERO 0x12000u
#define FPRF_PZERO 0x02000u
#define FPRF_PDENORM 0x14000u
#define FPRF_PNORM 0x04000u
#define FPRF_PINF 0x05000u

static uint64_t bits(double d)
{
    uint64_t v;
    memcpy(&v, &d, 8);
    return v;
}

static double dbl(uint64_t v)
{
    double d;
    memcpy(&d, &v, 8);
    return d;
}

static void set_fpscr(uint32_t v)
{
    double d = dbl(v);
    __asm__ volatile("mtfsf 0xff, %0" : : "d"(d) : "memory");
}

static uint32_t get_fpscr(void)
{
    double d;
    __asm__ volatile("mffs %0" : "=d"(d) : : "memory");
    return (uint32_t)bits(d);
}

#define FP2(insn, a, b)                                                          \
    ({                                                                           \
        double r_;                                                               \
        __asm__ volatile(insn " %0, %1, %2" : "=d"(r_) : "d"(a), "d"(b) : "memory"); \
        r_;                                                                      \
    })

static double fadd(double a, double b) { return FP2("fadd", a, b); }
static double fsub(double a, double b) { return FP2("fsub", a, b); }
static double fmul(double a, double b) { return FP2("fmul", a, b); }
static double fdiv(double a, double b) { return FP2("fdiv", a, b); }
static double fdivs(double a, double b) { return FP2("fdivs", a, b); }

static double fsqrt(double a)
{
    double r;
    __asm__ volatile("fsqrt %0, %1" : "=d"(r) : "d"(a) : "memory");
    return r;
}

static double fmadd(double a, double c, double b)
{
    double r;
    __asm__ volatile("fmadd %0, %1, %2, %3" : "=d"(r) : "d"(a), "d"(c), "d"(b) : "memory");
    return r;
}

/* fctiw under rounding mode rn: the word fctiw leaves in FRT bits 32:63 (stfiwx). */
static int32_t fctiw(double a, unsigned rn)
{
    int32_t w;
    double t;
    set_fpscr(rn);
    __asm__ volatile("fctiw %0, %2\n"
                     "stfiwx %0, 0, %3"
                     : "=&d"(t), "=m"(w)
                     : "d"(a), "r"(&w)
                     : "memory");
    return w;
}

static int32_t fctiwz(double a)
{
    int32_t w;
    double t;
    __asm__ volatile("fctiwz %0, %2\n"
                     "stfiwx %0, 0, %3"
                     : "=&d"(t), "=m"(w)
                     : "d"(a), "r"(&w)
                     : "memory");
    return w;
}

/* One result and the FPSCR it leaves, from a clear FPSCR. */
#define CHECK_FP(expr, want_bits, want_set, want_fprf, what)                                 \
    do {                                                                                     \
        set_fpscr(0);                                                                        \
        uint64_t got_ = bits(expr);                                                          \
        uint32_t f_ = get_fpscr();                                                           \
        report(got_ == (want_bits) && (f_ & (want_set)) == (want_set) &&                     \
                   (f_ & FPRF) == (want_fprf),                                               \
               "%s = %016llx, FPSCR %08x", what, (unsigned long long)got_, f_);              \
    } while (0)

static void test_arith(void)
{
    CHECK_FP(fadd(1.0, 2.0), 0x4008000000000000ULL, 0, FPRF_PNORM, "fadd 1 + 2");
    set_fpscr(0);
    fadd(1.0, 2.0);
    report((get_fpscr() & (FX | XX | FI | FR)) == 0, "an exact fadd sets no exception, FI = FR = 0");
    CHECK_FP(fsub(1.0, 3.0), 0xc000000000000000ULL, 0, FPRF_NNORM, "fsub 1 - 3");
    CHECK_FP(fmul(-1.0, 0.0), 0x8000000000000000ULL, 0, FPRF_NZERO, "fmul -1 * 0");
    CHECK_FP(fsub(2.0, 2.0), 0x0000000000000000ULL, 0, FPRF_PZERO, "fsub 2 - 2");
    CHECK_FP(fdiv(1.0, 0.0), 0x7ff0000000000000ULL, FX | ZX, FPRF_PINF, "fdiv 1 / 0 (ZX)");
    CHECK_FP(fdiv(-1.0, 0.0), 0xfff0000000000000ULL, FX | ZX, FPRF_NINF, "fdiv -1 / 0");
    CHECK_FP(fdiv(1.0, 3.0), 0x3fd5555555555555ULL, FX | XX | FI, FPRF_PNORM, "fdiv 1 / 3 (XX, FI)");
    set_fpscr(0);
    fdiv(1.0, 3.0);
    report(!(get_fpscr() & FR), "1 / 3 rounds down to nearest: FR = 0");
    CHECK_FP(fdiv(1.0, 10.0), 0x3fb999999999999aULL, XX | FI | FR, FPRF_PNORM,
             "fdiv 1 / 10 rounds up to nearest: FR = FI = 1");
    CHECK_FP(fdiv(0.0, 0.0), 0x7ff8000000000000ULL, FX | VX | VXZDZ, FPRF_QNAN, "fdiv 0 / 0 (VXZDZ)");
    double inf = dbl(0x7ff0000000000000ULL);
    CHECK_FP(fsub(inf, inf), 0x7ff8000000000000ULL, FX | VX | VXISI, FPRF_QNAN, "fsub inf - inf (VXISI)");
    CHECK_FP(fdiv(inf, inf), 0x7ff8000000000000ULL, FX | VX | VXIDI, FPRF_QNAN, "fdiv inf / inf (VXIDI)");
    CHECK_FP(fmul(inf, 0.0), 0x7ff8000000000000ULL, FX | VX | VXIMZ, FPRF_QNAN, "fmul inf * 0 (VXIMZ)");
    CHECK_FP(fsqrt(2.0), 0x3ff6a09e667f3bcdULL, XX | FI, FPRF_PNORM, "fsqrt 2");
    CHECK_FP(fsqrt(-1.0), 0x7ff8000000000000ULL, VX | VXSQRT, FPRF_QNAN, "fsqrt -1 (VXSQRT)");
    CHECK_FP(fmul(dbl(0x7fe0000000000000ULL), 4.0), 0x7ff0000000000000ULL, FX | OX | XX,
             FPRF_PINF, "fmul 2^1023 * 4 (OX, XX)");
    CHECK_FP(fmul(dbl(0x0170000000000000ULL) /* 2^-1000 */, dbl(0x3b50000000000000ULL) /* 2^-74 */),
             0x0000000000000001ULL, 0, FPRF_PDENORM, "fmul 2^-1000 * 2^-74 = 2^-1074, exact denormal");
    set_fpscr(0);
    fmul(dbl(0x0170000000000000ULL), dbl(0x3b50000000000000ULL));
    report(!(get_fpscr() & (UX | XX)), "an exact denormal result: no UX (UE = 0), no XX");
    CHECK_FP(fmul(dbl(0x0170000000000000ULL), dbl(0x3b40000000000000ULL) /* 2^-75 */),
             0x0000000000000000ULL, UX | XX, FPRF_PZERO, "fmul 2^-1000 * 2^-75 underflows to +0");
    CHECK_FP(fmadd(2.0, 3.0, 1.0), 0x401c000000000000ULL, 0, FPRF_PNORM, "fmadd 2 * 3 + 1");
    /* fmadd rounds once: (1 + 2^-52)(1 - 2^-52) - 1 = -2^-104 exactly (a separate multiply
     * would round the product to 1 and give 0). */
    CHECK_FP(fmadd(dbl(0x3ff0000000000001ULL), dbl(0x3feffffffffffffeULL), -1.0),
             0xb970000000000000ULL, 0, FPRF_NNORM, "fmadd fused: (1+e)(1-e) - 1 = -2^-104");
    CHECK_FP(fdivs(1.0, 3.0), 0x3fd5555560000000ULL, XX | FI | FR, FPRF_PNORM,
             "fdivs 1 / 3 rounded to single (FR = 1)");

    /* Rc = 1: CR1 = FX FEX VX OX. */
    set_fpscr(0);
    uint32_t cr;
    double r;
    __asm__ volatile("fdiv. %0, %2, %3\n"
                     "mfcr %1"
                     : "=d"(r), "=r"(cr)
                     : "d"(1.0), "d"(0.0)
                     : "cr1", "memory");
    report(((cr >> 24) & 0xf) == 0x8, "fdiv. 1 / 0: CR1 = FX only (%x)", (cr >> 24) & 0xf);
    set_fpscr(0);
}

static void test_convert(void)
{
    static const struct {
        double in;
        unsigned rn;
        int32_t want;
    } cases[] = {
        { 2.5, 0, 2 },  { 3.5, 0, 4 },  { -2.5, 0, -2 }, { 2.7, 1, 2 },  { -2.7, 1, -2 },
        { 2.1, 2, 3 },  { -2.7, 2, -2 }, { 2.7, 3, 2 },  { -2.1, 3, -3 },
    };
    bool ok = true;
    for (unsigned k = 0; k < ARRAY_SIZE(cases); k++) {
        int32_t got = fctiw(cases[k].in, cases[k].rn);
        if (got != cases[k].want) {
            ok = false;
            report_info("fctiw(%d/10, RN %u) = %d, want %d", (int)(cases[k].in * 10),
                        cases[k].rn, got, cases[k].want);
        }
    }
    report(ok, "fctiw rounds by FPSCR[RN]: nearest-even, zero, +inf, -inf");
    set_fpscr(2); /* RN = +inf */
    report(fctiwz(2.9) == 2 && fctiwz(-2.9) == -2, "fctiwz truncates whatever RN says");
    set_fpscr(0);
    int32_t big = fctiw(1e10, 0);
    uint32_t f = get_fpscr();
    report(big == 0x7fffffff && (f & (VX | VXCVI)) == (VX | VXCVI),
           "fctiw of 1e10: 0x7fffffff, VXCVI");
    big = fctiw(-1e10, 0);
    report(big == (int32_t)0x80000000, "fctiw of -1e10: 0x80000000");
    set_fpscr(0);
}

/* ---- enabled exceptions ---- */

static volatile unsigned fp_traps;
static volatile uint64_t fp_trap_srr0, fp_trap_srr1;
static volatile uint32_t fp_trap_fpscr;

static void on_program(struct trap_frame *f)
{
    fp_traps++;
    fp_trap_srr0 = f->srr0;
    fp_trap_srr1 = f->srr1;
    fp_trap_fpscr = (uint32_t)f->fpscr;
    f->fpscr &= ~(uint64_t)(ZE | ZX | FX | FEX);
    f->srr0 += 4;
}

/* fdiv at a known address; FRT starts as `keep`. */
double fdiv_at(double keep, double a, double b);
extern char fdiv_at_insn[];
__asm__("    .text\n"
        "    .globl fdiv_at, fdiv_at_insn\n"
        "fdiv_at:\n"
        "fdiv_at_insn:\n"
        "    fdiv %f1, %f2, %f3\n"
        "    blr\n");

static void test_enabled(void)
{
    set_trap_handler(VEC_PROGRAM, on_program);
    uint64_t msr = mfmsr();
    set_fpscr(ZE);
    mtmsrd(msr | MSR_FE0 | MSR_FE1);
    double r = fdiv_at(42.0, 1.0, 0.0);
    mtmsrd(msr);
    report(fp_traps == 1 && (fp_trap_srr1 & SRR1_FP) && fp_trap_srr0 == (uint64_t)fdiv_at_insn,
           "ZE = 1, MSR[FE0 FE1] = 11: fdiv by 0 takes a Program interrupt, SRR1 FP, "
           "SRR0 = the fdiv (srr1 %016llx)",
           (unsigned long long)fp_trap_srr1);
    report((fp_trap_fpscr & (FX | FEX | ZX)) == (FX | FEX | ZX),
           "... FPSCR shows FX, FEX, ZX (%08x)", fp_trap_fpscr);
    report(r == 42.0, "... and FRT is not written");
    report(!(get_fpscr() & (ZE | ZX)), "the handler's FPSCR is what the program got back");

    set_fpscr(ZE);
    r = fdiv_at(42.0, 1.0, 0.0);
    uint32_t f = get_fpscr();
    set_fpscr(0);
    report(fp_traps == 1 && r == 42.0 && (f & (FEX | ZX)) == (FEX | ZX),
           "with MSR[FE0 FE1] = 00: no interrupt, FEX and ZX set, FRT not written");
    set_fpscr(0);
    mtmsrd(msr | MSR_FE0 | MSR_FE1);
    r = fdiv_at(42.0, 1.0, 0.0);
    mtmsrd(msr);
    report(fp_traps == 1 && bits(r) == 0x7ff0000000000000ULL,
           "with ZE = 0 the result is +inf and nothing traps");
    set_fpscr(0);
    set_trap_handler(VEC_PROGRAM, NULL);
}

/* ---- VSX ---- */

typedef double v2f64 __attribute__((vector_size(16)));
typedef uint64_t v2u64 __attribute__((vector_size(16)));

static double d2[2] __attribute__((aligned(16)));
static double o2[2] __attribute__((aligned(16)));
static uint32_t w4[4] __attribute__((aligned(16)));
static uint32_t ow4[4] __attribute__((aligned(16)));
static uint64_t q2[2] __attribute__((aligned(16)));
static uint64_t oq2[2] __attribute__((aligned(16)));

static void test_vsx(void)
{
    d2[0] = 1.0;
    d2[1] = 2.0;
    double f;
    /* Doubleword 0 of VSR 0 is FPR 0: lxvd2x puts the first doubleword in memory there. */
    __asm__ volatile("lxvd2x 0, 0, %1\n"
                     "fadd %0, 0, 0"
                     : "=d"(f)
                     : "r"(d2)
                     : "vs0", "memory");
    report(f == 2.0, "lxvd2x: the doubleword at EA lands in dword 0, which is FPR 0");

    v2f64 a, b, c;
    __asm__ volatile("lxvd2x %x0, 0, %1" : "=wa"(a) : "r"(d2) : "memory");
    o2[0] = 10.0;
    o2[1] = 20.0;
    __asm__ volatile("lxvd2x %x0, 0, %1" : "=wa"(b) : "r"(o2) : "memory");
    __asm__ volatile("xvadddp %x0, %x1, %x2" : "=wa"(c) : "wa"(a), "wa"(b));
    __asm__ volatile("stxvd2x %x0, 0, %1" : : "wa"(c), "r"(o2) : "memory");
    report(o2[0] == 11.0 && o2[1] == 22.0, "xvadddp {1, 2} + {10, 20}, stxvd2x");
    __asm__ volatile("xvmuldp %x0, %x1, %x2" : "=wa"(c) : "wa"(a), "wa"(b));
    __asm__ volatile("stxvd2x %x0, 0, %1" : : "wa"(c), "r"(o2) : "memory");
    report(o2[0] == 10.0 && o2[1] == 40.0, "xvmuldp");
    __asm__ volatile("xvmaddadp %x0, %x1, %x2" : "+wa"(c) : "wa"(a), "wa"(b));
    __asm__ volatile("stxvd2x %x0, 0, %1" : : "wa"(c), "r"(o2) : "memory");
    report(o2[0] == 20.0 && o2[1] == 80.0, "xvmaddadp: c + a * b");
    __asm__ volatile("xxpermdi %x0, %x1, %x1, 2" : "=wa"(c) : "wa"(a));
    __asm__ volatile("stxvd2x %x0, 0, %1" : : "wa"(c), "r"(o2) : "memory");
    report(o2[0] == 2.0 && o2[1] == 1.0, "xxpermdi DM = 2 swaps the doublewords");
    __asm__ volatile("xxpermdi %x0, %x1, %x2, 1" : "=wa"(c) : "wa"(a), "wa"(b));
    __asm__ volatile("stxvd2x %x0, 0, %1" : : "wa"(c), "r"(o2) : "memory");
    report(o2[0] == 1.0 && o2[1] == 20.0, "xxpermdi DM = 1: a.dw0, b.dw1");

    uint32_t cr;
    __asm__ volatile("xvcmpeqdp. %x1, %x2, %x2\n"
                     "mfcr %0"
                     : "=r"(cr), "=wa"(c)
                     : "wa"(a)
                     : "cr6");
    report(((cr >> 4) & 0xf) == 0x8, "xvcmpeqdp. of equal vectors: CR6 = all true");
    __asm__ volatile("xvcmpeqdp. %x1, %x2, %x3\n"
                     "mfcr %0"
                     : "=r"(cr), "=wa"(c)
                     : "wa"(a), "wa"(b)
                     : "cr6");
    report(((cr >> 4) & 0xf) == 0x2, "xvcmpeqdp. of different vectors: CR6 = all false");

    /* Logical operations on 128 bits. */
    q2[0] = 0xff00ff00f0f0f0f0ULL;
    q2[1] = 0x123456789abcdef0ULL;
    oq2[0] = 0x0ff00ff00ff00ff0ULL;
    oq2[1] = 0xffffffff00000000ULL;
    v2u64 x, y, z;
    __asm__ volatile("lxvd2x %x0, 0, %1" : "=wa"(x) : "r"(q2) : "memory");
    __asm__ volatile("lxvd2x %x0, 0, %1" : "=wa"(y) : "r"(oq2) : "memory");
    __asm__ volatile("xxland %x0, %x1, %x2" : "=wa"(z) : "wa"(x), "wa"(y));
    __asm__ volatile("stxvd2x %x0, 0, %1" : : "wa"(z), "r"(oq2) : "memory");
    bool and_ok = oq2[0] == 0x0f000f0000f000f0ULL && oq2[1] == 0x1234567800000000ULL;
    __asm__ volatile("xxlor %x0, %x1, %x2" : "=wa"(z) : "wa"(x), "wa"(y));
    __asm__ volatile("stxvd2x %x0, 0, %1" : : "wa"(z), "r"(oq2) : "memory");
    bool or_ok = oq2[0] == 0xfff0fff0fff0fff0ULL && oq2[1] == 0xffffffff9abcdef0ULL;
    __asm__ volatile("xxlxor %x0, %x1, %x1" : "=wa"(z) : "wa"(x));
    __asm__ volatile("stxvd2x %x0, 0, %1" : : "wa"(z), "r"(oq2) : "memory");
    report(and_ok && or_ok && oq2[0] == 0 && oq2[1] == 0, "xxland, xxlor, xxlxor");

    /* Word elements: lxvw4x puts the word at EA in word 0; lxvd2x puts it in word 1. */
    w4[0] = 0xa0a0a0a0;
    w4[1] = 0xb1b1b1b1;
    w4[2] = 0xc2c2c2c2;
    w4[3] = 0xd3d3d3d3;
    __asm__ volatile("lxvw4x %x0, 0, %1" : "=wa"(x) : "r"(w4) : "memory");
    __asm__ volatile("xxspltw %x0, %x1, 0" : "=wa"(z) : "wa"(x));
    __asm__ volatile("stxvw4x %x0, 0, %1" : : "wa"(z), "r"(ow4) : "memory");
    bool w_ok = ow4[0] == 0xa0a0a0a0 && ow4[3] == 0xa0a0a0a0;
    __asm__ volatile("lxvd2x %x0, 0, %1" : "=wa"(x) : "r"(w4) : "memory");
    __asm__ volatile("xxspltw %x0, %x1, 0" : "=wa"(z) : "wa"(x));
    __asm__ volatile("stxvw4x %x0, 0, %1" : : "wa"(z), "r"(ow4) : "memory");
    report(w_ok && ow4[0] == 0xb1b1b1b1 && ow4[2] == 0xb1b1b1b1,
           "lxvw4x/lxvd2x/stxvw4x element order with xxspltw");

    /* GPR <-> VSR moves (ISA 2.07). */
    uint64_t g = bits(1.5), back;
    __asm__ volatile("mtvsrd %x1, %2\n"
                     "fadd %1, %1, %1\n"
                     "mfvsrd %0, %x1"
                     : "=r"(back), "=&d"(f)
                     : "r"(g));
    report(back == bits(3.0), "mtvsrd, fadd on the FPR, mfvsrd");
    double s;
    __asm__ volatile("xsadddp %x0, %x1, %x2" : "=wa"(s) : "wa"(1.25), "wa"(2.5));
    report(s == 3.75, "xsadddp");
    __asm__ volatile("xssqrtdp %x0, %x1" : "=wa"(s) : "wa"(2.0));
    report(bits(s) == 0x3ff6a09e667f3bcdULL, "xssqrtdp 2");
    set_fpscr(0);
    __asm__ volatile("xsdivdp %x0, %x1, %x2" : "=wa"(s) : "wa"(1.0), "wa"(0.0));
    report(bits(s) == 0x7ff0000000000000ULL && (get_fpscr() & ZX), "xsdivdp 1 / 0 sets ZX");
    set_fpscr(0);
}

/* ---- VMX ---- */

typedef unsigned char v16u8 __attribute__((vector_size(16)));
static uint8_t va[16] __attribute__((aligned(16)));
static uint8_t vb[16] __attribute__((aligned(16)));
static uint8_t vc[16] __attribute__((aligned(16)));
static uint8_t vo[16] __attribute__((aligned(16)));

static v16u8 lvx(const void *p)
{
    v16u8 v;
    __asm__ volatile("lvx %0, 0, %1" : "=v"(v) : "r"(p) : "memory");
    return v;
}

static void stvx(v16u8 v, void *p)
{
    __asm__ volatile("stvx %0, 0, %1" : : "v"(v), "r"(p) : "memory");
}

/* (VRA || VRB) byte k in big-endian numbering, for operands loaded with lvx in
 * little-endian mode (register byte i holds memory byte 15 - i). */
static uint8_t concat_byte(unsigned k)
{
    return k < 16 ? va[15 - k] : vb[31 - k];
}

static void test_vmx(void)
{
    for (unsigned k = 0; k < 16; k++) {
        va[k] = (uint8_t)(0x10 + k);
        vb[k] = (uint8_t)(0xa0 + k);
        vc[k] = (uint8_t)((k * 7 + 3) & 0x1f);
    }
    va[15] = 0xf0;
    v16u8 a = lvx(va), b = lvx(vb), c = lvx(vc), r;

    __asm__ volatile("vaddubm %0, %1, %2" : "=v"(r) : "v"(a), "v"(b));
    stvx(r, vo);
    bool ok = true;
    for (unsigned k = 0; k < 16; k++)
        ok = ok && vo[k] == (uint8_t)(va[k] + vb[k]);
    report(ok, "lvx, vaddubm (modulo 256), stvx");

    __asm__ volatile("vperm %0, %1, %2, %3" : "=v"(r) : "v"(a), "v"(b), "v"(c));
    stvx(r, vo);
    ok = true;
    for (unsigned j = 0; j < 16; j++)
        ok = ok && vo[j] == concat_byte(vc[j] & 0x1f);
    report(ok, "vperm selects bytes of VRA || VRB by VRC (little-endian element order)");

    __asm__ volatile("vsldoi %0, %1, %2, 3" : "=v"(r) : "v"(a), "v"(b));
    stvx(r, vo);
    ok = true;
    for (unsigned j = 0; j < 16; j++)
        ok = ok && vo[j] == concat_byte(3 + 15 - j);
    report(ok, "vsldoi 3");

    __asm__ volatile("vspltisb %0, -3" : "=v"(r));
    stvx(r, vo);
    ok = true;
    for (unsigned j = 0; j < 16; j++)
        ok = ok && vo[j] == 0xfd;
    report(ok, "vspltisb -3: every byte 0xfd");

    uint32_t cr;
    __asm__ volatile("vcmpequb. %1, %2, %2\n"
                     "mfcr %0"
                     : "=r"(cr), "=v"(r)
                     : "v"(a)
                     : "cr6");
    report(((cr >> 4) & 0xf) == 0x8, "vcmpequb. of equal vectors: CR6 = all true");
    __asm__ volatile("vcmpequb. %1, %2, %3\n"
                     "mfcr %0"
                     : "=r"(cr), "=v"(r)
                     : "v"(a), "v"(b)
                     : "cr6");
    report(((cr >> 4) & 0xf) == 0x2, "vcmpequb. of different vectors: CR6 = all false");

    /* Saturation: 0xf0 + 0xaf saturates to 0xff and sets VSCR[SAT]. */
    v16u8 zero;
    __asm__ volatile("vxor %0, %0, %0\n"
                     "mtvscr %0"
                     : "=v"(zero));
    __asm__ volatile("vaddubs %0, %1, %2" : "=v"(r) : "v"(a), "v"(b));
    stvx(r, vo);
    v16u8 vscr;
    __asm__ volatile("mfvscr %0" : "=v"(vscr));
    uint32_t vs[4] __attribute__((aligned(16)));
    __asm__ volatile("stvx %0, 0, %1" : : "v"(vscr), "r"(vs) : "memory");
    report(vo[15] == 0xff && vo[0] == 0xb0 && (vs[0] & 1),
           "vaddubs saturates (0xf0 + 0xaf = 0xff) and sets VSCR[SAT] (vscr %08x)", vs[0]);
    __asm__ volatile("mtvscr %0" : : "v"(zero));

    v16u8 x;
    __asm__ volatile("vand %0, %1, %2" : "=v"(x) : "v"(a), "v"(b));
    __asm__ volatile("vor %0, %0, %1" : "+v"(x) : "v"(c));
    stvx(x, vo);
    ok = true;
    for (unsigned j = 0; j < 16; j++)
        ok = ok && vo[j] == (uint8_t)((va[j] & vb[j]) | vc[j]);
    report(ok, "vand, vor");

    /* lvx ignores the low 4 bits of the address. */
    __asm__ volatile("lvx %0, 0, %1" : "=v"(x) : "r"((uintptr_t)va + 9) : "memory");
    stvx(x, vo);
    report(memcmp(vo, va, 16) == 0, "lvx of EA + 9 loads the aligned quadword");
}

int main(void)
{
    test_arith();
    test_convert();
    test_enabled();
    test_vsx();
    test_vmx();
    return 0;
}
