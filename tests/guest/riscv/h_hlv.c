/* tests/guest/riscv/h_hlv.c: the hypervisor virtual-machine load and store instructions
 * (Volume II 1.12, 8.3.1 "Hypervisor Virtual-Machine Load and Store Instructions"):
 * HLV/HLVX/HSV executed in HS-mode (and M-mode, and U-mode with hstatus.HU) access
 * memory through the guest's two-stage translation (vsatp, hgatp) as though V = 1, with
 * the effective privilege of hstatus.SPVP (8.2.1), with vsstatus.SUM and MXR applying to
 * the VS-stage and sstatus.MXR to both stages (8.2.11). HLVX needs execute permission
 * instead of read permission, MXR or not. Faults are page faults or guest-page faults
 * with mstatus.GVA = 1 and MPV = 0 (8.4.1: the access was virtual, the mode was not).
 * Checked as well: the sign/zero extension of every width; HU = 0 makes them illegal in
 * U-mode; in VS- and VU-mode they raise virtual-instruction exceptions (8.6.1 cause 22,
 * the list of virtual-instruction conditions in 8.2). */
#include "guest_riscv.h"
#include "hyp.h"

#define POOL_PAGES 16
#define AD (PTE_A | PTE_D)

#define G_BASE 0x100000000UL
#define G_RW (G_BASE + 0x0000)   /* page_a, U R W */
#define G_RO (G_BASE + 0x1000)   /* page_b, U R */
#define G_X (G_BASE + 0x2000)    /* xpage, U R X */
#define G_XO (G_BASE + 0x3000)   /* xpage, U X */
#define G_NONE (G_BASE + 0x4000) /* not mapped */

#define V_S 0x40000000UL     /* -> G_RW, supervisor R W */
#define V_U 0x40001000UL     /* -> G_RW, U R W */
#define V_XO 0x40002000UL    /* -> G_X, supervisor X only */
#define V_RO 0x40003000UL    /* -> G_RO, supervisor R */
#define V_GXO 0x40004000UL   /* -> G_XO, supervisor R X (G-stage X only) */
#define V_GNONE 0x40005000UL /* -> G_NONE */
#define V_UXO 0x40006000UL   /* -> G_X, U X only */

static uint8_t gpool[POOL_PAGES * 4096] __attribute__((aligned(16384)));
static uint8_t vpool[POOL_PAGES * 4096] __attribute__((aligned(4096)));
static uint64_t page_a[512] __attribute__((aligned(4096)));
static uint64_t page_b[512] __attribute__((aligned(4096)));
extern char xpage[];
__asm__("    .text\n"
        "    .option push\n"
        "    .option norvc\n"
        "    .balign 4096\n"
        "    .globl xpage\n"
        "xpage:\n"
        "    li a0, 0x5a\n"
        "    ret\n"
        "    .balign 4096\n"
        "    .option pop\n");

static unsigned long store_val;
static unsigned long f_hlv_d(unsigned long a) { return hlv_d(a); }
static unsigned long f_hlv_w(unsigned long a) { return hlv_w(a); }
static unsigned long f_hlvx_wu(unsigned long a) { return hlvx_wu(a); }
static unsigned long f_hlvx_hu(unsigned long a) { return hlvx_hu(a); }
static unsigned long f_hsv_d(unsigned long a)
{
    hsv_d(a, store_val);
    return 0;
}
static unsigned long f_hsv_w(unsigned long a)
{
    hsv_w(a, store_val);
    return 0;
}

static struct pt g, vs;

static struct hprobe hs_run(unsigned long (*fn)(unsigned long), unsigned long arg)
{
    return hyp_probe(false, PRV_S, fn, arg);
}

