/* tests/guest/riscv/sbi_time_ipi.c: the SBI Timer (SBI v2.0, chapter 6), IPI (chapter 7)
 * and RFENCE (chapter 8) extensions on every hart of the machine. set_timer programs
 * the next supervisor timer event: a deadline in the future raises sip.STIP when time
 * reaches it, one in the past raises it at once, and a far deadline clears it. IPIs go
 * to the harts named by (hart_mask, hart_mask_base) (chapter 3: bit i of hart_mask is
 * hart hart_mask_base + i; base -1 means every hart); an invalid hart id gives
 * SBI_ERR_INVALID_PARAM. The secondary harts are started through HSM. */
#include "guest_riscv.h"
#include "sbi.h"

static unsigned nharts;
static volatile unsigned long ipi_count[GUEST_MAX_HARTS];
static volatile unsigned long timer_count[GUEST_MAX_HARTS];
static volatile unsigned long ready[GUEST_MAX_HARTS];
static volatile unsigned long stop;

static bool irq_handler(struct trap_frame *f)
{
    unsigned long id = hartid();
    if (f->cause == (CAUSE_INTERRUPT | IRQ_S_SOFT)) {
        csr_clear(sip, MIP_SSIP);
        ipi_count[id]++;
        return true;
    }
    if (f->cause == (CAUSE_INTERRUPT | IRQ_S_TIMER)) {
        sbi_set_timer(~0UL);
        timer_count[id]++;
        return true;
    }
    return false;
}

static void secondary(void *arg)
{
    unsigned long id = hartid();
    trap_set_handler(irq_handler);
    csr_set(sie, MIP_SSIP | MIP_STIP);
    csr_set(sstatus, MSTATUS_SIE);
    /* Each hart has its own timer: a deadline that depends on the hart id. */
    sbi_set_timer(read_time() + 200 + 100 * id);
    ready[id] = 1;
    while (!stop)
        wfi();
    csr_clear(sstatus, MSTATUS_SIE);
}

static void snapshot(unsigned long *out)
{
    for (unsigned n = 0; n < nharts; n++)
        out[n] = ipi_count[n];
}

/* After an IPI sent to `expected` (a mask of hart ids): waits for those harts to count
 * one more IPI, gives the others time, then checks nobody else got one. */
static bool ipis_delivered(const unsigned long *before, unsigned long expected)
{
    bool ok = true;
    for (unsigned n = 0; n < nharts; n++)
        if (expected & (1UL << n))
            ok &= wait_count(&ipi_count[n], before[n] + 1, 100000);
    delay_ticks(200);
    for (unsigned n = 0; n < nharts; n++) {
        unsigned long want = before[n] + ((expected >> n) & 1);
        if (ipi_count[n] != want) {
            report_info("hart %u: %lu IPIs, expected %lu", n, ipi_count[n], want);
            ok = false;
        }
    }
    return ok;
}

static void test_timer_boot_hart(void)
{
    struct sbiret r;
    /* A deadline in the past: STIP at once. */
    r = sbi_set_timer(0);
    report(r.error == SBI_SUCCESS && (csr_read(sip) & MIP_STIP),
           "set_timer(0), a deadline in the past, raises sip.STIP at once (error %ld)", r.error);
    r = sbi_set_timer(~0UL);
    report(r.error == SBI_SUCCESS && !(csr_read(sip) & MIP_STIP),
           "set_timer(-1), a far deadline, clears sip.STIP (error %ld)", r.error);

    unsigned long t = read_time();
    r = sbi_set_timer(t + 2000);
    report(r.error == SBI_SUCCESS && !(csr_read(sip) & MIP_STIP),
           "set_timer(now + 2000): sip.STIP clear before the deadline");
    unsigned long t0 = read_time();
    while (!(csr_read(sip) & MIP_STIP) && read_time() - t0 < 100000)
        cpu_relax();
    unsigned long seen = read_time();
    report((csr_read(sip) & MIP_STIP) && seen >= t + 2000,
           "sip.STIP rises once time reaches the deadline (time %lu, deadline %lu)", seen, t + 2000);
    csr_set(sie, MIP_STIP);
    csr_set(sstatus, MSTATUS_SIE);
    bool fired = wait_count(&timer_count[hartid()], 1, 100000);
    csr_clear(sstatus, MSTATUS_SIE);
    report(fired && timer_count[hartid()] == 1,
           "the supervisor timer interrupt (scause 0x8000000000000005) is taken once");
    report(!(csr_read(sip) & MIP_STIP), "the handler's set_timer(-1) cleared sip.STIP");
    csr_clear(sie, MIP_STIP);
}

