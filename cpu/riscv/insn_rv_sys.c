/* cpu/riscv/insn_rv_sys.c: Zicsr (Volume I, chapter 9), the privileged instructions of
 * Volume II (3.3 "Machine-Mode Privileged Instructions", 4.2 "Supervisor Instructions":
 * ECALL, EBREAK, MRET, SRET, WFI, SFENCE.VMA, with their H-extension behaviour of 8.6.4
 * "Trap Return" and the virtual-instruction cases of 8.6.1) and the cache-block
 * operations of Zicbom/Zicboz (RISC-V CMO 1.0). */
#include "cpu/riscv/rv_decode.h"

#define X(r) (h->x[(r)])

static RvStatus illegal(RvHart *h, const RvInsn *i)
{
    return rv_raise(h, EXC_ILLEGAL_INSN, i->raw);
}

/* 8.6.1: raised with V=1 where HS-mode could execute the instruction; tval as for an
 * illegal instruction. */
static RvStatus virtual_insn(RvHart *h, const RvInsn *i)
{
    return rv_raise(h, EXC_VIRTUAL_INSN, i->raw);
}

/* A CSR access refused with either cause: the instruction's encoding goes to tval. */
static RvStatus csr_refused(RvHart *h, const RvInsn *i)
{
    return h->exc.cause == EXC_VIRTUAL_INSN ? virtual_insn(h, i) : illegal(h, i);
}

/* Every CSR instruction ends its block: a write may change translation, interrupts or
 * the FP state that later instructions depend on. */
static RvStatus csr_op(RvHart *h, const RvInsn *i, uint64_t src, bool do_read, bool do_write,
                       int kind)
{
    uint64_t old = 0;
    RvStatus st;
    if (do_read) {
        st = rv_csr_read(h, i->csr, &old);
        if (st != RV_NEXT)
            return csr_refused(h, i);
    } else if ((i->csr >> 10) == 3) {
        return illegal(h, i);
    }
    if (do_write) {
        /* 3.1.9: a read-modify-write of mip sees only the software-writable SEIP bit,
         * not the interrupt controller's signal ORed into what CSR reads return. */
        uint64_t base = old;
        if (i->csr == CSR_MIP)
            base = (old & ~MIP_SEIP) | (h->mip_sw & MIP_SEIP);
        uint64_t nv = kind == 0 ? src : kind == 1 ? (base | src) : (base & ~src);
        st = rv_csr_write(h, i->csr, nv);
        if (st != RV_NEXT)
            return h->exc.cause == EXC_ILLEGAL_INSN || h->exc.cause == EXC_VIRTUAL_INSN
                       ? csr_refused(h, i)
                       : st;
    }
    X(i->rd) = old;
    return RV_END;
}

RvStatus rv_exec_csrrw(RvHart *h, const RvInsn *i)
{
    return csr_op(h, i, X(i->rs1), i->rd != RV_REG_SINK, true, 0);
}
RvStatus rv_exec_csrrs(RvHart *h, const RvInsn *i) { return csr_op(h, i, X(i->rs1), true, i->rs1 != 0, 1); }
RvStatus rv_exec_csrrc(RvHart *h, const RvInsn *i) { return csr_op(h, i, X(i->rs1), true, i->rs1 != 0, 2); }
RvStatus rv_exec_csrrwi(RvHart *h, const RvInsn *i)
{
    return csr_op(h, i, (uint64_t)i->imm, i->rd != RV_REG_SINK, true, 0);
}
RvStatus rv_exec_csrrsi(RvHart *h, const RvInsn *i) { return csr_op(h, i, (uint64_t)i->imm, true, i->imm != 0, 1); }
RvStatus rv_exec_csrrci(RvHart *h, const RvInsn *i) { return csr_op(h, i, (uint64_t)i->imm, true, i->imm != 0, 2); }

RvStatus rv_exec_ecall(RvHart *h, const RvInsn *i)
{
    if (h->priv == RV_PRIV_S && !h->virt && h->core->sbi_in_emulator && h->core->env.sbi_call) {
        /* No M-mode firmware: the emulator is the SEE and answers the SBI call. */
        uint64_t block_pc = h->pc;
        h->pc = rv_pc(h, i);
        RvStatus st = h->core->env.sbi_call(h->core->env.opaque, h);
        if (st == RV_JUMP)
            return RV_JUMP;
        h->pc = block_pc;
        return st == RV_NEXT ? RV_END : st;
    }
    static const uint8_t cause[4] = { EXC_ECALL_U, EXC_ECALL_S, EXC_ECALL_VS, EXC_ECALL_M };
    if (h->virt && h->priv == RV_PRIV_S)
        return rv_raise(h, EXC_ECALL_VS, 0);
    return rv_raise(h, cause[h->priv], 0);
}

