/* tests/unit/devices/test_ns16550.c: the 16550A UART as Linux's 8250 driver and a polled
 * console see it: probe and 16550A autodetection, divisor latch, transmit, THRE and
 * received-data interrupts with their IIR priority, FIFO trigger levels, loopback, modem
 * status changes, 4-byte accesses and the FDT node. */
#include "devices/ns16550.h"
#include "tests/unit/devices/dev_test.h"

#define UART 0x10000000ULL
#define RBR (UART + 0)
#define THR (UART + 0)
#define DLL (UART + 0)
#define IER (UART + 1)
#define DLM (UART + 1)
#define IIR (UART + 2)
#define FCR (UART + 2)
#define LCR (UART + 3)
#define MCR (UART + 4)
#define LSR (UART + 5)
#define MSR (UART + 6)
#define SCR (UART + 7)
#define UART_IRQ 10

typedef struct Rig {
    Bus bus;
    VClock clock;
    uint8_t *ram;
    CharDev chr;
    int out_fd;
    TestIrqs irqs;
    Ns16550 uart;
} Rig;

static Rig *rig_new(void)
{
    Rig *r = calloc(1, sizeof(*r));
    r->ram = test_bus_init(&r->bus, &r->clock, 4096);
    test_chardev_init(&r->chr, &r->out_fd);
    ns16550_init(&r->uart, &r->bus, UART, &r->chr, test_irq(&r->irqs, UART_IRQ));
    return r;
}

static void rig_free(Rig *r)
{
    close(r->chr.out_fd);
    close(r->out_fd);
    free(r->ram);
    free(r);
}

static uint8_t rd(Rig *r, uint64_t pa)
{
    return (uint8_t)test_rd(&r->bus, pa, 1);
}

static void wr(Rig *r, uint64_t pa, uint8_t v)
{
    test_wr(&r->bus, pa, 1, v);
}

static void push(Rig *r, const char *s)
{
    chardev_push_input(&r->chr, (const uint8_t *)s, strlen(s));
}

static bool irq(Rig *r)
{
    return r->irqs.level[UART_IRQ];
}

static void test_reset_state(void)
{
    Rig *r = rig_new();
    CHECK_EQ(rd(r, IIR), 0x01);
    CHECK_EQ(rd(r, LSR), 0x60);
    CHECK_EQ(rd(r, IER), 0);
    CHECK_EQ(rd(r, LCR), 0);
    CHECK_EQ(rd(r, MSR) & 0xf0, 0xb0); /* DCD, DSR, CTS */
    CHECK(!irq(r));
    rig_free(r);
}

/* The register probing of Linux's 8250 autoconfig, in its order. */
static void test_autodetect_16550a(void)
{
    Rig *r = rig_new();
    /* IER holds what is written in bits 3:0. */
    wr(r, IER, 0);
    CHECK_EQ(rd(r, IER) & 0x0f, 0);
    wr(r, IER, 0x0f);
    CHECK_EQ(rd(r, IER) & 0x0f, 0x0f);
    wr(r, IER, 0);
    /* Loopback: MCR = LOOP | OUT2 | RTS gives MSR = DCD | CTS. */
    wr(r, MCR, 0x1a);
    CHECK_EQ(rd(r, MSR) & 0xf0, 0x90);
    wr(r, MCR, 0);
    /* Scratch register. */
    wr(r, SCR, 0xa5);
    CHECK_EQ(rd(r, SCR), 0xa5);
    wr(r, SCR, 0x5a);
    CHECK_EQ(rd(r, SCR), 0x5a);
    /* FIFO enable: IIR bits 7:6 both set (16550A, not the buggy 16550). */
    wr(r, LCR, 0);
    wr(r, FCR, 0x01);
    CHECK_EQ(rd(r, IIR) >> 6, 3);
    /* No EFR behind LCR = 0x80 or 0xbf: offset 2 still reads a non-zero IIR. */
    wr(r, LCR, 0x80);
    CHECK(rd(r, IIR) != 0);
    wr(r, LCR, 0xbf);
    CHECK(rd(r, IIR) != 0);
    /* Not a National SuperIO: offset 2 at LCR = 0xe0 does not follow MCR[LOOP]. */
    wr(r, LCR, 0);
    uint8_t mcr = rd(r, MCR);
    wr(r, LCR, 0xe0);
    uint8_t excr1 = rd(r, IIR);
    CHECK_EQ((excr1 ^ mcr) & 0x10, 0);
    wr(r, LCR, 0);
    wr(r, MCR, mcr ^ 0x10);
    wr(r, LCR, 0xe0);
    excr1 = rd(r, IIR);
    CHECK_EQ((excr1 ^ mcr) & 0x10, 0);
    wr(r, LCR, 0);
    wr(r, MCR, mcr);
    /* Not a TI16750: no 64-byte FIFO bit, with or without DLAB. */
    wr(r, FCR, 0x21);
    CHECK_EQ(rd(r, IIR) & 0xe0, 0xc0);
    wr(r, FCR, 0x01);
    wr(r, LCR, 0x80);
    wr(r, FCR, 0x21);
    CHECK_EQ(rd(r, IIR) & 0xe0, 0xc0);
    wr(r, FCR, 0x01);
    wr(r, LCR, 0);
    /* Not an XScale: IER bit 6 (UUE) does not stick. */
    wr(r, IER, 0x40);
    CHECK_EQ(rd(r, IER) & 0x40, 0);
    rig_free(r);
}

