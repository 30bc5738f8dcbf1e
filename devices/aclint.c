/* devices/aclint.c: ACLINT MTIMER, MSWI and SSWI devices, following the RISC-V ACLINT
 * Specification v1.0, chapters "Machine-level Timer Device (MTIMER)" (mtime, mtimecmp,
 * MTIP = mtime >= mtimecmp), "Machine-level Software Interrupt Device (MSWI)" (msip bit 0
 * drives MSIP) and "Supervisor-level Software Interrupt Device (SSWI)" (a write of 1 to
 * setssip sets SSIP, reads return 0). mtime is derived from the virtual clock, so it
 * never has to be stored; each hart's compare value arms one VTimer whose deadline is the
 * first virtual nanosecond at which mtime reaches mtimecmp. */
#include "devices/aclint.h"
#include "cpu/common/state.h"

#include "devices/dev_fdt.h"

#define MTIMER_MTIME 0x7ff8
#define IRQ_S_SOFT 1
#define IRQ_M_SOFT 3
#define IRQ_M_TIMER 7

static uint64_t mtime_at(const Aclint *a, uint64_t now_ns)
{
    return now_ns / a->ns_per_tick + a->mtime_offset;
}

uint64_t aclint_get_mtime(const Aclint *a)
{
    return mtime_at(a, vclock_now(a->clock));
}

static void set_mtip(AclintHart *h, bool level)
{
    if (level != h->mtip) {
        h->mtip = level;
        irq_set(&h->mtip_out, level);
    }
}

/* Re-evaluates MTIP of one hart at virtual time now_ns:
 *   1. if mtime >= mtimecmp, MTIP is high and no timer is needed;
 *   2. otherwise MTIP is low and the timer is armed for the first nanosecond whose tick
 *      count makes mtime equal mtimecmp: (now_ns / ns_per_tick + (mtimecmp - mtime)) *
 *      ns_per_tick;
 *   3. a deadline beyond 2^64 ns is never reached: the timer stays disarmed. */
static void hart_timer_update(AclintHart *h, uint64_t now_ns)
{
    Aclint *a = h->aclint;
    uint64_t mtime = mtime_at(a, now_ns);
    if (mtime >= h->mtimecmp) {
        vtimer_disarm(a->clock, &h->timer);
        set_mtip(h, true);
        return;
    }
    set_mtip(h, false);
    uint64_t ticks = h->mtimecmp - mtime;
    uint64_t raw = now_ns / a->ns_per_tick;
    if (ticks > UINT64_MAX - raw || raw + ticks > UINT64_MAX / a->ns_per_tick) {
        vtimer_disarm(a->clock, &h->timer);
        return;
    }
    vtimer_arm(a->clock, &h->timer, (raw + ticks) * a->ns_per_tick);
}

static void hart_timer_fired(void *opaque, uint64_t now)
{
    hart_timer_update(opaque, now);
}

void aclint_set_mtimecmp(Aclint *a, unsigned hart, uint64_t value)
{
    if (hart >= a->nharts)
        return;
    a->harts[hart].mtimecmp = value;
    hart_timer_update(&a->harts[hart], vclock_now(a->clock));
}

uint64_t aclint_get_mtimecmp(const Aclint *a, unsigned hart)
{
    return hart < a->nharts ? a->harts[hart].mtimecmp : 0;
}

void aclint_set_mtime(Aclint *a, uint64_t value)
{
    uint64_t now = vclock_now(a->clock);
    a->mtime_offset = value - now / a->ns_per_tick;
    for (unsigned i = 0; i < a->nharts; i++)
        hart_timer_update(&a->harts[i], now);
}

void aclint_set_msip(Aclint *a, unsigned hart, bool level)
{
    if (hart >= a->nharts)
        return;
    AclintHart *h = &a->harts[hart];
    if (level != h->msip) {
        h->msip = level;
        irq_set(&h->msip_out, level);
    }
}

