/* tests/guest/riscv/fpu.c: the F and D extensions (Volume I 20191213, chapters 11 "F"
 * and 12 "D") and the FP context state of Volume II 1.12, 3.1.6.6 (mstatus.FS/SD):
 * static and dynamic rounding modes (RNE, RTZ, RDN, RUP, RMM) on inexact results of
 * fadd, fmul, fdiv, fsqrt, fmadd and fcvt; reserved rounding modes; fflags accumulation
 * (NX, UF, OF, DZ, NV); fcsr/frm/fflags access; NaN-boxing of single values in the
 * 64-bit registers (11.2); canonical NaN results (11.3); fmin/fmax with signed zeros and
 * NaNs; saturating float-to-integer conversions (11.7 table); FS = Off making FP
 * instructions illegal and FS becoming Dirty (with SD) after an FP state change. */
#include "guest_riscv.h"

#define BOX(x) (0xffffffff00000000UL | (uint32_t)(x))
#define S_ONE 0x3f800000u
#define S_TWO 0x40000000u
#define S_THREE 0x40400000u
#define S_ZERO 0x00000000u
#define S_NZERO 0x80000000u
#define S_QNAN 0x7fc00000u
#define S_SNAN 0x7f800001u
#define D_ONE 0x3ff0000000000000UL
#define D_THREE 0x4008000000000000UL
#define D_QNAN 0x7ff8000000000000UL
#define D_SNAN 0x7ff0000000000001UL

struct fres {
    uint64_t v;
    unsigned long flags;
};

/* Runs one FP instruction on ft0, ft1, ft3 (64-bit patterns) into ft2, with fflags
 * cleared before; returns ft2's 64 bits and the flags. */
#define FOP(insn, a, b, c)                                                                 \
    ({                                                                                     \
        uint64_t __v;                                                                      \
        unsigned long __f;                                                                 \
        __asm__ volatile("csrw fflags, zero\n\t"                                           \
                         "fmv.d.x ft0, %2\n\t"                                             \
                         "fmv.d.x ft1, %3\n\t"                                             \
                         "fmv.d.x ft3, %4\n\t" insn "\n\t"                                 \
                         "fmv.x.d %0, ft2\n\t"                                             \
                         "csrr %1, fflags"                                                 \
                         : "=&r"(__v), "=&r"(__f)                                          \
                         : "r"((uint64_t)(a)), "r"((uint64_t)(b)), "r"((uint64_t)(c))      \
                         : "ft0", "ft1", "ft2", "ft3", "memory");                          \
        (struct fres){ __v, __f };                                                         \
    })
/* An instruction with an integer result in %0 from ft0. */
#define FCVT(insn, a)                                                                      \
    ({                                                                                     \
        uint64_t __v;                                                                      \
        unsigned long __f;                                                                 \
        __asm__ volatile("csrw fflags, zero\n\t"                                           \
                         "fmv.d.x ft0, %2\n\t" insn "\n\t"                                 \
                         "csrr %1, fflags"                                                 \
                         : "=&r"(__v), "=&r"(__f)                                          \
                         : "r"((uint64_t)(a))                                              \
                         : "ft0", "memory");                                               \
        (struct fres){ __v, __f };                                                         \
    })

static const char *const rm_names[] = { "RNE", "RTZ", "RDN", "RUP", "RMM" };

static void check(struct fres r, uint64_t want, unsigned long want_flags, const char *what)
{
    report(r.v == want && r.flags == want_flags, "%s = 0x%lx, fflags 0x%lx (got 0x%lx, 0x%lx)", what,
           want, want_flags, r.v, r.flags);
}

static void test_fs_off(void)
{
    csr_clear(mstatus, MSTATUS_FS);
    report((csr_read(mstatus) & MSTATUS_FS) == 0, "mstatus.FS = Off");
    static const char *const names[] = { "fadd.d", "flw", "fmv.x.w", "csrr fcsr", "fsgnj.s" };
    float mem = 0;
    for (unsigned k = 0; k < ARRAY_SIZE(names); k++) {
        trap_expect_begin();
        switch (k) {
        case 0: __asm__ volatile("fadd.d ft0, ft0, ft0" ::: "ft0"); break;
        case 1: __asm__ volatile("flw ft0, 0(%0)" : : "r"(&mem) : "ft0"); break;
        case 2: { unsigned long x; __asm__ volatile("fmv.x.w %0, ft0" : "=r"(x)); break; }
        case 3: { unsigned long x; __asm__ volatile("csrr %0, fcsr" : "=r"(x)); break; }
        case 4: __asm__ volatile("fsgnj.s ft0, ft1, ft1" ::: "ft0"); break;
        }
        struct trap_info t = trap_expect_end();
        report(t.taken && t.cause == CAUSE_ILLEGAL_INSTRUCTION && t.tval == *(uint32_t *)t.epc,
               "FS = Off: %s is an illegal instruction, mtval = its bits (cause %lu, tval 0x%lx)",
               names[k], t.cause, t.tval);
    }
}

