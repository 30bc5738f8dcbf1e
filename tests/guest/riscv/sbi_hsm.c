/* tests/guest/riscv/sbi_hsm.c: the SBI Hart State Management extension (SBI v2.0,
 * chapter 9). hart_start enters S-mode at start_addr with satp = 0, sstatus.SIE = 0,
 * a0 = hartid and a1 = opaque (table "HSM Hart Start Register State"); get_status goes
 * STOPPED (1) -> STARTED (0) and shows SUSPENDED (4) while a hart is suspended; a
 * started hart cannot be started again (SBI_ERR_ALREADY_AVAILABLE), a bad hart id is
 * SBI_ERR_INVALID_PARAM and a bad start address SBI_ERR_INVALID_ADDRESS; a hart that
 * called hart_stop can be started again. hart_suspend: the default retentive type (0)
 * returns SBI_SUCCESS after an interrupt with registers and CSRs kept; the default
 * non-retentive type (0x80000000) resumes at resume_addr with a0 = hartid, a1 = opaque,
 * satp = 0, sstatus.SIE = 0; reserved types are SBI_ERR_INVALID_PARAM. */
#include "guest_riscv.h"
#include "sbi.h"

#define OPAQUE(n, k) (0x0badcafe00000000UL | ((unsigned long)(k) << 8) | (n))

static unsigned nharts;
static volatile unsigned long arrived[GUEST_MAX_HARTS];
static volatile unsigned long seen_a0[GUEST_MAX_HARTS], seen_a1[GUEST_MAX_HARTS];
static volatile unsigned long seen_satp[GUEST_MAX_HARTS], seen_sstatus[GUEST_MAX_HARTS];
static volatile unsigned long release[GUEST_MAX_HARTS];
static volatile unsigned long phase[GUEST_MAX_HARTS];
static volatile long suspend_error[GUEST_MAX_HARTS];
static volatile unsigned long retained[GUEST_MAX_HARTS];
static volatile unsigned long ipis[GUEST_MAX_HARTS];

static void record_entry(void)
{
    struct hart_local *hl = this_hart();
    unsigned long id = hl->hartid;
    seen_satp[id] = csr_read(satp);
    seen_sstatus[id] = csr_read(sstatus);
    seen_a0[id] = hl->entry_a0;
    seen_a1[id] = hl->entry_a1;
    fence();
    arrived[id]++;
}

static void wait_release(unsigned long id)
{
    while (!release[id])
        cpu_relax();
    release[id] = 0;
}

/* Started harts record their entry state, wait to be released, then return (and so
 * stop through hart_stop). */
static void park(void *arg)
{
    record_entry();
    wait_release(hartid());
}

static bool ipi_handler(struct trap_frame *f)
{
    if (f->cause != (CAUSE_INTERRUPT | IRQ_S_SOFT))
        return false;
    csr_clear(sip, MIP_SSIP);
    ipis[hartid()]++;
    return true;
}

static void retentive(void *arg)
{
    unsigned long id = hartid();
    record_entry();
    trap_set_handler(ipi_handler);
    csr_set(sie, MIP_SSIP); /* the wake-up source; sstatus.SIE stays 0 */
    csr_write(sepc, 0x5c5c5c5c); /* a CSR value to check (no S-mode trap comes before) */
    register unsigned long s5 __asm__("s5") = 0xfeedface12345678UL;
    phase[id] = 1;
    struct sbiret r = sbi_hart_suspend(SBI_HSM_SUSPEND_RET_DEFAULT, 0, 0);
    __asm__ volatile("" : "+r"(s5));
    suspend_error[id] = r.error;
    retained[id] = s5 == 0xfeedface12345678UL && csr_read(sepc) == 0x5c5c5c5c &&
                   (csr_read(sie) & MIP_SSIP) && csr_read(stvec) != 0;
    /* The IPI that woke the hart is still pending: SIE was 0. Take it now. */
    csr_set(sstatus, MSTATUS_SIE);
    csr_clear(sstatus, MSTATUS_SIE);
    phase[id] = 2;
    wait_release(id);
}

static void resumed(void *arg)
{
    unsigned long id = hartid();
    record_entry();
    csr_clear(sip, MIP_SSIP);
    phase[id] = 4;
    wait_release(id);
}

static void non_retentive(void *arg)
{
    unsigned long id = hartid();
    record_entry();
    csr_set(sie, MIP_SSIP);
    this_hart()->entry_fn = resumed;
    fence();
    phase[id] = 3;
    struct sbiret r = sbi_hart_suspend(SBI_HSM_SUSPEND_NON_RET_DEFAULT, (unsigned long)_hart_entry,
                                       OPAQUE(id, 7));
    suspend_error[id] = r.error;
    phase[id] = 99; /* must not get here */
    wait_release(id);
}

