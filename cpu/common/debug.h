/* cpu/common/debug.h: what a debugger asks of the execution loops of every architecture:
 * breakpoints on instruction addresses and watchpoints on data addresses (both effective
 * or virtual addresses, as the vCPU sees them), and the record of the one that stopped
 * the run. The machine owns one CpuDebug and the cores point at it; while `active` is
 * false a loop pays one predictable branch per block and nothing else.
 *
 * A breakpoint stops a vCPU before the instruction at its address executes; the vCPU's
 * skip_pc lets it run that instruction once when it resumes from there. A watchpoint
 * stops it after the access completes (the instruction retires first), as gdb expects
 * (gdb manual, "Watchpoints"; the remote protocol's watch/rwatch/awatch stop replies). */
#ifndef HVEMU_CPU_DEBUG_H
#define HVEMU_CPU_DEBUG_H

#include "cpu/common/base.h"

#define DBG_MAX_BP 64
#define DBG_MAX_WP 16
#define DBG_MAX_CPUS 64
#define DBG_NO_PC (~0ULL)

typedef enum DbgWatchKind {
    DBG_WATCH_WRITE = 1,
    DBG_WATCH_READ = 2,
    DBG_WATCH_ACCESS = 3,
} DbgWatchKind;

typedef enum DbgHit {
    DBG_HIT_NONE,
    DBG_HIT_BREAK,
    DBG_HIT_WATCH,
} DbgHit;

typedef struct DbgWatch {
    uint64_t addr, len;
    DbgWatchKind kind;
} DbgWatch;

typedef struct CpuDebug {
    bool active;                   /* breakpoints or watchpoints exist */
    uint64_t bp[DBG_MAX_BP];
    unsigned nbp;
    DbgWatch wp[DBG_MAX_WP];
    unsigned nwp;
    uint64_t skip_pc[DBG_MAX_CPUS]; /* a breakpoint here is passed once (DBG_NO_PC: none) */
    /* What stopped the run (set by the loops, cleared by the debugger). */
    DbgHit hit;
    unsigned hit_cpu;
    uint64_t hit_addr;             /* the breakpoint, or the watched data address */
    DbgWatchKind hit_kind;         /* watchpoints: which kind matched */
} CpuDebug;

void dbg_init(CpuDebug *d);
/* Appends printf output at buf + *len (size bytes in all), for the target descriptions;
 * *len may pass size, which the caller takes as "did not fit". */
void dbg_xml_add(char *buf, size_t size, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Breakpoints and watchpoints: false when full (insert) or absent (remove). */
bool dbg_bp_insert(CpuDebug *d, uint64_t pc);
bool dbg_bp_remove(CpuDebug *d, uint64_t pc);
bool dbg_wp_insert(CpuDebug *d, uint64_t addr, uint64_t len, DbgWatchKind kind);
bool dbg_wp_remove(CpuDebug *d, uint64_t addr, uint64_t len, DbgWatchKind kind);
void dbg_clear(CpuDebug *d);

/* For a block of n instructions at pcs[k] (k < n), run by vCPU `cpu`: how many may run
 * before one that has a breakpoint (n if none). 0 records the hit. Consumes skip_pc. */
unsigned dbg_block_limit(CpuDebug *d, unsigned cpu, uint64_t first_pc, const uint16_t *pc_off,
                         size_t stride, unsigned n);

/* Does [page, page + 4096) hold a watched byte? Pages that do take the slow path. */
bool dbg_page_watched(const CpuDebug *d, uint64_t page);

/* A data access of `len` bytes at va by vCPU cpu (from the slow path): records the first
 * watchpoint it matches. */
void dbg_check_access(CpuDebug *d, unsigned cpu, uint64_t va, unsigned len, bool write);

#endif
