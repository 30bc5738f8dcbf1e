/* tests/unit/papr/test_hcall.c: the PAPR hcall table and dispatcher of
 * hypervisor/papr/papr.c, called as the CPU's `sc 1` calls it (papr_hcall on a PpcCpu
 * with r3 = number, r4.. = arguments) on a machine of four zero-initialised CPUs, 2 MiB of
 * RAM at 0, a little-endian and a big-endian MMIO device, a console and a XICS. Checked:
 * the table (numbers as LoPAR and Linux's hvcall.h give them, no duplicates, HPT rows
 * dispatched), ibm,hypertas-functions, unknown numbers and problem state, every hcall's
 * argument checks and return codes, the byte order of H_LOGICAL_CI_LOAD/STORE (seed 000)
 * against both devices, the terminal, H_SET_MODE on the LPCR of every CPU, cede/prod/
 * confer/join, the VPA registration rules, H_RANDOM's determinism, the XICS hcalls, the
 * firmware hcalls, and the log. */
#include <stdarg.h>

#include "devices/xics.h"
#include "hypervisor/papr/papr.h"
#include "tests/unit/devices/dev_test.h"

#define RAM_SIZE (2 * MiB)
#define LE_DEV 0x200000000ULL
#define BE_DEV 0x200001000ULL
#define NARROW_DEV 0x200002000ULL /* accepts 1..4-byte accesses only */
#define NCPUS 4
#define VTY_UNIT 0x30000000ULL

typedef struct Reg {
    uint64_t value;               /* what reads return (register order) */
    uint64_t written, off;        /* the last write */
    unsigned size, writes;
} Reg;

static uint64_t reg_read(void *opaque, uint64_t off, unsigned size)
{
    Reg *r = opaque;
    r->off = off;
    return size == 8 ? r->value : r->value & ((1ULL << (8 * size)) - 1);
}

static void reg_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
    Reg *r = opaque;
    r->written = val;
    r->off = off;
    r->size = size;
    r->writes++;
}

static const MmioOps le_ops = { reg_read, reg_write, 1, 8, DEV_LITTLE_ENDIAN };
static const MmioOps be_ops = { reg_read, reg_write, 1, 8, DEV_BIG_ENDIAN };
static const MmioOps narrow_ops = { reg_read, reg_write, 1, 4, DEV_LITTLE_ENDIAN };

typedef struct Rig {
    Bus bus;
    VClock clock;
    uint8_t *ram;
    Reg le, be, narrow;
    PpcCpu *cpu[NCPUS];
    CharDev vty;
    int vty_out;
    Xics xics;
    TestIrqs ext;
    TestSys sys;
    Papr p;
} Rig;

static void set_external(void *opaque, unsigned server, bool level)
{
    test_irq_set(opaque, server, level);
}

static Rig *rig_new(void)
{
    Rig *r = calloc(1, sizeof(*r));
    r->ram = calloc(1, RAM_SIZE);
    r->bus = (Bus){ .clock = &r->clock };
    bus_map_ram(&r->bus, "ram", 0, RAM_SIZE, r->ram);
    bus_map_mmio(&r->bus, "le", LE_DEV, 0x1000, &le_ops, &r->le);
    bus_map_mmio(&r->bus, "be", BE_DEV, 0x1000, &be_ops, &r->be);
    bus_map_mmio(&r->bus, "narrow", NARROW_DEV, 0x1000, &narrow_ops, &r->narrow);
    for (unsigned i = 0; i < NCPUS; i++) {
        r->cpu[i] = calloc(1, sizeof(PpcCpu));
        r->cpu[i]->pir = i;
        r->cpu[i]->index = i;
        r->cpu[i]->msr = MSR_SF | MSR_ME;
    }
    test_chardev_init(&r->vty, &r->vty_out);
    if (!xics_init(&r->xics, NCPUS, XICS_DEFAULT_IRQ_BASE, 16, set_external, &r->ext) ||
        !papr_hpt_init(&r->p.hpt, 18, RAM_SIZE, NULL)) {
        fprintf(stderr, "test_hcall: cannot build the machine\n");
        exit(2);
    }
    r->p.bus = &r->bus;
    r->p.cpus = r->cpu;
    r->p.ncpus = NCPUS;
    r->p.vty = &r->vty;
    r->p.vty_unit = VTY_UNIT;
    r->p.xics = &r->xics;
    r->p.sysctl = test_sysctl(&r->sys);
    r->p.clock = &r->clock;
    if (!papr_init(&r->p)) {
        fprintf(stderr, "test_hcall: papr_init failed\n");
        exit(2);
    }
    return r;
}

static void rig_free(Rig *r)
{
    papr_hpt_free(&r->p.hpt);
    xics_free(&r->xics);
    for (unsigned i = 0; i < NCPUS; i++)
        free(r->cpu[i]);
    close(r->vty_out);
    close(r->vty.out_fd);
    free(r->ram);
    free(r);
}

/* `sc 1` on CPU n with r3 = op and the n_args values in r4 and up. */
static int64_t hc(Rig *r, unsigned n, uint64_t op, unsigned n_args, ...)
{
    PpcCpu *c = r->cpu[n];
    va_list ap;
    va_start(ap, n_args);
    c->gpr[3] = op;
    for (unsigned i = 0; i < n_args; i++)
        c->gpr[4 + i] = va_arg(ap, uint64_t);
    va_end(ap);
    papr_hcall(&r->p, c);
    return (int64_t)c->gpr[3];
}

#define R4(r, n) ((r)->cpu[n]->gpr[4])
#define R5(r, n) ((r)->cpu[n]->gpr[5])
#define R6(r, n) ((r)->cpu[n]->gpr[6])

/* ---- the table -------------------------------------------------------------------- */

static void test_numbers(void)
{
    /* LoPAR / Linux arch/powerpc/include/asm/hvcall.h */
    CHECK_EQ(H_SET_SPRG0, 0x24);
    CHECK_EQ(H_SET_DABR, 0x28);
    CHECK_EQ(H_PAGE_INIT, 0x2c);
    CHECK_EQ(H_LOGICAL_CI_LOAD, 0x3c);
    CHECK_EQ(H_LOGICAL_CI_STORE, 0x40);
    CHECK_EQ(H_GET_TERM_CHAR, 0x54);
    CHECK_EQ(H_PUT_TERM_CHAR, 0x58);
    CHECK_EQ(H_EOI, 0x64);
    CHECK_EQ(H_CPPR, 0x68);
    CHECK_EQ(H_IPI, 0x6c);
    CHECK_EQ(H_IPOLL, 0x70);
    CHECK_EQ(H_XIRR, 0x74);
    CHECK_EQ(H_REGISTER_VPA, 0xdc);
    CHECK_EQ(H_CEDE, 0xe0);
    CHECK_EQ(H_CONFER, 0xe4);
    CHECK_EQ(H_PROD, 0xe8);
    CHECK_EQ(H_SET_XDABR, 0x134);
    CHECK_EQ(H_GET_CPU_CHARACTERISTICS, 0x1c8);
    CHECK_EQ(H_JOIN, 0x298);
    CHECK_EQ(H_XIRR_X, 0x2fc);
    CHECK_EQ(H_RANDOM, 0x300);
    CHECK_EQ(H_SET_MODE, 0x31c);
    CHECK_EQ(H_RTAS, 0xf000);
    CHECK_EQ(H_VOF_CLIENT, 0xf005);
    CHECK_EQ((uint64_t)H_RESOURCE, (uint64_t)-16);
    CHECK_EQ((uint64_t)H_P2, (uint64_t)-55);
    CHECK_EQ((uint64_t)H_STATE, (uint64_t)-75);
    CHECK_EQ(H_CONTINUE, 18);
    CHECK_EQ(H_CPU_BEHAV_NO_STF_BARRIER, 1ULL << 54);
}

