/* tests/unit/riscv/test_h.c: the CPU side of the hypervisor extension (Volume II 1.12,
 * chapter 8): misa.H only when the machine asks for it, the hypervisor and VS CSRs and
 * their V=1 aliasing, the virtual-instruction cases of 8.6.1, the trap router's HS/VS/M
 * delivery (8.6.2) with htval/htinst and mtval2/mtinst, SRET/MRET with V (8.6.4), and
 * HLV/HLVX/HSV and V=1 execution on a real hart running on VS-stage and G-stage (Sv39x4)
 * page tables built in its RAM. */
#include <stdlib.h>

#include "cpu/riscv/rv_decode.h"
#include "tests/unit/unit.h"

#define RAM_BASE 0x80000000ULL
#define RAM_SIZE (4 * MiB)
#define TICK_NS 100

/* Physical (= guest-physical, through the identity G-stage) layout. */
#define CODE 0x80000000ULL      /* HS code */
#define TRAP_M 0x80001000ULL    /* j . */
#define TRAP_S 0x80001010ULL    /* j . */
#define TRAP_VS 0x80001020ULL   /* j . */
#define G_ROOT 0x80010000ULL    /* 16 KiB, 16 KiB aligned */
#define G_L1 0x80014000ULL
#define G_L0 0x80015000ULL
#define VS_ROOT 0x80020000ULL
#define VS_L1 0x80021000ULL
#define VS_L0 0x80022000ULL
#define GPA_UDATA 0x80040000ULL
#define GPA_SDATA 0x80041000ULL
#define GPA_XONLY 0x80042000ULL
#define GPA_UCODE 0x80043000ULL
#define GPA_SCODE 0x80044000ULL
#define GPA_HOLE 0x80050000ULL   /* not mapped at the G-stage */
#define GPA_GXONLY 0x80051000ULL /* execute-only at the G-stage */

/* Guest virtual layout (VS-stage). */
#define VA_U 0x00400000ULL       /* U, RW */
#define VA_S 0x00401000ULL       /* S, RW */
#define VA_X 0x00402000ULL       /* S, X only */
#define VA_HOLE 0x00403000ULL    /* maps to GPA_HOLE */
#define VA_GX 0x00404000ULL      /* S, R; GPA execute-only at the G-stage */
#define VA_UCODE 0x00405000ULL   /* U, RWX */
#define VA_NONE 0x00406000ULL    /* not mapped */
#define VA_SCODE 0x00407000ULL   /* S, RWX */
#define VA_VSTRAP (VA_SCODE + 0x100) /* j .: vstvec of the paged rig */

#define SV39 ((uint64_t)SATP_MODE_SV39 << SATP_MODE_SHIFT)
#define SV39X4 ((uint64_t)HGATP_MODE_SV39X4 << SATP_MODE_SHIFT)

enum { A0 = 10, A1 = 11, A2 = 12 };

typedef struct Rig {
    Bus bus;
    VClock clock;
    uint8_t *ram;
    RvCore core;
    RvHart hart;
    RvHart *hart_ptr;
} Rig;

static Rig *rig_new(bool h_ext)
{
    Rig *r = calloc(1, sizeof(*r));
    r->ram = calloc(1, RAM_SIZE);
    r->bus = (Bus){ .clock = &r->clock };
    bus_map_ram(&r->bus, "ram", RAM_BASE, RAM_SIZE, r->ram);
    r->hart_ptr = &r->hart;
    rv_core_init(&r->core, &r->bus, &r->clock, 1, &r->hart_ptr);
    r->core.has_sstc = true;
    r->core.has_h = h_ext;
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
        fprintf(stderr, "read of %s (0x%03x) at priv %u V=%d refused\n", rv_csr_name(csr), csr,
                h->priv, h->virt);
    CHECK_EQ(st, RV_NEXT);
    return v;
}

static void wr(RvHart *h, unsigned csr, uint64_t v)
{
    RvStatus st = rv_csr_write(h, csr, v);
    if (st != RV_NEXT)
        fprintf(stderr, "write of %s (0x%03x) at priv %u V=%d refused\n", rv_csr_name(csr),
                csr, h->priv, h->virt);
    CHECK_EQ(st, RV_NEXT);
}

/* The cause a refused read raises, or ~0 if the read went through. */
static uint64_t read_cause(RvHart *h, unsigned csr)
{
    uint64_t v;
    if (rv_csr_read(h, csr, &v) == RV_NEXT)
        return ~0ULL;
    return h->exc.cause;
}

static uint64_t write_cause(RvHart *h, unsigned csr, uint64_t v)
{
    if (rv_csr_write(h, csr, v) == RV_NEXT)
        return ~0ULL;
    return h->exc.cause;
}

static void set_mode(RvHart *h, unsigned priv, bool virt)
{
    h->priv = priv;
    h->virt = virt;
    rv_update_mmu_idx(h);
}

/* --- misa.H is the machine's choice --- */

static void test_h_absent(void)
{
    Rig *r = rig_new(false);
    RvHart *h = &r->hart;
    CHECK_EQ(rd(h, CSR_MISA) & MISA_H, 0);
    CHECK_EQ(read_cause(h, CSR_HSTATUS), EXC_ILLEGAL_INSN);
    CHECK_EQ(read_cause(h, CSR_VSSTATUS), EXC_ILLEGAL_INSN);
    CHECK_EQ(read_cause(h, CSR_MTVAL2), EXC_ILLEGAL_INSN);
    CHECK_EQ(rd(h, CSR_MIDELEG), 0);
    wr(h, CSR_MSTATUS, MSTATUS_MPV | MSTATUS_GVA);
    CHECK_EQ(rd(h, CSR_MSTATUS) & (MSTATUS_MPV | MSTATUS_GVA), 0);
    wr(h, CSR_MEDELEG, ~0ULL);
    CHECK_EQ(rd(h, CSR_MEDELEG), 0xb3ff);
    /* The H encodings decode only for a hart with H. */
    RvInsn i;
    rv_decode_for(0x68004073 | A0 << 7 | A1 << 15, &i, false);
    CHECK_EQ(i.op, RV_OP_ILLEGAL);
    rv_decode_for(0x68004073 | A0 << 7 | A1 << 15, &i, true);
    CHECK_EQ(i.op, RV_OP_hlv_w);
    rv_decode_for(0x62000073, &i, false);
    CHECK_EQ(i.op, RV_OP_ILLEGAL);
    rv_decode_for(0x62000073, &i, true);
    CHECK_EQ(i.op, RV_OP_hfence_gvma);
    rig_free(r);

    r = rig_new(true);
    h = &r->hart;
    CHECK_EQ(rd(h, CSR_MISA) & MISA_H, MISA_H);
    /* 8.4.2: VS-level and guest external interrupts always delegated past M. */
    CHECK_EQ(rd(h, CSR_MIDELEG), HIP_MASK);
    wr(h, CSR_MIDELEG, 0);
    CHECK_EQ(rd(h, CSR_MIDELEG), HIP_MASK);
    wr(h, CSR_MEDELEG, ~0ULL);
    CHECK_EQ(rd(h, CSR_MEDELEG), 0xb7ffULL | 0xfULL << 20);
    rig_free(r);
}

/* --- the hypervisor CSRs as registers --- */

