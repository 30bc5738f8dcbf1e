/* tests/guest/riscv/mmu.c: supervisor virtual memory (Volume II 1.12, chapter 4:
 * 4.1.11 satp, 4.3 Sv32's algorithm as extended by 4.4 Sv39, 4.5 Sv48 and 4.6 Sv57).
 * For each of Sv39, Sv48 and Sv57 the program builds page tables and runs S-mode and
 * U-mode code (entered with mret) against them: 4 KiB pages and 2 MiB, 1 GiB (and for
 * Sv48/57 512 GiB, for Sv57 256 TiB) superpages, both halves of the address space, load,
 * store and instruction page faults (causes 13, 15, 12) with mtval = the faulting
 * address, the U bit with and without sstatus.SUM, MXR, hardware A/D updates in the PTE,
 * misaligned superpages, reserved PTE encodings, non-canonical addresses, sfence.vma
 * after a PTE change, TVM, and satp writes with an unsupported MODE. */
#include "guest_riscv.h"
#include "pt.h"

#define POOL_PAGES 48
#define RWX (PTE_R | PTE_W | PTE_X)
#define AD (PTE_A | PTE_D)

#define VA_4K 0x40000000UL      /* page_a */
#define VA_RO 0x40001000UL      /* page_b, read-only */
#define VA_NX 0x40002000UL      /* page_a, no X */
#define VA_X 0x40003000UL       /* xpage, execute-only */
#define VA_USER 0x40004000UL    /* page_a, U */
#define VA_UX 0x40005000UL      /* xpage, U + X */
#define VA_AD 0x40006000UL      /* page_c, A = D = 0 */
#define VA_SW 0x40007000UL      /* page_a, then page_b */
#define VA_NONE 0x40008000UL    /* not mapped */
#define VA_RSV 0x40009000UL     /* reserved PTE bit 54 */
#define VA_WO 0x4000a000UL      /* W without R: reserved */
#define VA_2M 0x40200000UL      /* megapage -> MEGA_PA */
#define VA_2M_BAD 0x40400000UL  /* megapage with a misaligned PPN */
#define VA_1G 0x100000000UL     /* gigapage -> RAM_BASE */
#define MEGA_PA 0x90000000UL    /* 2 MiB of RAM the program does not use */

static uint8_t pool[POOL_PAGES * 4096] __attribute__((aligned(4096)));
static uint8_t upool[POOL_PAGES * 4096] __attribute__((aligned(4096)));
static uint64_t page_a[512] __attribute__((aligned(4096)));
static uint64_t page_b[512] __attribute__((aligned(4096)));
static uint64_t page_c[512] __attribute__((aligned(4096)));
extern char xpage[];
static volatile unsigned long store_val;

/* An execute-only code page: returns 0x5a. */
__asm__(
    "    .text\n"
    "    .option push\n"
    "    .option norvc\n"
    "    .balign 4096\n"
    "    .globl xpage\n"
    "xpage:\n"
    "    li a0, 0x5a\n"
    "    ret\n"
    "    .balign 4096\n"
    "    .option pop\n");

static unsigned long s_load(unsigned long va) { return *(volatile unsigned long *)va; }
static unsigned long s_store(unsigned long va)
{
    *(volatile unsigned long *)va = store_val;
    return 0;
}
static unsigned long s_call(unsigned long va)
{
    unsigned long r = ((unsigned long (*)(void))va)();
    __asm__ volatile("" ::: "memory");
    return r;
}
static unsigned long s_read_satp(unsigned long arg) { return csr_read(satp); }
static unsigned long s_sfence(unsigned long arg)
{
    sfence_vma();
    return 0;
}

static const char *mode_name;
static unsigned long mode;
static unsigned levels;

struct probe {
    unsigned long value;
    struct trap_info t;
};

static struct probe run(unsigned long priv, unsigned long (*fn)(unsigned long), unsigned long arg)
{
    struct probe p;
    trap_expect_begin();
    p.value = run_in_mode(priv, fn, arg);
    p.t = trap_expect_end();
    return p;
}

