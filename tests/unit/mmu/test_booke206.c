/* tests/unit/mmu/test_booke206.c: the e500mc TLBs of mmu/booke206.c (Power ISA v2.06B
 * Book III-E chapter 6 "Storage Control": Page Identification, Address Translation,
 * Storage Access Control, MMU Assist Registers, TLB Management Instructions; e500mc
 * Reference Manual chapter 6). Entries are written with booke_tlbwe as software would and
 * looked at through booke_translate and booke_tlbre. Covered: TLB0 set/way placement with
 * its 4 KiB-only and no-IPROT quirks, TLB1 page sizes 4 KiB .. 4 GiB, the TID wildcard,
 * TS, TGS and the TLPID rule of E.HV, 36-bit real addresses through MAS7, the permission
 * matrix, VF, the MAS effects of tlbwe, tlbre, tlbsx and a TLB miss with TLB0's round-robin
 * victim, tlbivax, tlbilx T = 0/1/3 with IPROT and partition filters, MMUCSR0 flash
 * invalidation, and the configuration registers as Linux and KVM read them. */
#include <stdlib.h>

#include "mmu/booke206.h"
#include "tests/unit/unit.h"

#define KB 1024ULL
#define MB (1024ULL * KB)
#define GB (1024ULL * MB)

#define ALL_PERMS MAS3_PERMS

static BookeTlb *tlb_new(void)
{
    BookeTlb *t = calloc(1, sizeof(BookeTlb));
    if (!t) {
        fprintf(stderr, "test_booke206: out of memory\n");
        exit(2);
    }
    return t;
}

static uint32_t mas1_of(bool v, bool iprot, uint32_t tid, bool ts, unsigned tsize)
{
    return (v ? MAS1_V : 0) | (iprot ? MAS1_IPROT : 0) | (tid << MAS1_TID_SHIFT) |
           (ts ? MAS1_TS : 0) | (tsize << MAS1_TSIZE_SHIFT);
}

static uint32_t mas8_of(bool tgs, uint32_t tlpid)
{
    return (tgs ? MAS8_TGS : 0) | tlpid;
}

static uint32_t mas0_of(unsigned tlbsel, unsigned esel, unsigned nv)
{
    return (tlbsel << MAS0_TLBSEL_SHIFT) | (esel << MAS0_ESEL_SHIFT) | nv;
}

/* What one TLB entry should be: where, which context, what it maps to. */
typedef struct Ent {
    unsigned tlbsel, esel, nv;
    uint32_t tid;
    bool ts, iprot, tgs, vf;
    uint32_t tlpid;
    unsigned tsize;
    uint64_t epn, rpn;   /* effective page, 36-bit real page */
    uint32_t perms, wimge;
} Ent;

static BookeMas mas_of(const Ent *e)
{
    return (BookeMas){
        .mas0 = mas0_of(e->tlbsel, e->esel, e->nv),
        .mas1 = mas1_of(true, e->iprot, e->tid, e->ts, e->tsize),
        .mas2 = e->epn | e->wimge,
        .mas3 = (uint32_t)(e->rpn & MAS3_RPN) | e->perms,
        .mas7 = (uint32_t)(e->rpn >> 32),
        .mas8 = mas8_of(e->tgs, e->tlpid) | (e->vf ? MAS8_VF : 0),
    };
}

static void put(BookeTlb *t, Ent e)
{
    if (!e.tsize)
        e.tsize = BOOKE_TSIZE_4K;
    BookeMas m = mas_of(&e);
    CHECK_EQ(booke_tlbwe(t, &m), BOOKE_TLBWE_OK);
}

static BookeCtx ctx_of(uint32_t pid, bool as, bool gs, uint32_t lpid)
{
    return (BookeCtx){ .pid = pid, .lpid = lpid, .as = as, .gs = gs };
}

static const BookeCtx host0 = { 0 };

/* The result of a privileged load in ctx, with the RA in *ra. */
static BookeResult load(const BookeTlb *t, uint64_t ea, const BookeCtx *c, uint64_t *ra)
{
    BookeXlate x;
    BookeResult r = booke_translate(t, ea, c, false, BOOKE_LOAD, &x);
    *ra = x.ra;
    return r;
}

/* The RA of a privileged load, or ~0 when it does not translate. */
static uint64_t ra_of(const BookeTlb *t, uint64_t ea, const BookeCtx *c)
{
    uint64_t ra;
    return load(t, ea, c, &ra) == BOOKE_OK ? ra : ~0ULL;
}

static void test_config(void)
{
    uint32_t mmucfg = booke_mmucfg();
    CHECK_EQ(mmucfg, 0x064809c4u);
    CHECK_EQ((mmucfg & MMUCFG_LPIDSIZE) >> MMUCFG_LPIDSIZE_SHIFT, 6);
    CHECK_EQ((mmucfg & MMUCFG_LPIDSIZE) >> MMUCFG_LPIDSIZE_SHIFT, BOOKE_LPID_BITS);
    CHECK_EQ((mmucfg & MMUCFG_RASIZE) >> MMUCFG_RASIZE_SHIFT, 36);
    CHECK_EQ(mmucfg & MMUCFG_LRAT, 0);
    CHECK_EQ(mmucfg & MMUCFG_TWC, 0);
    CHECK_EQ((mmucfg & MMUCFG_NPIDS) >> MMUCFG_NPIDS_SHIFT, 1);
    /* xmon: pid bits = PIDSIZE + 1 */
    CHECK_EQ(((mmucfg & MMUCFG_PIDSIZE) >> MMUCFG_PIDSIZE_SHIFT) + 1, 8);
    CHECK_EQ(((mmucfg & MMUCFG_NTLBS) >> MMUCFG_NTLBS_SHIFT) + 1, 2);
    CHECK_EQ(mmucfg & MMUCFG_MAVN, 0);   /* Linux's MMUCFG_MAVN_V1 */

    uint32_t t0 = booke_tlbcfg(0), t1 = booke_tlbcfg(1);
    CHECK_EQ(t0, 0x04110200u);
    CHECK_EQ(t1, 0x401bc040u);
    CHECK_EQ((t0 & TLBnCFG_ASSOC) >> TLBnCFG_ASSOC_SHIFT, 4);
    CHECK_EQ(t0 & TLBnCFG_NENTRY, 512);
    CHECK_EQ((t0 & TLBnCFG_MINSIZE) >> TLBnCFG_MINSIZE_SHIFT, 1);
    CHECK_EQ((t0 & TLBnCFG_MAXSIZE) >> TLBnCFG_MAXSIZE_SHIFT, 1);
    CHECK_EQ(t0 & TLBnCFG_IPROT, 0);
    CHECK_EQ(t0 & TLBnCFG_AVAIL, 0);
    CHECK_EQ((t1 & TLBnCFG_ASSOC) >> TLBnCFG_ASSOC_SHIFT, 64);
    CHECK_EQ(t1 & TLBnCFG_NENTRY, 64);
    CHECK_EQ((t1 & TLBnCFG_MINSIZE) >> TLBnCFG_MINSIZE_SHIFT, 1);
    CHECK_EQ((t1 & TLBnCFG_MAXSIZE) >> TLBnCFG_MAXSIZE_SHIFT, 11);
    CHECK(t1 & TLBnCFG_IPROT);
    CHECK(t1 & TLBnCFG_AVAIL);
    CHECK_EQ(booke_tlbcfg(2), 0);
    CHECK_EQ(booke_tlbcfg(3), 0);
    /* Linux's calc_cam_sz (MAV 1.0): ((TLB1CFG >> 16) & 0xf) * 2 + 10 = log2(4 GiB) */
    CHECK_EQ(((t1 >> 16) & 0xf) * 2 + 10, 32);
    /* KVM's e500_mmu_host_init: sets = entries / ways */
    CHECK_EQ((t0 & TLBnCFG_NENTRY) / ((t0 & TLBnCFG_ASSOC) >> TLBnCFG_ASSOC_SHIFT),
             BOOKE_TLB0_SETS);
    CHECK_EQ(BOOKE_TLB0_SETS, 128);
}

