/* hypervisor/papr/papr_htab.c: reading and writing the HTAB stream (the KVM_PPC_GET_HTAB_FD
 * format of Linux KVM's api.txt 4.78, with big-endian headers; see papr_htab.h). Records
 * are run-length encoded: a run of valid HPTEs sent in full, then a run of invalid ones
 * sent as a count. */
#include "hypervisor/papr/papr_htab.h"
#include "cpu/common/state.h"

#include <inttypes.h>
#include <stdio.h>

#define RUN_MAX 0xFFFFu /* n_valid and n_invalid are 16 bits */

static void put_be(uint8_t *p, uint64_t v, unsigned size)
{
    for (unsigned k = 0; k < size; k++)
        p[k] = (uint8_t)(v >> (8 * (size - 1 - k)));
}

static uint64_t get_be(const uint8_t *p, unsigned size)
{
    uint64_t v = 0;
    for (unsigned k = 0; k < size; k++)
        v = v << 8 | p[k];
    return v;
}

void papr_htab_reader_init(PaprHtabReader *r, uint64_t start_index, unsigned flags)
{
    *r = (PaprHtabReader){ .index = start_index, .first_pass = true,
                           .bolted_only = (flags & PAPR_HTAB_BOLTED_ONLY) != 0 };
}

/* Does entry k go into this pass, and does it count as valid? */
static bool wanted(const PaprHpt *h, const PaprHtabReader *r, uint64_t k)
{
    return r->first_pass || papr_hpt_is_modified(h, k);
}

static bool counts_valid(const PaprHpt *h, const PaprHtabReader *r, uint64_t k)
{
    uint64_t v = papr_hpt_get(h, k).pte0;
    return (v & HPTE64_V_VALID) && (!r->bolted_only || (v & HPTE64_V_BOLTED));
}

int64_t papr_htab_read(PaprHpt *h, PaprHtabReader *r, uint8_t *buf, size_t len)
{
    if (len < PAPR_HTAB_MIN_READ)
        return -1;
    uint64_t k = r->index, n = h->n_hptes;
    size_t used = 0;
    while (k < n && len - used >= PAPR_HTAB_MIN_READ) {
        /* 1. Later passes skip what has not changed. */
        while (k < n && !wanted(h, r, k))
            k++;
        if (k == n)
            break;
        /* 2. A run of valid entries, sent whole, while they fit. */
        uint8_t *hdr = buf + used;
        uint64_t start = k;
        unsigned n_valid = 0, n_invalid = 0;
        used += PAPR_HTAB_HEADER_SIZE;
        while (k < n && n_valid < RUN_MAX && len - used >= HPTE64_SIZE && wanted(h, r, k) &&
               counts_valid(h, r, k)) {
            Hash64Hpte e = papr_hpt_get(h, k);
            put_be(buf + used, e.pte0, 8);
            put_be(buf + used + 8, e.pte1, 8);
            used += HPTE64_SIZE;
            papr_hpt_clear_modified(h, k);
            n_valid++;
            k++;
        }
        /* 3. Then a run of invalid ones, sent as a count. */
        while (k < n && n_invalid < RUN_MAX && wanted(h, r, k) && !counts_valid(h, r, k)) {
            papr_hpt_clear_modified(h, k);
            n_invalid++;
            k++;
        }
        put_be(hdr, start, 4);
        put_be(hdr + 4, n_valid, 2);
        put_be(hdr + 6, n_invalid, 2);
    }
    /* 4. At the end of the table the pass is over; the next read starts a new one. */
    if (k >= n) {
        k = 0;
        r->first_pass = false;
    }
    r->index = k;
    return (int64_t)used;
}

typedef struct Record {
    size_t at; /* offset of the header in the stream */
    uint64_t index;
    unsigned n_valid, n_invalid;
    const uint8_t *hptes;
} Record;

/* Parse the record at *pos, checking it against the table. */
static bool next_record(const PaprHpt *h, const uint8_t *buf, size_t len, size_t *pos,
                        Record *rec, char *err, size_t errlen)
{
    size_t at = *pos;
    if (len - at < PAPR_HTAB_HEADER_SIZE) {
        snprintf(err, errlen, "HTAB stream truncated: %zu bytes of a record header at byte %zu",
                 len - at, at);
        return false;
    }
    *rec = (Record){ .at = at, .index = get_be(buf + at, 4),
                     .n_valid = (unsigned)get_be(buf + at + 4, 2),
                     .n_invalid = (unsigned)get_be(buf + at + 6, 2),
                     .hptes = buf + at + PAPR_HTAB_HEADER_SIZE };
    if (rec->index >= h->n_hptes || rec->index + rec->n_valid + rec->n_invalid > h->n_hptes) {
        snprintf(err, errlen,
                 "HTAB record at byte %zu: entries %" PRIu64 "..%" PRIu64
                 " lie outside the table of %" PRIu64 " HPTEs",
                 at, rec->index, rec->index + rec->n_valid + rec->n_invalid, h->n_hptes);
        return false;
    }
    size_t need = (size_t)rec->n_valid * HPTE64_SIZE;
    if (len - at - PAPR_HTAB_HEADER_SIZE < need) {
        snprintf(err, errlen,
                 "HTAB stream truncated: the record at byte %zu has %u HPTEs (%zu bytes), "
                 "%zu bytes remain",
                 at, rec->n_valid, need, len - at - PAPR_HTAB_HEADER_SIZE);
        return false;
    }
    *pos = at + PAPR_HTAB_HEADER_SIZE + need;
    return true;
}

