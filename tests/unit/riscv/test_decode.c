/* tests/unit/riscv/test_decode.c: the RISC-V decoder built from cpu/riscv/rv_insn.def
 * (Volume I, chapter 24 "RV32/64G Instruction Set Listings"; chapter 16 "C" for the
 * compressed forms). The encoding table must be free of overlaps (in the manner of Spike's
 * check-opcode-overlap); every row's match value must decode to that row; operands must
 * land in the right fields for each instruction form; x0 destinations go to the sink
 * register but f0 does not; every RV64C instruction must expand to the 32-bit encoding the
 * spec gives, reserved compressed encodings to 0; and the disassembler must print what an
 * assembler would read back. Expected encodings are assembled by hand from the spec's
 * format diagrams and cross-checked with GNU as/objdump 2.40 (the `gas` column). */
#include "cpu/riscv/rv_decode.h"
#include "tests/unit/unit.h"

/* Integer registers by ABI name; FP registers are given by number. */
enum {
    ZERO, RA, SP, GP, TP, T0, T1, T2, S0, S1, A0, A1, A2, A3, A4, A5, A6, A7,
    S2, S3, S4, S5, S6, S7, S8, S9, S10, S11, T3, T4, T5, T6,
};

/* Major opcodes (Volume I, table 24.1). */
enum {
    OPC_LOAD = 0x03, OPC_LOAD_FP = 0x07, OPC_MISC_MEM = 0x0f, OPC_OP_IMM = 0x13,
    OPC_AUIPC = 0x17, OPC_OP_IMM_32 = 0x1b, OPC_STORE = 0x23, OPC_STORE_FP = 0x27,
    OPC_AMO = 0x2f, OPC_OP = 0x33, OPC_LUI = 0x37, OPC_OP_32 = 0x3b, OPC_BRANCH = 0x63,
    OPC_JALR = 0x67, OPC_JAL = 0x6f, OPC_SYSTEM = 0x73,
};

/* The base instruction formats (Volume I, 2.2 and 2.3), written from the diagrams. */
static uint32_t enc_r(unsigned opc, unsigned rd, unsigned f3, unsigned rs1, unsigned rs2,
                      unsigned f7)
{
    return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
}

