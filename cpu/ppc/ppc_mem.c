/* cpu/ppc/ppc_mem.c: how a Power thread reaches storage: effective to real address
 * translation (Power ISA v3.0B Book III-S 5.7.3 "Real Addressing Mode" and 5.7.7-5.7.9
 * for relocation through the SLB and the hashed page table, mmu/ppc_hash64.c), a soft TLB
 * of 4 KiB pages per translation context in front of it, byte order (Book I 1.10.1 "Byte
 * Ordering": MSR[LE] selects it, the byte-reverse forms ask for the other one), accesses
 * that cross a page, RAM through host pointers, caching-inhibited MMIO through
 * bus_read/bus_write, and the Alignment (Book III-S 7.5.8), Data Storage / Segment
 * (7.5.3-7.5.4) and Machine Check (7.5.2) interrupts the accesses raise.
 *
 * Every access is first cut at 4 KiB boundaries and each piece translated before any
 * byte moves, so a fault on the second page leaves storage untouched. RAM is ordinary
 * (cacheable) storage and performs any misaligned access; a device region is
 * caching-inhibited storage and takes only naturally aligned accesses of 1, 2, 4 or 8
 * bytes, anything else gets the Alignment interrupt; an address nothing answers gets a
 * Machine Check; larx and stcx. need naturally aligned RAM (Alignment, or a Data Storage
 * interrupt for caching-inhibited storage).
 *
 * The soft TLB caches what hash64_translate granted: a page's real address, the host
 * pointer for RAM, and per access kind whether the fast path may be used. A store is
 * cached only once the HPTE's C bit is set (tlb_prot), a page holding translated code or
 * a device takes the slow path (PPC_TLB_SLOW), and the AMR/IAMR bits of the page's class
 * key are checked on every hit, so the kernel's frequent AMR writes need no flush. */
#include "cpu/ppc/ppc_core.h"
#include "cpu/ppc/booke/booke.h"

#define PPC_PAGE_SIZE 4096ULL
#define PAGE_MASK (~(PPC_PAGE_SIZE - 1))

/* Real mode ignores EA bits 0:3 (Book III-S 5.7.3). */
#define REAL_MODE_MASK 0x0fffffffffffffffULL

typedef enum TlbAccess { ACC_LOAD = PPC_TLB_LOAD, ACC_STORE = PPC_TLB_STORE, ACC_FETCH = PPC_TLB_FETCH } TlbAccess;

/* A piece of an access that lies in one page. */
typedef struct MemPiece {
    uint64_t ea, ra;
    uint8_t *host;   /* RAM that may be accessed directly, else NULL */
    unsigned len;
} MemPiece;

PpcStatus ppc_mem_alignment_acc(PpcCpu *c, uint64_t ea, bool store)
{
    c->exc = (PpcException){ .kind = PPC_EXC_ALIGNMENT, .dar = ea, .store = store };
    return PPC_TRAP;
}

PpcStatus ppc_mem_alignment(PpcCpu *c, uint64_t ea)
{
    return ppc_mem_alignment_acc(c, ea, false);
}

static PpcStatus machine_check(PpcCpu *c, uint64_t ea)
{
    c->exc = (PpcException){ .kind = PPC_EXC_MACHINE_CHECK, .dar = ea };
    return PPC_TRAP;
}

static PpcTlbEntry *tlb_slot(PpcCpu *c, unsigned ctx, uint64_t ea)
{
    return &c->tlb[ctx][(ea >> 12) & (PPC_TLB_SIZE - 1)];
}

static uint64_t key_bits(const PpcCpu *c, TlbAccess acc)
{
    return acc == ACC_FETCH ? c->iamr : c->amr;
}

void ppc_tlb_flush(PpcCpu *c)
{
    for (unsigned k = 0; k < c->tlb_nfilled; k++) {
        unsigned n = c->tlb_filled[k];
        memset(&c->tlb[n / PPC_TLB_SIZE][n % PPC_TLB_SIZE], 0, sizeof(PpcTlbEntry));
    }
    c->tlb_nfilled = 0;
    if (c->core)
        c->jc_gen = ++ppc_core(c)->gen_source; /* cached fetches went through the TLB */
}

