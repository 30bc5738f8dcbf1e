/* tests/guest/ppc64/hpt.c: relocation through the SLB and the hashed page table a PAPR
 * partition fills with hcalls (Power ISA v3.0B Book III-S 5.7.6-5.7.9: SLB search,
 * primary and secondary hash, multiple page sizes per segment, reference and change
 * bits, PP/key storage protection, no-execute and guarded pages; 7.5.3-7.5.6 for the
 * Data Storage, Data Segment, Instruction Storage and Instruction Segment interrupts with
 * DAR, DSISR and SRR1; LoPAR "hcall-pft" and "hcall-bulk": H_ENTER, H_READ,
 * H_CLEAR_REF, H_CLEAR_MOD, H_PROTECT, H_REMOVE, H_BULK_REMOVE and their errors;
 * H_SET_MODE's alternate interrupt location). The program maps all of RAM 1:1 in a 1 TiB
 * segment with bolted 16 MiB pages, runs with MSR[IR DR] = 1, and checks what each hcall
 * changes is seen by the very next access (the translation caches are invalidated). */
#include "guest_ppc64.h"

#define PBIT(n) (1ULL << (63 - (n)))
#define H_PTEG_FULL -6
#define H_EXACT PBIT(24)
#define H_READ_4 PBIT(26)
#define H_AVPN PBIT(32)
#define H_ANDCOND PBIT(33)
#define BULK_REQUEST 0x4000000000000000ULL
#define BULK_RESPONSE 0x8000000000000000ULL
#define BULK_END 0xc000000000000000ULL
#define BULK_TYPE 0xc000000000000000ULL
#define BULK_CODE 0x3000000000000000ULL
#define BULK_NOT_FOUND 0x1000000000000000ULL
#define BULK_R 0x0800000000000000ULL
#define BULK_C 0x0400000000000000ULL
#define BULK_AVPN 0x0200000000000000ULL

/* Real memory the program does not otherwise use. */
#define RA_16M 0x2000000ULL  /* one 16 MiB page */
#define RA_64K 0x3000000ULL  /* one 64 KiB page */
#define RA_4K 0x3100000ULL   /* 4 KiB pages from here */
#define RA_PAGE(n) (RA_4K + (uint64_t)(n) * 4096)

/* Test segments above the identity segment's first TiB. */
#define EA_SEG4K 0x0000010000000000ULL
#define EA_SEG64K 0x0000010010000000ULL
#define EA_SEG16M 0x0000010020000000ULL
#define EA_SEGNX 0x0000010030000000ULL
#define EA_NOSEG 0x0000010040000000ULL
#define EA_KERNEL 0xc000000000000000ULL

static const struct segment seg4k = { .ea = EA_SEG4K, .shift = 28, .vsid = 0x5a5a5, .base_shift = 12,
                                      .flags = SLB_VSID_KP };
static const struct segment seg64k = { .ea = EA_SEG64K, .shift = 28, .vsid = 0x6b6b6, .base_shift = 16,
                                       .flags = SLB_VSID_KP };
static const struct segment seg16m = { .ea = EA_SEG16M, .shift = 28, .vsid = 0x7c7c7, .base_shift = 24,
                                       .flags = SLB_VSID_KP };
static const struct segment segnx = { .ea = EA_SEGNX, .shift = 28, .vsid = 0x8d8d8, .base_shift = 12,
                                      .flags = SLB_VSID_KP | SLB_VSID_N };
static const struct segment segkern = { .ea = EA_KERNEL, .shift = 40, .vsid = 0x9e9e9, .base_shift = 24,
                                        .flags = 0 };

#define EA4(n) (EA_SEG4K + (uint64_t)(n) * 4096)

/* ---- probes: one access each, at a known instruction ---- */

uint64_t probe_load(uint64_t ea);   /* -1 if the load faults */
void probe_store(uint64_t ea, uint64_t v);
extern char probe_load_insn[], probe_store_insn[];
__asm__("    .text\n"
        "    .globl probe_load, probe_load_insn, probe_store, probe_store_insn\n"
        "probe_load:\n"
        "    li %r4, -1\n"
        "probe_load_insn:\n"
        "    ld %r4, 0(%r3)\n"
        "    mr %r3, %r4\n"
        "    blr\n"
        "probe_store:\n"
        "probe_store_insn:\n"
        "    std %r4, 0(%r3)\n"
        "    blr\n");

static uint64_t rd(uint64_t ra)
{
    return *(volatile uint64_t *)ra;
}

static void wr(uint64_t ra, uint64_t v)
{
    *(volatile uint64_t *)ra = v;
}

/* ---- the fault recorder ---- */

struct fault {
    unsigned count;
    uint64_t vector, srr0, srr1, dar, dsisr, msr;
};
static volatile struct fault last;

static void record(struct trap_frame *f)
{
    last.count++;
    last.vector = f->vector;
    last.srr0 = f->srr0;
    last.srr1 = f->srr1;
    last.dar = f->dar;
    last.dsisr = f->dsisr;
    last.msr = mfmsr();
}