/* Replaces bytes [shift/8, shift/8 + size) of a 64-bit register by val. */
static uint64_t merge64(uint64_t old, uint64_t val, unsigned size, unsigned shift)
{
    if (size >= 8)
        return val;
    uint64_t mask = ((1ULL << (size * 8)) - 1) << shift;
    return (old & ~mask) | ((val << shift) & mask);
}

static uint64_t mtimer_read(Aclint *a, uint64_t off, unsigned size)
{
    uint64_t reg_off = off & ~7ULL, shift = (off & 7) * 8;
    uint64_t v;
    if (reg_off == MTIMER_MTIME)
        v = aclint_get_mtime(a);
    else if (reg_off / 8 < a->nharts)
        v = a->harts[reg_off / 8].mtimecmp;
    else
        return 0;
    return size >= 8 ? v : (v >> shift) & ((1ULL << (size * 8)) - 1);
}

static void mtimer_write(Aclint *a, uint64_t off, uint64_t val, unsigned size)
{
    uint64_t reg_off = off & ~7ULL;
    unsigned shift = (unsigned)(off & 7) * 8;
    if (reg_off == MTIMER_MTIME) {
        aclint_set_mtime(a, merge64(aclint_get_mtime(a), val, size, shift));
    } else if (reg_off / 8 < a->nharts) {
        unsigned hart = (unsigned)(reg_off / 8);
        aclint_set_mtimecmp(a, hart, merge64(a->harts[hart].mtimecmp, val, size, shift));
    }
}

/* MSWI: one 32-bit msip register per hart; an 8-byte access covers two harts. */
static uint64_t mswi_read(Aclint *a, uint64_t off, unsigned size)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < size / 4; i++) {
        uint64_t hart = off / 4 + i;
        if (hart < a->nharts && a->harts[hart].msip)
            v |= 1ULL << (32 * i);
    }
    return v;
}

static void mswi_write(Aclint *a, uint64_t off, uint64_t val, unsigned size)
{
    for (unsigned i = 0; i < size / 4; i++)
        aclint_set_msip(a, (unsigned)(off / 4 + i), (val >> (32 * i)) & 1);
}

static uint64_t clint_read(void *opaque, uint64_t off, unsigned size)
{
    Aclint *a = opaque;
    if (off & (size - 1))
        return 0; /* misaligned accesses read as zero */
    if (off < ACLINT_MTIMER_OFFSET)
        return mswi_read(a, off - ACLINT_MSWI_OFFSET, size);
    return mtimer_read(a, off - ACLINT_MTIMER_OFFSET, size);
}

static void clint_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
    Aclint *a = opaque;
    if (off & (size - 1))
        return; /* misaligned writes are ignored */
    if (off < ACLINT_MTIMER_OFFSET)
        mswi_write(a, off - ACLINT_MSWI_OFFSET, val, size);
    else
        mtimer_write(a, off - ACLINT_MTIMER_OFFSET, val, size);
}

static const MmioOps clint_ops = {
    .read = clint_read,
    .write = clint_write,
    .min_size = 4,
    .max_size = 8,
    .endian = DEV_LITTLE_ENDIAN,
};

static uint64_t sswi_read(void *opaque, uint64_t off, unsigned size)
{
    return 0; /* setssip always reads as zero */
}

static void sswi_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
    Aclint *a = opaque;
    if (off & (size - 1))
        return;
    for (unsigned i = 0; i < size / 4; i++) {
        uint64_t hart = off / 4 + i;
        if (hart < a->nharts && ((val >> (32 * i)) & 1))
            irq_set(&a->harts[hart].ssip_out, true);
    }
}

static const MmioOps sswi_ops = {
    .read = sswi_read,
    .write = sswi_write,
    .min_size = 4,
    .max_size = 8,
    .endian = DEV_LITTLE_ENDIAN,
};

