/* machines/snapshot.h: snapshots (--savevm FILE@ICOUNT, --loadvm FILE, the monitor's
 * savevm): the whole machine in one file, restored into a machine made from the same
 * command line, after which the run goes on exactly as the saved one did.
 *
 * File: "HVEMUSNP", u32 format, hvemu version, u64 hash of the command line and its files
 * (as for journals), u64 length and the state stream (cpu/common/state.h: the loop's
 * position, the console, then MachineClass.save: vCPUs, devices, hypervisor interfaces;
 * pseries puts its hashed page table there as an HTAB stream), then guest RAM as one zstd
 * frame, then an xxh64 of everything before it. */
#ifndef HVEMU_SNAPSHOT_H
#define HVEMU_SNAPSHOT_H

#include "machines/machine.h"

/* False with one line in err. */
bool snapshot_save(Machine *m, const char *path, char *err, size_t errlen);
bool snapshot_load(Machine *m, const char *path, char *err, size_t errlen);

#endif
