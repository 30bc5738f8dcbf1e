/* tests/unit/ppc/test_loadstore.c: fixed-point loads and stores (Power ISA v3.0B Book I
 * 3.3.2-3.3.8), load and reserve / store conditional and the storage control
 * instructions (Book II chapter 4), and the memory API of cpu/ppc/ppc_mem.c in real
 * addressing mode (Book III-S 5.7.3; Alignment and Machine Check interrupts of 7.5.2 and
 * 7.5.8). A PpcCpu runs real instruction words, assembled by GNU as 2.40
 * (powerpc64le-linux-gnu-as -mpower9 -mbig) and recorded in gas_words below, against a
 * bus with RAM at 0, a ROM, and two fake devices (one little-endian, one big-endian)
 * that record what they see. Covered: every load and store width and form in Big- and
 * Little-Endian mode, sign extension, update forms writing RA and their invalid forms,
 * byte-reversed forms, lq/stq, lmw/stmw and the string instructions (and their
 * Little-Endian alignment interrupt), larx/stcx. success and each failure cause, dcbz,
 * accesses crossing a page, 32-bit effective address wrap, real-mode EA bits 0:3, MMIO
 * byte order, alignment in caching-inhibited storage, and bus errors as machine checks. */
#include <stdlib.h>

#include "cpu/ppc/ppc_core.h"
#include "cpu/ppc/ppc_decode.h"
#include "tests/unit/unit.h"
#include "tests/unit/ppc/asm_words.h"
#include "tests/unit/ppc/ppc_rig.h"


/* Regenerated from the W("...") and run("...") uses below by assembling them with GNU
 * as; the invalid forms GNU as refuses are built from a valid word with a field changed. */
static const AsmWord gas_words[] = {
    /* GAS-WORDS BEGIN */
    { "lbz 3,-8(4)", 0x8864fff8 },
    { "lhz 3,8(4)", 0xa0640008 },
    { "lha 3,8(4)", 0xa8640008 },
    { "lwz 3,8(4)", 0x80640008 },
    { "lwa 3,8(4)", 0xe864000a },
    { "ld 3,8(4)", 0xe8640008 },
    { "lbzx 3,4,5", 0x7c6428ae },
    { "lhzx 3,4,5", 0x7c642a2e },
    { "lhax 3,4,5", 0x7c642aae },
    { "lwzx 3,4,5", 0x7c64282e },
    { "lwax 3,4,5", 0x7c642aaa },
    { "ldx 3,4,5", 0x7c64282a },
    { "lbzx 3,0,5", 0x7c6028ae },
    { "lwz 3,0x1000(0)", 0x80601000 },
    { "lbzu 3,8(4)", 0x8c640008 },
    { "lhzu 3,8(4)", 0xa4640008 },
    { "lhau 3,8(4)", 0xac640008 },
    { "lwzu 3,8(4)", 0x84640008 },
    { "ldu 3,8(4)", 0xe8640009 },
    { "lbzux 3,4,5", 0x7c6428ee },
    { "lhzux 3,4,5", 0x7c642a6e },
    { "lhaux 3,4,5", 0x7c642aee },
    { "lwzux 3,4,5", 0x7c64286e },
    { "lwaux 3,4,5", 0x7c642aea },
    { "ldux 3,4,5", 0x7c64286a },
    { "std 3,8(4)", 0xf8640008 },
    { "stw 3,16(4)", 0x90640010 },
    { "sth 3,24(4)", 0xb0640018 },
    { "stb 3,32(4)", 0x98640020 },
    { "stdx 3,4,5", 0x7c64292a },
    { "stwx 3,4,5", 0x7c64292e },
    { "sthx 3,4,5", 0x7c642b2e },
    { "stbx 3,4,5", 0x7c6429ae },
    { "stdu 3,8(4)", 0xf8640009 },
    { "stwu 3,8(4)", 0x94640008 },
    { "sthu 3,8(4)", 0xb4640008 },
    { "stbu 3,8(4)", 0x9c640008 },
    { "stdux 3,4,5", 0x7c64296a },
    { "stwux 3,4,5", 0x7c64296e },
    { "sthux 3,4,5", 0x7c642b6e },
    { "stbux 3,4,5", 0x7c6429ee },
    { "stwu 4,8(4)", 0x94840008 },
    { "lhbrx 3,4,5", 0x7c642e2c },
    { "lwbrx 3,4,5", 0x7c642c2c },
    { "ldbrx 3,4,5", 0x7c642c28 },
    { "stdbrx 3,4,5", 0x7c642d28 },
    { "stwbrx 3,4,5", 0x7c642d2c },
    { "sthbrx 3,4,5", 0x7c642f2c },
    { "lq 6,32(4)", 0xe0c40020 },
    { "stq 6,32(4)", 0xf8c40022 },
    { "lmw 28,8(4)", 0xbb840008 },
    { "stmw 28,8(4)", 0xbf840008 },
    { "lswi 3,8,7", 0x7c683caa },
    { "lswi 31,8,0", 0x7fe804aa },
    { "lswx 6,4,5", 0x7cc42c2a },
    { "stswi 3,8,7", 0x7c683daa },
    { "stswx 3,4,5", 0x7c642d2a },
    { "lswx 6,4,7", 0x7cc43c2a },
    { "lwarx 3,4,5", 0x7c642828 },
    { "stwcx. 6,4,5", 0x7cc4292d },
    { "stdcx. 6,4,5", 0x7cc429ad },
    { "ldarx 3,4,5", 0x7c6428a8 },
    { "lbarx 3,4,5", 0x7c642868 },
    { "stbcx. 6,4,5", 0x7cc42d6d },
    { "lharx 3,4,5", 0x7c6428e8 },
    { "sthcx. 6,4,5", 0x7cc42dad },
    { "lwarx 3,4,5,1", 0x7c642829 },
    { "lqarx 6,4,5", 0x7cc42a28 },
    { "stqcx. 6,4,5", 0x7cc4296d },
    { "dcbz 4,5", 0x7c042fec },
    { "dcbf 4,5", 0x7c0428ac },
    { "dcbf 4,5,1", 0x7c2428ac },
    { "dcbst 4,5", 0x7c04286c },
    { "dcbt 4,5", 0x7c042a2c },
    { "dcbt 4,5,16", 0x7e042a2c },
    { "dcbtst 4,5", 0x7c0429ec },
    { "icbi 4,5", 0x7c042fac },
    { "icbt 0,4,5", 0x7c04282c },
    { "sync", 0x7c0004ac },
    { "lwsync", 0x7c2004ac },
    { "ptesync", 0x7c4004ac },
    { "eieio", 0x7c0006ac },
    { "isync", 0x4c00012c },
    { "wait", 0x7c00003c },
    { "ld 3,4(4)", 0xe8640004 },
    { "stw 3,6(4)", 0x90640006 },
    { "lwzu 3,0x1010(4)", 0x84641010 },
    { "stb 3,4(4)", 0x98640004 },
    { "lbz 3,4(4)", 0x88640004 },
    { "ld 3,0(4)", 0xe8640000 },
    { "stw 3,8(4)", 0x90640008 },
    { "sth 3,8(4)", 0xb0640008 },
    /* GAS-WORDS END */
};


