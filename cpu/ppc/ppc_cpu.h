/* cpu/ppc/ppc_cpu.h: the Power ISA processor as the interpreter sees it (Power ISA
 * v3.0B; v2.07 for POWER8; v2.06 Book III-E for e500mc): architectural state of Books I
 * and III, the pre-decoded instruction form and the status every semantic function
 * returns. One struct serves the Book III-S (POWER8/POWER9) and Book III-E (e500mc)
 * models; which instructions and SPRs a model has is data in its PpcModel row, not
 * #ifdefs. Bit numbers follow the ISA's big-endian numbering in comments, with the C
 * mask values for a 64-bit register (bit 0 is the most significant). */
#ifndef HVEMU_PPC_CPU_H
#define HVEMU_PPC_CPU_H

#include <stdio.h>

#include "cpu/common/base.h"
#include "cpu/common/vclock.h"
#include "devices/bus.h"
#include "mmu/booke206.h"
#include "mmu/ppc_hash64.h"

typedef struct PpcCpu PpcCpu;
typedef struct PpcInsn PpcInsn;

/* What a semantic function tells the execution loop; the same contract as RvStatus.
 * While a block runs, c->nip holds the address of its first instruction and an
 * instruction's own address is ppc_pc(c, i). */
typedef enum PpcStatus {
    PPC_NEXT = 0,   /* retired; go on with the next instruction */
    PPC_JUMP,       /* retired; the instruction set c->nip; the block ends */
    PPC_END,        /* retired; nip advances; the block ends (MSR, SPRs or code changed) */
    PPC_TRAP,       /* not retired (or, for sc and traps, retired as the ISA says):
                       c->exc describes the interrupt */
    PPC_WAIT,       /* retired; the thread waits for an interrupt (wait, stop, nap) */
} PpcStatus;

typedef PpcStatus (*PpcExecFn)(PpcCpu *c, const PpcInsn *i);

/* One pre-decoded instruction (ppc_decode.c extracts the fields by form). */
struct PpcInsn {
    PpcExecFn fn;
    int64_t imm;     /* D/DS/DQ/SI/UI, branch displacement (AA applied at decode: see
                        flags), shift/rotate amounts, TO, L, ... by form */
    uint32_t raw;    /* the instruction word */
    uint16_t op;     /* row of ppc_insn.def */
    uint16_t spr;    /* SPR/PMR number (halves already swapped), or FXM/FLM/BF/L fields */
    uint8_t rt;      /* RT, RS, FRT, FRS, VRT, XT (0-63), BO, BF */
    uint8_t ra;      /* RA; PPC_REG_ZERO when the form reads (RA|0) and RA = 0 */
    uint8_t rb;      /* RB, FRB, VRB, XB, BI, SH */
    uint8_t rc;      /* FRC, VRC, XC, MB/ME, BH */
    uint8_t flags;   /* PPC_IF_* */
    uint8_t aux;     /* form-specific small field (ME, crbA, ...) */
    uint16_t pc_off; /* offset from the start of the block */
};

#define PPC_REG_ZERO 32 /* gpr[32] is always 0: (RA|0) reads it */

#define PPC_IF_RC 0x01   /* Rc: record CR0 (CR1 for FP, CR6 for vector compares) */
#define PPC_IF_OE 0x02   /* OE: record XER[OV] */
#define PPC_IF_LK 0x04   /* LK: set LR */
#define PPC_IF_AA 0x08   /* AA: absolute branch target */

/* A pending interrupt (Book III-S chapter 7 "Interrupts"; Book III-E chapter 7). */
typedef struct PpcException {
    unsigned kind;      /* PPC_EXC_* */
    uint64_t srr1_bits; /* SRR1 bits 33:36, 42:47 the interrupt sets (ISI/program reasons);
                           Book III-E: the ESR bits (program reasons, ST, ...) */
    uint64_t dar;       /* DSI, alignment (Book III-E: DEAR) */
    uint32_t dsisr;
    uint64_t nip;       /* where to resume (sc, trap-type: the next instruction) */
    bool nip_set;
    bool vf;            /* Book III-E DSI: an E.HV virtualization fault (to the hypervisor) */
    bool store;         /* alignment: the access was a store (Book III-E ESR[ST]) */
} PpcException;

