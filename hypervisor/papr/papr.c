/* hypervisor/papr/papr.c: the PAPR hcall table and dispatcher (LoPAR chapter 14 "Logical
 * Partitioning Option", sections "Hypervisor Interface Requirements" and "Hypervisor Call
 * Function Table"; the Shared Processor LPAR Option for H_REGISTER_VPA, H_CEDE,
 * H_CONFER, H_PROD; "Interrupt Support hcall()s"; "Debugger Support hcall()s";
 * "Processor Register Hypervisor Resource Access" for H_SET_SPRG0, H_SET_DABR,
 * H_PAGE_INIT, H_SET_XDABR and H_SET_MODE; the Virtual Terminal of chapter 16). One const
 * table, grouped by function set, serves `sc 1`: r3 holds the number, r4-r12 the
 * arguments; r3 gets the return code and r4 and up the outputs. Numbers not in the table
 * return H_FUNCTION and are logged once. ibm,hypertas-functions is built from the same
 * table. */
#include "hypervisor/papr/papr.h"
#include "cpu/common/state.h"

#include <inttypes.h>
#include <stdlib.h>

#include "cpu/ppc/ppc_core.h"
#include "devices/xics.h"

/* The slot of c in p->cpus, or p->ncpus. */
static unsigned cpu_slot(const Papr *p, const PpcCpu *c)
{
    for (unsigned i = 0; i < p->ncpus; i++)
        if (p->cpus[i] == c)
            return i;
    return p->ncpus;
}

static PaprVcpu *vcpu_of(Papr *p, const PpcCpu *c)
{
    unsigned i = cpu_slot(p, c);
    return i < p->ncpus && i < PAPR_MAX_CPUS ? &p->vcpu[i] : NULL;
}

PpcCpu *papr_cpu_by_server(Papr *p, uint64_t server)
{
    for (unsigned i = 0; i < p->ncpus; i++)
        if (p->cpus[i] && p->cpus[i]->pir == server)
            return p->cpus[i];
    return NULL;
}

/* ---- hcall-sprg0, hcall-dabr, hcall-xdabr, hcall-copy ---------------------------- */

static int64_t h_set_sprg0(Papr *p, PpcCpu *c, uint64_t *a)
{
    c->sprg[0] = a[0];
    return H_SUCCESS;
}

/* The data breakpoint lands in the CPU's Data Address Watchpoint (POWER8 and later have
 * no DABR): one doubleword, DR/DW from DABR bits 63/62, the translation from BT (bit 61)
 * unless DABRX[BTI] ignores it, the states from DABRX[USER, KERNEL]. */
#define DABR_DR 0x1ULL
#define DABR_DW 0x2ULL
#define DABR_BT 0x4ULL
#define DABRX_USER 0x1ULL
#define DABRX_KERNEL 0x2ULL
#define DABRX_BTI 0x8ULL
#define DAWRX_PRO 0x01ULL
#define DAWRX_PNH 0x02ULL
#define DAWRX_WTI 0x08ULL
#define DAWRX_WT 0x10ULL
#define DAWRX_DR 0x20ULL
#define DAWRX_DW 0x40ULL

static void set_watchpoint(PpcCpu *c, uint64_t dawr, uint64_t dawrx)
{
    c->dawr0 = dawr;
    c->dawrx0 = dawrx;
    ppc_tlb_flush(c); /* the watched page must take the slow path */
}

static void set_dabr(PpcCpu *c, uint64_t dabr, uint64_t dabrx)
{
    uint64_t x = ((dabrx & DABRX_USER) ? DAWRX_PRO : 0) | ((dabrx & DABRX_KERNEL) ? DAWRX_PNH : 0) |
                 ((dabr & DABR_DR) ? DAWRX_DR : 0) | ((dabr & DABR_DW) ? DAWRX_DW : 0) |
                 ((dabrx & DABRX_BTI) ? DAWRX_WTI : (dabr & DABR_BT) ? DAWRX_WT : 0);
    set_watchpoint(c, dabr & ~7ULL, x);
}

/* With the extended DABR facility (hcall-xdabr), DABRX becomes 0b0011: breakpoints in
 * problem and privileged state. */
static int64_t h_set_dabr(Papr *p, PpcCpu *c, uint64_t *a)
{
    PaprVcpu *v = vcpu_of(p, c);
    if (!v)
        return H_HARDWARE;
    v->dabr = a[0];
    v->dabrx = 3;
    set_dabr(c, v->dabr, v->dabrx);
    return H_SUCCESS;
}

/* 1. DABRX (r5): reserved bits 0-59 zero, HYP (61) off, PRIVM (62-63) not 0b00.
 * 2. Load DABRX and DABR. */
