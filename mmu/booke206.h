/* mmu/booke206.h: the Book III-E MMU Architecture Version 2 as the e500mc implements it
 * (Power ISA v2.06B Book III-E chapter 6 "Storage Control", with category E.HV's guest
 * translation: TGS and TLPID; e500mc Reference Manual chapter 6 "Memory Management
 * Units"): TLB0 (512 entries, 4-way set-associative, 4 KiB pages) and TLB1 (64 entries,
 * fully associative, variable page sizes, IPROT), the MAS registers the TLB instructions
 * move entries through, and the address match of a translation. The module knows no CPU:
 * the caller passes the translation context (PID, AS, GS, LPIDR) and the MAS registers;
 * an SMP machine calls the invalidations on each thread's TLB for tlbivax. e500mc reports
 * MMU architecture version 1.0 in MMUCFG[MAVN] (TLBnCFG carries MINSIZE/MAXSIZE, there are
 * no TLBnPS registers, no HES, no tlbwe conditional, no indirect entries). */
#ifndef HVEMU_BOOKE206_H
#define HVEMU_BOOKE206_H

#include "cpu/common/base.h"

/* MAS0 */
#define MAS0_TLBSEL_SHIFT 28
#define MAS0_TLBSEL 0x30000000u
#define MAS0_ESEL_SHIFT 16
#define MAS0_ESEL 0x0fff0000u
#define MAS0_HES 0x00004000u
#define MAS0_WQ 0x00003000u
#define MAS0_NV 0x00000fffu
/* MAS1 */
#define MAS1_V 0x80000000u
#define MAS1_IPROT 0x40000000u
#define MAS1_TID_SHIFT 16
#define MAS1_TID 0x3fff0000u
#define MAS1_IND 0x00002000u
#define MAS1_TS 0x00001000u
#define MAS1_TSIZE_SHIFT 7
#define MAS1_TSIZE 0x00000f80u   /* page size = 1 KiB << TSIZE */
/* MAS2 (64 bits; the EPN field is the page's effective address) */
#define MAS2_EPN (~0xfffULL)
#define MAS2_X0 0x40u
#define MAS2_X1 0x20u
#define MAS2_W 0x10u
#define MAS2_I 0x08u
#define MAS2_M 0x04u
#define MAS2_G 0x02u
#define MAS2_E 0x01u             /* little-endian page */
#define MAS2_WIMGE 0x1fu
/* MAS3 */
#define MAS3_RPN 0xfffff000u     /* real address bits 32:51 */
#define MAS3_U0_3 0x000003c0u
#define MAS3_UX 0x20u
#define MAS3_SX 0x10u
#define MAS3_UW 0x08u
#define MAS3_SW 0x04u
#define MAS3_UR 0x02u
#define MAS3_SR 0x01u
#define MAS3_PERMS 0x3fu
/* MAS4: what a TLB miss loads into the MAS registers */
#define MAS4_TLBSELD_SHIFT 28
#define MAS4_TLBSELD 0x30000000u
#define MAS4_TIDSELD 0x00030000u
#define MAS4_TSIZED_SHIFT 7
#define MAS4_TSIZED 0x00000f80u
#define MAS4_WIMGED 0x0000001fu
#define MAS4_X01D 0x00000060u
/* MAS5 (E.HV, hypervisor only): the search context of tlbsx, tlbilx, tlbivax */
#define MAS5_SGS 0x80000000u
#define MAS5_SLPID 0x000000ffu
/* MAS6 */
#define MAS6_SPID_SHIFT 16
#define MAS6_SPID 0x3fff0000u
#define MAS6_SIND 0x00000002u
#define MAS6_SAS 0x00000001u
/* MAS7: real address bits 0:31 (e500mc: 28:31, a 36-bit real address) */
#define MAS7_RPN 0x0000000fu
/* MAS8 (E.HV) */
#define MAS8_TGS 0x80000000u
#define MAS8_VF 0x40000000u
#define MAS8_TLPID 0x000000ffu

/* MMUCSR0 */
#define MMUCSR0_TLB0_FI 0x00000004u
#define MMUCSR0_TLB1_FI 0x00000002u

#define BOOKE_TLB0_ENTRIES 512
#define BOOKE_TLB0_WAYS 4
#define BOOKE_TLB0_SETS (BOOKE_TLB0_ENTRIES / BOOKE_TLB0_WAYS)
#define BOOKE_TLB1_ENTRIES 64
#define BOOKE_RA_BITS 36
#define BOOKE_PID_BITS 8    /* MMUCFG[PIDSIZE] = 7: PID, TID and SPID are 8 bits */
#define BOOKE_LPID_BITS 6   /* MMUCFG[LPIDSIZE] = 6: LPIDR, TLPID and SLPID are 6 bits */

/* MAS1[TSIZE] values (page size = 1 KiB << TSIZE). e500mc implements the 4-bit MMU v1.0
 * field (MAS1 bits 52:55, 4^n KiB), so only even TSIZE values exist: 4 KiB .. 4 GiB. */