static void test_table(void)
{
    CHECK(papr_hcall_table_ok(NULL));
    CHECK(papr_rtas_table_ok(NULL));
    unsigned dups = 0;
    for (unsigned i = 0; i < papr_nhcalls; i++) {
        const PaprHcall *h = &papr_hcalls[i];
        for (unsigned j = i + 1; j < papr_nhcalls; j++)
            dups += papr_hcalls[j].opcode == h->opcode;
        CHECK(papr_hcall_find(h->opcode) == h);
        CHECK((h->fn != NULL) != (h->hpt != NULL)); /* exactly one handler */
        CHECK(h->opcode % 4 == 0 || h->opcode == H_VOF_CLIENT);
        CHECK(h->nargs <= 9 && h->nrets <= 9);
    }
    CHECK_EQ(dups, 0);
    CHECK(papr_hcall_find(H_ENTER) && strcmp(papr_hcall_find(H_ENTER)->name, "H_ENTER") == 0);
    CHECK(papr_hcall_find(H_ENTER)->hpt == papr_hcall_enter);
    CHECK(strcmp(papr_hcall_find(H_BULK_REMOVE)->set, "hcall-bulk") == 0);
    CHECK(strcmp(papr_hcall_find(H_LOGICAL_CI_LOAD)->name, "H_LOGICAL_CI_LOAD") == 0);
    CHECK(strcmp(papr_hcall_find(H_IPOLL)->set, "hcall-interrupt") == 0);
    CHECK(papr_hcall_find(H_RANDOM)->set == NULL);
    CHECK(papr_hcall_find(0x1234) == NULL);

    /* The same X-macro rows as papr_hpt.h, each once. */
#define HPT_IN_TABLE(set_, op_, name_, fn_)                                                  \
    CHECK(papr_hcall_find(op_) && papr_hcall_find(op_)->hpt == fn_ &&                        \
          strcmp(papr_hcall_find(op_)->set, set_) == 0);
    PAPR_HPT_HCALLS(HPT_IN_TABLE)
#undef HPT_IN_TABLE

    /* papr_init refuses a machine it cannot serve. */
    Papr *bad = calloc(1, sizeof(*bad));
    CHECK(!papr_init(bad)); /* no bus */
    free(bad);
}

static void test_hypertas(void)
{
    static const char expect[] = "hcall-pft\0hcall-bulk\0hcall-sprg0\0hcall-dabr\0"
                                 "hcall-xdabr\0hcall-copy\0hcall-debug\0hcall-term\0"
                                 "hcall-interrupt\0hcall-splpar\0hcall-join\0hcall-set-mode\0"
                                 "hcall-tce\0hcall-multi-tce";
    char buf[512];
    size_t n = papr_hypertas_functions(buf, sizeof(buf));
    CHECK_EQ(n, sizeof(expect));
    CHECK_MEM(buf, expect, sizeof(expect));
    /* A short buffer gets a prefix; the length is still the whole. */
    char small[8];
    memset(small, 'x', sizeof(small));
    CHECK_EQ(papr_hypertas_functions(small, sizeof(small)), sizeof(expect));
    CHECK_MEM(small, "hcall-pf", 8);
    CHECK_EQ(papr_hypertas_functions(NULL, 0), sizeof(expect));
    /* Each name once, every listed set has rows. */
    for (size_t off = 0; off < n; off += strlen(buf + off) + 1) {
        unsigned rows = 0;
        for (unsigned i = 0; i < papr_nhcalls; i++)
            rows += papr_hcalls[i].set && strcmp(papr_hcalls[i].set, buf + off) == 0;
        CHECK(rows > 0);
        CHECK(memmem(buf + off + 1, n - off - 1, buf + off, strlen(buf + off) + 1) == NULL);
    }
}

/* ---- dispatch --------------------------------------------------------------------- */

static unsigned count_lines(const char *s, const char *needle)
{
    unsigned k = 0;
    for (const char *q = s; (q = strstr(q, needle)) != NULL; q++)
        k++;
    return k;
}

