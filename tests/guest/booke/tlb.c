/* tests/guest/booke/tlb.c: the e500mc MMU through the MAS registers (Power ISA 2.06
 * Book III-E chapter 6: 6.7 "TLB" with the match on EPN, TS = MSR[IS/DS], TID = PID or 0,
 * 6.10.3 "MMU Assist Registers" MAS0-MAS7, 6.10.4 MMUCFG and TLBnCFG, 6.11.4 "TLB
 * Management Instructions" tlbwe, tlbre, tlbsx, tlbivax, tlbilx; MMU architecture
 * version 1.0 as the e500mc reference manual describes it: TLB0 is 512 4 KiB entries in
 * 4-way sets chosen by EPN bits, with a round-robin next victim offered in MAS0[NV] and
 * MAS0[ESEL] after a miss; TLB1 is 64 fully associative entries of variable size (4^TSIZE
 * KiB) with IPROT; tlbivax's EA bit 60 selects TLB1 and bit 61 invalidates the whole
 * array; MMUCSR0 flash-invalidates). It also checks the ePAPR boot state (ePAPR v1.1 5.4:
 * r6, r7, MSR, and TLB1 entry 0 mapping [0, 64 MiB) with IPROT) and the 36-bit RPN in
 * MAS7 of the device mapping. */
#include "guest_booke.h"

#define SZ(t) (1024u << (2 * (t))) /* bytes in a page of TSIZE t */

/* ---- probes and the miss recorder ---- */

extern char p_load[];
__asm__(".text\n.globl p_load\np_load:\n    lwz 3, 0(3)\n    blr\n");

static volatile unsigned misses;
static volatile uint32_t miss_dear;

static void on_dtlb(struct trap_frame *f)
{
    misses++;
    miss_dear = f->dear;
    f->gpr[3] = 0xdeaddead;
    f->srr0 += 4;
}

/* Loads ea; *missed tells whether a Data TLB Error interrupt came instead. */
static uint32_t load(uint32_t ea, bool *missed)
{
    unsigned before = misses;
    uint32_t v = ((uint32_t(*)(uint32_t))(uintptr_t)p_load)(ea);
    *missed = misses != before;
    return v;
}

static bool maps_to(uint32_t ea, uint32_t expect)
{
    bool missed;
    uint32_t v = load(ea, &missed);
    return !missed && v == expect;
}

static bool misses_at(uint32_t ea)
{
    bool missed;
    load(ea, &missed);
    return missed && miss_dear == ea;
}

static volatile uint32_t *ram(uint32_t ra)
{
    return (volatile uint32_t *)ra; /* inside the initial 1:1 mapping */
}

static bool present(uint32_t ea, uint32_t mas6)
{
    struct tlb_entry e;
    return tlb_search(ea, mas6, &e);
}

/* ---- boot state and configuration ---- */

static void test_boot(void)
{
    report(guest_boot_r6 == EPAPR_MAGIC, "ePAPR: r6 = the magic 0x45504150 (0x%x)", guest_boot_r6);
    report(guest_boot_r7 == 64u << 20, "ePAPR: r7 = 64 MiB mapped (0x%x)", guest_boot_r7);
    report(guest_boot_msr == 0, "ePAPR: entered with MSR = 0 (0x%x)", guest_boot_msr);
    struct tlb_entry e;
    tlb_read(1, TLB1_RAM, 0, &e);
    report((e.mas1 & (MAS1_V | MAS1_IPROT | MAS1_TS)) == (MAS1_V | MAS1_IPROT) &&
               MAS1_GET_TID(e.mas1) == 0 && MAS1_GET_TSIZE(e.mas1) == TSIZE_64M,
           "TLB1[0]: valid, IPROT, TS 0, TID 0, 64 MiB (MAS1 0x%x)", e.mas1);
    report((e.mas2 & MAS2_EPN) == 0 && !(e.mas2 & (MAS2_I | MAS2_W | MAS2_E)),
           "TLB1[0]: EPN 0, cacheable, big-endian (MAS2 0x%x)", e.mas2);
    report((e.mas3 & MAS3_RPN) == 0 && e.mas7 == 0 && (e.mas3 & MAS3_SUPER) == MAS3_SUPER,
           "TLB1[0]: RPN 0, SX SW SR (MAS3 0x%x MAS7 0x%x)", e.mas3, e.mas7);
    tlb_read(1, TLB1_DEV, DEV_EA, &e);
    report(e.mas7 == (uint32_t)(DEV_RA >> 32) && (e.mas3 & MAS3_RPN) == (uint32_t)DEV_RA &&
               (e.mas2 & (MAS2_I | MAS2_G)) == (MAS2_I | MAS2_G),
           "TLB1[1] (the devices): RPN 0x%x_%08x in MAS7/MAS3, I and G (the console works "
           "through it)", e.mas7, e.mas3 & MAS3_RPN);
}