static unsigned long fs(void)
{
    return csr_read(mstatus) & MSTATUS_FS;
}

static void test_fs_dirty(void)
{
    csr_set(mstatus, MSTATUS_FS_INITIAL);
    report(fs() == MSTATUS_FS_INITIAL && !(csr_read(mstatus) & MSTATUS_SD),
           "FS = Initial: SD clear (mstatus 0x%lx)", csr_read(mstatus));
    __asm__ volatile("fmv.d.x ft5, zero\n\tfadd.d ft5, ft5, ft5" ::: "ft5");
    report(fs() == MSTATUS_FS_DIRTY && (csr_read(mstatus) & MSTATUS_SD) &&
               (csr_read(sstatus) & MSTATUS_SD),
           "an FP write makes FS Dirty and sets mstatus.SD and sstatus.SD (mstatus 0x%lx)",
           csr_read(mstatus));
    csr_clear(mstatus, MSTATUS_FS);
    csr_set(mstatus, MSTATUS_FS_CLEAN);
    report(fs() == MSTATUS_FS_CLEAN && !(csr_read(mstatus) & MSTATUS_SD), "FS = Clean: SD clear");
    csr_write(fflags, 0);
    report(fs() == MSTATUS_FS_DIRTY && (csr_read(mstatus) & MSTATUS_SD),
           "writing fflags makes FS Dirty (mstatus 0x%lx)", csr_read(mstatus));
    csr_clear(mstatus, MSTATUS_FS);
    csr_set(mstatus, MSTATUS_FS_CLEAN);
    __asm__ volatile("fmv.w.x ft6, zero" ::: "ft6");
    report(fs() == MSTATUS_FS_DIRTY, "fmv.w.x into an FP register makes FS Dirty");
    csr_clear(mstatus, MSTATUS_FS);
    csr_set(mstatus, MSTATUS_FS_CLEAN);
    float mem = 1.0f;
    __asm__ volatile("flw ft7, 0(%0)" : : "r"(&mem) : "ft7");
    report(fs() == MSTATUS_FS_DIRTY, "flw makes FS Dirty");
}

static void test_fcsr(void)
{
    csr_write(fcsr, 0xff);
    report(csr_read(fcsr) == 0xff && csr_read(frm) == 7 && csr_read(fflags) == 0x1f,
           "fcsr = 0xff: frm = 7, fflags = 0x1f");
    csr_write(fcsr, 0xfffff);
    report(csr_read(fcsr) == 0xff, "fcsr bits above 7 read as zero (0x%lx)", csr_read(fcsr));
    csr_write(frm, 3);
    report(csr_read(fcsr) == ((3 << 5) | 0x1f), "frm = 3 writes fcsr[7:5] (fcsr 0x%lx)", csr_read(fcsr));
    csr_write(fflags, 0x4);
    report(csr_read(fcsr) == ((3 << 5) | 0x4), "fflags = 0x4 writes fcsr[4:0] (fcsr 0x%lx)", csr_read(fcsr));
    unsigned long old = csr_swap(fflags, 0x1);
    report(old == 0x4 && csr_read(fflags) == 0x1, "csrrw fflags swaps (old 0x%lx)", old);
    csr_write(frm, 0xff);
    report(csr_read(frm) == 7, "frm holds 3 bits (%lu)", csr_read(frm));
    csr_write(fcsr, 0);
}

