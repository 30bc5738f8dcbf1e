/* tests/guest/riscv/htif.c: the HTIF tohost/fromhost device that bare-metal RISC-V test
 * programs (riscv-tests, Spike) use: hvemu maps it when the ELF has a `tohost` symbol.
 * Console putchar (device 1, command 1) must be answered in fromhost, and the final exit
 * (device 0, command 0, payload (status << 1) | 1) ends the run with that status. */
#include "guest_riscv.h"

volatile uint64_t tohost __attribute__((section(".tohost"), aligned(64)));
volatile uint64_t fromhost __attribute__((section(".tohost"), aligned(64)));

#define HTIF_CMD(dev, cmd, payload) (((uint64_t)(dev) << 56) | ((uint64_t)(cmd) << 48) | (payload))

static void htif_putchar(char c)
{
    tohost = HTIF_CMD(1, 1, (uint8_t)c);
    for (unsigned spin = 0; spin < 1000000 && !fromhost; spin++)
        ;
}

int main(void)
{
    const char *msg = "HTIF console works\n";
    report(tohost == 0 && fromhost == 0, "tohost and fromhost start at zero");
    htif_putchar(msg[0]);
    report(fromhost == HTIF_CMD(1, 1, 0x100 | (uint8_t)msg[0]),
           "putchar is acknowledged in fromhost (0x%llx)", (unsigned long long)fromhost);
    fromhost = 0;
    for (const char *p = msg + 1; *p; p++) {
        htif_putchar(*p);
        fromhost = 0;
    }
    if (report_summary() != 0)
        guest_exit(1);
    /* The exit goes through HTIF, not the test finisher. */
    tohost = HTIF_CMD(0, 0, (0 << 1) | 1);
    for (;;)
        ;
}
