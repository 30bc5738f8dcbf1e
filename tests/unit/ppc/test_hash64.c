/* tests/unit/ppc/test_hash64.c: the Book3S-64 hash MMU of mmu/ppc_hash64.c (Power ISA
 * 2.07B/3.0B Book III, chapter 5 "Storage Control": SLB, hashed page table search, page
 * sizes, R/C recording, storage protection) against an HPT built in a byte array that
 * stands for guest memory, reached SDR1-style at HTABORG through the test's Hash64Ops.
 * Covered: the hash functions and AVA for 256 MB and 1 TB segments with exact values, SLB
 * hits and misses, primary and secondary PTEG hits and the H, B, AVA and L/LP
 * comparisons, 4K/64K/16M pages with MPSS, R and C recording, the PP/key/MSR[PR] matrix,
 * no-execute and guarded fetches, AMR/IAMR class keys, the ISA 3.0 HPTE layout, SDR1
 * decoding, unreadable HPTs and the step trace that `-d mmu` prints. */
#include <stdlib.h>

#include "mmu/ppc_hash64.h"
#include "tests/unit/unit.h"

#define MEM_SIZE 0x80000ULL
#define HTABORG 0x40000ULL /* HTABSIZE 0: 256 KiB, 2048 PTEGs */

typedef struct T {
    uint8_t mem[MEM_SIZE];
    Hash64Htab htab;
    bool isa300;
    bool fail_reads;
    unsigned stores;
    uint64_t last_store_ptex, last_store_pte1;
    Hash64Ops ops;
    Hash64Slbe slb[4];
    Hash64Mmu mmu;
} T;

static uint64_t rd_be(const uint8_t *p)
{
    uint64_t v = 0;
    for (int k = 0; k < 8; k++)
        v = v << 8 | p[k];
    return v;
}

static void wr_be(uint8_t *p, uint64_t v)
{
    for (int k = 0; k < 8; k++)
        p[k] = (uint8_t)(v >> (56 - 8 * k));
}

static uint8_t *hpte_ptr(T *t, uint64_t ptex)
{
    return t->mem + t->htab.htaborg + ptex * HPTE64_SIZE;
}

static uint64_t t_pteg_mask(void *opaque)
{
    T *t = opaque;
    return hash64_htab_pteg_mask(&t->htab);
}

static bool t_read(void *opaque, uint64_t ptex, unsigned n, Hash64Hpte *out)
{
    T *t = opaque;
    uint64_t hpt_bytes = (uint64_t)HASH64_PTEG_SIZE << (11 + t->htab.htabsize);
    if (t->fail_reads || (ptex + n) * HPTE64_SIZE > hpt_bytes)
        return false;
    for (unsigned k = 0; k < n; k++)
        out[k] = (Hash64Hpte){ rd_be(hpte_ptr(t, ptex + k)), rd_be(hpte_ptr(t, ptex + k) + 8) };
    return true;
}

static void t_store_rc(void *opaque, uint64_t ptex, uint64_t pte1)
{
    T *t = opaque;
    t->stores++;
    t->last_store_ptex = ptex;
    t->last_store_pte1 = pte1;
    wr_be(hpte_ptr(t, ptex) + 8, pte1);
}

static T *t_new(void)
{
    T *t = calloc(1, sizeof(T));
    if (!hash64_htab_decode(HTABORG | 0, &t->htab))
        exit(2);
    t->ops = (Hash64Ops){ .pteg_mask = t_pteg_mask, .read_hptes = t_read,
                          .store_hpte_rc = t_store_rc, .opaque = t };
    t->mmu = (Hash64Mmu){ .ops = &t->ops, .slb = t->slb, .slb_entries = 4 };
    return t;
}

static void put_hpte(T *t, uint64_t ptex, uint64_t v, uint64_t r)
{
    if (t->isa300)
        hash64_hpte_to_isa300(&v, &r);
    wr_be(hpte_ptr(t, ptex), v);
    wr_be(hpte_ptr(t, ptex) + 8, r);
}

static Hash64Hpte get_hpte(T *t, uint64_t ptex)
{
    return (Hash64Hpte){ rd_be(hpte_ptr(t, ptex)), rd_be(hpte_ptr(t, ptex) + 8) };
}

/* The HPTE index of slot `slot` in the PTEG the (primary or secondary) hash selects. */
static uint64_t slot_for(T *t, uint64_t vsid, unsigned seg, unsigned base, uint64_t ea,
                         bool secondary, unsigned slot)
{
    uint64_t h = hash64_hash(vsid, seg, base, ea);
    if (secondary)
        h = ~h;
    return (h & hash64_htab_pteg_mask(&t->htab)) * HPTES_PER_GROUP + slot;
}

/* Doubleword 0 for a page of ea in segment (vsid, seg). */
static uint64_t hpte_v(uint64_t vsid, unsigned seg, uint64_t ea, bool large, bool secondary)
{
    return (seg == 40 ? SLB_VSID_B_1T : SLB_VSID_B_256M) |
           hash64_ava(vsid, seg, ea) << HPTE64_V_AVPN_SHIFT | (large ? HPTE64_V_LARGE : 0) |
           (secondary ? HPTE64_V_SECONDARY : 0) | HPTE64_V_VALID;
}

