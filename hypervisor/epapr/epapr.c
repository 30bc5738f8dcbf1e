/* hypervisor/epapr/epapr.c: the exits of an e500mc guest to hvemu's hypervisor (see
 * epapr.h): the dispatcher PpcCore.hv_exit calls, the reflection of interrupts into the
 * guest through its own IVPR/IVORn (kept here: the hardware's GIVORs exist only for the
 * interrupts E.HV sends to the guest directly), and the emulation of the instructions
 * guest state may not execute (Power ISA 2.06B Book III-E with E.HV: tlbwe, tlbre, tlbsx,
 * tlbivax, tlbilx, tlbsync; mtspr/mfspr of hypervisor SPRs; rfci, rfmci, rfdi; msgsnd,
 * msgclr), done the way KVM e500mc does it (Linux arch/powerpc/kvm/e500_emulate.c,
 * e500_mmu.c, booke_emulate.c). What cannot be emulated is injected as a Program
 * interrupt (ESR[PIL]) with a rate-limited log line (seed 001). */
#include "hypervisor/epapr/epapr.h"
#include "cpu/common/state.h"

#include "cpu/ppc/ppc_decode.h"

#include "cpu/ppc/booke/booke.h"
#include "cpu/ppc/ppc_spr.h"
#include "devices/dev_fdt.h"

#include <libfdt.h>

#define EMUL_LOG_FIRST 10        /* failures logged one by one, then every EMUL_LOG_EVERY */
#define EMUL_LOG_EVERY 1000

static EpaprVcpu *vcpu_of(Epapr *h, const PpcCpu *c)
{
    return &h->vcpu[c->index < EPAPR_MAX_CPUS ? c->index : 0];
}

/* Delivers e into the guest through the guest's IVPR and IVORn. */
static void reflect(Epapr *h, PpcCpu *c, const PpcException *e, unsigned ivor)
{
    EpaprVcpu *v = vcpu_of(h, c);
    uint64_t vector = (v->ivpr & 0xffff0000u) | (v->ivor[ivor & 63] & 0xfff0u);
    if (h->log)
        fprintf(h->log, "cpu%u: ehv:   reflected into the guest as %s through its IVOR%u "
                "-> 0x%08llx\n", c->index, booke_exc_name(e->kind), ivor,
                (unsigned long long)vector);
    booke_reflect(c, e, c->nip, vector);
}

static void inject_program(Epapr *h, PpcCpu *c, uint32_t esr)
{
    PpcException e = { .kind = PPC_EXC_PROGRAM, .srr1_bits = esr };
    reflect(h, c, &e, BOOKE_IVOR_PROGRAM);
}

/* Seed 001: "injecting a program fault into the guest is the most sensible thing to do
 * if we don't know what the instruction is supposed to do", with the log throttled. */
static void emulation_failed(Epapr *h, PpcCpu *c, uint32_t insn)
{
    h->emul_failures++;
    if (h->emul_failures <= EMUL_LOG_FIRST || h->emul_failures % EMUL_LOG_EVERY == 0)
        fprintf(stderr,
                "hvemu: e500 hypervisor: cpu%u: cannot emulate 0x%08x at 0x%08llx; Program "
                "interrupt injected into the guest (%u so far)\n",
                c->index, insn, (unsigned long long)c->nip, h->emul_failures);
    inject_program(h, c, ESR_PIL);
}

/* --- Guest TLB management: the hardware TLB holds the guest's entries, tagged with
 * MAS8[TGS] and its LPID; searches and invalidations use that context (MAS5). --- */

static uint32_t guest_mas5(void)
{
    return MAS5_SGS | EPAPR_GUEST_LPID;
}

static void guest_tlbwe(PpcCpu *c)
{
    BookeMas m = c->mas;
    m.mas8 = MAS8_TGS | EPAPR_GUEST_LPID;
    booke_tlbwe_cpu(c, &m);
}

static void guest_tlbsx(PpcCpu *c, uint64_t ea)
{
    uint32_t mas5 = c->mas.mas5;
    c->mas.mas5 = guest_mas5();
    booke_tlbsx(&c->btlb, &c->mas, ea);
    c->mas.mas5 = mas5;
}

static void guest_tlbivax(Epapr *h, PpcCpu *c, uint64_t ea)
{
    booke_tlbivax_all(ppc_core(c), ea, guest_mas5());
}

static void guest_tlbilx(PpcCpu *c, unsigned t, uint64_t ea)
{
    uint32_t mas5 = c->mas.mas5;
    c->mas.mas5 = guest_mas5();
    booke_tlbilx_cpu(c, t, ea);
    c->mas.mas5 = mas5;
}

