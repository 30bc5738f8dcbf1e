/* cpu/riscv/rv_csr.c: the control and status registers of the hart (Volume II, chapter 2
 * "Control and Status Registers", with the register definitions of chapters 3 and 4, the
 * hypervisor CSRs of chapter 8, the Sstc extension and Zicntr/Zihpm of Volume I). One
 * table row per register: name, read, write, the VS CSR that stands in for it while V=1,
 * and whether it exists only with H; the privilege and read-only rules come from the CSR
 * number (section 2.1, with 8.6.1 for the virtual-instruction cases). */
#include "cpu/riscv/rv_decode.h"

typedef RvStatus (*CsrRead)(RvHart *h, unsigned csr, uint64_t *val);
typedef RvStatus (*CsrWrite)(RvHart *h, unsigned csr, uint64_t val);

typedef struct RvCsrDesc {
    const char *name;
    CsrRead read;
    CsrWrite write;   /* NULL: writes are ignored (WARL fields fixed at their value) */
    uint16_t vs;      /* with V=1 an access reaches this VS CSR instead (8.2) */
    bool hyp;         /* exists only when misa.H is set */
} RvCsrDesc;

static RvStatus illegal(RvHart *h)
{
    return rv_raise(h, EXC_ILLEGAL_INSN, 0);
}

static RvStatus virtual_insn(RvHart *h)
{
    return rv_raise(h, EXC_VIRTUAL_INSN, 0);
}

static bool has_h(const RvHart *h)
{
    return (h->misa & MISA_H) != 0;
}

/* --- floating point (Volume I, 11.2) --- */
static RvStatus rd_fflags(RvHart *h, unsigned c, uint64_t *v)
{
    if (rv_fs_off(h))
        return illegal(h);
    *v = c == CSR_FFLAGS ? h->fflags : c == CSR_FRM ? h->frm : (h->frm << 5 | h->fflags);
    return RV_NEXT;
}
static RvStatus wr_fflags(RvHart *h, unsigned c, uint64_t v)
{
    if (rv_fs_off(h))
        return illegal(h);
    if (c == CSR_FFLAGS)
        h->fflags = v & 0x1f;
    else if (c == CSR_FRM)
        h->frm = v & 7;
    else {
        h->fflags = v & 0x1f;
        h->frm = (v >> 5) & 7;
    }
    rv_fs_dirty(h);
    return RV_NEXT;
}

/* --- counters (Volume I, chapter 10 "Zicntr"/"Zihpm"; Volume II, 3.1.10-3.1.12) --- */
/* mcounteren gates S and U (illegal); with V=1 hcounteren gates VS and VU, and
 * scounteren VU, as virtual-instruction exceptions (8.2.6, 8.6.1). */
static RvStatus counter_check(RvHart *h, unsigned bit)
{
    if (h->priv == RV_PRIV_M)
        return RV_NEXT;
    if (!((h->mcounteren >> bit) & 1))
        return illegal(h);
    bool s_ok = h->priv != RV_PRIV_U || ((h->scounteren >> bit) & 1);
    if (h->virt)
        return ((h->hcounteren >> bit) & 1) && s_ok ? RV_NEXT : virtual_insn(h);
    return s_ok ? RV_NEXT : illegal(h);
}

static uint64_t retired_now(const RvHart *h)
{
    return h->retired;
}

static RvStatus rd_counter(RvHart *h, unsigned c, uint64_t *v)
{
    unsigned n = c & 31;
    if (counter_check(h, n) != RV_NEXT)
        return RV_TRAP;
    switch (n) {
    case 0: *v = retired_now(h) + h->mcycle_offset; break;
    case 1: *v = rv_hart_time(h) + (h->virt ? h->htimedelta : 0); break; /* 8.2.7 */
    case 2: *v = retired_now(h) + h->minstret_offset; break;
    default: *v = 0; break;
    }
    return RV_NEXT;
}

static RvStatus rd_mcounter(RvHart *h, unsigned c, uint64_t *v)
{
    unsigned n = c & 31;
    *v = n == 0 ? retired_now(h) + h->mcycle_offset : n == 2 ? retired_now(h) + h->minstret_offset : 0;
    return RV_NEXT;
}
static RvStatus wr_mcounter(RvHart *h, unsigned c, uint64_t v)
{
    unsigned n = c & 31;
    if (n == 0)
        h->mcycle_offset = v - retired_now(h);
    else if (n == 2)
        h->minstret_offset = v - retired_now(h);
    return RV_NEXT;
}

/* --- status --- */
static uint64_t status_sd(uint64_t s)
{
    bool dirty = (s & MSTATUS_FS) == MSTATUS_FS || (s & MSTATUS_XS) == MSTATUS_XS ||
                 (s & MSTATUS_VS) == MSTATUS_VS;
    return dirty ? s | MSTATUS_SD : s & ~MSTATUS_SD;
}

