/* cpu/ppc/ppc_core.h: the state the Power threads of a machine share (the bus, the virtual
 * clock, translated code, the partition's hashed page table), the execution loop's entry
 * points, and the few storage helpers beyond the memory API of ppc_cpu.h that the storage
 * control instructions need (Power ISA v3.0B Book II chapter 4 "Storage Control
 * Instructions"; Book III-S chapter 5 "Storage Control" for addressing, chapter 7
 * "Interrupts" for delivery). Everything a semantic function reaches of the machine goes
 * through c->core. */
#ifndef HVEMU_PPC_CORE_H
#define HVEMU_PPC_CORE_H

#include "cpu/common/debug.h"
#include "cpu/common/tb_cache.h"
#include "cpu/ppc/ppc_cpu.h"
#include "cpu/ppc/ppc_disasm.h"

/* -d items the core logs. */
enum {
    PPC_LOG_EXEC = 1u << 0, /* every instruction */
    PPC_LOG_INT = 1u << 1,  /* interrupts */
    PPC_LOG_MMU = 1u << 2,  /* each hash translation, step by step */
    PPC_LOG_IN_ASM = 1u << 3, /* each block as it is built, disassembled with Capstone */
    PPC_LOG_EHV = 1u << 4,  /* E.HV interrupt routing (guest or hypervisor vectors) */
};

typedef struct PpcCore {
    Bus *bus;
    VClock *clock;
    /* Bumped whenever a different thread starts running. A reservation taken by larx
     * holds only while this is unchanged (Book II 4.4.2: another thread may have stored
     * to the granule in between). */
    uint64_t run_epoch;
    PpcCpu *last_runner;
    unsigned ncpus;
    PpcCpu **cpus;
    TbCache tb;
    uint64_t gen_source;      /* hands out jump-cache generations */

    /* The partition. With vhyp the machine is the hypervisor (PAPR): threads run with
     * MSR[HV] = 0, the HPT is the machine's (hpt ops), real mode reaches [0, rma_size),
     * and `sc 1` from privileged state calls hcall() instead of an interrupt. */
    bool vhyp;
    Hash64Ops hpt;
    uint64_t rma_size;
    void (*hcall)(void *opaque, PpcCpu *c);
    void *hcall_opaque;
    /* Book III-E: with vhyp, an interrupt for the hypervisor from guest state (c->exc)
     * goes here; the handler resolves it (c->exc.kind = PPC_EXC_NONE) or leaves an
     * interrupt for the guest in c->exc. */
    void (*hv_exit)(void *opaque, PpcCpu *c);
    /* Book III-E external proxy: acknowledges the external input of thread `cpu` at the
     * interrupt controller and returns its vector (EPR). NULL: no proxy. */
    uint32_t (*ext_ack)(void *opaque, unsigned cpu);
    void *ext_ack_opaque;
    /* A watchdog asked for a reset. */
    void (*reset_request)(void *opaque);
    void *reset_opaque;

    uint64_t tb_freq;         /* time base ticks per second (512 MHz) */
    bool fatal;               /* a thread hit a state the machine cannot go on from */
    FILE *log;
    unsigned log_mask;        /* PPC_LOG_* */
    PpcDisasm *disasm;        /* Capstone, opened for -d in_asm/exec */
    CpuDebug *dbg;            /* set while a debugger has breakpoints or watchpoints */
    char *gdb_xml;            /* the target description, built on first use */
} PpcCore;

static inline PpcCore *ppc_core(const PpcCpu *c)
{
    return (PpcCore *)c->core;
}

/* ppc_exec.c: the core and its threads. */
void ppc_core_init(PpcCore *core, Bus *bus, VClock *clock, unsigned ncpus, PpcCpu **cpus);
void ppc_core_destroy(PpcCore *core);
void ppc_cpu_init(PpcCpu *c, PpcCore *core, const PpcModel *model, unsigned index);
/* Runs up to `budget` instructions; returns how many were executed. */
uint64_t ppc_cpu_run(PpcCpu *c, uint64_t budget);
/* Goes on with a quantum of which `done` instructions already ran: runs until `budget`
 * (exactly, unless the thread waits or stops first); returns the new count. */
uint64_t ppc_cpu_run_from(PpcCpu *c, uint64_t done, uint64_t budget);
/* True if the thread cannot run before an interrupt (stopped, or waiting with nothing
 * pending). */