static void test_unknown_and_log(void)
{
    Rig *r = rig_new();
    char *logbuf = NULL, *unimpbuf = NULL;
    size_t loglen = 0, unimplen = 0;
    r->p.log = open_memstream(&logbuf, &loglen);
    r->p.log_unimp = open_memstream(&unimpbuf, &unimplen);

    R4(r, 0) = 0x77;
    CHECK_EQ(hc(r, 0, 0x1234, 0), H_FUNCTION);
    CHECK_EQ(R4(r, 0), 0x77); /* nothing else is touched */
    CHECK_EQ(hc(r, 0, 0x1234, 0), H_FUNCTION);
    CHECK_EQ(hc(r, 1, 0x1234, 0), H_FUNCTION);
    CHECK_EQ(hc(r, 0, 0xf0f0, 0), H_FUNCTION);
    CHECK_EQ(hc(r, 0, 0x1ULL << 40, 0), H_FUNCTION);

    /* Problem state cannot make hcalls. */
    r->cpu[2]->msr |= MSR_PR;
    CHECK_EQ(hc(r, 2, H_SET_SPRG0, 1, 0x55ULL), H_PRIVILEGE);
    CHECK_EQ(r->cpu[2]->sprg[0], 0);
    r->cpu[2]->msr &= ~MSR_PR;

    CHECK_EQ(hc(r, 0, H_SET_SPRG0, 1, 0x1234ULL), H_SUCCESS);
    CHECK_EQ(hc(r, 1, H_RANDOM, 0), H_SUCCESS);
    /* H_REGISTER_PROC_TBL: an ISA 3.0 hash partition registers "HPT with SLB" (new, type
     * 0, with or without a new table) or deregisters; radix (type 4), GTSE and unknown flags are refused. */
    CHECK_EQ(hc(r, 0, H_REGISTER_PROC_TBL, 4, 0x18ULL, 0ULL, 0ULL, 0ULL), H_SUCCESS);
    CHECK_EQ(hc(r, 0, H_REGISTER_PROC_TBL, 4, 0ULL, 0ULL, 0ULL, 0ULL), H_SUCCESS);
    CHECK_EQ(hc(r, 0, H_REGISTER_PROC_TBL, 4, 0x08ULL, 0ULL, 0ULL, 0ULL), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_REGISTER_PROC_TBL, 4, 0x10ULL, 0ULL, 0ULL, 0ULL), H_SUCCESS);
    CHECK_EQ(hc(r, 0, H_REGISTER_PROC_TBL, 4, 0x1cULL, 0ULL, 0ULL, 0ULL), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_REGISTER_PROC_TBL, 4, 0x19ULL, 0ULL, 0ULL, 0ULL), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_REGISTER_PROC_TBL, 4, 0x118ULL, 0ULL, 0ULL, 0ULL), H_PARAMETER);
    fflush(r->p.log);
    fflush(r->p.log_unimp);
    CHECK_EQ(count_lines(unimpbuf, "unsupported hcall 0x1234"), 1);
    CHECK_EQ(count_lines(unimpbuf, "unsupported hcall 0xf0f0"), 1);
    CHECK_EQ(count_lines(unimpbuf, "unsupported hcall 0x10000000000"), 1);
    CHECK_EQ(count_lines(unimpbuf, "\n"), 3);
    CHECK_EQ(count_lines(logbuf, "hcall cpu 0 H_SET_SPRG0(0x1234) = 0 H_SUCCESS\n"), 1);
    CHECK_EQ(count_lines(logbuf, "hcall cpu 1 H_RANDOM() = 0 H_SUCCESS -> 0x"), 1);
    CHECK_EQ(count_lines(logbuf, "= -2 H_FUNCTION"), 5);
    CHECK_EQ(count_lines(logbuf, "= -3 H_PRIVILEGE"), 1);
    fclose(r->p.log);
    fclose(r->p.log_unimp);
    free(logbuf);
    free(unimpbuf);
    rig_free(r);
}

/* The HPT rows of the table, through papr_hcall: H_ENTER, H_READ, H_REMOVE. */
#define V4K(ava) (((uint64_t)(ava) << HPTE64_V_AVPN_SHIFT) | HPTE64_V_VALID)
#define R4K(ra) ((uint64_t)(ra) | HPTE64_R_M | 2)

static void test_hpt_dispatch(void)
{
    Rig *r = rig_new();
    CHECK_EQ(hc(r, 0, H_ENTER, 4, 0ULL, 16ULL, V4K(0x1230), R4K(0x5000)), H_SUCCESS);
    uint64_t slot = R4(r, 0);
    CHECK_EQ(slot & ~7ULL, 16);
    CHECK_EQ(hc(r, 1, H_READ, 2, 0ULL, slot), H_SUCCESS);
    CHECK_EQ(R4(r, 1), V4K(0x1230));
    CHECK_EQ(R5(r, 1) & ~(HPTE64_R_R | HPTE64_R_C), R4K(0x5000));
    CHECK_EQ(hc(r, 0, H_ENTER, 4, 0ULL, 16ULL, V4K(0x1230), R4K(RAM_SIZE)), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_REMOVE, 3, 0ULL, slot, 0ULL), H_SUCCESS);
    CHECK_EQ(R4(r, 0), V4K(0x1230));
    CHECK_EQ(hc(r, 0, H_REMOVE, 3, 0ULL, slot, 0ULL), H_NOT_FOUND);
    rig_free(r);
}

/* ---- hcall-debug: seed 000 ---------------------------------------------------------- */

static void test_logical_ci(void)
{
    Rig *r = rig_new();
    r->le.value = 0x1122334455667788ULL;
    r->be.value = 0x1122334455667788ULL;

    /* Sizes: 1, 2, 4, 8 only. */
    CHECK_EQ(hc(r, 0, H_LOGICAL_CI_LOAD, 2, 0ULL, LE_DEV), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_LOGICAL_CI_LOAD, 2, 3ULL, LE_DEV), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_LOGICAL_CI_LOAD, 2, 16ULL, LE_DEV), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_LOGICAL_CI_LOAD, 2, (1ULL << 32) | 4, LE_DEV), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_LOGICAL_CI_STORE, 3, 5ULL, LE_DEV, 0ULL), H_PARAMETER);
    CHECK_EQ(r->le.writes, 0);
    /* Alignment, RAM, nothing mapped, a size the device refuses. */
    CHECK_EQ(hc(r, 0, H_LOGICAL_CI_LOAD, 2, 4ULL, LE_DEV + 2), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_LOGICAL_CI_LOAD, 2, 4ULL, 0x1000ULL), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_LOGICAL_CI_STORE, 3, 4ULL, 0x1000ULL, 1ULL), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_LOGICAL_CI_LOAD, 2, 4ULL, 0x300000000ULL), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_LOGICAL_CI_STORE, 3, 4ULL, 0x300000000ULL, 1ULL), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_LOGICAL_CI_LOAD, 2, 8ULL, NARROW_DEV), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_LOGICAL_CI_STORE, 3, 8ULL, NARROW_DEV, 1ULL), H_PARAMETER);
    CHECK_EQ(r->narrow.writes, 0);
    CHECK_EQ(hc(r, 0, H_LOGICAL_CI_LOAD, 2, 4ULL, LE_DEV + 0xffe), H_PARAMETER);

    /* Loads are big-endian: a big-endian device's register reads as it is, a
     * little-endian one's byte-reversed. */
    CHECK_EQ(hc(r, 0, H_LOGICAL_CI_LOAD, 2, 4ULL, BE_DEV + 8), H_SUCCESS);
    CHECK_EQ(R4(r, 0), 0x55667788);
    CHECK_EQ(r->be.off, 8);
    CHECK_EQ(hc(r, 0, H_LOGICAL_CI_LOAD, 2, 4ULL, LE_DEV + 8), H_SUCCESS);
    CHECK_EQ(R4(r, 0), 0x88776655);
    CHECK_EQ(hc(r, 0, H_LOGICAL_CI_LOAD, 2, 8ULL, BE_DEV), H_SUCCESS);
    CHECK_EQ(R4(r, 0), 0x1122334455667788ULL);
    CHECK_EQ(hc(r, 0, H_LOGICAL_CI_LOAD, 2, 8ULL, LE_DEV), H_SUCCESS);
    CHECK_EQ(R4(r, 0), 0x8877665544332211ULL);
    CHECK_EQ(hc(r, 0, H_LOGICAL_CI_LOAD, 2, 2ULL, BE_DEV + 2), H_SUCCESS);
    CHECK_EQ(R4(r, 0), 0x7788);
    CHECK_EQ(hc(r, 0, H_LOGICAL_CI_LOAD, 2, 2ULL, LE_DEV + 2), H_SUCCESS);
    CHECK_EQ(R4(r, 0), 0x8877);
    CHECK_EQ(hc(r, 0, H_LOGICAL_CI_LOAD, 2, 1ULL, LE_DEV + 1), H_SUCCESS);
    CHECK_EQ(R4(r, 0), 0x88);
    CHECK_EQ(hc(r, 0, H_LOGICAL_CI_LOAD, 2, 4ULL, NARROW_DEV), H_SUCCESS);
    CHECK_EQ(R4(r, 0), 0);

    /* Stores: the low-order bytes of r6, big-endian. */
    CHECK_EQ(hc(r, 0, H_LOGICAL_CI_STORE, 3, 4ULL, BE_DEV + 4, 0xffffffffaabbccddULL), H_SUCCESS);
    CHECK_EQ(r->be.written, 0xaabbccdd);
    CHECK_EQ(r->be.size, 4);
    CHECK_EQ(r->be.off, 4);
    CHECK_EQ(hc(r, 0, H_LOGICAL_CI_STORE, 3, 4ULL, LE_DEV + 4, 0xaabbccddULL), H_SUCCESS);
    CHECK_EQ(r->le.written, 0xddccbbaa);
    CHECK_EQ(hc(r, 0, H_LOGICAL_CI_STORE, 3, 2ULL, LE_DEV + 6, 0x12345678ULL), H_SUCCESS);
    CHECK_EQ(r->le.written, 0x7856);
    CHECK_EQ(r->le.size, 2);
    CHECK_EQ(hc(r, 0, H_LOGICAL_CI_STORE, 3, 2ULL, BE_DEV + 6, 0x12345678ULL), H_SUCCESS);
    CHECK_EQ(r->be.written, 0x5678);
    CHECK_EQ(hc(r, 0, H_LOGICAL_CI_STORE, 3, 8ULL, LE_DEV, 0x0102030405060708ULL), H_SUCCESS);
    CHECK_EQ(r->le.written, 0x0807060504030201ULL);
    CHECK_EQ(hc(r, 0, H_LOGICAL_CI_STORE, 3, 8ULL, BE_DEV, 0x0102030405060708ULL), H_SUCCESS);
    CHECK_EQ(r->be.written, 0x0102030405060708ULL);
    CHECK_EQ(hc(r, 0, H_LOGICAL_CI_STORE, 3, 1ULL, BE_DEV + 3, 0x1ffULL), H_SUCCESS);
    CHECK_EQ(r->be.written, 0xff);
    CHECK_EQ(r->be.size, 1);
    rig_free(r);
}

