/* machines/journal.h: the input journal of --record and --replay (DESIGN.md, "Host input,
 * record and replay"). Everything that enters a run from the host (console bytes, the end
 * of console input, Ctrl-A x, the host clock read for the RTC) is a record stamped with
 * the machine's instruction count and the index of the input poll it entered at; the
 * state hashes of --trace-hash go in too, so that a replay can check it is the same run
 * and say where it is not.
 *
 * File: a header (magic, format version, hvemu version, a hash of the command line and
 * of the files it names, the options that change the loop's pacing), then records
 * {u8 type, u32 length, payload, u32 xxh32 of the three}; the last one is JNL_END with the
 * final instruction count and exit status. A writable drive is journaled by what it held
 * before the run first wrote each sector (JNL_DISK): a replay puts those bytes over the
 * file it finds, which the recording changed, and keeps its own writes in memory. A replay reads and checks the whole file
 * before the machine starts, so a truncated or corrupt journal is refused up front. */
#ifndef HVEMU_JOURNAL_H
#define HVEMU_JOURNAL_H

#include <stdio.h>

#include "cpu/common/base.h"

enum JournalType {
    JNL_INPUT = 1,   /* console bytes: u64 poll, u64 icount, bytes */
    JNL_EOF = 2,     /* console input ended: u64 poll, u64 icount */
    JNL_QUIT = 3,    /* Ctrl-A x: u64 poll, u64 icount */
    JNL_HASH = 4,    /* u64 icount, u32 n, n vCPU hashes, u64 memory hash */
    JNL_END = 5,     /* u64 icount, u32 exit status */
    JNL_DISK = 6,    /* a writable drive's bytes before the run first wrote them:
                        u64 icount, u32 drive, u64 offset, bytes (whole sectors) */
};

typedef struct JournalRec {
    uint8_t type;
    uint64_t poll, icount;
    const uint8_t *data;  /* JNL_INPUT: the bytes; JNL_HASH: n+1 little-endian u64 */
    uint32_t len;         /* bytes, or hash count n */
    uint32_t status;      /* JNL_END */
    uint32_t drive;       /* JNL_DISK */
    uint64_t pos;
} JournalRec;

typedef struct JournalHeader {
    uint64_t config;      /* hash of the command line and the files it names */
    uint64_t rtc_base;    /* the host clock at the start, seconds since 1970 */
    uint64_t hash_every;  /* --trace-hash N of the recording (0: none) */
    bool interactive;     /* the console was a terminal: idle time was paced */
    bool has_input;       /* the console had an input */
} JournalHeader;

typedef struct Journal {
    bool replay;
    const char *path;
    FILE *out;            /* recording */
    bool write_failed;
    uint8_t *file;        /* replaying: the whole journal */
    size_t size;
    JournalRec *recs;     /* every record but JNL_DISK, in order */
    size_t nrecs;
    JournalRec *disk;     /* JNL_DISK: what the drives held before the recording */
    size_t ndisk;
    size_t next;          /* replaying: the next record; recording: records written */
    JournalHeader hdr;
    char version[65];     /* of the hvemu that recorded it */
} Journal;

/* --record: creates the file and writes the header; false with one line in err. */
bool journal_record_open(Journal *j, const char *path, const JournalHeader *hdr, char *err,
                         size_t errlen);
/* Reads and checks the whole journal (any version, any command line). */
bool journal_read(Journal *j, const char *path, char *err, size_t errlen);
/* --replay: reads and checks the whole journal; `config` is this run's command-line hash,
 * which must match. False with one line in err. */
bool journal_replay_open(Journal *j, const char *path, uint64_t config, char *err,
                         size_t errlen);
void journal_write(Journal *j, const JournalRec *r);
/* Recording: flushes and closes; false if anything could not be written. */
bool journal_close(Journal *j);
/* Replaying: the next record, or NULL after the last one. */
static inline const JournalRec *journal_peek(const Journal *j)
{
    return j->next < j->nrecs ? &j->recs[j->next] : NULL;
}

#endif
