/* cpu/ppc/insn_vsx.c: the Vector-Scalar Facility (Power ISA v3.0B Book I chapter 7). */
#include "cpu/ppc/ppc_decode.h"
