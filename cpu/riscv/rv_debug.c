/* cpu/riscv/rv_debug.c: the hart as a debugger sees it: addresses translated without side
 * effects (Volume II, 4.3.2 and 8.5, with every PTE read from a copy so that neither the
 * A/D bits nor the soft TLB change), and the registers in gdb's numbering for the
 * org.gnu.gdb.riscv.* target-description features (gdb manual, "RISC-V Features"): x0-x31
 * as 0-31, pc as 32, f0-f31 as 33-64, CSR n as 65 + n, the virtual priv register as
 * 65 + 4096. */
#include "cpu/riscv/rv_block.h"
#include "mmu/riscv_pt.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define GDB_PC 32
#define GDB_F0 33
#define GDB_CSR0 65
#define GDB_PRIV (GDB_CSR0 + 4096)

typedef struct DebugPtMem {
    RvCore *core;
    uint8_t pte[8];
} DebugPtMem;

/* Hands the walker a copy of the PTE: whatever it sets in it is dropped. */
static uint8_t *debug_pte_ptr(void *opaque, uint64_t pa)
{
    DebugPtMem *d = opaque;
    const uint8_t *p = (pa & 7) ? NULL : bus_ram_ptr(d->core->bus, pa, 8);
    if (!p)
        return NULL;
    memcpy(d->pte, p, 8);
    return d->pte;
}

static void debug_pte_written(void *opaque, uint64_t pa)
{
    (void)opaque;
    (void)pa;
}

bool rv_debug_translate(RvHart *h, uint64_t va, uint64_t *pa)
{
    DebugPtMem dm = { .core = h->core };
    PtMem mem = { .pte_ptr = debug_pte_ptr, .pte_written = debug_pte_written, .opaque = &dm };
    unsigned idx = h->mmu_idx_data;
    /* Code and user pages are readable to the debugger too. */
    RvXlate x = { .access = RV_PT_READ, .user = idx == RV_MMU_U || idx == RV_MMU_VU,
                  .sum = true, .mxr = true, .mxr_vs = true };
    if (rv_mmu_idx_virt(idx)) {
        RvPtTwoStage t;
        if (rv_pt_vs_walk(&mem, h->vsatp, h->hgatp, va, &x, &t) != RV_PT_OK)
            return false;
        *pa = t.pa;
        return true;
    }
    if (idx == RV_MMU_M || (h->satp >> SATP_MODE_SHIFT) == SATP_MODE_BARE) {
        *pa = va;
        return true;
    }
    RvPtWalk w;
    if (rv_pt_walk(&mem, h->satp, va, &x, &w) != RV_PT_OK)
        return false;
    *pa = w.pa;
    return true;
}

void rv_debug_set(RvCore *c, CpuDebug *dbg)
{
    c->dbg = dbg;
    for (unsigned n = 0; n < c->nharts; n++)
        rv_tlb_flush(c->harts[n]);
}

/* The CSRs the description lists: those a kernel developer looks at. */
static const uint16_t gdb_csrs[] = {
    CSR_FFLAGS, CSR_FRM, CSR_FCSR, CSR_CYCLE, CSR_TIME, CSR_INSTRET,
    CSR_SSTATUS, CSR_SIE, CSR_STVEC, CSR_SCOUNTEREN, CSR_SSCRATCH, CSR_SEPC, CSR_SCAUSE,
    CSR_STVAL, CSR_SIP, CSR_STIMECMP, CSR_SATP,
    CSR_VSSTATUS, CSR_VSIE, CSR_VSTVEC, CSR_VSSCRATCH, CSR_VSEPC, CSR_VSCAUSE, CSR_VSTVAL,
    CSR_VSIP, CSR_VSATP,
    CSR_HSTATUS, CSR_HEDELEG, CSR_HIDELEG, CSR_HIE, CSR_HTIMEDELTA, CSR_HCOUNTEREN, CSR_HGEIE,
    CSR_HTVAL, CSR_HIP, CSR_HVIP, CSR_HTINST, CSR_HGATP, CSR_HGEIP,
    CSR_MSTATUS, CSR_MISA, CSR_MEDELEG, CSR_MIDELEG, CSR_MIE, CSR_MTVEC, CSR_MCOUNTEREN,
    CSR_MENVCFG, CSR_MSCRATCH, CSR_MEPC, CSR_MCAUSE, CSR_MTVAL, CSR_MIP, CSR_MHARTID,
};