#define BOOKE_TSIZE_4K 2
#define BOOKE_TSIZE_16M 14
#define BOOKE_TSIZE_1G 20
#define BOOKE_TSIZE_4G 22

/* The bits of each MAS word a TLB entry holds on e500mc; tlbwe drops the others. */
#define BOOKE_MAS1_IMPL (MAS1_V | MAS1_IPROT | 0x00ff0000u | MAS1_TS | 0x00000f00u)
#define BOOKE_MAS2_IMPL (0xfffff000ULL | MAS2_X0 | MAS2_X1 | MAS2_WIMGE)
#define BOOKE_MAS3_IMPL (MAS3_RPN | MAS3_U0_3 | MAS3_PERMS)
#define BOOKE_MAS7_IMPL MAS7_RPN
#define BOOKE_MAS8_IMPL (MAS8_TGS | MAS8_VF | ((1u << BOOKE_LPID_BITS) - 1))

/* MMUCFG (MMU v1.0 layout with E.HV's LPIDSIZE) */
#define MMUCFG_LPIDSIZE 0x0f000000u
#define MMUCFG_LPIDSIZE_SHIFT 24
#define MMUCFG_RASIZE 0x00fe0000u
#define MMUCFG_RASIZE_SHIFT 17
#define MMUCFG_LRAT 0x00010000u
#define MMUCFG_TWC 0x00008000u
#define MMUCFG_NPIDS 0x00007800u
#define MMUCFG_NPIDS_SHIFT 11
#define MMUCFG_PIDSIZE 0x000007c0u   /* number of PID bits - 1 */
#define MMUCFG_PIDSIZE_SHIFT 6
#define MMUCFG_NTLBS 0x0000000cu     /* number of TLBs - 1 */
#define MMUCFG_NTLBS_SHIFT 2
#define MMUCFG_MAVN 0x00000003u      /* 0: MMU architecture version 1.0 */
/* TLBnCFG (MMU v1.0 layout: MINSIZE and MAXSIZE in 4^n KiB) */
#define TLBnCFG_ASSOC 0xff000000u
#define TLBnCFG_ASSOC_SHIFT 24
#define TLBnCFG_MINSIZE 0x00f00000u
#define TLBnCFG_MINSIZE_SHIFT 20
#define TLBnCFG_MAXSIZE 0x000f0000u
#define TLBnCFG_MAXSIZE_SHIFT 16
#define TLBnCFG_IPROT 0x00008000u
#define TLBnCFG_AVAIL 0x00004000u    /* page sizes selectable per entry */
#define TLBnCFG_NENTRY 0x00000fffu

/* One TLB entry, kept as the MAS words that wrote it (tlbre gives them back as written,
 * masked to the implemented bits). */
typedef struct BookeTlbe {
    uint32_t mas1;   /* V IPROT TID TS TSIZE */
    uint64_t mas2;   /* EPN, WIMGE, X0 X1 */
    uint32_t mas3;   /* RPN low, U0-U3, permissions */
    uint32_t mas7;   /* RPN high */
    uint32_t mas8;   /* TGS VF TLPID */
} BookeTlbe;

typedef struct BookeTlb {
    BookeTlbe tlb0[BOOKE_TLB0_ENTRIES];   /* index set * BOOKE_TLB0_WAYS + way */
    BookeTlbe tlb1[BOOKE_TLB1_ENTRIES];
    uint8_t tlb0_nv[BOOKE_TLB0_SETS];     /* next victim way of each set (round robin) */
} BookeTlb;

/* The MAS registers of one thread. */
typedef struct BookeMas {
    uint32_t mas0, mas1;
    uint64_t mas2;
    uint32_t mas3, mas4, mas5, mas6, mas7, mas8;
} BookeMas;

/* What a translation matches against: the thread's PID, the address space (MSR[IS] for
 * fetches, MSR[DS] for data), MSR[GS] and LPIDR. */
typedef struct BookeCtx {
    uint32_t pid;
    uint32_t lpid;
    bool as;
    bool gs;
} BookeCtx;

typedef enum BookeAccess { BOOKE_LOAD, BOOKE_STORE, BOOKE_FETCH } BookeAccess;

typedef enum BookeResult {
    BOOKE_OK,
    BOOKE_MISS,     /* no entry matches: Data/Instruction TLB Error interrupt */
    BOOKE_PROT,     /* an entry matches but forbids the access: DSI/ISI */
    BOOKE_VF,       /* a data access through an entry with MAS8[VF], whatever its
                       permission bits: E.HV virtualization fault, a DSI to the hypervisor
                       (such entries have TGS = 1 in practice, so it is a guest access);
                       instruction fetches ignore VF */
} BookeResult;

