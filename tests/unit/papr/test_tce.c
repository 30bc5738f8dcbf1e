/* tests/unit/papr/test_tce.c: the TCE tables of hypervisor/papr/papr_tce.c (LoPAR
 * "hcall-tce", "hcall-multi-tce"), through the hcall dispatcher as `sc 1` reaches them,
 * on a partition of 2 MiB of RAM with one window of 1 MiB at bus address 0 and one of
 * 64 KiB at 0x80000000. Checked: table set-up rules, H_PUT_TCE / H_GET_TCE round trips,
 * the window bounds of every call, TCEs that grant access to pages outside RAM,
 * H_STUFF_TCE over a range, H_PUT_TCE_INDIRECT with its list rules (at most 512 entries,
 * a 4 KiB-aligned list in RAM, all or nothing), translation of a bus address by
 * permission, and reset. */
#include <stdarg.h>

#include "hypervisor/papr/papr.h"
#include "tests/unit/devices/dev_test.h"

#define RAM_SIZE (2 * MiB)
#define LIOBN 0x80000000u
#define LIOBN2 0x80000001u
#define WIN2 0x80000000ULL
#define LIST 0x10000ULL

typedef struct Rig {
    Bus bus;
    VClock clock;
    uint8_t *ram;
    PpcCpu *cpu;
    Papr p;
} Rig;

static Rig *rig_new(void)
{
    Rig *r = calloc(1, sizeof(*r));
    r->ram = calloc(1, RAM_SIZE);
    r->bus = (Bus){ .clock = &r->clock };
    bus_map_ram(&r->bus, "ram", 0, RAM_SIZE, r->ram);
    r->cpu = calloc(1, sizeof(PpcCpu));
    r->cpu->msr = MSR_SF | MSR_ME;
    if (!papr_hpt_init(&r->p.hpt, 18, RAM_SIZE, NULL)) {
        fprintf(stderr, "test_tce: cannot build the machine\n");
        exit(2);
    }
    r->p.bus = &r->bus;
    r->p.cpus = &r->cpu;
    r->p.ncpus = 1;
    r->p.clock = &r->clock;
    if (!papr_init(&r->p) || !papr_tce_add(&r->p, LIOBN, 0, 1 * MiB) ||
        !papr_tce_add(&r->p, LIOBN2, WIN2, 64 * KiB)) {
        fprintf(stderr, "test_tce: papr set-up failed\n");
        exit(2);
    }
    return r;
}

static void rig_free(Rig *r)
{
    papr_tce_free(&r->p);
    papr_hpt_free(&r->p.hpt);
    free(r->cpu);
    free(r->ram);
    free(r);
}

static int64_t hc(Rig *r, uint64_t op, unsigned n_args, ...)
{
    va_list ap;
    va_start(ap, n_args);
    r->cpu->gpr[3] = op;
    for (unsigned i = 0; i < n_args; i++)
        r->cpu->gpr[4 + i] = va_arg(ap, uint64_t);
    va_end(ap);
    papr_hcall(&r->p, r->cpu);
    return (int64_t)r->cpu->gpr[3];
}

#define U(x) ((uint64_t)(x))

static uint64_t get_tce(Rig *r, uint32_t liobn, uint64_t ioba)
{
    CHECK_EQ(hc(r, H_GET_TCE, 2, U(liobn), ioba), H_SUCCESS);
    return r->cpu->gpr[4];
}

static void test_setup(void)
{
    Rig *r = rig_new();
    CHECK_EQ(H_GET_TCE, 0x1c);
    CHECK_EQ(H_PUT_TCE, 0x20);
    CHECK_EQ(H_PUT_TCE_INDIRECT, 0x13c);
    CHECK_EQ(H_STUFF_TCE, 0x138);
    CHECK(strcmp(papr_hcall_find(H_PUT_TCE)->set, "hcall-tce") == 0);
    CHECK(strcmp(papr_hcall_find(H_STUFF_TCE)->set, "hcall-multi-tce") == 0);
    CHECK(!papr_tce_add(&r->p, 0, 0, 4096));                 /* LIOBN 0 */
    CHECK(!papr_tce_add(&r->p, LIOBN, 0x100000, 4096));      /* taken */
    CHECK(!papr_tce_add(&r->p, 7, 0x800, 4096));             /* unaligned */
    CHECK(!papr_tce_add(&r->p, 7, 0, 0x1800));
    CHECK(!papr_tce_add(&r->p, 7, 0, 0));
    CHECK(!papr_tce_add(&r->p, 7, UINT64_MAX & ~0xfffULL, 0x2000)); /* wraps */
    CHECK(papr_tce_add(&r->p, 7, 0, 4096));
    CHECK(papr_tce_add(&r->p, 8, 0, 4096));
    CHECK(!papr_tce_add(&r->p, 9, 0, 4096));                 /* no free slot */
    rig_free(r);
}