static void test_hcsr_fields(void)
{
    Rig *r = rig_new(true);
    RvHart *h = &r->hart;
    /* hstatus: VSXL reads 64 whatever is written; VSBE is zero; VGEIN holds 0..GEILEN. */
    CHECK_EQ(rd(h, CSR_HSTATUS), 2ULL << 32);
    wr(h, CSR_HSTATUS, ~0ULL & ~HSTATUS_VGEIN);
    CHECK_EQ(rd(h, CSR_HSTATUS), 2ULL << 32 | HSTATUS_GVA | HSTATUS_SPV | HSTATUS_SPVP |
                                     HSTATUS_HU | HSTATUS_VTVM | HSTATUS_VTW | HSTATUS_VTSR);
    wr(h, CSR_HSTATUS, (uint64_t)RV_GEILEN << HSTATUS_VGEIN_SHIFT);
    CHECK_EQ(rd(h, CSR_HSTATUS) & HSTATUS_VGEIN, (uint64_t)RV_GEILEN << HSTATUS_VGEIN_SHIFT);
    wr(h, CSR_HSTATUS, 0x3fULL << HSTATUS_VGEIN_SHIFT);
    CHECK_EQ(rd(h, CSR_HSTATUS) & HSTATUS_VGEIN, (uint64_t)RV_GEILEN << HSTATUS_VGEIN_SHIFT);
    /* hedeleg: bits 0-8, 12, 13, 15; never ecalls from HS/VS/M, guest-page faults or
     * virtual instructions. hideleg: the VS-level interrupts only. */
    wr(h, CSR_HEDELEG, ~0ULL);
    CHECK_EQ(rd(h, CSR_HEDELEG), 0xb1ff);
    wr(h, CSR_HIDELEG, ~0ULL);
    CHECK_EQ(rd(h, CSR_HIDELEG), VSIP_MASK);
    /* hgatp: WARL MODE (an unsupported one leaves hgatp as it was); VMID 14 bits; PPN[1:0]
     * zero; Bare keeps only the VMID (Linux's KVM probes the VMID width that way). */
    uint64_t g = SV39X4 | 0x3fffULL << HGATP_VMID_SHIFT | 0x80013;
    wr(h, CSR_HGATP, g | 3ULL << 58);
    CHECK_EQ(rd(h, CSR_HGATP), SV39X4 | 0x3fffULL << HGATP_VMID_SHIFT | 0x80010);
    wr(h, CSR_HGATP, (uint64_t)HGATP_MODE_SV48X4 << SATP_MODE_SHIFT | 0x80010);
    CHECK_EQ(rd(h, CSR_HGATP) >> SATP_MODE_SHIFT, HGATP_MODE_SV48X4);
    wr(h, CSR_HGATP, (uint64_t)HGATP_MODE_SV57X4 << SATP_MODE_SHIFT | 0x80010);
    CHECK_EQ(rd(h, CSR_HGATP) >> SATP_MODE_SHIFT, HGATP_MODE_SV57X4);
    uint64_t before = rd(h, CSR_HGATP);
    wr(h, CSR_HGATP, 5ULL << SATP_MODE_SHIFT | 0x80010);
    CHECK_EQ(rd(h, CSR_HGATP), before);
    wr(h, CSR_HGATP, 0x1234);
    CHECK_EQ(rd(h, CSR_HGATP), 0);
    wr(h, CSR_HGATP, 0x3fffULL << HGATP_VMID_SHIFT | 0x1234);
    CHECK_EQ(rd(h, CSR_HGATP), 0x3fffULL << HGATP_VMID_SHIFT);
    wr(h, CSR_HGATP, 0);
    /* vsatp: an unsupported MODE is ignored, as for satp. */
    wr(h, CSR_VSATP, SV39 | 0x123);
    wr(h, CSR_VSATP, 3ULL << SATP_MODE_SHIFT | 0x456);
    CHECK_EQ(rd(h, CSR_VSATP), SV39 | 0x123);
    /* vsstatus: the sstatus fields; UXL 64; SD follows FS. */
    wr(h, CSR_VSSTATUS, ~0ULL);
    CHECK_EQ(rd(h, CSR_VSSTATUS), MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS |
                                      MSTATUS_SUM | MSTATUS_MXR | 2ULL << 32 | MSTATUS_SD);
    /* mstatus gains MPV and GVA. */
    wr(h, CSR_MSTATUS, MSTATUS_MPV | MSTATUS_GVA);
    CHECK_EQ(rd(h, CSR_MSTATUS) & (MSTATUS_MPV | MSTATUS_GVA), MSTATUS_MPV | MSTATUS_GVA);
    /* htval/htinst/mtval2/mtinst hold what is written. */
    wr(h, CSR_HTVAL, 0x1234);
    wr(h, CSR_MTINST, 0x3000);
    CHECK_EQ(rd(h, CSR_HTVAL), 0x1234);
    CHECK_EQ(rd(h, CSR_MTINST), 0x3000);
    /* henvcfg.STCE reads zero while menvcfg.STCE is clear. */
    wr(h, CSR_HENVCFG, HENVCFG_STCE | MENVCFG_CBZE);
    CHECK_EQ(rd(h, CSR_HENVCFG), MENVCFG_CBZE);
    wr(h, CSR_MENVCFG, MENVCFG_STCE);
    CHECK_EQ(rd(h, CSR_HENVCFG), HENVCFG_STCE | MENVCFG_CBZE);
    rig_free(r);
}

/* hvip, hip, hie, mip, mie, vsip, vsie, hgeip/hgeie (8.2.3, 8.2.4, 8.2.12). */
static void test_hinterrupt_regs(void)
{
    Rig *r = rig_new(true);
    RvHart *h = &r->hart;
    wr(h, CSR_HVIP, ~0ULL);
    CHECK_EQ(rd(h, CSR_HVIP), VSIP_MASK);
    CHECK_EQ(rd(h, CSR_HIP), VSIP_MASK);
    CHECK_EQ(rd(h, CSR_MIP) & HIP_MASK, VSIP_MASK);
    /* Only VSSIP is writable in hip (and mip); it is hvip.VSSIP. */
    wr(h, CSR_HIP, 0);
    CHECK_EQ(rd(h, CSR_HVIP), MIP_VSTIP | MIP_VSEIP);
    wr(h, CSR_MIP, MIP_VSSIP);
    CHECK_EQ(rd(h, CSR_HVIP), VSIP_MASK);
    /* sip never shows the VS bits; vsip shows the delegated ones one place down. */
    CHECK_EQ(rd(h, CSR_SIP) & HIP_MASK, 0);
    CHECK_EQ(rd(h, CSR_VSIP), 0);
    wr(h, CSR_HIDELEG, MIP_VSTIP | MIP_VSSIP);
    CHECK_EQ(rd(h, CSR_VSIP), MIP_STIP | MIP_SSIP);
    wr(h, CSR_VSIP, 0);
    CHECK_EQ(rd(h, CSR_HVIP), MIP_VSTIP | MIP_VSEIP);
    /* hie is the H bits of mie; vsie the delegated ones. */
    wr(h, CSR_HIE, ~0ULL);
    CHECK_EQ(rd(h, CSR_HIE), HIP_MASK);
    CHECK_EQ(rd(h, CSR_MIE), HIP_MASK);
    CHECK_EQ(rd(h, CSR_SIE), 0);
    CHECK_EQ(rd(h, CSR_VSIE), MIP_STIP | MIP_SSIP);
    wr(h, CSR_VSIE, 0);
    CHECK_EQ(rd(h, CSR_HIE), MIP_VSEIP | MIP_SGEIP);
    /* Guest external lines: SGEIP = hgeip & hgeie; VSEIP from the line VGEIN selects. */
    wr(h, CSR_HVIP, 0);
    CHECK_EQ(rd(h, CSR_HGEIE), 0);
    wr(h, CSR_HGEIE, ~0ULL);
    CHECK_EQ(rd(h, CSR_HGEIE), RV_HGEI_MASK);
    rv_hart_set_guest_irq(h, 3, true);
    CHECK_EQ(rd(h, CSR_HGEIP), 1ULL << 3);
    CHECK_EQ(rd(h, CSR_HIP), MIP_SGEIP);
    wr(h, CSR_HSTATUS, 3ULL << HSTATUS_VGEIN_SHIFT);
    CHECK_EQ(rd(h, CSR_HIP), MIP_SGEIP | MIP_VSEIP);
    wr(h, CSR_HGEIE, 1ULL << 2);
    CHECK_EQ(rd(h, CSR_HIP), MIP_VSEIP);
    rv_hart_set_guest_irq(h, 3, false);
    CHECK_EQ(rd(h, CSR_HIP), 0);
    /* hgeip is read-only, even for M-mode. */
    CHECK_EQ(write_cause(h, CSR_HGEIP, 0), EXC_ILLEGAL_INSN);
    rig_free(r);
}

/* --- V=1: the S CSR numbers reach the VS copies --- */

static void test_vs_alias(void)
{
    Rig *r = rig_new(true);
    RvHart *h = &r->hart;
    static const struct { unsigned s, vs; } pairs[] = {
        { CSR_SSCRATCH, CSR_VSSCRATCH }, { CSR_SEPC, CSR_VSEPC }, { CSR_SCAUSE, CSR_VSCAUSE },
        { CSR_STVAL, CSR_VSTVAL }, { CSR_STVEC, CSR_VSTVEC }, { CSR_SATP, CSR_VSATP },
    };
    for (unsigned k = 0; k < ARRAY_SIZE(pairs); k++) {
        uint64_t hs_val = pairs[k].s == CSR_SATP ? SV39 | 0x111 : 0x1000 + 4 * k;
        uint64_t vs_val = pairs[k].s == CSR_SATP ? SV39 | 0x222 : 0x2000 + 4 * k;
        set_mode(h, RV_PRIV_M, false);
        wr(h, pairs[k].s, hs_val);
        wr(h, pairs[k].vs, vs_val);
        set_mode(h, RV_PRIV_S, true);
        CHECK_EQ(rd(h, pairs[k].s), vs_val);
        wr(h, pairs[k].s, vs_val + 0x100);
        set_mode(h, RV_PRIV_S, false);
        CHECK_EQ(rd(h, pairs[k].s), hs_val);
        CHECK_EQ(rd(h, pairs[k].vs), vs_val + 0x100);
    }
    /* sstatus is vsstatus: HS-level mstatus untouched. */
    set_mode(h, RV_PRIV_M, false);
    wr(h, CSR_MSTATUS, MSTATUS_SIE | MSTATUS_FS_INITIAL);
    wr(h, CSR_VSSTATUS, MSTATUS_SPP | MSTATUS_FS_DIRTY);
    set_mode(h, RV_PRIV_S, true);
    CHECK_EQ(rd(h, CSR_SSTATUS), MSTATUS_SPP | MSTATUS_FS_DIRTY | MSTATUS_SD | 2ULL << 32);
    wr(h, CSR_SSTATUS, MSTATUS_SUM | MSTATUS_FS_INITIAL);
    CHECK_EQ(h->mmu_idx_data, RV_MMU_VS_SUM);
    set_mode(h, RV_PRIV_M, false);
    CHECK_EQ(rd(h, CSR_MSTATUS) & (MSTATUS_SIE | MSTATUS_SUM | MSTATUS_FS),
             MSTATUS_SIE | MSTATUS_FS_INITIAL);
    CHECK_EQ(rd(h, CSR_VSSTATUS) & (MSTATUS_SUM | MSTATUS_FS), MSTATUS_SUM | MSTATUS_FS_INITIAL);
    /* sip/sie reach vsip/vsie. */
    wr(h, CSR_HIDELEG, VSIP_MASK);
    wr(h, CSR_HVIP, MIP_VSTIP);
    set_mode(h, RV_PRIV_S, true);
    CHECK_EQ(rd(h, CSR_SIP), MIP_STIP);
    wr(h, CSR_SIE, MIP_SEIP);
    CHECK_EQ(h->mie, MIP_VSEIP);
    /* FP state: both FS fields are in effect; Off in either is illegal (never virtual). */
    set_mode(h, RV_PRIV_M, false);
    wr(h, CSR_MSTATUS, MSTATUS_FS_INITIAL);
    wr(h, CSR_VSSTATUS, 0);
    set_mode(h, RV_PRIV_S, true);
    CHECK_EQ(read_cause(h, CSR_FCSR), EXC_ILLEGAL_INSN);
    h->vsstatus = MSTATUS_FS_INITIAL;
    wr(h, CSR_FCSR, 1);
    CHECK_EQ(h->vsstatus & MSTATUS_FS, MSTATUS_FS_DIRTY);
    CHECK_EQ(h->mstatus & MSTATUS_FS, MSTATUS_FS_DIRTY);
    /* scounteren and senvcfg have no VS copy. */
    wr(h, CSR_SCOUNTEREN, 5);
    CHECK_EQ(h->scounteren, 5);
    rig_free(r);
}

