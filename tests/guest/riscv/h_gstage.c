/* tests/guest/riscv/h_gstage.c: two-stage address translation under the H extension
 * (Volume II 1.12, chapter 8): a test hypervisor in M-mode builds Sv39x4 G-stage tables
 * (8.2.10 hgatp, 8.5.1 "Guest Physical Address Translation") and Sv39 VS-stage tables
 * (8.2.18 vsatp), runs VS-mode code (mret with MPV = 1, 8.6.4) and checks:
 *   - guest-page faults for loads, stores and fetches (8.5.2 "Guest-Page Faults", causes
 *     21/23/20 of 8.6.1) with mtval = the guest virtual address, mtval2 = the guest
 *     physical address >> 2 (8.4.4; the spec also allows 0, this checks the value),
 *     mstatus.GVA = 1 and MPV = 1 (8.4.1), and mtinst = 0 or the transformed instruction
 *     (8.6.3: rs1 and the immediate cleared; bit 1 = 0 for a compressed one), mtinst = 0
 *     for fetch faults;
 *   - G-stage permissions: U = 1 required (all G-stage accesses count as U-mode, 8.5.1),
 *     execute-only pages readable only with mstatus.MXR, not with vsstatus.MXR (8.2.11);
 *   - guest-page faults of implicit VS-stage page-table accesses: the trap is of the
 *     original access's type, mtval2 = the PTE's guest physical address >> 2 and mtinst
 *     the pseudoinstruction 0x3000 (read) or 0x3020 (A/D update write) (8.6.3: with a
 *     non-zero mtval2 these are mandatory);
 *   - A/D updates at both stages (4.3.1 step 7, 8.5.1: the G-stage follows the same
 *     rules; a hart may instead fault);
 *   - delegation of guest-page faults to HS-mode through medeleg, with htval, stval,
 *     hstatus.SPV/SPVP/GVA (8.2.1, 8.2.8, 8.6.2);
 *   - HFENCE.GVMA after a G-stage change, HFENCE.VVMA and the guest's own SFENCE.VMA after
 *     a VS-stage change (8.3.2, 8.5.3), and translations tagged by VMID (8.2.10). */
#include "guest_riscv.h"
#include "hyp.h"

#define POOL_PAGES 24
#define RWX (PTE_R | PTE_W | PTE_X)
#define AD (PTE_A | PTE_D)

/* Guest-physical pages above the 4 GiB identity map. */
#define G_BASE 0x100000000UL
#define G_RW (G_BASE + 0x0000)     /* page_a, U R W */
#define G_RO (G_BASE + 0x1000)     /* page_b, U R */
#define G_NONE (G_BASE + 0x2000)   /* not mapped */
#define G_XO (G_BASE + 0x3000)     /* xpage, U X */
#define G_NOU (G_BASE + 0x4000)    /* page_a, R W, no U */
#define G_AD (G_BASE + 0x5000)     /* page_c, U R W, A = D = 0 */
#define G_PTRO (G_BASE + 0x6000)   /* vs_leaf_ro (a VS page table), U R */
#define G_PTNONE (G_BASE + 0x7000) /* not mapped: a VS page table "lives" here */
#define G_SW (G_BASE + 0x8000)     /* page_a, then page_b */

/* Guest-virtual addresses of the Sv39 VS-stage table. */
#define V_OK 0x40000000UL      /* -> G_RW */
#define V_GNONE 0x40001000UL   /* -> G_NONE */
#define V_NONE 0x40002000UL    /* not mapped at VS-stage */
#define V_VSAD 0x40003000UL    /* -> G_RW, VS PTE A = D = 0 */
#define V_SW 0x40004000UL      /* -> G_RW, then G_RO */
#define V_IMPL 0x40205000UL    /* level-0 table at G_PTNONE */
#define V_ADRO 0x40400000UL    /* level-0 table at G_PTRO, PTE 0: A = 0 */
#define V_ROOK 0x40401000UL    /* level-0 table at G_PTRO, PTE 1: A = D = 1 */

static uint8_t gpool[POOL_PAGES * 4096] __attribute__((aligned(16384)));
static uint8_t gpool2[POOL_PAGES * 4096] __attribute__((aligned(16384)));
static uint8_t vpool[POOL_PAGES * 4096] __attribute__((aligned(4096)));
static uint64_t page_a[512] __attribute__((aligned(4096)));
static uint64_t page_b[512] __attribute__((aligned(4096)));
static uint64_t page_c[512] __attribute__((aligned(4096)));
static uint64_t vs_leaf_ro[512] __attribute__((aligned(4096)));
unsigned long store_val;
extern char xpage[];

