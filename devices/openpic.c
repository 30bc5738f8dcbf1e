/* devices/openpic.c: the Freescale MPIC (see openpic.h), following the OpenPIC Register
 * Interface Specification revision 1.2 (interrupt source vector/priority and destination
 * registers, per-processor current task priority, interrupt acknowledge and end of
 * interrupt, IPI dispatch, spurious vector) with the Freescale additions of the QorIQ
 * reference manuals' "Multicore Programmable Interrupt Controller (MPIC)" chapter (block
 * revision registers, the two-bit GCR mode field with external proxy, critical routing by
 * IDR[CIn] and ILR[INTTGT], error interrupt summary and mask registers). The register
 * values a driver sees are those of QEMU's FSL MPIC v4.2, the controller of its ppce500
 * board.
 *
 * Delivery. An interrupt (a source or an IPI) requests service from CPU c when it is
 * pending, not masked, routed to c's INT output, and not already in service (a source: on
 * any CPU, so a multicast source is taken by the first CPU to acknowledge it; an IPI: on
 * c). CPU c is offered the highest-priority requesting interrupt (ties: the lowest id)
 * whose priority exceeds both CTPR and the highest priority in c's in-service stack; INT
 * is asserted while there is one. Priority 0 therefore never interrupts. Sources routed to
 * CINT or MCK bypass priorities, IACK and EOI: the output is asserted while such a source
 * is pending and unmasked (Quirk(fsl-mpic-v4.1): masking applies to critical sources).
 *
 * Quirk(qemu-ppce500): the polarity bit is kept for the guest but does not invert inputs:
 * an IrqLine level is a request level, so a device tree may call a line active-low (PCI
 * INTx) without the device model inverting its wire. */
#include "devices/openpic.h"
#include "cpu/common/state.h"

#include "devices/dev_fdt.h"

#define IPIVPR_WMASK (OPENPIC_VPR_MSK | OPENPIC_VPR_PRIORITY_MASK | OPENPIC_VPR_VECTOR_MASK)
#define IVPR_WMASK (IPIVPR_WMASK | OPENPIC_VPR_P | OPENPIC_VPR_S)
#define GLOBAL_TIMER_GROUP_SIZE 0x100

static uint32_t cpu_mask(const OpenPic *p)
{
    return (1u << p->ncpus) - 1;
}

static uint32_t idr_wmask(const OpenPic *p)
{
    uint32_t m = cpu_mask(p) | OPENPIC_IDR_EP;
    for (unsigned c = 0; c < p->ncpus; c++)
        m |= 1u << (OPENPIC_IDR_CI0_SHIFT - c);
    return m;
}

static unsigned vpr_priority(uint32_t vpr)
{
    return (vpr & OPENPIC_VPR_PRIORITY_MASK) >> OPENPIC_VPR_PRIORITY_SHIFT;
}

static uint32_t vpr_of(const OpenPic *p, unsigned id)
{
    return id < OPENPIC_MAX_SOURCES ? p->src[id].ivpr : p->ipivpr[id - OPENPIC_IRQ_IPI0];
}

/* Where a source goes: IDR critical bits win (FSL MPIC before v4.0), then ILR[INTTGT]
 * (v4.x) picks the output for the CPUs of IDR[Pn]. */
typedef struct Route {
    OpenPicOutput out;
    uint32_t cpus;
} Route;

static Route route_of(const OpenPic *p, const OpenPicSource *s)
{
    uint32_t crit = 0;
    for (unsigned c = 0; c < p->ncpus; c++)
        if (s->idr & (1u << (OPENPIC_IDR_CI0_SHIFT - c)))
            crit |= 1u << c;
    if (crit)
        return (Route){ OPENPIC_OUTPUT_CINT, crit };
    uint32_t cpus = s->idr & cpu_mask(p);
    switch (s->ilr & OPENPIC_ILR_INTTGT_MASK) {
    case OPENPIC_ILR_INTTGT_CINT: return (Route){ OPENPIC_OUTPUT_CINT, cpus };
    case OPENPIC_ILR_INTTGT_MCP: return (Route){ OPENPIC_OUTPUT_MCK, cpus };
    default: return (Route){ OPENPIC_OUTPUT_INT, cpus };
    }
}