static Hash64Slbe slbe_256m(uint64_t ea, uint64_t vsid, uint64_t attrs)
{
    return (Hash64Slbe){ (ea & SLB_ESID_ESID) | SLB_ESID_V,
                         SLB_VSID_B_256M | vsid << SLB_VSID_SHIFT | attrs };
}

static Hash64Slbe slbe_1t(uint64_t ea, uint64_t vsid, uint64_t attrs)
{
    return (Hash64Slbe){ (ea & SLB_ESID_ESID_1T) | SLB_ESID_V,
                         SLB_VSID_B_1T | vsid << SLB_VSID_SHIFT_1T | attrs };
}

static Hash64Status xlate(T *t, uint64_t ea, Hash64Access a, bool pr, Hash64Result *r)
{
    return hash64_translate(&t->mmu, ea, &(Hash64Xlate){ .access = a, .pr = pr }, r);
}

#define VSID 0x123456789ULL
#define EA 0x12345678ULL /* ESID 1, page index 0x2345 (4K) */
#define VSID1T 0x1234567ULL
#define EA1T 0x0000052345678000ULL /* 1 TB ESID 5 */

static void test_hash_and_ava(void)
{
    /* 256 MB: VSID xor page index; the secondary is the one's complement (39 bits). */
    CHECK_EQ(hash64_hash(VSID, 28, 12, EA), 0x1234544ccULL);
    CHECK_EQ(~hash64_hash(VSID, 28, 12, EA) & 0x7fffffffffULL, 0x7edcbabb33ULL);
    CHECK_EQ(hash64_hash(VSID, 28, 16, EA), 0x1234565bdULL);
    CHECK_EQ(hash64_hash(VSID, 28, 24, EA), 0x12345678bULL);
    /* 1 TB: VSID xor VSID<<25 xor page index. */
    CHECK_EQ(hash64_hash(VSID1T, 40, 12, EA1T), 0xacd17131fULL);
    CHECK_EQ(hash64_ava(VSID, 28, EA), 0x2468acf124ULL);
    CHECK_EQ(hash64_ava(VSID1T, 40, EA1T), 0x2468ace468aULL);

    Hash64Htab h;
    /* HTABORG bits below the table size are ignored. */
    CHECK(hash64_htab_decode(0x0000000012340000ULL | 2, &h));
    CHECK_EQ(h.htaborg, 0x12300000ULL);
    CHECK(hash64_htab_decode(0x0000000012300002ULL, &h));
    CHECK_EQ(h.htaborg, 0x12300000ULL);
    CHECK_EQ(h.htabsize, 2);
    CHECK_EQ(hash64_htab_pteg_mask(&h), 0x1fff);
    CHECK_EQ(hash64_htab_pteg_addr(&h, 0x1234544ccULL), 0x12300000ULL + 0x04cc * 128);
    CHECK(!hash64_htab_decode(0x12300000ULL | 29, &h));
    CHECK(hash64_htab_decode(0x12300000ULL | 28, &h));
}

static void test_slb(void)
{
    Hash64Slbe slb[3] = {
        slbe_256m(0x20000000, 0x55, 0),
        { 0x10000000 /* V clear */, 0x66 << SLB_VSID_SHIFT },
        slbe_1t(EA1T, VSID1T, 0),
    };
    unsigned idx = 99;
    CHECK(hash64_slb_lookup(slb, 3, 0x2fffffff, &idx) == &slb[0]);
    CHECK_EQ(idx, 0);
    CHECK(hash64_slb_lookup(slb, 3, 0x10000000, &idx) == NULL);
    CHECK(hash64_slb_lookup(slb, 3, 0x30000000, &idx) == NULL);
    CHECK(hash64_slb_lookup(slb, 3, 0x0000050000000000ULL, &idx) == &slb[2]);
    CHECK_EQ(idx, 2);
    CHECK(hash64_slb_lookup(slb, 3, 0x000005ffffffffffULL, &idx) == &slb[2]);
    CHECK(hash64_slb_lookup(slb, 3, 0x0000060000000000ULL, &idx) == NULL);
    CHECK_EQ(hash64_slbe_segment_shift(&slb[0]), 28);
    CHECK_EQ(hash64_slbe_segment_shift(&slb[2]), 40);
    CHECK_EQ(hash64_slbe_vsid(&slb[0]), 0x55);
    CHECK_EQ(hash64_slbe_vsid(&slb[2]), VSID1T);
    Hash64Slbe reserved = { 0x20000000 | SLB_ESID_V, 0x8000000000000000ULL };
    CHECK_EQ(hash64_slbe_segment_shift(&reserved), 0);
    CHECK(hash64_slb_lookup(&reserved, 1, 0x20000000, &idx) == NULL);
    /* Base page sizes from L||LP. */
    const Hash64PageSizes *ps = &hash64_page_sizes_p8p9;
    Hash64Slbe e = slbe_256m(0, 1, 0);
    CHECK_EQ(hash64_slbe_page_size(ps, &e)->shift, 12);
    e.vsid |= SLB_VSID_L | 0x10;
    CHECK_EQ(hash64_slbe_page_size(ps, &e)->shift, 16);
    e.vsid &= ~SLB_VSID_LP;
    CHECK_EQ(hash64_slbe_page_size(ps, &e)->shift, 24);
    e.vsid = (e.vsid & ~SLB_VSID_LLP) | 0x10;
    CHECK(hash64_slbe_page_size(ps, &e) == NULL);
}

