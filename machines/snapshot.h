/* machines/snapshot.h: snapshots (--savevm FILE@ICOUNT, --loadvm FILE, the monitor's
 * savevm): the whole machine in one file, restored into a machine made from the same
 * command line, after which the run goes on exactly as the saved one did.
 *
 * File: "HVEMUSNP", u32 format, hvemu version (u16 length + text), u64 hash of the
 * command line and its files (as for journals), then sections {4-byte tag, u64 length,
 * payload}: "STAT", the state stream (cpu/common/state.h: the loop's position, the
 * console, then MachineClass.save: vCPUs, devices, hypervisor interfaces); "HTAB" for
 * pseries, its hashed page table as an HTAB stream (hypervisor/papr/papr_htab.h), the
 * whole table, or, after a "BASE" section {u64 xxh64, absolute path} naming the previous
 * snapshot of the same run, only the HPTEs modified since that one's pass; "RAM ",
 * always last, guest RAM as one zstd frame running up to the file's last 8 bytes (its
 * length field is 0), which are an xxh64 of everything before them. */
#ifndef HVEMU_SNAPSHOT_H
#define HVEMU_SNAPSHOT_H

#include "machines/machine.h"

typedef struct SnapSections {
    const uint8_t *state, *htab, *ram;
    size_t state_len, htab_len, ram_len;
    char base[4096];      /* BASE: the snapshot this one's HTAB builds on ("": none) */
    uint64_t base_sum;    /* and that file's xxh64 */
} SnapSections;

/* Finds the sections in [p, end) (after the header, before the checksum); false with
 * what is wrong in `what` ("is ..."). */
bool snapshot_sections(const uint8_t *p, const uint8_t *end, SnapSections *s, char *what,
                       size_t len);

/* False with one line in err. */
bool snapshot_save(Machine *m, const char *path, char *err, size_t errlen);
bool snapshot_load(Machine *m, const char *path, char *err, size_t errlen);

#endif
