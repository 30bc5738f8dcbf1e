/* tests/unit/papr/test_rtas.c: RTAS of hypervisor/papr/papr_rtas.c (LoPAR chapter 7),
 * entered through H_RTAS on a machine of four zero-initialised CPUs, 1 MiB of RAM at 0,
 * a ROM, a console and a XICS. Checked: the table (tokens, names, the calls Linux looks
 * up), the entry blob decoded by cpu/ppc's decoder, the argument buffer (big-endian
 * cells, count limits, buffers outside RAM or in ROM, unknown tokens, wrong counts), and
 * each call's effect: the console, the time of day (deterministic from rtc_base and
 * virtual time, set-time-of-day), power-off / reboot / os-term / hvemu,exit through the
 * SysCtl, start-cpu registers, stop-self and query-cpu-stopped-state, the XICS calls,
 * the PCI configuration calls (address decoding, BUID, sizes, the machine's hook), and
 * the calls that report nothing. */
#include "cpu/ppc/ppc_decode.h"
#include "devices/xics.h"
#include "hypervisor/papr/papr.h"
#include "tests/unit/devices/dev_test.h"

#define RAM_SIZE (1 * MiB)
#define ROM_BASE 0x40000000ULL
#define NCPUS 4
#define BUF 0x8000ULL
#define IRQ(n) (XICS_DEFAULT_IRQ_BASE + (n))

typedef struct Rig {
    Bus bus;
    VClock clock;
    uint8_t *ram, rom[4096];
    PpcCpu *cpu[NCPUS];
    CharDev vty;
    int vty_out;
    Xics xics;
    TestIrqs ext;
    TestSys sys;
    uint32_t nargs; /* of the last call: where its rets start */
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
    bus_map_ram(&r->bus, "rom", ROM_BASE, sizeof(r->rom), r->rom)->readonly = true;
    for (unsigned i = 0; i < NCPUS; i++) {
        r->cpu[i] = calloc(1, sizeof(PpcCpu));
        r->cpu[i]->pir = i;
        r->cpu[i]->msr = MSR_SF | MSR_ME;
    }
    test_chardev_init(&r->vty, &r->vty_out);
    if (!xics_init(&r->xics, NCPUS, XICS_DEFAULT_IRQ_BASE, 16, set_external, &r->ext)) {
        fprintf(stderr, "test_rtas: xics_init failed\n");
        exit(2);
    }
    r->p.bus = &r->bus;
    r->p.cpus = r->cpu;
    r->p.ncpus = NCPUS;
    r->p.vty = &r->vty;
    r->p.xics = &r->xics;
    r->p.sysctl = test_sysctl(&r->sys);
    r->p.clock = &r->clock;
    if (!papr_init(&r->p)) {
        fprintf(stderr, "test_rtas: papr_init failed\n");
        exit(2);
    }
    return r;
}

static void rig_free(Rig *r)
{
    xics_free(&r->xics);
    for (unsigned i = 0; i < NCPUS; i++)
        free(r->cpu[i]);
    close(r->vty_out);
    close(r->vty.out_fd);
    free(r->ram);
    free(r);
}

static void put32(Rig *r, uint64_t addr, uint32_t v)
{
    r->ram[addr] = (uint8_t)(v >> 24);
    r->ram[addr + 1] = (uint8_t)(v >> 16);
    r->ram[addr + 2] = (uint8_t)(v >> 8);
    r->ram[addr + 3] = (uint8_t)v;
}

static uint32_t get32(Rig *r, uint64_t addr)
{
    return ((uint32_t)r->ram[addr] << 24) | ((uint32_t)r->ram[addr + 1] << 16) |
           ((uint32_t)r->ram[addr + 2] << 8) | r->ram[addr + 3];
}

static uint32_t token(const char *name)
{
    const PaprRtasCall *c = papr_rtas_find(name);
    if (!c) {
        fprintf(stderr, "test_rtas: no RTAS call %s\n", name);
        exit(2);
    }
    return c->token;
}

/* Builds the buffer at BUF (rets pre-filled with 0xa5a5a5a5), makes the H_RTAS hcall on
 * CPU n and returns its r3; ret(r, i) reads rets[i]. */
static int64_t rtas(Rig *r, unsigned n, uint32_t tok, uint32_t nargs, uint32_t nret,
                    const uint32_t *args)
{
    put32(r, BUF, tok);
    put32(r, BUF + 4, nargs);
    put32(r, BUF + 8, nret);
    for (uint32_t i = 0; i < nargs && i < 64; i++)
        put32(r, BUF + 12 + 4 * i, args[i]); /* args holds nargs cells (at most 64) */
    for (uint32_t i = 0; i < nret && nargs + i < 64; i++)
        put32(r, BUF + 12 + 4 * (nargs + i), 0xa5a5a5a5);
    r->nargs = nargs;
    r->cpu[n]->gpr[3] = H_RTAS;
    r->cpu[n]->gpr[4] = BUF;
    papr_hcall(&r->p, r->cpu[n]);
    return (int64_t)r->cpu[n]->gpr[3];
}

