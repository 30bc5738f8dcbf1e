/* hypervisor/papr/papr_htab.h: the HTAB stream, the hashed page table as a sequence of
 * records for snapshots and migration (the format of Linux KVM's KVM_PPC_GET_HTAB_FD,
 * Documentation/virtual/kvm/api.txt 4.78). A record is a header
 *     { u32 index; u16 n_valid; u16 n_invalid; }
 * followed by n_valid 16-byte HPTEs, which are the HPTEs at index .. index+n_valid-1; the
 * n_invalid entries after them are invalid and not represented. hvemu writes every field
 * big-endian, the header as well as the HPTEs (KVM writes its header in host order):
 * a snapshot taken on one host loads on any other.
 *
 * Reading: the first pass returns every HPTE (or, with PAPR_HTAB_BOLTED_ONLY, every
 * bolted one; a valid entry that is not bolted then counts as invalid), from the start
 * index to the end of the table, where the read returns. Later passes return only the
 * HPTEs modified since they were last read, from where the last read stopped to the end of
 * the table; a read that finds none returns 0 bytes. Writing applies records as H_ENTER
 * with H_EXACT would, after removing what the slot held, then invalidates the n_invalid
 * entries. A stream is checked whole before anything is applied: a truncated or corrupt
 * stream, or an HPTE that H_ENTER would refuse, changes nothing and gives a message. */
#ifndef HVEMU_PAPR_HTAB_H
#define HVEMU_PAPR_HTAB_H

#include "hypervisor/papr/papr_hpt.h"

#define PAPR_HTAB_HEADER_SIZE 8
#define PAPR_HTAB_BOLTED_ONLY 1u
/* The smallest read buffer: a header and one HPTE. */
#define PAPR_HTAB_MIN_READ (PAPR_HTAB_HEADER_SIZE + HPTE64_SIZE)

typedef struct PaprHtabReader {
    uint64_t index;   /* where the next read starts */
    bool first_pass;
    bool bolted_only;
} PaprHtabReader;

void papr_htab_reader_init(PaprHtabReader *r, uint64_t start_index, unsigned flags);
/* Fill buf with records. Returns the bytes written (0: nothing modified since the last
 * pass), or -1 if len is under PAPR_HTAB_MIN_READ. Clears the modified bit of every HPTE
 * a record covers. */
int64_t papr_htab_read(PaprHpt *h, PaprHtabReader *r, uint8_t *buf, size_t len);
/* A snapshot's HTAB section, appended to w: with incremental false the whole table as one
 * first pass (r restarts); with incremental true the HPTEs modified since r last read
 * them, to the end of the table and round to where it stopped. Either way r is left after
 * its pass, ready for the next incremental save. */
struct StateW;
void papr_htab_save(PaprHpt *h, PaprHtabReader *r, bool incremental, struct StateW *w);
/* After a stream has been loaded: the table as it now stands counts as sent (no HPTE
 * modified, r past its first pass), so the next save can be incremental over it. */
void papr_htab_mark_sent(PaprHpt *h, PaprHtabReader *r);
/* Walks a stream without a table: fn gets every valid HPTE sent; *n_invalid counts the
 * invalid ones. False, with a message in err, if the framing is broken. */
bool papr_htab_scan(const uint8_t *buf, size_t len,
                    void (*fn)(void *opaque, uint64_t index, uint64_t pte0, uint64_t pte1),
                    void *opaque, uint64_t *n_records, uint64_t *n_invalid, char *err,
                    size_t errlen);
/* Apply a stream. False, with a message in err, if it is truncated or corrupt. */
bool papr_htab_write(PaprHpt *h, const uint8_t *buf, size_t len, char *err, size_t errlen);

#endif
