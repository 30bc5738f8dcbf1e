/* tests/guest/lib/riscv/guest.c: the C side of the RISC-V guest runtime: hart start-up,
 * the trap dispatcher (see guest_riscv.h for the order it tries handlers in), the
 * console (the virt board's ns16550 in M-mode, SBI DBCN in S-mode), exit (the SiFive
 * test finisher in M-mode, SBI SRST in S-mode), the timer counter and spin locks. */
#include "guest_riscv.h"
#include "sbi.h"

struct hart_local hart_locals[GUEST_MAX_HARTS];
unsigned long guest_boot_hartid;
const void *guest_fdt;

static uint8_t lower_stacks[GUEST_MAX_HARTS][GUEST_LOWER_STACK_SIZE] __attribute__((aligned(4096)));
static uint8_t strap_stacks[GUEST_MAX_HARTS][GUEST_STRAP_STACK_SIZE] __attribute__((aligned(4096)));

_Static_assert(sizeof(struct hart_local) == HART_LOCAL_SIZE, "hart_local size");
_Static_assert(GUEST_MAX_HARTS * GUEST_STACK_SIZE == 8 * 16384, "guest.ld reserves 8 * 16 KiB of stacks");
_Static_assert(__builtin_offsetof(struct hart_local, entry_a0) == HL_ENTRY_A0, "HL_ENTRY_A0");
_Static_assert(__builtin_offsetof(struct hart_local, entry_a1) == HL_ENTRY_A1, "HL_ENTRY_A1");
_Static_assert(__builtin_offsetof(struct hart_local, entry_fn) == HL_ENTRY_FN, "HL_ENTRY_FN");
_Static_assert(__builtin_offsetof(struct hart_local, entry_arg) == HL_ENTRY_ARG, "HL_ENTRY_ARG");
_Static_assert(__builtin_offsetof(struct hart_local, lower_sp) == HL_LOWER_SP, "HL_LOWER_SP");
_Static_assert(__builtin_offsetof(struct hart_local, strap_sp) == HL_STRAP_SP, "HL_STRAP_SP");
_Static_assert(__builtin_offsetof(struct hart_local, saved_status) == HL_SAVED_STATUS, "HL_SAVED_STATUS");
_Static_assert(__builtin_offsetof(struct hart_local, lower_active) == HL_LOWER_ACTIVE, "HL_LOWER_ACTIVE");
_Static_assert(__builtin_offsetof(struct hart_local, ctx) == HL_CTX, "HL_CTX");
_Static_assert(sizeof(struct trap_frame) == FRAME_SIZE, "trap_frame size");

extern void lower_return(void);
extern void lower_return_ecall(void);

static void hart_local_init(struct hart_local *hl, unsigned long id)
{
    hl->hartid = id;
    hl->lower_sp = (unsigned long)&lower_stacks[id][GUEST_LOWER_STACK_SIZE];
    hl->strap_sp = (unsigned long)&strap_stacks[id][GUEST_STRAP_STACK_SIZE];
}

void set_lower_stack(unsigned long top)
{
    this_hart()->lower_sp = top;
}

void guest_start(unsigned long id, const void *fdt)
{
    hart_local_init(this_hart(), id);
    guest_boot_hartid = id;
    guest_fdt = fdt;
    int r = main();
    if (r)
        report(false, "main() returned %d", r);
    report_exit();
}

#if GUEST_M_MODE
__attribute__((weak)) void secondary_main(unsigned long id)
{
    for (;;)
        wfi();
}

void guest_secondary_start(unsigned long id)
{
    hart_local_init(this_hart(), id);
    secondary_main(id);
    for (;;)
        wfi();
}
#else
void guest_hart_entry(struct hart_local *hl)
{
    hart_local_init(hl, hl->entry_a0);
    __atomic_fetch_add(&hl->entries, 1, __ATOMIC_SEQ_CST);
    void (*fn)(void *) = hl->entry_fn;
    if (fn)
        fn(hl->entry_arg);
    sbi_hart_stop();
    for (;;)
        wfi();
}

long hart_start_on(unsigned long id, void (*fn)(void *), void *arg, unsigned long opaque)
{
    if (id < GUEST_MAX_HARTS) {
        hart_locals[id].entry_fn = fn;
        hart_locals[id].entry_arg = arg;
    }
    fence();
    return sbi_hart_start(id, (unsigned long)_hart_entry, opaque).error;
}
#endif

