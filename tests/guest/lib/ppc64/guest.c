/* tests/guest/lib/ppc64/guest.c: the C side of the pseries guest runtime: start-up, the
 * interrupt dispatcher, PAPR hypercalls (`sc 1`: number in r3, arguments in r4-r12,
 * results back in r3-r12, LoPAR "Hypervisor Call Interface"), RTAS through H_RTAS with
 * the tokens of /rtas in the device tree, the hvc0 console (H_PUT_TERM_CHAR) and exit
 * (the project's RTAS call hvemu,exit with a status). */
#include "guest_ppc64.h"

const void *guest_fdt;
static trap_handler_fn handlers[0x100];
static unsigned counts[0x100];
static volatile uint32_t console_lock_word;

extern char user_returned[];
extern uint64_t user_kernel_sp, user_kernel_msr;

#define USER_EXIT_MAGIC 0x7e57

void guest_start(const void *fdt)
{
    guest_fdt = fdt;
    if (!fdt_valid(fdt)) {
        /* Without a device tree there is no console token to complain through. */
        for (;;)
            ;
    }
    int r = main();
    if (r)
        report(false, "main() returned %d", r);
    report_exit();
}

__attribute__((weak)) void secondary_main(unsigned cpu)
{
}

void guest_secondary_start(unsigned cpu)
{
    secondary_main(cpu);
    rtas_call("stop-self", 0, 1, NULL);
    for (;;)
        ;
}

unsigned guest_cpu_id(void)
{
    return (unsigned)mfspr(1023);
}

trap_handler_fn set_trap_handler(unsigned vector, trap_handler_fn fn)
{
    trap_handler_fn old = handlers[vector >> 4];
    handlers[vector >> 4] = fn;
    return old;
}

unsigned trap_count(unsigned vector)
{
    return __atomic_load_n(&counts[vector >> 4], __ATOMIC_SEQ_CST);
}

void trap_dispatch(struct trap_frame *f)
{
    unsigned slot = (unsigned)(f->vector >> 4) & 0xff;
    __atomic_fetch_add(&counts[slot], 1, __ATOMIC_SEQ_CST);
    /* The end of run_in_user: `sc` with the magic r0 from problem state. */
    if (f->vector == VEC_SYSCALL && (f->srr1 & MSR_PR) && f->gpr[0] == USER_EXIT_MAGIC) {
        f->srr0 = (uint64_t)user_returned;
        f->srr1 = user_kernel_msr & ~MSR_EE;
        f->gpr[1] = user_kernel_sp;
        return;
    }
    if (handlers[slot]) {
        handlers[slot](f);
        return;
    }
    printf("FAIL: unexpected interrupt 0x%llx at 0x%llx srr1 0x%llx dar 0x%llx dsisr 0x%llx\n",
           (unsigned long long)f->vector, (unsigned long long)f->srr0,
           (unsigned long long)f->srr1, (unsigned long long)f->dar,
           (unsigned long long)f->dsisr);
    report_exit();
}

int64_t hcall(uint64_t op, uint64_t *out, int nargs, ...)
{
    uint64_t a[9] = { 0 };
    va_list ap;
    va_start(ap, nargs);
    for (int k = 0; k < nargs && k < 9; k++)
        a[k] = va_arg(ap, uint64_t);
    va_end(ap);
    register uint64_t r3 __asm__("r3") = op;
    register uint64_t r4 __asm__("r4") = a[0];
    register uint64_t r5 __asm__("r5") = a[1];
    register uint64_t r6 __asm__("r6") = a[2];
    register uint64_t r7 __asm__("r7") = a[3];
    register uint64_t r8 __asm__("r8") = a[4];
    register uint64_t r9 __asm__("r9") = a[5];
    register uint64_t r10 __asm__("r10") = a[6];
    register uint64_t r11 __asm__("r11") = a[7];
    register uint64_t r12 __asm__("r12") = a[8];
    __asm__ volatile("sc 1"
                     : "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7), "+r"(r8), "+r"(r9),
                       "+r"(r10), "+r"(r11), "+r"(r12)
                     :
                     : "r0", "ctr", "xer", "cr0", "cr1", "cr5", "cr6", "cr7", "memory");
    if (out) {
        out[0] = r4; out[1] = r5; out[2] = r6; out[3] = r7; out[4] = r8;
        out[5] = r9; out[6] = r10; out[7] = r11; out[8] = r12;
    }
    return (int64_t)r3;
}

uint32_t rtas_token(const char *name)
{
    uint32_t tok;
    return fdt_getprop_u32(guest_fdt, "/rtas", name, &tok) ? tok : 0;
}

/* RTAS argument buffers are big-endian 32-bit cells. */
static uint32_t be32(uint32_t v)
{
    return __builtin_bswap32(v);
}

int32_t rtas_call(const char *name, int nargs, int nret, uint32_t *rets, ...)
{
    static uint32_t buf[3 + 16] __attribute__((aligned(16)));
    uint32_t tok = rtas_token(name);
    if (!tok || nargs > 8 || nret > 8 || nret < 1)
        return -3;
    buf[0] = be32(tok);
    buf[1] = be32((uint32_t)nargs);
    buf[2] = be32((uint32_t)nret);
    va_list ap;
    va_start(ap, rets);
    for (int k = 0; k < nargs; k++)
        buf[3 + k] = be32(va_arg(ap, uint32_t));
    va_end(ap);
    for (int k = 0; k < nret; k++)
        buf[3 + nargs + k] = 0;
    hcall(H_RTAS, NULL, 1, (uint64_t)buf);
    for (int k = 1; k < nret && rets; k++)
        rets[k - 1] = be32(buf[3 + nargs + k]);
    return (int32_t)be32(buf[3 + nargs]);
}

void guest_putchar(char c)
{
    uint64_t word = (uint64_t)(uint8_t)c << 56;
    while (hcall(H_PUT_TERM_CHAR, NULL, 3, (uint64_t)VTY_TERMNO, (uint64_t)1, word) != H_SUCCESS)
        ;
}

void guest_exit(int status)
{
    rtas_call("hvemu,exit", 1, 1, NULL, (uint32_t)status);
    rtas_call("power-off", 2, 1, NULL, (uint32_t)-1, (uint32_t)-1);
    for (;;)
        ;
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