static void set_mstatus(RvHart *h, uint64_t val, uint64_t mask)
{
    uint64_t old = h->mstatus;
    uint64_t s = (old & ~mask) | (val & mask);
    if (((s & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT) == 2)
        s = (s & ~MSTATUS_MPP) | (old & MSTATUS_MPP);
    s = (s & ~(MSTATUS_UXL | MSTATUS_SXL)) | (2ULL << 32) | (2ULL << 34);
    s &= ~MSTATUS_VS; /* no V extension */
    h->mstatus = status_sd(s);
    if ((old ^ h->mstatus) & MSTATUS_MXR) { /* MXR applies to both stages of V=1 too */
        rv_tlb_flush_side(h, RV_TLB_HOST);
        rv_tlb_flush_side(h, RV_TLB_VIRT);
    }
    rv_update_mmu_idx(h);
}

#define MSTATUS_WRITABLE (MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP | \
                          MSTATUS_MPP | MSTATUS_FS | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | \
                          MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR)
#define SSTATUS_WRITABLE (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM | \
                          MSTATUS_MXR)

static RvStatus rd_mstatus(RvHart *h, unsigned c, uint64_t *v) { *v = h->mstatus; return RV_NEXT; }
static RvStatus wr_mstatus(RvHart *h, unsigned c, uint64_t v)
{
    uint64_t m = MSTATUS_WRITABLE | (has_h(h) ? MSTATUS_MPV | MSTATUS_GVA : 0); /* 8.4.1 */
    set_mstatus(h, v, m);
    return RV_NEXT;
}
static RvStatus rd_sstatus(RvHart *h, unsigned c, uint64_t *v) { *v = h->mstatus & SSTATUS_MASK; return RV_NEXT; }
static RvStatus wr_sstatus(RvHart *h, unsigned c, uint64_t v) { set_mstatus(h, v, SSTATUS_WRITABLE); return RV_NEXT; }

/* 8.2.10: vsstatus, sstatus's stand-in while V=1. UXL reads 64; SD sums up vsstatus.FS. */
static RvStatus rd_vsstatus(RvHart *h, unsigned c, uint64_t *v) { *v = h->vsstatus; return RV_NEXT; }
static RvStatus wr_vsstatus(RvHart *h, unsigned c, uint64_t v)
{
    uint64_t old = h->vsstatus;
    uint64_t s = (old & ~SSTATUS_WRITABLE) | (v & SSTATUS_WRITABLE);
    h->vsstatus = status_sd((s & ~MSTATUS_UXL) | (2ULL << 32));
    if ((old ^ h->vsstatus) & MSTATUS_MXR)
        rv_tlb_flush_side(h, RV_TLB_VIRT);
    rv_update_mmu_idx(h);
    return RV_NEXT;
}

/* --- interrupts (3.1.9; 8.2.3 and 8.4.3 for the bits H adds) --- */
static uint64_t mip_writable(const RvHart *h)
{
    uint64_t m = MIP_SSIP | MIP_SEIP;
    if (!(h->menvcfg & MENVCFG_STCE))
        m |= MIP_STIP;
    return m;
}

/* mip.VSSIP (like hip.VSSIP and, when delegated, vsip.SSIP) is hvip.VSSIP. */
static void set_vssip(RvHart *h, uint64_t v)
{
    h->hvip = (h->hvip & ~MIP_VSSIP) | (v & MIP_VSSIP);
    rv_update_mip(h);
}

static RvStatus rd_mip(RvHart *h, unsigned c, uint64_t *v) { *v = h->mip; return RV_NEXT; }
static RvStatus wr_mip(RvHart *h, unsigned c, uint64_t v)
{
    uint64_t m = mip_writable(h);
    h->mip_sw = (h->mip_sw & ~m) | (v & m);
    if (has_h(h))
        set_vssip(h, v);
    rv_update_mip(h);
    return RV_NEXT;
}
static RvStatus rd_mie(RvHart *h, unsigned c, uint64_t *v) { *v = h->mie; return RV_NEXT; }
static RvStatus wr_mie(RvHart *h, unsigned c, uint64_t v)
{
    h->mie = v & (MIP_ALL | (has_h(h) ? HIP_MASK : 0));
    rv_update_mip(h);
    return RV_NEXT;
}
static RvStatus rd_sip(RvHart *h, unsigned c, uint64_t *v) { *v = h->mip & h->mideleg & SIP_MASK; return RV_NEXT; }
static RvStatus wr_sip(RvHart *h, unsigned c, uint64_t v)
{
    uint64_t m = MIP_SSIP & h->mideleg;
    h->mip_sw = (h->mip_sw & ~m) | (v & m);
    rv_update_mip(h);
    return RV_NEXT;
}
static RvStatus rd_sie(RvHart *h, unsigned c, uint64_t *v) { *v = h->mie & h->mideleg & SIP_MASK; return RV_NEXT; }
static RvStatus wr_sie(RvHart *h, unsigned c, uint64_t v)
{
    uint64_t m = h->mideleg & SIP_MASK;
    h->mie = (h->mie & ~m) | (v & m);
    return RV_NEXT;
}

