/* devices/ns16550.c: 16550A UART register model, following the PC16550D data sheet
 * (TI SNLS378C), "Registers" through "FIFO Interrupt Mode Operation":
 * divisor latch behind LCR[DLAB], FIFO control through FCR, the four-level interrupt
 * priority of IIR (line status > received data / character timeout > THR empty > modem
 * status), LSR DR/OE/THRE/TEMT and the MCR loopback mode that feeds THR back to RBR and
 * the modem outputs back to MSR. A THR write is transmitted immediately, so THRE and
 * TEMT always read as 1. */
#include "devices/ns16550.h"
#include "cpu/common/state.h"

#include "devices/dev_fdt.h"

enum {
    UART_RBR_THR_DLL = 0,
    UART_IER_DLM = 1,
    UART_IIR_FCR = 2,
    UART_LCR = 3,
    UART_MCR = 4,
    UART_LSR = 5,
    UART_MSR = 6,
    UART_SCR = 7,
};

#define IER_ERBFI 0x01 /* received data available */
#define IER_ETBEI 0x02 /* transmitter holding register empty */
#define IER_ELSI 0x04  /* receiver line status */
#define IER_EDSSI 0x08 /* modem status */
#define IER_MASK 0x0f

#define IIR_NO_INT 0x01
#define IIR_ID_MODEM 0x00
#define IIR_ID_THRE 0x02
#define IIR_ID_RDA 0x04
#define IIR_ID_RLS 0x06
#define IIR_ID_TIMEOUT 0x0c
#define IIR_FIFO_ENABLED 0xc0

#define FCR_ENABLE 0x01
#define FCR_CLEAR_RX 0x02
#define FCR_CLEAR_TX 0x04
#define FCR_KEEP 0xc9 /* enable, DMA mode, trigger level */

#define LCR_DLAB 0x80

#define MCR_DTR 0x01
#define MCR_RTS 0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10
#define MCR_MASK 0x1f

#define LSR_DR 0x01
#define LSR_OE 0x02
#define LSR_THRE 0x20
#define LSR_TEMT 0x40

#define MSR_DCTS 0x01
#define MSR_DDSR 0x02
#define MSR_TERI 0x04
#define MSR_DDCD 0x08
#define MSR_CTS 0x10
#define MSR_DSR 0x20
#define MSR_RI 0x40
#define MSR_DCD 0x80

static const uint8_t rx_trigger_levels[4] = { 1, 4, 8, 14 };

static bool fifo_enabled(const Ns16550 *u)
{
    return u->fcr & FCR_ENABLE;
}

static unsigned rx_capacity(const Ns16550 *u)
{
    return fifo_enabled(u) ? NS16550_FIFO_SIZE : 1;
}

static bool rx_push(Ns16550 *u, uint8_t byte)
{
    if (u->rx_count >= rx_capacity(u))
        return false;
    u->rx[(u->rx_head + u->rx_count) % NS16550_FIFO_SIZE] = byte;
    u->rx_count++;
    return true;
}

/* Moves host input into the receive FIFO while it has room. In loopback mode the serial
 * input is disconnected (Modem Control Register, bit 4) and host bytes stay queued. */
static void rx_refill(Ns16550 *u)
{
    if (u->mcr & MCR_LOOP)
        return;
    while (u->rx_count < rx_capacity(u) && chardev_has_input(u->chr))
        rx_push(u, (uint8_t)chardev_read(u->chr));
}

/* The highest-priority pending interrupt, as IIR bits 3:0 (IIR_NO_INT when none). */
static uint8_t pending_interrupt(const Ns16550 *u)
{
    /* 1. Receiver line status: overrun error. */
    if ((u->ier & IER_ELSI) && (u->lsr_err & LSR_OE))
        return IIR_ID_RLS;
    /* 2. Received data available (trigger level reached) or character timeout (fewer
     *    bytes than the trigger: our input arrives in bursts, so the four character
     *    times of silence have always elapsed by the time the driver looks). */
    if ((u->ier & IER_ERBFI) && u->rx_count > 0) {
        if (!fifo_enabled(u) || u->rx_count >= rx_trigger_levels[u->fcr >> 6])
            return IIR_ID_RDA;
        return IIR_ID_TIMEOUT;
    }
    /* 3. Transmitter holding register empty. */
    if ((u->ier & IER_ETBEI) && u->thre_pending)
        return IIR_ID_THRE;
    /* 4. Modem status change. */
    if ((u->ier & IER_EDSSI) && u->msr_delta)
        return IIR_ID_MODEM;
    return IIR_NO_INT;
}