/* One op in all five static rounding modes and, through frm, with the dynamic one. */
#define ROUNDING(op, a, b, c, w0, w1, w2, w3, w4, boxmask, name)                               \
    do {                                                                                   \
        const uint64_t want[5] = { w0, w1, w2, w3, w4 };                                   \
        struct fres r[5] = {                                                               \
            FOP(op ", rne", a, b, c), FOP(op ", rtz", a, b, c), FOP(op ", rdn", a, b, c), \
            FOP(op ", rup", a, b, c), FOP(op ", rmm", a, b, c),                            \
        };                                                                                 \
        for (unsigned k = 0; k < 5; k++)                                                   \
            report(r[k].v == (want[k] | (boxmask)) && (r[k].flags & FFLAGS_NX),            \
                   "%s, static %s: 0x%lx, NX (got 0x%lx, fflags 0x%lx)", name, rm_names[k],   \
                   want[k] | (boxmask), r[k].v, r[k].flags);                               \
        for (unsigned k = 0; k < 5; k++) {                                                 \
            csr_write(frm, k);                                                             \
            struct fres d = FOP(op, a, b, c);                                              \
            report(d.v == r[k].v, "%s, dynamic frm = %s gives the same (0x%lx)", name,     \
                   rm_names[k], d.v);                                                      \
        }                                                                                  \
        csr_write(frm, 0);                                                                 \
    } while (0)

#define SMASK 0xffffffff00000000UL
#define DMASK 0UL

