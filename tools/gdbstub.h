/* tools/gdbstub.h: the gdb remote stub (-s, -S, -gdb tcp::PORT). gdb-multiarch connects
 * over TCP and debugs the machine with the vCPUs as threads; on a replay (--replay) it can
 * also step and continue backwards. */
#ifndef HVEMU_GDBSTUB_H
#define HVEMU_GDBSTUB_H

#include "machines/machine.h"

typedef struct GdbStub GdbStub;

/* Re-creates the machine from the start of its run (the same options and journal) after
 * destroying the old one; NULL with one line in err. Reverse execution uses it. */
typedef Machine *(*GdbRecreate)(void *opaque, Machine *old, char *err, size_t errlen);

/* Parses "tcp::PORT" or "tcp:HOST:PORT" and listens there; NULL with one line in err. */
GdbStub *gdbstub_listen(const char *spec, char *err, size_t errlen);
/* Runs *mp under the debugger until the guest halts or gdb kills it, and returns the
 * exit status. With wait (-S) no vCPU runs before gdb says so. recreate is NULL unless
 * the run is a replay: then gdb may go backwards, and *mp may be a new machine. */
int gdbstub_run(GdbStub *s, Machine **mp, bool wait, GdbRecreate recreate, void *opaque);
void gdbstub_close(GdbStub *s);

#endif
