/* tests/guest/riscv/mip_seip.c: mip.SEIP is the OR of a software-writable bit and the
 * interrupt controller's signal (Privileged ISA 3.1.9); a CSRRS/CSRRC of mip must modify
 * only the software bit. Setting SSIP while the PLIC asserts SEIP must not latch SEIP:
 * once the PLIC drops its signal, SEIP reads 0 again. (OpenSBI forwards IPIs with
 * `csrs mip, SSIP`; a latched SEIP became an endless S-mode external interrupt storm.) */
#include "guest_riscv.h"

#define UART_IER (UART0_BASE + 1)
#define IER_ETBEI 0x02
#define UART_IRQ 10
#define CTX_S0 1 /* hart 0, S-mode context */

int main(void)
{
    writel(PLIC_PRIORITY(UART_IRQ), 1);
    writel(PLIC_ENABLE(CTX_S0, UART_IRQ), 1u << UART_IRQ);
    writel(PLIC_THRESHOLD(CTX_S0), 0);
    writeb(UART_IER, IER_ETBEI); /* THR is empty: the UART raises its line */
    report(csr_read(mip) & MIP_SEIP, "the PLIC asserts SEIP");

    csr_set(mip, MIP_SSIP);
    report(csr_read(mip) & MIP_SSIP, "csrs mip, SSIP sets SSIP");

    uint32_t src = readl(PLIC_CLAIM(CTX_S0));
    report(src == UART_IRQ, "claimed the UART (%u)", src);
    writeb(UART_IER, 0);
    writel(PLIC_CLAIM(CTX_S0), src);
    csr_clear(mip, MIP_SSIP);
    report(!(csr_read(mip) & MIP_SEIP), "SEIP falls with the PLIC's signal after csrs/csrc of mip");

    /* The software bit itself still works. */
    csr_set(mip, MIP_SEIP);
    report(csr_read(mip) & MIP_SEIP, "software can set SEIP");
    csr_clear(mip, MIP_SEIP);
    report(!(csr_read(mip) & MIP_SEIP), "software can clear SEIP");
    report_exit();
}