/* ---- hcall-term ----------------------------------------------------------------- */

static void test_term(void)
{
    Rig *r = rig_new();
    char out[64];
    /* "Hello, world!" packed big-endian in r6, r7. */
    CHECK_EQ(hc(r, 0, H_PUT_TERM_CHAR, 4, VTY_UNIT, 13ULL, 0x48656c6c6f2c2077ULL,
                0x6f726c6421000000ULL), H_SUCCESS);
    test_chardev_output(r->vty_out, out, sizeof(out));
    CHECK(strcmp(out, "Hello, world!") == 0);
    CHECK_EQ(hc(r, 0, H_PUT_TERM_CHAR, 4, VTY_UNIT, 16ULL, 0x3031323334353637ULL,
                0x3839616263646566ULL), H_SUCCESS);
    test_chardev_output(r->vty_out, out, sizeof(out));
    CHECK(strcmp(out, "0123456789abcdef") == 0);
    CHECK_EQ(hc(r, 0, H_PUT_TERM_CHAR, 4, VTY_UNIT, 0ULL, 0x41ULL, 0ULL), H_SUCCESS);
    CHECK_EQ(hc(r, 0, H_PUT_TERM_CHAR, 4, VTY_UNIT, 17ULL, 0x41ULL, 0ULL), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_PUT_TERM_CHAR, 4, VTY_UNIT + 1, 1ULL, 0x41ULL << 56, 0ULL), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_PUT_TERM_CHAR, 4, VTY_UNIT, ~0ULL, 0x41ULL << 56, 0ULL), H_PARAMETER);
    CHECK_EQ(test_chardev_output(r->vty_out, out, sizeof(out)), 0);

    /* Input: 16 at a time, count in r4, bytes in r5, r6. */
    const char *in = "abcdefghijklmnopqrst";
    chardev_push_input(&r->vty, (const uint8_t *)in, strlen(in));
    CHECK_EQ(hc(r, 1, H_GET_TERM_CHAR, 1, VTY_UNIT + 1), H_PARAMETER);
    CHECK_EQ(hc(r, 1, H_GET_TERM_CHAR, 1, VTY_UNIT), H_SUCCESS);
    CHECK_EQ(R4(r, 1), 16);
    CHECK_EQ(R5(r, 1), 0x6162636465666768ULL);
    CHECK_EQ(R6(r, 1), 0x696a6b6c6d6e6f70ULL);
    CHECK_EQ(hc(r, 1, H_GET_TERM_CHAR, 1, VTY_UNIT), H_SUCCESS);
    CHECK_EQ(R4(r, 1), 4);
    CHECK_EQ(R5(r, 1), 0x7172737400000000ULL);
    CHECK_EQ(R6(r, 1), 0);
    CHECK_EQ(hc(r, 1, H_GET_TERM_CHAR, 1, VTY_UNIT), H_SUCCESS);
    CHECK_EQ(R4(r, 1), 0);
    CHECK_EQ(R5(r, 1), 0);

    /* No console at all. */
    r->p.vty = NULL;
    CHECK_EQ(hc(r, 1, H_GET_TERM_CHAR, 1, VTY_UNIT), H_PARAMETER);
    CHECK_EQ(hc(r, 1, H_PUT_TERM_CHAR, 4, VTY_UNIT, 1ULL, 0ULL, 0ULL), H_PARAMETER);
    rig_free(r);
}

/* ---- processor resources ----------------------------------------------------------- */