#define ROM_BASE 0x20000ULL
#define ROM_SIZE 0x1000ULL
#define DEV_LE 0x10000000ULL
#define DEV_BE 0x10001000ULL
#define UNMAPPED 0x30000000ULL

typedef struct FakeDev {
    uint64_t value;             /* what a read returns (masked to the size) */
    uint64_t last_off, last_val;
    unsigned last_size, reads, writes;
} FakeDev;

static uint64_t dev_read(void *opaque, uint64_t off, unsigned size)
{
    FakeDev *d = opaque;
    d->reads++;
    d->last_off = off, d->last_size = size;
    return size == 8 ? d->value : d->value & ((1ULL << (8 * size)) - 1);
}

static void dev_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
    FakeDev *d = opaque;
    d->writes++;
    d->last_off = off, d->last_size = size, d->last_val = val;
}

static const MmioOps dev_le_ops = { .read = dev_read, .write = dev_write, .min_size = 1,
                                    .max_size = 8, .endian = DEV_LITTLE_ENDIAN };
static const MmioOps dev_be_ops = { .read = dev_read, .write = dev_write, .min_size = 1,
                                    .max_size = 8, .endian = DEV_BIG_ENDIAN };

typedef struct Rig {
    Bus bus;
    VClock clock;
    uint8_t *ram, rom[ROM_SIZE];
    FakeDev le, be;
    PpcCore core;
    PpcCpu cpu;
    unsigned written;          /* ram_written calls */
    uint64_t written_pa, written_len;
} Rig;

static void ram_written(void *opaque, uint64_t pa, uint64_t len)
{
    Rig *r = opaque;
    r->written++;
    r->written_pa = pa, r->written_len = len;
}

static void page_marked_hook(void *opaque, uint64_t ppage)
{
    ppc_mem_code_page(opaque, ppage);
}

static Rig *rig_new(bool le)
{
    Rig *r = calloc(1, sizeof(*r));
    ppc_rig_wire(&r->bus, &r->clock, &r->ram, &r->core, &r->cpu, "POWER9", le ? MSR_LE : 0);
    r->bus.ram_written = ram_written;
    r->bus.ram_written_opaque = r;
    bus_map_ram(&r->bus, "rom", ROM_BASE, ROM_SIZE, r->rom)->readonly = true;
    bus_map_mmio(&r->bus, "le", DEV_LE, 0x100, &dev_le_ops, &r->le);
    bus_map_mmio(&r->bus, "be", DEV_BE, 0x100, &dev_be_ops, &r->be);
    for (unsigned k = 0; k < 256; k++)
        r->ram[0x1000 + k] = (uint8_t)(0x80 + k); /* 80 81 82 ... at 0x1000 */
    return r;
}

static void rig_free(Rig *r)
{
    free(r->ram);
    free(r);
}

static PpcStatus run_word(PpcCpu *c, uint32_t word, const char *text, const char *name)
{
    PpcInsn in;
    ppc_decode(word, c->model->categories, &in);
    if (strcmp(op_name(in.op), name)) {
        fprintf(stderr, "'%s' decoded as %s, expected %s\n", text, op_name(in.op), name);
        unit_fail();
    }
    c->exc = (PpcException){ 0 };
    return in.fn(c, &in);
}

/* Invalid forms GNU as refuses: a valid word with RT or RA replaced. */
static uint32_t with_rt(uint32_t w, unsigned rt)
{
    return (w & ~0x03e00000u) | rt << 21;
}

static uint32_t with_ra(uint32_t w, unsigned ra)
{
    return (w & ~0x001f0000u) | ra << 16;
}

static PpcStatus run_as(PpcCpu *c, const char *text, const char *name)
{
    return run_word(c, W(text), text, name);
}

/* The row name: the mnemonic with '.' spelled '_'. */
static PpcStatus run(PpcCpu *c, const char *text)
{
    char name[32];
    size_t n = strcspn(text, " ");
    memcpy(name, text, n);
    name[n] = 0;
    for (char *p = name; *p; p++)
        if (*p == '.')
            *p = '_';
    return run_as(c, text, name);
}

