/* hypervisor/sbi/sbi_timer_ipi_rfence.c: the Timer (chapter 6, "TIME"), IPI (chapter 7,
 * "sPI") and RFENCE (chapter 8, "RFNC") extensions of SBI v2.0. Hart sets are a
 * (hart_mask, hart_mask_base) pair; base -1 selects every hart. */
#include "hypervisor/sbi/sbi.h"

static SbiRet time_set_timer(Sbi *s, RvHart *h, const uint64_t *a)
{
    sbi_set_timer(s, h, a[0]);
    return (SbiRet){ 0, 0 };
}

static const SbiFunc time_funcs[] = { [0] = time_set_timer };
static const SbiFuncName time_names[] = {
    [0] = { "set_timer", "stime_value" },
};

const SbiExtension sbi_ext_time = {
    .name = "time", .eid_first = SBI_EXT_TIME, .eid_last = SBI_EXT_TIME,
    .funcs = time_funcs, .names = time_names, .nfuncs = ARRAY_SIZE(time_funcs),
};

static SbiRet ipi_send_ipi(Sbi *s, RvHart *h, const uint64_t *a)
{
    return (SbiRet){ sbi_for_each_hart(s, a[0], a[1], sbi_send_ipi, a), 0 };
}

static const SbiFunc ipi_funcs[] = { [0] = ipi_send_ipi };
static const SbiFuncName ipi_names[] = {
    [0] = { "send_ipi", "hart_mask,hart_mask_base" },
};

const SbiExtension sbi_ext_ipi = {
    .name = "ipi", .eid_first = SBI_EXT_IPI, .eid_last = SBI_EXT_IPI,
    .funcs = ipi_funcs, .names = ipi_names, .nfuncs = ARRAY_SIZE(ipi_funcs),
};

static SbiRet rfence_fence_i(Sbi *s, RvHart *h, const uint64_t *a)
{
    return (SbiRet){ sbi_for_each_hart(s, a[0], a[1], sbi_remote_fence_i, a), 0 };
}

static SbiRet rfence_sfence_vma(Sbi *s, RvHart *h, const uint64_t *a)
{
    return (SbiRet){ sbi_for_each_hart(s, a[0], a[1], sbi_remote_sfence, a), 0 };
}

/* The hypervisor fences (FIDs 3-6) need the H extension in the harts. */
static const SbiFunc rfence_funcs[] = {
    [0] = rfence_fence_i,
    [1] = rfence_sfence_vma,
    [2] = rfence_sfence_vma, /* SFENCE.VMA with ASID: the soft TLB is flushed whole */
};
static const SbiFuncName rfence_names[] = {
    [0] = { "remote_fence_i", "hart_mask,hart_mask_base" },
    [1] = { "remote_sfence_vma", "hart_mask,hart_mask_base,start_addr,size" },
    [2] = { "remote_sfence_vma_asid", "hart_mask,hart_mask_base,start_addr,size,asid" },
};

const SbiExtension sbi_ext_rfence = {
    .name = "rfence", .eid_first = SBI_EXT_RFENCE, .eid_last = SBI_EXT_RFENCE,
    .funcs = rfence_funcs, .names = rfence_names, .nfuncs = ARRAY_SIZE(rfence_funcs),
};
