/* tests/guest/ppc64/atomics.c: load and reserve / store conditional (Power ISA v3.0B
 * Book II 4.4.2 "Load and Reserve and Store Conditional Instructions", 1.7.4 "Atomic
 * Update"; Book I 3.3.4 lq/stq for the register-pair order; Book III-S 7.5.8 for the
 * Alignment interrupt of a misaligned larx/stcx.): every size (lbarx/stbcx.,
 * lharx/sthcx., lwarx/stwcx., ldarx/stdcx., lqarx/stqcx. with an even register pair),
 * CR0 after a stcx., the reservation gone after a stcx. whatever its outcome and after a
 * store by another CPU to the reserved granule (even of the same value), atomic updates
 * in problem state, and CPUs started with RTAS start-cpu updating shared counters
 * through compare-and-swap loops and a byte spinlock: the totals must add up. Run with
 * -smp 2 or more. */
#include "guest_ppc64.h"

#define CR0_EQ 0x20000000u

/* ---- primitives ---- */

static inline void add8_lock(volatile uint8_t *l)
{
    uint32_t t;
    __asm__ volatile("1: lbarx %0, 0, %1\n"
                     "   cmpwi %0, 0\n"
                     "   bne- 1b\n"
                     "   li %0, 1\n"
                     "   stbcx. %0, 0, %1\n"
                     "   bne- 1b\n"
                     "   isync"
                     : "=&r"(t)
                     : "r"(l)
                     : "cr0", "memory");
}

static inline void unlock8(volatile uint8_t *l)
{
    __asm__ volatile("lwsync" ::: "memory");
    *l = 0;
}

static inline void add16(volatile uint16_t *p, uint32_t v)
{
    uint32_t t;
    __asm__ volatile("1: lharx %0, 0, %1\n"
                     "   add %0, %0, %2\n"
                     "   sthcx. %0, 0, %1\n"
                     "   bne- 1b"
                     : "=&r"(t)
                     : "r"(p), "r"(v)
                     : "cr0", "memory");
}

static inline void add32(volatile uint32_t *p, uint32_t v)
{
    uint32_t t;
    __asm__ volatile("1: lwarx %0, 0, %1\n"
                     "   add %0, %0, %2\n"
                     "   stwcx. %0, 0, %1\n"
                     "   bne- 1b"
                     : "=&r"(t)
                     : "r"(p), "r"(v)
                     : "cr0", "memory");
}

static inline void add64(volatile uint64_t *p, uint64_t v)
{
    uint64_t t;
    __asm__ volatile("1: ldarx %0, 0, %1\n"
                     "   add %0, %0, %2\n"
                     "   stdcx. %0, 0, %1\n"
                     "   bne- 1b"
                     : "=&r"(t)
                     : "r"(p), "r"(v)
                     : "cr0", "memory");
}

/* A 128-bit increment: the pair r10 (the doubleword at p + 8 in little-endian mode, the
 * high half) and r11 (at p, the low half). */
static inline void inc128(volatile uint64_t *p)
{
    __asm__ volatile("1: lqarx %%r10, 0, %0\n"
                     "   addic %%r11, %%r11, 1\n"
                     "   addze %%r10, %%r10\n"
                     "   stqcx. %%r10, 0, %0\n"
                     "   bne- 1b"
                     :
                     : "r"(p)
                     : "r10", "r11", "xer", "cr0", "memory");
}

/* One lwarx, then one stwcx. of v: returns CR. */
static uint32_t larx_stcx(volatile uint32_t *p, uint32_t v, uint32_t *loaded)
{
    uint32_t t, cr;
    __asm__ volatile("lwarx %0, 0, %2\n"
                     "stwcx. %3, 0, %2\n"
                     "mfcr %1"
                     : "=&r"(t), "=r"(cr)
                     : "r"(p), "r"(v)
                     : "cr0", "memory");
    *loaded = t;
    return cr;
}

static uint32_t stcx_only(volatile uint32_t *p, uint32_t v)
{
    uint32_t cr;
    __asm__ volatile("stwcx. %1, 0, %2\n"
                     "mfcr %0"
                     : "=r"(cr)
                     : "r"(v), "r"(p)
                     : "cr0", "memory");
    return cr;
}

/* ---- single CPU ---- */

