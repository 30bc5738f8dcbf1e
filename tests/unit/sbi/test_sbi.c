/* tests/unit/sbi/test_sbi.c: SBI calls against a fake hart (RISC-V SBI specification v2.0).
 * The test builds the least machine the built-in SBI needs: a Bus with RAM at 0x80000000,
 * a hand-driven VClock, an RvCore with four harts of which hart 0 is started in S-mode as
 * the virt machine leaves it, and an SbiPlatform that records console output, serves
 * queued console input and counts shutdown and reset requests. Each call sets a7/a6/a0-a2
 * and goes straight to sbi_call(); the checks look at a0/a1 and at the harts and RAM:
 * Base (ch. 4), the legacy calls (ch. 5, with the hart mask read through the caller's
 * translation), TIME (ch. 6), IPI (ch. 7), RFENCE (ch. 8), HSM (ch. 9), SRST (ch. 10),
 * DBCN (ch. 12) and SUSP (ch. 13). */
#include <stdlib.h>

#include "hypervisor/sbi/sbi.h"
#include "tests/unit/unit.h"

#define RAM_BASE 0x80000000ULL
#define RAM_SIZE (1 * MiB)
#define NHARTS 4
#define TICK_NS 100 /* ns per time tick: a 10 MHz timebase */

#define SBI_EXT_PMU 0x504d55

typedef struct Rig {
    Bus bus;
    VClock clock;
    uint8_t *ram;
    RvCore core;
    RvHart harts[NHARTS];
    RvHart *hart_ptrs[NHARTS];
    Sbi sbi;
    char out[256];
    unsigned nout;
    char in[64];
    unsigned in_head, in_tail;
    unsigned shutdowns, resets;
    int status;
} Rig;

static void plat_putchar(void *opaque, uint8_t c)
{
    Rig *r = opaque;
    if (r->nout < sizeof(r->out) - 1)
        r->out[r->nout++] = (char)c;
}

static int plat_getchar(void *opaque)
{
    Rig *r = opaque;
    return r->in_head < r->in_tail ? (uint8_t)r->in[r->in_head++] : -1;
}

static void plat_shutdown(void *opaque, int status)
{
    Rig *r = opaque;
    r->shutdowns++;
    r->status = status;
}

static void plat_reset(void *opaque)
{
    ((Rig *)opaque)->resets++;
}

static void queue_input(Rig *r, const char *s)
{
    size_t n = strlen(s);
    memcpy(r->in + r->in_tail, s, n);
    r->in_tail += (unsigned)n;
}

static Rig *rig_new(void)
{
    Rig *r = calloc(1, sizeof(*r));
    r->ram = calloc(1, RAM_SIZE);
    r->bus = (Bus){ .clock = &r->clock };
    bus_map_ram(&r->bus, "ram", RAM_BASE, RAM_SIZE, r->ram);
    for (unsigned n = 0; n < NHARTS; n++)
        r->hart_ptrs[n] = &r->harts[n];
    rv_core_init(&r->core, &r->bus, &r->clock, NHARTS, r->hart_ptrs);
    r->core.sbi_in_emulator = true;
    r->core.has_sstc = true;
    r->core.ns_per_mtime_tick = TICK_NS;
    for (unsigned n = 0; n < NHARTS; n++)
        rv_hart_init(&r->harts[n], &r->core, n);
    SbiPlatform plat = { .putchar = plat_putchar, .getchar = plat_getchar,
                         .shutdown = plat_shutdown, .reset = plat_reset, .opaque = r };
    sbi_init(&r->sbi, &r->core, &plat);
    r->core.env = (RvEnvOps){ .sbi_call = sbi_call, .opaque = &r->sbi };
    /* What riscv_virt.c does at boot with the built-in SBI. */
    sbi_prepare_hart(&r->sbi, &r->harts[0]);
    r->harts[0].pc = RAM_BASE;
    r->sbi.harts[0].state = SBI_HSM_STARTED;
    for (unsigned n = 1; n < NHARTS; n++)
        r->harts[n].stopped = true;
    return r;
}

/* The jump-cache generation of the hart's V=0 soft-TLB bank: a fence renews it. */
static uint64_t host_gen(RvHart *h)
{
    rv_tlb_table(h, RV_MMU_S);
    return h->tlb_cur[RV_TLB_HOST]->gen;
}

static void rig_free(Rig *r)
{
    rv_core_destroy(&r->core);
    free(r->ram);
    free(r);
}

/* An SBI call from hart `n`; a3-a5 hold junk that no call may depend on. */
static RvStatus call(Rig *r, unsigned n, uint64_t eid, uint64_t fid, uint64_t a0, uint64_t a1,
                     uint64_t a2)
{
    RvHart *h = &r->harts[n];
    h->x[17] = eid;
    h->x[16] = fid;
    h->x[10] = a0;
    h->x[11] = a1;
    h->x[12] = a2;
    h->x[13] = h->x[14] = h->x[15] = 0xdeadbeefcafef00dULL;
    return sbi_call(&r->sbi, h);
}

static int64_t a0(Rig *r, unsigned n)
{
    return (int64_t)r->harts[n].x[10];
}

static uint64_t a1(Rig *r, unsigned n)
{
    return r->harts[n].x[11];
}