static int64_t h_set_xdabr(Papr *p, PpcCpu *c, uint64_t *a)
{
    PaprVcpu *v = vcpu_of(p, c);
    uint64_t ext = a[1];
    if (!v)
        return H_HARDWARE;
    if ((ext & PAPR_DABRX_RESERVED) || (ext & PAPR_DABRX_HYP) || !(ext & PAPR_DABRX_PRIVM))
        return H_PARAMETER;
    v->dabr = a[0];
    v->dabrx = ext;
    set_dabr(c, v->dabr, v->dabrx);
    return H_SUCCESS;
}

#define PAPR_PAGE 4096

/* Is [addr, addr + len) writable RAM? */
static bool ram_ok(Papr *p, uint64_t addr, uint64_t len)
{
    BusRegion *r = bus_find(p->bus, addr, len);
    return r && r->ram && !r->readonly && bus_ram_ptr(p->bus, addr, len);
}

/* H_PAGE_INIT(flags, destination, source):
 * 1. destination (and source, with H_COPY_PAGE) must start a 4 KiB page of RAM;
 * 2. H_ZERO_PAGE clears the destination, then H_COPY_PAGE copies the source over it;
 * 3. the I-cache flags need nothing: writes into RAM drop translated code on the page. */
static int64_t h_page_init(Papr *p, PpcCpu *c, uint64_t *a)
{
    uint64_t flags = a[0], dst = a[1], src = a[2];
    uint8_t page[PAPR_PAGE];
    if ((dst & (PAPR_PAGE - 1)) || !ram_ok(p, dst, PAPR_PAGE))
        return H_PARAMETER;
    if ((flags & H_COPY_PAGE) &&
        ((src & (PAPR_PAGE - 1)) || !bus_ram_ptr(p->bus, src, PAPR_PAGE)))
        return H_PARAMETER;
    if (flags & H_ZERO_PAGE) {
        memset(page, 0, sizeof(page));
        bus_dma_write(p->bus, dst, page, sizeof(page));
    }
    if (flags & H_COPY_PAGE) {
        bus_dma_read(p->bus, src, page, sizeof(page));
        bus_dma_write(p->bus, dst, page, sizeof(page));
    }
    return H_SUCCESS;
}

/* ---- hcall-debug: H_LOGICAL_CI_LOAD / H_LOGICAL_CI_STORE -------------------------- */

/* The checks of both calls: size 1, 2, 4 or 8; addr aligned to it; an I/O location (a
 * device answers there: RAM is not cache-inhibited storage). */
static int64_t ci_check(Papr *p, uint64_t size, uint64_t addr)
{
    if (size != 1 && size != 2 && size != 4 && size != 8)
        return H_PARAMETER;
    if (addr & (size - 1))
        return H_PARAMETER;
    BusRegion *r = bus_find(p->bus, addr, size);
    if (!r || r->ram)
        return H_PARAMETER;
    return H_SUCCESS;
}

/* H_LOGICAL_CI_LOAD(size, addr): a cache-inhibited load, always big-endian (the bus
 * returns memory byte order read as little-endian, so the value is byte-swapped), the
 * result low-order justified in r4. An access no device takes is H_PARAMETER. */
static int64_t h_logical_ci_load(Papr *p, PpcCpu *c, uint64_t *a)
{
    uint64_t size = a[0], addr = a[1], val = 0;
    int64_t rc = ci_check(p, size, addr);
    if (rc != H_SUCCESS)
        return rc;
    if (!bus_read(p->bus, addr, (unsigned)size, &val))
        return H_PARAMETER;
    a[0] = bswap_sized(val, (unsigned)size);
    return H_SUCCESS;
}

/* H_LOGICAL_CI_STORE(size, addr, value): the low-order size bytes of value, stored
 * big-endian. */
static int64_t h_logical_ci_store(Papr *p, PpcCpu *c, uint64_t *a)
{
    uint64_t size = a[0], addr = a[1], val = a[2];
    int64_t rc = ci_check(p, size, addr);
    if (rc != H_SUCCESS)
        return rc;
    if (size < 8)
        val &= (1ULL << (8 * size)) - 1;
    if (!bus_write(p->bus, addr, (unsigned)size, bswap_sized(val, (unsigned)size)))
        return H_PARAMETER;
    return H_SUCCESS;
}

/* ---- hcall-term: the virtual terminal ----------------------------------------------- */

#define PAPR_TERM_MAX 16

/* H_GET_TERM_CHAR(termno): up to 16 queued input bytes, the count in r4 and the bytes
 * packed big-endian in r5, r6. The first call opens the terminal's input: until a driver
 * reads it, host input waits as a terminal's typeahead does. */
static int64_t h_get_term_char(Papr *p, PpcCpu *c, uint64_t *a)
{
    if (!p->vty || a[0] != p->vty_unit)
        return H_PARAMETER;
    p->vty->accepting = true;
    uint64_t packed[2] = { 0, 0 };
    unsigned n = 0;
    while (n < PAPR_TERM_MAX) {
        int ch = chardev_read(p->vty);
        if (ch < 0)
            break;
        packed[n / 8] |= (uint64_t)(uint8_t)ch << (56 - 8 * (n % 8));
        n++;
    }
    a[0] = n;
    a[1] = packed[0];
    a[2] = packed[1];
    return H_SUCCESS;
}