/* Data faults skip the access; instruction faults return to the caller of the code. */
static void on_data_fault(struct trap_frame *f)
{
    record(f);
    f->srr0 += 4;
}

static void on_fetch_fault(struct trap_frame *f)
{
    record(f);
    f->srr0 = f->lr;
}

static void fault_reset(void)
{
    memset((void *)&last, 0, sizeof(last));
}

static bool dsi_at(uint64_t ea, uint32_t dsisr_bits, const char *insn)
{
    return last.count == 1 && last.vector == VEC_DSI && last.dar == ea &&
           (last.dsisr & dsisr_bits) == dsisr_bits && last.srr0 == (uint64_t)insn;
}

static int64_t h_read(uint64_t ptex, uint64_t *v, uint64_t *r)
{
    uint64_t out[9];
    int64_t rc = hcall(H_READ, out, 2, 0ULL, ptex);
    *v = out[0];
    *r = out[1];
    return rc;
}

static uint64_t map4k(uint64_t ea, uint64_t ra, uint64_t r_flags)
{
    uint64_t ptex = ~0ULL;
    if (hpt_map(&seg4k, ea, ra, 12, 0, r_flags, &ptex) != H_SUCCESS)
        return ~0ULL;
    return ptex;
}

static int64_t h_remove(uint64_t ptex)
{
    uint64_t out[9];
    return hcall(H_REMOVE, out, 3, 0ULL, ptex, 0ULL);
}

/* ---- the tests ---- */

static void test_identity(void)
{
    static volatile uint64_t cell = 0x1dea1dea;
    uint64_t msr = mfmsr();
    report((msr & (MSR_IR | MSR_DR)) == (MSR_IR | MSR_DR) && cell == 0x1dea1dea,
           "relocation on: code, stack and data reached through bolted 16M HPTEs");
    uint64_t out[9];
    uint64_t group = hpt_group(&identity_seg, 0, false);
    int64_t rc = hcall(H_READ, out, 2, H_READ_4, group);
    bool found = false;
    for (unsigned k = 0; k < 4 && rc == H_SUCCESS; k++) {
        uint64_t v = out[2 * k], r = out[2 * k + 1];
        if ((v & HPTE_V_AVPN) == (hpte_v(&identity_seg, 0, 24) & HPTE_V_AVPN))
            found = (v & (HPTE_V_VALID | HPTE_V_BOLTED | HPTE_V_LARGE | HPTE_V_1TB)) ==
                        (HPTE_V_VALID | HPTE_V_BOLTED | HPTE_V_LARGE | HPTE_V_1TB) &&
                    (r & HPTE_R_RPN) == 0 && (r & HPTE_R_R);
    }
    report(found, "H_READ(H_READ_4) shows the bolted HPTE of EA 0 with R set by the fetches");
}

