/* tests/unit/papr/test_htab.c: the HTAB stream of hypervisor/papr/papr_htab.c (the format
 * of KVM_PPC_GET_HTAB_FD, Linux KVM api.txt 4.78; headers big-endian in hvemu). Covered,
 * with exact bytes: the first pass over all and over bolted entries, run lengths of
 * invalid entries including runs longer than 16 bits, incremental passes after
 * modifications, the empty read, reads into small buffers and from a start index; writes:
 * a round trip into an empty table and an incremental one giving identical tables,
 * replacement and invalidation of existing entries, and the rejection of truncated and
 * corrupt streams without any change to the table; and a snapshot's HTAB section
 * (papr_htab_save) decoded without a table (papr_htab_scan) and loaded into an empty one,
 * then an incremental one over it. */
#include <stdlib.h>

#include "cpu/common/state.h"
#include "hypervisor/papr/papr_htab.h"
#include "tests/unit/unit.h"

#define RAM_SIZE 0x10000000ULL
#define N_HPTES 16384u

#define V4K(ava) (((uint64_t)(ava) << HPTE64_V_AVPN_SHIFT) | HPTE64_V_VALID)
#define R4K(ra) ((uint64_t)(ra) | HPTE64_R_M | 2)

static void count_changed(void *opaque, uint64_t ptex, uint64_t v, uint64_t r)
{
    unsigned *n = opaque;
    (*n)++;
}

/* A table of 2^order bytes; *calls counts hpte_changed. */
static void hpt_new(PaprHpt *h, unsigned order, unsigned *calls)
{
    PaprHptHooks hooks = { .hpte_changed = count_changed, .opaque = calls };
    if (!papr_hpt_init(h, order, RAM_SIZE, &hooks)) {
        fprintf(stderr, "test_htab: papr_hpt_init failed\n");
        exit(2);
    }
}

static void enter(PaprHpt *h, uint64_t ptex, uint64_t v, uint64_t r)
{
    uint64_t slot;
    if (papr_h_enter(h, H_EXACT, ptex, v, r, &slot) != H_SUCCESS) {
        fprintf(stderr, "test_htab: H_ENTER at %#llx failed\n", (unsigned long long)ptex);
        exit(2);
    }
}

static void clear_all_modified(PaprHpt *h)
{
    for (uint64_t k = 0; k < h->n_hptes; k++)
        papr_hpt_clear_modified(h, k);
}

/* The sample table: valid 0, 1, 2; bolted 10; valid (secondary, 64K page, R/C) 16383. */
static void populate(PaprHpt *h)
{
    enter(h, 0, V4K(0x100), R4K(0x1000));
    enter(h, 1, V4K(0x101), R4K(0x2000) | HPTE64_R_R);
    enter(h, 2, V4K(0x102) | 1ULL << 62, R4K(0x3000));
    enter(h, 10, V4K(0x10a) | HPTE64_V_BOLTED, R4K(0x4000));
    enter(h, N_HPTES - 1, V4K(0x1ff) | HPTE64_V_LARGE | HPTE64_V_SECONDARY,
          R4K(0x50000 | 0x1000) | HPTE64_R_R | HPTE64_R_C);
    clear_all_modified(h);
}

static uint64_t be(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned k = 0; k < n; k++)
        v = v << 8 | p[k];
    return v;
}

/* Check the header at p and return the byte after the record. */
static const uint8_t *expect_record(const uint8_t *p, uint32_t index, uint16_t n_valid,
                                    uint16_t n_invalid, int line)
{
    if (be(p, 4) != index || be(p + 4, 2) != n_valid || be(p + 6, 2) != n_invalid) {
        fprintf(stderr, "%s:%d: record {%llu, %llu, %llu}, expected {%u, %u, %u}\n", __FILE__,
                line, (unsigned long long)be(p, 4), (unsigned long long)be(p + 4, 2),
                (unsigned long long)be(p + 6, 2), index, n_valid, n_invalid);
        unit_fail();
    } else {
        unit_pass();
    }
    return p + PAPR_HTAB_HEADER_SIZE + (size_t)n_valid * HPTE64_SIZE;
}
#define RECORD(p, i, v, n) ((p) = expect_record((p), (i), (v), (n), __LINE__))