static uint32_t ret(Rig *r, unsigned i)
{
    return get32(r, BUF + 12 + 4 * (r->nargs + i));
}

#define ARGS(...) ((const uint32_t[]){ __VA_ARGS__ })

/* ---- table and blob ---------------------------------------------------------------- */

static void test_table(void)
{
    static const char *const linux_needs[] = {
        "display-character", "get-time-of-day", "set-time-of-day", "power-off",
        "system-reboot", "start-cpu", "stop-self", "query-cpu-stopped-state",
        "ibm,set-xive", "ibm,get-xive", "ibm,int-on", "ibm,int-off", "event-scan",
        "check-exception", "ibm,os-term", "ibm,nmi-register", "ibm,nmi-interlock",
        "ibm,get-system-parameter",
        "ibm,set-system-parameter", "rtas-last-error", "hvemu,exit",
        "read-pci-config", "write-pci-config", "ibm,read-pci-config", "ibm,write-pci-config",
    };
    CHECK(papr_rtas_table_ok(NULL));
    CHECK_EQ(papr_rtas_ncalls, ARRAY_SIZE(linux_needs));
    for (unsigned i = 0; i < ARRAY_SIZE(linux_needs); i++)
        CHECK(papr_rtas_find(linux_needs[i]) != NULL);
    CHECK(papr_rtas_find("ibm,no-such-call") == NULL);
    for (unsigned i = 0; i < papr_rtas_ncalls; i++) {
        const PaprRtasCall *c = &papr_rtas_calls[i];
        CHECK_EQ(c->token, PAPR_RTAS_TOKEN_BASE + i);
        CHECK(c->fn != NULL);
        CHECK(c->nret_min >= 1);
        CHECK(papr_rtas_find(c->name) == c);
    }
}

static void test_blob(void)
{
    static const uint16_t ops[] = { PPC_OP_or, PPC_OP_addis, PPC_OP_ori, PPC_OP_sc,
                                    PPC_OP_bclr };
    PpcInsn i[5];
    CHECK_EQ(papr_rtas_blob_words, 5);
    for (unsigned k = 0; k < 5; k++) {
        ppc_decode(papr_rtas_blob[k], PPC_CAT_B | PPC_CAT_64 | PPC_CAT_S, &i[k]);
        CHECK_EQ(i[k].op, ops[k]);
    }
    /* or r4,r3,r3 (mr r4,r3) */
    CHECK_EQ(i[0].rt, 3);
    CHECK_EQ(i[0].ra, 4);
    CHECK_EQ(i[0].rb, 3);
    CHECK(!(i[0].flags & PPC_IF_RC));
    /* addis r3,0,0 (lis r3,0) */
    CHECK_EQ(i[1].rt, 3);
    CHECK_EQ(i[1].raw & 0x001fffff, 0);
    CHECK_EQ(i[1].imm, 0);
    /* ori r3,r3,0xf000 */
    CHECK_EQ(i[2].rt, 3);
    CHECK_EQ(i[2].ra, 3);
    CHECK_EQ(i[2].imm & 0xffff, H_RTAS);
    /* sc 1 */
    CHECK_EQ(i[3].imm, 1);
    /* blr: bclr 20,0 */
    CHECK_EQ(i[4].rt, 20);
    CHECK(!(i[4].flags & PPC_IF_LK));
}

/* ---- the buffer ---------------------------------------------------------------------- */