void ppc_tlb_flush_range(PpcCpu *c, uint64_t ea, uint64_t len, bool executable)
{
    if (len > 64 * PPC_PAGE_SIZE) {
        ppc_tlb_flush(c);
        return;
    }
    for (uint64_t page = ea & PAGE_MASK; page < ea + len; page += PPC_PAGE_SIZE) {
        for (unsigned ctx = 0; ctx < PPC_MMU_COUNT; ctx++) {
            PpcTlbEntry *e = tlb_slot(c, ctx, page);
            for (unsigned a = 0; a < PPC_TLB_ACCESSES; a++)
                if ((e->tag[a] & PAGE_MASK) == page) {
                    memset(e->tag, 0, sizeof(e->tag)); /* stays listed */
                    break;
                }
        }
    }
    if (executable && c->core)
        c->jc_gen = ++ppc_core(c)->gen_source;
}

void ppc_tlb_flush_all(PpcCore *core)
{
    for (unsigned n = 0; n < core->ncpus; n++)
        ppc_tlb_flush(core->cpus[n]);
}

void ppc_tlb_flush_hpte(PpcCore *core, uint64_t ptex, bool executable)
{
    for (unsigned n = 0; n < core->ncpus; n++) {
        PpcCpu *c = core->cpus[n];
        bool any = false;
        for (unsigned k = 0; k < c->tlb_nfilled; k++) {
            unsigned i = c->tlb_filled[k];
            PpcTlbEntry *e = &c->tlb[i / PPC_TLB_SIZE][i % PPC_TLB_SIZE];
            if (e->ptex == ptex) {
                memset(e->tag, 0, sizeof(e->tag));
                any = true;
            }
        }
        /* The jump cache maps effective addresses to blocks without the TLB: a
         * translation that could fetch may be cached there after its TLB entry left. */
        if (any || executable)
            c->jc_gen = ++core->gen_source;
    }
}

/* The Data Address Watchpoint (Book III-S 9.4 "Data Address Watchpoint"): DAWR0 holds a
 * doubleword address, DAWRX0 the range in doublewords (MRD + 1), which accesses match
 * (DR loads, DW stores), in which states (PRO problem, PNH privileged, HYP hypervisor)
 * and with which translation (WT = MSR[DR], unless WTI ignores it). A match is a Data
 * Storage interrupt with DSISR[41] before the access is performed. Pages holding the
 * watched range take the soft TLB's slow path, where this check sits. */
#define DAWRX_PRO 0x01ULL
#define DAWRX_PNH 0x02ULL
#define DAWRX_HYP 0x04ULL
#define DAWRX_WTI 0x08ULL
#define DAWRX_WT 0x10ULL
#define DAWRX_DR 0x20ULL
#define DAWRX_DW 0x40ULL
#define DAWRX_MRD_SHIFT 10
#define DSISR_DAWR_MATCH 0x00400000u

static bool dawr_active(const PpcCpu *c)
{
    return (c->dawrx0 & (DAWRX_DR | DAWRX_DW)) && (c->dawrx0 & (DAWRX_PRO | DAWRX_PNH | DAWRX_HYP));
}

static void dawr_range(const PpcCpu *c, uint64_t *start, uint64_t *end)
{
    *start = c->dawr0 & ~7ULL;
    *end = *start + 8 * (((c->dawrx0 >> DAWRX_MRD_SHIFT) & 0x3f) + 1);
}

static bool dawr_match(const PpcCpu *c, uint64_t ea, unsigned len, bool store)
{
    if (!dawr_active(c) || !len || !(c->dawrx0 & (store ? DAWRX_DW : DAWRX_DR)))
        return false;
    uint64_t state = (c->msr & MSR_PR) ? DAWRX_PRO : (c->msr & MSR_HV) ? DAWRX_HYP : DAWRX_PNH;
    if (!(c->dawrx0 & state))
        return false;
    if (!(c->dawrx0 & DAWRX_WTI) && ((c->msr & MSR_DR) != 0) != ((c->dawrx0 & DAWRX_WT) != 0))
        return false;
    uint64_t start, end;
    dawr_range(c, &start, &end);
    return ea < end && ea + len > start;
}

static bool dawr_page(const PpcCpu *c, uint64_t page)
{
    if (!dawr_active(c))
        return false;
    uint64_t start, end;
    dawr_range(c, &start, &end);
    return page < end && page + PPC_PAGE_SIZE > start;
}

