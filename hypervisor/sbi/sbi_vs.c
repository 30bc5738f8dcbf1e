/* hypervisor/sbi/sbi_vs.c: the exits of the built-in hypervisor (`-M virt,hv=on`), where
 * hvemu plays the part KVM RISC-V plays for a VS-mode guest (Volume II 1.12, chapter 8;
 * SBI v2.0 for the calls; shared/seeds/003 for what the guest's ecalls mean). A trap from
 * V=1 that hedeleg/hideleg keep in HS-mode arrives here from the hart's trap router
 * (RvEnvOps.hv_exit) with the hart still in VS/VU-mode at the trapping pc:
 * 1. an ECALL from VS-mode is an SBI call, served by the same tables as the bare machine's
 *    with VS semantics (sbi.c: the VS timer, hvip.VSSIP, VS-stage fences, guest-physical
 *    addresses, guest pointers read through the guest's own two-stage translation);
 * 2. a guest-page fault is a guest touching a GPA nothing maps: an access fault of the same
 *    kind, injected into the guest, as a bus error would be on a machine of its own;
 * 3. a virtual-instruction exception is the guest using what it does not have (no H of its
 *    own, no HS CSRs): an illegal instruction, injected;
 * 4. any other exception (access faults, misaligned data) is the guest's own, redirected
 *    to VS-mode as it came;
 * 5. HS-level interrupts are never enabled for the guest; one arriving is fatal. */
#include "hypervisor/sbi/sbi.h"

/* Redirects an exception to the guest, translating the causes VS-mode never sees. */
static void reflect(RvHart *h, uint64_t cause, uint64_t tval)
{
    switch (cause) {
    case EXC_INSN_GUEST_PAGE_FAULT: cause = EXC_INSN_ACCESS; break;
    case EXC_LOAD_GUEST_PAGE_FAULT: cause = EXC_LOAD_ACCESS; break;
    case EXC_STORE_GUEST_PAGE_FAULT: cause = EXC_STORE_ACCESS; break;
    case EXC_VIRTUAL_INSN: cause = EXC_ILLEGAL_INSN; break;
    default: break;
    }
    rv_inject_vs_trap(h, cause, tval);
}

void sbi_hv_exit(void *opaque, RvHart *h, const RvException *e)
{
    Sbi *s = opaque;
    if (e->cause & CAUSE_INTERRUPT) {
        fprintf(stderr, "hvemu: hart %u: HS-level interrupt %llu taken from the guest, which "
                "the built-in hypervisor never enables\n", h->index,
                (unsigned long long)(e->cause & 63));
        h->stopped = true;
        s->core->fatal = true;
        return;
    }
    if (e->cause != EXC_ECALL_VS) {
        reflect(h, e->cause, e->tval);
        return;
    }
    RvStatus st = sbi_call(s, h);
    if (st == RV_NEXT)
        h->pc += 4;
    else if (st == RV_TRAP) /* reading a guest pointer faulted: the guest gets the fault */
        reflect(h, h->exc.cause, h->exc.tval);
    /* RV_JUMP: the call moved the hart (non-retentive suspend) */
}