static void test_page_size_decode(void)
{
    const Hash64PageSizes *ps = &hash64_page_sizes_p8p9;
    unsigned base = 0;
    CHECK_EQ(hash64_hpte_page_shift_noslb(ps, HPTE64_V_VALID, 0x1000, &base), 12);
    CHECK_EQ(base, 12);
    CHECK_EQ(hash64_hpte_page_shift_noslb(ps, HPTE64_V_LARGE, 0x10000 | 0x1000, &base), 16);
    CHECK_EQ(base, 16);
    CHECK_EQ(hash64_hpte_page_shift_noslb(ps, HPTE64_V_LARGE, 0x30000 | 0x7000, &base), 16);
    CHECK_EQ(base, 12);
    CHECK_EQ(hash64_hpte_page_shift_noslb(ps, HPTE64_V_LARGE, 0x3000000 | 0x38000, &base), 24);
    CHECK_EQ(base, 12);
    CHECK_EQ(hash64_hpte_page_shift_noslb(ps, HPTE64_V_LARGE, 0x3000000 | 0x08000, &base), 24);
    CHECK_EQ(base, 16);
    CHECK_EQ(hash64_hpte_page_shift_noslb(ps, HPTE64_V_LARGE, 0x3000000, &base), 24);
    CHECK_EQ(base, 24);
    CHECK_EQ(hash64_hpte_page_shift_noslb(ps, HPTE64_V_LARGE, 0x2000, &base), 0);
    /* With a segment: a 4K HPTE does not fit a 64K segment, 64K LP=1 not a 4K one. */
    CHECK_EQ(hash64_hpte_page_shift(&ps->sps[1], 0, 0x1000), 0);
    CHECK_EQ(hash64_hpte_page_shift(&ps->sps[0], HPTE64_V_LARGE, 0x1000), 0);
    CHECK_EQ(hash64_hpte_page_shift(&ps->sps[2], HPTE64_V_LARGE, 0x38000), 0);
    CHECK_EQ(hash64_hpte_key(0x3000000000000e00ULL), 0x1f);
    CHECK_EQ(hash64_hpte_key(0x1000000000000a00ULL), 0x0d);
}

static void test_primary_hit_and_rc(void)
{
    T *t = t_new();
    t->slb[0] = slbe_256m(EA, VSID, SLB_VSID_KP);
    uint64_t ptex = slot_for(t, VSID, 28, 12, EA, false, 3);
    CHECK_EQ(ptex, 0x4cc * 8 + 3);
    put_hpte(t, ptex, hpte_v(VSID, 28, EA, false, false), 0x7654000 | HPTE64_R_M | 2);
    Hash64Result r;
    CHECK_EQ(xlate(t, EA, HASH64_LOAD, false, &r), HASH64_OK);
    CHECK_EQ(r.ra, 0x7654678);
    CHECK_EQ(r.page_shift, 12);
    CHECK_EQ(r.base_shift, 12);
    CHECK_EQ(r.ptex, ptex);
    CHECK_EQ(r.vsid, VSID);
    CHECK_EQ(r.slb_index, 0);
    CHECK_EQ(r.prot, HASH64_PROT_READ | HASH64_PROT_WRITE | HASH64_PROT_EXEC);
    CHECK_EQ(r.tlb_prot, HASH64_PROT_READ | HASH64_PROT_EXEC); /* C still clear */
    /* R set by the load, written back through the ops; C untouched. */
    CHECK_EQ(t->stores, 1);
    CHECK_EQ(t->last_store_ptex, ptex);
    CHECK_EQ(get_hpte(t, ptex).pte1, 0x7654000 | HPTE64_R_M | HPTE64_R_R | 2);
    CHECK_EQ(r.pte1, 0x7654000 | HPTE64_R_M | HPTE64_R_R | 2);
    /* A second load: R is set, nothing to write. */
    CHECK_EQ(xlate(t, EA + 8, HASH64_LOAD, false, &r), HASH64_OK);
    CHECK_EQ(t->stores, 1);
    /* A store sets C. */
    CHECK_EQ(xlate(t, EA, HASH64_STORE, false, &r), HASH64_OK);
    CHECK_EQ(t->stores, 2);
    CHECK_EQ(get_hpte(t, ptex).pte1, 0x7654000 | HPTE64_R_M | HPTE64_R_R | HPTE64_R_C | 2);
    CHECK_EQ(r.tlb_prot, HASH64_PROT_READ | HASH64_PROT_WRITE | HASH64_PROT_EXEC);
    /* An instruction fetch sets R (already set): no store. */
    CHECK_EQ(xlate(t, EA, HASH64_IFETCH, false, &r), HASH64_OK);
    CHECK_EQ(t->stores, 2);
    /* Store without R first: both bits at once. */
    put_hpte(t, ptex, hpte_v(VSID, 28, EA, false, false), 0x7654000 | 2);
    CHECK_EQ(xlate(t, EA, HASH64_STORE, false, &r), HASH64_OK);
    CHECK_EQ(t->last_store_pte1, 0x7654000 | HPTE64_R_R | HPTE64_R_C | 2);
    /* A probe (debugger) leaves R and C alone. */
    put_hpte(t, ptex, hpte_v(VSID, 28, EA, false, false), 0x7654000 | 2);
    unsigned before = t->stores;
    CHECK_EQ(hash64_translate(&t->mmu, EA, &(Hash64Xlate){ .access = HASH64_STORE, .probe = true },
                              &r),
             HASH64_OK);
    CHECK_EQ(t->stores, before);
    CHECK_EQ(get_hpte(t, ptex).pte1, 0x7654000 | 2);
    /* The whole 256 MB segment's offset goes through: another page faults. */
    CHECK_EQ(xlate(t, EA + 0x1000, HASH64_LOAD, false, &r), HASH64_PAGE_FAULT);
    CHECK_EQ(r.fault_bits, DSISR_NOPTE);
    free(t);
}