/* --- 8.6.1: where a virtual-instruction exception is raised --- */

static void test_virtual_csr(void)
{
    Rig *r = rig_new(true);
    RvHart *h = &r->hart;
    /* VS-mode: hypervisor and VS CSRs by their own numbers: virtual; M CSRs: illegal. */
    set_mode(h, RV_PRIV_S, true);
    CHECK_EQ(read_cause(h, CSR_HSTATUS), EXC_VIRTUAL_INSN);
    CHECK_EQ(write_cause(h, CSR_HGATP, 0), EXC_VIRTUAL_INSN);
    CHECK_EQ(read_cause(h, CSR_VSSTATUS), EXC_VIRTUAL_INSN);
    CHECK_EQ(read_cause(h, CSR_VSATP), EXC_VIRTUAL_INSN);
    CHECK_EQ(read_cause(h, CSR_MSTATUS), EXC_ILLEGAL_INSN);
    CHECK_EQ(read_cause(h, CSR_MTVAL2), EXC_ILLEGAL_INSN);
    /* A write to a read-only CSR is illegal in HS-mode too, so it stays illegal. */
    CHECK_EQ(write_cause(h, CSR_HGEIP, 0), EXC_ILLEGAL_INSN);
    CHECK_EQ(read_cause(h, CSR_HGEIP), EXC_VIRTUAL_INSN);
    CHECK_EQ(read_cause(h, CSR_SSTATUS), ~0ULL);
    /* VU-mode: supervisor CSRs too are virtual; U-mode (V=0): illegal. */
    set_mode(h, RV_PRIV_U, true);
    CHECK_EQ(read_cause(h, CSR_SSTATUS), EXC_VIRTUAL_INSN);
    CHECK_EQ(read_cause(h, CSR_SATP), EXC_VIRTUAL_INSN);
    CHECK_EQ(read_cause(h, CSR_HSTATUS), EXC_VIRTUAL_INSN);
    CHECK_EQ(read_cause(h, CSR_MSTATUS), EXC_ILLEGAL_INSN);
    set_mode(h, RV_PRIV_U, false);
    CHECK_EQ(read_cause(h, CSR_SSTATUS), EXC_ILLEGAL_INSN);
    CHECK_EQ(read_cause(h, CSR_HSTATUS), EXC_ILLEGAL_INSN);
    /* HS-mode reaches them all; with mstatus.TVM, hgatp (not vsatp) is illegal. */
    set_mode(h, RV_PRIV_S, false);
    CHECK_EQ(read_cause(h, CSR_HSTATUS), ~0ULL);
    CHECK_EQ(read_cause(h, CSR_VSATP), ~0ULL);
    h->mstatus |= MSTATUS_TVM;
    CHECK_EQ(read_cause(h, CSR_HGATP), EXC_ILLEGAL_INSN);
    CHECK_EQ(read_cause(h, CSR_VSATP), ~0ULL);
    CHECK_EQ(read_cause(h, CSR_SATP), EXC_ILLEGAL_INSN);
    /* VS-mode: mstatus.TVM does not apply; hstatus.VTVM makes satp virtual. */
    set_mode(h, RV_PRIV_S, true);
    CHECK_EQ(read_cause(h, CSR_SATP), ~0ULL);
    h->hstatus |= HSTATUS_VTVM;
    CHECK_EQ(read_cause(h, CSR_SATP), EXC_VIRTUAL_INSN);
    CHECK_EQ(write_cause(h, CSR_SATP, 0), EXC_VIRTUAL_INSN);
    rig_free(r);
}

static void test_virtual_counters(void)
{
    Rig *r = rig_new(true);
    RvHart *h = &r->hart;
    r->clock.base = 5000 * TICK_NS;
    h->htimedelta = 100;
    /* mcounteren.TM = 0: illegal at V=1, whatever hcounteren says. */
    h->hcounteren = ~0u;
    set_mode(h, RV_PRIV_S, true);
    CHECK_EQ(read_cause(h, CSR_TIME), EXC_ILLEGAL_INSN);
    /* mcounteren.TM = 1, hcounteren.TM = 0: virtual. */
    h->mcounteren = 2;
    h->hcounteren = 0;
    CHECK_EQ(read_cause(h, CSR_TIME), EXC_VIRTUAL_INSN);
    /* Both set: VS time is time + htimedelta; HS time is time. */
    h->hcounteren = 2;
    CHECK_EQ(rd(h, CSR_TIME), 5100);
    set_mode(h, RV_PRIV_S, false);
    CHECK_EQ(rd(h, CSR_TIME), 5000);
    /* VU-mode also needs scounteren: virtual without it. */
    set_mode(h, RV_PRIV_U, true);
    CHECK_EQ(read_cause(h, CSR_TIME), EXC_VIRTUAL_INSN);
    h->scounteren = 2;
    CHECK_EQ(rd(h, CSR_TIME), 5100);
    /* Sstc: stimecmp in VS-mode is vstimecmp; henvcfg.STCE = 0 makes it virtual. */
    set_mode(h, RV_PRIV_M, false);
    wr(h, CSR_MENVCFG, MENVCFG_STCE);
    set_mode(h, RV_PRIV_S, true);
    CHECK_EQ(read_cause(h, CSR_STIMECMP), EXC_VIRTUAL_INSN);
    set_mode(h, RV_PRIV_M, false);
    wr(h, CSR_HENVCFG, HENVCFG_STCE);
    set_mode(h, RV_PRIV_S, true);
    wr(h, CSR_STIMECMP, 5100);
    CHECK_EQ(h->vstimecmp, 5100);
    CHECK_EQ(h->stimecmp, ~0ULL);
    /* time + htimedelta >= vstimecmp: VSTIP. */
    CHECK_EQ(h->mip & MIP_VSTIP, MIP_VSTIP);
    wr(h, CSR_STIMECMP, 5101);
    CHECK_EQ(h->mip & MIP_VSTIP, 0);
    CHECK_EQ(vclock_next_deadline(&r->clock), 5001 * TICK_NS);
    r->clock.base = 5001 * TICK_NS;
    vclock_run_timers(&r->clock, r->clock.base);
    CHECK_EQ(h->mip & MIP_VSTIP, MIP_VSTIP);
    rig_free(r);
}

/* --- traps: HS vs VS vs M delivery (8.6.2) --- */

static Rig *trap_rig(void)
{
    Rig *r = rig_new(true);
    RvHart *h = &r->hart;
    h->mtvec = TRAP_M;
    h->stvec = TRAP_S;
    h->vstvec = TRAP_VS;
    h->pc = 0x1000;
    return r;
}