enum PpcExcKind {
    PPC_EXC_NONE,
    PPC_EXC_SYSTEM_RESET, PPC_EXC_MACHINE_CHECK, PPC_EXC_DSI, PPC_EXC_DSEGI, PPC_EXC_ISI,
    PPC_EXC_ISEGI, PPC_EXC_EXTERNAL, PPC_EXC_ALIGNMENT, PPC_EXC_PROGRAM, PPC_EXC_FP_UNAVAIL,
    PPC_EXC_DECREMENTER, PPC_EXC_HDECREMENTER, PPC_EXC_DOORBELL, PPC_EXC_SYSCALL,
    PPC_EXC_TRACE, PPC_EXC_HDSI, PPC_EXC_HISI, PPC_EXC_HEMULATION, PPC_EXC_HMAINT,
    PPC_EXC_HVIRT, PPC_EXC_PERF_MONITOR, PPC_EXC_VMX_UNAVAIL, PPC_EXC_VSX_UNAVAIL,
    PPC_EXC_FAC_UNAVAIL, PPC_EXC_HFAC_UNAVAIL, PPC_EXC_SYSCALL_VECTORED,
    /* Book III-E (e500mc) */
    PPC_EXC_CRITICAL, PPC_EXC_DATA_TLB, PPC_EXC_INSN_TLB, PPC_EXC_FIT, PPC_EXC_WATCHDOG,
    PPC_EXC_DEBUG, PPC_EXC_EHPRIV, PPC_EXC_GUEST_DOORBELL, PPC_EXC_HYPERCALL,
    PPC_EXC_DOORBELL_CRIT, PPC_EXC_GUEST_DOORBELL_CRIT, PPC_EXC_GUEST_DOORBELL_MC,
    PPC_EXC_COUNT,
};

/* Program interrupt reasons, as SRR1 bits (Book III-S 7.5.9). */
#define SRR1_PROGRAM_FP 0x0000000000100000ULL      /* bit 43 */
#define SRR1_PROGRAM_ILLEGAL 0x0000000000080000ULL /* bit 44 */
#define SRR1_PROGRAM_PRIV 0x0000000000040000ULL    /* bit 45 */
#define SRR1_PROGRAM_TRAP 0x0000000000020000ULL    /* bit 46 */

/* MSR (Book III-S 4.2.1; Book III-E 4.2.1 for the bits marked so). */
#define MSR_SF (1ULL << 63)
#define MSR_CM (1ULL << 31)  /* Book III-E: computation mode (64-bit) */
#define MSR_HV (1ULL << 60)
#define MSR_TS (3ULL << 33)
#define MSR_GS (1ULL << 28)  /* Book III-E E.HV: guest state */
#define MSR_UCLE (1ULL << 26) /* Book III-E: user cache locking */
#define MSR_VEC (1ULL << 25)
#define MSR_SPV (1ULL << 25) /* Book III-E: SPE/vector available */
#define MSR_VSX (1ULL << 23)
#define MSR_WE (1ULL << 18)  /* Book III-E: wait state enable */
#define MSR_CE (1ULL << 17)  /* Book III-E */
#define MSR_EE (1ULL << 15)
#define MSR_PR (1ULL << 14)
#define MSR_FP (1ULL << 13)
#define MSR_ME (1ULL << 12)
#define MSR_FE0 (1ULL << 11)
#define MSR_SE (1ULL << 10)
#define MSR_BE (1ULL << 9)
#define MSR_DE (1ULL << 9)   /* Book III-E */
#define MSR_FE1 (1ULL << 8)
#define MSR_IR (1ULL << 5)
#define MSR_IS (1ULL << 5)   /* Book III-E */
#define MSR_DR (1ULL << 4)
#define MSR_DS (1ULL << 4)   /* Book III-E */
#define MSR_PMM (1ULL << 2)
#define MSR_RI (1ULL << 1)
#define MSR_LE (1ULL << 0)

/* LPCR bits a partition's hypervisor sets for it (Book III-S 2.2: H_SET_MODE sets ILE and
 * AIL for a PAPR guest). */
#define LPCR_ILE (1ULL << 25)      /* bit 38: interrupts little-endian */
#define LPCR_AIL_SHIFT 23          /* bits 39:40: alternate interrupt location */
#define LPCR_AIL (3ULL << LPCR_AIL_SHIFT)

/* XER (Book I 3.2.2) */
#define XER_SO (1ULL << 31)
#define XER_OV (1ULL << 30)
#define XER_CA (1ULL << 29)
#define XER_OV32 (1ULL << 19)
#define XER_CA32 (1ULL << 18)
#define XER_BC 0x7fULL

