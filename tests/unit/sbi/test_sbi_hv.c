/* tests/unit/sbi/test_sbi_hv.c: the built-in hypervisor of `-M virt,hv=on` (Volume II 1.12,
 * chapter 8; SBI v2.0; shared/seeds/003), host-side. First the G-stage table builder
 * against the G-stage walker of mmu/riscv_pt.c, on a table built in a byte array: leaf
 * sizes, permissions, faults outside the mappings, overlaps and an exhausted pool. Then a
 * small machine whose harts have H and are started in VS-mode as riscv_virt.c starts them:
 * guest RAM at 0x80000000, the G-stage pool in RAM above it that the table does not map,
 * and one guest page (GPA 0x40000000) backed by machine RAM elsewhere, so a read through
 * the guest's translation and a read of the physical address tell apart. The calls arrive
 * as the CPU delivers them: an ECALL from VS-mode handed to sbi_hv_exit, and once through
 * the hart's own trap router running a real ecall instruction. */
#include <stdlib.h>

#include "hypervisor/sbi/sbi.h"
#include "hypervisor/sbi/sbi_gstage.h"
#include "tests/unit/unit.h"

#define RAM_BASE 0x80000000ULL
#define RAM_SIZE (4 * MiB)
#define POOL_BASE 0x80400000ULL /* above guest RAM, not in the guest's G-stage */
#define POOL_SIZE (64 * 1024)
#define ALIAS_GPA 0x40000000ULL  /* a guest page ... */
#define ALIAS_PA 0x80010000ULL   /* ... backed here */
#define VS_ROOT 0x80004000ULL    /* a VS-stage Sv39 table in guest RAM */
#define NHARTS 4
#define TICK_NS 100

/* --- the G-stage builder, on a byte array --- */

typedef struct Arr {
    uint8_t *mem;
    uint64_t base, size;
} Arr;

static uint8_t *arr_pte(void *opaque, uint64_t pa)
{
    Arr *a = opaque;
    return pa >= a->base && pa - a->base + 8 <= a->size && !(pa & 7) ? a->mem + (pa - a->base)
                                                                      : NULL;
}

static RvPtResult gwalk(Arr *a, uint64_t hgatp, uint64_t gpa, RvPtAccess acc, RvPtWalk *w)
{
    PtMem mem = { .pte_ptr = arr_pte, .opaque = a };
    RvGXlate x = { .access = acc };
    return rv_pt_gstage_walk(&mem, hgatp, gpa, &x, w);
}