static bool faulted(const struct probe *p, unsigned long cause, unsigned long va)
{
    return p->t.taken && p->t.level == PRV_M && p->t.cause == cause && p->t.tval == va;
}

/* Identity map of RAM (1 GiB leaf at level 2, present in every mode) plus the test
 * pages. */
static void build_s_table(struct pt *pt)
{
    pt_init(pt, mode, pool, POOL_PAGES);
    pt_map(pt, RAM_BASE, RAM_BASE, PT_1G, RWX | AD);
    pt_map(pt, VA_4K, (unsigned long)page_a, PT_4K, PTE_R | PTE_W | AD);
    pt_map(pt, VA_RO, (unsigned long)page_b, PT_4K, PTE_R | AD);
    pt_map(pt, VA_NX, (unsigned long)page_a, PT_4K, PTE_R | PTE_W | AD);
    pt_map(pt, VA_X, (unsigned long)xpage, PT_4K, PTE_X | AD);
    pt_map(pt, VA_USER, (unsigned long)page_a, PT_4K, PTE_R | PTE_W | PTE_U | AD);
    pt_map(pt, VA_UX, (unsigned long)xpage, PT_4K, PTE_R | PTE_X | PTE_U | AD);
    pt_map(pt, VA_AD, (unsigned long)page_c, PT_4K, PTE_R | PTE_W);
    pt_map(pt, VA_SW, (unsigned long)page_a, PT_4K, PTE_R | PTE_W | AD);
    uint64_t *rsv = pt_map(pt, VA_RSV, (unsigned long)page_a, PT_4K, PTE_R | PTE_W | AD);
    *rsv |= 1UL << 54;
    pt_map(pt, VA_WO, (unsigned long)page_a, PT_4K, PTE_W | AD);
    pt_map(pt, VA_2M, MEGA_PA, PT_2M, PTE_R | PTE_W | AD);
    pt_map(pt, VA_2M_BAD, MEGA_PA + 0x1000, PT_2M, PTE_R | PTE_W | AD);
    pt_map(pt, VA_1G, RAM_BASE, PT_1G, PTE_R | PTE_W | AD);
    fence();
}

static void enter(const struct pt *pt)
{
    csr_write(satp, pt_satp(pt));
    sfence_vma();
}

static void test_basic(struct pt *pt)
{
    page_a[0] = 0xa0a0a0a0a0a0a0a0UL;
    page_a[5] = 0xa5a5a5a5a5a5a5a5UL;
    page_b[0] = 0xb0b0b0b0b0b0b0b0UL;
    enter(pt);
    report(csr_read(satp) == pt_satp(pt), "%s: satp = 0x%lx", mode_name, csr_read(satp));
    struct probe p = run(PRV_S, s_read_satp, 0);
    report(!p.t.taken && p.value == pt_satp(pt), "%s: S-mode runs with translation on (satp read back)",
           mode_name);

    p = run(PRV_S, s_load, VA_4K + 5 * 8);
    report(!p.t.taken && p.value == page_a[5], "%s: 4 KiB page: S load through it (0x%lx)", mode_name,
           p.value);
    store_val = 0x1234;
    p = run(PRV_S, s_store, VA_4K + 8);
    report(!p.t.taken && page_a[1] == 0x1234, "%s: 4 KiB page: S store lands in the physical page",
           mode_name);

    *(volatile uint64_t *)(MEGA_PA + 0x1ffff8) = 0x2222222222222222UL;
    store_val = 0x3333;
    p = run(PRV_S, s_store, VA_2M + 0x1234 * 8);
    struct probe q = run(PRV_S, s_load, VA_2M + 0x1ffff8);
    report(!p.t.taken && !q.t.taken && *(volatile uint64_t *)(MEGA_PA + 0x1234 * 8) == 0x3333 &&
               q.value == 0x2222222222222222UL,
           "%s: 2 MiB megapage: both ends map to the physical 2 MiB", mode_name);
    unsigned long off = (unsigned long)&page_b[0] - RAM_BASE;
    p = run(PRV_S, s_load, VA_1G + off);
    report(!p.t.taken && p.value == page_b[0], "%s: 1 GiB gigapage at 0x%lx aliases RAM (0x%lx)",
           mode_name, VA_1G, p.value);
    p = run(PRV_S, s_call, VA_X);
    report(!p.t.taken && p.value == 0x5a, "%s: S fetch from an execute-only page (returned 0x%lx)",
           mode_name, p.value);
}