static void test_rounding(void)
{
    uint64_t tie = BOX(0x33800000); /* 2^-24: half an ulp of 1.0f */
    ROUNDING("fadd.s ft2, ft0, ft1", BOX(S_ONE), tie, 0, 0x3f800000, 0x3f800000, 0x3f800000,
             0x3f800001, 0x3f800001, SMASK, "fadd.s 1 + 2^-24 (a tie)");
    ROUNDING("fsub.s ft2, ft0, ft1", BOX(0xbf800000), tie, 0, 0xbf800000, 0xbf800000, 0xbf800001,
             0xbf800000, 0xbf800001, SMASK, "fsub.s -1 - 2^-24 (a tie)");
    ROUNDING("fadd.s ft2, ft0, ft1", BOX(S_ONE), BOX(0x33c00000), 0, 0x3f800001, 0x3f800000,
             0x3f800000, 0x3f800001, 0x3f800001, SMASK, "fadd.s 1 + 0.75 ulp");
    ROUNDING("fdiv.s ft2, ft0, ft1", BOX(S_ONE), BOX(S_THREE), 0, 0x3eaaaaab, 0x3eaaaaaa, 0x3eaaaaaa,
             0x3eaaaaab, 0x3eaaaaab, SMASK, "fdiv.s 1/3");
    ROUNDING("fmul.s ft2, ft0, ft1", BOX(0x3dcccccd), BOX(S_THREE), 0, 0x3e99999a, 0x3e999999,
             0x3e999999, 0x3e99999a, 0x3e99999a, SMASK, "fmul.s 0.1f * 3");
    ROUNDING("fsqrt.s ft2, ft0", BOX(S_TWO), 0, 0, 0x3fb504f3, 0x3fb504f3, 0x3fb504f3, 0x3fb504f4,
             0x3fb504f3, SMASK, "fsqrt.s 2");
    ROUNDING("fadd.d ft2, ft0, ft1", D_ONE, 0x3ca0000000000000UL, 0, 0x3ff0000000000000UL,
             0x3ff0000000000000UL, 0x3ff0000000000000UL, 0x3ff0000000000001UL, 0x3ff0000000000001UL,
             DMASK, "fadd.d 1 + 2^-53 (a tie)");
    ROUNDING("fdiv.d ft2, ft0, ft1", 0xbff0000000000000UL, D_THREE, 0, 0xbfd5555555555555UL,
             0xbfd5555555555555UL, 0xbfd5555555555556UL, 0xbfd5555555555555UL, 0xbfd5555555555555UL,
             DMASK, "fdiv.d -1/3");
    ROUNDING("fsqrt.d ft2, ft0", 0x4000000000000000UL, 0, 0, 0x3ff6a09e667f3bcdUL,
             0x3ff6a09e667f3bccUL, 0x3ff6a09e667f3bccUL, 0x3ff6a09e667f3bcdUL, 0x3ff6a09e667f3bcdUL,
             DMASK, "fsqrt.d 2");
    /* fmadd rounds once: (1 + 2^-23)(1 - 2^-23) - 1 = -2^-46 exactly. */
    struct fres r = FOP("fmadd.s ft2, ft0, ft1, ft3, rne", BOX(0x3f800001), BOX(0x3f7ffffe), BOX(0xbf800000));
    check(r, BOX(0xa8800000), 0, "fmadd.s (1+2^-23)(1-2^-23) + -1, one rounding: -2^-46 exactly");
    r = FOP("fmul.s ft2, ft0, ft1, rne", BOX(0x3f800001), BOX(0x3f7ffffe), 0);
    check(r, BOX(S_ONE), FFLAGS_NX, "the same product alone rounds to 1.0");

    /* fcvt.w.s of +-2.5 */
    static const long pos[5] = { 2, 2, 2, 3, 3 }, neg[5] = { -2, -2, -3, -2, -3 };
    struct fres c[5] = { FCVT("fcvt.w.s %0, ft0, rne", BOX(0x40200000)),
                         FCVT("fcvt.w.s %0, ft0, rtz", BOX(0x40200000)),
                         FCVT("fcvt.w.s %0, ft0, rdn", BOX(0x40200000)),
                         FCVT("fcvt.w.s %0, ft0, rup", BOX(0x40200000)),
                         FCVT("fcvt.w.s %0, ft0, rmm", BOX(0x40200000)) };
    struct fres n[5] = { FCVT("fcvt.w.s %0, ft0, rne", BOX(0xc0200000)),
                         FCVT("fcvt.w.s %0, ft0, rtz", BOX(0xc0200000)),
                         FCVT("fcvt.w.s %0, ft0, rdn", BOX(0xc0200000)),
                         FCVT("fcvt.w.s %0, ft0, rup", BOX(0xc0200000)),
                         FCVT("fcvt.w.s %0, ft0, rmm", BOX(0xc0200000)) };
    for (unsigned k = 0; k < 5; k++) {
        report((long)c[k].v == pos[k] && c[k].flags == FFLAGS_NX,
               "fcvt.w.s 2.5, %s: %ld, NX (got %ld, 0x%lx)", rm_names[k], pos[k], (long)c[k].v, c[k].flags);
        report((long)n[k].v == neg[k] && n[k].flags == FFLAGS_NX,
               "fcvt.w.s -2.5, %s: %ld, NX (got %ld, 0x%lx)", rm_names[k], neg[k], (long)n[k].v, n[k].flags);
    }
    r = FCVT("fcvt.l.d %0, ft0, rne", 0x3ff8000000000000UL);
    report((long)r.v == 2 && r.flags == FFLAGS_NX, "fcvt.l.d 1.5, RNE: 2 (got %ld)", (long)r.v);
    r = FCVT("fcvt.l.d %0, ft0, rne", 0x4004000000000000UL);
    report((long)r.v == 2 && r.flags == FFLAGS_NX, "fcvt.l.d 2.5, RNE: 2 (got %ld)", (long)r.v);

    /* Reserved rounding modes: 5 and 6 statically, 5-7 in frm with DYN. */
    trap_expect_begin();
    __asm__ volatile(".insn r 0x53, 5, 0, ft2, ft0, ft1" ::: "ft2");
    struct trap_info t = trap_expect_end();
    report(t.taken && t.cause == CAUSE_ILLEGAL_INSTRUCTION, "fadd.s with static rm = 5: illegal (cause %lu)",
           t.cause);
    trap_expect_begin();
    __asm__ volatile(".insn r 0x53, 6, 1, ft2, ft0, ft1" ::: "ft2");
    t = trap_expect_end();
    report(t.taken && t.cause == CAUSE_ILLEGAL_INSTRUCTION, "fadd.d with static rm = 6: illegal (cause %lu)",
           t.cause);
    for (unsigned long bad = 5; bad <= 7; bad++) {
        csr_write(frm, bad);
        trap_expect_begin();
        __asm__ volatile("fadd.s ft2, ft0, ft1" ::: "ft2");
        t = trap_expect_end();
        report(t.taken && t.cause == CAUSE_ILLEGAL_INSTRUCTION,
               "fadd.s with rm = DYN and frm = %lu: illegal (cause %lu)", bad, t.cause);
    }
    csr_write(frm, 0);
    trap_expect_begin();
    __asm__ volatile("fsgnj.s ft2, ft0, ft1" ::: "ft2");
    t = trap_expect_end();
    report(!t.taken, "instructions without rounding (fsgnj) do not care about frm");
}

