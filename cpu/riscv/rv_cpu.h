/* cpu/riscv/rv_cpu.h: the RISC-V hart (RV64GC, M/S/U privilege, Sv39/48/57, Sstc, and the
 * H extension with VS/VU modes when the machine asks for it) as the interpreter sees it:
 * architectural state, the pre-decoded instruction form, the soft TLB and the status every
 * semantic function returns. Follows The RISC-V Instruction Set Manual, Volume I
 * (Unprivileged, 20191213) and Volume II (Privileged, 1.12, chapter 8 for H). */
#ifndef HVEMU_RV_CPU_H
#define HVEMU_RV_CPU_H

#include <stdio.h>

#include "cpu/common/base.h"
#include "cpu/common/debug.h"
#include "cpu/common/tb_cache.h"
#include "cpu/common/vclock.h"
#include "devices/bus.h"
#include "cpu/riscv/rv_defs.h"

typedef struct RvHart RvHart;
typedef struct RvInsn RvInsn;
typedef struct RvCore RvCore;

/* What a semantic function tells the execution loop. While a block runs, h->pc holds
 * the address of the block's first instruction; an instruction's own address is
 * rv_pc(h, i). */
typedef enum RvStatus {
    RV_NEXT = 0,  /* retired; execution goes on with the next instruction */
    RV_JUMP,      /* retired; the instruction set h->pc to the next address; the block ends */
    RV_END,       /* retired; pc advances; the block ends (state that decode or the
                     soft TLB depend on may have changed) */
    RV_TRAP,      /* not retired; h->exc describes the exception */
    RV_WFI,       /* retired; the hart waits for an interrupt */
} RvStatus;

typedef RvStatus (*RvExecFn)(RvHart *h, const RvInsn *i);

/* One pre-decoded instruction. rd == RV_REG_SINK for writes to x0. */
struct RvInsn {
    RvExecFn fn;
    int64_t imm;
    uint32_t raw;   /* the encoding as fetched: 16 bits for compressed forms (mtval) */
    uint16_t op;    /* row of the decode table */
    uint16_t csr;
    uint8_t rd, rs1, rs2, rs3;
    uint8_t rm;     /* FP rounding mode field, or aq/rl for atomics */
    uint8_t len;    /* 2 or 4 bytes */
    uint16_t pc_off; /* offset from the start of its block */
};

#define RV_REG_SINK 32

typedef enum RvAccess { RV_ACC_READ, RV_ACC_WRITE, RV_ACC_EXEC } RvAccess;

/* Soft TLB: direct-mapped tables, one per translation context, grouped in banks. A tag
 * is the virtual page address; bit 0 set in a tag means "slow path" (MMIO, or a RAM page
 * holding translated code for the write tag). */
#define RV_TLB_BITS 8
#define RV_TLB_SIZE (1u << RV_TLB_BITS)
#define RV_TLB_SLOW 1ULL
#define RV_TLB_INVALID (~0ULL)

typedef struct RvTlbEntry {
    uint64_t tag[3];   /* per RvAccess */
    uintptr_t addend;  /* host pointer = vaddr + addend */
    uint64_t pa_page;
    bool mmio;         /* the page is not RAM: every access goes to the bus */
    bool rom;          /* read-only RAM: writes go to the bus, which drops them */
    uint64_t leaf_mask; /* ~(size of the leaf page - 1): whole-leaf flushes of superpages */
} RvTlbEntry;

/* Translation contexts. The V=1 ones (two-stage, under vsatp and hgatp) come after the
 * V=0 ones, so the jump-cache and block-link keys (which hold the fetch context) tell the
 * two virtualization modes apart. */
typedef enum RvMmuIdx {
    RV_MMU_U, RV_MMU_S, RV_MMU_S_SUM, RV_MMU_M,
    RV_MMU_VU, RV_MMU_VS, RV_MMU_VS_SUM,
    RV_MMU_COUNT,
} RvMmuIdx;

