/* tests/guest/lib/riscv/hyp.h: helpers for the h_*.c programs, a small test hypervisor
 * run as an M-mode program on a hart with the H extension (Volume II 1.12, chapter 8
 * "Hypervisor Extension"): entering VS/VU-mode with mret and mstatus.MPV (8.4.1,
 * 8.6.4 "Trap Return"), recording a trap together with the H extension's extra trap
 * values (mtval2/mtinst at M, htval/htinst/hstatus at HS: 8.2.8, 8.2.9, 8.4.4, 8.4.5,
 * 8.6.2 "Trap Entry") and an identity G-stage map of the low 4 GiB of guest-physical
 * space (8.5.1). Header-only so that programs without H never reference these CSRs. */
#ifndef GUEST_RISCV_HYP_H
#define GUEST_RISCV_HYP_H

#include "guest_riscv.h"
#include "pt.h"

#if !GUEST_M_MODE
#error "hyp.h is for M-mode programs"
#endif

/* HLV/HLVX/HSV (8.3.1), encoded with .insn so the assembler needs no H in -march. */
#define HLV_INSN(name, f7, rs2)                                                        \
    static inline unsigned long name(unsigned long a)                                 \
    {                                                                                  \
        unsigned long v;                                                               \
        __asm__ volatile(".insn r 0x73, 4, " #f7 ", %0, %1, x" #rs2                   \
                         : "=r"(v) : "r"(a) : "memory");                               \
        return v;                                                                      \
    }
HLV_INSN(hlv_b, 0x30, 0)
HLV_INSN(hlv_bu, 0x30, 1)
HLV_INSN(hlv_h, 0x32, 0)
HLV_INSN(hlv_hu, 0x32, 1)
HLV_INSN(hlvx_hu, 0x32, 3)
HLV_INSN(hlv_w, 0x34, 0)
HLV_INSN(hlv_wu, 0x34, 1)
HLV_INSN(hlvx_wu, 0x34, 3)
HLV_INSN(hlv_d, 0x36, 0)
#define HSV_INSN(name, f7)                                                             \
    static inline void name(unsigned long a, unsigned long v)                          \
    {                                                                                  \
        __asm__ volatile(".insn r 0x73, 4, " #f7 ", x0, %0, %1" : : "r"(a), "r"(v)    \
                         : "memory");                                                  \
    }
HSV_INSN(hsv_b, 0x31)
HSV_INSN(hsv_h, 0x33)
HSV_INSN(hsv_w, 0x35)
HSV_INSN(hsv_d, 0x37)

/* HFENCE.VVMA rs1=vaddr rs2=asid, HFENCE.GVMA rs1=gaddr>>2 rs2=vmid (8.3.2); x0 = all. */
static inline void hfence_vvma_all(void) { __asm__ volatile(".insn r 0x73, 0, 0x11, x0, x0, x0" ::: "memory"); }
static inline void hfence_gvma_all(void) { __asm__ volatile(".insn r 0x73, 0, 0x31, x0, x0, x0" ::: "memory"); }
static inline void hfence_gvma_gpa(unsigned long gpa)
{
    __asm__ volatile(".insn r 0x73, 0, 0x31, x0, %0, x0" : : "r"(gpa >> 2) : "memory");
}
static inline void hfence_gvma_vmid(unsigned long vmid)
{
    __asm__ volatile(".insn r 0x73, 0, 0x31, x0, x0, %0" : : "r"(vmid) : "memory");
}
static inline void hfence_gvma_gpa_vmid(unsigned long gpa, unsigned long vmid)
{
    __asm__ volatile(".insn r 0x73, 0, 0x31, x0, %0, %1" : : "r"(gpa >> 2), "r"(vmid) : "memory");
}
static inline void hfence_vvma_asid(unsigned long asid)
{
    __asm__ volatile(".insn r 0x73, 0, 0x11, x0, x0, %0" : : "r"(asid) : "memory");
}

/* One recorded synchronous trap. level: PRV_M, PRV_S (HS) or TRAP_LEVEL_VS. */
struct htrap {
    bool taken;
    unsigned count;
    unsigned long level, cause, tval, epc, status;
    unsigned long tval2, tinst;  /* mtval2/mtinst at M, htval/htinst at HS, 0 at VS */
    unsigned long hstatus;       /* at HS only */
};

static struct htrap hyp_rec;
static volatile bool hyp_armed;

/* The handler hyp_init() installs: while armed, records the first synchronous trap at
 * any level and resumes after the instruction (after the call, for a failed fetch). */