/* --- trap setup and handling --- */
static RvStatus rd_misa(RvHart *h, unsigned c, uint64_t *v) { *v = h->misa; return RV_NEXT; }
static RvStatus rd_medeleg(RvHart *h, unsigned c, uint64_t *v) { *v = h->medeleg; return RV_NEXT; }
static RvStatus wr_medeleg(RvHart *h, unsigned c, uint64_t v)
{
    /* ecall from M-mode cannot be delegated; with H, ecall from VS-mode, the guest-page
     * faults and virtual instructions can (8.6.2) */
    uint64_t m = 0xb3ff;
    if (has_h(h))
        m |= 1ULL << EXC_ECALL_VS | 1ULL << EXC_INSN_GUEST_PAGE_FAULT |
             1ULL << EXC_LOAD_GUEST_PAGE_FAULT | 1ULL << EXC_VIRTUAL_INSN |
             1ULL << EXC_STORE_GUEST_PAGE_FAULT;
    h->medeleg = v & m;
    return RV_NEXT;
}
static RvStatus rd_mideleg(RvHart *h, unsigned c, uint64_t *v) { *v = h->mideleg; return RV_NEXT; }
static RvStatus wr_mideleg(RvHart *h, unsigned c, uint64_t v)
{
    /* 8.4.2: with H, VSSIP, VSTIP, VSEIP and SGEIP are read-only one */
    h->mideleg = (v & SIP_MASK) | (has_h(h) ? HIP_MASK : 0);
    return RV_NEXT;
}

static uint64_t tvec_legal(uint64_t v)
{
    return (v & 3) >= 2 ? v & ~3ULL : v;
}

#define PLAIN_CSR(name, field, wmask)                                                       \
    static RvStatus rd_##name(RvHart *h, unsigned c, uint64_t *v) { *v = h->field; return RV_NEXT; } \
    static RvStatus wr_##name(RvHart *h, unsigned c, uint64_t v)                             \
    {                                                                                       \
        h->field = (h->field & ~(uint64_t)(wmask)) | (v & (uint64_t)(wmask));               \
        return RV_NEXT;                                                                     \
    }
PLAIN_CSR(mscratch, mscratch, ~0ULL)
PLAIN_CSR(mepc, mepc, ~1ULL)
PLAIN_CSR(mcause, mcause, ~0ULL)
PLAIN_CSR(mtval, mtval, ~0ULL)
PLAIN_CSR(sscratch, sscratch, ~0ULL)
PLAIN_CSR(sepc, sepc, ~1ULL)
PLAIN_CSR(scause, scause, ~0ULL)
PLAIN_CSR(stval, stval, ~0ULL)
PLAIN_CSR(mcounteren, mcounteren, 0xffffffffULL)
PLAIN_CSR(scounteren, scounteren, 0xffffffffULL)
PLAIN_CSR(mcountinhibit, mcountinhibit, 0xfffffffdULL)
PLAIN_CSR(senvcfg, senvcfg, MENVCFG_FIOM | MENVCFG_CBIE | MENVCFG_CBCFE | MENVCFG_CBZE)
PLAIN_CSR(mtval2, mtval2, ~0ULL)
PLAIN_CSR(mtinst, mtinst, ~0ULL)
PLAIN_CSR(htval, htval, ~0ULL)
PLAIN_CSR(htinst, htinst, ~0ULL)
PLAIN_CSR(hcounteren, hcounteren, 0xffffffffULL)
PLAIN_CSR(vsscratch, vsscratch, ~0ULL)
PLAIN_CSR(vsepc, vsepc, ~1ULL)
PLAIN_CSR(vscause, vscause, ~0ULL)
PLAIN_CSR(vstval, vstval, ~0ULL)
/* 8.2.2: hedeleg bits 0-8, 12, 13 and 15 are writable; ecalls from HS/VS/M, the
 * guest-page faults and virtual instructions can never be delegated to VS-mode. */
PLAIN_CSR(hedeleg, hedeleg, 0xb1ffULL)

static RvStatus rd_mtvec(RvHart *h, unsigned c, uint64_t *v) { *v = h->mtvec; return RV_NEXT; }
static RvStatus wr_mtvec(RvHart *h, unsigned c, uint64_t v) { h->mtvec = tvec_legal(v); return RV_NEXT; }
static RvStatus rd_stvec(RvHart *h, unsigned c, uint64_t *v) { *v = h->stvec; return RV_NEXT; }
static RvStatus wr_stvec(RvHart *h, unsigned c, uint64_t v) { h->stvec = tvec_legal(v); return RV_NEXT; }
static RvStatus rd_vstvec(RvHart *h, unsigned c, uint64_t *v) { *v = h->vstvec; return RV_NEXT; }
static RvStatus wr_vstvec(RvHart *h, unsigned c, uint64_t v) { h->vstvec = tvec_legal(v); return RV_NEXT; }

static RvStatus rd_menvcfg(RvHart *h, unsigned c, uint64_t *v) { *v = h->menvcfg; return RV_NEXT; }
static RvStatus wr_menvcfg(RvHart *h, unsigned c, uint64_t v)
{
    uint64_t m = MENVCFG_FIOM | MENVCFG_CBIE | MENVCFG_CBCFE | MENVCFG_CBZE;
    if (h->core->has_sstc)
        m |= MENVCFG_STCE;
    h->menvcfg = v & m;
    rv_update_stip(h);
    if (has_h(h))
        rv_update_vstip(h);
    return RV_NEXT;
}

