/* cpu/ppc/ppc_model.c: the CPU models hvemu offers, as a table (STYLE.md: model
 * differences are data). PVR values are the ones Linux and the POWER8/POWER9 user
 * manuals give; the category set decides which rows of ppc_insn.def decode. */
#include "cpu/ppc/ppc_cpu.h"

#define CATS_BOOK3S (PPC_CAT_B | PPC_CAT_64 | PPC_CAT_S | PPC_CAT_FP | PPC_CAT_VMX | PPC_CAT_VSX)

const PpcModel ppc_models[] = {
    { .name = "POWER8", .pvr = 0x004d0200, .categories = CATS_BOOK3S | PPC_CAT_V207,
      .dcache_line = 128, .slb_size = 32, .hash_mmu = true },
    { .name = "POWER9", .pvr = 0x004e1200,
      .categories = CATS_BOOK3S | PPC_CAT_V207 | PPC_CAT_V300, .dcache_line = 128,
      .slb_size = 32, .hash_mmu = true },
    { .name = "e500mc", .pvr = 0x80230020,
      .categories = PPC_CAT_B | PPC_CAT_E | PPC_CAT_EHV | PPC_CAT_FP, .dcache_line = 64 },
    { .name = NULL },
};

const PpcModel *ppc_model_find(const char *name)
{
    for (const PpcModel *m = ppc_models; m->name; m++)
        if (!strcasecmp(m->name, name))
            return m;
    return NULL;
}
