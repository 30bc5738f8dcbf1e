/* cpu/riscv/rv_csr.c: the control and status registers of the hart (Volume II, chapter 2
 * "Control and Status Registers", with the register definitions of chapters 3 and 4, the
 * Sstc extension and Zicntr/Zihpm of Volume I). One table row per register: name, read,
 * write; the privilege and read-only rules come from the CSR number (section 2.1). */
#include "cpu/riscv/rv_decode.h"

typedef RvStatus (*CsrRead)(RvHart *h, unsigned csr, uint64_t *val);
typedef RvStatus (*CsrWrite)(RvHart *h, unsigned csr, uint64_t val);

typedef struct RvCsrDesc {
    const char *name;
    CsrRead read;
    CsrWrite write;   /* NULL: writes are ignored (WARL fields fixed at their value) */
} RvCsrDesc;

static RvStatus illegal(RvHart *h)
{
    return rv_raise(h, EXC_ILLEGAL_INSN, 0);
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
static bool counter_allowed(const RvHart *h, unsigned bit)
{
    if (h->priv == RV_PRIV_M)
        return true;
    if (!((h->mcounteren >> bit) & 1))
        return false;
    if (h->priv == RV_PRIV_U && !((h->scounteren >> bit) & 1))
        return false;
    return true;
}

static uint64_t retired_now(const RvHart *h)
{
    return h->retired;
}

static RvStatus rd_counter(RvHart *h, unsigned c, uint64_t *v)
{
    unsigned n = c & 31;
    if (!counter_allowed(h, n))
        return illegal(h);
    switch (n) {
    case 0: *v = retired_now(h) + h->mcycle_offset; break;
    case 1: *v = rv_hart_time(h); break;
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
    if ((old ^ h->mstatus) & MSTATUS_MXR)
        rv_tlb_flush(h);
    rv_update_mmu_idx(h);
}

#define MSTATUS_WRITABLE (MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP | \
                          MSTATUS_MPP | MSTATUS_FS | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | \
                          MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR)
#define SSTATUS_WRITABLE (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM | \
                          MSTATUS_MXR)

static RvStatus rd_mstatus(RvHart *h, unsigned c, uint64_t *v) { *v = h->mstatus; return RV_NEXT; }
static RvStatus wr_mstatus(RvHart *h, unsigned c, uint64_t v) { set_mstatus(h, v, MSTATUS_WRITABLE); return RV_NEXT; }
static RvStatus rd_sstatus(RvHart *h, unsigned c, uint64_t *v) { *v = h->mstatus & SSTATUS_MASK; return RV_NEXT; }
static RvStatus wr_sstatus(RvHart *h, unsigned c, uint64_t v) { set_mstatus(h, v, SSTATUS_WRITABLE); return RV_NEXT; }

/* --- interrupts (3.1.9) --- */
static uint64_t mip_writable(const RvHart *h)
{
    uint64_t m = MIP_SSIP | MIP_SEIP;
    if (!(h->menvcfg & MENVCFG_STCE))
        m |= MIP_STIP;
    return m;
}

static RvStatus rd_mip(RvHart *h, unsigned c, uint64_t *v) { *v = h->mip; return RV_NEXT; }
static RvStatus wr_mip(RvHart *h, unsigned c, uint64_t v)
{
    uint64_t m = mip_writable(h);
    h->mip_sw = (h->mip_sw & ~m) | (v & m);
    rv_update_mip(h);
    return RV_NEXT;
}
static RvStatus rd_mie(RvHart *h, unsigned c, uint64_t *v) { *v = h->mie; return RV_NEXT; }
static RvStatus wr_mie(RvHart *h, unsigned c, uint64_t v) { h->mie = v & MIP_ALL; return RV_NEXT; }
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
    /* ecall from M-mode cannot be delegated */
    h->medeleg = v & 0xb3ff;
    return RV_NEXT;
}
static RvStatus rd_mideleg(RvHart *h, unsigned c, uint64_t *v) { *v = h->mideleg; return RV_NEXT; }
static RvStatus wr_mideleg(RvHart *h, unsigned c, uint64_t v) { h->mideleg = v & SIP_MASK; return RV_NEXT; }

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