static void test_faults(struct pt *pt)
{
    enter(pt);
    struct probe p = run(PRV_S, s_load, VA_NONE + 16);
    report(faulted(&p, CAUSE_LOAD_PAGE_FAULT, VA_NONE + 16),
           "%s: load from an unmapped page: cause 13, mtval = the address (cause %lu, tval 0x%lx)",
           mode_name, p.t.cause, p.t.tval);
    p = run(PRV_S, s_store, VA_NONE + 24);
    report(faulted(&p, CAUSE_STORE_PAGE_FAULT, VA_NONE + 24),
           "%s: store to an unmapped page: cause 15 (cause %lu, tval 0x%lx)", mode_name, p.t.cause,
           p.t.tval);
    p = run(PRV_S, s_call, VA_NONE);
    report(faulted(&p, CAUSE_FETCH_PAGE_FAULT, VA_NONE) && p.t.epc == VA_NONE,
           "%s: fetch from an unmapped page: cause 12, mepc = mtval = the address (cause %lu)",
           mode_name, p.t.cause);
    store_val = 1;
    p = run(PRV_S, s_store, VA_RO + 8);
    report(faulted(&p, CAUSE_STORE_PAGE_FAULT, VA_RO + 8) && page_b[1] == 0,
           "%s: store to a read-only page: cause 15, memory unchanged (cause %lu)", mode_name,
           p.t.cause);
    p = run(PRV_S, s_call, VA_NX);
    report(faulted(&p, CAUSE_FETCH_PAGE_FAULT, VA_NX),
           "%s: fetch from a page without X: cause 12 (cause %lu)", mode_name, p.t.cause);
    p = run(PRV_S, s_load, VA_X);
    report(faulted(&p, CAUSE_LOAD_PAGE_FAULT, VA_X),
           "%s: load from an execute-only page: cause 13 (cause %lu)", mode_name, p.t.cause);
    csr_set(mstatus, MSTATUS_MXR);
    p = run(PRV_S, s_load, VA_X);
    csr_clear(mstatus, MSTATUS_MXR);
    report(!p.t.taken && (uint32_t)p.value == *(uint32_t *)xpage,
           "%s: with sstatus.MXR the execute-only page is readable (0x%lx)", mode_name, p.value);
    p = run(PRV_S, s_load, VA_RSV);
    report(faulted(&p, CAUSE_LOAD_PAGE_FAULT, VA_RSV),
           "%s: PTE with reserved bit 54 set: page fault (cause %lu)", mode_name, p.t.cause);
    p = run(PRV_S, s_load, VA_WO);
    report(faulted(&p, CAUSE_LOAD_PAGE_FAULT, VA_WO),
           "%s: PTE with W = 1, R = 0 (reserved): page fault (cause %lu)", mode_name, p.t.cause);
    p = run(PRV_S, s_load, VA_2M_BAD + 8);
    report(faulted(&p, CAUSE_LOAD_PAGE_FAULT, VA_2M_BAD + 8),
           "%s: megapage whose PPN is not 2 MiB aligned: page fault (cause %lu)", mode_name, p.t.cause);

    /* bits 63..VA-width-1 must all equal the top VA bit */
    unsigned long vabits = 12 + 9 * levels;
    unsigned long noncanon = 1UL << (vabits - 1);
    p = run(PRV_S, s_load, noncanon);
    report(faulted(&p, CAUSE_LOAD_PAGE_FAULT, noncanon),
           "%s: non-canonical address 0x%lx: load page fault (cause %lu, tval 0x%lx)", mode_name,
           noncanon, p.t.cause, p.t.tval);
    noncanon = 0x8000000000000000UL | RAM_BASE;
    p = run(PRV_S, s_store, noncanon);
    report(faulted(&p, CAUSE_STORE_PAGE_FAULT, noncanon),
           "%s: non-canonical address 0x%lx: store page fault (cause %lu)", mode_name, noncanon,
           p.t.cause);
}