static void test_4k(void)
{
    wr(RA_PAGE(0) + 0x10, 0x1111111111111111ULL);
    uint64_t ptex = map4k(EA4(0), RA_PAGE(0), HPTE_R_M | HPTE_PP_RW);
    report(ptex != ~0ULL && (ptex & ~7ULL) == hpt_group(&seg4k, EA4(0), false),
           "H_ENTER of a 4K page goes into the PTEG it names (slot %llu)", (unsigned long long)ptex);
    uint64_t v, r;
    report(h_read(ptex, &v, &r) == H_SUCCESS && !(r & (HPTE_R_R | HPTE_R_C)),
           "H_READ before any access: R = C = 0");
    report(probe_load(EA4(0) + 0x10) == 0x1111111111111111ULL, "a load through the 4K mapping");
    report(h_read(ptex, &v, &r) == H_SUCCESS && (r & HPTE_R_R) && !(r & HPTE_R_C),
           "the load set R, not C");
    probe_store(EA4(0) + 0x18, 0x2222);
    report(rd(RA_PAGE(0) + 0x18) == 0x2222, "a store through the mapping reaches the real page");
    report(h_read(ptex, &v, &r) == H_SUCCESS && (r & HPTE_R_C),
           "the store set C");
    report((v & ~HPTE_V_VALID) == hpte_v(&seg4k, EA4(0), 12) && (v & HPTE_V_VALID) &&
               (r & HPTE_R_RPN) == RA_PAGE(0),
           "H_READ returns the HPTE as entered (v %016llx r %016llx)", (unsigned long long)v,
           (unsigned long long)r);

    /* R and C cleared by the hypervisor are set again by the next access. */
    uint64_t out[9];
    int64_t rc = hcall(H_CLEAR_REF, out, 2, 0ULL, ptex);
    report(rc == H_SUCCESS && (out[0] & HPTE_R_R), "H_CLEAR_REF returns the old R = 1");
    report(h_read(ptex, &v, &r) == H_SUCCESS && !(r & HPTE_R_R) && (r & HPTE_R_C),
           "after H_CLEAR_REF: R = 0, C kept");
    probe_load(EA4(0));
    report(h_read(ptex, &v, &r) == H_SUCCESS && (r & HPTE_R_R), "the next load sets R again");
    rc = hcall(H_CLEAR_MOD, out, 2, 0ULL, ptex);
    report(rc == H_SUCCESS && (out[0] & HPTE_R_C), "H_CLEAR_MOD returns the old C = 1");
    report(h_read(ptex, &v, &r) == H_SUCCESS && !(r & HPTE_R_C), "after H_CLEAR_MOD: C = 0");
    probe_load(EA4(0));
    report(h_read(ptex, &v, &r) == H_SUCCESS && !(r & HPTE_R_C), "a load leaves C = 0");
    probe_store(EA4(0) + 8, 3);
    report(h_read(ptex, &v, &r) == H_SUCCESS && (r & HPTE_R_C), "the next store sets C again");
    hcall(H_CLEAR_MOD, out, 2, 0ULL, ptex);
    rc = hcall(H_CLEAR_MOD, out, 2, 0ULL, ptex);
    report(rc == H_SUCCESS && !(out[0] & HPTE_R_C), "two H_CLEAR_MODs in a row: the second returns C = 0");

    /* H_PROTECT: read-only, then a store is a protection DSI. */
    fault_reset();
    report(hcall(H_PROTECT, NULL, 3, HPTE_PP_RO, ptex, 0ULL) == H_SUCCESS,
           "H_PROTECT to read-only succeeds");
    report(probe_load(EA4(0) + 0x10) == 0x1111111111111111ULL && last.count == 0,
           "a load of the read-only page works");
    probe_store(EA4(0) + 0x20, 0x4444);
    report(dsi_at(EA4(0) + 0x20, DSISR_PROTFAULT | DSISR_ISSTORE, probe_store_insn) &&
               !(last.dsisr & DSISR_NOPTE),
           "a store to it: DSI, DSISR protection + store (dsisr %08llx), DAR = address, "
           "SRR0 = the store",
           (unsigned long long)last.dsisr);
    report(rd(RA_PAGE(0) + 0x20) != 0x4444, "... and storage is unchanged");
    report(hcall(H_PROTECT, NULL, 3, HPTE_PP_RW | H_AVPN, ptex, 0x1234ULL << 7) == H_NOT_FOUND,
           "H_PROTECT with a wrong AVPN: H_NOT_FOUND");
    report(hcall(H_PROTECT, NULL, 3, HPTE_PP_RW | H_AVPN, ptex, hpte_v(&seg4k, EA4(0), 12)) ==
               H_SUCCESS,
           "H_PROTECT back to read/write with the right AVPN");
    fault_reset();
    probe_store(EA4(0) + 0x20, 0x4444);
    report(last.count == 0 && rd(RA_PAGE(0) + 0x20) == 0x4444, "the store now works");

    /* H_REMOVE: the old HPTE comes back, the next access has no translation. */
    rc = hcall(H_REMOVE, out, 3, H_AVPN, ptex, 0x1234ULL << 7);
    report(rc == H_NOT_FOUND, "H_REMOVE with a wrong AVPN: H_NOT_FOUND");
    rc = hcall(H_REMOVE, out, 3, H_ANDCOND, ptex, HPTE_V_VALID);
    report(rc == H_NOT_FOUND, "H_REMOVE with H_ANDCOND on a set bit: H_NOT_FOUND");
    rc = hcall(H_REMOVE, out, 3, H_AVPN | H_ANDCOND, ptex, 0ULL);
    report(rc == H_PARAMETER, "H_REMOVE with H_AVPN and H_ANDCOND: H_PARAMETER");
    rc = hcall(H_REMOVE, out, 3, H_AVPN, ptex, hpte_v(&seg4k, EA4(0), 12));
    report(rc == H_SUCCESS && (out[0] & HPTE_V_VALID) && (out[1] & HPTE_R_RPN) == RA_PAGE(0),
           "H_REMOVE returns the old HPTE");
    fault_reset();
    uint64_t got = probe_load(EA4(0) + 0x10);
    report(got == ~0ULL && dsi_at(EA4(0) + 0x10, DSISR_NOPTE, probe_load_insn) &&
               !(last.dsisr & DSISR_ISSTORE),
           "a load after H_REMOVE: DSI, DSISR no-PTE (dsisr %08llx), DAR, SRR0",
           (unsigned long long)last.dsisr);
    report(h_remove(ptex) == H_NOT_FOUND, "a second H_REMOVE: H_NOT_FOUND");
    uint64_t n_hptes = (hpt_pteg_mask() + 1) * 8;
    report(h_remove(n_hptes) == H_PARAMETER, "H_REMOVE beyond the table: H_PARAMETER");
    report(h_read(n_hptes, &v, &r) == H_PARAMETER, "H_READ beyond the table: H_PARAMETER");
    report(hcall(H_CLEAR_REF, out, 2, 0ULL, ptex) == H_NOT_FOUND &&
               hcall(H_CLEAR_MOD, out, 2, 0ULL, ptex) == H_NOT_FOUND &&
               hcall(H_PROTECT, NULL, 3, 0ULL, ptex, 0ULL) == H_NOT_FOUND,
           "H_CLEAR_REF, H_CLEAR_MOD, H_PROTECT of an empty slot: H_NOT_FOUND");

    /* Remapping to another real page is seen at once. */
    wr(RA_PAGE(1), 0xaaaa);
    wr(RA_PAGE(2), 0xbbbb);
    ptex = map4k(EA4(1), RA_PAGE(1), HPTE_R_M | HPTE_PP_RW);
    uint64_t first = probe_load(EA4(1));
    probe_store(EA4(1) + 8, 1);
    h_remove(ptex);
    ptex = map4k(EA4(1), RA_PAGE(2), HPTE_R_M | HPTE_PP_RW);
    uint64_t second = probe_load(EA4(1));
    probe_store(EA4(1) + 8, 2);
    report(first == 0xaaaa && second == 0xbbbb && rd(RA_PAGE(2) + 8) == 2 && rd(RA_PAGE(1) + 8) == 1,
           "H_REMOVE + H_ENTER to another real page: the next load and store use it");
    h_remove(ptex);

    /* A page in the secondary PTEG (H = 1). */
    uint64_t sec = hpt_group(&seg4k, EA4(3), true), out2[9];
    wr(RA_PAGE(3), 0x5ec0);
    rc = hcall(H_ENTER, out2, 4, 0ULL, sec, hpte_v(&seg4k, EA4(3), 12) | HPTE_V_SECONDARY,
               hpte_r(&seg4k, RA_PAGE(3), 12, HPTE_R_M | HPTE_PP_RW));
    report(rc == H_SUCCESS && probe_load(EA4(3)) == 0x5ec0,
           "an HPTE in the secondary PTEG with H = 1 translates");
    h_remove(out2[0]);
    /* ... but not with H = 0 there. */
    rc = hcall(H_ENTER, out2, 4, 0ULL, sec, hpte_v(&seg4k, EA4(3), 12),
               hpte_r(&seg4k, RA_PAGE(3), 12, HPTE_R_M | HPTE_PP_RW));
    fault_reset();
    report(rc == H_SUCCESS && probe_load(EA4(3)) == ~0ULL && dsi_at(EA4(3), DSISR_NOPTE, probe_load_insn),
           "an HPTE in the secondary PTEG with H = 0 does not");
    h_remove(out2[0]);
}