void aclint_init(Aclint *a, Bus *bus, uint64_t base, VClock *clock, uint64_t ns_per_tick,
                 unsigned nharts, const IrqLine *msip, const IrqLine *mtip)
{
    if (nharts > ACLINT_MAX_HARTS)
        nharts = ACLINT_MAX_HARTS;
    *a = (Aclint){
        .clock = clock, .base = base, .nharts = nharts,
        .ns_per_tick = ns_per_tick ? ns_per_tick : 1,
    };
    for (unsigned i = 0; i < nharts; i++) {
        AclintHart *h = &a->harts[i];
        h->aclint = a;
        h->hart = i;
        h->mtimecmp = UINT64_MAX;
        h->msip_out = msip[i];
        h->mtip_out = mtip[i];
        vtimer_init(&h->timer, hart_timer_fired, h);
    }
    bus_map_mmio(bus, "clint", base, ACLINT_CLINT_SIZE, &clint_ops, a);
}

void aclint_map_sswi(Aclint *a, Bus *bus, uint64_t base, const IrqLine *ssip)
{
    a->has_sswi = true;
    a->sswi_base = base;
    for (unsigned i = 0; i < a->nharts; i++)
        a->harts[i].ssip_out = ssip[i];
    bus_map_mmio(bus, "aclint-sswi", base, ACLINT_SSWI_SIZE, &sswi_ops, a);
}

static int fdt_irqs_ext(void *fdt, const Aclint *a, const uint32_t *phandles,
                        const uint32_t *irqs, unsigned nirqs)
{
    fdt32_t cells[ACLINT_MAX_HARTS * 4];
    unsigned n = 0;
    for (unsigned h = 0; h < a->nharts; h++) {
        for (unsigned i = 0; i < nirqs; i++) {
            cells[n++] = cpu_to_fdt32(phandles[h]);
            cells[n++] = cpu_to_fdt32(irqs[i]);
        }
    }
    return fdt_property(fdt, "interrupts-extended", cells, n * sizeof(cells[0]));
}

int aclint_fdt(const Aclint *a, void *fdt, const uint32_t *hart_intc_phandles)
{
    static const uint32_t irqs[] = { IRQ_M_SOFT, IRQ_M_TIMER };
    DEV_FDT_TRY(dev_fdt_begin_unit(fdt, "clint", a->base));
    DEV_FDT_TRY(DEV_FDT_STRINGS(fdt, "compatible", "sifive,clint0\0riscv,clint0"));
    DEV_FDT_TRY(dev_fdt_reg(fdt, a->base, ACLINT_CLINT_SIZE));
    DEV_FDT_TRY(fdt_irqs_ext(fdt, a, hart_intc_phandles, irqs, ARRAY_SIZE(irqs)));
    return fdt_end_node(fdt);
}

int aclint_sswi_fdt(const Aclint *a, void *fdt, const uint32_t *hart_intc_phandles)
{
    static const uint32_t irqs[] = { IRQ_S_SOFT };
    DEV_FDT_TRY(dev_fdt_begin_unit(fdt, "sswi", a->sswi_base));
    DEV_FDT_TRY(fdt_property_string(fdt, "compatible", "riscv,aclint-sswi"));
    DEV_FDT_TRY(dev_fdt_reg(fdt, a->sswi_base, ACLINT_SSWI_SIZE));
    DEV_FDT_TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
    DEV_FDT_TRY(fdt_property_u32(fdt, "#interrupt-cells", 0));
    DEV_FDT_TRY(fdt_irqs_ext(fdt, a, hart_intc_phandles, irqs, ARRAY_SIZE(irqs)));
    return fdt_end_node(fdt);
}

void aclint_save(const Aclint *a, StateW *w)
{
    sw_u64(w, a->mtime_offset);
    for (unsigned n = 0; n < a->nharts; n++) {
        const AclintHart *h = &a->harts[n];
        sw_u64(w, h->mtimecmp);
        sw_bool(w, h->mtip);
        sw_bool(w, h->msip);
        sw_timer(w, &h->timer);
    }
}

void aclint_load(Aclint *a, StateR *r)
{
    a->mtime_offset = sr_u64(r);
    for (unsigned n = 0; n < a->nharts; n++) {
        AclintHart *h = &a->harts[n];
        h->mtimecmp = sr_u64(r);
        h->mtip = sr_bool(r);
        h->msip = sr_bool(r);
        sr_timer(r, a->clock, &h->timer);
    }
}
