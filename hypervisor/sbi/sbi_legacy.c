/* hypervisor/sbi/sbi_legacy.c: the legacy SBI v0.1 calls (SBI v2.0, chapter 5), EIDs
 * 0x00-0x08, with the semantics a hypervisor gives them (shared/seeds/003): the hart mask
 * argument of SEND_IPI and the remote fences is a pointer read through the caller's own
 * address translation; a fault reading it is delivered back to the caller, as real
 * firmware does. The result is returned in a0 alone. */
#include "hypervisor/sbi/sbi.h"

static SbiRet legacy_set_timer(Sbi *s, RvHart *h, const uint64_t *a)
{
    sbi_set_timer(s, h, a[0]);
    return (SbiRet){ 0, 0 };
}

static SbiRet legacy_console_putchar(Sbi *s, RvHart *h, const uint64_t *a)
{
    s->plat.putchar(s->plat.opaque, (uint8_t)a[0]);
    return (SbiRet){ 0, 0 };
}

static SbiRet legacy_console_getchar(Sbi *s, RvHart *h, const uint64_t *a)
{
    return (SbiRet){ 0, s->plat.getchar(s->plat.opaque) };
}

static SbiRet legacy_clear_ipi(Sbi *s, RvHart *h, const uint64_t *a)
{
    sbi_clear_ipi(s, h);
    return (SbiRet){ 0, 0 };
}

/* Reads the unsigned long hart mask at the guest virtual address a[0]. A null pointer
 * means every hart. */
static SbiRet with_hart_mask(Sbi *s, RvHart *h, const uint64_t *a,
                             void (*fn)(Sbi *s, RvHart *t, const uint64_t *a))
{
    if (a[0] == 0)
        return (SbiRet){ sbi_for_each_hart(s, 0, UINT64_MAX, fn, a), 0 };
    uint64_t mask;
    if (rv_load(h, a[0], 8, &mask) != RV_NEXT)
        return (SbiRet){ SBI_TRAP_REDIRECT, 0 };
    return (SbiRet){ sbi_for_each_hart(s, mask, 0, fn, a), 0 };
}

static SbiRet legacy_send_ipi(Sbi *s, RvHart *h, const uint64_t *a)
{
    return with_hart_mask(s, h, a, sbi_send_ipi);
}

static SbiRet legacy_remote_fence_i(Sbi *s, RvHart *h, const uint64_t *a)
{
    return with_hart_mask(s, h, a, sbi_remote_fence_i);
}

static SbiRet legacy_remote_sfence_vma(Sbi *s, RvHart *h, const uint64_t *a)
{
    return with_hart_mask(s, h, a, sbi_remote_sfence);
}

static SbiRet legacy_shutdown(Sbi *s, RvHart *h, const uint64_t *a)
{
    s->plat.shutdown(s->plat.opaque, 0);
    for (unsigned n = 0; n < s->core->nharts; n++)
        s->core->harts[n]->stopped = true;
    return (SbiRet){ 0, 0 };
}

static const SbiFunc legacy_funcs[] = {
    [0x00] = legacy_set_timer,
    [0x01] = legacy_console_putchar,
    [0x02] = legacy_console_getchar,
    [0x03] = legacy_clear_ipi,
    [0x04] = legacy_send_ipi,
    [0x05] = legacy_remote_fence_i,
    [0x06] = legacy_remote_sfence_vma,
    [0x07] = legacy_remote_sfence_vma, /* with ASID: the whole soft TLB is flushed */
    [0x08] = legacy_shutdown,
};
static const SbiFuncName legacy_names[] = {
    [0] = { "set_timer", "stime_value" },
    [1] = { "console_putchar", "ch" },
    [2] = { "console_getchar", NULL },
    [3] = { "clear_ipi", NULL },
    [4] = { "send_ipi", "hart_mask_addr" },
    [5] = { "remote_fence_i", "hart_mask_addr" },
    [6] = { "remote_sfence_vma", "hart_mask_addr,start,size" },
    [7] = { "remote_sfence_vma_asid", "hart_mask_addr,start,size,asid" },
    [8] = { "shutdown", NULL },
};

const SbiExtension sbi_ext_legacy = {
    .name = "legacy", .eid_first = 0x00, .eid_last = SBI_EXT_LEGACY_LAST,
    .funcs = legacy_funcs, .names = legacy_names, .nfuncs = ARRAY_SIZE(legacy_funcs), .legacy = true,
};