static uint32_t enc_i(unsigned opc, unsigned rd, unsigned f3, unsigned rs1, int32_t imm)
{
    return ((uint32_t)imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
}

static uint32_t enc_s(unsigned opc, unsigned f3, unsigned rs1, unsigned rs2, int32_t imm)
{
    uint32_t u = (uint32_t)imm;
    return ((u >> 5) & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (u & 0x1f) << 7 | opc;
}

/* imm[12|10:5] rs2 rs1 funct3 imm[4:1|11] opcode */
static uint32_t enc_b(unsigned f3, unsigned rs1, unsigned rs2, int32_t imm)
{
    uint32_t u = (uint32_t)imm;
    return ((u >> 12) & 1) << 31 | ((u >> 5) & 0x3f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 |
           ((u >> 1) & 0xf) << 8 | ((u >> 11) & 1) << 7 | OPC_BRANCH;
}

static uint32_t enc_u(unsigned opc, unsigned rd, uint32_t imm20)
{
    return (imm20 & 0xfffff) << 12 | rd << 7 | opc;
}

/* imm[20|10:1|11|19:12] rd opcode */
static uint32_t enc_j(unsigned rd, int32_t imm)
{
    uint32_t u = (uint32_t)imm;
    return ((u >> 20) & 1) << 31 | ((u >> 1) & 0x3ff) << 21 | ((u >> 11) & 1) << 20 |
           ((u >> 12) & 0xff) << 12 | rd << 7 | OPC_JAL;
}

static RvInsn dec(uint32_t raw)
{
    RvInsn i;
    rv_decode(raw, &i);
    return i;
}

static const char *op_name(unsigned op)
{
    return op < RV_OP_COUNT ? rv_insn_table[op].name : "illegal";
}

/* --- (a) the encoding table --- */

/* Two rows overlap when some encoding matches both: on the bits both masks fix, the match
 * values agree. (Testing only whether one row's match value matches the other row misses
 * rows whose fixed bits are disjoint.) */
static bool rows_overlap(uint32_t match_a, uint32_t mask_a, uint32_t match_b, uint32_t mask_b)
{
    return ((match_a ^ match_b) & mask_a & mask_b) == 0;
}

static void test_overlap_checker(void)
{
    const RvInsnDesc *fence = &rv_insn_table[RV_OP_fence];
    const RvInsnDesc *cbo_zero = &rv_insn_table[RV_OP_cbo_zero];
    /* fence and cbo.* share MISC-MEM but differ in funct3. */
    CHECK(!rows_overlap(fence->match, fence->mask, cbo_zero->match, cbo_zero->mask));
    /* A fence row that ignored funct3 would swallow the cbo.* encodings. */
    CHECK(rows_overlap(OPC_MISC_MEM, 0x7f, cbo_zero->match, cbo_zero->mask));
    /* Rows with disjoint fixed bits overlap although neither match value matches the other. */
    CHECK(rows_overlap(0x1003, 0x1003, 0x2003, 0x2003));
    CHECK((0x1003u & 0x2003u) != 0x2003u && (0x2003u & 0x1003u) != 0x1003u);
    CHECK(!rows_overlap(0x1003, 0x3003, 0x2003, 0x3003));
}

static void test_table_rows(void)
{
    for (unsigned k = 0; k < RV_OP_COUNT; k++) {
        const RvInsnDesc *d = &rv_insn_table[k];
        bool ok = d->name && d->fn && (d->match & ~d->mask) == 0 && (d->mask & 0x7f) == 0x7f &&
                  (d->match & 3) == 3 && (d->match & 0x1c) != 0x1c;
        for (unsigned j = 0; ok && j < k; j++)
            ok = strcmp(d->name, rv_insn_table[j].name) != 0;
        if (!ok)
            fprintf(stderr, "rv_insn.def row %s: bad match/mask or duplicate name\n", d->name);
        CHECK(ok);
    }
}

static void test_no_overlap(void)
{
    for (unsigned a = 0; a < RV_OP_COUNT; a++) {
        const RvInsnDesc *x = &rv_insn_table[a];
        unsigned clashes = 0;
        for (unsigned b = a + 1; b < RV_OP_COUNT; b++) {
            const RvInsnDesc *y = &rv_insn_table[b];
            if (rows_overlap(x->match, x->mask, y->match, y->mask)) {
                fprintf(stderr, "rv_insn.def: %s (0x%08x/0x%08x) overlaps %s (0x%08x/0x%08x)\n",
                        x->name, x->match, x->mask, y->name, y->match, y->mask);
                clashes++;
            }
        }
        CHECK_EQ(clashes, 0);
    }
}

/* --- (b) every row decodes to itself; operands by form --- */

static void test_rows_decode_to_themselves(void)
{
    uint32_t seed = 0x12345678;
    for (unsigned k = 0; k < RV_OP_COUNT; k++) {
        const RvInsnDesc *d = &rv_insn_table[k];
        RvInsn i;
        unsigned flags = rv_decode(d->match, &i);
        bool ok = i.op == k && i.fn == d->fn && flags == d->flags && i.len == 4 &&
                  i.raw == d->match;
        /* The bits the row leaves free must not change the row. */
        for (unsigned n = 0; n < 32; n++) {
            seed = seed * 1664525u + 1013904223u;
            uint32_t x = d->match | (seed & ~d->mask);
            rv_decode(x, &i);
            if (i.op != k) {
                fprintf(stderr, "0x%08x decodes as %s, not %s\n", x, op_name(i.op), d->name);
                ok = false;
            }
        }
        if (!ok)
            fprintf(stderr, "row %s does not decode to itself\n", d->name);
        CHECK(ok);
    }
}

static void test_illegal(void)
{
    RvInsn i = dec(0xffffffff);
    CHECK_EQ(i.op, RV_OP_ILLEGAL);
    CHECK(i.fn == rv_exec_illegal);
    CHECK_EQ(i.len, 4);
    CHECK_EQ(i.raw, 0xffffffff);
    CHECK_EQ(rv_decode(0xfe007033, &i) & RVF_END, RVF_END); /* OP with funct3 7, funct7 0x7f */
    CHECK_EQ(i.op, RV_OP_ILLEGAL);
}

/* Checks op, rd, rs1, rs2 and imm of one decoded 32-bit instruction. */
#define CHECK_INSN(raw, name, rd_, rs1_, rs2_, imm_)                                           \
    do {                                                                                       \
        RvInsn i_ = dec(raw);                                                                  \
        CHECK_EQ(i_.op, RV_OP_##name);                                                         \
        CHECK_EQ(i_.rd, rd_);                                                                  \
        CHECK_EQ(i_.rs1, rs1_);                                                                \
        CHECK_EQ(i_.rs2, rs2_);                                                                \
        CHECK_EQ(i_.imm, (int64_t)(imm_));                                                     \
    } while (0)

static void test_forms(void)
{
    /* The hand encoders agree with GNU as on one instruction of each format. */
    CHECK_EQ(enc_r(OPC_OP, A0, 0, A1, A2, 0), 0x00c58533);
    CHECK_EQ(enc_i(OPC_OP_IMM, A0, 0, A1, -2048), 0x80058513);
    CHECK_EQ(enc_s(OPC_STORE, 3, A2, A1, -8), 0xfeb63c23);
    CHECK_EQ(enc_b(0, A0, A1, -4096), 0x80b50063);
    CHECK_EQ(enc_b(1, T6, ZERO, 4094), 0x7e0f9fe3);
    CHECK_EQ(enc_u(OPC_LUI, A0, 0xfffff), 0xfffff537);
    CHECK_EQ(enc_j(ZERO, -1048576), 0x8000006f);
    CHECK_EQ(enc_j(T0, 1048574), 0x7ffff2ef);

    /* R */
    CHECK_INSN(0x00c58533, add, A0, A1, A2, 0);            /* add a0,a1,a2 */
    CHECK_INSN(0x41b08fb3, sub, T6, RA, S11, 0);           /* sub t6,ra,s11 */
    /* I */
    CHECK_INSN(0x80058513, addi, A0, A1, 0, -2048);        /* addi a0,a1,-2048 */
    CHECK_INSN(0x7ff30293, addi, T0, T1, 31, 2047);        /* addi t0,t1,2047 */
    CHECK_INSN(0xffc12503, lw, A0, SP, 28, -4);            /* lw a0,-4(sp) */
    CHECK_INSN(0xfff280e7, jalr, RA, T0, 31, -1);          /* jalr ra,-1(t0) */
    /* S */
    CHECK_EQ(dec(0xfeb63c23).op, RV_OP_sd);                /* sd a1,-8(a2) */
    CHECK_EQ(dec(0xfeb63c23).rs1, A2);
    CHECK_EQ(dec(0xfeb63c23).rs2, A1);
    CHECK_EQ(dec(0xfeb63c23).imm, -8);
    CHECK_EQ(dec(0x7ff42fa3).op, RV_OP_sw);                /* sw t6,2047(s0) */
    CHECK_EQ(dec(0x7ff42fa3).imm, 2047);
    CHECK_EQ(dec(0x7ff42fa3).rs2, T6);
    CHECK_EQ(dec(0x80008023).op, RV_OP_sb);                /* sb zero,-2048(ra) */
    CHECK_EQ(dec(0x80008023).imm, -2048);
    CHECK_EQ(dec(0x80008023).rs1, RA);
    /* B: the largest offsets both ways and -2 */
    CHECK_EQ(dec(0x80b50063).op, RV_OP_beq);               /* beq a0,a1,.-4096 */
    CHECK_EQ(dec(0x80b50063).imm, -4096);
    CHECK_EQ(dec(0x80b50063).rs1, A0);
    CHECK_EQ(dec(0x80b50063).rs2, A1);
    CHECK_EQ(dec(0x7e0f9fe3).op, RV_OP_bne);               /* bne t6,zero,.+4094 */
    CHECK_EQ(dec(0x7e0f9fe3).imm, 4094);
    CHECK_EQ(dec(0x7e0f9fe3).rs1, T6);
    CHECK_EQ(dec(0xfe945fe3).op, RV_OP_bge);               /* bge s0,s1,.-2 */
    CHECK_EQ(dec(0xfe945fe3).imm, -2);
    CHECK_EQ(dec(enc_b(6, A2, A3, 0x554)).imm, 0x554);    /* bltu: alternating bits */
    CHECK_EQ(dec(enc_b(7, A2, A3, -0xaac)).imm, -0xaac);  /* bgeu */
    /* U: the immediate is sign-extended from bit 31 */
    CHECK_EQ(dec(0xfffff537).op, RV_OP_lui);               /* lui a0,0xfffff */
    CHECK_EQ(dec(0xfffff537).imm, (int64_t)-4096);
    CHECK_EQ(dec(0xfffff537).rd, A0);
    CHECK_EQ(dec(0x80000297).op, RV_OP_auipc);             /* auipc t0,0x80000 */
    CHECK_EQ(dec(0x80000297).imm, (int64_t)INT32_MIN);
    CHECK_EQ(dec(0x123454b7).imm, 0x12345000);             /* lui s1,0x12345 */
    /* J */
    CHECK_EQ(dec(0xfffff0ef).op, RV_OP_jal);               /* jal ra,.-2 */
    CHECK_EQ(dec(0xfffff0ef).imm, -2);
    CHECK_EQ(dec(0xfffff0ef).rd, RA);
    CHECK_EQ(dec(0x8000006f).imm, -1048576);               /* jal zero,.-1MiB */
    CHECK_EQ(dec(0x7ffff2ef).imm, 1048574);                /* jal t0,.+1MiB-2 */
    CHECK_EQ(dec(0x7ffff2ef).rd, T0);
    CHECK_EQ(dec(enc_j(A0, -0x55556)).imm, -0x55556);
    /* Shifts: 6-bit shamt for RV64, 5-bit for the W forms; funct6/7 not in imm */
    CHECK_INSN(0x03f59513, slli, A0, A1, 31, 63);          /* slli a0,a1,63 */
    CHECK_INSN(0x43f35293, srai, T0, T1, 31, 63);          /* srai t0,t1,63 */
    CHECK_INSN(0x0016d613, srli, A2, A3, 1, 1);            /* srli a2,a3,1 */
    CHECK_INSN(0x01f5951b, slliw, A0, A1, 31, 31);         /* slliw a0,a1,31 */
    CHECK_INSN(0x41f9d39b, sraiw, T2, S3, 31, 31);         /* sraiw t2,s3,31 */
    CHECK_EQ(dec(0x0205951b).op, RV_OP_ILLEGAL);           /* slliw with shamt[5] set */
    /* CSR */
    CHECK_EQ(dec(0x18059573).op, RV_OP_csrrw);             /* csrrw a0,satp,a1 */
    CHECK_EQ(dec(0x18059573).csr, CSR_SATP);
    CHECK_EQ(dec(0x18059573).rd, A0);
    CHECK_EQ(dec(0x18059573).rs1, A1);
    CHECK_EQ(dec(0xffffa473).op, RV_OP_csrrs);             /* csrrs s0,0xfff,t6 */
    CHECK_EQ(dec(0xffffa473).csr, 0xfff);
    CHECK_EQ(dec(0xffffa473).rs1, T6);
    CHECK_EQ(dec(0x30053073).op, RV_OP_csrrc);             /* csrrc zero,mstatus,a0 */
    CHECK_EQ(dec(0x30053073).csr, CSR_MSTATUS);
    /* CSRI: the uimm is in imm, the rs1 field */
    CHECK_EQ(dec(0x300fd573).op, RV_OP_csrrwi);            /* csrrwi a0,mstatus,31 */
    CHECK_EQ(dec(0x300fd573).imm, 31);
    CHECK_EQ(dec(0x300fd573).csr, CSR_MSTATUS);
    CHECK_EQ(dec(0x1442f373).op, RV_OP_csrrci);            /* csrrci t1,sip,5 */
    CHECK_EQ(dec(0x1442f373).imm, 5);
    CHECK_EQ(dec(0x1442f373).csr, CSR_SIP);
    CHECK_EQ(dec(0x1442f373).rd, T1);
    /* AMO and LR: rm holds aq << 1 | rl */
    CHECK_INSN(0x0eb6352f, amoswap_d, A0, A2, A1, 0);      /* amoswap.d.aqrl a0,a1,(a2) */
    CHECK_EQ(dec(0x0eb6352f).rm, 3);
    CHECK_INSN(0x0463a2af, amoadd_w, T0, T2, T1, 0);       /* amoadd.w.aq t0,t1,(t2) */
    CHECK_EQ(dec(0x0463a2af).rm, 2);
    CHECK_INSN(0x1ae7a6af, sc_w, A3, A5, A4, 0);           /* sc.w.rl a3,a4,(a5) */
    CHECK_EQ(dec(0x1ae7a6af).rm, 1);
    CHECK_EQ(dec(0x1405b52f).op, RV_OP_lr_d);              /* lr.d.aq a0,(a1) */
    CHECK_EQ(dec(0x1405b52f).rm, 2);
    CHECK_EQ(dec(0x1405b52f).rs1, A1);
    CHECK_EQ(dec(0x1009a92f).op, RV_OP_lr_w);              /* lr.w s2,(s3) */
    CHECK_EQ(dec(0x1009a92f).rm, 0);
    CHECK_EQ(dec(0x1019a92f).op, RV_OP_ILLEGAL);           /* lr.w with rs2 != 0 */
    /* R4 */
    RvInsn i = dec(0xfa3120c3);                            /* fmadd.d f1,f2,f3,f31,rdn */
    CHECK_EQ(i.op, RV_OP_fmadd_d);
    CHECK_EQ(i.rd, 1);
    CHECK_EQ(i.rs1, 2);
    CHECK_EQ(i.rs2, 3);
    CHECK_EQ(i.rs3, 31);
    CHECK_EQ(i.rm, RM_RDN);
    i = dec(0xe1df4fcb);                                   /* fnmsub.s f31,f30,f29,f28,rmm */
    CHECK_EQ(i.op, RV_OP_fnmsub_s);
    CHECK_EQ(i.rd, 31);
    CHECK_EQ(i.rs1, 30);
    CHECK_EQ(i.rs2, 29);
    CHECK_EQ(i.rs3, 28);
    CHECK_EQ(i.rm, RM_RMM);
    /* FR, FR1: rm from funct3 */
    i = dec(0x00629253);                                   /* fadd.s f4,f5,f6,rtz */
    CHECK_EQ(i.op, RV_OP_fadd_s);
    CHECK_EQ(i.rd, 4);
    CHECK_EQ(i.rs1, 5);
    CHECK_EQ(i.rs2, 6);
    CHECK_EQ(i.rm, RM_RTZ);
    i = dec(0x1a9473d3);                                   /* fdiv.d f7,f8,f9,dyn */
    CHECK_EQ(i.op, RV_OP_fdiv_d);
    CHECK_EQ(i.rm, RM_DYN);
    i = dec(0x5a0140d3);                                   /* fsqrt.d f1,f2,rmm */
    CHECK_EQ(i.op, RV_OP_fsqrt_d);
    CHECK_EQ(i.rs1, 2);
    CHECK_EQ(i.rm, RM_RMM);
    i = dec(0xc0009553);                                   /* fcvt.w.s a0,f1,rtz */
    CHECK_EQ(i.op, RV_OP_fcvt_w_s);
    CHECK_EQ(i.rd, A0);
    CHECK_EQ(i.rs1, 1);
    CHECK_EQ(i.rm, RM_RTZ);
    /* FP loads and stores */
    CHECK_EQ(dec(0xffc52007).op, RV_OP_flw);               /* flw f0,-4(a0) */
    CHECK_EQ(dec(0xffc52007).imm, -4);
    CHECK_EQ(dec(0x7ff13c27).op, RV_OP_fsd);               /* fsd f31,2040(sp) */
    CHECK_EQ(dec(0x7ff13c27).rs2, 31);
    CHECK_EQ(dec(0x7ff13c27).imm, 2040);
    /* Exact system encodings and the MISC-MEM neighbours */
    CHECK_EQ(dec(0x00000073).op, RV_OP_ecall);
    CHECK_EQ(dec(0x00100073).op, RV_OP_ebreak);
    CHECK_EQ(dec(0x10200073).op, RV_OP_sret);
    CHECK_EQ(dec(0x30200073).op, RV_OP_mret);
    CHECK_EQ(dec(0x10500073).op, RV_OP_wfi);
    CHECK_EQ(dec(0x00200073).op, RV_OP_ILLEGAL);           /* uret: no N extension */
    CHECK_EQ(dec(0x12b50073).op, RV_OP_sfence_vma);        /* sfence.vma a0,a1 */
    CHECK_EQ(dec(0x0ff0000f).op, RV_OP_fence);             /* fence iorw,iorw */
    CHECK_EQ(dec(0x0000100f).op, RV_OP_fence_i);
    CHECK_EQ(dec(0x0045200f).op, RV_OP_cbo_zero);          /* cbo.zero (a0) */
    CHECK_EQ(dec(0x0045200f).rs1, A0);
    CHECK_EQ(dec(0x0015200f).op, RV_OP_cbo_clean);
    CHECK_EQ(dec(0x0025200f).op, RV_OP_cbo_flush);
    CHECK_EQ(dec(0x0005200f).op, RV_OP_cbo_inval);
    CHECK_EQ(dec(0x0035200f).op, RV_OP_ILLEGAL);           /* cbo funct12 3: reserved */
}

/* --- (c) x0 and f0 destinations --- */

static bool form_has_rd(RvForm f)
{
    return f != RVFORM_S && f != RVFORM_B && f != RVFORM_NONE;
}

static void test_sink(void)
{
    CHECK_EQ(dec(0x00c58033).rd, RV_REG_SINK);             /* add zero,a1,a2 */
    CHECK_EQ(dec(0x00000037).rd, RV_REG_SINK);             /* lui zero,0 */
    CHECK_EQ(dec(0x8000006f).rd, RV_REG_SINK);             /* jal zero,... */
    CHECK_EQ(dec(0x30053073).rd, RV_REG_SINK);             /* csrrc zero,mstatus,a0 */
    CHECK_EQ(dec(0x0000202f | A1 << 15 | A2 << 20).rd, RV_REG_SINK); /* amoadd.w zero */
    /* Sources named x0 stay x0: x[0] reads as zero, the sink is only written. */
    CHECK_EQ(dec(0x00c58033).rs1, A1);
    CHECK_EQ(dec(0x00000513).rs1, 0);                      /* addi a0,zero,0 */
    CHECK_EQ(dec(0x00b00533).rs1, 0);                      /* add a0,zero,a1 */
    /* FP destinations: f0 is a real register. */
    CHECK_EQ(dec(0x00208053).rd, 0);                       /* fadd.s f0,f1,f2 */
    CHECK_EQ(dec(0x00208043 | 3u << 27).rd, 0);            /* fmadd.s f0,f1,f2,f3 */
    CHECK_EQ(dec(0xffc52007).rd, 0);                       /* flw f0,-4(a0) */
    CHECK_EQ(dec(0xf2050053).rd, 0);                       /* fmv.d.x f0,a0 */
    CHECK_EQ(dec(0xd2050053).rd, 0);                       /* fcvt.d.w f0,a0 */
    /* RVF_XD rows write an integer register: x0 is the sink. */
    CHECK_EQ(dec(0xc0008053).rd, RV_REG_SINK);             /* fcvt.w.s zero,f1 */
    CHECK_EQ(dec(0xa020a053).rd, RV_REG_SINK);             /* feq.s zero,f1,f2 */
    CHECK_EQ(dec(0xe2008053).rd, RV_REG_SINK);             /* fmv.x.d zero,f1 */
    CHECK_EQ(dec(0xe2019053).rd, RV_REG_SINK);             /* fclass.d zero,f3 */
    /* Every row with an rd field, rd = 0. */
    for (unsigned k = 0; k < RV_OP_COUNT; k++) {
        const RvInsnDesc *d = &rv_insn_table[k];
        if (!form_has_rd(d->form))
            continue;
        bool fp_rd = (d->ext == RVEXT_F || d->ext == RVEXT_D) && !(d->flags & RVF_XD);
        RvInsn i = dec(d->match & ~(31u << 7));
        if (i.rd != (fp_rd ? 0 : RV_REG_SINK))
            fprintf(stderr, "%s with rd 0 decodes rd=%u\n", d->name, i.rd);
        CHECK_EQ(i.rd, fp_rd ? 0 : RV_REG_SINK);
    }
}

/* --- (d) compressed expansion --- */

typedef struct RvcVector {
    uint16_t c;
    uint32_t want;   /* assembled by hand from the spec */
    uint32_t gas;    /* what GNU as gives for the expanded instruction */
    const char *text;
} RvcVector;

#define ADDI(rd, rs1, imm) enc_i(OPC_OP_IMM, rd, 0, rs1, imm)
#define LOAD(f3, rd, rs1, imm) enc_i(OPC_LOAD, rd, f3, rs1, imm)
#define FLD(rd, rs1, imm) enc_i(OPC_LOAD_FP, rd, 3, rs1, imm)
#define STORE(f3, rs2, rs1, imm) enc_s(OPC_STORE, f3, rs1, rs2, imm)
#define FSD(rs2, rs1, imm) enc_s(OPC_STORE_FP, 3, rs1, rs2, imm)

static void test_compressed(void)
{
    /* Halfwords from GNU as (`.option rvc`), and for the branches written by hand from the
     * CJ/CB layouts and checked with objdump. */
    const RvcVector rvc_vectors[] = {
        { 0x1fe0, ADDI(S0, SP, 1020), 0x3fc10413, "c.addi4spn s0,sp,1020" },
        { 0x005c, ADDI(A5, SP, 4), 0x00410793, "c.addi4spn a5,sp,4" },
        { 0x0028, ADDI(A0, SP, 8), 0x00810513, "c.addi4spn a0,sp,8" },
        { 0x3fe0, FLD(8, A5, 248), 0x0f87b407, "c.fld fs0,248(a5)" },
        { 0x248c, FLD(11, S1, 8), 0x0084b587, "c.fld fa1,8(s1)" },
        { 0x5fe8, LOAD(2, A0, A5, 124), 0x07c7a503, "c.lw a0,124(a5)" },
        { 0x4244, LOAD(2, S1, A2, 4), 0x00462483, "c.lw s1,4(a2)" },
        { 0x4034, LOAD(2, A3, S0, 64), 0x04042683, "c.lw a3,64(s0)" },
        { 0x7df8, LOAD(3, A4, A1, 248), 0x0f85b703, "c.ld a4,248(a1)" },
        { 0x6048, LOAD(3, A0, S0, 128), 0x08043503, "c.ld a0,128(s0)" },
        { 0xbd7c, FSD(15, A0, 248), 0x0ef53c27, "c.fsd fa5,248(a0)" },
        { 0xdef0, STORE(2, A2, A3, 124), 0x06c6ae23, "c.sw a2,124(a3)" },
        { 0xc0c0, STORE(2, S0, S1, 4), 0x0084a223, "c.sw s0,4(s1)" },
        { 0xfcfc, STORE(3, A5, S1, 248), 0x0ef4bc23, "c.sd a5,248(s1)" },
        { 0xe744, STORE(3, S1, A4, 136), 0x08973423, "c.sd s1,136(a4)" },
        { 0x0001, ADDI(ZERO, ZERO, 0), 0x00000013, "c.nop" },
        { 0x1501, ADDI(A0, A0, -32), 0xfe050513, "c.addi a0,-32" },
        { 0x0ffd, ADDI(T6, T6, 31), 0x01ff8f93, "c.addi t6,31" },
        { 0x117d, ADDI(SP, SP, -1), 0xfff10113, "c.addi sp,-1" },
        { 0x357d, enc_i(OPC_OP_IMM_32, A0, 0, A0, -1), 0xfff5051b, "c.addiw a0,-1" },
        { 0x2dfd, enc_i(OPC_OP_IMM_32, S11, 0, S11, 31), 0x01fd8d9b, "c.addiw s11,31" },
        { 0x2581, enc_i(OPC_OP_IMM_32, A1, 0, A1, 0), 0x0005859b, "c.addiw a1,0" },
        { 0x5501, ADDI(A0, ZERO, -32), 0xfe000513, "c.li a0,-32" },
        { 0x42fd, ADDI(T0, ZERO, 31), 0x01f00293, "c.li t0,31" },
        { 0x7101, ADDI(SP, SP, -512), 0xe0010113, "c.addi16sp sp,-512" },
        { 0x617d, ADDI(SP, SP, 496), 0x1f010113, "c.addi16sp sp,496" },
        { 0x6141, ADDI(SP, SP, 16), 0x01010113, "c.addi16sp sp,16" },
        { 0x7501, enc_u(OPC_LUI, A0, 0xfffe0), 0xfffe0537, "c.lui a0,0xfffe0" },
        { 0x6ffd, enc_u(OPC_LUI, T6, 0x1f), 0x0001ffb7, "c.lui t6,0x1f" },
        { 0x70fd, enc_u(OPC_LUI, RA, 0xfffff), 0xfffff0b7, "c.lui ra,0xfffff" },
        { 0x6405, enc_u(OPC_LUI, S0, 1), 0x00001437, "c.lui s0,1" },
        { 0x917d, enc_i(OPC_OP_IMM, A0, 5, A0, 63), 0x03f55513, "c.srli a0,63" },
        { 0x8085, enc_i(OPC_OP_IMM, S1, 5, S1, 1), 0x0014d493, "c.srli s1,1" },
        { 0x9381, enc_i(OPC_OP_IMM, A5, 5, A5, 32), 0x0207d793, "c.srli a5,32" },
        { 0x95fd, enc_i(OPC_OP_IMM, A1, 5, A1, 0x400 | 63), 0x43f5d593, "c.srai a1,63" },
        { 0x8415, enc_i(OPC_OP_IMM, S0, 5, S0, 0x400 | 5), 0x40545413, "c.srai s0,5" },
        { 0x9a01, enc_i(OPC_OP_IMM, A2, 7, A2, -32), 0xfe067613, "c.andi a2,-32" },
        { 0x8afd, enc_i(OPC_OP_IMM, A3, 7, A3, 31), 0x01f6f693, "c.andi a3,31" },
        { 0x8c1d, enc_r(OPC_OP, S0, 0, S0, A5, 0x20), 0x40f40433, "c.sub s0,a5" },
        { 0x8d25, enc_r(OPC_OP, A0, 4, A0, S1, 0), 0x00954533, "c.xor a0,s1" },
        { 0x8fd9, enc_r(OPC_OP, A5, 6, A5, A4, 0), 0x00e7e7b3, "c.or a5,a4" },
        { 0x8ce1, enc_r(OPC_OP, S1, 7, S1, S0, 0), 0x0084f4b3, "c.and s1,s0" },
        { 0x9e15, enc_r(OPC_OP_32, A2, 0, A2, A3, 0x20), 0x40d6063b, "c.subw a2,a3" },
        { 0x9f2d, enc_r(OPC_OP_32, A4, 0, A4, A1, 0), 0x00b7073b, "c.addw a4,a1" },
        { 0xb001, enc_j(ZERO, -2048), 0x801ff06f, "c.j .-2048" },
        { 0xaffd, enc_j(ZERO, 2046), 0x7fe0006f, "c.j .+2046" },
        { 0xbffd, enc_j(ZERO, -2), 0xfffff06f, "c.j .-2" },
        { 0xa009, enc_j(ZERO, 2), 0x0020006f, "c.j .+2" },
        { 0xd101, enc_b(0, A0, ZERO, -256), 0xf00500e3, "c.beqz a0,.-256" },
        { 0xcc7d, enc_b(0, S0, ZERO, 254), 0x0e040f63, "c.beqz s0,.+254" },
        { 0xfffd, enc_b(1, A5, ZERO, -2), 0xfe079fe3, "c.bnez a5,.-2" },
        { 0xe099, enc_b(1, S1, ZERO, 6), 0x00049363, "c.bnez s1,.+6" },
        { 0x157e, enc_i(OPC_OP_IMM, A0, 1, A0, 63), 0x03f51513, "c.slli a0,63" },
        { 0x0f86, enc_i(OPC_OP_IMM, T6, 1, T6, 1), 0x001f9f93, "c.slli t6,1" },
        { 0x1082, enc_i(OPC_OP_IMM, RA, 1, RA, 32), 0x02009093, "c.slli ra,32" },
        { 0x347e, FLD(8, SP, 504), 0x1f813407, "c.fldsp fs0,504(sp)" },
        { 0x2022, FLD(0, SP, 8), 0x00813007, "c.fldsp ft0,8(sp)" },
        { 0x557e, LOAD(2, A0, SP, 252), 0x0fc12503, "c.lwsp a0,252(sp)" },
        { 0x4f92, LOAD(2, T6, SP, 4), 0x00412f83, "c.lwsp t6,4(sp)" },
        { 0x60a2, LOAD(3, RA, SP, 8), 0x00813083, "c.ldsp ra,8(sp)" },
        { 0x7dfe, LOAD(3, S11, SP, 504), 0x1f813d83, "c.ldsp s11,504(sp)" },
        { 0x8082, enc_i(OPC_JALR, ZERO, 0, RA, 0), 0x00008067, "c.jr ra" },
        { 0x8f82, enc_i(OPC_JALR, ZERO, 0, T6, 0), 0x000f8067, "c.jr t6" },
        { 0x852e, enc_r(OPC_OP, A0, 0, ZERO, A1, 0), 0x00b00533, "c.mv a0,a1" },
        { 0x8f8a, enc_r(OPC_OP, T6, 0, ZERO, SP, 0), 0x00200fb3, "c.mv t6,sp" },
        { 0x9002, enc_i(OPC_SYSTEM, 0, 0, 0, 1), 0x00100073, "c.ebreak" },
        { 0x9502, enc_i(OPC_JALR, RA, 0, A0, 0), 0x000500e7, "c.jalr a0" },
        { 0x9f82, enc_i(OPC_JALR, RA, 0, T6, 0), 0x000f80e7, "c.jalr t6" },
        { 0x952e, enc_r(OPC_OP, A0, 0, A0, A1, 0), 0x00b50533, "c.add a0,a1" },
        { 0x9f86, enc_r(OPC_OP, T6, 0, T6, RA, 0), 0x001f8fb3, "c.add t6,ra" },
        { 0xbfa6, FSD(9, SP, 504), 0x1e913c27, "c.fsdsp fs1,504(sp)" },
        { 0xa47e, FSD(31, SP, 8), 0x01f13427, "c.fsdsp ft11,8(sp)" },
        { 0xdfaa, STORE(2, A0, SP, 252), 0x0ea12e23, "c.swsp a0,252(sp)" },
        { 0xc27e, STORE(2, T6, SP, 4), 0x01f12223, "c.swsp t6,4(sp)" },
        { 0xff86, STORE(3, RA, SP, 504), 0x1e113c23, "c.sdsp ra,504(sp)" },
        { 0xe44a, STORE(3, S2, SP, 8), 0x01213423, "c.sdsp s2,8(sp)" },
    };
    for (unsigned k = 0; k < ARRAY_SIZE(rvc_vectors); k++) {
        const RvcVector *v = &rvc_vectors[k];
        uint32_t got = rv_expand_compressed(v->c);
        if (got != v->want || v->want != v->gas)
            fprintf(stderr, "%s (0x%04x): expands to 0x%08x, want 0x%08x (gas 0x%08x)\n",
                    v->text, v->c, got, v->want, v->gas);
        CHECK_EQ(v->want, v->gas);
        CHECK_EQ(got, v->want);
        /* Decoding the halfword gives the expansion's row and operands, length 2, and
         * keeps the original bits (what mtval gets on an illegal-instruction trap). */
        RvInsn c, w;
        rv_decode(v->c, &c);
        rv_decode(v->want, &w);
        CHECK(c.op == w.op && c.op != RV_OP_ILLEGAL && c.rd == w.rd && c.rs1 == w.rs1 &&
              c.rs2 == w.rs2 && c.imm == w.imm && c.len == 2 && c.raw == v->c);
    }
}

static void test_compressed_reserved(void)
{
    static const struct { uint16_t c; const char *what; } reserved[] = {
        { 0x0000, "all-zero halfword" },
        { 0x0004, "c.addi4spn s1 with nzuimm 0" },
        { 0x001c, "c.addi4spn a5 with nzuimm 0" },
        { 0x6501, "c.lui a0 with nzimm 0" },
        { 0x6f81, "c.lui t6 with nzimm 0" },
        { 0x6101, "c.addi16sp with nzimm 0" },
        { 0x4002, "c.lwsp rd=0" },
        { 0x507e, "c.lwsp rd=0, offset 252" },
        { 0x6002, "c.ldsp rd=0" },
        { 0x707e, "c.ldsp rd=0, offset 504" },
        { 0x8002, "c.jr rs1=0" },
        { 0x2001, "c.addiw rd=0" },
        { 0x307d, "c.addiw rd=0, imm -1" },
        { 0x8000, "quadrant 0 funct3 4" },
        { 0x9c41, "quadrant 1 reserved ALU op (funct2 10, bit 12 set)" },
        { 0x9c61, "quadrant 1 reserved ALU op (funct2 11, bit 12 set)" },
    };
    for (unsigned k = 0; k < ARRAY_SIZE(reserved); k++) {
        uint32_t got = rv_expand_compressed(reserved[k].c);
        if (got)
            fprintf(stderr, "%s (0x%04x) expands to 0x%08x\n", reserved[k].what, reserved[k].c,
                    got);
        CHECK_EQ(got, 0);
        RvInsn i = dec(reserved[k].c);
        CHECK(i.op == RV_OP_ILLEGAL && i.len == 2 && i.raw == reserved[k].c);
    }
    /* HINTs are not reserved: c.li x0 is addi x0,x0,imm and decodes with the sink. */
    CHECK_EQ(rv_expand_compressed(0x4015), ADDI(ZERO, ZERO, 5));
    CHECK_EQ(dec(0x4015).rd, RV_REG_SINK);
    /* fldsp into f0 is an instruction, not the lwsp rd=0 reservation. */
    CHECK_EQ(rv_expand_compressed(0x2002), FLD(0, SP, 0));
}

/* Every halfword: one that expands decodes as its expansion (a table row, length 2, the
 * halfword kept in raw, whatever the upper half of the fetched word holds); one that does
 * not is illegal. */
static void test_compressed_all(void)
{
    unsigned bad = 0;
    for (uint32_t c = 0; c < 0x10000; c++) {
        if ((c & 3) == 3)
            continue;
        uint32_t x = rv_expand_compressed((uint16_t)c);
        RvInsn i, w;
        rv_decode(0xa5a50000u | c, &i);
        bool ok = i.len == 2 && i.raw == c;
        if (x) {
            rv_decode(x, &w);
            ok = ok && (x & 3) == 3 && w.op != RV_OP_ILLEGAL && i.op == w.op && i.rd == w.rd &&
                 i.rs1 == w.rs1 && i.rs2 == w.rs2 && i.imm == w.imm && i.csr == w.csr &&
                 i.fn == w.fn;
        } else {
            ok = ok && i.op == RV_OP_ILLEGAL;
        }
        if (!ok && bad++ < 8)
            fprintf(stderr, "halfword 0x%04x (expands to 0x%08x) decodes inconsistently\n", c, x);
    }
    CHECK_EQ(bad, 0);
}

/* --- (e) disassembly --- */

static void check_disasm(uint32_t raw, uint64_t pc, const char *want)
{
    RvInsn i;
    char buf[96];
    rv_decode(raw, &i);
    rv_disasm(&i, pc, buf, sizeof(buf));
    if (strcmp(buf, want))
        fprintf(stderr, "disasm 0x%08x: \"%s\", want \"%s\"\n", raw, buf, want);
    CHECK(strcmp(buf, want) == 0);
}

static void test_disasm(void)
{
    check_disasm(0x00150513, 0, "addi a0,a0,1");
    check_disasm(0x00813083, 0, "ld ra,8(sp)");
    check_disasm(0x60a2, 0, "ld ra,8(sp)");                 /* c.ldsp ra,8(sp) */
    check_disasm(0xfeb63c23, 0, "sd a1,-8(a2)");
    check_disasm(0x952e, 0, "add a0,a0,a1");                /* c.add */
    check_disasm(0x00000513, 0, "addi a0,zero,0");
    check_disasm(0x80b50063, 0x80001000, "beq a0,a1,0x80000000");
    check_disasm(0xb001, 0x80001000, "jal zero,0x80000800"); /* c.j .-2048 */
    check_disasm(0xfffff537, 0, "lui a0,0xfffff");
    check_disasm(0x18059573, 0, "csrrw a0,satp,a1");
    check_disasm(0x300fd573, 0, "csrrwi a0,mstatus,31");
    check_disasm(0x0eb6352f, 0, "amoswap.d a0,a1,(a2)");
    check_disasm(0x1405b52f, 0, "lr.d a0,(a1)");
    check_disasm(0x00000073, 0, "ecall");
    check_disasm(0xffc52007, 0, "flw f0,-4(a0)");
    check_disasm(0x00629253, 0, "fadd.s f4,f5,f6");
    check_disasm(0xa23125d3, 0, "feq.d a1,f2,f3");
    check_disasm(0xc0009553, 0, "fcvt.w.s a0,f1");
    check_disasm(0xfa3120c3, 0, "fmadd.d f1,f2,f3,f31");
    /* Integer sources of FP instructions are x registers; one-source rows have no rs2. */
    check_disasm(0xd00570d3, 0, "fcvt.s.w f1,a0");
    check_disasm(0xe0008553, 0, "fmv.x.w a0,f1");
    check_disasm(0xf00500d3, 0, "fmv.w.x f1,a0");

    RvInsn i;
    char buf[64];
    rv_decode(0xffffffff, &i);
    rv_disasm(&i, 0, buf, sizeof(buf));
    CHECK(strncmp(buf, "illegal", 7) == 0);
}

int main(void)
{
    test_overlap_checker();
    test_table_rows();
    test_no_overlap();
    test_rows_decode_to_themselves();
    test_illegal();
    test_forms();
    test_sink();
    test_compressed();
    test_compressed_reserved();
    test_compressed_all();
    test_disasm();
    return unit_summary("test_decode");
}
