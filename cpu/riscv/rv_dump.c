/* cpu/riscv/rv_dump.c: a hart as the monitor shows it: registers (`info registers`) and
 * the mappings of its page table (`info tlb`), read without side effects. */
#include "cpu/riscv/rv_cpu.h"

static const char *const abi[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4",
    "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4",
    "t5", "t6",
};

void rv_dump_regs(const RvHart *h, FILE *out)
{
    static const char priv[] = "USHM";
    fprintf(out, "hart %u  pc %016llx  priv %c%s%s%s\n", h->index, (unsigned long long)h->pc,
            priv[h->priv & 3], h->virt ? " (V=1)" : "", h->wfi ? "  [waiting]" : "",
            h->stopped ? "  [stopped]" : "");
    for (unsigned k = 0; k < 32; k++)
        fprintf(out, "x%-2u/%-4s %016llx%s", k, abi[k], (unsigned long long)h->x[k],
                k % 4 == 3 ? "\n" : "  ");
    static const struct { const char *name; size_t off; } csrs[] = {
#define C(f) { #f, offsetof(RvHart, f) }
        C(mstatus), C(misa), C(medeleg), C(mideleg), C(mie), C(mip), C(mtvec), C(mepc),
        C(mcause), C(mtval), C(stvec), C(sepc), C(scause), C(stval), C(satp), C(stimecmp),
        C(menvcfg), C(hstatus), C(hedeleg), C(hideleg), C(hvip), C(hgatp), C(htval), C(htinst),
        C(vsstatus), C(vstvec), C(vsepc), C(vscause), C(vstval), C(vsatp), C(mtval2), C(mtinst),
#undef C
    };
    unsigned shown = 0;
    for (unsigned k = 0; k < ARRAY_SIZE(csrs); k++) {
        if (csrs[k].name[0] == 'h' || csrs[k].name[0] == 'v' || !strcmp(csrs[k].name, "mtval2") ||
            !strcmp(csrs[k].name, "mtinst"))
            if (!h->core->has_h)
                continue;
        uint64_t v;
        memcpy(&v, (const uint8_t *)h + csrs[k].off, 8);
        fprintf(out, "%-9s %016llx%s", csrs[k].name, (unsigned long long)v,
                ++shown % 4 == 0 ? "\n" : "  ");
    }
    if (shown % 4)
        fputc('\n', out);
    fprintf(out, "fflags %x frm %x  retired %llu\n", h->fflags, h->frm,
            (unsigned long long)h->retired);
}

typedef struct Run {
    uint64_t va, pa, len, perm;
    bool open;
} Run;

static void run_flush(Run *r, FILE *out)
{
    if (!r->open)
        return;
    char p[8] = "-------";
    static const char bits[] = "RWXUGAD";
    for (unsigned k = 0; k < 7; k++)
        if (r->perm & (PTE_R << k))
            p[k] = bits[k];
    fprintf(out, "%016llx-%016llx %016llx %s\n", (unsigned long long)r->va,
            (unsigned long long)(r->va + r->len - 1), (unsigned long long)r->pa, p);
    r->open = false;
}

static void run_add(Run *r, uint64_t va, uint64_t pa, uint64_t len, uint64_t perm, FILE *out)
{
    if (r->open && r->va + r->len == va && r->pa + r->len == pa && r->perm == perm) {
        r->len += len;
        return;
    }
    run_flush(r, out);
    *r = (Run){ .va = va, .pa = pa, .len = len, .perm = perm, .open = true };
}

static void walk(Bus *bus, uint64_t table, unsigned level, unsigned levels, uint64_t va_base,
                 Run *r, unsigned *budget, FILE *out)
{
    const uint8_t *t = bus_ram_ptr(bus, table, 4096);
    if (!t) {
        fprintf(out, "  (table at %llx is not RAM)\n", (unsigned long long)table);
        return;
    }
    unsigned shift = 12 + 9 * level;
    for (unsigned k = 0; k < 512 && *budget; k++) {
        uint64_t pte = ld_le(t + 8 * k, 8);
        if (!(pte & PTE_V))
            continue;
        uint64_t va = va_base | ((uint64_t)k << shift);
        if (level == levels - 1 && (va >> (shift + 8)) & 1) /* sign-extend the top index */
            va |= ~0ULL << (shift + 9);
        uint64_t pa = ((pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT) << 12;
        if (pte & (PTE_R | PTE_W | PTE_X)) {
            (*budget)--;
            run_add(r, va, pa, 1ULL << shift, pte & 0xfe, out);
        } else if (level > 0) {
            walk(bus, pa, level - 1, levels, va, r, budget, out);
        }
    }
}

void rv_dump_mappings(const RvHart *h, FILE *out)
{
    uint64_t atp = h->virt ? h->vsatp : h->satp;
    unsigned mode = (unsigned)(atp >> 60);
    unsigned levels = mode == SATP_MODE_SV39 ? 3 : mode == SATP_MODE_SV39 + 1 ? 4
                    : mode == SATP_MODE_SV39 + 2 ? 5 : 0;
    fprintf(out, "hart %u %s = %016llx", h->index, h->virt ? "vsatp" : "satp",
            (unsigned long long)atp);
    if (!levels) {
        fprintf(out, ": Bare, no translation\n");
        return;
    }
    fprintf(out, " (Sv%u, ASID %llu)%s\n", 12 + 9 * levels,
            (unsigned long long)((atp >> SATP_ASID_SHIFT) & 0xffff),
            h->virt ? ": guest-physical addresses, as the VS-stage maps them" : "");
    if (h->virt && (h->hgatp >> 60) != 0) {
        fprintf(out, "  (the tables are reached through the G-stage: not shown)\n");
        return;
    }
    fprintf(out, "virtual address range                  physical         RWXUGAD\n");
    Run r = { 0 };
    unsigned budget = 100000;
    walk(h->core->bus, (atp & SATP_PPN_MASK) << 12, levels - 1, levels, 0, &r, &budget, out);
    run_flush(&r, out);
    if (!budget)
        fprintf(out, "  (stopped after 100000 leaves)\n");
}
