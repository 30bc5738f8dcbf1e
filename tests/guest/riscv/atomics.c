/* tests/guest/riscv/atomics.c: the A extension (Volume I, chapter 8 "A" Standard
 * Extension for Atomic Instructions, 20191213): the result and memory effect of every
 * AMO in its .w and .d forms (a .w result is the old word sign-extended), LR/SC pairing
 * (SC writes 0 on success and 1 on failure; it fails without a reservation, at another
 * address, and - 8.2 - when another hart stored to the reserved address in between, even
 * the same value), misaligned atomics (store/AMO address misaligned, cause 6), and, with
 * two or more harts, counters that both harts increment 10000 times with amoadd and with
 * an LR/SC loop. */
#include "guest_riscv.h"

#define ITERATIONS 10000

static unsigned nharts;
static volatile uint64_t amo_counter, lrsc_counter;
static volatile unsigned long go, done[GUEST_MAX_HARTS];
static volatile uint64_t aba_word;
static volatile unsigned long aba_step;
static uint64_t cell[4] __attribute__((aligned(16)));

#define AMO(op, sz, addr, val)                                                            \
    ({                                                                                  \
        unsigned long __r;                                                              \
        __asm__ volatile("amo" #op "." #sz " %0, %2, (%1)"                              \
                         : "=r"(__r)                                                    \
                         : "r"(addr), "r"((unsigned long)(val))                         \
                         : "memory");                                                   \
        __r;                                                                            \
    })

static unsigned long lr_d(volatile uint64_t *p)
{
    unsigned long v;
    __asm__ volatile("lr.d %0, (%1)" : "=r"(v) : "r"(p) : "memory");
    return v;
}

static unsigned long sc_d(volatile uint64_t *p, unsigned long v)
{
    unsigned long r;
    __asm__ volatile("sc.d %0, %2, (%1)" : "=r"(r) : "r"(p), "r"(v) : "memory");
    return r;
}

static unsigned long lr_w(volatile void *p)
{
    unsigned long v;
    __asm__ volatile("lr.w %0, (%1)" : "=r"(v) : "r"(p) : "memory");
    return v;
}

static unsigned long sc_w(volatile void *p, unsigned long v)
{
    unsigned long r;
    __asm__ volatile("sc.w %0, %2, (%1)" : "=r"(r) : "r"(p), "r"(v) : "memory");
    return r;
}

struct amo_case {
    const char *name;
    uint64_t mem, src, result_mem;
};

/* Runs one AMO on cell[1] with guards in cell[0] and cell[2]; for .w the upper word of
 * cell[1] is a guard too. */
static void check_amo_w(const char *name, unsigned long (*fn)(volatile void *, unsigned long),
                        uint32_t mem, uint32_t src, uint32_t want_mem)
{
    cell[0] = 0x1111111111111111UL;
    cell[1] = 0xabcdef0000000000UL | mem;
    cell[2] = 0x2222222222222222UL;
    unsigned long rd = fn(&cell[1], src);
    bool ok = rd == (unsigned long)(long)(int32_t)mem && (uint32_t)cell[1] == want_mem &&
              (cell[1] >> 32) == 0xabcdef00UL && cell[0] == 0x1111111111111111UL &&
              cell[2] == 0x2222222222222222UL;
    report(ok, "amo%s.w: mem 0x%08x, rs2 0x%08x -> rd 0x%lx (sign-extended old), mem 0x%08x "
           "(got 0x%08x), neighbours untouched", name, mem, src, rd, want_mem, (uint32_t)cell[1]);
}

static void check_amo_d(const char *name, unsigned long (*fn)(volatile void *, unsigned long),
                        uint64_t mem, uint64_t src, uint64_t want_mem)
{
    cell[0] = 0x1111111111111111UL;
    cell[1] = mem;
    cell[2] = 0x2222222222222222UL;
    unsigned long rd = fn(&cell[1], src);
    report(rd == mem && cell[1] == want_mem && cell[0] == 0x1111111111111111UL &&
               cell[2] == 0x2222222222222222UL,
           "amo%s.d: mem 0x%lx, rs2 0x%lx -> rd 0x%lx, mem 0x%lx (got 0x%lx)", name, mem, src, rd,
           want_mem, cell[1]);
}

#define AMO_FN(op, sz)                                                                   \
    static unsigned long amo_##op##_##sz(volatile void *p, unsigned long v)             \
    {                                                                                   \
        return AMO(op, sz, p, v);                                                       \
    }