static void test_large(void)
{
    /* 64K pages in a 64K segment. */
    uint64_t ea = EA_SEG64K + 0x30000, ptex = 0, v, r;
    wr(RA_64K + 0x1230, 0x64646464);
    wr(RA_64K + 0xf008, 0x64000064);
    int64_t rc = hpt_map(&seg64k, ea, RA_64K, 16, 0, HPTE_R_M | HPTE_PP_RW, &ptex);
    report(rc == H_SUCCESS && probe_load(ea + 0x1230) == 0x64646464 &&
               probe_load(ea + 0xf008) == 0x64000064,
           "a 64K page: loads at two offsets");
    report(h_read(ptex, &v, &r) == H_SUCCESS && (v & HPTE_V_LARGE) && ((r >> 12) & 0xf) == 1,
           "its HPTE: L = 1, LP = 0b0001 (r %016llx)", (unsigned long long)r);
    fault_reset();
    report(probe_load(ea + 0x10000) == ~0ULL && last.vector == VEC_DSI && last.dar == ea + 0x10000,
           "the next 64K page is not mapped");
    h_remove(ptex);

    /* A 16M page in a 16M segment. */
    ea = EA_SEG16M + 0x5000000;
    wr(RA_16M + 0xabcde8, 0x16161616);
    rc = hpt_map(&seg16m, ea, RA_16M, 24, 0, HPTE_R_M | HPTE_PP_RW, &ptex);
    report(rc == H_SUCCESS && probe_load(ea + 0xabcde8) == 0x16161616,
           "a 16M page: a load 11 MiB into it");
    probe_store(ea + 0xfffff8, 0x1600ff);
    report(rd(RA_16M + 0xfffff8) == 0x1600ff, "... and a store at its last doubleword");
    h_remove(ptex);

    /* MPSS: a 64K page in a 4K segment. The HPT is searched with the base page size,
     * so the HPTE serves the 4K page it was hashed for (Book III-S 5.7.7). */
    ea = EA4(0x40);
    wr(RA_64K + 0x10, 0x4b4b);
    rc = hpt_map(&seg4k, ea, RA_64K, 16, 0, HPTE_R_M | HPTE_PP_RW, &ptex);
    report(rc == H_SUCCESS && h_read(ptex, &v, &r) == H_SUCCESS && ((r >> 12) & 0xf) == 7,
           "a 64K page in a 4K segment: H_ENTER with LP = 0b0111");
    report(probe_load(ea + 0x10) == 0x4b4b, "... translates the 4K page it was hashed for");
    fault_reset();
    report(probe_load(ea + 0x1010) == ~0ULL && last.vector == VEC_DSI,
           "... but the next 4K page hashes to another PTEG: DSI");
    h_remove(ptex);
}