/* H_PUT_TERM_CHAR(termno, len, chars 0-7, chars 8-15): len <= 16 bytes, packed
 * big-endian in r6, r7. */
static int64_t h_put_term_char(Papr *p, PpcCpu *c, uint64_t *a)
{
    if (!p->vty || a[0] != p->vty_unit || a[1] > PAPR_TERM_MAX)
        return H_PARAMETER;
    for (unsigned i = 0; i < a[1]; i++)
        chardev_write(p->vty, (uint8_t)(a[2 + i / 8] >> (56 - 8 * (i % 8))));
    return H_SUCCESS;
}

/* ---- hcall-interrupt: XICS in legacy mode --------------------------------------------- */

/* The XICS and the caller's server, or an error for r3. */
static int64_t xics_caller(Papr *p, PpcCpu *c, unsigned *server)
{
    if (!p->xics)
        return H_FUNCTION;
    if (!xics_server_valid(p->xics, c->pir))
        return H_HARDWARE;
    *server = (unsigned)c->pir;
    return H_SUCCESS;
}

/* H_EOI(xirr): the XISR must be the IPI or one of the partition's sources. The CPPR byte
 * is taken as given: Linux EOIs its IPI with CPPR 0 when it tears a CPU down, and
 * PowerVM and KVM accept that. */
static int64_t h_eoi(Papr *p, PpcCpu *c, uint64_t *a)
{
    unsigned server;
    int64_t rc = xics_caller(p, c, &server);
    uint32_t xirr = (uint32_t)a[0], xisr = xirr & 0xffffff;
    if (rc != H_SUCCESS)
        return rc;
    if (xisr != XICS_IPI && !xics_irq_valid(p->xics, xisr))
        return H_PARAMETER;
    xics_eoi(p->xics, server, xirr);
    return H_SUCCESS;
}

static int64_t h_cppr(Papr *p, PpcCpu *c, uint64_t *a)
{
    unsigned server;
    int64_t rc = xics_caller(p, c, &server);
    if (rc != H_SUCCESS)
        return rc;
    xics_set_cppr(p->xics, server, (uint8_t)a[0]);
    return H_SUCCESS;
}

/* H_IPI(server#, mfrr). */
static int64_t h_ipi(Papr *p, PpcCpu *c, uint64_t *a)
{
    if (!p->xics)
        return H_FUNCTION;
    if (!xics_server_valid(p->xics, a[0]))
        return H_PARAMETER;
    xics_set_mfrr(p->xics, (unsigned)a[0], (uint8_t)a[1]);
    return H_SUCCESS;
}

/* H_IPOLL(server#): r4 = XIRR without side effects, r5 = MFRR. */
static int64_t h_ipoll(Papr *p, PpcCpu *c, uint64_t *a)
{
    uint8_t mfrr;
    if (!p->xics)
        return H_FUNCTION;
    if (!xics_server_valid(p->xics, a[0]))
        return H_PARAMETER;
    a[0] = xics_poll(p->xics, (unsigned)a[0], &mfrr);
    a[1] = mfrr;
    return H_SUCCESS;
}

/* H_XIRR: accept, r4 = XIRR. (The CPPR Linux passes in r4 is not used: accepting sets
 * the CPPR to the priority of the accepted interrupt.) */
static int64_t h_xirr(Papr *p, PpcCpu *c, uint64_t *a)
{
    unsigned server;
    int64_t rc = xics_caller(p, c, &server);
    if (rc != H_SUCCESS)
        return rc;
    a[0] = xics_accept(p->xics, server);
    return H_SUCCESS;
}

/* Virtual time in timebase ticks. */
static uint64_t papr_timebase(const Papr *p)
{
    uint64_t ns = p->clock ? vclock_now(p->clock) : 0;
    return (ns / 1000000000ULL) * PAPR_TB_FREQ +
           (ns % 1000000000ULL) * PAPR_TB_FREQ / 1000000000ULL;
}

/* H_XIRR_X: as H_XIRR, r5 = a time stamp (the timebase when the call accepts). */
static int64_t h_xirr_x(Papr *p, PpcCpu *c, uint64_t *a)
{
    int64_t rc = h_xirr(p, c, a);
    if (rc == H_SUCCESS)
        a[1] = papr_timebase(p) + c->tb_offset;
    return rc;
}

/* ---- hcall-splpar, hcall-join ---------------------------------------------------- */

/* Is [addr, addr + size) within one 4 KiB page? */
static bool in_one_page(uint64_t addr, uint64_t size)
{
    return size && addr / PAPR_PAGE == (addr + size - 1) / PAPR_PAGE;
}

