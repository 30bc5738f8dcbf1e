/* cpu/ppc/ppc_decode.c: table-driven decoder for the Power ISA (Book I, 1.6
 * "Instruction Formats"). The rows live in ppc_insn.def; this file extracts the fields
 * of each format, in the ISA's big-endian bit numbering (bit 0 is the most significant
 * bit of the word). */
#include "cpu/ppc/ppc_decode.h"

const PpcInsnDesc ppc_insn_table[PPC_OP_COUNT] = {
#define PPC_INSN(n, m, k, f, cat, fl) \
    [PPC_OP_##n] = { .name = #n, .match = m, .mask = k, .form = PPCFORM_##f, \
                     .categories = PPC_CAT_SHORT_##cat, .flags = fl, .fn = ppc_exec_##n },
#include "cpu/ppc/ppc_insn.def"
#undef PPC_INSN
};

/* Bits a..b (ISA numbering, inclusive) of the word. */
static uint32_t fld(uint32_t x, unsigned a, unsigned b)
{
    return (x >> (31 - b)) & ((1u << (b - a + 1)) - 1);
}

unsigned ppc_decode(uint32_t x, uint32_t cats, PpcInsn *out)
{
    *out = (PpcInsn){ .fn = ppc_exec_illegal, .raw = x, .op = PPC_OP_ILLEGAL };
    const PpcInsnDesc *d = NULL;
    for (unsigned k = 0; k < PPC_OP_COUNT; k++) {
        const PpcInsnDesc *r = &ppc_insn_table[k];
        if ((x & r->mask) == r->match && (r->categories & cats) == r->categories) {
            d = r;
            break;
        }
    }
    if (!d)
        return PPCF_END;
    out->fn = d->fn;
    out->op = (uint16_t)(d - ppc_insn_table);
    out->rt = (uint8_t)fld(x, 6, 10);
    out->ra = (uint8_t)fld(x, 11, 15);
    out->rb = (uint8_t)fld(x, 16, 20);
    out->rc = (uint8_t)fld(x, 21, 25);
    if (fld(x, 31, 31))
        out->flags |= PPC_IF_RC;
    switch (d->form) {
    case PPCFORM_I:
        out->imm = sext64(x & 0x03fffffc, 26);
        out->flags = (uint8_t)((fld(x, 30, 30) ? PPC_IF_AA : 0) | (fld(x, 31, 31) ? PPC_IF_LK : 0));
        break;
    case PPCFORM_B:
        out->imm = sext64(x & 0xfffc, 16);
        out->flags = (uint8_t)((fld(x, 30, 30) ? PPC_IF_AA : 0) | (fld(x, 31, 31) ? PPC_IF_LK : 0));
        break;
    case PPCFORM_XL:
        out->aux = (uint8_t)fld(x, 19, 20); /* BH */
        out->flags = fld(x, 31, 31) ? PPC_IF_LK : 0;
        break;
    case PPCFORM_SC:
        out->imm = fld(x, 20, 26); /* LEV */
        out->flags = 0;
        break;
    case PPCFORM_D:
        out->imm = (int16_t)(x & 0xffff);
        out->flags = 0;
        break;
    case PPCFORM_DS:
        out->imm = (int16_t)(x & 0xfffc);
        out->aux = (uint8_t)(x & 3); /* XO */
        out->flags = 0;
        break;
    case PPCFORM_DQ:
        out->imm = (int16_t)(x & 0xfff0);
        out->aux = (uint8_t)(x & 7);
        out->flags = 0;
        if (fld(x, 0, 5) == 61) /* lxv, stxv: XT/XS = TX || T */
            out->rt = (uint8_t)(out->rt | fld(x, 28, 28) << 5);
        break;
    case PPCFORM_DX: /* addpcis: d0 || d1 || d2 */
        out->imm = sext64((fld(x, 16, 25) << 6) | (fld(x, 11, 15) << 1) | fld(x, 31, 31), 16);
        out->flags = 0;
        break;
    case PPCFORM_XFX:
        out->spr = (uint16_t)(fld(x, 11, 15) | (fld(x, 16, 20) << 5));
        out->flags = 0;
        break;
    case PPCFORM_XFL:
        out->spr = (uint16_t)fld(x, 7, 14); /* FLM */
        break;
    case PPCFORM_XO:
        if (fld(x, 21, 21))
            out->flags |= PPC_IF_OE;
        break;
    case PPCFORM_XS: /* sradi: sh = sh5 || sh0:4 */
        out->imm = fld(x, 16, 20) | (fld(x, 30, 30) << 5);
        break;
    case PPCFORM_M:
        out->rc = (uint8_t)fld(x, 21, 25);  /* MB */
        out->aux = (uint8_t)fld(x, 26, 30); /* ME */
        break;
    case PPCFORM_MD:
        out->imm = fld(x, 16, 20) | (fld(x, 30, 30) << 5);      /* sh */
        out->rc = (uint8_t)(fld(x, 21, 25) | (fld(x, 26, 26) << 5)); /* mb/me, 6 bits */
        break;
    case PPCFORM_MDS:
        out->rc = (uint8_t)(fld(x, 21, 25) | (fld(x, 26, 26) << 5));
        break;
    case PPCFORM_VA:
    case PPCFORM_VX:
        out->flags = 0;
        break;
    case PPCFORM_VC:
        out->flags = fld(x, 21, 21) ? PPC_IF_RC : 0;
        break;
    case PPCFORM_XX1:
        out->rt = (uint8_t)(fld(x, 6, 10) | (fld(x, 31, 31) << 5));
        out->flags = 0;
        break;
    case PPCFORM_XX2:
        out->rt = (uint8_t)(fld(x, 6, 10) | (fld(x, 31, 31) << 5));
        out->rb = (uint8_t)(fld(x, 16, 20) | (fld(x, 30, 30) << 5));
        out->flags = 0;
        break;
    case PPCFORM_XX3:
        out->rt = (uint8_t)(fld(x, 6, 10) | (fld(x, 31, 31) << 5));
        out->ra = (uint8_t)(fld(x, 11, 15) | (fld(x, 29, 29) << 5));
        out->rb = (uint8_t)(fld(x, 16, 20) | (fld(x, 30, 30) << 5));
        /* Rc of the vector compares, whose rows leave bit 21 out of the mask; elsewhere it
         * belongs to XO */
        out->flags = !(d->mask & 0x400) && fld(x, 21, 21) ? PPC_IF_RC : 0;
        break;
    case PPCFORM_XX4:
        out->rt = (uint8_t)(fld(x, 6, 10) | (fld(x, 31, 31) << 5));
        out->ra = (uint8_t)(fld(x, 11, 15) | (fld(x, 29, 29) << 5));
        out->rb = (uint8_t)(fld(x, 16, 20) | (fld(x, 30, 30) << 5));
        out->rc = (uint8_t)(fld(x, 21, 25) | (fld(x, 28, 28) << 5));
        out->flags = 0;
        break;
    case PPCFORM_X:
    case PPCFORM_A:
    case PPCFORM_Z23:
    case PPCFORM_NONE:
        break;
    }
    if ((d->flags & PPCF_RA0) && out->ra == 0)
        out->ra = PPC_REG_ZERO;
    return d->flags;
}