static RvStatus rd_hartid(RvHart *h, unsigned c, uint64_t *v) { *v = h->mhartid; return RV_NEXT; }
static RvStatus rd_zero(RvHart *h, unsigned c, uint64_t *v) { *v = 0; return RV_NEXT; }
static RvStatus wr_ignore(RvHart *h, unsigned c, uint64_t v) { return RV_NEXT; }

/* Sstc (stimecmp): M-mode always; S-mode only with menvcfg.STCE and mcounteren.TM. */
static bool stimecmp_allowed(const RvHart *h)
{
    return h->priv == RV_PRIV_M || ((h->menvcfg & MENVCFG_STCE) && (h->mcounteren & 2));
}

static RvStatus rd_stimecmp(RvHart *h, unsigned c, uint64_t *v)
{
    if (!stimecmp_allowed(h))
        return illegal(h);
    *v = h->stimecmp;
    return RV_NEXT;
}
static RvStatus wr_stimecmp(RvHart *h, unsigned c, uint64_t v)
{
    if (!stimecmp_allowed(h))
        return illegal(h);
    h->stimecmp = v;
    rv_update_stip(h);
    return RV_NEXT;
}

/* Sstc with H: vstimecmp needs what stimecmp needs (illegal otherwise); reached from
 * VS-mode through stimecmp it also needs henvcfg.STCE and hcounteren.TM (a virtual
 * instruction otherwise). */
static RvStatus vstimecmp_check(RvHart *h)
{
    if (!stimecmp_allowed(h))
        return illegal(h);
    if (h->virt && (!(h->henvcfg & HENVCFG_STCE) || !(h->hcounteren & 2)))
        return virtual_insn(h);
    return RV_NEXT;
}

static RvStatus rd_vstimecmp(RvHart *h, unsigned c, uint64_t *v)
{
    if (vstimecmp_check(h) != RV_NEXT)
        return RV_TRAP;
    *v = h->vstimecmp;
    return RV_NEXT;
}
static RvStatus wr_vstimecmp(RvHart *h, unsigned c, uint64_t v)
{
    if (vstimecmp_check(h) != RV_NEXT)
        return RV_TRAP;
    h->vstimecmp = v;
    rv_update_vstip(h);
    return RV_NEXT;
}

/* --- address translation (4.1.11) --- */
static bool satp_mode_ok(unsigned mode)
{
    return mode == SATP_MODE_BARE || mode == SATP_MODE_SV39 || mode == SATP_MODE_SV48 ||
           mode == SATP_MODE_SV57;
}

static RvStatus rd_satp(RvHart *h, unsigned c, uint64_t *v)
{
    if (h->priv == RV_PRIV_S && (h->mstatus & MSTATUS_TVM))
        return illegal(h);
    *v = h->satp;
    return RV_NEXT;
}
/* ASIDLEN is 16: every ASID bit written reads back. A write changes no translation by
 * itself (4.1.11: software fences when an ASID's tables changed), so it only picks the
 * V=0 soft-TLB bank of the new satp at its next use. */
static RvStatus wr_satp(RvHart *h, unsigned c, uint64_t v)
{
    if (h->priv == RV_PRIV_S && (h->mstatus & MSTATUS_TVM))
        return illegal(h);
    unsigned mode = v >> SATP_MODE_SHIFT;
    if (!satp_mode_ok(mode))
        return RV_NEXT; /* unsupported MODE: the whole write has no effect */
    if (mode == SATP_MODE_BARE)
        v = 0;
    h->satp = v;
    rv_tlb_key_changed(h, RV_TLB_HOST);
    return RV_NEXT;
}

/* 8.2.18: vsatp, satp's stand-in while V=1; in VS-mode hstatus.VTVM makes it a virtual
 * instruction. An unsupported MODE: the write is ignored (as for satp). A change picks
 * the V=1 soft-TLB bank of the new (hgatp, vsatp) at its next use. */
static RvStatus rd_vsatp(RvHart *h, unsigned c, uint64_t *v)
{
    if (h->virt && (h->hstatus & HSTATUS_VTVM))
        return virtual_insn(h);
    *v = h->vsatp;
    return RV_NEXT;
}
static RvStatus wr_vsatp(RvHart *h, unsigned c, uint64_t v)
{
    if (h->virt && (h->hstatus & HSTATUS_VTVM))
        return virtual_insn(h);
    unsigned mode = v >> SATP_MODE_SHIFT;
    if (!satp_mode_ok(mode))
        return RV_NEXT;
    if (mode == SATP_MODE_BARE)
        v = 0;
    if (v != h->vsatp) {
        h->vsatp = v;
        rv_tlb_key_changed(h, RV_TLB_VIRT);
    }
    return RV_NEXT;
}

/* 8.2.10: hgatp. HS-mode with mstatus.TVM: illegal. MODE is WARL: Bare, Sv39x4, Sv48x4
 * and Sv57x4 are held and any other value writes Bare; with Bare the other fields are
 * zero; VMID is 14 bits; PPN[1:0] read as zero (16 KiB root). A change picks the V=1
 * soft-TLB bank of the new (hgatp, vsatp) at its next use: banks are tagged by VMID. */
