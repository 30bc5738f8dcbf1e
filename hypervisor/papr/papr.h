/* hypervisor/papr/papr.h: the built-in PAPR hypervisor of the pseries machine (LoPAR,
 * "Hypervisor Interface Requirements"): one const hcall table grouped by function set,
 * the dispatcher the CPU's interrupt router calls for `sc 1` from privileged
 * non-hypervisor state, RTAS entered through H_RTAS, and the hooks the machine provides
 * (console, interrupt controller, Open Firmware client interface, power). Every register
 * and every guest-memory argument comes from the guest and is checked before use.
 *
 * Wiring: the machine fills the fields of a zeroed Papr (hpt, bus, cpus/ncpus with
 * c->pir = the interrupt server number, vty/vty_unit, xics, sysctl, client_interface,
 * rtc_base, clock, rng_state, log, log_unimp, and pci_config_read/pci_config_write with
 * pci_opaque and a TCE table per DMA window (papr_tce_add) when it has PCI host bridges),
 * calls papr_init once, papr_reset at every
 * machine reset, and papr_hcall for each `sc 1`. The /rtas node lists
 * papr_hypertas_functions and a token property per papr_rtas_calls row. */
#ifndef HVEMU_PAPR_H
#define HVEMU_PAPR_H

#include <stdio.h>

#include "cpu/ppc/ppc_cpu.h"
#include "devices/bus.h"
#include "devices/chardev.h"
#include "hypervisor/papr/papr_hpt.h"

typedef struct Xics Xics;

/* hcall numbers beyond the HPT ones of papr_hpt.h (LoPAR chapter 14 and Linux's
 * arch/powerpc/include/asm/hvcall.h), and the private range used for the firmware
 * interfaces: H_RTAS 0xf000 and the Open Firmware client interface 0xf005. */
#define H_SET_SPRG0 0x24
#define H_SET_DABR 0x28
#define H_PAGE_INIT 0x2c
#define H_LOGICAL_CI_LOAD 0x3c
#define H_LOGICAL_CI_STORE 0x40
#define H_GET_TERM_CHAR 0x54
#define H_PUT_TERM_CHAR 0x58
#define H_EOI 0x64
#define H_CPPR 0x68
#define H_IPI 0x6c
#define H_IPOLL 0x70
#define H_XIRR 0x74
#define H_REGISTER_VPA 0xdc
#define H_CEDE 0xe0
#define H_CONFER 0xe4
#define H_PROD 0xe8
#define H_SET_XDABR 0x134
#define H_GET_CPU_CHARACTERISTICS 0x1c8
#define H_JOIN 0x298
#define H_XIRR_X 0x2fc
#define H_RANDOM 0x300
#define H_SET_MODE 0x31c
#define H_REGISTER_PROC_TBL 0x37c
#define H_RTAS 0xf000
#define H_VOF_CLIENT 0xf005
/* The TCE (DMA translation) hcalls of hypervisor/papr/papr_tce.c. */
#define H_GET_TCE 0x1c
#define H_PUT_TCE 0x20
#define H_PUT_TCE_INDIRECT 0x13c
#define H_STUFF_TCE 0x138

/* hcall return codes beyond those of papr_hpt.h. */
#define H_CONTINUE 18          /* H_JOIN: the caller is the last active thread */
#define H_RESERVED_DABR -8
#define H_RESOURCE -16
#define H_P2 -55
#define H_P3 -56
#define H_P4 -57
#define H_STATE -75
#define H_UNSUPPORTED_FLAG -256 /* first of the H_UNSUPPORTED_FLAG range -256..-511 */
#define H_UNSUPPORTED_FLAG_AIL1 -318 /* H_SET_MODE: the reserved AIL value 1 */

/* H_PAGE_INIT flags (r4), beside H_ZERO_PAGE and the H_ICACHE_* of papr_hpt.h. */
#define H_COPY_PAGE PAPR_BIT(49)

/* H_REGISTER_VPA: the subfunction in flags bits 16-18. */
#define H_VPA_FUNC_SHIFT (63 - 18)
#define H_VPA_FUNC_MASK 7ULL
#define H_VPA_REG_VPA 1
#define H_VPA_REG_DTL 2
#define H_VPA_REG_SLB 3
#define H_VPA_DEREG_VPA 5
#define H_VPA_DEREG_DTL 6
#define H_VPA_DEREG_SLB 7
#define PAPR_VPA_MIN_SIZE 640  /* 16-bit size field at offset 4 */
#define PAPR_DTL_MIN_SIZE 48   /* 32-bit size field at offset 4 */
#define PAPR_SLB_MIN_SIZE 8    /* 32-bit size field at offset 4 */
#define PAPR_CACHE_LINE 128    /* the L1 line of POWER8/POWER9: VPA-area alignment */

