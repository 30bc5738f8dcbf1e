/* hypervisor/sbi/sbi.c: the SBI dispatcher (SBI v2.0, chapter 3 "Binary Encoding"): a7
 * holds the extension ID, a6 the function ID, a0-a5 the arguments; the result comes back
 * in a0 (error) and a1 (value). Legacy v0.1 calls (EIDs 0x00-0x0F) return in a0 only.
 * Unknown extensions and functions return SBI_ERR_NOT_SUPPORTED, logged once. */
#include "hypervisor/sbi/sbi.h"
#include "cpu/common/state.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static const SbiExtension *const sbi_extensions[] = {
    &sbi_ext_legacy, &sbi_ext_base, &sbi_ext_time, &sbi_ext_ipi, &sbi_ext_rfence,
    &sbi_ext_hsm, &sbi_ext_srst, &sbi_ext_dbcn, &sbi_ext_susp,
};

const SbiExtension *sbi_find_extension(uint64_t eid)
{
    for (unsigned k = 0; k < ARRAY_SIZE(sbi_extensions); k++)
        if (eid >= sbi_extensions[k]->eid_first && eid <= sbi_extensions[k]->eid_last)
            return sbi_extensions[k];
    return NULL;
}

static void timer_fire(void *opaque, uint64_t now)
{
    SbiHart *sh = opaque;
    rv_hart_set_irq(sh->hart, IRQ_S_TIMER, true);
}

void sbi_init(Sbi *s, RvCore *core, const SbiPlatform *plat)
{
    for (unsigned a = 0; a < ARRAY_SIZE(sbi_extensions); a++)
        for (unsigned b = a + 1; b < ARRAY_SIZE(sbi_extensions); b++) {
            const SbiExtension *x = sbi_extensions[a], *y = sbi_extensions[b];
            if (x->eid_first <= y->eid_last && y->eid_first <= x->eid_last) {
                fprintf(stderr, "hvemu: SBI extensions %s and %s overlap\n", x->name, y->name);
                abort();
            }
        }
    memset(s, 0, sizeof(*s));
    s->core = core;
    s->plat = *plat;
    for (unsigned n = 0; n < core->nharts && n < SBI_MAX_HARTS; n++) {
        SbiHart *sh = &s->harts[n];
        sh->hart = core->harts[n];
        sh->sbi = s;
        sh->state = SBI_HSM_STOPPED;
        vtimer_init(&sh->timer, timer_fire, sh);
    }
}

/* What KVM RISC-V sets up for a vCPU before its first entry (hedeleg and hideleg as its
 * defaults: the guest's own exceptions and VS interrupts stay in VS-mode), with the hart
 * entering VS-mode at once: hstatus with SPV/SPVP (VTW left clear, so WFI simply waits and
 * VGEIN selecting guest external line 1, the PLIC's S contexts), every counter readable,
 * henvcfg.STCE so the guest's stimecmp is vstimecmp, the G-stage under s->hgatp, and the
 * HS-level FS on so the guest's vsstatus.FS alone decides. */
static void sbi_prepare_vs(Sbi *s, RvHart *h)
{
    h->hedeleg = (1u << EXC_INSN_MISALIGNED) | (1u << EXC_ILLEGAL_INSN) |
                 (1u << EXC_BREAKPOINT) | (1u << EXC_ECALL_U) | (1u << EXC_INSN_PAGE_FAULT) |
                 (1u << EXC_LOAD_PAGE_FAULT) | (1u << EXC_STORE_PAGE_FAULT);
    h->hideleg = VSIP_MASK;
    h->hstatus = (h->hstatus & HSTATUS_VSXL) | HSTATUS_SPV | HSTATUS_SPVP |
                 (1ULL << HSTATUS_VGEIN_SHIFT);
    h->hcounteren = 0xffffffff;
    h->henvcfg = MENVCFG_CBIE | MENVCFG_CBCFE | MENVCFG_CBZE |
                 (s->core->has_sstc ? HENVCFG_STCE : 0);
    h->hgatp = s->hgatp;
    h->htimedelta = 0;
    h->hvip = 0;
    h->hgeie = 0;
    h->vsstatus = 2ULL << 32; /* UXL = 64 */
    h->vsatp = h->vstvec = h->vsscratch = h->vsepc = h->vscause = h->vstval = 0;
    h->vstimecmp = ~0ULL;
    if (!(h->mstatus & MSTATUS_FS))
        h->mstatus |= 1ULL << 13; /* FS = Initial */
    h->virt = true;
}