RvStatus rv_exec_ebreak(RvHart *h, const RvInsn *i)
{
    return rv_raise(h, EXC_BREAKPOINT, rv_pc(h, i));
}

/* 3.3.2 and 8.6.4: MRET pops the M-level stack: the new mode is MPP and, with H, V=MPV
 * (V stays 0 when MPP is M); MPV, MPP cleared; MPRV cleared when leaving for below M. */
RvStatus rv_exec_mret(RvHart *h, const RvInsn *i)
{
    if (h->priv < RV_PRIV_M)
        return illegal(h, i);
    uint64_t s = h->mstatus;
    unsigned mpp = (s >> MSTATUS_MPP_SHIFT) & 3;
    bool mpv = mpp != RV_PRIV_M && (s & MSTATUS_MPV);
    s = (s & ~MSTATUS_MIE) | ((s & MSTATUS_MPIE) ? MSTATUS_MIE : 0);
    s |= MSTATUS_MPIE;
    s &= ~(MSTATUS_MPP | MSTATUS_MPV);
    if (mpp != RV_PRIV_M)
        s &= ~MSTATUS_MPRV;
    h->mstatus = s;
    h->priv = mpp;
    h->virt = mpv;
    h->pc = h->mepc;
    rv_update_mmu_idx(h);
    return RV_JUMP;
}

/* SRET in VS-mode (8.6.4): pops vsstatus and returns to VS or VU at vsepc. VU-mode may
 * not execute it, nor VS-mode with hstatus.VTSR: virtual-instruction exceptions. */
static RvStatus sret_vs(RvHart *h, const RvInsn *i)
{
    if (h->priv == RV_PRIV_U || (h->hstatus & HSTATUS_VTSR))
        return virtual_insn(h, i);
    uint64_t s = h->vsstatus;
    unsigned spp = (s & MSTATUS_SPP) ? RV_PRIV_S : RV_PRIV_U;
    s = (s & ~MSTATUS_SIE) | ((s & MSTATUS_SPIE) ? MSTATUS_SIE : 0);
    s |= MSTATUS_SPIE;
    s &= ~MSTATUS_SPP;
    h->vsstatus = s;
    h->mstatus &= ~MSTATUS_MPRV;
    h->priv = spp;
    h->pc = h->vsepc;
    rv_update_mmu_idx(h);
    return RV_JUMP;
}

/* SRET in HS- or M-mode: the new mode is sstatus.SPP and, with H, V=hstatus.SPV, which
 * is cleared (8.6.4). */
RvStatus rv_exec_sret(RvHart *h, const RvInsn *i)
{
    if (h->virt)
        return sret_vs(h, i);
    if (h->priv < RV_PRIV_S || (h->priv == RV_PRIV_S && (h->mstatus & MSTATUS_TSR)))
        return illegal(h, i);
    uint64_t s = h->mstatus;
    unsigned spp = (s & MSTATUS_SPP) ? RV_PRIV_S : RV_PRIV_U;
    s = (s & ~MSTATUS_SIE) | ((s & MSTATUS_SPIE) ? MSTATUS_SIE : 0);
    s |= MSTATUS_SPIE;
    s &= ~MSTATUS_SPP;
    s &= ~MSTATUS_MPRV;
    h->mstatus = s;
    h->virt = (h->hstatus & HSTATUS_SPV) != 0;
    h->hstatus &= ~HSTATUS_SPV;
    h->priv = spp;
    h->pc = h->sepc;
    rv_update_mmu_idx(h);
    return RV_JUMP;
}

/* 3.3.3 and 8.6.1: WFI. With TW set it is illegal below M (we do not wait for the
 * implementation-defined bound); from U-mode illegal, from VU-mode a virtual instruction;
 * from VS-mode with hstatus.VTW a virtual instruction (we always raise it, as allowed).
 * The hart resumes when any enabled-in-mie interrupt is pending, whatever the global
 * enables. */
RvStatus rv_exec_wfi(RvHart *h, const RvInsn *i)
{
    if (h->priv != RV_PRIV_M) {
        if (h->mstatus & MSTATUS_TW)
            return illegal(h, i);
        if (h->priv == RV_PRIV_U)
            return h->virt ? virtual_insn(h, i) : illegal(h, i);
        if (h->virt && (h->hstatus & HSTATUS_VTW))
            return virtual_insn(h, i);
    }
    if (h->mip & h->mie)
        return RV_NEXT;
    return RV_WFI;
}

