/* tests/guest/ppc64/smp_xics.c: processors and interrupts of a PAPR partition (LoPAR
 * chapter 7 "RTAS": start-cpu, stop-self, query-cpu-stopped-state, ibm,set-xive,
 * ibm,get-xive, ibm,int-off, ibm,int-on; chapter 6 "Interrupt Controller" and chapter 14
 * "Interrupt Support hcall()s": H_IPI, H_XIRR, H_EOI, H_CPPR, H_IPOLL; the Shared
 * Processor LPAR hcalls H_CEDE, H_PROD, H_CONFER): the boot CPU starts the others, which
 * cede with external interrupts enabled and are woken by IPIs arriving as External
 * interrupts (0x500) with XISR 2, or by H_PROD; CPPR masking; a stopped CPU restarts.
 * Run with -smp 4. */
#include "guest_ppc64.h"

#define XICS_IPI 2
#define IPI_PRIO 5
#define IRQ_BASE 4096
#define ONE_MS (512000000ULL / 1000)

static unsigned ncpus;

/* Per-CPU state, written by that CPU. */
struct percpu {
    volatile unsigned runs;      /* secondary_main entries */
    volatile unsigned cedes;     /* H_CEDE calls begun */
    volatile unsigned wakeups;   /* H_CEDE returns */
    volatile unsigned ipis;      /* external interrupts with XISR 2 */
    volatile unsigned others;    /* external interrupts with any other XISR */
    volatile uint32_t last_xirr;
    volatile int64_t cede_rc;
    volatile unsigned decs;      /* decrementer interrupts */
    volatile uint32_t arm_dec;   /* DEC value to set before the next cede (by CPU 0) */
    volatile bool stop;          /* asked to leave its loop (written by CPU 0) */
} __attribute__((aligned(128)));
static struct percpu pc[GUEST_MAX_CPUS];

/* The External interrupt: accept (H_XIRR), drop the IPI (MFRR = 0xff), end it (H_EOI). */
static void on_external(struct trap_frame *f)
{
    unsigned cpu = guest_cpu_id();
    uint64_t out[9];
    hcall(H_XIRR, out, 1, 0xffULL);
    uint32_t xirr = (uint32_t)out[0];
    pc[cpu].last_xirr = xirr;
    if ((xirr & 0xffffff) == XICS_IPI) {
        hcall(H_IPI, NULL, 2, (uint64_t)cpu, 0xffULL);
        pc[cpu].ipis++;
    } else {
        pc[cpu].others++;
    }
    if (xirr & 0xffffff)
        hcall(H_EOI, NULL, 1, (uint64_t)xirr);
}

static void on_dec(struct trap_frame *f)
{
    pc[guest_cpu_id()].decs++;
    mtspr(22, 0x7fffffff);
}

void secondary_main(unsigned cpu)
{
    struct percpu *p = &pc[cpu];
    p->runs++;
    p->stop = false;
    hcall(H_CPPR, NULL, 1, 0xffULL);
    while (!p->stop) {
        if (p->arm_dec) {
            mtspr(22, p->arm_dec);
            p->arm_dec = 0;
        }
        p->cedes++;
        p->cede_rc = hcall0(H_CEDE); /* returns with MSR[EE] = 1 */
        p->wakeups++;
    }
    mtmsrd(mfmsr() & ~MSR_EE);
}

static int stopped_state(unsigned cpu)
{
    uint32_t state = 99;
    int32_t rc = rtas_call("query-cpu-stopped-state", 1, 2, &state, cpu);
    return rc == 0 ? (int)state : -100 + rc;
}

static bool wait_until(volatile unsigned *v, unsigned want, uint64_t ticks)
{
    uint64_t t0 = mftb();
    while (*v < want && mftb() - t0 < ticks)
        ;
    return *v >= want;
}

static void delay(uint64_t ticks)
{
    uint64_t t0 = mftb();
    while (mftb() - t0 < ticks)
        ;
}

static bool start_cpu(unsigned cpu)
{
    extern char secondary_start[];
    return rtas_call("start-cpu", 3, 1, NULL, cpu, (uint32_t)(uint64_t)secondary_start, cpu) == 0;
}

static void test_start(void)
{
    bool all_stopped = true, ok = true, running = true;
    for (unsigned cpu = 1; cpu < ncpus; cpu++)
        all_stopped = all_stopped && stopped_state(cpu) == 0;
    report(stopped_state(0) == 2 && all_stopped,
           "query-cpu-stopped-state: CPU 0 running, the others stopped");
    for (unsigned cpu = 1; cpu < ncpus; cpu++)
        ok = ok && start_cpu(cpu);
    report(ok, "start-cpu of CPUs 1-%u", ncpus - 1);
    for (unsigned cpu = 1; cpu < ncpus; cpu++)
        running = running && wait_until(&pc[cpu].cedes, 1, 100 * ONE_MS) &&
                  stopped_state(cpu) == 2 && pc[cpu].runs == 1;
    report(running, "each runs from secondary_start with r3 = its number and cedes");
    report(rtas_call("start-cpu", 3, 1, NULL, 1u, 0u, 0u) == -1,
           "start-cpu of a running CPU: -1 (hardware error)");
    report(rtas_call("start-cpu", 3, 1, NULL, 99u, 0u, 0u) == -3,
           "start-cpu of a CPU that does not exist: -3");
    report(stopped_state(99) == -100 - 3, "query-cpu-stopped-state of CPU 99: -3");
}