static void update_irq(Ns16550 *u)
{
    bool level = pending_interrupt(u) != IIR_NO_INT;
    if (level != u->irq_level) {
        u->irq_level = level;
        irq_set(&u->irq, level);
    }
}

/* MSR bits 7:4: in loopback the modem outputs drive the inputs (CTS = RTS, DSR = DTR,
 * RI = OUT1, DCD = OUT2); otherwise the host side of the console is always ready. */
static uint8_t modem_inputs(const Ns16550 *u)
{
    if (!(u->mcr & MCR_LOOP))
        return MSR_DCD | MSR_DSR | MSR_CTS;
    uint8_t s = 0;
    if (u->mcr & MCR_RTS)
        s |= MSR_CTS;
    if (u->mcr & MCR_DTR)
        s |= MSR_DSR;
    if (u->mcr & MCR_OUT1)
        s |= MSR_RI;
    if (u->mcr & MCR_OUT2)
        s |= MSR_DCD;
    return s;
}

static void update_modem_status(Ns16550 *u)
{
    uint8_t now = modem_inputs(u), old = u->msr_status;
    uint8_t changed = now ^ old;
    if (changed & MSR_CTS)
        u->msr_delta |= MSR_DCTS;
    if (changed & MSR_DSR)
        u->msr_delta |= MSR_DDSR;
    if ((old & MSR_RI) && !(now & MSR_RI))
        u->msr_delta |= MSR_TERI; /* trailing edge of ring indicator */
    if (changed & MSR_DCD)
        u->msr_delta |= MSR_DDCD;
    u->msr_status = now;
}

static void transmit(Ns16550 *u, uint8_t byte)
{
    if (u->mcr & MCR_LOOP) {
        if (!rx_push(u, byte))
            u->lsr_err |= LSR_OE;
    } else {
        chardev_write(u->chr, byte);
    }
    u->thre_pending = true; /* the byte left at once: THR is empty again */
}

static void write_fcr(Ns16550 *u, uint8_t val)
{
    bool enable = val & FCR_ENABLE;
    /* Changing FCR[0] resets both FIFOs (FIFO Control Register, bit 0). */
    if (enable != fifo_enabled(u))
        u->rx_count = 0;
    if (!enable) {
        u->fcr = 0;
        return;
    }
    if (val & FCR_CLEAR_RX)
        u->rx_count = 0;
    u->fcr = val & FCR_KEEP;
}

static uint64_t ns16550_read(void *opaque, uint64_t off, unsigned size)
{
    Ns16550 *u = opaque;
    bool dlab = u->lcr & LCR_DLAB;
    uint8_t v = 0;

    switch (off) {
    case UART_RBR_THR_DLL:
        if (dlab) {
            v = u->dll;
        } else if (u->rx_count) {
            v = u->rx[u->rx_head];
            u->rx_head = (u->rx_head + 1) % NS16550_FIFO_SIZE;
            u->rx_count--;
            rx_refill(u);
        }
        break;
    case UART_IER_DLM:
        v = dlab ? u->dlm : u->ier;
        break;
    case UART_IIR_FCR: {
        uint8_t id = pending_interrupt(u);
        /* Reading IIR while it reports THRE clears that condition ("Interrupt Control
         * Functions" table). */
        if (id == IIR_ID_THRE)
            u->thre_pending = false;
        v = id | (fifo_enabled(u) ? IIR_FIFO_ENABLED : 0);
        break;
    }
    case UART_LCR:
        v = u->lcr;
        break;
    case UART_MCR:
        v = u->mcr;
        break;
    case UART_LSR:
        v = LSR_THRE | LSR_TEMT | u->lsr_err | (u->rx_count ? LSR_DR : 0);
        u->lsr_err = 0;
        break;
    case UART_MSR:
        v = u->msr_status | u->msr_delta;
        u->msr_delta = 0;
        break;
    case UART_SCR:
        v = u->scr;
        break;
    default:
        return 0;
    }
    update_irq(u);
    return v;
}