static void trace_step(void *opaque, const Hash64Step *step)
{
    PpcCpu *c = opaque;
    char text[200];
    hash64_step_format(step, text, sizeof(text));
    fprintf(ppc_core(c)->log, "cpu%u: mmu: %s\n", c->index, text);
}

/* The interrupt for a failed translation. */
static PpcStatus xlate_fault(PpcCpu *c, uint64_t ea, TlbAccess acc, Hash64Status st,
                             uint32_t bits)
{
    bool fetch = acc == ACC_FETCH;
    switch (st) {
    case HASH64_SEGMENT_FAULT:
        c->exc = (PpcException){ .kind = fetch ? PPC_EXC_ISEGI : PPC_EXC_DSEGI, .dar = ea };
        break;
    case HASH64_PAGE_FAULT:
        if (fetch)
            c->exc = (PpcException){ .kind = PPC_EXC_ISI, .srr1_bits = bits };
        else
            c->exc = (PpcException){ .kind = PPC_EXC_DSI, .dar = ea,
                                     .dsisr = bits | (acc == ACC_STORE ? DSISR_ISSTORE : 0) };
        break;
    default:
        return machine_check(c, ea);
    }
    return PPC_TRAP;
}

/* Translates ea (already wrapped for 32-bit mode) and caches the page.
 * 1. Book III-E: the TLB (booke/booke_mmu.c). Real mode: RA = EA with bits 0:3 ignored;
 *    a PAPR partition reaches [0, rma_size).
 * 2. Relocation: the SLB and the HPT, keys from AMR (data) or IAMR (fetch).
 * 3. Fill the TLB entry with the access kinds the translation allows without a further
 *    R/C update, the host pointer for RAM, and the slow flag for devices and code. */
static PpcStatus translate(PpcCpu *c, uint64_t ea, TlbAccess acc, uint64_t *ra,
                           PpcTlbEntry **out)
{
    PpcCore *core = ppc_core(c);
    unsigned ctx = ppc_tlb_ctx(c, acc);
    PpcTlbEntry *e = tlb_slot(c, ctx, ea);
    uint64_t page = ea & PAGE_MASK;
    if ((e->tag[acc] & ~PPC_TLB_SLOW) == (page | PPC_TLB_VALID) &&
        !(key_bits(c, acc) & e->amr_deny[acc])) {
        *ra = e->ra_page | (ea & ~PAGE_MASK);
        *out = e;
        return PPC_NEXT;
    }
    unsigned prot = HASH64_PROT_READ | HASH64_PROT_WRITE | HASH64_PROT_EXEC;
    uint64_t ptex = ~0ULL, deny_load = 0, deny_store = 0;
    if (ppc_is_booke(c)) {
        PpcStatus st = booke_translate_page(c, ea, acc, ra, &prot);
        if (st != PPC_NEXT)
            return st;
    } else if (!(ctx & 1)) {
        *ra = ea & REAL_MODE_MASK;
        if (core->vhyp && *ra >= core->rma_size)
            return machine_check(c, ea);
    } else {
        if (!core->hpt.read_hptes)
            return xlate_fault(c, ea, acc, HASH64_SEGMENT_FAULT, 0);
        Hash64Mmu m = { .ops = &core->hpt, .slb = c->slb, .slb_entries = c->model->slb_size };
        static const Hash64Access kinds[] = { HASH64_LOAD, HASH64_STORE, HASH64_IFETCH };
        bool trace = core->log && (core->log_mask & PPC_LOG_MMU);
        Hash64Xlate x = { .access = kinds[acc], .pr = (c->msr & MSR_PR) != 0,
                          .check_keys = true, .amr = c->amr, .iamr = c->iamr,
                          .trace = trace ? trace_step : NULL, .trace_opaque = c };
        Hash64Result r;
        Hash64Status st = hash64_translate(&m, ea, &x, &r);
        if (st != HASH64_OK)
            return xlate_fault(c, ea, acc, st, r.fault_bits);
        *ra = r.ra;
        prot = r.tlb_prot;
        ptex = r.ptex;
        unsigned shift = 62 - 2 * r.key;
        deny_load = 1ULL << shift;
        deny_store = 2ULL << shift;
    }
    BusRegion *reg = bus_find(core->bus, *ra & PAGE_MASK, PPC_PAGE_SIZE);
    if (!reg) {
        *out = NULL;
        return PPC_NEXT; /* the access decides: a machine check, or a partial region */
    }
    /* Every slot that ever held a translation since the last flush is listed exactly
     * once, so a flush reaches all of them. */
    if (!e->listed) {
        e->listed = true;
        c->tlb_filled[c->tlb_nfilled++] = (uint16_t)(ctx * PPC_TLB_SIZE + (e - c->tlb[ctx]));
    }
    uint64_t ra_page = *ra & PAGE_MASK;
    if (e->ra_page != ra_page || e->ptex != ptex || !(e->tag[0] | e->tag[1] | e->tag[2]))
        memset(e->tag, 0, sizeof(e->tag));
    e->ra_page = ra_page;
    e->ptex = ptex;
    e->host = reg->ram ? reg->ram + (ra_page - reg->base) : NULL;
    e->amr_deny[ACC_LOAD] = deny_load;
    e->amr_deny[ACC_STORE] = deny_store;
    e->amr_deny[ACC_FETCH] = deny_load; /* IAMR uses the odd bit of the pair */
    bool watched = unlikely(core->dbg != NULL) && dbg_page_watched(core->dbg, page);
    uint64_t slow = reg->ram && !dawr_page(c, page) && !watched ? 0 : PPC_TLB_SLOW;
    uint64_t store_slow = (reg->ram && (reg->readonly || tb_page_has_code(&core->tb, ra_page)))
                              ? PPC_TLB_SLOW : slow;
    if (prot & HASH64_PROT_READ)
        e->tag[ACC_LOAD] = page | PPC_TLB_VALID | slow;
    if (prot & HASH64_PROT_WRITE)
        e->tag[ACC_STORE] = page | PPC_TLB_VALID | store_slow;
    if (prot & HASH64_PROT_EXEC)
        e->tag[ACC_FETCH] = page | PPC_TLB_VALID | slow;
    *out = e;
    return PPC_NEXT;
}

