/* devices/plic.c: RISC-V PLIC, following the RISC-V Platform-Level Interrupt Controller
 * Specification v1.0.0, chapters "Interrupt Gateways", "Interrupt Priorities",
 * "Interrupt Pending Bits", "Interrupt Enables", "Priority Thresholds", "Interrupt
 * Claim Process", "Interrupt Completion" and "Memory Map". Sources are level-triggered:
 * the gateway forwards one request per assertion and forwards no other request for the
 * source until the hart signals completion. */
#include "devices/plic.h"
#include "cpu/common/state.h"

#include "devices/dev_fdt.h"

#define PLIC_PRIORITY_BASE 0x0
#define PLIC_PENDING_BASE 0x1000
#define PLIC_ENABLE_BASE 0x2000
#define PLIC_ENABLE_STRIDE 0x80
#define PLIC_CONTEXT_BASE 0x200000
#define PLIC_CONTEXT_STRIDE 0x1000
#define PLIC_CTX_THRESHOLD 0x0
#define PLIC_CTX_CLAIM 0x4

#define IRQ_M_EXT 11
#define IRQ_S_EXT 9

static bool bit_get(const uint32_t *map, unsigned n)
{
    return (map[n / 32] >> (n % 32)) & 1;
}

static void bit_put(uint32_t *map, unsigned n, bool v)
{
    if (v)
        map[n / 32] |= 1u << (n % 32);
    else
        map[n / 32] &= ~(1u << (n % 32));
}

/* Bits of word w that name an existing source (source 0 does not exist). */
static uint32_t valid_mask(const Plic *p, unsigned w)
{
    uint32_t m = 0;
    for (unsigned b = 0; b < 32; b++) {
        unsigned src = w * 32 + b;
        if (src >= 1 && src <= p->ndev)
            m |= 1u << b;
    }
    return m;
}

/* The claim decision (chapter "Interrupt Claim Process"):
 *   1. consider sources that are pending and enabled for the context;
 *   2. of those, keep the ones whose priority exceeds the context's threshold (priority
 *      0 never interrupts);
 *   3. pick the highest priority; among equals the lowest source id.
 * Returns 0 when nothing qualifies. */
static unsigned best_source(const Plic *p, unsigned ctx)
{
    unsigned best = 0;
    uint32_t best_prio = 0;
    for (unsigned w = 0; w < PLIC_WORDS; w++) {
        uint32_t cand = p->pending[w] & p->enable[ctx][w];
        while (cand) {
            unsigned b = (unsigned)__builtin_ctz(cand);
            cand &= cand - 1;
            unsigned src = w * 32 + b;
            uint32_t prio = p->priority[src];
            if (prio > p->threshold[ctx] && prio > best_prio) {
                best = src;
                best_prio = prio;
            }
        }
    }
    return best;
}

static void update_outputs(Plic *p)
{
    for (unsigned ctx = 0; ctx < p->nctx; ctx++) {
        bool level = best_source(p, ctx) != 0;
        if (level != p->out_level[ctx]) {
            p->out_level[ctx] = level;
            irq_set(&p->out[ctx], level);
        }
    }
}

/* Gateway: a level-triggered source requests service while its wire is high and it is
 * not claimed. Quirk(qemu-virt): a request whose wire drops before it is claimed is
 * withdrawn, as on QEMU's virt board, so drivers see no spurious claims. */
static void gateway_update(Plic *p, unsigned src)
{
    if (!bit_get(p->claimed, src))
        bit_put(p->pending, src, bit_get(p->level, src));
}

void plic_set_irq(Plic *p, unsigned src, bool level)
{
    if (src == 0 || src > p->ndev)
        return;
    bit_put(p->level, src, level);
    gateway_update(p, src);
    update_outputs(p);
}

static void plic_irq_handler(void *opaque, unsigned n, bool level)
{
    plic_set_irq(opaque, n, level);
}

IrqLine plic_irq_line(Plic *p, unsigned src)
{
    return (IrqLine){ .set = plic_irq_handler, .opaque = p, .n = src };
}

static uint32_t claim(Plic *p, unsigned ctx)
{
    unsigned src = best_source(p, ctx);
    if (src) {
        bit_put(p->pending, src, false);
        bit_put(p->claimed, src, true);
        update_outputs(p);
    }
    return src;
}

/* Chapter "Interrupt Completion": a completion for a source that is not enabled for the
 * context is ignored; otherwise the gateway may forward the next request. */
static void complete(Plic *p, unsigned ctx, uint32_t src)
{
    if (src == 0 || src > p->ndev || !bit_get(p->enable[ctx], src))
        return;
    bit_put(p->claimed, src, false);
    gateway_update(p, src);
    update_outputs(p);
}

static uint64_t plic_read(void *opaque, uint64_t off, unsigned size)
{
    Plic *p = opaque;
    if (off < PLIC_PENDING_BASE) {
        unsigned src = (unsigned)(off / 4);
        return src < PLIC_MAX_SOURCES ? p->priority[src] : 0;
    }
    if (off < PLIC_ENABLE_BASE) {
        unsigned w = (unsigned)((off - PLIC_PENDING_BASE) / 4);
        return w < PLIC_WORDS ? p->pending[w] : 0;
    }
    if (off < PLIC_CONTEXT_BASE) {
        unsigned ctx = (unsigned)((off - PLIC_ENABLE_BASE) / PLIC_ENABLE_STRIDE);
        unsigned w = (unsigned)((off - PLIC_ENABLE_BASE) % PLIC_ENABLE_STRIDE / 4);
        return ctx < p->nctx && w < PLIC_WORDS ? p->enable[ctx][w] : 0;
    }
    unsigned ctx = (unsigned)((off - PLIC_CONTEXT_BASE) / PLIC_CONTEXT_STRIDE);
    if (ctx >= p->nctx)
        return 0;
    switch ((off - PLIC_CONTEXT_BASE) % PLIC_CONTEXT_STRIDE) {
    case PLIC_CTX_THRESHOLD:
        return p->threshold[ctx];
    case PLIC_CTX_CLAIM:
        return claim(p, ctx);
    default:
        return 0;
    }
}

