/* cpu/ppc/insn_loadstore.c: (being written) */