static void test_trap_delegation(void)
{
    Rig *r = trap_rig();
    RvHart *h = &r->hart;
    wr(h, CSR_MEDELEG, 1ULL << EXC_LOAD_PAGE_FAULT | 1ULL << EXC_ECALL_U |
                           1ULL << EXC_LOAD_GUEST_PAGE_FAULT | 1ULL << EXC_VIRTUAL_INSN |
                           1ULL << EXC_BREAKPOINT);
    wr(h, CSR_HEDELEG, 1ULL << EXC_LOAD_PAGE_FAULT | 1ULL << EXC_BREAKPOINT);

    /* VS-mode load page fault, delegated twice: to VS-mode. */
    set_mode(h, RV_PRIV_S, true);
    h->vsstatus = MSTATUS_SIE;
    rv_raise(h, EXC_LOAD_PAGE_FAULT, 0x5000);
    rv_take_exception(h);
    CHECK(h->virt && h->priv == RV_PRIV_S);
    CHECK_EQ(h->pc, TRAP_VS);
    CHECK_EQ(h->vsepc, 0x1000);
    CHECK_EQ(h->vscause, EXC_LOAD_PAGE_FAULT);
    CHECK_EQ(h->vstval, 0x5000);
    CHECK_EQ(h->vsstatus & (MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE), MSTATUS_SPP | MSTATUS_SPIE);
    CHECK_EQ(h->scause, 0);
    CHECK_EQ(h->hstatus & HSTATUS_SPV, 0);
    CHECK_EQ(h->mmu_idx_fetch, RV_MMU_VS);

    /* VU-mode ecall: delegated by medeleg only: to HS-mode, SPV=1, SPVP=0. */
    h->pc = 0x2000;
    h->hstatus |= HSTATUS_SPVP;
    set_mode(h, RV_PRIV_U, true);
    rv_raise(h, EXC_ECALL_U, 0);
    rv_take_exception(h);
    CHECK(!h->virt && h->priv == RV_PRIV_S);
    CHECK_EQ(h->pc, TRAP_S);
    CHECK_EQ(h->sepc, 0x2000);
    CHECK_EQ(h->scause, EXC_ECALL_U);
    CHECK_EQ(h->hstatus & (HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_GVA), HSTATUS_SPV);
    CHECK_EQ(h->mstatus & MSTATUS_SPP, 0);
    CHECK_EQ(h->mmu_idx_fetch, RV_MMU_S);

    /* A guest-page fault from VS-mode: HS-mode (hedeleg cannot hold bit 21), htval,
     * htinst, GVA=1, SPVP=1. */
    h->pc = 0x3000;
    set_mode(h, RV_PRIV_S, true);
    h->exc = (RvException){ .cause = EXC_LOAD_GUEST_PAGE_FAULT, .tval = 0x6004,
                            .tval2 = 0x80050004ULL >> 2, .tinst = 0x2503 };
    rv_take_exception(h);
    CHECK(!h->virt && h->priv == RV_PRIV_S);
    CHECK_EQ(h->scause, EXC_LOAD_GUEST_PAGE_FAULT);
    CHECK_EQ(h->stval, 0x6004);
    CHECK_EQ(h->htval, 0x80050004ULL >> 2);
    CHECK_EQ(h->htinst, 0x2503);
    CHECK_EQ(h->hstatus & (HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_GVA),
             HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_GVA);
    CHECK_EQ(h->mstatus & MSTATUS_SPP, MSTATUS_SPP);

    /* HS-mode trap: SPV=0, SPVP left as it was, GVA=0 for an illegal instruction... */
    set_mode(h, RV_PRIV_M, false);
    wr(h, CSR_MEDELEG, rd(h, CSR_MEDELEG) | 1ULL << EXC_ILLEGAL_INSN);
    set_mode(h, RV_PRIV_S, false);
    rv_raise(h, EXC_ILLEGAL_INSN, 0x13);
    rv_take_exception(h);
    CHECK_EQ(h->hstatus & (HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_GVA), HSTATUS_SPVP);
    CHECK_EQ(h->htval, 0);
    CHECK_EQ(h->htinst, 0);

    /* ...and a virtual instruction from VS-mode: HS-mode, GVA=0. */
    set_mode(h, RV_PRIV_S, true);
    rv_raise(h, EXC_VIRTUAL_INSN, 0x10500073);
    rv_take_exception(h);
    CHECK(!h->virt);
    CHECK_EQ(h->scause, EXC_VIRTUAL_INSN);
    CHECK_EQ(h->stval, 0x10500073);
    CHECK_EQ(h->hstatus & HSTATUS_GVA, 0);

    /* Not delegated: M-mode with MPV, MPP, GVA, mtval2, mtinst. */
    set_mode(h, RV_PRIV_M, false);
    wr(h, CSR_MEDELEG, 0);
    h->pc = 0x4000;
    set_mode(h, RV_PRIV_U, true);
    h->exc = (RvException){ .cause = EXC_STORE_GUEST_PAGE_FAULT, .tval = 0x7000,
                            .tval2 = 0x1234, .tinst = 0x3020, .tinst_fixed = true };
    rv_take_exception(h);
    CHECK(!h->virt && h->priv == RV_PRIV_M);
    CHECK_EQ(h->pc, TRAP_M);
    CHECK_EQ(h->mcause, EXC_STORE_GUEST_PAGE_FAULT);
    CHECK_EQ(h->mtval2, 0x1234);
    CHECK_EQ(h->mtinst, 0x3020);
    CHECK_EQ(h->mstatus & (MSTATUS_MPV | MSTATUS_GVA | MSTATUS_MPP),
             MSTATUS_MPV | MSTATUS_GVA);
    /* From M-mode: MPV=0, GVA=0. */
    rv_raise(h, EXC_ECALL_M, 0);
    rv_take_exception(h);
    CHECK_EQ(h->mstatus & (MSTATUS_MPV | MSTATUS_GVA), 0);
    CHECK_EQ(h->mtval2, 0);
    /* A breakpoint delegated to VS from VU: vsstatus.SPP = 0. */
    set_mode(h, RV_PRIV_M, false);
    wr(h, CSR_MEDELEG, 1ULL << EXC_BREAKPOINT);
    set_mode(h, RV_PRIV_U, true);
    h->vsstatus = MSTATUS_SPP;
    rv_raise(h, EXC_BREAKPOINT, 0x4000);
    rv_take_exception(h);
    CHECK(h->virt && h->priv == RV_PRIV_S);
    CHECK_EQ(h->vscause, EXC_BREAKPOINT);
    CHECK_EQ(h->vsstatus & MSTATUS_SPP, 0);
    rig_free(r);
}

/* Interrupts: VS-level ones via hideleg to VS-mode as S-level causes; enables by level;
 * priority SEI, SSI, STI, SGEI, VSEI, VSSI, VSTI. */
static void test_interrupt_delivery(void)
{
    Rig *r = trap_rig();
    RvHart *h = &r->hart;
    wr(h, CSR_MIE, ~0ULL);
    wr(h, CSR_HVIP, MIP_VSTIP);
    /* Not delegated by hideleg: to HS-mode from VS-mode, even with sstatus.SIE = 0. */
    set_mode(h, RV_PRIV_S, true);
    CHECK(rv_check_interrupts(h));
    CHECK(!h->virt && h->priv == RV_PRIV_S);
    CHECK_EQ(h->scause, CAUSE_INTERRUPT | IRQ_VS_TIMER);
    CHECK_EQ(h->hstatus & HSTATUS_SPV, HSTATUS_SPV);
    /* In HS-mode with SIE clear: nothing; in M-mode: nothing (delegated past M). */
    CHECK(!rv_check_interrupts(h));
    set_mode(h, RV_PRIV_M, false);
    h->mstatus |= MSTATUS_MIE;
    CHECK(!rv_check_interrupts(h));
    /* Delegated by hideleg: to VS-mode as a supervisor timer interrupt, vectored. */
    set_mode(h, RV_PRIV_M, false);
    wr(h, CSR_HIDELEG, VSIP_MASK);
    h->vstvec = TRAP_VS | 1;
    h->pc = 0x5000;
    set_mode(h, RV_PRIV_S, true);
    h->vsstatus = 0;
    CHECK(!rv_check_interrupts(h)); /* vsstatus.SIE = 0 in VS-mode */
    set_mode(h, RV_PRIV_U, true);
    CHECK(rv_check_interrupts(h)); /* always enabled in VU-mode */
    CHECK(h->virt && h->priv == RV_PRIV_S);
    CHECK_EQ(h->vscause, CAUSE_INTERRUPT | IRQ_S_TIMER);
    CHECK_EQ(h->pc, TRAP_VS + 4 * IRQ_S_TIMER);
    CHECK_EQ(h->vsepc, 0x5000);
    /* VS-level interrupts never fire with V=0 (U-mode included). */
    set_mode(h, RV_PRIV_U, false);
    CHECK(!rv_check_interrupts(h));
    /* Priority: an HS-level SSIP beats a VS-level one; SGEI beats VSEI. */
    set_mode(h, RV_PRIV_M, false);
    wr(h, CSR_HIDELEG, 0);
    wr(h, CSR_MIDELEG, MIP_SSIP);
    wr(h, CSR_HVIP, MIP_VSEIP | MIP_VSSIP);
    h->mip_sw |= MIP_SSIP;
    rv_update_mip(h);
    set_mode(h, RV_PRIV_S, true);
    CHECK(rv_check_interrupts(h));
    CHECK_EQ(h->scause, CAUSE_INTERRUPT | IRQ_S_SOFT);
    h->mip_sw &= ~MIP_SSIP;
    set_mode(h, RV_PRIV_M, false);
    wr(h, CSR_HGEIE, 1ULL << 1);
    rv_hart_set_guest_irq(h, 1, true);
    set_mode(h, RV_PRIV_S, true);
    CHECK(rv_check_interrupts(h));
    CHECK_EQ(h->scause, CAUSE_INTERRUPT | IRQ_S_GEXT);
    rv_hart_set_guest_irq(h, 1, false);
    set_mode(h, RV_PRIV_S, true);
    CHECK(rv_check_interrupts(h));
    CHECK_EQ(h->scause, CAUSE_INTERRUPT | IRQ_VS_EXT);
    rig_free(r);
}

/* --- a hart running real code --- */

/* Stores to RAM behind the hart's back: drop translated code there as a store would. */
static void put32(Rig *r, uint64_t pa, uint32_t v)
{
    st_le(r->ram + (pa - RAM_BASE), 4, v);
    rv_code_written(&r->core, pa, 4);
}

static uint32_t get32(Rig *r, uint64_t pa)
{
    return (uint32_t)ld_le(r->ram + (pa - RAM_BASE), 4);
}