static unsigned isr_priority(const OpenPic *p, unsigned cpu)
{
    const OpenPicCpu *c = &p->cpu[cpu];
    unsigned prio = 0;
    for (unsigned i = 0; i < c->nisr; i++)
        prio = MAX(prio, vpr_priority(vpr_of(p, c->isr[i])));
    return prio;
}

/* What every CPU is offered, from one pass over the interrupts. */
typedef struct Scan {
    int best[OPENPIC_MAX_CPUS]; /* interrupt id offered on INT, or -1 */
    bool level[OPENPIC_MAX_CPUS][OPENPIC_OUTPUT_NB];
} Scan;

/* Candidate id of priority prio for CPU cpu: kept if it beats the threshold (CTPR and the
 * in-service priority) and the best so far; ids arrive in ascending order. */
static void offer(Scan *sc, const unsigned *threshold, unsigned *best_prio, unsigned cpu,
                  unsigned id, unsigned prio)
{
    if (prio > threshold[cpu] && (sc->best[cpu] < 0 || prio > best_prio[cpu])) {
        sc->best[cpu] = (int)id;
        best_prio[cpu] = prio;
    }
}

static void scan(const OpenPic *p, Scan *sc)
{
    unsigned threshold[OPENPIC_MAX_CPUS], best_prio[OPENPIC_MAX_CPUS] = { 0 };
    *sc = (Scan){ 0 };
    for (unsigned c = 0; c < p->ncpus; c++) {
        sc->best[c] = -1;
        threshold[c] = MAX(p->cpu[c].ctpr, isr_priority(p, c));
        sc->level[c][OPENPIC_OUTPUT_RESET] = (p->pir >> c) & 1;
    }
    for (unsigned id = 0; id < OPENPIC_MAX_SOURCES; id++) {
        const OpenPicSource *s = &p->src[id];
        if (!s->pending || (s->ivpr & OPENPIC_VPR_MSK))
            continue;
        Route r = route_of(p, s);
        for (unsigned c = 0; c < p->ncpus; c++) {
            if (!((r.cpus >> c) & 1))
                continue;
            if (r.out != OPENPIC_OUTPUT_INT)
                sc->level[c][r.out] = true;
            else if (!p->in_service[id])
                offer(sc, threshold, best_prio, c, id, vpr_priority(s->ivpr));
        }
    }
    for (unsigned n = 0; n < OPENPIC_NUM_IPIS; n++) {
        unsigned id = OPENPIC_IRQ_IPI0 + n;
        if (p->ipivpr[n] & OPENPIC_VPR_MSK)
            continue;
        for (unsigned c = 0; c < p->ncpus; c++)
            if ((p->ipi_pending[n] >> c) & 1 && !((p->in_service[id] >> c) & 1))
                offer(sc, threshold, best_prio, c, id, vpr_priority(p->ipivpr[n]));
    }
    for (unsigned c = 0; c < p->ncpus; c++)
        sc->level[c][OPENPIC_OUTPUT_INT] = sc->best[c] >= 0;
}

static void update_outputs(OpenPic *p)
{
    Scan sc;
    scan(p, &sc);
    for (unsigned c = 0; c < p->ncpus; c++) {
        OpenPicCpu *cpu = &p->cpu[c];
        for (unsigned o = 0; o < OPENPIC_OUTPUT_NB; o++) {
            if (sc.level[c][o] != cpu->out_level[o]) {
                cpu->out_level[o] = sc.level[c][o];
                irq_set(&cpu->out[o], sc.level[c][o]);
            }
        }
    }
}

