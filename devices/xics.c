/* devices/xics.c: the XICS interrupt controller (see xics.h), following LoPAR chapter 6
 * "Interrupt Controller" (the ICS/ICP split, the XIRR/CPPR/MFRR registers, rejection and
 * resend) and the semantics of the "Interrupt Support hcall()s" of chapter 14. A source
 * that an ICP cannot take (its priority is not more favoured than the CPPR, or than what
 * the ICP already presents) is rejected back to the ICS, which sends it again whenever an
 * ICP lowers its priority (a less favoured CPPR, or an EOI). */
#include "devices/xics.h"
#include "cpu/common/state.h"

#include <libfdt.h>
#include <stdlib.h>

#include "devices/dev_fdt.h"

static XicsSource *src_of(Xics *x, uint32_t irq)
{
    return xics_irq_valid(x, irq) ? &x->src[irq - x->irq_base] : NULL;
}

static void icp_set_output(Xics *x, unsigned server, bool level)
{
    XicsIcp *icp = &x->icp[server];
    if (icp->output == level)
        return;
    icp->output = level;
    if (x->set_external)
        x->set_external(x->opaque, server, level);
}

/* The ICP gave interrupt nr back: the ICS must send it again later. */
static void ics_reject(Xics *x, uint32_t nr)
{
    XicsSource *s = src_of(x, nr);
    if (!s)
        return; /* the IPI: the MFRR still holds it */
    if (s->lsi)
        s->presented = false;
    else
        s->rejected = true;
}

/* Takes the ICP's presented interrupt away (without accepting it). */
static void icp_withdraw(Xics *x, unsigned server)
{
    XicsIcp *icp = &x->icp[server];
    uint32_t old = icp->xisr;
    icp->xisr = 0;
    icp->pending_prio = XICS_PRIO_MASKED;
    icp_set_output(x, server, false);
    ics_reject(x, old);
}

/* An interrupt nr of priority prio arrives at the ICP of server:
 * 1. refused (back to the ICS) unless more favoured than both the CPPR and what the ICP
 *    already presents;
 * 2. otherwise it replaces the presented interrupt, which goes back to the ICS;
 * 3. and the server's external line is raised. */
static void icp_present(Xics *x, unsigned server, uint32_t nr, uint8_t prio)
{
    XicsIcp *icp = &x->icp[server];
    if (prio >= icp->cppr || (icp->xisr && icp->pending_prio <= prio)) {
        ics_reject(x, nr);
        return;
    }
    uint32_t old = icp->xisr;
    icp->xisr = nr;
    icp->pending_prio = prio;
    icp_set_output(x, server, true);
    if (old && old != nr)
        ics_reject(x, old);
}

/* Presents the IPI if the MFRR is more favoured than the CPPR and the presented
 * interrupt. */
static void icp_check_ipi(Xics *x, unsigned server)
{
    XicsIcp *icp = &x->icp[server];
    if (icp->mfrr >= icp->cppr)
        return;
    if (icp->xisr && icp->xisr != XICS_IPI && icp->pending_prio <= icp->mfrr)
        return;
    icp_present(x, server, XICS_IPI, icp->mfrr);
}

/* Sends source i to its server if it can present: unmasked, and for an LSI asserted and
 * not already presented. */
static void ics_deliver(Xics *x, unsigned i)
{
    XicsSource *s = &x->src[i];
    if (s->priority == XICS_PRIO_MASKED) {
        if (!s->lsi)
            s->masked_pending = true;
        return;
    }
    if (s->lsi) {
        if (!s->asserted || s->presented)
            return;
        s->presented = true;
    } else {
        s->rejected = false;
        s->masked_pending = false;
    }
    icp_present(x, s->server, x->irq_base + i, s->priority);
}

/* Every source waiting to be sent again tries once more. */
static void ics_resend(Xics *x)
{
    for (unsigned i = 0; i < x->nsrcs; i++) {
        XicsSource *s = &x->src[i];
        if (s->lsi ? (s->asserted && !s->presented) : s->rejected)
            ics_deliver(x, i);
    }
}

/* The ICP of server lowered its priority: the IPI and rejected sources try again. */
static void icp_resend(Xics *x, unsigned server)
{
    icp_check_ipi(x, server);
    ics_resend(x);
}

