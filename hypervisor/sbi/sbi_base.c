/* hypervisor/sbi/sbi_base.c: Base extension (SBI v2.0, chapter 4), EID 0x10. */
#include "hypervisor/sbi/sbi.h"

static SbiRet base_get_spec_version(Sbi *s, RvHart *h, const uint64_t *a) { return (SbiRet){ 0, SBI_SPEC_VERSION }; }
static SbiRet base_get_impl_id(Sbi *s, RvHart *h, const uint64_t *a) { return (SbiRet){ 0, SBI_IMPL_ID_HVEMU }; }
static SbiRet base_get_impl_version(Sbi *s, RvHart *h, const uint64_t *a) { return (SbiRet){ 0, 0x00000100 }; }

static SbiRet base_probe_extension(Sbi *s, RvHart *h, const uint64_t *a)
{
    const SbiExtension *e = sbi_find_extension(a[0]);
    bool present = e && (!e->legacy || a[0] - e->eid_first < e->nfuncs);
    return (SbiRet){ 0, present };
}

/* mvendorid, marchid, mimpid: the values the harts' own CSRs hold (zero). */
static SbiRet base_get_zero(Sbi *s, RvHart *h, const uint64_t *a) { return (SbiRet){ 0, 0 }; }

static const SbiFunc base_funcs[] = {
    [0] = base_get_spec_version,
    [1] = base_get_impl_id,
    [2] = base_get_impl_version,
    [3] = base_probe_extension,
    [4] = base_get_zero,
    [5] = base_get_zero,
    [6] = base_get_zero,
};
static const SbiFuncName base_names[] = {
    [0] = { "get_spec_version", NULL },
    [1] = { "get_impl_id", NULL },
    [2] = { "get_impl_version", NULL },
    [3] = { "probe_extension", "extension_id" },
    [4] = { "get_mvendorid", NULL },
    [5] = { "get_marchid", NULL },
    [6] = { "get_mimpid", NULL },
};


const SbiExtension sbi_ext_base = {
    .name = "base", .eid_first = SBI_EXT_BASE, .eid_last = SBI_EXT_BASE,
    .funcs = base_funcs, .names = base_names, .nfuncs = ARRAY_SIZE(base_funcs),
};