static uint32_t ram_be(Papr *p, uint64_t addr, unsigned size)
{
    uint8_t b[4] = { 0 };
    uint32_t v = 0;
    bus_dma_read(p->bus, addr, b, size);
    for (unsigned i = 0; i < size; i++)
        v = (v << 8) | b[i];
    return v;
}

/* H_REGISTER_VPA(flags, proc-no, addr):
 * 1. the subfunction (flags bits 16-18) must be one of 1-3, 5-7, else H_PARAMETER;
 * 2. proc-no must be a processor of the partition, else H_PARAMETER;
 * 3. registering or deregistering a VPA or an SLB shadow buffer needs proc-no to be the
 *    caller or a stopped processor, else H_STATE;
 * 4. a registration needs addr to be cache-line aligned RAM holding the size field at
 *    offset 4, else H_PARAMETER;
 * 5. then per subfunction: VPA size (16 bits) >= 640 and not spanning a 4 KiB boundary;
 *    DTL size (32 bits) >= 48; SLB shadow size (32 bits) >= 8 and not spanning a 4 KiB
 *    boundary (H_PARAMETER); DTL and SLB shadow need a VPA (H_RESOURCE); deregistering
 *    the VPA needs the other two deregistered first (H_RESOURCE). */
static int64_t h_register_vpa(Papr *p, PpcCpu *c, uint64_t *a)
{
    unsigned sub = (unsigned)((a[0] >> H_VPA_FUNC_SHIFT) & H_VPA_FUNC_MASK);
    uint64_t addr = a[2];
    if (sub == 0 || sub == 4)
        return H_PARAMETER;
    PpcCpu *t = papr_cpu_by_server(p, a[1]);
    PaprVcpu *v = t ? vcpu_of(p, t) : NULL;
    if (!v)
        return H_PARAMETER;
    if (sub != H_VPA_REG_DTL && sub != H_VPA_DEREG_DTL && t != c && !t->stopped)
        return H_STATE;
    bool reg = sub <= H_VPA_REG_SLB;
    if (reg && ((addr & (PAPR_CACHE_LINE - 1)) || !ram_ok(p, addr, 8)))
        return H_PARAMETER;
    uint32_t size;
    switch (sub) {
    case H_VPA_REG_VPA:
        size = ram_be(p, addr + 4, 2);
        if (size < PAPR_VPA_MIN_SIZE || !in_one_page(addr, size) || !ram_ok(p, addr, size))
            return H_PARAMETER;
        v->vpa = addr;
        return H_SUCCESS;
    case H_VPA_REG_DTL:
        size = ram_be(p, addr + 4, 4);
        if (size < PAPR_DTL_MIN_SIZE || !ram_ok(p, addr, size))
            return H_PARAMETER;
        if (!v->vpa)
            return H_RESOURCE;
        v->dtl = addr;
        v->dtl_size = size;
        return H_SUCCESS;
    case H_VPA_REG_SLB:
        size = ram_be(p, addr + 4, 4);
        if (size < PAPR_SLB_MIN_SIZE || !in_one_page(addr, size) || !ram_ok(p, addr, size))
            return H_PARAMETER;
        if (!v->vpa)
            return H_RESOURCE;
        v->slb_shadow = addr;
        v->slb_shadow_size = size;
        return H_SUCCESS;
    case H_VPA_DEREG_VPA:
        if (v->dtl || v->slb_shadow)
            return H_RESOURCE;
        v->vpa = 0;
        return H_SUCCESS;
    case H_VPA_DEREG_DTL:
        v->dtl = 0;
        v->dtl_size = 0;
        return H_SUCCESS;
    default: /* H_VPA_DEREG_SLB */
        v->slb_shadow = 0;
        v->slb_shadow_size = 0;
        return H_SUCCESS;
    }
}

/* H_CEDE: MSR[EE] on as if it was on at the call; a pending prod returns at once, else
 * the thread waits for an interrupt or an H_PROD. */
static int64_t h_cede(Papr *p, PpcCpu *c, uint64_t *a)
{
    PaprVcpu *v = vcpu_of(p, c);
    c->msr |= MSR_EE;
    if (v && v->prod)
        v->prod = false;
    else
        c->waiting = true;
    return H_SUCCESS;
}

/* H_CONFER(proc, dispatch): -1 (all) or another processor: there is no other partition
 * to give cycles to, so it returns; the caller itself: wait until prodded (or an
 * interrupt). */
static int64_t h_confer(Papr *p, PpcCpu *c, uint64_t *a)
{
    int32_t proc = (int32_t)a[0];
    if (proc == -1)
        return H_SUCCESS;
    PpcCpu *t = proc < 0 ? NULL : papr_cpu_by_server(p, (uint32_t)proc);
    if (!t)
        return H_PARAMETER;
    if (t == c) {
        PaprVcpu *v = vcpu_of(p, c);
        if (v && v->prod)
            v->prod = false;
        else
            c->waiting = true;
    }
    return H_SUCCESS;
}