static bool ssip(Rig *r, unsigned n)
{
    return (r->harts[n].mip & MIP_SSIP) != 0;
}

static bool stip(Rig *r, unsigned n)
{
    return (r->harts[n].mip & MIP_STIP) != 0;
}

static void clear_ssip(Rig *r)
{
    for (unsigned n = 0; n < NHARTS; n++) {
        r->harts[n].mip_sw &= ~MIP_SSIP;
        r->harts[n].mip = r->harts[n].mip_hw | r->harts[n].mip_sw;
    }
}

/* The machine loop reaching virtual time t (ns) at a quantum boundary. */
static void advance(Rig *r, uint64_t t)
{
    r->clock.base = t;
    r->clock.offset = 0;
    vclock_run_timers(&r->clock, t);
}

static void put64(Rig *r, uint64_t pa, uint64_t v)
{
    st_le(r->ram + (pa - RAM_BASE), 8, v);
}

static uint64_t get64(Rig *r, uint64_t pa)
{
    return ld_le(r->ram + (pa - RAM_BASE), 8);
}

/* --- Base (chapter 4) --- */

static void test_base(void)
{
    Rig *r = rig_new();
    r->harts[0].x[11] = 0x5555;
    CHECK_EQ(call(r, 0, SBI_EXT_BASE, 0, 0, 0, 0), RV_NEXT);
    CHECK_EQ(a0(r, 0), SBI_SUCCESS);
    CHECK_EQ(a1(r, 0), 2u << 24 | 0);                    /* v2.0: major in bits 30:24 */
    CHECK_EQ(r->harts[0].pc, RAM_BASE);                  /* the ecall advances pc, not us */
    call(r, 0, SBI_EXT_BASE, 1, 0, 0, 0);
    CHECK_EQ(a0(r, 0), SBI_SUCCESS);
    CHECK_EQ(a1(r, 0), SBI_IMPL_ID_HVEMU);
    call(r, 0, SBI_EXT_BASE, 2, 0, 0, 0);
    CHECK_EQ(a0(r, 0), SBI_SUCCESS);
    for (unsigned fid = 4; fid <= 6; fid++) {           /* mvendorid, marchid, mimpid */
        static const unsigned csr[] = { CSR_MVENDORID, CSR_MARCHID, CSR_MIMPID };
        uint64_t v = 1;
        r->harts[0].priv = RV_PRIV_M;
        rv_csr_read(&r->harts[0], csr[fid - 4], &v);
        r->harts[0].priv = RV_PRIV_S;
        call(r, 0, SBI_EXT_BASE, fid, 0, 0, 0);
        CHECK_EQ(a0(r, 0), SBI_SUCCESS);
        CHECK_EQ(a1(r, 0), v);
    }

    /* probe_extension */
    static const uint64_t present[] = {
        SBI_EXT_BASE, SBI_EXT_TIME, SBI_EXT_IPI, SBI_EXT_RFENCE, SBI_EXT_HSM, SBI_EXT_SRST,
        SBI_EXT_DBCN, SBI_EXT_SUSP, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
    };
    for (unsigned k = 0; k < ARRAY_SIZE(present); k++) {
        call(r, 0, SBI_EXT_BASE, 3, present[k], 0, 0);
        CHECK_EQ(a0(r, 0), SBI_SUCCESS);
        CHECK_EQ(a1(r, 0), 1);
    }
    static const uint64_t absent[] = { 0x09, 0x0f, 0x11, SBI_EXT_PMU, 0x12345678, ~0ULL };
    for (unsigned k = 0; k < ARRAY_SIZE(absent); k++) {
        call(r, 0, SBI_EXT_BASE, 3, absent[k], 0, 0);
        CHECK_EQ(a0(r, 0), SBI_SUCCESS);
        CHECK_EQ(a1(r, 0), 0);
    }
    rig_free(r);
}

static void test_not_supported(void)
{
    Rig *r = rig_new();
    static const struct { uint64_t eid, fid; } calls[] = {
        { 0x12345678, 0 }, { 0x12345678, 0 }, /* twice: logged once, answered both times */
        { SBI_EXT_PMU, 0 }, { 0x11, 0 }, { SBI_EXT_BASE, 7 }, { SBI_EXT_BASE, ~0ULL },
        { SBI_EXT_TIME, 1 }, { SBI_EXT_IPI, 1 }, { SBI_EXT_RFENCE, 3 }, { SBI_EXT_HSM, 4 },
        { SBI_EXT_SRST, 1 }, { SBI_EXT_DBCN, 3 }, { SBI_EXT_SUSP, 1 },
    };
    for (unsigned k = 0; k < ARRAY_SIZE(calls); k++) {
        CHECK_EQ(call(r, 0, calls[k].eid, calls[k].fid, 1, 0x7777, 3), RV_NEXT);
        CHECK_EQ(a0(r, 0), SBI_ERR_NOT_SUPPORTED);
        CHECK_EQ(a1(r, 0), 0);
    }
    /* Legacy EIDs without a function answer in a0 alone. */
    for (uint64_t eid = 0x09; eid <= 0x0f; eid++) {
        call(r, 0, eid, 0, 0, 0x7777, 0);
        CHECK_EQ(a0(r, 0), SBI_ERR_NOT_SUPPORTED);
        CHECK_EQ(a1(r, 0), 0x7777);
    }
    CHECK_EQ(r->shutdowns + r->resets + r->nout, 0);
    rig_free(r);
}