static void test_flags(void)
{
    check(FOP("fdiv.s ft2, ft0, ft1", BOX(S_ONE), BOX(S_THREE), 0), BOX(0x3eaaaaab), FFLAGS_NX, "1/3: NX");
    check(FOP("fmul.s ft2, ft0, ft1", BOX(0x0da24260), BOX(0x0da24260), 0), BOX(0),
          FFLAGS_UF | FFLAGS_NX, "1e-30f * 1e-30f: 0 with UF and NX");
    check(FOP("fmul.s ft2, ft0, ft1", BOX(0x00800000), BOX(0x3f000000), 0), BOX(0x00400000), 0,
          "2^-126 * 0.5: the exact subnormal 2^-127, no flags (UF needs inexact)");
    check(FOP("fmul.s ft2, ft0, ft1", BOX(0x7149f2ca), BOX(0x7149f2ca), 0), BOX(0x7f800000),
          FFLAGS_OF | FFLAGS_NX, "1e30f * 1e30f: +inf with OF and NX");
    check(FOP("fmul.s ft2, ft0, ft1, rtz", BOX(0x7149f2ca), BOX(0x7149f2ca), 0), BOX(0x7f7fffff),
          FFLAGS_OF | FFLAGS_NX, "1e30f * 1e30f, RTZ: the largest finite float with OF and NX");
    check(FOP("fdiv.s ft2, ft0, ft1", BOX(S_ONE), BOX(S_ZERO), 0), BOX(0x7f800000), FFLAGS_DZ,
          "1/0: +inf with DZ");
    check(FOP("fdiv.d ft2, ft0, ft1", 0xbff0000000000000UL, 0, 0), 0xfff0000000000000UL, FFLAGS_DZ,
          "-1/+0 (double): -inf with DZ");
    check(FOP("fsqrt.s ft2, ft0", BOX(0xbf800000), 0, 0), BOX(S_QNAN), FFLAGS_NV,
          "sqrt(-1): canonical NaN with NV");
    check(FOP("fdiv.d ft2, ft0, ft1", 0, 0, 0), D_QNAN, FFLAGS_NV, "0/0 (double): canonical NaN with NV");
    check(FOP("fadd.s ft2, ft0, ft1", BOX(0x7f800000), BOX(0xff800000), 0), BOX(S_QNAN), FFLAGS_NV,
          "inf + -inf: canonical NaN with NV");
    check(FOP("fsqrt.s ft2, ft0", BOX(S_NZERO), 0, 0), BOX(S_NZERO), 0, "sqrt(-0) = -0, no flags");

    /* fflags accumulate until written. */
    unsigned long acc;
    __asm__ volatile("csrw fflags, zero\n\t"
                     "fmv.w.x ft0, %1\n\t"
                     "fmv.w.x ft1, %2\n\t"
                     "fdiv.s ft2, ft0, ft1\n\t" /* 1/3: NX */
                     "fmv.w.x ft1, zero\n\t"
                     "fdiv.s ft2, ft0, ft1\n\t" /* 1/0: DZ */
                     "fadd.s ft2, ft0, ft0\n\t" /* exact: no change */
                     "csrr %0, fflags"
                     : "=r"(acc)
                     : "r"(S_ONE), "r"(S_THREE)
                     : "ft0", "ft1", "ft2");
    report(acc == (FFLAGS_NX | FFLAGS_DZ), "fflags accumulate: NX | DZ after 1/3, 1/0 and an exact add (0x%lx)",
           acc);
    __asm__ volatile("csrw fflags, zero\n\t"
                     "fmv.d.x ft0, %1\n\t"
                     "fmul.s ft2, ft0, ft0\n\t" /* 1e30^2: OF NX */
                     "fmv.w.x ft1, %2\n\t"
                     "fmul.s ft2, ft1, ft1\n\t" /* 1e-30^2: UF NX */
                     "fsqrt.s ft2, ft2\n\t"     /* sqrt(+0): exact */
                     "fmv.w.x ft1, %3\n\t"
                     "fsqrt.s ft2, ft1\n\t"     /* sqrt(-1): NV */
                     "csrr %0, fflags"
                     : "=r"(acc)
                     : "r"(BOX(0x7149f2ca)), "r"(0x0da24260u), "r"(0xbf800000u)
                     : "ft0", "ft1", "ft2");
    report(acc == (FFLAGS_NX | FFLAGS_UF | FFLAGS_OF | FFLAGS_NV),
           "fflags accumulate NX, UF, OF, NV (0x%lx)", acc);
    csr_write(fflags, 0);
}

