/* devices/htif.h: the Berkeley Host-Target Interface as bare-metal RISC-V test programs
 * (riscv-tests, programs built for Spike) use it: two 64-bit words, tohost and fromhost,
 * in the program's own memory. The machine maps this device over RAM at the addresses of
 * the ELF's `tohost` and `fromhost` symbols. */
#ifndef HVEMU_HTIF_H
#define HVEMU_HTIF_H

#include "devices/bus.h"
#include "devices/chardev.h"

#define HTIF_SYS_WRITE 64

typedef struct Htif {
    Bus *bus;
    CharDev *chr;
    SysCtl ctl;
    uint64_t tohost_addr, fromhost_addr;
    bool has_fromhost;
    uint64_t tohost, fromhost;
} Htif;

/* Maps an 8-byte register at tohost and one at fromhost (together the 16-byte window
 * when fromhost == tohost + 8); fromhost == 0 means the program has none, and responses
 * are then dropped. Accesses are 4 or 8 bytes. Console output goes to chr. */
void htif_init(Htif *h, Bus *bus, uint64_t tohost, uint64_t fromhost, CharDev *chr,
               SysCtl ctl);

struct StateW;
struct StateR;
/* Snapshot state (cpu/common/state.h). */
void htif_save(const Htif *h, struct StateW *w);
void htif_load(Htif *h, struct StateR *r);

#endif
