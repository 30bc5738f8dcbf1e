/* mmu/ppc_hash64.h: Book3S-64 hashed page table translation for POWER8 and POWER9 in hash
 * mode (Power ISA 2.07B and 3.0B, Book III, chapter 5 "Storage Control": "Virtual Address
 * Generation" with the Segment Lookaside Buffer, "Virtual to Real Translation" with the
 * hashed page table search, "Reference and Change Recording" and "Storage Protection").
 * The walker knows no CPU and no hypervisor: the SLB is an array the CPU owns, and the HPT
 * is reached only through the Hash64Ops the machine provides (an HPT in guest memory at
 * HTABORG for a bare-metal CPU, or the hypervisor's private table for a PAPR guest), so
 * unit tests can hand it a byte array. HPTEs are given to the walker in the ISA 2.07
 * layout (the layout PAPR hcalls and the HTAB stream use); Hash64Mmu.hpte_isa300 says that
 * the ops return the ISA 3.0 layout instead, which the walker converts. */
#ifndef HVEMU_PPC_HASH64_H
#define HVEMU_PPC_HASH64_H

#include "cpu/common/base.h"

/* SLB entry: the ESID word (slbmte RB without the index field) and the VSID word (slbmte
 * RS), bit for bit as slbmte/slbmfee/slbmfev and the PAPR SLB shadow buffer carry them. */
#define SLB_ESID_ESID 0xFFFFFFFFF0000000ULL    /* ESID of a 256 MB segment */
#define SLB_ESID_ESID_1T 0xFFFFFF0000000000ULL /* ESID of a 1 TB segment */
#define SLB_ESID_V 0x0000000008000000ULL       /* entry valid */
#define SLB_ESID_INDEX 0x0000000000000FFFULL   /* slbmte RB: the entry number */
#define SLB_VSID_B 0xC000000000000000ULL       /* segment size selector */
#define SLB_VSID_B_256M 0x0000000000000000ULL
#define SLB_VSID_B_1T 0x4000000000000000ULL
#define SLB_VSID_SSIZE_SHIFT 62
#define SLB_VSID_SHIFT 12    /* VSID position for a 256 MB segment (50 bits) */
#define SLB_VSID_SHIFT_1T 24 /* VSID position for a 1 TB segment (38 bits) */
#define SLB_VSID_KS 0x0000000000000800ULL /* Ks: key for privileged state */
#define SLB_VSID_KP 0x0000000000000400ULL /* Kp: key for problem state */
#define SLB_VSID_N 0x0000000000000200ULL  /* no-execute segment */
#define SLB_VSID_L 0x0000000000000100ULL  /* base page size selector bit 0 */
#define SLB_VSID_C 0x0000000000000080ULL  /* class */
#define SLB_VSID_LP 0x0000000000000030ULL /* base page size selector bits 1:2 */
#define SLB_VSID_LLP (SLB_VSID_L | SLB_VSID_LP)

/* HPTE doubleword 0, ISA 2.07 layout. */
#define HPTE64_V_SSIZE 0xC000000000000000ULL /* B: segment size, as SLB_VSID_B */
#define HPTE64_V_SSIZE_SHIFT 62
#define HPTE64_V_AVPN 0x3FFFFFFFFFFFFF80ULL /* AVA: VA bits 0:54 */
#define HPTE64_V_AVPN_SHIFT 7
#define HPTE64_V_BOLTED 0x0000000000000010ULL /* software: PAPR "bolted" */
#define HPTE64_V_LARGE 0x0000000000000004ULL  /* L */
#define HPTE64_V_SECONDARY 0x0000000000000002ULL /* H: in the secondary PTEG */
#define HPTE64_V_VALID 0x0000000000000001ULL     /* V */
/* HPTE doubleword 1, ISA 2.07 layout. */
#define HPTE64_R_PP0 0x8000000000000000ULL
#define HPTE64_R_TS 0x4000000000000000ULL
#define HPTE64_R_KEY_HI 0x3000000000000000ULL /* key bits 0:1 */
#define HPTE64_R_RPN 0x0FFFFFFFFFFFF000ULL    /* ARPN || LP */
#define HPTE64_R_RPN_SHIFT 12
#define HPTE64_R_LP 0x00000000000FF000ULL /* LP: low RPN bits of a large page */
#define HPTE64_R_KEY_LO 0x0000000000000E00ULL /* key bits 2:4 */
#define HPTE64_R_R 0x0000000000000100ULL
#define HPTE64_R_C 0x0000000000000080ULL
#define HPTE64_R_W 0x0000000000000040ULL
#define HPTE64_R_I 0x0000000000000020ULL
#define HPTE64_R_M 0x0000000000000010ULL
#define HPTE64_R_G 0x0000000000000008ULL
#define HPTE64_R_WIMG 0x0000000000000078ULL
#define HPTE64_R_N 0x0000000000000004ULL
#define HPTE64_R_PP 0x0000000000000003ULL
/* ISA 3.0 layout: B moves to doubleword 1 and the AVA and RPN fields narrow. */
#define HPTE64_V_3_0_COMMON 0x000FFFFFFFFFFFFFULL /* dword 0 bits kept in both layouts */
#define HPTE64_R_3_0_SSIZE 0x0C00000000000000ULL
#define HPTE64_R_3_0_SSIZE_SHIFT 58