static void test_set_mode(void)
{
    Rig *r = rig_new();
    for (unsigned i = 0; i < NCPUS; i++)
        r->cpu[i]->lpcr = 0x0000000000a00000ULL; /* unrelated bits stay */
    r->cpu[3]->stopped = true;

    /* Resource 4: LPCR[ILE] on every processor, stopped ones included. */
    CHECK_EQ(hc(r, 1, H_SET_MODE, 4, 1ULL, 4ULL, 0ULL, 0ULL), H_SUCCESS);
    for (unsigned i = 0; i < NCPUS; i++)
        CHECK_EQ(r->cpu[i]->lpcr & ~LPCR_AIL, (0x0000000000a00000ULL & ~LPCR_AIL) | LPCR_ILE);
    CHECK_EQ(hc(r, 1, H_SET_MODE, 4, 2ULL, 4ULL, 0ULL, 0ULL), H_UNSUPPORTED_FLAG);
    CHECK_EQ(hc(r, 1, H_SET_MODE, 4, 0ULL, 4ULL, 1ULL, 0ULL), H_P3);
    CHECK_EQ(hc(r, 1, H_SET_MODE, 4, 0ULL, 4ULL, 0ULL, 1ULL), H_P4);
    for (unsigned i = 0; i < NCPUS; i++)
        CHECK(r->cpu[i]->lpcr & LPCR_ILE); /* failed calls change nothing */
    CHECK_EQ(hc(r, 2, H_SET_MODE, 4, 0ULL, 4ULL, 0ULL, 0ULL), H_SUCCESS);
    for (unsigned i = 0; i < NCPUS; i++)
        CHECK(!(r->cpu[i]->lpcr & LPCR_ILE));

    /* Resource 3: LPCR[AIL] = 0, 2, 3; 1 is reserved. */
    CHECK_EQ(hc(r, 0, H_SET_MODE, 4, 3ULL, 3ULL, 0ULL, 0ULL), H_SUCCESS);
    for (unsigned i = 0; i < NCPUS; i++)
        CHECK_EQ(r->cpu[i]->lpcr & LPCR_AIL, 3ULL << LPCR_AIL_SHIFT);
    CHECK_EQ(hc(r, 0, H_SET_MODE, 4, 2ULL, 3ULL, 0ULL, 0ULL), H_SUCCESS);
    for (unsigned i = 0; i < NCPUS; i++)
        CHECK_EQ(r->cpu[i]->lpcr & LPCR_AIL, 2ULL << LPCR_AIL_SHIFT);
    CHECK_EQ(hc(r, 0, H_SET_MODE, 4, 1ULL, 3ULL, 0ULL, 0ULL), H_UNSUPPORTED_FLAG_AIL1);
    CHECK_EQ(hc(r, 0, H_SET_MODE, 4, 4ULL, 3ULL, 0ULL, 0ULL), H_UNSUPPORTED_FLAG);
    CHECK_EQ(hc(r, 0, H_SET_MODE, 4, 3ULL, 3ULL, 5ULL, 0ULL), H_P3);
    CHECK_EQ(hc(r, 0, H_SET_MODE, 4, 3ULL, 3ULL, 0ULL, 5ULL), H_P4);
    CHECK_EQ(r->cpu[3]->lpcr & LPCR_AIL, 2ULL << LPCR_AIL_SHIFT);
    CHECK_EQ(hc(r, 0, H_SET_MODE, 4, 0ULL, 3ULL, 0ULL, 0ULL), H_SUCCESS);
    for (unsigned i = 0; i < NCPUS; i++)
        CHECK_EQ(r->cpu[i]->lpcr, 0x0000000000a00000ULL & ~LPCR_AIL);

    /* Resource 1: CIABR of the caller only. */
    CHECK_EQ(hc(r, 1, H_SET_MODE, 4, 0ULL, 1ULL, 0x10002ULL, 0ULL), H_SUCCESS);
    CHECK_EQ(r->cpu[1]->ciabr, 0x10002);
    CHECK_EQ(r->cpu[0]->ciabr, 0);
    CHECK_EQ(hc(r, 1, H_SET_MODE, 4, 0ULL, 1ULL, 0x20003ULL, 0ULL), H_P3);
    CHECK_EQ(hc(r, 1, H_SET_MODE, 4, 0ULL, 1ULL, 0x20001ULL, 1ULL), H_P4);
    CHECK_EQ(hc(r, 1, H_SET_MODE, 4, 1ULL, 1ULL, 0x20001ULL, 0ULL), H_UNSUPPORTED_FLAG);
    CHECK_EQ(r->cpu[1]->ciabr, 0x10002);

    /* Resource 2: DAWR0 / DAWRX0 of the caller; no hypervisor watchpoints. */
    CHECK_EQ(hc(r, 2, H_SET_MODE, 4, 0ULL, 2ULL, 0x8000ULL, 0x1bULL), H_SUCCESS);
    CHECK_EQ(r->cpu[2]->dawr0, 0x8000);
    CHECK_EQ(r->cpu[2]->dawrx0, 0x1b); /* DW DR PNH PRO */
    CHECK_EQ(hc(r, 2, H_SET_MODE, 4, 0ULL, 2ULL, 0x9000ULL, PAPR_DAWRX_HYP | 2), H_P4);
    CHECK_EQ(hc(r, 2, H_SET_MODE, 4, 8ULL, 2ULL, 0x9000ULL, 2ULL), H_UNSUPPORTED_FLAG);
    CHECK_EQ(r->cpu[2]->dawr0, 0x8000);

    /* Other resources. */
    CHECK_EQ(hc(r, 0, H_SET_MODE, 4, 0ULL, 0ULL, 0ULL, 0ULL), H_P2);
    CHECK_EQ(hc(r, 0, H_SET_MODE, 4, 0ULL, 5ULL, 0ULL, 0ULL), H_P2);
    CHECK_EQ(hc(r, 0, H_SET_MODE, 4, 0ULL, ~0ULL, 0ULL, 0ULL), H_P2);
    rig_free(r);
}

static void test_sprg_dabr(void)
{
    Rig *r = rig_new();
    CHECK_EQ(hc(r, 2, H_SET_SPRG0, 1, 0xc000000000001234ULL), H_SUCCESS);
    CHECK_EQ(r->cpu[2]->sprg[0], 0xc000000000001234ULL);
    CHECK_EQ(r->cpu[1]->sprg[0], 0);

    CHECK_EQ(hc(r, 1, H_SET_DABR, 1, 0x4000ULL | 7), H_SUCCESS);
    CHECK_EQ(r->p.vcpu[1].dabr, 0x4007);
    CHECK_EQ(r->p.vcpu[1].dabrx, 3);
    CHECK_EQ(hc(r, 1, H_SET_XDABR, 2, 0x5000ULL, 1ULL), H_SUCCESS);
    CHECK_EQ(r->p.vcpu[1].dabr, 0x5000);
    CHECK_EQ(r->p.vcpu[1].dabrx, 1);
    CHECK_EQ(hc(r, 1, H_SET_XDABR, 2, 0x6000ULL, 2ULL | 8), H_SUCCESS);
    CHECK_EQ(r->p.vcpu[1].dabrx, 10);
    CHECK_EQ(hc(r, 1, H_SET_XDABR, 2, 0x7000ULL, 0ULL), H_PARAMETER);  /* no privilege */
    CHECK_EQ(hc(r, 1, H_SET_XDABR, 2, 0x7000ULL, 7ULL), H_PARAMETER);  /* HYP */
    CHECK_EQ(hc(r, 1, H_SET_XDABR, 2, 0x7000ULL, 0x13ULL), H_PARAMETER); /* reserved */
    CHECK_EQ(r->p.vcpu[1].dabr, 0x6000);
    rig_free(r);
}

