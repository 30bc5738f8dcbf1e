/* cpu/riscv/rv_decode.h: the decoder built from rv_insn.def, compressed-instruction
 * expansion, and the disassembler that shares the same table. */
#ifndef HVEMU_RV_DECODE_H
#define HVEMU_RV_DECODE_H

#include "cpu/riscv/rv_cpu.h"

typedef enum RvForm {
    RVFORM_R, RVFORM_I, RVFORM_S, RVFORM_B, RVFORM_U, RVFORM_J, RVFORM_SH, RVFORM_SHW,
    RVFORM_R4, RVFORM_FR, RVFORM_FR1, RVFORM_CSR, RVFORM_CSRI, RVFORM_AMO, RVFORM_LR,
    RVFORM_HSV, RVFORM_NONE,
} RvForm;

typedef enum RvExt {
    RVEXT_I, RVEXT_M, RVEXT_A, RVEXT_F, RVEXT_D, RVEXT_ZICSR, RVEXT_ZIFENCEI, RVEXT_PRIV,
    RVEXT_ZICBOM, RVEXT_ZICBOZ, RVEXT_H,
} RvExt;

#define RVF_END 1u
#define RVF_XD 2u   /* an F/D instruction whose destination is an integer register */
#define RVF_XS 4u   /* an F/D instruction whose source is an integer register */

typedef enum RvOp {
#define RV_INSN(name, match, mask, form, ext, flags) RV_OP_##name,
#include "cpu/riscv/rv_insn.def"
#undef RV_INSN
    RV_OP_COUNT,
    RV_OP_ILLEGAL = RV_OP_COUNT,
} RvOp;

typedef struct RvInsnDesc {
    const char *name;
    uint32_t match, mask;
    RvForm form;
    RvExt ext;
    uint32_t flags;
    RvExecFn fn;
} RvInsnDesc;

extern const RvInsnDesc rv_insn_table[RV_OP_COUNT];

#define RV_INSN(name, match, mask, form, ext, flags) \
    RvStatus rv_exec_##name(RvHart *h, const RvInsn *i);
#include "cpu/riscv/rv_insn.def"
#undef RV_INSN
RvStatus rv_exec_illegal(RvHart *h, const RvInsn *i);

/* Expands a 16-bit instruction into its 32-bit equivalent; 0 if reserved/illegal. */
uint32_t rv_expand_compressed(uint16_t c);
/* Length in bytes of the instruction whose low half is `lo`. */
static inline unsigned rv_insn_len(uint16_t lo)
{
    return (lo & 3) == 3 ? 4 : 2;
}
/* Decodes the instruction `raw` (16-bit forms in the low half). Unknown encodings get
 * rv_exec_illegal. Returns the RVF_* flags of the row. */
unsigned rv_decode(uint32_t raw, RvInsn *out);
/* The same for a hart: rows of extensions it lacks (H without misa.H) decode as illegal. */
unsigned rv_decode_for(uint32_t raw, RvInsn *out, bool has_h);
/* Writes "mnemonic operands" for a decoded instruction. */
void rv_disasm(const RvInsn *i, uint64_t pc, char *buf, size_t size);

#endif
