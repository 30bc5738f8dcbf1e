/* tests/guest/booke/doorbell.c: processor doorbells (Power ISA 2.06 Book III-E 11.2.x
 * "Processor Control": msgsnd and msgclr with the message type, BRDCST, LPIDTAG and
 * PIRTAG fields of rB; 7.6.17-7.6.20 Processor Doorbell (IVOR36, SRR0/SRR1, taken when
 * MSR[EE] = 1 or in guest state), Processor Doorbell Critical (IVOR37, CSRR0/CSRR1, when
 * MSR[CE] = 1, returned from with rfci), Guest Processor Doorbell (IVOR38, taken by the
 * hypervisor only while MSR[GS] = 1 and MSR[EE] = 1, saving the guest's PC and MSR in
 * GSRR0/GSRR1, accepted only when LPIDTAG = LPIDR and PIRTAG = GPIR). A doorbell stays
 * pending until it is taken or msgclr removes it. With two or more CPUs, one started
 * through the ePAPR spin table (ePAPR v1.1 5.5), a doorbell goes to the other CPU by its
 * PIR and one comes back. */
#include "guest_booke.h"

#define LPID GUEST_LPID
#define GPIR_VALUE 3
#define SPIN_LIMIT 20000000u

/* ---- the recorder ---- */

#define MAX_EVENTS 8
struct event {
    uint32_t vec, cls, srr0, srr1, msr, cpu;
};
static volatile struct event ev[MAX_EVENTS];
static volatile unsigned nev;
static volatile unsigned db_count[GUEST_MAX_CPUS];

static void record(struct trap_frame *f)
{
    unsigned cpu = guest_cpu_index();
    if (cpu == 0) {
        if (nev < MAX_EVENTS)
            ev[nev] = (struct event){ f->vector, f->cls, f->srr0, f->srr1, mfmsr(), cpu };
        nev++;
    }
    if (f->vector == VEC_DBELL && cpu < GUEST_MAX_CPUS)
        db_count[cpu]++;
}

static void reset(void)
{
    nev = 0;
    memset((void *)ev, 0, sizeof(ev));
}

/* ---- windows: the labelled instruction is the first one after the enable ---- */

extern char p_ee_window[], p_ee_window_insn[], p_ce_window[], p_ce_window_insn[];
__asm__(".text\n"
        "    .globl p_ee_window, p_ee_window_insn\n"
        "p_ee_window:\n"
        "    wrteei 1\n"
        "p_ee_window_insn:\n"
        "    nop\n    nop\n    nop\n"
        "    wrteei 0\n"
        "    blr\n"
        "    .globl p_ce_window, p_ce_window_insn\n"
        "p_ce_window:\n" /* r3 = MSR with CE, r4 = MSR without */
        "    mtmsr 3\n"
        "p_ce_window_insn:\n"
        "    nop\n    nop\n    nop\n"
        "    mtmsr 4\n"
        "    blr\n");

static void ee_window(void)
{
    ((void (*)(void))(uintptr_t)p_ee_window)();
}

static void ce_window(void)
{
    uint32_t msr = mfmsr() & ~MSR_CE;
    ((void (*)(uint32_t, uint32_t))(uintptr_t)p_ce_window)(msr | MSR_CE, msr);
}

static void spin(unsigned n)
{
    for (volatile unsigned k = 0; k < n; k++)
        ;
}

static uint32_t dbell(unsigned type, uint32_t pir)
{
    return DBELL_TYPE(type) | DBELL_PIRTAG(pir);
}

/* ---- doorbells to this CPU ---- */

static void test_self(void)
{
    uint32_t pir = mfspr(SPRN_PIR);
    report_info("CPU 0 PIR %u", pir);
    set_trap_handler(VEC_DBELL, record);
    set_trap_handler(VEC_DBELL_CRIT, record);

    reset();
    msgsnd(dbell(DBELL_T_DBELL, pir));
    isync();
    spin(1000);
    bool held = nev == 0;
    ee_window();
    report(held, "a doorbell waits while MSR[EE] = 0");
    report(nev == 1 && ev[0].vec == VEC_DBELL && ev[0].cls == CLASS_BASE &&
               ev[0].srr0 == (uint32_t)p_ee_window_insn && (ev[0].srr1 & MSR_EE) &&
               !(ev[0].msr & MSR_EE),
           "wrteei 1: Processor Doorbell (IVOR36) at the next instruction, SRR1[EE] (srr0 0x%x)",
           ev[0].srr0);
    reset();
    ee_window();
    report(nev == 0, "taking it cleared it");

    reset();
    msgsnd(dbell(DBELL_T_DBELL, pir ^ 0x20));
    ee_window();
    report(nev == 0, "a doorbell for another PIR tag is not accepted");

    reset();
    msgsnd(dbell(DBELL_T_DBELL, pir));
    msgclr(dbell(DBELL_T_DBELL, pir));
    ee_window();
    report(nev == 0, "msgclr cancels a pending doorbell");

    reset();
    msgsnd(dbell(DBELL_T_DBELL_CRIT, pir));
    ee_window();
    bool crit_held = nev == 0;
    ce_window();
    report(crit_held, "a critical doorbell waits while MSR[CE] = 0 (EE does not matter)");
    report(nev == 1 && ev[0].vec == VEC_DBELL_CRIT && ev[0].cls == CLASS_CRIT &&
               ev[0].srr0 == (uint32_t)p_ce_window_insn && (ev[0].srr1 & MSR_CE) &&
               !(ev[0].msr & MSR_CE),
           "MSR[CE] = 1: Doorbell Critical (IVOR37), CSRR0 0x%x, CSRR1[CE], back with rfci",
           ev[0].srr0);
    report(!(mfmsr() & MSR_CE), "rfci restored the MSR");

    reset();
    msgsnd(dbell(DBELL_T_DBELL_CRIT, pir));
    msgclr(dbell(DBELL_T_DBELL_CRIT, pir));
    ce_window();
    report(nev == 0, "msgclr cancels a pending critical doorbell");
}