static long status_of(unsigned long id)
{
    struct sbiret r = sbi_hart_get_status(id);
    return r.error ? r.error : r.value;
}

/* Polls get_status until it shows `want` (or time runs out); returns the last value. */
static long wait_status(unsigned long id, long want)
{
    unsigned long t0 = read_time();
    long s;
    while ((s = status_of(id)) != want && read_time() - t0 < 200000)
        cpu_relax();
    return s;
}

static bool started_as(unsigned long id, unsigned long opaque, unsigned long count)
{
    bool ok = wait_count(&arrived[id], count, 1000000);
    return ok && seen_a0[id] == id && seen_a1[id] == opaque && seen_satp[id] == 0 &&
           !(seen_sstatus[id] & MSTATUS_SIE);
}

int main(void)
{
    nharts = (unsigned)fdt_count_children(guest_fdt, "/cpus", "cpu@");
    report(nharts == 4, "the FDT lists 4 harts (%u)", nharts);
    if (nharts < 4 || nharts > GUEST_MAX_HARTS)
        return 1;
    unsigned long me = hartid();
    struct sbiret r;
    long s;

    report(status_of(me) == SBI_HSM_STATE_STARTED, "get_status(boot hart) = STARTED (%ld)",
           status_of(me));
    for (unsigned n = 1; n < nharts; n++)
        report(status_of(n) == SBI_HSM_STATE_STOPPED, "get_status(%u) before start = STOPPED (%ld)",
               n, status_of(n));

    r = sbi_hart_get_status(nharts);
    report(r.error == SBI_ERR_INVALID_PARAM, "get_status(%u), no such hart: SBI_ERR_INVALID_PARAM (%ld)",
           nharts, r.error);
    r = sbi_hart_start(nharts, (unsigned long)_hart_entry, 0);
    report(r.error == SBI_ERR_INVALID_PARAM, "hart_start(%u), no such hart: SBI_ERR_INVALID_PARAM (%ld)",
           nharts, r.error);
    r = sbi_hart_start(-1UL, (unsigned long)_hart_entry, 0);
    report(r.error == SBI_ERR_INVALID_PARAM, "hart_start(-1): SBI_ERR_INVALID_PARAM (%ld)", r.error);
    r = sbi_hart_start(me, (unsigned long)_hart_entry, 0);
    report(r.error == SBI_ERR_ALREADY_AVAILABLE,
           "hart_start of the running boot hart: SBI_ERR_ALREADY_AVAILABLE (%ld)", r.error);
    r = sbi_hart_start(2, 0x1000, 0);
    report(r.error == SBI_ERR_INVALID_ADDRESS,
           "hart_start at 0x1000, not memory: SBI_ERR_INVALID_ADDRESS (%ld)", r.error);
    report(status_of(2) == SBI_HSM_STATE_STOPPED, "the hart stays STOPPED (%ld)", status_of(2));

    /* Start every secondary with its own opaque value. */
    for (unsigned n = 1; n < nharts; n++) {
        long e = hart_start_on(n, park, NULL, OPAQUE(n, 1));
        report(e == SBI_SUCCESS, "hart_start(%u) succeeds (%ld)", n, e);
    }
    for (unsigned n = 1; n < nharts; n++) {
        report(started_as(n, OPAQUE(n, 1), 1),
               "hart %u entered S-mode with a0 = %lu, a1 = 0x%lx, satp = 0x%lx, sstatus.SIE = %lu",
               n, seen_a0[n], seen_a1[n], seen_satp[n], (seen_sstatus[n] >> 1) & 1);
        s = wait_status(n, SBI_HSM_STATE_STARTED);
        report(s == SBI_HSM_STATE_STARTED, "get_status(%u) after start = STARTED (%ld)", n, s);
    }
    r = sbi_hart_start(1, (unsigned long)_hart_entry, 0);
    report(r.error == SBI_ERR_ALREADY_AVAILABLE,
           "hart_start of a started hart: SBI_ERR_ALREADY_AVAILABLE (%ld)", r.error);

    /* hart_stop, then start again. */
    release[1] = 1;
    s = wait_status(1, SBI_HSM_STATE_STOPPED);
    report(s == SBI_HSM_STATE_STOPPED, "after hart_stop, get_status(1) = STOPPED (%ld)", s);
    report(status_of(2) == SBI_HSM_STATE_STARTED, "the other harts keep running (hart 2: %ld)",
           status_of(2));
    long e = hart_start_on(1, park, NULL, OPAQUE(1, 2));
    report(e == SBI_SUCCESS && started_as(1, OPAQUE(1, 2), 2),
           "a stopped hart starts again, with the new opaque 0x%lx (error %ld)", seen_a1[1], e);
    s = wait_status(1, SBI_HSM_STATE_STARTED);
    report(s == SBI_HSM_STATE_STARTED, "get_status(1) = STARTED again (%ld)", s);
    for (unsigned n = 1; n < nharts; n++) {
        release[n] = 1;
        wait_status(n, SBI_HSM_STATE_STOPPED);
    }

    /* Reserved and unimplemented suspend types (tried on the boot hart). */
    static const unsigned long bad_types[] = { 0x00000001, 0x0fffffff, 0x10000000, 0x7fffffff,
                                               0x80000001, 0x8fffffff, 0x90000000 };
    for (unsigned k = 0; k < ARRAY_SIZE(bad_types); k++) {
        r = sbi_hart_suspend(bad_types[k], (unsigned long)_hart_entry, 0);
        report(r.error == SBI_ERR_INVALID_PARAM, "hart_suspend(type 0x%lx): SBI_ERR_INVALID_PARAM (%ld)",
               bad_types[k], r.error);
    }
    r = sbi_hart_suspend(SBI_HSM_SUSPEND_NON_RET_DEFAULT, 0x1000, 0);
    report(r.error == SBI_ERR_INVALID_ADDRESS,
           "non-retentive hart_suspend resuming at 0x1000: SBI_ERR_INVALID_ADDRESS (%ld)", r.error);

    /* Retentive suspend on hart 1: SUSPENDED until an IPI, then the call returns. */
    e = hart_start_on(1, retentive, NULL, OPAQUE(1, 3));
    report(e == SBI_SUCCESS && wait_count(&phase[1], 1, 1000000), "hart 1 started to suspend");
    s = wait_status(1, SBI_HSM_STATE_SUSPENDED);
    report(s == SBI_HSM_STATE_SUSPENDED, "retentive suspend: get_status(1) = SUSPENDED (%ld)", s);
    delay_ticks(2000);
    report(phase[1] == 1, "the hart stays suspended while no interrupt comes (phase %lu)", phase[1]);
    sbi_send_ipi(1UL << 1, 0);
    bool woke = wait_count(&phase[1], 2, 1000000);
    report(woke && suspend_error[1] == SBI_SUCCESS,
           "an IPI ends the retentive suspend: hart_suspend returns SBI_SUCCESS (%ld)",
           suspend_error[1]);
    report(woke && retained[1], "registers and CSRs were retained across the suspend");
    report(woke && ipis[1] == 1, "the waking IPI is still pending after the return (%lu taken)",
           ipis[1]);
    s = wait_status(1, SBI_HSM_STATE_STARTED);
    report(s == SBI_HSM_STATE_STARTED, "get_status(1) = STARTED after resuming (%ld)", s);
    release[1] = 1;
    wait_status(1, SBI_HSM_STATE_STOPPED);

    /* Non-retentive suspend on hart 2: resumes at resume_addr as a fresh entry. */
    unsigned long before = arrived[2];
    e = hart_start_on(2, non_retentive, NULL, OPAQUE(2, 4));
    report(e == SBI_SUCCESS && wait_count(&phase[2], 3, 1000000), "hart 2 started to suspend");
    s = wait_status(2, SBI_HSM_STATE_SUSPENDED);
    report(s == SBI_HSM_STATE_SUSPENDED, "non-retentive suspend: get_status(2) = SUSPENDED (%ld)", s);
    sbi_send_ipi(1UL << 2, 0);
    woke = wait_count(&phase[2], 4, 1000000);
    report(woke && phase[2] == 4, "an IPI resumes hart 2 at resume_addr (phase %lu)", phase[2]);
    report(woke && arrived[2] == before + 2 && seen_a0[2] == 2 && seen_a1[2] == OPAQUE(2, 7),
           "resume state: a0 = hartid (%lu), a1 = opaque (0x%lx)", seen_a0[2], seen_a1[2]);
    report(woke && seen_satp[2] == 0 && !(seen_sstatus[2] & MSTATUS_SIE),
           "resume state: satp = 0 (0x%lx), sstatus.SIE = 0", seen_satp[2]);
    s = wait_status(2, SBI_HSM_STATE_STARTED);
    report(s == SBI_HSM_STATE_STARTED, "get_status(2) = STARTED after resuming (%ld)", s);
    release[2] = 1;
    s = wait_status(2, SBI_HSM_STATE_STOPPED);
    report(s == SBI_HSM_STATE_STOPPED, "hart 2 stops at the end (%ld)", s);
    return 0;
}