/* OpenSBI leaves the same: S-mode gets its interrupts and the exceptions it can handle,
 * the counters are readable, Sstc and the cache-block operations are enabled. */
void sbi_prepare_hart(Sbi *s, RvHart *h)
{
    h->mideleg |= MIP_SSIP | MIP_STIP | MIP_SEIP; /* (the H extension's VS bits are fixed) */
    h->medeleg = (1u << EXC_INSN_MISALIGNED) | (1u << EXC_INSN_ACCESS) |
                 (1u << EXC_ILLEGAL_INSN) | (1u << EXC_BREAKPOINT) |
                 (1u << EXC_LOAD_MISALIGNED) | (1u << EXC_LOAD_ACCESS) |
                 (1u << EXC_STORE_MISALIGNED) | (1u << EXC_STORE_ACCESS) |
                 (1u << EXC_ECALL_U) | (1u << EXC_INSN_PAGE_FAULT) |
                 (1u << EXC_LOAD_PAGE_FAULT) | (1u << EXC_STORE_PAGE_FAULT);
    /* With the H extension the hypervisor in HS-mode gets its guests' traps too. */
    if (h->misa & MISA_H)
        h->medeleg |= (1u << EXC_ECALL_VS) | (1u << EXC_INSN_GUEST_PAGE_FAULT) |
                      (1u << EXC_LOAD_GUEST_PAGE_FAULT) | (1u << EXC_VIRTUAL_INSN) |
                      (1u << EXC_STORE_GUEST_PAGE_FAULT);
    h->mcounteren = 0xffffffff;
    h->menvcfg = MENVCFG_CBIE | MENVCFG_CBCFE | MENVCFG_CBZE |
                 (s->core->has_sstc ? MENVCFG_STCE : 0);
    h->mie = 0;
    h->mstatus &= ~(MSTATUS_MIE | MSTATUS_SIE | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR);
    h->priv = RV_PRIV_S;
    h->satp = 0;
    if (s->hv)
        sbi_prepare_vs(s, h);
    rv_tlb_flush(h);
    rv_update_mmu_idx(h);
    rv_update_stip(h);
    if (s->hv)
        rv_update_vstip(h);
}

RvHart *sbi_hart(Sbi *s, uint64_t hartid)
{
    return hartid < s->core->nharts && hartid < SBI_MAX_HARTS ? s->core->harts[hartid] : NULL;
}

int64_t sbi_for_each_hart(Sbi *s, uint64_t mask, uint64_t base,
                          void (*fn)(Sbi *s, RvHart *target, const uint64_t *a), const uint64_t *a)
{
    if (base == UINT64_MAX) {
        for (unsigned n = 0; n < s->core->nharts; n++)
            fn(s, s->core->harts[n], a);
        return SBI_SUCCESS;
    }
    for (unsigned bit = 0; bit < 64; bit++)
        if (((mask >> bit) & 1) && (base + bit < base || !sbi_hart(s, base + bit)))
            return SBI_ERR_INVALID_PARAM;
    for (unsigned bit = 0; bit < 64; bit++)
        if ((mask >> bit) & 1)
            fn(s, sbi_hart(s, base + bit), a);
    return SBI_SUCCESS;
}