static bool illegal(const PpcCpu *c, PpcStatus st)
{
    return st == PPC_TRAP && c->exc.kind == PPC_EXC_PROGRAM &&
           c->exc.srr1_bits == SRR1_PROGRAM_ILLEGAL;
}

static bool alignment(const PpcCpu *c, PpcStatus st, uint64_t dar)
{
    return st == PPC_TRAP && c->exc.kind == PPC_EXC_ALIGNMENT && c->exc.dar == dar;
}

/* --- (a) loads --- */

static void test_loads(bool le)
{
    Rig *r = rig_new(le);
    PpcCpu *c = &r->cpu;
    /* The bytes at 0x1000 are 80 81 82 ...: a Big-Endian halfword there is 0x8081, a
     * Little-Endian one 0x8180. */
#define BE_OR_LE(be, lev) (le ? (lev) : (be))

    c->gpr[4] = 0x1008;
    CHECK_EQ(run(c, "lbz 3,-8(4)"), PPC_NEXT);
    CHECK_EQ(c->gpr[3], 0x80);
    c->gpr[4] = 0x1000;
    run(c, "lhz 3,8(4)");
    CHECK_EQ(c->gpr[3], BE_OR_LE(0x8889, 0x8988));
    run(c, "lha 3,8(4)");
    CHECK_EQ(c->gpr[3], BE_OR_LE(0xffffffffffff8889ULL, 0xffffffffffff8988ULL));
    run(c, "lwz 3,8(4)");
    CHECK_EQ(c->gpr[3], BE_OR_LE(0x88898a8bULL, 0x8b8a8988ULL));
    run(c, "lwa 3,8(4)");
    CHECK_EQ(c->gpr[3], BE_OR_LE(0xffffffff88898a8bULL, 0xffffffff8b8a8988ULL));
    run(c, "ld 3,8(4)");
    CHECK_EQ(c->gpr[3], BE_OR_LE(0x88898a8b8c8d8e8fULL, 0x8f8e8d8c8b8a8988ULL));
    c->gpr[4] = 0x1008;

    /* Indexed forms, and RA = 0 meaning 0. */
    c->gpr[5] = 0x10;
    run(c, "lbzx 3,4,5");
    CHECK_EQ(c->gpr[3], 0x98);
    run(c, "lhzx 3,4,5");
    CHECK_EQ(c->gpr[3], BE_OR_LE(0x9899, 0x9998));
    run(c, "lhax 3,4,5");
    CHECK_EQ(c->gpr[3], BE_OR_LE(0xffffffffffff9899ULL, 0xffffffffffff9998ULL));
    run(c, "lwzx 3,4,5");
    CHECK_EQ(c->gpr[3], BE_OR_LE(0x98999a9bULL, 0x9b9a9998ULL));
    run(c, "lwax 3,4,5");
    CHECK_EQ(c->gpr[3], BE_OR_LE(0xffffffff98999a9bULL, 0xffffffff9b9a9998ULL));
    run(c, "ldx 3,4,5");
    CHECK_EQ(c->gpr[3], BE_OR_LE(0x98999a9b9c9d9e9fULL, 0x9f9e9d9c9b9a9998ULL));
    c->gpr[0] = 0x5000; /* ignored: (RA|0) */
    c->gpr[5] = 0x1004;
    run(c, "lbzx 3,0,5");
    CHECK_EQ(c->gpr[3], 0x84);
    run(c, "lwz 3,0x1000(0)");
    CHECK_EQ(c->gpr[3], BE_OR_LE(0x80818283ULL, 0x83828180ULL));

    /* Update forms write the EA to RA. */
    c->gpr[4] = 0x1000;
    run(c, "lbzu 3,8(4)");
    CHECK_EQ(c->gpr[3], 0x88);
    CHECK_EQ(c->gpr[4], 0x1008);
    run(c, "lhzu 3,8(4)");
    CHECK_EQ(c->gpr[3], BE_OR_LE(0x9091, 0x9190));
    CHECK_EQ(c->gpr[4], 0x1010);
    run(c, "lhau 3,8(4)");
    CHECK_EQ(c->gpr[3], BE_OR_LE(0xffffffffffff9899ULL, 0xffffffffffff9998ULL));
    CHECK_EQ(c->gpr[4], 0x1018);
    run(c, "lwzu 3,8(4)");
    CHECK_EQ(c->gpr[3], BE_OR_LE(0xa0a1a2a3ULL, 0xa3a2a1a0ULL));
    CHECK_EQ(c->gpr[4], 0x1020);
    run(c, "ldu 3,8(4)");
    CHECK_EQ(c->gpr[3], BE_OR_LE(0xa8a9aaabacadaeafULL, 0xafaeadacabaaa9a8ULL));
    CHECK_EQ(c->gpr[4], 0x1028);
    c->gpr[5] = -8;
    run(c, "lbzux 3,4,5");
    CHECK_EQ(c->gpr[3], 0xa0);
    CHECK_EQ(c->gpr[4], 0x1020);
    run(c, "lhzux 3,4,5");
    CHECK_EQ(c->gpr[4], 0x1018);
    run(c, "lhaux 3,4,5");
    CHECK_EQ(c->gpr[3], BE_OR_LE(0xffffffffffff9091ULL, 0xffffffffffff9190ULL));
    CHECK_EQ(c->gpr[4], 0x1010);
    run(c, "lwzux 3,4,5");
    CHECK_EQ(c->gpr[3], BE_OR_LE(0x88898a8bULL, 0x8b8a8988ULL));
    run(c, "lwaux 3,4,5");
    CHECK_EQ(c->gpr[3], BE_OR_LE(0xffffffff80818283ULL, 0xffffffff83828180ULL));
    CHECK_EQ(c->gpr[4], 0x1000);
    c->gpr[4] = 0x1010;
    run(c, "ldux 3,4,5");
    CHECK_EQ(c->gpr[4], 0x1008);

    /* Invalid update forms: RA = 0, RA = RT. Nothing changes. */
    c->gpr[3] = 0x33;
    CHECK(illegal(c, run_word(c, with_ra(W("lbzu 3,8(4)"), 0), "lbzu 3,8(0)", "lbzu")));
    CHECK(illegal(c, run_word(c, with_ra(W("lwzux 3,4,5"), 0), "lwzux 3,0,5", "lwzux")));
    CHECK(illegal(c, run_word(c, with_rt(W("ldu 3,8(4)"), 4), "ldu 4,8(4)", "ldu")));
    CHECK(illegal(c, run_word(c, with_rt(W("lhaux 3,4,5"), 4), "lhaux 4,4,5", "lhaux")));
    CHECK_EQ(c->gpr[3], 0x33);
    CHECK_EQ(c->gpr[4], 0x1008);
#undef BE_OR_LE
    rig_free(r);
}