static void test_nan_boxing(void)
{
    struct fres r = FOP("fsgnj.d ft2, ft0, ft0", BOX(S_ONE), 0, 0);
    uint64_t boxed;
    float mem = 1.0f;
    __asm__ volatile("flw ft4, 0(%1)\n\tfmv.x.d %0, ft4" : "=r"(boxed) : "r"(&mem) : "ft4");
    report(boxed == BOX(S_ONE), "flw NaN-boxes: the upper 32 bits are ones (0x%lx)", boxed);
    __asm__ volatile("fmv.w.x ft4, %1\n\tfmv.x.d %0, ft4" : "=r"(boxed) : "r"(S_THREE) : "ft4");
    report(boxed == BOX(S_THREE), "fmv.w.x NaN-boxes (0x%lx)", boxed);
    r = FOP("fadd.s ft2, ft0, ft1", BOX(S_ONE), BOX(S_TWO), 0);
    report(r.v == BOX(S_THREE), "fadd.s writes a NaN-boxed result (0x%lx)", r.v);
    r = FOP("fadd.s ft2, ft0, ft1", 0x000000003f800000UL, BOX(S_ONE), 0);
    check(r, BOX(S_QNAN), 0, "fadd.s with an input that is not NaN-boxed sees the canonical NaN");
    r = FOP("fsgnj.s ft2, ft0, ft1", 0x123456783f800000UL, BOX(0xbf800000), 0);
    check(r, BOX(0xffc00000), 0, "fsgnj.s of a badly boxed value: the canonical NaN with the sign injected");
    r = FOP("fcvt.d.s ft2, ft0", 0x000000003f800000UL, 0, 0);
    check(r, D_QNAN, 0, "fcvt.d.s of a badly boxed value: the canonical double NaN");
    unsigned long x;
    __asm__ volatile("fmv.d.x ft0, %1\n\tfmv.x.w %0, ft0" : "=r"(x) : "r"(0x00000000bf800000UL) : "ft0");
    report(x == 0xffffffffbf800000UL, "fmv.x.w takes bits 31:0 as they are, sign-extended (0x%lx)", x);
    r = FOP("fcvt.s.d ft2, ft0", D_ONE, 0, 0);
    check(r, BOX(S_ONE), 0, "fcvt.s.d 1.0 writes a boxed 1.0f");
}

static void test_canonical_nan(void)
{
    check(FOP("fadd.s ft2, ft0, ft1", BOX(0x7fc12345), BOX(S_ONE), 0), BOX(S_QNAN), 0,
          "qNaN payload + 1: the canonical NaN, payload dropped, no flags");
    check(FOP("fadd.s ft2, ft0, ft1", BOX(S_SNAN), BOX(S_ONE), 0), BOX(S_QNAN), FFLAGS_NV,
          "sNaN + 1: the canonical NaN with NV");
    check(FOP("fmul.d ft2, ft0, ft1", 0xfff8000000000123UL, D_ONE, 0), D_QNAN, 0,
          "negative qNaN with payload * 1 (double): the canonical NaN 0x7ff8000000000000");
    check(FOP("fcvt.s.d ft2, ft0", D_SNAN, 0, 0), BOX(S_QNAN), FFLAGS_NV,
          "fcvt.s.d of a signalling NaN: canonical NaN with NV");
    check(FOP("fcvt.d.s ft2, ft0", BOX(0x7fc00001), 0, 0), D_QNAN, 0,
          "fcvt.d.s of a quiet NaN: the canonical double NaN, no flags");
    check(FOP("fmadd.d ft2, ft0, ft1, ft3", 0, 0x7ff0000000000000UL, D_QNAN), D_QNAN, FFLAGS_NV,
          "fmadd.d 0 * inf + qNaN: canonical NaN with NV (the invalid product signals)");
    unsigned long cls;
    __asm__ volatile("fmv.w.x ft0, %1\n\tfclass.s %0, ft0" : "=r"(cls) : "r"(S_SNAN) : "ft0");
    report(cls == 0x100, "fclass.s sNaN = bit 8 (0x%lx)", cls);
    __asm__ volatile("fmv.w.x ft0, %1\n\tfclass.s %0, ft0" : "=r"(cls) : "r"(S_QNAN) : "ft0");
    report(cls == 0x200, "fclass.s qNaN = bit 9 (0x%lx)", cls);
    __asm__ volatile("fmv.d.x ft0, %1\n\tfclass.d %0, ft0" : "=r"(cls) : "r"(0x8000000000000001UL) : "ft0");
    report(cls == 0x4, "fclass.d of a negative subnormal = bit 2 (0x%lx)", cls);
}

