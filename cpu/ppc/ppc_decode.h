/* cpu/ppc/ppc_decode.h: the decoder built from ppc_insn.def, and the names the
 * disassembly in traces uses (Capstone disassembles PowerPC for -d in_asm; this table
 * is the decoder's own view). */
#ifndef HVEMU_PPC_DECODE_H
#define HVEMU_PPC_DECODE_H

#include "cpu/ppc/ppc_cpu.h"

typedef enum PpcForm {
    PPCFORM_I, PPCFORM_B, PPCFORM_SC, PPCFORM_D, PPCFORM_DS, PPCFORM_DQ, PPCFORM_DX,
    PPCFORM_X, PPCFORM_XL, PPCFORM_XFX, PPCFORM_XFL, PPCFORM_XO, PPCFORM_XS, PPCFORM_A,
    PPCFORM_M, PPCFORM_MD, PPCFORM_MDS, PPCFORM_VA, PPCFORM_VX, PPCFORM_VC, PPCFORM_XX1,
    PPCFORM_XX2, PPCFORM_XX3, PPCFORM_XX4, PPCFORM_Z23, PPCFORM_NONE,
} PpcForm;

#define PPCF_END 1u   /* ends a translation block */
#define PPCF_RA0 2u   /* (RA|0): RA = 0 means the value 0 */

/* Short names for the category column. */
#define PPC_CAT_SHORT_B PPC_CAT_B
#define PPC_CAT_SHORT_64 PPC_CAT_64
#define PPC_CAT_SHORT_S PPC_CAT_S
#define PPC_CAT_SHORT_E PPC_CAT_E
#define PPC_CAT_SHORT_EHV PPC_CAT_EHV
#define PPC_CAT_SHORT_FP PPC_CAT_FP
#define PPC_CAT_SHORT_VMX PPC_CAT_VMX
#define PPC_CAT_SHORT_VSX PPC_CAT_VSX
#define PPC_CAT_SHORT_V207 PPC_CAT_V207
#define PPC_CAT_SHORT_V300 PPC_CAT_V300
/* Quirk(e500mc): ISA 2.06 cores ignore the reserved bits 11:20 of mffs, so the ISA 3.0
 * mffs variants (mffscrn, mffsl, ... glibc's libm uses them) run there as mffs. */
#define PPC_CAT_SHORT_SFP (PPC_CAT_S | PPC_CAT_FP)
#define PPC_CAT_SHORT_EFP (PPC_CAT_E | PPC_CAT_FP)
/* Vector rows of a later ISA need the facility and the version. */
#define PPC_CAT_SHORT_VMX207 (PPC_CAT_VMX | PPC_CAT_V207)
#define PPC_CAT_SHORT_VMX300 (PPC_CAT_VMX | PPC_CAT_V300)
#define PPC_CAT_SHORT_VSX207 (PPC_CAT_VSX | PPC_CAT_V207)
#define PPC_CAT_SHORT_VSX300 (PPC_CAT_VSX | PPC_CAT_V300)

typedef enum PpcOp {
#define PPC_INSN(name, match, mask, form, cat, flags) PPC_OP_##name,
#include "cpu/ppc/ppc_insn.def"
#undef PPC_INSN
    PPC_OP_COUNT,
    PPC_OP_ILLEGAL = PPC_OP_COUNT,
} PpcOp;

typedef struct PpcInsnDesc {
    const char *name;
    uint32_t match, mask;
    PpcForm form;
    uint32_t categories;
    uint32_t flags;
    PpcExecFn fn;
} PpcInsnDesc;

extern const PpcInsnDesc ppc_insn_table[PPC_OP_COUNT];

#define PPC_INSN(name, match, mask, form, cat, flags) \
    PpcStatus ppc_exec_##name(PpcCpu *c, const PpcInsn *i);
#include "cpu/ppc/ppc_insn.def"
#undef PPC_INSN
PpcStatus ppc_exec_illegal(PpcCpu *c, const PpcInsn *i);

/* Decodes `word` for a model with categories `cats`; words that match no row (or a row
 * of a category the model lacks) get ppc_exec_illegal. Returns the PPCF_* flags. */
unsigned ppc_decode(uint32_t word, uint32_t cats, PpcInsn *out);

#endif