void sbi_set_timer(Sbi *s, RvHart *h, uint64_t stime)
{
    SbiHart *sh = &s->harts[h->index];
    if (s->hv) {
        /* The guest's time is time + htimedelta, which vstimecmp compares against. */
        h->hvip &= ~MIP_VSTIP;
        h->vstimecmp = stime;
        rv_update_vstip(h);
        return;
    }
    uint64_t tick = s->core->ns_per_mtime_tick;
    rv_hart_set_irq(h, IRQ_S_TIMER, false);
    if (stime <= rv_hart_time(h)) {
        vtimer_disarm(s->core->clock, &sh->timer);
        rv_hart_set_irq(h, IRQ_S_TIMER, true);
    } else if (stime > UINT64_MAX / tick) {
        vtimer_disarm(s->core->clock, &sh->timer);
    } else {
        vtimer_arm(s->core->clock, &sh->timer, stime * tick);
    }
}

/* With hv, the guest's SSIP is hvip.VSSIP (8.2.3). */
void sbi_send_ipi(Sbi *s, RvHart *target, const uint64_t *a)
{
    if (s->hv) {
        target->hvip |= MIP_VSSIP;
        rv_update_mip(target);
        return;
    }
    rv_hart_set_irq(target, IRQ_S_SOFT, true);
}

void sbi_clear_ipi(Sbi *s, RvHart *h)
{
    if (s->hv)
        h->hvip &= ~MIP_VSSIP;
    else
        h->mip_sw &= ~MIP_SSIP;
    rv_update_mip(h);
}

/* SFENCE.VMA on the target for every address and ASID (the ranges and the ASID are not
 * used to narrow it). With hv, what HFENCE.VVMA does for the guest's VMID: its VS-stage
 * translations go. */
void sbi_remote_sfence(Sbi *s, RvHart *target, const uint64_t *a)
{
    if (s->hv)
        rv_tlb_fence(target, &(RvFence){
            .side = RV_TLB_VIRT, .by_vmid = true,
            .vmid = (target->hgatp & HGATP_VMID_MASK) >> HGATP_VMID_SHIFT });
    else
        rv_tlb_flush_side(target, RV_TLB_HOST);
}

static uint8_t *gstage_pte(void *opaque, uint64_t pa)
{
    return pa & 7 ? NULL : bus_ram_ptr(opaque, pa, 8);
}

/* With hv, each 4 KiB page of the range goes through the G-stage and must land in RAM
 * right after the previous one. */
uint8_t *sbi_guest_ram(Sbi *s, uint64_t addr, uint64_t len, RvPtAccess acc, uint64_t *pa)
{
    if (len == 0 || addr + len < addr)
        return NULL;
    uint64_t first = addr;
    if (s->hv) {
        PtMem mem = { .pte_ptr = gstage_pte, .opaque = s->core->bus };
        RvGXlate x = { .access = acc };
        for (uint64_t page = addr & ~0xfffULL; page < addr + len; page += 4096) {
            RvPtWalk w;
            if (rv_pt_gstage_walk(&mem, s->hgatp, page, &x, &w) != RV_PT_OK)
                return NULL;
            if (page == (addr & ~0xfffULL))
                first = w.pa | (addr & 0xfff);
            else if (w.pa != (first & ~0xfffULL) + (page - (addr & ~0xfffULL)))
                return NULL;
            if (page + 4096 < page)
                break;
        }
    }
    if (pa)
        *pa = first;
    return bus_ram_ptr(s->core->bus, first, len);
}

void sbi_remote_fence_i(Sbi *s, RvHart *target, const uint64_t *a)
{
    /* Stores to code drop translated blocks as they happen: nothing is stale. */
}

static void warn_unknown(Sbi *s, uint64_t eid, uint64_t fid)
{
    for (unsigned k = 0; k < s->nwarned; k++)
        if (s->warned[k] == eid)
            return;
    if (s->nwarned < ARRAY_SIZE(s->warned))
        s->warned[s->nwarned++] = eid;
    FILE *log = s->log_unimp ? s->log_unimp : s->log;
    if (log)
        fprintf(log, "sbi: unsupported call eid=0x%" PRIx64 " fid=%" PRIu64 "\n", eid, fid);
}