static void test_config(void)
{
    uint32_t mmucfg = mfspr(SPRN_MMUCFG), t0 = mfspr(SPRN_TLB0CFG), t1 = mfspr(SPRN_TLB1CFG);
    report_info("MMUCFG 0x%08x TLB0CFG 0x%08x TLB1CFG 0x%08x PVR 0x%08x", mmucfg, t0, t1,
                mfspr(SPRN_PVR));
    report(MMUCFG_MAVN(mmucfg) == 0, "MMUCFG[MAVN] = 0: MMU architecture 1.0 (%u)",
           MMUCFG_MAVN(mmucfg));
    report(MMUCFG_NTLBS(mmucfg) == 1, "MMUCFG[NTLBS] = 1: two TLBs (%u)", MMUCFG_NTLBS(mmucfg));
    report(MMUCFG_RASIZE(mmucfg) == 36, "MMUCFG[RASIZE] = 36 (%u)", MMUCFG_RASIZE(mmucfg));
    report(MMUCFG_LPIDSIZE(mmucfg) != 0, "MMUCFG[LPIDSIZE] != 0: category E.HV (%u)",
           MMUCFG_LPIDSIZE(mmucfg));
    report(MMUCFG_PIDSIZE(mmucfg) >= 7, "MMUCFG[PIDSIZE] >= 7: PID of 8 bits or more (%u)",
           MMUCFG_PIDSIZE(mmucfg));
    report(TLBCFG_NENTRY(t0) == 512 && TLBCFG_ASSOC(t0) == 4, "TLB0CFG: 512 entries, 4-way");
    report(TLBCFG_NENTRY(t1) == 64 && (t1 & TLBCFG_IPROT) &&
               (TLBCFG_ASSOC(t1) == 0 || TLBCFG_ASSOC(t1) == 64),
           "TLB1CFG: 64 entries, fully associative, IPROT");
}

/* ---- tlbwe / tlbre / tlbsx ---- */

#define E_EA 0x40000000u