static void test_tlb1_match(void)
{
    BookeTlb *t = tlb_new();
    BookeCtx c = host0;
    put(t, (Ent){ .tlbsel = 1, .esel = 3, .tsize = BOOKE_TSIZE_16M, .epn = 0xc0000000,
                  .rpn = 0x01000000, .perms = ALL_PERMS, .wimge = MAS2_M | MAS2_G });
    BookeXlate x;
    CHECK_EQ(booke_translate(t, 0xc0000000, &c, false, BOOKE_LOAD, &x), BOOKE_OK);
    CHECK_EQ(x.ra, 0x01000000);
    CHECK_EQ(x.page_size, 16 * MB);
    CHECK_EQ(x.tlbsel, 1);
    CHECK_EQ(x.index, 3);
    CHECK(x.e == &t->tlb1[3]);
    CHECK_EQ(x.wimge, MAS2_M | MAS2_G);
    CHECK_EQ(ra_of(t, 0xc0abcdef, &c), 0x01abcdef);
    CHECK_EQ(ra_of(t, 0xc0ffffff, &c), 0x01ffffff);
    CHECK_EQ(ra_of(t, 0xc1000000, &c), ~0ULL);
    CHECK_EQ(ra_of(t, 0xbfffffff, &c), ~0ULL);
    CHECK_EQ(booke_translate(t, 0xc1000000, &c, false, BOOKE_LOAD, &x), BOOKE_MISS);
    CHECK(x.e == NULL);

    /* TID 0 is shared by every PID. */
    BookeCtx p5 = ctx_of(5, false, false, 0);
    CHECK_EQ(ra_of(t, 0xc0000010, &p5), 0x01000010);

    /* TID != 0 matches only that PID. */
    put(t, (Ent){ .tlbsel = 1, .esel = 4, .tid = 7, .epn = 0x10000000, .rpn = 0x20000000,
                  .perms = ALL_PERMS });
    BookeCtx p7 = ctx_of(7, false, false, 0), p8 = ctx_of(8, false, false, 0);
    CHECK_EQ(ra_of(t, 0x10000123, &p7), 0x20000123);
    CHECK_EQ(ra_of(t, 0x10000123, &p8), ~0ULL);
    CHECK_EQ(ra_of(t, 0x10000123, &c), ~0ULL);   /* PID 0 is not a wildcard */
    /* the PID is 8 bits: PIDSIZE = 7 */
    BookeCtx p107 = ctx_of(0x107, false, false, 0);
    CHECK_EQ(ra_of(t, 0x10000123, &p107), 0x20000123);

    /* TS must equal the address space. */
    put(t, (Ent){ .tlbsel = 1, .esel = 5, .ts = true, .epn = 0x30000000, .rpn = 0x40000000,
                  .perms = ALL_PERMS });
    BookeCtx as1 = ctx_of(0, true, false, 0);
    CHECK_EQ(ra_of(t, 0x30000004, &as1), 0x40000004);
    CHECK_EQ(ra_of(t, 0x30000004, &c), ~0ULL);
    CHECK_EQ(ra_of(t, 0xc0000000, &as1), ~0ULL);   /* a TS=0 entry in AS 1 */

    /* An invalid entry never matches. */
    BookeMas m = { .mas0 = mas0_of(1, 3, 0), .mas1 = 0 };
    CHECK_EQ(booke_tlbwe(t, &m), BOOKE_TLBWE_OK);
    CHECK_EQ(ra_of(t, 0xc0000000, &c), ~0ULL);
    free(t);
}

static void test_tlb0_match(void)
{
    BookeTlb *t = tlb_new();
    BookeCtx c = host0;
    /* EA 0x10005000: set 5; ESEL 2 is the way. */
    put(t, (Ent){ .tlbsel = 0, .esel = 2, .epn = 0x10005000, .rpn = 0x7654000,
                  .perms = ALL_PERMS });
    CHECK_EQ(t->tlb0[5 * 4 + 2].mas1 & MAS1_V, MAS1_V);
    BookeXlate x;
    CHECK_EQ(booke_translate(t, 0x10005abc, &c, false, BOOKE_LOAD, &x), BOOKE_OK);
    CHECK_EQ(x.ra, 0x7654abc);
    CHECK_EQ(x.tlbsel, 0);
    CHECK_EQ(x.index, 5 * 4 + 2);
    CHECK_EQ(x.page_size, 4 * KB);
    CHECK_EQ(ra_of(t, 0x10006000, &c), ~0ULL);   /* the next page, set 6 */
    CHECK_EQ(ra_of(t, 0x20005abc, &c), ~0ULL);   /* set 5, another EPN */
    CHECK_EQ(ra_of(t, 0x10004fff, &c), ~0ULL);

    /* The four ways of one set hold four pages whose EAs differ above the index. */
    for (unsigned w = 0; w < 4; w++)
        put(t, (Ent){ .tlbsel = 0, .esel = w, .epn = 0x00080000 + (uint64_t)w * 0x1000000,
                      .rpn = 0x100000 + w * 0x1000, .perms = ALL_PERMS });
    for (unsigned w = 0; w < 4; w++)
        CHECK_EQ(ra_of(t, 0x00080010 + (uint64_t)w * 0x1000000, &c), 0x100010 + w * 0x1000);
    /* set 0x80 & 127 = 0: all in set 0 */
    CHECK_EQ(t->tlb0[0].mas2 & MAS2_EPN, 0x00080000);
    CHECK_EQ(t->tlb0[3].mas2 & MAS2_EPN, 0x03080000);

    /* Quirk(e500mc): TLB0 ignores TSIZE (4 KiB) and IPROT. */
    BookeMas m = { .mas0 = mas0_of(0, 1, 0),
                   .mas1 = mas1_of(true, true, 0, false, BOOKE_TSIZE_16M),
                   .mas2 = 0x50000000, .mas3 = 0x60000000 | ALL_PERMS };
    CHECK_EQ(booke_tlbwe(t, &m), BOOKE_TLBWE_OK);
    CHECK_EQ(ra_of(t, 0x50000fff, &c), 0x60000fff);
    CHECK_EQ(ra_of(t, 0x50001000, &c), ~0ULL);
    BookeMas r = { .mas0 = mas0_of(0, 1, 0), .mas2 = 0x50000000 };
    booke_tlbre(t, &r);
    CHECK_EQ((r.mas1 & MAS1_TSIZE) >> MAS1_TSIZE_SHIFT, BOOKE_TSIZE_4K);
    CHECK_EQ(r.mas1 & MAS1_IPROT, 0);
    CHECK_EQ(booke_tlbe_size(&t->tlb0[1]), 4 * KB);

    /* TLB1 is searched before TLB0. */
    put(t, (Ent){ .tlbsel = 1, .esel = 0, .epn = 0x10005000, .rpn = 0x9999000,
                  .perms = ALL_PERMS });
    CHECK_EQ(booke_translate(t, 0x10005abc, &c, false, BOOKE_LOAD, &x), BOOKE_OK);
    CHECK_EQ(x.ra, 0x9999abc);
    CHECK_EQ(x.tlbsel, 1);
    m = (BookeMas){ .mas0 = mas0_of(1, 0, 0) };
    CHECK_EQ(booke_tlbwe(t, &m), BOOKE_TLBWE_OK);
    CHECK_EQ(ra_of(t, 0x10005abc, &c), 0x7654abc);
    free(t);
}