static void test_ipis(void)
{
    set_trap_handler(VEC_EXTERNAL, on_external);
    set_trap_handler(VEC_DECREMENTER, on_dec);
    bool ceded = true;
    for (unsigned cpu = 1; cpu < ncpus; cpu++) {
        unsigned w = pc[cpu].wakeups;
        delay(ONE_MS);
        ceded = ceded && pc[cpu].wakeups == w;
    }
    report(ceded, "ceded CPUs stay ceded while nothing happens");

    for (unsigned round = 1; round <= 3; round++) {
        bool ok = true;
        for (unsigned cpu = 1; cpu < ncpus; cpu++)
            ok = ok && hcall(H_IPI, NULL, 2, (uint64_t)cpu, (uint64_t)IPI_PRIO) == H_SUCCESS;
        for (unsigned cpu = 1; cpu < ncpus; cpu++)
            ok = ok && wait_until(&pc[cpu].ipis, round, 100 * ONE_MS) &&
                 wait_until(&pc[cpu].wakeups, round, 100 * ONE_MS);
        bool xirr_ok = true;
        for (unsigned cpu = 1; cpu < ncpus; cpu++)
            xirr_ok = xirr_ok && pc[cpu].last_xirr == (0xff000000u | XICS_IPI) &&
                      pc[cpu].others == 0 && pc[cpu].cede_rc == H_SUCCESS;
        report(ok && xirr_ok,
               "round %u: H_IPI to every other CPU wakes it from H_CEDE with an External "
               "interrupt, H_XIRR = 0xff000002",
               round);
    }

    /* H_PROD wakes a ceded CPU without an interrupt. */
    unsigned cpu = 1, w = pc[cpu].wakeups, i = pc[cpu].ipis;
    wait_until(&pc[cpu].cedes, w + 1, 100 * ONE_MS);
    delay(ONE_MS / 10);
    report(hcall(H_PROD, NULL, 1, (uint64_t)cpu) == H_SUCCESS &&
               wait_until(&pc[cpu].wakeups, w + 1, 100 * ONE_MS) && pc[cpu].ipis == i,
           "H_PROD wakes a ceded CPU, no interrupt");
    report(hcall(H_PROD, NULL, 1, 99ULL) == H_PARAMETER, "H_PROD of CPU 99: H_PARAMETER");

    /* The decrementer wakes a ceded CPU (the idle loop's timer). */
    w = pc[cpu].wakeups;
    pc[cpu].arm_dec = (uint32_t)(ONE_MS / 2);
    hcall(H_PROD, NULL, 1, (uint64_t)cpu);
    report(wait_until(&pc[cpu].decs, 1, 100 * ONE_MS) &&
               wait_until(&pc[cpu].wakeups, w + 2, 100 * ONE_MS) && pc[cpu].ipis == i,
           "a decrementer interrupt wakes a ceded CPU");
    report(hcall(H_CONFER, NULL, 2, (uint64_t)-1, 0ULL) == H_SUCCESS, "H_CONFER(-1) returns");
}

/* CPU 0's own ICP: an IPI to itself, masked by the CPPR, delivered when the CPPR drops. */
static void test_cppr(void)
{
    uint64_t out[9];
    unsigned before = pc[0].ipis;
    report(hcall(H_CPPR, NULL, 1, 4ULL) == H_SUCCESS, "H_CPPR(4) on CPU 0");
    hcall(H_IPI, NULL, 2, 0ULL, (uint64_t)IPI_PRIO);
    int64_t rc = hcall(H_IPOLL, out, 1, 0ULL);
    report(rc == H_SUCCESS && (out[0] & 0xffffff) == 0 && out[1] == IPI_PRIO,
           "an IPI of priority 5 under CPPR 4 is not presented (H_IPOLL xirr %08llx mfrr %llu)",
           (unsigned long long)out[0], (unsigned long long)out[1]);
    mtmsrd(mfmsr() | MSR_EE);
    delay(ONE_MS / 10);
    mtmsrd(mfmsr() & ~MSR_EE);
    report(pc[0].ipis == before, "... and not taken with MSR[EE] = 1");
    hcall(H_CPPR, NULL, 1, 0xffULL);
    rc = hcall(H_IPOLL, out, 1, 0ULL);
    report(rc == H_SUCCESS && out[0] == (0xff000000u | XICS_IPI),
           "H_CPPR(0xff) presents it: H_IPOLL shows XISR 2, CPPR 0xff");
    mtmsrd(mfmsr() | MSR_EE);
    __asm__ volatile("nop; nop" ::: "memory");
    mtmsrd(mfmsr() & ~MSR_EE);
    report(pc[0].ipis == before + 1 && pc[0].last_xirr == (0xff000000u | XICS_IPI),
           "with MSR[EE] = 1 it is taken: External interrupt, XIRR 0xff000002");
    rc = hcall(H_XIRR, out, 1, 0xffULL);
    report(rc == H_SUCCESS && out[0] == 0xff000000u, "H_XIRR with nothing pending: XISR 0");

    /* A more favoured IPI is presented under the same CPPR. */
    hcall(H_CPPR, NULL, 1, 4ULL);
    hcall(H_IPI, NULL, 2, 0ULL, 3ULL);
    mtmsrd(mfmsr() | MSR_EE);
    __asm__ volatile("nop; nop" ::: "memory");
    mtmsrd(mfmsr() & ~MSR_EE);
    report(pc[0].ipis == before + 2 && pc[0].last_xirr == (0x04000000u | XICS_IPI),
           "an IPI of priority 3 under CPPR 4 is taken, XIRR 0x04000002");
    hcall(H_CPPR, NULL, 1, 0xffULL);

    report(hcall(H_IPI, NULL, 2, 99ULL, 5ULL) == H_PARAMETER, "H_IPI to server 99: H_PARAMETER");
    report(hcall(H_IPOLL, out, 1, 99ULL) == H_PARAMETER, "H_IPOLL of server 99: H_PARAMETER");
    report(hcall(H_EOI, NULL, 1, 0xff000010ULL) == H_PARAMETER,
           "H_EOI of a source that does not exist: H_PARAMETER");
}

