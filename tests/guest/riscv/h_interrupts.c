/* tests/guest/riscv/h_interrupts.c: VS-level interrupts (Volume II 1.12, 8.2.3
 * "Hypervisor Interrupt Registers (hvip, hip, and hie)", 8.2.12 vsip/vsie, 8.6.1 and
 * the Sstc extension's vstimecmp): the hypervisor injects VSSIP, VSTIP and VSEIP through
 * hvip; with hideleg they arrive in VS-mode as the guest's own supervisor software,
 * timer and external interrupts (scause 1, 5, 9 there); without hideleg they go to
 * HS-mode with codes 2, 6, 10 (mideleg's VS bits are read-only one, 8.4.2); VS
 * interrupts stay pending while V = 0 (8.1: HS-mode is more privileged). vstimecmp
 * raises VSTIP when time + htimedelta (8.2.7) reaches it, with menvcfg.STCE and
 * henvcfg.STCE set; with henvcfg.STCE = 0 VS-mode access to stimecmp is a virtual
 * instruction. */
#include "guest_riscv.h"
#include "hyp.h"

#define MENVCFG_STCE_BIT (1UL << 63)

static volatile unsigned long irq_count, irq_cause, irq_level, irq_hstatus;

static bool irq_handler(struct trap_frame *f)
{
    if (!(f->cause & CAUSE_INTERRUPT))
        return hyp_trap_handler(f);
    irq_count++;
    irq_cause = f->cause;
    irq_level = f->level;
    unsigned long code = f->cause & ~CAUSE_INTERRUPT;
    if (f->level == TRAP_LEVEL_VS) {
        if (code == IRQ_S_SOFT)
            csr_clear(sip, MIP_SSIP); /* writes hvip.VSSIP */
        else
            csr_clear(sie, 1UL << code); /* vsie: the guest masks it */
    } else if (f->level == PRV_S) {
        irq_hstatus = csr_read(CSR_HSTATUS);
        csr_clear(CSR_HVIP, 1UL << code);
    } else {
        csr_clear(CSR_HVIP, 1UL << code);
    }
    return true;
}

/* Guest: enable its interrupts, wait for one, disable them. */
static unsigned long vs_wait_irq(unsigned long ticks)
{
    unsigned long before = irq_count;
    csr_set(sstatus, MSTATUS_SIE);
    unsigned long t0 = csr_read(time);
    while (irq_count == before && csr_read(time) - t0 < ticks)
        cpu_relax();
    csr_clear(sstatus, MSTATUS_SIE);
    return irq_count - before;
}

static unsigned long vs_read_time(unsigned long a) { return csr_read(time); }
static unsigned long vs_read_stimecmp(unsigned long a) { return csr_read(CSR_STIMECMP); }

static void inject(unsigned long bit, unsigned long vs_code, const char *name)
{
    csr_write(CSR_HIDELEG, MIP_VSSIP | MIP_VSTIP | MIP_VSEIP);
    csr_write(CSR_HIE, bit);
    csr_set(CSR_HVIP, bit);
    report((csr_read(CSR_HIP) & bit) && (csr_read(mip) & bit), "8.2.3: hvip.%s shows in hip and mip", name);
    report((csr_read(CSR_VSIP) & (bit >> 1)) != 0, "8.2.12: vsip shows it at bit %lu", vs_code);
    irq_count = 0;
    struct hprobe p = hyp_probe(true, PRV_S, vs_wait_irq, 100000);
    report(!p.t.taken && p.value == 1 && irq_level == TRAP_LEVEL_VS && irq_cause == (CAUSE_INTERRUPT | vs_code),
           "hideleg: %s taken in VS-mode as scause 0x%lx (count %lu level %lu cause 0x%lx)", name,
           CAUSE_INTERRUPT | vs_code, p.value, irq_level, irq_cause);
    csr_clear(CSR_HVIP, bit);
    csr_write(CSR_HIE, 0);
    csr_write(CSR_HIDELEG, 0);
}