#define RV_MMU_HOST_COUNT RV_MMU_VU /* contexts a hart without H uses */

static inline bool rv_mmu_idx_virt(unsigned idx)
{
    return idx >= RV_MMU_VU;
}

/* The banks of the soft TLB. Each side of the hart keeps a few banks, each holding the
 * tables of that side's contexts for one address space: for V=0 the key is satp (MODE,
 * ASID, PPN), for V=1 the pair hgatp (MODE, VMID, PPN) and vsatp (MODE, ASID, PPN). A
 * write of those registers only makes the side's bank stale; the next use picks the bank
 * whose key matches, or clears the least recently picked one and takes it, so that going
 * back to a recent address space or guest costs no refill. Entries of global (G) leaves
 * are cached per bank like any other, so the fences that order global mappings (rs2 = x0)
 * reach every bank of the side. M-mode (Bare) has a bank of its own that no register
 * selects. Each bank carries the jump-cache generation of the blocks fetched through it. */
typedef enum RvTlbSide { RV_TLB_M, RV_TLB_HOST, RV_TLB_VIRT, RV_TLB_SIDES } RvTlbSide;

#define RV_TLB_CTX 3          /* contexts of a side: U, S, S_SUM or VU, VS, VS_SUM */
#define RV_TLB_BANKS_SIDE 4   /* banks of the V=0 side, and of the V=1 side */
#define RV_TLB_BANKS (1 + 2 * RV_TLB_BANKS_SIDE)

typedef struct RvTlbBank {
    RvTlbEntry t[RV_TLB_CTX][RV_TLB_SIZE];
    /* Slots filled since the bank was last cleared (context * RV_TLB_SIZE + slot), so that
     * a clear touches only those; more than the array holds means "clear everything". */
    uint16_t filled[RV_TLB_CTX * RV_TLB_SIZE];
    unsigned nfilled;
    uint64_t super_mask; /* largest leaf_mask (smallest value) cached: bounds a flush */
    uint64_t key[2];     /* satp, 0 (V=0); hgatp, vsatp (V=1) */
    uint64_t stamp;      /* when last picked: the least recent one is taken next */
    uint64_t gen;        /* jump-cache generation of its contexts */
    bool live;           /* holds a key */
} RvTlbBank;

/* What a fence orders (4.2.1 SFENCE.VMA, 8.3.2 HFENCE.VVMA/GVMA): the banks of one side,
 * narrowed to one VMID (V=1), one ASID and one page. */
typedef struct RvFence {
    RvTlbSide side;
    bool by_vmid;
    bool by_asid;
    bool by_page;
    uint64_t vmid, asid, va;
} RvFence;

/* A synchronous exception on its way to the trap router. tval2 and tinst go to
 * htval/mtval2 and htinst/mtinst; gva says tval is a guest virtual address (set by the
 * two-stage path and by HLV/HSV; the router adds it for address faults taken with V=1);
 * tinst_fixed keeps the router from replacing tinst with the transformed instruction (a
 * walker pseudoinstruction, or 0 for an implicit access). */
typedef struct RvException {
    uint64_t cause;
    uint64_t tval;
    uint64_t tval2;
    uint64_t tinst;
    bool gva;
    bool tinst_fixed;
} RvException;

/* Guest external interrupt lines (8.2.4: hgeip/hgeie bits GEILEN:1). */
#define RV_GEILEN 8
#define RV_HGEI_MASK (((1ULL << RV_GEILEN) - 1) << 1)

#define RV_JC_SIZE 4096

typedef struct RvBlock RvBlock;

typedef struct RvJumpCacheEntry {
    uint64_t vpc;
    uint64_t gen;
    unsigned idx;
    RvBlock *block;
} RvJumpCacheEntry;