/* H_PROD(proc): a ceded or joined thread becomes runnable (being dispatched resets its
 * prod bit); a running one keeps the prod bit for its next cede or confer. */
static int64_t h_prod(Papr *p, PpcCpu *c, uint64_t *a)
{
    PpcCpu *t = papr_cpu_by_server(p, a[0]);
    PaprVcpu *v = t ? vcpu_of(p, t) : NULL;
    if (!v)
        return H_PARAMETER;
    if (v->joined) {
        v->joined = false;
        t->stopped = false;
        v->prod = false;
    } else if (t->waiting) {
        t->waiting = false;
        v->prod = false;
    } else {
        v->prod = true;
    }
    return H_SUCCESS;
}

/* H_JOIN: with MSR[EE] on, H_BAD_MODE; the last active thread of the partition gets
 * H_CONTINUE; any other stops until an H_PROD (at once if a prod is pending). */
static int64_t h_join(Papr *p, PpcCpu *c, uint64_t *a)
{
    if (c->msr & MSR_EE)
        return H_BAD_MODE;
    bool last = true;
    for (unsigned i = 0; i < p->ncpus; i++) {
        PpcCpu *o = p->cpus[i];
        if (o && o != c && !o->stopped && !o->waiting)
            last = false;
    }
    if (last)
        return H_CONTINUE;
    PaprVcpu *v = vcpu_of(p, c);
    if (!v)
        return H_HARDWARE;
    if (v->prod) {
        v->prod = false;
        return H_SUCCESS;
    }
    v->joined = true;
    c->stopped = true;
    return H_SUCCESS;
}

/* ---- hcall-set-mode ------------------------------------------------------------- */

/* H_SET_MODE(mflags, resource, value1, value2), per the LoPAR semantics:
 * 1 CIABR: value2 0 (H_P4), mflags 0, not a hypervisor address (privilege 0b11: H_P3);
 * 2 DAWR0: mflags 0, DAWRX HYP off (H_P4);
 * 3 address translation mode: value1, value2 0; mflags 0, 2, 3 set LPCR[AIL] of every
 *   processor (1 is reserved: -318);
 * 4 endianness: value1, value2 0; mflags 0/1 clear/set LPCR[ILE] of every processor.
 *   (All threads run on one host thread, so no processor is inside the partition while
 *   the bits change: the "marshal all processors" step has nothing to wait for.)
 * Other resources: H_P2. */
static int64_t h_set_mode(Papr *p, PpcCpu *c, uint64_t *a)
{
    uint64_t mflags = a[0], resource = a[1], v1 = a[2], v2 = a[3];
    switch (resource) {
    case H_SET_MODE_RESOURCE_SET_CIABR:
        if (v2)
            return H_P4;
        if (mflags)
            return H_UNSUPPORTED_FLAG;
        if ((v1 & PAPR_CIABR_PRIV_HYPER) == PAPR_CIABR_PRIV_HYPER)
            return H_P3;
        c->ciabr = v1;
        return H_SUCCESS;
    case H_SET_MODE_RESOURCE_SET_DAWR0:
        if (mflags)
            return H_UNSUPPORTED_FLAG;
        if (v2 & PAPR_DAWRX_HYP)
            return H_P4;
        set_watchpoint(c, v1, v2);
        return H_SUCCESS;
    case H_SET_MODE_RESOURCE_ADDR_TRANS_MODE:
        if (v1)
            return H_P3;
        if (v2)
            return H_P4;
        if (mflags == 1)
            return H_UNSUPPORTED_FLAG_AIL1;
        if (mflags > 3)
            return H_UNSUPPORTED_FLAG;
        for (unsigned i = 0; i < p->ncpus; i++)
            p->cpus[i]->lpcr = (p->cpus[i]->lpcr & ~LPCR_AIL) | (mflags << LPCR_AIL_SHIFT);
        return H_SUCCESS;
    case H_SET_MODE_RESOURCE_LE:
        if (v1)
            return H_P3;
        if (v2)
            return H_P4;
        if (mflags > 1)
            return H_UNSUPPORTED_FLAG;
        for (unsigned i = 0; i < p->ncpus; i++)
            p->cpus[i]->lpcr = mflags ? (p->cpus[i]->lpcr | LPCR_ILE)
                                      : (p->cpus[i]->lpcr & ~LPCR_ILE);
        return H_SUCCESS;
    default:
        return H_P2;
    }
}

/* ---- platform calls (no function set names them) ---------------------------------- */