bool ppc_cpu_idle(const PpcCpu *c);
/* The time base now, as the running thread sees it. */
uint64_t ppc_timebase(const PpcCpu *c);
/* DEC was written (or the time base moved): recompute dec_pending and the timer. */
void ppc_dec_update(PpcCpu *c);
/* The external interrupt line of a thread (an interrupt controller's output). */
void ppc_set_external(PpcCpu *c, bool level);
/* Book III-E: the critical input line (the interrupt controller's CINT). */
void ppc_set_critical(PpcCpu *c, bool level);
/* Does the thread have an interrupt it would take now, or that ends a wait? */
bool ppc_wakeup_pending(const PpcCpu *c);

/* book3s/book3s_excp.c: delivers c->exc (Book III-S 7.4 "Interrupt Processing"). */
void ppc_deliver(PpcCpu *c);

/* ppc_state.c: the architectural state as a state stream (cpu/common/state.h); a load
 * rebuilds the soft TLB and re-arms the timers. A machine keeps PpcCore.last_runner and
 * run_epoch itself. */
struct StateW;
struct StateR;
void ppc_cpu_save(const PpcCpu *c, struct StateW *w);
void ppc_cpu_load(PpcCpu *c, struct StateR *r);

/* ppc_dump.c: the monitor's views, read without side effects. */
void ppc_dump_regs(const PpcCpu *c, FILE *out);
void ppc_dump_slb(const PpcCpu *c, FILE *out);
void ppc_dump_booke_tlb(const PpcCpu *c, FILE *out);
/* ppc_debug.c: the debugger's view. The real address of ea for a data access (code
 * too) found without side effects: no R/C update, no interrupt, no soft-TLB fill (Book
 * III-S real mode, the SLB and HPT, or the Book III-E TLB). False if ea does not
 * translate. */
bool ppc_debug_translate(PpcCpu *c, uint64_t ea, uint64_t *ra);
/* The core's breakpoints and watchpoints changed (dbg NULL: none): flushes every
 * thread's soft TLB so that watched pages take the slow path. */
void ppc_debug_set(PpcCore *core, CpuDebug *dbg);
/* gdb's target description (org.gnu.gdb.power.core/fpu, and altivec/vsx when the model
 * has them) and its registers in the byte order of `big`: number regno read into buf
 * or, with wr, written from it; the size in bytes, or 0 for one the model lacks. */
const char *ppc_gdb_target_xml(PpcCpu *c);
unsigned ppc_gdb_reg(PpcCpu *c, unsigned regno, uint8_t *buf, const uint8_t *wr, bool big);
#define PPC_GDB_G_REGS 71 /* r0-r31, f0-f31, pc, msr, cr, lr, ctr, xer, fpscr */

/* ppc_mem.c: the soft TLB. */
void ppc_tlb_flush(PpcCpu *c);
void ppc_tlb_flush_all(PpcCore *core);
/* Drops the thread's translations of [ea, ea + len) (all of them when the range is
 * large); `executable`: fetches may have gone through them, so the jump cache goes too. */
void ppc_tlb_flush_range(PpcCpu *c, uint64_t ea, uint64_t len, bool executable);
/* Drops every translation made through HPTE ptex, on every thread; `executable` says the
 * HPTE allowed instruction fetch (N = 0), so cached fetches through it go too. */
void ppc_tlb_flush_hpte(PpcCore *core, uint64_t ptex, bool executable);
/* The block cache marked a page as holding code: stores to it take the slow path. */
void ppc_mem_code_page(PpcCore *core, uint64_t ra_page);
/* Translates ea for an instruction fetch: the real address and its page's host memory. */
PpcStatus ppc_fetch_page(PpcCpu *c, uint64_t ea, uint64_t *ra, const uint8_t **host);

/* Storage accesses as the translation step sees them. */
typedef enum PpcAccess { PPC_ACC_LOAD, PPC_ACC_STORE } PpcAccess;

/* Raises the Alignment interrupt for an access at ea (DAR = ea). */
PpcStatus ppc_mem_alignment(PpcCpu *c, uint64_t ea);
/* The same for an access known to be a store (or not). */
PpcStatus ppc_mem_alignment_acc(PpcCpu *c, uint64_t ea, bool store);

/* Translates ea for acc as a data access would (faults included) without touching
 * storage: dcbf, dcbst and icbi are treated as loads for protection (Book II 4.3). */
PpcStatus ppc_mem_probe(PpcCpu *c, uint64_t ea, PpcAccess acc);

/* dcbz: sets the aligned block of `len` bytes holding ea to zero; Alignment interrupt
 * when the block is caching-inhibited storage (Book III-S 7.5.8). */
PpcStatus ppc_mem_zero_block(PpcCpu *c, uint64_t ea, unsigned len);

#endif