/* --- (b) stores --- */

static void test_stores(bool le)
{
    Rig *r = rig_new(le);
    PpcCpu *c = &r->cpu;
    static const uint8_t be8[8] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };
    static const uint8_t le8[8] = { 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11 };
    const uint8_t *order = le ? le8 : be8;

    c->gpr[3] = 0x1122334455667788ULL;
    c->gpr[4] = 0x2000;
    CHECK_EQ(run(c, "std 3,8(4)"), PPC_NEXT);
    CHECK_MEM(r->ram + 0x2008, order, 8);
    /* A page that holds no translated code is written without telling the bus... */
    CHECK_EQ(r->written, 0);
    /* ... one that does goes through the slow path, which drops its blocks. */
    c->gpr[4] = 0x2000;
    r->core.cpus = &c, r->core.ncpus = 1;
    TbCacheHooks hooks = { .page_marked = page_marked_hook, .opaque = &r->core };
    tb_cache_init(&r->core.tb, &r->bus, &hooks);
    TbBlock *b = calloc(1, sizeof(TbBlock));
    *b = (TbBlock){ .pa = 0x2040, .pa2 = TB_NO_PAGE2 };
    tb_insert(&r->core.tb, b);
    CHECK_EQ(r->core.tb.count, 1);
    CHECK_EQ(run(c, "std 3,8(4)"), PPC_NEXT);
    CHECK_EQ(r->core.tb.count, 0);
    CHECK(!tb_page_has_code(&r->core.tb, 0x2000));
    tb_cache_destroy(&r->core.tb);
    r->bus.ram_written = ram_written;
    r->bus.ram_written_opaque = r;
    run(c, "stw 3,16(4)");
    CHECK_MEM(r->ram + 0x2010, le ? le8 : be8 + 4, 4);
    run(c, "sth 3,24(4)");
    CHECK_MEM(r->ram + 0x2018, le ? le8 : be8 + 6, 2);
    run(c, "stb 3,32(4)");
    CHECK_EQ(r->ram[0x2020], 0x88);
    CHECK_EQ(r->ram[0x2021], 0);

    c->gpr[5] = 0x40;
    run(c, "stdx 3,4,5");
    CHECK_MEM(r->ram + 0x2040, order, 8);
    c->gpr[5] = 0x48;
    run(c, "stwx 3,4,5");
    CHECK_MEM(r->ram + 0x2048, le ? le8 : be8 + 4, 4);
    c->gpr[5] = 0x50;
    run(c, "sthx 3,4,5");
    CHECK_MEM(r->ram + 0x2050, le ? le8 : be8 + 6, 2);
    c->gpr[5] = 0x58;
    run(c, "stbx 3,4,5");
    CHECK_EQ(r->ram[0x2058], 0x88);

    /* Update forms; RS = RA stores the old value. */
    c->gpr[4] = 0x2100;
    run(c, "stdu 3,8(4)");
    CHECK_EQ(c->gpr[4], 0x2108);
    CHECK_MEM(r->ram + 0x2108, order, 8);
    run(c, "stwu 3,8(4)");
    CHECK_EQ(c->gpr[4], 0x2110);
    run(c, "sthu 3,8(4)");
    CHECK_EQ(c->gpr[4], 0x2118);
    run(c, "stbu 3,8(4)");
    CHECK_EQ(c->gpr[4], 0x2120);
    CHECK_EQ(r->ram[0x2120], 0x88);
    c->gpr[5] = 8;
    run(c, "stdux 3,4,5");
    CHECK_EQ(c->gpr[4], 0x2128);
    run(c, "stwux 3,4,5");
    run(c, "sthux 3,4,5");
    run(c, "stbux 3,4,5");
    CHECK_EQ(c->gpr[4], 0x2140);
    CHECK_EQ(r->ram[0x2140], 0x88);
    run(c, "stwu 4,8(4)");
    CHECK_EQ(c->gpr[4], 0x2148);
    CHECK_EQ(r->ram[0x2148 + (le ? 0 : 3)], 0x40);

    /* Invalid: RA = 0. */
    CHECK(illegal(c, run_word(c, with_ra(W("stwu 3,8(4)"), 0), "stwu 3,8(0)", "stwu")));
    CHECK(illegal(c, run_word(c, with_ra(W("stdux 3,4,5"), 0), "stdux 3,0,5", "stdux")));

    /* A store into the running block's code ends the block. */
    c->tb_dirty = true;
    CHECK_EQ(run(c, "stb 3,32(4)"), PPC_END);
    rig_free(r);
}