void openpic_reset(OpenPic *p)
{
    p->gcr = 0;
    p->pir = 0;
    p->svr = OPENPIC_VPR_VECTOR_MASK;
    p->tfrr = 0;
    p->eimr = 0;
    for (unsigned i = 0; i < OPENPIC_MAX_SOURCES; i++) {
        OpenPicSource *s = &p->src[i];
        s->ivpr = OPENPIC_VPR_MSK;
        s->idr = 1; /* CPU 0 */
        s->ilr = OPENPIC_ILR_INTTGT_INT;
        s->pending = false;
    }
    for (unsigned n = 0; n < OPENPIC_NUM_IPIS; n++) {
        p->ipivpr[n] = OPENPIC_VPR_MSK;
        p->ipi_pending[n] = 0;
    }
    memset(p->in_service, 0, sizeof(p->in_service));
    for (unsigned t = 0; t < OPENPIC_NUM_TIMERS; t++)
        p->timer[t] = (OpenPicTimer){ .tbcr = OPENPIC_TBCR_CI, .tvpr = OPENPIC_VPR_MSK, .tdr = 1 };
    for (unsigned c = 0; c < OPENPIC_MAX_CPUS; c++) {
        p->cpu[c].ctpr = OPENPIC_CTPR_MASK;
        p->cpu[c].nisr = 0;
    }
    update_outputs(p);
}

/* A change of a source's request level (IVPR[S] selects the sense):
 * 1. level-sensitive: pending follows the request;
 * 2. edge-sensitive: a rising request latches pending, which IACK consumes;
 * 3. an edge on a source routed to CINT or MCK, which have no acknowledge, gives a pulse
 *    on that output and latches nothing. */
void openpic_set_irq(OpenPic *p, unsigned src, bool level)
{
    if (src >= OPENPIC_MAX_SOURCES)
        return;
    OpenPicSource *s = &p->src[src];
    bool rising = level && !s->input;
    s->input = level;
    if (s->ivpr & OPENPIC_VPR_S) {
        s->pending = level;
    } else if (rising) {
        s->pending = true;
        if (route_of(p, s).out != OPENPIC_OUTPUT_INT) {
            update_outputs(p);
            s->pending = false;
        }
    }
    update_outputs(p);
}

static void openpic_irq_handler(void *opaque, unsigned n, bool level)
{
    openpic_set_irq(opaque, n, level);
}

IrqLine openpic_irq_line(OpenPic *p, unsigned src)
{
    return (IrqLine){ .set = openpic_irq_handler, .opaque = p, .n = src };
}

/* Interrupt acknowledge for CPU cpu:
 * 1. take the interrupt the CPU is offered (see the delivery rules above); if there is
 *    none, return the spurious vector and change nothing;
 * 2. push it on the CPU's in-service stack;
 * 3. consume the request: an edge source's latch, or the CPU's bit of an IPI; a level
 *    source stays pending while its request lasts;
 * 4. return its vector. */
uint32_t openpic_iack(OpenPic *p, unsigned cpu)
{
    if (cpu >= p->ncpus)
        return p->svr;
    Scan sc;
    scan(p, &sc);
    if (sc.best[cpu] < 0)
        return p->svr;
    unsigned id = (unsigned)sc.best[cpu];
    OpenPicCpu *c = &p->cpu[cpu];
    if (c->nisr >= OPENPIC_NUM_IRQS)
        return p->svr; /* cannot happen: an id is in a stack at most once */
    c->isr[c->nisr++] = (uint16_t)id;
    p->in_service[id] |= (uint8_t)(1u << cpu);
    if (id >= OPENPIC_IRQ_IPI0)
        p->ipi_pending[id - OPENPIC_IRQ_IPI0] &= (uint8_t)~(1u << cpu);
    else if (!(p->src[id].ivpr & OPENPIC_VPR_S))
        p->src[id].pending = false;
    update_outputs(p);
    return vpr_of(p, id) & OPENPIC_VPR_VECTOR_MASK;
}

/* End of interrupt: the highest-priority entry of the in-service stack leaves it (the
 * most recent among equals, which in normal nesting is the top). */