static void test_xive(void)
{
    uint32_t rets[2];
    report(rtas_call("ibm,set-xive", 3, 1, NULL, (uint32_t)IRQ_BASE, 1u, 5u) == 0,
           "ibm,set-xive(4096, server 1, priority 5)");
    int32_t rc = rtas_call("ibm,get-xive", 1, 3, rets, (uint32_t)IRQ_BASE);
    report(rc == 0 && rets[0] == 1 && rets[1] == 5, "ibm,get-xive reads it back");
    rtas_call("ibm,int-off", 1, 1, NULL, (uint32_t)IRQ_BASE);
    rc = rtas_call("ibm,get-xive", 1, 3, rets, (uint32_t)IRQ_BASE);
    report(rc == 0 && rets[1] == 0xff, "ibm,int-off masks it (priority 0xff)");
    rtas_call("ibm,int-on", 1, 1, NULL, (uint32_t)IRQ_BASE);
    rc = rtas_call("ibm,get-xive", 1, 3, rets, (uint32_t)IRQ_BASE);
    report(rc == 0 && rets[0] == 1 && rets[1] == 5, "ibm,int-on restores priority 5");
    rtas_call("ibm,set-xive", 3, 1, NULL, (uint32_t)IRQ_BASE, 0u, 0xffu);
    report(rtas_call("ibm,set-xive", 3, 1, NULL, 10u, 0u, 5u) == -3,
           "ibm,set-xive of a number that is no source: -3");
    report(rtas_call("ibm,set-xive", 3, 1, NULL, (uint32_t)IRQ_BASE, 99u, 5u) == -3,
           "ibm,set-xive to server 99: -3");
}

static void test_stop_restart(void)
{
    bool stopped = true;
    for (unsigned cpu = 1; cpu < ncpus; cpu++) {
        pc[cpu].stop = true;
        hcall(H_PROD, NULL, 1, (uint64_t)cpu);
    }
    for (unsigned cpu = 1; cpu < ncpus; cpu++) {
        uint64_t t0 = mftb();
        while (stopped_state(cpu) != 0 && mftb() - t0 < 100 * ONE_MS)
            ;
        stopped = stopped && stopped_state(cpu) == 0;
    }
    report(stopped, "the others leave their loops and stop-self: query says stopped");
    unsigned cpu = ncpus - 1, c0 = pc[cpu].cedes;
    report(start_cpu(cpu) && wait_until(&pc[cpu].cedes, c0 + 1, 100 * ONE_MS) &&
               pc[cpu].runs == 2 && stopped_state(cpu) == 2,
           "a stopped CPU starts again with start-cpu");
    unsigned i = pc[cpu].ipis;
    hcall(H_IPI, NULL, 2, (uint64_t)cpu, (uint64_t)IPI_PRIO);
    report(wait_until(&pc[cpu].ipis, i + 1, 100 * ONE_MS), "... and takes IPIs again");
    pc[cpu].stop = true;
    hcall(H_PROD, NULL, 1, (uint64_t)cpu);
}

int main(void)
{
    ncpus = (unsigned)fdt_count_children(guest_fdt, "/cpus", "PowerPC,");
    if (ncpus < 2 || ncpus > GUEST_MAX_CPUS) {
        report(false, "this test needs -smp 2 to 8 (%u CPUs)", ncpus);
        return 1;
    }
    hcall(H_CPPR, NULL, 1, 0xffULL);
    test_start();
    test_ipis();
    test_cppr();
    test_xive();
    test_stop_restart();
    return 0;
}