static RvStatus rd_mtvec(RvHart *h, unsigned c, uint64_t *v) { *v = h->mtvec; return RV_NEXT; }
static RvStatus wr_mtvec(RvHart *h, unsigned c, uint64_t v) { h->mtvec = tvec_legal(v); return RV_NEXT; }
static RvStatus rd_stvec(RvHart *h, unsigned c, uint64_t *v) { *v = h->stvec; return RV_NEXT; }
static RvStatus wr_stvec(RvHart *h, unsigned c, uint64_t v) { h->stvec = tvec_legal(v); return RV_NEXT; }

static RvStatus rd_menvcfg(RvHart *h, unsigned c, uint64_t *v) { *v = h->menvcfg; return RV_NEXT; }
static RvStatus wr_menvcfg(RvHart *h, unsigned c, uint64_t v)
{
    uint64_t m = MENVCFG_FIOM | MENVCFG_CBIE | MENVCFG_CBCFE | MENVCFG_CBZE;
    if (h->core->has_sstc)
        m |= MENVCFG_STCE;
    h->menvcfg = v & m;
    rv_update_stip(h);
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

/* --- address translation (4.1.11) --- */
static RvStatus rd_satp(RvHart *h, unsigned c, uint64_t *v)
{
    if (h->priv == RV_PRIV_S && (h->mstatus & MSTATUS_TVM))
        return illegal(h);
    *v = h->satp;
    return RV_NEXT;
}
static RvStatus wr_satp(RvHart *h, unsigned c, uint64_t v)
{
    if (h->priv == RV_PRIV_S && (h->mstatus & MSTATUS_TVM))
        return illegal(h);
    unsigned mode = v >> SATP_MODE_SHIFT;
    if (mode != SATP_MODE_BARE && mode != SATP_MODE_SV39 && mode != SATP_MODE_SV48 &&
        mode != SATP_MODE_SV57)
        return RV_NEXT; /* unsupported MODE: the whole write has no effect */
    if (mode == SATP_MODE_BARE)
        v = 0;
    h->satp = v;
    rv_tlb_flush(h);
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
    [CSR_SSTATUS] = { "sstatus", rd_sstatus, wr_sstatus },
    [CSR_SIE] = { "sie", rd_sie, wr_sie },
    [CSR_STVEC] = { "stvec", rd_stvec, wr_stvec },
    [CSR_SCOUNTEREN] = { "scounteren", rd_scounteren, wr_scounteren },
    [CSR_SENVCFG] = { "senvcfg", rd_senvcfg, wr_senvcfg },
    [CSR_SSCRATCH] = { "sscratch", rd_sscratch, wr_sscratch },
    [CSR_SEPC] = { "sepc", rd_sepc, wr_sepc },
    [CSR_SCAUSE] = { "scause", rd_scause, wr_scause },
    [CSR_STVAL] = { "stval", rd_stval, wr_stval },
    [CSR_SIP] = { "sip", rd_sip, wr_sip },
    [CSR_STIMECMP] = { "stimecmp", rd_stimecmp, wr_stimecmp },
    [CSR_SATP] = { "satp", rd_satp, wr_satp },
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

/* 2.1: bits [9:8] are the lowest privilege that may access; [11:10] == 3 is read-only. */
static bool csr_priv_ok(const RvHart *h, unsigned csr)
{
    return h->priv >= ((csr >> 8) & 3);
}

RvStatus rv_csr_read(RvHart *h, unsigned csr, uint64_t *val)
{
    const RvCsrDesc *d = &rv_csrs[csr & 0xfff];
    if (!d->read || !csr_priv_ok(h, csr))
        return illegal(h);
    return d->read(h, csr, val);
}

RvStatus rv_csr_write(RvHart *h, unsigned csr, uint64_t val)
{
    const RvCsrDesc *d = &rv_csrs[csr & 0xfff];
    if (!d->read || !csr_priv_ok(h, csr) || (csr >> 10) == 3)
        return illegal(h);
    if (!d->write)
        return RV_NEXT;
    return d->write(h, csr, val);
}