/* --- legacy calls (chapter 5) --- */

static void test_legacy_console(void)
{
    Rig *r = rig_new();
    call(r, 0, 0x01, 0, 'o', 0x1111, 0);
    call(r, 0, 0x01, 0, 0x100 | 'k', 0x1111, 0);         /* only the low byte */
    CHECK_EQ(r->nout, 2);
    CHECK_MEM(r->out, "ok", 2);
    CHECK_EQ(a0(r, 0), 0);
    CHECK_EQ(a1(r, 0), 0x1111);                          /* legacy: a1 untouched */
    call(r, 0, 0x02, 0, 0, 0x2222, 0);
    CHECK_EQ(a0(r, 0), -1);                              /* no input */
    CHECK_EQ(a1(r, 0), 0x2222);
    queue_input(r, "x\xff");
    call(r, 0, 0x02, 0, 0, 0, 0);
    CHECK_EQ(a0(r, 0), 'x');
    call(r, 0, 0x02, 0, 0, 0, 0);
    CHECK_EQ(a0(r, 0), 0xff);
    call(r, 0, 0x02, 0, 0, 0, 0);
    CHECK_EQ(a0(r, 0), -1);
    /* legacy shutdown */
    call(r, 0, 0x08, 0, 0, 0, 0);
    CHECK_EQ(r->shutdowns, 1);
    CHECK_EQ(r->status, 0);
    CHECK(r->harts[0].stopped);
    rig_free(r);
}

/* Sv39 tables in RAM: the kernel-half VA 0xffffffc000003000 maps the RAM page at MASK_PAGE;
 * the next page has no PTE; the one after maps a physical page outside RAM. */
#define PT_ROOT (RAM_BASE + 0x10000)
#define PT_L1 (RAM_BASE + 0x11000)
#define PT_L0 (RAM_BASE + 0x12000)
#define MASK_PAGE (RAM_BASE + 0x20000)
#define VA_MAPPED 0xffffffc000003000ULL
#define VA_UNMAPPED 0xffffffc000004000ULL
#define VA_NO_RAM 0xffffffc000005000ULL

static uint64_t pte(uint64_t pa, uint64_t flags)
{
    return (pa >> 12) << PTE_PPN_SHIFT | flags | PTE_V;
}

static void build_sv39(Rig *r)
{
    put64(r, PT_ROOT + 8 * 0x100, pte(PT_L1, 0));
    put64(r, PT_L1 + 8 * 0, pte(PT_L0, 0));
    put64(r, PT_L0 + 8 * 3, pte(MASK_PAGE, PTE_R | PTE_W));
    put64(r, PT_L0 + 8 * 5, pte(0x40000000ULL, PTE_R | PTE_W | PTE_A | PTE_D));
    CHECK_EQ(rv_csr_write(&r->harts[0], CSR_SATP,
                          (uint64_t)SATP_MODE_SV39 << SATP_MODE_SHIFT | PT_ROOT >> 12), RV_NEXT);
}

