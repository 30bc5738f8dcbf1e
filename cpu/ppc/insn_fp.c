/* cpu/ppc/insn_fp.c: (being written) */