static void test_buffer(void)
{
    Rig *r = rig_new();
    char *unimp = NULL;
    size_t unimplen = 0;
    r->p.log_unimp = open_memstream(&unimp, &unimplen);
    uint32_t dc = token("display-character");

    /* Counts beyond the 16 cells. */
    static const uint32_t zeros[64];
    CHECK_EQ(rtas(r, 0, dc, 17, 1, zeros), H_PARAMETER);
    CHECK_EQ(rtas(r, 0, dc, 1, 16, ARGS('x')), H_PARAMETER);
    CHECK_EQ(rtas(r, 0, dc, 1, 0xffffffff, ARGS('x')), H_PARAMETER);
    CHECK_EQ(get32(r, BUF + 16), 0xa5a5a5a5); /* nothing written */
    CHECK_EQ(rtas(r, 0, dc, 8, 8, ARGS('y', 0, 0, 0, 0, 0, 0, 0)), H_SUCCESS);
    CHECK_EQ((int32_t)ret(r, 0), RTAS_OUT_PARAM_ERROR); /* display-character takes 1 */
    CHECK_EQ(ret(r, 1), 0); /* the other rets are cleared */

    /* The buffer must lie in writable RAM. */
    r->cpu[0]->gpr[3] = H_RTAS;
    r->cpu[0]->gpr[4] = RAM_SIZE - 8;
    papr_hcall(&r->p, r->cpu[0]);
    CHECK_EQ(r->cpu[0]->gpr[3], (uint64_t)H_PARAMETER);
    put32(r, RAM_SIZE - 16, dc);
    put32(r, RAM_SIZE - 12, 1);
    put32(r, RAM_SIZE - 8, 2); /* the rets would run past RAM */
    r->cpu[0]->gpr[3] = H_RTAS;
    r->cpu[0]->gpr[4] = RAM_SIZE - 16;
    papr_hcall(&r->p, r->cpu[0]);
    CHECK_EQ(r->cpu[0]->gpr[3], (uint64_t)H_PARAMETER);
    r->rom[3] = (uint8_t)dc;
    r->rom[2] = (uint8_t)(dc >> 8);
    r->rom[7] = 1;
    r->rom[11] = 1;
    r->cpu[0]->gpr[3] = H_RTAS;
    r->cpu[0]->gpr[4] = ROM_BASE;
    papr_hcall(&r->p, r->cpu[0]);
    CHECK_EQ(r->cpu[0]->gpr[3], (uint64_t)H_PARAMETER);
    r->cpu[0]->gpr[3] = H_RTAS;
    r->cpu[0]->gpr[4] = ~0ULL - 4;
    papr_hcall(&r->p, r->cpu[0]);
    CHECK_EQ(r->cpu[0]->gpr[3], (uint64_t)H_PARAMETER);

    /* Unknown tokens: status -3, logged once each. */
    CHECK_EQ(rtas(r, 0, 0x1234, 1, 1, ARGS(0)), H_SUCCESS);
    CHECK_EQ((int32_t)ret(r, 0), RTAS_OUT_PARAM_ERROR);
    CHECK_EQ(rtas(r, 0, 0x1234, 1, 1, ARGS(0)), H_SUCCESS);
    CHECK_EQ(rtas(r, 0, PAPR_RTAS_TOKEN_BASE + papr_rtas_ncalls, 0, 1, NULL), H_SUCCESS);
    CHECK_EQ((int32_t)ret(r, 0), RTAS_OUT_PARAM_ERROR);
    CHECK_EQ(rtas(r, 0, PAPR_RTAS_TOKEN_BASE - 1, 0, 1, NULL), H_SUCCESS);
    CHECK_EQ((int32_t)ret(r, 0), RTAS_OUT_PARAM_ERROR);
    fflush(r->p.log_unimp);
    const char *first = strstr(unimp, "unknown RTAS token 0x1234\n");
    CHECK(first != NULL);
    CHECK(first && strstr(first + 1, "unknown RTAS token 0x1234\n") == NULL);

    /* Too few rets, too few args: -3; no rets at all: nothing written. */
    CHECK_EQ(rtas(r, 0, token("get-time-of-day"), 0, 7, NULL), H_SUCCESS);
    CHECK_EQ((int32_t)ret(r, 0), RTAS_OUT_PARAM_ERROR);
    CHECK_EQ(rtas(r, 0, token("start-cpu"), 2, 1, ARGS(1, 0)), H_SUCCESS);
    CHECK_EQ((int32_t)ret(r, 0), RTAS_OUT_PARAM_ERROR);
    put32(r, BUF + 16, 0x77777777);
    CHECK_EQ(rtas(r, 0, dc, 1, 0, ARGS('q')), H_SUCCESS);
    CHECK_EQ(get32(r, BUF + 16), 0x77777777);
    char out[16];
    test_chardev_output(r->vty_out, out, sizeof(out));
    CHECK(strcmp(out, "") == 0); /* refused calls did not print */

    fclose(r->p.log_unimp);
    free(unimp);
    rig_free(r);
}

/* ---- the calls ------------------------------------------------------------------- */

static void test_console_and_log(void)
{
    Rig *r = rig_new();
    char *logbuf = NULL, out[16];
    size_t loglen = 0;
    r->p.log = open_memstream(&logbuf, &loglen);
    CHECK_EQ(rtas(r, 1, token("display-character"), 1, 1, ARGS('h')), H_SUCCESS);
    CHECK_EQ(ret(r, 0), RTAS_OUT_SUCCESS);
    CHECK_EQ(rtas(r, 1, token("display-character"), 1, 1, ARGS(0x169)), H_SUCCESS);
    test_chardev_output(r->vty_out, out, sizeof(out));
    CHECK(strcmp(out, "hi") == 0);
    fflush(r->p.log);
    CHECK(strstr(logbuf, "rtas cpu 1 display-character(0x68) = 0\n") != NULL);
    fclose(r->p.log);
    free(logbuf);
    r->p.log = NULL;
    r->p.vty = NULL;
    CHECK_EQ(rtas(r, 1, token("display-character"), 1, 1, ARGS('h')), H_SUCCESS);
    CHECK_EQ(ret(r, 0), RTAS_OUT_SUCCESS);
    rig_free(r);
}