static void test_secondary_hit(void)
{
    T *t = t_new();
    t->slb[2] = slbe_256m(EA, VSID, 0);
    /* Fill the primary PTEG with entries that must not match: a secondary-tagged copy, a
     * 1 TB copy, an invalid copy, a copy with a different AVA. */
    uint64_t p = slot_for(t, VSID, 28, 12, EA, false, 0);
    uint64_t v = hpte_v(VSID, 28, EA, false, false);
    put_hpte(t, p + 0, v | HPTE64_V_SECONDARY, 0x1000);
    put_hpte(t, p + 1, v | SLB_VSID_B_1T, 0x2000);
    put_hpte(t, p + 2, v & ~HPTE64_V_VALID, 0x3000);
    put_hpte(t, p + 3, v ^ (1ULL << HPTE64_V_AVPN_SHIFT), 0x4000);
    uint64_t s = slot_for(t, VSID, 28, 12, EA, true, 5);
    CHECK_EQ(s, 0x333 * 8 + 5);
    /* In the secondary PTEG an H=0 entry does not match; the H=1 one does. */
    put_hpte(t, s - 1, v, 0x5000);
    put_hpte(t, s, v | HPTE64_V_SECONDARY, 0x6000 | HPTE64_R_R);
    Hash64Result r;
    CHECK_EQ(xlate(t, EA, HASH64_LOAD, false, &r), HASH64_OK);
    CHECK_EQ(r.ptex, s);
    CHECK_EQ(r.ra, 0x6678);
    CHECK_EQ(r.slb_index, 2);
    CHECK_EQ(t->stores, 0);
    free(t);
}

static void test_misses(void)
{
    T *t = t_new();
    t->slb[0] = slbe_256m(EA, VSID, 0);
    Hash64Result r;
    /* No SLB entry: a segment fault, whatever the access. */
    CHECK_EQ(xlate(t, 0x70000000, HASH64_LOAD, false, &r), HASH64_SEGMENT_FAULT);
    CHECK_EQ(xlate(t, 0x70000000, HASH64_IFETCH, false, &r), HASH64_SEGMENT_FAULT);
    /* No HPTE: DSI with DSISR bit 1 (and bit 6 for a store), ISI with SRR1 bit 33. */
    CHECK_EQ(xlate(t, EA, HASH64_LOAD, false, &r), HASH64_PAGE_FAULT);
    CHECK_EQ(r.fault_bits, DSISR_NOPTE);
    CHECK_EQ(xlate(t, EA, HASH64_STORE, false, &r), HASH64_PAGE_FAULT);
    CHECK_EQ(r.fault_bits, DSISR_NOPTE | DSISR_ISSTORE);
    CHECK_EQ(xlate(t, EA, HASH64_IFETCH, false, &r), HASH64_PAGE_FAULT);
    CHECK_EQ(r.fault_bits, SRR1_ISI_NOPTE);
    /* An SLB entry whose L||LP encodes no page size finds nothing. */
    t->slb[0].vsid |= 0x20;
    CHECK_EQ(xlate(t, EA, HASH64_LOAD, false, &r), HASH64_PAGE_FAULT);
    CHECK_EQ(r.fault_bits, DSISR_NOPTE);
    /* The HPT cannot be read: a machine check for the CPU. */
    t->slb[0] = slbe_256m(EA, VSID, 0);
    t->fail_reads = true;
    CHECK_EQ(xlate(t, EA, HASH64_LOAD, false, &r), HASH64_HPT_ERROR);
    free(t);
}

static void test_1t_segment(void)
{
    T *t = t_new();
    t->slb[1] = slbe_1t(EA1T, VSID1T, 0);
    uint64_t ptex = slot_for(t, VSID1T, 40, 12, EA1T, false, 0);
    CHECK_EQ(ptex, (0xacd17131fULL & 0x7ff) * 8);
    /* A 256 MB-tagged entry (B=00) does not translate in a 1 TB segment. */
    put_hpte(t, ptex, hpte_v(VSID1T, 40, EA1T, false, false) & ~HPTE64_V_SSIZE, 0x9000);
    Hash64Result r;
    CHECK_EQ(xlate(t, EA1T + 0x10, HASH64_LOAD, false, &r), HASH64_PAGE_FAULT);
    put_hpte(t, ptex + 1, hpte_v(VSID1T, 40, EA1T, false, false), 0xa000);
    CHECK_EQ(xlate(t, EA1T + 0x10, HASH64_LOAD, false, &r), HASH64_OK);
    CHECK_EQ(r.ptex, ptex + 1);
    CHECK_EQ(r.ra, 0xa010);
    CHECK_EQ(r.vsid, VSID1T);
    free(t);
}

