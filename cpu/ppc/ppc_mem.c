/* cpu/ppc/ppc_mem.c: how a Power thread reaches storage: effective to real address
 * translation (real addressing mode only for now: Power ISA v3.0B Book III-S 5.7.3 "Real
 * Addressing Mode"), byte order (Book I 1.10.1 "Byte Ordering": MSR[LE] selects it, the
 * byte-reverse forms ask for the other one), accesses that cross a page, RAM through the
 * bus's host pointers, caching-inhibited MMIO through bus_read/bus_write, and the
 * Alignment (Book III-S 7.5.8) and Machine Check (7.5.2) interrupts the accesses raise.
 *
 * Every access is first cut at 4 KiB boundaries and each piece translated before any
 * byte moves, so a fault on the second page leaves storage untouched; this is where a
 * soft TLB will sit once relocation (MSR[DR] = 1) exists. RAM is ordinary (cacheable)
 * storage and performs any misaligned access; a device region is caching-inhibited
 * storage and takes only naturally aligned accesses of 1, 2, 4 or 8 bytes, anything else
 * gets the Alignment interrupt; an address nothing answers gets a Machine Check; larx and
 * stcx. need naturally aligned RAM (Alignment, or a Data Storage interrupt for
 * caching-inhibited storage). */
#include "cpu/ppc/ppc_core.h"
#include "mmu/ppc_hash64.h"

#define PPC_PAGE_SIZE 4096ULL

/* Real mode ignores EA bits 0:3 (Book III-S 5.7.3). */
#define REAL_MODE_MASK 0x0fffffffffffffffULL

/* A piece of an access that lies in one page. */
typedef struct MemPiece {
    uint64_t ea, ra;
    unsigned len;
} MemPiece;

PpcStatus ppc_mem_alignment(PpcCpu *c, uint64_t ea)
{
    c->exc = (PpcException){ .kind = PPC_EXC_ALIGNMENT, .dar = ea };
    return PPC_TRAP;
}

static PpcStatus machine_check(PpcCpu *c, uint64_t ea)
{
    c->exc = (PpcException){ .kind = PPC_EXC_MACHINE_CHECK, .dar = ea };
    return PPC_TRAP;
}

/* Effective to real address for one data access.
 * TODO(#3): relocation (MSR[DR] = 1: SLB and hashed page table through a soft TLB), the
 * HRMOR offset of hypervisor real mode and the RMOR/VRMA real mode area of MSR[HV] = 0. */
static PpcStatus translate(PpcCpu *c, uint64_t ea, PpcAccess acc, uint64_t *ra)
{
    *ra = ea & REAL_MODE_MASK;
    return PPC_NEXT;
}

/* Cuts [ea, ea+len) at the page boundary and translates both pieces.
 * 1. The effective address wraps at 4 GiB in 32-bit mode (Book I 1.10.3).
 * 2. Translate the first piece, then the second, before anything is accessed. */
static PpcStatus split(PpcCpu *c, uint64_t ea, unsigned len, PpcAccess acc, MemPiece p[2],
                       unsigned *n)
{
    ea = ppc_ea(c, ea);
    unsigned first = (unsigned)MIN((uint64_t)len, PPC_PAGE_SIZE - (ea & (PPC_PAGE_SIZE - 1)));
    p[0] = (MemPiece){ .ea = ea, .len = first };
    p[1] = (MemPiece){ .ea = ppc_ea(c, ea + first), .len = len - first };
    *n = first < len ? 2 : 1;
    for (unsigned k = 0; k < *n; k++) {
        PpcStatus st = translate(c, p[k].ea, acc, &p[k].ra);
        if (st != PPC_NEXT)
            return st;
    }
    return PPC_NEXT;
}

static bool natural(uint64_t ra, unsigned len)
{
    return (len == 1 || len == 2 || len == 4 || len == 8) && !(ra & (len - 1));
}

/* One device access: the bus gives values in storage byte order as little-endian
 * numbers (devices/bus.h), so buf stays in storage order. */
static PpcStatus mmio(PpcCpu *c, const MemPiece *p, PpcAccess acc, uint8_t *buf)
{
    PpcCore *core = ppc_core(c);
    if (!natural(p->ra, p->len))
        return ppc_mem_alignment(c, p->ea);
    core->clock->offset = c->executed; /* devices see the time of this access */
    if (acc == PPC_ACC_STORE)
        return bus_write(core->bus, p->ra, p->len, ld_le(buf, p->len)) ? PPC_NEXT
                                                                      : machine_check(c, p->ea);
    uint64_t v;
    if (!bus_read(core->bus, p->ra, p->len, &v))
        return machine_check(c, p->ea);
    st_le(buf, p->len, v);
    return PPC_NEXT;
}

static PpcStatus piece_access(PpcCpu *c, const MemPiece *p, PpcAccess acc, uint8_t *buf)
{
    Bus *bus = ppc_core(c)->bus;
    BusRegion *r = bus_find(bus, p->ra, p->len);
    if (!r)
        return machine_check(c, p->ea);
    if (!r->ram) {
        if (p->len != 16)
            return mmio(c, p, acc, buf);
        /* A quadword in caching-inhibited storage: two doublewords. */
        MemPiece lo = { .ea = p->ea, .ra = p->ra, .len = 8 };
        MemPiece hi = { .ea = p->ea + 8, .ra = p->ra + 8, .len = 8 };
        PpcStatus st = natural(p->ra, 8) ? mmio(c, &lo, acc, buf) : ppc_mem_alignment(c, p->ea);
        return st == PPC_NEXT ? mmio(c, &hi, acc, buf + 8) : st;
    }
    uint8_t *host = r->ram + (p->ra - r->base);
    if (acc == PPC_ACC_LOAD) {
        memcpy(buf, host, p->len);
        return PPC_NEXT;
    }
    if (r->readonly)
        return PPC_NEXT; /* ROM ignores stores, as bus_write does */
    memcpy(host, buf, p->len);
    if (bus->ram_written)
        bus->ram_written(bus->ram_written_opaque, p->ra, p->len);
    return PPC_NEXT;
}

