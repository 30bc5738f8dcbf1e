/* cpu/riscv/rv_decode.c: table-driven decoder for RV64GC (Volume I, chapter 24 "RV32/64G
 * Instruction Set Listings" and chapter 16 "C" for the compressed forms). The table is
 * rv_insn.def; this file extracts operands by form and expands compressed instructions
 * into their 32-bit equivalents, so one set of semantic functions serves both. */
#include "cpu/riscv/rv_decode.h"

#include <stdio.h>

const RvInsnDesc rv_insn_table[RV_OP_COUNT] = {
#define RV_INSN(n, m, k, f, e, fl) \
    [RV_OP_##n] = { .name = #n, .match = m, .mask = k, .form = RVFORM_##f, \
                    .ext = RVEXT_##e, .flags = fl, .fn = rv_exec_##n },
#include "cpu/riscv/rv_insn.def"
#undef RV_INSN
};

static int64_t imm_i(uint32_t x) { return (int32_t)x >> 20; }
/* The sign bit is instruction bit 31 in every format: assemble unsigned, then shift the
 * sign down arithmetically. */
static int64_t imm_s(uint32_t x) { return (int32_t)((x & 0xfe000000) | ((x >> 7) & 0x1f) << 20) >> 20; }
static int64_t imm_b(uint32_t x)
{
    uint32_t u = (x & 0x80000000) | ((x >> 7) & 1) << 30 | ((x >> 25) & 0x3f) << 24 |
                 ((x >> 8) & 0xf) << 20;
    return (int32_t)u >> 19;
}
static int64_t imm_u(uint32_t x) { return (int32_t)(x & 0xfffff000); }
static int64_t imm_j(uint32_t x)
{
    uint32_t u = (x & 0x80000000) | ((x >> 12) & 0xff) << 23 | ((x >> 20) & 1) << 22 |
                 ((x >> 21) & 0x3ff) << 12;
    return (int32_t)u >> 11;
}

static unsigned sink(unsigned rd) { return rd == 0 ? RV_REG_SINK : rd; }

unsigned rv_decode(uint32_t raw, RvInsn *out)
{
    return rv_decode_for(raw, out, true);
}

unsigned rv_decode_for(uint32_t raw, RvInsn *out, bool has_h)
{
    unsigned len = rv_insn_len((uint16_t)raw);
    uint32_t x = raw;
    *out = (RvInsn){ .fn = rv_exec_illegal, .raw = len == 2 ? (raw & 0xffff) : raw,
                     .op = RV_OP_ILLEGAL, .len = (uint8_t)len };
    if (len == 2) {
        x = rv_expand_compressed((uint16_t)raw);
        if (!x)
            return RVF_END;
    }
    const RvInsnDesc *d = NULL;
    for (unsigned k = 0; k < RV_OP_COUNT; k++) {
        if ((x & rv_insn_table[k].mask) == rv_insn_table[k].match) {
            d = &rv_insn_table[k];
            break;
        }
    }
    if (!d || (d->ext == RVEXT_H && !has_h))
        return RVF_END;
    unsigned rd = (x >> 7) & 31, rs1 = (x >> 15) & 31, rs2 = (x >> 20) & 31;
    out->fn = d->fn;
    out->op = (uint16_t)(d - rv_insn_table);
    out->rd = (uint8_t)sink(rd);
    out->rs1 = (uint8_t)rs1;
    out->rs2 = (uint8_t)rs2;
    out->rs3 = (uint8_t)(x >> 27);
    out->rm = (uint8_t)((x >> 12) & 7);
    switch (d->form) {
    case RVFORM_I: out->imm = imm_i(x); break;
    case RVFORM_S: out->imm = imm_s(x); break;
    case RVFORM_B: out->imm = imm_b(x); break;
    case RVFORM_U: out->imm = imm_u(x); break;
    case RVFORM_J: out->imm = imm_j(x); break;
    case RVFORM_SH: out->imm = (x >> 20) & 63; break;
    case RVFORM_SHW: out->imm = (x >> 20) & 31; break;
    case RVFORM_CSR: out->csr = (uint16_t)(x >> 20); break;
    case RVFORM_CSRI: out->csr = (uint16_t)(x >> 20); out->imm = rs1; break;
    case RVFORM_HSV:
        out->rd = RV_REG_SINK;
        break;
    case RVFORM_AMO:
    case RVFORM_LR: out->rm = (uint8_t)((x >> 25) & 3); break; /* aq, rl */
    case RVFORM_FR:
    case RVFORM_FR1:
    case RVFORM_R4:
    case RVFORM_R:
    case RVFORM_NONE: break;
    }
    /* FP destinations may be f0: only integer destinations use the sink. */
    if ((d->ext == RVEXT_F || d->ext == RVEXT_D) && !(d->flags & RVF_XD))
        out->rd = (uint8_t)rd;
    return d->flags;
}

/* Encoders for the expansion below. */
static uint32_t enc_r(uint32_t op, unsigned rd, unsigned f3, unsigned rs1, unsigned rs2,
                      unsigned f7)
{
    return op | rd << 7 | f3 << 12 | rs1 << 15 | rs2 << 20 | f7 << 25;
}
static uint32_t enc_i(uint32_t op, unsigned rd, unsigned f3, unsigned rs1, int32_t imm)
{
    return op | rd << 7 | f3 << 12 | rs1 << 15 | ((uint32_t)imm & 0xfff) << 20;
}
static uint32_t enc_s(uint32_t op, unsigned f3, unsigned rs1, unsigned rs2, int32_t imm)
{
    uint32_t u = (uint32_t)imm;
    return op | (u & 0x1f) << 7 | f3 << 12 | rs1 << 15 | rs2 << 20 | ((u >> 5) & 0x7f) << 25;
}
static uint32_t enc_b(unsigned f3, unsigned rs1, unsigned rs2, int32_t imm)
{
    uint32_t u = (uint32_t)imm;
    return 0x63 | ((u >> 11) & 1) << 7 | ((u >> 1) & 0xf) << 8 | f3 << 12 | rs1 << 15 |
           rs2 << 20 | ((u >> 5) & 0x3f) << 25 | ((u >> 12) & 1) << 31;
}
static uint32_t enc_j(unsigned rd, int32_t imm)
{
    uint32_t u = (uint32_t)imm;
    return 0x6f | rd << 7 | ((u >> 12) & 0xff) << 12 | ((u >> 11) & 1) << 20 |
           ((u >> 1) & 0x3ff) << 21 | ((u >> 20) & 1) << 31;
}

static uint32_t cb(uint16_t c, unsigned hi, unsigned lo) /* bits hi..lo of c */
{
    return (c >> lo) & ((1u << (hi - lo + 1)) - 1);
}

/* Volume I, chapter 16.8 "RVC Instruction Set Listings", RV64 column. */
uint32_t rv_expand_compressed(uint16_t c)
{
    unsigned f3 = c >> 13;
    unsigned rd = cb(c, 11, 7), rs2 = cb(c, 6, 2);
    unsigned rdp = cb(c, 4, 2) + 8, rs1p = cb(c, 9, 7) + 8;
    int32_t imm6 = (int32_t)sext64(cb(c, 12, 12) << 5 | cb(c, 6, 2), 6);

    switch (c & 3) {
    case 0:
        switch (f3) {
        case 0: { /* c.addi4spn */
            uint32_t u = cb(c, 12, 11) << 4 | cb(c, 10, 7) << 6 | cb(c, 6, 6) << 2 | cb(c, 5, 5) << 3;
            return u ? enc_i(0x13, rdp, 0, 2, (int32_t)u) : 0;
        }
        case 1: return enc_i(0x07, rdp, 3, rs1p, (int32_t)(cb(c, 12, 10) << 3 | cb(c, 6, 5) << 6));
        case 2: return enc_i(0x03, rdp, 2, rs1p,
                             (int32_t)(cb(c, 12, 10) << 3 | cb(c, 6, 6) << 2 | cb(c, 5, 5) << 6));
        case 3: return enc_i(0x03, rdp, 3, rs1p, (int32_t)(cb(c, 12, 10) << 3 | cb(c, 6, 5) << 6));
        case 5: return enc_s(0x27, 3, rs1p, rdp, (int32_t)(cb(c, 12, 10) << 3 | cb(c, 6, 5) << 6));
        case 6: return enc_s(0x23, 2, rs1p, rdp,
                             (int32_t)(cb(c, 12, 10) << 3 | cb(c, 6, 6) << 2 | cb(c, 5, 5) << 6));
        case 7: return enc_s(0x23, 3, rs1p, rdp, (int32_t)(cb(c, 12, 10) << 3 | cb(c, 6, 5) << 6));
        default: return 0;
        }
    case 1:
        switch (f3) {
        case 0: return enc_i(0x13, rd, 0, rd, imm6);                 /* c.addi, c.nop */
        case 1: return rd ? enc_i(0x1b, rd, 0, rd, imm6) : 0;        /* c.addiw */
        case 2: return enc_i(0x13, rd, 0, 0, imm6);                  /* c.li */
        case 3:
            if (rd == 2) { /* c.addi16sp */
                int32_t v = (int32_t)sext64(cb(c, 12, 12) << 9 | cb(c, 6, 6) << 4 | cb(c, 5, 5) << 6 |
                                            cb(c, 4, 3) << 7 | cb(c, 2, 2) << 5, 10);
                return v ? enc_i(0x13, 2, 0, 2, v) : 0;
            }
            if (!imm6)
                return 0;
            return 0x37 | rd << 7 | ((uint32_t)imm6 << 12); /* c.lui: imm6 is nzimm[17:12] */
        case 4:
            switch (cb(c, 11, 10)) {
            case 0: return enc_i(0x13, rs1p, 5, rs1p, (int32_t)(cb(c, 12, 12) << 5 | cb(c, 6, 2)));
            case 1: return enc_i(0x13, rs1p, 5, rs1p,
                                 (int32_t)(0x400 | cb(c, 12, 12) << 5 | cb(c, 6, 2)));
            case 2: return enc_i(0x13, rs1p, 7, rs1p, imm6);
            default: {
                static const struct { uint8_t f3, f7, op; } ops[8] = {
                    { 0, 0x20, 0x33 }, { 4, 0, 0x33 }, { 6, 0, 0x33 }, { 7, 0, 0x33 },
                    { 0, 0x20, 0x3b }, { 0, 0, 0x3b }, { 0, 0, 0 }, { 0, 0, 0 },
                };
                unsigned k = cb(c, 12, 12) << 2 | cb(c, 6, 5);
                if (!ops[k].op)
                    return 0;
                return enc_r(ops[k].op, rs1p, ops[k].f3, rs1p, rdp, ops[k].f7);
            }
            }
        case 5: { /* c.j */
            int32_t off = (int32_t)sext64(cb(c, 12, 12) << 11 | cb(c, 11, 11) << 4 | cb(c, 10, 9) << 8 |
                                          cb(c, 8, 8) << 10 | cb(c, 7, 7) << 6 | cb(c, 6, 6) << 7 |
                                          cb(c, 5, 3) << 1 | cb(c, 2, 2) << 5, 12);
            return enc_j(0, off);
        }
        default: { /* c.beqz, c.bnez */
            int32_t off = (int32_t)sext64(cb(c, 12, 12) << 8 | cb(c, 11, 10) << 3 | cb(c, 6, 5) << 6 |
                                          cb(c, 4, 3) << 1 | cb(c, 2, 2) << 5, 9);
            return enc_b(f3 == 6 ? 0 : 1, rs1p, 0, off);
        }
        }
    case 2:
        switch (f3) {
        case 0: return enc_i(0x13, rd, 1, rd, (int32_t)(cb(c, 12, 12) << 5 | cb(c, 6, 2)));
        case 1: return enc_i(0x07, rd, 3, 2, (int32_t)(cb(c, 12, 12) << 5 | cb(c, 6, 5) << 3 | cb(c, 4, 2) << 6));
        case 2: return rd ? enc_i(0x03, rd, 2, 2, (int32_t)(cb(c, 12, 12) << 5 | cb(c, 6, 4) << 2 | cb(c, 3, 2) << 6)) : 0;
        case 3: return rd ? enc_i(0x03, rd, 3, 2, (int32_t)(cb(c, 12, 12) << 5 | cb(c, 6, 5) << 3 | cb(c, 4, 2) << 6)) : 0;
        case 4:
            if (!cb(c, 12, 12)) {
                if (!rs2)
                    return rd ? enc_i(0x67, 0, 0, rd, 0) : 0; /* c.jr */
                return enc_r(0x33, rd, 0, 0, rs2, 0);          /* c.mv */
            }
            if (!rs2)
                return rd ? enc_i(0x67, 1, 0, rd, 0) : 0x00100073; /* c.jalr, c.ebreak */
            return enc_r(0x33, rd, 0, rd, rs2, 0);                 /* c.add */
        case 5: return enc_s(0x27, 3, 2, rs2, (int32_t)(cb(c, 12, 10) << 3 | cb(c, 9, 7) << 6));
        case 6: return enc_s(0x23, 2, 2, rs2, (int32_t)(cb(c, 12, 9) << 2 | cb(c, 8, 7) << 6));
        default: return enc_s(0x23, 3, 2, rs2, (int32_t)(cb(c, 12, 10) << 3 | cb(c, 9, 7) << 6));
        }
    default:
        return 0;
    }
}

static const char *const xreg_names[33] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4",
    "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4",
    "t5", "t6", "zero",
};