struct RvHart {
    /* Hot state first. */
    uint64_t x[33];          /* x[32] is the write sink for x0 */
    uint64_t pc;
    uint64_t f[32];          /* NaN-boxed FP registers */
    uint32_t fflags;
    uint32_t frm;
    unsigned priv;           /* RV_PRIV_U/S/M: the nominal privilege */
    bool virt;               /* V: VS/VU when set (H extension) */
    unsigned mmu_idx_data;   /* context of loads and stores (MPRV, SUM) */
    unsigned mmu_idx_fetch;
    RvTlbEntry *tlb_data;    /* the table of mmu_idx_data in its side's current bank */
    RvException exc;

    /* CSRs */
    uint64_t mstatus;
    uint64_t misa;
    uint64_t medeleg, mideleg;
    uint64_t mie, mip;        /* mip == mip_hw | mip_sw, kept in step */
    uint64_t mtvec, mscratch, mepc, mcause, mtval;
    uint64_t mcounteren, scounteren, mcountinhibit;
    uint64_t menvcfg, senvcfg;
    uint64_t stvec, sscratch, sepc, scause, stval, satp;
    uint64_t stimecmp;
    uint64_t pmpcfg[16];     /* pmpcfg0..14 (even only on RV64) */
    uint64_t pmpaddr[64];
    uint64_t mhpmevent[32];
    uint64_t minstret_offset; /* minstret = retired + offset */
    uint64_t mcycle_offset;
    uint64_t mhartid;
    uint64_t mip_hw;          /* interrupt lines: devices and the built-in SBI's timer */
    uint64_t mip_sw;          /* bits software wrote (SSIP, STIP, SEIP) */
    bool stip_sstc;           /* the Sstc comparator: time >= stimecmp */

    /* H extension (chapter 8); all zero and unused without misa.H */
    uint64_t hstatus, hedeleg, hideleg, hvip, hgeie, hgeip;
    uint64_t htval, htinst, hgatp, hcounteren, htimedelta, henvcfg;
    uint64_t vsstatus, vstvec, vsscratch, vsepc, vscause, vstval, vsatp, vstimecmp;
    uint64_t mtval2, mtinst;
    bool vstip_sstc;          /* the Sstc comparator for VS: time + htimedelta >= vstimecmp */

    /* Execution */
    uint64_t retired;         /* instructions retired since reset */
    bool wfi;                 /* waiting for an interrupt */
    bool stopped;             /* HSM: not started or stopped */
    bool tb_dirty;            /* the running block may have been invalidated */
    uint64_t jc_gen;          /* the generation of the fetch context's bank: renewed when
                                 its translations or blocks change, a value drawn from
                                 core->gen_source */
    uint64_t budget;          /* instructions of the running quantum */
    uint64_t executed;        /* of those, retired before the running block */
    const RvInsn *blk;        /* the running block's first instruction */
    const RvInsn *cur;        /* the running instruction (== blk between blocks) */
    bool cut;                 /* the last block was cut short: no interrupt before its end */
    RvJumpCacheEntry jc[RV_JC_SIZE];
    uint64_t lr_addr;         /* reservation (physical), or ~0 */
    uint64_t lr_val;
    uint64_t lr_epoch;        /* core->run_epoch when the reservation was taken */
    VTimer stimecmp_timer;
    VTimer vstimecmp_timer;

    RvCore *core;             /* shared machine-level state */
    unsigned index;

    /* Soft TLB banks: [0] M-mode, then RV_TLB_BANKS_SIDE for V=0 and as many for V=1 */
    RvTlbBank *tlb_cur[RV_TLB_SIDES]; /* per side, the current bank; NULL: pick at next use */
    uint64_t tlb_clock;       /* hands out bank stamps */
    uint64_t tlb_walks;       /* refills: page-table walks made for the soft TLB */
    RvTlbBank tlb_bank[RV_TLB_BANKS];
};

#define RV_LOG_INT 1u
#define RV_LOG_EXEC 2u
#define RV_LOG_IN_ASM 4u  /* each block as it is built */
#define RV_LOG_MMU 8u     /* each page-table walk, step by step */