static void put_pte(Rig *r, uint64_t table, unsigned index, uint64_t pa, uint64_t flags)
{
    st_le(r->ram + (table + 8 * index - RAM_BASE), 8, (pa >> 12) << PTE_PPN_SHIFT | flags);
}

#define LEAF (PTE_V | PTE_A | PTE_D)

/* G-stage (Sv39x4): the first 2 MiB of RAM identity-mapped for U, but GPA_HOLE missing
 * and GPA_GXONLY execute-only. VS-stage (Sv39, tables at GPAs): the VA_ pages. */
static Rig *paged_rig(void)
{
    Rig *r = trap_rig();
    RvHart *h = &r->hart;
    for (unsigned k = 0; k < 3; k++)
        put32(r, TRAP_M + 16 * k, 0x0000006f); /* j . */
    put_pte(r, G_ROOT, 2, G_L1, PTE_V);
    put_pte(r, G_L1, 0, G_L0, PTE_V);
    for (unsigned n = 0; n < 512; n++)
        put_pte(r, G_L0, n, RAM_BASE + 4096ULL * n, LEAF | PTE_U | PTE_R | PTE_W | PTE_X);
    put_pte(r, G_L0, (unsigned)((GPA_HOLE - RAM_BASE) >> 12), 0, 0);
    put_pte(r, G_L0, (unsigned)((GPA_GXONLY - RAM_BASE) >> 12), GPA_GXONLY,
            LEAF | PTE_U | PTE_X);
    put_pte(r, VS_ROOT, 0, VS_L1, PTE_V);
    put_pte(r, VS_L1, 2, VS_L0, PTE_V);
    put_pte(r, VS_L0, 0, GPA_UDATA, LEAF | PTE_U | PTE_R | PTE_W);
    put_pte(r, VS_L0, 1, GPA_SDATA, LEAF | PTE_R | PTE_W);
    put_pte(r, VS_L0, 2, GPA_XONLY, LEAF | PTE_X);
    put_pte(r, VS_L0, 3, GPA_HOLE, LEAF | PTE_R | PTE_W);
    put_pte(r, VS_L0, 4, GPA_GXONLY, LEAF | PTE_R | PTE_X);
    put_pte(r, VS_L0, 5, GPA_UCODE, LEAF | PTE_U | PTE_R | PTE_W | PTE_X);
    put_pte(r, VS_L0, 7, GPA_SCODE, LEAF | PTE_R | PTE_W | PTE_X);
    put32(r, GPA_UDATA, 0x11111111);
    put32(r, GPA_SDATA, 0x22222222);
    put32(r, GPA_XONLY, 0x33333333);
    put32(r, GPA_GXONLY, 0x44444444);
    wr(h, CSR_HGATP, SV39X4 | 5ULL << HGATP_VMID_SHIFT | G_ROOT >> 12);
    wr(h, CSR_VSATP, SV39 | VS_ROOT >> 12);
    put32(r, GPA_SCODE + 0x100, 0x0000006f);
    h->vstvec = VA_VSTRAP;
    return r;
}

/* Runs the one instruction `insn` at CODE (followed by j .) in the hart's current mode,
 * with a1 = addr and a2 = 0x5a5a5a5a; returns true if it retired (pc at the j). */
static bool run_one(Rig *r, uint32_t insn, uint64_t addr)
{
    RvHart *h = &r->hart;
    put32(r, CODE, insn);
    put32(r, CODE + 4, 0x0000006f);
    rv_code_written(&r->core, CODE, 8);
    h->x[A0] = 0xdead;
    h->x[A1] = addr;
    h->x[A2] = 0x5a5a5a5a;
    h->pc = CODE;
    h->exc = (RvException){ 0 };
    rv_hart_run(h, 4);
    return h->pc == CODE + 4;
}

#define HLV_W (0x68004073u | A0 << 7 | A1 << 15)
#define HLV_BU (0x60104073u | A0 << 7 | A1 << 15)
#define HLVX_WU (0x68304073u | A0 << 7 | A1 << 15)
#define HSV_W (0x6a004073u | A1 << 15 | A2 << 20)
#define LW_A0_A1 (0x00002003u | A0 << 7 | A1 << 15)

static void test_hlv_hsv(void)
{
    Rig *r = paged_rig();
    RvHart *h = &r->hart;
    wr(h, CSR_MEDELEG, 1ULL << EXC_LOAD_PAGE_FAULT | 1ULL << EXC_STORE_PAGE_FAULT |
                           1ULL << EXC_ILLEGAL_INSN | 1ULL << EXC_LOAD_GUEST_PAGE_FAULT |
                           1ULL << EXC_VIRTUAL_INSN);
    /* HS-mode, SPVP=1: as VS-mode. S pages yes; U pages only with vsstatus.SUM (the
     * HS-level SUM does not count). */
    set_mode(h, RV_PRIV_S, false);
    h->hstatus |= HSTATUS_SPVP;
    CHECK(run_one(r, HLV_W, VA_S));
    CHECK_EQ(h->x[A0], 0x22222222);
    h->mstatus |= MSTATUS_SUM;
    CHECK(!run_one(r, HLV_W, VA_U));
    CHECK_EQ(h->pc, TRAP_S);
    CHECK_EQ(h->scause, EXC_LOAD_PAGE_FAULT);
    CHECK_EQ(h->stval, VA_U);
    /* GVA=1 though SPV=0; htinst is the transformed HLV (rs1 field zero). */
    CHECK_EQ(h->hstatus & (HSTATUS_GVA | HSTATUS_SPV), HSTATUS_GVA);
    CHECK_EQ(h->htinst, HLV_W & ~0xf8000u);
    CHECK_EQ(h->htval, 0);
    set_mode(h, RV_PRIV_S, false);
    h->vsstatus |= MSTATUS_SUM;
    rv_tlb_flush(h);
    CHECK(run_one(r, HLV_W, VA_U));
    CHECK_EQ(h->x[A0], 0x11111111);
    /* SPVP=0: as VU-mode: U pages yes, S pages no. */
    h->hstatus &= ~HSTATUS_SPVP;
    CHECK(run_one(r, HLV_BU, VA_U + 1));
    CHECK_EQ(h->x[A0], 0x11);
    CHECK(!run_one(r, HLV_W, VA_S));
    CHECK_EQ(h->scause, EXC_LOAD_PAGE_FAULT);
    /* HSV as VU into the U page. */
    set_mode(h, RV_PRIV_S, false);
    CHECK(run_one(r, HSV_W, VA_U + 8));
    CHECK_EQ(get32(r, GPA_UDATA + 8), 0x5a5a5a5a);
    /* U-mode: illegal unless hstatus.HU. */
    set_mode(h, RV_PRIV_U, false);
    CHECK(!run_one(r, HLV_W, VA_U));
    CHECK_EQ(h->scause, EXC_ILLEGAL_INSN);
    CHECK_EQ(h->stval, HLV_W);
    h->hstatus |= HSTATUS_HU;
    set_mode(h, RV_PRIV_U, false);
    CHECK(run_one(r, HLV_W, VA_U));
    CHECK_EQ(h->x[A0], 0x11111111);
    /* With V=1: a virtual instruction, even with HU. */
    set_mode(h, RV_PRIV_S, true);
    h->vsstatus = 0;
    rv_tlb_flush(h);
    put32(r, GPA_SCODE, HLV_W);
    h->pc = VA_SCODE;
    rv_hart_run(h, 2);
    CHECK_EQ(h->scause, EXC_VIRTUAL_INSN);
    CHECK_EQ(h->stval, HLV_W);
    CHECK_EQ(h->sepc, VA_SCODE);
    rig_free(r);
}

/* MXR and HLVX across the two stages (8.3.1, 8.5). */
static void test_hlv_mxr_hlvx(void)
{
    Rig *r = paged_rig();
    RvHart *h = &r->hart;
    wr(h, CSR_MEDELEG, 1ULL << EXC_LOAD_PAGE_FAULT | 1ULL << EXC_LOAD_GUEST_PAGE_FAULT);
    set_mode(h, RV_PRIV_S, false);
    h->hstatus |= HSTATUS_SPVP;
    /* VS-stage execute-only: a page fault; vsstatus.MXR or sstatus.MXR lets it read. */
    CHECK(!run_one(r, HLV_W, VA_X));
    CHECK_EQ(h->scause, EXC_LOAD_PAGE_FAULT);
    set_mode(h, RV_PRIV_S, false);
    wr(h, CSR_VSSTATUS, MSTATUS_MXR);
    CHECK(run_one(r, HLV_W, VA_X));
    CHECK_EQ(h->x[A0], 0x33333333);
    /* G-stage execute-only: vsstatus.MXR does not reach it: a guest-page fault with htval;
     * the HS-level MXR does. */
    CHECK(!run_one(r, HLV_W, VA_GX));
    CHECK_EQ(h->scause, EXC_LOAD_GUEST_PAGE_FAULT);
    CHECK_EQ(h->stval, VA_GX);
    CHECK_EQ(h->htval, GPA_GXONLY >> 2);
    CHECK_EQ(h->htinst, HLV_W & ~0xf8000u);
    set_mode(h, RV_PRIV_S, false);
    wr(h, CSR_VSSTATUS, 0);
    wr(h, CSR_SSTATUS, MSTATUS_MXR);
    CHECK(run_one(r, HLV_W, VA_GX));
    CHECK_EQ(h->x[A0], 0x44444444);
    CHECK(run_one(r, HLV_W, VA_X));
    wr(h, CSR_SSTATUS, 0);
    /* HLVX: execute permission instead of read, at both stages; no MXR needed. */
    CHECK(run_one(r, HLVX_WU, VA_X));
    CHECK_EQ(h->x[A0], 0x33333333);
    CHECK(run_one(r, HLVX_WU, VA_GX));
    CHECK_EQ(h->x[A0], 0x44444444);
    CHECK(!run_one(r, HLVX_WU, VA_S));
    CHECK_EQ(h->scause, EXC_LOAD_PAGE_FAULT);
    rig_free(r);
}