/* H_SET_MODE resources (r5). */
#define H_SET_MODE_RESOURCE_SET_CIABR 1
#define H_SET_MODE_RESOURCE_SET_DAWR0 2
#define H_SET_MODE_RESOURCE_ADDR_TRANS_MODE 3
#define H_SET_MODE_RESOURCE_LE 4
#define PAPR_CIABR_PRIV_HYPER 3ULL          /* CIABR bits 62:63 = 0b11 */
#define PAPR_DAWRX_HYP PAPR_BIT(61)
/* H_SET_XDABR: DABRX fields. */
#define PAPR_DABRX_RESERVED 0xfffffffffffffff0ULL /* bits 0-59 */
#define PAPR_DABRX_HYP PAPR_BIT(61)
#define PAPR_DABRX_PRIVM 3ULL                     /* bits 62-63 */

/* H_GET_CPU_CHARACTERISTICS: r4 character, r5 behaviour (IBM bit numbers). */
#define H_CPU_CHAR_SPEC_BAR_ORI31 PAPR_BIT(0)
#define H_CPU_CHAR_BCCTRL_SERIALISED PAPR_BIT(1)
#define H_CPU_CHAR_L1D_FLUSH_ORI30 PAPR_BIT(2)
#define H_CPU_CHAR_L1D_FLUSH_TRIG2 PAPR_BIT(3)
#define H_CPU_CHAR_L1D_THREAD_PRIV PAPR_BIT(4)
#define H_CPU_BEHAV_FAVOUR_SECURITY PAPR_BIT(0)
#define H_CPU_BEHAV_L1D_FLUSH_PR PAPR_BIT(1)
#define H_CPU_BEHAV_BNDS_CHK_SPEC_BAR PAPR_BIT(2)
#define H_CPU_BEHAV_NO_L1D_FLUSH_ENTRY PAPR_BIT(7)
#define H_CPU_BEHAV_NO_L1D_FLUSH_UACCESS PAPR_BIT(8)
#define H_CPU_BEHAV_NO_STF_BARRIER PAPR_BIT(9)

/* The timebase frequency of the pseries CPUs: H_XIRR_X stamps with it. */
#define PAPR_TB_FREQ 512000000ULL

/* RTAS status values. */
#define RTAS_OUT_SUCCESS 0
#define RTAS_OUT_NO_ERRORS_FOUND 1 /* event-scan, check-exception */
#define RTAS_OUT_HW_ERROR -1
#define RTAS_OUT_BUSY -2
#define RTAS_OUT_PARAM_ERROR -3
#define RTAS_OUT_NOT_SUPPORTED -3
#define RTAS_OUT_NO_SUCH_INDICATOR -3

/* query-cpu-stopped-state results. */
#define RTAS_QCSS_STOPPED 0
#define RTAS_QCSS_STOPPING 1
#define RTAS_QCSS_NOT_STOPPED 2

/* RTAS tokens are PAPR_RTAS_TOKEN_BASE + the row of papr_rtas_calls. The argument buffer
 * holds at most PAPR_RTAS_MAX_CELLS argument and return cells together. */
#define PAPR_RTAS_TOKEN_BASE 0x2000
#define PAPR_RTAS_MAX_CELLS 16

#define PAPR_MAX_CPUS 256

typedef struct Papr Papr;

/* ---- TCE tables (hypervisor/papr/papr_tce.c; LoPAR "hcall-tce" and "hcall-multi-tce")
 * A PCI host bridge's DMA window (its "ibm,dma-window": LIOBN, bus offset, size) is
 * translated by a table of TCEs, one per 4 KiB page: the real page number with a read
 * (bit 63) and a write (bit 62) permission bit. The guest fills the table with H_PUT_TCE,
 * H_STUFF_TCE and H_PUT_TCE_INDIRECT and reads it with H_GET_TCE; every LIOBN, bus
 * address, count and TCE is checked. A device that does DMA through the window looks its
 * pages up with papr_tce_translate. */
#define PAPR_TCE_PAGE_SHIFT 12
#define PAPR_TCE_PAGE_SIZE (1ULL << PAPR_TCE_PAGE_SHIFT)
#define PAPR_TCE_READ 1ULL
#define PAPR_TCE_WRITE 2ULL
#define PAPR_TCE_RPN_MASK (~(PAPR_TCE_PAGE_SIZE - 1))
#define PAPR_TCE_INDIRECT_MAX 512 /* TCEs in one H_PUT_TCE_INDIRECT list (a 4 KiB page) */
#define PAPR_MAX_TCE_TABLES 4