static void test_large_pages(void)
{
    T *t = t_new();
    Hash64Result r;
    /* 64K base, 64K page (LP=1). */
    uint64_t ea64 = 0x30000000 + 0x2345678;
    t->slb[0] = slbe_256m(ea64, 0x777, SLB_VSID_L | 0x10);
    uint64_t p = slot_for(t, 0x777, 28, 16, ea64, false, 1);
    put_hpte(t, p, hpte_v(0x777, 28, ea64, true, false), 0x00450000 | 0x1000);
    CHECK_EQ(xlate(t, ea64, HASH64_LOAD, false, &r), HASH64_OK);
    CHECK_EQ(r.page_shift, 16);
    CHECK_EQ(r.base_shift, 16);
    CHECK_EQ(r.ra, 0x00455678);
    /* 16M base, 16M page: the AVA bit inside the page is not compared. */
    uint64_t ea16 = 0x40000000 + 0x5abcdef;
    t->slb[1] = slbe_256m(ea16, 0x888, SLB_VSID_L);
    p = slot_for(t, 0x888, 28, 24, ea16, false, 0);
    put_hpte(t, p, hpte_v(0x888, 28, ea16, true, false) ^ (1ULL << HPTE64_V_AVPN_SHIFT),
             0x0b000000);
    CHECK_EQ(xlate(t, ea16, HASH64_LOAD, false, &r), HASH64_OK);
    CHECK_EQ(r.page_shift, 24);
    CHECK_EQ(r.ra, 0x0babcdef);
    /* MPSS: 4K base segment, 64K (LP=7) and 16M (LP=0x38) pages, hashed by the base
     * page size. */
    uint64_t ea4 = 0x50000000 + 0x123456;
    t->slb[2] = slbe_256m(ea4, 0x999, 0);
    p = slot_for(t, 0x999, 28, 12, ea4, false, 2);
    put_hpte(t, p, hpte_v(0x999, 28, ea4, true, false), 0x00670000 | 0x7000);
    CHECK_EQ(xlate(t, ea4, HASH64_LOAD, false, &r), HASH64_OK);
    CHECK_EQ(r.page_shift, 16);
    CHECK_EQ(r.base_shift, 12);
    CHECK_EQ(r.ra, 0x00673456);
    put_hpte(t, p, hpte_v(0x999, 28, ea4, true, false), 0x05000000 | 0x38000);
    CHECK_EQ(xlate(t, ea4, HASH64_LOAD, false, &r), HASH64_OK);
    CHECK_EQ(r.page_shift, 24);
    CHECK_EQ(r.ra, 0x05123456);
    /* An LP this segment does not allow (64K-base encoding in a 4K segment). */
    put_hpte(t, p, hpte_v(0x999, 28, ea4, true, false), 0x00670000 | 0x1000);
    CHECK_EQ(xlate(t, ea4, HASH64_LOAD, false, &r), HASH64_PAGE_FAULT);
    /* MPSS: 64K base, 16M page (LP=8), found in the PTEG of the 64K base page. */
    uint64_t ea6 = 0x60000000 + 0x1234567;
    t->slb[3] = slbe_256m(ea6, 0xaaa, SLB_VSID_L | 0x10);
    p = slot_for(t, 0xaaa, 28, 16, ea6, false, 7);
    put_hpte(t, p, hpte_v(0xaaa, 28, ea6, true, false), 0x0e000000 | 0x8000);
    CHECK_EQ(xlate(t, ea6, HASH64_LOAD, false, &r), HASH64_OK);
    CHECK_EQ(r.page_shift, 24);
    CHECK_EQ(r.base_shift, 16);
    CHECK_EQ(r.ra, 0x0e234567);
    /* A 4K HPTE (L=0) does not translate in a 64K segment. */
    put_hpte(t, p, hpte_v(0xaaa, 28, ea6, false, false), 0x0e000000);
    CHECK_EQ(xlate(t, ea6, HASH64_LOAD, false, &r), HASH64_PAGE_FAULT);
    free(t);
}

