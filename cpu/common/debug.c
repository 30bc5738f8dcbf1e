/* cpu/common/debug.c: breakpoint and watchpoint bookkeeping for the debugger
 * (cpu/common/debug.h). Small arrays searched linearly: a debugging session has a
 * handful of each, and the search runs only while the debugger has set some. */
#include "cpu/common/debug.h"

#include <stdarg.h>
#include <stdio.h>

static void update_active(CpuDebug *d)
{
    d->active = d->nbp > 0 || d->nwp > 0;
}

void dbg_init(CpuDebug *d)
{
    memset(d, 0, sizeof(*d));
    for (unsigned k = 0; k < DBG_MAX_CPUS; k++)
        d->skip_pc[k] = DBG_NO_PC;
}

void dbg_clear(CpuDebug *d)
{
    d->nbp = d->nwp = 0;
    update_active(d);
}

bool dbg_bp_insert(CpuDebug *d, uint64_t pc)
{
    for (unsigned k = 0; k < d->nbp; k++)
        if (d->bp[k] == pc)
            return true;
    if (d->nbp >= DBG_MAX_BP)
        return false;
    d->bp[d->nbp++] = pc;
    update_active(d);
    return true;
}

bool dbg_bp_remove(CpuDebug *d, uint64_t pc)
{
    for (unsigned k = 0; k < d->nbp; k++) {
        if (d->bp[k] == pc) {
            d->bp[k] = d->bp[--d->nbp];
            update_active(d);
            return true;
        }
    }
    return false;
}

bool dbg_wp_insert(CpuDebug *d, uint64_t addr, uint64_t len, DbgWatchKind kind)
{
    if (d->nwp >= DBG_MAX_WP || len == 0 || addr + len < addr)
        return false;
    d->wp[d->nwp++] = (DbgWatch){ .addr = addr, .len = len, .kind = kind };
    update_active(d);
    return true;
}

bool dbg_wp_remove(CpuDebug *d, uint64_t addr, uint64_t len, DbgWatchKind kind)
{
    for (unsigned k = 0; k < d->nwp; k++) {
        DbgWatch *w = &d->wp[k];
        if (w->addr == addr && w->len == len && w->kind == kind) {
            *w = d->wp[--d->nwp];
            update_active(d);
            return true;
        }
    }
    return false;
}

unsigned dbg_block_limit(CpuDebug *d, unsigned cpu, uint64_t first_pc, const uint16_t *pc_off,
                         size_t stride, unsigned n)
{
    uint64_t skip = DBG_NO_PC;
    if (cpu < DBG_MAX_CPUS) {
        skip = d->skip_pc[cpu];
        d->skip_pc[cpu] = DBG_NO_PC;
    }
    if (d->nwp)
        n = MIN(n, 1u); /* one instruction at a time: a watchpoint stops right after it */
    if (!d->nbp || !n)
        return n;
    const uint8_t *p = (const uint8_t *)pc_off;
    uint16_t last;
    memcpy(&last, p + (size_t)(n - 1) * stride, sizeof(last));
    uint64_t lo = first_pc, hi = first_pc + last;
    for (unsigned b = 0; b < d->nbp; b++) {
        uint64_t bp = d->bp[b];
        if (bp < lo || bp > hi)
            continue;
        for (unsigned k = 0; k < n; k++) {
            uint16_t off;
            memcpy(&off, p + (size_t)k * stride, sizeof(off));
            if (first_pc + off != bp)
                continue;
            if (k == 0 && bp == skip)
                break;
            n = k;
            if (k == 0) {
                d->hit = DBG_HIT_BREAK;
                d->hit_cpu = cpu;
                d->hit_addr = bp;
            }
            break;
        }
    }
    return n;
}

bool dbg_page_watched(const CpuDebug *d, uint64_t page)
{
    for (unsigned k = 0; k < d->nwp; k++) {
        const DbgWatch *w = &d->wp[k];
        if (w->addr < page + 4096 && w->addr + w->len > page)
            return true;
    }
    return false;
}

void dbg_check_access(CpuDebug *d, unsigned cpu, uint64_t va, unsigned len, bool write)
{
    if (d->hit != DBG_HIT_NONE)
        return;
    for (unsigned k = 0; k < d->nwp; k++) {
        const DbgWatch *w = &d->wp[k];
        if (!(w->kind & (write ? DBG_WATCH_WRITE : DBG_WATCH_READ)))
            continue;
        if (va >= w->addr + w->len || va + len <= w->addr)
            continue;
        d->hit = DBG_HIT_WATCH;
        d->hit_cpu = cpu;
        d->hit_addr = MAX(va, w->addr);
        d->hit_kind = w->kind;
        return;
    }
}

void dbg_xml_add(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (*len < size) {
        int n = vsnprintf(buf + *len, size - *len, fmt, ap);
        *len += n > 0 ? (size_t)n : 0;
    }
    va_end(ap);
}
