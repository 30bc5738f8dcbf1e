/* cpu/common/vclock.c: virtual clock timer queue (see vclock.h). A sorted singly linked
 * list: machines have a handful of timers, and ties fire in arming order so the result
 * never depends on host state. */
#include "cpu/common/vclock.h"

void vtimer_init(VTimer *t, VTimerFn fn, void *opaque)
{
    *t = (VTimer){ .fn = fn, .opaque = opaque };
}

void vtimer_disarm(VClock *c, VTimer *t)
{
    if (!t->armed)
        return;
    for (VTimer **pp = &c->timers; *pp; pp = &(*pp)->next) {
        if (*pp == t) {
            *pp = t->next;
            break;
        }
    }
    t->armed = false;
    t->next = NULL;
}

void vtimer_restore(VClock *c, VTimer *t, uint64_t deadline, uint64_t seq)
{
    vtimer_disarm(c, t);
    VTimer **pp = &c->timers;
    while (*pp && ((*pp)->deadline < deadline || ((*pp)->deadline == deadline && (*pp)->seq < seq)))
        pp = &(*pp)->next;
    t->deadline = deadline;
    t->seq = seq;
    t->armed = true;
    t->next = *pp;
    *pp = t;
}

void vtimer_arm(VClock *c, VTimer *t, uint64_t deadline)
{
    vtimer_restore(c, t, deadline, c->arm_seq++);
}

void vclock_run_timers(VClock *c, uint64_t now)
{
    while (c->timers && c->timers->deadline <= now) {
        VTimer *t = c->timers;
        c->timers = t->next;
        t->armed = false;
        t->next = NULL;
        t->fn(t->opaque, now);
    }
}

uint64_t vclock_next_deadline(const VClock *c)
{
    return c->timers ? c->timers->deadline : UINT64_MAX;
}
