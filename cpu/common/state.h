/* cpu/common/state.h: the state of the machine as a stream of fields, for snapshots
 * (tools/snapshot.c) and for the state hashes of --trace-hash. Every CPU, device and
 * hypervisor interface writes its state field by field through a StateW and reads it
 * back through a StateR in the same order; the same writer either appends to a buffer
 * (a snapshot) or feeds an xxHash (a hash), so the hash covers exactly what a snapshot
 * keeps. Fields are little-endian whatever the host. A StateR never reads past its end:
 * a short or corrupt stream sets `bad` and yields zeros, and the caller reports it. */
#ifndef HVEMU_STATE_H
#define HVEMU_STATE_H

#include "cpu/common/base.h"
#include "cpu/common/vclock.h"

typedef struct StateW {
    void *hash;          /* an XXH3_state_t when hashing */
    uint8_t *buf;        /* when saving: the bytes so far */
    size_t len, cap;
    bool oom;
} StateW;

typedef struct StateR {
    const uint8_t *p, *end;
    bool bad;
} StateR;

/* A writer that hashes; state_hash_end gives the 64-bit hash and frees it. */
void state_hash_begin(StateW *w);
uint64_t state_hash_end(StateW *w);
/* A writer that appends to a growing buffer; free w->buf when done. */
void state_buf_begin(StateW *w);

void sw_bytes(StateW *w, const void *p, size_t n);

static inline void sw_u64(StateW *w, uint64_t v)
{
    uint8_t b[8];
    st_le(b, 8, v);
    sw_bytes(w, b, 8);
}

static inline void sw_u32(StateW *w, uint32_t v)
{
    uint8_t b[4];
    st_le(b, 4, v);
    sw_bytes(w, b, 4);
}

static inline void sw_u8(StateW *w, uint8_t v)
{
    sw_bytes(w, &v, 1);
}

static inline void sw_bool(StateW *w, bool v)
{
    sw_u8(w, v ? 1 : 0);
}

void sw_u64s(StateW *w, const uint64_t *v, size_t n);
void sw_u32s(StateW *w, const uint32_t *v, size_t n);
/* A timer: whether it is armed and its deadline. */
void sw_timer(StateW *w, const VTimer *t);

static inline StateR state_reader(const void *p, size_t n)
{
    return (StateR){ .p = p, .end = (const uint8_t *)p + n };
}

void sr_bytes(StateR *r, void *p, size_t n);
uint64_t sr_u64(StateR *r);
uint32_t sr_u32(StateR *r);
uint8_t sr_u8(StateR *r);
bool sr_bool(StateR *r);
void sr_u64s(StateR *r, uint64_t *v, size_t n);
void sr_u32s(StateR *r, uint32_t *v, size_t n);
/* Re-arms (or disarms) t on clock c as the stream says. */
void sr_timer(StateR *r, VClock *c, VTimer *t);

#endif
