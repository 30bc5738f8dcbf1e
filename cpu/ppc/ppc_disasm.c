/* cpu/ppc/ppc_disasm.c: PowerPC disassembly for the logs through Capstone (CS_ARCH_PPC).
 * Capstone reads the instruction word big-endian whatever MSR[LE] the guest fetched it
 * with, so one handle per address size serves both byte orders. Capstone 4 lacks some
 * Book III-E and E.HV instructions (ehpriv, msgsnd, msgclr, tlbilx, rfgi, mfpmr): those
 * print as a .long with the name hvemu's decode table gives them. */
#include "cpu/ppc/ppc_disasm.h"

#include <capstone/capstone.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct PpcDisasm {
    csh cs32, cs64;
};

PpcDisasm *ppc_disasm_open(void)
{
    PpcDisasm *d = calloc(1, sizeof(*d));
    if (!d)
        return NULL;
    if (cs_open(CS_ARCH_PPC, CS_MODE_32 | CS_MODE_BIG_ENDIAN, &d->cs32) != CS_ERR_OK) {
        free(d);
        return NULL;
    }
    if (cs_open(CS_ARCH_PPC, CS_MODE_64 | CS_MODE_BIG_ENDIAN, &d->cs64) != CS_ERR_OK) {
        cs_close(&d->cs32);
        free(d);
        return NULL;
    }
    return d;
}

void ppc_disasm_close(PpcDisasm *d)
{
    if (!d)
        return;
    cs_close(&d->cs32);
    cs_close(&d->cs64);
    free(d);
}

void ppc_disasm(PpcDisasm *d, bool is64, uint64_t pc, uint32_t word, const char *name,
                char *buf, size_t size)
{
    const uint8_t bytes[4] = { (uint8_t)(word >> 24), (uint8_t)(word >> 16),
                               (uint8_t)(word >> 8), (uint8_t)word };
    cs_insn *insn = NULL;
    size_t n = d ? cs_disasm(is64 ? d->cs64 : d->cs32, bytes, 4, pc, 1, &insn) : 0;
    if (n == 1) {
        if (insn->op_str[0])
            snprintf(buf, size, "%-8s %s", insn->mnemonic, insn->op_str);
        else
            snprintf(buf, size, "%s", insn->mnemonic);
    } else if (name) {
        snprintf(buf, size, ".long 0x%08x  # %s", word, name);
    } else {
        snprintf(buf, size, ".long 0x%08x", word);
    }
    if (n)
        cs_free(insn, n);
}