static void test_first_pass_all(void)
{
    unsigned calls = 0;
    PaprHpt h;
    hpt_new(&h, 18, &calls);
    populate(&h);
    PaprHtabReader rd;
    papr_htab_reader_init(&rd, 0, 0);
    uint8_t buf[4096];
    int64_t n = papr_htab_read(&h, &rd, buf, sizeof(buf));
    CHECK_EQ(n, 3 * 8 + 5 * 16);
    /* The header and the first HPTE, byte for byte. */
    static const uint8_t head[24] = { 0, 0, 0, 0, 0, 3, 0, 7,
                                      0, 0, 0, 0, 0, 0, 0x80, 0x01, 0, 0, 0, 0, 0, 0, 0x10, 0x12 };
    CHECK_MEM(buf, head, sizeof(head));
    const uint8_t *p = buf;
    RECORD(p, 0, 3, 7);
    RECORD(p, 10, 1, N_HPTES - 12);
    const uint8_t *last = p + PAPR_HTAB_HEADER_SIZE;
    RECORD(p, N_HPTES - 1, 1, 0);
    CHECK_EQ(p - buf, n);
    CHECK_EQ(be(last, 8), V4K(0x1ff) | HPTE64_V_LARGE | HPTE64_V_SECONDARY);
    CHECK_EQ(be(last + 8, 8), R4K(0x51000) | HPTE64_R_R | HPTE64_R_C);
    /* The pass is over: the reader wrapped, and nothing has changed since. */
    CHECK(!rd.first_pass);
    CHECK_EQ(rd.index, 0);
    CHECK_EQ(papr_htab_read(&h, &rd, buf, sizeof(buf)), 0);
    CHECK_EQ(papr_htab_read(&h, &rd, buf, sizeof(buf)), 0);
    CHECK_EQ(papr_htab_read(&h, &rd, buf, PAPR_HTAB_MIN_READ - 1), -1);
    papr_hpt_free(&h);
}

static void test_first_pass_bolted(void)
{
    unsigned calls = 0;
    PaprHpt h;
    hpt_new(&h, 18, &calls);
    populate(&h);
    PaprHtabReader rd;
    papr_htab_reader_init(&rd, 0, PAPR_HTAB_BOLTED_ONLY);
    uint8_t buf[4096];
    int64_t n = papr_htab_read(&h, &rd, buf, sizeof(buf));
    CHECK_EQ(n, 2 * 8 + 16);
    const uint8_t *p = buf;
    /* Valid entries that are not bolted count as invalid. */
    RECORD(p, 0, 0, 10);
    CHECK_EQ(be(p + 8, 8), V4K(0x10a) | HPTE64_V_BOLTED);
    RECORD(p, 10, 1, N_HPTES - 11);
    papr_hpt_free(&h);
}

static void test_long_invalid_runs(void)
{
    unsigned calls = 0;
    PaprHpt h;
    hpt_new(&h, 21, &calls); /* 131072 HPTEs, all invalid */
    PaprHtabReader rd;
    papr_htab_reader_init(&rd, 0, 0);
    uint8_t buf[256];
    CHECK_EQ(papr_htab_read(&h, &rd, buf, sizeof(buf)), 3 * 8);
    const uint8_t *p = buf;
    RECORD(p, 0, 0, 65535);
    RECORD(p, 65535, 0, 65535);
    RECORD(p, 131070, 0, 2);
    papr_hpt_free(&h);
}

