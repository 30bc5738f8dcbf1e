/* machines/machine.h: what every machine shares: options from the command line, the
 * physical address space, the virtual clock, the console, and the loop that runs the
 * vCPUs round-robin in fixed quanta (DESIGN.md, "Execution engine"). */
#ifndef HVEMU_MACHINE_H
#define HVEMU_MACHINE_H

#include <stdio.h>

#include "cpu/common/base.h"
#include "cpu/common/debug.h"
#include "cpu/common/vclock.h"
#include "devices/bus.h"
#include "devices/chardev.h"
#include "devices/virtio_blk.h"
#include "machines/journal.h"

#define MACHINE_MAX_DRIVES 8
#define MACHINE_MAX_CPUS 64
#define MACHINE_MAX_SAVEVM 8   /* no machine has more vCPUs (MachineClass.max_smp) */

typedef struct DriveOpts {
    const char *file;
    bool readonly;
} DriveOpts;

enum {
    LOG_INT = 1u << 0,     /* interrupts and exceptions */
    LOG_SBI = 1u << 1,     /* SBI calls */
    LOG_UNIMP = 1u << 2,   /* unimplemented features the guest touched */
    LOG_EXEC = 1u << 4,    /* every instruction executed, disassembled */
    LOG_HCALL = 1u << 5,   /* PAPR hypercalls and RTAS calls */
    LOG_MMU = 1u << 6,     /* translations, step by step */
    LOG_IN_ASM = 1u << 7,  /* each translation block as it is built, disassembled */
    LOG_EHV = 1u << 8,     /* ePAPR hypercalls, E.HV guest exits and interrupt routing */
};

typedef struct MachineOpts {
    const char *machine;
    bool hv;                      /* -M name,hv=on */
    bool no_firmware;             /* -M pseries,vof=off: direct boot, FDT in r3 */
    uint64_t rtc_base;            /* -rtc base=DATE: seconds since 1970; 0: the host's clock */
    const char *cpu;
    uint64_t ram_size;
    unsigned smp;
    const char *kernel, *initrd, *append, *bios, *dtb, *dumpdtb;
    DriveOpts drives[MACHINE_MAX_DRIVES];
    unsigned ndrives;
    int console_in_fd, console_out_fd;  /* -1: none */
    bool console_mux;             /* Ctrl-A x quits */
    FILE *log;
    unsigned log_mask;
    Journal *journal;             /* --record or --replay, open; NULL: neither */
    uint64_t trace_hash;          /* --trace-hash N: state hashes every N instructions */
    FILE *hash_out;               /* where the hash lines go */
    uint64_t config;              /* hash of the command line and its files (journals,
                                     snapshots) */
    const char *savevm[MACHINE_MAX_SAVEVM]; /* --savevm FILE@ICOUNT */
    uint64_t savevm_at[MACHINE_MAX_SAVEVM];
    unsigned nsavevm;
} MachineOpts;

typedef struct Machine Machine;
struct StateW;
struct StateR;

typedef enum MachineStop {
    MSTOP_NONE,
    MSTOP_HIT,        /* a breakpoint or watchpoint: m->dbg.hit says which */
    MSTOP_STEP,       /* vCPU step_cpu retired step_target instructions */
    MSTOP_AT,         /* icount reached debug_stop_at */
    MSTOP_POLL,       /* debug_fd is readable */
} MachineStop;

