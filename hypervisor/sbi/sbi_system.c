/* hypervisor/sbi/sbi_system.c: System Reset (SBI v2.0, chapter 10, "SRST"), Debug Console
 * (chapter 12, "DBCN") and System Suspend (chapter 13, "SUSP"). DBCN buffers are physical
 * addresses (guest-physical under the built-in hypervisor), checked against RAM before any
 * byte moves. */
#include "hypervisor/sbi/sbi.h"

#define SRST_TYPE_SHUTDOWN 0
#define SRST_TYPE_COLD_REBOOT 1
#define SRST_TYPE_WARM_REBOOT 2
#define SRST_REASON_NONE 0
#define SRST_REASON_SYSFAIL 1

static SbiRet srst_system_reset(Sbi *s, RvHart *h, const uint64_t *a)
{
    if (a[0] > SRST_TYPE_WARM_REBOOT)
        return (SbiRet){ SBI_ERR_INVALID_PARAM, 0 };
    if (a[1] > SRST_REASON_SYSFAIL && a[1] < 0xe0000000)
        return (SbiRet){ SBI_ERR_INVALID_PARAM, 0 };
    if (a[0] == SRST_TYPE_SHUTDOWN)
        s->plat.shutdown(s->plat.opaque, a[1] == SRST_REASON_NONE ? 0 : 1);
    else
        s->plat.reset(s->plat.opaque);
    for (unsigned n = 0; n < s->core->nharts; n++)
        s->core->harts[n]->stopped = true;
    return (SbiRet){ 0, 0 };
}

static const SbiFunc srst_funcs[] = { [0] = srst_system_reset };
static const SbiFuncName srst_names[] = {
    [0] = { "system_reset", "reset_type,reset_reason" },
};

const SbiExtension sbi_ext_srst = {
    .name = "srst", .eid_first = SBI_EXT_SRST, .eid_last = SBI_EXT_SRST,
    .funcs = srst_funcs, .names = srst_names, .nfuncs = ARRAY_SIZE(srst_funcs),
};

/* a0 = number of bytes, a1 = low, a2 = high bits of the physical address. */
static uint8_t *dbcn_buffer(Sbi *s, const uint64_t *a, RvPtAccess acc, uint64_t *pa)
{
    return a[2] ? NULL : sbi_guest_ram(s, a[1], a[0] ? a[0] : 1, acc, pa);
}

static SbiRet dbcn_console_write(Sbi *s, RvHart *h, const uint64_t *a)
{
    uint8_t *p = dbcn_buffer(s, a, RV_PT_READ, NULL);
    if (!p)
        return (SbiRet){ SBI_ERR_INVALID_PARAM, 0 };
    for (uint64_t k = 0; k < a[0]; k++)
        s->plat.putchar(s->plat.opaque, p[k]);
    return (SbiRet){ 0, (int64_t)a[0] };
}

static SbiRet dbcn_console_read(Sbi *s, RvHart *h, const uint64_t *a)
{
    uint64_t pa;
    uint8_t *p = dbcn_buffer(s, a, RV_PT_WRITE, &pa);
    if (!p)
        return (SbiRet){ SBI_ERR_INVALID_PARAM, 0 };
    uint64_t n = 0;
    while (n < a[0]) {
        int c = s->plat.getchar(s->plat.opaque);
        if (c < 0)
            break;
        p[n++] = (uint8_t)c;
    }
    if (n)
        rv_code_written(s->core, pa, n);
    return (SbiRet){ 0, (int64_t)n };
}

static SbiRet dbcn_console_write_byte(Sbi *s, RvHart *h, const uint64_t *a)
{
    s->plat.putchar(s->plat.opaque, (uint8_t)a[0]);
    return (SbiRet){ 0, 0 };
}

static const SbiFunc dbcn_funcs[] = {
    [0] = dbcn_console_write,
    [1] = dbcn_console_read,
    [2] = dbcn_console_write_byte,
};
static const SbiFuncName dbcn_names[] = {
    [0] = { "console_write", "num_bytes,base_addr_lo,base_addr_hi" },
    [1] = { "console_read", "num_bytes,base_addr_lo,base_addr_hi" },
    [2] = { "console_write_byte", "byte" },
};

const SbiExtension sbi_ext_dbcn = {
    .name = "dbcn", .eid_first = SBI_EXT_DBCN, .eid_last = SBI_EXT_DBCN,
    .funcs = dbcn_funcs, .names = dbcn_names, .nfuncs = ARRAY_SIZE(dbcn_funcs),
};

/* SUSP: suspend-to-RAM (sleep type 0) is allowed only when every other hart is stopped;
 * the hart resumes at resume_addr like a non-retentive HSM suspend once an interrupt it
 * enabled is pending. */
static SbiRet susp_system_suspend(Sbi *s, RvHart *h, const uint64_t *a)
{
    if (a[0] > UINT32_MAX || a[0] != 0)
        return (SbiRet){ SBI_ERR_INVALID_PARAM, 0 };
    for (unsigned n = 0; n < s->core->nharts; n++)
        if (n != h->index && s->harts[n].state != SBI_HSM_STOPPED)
            return (SbiRet){ SBI_ERR_DENIED, 0 };
    if (a[1] & 1 || !sbi_guest_ram(s, a[1], 2, RV_PT_EXEC, NULL))
        return (SbiRet){ SBI_ERR_INVALID_ADDRESS, 0 };
    uint64_t mie = h->mie;
    sbi_prepare_hart(s, h);
    h->mie = mie;
    h->pc = a[1];
    h->x[10] = h->mhartid;
    h->x[11] = a[2];
    h->wfi = !rv_hart_interrupt_pending(h);
    return (SbiRet){ SBI_PC_SET, 0 };
}

static const SbiFunc susp_funcs[] = { [0] = susp_system_suspend };
static const SbiFuncName susp_names[] = {
    [0] = { "system_suspend", "sleep_type,resume_addr,opaque" },
};

const SbiExtension sbi_ext_susp = {
    .name = "susp", .eid_first = SBI_EXT_SUSP, .eid_last = SBI_EXT_SUSP,
    .funcs = susp_funcs, .names = susp_names, .nfuncs = ARRAY_SIZE(susp_funcs),
};