typedef struct PaprTceTable {
    uint32_t liobn;       /* 0: the slot is free */
    uint64_t bus_offset;  /* first bus address of the window */
    uint64_t nentries;    /* pages in the window */
    uint64_t *entries;
} PaprTceTable;

/* A table for the window [bus_offset, bus_offset + size) (4 KiB aligned, size > 0), all
 * TCEs invalid. False if liobn is 0 or taken, the window is unaligned, or memory or free
 * slots run out. */
bool papr_tce_add(Papr *p, uint32_t liobn, uint64_t bus_offset, uint64_t size);
/* Frees every table (machine teardown); papr_tce_reset invalidates their TCEs. */
void papr_tce_free(Papr *p);
void papr_tce_reset(Papr *p);
/* Where bus address addr of window liobn goes, for an access of len bytes (within one
 * page) that writes when `write`: the guest real address, or false when the TCE does not
 * allow it. */
bool papr_tce_translate(const Papr *p, uint32_t liobn, uint64_t addr, uint64_t len, bool write,
                        uint64_t *ra);

/* The hcalls, as rows X(function set, opcode, handler, nargs, nrets) of the one table. */
int64_t papr_h_get_tce(Papr *p, PpcCpu *c, uint64_t *args);
int64_t papr_h_put_tce(Papr *p, PpcCpu *c, uint64_t *args);
int64_t papr_h_put_tce_indirect(Papr *p, PpcCpu *c, uint64_t *args);
int64_t papr_h_stuff_tce(Papr *p, PpcCpu *c, uint64_t *args);
#define PAPR_TCE_HCALLS(X)                                                                   \
    X("hcall-tce", H_GET_TCE, papr_h_get_tce, 2, 1)                                          \
    X("hcall-tce", H_PUT_TCE, papr_h_put_tce, 3, 0)                                          \
    X("hcall-multi-tce", H_PUT_TCE_INDIRECT, papr_h_put_tce_indirect, 4, 0)                  \
    X("hcall-multi-tce", H_STUFF_TCE, papr_h_stuff_tce, 4, 0)

/* One RTAS call: the name in /rtas (its property holds the token) and the handler. args
 * and rets are the host-order cells of the caller's argument buffer; the dispatcher has
 * checked nargs_min <= nargs <= nargs_max and nret >= nret_min. */
typedef struct PaprRtasCall {
    const char *name;
    uint32_t token;
    void (*fn)(Papr *p, PpcCpu *c, uint32_t nargs, const uint32_t *args, uint32_t nret,
               uint32_t *rets);
    uint8_t nargs_min, nargs_max, nret_min;
} PaprRtasCall;

extern const PaprRtasCall papr_rtas_calls[];
extern const unsigned papr_rtas_ncalls;

/* One hcall: its function set (the ibm,hypertas-functions name; NULL for the platform
 * calls that no function set announces), number, name and handler. fn gets args[0..8] =
 * r4..r12 and puts outputs in args[0..nrets-1] (written back to r4 and up); the HPT rows
 * use hpt instead. nargs/nrets say how many registers the log shows. */
typedef struct PaprHcall {
    const char *set;
    uint32_t opcode;
    const char *name;
    int64_t (*fn)(Papr *p, PpcCpu *c, uint64_t *args);
    PaprHptHcall hpt;
    uint8_t nargs, nrets;
} PaprHcall;

extern const PaprHcall papr_hcalls[];
extern const unsigned papr_nhcalls;

/* Hypervisor state kept per CPU (index in Papr.cpus). */
typedef struct PaprVcpu {
    uint64_t vpa, dtl, slb_shadow;  /* registered areas; 0 = none */
    uint32_t dtl_size, slb_shadow_size;
    uint64_t dabr, dabrx;
    bool prod;    /* H_PROD reached it while dispatched: its next cede/confer returns */
    bool joined;  /* stopped by H_JOIN until an H_PROD */
} PaprVcpu;