static void test_segments(void)
{
    fault_reset();
    uint64_t got = probe_load(EA_NOSEG + 0x88);
    report(got == ~0ULL && last.count == 1 && last.vector == VEC_DSEGI &&
               last.dar == EA_NOSEG + 0x88 && last.srr0 == (uint64_t)probe_load_insn,
           "a load from a segment without SLB entry: Data Segment interrupt, DAR, SRR0");
    fault_reset();
    probe_store(EA_NOSEG + 0x90, 1);
    report(last.count == 1 && last.vector == VEC_DSEGI && last.dar == EA_NOSEG + 0x90,
           "a store there too");

    /* slbie drops a segment; slbmte brings it back. */
    uint64_t ptex = map4k(EA4(5), RA_PAGE(5), HPTE_R_M | HPTE_PP_RW);
    wr(RA_PAGE(5), 0x5eb);
    bool before = probe_load(EA4(5)) == 0x5eb;
    slb_remove(&seg4k);
    fault_reset();
    uint64_t during = probe_load(EA4(5));
    bool dseg = last.vector == VEC_DSEGI && last.dar == EA4(5);
    slb_install(1, &seg4k);
    report(before && during == ~0ULL && dseg && probe_load(EA4(5)) == 0x5eb,
           "slbie: the segment faults; slbmte: it translates again");
    uint64_t esid, vsid;
    __asm__ volatile("slbmfee %0, %1" : "=r"(esid) : "r"(1ULL));
    __asm__ volatile("slbmfev %0, %1" : "=r"(vsid) : "r"(1ULL));
    report(esid == (EA_SEG4K | SLB_ESID_V) && vsid == seg_vsid_word(&seg4k),
           "slbmfee/slbmfev read the entry back");
    h_remove(ptex);
}

/* Code pages: `li r3, 0x5a; blr`. */
static uint64_t call_at(uint64_t ea)
{
    uint64_t (*fn)(void) = (uint64_t (*)(void))ea;
    return fn();
}

static bool isi_at(uint64_t ea, uint64_t srr1_bits)
{
    return last.count == 1 && last.vector == VEC_ISI && last.srr0 == ea &&
           (last.srr1 & srr1_bits) == srr1_bits;
}

static void write_code(uint64_t ra)
{
    wr(ra, 0x4e8000203860005aULL); /* li r3, 0x5a ; blr (little-endian words) */
    __asm__ volatile("dcbst 0, %0; sync; icbi 0, %0; isync" : : "r"(ra) : "memory");
}

static void test_fetch(void)
{
    write_code(RA_PAGE(8));
    uint64_t ea = EA4(8);
    uint64_t ptex = map4k(ea, RA_PAGE(8), HPTE_R_M | HPTE_PP_RW);
    report(call_at(ea) == 0x5a, "code runs from a 4K mapping");
    fault_reset();
    report(hcall(H_PROTECT, NULL, 3, HPTE_PP_RW | HPTE_R_N, ptex, 0ULL) == H_SUCCESS,
           "H_PROTECT sets N");
    call_at(ea);
    report(isi_at(ea, SRR1_ISI_N_G) && !(last.srr1 & SRR1_ISI_NOPTE),
           "the next call: ISI, SRR1 no-execute (srr1 %016llx), SRR0 = the target",
           (unsigned long long)last.srr1);
    hcall(H_PROTECT, NULL, 3, HPTE_PP_RW, ptex, 0ULL);
    fault_reset();
    report(call_at(ea) == 0x5a && last.count == 0, "H_PROTECT clearing N: it runs again");
    h_remove(ptex);
    fault_reset();
    call_at(ea);
    report(isi_at(ea, SRR1_ISI_NOPTE), "after H_REMOVE: ISI, SRR1 no-PTE (srr1 %016llx)",
           (unsigned long long)last.srr1);

    ptex = map4k(ea, RA_PAGE(8), HPTE_R_M | HPTE_R_G | HPTE_PP_RW);
    fault_reset();
    call_at(ea);
    report(isi_at(ea, SRR1_ISI_N_G), "a fetch from a guarded page: ISI, SRR1 N/G");
    h_remove(ptex);

    ptex = ~0ULL;
    hpt_map(&segnx, EA_SEGNX, RA_PAGE(8), 12, 0, HPTE_R_M | HPTE_PP_RW, &ptex);
    fault_reset();
    report(probe_load(EA_SEGNX) == 0x4e8000203860005aULL, "a no-execute segment can be read");
    call_at(EA_SEGNX);
    report(isi_at(EA_SEGNX, SRR1_ISI_N_G), "a fetch from it: ISI, SRR1 N/G (%u: vector %llx srr0 %llx srr1 %llx)",
           last.count, (unsigned long long)last.vector, (unsigned long long)last.srr0,
           (unsigned long long)last.srr1);
    h_remove(ptex);

    fault_reset();
    call_at(EA_NOSEG);
    report(last.count == 1 && last.vector == VEC_ISEGI && last.srr0 == EA_NOSEG,
           "a fetch from a segment without SLB entry: Instruction Segment interrupt");
}