static void test_min_max(void)
{
    check(FOP("fmin.s ft2, ft0, ft1", BOX(S_ZERO), BOX(S_NZERO), 0), BOX(S_NZERO), 0, "fmin.s(+0, -0) = -0");
    check(FOP("fmin.s ft2, ft0, ft1", BOX(S_NZERO), BOX(S_ZERO), 0), BOX(S_NZERO), 0, "fmin.s(-0, +0) = -0");
    check(FOP("fmax.s ft2, ft0, ft1", BOX(S_NZERO), BOX(S_ZERO), 0), BOX(S_ZERO), 0, "fmax.s(-0, +0) = +0");
    check(FOP("fmax.d ft2, ft0, ft1", 0, 0x8000000000000000UL, 0), 0, 0, "fmax.d(+0, -0) = +0");
    check(FOP("fmin.d ft2, ft0, ft1", 0, 0x8000000000000000UL, 0), 0x8000000000000000UL, 0,
          "fmin.d(+0, -0) = -0");
    check(FOP("fmin.s ft2, ft0, ft1", BOX(S_QNAN), BOX(S_ONE), 0), BOX(S_ONE), 0,
          "fmin.s(qNaN, 1) = 1, no flags");
    check(FOP("fmax.s ft2, ft0, ft1", BOX(S_THREE), BOX(0x7fc00123), 0), BOX(S_THREE), 0,
          "fmax.s(3, qNaN) = 3");
    check(FOP("fmin.s ft2, ft0, ft1", BOX(S_SNAN), BOX(S_ONE), 0), BOX(S_ONE), FFLAGS_NV,
          "fmin.s(sNaN, 1) = 1 with NV");
    check(FOP("fmax.s ft2, ft0, ft1", BOX(0x7fc00123), BOX(0xffc00456), 0), BOX(S_QNAN), 0,
          "fmax.s(qNaN, qNaN) = the canonical NaN");
    check(FOP("fmin.d ft2, ft0, ft1", D_SNAN, D_SNAN, 0), D_QNAN, FFLAGS_NV,
          "fmin.d(sNaN, sNaN) = the canonical NaN with NV");
    check(FOP("fmax.d ft2, ft0, ft1", 0xbff0000000000000UL, D_QNAN, 0), 0xbff0000000000000UL, 0,
          "fmax.d(-1, qNaN) = -1");
    struct fres r = FCVT("flt.s %0, ft0, ft0", BOX(S_QNAN));
    report(r.v == 0 && r.flags == FFLAGS_NV, "flt.s with a quiet NaN: 0 with NV (a signalling compare)");
    r = FCVT("feq.s %0, ft0, ft0", BOX(S_QNAN));
    report(r.v == 0 && r.flags == 0, "feq.s with a quiet NaN: 0 without NV (a quiet compare)");
    r = FCVT("feq.s %0, ft0, ft0", BOX(S_SNAN));
    report(r.v == 0 && r.flags == FFLAGS_NV, "feq.s with a signalling NaN: 0 with NV");
}