static void eoi(OpenPic *p, unsigned cpu)
{
    OpenPicCpu *c = &p->cpu[cpu];
    if (c->nisr == 0)
        return;
    unsigned pick = c->nisr - 1, prio = vpr_priority(vpr_of(p, c->isr[pick]));
    for (unsigned i = c->nisr - 1; i-- > 0;) {
        unsigned pr = vpr_priority(vpr_of(p, c->isr[i]));
        if (pr > prio) {
            pick = i;
            prio = pr;
        }
    }
    p->in_service[c->isr[pick]] &= (uint8_t)~(1u << cpu);
    memmove(&c->isr[pick], &c->isr[pick + 1], (c->nisr - pick - 1) * sizeof(c->isr[0]));
    c->nisr--;
    update_outputs(p);
}

bool openpic_external_proxy(const OpenPic *p)
{
    return (p->gcr & OPENPIC_GCR_MODE_MASK) == OPENPIC_GCR_MODE_PROXY;
}

/* The activity bit: requested (pending and unmasked) or in service somewhere. */
static uint32_t source_ivpr(const OpenPic *p, unsigned n)
{
    const OpenPicSource *s = &p->src[n];
    bool active = (s->pending && !(s->ivpr & OPENPIC_VPR_MSK)) || p->in_service[n];
    return s->ivpr | (active ? OPENPIC_VPR_A : 0);
}

static uint32_t ipi_vpr(const OpenPic *p, unsigned n)
{
    uint32_t v = p->ipivpr[n];
    bool active = (p->ipi_pending[n] && !(v & OPENPIC_VPR_MSK)) ||
                  p->in_service[OPENPIC_IRQ_IPI0 + n];
    return v | (active ? OPENPIC_VPR_A : 0);
}

/* The CPU an access to the "this CPU" registers at offset 0 comes from. */
static unsigned this_cpu(const OpenPic *p)
{
    return p->current_cpu ? *p->current_cpu : 0;
}

static uint32_t cpu_read(OpenPic *p, unsigned cpu, uint64_t reg)
{
    if (cpu >= p->ncpus)
        return 0;
    switch (reg) {
    case OPENPIC_CTPR: return p->cpu[cpu].ctpr;
    case OPENPIC_WHOAMI: return cpu;
    case OPENPIC_IACK: return openpic_iack(p, cpu);
    default: return 0; /* IPI dispatch and EOI read as zero */
    }
}

static void cpu_write(OpenPic *p, unsigned cpu, uint64_t reg, uint32_t v)
{
    if (cpu >= p->ncpus)
        return;
    switch (reg) {
    case OPENPIC_IPIDR(0):
    case OPENPIC_IPIDR(1):
    case OPENPIC_IPIDR(2):
    case OPENPIC_IPIDR(3):
        p->ipi_pending[(reg - OPENPIC_IPIDR(0)) / 0x10] |= (uint8_t)(v & cpu_mask(p));
        update_outputs(p);
        break;
    case OPENPIC_CTPR:
        p->cpu[cpu].ctpr = v & OPENPIC_CTPR_MASK;
        update_outputs(p);
        break;
    case OPENPIC_EOI:
        eoi(p, cpu);
        break;
    default:
        break; /* WHOAMI and IACK are read-only */
    }
}

/* The global timers hold their registers but do not count: Linux only masks them unless
 * the device tree has an "fsl,mpic-global-timer" node, which openpic_fdt does not write.
 * Returns the timer of a group A/B offset, or NULL. */
static OpenPicTimer *timer_at(OpenPic *p, uint64_t off, uint64_t *reg)
{
    for (unsigned g = 0; g < OPENPIC_NUM_TIMERS / 4; g++) {
        uint64_t base = OPENPIC_TIMER(4 * g);
        if (off >= base && off < base + GLOBAL_TIMER_GROUP_SIZE) {
            *reg = (off - base) % 0x40;
            return &p->timer[4 * g + (off - base) / 0x40];
        }
    }
    return NULL;
}