typedef struct BookeXlate {
    uint64_t ra;         /* the real address of ea */
    uint64_t page_size;  /* of the matching entry, bytes */
    uint32_t wimge;      /* MAS2_WIMGE bits of the entry */
    const BookeTlbe *e;  /* the matching entry (OK, PROT, VF) */
    unsigned tlbsel;     /* 0 or 1 */
    unsigned index;      /* into tlb0[] or tlb1[] */
} BookeXlate;

/* Page size in bytes of an entry (MAS1[TSIZE]). */
uint64_t booke_tlbe_size(const BookeTlbe *e);

/* Translates ea (32-bit mode addresses already wrapped) for an access in privileged
 * (pr = false) or problem state (pr = true). TLB1 is searched before TLB0. */
BookeResult booke_translate(const BookeTlb *t, uint64_t ea, const BookeCtx *ctx, bool pr,
                            BookeAccess acc, BookeXlate *out);

/* The MAS updates of a Data or Instruction TLB Error interrupt (a miss on ea in ctx): MAS0
 * TLBSEL from MAS4[TLBSELD] with the next victim of TLB0's set in ESEL and the way after
 * it in NV, MAS1 V=1 with TID = PID, TS = as, TSIZE = MAS4[TSIZED], MAS2 EPN = ea's page
 * with the MAS4 X0 X1 WIMGE defaults, MAS3 and MAS7 zero, MAS6 SPID = PID and SAS = as,
 * and (E.HV) MAS8 TGS = gs, TLPID = lpid. MAS4 and MAS5 are not changed. */
void booke_tlb_miss_mas(const BookeTlb *t, BookeMas *m, uint64_t ea, const BookeCtx *ctx);

/* The TLB instructions (Book III-E 6.11.4 "TLB Management Instructions"). */
typedef enum BookeTlbweResult {
    BOOKE_TLBWE_OK,
    BOOKE_TLBWE_INVALID,   /* MAS selects no entry or an unsupported page size: the
                              write is ignored (e500mc) */
} BookeTlbweResult;

/* tlbwe: writes the entry MAS0[TLBSEL, ESEL] (and MAS2[EPN]'s set for TLB0) from MAS1-3,
 * MAS7, MAS8, masked to the implemented bits (BOOKE_MASn_IMPL); a TLB0 write also makes
 * MAS0[NV] the set's next victim. e500mc has no LRAT, so a guest's tlbwe traps to the
 * hypervisor: this is the hypervisor's (or the built-in hypervisor's) write, MAS8 as given. */
BookeTlbweResult booke_tlbwe(BookeTlb *t, const BookeMas *m);
/* The entry a tlbwe with these MAS registers would write (NULL if none): what the write
 * takes away is what that entry translated. */
const BookeTlbe *booke_tlbwe_slot(const BookeTlb *t, const BookeMas *m);
/* tlbre: reads that entry into MAS1-3, MAS7, MAS8 (and MAS0[NV] for TLB0); MAS0[TLBSEL]
 * = 2 or 3 selects nothing and leaves the MAS registers as they were. */
void booke_tlbre(const BookeTlb *t, BookeMas *m);
/* tlbsx: searches for ea with MAS6[SPID, SAS] and MAS5[SGS, SLPID] as a translation in
 * that context would (TID = 0 matches any SPID); a hit loads MAS0 (TLBSEL, ESEL, NV),
 * MAS1-3, MAS7, MAS8 with the entry; a miss loads what a TLB error would with the search
 * context in place of the thread's, except that MAS1[V] = 0 and MAS6 stays. */
void booke_tlbsx(const BookeTlb *t, BookeMas *m, uint64_t ea);
/* tlbivax on one thread's TLB: ea's bits 59:60 (0x18) select the TLB, bit 61 (0x4)
 * invalidates the whole TLB; entries with IPROT stay; only entries whose TGS and TLPID
 * match MAS5[SGS, SLPID] (in guest state the caller passes MAS5_SGS | LPIDR). TID and TS
 * are not compared. Returns true if any entry went. */
bool booke_tlbivax(BookeTlb *t, uint64_t ea, uint32_t mas5);
/* tlbilx T = 0 (by LPID), 1 (by LPID and PID), 3 (by address): local invalidation with
 * MAS5 and MAS6 as the search context; entries with IPROT stay. T = 2 is reserved and
 * invalidates nothing. Returns true if any entry went. */
enum { BOOKE_TLBILX_LPID = 0, BOOKE_TLBILX_PID = 1, BOOKE_TLBILX_VA = 3 };
bool booke_tlbilx(BookeTlb *t, unsigned type, const BookeMas *m, uint64_t ea);
/* mtspr MMUCSR0: flash invalidations of TLB0 and/or TLB1 (IPROT entries stay); the
 * invalidation is complete on return, so the FI bits read back as 0. */
bool booke_mmucsr0(BookeTlb *t, uint32_t val);

/* The configuration registers e500mc reports (with E.HV: MMUCFG[LPIDSIZE] = 6). */
uint32_t booke_mmucfg(void);
uint32_t booke_tlbcfg(unsigned n);

#endif