#define HPTE64_SIZE 16u    /* bytes in one HPTE */
#define HPTES_PER_GROUP 8u /* HPTEs in one PTEG */
#define HASH64_PTEG_SIZE (HPTE64_SIZE * HPTES_PER_GROUP)

/* SDR1 (ISA 2.07) and, at the same bit positions, doubleword 0 of a partition-table entry
 * for an HPT partition (ISA 3.0): the real address and size of the HPT. */
#define SDR1_HTABORG 0x0FFFFFFFFFFC0000ULL
#define SDR1_HTABSIZE 0x000000000000001FULL
#define HASH64_HTABSIZE_MAX 28 /* 2^(18+28) bytes */

/* DSISR bits for a Data Storage interrupt, and SRR1 bits for an Instruction Storage
 * interrupt, that a failed translation reports. */
#define DSISR_NOPTE 0x40000000u     /* no HPTE translates the address */
#define DSISR_PROTFAULT 0x08000000u /* storage protection (PP with Ks/Kp) forbids it */
#define DSISR_ISSTORE 0x02000000u   /* the access was a store */
#define DSISR_KEYFAULT 0x00200000u  /* virtual page class key (AMR) forbids it */
#define SRR1_ISI_NOPTE 0x40000000u
#define SRR1_ISI_N_G 0x10000000u     /* fetch from a no-execute segment or page, or guarded */
#define SRR1_ISI_PROTFAULT 0x08000000u
#define SRR1_ISI_KEYFAULT 0x00200000u /* IAMR forbids the fetch */

/* Permissions a translation grants. */
#define HASH64_PROT_READ 1u
#define HASH64_PROT_WRITE 2u
#define HASH64_PROT_EXEC 4u

/* One SLB entry. */
typedef struct Hash64Slbe {
    uint64_t esid; /* SLB_ESID_ESID | SLB_ESID_V */
    uint64_t vsid; /* B, VSID, Ks, Kp, N, L, C, LP */
} Hash64Slbe;

/* One HPTE, host order. */
typedef struct Hash64Hpte {
    uint64_t pte0, pte1;
} Hash64Hpte;

/* A base page size a segment may have (SLB L||LP) and the actual page sizes its HPTEs may
 * map (HPTE L and LP), as the ibm,segment-page-sizes property describes them. */
typedef struct Hash64PageEnc {
    uint8_t shift;   /* actual page size, log2; 0 ends the list */
    uint8_t pte_enc; /* HPTE LP value (ignored for 4 KiB, which has L=0) */
} Hash64PageEnc;

#define HASH64_MAX_ENC 3

typedef struct Hash64SegPageSize {
    uint8_t shift;    /* base page size, log2 */
    uint16_t slb_enc; /* SLB_VSID_L | SLB_VSID_LP bits */
    Hash64PageEnc enc[HASH64_MAX_ENC];
} Hash64SegPageSize;

typedef struct Hash64PageSizes {
    const Hash64SegPageSize *sps;
    unsigned n;
} Hash64PageSizes;

