/* tests/guest/lib/riscv/guest_riscv.h: the RISC-V half of the guest test library.
 *
 * Programs are built for one of two modes (the manifest says which):
 *   GUEST_M_MODE: loaded with `-bios prog.elf`; every hart enters _start in M-mode with
 *                 a0 = hartid; hart 0 runs main(), the others secondary_main().
 *   GUEST_S_MODE: loaded with `-kernel prog.elf`; the boot hart enters _start in S-mode
 *                 with a0 = hartid, a1 = FDT; the SBI answers ecalls; other harts are
 *                 started through SBI HSM (hart_start_on()).
 * Each hart has a stack, and tp points at its struct hart_local.
 *
 * Traps: every trap (M-level and, in M-mode programs, S-level too) saves the registers
 * in a struct trap_frame and calls trap_dispatch(), which tries, in order:
 *   1. the hart's handler set with trap_set_handler() (returns true when it handled the
 *      trap; it may change the frame: epc, status, registers);
 *   2. an armed trap_expect_begin(): the trap is recorded and the faulting instruction
 *      skipped (for instruction fetch faults execution resumes at ra, i.e. a call to a
 *      bad address returns);
 *   3. otherwise the trap is unexpected: a FAIL line, the summary, and exit.
 * run_in_mode() runs a function in a lower privilege mode and returns its result. */
#ifndef GUEST_RISCV_GUEST_H
#define GUEST_RISCV_GUEST_H

#include "riscv.h"

#define GUEST_MAX_HARTS 8
#define GUEST_STACK_SIZE 16384
#define GUEST_LOWER_STACK_SIZE 8192
#define GUEST_STRAP_STACK_SIZE 4096
#define HART_LOCAL_SIZE 512
#define GUEST_ECALL_RETURN 0x47524554 /* a7 of the ecall that ends run_in_mode() */

/* struct hart_local offsets used by assembly */
#define HL_HARTID 0
#define HL_ENTRY_A0 8
#define HL_ENTRY_A1 16
#define HL_ENTRY_FN 24
#define HL_ENTRY_ARG 32
#define HL_LOWER_SP 40
#define HL_STRAP_SP 48
#define HL_SAVED_STATUS 56
#define HL_LOWER_ACTIVE 64
#define HL_CTX 72 /* ra, sp, s0-s11: 14 words */

/* struct trap_frame layout */
#define FRAME_EPC (32 * 8)
#define FRAME_CAUSE (33 * 8)
#define FRAME_TVAL (34 * 8)
#define FRAME_STATUS (35 * 8)
#define FRAME_LEVEL (36 * 8)
#define FRAME_SIZE (38 * 8)
#define TRAP_LEVEL_VS 5 /* frame level of vs_trap_entry: a trap a VS-mode guest took */

/* The virt board (QEMU's memory map). */
#define VIRT_TEST_BASE _UL(0x100000)
#define SIFIVE_TEST_PASS 0x5555
#define SIFIVE_TEST_FAIL 0x3333
#define CLINT_BASE _UL(0x2000000)
#define CLINT_MSIP(h) (CLINT_BASE + _UL(4) * (h))
#define CLINT_MTIMECMP(h) (CLINT_BASE + _UL(0x4000) + _UL(8) * (h))
#define CLINT_MTIME (CLINT_BASE + _UL(0xbff8))
#define PLIC_BASE _UL(0xc000000)
#define PLIC_PRIORITY(src) (PLIC_BASE + _UL(4) * (src))
#define PLIC_PENDING(src) (PLIC_BASE + _UL(0x1000) + _UL(4) * ((src) / 32))
#define PLIC_ENABLE(ctx, src) (PLIC_BASE + _UL(0x2000) + _UL(0x80) * (ctx) + _UL(4) * ((src) / 32))
#define PLIC_THRESHOLD(ctx) (PLIC_BASE + _UL(0x200000) + _UL(0x1000) * (ctx))
#define PLIC_CLAIM(ctx) (PLIC_BASE + _UL(0x200004) + _UL(0x1000) * (ctx))
#define UART0_BASE _UL(0x10000000)
#define UART0_IRQ 10
#define RAM_BASE _UL(0x80000000)
#define VIRT_TIMEBASE _UL(10000000)

