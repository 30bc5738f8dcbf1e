/* cpu/common/state.c: state streams (state.h). */
#include "cpu/common/state.h"

#include <stdio.h>
#include <stdlib.h>
#include <xxhash.h>

void state_hash_begin(StateW *w)
{
    *w = (StateW){ 0 };
    XXH3_state_t *s = XXH3_createState();
    if (!s) {
        fprintf(stderr, "hvemu: out of memory\n");
        exit(1);
    }
    XXH3_64bits_reset(s);
    w->hash = s;
}

uint64_t state_hash_end(StateW *w)
{
    uint64_t h = XXH3_64bits_digest(w->hash);
    XXH3_freeState(w->hash);
    w->hash = NULL;
    return h;
}

void state_buf_begin(StateW *w)
{
    *w = (StateW){ 0 };
}

void sw_bytes(StateW *w, const void *p, size_t n)
{
    if (w->hash) {
        XXH3_64bits_update(w->hash, p, n);
        return;
    }
    if (w->oom)
        return;
    if (w->len + n > w->cap) {
        size_t cap = w->cap ? w->cap : 4096;
        while (cap < w->len + n)
            cap *= 2;
        uint8_t *b = realloc(w->buf, cap);
        if (!b) {
            w->oom = true;
            return;
        }
        w->buf = b;
        w->cap = cap;
    }
    memcpy(w->buf + w->len, p, n);
    w->len += n;
}

void sw_u64s(StateW *w, const uint64_t *v, size_t n)
{
    for (size_t k = 0; k < n; k++)
        sw_u64(w, v[k]);
}

void sw_u32s(StateW *w, const uint32_t *v, size_t n)
{
    for (size_t k = 0; k < n; k++)
        sw_u32(w, v[k]);
}

void sw_timer(StateW *w, const VTimer *t)
{
    sw_bool(w, t->armed);
    sw_u64(w, t->armed ? t->deadline : 0);
    sw_u64(w, t->armed ? t->seq : 0);
}

void sr_bytes(StateR *r, void *p, size_t n)
{
    if (r->bad || (size_t)(r->end - r->p) < n) {
        r->bad = true;
        memset(p, 0, n);
        return;
    }
    memcpy(p, r->p, n);
    r->p += n;
}

uint64_t sr_u64(StateR *r)
{
    uint8_t b[8];
    sr_bytes(r, b, 8);
    return ld_le(b, 8);
}

uint32_t sr_u32(StateR *r)
{
    uint8_t b[4];
    sr_bytes(r, b, 4);
    return (uint32_t)ld_le(b, 4);
}

uint8_t sr_u8(StateR *r)
{
    uint8_t b;
    sr_bytes(r, &b, 1);
    return b;
}

bool sr_bool(StateR *r)
{
    uint8_t v = sr_u8(r);
    if (v > 1)
        r->bad = true;
    return v == 1;
}

void sr_u64s(StateR *r, uint64_t *v, size_t n)
{
    for (size_t k = 0; k < n; k++)
        v[k] = sr_u64(r);
}

void sr_u32s(StateR *r, uint32_t *v, size_t n)
{
    for (size_t k = 0; k < n; k++)
        v[k] = sr_u32(r);
}

void sr_timer(StateR *r, VClock *c, VTimer *t)
{
    bool armed = sr_bool(r);
    uint64_t deadline = sr_u64(r);
    uint64_t seq = sr_u64(r);
    if (r->bad)
        return;
    if (armed)
        vtimer_restore(c, t, deadline, seq);
    else
        vtimer_disarm(c, t);
}