static void test_legacy_send_ipi(void)
{
    Rig *r = rig_new();
    /* satp = 0: the pointer is a physical address. */
    uint64_t mask_pa = RAM_BASE + 0x1000;
    put64(r, mask_pa, 0xa); /* harts 1 and 3 */
    CHECK_EQ(call(r, 0, 0x04, 0, mask_pa, 0, 0), RV_NEXT);
    CHECK_EQ(a0(r, 0), 0);
    CHECK(!ssip(r, 0) && ssip(r, 1) && !ssip(r, 2) && ssip(r, 3));
    clear_ssip(r);
    /* A null pointer means every hart. */
    call(r, 0, 0x04, 0, 0, 0, 0);
    CHECK_EQ(a0(r, 0), 0);
    CHECK(ssip(r, 0) && ssip(r, 1) && ssip(r, 2) && ssip(r, 3));
    clear_ssip(r);
    /* A mask naming a hart that does not exist. */
    put64(r, mask_pa, 1ULL << NHARTS);
    call(r, 0, 0x04, 0, mask_pa, 0, 0);
    CHECK_EQ(a0(r, 0), SBI_ERR_INVALID_PARAM);
    /* A pointer to no memory: load access fault for the caller, tval = the pointer. */
    r->harts[0].exc = (RvException){ 0 };
    CHECK_EQ(call(r, 0, 0x04, 0, 0x1000, 0, 0), RV_TRAP);
    CHECK_EQ(r->harts[0].exc.cause, EXC_LOAD_ACCESS);
    CHECK_EQ(r->harts[0].exc.tval, 0x1000);
    CHECK_EQ(a0(r, 0), 0x1000);                          /* a0 left for the trap handler */

    /* Sv39: the pointer is translated with the caller's page tables. */
    build_sv39(r);
    put64(r, MASK_PAGE + 0x18, 0x4); /* hart 2 */
    clear_ssip(r);
    CHECK_EQ(call(r, 0, 0x04, 0, VA_MAPPED + 0x18, 0, 0), RV_NEXT);
    CHECK_EQ(a0(r, 0), 0);
    CHECK(!ssip(r, 0) && !ssip(r, 1) && ssip(r, 2) && !ssip(r, 3));
    CHECK_EQ(get64(r, PT_L0 + 8 * 3) & PTE_A, PTE_A);   /* the walk marked it accessed */
    clear_ssip(r);
    /* No PTE: load page fault. */
    CHECK_EQ(call(r, 0, 0x04, 0, VA_UNMAPPED + 0x40, 0, 0), RV_TRAP);
    CHECK_EQ(r->harts[0].exc.cause, EXC_LOAD_PAGE_FAULT);
    CHECK_EQ(r->harts[0].exc.tval, VA_UNMAPPED + 0x40);
    /* The page maps no memory: load access fault. */
    CHECK_EQ(call(r, 0, 0x04, 0, VA_NO_RAM + 8, 0, 0), RV_TRAP);
    CHECK_EQ(r->harts[0].exc.cause, EXC_LOAD_ACCESS);
    CHECK_EQ(r->harts[0].exc.tval, VA_NO_RAM + 8);
    /* The physical address of the mask is not a valid pointer any more. */
    CHECK_EQ(call(r, 0, 0x04, 0, mask_pa, 0, 0), RV_TRAP);
    CHECK_EQ(r->harts[0].exc.cause, EXC_LOAD_PAGE_FAULT);
    CHECK(!ssip(r, 0) && !ssip(r, 1) && !ssip(r, 2) && !ssip(r, 3));

    /* clear_ipi clears the caller's SSIP only. */
    call(r, 0, 0x04, 0, 0, 0, 0);
    call(r, 0, 0x03, 0, 0, 0, 0);
    CHECK(!ssip(r, 0) && ssip(r, 1));
    /* The legacy remote fences read the mask the same way. */
    uint64_t gen = host_gen(&r->harts[2]);
    call(r, 0, 0x06, 0, VA_MAPPED + 0x18, 0, 0);
    CHECK_EQ(a0(r, 0), 0);
    CHECK(host_gen(&r->harts[2]) != gen);
    call(r, 0, 0x05, 0, VA_MAPPED + 0x18, 0, 0);
    CHECK_EQ(a0(r, 0), 0);
    CHECK_EQ(call(r, 0, 0x07, 0, VA_UNMAPPED, 0, 0), RV_TRAP);
    CHECK_EQ(r->harts[0].exc.cause, EXC_LOAD_PAGE_FAULT);
    rig_free(r);
}

/* --- IPI and RFENCE (chapters 7 and 8) --- */

static void test_ipi(void)
{
    Rig *r = rig_new();
    call(r, 0, SBI_EXT_IPI, 0, 0x2, 0, 0);
    CHECK_EQ(a0(r, 0), SBI_SUCCESS);
    CHECK(!ssip(r, 0) && ssip(r, 1) && !ssip(r, 2) && !ssip(r, 3));
    clear_ssip(r);
    /* An IPI to itself; S-mode sees it in sip, SSIP being delegated. */
    call(r, 0, SBI_EXT_IPI, 0, 0x1, 0, 0);
    CHECK_EQ(a0(r, 0), SBI_SUCCESS);
    uint64_t sip = 0;
    CHECK_EQ(rv_csr_read(&r->harts[0], CSR_SIP, &sip), RV_NEXT);
    CHECK_EQ(sip & MIP_SSIP, MIP_SSIP);
    CHECK(!ssip(r, 1) && !ssip(r, 2) && !ssip(r, 3));
    clear_ssip(r);
    call(r, 0, SBI_EXT_IPI, 0, 0x3, 2, 0);               /* base 2: harts 2 and 3 */
    CHECK_EQ(a0(r, 0), SBI_SUCCESS);
    CHECK(!ssip(r, 0) && !ssip(r, 1) && ssip(r, 2) && ssip(r, 3));
    clear_ssip(r);
    call(r, 0, SBI_EXT_IPI, 0, 0, ~0ULL, 0);             /* base -1: all, mask ignored */
    CHECK_EQ(a0(r, 0), SBI_SUCCESS);
    CHECK(ssip(r, 0) && ssip(r, 1) && ssip(r, 2) && ssip(r, 3));
    clear_ssip(r);
    call(r, 0, SBI_EXT_IPI, 0, 0, 0, 0);                 /* empty mask */
    CHECK_EQ(a0(r, 0), SBI_SUCCESS);
    CHECK(!ssip(r, 0) && !ssip(r, 1) && !ssip(r, 2) && !ssip(r, 3));
    call(r, 0, SBI_EXT_IPI, 0, 0x1, NHARTS, 0);          /* hart 4 does not exist */
    CHECK_EQ(a0(r, 0), SBI_ERR_INVALID_PARAM);
    call(r, 0, SBI_EXT_IPI, 0, 0x3, NHARTS - 1, 0);      /* harts 3 and 4 */
    CHECK_EQ(a0(r, 0), SBI_ERR_INVALID_PARAM);
    call(r, 0, SBI_EXT_IPI, 0, 0x1, ~0ULL - 1, 0);       /* wraps past the end */
    CHECK_EQ(a0(r, 0), SBI_ERR_INVALID_PARAM);
    call(r, 0, SBI_EXT_IPI, 0, 1ULL << 63, 0, 0);
    CHECK_EQ(a0(r, 0), SBI_ERR_INVALID_PARAM);

    /* RFENCE: the selected harts' translations are dropped. */
    uint64_t gen[NHARTS];
    for (unsigned n = 0; n < NHARTS; n++)
        gen[n] = host_gen(&r->harts[n]);
    call(r, 0, SBI_EXT_RFENCE, 1, 0x2, 0, 0);            /* remote_sfence_vma hart 1 */
    CHECK_EQ(a0(r, 0), SBI_SUCCESS);
    CHECK(host_gen(&r->harts[1]) != gen[1] && host_gen(&r->harts[2]) == gen[2]);
    call(r, 0, SBI_EXT_RFENCE, 2, 0, ~0ULL, 0);          /* with ASID, every hart */
    CHECK_EQ(a0(r, 0), SBI_SUCCESS);
    CHECK(host_gen(&r->harts[2]) != gen[2] && host_gen(&r->harts[3]) != gen[3]);
    call(r, 0, SBI_EXT_RFENCE, 0, 0x1, 0, 0);            /* remote_fence_i */
    CHECK_EQ(a0(r, 0), SBI_SUCCESS);
    call(r, 0, SBI_EXT_RFENCE, 1, 0x1, NHARTS, 0);
    CHECK_EQ(a0(r, 0), SBI_ERR_INVALID_PARAM);
    rig_free(r);
}