static void test_protection(void)
{
    /* The PP table with key 0 and key 1; pp0 is the HPTE's bit 0. */
    static const unsigned want[2][8] = {
        { 7, 7, 7, 5, 0, 0, 5, 0 },
        { 0, 5, 7, 5, 0, 0, 0, 0 },
    };
    for (unsigned key = 0; key < 2; key++)
        for (unsigned pp = 0; pp < 8; pp++) {
            uint64_t pte1 = (pp & 4 ? HPTE64_R_PP0 : 0) | (pp & 3);
            CHECK_EQ(hash64_pp_prot(key, pte1), want[key][pp]);
        }

    T *t = t_new();
    Hash64Result r;
    uint64_t ptex = slot_for(t, VSID, 28, 12, EA, false, 0);
    uint64_t v = hpte_v(VSID, 28, EA, false, false);
    /* Ks=0, Kp=1: a kernel read-only page (pp=011) and a user page (pp=010). */
    t->slb[0] = slbe_256m(EA, VSID, SLB_VSID_KP);
    put_hpte(t, ptex, v, 0x1000 | 3);
    CHECK_EQ(xlate(t, EA, HASH64_LOAD, false, &r), HASH64_OK);
    CHECK_EQ(xlate(t, EA, HASH64_STORE, false, &r), HASH64_PAGE_FAULT);
    CHECK_EQ(r.fault_bits, DSISR_PROTFAULT | DSISR_ISSTORE);
    CHECK_EQ(r.ptex, ptex); /* the fault still names the HPTE */
    CHECK_EQ(xlate(t, EA, HASH64_STORE, true, &r), HASH64_PAGE_FAULT);
    CHECK_EQ(r.fault_bits, DSISR_PROTFAULT | DSISR_ISSTORE);
    /* pp=000: the kernel (key 0) may write, the user (key 1) may not even read. */
    put_hpte(t, ptex, v, 0x1000);
    CHECK_EQ(xlate(t, EA, HASH64_STORE, false, &r), HASH64_OK);
    CHECK_EQ(xlate(t, EA, HASH64_LOAD, true, &r), HASH64_PAGE_FAULT);
    CHECK_EQ(r.fault_bits, DSISR_PROTFAULT);
    CHECK_EQ(xlate(t, EA, HASH64_IFETCH, true, &r), HASH64_PAGE_FAULT);
    CHECK_EQ(r.fault_bits, SRR1_ISI_PROTFAULT);
    /* pp=001: user read-only. */
    put_hpte(t, ptex, v, 0x1000 | 1);
    CHECK_EQ(xlate(t, EA, HASH64_LOAD, true, &r), HASH64_OK);
    CHECK_EQ(r.prot, HASH64_PROT_READ | HASH64_PROT_EXEC);
    CHECK_EQ(xlate(t, EA, HASH64_STORE, true, &r), HASH64_PAGE_FAULT);
    /* pp0=1 pp=10: kernel read-only, user nothing. */
    put_hpte(t, ptex, v, HPTE64_R_PP0 | 0x1000 | 2);
    CHECK_EQ(xlate(t, EA, HASH64_LOAD, false, &r), HASH64_OK);
    CHECK_EQ(xlate(t, EA, HASH64_STORE, false, &r), HASH64_PAGE_FAULT);
    CHECK_EQ(xlate(t, EA, HASH64_LOAD, true, &r), HASH64_PAGE_FAULT);
    /* With Ks=1 the kernel is held to key 1 as well. */
    t->slb[0] = slbe_256m(EA, VSID, SLB_VSID_KS | SLB_VSID_KP);
    put_hpte(t, ptex, v, 0x1000);
    CHECK_EQ(xlate(t, EA, HASH64_LOAD, false, &r), HASH64_PAGE_FAULT);
    CHECK_EQ(r.fault_bits, DSISR_PROTFAULT);
    /* No R/C recording on a denied access. */
    CHECK_EQ(get_hpte(t, ptex).pte1, 0x1000);
    free(t);
}

static void test_noexec(void)
{
    T *t = t_new();
    Hash64Result r;
    uint64_t ptex = slot_for(t, VSID, 28, 12, EA, false, 0);
    uint64_t v = hpte_v(VSID, 28, EA, false, false);
    t->slb[0] = slbe_256m(EA, VSID, 0);
    put_hpte(t, ptex, v, 0x1000 | HPTE64_R_N | 2);
    CHECK_EQ(xlate(t, EA, HASH64_IFETCH, false, &r), HASH64_PAGE_FAULT);
    CHECK_EQ(r.fault_bits, SRR1_ISI_N_G);
    CHECK_EQ(xlate(t, EA, HASH64_LOAD, false, &r), HASH64_OK);
    CHECK_EQ(r.prot, HASH64_PROT_READ | HASH64_PROT_WRITE);
    put_hpte(t, ptex, v, 0x1000 | HPTE64_R_G | HPTE64_R_I | 2);
    CHECK_EQ(xlate(t, EA, HASH64_IFETCH, false, &r), HASH64_PAGE_FAULT);
    CHECK_EQ(r.fault_bits, SRR1_ISI_N_G);
    /* N=1 and no read permission: both reasons are reported. */
    t->slb[0] = slbe_256m(EA, VSID, SLB_VSID_KP);
    put_hpte(t, ptex, v, 0x1000 | HPTE64_R_N);
    CHECK_EQ(xlate(t, EA, HASH64_IFETCH, true, &r), HASH64_PAGE_FAULT);
    CHECK_EQ(r.fault_bits, SRR1_ISI_N_G | SRR1_ISI_PROTFAULT);
    /* A no-execute segment stops a fetch before the HPT is searched. */
    t->slb[0] = slbe_256m(EA, VSID, SLB_VSID_N);
    put_hpte(t, ptex, v, 0x1000 | 2);
    t->fail_reads = true;
    CHECK_EQ(xlate(t, EA, HASH64_IFETCH, false, &r), HASH64_PAGE_FAULT);
    CHECK_EQ(r.fault_bits, SRR1_ISI_N_G);
    t->fail_reads = false;
    CHECK_EQ(xlate(t, EA, HASH64_LOAD, false, &r), HASH64_OK);
    /* ... and a load there grants no execute a TLB could cache. */
    CHECK_EQ(r.prot, HASH64_PROT_READ | HASH64_PROT_WRITE);
    CHECK_EQ(r.tlb_prot & HASH64_PROT_EXEC, 0u);
    free(t);
}

