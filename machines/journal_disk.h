/* machines/journal_disk.h: writable drives under --record and --replay (journal_disk.c). */
#ifndef HVEMU_JOURNAL_DISK_H
#define HVEMU_JOURNAL_DISK_H

#include "devices/virtio_blk.h"
#include "machines/machine.h"

typedef struct JournalDisk JournalDisk;

/* Puts the record or replay layer under drive number `drive` of m (m->journal is open);
 * NULL with one line in err. */
JournalDisk *journal_disk_attach(Machine *m, unsigned drive, VirtioBlk *blk, char *err,
                                 size_t errlen);
void journal_disk_detach(JournalDisk *d);

#endif