/* 4.2.1 and 8.5.3: SFENCE.VMA orders the tables of the current satp: with V=1 that is
 * vsatp, so only the V=1 translations of the current VMID go (by guest virtual address),
 * as HFENCE.VVMA would; with V=0 only the V=0 ones. rs1 != x0 narrows it to the leaf of
 * one address, rs2 != x0 to one ASID (whose global entries go too, which the spec allows;
 * an rs2 wider than ASIDLEN is taken as x0). U-mode: illegal; VU-mode, or VS-mode with
 * hstatus.VTVM: a virtual instruction; HS-mode with mstatus.TVM: illegal. */
RvStatus rv_exec_sfence_vma(RvHart *h, const RvInsn *i)
{
    if (h->priv == RV_PRIV_U)
        return h->virt ? virtual_insn(h, i) : illegal(h, i);
    if (h->virt && (h->hstatus & HSTATUS_VTVM))
        return virtual_insn(h, i);
    if (!h->virt && h->priv == RV_PRIV_S && (h->mstatus & MSTATUS_TVM))
        return illegal(h, i);
    rv_tlb_fence(h, &(RvFence){
        .side = h->virt ? RV_TLB_VIRT : RV_TLB_HOST,
        .by_vmid = h->virt, .vmid = (h->hgatp & HGATP_VMID_MASK) >> HGATP_VMID_SHIFT,
        .by_asid = i->rs2 != 0 && X(i->rs2) <= 0xffff, .asid = X(i->rs2),
        .by_page = i->rs1 != 0, .va = X(i->rs1) });
    return RV_END;
}

/* Zicbom: caches are not modelled, so clean/flush/invalidate only check access and the
 * enables of menvcfg/senvcfg. CMO 1.0, 2.5.1: the block may be managed wherever a load or
 * a store to it is allowed; if neither is, the fault is the store kind. */
/* With V=1, henvcfg gates VS and VU as menvcfg gates S (a virtual instruction when
 * menvcfg allows), and senvcfg gates VU (CMO 1.0, 2.5). */
static RvStatus cbo_enabled(RvHart *h, const RvInsn *i, uint64_t bit_m)
{
    if (h->priv == RV_PRIV_M)
        return RV_NEXT;
    if (!(h->menvcfg & bit_m))
        return illegal(h, i);
    if (h->virt && !(h->henvcfg & bit_m))
        return virtual_insn(h, i);
    if (h->priv == RV_PRIV_U && !(h->senvcfg & bit_m))
        return h->virt ? virtual_insn(h, i) : illegal(h, i);
    return RV_NEXT;
}

static RvStatus cbo_check(RvHart *h, const RvInsn *i, uint64_t enable)
{
    if (cbo_enabled(h, i, enable) != RV_NEXT)
        return RV_TRAP;
    uint64_t pa, block = X(i->rs1) & ~63ULL;
    if (rv_translate(h, block, RV_ACC_READ, h->mmu_idx_data, &pa) == RV_NEXT)
        return RV_NEXT;
    RvStatus st = rv_translate(h, block, RV_ACC_WRITE, h->mmu_idx_data, &pa);
    if (st == RV_TRAP)
        h->exc.tval = X(i->rs1);
    return st;
}

RvStatus rv_exec_cbo_clean(RvHart *h, const RvInsn *i) { return cbo_check(h, i, MENVCFG_CBCFE); }
RvStatus rv_exec_cbo_flush(RvHart *h, const RvInsn *i) { return cbo_check(h, i, MENVCFG_CBCFE); }
RvStatus rv_exec_cbo_inval(RvHart *h, const RvInsn *i) { return cbo_check(h, i, MENVCFG_CBIE); }

RvStatus rv_exec_cbo_zero(RvHart *h, const RvInsn *i)
{
    if (cbo_enabled(h, i, MENVCFG_CBZE) != RV_NEXT)
        return RV_TRAP;
    uint64_t base = X(i->rs1) & ~63ULL;
    for (unsigned k = 0; k < 64; k += 8) {
        RvStatus st = rv_store(h, base + k, 8, 0);
        if (st == RV_TRAP) {
            h->exc.tval = X(i->rs1);
            return st;
        }
    }
    return h->tb_dirty ? RV_END : RV_NEXT;
}
