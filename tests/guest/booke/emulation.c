/* tests/guest/booke/emulation.c: a program run as the guest of hvemu's built-in E.HV
 * hypervisor (-M e500,hv=on): it starts in guest state (Power ISA 2.06 Book III-E 4.2.1,
 * MSR[GS] = 1) and sees only what a KVM e500mc guest sees. Its IVPR/IVOR writes, tlbwe,
 * tlbre and tlbsx are hypervisor-privileged (7.6.21; e500mc has no LRAT) and must be
 * emulated; interrupts without a GIVOR (Program, 7.6.7) reach the program's own IVOR6
 * because the hypervisor reflects them; and an instruction the hypervisor cannot
 * emulate (a guest write of the hypervisor-only LPIDR or EPCR, a read of LPIDR, ehpriv
 * with an operand the hypervisor does not use) becomes a Program interrupt injected
 * into the guest, SRR0 at the instruction and ESR[PIL], after which the run goes on
 * (KVM's rule for a failed emulation in arch/powerpc/kvm/booke.c: queue a Program
 * interrupt with ESR[PIL] for the guest). The console and the exit device are the same
 * as without the hypervisor. */
#include "guest_booke.h"

#define MAX_EVENTS 16
struct event {
    uint32_t vec, srr0, srr1, dear, esr;
};
static volatile struct event ev[MAX_EVENTS];
static volatile unsigned nev;

static void record(struct trap_frame *f)
{
    if (nev < MAX_EVENTS)
        ev[nev] = (struct event){ f->vector, f->srr0, f->srr1, f->dear, f->esr };
    nev++;
}

static void reset(void)
{
    nev = 0;
    memset((void *)ev, 0, sizeof(ev));
}

static void on_skip(struct trap_frame *f)
{
    record(f);
    f->srr0 += 4;
}

#define PROBE(name, body) \
    "    .globl " #name ", " #name "_insn\n" #name ":\n" #name "_insn:\n    " body "\n    blr\n"

extern char p_sc[], p_sc_insn[], p_illegal[], p_illegal_insn[], p_load[], p_load_insn[];
extern char p_mtlpidr[], p_mtlpidr_insn[], p_mtepcr[], p_mtepcr_insn[], p_mflpidr[],
    p_mflpidr_insn[], p_ehpriv[], p_ehpriv_insn[];
extern char u_mfmsr[], u_mfmsr_insn[], u_tlbwe[], u_tlbwe_insn[];

__asm__(".text\n"
        PROBE(p_sc, "sc")
        PROBE(p_illegal, ".long 0x00000000")
        PROBE(p_load, "lwz 3, 0(3)")
        PROBE(p_mtlpidr, "mtspr 338, 3")
        PROBE(p_mtepcr, "mtspr 307, 3")
        PROBE(p_mflpidr, "mfspr 3, 338")
        PROBE(p_ehpriv, "ehpriv")
        PROBE(u_mfmsr, "mfmsr 3")
        PROBE(u_tlbwe, "tlbwe"));

static uint32_t call(const void *fn, uint32_t a)
{
    return ((uint32_t(*)(uint32_t))(uintptr_t)fn)(a);
}

static bool event_is(unsigned k, unsigned vec, const void *srr0)
{
    return nev > k && ev[k].vec == vec && ev[k].srr0 == (uint32_t)srr0;
}

static void test_guest_state(void)
{
    report(guest_boot_msr & MSR_GS, "the program was entered in guest state (MSR 0x%x)",
           guest_boot_msr);
    report(mfmsr() & MSR_GS, "and still runs there (MSR 0x%x)", mfmsr());
    struct tlb_entry e;
    tlb_read(1, TLB1_DEV, DEV_EA, &e);
    report((e.mas1 & MAS1_V) && e.mas7 == (uint32_t)(DEV_RA >> 32) &&
               (e.mas3 & MAS3_RPN) == (uint32_t)DEV_RA,
           "the hypervisor emulates tlbwe/tlbre of the console mapping (MAS7 0x%x MAS3 0x%x)",
           e.mas7, e.mas3);
    report(tlb_search(UART0_EA, 0, &e) && MAS0_GET_ESEL(e.mas0) == TLB1_DEV,
           "and tlbsx finds it (MAS0 0x%x)", e.mas0);
}