/* Guest code with known encodings (no compression unless asked for), so the expected
 * transformed instruction is fixed:
 *   g_load:  ld a0, 0(a0)     -> transformed 0x00003503
 *   g_cload: c.ld a0, 0(a0)   -> transformed 0x00003501 (expanded, then bit 1 = 0)
 *   g_store: sd t1, 0(a0)     -> transformed 0x00603023 */
unsigned long g_load(unsigned long va);
unsigned long g_cload(unsigned long va);
unsigned long g_store(unsigned long va);
__asm__("    .text\n"
        "    .option push\n"
        "    .option norvc\n"
        "    .balign 4\n"
        "    .globl g_load\n"
        "g_load:\n"
        "    ld a0, 0(a0)\n"
        "    ret\n"
        "    .globl g_store\n"
        "g_store:\n"
        "    la t0, store_val\n"
        "    ld t1, 0(t0)\n"
        "    sd t1, 0(a0)\n"
        "    li a0, 0\n"
        "    ret\n"
        "    .option rvc\n"
        "    .globl g_cload\n"
        "g_cload:\n"
        "    c.ld a0, 0(a0)\n"
        "    ret\n"
        "    .option pop\n"
        /* An execute-only code page for fetches: returns 0x5a. */
        "    .option push\n"
        "    .option norvc\n"
        "    .balign 4096\n"
        "    .globl xpage\n"
        "xpage:\n"
        "    li a0, 0x5a\n"
        "    ret\n"
        "    .balign 4096\n"
        "    .option pop\n");

#define TINST_LD_A0 0x00003503UL
#define TINST_CLD_A0 0x00003501UL
#define TINST_SD_T1 0x00603023UL

static unsigned long g_call(unsigned long va)
{
    unsigned long r = ((unsigned long (*)(void))va)();
    __asm__ volatile("" ::: "memory");
    return r;
}

static unsigned long g_sfence_load(unsigned long va)
{
    sfence_vma();
    return g_load(va);
}

static struct pt g, g2, vs;

static struct hprobe vs_run(unsigned long (*fn)(unsigned long), unsigned long arg)
{
    return hyp_probe(true, PRV_S, fn, arg);
}

