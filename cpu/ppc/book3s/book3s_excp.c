/* cpu/ppc/book3s/book3s_excp.c: the interrupt router of Book III-S (Power ISA v3.0B Book
 * III-S chapter 7 "Interrupts": 7.2 "Interrupt Registers", 7.3 "Interrupt Synchronization"
 * and 7.4 "Interrupt Classes", 7.5 "Interrupt Definitions" with figure "Interrupt vector
 * offsets" and 7.5 "MSR setting due to interrupt"). Semantic functions only describe an
 * interrupt in c->exc; this file decides where it goes:
 *   - a hypervisor call `sc 1` from privileged non-hypervisor state of a PAPR partition
 *     goes to the machine's hypervisor (PpcCore.hcall), not to a vector: the machine is
 *     the hypervisor (seed 002, the "virtual hypervisor" path);
 *   - `sc 1` from problem state is an ordinary System Call interrupt for the partition's
 *     own OS (a PAPR hypervisor reflects it, so user code cannot make hcalls);
 *   - interrupts of the hypervisor class (HDSI, HEAI, ...) cannot reach a partition whose
 *     hypervisor is the machine; the emulation assistance case becomes the Program
 *     interrupt (illegal instruction) the hypervisor would inject;
 *   - everything else is delivered through SRR0/SRR1 (HSRR0/HSRR1 for hypervisor
 *     interrupts of a CPU that has MSR[HV]), with the new MSR of 7.5 and, for a relocated
 *     context, the Alternate Interrupt Location LPCR[AIL] asks for. */
#include "cpu/ppc/ppc_core.h"
#include "cpu/ppc/booke/booke.h"

/* SRR1 bits 33:36 and 42:47 are set by the interrupt; the others copy the MSR. */
#define SRR1_INTERRUPT_BITS 0x00000000783f0000ULL

/* AIL = 3: vectors at 0xc000000000004000 + offset with MSR[IR DR] = 1. */
#define AIL3_BASE 0xc000000000004000ULL
#define AIL2_BASE 0x0000000000018000ULL

typedef struct ExcInfo {
    uint16_t vector;
    bool hv;       /* hypervisor interrupt: HSRR0/1, MSR[HV] = 1 */
    bool no_ail;   /* taken at the real-mode vector whatever LPCR[AIL] says */
    const char *name;
} ExcInfo;

static const ExcInfo exc_info[PPC_EXC_COUNT] = {
    [PPC_EXC_SYSTEM_RESET] = { 0x100, false, true, "system reset" },
    [PPC_EXC_MACHINE_CHECK] = { 0x200, false, true, "machine check" },
    [PPC_EXC_DSI] = { 0x300, false, false, "data storage" },
    [PPC_EXC_DSEGI] = { 0x380, false, false, "data segment" },
    [PPC_EXC_ISI] = { 0x400, false, false, "instruction storage" },
    [PPC_EXC_ISEGI] = { 0x480, false, false, "instruction segment" },
    [PPC_EXC_EXTERNAL] = { 0x500, false, false, "external" },
    [PPC_EXC_ALIGNMENT] = { 0x600, false, false, "alignment" },
    [PPC_EXC_PROGRAM] = { 0x700, false, false, "program" },
    [PPC_EXC_FP_UNAVAIL] = { 0x800, false, false, "floating-point unavailable" },
    [PPC_EXC_DECREMENTER] = { 0x900, false, false, "decrementer" },
    [PPC_EXC_HDECREMENTER] = { 0x980, true, false, "hypervisor decrementer" },
    [PPC_EXC_DOORBELL] = { 0xa00, false, false, "directed privileged doorbell" },
    [PPC_EXC_SYSCALL] = { 0xc00, false, false, "system call" },
    [PPC_EXC_TRACE] = { 0xd00, false, false, "trace" },
    [PPC_EXC_HDSI] = { 0xe00, true, false, "hypervisor data storage" },
    [PPC_EXC_HISI] = { 0xe20, true, false, "hypervisor instruction storage" },
    [PPC_EXC_HEMULATION] = { 0xe40, true, false, "hypervisor emulation assistance" },
    [PPC_EXC_HMAINT] = { 0xe60, true, true, "hypervisor maintenance" },
    [PPC_EXC_HVIRT] = { 0xea0, true, false, "hypervisor virtualization" },
    [PPC_EXC_PERF_MONITOR] = { 0xf00, false, false, "performance monitor" },
    [PPC_EXC_VMX_UNAVAIL] = { 0xf20, false, false, "vector unavailable" },
    [PPC_EXC_VSX_UNAVAIL] = { 0xf40, false, false, "VSX unavailable" },
    [PPC_EXC_FAC_UNAVAIL] = { 0xf60, false, false, "facility unavailable" },
    [PPC_EXC_HFAC_UNAVAIL] = { 0xf80, true, false, "hypervisor facility unavailable" },
};

