/* cpu/ppc/insn_branch.c: the Branch facility (Book I, chapter 2 "Branch Facility": 2.4
 * "Branch Instructions"). BO decoding follows figure "BO field encodings": bit 0 (16) ignore
 * the condition, bit 1 (8) the condition value, bit 2 (4) do not decrement CTR, bit 3 (2)
 * branch when CTR == 0. In 32-bit mode CTR tests and targets use the low 32 bits. */
#include "cpu/ppc/ppc_decode.h"

#define BO_NO_COND 0x10
#define BO_COND_TRUE 0x08
#define BO_NO_CTR 0x04
#define BO_CTR_ZERO 0x02

static bool branch_taken(PpcCpu *c, unsigned bo, unsigned bi, bool use_ctr)
{
    bool ctr_ok = true;
    if (use_ctr && !(bo & BO_NO_CTR)) {
        c->ctr--;
        uint64_t ctr = ppc_is_64(c) ? c->ctr : (uint32_t)c->ctr;
        ctr_ok = (ctr != 0) != ((bo & BO_CTR_ZERO) != 0);
    }
    bool cond_ok = (bo & BO_NO_COND) || ppc_cr_bit(c, bi) == ((bo & BO_COND_TRUE) != 0);
    return ctr_ok && cond_ok;
}

static PpcStatus branch_to(PpcCpu *c, const PpcInsn *i, bool taken, uint64_t target)
{
    uint64_t next = ppc_pc(c, i) + 4;
    if (i->flags & PPC_IF_LK)
        c->lr = ppc_ea(c, next);
    c->nip = ppc_ea(c, taken ? target : next);
    return PPC_JUMP;
}

PpcStatus ppc_exec_b(PpcCpu *c, const PpcInsn *i)
{
    uint64_t target = (i->flags & PPC_IF_AA) ? (uint64_t)i->imm : ppc_pc(c, i) + (uint64_t)i->imm;
    return branch_to(c, i, true, target);
}

PpcStatus ppc_exec_bc(PpcCpu *c, const PpcInsn *i)
{
    uint64_t target = (i->flags & PPC_IF_AA) ? (uint64_t)i->imm : ppc_pc(c, i) + (uint64_t)i->imm;
    return branch_to(c, i, branch_taken(c, i->rt, i->ra, true), target);
}

PpcStatus ppc_exec_bclr(PpcCpu *c, const PpcInsn *i)
{
    uint64_t target = c->lr & ~3ULL; /* read before LK updates LR */
    return branch_to(c, i, branch_taken(c, i->rt, i->ra, true), target);
}

/* bcctr with BO[2] = 0 (decrement CTR) is an invalid form: the condition alone decides. */
PpcStatus ppc_exec_bcctr(PpcCpu *c, const PpcInsn *i)
{
    if (!(i->rt & BO_NO_CTR))
        return ppc_illegal(c);
    return branch_to(c, i, branch_taken(c, i->rt, i->ra, false), c->ctr & ~3ULL);
}

/* sc LEV: the system call interrupt; LEV=1 is the hypervisor call (Book III-S 7.5.14).
 * SRR0 gets the next instruction. Where the call goes (the OS, or the emulator's PAPR
 * hypervisor) is decided by the interrupt router. */
PpcStatus ppc_exec_sc(PpcCpu *c, const PpcInsn *i)
{
    c->exc = (PpcException){ .kind = PPC_EXC_SYSCALL, .srr1_bits = (uint64_t)i->imm,
                             .nip = ppc_pc(c, i) + 4, .nip_set = true };
    return PPC_TRAP;
}
