/* tests/guest/riscv/h_vmid.c: address-translation caching across guests (Volume II 1.12,
 * 8.2.10 hgatp, 8.3.2 "Hypervisor Memory-Management Fence Instructions"). A test
 * hypervisor in M-mode runs two VS-mode guests with VMIDs 1 and 2 whose G-stage tables map
 * the same guest-physical data and code pages to different host pages, and whose VS-stage
 * translations use the same table and the same ASID. It checks:
 *   - switching hgatp back and forth many times without a fence, each guest reads its own
 *     data and runs its own code at the same guest virtual address (translations are
 *     tagged by VMID, so no fence is needed when each VMID keeps its tables);
 *   - after a G-stage leaf of one guest changes, HFENCE.GVMA for that VMID (whole, and
 *     by guest physical address) makes the new mapping seen, and the other guest keeps
 *     its own;
 *   - after a VS-stage leaf changes, HFENCE.VVMA with the ASID under each VMID makes it
 *     seen by that guest. */
#include "guest_riscv.h"
#include "hyp.h"

#define POOL_PAGES 24
#define AD (PTE_A | PTE_D)
#define ROUNDS 200
#define ASID 7UL

#define G_BASE 0x100000000UL
#define G_DATA (G_BASE + 0x0000)  /* guest 1: page_1; guest 2: page_2, later page_3 */
#define G_CODE (G_BASE + 0x1000)  /* guest 1: code_1; guest 2: code_2 */
#define G_DATA2 (G_BASE + 0x2000) /* both: page_4 */
#define V_DATA 0x40000000UL       /* -> G_DATA, later G_DATA2 */
#define V_CODE 0x40001000UL       /* -> G_CODE */

static uint8_t gpool1[POOL_PAGES * 4096] __attribute__((aligned(16384)));
static uint8_t gpool2[POOL_PAGES * 4096] __attribute__((aligned(16384)));
static uint8_t vpool[POOL_PAGES * 4096] __attribute__((aligned(4096)));
static uint64_t page_1[512] __attribute__((aligned(4096)));
static uint64_t page_2[512] __attribute__((aligned(4096)));
static uint64_t page_3[512] __attribute__((aligned(4096)));
static uint64_t page_4[512] __attribute__((aligned(4096)));
extern char code_1[], code_2[];

/* Two code pages: each returns its guest's number. */
__asm__("    .text\n"
        "    .balign 4096\n"
        "    .globl code_1\n"
        "code_1:\n"
        "    li a0, 1\n"
        "    ret\n"
        "    .balign 4096\n"
        "    .globl code_2\n"
        "code_2:\n"
        "    li a0, 2\n"
        "    ret\n"
        "    .balign 4096\n");

static struct pt g1, g2, vs;

static unsigned long g_load(unsigned long va)
{
    return *(volatile uint64_t *)va;
}

static unsigned long g_call(unsigned long va)
{
    unsigned long r = ((unsigned long (*)(void))va)();
    __asm__ volatile("" ::: "memory");
    return r;
}

static unsigned long vs_run(unsigned long (*fn)(unsigned long), unsigned long arg, bool *trapped)
{
    struct hprobe p = hyp_probe(true, PRV_S, fn, arg);
    *trapped = p.t.taken;
    return p.value;
}

static void guest(unsigned n)
{
    csr_write(CSR_HGATP, hgatp_of(n == 1 ? &g1 : &g2, n));
}

static void build_tables(void)
{
    hyp_gstage_identity(&g1, gpool1, POOL_PAGES);
    pt_map(&g1, G_DATA, (unsigned long)page_1, PT_4K, PTE_R | PTE_W | G_LEAF);
    pt_map(&g1, G_CODE, (unsigned long)code_1, PT_4K, PTE_R | PTE_X | G_LEAF);
    pt_map(&g1, G_DATA2, (unsigned long)page_4, PT_4K, PTE_R | PTE_W | G_LEAF);
    hyp_gstage_identity(&g2, gpool2, POOL_PAGES);
    pt_map(&g2, G_DATA, (unsigned long)page_2, PT_4K, PTE_R | PTE_W | G_LEAF);
    pt_map(&g2, G_CODE, (unsigned long)code_2, PT_4K, PTE_R | PTE_X | G_LEAF);
    pt_map(&g2, G_DATA2, (unsigned long)page_4, PT_4K, PTE_R | PTE_W | G_LEAF);

    /* VS-stage: devices and RAM 1:1 (guest-physical = physical there), test pages. */
    pt_init(&vs, SATP_MODE_SV39, vpool, POOL_PAGES);
    pt_map(&vs, 0, 0, PT_1G, PTE_R | PTE_W | AD);
    pt_map(&vs, RAM_BASE, RAM_BASE, PT_1G, PTE_R | PTE_W | PTE_X | AD);
    pt_map(&vs, V_DATA, G_DATA, PT_4K, PTE_R | PTE_W | AD);
    pt_map(&vs, V_CODE, G_CODE, PT_4K, PTE_R | PTE_X | AD);
    page_1[0] = 0x1111;
    page_2[0] = 0x2222;
    page_3[0] = 0x3333;
    page_4[0] = 0x4444;
    fence();
}

