/* cpu/ppc/insn_vmx.c: the Vector Facility (Power ISA v3.0B Book I chapter 6). */
#include "cpu/ppc/ppc_decode.h"
