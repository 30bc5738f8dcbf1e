/* tests/unit/ppc/ppc_rig.h: the smallest machine a Power unit test needs: a bus with RAM
 * at 0, a virtual clock, the core the thread reaches memory through, and one thread of
 * the named model in 64-bit hypervisor real mode, as after reset. Tests add devices or
 * ROM to r->bus and bits to r->cpu.msr as they need. */
#ifndef HVEMU_TEST_PPC_RIG_H
#define HVEMU_TEST_PPC_RIG_H

#include <stdlib.h>

#include "cpu/ppc/ppc_core.h"
#include "cpu/ppc/ppc_decode.h"

#define RAM_SIZE (64 * KiB)

static inline void ppc_rig_wire(Bus *bus, VClock *clock, uint8_t **ram, PpcCore *core,
                                PpcCpu *cpu, const char *model, uint64_t msr)
{
    *ram = calloc(1, RAM_SIZE);
    bus->clock = clock;
    bus_map_ram(bus, "ram", 0, RAM_SIZE, *ram);
    *core = (PpcCore){ .bus = bus, .clock = clock };
    cpu->model = ppc_model_find(model);
    cpu->core = core;
    cpu->msr = MSR_SF | MSR_HV | msr;
    cpu->resv_addr = ~0ULL;
}

static inline const char *op_name(unsigned op)
{
    return op < PPC_OP_COUNT ? ppc_insn_table[op].name : "illegal";
}

#endif