/* Each guest in turn, ROUNDS times, with no fence: its data and its code. */
static void test_switching(void)
{
    csr_write(CSR_VSATP, pt_satp(&vs) | ASID << SATP_ASID_SHIFT);
    hfence_gvma_all();
    unsigned bad_data = 0, bad_code = 0, traps = 0;
    unsigned long first_bad = 0;
    for (unsigned k = 0; k < ROUNDS; k++) {
        unsigned n = 1 + (k & 1);
        bool t1, t2;
        guest(n);
        unsigned long d = vs_run(g_load, V_DATA, &t1);
        unsigned long c = vs_run(g_call, V_CODE, &t2);
        traps += t1 + t2;
        if (d != (n == 1 ? 0x1111UL : 0x2222UL)) {
            if (!bad_data && !bad_code)
                first_bad = k;
            bad_data++;
        }
        if (c != n) {
            if (!bad_data && !bad_code)
                first_bad = k;
            bad_code++;
        }
    }
    report(traps == 0, "%u switches of hgatp between VMIDs 1 and 2 without fences: no trap (%u)",
           ROUNDS, traps);
    report(bad_data == 0, "each guest loads its own page at the same GPA and GVA (%u wrong, "
           "first at round %lu)", bad_data, first_bad);
    report(bad_code == 0, "each guest runs its own code at the same GPA and GVA (%u wrong, "
           "first at round %lu)", bad_code, first_bad);
}

static void test_gvma(void)
{
    bool t;
    /* Guest 2's data page moves: after HFENCE.GVMA for VMID 2 the new page is seen. */
    *pt_lookup(&g2, G_DATA) = pt_pte((unsigned long)page_3, PTE_V | PTE_R | PTE_W | G_LEAF);
    fence();
    guest(1);
    hfence_gvma_vmid(2);
    unsigned long d = vs_run(g_load, V_DATA, &t);
    report(!t && d == 0x1111, "guest 1 keeps page_1 across HFENCE.GVMA of VMID 2 (0x%lx)", d);
    guest(2);
    d = vs_run(g_load, V_DATA, &t);
    report(!t && d == 0x3333, "8.3.2: guest 2 sees its new G-stage leaf after HFENCE.GVMA x0, "
           "VMID 2 (0x%lx)", d);
    /* And back, fenced by guest physical address and VMID. */
    *pt_lookup(&g2, G_DATA) = pt_pte((unsigned long)page_2, PTE_V | PTE_R | PTE_W | G_LEAF);
    fence();
    hfence_gvma_gpa_vmid(G_DATA, 2);
    d = vs_run(g_load, V_DATA, &t);
    report(!t && d == 0x2222, "8.3.2: ... and the old one again after HFENCE.GVMA GPA>>2, VMID 2 "
           "(0x%lx)", d);
    guest(1);
    d = vs_run(g_load, V_DATA, &t);
    report(!t && d == 0x1111, "guest 1 still reads page_1 (0x%lx)", d);
    /* The switches go on working after the fences. */
    unsigned bad = 0;
    for (unsigned k = 0; k < 20; k++) {
        unsigned n = 1 + (k & 1);
        guest(n);
        d = vs_run(g_load, V_DATA, &t);
        bad += t || d != (n == 1 ? 0x1111UL : 0x2222UL);
    }
    report(bad == 0, "switching on after the fences: each its own page (%u wrong)", bad);
}

static void test_vvma(void)
{
    bool t;
    /* The VS-stage table both guests use: V_DATA now maps G_DATA2. Each guest sees it after
     * HFENCE.VVMA of ASID 7 under its VMID. */
    *pt_lookup(&vs, V_DATA) = pt_pte(G_DATA2, PTE_V | PTE_R | PTE_W | AD);
    fence();
    for (unsigned n = 1; n <= 2; n++) {
        guest(n);
        hfence_vvma_asid(ASID);
        unsigned long d = vs_run(g_load, V_DATA, &t);
        report(!t && d == 0x4444, "8.3.2: guest %u sees the VS-stage change after HFENCE.VVMA "
               "x0, ASID %lu (0x%lx)", n, ASID, d);
    }
}

int main(void)
{
    report(csr_read(misa) & (1UL << 7), "misa.H is set (misa 0x%lx)", csr_read(misa));
    hyp_init();
    build_tables();
    test_switching();
    test_gvma();
    test_vvma();
    csr_write(CSR_HGATP, 0);
    csr_write(CSR_VSATP, 0);
    return 0;
}