static void ns16550_write(void *opaque, uint64_t off, uint64_t val64, unsigned size)
{
    Ns16550 *u = opaque;
    bool dlab = u->lcr & LCR_DLAB;
    uint8_t val = (uint8_t)val64;

    switch (off) {
    case UART_RBR_THR_DLL:
        if (dlab)
            u->dll = val;
        else
            transmit(u, val);
        break;
    case UART_IER_DLM:
        if (dlab) {
            u->dlm = val;
        } else {
            u->ier = val & IER_MASK;
            u->chr->accepting = (u->ier & IER_ERBFI) != 0;
            /* Enabling ETBEI while THR is empty (always, here) raises THRE. */
            if (u->ier & IER_ETBEI)
                u->thre_pending = true;
        }
        break;
    case UART_IIR_FCR:
        write_fcr(u, val);
        rx_refill(u);
        break;
    case UART_LCR:
        u->lcr = val;
        break;
    case UART_MCR: {
        bool was_loop = u->mcr & MCR_LOOP;
        u->mcr = val & MCR_MASK;
        update_modem_status(u);
        if (was_loop && !(u->mcr & MCR_LOOP))
            rx_refill(u);
        break;
    }
    case UART_SCR:
        u->scr = val;
        break;
    default:
        return; /* LSR and MSR are read-only; offsets 8 and up are unused */
    }
    update_irq(u);
}

static const MmioOps ns16550_ops = {
    .read = ns16550_read,
    .write = ns16550_write,
    .min_size = 1,
    .max_size = 4,
    .endian = DEV_LITTLE_ENDIAN,
};

static void ns16550_input_ready(void *opaque)
{
    Ns16550 *u = opaque;
    rx_refill(u);
    update_irq(u);
}

void ns16550_reset(Ns16550 *u)
{
    u->ier = u->lcr = u->mcr = u->scr = u->dll = u->dlm = u->fcr = 0;
    u->lsr_err = 0;
    u->msr_delta = 0;
    u->msr_status = modem_inputs(u);
    u->thre_pending = false;
    u->rx_head = u->rx_count = 0;
    rx_refill(u);
    update_irq(u);
}

void ns16550_init(Ns16550 *u, Bus *bus, uint64_t base, CharDev *chr, IrqLine irq)
{
    *u = (Ns16550){ .chr = chr, .irq = irq, .base = base };
    chr->input_ready = ns16550_input_ready;
    chr->accepting = false;
    chr->input_opaque = u;
    ns16550_reset(u);
    bus_map_mmio(bus, "ns16550", base, NS16550_REGION_SIZE, &ns16550_ops, u);
}

int ns16550_fdt(const Ns16550 *u, void *fdt, uint32_t irq, uint32_t irq_parent_phandle)
{
    DEV_FDT_TRY(dev_fdt_begin_unit(fdt, "serial", u->base));
    DEV_FDT_TRY(fdt_property_string(fdt, "compatible", "ns16550a"));
    DEV_FDT_TRY(dev_fdt_reg(fdt, u->base, NS16550_REGION_SIZE));
    DEV_FDT_TRY(fdt_property_u32(fdt, "clock-frequency", NS16550_CLOCK_HZ));
    DEV_FDT_TRY(dev_fdt_irq(fdt, irq, irq_parent_phandle));
    return fdt_end_node(fdt);
}

void ns16550_save(const Ns16550 *u, StateW *w)
{
    const uint8_t regs[] = { u->ier, u->lcr, u->mcr, u->scr, u->dll, u->dlm, u->fcr,
                             u->lsr_err, u->msr_status, u->msr_delta };
    sw_bytes(w, regs, sizeof(regs));
    sw_bool(w, u->thre_pending);
    sw_bool(w, u->irq_level);
    sw_bytes(w, u->rx, sizeof(u->rx));
    sw_u32(w, u->rx_head);
    sw_u32(w, u->rx_count);
}

void ns16550_load(Ns16550 *u, StateR *r)
{
    uint8_t regs[10];
    sr_bytes(r, regs, sizeof(regs));
    u->ier = regs[0], u->lcr = regs[1], u->mcr = regs[2], u->scr = regs[3], u->dll = regs[4];
    u->dlm = regs[5], u->fcr = regs[6], u->lsr_err = regs[7], u->msr_status = regs[8];
    u->msr_delta = regs[9];
    u->thre_pending = sr_bool(r);
    u->irq_level = sr_bool(r);
    sr_bytes(r, u->rx, sizeof(u->rx));
    u->rx_head = sr_u32(r);
    u->rx_count = sr_u32(r);
    if (u->rx_head >= NS16550_FIFO_SIZE || u->rx_count > NS16550_FIFO_SIZE) {
        r->bad = true;
        u->rx_head = u->rx_count = 0;
    }
}