static void test_page_sizes(void)
{
    for (unsigned tsize = BOOKE_TSIZE_4K; tsize <= BOOKE_TSIZE_4G; tsize += 2) {
        BookeTlb *t = tlb_new();
        BookeCtx c = host0;
        uint64_t size = KB << tsize;
        uint64_t epn = 0x80000000ULL & ~(size - 1);               /* 0 for 4 GiB */
        uint64_t rpn = 0x200000000ULL | (size < 4 * GB ? size : 0); /* aligned, 36-bit */
        put(t, (Ent){ .tlbsel = 1, .esel = tsize / 2, .tsize = tsize, .epn = epn, .rpn = rpn,
                      .perms = ALL_PERMS });
        CHECK_EQ(booke_tlbe_size(&t->tlb1[tsize / 2]), size);
        BookeXlate x;
        CHECK_EQ(booke_translate(t, epn, &c, false, BOOKE_LOAD, &x), BOOKE_OK);
        CHECK_EQ(x.ra, rpn);
        CHECK_EQ(x.page_size, size);
        CHECK_EQ(ra_of(t, epn + size - 1, &c), rpn + size - 1);
        CHECK_EQ(ra_of(t, epn + size / 2 + 0x123, &c), rpn + size / 2 + 0x123);
        if (epn)
            CHECK_EQ(ra_of(t, epn - 1, &c), ~0ULL);
        if (size < 4 * GB)
            CHECK_EQ(ra_of(t, epn + size, &c), ~0ULL);
        free(t);
    }

    /* The named sizes: 4K, 16M, 1G, 4G. */
    CHECK_EQ(KB << BOOKE_TSIZE_4K, 4 * KB);
    CHECK_EQ(KB << BOOKE_TSIZE_16M, 16 * MB);
    CHECK_EQ(KB << BOOKE_TSIZE_1G, 1 * GB);
    CHECK_EQ(KB << BOOKE_TSIZE_4G, 4 * GB);

    BookeTlb *t = tlb_new();
    BookeCtx c = host0;
    /* EPN and RPN bits below the page size are ignored (and kept for tlbre). */
    put(t, (Ent){ .tlbsel = 1, .esel = 1, .tsize = BOOKE_TSIZE_16M, .epn = 0xc0123000,
                  .rpn = 0x00456000, .perms = ALL_PERMS });
    CHECK_EQ(ra_of(t, 0xc0000000, &c), 0x00000000);
    CHECK_EQ(ra_of(t, 0xc0fffffc, &c), 0x00fffffc);
    BookeMas r = { .mas0 = mas0_of(1, 1, 0) };
    booke_tlbre(t, &r);
    CHECK_EQ(r.mas2 & MAS2_EPN, 0xc0123000);
    CHECK_EQ(r.mas3 & MAS3_RPN, 0x00456000);

    /* A 1 GiB page at 0x40000000 mapping RA 0x3_c000_0000. */
    put(t, (Ent){ .tlbsel = 1, .esel = 2, .tsize = BOOKE_TSIZE_1G, .epn = 0x40000000,
                  .rpn = 0x3c0000000ULL, .perms = ALL_PERMS });
    CHECK_EQ(ra_of(t, 0x7fffffff, &c), 0x3ffffffffULL);
    CHECK_EQ(ra_of(t, 0x40000000, &c), 0x3c0000000ULL);

    /* MMU v1.0 TSIZE: the odd bit is not implemented, 32 MiB (15) becomes 16 MiB (14). */
    BookeMas m = { .mas0 = mas0_of(1, 6, 0),
                   .mas1 = mas1_of(true, false, 0, false, 15),
                   .mas2 = 0xa0000000, .mas3 = 0x0 | ALL_PERMS };
    CHECK_EQ(booke_tlbwe(t, &m), BOOKE_TLBWE_OK);
    CHECK_EQ(booke_tlbe_size(&t->tlb1[6]), 16 * MB);
    CHECK_EQ(ra_of(t, 0xa0ffffff, &c), 0x00ffffff);
    CHECK_EQ(ra_of(t, 0xa1000000, &c), ~0ULL);
    /* 8 GiB (23) rounds down to 4 GiB. */
    m.mas0 = mas0_of(1, 7, 0);
    m.mas1 = mas1_of(true, false, 0, true, 23);
    m.mas2 = 0;
    CHECK_EQ(booke_tlbwe(t, &m), BOOKE_TLBWE_OK);
    CHECK_EQ(booke_tlbe_size(&t->tlb1[7]), 4 * GB);

    /* Sizes outside 4 KiB .. 4 GiB are not written while V = 1. */
    BookeTlbe before = t->tlb1[1];
    m = (BookeMas){ .mas0 = mas0_of(1, 1, 0), .mas1 = mas1_of(true, false, 0, false, 0),
                    .mas2 = 0x1000, .mas3 = ALL_PERMS };
    CHECK_EQ(booke_tlbwe(t, &m), BOOKE_TLBWE_INVALID);
    CHECK_MEM(&t->tlb1[1], &before, sizeof before);
    m.mas1 = mas1_of(true, false, 0, false, 24);   /* 16 GiB */
    CHECK_EQ(booke_tlbwe(t, &m), BOOKE_TLBWE_INVALID);
    CHECK_EQ(ra_of(t, 0xc0000000, &c), 0x00000000);   /* entry 1 is still there */
    m.mas1 = mas1_of(false, false, 0, false, 0);       /* an invalid entry may say 1 KiB */
    CHECK_EQ(booke_tlbwe(t, &m), BOOKE_TLBWE_OK);
    CHECK_EQ(ra_of(t, 0xc0000000, &c), ~0ULL);
    free(t);
}

static void test_ra36(void)
{
    BookeTlb *t = tlb_new();
    BookeCtx c = host0;
    put(t, (Ent){ .tlbsel = 1, .esel = 9, .epn = 0xfffff000, .rpn = 0xffffff000ULL,
                  .perms = ALL_PERMS });
    CHECK_EQ(ra_of(t, 0xfffff123, &c), 0xffffff123ULL);
    CHECK_EQ(ra_of(t, 0xfffffffc, &c), 0xffffffffcULL);
    /* MAS7 holds RA bits 28:31 only: a 36-bit real address. */
    BookeMas m = { .mas0 = mas0_of(1, 10, 0), .mas1 = mas1_of(true, false, 0, false, 2),
                   .mas2 = 0x00001000, .mas3 = 0x00002000 | ALL_PERMS, .mas7 = 0x35 };
    CHECK_EQ(booke_tlbwe(t, &m), BOOKE_TLBWE_OK);
    CHECK_EQ(ra_of(t, 0x00001008, &c), 0x500002008ULL);
    BookeMas r = { .mas0 = mas0_of(1, 10, 0) };
    booke_tlbre(t, &r);
    CHECK_EQ(r.mas7, 0x5);
    /* The same through TLB0. */
    put(t, (Ent){ .tlbsel = 0, .esel = 0, .epn = 0x00003000, .rpn = 0xa12345000ULL,
                  .perms = ALL_PERMS });
    CHECK_EQ(ra_of(t, 0x00003fff, &c), 0xa12345fffULL);
    free(t);
}