/* Hooks the machine gives the harts. */
typedef struct RvEnvOps {
    /* ecall from S-mode with no M-mode firmware: the SBI. Returns RV_NEXT when the call
     * completed (a0/a1 set; the ecall retires), RV_TRAP to redirect h->exc to the
     * caller as if the ecall had faulted. */
    RvStatus (*sbi_call)(void *opaque, RvHart *h);
    /* The machine as hypervisor (`-M virt,hv=on`): a trap taken from V=1 that would enter
     * HS-mode, where no software runs, comes here instead of stvec. e->cause carries
     * CAUSE_INTERRUPT for an interrupt; tval2/tinst are what htval/htinst would receive.
     * The hart is still in V=1 at the trapping pc: the hook emulates, or injects into
     * VS-mode with rv_inject_vs_trap, and leaves pc where the guest goes on. */
    void (*hv_exit)(void *opaque, RvHart *h, const RvException *e);
    void *opaque;
} RvEnvOps;

/* State all harts of a machine share: the bus, the clock, translated code. */
struct RvCore {
    Bus *bus;
    VClock *clock;
    uint64_t ns_per_mtime_tick;   /* 100: mtime at 10 MHz */
    bool sbi_in_emulator;         /* no -bios: M-mode is the emulator */
    bool has_sstc;
    bool has_h;                   /* misa.H: the hypervisor extension (set before reset) */
    bool fatal;                   /* a hart hit a condition the machine cannot continue from */
    RvEnvOps env;
    unsigned nharts;
    RvHart **harts;
    /* Translation block cache */
    TbCache tb;
    uint64_t gen_source;          /* hands out jump-cache generations (rv_renew_jc) */
    uint64_t run_epoch;           /* bumped whenever a different hart starts running */
    RvHart *last_runner;
    FILE *log_exec;               /* where every -d item of the harts goes */
    unsigned log_mask;            /* RV_LOG_* */
    CpuDebug *dbg;                /* set while a debugger has breakpoints or watchpoints */
    char *gdb_xml;                /* the target description, built on first use */
};

/* rv_hart.c */
void rv_core_init(RvCore *c, Bus *bus, VClock *clock, unsigned nharts, RvHart **harts);
void rv_core_destroy(RvCore *c);
void rv_hart_init(RvHart *h, RvCore *core, unsigned index);
void rv_hart_reset(RvHart *h, uint64_t pc);
/* Runs up to `budget` instructions; returns how many retired. */
uint64_t rv_hart_run(RvHart *h, uint64_t budget);
/* Goes on with a quantum of which `done` instructions already ran: runs until `budget`
 * (exactly, unless the hart waits or stops first); returns the new count. */
uint64_t rv_hart_run_from(RvHart *h, uint64_t done, uint64_t budget);
/* An interrupt line into mip (devices: MSIP, MTIP, MEIP, SEIP; n is the mip bit). */
void rv_hart_set_irq(void *hart, unsigned n, bool level);
/* A guest external interrupt line into hgeip (n in 1..RV_GEILEN). */
void rv_hart_set_guest_irq(void *hart, unsigned n, bool level);
bool rv_hart_interrupt_pending(const RvHart *h);
/* Recomputes mip from its sources (3.1.9; with menvcfg.STCE, STIP is the Sstc
 * comparator and not the software-written bit). */
void rv_update_mip(RvHart *h);
uint64_t rv_hart_time(const RvHart *h);
void rv_update_mmu_idx(RvHart *h);
/* The translation context of HLV/HLVX/HSV: V=1 at privilege hstatus.SPVP. */
unsigned rv_hlv_mmu_idx(const RvHart *h);
/* htinst/mtinst for the exception h->exc raised by instruction i (8.6.3). */
uint64_t rv_transformed_insn(const RvHart *h, const RvInsn *i);

/* Instructions of the running quantum retired before the running one: with the
 * quantum's start, the exact virtual time of the instruction. */
static inline uint64_t rv_progress(const RvHart *h)
{
    return h->executed + (uint64_t)(h->cur - h->blk);
}