/* --- SPRs: the guest's interrupt vectors are virtual; the registers of the partition
 * itself (EPCR, LPIDR, MAS5, MAS8, MSRP, the G* registers) are the hypervisor's alone;
 * the other hypervisor SPRs (timers, caches, debug, CSRR/MCSRR/DSRR, HID) belong to the
 * one guest and pass through. --- */

static int ivor_index(unsigned spr)
{
    if (spr >= 400 && spr <= 415)
        return (int)(spr - 400);
    if (spr >= 528 && spr <= 533)
        return (int)(spr - 528 + 32);
    if (spr >= 432 && spr <= 435)
        return (int)(spr - 432 + 38);
    return -1;
}

static bool hypervisor_only(unsigned spr)
{
    switch (spr) {
    case 307: /* EPCR */
    case 311: /* MSRP */
    case 338: /* LPIDR */
    case 339: /* MAS5 */
    case 341: /* MAS8 */
        return true;
    default:
        return (spr >= 368 && spr <= 383) || (spr >= 440 && spr <= 447);
    }
}

/* An SPR access as hypervisor state would make it. */
static bool passthrough(PpcCpu *c, unsigned spr, bool write, uint64_t *val)
{
    uint64_t msr = c->msr;
    c->msr &= ~(MSR_GS | MSR_PR);
    PpcStatus st = write ? ppc_spr_mtspr(c, spr, *val) : ppc_spr_mfspr(c, spr, val);
    c->msr = msr;
    if (st == PPC_TRAP) {
        c->exc.kind = PPC_EXC_NONE;
        return false;
    }
    return true;
}

static bool emulate_mtspr(Epapr *h, PpcCpu *c, unsigned spr, uint64_t v)
{
    EpaprVcpu *vc = vcpu_of(h, c);
    int n = ivor_index(spr);
    if (spr == 63) { /* IVPR */
        vc->ivpr = (uint32_t)v & 0xffff0000u;
        c->givpr = vc->ivpr;
        return true;
    }
    if (n >= 0) {
        vc->ivor[n] = (uint32_t)v & 0xfff0u;
        if (n == 2 || n == 3 || n == 4 || n == 8 || n == 13 || n == 14)
            c->givor[n] = vc->ivor[n];
        return true;
    }
    if (spr == 284 || spr == 285) /* TBL/TBU: the time base is the machine's */
        return true;
    if (hypervisor_only(spr))
        return false;
    return passthrough(c, spr, true, &v);
}

static bool emulate_mfspr(Epapr *h, PpcCpu *c, unsigned spr, uint64_t *v)
{
    EpaprVcpu *vc = vcpu_of(h, c);
    int n = ivor_index(spr);
    if (spr == 63) {
        *v = vc->ivpr;
        return true;
    }
    if (n >= 0) {
        *v = vc->ivor[n];
        return true;
    }
    if (hypervisor_only(spr))
        return false;
    if (!passthrough(c, spr, false, v))
        return false;
    if (spr == 1015) /* MMUCFG: a guest has no partitions of its own (KVM does the same) */
        *v &= ~(uint64_t)MMUCFG_LPIDSIZE;
    return true;
}

/* --- Doorbells between guest threads: a guest's msgsnd becomes a guest doorbell, which
 * the hardware raises when the target guest enables interrupts and which is reflected
 * as the processor doorbell the guest asked for. --- */

static uint32_t guest_dbell_irq(unsigned type)
{
    switch (type) {
    case DBELL_TYPE_DBELL: return BOOKE_IRQ_G_DBELL;
    case DBELL_TYPE_DBELL_CRIT: return BOOKE_IRQ_G_DBELL_CRIT;
    default: return 0;
    }
}

static void guest_msgsnd(Epapr *h, uint32_t rb)
{
    uint32_t irq = guest_dbell_irq((rb >> DBELL_TYPE_SHIFT) & DBELL_TYPE_MASK);
    for (unsigned n = 0; n < h->ncpus && irq; n++) {
        PpcCpu *t = h->cpus[n];
        if ((rb & DBELL_BRDCAST) || (rb & DBELL_PIRTAG) == (t->gpir & DBELL_PIRTAG)) {
            t->booke_irqs |= irq;
            t->waiting = false;
        }
    }
}

static void guest_msgclr(PpcCpu *c, uint32_t rb)
{
    c->booke_irqs &= ~guest_dbell_irq((rb >> DBELL_TYPE_SHIFT) & DBELL_TYPE_MASK);
}

/* rfci/rfmci/rfdi for the guest: the critical-class registers are its own. */
static void guest_return(PpcCpu *c, uint64_t nip, uint64_t msr)
{
    c->msr = (msr & (MSR_UCLE | MSR_WE | MSR_CE | MSR_EE | MSR_PR | MSR_FP | MSR_ME | MSR_FE0 |
                     MSR_DE | MSR_FE1 | MSR_IS | MSR_DS | MSR_PMM)) | MSR_GS;
    c->nip = (uint32_t)nip & ~3u;
    c->tb_dirty = true;
}