static void test_tgs_tlpid(void)
{
    BookeTlb *t = tlb_new();
    /* A hypervisor entry: TGS = 0, TLPID = 0. */
    put(t, (Ent){ .tlbsel = 1, .esel = 0, .epn = 0x1000, .rpn = 0x11000, .perms = ALL_PERMS });
    /* A guest entry of partition 5. */
    put(t, (Ent){ .tlbsel = 1, .esel = 1, .tgs = true, .tlpid = 5, .epn = 0x2000,
                  .rpn = 0x22000, .perms = ALL_PERMS });
    /* A guest entry with TLPID 0. */
    put(t, (Ent){ .tlbsel = 1, .esel = 2, .tgs = true, .tlpid = 0, .epn = 0x3000,
                  .rpn = 0x33000, .perms = ALL_PERMS });
    /* A hypervisor entry of partition 7. */
    put(t, (Ent){ .tlbsel = 0, .esel = 0, .tlpid = 7, .epn = 0x4000, .rpn = 0x44000,
                  .perms = ALL_PERMS });
    /* Two guests with the same EA in TLB0. */
    put(t, (Ent){ .tlbsel = 0, .esel = 0, .tgs = true, .tlpid = 1, .epn = 0x5000,
                  .rpn = 0x51000, .perms = ALL_PERMS });
    put(t, (Ent){ .tlbsel = 0, .esel = 1, .tgs = true, .tlpid = 2, .epn = 0x5000,
                  .rpn = 0x52000, .perms = ALL_PERMS });

    BookeCtx hv0 = ctx_of(0, false, false, 0), hv5 = ctx_of(0, false, false, 5);
    BookeCtx hv7 = ctx_of(0, false, false, 7), hv8 = ctx_of(0, false, false, 8);
    BookeCtx g0 = ctx_of(0, false, true, 0), g1 = ctx_of(0, false, true, 1);
    BookeCtx g2 = ctx_of(0, false, true, 2), g3 = ctx_of(0, false, true, 3);
    BookeCtx g5 = ctx_of(0, false, true, 5), g6 = ctx_of(0, false, true, 6);

    /* TLPID 0 with TGS 0 matches any LPIDR in hypervisor state. */
    CHECK_EQ(ra_of(t, 0x1000, &hv0), 0x11000);
    CHECK_EQ(ra_of(t, 0x1000, &hv5), 0x11000);
    /* ... but TGS must equal MSR[GS]. */
    CHECK_EQ(ra_of(t, 0x1000, &g0), ~0ULL);
    CHECK_EQ(ra_of(t, 0x1000, &g5), ~0ULL);
    /* The guest entry: GS = 1 and LPIDR = 5 exactly. */
    CHECK_EQ(ra_of(t, 0x2000, &g5), 0x22000);
    CHECK_EQ(ra_of(t, 0x2000, &g6), ~0ULL);
    CHECK_EQ(ra_of(t, 0x2000, &hv5), ~0ULL);
    CHECK_EQ(ra_of(t, 0x2000, &g0), ~0ULL);
    /* TLPID 0 is no wildcard in guest state. */
    CHECK_EQ(ra_of(t, 0x3000, &g0), 0x33000);
    CHECK_EQ(ra_of(t, 0x3000, &g3), ~0ULL);
    CHECK_EQ(ra_of(t, 0x3000, &hv0), ~0ULL);
    /* A hypervisor entry with TLPID 7 matches only LPIDR 7. */
    CHECK_EQ(ra_of(t, 0x4000, &hv7), 0x44000);
    CHECK_EQ(ra_of(t, 0x4000, &hv0), ~0ULL);
    CHECK_EQ(ra_of(t, 0x4000, &hv8), ~0ULL);
    /* Each partition sees its own page. */
    CHECK_EQ(ra_of(t, 0x5004, &g1), 0x51004);
    CHECK_EQ(ra_of(t, 0x5004, &g2), 0x52004);
    CHECK_EQ(ra_of(t, 0x5004, &g3), ~0ULL);
    CHECK_EQ(ra_of(t, 0x5004, &hv0), ~0ULL);

    /* TLPID is 6 bits (LPIDSIZE = 6). */
    BookeMas m = { .mas0 = mas0_of(1, 3, 0), .mas1 = mas1_of(true, false, 0, false, 2),
                   .mas2 = 0x6000, .mas3 = 0x66000 | ALL_PERMS, .mas8 = MAS8_TGS | 0xc5 };
    CHECK_EQ(booke_tlbwe(t, &m), BOOKE_TLBWE_OK);
    BookeMas r = { .mas0 = mas0_of(1, 3, 0) };
    booke_tlbre(t, &r);
    CHECK_EQ(r.mas8, MAS8_TGS | 0x05);
    BookeCtx g5x = ctx_of(0, false, true, 0x45);   /* LPIDR's implemented bits: 5 */
    CHECK_EQ(ra_of(t, 0x6000, &g5), 0x66000);
    CHECK_EQ(ra_of(t, 0x6000, &g5x), 0x66000);
    free(t);
}

static void test_permissions(void)
{
    static const uint32_t bits[6] = { MAS3_UX, MAS3_SX, MAS3_UW, MAS3_SW, MAS3_UR, MAS3_SR };
    static const BookeAccess accs[3] = { BOOKE_LOAD, BOOKE_STORE, BOOKE_FETCH };
    /* need[pr][acc] */
    static const uint32_t need[2][3] = { { MAS3_SR, MAS3_SW, MAS3_SX },
                                         { MAS3_UR, MAS3_UW, MAS3_UX } };
    BookeCtx c = host0;
    for (unsigned b = 0; b < 6; b++) {
        BookeTlb *t = tlb_new();
        put(t, (Ent){ .tlbsel = 1, .esel = 0, .epn = 0x8000, .rpn = 0x9000, .perms = bits[b] });
        for (unsigned pr = 0; pr < 2; pr++) {
            for (unsigned a = 0; a < 3; a++) {
                BookeXlate x;
                BookeResult r = booke_translate(t, 0x8010, &c, pr, accs[a], &x);
                CHECK_EQ(r, bits[b] == need[pr][a] ? BOOKE_OK : BOOKE_PROT);
                CHECK_EQ(x.ra, 0x9010);   /* the entry is reported either way */
            }
        }
        free(t);
    }
    BookeTlb *t = tlb_new();
    put(t, (Ent){ .tlbsel = 0, .esel = 0, .epn = 0x8000, .rpn = 0x9000, .perms = ALL_PERMS });
    put(t, (Ent){ .tlbsel = 0, .esel = 0, .epn = 0xa000, .rpn = 0xb000, .perms = 0 });
    /* Supervisor read/write but no execute, user read-only: a typical kernel data page. */
    put(t, (Ent){ .tlbsel = 0, .esel = 0, .epn = 0xc000, .rpn = 0xd000,
                  .perms = MAS3_SR | MAS3_SW | MAS3_UR });
    for (unsigned pr = 0; pr < 2; pr++) {
        for (unsigned a = 0; a < 3; a++) {
            BookeXlate x;
            CHECK_EQ(booke_translate(t, 0x8000, &c, pr, accs[a], &x), BOOKE_OK);
            CHECK_EQ(booke_translate(t, 0xa000, &c, pr, accs[a], &x), BOOKE_PROT);
            CHECK(x.e == &t->tlb0[(0xa000 >> 12) * 4]);
        }
    }
    BookeXlate x;
    CHECK_EQ(booke_translate(t, 0xc000, &c, false, BOOKE_LOAD, &x), BOOKE_OK);
    CHECK_EQ(booke_translate(t, 0xc000, &c, false, BOOKE_STORE, &x), BOOKE_OK);
    CHECK_EQ(booke_translate(t, 0xc000, &c, false, BOOKE_FETCH, &x), BOOKE_PROT);
    CHECK_EQ(booke_translate(t, 0xc000, &c, true, BOOKE_LOAD, &x), BOOKE_OK);
    CHECK_EQ(booke_translate(t, 0xc000, &c, true, BOOKE_STORE, &x), BOOKE_PROT);
    CHECK_EQ(booke_translate(t, 0xc000, &c, true, BOOKE_FETCH, &x), BOOKE_PROT);
    free(t);
}

static void test_vf(void)
{
    BookeTlb *t = tlb_new();
    BookeCtx g3 = ctx_of(0, false, true, 3), hv = host0;
    put(t, (Ent){ .tlbsel = 1, .esel = 0, .tgs = true, .tlpid = 3, .vf = true, .epn = 0xe000,
                  .rpn = 0xf000, .perms = ALL_PERMS });
    put(t, (Ent){ .tlbsel = 1, .esel = 1, .tgs = true, .tlpid = 3, .vf = true, .epn = 0xe1000,
                  .rpn = 0xf1000, .perms = 0 });
    put(t, (Ent){ .tlbsel = 1, .esel = 2, .tgs = true, .tlpid = 3, .epn = 0xe2000,
                  .rpn = 0xf2000, .perms = ALL_PERMS });
    put(t, (Ent){ .tlbsel = 1, .esel = 3, .vf = true, .epn = 0xe3000, .rpn = 0xf3000,
                  .perms = ALL_PERMS });
    BookeXlate x;
    for (unsigned pr = 0; pr < 2; pr++) {
        CHECK_EQ(booke_translate(t, 0xe008, &g3, pr, BOOKE_LOAD, &x), BOOKE_VF);
        CHECK(x.e == &t->tlb1[0]);
        CHECK_EQ(x.ra, 0xf008);
        CHECK_EQ(booke_translate(t, 0xe008, &g3, pr, BOOKE_STORE, &x), BOOKE_VF);
        /* instruction fetch ignores VF */
        CHECK_EQ(booke_translate(t, 0xe008, &g3, pr, BOOKE_FETCH, &x), BOOKE_OK);
        /* VF whatever the permission bits; a fetch still needs them */
        CHECK_EQ(booke_translate(t, 0xe1008, &g3, pr, BOOKE_LOAD, &x), BOOKE_VF);
        CHECK_EQ(booke_translate(t, 0xe1008, &g3, pr, BOOKE_STORE, &x), BOOKE_VF);
        CHECK_EQ(booke_translate(t, 0xe1008, &g3, pr, BOOKE_FETCH, &x), BOOKE_PROT);
        /* no VF: normal */
        CHECK_EQ(booke_translate(t, 0xe2008, &g3, pr, BOOKE_STORE, &x), BOOKE_OK);
    }
    /* VF is a property of the entry: a hypervisor-state data access through one faults. */
    CHECK_EQ(booke_translate(t, 0xe3008, &hv, false, BOOKE_LOAD, &x), BOOKE_VF);
    CHECK_EQ(booke_translate(t, 0xe3008, &hv, false, BOOKE_FETCH, &x), BOOKE_OK);
    free(t);
}