/* --- (c) byte-reversed, quadword, multiple, string --- */

static void test_byte_reverse(bool le)
{
    Rig *r = rig_new(le);
    PpcCpu *c = &r->cpu;

    c->gpr[4] = 0x1000, c->gpr[5] = 8;
    run(c, "lhbrx 3,4,5");
    CHECK_EQ(c->gpr[3], le ? 0x8889 : 0x8988);
    run(c, "lwbrx 3,4,5");
    CHECK_EQ(c->gpr[3], le ? 0x88898a8bULL : 0x8b8a8988ULL);
    run(c, "ldbrx 3,4,5");
    CHECK_EQ(c->gpr[3], le ? 0x88898a8b8c8d8e8fULL : 0x8f8e8d8c8b8a8988ULL);

    static const uint8_t be8[8] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };
    static const uint8_t le8[8] = { 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11 };
    c->gpr[3] = 0x1122334455667788ULL;
    c->gpr[4] = 0x2000;
    run(c, "stdbrx 3,4,5");
    CHECK_MEM(r->ram + 0x2008, le ? be8 : le8, 8);
    c->gpr[5] = 0x10;
    run(c, "stwbrx 3,4,5");
    CHECK_MEM(r->ram + 0x2010, le ? be8 + 4 : le8, 4);
    c->gpr[5] = 0x18;
    run(c, "sthbrx 3,4,5");
    CHECK_MEM(r->ram + 0x2018, le ? be8 + 6 : le8, 2);
    rig_free(r);
}

static void test_quadword(bool le)
{
    Rig *r = rig_new(le);
    PpcCpu *c = &r->cpu;

    /* lq: RTp is the high doubleword of the 16 bytes in the current byte order. */
    c->gpr[4] = 0x1000 - 32 + 0x20;
    CHECK_EQ(run(c, "lq 6,32(4)"), PPC_NEXT);
    CHECK_EQ(c->gpr[6], le ? 0xafaeadacabaaa9a8ULL : 0xa0a1a2a3a4a5a6a7ULL);
    CHECK_EQ(c->gpr[7], le ? 0xa7a6a5a4a3a2a1a0ULL : 0xa8a9aaabacadaeafULL);
    c->gpr[6] = 0x0001020304050607ULL, c->gpr[7] = 0x08090a0b0c0d0e0fULL;
    c->gpr[4] = 0x2000;
    CHECK_EQ(run(c, "stq 6,32(4)"), PPC_NEXT);
    for (unsigned k = 0; k < 16; k++)
        CHECK_EQ(r->ram[0x2020 + k], le ? 15 - k : k);
    /* Unaligned: the Alignment interrupt; odd RTp, RTp = RA: invalid. */
    c->gpr[4] = 0x2008;
    CHECK(alignment(c, run(c, "lq 6,32(4)"), 0x2028));
    CHECK(alignment(c, run(c, "stq 6,32(4)"), 0x2028));
    CHECK(illegal(c, run_word(c, with_rt(W("lq 6,32(4)"), 7), "lq 7,32(4)", "lq")));
    CHECK(illegal(c, run_word(c, with_rt(W("stq 6,32(4)"), 7), "stq 7,32(4)", "stq")));
    c->gpr[6] = 0x2000;
    CHECK(illegal(c, run_word(c, with_ra(W("lq 6,32(4)"), 6), "lq 6,32(6)", "lq")));
    rig_free(r);
}

static void test_multiple(void)
{
    Rig *r = rig_new(false);
    PpcCpu *c = &r->cpu;

    c->gpr[4] = 0x1000 - 8;
    CHECK_EQ(run(c, "lmw 28,8(4)"), PPC_NEXT);
    CHECK_EQ(c->gpr[28], 0x80818283ULL);
    CHECK_EQ(c->gpr[29], 0x84858687ULL);
    CHECK_EQ(c->gpr[30], 0x88898a8bULL);
    CHECK_EQ(c->gpr[31], 0x8c8d8e8fULL);
    c->gpr[28] = 0xffffffff11223344ULL;
    c->gpr[4] = 0x2000;
    CHECK_EQ(run(c, "stmw 28,8(4)"), PPC_NEXT);
    static const uint8_t want[16] = { 0x11, 0x22, 0x33, 0x44, 0x84, 0x85, 0x86, 0x87,
                                      0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f };
    CHECK_MEM(r->ram + 0x2008, want, 16);
    /* Unaligned, or Little-Endian mode: Alignment; RA among the registers: invalid. */
    c->gpr[4] = 0x2002;
    CHECK(alignment(c, run(c, "lmw 28,8(4)"), 0x200a));
    CHECK(alignment(c, run(c, "stmw 28,8(4)"), 0x200a));
    c->gpr[4] = 0x2000;
    c->msr |= MSR_LE;
    CHECK(alignment(c, run(c, "lmw 28,8(4)"), 0x2008));
    CHECK(alignment(c, run(c, "stmw 28,8(4)"), 0x2008));
    c->msr &= ~MSR_LE;
    CHECK(illegal(c, run_word(c, with_ra(W("lmw 28,8(4)"), 29), "lmw 28,8(29)", "lmw")));
    rig_free(r);
}