static RvStatus rd_hgatp(RvHart *h, unsigned c, uint64_t *v)
{
    if (h->priv == RV_PRIV_S && (h->mstatus & MSTATUS_TVM))
        return illegal(h);
    *v = h->hgatp;
    return RV_NEXT;
}
static RvStatus wr_hgatp(RvHart *h, unsigned c, uint64_t v)
{
    if (h->priv == RV_PRIV_S && (h->mstatus & MSTATUS_TVM))
        return illegal(h);
    /* MODE is WARL like satp's: an unsupported MODE leaves hgatp as it was. With Bare the
     * VMID field still holds what was written (software probes the VMID width that way:
     * Linux's KVM writes VMID bits with MODE = Bare and reads them back); PPN reads 0. */
    unsigned mode = v >> SATP_MODE_SHIFT;
    if (mode == HGATP_MODE_SV39X4 || mode == HGATP_MODE_SV48X4 || mode == HGATP_MODE_SV57X4)
        v &= (0xfULL << SATP_MODE_SHIFT) | HGATP_VMID_MASK | (SATP_PPN_MASK & ~3ULL);
    else if (mode == 0)
        v &= HGATP_VMID_MASK;
    else
        return RV_NEXT;
    if (v != h->hgatp) {
        h->hgatp = v;
        rv_tlb_key_changed(h, RV_TLB_VIRT);
    }
    return RV_NEXT;
}

/* --- hypervisor status and interrupts (8.2.1-8.2.5, 8.2.11) --- */
#define HSTATUS_WRITABLE (HSTATUS_GVA | HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_HU | \
                          HSTATUS_VTVM | HSTATUS_VTW | HSTATUS_VTSR)

static RvStatus rd_hstatus(RvHart *h, unsigned c, uint64_t *v) { *v = h->hstatus; return RV_NEXT; }
/* VSXL is read-only 64 and VSBE read-only zero; VGEIN (WLRL) keeps its value when the
 * write names a line beyond GEILEN. */
static RvStatus wr_hstatus(RvHart *h, unsigned c, uint64_t v)
{
    uint64_t s = (h->hstatus & ~HSTATUS_WRITABLE) | (v & HSTATUS_WRITABLE);
    uint64_t vgein = (v & HSTATUS_VGEIN) >> HSTATUS_VGEIN_SHIFT;
    if (vgein <= RV_GEILEN)
        s = (s & ~HSTATUS_VGEIN) | (vgein << HSTATUS_VGEIN_SHIFT);
    h->hstatus = (s & ~HSTATUS_VSXL) | (2ULL << 32);
    rv_update_mip(h);
    return RV_NEXT;
}

static RvStatus rd_hideleg(RvHart *h, unsigned c, uint64_t *v) { *v = h->hideleg; return RV_NEXT; }
static RvStatus wr_hideleg(RvHart *h, unsigned c, uint64_t v) { h->hideleg = v & VSIP_MASK; return RV_NEXT; }
static RvStatus rd_hvip(RvHart *h, unsigned c, uint64_t *v) { *v = h->hvip; return RV_NEXT; }
static RvStatus wr_hvip(RvHart *h, unsigned c, uint64_t v)
{
    h->hvip = v & VSIP_MASK;
    rv_update_mip(h);
    return RV_NEXT;
}
/* hip and hie are the VS-level and SGEI bits of mip and mie; only hip.VSSIP is writable. */
static RvStatus rd_hip(RvHart *h, unsigned c, uint64_t *v) { *v = h->mip & HIP_MASK; return RV_NEXT; }
static RvStatus wr_hip(RvHart *h, unsigned c, uint64_t v) { set_vssip(h, v); return RV_NEXT; }
static RvStatus rd_hie(RvHart *h, unsigned c, uint64_t *v) { *v = h->mie & HIP_MASK; return RV_NEXT; }
static RvStatus wr_hie(RvHart *h, unsigned c, uint64_t v)
{
    h->mie = (h->mie & ~HIP_MASK) | (v & HIP_MASK);
    rv_update_mip(h);
    return RV_NEXT;
}
static RvStatus rd_hgeie(RvHart *h, unsigned c, uint64_t *v) { *v = h->hgeie; return RV_NEXT; }
static RvStatus wr_hgeie(RvHart *h, unsigned c, uint64_t v)
{
    h->hgeie = v & RV_HGEI_MASK;
    rv_update_mip(h);
    return RV_NEXT;
}
static RvStatus rd_hgeip(RvHart *h, unsigned c, uint64_t *v) { *v = h->hgeip; return RV_NEXT; }

/* 8.2.12: vsip and vsie show the VS-level bits hideleg delegates, one place down (VSEIP
 * as SEIP, VSTIP as STIP, VSSIP as SSIP); the rest read zero. vsip.SSIP is writable. */