static void test_tlbwe_tlbre(void)
{
    BookeTlb *t = tlb_new();
    /* TLB1: every field, with bits e500mc does not implement. */
    BookeMas m = {
        .mas0 = mas0_of(1, 42, 3),
        .mas1 = MAS1_V | MAS1_IPROT | (0x3fab << MAS1_TID_SHIFT) | MAS1_IND | MAS1_TS |
                (BOOKE_TSIZE_16M << MAS1_TSIZE_SHIFT) | 0x7f,
        .mas2 = 0x12345678c1000f7fULL,
        .mas3 = 0x12345fffu,
        .mas7 = 0xfffffffau,
        .mas8 = 0xffffffffu,
    };
    CHECK_EQ(booke_tlbwe(t, &m), BOOKE_TLBWE_OK);
    BookeMas r = { .mas0 = mas0_of(1, 42, 2), .mas4 = 0x1234 };
    booke_tlbre(t, &r);
    CHECK_EQ(r.mas0, mas0_of(1, 42, 2));   /* TLB1: MAS0 as it was */
    CHECK_EQ(r.mas1, MAS1_V | MAS1_IPROT | (0xab << MAS1_TID_SHIFT) | MAS1_TS |
                         (BOOKE_TSIZE_16M << MAS1_TSIZE_SHIFT));
    CHECK_EQ(r.mas2, 0xc100007fULL);
    CHECK_EQ(r.mas3, 0x12345000u | MAS3_U0_3 | MAS3_PERMS);
    CHECK_EQ(r.mas7, 0xa);
    CHECK_EQ(r.mas8, MAS8_TGS | MAS8_VF | 0x3f);
    CHECK_EQ(r.mas4, 0x1234);   /* tlbre leaves MAS4 */
    /* ESEL's bits above TLB1's 64 entries are not implemented: 106 is entry 42. */
    r = (BookeMas){ .mas0 = mas0_of(1, 106, 0) };
    booke_tlbre(t, &r);
    CHECK_EQ(r.mas2, 0xc100007fULL);
    CHECK(t->tlb1[42].mas1 & MAS1_V);

    /* TLB0: the set comes from MAS2[EPN], the way from ESEL's low two bits; NV becomes the
     * set's next victim and tlbre gives it back. */
    m = (BookeMas){ .mas0 = mas0_of(0, 6, 3), .mas1 = mas1_of(true, false, 0x12, true, 2),
                    .mas2 = 0x4007f000 | MAS2_I | MAS2_G, .mas3 = 0x00abc000 | MAS3_SR,
                    .mas7 = 0x1, .mas8 = mas8_of(true, 9) };
    CHECK_EQ(booke_tlbwe(t, &m), BOOKE_TLBWE_OK);
    CHECK(t->tlb0[127 * 4 + 2].mas1 & MAS1_V);
    CHECK_EQ(t->tlb0_nv[127], 3);
    r = (BookeMas){ .mas0 = mas0_of(0, 2, 0), .mas2 = 0x0007f000 };   /* set 127, way 2 */
    booke_tlbre(t, &r);
    CHECK_EQ(r.mas0, mas0_of(0, 2, 3));
    CHECK_EQ(r.mas1, mas1_of(true, false, 0x12, true, 2));
    CHECK_EQ(r.mas2, 0x4007f000 | MAS2_I | MAS2_G);
    CHECK_EQ(r.mas3, 0x00abc000 | MAS3_SR);
    CHECK_EQ(r.mas7, 0x1);
    CHECK_EQ(r.mas8, mas8_of(true, 9));
    /* another way of the set: invalid, and NV is the set's */
    r = (BookeMas){ .mas0 = mas0_of(0, 1, 0), .mas2 = 0x0007f000 };
    booke_tlbre(t, &r);
    CHECK_EQ(r.mas1 & MAS1_V, 0);
    CHECK_EQ(r.mas0 & MAS0_NV, 3);
    /* another set: its own NV (0) */
    r = (BookeMas){ .mas0 = mas0_of(0, 2, 2), .mas2 = 0x0007e000 };
    booke_tlbre(t, &r);
    CHECK_EQ(r.mas0 & MAS0_NV, 0);

    /* TLBSEL 2 and 3 do not exist. */
    BookeTlb *copy = tlb_new();
    *copy = *t;
    m.mas0 = mas0_of(2, 0, 0);
    CHECK_EQ(booke_tlbwe(t, &m), BOOKE_TLBWE_INVALID);
    m.mas0 = mas0_of(3, 0, 0);
    CHECK_EQ(booke_tlbwe(t, &m), BOOKE_TLBWE_INVALID);
    CHECK_MEM(t, copy, sizeof *t);
    r = (BookeMas){ .mas0 = mas0_of(2, 0, 0), .mas1 = 0x5555, .mas2 = 0x1000, .mas3 = 7 };
    booke_tlbre(t, &r);
    CHECK_EQ(r.mas1, 0x5555);
    CHECK_EQ(r.mas2, 0x1000);
    CHECK_EQ(r.mas3, 7);
    free(copy);
    free(t);
}

static void test_miss_mas(void)
{
    BookeTlb *t = tlb_new();
    BookeMas m = {
        .mas4 = (BOOKE_TSIZE_4K << MAS4_TSIZED_SHIFT) | MAS2_I | MAS2_G | MAS2_X0,
        .mas5 = 0x77,
        .mas3 = 0xffffffff, .mas7 = 0xf,
    };
    BookeCtx c = ctx_of(0x42, true, true, 9);
    booke_tlb_miss_mas(t, &m, 0x12345678, &c);
    CHECK_EQ(m.mas0, mas0_of(0, 0, 1));
    CHECK_EQ(m.mas1, mas1_of(true, false, 0x42, true, BOOKE_TSIZE_4K));
    CHECK_EQ(m.mas2, 0x12345000 | MAS2_I | MAS2_G | MAS2_X0);
    CHECK_EQ(m.mas3, 0);
    CHECK_EQ(m.mas7, 0);
    CHECK_EQ(m.mas6, (0x42u << MAS6_SPID_SHIFT) | MAS6_SAS);
    CHECK_EQ(m.mas8, MAS8_TGS | 9);
    CHECK_EQ(m.mas4, (BOOKE_TSIZE_4K << MAS4_TSIZED_SHIFT) | MAS2_I | MAS2_G | MAS2_X0);
    CHECK_EQ(m.mas5, 0x77);

    /* The refill Linux's handler does: keep MAS0/1/2, supply MAS3/7, tlbwe. Each write
     * advances the set's victim, round robin over the four ways. */
    BookeCtx g = c;
    for (unsigned i = 0; i < 6; i++) {
        uint64_t ea = 0x00345000 + (uint64_t)i * 0x10000000;   /* all in set 0x45 */
        booke_tlb_miss_mas(t, &m, ea, &g);
        CHECK_EQ((m.mas0 & MAS0_ESEL) >> MAS0_ESEL_SHIFT, i % 4);
        CHECK_EQ(m.mas0 & MAS0_NV, (i + 1) % 4);
        m.mas3 = (uint32_t)(0x100000 + i * 0x1000) | MAS3_SR | MAS3_UR;
        m.mas7 = 0;
        CHECK_EQ(booke_tlbwe(t, &m), BOOKE_TLBWE_OK);
        CHECK_EQ(t->tlb0_nv[0x45], (i + 1) % 4);
        CHECK_EQ(ra_of(t, ea + 0x20, &g), 0x100020 + i * 0x1000);
    }
    /* ways 0 and 1 were replaced by the 5th and 6th pages */
    CHECK_EQ(ra_of(t, 0x00345000, &g), ~0ULL);
    CHECK_EQ(ra_of(t, 0x10345000, &g), ~0ULL);
    CHECK_EQ(ra_of(t, 0x20345000, &g), 0x102000);
    /* other sets keep their own victim */
    booke_tlb_miss_mas(t, &m, 0x00346000, &g);
    CHECK_EQ(m.mas0, mas0_of(0, 0, 1));

    /* TLBSELD = 1: TLB1, ESEL 0, with TSIZED and the other defaults. */
    m.mas4 = (1u << MAS4_TLBSELD_SHIFT) | (BOOKE_TSIZE_16M << MAS4_TSIZED_SHIFT) | MAS2_M;
    BookeCtx h = ctx_of(3, false, false, 0);
    booke_tlb_miss_mas(t, &m, 0xc0001234, &h);
    CHECK_EQ((m.mas0 & MAS0_TLBSEL) >> MAS0_TLBSEL_SHIFT, 1);
    CHECK_EQ((m.mas0 & MAS0_ESEL) >> MAS0_ESEL_SHIFT, 0);
    CHECK_EQ(m.mas1, mas1_of(true, false, 3, false, BOOKE_TSIZE_16M));
    CHECK_EQ(m.mas2, 0xc0001000 | MAS2_M);
    CHECK_EQ(m.mas6, 3u << MAS6_SPID_SHIFT);
    CHECK_EQ(m.mas8, 0);
    /* the PID and LPID are cut to their implemented bits */
    BookeCtx wide = ctx_of(0x1ff, false, true, 0x7f);
    booke_tlb_miss_mas(t, &m, 0x1000, &wide);
    CHECK_EQ((m.mas1 & MAS1_TID) >> MAS1_TID_SHIFT, 0xff);
    CHECK_EQ(m.mas8, MAS8_TGS | 0x3f);
    free(t);
}