static void test_page_init(void)
{
    Rig *r = rig_new();
    for (unsigned i = 0; i < 4096; i++)
        r->ram[0x3000 + i] = (uint8_t)(i * 7 + 1);
    memset(r->ram + 0x5000, 0xee, 4096);
    CHECK_EQ(hc(r, 0, H_PAGE_INIT, 3, H_COPY_PAGE, 0x5000ULL, 0x3000ULL), H_SUCCESS);
    CHECK_MEM(r->ram + 0x5000, r->ram + 0x3000, 4096);
    CHECK_EQ(hc(r, 0, H_PAGE_INIT, 3, H_ZERO_PAGE | H_ICACHE_SYNCHRONIZE, 0x5000ULL, 0x123ULL),
             H_SUCCESS);
    CHECK(r->ram[0x5000] == 0 && r->ram[0x5fff] == 0 && r->ram[0x6000] == 0);
    CHECK_EQ(r->ram[0x3000], 1);
    /* Zero then copy. */
    CHECK_EQ(hc(r, 0, H_PAGE_INIT, 3, H_ZERO_PAGE | H_COPY_PAGE, 0x5000ULL, 0x3000ULL), H_SUCCESS);
    CHECK_MEM(r->ram + 0x5000, r->ram + 0x3000, 4096);
    /* Checks: 4 KiB-aligned RAM pages. */
    CHECK_EQ(hc(r, 0, H_PAGE_INIT, 3, H_ZERO_PAGE, 0x5008ULL, 0ULL), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_PAGE_INIT, 3, H_ZERO_PAGE, RAM_SIZE, 0ULL), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_PAGE_INIT, 3, H_ZERO_PAGE, LE_DEV, 0ULL), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_PAGE_INIT, 3, H_COPY_PAGE, 0x5000ULL, 0x3800ULL), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_PAGE_INIT, 3, H_COPY_PAGE, 0x5000ULL, RAM_SIZE), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_PAGE_INIT, 3, H_COPY_PAGE, 0x5000ULL, ~0xfffULL), H_PARAMETER);
    CHECK_EQ(r->ram[0x5001], r->ram[0x3001]); /* unchanged by the failures */
    rig_free(r);
}

/* ---- hcall-splpar, hcall-join --------------------------------------------------------- */

static void test_cede_prod_confer(void)
{
    Rig *r = rig_new();
    /* H_CEDE turns MSR[EE] on and waits. */
    CHECK_EQ(hc(r, 0, H_CEDE, 0), H_SUCCESS);
    CHECK(r->cpu[0]->msr & MSR_EE);
    CHECK(r->cpu[0]->waiting);
    /* H_PROD wakes it by server number and leaves the prodder's r4 alone. */
    R4(r, 1) = 0;
    CHECK_EQ(hc(r, 1, H_PROD, 1, 0ULL), H_SUCCESS);
    CHECK_EQ(R4(r, 1), 0);
    CHECK(!r->cpu[0]->waiting);
    CHECK(!r->p.vcpu[0].prod);
    /* A prod reaching a running thread makes its next cede return at once. */
    CHECK_EQ(hc(r, 1, H_PROD, 1, 0ULL), H_SUCCESS);
    CHECK(r->p.vcpu[0].prod);
    CHECK_EQ(hc(r, 0, H_CEDE, 0), H_SUCCESS);
    CHECK(!r->cpu[0]->waiting);
    CHECK(!r->p.vcpu[0].prod);
    CHECK_EQ(hc(r, 1, H_PROD, 1, 4ULL), H_PARAMETER);
    CHECK_EQ(hc(r, 1, H_PROD, 1, ~0ULL), H_PARAMETER);

    /* H_CONFER: to all or another thread returns; to itself waits for a prod. */
    CHECK_EQ(hc(r, 2, H_CONFER, 2, ~0ULL, 0ULL), H_SUCCESS);
    CHECK(!r->cpu[2]->waiting);
    CHECK_EQ(hc(r, 2, H_CONFER, 2, 0xffffffffULL, 0ULL), H_SUCCESS);
    CHECK(!r->cpu[2]->waiting);
    CHECK_EQ(hc(r, 2, H_CONFER, 2, 1ULL, 7ULL), H_SUCCESS);
    CHECK(!r->cpu[2]->waiting);
    CHECK_EQ(hc(r, 2, H_CONFER, 2, 9ULL, 0ULL), H_PARAMETER);
    CHECK_EQ(hc(r, 2, H_CONFER, 2, 2ULL, 0ULL), H_SUCCESS);
    CHECK(r->cpu[2]->waiting);
    CHECK_EQ(hc(r, 0, H_PROD, 1, 2ULL), H_SUCCESS);
    CHECK(!r->cpu[2]->waiting);
    rig_free(r);
}

static void test_join(void)
{
    Rig *r = rig_new();
    r->cpu[0]->msr |= MSR_EE;
    CHECK_EQ(hc(r, 0, H_JOIN, 0), H_BAD_MODE);
    CHECK(!r->cpu[0]->stopped);
    r->cpu[0]->msr &= ~MSR_EE;
    /* Others run: the caller stops until prodded. */
    CHECK_EQ(hc(r, 0, H_JOIN, 0), H_SUCCESS);
    CHECK(r->cpu[0]->stopped);
    CHECK(r->p.vcpu[0].joined);
    CHECK_EQ(hc(r, 1, H_PROD, 1, 0ULL), H_SUCCESS);
    CHECK(!r->cpu[0]->stopped);
    CHECK(!r->p.vcpu[0].joined);
    /* The last thread not stopped or waiting gets H_CONTINUE and keeps running. */
    r->cpu[1]->stopped = true;
    r->cpu[2]->waiting = true;
    r->cpu[3]->stopped = true;
    CHECK_EQ(hc(r, 0, H_JOIN, 0), H_CONTINUE);
    CHECK(!r->cpu[0]->stopped);
    rig_free(r);
}

/* H_REGISTER_VPA: the LoPAR checks in order, and the areas kept per CPU. */
#define VPA_FN(sub) ((uint64_t)(sub) << H_VPA_FUNC_SHIFT)

static void put_be(Rig *r, uint64_t addr, unsigned size, uint32_t v)
{
    for (unsigned i = 0; i < size; i++)
        r->ram[addr + i] = (uint8_t)(v >> (8 * (size - 1 - i)));
}