bool xics_init(Xics *x, unsigned nservers, uint32_t irq_base, unsigned nsrcs,
               void (*set_external)(void *opaque, unsigned server, bool level), void *opaque)
{
    *x = (Xics){ 0 };
    if (nservers == 0 || nservers > XICS_MAX_SERVERS || nsrcs > XICS_MAX_SOURCES ||
        irq_base <= XICS_IPI || (uint64_t)irq_base + nsrcs > 0x1000000)
        return false;
    x->icp = calloc(nservers, sizeof(*x->icp));
    x->src = calloc(nsrcs ? nsrcs : 1, sizeof(*x->src));
    if (!x->icp || !x->src) {
        xics_free(x);
        return false;
    }
    x->nservers = nservers;
    x->irq_base = irq_base;
    x->nsrcs = nsrcs;
    x->set_external = set_external;
    x->opaque = opaque;
    for (unsigned i = 0; i < nsrcs; i++)
        x->src[i].lsi = true;
    xics_reset(x);
    return true;
}

void xics_free(Xics *x)
{
    free(x->icp);
    free(x->src);
    x->icp = NULL;
    x->src = NULL;
    x->nservers = x->nsrcs = 0;
}

void xics_reset(Xics *x)
{
    for (unsigned s = 0; s < x->nservers; s++) {
        icp_set_output(x, s, false);
        x->icp[s] = (XicsIcp){ .cppr = 0, .mfrr = XICS_PRIO_MASKED,
                               .pending_prio = XICS_PRIO_MASKED };
    }
    for (unsigned i = 0; i < x->nsrcs; i++)
        x->src[i] = (XicsSource){ .priority = XICS_PRIO_MASKED,
                                  .saved_priority = XICS_PRIO_MASKED, .lsi = x->src[i].lsi };
}

bool xics_irq_valid(const Xics *x, uint32_t irq)
{
    return irq >= x->irq_base && irq - x->irq_base < x->nsrcs;
}

bool xics_server_valid(const Xics *x, uint64_t server)
{
    return server < x->nservers;
}

void xics_set_irq(Xics *x, uint32_t irq, bool level)
{
    XicsSource *s = src_of(x, irq);
    if (!s)
        return;
    if (s->lsi)
        s->asserted = level;
    if (level)
        ics_deliver(x, irq - x->irq_base);
}

static void xics_line_set(void *opaque, unsigned n, bool level)
{
    xics_set_irq(opaque, n, level);
}

IrqLine xics_irq(Xics *x, uint32_t irq)
{
    if (!xics_irq_valid(x, irq))
        return (IrqLine){ 0 };
    return (IrqLine){ .set = xics_line_set, .opaque = x, .n = irq };
}

void xics_set_lsi(Xics *x, uint32_t irq, bool lsi)
{
    XicsSource *s = src_of(x, irq);
    if (s)
        s->lsi = lsi;
}

uint32_t xics_accept(Xics *x, unsigned server)
{
    XicsIcp *icp = &x->icp[server];
    uint32_t xirr = ((uint32_t)icp->cppr << 24) | icp->xisr;
    if (icp->xisr) {
        icp->cppr = icp->pending_prio;
        icp->xisr = 0;
        icp->pending_prio = XICS_PRIO_MASKED;
        icp_set_output(x, server, false);
    }
    return xirr;
}

/* 1. A more favoured CPPR sends back a presented interrupt it now masks.
 * 2. A less favoured one lets the IPI and the rejected sources try again. */
void xics_set_cppr(Xics *x, unsigned server, uint8_t cppr)
{
    XicsIcp *icp = &x->icp[server];
    uint8_t old = icp->cppr;
    icp->cppr = cppr;
    if (cppr < old) {
        if (icp->xisr && icp->pending_prio >= cppr)
            icp_withdraw(x, server);
    } else if (cppr > old) {
        icp_resend(x, server);
    }
}

/* 1. The CPPR takes xirr's top byte; a presented interrupt it masks goes back.
 * 2. The source named by the XISR ends its interrupt: an LSI still asserted presents
 *    again.
 * 3. The IPI and the rejected sources try again. */
void xics_eoi(Xics *x, unsigned server, uint32_t xirr)
{
    XicsIcp *icp = &x->icp[server];
    icp->cppr = (uint8_t)(xirr >> 24);
    if (icp->xisr && icp->pending_prio >= icp->cppr)
        icp_withdraw(x, server);
    XicsSource *s = src_of(x, xirr & 0xffffff);
    if (s && s->lsi)
        s->presented = false;
    icp_resend(x, server);
}

void xics_set_mfrr(Xics *x, unsigned server, uint8_t mfrr)
{
    XicsIcp *icp = &x->icp[server];
    uint8_t old = icp->mfrr;
    icp->mfrr = mfrr;
    if (mfrr < old)
        icp_check_ipi(x, server);
}

uint32_t xics_poll(const Xics *x, unsigned server, uint8_t *mfrr)
{
    const XicsIcp *icp = &x->icp[server];
    if (mfrr)
        *mfrr = icp->mfrr;
    return ((uint32_t)icp->cppr << 24) | icp->xisr;
}