static void test_tlbsx(void)
{
    BookeTlb *t = tlb_new();
    put(t, (Ent){ .tlbsel = 1, .esel = 17, .tid = 4, .ts = true, .iprot = true,
                  .tsize = BOOKE_TSIZE_16M, .epn = 0xd0000000, .rpn = 0x3d0000000ULL,
                  .perms = MAS3_SR | MAS3_SW, .wimge = MAS2_I });
    put(t, (Ent){ .tlbsel = 0, .esel = 3, .nv = 2, .epn = 0x00012000, .rpn = 0x00099000,
                  .perms = ALL_PERMS });   /* TID 0: global */
    put(t, (Ent){ .tlbsel = 0, .esel = 1, .tgs = true, .tlpid = 6, .tid = 9,
                  .epn = 0x00013000, .rpn = 0x00088000, .perms = ALL_PERMS });

    /* Hit in TLB1. */
    BookeMas m = { .mas6 = (4u << MAS6_SPID_SHIFT) | MAS6_SAS, .mas4 = 0xdead0000 };
    booke_tlbsx(t, &m, 0xd0abcdef);
    CHECK_EQ(m.mas0, mas0_of(1, 17, 0));
    CHECK_EQ(m.mas1, mas1_of(true, true, 4, true, BOOKE_TSIZE_16M));
    CHECK_EQ(m.mas2, 0xd0000000 | MAS2_I);
    CHECK_EQ(m.mas3, 0xd0000000u | MAS3_SR | MAS3_SW);
    CHECK_EQ(m.mas7, 0x3);
    CHECK_EQ(m.mas8, 0);
    CHECK_EQ(m.mas6, (4u << MAS6_SPID_SHIFT) | MAS6_SAS);   /* unchanged */
    CHECK_EQ(m.mas4, 0xdead0000);
    /* the wrong SAS or SPID misses it */
    m = (BookeMas){ .mas6 = 4u << MAS6_SPID_SHIFT };
    booke_tlbsx(t, &m, 0xd0abcdef);
    CHECK_EQ(m.mas1 & MAS1_V, 0);
    m = (BookeMas){ .mas6 = (5u << MAS6_SPID_SHIFT) | MAS6_SAS };
    booke_tlbsx(t, &m, 0xd0abcdef);
    CHECK_EQ(m.mas1 & MAS1_V, 0);

    /* Hit in TLB0 through TID 0 with any SPID: ESEL is the way, NV the set's victim. */
    m = (BookeMas){ .mas6 = 77u << MAS6_SPID_SHIFT };
    booke_tlbsx(t, &m, 0x00012345);
    CHECK_EQ(m.mas0, mas0_of(0, 3, 2));
    CHECK_EQ(m.mas1, mas1_of(true, false, 0, false, BOOKE_TSIZE_4K));
    CHECK_EQ(m.mas2, 0x00012000);
    CHECK_EQ(m.mas3, 0x00099000 | ALL_PERMS);
    CHECK_EQ(m.mas7, 0);

    /* A guest entry: found only with MAS5[SGS, SLPID] of its partition. */
    m = (BookeMas){ .mas6 = 9u << MAS6_SPID_SHIFT };
    booke_tlbsx(t, &m, 0x00013000);
    CHECK_EQ(m.mas1 & MAS1_V, 0);
    m = (BookeMas){ .mas5 = MAS5_SGS | 5, .mas6 = 9u << MAS6_SPID_SHIFT };
    booke_tlbsx(t, &m, 0x00013000);
    CHECK_EQ(m.mas1 & MAS1_V, 0);
    m = (BookeMas){ .mas5 = MAS5_SGS | 6, .mas6 = 9u << MAS6_SPID_SHIFT };
    booke_tlbsx(t, &m, 0x00013000);
    CHECK_EQ(m.mas0, mas0_of(0, 1, 0));
    CHECK_EQ(m.mas1, mas1_of(true, false, 9, false, BOOKE_TSIZE_4K));
    CHECK_EQ(m.mas8, MAS8_TGS | 6);
    CHECK_EQ(m.mas3, 0x00088000 | ALL_PERMS);
    /* SGS = 0 with SLPID = 6 does not find a TGS = 1 entry */
    m = (BookeMas){ .mas5 = 6, .mas6 = 9u << MAS6_SPID_SHIFT };
    booke_tlbsx(t, &m, 0x00013000);
    CHECK_EQ(m.mas1 & MAS1_V, 0);
    /* a hypervisor TLPID 0 entry is found with SGS = 0 whatever SLPID says */
    m = (BookeMas){ .mas5 = 6 };
    booke_tlbsx(t, &m, 0x00012000);
    CHECK(m.mas1 & MAS1_V);

    /* Miss: MAS1[V] = 0, the search context and the MAS4 defaults. */
    m = (BookeMas){ .mas4 = (BOOKE_TSIZE_4K << MAS4_TSIZED_SHIFT) | MAS2_W | MAS2_M,
                    .mas5 = MAS5_SGS | 2, .mas6 = (0x21u << MAS6_SPID_SHIFT) | MAS6_SAS,
                    .mas3 = 0x12345678, .mas7 = 3 };
    booke_tlbsx(t, &m, 0x00012abc);   /* set 0x12, victim 2 */
    CHECK_EQ(m.mas0, mas0_of(0, 2, 3));
    CHECK_EQ(m.mas1, mas1_of(false, false, 0x21, true, BOOKE_TSIZE_4K));
    CHECK_EQ(m.mas2, 0x00012000 | MAS2_W | MAS2_M);
    CHECK_EQ(m.mas3, 0);
    CHECK_EQ(m.mas7, 0);
    CHECK_EQ(m.mas8, MAS8_TGS | 2);
    CHECK_EQ(m.mas6, (0x21u << MAS6_SPID_SHIFT) | MAS6_SAS);
    CHECK_EQ(t->tlb0_nv[0x12], 2);   /* tlbsx does not move the victim; tlbwe does */
    /* Miss with TLBSELD = 1. */
    m = (BookeMas){ .mas4 = (1u << MAS4_TLBSELD_SHIFT) | (BOOKE_TSIZE_1G << MAS4_TSIZED_SHIFT),
                    .mas6 = 1u << MAS6_SPID_SHIFT };
    booke_tlbsx(t, &m, 0x80000000);
    CHECK_EQ((m.mas0 & MAS0_TLBSEL) >> MAS0_TLBSEL_SHIFT, 1);
    CHECK_EQ(m.mas1, mas1_of(false, false, 1, false, BOOKE_TSIZE_1G));
    /* Setting V and writing it back installs the entry tlbsx described. */
    m.mas1 |= MAS1_V;
    m.mas3 = 0x40000000 | MAS3_SR;
    CHECK_EQ(booke_tlbwe(t, &m), BOOKE_TLBWE_OK);
    BookeCtx p1 = ctx_of(1, false, false, 0);
    CHECK_EQ(ra_of(t, 0xbfffffff, &p1), 0x7fffffff);
    free(t);
}