static void test_incremental(void)
{
    unsigned calls = 0;
    PaprHpt h;
    hpt_new(&h, 18, &calls);
    populate(&h);
    PaprHtabReader rd;
    papr_htab_reader_init(&rd, 0, 0);
    uint8_t buf[4096];
    CHECK_EQ(papr_htab_read(&h, &rd, buf, sizeof(buf)), 104);
    /* Remove 1, protect 10, enter 20. */
    Hash64Hpte old;
    CHECK_EQ(papr_h_remove(&h, 0, 1, 0, &old), H_SUCCESS);
    CHECK_EQ(papr_h_protect(&h, 3, 10, 0), H_SUCCESS);
    enter(&h, 20, V4K(0x114), R4K(0x8000));
    int64_t n = papr_htab_read(&h, &rd, buf, sizeof(buf));
    CHECK_EQ(n, 3 * 8 + 2 * 16);
    const uint8_t *p = buf;
    RECORD(p, 1, 0, 1);
    CHECK_EQ(be(p + 8 + 8, 8), R4K(0x4000) | 1); /* pp now 11 */
    RECORD(p, 10, 1, 0);
    CHECK_EQ(be(p + 8, 8), V4K(0x114));
    RECORD(p, 20, 1, 0);
    CHECK_EQ(papr_htab_read(&h, &rd, buf, sizeof(buf)), 0);
    /* Modified entries next to each other make one record: valid run, then invalid run. */
    enter(&h, 30, V4K(0x11e), R4K(0x9000));
    enter(&h, 31, V4K(0x11f), R4K(0xa000));
    CHECK_EQ(papr_h_remove(&h, 0, 2, 0, &old), H_SUCCESS);
    CHECK_EQ(papr_h_remove(&h, 0, 31, 0, &old), H_SUCCESS);
    n = papr_htab_read(&h, &rd, buf, sizeof(buf));
    CHECK_EQ(n, 2 * 8 + 16);
    p = buf;
    RECORD(p, 2, 0, 1);
    RECORD(p, 30, 1, 1);
    /* A bolted-only reader sends a modified non-bolted entry as invalid. */
    PaprHtabReader bolted;
    papr_htab_reader_init(&bolted, 0, PAPR_HTAB_BOLTED_ONLY);
    bolted.first_pass = false;
    enter(&h, 40, V4K(0x128), R4K(0xb000));
    n = papr_htab_read(&h, &bolted, buf, sizeof(buf));
    CHECK_EQ(n, 8);
    p = buf;
    RECORD(p, 40, 0, 1);
    papr_hpt_free(&h);
}

static void test_small_buffers_and_start(void)
{
    unsigned calls = 0;
    PaprHpt h;
    hpt_new(&h, 18, &calls);
    populate(&h);
    PaprHtabReader rd;
    papr_htab_reader_init(&rd, 0, 0);
    uint8_t buf[40];
    /* A header and two HPTEs fit; the read stops mid-run and the next one goes on. */
    CHECK_EQ(papr_htab_read(&h, &rd, buf, sizeof(buf)), 40);
    const uint8_t *p = buf;
    RECORD(p, 0, 2, 0);
    CHECK(rd.first_pass);
    CHECK_EQ(rd.index, 2);
    CHECK_EQ(papr_htab_read(&h, &rd, buf, sizeof(buf)), 24);
    p = buf;
    RECORD(p, 2, 1, 7);
    /* The start index of the first pass. */
    papr_htab_reader_init(&rd, 10, 0);
    uint8_t big[256];
    CHECK_EQ(papr_htab_read(&h, &rd, big, sizeof(big)), 2 * 8 + 2 * 16);
    p = big;
    RECORD(p, 10, 1, N_HPTES - 12);
    RECORD(p, N_HPTES - 1, 1, 0);
    papr_hpt_free(&h);
}

/* Read everything a reader has to say into one buffer. */
static size_t drain(PaprHpt *h, PaprHtabReader *rd, uint8_t *out, size_t cap, size_t chunk)
{
    size_t used = 0;
    for (;;) {
        bool first = rd->first_pass;
        int64_t n = papr_htab_read(h, rd, out + used, MIN(chunk, cap - used));
        if (n < 0)
            break;
        used += (size_t)n;
        if (n == 0 || (first && !rd->first_pass))
            break;
    }
    return used;
}

