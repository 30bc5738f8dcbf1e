/* cpu/riscv/insn_rv_h.c: the instructions of the hypervisor extension (Volume II 1.12,
 * 8.3.1 "Hypervisor Virtual-Machine Load and Store Instructions", 8.3.2 "Hypervisor
 * Memory-Management Fence Instructions"). HLV, HLVX and HSV access memory as though V=1 at
 * privilege hstatus.SPVP, through both translation stages; with V=1 every one of these
 * instructions is a virtual-instruction exception, and from U-mode they need hstatus.HU
 * (the fences never run in U-mode). */
#include "cpu/riscv/rv_decode.h"

#define X(r) (h->x[(r)])

static RvStatus illegal(RvHart *h, const RvInsn *i)
{
    return rv_raise(h, EXC_ILLEGAL_INSN, i->raw);
}

static RvStatus virtual_insn(RvHart *h, const RvInsn *i)
{
    return rv_raise(h, EXC_VIRTUAL_INSN, i->raw);
}

/* 8.3.1: valid in M-mode, HS-mode, and U-mode with hstatus.HU. */
static RvStatus vm_access_allowed(RvHart *h, const RvInsn *i)
{
    if (h->virt)
        return virtual_insn(h, i);
    if (h->priv == RV_PRIV_U && !(h->hstatus & HSTATUS_HU))
        return illegal(h, i);
    return RV_NEXT;
}

/* Whatever faults, tval is a guest virtual address (8.2.1: GVA=1 though SPV=0). */
static RvStatus vm_fault(RvHart *h)
{
    h->exc.gva = true;
    return RV_TRAP;
}

static RvStatus hlv(RvHart *h, const RvInsn *i, unsigned size, bool sign)
{
    if (vm_access_allowed(h, i) != RV_NEXT)
        return RV_TRAP;
    uint64_t v;
    if (rv_load_slow(h, X(i->rs1), size, &v, rv_hlv_mmu_idx(h)) != RV_NEXT)
        return vm_fault(h);
    X(i->rd) = sign ? (uint64_t)sext64(v, size * 8) : v;
    return RV_NEXT;
}

static RvStatus hlvx(RvHart *h, const RvInsn *i, unsigned size)
{
    if (vm_access_allowed(h, i) != RV_NEXT)
        return RV_TRAP;
    uint64_t v;
    if (rv_load_hlvx(h, X(i->rs1), size, &v, rv_hlv_mmu_idx(h)) != RV_NEXT)
        return vm_fault(h);
    X(i->rd) = v;
    return RV_NEXT;
}

static RvStatus hsv(RvHart *h, const RvInsn *i, unsigned size)
{
    if (vm_access_allowed(h, i) != RV_NEXT)
        return RV_TRAP;
    RvStatus st = rv_store_slow(h, X(i->rs1), size, X(i->rs2), rv_hlv_mmu_idx(h));
    return st == RV_TRAP ? vm_fault(h) : st;
}

RvStatus rv_exec_hlv_b(RvHart *h, const RvInsn *i) { return hlv(h, i, 1, true); }
RvStatus rv_exec_hlv_bu(RvHart *h, const RvInsn *i) { return hlv(h, i, 1, false); }
RvStatus rv_exec_hlv_h(RvHart *h, const RvInsn *i) { return hlv(h, i, 2, true); }
RvStatus rv_exec_hlv_hu(RvHart *h, const RvInsn *i) { return hlv(h, i, 2, false); }
RvStatus rv_exec_hlv_w(RvHart *h, const RvInsn *i) { return hlv(h, i, 4, true); }
RvStatus rv_exec_hlv_wu(RvHart *h, const RvInsn *i) { return hlv(h, i, 4, false); }
RvStatus rv_exec_hlv_d(RvHart *h, const RvInsn *i) { return hlv(h, i, 8, false); }
RvStatus rv_exec_hlvx_hu(RvHart *h, const RvInsn *i) { return hlvx(h, i, 2); }
RvStatus rv_exec_hlvx_wu(RvHart *h, const RvInsn *i) { return hlvx(h, i, 4); }
RvStatus rv_exec_hsv_b(RvHart *h, const RvInsn *i) { return hsv(h, i, 1); }
RvStatus rv_exec_hsv_h(RvHart *h, const RvInsn *i) { return hsv(h, i, 2); }
RvStatus rv_exec_hsv_w(RvHart *h, const RvInsn *i) { return hsv(h, i, 4); }
RvStatus rv_exec_hsv_d(RvHart *h, const RvInsn *i) { return hsv(h, i, 8); }

/* HFENCE.VVMA (8.3.2): the VS-stage translations of the current VMID (hgatp.VMID), as
 * SFENCE.VMA with V=1 would: rs1 != x0 names a guest virtual address, rs2 != x0 a guest
 * ASID. Neither TVM nor VTVM traps it. */
RvStatus rv_exec_hfence_vvma(RvHart *h, const RvInsn *i)
{
    if (h->virt)
        return virtual_insn(h, i);
    if (h->priv == RV_PRIV_U)
        return illegal(h, i);
    rv_tlb_fence(h, &(RvFence){
        .side = RV_TLB_VIRT,
        .by_vmid = true, .vmid = (h->hgatp & HGATP_VMID_MASK) >> HGATP_VMID_SHIFT,
        .by_asid = i->rs2 != 0 && X(i->rs2) <= 0xffff, .asid = X(i->rs2),
        .by_page = i->rs1 != 0, .va = X(i->rs1) });
    return RV_END;
}

/* HFENCE.GVMA (8.3.2): the G-stage translations of the VMID in rs2 (x0: of every VMID).
 * The soft TLB maps guest virtual addresses straight to physical ones, and an entry also
 * depends on the G-stage mappings of the VS-stage tables it was walked through, so a
 * guest physical address in rs1 does not narrow it: all of that VMID's banks go (the
 * over-flush 8.3.2 allows). An rs2 wider than VMIDLEN is taken as x0. HS-mode with
 * mstatus.TVM: illegal. */
RvStatus rv_exec_hfence_gvma(RvHart *h, const RvInsn *i)
{
    if (h->virt)
        return virtual_insn(h, i);
    if (h->priv == RV_PRIV_U || (h->priv == RV_PRIV_S && (h->mstatus & MSTATUS_TVM)))
        return illegal(h, i);
    uint64_t vmid = X(i->rs2);
    rv_tlb_fence(h, &(RvFence){ .side = RV_TLB_VIRT, .vmid = vmid,
                                .by_vmid = i->rs2 != 0 && vmid <= HGATP_VMID_MASK >> HGATP_VMID_SHIFT });
    return RV_END;
}