int main(void)
{
    hyp_init();
    trap_set_handler(irq_handler);
    csr_write(mie, 0);
    csr_write(mideleg, 0); /* VS bits stay (read-only one) */
    csr_write(CSR_VSTVEC, (unsigned long)vs_trap_entry);
    csr_write(CSR_VSSTATUS, 0);
    csr_write(CSR_VSIE, 0);

    inject(MIP_VSSIP, IRQ_S_SOFT, "VSSIP");
    inject(MIP_VSTIP, IRQ_S_TIMER, "VSTIP");
    inject(MIP_VSEIP, IRQ_S_EXT, "VSEIP");

    /* VSSIP pending while the hart is in HS-mode: not taken (V = 0). */
    csr_write(CSR_HIDELEG, MIP_VSSIP);
    csr_write(CSR_HIE, MIP_VSSIP);
    csr_set(CSR_HVIP, MIP_VSSIP);
    irq_count = 0;
    csr_set(mstatus, MSTATUS_SIE);
    delay_ticks(10000);
    csr_clear(mstatus, MSTATUS_SIE);
    report(irq_count == 0, "VSSIP with hideleg is not taken while V = 0 (count %lu)", irq_count);
    csr_clear(CSR_HVIP, MIP_VSSIP);

    /* Without hideleg: the VS interrupt is an HS-level one, code 2, taken from VS-mode. */
    csr_write(CSR_HIDELEG, 0);
    csr_write(CSR_HIE, MIP_VSSIP);
    csr_set(CSR_HVIP, MIP_VSSIP);
    irq_count = 0;
    struct hprobe p = hyp_probe(true, PRV_S, vs_wait_irq, 100000);
    report(irq_count == 1 && irq_level == PRV_S && irq_cause == (CAUSE_INTERRUPT | IRQ_VS_SOFT) &&
               (irq_hstatus & HSTATUS_SPV),
           "no hideleg: VSSIP taken in HS-mode from V = 1 with scause 0x%lx (count %lu level %lu cause 0x%lx "
           "hstatus 0x%lx)", CAUSE_INTERRUPT | IRQ_VS_SOFT, irq_count, irq_level, irq_cause, irq_hstatus);
    (void)p;
    csr_clear(CSR_HVIP, MIP_VSSIP);
    csr_write(CSR_HIE, 0);

    /* htimedelta and vstimecmp. */
    unsigned long delta = 0x100000000UL;
    csr_write(CSR_HTIMEDELTA, delta);
    unsigned long t0 = read_time();
    p = hyp_probe(true, PRV_S, vs_read_time, 0);
    unsigned long t1 = read_time();
    report(!p.t.taken && p.value >= t0 + delta && p.value <= t1 + delta,
           "8.2.7: VS-mode time = mtime + htimedelta (0x%lx in [0x%lx, 0x%lx])", p.value, t0 + delta, t1 + delta);

    csr_write(CSR_MENVCFG, csr_read(CSR_MENVCFG) | MENVCFG_STCE_BIT);
    csr_write(CSR_HENVCFG, csr_read(CSR_HENVCFG) & ~MENVCFG_STCE_BIT);
    p = hyp_probe(true, PRV_S, vs_read_stimecmp, 0);
    report(p.t.taken && p.t.cause == CAUSE_VIRTUAL_INSTRUCTION,
           "Sstc: henvcfg.STCE = 0: stimecmp in VS-mode is a virtual instruction (cause %lu)", p.t.cause);
    csr_write(CSR_HENVCFG, csr_read(CSR_HENVCFG) | MENVCFG_STCE_BIT);
    csr_write(CSR_VSTIMECMP, ~0UL);
    report(!(csr_read(CSR_HIP) & MIP_VSTIP), "vstimecmp = ~0: no VSTIP");
    csr_write(CSR_VSTIMECMP, read_time() + delta + 5000);
    report(!(csr_read(CSR_HIP) & MIP_VSTIP), "vstimecmp in the future (guest time): VSTIP not yet pending");
    csr_write(CSR_HIDELEG, MIP_VSTIP);
    csr_write(CSR_HIE, MIP_VSTIP);
    irq_count = 0;
    p = hyp_probe(true, PRV_S, vs_wait_irq, 200000);
    report(p.value == 1 && irq_level == TRAP_LEVEL_VS && irq_cause == (CAUSE_INTERRUPT | IRQ_S_TIMER),
           "vstimecmp reached: the guest takes its timer interrupt (count %lu cause 0x%lx)", p.value, irq_cause);
    report((csr_read(CSR_HIP) & MIP_VSTIP) && !(csr_read(CSR_HVIP) & MIP_VSTIP),
           "hip.VSTIP stays set from vstimecmp, hvip.VSTIP is 0");
    csr_write(CSR_VSTIMECMP, ~0UL);
    report(!(csr_read(CSR_HIP) & MIP_VSTIP), "writing vstimecmp = ~0 clears it");
    csr_write(CSR_HIE, 0);
    csr_write(CSR_HIDELEG, 0);
    csr_write(CSR_HTIMEDELTA, 0);

    /* Guest external interrupt lines (8.2.4). */
    csr_write(CSR_HGEIE, ~0UL);
    unsigned long hgeie = csr_read(CSR_HGEIE);
    csr_write(CSR_HGEIE, 0);
    report(!(hgeie & 1), "8.2.4: hgeie bit 0 is read-only 0 (hgeie writable bits 0x%lx, GEILEN %d)", hgeie,
           __builtin_popcountl(hgeie));
    report(csr_read(CSR_HGEIP) == 0, "hgeip = 0 with no guest interrupt files in use (0x%lx)",
           csr_read(CSR_HGEIP));
    return 0;
}
