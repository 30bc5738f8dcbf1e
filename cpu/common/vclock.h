/* cpu/common/vclock.h: the virtual clock and timer queue of a machine.
 *
 * Virtual time is counted in nanoseconds and advances only with retired instructions
 * (DESIGN.md, "Execution engine"): one instruction is one nanosecond. Nothing reads the
 * host clock, so the same inputs give the same run. Device timers (the ACLINT MTIMER
 * compare, the Sstc stimecmp) are VTimers that fire when the machine loop reaches their
 * deadline at a quantum boundary; when every vCPU waits for an interrupt the loop jumps
 * straight to the next deadline. */
#ifndef HVEMU_VCLOCK_H
#define HVEMU_VCLOCK_H

#include "cpu/common/base.h"

typedef struct VTimer VTimer;
typedef void (*VTimerFn)(void *opaque, uint64_t now);

struct VTimer {
    uint64_t deadline; /* virtual ns; valid while armed */
    uint64_t seq;      /* arming order: ties in deadline fire in this order */
    bool armed;
    VTimerFn fn;
    void *opaque;
    VTimer *next;
};

typedef struct VClock {
    uint64_t base;    /* virtual ns at the start of the running quantum */
    uint64_t offset;  /* progress of the running vCPU inside the quantum */
    VTimer *timers;   /* armed timers, sorted by deadline then arming order */
    uint64_t arm_seq; /* timers armed so far: the next VTimer.seq */
} VClock;

static inline uint64_t vclock_now(const VClock *c)
{
    return c->base + c->offset;
}

void vtimer_init(VTimer *t, VTimerFn fn, void *opaque);
void vtimer_arm(VClock *c, VTimer *t, uint64_t deadline);
void vtimer_disarm(VClock *c, VTimer *t);
/* Arms t as it was armed before (a snapshot): with its deadline and arming order. */
void vtimer_restore(VClock *c, VTimer *t, uint64_t deadline, uint64_t seq);
/* Fires every timer whose deadline is <= now, in deadline order. */
void vclock_run_timers(VClock *c, uint64_t now);
/* The earliest armed deadline, or UINT64_MAX. */
uint64_t vclock_next_deadline(const VClock *c);

#endif