static void test_gstage_builder(void)
{
    Arr a = { .base = 0x1000000000ULL, .size = 64 * 1024 };
    a.mem = calloc(1, a.size);
    SbiGStage g;
    CHECK(!sbi_gstage_init(&g, HGATP_MODE_SV39X4, a.mem, a.base + 0x1000, a.size)); /* align */
    CHECK(!sbi_gstage_init(&g, 0, a.mem, a.base, a.size));
    CHECK(sbi_gstage_init(&g, HGATP_MODE_SV39X4, a.mem, a.base, a.size));
    uint64_t hgatp = sbi_gstage_hgatp(&g, 5);
    CHECK_EQ(hgatp >> 60, HGATP_MODE_SV39X4);
    CHECK_EQ((hgatp & HGATP_VMID_MASK) >> HGATP_VMID_SHIFT, 5);
    CHECK_EQ((hgatp & ((1ULL << 44) - 1)) << 12, a.base);

    /* RAM: 2 GiB + 2 MiB + 8 KiB at 2 GiB: two 1 GiB leaves, one 2 MiB, two 4 KiB. */
    uint64_t ram = 0x80000000ULL, ram_size = 2 * GiB + 2 * MiB + 8 * 1024;
    CHECK(sbi_gstage_map(&g, ram, ram, ram_size, SBI_GSTAGE_RAM));
    RvPtWalk w;
    CHECK_EQ(gwalk(&a, hgatp, ram + 0x123458, RV_PT_EXEC, &w), RV_PT_OK);
    CHECK_EQ(w.pa, ram + 0x123458);
    CHECK_EQ(w.level, 2);
    CHECK_EQ(gwalk(&a, hgatp, ram + GiB + 8, RV_PT_WRITE, &w), RV_PT_OK);
    CHECK_EQ(w.level, 2);
    CHECK_EQ(gwalk(&a, hgatp, ram + 2 * GiB + 0x1000, RV_PT_READ, &w), RV_PT_OK);
    CHECK_EQ(w.level, 1);
    CHECK_EQ(gwalk(&a, hgatp, ram + 2 * GiB + 2 * MiB + 0x1ff8, RV_PT_WRITE, &w), RV_PT_OK);
    CHECK_EQ(w.level, 0);
    CHECK_EQ(w.pa, ram + 2 * GiB + 2 * MiB + 0x1ff8);
    CHECK_EQ(w.pte & (PTE_U | PTE_A | PTE_D), PTE_U | PTE_A | PTE_D); /* nothing to update */
    CHECK_EQ(gwalk(&a, hgatp, ram + ram_size, RV_PT_READ, &w), RV_PT_GUEST_PAGE_FAULT);
    CHECK_EQ(gwalk(&a, hgatp, ram - 8, RV_PT_READ, &w), RV_PT_GUEST_PAGE_FAULT);

    /* A device window: 4 KiB leaves, not executable; a translated (non-identity) page. */
    CHECK(sbi_gstage_map(&g, 0x10000000, 0x10000000, 0x9000, SBI_GSTAGE_MMIO));
    CHECK_EQ(gwalk(&a, hgatp, 0x10000004, RV_PT_WRITE, &w), RV_PT_OK);
    CHECK_EQ(w.level, 0);
    CHECK_EQ(gwalk(&a, hgatp, 0x10000004, RV_PT_EXEC, &w), RV_PT_GUEST_PAGE_FAULT);
    CHECK_EQ(gwalk(&a, hgatp, 0x10009000, RV_PT_READ, &w), RV_PT_GUEST_PAGE_FAULT);
    CHECK(sbi_gstage_map(&g, 0x20000000, 0x90000000, 0x1000, SBI_GSTAGE_RAM));
    CHECK_EQ(gwalk(&a, hgatp, 0x20000010, RV_PT_READ, &w), RV_PT_OK);
    CHECK_EQ(w.pa, 0x90000010);

    /* Refused: overlaps (a leaf, or under a 1 GiB leaf), misalignment, W without R, GPAs
     * beyond Sv39x4's 41 bits. */
    CHECK(!sbi_gstage_map(&g, 0x10008000, 0x10008000, 0x1000, SBI_GSTAGE_MMIO));
    CHECK(!sbi_gstage_map(&g, ram + 0x200000, 0, 0x1000, SBI_GSTAGE_RAM));
    CHECK(!sbi_gstage_map(&g, 0x30000800, 0x30000800, 0x1000, SBI_GSTAGE_MMIO));
    CHECK(!sbi_gstage_map(&g, 0x30000000, 0x30000000, 0x1000, PTE_W));
    CHECK(!sbi_gstage_map(&g, 1ULL << 41, 0, 0x1000, SBI_GSTAGE_RAM));

    /* An exhausted pool: 4 KiB pages at scattered GiB need a table each. */
    bool ok = true;
    for (uint64_t k = 0; k < 64 && ok; k++)
        ok = sbi_gstage_map(&g, 0x4000000000ULL + k * GiB, 0, 0x1000, SBI_GSTAGE_RAM);
    CHECK(!ok);
    CHECK(g.used <= g.size);

    /* Sv48x4: the root covers 50 bits. */
    CHECK(sbi_gstage_init(&g, HGATP_MODE_SV48X4, a.mem, a.base, a.size));
    CHECK(sbi_gstage_map(&g, 1ULL << 45, ram, GiB, SBI_GSTAGE_RAM));
    CHECK_EQ(gwalk(&a, sbi_gstage_hgatp(&g, 0), (1ULL << 45) + 0x40, RV_PT_READ, &w), RV_PT_OK);
    CHECK_EQ(w.pa, ram + 0x40);
    CHECK_EQ(w.level, 2);
    free(a.mem);
}

/* --- the exits, on a small machine --- */

typedef struct Rig {
    Bus bus;
    VClock clock;
    uint8_t *ram, *pool;
    RvCore core;
    RvHart harts[NHARTS];
    RvHart *hart_ptrs[NHARTS];
    Sbi sbi;
    SbiGStage gstage;
    char out[256];
    unsigned nout;
    unsigned shutdowns;
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
    return -1;
}

static void plat_shutdown(void *opaque, int status)
{
    Rig *r = opaque;
    r->shutdowns++;
    r->status = status;
}

static void plat_reset(void *opaque)
{
}