typedef struct MachineClass {
    const char *name;
    const char *desc;
    const char *const *cpus;      /* NULL-terminated; cpus[0] is the default */
    uint64_t default_ram;
    unsigned max_smp;
    /* Builds the machine; on error writes one line to err and returns NULL. */
    Machine *(*create)(const MachineOpts *o, char *err, size_t errlen);
    /* Runs vCPU n in a quantum of which it already ran `done` instructions, until it has
     * run `budget` (exactly) or waits or stops; returns the new count. */
    uint64_t (*cpu_run)(Machine *m, unsigned n, uint64_t done, uint64_t budget);
    /* True if vCPU n cannot run before an interrupt (waiting with nothing pending, or
     * stopped). */
    bool (*cpu_idle)(Machine *m, unsigned n);
    /* After every vCPU's turn: frees translated code dropped during the quantum and
     * reports a condition the machine cannot continue from in m->fatal. */
    void (*quantum_end)(Machine *m);
    /* Writes vCPU n's architectural state (cpu/common/state.h). */
    void (*cpu_save)(Machine *m, unsigned n, struct StateW *w);
    /* Snapshots (machines/snapshot.c): every vCPU, device and hypervisor interface, but
     * not guest RAM and the loop's state, which the snapshot keeps itself. load reports
     * an inconsistent stream in r->bad. */
    void (*save)(Machine *m, struct StateW *w);
    void (*load)(Machine *m, struct StateR *r);
    /* Memory the machine's hypervisor keeps outside guest RAM (pseries: the hashed page
     * table; virt,hv=on: the G-stage tables), hashed with guest memory by --trace-hash.
     * NULL, or *len = 0: none. */
    const void *(*hv_memory)(Machine *m, size_t *len);
    /* pseries: the hashed page table as an HTAB stream, which a snapshot keeps as its own
     * section: a whole first pass, or (incremental) the HPTEs modified since the previous
     * snapshot's pass. load applies one (reset: over an empty table first; last: the table
     * then counts as sent, for a later incremental save); false with one line in err. */
    void (*save_htab)(Machine *m, struct StateW *w, bool incremental);
    bool (*load_htab)(Machine *m, const uint8_t *buf, size_t len, bool reset, bool last,
                      char *err, size_t errlen);
    /* The monitor's `info WHAT [ARGS]` for vCPU n; false if the machine has no such view. */
    bool (*monitor_info)(Machine *m, const char *what, unsigned n, const char *args, FILE *out);
    /* The byte order vCPU n's data accesses use now. */
    bool (*cpu_big_endian)(Machine *m, unsigned n);
    /* The debugger (tools/gdbstub.c). debug_set: m->dbg has breakpoints or watchpoints
     * (active) or none; the cores start or stop looking at it. */
    void (*debug_set)(Machine *m, bool active);
    /* gdb's target description for vCPU n (NULL: out of memory). */
    const char *(*gdb_xml)(Machine *m, unsigned n);
    /* gdb register regno of vCPU n read into buf or, with wr, written from it, in the
     * target's byte order: its size, or 0 if there is no such register. The `g` packet
     * carries registers 0 to gdb_g_regs - 1. */
    unsigned (*gdb_reg)(Machine *m, unsigned n, unsigned regno, uint8_t *buf, const uint8_t *wr);
    unsigned gdb_g_regs;
    /* Translates va as vCPU n's data accesses would, without side effects. */
    bool (*debug_translate)(Machine *m, unsigned n, uint64_t va, uint64_t *pa);
    uint64_t (*cpu_pc)(Machine *m, unsigned n);
    /* -dumpdtb: writes the device tree blob the machine built. */
    bool (*dump_dtb)(Machine *m, const char *path, char *err, size_t errlen);
    void (*destroy)(Machine *m);
} MachineClass;

