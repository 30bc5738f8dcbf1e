/* tests/guest/lib/booke/guest.c: the C side of the e500 guest runtime: start-up on the
 * ePAPR boot contract (ePAPR v1.1 5.4, boot CPU state; 5.5, spin-table release of the
 * other CPUs), the vector registers (Power ISA 2.06 Book III-E 7.2.10-7.2.11 IVPR and
 * IVORn, E.HV GIVPR and GIVORn), the interrupt dispatcher, switches into problem state,
 * address space 1 and guest state, the ns16550 console and the machine's exit device. */
#include "guest_booke.h"

const void *guest_fdt;
uint32_t guest_boot_r6, guest_boot_r7, guest_boot_msr;

static trap_handler_fn handlers[NUM_VECS];
static unsigned counts[NUM_VECS];
static volatile uint32_t console_lock_word;

extern char __vectors[], ctx_returned[], secondary_start[];
extern char __irq_stacks[], __guest_stack_top[], __guest_irq_stack_top[], __user_stack_top[];
extern uint32_t ctx_saved_sp, ctx_saved_msr, ctx_active;
void enter_context(void (*fn)(void *), void *arg, uint32_t msr, uint32_t stack_top,
                   int via_hcall);

#define UART_THR 0
#define UART_LSR 5
#define UART_LSR_THRE 0x20
#define EXIT_PASS 0x5555
#define EXIT_FAIL 0x3333

unsigned guest_cpu_index(void)
{
    return mfspr(SPRN_SPRG3);
}

unsigned guest_cpu_id(void)
{
    return mfspr(SPRN_PIR);
}

/* The IVORs of this CPU and its interrupt stacks (base, critical, machine check). */
void vectors_init(void)
{
    uint32_t base = (uint32_t)__vectors;
    uint32_t stacks = (uint32_t)__irq_stacks + guest_cpu_index() * 3 * GUEST_IRQ_STACK_SIZE;
    mtspr(SPRN_SPRG2, stacks + 1 * GUEST_IRQ_STACK_SIZE);
    mtspr(SPRN_SPRG5, stacks + 2 * GUEST_IRQ_STACK_SIZE);
    mtspr(SPRN_SPRG7, stacks + 3 * GUEST_IRQ_STACK_SIZE);
    mtspr(SPRN_IVPR, base);
#define SET_IVOR(n) mtspr(SPRN_IVOR(n), (n) * VEC_STRIDE)
    SET_IVOR(0); SET_IVOR(1); SET_IVOR(2); SET_IVOR(3); SET_IVOR(4); SET_IVOR(5);
    SET_IVOR(6); SET_IVOR(7); SET_IVOR(8); SET_IVOR(9); SET_IVOR(10); SET_IVOR(11);
    SET_IVOR(12); SET_IVOR(13); SET_IVOR(14); SET_IVOR(15);
#undef SET_IVOR
    /* Quirk(e500mc): IVOR32-34 (SPE / AltiVec) are not implemented; IVOR35 is the
     * performance monitor, IVOR36/37 the doorbells. Writing IVOR32-34 is harmless on
     * cores that have them and the ISA leaves it undefined otherwise, so skip them. */
    mtspr(SPRN_IVOR32_(35), 35 * VEC_STRIDE);
    mtspr(SPRN_IVOR32_(36), 36 * VEC_STRIDE);
    mtspr(SPRN_IVOR32_(37), 37 * VEC_STRIDE);
    if (!(mfmsr() & MSR_GS)) {
        /* E.HV interrupts: only the hypervisor has them (in guest state these SPRs are
         * hypervisor-privileged). */
        mtspr(SPRN_IVOR38_(38), 38 * VEC_STRIDE);
        mtspr(SPRN_IVOR38_(39), 39 * VEC_STRIDE);
        mtspr(SPRN_IVOR38_(40), 40 * VEC_STRIDE);
        mtspr(SPRN_IVOR38_(41), 41 * VEC_STRIDE);
    }
    isync();
}

void guest_start(const void *fdt, uint32_t r6, uint32_t r7, uint32_t msr)
{
    guest_fdt = fdt;
    guest_boot_r6 = r6;
    guest_boot_r7 = r7;
    guest_boot_msr = msr;
    tlb_console_map();
    vectors_init();
    if (!fdt_valid(fdt))
        report(false, "device tree at r3 (0x%x) is valid", (unsigned)(uintptr_t)fdt);
    int r = main();
    if (r)
        report(false, "main() returned %d", r);
    report_exit();
}

__attribute__((weak)) void secondary_main(unsigned index)
{
}

void guest_secondary_start(unsigned index)
{
    tlb_console_map();
    vectors_init();
    secondary_main(index);
    for (;;)
        __asm__ volatile("wait" ::: "memory");
}

int guest_cpu_count(void)
{
    int n = fdt_count_children(guest_fdt, "/cpus", "");
    return n > 0 ? n : 1;
}

static volatile uint32_t *spin_entry(unsigned index)
{
    return (volatile uint32_t *)(SPIN_EA + index * SPIN_ENTRY_SIZE);
}

uint32_t guest_spin_pir(unsigned index)
{
    return spin_entry(index)[5];
}