static RvStatus rd_vsip(RvHart *h, unsigned c, uint64_t *v)
{
    *v = (h->mip & h->hideleg & VSIP_MASK) >> 1;
    return RV_NEXT;
}
static RvStatus wr_vsip(RvHart *h, unsigned c, uint64_t v)
{
    if (h->hideleg & MIP_VSSIP)
        set_vssip(h, v << 1);
    return RV_NEXT;
}
static RvStatus rd_vsie(RvHart *h, unsigned c, uint64_t *v)
{
    *v = (h->mie & h->hideleg & VSIP_MASK) >> 1;
    return RV_NEXT;
}
static RvStatus wr_vsie(RvHart *h, unsigned c, uint64_t v)
{
    uint64_t m = h->hideleg & VSIP_MASK;
    h->mie = (h->mie & ~m) | ((v << 1) & m);
    rv_update_mip(h);
    return RV_NEXT;
}

/* 8.2.6-8.2.7: htimedelta moves VS/VU time and so the VS timer comparator. */
static RvStatus rd_htimedelta(RvHart *h, unsigned c, uint64_t *v) { *v = h->htimedelta; return RV_NEXT; }
static RvStatus wr_htimedelta(RvHart *h, unsigned c, uint64_t v)
{
    h->htimedelta = v;
    rv_update_vstip(h);
    return RV_NEXT;
}

/* 8.2.5: henvcfg; STCE reads zero while menvcfg.STCE is clear. */
static RvStatus rd_henvcfg(RvHart *h, unsigned c, uint64_t *v)
{
    *v = h->henvcfg & ((h->menvcfg & MENVCFG_STCE) ? ~0ULL : ~HENVCFG_STCE);
    return RV_NEXT;
}
static RvStatus wr_henvcfg(RvHart *h, unsigned c, uint64_t v)
{
    uint64_t m = MENVCFG_FIOM | MENVCFG_CBIE | MENVCFG_CBCFE | MENVCFG_CBZE;
    if (h->core->has_sstc)
        m |= HENVCFG_STCE;
    h->henvcfg = v & m;
    rv_update_vstip(h);
    return RV_NEXT;
}

/* --- PMP (3.7): stored, granularity 4 bytes; checks are not enforced (TODO(#2)) --- */
/* RV64 has the even pmpcfg registers only. */
static RvStatus rd_pmpcfg(RvHart *h, unsigned c, uint64_t *v)
{
    unsigned n = c - CSR_PMPCFG0;
    if (n & 1)
        return illegal(h);
    *v = h->pmpcfg[n];
    return RV_NEXT;
}
static RvStatus wr_pmpcfg(RvHart *h, unsigned c, uint64_t v)
{
    unsigned n = c - CSR_PMPCFG0;
    if (n & 1)
        return illegal(h);
    uint64_t cur = h->pmpcfg[n], out = 0;
    for (unsigned b = 0; b < 8; b++) {
        uint8_t old = (uint8_t)(cur >> (8 * b)), nv = (uint8_t)(v >> (8 * b));
        if (old & 0x80)
            nv = old; /* locked */
        else if ((nv & 3) == 2)
            nv &= (uint8_t)~3; /* R=0,W=1 is reserved */
        out |= (uint64_t)(nv & 0x9f) << (8 * b);
    }
    h->pmpcfg[n] = out;
    return RV_NEXT;
}
static RvStatus rd_pmpaddr(RvHart *h, unsigned c, uint64_t *v) { *v = h->pmpaddr[c - CSR_PMPADDR0]; return RV_NEXT; }
static uint8_t pmp_cfg(const RvHart *h, unsigned n)
{
    return (uint8_t)(h->pmpcfg[(n / 8) * 2] >> (8 * (n % 8)));
}

#define PMP_L 0x80
#define PMP_A_TOR 0x08
#define PMP_A_MASK 0x18

/* 3.7.1: a locked entry's address is fixed, and so is the address below a locked TOR
 * entry, which is its lower bound. */
static RvStatus wr_pmpaddr(RvHart *h, unsigned c, uint64_t v)
{
    unsigned n = c - CSR_PMPADDR0;
    if (pmp_cfg(h, n) & PMP_L)
        return RV_NEXT;
    if (n + 1 < 64 && (pmp_cfg(h, n + 1) & PMP_L) &&
        (pmp_cfg(h, n + 1) & PMP_A_MASK) == PMP_A_TOR)
        return RV_NEXT;
    h->pmpaddr[n] = v & ((1ULL << 54) - 1);
    return RV_NEXT;
}

static RvStatus rd_mhpmevent(RvHart *h, unsigned c, uint64_t *v) { *v = h->mhpmevent[c & 31]; return RV_NEXT; }
static RvStatus wr_mhpmevent(RvHart *h, unsigned c, uint64_t v) { h->mhpmevent[c & 31] = v; return RV_NEXT; }

/* Debug triggers: none implemented; tselect reads back as 0 and tdata1 as 0 tells
 * software there is no trigger. */