/* A fault of an HLV/HSV executed in HS-mode, taken in M-mode. */
static bool hfault(const struct hprobe *p, unsigned long cause, unsigned long va)
{
    const struct htrap *t = &p->t;
    return t->taken && t->level == PRV_M && t->cause == cause && t->tval == va &&
           (t->status & MSTATUS_GVA) && !(t->status & MSTATUS_MPV) &&
           ((t->status & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT) == PRV_S;
}

static void set_spvp(bool on)
{
    if (on)
        csr_set(CSR_HSTATUS, HSTATUS_SPVP);
    else
        csr_clear(CSR_HSTATUS, HSTATUS_SPVP);
}

static void build(void)
{
    hyp_gstage_identity(&g, gpool, POOL_PAGES);
    pt_map(&g, G_RW, (unsigned long)page_a, PT_4K, PTE_R | PTE_W | G_LEAF);
    pt_map(&g, G_RO, (unsigned long)page_b, PT_4K, PTE_R | G_LEAF);
    pt_map(&g, G_X, (unsigned long)xpage, PT_4K, PTE_R | PTE_X | G_LEAF);
    pt_map(&g, G_XO, (unsigned long)xpage, PT_4K, PTE_X | G_LEAF);
    pt_init(&vs, SATP_MODE_SV39, vpool, POOL_PAGES);
    pt_map(&vs, V_S, G_RW, PT_4K, PTE_R | PTE_W | AD);
    pt_map(&vs, V_U, G_RW, PT_4K, PTE_R | PTE_W | PTE_U | AD);
    pt_map(&vs, V_XO, G_X, PT_4K, PTE_X | AD);
    pt_map(&vs, V_RO, G_RO, PT_4K, PTE_R | AD);
    pt_map(&vs, V_GXO, G_XO, PT_4K, PTE_R | PTE_X | AD);
    pt_map(&vs, V_GNONE, G_NONE, PT_4K, PTE_R | PTE_W | AD);
    pt_map(&vs, V_UXO, G_X, PT_4K, PTE_X | PTE_U | AD);
    csr_write(CSR_HGATP, hgatp_of(&g, 3));
    csr_write(CSR_VSATP, pt_satp(&vs));
    hfence_gvma_all();
}

static void test_privilege(void)
{
    page_a[0] = 0x1010101010101010UL;
    set_spvp(true);
    struct hprobe p = hs_run(f_hlv_d, V_S);
    report(!p.t.taken && p.value == page_a[0], "SPVP = 1: HLV.D of a supervisor page from HS (0x%lx)",
           p.value);
    p = hs_run(f_hlv_d, V_U);
    report(hfault(&p, CAUSE_LOAD_PAGE_FAULT, V_U),
           "SPVP = 1: HLV.D of a U page without vsstatus.SUM: page fault, mtval = GVA, GVA = 1, MPV = 0 "
           "(cause %lu tval 0x%lx status 0x%lx)", p.t.cause, p.t.tval, p.t.status);
    csr_set(CSR_VSSTATUS, MSTATUS_SUM);
    p = hs_run(f_hlv_d, V_U);
    csr_clear(CSR_VSSTATUS, MSTATUS_SUM);
    report(!p.t.taken && p.value == page_a[0], "SPVP = 1: with vsstatus.SUM the U page is readable");
    csr_set(sstatus, MSTATUS_SUM);
    p = hs_run(f_hlv_d, V_U);
    csr_clear(sstatus, MSTATUS_SUM);
    report(hfault(&p, CAUSE_LOAD_PAGE_FAULT, V_U),
           "8.3.1: the HS-level sstatus.SUM does not apply to HLV (cause %lu)", p.t.cause);

    set_spvp(false);
    p = hs_run(f_hlv_d, V_U);
    report(!p.t.taken && p.value == page_a[0], "SPVP = 0: HLV.D of a U page works as VU-mode would");
    p = hs_run(f_hlv_d, V_S);
    report(hfault(&p, CAUSE_LOAD_PAGE_FAULT, V_S),
           "SPVP = 0: HLV.D of a supervisor page: page fault (cause %lu)", p.t.cause);
    csr_set(CSR_VSSTATUS, MSTATUS_SUM);
    p = hs_run(f_hlv_d, V_S);
    csr_clear(CSR_VSSTATUS, MSTATUS_SUM);
    report(hfault(&p, CAUSE_LOAD_PAGE_FAULT, V_S),
           "SPVP = 0: SUM does not open supervisor pages to user accesses (cause %lu)", p.t.cause);
    set_spvp(true);
}

static void test_mxr(void)
{
    uint32_t insn0 = *(uint32_t *)xpage;
    set_spvp(true);
    struct hprobe p = hs_run(f_hlv_d, V_XO);
    report(hfault(&p, CAUSE_LOAD_PAGE_FAULT, V_XO),
           "HLV of a VS-stage execute-only page: page fault (cause %lu)", p.t.cause);
    csr_set(CSR_VSSTATUS, MSTATUS_MXR);
    p = hs_run(f_hlv_w, V_XO);
    csr_clear(CSR_VSSTATUS, MSTATUS_MXR);
    report(!p.t.taken && (uint32_t)p.value == insn0, "vsstatus.MXR: readable through HLV (0x%lx)", p.value);
    csr_set(sstatus, MSTATUS_MXR);
    p = hs_run(f_hlv_w, V_XO);
    csr_clear(sstatus, MSTATUS_MXR);
    report(!p.t.taken && (uint32_t)p.value == insn0, "sstatus.MXR: readable through HLV (0x%lx)", p.value);

    p = hs_run(f_hlvx_wu, V_XO);
    report(!p.t.taken && p.value == insn0, "HLVX.WU of an execute-only page reads the code (0x%lx)",
           p.value);
    p = hs_run(f_hlvx_hu, V_XO + 2);
    report(!p.t.taken && p.value == (insn0 >> 16), "HLVX.HU zero-extends (0x%lx)", p.value);
    csr_set(CSR_VSSTATUS, MSTATUS_MXR);
    csr_set(sstatus, MSTATUS_MXR);
    p = hs_run(f_hlvx_wu, V_RO);
    csr_clear(sstatus, MSTATUS_MXR);
    csr_clear(CSR_VSSTATUS, MSTATUS_MXR);
    report(hfault(&p, CAUSE_LOAD_PAGE_FAULT, V_RO),
           "8.3.1: HLVX of a readable page without X: page fault even with both MXRs (cause %lu)",
           p.t.cause);

    p = hs_run(f_hlvx_wu, V_GXO);
    report(!p.t.taken && p.value == insn0, "HLVX through a G-stage execute-only page (0x%lx)", p.value);
    p = hs_run(f_hlv_w, V_GXO);
    report(hfault(&p, CAUSE_LOAD_GUEST_PAGE_FAULT, V_GXO) && p.t.tval2 == G_XO >> 2,
           "HLV of it: load guest-page fault, mtval2 = GPA>>2 (cause %lu tval2 0x%lx)", p.t.cause,
           p.t.tval2);
    csr_set(CSR_VSSTATUS, MSTATUS_MXR);
    p = hs_run(f_hlv_w, V_GXO);
    csr_clear(CSR_VSSTATUS, MSTATUS_MXR);
    report(hfault(&p, CAUSE_LOAD_GUEST_PAGE_FAULT, V_GXO),
           "8.2.11: vsstatus.MXR does not open the G-stage page (cause %lu)", p.t.cause);
    csr_set(sstatus, MSTATUS_MXR);
    p = hs_run(f_hlv_w, V_GXO);
    csr_clear(sstatus, MSTATUS_MXR);
    report(!p.t.taken && (uint32_t)p.value == insn0, "8.2.11: sstatus.MXR does (0x%lx)", p.value);

    set_spvp(false);
    p = hs_run(f_hlvx_wu, V_UXO);
    report(!p.t.taken && p.value == insn0, "SPVP = 0: HLVX.WU of a U execute-only page (0x%lx)", p.value);
    set_spvp(true);
}

static void test_stores_widths(void)
{
    set_spvp(true);
    store_val = 0x5555666677778888UL;
    struct hprobe p = hs_run(f_hsv_d, V_S + 0x18);
    report(!p.t.taken && page_a[3] == store_val, "HSV.D stores through both stages");
    page_b[0] = 0;
    p = hs_run(f_hsv_d, V_RO);
    report(hfault(&p, CAUSE_STORE_PAGE_FAULT, V_RO) && page_b[0] == 0,
           "HSV.D to a read-only VS page: store page fault (cause %lu)", p.t.cause);
    p = hs_run(f_hsv_w, V_GNONE + 4);
    report(hfault(&p, CAUSE_STORE_GUEST_PAGE_FAULT, V_GNONE + 4) && p.t.tval2 == (G_NONE + 4) >> 2,
           "HSV.W to an unmapped GPA: store guest-page fault, mtval2 = GPA>>2 (cause %lu tval2 0x%lx)",
           p.t.cause, p.t.tval2);

    page_a[8] = 0x8899aabbccddeeffUL;
    unsigned long a = V_S + 64;
    report(hlv_b(a) == 0xffffffffffffffffUL && hlv_bu(a) == 0xff, "M-mode HLV.B/BU: sign/zero extension");
    report(hlv_h(a) == 0xffffffffffffeeffUL && hlv_hu(a) == 0xeeff, "HLV.H/HU: sign/zero extension");
    report(hlv_w(a) == 0xffffffffccddeeffUL && hlv_wu(a) == 0xccddeeff, "HLV.W/WU: sign/zero extension");
    report(hlv_d(a) == 0x8899aabbccddeeffUL && hlv_b(a + 7) == 0xffffffffffffff88UL,
           "HLV.D, HLV.B at offset 7");
    hsv_b(a, 0x11);
    hsv_h(a + 2, 0x2233);
    hsv_w(a + 4, 0x44556677);
    report(page_a[8] == 0x445566772233ee11UL, "HSV.B/H/W store only their bytes (0x%lx)",
           (unsigned long)page_a[8]);
}

static unsigned long u_hlv(unsigned long a) { return hlv_d(a); }

static void test_modes(void)
{
    set_spvp(true);
    csr_clear(CSR_HSTATUS, HSTATUS_HU);
    struct hprobe p = hyp_probe(false, PRV_U, u_hlv, V_S);
    report(p.t.taken && p.t.cause == CAUSE_ILLEGAL_INSTRUCTION,
           "8.2.1: hstatus.HU = 0: HLV in U-mode is illegal (cause %lu)", p.t.cause);
    csr_set(CSR_HSTATUS, HSTATUS_HU);
    p = hyp_probe(false, PRV_U, u_hlv, V_S);
    report(!p.t.taken && p.value == page_a[0], "hstatus.HU = 1: HLV works in U-mode (0x%lx)", p.value);
    csr_write(CSR_VSATP, 0); /* the guest runs from RAM, 1:1 */
    p = hyp_probe(true, PRV_S, u_hlv, V_S);
    report(p.t.taken && p.t.cause == CAUSE_VIRTUAL_INSTRUCTION && (p.t.status & MSTATUS_MPV),
           "HLV in VS-mode: virtual-instruction exception (cause %lu)", p.t.cause);
    p = hyp_probe(true, PRV_U, u_hlv, V_S);
    report(p.t.taken && p.t.cause == CAUSE_VIRTUAL_INSTRUCTION,
           "HLV in VU-mode (HU = 1): virtual-instruction exception (cause %lu)", p.t.cause);
    csr_clear(CSR_HSTATUS, HSTATUS_HU);
}

int main(void)
{
    hyp_init();
    build();
    test_privilege();
    test_mxr();
    test_stores_widths();
    test_modes();
    csr_write(CSR_HGATP, 0);
    csr_write(CSR_VSATP, 0);
    return 0;
}
