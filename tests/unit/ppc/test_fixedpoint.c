/* tests/unit/ppc/test_fixedpoint.c: the Power decoder table and the Fixed-Point facility
 * (Power ISA v3.0B Book I chapter 3; Book III-S 4.4.4 for the SPR and MSR moves). The
 * table in cpu/ppc/ppc_insn.def must be free of overlaps between rows that one model can
 * both decode (in the manner of Spike's check-opcode-overlap), and every row's match
 * value must decode back to that row. The semantic checks decode real instruction words,
 * assembled by GNU as 2.40 (powerpc64le-linux-gnu-as -mpower9 -mbig) and recorded in the
 * gas_words table below, and run them against a PpcCpu on a small bus: carries and
 * overflows (CA/CA32/OV/OV32, SO sticky) at the 64- and 32-bit boundaries in both modes,
 * CR0 in 32-bit mode, every rotate mask shape including wrap-around masks, shifts by
 * 32-63 and 64-127, divides by zero and of the most negative number by -1, the ISA 3.0
 * additions, traps, CR moves, the SPR table and the access rules for undefined and
 * privileged SPR numbers, and the MSR moves. Expected rotate results come from a
 * transcription of the ISA's ROTL/MASK pseudocode, not from the code under test. */
#include <stdlib.h>

#include "cpu/ppc/ppc_core.h"
#include "cpu/ppc/ppc_decode.h"
#include "cpu/ppc/ppc_spr.h"
#include "tests/unit/unit.h"
#include "tests/unit/ppc/asm_words.h"
#include "tests/unit/ppc/ppc_rig.h"


/* Regenerated from the W("...") and run("...") uses below by assembling them with GNU
 * as. */
static const AsmWord gas_words[] = {
    /* GAS-WORDS BEGIN */
    { "modsd 3,4,5", 0x7c642e12 },
    { "ld 3,8(4)", 0xe8640008 },
    { "lwz 3,8(4)", 0x80640008 },
    { "mfspr 3,272", 0x7c7042a6 },
    { "rldicl 3,4,33,34", 0x788308a2 },
    { "addo. 3,4,5", 0x7c642e15 },
    { "add 3,4,5", 0x7c642a14 },
    { "addex 3,4,5,0", 0x7c642954 },
    { "mulhw 3,4,5", 0x7c642896 },
    { "add. 3,4,5", 0x7c642a15 },
    { "addo 3,4,5", 0x7c642e14 },
    { "addpcis 3,5", 0x4c620005 },
    { "addpcis 3,-1", 0x4c7fffc5 },
    { "subf 3,4,5", 0x7c642850 },
    { "subfo 3,4,5", 0x7c642c50 },
    { "addc 3,4,5", 0x7c642814 },
    { "addco. 3,4,5", 0x7c642c15 },
    { "adde 3,4,5", 0x7c642914 },
    { "subfe 3,4,5", 0x7c642910 },
    { "subfc 3,4,5", 0x7c642810 },
    { "addme 3,4", 0x7c6401d4 },
    { "addze 3,4", 0x7c640194 },
    { "addzeo 3,4", 0x7c640594 },
    { "subfme 3,4", 0x7c6401d0 },
    { "subfze 3,4", 0x7c640190 },
    { "addic 3,4,-1", 0x3064ffff },
    { "addic. 3,4,1", 0x34640001 },
    { "subfic 3,4,5", 0x20640005 },
    { "neg 3,4", 0x7c6400d0 },
    { "nego. 3,4", 0x7c6404d1 },
    { "nego 3,4", 0x7c6404d0 },
    { "mulli 3,4,-7", 0x1c64fff9 },
    { "mullwo. 3,4,5", 0x7c642dd7 },
    { "mullwo 3,4,5", 0x7c642dd6 },
    { "mulldo 3,4,5", 0x7c642dd2 },
    { "mulhd 3,4,5", 0x7c642892 },
    { "mulhdu 3,4,5", 0x7c642812 },
    { "mulhwu 3,4,5", 0x7c642816 },
    { "maddld 3,4,5,6", 0x106429b3 },
    { "maddhdu 3,4,5,6", 0x106429b1 },
    { "maddhd 3,4,5,6", 0x106429b0 },
    { "divdo. 3,4,5", 0x7c642fd3 },
    { "divdo 3,4,5", 0x7c642fd2 },
    { "divd 3,4,5", 0x7c642bd2 },
    { "divdu 3,4,5", 0x7c642b92 },
    { "divduo 3,4,5", 0x7c642f92 },
    { "divw 3,4,5", 0x7c642bd6 },
    { "divwu 3,4,5", 0x7c642b96 },
    { "divwo 3,4,5", 0x7c642fd6 },
    { "divwuo 3,4,5", 0x7c642f96 },
    { "divw. 3,4,5", 0x7c642bd7 },
    { "divdeu 3,4,5", 0x7c642b12 },
    { "divdeuo 3,4,5", 0x7c642f12 },
    { "divdeo 3,4,5", 0x7c642f52 },
    { "divde 3,4,5", 0x7c642b52 },
    { "divweu 3,4,5", 0x7c642b16 },
    { "divwe 3,4,5", 0x7c642b56 },
    { "divweo 3,4,5", 0x7c642f56 },
    { "modud 3,4,5", 0x7c642a12 },
    { "modsw 3,4,5", 0x7c642e16 },
    { "moduw 3,4,5", 0x7c642a16 },
    { "cmp 1,1,4,5", 0x7ca42800 },
    { "cmp 1,0,4,5", 0x7c842800 },
    { "cmpl 1,0,4,5", 0x7c842840 },
    { "cmpi 1,1,4,-5", 0x2ca4fffb },
    { "cmpli 1,0,4,5", 0x28840005 },
    { "cmpli 7,1,4,65535", 0x2ba4ffff },
    { "cmprb 1,1,4,5", 0x7ca42980 },
    { "cmprb 1,0,4,5", 0x7c842980 },
    { "cmpeqb 1,4,5", 0x7c8429c0 },
    { "setb 3,1", 0x7c640100 },
    { "isel 3,4,5,6", 0x7c64299e },
    { "isel 3,0,5,6", 0x7c60299e },
    { "isel 3,4,5,5", 0x7c64295e },
    { "tw 4,3,5", 0x7c832808 },
    { "tw 16,3,5", 0x7e032808 },
    { "tw 8,3,5", 0x7d032808 },
    { "twi 4,3,5", 0x0c830005 },
    { "twi 24,3,5", 0x0f030005 },
    { "tw 31,0,0", 0x7fe00008 },
    { "tweq 3,0", 0x7c830008 },
    { "td 4,3,5", 0x7c832888 },
    { "td 1,3,5", 0x7c232888 },
    { "td 16,3,5", 0x7e032888 },
    { "td 2,3,5", 0x7c432888 },
    { "tdi 2,3,-1", 0x0843ffff },
    { "tdi 4,3,-1", 0x0883ffff },
    { "andi. 3,4,5", 0x70830005 },
    { "andis. 3,4,0x8000", 0x74838000 },
    { "ori 3,4,0xffff", 0x6083ffff },
    { "oris 3,4,0xffff", 0x6483ffff },
    { "xori 3,4,0xffff", 0x6883ffff },
    { "xoris 3,4,0xffff", 0x6c83ffff },
    { "and 3,4,5", 0x7c832838 },
    { "or 3,4,5", 0x7c832b78 },
    { "xor 3,4,5", 0x7c832a78 },
    { "nand 3,4,5", 0x7c832bb8 },
    { "nor 3,4,5", 0x7c8328f8 },
    { "eqv 3,4,5", 0x7c832a38 },
    { "andc 3,4,5", 0x7c832878 },
    { "orc 3,4,5", 0x7c832b38 },
    { "and. 3,4,5", 0x7c832839 },
    { "nor. 3,4,5", 0x7c8328f9 },
    { "orc. 3,4,5", 0x7c832b39 },
    { "extsb 3,4", 0x7c830774 },
    { "extsh 3,4", 0x7c830734 },
    { "extsw 3,4", 0x7c8307b4 },
    { "extsw. 3,4", 0x7c8307b5 },
    { "extswsli 3,4,33", 0x7c830ef6 },
    { "extswsli. 3,4,4", 0x7c8326f5 },
    { "cntlzw 3,4", 0x7c830034 },
    { "cntlzd 3,4", 0x7c830074 },
    { "cnttzw 3,4", 0x7c830434 },
    { "cnttzd 3,4", 0x7c830474 },
    { "cnttzd. 3,4", 0x7c830475 },
    { "cntlzw. 3,4", 0x7c830035 },
    { "popcntb 3,4", 0x7c8300f4 },
    { "popcntw 3,4", 0x7c8302f4 },
    { "popcntd 3,4", 0x7c8303f4 },
    { "prtyw 3,4", 0x7c830134 },
    { "prtyd 3,4", 0x7c830174 },
    { "cmpb 3,4,5", 0x7c832bf8 },
    { "bpermd 3,4,5", 0x7c8329f8 },
    { "rlwinm 3,4,5,6,7", 0x5483298e },
    { "rlwinm 3,4,0,28,3", 0x54830706 },
    { "rlwinm 3,4,8,24,7", 0x5483460e },
    { "rlwinm 3,4,31,0,31", 0x5483f83e },
    { "rlwinm. 3,4,0,28,3", 0x54830707 },
    { "rlwinm. 3,4,31,0,31", 0x5483f83f },
    { "rlwnm 3,4,5,6,7", 0x5c83298e },
    { "rlwimi 3,4,4,16,23", 0x5083242e },
    { "rlwimi 3,4,8,28,3", 0x50834706 },
    { "rldicl 3,4,0,48", 0x78830420 },
    { "rldicr 3,4,33,34", 0x788308a6 },
    { "rldicr 3,4,4,59", 0x788326e4 },
    { "rldic 3,4,33,34", 0x788308aa },
    { "rldic 3,4,8,0", 0x78834008 },
    { "rldic 3,4,8,60", 0x78834728 },
    { "rldimi 3,4,33,34", 0x788308ae },
    { "rldimi 3,4,16,56", 0x7883862c },
    { "rldcl 3,4,5,34", 0x788328b0 },
    { "rldcr 3,4,5,34", 0x788328b2 },
    { "rldcr. 3,4,5,34", 0x788328b3 },
    { "slw 3,4,5", 0x7c832830 },
    { "srw 3,4,5", 0x7c832c30 },
    { "slw. 3,4,5", 0x7c832831 },
    { "sraw 3,4,5", 0x7c832e30 },
    { "srawi 3,4,5", 0x7c832e70 },
    { "srawi. 3,4,5", 0x7c832e71 },
    { "sld 3,4,5", 0x7c832836 },
    { "srd 3,4,5", 0x7c832c36 },
    { "srad 3,4,5", 0x7c832e34 },
    { "sradi 3,4,33", 0x7c830e76 },
    { "sradi. 3,4,33", 0x7c830e77 },
    { "crand 1,2,3", 0x4c221a02 },
    { "cror 1,2,3", 0x4c221b82 },
    { "crxor 3,1,2", 0x4c611182 },
    { "crnand 0,1,2", 0x4c0111c2 },
    { "crnor 0,0,3", 0x4c001842 },
    { "creqv 3,0,1", 0x4c600a42 },
    { "crandc 2,0,1", 0x4c400902 },
    { "crorc 2,2,0", 0x4c420342 },
    { "crorc 2,2,2", 0x4c421342 },
    { "mcrf 1,0", 0x4c800000 },
    { "mcrf 7,2", 0x4f880000 },
    { "mfcr 3", 0x7c600026 },
    { "mfocrf 3,0x10", 0x7c710026 },
    { "mtcrf 0x81,3", 0x7c681120 },
    { "mtocrf 0x10,3", 0x7c710120 },
    { "mcrxrx 1", 0x7c800480 },
    { "mtspr 8,3", 0x7c6803a6 },
    { "mtspr 9,3", 0x7c6903a6 },
    { "mfspr 4,8", 0x7c8802a6 },
    { "mtspr 1,3", 0x7c6103a6 },
    { "mfspr 4,1", 0x7c8102a6 },
    { "mtspr 272,3", 0x7c7043a6 },
    { "mfspr 4,272", 0x7c9042a6 },
    { "mfspr 4,259", 0x7c8342a6 },
    { "mtspr 259,3", 0x7c6343a6 },
    { "mfspr 4,318", 0x7c9e4aa6 },
    { "mtspr 318,3", 0x7c7e4ba6 },
    { "mfspr 4,1000", 0x7c88faa6 },
    { "mtspr 1000,3", 0x7c68fba6 },
    { "mfspr 4,0", 0x7c8002a6 },
    { "mtspr 5,3", 0x7c6503a6 },
    { "mtspr 287,3", 0x7c7f43a6 },
    { "mfspr 4,1010", 0x7c92faa6 },
    { "mfspr 4,808", 0x7c88caa6 },
    { "mtspr 13,3", 0x7c6d03a6 },
    { "mtspr 29,3", 0x7c7d03a6 },
    { "mtspr 157,3", 0x7c7d23a6 },
    { "mtspr 18,3", 0x7c7203a6 },
    { "mfspr 4,18", 0x7c9202a6 },
    { "mfspr 4,771", 0x7c83c2a6 },
    { "mtspr 771,3", 0x7c63c3a6 },
    { "mfspr 4,787", 0x7c93c2a6 },
    { "mfspr 4,268", 0x7c8c42a6 },
    { ".long 0x7c8d42e6", 0x7c8d42e6 },
    { "mtspr 268,3", 0x7c6c43a6 },
    { "mfspr 4,898", 0x7c82e2a6 },
    { "mtspr 898,3", 0x7c62e3a6 },
    { "mtspr 25,3", 0x7c7903a6 },
    { "mfmsr 3", 0x7c6000a6 },
    { "mtmsrd 3,1", 0x7c610164 },
    { "mtmsrd 3", 0x7c600164 },
    { "mtmsr 3", 0x7c600124 },
    { "mtmsr 3,1", 0x7c610124 },
    { "hrfid", 0x4c000224 },
    { "tlbie 3,4", 0x7c801a64 },
    /* GAS-WORDS END */
};