/* --- TIME (chapter 6) --- */

static void test_timer(void)
{
    Rig *r = rig_new();
    advance(r, 1000 * TICK_NS);                          /* time = 1000 */
    CHECK_EQ(call(r, 0, SBI_EXT_TIME, 0, 1100, 0, 0), RV_NEXT);
    CHECK_EQ(a0(r, 0), SBI_SUCCESS);
    CHECK(!stip(r, 0));
    CHECK_EQ(vclock_next_deadline(&r->clock), 1100 * TICK_NS);
    advance(r, 1100 * TICK_NS - 1);
    CHECK(!stip(r, 0));
    advance(r, 1100 * TICK_NS);
    CHECK(stip(r, 0));
    CHECK(!stip(r, 1) && !stip(r, 2) && !stip(r, 3));
    /* S-mode sees it in sip. */
    uint64_t sip = 0;
    CHECK_EQ(rv_csr_read(&r->harts[0], CSR_SIP, &sip), RV_NEXT);
    CHECK_EQ(sip & MIP_STIP, MIP_STIP);
    /* A new deadline in the future clears the pending interrupt. */
    call(r, 0, SBI_EXT_TIME, 0, 5000, 0, 0);
    CHECK(!stip(r, 0));
    advance(r, 4000 * TICK_NS);
    CHECK(!stip(r, 0));
    /* A deadline already passed fires at once. */
    call(r, 0, SBI_EXT_TIME, 0, 3999, 0, 0);
    CHECK(stip(r, 0));
    /* The largest value means "no timer". */
    call(r, 0, SBI_EXT_TIME, 0, ~0ULL, 0, 0);
    CHECK(!stip(r, 0));
    CHECK_EQ(vclock_next_deadline(&r->clock), UINT64_MAX);
    advance(r, ~0ULL - 1);
    CHECK(!stip(r, 0));
    /* The legacy call does the same; so does a started hart's own call. */
    Rig *q = rig_new();
    call(q, 0, 0x00, 0, 10, 0, 0);
    CHECK_EQ(a0(q, 0), 0);
    CHECK(!stip(q, 0));
    advance(q, 10 * TICK_NS);
    CHECK(stip(q, 0));
    CHECK_EQ(call(q, 0, SBI_EXT_HSM, 0, 1, RAM_BASE, 0), RV_NEXT);
    call(q, 1, SBI_EXT_TIME, 0, 20, 0, 0);
    advance(q, 20 * TICK_NS);
    CHECK(stip(q, 1));
    call(q, 0, SBI_EXT_TIME, 0, 1000, 0, 0);             /* hart 0's call leaves hart 1 */
    CHECK(!stip(q, 0) && stip(q, 1));
    rig_free(q);
    rig_free(r);
}

/* --- HSM (chapter 9) --- */

static uint64_t hsm_status(Rig *r, unsigned caller, uint64_t hart)
{
    call(r, caller, SBI_EXT_HSM, 2, hart, 0, 0);
    CHECK_EQ(a0(r, caller), SBI_SUCCESS);
    return a1(r, caller);
}

