/* cpu/ppc/ppc_debug.c: the Power thread as a debugger sees it: effective addresses
 * translated without side effects (Book III-S 5.7.3 real addressing, 5.7.7-5.7.9 through
 * the SLB and the HPT with the walker's probe mode, which leaves R and C alone; Book III-E
 * 6.7 through the TLB), and the registers in the numbering of the target description this
 * file writes (gdb manual, "PowerPC Features": org.gnu.gdb.power.core, .fpu, .altivec,
 * .vsx): r0-r31 as 0-31, f0-f31 as 32-63, pc msr cr lr ctr xer fpscr as 64-70, vr0-vr31
 * as 71-102, vscr 103, vrsave 104, vs0h-vs31h (doubleword 1 of VSR 0-31) as 105-136. */
#include "cpu/ppc/ppc_core.h"
#include "cpu/ppc/booke/booke.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define REAL_MODE_MASK 0x0fffffffffffffffULL

enum {
    GDB_F0 = 32, GDB_PC = 64, GDB_MSR, GDB_CR, GDB_LR, GDB_CTR, GDB_XER, GDB_FPSCR,
    GDB_VR0 = 71, GDB_VSCR = 103, GDB_VRSAVE = 104, GDB_VS0H = 105, GDB_END = 137,
};

bool ppc_debug_translate(PpcCpu *c, uint64_t ea, uint64_t *ra)
{
    PpcCore *core = ppc_core(c);
    ea = ppc_ea(c, ea);
    if (ppc_is_booke(c))
        return booke_debug_translate(c, ea, ra);
    if (!(c->msr & MSR_DR)) {
        *ra = ea & REAL_MODE_MASK;
        return true;
    }
    if (!core->hpt.read_hptes)
        return false;
    Hash64Mmu m = { .ops = &core->hpt, .slb = c->slb, .slb_entries = c->model->slb_size };
    Hash64Xlate x = { .access = HASH64_LOAD, .pr = false, .probe = true };
    Hash64Result r;
    Hash64Status st = hash64_translate(&m, ea, &x, &r);
    if (st == HASH64_PAGE_FAULT) {
        x.access = HASH64_IFETCH; /* no-execute-only pages are readable to a debugger */
        st = hash64_translate(&m, ea, &x, &r);
    }
    if (st != HASH64_OK)
        return false;
    *ra = r.ra;
    return true;
}

void ppc_debug_set(PpcCore *core, CpuDebug *dbg)
{
    core->dbg = dbg;
    ppc_tlb_flush_all(core);
}

static bool is64(const PpcCpu *c)
{
    return (c->model->categories & PPC_CAT_64) != 0;
}


const char *ppc_gdb_target_xml(PpcCpu *c)
{
    PpcCore *core = ppc_core(c);
    if (core->gdb_xml)
        return core->gdb_xml;
    uint32_t cats = c->model->categories;
    unsigned w = is64(c) ? 64 : 32;
    size_t size = 32768, len = 0;
    char *b = malloc(size);
    if (!b)
        return NULL;
    dbg_xml_add(b, size, &len, "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
            "<target version=\"1.0\">\n<architecture>%s</architecture>\n"
            "<feature name=\"org.gnu.gdb.power.core\">\n",
            is64(c) ? "powerpc:common64" : "powerpc:common");
    for (unsigned k = 0; k < 32; k++)
        dbg_xml_add(b, size, &len, "<reg name=\"r%u\" bitsize=\"%u\" regnum=\"%u\" type=\"uint%u\"/>\n",
                k, w, k, w);
    dbg_xml_add(b, size, &len,
            "<reg name=\"pc\" bitsize=\"%u\" regnum=\"%d\" type=\"code_ptr\"/>\n"
            "<reg name=\"msr\" bitsize=\"%u\" regnum=\"%d\" type=\"uint%u\"/>\n"
            "<reg name=\"cr\" bitsize=\"32\" regnum=\"%d\" type=\"uint32\"/>\n"
            "<reg name=\"lr\" bitsize=\"%u\" regnum=\"%d\" type=\"code_ptr\"/>\n"
            "<reg name=\"ctr\" bitsize=\"%u\" regnum=\"%d\" type=\"uint%u\"/>\n"
            "<reg name=\"xer\" bitsize=\"32\" regnum=\"%d\" type=\"uint32\"/>\n</feature>\n",
            w, GDB_PC, w, GDB_MSR, w, GDB_CR, w, GDB_LR, w, GDB_CTR, w, GDB_XER);
    if (cats & PPC_CAT_FP) {
        dbg_xml_add(b, size, &len, "<feature name=\"org.gnu.gdb.power.fpu\">\n");
        for (unsigned k = 0; k < 32; k++)
            dbg_xml_add(b, size, &len, "<reg name=\"f%u\" bitsize=\"64\" regnum=\"%u\" type=\"ieee_double\"/>\n",
                    k, GDB_F0 + k);
        dbg_xml_add(b, size, &len, "<reg name=\"fpscr\" bitsize=\"32\" regnum=\"%d\" group=\"float\"/>\n"
                "</feature>\n", GDB_FPSCR);
    }
    if (cats & PPC_CAT_VMX) {
        dbg_xml_add(b, size, &len, "<feature name=\"org.gnu.gdb.power.altivec\">\n"
                "<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>\n"
                "<vector id=\"v4i32\" type=\"int32\" count=\"4\"/>\n"
                "<vector id=\"v8i16\" type=\"int16\" count=\"8\"/>\n"
                "<vector id=\"v16i8\" type=\"int8\" count=\"16\"/>\n"
                "<union id=\"vec128\"><field name=\"uint128\" type=\"uint128\"/>"
                "<field name=\"v4_float\" type=\"v4f\"/><field name=\"v4_int32\" type=\"v4i32\"/>"
                "<field name=\"v8_int16\" type=\"v8i16\"/><field name=\"v16_int8\" type=\"v16i8\"/>"
                "</union>\n");
        for (unsigned k = 0; k < 32; k++)
            dbg_xml_add(b, size, &len, "<reg name=\"vr%u\" bitsize=\"128\" regnum=\"%u\" type=\"vec128\"/>\n",
                    k, GDB_VR0 + k);
        dbg_xml_add(b, size, &len, "<reg name=\"vscr\" bitsize=\"32\" regnum=\"%d\" group=\"vector\"/>\n"
                "<reg name=\"vrsave\" bitsize=\"32\" regnum=\"%d\" group=\"vector\"/>\n"
                "</feature>\n", GDB_VSCR, GDB_VRSAVE);
    }
    if (cats & PPC_CAT_VSX) {
        dbg_xml_add(b, size, &len, "<feature name=\"org.gnu.gdb.power.vsx\">\n");
        for (unsigned k = 0; k < 32; k++)
            dbg_xml_add(b, size, &len, "<reg name=\"vs%uh\" bitsize=\"64\" regnum=\"%u\" type=\"uint64\"/>\n",
                    k, GDB_VS0H + k);
        dbg_xml_add(b, size, &len, "</feature>\n");
    }
    dbg_xml_add(b, size, &len, "</target>\n");
    if (len >= size) {
        free(b);
        return NULL;
    }
    core->gdb_xml = b;
    return b;
}