static void test_round_trip(void)
{
    unsigned calls = 0;
    PaprHpt src, dst;
    hpt_new(&src, 18, &calls);
    hpt_new(&dst, 18, &calls);
    populate(&src);
    enter(&src, 0x777, V4K(0x777) | HPTE64_V_LARGE, R4K(0x3000000)); /* 16M */
    enter(&src, 0x778, V4K(0x778) | HPTE64_V_LARGE, R4K(0x5000000 | 0x38000));
    uint8_t *stream = malloc(1 << 16);
    PaprHtabReader rd;
    papr_htab_reader_init(&rd, 0, 0);
    size_t len = drain(&src, &rd, stream, 1 << 16, 64);
    CHECK(len > 0);
    char err[256] = "";
    CHECK(papr_htab_write(&dst, stream, len, err, sizeof(err)));
    CHECK_MEM(dst.table, src.table, N_HPTES * HPTE64_SIZE);
    CHECK(papr_hpt_is_modified(&dst, 0x777));

    /* Incremental: change the source, send only what changed. */
    Hash64Hpte old;
    CHECK_EQ(papr_h_remove(&src, 0, 0, 0, &old), H_SUCCESS);
    CHECK_EQ(papr_h_protect(&src, H_PROTECT_PP0 | 2, 0x777, 0), H_SUCCESS);
    enter(&src, 0x1000, V4K(0x1000), R4K(0x6000));
    uint64_t rc = 0;
    CHECK_EQ(papr_h_clear_mod(&src, 0, N_HPTES - 1, &rc), H_SUCCESS);
    len = drain(&src, &rd, stream, 1 << 16, 4096);
    CHECK_EQ(len, 4 * 8 + 3 * 16);
    CHECK(papr_htab_write(&dst, stream, len, err, sizeof(err)));
    CHECK_MEM(dst.table, src.table, N_HPTES * HPTE64_SIZE);

    /* Writes replace what a slot holds, and n_invalid removes valid entries. */
    uint8_t rec[8 + 16];
    static const uint8_t hdr_replace[8] = { 0, 0, 0x10, 0, 0, 1, 0, 2 }; /* {0x1000, 1, 2} */
    memcpy(rec, hdr_replace, 8);
    for (int k = 0; k < 8; k++) {
        rec[8 + k] = (uint8_t)(V4K(0x2222) >> (56 - 8 * k));
        rec[16 + k] = (uint8_t)(R4K(0x7000) >> (56 - 8 * k));
    }
    enter(&dst, 0x1002, V4K(0x1002), R4K(0x8000));
    unsigned before_calls = calls;
    CHECK(papr_htab_write(&dst, rec, sizeof(rec), err, sizeof(err)));
    CHECK_EQ(papr_hpt_get(&dst, 0x1000).pte0, V4K(0x2222));
    CHECK_EQ(papr_hpt_get(&dst, 0x1000).pte1, R4K(0x7000));
    CHECK_EQ(papr_hpt_get(&dst, 0x1002).pte0, 0);
    CHECK_EQ(calls, before_calls + 3); /* remove + enter at 0x1000, remove at 0x1002 */
    CHECK(papr_htab_write(&dst, rec, 0, err, sizeof(err)));
    free(stream);
    papr_hpt_free(&src);
    papr_hpt_free(&dst);
}

static void put_u(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned k = 0; k < n; k++)
        p[k] = (uint8_t)(v >> (8 * (n - 1 - k)));
}

static size_t make_record(uint8_t *p, uint32_t index, uint16_t nv, uint16_t ni,
                          const Hash64Hpte *e)
{
    put_u(p, index, 4);
    put_u(p + 4, nv, 2);
    put_u(p + 6, ni, 2);
    for (unsigned k = 0; k < nv; k++) {
        put_u(p + 8 + 16 * k, e[k].pte0, 8);
        put_u(p + 16 + 16 * k, e[k].pte1, 8);
    }
    return 8 + 16 * (size_t)nv;
}