/* V=1 execution: fetch and loads through both stages; a G-stage fault goes to HS-mode
 * with htval and the transformed instruction; a fault on a VS-stage PTE access with the
 * walker's pseudoinstruction; SFENCE.VMA in VS-mode and VTVM. */
static void test_guest_faults(void)
{
    Rig *r = paged_rig();
    RvHart *h = &r->hart;
    wr(h, CSR_MEDELEG, 1ULL << EXC_LOAD_GUEST_PAGE_FAULT | 1ULL << EXC_LOAD_PAGE_FAULT |
                           1ULL << EXC_VIRTUAL_INSN);
    wr(h, CSR_HEDELEG, 1ULL << EXC_LOAD_PAGE_FAULT);
    put32(r, GPA_SCODE, LW_A0_A1);
    put32(r, GPA_SCODE + 4, 0x0000006f);
    /* A plain load in VS-mode. */
    set_mode(h, RV_PRIV_S, true);
    h->x[A1] = VA_S;
    h->pc = VA_SCODE;
    rv_hart_run(h, 4);
    CHECK_EQ(h->x[A0], 0x22222222);
    CHECK_EQ(h->pc, VA_SCODE + 4);
    /* GPA not mapped: guest-page fault to HS-mode. */
    set_mode(h, RV_PRIV_S, true);
    h->x[A1] = VA_HOLE + 8;
    h->pc = VA_SCODE;
    rv_hart_run(h, 4);
    CHECK(!h->virt);
    CHECK_EQ(h->pc, TRAP_S);
    CHECK_EQ(h->scause, EXC_LOAD_GUEST_PAGE_FAULT);
    CHECK_EQ(h->stval, VA_HOLE + 8);
    CHECK_EQ(h->htval, (GPA_HOLE + 8) >> 2);
    CHECK_EQ(h->htinst, 0x00002003u | A0 << 7);
    CHECK_EQ(h->hstatus & (HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_GVA),
             HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_GVA);
    /* A VS-stage page fault: delegated on to the guest. */
    set_mode(h, RV_PRIV_S, true);
    h->x[A1] = VA_NONE;
    h->pc = VA_SCODE;
    rv_hart_run(h, 4);
    CHECK(h->virt);
    CHECK_EQ(h->pc, VA_VSTRAP);
    CHECK_EQ(h->vscause, EXC_LOAD_PAGE_FAULT);
    CHECK_EQ(h->vstval, VA_NONE);
    CHECK_EQ(h->vsepc, VA_SCODE);
    /* The VS root table at an unmapped GPA: the implicit PTE read faults, with the
     * pseudoinstruction for a 64-bit read and the PTE's GPA. The fetch itself faults
     * first, so run the load through HLV from HS-mode instead. */
    set_mode(h, RV_PRIV_S, false);
    h->hstatus |= HSTATUS_SPVP;
    wr(h, CSR_VSATP, SV39 | GPA_HOLE >> 12);
    CHECK(!run_one(r, HLV_W, VA_S));
    CHECK_EQ(h->scause, EXC_LOAD_GUEST_PAGE_FAULT);
    CHECK_EQ(h->stval, VA_S);
    CHECK_EQ(h->htval, GPA_HOLE >> 2); /* VPN[2] of VA_S is 0 */
    CHECK_EQ(h->htinst, 0x00003000);
    /* The same, not delegated: mtval2 and mtinst. */
    set_mode(h, RV_PRIV_M, false);
    wr(h, CSR_MEDELEG, 0);
    set_mode(h, RV_PRIV_S, false);
    CHECK(!run_one(r, HLV_W, VA_S));
    CHECK_EQ(h->pc, TRAP_M);
    CHECK_EQ(h->mcause, EXC_LOAD_GUEST_PAGE_FAULT);
    CHECK_EQ(h->mtval2, GPA_HOLE >> 2);
    CHECK_EQ(h->mtinst, 0x00003000);
    CHECK_EQ(h->mstatus & (MSTATUS_MPV | MSTATUS_GVA), MSTATUS_GVA);
    rig_free(r);
}

/* The soft TLB keeps the V=1 contexts apart and SFENCE.VMA in VS-mode flushes them. */
static void test_vs_tlb(void)
{
    Rig *r = paged_rig();
    RvHart *h = &r->hart;
    wr(h, CSR_MEDELEG, 1ULL << EXC_VIRTUAL_INSN);
    put32(r, GPA_SCODE, 0x12000073); /* sfence.vma */
    put32(r, GPA_SCODE + 4, 0x0000006f);
    set_mode(h, RV_PRIV_S, true);
    uint64_t v = 0;
    CHECK_EQ(rv_load_slow(h, VA_S, 4, &v, RV_MMU_VS), RV_NEXT);
    CHECK_EQ(v, 0x22222222);
    /* Remap VA_S to the U data page behind the guest's back: the cached translation
     * stays until the guest's SFENCE.VMA. */
    put_pte(r, VS_L0, 1, GPA_UDATA, LEAF | PTE_R | PTE_W);
    CHECK_EQ(rv_load_slow(h, VA_S, 4, &v, RV_MMU_VS), RV_NEXT);
    CHECK_EQ(v, 0x22222222);
    h->pc = VA_SCODE;
    rv_hart_run(h, 1);
    CHECK_EQ(h->pc, VA_SCODE + 4);
    CHECK_EQ(rv_load_slow(h, VA_S, 4, &v, RV_MMU_VS), RV_NEXT);
    CHECK_EQ(v, 0x11111111);
    /* An HS-level satp write leaves the V=1 contexts alone... */
    put_pte(r, VS_L0, 1, GPA_SDATA, LEAF | PTE_R | PTE_W);
    set_mode(h, RV_PRIV_S, false);
    wr(h, CSR_SATP, 0);
    CHECK_EQ(rv_load_slow(h, VA_S, 4, &v, RV_MMU_VS), RV_NEXT);
    CHECK_EQ(v, 0x11111111);
    /* ...HFENCE.VVMA drops them. */
    CHECK(run_one(r, 0x22000073, 0));
    CHECK_EQ(rv_load_slow(h, VA_S, 4, &v, RV_MMU_VS), RV_NEXT);
    CHECK_EQ(v, 0x22222222);
    /* VTVM: SFENCE.VMA in VS-mode is a virtual instruction. */
    h->hstatus |= HSTATUS_VTVM;
    set_mode(h, RV_PRIV_S, true);
    h->pc = VA_SCODE;
    rv_hart_run(h, 2);
    CHECK_EQ(h->scause, EXC_VIRTUAL_INSN);
    CHECK_EQ(h->stval, 0x12000073);
    rig_free(r);
}

/* --- SRET, MRET, WFI and the fences with V (8.6.4, 8.6.1) --- */

#define SRET 0x10200073u
#define MRET 0x30200073u
#define WFI 0x10500073u

