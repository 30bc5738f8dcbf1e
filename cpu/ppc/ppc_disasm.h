/* cpu/ppc/ppc_disasm.h: PowerPC disassembly for the logs (-d in_asm, -d exec), by Capstone,
 * with the name from hvemu's own decode table where Capstone does not know a word. */
#ifndef HVEMU_PPC_DISASM_H
#define HVEMU_PPC_DISASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct PpcDisasm PpcDisasm;

/* NULL if Capstone cannot be opened for PowerPC. */
PpcDisasm *ppc_disasm_open(void);
void ppc_disasm_close(PpcDisasm *d);

/* Writes "mnemonic operands" for the instruction `word` at `pc` (branch targets are
 * absolute; is64 selects 64-bit address arithmetic). A word Capstone does not decode
 * comes out as ".long 0x..."; when hvemu's decoder knows it, `name` follows as a comment
 * ("# ehpriv"). name may be NULL. */
void ppc_disasm(PpcDisasm *d, bool is64, uint64_t pc, uint32_t word, const char *name,
                char *buf, size_t size);

#endif