static void test_hsm_start_stop(void)
{
    Rig *r = rig_new();
    CHECK_EQ(hsm_status(r, 0, 0), SBI_HSM_STARTED);
    for (unsigned n = 1; n < NHARTS; n++)
        CHECK_EQ(hsm_status(r, 0, n), SBI_HSM_STOPPED);
    call(r, 0, SBI_EXT_HSM, 2, NHARTS, 0, 0);
    CHECK_EQ(a0(r, 0), SBI_ERR_INVALID_PARAM);
    call(r, 0, SBI_EXT_HSM, 2, ~0ULL, 0, 0);
    CHECK_EQ(a0(r, 0), SBI_ERR_INVALID_PARAM);

    /* Leave junk in hart 1 that the start must clear. */
    RvHart *h1 = &r->harts[1];
    h1->satp = (uint64_t)SATP_MODE_SV39 << SATP_MODE_SHIFT | 0x1234;
    h1->mstatus |= MSTATUS_SIE;
    h1->priv = RV_PRIV_M;
    h1->wfi = true;
    uint64_t entry = RAM_BASE + 0x2000;
    CHECK_EQ(call(r, 0, SBI_EXT_HSM, 0, 1, entry, 0xfeedface12345678ULL), RV_NEXT);
    CHECK_EQ(a0(r, 0), SBI_SUCCESS);
    CHECK_EQ(h1->pc, entry);
    CHECK_EQ(h1->x[10], 1);
    CHECK_EQ(h1->x[11], 0xfeedface12345678ULL);
    CHECK_EQ(h1->priv, RV_PRIV_S);
    CHECK_EQ(h1->satp, 0);
    CHECK_EQ(h1->mstatus & MSTATUS_SIE, 0);
    CHECK(!h1->stopped && !h1->wfi);
    CHECK_EQ(hsm_status(r, 0, 1), SBI_HSM_STARTED);
    CHECK_EQ(hsm_status(r, 1, 1), SBI_HSM_STARTED);

    /* Starting a started hart, the caller included. */
    call(r, 0, SBI_EXT_HSM, 0, 1, entry, 0);
    CHECK_EQ(a0(r, 0), SBI_ERR_ALREADY_AVAILABLE);
    call(r, 0, SBI_EXT_HSM, 0, 0, entry, 0);
    CHECK_EQ(a0(r, 0), SBI_ERR_ALREADY_AVAILABLE);
    /* No such hart. */
    call(r, 0, SBI_EXT_HSM, 0, NHARTS, entry, 0);
    CHECK_EQ(a0(r, 0), SBI_ERR_INVALID_PARAM);
    call(r, 0, SBI_EXT_HSM, 0, ~0ULL, entry, 0);
    CHECK_EQ(a0(r, 0), SBI_ERR_INVALID_PARAM);
    /* Start addresses outside RAM or odd. */
    static const uint64_t bad[] = { 0x1000, RAM_BASE - 2, RAM_BASE + RAM_SIZE, RAM_BASE + 0x2001,
                                    RAM_BASE + RAM_SIZE - 1, ~1ULL };
    for (unsigned k = 0; k < ARRAY_SIZE(bad); k++) {
        call(r, 0, SBI_EXT_HSM, 0, 2, bad[k], 0);
        CHECK_EQ(a0(r, 0), SBI_ERR_INVALID_ADDRESS);
    }
    CHECK_EQ(hsm_status(r, 0, 2), SBI_HSM_STOPPED);
    CHECK(r->harts[2].stopped);
    /* A 2-byte aligned entry is fine (C extension). */
    call(r, 0, SBI_EXT_HSM, 0, 2, RAM_BASE + 0x2002, 7);
    CHECK_EQ(a0(r, 0), SBI_SUCCESS);
    CHECK_EQ(r->harts[2].pc, RAM_BASE + 0x2002);
    CHECK_EQ(r->harts[2].x[10], 2);

    /* hart_stop: the caller stops; it may be started again. */
    call(r, 1, SBI_EXT_HSM, 1, 0, 0, 0);
    CHECK(h1->stopped);
    CHECK_EQ(hsm_status(r, 0, 1), SBI_HSM_STOPPED);
    CHECK_EQ(hsm_status(r, 0, 2), SBI_HSM_STARTED);
    call(r, 0, SBI_EXT_HSM, 0, 1, RAM_BASE + 0x3000, 9);
    CHECK_EQ(a0(r, 0), SBI_SUCCESS);
    CHECK_EQ(h1->pc, RAM_BASE + 0x3000);
    CHECK_EQ(h1->x[11], 9);
    CHECK(!h1->stopped);
    rig_free(r);
}