static void test_divisor_latch(void)
{
    Rig *r = rig_new();
    wr(r, IER, 0x05);
    wr(r, LCR, 0x83);
    wr(r, DLL, 0x01);
    wr(r, DLM, 0x02);
    CHECK_EQ(rd(r, DLL), 0x01);
    CHECK_EQ(rd(r, DLM), 0x02);
    wr(r, LCR, 0x03);
    CHECK_EQ(rd(r, IER), 0x05);
    CHECK_EQ(rd(r, LCR), 0x03);
    char out[16];
    CHECK_EQ(test_chardev_output(r->out_fd, out, sizeof(out)), 0); /* DLL write sent nothing */
    rig_free(r);
}

static void test_transmit_and_thre(void)
{
    Rig *r = rig_new();
    char out[64];
    wr(r, THR, 'h');
    wr(r, THR, 'i');
    test_chardev_output(r->out_fd, out, sizeof(out));
    CHECK(strcmp(out, "hi") == 0);
    CHECK_EQ(rd(r, LSR) & 0x60, 0x60);
    CHECK(!irq(r));

    /* Enabling ETBEI with THR empty raises the THRE interrupt at once. */
    wr(r, FCR, 0x01);
    wr(r, IER, 0x02);
    CHECK(irq(r));
    CHECK_EQ(rd(r, IIR), 0xc2);
    /* Reading IIR that reported THRE clears it. */
    CHECK(!irq(r));
    CHECK_EQ(rd(r, IIR), 0xc1);
    /* A THR write empties again: THRE returns. */
    wr(r, THR, '!');
    CHECK(irq(r));
    wr(r, IER, 0);
    CHECK(!irq(r));
    /* Linux's UART_BUG_THRE probe: re-enabling THRI re-asserts THRE. */
    wr(r, IER, 0x02);
    CHECK_EQ(rd(r, IIR) & 0x0f, 0x02);
    wr(r, IER, 0);
    wr(r, IER, 0x02);
    CHECK_EQ(rd(r, IIR) & 0x0f, 0x02);
    wr(r, IER, 0);
    test_chardev_output(r->out_fd, out, sizeof(out));
    CHECK(strcmp(out, "!") == 0);
    rig_free(r);
}

static void test_receive(void)
{
    Rig *r = rig_new();
    wr(r, FCR, 0x07); /* FIFO on, both cleared, trigger 1 */
    wr(r, IER, 0x01);
    CHECK(!irq(r));
    CHECK_EQ(rd(r, LSR) & 0x01, 0);
    push(r, "abc");
    CHECK(irq(r));
    CHECK_EQ(rd(r, IIR), 0xc4);
    CHECK_EQ(rd(r, LSR) & 0x01, 0x01);
    CHECK_EQ(rd(r, RBR), 'a');
    CHECK_EQ(rd(r, RBR), 'b');
    CHECK(irq(r));
    CHECK_EQ(rd(r, RBR), 'c');
    CHECK(!irq(r));
    CHECK_EQ(rd(r, LSR) & 0x01, 0);
    CHECK_EQ(rd(r, IIR), 0xc1);
    CHECK_EQ(rd(r, RBR), 0); /* empty FIFO */

    /* Trigger level 14: three bytes are a character timeout, 16 are data available. */
    wr(r, FCR, 0xc1);
    push(r, "xyz");
    CHECK_EQ(rd(r, IIR), 0xcc);
    CHECK_EQ(rd(r, RBR), 'x');
    CHECK_EQ(rd(r, RBR), 'y');
    CHECK_EQ(rd(r, RBR), 'z');
    push(r, "0123456789abcdefghij"); /* 20 bytes: 16 in the FIFO, 4 still queued */
    CHECK_EQ(r->uart.rx_count, 16);
    CHECK_EQ(rd(r, IIR), 0xc4);
    char got[21] = { 0 };
    for (int i = 0; i < 20; i++) {
        CHECK_EQ(rd(r, LSR) & 0x01, 0x01);
        got[i] = (char)rd(r, RBR);
    }
    CHECK(strcmp(got, "0123456789abcdefghij") == 0);
    CHECK(!irq(r));

    /* FCR clear-RX drops what the FIFO holds. */
    push(r, "q");
    CHECK_EQ(rd(r, LSR) & 0x01, 1);
    wr(r, FCR, 0xc3);
    CHECK_EQ(rd(r, LSR) & 0x01, 0);
    CHECK(!irq(r));
    rig_free(r);
}

