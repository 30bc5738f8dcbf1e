/* devices/xics.h: the XICS interrupt controller of PAPR guests in "XIVE legacy" mode (LoPAR
 * chapter 6 "Interrupt Controller", section "PowerPC External Interrupt Option"; the
 * hypervisor interface of chapter 14, "Interrupt Support hcall()s": H_EOI, H_CPPR, H_IPI,
 * H_IPOLL, H_XIRR/H_XIRR-X; and the RTAS calls of chapter 7, ibm,set-xive, ibm,get-xive,
 * ibm,int-on, ibm,int-off). An Interrupt Source Controller (ICS) holds sources numbered
 * from irq_base, each with a server, a priority and its trigger state; one Interrupt
 * Presentation Controller (ICP) per server holds the XIRR (CPPR in the top byte, the
 * presented source XISR below it) and the MFRR of the inter-processor interrupt, which
 * presents as XISR 2. Priorities run from 0 (most favoured) to 0xff (least favoured;
 * as a source priority it means masked). An ICP raises its server's external-interrupt
 * line while it presents an interrupt more favoured than its CPPR. Devices reach the ICS
 * through an IrqLine per source; the CPU side is the set_external callback given at init,
 * so nothing here knows about CPUs. */
#ifndef HVEMU_XICS_H
#define HVEMU_XICS_H

#include "devices/bus.h"

#define XICS_IPI 2                  /* XISR of the inter-processor interrupt */
#define XICS_PRIO_MASKED 0xff       /* least favoured; a source with it never presents */
#define XICS_DEFAULT_IRQ_BASE 4096  /* first source number, as pseries machines use */
#define XICS_MAX_SERVERS 4096
#define XICS_MAX_SOURCES 65536

typedef struct XicsIcp {
    uint8_t cppr;          /* current processor priority */
    uint8_t mfrr;          /* most favoured request: the IPI priority; 0xff none */
    uint32_t xisr;         /* presented source, XICS_IPI, or 0 for none */
    uint8_t pending_prio;  /* priority of xisr */
    bool output;           /* level of the server's external-interrupt line */
} XicsIcp;

typedef struct XicsSource {
    uint32_t server;
    uint8_t priority;       /* XICS_PRIO_MASKED: masked */
    uint8_t saved_priority; /* kept by ibm,int-off for ibm,int-on */
    bool lsi;               /* level-sensitive (the default) or message-signalled */
    bool asserted;          /* LSI: the device holds its line high */
    bool presented;         /* LSI: sent to an ICP and not yet EOIed (or rejected) */
    bool rejected;          /* MSI: refused by its ICP; sent again on the next resend */
    bool masked_pending;    /* MSI: triggered while masked; sent when unmasked */
} XicsSource;

typedef struct Xics {
    unsigned nservers;
    XicsIcp *icp;           /* by server number */
    uint32_t irq_base;
    unsigned nsrcs;
    XicsSource *src;        /* source irq_base + i is src[i] */
    void (*set_external)(void *opaque, unsigned server, bool level);
    void *opaque;
} Xics;

typedef enum XicsStatus { XICS_OK, XICS_BAD_IRQ, XICS_BAD_SERVER } XicsStatus;

/* Servers 0..nservers-1 (the "ibm,ppc-interrupt-server#s" of the CPUs), sources
 * irq_base..irq_base+nsrcs-1, all level-sensitive and masked, every CPPR 0 (nothing
 * presents until the OS lowers it). set_external(opaque, server, level) drives a server's
 * external-interrupt input. False if a count is out of range or memory runs out. */
bool xics_init(Xics *x, unsigned nservers, uint32_t irq_base, unsigned nsrcs,
               void (*set_external)(void *opaque, unsigned server, bool level), void *opaque);
void xics_free(Xics *x);
/* Machine reset: the state xics_init leaves (sources keep their LSI/MSI kind). */
void xics_reset(Xics *x);

bool xics_irq_valid(const Xics *x, uint32_t irq);
bool xics_server_valid(const Xics *x, uint64_t server);

/* Device side. irq is the source number the guest sees (irq_base + index). */
void xics_set_irq(Xics *x, uint32_t irq, bool level);
/* An IrqLine driving source irq; a line that does nothing if irq is not a source. */
IrqLine xics_irq(Xics *x, uint32_t irq);
/* Level-sensitive (true) or message-signalled (false: a rising level is one trigger). */
void xics_set_lsi(Xics *x, uint32_t irq, bool lsi);

/* Presentation side (the hcalls). server must be valid (xics_server_valid). */
/* H_XIRR: returns the XIRR and accepts its interrupt: CPPR becomes its priority, XISR 0. */
uint32_t xics_accept(Xics *x, unsigned server);
/* H_CPPR. */
void xics_set_cppr(Xics *x, unsigned server, uint8_t cppr);
/* H_EOI: xirr's top byte becomes the CPPR; its XISR is told end of interrupt. */
void xics_eoi(Xics *x, unsigned server, uint32_t xirr);
/* H_IPI: writes the MFRR of server. */
void xics_set_mfrr(Xics *x, unsigned server, uint8_t mfrr);
/* H_IPOLL: the XIRR without accepting, and the MFRR. */
uint32_t xics_poll(const Xics *x, unsigned server, uint8_t *mfrr);

/* Source side (RTAS). */
XicsStatus xics_set_xive(Xics *x, uint32_t irq, uint64_t server, uint8_t priority);
XicsStatus xics_get_xive(const Xics *x, uint32_t irq, uint32_t *server, uint8_t *priority);
XicsStatus xics_int_off(Xics *x, uint32_t irq);
XicsStatus xics_int_on(Xics *x, uint32_t irq);

/* The presentation node of the device tree, at the place the machine has reached:
 * interrupt-controller { device_type = "PowerPC-External-Interrupt-Presentation";
 * compatible = "IBM,ppc-xicp"; interrupt-controller; #interrupt-cells = <2>;
 * #address-cells = <0>; ibm,interrupt-server-ranges = <0 nservers>; phandle }. */
int xics_fdt(const Xics *x, void *fdt, uint32_t phandle);

struct StateW;
struct StateR;
/* Snapshot state (cpu/common/state.h). */
void xics_save(const Xics *x, struct StateW *w);
void xics_load(Xics *x, struct StateR *r);

#endif
