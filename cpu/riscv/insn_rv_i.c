/* cpu/riscv/insn_rv_i.c: RV64I base integer instructions and the M extension (Volume I,
 * chapter 2 "RV32I Base Integer Instruction Set", chapter 5 "RV64I", chapter 7 "M
 * Standard Extension for Integer Multiplication and Division"). */
#include "cpu/riscv/rv_decode.h"

#define X(r) (h->x[(r)])
#define RS1 X(i->rs1)
#define RS2 X(i->rs2)
#define SRS1 ((int64_t)RS1)
#define SRS2 ((int64_t)RS2)
#define W(v) ((uint64_t)(int64_t)(int32_t)(v))

RvStatus rv_exec_illegal(RvHart *h, const RvInsn *i)
{
    return rv_raise(h, EXC_ILLEGAL_INSN, i->raw);
}

RvStatus rv_exec_lui(RvHart *h, const RvInsn *i) { X(i->rd) = (uint64_t)i->imm; return RV_NEXT; }
RvStatus rv_exec_auipc(RvHart *h, const RvInsn *i) { X(i->rd) = rv_pc(h, i) + (uint64_t)i->imm; return RV_NEXT; }

/* Control transfer: targets are 2-byte aligned since C is always present. */
RvStatus rv_exec_jal(RvHart *h, const RvInsn *i)
{
    uint64_t pc = rv_pc(h, i);
    uint64_t link = pc + i->len;
    h->pc = pc + (uint64_t)i->imm;
    X(i->rd) = link;
    return RV_JUMP;
}

RvStatus rv_exec_jalr(RvHart *h, const RvInsn *i)
{
    uint64_t target = (RS1 + (uint64_t)i->imm) & ~1ULL;
    X(i->rd) = rv_pc(h, i) + i->len;
    h->pc = target;
    return RV_JUMP;
}

static inline RvStatus branch(RvHart *h, const RvInsn *i, bool taken)
{
    h->pc = rv_pc(h, i) + (taken ? (uint64_t)i->imm : i->len);
    return RV_JUMP;
}

RvStatus rv_exec_beq(RvHart *h, const RvInsn *i) { return branch(h, i, RS1 == RS2); }
RvStatus rv_exec_bne(RvHart *h, const RvInsn *i) { return branch(h, i, RS1 != RS2); }
RvStatus rv_exec_blt(RvHart *h, const RvInsn *i) { return branch(h, i, SRS1 < SRS2); }
RvStatus rv_exec_bge(RvHart *h, const RvInsn *i) { return branch(h, i, SRS1 >= SRS2); }
RvStatus rv_exec_bltu(RvHart *h, const RvInsn *i) { return branch(h, i, RS1 < RS2); }
RvStatus rv_exec_bgeu(RvHart *h, const RvInsn *i) { return branch(h, i, RS1 >= RS2); }

static inline RvStatus load(RvHart *h, const RvInsn *i, unsigned size, bool sign)
{
    uint64_t v;
    RvStatus st = rv_load(h, RS1 + (uint64_t)i->imm, size, &v);
    if (st != RV_NEXT)
        return st;
    X(i->rd) = sign ? (uint64_t)sext64(v, size * 8) : v;
    return RV_NEXT;
}

RvStatus rv_exec_lb(RvHart *h, const RvInsn *i) { return load(h, i, 1, true); }
RvStatus rv_exec_lh(RvHart *h, const RvInsn *i) { return load(h, i, 2, true); }
RvStatus rv_exec_lw(RvHart *h, const RvInsn *i) { return load(h, i, 4, true); }
RvStatus rv_exec_ld(RvHart *h, const RvInsn *i) { return load(h, i, 8, false); }
RvStatus rv_exec_lbu(RvHart *h, const RvInsn *i) { return load(h, i, 1, false); }
RvStatus rv_exec_lhu(RvHart *h, const RvInsn *i) { return load(h, i, 2, false); }
RvStatus rv_exec_lwu(RvHart *h, const RvInsn *i) { return load(h, i, 4, false); }

RvStatus rv_exec_sb(RvHart *h, const RvInsn *i) { return rv_store(h, RS1 + (uint64_t)i->imm, 1, RS2); }
RvStatus rv_exec_sh(RvHart *h, const RvInsn *i) { return rv_store(h, RS1 + (uint64_t)i->imm, 2, RS2); }
RvStatus rv_exec_sw(RvHart *h, const RvInsn *i) { return rv_store(h, RS1 + (uint64_t)i->imm, 4, RS2); }
RvStatus rv_exec_sd(RvHart *h, const RvInsn *i) { return rv_store(h, RS1 + (uint64_t)i->imm, 8, RS2); }