struct Papr {
    PaprHpt hpt;
    Bus *bus;
    PpcCpu **cpus;            /* by index; c->pir is the interrupt server number */
    unsigned ncpus;
    CharDev *vty;             /* hvc0: H_PUT_TERM_CHAR / H_GET_TERM_CHAR */
    uint64_t vty_unit;        /* its unit address (the termno the guest passes) */
    Xics *xics;
    SysCtl sysctl;            /* power-off (status), reboot */
    /* The Open Firmware client interface (hcall H_VOF_CLIENT, r4 = argument block):
     * returns the value for r3. NULL: the hcall is H_FUNCTION. */
    int64_t (*client_interface)(void *opaque, PpcCpu *c, uint64_t args);
    void *client_opaque;
    /* PCI configuration space for the RTAS calls (ibm,)read-pci-config and
     * (ibm,)write-pci-config: buid names the host bridge (0 for the calls without one),
     * bus/devfn/reg come from the configuration address, size is 1, 2 or 4 and reg is
     * aligned to it (the caller checked). False: no such device. NULL: no PCI. */
    bool (*pci_config_read)(void *opaque, uint64_t buid, unsigned bus, unsigned devfn,
                            unsigned reg, unsigned size, uint32_t *val);
    bool (*pci_config_write)(void *opaque, uint64_t buid, unsigned bus, unsigned devfn,
                             unsigned reg, unsigned size, uint32_t val);
    void *pci_opaque;
    PaprTceTable tce[PAPR_MAX_TCE_TABLES]; /* the PHBs' DMA windows (papr_tce_add) */
    uint64_t rtc_base;        /* seconds since the epoch at virtual time 0 */
    VClock *clock;            /* virtual time for get-time-of-day and the RNG */
    uint64_t rng_state;       /* H_RANDOM: deterministic, seeded by the machine */
    FILE *log;                /* -d hcall: every call with arguments and result */
    FILE *log_unimp;          /* -d unimp: unknown hcalls and RTAS tokens, once each */
    uint64_t warned[8];       /* unknown hcall numbers already logged (hashed bits) */
    /* Hypervisor-side state (papr_init/papr_reset clear it). */
    uint64_t rtas_warned[2];  /* unknown RTAS tokens already logged (hashed bits) */
    int64_t rtc_offset;       /* set-time-of-day: seconds added to rtc_base */
    PaprVcpu vcpu[PAPR_MAX_CPUS];
};

/* Checks the hcall table (no opcode twice) and the RTAS table (no name or token twice)
 * and the machine's fields (a bus, ncpus <= PAPR_MAX_CPUS); clears the hypervisor-side
 * state. False, with a message on stderr, if anything is wrong. */
bool papr_init(Papr *p);
/* Machine reset: per-CPU areas deregistered, prod/join state and time offset cleared. */
void papr_reset(Papr *p);
/* The start-up checks alone: true if no opcode appears twice in papr_hcalls, and no
 * name or token twice in papr_rtas_calls (duplicates are reported to err if non-NULL). */
bool papr_hcall_table_ok(FILE *err);
bool papr_rtas_table_ok(FILE *err);
/* The row serving opcode, or NULL. */
const PaprHcall *papr_hcall_find(uint64_t opcode);

/* Serves the hypercall `sc 1` made by c: number in r3, arguments in r4-r12; writes the
 * result to r3 and outputs to r4 and up, as LoPAR says. May stop c (H_CEDE sets
 * c->waiting, H_JOIN / stop-self set c->stopped) and start, wake or stop other CPUs
 * (start-cpu, H_PROD). */
void papr_hcall(Papr *p, PpcCpu *c);

/* The ibm,hypertas-functions property: the function-set names of the hcall table, each
 * NUL-terminated, concatenated. Returns the length (up to len bytes are written). */
size_t papr_hypertas_functions(char *buf, size_t len);

/* The CPU whose interrupt server number is server, or NULL. */
PpcCpu *papr_cpu_by_server(Papr *p, uint64_t server);

/* H_RTAS: runs the RTAS call whose argument buffer is at guest real address buf
 * (big-endian cells {token, nargs, nret, args[nargs], rets[nret]}). H_SUCCESS, or
 * H_PARAMETER when the buffer lies outside RAM or its counts are out of range. */
int64_t papr_rtas(Papr *p, PpcCpu *c, uint64_t buf);
/* The RTAS call named name, or NULL (for the /rtas token properties). */
const PaprRtasCall *papr_rtas_find(const char *name);

/* The RTAS entry code the guest copies to memory (instantiate-rtas): instruction words
 * (numbers; the machine stores each big-endian, as RTAS runs big-endian) that make the
 * H_RTAS hcall with r4 = the argument buffer and return. */
extern const uint32_t papr_rtas_blob[];
extern const unsigned papr_rtas_blob_words;

struct StateW;
struct StateR;
/* Snapshot state (cpu/common/state.h): the per-vCPU areas and breakpoints, the TCE
 * tables, the RNG and the time of day. The hashed page table is saved apart, as
 * the HTAB stream (papr_htab.h). */
void papr_save(const Papr *p, struct StateW *w);
void papr_load(Papr *p, struct StateR *r);

#endif