static Rig *rig_new(void)
{
    Rig *r = calloc(1, sizeof(*r));
    r->ram = calloc(1, RAM_SIZE);
    r->pool = aligned_alloc(4096, POOL_SIZE);
    memset(r->pool, 0, POOL_SIZE);
    r->bus = (Bus){ .clock = &r->clock };
    bus_map_ram(&r->bus, "ram", RAM_BASE, RAM_SIZE, r->ram);
    bus_map_ram(&r->bus, "pool", POOL_BASE, POOL_SIZE, r->pool);
    sbi_gstage_init(&r->gstage, HGATP_MODE_SV39X4, r->pool, POOL_BASE, POOL_SIZE);
    CHECK(sbi_gstage_map(&r->gstage, RAM_BASE, RAM_BASE, RAM_SIZE, SBI_GSTAGE_RAM));
    CHECK(sbi_gstage_map(&r->gstage, ALIAS_GPA, ALIAS_PA, 0x1000, SBI_GSTAGE_RAM));
    for (unsigned n = 0; n < NHARTS; n++)
        r->hart_ptrs[n] = &r->harts[n];
    rv_core_init(&r->core, &r->bus, &r->clock, NHARTS, r->hart_ptrs);
    r->core.sbi_in_emulator = true;
    r->core.has_sstc = true;
    r->core.has_h = true;
    r->core.ns_per_mtime_tick = TICK_NS;
    for (unsigned n = 0; n < NHARTS; n++)
        rv_hart_init(&r->harts[n], &r->core, n);
    SbiPlatform plat = { .putchar = plat_putchar, .getchar = plat_getchar,
                         .shutdown = plat_shutdown, .reset = plat_reset, .opaque = r };
    sbi_init(&r->sbi, &r->core, &plat);
    r->sbi.hv = true;
    r->sbi.hgatp = sbi_gstage_hgatp(&r->gstage, 0);
    r->core.env = (RvEnvOps){ .sbi_call = sbi_call, .hv_exit = sbi_hv_exit, .opaque = &r->sbi };
    /* What riscv_virt.c does at boot with hv=on. */
    sbi_prepare_hart(&r->sbi, &r->harts[0]);
    r->harts[0].pc = RAM_BASE;
    r->sbi.harts[0].state = SBI_HSM_STARTED;
    for (unsigned n = 1; n < NHARTS; n++)
        r->harts[n].stopped = true;
    return r;
}

static void rig_free(Rig *r)
{
    rv_core_destroy(&r->core);
    free(r->ram);
    free(r->pool);
    free(r);
}

static void put64(Rig *r, uint64_t pa, uint64_t v)
{
    uint8_t *p = bus_ram_ptr(&r->bus, pa, 8);
    st_le(p, 8, v);
}

/* An ECALL from VS-mode on hart n, delivered as the trap router delivers it. */
static void ecall(Rig *r, unsigned n, uint64_t eid, uint64_t fid, uint64_t a0, uint64_t a1,
                  uint64_t a2)
{
    RvHart *h = &r->harts[n];
    h->x[17] = eid;
    h->x[16] = fid;
    h->x[10] = a0;
    h->x[11] = a1;
    h->x[12] = a2;
    RvException e = { .cause = EXC_ECALL_VS };
    sbi_hv_exit(&r->sbi, h, &e);
}

static int64_t a0(Rig *r, unsigned n)
{
    return (int64_t)r->harts[n].x[10];
}

static bool vssip(Rig *r, unsigned n)
{
    return (r->harts[n].mip & MIP_VSSIP) != 0;
}

static void advance(Rig *r, uint64_t t)
{
    r->clock.base = t;
    r->clock.offset = 0;
    vclock_run_timers(&r->clock, t);
}

static void test_vs_entry(void)
{
    Rig *r = rig_new();
    RvHart *h = &r->harts[0];
    CHECK(h->virt);
    CHECK_EQ(h->priv, RV_PRIV_S);
    CHECK_EQ(h->hgatp, r->sbi.hgatp);
    CHECK_EQ(h->hideleg, VSIP_MASK);
    CHECK(h->hedeleg & (1u << EXC_ECALL_U));
    CHECK(!(h->hedeleg & (1u << EXC_ECALL_VS)));
    CHECK(h->medeleg & (1u << EXC_ECALL_VS));
    CHECK(!(h->hstatus & HSTATUS_VTW));
    CHECK(h->henvcfg & HENVCFG_STCE);
    CHECK_EQ(h->mmu_idx_fetch, RV_MMU_VS);
    rig_free(r);
}