static void test_conversions(void)
{
    struct {
        const char *what;
        struct fres r;
        uint64_t want;
        unsigned long flags;
    } c[] = {
        { "fcvt.w.s 1e10", FCVT("fcvt.w.s %0, ft0, rtz", BOX(0x501502f9)), 0x7fffffffUL, FFLAGS_NV },
        { "fcvt.w.s -1e10", FCVT("fcvt.w.s %0, ft0, rtz", BOX(0xd01502f9)), 0xffffffff80000000UL, FFLAGS_NV },
        { "fcvt.w.s NaN", FCVT("fcvt.w.s %0, ft0, rtz", BOX(S_QNAN)), 0x7fffffffUL, FFLAGS_NV },
        { "fcvt.w.s +inf", FCVT("fcvt.w.s %0, ft0, rtz", BOX(0x7f800000)), 0x7fffffffUL, FFLAGS_NV },
        { "fcvt.w.s -inf", FCVT("fcvt.w.s %0, ft0, rtz", BOX(0xff800000)), 0xffffffff80000000UL, FFLAGS_NV },
        { "fcvt.wu.s -1", FCVT("fcvt.wu.s %0, ft0, rtz", BOX(0xbf800000)), 0, FFLAGS_NV },
        { "fcvt.wu.s -0.5 (RTZ: -0 fits)", FCVT("fcvt.wu.s %0, ft0, rtz", BOX(0xbf000000)), 0, FFLAGS_NX },
        { "fcvt.wu.s NaN (sign-extended 2^32-1)", FCVT("fcvt.wu.s %0, ft0, rtz", BOX(S_QNAN)),
          0xffffffffffffffffUL, FFLAGS_NV },
        { "fcvt.wu.s 1e10", FCVT("fcvt.wu.s %0, ft0, rtz", BOX(0x501502f9)), 0xffffffffffffffffUL, FFLAGS_NV },
        { "fcvt.wu.s 3e9 (fits unsigned)", FCVT("fcvt.wu.s %0, ft0, rtz", BOX(0x4f32d05e)),
          0xffffffffb2d05e00UL, 0 },
        { "fcvt.l.d 1e30", FCVT("fcvt.l.d %0, ft0, rtz", 0x46293e5939a08ceaUL), 0x7fffffffffffffffUL, FFLAGS_NV },
        { "fcvt.l.d -1e30", FCVT("fcvt.l.d %0, ft0, rtz", 0xc6293e5939a08ceaUL), 0x8000000000000000UL, FFLAGS_NV },
        { "fcvt.l.d NaN", FCVT("fcvt.l.d %0, ft0, rtz", D_QNAN), 0x7fffffffffffffffUL, FFLAGS_NV },
        { "fcvt.lu.d -1", FCVT("fcvt.lu.d %0, ft0, rtz", 0xbff0000000000000UL), 0, FFLAGS_NV },
        { "fcvt.lu.d NaN", FCVT("fcvt.lu.d %0, ft0, rtz", D_QNAN), 0xffffffffffffffffUL, FFLAGS_NV },
        { "fcvt.w.d 2^31", FCVT("fcvt.w.d %0, ft0, rtz", 0x41e0000000000000UL), 0x7fffffffUL, FFLAGS_NV },
        { "fcvt.w.d -2^31 (exact)", FCVT("fcvt.w.d %0, ft0, rtz", 0xc1e0000000000000UL),
          0xffffffff80000000UL, 0 },
        { "fcvt.w.d -2^31 - 0.5, RTZ", FCVT("fcvt.w.d %0, ft0, rtz", 0xc1e0000000100000UL),
          0xffffffff80000000UL, FFLAGS_NX },
        { "fcvt.w.d -2^31 - 0.5, RDN", FCVT("fcvt.w.d %0, ft0, rdn", 0xc1e0000000100000UL),
          0xffffffff80000000UL, FFLAGS_NV },
        { "fcvt.l.s 2^63", FCVT("fcvt.l.s %0, ft0, rtz", BOX(0x5f000000)), 0x7fffffffffffffffUL, FFLAGS_NV },
        { "fcvt.lu.s 2^63 (fits)", FCVT("fcvt.lu.s %0, ft0, rtz", BOX(0x5f000000)), 0x8000000000000000UL, 0 },
    };
    for (unsigned k = 0; k < ARRAY_SIZE(c); k++)
        report(c[k].r.v == c[k].want && c[k].r.flags == c[k].flags, "%s = 0x%lx, fflags 0x%lx (got 0x%lx, 0x%lx)",
               c[k].what, c[k].want, c[k].flags, c[k].r.v, c[k].r.flags);

    struct fres r;
    __asm__ volatile("csrw fflags, zero\n\tli t0, 16777217\n\tfcvt.s.w ft2, t0, rne\n\tfmv.x.d %0, ft2\n\t"
                     "csrr %1, fflags"
                     : "=r"(r.v), "=r"(r.flags)
                     :
                     : "t0", "ft2");
    check(r, BOX(0x4b800000), FFLAGS_NX, "fcvt.s.w 2^24 + 1, RNE: 2^24 with NX");
    __asm__ volatile("csrw fflags, zero\n\tli t0, -1\n\tfcvt.d.lu ft2, t0, rup\n\tfmv.x.d %0, ft2\n\t"
                     "csrr %1, fflags"
                     : "=r"(r.v), "=r"(r.flags)
                     :
                     : "t0", "ft2");
    check(r, 0x43f0000000000000UL, FFLAGS_NX, "fcvt.d.lu 2^64 - 1, RUP: 2^64 with NX");
    __asm__ volatile("csrw fflags, zero\n\tli t0, -1\n\tfcvt.d.wu ft2, t0\n\tfmv.x.d %0, ft2\n\t"
                     "csrr %1, fflags"
                     : "=r"(r.v), "=r"(r.flags)
                     :
                     : "t0", "ft2");
    check(r, 0x41efffffffe00000UL, 0, "fcvt.d.wu uses bits 31:0 only: 2^32 - 1 exactly");
}

int main(void)
{
    test_fs_off();
    test_fs_dirty();
    test_fcsr();
    test_rounding();
    test_flags();
    test_nan_boxing();
    test_canonical_nan();
    test_min_max();
    test_conversions();
    return 0;
}