static void check_tod(Rig *r, uint32_t y, uint32_t mo, uint32_t d, uint32_t h, uint32_t mi,
                      uint32_t s, uint32_t ns)
{
    CHECK_EQ(rtas(r, 0, token("get-time-of-day"), 0, 8, NULL), H_SUCCESS);
    CHECK_EQ(ret(r, 0), RTAS_OUT_SUCCESS);
    CHECK_EQ(ret(r, 1), y);
    CHECK_EQ(ret(r, 2), mo);
    CHECK_EQ(ret(r, 3), d);
    CHECK_EQ(ret(r, 4), h);
    CHECK_EQ(ret(r, 5), mi);
    CHECK_EQ(ret(r, 6), s);
    CHECK_EQ(ret(r, 7), ns);
}

static void test_time_of_day(void)
{
    Rig *r = rig_new();
    /* rtc_base + virtual time, nothing from the host. */
    check_tod(r, 1970, 1, 1, 0, 0, 0, 0);
    r->p.rtc_base = 1700000000; /* 2023-11-14 22:13:20 UTC */
    r->clock.base = 2500000000ULL;
    check_tod(r, 2023, 11, 14, 22, 13, 22, 500000000);
    check_tod(r, 2023, 11, 14, 22, 13, 22, 500000000); /* the same inputs, the same answer */
    r->p.rtc_base = 1709208000; /* a leap day */
    r->clock.base = 0;
    check_tod(r, 2024, 2, 29, 12, 0, 0, 0);
    r->p.rtc_base = 4102444799ULL; /* 2099-12-31 23:59:59 */
    r->clock.offset = 1000000001;
    check_tod(r, 2100, 1, 1, 0, 0, 0, 1);
    r->p.clock = NULL;
    check_tod(r, 2099, 12, 31, 23, 59, 59, 0);
    r->p.clock = &r->clock;
    r->clock.offset = 0;

    /* set-time-of-day keeps an offset; time goes on from it. */
    r->p.rtc_base = 1700000000;
    r->clock.base = 5000000000ULL;
    CHECK_EQ(rtas(r, 0, token("set-time-of-day"), 7, 1, ARGS(2000, 1, 1, 0, 0, 0, 0)),
             H_SUCCESS);
    CHECK_EQ(ret(r, 0), RTAS_OUT_SUCCESS);
    check_tod(r, 2000, 1, 1, 0, 0, 0, 0);
    r->clock.base = 5000000000ULL + 61250000000ULL;
    check_tod(r, 2000, 1, 1, 0, 1, 1, 250000000);
    CHECK_EQ(r->p.rtc_offset, 946684800LL - 1700000005LL);
    /* Invalid dates leave it alone. */
    static const uint32_t bad[][7] = {
        { 2000, 13, 1, 0, 0, 0, 0 }, { 2000, 0, 1, 0, 0, 0, 0 },  { 2001, 2, 29, 0, 0, 0, 0 },
        { 2000, 1, 0, 0, 0, 0, 0 },  { 2000, 1, 1, 24, 0, 0, 0 }, { 2000, 1, 1, 0, 60, 0, 0 },
        { 2000, 1, 1, 0, 0, 60, 0 }, { 1969, 1, 1, 0, 0, 0, 0 },
        { 2000, 1, 1, 0, 0, 0, 1000000000 },
    };
    for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
        CHECK_EQ(rtas(r, 0, token("set-time-of-day"), 7, 1, bad[i]), H_SUCCESS);
        CHECK_EQ((int32_t)ret(r, 0), RTAS_OUT_PARAM_ERROR);
    }
    CHECK_EQ(rtas(r, 0, token("set-time-of-day"), 7, 1, ARGS(2000, 2, 29, 23, 59, 59, 5)),
             H_SUCCESS);
    CHECK_EQ(ret(r, 0), RTAS_OUT_SUCCESS);
    check_tod(r, 2000, 2, 29, 23, 59, 59, 250000000);
    papr_reset(&r->p);
    check_tod(r, 2023, 11, 14, 22, 14, 26, 250000000);
    rig_free(r);
}