void rv_disasm(const RvInsn *i, uint64_t pc, char *buf, size_t size)
{
    if (i->op >= RV_OP_COUNT) {
        snprintf(buf, size, "illegal 0x%08x", i->raw);
        return;
    }
    const RvInsnDesc *d = &rv_insn_table[i->op];
    char name[24];
    snprintf(name, sizeof(name), "%s", d->name);
    for (char *p = name; *p; p++)
        if (*p == '_')
            *p = '.';
    bool fp = d->ext == RVEXT_F || d->ext == RVEXT_D;
    const char *rd = xreg_names[i->rd], *rs1 = xreg_names[i->rs1], *rs2 = xreg_names[i->rs2];
    char frd[8], frs1[8], frs2[8];
    snprintf(frd, sizeof(frd), "f%u", i->rd & 31);
    if (d->flags & RVF_XD)
        snprintf(frd, sizeof(frd), "%s", rd);
    snprintf(frs1, sizeof(frs1), "f%u", i->rs1);
    if (d->flags & RVF_XS)
        snprintf(frs1, sizeof(frs1), "%s", rs1);
    snprintf(frs2, sizeof(frs2), "f%u", i->rs2);
    switch (d->form) {
    case RVFORM_I:
        if (d->match == 0x3 || d->match == 0x1003 || d->match == 0x2003 || d->match == 0x3003 ||
            d->match == 0x4003 || d->match == 0x5003 || d->match == 0x6003 || fp)
            snprintf(buf, size, "%s %s,%lld(%s)", name, fp ? frd : rd, (long long)i->imm, rs1);
        else
            snprintf(buf, size, "%s %s,%s,%lld", name, rd, rs1, (long long)i->imm);
        break;
    case RVFORM_S:
        snprintf(buf, size, "%s %s,%lld(%s)", name, fp ? frs2 : rs2, (long long)i->imm, rs1);
        break;
    case RVFORM_B:
        snprintf(buf, size, "%s %s,%s,0x%llx", name, rs1, rs2, (unsigned long long)(pc + i->imm));
        break;
    case RVFORM_U:
        snprintf(buf, size, "%s %s,0x%llx", name, rd, (unsigned long long)((uint64_t)i->imm >> 12) & 0xfffff);
        break;
    case RVFORM_J:
        snprintf(buf, size, "%s %s,0x%llx", name, rd, (unsigned long long)(pc + i->imm));
        break;
    case RVFORM_SH:
    case RVFORM_SHW:
        snprintf(buf, size, "%s %s,%s,%lld", name, rd, rs1, (long long)i->imm);
        break;
    case RVFORM_CSR:
        snprintf(buf, size, "%s %s,%s,%s", name, rd, rv_csr_name(i->csr), rs1);
        break;
    case RVFORM_CSRI:
        snprintf(buf, size, "%s %s,%s,%lld", name, rd, rv_csr_name(i->csr), (long long)i->imm);
        break;
    case RVFORM_AMO:
        snprintf(buf, size, "%s %s,%s,(%s)", name, rd, rs2, rs1);
        break;
    case RVFORM_LR:
        snprintf(buf, size, "%s %s,(%s)", name, rd, rs1);
        break;
    case RVFORM_HSV:
        snprintf(buf, size, "%s %s,(%s)", name, rs2, rs1);
        break;
    case RVFORM_R4:
        snprintf(buf, size, "%s %s,%s,%s,f%u", name, frd, frs1, frs2, i->rs3);
        break;
    case RVFORM_FR:
        snprintf(buf, size, "%s %s,%s,%s", name, frd, frs1, frs2);
        break;
    case RVFORM_FR1:
        snprintf(buf, size, "%s %s,%s", name, frd, frs1);
        break;
    case RVFORM_R:
        if (i->op == RV_OP_sfence_vma || i->op == RV_OP_hfence_vvma || i->op == RV_OP_hfence_gvma)
            snprintf(buf, size, "%s %s,%s", name, rs1, rs2); /* no destination */
        else
            snprintf(buf, size, "%s %s,%s,%s", name, fp ? frd : rd, fp ? frs1 : rs1,
                     fp ? frs2 : rs2);
        break;
    case RVFORM_NONE:
        snprintf(buf, size, "%s", name);
        break;
    }
}