typedef union PpcVsr {
    uint64_t d[2];   /* d[0] is doubleword 0 (the FPR for VSR 0-31) */
    uint32_t w[4];   /* host order: w[0] is the least significant word of d[1] */
    uint8_t b[16];
} PpcVsr;

/* The CPU models: PVR, which instruction categories decode, cache geometry. */
enum PpcCategory {
    PPC_CAT_B = 1u << 0,      /* Base */
    PPC_CAT_64 = 1u << 1,     /* 64-bit */
    PPC_CAT_S = 1u << 2,      /* Server (Book III-S) */
    PPC_CAT_E = 1u << 3,      /* Embedded (Book III-E) */
    PPC_CAT_EHV = 1u << 4,    /* Embedded.Hypervisor */
    PPC_CAT_FP = 1u << 5,
    PPC_CAT_VMX = 1u << 6,
    PPC_CAT_VSX = 1u << 7,
    PPC_CAT_V207 = 1u << 8,   /* ISA 2.07 additions (POWER8) */
    PPC_CAT_V300 = 1u << 9,   /* ISA 3.0 additions (POWER9) */
};

typedef struct PpcModel {
    const char *name;
    uint32_t pvr;
    uint32_t categories;      /* PPC_CAT_* the decoder accepts */
    unsigned dcache_line;     /* dcbz size */
    unsigned slb_size;
    bool hash_mmu;
} PpcModel;

extern const PpcModel ppc_models[];
const PpcModel *ppc_model_find(const char *name);

#define PPC_JC_SIZE 4096
#define PPC_TLB_SIZE 256
#define PPC_SLB_MAX 64

/* Translation contexts of the soft TLB, indexed by MSR[IR] (MSR[DR] for data) and MSR[PR]:
 * Book III-S real addressing and relocation in privileged and in problem state; Book III-E
 * always translates, and the two bits are the address space (MSR[IS]/MSR[DS]) and the
 * privilege the permissions depend on (Book III-S never runs problem state unrelocated,
 * so PPC_MMU_REAL_PR is Book III-E's only). */
enum { PPC_MMU_REAL, PPC_MMU_VIRT, PPC_MMU_REAL_PR, PPC_MMU_VIRT_PR, PPC_MMU_COUNT };
enum { PPC_TLB_LOAD, PPC_TLB_STORE, PPC_TLB_FETCH, PPC_TLB_ACCESSES };

#define PPC_TLB_VALID 1ULL /* set in a tag the access may use (a zeroed entry is empty) */
#define PPC_TLB_SLOW 2ULL  /* set in a tag: the page needs the slow path (MMIO, code) */

/* One soft-TLB entry: a 4 KiB page of effective addresses and what each access kind may
 * do with it. A tag is the page's effective address | PPC_TLB_VALID when the access may
 * use `host` directly, with PPC_TLB_SLOW added when it must go through the bus. */
typedef struct PpcTlbEntry {
    uint64_t tag[PPC_TLB_ACCESSES];
    uint8_t *host;         /* host address of the page, NULL for device pages */
    uint64_t ra_page;
    uint64_t ptex;         /* the HPTE that made it (~0 in real mode) */
    uint64_t amr_deny[PPC_TLB_ACCESSES]; /* AMR/IAMR bits that would now forbid the access */
    bool listed;           /* on the thread's tlb_filled list (until the next flush) */
} PpcTlbEntry;

typedef struct PpcJumpCacheEntry {
    uint64_t ea;
    uint64_t gen;
    unsigned ctx;          /* fetch context and MSR[LE] */
    void *block;
} PpcJumpCacheEntry;

struct PpcCpu {
    /* Hot state first. */
    uint64_t gpr[33];         /* gpr[32] == 0, never written */
    uint64_t nip;
    uint64_t lr, ctr;
    uint64_t xer;             /* SO OV CA OV32 CA32 and the byte count */
    uint32_t cr;              /* CR0 in the top nibble, as mfcr reads it */
    uint64_t msr;
    PpcVsr vsr[64];           /* VSR 0-31: FPRs in d[0]; VSR 32-63: VRs */
    uint32_t fpscr_lo;        /* FPSCR bits 32:63 */
    uint32_t vscr;
    uint32_t vrsave;
    PpcException exc;