/* rv_state.c: the architectural state as a state stream (cpu/common/state.h); a load
 * rebuilds what is derived (translation contexts, soft TLB) and re-arms the timers. A
 * machine keeps RvCore.last_runner and run_epoch itself. */
struct StateW;
struct StateR;
void rv_hart_save(const RvHart *h, struct StateW *w);
void rv_hart_load(RvHart *h, struct StateR *r);

/* rv_dump.c: the monitor's views (registers; the mappings of satp, or of vsatp when
 * V=1, coalesced into ranges), read without side effects. */
void rv_dump_regs(const RvHart *h, FILE *out);
void rv_dump_mappings(const RvHart *h, FILE *out);

/* rv_mem.c */
void rv_tlb_init(RvHart *h);
/* Invalidates the hart's jump cache and block links (every bank's generation). */
void rv_renew_jc(RvHart *h);
/* Drops every translation of every bank. */
void rv_tlb_flush(RvHart *h);
/* Drops the translations of one side (every bank of it). */
void rv_tlb_flush_side(RvHart *h, RvTlbSide side);
/* Drops what the fence orders. */
void rv_tlb_fence(RvHart *h, const RvFence *f);
/* satp, vsatp or hgatp changed: the side's bank is picked again at its next use. */
void rv_tlb_key_changed(RvHart *h, RvTlbSide side);
/* The contexts changed (rv_update_mmu_idx) or a bank did: points tlb_data and jc_gen at
 * the current banks, picking them when stale. */
void rv_tlb_sync(RvHart *h);
/* The table of context idx in its side's current bank (picked if stale). */
RvTlbEntry *rv_tlb_table(RvHart *h, unsigned idx);
/* A page got translated code: cached write translations of it take the slow path. */
void rv_tlb_mark_code(RvHart *h, uint64_t ppage);
/* HLVX: a load as though in context idx (a V=1 one) with execute permission in place of
 * read permission; not cached in the soft TLB. */
RvStatus rv_load_hlvx(RvHart *h, uint64_t va, unsigned size, uint64_t *val, unsigned idx);
RvStatus rv_load_slow(RvHart *h, uint64_t va, unsigned size, uint64_t *val, unsigned idx);
RvStatus rv_store_slow(RvHart *h, uint64_t va, unsigned size, uint64_t val, unsigned idx);
/* Translate for an access; on success *pa holds the physical address. */
RvStatus rv_translate(RvHart *h, uint64_t va, RvAccess acc, unsigned idx, uint64_t *pa);
/* The same, also telling whether the leaf was a superpage. */
RvStatus rv_translate_level(RvHart *h, uint64_t va, RvAccess acc, unsigned idx, uint64_t *pa,
                            unsigned *level);
/* Physical address of a data access of `size` bytes at va that must be naturally
 * aligned (atomics): misalignment raises the store/AMO or load access-misaligned. */
RvStatus rv_translate_atomic(RvHart *h, uint64_t va, unsigned size, RvAccess acc, uint64_t *pa,
                             uint8_t **host);
RvStatus rv_fetch_slow(RvHart *h, uint64_t va, uint32_t *insn, unsigned *len);
void rv_code_written(void *core, uint64_t pa, uint64_t len);
/* rv_debug.c: the debugger's view. The physical address of va as the hart's data
 * accesses would see it (code too), walked without side effects: no A/D update, no
 * fault, no soft-TLB fill. False if va does not translate. */
bool rv_debug_translate(RvHart *h, uint64_t va, uint64_t *pa);
/* gdb's target description (org.gnu.gdb.riscv.cpu/fpu/csr/virtual) and its registers:
 * number regno read into buf (little-endian) or, with wr, written from it; the size in
 * bytes, or 0 for a register the hart does not have. */
const char *rv_gdb_target_xml(const RvHart *h);
unsigned rv_gdb_reg(RvHart *h, unsigned regno, uint8_t *buf, const uint8_t *wr);
#define RV_GDB_G_REGS 33 /* x0-x31 and pc: what the `g` packet carries */
/* The core's breakpoints and watchpoints changed (dbg NULL: none): drops the soft-TLB
 * entries of every hart so that watched pages take the slow path. */