static volatile uint32_t w32 __attribute__((aligned(128)));
static volatile uint32_t other32 __attribute__((aligned(128)));
static volatile uint64_t q128[2] __attribute__((aligned(128)));
static volatile uint64_t d64 __attribute__((aligned(8)));
static volatile uint16_t h16 __attribute__((aligned(2)));
static volatile uint8_t b8;

static void test_single(void)
{
    uint32_t loaded;
    w32 = 10;
    uint32_t cr = larx_stcx(&w32, 11, &loaded);
    report(loaded == 10 && (cr & CR0_EQ) && w32 == 11, "lwarx/stwcx.: loads, stores, CR0[EQ] = 1");
    cr = stcx_only(&w32, 12);
    report(!(cr & CR0_EQ) && w32 == 11, "a second stwcx. without lwarx fails: CR0[EQ] = 0, no store");

    /* XER[SO] is copied into CR0[SO]. */
    uint64_t xer = mfspr(1);
    mtspr(1, xer | (1ULL << 31));
    cr = larx_stcx(&w32, 13, &loaded);
    mtspr(1, xer);
    report((cr & 0xf0000000u) == (CR0_EQ | 0x10000000u), "stwcx. copies XER[SO] into CR0");

    /* A stcx. to another address takes the reservation away. */
    uint32_t t1, t2;
    __asm__ volatile("lwarx %0, 0, %2\n"
                     "stwcx. %0, 0, %3\n"
                     "stwcx. %0, 0, %2\n"
                     "mfcr %1"
                     : "=&r"(t1), "=r"(t2)
                     : "r"(&w32), "r"(&other32)
                     : "cr0", "memory");
    report(!(t2 & CR0_EQ), "after a stcx. elsewhere the reservation is gone");

    d64 = 0x7fffffffffffffffULL;
    add64(&d64, 2);
    report(d64 == 0x8000000000000001ULL, "ldarx/stdcx. add of a doubleword");
    h16 = 0xfffe;
    add16(&h16, 3);
    report(h16 == 1, "lharx/sthcx. add of a halfword wraps at 16 bits");
    b8 = 0;
    add8_lock(&b8);
    report(b8 == 1, "lbarx/stbcx. takes a byte lock");
    unlock8(&b8);

    q128[0] = ~0ULL;
    q128[1] = 5;
    inc128(q128);
    report(q128[0] == 0 && q128[1] == 6,
           "lqarx/stqcx.: the even register holds the doubleword at EA + 8 (carry into it)");
    uint64_t hi, lo;
    __asm__ volatile("lq %%r10, 0(%2)\n"
                     "mr %0, %%r10\n"
                     "mr %1, %%r11"
                     : "=r"(hi), "=r"(lo)
                     : "r"(q128)
                     : "r10", "r11", "memory");
    report(hi == 6 && lo == 0, "lq loads the pair in the same order");
}

/* ---- alignment ---- */

static volatile unsigned align_hits;
static volatile uint64_t align_dar;

static void on_align(struct trap_frame *f)
{
    align_hits++;
    align_dar = f->dar;
    f->srr0 += 4;
}

static void test_misaligned(void)
{
    set_trap_handler(VEC_ALIGNMENT, on_align);
    uint64_t a = (uint64_t)&w32 + 2, t = 0;
    __asm__ volatile("lwarx %0, 0, %1" : "+r"(t) : "r"(a) : "memory");
    report(align_hits == 1 && align_dar == a, "a misaligned lwarx: Alignment interrupt, DAR");
    a = (uint64_t)q128 + 8;
    __asm__ volatile("lqarx %%r10, 0, %0" : : "r"(a) : "r10", "r11", "memory");
    report(align_hits == 2 && align_dar == a, "a lqarx on an 8-byte boundary: Alignment interrupt");
    set_trap_handler(VEC_ALIGNMENT, NULL);
}

/* ---- problem state ---- */

static void user_adds(void *arg)
{
    for (unsigned k = 0; k < 1000; k++)
        add32(&w32, 1);
}

static void test_user(void)
{
    w32 = 0;
    run_in_user(user_adds, NULL);
    report(w32 == 1000, "lwarx/stwcx. in problem state (relocated): 1000 increments");
}

/* ---- several CPUs ---- */

#define ITERS 20000