/* A source just unmasked presents what it holds: an asserted LSI, or an MSI that
 * triggered while masked. */
static void ics_unmasked(Xics *x, XicsSource *s)
{
    if (s->priority == XICS_PRIO_MASKED)
        return;
    if (s->lsi || s->masked_pending || s->rejected)
        ics_deliver(x, (unsigned)(s - x->src));
}

XicsStatus xics_set_xive(Xics *x, uint32_t irq, uint64_t server, uint8_t priority)
{
    XicsSource *s = src_of(x, irq);
    if (!s)
        return XICS_BAD_IRQ;
    if (!xics_server_valid(x, server))
        return XICS_BAD_SERVER;
    s->server = (uint32_t)server;
    s->priority = priority;
    s->saved_priority = priority;
    ics_unmasked(x, s);
    return XICS_OK;
}

XicsStatus xics_get_xive(const Xics *x, uint32_t irq, uint32_t *server, uint8_t *priority)
{
    if (!xics_irq_valid(x, irq))
        return XICS_BAD_IRQ;
    const XicsSource *s = &x->src[irq - x->irq_base];
    *server = s->server;
    *priority = s->priority;
    return XICS_OK;
}

XicsStatus xics_int_off(Xics *x, uint32_t irq)
{
    XicsSource *s = src_of(x, irq);
    if (!s)
        return XICS_BAD_IRQ;
    if (s->priority != XICS_PRIO_MASKED)
        s->saved_priority = s->priority;
    s->priority = XICS_PRIO_MASKED;
    return XICS_OK;
}

XicsStatus xics_int_on(Xics *x, uint32_t irq)
{
    XicsSource *s = src_of(x, irq);
    if (!s)
        return XICS_BAD_IRQ;
    s->priority = s->saved_priority;
    ics_unmasked(x, s);
    return XICS_OK;
}

int xics_fdt(const Xics *x, void *fdt, uint32_t phandle)
{
    fdt32_t ranges[2] = { cpu_to_fdt32(0), cpu_to_fdt32(x->nservers) };
    DEV_FDT_TRY(fdt_begin_node(fdt, "interrupt-controller"));
    DEV_FDT_TRY(fdt_property_string(fdt, "device_type",
                                    "PowerPC-External-Interrupt-Presentation"));
    DEV_FDT_TRY(fdt_property_string(fdt, "compatible", "IBM,ppc-xicp"));
    DEV_FDT_TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
    DEV_FDT_TRY(fdt_property_u32(fdt, "#interrupt-cells", 2));
    DEV_FDT_TRY(fdt_property_u32(fdt, "#address-cells", 0));
    DEV_FDT_TRY(fdt_property(fdt, "ibm,interrupt-server-ranges", ranges, sizeof(ranges)));
    DEV_FDT_TRY(fdt_property_u32(fdt, "phandle", phandle));
    return fdt_end_node(fdt);
}

void xics_save(const Xics *x, StateW *w)
{
    for (unsigned n = 0; n < x->nservers; n++) {
        const XicsIcp *i = &x->icp[n];
        sw_u8(w, i->cppr);
        sw_u8(w, i->mfrr);
        sw_u32(w, i->xisr);
        sw_u8(w, i->pending_prio);
        sw_bool(w, i->output);
    }
    for (unsigned n = 0; n < x->nsrcs; n++) {
        const XicsSource *s = &x->src[n];
        sw_u32(w, s->server);
        sw_u8(w, s->priority);
        sw_u8(w, s->saved_priority);
        const bool flags[] = { s->lsi, s->asserted, s->presented, s->rejected, s->masked_pending };
        for (unsigned k = 0; k < ARRAY_SIZE(flags); k++)
            sw_bool(w, flags[k]);
    }
}

void xics_load(Xics *x, StateR *r)
{
    for (unsigned n = 0; n < x->nservers; n++) {
        XicsIcp *i = &x->icp[n];
        i->cppr = sr_u8(r);
        i->mfrr = sr_u8(r);
        i->xisr = sr_u32(r);
        i->pending_prio = sr_u8(r);
        i->output = sr_bool(r);
    }
    for (unsigned n = 0; n < x->nsrcs; n++) {
        XicsSource *s = &x->src[n];
        s->server = sr_u32(r);
        if (s->server >= x->nservers)
            r->bad = true;
        s->priority = sr_u8(r);
        s->saved_priority = sr_u8(r);
        s->lsi = sr_bool(r);
        s->asserted = sr_bool(r);
        s->presented = sr_bool(r);
        s->rejected = sr_bool(r);
        s->masked_pending = sr_bool(r);
    }
}