static void test_bulk(void)
{
    uint64_t p[3];
    for (unsigned k = 0; k < 3; k++)
        p[k] = map4k(EA4(16 + k), RA_PAGE(16 + k), HPTE_R_M | HPTE_PP_RW);
    probe_load(EA4(16));
    probe_store(EA4(17), 7);
    uint64_t out[9];
    int64_t rc = hcall(H_BULK_REMOVE, out, 8, BULK_REQUEST | p[0], 0ULL,
                       BULK_REQUEST | BULK_AVPN | p[1], hpte_v(&seg4k, EA4(17), 12),
                       BULK_REQUEST | BULK_AVPN | p[2], 0x777ULL << 7, BULK_END, 0ULL);
    report(rc == H_SUCCESS, "H_BULK_REMOVE of three requests succeeds");
    report((out[0] & BULK_TYPE) == BULK_RESPONSE && !(out[0] & BULK_CODE) &&
               (out[0] & (BULK_R | BULK_C)) == BULK_R,
           "first: removed, R only (%016llx)", (unsigned long long)out[0]);
    report((out[2] & BULK_TYPE) == BULK_RESPONSE && !(out[2] & BULK_CODE) &&
               (out[2] & (BULK_R | BULK_C)) == (BULK_R | BULK_C),
           "second (AVPN matches): removed, R and C (%016llx)", (unsigned long long)out[2]);
    report((out[4] & BULK_TYPE) == BULK_RESPONSE && (out[4] & BULK_CODE) == BULK_NOT_FOUND,
           "third (AVPN differs): not found (%016llx)", (unsigned long long)out[4]);
    fault_reset();
    bool gone = probe_load(EA4(16)) == ~0ULL && probe_load(EA4(17)) == ~0ULL && last.count == 2;
    fault_reset();
    wr(RA_PAGE(18), 18);
    report(gone && probe_load(EA4(18)) == 18 && last.count == 0,
           "the removed pages fault, the third still translates");
    h_remove(p[2]);
    rc = hcall(H_BULK_REMOVE, out, 2, 0x0ULL, 0ULL);
    report(rc == H_PARAMETER, "H_BULK_REMOVE with a specifier that is no request: H_PARAMETER");
}

static void test_enter_errors(void)
{
    uint64_t out[9], v = hpte_v(&seg4k, EA4(0x80), 12);
    uint64_t r = hpte_r(&seg4k, RA_PAGE(9), 12, HPTE_R_M | HPTE_PP_RW);
    uint64_t group = hpt_group(&seg4k, EA4(0x80), false);
    int64_t rc;
    unsigned used = 0;
    for (unsigned k = 0; k < 8; k++) {
        uint64_t hv, hr;
        h_read(group + k, &hv, &hr);
        used += (hv & HPTE_V_VALID) ? 1 : 0;
    }
    report(used == 0, "a PTEG starts empty");
    uint64_t slots[8];
    bool ok = true;
    for (unsigned k = 0; k < 8; k++) {
        rc = hcall(H_ENTER, out, 4, 0ULL, group, v + (k << 7), r);
        slots[k] = out[0];
        ok = ok && rc == H_SUCCESS && out[0] == group + k;
    }
    report(ok, "eight H_ENTERs fill its slots in order");
    report(hcall(H_ENTER, out, 4, 0ULL, group + 3, v, r) == H_PTEG_FULL,
           "a ninth: H_PTEG_FULL");
    report(hcall(H_ENTER, out, 4, H_EXACT, group + 5, v, r) == H_PTEG_FULL,
           "H_EXACT on a used slot: H_PTEG_FULL");
    h_remove(slots[5]);
    rc = hcall(H_ENTER, out, 4, H_EXACT, group + 5, v, r);
    report(rc == H_SUCCESS && out[0] == group + 5, "H_EXACT on the freed slot takes it");
    for (unsigned k = 0; k < 8; k++)
        h_remove(group + k);

    uint64_t ram = guest_ram_size();
    report(hcall(H_ENTER, out, 4, 0ULL, group, v, hpte_r(&seg4k, ram, 12, HPTE_R_M | HPTE_PP_RW)) ==
               H_PARAMETER,
           "H_ENTER of a page beyond RAM: H_PARAMETER");
    report(hcall(H_ENTER, out, 4, 0ULL, group, v, r | HPTE_R_I) == H_PARAMETER,
           "H_ENTER of RAM cache-inhibited: H_PARAMETER");
    report(hcall(H_ENTER, out, 4, 0ULL, (hpt_pteg_mask() + 1) * 8, v, r) == H_PARAMETER,
           "H_ENTER beyond the table: H_PARAMETER");
    report(hcall(H_ENTER, out, 4, 0ULL, group, v | HPTE_V_LARGE, (r & ~0xff000ULL) | 0x2000) ==
               H_PARAMETER,
           "H_ENTER of a large page with an LP no page size has: H_PARAMETER");
    report(hcall(H_ENTER, out, 4, 0ULL, group, v | (2ULL << 62), r) == H_PARAMETER,
           "H_ENTER with a reserved segment size B: H_PARAMETER");
    report(hcall(H_ENTER, out, 4, 1ULL, group, v, r) == H_PARAMETER,
           "H_ENTER with an undefined flag: H_PARAMETER");
}