static void test_vs_base_and_unsupported(void)
{
    Rig *r = rig_new();
    RvHart *h = &r->harts[0];
    h->pc = RAM_BASE + 0x100;
    ecall(r, 0, SBI_EXT_BASE, 0, 0, 0, 0);
    CHECK_EQ(a0(r, 0), SBI_SUCCESS);
    CHECK_EQ(h->x[11], SBI_SPEC_VERSION);
    CHECK_EQ(h->pc, RAM_BASE + 0x104); /* the hypervisor steps over the ecall */
    CHECK(h->virt);
    CHECK_EQ(h->sepc, 0);              /* HS-mode was never entered */
    ecall(r, 0, 0x504d55 /* PMU */, 0, 0, 0, 0);
    CHECK_EQ(a0(r, 0), SBI_ERR_NOT_SUPPORTED);
    ecall(r, 0, SBI_EXT_RFENCE, 3 /* HFENCE.GVMA_VMID: the guest has no H */, 0, 0, 0);
    CHECK_EQ(a0(r, 0), SBI_ERR_NOT_SUPPORTED);
    rig_free(r);
}

static void test_vs_timer(void)
{
    Rig *r = rig_new();
    RvHart *h = &r->harts[0];
    h->mie = MIP_VSTIP; /* the guest's sie.STIE */
    ecall(r, 0, SBI_EXT_TIME, 0, 50, 0, 0);
    CHECK_EQ(a0(r, 0), SBI_SUCCESS);
    CHECK_EQ(h->vstimecmp, 50);
    CHECK(!(h->mip & MIP_VSTIP));
    advance(r, 60 * TICK_NS);
    CHECK(h->mip & MIP_VSTIP);
    CHECK(!(h->mip & MIP_STIP)); /* not the HS timer */
    ecall(r, 0, 0x00 /* legacy SET_TIMER */, 0, ~0ULL, 0, 0);
    CHECK(!(h->mip & MIP_VSTIP));
    rig_free(r);
}

static void test_vs_ipi(void)
{
    Rig *r = rig_new();
    ecall(r, 0, SBI_EXT_IPI, 0, 0x6, 0, 0);
    CHECK_EQ(a0(r, 0), SBI_SUCCESS);
    CHECK(!vssip(r, 0) && vssip(r, 1) && vssip(r, 2) && !vssip(r, 3));
    CHECK(!(r->harts[1].mip & MIP_SSIP));
    CHECK(r->harts[1].hvip & MIP_VSSIP);
    ecall(r, 1, 0x03 /* legacy CLEAR_IPI */, 0, 0, 0, 0);
    CHECK(!vssip(r, 1));

    /* Legacy SEND_IPI: the mask pointer is a guest virtual address, read through vsatp
     * and then the G-stage: VA 0x8 -> GPA ALIAS_GPA + 8 -> PA ALIAS_PA + 8. The physical
     * address 0x8 holds nothing. */
    RvHart *h = &r->harts[0];
    put64(r, VS_ROOT + 0 * 8, ((ALIAS_GPA >> 12) << PTE_PPN_SHIFT) | PTE_V | PTE_R | PTE_W |
                                  PTE_A | PTE_D);
    put64(r, ALIAS_PA + 8, 0x8);
    h->vsatp = (8ULL << 60) | (VS_ROOT >> 12);
    rv_tlb_flush(h);
    h->pc = RAM_BASE + 0x40;
    ecall(r, 0, 0x04, 0, 0x8, 0, 0);
    CHECK_EQ(a0(r, 0), 0);
    CHECK(vssip(r, 3) && !vssip(r, 1));

    /* A pointer nothing maps at the G-stage: the guest gets a load access fault at the
     * ecall, with the VA as stval; the hart stays in the guest. */
    put64(r, VS_ROOT + 1 * 8, ((0xc0000000ULL >> 12) << PTE_PPN_SHIFT) | PTE_V | PTE_R |
                                  PTE_A | PTE_D);
    h->vstvec = RAM_BASE + 0x800;
    h->pc = RAM_BASE + 0x40;
    ecall(r, 0, 0x04, 0, 0x40000010, 0, 0);
    CHECK(h->virt);
    CHECK_EQ(h->priv, RV_PRIV_S);
    CHECK_EQ(h->vscause, EXC_LOAD_ACCESS);
    CHECK_EQ(h->vstval, 0x40000010);
    CHECK_EQ(h->vsepc, RAM_BASE + 0x40);
    CHECK_EQ(h->pc, RAM_BASE + 0x800);
    CHECK_EQ(h->scause, 0);

    /* A pointer the VS-stage does not map: the guest's own page fault. */
    h->pc = RAM_BASE + 0x40;
    ecall(r, 0, 0x04, 0, 0x100000000ULL, 0, 0);
    CHECK_EQ(h->vscause, EXC_LOAD_PAGE_FAULT);
    CHECK_EQ(h->vstval, 0x100000000ULL);
    rig_free(r);
}