/* --- traps --- */

void trap_set_handler(trap_handler_t h)
{
    this_hart()->handler = h;
}

void trap_expect_begin(void)
{
    struct hart_local *hl = this_hart();
    hl->expect = (struct trap_info){ 0 };
    __asm__ volatile("" ::: "memory");
    hl->expect_armed = true;
    __asm__ volatile("" ::: "memory");
}

struct trap_info trap_expect_end(void)
{
    struct hart_local *hl = this_hart();
    __asm__ volatile("" ::: "memory");
    hl->expect_armed = false;
    __asm__ volatile("" ::: "memory");
    return hl->expect;
}

unsigned trap_insn_len(const struct trap_frame *f)
{
    unsigned long h;
    if (f->cause == CAUSE_ILLEGAL_INSTRUCTION && f->tval)
        return (f->tval & 3) == 3 ? 4 : 2;
#if GUEST_M_MODE
    if (f->level == PRV_M) {
        unsigned long old;
        if (((f->status & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT) == PRV_M) {
            h = *(volatile uint16_t *)f->epc;
        } else {
            /* Read as the trapped mode would (mstatus.MPP still names it), with MXR and
             * SUM so execute-only and user pages are readable; all in one asm so no
             * other access happens under MPRV. */
            __asm__ volatile("csrrs %0, mstatus, %2\n\t"
                             "lhu %1, 0(%3)\n\t"
                             "csrw mstatus, %0"
                             : "=&r"(old), "=&r"(h)
                             : "r"(MSTATUS_MPRV | MSTATUS_MXR | MSTATUS_SUM), "r"(f->epc)
                             : "memory");
        }
        return (h & 3) == 3 ? 4 : 2;
    }
#endif
    {
        unsigned long old;
        __asm__ volatile("csrrs %0, sstatus, %2\n\t"
                         "lhu %1, 0(%3)\n\t"
                         "csrw sstatus, %0"
                         : "=&r"(old), "=&r"(h)
                         : "r"(MSTATUS_MXR | MSTATUS_SUM), "r"(f->epc)
                         : "memory");
    }
    return (h & 3) == 3 ? 4 : 2;
}

void trap_skip_insn(struct trap_frame *f)
{
    unsigned long code = f->cause;
    if (code == CAUSE_MISALIGNED_FETCH || code == CAUSE_FETCH_ACCESS ||
        code == CAUSE_FETCH_PAGE_FAULT || code == CAUSE_FETCH_GUEST_PAGE_FAULT)
        f->epc = f->regs[1]; /* the fetch failed: return to the caller */
    else
        f->epc += trap_insn_len(f);
}

static void set_prev_priv(struct trap_frame *f, unsigned long priv)
{
    if (f->level == PRV_M)
        f->status = (f->status & ~MSTATUS_MPP) | (priv << MSTATUS_MPP_SHIFT);
    else
        f->status = (f->status & ~MSTATUS_SPP) | (priv == PRV_S ? MSTATUS_SPP : 0);
}

/* The ecall that ends run_in_mode(). */
static bool lower_mode_return(struct hart_local *hl, struct trap_frame *f)
{
    unsigned long code = f->cause;
    if ((f->cause & CAUSE_INTERRUPT) || f->regs[17] != GUEST_ECALL_RETURN || !hl->lower_active)
        return false;
    if (code != CAUSE_USER_ECALL && code != CAUSE_SUPERVISOR_ECALL &&
        code != CAUSE_VIRTUAL_SUPERVISOR_ECALL && code != CAUSE_MACHINE_ECALL)
        return false;
#if GUEST_M_MODE
    if (f->level != PRV_M) {
        /* Lower-mode code whose ecalls are delegated: forward the return towards M from
         * S (or VS). The ecall of a VS-mode guest taken in HS-mode goes on from HS
         * itself, so the sret must not go back to V=1 (8.2.1: SRET sets V = SPV). */
        f->epc = (unsigned long)lower_return_ecall;
        set_prev_priv(f, PRV_S);
        if (f->level == PRV_S && code == CAUSE_VIRTUAL_SUPERVISOR_ECALL)
            csr_clear(CSR_HSTATUS, HSTATUS_SPV);
        return true;
    }
    f->epc = (unsigned long)lower_return;
    set_prev_priv(f, PRV_M);
    /* Back to M-mode itself: V stays 0 (a guest entered with MPV = 1 left it set). */
    f->status &= ~(MSTATUS_MPIE | MSTATUS_MPV);
#else
    f->epc = (unsigned long)lower_return;
    set_prev_priv(f, PRV_S);
    f->status &= ~MSTATUS_SPIE;
#endif
    return true;
}

void trap_dispatch(struct trap_frame *f)
{
    struct hart_local *hl = this_hart();
    if (lower_mode_return(hl, f))
        return;
    if (hl->handler && hl->handler(f))
        return;
    if (!(f->cause & CAUSE_INTERRUPT) && hl->expect_armed) {
        struct trap_info *t = &hl->expect;
        if (!t->taken) {
            t->taken = true;
            t->cause = f->cause;
            t->tval = f->tval;
            t->epc = f->epc;
            t->status = f->status;
            t->level = f->level;
        }
        t->count++;
        trap_skip_insn(f);
        return;
    }
    report(false, "unexpected trap on hart %lu in %s-mode handler: cause 0x%lx epc 0x%lx "
           "tval 0x%lx status 0x%lx", hl->hartid,
           f->level == PRV_M ? "M" : f->level == PRV_S ? "S" : "VS", f->cause,
           f->epc, f->tval, f->status);
    report_exit();
}

/* --- console and exit --- */

static volatile unsigned long console_owner;

void console_lock(void)
{
    struct hart_local *hl = this_hart();
    unsigned long me = hl->hartid + 1;
    if (console_owner == me) {
        hl->console_depth++;
        return;
    }
    for (;;) {
        unsigned long expected = 0;
        if (__atomic_compare_exchange_n(&console_owner, &expected, me, false, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            break;
        cpu_relax();
    }
    hl->console_depth = 1;
}

void console_unlock(void)
{
    struct hart_local *hl = this_hart();
    if (--hl->console_depth == 0)
        __atomic_store_n(&console_owner, 0, __ATOMIC_RELEASE);
}

#if GUEST_M_MODE
#define UART_THR 0
#define UART_LSR 5
#define UART_LSR_THRE 0x20

void guest_putchar(char c)
{
    while (!(readb(UART0_BASE + UART_LSR) & UART_LSR_THRE))
        cpu_relax();
    writeb(UART0_BASE + UART_THR, (uint8_t)c);
}

void guest_exit(int status)
{
    fence();
    writel(VIRT_TEST_BASE, status ? ((uint32_t)status << 16) | SIFIVE_TEST_FAIL : SIFIVE_TEST_PASS);
    for (;;)
        wfi();
}

unsigned long read_time(void)
{
    return readq(CLINT_MTIME);
}
#else
static bool console_legacy;

void guest_putchar(char c)
{
    if (!console_legacy) {
        struct sbiret r = sbi_call1(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE_BYTE, (uint8_t)c);
        if (r.error == SBI_SUCCESS)
            return;
        console_legacy = true;
    }
    sbi_legacy(SBI_LEGACY_CONSOLE_PUTCHAR, (uint8_t)c, 0, 0);
}

void guest_exit(int status)
{
    sbi_system_reset(SBI_SRST_TYPE_SHUTDOWN, status ? SBI_SRST_REASON_SYSFAIL : SBI_SRST_REASON_NONE);
    /* SRST did not end the run: the test finisher is reachable from S-mode too. */
    writel(VIRT_TEST_BASE, status ? ((uint32_t)status << 16) | SIFIVE_TEST_FAIL : SIFIVE_TEST_PASS);
    for (;;)
        wfi();
}

unsigned long read_time(void)
{
    return csr_read(time);
}
#endif

void delay_ticks(unsigned long ticks)
{
    unsigned long t0 = read_time();
    while (read_time() - t0 < ticks)
        cpu_relax();
}

bool wait_count(volatile unsigned long *p, unsigned long want, unsigned long ticks)
{
    unsigned long t0 = read_time();
    while (*p < want) {
        if (read_time() - t0 >= ticks)
            return false;
        cpu_relax();
    }
    return true;
}

void spin_lock(spinlock_t *l)
{
    while (__atomic_exchange_n(&l->v, 1, __ATOMIC_ACQUIRE))
        while (l->v)
            cpu_relax();
}

void spin_unlock(spinlock_t *l)
{
    __atomic_store_n(&l->v, 0, __ATOMIC_RELEASE);
}