static void test_read_search(void)
{
    struct tlb_entry w = {
        .mas0 = MAS0_TLBSEL(1) | MAS0_ESEL(TLB1_FIRST_FREE),
        .mas1 = MAS1_V | MAS1_TID(0x12) | MAS1_TS | MAS1_TSIZE(TSIZE_16K),
        .mas2 = E_EA | MAS2_I | MAS2_G,
        .mas3 = 0x23456000u | MAS3_UX | MAS3_SR | MAS3_UR,
        .mas7 = 0x1,
    };
    tlb_write(&w);
    struct tlb_entry r;
    tlb_read(1, TLB1_FIRST_FREE, 0, &r);
    report(r.mas1 == w.mas1 && r.mas2 == w.mas2 && (r.mas3 & 0xfffff03f) == w.mas3 &&
               r.mas7 == w.mas7,
           "tlbre returns what tlbwe wrote (MAS1 0x%x MAS2 0x%x MAS3 0x%x MAS7 0x%x)", r.mas1,
           r.mas2, r.mas3, r.mas7);
    report(MAS0_GET_TLBSEL(r.mas0) == 1 && MAS0_GET_ESEL(r.mas0) == TLB1_FIRST_FREE,
           "tlbre keeps MAS0 (0x%x)", r.mas0);

    struct tlb_entry s;
    bool hit = tlb_search(E_EA + 0x2345, MAS6_SPID(0x12) | MAS6_SAS, &s);
    report(hit && MAS0_GET_TLBSEL(s.mas0) == 1 && MAS0_GET_ESEL(s.mas0) == TLB1_FIRST_FREE &&
               s.mas1 == w.mas1 && s.mas2 == w.mas2 && s.mas7 == 1,
           "tlbsx (SPID 0x12, SAS 1) finds TLB1[%u] (MAS0 0x%x MAS1 0x%x)", TLB1_FIRST_FREE,
           s.mas0, s.mas1);
    report(!present(E_EA, MAS6_SPID(0x13) | MAS6_SAS), "tlbsx with another PID misses");
    report(!present(E_EA, MAS6_SPID(0x12)), "tlbsx in the other address space misses");

    uint32_t mas4 = MAS4_TLBSELD(1) | MAS4_TSIZED(TSIZE_64K) | MAS2_W | MAS2_M;
    mtspr(SPRN_MAS4, mas4);
    hit = tlb_search(0x44445678, MAS6_SPID(0x21) | MAS6_SAS, &s);
    report(!hit && MAS0_GET_TLBSEL(s.mas0) == 1,
           "tlbsx miss: MAS1[V] = 0, MAS0[TLBSEL] = MAS4[TLBSELD] (MAS0 0x%x)", s.mas0);
    report(s.mas1 == (MAS1_TID(0x21) | MAS1_TS | MAS1_TSIZE(TSIZE_64K)),
           "tlbsx miss MAS1: TID = SPID, TS = SAS, TSIZE = TSIZED (0x%x)", s.mas1);
    /* MAS2[EPN] is not specified for a miss (KVM's e500 model leaves it alone). */
    report((s.mas2 & 0x1f) == (MAS2_W | MAS2_M) && (s.mas3 & ~MAS3_U0_3) == 0 && s.mas7 == 0,
           "tlbsx miss: MAS2[WIMGE] = MAS4 defaults, MAS3 (but U0-U3) = MAS7 = 0 (0x%x 0x%x)",
           s.mas2, s.mas3);
    mtspr(SPRN_MAS4, MAS4_TLBSELD(0) | MAS4_TSIZED(TSIZE_4K));
    tlb1_unmap(TLB1_FIRST_FREE);
    report(!present(E_EA, MAS6_SPID(0x12) | MAS6_SAS), "writing MAS1[V] = 0 removes the entry");
}

/* ---- TLB1 page sizes ---- */

#define SIZE_RA 0x01000000u

static void test_sizes(void)
{
    static const unsigned sizes[] = { TSIZE_4K, TSIZE_16K, TSIZE_64K, TSIZE_1M, TSIZE_16M };
    for (unsigned k = 0; k < ARRAY_SIZE(sizes); k++) {
        uint32_t sz = SZ(sizes[k]);
        *ram(SIZE_RA) = 0xa0000000 | k;
        *ram(SIZE_RA + sz - 4) = 0xb0000000 | k;
        tlb1_map(TLB1_FIRST_FREE, E_EA, SIZE_RA, sizes[k], 0, 0, MAS3_SR | MAS3_SW);
        bool first = maps_to(E_EA, 0xa0000000 | k);
        bool last = maps_to(E_EA + sz - 4, 0xb0000000 | k);
        bool past = misses_at(E_EA + sz);
        report(first && last && past, "TLB1 %u KiB page: first and last word translate, the "
               "next byte misses", sz >> 10);
    }
    /* 256 MiB at RA 0 (RAM is smaller: probe inside the first 64 MiB only). */
    tlb1_map(TLB1_FIRST_FREE, E_EA, 0, TSIZE_256M, 0, 0, MAS3_SR);
    report(maps_to(E_EA + SIZE_RA + 0x100, *ram(SIZE_RA + 0x100)) && misses_at(E_EA + (256u << 20)),
           "TLB1 256 MiB page: EA 0x%x translates, EA 0x%x misses", E_EA + SIZE_RA + 0x100,
           E_EA + (256u << 20));
    tlb1_unmap(TLB1_FIRST_FREE);
    report(misses_at(E_EA), "unmapped again");
}

/* ---- PID / TID ---- */