static const RvCsrDesc rv_csrs[4096] = {
    [CSR_FFLAGS] = { "fflags", rd_fflags, wr_fflags },
    [CSR_FRM] = { "frm", rd_fflags, wr_fflags },
    [CSR_FCSR] = { "fcsr", rd_fflags, wr_fflags },
    [CSR_CYCLE] = { "cycle", rd_counter, NULL },
    [CSR_TIME] = { "time", rd_counter, NULL },
    [CSR_INSTRET] = { "instret", rd_counter, NULL },
    [CSR_HPMCOUNTER3 ... CSR_HPMCOUNTER31] = { "hpmcounter", rd_counter, NULL },
    [CSR_SSTATUS] = { "sstatus", rd_sstatus, wr_sstatus, .vs = CSR_VSSTATUS },
    [CSR_SIE] = { "sie", rd_sie, wr_sie, .vs = CSR_VSIE },
    [CSR_STVEC] = { "stvec", rd_stvec, wr_stvec, .vs = CSR_VSTVEC },
    [CSR_SCOUNTEREN] = { "scounteren", rd_scounteren, wr_scounteren },
    [CSR_SENVCFG] = { "senvcfg", rd_senvcfg, wr_senvcfg },
    [CSR_SSCRATCH] = { "sscratch", rd_sscratch, wr_sscratch, .vs = CSR_VSSCRATCH },
    [CSR_SEPC] = { "sepc", rd_sepc, wr_sepc, .vs = CSR_VSEPC },
    [CSR_SCAUSE] = { "scause", rd_scause, wr_scause, .vs = CSR_VSCAUSE },
    [CSR_STVAL] = { "stval", rd_stval, wr_stval, .vs = CSR_VSTVAL },
    [CSR_SIP] = { "sip", rd_sip, wr_sip, .vs = CSR_VSIP },
    [CSR_STIMECMP] = { "stimecmp", rd_stimecmp, wr_stimecmp, .vs = CSR_VSTIMECMP },
    [CSR_SATP] = { "satp", rd_satp, wr_satp, .vs = CSR_VSATP },
    [CSR_VSSTATUS] = { "vsstatus", rd_vsstatus, wr_vsstatus, .hyp = true },
    [CSR_VSIE] = { "vsie", rd_vsie, wr_vsie, .hyp = true },
    [CSR_VSTVEC] = { "vstvec", rd_vstvec, wr_vstvec, .hyp = true },
    [CSR_VSSCRATCH] = { "vsscratch", rd_vsscratch, wr_vsscratch, .hyp = true },
    [CSR_VSEPC] = { "vsepc", rd_vsepc, wr_vsepc, .hyp = true },
    [CSR_VSCAUSE] = { "vscause", rd_vscause, wr_vscause, .hyp = true },
    [CSR_VSTVAL] = { "vstval", rd_vstval, wr_vstval, .hyp = true },
    [CSR_VSIP] = { "vsip", rd_vsip, wr_vsip, .hyp = true },
    [CSR_VSTIMECMP] = { "vstimecmp", rd_vstimecmp, wr_vstimecmp, .hyp = true },
    [CSR_VSATP] = { "vsatp", rd_vsatp, wr_vsatp, .hyp = true },
    [CSR_HSTATUS] = { "hstatus", rd_hstatus, wr_hstatus, .hyp = true },
    [CSR_HEDELEG] = { "hedeleg", rd_hedeleg, wr_hedeleg, .hyp = true },
    [CSR_HIDELEG] = { "hideleg", rd_hideleg, wr_hideleg, .hyp = true },
    [CSR_HIE] = { "hie", rd_hie, wr_hie, .hyp = true },
    [CSR_HTIMEDELTA] = { "htimedelta", rd_htimedelta, wr_htimedelta, .hyp = true },
    [CSR_HCOUNTEREN] = { "hcounteren", rd_hcounteren, wr_hcounteren, .hyp = true },
    [CSR_HGEIE] = { "hgeie", rd_hgeie, wr_hgeie, .hyp = true },
    [CSR_HENVCFG] = { "henvcfg", rd_henvcfg, wr_henvcfg, .hyp = true },
    [CSR_HTVAL] = { "htval", rd_htval, wr_htval, .hyp = true },
    [CSR_HIP] = { "hip", rd_hip, wr_hip, .hyp = true },
    [CSR_HVIP] = { "hvip", rd_hvip, wr_hvip, .hyp = true },
    [CSR_HTINST] = { "htinst", rd_htinst, wr_htinst, .hyp = true },
    [CSR_HGATP] = { "hgatp", rd_hgatp, wr_hgatp, .hyp = true },
    [CSR_HGEIP] = { "hgeip", rd_hgeip, NULL, .hyp = true },
    [CSR_MVENDORID] = { "mvendorid", rd_zero, NULL },
    [CSR_MARCHID] = { "marchid", rd_zero, NULL },
    [CSR_MIMPID] = { "mimpid", rd_zero, NULL },
    [CSR_MHARTID] = { "mhartid", rd_hartid, NULL },
    [CSR_MCONFIGPTR] = { "mconfigptr", rd_zero, NULL },
    [CSR_MSTATUS] = { "mstatus", rd_mstatus, wr_mstatus },
    [CSR_MISA] = { "misa", rd_misa, wr_ignore },
    [CSR_MEDELEG] = { "medeleg", rd_medeleg, wr_medeleg },
    [CSR_MIDELEG] = { "mideleg", rd_mideleg, wr_mideleg },
    [CSR_MIE] = { "mie", rd_mie, wr_mie },
    [CSR_MTVEC] = { "mtvec", rd_mtvec, wr_mtvec },
    [CSR_MCOUNTEREN] = { "mcounteren", rd_mcounteren, wr_mcounteren },
    [CSR_MENVCFG] = { "menvcfg", rd_menvcfg, wr_menvcfg },
    [CSR_MCOUNTINHIBIT] = { "mcountinhibit", rd_mcountinhibit, wr_mcountinhibit },
    [CSR_MHPMEVENT3 ... CSR_MHPMEVENT31] = { "mhpmevent", rd_mhpmevent, wr_mhpmevent },
    [CSR_MSCRATCH] = { "mscratch", rd_mscratch, wr_mscratch },
    [CSR_MEPC] = { "mepc", rd_mepc, wr_mepc },
    [CSR_MCAUSE] = { "mcause", rd_mcause, wr_mcause },
    [CSR_MTVAL] = { "mtval", rd_mtval, wr_mtval },
    [CSR_MIP] = { "mip", rd_mip, wr_mip },
    [CSR_MTINST] = { "mtinst", rd_mtinst, wr_mtinst, .hyp = true },
    [CSR_MTVAL2] = { "mtval2", rd_mtval2, wr_mtval2, .hyp = true },
    [CSR_PMPCFG0 ... CSR_PMPCFG15] = { "pmpcfg", rd_pmpcfg, wr_pmpcfg },
    [CSR_PMPADDR0 ... CSR_PMPADDR63] = { "pmpaddr", rd_pmpaddr, wr_pmpaddr },
    [CSR_MCYCLE] = { "mcycle", rd_mcounter, wr_mcounter },
    [CSR_MINSTRET] = { "minstret", rd_mcounter, wr_mcounter },
    [CSR_MHPMCOUNTER3 ... CSR_MHPMCOUNTER31] = { "mhpmcounter", rd_mcounter, wr_mcounter },
    [CSR_TSELECT] = { "tselect", rd_zero, wr_ignore },
    [CSR_TDATA1] = { "tdata1", rd_zero, wr_ignore },
    [CSR_TDATA2] = { "tdata2", rd_zero, wr_ignore },
    [CSR_TDATA3] = { "tdata3", rd_zero, wr_ignore },
    [CSR_MSECCFG] = { "mseccfg", rd_zero, wr_ignore },
};