void rv_debug_set(RvCore *c, CpuDebug *dbg);

static inline uint64_t rv_pc(const RvHart *h, const RvInsn *i)
{
    return h->pc + i->pc_off;
}

static inline RvStatus rv_raise(RvHart *h, uint64_t cause, uint64_t tval)
{
    h->exc = (RvException){ .cause = cause, .tval = tval };
    return RV_TRAP;
}

/* The soft-TLB slot of va: the page number's low bits folded with the next ones, so that
 * hot pages of different regions (a program's data near 0x100000 and its stack near
 * 0x7fff...) that share the low bits do not evict each other on every access. */
static inline unsigned rv_tlb_slot(uint64_t va)
{
    return (unsigned)(((va >> 12) ^ (va >> (12 + RV_TLB_BITS))) & (RV_TLB_SIZE - 1));
}

static inline RvStatus rv_load(RvHart *h, uint64_t va, unsigned size, uint64_t *val)
{
    RvTlbEntry *e = &h->tlb_data[rv_tlb_slot(va)];
    /* Misaligned accesses miss here and are done by the slow path. */
    if (likely(e->tag[RV_ACC_READ] == (va & (~0xfffULL | (size - 1))))) {
        *val = ld_le((const void *)(uintptr_t)(va + e->addend), size);
        return RV_NEXT;
    }
    return rv_load_slow(h, va, size, val, h->mmu_idx_data);
}

static inline RvStatus rv_store(RvHart *h, uint64_t va, unsigned size, uint64_t val)
{
    RvTlbEntry *e = &h->tlb_data[rv_tlb_slot(va)];
    if (likely(e->tag[RV_ACC_WRITE] == (va & (~0xfffULL | (size - 1))))) {
        st_le((void *)(uintptr_t)(va + e->addend), size, val);
        return RV_NEXT;
    }
    return rv_store_slow(h, va, size, val, h->mmu_idx_data);
}

/* rv_trap.c */
void rv_take_trap(RvHart *h, uint64_t cause, uint64_t tval, bool interrupt);
/* Takes the synchronous exception h->exc describes (with its H-extension details). */
void rv_take_exception(RvHart *h);
/* Takes the highest-priority enabled pending interrupt, if any; true if one was taken. */
bool rv_check_interrupts(RvHart *h);
/* A trap entry into VS-mode (8.6.2) as a hypervisor redirects one to its guest: vsepc is
 * h->pc, vscause/vstval as given; the hart must be in V=1. */
void rv_inject_vs_trap(RvHart *h, uint64_t cause, uint64_t tval);
void rv_update_stip(RvHart *h);
/* Sstc for VS-mode: VSTIP follows time + htimedelta >= vstimecmp while henvcfg.STCE. */
void rv_update_vstip(RvHart *h);

/* rv_csr.c */
RvStatus rv_csr_read(RvHart *h, unsigned csr, uint64_t *val);
RvStatus rv_csr_write(RvHart *h, unsigned csr, uint64_t val);
const char *rv_csr_name(unsigned csr);
/* A debugger's access to CSR csr as M-mode sees it (no privilege check, no V=1
 * redirection, no trap): false if the hart has no such CSR or it cannot be accessed now
 * (fcsr with the FPU off). */
bool rv_csr_debug(RvHart *h, unsigned csr, uint64_t *val, bool write);

/* 8.2.10: when V=1 both sstatus.FS and vsstatus.FS are in effect. */
static inline bool rv_fs_off(const RvHart *h)
{
    return (h->mstatus & MSTATUS_FS) == 0 || (h->virt && (h->vsstatus & MSTATUS_FS) == 0);
}

static inline void rv_fs_dirty(RvHart *h)
{
    h->mstatus |= MSTATUS_FS | MSTATUS_SD;
    if (h->virt)
        h->vsstatus |= MSTATUS_FS | MSTATUS_SD;
}

#endif
