/* hypervisor/sbi/sbi.h: the RISC-V Supervisor Binary Interface implemented inside the
 * emulator (RISC-V SBI specification v2.0), for machines booted without M-mode firmware.
 * One table row per extension, each with its function table (STYLE.md). */
#ifndef HVEMU_SBI_H
#define HVEMU_SBI_H

#include "cpu/riscv/rv_cpu.h"
#include "mmu/riscv_pt.h"

#define SBI_SUCCESS 0
#define SBI_ERR_FAILED -1
#define SBI_ERR_NOT_SUPPORTED -2
#define SBI_ERR_INVALID_PARAM -3
#define SBI_ERR_DENIED -4
#define SBI_ERR_INVALID_ADDRESS -5
#define SBI_ERR_ALREADY_AVAILABLE -6
#define SBI_ERR_ALREADY_STARTED -7
#define SBI_ERR_ALREADY_STOPPED -8

#define SBI_EXT_LEGACY_LAST 0x0f
#define SBI_EXT_BASE 0x10
#define SBI_EXT_TIME 0x54494d45
#define SBI_EXT_IPI 0x735049
#define SBI_EXT_RFENCE 0x52464e43
#define SBI_EXT_HSM 0x48534d
#define SBI_EXT_SRST 0x53525354
#define SBI_EXT_DBCN 0x4442434e
#define SBI_EXT_SUSP 0x53555350

#define SBI_SPEC_VERSION 0x02000000 /* v2.0 */
#define SBI_IMPL_ID_HVEMU 0x4856     /* not a registered implementation ID */

enum SbiHartState {
    SBI_HSM_STARTED = 0,
    SBI_HSM_STOPPED = 1,
    SBI_HSM_START_PENDING = 2,
    SBI_HSM_STOP_PENDING = 3,
    SBI_HSM_SUSPENDED = 4,
};

typedef struct SbiRet {
    int64_t error;
    int64_t value;
} SbiRet;

/* An internal error value: the call faulted reading guest memory; h->exc holds the trap. */
#define SBI_TRAP_REDIRECT INT64_MIN
/* An internal error value: the call moved the hart to a new pc (non-retentive resume);
 * a0/a1 were set by the call. */
#define SBI_PC_SET (INT64_MIN + 1)

typedef struct SbiPlatform {
    void (*putchar)(void *opaque, uint8_t c);
    int (*getchar)(void *opaque);           /* -1 when no input */
    void (*shutdown)(void *opaque, int status);
    void (*reset)(void *opaque);
    void *opaque;
} SbiPlatform;

typedef struct Sbi Sbi;
typedef SbiRet (*SbiFunc)(Sbi *s, RvHart *h, const uint64_t *a);

/* What -d sbi calls a function and its arguments a0, a1, ... (comma separated). */
typedef struct SbiFuncName {
    const char *name;
    const char *args;
} SbiFuncName;

typedef struct SbiExtension {
    const char *name;
    uint64_t eid_first, eid_last;   /* a range only for the legacy calls */
    const SbiFunc *funcs;
    const SbiFuncName *names;       /* indexed as funcs */
    unsigned nfuncs;
    bool legacy;                    /* indexed by EID; result in a0 only */
} SbiExtension;

typedef struct SbiHart {
    unsigned state;
    VTimer timer;                   /* SET_TIMER deadline */
    RvHart *hart;
    Sbi *sbi;
} SbiHart;

#define SBI_MAX_HARTS 64

struct Sbi {
    RvCore *core;
    SbiPlatform plat;
    SbiHart harts[SBI_MAX_HARTS];
    uint64_t warned[8];             /* unknown EIDs already logged */
    unsigned nwarned;
    FILE *log;                      /* -d sbi: every call */
    FILE *log_unimp;                /* -d unimp: unknown calls, once per extension */
    /* The machine is the hypervisor (`-M virt,hv=on`, sbi_vs.c): the callers are VS-mode
     * guests under hgatp; their timer, IPIs and fences are the VS ones and addresses they
     * pass are guest-physical, reached through the G-stage. */
    bool hv;
    uint64_t hgatp;
};

extern const SbiExtension sbi_ext_legacy, sbi_ext_base, sbi_ext_time, sbi_ext_ipi,
    sbi_ext_rfence, sbi_ext_hsm, sbi_ext_srst, sbi_ext_dbcn, sbi_ext_susp;

/* Sets up the SBI for a machine; checks the extension table has no overlaps. */
void sbi_init(Sbi *s, RvCore *core, const SbiPlatform *plat);
/* What firmware leaves behind before entering S-mode: delegation, counters, Sstc. */
void sbi_prepare_hart(Sbi *s, RvHart *h);
/* RvEnvOps.sbi_call */
RvStatus sbi_call(void *opaque, RvHart *h);
const SbiExtension *sbi_find_extension(uint64_t eid);

/* Helpers shared by extensions. */
RvHart *sbi_hart(Sbi *s, uint64_t hartid);
/* Applies fn to every hart selected by (hart_mask, hart_mask_base), SBI 3.2. */
int64_t sbi_for_each_hart(Sbi *s, uint64_t mask, uint64_t base,
                          void (*fn)(Sbi *s, RvHart *target, const uint64_t *a), const uint64_t *a);
void sbi_set_timer(Sbi *s, RvHart *h, uint64_t stime);
void sbi_send_ipi(Sbi *s, RvHart *target, const uint64_t *a);
void sbi_remote_sfence(Sbi *s, RvHart *target, const uint64_t *a);
void sbi_remote_fence_i(Sbi *s, RvHart *target, const uint64_t *a);
void sbi_clear_ipi(Sbi *s, RvHart *h);
/* Host pointer to the caller's `len` bytes at physical (with hv, guest-physical) address
 * addr, all RAM the caller may reach for `acc`; NULL otherwise. *pa (if given) receives the
 * machine-physical address. */
uint8_t *sbi_guest_ram(Sbi *s, uint64_t addr, uint64_t len, RvPtAccess acc, uint64_t *pa);

/* sbi_vs.c: RvEnvOps.hv_exit of the built-in hypervisor. */
void sbi_hv_exit(void *opaque, RvHart *h, const RvException *e);

struct StateW;
struct StateR;
/* Snapshot state (cpu/common/state.h): each hart's HSM state and SET_TIMER deadline. */
void sbi_save(const Sbi *s, struct StateW *w);
void sbi_load(Sbi *s, struct StateR *r);

#endif