static void test_power(void)
{
    Rig *r = rig_new();
    CHECK_EQ(rtas(r, 0, token("power-off"), 2, 1, ARGS(0xffffffff, 0xffffffff)), H_SUCCESS);
    CHECK_EQ(ret(r, 0), RTAS_OUT_SUCCESS);
    CHECK_EQ(r->sys.shutdowns, 1);
    CHECK_EQ(r->sys.status, 0);
    CHECK_EQ(rtas(r, 0, token("system-reboot"), 0, 1, NULL), H_SUCCESS);
    CHECK_EQ(r->sys.resets, 1);
    CHECK_EQ(r->sys.shutdowns, 1);
    CHECK_EQ(rtas(r, 0, token("hvemu,exit"), 1, 1, ARGS(3)), H_SUCCESS);
    CHECK_EQ(r->sys.shutdowns, 2);
    CHECK_EQ(r->sys.status, 3);
    CHECK_EQ(rtas(r, 0, token("hvemu,exit"), 1, 1, ARGS(0xffffffff)), H_SUCCESS);
    CHECK_EQ(r->sys.status, -1);
    CHECK_EQ(rtas(r, 0, token("hvemu,exit"), 0, 1, NULL), H_SUCCESS);
    CHECK_EQ((int32_t)ret(r, 0), RTAS_OUT_PARAM_ERROR);
    CHECK_EQ(r->sys.shutdowns, 3);

    /* ibm,os-term: status 1, the message logged. */
    char *logbuf = NULL;
    size_t loglen = 0;
    r->p.log = open_memstream(&logbuf, &loglen);
    memcpy(r->ram + 0x9000, "Kernel panic - not syncing", 27);
    CHECK_EQ(rtas(r, 0, token("ibm,os-term"), 1, 1, ARGS(0x9000)), H_SUCCESS);
    CHECK_EQ(r->sys.shutdowns, 4);
    CHECK_EQ(r->sys.status, 1);
    fflush(r->p.log);
    CHECK(strstr(logbuf, "ibm,os-term: Kernel panic - not syncing\n") != NULL);
    CHECK_EQ(rtas(r, 0, token("ibm,os-term"), 1, 1, ARGS(RAM_SIZE - 3)), H_SUCCESS);
    CHECK_EQ(r->sys.shutdowns, 5);
    fclose(r->p.log);
    free(logbuf);
    rig_free(r);
}

static void test_cpus(void)
{
    Rig *r = rig_new();
    uint32_t start = token("start-cpu"), query = token("query-cpu-stopped-state");
    r->cpu[1]->stopped = true;
    r->cpu[1]->waiting = true;
    r->cpu[1]->msr = MSR_EE | MSR_IR | MSR_DR;
    r->cpu[2]->stopped = true;
    r->cpu[2]->lpcr = LPCR_ILE;

    CHECK_EQ(rtas(r, 0, query, 1, 2, ARGS(1)), H_SUCCESS);
    CHECK_EQ(ret(r, 0), RTAS_OUT_SUCCESS);
    CHECK_EQ(ret(r, 1), RTAS_QCSS_STOPPED);
    CHECK_EQ(rtas(r, 0, query, 1, 2, ARGS(0)), H_SUCCESS);
    CHECK_EQ(ret(r, 1), RTAS_QCSS_NOT_STOPPED);
    CHECK_EQ(rtas(r, 0, query, 1, 2, ARGS(4)), H_SUCCESS);
    CHECK_EQ((int32_t)ret(r, 0), RTAS_OUT_PARAM_ERROR);

    /* start-cpu: nip, r3, MSR = SF | ME, running. */
    CHECK_EQ(rtas(r, 0, start, 3, 1, ARGS(1, 0x4000, 0x1234)), H_SUCCESS);
    CHECK_EQ(ret(r, 0), RTAS_OUT_SUCCESS);
    CHECK_EQ(r->cpu[1]->nip, 0x4000);
    CHECK_EQ(r->cpu[1]->gpr[3], 0x1234);
    CHECK_EQ(r->cpu[1]->msr, MSR_SF | MSR_ME);
    CHECK(!r->cpu[1]->stopped);
    CHECK(!r->cpu[1]->waiting);
    CHECK_EQ(rtas(r, 0, query, 1, 2, ARGS(1)), H_SUCCESS);
    CHECK_EQ(ret(r, 1), RTAS_QCSS_NOT_STOPPED);
    /* ... little-endian when LPCR[ILE] asks for it. */
    CHECK_EQ(rtas(r, 0, start, 3, 1, ARGS(2, 0x8000, 7)), H_SUCCESS);
    CHECK_EQ(r->cpu[2]->msr, MSR_SF | MSR_ME | MSR_LE);
    CHECK_EQ(r->cpu[2]->nip, 0x8000);
    /* Errors: a running CPU, no such CPU; neither is touched. */
    CHECK_EQ(rtas(r, 0, start, 3, 1, ARGS(1, 0x5000, 0)), H_SUCCESS);
    CHECK_EQ((int32_t)ret(r, 0), RTAS_OUT_HW_ERROR);
    CHECK_EQ(r->cpu[1]->nip, 0x4000);
    CHECK_EQ(rtas(r, 0, start, 3, 1, ARGS(7, 0x5000, 0)), H_SUCCESS);
    CHECK_EQ((int32_t)ret(r, 0), RTAS_OUT_PARAM_ERROR);

    /* stop-self, then started again. */
    CHECK_EQ(rtas(r, 3, token("stop-self"), 0, 1, NULL), H_SUCCESS);
    CHECK(r->cpu[3]->stopped);
    CHECK_EQ(rtas(r, 0, query, 1, 2, ARGS(3)), H_SUCCESS);
    CHECK_EQ(ret(r, 1), RTAS_QCSS_STOPPED);
    CHECK_EQ(rtas(r, 0, start, 3, 1, ARGS(3, 0x100, 0)), H_SUCCESS);
    CHECK_EQ(ret(r, 0), RTAS_OUT_SUCCESS);
    CHECK(!r->cpu[3]->stopped);

    /* A thread stopped by H_JOIN is not in the RTAS stopped state. */
    r->cpu[3]->gpr[3] = H_JOIN;
    r->cpu[3]->msr &= ~MSR_EE;
    papr_hcall(&r->p, r->cpu[3]);
    CHECK_EQ(r->cpu[3]->gpr[3], H_SUCCESS);
    CHECK(r->cpu[3]->stopped);
    CHECK_EQ(rtas(r, 0, query, 1, 2, ARGS(3)), H_SUCCESS);
    CHECK_EQ(ret(r, 1), RTAS_QCSS_NOT_STOPPED);
    CHECK_EQ(rtas(r, 0, start, 3, 1, ARGS(3, 0x100, 0)), H_SUCCESS);
    CHECK_EQ((int32_t)ret(r, 0), RTAS_OUT_HW_ERROR);
    rig_free(r);
}