static void test_pid(void)
{
    *ram(SIZE_RA) = 0x71d71d00;
    tlb1_map(TLB1_FIRST_FREE, 0x48000000, SIZE_RA, TSIZE_4K, MAS1_TID(7), 0, MAS3_SR);
    tlb1_map(TLB1_FIRST_FREE + 1, 0x48001000, SIZE_RA, TSIZE_4K, MAS1_TID(0), 0, MAS3_SR);
    mtspr(SPRN_PID, 7);
    isync();
    bool own = maps_to(0x48000000, 0x71d71d00);
    mtspr(SPRN_PID, 8);
    isync();
    bool other = misses_at(0x48000000);
    bool global = maps_to(0x48001000, 0x71d71d00);
    mtspr(SPRN_PID, 0);
    isync();
    bool pid0 = misses_at(0x48000000);
    report(mfspr(SPRN_PID) == 0, "PID reads back");
    report(own, "TID 7 matches PID 7");
    report(other, "TID 7 does not match PID 8");
    report(global, "TID 0 matches any PID");
    report(pid0, "TID 7 does not match PID 0");
    tlb1_unmap(TLB1_FIRST_FREE);
    tlb1_unmap(TLB1_FIRST_FREE + 1);
}

/* ---- address space 1 ---- */

#define AS_EA 0x4a000000u
#define AS0_RA 0x01002000u
#define AS1_RA 0x01003000u

static volatile uint32_t as1_msr, as1_value;

static void in_as1(void *arg)
{
    as1_msr = mfmsr();
    as1_value = *(volatile uint32_t *)AS_EA;
}

static void test_as1(void)
{
    *ram(AS0_RA) = 0xa5000000;
    *ram(AS1_RA) = 0xa5000001;
    tlb1_map(TLB1_FIRST_FREE, AS_EA, AS0_RA, TSIZE_4K, 0, 0, MAS3_SR);
    tlb1_map(TLB1_FIRST_FREE + 1, AS_EA, AS1_RA, TSIZE_4K, MAS1_TS, 0, MAS3_SR);
    uint32_t msr = mfmsr(), v0, v1;
    __asm__ volatile("lwz %0, 0(%2)\n"
                     "mtmsr %3\n isync\n"
                     "lwz %1, 0(%2)\n"
                     "mtmsr %4\n isync"
                     : "=&r"(v0), "=&r"(v1)
                     : "b"(AS_EA), "r"(msr | MSR_DS), "r"(msr)
                     : "memory");
    report(v0 == 0xa5000000, "MSR[DS] = 0: the TS = 0 entry (0x%x)", v0);
    report(v1 == 0xa5000001, "MSR[DS] = 1: the TS = 1 entry for the same EA (0x%x)", v1);
    run_in_as1(in_as1, NULL);
    report((as1_msr & (MSR_IS | MSR_DS | MSR_PR)) == (MSR_IS | MSR_DS),
           "code runs with MSR[IS] = 1 through a TS = 1 entry (MSR 0x%x)", as1_msr);
    report(as1_value == 0xa5000001, "and loads through TS = 1 (0x%x)", as1_value);
    tlb1_unmap(TLB1_FIRST_FREE);
    tlb1_unmap(TLB1_FIRST_FREE + 1);
}

/* ---- TLB0: 4-way sets, the next victim ---- */

#define SET_STRIDE (128u * 4096u) /* 128 sets of 4 KiB pages */
#define T0_EA 0x50000000u
#define T0_RA 0x01100000u

static uint32_t t0_ea(unsigned k)
{
    return T0_EA + k * SET_STRIDE;
}