static void log_interrupt(PpcCpu *c, const char *name, uint64_t from, uint64_t to)
{
    PpcCore *core = ppc_core(c);
    if (!core->log || !(core->log_mask & PPC_LOG_INT))
        return;
    fprintf(core->log, "cpu%u: interrupt %s at 0x%016llx (msr 0x%016llx) -> 0x%016llx",
            c->index, name, (unsigned long long)from, (unsigned long long)c->msr,
            (unsigned long long)to);
    if (c->exc.kind == PPC_EXC_DSI || c->exc.kind == PPC_EXC_DSEGI ||
        c->exc.kind == PPC_EXC_ALIGNMENT)
        fprintf(core->log, " dar 0x%016llx dsisr 0x%08x", (unsigned long long)c->exc.dar,
                c->exc.dsisr);
    if (c->exc.srr1_bits)
        fprintf(core->log, " srr1 bits 0x%llx", (unsigned long long)c->exc.srr1_bits);
    fputc('\n', core->log);
}

/* The vhyp partition's view: hypervisor-class interrupts become what the hypervisor
 * would deliver in their place. False if the interrupt has no meaning there. */
static bool reflect_for_partition(PpcCpu *c)
{
    switch (c->exc.kind) {
    case PPC_EXC_HEMULATION:
        c->exc.kind = PPC_EXC_PROGRAM;
        c->exc.srr1_bits = SRR1_PROGRAM_ILLEGAL;
        return true;
    case PPC_EXC_HDSI:
        c->exc.kind = PPC_EXC_DSI;
        return true;
    case PPC_EXC_HISI:
        c->exc.kind = PPC_EXC_ISI;
        return true;
    case PPC_EXC_HFAC_UNAVAIL:
        c->exc.kind = PPC_EXC_FAC_UNAVAIL;
        return true;
    case PPC_EXC_HDECREMENTER:
    case PPC_EXC_HMAINT:
    case PPC_EXC_HVIRT:
        return false;
    default:
        return true;
    }
}

/* scv LEV (7.5.15 "System Call Vectored Interrupt"): LR gets the return address and CTR
 * the MSR (SRR1's bits), the new MSR is a system call's but keeps EE and RI, and the
 * vector is 0x17000 + LEV * 0x20 in real mode, or 0xc000000000003000 + LEV * 0x20 with
 * relocation when LPCR[AIL] = 3. */
static void syscall_vectored(PpcCpu *c, uint64_t next, unsigned lev)
{
    c->lr = next;
    c->ctr = c->msr & ~SRR1_INTERRUPT_BITS;
    uint64_t msr = MSR_SF | (c->msr & (MSR_HV | MSR_ME | MSR_EE | MSR_RI));
    if (c->lpcr & LPCR_ILE)
        msr |= MSR_LE;
    uint64_t vector = 0x17000 + 0x20ULL * lev;
    if (((c->lpcr & LPCR_AIL) >> LPCR_AIL_SHIFT) == 3) {
        vector = 0xc000000000003000ULL + 0x20ULL * lev;
        msr |= MSR_IR | MSR_DR;
    }
    log_interrupt(c, "system call vectored", c->nip, vector);
    c->msr = msr;
    c->nip = vector;
    c->resv_addr = ~0ULL;
    c->exc.kind = PPC_EXC_NONE;
}

/* The hypervisor call `sc 1` of a PAPR partition, served by the machine. */
static void hypercall(PpcCpu *c, uint64_t next)
{
    PpcCore *core = ppc_core(c);
    c->nip = next;
    core->hcall(core->hcall_opaque, c);
}

