/* tests/guest/ppc64/watchpoint.c: data breakpoints of a PAPR partition (LoPAR H_SET_DABR,
 * H_SET_XDABR and H_SET_MODE resource 2 = DAWR0; Power ISA v3.0B Book III-S 9.4 "Data
 * Address Watchpoint"): an access that touches the watched doublewords with the watched
 * kind (read, write) in a watched state takes a Data Storage interrupt with DSISR[41]
 * (and DSISR[38] for a store), DAR = the access's address and SRR0 = the instruction,
 * before storage changes; other accesses run. The programs run in real mode, so the
 * breakpoints are set for untranslated accesses (DABR[BT] = 0, DAWRX[WT] = 0). */
#include "guest_ppc64.h"

#define DABR_DR 0x1ULL
#define DABR_DW 0x2ULL
#define DABRX_USER 0x1ULL
#define DABRX_KERNEL 0x2ULL
#define DAWRX_PRO 0x01ULL
#define DAWRX_PNH 0x02ULL
#define DAWRX_DR 0x20ULL
#define DAWRX_DW 0x40ULL
#define DSISR_DABR 0x00400000ULL
#define DSISR_STORE 0x02000000ULL

static volatile uint64_t watched[4] __attribute__((aligned(32)));
static volatile uint64_t last_dar, last_dsisr, last_srr0;
static volatile unsigned hits;

/* The handler turns the breakpoint off so that the access runs when it is retried. */
static void on_dsi(struct trap_frame *f)
{
    hits++;
    last_dar = f->dar;
    last_dsisr = f->dsisr;
    last_srr0 = f->srr0;
    hcall(H_SET_DABR, NULL, 1, 0ULL);
    hcall(H_SET_MODE, NULL, 4, 0ULL, 2ULL, 0ULL, 0ULL);
}

static uint64_t load(volatile uint64_t *p)
{
    return *p;
}

int main(void)
{
    set_trap_handler(VEC_DSI, on_dsi);
    uint64_t addr = (uint64_t)&watched[1];

    /* 1. H_SET_DABR: writes only, problem and privileged state. */
    report(hcall(H_SET_DABR, NULL, 1, addr | DABR_DW) == H_SUCCESS, "H_SET_DABR(write)");
    hits = 0;
    uint64_t v = load(&watched[1]);
    report(hits == 0, "a load does not match a write breakpoint");
    watched[1] = 0x1234;
    report(hits == 1 && last_dar == addr && last_dsisr == (DSISR_DABR | DSISR_STORE),
           "the store takes a DSI with DSISR 0x%llx DAR 0x%llx", (unsigned long long)last_dsisr,
           (unsigned long long)last_dar);
    report(watched[1] == 0x1234, "the store runs once the handler cleared the breakpoint");
    report(last_srr0 >= 0x10000 && last_srr0 < 0x100000, "SRR0 is the storing instruction (0x%llx)",
           (unsigned long long)last_srr0);

    /* 2. H_SET_XDABR: reads, privileged state only; and problem state only. */
    report(hcall(H_SET_XDABR, NULL, 2, addr | DABR_DR, DABRX_KERNEL) == H_SUCCESS,
           "H_SET_XDABR(read, kernel)");
    hits = 0;
    watched[1] = 5;
    report(hits == 0, "a store does not match a read breakpoint");
    v = load(&watched[1]);
    report(hits == 1 && last_dsisr == DSISR_DABR && v == 5, "the load takes a DSI (DSISR 0x%llx)",
           (unsigned long long)last_dsisr);
    report(hcall(H_SET_XDABR, NULL, 2, addr | DABR_DR, DABRX_USER) == H_SUCCESS,
           "H_SET_XDABR(read, user)");
    hits = 0;
    v = load(&watched[1]);
    report(hits == 0, "a privileged load does not match a problem-state breakpoint");
    report(hcall(H_SET_XDABR, NULL, 2, addr | DABR_DR, 0x4ULL | DABRX_KERNEL) == H_PARAMETER,
           "H_SET_XDABR with DABRX[HYP] is refused");
    hcall(H_SET_DABR, NULL, 1, 0ULL);

    /* 3. H_SET_MODE DAWR0: two doublewords (MRD = 1), reads and writes. */
    uint64_t dawrx = DAWRX_DR | DAWRX_DW | DAWRX_PNH | (1ULL << 10);
    report(hcall(H_SET_MODE, NULL, 4, 0ULL, 2ULL, addr, dawrx) == H_SUCCESS, "H_SET_MODE(DAWR0)");
    hits = 0;
    v = load(&watched[0]);
    report(hits == 0, "the doubleword before the range does not match");
    v = load(&watched[3]);
    report(hits == 0, "the doubleword after the range does not match");
    hcall(H_SET_MODE, NULL, 4, 0ULL, 2ULL, addr, dawrx);
    v = load(&watched[2]);
    report(hits == 1 && last_dar == addr + 8, "the second doubleword of the range matches");
    /* An unaligned access that only reaches into the range matches too. */
    hcall(H_SET_MODE, NULL, 4, 0ULL, 2ULL, addr, dawrx);
    hits = 0;
    volatile uint8_t *b = (volatile uint8_t *)&watched[0];
    uint64_t w;
    __asm__ volatile("ld %0, 0(%1)" : "=r"(w) : "b"(b + 4) : "memory");
    report(hits == 1 && last_dar == (uint64_t)(b + 4), "an access straddling into the range matches");
    report(hcall(H_SET_MODE, NULL, 4, 0ULL, 2ULL, addr, dawrx | 0x4ULL) != H_SUCCESS,
           "a DAWRX with HYP is refused");
    hcall(H_SET_MODE, NULL, 4, 0ULL, 2ULL, 0ULL, 0ULL);
    (void)v;
    return 0;
}
