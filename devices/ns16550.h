/* devices/ns16550.h: National Semiconductor PC16550D UART ("16550A"), the console of the
 * RISC-V virt and e500 boards. Registers and behaviour follow the PC16550D data sheet
 * (Texas Instruments SNLS378C), "Registers" and "FIFO Interrupt Mode Operation": RBR/THR/DLL,
 * IER/DLM, IIR/FCR, LCR, MCR, LSR, MSR, SCR with regshift 0. Transmission is instantaneous (a THR
 * write reaches the CharDev at once); received bytes are taken from the CharDev's input
 * queue into the 16-byte receive FIFO. */
#ifndef HVEMU_NS16550_H
#define HVEMU_NS16550_H

#include "devices/bus.h"
#include "devices/chardev.h"

#define NS16550_REGION_SIZE 0x100
#define NS16550_CLOCK_HZ 3686400
#define NS16550_FIFO_SIZE 16

typedef struct Ns16550 {
    CharDev *chr;
    IrqLine irq;
    uint64_t base;
    uint8_t ier, lcr, mcr, scr, dll, dlm;
    uint8_t fcr;          /* FIFO enable, DMA mode and trigger bits as last written */
    uint8_t lsr_err;      /* sticky LSR error bits (overrun in loopback) */
    uint8_t msr_status;   /* MSR bits 7:4 */
    uint8_t msr_delta;    /* MSR bits 3:0 */
    bool thre_pending;    /* THR-empty interrupt condition, cleared by IIR read / THR write */
    bool irq_level;
    uint8_t rx[NS16550_FIFO_SIZE];
    unsigned rx_head, rx_count;
} Ns16550;

/* Initialises the UART at `base` on `bus`, takes over chr->input_ready, and maps the
 * 0x100-byte register window (1-, 2- and 4-byte accesses; the low byte is the register).
 * The struct must not move afterwards. */
void ns16550_init(Ns16550 *u, Bus *bus, uint64_t base, CharDev *chr, IrqLine irq);
/* Register values after a hardware reset (MR pin). */
void ns16550_reset(Ns16550 *u);
/* serial@base { compatible = "ns16550a"; reg; clock-frequency; interrupts; interrupt-parent }. */
int ns16550_fdt(const Ns16550 *u, void *fdt, uint32_t irq, uint32_t irq_parent_phandle);

struct StateW;
struct StateR;
/* Snapshot state (cpu/common/state.h). */
void ns16550_save(const Ns16550 *u, struct StateW *w);
void ns16550_load(Ns16550 *u, struct StateR *r);

#endif