void ppc_deliver(PpcCpu *c)
{
    c->cut = false; /* the handler's first instruction starts a block */
    if (ppc_is_booke(c)) {
        booke_deliver(c);
        return;
    }
    PpcCore *core = ppc_core(c);
    PpcException *e = &c->exc;
    uint64_t from = c->nip;
    uint64_t srr0 = e->nip_set ? e->nip : c->nip;
    bool pr = (c->msr & MSR_PR) != 0;

    /* 1. System call: LEV=1 from privileged state is the hypervisor call. */
    if (e->kind == PPC_EXC_SYSCALL && e->srr1_bits == 1 && !pr) {
        if (core->vhyp && core->hcall) {
            hypercall(c, srr0);
            return;
        }
    }
    if (e->kind == PPC_EXC_SYSCALL_VECTORED) {
        syscall_vectored(c, srr0, (unsigned)e->srr1_bits & 0x7f);
        return;
    }
    bool to_hv = false;
    if (e->kind == PPC_EXC_SYSCALL) {
        to_hv = e->srr1_bits == 1 && !pr && !core->vhyp;
        e->srr1_bits = 0;
    }
    /* 2. A partition of the machine's hypervisor sees no hypervisor interrupts. */
    if (core->vhyp && !reflect_for_partition(c))
        return;
    if (e->kind >= PPC_EXC_COUNT || !exc_info[e->kind].name) {
        fprintf(stderr, "hvemu: cpu%u: interrupt kind %u has no Book III-S vector\n", c->index,
                e->kind);
        core->fatal = true;
        c->stopped = true;
        return;
    }
    const ExcInfo *info = &exc_info[e->kind];
    to_hv = to_hv || (info->hv && !core->vhyp);

    /* 3. Save the context: SRR0/SRR1 (HSRR0/HSRR1), DAR/DSISR. */
    uint64_t srr1 = (c->msr & ~SRR1_INTERRUPT_BITS) | (e->srr1_bits & SRR1_INTERRUPT_BITS);
    if (info->hv && to_hv) {
        c->hsrr0 = srr0;
        c->hsrr1 = srr1;
    } else {
        c->srr0 = srr0;
        c->srr1 = srr1;
    }
    if (e->kind == PPC_EXC_DSI || e->kind == PPC_EXC_DSEGI || e->kind == PPC_EXC_ALIGNMENT ||
        e->kind == PPC_EXC_MACHINE_CHECK) {
        c->dar = e->dar;
        if (e->kind == PPC_EXC_DSI)
            c->dsisr = e->dsisr;
    }

    /* 4. The new MSR (7.5): SF = 1, HV set for a hypervisor interrupt and kept otherwise,
     *    ME kept (cleared by a machine check), LE = LPCR[ILE], everything else 0. */
    uint64_t msr = MSR_SF | (c->msr & (MSR_HV | MSR_ME));
    if (to_hv)
        msr |= MSR_HV;
    if (e->kind == PPC_EXC_MACHINE_CHECK)
        msr &= ~MSR_ME;
    if (c->lpcr & LPCR_ILE)
        msr |= MSR_LE;

    /* 5. The vector: relocated through LPCR[AIL] when the interrupted context had
     *    IR = DR = 1 and the interrupt does not change the hypervisor state. */
    uint64_t vector = info->vector;
    unsigned ail = (unsigned)((c->lpcr & LPCR_AIL) >> LPCR_AIL_SHIFT);
    bool relocated = (c->msr & (MSR_IR | MSR_DR)) == (MSR_IR | MSR_DR);
    if (!info->no_ail && !to_hv && relocated && (ail == 2 || ail == 3)) {
        vector += ail == 3 ? AIL3_BASE : AIL2_BASE;
        msr |= MSR_IR | MSR_DR;
    }
    if (!core->vhyp && (msr & MSR_HV) && !(msr & (MSR_IR | MSR_DR)))
        vector |= c->hrmor;

    log_interrupt(c, info->name, from, vector);
    c->msr = msr;
    c->nip = vector;
    c->resv_addr = ~0ULL;
    e->kind = PPC_EXC_NONE;
}