static void plic_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
    Plic *p = opaque;
    uint32_t v = (uint32_t)val;
    if (off < PLIC_PENDING_BASE) {
        unsigned src = (unsigned)(off / 4);
        if (src >= 1 && src <= p->ndev) {
            p->priority[src] = v & PLIC_PRIORITY_MAX;
            update_outputs(p);
        }
        return;
    }
    if (off < PLIC_ENABLE_BASE)
        return; /* pending bits are read-only */
    if (off < PLIC_CONTEXT_BASE) {
        unsigned ctx = (unsigned)((off - PLIC_ENABLE_BASE) / PLIC_ENABLE_STRIDE);
        unsigned w = (unsigned)((off - PLIC_ENABLE_BASE) % PLIC_ENABLE_STRIDE / 4);
        if (ctx < p->nctx && w < PLIC_WORDS) {
            p->enable[ctx][w] = v & valid_mask(p, w);
            update_outputs(p);
        }
        return;
    }
    unsigned ctx = (unsigned)((off - PLIC_CONTEXT_BASE) / PLIC_CONTEXT_STRIDE);
    if (ctx >= p->nctx)
        return;
    switch ((off - PLIC_CONTEXT_BASE) % PLIC_CONTEXT_STRIDE) {
    case PLIC_CTX_THRESHOLD:
        p->threshold[ctx] = v & PLIC_PRIORITY_MAX;
        update_outputs(p);
        break;
    case PLIC_CTX_CLAIM:
        complete(p, ctx, v);
        break;
    default:
        break;
    }
}

static const MmioOps plic_ops = {
    .read = plic_read,
    .write = plic_write,
    .min_size = 4,
    .max_size = 4,
    .endian = DEV_LITTLE_ENDIAN,
};

uint64_t plic_region_size(unsigned nctx)
{
    return PLIC_CONTEXT_BASE + (uint64_t)PLIC_CONTEXT_STRIDE * nctx;
}

void plic_init(Plic *p, Bus *bus, uint64_t base, unsigned ndev, unsigned nharts,
               const IrqLine *ctx_out)
{
    if (ndev > PLIC_MAX_SOURCES - 1)
        ndev = PLIC_MAX_SOURCES - 1;
    if (nharts > PLIC_MAX_HARTS)
        nharts = PLIC_MAX_HARTS;
    *p = (Plic){ .base = base, .ndev = ndev, .nctx = 2 * nharts };
    p->size = plic_region_size(p->nctx);
    for (unsigned ctx = 0; ctx < p->nctx; ctx++)
        p->out[ctx] = ctx_out[ctx];
    bus_map_mmio(bus, "plic", base, p->size, &plic_ops, p);
}

int plic_fdt(const Plic *p, void *fdt, uint32_t phandle, const uint32_t *hart_intc_phandles)
{
    fdt32_t cells[PLIC_MAX_CONTEXTS * 2];
    unsigned n = 0;
    for (unsigned ctx = 0; ctx < p->nctx; ctx++) {
        cells[n++] = cpu_to_fdt32(hart_intc_phandles[ctx / 2]);
        cells[n++] = cpu_to_fdt32(ctx % 2 == 0 ? IRQ_M_EXT : IRQ_S_EXT);
    }
    DEV_FDT_TRY(dev_fdt_begin_unit(fdt, "plic", p->base));
    DEV_FDT_TRY(fdt_property_u32(fdt, "phandle", phandle));
    DEV_FDT_TRY(DEV_FDT_STRINGS(fdt, "compatible", "sifive,plic-1.0.0\0riscv,plic0"));
    DEV_FDT_TRY(dev_fdt_reg(fdt, p->base, p->size));
    DEV_FDT_TRY(fdt_property_u32(fdt, "riscv,ndev", p->ndev));
    DEV_FDT_TRY(fdt_property(fdt, "interrupts-extended", cells, n * sizeof(cells[0])));
    DEV_FDT_TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
    DEV_FDT_TRY(fdt_property_u32(fdt, "#interrupt-cells", 1));
    DEV_FDT_TRY(fdt_property_u32(fdt, "#address-cells", 0));
    return fdt_end_node(fdt);
}

void plic_save(const Plic *p, StateW *w)
{
    sw_u32s(w, p->priority, PLIC_MAX_SOURCES);
    sw_u32s(w, p->level, PLIC_WORDS);
    sw_u32s(w, p->pending, PLIC_WORDS);
    sw_u32s(w, p->claimed, PLIC_WORDS);
    for (unsigned c = 0; c < p->nctx; c++) {
        sw_u32s(w, p->enable[c], PLIC_WORDS);
        sw_u32(w, p->threshold[c]);
        sw_bool(w, p->out_level[c]);
    }
}

void plic_load(Plic *p, StateR *r)
{
    sr_u32s(r, p->priority, PLIC_MAX_SOURCES);
    sr_u32s(r, p->level, PLIC_WORDS);
    sr_u32s(r, p->pending, PLIC_WORDS);
    sr_u32s(r, p->claimed, PLIC_WORDS);
    for (unsigned c = 0; c < p->nctx; c++) {
        sr_u32s(r, p->enable[c], PLIC_WORDS);
        p->threshold[c] = sr_u32(r);
        p->out_level[c] = sr_bool(r);
    }
}