static void test_user_bit(struct pt *pt)
{
    enter(pt);
    page_a[2] = 0x77;
    struct probe p = run(PRV_S, s_load, VA_USER + 16);
    report(faulted(&p, CAUSE_LOAD_PAGE_FAULT, VA_USER + 16),
           "%s: S load from a U page without SUM: cause 13 (cause %lu)", mode_name, p.t.cause);
    csr_set(mstatus, MSTATUS_SUM);
    p = run(PRV_S, s_load, VA_USER + 16);
    report(!p.t.taken && p.value == 0x77, "%s: with sstatus.SUM the S load works (0x%lx)", mode_name,
           p.value);
    p = run(PRV_S, s_call, VA_UX);
    report(faulted(&p, CAUSE_FETCH_PAGE_FAULT, VA_UX),
           "%s: S fetch from a U page faults even with SUM (cause %lu)", mode_name, p.t.cause);
    csr_clear(mstatus, MSTATUS_SUM);

    /* U-mode code runs with a table whose RAM identity map has U set. */
    struct pt upt;
    pt_init(&upt, mode, upool, POOL_PAGES);
    pt_map(&upt, RAM_BASE, RAM_BASE, PT_1G, RWX | PTE_U | AD);
    pt_map(&upt, VA_4K, (unsigned long)page_a, PT_4K, PTE_R | PTE_W | AD);
    pt_map(&upt, VA_X, (unsigned long)xpage, PT_4K, PTE_X | AD);
    pt_map(&upt, VA_USER, (unsigned long)page_a, PT_4K, PTE_R | PTE_W | PTE_U | AD);
    pt_map(&upt, VA_UX, (unsigned long)xpage, PT_4K, PTE_X | PTE_U | AD);
    enter(&upt);
    p = run(PRV_U, s_load, VA_USER + 16);
    report(!p.t.taken && p.value == 0x77, "%s: U load from a U page works", mode_name);
    p = run(PRV_U, s_call, VA_UX);
    report(!p.t.taken && p.value == 0x5a, "%s: U fetch from a U page works", mode_name);
    p = run(PRV_U, s_load, VA_4K + 16);
    report(faulted(&p, CAUSE_LOAD_PAGE_FAULT, VA_4K + 16) && ((p.t.status & MSTATUS_MPP) == 0),
           "%s: U load from an S page: cause 13 from U (cause %lu)", mode_name, p.t.cause);
    store_val = 5;
    p = run(PRV_U, s_store, VA_4K + 16);
    report(faulted(&p, CAUSE_STORE_PAGE_FAULT, VA_4K + 16),
           "%s: U store to an S page: cause 15 (cause %lu)", mode_name, p.t.cause);
    p = run(PRV_U, s_call, VA_X);
    report(faulted(&p, CAUSE_FETCH_PAGE_FAULT, VA_X),
           "%s: U fetch from an S page: cause 12 (cause %lu)", mode_name, p.t.cause);
    csr_set(mstatus, MSTATUS_SUM);
    p = run(PRV_U, s_load, VA_4K + 16);
    csr_clear(mstatus, MSTATUS_SUM);
    report(faulted(&p, CAUSE_LOAD_PAGE_FAULT, VA_4K + 16),
           "%s: SUM does not let U read S pages (cause %lu)", mode_name, p.t.cause);
    enter(pt);
}

static void test_ad(struct pt *pt)
{
    enter(pt);
    uint64_t *pte = pt_lookup(pt, VA_AD);
    *pte &= ~(PTE_A | PTE_D);
    sfence_vma();
    page_c[0] = 99;
    struct probe p = run(PRV_S, s_load, VA_AD);
    uint64_t after_load = *(volatile uint64_t *)pte;
    store_val = 100;
    struct probe q = run(PRV_S, s_store, VA_AD + 8);
    uint64_t after_store = *(volatile uint64_t *)pte;
    report(!p.t.taken && p.value == 99 && (after_load & PTE_A) && !(after_load & PTE_D),
           "%s: a load through a PTE with A = 0 sets A (not D) in memory (pte 0x%lx)", mode_name,
           after_load);
    report(!q.t.taken && page_c[1] == 100 && (after_store & PTE_A) && (after_store & PTE_D),
           "%s: a store sets D (pte 0x%lx)", mode_name, after_store);
}

