/* cpu/ppc/ppc_core.h: the state the Power threads of a machine share (the bus, the virtual
 * clock, the run epoch that larx/stcx. compare), and the few storage helpers beyond the
 * memory API of ppc_cpu.h that the storage control instructions need (Power ISA v3.0B
 * Book II chapter 4 "Storage Control Instructions"; Book III-S chapter 5 "Storage
 * Control" for addressing). The execution loop, the block cache and the hash-MMU
 * translation join this struct in issue 3; everything a semantic function reaches of the
 * machine goes through c->core. */
#ifndef HVEMU_PPC_CORE_H
#define HVEMU_PPC_CORE_H

#include "cpu/ppc/ppc_cpu.h"

typedef struct PpcCore {
    Bus *bus;
    VClock *clock;
    /* Bumped by the execution loop whenever a different thread starts running. A
     * reservation taken by larx holds only while this is unchanged (Book II 4.4.2:
     * another thread may have stored to the granule in between).
     * TODO(#3): the SMP execution loop bumps it at each switch of thread. */
    uint64_t run_epoch;
} PpcCore;

static inline PpcCore *ppc_core(const PpcCpu *c)
{
    return (PpcCore *)c->core;
}

/* Storage accesses as the translation step sees them. */
typedef enum PpcAccess { PPC_ACC_LOAD, PPC_ACC_STORE } PpcAccess;

/* Raises the Alignment interrupt for an access at ea (DAR = ea). */
PpcStatus ppc_mem_alignment(PpcCpu *c, uint64_t ea);

/* Translates ea for acc as a data access would (faults included) without touching
 * storage: dcbf, dcbst and icbi are treated as loads for protection (Book II 4.3). */
PpcStatus ppc_mem_probe(PpcCpu *c, uint64_t ea, PpcAccess acc);

/* dcbz: sets the aligned block of `len` bytes holding ea to zero; Alignment interrupt
 * when the block is caching-inhibited storage (Book III-S 7.5.8). */
PpcStatus ppc_mem_zero_block(PpcCpu *c, uint64_t ea, unsigned len);

#endif