static volatile uint32_t c32 __attribute__((aligned(128)));
static volatile uint64_t c64 __attribute__((aligned(128)));
static volatile uint16_t c16 __attribute__((aligned(128)));
static volatile uint64_t c128[2] __attribute__((aligned(128)));
static volatile uint8_t lock __attribute__((aligned(128)));
static volatile uint64_t plain __attribute__((aligned(128)));
static volatile uint32_t done __attribute__((aligned(128)));
static volatile uint32_t started __attribute__((aligned(128)));

/* The reservation test: CPU 0 holds a reservation on resv_word while CPU 1 stores to it. */
static volatile uint32_t resv_word __attribute__((aligned(128)));
static volatile uint32_t resv_flag __attribute__((aligned(128)));

/* lwarx word; flag = 1; wait (bounded) for flag = 2; stwcx. word. Returns CR. */
uint32_t resv_across(volatile uint32_t *word, volatile uint32_t *flag);
__asm__("    .text\n"
        "    .globl resv_across\n"
        "resv_across:\n"
        "    lwarx %r5, 0, %r3\n"
        "    li %r6, 1\n"
        "    stw %r6, 0(%r4)\n"
        "    lis %r7, 0x200\n"
        "    mtctr %r7\n"
        "1:  lwz %r6, 0(%r4)\n"
        "    cmpwi %r6, 2\n"
        "    beq 2f\n"
        "    bdnz 1b\n"
        "2:  stwcx. %r5, 0, %r3\n"
        "    mfcr %r3\n"
        "    blr\n");

static void work(void)
{
    for (unsigned k = 0; k < ITERS; k++) {
        add32(&c32, 1);
        add64(&c64, 3);
        add16(&c16, 1);
        if (!(k & 7))
            inc128(c128);
        add8_lock(&lock);
        plain = plain + 1;
        unlock8(&lock);
    }
}

void secondary_main(unsigned cpu)
{
    add32(&started, 1);
    if (cpu == 1) {
        /* Serve the reservation test first. */
        uint64_t t0 = mftb();
        while (resv_flag != 1 && mftb() - t0 < 512000000ULL)
            ;
        resv_word = resv_word; /* the same value: a store all the same */
        resv_flag = 2;
    }
    work();
    add32(&done, 1);
}

static void test_smp(void)
{
    unsigned ncpus = (unsigned)fdt_count_children(guest_fdt, "/cpus", "PowerPC,");
    if (ncpus < 2) {
        report(false, "this test needs -smp 2 or more (%u CPUs)", ncpus);
        return;
    }
    extern char secondary_start[];
    bool ok = true;
    for (unsigned cpu = 1; cpu < ncpus; cpu++)
        ok = ok && rtas_call("start-cpu", 3, 1, NULL, cpu, (uint32_t)(uint64_t)secondary_start,
                             cpu) == 0;
    report(ok, "start-cpu for CPUs 1-%u", ncpus - 1);
    uint64_t t0 = mftb();
    while (started != ncpus - 1 && mftb() - t0 < 512000000ULL)
        ;
    report(started == ncpus - 1, "all secondaries run (%u)", started);

    resv_word = 0x1234;
    uint32_t cr = resv_across(&resv_word, &resv_flag);
    report(resv_flag == 2 && !(cr & CR0_EQ) && resv_word == 0x1234,
           "a store by CPU 1 to the reserved word (same value) makes CPU 0's stwcx. fail");

    work();
    t0 = mftb();
    while (done != ncpus - 1 && mftb() - t0 < 10 * 512000000ULL)
        ;
    report(done == ncpus - 1, "all CPUs finished");
    uint64_t n = (uint64_t)ncpus * ITERS;
    report(c32 == n, "lwarx/stwcx. counter: %u (want %llu)", c32, (unsigned long long)n);
    report(c64 == 3 * n, "ldarx/stdcx. counter: %llu", (unsigned long long)c64);
    report(c16 == (uint16_t)n, "lharx/sthcx. counter: %u", c16);
    report(c128[0] == n / 8 && c128[1] == 0, "lqarx/stqcx. counter: %llu",
           (unsigned long long)c128[0]);
    report(plain == n, "a plain counter under an lbarx/stbcx. lock: %llu", (unsigned long long)plain);
}

int main(void)
{
    if (!mmu_identity_map()) {
        report(false, "mapping RAM 1:1 for problem state");
        return 1;
    }
    test_single();
    test_misaligned();
    test_user();
    test_smp();
    return 0;
}