static void test_xret(void)
{
    Rig *r = paged_rig();
    RvHart *h = &r->hart;
    wr(h, CSR_MEDELEG, 1ULL << EXC_VIRTUAL_INSN | 1ULL << EXC_ILLEGAL_INSN);
    /* HS-mode SRET with SPV=1, SPP=1: into VS-mode at sepc, SPV cleared. */
    set_mode(h, RV_PRIV_S, false);
    h->hstatus |= HSTATUS_SPV;
    h->mstatus |= MSTATUS_SPP | MSTATUS_SPIE;
    h->sepc = VA_SCODE;
    put32(r, GPA_SCODE, 0x0000006f);
    run_one(r, SRET, 0);
    CHECK(h->virt && h->priv == RV_PRIV_S);
    CHECK_EQ(h->pc, VA_SCODE);
    CHECK_EQ(h->hstatus & HSTATUS_SPV, 0);
    CHECK_EQ(h->mstatus & (MSTATUS_SPP | MSTATUS_SIE), MSTATUS_SIE);
    CHECK_EQ(h->mmu_idx_fetch, RV_MMU_VS);
    /* VS-mode SRET: pops vsstatus, to VU at vsepc; V stays 1. */
    put32(r, GPA_SCODE + 8, SRET);
    put32(r, GPA_UCODE, 0x0000006f);
    h->vsstatus = MSTATUS_SPIE;
    h->vsepc = VA_UCODE;
    h->pc = VA_SCODE + 8;
    rv_hart_run(h, 1);
    CHECK(h->virt && h->priv == RV_PRIV_U);
    CHECK_EQ(h->pc, VA_UCODE);
    CHECK_EQ(h->vsstatus & (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP), MSTATUS_SIE | MSTATUS_SPIE);
    /* SRET in VU-mode, and in VS-mode with VTSR: virtual instructions. */
    put32(r, GPA_UCODE, SRET);
    h->pc = VA_UCODE;
    rv_hart_run(h, 1);
    CHECK_EQ(h->scause, EXC_VIRTUAL_INSN);
    CHECK_EQ(h->hstatus & (HSTATUS_SPV | HSTATUS_SPVP), HSTATUS_SPV);
    h->hstatus |= HSTATUS_VTSR;
    set_mode(h, RV_PRIV_S, true);
    h->pc = VA_SCODE + 8;
    rv_hart_run(h, 1);
    CHECK_EQ(h->scause, EXC_VIRTUAL_INSN);
    CHECK_EQ(h->sepc, VA_SCODE + 8);
    /* MRET with MPV=1, MPP=0: into VU-mode; MPV cleared. MPP=3 ignores MPV. */
    set_mode(h, RV_PRIV_M, false);
    h->mstatus = (h->mstatus & ~MSTATUS_MPP) | MSTATUS_MPV | MSTATUS_MPRV;
    h->mepc = VA_UCODE;
    put32(r, GPA_UCODE, 0x0000006f);
    run_one(r, MRET, 0);
    CHECK(h->virt && h->priv == RV_PRIV_U);
    CHECK_EQ(h->pc, VA_UCODE);
    CHECK_EQ(h->mstatus & (MSTATUS_MPV | MSTATUS_MPRV), 0);
    set_mode(h, RV_PRIV_M, false);
    h->mstatus |= MSTATUS_MPV | MSTATUS_MPP;
    h->mepc = CODE + 4;
    run_one(r, MRET, 0);
    CHECK(!h->virt && h->priv == RV_PRIV_M);
    CHECK_EQ(h->mstatus & MSTATUS_MPV, 0);
    /* MPRV with MPV=1: loads go through the V=1 context. */
    h->mstatus |= MSTATUS_MPRV | MSTATUS_MPV | 1ULL << MSTATUS_MPP_SHIFT;
    rv_update_mmu_idx(h);
    CHECK_EQ(h->mmu_idx_data, RV_MMU_VS);
    CHECK_EQ(h->mmu_idx_fetch, RV_MMU_M);
    h->mstatus &= ~MSTATUS_MPRV;
    rig_free(r);
}

static void test_wfi_fences(void)
{
    Rig *r = paged_rig();
    RvHart *h = &r->hart;
    wr(h, CSR_MEDELEG, 1ULL << EXC_VIRTUAL_INSN | 1ULL << EXC_ILLEGAL_INSN);
    put32(r, GPA_SCODE, WFI);
    put32(r, GPA_SCODE + 4, 0x0000006f);
    put32(r, GPA_UCODE, WFI);
    put32(r, GPA_UCODE + 4, 0x0000006f);
    struct { unsigned priv; bool virt; uint64_t mstatus, hstatus, cause; } wfi[] = {
        { RV_PRIV_S, true, 0, HSTATUS_VTW, EXC_VIRTUAL_INSN },
        { RV_PRIV_S, true, MSTATUS_TW, HSTATUS_VTW, EXC_ILLEGAL_INSN },
        { RV_PRIV_U, true, 0, 0, EXC_VIRTUAL_INSN },
        { RV_PRIV_U, true, MSTATUS_TW, 0, EXC_ILLEGAL_INSN },
        { RV_PRIV_S, true, 0, 0, 0 },
    };
    for (unsigned k = 0; k < ARRAY_SIZE(wfi); k++) {
        h->mstatus = (h->mstatus & ~MSTATUS_TW) | wfi[k].mstatus;
        h->hstatus = (h->hstatus & ~HSTATUS_VTW) | wfi[k].hstatus;
        set_mode(h, wfi[k].priv, wfi[k].virt);
        h->scause = 0;
        h->wfi = false;
        h->pc = wfi[k].priv == RV_PRIV_U ? VA_UCODE : VA_SCODE;
        rv_hart_run(h, 1);
        CHECK_EQ(h->scause, wfi[k].cause);
        CHECK_EQ(h->wfi, wfi[k].cause == 0);
    }
    h->wfi = false;
    h->mstatus &= ~MSTATUS_TW;
    /* HFENCE.GVMA: virtual at V=1, illegal in U-mode and in HS-mode with TVM. */
    static const uint32_t hfences[] = { 0x22000073, 0x62000073 };
    for (unsigned k = 0; k < 2; k++) {
        put32(r, GPA_SCODE, hfences[k]);
        rv_code_written(&r->core, GPA_SCODE, 4);
        set_mode(h, RV_PRIV_S, true);
        h->pc = VA_SCODE;
        rv_hart_run(h, 1);
        CHECK_EQ(h->scause, EXC_VIRTUAL_INSN);
        set_mode(h, RV_PRIV_U, false);
        CHECK(!run_one(r, hfences[k], 0));
        CHECK_EQ(h->scause, EXC_ILLEGAL_INSN);
        set_mode(h, RV_PRIV_S, false);
        h->mstatus |= MSTATUS_TVM;
        h->scause = 0;
        CHECK_EQ(run_one(r, hfences[k], 0), k == 0);
        CHECK_EQ(h->scause, k == 0 ? 0 : EXC_ILLEGAL_INSN);
        h->mstatus &= ~MSTATUS_TVM;
    }
    /* ECALL from VS-mode: cause 10. */
    put32(r, GPA_SCODE, 0x00000073);
    rv_code_written(&r->core, GPA_SCODE, 4);
    set_mode(h, RV_PRIV_S, true);
    h->pc = VA_SCODE;
    rv_hart_run(h, 1);
    CHECK_EQ(h->mcause, EXC_ECALL_VS);
    CHECK_EQ(h->mstatus & MSTATUS_MPV, MSTATUS_MPV);
    rig_free(r);
}

/* --- the soft TLB tagged by VMID and ASID (8.3.2, 4.2.1) --- */

/* A second guest: its G-stage (Sv39x4) maps the first 2 MiB of RAM like the first one's,
 * except GPA_SDATA and GPA_SCODE, which land on pages of its own. */
#define G2_ROOT 0x80018000ULL   /* 16 KiB, 16 KiB aligned */
#define G2_L1 0x8001c000ULL
#define G2_L0 0x8001d000ULL
#define PA2_SDATA 0x80060000ULL
#define PA2_SCODE 0x80061000ULL
#define PA3_SDATA 0x80062000ULL
#define VMID(n) ((uint64_t)(n) << HGATP_VMID_SHIFT)
#define ASID(n) ((uint64_t)(n) << SATP_ASID_SHIFT)
#define GUEST1 (SV39X4 | VMID(5) | G_ROOT >> 12)
#define GUEST2 (SV39X4 | VMID(6) | G2_ROOT >> 12)
#define CODE_OFF 0x200          /* addi a0, x0, n; j . in each guest's code page */
#define SFENCE_A1_A2 (0x12000073u | A2 << 20 | A1 << 15)
#define SFENCE_X0_A1 (0x12000073u | A1 << 20)
#define HFENCE_VVMA_X0_A1 (0x22000073u | A1 << 20)
#define HFENCE_GVMA_X0_A1 (0x62000073u | A1 << 20)

static Rig *two_guest_rig(void)
{
    Rig *r = paged_rig();
    put_pte(r, G2_ROOT, 2, G2_L1, PTE_V);
    put_pte(r, G2_L1, 0, G2_L0, PTE_V);
    for (unsigned n = 0; n < 512; n++)
        put_pte(r, G2_L0, n, RAM_BASE + 4096ULL * n, LEAF | PTE_U | PTE_R | PTE_W | PTE_X);
    put_pte(r, G2_L0, (unsigned)((GPA_SDATA - RAM_BASE) >> 12), PA2_SDATA,
            LEAF | PTE_U | PTE_R | PTE_W);
    put_pte(r, G2_L0, (unsigned)((GPA_SCODE - RAM_BASE) >> 12), PA2_SCODE,
            LEAF | PTE_U | PTE_R | PTE_X);
    put32(r, PA2_SDATA, 0x66666666);
    put32(r, PA3_SDATA, 0x77777777);
    put32(r, GPA_SCODE + CODE_OFF, 1u << 20 | 0x513);     /* addi a0, x0, 1 */
    put32(r, GPA_SCODE + CODE_OFF + 4, 0x0000006f);
    put32(r, PA2_SCODE + CODE_OFF, 2u << 20 | 0x513);     /* addi a0, x0, 2 */
    put32(r, PA2_SCODE + CODE_OFF + 4, 0x0000006f);
    set_mode(&r->hart, RV_PRIV_S, false);
    return r;
}

/* A V=1 load of VA_S as VS-mode; *walked says whether the soft TLB had to walk. */
static uint32_t vs_load(RvHart *h, uint64_t va, bool *walked)
{
    uint64_t v = 0, walks = h->tlb_walks;
    CHECK_EQ(rv_load_slow(h, va, 4, &v, RV_MMU_VS), RV_NEXT);
    *walked = h->tlb_walks != walks;
    return (uint32_t)v;
}