static bool contains(const char *s, const char *sub)
{
    return strstr(s, sub) != NULL;
}

static void test_corrupt_streams(void)
{
    unsigned calls = 0;
    PaprHpt h;
    hpt_new(&h, 18, &calls);
    populate(&h);
    uint8_t *before = malloc(N_HPTES * HPTE64_SIZE);
    memcpy(before, h.table, N_HPTES * HPTE64_SIZE);
    unsigned before_calls = calls;
    uint8_t s[256] = { 0 };
    char err[256];
    Hash64Hpte good[2] = { { V4K(0x300), R4K(0x1000) }, { V4K(0x301), R4K(0x2000) } };

    /* A good record, then a truncated header: nothing is applied. */
    size_t len = make_record(s, 100, 1, 0, good);
    err[0] = 0;
    CHECK(!papr_htab_write(&h, s, len + 5, err, sizeof(err)));
    CHECK(contains(err, "truncated") && contains(err, "byte 24"));
    /* A record announcing more HPTEs than the stream holds. */
    len = make_record(s, 100, 2, 0, good);
    CHECK(!papr_htab_write(&h, s, len - 1, err, sizeof(err)));
    CHECK(contains(err, "truncated") && contains(err, "2 HPTEs"));
    /* Outside the table, by the index or by the counts. */
    len = make_record(s, N_HPTES, 0, 0, good);
    CHECK(!papr_htab_write(&h, s, len, err, sizeof(err)));
    CHECK(contains(err, "outside the table"));
    len = make_record(s, N_HPTES - 1, 1, 1, good);
    CHECK(!papr_htab_write(&h, s, len, err, sizeof(err)));
    len = make_record(s, 0xffffffffu, 0, 0xffff, good);
    CHECK(!papr_htab_write(&h, s, len, err, sizeof(err)));
    /* An HPTE sent as valid without V. */
    Hash64Hpte bad = { V4K(0x300) & ~HPTE64_V_VALID, R4K(0x1000) };
    len = make_record(s, 100, 1, 0, &bad);
    CHECK(!papr_htab_write(&h, s, len, err, sizeof(err)));
    CHECK(contains(err, "V bit"));
    /* HPTEs H_ENTER refuses: RPN outside RAM, a bad page size, reserved B. */
    bad = (Hash64Hpte){ V4K(0x300), R4K(RAM_SIZE) };
    len = make_record(s, 100, 1, 0, &bad);
    CHECK(!papr_htab_write(&h, s, len, err, sizeof(err)));
    CHECK(contains(err, "H_ENTER refuses"));
    bad = (Hash64Hpte){ V4K(0x300) | HPTE64_V_LARGE, R4K(0x2000) };
    len = make_record(s, 100, 1, 0, &bad);
    CHECK(!papr_htab_write(&h, s, len, err, sizeof(err)));
    bad = (Hash64Hpte){ V4K(0x300) | 3ULL << 62, R4K(0x1000) };
    size_t first = make_record(s, 100, 2, 0, good);
    len = first + make_record(s + first, 200, 1, 0, &bad);
    CHECK(!papr_htab_write(&h, s, len, err, sizeof(err)));
    CHECK(contains(err, "byte 40"));
    /* None of it touched the table. */
    CHECK_MEM(h.table, before, N_HPTES * HPTE64_SIZE);
    CHECK_EQ(calls, before_calls);
    /* The same good record alone is applied. */
    CHECK(papr_htab_write(&h, s, first, err, sizeof(err)));
    CHECK_EQ(papr_hpt_get(&h, 101).pte0, V4K(0x301));
    free(before);
    papr_hpt_free(&h);
}

typedef struct Seen {
    unsigned n;
    uint64_t index[8], pte0[8], pte1[8];
} Seen;

static void seen(void *opaque, uint64_t index, uint64_t pte0, uint64_t pte1)
{
    Seen *s = opaque;
    if (s->n < 8) {
        s->index[s->n] = index;
        s->pte0[s->n] = pte0;
        s->pte1[s->n] = pte1;
    }
    s->n++;
}

