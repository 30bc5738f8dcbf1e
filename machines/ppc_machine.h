/* machines/ppc_machine.h: the MachineClass hooks the Power machines (pseries, e500) share:
 * they reach the vCPUs through the PpcCore that Machine.arch_core points at. */
#ifndef HVEMU_PPC_MACHINE_H
#define HVEMU_PPC_MACHINE_H

#include "cpu/ppc/ppc_core.h"
#include "machines/machine.h"

uint64_t ppcm_cpu_run(Machine *m, unsigned n, uint64_t done, uint64_t budget);
bool ppcm_cpu_idle(Machine *m, unsigned n);
void ppcm_cpu_save(Machine *m, unsigned n, struct StateW *w);
/* Every vCPU's state and which one ran last (a snapshot's first part), and back. */
void ppcm_save_cpus(Machine *m, struct StateW *w);
void ppcm_load_cpus(Machine *m, struct StateR *r);
void ppcm_debug_set(Machine *m, bool active);
const char *ppcm_gdb_xml(Machine *m, unsigned n);
unsigned ppcm_gdb_reg(Machine *m, unsigned n, unsigned regno, uint8_t *buf, const uint8_t *wr);
bool ppcm_debug_translate(Machine *m, unsigned n, uint64_t va, uint64_t *pa);
uint64_t ppcm_cpu_pc(Machine *m, unsigned n);
bool ppcm_cpu_big_endian(Machine *m, unsigned n);

#endif