static const char *error_name(int64_t e)
{
    static const char *const names[] = {
        "SBI_SUCCESS", "SBI_ERR_FAILED", "SBI_ERR_NOT_SUPPORTED", "SBI_ERR_INVALID_PARAM",
        "SBI_ERR_DENIED", "SBI_ERR_INVALID_ADDRESS", "SBI_ERR_ALREADY_AVAILABLE",
        "SBI_ERR_ALREADY_STARTED", "SBI_ERR_ALREADY_STOPPED", "SBI_ERR_NO_SHMEM",
    };
    return e <= 0 && -e < (int64_t)ARRAY_SIZE(names) ? names[-e] : "?";
}

/* -d sbi: "sbi: hart0 VS hsm.hart_start(hartid=0x1, ...) -> SBI_SUCCESS, value 0x0". The
 * arguments are a0.. as the caller passed them; a call that ends elsewhere (a reset, a
 * redirected trap, a new pc) says so instead of a result. */
static void log_call(Sbi *s, const RvHart *h, const SbiExtension *ext, uint64_t index,
                     uint64_t eid, uint64_t fid, const uint64_t *a, SbiRet r)
{
    FILE *f = s->log;
    const SbiFuncName *fn = ext && ext->names && index < ext->nfuncs ? &ext->names[index] : NULL;
    fprintf(f, "sbi: hart%u %s ", h->index, h->virt ? "VS" : "S");
    if (fn && fn->name)
        fprintf(f, "%s.%s(", ext->name, fn->name);
    else
        fprintf(f, "%s eid=0x%" PRIx64 " fid=%" PRIu64 "(", ext ? ext->name : "?", eid, fid);
    unsigned n = 0;
    for (const char *p = fn ? fn->args : NULL; p && *p && n < 6; n++) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        fprintf(f, "%s%.*s=0x%" PRIx64, n ? ", " : "", (int)len, p, a[n]);
        p = end ? end + 1 : p + len;
    }
    if (r.error == SBI_TRAP_REDIRECT)
        fputs(") -> redirected as a trap\n", f);
    else if (r.error == SBI_PC_SET)
        fputs(") -> continues at a new pc\n", f);
    else if (ext && ext->legacy)
        fprintf(f, ") -> a0 = 0x%" PRIx64 "\n", (uint64_t)(r.error ? r.error : r.value));
    else
        fprintf(f, ") -> %s (%" PRId64 "), value 0x%" PRIx64 "\n", error_name(r.error), r.error,
                (uint64_t)r.value);
}

RvStatus sbi_call(void *opaque, RvHart *h)
{
    Sbi *s = opaque;
    uint64_t eid = h->x[17], fid = h->x[16];
    const uint64_t *a = &h->x[10];
    const SbiExtension *ext = sbi_find_extension(eid);
    uint64_t index = ext && ext->legacy ? eid - ext->eid_first : fid;
    SbiRet r;
    uint64_t in[6];
    memcpy(in, a, sizeof(in));
    if (ext && index < ext->nfuncs && ext->funcs[index]) {
        r = ext->funcs[index](s, h, a);
    } else {
        warn_unknown(s, eid, fid);
        r = (SbiRet){ SBI_ERR_NOT_SUPPORTED, 0 };
    }
    if (s->log)
        log_call(s, h, ext, index, eid, fid, in, r);
    if (r.error == SBI_TRAP_REDIRECT)
        return RV_TRAP;
    if (r.error == SBI_PC_SET)
        return RV_JUMP;
    if (ext && ext->legacy) {
        h->x[10] = (uint64_t)(r.error ? r.error : r.value);
    } else {
        h->x[10] = (uint64_t)r.error;
        h->x[11] = (uint64_t)r.value;
    }
    return RV_NEXT;
}

void sbi_save(const Sbi *s, StateW *w)
{
    sw_u64(w, s->hgatp);
    for (unsigned n = 0; n < s->core->nharts && n < SBI_MAX_HARTS; n++) {
        sw_u32(w, s->harts[n].state);
        sw_timer(w, &s->harts[n].timer);
    }
}

void sbi_load(Sbi *s, StateR *r)
{
    s->hgatp = sr_u64(r);
    for (unsigned n = 0; n < s->core->nharts && n < SBI_MAX_HARTS; n++) {
        s->harts[n].state = sr_u32(r);
        sr_timer(r, s->core->clock, &s->harts[n].timer);
    }
}