/* The HTAB section of a pseries snapshot: the whole table in one first pass, whatever
 * was read before (the modified bits must not thin it out), decoded by the same walker as
 * hvemu-snapshot and loaded into an empty table. */
static void test_snapshot_section(void)
{
    unsigned calls = 0;
    PaprHpt src, dst;
    hpt_new(&src, 18, &calls);
    hpt_new(&dst, 18, &calls);
    populate(&src); /* clears the modified bits, as an earlier pass would */
    StateW w;
    state_buf_begin(&w);
    PaprHtabReader rd;
    papr_htab_save(&src, &rd, false, &w);
    CHECK(!w.oom);
    /* Records: {0, 3 valid, 7 invalid} {10, 1, 16372} {16383, 1, 0}: 3 headers, 5 HPTEs. */
    CHECK_EQ(w.len, 3 * PAPR_HTAB_HEADER_SIZE + 5 * HPTE64_SIZE);
    Seen s = { 0 };
    uint64_t records = 0, invalid = 0;
    char err[256] = "";
    CHECK(papr_htab_scan(w.buf, w.len, seen, &s, &records, &invalid, err, sizeof(err)));
    CHECK_EQ(records, 3);
    CHECK_EQ(s.n, 5);
    CHECK_EQ(invalid, N_HPTES - 5);
    CHECK_EQ(s.index[0], 0);
    CHECK_EQ(s.index[3], 10);
    CHECK_EQ(s.index[4], N_HPTES - 1);
    CHECK_EQ(s.pte0[3], V4K(0x10a) | HPTE64_V_BOLTED);
    CHECK_EQ(s.pte1[1], R4K(0x2000) | HPTE64_R_R);
    CHECK_EQ(s.pte0[4], V4K(0x1ff) | HPTE64_V_LARGE | HPTE64_V_SECONDARY);
    CHECK(papr_htab_write(&dst, w.buf, w.len, err, sizeof(err)));
    CHECK_MEM(dst.table, src.table, N_HPTES * HPTE64_SIZE);
    /* A cut section is found out by the walker too. */
    CHECK(!papr_htab_scan(w.buf, w.len - 3, NULL, NULL, &records, &invalid, err, sizeof(err)));
    free(w.buf);

    /* The next snapshot's section is incremental: only what changed since, which applied
     * over the first gives the table again. */
    Hash64Hpte old;
    CHECK_EQ(papr_h_remove(&src, 0, 1, 0, &old), H_SUCCESS);
    enter(&src, 0x2000, V4K(0x2000), R4K(0x9000));
    state_buf_begin(&w);
    papr_htab_save(&src, &rd, true, &w);
    /* {1, 0 valid, 1 invalid} {0x2000, 1 valid, 0 invalid}. */
    CHECK_EQ(w.len, 2 * PAPR_HTAB_HEADER_SIZE + HPTE64_SIZE);
    CHECK(papr_htab_write(&dst, w.buf, w.len, err, sizeof(err)));
    CHECK_MEM(dst.table, src.table, N_HPTES * HPTE64_SIZE);
    free(w.buf);
    /* Nothing changed: an empty section. */
    state_buf_begin(&w);
    papr_htab_save(&src, &rd, true, &w);
    CHECK_EQ(w.len, 0);
    free(w.buf);
    /* A loaded table counts as sent. */
    papr_htab_mark_sent(&dst, &rd);
    CHECK(!papr_hpt_is_modified(&dst, 0x2000));
    CHECK(!rd.first_pass);
    papr_hpt_free(&src);
    papr_hpt_free(&dst);
}

int main(void)
{
    test_first_pass_all();
    test_first_pass_bolted();
    test_long_invalid_runs();
    test_incremental();
    test_small_buffers_and_start();
    test_round_trip();
    test_corrupt_streams();
    test_snapshot_section();
    return unit_summary("test_htab");
}