static void test_hsm_suspend(void)
{
    Rig *r = rig_new();
    RvHart *h = &r->harts[0];
    /* Reserved and unimplemented suspend types. */
    static const uint64_t bad_types[] = { 1, 0x0fffffff, 0x10000000, 0x80000001, 0x90000000,
                                          1ULL << 32 };
    for (unsigned k = 0; k < ARRAY_SIZE(bad_types); k++) {
        call(r, 0, SBI_EXT_HSM, 3, bad_types[k], RAM_BASE, 0);
        CHECK_EQ(a0(r, 0), SBI_ERR_INVALID_PARAM);
        CHECK(!h->wfi);
    }
    /* Non-retentive with a bad resume address. */
    call(r, 0, SBI_EXT_HSM, 3, 0x80000000, RAM_BASE + 1, 0);
    CHECK_EQ(a0(r, 0), SBI_ERR_INVALID_ADDRESS);
    call(r, 0, SBI_EXT_HSM, 3, 0x80000000, 0x1000, 0);
    CHECK_EQ(a0(r, 0), SBI_ERR_INVALID_ADDRESS);

    /* Retentive suspend: returns 0 once woken; waits while nothing it enabled is pending. */
    h->mie = MIP_SSIP; /* sie.SSIE */
    CHECK_EQ(call(r, 0, SBI_EXT_HSM, 3, 0, 0, 0), RV_NEXT);
    CHECK_EQ(a0(r, 0), SBI_SUCCESS);
    CHECK(h->wfi);
    /* Another hart sees it suspended (9.1: state SUSPENDED while in the suspend state). */
    call(r, 0, SBI_EXT_HSM, 0, 1, RAM_BASE, 0);
    CHECK_EQ(hsm_status(r, 1, 0), SBI_HSM_SUSPENDED);
    /* An IPI wakes it. */
    call(r, 1, SBI_EXT_IPI, 0, 1, 0, 0);
    CHECK(!h->wfi);
    /* With an enabled interrupt already pending it does not wait at all. */
    call(r, 0, SBI_EXT_HSM, 3, 0, 0, 0);
    CHECK_EQ(a0(r, 0), SBI_SUCCESS);
    CHECK(!h->wfi);
    clear_ssip(r);

    /* Non-retentive suspend: resumes at resume_addr like a start, once an interrupt the
     * hart had enabled is pending. */
    h->mie = MIP_STIP; /* sie.STIE */
    call(r, 0, SBI_EXT_TIME, 0, 50, 0, 0);
    h->satp = (uint64_t)SATP_MODE_SV39 << SATP_MODE_SHIFT | 0x80;
    h->mstatus |= MSTATUS_SIE;
    CHECK_EQ(call(r, 0, SBI_EXT_HSM, 3, 0x80000000, RAM_BASE + 0x4000, 0xabcdef), RV_JUMP);
    CHECK_EQ(h->pc, RAM_BASE + 0x4000);
    CHECK_EQ(h->x[10], 0);
    CHECK_EQ(h->x[11], 0xabcdef);
    CHECK_EQ(h->priv, RV_PRIV_S);
    CHECK_EQ(h->satp, 0);
    CHECK_EQ(h->mstatus & MSTATUS_SIE, 0);
    CHECK(h->wfi);
    advance(r, 50 * TICK_NS);
    CHECK(stip(r, 0));
    if (h->wfi)
        fprintf(stderr, "HSM non-retentive suspend: the timer interrupt the hart enabled "
                "(mie=0x%" PRIx64 " mip=0x%" PRIx64 ") does not wake it\n", h->mie, h->mip);
    CHECK(!h->wfi);
    rig_free(r);
}

/* --- SRST (chapter 10) --- */

static void test_srst(void)
{
    static const struct { uint64_t type, reason; unsigned shutdowns, resets; int status; } ok[] = {
        { 0, 0, 1, 0, 0 },            /* shutdown, no reason */
        { 0, 1, 1, 0, 1 },            /* shutdown, system failure */
        { 1, 0, 0, 1, 0 },            /* cold reboot */
        { 2, 1, 0, 1, 0 },            /* warm reboot */
    };
    for (unsigned k = 0; k < ARRAY_SIZE(ok); k++) {
        Rig *r = rig_new();
        call(r, 0, SBI_EXT_HSM, 0, 1, RAM_BASE, 0);
        CHECK_EQ(call(r, 0, SBI_EXT_SRST, 0, ok[k].type, ok[k].reason, 0), RV_NEXT);
        CHECK_EQ(r->shutdowns, ok[k].shutdowns);
        CHECK_EQ(r->resets, ok[k].resets);
        CHECK_EQ(r->status, ok[k].status);
        CHECK(r->harts[0].stopped && r->harts[1].stopped);
        rig_free(r);
    }
    static const struct { uint64_t type, reason; } bad[] = {
        { 3, 0 }, { 0xf0000000, 0 }, { 1ULL << 32, 0 }, { 0, 2 }, { 1, 0xdfffffff },
    };
    Rig *r = rig_new();
    for (unsigned k = 0; k < ARRAY_SIZE(bad); k++) {
        call(r, 0, SBI_EXT_SRST, 0, bad[k].type, bad[k].reason, 0);
        CHECK_EQ(a0(r, 0), SBI_ERR_INVALID_PARAM);
    }
    CHECK_EQ(r->shutdowns + r->resets, 0);
    CHECK(!r->harts[0].stopped);
    rig_free(r);
}

/* --- DBCN (chapter 12) --- */