AMO_FN(swap, w) AMO_FN(add, w) AMO_FN(and, w) AMO_FN(or, w) AMO_FN(xor, w)
AMO_FN(min, w) AMO_FN(max, w) AMO_FN(minu, w) AMO_FN(maxu, w)
AMO_FN(swap, d) AMO_FN(add, d) AMO_FN(and, d) AMO_FN(or, d) AMO_FN(xor, d)
AMO_FN(min, d) AMO_FN(max, d) AMO_FN(minu, d) AMO_FN(maxu, d)

static void test_amos(void)
{
    check_amo_w("swap", amo_swap_w, 0x80000001, 0x12345678, 0x12345678);
    check_amo_w("add", amo_add_w, 0x7fffffff, 1, 0x80000000);
    check_amo_w("add", amo_add_w, 0xffffffff, 2, 0x00000001);
    check_amo_w("and", amo_and_w, 0xf0f0f0f0, 0xff00ff00, 0xf000f000);
    check_amo_w("or", amo_or_w, 0xf0f0f0f0, 0x0000ffff, 0xf0f0ffff);
    check_amo_w("xor", amo_xor_w, 0xf0f0f0f0, 0xffff0000, 0x0f0ff0f0);
    check_amo_w("min", amo_min_w, 0xffffffff, 1, 0xffffffff);
    check_amo_w("min", amo_min_w, 5, 0x80000000, 0x80000000);
    check_amo_w("max", amo_max_w, 0xffffffff, 1, 1);
    check_amo_w("max", amo_max_w, 0x7fffffff, 0x80000000, 0x7fffffff);
    check_amo_w("minu", amo_minu_w, 0xffffffff, 1, 1);
    check_amo_w("minu", amo_minu_w, 3, 0x80000000, 3);
    check_amo_w("maxu", amo_maxu_w, 0xffffffff, 1, 0xffffffff);
    check_amo_w("maxu", amo_maxu_w, 3, 0x80000000, 0x80000000);
    /* .w uses only the low 32 bits of rs2 */
    cell[1] = 5;
    unsigned long rd = AMO(add, w, &cell[1], 0xffffffff00000001UL);
    report(rd == 5 && cell[1] == 6, "amoadd.w ignores the upper half of rs2 (mem %lu)", cell[1]);

    check_amo_d("swap", amo_swap_d, 0x8000000000000001UL, 0x123456789abcdef0UL, 0x123456789abcdef0UL);
    check_amo_d("add", amo_add_d, 0x7fffffffffffffffUL, 1, 0x8000000000000000UL);
    check_amo_d("add", amo_add_d, 0x00000000ffffffffUL, 1, 0x0000000100000000UL);
    check_amo_d("and", amo_and_d, 0xff00ff00ff00ff00UL, 0x0ff00ff00ff00ff0UL, 0x0f000f000f000f00UL);
    check_amo_d("or", amo_or_d, 0xff00000000000000UL, 0xffUL, 0xff000000000000ffUL);
    check_amo_d("xor", amo_xor_d, 0xffffffff00000000UL, 0xffffffffffffffffUL, 0x00000000ffffffffUL);
    check_amo_d("min", amo_min_d, 0xffffffffffffffffUL, 1, 0xffffffffffffffffUL);
    check_amo_d("max", amo_max_d, 0xffffffffffffffffUL, 1, 1);
    check_amo_d("max", amo_max_d, 0x00000000ffffffffUL, 0x8000000000000000UL, 0x00000000ffffffffUL);
    check_amo_d("minu", amo_minu_d, 0xffffffffffffffffUL, 1, 1);
    check_amo_d("maxu", amo_maxu_d, 0xffffffffffffffffUL, 1, 0xffffffffffffffffUL);
    check_amo_d("maxu", amo_maxu_d, 0x00000000ffffffffUL, 0x8000000000000000UL, 0x8000000000000000UL);

    /* rd = x0: the memory update still happens */
    cell[1] = 40;
    __asm__ volatile("amoadd.d x0, %1, (%0)" : : "r"(&cell[1]), "r"(2UL) : "memory");
    report(cell[1] == 42, "amoadd.d with rd = x0 still updates memory (%lu)", cell[1]);
}

static void test_lrsc(void)
{
    cell[1] = 100;
    unsigned long v = lr_d(&cell[1]);
    unsigned long r = sc_d(&cell[1], 101);
    report(v == 100 && r == 0 && cell[1] == 101, "lr.d/sc.d: sc succeeds (rd 0) and stores (%lu)", cell[1]);
    r = sc_d(&cell[1], 102);
    report(r == 1 && cell[1] == 101, "a second sc.d without a new lr fails with rd = 1 (rd %lu, mem %lu)",
           r, cell[1]);

    cell[1] = 7;
    cell[2] = 8;
    v = lr_d(&cell[1]);
    r = sc_d(&cell[2], 9);
    report(r == 1 && cell[2] == 8, "sc.d to another address than the lr.d fails (rd %lu, mem %lu)", r, cell[2]);
    r = sc_d(&cell[1], 10);
    report(r != 0 || cell[1] == 10, "(the failed sc may or may not have dropped the reservation)");

    uint32_t *w = (uint32_t *)&cell[3];
    cell[3] = 0x00000000fffffff0UL;
    v = lr_w(w);
    r = sc_w(w, 0x12345678);
    report(v == 0xfffffffffffffff0UL && r == 0 && cell[3] == 0x12345678UL,
           "lr.w sign-extends (0x%lx); sc.w stores the low word (0x%lx)", v, cell[3]);
}

