/* machines/ppc_machine.c: hooks the Power machines share (ppc_machine.h). */
#include "machines/ppc_machine.h"
#include "cpu/common/state.h"

static PpcCpu *cpu(Machine *m, unsigned n)
{
    return ((PpcCore *)m->arch_core)->cpus[n];
}

uint64_t ppcm_cpu_run(Machine *m, unsigned n, uint64_t done, uint64_t budget)
{
    return ppc_cpu_run_from(cpu(m, n), done, budget);
}

bool ppcm_cpu_idle(Machine *m, unsigned n)
{
    return ppc_cpu_idle(cpu(m, n));
}

void ppcm_cpu_save(Machine *m, unsigned n, StateW *w)
{
    ppc_cpu_save(cpu(m, n), w);
}

void ppcm_save_cpus(Machine *m, StateW *w)
{
    PpcCore *core = m->arch_core;
    for (unsigned n = 0; n < core->ncpus; n++)
        ppc_cpu_save(core->cpus[n], w);
    sw_u32(w, core->last_runner ? core->last_runner->index : UINT32_MAX);
}

void ppcm_load_cpus(Machine *m, StateR *r)
{
    PpcCore *core = m->arch_core;
    for (unsigned n = 0; n < core->ncpus; n++)
        ppc_cpu_load(core->cpus[n], r);
    uint32_t last = sr_u32(r);
    core->last_runner = last < core->ncpus ? core->cpus[last] : NULL;
}

void ppcm_debug_set(Machine *m, bool active)
{
    ppc_debug_set(m->arch_core, active ? &m->dbg : NULL);
}

const char *ppcm_gdb_xml(Machine *m, unsigned n)
{
    return ppc_gdb_target_xml(cpu(m, n));
}

unsigned ppcm_gdb_reg(Machine *m, unsigned n, unsigned regno, uint8_t *buf, const uint8_t *wr)
{
    PpcCpu *c = cpu(m, n);
    return ppc_gdb_reg(c, regno, buf, wr, !ppc_msr_le(c));
}

bool ppcm_debug_translate(Machine *m, unsigned n, uint64_t va, uint64_t *pa)
{
    return ppc_debug_translate(cpu(m, n), va, pa);
}

uint64_t ppcm_cpu_pc(Machine *m, unsigned n)
{
    return cpu(m, n)->nip;
}

bool ppcm_cpu_big_endian(Machine *m, unsigned n)
{
    return !ppc_msr_le(cpu(m, n));
}
