/* tests/unit/riscv/test_csr.c: the hart's control and status registers through
 * rv_csr_read/rv_csr_write (Volume II: 2.1 "CSR Address Mapping Conventions", 3.1.6
 * mstatus, 3.1.8 medeleg/mideleg, 3.1.9 mip/mie, 3.1.11-3.1.12 counters and counter
 * enables, 3.7 PMP, 4.1.1 sstatus, 4.1.3 sip/sie, 4.1.11 satp; the Sstc extension). A
 * refused access returns RV_TRAP with h->exc.cause = illegal instruction (2). The hart sits
 * on a minimal core (RAM, a hand-driven clock) with Sstc present. */
#include <stdlib.h>

#include "cpu/riscv/rv_decode.h"
#include "tests/unit/unit.h"

#define RAM_BASE 0x80000000ULL
#define TICK_NS 100

typedef struct Rig {
    Bus bus;
    VClock clock;
    uint8_t *ram;
    RvCore core;
    RvHart hart;
    RvHart *hart_ptr;
} Rig;

static Rig *rig_new(void)
{
    Rig *r = calloc(1, sizeof(*r));
    r->ram = calloc(1, 64 * KiB);
    r->bus = (Bus){ .clock = &r->clock };
    bus_map_ram(&r->bus, "ram", RAM_BASE, 64 * KiB, r->ram);
    r->hart_ptr = &r->hart;
    rv_core_init(&r->core, &r->bus, &r->clock, 1, &r->hart_ptr);
    r->core.has_sstc = true;
    r->core.ns_per_mtime_tick = TICK_NS;
    rv_hart_init(&r->hart, &r->core, 0);
    return r;
}

static void rig_free(Rig *r)
{
    rv_core_destroy(&r->core);
    free(r->ram);
    free(r);
}

static uint64_t rd(RvHart *h, unsigned csr)
{
    uint64_t v = 0xbadbadbadULL;
    RvStatus st = rv_csr_read(h, csr, &v);
    if (st != RV_NEXT)
        fprintf(stderr, "read of %s (0x%03x) at priv %u refused\n", rv_csr_name(csr), csr,
                h->priv);
    CHECK_EQ(st, RV_NEXT);
    return v;
}

static void wr(RvHart *h, unsigned csr, uint64_t v)
{
    RvStatus st = rv_csr_write(h, csr, v);
    if (st != RV_NEXT)
        fprintf(stderr, "write of %s (0x%03x) at priv %u refused\n", rv_csr_name(csr), csr,
                h->priv);
    CHECK_EQ(st, RV_NEXT);
}

static bool read_illegal(RvHart *h, unsigned csr)
{
    uint64_t v;
    h->exc.cause = ~0ULL;
    return rv_csr_read(h, csr, &v) == RV_TRAP && h->exc.cause == EXC_ILLEGAL_INSN;
}

static bool write_illegal(RvHart *h, unsigned csr, uint64_t v)
{
    h->exc.cause = ~0ULL;
    return rv_csr_write(h, csr, v) == RV_TRAP && h->exc.cause == EXC_ILLEGAL_INSN;
}

#define XL64 (2ULL << 32 | 2ULL << 34) /* UXL = SXL = 2: 64-bit */