/* The page sizes of POWER8 and POWER9 in hash mode that hvemu offers a guest: base 4K
 * (actual 4K, 64K, 16M), base 64K (actual 64K, 16M), base 16M. Machines generate the
 * ibm,segment-page-sizes property from this table. */
extern const Hash64PageSizes hash64_page_sizes_p8p9;

/* The HPT as the machine provides it. */
typedef struct Hash64Ops {
    /* PTEG index mask: the number of PTEGs minus one (2^(11+HTABSIZE) - 1). */
    uint64_t (*pteg_mask)(void *opaque);
    /* Copy the n HPTEs from index ptex into out, host order (converting from the
     * big-endian storage is the ops' job). False if they cannot be read. */
    bool (*read_hptes)(void *opaque, uint64_t ptex, unsigned n, Hash64Hpte *out);
    /* Store doubleword 1 of HPTE ptex after the walker set R and/or C in it. */
    void (*store_hpte_rc)(void *opaque, uint64_t ptex, uint64_t pte1);
    void *opaque;
} Hash64Ops;

/* What the CPU hands the walker: the HPT, the SLB and the model's page sizes. */
typedef struct Hash64Mmu {
    const Hash64Ops *ops;
    const Hash64Slbe *slb;
    unsigned slb_entries;
    const Hash64PageSizes *page_sizes; /* NULL: hash64_page_sizes_p8p9 */
    bool hpte_isa300;                  /* ops return HPTEs in the ISA 3.0 layout */
} Hash64Mmu;

typedef enum Hash64Access { HASH64_LOAD, HASH64_STORE, HASH64_IFETCH } Hash64Access;

/* A step of a translation, reported to Hash64Xlate.trace for `-d mmu`. */
typedef enum Hash64StepKind {
    HASH64_STEP_SLB_MISS, /* no SLB entry for ea */
    HASH64_STEP_SLB_HIT,  /* index, word = the VSID word */
    HASH64_STEP_VA,       /* vsid, shift = segment size, base_shift, word = AVA */
    HASH64_STEP_HASH,     /* secondary, hash, pteg */
    HASH64_STEP_HPTE,     /* ptex, index (slot), pte0, pte1, why (NULL: it matches) */
    HASH64_STEP_MATCH,    /* ptex, shift = actual page size, ra */
    HASH64_STEP_PROT,     /* word = key, index = PP (pp0||pp1||pp2), prot */
    HASH64_STEP_RC,       /* ptex, pte1 = the value stored */
    HASH64_STEP_FAULT,    /* why, word = DSISR/SRR1 bits */
} Hash64StepKind;

typedef struct Hash64Step {
    Hash64StepKind kind;
    uint64_t ea;
    unsigned index;
    bool secondary;
    unsigned shift, base_shift, prot;
    uint64_t vsid, hash, pteg, ptex, pte0, pte1, ra, word;
    const char *why;
} Hash64Step;

/* How to translate. Designated initialisers: (Hash64Xlate){ .access = HASH64_STORE }. */
typedef struct Hash64Xlate {
    Hash64Access access;
    bool pr;         /* MSR[PR]: selects Kp instead of Ks */
    bool check_keys; /* apply AMR/IAMR (the CPU clears it where the ISA exempts) */
    uint64_t amr, iamr;
    bool probe;      /* a debugger look-up: R and C are left alone */
    void (*trace)(void *opaque, const Hash64Step *step);
    void *trace_opaque;
} Hash64Xlate;

typedef enum Hash64Status {
    HASH64_OK,
    HASH64_SEGMENT_FAULT, /* no SLB entry: Data or Instruction Segment interrupt */
    HASH64_PAGE_FAULT,    /* DSI (fault_bits is DSISR) or ISI (fault_bits go into SRR1) */
    HASH64_HPT_ERROR,     /* the ops could not read the HPT: a machine check */
} Hash64Status;