static void test_vs_rfence(void)
{
    Rig *r = rig_new();
    RvHart *t = &r->harts[1];
    RvTlbEntry *vs = &rv_tlb_table(t, RV_MMU_VS)[3], *s = &rv_tlb_table(t, RV_MMU_S)[3];
    vs->tag[RV_ACC_READ] = 0x3000;
    s->tag[RV_ACC_READ] = 0x3000;
    t->tlb_cur[RV_TLB_VIRT]->nfilled = RV_TLB_CTX * RV_TLB_SIZE + 1;
    t->tlb_cur[RV_TLB_HOST]->nfilled = RV_TLB_CTX * RV_TLB_SIZE + 1;
    ecall(r, 0, SBI_EXT_RFENCE, 1, 0x2, 0, 0);
    CHECK_EQ(a0(r, 0), SBI_SUCCESS);
    CHECK_EQ(vs->tag[RV_ACC_READ], RV_TLB_INVALID);
    CHECK_EQ(s->tag[RV_ACC_READ], 0x3000); /* HFENCE.VVMA: V=1 only */
    rig_free(r);
}

static void test_vs_hsm(void)
{
    Rig *r = rig_new();
    /* Guest RAM only: the G-stage pool is machine RAM the guest cannot name. */
    ecall(r, 0, SBI_EXT_HSM, 0, 1, POOL_BASE, 0);
    CHECK_EQ(a0(r, 0), SBI_ERR_INVALID_ADDRESS);
    ecall(r, 0, SBI_EXT_HSM, 0, 1, RAM_BASE + RAM_SIZE, 0);
    CHECK_EQ(a0(r, 0), SBI_ERR_INVALID_ADDRESS);
    ecall(r, 0, SBI_EXT_HSM, 0, 1, RAM_BASE + 0x2000, 0x1234);
    CHECK_EQ(a0(r, 0), SBI_SUCCESS);
    RvHart *t = &r->harts[1];
    CHECK(!t->stopped);
    CHECK(t->virt);
    CHECK_EQ(t->priv, RV_PRIV_S);
    CHECK_EQ(t->pc, RAM_BASE + 0x2000);
    CHECK_EQ(t->x[10], 1);
    CHECK_EQ(t->x[11], 0x1234);
    CHECK_EQ(t->hgatp, r->sbi.hgatp);
    CHECK_EQ(t->vsatp, 0);
    ecall(r, 0, SBI_EXT_HSM, 2, 1, 0, 0);
    CHECK_EQ(r->harts[0].x[11], SBI_HSM_STARTED);
    ecall(r, 1, SBI_EXT_HSM, 1, 0, 0, 0);
    CHECK(t->stopped);
    ecall(r, 0, SBI_EXT_HSM, 2, 1, 0, 0);
    CHECK_EQ(r->harts[0].x[11], SBI_HSM_STOPPED);

    /* Retentive suspend waits for an enabled VS interrupt; an IPI wakes it. */
    RvHart *h = &r->harts[0];
    h->mie = MIP_VSSIP;
    ecall(r, 0, SBI_EXT_HSM, 3, 0, 0, 0);
    CHECK_EQ(a0(r, 0), SBI_SUCCESS);
    CHECK(h->wfi);
    ecall(r, 2, SBI_EXT_IPI, 0, 1, 0, 0);
    CHECK(!h->wfi);
    rig_free(r);
}

