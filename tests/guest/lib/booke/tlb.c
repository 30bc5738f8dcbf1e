/* tests/guest/lib/booke/tlb.c: TLB management through the MAS registers (Power ISA 2.06
 * Book III-E 6.10.3 "MMU Assist Registers", 6.11.4 "TLB Management Instructions":
 * tlbwe, tlbre, tlbsx, tlbivax, tlbilx; E.HV adds MAS5 for hypervisor searches and MAS8
 * with TGS/TLPID for guest entries). e500mc implements MMU architecture version 1.0:
 * TLB0 holds 4 KiB pages in a set-associative array selected by the EPN, TLB1 is fully
 * associative with variable page sizes; tlbivax takes the target TLB and an
 * invalidate-all flag in the low EA bits (e500 family reference manual, "TLB
 * Invalidate (tlbivax) Instruction"). */
#include "guest_booke.h"

static void mas_load(const struct tlb_entry *e)
{
    mtspr(SPRN_MAS0, e->mas0);
    mtspr(SPRN_MAS1, e->mas1);
    mtspr(SPRN_MAS2, e->mas2);
    mtspr(SPRN_MAS3, e->mas3);
    mtspr(SPRN_MAS7, e->mas7);
}

void tlb_write(const struct tlb_entry *e)
{
    mas_load(e);
    /* A hypervisor's plain entry: TGS = 0, TLPID = 0 (a TLB miss taken from guest state
     * may have left MAS8 pointing at the guest). */
    if (!(mfmsr() & MSR_GS))
        mtspr(SPRN_MAS8, 0);
    __asm__ volatile("isync; tlbwe; isync" ::: "memory");
}

void tlb_write_mas8(const struct tlb_entry *e)
{
    mas_load(e);
    mtspr(SPRN_MAS8, e->mas8);
    __asm__ volatile("isync; tlbwe; isync" ::: "memory");
    mtspr(SPRN_MAS8, 0);
}

static void mas_store(struct tlb_entry *out, bool with_mas8)
{
    out->mas0 = mfspr(SPRN_MAS0);
    out->mas1 = mfspr(SPRN_MAS1);
    out->mas2 = mfspr(SPRN_MAS2);
    out->mas3 = mfspr(SPRN_MAS3);
    out->mas7 = mfspr(SPRN_MAS7);
    out->mas8 = with_mas8 ? mfspr(SPRN_MAS8) : 0;
}

void tlb_read(unsigned tlbsel, unsigned esel, uint32_t epn, struct tlb_entry *out)
{
    mtspr(SPRN_MAS0, MAS0_TLBSEL(tlbsel) | MAS0_ESEL(esel));
    mtspr(SPRN_MAS2, epn & MAS2_EPN);
    __asm__ volatile("isync; tlbre; isync" ::: "memory");
    mas_store(out, !(mfmsr() & MSR_GS));
}

bool tlb_search(uint32_t ea, uint32_t mas6, struct tlb_entry *out)
{
    mtspr(SPRN_MAS6, mas6);
    __asm__ volatile("isync; tlbsx 0, %0; isync" : : "r"(ea) : "memory");
    mas_store(out, false);
    return (out->mas1 & MAS1_V) != 0;
}

bool tlb_search_mas5(uint32_t ea, uint32_t mas5, uint32_t mas6, struct tlb_entry *out)
{
    mtspr(SPRN_MAS5, mas5);
    bool hit = tlb_search(ea, mas6, out);
    out->mas8 = mfspr(SPRN_MAS8);
    mtspr(SPRN_MAS5, 0);
    return hit;
}

static void map(unsigned tlbsel, unsigned esel, uint32_t ea, uint64_t ra, unsigned tsize,
                uint32_t mas1_flags, uint32_t wimge, uint32_t perms, uint32_t mas8, bool guest)
{
    struct tlb_entry e = {
        .mas0 = MAS0_TLBSEL(tlbsel) | MAS0_ESEL(esel),
        .mas1 = MAS1_V | mas1_flags | MAS1_TSIZE(tsize),
        .mas2 = (ea & MAS2_EPN) | (wimge & 0x1f),
        .mas3 = ((uint32_t)ra & MAS3_RPN) | (perms & 0x3ff),
        .mas7 = (uint32_t)(ra >> 32),
        .mas8 = mas8,
    };
    if (guest)
        tlb_write_mas8(&e);
    else
        tlb_write(&e);
}

void tlb1_map(unsigned esel, uint32_t ea, uint64_t ra, unsigned tsize, uint32_t mas1_flags,
              uint32_t wimge, uint32_t perms)
{
    map(1, esel, ea, ra, tsize, mas1_flags, wimge, perms, 0, false);
}

void tlb1_map_guest(unsigned esel, uint32_t ea, uint64_t ra, unsigned tsize,
                    uint32_t mas1_flags, uint32_t wimge, uint32_t perms, uint32_t mas8)
{
    map(1, esel, ea, ra, tsize, mas1_flags, wimge, perms, mas8, true);
}

void tlb0_map(unsigned way, uint32_t ea, uint64_t ra, uint32_t mas1_flags, uint32_t wimge,
              uint32_t perms)
{
    map(0, way, ea, ra, TSIZE_4K, mas1_flags, wimge, perms, 0, false);
}

void tlb1_unmap(unsigned esel)
{
    struct tlb_entry e = { .mas0 = MAS0_TLBSEL(1) | MAS0_ESEL(esel) };
    tlb_write(&e);
}

void tlbivax(uint32_t ea)
{
    __asm__ volatile("isync; tlbivax 0, %0; msync; tlbsync; msync; isync" : : "r"(ea) : "memory");
}

void tlbilx_all(void)
{
    __asm__ volatile("isync; tlbilx 0, 0, %0; msync; isync" : : "r"(0) : "memory");
}

void tlbilx_pid(void)
{
    __asm__ volatile("isync; tlbilx 1, 0, %0; msync; isync" : : "r"(0) : "memory");
}

void tlbilx_va(uint32_t ea)
{
    __asm__ volatile("isync; tlbilx 3, 0, %0; msync; isync" : : "r"(ea) : "memory");
}

void tlb_console_map(void)
{
    tlb1_map(TLB1_DEV, DEV_EA, DEV_RA, TSIZE_256M, MAS1_IPROT, MAS2_I | MAS2_G, MAS3_SUPER);
}

void ehv_guest_map(unsigned lpid)
{
    uint32_t mas8 = MAS8_TGS | MAS8_TLPID(lpid);
    tlb1_map_guest(TLB1_GUEST_RAM, 0, 0, TSIZE_64M, MAS1_IPROT, 0, MAS3_SUPER, mas8);
    tlb1_map_guest(TLB1_GUEST_DEV, DEV_EA, DEV_RA, TSIZE_256M, MAS1_IPROT, MAS2_I | MAS2_G,
                   MAS3_SUPER, mas8);
}