/* H_RANDOM: r4 = the next splitmix64 output of p->rng_state. */
static int64_t h_random(Papr *p, PpcCpu *c, uint64_t *a)
{
    uint64_t z = (p->rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    a[0] = z ^ (z >> 31);
    return H_SUCCESS;
}

/* H_GET_CPU_CHARACTERISTICS: r4 character, r5 behaviour. An interpreter does not
 * speculate: indirect branches are serialised, and no flush or barrier is needed on
 * kernel entry, user access or store forwarding. */
static int64_t h_get_cpu_characteristics(Papr *p, PpcCpu *c, uint64_t *a)
{
    a[0] = H_CPU_CHAR_BCCTRL_SERIALISED;
    a[1] = H_CPU_BEHAV_FAVOUR_SECURITY | H_CPU_BEHAV_NO_L1D_FLUSH_ENTRY |
           H_CPU_BEHAV_NO_L1D_FLUSH_UACCESS | H_CPU_BEHAV_NO_STF_BARRIER;
    return H_SUCCESS;
}

/* H_RTAS(buffer). */
static int64_t h_rtas(Papr *p, PpcCpu *c, uint64_t *a)
{
    return papr_rtas(p, c, a[0]);
}

/* H_VOF_CLIENT(args): the Open Firmware client interface; its result goes to r3. */
static int64_t h_vof_client(Papr *p, PpcCpu *c, uint64_t *a)
{
    if (!p->client_interface)
        return H_FUNCTION;
    return p->client_interface(p->client_opaque, c, a[0]);
}

/* H_REGISTER_PROC_TBL(flags, base, page size, table size): an ISA 3.0 partition says
 * how it translates. hvemu partitions use the HPT with the SLB (CAS answered hash), so
 * that type with no table (operation 0, what Linux's hash MMU registers), a new table of
 * that type, or a deregistration, succeeds; radix or a process-table HPT are parameters
 * this hypervisor does not offer. */
#define PROC_TABLE_OP_MASK 0x18
#define PROC_TABLE_DEREG 0x10
#define PROC_TABLE_NEW 0x18
#define PROC_TABLE_TYPE_MASK 0x06
#define PROC_TABLE_HPT_SLB 0x00

static int64_t h_register_proc_tbl(Papr *p, PpcCpu *c, uint64_t *a)
{
    uint64_t flags = a[0];
    if (flags & ~(uint64_t)(PROC_TABLE_OP_MASK | PROC_TABLE_TYPE_MASK | 1))
        return H_PARAMETER;
    switch (flags & PROC_TABLE_OP_MASK) {
    case PROC_TABLE_DEREG:
        return H_SUCCESS;
    case 0:
    case PROC_TABLE_NEW:
        return (flags & PROC_TABLE_TYPE_MASK) == PROC_TABLE_HPT_SLB && !(flags & 1) ? H_SUCCESS
                                                                                  : H_PARAMETER;
    default:
        return H_PARAMETER;
    }
}

/* ---- the table ------------------------------------------------------------------ */

#define PAPR_HPT_ROW(set_, op_, name_, fn_)                                                 \
    { .set = set_, .opcode = op_, .name = name_, .hpt = fn_, .nargs = 8, .nrets = 8 },
#define ROW(set_, op_, fn_, nargs_, nrets_)                                                 \
    { .set = set_, .opcode = op_, .name = #op_, .fn = fn_, .nargs = nargs_, .nrets = nrets_ },

const PaprHcall papr_hcalls[] = {
    /* hcall-pft, hcall-bulk: the HPT (papr_hpt.c) */
    PAPR_HPT_HCALLS(PAPR_HPT_ROW)
    ROW("hcall-sprg0", H_SET_SPRG0, h_set_sprg0, 1, 0)
    ROW("hcall-dabr", H_SET_DABR, h_set_dabr, 1, 0)
    ROW("hcall-xdabr", H_SET_XDABR, h_set_xdabr, 2, 0)
    ROW("hcall-copy", H_PAGE_INIT, h_page_init, 3, 0)
    ROW("hcall-debug", H_LOGICAL_CI_LOAD, h_logical_ci_load, 2, 1)
    ROW("hcall-debug", H_LOGICAL_CI_STORE, h_logical_ci_store, 3, 0)
    ROW("hcall-term", H_GET_TERM_CHAR, h_get_term_char, 1, 3)
    ROW("hcall-term", H_PUT_TERM_CHAR, h_put_term_char, 4, 0)
    ROW("hcall-interrupt", H_EOI, h_eoi, 1, 0)
    ROW("hcall-interrupt", H_CPPR, h_cppr, 1, 0)
    ROW("hcall-interrupt", H_IPI, h_ipi, 2, 0)
    ROW("hcall-interrupt", H_IPOLL, h_ipoll, 1, 2)
    ROW("hcall-interrupt", H_XIRR, h_xirr, 0, 1)
    ROW("hcall-interrupt", H_XIRR_X, h_xirr_x, 0, 2)
    ROW("hcall-splpar", H_REGISTER_VPA, h_register_vpa, 3, 0)
    ROW("hcall-splpar", H_CEDE, h_cede, 0, 0)
    ROW("hcall-splpar", H_CONFER, h_confer, 2, 0)
    ROW("hcall-splpar", H_PROD, h_prod, 1, 0)
    ROW("hcall-join", H_JOIN, h_join, 0, 0)
    ROW("hcall-set-mode", H_SET_MODE, h_set_mode, 4, 0)
    /* hcall-tce, hcall-multi-tce: the PHBs' DMA windows (papr_tce.c) */
    PAPR_TCE_HCALLS(ROW)
    /* Platform calls: Linux finds them without ibm,hypertas-functions. */
    ROW(NULL, H_RANDOM, h_random, 0, 1)
    ROW(NULL, H_GET_CPU_CHARACTERISTICS, h_get_cpu_characteristics, 0, 2)
    ROW(NULL, H_REGISTER_PROC_TBL, h_register_proc_tbl, 4, 0)
    ROW(NULL, H_RTAS, h_rtas, 1, 0)
    ROW(NULL, H_VOF_CLIENT, h_vof_client, 1, 0)
};
const unsigned papr_nhcalls = ARRAY_SIZE(papr_hcalls);

#undef ROW
#undef PAPR_HPT_ROW

const PaprHcall *papr_hcall_find(uint64_t opcode)
{
    for (unsigned i = 0; i < papr_nhcalls; i++)
        if (papr_hcalls[i].opcode == opcode)
            return &papr_hcalls[i];
    return NULL;
}

bool papr_hcall_table_ok(FILE *err)
{
    bool ok = true;
    for (unsigned i = 0; i < papr_nhcalls; i++)
        for (unsigned j = i + 1; j < papr_nhcalls; j++)
            if (papr_hcalls[i].opcode == papr_hcalls[j].opcode) {
                if (err)
                    fprintf(err, "hvemu: hcall 0x%" PRIx32 " is in the table twice (%s, %s)\n",
                            papr_hcalls[i].opcode, papr_hcalls[i].name, papr_hcalls[j].name);
                ok = false;
            }
    return ok;
}

size_t papr_hypertas_functions(char *buf, size_t len)
{
    size_t n = 0;
    for (unsigned i = 0; i < papr_nhcalls; i++) {
        const char *set = papr_hcalls[i].set;
        bool seen = false;
        if (!set)
            continue;
        for (unsigned j = 0; j < i && !seen; j++)
            seen = papr_hcalls[j].set && strcmp(papr_hcalls[j].set, set) == 0;
        if (seen)
            continue;
        size_t l = strlen(set) + 1;
        for (size_t k = 0; k < l; k++, n++)
            if (n < len)
                buf[n] = set[k];
    }
    return n;
}

bool papr_init(Papr *p)
{
    if (!papr_hcall_table_ok(stderr) || !papr_rtas_table_ok(stderr))
        return false;
    if (!p->bus || (p->ncpus && !p->cpus) || p->ncpus > PAPR_MAX_CPUS) {
        fprintf(stderr, "hvemu: papr: no bus, or %u CPUs (at most %u)\n", p->ncpus,
                PAPR_MAX_CPUS);
        return false;
    }
    memset(p->warned, 0, sizeof(p->warned));
    papr_reset(p);
    return true;
}

void papr_reset(Papr *p)
{
    memset(p->rtas_warned, 0, sizeof(p->rtas_warned));
    memset(p->vcpu, 0, sizeof(p->vcpu));
    p->rtc_offset = 0;
    papr_tce_reset(p);
}

/* ---- dispatch and logging ------------------------------------------------------- */

static const struct {
    int64_t code;
    const char *name;
} papr_rc_names[] = {
    { H_SUCCESS, "H_SUCCESS" },       { H_CONTINUE, "H_CONTINUE" },
    { H_HARDWARE, "H_HARDWARE" },     { H_FUNCTION, "H_FUNCTION" },
    { H_PRIVILEGE, "H_PRIVILEGE" },   { H_PARAMETER, "H_PARAMETER" },
    { H_BAD_MODE, "H_BAD_MODE" },     { H_PTEG_FULL, "H_PTEG_FULL" },
    { H_NOT_FOUND, "H_NOT_FOUND" },   { H_RESERVED_DABR, "H_RESERVED_DABR" },
    { H_RESOURCE, "H_RESOURCE" },     { H_P2, "H_P2" },
    { H_P3, "H_P3" },                 { H_P4, "H_P4" },
    { H_STATE, "H_STATE" },           { H_UNSUPPORTED_FLAG, "H_UNSUPPORTED_FLAG" },
    { H_UNSUPPORTED_FLAG_AIL1, "H_UNSUPPORTED_FLAG" },
};

static const char *rc_name(int64_t rc)
{
    for (unsigned i = 0; i < ARRAY_SIZE(papr_rc_names); i++)
        if (papr_rc_names[i].code == rc)
            return papr_rc_names[i].name;
    return "?";
}

static void log_call(FILE *f, const PaprHcall *h, uint64_t op, const uint64_t *in,
                     int64_t rc, const PpcCpu *c, unsigned nout)
{
    fprintf(f, "hcall cpu %" PRIu64 " ", c->pir);
    if (h)
        fprintf(f, "%s(", h->name);
    else
        fprintf(f, "0x%" PRIx64 "(", op);
    for (unsigned i = 0; h && i < h->nargs; i++)
        fprintf(f, "%s0x%" PRIx64, i ? ", " : "", in[i]);
    fprintf(f, ") = %" PRId64 " %s", rc, rc_name(rc));
    for (unsigned i = 0; i < nout; i++)
        fprintf(f, "%s0x%" PRIx64, i ? ", " : " -> ", c->gpr[4 + i]);
    fputc('\n', f);
}

/* An unknown number is logged once (hashed bits: a collision only loses a log line). */
static void warn_unknown(Papr *p, uint64_t op)
{
    unsigned bit = (unsigned)(((op >> 2) ^ (op >> 11) ^ (op >> 20)) & 511);
    if (p->warned[bit / 64] & (1ULL << (bit % 64)))
        return;
    p->warned[bit / 64] |= 1ULL << (bit % 64);
    FILE *f = p->log_unimp ? p->log_unimp : p->log;
    if (f)
        fprintf(f, "papr: unsupported hcall 0x%" PRIx64 "\n", op);
}

/* 1. `sc 1` from problem state is refused with H_PRIVILEGE.
 * 2. r3 selects the row; unknown numbers return H_FUNCTION (logged once).
 * 3. The handler gets r4-r12; its result goes to r3 and its outputs to r4 and up. */
void papr_hcall(Papr *p, PpcCpu *c)
{
    uint64_t op = c->gpr[3], in[9], a[9];
    const PaprHcall *h = papr_hcall_find(op);
    unsigned nout = 0;
    int64_t rc;
    memcpy(in, &c->gpr[4], sizeof(in));
    memcpy(a, in, sizeof(a));
    if (c->msr & MSR_PR) {
        rc = H_PRIVILEGE;
    } else if (!h) {
        warn_unknown(p, op);
        rc = H_FUNCTION;
    } else {
        rc = h->hpt ? h->hpt(&p->hpt, a) : h->fn(p, c, a);
        nout = h->nrets;
        for (unsigned i = 0; i < nout; i++)
            c->gpr[4 + i] = a[i];
    }
    c->gpr[3] = (uint64_t)rc;
    if (p->log)
        log_call(p->log, h, op, in, rc, c, nout);
}

void papr_save(const Papr *p, StateW *w)
{
    for (unsigned n = 0; n < p->ncpus; n++) {
        const PaprVcpu *v = &p->vcpu[n];
        sw_u64(w, v->vpa);
        sw_u64(w, v->dtl);
        sw_u64(w, v->slb_shadow);
        sw_u32(w, v->dtl_size);
        sw_u32(w, v->slb_shadow_size);
        sw_u64(w, v->dabr);
        sw_u64(w, v->dabrx);
        sw_bool(w, v->prod);
        sw_bool(w, v->joined);
    }
    for (unsigned t = 0; t < PAPR_MAX_TCE_TABLES; t++) {
        const PaprTceTable *tt = &p->tce[t];
        sw_u32(w, tt->liobn);
        sw_u64(w, tt->nentries);
        sw_u64s(w, tt->entries, tt->liobn ? tt->nentries : 0);
    }
    sw_u64(w, p->rng_state);
    sw_u64(w, p->rtc_base);
    sw_u64(w, (uint64_t)p->rtc_offset);
}

void papr_load(Papr *p, StateR *r)
{
    for (unsigned n = 0; n < p->ncpus; n++) {
        PaprVcpu *v = &p->vcpu[n];
        v->vpa = sr_u64(r);
        v->dtl = sr_u64(r);
        v->slb_shadow = sr_u64(r);
        v->dtl_size = sr_u32(r);
        v->slb_shadow_size = sr_u32(r);
        v->dabr = sr_u64(r);
        v->dabrx = sr_u64(r);
        v->prod = sr_bool(r);
        v->joined = sr_bool(r);
    }
    for (unsigned t = 0; t < PAPR_MAX_TCE_TABLES; t++) {
        PaprTceTable *tt = &p->tce[t];
        uint32_t liobn = sr_u32(r);
        uint64_t n = sr_u64(r);
        /* The tables are the machine's (its PHBs made them): the same ones must come back. */
        if (liobn != tt->liobn || (liobn && n != tt->nentries)) {
            r->bad = true;
            return;
        }
        if (liobn)
            sr_u64s(r, tt->entries, n);
    }
    p->rng_state = sr_u64(r);
    p->rtc_base = sr_u64(r);
    p->rtc_offset = (int64_t)sr_u64(r);
}
