/* machines/monitor.h: the console monitor (Ctrl-A c). */
#ifndef HVEMU_MONITOR_H
#define HVEMU_MONITOR_H

#include "machines/machine.h"

/* Ctrl-A c: the console goes to the monitor, or back to the guest. */
void monitor_toggle(Machine *m);
/* A byte typed while the monitor has the console. */
void monitor_input(Machine *m, uint8_t c);
void monitor_close(Machine *m);

#endif