#ifndef __ASSEMBLER__
#include "libguest.h"

struct trap_frame {
    unsigned long regs[32]; /* regs[2] is sp at the trap */
    unsigned long epc, cause, tval, status;
    unsigned long level;    /* PRV_M, PRV_S or TRAP_LEVEL_VS: whose handler took the trap */
    unsigned long pad;
};

struct trap_info {
    bool taken;
    unsigned count;         /* traps recorded while armed */
    unsigned long cause, tval, epc, status, level; /* of the first one */
};

typedef bool (*trap_handler_t)(struct trap_frame *f);

struct hart_local {
    unsigned long hartid;
    unsigned long entry_a0, entry_a1;  /* registers at the last _hart_entry (S-mode) */
    void (*entry_fn)(void *);
    void *entry_arg;
    unsigned long lower_sp;            /* stack of run_in_mode() code */
    unsigned long strap_sp;            /* S-level trap stack for traps from U (M-mode) */
    unsigned long saved_status;
    unsigned long lower_active;
    unsigned long ctx[14];
    trap_handler_t handler;
    volatile bool expect_armed;
    struct trap_info expect;
    volatile unsigned long entries;    /* how many times the hart entered _hart_entry */
    unsigned console_depth;
} __attribute__((aligned(HART_LOCAL_SIZE)));

extern struct hart_local hart_locals[GUEST_MAX_HARTS];
extern unsigned long guest_boot_hartid;
extern const void *guest_fdt;

static inline struct hart_local *this_hart(void)
{
    struct hart_local *p;
    __asm__("mv %0, tp" : "=r"(p));
    return p;
}

static inline unsigned long hartid(void)
{
    return this_hart()->hartid;
}

/* Traps. */
void trap_set_handler(trap_handler_t h);
void trap_expect_begin(void);
struct trap_info trap_expect_end(void);
/* Length of the instruction at the frame's epc (2 or 4), read through the translation of
 * the trapped mode. */
unsigned trap_insn_len(const struct trap_frame *f);
void trap_skip_insn(struct trap_frame *f);
#if GUEST_M_MODE
/* The trap entry a VS-mode guest's vstvec may point at (see vs_trap_entry in crt0.S). */
void vs_trap_entry(void);
#endif

/* Runs fn(arg) in privilege mode priv (PRV_S or PRV_U below M; PRV_U in S-mode programs)
 * on this hart's lower stack and returns what it returned. */
unsigned long run_in_mode(unsigned long priv, unsigned long (*fn)(unsigned long), unsigned long arg);
void set_lower_stack(unsigned long top);

/* The counter of the platform timer (mtime) and a busy wait on it. */
unsigned long read_time(void);
void delay_ticks(unsigned long ticks);
/* Waits until *p >= want or `ticks` timer ticks have passed; true if *p reached want. */
bool wait_count(volatile unsigned long *p, unsigned long want, unsigned long ticks);

/* A test-and-set spin lock. */
typedef struct { volatile unsigned long v; } spinlock_t;
void spin_lock(spinlock_t *l);
void spin_unlock(spinlock_t *l);

#if GUEST_M_MODE
/* Harts other than 0 run this after hart 0 has set up the program (weak: by default
 * they park in wfi). */
void secondary_main(unsigned long hartid);
#else
/* Starts hart `id` through SBI HSM at _hart_entry, which calls fn(arg) on the hart's own
 * stack; opaque is passed to the hart in a1 (see hart_locals[id].entry_a1). When fn
 * returns the hart stops itself (HSM hart_stop). Returns the SBI error. */
long hart_start_on(unsigned long id, void (*fn)(void *), void *arg, unsigned long opaque);
void _hart_entry(void);
#endif

#endif /* !__ASSEMBLER__ */
#endif