PpcStatus ppc_fetch_page(PpcCpu *c, uint64_t ea, uint64_t *ra, const uint8_t **host)
{
    PpcTlbEntry *e;
    PpcStatus st = translate(c, ea, ACC_FETCH, ra, &e);
    if (st != PPC_NEXT)
        return st;
    if (!e || !e->host) {
        c->exc = (PpcException){ .kind = PPC_EXC_MACHINE_CHECK, .dar = ea };
        return PPC_TRAP;
    }
    *host = e->host;
    return PPC_NEXT;
}

/* Called by the block cache when a page gets its first block: stores to it through the
 * soft TLB must take the slow path from now on. */
void ppc_mem_code_page(PpcCore *core, uint64_t ra_page)
{
    for (unsigned n = 0; n < core->ncpus; n++) {
        PpcCpu *c = core->cpus[n];
        for (unsigned k = 0; k < c->tlb_nfilled; k++) {
            unsigned i = c->tlb_filled[k];
            PpcTlbEntry *e = &c->tlb[i / PPC_TLB_SIZE][i % PPC_TLB_SIZE];
            if (e->ra_page == ra_page && e->tag[ACC_STORE])
                e->tag[ACC_STORE] |= PPC_TLB_SLOW;
        }
    }
}

static PpcStatus translate_data(PpcCpu *c, uint64_t ea, PpcAccess acc, MemPiece *p)
{
    PpcTlbEntry *e;
    TlbAccess a = acc == PPC_ACC_STORE ? ACC_STORE : ACC_LOAD;
    PpcStatus st = translate(c, ea, a, &p->ra, &e);
    p->host = NULL;
    if (st == PPC_NEXT && unlikely(dawr_match(c, ea, p->len, acc == PPC_ACC_STORE))) {
        c->exc = (PpcException){ .kind = PPC_EXC_DSI, .dar = ea,
                                 .dsisr = DSISR_DAWR_MATCH |
                                          (acc == PPC_ACC_STORE ? DSISR_ISSTORE : 0) };
        return PPC_TRAP;
    }
    if (st == PPC_NEXT && unlikely(ppc_core(c)->dbg != NULL) && p->len)
        dbg_check_access(ppc_core(c)->dbg, c->index, ea, p->len, acc == PPC_ACC_STORE);
    if (st == PPC_NEXT && e && !(e->tag[a] & PPC_TLB_SLOW) && e->host)
        p->host = e->host + (ea & ~PAGE_MASK);
    return st;
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
        PpcStatus st = translate_data(c, p[k].ea, acc, &p[k]);
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
        return ppc_mem_alignment_acc(c, p->ea, acc == PPC_ACC_STORE);
    core->clock->offset = ppc_progress(c); /* devices see the time of this access */
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
    if (p->host) {
        if (acc == PPC_ACC_LOAD)
            memcpy(buf, p->host, p->len);
        else
            memcpy(p->host, buf, p->len);
        return PPC_NEXT;
    }
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
        PpcStatus st = natural(p->ra, 8) ? mmio(c, &lo, acc, buf)
                                           : ppc_mem_alignment_acc(c, p->ea, acc == PPC_ACC_STORE);
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
    uint8_t *h = ppc_fast_host(c, ea, size, ACC_LOAD);
    if (likely(h)) {
        uint64_t v = ld_le(h, size);
        *val = little_endian(c, reverse) ? v : bswap_sized(v, size);
        return PPC_NEXT;
    }
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
    uint8_t *h = ppc_fast_host(c, ea, size, ACC_STORE);
    if (likely(h)) {
        st_le(h, size, little_endian(c, reverse) ? val : bswap_sized(val, size));
        return PPC_NEXT;
    }
    uint8_t buf[8];
    st_le(buf, size, little_endian(c, reverse) ? val : bswap_sized(val, size));
    return access_bytes(c, ea, size, PPC_ACC_STORE, buf);
}