static void test_tlb0_sets(void)
{
    for (unsigned k = 0; k < 5; k++)
        *ram(T0_RA + k * 4096) = 0x70000000 | k;
    for (unsigned k = 0; k < 4; k++)
        tlb0_map(k, t0_ea(k), T0_RA + k * 4096, 0, 0, MAS3_SR);
    bool all = true;
    for (unsigned k = 0; k < 4; k++) {
        struct tlb_entry s;
        bool hit = tlb_search(t0_ea(k), 0, &s);
        all = all && hit && MAS0_GET_TLBSEL(s.mas0) == 0 && MAS0_GET_ESEL(s.mas0) == k &&
              maps_to(t0_ea(k), 0x70000000 | k);
    }
    report(all, "four pages of one TLB0 set live in ways 0-3 together");
    struct tlb_entry r;
    tlb_read(0, 2, t0_ea(0), &r);
    report((r.mas1 & MAS1_V) && (r.mas2 & MAS2_EPN) == t0_ea(2) &&
               (r.mas3 & MAS3_RPN) == T0_RA + 2 * 4096,
           "tlbre of TLB0 way 2 in the set MAS2[EPN] selects (MAS2 0x%x)", r.mas2);
    tlb0_map(0, t0_ea(4), T0_RA + 4 * 4096, 0, 0, MAS3_SR);
    report(!present(t0_ea(0), 0) && maps_to(t0_ea(4), 0x70000004),
           "a fifth page written to way 0 replaces the first");
    report(present(t0_ea(1), 0) && present(t0_ea(2), 0) && present(t0_ea(3), 0),
           "ways 1-3 keep their pages");
    tlbivax(TLBIVAX_ALL);
    report(!present(t0_ea(1), 0) && !present(t0_ea(4), 0), "tlbivax INV_ALL of TLB0 empties it");

    /* Refill one set through the hardware's hints, as a miss handler does. */
    mtspr(SPRN_MAS4, MAS4_TLBSELD(0) | MAS4_TSIZED(TSIZE_4K));
    unsigned seen = 0;
    bool hints_ok = true;
    for (unsigned k = 0; k < 4; k++) {
        struct tlb_entry s;
        uint32_t ea = t0_ea(k) + 0x8000000;
        tlb_search(ea, 0, &s);
        unsigned way = MAS0_GET_ESEL(s.mas0);
        hints_ok = hints_ok && MAS0_GET_TLBSEL(s.mas0) == 0 && way < 4 &&
                   (s.mas0 & 3) == ((way + 1) & 3);
        seen |= 1u << (way & 3);
        struct tlb_entry w = {
            .mas0 = s.mas0,
            .mas1 = MAS1_V | MAS1_TSIZE(TSIZE_4K),
            .mas2 = ea,
            .mas3 = (T0_RA + k * 4096) | MAS3_SR,
        };
        tlb_write(&w);
    }
    report(hints_ok, "tlbsx misses offer a TLB0 way in MAS0[ESEL] and the next one in MAS0[NV]");
    bool kept = true;
    for (unsigned k = 0; k < 4; k++)
        kept = kept && maps_to(t0_ea(k) + 0x8000000, 0x70000000 | k);
    report(seen == 0xf && kept, "filling a set through the hints uses all four ways (0x%x)", seen);
    tlbivax(TLBIVAX_ALL);
}

/* ---- invalidation ---- */