static void test_vmid_banks(void)
{
    Rig *r = two_guest_rig();
    RvHart *h = &r->hart;
    bool walked;
    wr(h, CSR_HGATP, GUEST1);
    CHECK_EQ(vs_load(h, VA_S, &walked), 0x22222222);
    CHECK(walked);
    wr(h, CSR_HGATP, GUEST2);
    CHECK_EQ(vs_load(h, VA_S, &walked), 0x66666666);
    CHECK(walked);
    /* Switching back and forth without fences: each guest keeps its own entries. */
    for (unsigned k = 0; k < 8; k++) {
        wr(h, CSR_HGATP, k & 1 ? GUEST2 : GUEST1);
        CHECK_EQ(vs_load(h, VA_S, &walked), k & 1 ? 0x66666666 : 0x22222222);
        CHECK(!walked);
    }
    /* Each guest runs its own code at the same guest virtual address, though the jump
     * cache is keyed by virtual pc. */
    for (unsigned k = 0; k < 6; k++) {
        set_mode(h, RV_PRIV_S, false);
        wr(h, CSR_HGATP, k & 1 ? GUEST2 : GUEST1);
        set_mode(h, RV_PRIV_S, true);
        h->pc = VA_SCODE + CODE_OFF;
        h->x[A0] = 0;
        rv_hart_run(h, 3);
        CHECK_EQ(h->x[A0], k & 1 ? 2 : 1);
        CHECK_EQ(h->pc, VA_SCODE + CODE_OFF + 4);
    }
    set_mode(h, RV_PRIV_S, false);
    /* HFENCE.GVMA with rs2 = VMID 6 leaves VMID 5's entries. */
    wr(h, CSR_HGATP, GUEST1);
    CHECK(run_one(r, HFENCE_GVMA_X0_A1, 6));
    CHECK_EQ(vs_load(h, VA_S, &walked), 0x22222222);
    CHECK(!walked);
    wr(h, CSR_HGATP, GUEST2);
    CHECK_EQ(vs_load(h, VA_S, &walked), 0x66666666);
    CHECK(walked);
    /* A changed G-stage leaf: the old mapping until HFENCE.GVMA for its VMID, then the
     * new one. */
    put_pte(r, G2_L0, (unsigned)((GPA_SDATA - RAM_BASE) >> 12), PA3_SDATA,
            LEAF | PTE_U | PTE_R | PTE_W);
    CHECK_EQ(vs_load(h, VA_S, &walked), 0x66666666);
    CHECK(run_one(r, HFENCE_GVMA_X0_A1, 5));
    CHECK_EQ(vs_load(h, VA_S, &walked), 0x66666666);
    CHECK(run_one(r, HFENCE_GVMA_X0_A1, 6));
    CHECK_EQ(vs_load(h, VA_S, &walked), 0x77777777);
    CHECK(walked);
    /* rs2 = x0: every VMID. */
    wr(h, CSR_HGATP, GUEST1);
    CHECK(run_one(r, 0x62000073u, 0));
    CHECK_EQ(vs_load(h, VA_S, &walked), 0x22222222);
    CHECK(walked);
    /* More address spaces than banks: the least recently used goes, and comes back by a
     * walk with the right data. */
    for (unsigned n = 1; n <= RV_TLB_BANKS_SIDE + 1; n++) {
        wr(h, CSR_VSATP, SV39 | ASID(n) | VS_ROOT >> 12);
        CHECK_EQ(vs_load(h, VA_S, &walked), 0x22222222);
        CHECK(walked);
    }
    wr(h, CSR_VSATP, SV39 | ASID(RV_TLB_BANKS_SIDE + 1) | VS_ROOT >> 12);
    CHECK_EQ(vs_load(h, VA_S, &walked), 0x22222222);
    CHECK(!walked);
    wr(h, CSR_VSATP, SV39 | ASID(1) | VS_ROOT >> 12);
    CHECK_EQ(vs_load(h, VA_S, &walked), 0x22222222);
    CHECK(walked);
    rig_free(r);
}

/* HFENCE.VVMA (and SFENCE.VMA with V=1) with rs2 = ASID: that guest ASID of the current
 * VMID only. */
static void test_vvma_asid(void)
{
    Rig *r = two_guest_rig();
    RvHart *h = &r->hart;
    bool walked;
    wr(h, CSR_HGATP, GUEST1);
    for (unsigned n = 1; n <= 2; n++) {
        wr(h, CSR_VSATP, SV39 | ASID(n) | VS_ROOT >> 12);
        CHECK_EQ(vs_load(h, VA_S, &walked), 0x22222222);
    }
    wr(h, CSR_HGATP, GUEST2);
    wr(h, CSR_VSATP, SV39 | ASID(2) | VS_ROOT >> 12);
    CHECK_EQ(vs_load(h, VA_S, &walked), 0x66666666);
    /* The guest remaps VA_S to its U data page. */
    put_pte(r, VS_L0, 1, GPA_UDATA, LEAF | PTE_R | PTE_W);
    /* HFENCE.VVMA of ASID 2 under VMID 6: VMID 5's ASID 2 keeps the old mapping... */
    CHECK(run_one(r, HFENCE_VVMA_X0_A1, 2));
    CHECK_EQ(vs_load(h, VA_S, &walked), 0x11111111);
    CHECK(walked);
    wr(h, CSR_HGATP, GUEST1);
    CHECK_EQ(vs_load(h, VA_S, &walked), 0x22222222);
    CHECK(!walked);
    /* ...until one under VMID 5, which leaves ASID 1 alone. */
    CHECK(run_one(r, HFENCE_VVMA_X0_A1, 2));
    CHECK_EQ(vs_load(h, VA_S, &walked), 0x11111111);
    CHECK(walked);
    wr(h, CSR_VSATP, SV39 | ASID(1) | VS_ROOT >> 12);
    CHECK_EQ(vs_load(h, VA_S, &walked), 0x22222222);
    CHECK(!walked);
    /* The guest's own SFENCE.VMA by address and ASID 1. */
    put32(r, GPA_SCODE + CODE_OFF, SFENCE_A1_A2);
    set_mode(h, RV_PRIV_S, true);
    h->pc = VA_SCODE + CODE_OFF;
    h->x[A1] = VA_S;
    h->x[A2] = 1;
    rv_hart_run(h, 1);
    CHECK_EQ(h->pc, VA_SCODE + CODE_OFF + 4);
    CHECK_EQ(vs_load(h, VA_S, &walked), 0x11111111);
    CHECK(walked);
    rig_free(r);
}

/* SFENCE.VMA at V=0 with rs2 = ASID: that ASID's bank only; rs1 alone: every bank. The
 * VS-stage tables serve as HS-level tables here (the G-stage is an identity on them). */
static void test_sfence_asid(void)
{
    Rig *r = two_guest_rig();
    RvHart *h = &r->hart;
    uint64_t v, walks;
    for (unsigned n = 1; n <= 2; n++) {
        wr(h, CSR_SATP, SV39 | ASID(n) | VS_ROOT >> 12);
        CHECK_EQ(rv_load_slow(h, VA_S, 4, &v, RV_MMU_S), RV_NEXT);
        CHECK_EQ(v, 0x22222222);
    }
    CHECK_EQ(rd(h, CSR_SATP), SV39 | ASID(2) | VS_ROOT >> 12); /* ASIDLEN = 16 */
    put_pte(r, VS_L0, 1, GPA_UDATA, LEAF | PTE_R | PTE_W);
    set_mode(h, RV_PRIV_M, false); /* the fences run from M-mode, which is Bare */
    CHECK(run_one(r, SFENCE_X0_A1, 2));
    CHECK_EQ(rv_load_slow(h, VA_S, 4, &v, RV_MMU_S), RV_NEXT);
    CHECK_EQ(v, 0x11111111);
    wr(h, CSR_SATP, SV39 | ASID(1) | VS_ROOT >> 12);
    walks = h->tlb_walks;
    CHECK_EQ(rv_load_slow(h, VA_S, 4, &v, RV_MMU_S), RV_NEXT);
    CHECK_EQ(v, 0x22222222);
    CHECK_EQ(h->tlb_walks, walks);
    /* By address with rs2 = x0: every ASID, global mappings included. */
    put_pte(r, VS_L0, 1, GPA_SDATA, LEAF | PTE_R | PTE_W | PTE_G);
    CHECK(run_one(r, 0x12000073u | A1 << 15, VA_S));
    CHECK_EQ(rv_load_slow(h, VA_S, 4, &v, RV_MMU_S), RV_NEXT);
    CHECK_EQ(v, 0x22222222);
    wr(h, CSR_SATP, SV39 | ASID(2) | VS_ROOT >> 12);
    CHECK_EQ(rv_load_slow(h, VA_S, 4, &v, RV_MMU_S), RV_NEXT);
    CHECK_EQ(v, 0x22222222);
    /* The host's fences leave the guests' translations. */
    wr(h, CSR_HGATP, GUEST2);
    bool walked;
    CHECK_EQ(vs_load(h, VA_S, &walked), 0x66666666);
    CHECK(run_one(r, 0x12000073u, 0));
    CHECK_EQ(vs_load(h, VA_S, &walked), 0x66666666);
    CHECK(!walked);
    rig_free(r);
}

int main(void)
{
    test_h_absent();
    test_hcsr_fields();
    test_hinterrupt_regs();
    test_vs_alias();
    test_virtual_csr();
    test_virtual_counters();
    test_trap_delegation();
    test_interrupt_delivery();
    test_hlv_hsv();
    test_hlv_mxr_hlvx();
    test_guest_faults();
    test_vs_tlb();
    test_xret();
    test_wfi_fences();
    test_vmid_banks();
    test_vvma_asid();
    test_sfence_asid();
    return unit_summary("test_h");
}