static void test_priority(void)
{
    Rig *r = rig_new();
    wr(r, FCR, 0x01);
    wr(r, IER, 0x03);
    push(r, "k");
    /* Received data outranks THR empty. */
    CHECK_EQ(rd(r, IIR), 0xc4);
    CHECK_EQ(rd(r, RBR), 'k');
    CHECK_EQ(rd(r, IIR), 0xc2);
    CHECK_EQ(rd(r, IIR), 0xc1);
    CHECK(!irq(r));
    rig_free(r);
}

static void test_non_fifo_mode(void)
{
    Rig *r = rig_new();
    wr(r, IER, 0x01);
    push(r, "12");
    CHECK_EQ(r->uart.rx_count, 1); /* one holding register */
    CHECK_EQ(rd(r, IIR), 0x04);
    CHECK_EQ(rd(r, RBR), '1');
    CHECK_EQ(rd(r, IIR), 0x04);
    CHECK_EQ(rd(r, RBR), '2');
    CHECK_EQ(rd(r, IIR), 0x01);
    rig_free(r);
}

static void test_loopback(void)
{
    Rig *r = rig_new();
    char out[16];
    wr(r, FCR, 0x01);
    wr(r, MCR, 0x10);
    wr(r, THR, 'x');
    CHECK_EQ(test_chardev_output(r->out_fd, out, sizeof(out)), 0);
    CHECK_EQ(rd(r, LSR) & 0x01, 1);
    CHECK_EQ(rd(r, RBR), 'x');
    /* Host input waits while the serial input is disconnected. */
    push(r, "q");
    CHECK_EQ(rd(r, LSR) & 0x01, 0);
    /* Overrun: 17 bytes into a 16-byte FIFO. */
    for (int i = 0; i < 17; i++)
        wr(r, THR, (uint8_t)('A' + i));
    CHECK_EQ(rd(r, LSR) & 0x03, 0x03);
    CHECK_EQ(rd(r, LSR) & 0x02, 0); /* OE clears on read */
    wr(r, FCR, 0x03);
    wr(r, MCR, 0x00);
    CHECK_EQ(rd(r, RBR), 'q');
    rig_free(r);
}

static void test_modem_status(void)
{
    Rig *r = rig_new();
    wr(r, MCR, 0x10);
    rd(r, MSR); /* consume the deltas of entering loopback */
    wr(r, IER, 0x08);
    CHECK(!irq(r));
    wr(r, MCR, 0x12); /* RTS -> CTS */
    CHECK(irq(r));
    CHECK_EQ(rd(r, IIR), 0x00);
    CHECK_EQ(rd(r, MSR), 0x11); /* CTS | DCTS */
    CHECK(!irq(r));
    CHECK_EQ(rd(r, MSR), 0x10);
    rig_free(r);
}

static void test_wide_access(void)
{
    Rig *r = rig_new();
    char out[16];
    test_wr(&r->bus, THR, 4, 'A');
    test_chardev_output(r->out_fd, out, sizeof(out));
    CHECK(strcmp(out, "A") == 0);
    CHECK_EQ(test_rd(&r->bus, LSR, 4), 0x60);
    uint64_t v;
    CHECK(bus_read(&r->bus, UART + 0x40, 1, &v) && v == 0); /* unused offsets */
    CHECK(!bus_read(&r->bus, UART, 8, &v));
    rig_free(r);
}

static void test_fdt(void)
{
    Rig *r = rig_new();
    void *fdt = test_fdt_begin();
    CHECK_EQ(ns16550_fdt(&r->uart, fdt, UART_IRQ, 3), 0);
    test_fdt_finish(fdt);
    const char *path = "/serial@10000000";
    int node = fdt_path_offset(fdt, path);
    CHECK(node >= 0);
    CHECK(fdt_node_check_compatible(fdt, node, "ns16550a") == 0);
    CHECK_EQ(test_fdt_cell(fdt, path, "reg", 1), UART);
    CHECK_EQ(test_fdt_cell(fdt, path, "reg", 3), 0x100);
    CHECK_EQ(test_fdt_cell(fdt, path, "clock-frequency", 0), 3686400);
    CHECK_EQ(test_fdt_cell(fdt, path, "interrupts", 0), UART_IRQ);
    CHECK_EQ(test_fdt_cell(fdt, path, "interrupt-parent", 0), 3);
    free(fdt);
    rig_free(r);
}

int main(void)
{
    test_reset_state();
    test_autodetect_16550a();
    test_divisor_latch();
    test_transmit_and_thre();
    test_receive();
    test_priority();
    test_non_fifo_mode();
    test_loopback();
    test_modem_status();
    test_wide_access();
    test_fdt();
    return unit_summary("test_ns16550");
}
