/* cpu/ppc/ppc_mem.c: (being written) */