static void test_dbcn(void)
{
    Rig *r = rig_new();
    uint64_t buf = RAM_BASE + 0x3000;
    memcpy(r->ram + 0x3000, "hello, world", 12);
    CHECK_EQ(call(r, 0, SBI_EXT_DBCN, 0, 5, buf, 0), RV_NEXT);
    CHECK_EQ(a0(r, 0), SBI_SUCCESS);
    CHECK_EQ(a1(r, 0), 5);
    CHECK_EQ(r->nout, 5);
    CHECK_MEM(r->out, "hello", 5);
    call(r, 0, SBI_EXT_DBCN, 2, 0x100 | '!', 0, 0);     /* write_byte: the low byte */
    CHECK_EQ(a0(r, 0), SBI_SUCCESS);
    CHECK_EQ(r->nout, 6);
    CHECK_EQ(r->out[5], '!');
    /* Buffers outside RAM, crossing its end, or with high address bits. */
    const struct { uint64_t n, lo, hi; } bad[] = {
        { 4, 0x1000, 0 }, { 2, RAM_BASE + RAM_SIZE - 1, 0 }, { 1, RAM_BASE + RAM_SIZE, 0 },
        { 4, buf, 1 }, { ~0ULL, buf, 0 },
    };
    for (unsigned k = 0; k < ARRAY_SIZE(bad); k++) {
        call(r, 0, SBI_EXT_DBCN, 0, bad[k].n, bad[k].lo, bad[k].hi);
        CHECK_EQ(a0(r, 0), SBI_ERR_INVALID_PARAM);
        call(r, 0, SBI_EXT_DBCN, 1, bad[k].n, bad[k].lo, bad[k].hi);
        CHECK_EQ(a0(r, 0), SBI_ERR_INVALID_PARAM);
    }
    CHECK_EQ(r->nout, 6);
    /* The last byte of RAM is a valid one-byte buffer. */
    r->ram[RAM_SIZE - 1] = '$';
    call(r, 0, SBI_EXT_DBCN, 0, 1, RAM_BASE + RAM_SIZE - 1, 0);
    CHECK_EQ(a0(r, 0), SBI_SUCCESS);
    CHECK_EQ(r->out[6], '$');

    /* read: as many queued bytes as there are, up to num_bytes. */
    uint64_t dst = RAM_BASE + 0x5000;
    memset(r->ram + 0x5000, '.', 8);
    call(r, 0, SBI_EXT_DBCN, 1, 8, dst, 0);
    CHECK_EQ(a0(r, 0), SBI_SUCCESS);
    CHECK_EQ(a1(r, 0), 0);
    queue_input(r, "abc");
    call(r, 0, SBI_EXT_DBCN, 1, 2, dst, 0);
    CHECK_EQ(a0(r, 0), SBI_SUCCESS);
    CHECK_EQ(a1(r, 0), 2);
    CHECK_MEM(r->ram + 0x5000, "ab......", 8);
    call(r, 0, SBI_EXT_DBCN, 1, 8, dst + 4, 0);
    CHECK_EQ(a1(r, 0), 1);
    CHECK_MEM(r->ram + 0x5000, "ab..c...", 8);
    rig_free(r);
}

/* --- SUSP (chapter 13) --- */

static void test_susp(void)
{
    Rig *r = rig_new();
    RvHart *h = &r->harts[0];
    call(r, 0, SBI_EXT_HSM, 0, 2, RAM_BASE, 0);
    call(r, 0, SBI_EXT_SUSP, 0, 0, RAM_BASE + 0x6000, 0);
    CHECK_EQ(a0(r, 0), SBI_ERR_DENIED);                  /* hart 2 is started */
    CHECK(!h->wfi);
    call(r, 2, SBI_EXT_HSM, 1, 0, 0, 0);                 /* hart 2 stops itself */
    call(r, 0, SBI_EXT_SUSP, 0, 1, RAM_BASE + 0x6000, 0);
    CHECK_EQ(a0(r, 0), SBI_ERR_INVALID_PARAM);           /* sleep type 1: reserved */
    call(r, 0, SBI_EXT_SUSP, 0, 1ULL << 32, RAM_BASE + 0x6000, 0);
    CHECK_EQ(a0(r, 0), SBI_ERR_INVALID_PARAM);
    call(r, 0, SBI_EXT_SUSP, 0, 0, RAM_BASE + 0x6001, 0);
    CHECK_EQ(a0(r, 0), SBI_ERR_INVALID_ADDRESS);
    call(r, 0, SBI_EXT_SUSP, 0, 0, 0x1000, 0);
    CHECK_EQ(a0(r, 0), SBI_ERR_INVALID_ADDRESS);

    /* Suspend to RAM, woken by the timer it armed and enabled. */
    h->mie = MIP_STIP; /* sie.STIE */
    call(r, 0, SBI_EXT_TIME, 0, 70, 0, 0);
    CHECK_EQ(call(r, 0, SBI_EXT_SUSP, 0, 0, RAM_BASE + 0x6000, 0x55), RV_JUMP);
    CHECK_EQ(h->pc, RAM_BASE + 0x6000);
    CHECK_EQ(h->x[10], 0);
    CHECK_EQ(h->x[11], 0x55);
    CHECK_EQ(h->priv, RV_PRIV_S);
    CHECK_EQ(h->satp, 0);
    CHECK(h->wfi);
    advance(r, 70 * TICK_NS);
    CHECK(stip(r, 0));
    if (h->wfi)
        fprintf(stderr, "SUSP: the timer interrupt the hart enabled does not wake it "
                "(mie=0x%" PRIx64 ")\n", h->mie);
    CHECK(!h->wfi);
    rig_free(r);
}

int main(void)
{
    test_base();
    test_not_supported();
    test_legacy_console();
    test_legacy_send_ipi();
    test_ipi();
    test_timer();
    test_hsm_start_stop();
    test_hsm_suspend();
    test_srst();
    test_dbcn();
    test_susp();
    return unit_summary("test_sbi");
}
