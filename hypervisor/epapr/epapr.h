/* hypervisor/epapr/epapr.h: hvemu as the hypervisor of an e500mc guest (`-M e500,hv=on`),
 * in the role KVM's e500mc support plays (Linux arch/powerpc/kvm/e500mc.c, booke.c; seed
 * 001): the guest runs in guest state (MSR[GS] = 1, LPIDR = its LPID) on the real E.HV
 * machinery, and what the hardware gives the hypervisor lands here:
 *   - `sc 1` is an ePAPR hypercall (ePAPR 1.1 chapter 8 "Hypervisor Interfaces", Linux
 *     asm/epapr_hcalls.h): r11 = vendor << 16 | token, arguments in r3..r10, status in
 *     r3; one const table (epapr_hcall.c) serves the byte channel (the console), EV_IDLE,
 *     the interrupt-controller calls and KVM's feature query; any other token gets
 *     EV_UNIMPLEMENTED, logged once;
 *   - the embedded hypervisor privilege interrupt: the guest's TLB instructions (e500mc
 *     has no LRAT) are performed on the thread's TLB with MAS8[TGS] and the guest's LPID
 *     (guest-physical addresses are machine addresses: the guest owns the board), its
 *     writes of IVPR/IVORn go to GIVPR/GIVORn or a software copy, the interrupt-return
 *     and doorbell instructions are carried out for it, the hypervisor SPRs it may see
 *     pass through; anything else becomes a Program interrupt (illegal) in the guest,
 *     with a rate-limited log line, never an emulator failure (seed 001);
 *   - interrupts the guest does not take directly (program, alignment, floating point,
 *     decrementer, watchdog, critical, machine check, doorbells) are reflected into the
 *     guest through its own vectors. */
#ifndef HVEMU_EPAPR_H
#define HVEMU_EPAPR_H

#include <stdio.h>

#include "cpu/ppc/ppc_core.h"
#include "devices/bus.h"
#include "devices/chardev.h"

/* ePAPR hypercall tokens (vendor EV_EPAPR_VENDOR_ID = 1) and status codes. */
enum {
    EV_BYTE_CHANNEL_SEND = 1,
    EV_BYTE_CHANNEL_RECEIVE = 2,
    EV_BYTE_CHANNEL_POLL = 3,
    EV_INT_SET_CONFIG = 4,
    EV_INT_GET_CONFIG = 5,
    EV_INT_SET_MASK = 6,
    EV_INT_GET_MASK = 7,
    EV_INT_IACK = 9,
    EV_INT_EOI = 10,
    EV_INT_SEND_IPI = 11,
    EV_INT_SET_TASK_PRIORITY = 12,
    EV_INT_GET_TASK_PRIORITY = 13,
    EV_DOORBELL_SEND = 14,
    EV_MSGSND = 15,
    EV_IDLE = 16,
};
#define EV_EPAPR_VENDOR_ID 1
#define EV_KVM_VENDOR_ID 42
#define EV_HCALL_TOKEN(vendor, num) (((uint32_t)(vendor) << 16) | (num))
#define KVM_HC_FEATURES 3

enum {
    EV_SUCCESS = 0,
    EV_EPERM = 1,
    EV_ENOENT = 2,
    EV_EIO = 3,
    EV_EAGAIN = 4,
    EV_ENOMEM = 5,
    EV_EFAULT = 6,
    EV_ENODEV = 7,
    EV_EINVAL = 8,
    EV_INTERNAL = 9,
    EV_CONFIG = 10,
    EV_INVALID_STATE = 11,
    EV_UNIMPLEMENTED = 12,
    EV_BUFFER_OVERFLOW = 13,
};

#define EV_BYTE_CHANNEL_MAX_BYTES 16
#define EPAPR_CONSOLE_HANDLE 0     /* the byte channel the console is */
#define EPAPR_GUEST_LPID 1
/* The guest's interrupt config word (Linux asm/ehv_pic.h): polarity and sense. */
#define EV_INT_CONFIG_POLARITY_POSITIVE 0x1
#define EV_INT_CONFIG_SENSE_LEVEL 0x2

#define EPAPR_MAX_CPUS 4

/* What the hypervisor keeps for each vCPU beyond the hardware state. */
typedef struct EpaprVcpu {
    uint32_t ivpr;           /* the guest's IVPR (GIVPR holds the same prefix) */
    uint32_t ivor[64];       /* the guest's IVORn */
} EpaprVcpu;

typedef struct Epapr {
    Bus *bus;
    PpcCpu **cpus;
    unsigned ncpus;
    unsigned *current_cpu;   /* the machine's "this CPU" for the PIC's per-CPU registers */
    uint64_t mpic_base;      /* the PIC's register window, for the EV_INT_* calls */
    CharDev *console;        /* byte channel EPAPR_CONSOLE_HANDLE */
    IrqLine bc_rx, bc_tx;    /* its receive-data and transmit-space interrupts */
    SysCtl sysctl;
    uint32_t epcr;           /* the EPCR guest threads run with */
    EpaprVcpu vcpu[EPAPR_MAX_CPUS];
    FILE *log;               /* -d ehv: every call, guest exit and reflection */
    FILE *log_unimp;         /* -d unimp: unknown tokens */
    unsigned emul_failures;  /* instructions that became Program interrupts */
    bool warned[64];         /* unknown token classes already reported */
} Epapr;

typedef struct EpaprHcall {
    uint32_t token;
    const char *name;
    void (*fn)(Epapr *h, PpcCpu *c);
    const char *args; /* names of r3, r4, ... the call reads, comma separated (-d ehv) */
    const char *rets; /* names of r4, r5, ... it returns beside the status in r3 */
} EpaprHcall;

extern const EpaprHcall epapr_hcalls[];
extern const unsigned epapr_nhcalls;

/* Sets up the hypervisor state; false if the hcall table has duplicate tokens. */
bool epapr_init(Epapr *h);
/* PpcCore.hv_exit: an interrupt for the hypervisor from guest state (c->exc). */
void epapr_hv_exit(void *opaque, PpcCpu *c);
/* Serves the hypercall in c's registers (r11 = token). */
void epapr_hcall(Epapr *h, PpcCpu *c);
/* Puts a thread that starts (boot or spin table) into the guest. */
void epapr_vcpu_start(Epapr *h, PpcCpu *c);
/* The console byte channel got input (level of its receive interrupt). */
void epapr_console_input(Epapr *h);
/* The /hypervisor node: compatible, hcall-instructions, has-idle, and the console byte
 * channel (epapr,hv-byte-channel with hv-handle and interrupts <rx tx>). */
int epapr_fdt(const Epapr *h, void *fdt, uint32_t bc_rx_irq, uint32_t bc_tx_irq);

struct StateW;
struct StateR;
/* Snapshot state (cpu/common/state.h): the guests' virtual IVPR and IVORs. */
void epapr_save(const Epapr *h, struct StateW *w);
void epapr_load(Epapr *h, struct StateR *r);

#endif