static unsigned long s_switch(unsigned long pte_addr)
{
    uint64_t *pte = (uint64_t *)pte_addr;
    unsigned long before = *(volatile unsigned long *)VA_SW;
    *pte = pt_pte((unsigned long)page_b, PTE_R | PTE_W | AD | PTE_V);
    sfence_vma();
    unsigned long after = *(volatile unsigned long *)VA_SW;
    return before == page_a[0] && after == page_b[0];
}

static unsigned long s_switch_page(unsigned long pte_addr)
{
    uint64_t *pte = (uint64_t *)pte_addr;
    *pte = pt_pte((unsigned long)page_a, PTE_R | PTE_W | AD | PTE_V);
    __asm__ volatile("sfence.vma %0, zero" : : "r"(VA_SW) : "memory");
    return *(volatile unsigned long *)VA_SW == page_a[0];
}

static unsigned long s_unmap(unsigned long pte_addr)
{
    *(uint64_t *)pte_addr = 0;
    sfence_vma();
    return *(volatile unsigned long *)VA_SW; /* faults */
}

/* SFENCE.VMA with an address inside a superpage drops the whole leaf: a 4 KiB piece
 * other than the one named must not survive in any TLB (4.2.1). The PTE is cleared from
 * M-mode in between, so that no S-mode access can evict the piece by chance. */
static unsigned long s_touch_super(unsigned long arg)
{
    return *(volatile unsigned long *)(VA_2M + 0x3000);
}

static unsigned long s_fence_super(unsigned long arg)
{
    __asm__ volatile("sfence.vma %0, zero" : : "r"(VA_2M + 0x1000) : "memory");
    return *(volatile unsigned long *)(VA_2M + 0x3000); /* faults */
}

static void test_sfence(struct pt *pt)
{
    enter(pt);
    uint64_t *pte = pt_lookup(pt, VA_SW);
    *pte = pt_pte((unsigned long)page_a, PTE_R | PTE_W | AD | PTE_V);
    sfence_vma();
    struct probe p = run(PRV_S, s_switch, (unsigned long)pte);
    report(!p.t.taken && p.value == 1,
           "%s: after a PTE change and sfence.vma the new page is seen", mode_name);
    p = run(PRV_S, s_switch_page, (unsigned long)pte);
    report(!p.t.taken && p.value == 1, "%s: sfence.vma with an address (rs1 = va) works too", mode_name);
    p = run(PRV_S, s_unmap, (unsigned long)pte);
    report(faulted(&p, CAUSE_LOAD_PAGE_FAULT, VA_SW),
           "%s: an invalidated PTE faults after sfence.vma (cause %lu)", mode_name, p.t.cause);
    uint64_t *mega = pt_lookup(pt, VA_2M);
    uint64_t saved = *mega;
    p = run(PRV_S, s_touch_super, 0);
    report(!p.t.taken, "%s: a piece of a 2 MiB leaf is readable", mode_name);
    *mega = 0;
    fence();
    p = run(PRV_S, s_fence_super, 0);
    report(faulted(&p, CAUSE_LOAD_PAGE_FAULT, VA_2M + 0x3000),
           "%s: sfence.vma of one address drops every piece of its 2 MiB leaf (cause %lu)",
           mode_name, p.t.cause);
    *mega = saved;
    sfence_vma();
}