    /* SPRs (Book III-S chapter 4 and the POWER8/POWER9 user manuals) */
    uint64_t srr0, srr1, hsrr0, hsrr1;
    uint64_t sprg[4], hsprg[2];
    uint64_t dar, hdar;
    uint32_t dsisr, hdsisr;
    uint64_t cfar;
    uint64_t dec_deadline;    /* time base value at which DEC reads 0 */
    uint64_t hdec_deadline;
    uint64_t tb_offset;       /* TB = virtual time in ticks + tb_offset */
    uint64_t pvr, pir;
    uint64_t lpcr, lpidr, pidr, hrmor, sdr1, ptcr;
    uint64_t amr, iamr, uamor, amor;
    uint64_t dscr, ppr, ctrl, fscr, hfscr, tar, ciabr, dawr0, dawrx0;
    uint64_t pmc[6], mmcr0, mmcr1, mmcr2, mmcra, siar, sdar;
    uint64_t purr_offset, spurr_offset;
    uint64_t hid[6];
    uint64_t psscr;
    uint64_t bescr, ebbhr, ebbrr, tfhar, tfiar, texasr;

    /* Book III-E (e500mc) and category E.HV: interrupt registers, timers, storage
     * control, doorbells (booke/). */
    uint64_t ivpr, givpr;
    uint32_t ivor[64];        /* IVORn by interrupt number n */
    uint32_t givor[16];       /* GIVOR2/3/4/8/13/14 by interrupt number */
    uint64_t csrr0, csrr1, mcsrr0, mcsrr1, dsrr0, dsrr1, gsrr0, gsrr1;
    uint64_t dear, gdear, mcar, sprg_e[10], gsprg[4]; /* sprg_e: SPRG4-9 at [4..9] */
    uint32_t esr, gesr, mcsr, epr, gepr, gpir;
    uint32_t tcr, tsr, decar;
    uint32_t pid, mmucsr0, epcr, msrp, eplc, epsc, svr;
    uint32_t l1csr[3], l2csr[2], bucsr, dbcr[3], dbsr;
    uint64_t iac[2], dac[2];
    uint32_t pmr[32];         /* the performance monitor registers mfpmr/mtpmr reach */
    uint32_t booke_irqs;      /* BOOKE_IRQ_* pending (doorbells, critical input, timers) */
    BookeMas mas;
    BookeTlb btlb;
    VTimer fit_timer, wdt_timer;

    /* Reservation (larx/stcx.) */
    uint64_t resv_addr;       /* real address, or ~0 */
    uint64_t resv_val[2];
    unsigned resv_size;
    uint64_t resv_epoch;

    /* Storage control: the SLB, the soft TLB and the slots filled in it. */
    Hash64Slbe slb[PPC_SLB_MAX];
    PpcTlbEntry tlb[PPC_MMU_COUNT][PPC_TLB_SIZE];
    uint16_t tlb_filled[PPC_MMU_COUNT * PPC_TLB_SIZE];
    unsigned tlb_nfilled;
    PpcJumpCacheEntry jc[PPC_JC_SIZE];
    uint64_t jc_gen;

    /* Interrupt sources (levels); delivery waits for MSR[EE]. */
    bool dec_pending;         /* Book III-S: DEC bit 0 is 1; Book III-E: TSR[DIS] */
    bool ext_pending;         /* the interrupt controller's line */
    VTimer dec_timer;

    /* Execution */
    const PpcModel *model;
    uint64_t retired;
    uint64_t budget, executed;
    const PpcInsn *blk;       /* the running block's first instruction */
    const PpcInsn *cur;       /* the running instruction (== blk between blocks) */
    bool cut;                 /* the last block was cut short: no interrupt before its end */
    bool waiting;             /* stopped by wait/nap/stop until an interrupt */
    bool stopped;             /* not started (secondary threads), or stopped by RTAS */
    bool tb_dirty;
    unsigned index;
    void *core;               /* the PpcCore of the machine (ppc_core.h) */
};

/* Instructions of the running quantum retired before the running one: with the
 * quantum's start, the exact virtual time of the instruction. */
static inline uint64_t ppc_progress(const PpcCpu *c)
{
    return c->executed + (uint64_t)(c->cur - c->blk);
}

static inline uint64_t ppc_pc(const PpcCpu *c, const PpcInsn *i)
{
    return c->nip + i->pc_off;
}

static inline bool ppc_msr_le(const PpcCpu *c)
{
    return (c->msr & MSR_LE) != 0;
}

static inline bool ppc_is_64(const PpcCpu *c)
{
    return (c->msr & MSR_SF) != 0;
}

/* The effective address arithmetic of Book I 1.10.3: 32-bit mode wraps at 4 GiB. */
static inline uint64_t ppc_ea(const PpcCpu *c, uint64_t ea)
{
    return ppc_is_64(c) ? ea : (uint32_t)ea;
}