const char *rv_csr_name(unsigned csr)
{
    const char *n = csr < 4096 ? rv_csrs[csr].name : NULL;
    return n ? n : "csr?";
}

/* 2.1: bits [9:8] are the lowest privilege that may access (2: the hypervisor and VS
 * CSRs, which HS-mode may access); [11:10] == 3 is read-only. 8.6.1: with V=1, M-level
 * CSRs stay illegal; VS-mode reaching a hypervisor or VS CSR by its own number, or
 * VU-mode reaching a supervisor, hypervisor or VS CSR, gets a virtual-instruction
 * exception, since HS-mode could make the same access. */
static RvStatus csr_check(RvHart *h, unsigned csr, bool write)
{
    const RvCsrDesc *d = &rv_csrs[csr];
    unsigned level = (csr >> 8) & 3;
    if (!d->read || (d->hyp && !has_h(h)) || (write && (csr >> 10) == 3))
        return illegal(h);
    if (!h->virt) {
        unsigned priv = h->priv == RV_PRIV_S ? 2 : h->priv;
        return priv >= level ? RV_NEXT : illegal(h);
    }
    if (level == 3)
        return illegal(h);
    if (level == 2 || (level == 1 && h->priv == RV_PRIV_U))
        return virtual_insn(h);
    return RV_NEXT;
}

/* The register an access reaches: with V=1, the VS CSR in place of a supervisor one. */
static unsigned csr_target(const RvHart *h, unsigned csr)
{
    return h->virt && rv_csrs[csr].vs ? rv_csrs[csr].vs : csr;
}

RvStatus rv_csr_read(RvHart *h, unsigned csr, uint64_t *val)
{
    csr &= 0xfff;
    if (csr_check(h, csr, false) != RV_NEXT)
        return RV_TRAP;
    csr = csr_target(h, csr);
    return rv_csrs[csr].read(h, csr, val);
}

RvStatus rv_csr_write(RvHart *h, unsigned csr, uint64_t val)
{
    csr &= 0xfff;
    if (csr_check(h, csr, true) != RV_NEXT)
        return RV_TRAP;
    csr = csr_target(h, csr);
    if (!rv_csrs[csr].write)
        return RV_NEXT;
    return rv_csrs[csr].write(h, csr, val);
}

bool rv_csr_debug(RvHart *h, unsigned csr, uint64_t *val, bool write)
{
    if (csr > 0xfff || !rv_csrs[csr].read || (rv_csrs[csr].hyp && !has_h(h)))
        return false;
    RvException saved = h->exc;
    RvStatus st = RV_NEXT;
    if (!write)
        st = rv_csrs[csr].read(h, csr, val);
    else if (rv_csrs[csr].write)
        st = rv_csrs[csr].write(h, csr, *val);
    h->exc = saved;
    return st == RV_NEXT;
}