static void test_vpa(void)
{
    Rig *r = rig_new();
    put_be(r, 0x10000 + 4, 2, 640);  /* a VPA */
    put_be(r, 0x10400 + 4, 2, 639);  /* too small */
    put_be(r, 0x10f00 + 4, 2, 640);  /* crosses 0x11000 */
    put_be(r, 0x12000 + 4, 4, 48);   /* a DTL */
    put_be(r, 0x12100 + 4, 4, 47);
    put_be(r, 0x13000 + 4, 4, 64);   /* an SLB shadow */
    put_be(r, 0x13100 + 4, 4, 7);
    put_be(r, 0x13f80 + 4, 4, 256);  /* crosses 0x14000 */
    put_be(r, RAM_SIZE - 0x80 + 4, 4, 0x100); /* runs out of RAM */

    /* Subfunction and processor. */
    CHECK_EQ(hc(r, 0, H_REGISTER_VPA, 3, VPA_FN(0), 0ULL, 0x10000ULL), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_REGISTER_VPA, 3, VPA_FN(4), 0ULL, 0x10000ULL), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_REGISTER_VPA, 3, VPA_FN(1), 7ULL, 0x10000ULL), H_PARAMETER);
    /* DTL and SLB shadow before a VPA. */
    CHECK_EQ(hc(r, 0, H_REGISTER_VPA, 3, VPA_FN(2), 0ULL, 0x12000ULL), H_RESOURCE);
    CHECK_EQ(hc(r, 0, H_REGISTER_VPA, 3, VPA_FN(3), 0ULL, 0x13000ULL), H_RESOURCE);
    /* VPA address and size. */
    CHECK_EQ(hc(r, 0, H_REGISTER_VPA, 3, VPA_FN(1), 0ULL, 0x10040ULL), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_REGISTER_VPA, 3, VPA_FN(1), 0ULL, 0x10400ULL), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_REGISTER_VPA, 3, VPA_FN(1), 0ULL, 0x10f00ULL), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_REGISTER_VPA, 3, VPA_FN(1), 0ULL, RAM_SIZE), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_REGISTER_VPA, 3, VPA_FN(1), 0ULL, LE_DEV), H_PARAMETER);
    CHECK_EQ(r->p.vcpu[0].vpa, 0);
    CHECK_EQ(hc(r, 0, H_REGISTER_VPA, 3, VPA_FN(1), 0ULL, 0x10000ULL), H_SUCCESS);
    CHECK_EQ(r->p.vcpu[0].vpa, 0x10000);
    /* Another running processor's VPA: H_STATE; a stopped one's: fine. */
    CHECK_EQ(hc(r, 0, H_REGISTER_VPA, 3, VPA_FN(1), 1ULL, 0x10000ULL), H_STATE);
    r->cpu[1]->stopped = true;
    CHECK_EQ(hc(r, 0, H_REGISTER_VPA, 3, VPA_FN(1), 1ULL, 0x10000ULL), H_SUCCESS);
    CHECK_EQ(r->p.vcpu[1].vpa, 0x10000);
    /* DTL. */
    CHECK_EQ(hc(r, 0, H_REGISTER_VPA, 3, VPA_FN(2), 0ULL, 0x12100ULL), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_REGISTER_VPA, 3, VPA_FN(2), 0ULL, 0x12010ULL), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_REGISTER_VPA, 3, VPA_FN(2), 0ULL, RAM_SIZE - 0x80), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_REGISTER_VPA, 3, VPA_FN(2), 0ULL, 0x12000ULL), H_SUCCESS);
    CHECK_EQ(r->p.vcpu[0].dtl, 0x12000);
    CHECK_EQ(r->p.vcpu[0].dtl_size, 48);
    /* SLB shadow. */
    CHECK_EQ(hc(r, 0, H_REGISTER_VPA, 3, VPA_FN(3), 0ULL, 0x13100ULL), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_REGISTER_VPA, 3, VPA_FN(3), 0ULL, 0x13f80ULL), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_REGISTER_VPA, 3, VPA_FN(3), 0ULL, 0x13000ULL), H_SUCCESS);
    CHECK_EQ(r->p.vcpu[0].slb_shadow, 0x13000);
    CHECK_EQ(r->p.vcpu[0].slb_shadow_size, 64);
    /* Deregistering the VPA first is refused; DTL and SLB shadow go, then it can. */
    CHECK_EQ(hc(r, 0, H_REGISTER_VPA, 3, VPA_FN(5), 0ULL, 0ULL), H_RESOURCE);
    CHECK_EQ(hc(r, 0, H_REGISTER_VPA, 3, VPA_FN(6), 0ULL, 0ULL), H_SUCCESS);
    CHECK_EQ(r->p.vcpu[0].dtl, 0);
    CHECK_EQ(hc(r, 0, H_REGISTER_VPA, 3, VPA_FN(5), 0ULL, 0ULL), H_RESOURCE);
    CHECK_EQ(hc(r, 2, H_REGISTER_VPA, 3, VPA_FN(7), 0ULL, 0ULL), H_STATE);
    CHECK_EQ(hc(r, 0, H_REGISTER_VPA, 3, VPA_FN(7), 0ULL, 0ULL), H_SUCCESS);
    CHECK_EQ(r->p.vcpu[0].slb_shadow, 0);
    CHECK_EQ(hc(r, 0, H_REGISTER_VPA, 3, VPA_FN(5), 0ULL, 0ULL), H_SUCCESS);
    CHECK_EQ(r->p.vcpu[0].vpa, 0);
    CHECK_EQ(r->p.vcpu[1].vpa, 0x10000);
    /* Reset forgets every area. */
    papr_reset(&r->p);
    CHECK_EQ(r->p.vcpu[1].vpa, 0);
    rig_free(r);
}

/* ---- platform hcalls ---------------------------------------------------------------- */

static void test_random(void)
{
    Rig *a = rig_new(), *b = rig_new();
    a->p.rng_state = 0;
    CHECK_EQ(hc(a, 0, H_RANDOM, 0), H_SUCCESS);
    CHECK_EQ(R4(a, 0), 0xe220a8397b1dcdafULL); /* splitmix64, state 0 */
    CHECK_EQ(hc(a, 0, H_RANDOM, 0), H_SUCCESS);
    CHECK_EQ(R4(a, 0), 0x6e789e6aa1b965f4ULL);
    a->p.rng_state = 12345;
    b->p.rng_state = 12345;
    uint64_t prev = 0;
    for (unsigned i = 0; i < 8; i++) {
        hc(a, i % NCPUS, H_RANDOM, 0);
        hc(b, 0, H_RANDOM, 0);
        CHECK_EQ(R4(a, i % NCPUS), R4(b, 0));
        CHECK(R4(b, 0) != prev);
        prev = R4(b, 0);
    }
    b->p.rng_state = 12346;
    hc(a, 0, H_RANDOM, 0);
    hc(b, 0, H_RANDOM, 0);
    CHECK(R4(a, 0) != R4(b, 0));
    rig_free(a);
    rig_free(b);
}

