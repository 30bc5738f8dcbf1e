/* machines/journal_disk.c: writable drives under --record and --replay (journal.h).
 * Recording, the first write to each sector journals what the sector held (JNL_DISK)
 * before the file is written, so the journal knows the disk as the run found it. Replaying,
 * the drive's file (which the recording changed) is only read: the journaled sectors are
 * laid over it, and the guest's writes go into the same in-memory overlay. A replay thus
 * sees the disk the recording started with, and leaves the file as it was. */
#include "machines/journal_disk.h"

#include <glib.h>
#include <stdlib.h>

#define SECTOR 512u

struct JournalDisk {
    Machine *m;
    unsigned drive;
    int fd;
    uint64_t size;
    GHashTable *sectors;  /* sector number -> NULL (recording: journaled) or 512 bytes */
};

static gpointer key(uint64_t sector)
{
    return GSIZE_TO_POINTER((gsize)sector);
}

static bool record_write(void *opaque, const uint8_t *buf, size_t len, uint64_t pos)
{
    JournalDisk *d = opaque;
    uint64_t first = pos / SECTOR, last = (pos + len - 1) / SECTOR;
    /* Runs of sectors not yet journaled: one JNL_DISK record each. */
    for (uint64_t s = first; s <= last;) {
        if (g_hash_table_contains(d->sectors, key(s))) {
            s++;
            continue;
        }
        uint64_t e = s;
        while (e + 1 <= last && !g_hash_table_contains(d->sectors, key(e + 1)))
            e++;
        size_t n = (size_t)(e - s + 1) * SECTOR;
        uint8_t *old = malloc(n);
        if (!old || !virtio_blk_file_read(d->fd, old, n, s * SECTOR)) {
            free(old);
            return false;
        }
        journal_write(d->m->journal, &(JournalRec){ .type = JNL_DISK, .icount = d->m->icount,
                                                    .drive = d->drive, .pos = s * SECTOR,
                                                    .data = old, .len = (uint32_t)n });
        free(old);
        for (uint64_t k = s; k <= e; k++)
            g_hash_table_add(d->sectors, key(k));
        s = e + 1;
    }
    return virtio_blk_file_write(d->fd, buf, len, pos);
}

/* Replaying: one sector as the run sees it. */
static bool sector_read(JournalDisk *d, uint64_t s, uint8_t *out)
{
    const uint8_t *o = g_hash_table_lookup(d->sectors, key(s));
    if (o) {
        memcpy(out, o, SECTOR);
        return true;
    }
    return virtio_blk_file_read(d->fd, out, SECTOR, s * SECTOR);
}

static bool replay_read(void *opaque, uint8_t *buf, size_t len, uint64_t pos)
{
    JournalDisk *d = opaque;
    uint8_t sec[SECTOR];
    for (size_t done = 0; done < len;) {
        uint64_t s = (pos + done) / SECTOR;
        size_t off = (size_t)((pos + done) % SECTOR), n = MIN(SECTOR - off, len - done);
        if (!sector_read(d, s, sec))
            return false;
        memcpy(buf + done, sec + off, n);
        done += n;
    }
    return true;
}

static bool replay_write(void *opaque, const uint8_t *buf, size_t len, uint64_t pos)
{
    JournalDisk *d = opaque;
    for (size_t done = 0; done < len;) {
        uint64_t s = (pos + done) / SECTOR;
        size_t off = (size_t)((pos + done) % SECTOR), n = MIN(SECTOR - off, len - done);
        uint8_t *o = g_hash_table_lookup(d->sectors, key(s));
        if (!o) {
            o = g_malloc(SECTOR);
            if (!sector_read(d, s, o)) {
                g_free(o);
                return false;
            }
            g_hash_table_insert(d->sectors, key(s), o);
        }
        memcpy(o + off, buf + done, n);
        done += n;
    }
    return true;
}

static bool no_flush(void *opaque)
{
    (void)opaque;
    return true;
}

JournalDisk *journal_disk_attach(Machine *m, unsigned drive, VirtioBlk *blk, char *err,
                                 size_t errlen)
{
    JournalDisk *d = calloc(1, sizeof(*d));
    if (!d) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    *d = (JournalDisk){ .m = m, .drive = drive, .fd = blk->fd, .size = blk->size };
    if (!m->journal->replay) {
        d->sectors = g_hash_table_new(g_direct_hash, g_direct_equal);
        blk->host = (BlkHost){ .write = record_write, .opaque = d };
        return d;
    }
    d->sectors = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    const Journal *j = m->journal;
    for (size_t k = 0; k < j->ndisk; k++) {
        const JournalRec *r = &j->disk[k];
        if (r->drive != drive)
            continue;
        if (r->pos > d->size || r->len > d->size - r->pos) {
            snprintf(err, errlen, "--replay: the journal has sectors past the end of drive %u "
                                  "(the disk is smaller than when it was recorded)", drive);
            journal_disk_detach(d);
            return NULL;
        }
        for (uint32_t off = 0; off < r->len; off += SECTOR) {
            uint64_t s = (r->pos + off) / SECTOR;
            if (!g_hash_table_contains(d->sectors, key(s)))
                g_hash_table_insert(d->sectors, key(s), g_memdup2(r->data + off, SECTOR));
        }
    }
    blk->host = (BlkHost){ .read = replay_read, .write = replay_write, .flush = no_flush,
                           .opaque = d };
    return d;
}

void journal_disk_detach(JournalDisk *d)
{
    if (!d)
        return;
    g_hash_table_destroy(d->sectors);
    free(d);
}