static uint32_t global_read(OpenPic *p, uint64_t off)
{
    uint64_t reg;
    OpenPicTimer *t = timer_at(p, off, &reg);
    if (t) {
        switch (reg) {
        case OPENPIC_TBCR: return t->tbcr;
        case OPENPIC_TVPR: return t->tvpr;
        case OPENPIC_TDR: return t->tdr;
        default: return 0; /* TCCR: the count does not run */
        }
    }
    switch (off) {
    case OPENPIC_FRR:
        return ((uint32_t)(OPENPIC_MAX_SOURCES - 1) << OPENPIC_FRR_NIRQ_SHIFT) |
               ((p->ncpus - 1) << OPENPIC_FRR_NCPU_SHIFT) | OPENPIC_FRR_VID_1_2;
    case OPENPIC_GCR: return p->gcr;
    case OPENPIC_VIR: return 0; /* generic vendor */
    case OPENPIC_PIR: return p->pir;
    case OPENPIC_IPIVPR(0):
    case OPENPIC_IPIVPR(1):
    case OPENPIC_IPIVPR(2):
    case OPENPIC_IPIVPR(3): return ipi_vpr(p, (unsigned)(off - OPENPIC_IPIVPR(0)) / 0x10);
    case OPENPIC_SVR: return p->svr;
    case OPENPIC_TFRR: return p->tfrr;
    case OPENPIC_EIMR0: return p->eimr;
    default: return 0; /* EISR0: no error sources; reserved space */
    }
}

static void global_write(OpenPic *p, uint64_t off, uint32_t v)
{
    uint64_t reg;
    OpenPicTimer *t = timer_at(p, off, &reg);
    if (t) {
        switch (reg) {
        case OPENPIC_TBCR: t->tbcr = v; break;
        case OPENPIC_TVPR: t->tvpr = v & IPIVPR_WMASK; break;
        case OPENPIC_TDR: t->tdr = v & idr_wmask(p); break;
        default: break;
        }
        return;
    }
    switch (off) {
    case OPENPIC_GCR:
        /* Reset completes at once, so GCR[RST] reads back as zero. */
        if (v & OPENPIC_GCR_RESET)
            openpic_reset(p);
        else
            p->gcr = v & OPENPIC_GCR_MODE_MASK;
        break;
    case OPENPIC_PIR:
        p->pir = v & cpu_mask(p);
        update_outputs(p);
        break;
    case OPENPIC_IPIVPR(0):
    case OPENPIC_IPIVPR(1):
    case OPENPIC_IPIVPR(2):
    case OPENPIC_IPIVPR(3):
        p->ipivpr[(off - OPENPIC_IPIVPR(0)) / 0x10] = v & IPIVPR_WMASK;
        update_outputs(p);
        break;
    case OPENPIC_SVR: p->svr = v & OPENPIC_VPR_VECTOR_MASK; break;
    case OPENPIC_TFRR: p->tfrr = v; break;
    case OPENPIC_EIMR0: p->eimr = v; break;
    default: break; /* BRR1, FRR, VIR, EISR0 are read-only */
    }
}

static uint32_t source_read(const OpenPic *p, unsigned n, uint64_t reg)
{
    switch (reg) {
    case 0x00: return source_ivpr(p, n);
    case 0x10: return p->src[n].idr;
    case 0x18: return p->src[n].ilr;
    default: return 0;
    }
}

static void source_write(OpenPic *p, unsigned n, uint64_t reg, uint32_t v)
{
    OpenPicSource *s = &p->src[n];
    switch (reg) {
    case 0x00:
        s->ivpr = v & IVPR_WMASK;
        if (s->ivpr & OPENPIC_VPR_S)
            s->pending = s->input;
        break;
    case 0x10: s->idr = v & idr_wmask(p); break;
    case 0x18: s->ilr = v & OPENPIC_ILR_INTTGT_MASK; break;
    default: return;
    }
    update_outputs(p);
}

