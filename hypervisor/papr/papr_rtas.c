/* hypervisor/papr/papr_rtas.c: RTAS, entered through H_RTAS (LoPAR chapter 7 "Run-Time
 * Abstraction Services": section "RTAS Call Function" for the argument buffer, and the
 * sections on the calls below; chapter 14 "Logical Partitioning Option" for the
 * partition rules of start-cpu, stop-self and the interrupt calls). The guest's RTAS code
 * (papr_rtas_blob) makes the hcall with r4 = the real address of a buffer of big-endian
 * 32-bit cells {token, nargs, nret, args[nargs], rets[nret]}; the token selects a row of
 * papr_rtas_calls (tokens are PAPR_RTAS_TOKEN_BASE + row) and rets[0] is the call's
 * status. Besides the LoPAR calls there is `hvemu,exit`, through which guest test
 * programs end the run with a status. */
#include "hypervisor/papr/papr.h"

#include <inttypes.h>

#include "devices/xics.h"

/* ---- time of day ------------------------------------------------------------------ */

static bool leap_year(uint64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned month_days(uint64_t y, unsigned m)
{
    static const uint8_t days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return days[m - 1] + (m == 2 && leap_year(y));
}

typedef struct RtasDate {
    uint64_t year;
    unsigned month, day, hour, minute, second;
} RtasDate;

/* Seconds since 1970-01-01 00:00:00 UTC to the civil date. */
static RtasDate date_from_epoch(uint64_t t)
{
    RtasDate d = { .year = 1970, .month = 1 };
    uint64_t days = t / 86400, rem = t % 86400;
    d.hour = (unsigned)(rem / 3600);
    d.minute = (unsigned)(rem / 60 % 60);
    d.second = (unsigned)(rem % 60);
    while (days >= 365u + leap_year(d.year)) {
        days -= 365u + leap_year(d.year);
        d.year++;
    }
    while (days >= month_days(d.year, d.month)) {
        days -= month_days(d.year, d.month);
        d.month++;
    }
    d.day = (unsigned)days + 1;
    return d;
}

/* The inverse, for a valid date from 1970 on. */
static uint64_t epoch_from_date(const RtasDate *d)
{
    uint64_t days = 0;
    for (uint64_t y = 1970; y < d->year; y++)
        days += 365u + leap_year(y);
    for (unsigned m = 1; m < d->month; m++)
        days += month_days(d->year, m);
    days += d->day - 1;
    return days * 86400 + d->hour * 3600u + d->minute * 60u + d->second;
}

static uint64_t now_ns(const Papr *p)
{
    return p->clock ? vclock_now(p->clock) : 0;
}

/* The partition's time of day in seconds (never before the epoch). */
static uint64_t tod_seconds(const Papr *p)
{
    int64_t t = (int64_t)(p->rtc_base + now_ns(p) / 1000000000ULL) + p->rtc_offset;
    return t < 0 ? 0 : (uint64_t)t;
}

/* ---- the calls -------------------------------------------------------------------- */

#define RTAS_ARGS Papr *p, PpcCpu *c, uint32_t nargs, const uint32_t *args, uint32_t nret, \
                  uint32_t *rets

static void rtas_display_character(RTAS_ARGS)
{
    if (p->vty)
        chardev_write(p->vty, (uint8_t)args[0]);
    rets[0] = RTAS_OUT_SUCCESS;
}

/* rets: status, year, month, day, hour, minute, second, nanoseconds. */
static void rtas_get_time_of_day(RTAS_ARGS)
{
    RtasDate d = date_from_epoch(tod_seconds(p));
    rets[0] = RTAS_OUT_SUCCESS;
    rets[1] = (uint32_t)d.year;
    rets[2] = d.month;
    rets[3] = d.day;
    rets[4] = d.hour;
    rets[5] = d.minute;
    rets[6] = d.second;
    rets[7] = (uint32_t)(now_ns(p) % 1000000000ULL);
}

/* args: year, month, day, hour, minute, second, nanoseconds. The clock of the machine
 * keeps running from virtual time; only the offset to it changes. */
static void rtas_set_time_of_day(RTAS_ARGS)
{
    RtasDate d = { .year = args[0], .month = args[1], .day = args[2], .hour = args[3],
                   .minute = args[4], .second = args[5] };
    if (d.year < 1970 || d.year > 9999 || d.month < 1 || d.month > 12 || d.day < 1 ||
        d.day > month_days(d.year, d.month) || d.hour > 23 || d.minute > 59 ||
        d.second > 59 || args[6] > 999999999) {
        rets[0] = RTAS_OUT_PARAM_ERROR;
        return;
    }
    int64_t now = (int64_t)(p->rtc_base + now_ns(p) / 1000000000ULL);
    p->rtc_offset = (int64_t)epoch_from_date(&d) - now;
    rets[0] = RTAS_OUT_SUCCESS;
}

/* args: the power-on mask (two cells), which has nothing to act on. */
static void rtas_power_off(RTAS_ARGS)
{
    rets[0] = RTAS_OUT_SUCCESS;
    if (p->sysctl.shutdown)
        p->sysctl.shutdown(p->sysctl.opaque, 0);
}

static void rtas_system_reboot(RTAS_ARGS)
{
    rets[0] = RTAS_OUT_SUCCESS;
    if (p->sysctl.reset)
        p->sysctl.reset(p->sysctl.opaque);
}

/* start-cpu(server, start address, r3):
 * 1. the server must name a processor of the partition (-3) in the RTAS stopped state
 *    (-1 otherwise, as for a running one);
 * 2. it starts at the address in real mode, 64-bit, machine checks enabled, with the
 *    interrupt endianness LPCR[ILE] chose, r3 as given. */
static void rtas_start_cpu(RTAS_ARGS)
{
    PpcCpu *t = papr_cpu_by_server(p, args[0]);
    if (!t) {
        rets[0] = RTAS_OUT_PARAM_ERROR;
        return;
    }
    unsigned i = 0;
    while (p->cpus[i] != t)
        i++;
    if (!t->stopped || p->vcpu[i].joined) {
        rets[0] = RTAS_OUT_HW_ERROR;
        return;
    }
    t->nip = args[1];
    t->gpr[3] = args[2];
    t->msr = MSR_SF | MSR_ME | ((t->lpcr & LPCR_ILE) ? MSR_LE : 0);
    t->stopped = false;
    t->waiting = false;
    p->vcpu[i].prod = false;
    rets[0] = RTAS_OUT_SUCCESS;
}

/* stop-self: the caller enters the RTAS stopped state until a start-cpu. */
static void rtas_stop_self(RTAS_ARGS)
{
    c->stopped = true;
    c->waiting = false;
    rets[0] = RTAS_OUT_SUCCESS;
}

/* query-cpu-stopped-state(server): rets[1] = 0 stopped, 2 not stopped. */
static void rtas_query_cpu_stopped_state(RTAS_ARGS)
{
    PpcCpu *t = papr_cpu_by_server(p, args[0]);
    if (!t) {
        rets[0] = RTAS_OUT_PARAM_ERROR;
        return;
    }
    unsigned i = 0;
    while (p->cpus[i] != t)
        i++;
    rets[0] = RTAS_OUT_SUCCESS;
    rets[1] = t->stopped && !p->vcpu[i].joined ? RTAS_QCSS_STOPPED : RTAS_QCSS_NOT_STOPPED;
}

static uint32_t xics_status(XicsStatus s)
{
    return s == XICS_OK ? RTAS_OUT_SUCCESS : (uint32_t)RTAS_OUT_PARAM_ERROR;
}

/* ibm,set-xive(irq, server, priority). */
static void rtas_set_xive(RTAS_ARGS)
{
    if (!p->xics) {
        rets[0] = (uint32_t)RTAS_OUT_HW_ERROR;
        return;
    }
    rets[0] = xics_status(xics_set_xive(p->xics, args[0], args[1], (uint8_t)args[2]));
}

/* ibm,get-xive(irq): rets status, server, priority. */
static void rtas_get_xive(RTAS_ARGS)
{
    uint32_t server = 0;
    uint8_t prio = XICS_PRIO_MASKED;
    if (!p->xics) {
        rets[0] = (uint32_t)RTAS_OUT_HW_ERROR;
        return;
    }
    rets[0] = xics_status(xics_get_xive(p->xics, args[0], &server, &prio));
    rets[1] = server;
    rets[2] = prio;
}

static void rtas_int_off(RTAS_ARGS)
{
    rets[0] = p->xics ? xics_status(xics_int_off(p->xics, args[0])) : (uint32_t)RTAS_OUT_HW_ERROR;
}

static void rtas_int_on(RTAS_ARGS)
{
    rets[0] = p->xics ? xics_status(xics_int_on(p->xics, args[0])) : (uint32_t)RTAS_OUT_HW_ERROR;
}

/* event-scan, check-exception: there are never events or errors to report. */
static void rtas_no_errors(RTAS_ARGS)
{
    rets[0] = RTAS_OUT_NO_ERRORS_FOUND;
}

/* ibm,os-term(message): the OS has terminated; the run ends with status 1. */
static void rtas_os_term(RTAS_ARGS)
{
    char msg[256];
    unsigned n = 0;
    uint8_t ch;
    while (n + 1 < sizeof(msg) && bus_dma_read(p->bus, (uint64_t)args[0] + n, &ch, 1) && ch)
        msg[n++] = (char)ch;
    msg[n] = 0;
    if (p->log)
        fprintf(p->log, "rtas: ibm,os-term: %s\n", msg);
    rets[0] = RTAS_OUT_SUCCESS;
    if (p->sysctl.shutdown)
        p->sysctl.shutdown(p->sysctl.opaque, 1);
}

/* ibm,nmi-register(system reset vector, machine check vector): accepted; no NMI is ever
 * delivered through them. */
static void rtas_nmi_register(RTAS_ARGS)
{
    rets[0] = RTAS_OUT_SUCCESS;
}

/* ibm,nmi-interlock: the OS is done with an NMI; there are none to release. */
static void rtas_nmi_interlock(RTAS_ARGS)
{
    rets[0] = RTAS_OUT_SUCCESS;
}

/* ibm,get-system-parameter, ibm,set-system-parameter, rtas-last-error: no parameter is
 * supported and no error log is kept. */
static void rtas_not_supported(RTAS_ARGS)
{
    rets[0] = (uint32_t)RTAS_OUT_NOT_SUPPORTED;
}

/* hvemu,exit(status): the machine powers off with the guest's exit status. */
static void rtas_hvemu_exit(RTAS_ARGS)
{
    rets[0] = RTAS_OUT_SUCCESS;
    if (p->sysctl.shutdown)
        p->sysctl.shutdown(p->sysctl.opaque, (int)(int32_t)args[0]);
}

/* ---- PCI configuration space (LoPAR chapter 7, the PCI configuration space calls) ----
 * A configuration address holds register bits 0-7 in its low byte, the device and
 * function (devfn) in the next, the bus in the third and register bits 8-11 in the top
 * nibble, as Linux's rtas_config_addr builds it. The access must be 1,
 * 2 or 4 bytes, aligned, to a device the machine's host bridge has; anything else is a
 * hardware error (-1), and a failed read returns all ones. */

typedef struct PciConfigAddr {
    unsigned bus, devfn, reg;
} PciConfigAddr;

static PciConfigAddr pci_config_addr(uint32_t addr)
{
    return (PciConfigAddr){ .bus = (addr >> 16) & 0xff, .devfn = (addr >> 8) & 0xff,
                            .reg = (addr & 0xff) | ((addr >> 20) & 0xf00) };
}

static bool pci_size_ok(uint32_t size, unsigned reg)
{
    return (size == 1 || size == 2 || size == 4) && !(reg & (size - 1));
}

static void pci_read(Papr *p, uint64_t buid, uint32_t addr, uint32_t size, uint32_t *rets)
{
    PciConfigAddr a = pci_config_addr(addr);
    uint32_t val = 0xffffffffu;
    bool ok = p->pci_config_read && pci_size_ok(size, a.reg) &&
              p->pci_config_read(p->pci_opaque, buid, a.bus, a.devfn, a.reg, size, &val);
    rets[0] = ok ? RTAS_OUT_SUCCESS : (uint32_t)RTAS_OUT_HW_ERROR;
    rets[1] = ok ? val : 0xffffffffu;
}

static void pci_write(Papr *p, uint64_t buid, uint32_t addr, uint32_t size, uint32_t val,
                      uint32_t *rets)
{
    PciConfigAddr a = pci_config_addr(addr);
    bool ok = p->pci_config_write && pci_size_ok(size, a.reg) &&
              p->pci_config_write(p->pci_opaque, buid, a.bus, a.devfn, a.reg, size, val);
    rets[0] = ok ? RTAS_OUT_SUCCESS : (uint32_t)RTAS_OUT_HW_ERROR;
}

static uint64_t buid_of(const uint32_t *hi_lo)
{
    return (uint64_t)hi_lo[0] << 32 | hi_lo[1];
}

/* read-pci-config(config address, size): rets status, value. */
static void rtas_read_pci_config(RTAS_ARGS)
{
    pci_read(p, 0, args[0], args[1], rets);
}

/* write-pci-config(config address, size, value). */
static void rtas_write_pci_config(RTAS_ARGS)
{
    pci_write(p, 0, args[0], args[1], args[2], rets);
}

/* ibm,read-pci-config(config address, BUID hi, BUID lo, size): rets status, value. */
static void rtas_ibm_read_pci_config(RTAS_ARGS)
{
    pci_read(p, buid_of(args + 1), args[0], args[3], rets);
}

/* ibm,write-pci-config(config address, BUID hi, BUID lo, size, value). */
static void rtas_ibm_write_pci_config(RTAS_ARGS)
{
    pci_write(p, buid_of(args + 1), args[0], args[3], args[4], rets);
}

/* ---- the table: X(id, name, handler, nargs_min, nargs_max, nret_min) --------------- */

#define PAPR_RTAS_CALLS(X)                                                                 \
    X(DISPLAY_CHARACTER, "display-character", rtas_display_character, 1, 1, 1)            \
    X(GET_TIME_OF_DAY, "get-time-of-day", rtas_get_time_of_day, 0, 0, 8)                  \
    X(SET_TIME_OF_DAY, "set-time-of-day", rtas_set_time_of_day, 7, 7, 1)                  \
    X(POWER_OFF, "power-off", rtas_power_off, 2, 2, 1)                                    \
    X(SYSTEM_REBOOT, "system-reboot", rtas_system_reboot, 0, 0, 1)                        \
    X(START_CPU, "start-cpu", rtas_start_cpu, 3, 3, 1)                                    \
    X(STOP_SELF, "stop-self", rtas_stop_self, 0, 0, 1)                                    \
    X(QUERY_CPU_STOPPED_STATE, "query-cpu-stopped-state", rtas_query_cpu_stopped_state,   \
      1, 1, 2)                                                                             \
    X(SET_XIVE, "ibm,set-xive", rtas_set_xive, 3, 3, 1)                                   \
    X(GET_XIVE, "ibm,get-xive", rtas_get_xive, 1, 1, 3)                                   \
    X(INT_OFF, "ibm,int-off", rtas_int_off, 1, 1, 1)                                      \
    X(INT_ON, "ibm,int-on", rtas_int_on, 1, 1, 1)                                         \
    X(EVENT_SCAN, "event-scan", rtas_no_errors, 4, 4, 1)                                  \
    X(CHECK_EXCEPTION, "check-exception", rtas_no_errors, 6, 7, 1)                        \
    X(OS_TERM, "ibm,os-term", rtas_os_term, 1, 1, 1)                                      \
    X(NMI_REGISTER, "ibm,nmi-register", rtas_nmi_register, 2, 2, 1)                       \
    X(NMI_INTERLOCK, "ibm,nmi-interlock", rtas_nmi_interlock, 0, 0, 1)                    \
    X(GET_SYSTEM_PARAMETER, "ibm,get-system-parameter", rtas_not_supported, 3, 3, 1)      \
    X(SET_SYSTEM_PARAMETER, "ibm,set-system-parameter", rtas_not_supported, 2, 2, 1)      \
    X(LAST_ERROR, "rtas-last-error", rtas_not_supported, 2, 2, 1)                         \
    X(HVEMU_EXIT, "hvemu,exit", rtas_hvemu_exit, 1, 1, 1)                                \
    X(READ_PCI_CONFIG, "read-pci-config", rtas_read_pci_config, 2, 2, 2)                  \
    X(WRITE_PCI_CONFIG, "write-pci-config", rtas_write_pci_config, 3, 3, 1)               \
    X(IBM_READ_PCI_CONFIG, "ibm,read-pci-config", rtas_ibm_read_pci_config, 4, 4, 2)      \
    X(IBM_WRITE_PCI_CONFIG, "ibm,write-pci-config", rtas_ibm_write_pci_config, 5, 5, 1)

enum {
#define PAPR_RTAS_ID(id, name, fn, amin, amax, rmin) PAPR_RTAS_##id,
    PAPR_RTAS_CALLS(PAPR_RTAS_ID)
#undef PAPR_RTAS_ID
    PAPR_RTAS_COUNT
};

const PaprRtasCall papr_rtas_calls[] = {
#define PAPR_RTAS_ROW(id, name_, fn_, amin, amax, rmin)                                      \
    [PAPR_RTAS_##id] = { .name = name_, .token = PAPR_RTAS_TOKEN_BASE + PAPR_RTAS_##id,     \
                         .fn = fn_, .nargs_min = amin, .nargs_max = amax, .nret_min = rmin },
    PAPR_RTAS_CALLS(PAPR_RTAS_ROW)
#undef PAPR_RTAS_ROW
};
const unsigned papr_rtas_ncalls = ARRAY_SIZE(papr_rtas_calls);

const PaprRtasCall *papr_rtas_find(const char *name)
{
    for (unsigned i = 0; i < papr_rtas_ncalls; i++)
        if (strcmp(papr_rtas_calls[i].name, name) == 0)
            return &papr_rtas_calls[i];
    return NULL;
}

bool papr_rtas_table_ok(FILE *err)
{
    bool ok = true;
    for (unsigned i = 0; i < papr_rtas_ncalls; i++) {
        const PaprRtasCall *a = &papr_rtas_calls[i];
        if (a->nargs_min > a->nargs_max || a->nargs_max + a->nret_min > PAPR_RTAS_MAX_CELLS)
            ok = false;
        for (unsigned j = i + 1; j < papr_rtas_ncalls; j++) {
            const PaprRtasCall *b = &papr_rtas_calls[j];
            if (a->token == b->token || strcmp(a->name, b->name) == 0) {
                if (err)
                    fprintf(err, "hvemu: RTAS calls %s and %s clash\n", a->name, b->name);
                ok = false;
            }
        }
    }
    return ok;
}

/* ---- dispatch --------------------------------------------------------------------- */

static uint32_t be32_at(const uint8_t *b)
{
    return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

static void put_be32(uint8_t *b, uint32_t v)
{
    b[0] = (uint8_t)(v >> 24);
    b[1] = (uint8_t)(v >> 16);
    b[2] = (uint8_t)(v >> 8);
    b[3] = (uint8_t)v;
}

static void warn_token(Papr *p, uint32_t token)
{
    unsigned bit = (token ^ (token >> 7) ^ (token >> 14)) & 127;
    if (p->rtas_warned[bit / 64] & (1ULL << (bit % 64)))
        return;
    p->rtas_warned[bit / 64] |= 1ULL << (bit % 64);
    FILE *f = p->log_unimp ? p->log_unimp : p->log;
    if (f)
        fprintf(f, "papr: unknown RTAS token 0x%" PRIx32 "\n", token);
}

/* 1. Read the header {token, nargs, nret}: it must lie in RAM.
 * 2. nargs + nret <= PAPR_RTAS_MAX_CELLS, and the whole buffer must be writable RAM;
 *    else the hcall fails with H_PARAMETER (there is nowhere to put a status).
 * 3. Find the row of the token; an unknown token, or counts the call does not take, give
 *    status -3 in rets[0].
 * 4. Run the call and write rets back, big-endian. */
int64_t papr_rtas(Papr *p, PpcCpu *c, uint64_t buf)
{
    uint8_t hdr[12], cells[4 * PAPR_RTAS_MAX_CELLS];
    uint32_t args[PAPR_RTAS_MAX_CELLS], rets[PAPR_RTAS_MAX_CELLS] = { 0 };
    if (!bus_dma_read(p->bus, buf, hdr, sizeof(hdr)))
        return H_PARAMETER;
    uint32_t token = be32_at(hdr), nargs = be32_at(hdr + 4), nret = be32_at(hdr + 8);
    if (nargs > PAPR_RTAS_MAX_CELLS || nret > PAPR_RTAS_MAX_CELLS ||
        nargs + nret > PAPR_RTAS_MAX_CELLS)
        return H_PARAMETER;
    uint64_t len = sizeof(hdr) + 4ULL * (nargs + nret);
    BusRegion *r = bus_find(p->bus, buf, len);
    if (!r || !r->ram || r->readonly || !bus_ram_ptr(p->bus, buf, len))
        return H_PARAMETER;
    bus_dma_read(p->bus, buf + sizeof(hdr), cells, 4ULL * nargs);
    for (uint32_t i = 0; i < nargs; i++)
        args[i] = be32_at(cells + 4 * i);

    const PaprRtasCall *call = NULL;
    if (token >= PAPR_RTAS_TOKEN_BASE && token - PAPR_RTAS_TOKEN_BASE < papr_rtas_ncalls)
        call = &papr_rtas_calls[token - PAPR_RTAS_TOKEN_BASE];
    if (!call) {
        warn_token(p, token);
        rets[0] = (uint32_t)RTAS_OUT_PARAM_ERROR;
    } else if (nargs < call->nargs_min || nargs > call->nargs_max || nret < call->nret_min) {
        rets[0] = (uint32_t)RTAS_OUT_PARAM_ERROR;
    } else {
        call->fn(p, c, nargs, args, nret, rets);
    }

    for (uint32_t i = 0; i < nret; i++)
        put_be32(cells + 4 * i, rets[i]);
    bus_dma_write(p->bus, buf + sizeof(hdr) + 4ULL * nargs, cells, 4ULL * nret);
    if (p->log) {
        fprintf(p->log, "rtas cpu %" PRIu64 " %s(", c->pir, call ? call->name : "?");
        for (uint32_t i = 0; i < nargs; i++)
            fprintf(p->log, "%s0x%" PRIx32, i ? ", " : "", args[i]);
        fprintf(p->log, ") = %" PRId32, nret ? (int32_t)rets[0] : 0);
        for (uint32_t i = 1; i < nret; i++)
            fprintf(p->log, "%s0x%" PRIx32, i > 1 ? ", " : " -> ", rets[i]);
        fputc('\n', p->log);
    }
    return H_SUCCESS;
}

/* mr r4,r3; lis r3,0; ori r3,r3,H_RTAS; sc 1; blr */
const uint32_t papr_rtas_blob[] = {
    0x7c641b78, /* or r4,r3,r3: X-form, opcode 31, XO 444 */
    0x3c600000, /* addis r3,0,0: D-form, opcode 15 */
    0x6063f000, /* ori r3,r3,0xf000: D-form, opcode 24 */
    0x44000022, /* sc LEV=1: SC-form, opcode 17 */
    0x4e800020, /* bclr 20,0: XL-form, opcode 19, XO 16 */
};
const unsigned papr_rtas_blob_words = ARRAY_SIZE(papr_rtas_blob);