static void test_keys(void)
{
    T *t = t_new();
    Hash64Result r;
    uint64_t ptex = slot_for(t, VSID, 28, 12, EA, false, 0);
    t->slb[0] = slbe_256m(EA, VSID, 0);
    /* Class key 5 = 0b00101: KEY_HI 00, KEY_LO 101. */
    put_hpte(t, ptex, hpte_v(VSID, 28, EA, false, false), 0x1000 | (5ULL << 9) | 2);
    Hash64Xlate x = { .access = HASH64_STORE, .check_keys = true, .amr = 2ULL << (62 - 10) };
    CHECK_EQ(hash64_translate(&t->mmu, EA, &x, &r), HASH64_PAGE_FAULT);
    CHECK_EQ(r.fault_bits, DSISR_KEYFAULT | DSISR_ISSTORE);
    CHECK_EQ(r.key, 5);
    x.access = HASH64_LOAD;
    CHECK_EQ(hash64_translate(&t->mmu, EA, &x, &r), HASH64_OK);
    CHECK_EQ(r.prot, HASH64_PROT_READ | HASH64_PROT_EXEC);
    x.amr = 1ULL << (62 - 10);
    CHECK_EQ(hash64_translate(&t->mmu, EA, &x, &r), HASH64_PAGE_FAULT);
    CHECK_EQ(r.fault_bits, DSISR_KEYFAULT);
    /* Another key's bits do not matter; nor do keys when the CPU says they are off. */
    x.amr = 3ULL << (62 - 8);
    CHECK_EQ(hash64_translate(&t->mmu, EA, &x, &r), HASH64_OK);
    x.amr = ~0ULL;
    x.check_keys = false;
    CHECK_EQ(hash64_translate(&t->mmu, EA, &x, &r), HASH64_OK);
    /* IAMR bit 2n+1 forbids fetches. */
    x = (Hash64Xlate){ .access = HASH64_IFETCH, .check_keys = true, .iamr = 1ULL << (62 - 10) };
    CHECK_EQ(hash64_translate(&t->mmu, EA, &x, &r), HASH64_PAGE_FAULT);
    CHECK_EQ(r.fault_bits, SRR1_ISI_KEYFAULT);
    x.iamr = 2ULL << (62 - 10);
    CHECK_EQ(hash64_translate(&t->mmu, EA, &x, &r), HASH64_OK);
    /* PP and key together. */
    put_hpte(t, ptex, hpte_v(VSID, 28, EA, false, false), 0x1000 | (5ULL << 9) | 3);
    x = (Hash64Xlate){ .access = HASH64_STORE, .check_keys = true, .amr = 2ULL << (62 - 10) };
    CHECK_EQ(hash64_translate(&t->mmu, EA, &x, &r), HASH64_PAGE_FAULT);
    CHECK_EQ(r.fault_bits, DSISR_PROTFAULT | DSISR_KEYFAULT | DSISR_ISSTORE);
    /* Key 31 (KEY_HI 11, KEY_LO 111) uses AMR bits 62:63. */
    put_hpte(t, ptex, hpte_v(VSID, 28, EA, false, false), HPTE64_R_KEY_HI | HPTE64_R_KEY_LO | 2);
    x = (Hash64Xlate){ .access = HASH64_LOAD, .check_keys = true, .amr = 1 };
    CHECK_EQ(hash64_translate(&t->mmu, EA, &x, &r), HASH64_PAGE_FAULT);
    CHECK_EQ(r.fault_bits, DSISR_KEYFAULT);
    free(t);
}

static void test_isa300_layout(void)
{
    uint64_t v = SLB_VSID_B_1T | 0x123456789abcd80ULL | HPTE64_V_VALID;
    uint64_t r = 0x1234000 | HPTE64_R_R | 2;
    uint64_t v3 = v, r3 = r;
    hash64_hpte_to_isa300(&v3, &r3);
    CHECK_EQ(v3, v & HPTE64_V_3_0_COMMON);
    CHECK_EQ(r3, r | 1ULL << HPTE64_R_3_0_SSIZE_SHIFT);
    hash64_hpte_from_isa300(&v3, &r3);
    CHECK_EQ(v3, v & (HPTE64_V_3_0_COMMON | HPTE64_V_SSIZE));
    CHECK_EQ(r3, r);

    T *t = t_new();
    t->isa300 = true;
    t->mmu.hpte_isa300 = true;
    t->slb[0] = slbe_1t(EA1T, VSID1T, 0);
    uint64_t ptex = slot_for(t, VSID1T, 40, 12, EA1T, false, 4);
    put_hpte(t, ptex, hpte_v(VSID1T, 40, EA1T, false, false), 0xc000 | 2);
    Hash64Result res;
    CHECK_EQ(xlate(t, EA1T, HASH64_STORE, false, &res), HASH64_OK);
    CHECK_EQ(res.ra, 0xc000);
    CHECK_EQ(res.pte0 >> HPTE64_V_SSIZE_SHIFT, 1);
    /* The R/C store keeps the layout: B stays in doubleword 1. */
    CHECK_EQ(t->last_store_pte1, 0xc000 | HPTE64_R_R | HPTE64_R_C | 2 |
                                     1ULL << HPTE64_R_3_0_SSIZE_SHIFT);
    free(t);
}

