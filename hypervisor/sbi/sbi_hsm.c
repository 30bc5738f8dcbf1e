/* hypervisor/sbi/sbi_hsm.c: Hart State Management extension (SBI v2.0, chapter 9). A
 * started hart enters S-mode at start_addr with a0 = hartid, a1 = opaque, satp = 0 and
 * sstatus.SIE = 0 (9.1). Suspension: retentive suspend is a WFI that returns; the
 * non-retentive kind resumes at resume_addr as a fresh start does. */
#include "hypervisor/sbi/sbi.h"

static void enter_s_mode(Sbi *s, RvHart *h, uint64_t addr, uint64_t opaque)
{
    sbi_prepare_hart(s, h);
    h->pc = addr;
    h->x[10] = h->mhartid;
    h->x[11] = opaque;
}

static SbiRet hsm_hart_start(Sbi *s, RvHart *h, const uint64_t *a)
{
    RvHart *t = sbi_hart(s, a[0]);
    if (!t)
        return (SbiRet){ SBI_ERR_INVALID_PARAM, 0 };
    SbiHart *st = &s->harts[t->index];
    if (st->state != SBI_HSM_STOPPED)
        return (SbiRet){ SBI_ERR_ALREADY_AVAILABLE, 0 };
    if (a[1] & 1 || !sbi_guest_ram(s, a[1], 2, RV_PT_EXEC, NULL))
        return (SbiRet){ SBI_ERR_INVALID_ADDRESS, 0 };
    enter_s_mode(s, t, a[1], a[2]);
    t->stopped = false;
    t->wfi = false;
    st->state = SBI_HSM_STARTED;
    return (SbiRet){ 0, 0 };
}

static SbiRet hsm_hart_stop(Sbi *s, RvHart *h, const uint64_t *a)
{
    s->harts[h->index].state = SBI_HSM_STOPPED;
    h->stopped = true;
    return (SbiRet){ 0, 0 };
}

static SbiRet hsm_hart_get_status(Sbi *s, RvHart *h, const uint64_t *a)
{
    RvHart *t = sbi_hart(s, a[0]);
    if (!t)
        return (SbiRet){ SBI_ERR_INVALID_PARAM, 0 };
    SbiHart *st = &s->harts[t->index];
    /* A suspended hart resumes by itself when an interrupt wakes it. */
    if (st->state == SBI_HSM_SUSPENDED && !t->wfi)
        st->state = SBI_HSM_STARTED;
    return (SbiRet){ 0, st->state };
}

#define HSM_SUSPEND_RETENTIVE 0x00000000u
#define HSM_SUSPEND_NON_RETENTIVE 0x80000000u

static SbiRet hsm_hart_suspend(Sbi *s, RvHart *h, const uint64_t *a)
{
    uint32_t type = (uint32_t)a[0];
    if (a[0] > UINT32_MAX ||
        (type != HSM_SUSPEND_RETENTIVE && type != HSM_SUSPEND_NON_RETENTIVE))
        return (SbiRet){ SBI_ERR_INVALID_PARAM, 0 };
    SbiHart *st = &s->harts[h->index];
    if (type == HSM_SUSPEND_NON_RETENTIVE) {
        if (a[1] & 1 || !sbi_guest_ram(s, a[1], 2, RV_PT_EXEC, NULL))
            return (SbiRet){ SBI_ERR_INVALID_ADDRESS, 0 };
        /* The interrupts enabled at suspend are the wake-up events. */
        uint64_t mie = h->mie;
        enter_s_mode(s, h, a[1], a[2]);
        h->mie = mie;
        h->wfi = !rv_hart_interrupt_pending(h);
        st->state = h->wfi ? SBI_HSM_SUSPENDED : SBI_HSM_STARTED;
        return (SbiRet){ SBI_PC_SET, 0 };
    }
    h->wfi = !rv_hart_interrupt_pending(h);
    st->state = h->wfi ? SBI_HSM_SUSPENDED : SBI_HSM_STARTED;
    return (SbiRet){ 0, 0 };
}

static const SbiFunc hsm_funcs[] = {
    [0] = hsm_hart_start,
    [1] = hsm_hart_stop,
    [2] = hsm_hart_get_status,
    [3] = hsm_hart_suspend,
};
static const SbiFuncName hsm_names[] = {
    [0] = { "hart_start", "hartid,start_addr,opaque" },
    [1] = { "hart_stop", NULL },
    [2] = { "hart_get_status", "hartid" },
    [3] = { "hart_suspend", "suspend_type,resume_addr,opaque" },
};

const SbiExtension sbi_ext_hsm = {
    .name = "hsm", .eid_first = SBI_EXT_HSM, .eid_last = SBI_EXT_HSM,
    .funcs = hsm_funcs, .names = hsm_names, .nfuncs = ARRAY_SIZE(hsm_funcs),
};