static void test_xics_calls(void)
{
    Rig *r = rig_new();
    uint32_t set = token("ibm,set-xive"), get = token("ibm,get-xive");
    CHECK_EQ(rtas(r, 0, set, 3, 1, ARGS(IRQ(5), 2, 5)), H_SUCCESS);
    CHECK_EQ(ret(r, 0), RTAS_OUT_SUCCESS);
    CHECK_EQ(rtas(r, 0, get, 1, 3, ARGS(IRQ(5))), H_SUCCESS);
    CHECK_EQ(ret(r, 0), RTAS_OUT_SUCCESS);
    CHECK_EQ(ret(r, 1), 2);
    CHECK_EQ(ret(r, 2), 5);
    CHECK_EQ(rtas(r, 0, set, 3, 1, ARGS(IRQ(16), 0, 5)), H_SUCCESS);
    CHECK_EQ((int32_t)ret(r, 0), RTAS_OUT_PARAM_ERROR);
    CHECK_EQ(rtas(r, 0, set, 3, 1, ARGS(IRQ(5), 4, 5)), H_SUCCESS);
    CHECK_EQ((int32_t)ret(r, 0), RTAS_OUT_PARAM_ERROR);
    CHECK_EQ(rtas(r, 0, get, 1, 3, ARGS(3)), H_SUCCESS);
    CHECK_EQ((int32_t)ret(r, 0), RTAS_OUT_PARAM_ERROR);

    /* Routed to server 2; int-off masks, int-on presents again. */
    xics_set_cppr(&r->xics, 2, 0xff);
    CHECK_EQ(rtas(r, 0, token("ibm,int-off"), 1, 1, ARGS(IRQ(5))), H_SUCCESS);
    CHECK_EQ(ret(r, 0), RTAS_OUT_SUCCESS);
    CHECK_EQ(rtas(r, 0, get, 1, 3, ARGS(IRQ(5))), H_SUCCESS);
    CHECK_EQ(ret(r, 2), XICS_PRIO_MASKED);
    xics_set_irq(&r->xics, IRQ(5), true);
    CHECK(!r->ext.level[2]);
    CHECK_EQ(rtas(r, 0, token("ibm,int-on"), 1, 1, ARGS(IRQ(5))), H_SUCCESS);
    CHECK_EQ(ret(r, 0), RTAS_OUT_SUCCESS);
    CHECK(r->ext.level[2]);
    CHECK_EQ(rtas(r, 0, get, 1, 3, ARGS(IRQ(5))), H_SUCCESS);
    CHECK_EQ(ret(r, 2), 5);
    CHECK_EQ(rtas(r, 0, token("ibm,int-on"), 1, 1, ARGS(IRQ(99))), H_SUCCESS);
    CHECK_EQ((int32_t)ret(r, 0), RTAS_OUT_PARAM_ERROR);
    CHECK_EQ(rtas(r, 0, token("ibm,int-off"), 1, 1, ARGS(IRQ(99))), H_SUCCESS);
    CHECK_EQ((int32_t)ret(r, 0), RTAS_OUT_PARAM_ERROR);

    r->p.xics = NULL;
    CHECK_EQ(rtas(r, 0, set, 3, 1, ARGS(IRQ(5), 2, 5)), H_SUCCESS);
    CHECK_EQ((int32_t)ret(r, 0), RTAS_OUT_HW_ERROR);
    CHECK_EQ(rtas(r, 0, get, 1, 3, ARGS(IRQ(5))), H_SUCCESS);
    CHECK_EQ((int32_t)ret(r, 0), RTAS_OUT_HW_ERROR);
    rig_free(r);
}