/* Decodes an offset: 0x0 "this CPU" (BRR1, BRR2 and the per-CPU registers), 0x1000 global
 * registers and timers, 0x10000 sources, 0x20000 per-CPU windows. Unaligned offsets,
 * reserved space and windows of absent CPUs read as zero and ignore writes. */
static uint64_t openpic_read(void *opaque, uint64_t off, unsigned size)
{
    OpenPic *p = opaque;
    if (off & 3)
        return 0;
    if (off < OPENPIC_FRR) {
        if (off == OPENPIC_BRR1)
            return OPENPIC_BRR1_V42;
        return off >= OPENPIC_IPIDR(0) ? cpu_read(p, this_cpu(p), off) : 0;
    }
    if (off < OPENPIC_SRC_BASE)
        return global_read(p, off);
    if (off < OPENPIC_CPU_BASE) {
        uint64_t n = (off - OPENPIC_SRC_BASE) / OPENPIC_SRC_STRIDE;
        return n < OPENPIC_MAX_SOURCES
                   ? source_read(p, (unsigned)n, (off - OPENPIC_SRC_BASE) % OPENPIC_SRC_STRIDE)
                   : 0;
    }
    uint64_t cpu = (off - OPENPIC_CPU_BASE) / OPENPIC_CPU_STRIDE;
    return cpu < p->ncpus ? cpu_read(p, (unsigned)cpu, off % OPENPIC_CPU_STRIDE) : 0;
}

static void openpic_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
    OpenPic *p = opaque;
    uint32_t v = (uint32_t)val;
    if (off & 3)
        return;
    if (off < OPENPIC_FRR) {
        if (off >= OPENPIC_IPIDR(0))
            cpu_write(p, this_cpu(p), off, v);
        return;
    }
    if (off < OPENPIC_SRC_BASE) {
        global_write(p, off, v);
        return;
    }
    if (off < OPENPIC_CPU_BASE) {
        uint64_t n = (off - OPENPIC_SRC_BASE) / OPENPIC_SRC_STRIDE;
        if (n < OPENPIC_MAX_SOURCES)
            source_write(p, (unsigned)n, (off - OPENPIC_SRC_BASE) % OPENPIC_SRC_STRIDE, v);
        return;
    }
    uint64_t cpu = (off - OPENPIC_CPU_BASE) / OPENPIC_CPU_STRIDE;
    if (cpu < p->ncpus)
        cpu_write(p, (unsigned)cpu, off % OPENPIC_CPU_STRIDE, v);
}

static const MmioOps openpic_ops = {
    .read = openpic_read,
    .write = openpic_write,
    .min_size = 4,
    .max_size = 4,
    .endian = DEV_BIG_ENDIAN,
};

void openpic_init(OpenPic *p, Bus *bus, uint64_t base, unsigned ncpus,
                  const unsigned *current_cpu, const IrqLine *out)
{
    ncpus = MAX(1u, MIN(ncpus, (unsigned)OPENPIC_MAX_CPUS));
    *p = (OpenPic){ .base = base, .ncpus = ncpus, .current_cpu = current_cpu };
    for (unsigned c = 0; c < ncpus && out; c++)
        for (unsigned o = 0; o < OPENPIC_OUTPUT_NB; o++)
            p->cpu[c].out[o] = out[c * OPENPIC_OUTPUT_NB + o];
    openpic_reset(p);
    bus_map_mmio(bus, "openpic", base, OPENPIC_SIZE, &openpic_ops, p);
}