/* A TLB with a set of entries the invalidation tests share. */
enum {
    E0_HOST,      /* TLB0, EA 0x7000, host, TID 0 */
    E0_HOST_B,    /* TLB0, EA 0x01007000 (the same set), host, TID 5, TS 1 */
    E0_GUEST3,    /* TLB0, EA 0x7000, guest LPID 3, TID 5 */
    E0_GUEST4,    /* TLB0, EA 0x8000, guest LPID 4, TID 5 */
    E1_HOST,      /* TLB1 0, 16M at 0xc0000000, host, TID 0 */
    E1_HOST_P,    /* TLB1 1, 4K at 0x7000, host, TID 5, IPROT */
    E1_GUEST3,    /* TLB1 2, 1M at 0x00100000, guest LPID 3, TID 0 */
    E1_GUEST3_P,  /* TLB1 3, 4K at 0x9000, guest LPID 3, TID 5, IPROT */
    E1_HOST_T5,   /* TLB1 4, 4K at 0xa000, host, TID 5, TS 0 */
    E1_HOST_T6,   /* TLB1 5, 4K at 0xb000, host, TID 6 */
    N_ENTS
};

static const Ent ents[N_ENTS] = {
    [E0_HOST] = { .tlbsel = 0, .esel = 0, .epn = 0x7000, .rpn = 0x17000 },
    [E0_HOST_B] = { .tlbsel = 0, .esel = 1, .epn = 0x01007000, .tid = 5, .ts = true,
                    .rpn = 0x27000 },
    [E0_GUEST3] = { .tlbsel = 0, .esel = 2, .epn = 0x7000, .tgs = true, .tlpid = 3, .tid = 5,
                    .rpn = 0x37000 },
    [E0_GUEST4] = { .tlbsel = 0, .esel = 0, .epn = 0x8000, .tgs = true, .tlpid = 4, .tid = 5,
                    .rpn = 0x48000 },
    [E1_HOST] = { .tlbsel = 1, .esel = 0, .tsize = BOOKE_TSIZE_16M, .epn = 0xc0000000,
                  .rpn = 0 },
    [E1_HOST_P] = { .tlbsel = 1, .esel = 1, .epn = 0x7000, .tid = 5, .iprot = true,
                    .rpn = 0x57000 },
    [E1_GUEST3] = { .tlbsel = 1, .esel = 2, .tsize = 10, .epn = 0x00100000, .tgs = true,
                    .tlpid = 3, .rpn = 0x00200000 },
    [E1_GUEST3_P] = { .tlbsel = 1, .esel = 3, .epn = 0x9000, .tgs = true, .tlpid = 3,
                      .tid = 5, .iprot = true, .rpn = 0x69000 },
    [E1_HOST_T5] = { .tlbsel = 1, .esel = 4, .epn = 0xa000, .tid = 5, .rpn = 0x7a000 },
    [E1_HOST_T6] = { .tlbsel = 1, .esel = 5, .epn = 0xb000, .tid = 6, .rpn = 0x8b000 },
};

static BookeTlb *inval_tlb(void)
{
    BookeTlb *t = tlb_new();
    for (unsigned i = 0; i < N_ENTS; i++) {
        Ent e = ents[i];
        e.perms = ALL_PERMS;
        put(t, e);
    }
    return t;
}

/* Whether entry i of ents[] is still valid. */
static bool live(const BookeTlb *t, unsigned i)
{
    const Ent *e = &ents[i];
    const BookeTlbe *te = e->tlbsel ? &t->tlb1[e->esel]
                                    : &t->tlb0[((e->epn >> 12) & 127) * 4 + e->esel];
    return (te->mas1 & MAS1_V) != 0;
}

/* Checks that exactly the entries in the mask `gone` were invalidated. */
static void check_gone(const BookeTlb *t, uint32_t gone, int line)
{
    for (unsigned i = 0; i < N_ENTS; i++) {
        bool want = !(gone & (1u << i));
        if (live(t, i) == want) {
            unit_pass();
        } else {
            unit_fail();
            fprintf(stderr, "%s:%d: entry %u is %s\n", __FILE__, line, i,
                    want ? "gone" : "still valid");
        }
    }
}
#define CHECK_GONE(t, gone) check_gone((t), (gone), __LINE__)
#define BIT(i) (1u << (i))

static void test_tlbivax(void)
{
    BookeTlb *t = inval_tlb();
    CHECK_GONE(t, 0);
    /* one page of TLB0 (EA bits 59:60 = 0), host partition: TID and TS not compared */
    CHECK(booke_tlbivax(t, 0x7000, 0));
    CHECK_GONE(t, BIT(E0_HOST));
    CHECK(booke_tlbivax(t, 0x01007000, 0));   /* TID 5, TS 1 */
    CHECK_GONE(t, BIT(E0_HOST) | BIT(E0_HOST_B));
    /* the guest entry at the same EA needs its partition in MAS5 */
    CHECK(!booke_tlbivax(t, 0x7000, MAS5_SGS | 4));
    CHECK(!booke_tlbivax(t, 0x7000, 3));   /* SGS = 0 */
    CHECK(booke_tlbivax(t, 0x7000, MAS5_SGS | 3));
    CHECK_GONE(t, BIT(E0_HOST) | BIT(E0_HOST_B) | BIT(E0_GUEST3));
    free(t);

    /* TLB1 by address (EA bits 59:60 = 1): the page's whole span, not TLB0 */
    t = inval_tlb();
    CHECK(!booke_tlbivax(t, 0xc0fff000 | 0x0, 0));   /* TLB0 selected: no 0xc0fff000 */
    CHECK_GONE(t, 0);
    CHECK(booke_tlbivax(t, 0xc0fff000 | 0x8, 0));
    CHECK_GONE(t, BIT(E1_HOST));
    /* IPROT protects */
    CHECK(!booke_tlbivax(t, 0x7000 | 0x8, 0));
    CHECK_GONE(t, BIT(E1_HOST));
    CHECK(!booke_tlbivax(t, 0x9000 | 0x8, MAS5_SGS | 3));
    /* a guest's 1M page in TLB1 */
    CHECK(!booke_tlbivax(t, 0x001ff000 | 0x8, MAS5_SGS | 2));
    CHECK(booke_tlbivax(t, 0x001ff000 | 0x8, MAS5_SGS | 3));
    CHECK_GONE(t, BIT(E1_HOST) | BIT(E1_GUEST3));
    free(t);

    /* invalidate all of TLB0 (0x4) for the host partition */
    t = inval_tlb();
    CHECK(booke_tlbivax(t, 0x4, 0));
    CHECK_GONE(t, BIT(E0_HOST) | BIT(E0_HOST_B));
    /* ... for partition 4 */
    CHECK(booke_tlbivax(t, 0x4, MAS5_SGS | 4));
    CHECK_GONE(t, BIT(E0_HOST) | BIT(E0_HOST_B) | BIT(E0_GUEST4));
    /* invalidate all of TLB1 (0xc): IPROT entries stay */
    CHECK(booke_tlbivax(t, 0xc, 0));
    CHECK_GONE(t, BIT(E0_HOST) | BIT(E0_HOST_B) | BIT(E0_GUEST4) | BIT(E1_HOST) |
                      BIT(E1_HOST_T5) | BIT(E1_HOST_T6));
    CHECK(booke_tlbivax(t, 0xc, MAS5_SGS | 3));
    CHECK_GONE(t, BIT(E0_HOST) | BIT(E0_HOST_B) | BIT(E0_GUEST4) | BIT(E1_HOST) |
                      BIT(E1_HOST_T5) | BIT(E1_HOST_T6) | BIT(E1_GUEST3));
    CHECK(!booke_tlbivax(t, 0xc, MAS5_SGS | 3));
    /* TLBSEL 2 selects nothing */
    CHECK(!booke_tlbivax(t, 0x14, MAS5_SGS | 3));
    CHECK(!booke_tlbivax(t, 0x10 | 0x7000, MAS5_SGS | 3));
    CHECK(live(t, E0_GUEST3));
    free(t);
}