static Hash64Hpte record_hpte(const Record *rec, unsigned j)
{
    const uint8_t *p = rec->hptes + (size_t)j * HPTE64_SIZE;
    return (Hash64Hpte){ get_be(p, 8), get_be(p + 8, 8) };
}

/* Make slot k empty, as H_REMOVE would. */
static void empty_slot(PaprHpt *h, uint64_t k)
{
    Hash64Hpte old;
    if (papr_hpt_get(h, k).pte0 & HPTE64_V_VALID)
        papr_h_remove(h, 0, k, 0, &old);
}

bool papr_htab_write(PaprHpt *h, const uint8_t *buf, size_t len, char *err, size_t errlen)
{
    Record rec;
    /* 1. Check the whole stream: framing, ranges, and every HPTE as H_ENTER would. */
    for (size_t pos = 0; pos < len;) {
        if (!next_record(h, buf, len, &pos, &rec, err, errlen))
            return false;
        for (unsigned j = 0; j < rec.n_valid; j++) {
            Hash64Hpte e = record_hpte(&rec, j);
            uint64_t k = rec.index + j;
            if (!(e.pte0 & HPTE64_V_VALID)) {
                snprintf(err, errlen,
                         "HTAB record at byte %zu: HPTE %" PRIu64 " is sent as valid but "
                         "its V bit is clear (%016" PRIx64 ")",
                         rec.at, k, e.pte0);
                return false;
            }
            if (papr_hpt_check_hpte(h, e.pte0, e.pte1) != H_SUCCESS) {
                snprintf(err, errlen,
                         "HTAB record at byte %zu: HPTE %" PRIu64 " (%016" PRIx64 " %016" PRIx64
                         ") is one H_ENTER refuses",
                         rec.at, k, e.pte0, e.pte1);
                return false;
            }
        }
    }
    /* 2. Apply it. */
    for (size_t pos = 0; pos < len;) {
        next_record(h, buf, len, &pos, &rec, err, errlen);
        for (unsigned j = 0; j < rec.n_valid; j++) {
            Hash64Hpte e = record_hpte(&rec, j);
            uint64_t k = rec.index + j, slot;
            empty_slot(h, k);
            int64_t rc = papr_h_enter(h, H_EXACT, k, e.pte0, e.pte1, &slot);
            if (rc != H_SUCCESS) {
                snprintf(err, errlen, "HTAB: H_ENTER of HPTE %" PRIu64 " failed (%" PRId64 ")",
                         k, rc);
                return false;
            }
        }
        for (unsigned j = 0; j < rec.n_invalid; j++)
            empty_slot(h, rec.index + rec.n_valid + j);
    }
    return true;
}

void papr_htab_save(PaprHpt *h, PaprHtabReader *r, bool incremental, StateW *w)
{
    uint8_t chunk[65536];
    int64_t n;
    if (!incremental) {
        papr_htab_reader_init(r, 0, 0);
        do {
            n = papr_htab_read(h, r, chunk, sizeof(chunk));
            sw_bytes(w, chunk, (size_t)n);
        } while (r->first_pass);
        return;
    }
    while ((n = papr_htab_read(h, r, chunk, sizeof(chunk))) > 0)
        sw_bytes(w, chunk, (size_t)n);
}

void papr_htab_mark_sent(PaprHpt *h, PaprHtabReader *r)
{
    for (uint64_t k = 0; k < h->n_hptes; k++)
        papr_hpt_clear_modified(h, k);
    *r = (PaprHtabReader){ .index = 0, .first_pass = false };
}

bool papr_htab_scan(const uint8_t *buf, size_t len,
                    void (*fn)(void *opaque, uint64_t index, uint64_t pte0, uint64_t pte1),
                    void *opaque, uint64_t *n_records, uint64_t *n_invalid, char *err,
                    size_t errlen)
{
    *n_records = *n_invalid = 0;
    for (size_t at = 0; at < len;) {
        if (len - at < PAPR_HTAB_HEADER_SIZE) {
            snprintf(err, errlen, "HTAB stream truncated at byte %zu", at);
            return false;
        }
        uint64_t index = get_be(buf + at, 4);
        unsigned n_valid = (unsigned)get_be(buf + at + 4, 2);
        unsigned n_inv = (unsigned)get_be(buf + at + 6, 2);
        size_t need = (size_t)n_valid * HPTE64_SIZE;
        if (len - at - PAPR_HTAB_HEADER_SIZE < need) {
            snprintf(err, errlen, "HTAB stream truncated in the record at byte %zu", at);
            return false;
        }
        const uint8_t *p = buf + at + PAPR_HTAB_HEADER_SIZE;
        for (unsigned j = 0; j < n_valid; j++)
            if (fn)
                fn(opaque, index + j, get_be(p + 16 * j, 8), get_be(p + 16 * j + 8, 8));
        *n_invalid += n_inv;
        (*n_records)++;
        at += PAPR_HTAB_HEADER_SIZE + need;
    }
    return true;
}