int main(void)
{
    nharts = (unsigned)fdt_count_children(guest_fdt, "/cpus", "cpu@");
    report(nharts >= 2 && nharts <= GUEST_MAX_HARTS, "the FDT lists %u harts", nharts);
    if (nharts < 2 || nharts > GUEST_MAX_HARTS)
        return 1;
    trap_set_handler(irq_handler);
    unsigned long me = hartid();
    report(me == 0, "the boot hart is hart 0 (%lu)", me);

    test_timer_boot_hart();

    for (unsigned n = 1; n < nharts; n++) {
        long e = hart_start_on(n, secondary, NULL, 0);
        report(e == SBI_SUCCESS, "HSM hart_start of hart %u (error %ld)", n, e);
    }
    bool all = true;
    for (unsigned n = 1; n < nharts; n++)
        all &= wait_count(&ready[n], 1, 1000000);
    report(all, "all secondary harts are running");

    all = true;
    for (unsigned n = 1; n < nharts; n++)
        all &= wait_count(&timer_count[n], 1, 100000);
    delay_ticks(1000);
    for (unsigned n = 1; n < nharts; n++)
        all &= timer_count[n] == 1;
    report(all, "every secondary hart got exactly its own timer interrupt");

    /* The boot hart takes IPIs too. */
    csr_set(sie, MIP_SSIP);
    csr_set(sstatus, MSTATUS_SIE);

    unsigned long before[GUEST_MAX_HARTS];
    struct sbiret r;
    for (unsigned n = 0; n < nharts; n++) {
        snapshot(before);
        r = sbi_send_ipi(1UL << n, 0);
        report(r.error == SBI_SUCCESS && ipis_delivered(before, 1UL << n),
               "send_ipi(mask 1<<%u, base 0) reaches hart %u alone (error %ld)", n, n, r.error);
    }
    for (unsigned n = 0; n < nharts; n++) {
        snapshot(before);
        r = sbi_send_ipi(1, n);
        report(r.error == SBI_SUCCESS && ipis_delivered(before, 1UL << n),
               "send_ipi(mask 1, base %u) reaches hart %u alone (error %ld)", n, n, r.error);
    }
    snapshot(before);
    r = sbi_send_ipi((1UL << (nharts - 1)) - 1, 1);
    report(r.error == SBI_SUCCESS && ipis_delivered(before, ((1UL << nharts) - 1) & ~1UL),
           "send_ipi(mask 0x%lx, base 1) reaches harts 1..%u (error %ld)",
           (1UL << (nharts - 1)) - 1, nharts - 1, r.error);
    snapshot(before);
    r = sbi_send_ipi(0, -1UL);
    report(r.error == SBI_SUCCESS && ipis_delivered(before, (1UL << nharts) - 1),
           "send_ipi(base -1) ignores the mask and reaches all %u harts (error %ld)", nharts,
           r.error);
    snapshot(before);
    r = sbi_send_ipi(0, 0);
    report(r.error == SBI_SUCCESS && ipis_delivered(before, 0),
           "send_ipi(mask 0) succeeds and reaches nobody (error %ld)", r.error);

    r = sbi_send_ipi(1, nharts);
    report(r.error == SBI_ERR_INVALID_PARAM,
           "send_ipi to hart %u, which does not exist: SBI_ERR_INVALID_PARAM (%ld)", nharts, r.error);
    r = sbi_send_ipi(1UL << nharts, 0);
    report(r.error == SBI_ERR_INVALID_PARAM,
           "send_ipi(mask 1<<%u, base 0): SBI_ERR_INVALID_PARAM (%ld)", nharts, r.error);
    r = sbi_send_ipi(1, 1000);
    report(r.error == SBI_ERR_INVALID_PARAM, "send_ipi(mask 1, base 1000): SBI_ERR_INVALID_PARAM (%ld)",
           r.error);
    r = sbi_send_ipi(3, -2UL);
    report(r.error == SBI_ERR_INVALID_PARAM,
           "send_ipi(mask 3, base -2), hart ids -2 and -1: SBI_ERR_INVALID_PARAM (%ld)", r.error);

    /* RFENCE takes the same hart sets. */
    unsigned long all_mask = (1UL << nharts) - 1;
    r = sbi_call2(SBI_EXT_RFENCE, SBI_RFENCE_FENCE_I, all_mask, 0);
    report(r.error == SBI_SUCCESS, "remote_fence_i on every hart (error %ld)", r.error);
    r = sbi_ecall(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA, all_mask, 0, 0, -1UL, 0, 0);
    report(r.error == SBI_SUCCESS, "remote_sfence_vma of everything on every hart (error %ld)", r.error);
    r = sbi_ecall(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA_ASID, 0, -1UL, RAM_BASE, 4096, 0, 0);
    report(r.error == SBI_SUCCESS, "remote_sfence_vma_asid, base -1 (error %ld)", r.error);
    r = sbi_ecall(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA, 1, nharts, 0, -1UL, 0, 0);
    report(r.error == SBI_ERR_INVALID_PARAM,
           "remote_sfence_vma on a hart that does not exist: SBI_ERR_INVALID_PARAM (%ld)", r.error);
    r = sbi_call2(SBI_EXT_RFENCE, SBI_RFENCE_FENCE_I, 1UL << nharts, 0);
    report(r.error == SBI_ERR_INVALID_PARAM,
           "remote_fence_i on a hart that does not exist: SBI_ERR_INVALID_PARAM (%ld)", r.error);

    /* Wind down: the secondaries leave their loop and stop through HSM. */
    stop = 1;
    fence();
    sbi_send_ipi(0, -1UL);
    all = true;
    for (unsigned n = 1; n < nharts; n++) {
        unsigned long t0 = read_time();
        while (sbi_hart_get_status(n).value != SBI_HSM_STATE_STOPPED && read_time() - t0 < 100000)
            cpu_relax();
        all &= sbi_hart_get_status(n).value == SBI_HSM_STATE_STOPPED;
    }
    report(all, "the secondary harts stopped");
    csr_clear(sstatus, MSTATUS_SIE);
    return 0;
}