static void test_put_get(void)
{
    Rig *r = rig_new();
    uint64_t tce = 0x5000 | PAPR_TCE_READ | PAPR_TCE_WRITE;
    CHECK_EQ(get_tce(r, LIOBN, 0x3000), 0);
    CHECK_EQ(hc(r, H_PUT_TCE, 3, U(LIOBN), U(0x3000), tce), H_SUCCESS);
    CHECK_EQ(get_tce(r, LIOBN, 0x3000), tce);
    CHECK_EQ(get_tce(r, LIOBN, 0x3fff), tce); /* the page's low bits are ignored */
    CHECK_EQ(get_tce(r, LIOBN, 0x4000), 0);
    /* Bounds: the last page, one past, below the second window, an unknown LIOBN. */
    CHECK_EQ(hc(r, H_PUT_TCE, 3, U(LIOBN), U(1 * MiB - 4096), tce), H_SUCCESS);
    CHECK_EQ(hc(r, H_PUT_TCE, 3, U(LIOBN), U(1 * MiB), tce), H_PARAMETER);
    CHECK_EQ(hc(r, H_GET_TCE, 2, U(LIOBN), U(1 * MiB)), H_PARAMETER);
    CHECK_EQ(hc(r, H_PUT_TCE, 3, U(LIOBN2), WIN2 - 4096, tce), H_PARAMETER);
    CHECK_EQ(hc(r, H_PUT_TCE, 3, U(LIOBN2), WIN2, tce), H_SUCCESS);
    CHECK_EQ(hc(r, H_PUT_TCE, 3, U(0x1234), U(0), tce), H_PARAMETER);
    CHECK_EQ(hc(r, H_PUT_TCE, 3, U(0), U(0), tce), H_PARAMETER);
    CHECK_EQ(hc(r, H_GET_TCE, 2, UINT64_MAX, UINT64_MAX), H_PARAMETER);
    /* A TCE granting access must name a page of RAM; an invalid one may name anything. */
    CHECK_EQ(hc(r, H_PUT_TCE, 3, U(LIOBN), U(0), U(RAM_SIZE | PAPR_TCE_READ)), H_PARAMETER);
    CHECK_EQ(hc(r, H_PUT_TCE, 3, U(LIOBN), U(0), U(~0xfffULL | PAPR_TCE_WRITE)), H_PARAMETER);
    CHECK_EQ(hc(r, H_PUT_TCE, 3, U(LIOBN), U(0), U((RAM_SIZE - 4096) | PAPR_TCE_READ)),
             H_SUCCESS);
    CHECK_EQ(hc(r, H_PUT_TCE, 3, U(LIOBN), U(0), U(0xdead0000)), H_SUCCESS);
    rig_free(r);
}

static void test_stuff(void)
{
    Rig *r = rig_new();
    uint64_t tce = 0x7000 | PAPR_TCE_READ;
    CHECK_EQ(hc(r, H_STUFF_TCE, 4, U(LIOBN), U(0x10000), tce, U(16)), H_SUCCESS);
    CHECK_EQ(get_tce(r, LIOBN, 0xf000), 0);
    CHECK_EQ(get_tce(r, LIOBN, 0x10000), tce);
    CHECK_EQ(get_tce(r, LIOBN, 0x1f000), tce);
    CHECK_EQ(get_tce(r, LIOBN, 0x20000), 0);
    /* The whole window (Linux clears it at boot), zero pages, past the end. */
    CHECK_EQ(hc(r, H_STUFF_TCE, 4, U(LIOBN), U(0), U(0), U(256)), H_SUCCESS);
    CHECK_EQ(get_tce(r, LIOBN, 0x10000), 0);
    CHECK_EQ(hc(r, H_STUFF_TCE, 4, U(LIOBN), U(0), tce, U(0)), H_SUCCESS);
    CHECK_EQ(hc(r, H_STUFF_TCE, 4, U(LIOBN), U(0x1000), tce, U(256)), H_PARAMETER);
    CHECK_EQ(hc(r, H_STUFF_TCE, 4, U(LIOBN), U(0), tce, UINT64_MAX), H_PARAMETER);
    CHECK_EQ(get_tce(r, LIOBN, 0x1000), 0); /* nothing stored */
    CHECK_EQ(hc(r, H_STUFF_TCE, 4, U(LIOBN), U(0), U(RAM_SIZE | PAPR_TCE_WRITE), U(1)),
             H_PARAMETER);
    rig_free(r);
}