/* Virtual page class keys (Book III-S 5.7.13): HPTE key 3 (KEY_LO = 0b011), AMR bits 6
 * (store) and 7 (load), IAMR bit 7 (fetch). The partition's AMOR lets it write them all. */
#define HPTE_KEY3 0x600ULL
#define AMR_KEY3_STORE (1ULL << (63 - 6))
#define AMR_KEY3_LOAD (1ULL << (63 - 7))
#define IAMR_KEY3_FETCH (1ULL << (63 - 7))
#define DSISR_KEYFAULT 0x00200000u
#define SRR1_ISI_KEYFAULT 0x00200000ULL

static void test_keys(void)
{
    mtspr(13, 0x3); /* key 31, used by nothing here */
    report(mfspr(13) == 0x3, "the partition writes AMR (AMOR lets it)");
    mtspr(13, 0);
    wr(RA_PAGE(24), 24);
    write_code(RA_PAGE(25));
    uint64_t a = map4k(EA4(24), RA_PAGE(24), HPTE_R_M | HPTE_KEY3 | HPTE_PP_RW);
    uint64_t b = map4k(EA4(25), RA_PAGE(25), HPTE_R_M | HPTE_KEY3 | HPTE_PP_RW);
    fault_reset();
    report(probe_load(EA4(24)) == 24 && call_at(EA4(25)) == 0x5a && last.count == 0,
           "key 3 pages with AMR = IAMR = 0: load and fetch work");
    mtspr(13, AMR_KEY3_STORE);
    probe_store(EA4(24), 1);
    report(dsi_at(EA4(24), DSISR_KEYFAULT | DSISR_ISSTORE, probe_store_insn) &&
               !(last.dsisr & DSISR_PROTFAULT) && rd(RA_PAGE(24)) == 24,
           "AMR denies stores to key 3: DSI with DSISR key fault (dsisr %08llx)",
           (unsigned long long)last.dsisr);
    fault_reset();
    report(probe_load(EA4(24)) == 24 && last.count == 0, "... loads still work");
    mtspr(13, AMR_KEY3_LOAD);
    fault_reset();
    report(probe_load(EA4(24)) == ~0ULL && dsi_at(EA4(24), DSISR_KEYFAULT, probe_load_insn),
           "AMR denies loads from key 3: DSI with DSISR key fault");
    mtspr(13, 0);
    mtspr(61, IAMR_KEY3_FETCH);
    fault_reset();
    call_at(EA4(25));
    report(isi_at(EA4(25), SRR1_ISI_KEYFAULT), "IAMR denies fetches from key 3: ISI with SRR1 key fault");
    mtspr(61, 0);
    fault_reset();
    report(call_at(EA4(25)) == 0x5a && last.count == 0, "IAMR = 0: it runs again");

    /* H_PROTECT moves the page to key 11: flags carry key bits 0:1 at 0x3000 and key bits
     * 2:4 in place (0x0e00), as Linux's pSeries_lpar_hpte_updatepp passes them. */
    mtspr(13, 1ULL << (63 - 23)); /* key 11: loads denied */
    fault_reset();
    report(probe_load(EA4(24)) == 24 && last.count == 0, "AMR denying key 11 leaves key 3 alone");
    report(hcall(H_PROTECT, NULL, 3, HPTE_PP_RW | 0x1000ULL | HPTE_KEY3, a, 0ULL) == H_SUCCESS,
           "H_PROTECT to key 11");
    uint64_t v, r;
    h_read(a, &v, &r);
    report((r & 0x3000000000000e00ULL) == (0x1000000000000000ULL | HPTE_KEY3),
           "H_READ shows key 11 in the HPTE (r %016llx)", (unsigned long long)r);
    fault_reset();
    report(probe_load(EA4(24)) == ~0ULL && dsi_at(EA4(24), DSISR_KEYFAULT, probe_load_insn),
           "the next load is a key fault");
    mtspr(13, 0);
    h_remove(a);
    h_remove(b);
}

/* Problem state: PP with Kp = 1. pp 0b010 read/write, 0b001 read-only, 0b000 none. */
static volatile uint64_t user_got[3];

static void user_access(void *arg)
{
    user_got[0] = probe_load(EA4(20));
    probe_store(EA4(20) + 8, 0x5555);
    user_got[1] = probe_load(EA4(21));
}