typedef struct Hash64Result {
    uint64_t ra;          /* real address of ea */
    unsigned page_shift;  /* actual page size */
    unsigned base_shift;  /* the segment's base page size */
    unsigned prot;        /* HASH64_PROT_* the access context has on the page */
    unsigned tlb_prot;    /* what a soft TLB may cache: prot without WRITE while C=0 */
    unsigned key;         /* the HPTE's 5-bit virtual page class key */
    unsigned slb_index;
    uint64_t vsid;
    uint64_t ptex;        /* the matching HPTE */
    uint64_t pte0, pte1;  /* its value, ISA 2.07 layout, after the R/C update */
    uint32_t fault_bits;  /* HASH64_PAGE_FAULT: DSISR_* or SRR1_ISI_* */
} Hash64Result;

/* Segment size (28 or 40) of an SLB entry, 0 for a reserved B value. */
unsigned hash64_slbe_segment_shift(const Hash64Slbe *e);
/* The VSID of an SLB entry (50 bits for 256 MB, 38 bits for 1 TB). */
uint64_t hash64_slbe_vsid(const Hash64Slbe *e);
/* The base page size row for an SLB entry's L||LP, NULL if it encodes none. slbmte can
 * reject such an entry with it. */
const Hash64SegPageSize *hash64_slbe_page_size(const Hash64PageSizes *ps, const Hash64Slbe *e);
/* The valid entry translating ea, or NULL (a segment fault); *index gets its number. */
const Hash64Slbe *hash64_slb_lookup(const Hash64Slbe *slb, unsigned n, uint64_t ea,
                                    unsigned *index);

/* The abbreviated virtual address VA[0:54] of ea in segment (vsid, segment_shift). */
uint64_t hash64_ava(uint64_t vsid, unsigned segment_shift, uint64_t ea);
/* The primary hash (39 bits) of ea; the secondary hash is its one's complement. */
uint64_t hash64_hash(uint64_t vsid, unsigned segment_shift, unsigned base_shift, uint64_t ea);

/* Geometry of an HPT given by HTABORG and HTABSIZE (SDR1 or partition-table entry). */
typedef struct Hash64Htab {
    uint64_t htaborg;
    unsigned htabsize;
} Hash64Htab;
/* Decode SDR1 / PATE doubleword 0; false if HTABSIZE is over 28. */
bool hash64_htab_decode(uint64_t sdr1, Hash64Htab *out);
uint64_t hash64_htab_pteg_mask(const Hash64Htab *h);
/* Real address of the PTEG a hash selects. */
uint64_t hash64_htab_pteg_addr(const Hash64Htab *h, uint64_t hash);

/* The ISA 3.0 layout as ISA 2.07's, and back. */
void hash64_hpte_from_isa300(uint64_t *pte0, uint64_t *pte1);
void hash64_hpte_to_isa300(uint64_t *pte0, uint64_t *pte1);

/* Actual page size (log2) of an HPTE in a segment of base page size sps; 0 if its L and LP
 * give no size the segment allows. */
unsigned hash64_hpte_page_shift(const Hash64SegPageSize *sps, uint64_t pte0, uint64_t pte1);
/* The same without an SLB entry (H_ENTER): tries every base size of ps. 0 if none. */
unsigned hash64_hpte_page_shift_noslb(const Hash64PageSizes *ps, uint64_t pte0, uint64_t pte1,
                                      unsigned *base_shift);
/* The 5-bit virtual page class key of an HPTE (KEY_HI || KEY_LO). */
unsigned hash64_hpte_key(uint64_t pte1);
/* Permissions PP (pp0 || pp1 || pp2) grants under key (Ks or Kp). */
unsigned hash64_pp_prot(unsigned key, uint64_t pte1);

/* Translate ea. The result is valid for HASH64_OK, and out->fault_bits for
 * HASH64_PAGE_FAULT. */
Hash64Status hash64_translate(const Hash64Mmu *m, uint64_t ea, const Hash64Xlate *x,
                              Hash64Result *out);

/* One line of text for a step, without newline. Returns the length written (snprintf). */
int hash64_step_format(const Hash64Step *s, char *buf, size_t len);
/* Translate ea as a debugger would (no R/C update) and hand each step as a line of text
 * to line(). For `-d mmu`, the monitor and the gdb stub. */
Hash64Status hash64_explain(const Hash64Mmu *m, uint64_t ea, const Hash64Xlate *x,
                            void (*line)(void *opaque, const char *text), void *opaque,
                            Hash64Result *out);

#endif