static uint64_t mpp(RvHart *h)
{
    return (rd(h, CSR_MSTATUS) & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
}

/* --- mstatus and sstatus --- */

static void test_mstatus(void)
{
    Rig *r = rig_new();
    RvHart *h = &r->hart;
    CHECK_EQ(h->priv, RV_PRIV_M);
    CHECK_EQ(rd(h, CSR_MSTATUS) & (MSTATUS_UXL | MSTATUS_SXL), XL64);

    /* MPP is WARL: 2 (reserved) keeps the old value. */
    wr(h, CSR_MSTATUS, 3ULL << MSTATUS_MPP_SHIFT);
    CHECK_EQ(mpp(h), 3);
    wr(h, CSR_MSTATUS, 2ULL << MSTATUS_MPP_SHIFT);
    CHECK_EQ(mpp(h), 3);
    wr(h, CSR_MSTATUS, 1ULL << MSTATUS_MPP_SHIFT);
    CHECK_EQ(mpp(h), 1);
    wr(h, CSR_MSTATUS, 2ULL << MSTATUS_MPP_SHIFT | MSTATUS_SIE);
    CHECK_EQ(mpp(h), 1);
    CHECK_EQ(rd(h, CSR_MSTATUS) & MSTATUS_SIE, MSTATUS_SIE); /* the rest of the write lands */
    wr(h, CSR_MSTATUS, 0);
    CHECK_EQ(mpp(h), 0);

    /* UXL and SXL read 2 whatever is written. */
    wr(h, CSR_MSTATUS, 0);
    CHECK_EQ(rd(h, CSR_MSTATUS), XL64);
    wr(h, CSR_MSTATUS, 1ULL << 32 | 1ULL << 34);
    CHECK_EQ(rd(h, CSR_MSTATUS) & (MSTATUS_UXL | MSTATUS_SXL), XL64);

    /* SD summarises FS == Dirty; it cannot be written. */
    static const struct { uint64_t fs; bool sd; } fs[] = {
        { 0, false }, { MSTATUS_FS_INITIAL, false }, { MSTATUS_FS_CLEAN, false },
        { MSTATUS_FS_DIRTY, true },
    };
    for (unsigned k = 0; k < ARRAY_SIZE(fs); k++) {
        wr(h, CSR_MSTATUS, fs[k].fs | MSTATUS_SD);
        uint64_t s = rd(h, CSR_MSTATUS);
        CHECK_EQ(s & MSTATUS_FS, fs[k].fs);
        CHECK_EQ(s & MSTATUS_SD, fs[k].sd ? MSTATUS_SD : 0);
    }
    /* No V extension, no custom extension state, little-endian only. */
    wr(h, CSR_MSTATUS, MSTATUS_VS | MSTATUS_XS);
    CHECK_EQ(rd(h, CSR_MSTATUS) & (MSTATUS_VS | MSTATUS_XS | MSTATUS_SD), 0);
    /* Everything writable at once. */
    wr(h, CSR_MSTATUS, ~0ULL);
    CHECK_EQ(rd(h, CSR_MSTATUS),
             MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP | MSTATUS_MPP |
                 MSTATUS_FS | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_TVM |
                 MSTATUS_TW | MSTATUS_TSR | XL64 | MSTATUS_SD);
    rig_free(r);
}

static void test_sstatus(void)
{
    Rig *r = rig_new();
    RvHart *h = &r->hart;
    wr(h, CSR_MSTATUS, ~0ULL);
    uint64_t s_view = MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM |
                      MSTATUS_MXR | (2ULL << 32) | MSTATUS_SD;
    CHECK_EQ(rd(h, CSR_SSTATUS), s_view);
    h->priv = RV_PRIV_S;
    CHECK_EQ(rd(h, CSR_SSTATUS), s_view);
    /* Writing sstatus changes only its own fields of mstatus. */
    wr(h, CSR_SSTATUS, 0);
    CHECK_EQ(rd(h, CSR_SSTATUS), 2ULL << 32);
    h->priv = RV_PRIV_M;
    CHECK_EQ(rd(h, CSR_MSTATUS),
             MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_TVM | MSTATUS_TW |
                 MSTATUS_TSR | XL64);
    /* M-only fields cannot be set through sstatus. */
    wr(h, CSR_MSTATUS, 0);
    h->priv = RV_PRIV_S;
    wr(h, CSR_SSTATUS, MSTATUS_MIE | MSTATUS_MPP | MSTATUS_TVM | MSTATUS_MPRV | MSTATUS_SUM);
    h->priv = RV_PRIV_M;
    CHECK_EQ(rd(h, CSR_MSTATUS), MSTATUS_SUM | XL64);
    /* A change through one view is visible in the other. */
    wr(h, CSR_MSTATUS, MSTATUS_SPP | MSTATUS_FS_DIRTY);
    CHECK_EQ(rd(h, CSR_SSTATUS), MSTATUS_SPP | MSTATUS_FS_DIRTY | MSTATUS_SD | 2ULL << 32);
    rig_free(r);
}

/* --- interrupts --- */

static void test_sie_sip(void)
{
    Rig *r = rig_new();
    RvHart *h = &r->hart;
    /* mideleg: only the S-level interrupts are delegable. */
    wr(h, CSR_MIDELEG, ~0ULL);
    CHECK_EQ(rd(h, CSR_MIDELEG), MIP_SSIP | MIP_STIP | MIP_SEIP);

    /* Nothing delegated: sie/sip read zero and ignore writes. */
    wr(h, CSR_MIDELEG, 0);
    wr(h, CSR_MIE, ~0ULL);
    CHECK_EQ(rd(h, CSR_MIE), MIP_ALL);
    wr(h, CSR_MIP, MIP_SSIP | MIP_STIP | MIP_SEIP);
    CHECK_EQ(rd(h, CSR_SIE), 0);
    CHECK_EQ(rd(h, CSR_SIP), 0);
    wr(h, CSR_SIE, 0);
    CHECK_EQ(rd(h, CSR_MIE), MIP_ALL);
    wr(h, CSR_SIP, 0);
    CHECK_EQ(rd(h, CSR_MIP) & MIP_SSIP, MIP_SSIP);

    /* All three delegated: the S bits of mie/mip, and no M bits. */
    wr(h, CSR_MIDELEG, MIP_SSIP | MIP_STIP | MIP_SEIP);
    CHECK_EQ(rd(h, CSR_SIE), MIP_SSIP | MIP_STIP | MIP_SEIP);
    CHECK_EQ(rd(h, CSR_SIP), MIP_SSIP | MIP_STIP | MIP_SEIP);
    wr(h, CSR_SIE, 0);
    CHECK_EQ(rd(h, CSR_MIE), MIP_MSIP | MIP_MTIP | MIP_MEIP);
    wr(h, CSR_SIE, ~0ULL);
    CHECK_EQ(rd(h, CSR_MIE), MIP_ALL);
    /* sip: only SSIP is writable; STIP and SEIP are read-only in sip. */
    wr(h, CSR_SIP, 0);
    CHECK_EQ(rd(h, CSR_MIP), MIP_STIP | MIP_SEIP);
    wr(h, CSR_SIP, ~0ULL);
    CHECK_EQ(rd(h, CSR_MIP), MIP_SSIP | MIP_STIP | MIP_SEIP);
    wr(h, CSR_MIP, 0);
    wr(h, CSR_SIP, MIP_STIP | MIP_SEIP);
    CHECK_EQ(rd(h, CSR_MIP), 0);

    /* Only SSIP delegated. */
    wr(h, CSR_MIDELEG, MIP_SSIP);
    wr(h, CSR_MIE, 0);
    wr(h, CSR_SIE, ~0ULL);
    CHECK_EQ(rd(h, CSR_MIE), MIP_SSIP);
    CHECK_EQ(rd(h, CSR_SIE), MIP_SSIP);
    wr(h, CSR_MIP, MIP_STIP);
    CHECK_EQ(rd(h, CSR_SIP), 0);
    /* A device line shows through sip when delegated. */
    wr(h, CSR_MIDELEG, MIP_SEIP);
    rv_hart_set_irq(h, IRQ_S_EXT, true);
    CHECK_EQ(rd(h, CSR_SIP), MIP_SEIP);
    rig_free(r);
}

static void test_mip(void)
{
    Rig *r = rig_new();
    RvHart *h = &r->hart;
    /* menvcfg.STCE = 0: SSIP, STIP and SEIP are writable, the M bits are not. */
    CHECK_EQ(rd(h, CSR_MENVCFG) & MENVCFG_STCE, 0);
    wr(h, CSR_MIP, ~0ULL);
    CHECK_EQ(rd(h, CSR_MIP), MIP_SSIP | MIP_STIP | MIP_SEIP);
    wr(h, CSR_MIP, 0);
    CHECK_EQ(rd(h, CSR_MIP), 0);
    /* The M bits follow their lines, whatever is written. */
    rv_hart_set_irq(h, IRQ_M_TIMER, true);
    rv_hart_set_irq(h, IRQ_M_EXT, true);
    wr(h, CSR_MIP, 0);
    CHECK_EQ(rd(h, CSR_MIP), MIP_MTIP | MIP_MEIP);
    rv_hart_set_irq(h, IRQ_M_TIMER, false);
    rv_hart_set_irq(h, IRQ_M_EXT, false);
    CHECK_EQ(rd(h, CSR_MIP), 0);
    /* SEIP reads as the written bit OR the external line. */
    rv_hart_set_irq(h, IRQ_S_EXT, true);
    wr(h, CSR_MIP, 0);
    CHECK_EQ(rd(h, CSR_MIP), MIP_SEIP);
    rv_hart_set_irq(h, IRQ_S_EXT, false);
    CHECK_EQ(rd(h, CSR_MIP), 0);

    /* STCE = 1: STIP is read-only and follows time >= stimecmp. */
    r->clock.base = 1000 * TICK_NS;
    wr(h, CSR_MENVCFG, MENVCFG_STCE);
    CHECK_EQ(rd(h, CSR_MENVCFG) & MENVCFG_STCE, MENVCFG_STCE);
    CHECK_EQ(rd(h, CSR_STIMECMP), ~0ULL);
    wr(h, CSR_MIP, MIP_STIP);
    CHECK_EQ(rd(h, CSR_MIP) & MIP_STIP, 0);
    wr(h, CSR_STIMECMP, 1000);
    CHECK_EQ(rd(h, CSR_MIP) & MIP_STIP, MIP_STIP);
    wr(h, CSR_MIP, 0);
    CHECK_EQ(rd(h, CSR_MIP) & MIP_STIP, MIP_STIP);
    wr(h, CSR_STIMECMP, 1001);
    CHECK_EQ(rd(h, CSR_MIP) & MIP_STIP, 0);
    CHECK_EQ(vclock_next_deadline(&r->clock), 1001 * TICK_NS);
    r->clock.base = 1001 * TICK_NS;
    vclock_run_timers(&r->clock, r->clock.base);
    CHECK_EQ(rd(h, CSR_MIP) & MIP_STIP, MIP_STIP);
    rig_free(r);
}

/* Sstc: with STCE = 1, STIP reflects stimecmp only; with STCE = 0 it is M-mode's to write.
 * Neither setting may keep a bit the other left behind. */
static void test_stip_stce_switch(void)
{
    Rig *r = rig_new();
    RvHart *h = &r->hart;
    r->clock.base = 1000 * TICK_NS;
    /* STIP written by M-mode, then Sstc enabled with stimecmp far away. */
    wr(h, CSR_MIP, MIP_STIP);
    wr(h, CSR_MENVCFG, MENVCFG_STCE);
    wr(h, CSR_STIMECMP, 5000);
    CHECK_EQ(rd(h, CSR_MIP) & MIP_STIP, 0);
    /* stimecmp reached, then Sstc disabled: M-mode can clear STIP again. */
    Rig *q = rig_new();
    RvHart *g = &q->hart;
    q->clock.base = 1000 * TICK_NS;
    wr(g, CSR_MENVCFG, MENVCFG_STCE);
    wr(g, CSR_STIMECMP, 10);
    CHECK_EQ(rd(g, CSR_MIP) & MIP_STIP, MIP_STIP);
    wr(g, CSR_MENVCFG, 0);
    wr(g, CSR_MIP, 0);
    CHECK_EQ(rd(g, CSR_MIP) & MIP_STIP, 0);
    rig_free(q);
    rig_free(r);
}

/* --- delegation --- */

static void test_medeleg(void)
{
    Rig *r = rig_new();
    RvHart *h = &r->hart;
    wr(h, CSR_MEDELEG, ~0ULL);
    uint64_t d = rd(h, CSR_MEDELEG);
    CHECK_EQ(d & (1ULL << EXC_ECALL_M), 0);              /* ecall from M: never delegated */
    static const unsigned delegable[] = {
        EXC_INSN_MISALIGNED, EXC_INSN_ACCESS, EXC_ILLEGAL_INSN, EXC_BREAKPOINT,
        EXC_LOAD_MISALIGNED, EXC_LOAD_ACCESS, EXC_STORE_MISALIGNED, EXC_STORE_ACCESS,
        EXC_ECALL_U, EXC_ECALL_S, EXC_INSN_PAGE_FAULT, EXC_LOAD_PAGE_FAULT,
        EXC_STORE_PAGE_FAULT,
    };
    for (unsigned k = 0; k < ARRAY_SIZE(delegable); k++)
        CHECK_EQ((d >> delegable[k]) & 1, 1);
    wr(h, CSR_MEDELEG, 1ULL << EXC_ECALL_M);
    CHECK_EQ(rd(h, CSR_MEDELEG), 0);
    rig_free(r);
}

/* --- satp --- */

static void test_satp(void)
{
    Rig *r = rig_new();
    RvHart *h = &r->hart;
    uint64_t sv39 = (uint64_t)SATP_MODE_SV39 << SATP_MODE_SHIFT | 0x80123;
    wr(h, CSR_SATP, sv39);
    CHECK_EQ(rd(h, CSR_SATP), sv39);
    /* An unsupported MODE: the write has no effect at all. */
    static const unsigned bad_modes[] = { 1, 2, 5, 7, 11, 12, 15 };
    for (unsigned k = 0; k < ARRAY_SIZE(bad_modes); k++) {
        wr(h, CSR_SATP, (uint64_t)bad_modes[k] << SATP_MODE_SHIFT | 0x4567);
        CHECK_EQ(rd(h, CSR_SATP), sv39);
    }
    uint64_t sv48 = (uint64_t)SATP_MODE_SV48 << SATP_MODE_SHIFT | 0x80124;
    uint64_t sv57 = (uint64_t)SATP_MODE_SV57 << SATP_MODE_SHIFT | 0x80125;
    wr(h, CSR_SATP, sv48);
    CHECK_EQ(rd(h, CSR_SATP), sv48);
    wr(h, CSR_SATP, sv57);
    CHECK_EQ(rd(h, CSR_SATP), sv57);
    wr(h, CSR_SATP, 0);
    CHECK_EQ(rd(h, CSR_SATP), 0);

    /* mstatus.TVM: satp is illegal in S-mode, fine in M-mode. */
    wr(h, CSR_SATP, sv39);
    wr(h, CSR_MSTATUS, MSTATUS_TVM);
    CHECK_EQ(rd(h, CSR_SATP), sv39);
    h->priv = RV_PRIV_S;
    CHECK(read_illegal(h, CSR_SATP));
    CHECK(write_illegal(h, CSR_SATP, 0));
    h->priv = RV_PRIV_M;
    CHECK_EQ(rd(h, CSR_SATP), sv39);
    wr(h, CSR_MSTATUS, 0);
    h->priv = RV_PRIV_S;
    wr(h, CSR_SATP, sv48);
    CHECK_EQ(rd(h, CSR_SATP), sv48);
    /* And never from U-mode. */
    h->priv = RV_PRIV_U;
    CHECK(read_illegal(h, CSR_SATP));
    rig_free(r);
}

/* --- counters --- */

static void test_counters(void)
{
    Rig *r = rig_new();
    RvHart *h = &r->hart;
    r->clock.base = 12345 * TICK_NS;
    static const unsigned user_counters[] = { CSR_CYCLE, CSR_TIME, CSR_INSTRET, CSR_HPMCOUNTER3,
                                              CSR_HPMCOUNTER31 };
    /* M-mode reads them whatever the enables say. */
    for (unsigned k = 0; k < ARRAY_SIZE(user_counters); k++)
        rd(h, user_counters[k]);
    CHECK_EQ(rd(h, CSR_TIME), 12345);
    /* They are read-only, even in M-mode. */
    CHECK(write_illegal(h, CSR_CYCLE, 0));
    CHECK(write_illegal(h, CSR_TIME, 0));
    /* S-mode: gated by mcounteren bit (csr - 0xc00). */
    h->priv = RV_PRIV_S;
    for (unsigned k = 0; k < ARRAY_SIZE(user_counters); k++)
        CHECK(read_illegal(h, user_counters[k]));
    h->mcounteren = 1u << 1; /* TM */
    CHECK_EQ(rd(h, CSR_TIME), 12345);
    CHECK(read_illegal(h, CSR_CYCLE));
    CHECK(read_illegal(h, CSR_INSTRET));
    h->mcounteren = 1u << 31;
    rd(h, CSR_HPMCOUNTER31);
    CHECK(read_illegal(h, CSR_HPMCOUNTER3));
    /* S-mode may not write mcounteren or read the M counters. */
    CHECK(write_illegal(h, CSR_MCOUNTEREN, ~0ULL));
    CHECK(read_illegal(h, CSR_MCYCLE));
    /* U-mode: both mcounteren and scounteren. */
    h->priv = RV_PRIV_M;
    wr(h, CSR_MCOUNTEREN, 0x7);
    wr(h, CSR_SCOUNTEREN, 0);
    h->priv = RV_PRIV_U;
    CHECK(read_illegal(h, CSR_CYCLE));
    CHECK(read_illegal(h, CSR_TIME));
    h->priv = RV_PRIV_S;
    wr(h, CSR_SCOUNTEREN, 1u << 1);
    CHECK_EQ(rd(h, CSR_SCOUNTEREN), 1u << 1);
    h->priv = RV_PRIV_U;
    CHECK_EQ(rd(h, CSR_TIME), 12345);
    CHECK(read_illegal(h, CSR_CYCLE));
    h->priv = RV_PRIV_M;
    wr(h, CSR_MCOUNTEREN, 0);
    wr(h, CSR_SCOUNTEREN, ~0ULL);
    h->priv = RV_PRIV_U;
    CHECK(read_illegal(h, CSR_TIME));
    CHECK(read_illegal(h, CSR_SCOUNTEREN));
    /* mcycle/minstret are writable and cycle/instret follow them. */
    h->priv = RV_PRIV_M;
    wr(h, CSR_MCYCLE, 1000);
    wr(h, CSR_MINSTRET, 2000);
    CHECK_EQ(rd(h, CSR_MCYCLE), 1000);
    CHECK_EQ(rd(h, CSR_CYCLE), 1000);
    CHECK_EQ(rd(h, CSR_INSTRET), 2000);
    h->retired += 5;
    CHECK_EQ(rd(h, CSR_MINSTRET), 2005);
    rig_free(r);
}

/* --- Sstc: stimecmp --- */

static void test_stimecmp(void)
{
    Rig *r = rig_new();
    RvHart *h = &r->hart;
    /* STCE = 0: illegal below M-mode... */
    h->mcounteren = ~0u;
    h->priv = RV_PRIV_S;
    CHECK(read_illegal(h, CSR_STIMECMP));
    CHECK(write_illegal(h, CSR_STIMECMP, 5));
    /* ...but M-mode may still access it (Sstc: "in a mode other than M-mode"). */
    h->priv = RV_PRIV_M;
    uint64_t v = 0;
    CHECK_EQ(rv_csr_read(h, CSR_STIMECMP, &v), RV_NEXT);
    CHECK_EQ(rv_csr_write(h, CSR_STIMECMP, 77), RV_NEXT);
    /* STCE = 1: S-mode needs mcounteren.TM as well. */
    wr(h, CSR_MENVCFG, MENVCFG_STCE);
    wr(h, CSR_MCOUNTEREN, 0);
    h->priv = RV_PRIV_S;
    CHECK(read_illegal(h, CSR_STIMECMP));
    CHECK(write_illegal(h, CSR_STIMECMP, 5));
    h->priv = RV_PRIV_M;
    wr(h, CSR_MCOUNTEREN, 1u << 1);
    h->priv = RV_PRIV_S;
    wr(h, CSR_STIMECMP, 0x123456789ULL);
    CHECK_EQ(rd(h, CSR_STIMECMP), 0x123456789ULL);
    /* Never from U-mode. */
    h->priv = RV_PRIV_U;
    CHECK(read_illegal(h, CSR_STIMECMP));
    /* Without Sstc, menvcfg.STCE cannot be set. */
    Rig *q = rig_new();
    q->core.has_sstc = false;
    wr(&q->hart, CSR_MENVCFG, MENVCFG_STCE);
    CHECK_EQ(rd(&q->hart, CSR_MENVCFG) & MENVCFG_STCE, 0);
    rig_free(q);
    rig_free(r);
}

/* --- PMP (3.7) --- */

static void test_pmp(void)
{
    Rig *r = rig_new();
    RvHart *h = &r->hart;
    /* Entry 0 NAPOT RWX, entry 1 TOR RWX and locked. */
    wr(h, CSR_PMPADDR0, 0x20000000ULL);
    wr(h, CSR_PMPADDR0 + 1, 0x20001000ULL);
    wr(h, CSR_PMPCFG0, 0x8f1f);
    CHECK_EQ(rd(h, CSR_PMPCFG0), 0x8f1f);
    /* A locked entry ignores writes to its configuration and address... */
    wr(h, CSR_PMPCFG0, 0);
    CHECK_EQ(rd(h, CSR_PMPCFG0), 0x8f00);
    wr(h, CSR_PMPCFG0, 0x0700);
    CHECK_EQ(rd(h, CSR_PMPCFG0), 0x8f00);
    wr(h, CSR_PMPADDR0 + 1, 0x5555);
    CHECK_EQ(rd(h, CSR_PMPADDR0 + 1), 0x20001000ULL);
    /* ...and, being TOR, to the address of the entry below it. */
    wr(h, CSR_PMPADDR0, 0x1234);
    CHECK_EQ(rd(h, CSR_PMPADDR0), 0x20000000ULL);
    /* Unlocked entries in the same register still change. */
    wr(h, CSR_PMPCFG0, 0x0f00 | 0x1bULL << 16);
    CHECK_EQ(rd(h, CSR_PMPCFG0), 0x8f00 | 0x1bULL << 16);
    wr(h, CSR_PMPADDR0 + 2, 0x777);
    CHECK_EQ(rd(h, CSR_PMPADDR0 + 2), 0x777);
    /* WARL: R=0,W=1 is reserved; bits 6:5 read zero. */
    wr(h, CSR_PMPCFG0 + 2, 0x02 | 0x60ULL << 8);
    uint64_t c = rd(h, CSR_PMPCFG0 + 2);
    CHECK((c & 3) != 2);
    CHECK_EQ((c >> 8) & 0x60, 0);
    /* pmpaddr holds bits 55:2 of the address. */
    wr(h, CSR_PMPADDR0 + 63, ~0ULL);
    CHECK_EQ(rd(h, CSR_PMPADDR0 + 63), (1ULL << 54) - 1);
    /* RV64: the odd pmpcfg registers do not exist. */
    CHECK(read_illegal(h, CSR_PMPCFG0 + 1));
    CHECK(write_illegal(h, CSR_PMPCFG0 + 1, 0));
    CHECK(read_illegal(h, CSR_PMPCFG15));
    /* M-mode only. */
    h->priv = RV_PRIV_S;
    CHECK(read_illegal(h, CSR_PMPCFG0));
    CHECK(write_illegal(h, CSR_PMPADDR0, 0));
    rig_free(r);
}

/* --- access rules of 2.1 and the remaining registers --- */

static void test_access_rules(void)
{
    Rig *r = rig_new();
    RvHart *h = &r->hart;
    /* Unimplemented numbers are illegal, even in M-mode. */
    CHECK(read_illegal(h, 0x7ff));
    CHECK(write_illegal(h, 0x5c0, 0));
    /* Read-only M registers. */
    CHECK_EQ(rd(h, CSR_MHARTID), 0);
    CHECK(write_illegal(h, CSR_MHARTID, 1));
    CHECK(write_illegal(h, CSR_MVENDORID, 1));
    /* Privilege from bits 9:8. */
    h->priv = RV_PRIV_S;
    CHECK(read_illegal(h, CSR_MSTATUS));
    CHECK(write_illegal(h, CSR_MEPC, 0));
    CHECK(read_illegal(h, CSR_MHARTID));
    rd(h, CSR_SSCRATCH);
    h->priv = RV_PRIV_U;
    CHECK(read_illegal(h, CSR_SSTATUS));
    CHECK(read_illegal(h, CSR_SSCRATCH));
    /* misa ignores writes; mtvec modes 2 and 3 are reserved; mepc bit 0 is zero. */
    h->priv = RV_PRIV_M;
    uint64_t misa = rd(h, CSR_MISA);
    CHECK_EQ(misa >> 62, 2);
    wr(h, CSR_MISA, 0);
    CHECK_EQ(rd(h, CSR_MISA), misa);
    wr(h, CSR_MTVEC, 0x80000101ULL);
    CHECK_EQ(rd(h, CSR_MTVEC), 0x80000101ULL);
    wr(h, CSR_MTVEC, 0x80000202ULL);
    CHECK((rd(h, CSR_MTVEC) & 3) < 2);
    wr(h, CSR_MEPC, 0x80000003ULL);
    CHECK_EQ(rd(h, CSR_MEPC), 0x80000002ULL);
    wr(h, CSR_SEPC, ~0ULL);
    CHECK_EQ(rd(h, CSR_SEPC), ~1ULL);
    /* The FP CSRs need mstatus.FS != Off; a write makes FS Dirty. */
    wr(h, CSR_MSTATUS, 0);
    CHECK(read_illegal(h, CSR_FCSR));
    CHECK(write_illegal(h, CSR_FFLAGS, 1));
    wr(h, CSR_MSTATUS, MSTATUS_FS_INITIAL);
    wr(h, CSR_FCSR, 0xff);
    CHECK_EQ(rd(h, CSR_FFLAGS), 0x1f);
    CHECK_EQ(rd(h, CSR_FRM), 0x7);
    CHECK_EQ(rd(h, CSR_FCSR), 0xff);
    CHECK_EQ(rd(h, CSR_MSTATUS) & (MSTATUS_FS | MSTATUS_SD), MSTATUS_FS_DIRTY | MSTATUS_SD);
    rig_free(r);
}

static void test_names(void)
{
    static const struct { unsigned csr; const char *name; } names[] = {
        { CSR_FFLAGS, "fflags" }, { CSR_FCSR, "fcsr" }, { CSR_CYCLE, "cycle" },
        { CSR_TIME, "time" }, { CSR_SSTATUS, "sstatus" }, { CSR_SIE, "sie" },
        { CSR_STVEC, "stvec" }, { CSR_SIP, "sip" }, { CSR_STIMECMP, "stimecmp" },
        { CSR_SATP, "satp" }, { CSR_MSTATUS, "mstatus" }, { CSR_MISA, "misa" },
        { CSR_MEDELEG, "medeleg" }, { CSR_MIDELEG, "mideleg" }, { CSR_MIP, "mip" },
        { CSR_MENVCFG, "menvcfg" }, { CSR_MHARTID, "mhartid" }, { CSR_MCYCLE, "mcycle" },
    };
    for (unsigned k = 0; k < ARRAY_SIZE(names); k++) {
        const char *n = rv_csr_name(names[k].csr);
        if (strcmp(n, names[k].name))
            fprintf(stderr, "rv_csr_name(0x%03x) = \"%s\", want \"%s\"\n", names[k].csr, n,
                    names[k].name);
        CHECK(strcmp(n, names[k].name) == 0);
    }
    CHECK(strncmp(rv_csr_name(CSR_HPMCOUNTER3), "hpmcounter", 10) == 0);
    CHECK(strncmp(rv_csr_name(CSR_PMPADDR0 + 5), "pmpaddr", 7) == 0);
    CHECK(strcmp(rv_csr_name(0x7ff), "csr?") == 0);
    CHECK(strcmp(rv_csr_name(0x1000), "csr?") == 0);
    CHECK(strcmp(rv_csr_name(~0u), "csr?") == 0);
}

int main(void)
{
    test_mstatus();
    test_sstatus();
    test_sie_sip();
    test_mip();
    test_stip_stce_switch();
    test_medeleg();
    test_satp();
    test_counters();
    test_stimecmp();
    test_pmp();
    test_access_rules();
    test_names();
    return unit_summary("test_csr");
}