static void test_tlbilx(void)
{
    /* T = 0: everything of the partition, in both TLBs, but IPROT */
    BookeTlb *t = inval_tlb();
    BookeMas m = { .mas5 = MAS5_SGS | 3, .mas6 = 0x7fu << MAS6_SPID_SHIFT };
    CHECK(booke_tlbilx(t, BOOKE_TLBILX_LPID, &m, 0));
    CHECK_GONE(t, BIT(E0_GUEST3) | BIT(E1_GUEST3));
    CHECK(!booke_tlbilx(t, BOOKE_TLBILX_LPID, &m, 0));
    m.mas5 = 0;   /* the host's own entries: TGS 0, TLPID 0 */
    CHECK(booke_tlbilx(t, BOOKE_TLBILX_LPID, &m, 0));
    CHECK_GONE(t, BIT(E0_GUEST3) | BIT(E1_GUEST3) | BIT(E0_HOST) | BIT(E0_HOST_B) |
                      BIT(E1_HOST) | BIT(E1_HOST_T5) | BIT(E1_HOST_T6));
    CHECK(live(t, E1_HOST_P));
    CHECK(live(t, E1_GUEST3_P));
    CHECK(live(t, E0_GUEST4));
    free(t);

    /* T = 1: the partition's entries with TID = SPID exactly (TID 0 stays) */
    t = inval_tlb();
    m = (BookeMas){ .mas5 = 0, .mas6 = 5u << MAS6_SPID_SHIFT };
    CHECK(booke_tlbilx(t, BOOKE_TLBILX_PID, &m, 0));
    CHECK_GONE(t, BIT(E0_HOST_B) | BIT(E1_HOST_T5));
    m.mas6 = 6u << MAS6_SPID_SHIFT;
    CHECK(booke_tlbilx(t, BOOKE_TLBILX_PID, &m, 0));
    CHECK_GONE(t, BIT(E0_HOST_B) | BIT(E1_HOST_T5) | BIT(E1_HOST_T6));
    m = (BookeMas){ .mas5 = MAS5_SGS | 4, .mas6 = 5u << MAS6_SPID_SHIFT };
    CHECK(booke_tlbilx(t, BOOKE_TLBILX_PID, &m, 0));
    CHECK_GONE(t, BIT(E0_HOST_B) | BIT(E1_HOST_T5) | BIT(E1_HOST_T6) | BIT(E0_GUEST4));
    m.mas6 = 0;
    m.mas5 = MAS5_SGS | 3;
    CHECK(booke_tlbilx(t, BOOKE_TLBILX_PID, &m, 0));   /* the TID 0 guest page */
    CHECK_GONE(t, BIT(E0_HOST_B) | BIT(E1_HOST_T5) | BIT(E1_HOST_T6) | BIT(E0_GUEST4) |
                      BIT(E1_GUEST3));
    free(t);

    /* T = 3: by address, with TID = SPID, TS = SAS and the partition */
    t = inval_tlb();
    m = (BookeMas){ .mas5 = 0, .mas6 = 5u << MAS6_SPID_SHIFT };
    CHECK(!booke_tlbilx(t, BOOKE_TLBILX_VA, &m, 0x7000));   /* E1_HOST_P: IPROT */
    CHECK_GONE(t, 0);
    CHECK(!booke_tlbilx(t, BOOKE_TLBILX_VA, &m, 0x01007000));   /* TS 1 entry, SAS 0 */
    m.mas6 |= MAS6_SAS;
    CHECK(booke_tlbilx(t, BOOKE_TLBILX_VA, &m, 0x01007abc));
    CHECK_GONE(t, BIT(E0_HOST_B));
    m.mas6 = 5u << MAS6_SPID_SHIFT;
    CHECK(booke_tlbilx(t, BOOKE_TLBILX_VA, &m, 0xa000));
    CHECK_GONE(t, BIT(E0_HOST_B) | BIT(E1_HOST_T5));
    CHECK(!booke_tlbilx(t, BOOKE_TLBILX_VA, &m, 0xb000));   /* TID 6 */
    m.mas6 = 0;
    CHECK(!booke_tlbilx(t, BOOKE_TLBILX_VA, &m, 0xb000));   /* SPID 0 is no wildcard */
    CHECK(booke_tlbilx(t, BOOKE_TLBILX_VA, &m, 0xc0800000));  /* inside the 16M page */
    CHECK_GONE(t, BIT(E0_HOST_B) | BIT(E1_HOST_T5) | BIT(E1_HOST));
    m.mas5 = MAS5_SGS | 3;
    CHECK(!booke_tlbilx(t, BOOKE_TLBILX_VA, &m, 0x00200000));   /* beyond the 1M page */
    CHECK(booke_tlbilx(t, BOOKE_TLBILX_VA, &m, 0x000fffff + 1));
    CHECK_GONE(t, BIT(E0_HOST_B) | BIT(E1_HOST_T5) | BIT(E1_HOST) | BIT(E1_GUEST3));
    m.mas6 = 5u << MAS6_SPID_SHIFT;
    CHECK(booke_tlbilx(t, BOOKE_TLBILX_VA, &m, 0x7000));
    CHECK_GONE(t, BIT(E0_HOST_B) | BIT(E1_HOST_T5) | BIT(E1_HOST) | BIT(E1_GUEST3) |
                      BIT(E0_GUEST3));
    /* T = 2 is reserved */
    m = (BookeMas){ 0 };
    CHECK(!booke_tlbilx(t, 2, &m, 0x7000));
    CHECK(live(t, E0_HOST));
    free(t);
}

static void test_mmucsr0(void)
{
    BookeTlb *t = inval_tlb();
    CHECK(!booke_mmucsr0(t, 0));
    CHECK_GONE(t, 0);
    CHECK(booke_mmucsr0(t, MMUCSR0_TLB0_FI));
    CHECK_GONE(t, BIT(E0_HOST) | BIT(E0_HOST_B) | BIT(E0_GUEST3) | BIT(E0_GUEST4));
    CHECK(!booke_mmucsr0(t, MMUCSR0_TLB0_FI));
    CHECK(booke_mmucsr0(t, MMUCSR0_TLB1_FI));
    CHECK_GONE(t, BIT(E0_HOST) | BIT(E0_HOST_B) | BIT(E0_GUEST3) | BIT(E0_GUEST4) |
                      BIT(E1_HOST) | BIT(E1_GUEST3) | BIT(E1_HOST_T5) | BIT(E1_HOST_T6));
    free(t);
    t = inval_tlb();
    CHECK(booke_mmucsr0(t, MMUCSR0_TLB0_FI | MMUCSR0_TLB1_FI));
    CHECK(live(t, E1_HOST_P));
    CHECK(live(t, E1_GUEST3_P));
    CHECK(!live(t, E1_HOST));
    CHECK(!live(t, E0_GUEST4));
    /* an invalidated entry keeps its fields for tlbre, with V = 0 */
    BookeMas r = { .mas0 = mas0_of(1, 0, 0) };
    booke_tlbre(t, &r);
    CHECK_EQ(r.mas1, mas1_of(false, false, 0, false, BOOKE_TSIZE_16M));
    CHECK_EQ(r.mas2, 0xc0000000);
    free(t);
}

int main(void)
{
    test_config();
    test_tlb1_match();
    test_tlb0_match();
    test_page_sizes();
    test_ra36();
    test_tgs_tlpid();
    test_permissions();
    test_vf();
    test_tlbwe_tlbre();
    test_miss_mas();
    test_tlbsx();
    test_tlbivax();
    test_tlbilx();
    test_mmucsr0();
    return unit_summary("test_booke206");
}