const char *rv_gdb_target_xml(const RvHart *h)
{
    static const char *const xnames[32] = {
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "fp", "s1", "a0", "a1", "a2",
        "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9",
        "s10", "s11", "t3", "t4", "t5", "t6",
    };
    static const char *const fnames[32] = {
        "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1",
        "fa2", "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7",
        "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
    };
    RvCore *c = h->core;
    if (c->gdb_xml)
        return c->gdb_xml;
    size_t size = 16384, len = 0;
    char *b = malloc(size);
    if (!b)
        return NULL;
    dbg_xml_add(b, size, &len, "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
            "<target version=\"1.0\">\n<architecture>riscv:rv64</architecture>\n"
            "<feature name=\"org.gnu.gdb.riscv.cpu\">\n");
    for (unsigned k = 0; k < 32; k++)
        dbg_xml_add(b, size, &len, "<reg name=\"%s\" bitsize=\"64\" regnum=\"%u\" type=\"%s\"/>\n",
                xnames[k], k, k == 2 || k == 8 ? "data_ptr" : k == 1 ? "code_ptr" : "int");
    dbg_xml_add(b, size, &len, "<reg name=\"pc\" bitsize=\"64\" regnum=\"%d\" type=\"code_ptr\"/>\n"
            "</feature>\n<feature name=\"org.gnu.gdb.riscv.fpu\">\n", GDB_PC);
    for (unsigned k = 0; k < 32; k++)
        dbg_xml_add(b, size, &len, "<reg name=\"%s\" bitsize=\"64\" regnum=\"%u\" type=\"ieee_double\"/>\n",
                fnames[k], GDB_F0 + k);
    for (unsigned k = 0; k < 3; k++)
        dbg_xml_add(b, size, &len, "<reg name=\"%s\" bitsize=\"32\" regnum=\"%u\" type=\"int\"/>\n",
                rv_csr_name(gdb_csrs[k]), GDB_CSR0 + gdb_csrs[k]);
    dbg_xml_add(b, size, &len, "</feature>\n<feature name=\"org.gnu.gdb.riscv.csr\">\n");
    for (unsigned k = 3; k < ARRAY_SIZE(gdb_csrs); k++) {
        uint64_t v;
        if (!rv_csr_debug((RvHart *)h, gdb_csrs[k], &v, false))
            continue;
        dbg_xml_add(b, size, &len, "<reg name=\"%s\" bitsize=\"64\" regnum=\"%u\" type=\"int\"/>\n",
                rv_csr_name(gdb_csrs[k]), GDB_CSR0 + gdb_csrs[k]);
    }
    dbg_xml_add(b, size, &len, "</feature>\n<feature name=\"org.gnu.gdb.riscv.virtual\">\n"
            "<reg name=\"priv\" bitsize=\"64\" regnum=\"%d\" type=\"int\"/>\n"
            "</feature>\n</target>\n", GDB_PRIV);
    if (len >= size) {
        free(b);
        return NULL;
    }
    c->gdb_xml = b;
    return b;
}

static bool listed_csr(unsigned csr)
{
    for (unsigned k = 0; k < ARRAY_SIZE(gdb_csrs); k++)
        if (gdb_csrs[k] == csr)
            return true;
    return false;
}

unsigned rv_gdb_reg(RvHart *h, unsigned regno, uint8_t *buf, const uint8_t *wr)
{
    uint64_t v;
    if (regno < 32) {
        if (wr && regno)
            h->x[regno] = ld_le(wr, 8);
        st_le(buf, 8, h->x[regno]);
        return 8;
    }
    if (regno == GDB_PC) {
        if (wr)
            h->pc = ld_le(wr, 8);
        st_le(buf, 8, h->pc);
        return 8;
    }
    if (regno >= GDB_F0 && regno < GDB_F0 + 32) {
        if (wr)
            h->f[regno - GDB_F0] = ld_le(wr, 8);
        st_le(buf, 8, h->f[regno - GDB_F0]);
        return 8;
    }
    if (regno == GDB_PRIV) {
        /* gdb's convention: the privilege level, with V in bit 2 here. */
        if (wr) {
            uint64_t p = ld_le(wr, 8) & 3;
            if (p != 2) {
                h->priv = (unsigned)p;
                rv_update_mmu_idx(h);
            }
        }
        st_le(buf, 8, h->priv);
        return 8;
    }
    if (regno >= GDB_CSR0 && regno < GDB_PRIV && listed_csr(regno - GDB_CSR0)) {
        unsigned csr = regno - GDB_CSR0;
        unsigned size = csr <= CSR_FCSR ? 4 : 8;
        if (wr) {
            v = ld_le(wr, size);
            rv_csr_debug(h, csr, &v, true);
            rv_update_mmu_idx(h);
            rv_tlb_flush(h);
        }
        if (!rv_csr_debug(h, csr, &v, false))
            v = 0;
        st_le(buf, size, v);
        return size;
    }
    return 0;
}
