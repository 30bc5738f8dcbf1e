/* tests/guest/riscv/sbi_susp.c: the System Suspend extension (SBI v2.0, chapter 13).
 * SUSPEND_TO_RAM (sleep type 0) requires every other hart to be STOPPED, else
 * SBI_ERR_DENIED; reserved and unimplemented platform-specific sleep types are
 * SBI_ERR_INVALID_PARAM; a resume address that is not memory is
 * SBI_ERR_INVALID_ADDRESS. A successful suspend resumes, after a wake-up event (here the
 * supervisor timer), at resume_addr in S-mode with satp = 0, sstatus.SIE = 0,
 * a0 = hartid and a1 = opaque. */
#include "guest_riscv.h"
#include "sbi.h"

#define OPAQUE 0x5afe5afe12345678UL

static volatile unsigned long ready, release_secondary;
static unsigned long suspend_time;

static struct sbiret system_suspend(unsigned long type, unsigned long addr, unsigned long opaque)
{
    return sbi_call3(SBI_EXT_SUSP, SBI_SUSP_SYSTEM_SUSPEND, type, addr, opaque);
}

static void secondary(void *arg)
{
    ready = 1;
    while (!release_secondary)
        cpu_relax();
}

static long status_of(unsigned long id)
{
    struct sbiret r = sbi_hart_get_status(id);
    return r.error ? r.error : r.value;
}

/* Where the suspended hart comes back: a fresh entry through _hart_entry. */
static void resumed(void *arg)
{
    struct hart_local *hl = this_hart();
    unsigned long satp = csr_read(satp), sstatus = csr_read(sstatus), now = read_time();
    report(true, "the hart resumed at resume_addr after the suspend");
    report(hl->entry_a0 == guest_boot_hartid, "resume state: a0 = hartid (%lu)", hl->entry_a0);
    report(hl->entry_a1 == OPAQUE, "resume state: a1 = opaque (0x%lx)", hl->entry_a1);
    report(satp == 0, "resume state: satp = 0 (0x%lx)", satp);
    report(!(sstatus & MSTATUS_SIE), "resume state: sstatus.SIE = 0");
    report(now >= suspend_time + 5000, "resumed by the timer event, after its deadline (%lu >= %lu)",
           now, suspend_time + 5000);
    report(status_of(hl->hartid) == SBI_HSM_STATE_STARTED, "get_status(self) = STARTED after resume");
    sbi_set_timer(~0UL);
    report_exit();
}

int main(void)
{
    unsigned long me = hartid();
    struct sbiret r;
    report(fdt_count_children(guest_fdt, "/cpus", "cpu@") == 2, "the FDT lists 2 harts");

    long e = hart_start_on(1, secondary, NULL, 0);
    report(e == SBI_SUCCESS && wait_count(&ready, 1, 1000000), "hart 1 is running");
    this_hart()->entry_fn = resumed;
    r = system_suspend(SBI_SUSP_SLEEP_TYPE_SUSPEND_TO_RAM, (unsigned long)_hart_entry, OPAQUE);
    report(r.error == SBI_ERR_DENIED,
           "SUSPEND_TO_RAM while hart 1 runs: SBI_ERR_DENIED (%ld)", r.error);

    release_secondary = 1;
    unsigned long t0 = read_time();
    while (status_of(1) != SBI_HSM_STATE_STOPPED && read_time() - t0 < 200000)
        cpu_relax();
    report(status_of(1) == SBI_HSM_STATE_STOPPED, "hart 1 stopped through HSM");

    static const unsigned long bad_types[] = { 1, 0x7fffffff, 0x80000000, 0xffffffff };
    for (unsigned k = 0; k < ARRAY_SIZE(bad_types); k++) {
        r = system_suspend(bad_types[k], (unsigned long)_hart_entry, OPAQUE);
        report(r.error == SBI_ERR_INVALID_PARAM,
               "sleep type 0x%lx (reserved or unimplemented): SBI_ERR_INVALID_PARAM (%ld)",
               bad_types[k], r.error);
    }
    r = system_suspend(SBI_SUSP_SLEEP_TYPE_SUSPEND_TO_RAM, 0x1000, OPAQUE);
    report(r.error == SBI_ERR_INVALID_ADDRESS,
           "resume_addr 0x1000 (not memory): SBI_ERR_INVALID_ADDRESS (%ld)", r.error);

    /* Suspend to RAM, woken by the supervisor timer. */
    csr_write(sie, MIP_STIP);
    suspend_time = read_time();
    sbi_set_timer(suspend_time + 5000);
    fence();
    r = system_suspend(SBI_SUSP_SLEEP_TYPE_SUSPEND_TO_RAM, (unsigned long)_hart_entry, OPAQUE);
    report(false, "SUSPEND_TO_RAM with hart %lu alone running returned (error %ld)", me, r.error);
    return 0;
}