/* ---- guest doorbells ---- */

static volatile unsigned guest_before;

static void g_window(void *arg)
{
    spin(1000);
    guest_before = nev;
    ee_window();
}

static void test_guest(void)
{
    mtspr(SPRN_LPIDR, LPID);
    mtspr(SPRN_GPIR, GPIR_VALUE);
    mtspr(SPRN_EPCR, 0);
    ehv_guest_vectors_init();
    ehv_guest_map(LPID);
    set_trap_handler(VEC_GDBELL, record);
    uint32_t gdb = DBELL_TYPE(DBELL_T_G_DBELL) | DBELL_LPIDTAG(LPID) | DBELL_PIRTAG(GPIR_VALUE);

    reset();
    msgsnd(gdb);
    isync();
    ee_window();
    report(nev == 0, "a guest doorbell is not taken in hypervisor state, even with EE = 1");
    run_in_guest(g_window, NULL, 0);
    report(guest_before == 0, "nor in guest state while the guest has EE = 0");
    report(nev == 1 && ev[0].vec == VEC_GDBELL && ev[0].cls == CLASS_GUEST &&
               ev[0].srr0 == (uint32_t)p_ee_window_insn,
           "the guest's wrteei 1: Guest Doorbell (IVOR38), GSRR0 = the next guest instruction "
           "(0x%x)", ev[0].srr0);
    report((ev[0].srr1 & (MSR_GS | MSR_EE)) == (MSR_GS | MSR_EE) && !(ev[0].msr & MSR_GS),
           "GSRR1 has GS and EE, the handler runs in hypervisor state (GSRR1 0x%x MSR 0x%x)",
           ev[0].srr1, ev[0].msr);
    reset();
    run_in_guest(g_window, NULL, 0);
    report(nev == 0, "taking it cleared it (rfgi returned to the guest)");

    reset();
    msgsnd(DBELL_TYPE(DBELL_T_G_DBELL) | DBELL_LPIDTAG(LPID + 1) | DBELL_PIRTAG(GPIR_VALUE));
    run_in_guest(g_window, NULL, 0);
    report(nev == 0, "a guest doorbell for another LPID is not accepted");
    reset();
    msgsnd(DBELL_TYPE(DBELL_T_G_DBELL) | DBELL_LPIDTAG(LPID) | DBELL_PIRTAG(GPIR_VALUE + 1));
    run_in_guest(g_window, NULL, 0);
    report(nev == 0, "a guest doorbell for another GPIR is not accepted");

    reset();
    msgsnd(gdb);
    msgclr(gdb);
    run_in_guest(g_window, NULL, 0);
    report(nev == 0, "msgclr cancels a pending guest doorbell");
    mtspr(SPRN_LPIDR, 0);
    set_trap_handler(VEC_GDBELL, NULL);
}

/* ---- another CPU ---- */

static volatile unsigned secondary_ready, secondary_stop;
static volatile uint32_t reply_to;

void secondary_main(unsigned index)
{
    /* Nothing sent before the release counts (a broadcast could be waiting). */
    msgclr(DBELL_TYPE(DBELL_T_DBELL) | DBELL_BRDCST);
    secondary_ready = mfspr(SPRN_PIR) | 0x80000000u;
    __asm__ volatile("wrteei 1" ::: "memory");
    bool replied = false;
    while (!secondary_stop) {
        if (!replied && db_count[index] > 0) {
            msgsnd(dbell(DBELL_T_DBELL, reply_to));
            replied = true;
        }
    }
    __asm__ volatile("wrteei 0" ::: "memory");
}

static void test_smp(void)
{
    int ncpu = guest_cpu_count();
    if (ncpu < 2) {
        report_info("one CPU: doorbells between CPUs not tested (run with -smp 2)");
        return;
    }
    uint32_t pir1 = guest_spin_pir(1);
    reply_to = mfspr(SPRN_PIR);
    report(guest_start_cpu(1), "CPU 1 released from the spin table (PIR %u)", pir1);
    unsigned n;
    for (n = 0; !secondary_ready && n < SPIN_LIMIT; n++)
        ;
    report(secondary_ready && (secondary_ready & 0x3fff) == pir1,
           "CPU 1 runs the program, its PIR matches the spin table (%u)",
           secondary_ready & 0x3fff);
    msgsnd(dbell(DBELL_T_DBELL, pir1));
    for (n = 0; db_count[1] == 0 && n < SPIN_LIMIT; n++)
        ;
    report(db_count[1] == 1, "msgsnd to PIR %u: CPU 1 takes the doorbell (%u)", pir1,
           db_count[1]);
    unsigned before = db_count[0];
    __asm__ volatile("wrteei 1" ::: "memory");
    for (n = 0; db_count[0] == before && n < SPIN_LIMIT; n++)
        ;
    __asm__ volatile("wrteei 0" ::: "memory");
    report(db_count[0] == before + 1, "CPU 1's reply reaches CPU 0 (%u)", db_count[0] - before);
    before = db_count[1];
    unsigned before0 = db_count[0];
    msgsnd(DBELL_TYPE(DBELL_T_DBELL) | DBELL_BRDCST);
    ee_window();
    for (n = 0; db_count[1] == before && n < SPIN_LIMIT; n++)
        ;
    report(db_count[1] == before + 1 && db_count[0] == before0 + 1,
           "a broadcast doorbell reaches both CPUs");
    secondary_stop = 1;
}

int main(void)
{
    test_self();
    test_guest();
    test_smp();
    return 0;
}