static void test_user(void)
{
    wr(RA_PAGE(20), 20);
    wr(RA_PAGE(21), 21);
    uint64_t a = map4k(EA4(20), RA_PAGE(20), HPTE_R_M | 1);
    uint64_t b = map4k(EA4(21), RA_PAGE(21), HPTE_R_M | 0);
    fault_reset();
    run_in_user(user_access, NULL);
    report(user_got[0] == 20, "problem state, pp 0b001 with Kp = 1: loads work");
    report(last.count == 2 && rd(RA_PAGE(20) + 8) != 0x5555,
           "... stores and all access to pp 0b000 take DSIs (%u)", last.count);
    report(user_got[1] == ~0ULL && last.dar == EA4(21) && (last.dsisr & DSISR_PROTFAULT) &&
               (last.srr1 & MSR_PR),
           "... the pp 0b000 load: DSI with DSISR protection, SRR1[PR] = 1");
    fault_reset();
    probe_store(EA4(20) + 8, 0x6666);
    report(last.count == 0 && rd(RA_PAGE(20) + 8) == 0x6666 && probe_load(EA4(21)) == 21,
           "privileged state (Ks = 0) reads and writes both");
    h_remove(a);
    h_remove(b);
}

static void user_sc(void *arg)
{
    __asm__ volatile("li %%r0, 0; sc" ::: "r0", "r3", "memory");
}

/* LPCR[AIL] = 3 (H_SET_MODE): interrupts from a relocated context arrive at
 * 0xc000000000004000 + offset, relocated; from real mode at the usual vectors. */
static void test_ail(void)
{
    uint64_t ptex = ~0ULL;
    if (hpt_map(&segkern, EA_KERNEL, 0, 24, HPTE_V_BOLTED, HPTE_R_M | HPTE_PP_RW, &ptex) !=
        H_SUCCESS) {
        report(false, "mapping 0xc000000000000000");
        return;
    }
    slb_install(2, &segkern);
    /* At real 0x4300 and 0x4c00: `b .-0x4000`, to the usual code (relocated). */
    wr(0x4300, 0x4bffc000 | (0x60000000ULL << 32));
    wr(0x4c00, 0x4bffc000 | (0x60000000ULL << 32));
    __asm__ volatile("dcbst 0, %0; sync; icbi 0, %0; isync" : : "r"(0x4300ULL) : "memory");
    __asm__ volatile("dcbst 0, %0; sync; icbi 0, %0; isync" : : "r"(0x4c00ULL) : "memory");
    report(hcall(H_SET_MODE, NULL, 4, 3ULL, 3ULL, 0ULL, 0ULL) == H_SUCCESS, "H_SET_MODE(AIL = 3)");
    fault_reset();
    probe_load(EA4(0x7f));
    report(last.count == 1 && last.vector == VEC_DSI && (last.msr & (MSR_IR | MSR_DR)) == (MSR_IR | MSR_DR) &&
               (last.srr1 & (MSR_IR | MSR_DR)) == (MSR_IR | MSR_DR),
           "a DSI in relocated state runs its handler relocated (msr %016llx)",
           (unsigned long long)last.msr);
    fault_reset();
    trap_handler_fn old = set_trap_handler(VEC_SYSCALL, record);
    run_in_user(user_sc, NULL);
    report(last.count == 1 && last.vector == VEC_SYSCALL && (last.srr1 & MSR_PR) &&
               (last.msr & (MSR_IR | MSR_DR)) == (MSR_IR | MSR_DR),
           "a system call from problem state runs its handler relocated too");
    mmu_off();
    fault_reset();
    __asm__ volatile("li %%r0, 0; sc" ::: "r0", "memory");
    set_trap_handler(VEC_SYSCALL, old);
    mmu_on();
    report(last.count == 1 && last.vector == VEC_SYSCALL && !(last.msr & (MSR_IR | MSR_DR)),
           "an interrupt from real mode still runs in real mode at the usual vector");
    hcall(H_SET_MODE, NULL, 4, 0ULL, 3ULL, 0ULL, 0ULL);
    slb_remove(&segkern);
    h_remove(ptex);
}

int main(void)
{
    if (!mmu_identity_map()) {
        report(false, "mapping RAM 1:1");
        return 1;
    }
    set_trap_handler(VEC_DSI, on_data_fault);
    set_trap_handler(VEC_DSEGI, on_data_fault);
    set_trap_handler(VEC_ISI, on_fetch_fault);
    set_trap_handler(VEC_ISEGI, on_fetch_fault);
    slb_install(1, &seg4k);
    slb_install(3, &seg64k);
    slb_install(4, &seg16m);
    slb_install(5, &segnx);
    mmu_on();
    test_identity();
    test_4k();
    test_large();
    test_segments();
    test_fetch();
    test_bulk();
    test_enter_errors();
    test_user();
    test_keys();
    test_ail();
    mmu_off();
    return 0;
}