static void test_string(void)
{
    Rig *r = rig_new(false);
    PpcCpu *c = &r->cpu;

    c->gpr[8] = 0x1000;
    c->gpr[4] = 0xdeadbeefdeadbeefULL;
    CHECK_EQ(run(c, "lswi 3,8,7"), PPC_NEXT);
    CHECK_EQ(c->gpr[3], 0x80818283ULL);
    CHECK_EQ(c->gpr[4], 0x84858600ULL); /* left-justified, the rest 0 */
    c->gpr[8] = 0x1000 + 0x40;
    c->gpr[31] = 0, c->gpr[0] = 0;
    CHECK_EQ(run(c, "lswi 31,8,0"), PPC_NEXT); /* NB = 0: 32 bytes, wrapping to r0 */
    CHECK_EQ(c->gpr[31], 0xc0c1c2c3ULL);
    CHECK_EQ(c->gpr[0], 0xc4c5c6c7ULL);
    CHECK_EQ(c->gpr[6], 0xdcdddedfULL);

    c->xer = 5;
    c->gpr[4] = 0x1000, c->gpr[5] = 0x10;
    c->gpr[3] = 0, c->gpr[6] = 0x66;
    CHECK_EQ(run(c, "lswx 6,4,5"), PPC_NEXT);
    CHECK_EQ(c->gpr[6], 0x90919293ULL);
    CHECK_EQ(c->gpr[7], 0x94000000ULL);
    c->xer = 0; /* zero bytes: nothing happens */
    CHECK_EQ(run(c, "lswx 6,4,5"), PPC_NEXT);
    CHECK_EQ(c->gpr[6], 0x90919293ULL);

    c->gpr[3] = 0x11223344, c->gpr[4] = 0x55667788;
    c->gpr[8] = 0x2000;
    CHECK_EQ(run(c, "stswi 3,8,7"), PPC_NEXT);
    static const uint8_t want[8] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0 };
    CHECK_MEM(r->ram + 0x2000, want, 8);
    c->xer = 3;
    c->gpr[4] = 0x2000, c->gpr[5] = 0x10;
    c->gpr[3] = 0xaabbccdd;
    CHECK_EQ(run(c, "stswx 3,4,5"), PPC_NEXT);
    static const uint8_t want2[4] = { 0xaa, 0xbb, 0xcc, 0 };
    CHECK_MEM(r->ram + 0x2010, want2, 4);

    /* Invalid: RA (or RB) among the registers loaded. */
    c->xer = 8;
    CHECK(illegal(c, run_word(c, with_ra(W("lswi 3,8,7"), 4), "lswi 3,4,7", "lswi")));
    CHECK(illegal(c, run(c, "lswx 6,4,7")));
    /* Little-Endian mode: Alignment. */
    c->msr |= MSR_LE;
    c->gpr[8] = 0x1000;
    CHECK(alignment(c, run(c, "lswi 3,8,7"), 0x1000));
    CHECK(alignment(c, run(c, "stswx 3,4,5"), 0x2010));
    rig_free(r);
}

/* --- (d) load and reserve, store conditional --- */

static void test_reservation(bool le)
{
    Rig *r = rig_new(le);
    PpcCpu *c = &r->cpu;

    c->gpr[4] = 0x1000, c->gpr[5] = 0x10;
    CHECK_EQ(run(c, "lwarx 3,4,5"), PPC_NEXT);
    CHECK_EQ(c->gpr[3], le ? 0x93929190ULL : 0x90919293ULL);
    CHECK_EQ(c->resv_addr, 0x1010);
    c->gpr[6] = 0xcafef00d;
    c->xer = XER_SO;
    CHECK_EQ(run(c, "stwcx. 6,4,5"), PPC_NEXT);
    CHECK_EQ(ppc_cr_field(c, 0), 2 | 1); /* EQ (stored) and SO */
    CHECK_EQ(r->ram[0x1010], le ? 0x0d : 0xca);
    c->xer = 0;
    /* The reservation is gone: a second stcx. fails and stores nothing. */
    c->gpr[6] = 0;
    CHECK_EQ(run(c, "stwcx. 6,4,5"), PPC_NEXT);
    CHECK_EQ(ppc_cr_field(c, 0), 0);
    CHECK_EQ(r->ram[0x1010], le ? 0x0d : 0xca);

    /* Another address, another size, another thread in between, changed storage. */
    run(c, "lwarx 3,4,5");
    c->gpr[5] = 0x14;
    run(c, "stwcx. 6,4,5");
    CHECK_EQ(ppc_cr_field(c, 0), 0);
    c->gpr[5] = 0x18;
    run(c, "lwarx 3,4,5");
    run(c, "stdcx. 6,4,5");
    CHECK_EQ(ppc_cr_field(c, 0), 0);
    run(c, "ldarx 3,4,5");
    r->core.run_epoch++;
    run(c, "stdcx. 6,4,5");
    CHECK_EQ(ppc_cr_field(c, 0), 0);
    run(c, "ldarx 3,4,5");
    r->ram[0x101c] ^= 1;
    run(c, "stdcx. 6,4,5");
    CHECK_EQ(ppc_cr_field(c, 0), 0);
    run(c, "ldarx 3,4,5");
    c->gpr[6] = 0x0102030405060708ULL;
    run(c, "stdcx. 6,4,5");
    CHECK_EQ(ppc_cr_field(c, 0), 2);
    CHECK_EQ(r->ram[0x1018], le ? 8 : 1);

    /* Byte and halfword; the EH hint bit decodes to the same row. */
    c->gpr[5] = 0x21;
    run(c, "lbarx 3,4,5");
    CHECK_EQ(c->gpr[3], 0xa1);
    run(c, "stbcx. 6,4,5");
    CHECK_EQ(ppc_cr_field(c, 0), 2);
    CHECK_EQ(r->ram[0x1021], 0x08);
    c->gpr[5] = 0x22;
    run(c, "lharx 3,4,5");
    CHECK_EQ(c->gpr[3], le ? 0xa3a2 : 0xa2a3);
    run(c, "sthcx. 6,4,5");
    CHECK_EQ(ppc_cr_field(c, 0), 2);
    CHECK_EQ(r->ram[0x1022], le ? 0x08 : 0x07);
    c->gpr[5] = 0x24;
    CHECK_EQ(run_as(c, "lwarx 3,4,5,1", "lwarx"), PPC_NEXT);
    CHECK_EQ(c->resv_addr, 0x1024);

    /* Unaligned: Alignment, before any reservation check. */
    c->gpr[5] = 0x26;
    CHECK(alignment(c, run(c, "lwarx 3,4,5"), 0x1026));
    CHECK(alignment(c, run(c, "stwcx. 6,4,5"), 0x1026));

    /* Quadwords. */
    c->gpr[5] = 0x30;
    CHECK_EQ(run(c, "lqarx 6,4,5"), PPC_NEXT);
    CHECK_EQ(c->gpr[6], le ? 0xbfbebdbcbbbab9b8ULL : 0xb0b1b2b3b4b5b6b7ULL);
    CHECK_EQ(c->gpr[7], le ? 0xb7b6b5b4b3b2b1b0ULL : 0xb8b9babbbcbdbebfULL);
    c->gpr[6] = 1, c->gpr[7] = 2;
    CHECK_EQ(run(c, "stqcx. 6,4,5"), PPC_NEXT);
    CHECK_EQ(ppc_cr_field(c, 0), 2);
    CHECK_EQ(r->ram[0x1030 + (le ? 8 : 7)], 1);
    CHECK_EQ(r->ram[0x1030 + (le ? 0 : 15)], 2);
    CHECK(illegal(c, run_word(c, with_rt(W("lqarx 6,4,5"), 7), "lqarx 7,4,5", "lqarx")));

    /* Caching-inhibited storage cannot be reserved: Data Storage interrupt. */
    c->gpr[4] = DEV_LE, c->gpr[5] = 0;
    CHECK_EQ(run(c, "lwarx 3,4,5"), PPC_TRAP);
    CHECK_EQ(c->exc.kind, PPC_EXC_DSI);
    CHECK_EQ(c->exc.dsisr, 0x04000000);
    CHECK_EQ(c->exc.dar, DEV_LE);
    CHECK_EQ(run(c, "stwcx. 6,4,5"), PPC_TRAP);
    CHECK_EQ(c->exc.dsisr, 0x04000000 | 0x02000000);
    rig_free(r);
}