/* ePAPR 5.5.2: r3 first, then the entry address, the low word last (it releases). */
bool guest_start_cpu(unsigned index)
{
    if (index == 0 || index >= GUEST_MAX_CPUS)
        return false;
    volatile uint32_t *e = spin_entry(index);
    if (e[0] != 0 || e[1] != 1)
        return false; /* not waiting in the spin loop */
    e[2] = 0;
    e[3] = index;
    msync();
    e[0] = 0;
    msync();
    e[1] = (uint32_t)secondary_start;
    msync();
    return true;
}

trap_handler_fn set_trap_handler(unsigned vector, trap_handler_fn fn)
{
    trap_handler_fn old = handlers[vector % NUM_VECS];
    handlers[vector % NUM_VECS] = fn;
    return old;
}

unsigned trap_count(unsigned vector)
{
    return __atomic_load_n(&counts[vector % NUM_VECS], __ATOMIC_SEQ_CST);
}

void trap_dispatch(struct trap_frame *f)
{
    unsigned v = f->vector % NUM_VECS;
    __atomic_fetch_add(&counts[v], 1, __ATOMIC_SEQ_CST);
    /* The end of enter_context: `sc` (problem state, AS 1, or a guest's own user) or
     * `sc 1` (guest state) with the magic r0. */
    if ((v == VEC_SYSCALL || v == VEC_HCALL || v == GUEST_VEC(VEC_SYSCALL)) &&
        f->gpr[0] == CTX_EXIT_MAGIC && ctx_active) {
        ctx_active = 0;
        f->srr0 = (uint32_t)ctx_returned;
        f->srr1 = ctx_saved_msr & ~MSR_EE;
        f->gpr[1] = ctx_saved_sp;
        return;
    }
    if (handlers[v]) {
        handlers[v](f);
        return;
    }
    report(false, "unexpected interrupt %u (class %u) on CPU %u at 0x%x srr1 0x%x dear 0x%x "
           "esr 0x%x", v, f->cls, guest_cpu_index(), f->srr0, f->srr1, f->dear, f->esr);
    report_exit();
}

/* Problem state and AS 1 run the program through TLB1_AS1: EA [0, 64 MiB) in AS 1 with
 * user permissions (rewritten every time: TLB tests may invalidate it). */
static void map_as1(void)
{
    tlb1_map(TLB1_AS1, 0, 0, TSIZE_64M, MAS1_TS, 0, MAS3_ALL);
}

void run_in_user(void (*fn)(void *), void *arg)
{
    map_as1();
    uint32_t msr = (mfmsr() & ~(MSR_EE | MSR_CE)) | MSR_PR | MSR_IS | MSR_DS;
    enter_context(fn, arg, msr, (uint32_t)__user_stack_top, 0);
}

void run_in_as1(void (*fn)(void *), void *arg)
{
    map_as1();
    uint32_t msr = (mfmsr() & ~(MSR_EE | MSR_CE)) | MSR_IS | MSR_DS;
    enter_context(fn, arg, msr, (uint32_t)__user_stack_top, 0);
}

void ehv_guest_vectors_init(void)
{
    uint32_t base = (uint32_t)__vectors;
    mtspr(SPRN_GIVPR, base);
    mtspr(SPRN_GIVOR2, GUEST_VEC_BASE + 2 * VEC_STRIDE);
    mtspr(SPRN_GIVOR3, GUEST_VEC_BASE + 3 * VEC_STRIDE);
    mtspr(SPRN_GIVOR4, GUEST_VEC_BASE + 4 * VEC_STRIDE);
    mtspr(SPRN_GIVOR8, GUEST_VEC_BASE + 8 * VEC_STRIDE);
    mtspr(SPRN_GIVOR13, GUEST_VEC_BASE + 13 * VEC_STRIDE);
    mtspr(SPRN_GIVOR14, GUEST_VEC_BASE + 14 * VEC_STRIDE);
    mtspr(SPRN_GSPRG2, (uint32_t)__guest_irq_stack_top);
    mtspr(SPRN_GSPRG3, guest_cpu_index());
    isync();
}

void run_in_guest(void (*fn)(void *), void *arg, uint32_t msr_extra)
{
    /* The guest's trap entry needs its stack pointer in GSPRG2 (a test may have put
     * something else there). */
    mtspr(SPRN_GSPRG2, (uint32_t)__guest_irq_stack_top);
    mtspr(SPRN_GSPRG3, guest_cpu_index());
    enter_context(fn, arg, MSR_GS | MSR_ME | msr_extra, (uint32_t)__guest_stack_top, 1);
}

void guest_putchar(char c)
{
    volatile uint8_t *uart = (volatile uint8_t *)UART0_EA;
    while (!(uart[UART_LSR] & UART_LSR_THRE))
        ;
    uart[UART_THR] = (uint8_t)c;
}

void guest_exit(int status)
{
    msync();
    *(volatile uint32_t *)EXIT_EA = status ? ((uint32_t)status << 16) | EXIT_FAIL : EXIT_PASS;
    msync();
    for (;;)
        __asm__ volatile("wait" ::: "memory");
}

void console_lock(void)
{
    while (__atomic_exchange_n(&console_lock_word, 1, __ATOMIC_ACQUIRE))
        ;
}

void console_unlock(void)
{
    __atomic_store_n(&console_lock_word, 0, __ATOMIC_RELEASE);
}