/* The instruction at c->nip, as the guest fetches it. */
static bool fetch_insn(PpcCpu *c, uint32_t *insn)
{
    uint64_t ra;
    const uint8_t *page;
    if (ppc_fetch_page(c, c->nip, &ra, &page) != PPC_NEXT) {
        c->exc.kind = PPC_EXC_NONE;
        return false;
    }
    *insn = (uint32_t)ld_be(page + (c->nip & 0xfff), 4);
    return true;
}

/* Emulates the instruction that raised the embedded hypervisor privilege interrupt.
 * Returns false when hvemu does not know it. */
static bool emulate(Epapr *h, PpcCpu *c, uint32_t w)
{
    unsigned op = w >> 26, xo = (w >> 1) & 0x3ff;
    unsigned rt = (w >> 21) & 31, ra = (w >> 16) & 31, rb = (w >> 11) & 31;
    uint64_t ea = (uint32_t)((ra ? c->gpr[ra] : 0) + c->gpr[rb]);
    unsigned spr = ((w >> 16) & 0x1f) | (((w >> 11) & 0x1f) << 5);
    if (op == 19) {
        switch (xo) {
        case 51: guest_return(c, c->csrr0, c->csrr1); return true;  /* rfci */
        case 38: guest_return(c, c->mcsrr0, c->mcsrr1); return true; /* rfmci */
        case 39: guest_return(c, c->dsrr0, c->dsrr1); return true;  /* rfdi */
        default: return false;
        }
    }
    if (op != 31)
        return false;
    switch (xo) {
    case 978: guest_tlbwe(c); break;                                    /* tlbwe */
    case 946: booke_tlbre(&c->btlb, &c->mas); break;                     /* tlbre */
    case 914: guest_tlbsx(c, ea); break;                                /* tlbsx */
    case 786: guest_tlbivax(h, c, ea); break;                              /* tlbivax */
    case 18:                                                            /* tlbilx */
        if ((rt & 3) == 2)
            return false;
        guest_tlbilx(c, rt & 3, ea);
        break;
    case 566: break;                                                    /* tlbsync */
    case 467:                                                           /* mtspr */
        if (!emulate_mtspr(h, c, spr, (uint32_t)c->gpr[rt]))
            return false;
        break;
    case 339: {                                                         /* mfspr */
        uint64_t v = 0;
        if (!emulate_mfspr(h, c, spr, &v))
            return false;
        c->gpr[rt] = (uint32_t)v;
        break;
    }
    case 206: guest_msgsnd(h, (uint32_t)c->gpr[rb]); break;             /* msgsnd */
    case 238: guest_msgclr(c, (uint32_t)c->gpr[rb]); break;             /* msgclr */
    default:
        return false;
    }
    c->nip = (uint32_t)(c->nip + 4);
    return true;
}

static void hv_privilege(Epapr *h, PpcCpu *c)
{
    uint32_t insn;
    if (!fetch_insn(c, &insn)) {
        emulation_failed(h, c, 0);
        return;
    }
    uint64_t pc = c->nip;
    bool done = emulate(h, c, insn);
    if (h->log) {
        PpcInsn i;
        ppc_decode(insn, c->model->categories | PPC_CAT_EHV, &i);
        fprintf(h->log, "cpu%u: ehv:   %s 0x%08x (%s) at 0x%08llx\n", c->index,
                done ? "emulated" : "cannot emulate", insn,
                i.op < PPC_OP_COUNT ? ppc_insn_table[i.op].name : "illegal",
                (unsigned long long)pc);
    }
    if (!done)
        emulation_failed(h, c, insn);
}

void epapr_hv_exit(void *opaque, PpcCpu *c)
{
    Epapr *h = opaque;
    PpcException e = c->exc;
    c->exc.kind = PPC_EXC_NONE;
    if (h->log)
        fprintf(h->log, "cpu%u: ehv: guest exit: %s at 0x%08llx (msr 0x%08llx)\n", c->index,
                booke_exc_name(e.kind), (unsigned long long)c->nip,
                (unsigned long long)c->msr);
    switch (e.kind) {
    case PPC_EXC_HYPERCALL:
        /* A guest's user programs make no hypercalls: KVM answers them with a privileged
         * Program interrupt at the instruction after `sc 1` (booke.c,
         * BOOKE_INTERRUPT_HV_SYSCALL). */
        if (c->msr & MSR_PR) {
            inject_program(h, c, ESR_PPR);
        } else {
            epapr_hcall(h, c);
        }
        break;
    case PPC_EXC_EHPRIV:
        hv_privilege(h, c);
        break;
    case PPC_EXC_GUEST_DOORBELL:
        e.kind = PPC_EXC_DOORBELL;
        reflect(h, c, &e, BOOKE_IVOR_DOORBELL);
        break;
    case PPC_EXC_GUEST_DOORBELL_CRIT:
        e.kind = PPC_EXC_DOORBELL_CRIT;
        reflect(h, c, &e, BOOKE_IVOR_DOORBELL_CRIT);
        break;
    default:
        reflect(h, c, &e, booke_exc_ivor(e.kind));
        break;
    }
}