/* --- (e) storage control --- */

static void test_storage_control(void)
{
    Rig *r = rig_new(false);
    PpcCpu *c = &r->cpu;

    memset(r->ram + 0x3000, 0xff, 0x200);
    c->gpr[4] = 0x3000, c->gpr[5] = 0x85;
    r->written = 0;
    CHECK_EQ(run(c, "dcbz 4,5"), PPC_NEXT); /* the 128-byte block 0x3080-0x30ff */
    CHECK_EQ(r->ram[0x307f], 0xff);
    CHECK_EQ(r->ram[0x3080], 0);
    CHECK_EQ(r->ram[0x30ff], 0);
    CHECK_EQ(r->ram[0x3100], 0xff);
    CHECK_EQ(r->written, 1);
    CHECK_EQ(r->written_pa, 0x3080);
    CHECK_EQ(r->written_len, 128);
    c->gpr[4] = DEV_LE, c->gpr[5] = 4; /* caching-inhibited: Alignment */
    CHECK(alignment(c, run(c, "dcbz 4,5"), DEV_LE));

    c->gpr[4] = 0x3000, c->gpr[5] = 0;
    CHECK_EQ(run(c, "dcbf 4,5"), PPC_NEXT);
    CHECK_EQ(run_as(c, "dcbf 4,5,1", "dcbf"), PPC_NEXT);
    CHECK_EQ(run(c, "dcbst 4,5"), PPC_NEXT);
    CHECK_EQ(run(c, "dcbt 4,5"), PPC_NEXT);
    CHECK_EQ(run_as(c, "dcbt 4,5,16", "dcbt"), PPC_NEXT);
    CHECK_EQ(run(c, "dcbtst 4,5"), PPC_NEXT);
    CHECK_EQ(run(c, "icbi 4,5"), PPC_NEXT);
    CHECK_EQ(run(c, "icbt 0,4,5"), PPC_NEXT);
    CHECK_EQ(run(c, "sync"), PPC_NEXT);
    CHECK_EQ(run_as(c, "lwsync", "sync"), PPC_NEXT);
    CHECK_EQ(run_as(c, "ptesync", "sync"), PPC_NEXT);
    CHECK_EQ(run(c, "eieio"), PPC_NEXT);
    CHECK_EQ(run(c, "isync"), PPC_END);
    CHECK_EQ(run(c, "wait"), PPC_WAIT);
    rig_free(r);
}

/* --- (f) the memory API: pages, modes, MMIO, bus errors --- */