/* Far addresses that need every level of this mode, and the largest superpages. */
static void test_wide(struct pt *pt)
{
    unsigned long vabits = 12 + 9 * levels;
    unsigned long top = (1UL << (vabits - 1)) - 4096;      /* highest page of the low half */
    unsigned long neg = -(1UL << (vabits - 1));             /* lowest page of the high half */
    pt_map(pt, top, (unsigned long)page_a, PT_4K, PTE_R | AD);
    pt_map(pt, neg, (unsigned long)page_b, PT_4K, PTE_R | AD);
    enter(pt);
    struct probe p = run(PRV_S, s_load, top);
    struct probe q = run(PRV_S, s_load, neg);
    report(!p.t.taken && p.value == page_a[0], "%s: 4 KiB page at 0x%lx (top of the low half)", mode_name,
           top);
    report(!q.t.taken && q.value == page_b[0], "%s: 4 KiB page at 0x%lx (bottom of the high half)",
           mode_name, neg);
    for (unsigned lvl = 3; lvl < levels; lvl++) {
        unsigned long size = 1UL << (12 + 9 * lvl);
        unsigned long va = size; /* the second superpage of its size, mapped to 0 */
        pt_map(pt, va, 0, lvl, PTE_R | AD);
        enter(pt);
        unsigned long off = (unsigned long)&page_b[0];
        p = run(PRV_S, s_load, va + off);
        report(!p.t.taken && p.value == page_b[0], "%s: a level-%u superpage (%lu GiB) at 0x%lx maps "
               "physical 0 up (cause %lu)", mode_name, lvl, size >> 30, va, p.t.cause);
        uint64_t *leaf = pt_map(pt, va, 0x1000UL, lvl, PTE_R | AD); /* PPN 1 */
        enter(pt);
        p = run(PRV_S, s_load, va + off);
        report(faulted(&p, CAUSE_LOAD_PAGE_FAULT, va + off),
               "%s: the same superpage with a misaligned PPN faults (cause %lu)", mode_name, p.t.cause);
        *leaf = 0;
    }
}

static void test_tvm(struct pt *pt)
{
    enter(pt);
    csr_set(mstatus, MSTATUS_TVM);
    struct probe p = run(PRV_S, s_read_satp, 0);
    report(p.t.taken && p.t.cause == CAUSE_ILLEGAL_INSTRUCTION,
           "%s: mstatus.TVM: S-mode satp access is illegal (cause %lu)", mode_name, p.t.cause);
    p = run(PRV_S, s_sfence, 0);
    report(p.t.taken && p.t.cause == CAUSE_ILLEGAL_INSTRUCTION,
           "%s: mstatus.TVM: S-mode sfence.vma is illegal (cause %lu)", mode_name, p.t.cause);
    csr_clear(mstatus, MSTATUS_TVM);
}

static void run_mode(unsigned long m, const char *name)
{
    mode = m;
    mode_name = name;
    levels = m == SATP_MODE_SV39 ? 3 : m == SATP_MODE_SV48 ? 4 : 5;
    struct pt pt;
    build_s_table(&pt);
    test_basic(&pt);
    test_faults(&pt);
    test_user_bit(&pt);
    test_ad(&pt);
    test_sfence(&pt);
    test_wide(&pt);
    test_tvm(&pt);
    csr_write(satp, 0);
    sfence_vma();
}

static void test_satp_modes(void)
{
    struct pt pt;
    mode = SATP_MODE_SV39;
    build_s_table(&pt);
    unsigned long good = pt_satp(&pt);
    csr_write(satp, good);
    static const unsigned long bad[] = { 1, 2, 7, 11, 12, 15 };
    for (unsigned k = 0; k < ARRAY_SIZE(bad); k++) {
        csr_write(satp, (bad[k] << SATP_MODE_SHIFT) | 0x12345);
        unsigned long now = csr_read(satp);
        report(now == good, "satp write with unsupported MODE %lu has no effect (satp 0x%lx)", bad[k], now);
    }
    csr_write(satp, 0);
    report(csr_read(satp) == 0, "satp = 0: Bare");
    sfence_vma();
}

int main(void)
{
    test_satp_modes();
    run_mode(SATP_MODE_SV39, "Sv39");
    run_mode(SATP_MODE_SV48, "Sv48");
    run_mode(SATP_MODE_SV57, "Sv57");
    return 0;
}