typedef struct Rig {
    Bus bus;
    VClock clock;
    uint8_t *ram;
    PpcCore core;
    PpcCpu cpu;
} Rig;

static Rig *rig_new(const char *model)
{
    Rig *r = calloc(1, sizeof(*r));
    ppc_rig_wire(&r->bus, &r->clock, &r->ram, &r->core, &r->cpu, model, 0);
    return r;
}

static void rig_free(Rig *r)
{
    free(r->ram);
    free(r);
}

/* Decodes `text`'s word for the CPU's model, checks it lands on row `name`, runs it. */
static PpcStatus run_as(PpcCpu *c, const char *text, const char *name)
{
    PpcInsn in;
    ppc_decode(W(text), c->model->categories, &in);
    if (strcmp(op_name(in.op), name)) {
        fprintf(stderr, "'%s' decoded as %s, expected %s\n", text, op_name(in.op), name);
        unit_fail();
    }
    c->exc = (PpcException){ 0 };
    return in.fn(c, &in);
}

/* The row name is the mnemonic up to the first '.', 'o' form suffixes dropped by the
 * caller where needed. */
static PpcStatus run(PpcCpu *c, const char *text)
{
    char name[32];
    size_t n = strcspn(text, " ");
    memcpy(name, text, n);
    name[n] = 0;
    return run_as(c, text, name);
}

#define XER_FLAGS (XER_SO | XER_OV | XER_CA | XER_OV32 | XER_CA32)
#define CR0(c) ppc_cr_field((c), 0)
#define LT 8u
#define GT 4u
#define EQ 2u
#define SO 1u

/* --- (a) the decoding table --- */

static bool model_has(const PpcModel *m, uint32_t cats)
{
    return (m->categories & cats) == cats;
}

static void test_table_overlap(void)
{
    unsigned bad = 0;
    for (unsigned a = 0; a < PPC_OP_COUNT; a++) {
        for (unsigned b = a + 1; b < PPC_OP_COUNT; b++) {
            const PpcInsnDesc *x = &ppc_insn_table[a], *y = &ppc_insn_table[b];
            bool both = false;
            for (const PpcModel *m = ppc_models; m->name; m++)
                both |= model_has(m, x->categories) && model_has(m, y->categories);
            if (both && ((x->match ^ y->match) & x->mask & y->mask) == 0) {
                fprintf(stderr, "rows %s and %s overlap\n", x->name, y->name);
                bad++;
            }
        }
    }
    CHECK_EQ(bad, 0);
}