static void test_addressing(void)
{
    Rig *r = rig_new(false);
    PpcCpu *c = &r->cpu;

    /* An access crossing a 4 KiB page is performed. */
    c->gpr[4] = 0x0ff8;
    memcpy(r->ram + 0xffc, "\x01\x02\x03\x04", 4);
    CHECK_EQ(run(c, "ld 3,4(4)"), PPC_NEXT);
    CHECK_EQ(c->gpr[3], 0x0102030480818283ULL);
    c->gpr[3] = 0xa1a2a3a4a5a6a7a8ULL;
    CHECK_EQ(run(c, "stw 3,6(4)"), PPC_NEXT);
    CHECK_MEM(r->ram + 0xffe, "\xa5\xa6\xa7\xa8", 4);

    /* Real mode ignores EA bits 0:3. */
    c->gpr[4] = 0xc000000000001000ULL;
    run(c, "lwz 3,8(4)");
    CHECK_EQ(c->gpr[3], 0x88898a8bULL);

    /* 32-bit mode: the EA wraps at 4 GiB and update forms write the 32-bit EA. */
    c->msr &= ~MSR_SF;
    c->gpr[4] = 0xffffffff00001000ULL;
    run(c, "lwz 3,8(4)");
    CHECK_EQ(c->gpr[3], 0x88898a8bULL);
    c->gpr[4] = 0xfffffff8ULL;
    run(c, "lwzu 3,0x1010(4)");
    CHECK_EQ(c->gpr[4], 0x1008);
    CHECK_EQ(c->gpr[3], 0x88898a8bULL);
    c->msr |= MSR_SF;

    /* ROM: loads read it, stores are ignored. */
    r->rom[4] = 0x5a;
    c->gpr[4] = ROM_BASE;
    c->gpr[3] = 0;
    CHECK_EQ(run(c, "stb 3,4(4)"), PPC_NEXT);
    run(c, "lbz 3,4(4)");
    CHECK_EQ(c->gpr[3], 0x5a);

    /* Nothing answers: Machine Check with the EA, not a crash. */
    c->gpr[4] = UNMAPPED;
    CHECK_EQ(run(c, "lwz 3,8(4)"), PPC_TRAP);
    CHECK_EQ(c->exc.kind, PPC_EXC_MACHINE_CHECK);
    CHECK_EQ(c->exc.dar, UNMAPPED + 8);
    CHECK_EQ(run(c, "std 3,8(4)"), PPC_TRAP);
    CHECK_EQ(c->exc.kind, PPC_EXC_MACHINE_CHECK);
    c->gpr[4] = RAM_SIZE - 4; /* runs off the end of RAM */
    CHECK_EQ(run(c, "ld 3,0(4)"), PPC_TRAP);
    CHECK_EQ(c->exc.kind, PPC_EXC_MACHINE_CHECK);
    rig_free(r);
}

static void test_mmio(void)
{
    Rig *r = rig_new(false);
    PpcCpu *c = &r->cpu;

    /* A big-endian device reads naturally in Big-Endian mode... */
    r->be.value = 0x11223344;
    c->executed = 123;
    c->gpr[4] = DEV_BE;
    CHECK_EQ(run(c, "lwz 3,8(4)"), PPC_NEXT);
    CHECK_EQ(c->gpr[3], 0x11223344);
    CHECK_EQ(r->be.last_off, 8);
    CHECK_EQ(r->be.last_size, 4);
    CHECK_EQ(r->clock.offset, 123); /* the device sees the time of the access */
    c->gpr[3] = 0xaabbccdd;
    run(c, "stw 3,8(4)");
    CHECK_EQ(r->be.last_val, 0xaabbccdd);
    run(c, "sth 3,8(4)");
    CHECK_EQ(r->be.last_val, 0xccdd);
    CHECK_EQ(r->be.last_size, 2);

    /* ... a little-endian one with the byte-reverse forms, or in Little-Endian mode. */
    r->le.value = 0x11223344;
    c->gpr[4] = DEV_LE, c->gpr[5] = 8;
    run(c, "lwz 3,8(4)");
    CHECK_EQ(c->gpr[3], 0x44332211);
    run(c, "lwbrx 3,4,5");
    CHECK_EQ(c->gpr[3], 0x11223344);
    c->gpr[3] = 0xaabbccdd;
    run(c, "stwbrx 3,4,5");
    CHECK_EQ(r->le.last_val, 0xaabbccdd);
    c->msr |= MSR_LE;
    run(c, "lwz 3,8(4)");
    CHECK_EQ(c->gpr[3], 0x11223344);
    r->le.value = 0x0102030405060708ULL;
    run(c, "ld 3,8(4)");
    CHECK_EQ(c->gpr[3], 0x0102030405060708ULL);
    CHECK_EQ(r->le.last_size, 8);
    c->msr &= ~MSR_LE;

    /* Caching-inhibited storage takes only aligned accesses; lq splits in doublewords. */
    unsigned reads = r->le.reads;
    c->gpr[4] = DEV_LE + 2;
    CHECK(alignment(c, run(c, "lwz 3,8(4)"), DEV_LE + 10));
    CHECK(alignment(c, run(c, "stw 3,8(4)"), DEV_LE + 10));
    CHECK_EQ(r->le.reads, reads);
    c->gpr[4] = DEV_LE;
    CHECK_EQ(run(c, "lq 6,32(4)"), PPC_NEXT);
    CHECK_EQ(r->le.reads, reads + 2);
    CHECK_EQ(r->le.last_off, 40);
    CHECK_EQ(c->gpr[6], 0x0807060504030201ULL);
    rig_free(r);
}

int main(void)
{
    test_loads(false);
    test_loads(true);
    test_stores(false);
    test_stores(true);
    test_byte_reverse(false);
    test_byte_reverse(true);
    test_quadword(false);
    test_quadword(true);
    test_multiple();
    test_string();
    test_reservation(false);
    test_reservation(true);
    test_storage_control();
    test_addressing();
    test_mmio();
    return unit_summary("test_loadstore");
}