static void test_vs_dbcn_and_srst(void)
{
    Rig *r = rig_new();
    memcpy(bus_ram_ptr(&r->bus, ALIAS_PA, 3), "vs!", 3);
    memcpy(bus_ram_ptr(&r->bus, POOL_BASE + 0x8000, 3), "no!", 3);
    ecall(r, 0, SBI_EXT_DBCN, 0, 3, ALIAS_GPA, 0);   /* a GPA, through the G-stage */
    CHECK_EQ(a0(r, 0), SBI_SUCCESS);
    CHECK_EQ(r->harts[0].x[11], 3);
    CHECK_MEM(r->out, "vs!", 3);
    ecall(r, 0, SBI_EXT_DBCN, 0, 3, POOL_BASE + 0x8000, 0);
    CHECK_EQ(a0(r, 0), SBI_ERR_INVALID_PARAM);
    ecall(r, 0, SBI_EXT_DBCN, 0, 3, ALIAS_PA, 0);      /* the PA is not the guest's */
    CHECK_EQ(a0(r, 0), SBI_SUCCESS);                    /* ... but its own RAM at that GPA */
    ecall(r, 0, SBI_EXT_DBCN, 0, 0x2000, ALIAS_GPA, 0); /* crosses into an unmapped page */
    CHECK_EQ(a0(r, 0), SBI_ERR_INVALID_PARAM);
    CHECK_EQ(r->nout, 6);

    r->harts[1].stopped = false;
    ecall(r, 0, SBI_EXT_SRST, 0, 0 /* shutdown */, 0, 0);
    CHECK_EQ(r->shutdowns, 1);
    CHECK_EQ(r->status, 0);
    for (unsigned n = 0; n < NHARTS; n++)
        CHECK(r->harts[n].stopped);
    rig_free(r);
}

/* Exits other than ecalls: what the guest gets instead. */
static void test_vs_reflect(void)
{
    Rig *r = rig_new();
    RvHart *h = &r->harts[0];
    h->vstvec = RAM_BASE + 0x800;
    static const struct { uint64_t cause, injected; } map[] = {
        { EXC_LOAD_GUEST_PAGE_FAULT, EXC_LOAD_ACCESS },
        { EXC_STORE_GUEST_PAGE_FAULT, EXC_STORE_ACCESS },
        { EXC_INSN_GUEST_PAGE_FAULT, EXC_INSN_ACCESS },
        { EXC_VIRTUAL_INSN, EXC_ILLEGAL_INSN },
        { EXC_LOAD_MISALIGNED, EXC_LOAD_MISALIGNED },
    };
    for (unsigned k = 0; k < ARRAY_SIZE(map); k++) {
        h->pc = RAM_BASE + 0x10 * k;
        h->vsstatus |= MSTATUS_SIE;
        RvException e = { .cause = map[k].cause, .tval = 0x1230 + k, .tval2 = 0x99 };
        sbi_hv_exit(&r->sbi, h, &e);
        CHECK(h->virt);
        CHECK_EQ(h->vscause, map[k].injected);
        CHECK_EQ(h->vstval, 0x1230 + k);
        CHECK_EQ(h->vsepc, RAM_BASE + 0x10 * k);
        CHECK_EQ(h->pc, RAM_BASE + 0x800);
        CHECK(!(h->vsstatus & MSTATUS_SIE));
        CHECK(h->vsstatus & MSTATUS_SPIE);
        CHECK(h->vsstatus & MSTATUS_SPP);
    }
    CHECK_EQ(h->htval, 0); /* no HS-mode state written */
    rig_free(r);
}

/* A real ecall instruction in VS-mode, through the hart's trap router and the hook. */
static void test_vs_ecall_through_router(void)
{
    Rig *r = rig_new();
    RvHart *h = &r->harts[0];
    put64(r, RAM_BASE, 0x0000006f00000073ULL); /* ecall; j . */
    h->x[17] = SBI_EXT_BASE;
    h->x[16] = 1; /* get_impl_id */
    rv_hart_run(h, 4);
    CHECK_EQ(h->x[10], SBI_SUCCESS);
    CHECK_EQ(h->x[11], SBI_IMPL_ID_HVEMU);
    CHECK_EQ(h->pc, RAM_BASE + 4);
    CHECK(h->virt);
    CHECK_EQ(h->scause, 0);
    CHECK_EQ(h->sepc, 0);
    CHECK(!r->core.fatal);
    rig_free(r);
}

int main(void)
{
    test_gstage_builder();
    test_vs_entry();
    test_vs_base_and_unsupported();
    test_vs_timer();
    test_vs_ipi();
    test_vs_rfence();
    test_vs_hsm();
    test_vs_dbcn_and_srst();
    test_vs_reflect();
    test_vs_ecall_through_router();
    return unit_summary("test_sbi_hv");
}