struct Machine {
    const MachineClass *cls;
    Bus bus;
    VClock clock;
    CharDev console;
    int console_in_fd;
    bool has_input;               /* the console has an input (replayed or not) */
    bool console_mux;
    bool mux_escape;
    bool input_eof;
    bool interactive;             /* idle time is paced by the host clock */
    uint64_t poll_seq;            /* console input polls so far: journal stamps */
    Journal *journal;
    uint64_t hash_every, hash_next;
    FILE *hash_out;
    uint64_t config;
    const char *const *savevm;    /* --savevm files, by increasing savevm_at */
    const uint64_t *savevm_at;
    unsigned nsavevm, next_savevm;
    char last_snap[4096];         /* the snapshot saved or loaded last ("": none), which */
    uint64_t last_snap_sum;       /* a later one may build on (its xxh64) */
    uint8_t *ram;
    uint64_t ram_base, ram_size;
    const void *fdt;              /* the device tree the machine built (-dumpdtb) */
    int drive_fd[MACHINE_MAX_DRIVES]; /* the -drive images open, in command-line order */
    struct JournalDisk *jdisk[MACHINE_MAX_DRIVES]; /* record/replay layers of writable ones */
    unsigned ndrives;
    unsigned ncpus;
    void *arch_core;              /* the Power machines' PpcCore (machines/ppc_machine.c) */
    /* The round-robin position (machine_run): vCPU qcpu has run qdone instructions of
     * the quantum; qidle: every vCPU before it ended its turn idle. A quantum can stop
     * and go on at any instruction (stop_at), which changes nothing in the run. */
    unsigned qcpu;
    uint64_t qdone;
    bool qidle;
    uint64_t icount;              /* instructions retired by all vCPUs */
    uint64_t quanta;              /* quanta completed */
    uint64_t stop_at;             /* the next icount to stop at, or UINT64_MAX */
    bool halted;
    int exit_status;
    bool fatal;
    bool diverged;                /* a replay is no longer the recorded run */
    /* The monitor (machines/monitor.c) */
    FILE *mon_out;
    bool monitor_active;          /* Ctrl-A c gave it the console */
    char mon_line[256];
    unsigned mon_len;
    unsigned mon_cpu;             /* its current vCPU */
    bool paused;                  /* `stop`: the vCPUs do not run, virtual time holds */
    bool quit_request;            /* `quit` */
    /* The debugger: breakpoints and watchpoints, instructions retired by each vCPU, and
     * where to stop: when vCPU step_cpu has retired step_target instructions, when
     * icount reaches debug_stop_at, or when debug_fd becomes readable (between quanta). */
    CpuDebug dbg;
    uint64_t cpu_icount[MACHINE_MAX_CPUS];
    unsigned step_cpu;
    uint64_t step_target;         /* UINT64_MAX: none */
    uint64_t debug_stop_at;       /* UINT64_MAX: none */
    int debug_fd;                 /* -1: none */
    MachineStop stop;             /* why machine_run_debug returned */
    FILE *log;
    unsigned log_mask;
};

/* In a builder with `char *err, size_t errlen`: a negative libfdt result becomes one
 * line in err and `return false`. */
#define FDT_TRY(x)                                                                             \
    do {                                                                                       \
        int fdt_err_ = (x);                                                                    \
        if (fdt_err_ < 0) {                                                                    \
            snprintf(err, errlen, "device tree: %s", fdt_strerror(fdt_err_));                 \
            return false;                                                                      \
        }                                                                                      \
    } while (0)

extern const MachineClass machine_riscv_virt;
extern const MachineClass machine_pseries;
extern const MachineClass machine_e500;

const MachineClass *machine_find(const char *name);
void machine_list(FILE *out);
/* Allocates guest RAM and maps it; false on impossible sizes. */
bool machine_alloc_ram(Machine *m, uint64_t base, uint64_t size, char *err, size_t errlen);
void machine_init_common(Machine *m, const MachineClass *cls, const MachineOpts *o);
/* Runs until the guest powers off or fails; returns the exit status (2: a fatal
 * condition; 3: a replay that diverged from its journal). */
int machine_run(Machine *m);
/* The same in pieces, for the debugger: machine_run_debug runs until the guest halts
 * (false) or a debugger's stop (true, m->stop says which; calling it again goes on as
 * if the run had not stopped); machine_finish then ends the run and returns the status. */
bool machine_run_debug(Machine *m);
int machine_finish(Machine *m);
/* Recomputes m->stop_at after the state it depends on changed (a snapshot loaded). */
void machine_update_stop_at(Machine *m);
/* The hashes of --trace-hash: each vCPU's state and guest memory. */
void machine_hashes(Machine *m, uint64_t *cpu_hash, uint64_t *ram_hash);
/* -drive: opens the image (read-only with readonly=on); it must be a regular file. The
 * descriptor and the size in bytes come back; false with one line in err. */
bool machine_open_drive(const DriveOpts *d, int *fd, uint64_t *size, char *err, size_t errlen);
/* -drive number m->ndrives as a virtio-blk backend (serial "hvemu-diskN"): opens the
 * image, initialises blk, keeps the descriptor for machine_close_drives. The machine
 * attaches blk to its transport. False with one line in err. */
bool machine_add_virtio_blk(Machine *m, const DriveOpts *d, VirtioBlk *blk, char *err,
                            size_t errlen);
void machine_close_drives(Machine *m);
/* MachineClass.dump_dtb for machines that keep their tree in Machine.fdt. */
bool machine_dump_dtb(Machine *m, const char *path, char *err, size_t errlen);
/* SysCtl hooks for devices and firmware interfaces. */
void machine_shutdown(void *m, int status);
void machine_reset_request(void *m);
SysCtl machine_sysctl(Machine *m);

#endif