static void test_quiet_calls(void)
{
    Rig *r = rig_new();
    CHECK_EQ(rtas(r, 0, token("event-scan"), 4, 1, ARGS(0xffffffff, 0, 0x9000, 2048)), H_SUCCESS);
    CHECK_EQ(ret(r, 0), RTAS_OUT_NO_ERRORS_FOUND);
    CHECK_EQ(rtas(r, 0, token("check-exception"), 6, 1, ARGS(0x500, 0, 0, 0, 0x9000, 2048)),
             H_SUCCESS);
    CHECK_EQ(ret(r, 0), RTAS_OUT_NO_ERRORS_FOUND);
    CHECK_EQ(rtas(r, 0, token("check-exception"), 7, 1, ARGS(0x500, 0, 0, 0, 0x9000, 2048, 0)),
             H_SUCCESS);
    CHECK_EQ(ret(r, 0), RTAS_OUT_NO_ERRORS_FOUND);
    CHECK_EQ(rtas(r, 0, token("check-exception"), 5, 1, ARGS(0x500, 0, 0, 0, 0x9000)), H_SUCCESS);
    CHECK_EQ((int32_t)ret(r, 0), RTAS_OUT_PARAM_ERROR);
    CHECK_EQ(rtas(r, 0, token("ibm,nmi-register"), 2, 1, ARGS(0x100, 0x200)), H_SUCCESS);
    CHECK_EQ(ret(r, 0), RTAS_OUT_SUCCESS);
    CHECK_EQ(rtas(r, 0, token("ibm,get-system-parameter"), 3, 1, ARGS(20, 0x9000, 1024)),
             H_SUCCESS);
    CHECK_EQ((int32_t)ret(r, 0), RTAS_OUT_NOT_SUPPORTED);
    CHECK_EQ(rtas(r, 0, token("ibm,set-system-parameter"), 2, 1, ARGS(20, 0x9000)), H_SUCCESS);
    CHECK_EQ((int32_t)ret(r, 0), RTAS_OUT_NOT_SUPPORTED);
    CHECK_EQ(rtas(r, 0, token("rtas-last-error"), 2, 1, ARGS(0x9000, 1024)), H_SUCCESS);
    CHECK_EQ((int32_t)ret(r, 0), RTAS_OUT_NOT_SUPPORTED);
    CHECK_EQ(r->sys.shutdowns + r->sys.resets, 0);
    rig_free(r);
}

/* ---- PCI configuration space ------------------------------------------------------- */

#define FAKE_BUID 0x0800000020000000ULL
#define FAKE_DEVFN 0x08

/* A host bridge with one function: 256 bytes at devfn 8 of bus 0 under FAKE_BUID (and
 * under BUID 0 for the calls without one). */
typedef struct FakePhb {
    uint8_t cfg[256];
    unsigned calls;
    uint64_t buid;
    unsigned reg, size;
} FakePhb;

static bool fake_find(FakePhb *f, uint64_t buid, unsigned bus, unsigned devfn, unsigned reg,
                      unsigned size)
{
    f->calls++;
    f->buid = buid;
    f->reg = reg;
    f->size = size;
    return (buid == FAKE_BUID || buid == 0) && bus == 0 && devfn == FAKE_DEVFN && reg < 256;
}

static bool fake_read(void *opaque, uint64_t buid, unsigned bus, unsigned devfn, unsigned reg,
                      unsigned size, uint32_t *val)
{
    FakePhb *f = opaque;
    if (!fake_find(f, buid, bus, devfn, reg, size))
        return false;
    *val = 0;
    for (unsigned i = 0; i < size; i++)
        *val |= (uint32_t)f->cfg[reg + i] << (8 * i);
    return true;
}

static bool fake_write(void *opaque, uint64_t buid, unsigned bus, unsigned devfn, unsigned reg,
                       unsigned size, uint32_t val)
{
    FakePhb *f = opaque;
    if (!fake_find(f, buid, bus, devfn, reg, size))
        return false;
    for (unsigned i = 0; i < size; i++)
        f->cfg[reg + i] = (uint8_t)(val >> (8 * i));
    return true;
}