RvStatus rv_exec_addi(RvHart *h, const RvInsn *i) { X(i->rd) = RS1 + (uint64_t)i->imm; return RV_NEXT; }
RvStatus rv_exec_slti(RvHart *h, const RvInsn *i) { X(i->rd) = SRS1 < i->imm; return RV_NEXT; }
RvStatus rv_exec_sltiu(RvHart *h, const RvInsn *i) { X(i->rd) = RS1 < (uint64_t)i->imm; return RV_NEXT; }
RvStatus rv_exec_xori(RvHart *h, const RvInsn *i) { X(i->rd) = RS1 ^ (uint64_t)i->imm; return RV_NEXT; }
RvStatus rv_exec_ori(RvHart *h, const RvInsn *i) { X(i->rd) = RS1 | (uint64_t)i->imm; return RV_NEXT; }
RvStatus rv_exec_andi(RvHart *h, const RvInsn *i) { X(i->rd) = RS1 & (uint64_t)i->imm; return RV_NEXT; }
RvStatus rv_exec_slli(RvHart *h, const RvInsn *i) { X(i->rd) = RS1 << i->imm; return RV_NEXT; }
RvStatus rv_exec_srli(RvHart *h, const RvInsn *i) { X(i->rd) = RS1 >> i->imm; return RV_NEXT; }
RvStatus rv_exec_srai(RvHart *h, const RvInsn *i) { X(i->rd) = (uint64_t)(SRS1 >> i->imm); return RV_NEXT; }

RvStatus rv_exec_add(RvHart *h, const RvInsn *i) { X(i->rd) = RS1 + RS2; return RV_NEXT; }
RvStatus rv_exec_sub(RvHart *h, const RvInsn *i) { X(i->rd) = RS1 - RS2; return RV_NEXT; }
RvStatus rv_exec_sll(RvHart *h, const RvInsn *i) { X(i->rd) = RS1 << (RS2 & 63); return RV_NEXT; }
RvStatus rv_exec_slt(RvHart *h, const RvInsn *i) { X(i->rd) = SRS1 < SRS2; return RV_NEXT; }
RvStatus rv_exec_sltu(RvHart *h, const RvInsn *i) { X(i->rd) = RS1 < RS2; return RV_NEXT; }
RvStatus rv_exec_xor(RvHart *h, const RvInsn *i) { X(i->rd) = RS1 ^ RS2; return RV_NEXT; }
RvStatus rv_exec_srl(RvHart *h, const RvInsn *i) { X(i->rd) = RS1 >> (RS2 & 63); return RV_NEXT; }
RvStatus rv_exec_sra(RvHart *h, const RvInsn *i) { X(i->rd) = (uint64_t)(SRS1 >> (RS2 & 63)); return RV_NEXT; }
RvStatus rv_exec_or(RvHart *h, const RvInsn *i) { X(i->rd) = RS1 | RS2; return RV_NEXT; }
RvStatus rv_exec_and(RvHart *h, const RvInsn *i) { X(i->rd) = RS1 & RS2; return RV_NEXT; }

RvStatus rv_exec_addiw(RvHart *h, const RvInsn *i) { X(i->rd) = W(RS1 + (uint64_t)i->imm); return RV_NEXT; }
RvStatus rv_exec_slliw(RvHart *h, const RvInsn *i) { X(i->rd) = W((uint32_t)RS1 << i->imm); return RV_NEXT; }
RvStatus rv_exec_srliw(RvHart *h, const RvInsn *i) { X(i->rd) = W((uint32_t)RS1 >> i->imm); return RV_NEXT; }
RvStatus rv_exec_sraiw(RvHart *h, const RvInsn *i) { X(i->rd) = W((int32_t)RS1 >> i->imm); return RV_NEXT; }
RvStatus rv_exec_addw(RvHart *h, const RvInsn *i) { X(i->rd) = W(RS1 + RS2); return RV_NEXT; }
RvStatus rv_exec_subw(RvHart *h, const RvInsn *i) { X(i->rd) = W(RS1 - RS2); return RV_NEXT; }
RvStatus rv_exec_sllw(RvHart *h, const RvInsn *i) { X(i->rd) = W((uint32_t)RS1 << (RS2 & 31)); return RV_NEXT; }
RvStatus rv_exec_srlw(RvHart *h, const RvInsn *i) { X(i->rd) = W((uint32_t)RS1 >> (RS2 & 31)); return RV_NEXT; }
RvStatus rv_exec_sraw(RvHart *h, const RvInsn *i) { X(i->rd) = W((int32_t)RS1 >> (RS2 & 31)); return RV_NEXT; }