static bool hyp_trap_handler(struct trap_frame *f)
{
    if ((f->cause & CAUSE_INTERRUPT) || !hyp_armed)
        return false;
    struct htrap *r = &hyp_rec;
    if (!r->taken) {
        r->taken = true;
        r->level = f->level;
        r->cause = f->cause;
        r->tval = f->tval;
        r->epc = f->epc;
        r->status = f->status;
        if (f->level == PRV_M) {
            r->tval2 = csr_read(CSR_MTVAL2);
            r->tinst = csr_read(CSR_MTINST);
        } else if (f->level == PRV_S) {
            r->tval2 = csr_read(CSR_HTVAL);
            r->tinst = csr_read(CSR_HTINST);
            r->hstatus = csr_read(CSR_HSTATUS);
        }
    }
    r->count++;
    trap_skip_insn(f);
    return true;
}

static inline void hyp_begin(void)
{
    hyp_rec = (struct htrap){ 0 };
    __asm__ volatile("" ::: "memory");
    hyp_armed = true;
    __asm__ volatile("" ::: "memory");
}

static inline struct htrap hyp_end(void)
{
    __asm__ volatile("" ::: "memory");
    hyp_armed = false;
    __asm__ volatile("" ::: "memory");
    return hyp_rec;
}

/* Runs fn(arg) with V = 1 in VS-mode (PRV_S) or VU-mode (PRV_U): run_in_mode()'s mret
 * with mstatus.MPV = 1 (8.6.4: MRET sets V = MPV when MPP is not M). The return ecall
 * comes back to M-mode, which clears MPV again. */
static inline unsigned long run_in_vmode(unsigned long priv, unsigned long (*fn)(unsigned long),
                                         unsigned long arg)
{
    csr_set(mstatus, MSTATUS_MPV);
    return run_in_mode(priv, fn, arg);
}

/* A probe: runs fn(arg) at (virt, priv) with the trap recorder armed. */
struct hprobe {
    unsigned long value;
    struct htrap t;
};

static inline struct hprobe hyp_probe(bool virt, unsigned long priv,
                                      unsigned long (*fn)(unsigned long), unsigned long arg)
{
    struct hprobe p;
    hyp_begin();
    p.value = virt ? run_in_vmode(priv, fn, arg) : run_in_mode(priv, fn, arg);
    p.t = hyp_end();
    return p;
}

static uint8_t hyp_vs_stack[4096] __attribute__((aligned(16)));

/* Start-up for a test hypervisor: the recorder, nothing delegated at any level, the VS
 * guest's trap vector at vs_trap_entry (vsscratch 0: a VS-mode guest handles its traps
 * on its own stack; a VU-mode guest's traps need a stack, see hyp_vu_trap_stack()). */
static inline void hyp_init(void)
{
    trap_set_handler(hyp_trap_handler);
    csr_write(medeleg, 0);
    csr_write(CSR_HEDELEG, 0);
    csr_write(CSR_HIDELEG, 0);
    csr_write(CSR_HVIP, 0);
    csr_write(CSR_HIE, 0);
    csr_write(CSR_HSTATUS, csr_read(CSR_HSTATUS) & HSTATUS_VSXL);
    csr_write(CSR_VSTVEC, (unsigned long)vs_trap_entry);
    csr_write(CSR_VSSCRATCH, 0);
    csr_write(CSR_VSSTATUS, csr_read(CSR_VSSTATUS) & ~(MSTATUS_SIE | MSTATUS_SUM | MSTATUS_MXR));
    csr_write(CSR_VSATP, 0);
    csr_write(CSR_HGATP, 0);
    csr_write(mcounteren, 7);
    csr_write(CSR_HCOUNTEREN, 7);
}

/* For a VU-mode guest: its traps into VS-mode switch to a stack of their own. */
static inline void hyp_vu_trap_stack(void)
{
    csr_write(CSR_VSSCRATCH, (unsigned long)&hyp_vs_stack[sizeof hyp_vs_stack]);
}

/* G-stage leaves need U = 1: every G-stage access counts as a U-mode one (8.5.1). */
#define G_LEAF (PTE_U | PTE_A | PTE_D)

/* An Sv39x4 G-stage table whose first 4 GiB of guest-physical space map 1:1 (the
 * board's devices and RAM, so the guest's code, stacks and console work as they are). */
static inline void hyp_gstage_identity(struct pt *g, void *pool16k, unsigned npages)
{
    pt_init_gstage(g, SATP_MODE_SV39, pool16k, npages);
    for (unsigned long gpa = 0; gpa < (4UL << 30); gpa += 1UL << 30)
        pt_map(g, gpa, gpa, PT_1G, PTE_R | PTE_W | PTE_X | G_LEAF);
}

static inline unsigned long hgatp_of(const struct pt *g, unsigned long vmid)
{
    return pt_satp(g) | (vmid << HGATP_VMID_SHIFT);
}

#endif