static void test_pci_config(void)
{
    Rig *r = rig_new();
    FakePhb f = { .cfg = { 0xf4, 0x1a, 0x42, 0x10 } };
    uint32_t rd = token("ibm,read-pci-config"), wr = token("ibm,write-pci-config");
    uint32_t hi = (uint32_t)(FAKE_BUID >> 32), lo = (uint32_t)FAKE_BUID;
    uint32_t dev = FAKE_DEVFN << 8;
    /* No PCI in the machine: a hardware error and all ones. */
    CHECK_EQ(rtas(r, 0, rd, 4, 2, ARGS(dev, hi, lo, 4)), H_SUCCESS);
    CHECK_EQ((int32_t)ret(r, 0), RTAS_OUT_HW_ERROR);
    CHECK_EQ(ret(r, 1), 0xffffffff);
    r->p.pci_config_read = fake_read;
    r->p.pci_config_write = fake_write;
    r->p.pci_opaque = &f;
    CHECK_EQ(rtas(r, 0, rd, 4, 2, ARGS(dev, hi, lo, 4)), H_SUCCESS);
    CHECK_EQ(ret(r, 0), RTAS_OUT_SUCCESS);
    CHECK_EQ(ret(r, 1), 0x10421af4);
    CHECK_EQ(f.buid, FAKE_BUID);
    CHECK_EQ(rtas(r, 0, rd, 4, 2, ARGS(dev | 2, hi, lo, 2)), H_SUCCESS);
    CHECK_EQ(ret(r, 1), 0x1042);
    /* The top nibble holds register bits 8-11. */
    CHECK_EQ(rtas(r, 0, rd, 4, 2, ARGS(0x10000000 | dev | 0x04, hi, lo, 4)), H_SUCCESS);
    CHECK_EQ(f.reg, 0x104);
    CHECK_EQ((int32_t)ret(r, 0), RTAS_OUT_HW_ERROR); /* past the fake's 256 bytes */
    /* Writes, then the two-argument calls (BUID 0). */
    CHECK_EQ(rtas(r, 0, wr, 5, 1, ARGS(dev | 0x3c, hi, lo, 1, 0x1234)), H_SUCCESS);
    CHECK_EQ(ret(r, 0), RTAS_OUT_SUCCESS);
    CHECK_EQ(f.cfg[0x3c], 0x34);
    CHECK_EQ(f.cfg[0x3d], 0);
    CHECK_EQ(rtas(r, 0, token("write-pci-config"), 3, 1, ARGS(dev | 0x40, 4, 0xa1b2c3d4)),
             H_SUCCESS);
    CHECK_EQ(ret(r, 0), RTAS_OUT_SUCCESS);
    CHECK_EQ(f.buid, 0);
    CHECK_EQ(rtas(r, 0, token("read-pci-config"), 2, 2, ARGS(dev | 0x40, 4)), H_SUCCESS);
    CHECK_EQ(ret(r, 1), 0xa1b2c3d4);
    /* Bad sizes and misaligned registers never reach the machine. */
    unsigned calls = f.calls;
    static const uint32_t bad[][2] = { { 0x40, 3 }, { 0x41, 2 }, { 0x42, 4 }, { 0x40, 0 },
                                       { 0x40, 8 }, { 0x40, 0xffffffff } };
    for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
        CHECK_EQ(rtas(r, 0, rd, 4, 2, ARGS(dev | bad[i][0], hi, lo, bad[i][1])), H_SUCCESS);
        CHECK_EQ((int32_t)ret(r, 0), RTAS_OUT_HW_ERROR);
        CHECK_EQ(ret(r, 1), 0xffffffff);
        CHECK_EQ(rtas(r, 0, wr, 5, 1, ARGS(dev | bad[i][0], hi, lo, bad[i][1], 0)), H_SUCCESS);
        CHECK_EQ((int32_t)ret(r, 0), RTAS_OUT_HW_ERROR);
    }
    CHECK_EQ(f.calls, calls);
    /* Another device, another BUID: the machine says no. */
    CHECK_EQ(rtas(r, 0, rd, 4, 2, ARGS(0x1000, hi, lo, 4)), H_SUCCESS);
    CHECK_EQ((int32_t)ret(r, 0), RTAS_OUT_HW_ERROR);
    CHECK_EQ(rtas(r, 0, rd, 4, 2, ARGS(dev, hi, lo + 1, 4)), H_SUCCESS);
    CHECK_EQ((int32_t)ret(r, 0), RTAS_OUT_HW_ERROR);
    /* Wrong counts are parameter errors. */
    CHECK_EQ(rtas(r, 0, rd, 3, 2, ARGS(dev, hi, lo)), H_SUCCESS);
    CHECK_EQ((int32_t)ret(r, 0), RTAS_OUT_PARAM_ERROR);
    CHECK_EQ(rtas(r, 0, rd, 4, 1, ARGS(dev, hi, lo, 4)), H_SUCCESS);
    CHECK_EQ((int32_t)ret(r, 0), RTAS_OUT_PARAM_ERROR);
    rig_free(r);
}

int main(void)
{
    test_table();
    test_blob();
    test_buffer();
    test_console_and_log();
    test_time_of_day();
    test_power();
    test_cpus();
    test_xics_calls();
    test_quiet_calls();
    test_pci_config();
    return unit_summary("test_rtas");
}