static void test_table_self_decode(void)
{
    unsigned bad = 0, rows = 0;
    for (unsigned k = 0; k < PPC_OP_COUNT; k++) {
        const PpcInsnDesc *d = &ppc_insn_table[k];
        CHECK_EQ(d->match & ~d->mask, 0);
        for (const PpcModel *m = ppc_models; m->name; m++) {
            if (!model_has(m, d->categories))
                continue;
            PpcInsn in;
            ppc_decode(d->match, m->categories, &in);
            if (in.op != k) {
                fprintf(stderr, "%s's match decodes as %s on %s\n", d->name, op_name(in.op),
                        m->name);
                bad++;
            }
            rows++;
            break;
        }
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(rows, PPC_OP_COUNT); /* every row decodes on some model */
}

/* Categories keep POWER8 from ISA 3.0 rows and e500mc from 64-bit ones. */
static void test_table_categories(void)
{
    PpcInsn in;
    ppc_decode(W("modsd 3,4,5"), ppc_model_find("POWER8")->categories, &in);
    CHECK_EQ(in.op, PPC_OP_ILLEGAL);
    ppc_decode(W("modsd 3,4,5"), ppc_model_find("POWER9")->categories, &in);
    CHECK_EQ(in.op, PPC_OP_modsd);
    ppc_decode(W("ld 3,8(4)"), ppc_model_find("e500mc")->categories, &in);
    CHECK_EQ(in.op, PPC_OP_ILLEGAL);
    ppc_decode(W("lwz 3,8(4)"), ppc_model_find("e500mc")->categories, &in);
    CHECK_EQ(in.op, PPC_OP_lwz);
    /* Fields: the split SPR number, MD-form sh/mb, the XO-form OE and Rc bits. */
    ppc_decode(W("mfspr 3,272"), ppc_model_find("POWER9")->categories, &in);
    CHECK_EQ(in.spr, 272);
    ppc_decode(W("rldicl 3,4,33,34"), ppc_model_find("POWER9")->categories, &in);
    CHECK_EQ(in.imm, 33);
    CHECK_EQ(in.rc, 34);
    ppc_decode(W("addo. 3,4,5"), ppc_model_find("POWER9")->categories, &in);
    CHECK_EQ(in.flags & (PPC_IF_OE | PPC_IF_RC), PPC_IF_OE | PPC_IF_RC);
    ppc_decode(W("add 3,4,5"), ppc_model_find("POWER9")->categories, &in);
    CHECK_EQ(in.flags & (PPC_IF_OE | PPC_IF_RC), 0);
    /* Reserved values stay illegal: addex CY = 1, a mulhw word with the OE bit. */
    ppc_decode(W("addex 3,4,5,0") | 0x200, ppc_model_find("POWER9")->categories, &in);
    CHECK_EQ(in.op, PPC_OP_ILLEGAL);
    ppc_decode(W("mulhw 3,4,5") | 0x400, ppc_model_find("POWER9")->categories, &in);
    CHECK_EQ(in.op, PPC_OP_ILLEGAL);
}

/* --- (b) add and subtract --- */

static void test_add(void)
{
    Rig *r = rig_new("POWER9");
    PpcCpu *c = &r->cpu;

    c->gpr[4] = 1, c->gpr[5] = 2;
    CHECK_EQ(run(c, "add 3,4,5"), PPC_NEXT);
    CHECK_EQ(c->gpr[3], 3);
    CHECK_EQ(c->xer, 0);

    /* 64-bit signed overflow; the low words do not overflow. */
    c->gpr[4] = 0x7fffffffffffffffULL, c->gpr[5] = 1;
    run_as(c, "addo. 3,4,5", "add");
    CHECK_EQ(c->gpr[3], 0x8000000000000000ULL);
    CHECK_EQ(c->xer & XER_FLAGS, XER_SO | XER_OV);
    CHECK_EQ(CR0(c), LT | SO);

    /* OV clears, SO stays. */
    c->gpr[4] = 1, c->gpr[5] = 1;
    run_as(c, "addo. 3,4,5", "add");
    CHECK_EQ(c->xer & XER_FLAGS, XER_SO);
    CHECK_EQ(CR0(c), GT | SO);

    /* The low word overflows: OV32 in 64-bit mode, OV and OV32 in 32-bit mode, and CR0
     * then looks at the low word only. */
    c->xer = 0;
    c->gpr[4] = 0x17fffffffULL, c->gpr[5] = 1;
    run_as(c, "addo. 3,4,5", "add");
    CHECK_EQ(c->gpr[3], 0x180000000ULL);
    CHECK_EQ(c->xer & XER_FLAGS, XER_OV32);
    CHECK_EQ(CR0(c), GT);
    c->msr &= ~MSR_SF;
    run_as(c, "addo. 3,4,5", "add");
    CHECK_EQ(c->gpr[3], 0x180000000ULL);
    CHECK_EQ(c->xer & XER_FLAGS, XER_SO | XER_OV | XER_OV32);
    CHECK_EQ(CR0(c), LT | SO);
    c->xer = 0;
    c->gpr[4] = 0xffffffff00000000ULL, c->gpr[5] = 0;
    run_as(c, "add. 3,4,5", "add");
    CHECK_EQ(CR0(c), EQ);
    c->msr |= MSR_SF;
    run_as(c, "add. 3,4,5", "add");
    CHECK_EQ(CR0(c), LT);
    run_as(c, "addo 3,4,5", "add"); /* Rc = 0 leaves CR0 */
    CHECK_EQ(CR0(c), LT);

    /* addpcis: NIA + (D || 0x0000). */
    c->nip = 0x10000, c->gpr[3] = 0;
    run(c, "addpcis 3,5");
    CHECK_EQ(c->gpr[3], 0x10004 + 0x50000);
    run(c, "addpcis 3,-1");
    CHECK_EQ(c->gpr[3], 0x4);

    /* subf: RB - RA, overflow of 0 - INT64_MIN. */
    c->xer = 0;
    c->gpr[4] = 3, c->gpr[5] = 10;
    run(c, "subf 3,4,5");
    CHECK_EQ(c->gpr[3], 7);
    c->gpr[4] = 0x8000000000000000ULL, c->gpr[5] = 0;
    run_as(c, "subfo 3,4,5", "subf");
    CHECK_EQ(c->gpr[3], 0x8000000000000000ULL);
    CHECK_EQ(c->xer & XER_FLAGS, XER_SO | XER_OV);
    rig_free(r);
}

static void test_carry(void)
{
    Rig *r = rig_new("POWER9");
    PpcCpu *c = &r->cpu;

    /* addc: carry out of bit 0 and of bit 32. */
    c->gpr[4] = ~0ULL, c->gpr[5] = 1;
    run(c, "addc 3,4,5");
    CHECK_EQ(c->gpr[3], 0);
    CHECK_EQ(c->xer & XER_FLAGS, XER_CA | XER_CA32);
    c->gpr[4] = 0xffffffffULL;
    run(c, "addc 3,4,5");
    CHECK_EQ(c->gpr[3], 0x100000000ULL);
    CHECK_EQ(c->xer & XER_FLAGS, XER_CA32);
    c->msr &= ~MSR_SF; /* 32-bit mode: CA is the carry out of bit 32 */
    run(c, "addc 3,4,5");
    CHECK_EQ(c->xer & XER_FLAGS, XER_CA | XER_CA32);
    c->gpr[4] = 0xffffffff00000000ULL;
    run(c, "addc 3,4,5");
    CHECK_EQ(c->xer & XER_FLAGS, 0);
    c->msr |= MSR_SF;

    /* addco.: carry and overflow together. */
    c->xer = 0;
    c->gpr[4] = 0x8000000000000000ULL, c->gpr[5] = 0x8000000000000000ULL;
    run_as(c, "addco. 3,4,5", "addc");
    CHECK_EQ(c->gpr[3], 0);
    CHECK_EQ(c->xer & XER_FLAGS, XER_CA | XER_SO | XER_OV);
    CHECK_EQ(CR0(c), EQ | SO);

    /* adde / subfe take CA in. */
    c->xer = XER_CA;
    c->gpr[4] = 5, c->gpr[5] = 6;
    run(c, "adde 3,4,5");
    CHECK_EQ(c->gpr[3], 12);
    CHECK_EQ(c->xer & XER_FLAGS, 0);
    c->xer = XER_CA;
    c->gpr[4] = 5, c->gpr[5] = 6;
    run(c, "subfe 3,4,5"); /* ~5 + 6 + 1 = 1, borrow-free: CA */
    CHECK_EQ(c->gpr[3], 1);
    CHECK_EQ(c->xer & XER_FLAGS, XER_CA | XER_CA32);
    c->xer = 0;
    run(c, "subfe 3,4,5"); /* ~5 + 6 = 0 with carry out */
    CHECK_EQ(c->gpr[3], 0);
    CHECK_EQ(c->xer & XER_FLAGS, XER_CA | XER_CA32);

    /* subfc: CA = no borrow. */
    c->gpr[4] = 3, c->gpr[5] = 5;
    run(c, "subfc 3,4,5");
    CHECK_EQ(c->gpr[3], 2);
    CHECK_EQ(c->xer & XER_FLAGS, XER_CA | XER_CA32);
    c->gpr[4] = 5, c->gpr[5] = 3;
    run(c, "subfc 3,4,5");
    CHECK_EQ(c->gpr[3], (uint64_t)-2);
    CHECK_EQ(c->xer & XER_FLAGS, 0);
    /* Borrow in the high word only: CA32 = 1, CA = 0 in 64-bit mode. */
    c->gpr[4] = 0x100000000ULL, c->gpr[5] = 0;
    run(c, "subfc 3,4,5");
    CHECK_EQ(c->gpr[3], 0xffffffff00000000ULL);
    CHECK_EQ(c->xer & XER_FLAGS, XER_CA32);

    /* addme, addze, subfme, subfze. */
    c->xer = 0;
    c->gpr[4] = 0;
    run(c, "addme 3,4"); /* 0 + 0 - 1 */
    CHECK_EQ(c->gpr[3], ~0ULL);
    CHECK_EQ(c->xer & XER_FLAGS, 0);
    c->xer = XER_CA;
    run(c, "addme 3,4"); /* 0 + 1 - 1 */
    CHECK_EQ(c->gpr[3], 0);
    CHECK_EQ(c->xer & XER_FLAGS, XER_CA | XER_CA32);
    c->xer = XER_CA;
    c->gpr[4] = ~0ULL;
    run(c, "addze 3,4");
    CHECK_EQ(c->gpr[3], 0);
    CHECK_EQ(c->xer & XER_FLAGS, XER_CA | XER_CA32);
    c->xer = 0;
    c->gpr[4] = 0x7fffffffffffffffULL;
    run_as(c, "addzeo 3,4", "addze");
    CHECK_EQ(c->xer & XER_FLAGS, 0);
    c->xer = XER_CA;
    run_as(c, "addzeo 3,4", "addze");
    CHECK_EQ(c->gpr[3], 0x8000000000000000ULL);
    CHECK_EQ(c->xer & XER_FLAGS, XER_SO | XER_OV | XER_CA32); /* carry out of bit 32 */
    c->xer = 0;
    c->gpr[4] = 5;
    run(c, "subfme 3,4"); /* ~5 + 0 - 1 = -7 */
    CHECK_EQ(c->gpr[3], (uint64_t)-7);
    CHECK_EQ(c->xer & XER_FLAGS, XER_CA | XER_CA32);
    c->xer = XER_CA;
    run(c, "subfze 3,4"); /* ~5 + 1 = -5 */
    CHECK_EQ(c->gpr[3], (uint64_t)-5);
    CHECK_EQ(c->xer & XER_FLAGS, 0);
    c->gpr[4] = 0;
    run(c, "subfze 3,4"); /* ~0 + 0 */
    CHECK_EQ(c->gpr[3], ~0ULL);

    /* addic / addic. / subfic. */
    c->xer = 0;
    c->gpr[4] = 1;
    run(c, "addic 3,4,-1");
    CHECK_EQ(c->gpr[3], 0);
    CHECK_EQ(c->xer & XER_FLAGS, XER_CA | XER_CA32);
    c->gpr[4] = ~0ULL;
    run_as(c, "addic. 3,4,1", "addic_");
    CHECK_EQ(c->gpr[3], 0);
    CHECK_EQ(CR0(c), EQ);
    c->gpr[4] = 7;
    run(c, "subfic 3,4,5");
    CHECK_EQ(c->gpr[3], (uint64_t)-2);
    CHECK_EQ(c->xer & XER_FLAGS, 0);
    c->gpr[4] = 2;
    run(c, "subfic 3,4,5");
    CHECK_EQ(c->gpr[3], 3);
    CHECK_EQ(c->xer & XER_FLAGS, XER_CA | XER_CA32);
    rig_free(r);
}

static void test_neg_addex(void)
{
    Rig *r = rig_new("POWER9");
    PpcCpu *c = &r->cpu;

    c->gpr[4] = 5;
    run(c, "neg 3,4");
    CHECK_EQ(c->gpr[3], (uint64_t)-5);
    c->gpr[4] = 0x8000000000000000ULL; /* 64-bit mode: OV, not OV32 */
    run_as(c, "nego. 3,4", "neg");
    CHECK_EQ(c->gpr[3], 0x8000000000000000ULL);
    CHECK_EQ(c->xer & XER_FLAGS, XER_SO | XER_OV);
    CHECK_EQ(CR0(c), LT | SO);
    c->xer = 0;
    c->gpr[4] = 0x80000000ULL; /* the low word is the most negative word: OV32 */
    run_as(c, "nego 3,4", "neg");
    CHECK_EQ(c->gpr[3], 0xffffffff80000000ULL);
    CHECK_EQ(c->xer & XER_FLAGS, XER_OV32);
    c->msr &= ~MSR_SF;
    run_as(c, "nego 3,4", "neg");
    CHECK_EQ(c->xer & XER_FLAGS, XER_SO | XER_OV | XER_OV32);
    c->msr |= MSR_SF;

    /* addex: OV is the carry in and out, OV32 the carry out of bit 32; SO untouched. */
    c->xer = XER_OV;
    c->gpr[4] = ~0ULL, c->gpr[5] = 0;
    run(c, "addex 3,4,5,0");
    CHECK_EQ(c->gpr[3], 0);
    CHECK_EQ(c->xer & XER_FLAGS, XER_OV | XER_OV32);
    c->gpr[4] = 0xfffffffeULL, c->gpr[5] = 1;
    run(c, "addex 3,4,5,0");
    CHECK_EQ(c->gpr[3], 0x100000000ULL);
    CHECK_EQ(c->xer & XER_FLAGS, XER_OV32);
    run(c, "addex 3,4,5,0");
    CHECK_EQ(c->gpr[3], 0xffffffffULL);
    CHECK_EQ(c->xer & XER_FLAGS, 0);
    rig_free(r);
}

/* --- (c) multiply and divide --- */

static void test_multiply(void)
{
    Rig *r = rig_new("POWER9");
    PpcCpu *c = &r->cpu;

    c->gpr[4] = 0x12345678;
    run(c, "mulli 3,4,-7");
    CHECK_EQ(c->gpr[3], (uint64_t)(0x12345678LL * -7));

    /* mullw: the 64-bit product of the low words; OV = OV32 when it needs > 32 bits. */
    c->gpr[4] = 0xdead00010000ULL, c->gpr[5] = 0xbeef00010000ULL;
    run_as(c, "mullwo. 3,4,5", "mullw");
    CHECK_EQ(c->gpr[3], 0x100000000ULL);
    CHECK_EQ(c->xer & XER_FLAGS, XER_SO | XER_OV | XER_OV32);
    CHECK_EQ(CR0(c), GT | SO);
    c->xer = 0;
    c->gpr[4] = 0xffffffffULL, c->gpr[5] = 7; /* -1 * 7 */
    run_as(c, "mullwo 3,4,5", "mullw");
    CHECK_EQ(c->gpr[3], (uint64_t)-7);
    CHECK_EQ(c->xer & XER_FLAGS, 0);

    c->gpr[4] = 0x100000000ULL, c->gpr[5] = 0x100000000ULL;
    run_as(c, "mulldo 3,4,5", "mulld");
    CHECK_EQ(c->gpr[3], 0);
    CHECK_EQ(c->xer & XER_FLAGS, XER_SO | XER_OV | XER_OV32);
    c->xer = 0;
    c->gpr[4] = (uint64_t)-3, c->gpr[5] = 0x1000;
    run_as(c, "mulldo 3,4,5", "mulld");
    CHECK_EQ(c->gpr[3], (uint64_t)-0x3000);
    CHECK_EQ(c->xer & XER_FLAGS, 0);

    c->gpr[4] = (uint64_t)-2, c->gpr[5] = 3;
    run(c, "mulhd 3,4,5");
    CHECK_EQ(c->gpr[3], ~0ULL);
    run(c, "mulhdu 3,4,5");
    CHECK_EQ(c->gpr[3], 2);
    c->gpr[4] = 0x80000000ULL, c->gpr[5] = 0x80000000ULL; /* (-2^31)^2 = 2^62 */
    run(c, "mulhw 3,4,5");
    CHECK_EQ(c->gpr[3], 0x4000000040000000ULL); /* the high word in both halves */
    c->gpr[4] = 0xffffffffULL, c->gpr[5] = 0xffffffffULL;
    run(c, "mulhwu 3,4,5");
    CHECK_EQ(c->gpr[3], 0xfffffffefffffffeULL);
    run(c, "mulhw 3,4,5"); /* -1 * -1 = 1: high word 0 */
    CHECK_EQ(c->gpr[3], 0);

    /* ISA 3.0 multiply-add. */
    c->gpr[4] = ~0ULL, c->gpr[5] = ~0ULL, c->gpr[6] = 5;
    run(c, "maddld 3,4,5,6");
    CHECK_EQ(c->gpr[3], 6);
    run(c, "maddhdu 3,4,5,6");
    CHECK_EQ(c->gpr[3], 0xfffffffffffffffeULL);
    run(c, "maddhd 3,4,5,6");
    CHECK_EQ(c->gpr[3], 0);
    c->gpr[6] = (uint64_t)-2; /* 1 - 2 = -1: high doubleword all ones */
    run(c, "maddhd 3,4,5,6");
    CHECK_EQ(c->gpr[3], ~0ULL);
    rig_free(r);
}

static void test_divide(void)
{
    Rig *r = rig_new("POWER9");
    PpcCpu *c = &r->cpu;

    c->gpr[4] = (uint64_t)-7, c->gpr[5] = 2;
    run_as(c, "divdo. 3,4,5", "divd");
    CHECK_EQ(c->gpr[3], (uint64_t)-3);
    CHECK_EQ(c->xer & XER_FLAGS, 0);
    CHECK_EQ(CR0(c), LT);
    c->gpr[5] = 0;
    run_as(c, "divdo. 3,4,5", "divd");
    CHECK_EQ(c->gpr[3], 0);
    CHECK_EQ(c->xer & XER_FLAGS, XER_SO | XER_OV | XER_OV32);
    CHECK_EQ(CR0(c), EQ | SO);
    c->xer = 0;
    c->gpr[4] = 0x8000000000000000ULL, c->gpr[5] = ~0ULL;
    run_as(c, "divdo 3,4,5", "divd");
    CHECK_EQ(c->gpr[3], 0);
    CHECK_EQ(c->xer & XER_FLAGS, XER_SO | XER_OV | XER_OV32);
    c->xer = 0;
    run(c, "divd 3,4,5"); /* OE = 0: XER untouched */
    CHECK_EQ(c->xer & XER_FLAGS, 0);
    run(c, "divdu 3,4,5");
    CHECK_EQ(c->gpr[3], 0);
    c->gpr[5] = 0;
    run_as(c, "divduo 3,4,5", "divdu");
    CHECK_EQ(c->xer & XER_FLAGS, XER_SO | XER_OV | XER_OV32);

    /* Word divides use the low words; the high word of RT is 0. */
    c->xer = 0;
    c->gpr[4] = 0x12345678fffffff9ULL, c->gpr[5] = 0xabcdef0000000002ULL; /* -7 / 2 */
    run(c, "divw 3,4,5");
    CHECK_EQ(c->gpr[3], 0xfffffffdULL);
    run(c, "divwu 3,4,5");
    CHECK_EQ(c->gpr[3], 0x7ffffffcULL);
    c->gpr[4] = 0x80000000ULL, c->gpr[5] = 0xffffffffULL;
    run_as(c, "divwo 3,4,5", "divw");
    CHECK_EQ(c->gpr[3], 0);
    CHECK_EQ(c->xer & XER_FLAGS, XER_SO | XER_OV | XER_OV32);
    c->xer = 0;
    c->gpr[5] = 0x500000000ULL; /* low word 0 */
    run_as(c, "divwuo 3,4,5", "divwu");
    CHECK_EQ(c->xer & XER_FLAGS, XER_SO | XER_OV | XER_OV32);
    /* 32-bit mode: CR0 from the low word. */
    c->xer = 0;
    c->msr &= ~MSR_SF;
    c->gpr[4] = (uint64_t)-8, c->gpr[5] = 2;
    run_as(c, "divw. 3,4,5", "divw");
    CHECK_EQ(c->gpr[3], 0xfffffffcULL);
    CHECK_EQ(CR0(c), LT);
    c->msr |= MSR_SF;

    /* Extended divides: (RA || 0) / RB. */
    c->gpr[4] = 1, c->gpr[5] = 4;
    run(c, "divdeu 3,4,5");
    CHECK_EQ(c->gpr[3], 0x4000000000000000ULL);
    c->gpr[4] = 4;
    run_as(c, "divdeuo 3,4,5", "divdeu"); /* RA >= RB: does not fit */
    CHECK_EQ(c->gpr[3], 0);
    CHECK_EQ(c->xer & XER_FLAGS, XER_SO | XER_OV | XER_OV32);
    c->xer = 0;
    c->gpr[4] = 1, c->gpr[5] = 4;
    run_as(c, "divdeo 3,4,5", "divde");
    CHECK_EQ(c->gpr[3], 0x4000000000000000ULL);
    CHECK_EQ(c->xer & XER_FLAGS, 0);
    c->gpr[5] = 2; /* 2^64 / 2 = 2^63 does not fit a signed doubleword */
    run_as(c, "divdeo 3,4,5", "divde");
    CHECK_EQ(c->gpr[3], 0);
    CHECK_EQ(c->xer & XER_FLAGS, XER_SO | XER_OV | XER_OV32);
    c->xer = 0;
    c->gpr[4] = (uint64_t)-1, c->gpr[5] = 4; /* -2^64 / 4 = -2^62 */
    run(c, "divde 3,4,5");
    CHECK_EQ(c->gpr[3], 0xc000000000000000ULL);
    c->gpr[4] = 1, c->gpr[5] = 8; /* 2^32 / 8 */
    run(c, "divweu 3,4,5");
    CHECK_EQ(c->gpr[3], 0x20000000ULL);
    run(c, "divwe 3,4,5");
    CHECK_EQ(c->gpr[3], 0x20000000ULL);
    c->gpr[5] = 1;
    run_as(c, "divweo 3,4,5", "divwe"); /* 2^32 does not fit a word */
    CHECK_EQ(c->gpr[3], 0);
    CHECK_EQ(c->xer & XER_FLAGS, XER_SO | XER_OV | XER_OV32);
    c->xer = 0;
    c->gpr[4] = 0xffffffffULL, c->gpr[5] = 0xfffffffcULL; /* -2^32 / -4 */
    run(c, "divwe 3,4,5");
    CHECK_EQ(c->gpr[3], 0x40000000ULL);

    /* Modulo (ISA 3.0): the undefined cases give 0. */
    c->gpr[4] = (uint64_t)-7, c->gpr[5] = 3;
    run(c, "modsd 3,4,5");
    CHECK_EQ(c->gpr[3], (uint64_t)-1);
    run(c, "modud 3,4,5");
    CHECK_EQ(c->gpr[3], ((uint64_t)-7) % 3);
    run(c, "modsw 3,4,5");
    CHECK_EQ(c->gpr[3], ~0ULL);
    run(c, "moduw 3,4,5");
    CHECK_EQ(c->gpr[3], 0xfffffff9ULL % 3);
    c->gpr[5] = 0;
    run(c, "modsd 3,4,5");
    CHECK_EQ(c->gpr[3], 0);
    run(c, "moduw 3,4,5");
    CHECK_EQ(c->gpr[3], 0);
    c->gpr[4] = 0x80000000ULL, c->gpr[5] = ~0ULL;
    run(c, "modsw 3,4,5");
    CHECK_EQ(c->gpr[3], 0);
    CHECK_EQ(c->xer & XER_FLAGS, 0);
    rig_free(r);
}

/* --- (d) compare, trap, isel, setb --- */

static void test_compare(void)
{
    Rig *r = rig_new("POWER9");
    PpcCpu *c = &r->cpu;

    /* cmpd vs cmpw on values that differ only in the high word. */
    c->gpr[4] = 0x100000001ULL, c->gpr[5] = 1;
    run(c, "cmp 1,1,4,5");
    CHECK_EQ(ppc_cr_field(c, 1), GT);
    run(c, "cmp 1,0,4,5");
    CHECK_EQ(ppc_cr_field(c, 1), EQ);
    c->gpr[4] = 0xffffffffULL; /* -1 as a word, 2^32-1 as a doubleword */
    run(c, "cmp 1,0,4,5");
    CHECK_EQ(ppc_cr_field(c, 1), LT);
    run(c, "cmpl 1,0,4,5");
    CHECK_EQ(ppc_cr_field(c, 1), GT);
    c->xer = XER_SO;
    run(c, "cmpi 1,1,4,-5");
    CHECK_EQ(ppc_cr_field(c, 1), GT | SO);
    CHECK_EQ(ppc_cr_field(c, 0), 0);
    run(c, "cmpli 1,0,4,5");
    CHECK_EQ(ppc_cr_field(c, 1), GT | SO);
    c->gpr[4] = 5;
    run(c, "cmpli 1,0,4,5");
    CHECK_EQ(ppc_cr_field(c, 1), EQ | SO);
    c->xer = 0;
    c->gpr[4] = 0xffff;
    run(c, "cmpli 7,1,4,65535"); /* UI is not sign-extended */
    CHECK_EQ(ppc_cr_field(c, 7), EQ);

    /* L = 1 is an invalid form on e500mc (32-bit). */
    Rig *e = rig_new("e500mc");
    e->cpu.msr = 0;
    CHECK_EQ(run(&e->cpu, "cmp 1,1,4,5"), PPC_TRAP);
    CHECK_EQ(e->cpu.exc.kind, PPC_EXC_PROGRAM);
    CHECK_EQ(e->cpu.exc.srr1_bits, SRR1_PROGRAM_ILLEGAL);
    CHECK_EQ(run(&e->cpu, "cmp 1,0,4,5"), PPC_NEXT);
    rig_free(e);

    /* cmprb: '0'-'9' in RB[56:63]..RB[48:55]; L = 1 adds 'a'-'f'. */
    c->gpr[5] = 0x0000000066613930ULL; /* 'a'-'f' in RB[32:47], '0'-'9' in RB[48:63] */
    c->gpr[4] = '7';
    run(c, "cmprb 1,1,4,5");
    CHECK_EQ(ppc_cr_field(c, 1), GT);
    c->gpr[4] = 'c';
    run(c, "cmprb 1,1,4,5");
    CHECK_EQ(ppc_cr_field(c, 1), GT);
    run(c, "cmprb 1,0,4,5");
    CHECK_EQ(ppc_cr_field(c, 1), 0);
    c->gpr[4] = 0x3300 | '5'; /* only RA[56:63] counts */
    run(c, "cmprb 1,0,4,5");
    CHECK_EQ(ppc_cr_field(c, 1), GT);
    c->gpr[4] = 0x77;
    c->gpr[5] = 0x1122334455667788ULL;
    run(c, "cmpeqb 1,4,5");
    CHECK_EQ(ppc_cr_field(c, 1), GT);
    c->gpr[4] = 0x1177;
    c->gpr[5] = 0x1122334455660088ULL;
    run(c, "cmpeqb 1,4,5");
    CHECK_EQ(ppc_cr_field(c, 1), 0);

    /* setb RT, BFA. */
    ppc_set_cr_field(c, 1, LT | GT);
    run(c, "setb 3,1");
    CHECK_EQ(c->gpr[3], ~0ULL);
    ppc_set_cr_field(c, 1, GT);
    run(c, "setb 3,1");
    CHECK_EQ(c->gpr[3], 1);
    ppc_set_cr_field(c, 1, EQ | SO);
    run(c, "setb 3,1");
    CHECK_EQ(c->gpr[3], 0);

    /* isel: (RA|0). */
    ppc_set_cr_field(c, 1, EQ);
    c->gpr[4] = 44, c->gpr[5] = 55;
    run(c, "isel 3,4,5,6");
    CHECK_EQ(c->gpr[3], 44);
    run(c, "isel 3,0,5,6");
    CHECK_EQ(c->gpr[3], 0);
    run(c, "isel 3,4,5,5");
    CHECK_EQ(c->gpr[3], 55);
    rig_free(r);
}

static void test_trap(void)
{
    Rig *r = rig_new("POWER9");
    PpcCpu *c = &r->cpu;

    c->gpr[3] = 5, c->gpr[5] = 5;
    CHECK_EQ(run(c, "tw 4,3,5"), PPC_TRAP);
    CHECK_EQ(c->exc.kind, PPC_EXC_PROGRAM);
    CHECK_EQ(c->exc.srr1_bits, SRR1_PROGRAM_TRAP);
    CHECK(!c->exc.nip_set); /* SRR0 is the trap itself */
    c->gpr[5] = 6;
    CHECK_EQ(run(c, "tw 4,3,5"), PPC_NEXT);
    CHECK_EQ(run(c, "tw 16,3,5"), PPC_TRAP); /* lt */
    CHECK_EQ(run(c, "tw 8,3,5"), PPC_NEXT);
    CHECK_EQ(run(c, "twi 4,3,5"), PPC_TRAP);
    CHECK_EQ(run(c, "twi 24,3,5"), PPC_NEXT);
    CHECK_EQ(run(c, "tw 31,0,0"), PPC_TRAP); /* trap: unconditional */
    /* tw compares words; td doublewords; the unsigned conditions. */
    c->gpr[3] = 0x100000005ULL;
    CHECK_EQ(run_as(c, "tweq 3,0", "tw"), PPC_NEXT);
    c->gpr[0] = 5;
    CHECK_EQ(run_as(c, "tweq 3,0", "tw"), PPC_TRAP);
    CHECK_EQ(run(c, "td 4,3,5"), PPC_NEXT);
    c->gpr[3] = ~0ULL, c->gpr[5] = 1;
    CHECK_EQ(run(c, "td 1,3,5"), PPC_TRAP); /* lgt */
    CHECK_EQ(run(c, "td 16,3,5"), PPC_TRAP); /* lt */
    CHECK_EQ(run(c, "td 2,3,5"), PPC_NEXT); /* llt */
    CHECK_EQ(run(c, "tdi 2,3,-1"), PPC_NEXT);
    CHECK_EQ(run(c, "tdi 4,3,-1"), PPC_TRAP);
    rig_free(r);
}

/* --- (e) logical, count, permute --- */

static void test_logical(void)
{
    Rig *r = rig_new("POWER9");
    PpcCpu *c = &r->cpu;
    uint64_t s = 0xff00ff00f0f0f0f0ULL, b = 0x0ff00ff00ff00ff0ULL;

    c->gpr[4] = s;
    run_as(c, "andi. 3,4,5", "andi_");
    CHECK_EQ(c->gpr[3], 0);
    CHECK_EQ(CR0(c), EQ);
    c->gpr[4] = 0xffffffff80000000ULL;
    run_as(c, "andis. 3,4,0x8000", "andis_");
    CHECK_EQ(c->gpr[3], 0x80000000ULL);
    CHECK_EQ(CR0(c), GT); /* 64-bit mode: positive */
    c->msr &= ~MSR_SF;
    run_as(c, "andis. 3,4,0x8000", "andis_");
    CHECK_EQ(CR0(c), LT);
    c->msr |= MSR_SF;
    c->gpr[4] = s;
    run(c, "ori 3,4,0xffff");
    CHECK_EQ(c->gpr[3], 0xff00ff00f0f0ffffULL);
    run(c, "oris 3,4,0xffff");
    CHECK_EQ(c->gpr[3], 0xff00ff00fffff0f0ULL);
    run(c, "xori 3,4,0xffff");
    CHECK_EQ(c->gpr[3], 0xff00ff00f0f00f0fULL);
    run(c, "xoris 3,4,0xffff");
    CHECK_EQ(c->gpr[3], 0xff00ff000f0ff0f0ULL);

    c->gpr[5] = b;
    run(c, "and 3,4,5");
    CHECK_EQ(c->gpr[3], s & b);
    run(c, "or 3,4,5");
    CHECK_EQ(c->gpr[3], s | b);
    run(c, "xor 3,4,5");
    CHECK_EQ(c->gpr[3], s ^ b);
    run(c, "nand 3,4,5");
    CHECK_EQ(c->gpr[3], ~(s & b));
    run(c, "nor 3,4,5");
    CHECK_EQ(c->gpr[3], ~(s | b));
    run(c, "eqv 3,4,5");
    CHECK_EQ(c->gpr[3], ~(s ^ b));
    run(c, "andc 3,4,5");
    CHECK_EQ(c->gpr[3], s & ~b);
    run(c, "orc 3,4,5");
    CHECK_EQ(c->gpr[3], s | ~b);
    run_as(c, "and. 3,4,5", "and");
    CHECK_EQ(CR0(c), GT);
    run_as(c, "nor. 3,4,5", "nor");
    CHECK_EQ(CR0(c), GT);
    c->gpr[5] = 0;
    run_as(c, "nor. 3,4,5", "nor");
    CHECK_EQ(CR0(c), GT); /* ~s is positive */
    run_as(c, "orc. 3,4,5", "orc");
    CHECK_EQ(CR0(c), LT);

    c->gpr[4] = 0x1234567890abcdf0ULL;
    run(c, "extsb 3,4");
    CHECK_EQ(c->gpr[3], 0xfffffffffffffff0ULL);
    run(c, "extsh 3,4");
    CHECK_EQ(c->gpr[3], 0xffffffffffffcdf0ULL);
    run(c, "extsw 3,4");
    CHECK_EQ(c->gpr[3], 0xffffffff90abcdf0ULL);
    run_as(c, "extsw. 3,4", "extsw");
    CHECK_EQ(CR0(c), LT);
    run(c, "extswsli 3,4,33");
    CHECK_EQ(c->gpr[3], 0x21579be000000000ULL);
    run_as(c, "extswsli. 3,4,4", "extswsli");
    CHECK_EQ(c->gpr[3], 0xfffffff90abcdf00ULL);
    CHECK_EQ(CR0(c), LT);

    c->gpr[4] = 0x0000100000000000ULL;
    run(c, "cntlzw 3,4");
    CHECK_EQ(c->gpr[3], 32);
    run(c, "cntlzd 3,4");
    CHECK_EQ(c->gpr[3], 19);
    run(c, "cnttzw 3,4");
    CHECK_EQ(c->gpr[3], 32);
    run(c, "cnttzd 3,4");
    CHECK_EQ(c->gpr[3], 44);
    c->gpr[4] = 0;
    run(c, "cntlzd 3,4");
    CHECK_EQ(c->gpr[3], 64);
    run_as(c, "cnttzd. 3,4", "cnttzd");
    CHECK_EQ(c->gpr[3], 64);
    CHECK_EQ(CR0(c), GT);
    c->gpr[4] = 0x80;
    run_as(c, "cntlzw. 3,4", "cntlzw");
    CHECK_EQ(c->gpr[3], 24);

    c->gpr[4] = 0xff0f030100000001ULL;
    run(c, "popcntb 3,4");
    CHECK_EQ(c->gpr[3], 0x0804020100000001ULL);
    run(c, "popcntw 3,4");
    CHECK_EQ(c->gpr[3], 0x0000000f00000001ULL);
    run(c, "popcntd 3,4");
    CHECK_EQ(c->gpr[3], 16);

    c->gpr[4] = 0x0101000001000000ULL;
    run(c, "prtyw 3,4");
    CHECK_EQ(c->gpr[3], 0x0000000000000001ULL);
    run(c, "prtyd 3,4");
    CHECK_EQ(c->gpr[3], 1);
    c->gpr[4] = 0x01fe010001000000ULL; /* only byte LSBs count */
    run(c, "prtyw 3,4");
    CHECK_EQ(c->gpr[3], 0x0000000000000001ULL);
    c->gpr[4] = 0x0100000001000001ULL;
    run(c, "prtyw 3,4");
    CHECK_EQ(c->gpr[3], 0x0000000100000000ULL);
    run(c, "prtyd 3,4");
    CHECK_EQ(c->gpr[3], 1);

    c->gpr[4] = 0x1122334455667788ULL, c->gpr[5] = 0x1100330055007700ULL;
    run(c, "cmpb 3,4,5");
    CHECK_EQ(c->gpr[3], 0xff00ff00ff00ff00ULL);

    /* bpermd: indexes 0, 63, 64 (out of range), 1, ... into RB. */
    c->gpr[4] = 0x003f400102030405ULL;
    c->gpr[5] = 0xa000000000000001ULL; /* bits 0, 2 and 63 set */
    run(c, "bpermd 3,4,5");
    CHECK_EQ(c->gpr[3], 0xc8); /* indexes 0, 63, 2 select 1 bits */
    rig_free(r);
}

/* --- (f) rotate and shift --- */

static void test_rotate(void)
{
    Rig *r = rig_new("POWER9");
    PpcCpu *c = &r->cpu;
    const uint64_t s = 0x123456789abcdef0ULL;

    c->gpr[4] = s;
    run(c, "rlwinm 3,4,5,6,7");
    CHECK_EQ(c->gpr[3], 0x0000000003000000ULL);
    run(c, "rlwinm 3,4,0,28,3"); /* mb > me: the mask wraps and takes the high word too */
    CHECK_EQ(c->gpr[3], 0x9abcdef090000000ULL);
    run(c, "rlwinm 3,4,8,24,7");
    CHECK_EQ(c->gpr[3], 0xbcdef09abc00009aULL);
    run(c, "rlwinm 3,4,31,0,31");
    CHECK_EQ(c->gpr[3], 0x000000004d5e6f78ULL);
    run_as(c, "rlwinm. 3,4,0,28,3", "rlwinm");
    CHECK_EQ(CR0(c), LT);
    c->msr &= ~MSR_SF;
    run_as(c, "rlwinm. 3,4,31,0,31", "rlwinm");
    CHECK_EQ(CR0(c), GT);
    c->msr |= MSR_SF;
    c->gpr[5] = 37; /* only RB[59:63] */
    run(c, "rlwnm 3,4,5,6,7");
    CHECK_EQ(c->gpr[3], 0x0000000003000000ULL);
    c->gpr[3] = ~0ULL;
    run(c, "rlwimi 3,4,4,16,23");
    CHECK_EQ(c->gpr[3], 0xffffffffffffefffULL);
    c->gpr[3] = 0xaaaaaaaaaaaaaaaaULL;
    run(c, "rlwimi 3,4,8,28,3");
    CHECK_EQ(c->gpr[3], 0xbcdef09abaaaaaaaULL);

    run(c, "rldicl 3,4,33,34");
    CHECK_EQ(c->gpr[3], 0x000000002468acf1ULL);
    run(c, "rldicl 3,4,0,48");
    CHECK_EQ(c->gpr[3], 0x000000000000def0ULL);
    run(c, "rldicr 3,4,33,34");
    CHECK_EQ(c->gpr[3], 0x3579bde020000000ULL);
    run(c, "rldicr 3,4,4,59");
    CHECK_EQ(c->gpr[3], 0x23456789abcdef00ULL);
    run(c, "rldic 3,4,33,34"); /* mb 34 > me 30: wraps */
    CHECK_EQ(c->gpr[3], 0x3579bde02468acf1ULL);
    run(c, "rldic 3,4,8,0");
    CHECK_EQ(c->gpr[3], 0x3456789abcdef000ULL);
    run(c, "rldic 3,4,8,60");
    CHECK_EQ(c->gpr[3], 0x3456789abcdef002ULL);
    c->gpr[3] = ~0ULL;
    run(c, "rldimi 3,4,33,34");
    CHECK_EQ(c->gpr[3], 0x3579bde1e468acf1ULL);
    c->gpr[3] = 0;
    run(c, "rldimi 3,4,16,56");
    CHECK_EQ(c->gpr[3], 0x56789abcdef00034ULL);
    c->gpr[5] = 0x44; /* only RB[58:63]: 4 */
    run(c, "rldcl 3,4,5,34");
    CHECK_EQ(c->gpr[3], 0x000000002bcdef01ULL);
    run(c, "rldcr 3,4,5,34");
    CHECK_EQ(c->gpr[3], 0x23456789a0000000ULL);
    run_as(c, "rldcr. 3,4,5,34", "rldcr");
    CHECK_EQ(CR0(c), GT);
    rig_free(r);
}

static void test_shift(void)
{
    Rig *r = rig_new("POWER9");
    PpcCpu *c = &r->cpu;

    c->gpr[4] = 0xffffffff80000001ULL;
    c->gpr[5] = 31;
    run(c, "slw 3,4,5");
    CHECK_EQ(c->gpr[3], 0x80000000ULL);
    c->gpr[5] = 32;
    run(c, "slw 3,4,5");
    CHECK_EQ(c->gpr[3], 0);
    c->gpr[5] = 63;
    run(c, "srw 3,4,5");
    CHECK_EQ(c->gpr[3], 0);
    c->gpr[5] = 0x41; /* only RB[58:63]: 1 */
    run(c, "srw 3,4,5");
    CHECK_EQ(c->gpr[3], 0x40000000ULL);
    run_as(c, "slw. 3,4,5", "slw");
    CHECK_EQ(c->gpr[3], 2);
    CHECK_EQ(CR0(c), GT);

    /* sraw/srawi: CA = CA32 = negative and 1 bits shifted out. */
    c->gpr[5] = 1;
    run(c, "sraw 3,4,5");
    CHECK_EQ(c->gpr[3], 0xffffffffc0000000ULL);
    CHECK_EQ(c->xer & XER_FLAGS, XER_CA | XER_CA32);
    c->gpr[4] = 0x80000000ULL;
    run(c, "sraw 3,4,5");
    CHECK_EQ(c->gpr[3], 0xffffffffc0000000ULL);
    CHECK_EQ(c->xer & XER_FLAGS, 0);
    c->gpr[5] = 40; /* >= 32: all sign, CA = negative */
    run(c, "sraw 3,4,5");
    CHECK_EQ(c->gpr[3], ~0ULL);
    CHECK_EQ(c->xer & XER_FLAGS, XER_CA | XER_CA32);
    c->gpr[4] = 0x123456787fffffffULL;
    run(c, "sraw 3,4,5");
    CHECK_EQ(c->gpr[3], 0);
    CHECK_EQ(c->xer & XER_FLAGS, 0);
    c->gpr[5] = 0;
    run(c, "sraw 3,4,5");
    CHECK_EQ(c->gpr[3], 0x7fffffffULL);
    c->gpr[4] = 0xfffffff5ULL; /* -11 >> 5 */
    run(c, "srawi 3,4,5");
    CHECK_EQ(c->gpr[3], ~0ULL);
    CHECK_EQ(c->xer & XER_FLAGS, XER_CA | XER_CA32);
    c->gpr[4] = 0xffffffe0ULL; /* -32 >> 5: nothing lost */
    run_as(c, "srawi. 3,4,5", "srawi");
    CHECK_EQ(c->gpr[3], ~0ULL);
    CHECK_EQ(c->xer & XER_FLAGS, 0);
    CHECK_EQ(CR0(c), LT);

    c->gpr[4] = 0x8000000000000001ULL;
    c->gpr[5] = 63;
    run(c, "sld 3,4,5");
    CHECK_EQ(c->gpr[3], 0x8000000000000000ULL);
    c->gpr[5] = 64;
    run(c, "sld 3,4,5");
    CHECK_EQ(c->gpr[3], 0);
    c->gpr[5] = 127;
    run(c, "srd 3,4,5");
    CHECK_EQ(c->gpr[3], 0);
    c->gpr[5] = 0x81; /* only RB[57:63]: 1 */
    run(c, "srd 3,4,5");
    CHECK_EQ(c->gpr[3], 0x4000000000000000ULL);
    run(c, "srad 3,4,5");
    CHECK_EQ(c->gpr[3], 0xc000000000000000ULL);
    CHECK_EQ(c->xer & XER_FLAGS, XER_CA | XER_CA32);
    c->gpr[5] = 100;
    run(c, "srad 3,4,5");
    CHECK_EQ(c->gpr[3], ~0ULL);
    CHECK_EQ(c->xer & XER_FLAGS, XER_CA | XER_CA32);
    c->gpr[4] = 0x7000000000000000ULL;
    run(c, "srad 3,4,5");
    CHECK_EQ(c->gpr[3], 0);
    CHECK_EQ(c->xer & XER_FLAGS, 0);
    c->gpr[4] = 0xfffffffe00000000ULL;
    run(c, "sradi 3,4,33");
    CHECK_EQ(c->gpr[3], ~0ULL);
    CHECK_EQ(c->xer & XER_FLAGS, 0);
    c->gpr[4] = 0xfffffffe80000000ULL;
    run_as(c, "sradi. 3,4,33", "sradi");
    CHECK_EQ(c->gpr[3], ~0ULL);
    CHECK_EQ(c->xer & XER_FLAGS, XER_CA | XER_CA32);
    CHECK_EQ(CR0(c), LT);
    rig_free(r);
}

/* --- (g) CR and XER moves --- */

static void test_cr(void)
{
    Rig *r = rig_new("POWER9");
    PpcCpu *c = &r->cpu;

    c->cr = 0x60000000; /* CR0: GT EQ */
    run(c, "crand 1,2,3"); /* gt = eq & so */
    CHECK_EQ(c->cr, 0x20000000);
    run(c, "cror 1,2,3");
    CHECK_EQ(c->cr, 0x60000000);
    run(c, "crxor 3,1,2");
    CHECK_EQ(c->cr, 0x60000000);
    run(c, "crnand 0,1,2");
    CHECK_EQ(c->cr, 0x60000000);
    run(c, "crnor 0,0,3");
    CHECK_EQ(c->cr, 0xe0000000);
    run(c, "creqv 3,0,1");
    CHECK_EQ(c->cr, 0xf0000000);
    run(c, "crandc 2,0,1");
    CHECK_EQ(c->cr, 0xd0000000);
    run(c, "crorc 2,2,0");
    CHECK_EQ(c->cr, 0xd0000000);
    run(c, "crorc 2,2,2");
    CHECK_EQ(c->cr, 0xf0000000);
    run(c, "mcrf 1,0");
    CHECK_EQ(c->cr, 0xff000000);
    c->cr = 0x12345678;
    run(c, "mcrf 7,2");
    CHECK_EQ(c->cr, 0x12345673);

    c->gpr[3] = 0xdeadbeef00000000ULL;
    run(c, "mfcr 3");
    CHECK_EQ(c->gpr[3], 0x12345673);
    run(c, "mfocrf 3,0x10"); /* field 3 */
    CHECK_EQ(c->gpr[3], 0x00040000);
    c->gpr[3] = 0xffffffffabcdef01ULL;
    run(c, "mtcrf 0x81,3"); /* fields 0 and 7 */
    CHECK_EQ(c->cr, 0xa2345671);
    run(c, "mtocrf 0x10,3");
    CHECK_EQ(c->cr, 0xa23d5671);

    c->xer = XER_OV | XER_CA32 | XER_SO;
    run(c, "mcrxrx 1");
    CHECK_EQ(ppc_cr_field(c, 1), 0x9);
    rig_free(r);
}

/* --- (h) SPRs --- */

static void test_spr_table(void)
{
    for (unsigned k = 0; k < ppc_spr_count; k++) {
        const PpcSpr *s = &ppc_spr_table[k];
        if (k)
            CHECK(ppc_spr_table[k - 1].num < s->num); /* sorted, no duplicates */
        CHECK(s->name != NULL);
        CHECK(s->read_priv != PPC_PRIV_NONE || s->write_priv != PPC_PRIV_NONE);
        CHECK(s->off != 0 || (s->read_priv == PPC_PRIV_NONE || s->read));
        CHECK(s->off != 0 || (s->write_priv == PPC_PRIV_NONE || s->write));
        /* spr0 marks the privileged numbers (the PMU's user numbers have no spr0). */
        if (s->read_priv == PPC_PRIV_USER || s->write_priv == PPC_PRIV_USER)
            CHECK_EQ(s->num & 0x10, 0);
        else
            CHECK_EQ(s->num & 0x10, 0x10);
    }
    const PpcModel *p8 = ppc_model_find("POWER8"), *p9 = ppc_model_find("POWER9");
    CHECK(ppc_spr_lookup(p8, 25) != NULL); /* SDR1 went away in 3.0 */
    CHECK(ppc_spr_lookup(p9, 25) == NULL);
    CHECK(ppc_spr_lookup(p8, 464) == NULL); /* PTCR came with it */
    CHECK(ppc_spr_lookup(p9, 464) != NULL);
    CHECK(ppc_spr_lookup(ppc_model_find("e500mc"), 318) == NULL);
    CHECK(ppc_spr_lookup(p9, 1023) != NULL);
    CHECK(ppc_spr_lookup(p9, 1) != NULL);
    CHECK(ppc_spr_lookup(p9, 2) == NULL);
}

static void test_spr_moves(void)
{
    Rig *r = rig_new("POWER9");
    PpcCpu *c = &r->cpu;

    /* User SPRs. */
    c->gpr[3] = 0x1234;
    run_as(c, "mtspr 8,3", "mtspr");
    CHECK_EQ(c->lr, 0x1234);
    run_as(c, "mtspr 9,3", "mtspr");
    CHECK_EQ(c->ctr, 0x1234);
    run_as(c, "mfspr 4,8", "mfspr");
    CHECK_EQ(c->gpr[4], 0x1234);
    c->gpr[3] = ~0ULL;
    run_as(c, "mtspr 1,3", "mtspr"); /* only SO OV CA OV32 CA32 and the byte count */
    CHECK_EQ(c->xer, XER_FLAGS | XER_BC);
    run_as(c, "mfspr 4,1", "mfspr");
    CHECK_EQ(c->gpr[4], 0xe00c007fULL);

    /* Privileged SPRs from supervisor state, and from problem state. */
    c->msr = MSR_SF;
    c->gpr[3] = 0xabc;
    CHECK_EQ(run_as(c, "mtspr 272,3", "mtspr"), PPC_NEXT);
    CHECK_EQ(c->sprg[0], 0xabc);
    c->sprg[3] = 0x333;
    c->msr = MSR_SF | MSR_PR;
    CHECK_EQ(run_as(c, "mfspr 4,272", "mfspr"), PPC_TRAP);
    CHECK_EQ(c->exc.kind, PPC_EXC_PROGRAM);
    CHECK_EQ(c->exc.srr1_bits, SRR1_PROGRAM_PRIV);
    CHECK_EQ(run_as(c, "mfspr 4,259", "mfspr"), PPC_NEXT); /* SPRG3 user alias */
    CHECK_EQ(c->gpr[4], 0x333);
    CHECK_EQ(run_as(c, "mtspr 259,3", "mtspr"), PPC_TRAP); /* no mtspr 259: spr0 = 0 */
    CHECK_EQ(c->exc.kind, PPC_EXC_HEMULATION);

    /* Hypervisor SPRs from privileged non-hypervisor state: privileged, or HEA with
     * LPCR[EVIRT]. */
    c->msr = MSR_SF;
    c->gpr[4] = 0x77;
    CHECK_EQ(run_as(c, "mfspr 4,318", "mfspr"), PPC_TRAP);
    CHECK_EQ(c->exc.kind, PPC_EXC_PROGRAM);
    CHECK_EQ(c->exc.srr1_bits, SRR1_PROGRAM_PRIV);
    CHECK_EQ(c->gpr[4], 0x77);
    c->lpcr = 1ULL << 21;
    CHECK_EQ(run_as(c, "mfspr 4,318", "mfspr"), PPC_TRAP);
    CHECK_EQ(c->exc.kind, PPC_EXC_HEMULATION);
    c->msr = MSR_SF | MSR_HV;
    CHECK_EQ(run_as(c, "mfspr 4,318", "mfspr"), PPC_NEXT);
    CHECK_EQ(c->gpr[4], 1ULL << 21);
    c->gpr[3] = 0x4000;
    CHECK_EQ(run_as(c, "mtspr 318,3", "mtspr"), PPC_END); /* LPCR changes translation */
    CHECK_EQ(c->lpcr, 0x4000);

    /* Undefined numbers (rule 4). */
    c->msr = MSR_SF;
    c->gpr[4] = 0x55;
    CHECK_EQ(run_as(c, "mfspr 4,1000", "mfspr"), PPC_NEXT); /* no-op */
    CHECK_EQ(c->gpr[4], 0x55);
    CHECK_EQ(run_as(c, "mtspr 1000,3", "mtspr"), PPC_NEXT);
    CHECK_EQ(run_as(c, "mfspr 4,0", "mfspr"), PPC_TRAP);
    CHECK_EQ(c->exc.kind, PPC_EXC_HEMULATION);
    CHECK_EQ(run_as(c, "mtspr 5,3", "mtspr"), PPC_TRAP);
    CHECK_EQ(c->exc.kind, PPC_EXC_HEMULATION);
    CHECK_EQ(run_as(c, "mtspr 287,3", "mtspr"), PPC_NEXT); /* PVR is read-only: no-op */
    c->msr = MSR_SF | MSR_PR;
    CHECK_EQ(run_as(c, "mfspr 4,1000", "mfspr"), PPC_TRAP); /* spr0 = 0 */
    CHECK_EQ(c->exc.kind, PPC_EXC_HEMULATION);
    CHECK_EQ(run_as(c, "mfspr 4,1010", "mfspr"), PPC_TRAP); /* spr0 = 1 */
    CHECK_EQ(c->exc.kind, PPC_EXC_PROGRAM);
    CHECK_EQ(c->exc.srr1_bits, SRR1_PROGRAM_PRIV);
    CHECK_EQ(run_as(c, "mtspr 287,3", "mtspr"), PPC_TRAP);
    CHECK_EQ(c->exc.srr1_bits, SRR1_PROGRAM_PRIV);
    CHECK_EQ(run_as(c, "mfspr 4,808", "mfspr"), PPC_NEXT); /* reserved: no-op */
    CHECK_EQ(c->gpr[4], 0x55);
    c->msr = MSR_SF;
    c->lpcr = 1ULL << 21; /* EVIRT: undefined numbers trap to the hypervisor */
    CHECK_EQ(run_as(c, "mfspr 4,1000", "mfspr"), PPC_TRAP);
    CHECK_EQ(c->exc.kind, PPC_EXC_HEMULATION);
    c->lpcr = 0;

    /* AMR through the user number: only the UAMOR bits change. */
    c->amr = 0, c->uamor = 0x00000000ffff0000ULL, c->amor = ~0ULL;
    c->gpr[3] = ~0ULL;
    c->msr = MSR_SF | MSR_PR;
    CHECK_EQ(run_as(c, "mtspr 13,3", "mtspr"), PPC_END);
    CHECK_EQ(c->amr, 0x00000000ffff0000ULL);
    c->msr = MSR_SF;
    c->amor = 0xf000000000000000ULL;
    run_as(c, "mtspr 29,3", "mtspr");
    CHECK_EQ(c->amr, 0xf0000000ffff0000ULL);
    run_as(c, "mtspr 157,3", "mtspr"); /* UAMOR is limited by AMOR too */
    CHECK_EQ(c->uamor, 0xf000000000000000ULL);

    /* 32-bit SPRs keep their width; DSISR is a 32-bit field. */
    c->gpr[3] = 0x123456789ULL;
    run_as(c, "mtspr 18,3", "mtspr");
    CHECK_EQ(c->dsisr, 0x23456789);
    run_as(c, "mfspr 4,18", "mfspr");
    CHECK_EQ(c->gpr[4], 0x23456789);

    /* The PMU's user numbers: readable under PMCC = 0b00, writable under 0b10. */
    c->pmc[0] = 42;
    c->msr = MSR_SF | MSR_PR;
    CHECK_EQ(run_as(c, "mfspr 4,771", "mfspr"), PPC_NEXT);
    CHECK_EQ(c->gpr[4], 42);
    CHECK_EQ(run_as(c, "mtspr 771,3", "mtspr"), PPC_TRAP);
    c->mmcr0 = 0x00080000; /* PMCC = 0b10 */
    CHECK_EQ(run_as(c, "mtspr 771,3", "mtspr"), PPC_NEXT);
    CHECK_EQ(c->pmc[0], 0x23456789);
    CHECK_EQ(run_as(c, "mfspr 4,787", "mfspr"), PPC_TRAP); /* the privileged number */

    /* Time base: user readable (0 until the timer hookup), mftb, no mtspr 268. */
    c->gpr[4] = 0x55;
    CHECK_EQ(run_as(c, "mfspr 4,268", "mfspr"), PPC_NEXT);
    CHECK_EQ(c->gpr[4], 0);
    c->gpr[4] = 0x55;
    /* mftb r4,269 in its own encoding (XO 371): GNU as emits mfspr for mftb. */
    CHECK_EQ(run_as(c, ".long 0x7c8d42e6", "mftb"), PPC_NEXT);
    CHECK_EQ(c->gpr[4], 0);
    c->msr = MSR_SF;
    CHECK_EQ(run_as(c, "mtspr 268,3", "mtspr"), PPC_NEXT);

    /* PPR32 is the upper word of PPR. */
    c->ppr = 0x000c000000000000ULL;
    c->gpr[3] = 0x00100000;
    run_as(c, "mfspr 4,898", "mfspr");
    CHECK_EQ(c->gpr[4], 0x000c0000);
    run_as(c, "mtspr 898,3", "mtspr");
    CHECK_EQ(c->ppr, 0x0010000000000000ULL);
    rig_free(r);

    /* POWER8 has SDR1; on POWER9 mtspr 25 is an undefined privileged number. */
    Rig *p8 = rig_new("POWER8");
    p8->cpu.gpr[3] = 0x1000005;
    CHECK_EQ(run_as(&p8->cpu, "mtspr 25,3", "mtspr"), PPC_END);
    CHECK_EQ(p8->cpu.sdr1, 0x1000005);
    rig_free(p8);
}

/* --- (i) MSR moves --- */

static void test_msr(void)
{
    Rig *r = rig_new("POWER9");
    PpcCpu *c = &r->cpu;

    c->msr = MSR_SF | MSR_HV | MSR_ME | MSR_LE;
    CHECK_EQ(run(c, "mfmsr 3"), PPC_NEXT);
    CHECK_EQ(c->gpr[3], MSR_SF | MSR_HV | MSR_ME | MSR_LE);

    /* mtmsrd L=1: EE and RI only. */
    c->gpr[3] = ~0ULL & ~MSR_RI;
    CHECK_EQ(run_as(c, "mtmsrd 3,1", "mtmsrd"), PPC_END);
    CHECK_EQ(c->msr, MSR_SF | MSR_HV | MSR_ME | MSR_LE | MSR_EE);

    /* mtmsrd L=0: HV and ME stay; setting PR sets EE, IR, DR. */
    c->gpr[3] = MSR_SF | MSR_PR | MSR_FP;
    CHECK_EQ(run_as(c, "mtmsrd 3", "mtmsrd"), PPC_END);
    CHECK_EQ(c->msr, MSR_SF | MSR_HV | MSR_ME | MSR_PR | MSR_FP | MSR_EE | MSR_IR | MSR_DR);

    /* Problem state: privileged. */
    CHECK_EQ(run(c, "mfmsr 3"), PPC_TRAP);
    CHECK_EQ(c->exc.srr1_bits, SRR1_PROGRAM_PRIV);
    CHECK_EQ(run_as(c, "mtmsrd 3", "mtmsrd"), PPC_TRAP);
    CHECK_EQ(run_as(c, "mtmsr 3", "mtmsr"), PPC_TRAP);

    /* mtmsr: the low word only, and neither LE nor ME. */
    c->msr = MSR_SF | MSR_HV | MSR_ME;
    c->gpr[3] = MSR_LE | MSR_DR | MSR_IR | MSR_RI | MSR_EE;
    CHECK_EQ(run_as(c, "mtmsr 3", "mtmsr"), PPC_END);
    CHECK_EQ(c->msr, MSR_SF | MSR_HV | MSR_ME | MSR_DR | MSR_IR | MSR_RI | MSR_EE);
    c->gpr[3] = 0;
    run_as(c, "mtmsr 3", "mtmsr"); /* SF is in the high word: unchanged */
    CHECK_EQ(c->msr, MSR_SF | MSR_HV | MSR_ME);
    run_as(c, "mtmsr 3,1", "mtmsr");
    CHECK_EQ(c->msr, MSR_SF | MSR_HV | MSR_ME);
    run_as(c, "mtmsrd 3", "mtmsrd"); /* mtmsrd clears SF */
    CHECK_EQ(c->msr, MSR_HV | MSR_ME);

    /* Hypervisor-privileged instructions in privileged state of a partition: the
     * Privileged Instruction type Program interrupt, HEA with LPCR[EVIRT]. */
    r->core.vhyp = true;
    c->msr = MSR_SF | MSR_ME;
    c->lpcr = 0;
    CHECK_EQ(run(c, "hrfid"), PPC_TRAP);
    CHECK_EQ(c->exc.kind, PPC_EXC_PROGRAM);
    CHECK_EQ(c->exc.srr1_bits, SRR1_PROGRAM_PRIV);
    CHECK_EQ(run(c, "tlbie 3,4"), PPC_TRAP);
    CHECK_EQ(c->exc.kind, PPC_EXC_PROGRAM);
    CHECK_EQ(c->exc.srr1_bits, SRR1_PROGRAM_PRIV);
    c->lpcr = 1ULL << 21;
    CHECK_EQ(run(c, "hrfid"), PPC_TRAP);
    CHECK_EQ(c->exc.kind, PPC_EXC_HEMULATION);
    CHECK_EQ(run(c, "tlbie 3,4"), PPC_TRAP);
    CHECK_EQ(c->exc.kind, PPC_EXC_HEMULATION);
    rig_free(r);
}

int main(void)
{
    test_table_overlap();
    test_table_self_decode();
    test_table_categories();
    test_add();
    test_carry();
    test_neg_addex();
    test_multiply();
    test_divide();
    test_compare();
    test_trap();
    test_logical();
    test_rotate();
    test_shift();
    test_cr();
    test_spr_table();
    test_spr_moves();
    test_msr();
    return unit_summary("test_fixedpoint");
}