int openpic_fdt(const OpenPic *p, void *fdt, uint64_t reg_base, uint32_t phandle)
{
    DEV_FDT_TRY(dev_fdt_begin_unit(fdt, "pic", reg_base));
    DEV_FDT_TRY(DEV_FDT_STRINGS(fdt, "compatible", "fsl,mpic\0chrp,open-pic"));
    DEV_FDT_TRY(fdt_property_string(fdt, "device_type", "open-pic"));
    DEV_FDT_TRY(dev_fdt_reg(fdt, reg_base, OPENPIC_SIZE));
    DEV_FDT_TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
    DEV_FDT_TRY(fdt_property_u32(fdt, "#interrupt-cells", 2));
    DEV_FDT_TRY(fdt_property_u32(fdt, "#address-cells", 0));
    DEV_FDT_TRY(fdt_property_u32(fdt, "phandle", phandle));
    return fdt_end_node(fdt);
}

void openpic_save(const OpenPic *o, StateW *w)
{
    const uint32_t g[] = { o->gcr, o->pir, o->svr, o->tfrr, o->eimr };
    sw_u32s(w, g, ARRAY_SIZE(g));
    for (unsigned n = 0; n < OPENPIC_MAX_SOURCES; n++) {
        const OpenPicSource *s = &o->src[n];
        sw_u32(w, s->ivpr);
        sw_u32(w, s->idr);
        sw_u32(w, s->ilr);
        sw_bool(w, s->input);
        sw_bool(w, s->pending);
    }
    sw_u32s(w, o->ipivpr, OPENPIC_NUM_IPIS);
    sw_bytes(w, o->ipi_pending, sizeof(o->ipi_pending));
    sw_bytes(w, o->in_service, sizeof(o->in_service));
    for (unsigned n = 0; n < OPENPIC_NUM_TIMERS; n++) {
        sw_u32(w, o->timer[n].tbcr);
        sw_u32(w, o->timer[n].tvpr);
        sw_u32(w, o->timer[n].tdr);
    }
    for (unsigned n = 0; n < o->ncpus; n++) {
        const OpenPicCpu *c = &o->cpu[n];
        sw_u32(w, c->ctpr);
        sw_u32(w, c->nisr);
        for (unsigned k = 0; k < c->nisr; k++)
            sw_u32(w, c->isr[k]);
        for (unsigned k = 0; k < OPENPIC_OUTPUT_NB; k++)
            sw_bool(w, c->out_level[k]);
    }
}

void openpic_load(OpenPic *o, StateR *r)
{
    uint32_t g[5];
    sr_u32s(r, g, ARRAY_SIZE(g));
    o->gcr = g[0], o->pir = g[1], o->svr = g[2], o->tfrr = g[3], o->eimr = g[4];
    for (unsigned n = 0; n < OPENPIC_MAX_SOURCES; n++) {
        OpenPicSource *s = &o->src[n];
        s->ivpr = sr_u32(r);
        s->idr = sr_u32(r);
        s->ilr = sr_u32(r);
        s->input = sr_bool(r);
        s->pending = sr_bool(r);
    }
    sr_u32s(r, o->ipivpr, OPENPIC_NUM_IPIS);
    sr_bytes(r, o->ipi_pending, sizeof(o->ipi_pending));
    sr_bytes(r, o->in_service, sizeof(o->in_service));
    for (unsigned n = 0; n < OPENPIC_NUM_TIMERS; n++) {
        o->timer[n].tbcr = sr_u32(r);
        o->timer[n].tvpr = sr_u32(r);
        o->timer[n].tdr = sr_u32(r);
    }
    for (unsigned n = 0; n < o->ncpus; n++) {
        OpenPicCpu *c = &o->cpu[n];
        c->ctpr = sr_u32(r);
        uint32_t nisr = sr_u32(r);
        if (nisr > OPENPIC_NUM_IRQS) {
            r->bad = true;
            nisr = 0;
        }
        c->nisr = nisr;
        for (unsigned k = 0; k < nisr; k++) {
            uint32_t id = sr_u32(r);
            if (id >= OPENPIC_NUM_IRQS)
                r->bad = true;
            c->isr[k] = (uint16_t)(id % OPENPIC_NUM_IRQS);
        }
        for (unsigned k = 0; k < OPENPIC_OUTPUT_NB; k++)
            c->out_level[k] = sr_bool(r);
    }
}