typedef struct Trace {
    Hash64StepKind kinds[64];
    unsigned n;
    char lines[64][192];
    unsigned nlines;
} Trace;

static void record_step(void *opaque, const Hash64Step *s)
{
    Trace *tr = opaque;
    if (tr->n < 64)
        tr->kinds[tr->n++] = s->kind;
}

static void record_line(void *opaque, const char *text)
{
    Trace *tr = opaque;
    if (tr->nlines < 64)
        snprintf(tr->lines[tr->nlines++], sizeof(tr->lines[0]), "%s", text);
}

static void test_trace(void)
{
    T *t = t_new();
    t->slb[1] = slbe_256m(EA, VSID, SLB_VSID_KP);
    uint64_t s = slot_for(t, VSID, 28, 12, EA, true, 1);
    put_hpte(t, s, hpte_v(VSID, 28, EA, false, true), 0x6000 | 2);
    Trace tr = { 0 };
    Hash64Result r;
    Hash64Xlate x = { .access = HASH64_STORE, .trace = record_step, .trace_opaque = &tr };
    CHECK_EQ(hash64_translate(&t->mmu, EA, &x, &r), HASH64_OK);
    /* SLB hit, VA, primary hash + 8 HPTEs, secondary hash + 2 HPTEs, match, prot, R/C. */
    CHECK_EQ(tr.n, 1 + 1 + 1 + 8 + 1 + 2 + 1 + 1 + 1);
    CHECK_EQ(tr.kinds[0], HASH64_STEP_SLB_HIT);
    CHECK_EQ(tr.kinds[1], HASH64_STEP_VA);
    CHECK_EQ(tr.kinds[2], HASH64_STEP_HASH);
    CHECK_EQ(tr.kinds[11], HASH64_STEP_HASH);
    CHECK_EQ(tr.kinds[13], HASH64_STEP_HPTE);
    CHECK_EQ(tr.kinds[14], HASH64_STEP_MATCH);
    CHECK_EQ(tr.kinds[15], HASH64_STEP_PROT);
    CHECK_EQ(tr.kinds[16], HASH64_STEP_RC);

    /* The text `-d mmu` prints; explain leaves R/C alone. */
    put_hpte(t, s, hpte_v(VSID, 28, EA, false, true), 0x6000 | 2);
    unsigned before = t->stores;
    CHECK_EQ(hash64_explain(&t->mmu, EA, &(Hash64Xlate){ .access = HASH64_STORE, .pr = true },
                            record_line, &tr, &r),
             HASH64_OK);
    CHECK_EQ(t->stores, before);
    CHECK_EQ(tr.nlines, 16);
    CHECK(strcmp(tr.lines[0], "EA 0x0000000012345678: SLB entry 1, VSID word "
                              "0x0000123456789400 (Ks=0 Kp=1 N=0 L||LP=0x0)") == 0);
    CHECK(strcmp(tr.lines[1], "  VSID 0x123456789, 256M segment, base page 4K, AVA "
                              "0x2468acf124") == 0);
    CHECK(strcmp(tr.lines[2], "  primary hash 0x01234544cc -> PTEG 0x4cc at HTABORG + "
                              "0x26600 (HPTE index 0x2660, H=0)") == 0);
    CHECK(strcmp(tr.lines[3], "    HPTE 0x2660 [slot 0] 0000000000000000 0000000000000000: "
                              "not valid") == 0);
    CHECK(strcmp(tr.lines[11], "  secondary hash 0x7edcbabb33 -> PTEG 0x333 at HTABORG + "
                               "0x19980 (HPTE index 0x1998, H=1)") == 0);
    CHECK(strcmp(tr.lines[13], "    HPTE 0x1999 [slot 1] 0000123456789203 0000000000006002: "
                               "match") == 0);
    CHECK(strcmp(tr.lines[14], "  HPTE 0x1999: 4K page, RA 0x0000000000006678") == 0);
    CHECK(strcmp(tr.lines[15], "  key 1, PP 010: rwx") == 0);

    /* A miss ends with the fault line. */
    tr.nlines = 0;
    CHECK_EQ(hash64_explain(&t->mmu, 0x90000000, &(Hash64Xlate){ .access = HASH64_LOAD },
                            record_line, &tr, &r),
             HASH64_SEGMENT_FAULT);
    CHECK_EQ(tr.nlines, 2);
    CHECK(strcmp(tr.lines[0], "EA 0x0000000090000000: no valid SLB entry") == 0);
    CHECK(strcmp(tr.lines[1], "  fault: segment fault (0x00000000)") == 0);
    free(t);
}

int main(void)
{
    test_hash_and_ava();
    test_slb();
    test_page_size_decode();
    test_primary_hit_and_rc();
    test_secondary_hit();
    test_misses();
    test_1t_segment();
    test_large_pages();
    test_protection();
    test_noexec();
    test_keys();
    test_isa300_layout();
    test_trace();
    return unit_summary("test_hash64");
}