static void test_cpu_characteristics(void)
{
    Rig *r = rig_new();
    CHECK_EQ(hc(r, 0, H_GET_CPU_CHARACTERISTICS, 0), H_SUCCESS);
    CHECK_EQ(R4(r, 0), H_CPU_CHAR_BCCTRL_SERIALISED);
    CHECK_EQ(R5(r, 0), H_CPU_BEHAV_FAVOUR_SECURITY | H_CPU_BEHAV_NO_L1D_FLUSH_ENTRY |
                           H_CPU_BEHAV_NO_L1D_FLUSH_UACCESS | H_CPU_BEHAV_NO_STF_BARRIER);
    CHECK(!(R5(r, 0) & (H_CPU_BEHAV_L1D_FLUSH_PR | H_CPU_BEHAV_BNDS_CHK_SPEC_BAR)));
    rig_free(r);
}

typedef struct Client {
    unsigned calls;
    uint64_t args;
    PpcCpu *cpu;
} Client;

static int64_t client(void *opaque, PpcCpu *c, uint64_t args)
{
    Client *cl = opaque;
    cl->calls++;
    cl->args = args;
    cl->cpu = c;
    return 0x55;
}

static void test_firmware_hcalls(void)
{
    Rig *r = rig_new();
    Client cl = { 0 };
    CHECK_EQ(hc(r, 0, H_VOF_CLIENT, 1, 0x4000ULL), H_FUNCTION);
    r->p.client_interface = client;
    r->p.client_opaque = &cl;
    CHECK_EQ(hc(r, 1, H_VOF_CLIENT, 1, 0x4000ULL), 0x55);
    CHECK_EQ(cl.calls, 1);
    CHECK_EQ(cl.args, 0x4000);
    CHECK(cl.cpu == r->cpu[1]);

    /* H_RTAS: display-character through a buffer at 0x8000. */
    const PaprRtasCall *dc = papr_rtas_find("display-character");
    CHECK(dc != NULL);
    char out[8];
    put_be(r, 0x8000, 4, dc->token);
    put_be(r, 0x8004, 4, 1);
    put_be(r, 0x8008, 4, 1);
    put_be(r, 0x800c, 4, 'Z');
    put_be(r, 0x8010, 4, 0xdeadbeef);
    CHECK_EQ(hc(r, 0, H_RTAS, 1, 0x8000ULL), H_SUCCESS);
    CHECK_EQ(r->ram[0x8013], 0);
    test_chardev_output(r->vty_out, out, sizeof(out));
    CHECK(strcmp(out, "Z") == 0);
    CHECK_EQ(hc(r, 0, H_RTAS, 1, RAM_SIZE - 4), H_PARAMETER);
    rig_free(r);
}

/* ---- hcall-interrupt ---------------------------------------------------------------- */

static void test_xics_hcalls(void)
{
    Rig *r = rig_new();
    uint32_t irq = XICS_DEFAULT_IRQ_BASE + 3;
    xics_set_xive(&r->xics, irq, 1, 5);
    CHECK_EQ(hc(r, 1, H_CPPR, 1, 0xffULL), H_SUCCESS);
    xics_set_irq(&r->xics, irq, true);
    CHECK(r->ext.level[1]);
    /* H_IPOLL sees it without side effects. */
    CHECK_EQ(hc(r, 0, H_IPOLL, 1, 1ULL), H_SUCCESS);
    CHECK_EQ(R4(r, 0), 0xff000000u | irq);
    CHECK_EQ(R5(r, 0), 0xff);
    CHECK_EQ(hc(r, 0, H_IPOLL, 1, 4ULL), H_PARAMETER);
    CHECK(r->ext.level[1]);
    /* H_XIRR accepts on the caller's server. */
    CHECK_EQ(hc(r, 1, H_XIRR, 1, 0xffULL), H_SUCCESS);
    CHECK_EQ(R4(r, 1), 0xff000000u | irq);
    CHECK(!r->ext.level[1]);
    /* H_EOI checks the XISR. */
    CHECK_EQ(hc(r, 1, H_EOI, 1, 0xff000000ULL | 17), H_PARAMETER);
    CHECK_EQ(hc(r, 1, H_EOI, 1, 0xff000000ULL), H_PARAMETER);
    xics_set_irq(&r->xics, irq, false);
    CHECK_EQ(hc(r, 1, H_EOI, 1, 0xff000000ULL | irq), H_SUCCESS);
    CHECK_EQ(xics_poll(&r->xics, 1, NULL), 0xff000000u);

    /* H_IPI to server 2, accepted there with H_XIRR_X (r5: the timebase). */
    CHECK_EQ(hc(r, 2, H_CPPR, 1, 0xffULL), H_SUCCESS);
    CHECK_EQ(hc(r, 0, H_IPI, 2, 2ULL, 4ULL), H_SUCCESS);
    CHECK(r->ext.level[2]);
    CHECK_EQ(hc(r, 0, H_IPI, 2, 4ULL, 4ULL), H_PARAMETER);
    CHECK_EQ(hc(r, 0, H_IPI, 2, ~0ULL, 4ULL), H_PARAMETER);
    r->clock.base = 1500000000; /* 1.5 s */
    r->cpu[2]->tb_offset = 1000;
    CHECK_EQ(hc(r, 2, H_XIRR_X, 1, 0xffULL), H_SUCCESS);
    CHECK_EQ(R4(r, 2), 0xff000000u | XICS_IPI);
    CHECK_EQ(R5(r, 2), 768000000ULL + 1000);
    CHECK_EQ(hc(r, 2, H_IPI, 2, 2ULL, 0xffULL), H_SUCCESS);
    CHECK_EQ(hc(r, 2, H_EOI, 1, 0xff000000ULL | XICS_IPI), H_SUCCESS);
    CHECK(!r->ext.level[2]);

    /* A caller that is no server, and no XICS at all. */
    r->cpu[3]->pir = 9;
    CHECK_EQ(hc(r, 3, H_XIRR, 0), H_HARDWARE);
    CHECK_EQ(hc(r, 3, H_CPPR, 1, 0xffULL), H_HARDWARE);
    r->p.xics = NULL;
    CHECK_EQ(hc(r, 0, H_XIRR, 0), H_FUNCTION);
    CHECK_EQ(hc(r, 0, H_EOI, 1, 0ULL), H_FUNCTION);
    CHECK_EQ(hc(r, 0, H_IPI, 2, 0ULL, 0ULL), H_FUNCTION);
    CHECK_EQ(hc(r, 0, H_IPOLL, 1, 0ULL), H_FUNCTION);
    rig_free(r);
}

int main(void)
{
    test_numbers();
    test_table();
    test_hypertas();
    test_unknown_and_log();
    test_hpt_dispatch();
    test_logical_ci();
    test_term();
    test_set_mode();
    test_sprg_dabr();
    test_page_init();
    test_cede_prod_confer();
    test_join();
    test_vpa();
    test_random();
    test_cpu_characteristics();
    test_firmware_hcalls();
    test_xics_hcalls();
    return unit_summary("test_hcall");
}