static void test_invalidate(void)
{
    /* tlbivax compares the EPN only (not PID or AS) in the selected TLB. */
    tlb0_map(0, 0x52000000, T0_RA, MAS1_TID(5), 0, MAS3_SR);
    tlb0_map(1, 0x52001000, T0_RA, 0, 0, MAS3_SR);
    tlbivax(0x52000000);
    report(!present(0x52000000, MAS6_SPID(5)) && present(0x52001000, 0),
           "tlbivax EA: the TLB0 page of EA goes (whatever its TID), its neighbour stays");
    tlb1_map(TLB1_FIRST_FREE, 0x54000000, SIZE_RA, TSIZE_1M, 0, 0, MAS3_SR);
    tlb1_map(TLB1_FIRST_FREE + 1, 0x56000000, SIZE_RA, TSIZE_1M, MAS1_IPROT, 0, MAS3_SR);
    tlbivax(0x54012000 | TLBIVAX_TLB1);
    tlbivax(0x56000000 | TLBIVAX_TLB1);
    report(!present(0x54000000, 0), "tlbivax EA|TLB1: a TLB1 page containing EA goes");
    report(present(0x56000000, 0), "an IPROT TLB1 page survives tlbivax of its EA");
    tlb1_map(TLB1_FIRST_FREE, 0x54000000, SIZE_RA, TSIZE_1M, 0, 0, MAS3_SR);
    tlbivax(TLBIVAX_TLB1 | TLBIVAX_ALL);
    report(!present(0x54000000, 0) && present(0x56000000, 0) && present(0, 0) &&
               present(DEV_EA, 0),
           "tlbivax INV_ALL of TLB1: unprotected entries go, IPROT ones stay");
    report(present(0x52001000, 0), "... and TLB0 is untouched");
    tlb1_unmap(TLB1_FIRST_FREE + 1);

    /* tlbilx T = 1: the entries of one TID. */
    tlb0_map(0, 0x52100000, T0_RA, MAS1_TID(9), 0, MAS3_SR);
    tlb0_map(0, 0x52101000, T0_RA, MAS1_TID(10), 0, MAS3_SR);
    tlb1_map(TLB1_FIRST_FREE, 0x54000000, SIZE_RA, TSIZE_1M, MAS1_TID(9), 0, MAS3_SR);
    mtspr(SPRN_MAS6, MAS6_SPID(9));
    tlbilx_pid();
    report(!present(0x52100000, MAS6_SPID(9)) && !present(0x54000000, MAS6_SPID(9)) &&
               present(0x52101000, MAS6_SPID(10)),
           "tlbilx T=1: TID 9 entries of both TLBs go, TID 10 stays");

    /* tlbilx T = 3: one EA with SPID and SAS. */
    tlb0_map(0, 0x52200000, T0_RA, 0, 0, MAS3_SR);
    tlb0_map(0, 0x52201000, T0_RA, 0, 0, MAS3_SR);
    tlb0_map(0, 0x52202000, T0_RA, MAS1_TS, 0, MAS3_SR);
    mtspr(SPRN_MAS6, MAS6_SPID(0));
    tlbilx_va(0x52200000);
    report(!present(0x52200000, 0) && present(0x52201000, 0) && present(0x52202000, MAS6_SAS),
           "tlbilx T=3: the EA's entry in AS 0 goes, its neighbour and AS 1 stay");
    mtspr(SPRN_MAS6, MAS6_SPID(0) | MAS6_SAS);
    tlbilx_va(0x52202000);
    report(!present(0x52202000, MAS6_SAS), "tlbilx T=3 with MAS6[SAS] = 1 reaches AS 1");

    /* tlbilx T = 0: everything unprotected. */
    tlb1_map(TLB1_FIRST_FREE, 0x54000000, SIZE_RA, TSIZE_1M, 0, 0, MAS3_SR);
    tlb1_map(TLB1_FIRST_FREE + 1, 0x56000000, SIZE_RA, TSIZE_1M, MAS1_IPROT, 0, MAS3_SR);
    mtspr(SPRN_MAS6, 0);
    tlbilx_all();
    report(!present(0x52201000, 0) && !present(0x54000000, 0),
           "tlbilx T=0: TLB0 and unprotected TLB1 entries go");
    report(present(0x56000000, 0) && present(0, 0), "tlbilx T=0 keeps IPROT entries");
    tlb1_unmap(TLB1_FIRST_FREE + 1);

    /* MMUCSR0 flash invalidate of TLB0. */
    tlb0_map(0, 0x52300000, T0_RA, 0, 0, MAS3_SR);
    tlb0_map(3, 0x52301000, T0_RA, 0, 0, MAS3_SR);
    mtspr(SPRN_MMUCSR0, MMUCSR0_TLB0FI);
    unsigned n = 0;
    while ((mfspr(SPRN_MMUCSR0) & MMUCSR0_TLB0FI) && n < 1000000)
        n++;
    isync();
    report(!(mfspr(SPRN_MMUCSR0) & MMUCSR0_TLB0FI) && !present(0x52300000, 0) &&
               !present(0x52301000, 0) && present(0, 0),
           "MMUCSR0[TLB0_FI] flash-invalidates TLB0 and clears itself");
}

int main(void)
{
    set_trap_handler(VEC_DTLB, on_dtlb);
    mtspr(SPRN_MAS4, MAS4_TLBSELD(0) | MAS4_TSIZED(TSIZE_4K));
    test_boot();
    test_config();
    test_read_search();
    test_sizes();
    test_pid();
    test_as1();
    test_tlb0_sets();
    test_invalidate();
    return 0;
}