static void put_list(Rig *r, unsigned k, uint64_t tce)
{
    st_be(r->ram + LIST + 8 * k, 8, tce);
}

static void test_indirect(void)
{
    Rig *r = rig_new();
    for (unsigned k = 0; k < 512; k++)
        put_list(r, k, (uint64_t)k << 12 | PAPR_TCE_READ);
    CHECK_EQ(hc(r, H_PUT_TCE_INDIRECT, 4, U(LIOBN), U(0x8000), U(LIST), U(3)), H_SUCCESS);
    CHECK_EQ(get_tce(r, LIOBN, 0x8000), PAPR_TCE_READ);
    CHECK_EQ(get_tce(r, LIOBN, 0xa000), 0x2000 | PAPR_TCE_READ);
    CHECK_EQ(get_tce(r, LIOBN, 0xb000), 0);
    CHECK_EQ(hc(r, H_PUT_TCE_INDIRECT, 4, U(LIOBN), U(0), U(LIST), U(256)), H_SUCCESS);
    CHECK_EQ(get_tce(r, LIOBN, 0xff000), 0xff000 | PAPR_TCE_READ);
    /* The list rules: at most 512, aligned, in RAM, within the window. */
    CHECK_EQ(hc(r, H_PUT_TCE_INDIRECT, 4, U(LIOBN), U(0), U(LIST), U(513)), H_PARAMETER);
    CHECK_EQ(hc(r, H_PUT_TCE_INDIRECT, 4, U(LIOBN), U(0), U(LIST + 8), U(1)), H_PARAMETER);
    CHECK_EQ(hc(r, H_PUT_TCE_INDIRECT, 4, U(LIOBN), U(0), U(RAM_SIZE), U(1)), H_PARAMETER);
    CHECK_EQ(hc(r, H_PUT_TCE_INDIRECT, 4, U(LIOBN), U(0), U(RAM_SIZE - 4096), U(512)),
             H_PARAMETER);
    CHECK_EQ(hc(r, H_PUT_TCE_INDIRECT, 4, U(LIOBN), U(1 * MiB - 4096), U(LIST), U(2)),
             H_PARAMETER);
    CHECK_EQ(hc(r, H_PUT_TCE_INDIRECT, 4, U(LIOBN2), U(0), U(LIST), U(1)), H_PARAMETER);
    /* One bad TCE: nothing is stored. */
    put_list(r, 0, 0x9000 | PAPR_TCE_WRITE);
    put_list(r, 1, RAM_SIZE | PAPR_TCE_WRITE);
    CHECK_EQ(hc(r, H_PUT_TCE_INDIRECT, 4, U(LIOBN), U(0), U(LIST), U(2)), H_PARAMETER);
    CHECK_EQ(get_tce(r, LIOBN, 0), PAPR_TCE_READ);
    rig_free(r);
}

static void test_translate_reset(void)
{
    Rig *r = rig_new();
    uint64_t ra = 0;
    CHECK_EQ(hc(r, H_PUT_TCE, 3, U(LIOBN2), WIN2 + 0x1000, U(0x42000 | PAPR_TCE_READ)),
             H_SUCCESS);
    CHECK(papr_tce_translate(&r->p, LIOBN2, WIN2 + 0x1010, 16, false, &ra));
    CHECK_EQ(ra, 0x42010);
    CHECK(!papr_tce_translate(&r->p, LIOBN2, WIN2 + 0x1010, 16, true, &ra)); /* read-only */
    CHECK(!papr_tce_translate(&r->p, LIOBN2, WIN2 + 0x1ff0, 32, false, &ra)); /* crosses */
    CHECK(!papr_tce_translate(&r->p, LIOBN2, WIN2 + 0x2000, 1, false, &ra)); /* invalid */
    CHECK(!papr_tce_translate(&r->p, LIOBN2, WIN2 - 1, 1, false, &ra));
    CHECK(!papr_tce_translate(&r->p, 99, WIN2 + 0x1000, 1, false, &ra));
    papr_reset(&r->p);
    CHECK(!papr_tce_translate(&r->p, LIOBN2, WIN2 + 0x1010, 16, false, &ra));
    CHECK_EQ(get_tce(r, LIOBN2, WIN2 + 0x1000), 0);
    rig_free(r);
}

int main(void)
{
    test_setup();
    test_put_get();
    test_stuff();
    test_indirect();
    test_translate_reset();
    return unit_summary("test_tce");
}