static inline PpcStatus ppc_raise(PpcCpu *c, unsigned kind, uint64_t srr1_bits)
{
    c->exc = (PpcException){ .kind = kind, .srr1_bits = srr1_bits };
    return PPC_TRAP;
}

static inline PpcStatus ppc_illegal(PpcCpu *c)
{
    return ppc_raise(c, PPC_EXC_PROGRAM, SRR1_PROGRAM_ILLEGAL);
}

static inline PpcStatus ppc_privileged(PpcCpu *c)
{
    return ppc_raise(c, PPC_EXC_PROGRAM, SRR1_PROGRAM_PRIV);
}

/* CR field n (0-7) as a 4-bit value LT GT EQ SO. */
static inline unsigned ppc_cr_field(const PpcCpu *c, unsigned n)
{
    return (c->cr >> (28 - 4 * n)) & 0xf;
}

static inline void ppc_set_cr_field(PpcCpu *c, unsigned n, unsigned v)
{
    unsigned shift = 28 - 4 * n;
    c->cr = (c->cr & ~(0xfu << shift)) | ((v & 0xf) << shift);
}

/* CR bit b in the ISA numbering (0 = CR0[LT]). */
static inline bool ppc_cr_bit(const PpcCpu *c, unsigned b)
{
    return (c->cr >> (31 - b)) & 1;
}

static inline void ppc_set_cr_bit(PpcCpu *c, unsigned b, bool v)
{
    uint32_t m = 1u << (31 - b);
    c->cr = v ? (c->cr | m) : (c->cr & ~m);
}

/* The soft TLB's fast path: the host address of an access of len bytes at ea (not yet
 * wrapped for 32-bit mode) that lies in one 4 KiB page whose translation is cached for
 * acc (PPC_TLB_LOAD/STORE/FETCH) without the slow flag and that the AMR/IAMR allow; NULL
 * otherwise (the caller takes ppc_mem.c's full path). Inline so that loads and stores of
 * a constant size compile to a few compares and one host access. */
static inline unsigned ppc_tlb_ctx(const PpcCpu *c, unsigned acc)
{
    unsigned relocate = acc == PPC_TLB_FETCH ? (unsigned)(c->msr >> 5) : (unsigned)(c->msr >> 4);
    return (relocate & 1) | ((unsigned)(c->msr >> 13) & 2); /* MSR[PR] is bit 14 */
}

static inline uint8_t *ppc_fast_host(PpcCpu *c, uint64_t ea, unsigned len, unsigned acc)
{
    ea = (c->msr & MSR_SF) ? ea : (uint32_t)ea;
    if (unlikely(((ea & 0xfff) + len) > 4096))
        return NULL;
    PpcTlbEntry *e = &c->tlb[ppc_tlb_ctx(c, acc)][(ea >> 12) & (PPC_TLB_SIZE - 1)];
    uint64_t keys = acc == PPC_TLB_FETCH ? c->iamr : c->amr;
    if (likely(e->tag[acc] == ((ea & ~0xfffULL) | PPC_TLB_VALID) && !(keys & e->amr_deny[acc])))
        return e->host + (ea & 0xfff);
    return NULL;
}

/* Memory access for semantic functions (ppc_mem.c): effective addresses, translated
 * for the current MSR; values in the byte order of MSR[LE] unless `reverse` asks for the
 * other one (the byte-reverse forms). Return PPC_NEXT or PPC_TRAP (c->exc set: DSI,
 * segment, alignment, or machine check for a bus error). */
PpcStatus ppc_load(PpcCpu *c, uint64_t ea, unsigned size, bool reverse, uint64_t *val);
PpcStatus ppc_store(PpcCpu *c, uint64_t ea, unsigned size, bool reverse, uint64_t val);
/* Quadword and vector accesses: 16 bytes in storage order into/out of buf. */
PpcStatus ppc_load_bytes(PpcCpu *c, uint64_t ea, unsigned size, uint8_t *buf);
PpcStatus ppc_store_bytes(PpcCpu *c, uint64_t ea, unsigned size, const uint8_t *buf);
/* Real address of a naturally aligned access for larx/stcx. and atomics, with a host
 * pointer when it is RAM. */
PpcStatus ppc_translate_atomic(PpcCpu *c, uint64_t ea, unsigned size, bool store, uint64_t *ra,
                               uint8_t **host);

#endif