PpcStatus ppc_load_bytes(PpcCpu *c, uint64_t ea, unsigned size, uint8_t *buf)
{
    uint8_t *h = ppc_fast_host(c, ea, size, ACC_LOAD);
    if (likely(h)) {
        memcpy(buf, h, size);
        return PPC_NEXT;
    }
    return access_bytes(c, ea, size, PPC_ACC_LOAD, buf);
}

PpcStatus ppc_store_bytes(PpcCpu *c, uint64_t ea, unsigned size, const uint8_t *buf)
{
    uint8_t *h = ppc_fast_host(c, ea, size, ACC_STORE);
    if (likely(h)) {
        memcpy(h, buf, size);
        return PPC_NEXT;
    }
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
        return ppc_mem_alignment_acc(c, ea, store);
    MemPiece p = { .len = size };
    PpcStatus st = translate_data(c, ea, store ? PPC_ACC_STORE : PPC_ACC_LOAD, &p);
    if (st != PPC_NEXT)
        return st;
    *ra = p.ra;
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
    MemPiece p = { .len = 0 }; /* cache management matches no watchpoint */
    return translate_data(c, ppc_ea(c, ea), acc, &p);
}

/* dcbz: the block is translated as a store; caching-inhibited storage takes the
 * Alignment interrupt, ROM ignores the stores. */
PpcStatus ppc_mem_zero_block(PpcCpu *c, uint64_t ea, unsigned len)
{
    ea = ppc_ea(c, ea) & ~(uint64_t)(len - 1);
    uint8_t *h = ppc_fast_host(c, ea, len, ACC_STORE); /* RAM without code or watchpoint */
    if (likely(h)) {
        memset(h, 0, len);
        return PPC_NEXT;
    }
    MemPiece p = { .len = len };
    PpcStatus st = translate_data(c, ea, PPC_ACC_STORE, &p);
    if (st != PPC_NEXT)
        return st;
    uint64_t ra = p.ra;
    Bus *bus = ppc_core(c)->bus;
    BusRegion *r = bus_find(bus, ra, len);
    if (!r)
        return machine_check(c, ea);
    if (!r->ram)
        return ppc_mem_alignment_acc(c, ea, true);
    if (r->readonly)
        return PPC_NEXT;
    memset(r->ram + (ra - r->base), 0, len);
    if (bus->ram_written)
        bus->ram_written(bus->ram_written_opaque, ra, len);
    return PPC_NEXT;
}