/* A guest-page fault taken in M-mode from VS-mode. */
static bool gpf_at_m(const struct hprobe *p, unsigned long cause, unsigned long gva, unsigned long gpa)
{
    const struct htrap *t = &p->t;
    return t->taken && t->level == PRV_M && t->cause == cause && t->tval == gva &&
           t->tval2 == gpa >> 2 && (t->status & MSTATUS_GVA) && (t->status & MSTATUS_MPV) &&
           ((t->status & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT) == PRV_S;
}

static const char *tinst_kind(unsigned long tinst, unsigned long transformed)
{
    return tinst == 0 ? "zero" : tinst == transformed ? "transformed" : "WRONG";
}

static void build_tables(void)
{
    hyp_gstage_identity(&g, gpool, POOL_PAGES);
    pt_map(&g, G_RW, (unsigned long)page_a, PT_4K, PTE_R | PTE_W | G_LEAF);
    pt_map(&g, G_RO, (unsigned long)page_b, PT_4K, PTE_R | G_LEAF);
    pt_map(&g, G_XO, (unsigned long)xpage, PT_4K, PTE_X | G_LEAF);
    pt_map(&g, G_NOU, (unsigned long)page_a, PT_4K, PTE_R | PTE_W | AD);
    pt_map(&g, G_AD, (unsigned long)page_c, PT_4K, PTE_R | PTE_W | PTE_U);
    pt_map(&g, G_PTRO, (unsigned long)vs_leaf_ro, PT_4K, PTE_R | G_LEAF);
    pt_map(&g, G_SW, (unsigned long)page_a, PT_4K, PTE_R | PTE_W | G_LEAF);

    /* A second G-stage table (another VMID): G_SW -> page_c. */
    hyp_gstage_identity(&g2, gpool2, POOL_PAGES);
    pt_map(&g2, G_SW, (unsigned long)page_c, PT_4K, PTE_R | PTE_W | G_LEAF);

    /* VS-stage: devices and RAM 1:1 (guest-physical = physical there), test pages. */
    pt_init(&vs, SATP_MODE_SV39, vpool, POOL_PAGES);
    pt_map(&vs, 0, 0, PT_1G, PTE_R | PTE_W | AD);
    pt_map(&vs, RAM_BASE, RAM_BASE, PT_1G, RWX | AD);
    pt_map(&vs, V_OK, G_RW, PT_4K, PTE_R | PTE_W | AD);
    pt_map(&vs, V_GNONE, G_NONE, PT_4K, PTE_R | PTE_W | AD);
    pt_map(&vs, V_VSAD, G_RW, PT_4K, PTE_R | PTE_W);
    pt_map(&vs, V_SW, G_RW, PT_4K, PTE_R | PTE_W | AD);
    uint64_t *l2 = vs.root;
    uint64_t *l1 = (uint64_t *)(((l2[V_OK >> 30] >> PTE_PPN_SHIFT) & ((1UL << 44) - 1)) << 12);
    l1[(V_IMPL >> 21) & 0x1ff] = pt_pte(G_PTNONE, PTE_V);
    l1[(V_ADRO >> 21) & 0x1ff] = pt_pte(G_PTRO, PTE_V);
    vs_leaf_ro[0] = pt_pte(G_RW, PTE_V | PTE_R | PTE_W);      /* A = 0: needs a write */
    vs_leaf_ro[1] = pt_pte(G_RW, PTE_V | PTE_R | PTE_W | AD);
    fence();
}

static void set_g(unsigned long hgatp, unsigned long vsatp)
{
    csr_write(CSR_HGATP, hgatp);
    csr_write(CSR_VSATP, vsatp);
    hfence_gvma_all();
}

static void test_gstage_only(void)
{
    set_g(hgatp_of(&g, 1), 0);
    report(csr_read(CSR_HGATP) == hgatp_of(&g, 1), "hgatp = Sv39x4 with VMID 1 reads back (0x%lx)",
           csr_read(CSR_HGATP));
    page_a[1] = 0x1111;
    struct hprobe p = vs_run(g_load, G_RW + 8);
    report(!p.t.taken && p.value == 0x1111, "vsatp Bare: VS load through the G-stage page (0x%lx)",
           p.value);

    p = vs_run(g_load, G_NONE + 8);
    report(gpf_at_m(&p, CAUSE_LOAD_GUEST_PAGE_FAULT, G_NONE + 8, G_NONE + 8),
           "8.5.2: load from an unmapped GPA: cause 21, mtval = GVA, mtval2 = GPA>>2, GVA = MPV = 1, "
           "MPP = S (cause %lu tval 0x%lx tval2 0x%lx status 0x%lx)",
           p.t.cause, p.t.tval, p.t.tval2, p.t.status);
    report(p.t.tinst == 0 || p.t.tinst == TINST_LD_A0,
           "8.6.3: mtinst of the load is 0 or the transformed ld 0x%lx (0x%lx: %s)", TINST_LD_A0,
           p.t.tinst, tinst_kind(p.t.tinst, TINST_LD_A0));
    p = vs_run(g_cload, G_NONE + 16);
    report(gpf_at_m(&p, CAUSE_LOAD_GUEST_PAGE_FAULT, G_NONE + 16, G_NONE + 16) &&
               (p.t.tinst == 0 || p.t.tinst == TINST_CLD_A0),
           "8.6.3: c.ld fault: mtinst 0 or the expanded ld with bit 1 = 0, 0x%lx (0x%lx: %s)",
           TINST_CLD_A0, p.t.tinst, tinst_kind(p.t.tinst, TINST_CLD_A0));

    store_val = 0x77;
    p = vs_run(g_store, G_RO + 24);
    report(gpf_at_m(&p, CAUSE_STORE_GUEST_PAGE_FAULT, G_RO + 24, G_RO + 24) && page_b[3] == 0,
           "8.5.2: store to a read-only G-stage page: cause 23, mtval2 = GPA>>2, memory unchanged "
           "(cause %lu tval2 0x%lx)", p.t.cause, p.t.tval2);
    report(p.t.tinst == 0 || p.t.tinst == TINST_SD_T1,
           "8.6.3: mtinst of the store is 0 or the transformed sd 0x%lx (0x%lx: %s)", TINST_SD_T1,
           p.t.tinst, tinst_kind(p.t.tinst, TINST_SD_T1));

    p = vs_run(g_call, G_NONE + 0x40);
    report(gpf_at_m(&p, CAUSE_FETCH_GUEST_PAGE_FAULT, G_NONE + 0x40, G_NONE + 0x40) &&
               p.t.epc == G_NONE + 0x40 && p.t.tinst == 0,
           "8.5.2: fetch from an unmapped GPA: cause 20, mepc = mtval, mtval2 = GPA>>2, mtinst = 0 "
           "(cause %lu epc 0x%lx tinst 0x%lx)", p.t.cause, p.t.epc, p.t.tinst);
    p = vs_run(g_call, G_RW);
    report(gpf_at_m(&p, CAUSE_FETCH_GUEST_PAGE_FAULT, G_RW, G_RW),
           "fetch from a G-stage page without X: cause 20 (cause %lu)", p.t.cause);
    p = vs_run(g_call, G_XO);
    report(!p.t.taken && p.value == 0x5a, "fetch from a G-stage execute-only page (0x%lx)", p.value);

    p = vs_run(g_load, G_NOU);
    report(gpf_at_m(&p, CAUSE_LOAD_GUEST_PAGE_FAULT, G_NOU, G_NOU),
           "8.5.1: G-stage PTE with U = 0: guest-page fault even from VS-mode (cause %lu)", p.t.cause);

    p = vs_run(g_load, G_XO);
    report(gpf_at_m(&p, CAUSE_LOAD_GUEST_PAGE_FAULT, G_XO, G_XO),
           "load from a G-stage execute-only page: cause 21 (cause %lu)", p.t.cause);
    csr_set(CSR_VSSTATUS, MSTATUS_MXR);
    p = vs_run(g_load, G_XO);
    csr_clear(CSR_VSSTATUS, MSTATUS_MXR);
    report(gpf_at_m(&p, CAUSE_LOAD_GUEST_PAGE_FAULT, G_XO, G_XO),
           "8.2.11: vsstatus.MXR does not make G-stage execute-only pages readable (cause %lu)",
           p.t.cause);
    csr_set(mstatus, MSTATUS_MXR);
    p = vs_run(g_load, G_XO);
    csr_clear(mstatus, MSTATUS_MXR);
    report(!p.t.taken && (uint32_t)p.value == *(uint32_t *)xpage,
           "8.2.11: HS-level sstatus.MXR makes them readable (0x%lx, trap %d cause %lu)", p.value,
           p.t.taken, p.t.cause);

    /* G-stage A/D. */
    p = vs_run(g_load, G_AD);
    uint64_t *pte = pt_lookup(&g, G_AD);
    bool a_set = !p.t.taken && (*pte & PTE_A) && !(*pte & PTE_D);
    report(a_set || (p.t.taken && p.t.cause == CAUSE_LOAD_GUEST_PAGE_FAULT),
           "G-stage load with A = 0: A set by the hart (or a guest-page fault) (pte 0x%lx, %s)",
           (unsigned long)*pte, a_set ? "A set" : "faulted");
    store_val = 0x99;
    p = vs_run(g_store, G_AD + 8);
    bool d_set = !p.t.taken && (*pte & PTE_D) && page_c[1] == 0x99;
    report(d_set || (p.t.taken && p.t.cause == CAUSE_STORE_GUEST_PAGE_FAULT),
           "G-stage store with D = 0: D set by the hart (or a guest-page fault) (pte 0x%lx, %s)",
           (unsigned long)*pte, d_set ? "D set" : "faulted");
}

static void test_two_stage(void)
{
    set_g(hgatp_of(&g, 1), pt_satp(&vs));
    page_a[2] = 0x2222;
    struct hprobe p = vs_run(g_load, V_OK + 16);
    report(!p.t.taken && p.value == 0x2222, "Sv39 over Sv39x4: VS load through both stages (0x%lx)",
           p.value);

    p = vs_run(g_load, V_GNONE + 8);
    report(gpf_at_m(&p, CAUSE_LOAD_GUEST_PAGE_FAULT, V_GNONE + 8, G_NONE + 8),
           "both stages: G-stage fault reports mtval = GVA 0x%lx, mtval2 = GPA>>2 (tval 0x%lx tval2 0x%lx)",
           V_GNONE + 8, p.t.tval, p.t.tval2);

    p = vs_run(g_load, V_NONE);
    report(p.t.taken && p.t.level == PRV_M && p.t.cause == CAUSE_LOAD_PAGE_FAULT && p.t.tval == V_NONE &&
               p.t.tval2 == 0 && (p.t.status & MSTATUS_GVA),
           "VS-stage fault: cause 13, mtval = GVA, mtval2 = 0, GVA = 1 (cause %lu tval2 0x%lx)",
           p.t.cause, p.t.tval2);

    p = vs_run(g_load, V_IMPL + 8);
    unsigned long pte_gpa = G_PTNONE + ((V_IMPL >> 12) & 0x1ff) * 8;
    report(gpf_at_m(&p, CAUSE_LOAD_GUEST_PAGE_FAULT, V_IMPL + 8, pte_gpa),
           "8.5.2: VS page table at an unmapped GPA: load guest-page fault, mtval2 = PTE GPA>>2 0x%lx "
           "(cause %lu tval2 0x%lx)", pte_gpa >> 2, p.t.cause, p.t.tval2);
    report(p.t.tinst == HTINST_PTE_READ64,
           "8.6.3: mtinst = 0x3000 for the implicit PTE read (0x%lx)", p.t.tinst);
    store_val = 5;
    p = vs_run(g_store, V_IMPL + 8);
    report(gpf_at_m(&p, CAUSE_STORE_GUEST_PAGE_FAULT, V_IMPL + 8, pte_gpa) && p.t.tinst == HTINST_PTE_READ64,
           "implicit PTE read for a store: store guest-page fault (23), mtinst = 0x3000 (cause %lu tinst 0x%lx)",
           p.t.cause, p.t.tinst);
    p = vs_run(g_call, V_IMPL);
    report(gpf_at_m(&p, CAUSE_FETCH_GUEST_PAGE_FAULT, V_IMPL, pte_gpa) && p.t.tinst == HTINST_PTE_READ64,
           "implicit PTE read for a fetch: fetch guest-page fault (20), mtinst = 0x3000 (cause %lu tinst 0x%lx)",
           p.t.cause, p.t.tinst);

    page_a[0] = 0x4444;
    p = vs_run(g_load, V_ROOK);
    report(!p.t.taken && p.value == 0x4444,
           "VS page table in a read-only G-stage page: a walk that only reads works (0x%lx)", p.value);
    p = vs_run(g_load, V_ADRO);
    bool ad_fault = gpf_at_m(&p, CAUSE_LOAD_GUEST_PAGE_FAULT, V_ADRO, G_PTRO) &&
                    p.t.tinst == HTINST_PTE_WRITE64;
    bool vs_pf = p.t.taken && p.t.cause == CAUSE_LOAD_PAGE_FAULT; /* a hart without hardware A/D */
    report(ad_fault || vs_pf,
           "8.6.3: setting A in a VS PTE that the G-stage maps read-only: load guest-page fault, "
           "mtval2 = PTE GPA>>2, mtinst = 0x3020 (cause %lu tval2 0x%lx tinst 0x%lx)",
           p.t.cause, p.t.tval2, p.t.tinst);
    report(!(vs_leaf_ro[0] & PTE_A), "the read-only VS PTE was not written (0x%lx)",
           (unsigned long)vs_leaf_ro[0]);

    /* VS-stage A/D. */
    uint64_t *pte = pt_lookup(&vs, V_VSAD);
    p = vs_run(g_load, V_VSAD);
    bool a_set = !p.t.taken && (*pte & PTE_A) && !(*pte & PTE_D);
    report(a_set || (p.t.taken && p.t.cause == CAUSE_LOAD_PAGE_FAULT),
           "VS-stage load with A = 0: A set (or a page fault) (pte 0x%lx)", (unsigned long)*pte);
    store_val = 0xabc;
    p = vs_run(g_store, V_VSAD + 32);
    bool d_set = !p.t.taken && (*pte & PTE_D) && page_a[4] == 0xabc;
    report(d_set || (p.t.taken && p.t.cause == CAUSE_STORE_PAGE_FAULT),
           "VS-stage store with D = 0: D set (or a page fault) (pte 0x%lx)", (unsigned long)*pte);
}

static void test_delegated(void)
{
    set_g(hgatp_of(&g, 1), 0);
    csr_write(medeleg, (1UL << CAUSE_LOAD_GUEST_PAGE_FAULT) | (1UL << CAUSE_STORE_GUEST_PAGE_FAULT) |
                           (1UL << CAUSE_FETCH_GUEST_PAGE_FAULT));
    csr_write(CSR_HEDELEG, ~0UL);
    unsigned long hedeleg = csr_read(CSR_HEDELEG);
    csr_write(CSR_HEDELEG, 0);
    report(!(hedeleg & ((1UL << 20) | (1UL << 21) | (1UL << 22) | (1UL << 23) | (1UL << 10))),
           "8.2.2: hedeleg bits 10, 20-23 are read-only 0: guest-page faults never reach VS (0x%lx)",
           hedeleg);
    struct hprobe p = vs_run(g_load, G_NONE + 0x18);
    csr_write(medeleg, 0);
    report(p.t.taken && p.t.level == PRV_S && p.t.cause == CAUSE_LOAD_GUEST_PAGE_FAULT &&
               p.t.tval == G_NONE + 0x18 && p.t.tval2 == (G_NONE + 0x18) >> 2,
           "medeleg: load guest-page fault in HS-mode, scause 21, stval = GVA, htval = GPA>>2 "
           "(level %lu cause %lu tval2 0x%lx)", p.t.level, p.t.cause, p.t.tval2);
    report((p.t.hstatus & HSTATUS_SPV) && (p.t.hstatus & HSTATUS_SPVP) && (p.t.hstatus & HSTATUS_GVA) &&
               (p.t.status & MSTATUS_SPP),
           "8.2.1: hstatus.SPV = SPVP = GVA = 1, sstatus.SPP = 1 (hstatus 0x%lx)", p.t.hstatus);
    report(p.t.tinst == 0 || p.t.tinst == TINST_LD_A0, "htinst = 0 or the transformed ld (0x%lx)",
           p.t.tinst);
}

static void test_fences(void)
{
    page_a[0] = 0xaaaa;
    page_b[0] = 0xbbbb;
    page_c[0] = 0xcccc;
    set_g(hgatp_of(&g, 1), 0);
    struct hprobe p = vs_run(g_load, G_SW);
    report(!p.t.taken && p.value == 0xaaaa, "G_SW maps page_a (0x%lx)", p.value);
    *pt_lookup(&g, G_SW) = pt_pte((unsigned long)page_b, PTE_V | PTE_R | PTE_W | G_LEAF);
    fence();
    hfence_gvma_gpa(G_SW);
    p = vs_run(g_load, G_SW);
    report(!p.t.taken && p.value == 0xbbbb, "8.3.2: HFENCE.GVMA of the GPA after a G-stage change (0x%lx)",
           p.value);
    *pt_lookup(&g, G_SW) = pt_pte((unsigned long)page_a, PTE_V | PTE_R | PTE_W | G_LEAF);
    fence();
    hfence_gvma_all();
    p = vs_run(g_load, G_SW);
    report(!p.t.taken && p.value == 0xaaaa, "HFENCE.GVMA x0, x0 after changing it back (0x%lx)", p.value);

    csr_write(CSR_HGATP, hgatp_of(&g2, 2));
    p = vs_run(g_load, G_SW);
    report(!p.t.taken && p.value == 0xcccc, "8.2.10: VMID 2 with its own table: page_c (0x%lx)", p.value);
    csr_write(CSR_HGATP, hgatp_of(&g, 1));
    p = vs_run(g_load, G_SW);
    report(!p.t.taken && p.value == 0xaaaa,
           "back to VMID 1 without a fence: its own translation, page_a (0x%lx)", p.value);

    set_g(hgatp_of(&g, 1), pt_satp(&vs));
    p = vs_run(g_load, V_SW);
    report(!p.t.taken && p.value == 0xaaaa, "V_SW -> G_RW -> page_a (0x%lx)", p.value);
    *pt_lookup(&vs, V_SW) = pt_pte(G_RO, PTE_V | PTE_R | PTE_W | AD);
    fence();
    hfence_vvma_all();
    p = vs_run(g_load, V_SW);
    report(!p.t.taken && p.value == 0xbbbb, "8.3.2: HFENCE.VVMA after a VS-stage change (0x%lx)",
           p.value);
    *pt_lookup(&vs, V_SW) = pt_pte(G_RW, PTE_V | PTE_R | PTE_W | AD);
    fence();
    p = vs_run(g_sfence_load, V_SW);
    report(!p.t.taken && p.value == 0xaaaa,
           "8.5.3: the guest's own SFENCE.VMA (V = 1) after a VS-stage change (0x%lx)", p.value);
}

int main(void)
{
    report(csr_read(misa) & (1UL << 7), "misa.H is set (misa 0x%lx)", csr_read(misa));
    hyp_init();
    build_tables();
    test_gstage_only();
    test_two_stage();
    test_delegated();
    test_fences();
    csr_write(CSR_HGATP, 0);
    csr_write(CSR_VSATP, 0);
    return 0;
}