/* A single hart sees its own accesses in order and harts run one at a time: FENCE has
 * nothing to order. */
RvStatus rv_exec_fence(RvHart *h, const RvInsn *i) { return RV_NEXT; }

/* Stores into translated code drop the affected blocks (rv_code_written), so the
 * instruction stream is always coherent; FENCE.I only ends the block. */
RvStatus rv_exec_fence_i(RvHart *h, const RvInsn *i) { return RV_END; }

/* M */
RvStatus rv_exec_mul(RvHart *h, const RvInsn *i) { X(i->rd) = RS1 * RS2; return RV_NEXT; }
RvStatus rv_exec_mulh(RvHart *h, const RvInsn *i)
{
    X(i->rd) = (uint64_t)(((__int128)SRS1 * (__int128)SRS2) >> 64);
    return RV_NEXT;
}
RvStatus rv_exec_mulhsu(RvHart *h, const RvInsn *i)
{
    X(i->rd) = (uint64_t)(((__int128)SRS1 * (__int128)(unsigned __int128)RS2) >> 64);
    return RV_NEXT;
}
RvStatus rv_exec_mulhu(RvHart *h, const RvInsn *i)
{
    X(i->rd) = (uint64_t)(((unsigned __int128)RS1 * RS2) >> 64);
    return RV_NEXT;
}

/* Division by zero and overflow have defined results (table 7.1), no trap. */
RvStatus rv_exec_div(RvHart *h, const RvInsn *i)
{
    int64_t a = SRS1, b = SRS2;
    X(i->rd) = b == 0 ? ~0ULL : (a == INT64_MIN && b == -1) ? (uint64_t)a : (uint64_t)(a / b);
    return RV_NEXT;
}
RvStatus rv_exec_divu(RvHart *h, const RvInsn *i)
{
    X(i->rd) = RS2 == 0 ? ~0ULL : RS1 / RS2;
    return RV_NEXT;
}
RvStatus rv_exec_rem(RvHart *h, const RvInsn *i)
{
    int64_t a = SRS1, b = SRS2;
    X(i->rd) = b == 0 ? (uint64_t)a : (a == INT64_MIN && b == -1) ? 0 : (uint64_t)(a % b);
    return RV_NEXT;
}
RvStatus rv_exec_remu(RvHart *h, const RvInsn *i)
{
    X(i->rd) = RS2 == 0 ? RS1 : RS1 % RS2;
    return RV_NEXT;
}
RvStatus rv_exec_mulw(RvHart *h, const RvInsn *i) { X(i->rd) = W((uint32_t)RS1 * (uint32_t)RS2); return RV_NEXT; }
RvStatus rv_exec_divw(RvHart *h, const RvInsn *i)
{
    int32_t a = (int32_t)RS1, b = (int32_t)RS2;
    X(i->rd) = b == 0 ? ~0ULL : (a == INT32_MIN && b == -1) ? W(a) : W(a / b);
    return RV_NEXT;
}
RvStatus rv_exec_divuw(RvHart *h, const RvInsn *i)
{
    uint32_t a = (uint32_t)RS1, b = (uint32_t)RS2;
    X(i->rd) = b == 0 ? ~0ULL : W(a / b);
    return RV_NEXT;
}
RvStatus rv_exec_remw(RvHart *h, const RvInsn *i)
{
    int32_t a = (int32_t)RS1, b = (int32_t)RS2;
    X(i->rd) = b == 0 ? W(a) : (a == INT32_MIN && b == -1) ? 0 : W(a % b);
    return RV_NEXT;
}
RvStatus rv_exec_remuw(RvHart *h, const RvInsn *i)
{
    uint32_t a = (uint32_t)RS1, b = (uint32_t)RS2;
    X(i->rd) = b == 0 ? W(a) : W(a % b);
    return RV_NEXT;
}
