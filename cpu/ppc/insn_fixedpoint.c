/* cpu/ppc/insn_fixedpoint.c: the Fixed-Point facility (Book I, chapter 3 "Fixed-Point
 * Facility": arithmetic, compare, trap, logical, rotate and shift instructions, and the
 * moves to and from XER, CR and the SPRs Book I defines). */
#include "cpu/ppc/ppc_decode.h"

#define GPR(r) (c->gpr[(r)])

PpcStatus ppc_exec_illegal(PpcCpu *c, const PpcInsn *i)
{
    return ppc_illegal(c);
}

PpcStatus ppc_exec_addi(PpcCpu *c, const PpcInsn *i)
{
    GPR(i->rt) = GPR(i->ra) + (uint64_t)i->imm;
    return PPC_NEXT;
}

PpcStatus ppc_exec_addis(PpcCpu *c, const PpcInsn *i)
{
    GPR(i->rt) = GPR(i->ra) + ((uint64_t)i->imm << 16);
    return PPC_NEXT;
}