static void put(uint8_t *buf, unsigned size, uint64_t v, bool big)
{
    if (big)
        st_be(buf, size, v);
    else
        st_le(buf, size, v);
}

static uint64_t get(const uint8_t *buf, unsigned size, bool big)
{
    return big ? ld_be(buf, size) : ld_le(buf, size);
}

/* A register of `size` bytes backed by *r (64 bits wide). */
static unsigned reg64(uint64_t *r, unsigned size, uint8_t *buf, const uint8_t *wr, bool big)
{
    if (wr)
        *r = get(wr, size, big);
    put(buf, size, size == 4 ? (uint32_t)*r : *r, big);
    return size;
}

static unsigned reg32(uint32_t *r, uint8_t *buf, const uint8_t *wr, bool big)
{
    if (wr)
        *r = (uint32_t)get(wr, 4, big);
    put(buf, 4, *r, big);
    return 4;
}

unsigned ppc_gdb_reg(PpcCpu *c, unsigned regno, uint8_t *buf, const uint8_t *wr, bool big)
{
    uint32_t cats = c->model->categories;
    unsigned w = is64(c) ? 8 : 4;
    if (regno < 32)
        return reg64(&c->gpr[regno], w, buf, wr, big);
    if (regno < GDB_PC)
        return cats & PPC_CAT_FP ? reg64(&c->vsr[regno - GDB_F0].d[0], 8, buf, wr, big) : 0;
    switch (regno) {
    case GDB_PC:
        return reg64(&c->nip, w, buf, wr, big);
    case GDB_MSR: {
        uint64_t msr = c->msr;
        reg64(&msr, w, buf, wr, big);
        if (wr && msr != c->msr) {
            c->msr = msr;
            ppc_tlb_flush(c);
        }
        return w;
    }
    case GDB_CR:
        return reg32(&c->cr, buf, wr, big);
    case GDB_LR:
        return reg64(&c->lr, w, buf, wr, big);
    case GDB_CTR:
        return reg64(&c->ctr, w, buf, wr, big);
    case GDB_XER: {
        uint64_t xer = c->xer;
        reg64(&xer, 4, buf, wr, big);
        if (wr)
            c->xer = (uint32_t)xer;
        return 4;
    }
    case GDB_FPSCR:
        return cats & PPC_CAT_FP ? reg32(&c->fpscr_lo, buf, wr, big) : 0;
    case GDB_VSCR:
        return cats & PPC_CAT_VMX ? reg32(&c->vscr, buf, wr, big) : 0;
    case GDB_VRSAVE:
        return cats & PPC_CAT_VMX ? reg32(&c->vrsave, buf, wr, big) : 0;
    default:
        break;
    }
    if (regno >= GDB_VR0 && regno < GDB_VR0 + 32 && (cats & PPC_CAT_VMX)) {
        PpcVsr *v = &c->vsr[32 + regno - GDB_VR0];
        /* Doubleword 0 is the most significant half. */
        uint64_t *first = big ? &v->d[0] : &v->d[1], *second = big ? &v->d[1] : &v->d[0];
        reg64(first, 8, buf, wr, big);
        reg64(second, 8, buf + 8, wr ? wr + 8 : NULL, big);
        return 16;
    }
    if (regno >= GDB_VS0H && regno < GDB_END && (cats & PPC_CAT_VSX))
        return reg64(&c->vsr[regno - GDB_VS0H].d[1], 8, buf, wr, big);
    return 0;
}