/* len bytes at ea in storage order, len <= 16. */
static PpcStatus access_bytes(PpcCpu *c, uint64_t ea, unsigned len, PpcAccess acc, uint8_t *buf)
{
    MemPiece p[2];
    unsigned n;
    PpcStatus st = split(c, ea, len, acc, p, &n);
    for (unsigned k = 0; k < n && st == PPC_NEXT; k++) {
        st = piece_access(c, &p[k], acc, buf);
        buf += p[k].len;
    }
    return st;
}

static bool little_endian(const PpcCpu *c, bool reverse)
{
    return ppc_msr_le(c) != reverse;
}

PpcStatus ppc_load(PpcCpu *c, uint64_t ea, unsigned size, bool reverse, uint64_t *val)
{
    uint8_t buf[8];
    PpcStatus st = access_bytes(c, ea, size, PPC_ACC_LOAD, buf);
    if (st != PPC_NEXT)
        return st;
    uint64_t v = ld_le(buf, size);
    *val = little_endian(c, reverse) ? v : bswap_sized(v, size);
    return PPC_NEXT;
}

PpcStatus ppc_store(PpcCpu *c, uint64_t ea, unsigned size, bool reverse, uint64_t val)
{
    uint8_t buf[8];
    st_le(buf, size, little_endian(c, reverse) ? val : bswap_sized(val, size));
    return access_bytes(c, ea, size, PPC_ACC_STORE, buf);
}

PpcStatus ppc_load_bytes(PpcCpu *c, uint64_t ea, unsigned size, uint8_t *buf)
{
    return access_bytes(c, ea, size, PPC_ACC_LOAD, buf);
}

PpcStatus ppc_store_bytes(PpcCpu *c, uint64_t ea, unsigned size, const uint8_t *buf)
{
    uint8_t tmp[16];
    memcpy(tmp, buf, size);
    return access_bytes(c, ea, size, PPC_ACC_STORE, tmp);
}

/* The Data Storage interrupt a larx/stcx. gets for storage it cannot reserve: DSISR bit
 * 37 for caching-inhibited storage (Book III-S 7.5.3), the protection bit for ROM. */
#define DSISR_ATOMIC_CI 0x04000000u

static PpcStatus dsi(PpcCpu *c, uint64_t ea, uint32_t dsisr, bool store)
{
    c->exc = (PpcException){ .kind = PPC_EXC_DSI, .dar = ea,
                             .dsisr = dsisr | (store ? DSISR_ISSTORE : 0) };
    return PPC_TRAP;
}

/* larx/stcx.: the operand must be naturally aligned (Alignment interrupt, Book III-S
 * 7.5.8) and in ordinary RAM; the host pointer is for the caller's access. */
PpcStatus ppc_translate_atomic(PpcCpu *c, uint64_t ea, unsigned size, bool store, uint64_t *ra,
                               uint8_t **host)
{
    ea = ppc_ea(c, ea);
    if (ea & (size - 1))
        return ppc_mem_alignment(c, ea);
    PpcStatus st = translate(c, ea, store ? PPC_ACC_STORE : PPC_ACC_LOAD, ra);
    if (st != PPC_NEXT)
        return st;
    Bus *bus = ppc_core(c)->bus;
    BusRegion *r = bus_find(bus, *ra, size);
    if (!r)
        return machine_check(c, ea);
    if (!r->ram)
        return dsi(c, ea, DSISR_ATOMIC_CI, store);
    if (store && r->readonly)
        return dsi(c, ea, DSISR_PROTFAULT, store);
    *host = r->ram + (*ra - r->base);
    if (store && bus->ram_written)
        bus->ram_written(bus->ram_written_opaque, *ra, size);
    return PPC_NEXT;
}

PpcStatus ppc_mem_probe(PpcCpu *c, uint64_t ea, PpcAccess acc)
{
    uint64_t ra;
    return translate(c, ppc_ea(c, ea), acc, &ra);
}

/* dcbz: the block is translated as a store; caching-inhibited storage takes the
 * Alignment interrupt, ROM ignores the stores. */
PpcStatus ppc_mem_zero_block(PpcCpu *c, uint64_t ea, unsigned len)
{
    ea = ppc_ea(c, ea) & ~(uint64_t)(len - 1);
    uint64_t ra;
    PpcStatus st = translate(c, ea, PPC_ACC_STORE, &ra);
    if (st != PPC_NEXT)
        return st;
    Bus *bus = ppc_core(c)->bus;
    BusRegion *r = bus_find(bus, ra, len);
    if (!r)
        return machine_check(c, ea);
    if (!r->ram)
        return ppc_mem_alignment(c, ea);
    if (r->readonly)
        return PPC_NEXT;
    memset(r->ram + (ra - r->base), 0, len);
    if (bus->ram_written)
        bus->ram_written(bus->ram_written_opaque, ra, len);
    return PPC_NEXT;
}