static void test_misaligned(void)
{
    uint8_t *base = (uint8_t *)&cell[1];
    trap_expect_begin();
    AMO(add, w, base + 2, 1);
    struct trap_info t = trap_expect_end();
    report(t.taken && t.cause == CAUSE_MISALIGNED_STORE && t.tval == (unsigned long)(base + 2),
           "misaligned amoadd.w: store/AMO address misaligned, cause 6, mtval = the address "
           "(cause %lu, tval 0x%lx)", t.cause, t.tval);
    trap_expect_begin();
    AMO(swap, d, base + 4, 1);
    t = trap_expect_end();
    report(t.taken && t.cause == CAUSE_MISALIGNED_STORE && t.tval == (unsigned long)(base + 4),
           "misaligned amoswap.d (4-byte aligned): cause 6 (cause %lu)", t.cause);
    trap_expect_begin();
    sc_d((volatile uint64_t *)(base + 1), 0);
    t = trap_expect_end();
    report(t.taken && t.cause == CAUSE_MISALIGNED_STORE && t.tval == (unsigned long)(base + 1),
           "misaligned sc.d: cause 6 (cause %lu)", t.cause);
    trap_expect_begin();
    lr_d((volatile uint64_t *)(base + 4));
    t = trap_expect_end();
    report(t.taken && (t.cause == CAUSE_MISALIGNED_LOAD || t.cause == CAUSE_LOAD_ACCESS) &&
               t.tval == (unsigned long)(base + 4),
           "misaligned lr.d: load address misaligned or access fault (cause %lu)", t.cause);
}

static void count(unsigned long id)
{
    for (unsigned k = 0; k < ITERATIONS; k++) {
        AMO(add, d, &amo_counter, 1);
        for (;;) {
            unsigned long v = lr_d(&lrsc_counter);
            if (sc_d(&lrsc_counter, v + 1) == 0)
                break;
        }
    }
    fence();
    done[id] = 1;
}

void secondary_main(unsigned long id)
{
    while (!go)
        cpu_relax();
    if (id >= nharts)
        return;
    count(id);
    /* The ABA check: hart 1 stores the value hart 0 reserved. */
    if (id == 1) {
        while (aba_step != 1)
            cpu_relax();
        aba_word = 5;
        fence();
        aba_step = 2;
    }
}

static void test_smp(void)
{
    for (unsigned n = 0; n < nharts; n++)
        done[n] = 0;
    fence();
    go = 1;
    count(0);
    bool all = true;
    for (unsigned n = 1; n < nharts; n++)
        all &= wait_count(&done[n], 1, 10000000);
    report(all, "%u harts each incremented both counters %u times", nharts, ITERATIONS);
    report(amo_counter == (uint64_t)nharts * ITERATIONS, "amoadd.d counter = %lu (expected %lu)",
           (unsigned long)amo_counter, (unsigned long)nharts * ITERATIONS);
    report(lrsc_counter == (uint64_t)nharts * ITERATIONS, "lr/sc loop counter = %lu (expected %lu)",
           (unsigned long)lrsc_counter, (unsigned long)nharts * ITERATIONS);

    /* 8.2: the SC must fail if a store to the reservation set from another hart can be
     * observed between the LR and the SC - also when it stores the same value. */
    aba_word = 5;
    fence();
    unsigned long v = lr_d(&aba_word);
    aba_step = 1;
    while (aba_step != 2)
        cpu_relax();
    unsigned long r = sc_d(&aba_word, 6);
    report(v == 5 && r == 1 && aba_word == 5,
           "sc.d after another hart stored (the same value) to the reserved address fails "
           "(rd %lu, mem %lu)", r, (unsigned long)aba_word);
}

int main(void)
{
    int n = fdt_count_children(guest_fdt, "/cpus", "cpu@");
    nharts = n > 0 && n <= GUEST_MAX_HARTS ? (unsigned)n : 1;
    report(n >= 1, "the FDT lists %d hart(s)", n);
    test_amos();
    test_lrsc();
    test_misaligned();
    if (nharts >= 2)
        test_smp();
    else
        report_info("one hart: the multi-hart counters run in the -smp 2 variant");
    return 0;
}