static void test_own_interrupts(void)
{
    set_trap_handler(VEC_SYSCALL, record);
    reset();
    call(p_sc, 0);
    report(event_is(0, VEC_SYSCALL, p_sc_insn + 4) && (ev[0].srr1 & MSR_GS),
           "sc reaches the program's IVOR8, SRR0 = next, SRR1[GS] (srr1 0x%x)", ev[0].srr1);
    set_trap_handler(VEC_SYSCALL, NULL);

    set_trap_handler(VEC_DTLB, on_skip);
    reset();
    call(p_load, 0x30000008);
    report(event_is(0, VEC_DTLB, p_load_insn) && ev[0].dear == 0x30000008,
           "a miss in the guest's TLB reaches the program's IVOR13, DEAR 0x%x", ev[0].dear);
    set_trap_handler(VEC_DTLB, NULL);

    set_trap_handler(VEC_PROGRAM, on_skip);
    reset();
    call(p_illegal, 0);
    report(event_is(0, VEC_PROGRAM, p_illegal_insn) && (ev[0].esr & ESR_PIL),
           "an illegal instruction reaches the program's IVOR6 with ESR[PIL] (esr 0x%x)",
           ev[0].esr);
    set_trap_handler(VEC_PROGRAM, NULL);
}

static void user_probes(void *arg)
{
    call(u_mfmsr, 0);
    call(u_tlbwe, 0);
}

static void test_user(void)
{
    set_trap_handler(VEC_PROGRAM, on_skip);
    reset();
    run_in_user(user_probes, NULL);
    report(event_is(0, VEC_PROGRAM, u_mfmsr_insn) && (ev[0].esr & ESR_PPR) &&
               (ev[0].srr1 & (MSR_PR | MSR_GS)) == (MSR_PR | MSR_GS),
           "guest user mfmsr: Program with ESR[PPR] at the program's IVOR6 (esr 0x%x srr1 0x%x)",
           ev[0].esr, ev[0].srr1);
    report(event_is(1, VEC_PROGRAM, u_tlbwe_insn) && (ev[1].esr & ESR_PPR),
           "guest user tlbwe: Program with ESR[PPR] (esr 0x%x)", ev[1].esr);
    report(nev == 2 && !(mfmsr() & MSR_PR), "back in guest supervisor state");
    set_trap_handler(VEC_PROGRAM, NULL);
}

static volatile unsigned after[8];

static void test_cannot_emulate(void)
{
    static const struct {
        const char *name;
        const char *fn, *insn;
    } probes[] = {
        { "mtspr LPIDR", p_mtlpidr, p_mtlpidr_insn },
        { "mtspr EPCR", p_mtepcr, p_mtepcr_insn },
        { "mfspr LPIDR", p_mflpidr, p_mflpidr_insn },
        { "ehpriv", p_ehpriv, p_ehpriv_insn },
    };
    set_trap_handler(VEC_PROGRAM, on_skip);
    reset();
    for (unsigned k = 0; k < ARRAY_SIZE(probes); k++) {
        call(probes[k].fn, 0x3f);
        after[k] = 1;
    }
    for (unsigned k = 0; k < ARRAY_SIZE(probes); k++)
        report(event_is(k, VEC_PROGRAM, probes[k].insn) && (ev[k].esr & ESR_PIL) &&
                   (ev[k].srr1 & MSR_GS) && after[k],
               "%s (cannot be emulated): Program at the program's IVOR6, SRR0 at it, ESR[PIL], "
               "and the run goes on (srr0 0x%x esr 0x%x)",
               probes[k].name, ev[k].srr0, ev[k].esr);
    report(nev == ARRAY_SIZE(probes), "one interrupt each (%u)", nev);
    set_trap_handler(VEC_PROGRAM, NULL);
}

int main(void)
{
    test_guest_state();
    test_own_interrupts();
    test_user();
    test_cannot_emulate();
    return 0;
}