void epapr_vcpu_start(Epapr *h, PpcCpu *c)
{
    booke_cpu_enter_guest(c, EPAPR_GUEST_LPID, h->epcr);
}

void epapr_console_input(Epapr *h)
{
    irq_set(&h->bc_rx, h->console && chardev_has_input(h->console));
}

bool epapr_init(Epapr *h)
{
    if (!h->epcr)
        h->epcr = EPCR_EXTGS | EPCR_DTLBGS | EPCR_ITLBGS | EPCR_DSIGS | EPCR_ISIGS | EPCR_DUVD;
    for (unsigned a = 0; a < epapr_nhcalls; a++)
        for (unsigned b = a + 1; b < epapr_nhcalls; b++)
            if (epapr_hcalls[a].token == epapr_hcalls[b].token) {
                fprintf(stderr, "hvemu: ePAPR hcall table: %s and %s share token 0x%x\n",
                        epapr_hcalls[a].name, epapr_hcalls[b].name, epapr_hcalls[a].token);
                return false;
            }
    irq_set(&h->bc_tx, true); /* the console always has room */
    return true;
}

/* The hypercall instruction sequence the guest copies (ePAPR 1.1 8.1.1): `sc 1` padded
 * with nops to four words. */
static const uint32_t hcall_insns[4] = { 0x44000022, 0x60000000, 0x60000000, 0x60000000 };

int epapr_fdt(const Epapr *h, void *fdt, uint32_t bc_rx_irq, uint32_t bc_tx_irq)
{
    uint32_t insns[4], irqs[4];
    for (unsigned k = 0; k < 4; k++)
        insns[k] = cpu_to_fdt32(hcall_insns[k]);
    irqs[0] = cpu_to_fdt32(bc_rx_irq);
    irqs[1] = cpu_to_fdt32(2); /* level, active high */
    irqs[2] = cpu_to_fdt32(bc_tx_irq);
    irqs[3] = cpu_to_fdt32(2);
    /* Linux creates devices for the children of simple buses: the byte channel is one. */
    DEV_FDT_TRY(fdt_begin_node(fdt, "hypervisor"));
    DEV_FDT_TRY(DEV_FDT_STRINGS(fdt, "compatible", "linux,kvm\0epapr,hypervisor-1\0simple-bus"));
    DEV_FDT_TRY(fdt_property(fdt, "hcall-instructions", insns, sizeof(insns)));
    DEV_FDT_TRY(fdt_property(fdt, "has-idle", NULL, 0));
    DEV_FDT_TRY(fdt_property_u32(fdt, "#address-cells", 1));
    DEV_FDT_TRY(fdt_property_u32(fdt, "#size-cells", 0));
    DEV_FDT_TRY(fdt_property(fdt, "ranges", NULL, 0));
    DEV_FDT_TRY(fdt_begin_node(fdt, "byte-channel"));
    DEV_FDT_TRY(DEV_FDT_STRINGS(fdt, "compatible", "epapr,hv-byte-channel"));
    DEV_FDT_TRY(fdt_property_u32(fdt, "hv-handle", EPAPR_CONSOLE_HANDLE));
    DEV_FDT_TRY(fdt_property(fdt, "interrupts", irqs, sizeof(irqs)));
    DEV_FDT_TRY(fdt_end_node(fdt));
    DEV_FDT_TRY(fdt_end_node(fdt));
    (void)h;
    return 0;
}

void epapr_save(const Epapr *h, StateW *w)
{
    sw_u32(w, h->epcr);
    sw_u32(w, h->emul_failures);
    for (unsigned n = 0; n < h->ncpus && n < EPAPR_MAX_CPUS; n++) {
        sw_u32(w, h->vcpu[n].ivpr);
        sw_u32s(w, h->vcpu[n].ivor, 64);
    }
}

void epapr_load(Epapr *h, StateR *r)
{
    h->epcr = sr_u32(r);
    h->emul_failures = sr_u32(r);
    for (unsigned n = 0; n < h->ncpus && n < EPAPR_MAX_CPUS; n++) {
        h->vcpu[n].ivpr = sr_u32(r);
        sr_u32s(r, h->vcpu[n].ivor, 64);
    }
}
